/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The Augeas layer.  Augeas never opens a file here: hardctl reads the
 * bytes itself through the ROOT-confined reader, parses them with
 * aug_text_store() into a tree of its own, and renders them back with
 * aug_text_retrieve().  Lens modules load on first use only
 * (AUG_NO_MODL_AUTOLOAD), so a run pays for the lenses of the files it
 * reads and no others.
 */
#ifndef HARDCTL_AUG_H
#define HARDCTL_AUG_H

#include <augeas.h>
#include "buf.h"

struct hc_aug;

/**
 * Open Augeas with LENSDIR (hardctl's lenses) ahead of the standard
 * lens directory.  Free with hc_aug_free().  0 or HC_ERROR.
 */
int hc_aug_open(struct hc_aug **out, const char *lensdir);

void hc_aug_free(struct hc_aug *aug);

/** The underlying handle, for the hc_file_* helpers. */
augeas *hc_aug_handle(struct hc_aug *aug);

/* The largest file hardctl hands to Augeas, whose cost grows with the square.
 */
#define HC_AUG_MAX_TEXT (1u << 20)

/**
 * Parse LEN bytes of TEXT with LENS (such as "Sshd.lns") into a new
 * tree, whose Augeas path is written to TREE (at least 32 bytes).
 * TEXT[LEN] must be a NUL, as an hc_buf's bytes always end (Augeas
 * takes C strings).  NAME is the file to blame in errors.
 *
 * @return 0; HC_EPARSE when the lens does not match, with NAME and the
 * line in the last error; HC_EINVALID when TEXT holds a NUL byte or a
 * byte from 0x01 to 0x04 (Augeas's own markers: they would render the
 * file as nothing), or is longer than HC_AUG_MAX_TEXT; HC_ERROR when
 * the lens cannot be loaded.  On failure no tree is left.
 *
 * A file whose last line lacks its newline is parsed with one added,
 * and rendered without it again.
 */
int hc_aug_parse(char tree[32], struct hc_aug *aug, const char *lens,
		 const char *name, const char *text, size_t len);

/**
 * Render TREE, parsed from the text it was parsed from, back into
 * bytes with LENS; OUT is replaced.  0, or HC_ERROR naming NAME when
 * the lens refuses the tree.
 */
int hc_aug_render(struct hc_buf *out, struct hc_aug *aug, const char *lens,
		  const char *tree, const char *name);

/**
 * hc_aug_render() with LENS, another lens than TREE was parsed with,
 * which reads the same text into the same tree: 0, or 1 (nothing said)
 * when LENS cannot carry the text TREE was parsed from or TREE itself.
 * HC_ERROR otherwise.
 */
int hc_aug_render_with(struct hc_buf *out, struct hc_aug *aug, const char *lens,
		       const char *tree);

/**
 * hc_aug_render() in pieces of LINES lines of the text TREE was parsed
 * from, for a long file: Augeas names each node it renders by counting
 * its siblings' labels, ancestors' too, so one render of N top-level
 * nodes costs N squared.  Each piece is parsed alone, its top-level
 * nodes take the values and children of the tree's nodes in their
 * places, and it renders with its own text as layout.  The caller
 * promises that TREE's top level is as parsed, but for what
 * hc_aug_reshaped() marks: only values and what lies below its
 * top-level nodes were edited.
 *
 * Only lenses known to allow it take pieces (aug.c's piece_lenses):
 * below their top-level nodes, no "seq" numbers that run on from node
 * to node and no nodes without a label.
 *
 * @return 0 with OUT set; 1 (nothing said, OUT as it was) when LENS is
 * not one of those, the text has at most 2 * LINES lines, the tree is
 * marked, or a piece does not parse alone into the tree's nodes or does
 * not render: the caller renders the whole.  HC_ERROR when out of
 * memory.
 */
int hc_aug_render_pieces(struct hc_buf *out, struct hc_aug *aug,
			 const char *lens, const char *tree, size_t lines);

/* The lines in a piece of hc_aug_render_pieces() for a file's own render. */
#define HC_AUG_PIECE_LINES 256u

