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
#include <limits.h>
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
	bool reshaped;    /* hc_aug_reshaped(), ever since the parse */
	/*
	 * Since the parse: the top-level nodes hc_aug_edited() named, in no
	 * order, or UNKNOWN when that is not known (a node not named, the
	 * top level reshaped, a whole render made).
	 */
	size_t *edited;
	size_t nedited, edited_alloc;
	bool unknown;
	/* The top-level nodes hc_aug_appended() named, last of all. */
	size_t appended;
	/*
	 * What the last render wrote, when it was by edited lines and each
	 * piece parses back alone to the nodes it rendered: a parse of that
	 * text gives the tree again.  NULL after any edit, reshape or other
	 * render.
	 */
	char *back;
	size_t back_len;
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
	for (size_t i = 0; i < aug->nnotes; i++) {
		free(aug->notes[i].edited);
		free(aug->notes[i].back);
	}
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

/* The offset of TEXT's first byte 0x01 to 0x04 (Augeas's marks), or LEN. */
static size_t marker_byte(const char *text, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)text[i];

		if (c >= 0x01 && c <= 0x04)
			return i;
	}
	return len;
}

/* Whether check_text() takes TEXT, nothing said. */
static bool takes_text(const char *text, size_t len)
{
	return len <= HC_AUG_MAX_TEXT && memchr(text, '\0', len) == NULL &&
	       marker_byte(text, len) == len;
}

