/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Node-level undo (see hardctl/undo.h).
 *
 * The three trees (before, after, live) are flattened, each node with a
 * signature: a SHA-256 of its label, value and its children's
 * signatures, a number label (the Securetty or Pam lens numbers its
 * entries by position) counting as no label at all.  Nodes are matched
 * between two trees level by level, by what they are, never by where
 * they stand:
 *  1. equal signatures (an entry and everything under it unchanged),
 *     the k-th of equal ones with the k-th;
 *  2. a named label left once on each side (PermitRootLogin, whose
 *     value changed);
 *  3. entries with children (a PAM line) of one kind and value, by the
 *     most children they share (a line that gained an argument).
 * Whatever is left is an entry one side added or removed.
 *
 * Augeas finds a node by its path with a walk of its siblings, so a
 * path per entry makes a file's undo grow with the square of its
 * length.  The trees are read, and the undo written, with a variable
 * per level moved from one child to the next instead: a node is known
 * by its place among its parent's children, and the edits land in one
 * walk of each parent's children.
 */
#include <stdlib.h>
#include <string.h>
#include "hardctl/aug.h"
#include "hardctl/hash.h"
#include "hardctl/undo.h"

#define NONE ((size_t)-1)

/* Pass 3 compares every pair left: past this many, entries are added or
 * removed. */
#define MAX_PAIRING 512

struct node {
	char *label;   /* NULL: none */
	char *value;   /* NULL: none */
	size_t parent; /* NONE for the root */
	size_t first;  /* first child, or NONE */
	size_t next;   /* next sibling, or NONE */
	size_t nkids;
	size_t place; /* among its parent's children, from 0 */
	struct hc_sha256 sig;
};

struct tree {
	char id[32];
	struct node *v; /* v[0] is the tree's root, in document order */
	size_t n;
	size_t alloc;
};

static void tree_release(struct hc_aug *aug, struct tree *t)
{
	for (size_t i = 0; i < t->n; i++) {
		free(t->v[i].label);
		free(t->v[i].value);
	}
	free(t->v);
	if (t->id[0])
		hc_aug_drop(aug, t->id);
	memset(t, 0, sizeof(*t));
}

static int push(struct tree *t, const char *label, const char *value,
		size_t parent)
{
	struct node *n;

	if (t->n == t->alloc) {
		size_t alloc = t->alloc ? t->alloc * 2 : 64;
		struct node *v = reallocarray(t->v, alloc, sizeof(*v));

		if (v == NULL)
			return hc_error_oom();
		t->v = v;
		t->alloc = alloc;
	}
	n = &t->v[t->n];
	memset(n, 0, sizeof(*n));
	n->parent = parent;
	n->first = n->next = NONE;
	n->label = label ? strdup(label) : NULL;
	n->value = value ? strdup(value) : NULL;
	t->n++;
	if ((label && n->label == NULL) || (value && n->value == NULL))
		return hc_error_oom();
	return 0;
}

/*
 * The variable that walks the children of a node at DEPTH, as paths
 * name it ("$hc_undo1"; its name is REF + 1).
 */
static void cursor_name(char ref[32], size_t depth)
{
	snprintf(ref, 32, "$hc_undo%zu", depth);
}

/*
 * Point the variable of DEPTH at child I of PARENT (a path, or the
 * variable of the level above), from the child *AT it names (NONE:
 * none yet): forward, the walk passes only the children between (a
 * step whose only predicate is a number stops there); back, it starts
 * again from the first.  0, or HC_ERROR when there is no child I.
 */
