/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Tree helpers for modules (see hardctl/file.h).  Every edit goes
 * through here so that the file's dirty mark is exact.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "hardctl/aug.h"
#include "hardctl/file.h"

/*
 * The top-level nodes of a tree by name.  Augeas finds "T/Port[2]" by
 * walking T's children, and aug_match() names each node it returns by
 * counting the node's siblings: a module reading a file of N entries
 * node by node pays N squared.  The index names every top-level node as
 * aug_match() does, in one walk; a path whose first step it knows is
 * rewritten to start from a cursor moved forward from the node before
 * (HC_AUG_NODE), and a match of one step below the tree, or below one
 * of its nodes, is named from the index.  A tree of fewer than INDEX_MIN
 * nodes gets the names without the cursor: a match of one step below
 * it, and a top-level node's label, are read from them.
 *
 * Any doubt falls back to Augeas's own lookup: a step the index does not
 * hold (or a path below a small tree's node), a label that is not
 * plain (only plain labels are named as aug_match() would name them,
 * with no escaping to mimic), or, through the cursor, a node whose label
 * is not the one indexed.  An edit that may add, remove, rename or move
 * a top-level node drops the index; it is built again once the lookups
 * made without it have cost about what the build does.  A small tree's
 * names have no cursor to check them by: they hold because every edit
 * goes through these helpers (one made through Augeas directly, behind
 * their back, would not be seen; nothing in hardctl makes one).
 */
#define INDEX_MIN 256 /* below, a walk costs less than the cursor */
#define INDEX_DEBT 16 /* rebuild after n / INDEX_DEBT lookups without */
#define MATCH_VAR "hc_match"
#define SUB_VAR "hc_sub"
#define BASE_VAR "hc_base"

struct hc_file_index {
	char tree[32]; /* the tree indexed */
	size_t n;      /* its top-level nodes */
	bool small;    /* fewer than INDEX_MIN: nothing indexed */
	char **key;    /* n: "Port[2]" as aug_match() names it; NULL: none */
	char **label;  /* n */
	const char **seen; /* n: each node's label, the tree's own string */
	size_t *slot;      /* mask + 1: 1 + the node a key hashes to, 0 empty */
	size_t mask;
	struct hc_aug_cursor cursor;
};

static void index_free(struct hc_file_index *ix)
{
	if (ix == NULL)
		return;
	for (size_t i = 0; i < ix->n && ix->key; i++) {
		free(ix->key[i]);
		free(ix->label[i]);
	}
	free(ix->key);
	free(ix->label);
	free(ix->seen);
	free(ix->slot);
	hc_aug_cursor_release(&ix->cursor);
	free(ix);
}

/* Drop the index: lookups go to Augeas until they have cost a build. */
static void index_drop(struct hc_file *file)
{
	/*
	 * The tree's own may be the one set aside (the index held another
	 * tree's, or none): it would come back as the tree was.
	 */
	if (file->index_aside &&
	    strcmp(file->index_aside->tree, file->tree) == 0) {
		index_free(file->index_aside);
		file->index_aside = NULL;
	}
	if (file->index == NULL)
		return;
	file->index_debt = file->index->n / INDEX_DEBT;
	index_free(file->index);
	file->index = NULL;
}

/*
 * The tables last read from a file, each handed out again as a copy
 * while its tree is the one read and unedited: the PAM modules read the
 * same stacks as tables again and again, and each read evaluates a path
 * expression per field.  Every edit through this file drops them all
 * before it touches the tree; a tree parsed again has a new name (tree
 * names are never reused), which no memo matches.
 */
#define MEMO_SLOTS 4

struct hc_file_memo {
	struct {
		char tree[32];
		char *key; /* the fields and the list, each ending in '\n' */
		struct hc_file_table table;
	} slot[MEMO_SLOTS];
	unsigned int next; /* the slot to fill next */
};

static void memo_drop(struct hc_file *file)
{
	struct hc_file_memo *m = file->memo;

	if (m == NULL)
		return;
	for (size_t i = 0; i < MEMO_SLOTS; i++) {
		free(m->slot[i].key);
		hc_file_table_release(&m->slot[i].table);
	}
	free(m);
	file->memo = NULL;
}

/* The key of a table's shape into KEY: each field, then the list. */
static int memo_key(struct hc_buf *key, const char *const *fields,
		    size_t nfields, const char *list)
{
	int error = 0;

	for (size_t f = 0; f < nfields && error == 0; f++)
		error = hc_buf_printf(key, "%s\n", fields[f]);
	if (error == 0)
		error = hc_buf_printf(key, "%s\n", list ? list : "");
	return error;
}

/* A copy of table FROM into TO: the arrays, not the tree's strings. */
static int table_copy(struct hc_file_table *to,
		      const struct hc_file_table *from)
{
	memset(to, 0, sizeof(*to));
	to->n = from->n;
	to->nfields = from->nfields;
	to->nlist = from->nlist;
	if ((to->label = calloc(from->n + 1, sizeof(*to->label))) == NULL ||
	    (to->value = calloc(from->n * from->nfields + 1,
				sizeof(*to->value))) == NULL ||
	    (to->list = calloc(from->nlist + 1, sizeof(*to->list))) == NULL ||
	    (to->list_row = calloc(from->nlist + 1, sizeof(*to->list_row))) ==
		NULL) {
		hc_file_table_release(to);
		return hc_error_oom();
	}
	memcpy(to->label, from->label, from->n * sizeof(*to->label));
	memcpy(to->value, from->value,
	       from->n * from->nfields * sizeof(*to->value));
	if (from->nlist) {
		memcpy(to->list, from->list, from->nlist * sizeof(*to->list));
		memcpy(to->list_row, from->list_row,
		       from->nlist * sizeof(*to->list_row));
	}
	return 0;
}

/* The memo of KEY for FILE's tree as it is, or NULL. */
static const struct hc_file_table *memo_find(const struct hc_file *file,
					     const char *key)
{
	const struct hc_file_memo *m = file->memo;

	for (size_t i = 0; m && i < MEMO_SLOTS; i++)
		if (m->slot[i].key && strcmp(m->slot[i].key, key) == 0 &&
		    strcmp(m->slot[i].tree, file->tree) == 0)
			return &m->slot[i].table;
	return NULL;
}

