/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The manifest parser (the store's state file and every commit's
 * manifest): whatever it accepts, it writes back in a form it reads as
 * the same manifest, byte for byte; recording and forgetting rules
 * keeps that so.
 */
#include <stdio.h>
#include <stdlib.h>
#include "hardctl/manifest.h"
#include "fuzz.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	return 0;
}

/* Format M, parse that again, and check the second format is the first. */
static void round_trip(const struct hc_manifest *m)
{
	struct hc_manifest again = {0};
	struct hc_buf text = HC_BUF_INIT, text2 = HC_BUF_INIT;

	FUZZ_ASSERT(hc_manifest_format(&text, m) == 0);
	FUZZ_ASSERT(hc_manifest_parse(&again, text.ptr, text.size, "again") ==
		    0);
	FUZZ_ASSERT(again.n == m->n);
	FUZZ_ASSERT(hc_manifest_format(&text2, &again) == 0);
	FUZZ_ASSERT(hc_buf_equal(&text, &text2));
	hc_manifest_release(&again);
	hc_buf_release(&text);
	hc_buf_release(&text2);
}

/* Record a rule on every entry, then forget it: the manifest reads back each
 * time. */
static void own_and_disown(struct hc_manifest *m)
{
	for (size_t i = 0; i < m->n; i++) {
		FUZZ_ASSERT(hc_manifest_find(m, m->v[i].path) == &m->v[i]);
		FUZZ_ASSERT(
		    hc_manifest_own(m, m->v[i].path, "fuzz.rule", 4242) == 0);
		FUZZ_ASSERT(hc_manifest_owner(&m->v[i], "fuzz.rule") == 4242);
	}
	round_trip(m);
	hc_manifest_disown(m, 4242, NULL);
	for (size_t i = 0; i < m->n; i++)
		FUZZ_ASSERT(hc_manifest_owner(&m->v[i], "fuzz.rule") == 0);
	round_trip(m);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct hc_manifest m = {0};

	if (hc_manifest_parse(&m, (const char *)data, size, "fuzz") == 0) {
		round_trip(&m);
		own_and_disown(&m);
	}
	hc_manifest_release(&m);
	return 0;
}