static int seek(struct hc_aug *aug, size_t depth, const char *parent,
		size_t *at, size_t i)
{
	struct hc_buf expr = HC_BUF_INIT;
	char ref[32];
	int n, error;

	if (*at == i)
		return 0;
	cursor_name(ref, depth);
	if (*at == NONE || i < *at)
		error = hc_buf_printf(&expr, "%s/*[%zu]", parent, i + 1);
	else
		error = hc_buf_printf(&expr, "%s/following-sibling::*[%zu]",
				      ref, i - *at);
	if (error < 0)
		return error;
	*at = NONE;
	n = aug_defvar(hc_aug_handle(aug), ref + 1, expr.ptr);
	hc_buf_release(&expr);
	if (n != 1) {
		if (n < 0)
			hc_aug_error(aug, "cannot walk the nodes");
		else
			hc_error_set("%s: no node %zu", parent, i + 1);
		aug_defvar(hc_aug_handle(aug), ref + 1, NULL);
		return HC_ERROR;
	}
	*at = i;
	return 0;
}

/* Drop the variable of DEPTH, if a seek() defined it (AT: not NONE). */
static void cursor_drop(struct hc_aug *aug, size_t depth, size_t at)
{
	char ref[32];

	if (at == NONE)
		return;
	cursor_name(ref, depth);
	aug_defvar(hc_aug_handle(aug), ref + 1, NULL);
}

/*
 * Append the children of node SELF, which EXPR names (a path, or the
 * variable of the level above, DEPTH - 1), to T, recursively: their
 * labels and values in one walk, and each child named for the level
 * below by the variable of DEPTH, moved on from the child before.
 */
static int flatten(struct tree *t, struct hc_aug *aug, size_t self,
		   const char *expr, size_t depth)
{
	struct hc_aug_children kids = {0};
	struct hc_buf pattern = HC_BUF_INIT;
	char ref[32];
	size_t last = NONE, at = NONE;
	int below = 0, error;

	cursor_name(ref, depth);
	if ((error = hc_aug_children(&kids, aug, expr)) < 0)
		return error;
	/* Entries with nothing under them (a securetty) need no visit. */
	if (kids.n > 0 &&
	    (error = hc_buf_printf(&pattern, "%s/*/*", expr)) == 0 &&
	    (below = aug_match(hc_aug_handle(aug), pattern.ptr, NULL)) < 0)
		error = hc_aug_error(aug, "cannot walk the nodes");
	for (size_t i = 0; i < kids.n && error == 0; i++) {
		size_t me = t->n;

		if ((error = push(t, kids.label[i], kids.value[i], self)) < 0)
			break;
		if (last == NONE)
			t->v[self].first = me;
		else
			t->v[last].next = me;
		last = me;
		t->v[me].place = t->v[self].nkids++;
		if (below > 0 && (error = seek(aug, depth, expr, &at, i)) == 0)
			error = flatten(t, aug, me, ref, depth + 1);
	}
	cursor_drop(aug, depth, at);
	hc_aug_children_release(&kids);
	hc_buf_release(&pattern);
	return error;
}

static bool numbered(const char *label)
{
	if (label == NULL || *label == '\0')
		return false;
	for (const char *p = label; *p; p++)
		if (*p < '0' || *p > '9')
			return false;
	return true;
}

/* What a label says of a node's identity: a number, only where it stands. */
static const char *kind(const char *label)
{
	return numbered(label) ? "#" : label ? label : "";
}

/* Signatures, children before parents: document order backwards. */
static int sign(struct tree *t)
{
	struct hc_buf text = HC_BUF_INIT;
	int error = 0;

	for (size_t i = t->n; i-- > 0 && error == 0;) {
		const struct node *n = &t->v[i];

		hc_buf_clear(&text);
		if ((error = hc_buf_puts(&text, kind(n->label))) < 0 ||
		    (error = hc_buf_put(&text, n->value ? "\0v" : "\0n", 2)) <
			0 ||
		    (n->value && (error = hc_buf_puts(&text, n->value)) < 0) ||
		    (error = hc_buf_put(&text, "", 1)) < 0)
			break;
		for (size_t c = n->first; c != NONE && error == 0;
		     c = t->v[c].next)
			error = hc_buf_put(&text, t->v[c].sig.id,
					   sizeof(t->v[c].sig.id));
		if (error == 0)
			error = hc_sha256(&t->v[i].sig, hc_buf_cstr(&text),
					  text.size);
	}
	hc_buf_release(&text);
	return error;
}