/**
 * hc_aug_render() of only the lines of TREE's top-level nodes edited
 * since its parse, as hc_aug_edited() names them: each run of such
 * lines of the text it was parsed from (up to HC_AUG_PIECE_LINES lines)
 * is parsed alone and rendered as a piece is (see
 * hc_aug_render_pieces()), the other lines are that text's.  A render
 * of one line edited costs that line, not the file (Augeas parses the
 * whole layout text again on each render).  The spans are left where
 * they were: so that lines still count alike, each piece must keep
 * every node on one line and on the same line.
 *
 * Nodes added last (hc_aug_appended()) are rendered at the end, in the
 * piece of the parse's last top-level node, which runs to the end of
 * the text.
 *
 * @return 0 with OUT set; 1 (nothing said, OUT as it was) when LENS is
 * not one of hc_aug_render_pieces()'s, no node is named, the top level
 * was reshaped, the tree was rendered whole since (the whole render
 * lays it over the parse's text, but moves the spans) or what was
 * edited is not known, or a piece does not parse alone into the tree's
 * nodes, does not render or moves a line: the caller renders otherwise.
 * HC_ERROR when out of memory.
 */
int hc_aug_render_edited(struct hc_buf *out, struct hc_aug *aug,
			 const char *lens, const char *tree);

/**
 * Whether TEXT (LEN bytes) is what hc_aug_render_edited() last wrote for
 * TREE, untouched since, every piece of which parsed back alone to the
 * very nodes it rendered (labels, values and places), and holds no byte
 * hc_aug_parse() refuses.  A parse of TEXT would then give TREE again,
 * on the same lines, as far as the lens reads each line alone (the
 * lenses hc_aug_render_pieces() takes): a check may judge TREE as the
 * parse of TEXT.  False after any edit, reshape or other render, and
 * when the pieces hold more than half the text (the proof, which parses
 * each piece again, would cost more than a parse of the whole).
 */
bool hc_aug_renders_back(struct hc_aug *aug, const char *tree, const char *text,
			 size_t len);

/**
 * Whether trees A and B hold the same nodes: below each, node by node in
 * the order Augeas walks them, the same path (each label and its place
 * among its siblings) and the same value (or none).
 */
bool hc_aug_same_nodes(struct hc_aug *aug, const char *a, const char *b);

/**
 * Note that TREE's top-level node NODE (from 0, among the children with
 * a label) had its value, or what lies below it, edited.  SIZE_MAX: a
 * node not known; hc_aug_render_edited() then declines until the tree
 * is parsed again.
 */
void hc_aug_edited(struct hc_aug *aug, const char *tree, size_t node);

/**
 * Note that a top-level node was added to TREE after every other (a set
 * of a label it did not have).  hc_aug_render_edited() renders it after
 * the text's last line, in the piece of the last top-level node the
 * parse made (not for a lens whose top-level labels a "seq" numbers);
 * hc_aug_render_pieces() declines the tree.
 */
void hc_aug_appended(struct hc_aug *aug, const char *tree);

/**
 * Mark TREE's top level as no longer as parsed: a node added, removed,
 * moved or renamed there.  hc_aug_render_pieces() and
 * hc_aug_render_edited() then decline it.
 * Out of memory, it declines every tree.
 */
void hc_aug_reshaped(struct hc_aug *aug, const char *tree);

/* The children of a node, in the order aug_match() gives their paths. */
struct hc_aug_children {
	size_t n;
	const char **label; /* n; NULL for a node with no label */
	const char **value; /* n; NULL for a node with no value */
	char *node;         /* their parent's path */
	struct hc_aug *aug;
};

/**
 * Read the label and value of each child of NODE (an Augeas path) into
 * OUT, in one walk of the tree, without a path for each: aug_match()
 * builds each path by counting the node's siblings, and a path per
 * child makes reading a file quadratic in its length.  The strings are
 * the tree's: valid until it changes.  Release OUT with
 * hc_aug_children_release().  0 or HC_ERROR; on failure OUT is empty.
 */
int hc_aug_children(struct hc_aug_children *out, struct hc_aug *aug,
		    const char *node);