/* Keep a copy of TABLE, just read, under KEY (which it takes). */
static void memo_keep(struct hc_file *file, char *key,
		      const struct hc_file_table *table)
{
	struct hc_file_memo *m = file->memo;
	unsigned int i;

	if (m == NULL && (m = file->memo = calloc(1, sizeof(*m))) == NULL) {
		free(key);
		return; /* a memo is a saving, never needed */
	}
	i = m->next;
	m->next = (m->next + 1) % MEMO_SLOTS;
	free(m->slot[i].key);
	m->slot[i].key = NULL;
	hc_file_table_release(&m->slot[i].table);
	if (table_copy(&m->slot[i].table, table) < 0) {
		hc_error_clear();
		free(key);
		return;
	}
	memcpy(m->slot[i].tree, file->tree, sizeof(m->slot[i].tree));
	m->slot[i].key = key;
}

static size_t hash_bytes(const char *s, size_t len)
{
	size_t h = 14695981039346656037u;

	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211u;
	return h;
}

/*
 * KEY[i] for each of the N LABELS as aug_match() names the nodes: the
 * label, with its place among the siblings of that label when it has
 * some ("Port[2]"); NULL for a label that is not plain.
 */
static int name_nodes(char **key, const char *const *labels, size_t n)
{
	struct count {
		const char *label;
		size_t n, seen;
	} * t;
	struct hc_buf name = HC_BUF_INIT;
	size_t mask = 1;
	int error = 0;

	while (mask < 2 * n)
		mask <<= 1;
	if ((t = calloc(mask--, sizeof(*t))) == NULL)
		return hc_error_oom();
	for (int pass = 0; pass < 2 && error == 0; pass++) {
		for (size_t i = 0; i < n && error == 0; i++) {
			size_t h;

			if (!hc_aug_plain_label(labels[i]))
				continue;
			h = hash_bytes(labels[i], strlen(labels[i])) & mask;
			while (t[h].label && strcmp(t[h].label, labels[i]) != 0)
				h = (h + 1) & mask;
			t[h].label = labels[i];
			if (pass == 0) {
				t[h].n++;
				continue;
			}
			if (t[h].n > 1)
				error = hc_buf_printf(&name, "%s[%zu]",
						      labels[i], ++t[h].seen);
			else
				error = hc_buf_puts(&name, labels[i]);
			if (error == 0 &&
			    (key[i] = hc_buf_detach(&name)) == NULL)
				error = HC_ERROR;
		}
	}
	hc_buf_release(&name);
	free(t);
	return error;
}

static int index_build(struct hc_file_index **out, struct hc_file *file)
{
	struct hc_aug_children kids = {0};
	struct hc_buf all = HC_BUF_INIT;
	struct hc_file_index *ix;
	int error, n = -1;

	*out = NULL;
	if ((ix = calloc(1, sizeof(*ix))) == NULL)
		return hc_error_oom();
	memcpy(ix->tree, file->tree, sizeof(ix->tree));
	/* A count first: a small tree gets its names, not the cursor. */
	if ((error = hc_buf_printf(&all, "%s/*", file->tree)) < 0 ||
	    (n = aug_match(hc_aug_handle(file->aug), all.ptr, NULL)) < 0 ||
	    (error = hc_aug_children(&kids, file->aug, file->tree)) < 0)
		goto out;
	ix->small = n < INDEX_MIN;
	ix->n = kids.n;
	ix->mask = 1;
	while (ix->mask < 2 * ix->n)
		ix->mask <<= 1;
	if ((ix->key = calloc(ix->n + 1, sizeof(*ix->key))) == NULL ||
	    (ix->label = calloc(ix->n + 1, sizeof(*ix->label))) == NULL ||
	    (ix->seen = calloc(ix->n + 1, sizeof(*ix->seen))) == NULL ||
	    (ix->slot = calloc(ix->mask--, sizeof(*ix->slot))) == NULL) {
		error = hc_error_oom();
		goto out;
	}
	if ((error = name_nodes(ix->key, kids.label, ix->n)) < 0 ||
	    (!ix->small &&
	     (error = hc_aug_cursor_init(&ix->cursor, file->aug, file->tree,
					 HC_AUG_NODE)) < 0))
		goto out;
	for (size_t i = 0; i < ix->n && error == 0; i++) {
		size_t h;

		ix->seen[i] = kids.label[i];
		if ((ix->label[i] = hc_strdup(kids.label[i])) == NULL) {
			error = HC_ERROR;
			break;
		}
		if (ix->key[i] == NULL)
			continue;
		h = hash_bytes(ix->key[i], strlen(ix->key[i])) & ix->mask;
		while (ix->slot[h])
			h = (h + 1) & ix->mask;
		ix->slot[h] = i + 1;
	}
out:
	hc_buf_release(&all);
	hc_aug_children_release(&kids);
	if (error < 0 || n < 0) {
		index_free(ix);
		return error < 0 ? error : HC_ERROR;
	}
	*out = ix;
	return 0;
}

/*
 * The names of the file's top-level nodes (its index, small or not),
 * built if it is due; NULL: look up through Augeas.
 */
static struct hc_file_index *names_get(struct hc_file *file)
{
	struct hc_file_index *ix = file->index;

	if (ix && strcmp(ix->tree, file->tree) == 0)
		return ix;
	/*
	 * The engine judges a rule's work on a tree parsed again from the
	 * bytes it renders, then puts the edited tree back: its index comes
	 * back with it, or the next edit would go without and the tree be
	 * marked reshaped.  The other tree's is kept aside in turn.
	 */
	if (file->index_aside &&
	    strcmp(file->index_aside->tree, file->tree) == 0) {
		file->index = file->index_aside;
		file->index_aside = ix;
		return file->index;
	}
	if (ix) { /* another tree (parsed again): as large as the last */
		index_free(file->index_aside);
		file->index_aside = ix;
		file->index = NULL;
		file->index_debt = ix->n / INDEX_DEBT;
	}
	if (file->index_debt > 0) {
		file->index_debt--;
		return NULL;
	}
	if (index_build(&file->index, file) < 0) {
		hc_error_clear();
		return NULL;
	}
	return file->index;
}

/* The file's index with its cursor, or NULL: look up through Augeas. */
static struct hc_file_index *index_get(struct hc_file *file)
{
	struct hc_file_index *ix = names_get(file);