static int load(struct tree *t, struct hc_aug *aug, const char *lens,
		const char *name, const struct hc_buf *text)
{
	int error;

	if ((error = hc_aug_parse(t->id, aug, lens, name, hc_buf_cstr(text),
				  text->size)) < 0) {
		t->id[0] = '\0';
		return error;
	}
	if ((error = push(t, NULL, NULL, NONE)) < 0 ||
	    (error = flatten(t, aug, 0, t->id, 0)) < 0)
		return error;
	return sign(t);
}

static bool same(const char *a, const char *b)
{
	return (a == NULL && b == NULL) || (a && b && strcmp(a, b) == 0);
}

static bool same_sig(const struct node *a, const struct node *b)
{
	return memcmp(a->sig.id, b->sig.id, sizeof(a->sig.id)) == 0;
}

/* A matching of the nodes of tree X with those of tree Y. */
struct pairing {
	const struct tree *x, *y;
	size_t *xy; /* X's node -> Y's, or NONE */
	size_t *yx;
};

static int pairing_init(struct pairing *p, const struct tree *x,
			const struct tree *y)
{
	p->x = x;
	p->y = y;
	p->xy = malloc((x->n + 1) * sizeof(*p->xy));
	p->yx = malloc((y->n + 1) * sizeof(*p->yx));
	if (p->xy == NULL || p->yx == NULL)
		return hc_error_oom();
	memset(p->xy, 0xff, x->n * sizeof(*p->xy));
	memset(p->yx, 0xff, y->n * sizeof(*p->yx));
	return 0;
}

static void pairing_release(struct pairing *p)
{
	free(p->xy);
	free(p->yx);
}

static void pair(struct pairing *p, size_t x, size_t y)
{
	p->xy[x] = y;
	p->yx[y] = x;
}

/* A child not yet paired, for sorting. */
struct entry {
	const struct node *node;
	size_t index;
	size_t order; /* among its siblings */
};

static int cmp_sig(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;
	int c =
	    memcmp(x->node->sig.id, y->node->sig.id, sizeof(x->node->sig.id));

	return c ? c : (x->order > y->order) - (x->order < y->order);
}

static int cmp_label(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;
	int c = strcmp(kind(x->node->label), kind(y->node->label));

	return c ? c : (x->order > y->order) - (x->order < y->order);
}

/* The children of PARENT in T not paired yet (MAP: the pairing's side). */
static int unpaired(struct entry **out, size_t *n, const struct tree *t,
		    size_t parent, const size_t *map)
{
	size_t k = 0, order = 0;

	*out = NULL;
	*n = 0;
	if (t->v[parent].nkids == 0)
		return 0;
	if ((*out = calloc(t->v[parent].nkids, sizeof(**out))) == NULL)
		return hc_error_oom();
	for (size_t c = t->v[parent].first; c != NONE;
	     c = t->v[c].next, order++)
		if (map[c] == NONE)
			(*out)[k++] = (struct entry){&t->v[c], c, order};
	*n = k;
	return 0;
}

/* Pass 1: equal signatures, the k-th of each with the k-th. */
static void pair_equal(struct pairing *p, struct entry *ex, size_t nx,
		       struct entry *ey, size_t ny)
{
	size_t i = 0, j = 0;

	if (nx == 0 || ny == 0)
		return;
	qsort(ex, nx, sizeof(*ex), cmp_sig);
	qsort(ey, ny, sizeof(*ey), cmp_sig);
	while (i < nx && j < ny) {
		int c = memcmp(ex[i].node->sig.id, ey[j].node->sig.id,
			       sizeof(ex[i].node->sig.id));

		if (c == 0)
			pair(p, ex[i++].index, ey[j++].index);
		else if (c < 0)
			i++;
		else
			j++;
	}
}

