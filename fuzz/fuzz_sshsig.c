/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The SSHSIG reader (a store commit's gpgsig header, which anyone who
 * can write the store controls): whatever the bytes, it accepts them or
 * refuses them as unsafe, reading no byte outside them; the signature
 * checks, new and old, do the same, and a signature this key made over
 * the fuzz input itself is always good.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "hardctl/sign.h"
#include "fuzz.h"

static struct hc_signer *signer;
static char key_dir[] = "/tmp/hardctl-fuzz-sshsig-XXXXXX";

static void cleanup(void)
{
	char path[sizeof(key_dir) + 8];

	hc_signer_free(signer);
	snprintf(path, sizeof(path), "%s/key", key_dir);
	unlink(path);
	rmdir(key_dir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char path[sizeof(key_dir) + 8];
	bool created;

	(void)argc;
	(void)argv;
	if (mkdtemp(key_dir) == NULL)
		abort();
	snprintf(path, sizeof(path), "%s/key", key_dir);
	if (hc_signer_load(&signer, path, true, &created) < 0)
		abort();
	atexit(cleanup);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct hc_sshsig parsed;
	struct hc_buf sig = HC_BUF_INIT;
	char *text;
	int r;

	/* In a buffer of its own size, so that a read past it is caught. */
	if ((text = malloc(size ? size : 1)) == NULL)
		return 0;
	memcpy(text, data, size);
	r = hc_sshsig_parse(&parsed, text, size);
	FUZZ_ASSERT(r == 0 || r == HC_EUNSAFE);
	free(text);

	if ((text = malloc(size + 1)) == NULL)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	r = hc_signer_verify(signer, "fuzz", 4, text);
	FUZZ_ASSERT(r == 0 || r == HC_EUNSAFE);
	r = hc_signer_verify_old(signer, "fuzz", 4, text);
	FUZZ_ASSERT(r == 0 || r == HC_EUNSAFE);

	FUZZ_ASSERT(hc_signer_sign(&sig, signer, data, size) == 0);
	FUZZ_ASSERT(hc_sshsig_parse(&parsed, sig.ptr, sig.size) == 0);
	FUZZ_ASSERT(hc_signer_verify(signer, data, size, sig.ptr) == 0);
	hc_buf_release(&sig);
	free(text);
	hc_error_clear();
	return 0;
}
