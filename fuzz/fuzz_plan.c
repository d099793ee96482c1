/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Plan building: the first byte picks a configuration file, the rest is
 * its content, under an otherwise empty ROOT; the rules that read that
 * file are checked and their remediation planned, as apply --dry-run
 * does.  Whatever the file holds, planning either succeeds, with every
 * remediated rule passing on the result (the engine checks that), or
 * refuses the file, naming it: never the "please report this bug" of a
 * remediation that leaves its rule failing, never a crash.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "hardctl/aug.h"
#include "hardctl/ctx.h"
#include "hardctl/engine.h"
#include "hardctl/module.h"
#include "hardctl/plan.h"
#include "hardctl/profile.h"
#include "hardctl/root.h"
#include "fuzz.h"

static const char *const files[] = {
    "/etc/login.defs",
    "/etc/ssh/sshd_config",
    "/etc/snmp/snmpd.conf",
    "/etc/sysctl.conf",
    "/etc/rsyslog.conf",
    "/etc/securetty",
    "/etc/inittab",
    "/etc/security/access.conf",
    "/etc/pam.d/common-password",
    "/etc/security/pwquality.conf",
};

static struct hc_aug *aug;
static struct hc_profile *profile;
static char root_dir[] = "/tmp/hardctl-fuzz-plan-XXXXXX";
static struct hc_strlist only[sizeof(files) / sizeof(files[0])];

static void cleanup(void)
{
	char cmd[sizeof(root_dir) + 16];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root_dir);
	if (system(cmd) != 0)
		fprintf(stderr, "cannot remove %s\n", root_dir);
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++)
		hc_strlist_release(&only[i]);
	hc_profile_free(profile);
	hc_aug_free(aug);
}

/* The profile's rules that read FILE. */
static void rules_of(struct hc_strlist *out, const char *file)
{
	for (size_t i = 0; i < profile->nrules; i++) {
		const struct hc_rule *r = profile->rules[i].rule;

		for (size_t j = 0; r->files && r->files[j]; j++)
			if (strcmp(r->files[j], file) == 0 &&
			    hc_strlist_push(out, r->id) < 0)
				abort();
	}
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *const dirs[] = {"/etc", "/etc/ssh", "/etc/snmp",
				    "/etc/pam.d", "/etc/security"};
	char path[sizeof(root_dir) + 32];

	(void)argc;
	(void)argv;
	if (hc_aug_open(&aug, HARDCTL_LENS_DIR) < 0 ||
	    hc_profile_load(&profile, aug, "service-console", NULL,
			    HARDCTL_PROFILE_DIR) < 0 ||
	    mkdtemp(root_dir) == NULL)
		abort();
	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		snprintf(path, sizeof(path), "%s%s", root_dir, dirs[i]);
		if (mkdir(path, 0755) < 0 && errno != EEXIST)
			abort();
	}
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++)
		rules_of(&only[i], files[i]);
	atexit(cleanup);
	return 0;
}

static void write_file(const char *file, const uint8_t *data, size_t size)
{
	char path[sizeof(root_dir) + 64];
	int fd;

	snprintf(path, sizeof(path), "%s%s", root_dir, file);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0 || write(fd, data, size) != (ssize_t)size)
		abort();
	close(fd);
}

static void remove_file(const char *file)
{
	char path[sizeof(root_dir) + 64];

	snprintf(path, sizeof(path), "%s%s", root_dir, file);
	unlink(path);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t pick;
	struct hc_root *root = NULL;
	struct hc_findings findings = {0};
	struct hc_plan plan;
	struct hc_ctx ctx;
	int error;

	if (size == 0)
		return 0;
	pick = data[0] % (sizeof(files) / sizeof(files[0]));
	write_file(files[pick], data + 1, size - 1);
	if (hc_root_open(&root, root_dir) < 0)
		abort();
	hc_ctx_init(&ctx, root, aug, profile);
	hc_plan_init(&plan);
	error = hc_engine_plan(&plan, &findings, &ctx, &only[pick]);
	if (error < 0)
		FUZZ_ASSERT(strstr(hc_error_last()->message,
				   "please report this bug") == NULL);
	hc_plan_release(&plan);
	hc_findings_release(&findings);
	hc_ctx_release(&ctx);
	hc_root_free(root);
	remove_file(files[pick]);
	hc_error_clear();
	return 0;
}