/* The end of the run of entries from I on with E[I]'s label. */
static size_t run_end(const struct entry *e, size_t n, size_t i)
{
	size_t j = i + 1;

	while (j < n &&
	       strcmp(kind(e[j].node->label), kind(e[i].node->label)) == 0)
		j++;
	return j;
}

/* Pass 2: a named label left once on each side is one node changed. */
static void pair_named(struct pairing *p, struct entry *ex, size_t nx,
		       struct entry *ey, size_t ny)
{
	size_t i = 0, j = 0;

	if (nx == 0 || ny == 0)
		return;
	qsort(ex, nx, sizeof(*ex), cmp_label);
	qsort(ey, ny, sizeof(*ey), cmp_label);
	while (i < nx && j < ny) {
		size_t ie = run_end(ex, nx, i), je = run_end(ey, ny, j);
		int c =
		    strcmp(kind(ex[i].node->label), kind(ey[j].node->label));

		if (c == 0 && ie == i + 1 && je == j + 1 &&
		    !numbered(ex[i].node->label) && ex[i].node->label)
			pair(p, ex[i].index, ey[j].index);
		if (c <= 0)
			i = ie;
		if (c >= 0)
			j = je;
	}
}

/* How many children X and Y share (equal signatures, each counted once). */
static size_t shared(const struct tree *tx, size_t x, const struct tree *ty,
		     size_t y)
{
	size_t n = 0, k = 0;
	bool used[64] = {false};

	for (size_t a = tx->v[x].first; a != NONE; a = tx->v[a].next) {
		k = 0;
		for (size_t b = ty->v[y].first; b != NONE && k < 64;
		     b = ty->v[b].next, k++) {
			if (!used[k] && same_sig(&tx->v[a], &ty->v[b])) {
				used[k] = true;
				n++;
				break;
			}
		}
	}
	return n;
}

/* Pass 3: entries with children, of one kind and value, by what they share. */
static void pair_similar(struct pairing *p, const struct entry *ex, size_t nx,
			 const struct entry *ey, size_t ny)
{
	if (nx > MAX_PAIRING || ny > MAX_PAIRING)
		return;
	for (size_t i = 0; i < nx; i++) {
		const struct node *a = ex[i].node;
		size_t best = NONE, score = 0;

		if (a->nkids == 0 || p->xy[ex[i].index] != NONE)
			continue;
		for (size_t j = 0; j < ny; j++) {
			const struct node *b = ey[j].node;
			size_t s;

			if (b->nkids == 0 || p->yx[ey[j].index] != NONE ||
			    strcmp(kind(a->label), kind(b->label)) != 0 ||
			    !same(a->value, b->value))
				continue;
			s = shared(p->x, ex[i].index, p->y, ey[j].index);
			if (s > score) {
				score = s;
				best = j;
			}
		}
		if (best != NONE)
			pair(p, ex[i].index, ey[best].index);
	}
}

/* Pair the children of X (in p->x) with those of Y (in p->y), then theirs. */
static int pair_children(struct pairing *p, size_t x, size_t y)
{
	struct entry *ex = NULL, *ey = NULL;
	size_t nx, ny;
	int error;

	if ((error = unpaired(&ex, &nx, p->x, x, p->xy)) < 0 ||
	    (error = unpaired(&ey, &ny, p->y, y, p->yx)) < 0)
		goto out;
	pair_equal(p, ex, nx, ey, ny);
	free(ex);
	free(ey);
	ex = ey = NULL;
	if ((error = unpaired(&ex, &nx, p->x, x, p->xy)) < 0 ||
	    (error = unpaired(&ey, &ny, p->y, y, p->yx)) < 0)
		goto out;
	pair_named(p, ex, nx, ey, ny);
	free(ex);
	free(ey);
	ex = ey = NULL;
	if ((error = unpaired(&ex, &nx, p->x, x, p->xy)) < 0 ||
	    (error = unpaired(&ey, &ny, p->y, y, p->yx)) < 0)
		goto out;
	pair_similar(p, ex, nx, ey, ny);
	for (size_t c = p->x->v[x].first; c != NONE && error == 0;
	     c = p->x->v[c].next)
		if (p->xy[c] != NONE &&
		    !(p->x->v[c].nkids == 0 && p->y->v[p->xy[c]].nkids == 0))
			error = pair_children(p, c, p->xy[c]);
out:
	free(ex);
	free(ey);
	return error;
}

