/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Profile handling: the input is loaded as a profile and as a tailoring
 * of service-console.  Whatever loads has a canonical form and hash
 * that do not change when it is loaded again, and every rule has a
 * value for each of its parameters; whatever does not load says why.
 * Parsing goes through Augeas, which is not instrumented: what the
 * fuzzer learns is the project's own loader.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "hardctl/aug.h"
#include "hardctl/common.h"
#include "hardctl/profile.h"
#include "fuzz.h"

static struct hc_aug *aug;
static char dir[] = "/tmp/hardctl-fuzz-profile-XXXXXX";
static char path[sizeof(dir) + 16];

static void cleanup(void)
{
	unlink(path);
	rmdir(dir);
	hc_aug_free(aug);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	if (hc_aug_open(&aug, HARDCTL_LENS_DIR) < 0 || mkdtemp(dir) == NULL)
		abort();
	snprintf(path, sizeof(path), "%s/p.conf", dir);
	atexit(cleanup);
	return 0;
}

static void check_loaded(const struct hc_profile *p)
{
	struct hc_buf canon = HC_BUF_INIT;

	FUZZ_ASSERT(p->name && p->version);
	for (size_t i = 0; i < p->nrules; i++)
		for (size_t j = 0; p->rules[i].rule->params &&
				   p->rules[i].rule->params[j].name;
		     j++)
			FUZZ_ASSERT(p->rules[i].values[j] != NULL);
	FUZZ_ASSERT(hc_profile_canonical(&canon, p) == 0);
	hc_buf_release(&canon);
}

static void load(const char *spec, const char *tailoring)
{
	struct hc_profile *p = NULL, *again = NULL;

	if (hc_profile_load(&p, aug, spec, tailoring, HARDCTL_PROFILE_DIR) <
	    0) {
		FUZZ_ASSERT(p == NULL);
		FUZZ_ASSERT(hc_error_last()->message[0] != '\0');
		return;
	}
	check_loaded(p);
	FUZZ_ASSERT(hc_profile_load(&again, aug, spec, tailoring,
				    HARDCTL_PROFILE_DIR) == 0);
	FUZZ_ASSERT(memcmp(&p->sha, &again->sha, sizeof(p->sha)) == 0);
	hc_profile_free(p);
	hc_profile_free(again);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

	if (fd < 0 || write(fd, data, size) != (ssize_t)size)
		abort();
	close(fd);
	load(path, NULL);
	load("service-console", path);
	hc_error_clear();
	return 0;
}
