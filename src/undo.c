/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Node-level undo (see hardctl/undo.h).
 */
#include <stdlib.h>
#include <string.h>
#include "hardctl/aug.h"
#include "hardctl/undo.h"

/* A node of a tree, flattened in document order. */
struct node {
	char *key;        /* label path from the tree's root, with indexes */
	char *path;       /* its Augeas path */
	char *value;      /* NULL: none */
	size_t parent;    /* index of its parent, or (size_t)-1 */
	size_t prev;      /* index of its previous sibling, or (size_t)-1 */
	bool leaf;
};

struct tree {
	char id[32];
	struct node *v;
	size_t n;
	size_t alloc;
};

#define NONE ((size_t)-1)

static void tree_release(struct hc_aug *aug, struct tree *t)
{
	for (size_t i = 0; i < t->n; i++) {
		free(t->v[i].key);
		free(t->v[i].path);
		free(t->v[i].value);
	}
	free(t->v);
	if (t->id[0])
		hc_aug_drop(aug, t->id);
	memset(t, 0, sizeof(*t));
}

static int push(struct tree *t, struct node *n)
{
	if (t->n == t->alloc) {
		size_t alloc = t->alloc ? t->alloc * 2 : 64;
		struct node *v = reallocarray(t->v, alloc, sizeof(*v));

		if (v == NULL)
			return hc_error_oom();
		t->v = v;
		t->alloc = alloc;
	}
	t->v[t->n++] = *n;
	return 0;
}

/* Append the children of the node at PATH (index PARENT) to T, recursively. */
static int flatten(struct tree *t, augeas *aug, const char *path, size_t parent,
		   const char *prefix)
{
	struct hc_buf pattern = HC_BUF_INIT, key = HC_BUF_INIT;
	char **m = NULL;
	size_t prev = NONE;
	int n, error = 0;

	if ((error = hc_buf_printf(&pattern, "%s/*", path)) < 0)
		return error;
	if ((n = aug_match(aug, pattern.ptr, &m)) < 0) {
		hc_error_set("cannot walk tree %s", path);
		n = 0;
		error = HC_ERROR;
	}
	for (int i = 0; i < n && error == 0; i++) {
		const char *label = NULL, *value = NULL;
		struct node node = { 0 };
		unsigned int k = 1;

		aug_label(aug, m[i], &label);
		aug_get(aug, m[i], &value);
		/* Its position among the earlier siblings with its label. */
		for (int j = 0; j < i; j++) {
			const char *other = NULL;

			aug_label(aug, m[j], &other);
			if (label && other && strcmp(label, other) == 0)
				k++;
		}
		hc_buf_clear(&key);
		if ((error = hc_buf_printf(&key, "%s/%s[%u]", prefix, label ? label : "", k)) < 0)
			break;
		node.key = hc_buf_detach(&key);
		node.path = strdup(m[i]);
		node.value = value ? strdup(value) : NULL;
		node.parent = parent;
		node.prev = prev;
		if (node.key == NULL || node.path == NULL || (value && node.value == NULL)) {
			free(node.key);
			free(node.path);
			free(node.value);
			error = hc_error_oom();
			break;
		}
		if ((error = push(t, &node)) < 0) {
			free(node.key);
			free(node.path);
			free(node.value);
			break;
		}
		prev = t->n - 1;
		{
			size_t self = t->n - 1;
			size_t before = t->n;
			char *self_key = strdup(t->v[self].key);

			if (self_key == NULL) {
				error = hc_error_oom();
				break;
			}
			error = flatten(t, aug, m[i], self, self_key);
			free(self_key);
			t->v[self].leaf = t->n == before;
		}
	}
	for (int i = 0; i < n; i++)
		free(m[i]);
	free(m);
	hc_buf_release(&pattern);
	hc_buf_release(&key);
	return error;
}

