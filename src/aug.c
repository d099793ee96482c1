/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The Augeas layer (see hardctl/aug.h).  Trees live at /hc/H/L and the
 * text each was parsed from at /hc-text/H/L: numbered labels need no
 * escaping, whatever characters a file's path holds.  Augeas finds a
 * node by walking its siblings, so the ids are split in two levels of
 * at most HC_AUG_FANOUT siblings each: thousands of files (sysctl.d
 * drop-ins) cost each lookup a bounded walk, not one as long as the
 * number of files read.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "hardctl/aug.h"
#include "hardctl/trace.h"

#define HC_AUG_FANOUT 256u

struct tree_note {
	const char *text; /* hc_aug_text(), once asked; NULL: ask Augeas */
	bool reshaped;    /* hc_aug_reshaped() */
};

struct hc_aug {
	augeas *aug;
	unsigned int next_id;
	/* The cursor that last moved each cursor variable. */
	const struct hc_aug_cursor *holder[2];
	/* Entry I: what is known of tree I ("/hc/H/L", I = H * FANOUT + L). */
	struct tree_note *notes;
	size_t nnotes;
	bool all_reshaped; /* out of memory marking one: take none as kept */
};

int hc_aug_error(struct hc_aug *aug, const char *what)
{
	const char *minor = aug_error_minor_message(aug->aug);
	const char *details = aug_error_details(aug->aug);

	hc_error_set("%s: %s%s%s%s%s", what, aug_error_message(aug->aug),
		     minor ? ": " : "", minor ? minor : "", details ? ": " : "",
		     details ? details : "");
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
	/*
	 * Every path hardctl gives is absolute or starts at a variable.
	 * Augeas resolves the context ("/files") for every call all the
	 * same, a second path parsed and walked each time: with none, it
	 * stops at reading /augeas/context.
	 */
	if (aug_rm(aug->aug, "/augeas/context") < 0) {
		hc_aug_error(aug, "cannot start Augeas");
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
	free(aug->notes);
	free(aug);
}

augeas *hc_aug_handle(struct hc_aug *aug)
{
	return aug->aug;
}

static void text_path(char out[48], const char *tree)
{
	/* "/hc/H/L" -> "/hc-text/H/L" */
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

/* The line (from 1) of byte OFFSET of TEXT, which ends at its NUL. */
static unsigned int line_at(const char *text, size_t offset)
{
	const char *p = text, *end = text + strnlen(text, offset);
	unsigned int line = 1;

	/* memchr skips a line's bytes many at a time: evidence asks often. */
	while ((p = memchr(p, '\n', (size_t)(end - p))) != NULL) {
		line++;
		p++;
	}
	return line;
}

/* Refuse what Augeas cannot take: NUL, its own marker bytes, a huge file. */
static int check_text(const char *name, const char *text, size_t len)
{
	const char *nul;

	if (len > HC_AUG_MAX_TEXT) {
		hc_error_set_at(
		    name, 0,
		    "%zu bytes: more than the %u hardctl parses (Augeas "
		    "slows down with the square of a file's size); nothing was "
		    "changed",
		    len, HC_AUG_MAX_TEXT);
		return hc_error_set_code(HC_EINVALID);
	}
	if ((nul = memchr(text, '\0', len)) != NULL) {
		hc_error_set_at(
		    name, line_at(text, (size_t)(nul - text)),
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
					"holds the control byte 0x%02x, which "
					"Augeas cannot "
					"read: not a text file",
					c);
			return hc_error_set_code(HC_EINVALID);
		}
	}
	return 0;
}

/* The node that marks TREE as parsed with a newline added at the end. */
static void added_newline_path(char out[48], const char *tree)
{
	snprintf(out, 48, "/hc-nonl%s", tree + 3);
}

/* Parse TEXT into a new tree; 1 when the lens does not match, -1 on error. */
static int store_text(char tree[32], struct hc_aug *aug, const char *lens,
		      const char *text)
{
	char text_node[48];

	++aug->next_id;
	snprintf(tree, 32, "/hc/%u/%u", aug->next_id / HC_AUG_FANOUT,
		 aug->next_id % HC_AUG_FANOUT);
	text_path(text_node, tree);
	if (aug_set(aug->aug, text_node, text) < 0)
		return -1;
	if (aug_text_store(aug->aug, lens, text_node, tree) == 0)
		return 0;
	return aug_error(aug->aug) == AUG_ENOLENS ||
		       aug_error(aug->aug) == AUG_ESYNTAX
		   ? -1
		   : 1;
}

/*
 * A file whose last line has no newline fails most lenses.  Parse it
 * with one added, and mark the tree so rendering takes it off again:
 * the file keeps its form.  0 when that parses; the caller reports the
 * first failure otherwise.
 */
static int store_without_newline(char tree[32], struct hc_aug *aug,
				 const char *lens, const char *text, size_t len)
{
	struct hc_buf with = HC_BUF_INIT;
	char mark[48], first[32];
	int r;

	if (len == 0 || text[len - 1] == '\n' ||
	    hc_buf_set(&with, text, len) < 0 || hc_buf_puts(&with, "\n") < 0) {
		hc_buf_release(&with);
		return 1;
	}
	memcpy(first, tree, 32);
	r = store_text(tree, aug, lens, with.ptr);
	hc_buf_release(&with);
	if (r != 0) {
		hc_aug_drop(aug, tree);
		memcpy(tree, first, 32);
		return 1;
	}
	hc_aug_drop(aug, first);
	added_newline_path(mark, tree);
	return aug_set(aug->aug, mark, "1") < 0 ? -1 : 0;
}

int hc_aug_parse(char tree[32], struct hc_aug *aug, const char *lens,
		 const char *name, const char *text, size_t len)
{
	int error, r;

	if ((error = check_text(name, text, len)) < 0)
		return error;
	hc_trace_note(HC_TRACE_LENS, name, lens);
	r = store_text(tree, aug, lens, text);
	if (r > 0)
		r = store_without_newline(tree, aug, lens, text, len) == 0 ? 0
									   : 1;
	if (r == 0)
		return 0;
	if (r < 0) {
		hc_aug_error(aug, "cannot load lens");
		error = HC_ERROR;
	} else {
		/* Most lenses take "\n" only: say so rather than leave it to
		 * guesswork. */
		text_error(
		    aug, tree, name,
		    memmem(text, len, "\r\n", 2)
			? "cannot parse (the file has CRLF line ends, which "
			  "this file's "
			  "format does not take: convert it with dos2unix)"
			: "cannot parse");
		error = hc_error_set_code(HC_EPARSE);
	}
	hc_aug_drop(aug, tree);
	return error;
}

/* Tree TREE's number ("/hc/H/L": H * HC_AUG_FANOUT + L). */
static size_t tree_id(const char *tree)
{
	unsigned long high = 0, low = 0;

	if (sscanf(tree, "/hc/%lu/%lu", &high, &low) != 2)
		return SIZE_MAX;
	return (size_t)high * HC_AUG_FANOUT + (size_t)low;
}

/* The note of tree TREE, made if need be; NULL out of memory. */
static struct tree_note *note_of(struct hc_aug *aug, const char *tree)
{
	size_t id = tree_id(tree);

	if (id == SIZE_MAX)
		return NULL;
	if (id >= aug->nnotes) {
		size_t n = id < 2 * aug->nnotes ? 2 * aug->nnotes : id + 1;
		struct tree_note *v = realloc(aug->notes, n * sizeof(*v));

		if (v == NULL)
			return NULL;
		memset(v + aug->nnotes, 0, (n - aug->nnotes) * sizeof(*v));
		aug->notes = v;
		aug->nnotes = n;
	}
	return &aug->notes[id];
}

/* Tree TREE's note if it has one, or NULL. */
static const struct tree_note *note_found(const struct hc_aug *aug,
					  const char *tree)
{
	size_t id = tree_id(tree);

	return id < aug->nnotes ? &aug->notes[id] : NULL;
}

/*
 * Remember TEXT (a string of the tree's, or NULL) as hc_aug_text() of
 * TREE.  Out of memory, nothing is kept: Augeas is asked again.
 */
static void text_note(struct hc_aug *aug, const char *tree, const char *text)
{
	struct tree_note *note;

	if (text == NULL && note_found(aug, tree) == NULL)
		return; /* nothing to forget */
	if ((note = note_of(aug, tree)) != NULL)
		note->text = text;
}

/*
 * Set OUT to VALUE, the text rendered for TREE (NULL: nothing), less the
 * newline parsing added when the file had none at its end.
 */
static int rendered(struct hc_buf *out, struct hc_aug *aug, const char *tree,
		    const char *value, size_t len)
{
	char mark[48];

	added_newline_path(mark, tree);
	if (len && value[len - 1] == '\n' && aug_get(aug->aug, mark, NULL) == 1)
		len--;
	return hc_buf_set(out, value ? value : "", len);
}

/* hc_aug_render(); QUIET: 1, nothing said, when LENS cannot render it. */
static int render(struct hc_buf *out, struct hc_aug *aug, const char *lens,
		  const char *tree, const char *name, bool quiet)
{
	char text_node[48], out_node[48];
	const char *value = NULL;
	int error = 0;

	text_path(text_node, tree);
	snprintf(out_node, sizeof(out_node), "/hc-out%s", tree + 3);
	if (aug_text_retrieve(aug->aug, lens, text_node, tree, out_node) < 0) {
		char path[96];

		/* Its spans moved part of the way: the parse's text then. */
		text_note(aug, tree, NULL);
		if (!quiet)
			error = text_error(aug, tree, name, "cannot render");
		snprintf(path, sizeof(path), "/augeas/text%s", tree);
		aug_rm(aug->aug, path);
		aug_rm(aug->aug, out_node);
		return quiet ? 1 : error;
	}
	if (aug_get(aug->aug, out_node, &value) != 1) {
		hc_aug_error(aug, "cannot read rendered text");
		error = HC_ERROR;
	} else {
		error =
		    rendered(out, aug, tree, value, value ? strlen(value) : 0);
	}
	/*
	 * The render moved the tree's spans into the text it wrote: kept,
	 * it is what hc_aug_text() counts lines in.
	 */
	if (error < 0)
		aug_rm(aug->aug, out_node);
	text_note(aug, tree, error < 0 ? NULL : value);
	return error;
}

const char *hc_aug_text(struct hc_aug *aug, const char *tree)
{
	const struct tree_note *note = note_found(aug, tree);
	char node[48];
	const char *text = NULL;

	/* Asked for each line of evidence: Augeas's lookup costs a path. */
	if (note && note->text)
		return note->text;
	snprintf(node, sizeof(node), "/hc-out%s", tree + 3);
	if (aug_get(aug->aug, node, &text) != 1 || text == NULL) {
		text_path(node, tree);
		if (aug_get(aug->aug, node, &text) != 1)
			text = NULL;
	}
	text_note(aug, tree, text);
	return text;
}

int hc_aug_render(struct hc_buf *out, struct hc_aug *aug, const char *lens,
		  const char *tree, const char *name)
{
	return render(out, aug, lens, tree, name, false);
}

int hc_aug_render_with(struct hc_buf *out, struct hc_aug *aug, const char *lens,
		       const char *tree)
{
	return render(out, aug, lens, tree, NULL, true);
}

void hc_aug_reshaped(struct hc_aug *aug, const char *tree)
{
	struct tree_note *note = note_of(aug, tree);

	if (note)
		note->reshaped = true;
	else
		aug->all_reshaped = true; /* keeps no tree: all whole */
}

static bool is_reshaped(const struct hc_aug *aug, const char *tree)
{
	const struct tree_note *note = note_found(aug, tree);

	return aug->all_reshaped || tree_id(tree) == SIZE_MAX ||
	       (note && note->reshaped);
}

#define PIECE_SRC "hc_piece_src"
#define PIECE_DST "hc_piece_dst"
#define NEXT "/following-sibling::*[1]"

/* Define VAR as the nodes of path BASE then STEP: their count, or -1. */
static int define(struct hc_aug *aug, const char *var, const char *base,
		  const char *step)
{
	struct hc_buf expr = HC_BUF_INIT;
	int n;

	if (hc_buf_printf(&expr, "%s%s", base, step) < 0)
		return -1;
	n = aug_defvar(aug->aug, var, expr.ptr);
	hc_buf_release(&expr);
	return n;
}

/* Whether S is a number as a "seq" writes it (no leading 0): *N its value. */
static bool seq_number(const char *s, unsigned long *n)
{
	char *end;

	if (*s < '1' || *s > '9')
		return false;
	errno = 0;
	*n = strtoul(s, &end, 10);
	return *end == '\0' && errno == 0;
}

/*
 * The lenses whose pieces render as the whole does.  Below a top-level
 * node each has no "seq" number that runs on from one node to the next
 * (a piece would count from 1 again, and its layout would not be found:
 * Sshd's AllowUsers and AcceptEnv words) and no node without a label
 * (aug_cp() copies none: Sshd's blank lines in a Match block, the "="
 * of Hardctl_Sysctl's "KEY =", Rsyslog's and Syslog's program blocks).
 * SEQ: its top-level numbers are a "seq"'s, counted again from 1 in a
 * piece; any other's labels are the file's words, the same in a piece.
 * Suite aug renders each both ways.
 */
static const struct {
	const char *lens;
	bool seq;
} piece_lenses[] = {
    {"Group.lns", false},         {"Hardctl_Pwquality.lns", false},
    {"Hardctl_Snmpd.lns", false}, {"Hardctl_Vmx.lns", false},
    {"Login_Defs.lns", false},    {"Pam.lns", true},
    {"Passwd.lns", false},        {"Shadow.lns", false},
};

/* LENS's entry in piece_lenses, or -1. */
static int piece_lens(const char *lens)
{
	for (size_t i = 0; i < sizeof(piece_lenses) / sizeof(*piece_lenses);
	     i++)
		if (strcmp(lens, piece_lenses[i].lens) == 0)
			return (int)i;
	return -1;
}

/*
 * Whether top-level node label WHOLE of the tree and PIECE of a piece's
 * parse are the same node's: the same, or with SEQ, where the lens
 * numbers its records with a "seq" that starts again at 1 in a piece,
 * WHOLE is PIECE plus RECORDS, the records of the pieces before.
 */
static bool same_label(const char *whole, const char *piece, bool seq,
		       size_t records)
{
	unsigned long w, p;

	if (whole == NULL || piece == NULL)
		return false;
	if (!seq || !seq_number(piece, &p))
		return strcmp(whole, piece) == 0;
	return seq_number(whole, &w) && w >= p && w - p == records;
}

/* Where in its text the node VAR names starts and ends; false if unknown. */
static bool span_of(struct hc_aug *aug, const char *var, unsigned int *start,
		    unsigned int *end)
{
	unsigned int label_start, label_end, value_start, value_end;
	char *filename = NULL;
	int r = aug_span(aug->aug, var, &filename, &label_start, &label_end,
			 &value_start, &value_end, start, end);

	free(filename);
	return r == 0;
}

/*
 * Whether the piece's node $PIECE_DST covers, from piece offset START,
 * the bytes the tree's $PIECE_SRC covers in the whole text: the piece
 * read those bytes as the whole parse did, the same node.
 */
static bool same_span(struct hc_aug *aug, size_t start)
{
	unsigned int ws, we, ps, pe;

	return span_of(aug, "$" PIECE_SRC, &ws, &we) &&
	       span_of(aug, "$" PIECE_DST, &ps, &pe) &&
	       (size_t)ws == (size_t)ps + start &&
	       (size_t)we == (size_t)pe + start;
}

/*
 * Render the piece of TEXT from START to END (whole lines), whose parse
 * stands in for the top-level nodes of the tree from $PIECE_SRC on:
 * each takes the value and children of the tree's node in its place,
 * PIECE_SRC then names the next.  Appends to OUT and adds the piece's
 * records to *RECORDS (SEQ: see same_label()); 1 when the piece does
 * not parse alone, holds other nodes or does not render.
 */
static int render_piece(struct hc_buf *out, size_t *records, struct hc_aug *aug,
			const char *lens, bool seq, const char *text,
			size_t start, size_t end)
{
	struct hc_buf piece = HC_BUF_INIT;
	char tree[32] = "", text_node[48], out_node[48];
	const char *value = NULL;
	size_t own_records = 0;
	int r = 1, n, stored;

	if (hc_buf_set(&piece, text + start, end - start) < 0)
		return HC_ERROR;
	stored = store_text(tree, aug, lens, piece.ptr);
	hc_buf_release(&piece);
	if (stored != 0)
		goto out; /* as any failure here: the whole render says it */
	for (n = define(aug, PIECE_DST, tree, "/*[1]"); n == 1;
	     n = define(aug, PIECE_DST, "$" PIECE_DST, NEXT)) {
		const char *whole = NULL, *own = NULL;
		unsigned long number;

		if (aug_ns_label(aug->aug, PIECE_SRC, 0, &whole, NULL) < 0 ||
		    aug_ns_label(aug->aug, PIECE_DST, 0, &own, NULL) < 0 ||
		    !same_label(whole, own, seq, *records) ||
		    !same_span(aug, start) ||
		    aug_cp(aug->aug, "$" PIECE_SRC, "$" PIECE_DST) < 0)
			goto out;
		own_records += seq && seq_number(own, &number);
		/* Past the last node, PIECE_SRC is empty. */
		if (define(aug, PIECE_SRC, "$" PIECE_SRC, NEXT) < 0)
			goto out;
	}
	if (n < 0)
		goto out;
	text_path(text_node, tree);
	snprintf(out_node, sizeof(out_node), "/hc-out%s", tree + 3);
	if (aug_text_retrieve(aug->aug, lens, text_node, tree, out_node) == 0 &&
	    aug_get(aug->aug, out_node, &value) == 1 && value &&
	    (r = hc_buf_puts(out, value)) == 0)
		*records += own_records;
	aug_rm(aug->aug, out_node);
out:
	if (tree[0])
		hc_aug_drop(aug, tree);
	return r;
}

int hc_aug_render_pieces(struct hc_buf *out, struct hc_aug *aug,
			 const char *lens, const char *tree, size_t lines)
{
	struct hc_buf all = HC_BUF_INIT;
	char text_node[48];
	const char *text = NULL;
	size_t len, start = 0, count = 0, records = 0;
	int r = 1, which;

	text_path(text_node, tree);
	if (lines == 0 || (which = piece_lens(lens)) < 0 ||
	    is_reshaped(aug, tree) ||
	    aug_get(aug->aug, text_node, &text) != 1 || text == NULL)
		return 1;
	len = strlen(text);
	for (const char *p = text;
	     (p = memchr(p, '\n', len - (size_t)(p - text))); p++)
		if (++count > 2 * lines)
			break;
	if (count <= 2 * lines)
		return 1; /* a few pieces save less than they cost */
	if (define(aug, PIECE_SRC, tree, "/*[1]") != 1)
		goto out;
	while (start < len) {
		size_t end = start;

		for (size_t k = 0; k < lines && end < len; k++) {
			const char *nl = memchr(text + end, '\n', len - end);

			end = nl ? (size_t)(nl - text) + 1 : len;
		}
		if ((r = render_piece(&all, &records, aug, lens,
				      piece_lenses[which].seq, text, start,
				      end)) != 0)
			goto out;
		start = end;
	}
	r = 1;
	/* Every node of the tree found its place. */
	if (define(aug, PIECE_SRC, "$" PIECE_SRC, "") == 0)
		r = rendered(out, aug, tree, all.ptr, all.size);
out:
	aug_defvar(aug->aug, PIECE_SRC, NULL);
	aug_defvar(aug->aug, PIECE_DST, NULL);
	hc_buf_release(&all);
	return r;
}

#define CHILDREN_VAR "hc_children"

/* Define CHILDREN_VAR as NODE's children; their count, or HC_ERROR. */
static int children_var(struct hc_aug *aug, const char *node)
{
	struct hc_buf expr = HC_BUF_INIT;
	int n;

	if (hc_buf_printf(&expr, "%s/*", node) < 0)
		return HC_ERROR;
	if ((n = aug_defvar(aug->aug, CHILDREN_VAR, expr.ptr)) < 0)
		n = hc_aug_error(aug, "cannot match nodes");
	hc_buf_release(&expr);
	return n;
}

int hc_aug_children(struct hc_aug_children *out, struct hc_aug *aug,
		    const char *node)
{
	int n, error = 0;

	memset(out, 0, sizeof(*out));
	/* One walk of the tree: each child then costs no path of its own. */
	if ((n = children_var(aug, node)) < 0) {
		error = n;
		goto out;
	}
	if ((out->node = hc_strdup(node)) == NULL ||
	    (out->label = calloc((size_t)n + 1, sizeof(*out->label))) == NULL ||
	    (out->value = calloc((size_t)n + 1, sizeof(*out->value))) == NULL) {
		error = hc_error_oom();
		goto out;
	}
	out->aug = aug;
	for (int i = 0; i < n && error == 0; i++)
		if (aug_ns_label(aug->aug, CHILDREN_VAR, i, &out->label[i],
				 NULL) < 0 ||
		    aug_ns_value(aug->aug, CHILDREN_VAR, i, &out->value[i]) < 0)
			error = hc_aug_error(aug, "cannot read nodes");
	out->n = (size_t)n;
out:
	aug_defvar(aug->aug, CHILDREN_VAR, NULL);
	if (error < 0)
		hc_aug_children_release(out);
	return error;
}

int hc_aug_child_path(char **out, const struct hc_aug_children *children,
		      size_t i)
{
	struct hc_aug *aug = children->aug;
	int n, error = 0;

	*out = NULL;
	if ((n = children_var(aug, children->node)) < 0)
		return n;
	if ((size_t)n != children->n || i >= children->n) {
		hc_error_set("%s: the tree changed while it was read",
			     children->node);
		error = HC_ERROR;
	} else if (aug_ns_path(aug->aug, CHILDREN_VAR, (int)i, out) < 0 ||
		   *out == NULL) {
		error = hc_aug_error(aug, "cannot name a node");
	}
	aug_defvar(aug->aug, CHILDREN_VAR, NULL);
	return error;
}

void hc_aug_children_release(struct hc_aug_children *children)
{
	free(children->node);
	free(children->label);
	free(children->value);
	memset(children, 0, sizeof(*children));
}

/* The slot of the cursor variable VAR ("$hc_cursor", "$hc_node"). */
static size_t holder_slot(const char *var)
{
	return strcmp(var, HC_AUG_NODE) == 0;
}

int hc_aug_cursor_init(struct hc_aug_cursor *cursor, struct hc_aug *aug,
		       const char *node, const char *var)
{
	cursor->aug = aug;
	cursor->at = SIZE_MAX;
	cursor->var = var;
	if ((cursor->node = hc_strdup(node)) == NULL)
		return HC_ERROR;
	return 0;
}

int hc_aug_cursor_seek(struct hc_aug_cursor *cursor, size_t i)
{
	const struct hc_aug_cursor **holder =
	    &cursor->aug->holder[holder_slot(cursor->var)];
	struct hc_buf expr = HC_BUF_INIT;
	int n, error;

	if (*holder != cursor)
		cursor->at = SIZE_MAX;
	if (cursor->at == i)
		return 0;
	*holder = cursor;
	/* Augeas evaluates a step whose only predicate is a number by
	 * counting to it: the walk stops there. */
	if (cursor->at == SIZE_MAX || i < cursor->at)
		error = hc_buf_printf(&expr, "%s/*[%zu]", cursor->node, i + 1);
	else
		error = hc_buf_printf(&expr, "%s/following-sibling::*[%zu]",
				      cursor->var, i - cursor->at);
	if (error < 0)
		return error;
	n = aug_defvar(cursor->aug->aug, cursor->var + 1, expr.ptr);
	hc_buf_release(&expr);
	if (n < 0)
		return hc_aug_error(cursor->aug, "cannot walk the nodes");
	if (n != 1) {
		aug_defvar(cursor->aug->aug, cursor->var + 1, NULL);
		cursor->at = SIZE_MAX;
		hc_error_set("%s: no node %zu", cursor->node, i + 1);
		return HC_ERROR;
	}
	cursor->at = i;
	return 0;
}

const char *hc_aug_cursor_label(const struct hc_aug_cursor *cursor)
{
	const char *label = NULL;

	if (cursor->at == SIZE_MAX ||
	    cursor->aug->holder[holder_slot(cursor->var)] != cursor ||
	    aug_ns_label(cursor->aug->aug, cursor->var + 1, 0, &label, NULL) <
		0)
		return NULL;
	return label;
}

void hc_aug_cursor_release(struct hc_aug_cursor *cursor)
{
	if (cursor->aug &&
	    cursor->aug->holder[holder_slot(cursor->var)] == cursor) {
		cursor->aug->holder[holder_slot(cursor->var)] = NULL;
		aug_defvar(cursor->aug->aug, cursor->var + 1, NULL);
	}
	free(cursor->node);
	memset(cursor, 0, sizeof(*cursor));
}

unsigned int hc_aug_line(struct hc_aug *aug, const char *node, const char *text)
{
	unsigned int label_start, label_end, value_start, value_end;
	unsigned int span_start, span_end;
	char *filename = NULL;

	if (aug_span(aug->aug, node, &filename, &label_start, &label_end,
		     &value_start, &value_end, &span_start, &span_end) < 0)
		return 0;
	free(filename);
	return line_at(text, span_start);
}

void hc_aug_drop(struct hc_aug *aug, const char *tree)
{
	const char *id = tree + 3; /* "/H/L" */
	char path[160];

	/* One removal, its path parsed and walked once, not four. */
	snprintf(path, sizeof(path),
		 "%s | /hc-text%s | /hc-out%s | /hc-nonl%s | /augeas/text%s",
		 tree, id, id, id, tree);
	aug_rm(aug->aug, path);
	text_note(aug, tree, NULL);
}