/**
 * Rewrite *PATH, as Augeas writes a node's path (aug_match(),
 * aug_ns_path()), so that it reads back as that node alone.  Augeas
 * does not escape a label that starts with '*' or '$', is "." or "..",
 * or holds "::": a pwquality.conf line "* = 1" is a node named "*"
 * below the tree T, whose path reads back as every node of T.  Each
 * such step becomes "*[label()='LABEL']" with its place; the others
 * stay as Augeas wrote them.  0 (*PATH freed and replaced, or kept), or
 * HC_ERROR (such a label holding both quotes, which no path can name).
 */
int hc_aug_exact_path(char **path);

/** Whether C may stand in a plain label (hc_aug_plain_label()). */
bool hc_aug_plain_char(char c);

/**
 * Whether LABEL is plain: a label aug_match() writes as it is, which no
 * path reads as anything but that label: letters, digits, '_', '-', '#'
 * and '.', not "." or "..".
 */
bool hc_aug_plain_label(const char *label);

/**
 * Whether TEXT (LEN bytes) parses with LENS (hc_aug_parse(), its errors
 * cleared) into the same nodes as TREE (hc_aug_same_nodes()).
 */
bool hc_aug_parses_to(struct hc_aug *aug, const char *lens, const char *text,
		      size_t len, const char *tree);

/**
 * The path of child I of CHILDREN, as aug_match() writes it and
 * hc_aug_exact_path() makes exact, into *OUT (the caller frees it).  0,
 * or HC_ERROR when the tree has changed since CHILDREN was read.
 */
int hc_aug_child_path(char **out, const struct hc_aug_children *children,
		      size_t i);

void hc_aug_children_release(struct hc_aug_children *children);

/*
 * A place among the children of a node, for editing many of them:
 * Augeas finds a node by path with a walk of its siblings, so reaching
 * N children by their paths costs N squared, while from the child
 * before, "following-sibling::*[K]" walks K.  Paths name the current
 * child by the cursor's variable: HC_AUG_CURSOR
 * ("$hc_cursor/maxage_days"), or HC_AUG_NODE for the cursor the file
 * helpers keep.  Cursors sharing a variable take it in turn: one that
 * finds another moved it starts again from the first child.  A cursor
 * holds while nobody adds, removes or moves the parent's children.
 */
struct hc_aug_cursor {
	struct hc_aug *aug;
	char *node;      /* the parent's path */
	size_t at;       /* the child it names, from 0; SIZE_MAX: none yet */
	const char *var; /* HC_AUG_CURSOR or HC_AUG_NODE */
};

#define HC_AUG_CURSOR "$hc_cursor"
#define HC_AUG_NODE "$hc_node"

/**
 * Start a cursor over NODE's children, before the first, naming the
 * child it is on VAR (HC_AUG_CURSOR or HC_AUG_NODE).  0 or HC_ERROR.
 */
int hc_aug_cursor_init(struct hc_aug_cursor *cursor, struct hc_aug *aug,
		       const char *node, const char *var);

/**
 * Move to child I (from 0, as hc_aug_children() counts): forward costs
 * the children passed, backward starts again from the first.  0, or
 * HC_ERROR when there is no child I.
 */
int hc_aug_cursor_seek(struct hc_aug_cursor *cursor, size_t i);

/** The label of the child the cursor names; NULL before the first. */
const char *hc_aug_cursor_label(const struct hc_aug_cursor *cursor);

void hc_aug_cursor_release(struct hc_aug_cursor *cursor);

/**
 * The text TREE's spans point into: the text it was last rendered to by
 * hc_aug_render() or hc_aug_render_with() (a render moves them there),
 * or else the text it was parsed from.  The tree's string; NULL if none.
 */
const char *hc_aug_text(struct hc_aug *aug, const char *tree);

/**
 * The line (from 1) on which NODE starts in TEXT, the text its tree's
 * spans point into (hc_aug_text()).  A node added since has no span, and
 * a parse gives an empty last field none: its nearest ancestor's line
 * then; 0 if none has one.
 */
unsigned int hc_aug_line(struct hc_aug *aug, const char *node,
			 const char *text);

/** Remove TREE and its text. */
void hc_aug_drop(struct hc_aug *aug, const char *tree);

/** Copy Augeas's own detail on its last error into the last error. */
int hc_aug_error(struct hc_aug *aug, const char *what);

#endif