	return ix && !ix->small ? ix : NULL;
}

/* The node KEY (LEN bytes) names in IX, or SIZE_MAX. */
static size_t index_find(const struct hc_file_index *ix, const char *key,
			 size_t len)
{
	size_t h = hash_bytes(key, len) & ix->mask;

	for (; ix->slot[h]; h = (h + 1) & ix->mask) {
		const char *k = ix->key[ix->slot[h] - 1];

		if (strncmp(k, key, len) == 0 && k[len] == '\0')
			return ix->slot[h] - 1;
	}
	return SIZE_MAX;
}

/*
 * The length of the first step of REST (after "T/") when it can name a
 * node of the index: a plain name, and a place in brackets or none.
 */
static size_t first_step(const char *rest)
{
	size_t len = 0;

	while (rest[len] && rest[len] != '/' && rest[len] != '[') {
		if (!hc_aug_plain_char(rest[len]))
			return 0;
		len++;
	}
	if (rest[len] == '[') {
		size_t digits = 0;

		while (rest[len + 1 + digits] >= '0' &&
		       rest[len + 1 + digits] <= '9')
			digits++;
		if (digits == 0 || rest[len + 1 + digits] != ']')
			return 0;
		len += digits + 2;
	}
	return rest[len] == '\0' || rest[len] == '/' ? len : 0;
}

/*
 * For an edit of a small tree's node I, whose names have no cursor: the
 * path with its first step named by place (the I+1st child of any
 * label) and REST after it, once the node there is checked to bear the
 * label indexed, so that the edit's node is known (mark_edited()).
 * PATH when it is not.
 */
static const char *via_place(struct hc_buf *tmp, struct hc_file *file,
			     const char *path, const char *rest, size_t i)
{
	const char *label = NULL;

	hc_buf_clear(tmp);
	if (hc_buf_printf(tmp, "%s/*[%zu]", file->tree, i + 1) < 0 ||
	    aug_label(hc_aug_handle(file->aug), hc_buf_cstr(tmp), &label) !=
		1 ||
	    label == NULL || strcmp(label, file->index->label[i]) != 0) {
		/* Not the tree it named: changed behind its back. */
		hc_error_clear();
		index_drop(file);
		return path;
	}
	if (hc_buf_puts(tmp, rest) < 0) {
		hc_error_clear();
		return path;
	}
	return hc_buf_cstr(tmp);
}

/*
 * PATH (in the file's tree), or the same path from the cursor on its
 * first node when the index knows that node, written into TMP.  *NODE,
 * unless NULL, gets the node's place in the index, or SIZE_MAX; in a
 * small tree, asked for it, the path names the node by its place.
 */
static const char *via(struct hc_buf *tmp, struct hc_file *file,
		       const char *path, size_t *node)
{
	size_t tlen = strlen(file->tree), len, i;
	struct hc_file_index *ix;
	const char *label, *at;

	if (node)
		*node = SIZE_MAX;
	if (strncmp(path, file->tree, tlen) != 0 || path[tlen] != '/' ||
	    (len = first_step(path + tlen + 1)) == 0 ||
	    (ix = names_get(file)) == NULL || (ix->small && node == NULL) ||
	    (i = index_find(ix, path + tlen + 1, len)) == SIZE_MAX)
		return path;
	if (ix->small) {
		if ((at = via_place(tmp, file, path, path + tlen + 1 + len,
				    i)) != path)
			*node = i;
		return at;
	}
	if (hc_aug_cursor_seek(&ix->cursor, i) < 0 ||
	    (label = hc_aug_cursor_label(&ix->cursor)) == NULL ||
	    strcmp(label, ix->label[i]) != 0) {
		/* Not the tree it indexed: changed behind its back. */
		hc_error_clear();
		index_drop(file);
		return path;
	}
	hc_buf_clear(tmp);
	if (hc_buf_printf(tmp, "%s%s", HC_AUG_NODE, path + tlen + 1 + len) <
	    0) {
		hc_error_clear();
		return path;
	}
	if (node)
		*node = i;
	return hc_buf_cstr(tmp);
}

/* The tree is no longer what was read: it must be rendered. */
static void mark_dirty(struct hc_file *file)
{
	file->dirty = true;
	file->tree_as_read = false;
	if (!file->exists)
		file->created = true;
}

/*
 * The tree was edited: through the index (KEPT) its top level was not,
 * only top-level node NODE's value or what lies below it.
 */
static void mark_edited(struct hc_file *file, bool kept, size_t node)
{
	mark_dirty(file);
	if (kept) {
		hc_aug_edited(file->aug, file->tree, node);
	} else {
		index_drop(file);
		hc_aug_reshaped(file->aug, file->tree);
	}
}

/* The tree was given a top-level node after every other. */
static void mark_appended(struct hc_file *file)
{
	mark_dirty(file);
	/* Only grown: the next lookup builds the index again. */
	index_drop(file);
	file->index_debt = 0;
	hc_aug_appended(file->aug, file->tree);
}

/* Whether PATH names one top-level node of FILE by a plain label alone. */
static bool top_label(const struct hc_file *file, const char *path)
{
	size_t tlen = strlen(file->tree), len;

	return strncmp(path, file->tree, tlen) == 0 && path[tlen] == '/' &&
	       (len = first_step(path + tlen + 1)) > 0 &&
	       path[tlen + 1 + len] == '\0' &&
	       memchr(path + tlen + 1, '[', len) == NULL;
}

/* Whether the LEN bytes of NAME name children: a plain name, or "*". */
static bool child_step(const char *name, size_t len)
{
	if (len == 0 || (len <= 2 && strspn(name, ".") >= len))
		return false; /* "//", "." or ".." */
	if (len == 1 && *name == '*')
		return true;
	for (size_t i = 0; i < len; i++)
		if (!hc_aug_plain_char(name[i]))
			return false; /* an axis, a function */
	return true;
}

/* Past the predicate P starts ("[...]"), or NULL when it does not end. */
static const char *skip_predicate(const char *p)
{
	int depth = 0;
	char quote = 0;

	do {
		if (quote) {
			if (*p == quote)
				quote = 0;
		} else if (*p == '\'' || *p == '"') {
			quote = *p;
		} else {
			depth += (*p == '[') - (*p == ']');
		}
		p++;
	} while (*p && depth > 0);
	return depth > 0 ? NULL : p;
}