static int load(struct tree *t, struct hc_aug *aug, const char *lens, const char *name,
		const struct hc_buf *text)
{
	int error;

	if ((error = hc_aug_parse(t->id, aug, lens, name, hc_buf_cstr(text), text->size)) < 0) {
		t->id[0] = '\0';
		return error;
	}
	return flatten(t, hc_aug_handle(aug), t->id, NONE, "");
}

static size_t find(const struct tree *t, const char *key)
{
	for (size_t i = 0; i < t->n; i++)
		if (strcmp(t->v[i].key, key) == 0)
			return i;
	return NONE;
}

static bool same(const char *a, const char *b)
{
	return (a == NULL && b == NULL) || (a && b && strcmp(a, b) == 0);
}

/* What to do to a node of the live tree. */
enum op_kind { OP_SET, OP_REMOVE, OP_INSERT_AFTER, OP_INSERT_FIRST };

struct op {
	enum op_kind kind;
	size_t at;          /* index in the live tree */
	const char *label;  /* for inserts */
	const char *value;
};

static char *label_of(const char *key)
{
	const char *slash = strrchr(key, '/');
	const char *start = slash ? slash + 1 : key;
	const char *bracket = strrchr(start, '[');

	return strndup(start, bracket ? (size_t)(bracket - start) : strlen(start));
}

static bool added_parent(const struct tree *before, const struct tree *after, size_t i)
{
	size_t p = after->v[i].parent;

	return p != NONE && find(before, after->v[p].key) == NONE;
}

/* The operations undoing a change, as they are worked out. */
struct ops {
	struct op *v;
	size_t n;
	char **labels; /* owned labels of inserted nodes */
	size_t nlabels;
	bool clean;
};

/* Nodes the change added or whose value it set: remove them, set them back. */
static void invert_after(struct ops *ops, const struct tree *before, const struct tree *after,
			 const struct tree *live)
{
	for (size_t i = 0; i < after->n && ops->clean; i++) {
		const struct node *a = &after->v[i];
		size_t b = find(before, a->key), l = find(live, a->key);

		if (b == NONE) {
			if (added_parent(before, after, i) || l == NONE)
				continue; /* goes with its parent, or gone already */
			if (!same(live->v[l].value, a->value) || live->v[l].leaf != a->leaf)
				ops->clean = false;
			else
				ops->v[ops->n++] = (struct op){ OP_REMOVE, l, NULL, NULL };
			continue;
		}
		if (same(before->v[b].value, a->value))
			continue;
		if (l == NONE || (!same(live->v[l].value, a->value) &&
				  !same(live->v[l].value, before->v[b].value)))
			ops->clean = false;
		else if (same(live->v[l].value, a->value))
			ops->v[ops->n++] = (struct op){ OP_SET, l, NULL, before->v[b].value };
	}
}

/* A leaf the change removed: put it back after the node it followed. */
static int restore_leaf(struct ops *ops, const struct tree *before, const struct tree *live,
			const struct node *b)
{
	size_t lp = NONE;
	char *label;

	if (!b->leaf) {
		ops->clean = false; /* only whole leaves come back */
		return 0;
	}
	if (b->prev != NONE && (lp = find(live, before->v[b->prev].key)) == NONE) {
		ops->clean = false;
		return 0;
	}
	if (b->prev == NONE && b->parent != NONE &&
	    (lp = find(live, before->v[b->parent].key)) == NONE) {
		ops->clean = false;
		return 0;
	}
	if ((label = label_of(b->key)) == NULL)
		return hc_error_oom();
	ops->labels[ops->nlabels++] = label;
	ops->v[ops->n++] = (struct op){ b->prev != NONE ? OP_INSERT_AFTER : OP_INSERT_FIRST,
					lp, label, b->value };
	return 0;
}

static int invert_before(struct ops *ops, const struct tree *before, const struct tree *after,
			 const struct tree *live)
{
	int error = 0;

	for (size_t i = 0; i < before->n && ops->clean && error == 0; i++) {
		const struct node *b = &before->v[i];

		if (find(after, b->key) != NONE || find(live, b->key) != NONE)
			continue;
		if (b->parent != NONE && find(after, before->v[b->parent].key) == NONE)
			continue; /* its parent went too: it comes back with it, or not */
		error = restore_leaf(ops, before, live, b);
	}
	return error;
}