static int pair_trees(struct pairing *p, const struct tree *x,
		      const struct tree *y)
{
	int error;

	if ((error = pairing_init(p, x, y)) < 0)
		return error;
	pair(p, 0, 0);
	return pair_children(p, 0, 0);
}

/* What to do to the live tree. */
enum op_kind { OP_SET, OP_REMOVE, OP_INSERT_AFTER, OP_INSERT_FIRST };

struct op {
	enum op_kind kind;
	size_t at;   /* live node: set, removed, inserted after, or parent of */
	size_t seq;  /* inserts at one place: in this order */
	size_t from; /* the before tree's node inserted, or the value's node */
};

struct undo {
	const struct tree *b, *a, *l;
	struct pairing ba; /* before <-> after */
	struct pairing al; /* after <-> live */
	bool *claimed; /* live nodes found to be a removed entry already back */
	struct op *v;
	size_t n;
	size_t alloc;
	size_t seq;
	bool clean;
};

static int add_op(struct undo *u, enum op_kind kind, size_t at, size_t from)
{
	if (u->n == u->alloc) {
		size_t alloc = u->alloc ? u->alloc * 2 : 16;
		struct op *v = reallocarray(u->v, alloc, sizeof(*v));

		if (v == NULL)
			return hc_error_oom();
		u->v = v;
		u->alloc = alloc;
	}
	u->v[u->n++] = (struct op){kind, at, u->seq++, from};
	return 0;
}

/* A value the change set (B's to A's): set back where still as it left it. */
static int undo_value(struct undo *u, size_t b, size_t a, size_t l)
{
	const char *was = u->b->v[b].value, *set = u->a->v[a].value;

	if (same(was, set))
		return 0;
	if (l == NONE ||
	    (!same(u->l->v[l].value, set) && !same(u->l->v[l].value, was))) {
		u->clean = false;
		return 0;
	}
	return same(u->l->v[l].value, set) ? add_op(u, OP_SET, l, b) : 0;
}

/* A child the change added: removed where it is still as the change left it. */
static int undo_added(struct undo *u, size_t a)
{
	size_t l = u->al.xy[a];

	if (l == NONE)
		return 0; /* gone already */
	if (!same_sig(&u->a->v[a], &u->l->v[l])) {
		u->clean = false; /* changed since */
		return 0;
	}
	return add_op(u, OP_REMOVE, l, NONE);
}

/* A live child of L, added since, that is B's removed entry back already. */
static size_t back_already(struct undo *u, size_t l, size_t b)
{
	for (size_t c = u->l->v[l].first; c != NONE; c = u->l->v[c].next)
		if (u->al.yx[c] == NONE && !u->claimed[c] &&
		    same_sig(&u->l->v[c], &u->b->v[b])) {
			u->claimed[c] = true;
			return c;
		}
	return NONE;
}