/* Refuse what Augeas cannot take: NUL, its own marker bytes, a huge file. */
static int check_text(const char *name, const char *text, size_t len)
{
	const char *nul;
	size_t i;

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
	if ((i = marker_byte(text, len)) < len) {
		hc_error_set_at(name, line_at(text, i),
				"holds the control byte 0x%02x, which Augeas "
				"cannot read: not a text file",
				(unsigned char)text[i]);
		return hc_error_set_code(HC_EINVALID);
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
	hc_trace_lens(lens);
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

/* The tree is edited, or rendered otherwise: what it rendered back is past. */
static void back_forget(struct tree_note *note)
{
	free(note->back);
	note->back = NULL;
	note->back_len = 0;
}

/* back_forget() of TREE's note, if it has one. */
static void back_drop(struct hc_aug *aug, const char *tree)
{
	size_t id = tree_id(tree);

	if (id < aug->nnotes)
		back_forget(&aug->notes[id]);
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
 * TREE was rendered whole: what hc_aug_render_edited() would cut is no
 * longer the layout.  A whole render lays the tree over the text it was
 * parsed from, but moves the spans into the text it wrote; a node edited
 * before it and again after would be laid over other separators from
 * the one text than from the other.  Until the tree is parsed again, it
 * is rendered whole or in pieces of the parse's text.
 */
static void edits_unknown(struct hc_aug *aug, const char *tree)
{
	struct tree_note *note = note_of(aug, tree);

	if (note == NULL) {
		aug->all_reshaped = true;
		return;
	}
	note->nedited = 0;
	note->unknown = true;
	/* Those added last have their spans in the text it wrote. */
	note->appended = 0;
	back_forget(note);
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
	hc_trace_lens(lens);
	if (aug_text_retrieve(aug->aug, lens, text_node, tree, out_node) < 0) {
		char path[96];

		/* Its spans moved part of the way: the parse's text then. */
		text_note(aug, tree, NULL);
		edits_unknown(aug, tree);
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
	edits_unknown(aug, tree);
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

	if (note) {
		note->reshaped = true;
		note->unknown = true;
		back_forget(note);
	} else {
		aug->all_reshaped = true; /* keeps no tree: all whole */
	}
}

void hc_aug_edited(struct hc_aug *aug, const char *tree, size_t node)
{
	struct tree_note *note = note_of(aug, tree);

	if (note == NULL) {
		aug->all_reshaped = true;
		return;
	}
	back_forget(note);
	if (note->unknown)
		return;
	if (node == SIZE_MAX) {
		note->unknown = true;
		return;
	}
	/* The same node edited again, as rules set one value in turn. */
	if (note->nedited && note->edited[note->nedited - 1] == node)
		return;
	if (note->nedited == note->edited_alloc) {
		size_t n = note->edited_alloc ? 2 * note->edited_alloc : 8;
		size_t *v = realloc(note->edited, n * sizeof(*v));

		if (v == NULL) {
			note->unknown = true;
			return;
		}
		note->edited = v;
		note->edited_alloc = n;
	}
	note->edited[note->nedited++] = node;
}

void hc_aug_appended(struct hc_aug *aug, const char *tree)
{
	struct tree_note *note = note_of(aug, tree);

	if (note == NULL) {
		aug->all_reshaped = true;
		return;
	}
	back_forget(note);
	note->appended++;
}

static bool is_reshaped(const struct hc_aug *aug, const char *tree)
{
	const struct tree_note *note = note_found(aug, tree);

	return aug->all_reshaped || tree_id(tree) == SIZE_MAX ||
	       (note && (note->reshaped || note->appended));
}

#define PIECE_SRC "hc_piece_src"
#define PIECE_DST "hc_piece_dst"
#define PIECE_AT "hc_piece_at"
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

/* The spans of a piece's top-level nodes, in order, in one text. */
struct piece_spans {
	unsigned int *start, *end;
	size_t n, alloc;
};

static int spans_add(struct piece_spans *s, unsigned int start,
		     unsigned int end)
{
	if (s->n == s->alloc) {
		size_t n = s->alloc ? 2 * s->alloc : 16;
		unsigned int *v;

		if ((v = realloc(s->start, n * sizeof(*v))) == NULL)
			return hc_error_oom();
		s->start = v;
		if ((v = realloc(s->end, n * sizeof(*v))) == NULL)
			return hc_error_oom();
		s->end = v;
		s->alloc = n;
	}
	s->start[s->n] = start;
	s->end[s->n++] = end;
	return 0;
}

static void spans_release(struct piece_spans *s)
{
	free(s->start);
	free(s->end);
	memset(s, 0, sizeof(*s));
}

/* The line ends in the LEN bytes at P. */
static size_t count_lines(const char *p, size_t len)
{
	const char *end = p + len;
	size_t n = 0;

	while ((p = memchr(p, '\n', (size_t)(end - p))) != NULL) {
		n++;
		p++;
	}
	return n;
}

/*
 * Whether the N nodes of spans A in text TA (LA bytes) stand on the
 * same lines at spans B in TB (LB bytes), the text they rendered to:
 * as many lines, each node's start on the same line, each on one line
 * (no line end before its last byte).  A piece rendered so keeps the
 * lines the tree's spans count: they still point into the text it was
 * cut from (hc_aug_line()).
 *
 * A render ends the span of the list's first node at the end of the
 * text (Augeas's lns_put() spans the whole list so): in B, the first
 * node's end is not looked at.  It keeps its line all the same when
 * the starts and the count agree, as the last node does: what follows
 * a node up to the next has no label and renders as it was.
 *
 * EXTRA nodes of B past A's were added last (hc_aug_appended()): they
 * have no span in the tree, and stand after every line of A.
 */
static bool same_lines(const char *ta, size_t la, const struct piece_spans *a,
		       const char *tb, size_t lb, const struct piece_spans *b,
		       size_t extra)
{
	size_t pa = 0, pb = 0, na = 0, nb = 0;

	if (a->n + extra != b->n)
		return false;
	for (size_t k = 0; k < a->n; k++) {
		size_t sa = a->start[k], ea = a->end[k], sb = b->start[k],
		       eb = b->end[k];

		if (sa < pa || ea < sa || ea > la || sb < pb || eb < sb ||
		    eb > lb)
			return false;
		na += count_lines(ta + pa, sa - pa);
		nb += count_lines(tb + pb, sb - pb);
		pa = sa;
		pb = sb;
		if (na != nb ||
		    (ea > sa && memchr(ta + sa, '\n', ea - sa - 1)) ||
		    (k > 0 && eb > sb && memchr(tb + sb, '\n', eb - sb - 1)))
			return false;
	}
	na += count_lines(ta + pa, la - pa);
	if (extra == 0)
		return na == nb + count_lines(tb + pb, lb - pb);
	/*
	 * The nodes added last: the first on the line after every line of
	 * A, each other on a line after the one before.
	 */
	for (size_t k = a->n, want = na; k < b->n; k++) {
		size_t sb = b->start[k], eb = b->end[k];

		if (sb < pb || eb < sb || eb > lb)
			return false;
		nb += count_lines(tb + pb, sb - pb);
		if (k == a->n ? nb != na : nb < want)
			return false;
		want = nb + 1;
		pb = sb;
	}
	return true;
}

/* A text cut into pieces, each rendered alone: see render_piece(). */
struct piece {
	const char *lens;
	bool seq;
	/* See same_label(); SIZE_MAX: the first numbered node tells. */
	size_t records;
	const char *text; /* the text the tree's spans point into */
	/* Asked: whether every piece so far parses back (parses_back()). */
	bool prove, proved;
	/* The tree's nodes added last, for the piece that ends the text. */
	size_t appended;
};

/*
 * Whether the node $PIECE_DST of a piece parsed from P's text at START
 * is the tree's node $PIECE_SRC: the same label (see same_label(); the
 * first numbered node tells P's records when they are not known) and
 * the same bytes.  Its span in the piece goes to BEFORE.  0, 1 when it
 * is not, HC_ERROR.
 */
static int same_node(struct hc_aug *aug, struct piece *p, size_t start,
		     struct piece_spans *before)
{
	const char *whole = NULL, *own = NULL;
	unsigned int ws, we, ps, pe;
	unsigned long number, w;

	if (aug_ns_label(aug->aug, PIECE_SRC, 0, &whole, NULL) < 0 ||
	    aug_ns_label(aug->aug, PIECE_DST, 0, &own, NULL) < 0)
		return 1;
	if (p->seq && p->records == SIZE_MAX && own &&
	    seq_number(own, &number) && whole && seq_number(whole, &w) &&
	    w >= number)
		p->records = w - number;
	if (!same_label(whole, own, p->seq, p->records) ||
	    !span_of(aug, "$" PIECE_SRC, &ws, &we) ||
	    !span_of(aug, "$" PIECE_DST, &ps, &pe) ||
	    (size_t)ws != (size_t)ps + start ||
	    (size_t)we != (size_t)pe + start)
		return 1;
	return spans_add(before, ps, pe);
}

/*
 * Match each top-level node of piece TREE, parsed from P's text at
 * START, with the tree's from $PIECE_SRC on (same_node()), and give it
 * that node's value and children; PIECE_SRC then names the next.  Adds
 * the piece's records to *RECORDS.  0, 1 when one does not match, or
 * HC_ERROR.
 */
static int match_piece(struct hc_aug *aug, struct piece *p, const char *tree,
		       size_t start, struct piece_spans *before,
		       size_t *records)
{
	int n, r = 1;

	for (n = define(aug, PIECE_DST, tree, "/*[1]"); n == 1;
	     n = define(aug, PIECE_DST, "$" PIECE_DST, NEXT)) {
		const char *own = NULL;
		unsigned long number;

		if ((r = same_node(aug, p, start, before)) != 0)
			return r;
		if (aug_cp(aug->aug, "$" PIECE_SRC, "$" PIECE_DST) < 0 ||
		    aug_ns_label(aug->aug, PIECE_DST, 0, &own, NULL) < 0)
			return 1;
		*records += p->seq && own && seq_number(own, &number);
		/* Past the last node, PIECE_SRC is empty. */
		if (define(aug, PIECE_SRC, "$" PIECE_SRC, NEXT) < 0)
			return 1;
	}
	return n < 0 ? 1 : 0;
}

#define BACK_A "hc_back_a"
#define BACK_B "hc_back_b"

/*
 * Whether $BACK_A and $BACK_B, each I nodes of trees A and B (so many
 * bytes of name), are the same node: the same path below their tree,
 * which names its label and each ancestor's, and the same value.
 */
static bool same_place(struct hc_aug *aug, int i, size_t la, size_t lb)
{
	char *pa = NULL, *pb = NULL;
	const char *va = NULL, *vb = NULL;
	bool same = aug_ns_path(aug->aug, BACK_A, i, &pa) == 0 &&
		    aug_ns_path(aug->aug, BACK_B, i, &pb) == 0 && pa && pb &&
		    strlen(pa) >= la && strlen(pb) >= lb &&
		    strcmp(pa + la, pb + lb) == 0 &&
		    aug_ns_value(aug->aug, BACK_A, i, &va) >= 0 &&
		    aug_ns_value(aug->aug, BACK_B, i, &vb) >= 0 &&
		    (va == NULL) == (vb == NULL) &&
		    (va == NULL || strcmp(va, vb) == 0);

	free(pa);
	free(pb);
	return same;
}

bool hc_aug_same_nodes(struct hc_aug *aug, const char *a, const char *b)
{
	int n = define(aug, BACK_A, a, "//*"),
	    m = define(aug, BACK_B, b, "//*");
	bool same = n >= 0 && m == n;

	for (int i = 0; i < n && same; i++)
		same = same_place(aug, i, strlen(a), strlen(b));
	aug_defvar(aug->aug, BACK_A, NULL);
	aug_defvar(aug->aug, BACK_B, NULL);
	return same;
}

bool hc_aug_parses_to(struct hc_aug *aug, const char *lens, const char *text,
		      size_t len, const char *tree)
{
	char again[32];
	bool same;

	if (hc_aug_parse(again, aug, lens, "parsed again", text, len) < 0) {
		hc_error_clear();
		return false;
	}
	same = hc_aug_same_nodes(aug, tree, again);
	hc_aug_drop(aug, again);
	return same;
}

/*
 * Whether TEXT, a piece rendered from piece tree TREE, parses alone with
 * LENS into the same nodes (hc_aug_same_nodes()).  A value the lens
 * cannot carry (rendered as something else, or dropped) fails it.
 */
static bool parses_back(struct hc_aug *aug, const char *lens, const char *text,
			const char *tree)
{
	char again[32] = "";
	bool same = store_text(again, aug, lens, text) == 0 &&
		    hc_aug_same_nodes(aug, tree, again);

	if (again[0])
		hc_aug_drop(aug, again);
	return same;
}

/* The spans of piece TREE's top-level nodes into OUT: 0, 1 or HC_ERROR. */
static int piece_spans_read(struct piece_spans *out, struct hc_aug *aug,
			    const char *tree)
{
	int n;

	for (n = define(aug, PIECE_DST, tree, "/*[1]"); n == 1;
	     n = define(aug, PIECE_DST, "$" PIECE_DST, NEXT)) {
		unsigned int start, end;

		if (!span_of(aug, "$" PIECE_DST, &start, &end))
			return 1;
		if (spans_add(out, start, end) < 0)
			return HC_ERROR;
	}
	return n == 0 ? 0 : 1;
}

bool hc_aug_plain_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '#' ||
	       c == '.';
}

bool hc_aug_plain_label(const char *label)
{
	if (label == NULL || *label == '\0' || strcmp(label, ".") == 0 ||
	    strcmp(label, "..") == 0)
		return false;
	for (const char *p = label; *p; p++)
		if (!hc_aug_plain_char(*p))
			return false;
	return true;
}

/*
 * Copy the tree's node $PIECE_SRC, added last, to the end of piece TREE
 * through DST (a path of any length: never cut short), and move
 * PIECE_SRC to the next.  0, 1 when it cannot be (a label a path cannot
 * carry as it is, a span from the parse), or HC_ERROR.
 */
static int append_one(struct hc_aug *aug, struct hc_buf *dst, const char *tree)
{
	const char *label = NULL;
	unsigned int s, e;

	if (aug_ns_label(aug->aug, PIECE_SRC, 0, &label, NULL) < 0 ||
	    !hc_aug_plain_label(label) || span_of(aug, "$" PIECE_SRC, &s, &e))
		return 1;
	hc_buf_clear(dst);
	if (hc_buf_printf(dst, "%s/%s[last()+1]", tree, label) < 0)
		return HC_ERROR;
	return aug_cp(aug->aug, "$" PIECE_SRC, dst->ptr) < 0 ||
		       define(aug, PIECE_SRC, "$" PIECE_SRC, NEXT) < 0
		   ? 1
		   : 0;
}

/*
 * Copy the tree's N nodes added last, from $PIECE_SRC on (each without a
 * span: none from the parse), to the end of piece TREE, after every
 * node of its own as in the tree.  0, 1 when one cannot be, or
 * HC_ERROR.
 */
static int append_piece(struct hc_aug *aug, const char *tree, size_t n)
{
	struct hc_buf dst = HC_BUF_INIT;
	int r = 0;

	for (size_t i = 0; i < n && r == 0; i++)
		r = append_one(aug, &dst, tree);
	hc_buf_release(&dst);
	return r;
}

/*
 * Render the piece of P's text from START to END (whole lines), whose
 * parse stands in for the top-level nodes of the tree from $PIECE_SRC
 * on (match_piece()).  Appends to OUT and adds the piece's records to
 * P's when they were known (SEQ: see same_label()).  1 when the piece
 * does not parse alone, holds other nodes, does not render, or renders
 * a node on other lines (same_lines()).
 */
static int render_piece(struct hc_buf *out, struct piece *p, struct hc_aug *aug,
			size_t start, size_t end)
{
	struct piece_spans before = {0}, after = {0};
	struct hc_buf text = HC_BUF_INIT;
	char tree[32] = "", text_node[48], out_node[48];
	const char *value = NULL;
	size_t own_records = 0, known = p->records;
	int r;

	if (hc_buf_set(&text, p->text + start, end - start) < 0)
		return HC_ERROR;
	r = store_text(tree, aug, p->lens, text.ptr) == 0 ? 0 : 1;
	hc_buf_release(&text);
	/* As any failure here, a parse's: the whole render says it. */
	if (r != 0 ||
	    (r = match_piece(aug, p, tree, start, &before, &own_records)) !=
		0 ||
	    (r = append_piece(aug, tree, p->appended)) != 0)
		goto out;
	text_path(text_node, tree);
	snprintf(out_node, sizeof(out_node), "/hc-out%s", tree + 3);
	r = 1;
	hc_trace_lens(p->lens);
	if (aug_text_retrieve(aug->aug, p->lens, text_node, tree, out_node) <
		0 ||
	    aug_get(aug->aug, out_node, &value) != 1 || value == NULL ||
	    (r = piece_spans_read(&after, aug, tree)) != 0)
		goto out;
	r = 1;
	if (same_lines(p->text + start, end - start, &before, value,
		       strlen(value), &after, p->appended) &&
	    (r = hc_buf_puts(out, value)) == 0 && known != SIZE_MAX)
		p->records += own_records;
	if (r == 0 && p->prove && p->proved)
		p->proved = parses_back(aug, p->lens, value, tree);
out:
	if (tree[0])
		hc_aug_drop(aug, tree);
	spans_release(&before);
	spans_release(&after);
	return r;
}

/* Forget the pieces' variables (their nodes live in trees dropped). */
static void pieces_done(struct hc_aug *aug)
{
	aug_defvar(aug->aug, PIECE_SRC, NULL);
	aug_defvar(aug->aug, PIECE_DST, NULL);
	aug_defvar(aug->aug, PIECE_AT, NULL);
}

int hc_aug_render_pieces(struct hc_buf *out, struct hc_aug *aug,
			 const char *lens, const char *tree, size_t lines)
{
	struct hc_buf all = HC_BUF_INIT;
	struct piece p = {lens, false, 0, NULL, false, false, 0};
	char text_node[48];
	size_t len, start = 0, count = 0;
	int r = 1, which;

	text_path(text_node, tree);
	if (lines == 0 || (which = piece_lens(lens)) < 0 ||
	    is_reshaped(aug, tree) ||
	    aug_get(aug->aug, text_node, &p.text) != 1 || p.text == NULL)
		return 1;
	p.seq = piece_lenses[which].seq;
	len = strlen(p.text);
	for (const char *q = p.text;
	     (q = memchr(q, '\n', len - (size_t)(q - p.text))); q++)
		if (++count > 2 * lines)
			break;
	if (count <= 2 * lines)
		return 1; /* a few pieces save less than they cost */
	if (define(aug, PIECE_SRC, tree, "/*[1]") != 1)
		goto out;
	while (start < len) {
		size_t end = start;

		for (size_t k = 0; k < lines && end < len; k++) {
			const char *nl = memchr(p.text + end, '\n', len - end);

			end = nl ? (size_t)(nl - p.text) + 1 : len;
		}
		if ((r = render_piece(&all, &p, aug, start, end)) != 0)
			goto out;
		start = end;
	}
	r = 1;
	/* Every node of the tree found its place. */
	if (define(aug, PIECE_SRC, "$" PIECE_SRC, "") == 0)
		r = rendered(out, aug, tree, all.ptr, all.size);
out:
	pieces_done(aug);
	hc_buf_release(&all);
	return r;
}

static int size_order(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;

	return (x > y) - (x < y);
}

/* A walk over the top-level nodes of TREE, in order: $PIECE_AT is AT. */
struct node_walk {
	const char *tree;
	size_t at; /* SIZE_MAX: nowhere yet */
};

/*
 * Move W to top-level node I (from 0): from the node it is on when I
 * lies ahead, so that a walk in order costs the nodes passed.  Its span
 * in the text the spans point into, LEN bytes, in *START and *END;
 * false if there is no such node, or no span inside the text.
 */
static bool walk_span(struct hc_aug *aug, struct node_walk *w, size_t i,
		      size_t len, size_t *start, size_t *end)
{
	char step[64];
	unsigned int s, e;
	int n = 1;

	if (w->at == SIZE_MAX || i < w->at) {
		snprintf(step, sizeof(step), "/*[%zu]", i + 1);
		n = define(aug, PIECE_AT, w->tree, step);
	} else if (i > w->at) {
		snprintf(step, sizeof(step), "/following-sibling::*[%zu]",
			 i - w->at);
		n = define(aug, PIECE_AT, "$" PIECE_AT, step);
	}
	if (n != 1) {
		w->at = SIZE_MAX;
		return false;
	}
	w->at = i;
	if (!span_of(aug, "$" PIECE_AT, &s, &e) || s > e || e > len)
		return false;
	*start = s;
	*end = e;
	return true;
}

/*
 * The lines of TEXT (LEN bytes) that hold bytes START to END: from the
 * start of the first to past the newline of the last, or LEN.
 */
static void whole_lines(const char *text, size_t len, size_t *start,
			size_t *end)
{
	const char *nl;
	size_t last = *end > *start ? *end - 1 : *start;

	while (*start > 0 && text[*start - 1] != '\n')
		(*start)--;
	nl = last < len ? memchr(text + last, '\n', len - last) : NULL;
	*end = nl ? (size_t)(nl - text) + 1 : len;
}

/*
 * The lines of TEXT (LEN bytes) of node EDITED[*I] (of the N nodes
 * edited, in order) and of those edited after it on the same lines or
 * the next, up to HC_AUG_PIECE_LINES lines (a piece costs the square of
 * its length): *START and *END.  *I then names the first node edited
 * past them, and $PIECE_SRC the node EDITED[*I] was.  False when a node
 * has no span in TEXT.
 */
static bool edited_lines(size_t *start, size_t *end, size_t *i,
			 struct hc_aug *aug, struct node_walk *w,
			 const char *text, size_t len, const size_t *edited,
			 size_t n)
{
	size_t lines;

	if (!walk_span(aug, w, edited[*i], len, start, end) ||
	    aug_defvar(aug->aug, PIECE_SRC, "$" PIECE_AT) != 1)
		return false;
	whole_lines(text, len, start, end);
	lines = count_lines(text + *start, *end - *start);
	for ((*i)++; *i < n; (*i)++) {
		size_t s, e, more;

		if (edited[*i] == edited[*i - 1])
			continue;
		if (!walk_span(aug, w, edited[*i], len, &s, &e))
			return false;
		whole_lines(text, len, &s, &e);
		if (s > *end)
			break; /* lines between: another piece */
		if (e <= *end)
			continue;
		more = count_lines(text + *end, e - *end);
		if (s == *end && lines + more > HC_AUG_PIECE_LINES)
			break;
		lines += more;
		*end = e;
	}
	return true;
}

/* Whether the tree's node $PIECE_SRC, if any, starts at END or later. */
static bool none_before(struct hc_aug *aug, size_t end)
{
	unsigned int s, e;
	int n = aug_match(aug->aug, "$" PIECE_SRC, NULL);

	return n == 0 || (n > 0 && span_of(aug, "$" PIECE_SRC, &s, &e) &&
			  (size_t)s >= end);
}

/* Keep OUT as what TREE renders back to (a copy; none out of memory). */
static void back_keep(struct hc_aug *aug, const char *tree,
		      const struct hc_buf *out)
{
	struct tree_note *note = note_of(aug, tree);

	if (note == NULL)
		return;
	back_forget(note);
	if ((note->back = malloc(out->size + 1)) == NULL)
		return;
	memcpy(note->back, out->ptr ? out->ptr : "", out->size);
	note->back[out->size] = '\0';
	note->back_len = out->size;
}

bool hc_aug_renders_back(struct hc_aug *aug, const char *tree, const char *text,
			 size_t len)
{
	const struct tree_note *note = note_found(aug, tree);

	return note && note->back && !aug->all_reshaped &&
	       note->back_len == len && memcmp(note->back, text, len) == 0 &&
	       takes_text(text, len);
}

/*
 * The top-level nodes NOTE names edited, sorted, into *OUT (N of them):
 * with nodes added last, those of the parse only, and the last of them,
 * whose piece takes the added ones.  0, 1 when the added cannot be
 * placed, or HC_ERROR.
 */
static int edited_list(size_t **out, size_t *n, struct hc_aug *aug,
		       const char *tree, const struct tree_note *note)
{
	size_t *v = malloc((note->nedited + 1) * sizeof(*v)), parsed;
	int all;

	if ((*out = v) == NULL)
		return hc_error_oom();
	*n = 0;
	if (note->appended == 0) {
		memcpy(v, note->edited, note->nedited * sizeof(*v));
		*n = note->nedited;
	} else {
		if ((all = define(aug, PIECE_AT, tree, "/*")) < 0 ||
		    (size_t)all <= note->appended)
			return 1;
		parsed = (size_t)all - note->appended;
		for (size_t k = 0; k < note->nedited; k++)
			if (note->edited[k] < parsed)
				v[(*n)++] = note->edited[k];
		v[(*n)++] = parsed - 1;
	}
	qsort(v, *n, sizeof(*v), size_order);
	return 0;
}

int hc_aug_render_edited(struct hc_buf *out, struct hc_aug *aug,
			 const char *lens, const char *tree)
{
	const struct tree_note *note;
	struct hc_buf all = HC_BUF_INIT;
	struct piece p = {lens, false, SIZE_MAX, NULL, true, true, 0};
	struct node_walk walk = {tree, SIZE_MAX};
	size_t len, done = 0, i = 0, n = 0, covered = 0, *edited = NULL;
	int r = 1, which;

	back_drop(aug, tree);
	/* The text first: asked, it may add the note. */
	if (aug->all_reshaped || (which = piece_lens(lens)) < 0 ||
	    (p.text = hc_aug_text(aug, tree)) == NULL ||
	    (note = note_found(aug, tree)) == NULL || note->unknown ||
	    (note->nedited == 0 && note->appended == 0) ||
	    (note->appended && piece_lenses[which].seq))
		return 1;
	if ((r = edited_list(&edited, &n, aug, tree, note)) != 0)
		goto out;
	p.seq = piece_lenses[which].seq;
	len = strlen(p.text);
	while (i < n) {
		size_t start, end;

		r = 1;
		if (!edited_lines(&start, &end, &i, aug, &walk, p.text, len,
				  edited, n))
			goto out;
		if ((r = hc_buf_put(&all, p.text + done, start - done)) < 0)
			goto out;
		p.records = SIZE_MAX;
		/* The last node of the parse: to the end, and what was added.
		 */
		if (note->appended && i == n) {
			end = len;
			p.appended = note->appended;
		}
		/*
		 * A proof that costs more than a parse of the whole: none.
		 * Each piece is parsed again, and its nodes' paths compared.
		 */
		covered += end - start;
		if (covered > len / 2)
			p.prove = p.proved = false;
		if ((r = render_piece(&all, &p, aug, start, end)) != 0)
			goto out;
		/* No node of the tree is left on these lines. */
		r = 1;
		if (!none_before(aug, end))
			goto out;
		done = end;
	}
	if ((r = hc_buf_put(&all, p.text + done, len - done)) == 0 &&
	    (r = rendered(out, aug, tree, all.ptr, all.size)) == 0 && p.proved)
		back_keep(aug, tree, out);
out:
	pieces_done(aug);
	hc_buf_release(&all);
	free(edited);
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

/*
 * Whether the LEN bytes of NAME, a step's name as Augeas writes it,
 * read back as that label alone.  Augeas escapes the characters that
 * end a name ("[]|/=()!,", blanks, '\\'), and a name that starts with
 * '*' (a wildcard), is "." or ".." (the node, its parent), starts with
 * '$' (a variable) or holds "::" (an axis: "self::x") reads as another
 * node, or none.
 */
static bool reads_back(const char *name, size_t len)
{
	if (len == 0 || name[0] == '$' || name[0] == '*' ||
	    (len <= 2 && strspn(name, ".") == len))
		return false;
	for (size_t i = 0; i + 1 < len; i++)
		if (name[i] == ':' && name[i + 1] == ':')
			return false;
	return true;
}

/*
 * Append to OUT the step of PATH at *P (after its '/') as one that reads
 * back as the node it names: as Augeas wrote it when it does
 * (reads_back()), else as "*[label()='LABEL']" and its place.  *P goes
 * past the step.
 */
static int exact_step(struct hc_buf *out, const char *path, const char **p)
{
	struct hc_buf label = HC_BUF_INIT;
	const char *name = *p, *q = name, *quote;
	int error = 0;

	/* The name ends at an unescaped '[' or '/'. */
	while (*q && *q != '[' && *q != '/') {
		if (*q == '\\' && q[1])
			q++;
		q++;
	}
	if (reads_back(name, (size_t)(q - name))) {
		error = hc_buf_put(out, name, (size_t)(q - name));
	} else {
		for (const char *c = name; c < q && error == 0; c++) {
			if (*c == '\\' && c + 1 < q)
				c++;
			error = hc_buf_put(&label, c, 1);
		}
		quote = strchr(hc_buf_cstr(&label), '\'') ? "\"" : "'";
		if (error == 0 && strchr(hc_buf_cstr(&label), *quote)) {
			hc_error_set("%s: a label with both quotes cannot be "
				     "named in a path",
				     path);
			error = HC_ERROR;
		}
		if (error == 0)
			error = hc_buf_printf(out, "*[label()=%s%s%s]", quote,
					      hc_buf_cstr(&label), quote);
	}
	/* Its place among the nodes of that label, if given. */
	while (error == 0 && *q == '[') {
		const char *end = strchr(q, ']');

		if (end == NULL)
			break;
		error = hc_buf_put(out, q, (size_t)(end + 1 - q));
		q = end + 1;
	}
	hc_buf_release(&label);
	*p = q;
	return error;
}

int hc_aug_exact_path(char **path)
{
	struct hc_buf out = HC_BUF_INIT;
	const char *p = *path;
	int error = 0;

	/* As reads_back() judges each step: most paths need nothing. */
	if (!strchr(p, '*') && !strchr(p, '$') && !strstr(p, "::") &&
	    !strstr(p, "/."))
		return 0;
	while (*p == '/' && error == 0)
		if ((error = hc_buf_puts(&out, "/")) == 0) {
			p++;
			error = exact_step(&out, *path, &p);
		}
	if (error == 0 && *p != '\0') {
		hc_error_set("%s: not a path Augeas wrote", *path);
		error = HC_ERROR;
	}
	if (error < 0) {
		hc_buf_release(&out);
		return error;
	}
	free(*path);
	*path = hc_buf_detach(&out);
	return *path ? 0 : HC_ERROR;
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
	if (error == 0 && (error = hc_aug_exact_path(out)) < 0) {
		free(*out);
		*out = NULL;
	}
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

/*
 * Where node PATH starts in its text, in *START; false when Augeas knows
 * no span for it (ENOSPAN), or one it gave no start (UINT_MAX: a parse's
 * empty last field, such as passwd's shell), or there is no such node.
 */
static bool span_start_of(struct hc_aug *aug, const char *path,
			  unsigned int *start, bool *spanless)
{
	unsigned int label_start, label_end, value_start, value_end, end;
	char *filename = NULL;

	*spanless = false;
	if (aug_span(aug->aug, path, &filename, &label_start, &label_end,
		     &value_start, &value_end, start, &end) < 0) {
		*spanless = aug_error(aug->aug) == AUG_ENOSPAN;
		return false;
	}
	free(filename);
	*spanless = *start == UINT_MAX;
	return !*spanless;
}

/*
 * The line of TOP (a path), a top-level node of tree ROOT (a path) that
 * has no span, when it is one of the nodes added last since the tree's
 * parse or last whole render (hc_aug_appended()): after every line of
 * TEXT, in the order added, as hc_aug_render_edited() puts them.  0
 * when it is not.
 */
static unsigned int appended_line(struct hc_aug *aug, const char *root,
				  const char *top, const char *text)
{
	const struct tree_note *note;
	struct hc_buf follow = HC_BUF_INIT;
	char **paths = NULL;
	unsigned int high, low;
	int n = aug_match(aug->aug, root, &paths), end = 0, following = -1;

	if (n == 1 && sscanf(paths[0], "/hc/%u/%u%n", &high, &low, &end) == 2 &&
	    paths[0][end] == '\0' && (note = note_found(aug, paths[0])) &&
	    note->appended &&
	    hc_buf_printf(&follow, "%s/following-sibling::*", top) == 0)
		following = aug_match(aug->aug, follow.ptr, NULL);
	for (int i = 0; i < n; i++)
		free(paths[i]);
	free(paths);
	hc_buf_release(&follow);
	if (following < 0 || (size_t)following >= note->appended)
		return 0;
	return (unsigned int)(count_lines(text, strlen(text)) +
			      (note->appended - (size_t)following));
}

unsigned int hc_aug_line(struct hc_aug *aug, const char *node, const char *text)
{
	struct hc_buf up = HC_BUF_INIT, top = HC_BUF_INIT;
	unsigned int start = 0, line = 0;
	bool spanless, found = span_start_of(aug, node, &start, &spanless);

	/*
	 * A node added since the text was made has no span: it stands on
	 * its parent's line (a piece keeps each top-level node on one line,
	 * see render_piece()), as a whole render would have put it.  So
	 * does one a parse gave no start.  A top-level node added last
	 * stands after the text (appended_line()).
	 */
	if (!found && spanless && hc_buf_puts(&up, node) == 0)
		for (int depth = 0; !found && spanless && depth < 8 &&
				    hc_buf_set(&top, up.ptr, up.size) == 0 &&
				    hc_buf_puts(&up, "/..") == 0;
		     depth++)
			found = span_start_of(aug, up.ptr, &start, &spanless);
	if (found && top.size)
		line = appended_line(aug, up.ptr, top.ptr, text);
	hc_buf_release(&up);
	hc_buf_release(&top);
	if (line)
		return line;
	return found ? line_at(text, start) : 0;
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
	if (note_found(aug, tree)) {
		struct tree_note *note = note_of(aug, tree);

		free(note->edited);
		note->edited = NULL;
		note->nedited = note->edited_alloc = 0;
		note->appended = 0;
		back_forget(note);
	}
}