/*
 * Whether the steps P (after HC_AUG_NODE) only go down: each names
 * children ("x", "x[2]", "*[label() = 'y']"), none is ".", "..", an
 * axis or the empty step of "//", which could reach the top level.
 */
static bool goes_down(const char *p)
{
	while (p && *p == '/') {
		const char *name = ++p;

		while (*p && *p != '/' && *p != '[')
			p++;
		if (!child_step(name, (size_t)(p - name)))
			return false;
		/* A predicate only filters the children named. */
		while (p && *p == '[')
			p = skip_predicate(p);
	}
	return p && *p == '\0';
}

/*
 * Whether an edit at AT (via()'s rewrite of PATH, of index node INDEXED)
 * left the top level as it was: made through the index, below a
 * top-level node (or, when SELF, on the node itself: a set of its
 * value).
 */
static bool kept_top(const char *at, const char *path, size_t indexed,
		     bool self)
{
	const char *rest = at;

	if (indexed == SIZE_MAX || at == path)
		return false;
	/* From the cursor, or from the node's place ("[I]" ends it). */
	if (strncmp(at, HC_AUG_NODE, strlen(HC_AUG_NODE)) == 0)
		rest = at + strlen(HC_AUG_NODE);
	else if ((rest = strchr(at, ']')) != NULL)
		rest++;
	return rest && (self || *rest) && goes_down(rest);
}

/*
 * Resolve NODE against the file's tree into OUT.  An absolute NODE must
 * lie inside the tree: a module may not edit another file's tree
 * through this one, or the other file would miss its dirty mark.
 */
static int node_path(struct hc_buf *out, struct hc_file *file, const char *node)
{
	size_t len = strlen(file->tree);

	hc_buf_clear(out);
	if (node[0] != '/')
		return hc_buf_printf(out, "%s/%s", file->tree, node);
	if (strncmp(node, file->tree, len) != 0 ||
	    (node[len] != '/' && node[len] != '\0')) {
		hc_error_set("node '%s' is not in the tree of %s", node,
			     file->display);
		return HC_ERROR;
	}
	return hc_buf_puts(out, node);
}

int hc_file_get(const char **value, struct hc_file *file, const char *node)
{
	struct hc_buf path = HC_BUF_INIT, fast = HC_BUF_INIT;
	augeas *aug = hc_aug_handle(file->aug);
	const char *at;
	int error, r;

	*value = NULL;
	if ((error = node_path(&path, file, node)) < 0)
		goto out;
	at = via(&fast, file, path.ptr, NULL);
	/* Augeas names the path it was given in its error: on failure,
	 * ask again with the file's own, as every helper below does. */
	if ((r = aug_get(aug, at, value)) < 0 && at != path.ptr)
		r = aug_get(aug, path.ptr, value);
	if (r < 0) {
		hc_aug_error(file->aug, "cannot read node");
		hc_error_prefix("%s: %s", file->display, path.ptr);
		error = HC_ERROR;
	}
out:
	hc_buf_release(&fast);
	hc_buf_release(&path);
	return error;
}

int hc_file_child(char **out, struct hc_file *file, const char *node,
		  const char *name)
{
	struct hc_buf path = HC_BUF_INIT;
	const char *v = NULL;
	int error;

	*out = NULL;
	if ((error = hc_buf_printf(&path, "%s/%s", node, name)) == 0 &&
	    (error = hc_file_get(&v, file, path.ptr)) == 0 && v &&
	    (*out = hc_strdup(v)) == NULL)
		error = HC_ERROR;
	hc_buf_release(&path);
	return error;
}

int hc_file_set(struct hc_file *file, const char *node, const char *value)
{
	struct hc_buf path = HC_BUF_INIT, fast = HC_BUF_INIT;
	const char *old = NULL, *at;
	augeas *aug = hc_aug_handle(file->aug);
	size_t indexed;
	int error, r;

	if ((error = node_path(&path, file, node)) < 0)
		goto out;
	at = via(&fast, file, path.ptr, &indexed);
	r = aug_get(aug, at, &old);
	if (r == 1 && old && value && strcmp(old, value) == 0)
		goto out;
	memo_drop(file);
	if (aug_set(aug, at, value) < 0 &&
	    (at == path.ptr || aug_set(aug, (at = path.ptr), value) < 0)) {
		hc_aug_error(file->aug, "cannot set node");
		hc_error_prefix("%s: %s", file->display, path.ptr);
		error = HC_ERROR;
		goto out;
	}
	/* A label the top level lacked: Augeas adds it after every node. */
	if (r == 0 && top_label(file, path.ptr)) {
		mark_appended(file);
		goto out;
	}
	/* Below a node that exists, a set adds nothing at the top. */
	mark_edited(file, kept_top(at, path.ptr, indexed, true), indexed);
out:
	hc_buf_release(&fast);
	hc_buf_release(&path);
	return error;
}

int hc_file_count(struct hc_file *file, const char *pattern)
{
	struct hc_buf path = HC_BUF_INIT, fast = HC_BUF_INIT;
	int n;

	if ((n = node_path(&path, file, pattern)) == 0 &&
	    (n = aug_match(hc_aug_handle(file->aug),
			   via(&fast, file, path.ptr, NULL), NULL)) < 0 &&
	    (n = aug_match(hc_aug_handle(file->aug), path.ptr, NULL)) < 0) {
		hc_aug_error(file->aug, "cannot match nodes");
		hc_error_prefix("%s: %s", file->display, path.ptr);
		n = HC_ERROR;
	}
	hc_buf_release(&fast);
	hc_buf_release(&path);
	return n;
}

/*
 * The children of BASE (the tree, or HC_AUG_NODE): their labels, the
 * tree's strings, and their names as aug_match() writes them, into
 * *LABELS and *KEYS (the caller frees both and each key), N of them.
 * 1, 0 when Augeas cannot walk them, or HC_ERROR.
 */
static int children_named(char ***keys, const char ***labels, size_t *n,
			  struct hc_file *file, const char *base)
{
	augeas *aug = hc_aug_handle(file->aug);
	struct hc_buf all = HC_BUF_INIT;
	int count, r = 1;

