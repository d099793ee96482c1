/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The Augeas layer (see hardctl/aug.h).  Trees live at /hc/N and the
 * text each was parsed from at /hc-text/N: numbered labels need no
 * escaping, whatever characters a file's path holds.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "hardctl/aug.h"

struct hc_aug {
	augeas *aug;
	unsigned int next_id;
};

int hc_aug_error(struct hc_aug *aug, const char *what)
{
	const char *minor = aug_error_minor_message(aug->aug);
	const char *details = aug_error_details(aug->aug);

	hc_error_set("%s: %s%s%s%s%s", what, aug_error_message(aug->aug),
		     minor ? ": " : "", minor ? minor : "",
		     details ? ": " : "", details ? details : "");
	return HC_ERROR;
}

int hc_aug_open(struct hc_aug **out, const char *lensdir)
{
	struct hc_aug *aug;

	*out = NULL;
	if ((aug = calloc(1, sizeof(*aug))) == NULL)
		return hc_error_oom();
	aug->aug = aug_init(NULL, lensdir,
			    AUG_NO_LOAD | AUG_NO_MODL_AUTOLOAD |
				    AUG_ENABLE_SPAN | AUG_NO_ERR_CLOSE);
	if (aug->aug == NULL || aug_error(aug->aug) != AUG_NOERROR) {
		if (aug->aug)
			hc_aug_error(aug, "cannot start Augeas");
		else
			hc_error_set("cannot start Augeas: out of memory");
		hc_aug_free(aug);
		return HC_ERROR;
	}
	*out = aug;
	return 0;
}

void hc_aug_free(struct hc_aug *aug)
{
	if (aug == NULL)
		return;
	aug_close(aug->aug);
	free(aug);
}

augeas *hc_aug_handle(struct hc_aug *aug)
{
	return aug->aug;
}

static void text_path(char out[48], const char *tree)
{
	/* "/hc/N" -> "/hc-text/N" */
	snprintf(out, 48, "/hc-text%s", tree + 3);
}

/*
 * Turn the error node aug_text_store/retrieve left for TREE into the
 * last error, blaming NAME, and remove the node so the next call on the
 * same tree starts clean.
 */
static int text_error(struct hc_aug *aug, const char *tree, const char *name,
		      const char *what)
{
	const char *kind = NULL, *line = NULL, *col = NULL, *msg = NULL;
	char path[96];
	unsigned long lineno = 0;

	snprintf(path, sizeof(path), "/augeas/text%s/error", tree);
	if (aug_get(aug->aug, path, &kind) != 1 || kind == NULL) {
		hc_aug_error(aug, what);
		hc_error_prefix("%s", name);
		return HC_ERROR;
	}
	snprintf(path, sizeof(path), "/augeas/text%s/error/line", tree);
	aug_get(aug->aug, path, &line);
	snprintf(path, sizeof(path), "/augeas/text%s/error/char", tree);
	aug_get(aug->aug, path, &col);
	snprintf(path, sizeof(path), "/augeas/text%s/error/message", tree);
	aug_get(aug->aug, path, &msg);
	if (line)
		lineno = strtoul(line, NULL, 10);
	hc_error_set_at(name, (unsigned int)lineno, "%s%s%s (%s%s%s)", what,
			msg ? ": " : "", msg ? msg : "", kind,
			col ? ", column " : "", col ? col : "");
	snprintf(path, sizeof(path), "/augeas/text%s", tree);
	aug_rm(aug->aug, path);
	return HC_ERROR;
}

/* The line (from 1) of byte OFFSET of TEXT. */
static unsigned int line_at(const char *text, size_t offset)
{
	unsigned int line = 1;

	for (size_t i = 0; i < offset; i++)
		line += text[i] == '\n';
	return line;
}

int hc_aug_parse(char tree[32], struct hc_aug *aug, const char *lens,
		 const char *name, const char *text, size_t len)
{
	char text_node[48];
	const char *nul;

	if ((nul = memchr(text, '\0', len)) != NULL) {
		hc_error_set_at(name, 0,
				"holds a NUL byte at offset %zu: not a text file",
				(size_t)(nul - text));
		return hc_error_set_code(HC_EINVALID);
	}
	/*
	 * Augeas marks its own structure with bytes 1 to 4: in a file they
	 * make it render nothing, or abort.  Refuse them as a NUL is.
	 */
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)text[i];

		if (c >= 0x01 && c <= 0x04) {
			hc_error_set_at(name, line_at(text, i),
					"holds the control byte 0x%02x, which Augeas cannot "
					"read: not a text file", c);
			return hc_error_set_code(HC_EINVALID);
		}
	}
	snprintf(tree, 32, "/hc/%u", ++aug->next_id);
	text_path(text_node, tree);
	if (aug_set(aug->aug, text_node, text) < 0)
		return hc_aug_error(aug, "cannot hand a file to Augeas");
	if (aug_text_store(aug->aug, lens, text_node, tree) < 0) {
		int error;

		if (aug_error(aug->aug) == AUG_ENOLENS ||
		    aug_error(aug->aug) == AUG_ESYNTAX) {
			hc_aug_error(aug, "cannot load lens");
			error = HC_ERROR;
		} else {
			text_error(aug, tree, name, "cannot parse");
			error = hc_error_set_code(HC_EPARSE);
		}
		hc_aug_drop(aug, tree);
		return error;
	}
	return 0;
}

int hc_aug_render(struct hc_buf *out, struct hc_aug *aug, const char *lens,
		  const char *tree, const char *name)
{
	char text_node[48], out_node[48];
	const char *value = NULL;
	int error = 0;

	text_path(text_node, tree);
	snprintf(out_node, sizeof(out_node), "/hc-out%s", tree + 3);
	if (aug_text_retrieve(aug->aug, lens, text_node, tree, out_node) < 0)
		return text_error(aug, tree, name, "cannot render");
	if (aug_get(aug->aug, out_node, &value) != 1) {
		hc_aug_error(aug, "cannot read rendered text");
		error = HC_ERROR;
	} else {
		error = hc_buf_set(out, value ? value : "",
				   value ? strlen(value) : 0);
	}
	aug_rm(aug->aug, out_node);
	return error;
}

unsigned int hc_aug_line(struct hc_aug *aug, const char *node, const char *text)
{
	unsigned int label_start, label_end, value_start, value_end;
	unsigned int span_start, span_end, line = 1;
	char *filename = NULL;

	if (aug_span(aug->aug, node, &filename, &label_start, &label_end,
		     &value_start, &value_end, &span_start, &span_end) < 0)
		return 0;
	free(filename);
	for (unsigned int i = 0; i < span_start && text[i]; i++)
		if (text[i] == '\n')
			line++;
	return line;
}

void hc_aug_drop(struct hc_aug *aug, const char *tree)
{
	char path[64];

	aug_rm(aug->aug, tree);
	text_path(path, tree);
	aug_rm(aug->aug, path);
	snprintf(path, sizeof(path), "/augeas/text%s", tree);
	aug_rm(aug->aug, path);
}