/* Later nodes first, so that no operation moves the path of another. */
static int cmp_op(const void *a, const void *b)
{
	size_t x = ((const struct op *)a)->at, y = ((const struct op *)b)->at;

	/* NONE (the tree's start) sorts last. */
	x = x == NONE ? 0 : x + 1;
	y = y == NONE ? 0 : y + 1;
	return (x < y) - (x > y);
}

static int apply_op(augeas *aug, const struct tree *live, const struct op *op)
{
	const char *at = op->at == NONE ? live->id : live->v[op->at].path;
	struct hc_buf path = HC_BUF_INIT;
	char **m = NULL;
	int n, error = 0;

	switch (op->kind) {
	case OP_SET:
		return aug_set(aug, at, op->value) < 0 ? HC_ERROR : 0;
	case OP_REMOVE:
		return aug_rm(aug, at) < 0 ? HC_ERROR : 0;
	case OP_INSERT_AFTER:
		if (aug_insert(aug, at, op->label, 0) < 0 ||
		    hc_buf_printf(&path, "%s/following-sibling::*[1]", at) < 0)
			error = HC_ERROR;
		break;
	case OP_INSERT_FIRST:
		if (hc_buf_printf(&path, "%s/*", at) < 0 || (n = aug_match(aug, path.ptr, &m)) < 0) {
			error = HC_ERROR;
			break;
		}
		hc_buf_clear(&path);
		if (n > 0)
			error = aug_insert(aug, m[0], op->label, 1) < 0 ||
					hc_buf_printf(&path, "%s/preceding-sibling::*[1]", m[0]) < 0
				? HC_ERROR : 0;
		else
			error = hc_buf_printf(&path, "%s/%s", at, op->label);
		for (int i = 0; i < n; i++)
			free(m[i]);
		free(m);
		break;
	}
	if (error == 0 && aug_set(aug, path.ptr, op->value) < 0)
		error = HC_ERROR;
	hc_buf_release(&path);
	return error;
}

int hc_undo_nodes(struct hc_buf *out, bool *clean, struct hc_aug *aug,
		  const char *lens, const char *name, const struct hc_buf *before,
		  const struct hc_buf *after, const struct hc_buf *live)
{
	struct tree tb = { 0 }, ta = { 0 }, tl = { 0 };
	struct ops ops = { .clean = true };
	int error;

	*clean = false;
	if ((error = load(&tb, aug, lens, name, before)) < 0 ||
	    (error = load(&ta, aug, lens, name, after)) < 0 ||
	    (error = load(&tl, aug, lens, name, live)) < 0)
		goto out;
	/* Each node of either tree makes one operation at most. */
	ops.v = calloc(ta.n + tb.n + 1, sizeof(*ops.v));
	ops.labels = calloc(tb.n + 1, sizeof(*ops.labels));
	if (ops.v == NULL || ops.labels == NULL) {
		error = hc_error_oom();
		goto out;
	}
	invert_after(&ops, &tb, &ta, &tl);
	if ((error = invert_before(&ops, &tb, &ta, &tl)) < 0 || !(*clean = ops.clean))
		goto out;
	if (ops.n > 1)
		qsort(ops.v, ops.n, sizeof(*ops.v), cmp_op);
	for (size_t i = 0; i < ops.n && error == 0; i++)
		if ((error = apply_op(hc_aug_handle(aug), &tl, &ops.v[i])) < 0)
			hc_aug_error(aug, "cannot undo a change");
	if (error == 0)
		error = hc_aug_render(out, aug, lens, tl.id, name);
out:
	for (size_t i = 0; i < ops.nlabels; i++)
		free(ops.labels[i]);
	free(ops.labels);
	free(ops.v);
	tree_release(aug, &tb);
	tree_release(aug, &ta);
	tree_release(aug, &tl);
	return error;
}