	*keys = NULL;
	*labels = NULL;
	*n = 0;
	if (hc_buf_printf(&all, "%s/*", base) < 0)
		return HC_ERROR;
	count = aug_defvar(aug, SUB_VAR, all.ptr);
	hc_buf_release(&all);
	if (count < 0) {
		r = 0;
		goto out;
	}
	if ((*labels = calloc((size_t)count + 1, sizeof(**labels))) == NULL ||
	    (*keys = calloc((size_t)count + 1, sizeof(**keys))) == NULL) {
		r = hc_error_oom();
		goto out;
	}
	*n = (size_t)count;
	for (int k = 0; k < count && r == 1; k++)
		if (aug_ns_label(aug, SUB_VAR, k, &(*labels)[k], NULL) < 0)
			r = 0;
	if (r == 1 && name_nodes(*keys, *labels, *n) < 0)
		r = HC_ERROR;
out:
	aug_defvar(aug, SUB_VAR, NULL);
	return r;
}

/*
 * The nodes EXPR matches, all children of BASE (the tree, or the
 * index's node HC_AUG_NODE), named as aug_match() names them: PREFIX,
 * BASE's own path, then each one's name.  1 when OUT holds them, 0 when
 * the caller must ask aug_match() (a node that is no child of BASE, or
 * whose label is not plain), or HC_ERROR.
 */
static int match_named(struct hc_strlist *out, struct hc_file *file,
		       const char *base, const char *prefix, const char *expr)
{
	augeas *aug = hc_aug_handle(file->aug);
	struct hc_strlist found = HC_STRLIST_INIT;
	struct hc_buf name = HC_BUF_INIT;
	const char **labels = NULL;
	char **keys = NULL;
	int m = 0, error = 0, named = 0;
	size_t n = 0, i = 0;
	bool own = strcmp(base, file->tree) != 0; /* not the index's names */

	if (!own) {
		/* The index's names, built in the walk it made. */
		labels = file->index->seen;
		keys = file->index->key;
		n = file->index->n;
	} else if ((error = children_named(&keys, &labels, &n, file, base)) !=
		   1) {
		goto out;
	}
	if ((m = aug_defvar(aug, MATCH_VAR, expr)) < 0)
		goto out;
	/* The matches come in the tree's order: each is a later child. */
	for (int j = 0; j < m && error >= 0; j++) {
		const char *label = NULL;

		if (aug_ns_label(aug, MATCH_VAR, j, &label, NULL) < 0)
			goto out;
		while (i < n && labels[i] != label)
			i++;
		if (i == n || keys[i] == NULL)
			goto out;
		hc_buf_clear(&name);
		if ((error =
			 hc_buf_printf(&name, "%s/%s", prefix, keys[i++])) == 0)
			error = hc_strlist_push(&found, name.ptr);
	}
	for (size_t k = 0; k < found.n && error >= 0; k++)
		error = hc_strlist_push(out, found.v[k]);
	named = error >= 0;
out:
	aug_defvar(aug, MATCH_VAR, NULL);
	if (own) {
		for (size_t k = 0; k < n && keys; k++)
			free(keys[k]);
		free(keys);
		free(labels);
	}
	hc_strlist_release(&found);
	hc_buf_release(&name);
	return error < 0 ? error : named;
}

/*
 * The matches of AT, "$hc_node/MID/LAST" with MID a plain step, when MID
 * is one node: named, as match_named() names them, from PREFIX (the
 * index's node's own path), then MID's name, then each one's.  Augeas
 * names each match from the top, counting the siblings of every node
 * above it: in a tree of N entries, reading each one's grandchildren
 * that way costs N squared.  1 when OUT holds them, 0 when the caller
 * must ask aug_match(), or HC_ERROR.
 */
static int match_below(struct hc_strlist *out, struct hc_file *file,
		       const char *prefix, const char *at)
{
	augeas *aug = hc_aug_handle(file->aug);
	struct hc_strlist bases = HC_STRLIST_INIT;
	struct hc_buf expr = HC_BUF_INIT;
	const char *mid = at + strlen(HC_AUG_NODE) + 1;
	size_t len = first_step(mid);
	int r;

	if (len == 0 || mid[len] != '/' || strchr(mid + len + 1, '/'))
		return 0;
	if ((r = hc_buf_put(&expr, at, (size_t)(mid + len - at))) < 0 ||
	    (r = match_named(&bases, file, HC_AUG_NODE, prefix, expr.ptr)) !=
		1 ||
	    bases.n > 1)
		goto out;
	if (bases.n == 1 && aug_defvar(aug, BASE_VAR, expr.ptr) == 1) {
		hc_buf_clear(&expr);
		if ((r = hc_buf_printf(&expr, "$" BASE_VAR "/%s",
				       mid + len + 1)) == 0)
			r = match_named(out, file, "$" BASE_VAR, bases.v[0],
					expr.ptr);
		aug_defvar(aug, BASE_VAR, NULL);
	} else if (bases.n == 1) {
		r = 0;
	}
out:
	hc_buf_release(&expr);
	hc_strlist_release(&bases);
	return r < 0 ? r : r == 1 && bases.n <= 1;
}

/*
 * Name the matches of PATH without aug_match() when they lie one step
 * below the tree, or one or two below a node of the index: 1 when OUT
 * holds them, 0 when not, or HC_ERROR.
 */
static int match_fast(struct hc_strlist *out, struct hc_file *file,
		      const char *path)
{
	size_t tlen = strlen(file->tree), len, node;
	struct hc_buf fast = HC_BUF_INIT, prefix = HC_BUF_INIT;
	const char *rest = path + tlen + 1, *at;
	int r = 0;

	if (strncmp(path, file->tree, tlen) != 0 || path[tlen] != '/' ||
	    names_get(file) == NULL)
		return 0;
	if (strchr(rest, '/') == NULL)
		return match_named(out, file, file->tree, file->tree, path);
	if (index_get(file) == NULL)
		return 0;
	if ((len = first_step(rest)) == 0 ||
	    (at = via(&fast, file, path, &node)) == path)
		goto out;
	if ((r = hc_buf_printf(&prefix, "%s/%s", file->tree,
			       file->index->key[node])) < 0)
		goto out;
	r = strchr(rest + len + 1, '/')
		? match_below(out, file, prefix.ptr, at)
		: match_named(out, file, HC_AUG_NODE, prefix.ptr, at);
out:
	hc_buf_release(&prefix);
	hc_buf_release(&fast);
	return r;
}