/* The children B's change removed: put back, each after the one it followed. */
static int undo_removed(struct undo *u, size_t b, size_t l)
{
	size_t cursor = NONE;
	int error = 0;

	for (size_t c = u->b->v[b].first; c != NONE && error == 0;
	     c = u->b->v[c].next) {
		size_t a = u->ba.xy[c], back;

		if (a != NONE) {
			if (u->al.xy[a] != NONE)
				cursor = u->al.xy[a];
			continue;
		}
		if ((back = back_already(u, l, c)) != NONE) {
			cursor = back;
			continue;
		}
		error = cursor == NONE ? add_op(u, OP_INSERT_FIRST, l, c)
				       : add_op(u, OP_INSERT_AFTER, cursor, c);
	}
	return error;
}

/* Undo the change from B to A (paired) in the live tree. */
static int walk(struct undo *u, size_t b, size_t a)
{
	size_t l = u->al.xy[a];
	int error;

	if ((error = undo_value(u, b, a, l)) < 0 || !u->clean)
		return error;
	if (same_sig(&u->b->v[b], &u->a->v[a]) ||
	    (u->b->v[b].nkids == 0 && u->a->v[a].nkids == 0))
		return 0;
	if (l == NONE) {
		u->clean = false; /* what the change edited inside is gone */
		return 0;
	}
	for (size_t c = u->a->v[a].first; c != NONE && error == 0 && u->clean;
	     c = u->a->v[c].next) {
		size_t cb = u->ba.yx[c];

		if (cb == NONE)
			error = undo_added(u, c);
		else if (!same_sig(&u->b->v[cb], &u->a->v[c]))
			error = walk(u, cb, c);
	}
	if (error == 0 && u->clean)
		error = undo_removed(u, b, l);
	return error;
}

/* Document order: the order in which the walk meets the places. */
static int cmp_place(const void *x, const void *y)
{
	const struct op *a = x, *b = y;

	if (a->at != b->at)
		return (a->at > b->at) - (a->at < b->at);
	if (a->kind != b->kind)
		return (a->kind > b->kind) - (a->kind < b->kind);
	return (a->seq > b->seq) - (a->seq < b->seq);
}

struct writer {
	struct hc_aug *hc;
	augeas *aug;
	const struct tree *b, *l;
	const struct op *ops; /* in document order */
	size_t *first;        /* live node -> its first op; [l->n]: ops' end */
	bool *busy;           /* live node: its children have ops */
};

/*
 * The label an entry is put back under: its own, a number too.  Nodes
 * are found by their place, not by a path that would need labels no
 * sibling shares, and a lens that writes a number out (inittab's id)
 * must get the one the entry had.
 */
static const char *label_for(const struct node *n)
{
	return n->label ? n->label : "";
}

/* An Augeas call failed: its detail in the last error.  HC_ERROR. */
static int undo_error(struct writer *w)
{
	return hc_aug_error(w->hc, "cannot undo a change");
}

/*
 * Whether N's label can be put back: Augeas inserts and renames only
 * to labels without '/' (a sysctl key written "net/ipv4/ip_forward"),
 * and says nothing of why.  HC_EINVALID, saying so, when it cannot.
 */
static int placeable(const struct node *n)
{
	if (strchr(label_for(n), '/') == NULL)
		return 0;
	hc_error_set("cannot put back the entry '%s': Augeas cannot place a "
		     "label holding '/' (put that line back by hand)",
		     label_for(n));
	return hc_error_set_code(HC_EINVALID);
}

static int set_children(struct writer *w, const char *path, size_t b);

/* Append B's node (and what is under it) as the last child of PARENT. */
static int append(struct writer *w, const char *parent, size_t b)
{
	struct hc_buf tmp = HC_BUF_INIT, path = HC_BUF_INIT;
	int error;

	if ((error = placeable(&w->b->v[b])) < 0 ||
	    (error = hc_buf_printf(&tmp, "%s/hardctl-undo-new", parent)) < 0 ||
	    (error = hc_buf_printf(&path, "%s/*[last()]", parent)) < 0)
		goto out;
	if (aug_set(w->aug, tmp.ptr, w->b->v[b].value) < 0 ||
	    aug_rename(w->aug, tmp.ptr, label_for(&w->b->v[b])) < 0) {
		error = undo_error(w);
		goto out;
	}
	error = set_children(w, path.ptr, b);
out:
	hc_buf_release(&tmp);
	hc_buf_release(&path);
	return error;
}

