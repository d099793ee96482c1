/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The project's own lenses, as a smoke test (Augeas itself is not
 * instrumented): the first byte picks a lens, the rest is the file.
 * Whatever a lens parses, it renders back unchanged (Augeas's PutGet
 * law), since hardctl writes back the files it only read; rendered in
 * pieces of 1 to 4 lines (the first byte's higher bits), where the
 * pieces take it, the same; and the same again when only the lines of
 * one top-level node and the first are rendered (as noted edited).
 * Then one node's value is cut by a byte, and a node added last (the
 * first byte's lowest bit): rendered by edited lines, it must be the
 * whole render byte for byte, and parse back to the tree where the
 * render vouches that it does.
 */
#include <augeas.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "hardctl/aug.h"
#include "hardctl/buf.h"
#include "hardctl/common.h"
#include "fuzz.h"

static const char *const lenses[] = {
    "Hardctl_Snmpd.lns",
    "Hardctl_Vmx.lns",
    "Hardctl_Text.lns",
    "Hardctl_Profile.lns",
};

static struct hc_aug *aug;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	if (hc_aug_open(&aug, HARDCTL_LENS_DIR) < 0)
		abort();
	return 0;
}

/*
 * TREE, parsed from TEXT with LENS, renders as TEXT: in pieces of LINES
 * lines and by the lines of two nodes (where they take it, vouching that
 * they parse back), then whole.
 */
static void renders_as_read(const char *lens, const char *tree,
			    const struct hc_buf *text, size_t lines)
{
	struct hc_buf out = HC_BUF_INIT, pieces = HC_BUF_INIT,
		      edited = HC_BUF_INIT;
	int r, e;

	/* Pieces first: the whole render moves the spans. */
	r = hc_aug_render_pieces(&pieces, aug, lens, tree, lines);
	FUZZ_ASSERT(r >= 0);
	hc_aug_edited(aug, tree, lines - 1);
	hc_aug_edited(aug, tree, 0);
	e = hc_aug_render_edited(&edited, aug, lens, tree);
	FUZZ_ASSERT(e >= 0);
	/* Vouched for (a small part of a long text), it parses back. */
	if (e == 0 && hc_aug_renders_back(aug, tree, edited.ptr, edited.size))
		FUZZ_ASSERT(
		    hc_aug_parses_to(aug, lens, edited.ptr, edited.size, tree));
	FUZZ_ASSERT(hc_aug_render(&out, aug, lens, tree, "fuzz") == 0);
	FUZZ_ASSERT(hc_buf_equal(&out, text));
	FUZZ_ASSERT(r > 0 || hc_buf_equal(&pieces, text));
	FUZZ_ASSERT(e > 0 || hc_buf_equal(&edited, text));
	hc_buf_release(&out);
	hc_buf_release(&pieces);
	hc_buf_release(&edited);
}

/* Set NODE of twin trees A and B to VALUE; false when Augeas cannot. */
static bool set_both(const char *a, const char *b, const char *node,
		     const char *value)
{
	char pa[96], pb[96];

	snprintf(pa, sizeof(pa), "%s/%s", a, node);
	snprintf(pb, sizeof(pb), "%s/%s", b, node);
	return aug_set(hc_aug_handle(aug), pa, value) == 0 &&
	       aug_set(hc_aug_handle(aug), pb, value) == 0;
}

/*
 * TEXT (parsed with LENS) edited as a rule edits: the value of top-level
 * node NODE less its first byte, and with APPEND a node added last.
 * Rendered by edited lines where they take it, it is the whole render
 * of a twin tree given the same edits, and parses back where vouched.
 */
static void edited_as_whole(const char *lens, const struct hc_buf *text,
			    size_t node, bool append)
{
	struct hc_buf one = HC_BUF_INIT, whole = HC_BUF_INIT;
	char ta[32] = "", tb[32] = "", at[32];
	const char *value = NULL;
	char *cut = NULL;
	int e;

	snprintf(at, sizeof(at), "*[%zu]", node + 1);
	if (hc_aug_parse(ta, aug, lens, "fuzz", hc_buf_cstr(text), text->size) <
		0 ||
	    hc_aug_parse(tb, aug, lens, "fuzz", hc_buf_cstr(text), text->size) <
		0)
		goto out;
	{
		char path[64];

		snprintf(path, sizeof(path), "%s/%s", ta, at);
		if (aug_get(hc_aug_handle(aug), path, &value) != 1 ||
		    value == NULL || strlen(value) < 2 ||
		    (cut = strdup(value + 1)) == NULL ||
		    !set_both(ta, tb, at, cut))
			goto out;
	}
	hc_aug_edited(aug, ta, node);
	if (append && set_both(ta, tb, "hcfuzz", "1"))
		hc_aug_appended(aug, ta);
	e = hc_aug_render_edited(&one, aug, lens, ta);
	FUZZ_ASSERT(e >= 0 || e == HC_ERROR);
	if (e == 0 && hc_aug_render(&whole, aug, lens, tb, "fuzz") == 0) {
		FUZZ_ASSERT(hc_buf_equal(&one, &whole));
		if (hc_aug_renders_back(aug, ta, one.ptr, one.size))
			FUZZ_ASSERT(
			    hc_aug_parses_to(aug, lens, one.ptr, one.size, ta));
	}
out:
	free(cut);
	if (ta[0])
		hc_aug_drop(aug, ta);
	if (tb[0])
		hc_aug_drop(aug, tb);
	hc_buf_release(&one);
	hc_buf_release(&whole);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *lens;
	struct hc_buf text = HC_BUF_INIT;
	size_t lines;
	char tree[32];

	if (size == 0)
		return 0;
	lens = lenses[data[0] % (sizeof(lenses) / sizeof(lenses[0]))];
	lines = 1 + (size_t)(data[0] / 4) % 4;
	/* As a file is read: into a buffer, NUL-terminated. */
	if (hc_buf_set(&text, data + 1, size - 1) < 0)
		abort();
	if (hc_aug_parse(tree, aug, lens, "fuzz", hc_buf_cstr(&text),
			 text.size) == 0) {
		renders_as_read(lens, tree, &text, lines);
		hc_aug_drop(aug, tree);
		edited_as_whole(lens, &text, lines - 1, data[0] & 1);
	}
	hc_error_clear();
	hc_buf_release(&text);
	return 0;
}