int hc_file_match(struct hc_strlist *out, struct hc_file *file,
		  const char *pattern)
{
	struct hc_buf path = HC_BUF_INIT, fast = HC_BUF_INIT;
	char **matches = NULL;
	int error, n = 0;

	if ((error = node_path(&path, file, pattern)) < 0)
		goto out;
	if ((error = match_fast(out, file, path.ptr)) != 0) {
		error = error < 0 ? error : 0;
		goto out;
	}
	if ((n = aug_match(hc_aug_handle(file->aug),
			   via(&fast, file, path.ptr, NULL), &matches)) < 0 &&
	    (n = aug_match(hc_aug_handle(file->aug), path.ptr, &matches)) < 0) {
		hc_aug_error(file->aug, "cannot match nodes");
		hc_error_prefix("%s: %s", file->display, path.ptr);
		error = HC_ERROR;
		goto out;
	}
	/* Each named so that it reads back as itself (a label "*"). */
	for (int i = 0; i < n; i++) {
		int kept = i; /* the first not yet handed on */

		if ((error = hc_aug_exact_path(&matches[i])) == 0) {
			kept = i + 1; /* pushed, or freed by the push */
			error = hc_strlist_push_owned(out, matches[i]);
		}
		if (error < 0) {
			for (int j = kept; j < n; j++)
				free(matches[j]);
			break;
		}
	}
out:
	free(matches);
	hc_buf_release(&fast);
	hc_buf_release(&path);
	return error;
}

int hc_file_children(struct hc_aug_children *kids, struct hc_file *file)
{
	int error = hc_aug_children(kids, file->aug, file->tree);

	if (error < 0)
		hc_error_prefix("%s", file->display);
	return error;
}

#define TABLE_VAR "hc_table"
#define TABLE_STEP_VAR "hc_table_step"

/* Define VAR as EXPR (released here), or fail: its size or -1. */
static int define(struct hc_file *file, const char *var, struct hc_buf *expr,
		  int error)
{
	int n = -1;

	if (error == 0 &&
	    (n = aug_defvar(hc_aug_handle(file->aug), var, expr->ptr)) < 0)
		hc_aug_error(file->aug, "cannot read the table");
	hc_buf_release(expr);
	return n;
}

/* Define the table's variable: entries holding every field once; its size or
 * -1. */
static int table_var(struct hc_file *file, const char *const *fields,
		     size_t nfields)
{
	struct hc_buf expr = HC_BUF_INIT;
	int error = hc_buf_printf(&expr, "%s/*[", file->tree);

	for (size_t f = 0; f < nfields && error == 0; f++)
		error = hc_buf_printf(&expr, "%scount(%s)=1", f ? " and " : "",
				      fields[f]);
	if (error == 0)
		error = hc_buf_puts(&expr, "]");
	return define(file, TABLE_VAR, &expr, error);
}

/*
 * Define the step variable: the nodes CHILD names below the entries, in
 * their order.  Built on the entries' variable, not on a path of its
 * own: the entries' predicate, which counts each field of every node,
 * is evaluated once per table, not once per field.  Its size or -1.
 */
static int table_step(struct hc_file *file, const char *child)
{
	struct hc_buf expr = HC_BUF_INIT;
	int error = hc_buf_printf(&expr, "$%s/%s", TABLE_VAR, child);

	return define(file, TABLE_STEP_VAR, &expr, error);
}

/* The list's values, each with its row: a new row begins at each FIRST. */
static int table_list(struct hc_file_table *t, struct hc_file *file,
		      const char *const *fields, const char *list)
{
	augeas *aug = hc_aug_handle(file->aug);
	int n = table_step(file, "*");
	size_t row = 0;
	bool started = false;

	if (n < 0)
		return HC_ERROR;
	if ((t->list = calloc((size_t)n + 1, sizeof(*t->list))) == NULL ||
	    (t->list_row = calloc((size_t)n + 1, sizeof(*t->list_row))) == NULL)
		return hc_error_oom();
	for (int i = 0; i < n; i++) {
		const char *label = NULL, *value = NULL;

		if (aug_ns_label(aug, TABLE_STEP_VAR, i, &label, NULL) < 0 ||
		    aug_ns_value(aug, TABLE_STEP_VAR, i, &value) < 0)
			return hc_aug_error(file->aug, "cannot read the table");
		if (label && strcmp(label, fields[0]) == 0) {
			row += started;
			started = true;
		} else if (label && strcmp(label, list) == 0 && started &&
			   row < t->n) {
			t->list[t->nlist] = value;
			t->list_row[t->nlist++] = row;
		}
	}
	return 0;
}

/*
 * Each row's place among the top-level nodes.  A row is known by its
 * label, the tree's own string: no two nodes share one.
 */
static int table_children(size_t **out, const struct hc_file_table *t,
			  struct hc_file *file)
{
	struct hc_aug_children kids;
	size_t r = 0, *child;
	int error;

	*out = NULL;
	if ((child = calloc(t->n + 1, sizeof(*child))) == NULL)
		return hc_error_oom();
	if ((error = hc_aug_children(&kids, file->aug, file->tree)) < 0) {
		free(child);
		return error;
	}
	for (size_t i = 0; i < kids.n && r < t->n; i++)
		if (kids.label[i] == t->label[r])
			child[r++] = i;
	hc_aug_children_release(&kids);
	if (r < t->n) {
		free(child);
		hc_error_set("the tree changed since it was read");
		return HC_ERROR;
	}
	*out = child;
	return 0;
}