static int set_children(struct writer *w, const char *path, size_t b)
{
	int error = 0;

	for (size_t c = w->b->v[b].first; c != NONE && error == 0;
	     c = w->b->v[c].next)
		error = append(w, path, c);
	return error;
}

/*
 * Put OP's entry back among the children of PARENT: after child *AT,
 * or first (*AT: NONE; appended when PARENT has no children, EMPTY).
 * The variable of DEPTH then names it, and *AT is its place.
 */
static int put_back(struct writer *w, const char *parent, size_t depth,
		    size_t *at, bool empty, const struct op *op)
{
	const struct node *n = &w->b->v[op->from];
	struct hc_buf first = HC_BUF_INIT;
	char ref[32];
	size_t to = *at == NONE ? 0 : *at + 1;
	int error;

	cursor_name(ref, depth);
	if ((error = placeable(n)) < 0)
		return error;
	if (*at == NONE && empty)
		return (error = append(w, parent, op->from)) < 0
			   ? error
			   : seek(w->hc, depth, parent, at, 0);
	if ((error = hc_buf_printf(&first, "%s/*[1]", parent)) < 0)
		return error;
	if (aug_insert(w->aug, *at == NONE ? first.ptr : ref, label_for(n),
		       *at == NONE) < 0)
		error = undo_error(w);
	hc_buf_release(&first);
	if (error < 0 || (error = seek(w->hc, depth, parent, at, to)) < 0)
		return error;
	if (aug_set(w->aug, ref, n->value) < 0)
		return undo_error(w);
	return set_children(w, ref, op->from);
}

/* Remove child I of PARENT, with the variable of DEPTH (at *AT) before it. */
static int take_out(struct writer *w, const char *parent, size_t depth,
		    size_t *at, size_t i)
{
	struct hc_buf path = HC_BUF_INIT;
	char ref[32];
	int n, error;

	cursor_name(ref, depth);
	if (i == 0)
		error = hc_buf_printf(&path, "%s/*[1]", parent);
	else if ((error = seek(w->hc, depth, parent, at, i - 1)) == 0)
		error = hc_buf_printf(&path, "%s/following-sibling::*[1]", ref);
	if (error == 0 && (n = aug_rm(w->aug, path.ptr)) < 0)
		error = undo_error(w);
	else if (error == 0 && n == 0) {
		hc_error_set("%s: no node %zu", parent, i + 1);
		error = HC_ERROR;
	}
	hc_buf_release(&path);
	return error;
}

/* Whether the ops from OP to END (one place's) take their node out. */
static bool removes(const struct op *op, const struct op *end)
{
	for (; op < end; op++)
		if (op->kind == OP_REMOVE)
			return true;
	return false;
}

/*
 * Apply the ops on the children of live node P, which EXPR names, in
 * one walk of them with the variable of DEPTH: each child is found
 * from the one before, its place shifted by the entries put back and
 * taken out before it.
 */