static int table_read(struct hc_file_table *out, struct hc_file *file,
		      const char *const *fields, size_t nfields,
		      const char *list)
{
	augeas *aug = hc_aug_handle(file->aug);
	int n, error = 0;

	memset(out, 0, sizeof(*out));
	out->nfields = nfields;
	if ((n = table_var(file, fields, nfields)) < 0) {
		error = HC_ERROR;
		goto out;
	}
	out->n = (size_t)n;
	if ((out->label = calloc(out->n + 1, sizeof(*out->label))) == NULL ||
	    (out->value = calloc(out->n * nfields + 1, sizeof(*out->value))) ==
		NULL) {
		error = hc_error_oom();
		goto out;
	}
	for (size_t i = 0; i < out->n; i++)
		if (aug_ns_label(aug, TABLE_VAR, (int)i, &out->label[i], NULL) <
		    0)
			goto fail;
	/* Each field once per row: its nodes come in the rows' order. */
	for (size_t f = 0; f < nfields; f++) {
		if (table_step(file, fields[f]) != n)
			goto fail;
		for (size_t i = 0; i < out->n; i++)
			if (aug_ns_value(aug, TABLE_STEP_VAR, (int)i,
					 &out->value[i * nfields + f]) < 0)
				goto fail;
	}
	if (list)
		error = table_list(out, file, fields, list);
	goto out;
fail:
	error = hc_aug_error(file->aug, "cannot read the table");
out:
	aug_defvar(aug, TABLE_STEP_VAR, NULL);
	aug_defvar(aug, TABLE_VAR, NULL);
	if (error < 0) {
		hc_error_prefix("%s", file->display);
		hc_file_table_release(out);
	}
	return error;
}

int hc_file_table(struct hc_file_table *out, struct hc_file *file,
		  const char *const *fields, size_t nfields, const char *list)
{
	const struct hc_file_table *memo;
	struct hc_buf key = HC_BUF_INIT;
	int error;

	memset(out, 0, sizeof(*out));
	if ((error = memo_key(&key, fields, nfields, list)) < 0)
		goto out;
	if ((memo = memo_find(file, key.ptr)) != NULL)
		error = table_copy(out, memo);
	else if ((error = table_read(out, file, fields, nfields, list)) == 0)
		memo_keep(file, hc_buf_detach(&key), out);
out:
	hc_buf_release(&key);
	return error;
}

void hc_file_table_release(struct hc_file_table *table)
{
	free(table->label);
	free(table->value);
	free(table->list);
	free(table->list_row);
	memset(table, 0, sizeof(*table));
}

/* Put CURSOR on row ROW of TABLE: the node it names must be that row's. */
static int table_seek(struct hc_aug_cursor *cursor,
		      const struct hc_file_table *table, const size_t *child,
		      size_t row)
{
	int error;

	if (row >= table->n) {
		hc_error_set("no row %zu in a table of %zu", row + 1, table->n);
		return HC_ERROR;
	}
	if ((error = hc_aug_cursor_seek(cursor, child[row])) < 0)
		return error;
	if (hc_aug_cursor_label(cursor) != table->label[row]) {
		hc_error_set("the tree changed since it was read");
		return HC_ERROR;
	}
	return 0;
}

int hc_file_table_set(struct hc_file *file, const struct hc_file_table *table,
		      const struct hc_file_edit *edits, size_t n)
{
	struct hc_aug_cursor cursor = {0};
	struct hc_buf path = HC_BUF_INIT;
	augeas *aug = hc_aug_handle(file->aug);
	size_t *child = NULL;
	int error;

	if (n == 0)
		return 0;
	if ((error = table_children(&child, table, file)) == 0)
		error = hc_aug_cursor_init(&cursor, file->aug, file->tree,
					   HC_AUG_CURSOR);
	for (size_t k = 0; k < n && error == 0; k++) {
		const char *old = NULL;

		hc_buf_clear(&path);
		if ((error = table_seek(&cursor, table, child, edits[k].row)) <
			0 ||
		    (error = hc_buf_printf(&path, "%s/%s", HC_AUG_CURSOR,
					   edits[k].field)) < 0)
			break;
		if (aug_get(aug, path.ptr, &old) == 1 && old &&
		    edits[k].value && strcmp(old, edits[k].value) == 0)
			continue;
		memo_drop(file);
		if (aug_set(aug, path.ptr, edits[k].value) < 0) {
			error = hc_aug_error(file->aug, "cannot set node");
			break;
		}
		mark_edited(file, true, child[edits[k].row]);
	}
	if (error < 0)
		hc_error_prefix("%s", file->display);
	hc_aug_cursor_release(&cursor);
	hc_buf_release(&path);
	free(child);
	return error;
}

/*
 * The text line numbers count in: the one the tree's spans point into,
 * the bytes as last parsed or rendered, not orig (which a plan's overlay
 * or a render since has left behind).
 */
static const char *span_text(struct hc_file *file)
{
	const char *text = hc_aug_text(file->aug, file->tree);

	return text ? text : hc_buf_cstr(&file->orig);
}

int hc_file_table_lines(unsigned int *lines, struct hc_file *file,
			const struct hc_file_table *table)
{
	struct hc_aug_cursor cursor = {0};
	const char *text = span_text(file);
	size_t *child = NULL;
	int error = table_children(&child, table, file);

	if (error == 0)
		error = hc_aug_cursor_init(&cursor, file->aug, file->tree,
					   HC_AUG_CURSOR);
	for (size_t r = 0; r < table->n && error == 0; r++)
		if ((error = table_seek(&cursor, table, child, r)) == 0)
			lines[r] = hc_aug_line(file->aug, HC_AUG_CURSOR, text);
	if (error < 0)
		hc_error_prefix("%s", file->display);
	hc_aug_cursor_release(&cursor);
	free(child);
	return error;
}

int hc_file_insert(struct hc_file *file, const char *node, const char *label,
		   bool before)
{
	augeas *aug = hc_aug_handle(file->aug);
	struct hc_buf path = HC_BUF_INIT, fast = HC_BUF_INIT;
	const char *at;
	size_t indexed;
	int error;

	if ((error = node_path(&path, file, node)) < 0)
		goto out;
	at = via(&fast, file, path.ptr, &indexed);
	memo_drop(file);
	if (aug_insert(aug, at, label, before) < 0 &&
	    (at == path.ptr ||
	     aug_insert(aug, (at = path.ptr), label, before) < 0)) {
		hc_aug_error(file->aug, "cannot insert node");
		hc_error_prefix("%s: %s", file->display, path.ptr);
		error = HC_ERROR;
		goto out;
	}
	/* Below a top-level node, the top is as it was. */
	mark_edited(file, kept_top(at, path.ptr, indexed, false), indexed);
out:
	hc_buf_release(&fast);
	hc_buf_release(&path);
	return error;
}

int hc_file_rename(struct hc_file *file, const char *node, const char *label)
{
	augeas *aug = hc_aug_handle(file->aug);
	struct hc_buf path = HC_BUF_INIT, fast = HC_BUF_INIT;
	const char *at;
	size_t indexed;
	int error;

	if ((error = node_path(&path, file, node)) < 0)
		goto out;
	at = via(&fast, file, path.ptr, &indexed);
	memo_drop(file);
	if (aug_rename(aug, at, label) < 0 &&
	    (at == path.ptr || aug_rename(aug, (at = path.ptr), label) < 0)) {
		hc_aug_error(file->aug, "cannot rename node");
		hc_error_prefix("%s: %s", file->display, path.ptr);
		error = HC_ERROR;
		goto out;
	}
	/* Below a top-level node, the top is as it was. */
	mark_edited(file, kept_top(at, path.ptr, indexed, false), indexed);
out:
	hc_buf_release(&fast);
	hc_buf_release(&path);
	return error;
}

int hc_file_rm(struct hc_file *file, const char *node)
{
	augeas *aug = hc_aug_handle(file->aug);
	struct hc_buf path = HC_BUF_INIT, fast = HC_BUF_INIT;
	const char *at;
	size_t indexed;
	int error, r;

	if ((error = node_path(&path, file, node)) < 0)
		goto out;
	at = via(&fast, file, path.ptr, &indexed);
	memo_drop(file);
	if ((r = aug_rm(aug, at)) < 0 && at != path.ptr)
		r = aug_rm(aug, (at = path.ptr));
	if (r < 0) {
		hc_aug_error(file->aug, "cannot remove node");
		hc_error_prefix("%s: %s", file->display, path.ptr);
		error = HC_ERROR;
		goto out;
	}
	if (r > 0)
		/* Below a top-level node, the top is as it was. */
		mark_edited(file, kept_top(at, path.ptr, indexed, false),
			    indexed);
out:
	hc_buf_release(&fast);
	hc_buf_release(&path);
	return error;
}

/*
 * The label of the top-level node PATH names in a small tree, from its
 * names (the tree's own string); NULL when PATH is not one step below
 * the tree or the names do not hold that step: ask Augeas.  A large
 * tree's index checks the node through its cursor (via()) instead.
 */
static const char *label_named(struct hc_file *file, const char *path)
{
	size_t tlen = strlen(file->tree), len, i;
	struct hc_file_index *ix;

	if (strncmp(path, file->tree, tlen) != 0 || path[tlen] != '/' ||
	    (len = first_step(path + tlen + 1)) == 0 ||
	    path[tlen + 1 + len] != '\0' || (ix = names_get(file)) == NULL ||
	    !ix->small ||
	    (i = index_find(ix, path + tlen + 1, len)) == SIZE_MAX)
		return NULL;
	return ix->seen[i];
}

const char *hc_file_label(struct hc_file *file, const char *node)
{
	struct hc_buf path = HC_BUF_INIT, fast = HC_BUF_INIT;
	const char *label = NULL;

	if (node_path(&path, file, node) == 0 &&
	    (label = label_named(file, path.ptr)) == NULL &&
	    aug_label(hc_aug_handle(file->aug),
		      via(&fast, file, path.ptr, NULL), &label) != 1)
		label = NULL;
	hc_buf_release(&fast);
	hc_buf_release(&path);
	return label;
}

unsigned int hc_file_line(struct hc_file *file, const char *node)
{
	struct hc_buf path = HC_BUF_INIT, fast = HC_BUF_INIT;
	unsigned int line = 0;

	if (node_path(&path, file, node) == 0)
		line = hc_aug_line(file->aug, via(&fast, file, path.ptr, NULL),
				   span_text(file));
	hc_buf_release(&fast);
	hc_buf_release(&path);
	return line;
}

int hc_file_set_mode(struct hc_file *file, mode_t mode)
{
	if (mode & ~(mode_t)07777) {
		hc_error_set_at(file->display, 0,
				"mode %o is not permission bits",
				(unsigned int)mode);
		return hc_error_set_code(HC_EINVALID);
	}
	file->mode = mode;
	return 0;
}

int hc_file_set_owner(struct hc_file *file, uid_t uid, gid_t gid)
{
	file->uid = uid;
	file->gid = gid;
	return 0;
}

int hc_file_set_link(struct hc_file *file, const char *target)
{
	if (file->lens) {
		hc_error_set_at(file->display, 0,
				"read with lens %s: it cannot become a symlink",
				file->lens);
		return hc_error_set_code(HC_EINVALID);
	}
	if (file->as_link && strcmp(hc_buf_cstr(&file->cur), target) == 0 &&
	    !file->removed)
		return 0;
	if (hc_buf_set(&file->cur, target, strlen(target)) < 0)
		return HC_ERROR;
	file->as_link = true;
	file->removed = false;
	file->mode = 0777;
	if (!file->exists)
		file->created = true;
	return 0;
}

int hc_file_remove(struct hc_file *file)
{
	file->removed = true;
	file->created = false;
	return 0;
}

bool hc_file_present(const struct hc_file *file)
{
	return !file->removed && (file->exists || file->created);
}

int hc_file_render(struct hc_file *file)
{
	int error;

	if (!file->dirty || file->lens == NULL)
		return 0;
	if (file->render_lens == NULL ||
	    (error = hc_aug_render_with(&file->cur, file->aug,
					file->render_lens, file->tree)) > 0)
		error = hc_aug_render_edited(&file->cur, file->aug, file->lens,
					     file->tree);
	if (error > 0)
		error = hc_aug_render_pieces(&file->cur, file->aug, file->lens,
					     file->tree, HC_AUG_PIECE_LINES);
	if (error > 0)
		error = hc_aug_render(&file->cur, file->aug, file->lens,
				      file->tree, file->display);
	if (error == 0)
		file->dirty = false;
	return error;
}

void hc_file_free(struct hc_file *file)
{
	if (file == NULL)
		return;
	if (file->shares) {
		file->shares--; /* another context still holds it */
		return;
	}
	index_drop(file);
	index_free(file->index_aside);
	memo_drop(file);
	if (file->tree[0])
		hc_aug_drop(file->aug, file->tree);
	free(file->path);
	free(file->display);
	hc_buf_release(&file->orig);
	hc_buf_release(&file->cur);
	free(file);
}