static int apply_children(struct writer *w, size_t p, const char *expr,
			  size_t depth)
{
	const struct tree *l = w->l;
	const struct op *op, *end;
	char ref[32];
	size_t at = NONE, added = 0, removed = 0, left;
	int error = 0;

	cursor_name(ref, depth);
	for (size_t c = l->v[p].first; c != NONE && error == 0;
	     c = l->v[c].next) {
		size_t i = l->v[c].place + added - removed;

		op = w->ops + w->first[c];
		end = w->ops + w->first[c + 1];
		if (op == end && !w->busy[c])
			continue;
		if (removes(op, end)) {
			error = take_out(w, expr, depth, &at, i);
			removed++;
			continue;
		}
		if ((error = seek(w->hc, depth, expr, &at, i)) < 0)
			break;
		if (op < end && op->kind == OP_SET &&
		    aug_set(w->aug, ref, w->b->v[op->from].value) < 0)
			error = undo_error(w);
		if (error == 0 && w->busy[c])
			error = apply_children(w, c, ref, depth + 1);
		for (; op < end && error == 0; op++)
			if (op->kind == OP_INSERT_AFTER) {
				error =
				    put_back(w, expr, depth, &at, false, op);
				added++;
			}
	}
	/*
	 * Entries put back first, last: before the first child the walk
	 * left (as when each op was made by its path, later places first),
	 * each after the one put back before it.
	 */
	cursor_drop(w->hc, depth, at);
	at = NONE;
	left = l->v[p].nkids + added - removed;
	end = w->ops + w->first[p + 1];
	for (op = w->ops + w->first[p]; op < end && error == 0; op++)
		if (op->kind == OP_INSERT_FIRST)
			error = put_back(w, expr, depth, &at, left++ == 0, op);
	cursor_drop(w->hc, depth, at);
	return error;
}

/*
 * Apply the ops in one walk of the live tree, in document order.
 */
static int apply_ops(struct undo *u, struct hc_aug *aug)
{
	struct writer w = {aug, hc_aug_handle(aug), u->b, u->l, u->v, NULL,
			   NULL};
	size_t k = 0;
	int error = 0;

	if (u->n == 0 || u->l->n == 0)
		return 0;
	w.first = malloc((u->l->n + 1) * sizeof(*w.first));
	w.busy = calloc(u->l->n + 1, sizeof(*w.busy));
	if (w.first == NULL || w.busy == NULL) {
		error = hc_error_oom();
		goto out;
	}
	qsort(u->v, u->n, sizeof(*u->v), cmp_place);
	for (size_t x = 0; x <= u->l->n; x++) {
		while (k < u->n && u->v[k].at < x)
			k++;
		w.first[x] = k;
	}
	for (size_t i = 0; i < u->n; i++) {
		size_t p = u->v[i].kind == OP_INSERT_FIRST
			       ? u->v[i].at
			       : u->l->v[u->v[i].at].parent;

		for (; p != NONE && !w.busy[p]; p = u->l->v[p].parent)
			w.busy[p] = true;
	}
	error = apply_children(&w, 0, u->l->id, 0);
out:
	free(w.first);
	free(w.busy);
	return error;
}

int hc_undo_nodes(struct hc_buf *out, bool *clean, struct hc_aug *aug,
		  const char *lens, const char *name,
		  const struct hc_buf *before, const struct hc_buf *after,
		  const struct hc_buf *live)
{
	struct tree tb = {0}, ta = {0}, tl = {0};
	struct undo u = {.b = &tb, .a = &ta, .l = &tl, .clean = true};
	int error;

	*clean = false;
	if ((error = load(&tb, aug, lens, name, before)) < 0 ||
	    (error = load(&ta, aug, lens, name, after)) < 0 ||
	    (error = load(&tl, aug, lens, name, live)) < 0 ||
	    (error = pair_trees(&u.ba, &tb, &ta)) < 0 ||
	    (error = pair_trees(&u.al, &ta, &tl)) < 0)
		goto out;
	if ((u.claimed = calloc(tl.n + 1, sizeof(*u.claimed))) == NULL) {
		error = hc_error_oom();
		goto out;
	}
	if ((error = walk(&u, 0, 0)) < 0 || !(*clean = u.clean))
		goto out;
	if ((error = apply_ops(&u, aug)) == 0)
		error = hc_aug_render(out, aug, lens, tl.id, name);
out:
	free(u.v);
	free(u.claimed);
	pairing_release(&u.ba);
	pairing_release(&u.al);
	tree_release(aug, &tb);
	tree_release(aug, &ta);
	tree_release(aug, &tl);
	return error;
}
