/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Tree helpers for modules (see hardctl/file.h).  Every edit goes
 * through here so that the file's dirty mark is exact.
 */
#include <stdlib.h>
#include <string.h>
#include "hardctl/aug.h"
#include "hardctl/file.h"

/*
 * Resolve NODE against the file's tree into OUT.  An absolute NODE must
 * lie inside the tree: a module may not edit another file's tree
 * through this one, or the other file would miss its dirty mark.
 */
static void mark_dirty(struct hc_file *file)
{
	file->dirty = true;
	if (!file->exists)
		file->created = true;
}

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
	struct hc_buf path = HC_BUF_INIT;
	int error, r;

	*value = NULL;
	if ((error = node_path(&path, file, node)) < 0)
		goto out;
	r = aug_get(hc_aug_handle(file->aug), path.ptr, value);
	if (r < 0) {
		hc_aug_error(file->aug, "cannot read node");
		hc_error_prefix("%s: %s", file->display, path.ptr);
		error = HC_ERROR;
	}
out:
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
	struct hc_buf path = HC_BUF_INIT;
	const char *old = NULL;
	augeas *aug = hc_aug_handle(file->aug);
	int error, r;

	if ((error = node_path(&path, file, node)) < 0)
		goto out;
	r = aug_get(aug, path.ptr, &old);
	if (r == 1 && old && value && strcmp(old, value) == 0)
		goto out;
	if (aug_set(aug, path.ptr, value) < 0) {
		hc_aug_error(file->aug, "cannot set node");
		hc_error_prefix("%s: %s", file->display, path.ptr);
		error = HC_ERROR;
		goto out;
	}
	mark_dirty(file);
out:
	hc_buf_release(&path);
	return error;
}

int hc_file_count(struct hc_file *file, const char *pattern)
{
	struct hc_buf path = HC_BUF_INIT;
	int n;

	if ((n = node_path(&path, file, pattern)) == 0 &&
	    (n = aug_match(hc_aug_handle(file->aug), path.ptr, NULL)) < 0) {
		hc_aug_error(file->aug, "cannot match nodes");
		hc_error_prefix("%s: %s", file->display, path.ptr);
		n = HC_ERROR;
	}
	hc_buf_release(&path);
	return n;
}

int hc_file_match(struct hc_strlist *out, struct hc_file *file,
		  const char *pattern)
{
	struct hc_buf path = HC_BUF_INIT;
	char **matches = NULL;
	int error, n = 0;

	if ((error = node_path(&path, file, pattern)) < 0)
		goto out;
	if ((n = aug_match(hc_aug_handle(file->aug), path.ptr, &matches)) < 0) {
		hc_aug_error(file->aug, "cannot match nodes");
		hc_error_prefix("%s: %s", file->display, path.ptr);
		error = HC_ERROR;
		goto out;
	}
	for (int i = 0; i < n; i++) {
		if ((error = hc_strlist_push_owned(out, matches[i])) < 0) {
			for (int j = i + 1; j < n; j++)
				free(matches[j]);
			break;
		}
	}
out:
	free(matches);
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
static int table_children(struct hc_file_table *t, struct hc_file *file)
{
	struct hc_aug_children kids;
	size_t r = 0;
	int error;

	if ((t->child = calloc(t->n + 1, sizeof(*t->child))) == NULL)
		return hc_error_oom();
	if ((error = hc_aug_children(&kids, file->aug, file->tree)) < 0)
		return error;
	for (size_t i = 0; i < kids.n && r < t->n; i++)
		if (kids.label[i] == t->label[r])
			t->child[r++] = i;
	hc_aug_children_release(&kids);
	if (r < t->n) {
		hc_error_set("the tree changed while it was read");
		return HC_ERROR;
	}
	return 0;
}

int hc_file_table(struct hc_file_table *out, struct hc_file *file,
		  const char *const *fields, size_t nfields, const char *list)
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
	if (list && (error = table_list(out, file, fields, list)) < 0)
		goto out;
	error = table_children(out, file);
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

void hc_file_table_release(struct hc_file_table *table)
{
	free(table->label);
	free(table->value);
	free(table->list);
	free(table->list_row);
	free(table->child);
	memset(table, 0, sizeof(*table));
}

/* Put CURSOR on row ROW of TABLE: the node it names must be that row's. */
static int table_seek(struct hc_aug_cursor *cursor,
		      const struct hc_file_table *table, size_t row)
{
	int error;

	if (row >= table->n) {
		hc_error_set("no row %zu in a table of %zu", row + 1, table->n);
		return HC_ERROR;
	}
	if ((error = hc_aug_cursor_seek(cursor, table->child[row])) < 0)
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
	struct hc_aug_cursor cursor;
	struct hc_buf path = HC_BUF_INIT;
	augeas *aug = hc_aug_handle(file->aug);
	int error = hc_aug_cursor_init(&cursor, file->aug, file->tree);

	for (size_t k = 0; k < n && error == 0; k++) {
		const char *old = NULL;

		hc_buf_clear(&path);
		if ((error = table_seek(&cursor, table, edits[k].row)) < 0 ||
		    (error = hc_buf_printf(&path, "%s/%s", HC_AUG_CURSOR,
					   edits[k].field)) < 0)
			break;
		if (aug_get(aug, path.ptr, &old) == 1 && old &&
		    edits[k].value && strcmp(old, edits[k].value) == 0)
			continue;
		if (aug_set(aug, path.ptr, edits[k].value) < 0) {
			error = hc_aug_error(file->aug, "cannot set node");
			break;
		}
		mark_dirty(file);
	}
	if (error < 0)
		hc_error_prefix("%s", file->display);
	hc_aug_cursor_release(&cursor);
	hc_buf_release(&path);
	return error;
}

int hc_file_table_lines(unsigned int *lines, struct hc_file *file,
			const struct hc_file_table *table)
{
	struct hc_aug_cursor cursor;
	int error = hc_aug_cursor_init(&cursor, file->aug, file->tree);

	for (size_t r = 0; r < table->n && error == 0; r++)
		if ((error = table_seek(&cursor, table, r)) == 0)
			lines[r] = hc_aug_line(file->aug, HC_AUG_CURSOR,
					       hc_buf_cstr(&file->orig));
	if (error < 0)
		hc_error_prefix("%s", file->display);
	hc_aug_cursor_release(&cursor);
	return error;
}

int hc_file_insert(struct hc_file *file, const char *node, const char *label,
		   bool before)
{
	struct hc_buf path = HC_BUF_INIT;
	int error;

	if ((error = node_path(&path, file, node)) < 0)
		goto out;
	if (aug_insert(hc_aug_handle(file->aug), path.ptr, label, before) < 0) {
		hc_aug_error(file->aug, "cannot insert node");
		hc_error_prefix("%s: %s", file->display, path.ptr);
		error = HC_ERROR;
		goto out;
	}
	mark_dirty(file);
out:
	hc_buf_release(&path);
	return error;
}

int hc_file_rename(struct hc_file *file, const char *node, const char *label)
{
	struct hc_buf path = HC_BUF_INIT;
	int error;

	if ((error = node_path(&path, file, node)) < 0)
		goto out;
	if (aug_rename(hc_aug_handle(file->aug), path.ptr, label) < 0) {
		hc_aug_error(file->aug, "cannot rename node");
		hc_error_prefix("%s: %s", file->display, path.ptr);
		error = HC_ERROR;
		goto out;
	}
	mark_dirty(file);
out:
	hc_buf_release(&path);
	return error;
}

int hc_file_rm(struct hc_file *file, const char *node)
{
	struct hc_buf path = HC_BUF_INIT;
	int error, r;

	if ((error = node_path(&path, file, node)) < 0)
		goto out;
	if ((r = aug_rm(hc_aug_handle(file->aug), path.ptr)) < 0) {
		hc_aug_error(file->aug, "cannot remove node");
		hc_error_prefix("%s: %s", file->display, path.ptr);
		error = HC_ERROR;
		goto out;
	}
	if (r > 0)
		mark_dirty(file);
out:
	hc_buf_release(&path);
	return error;
}

const char *hc_file_label(struct hc_file *file, const char *node)
{
	struct hc_buf path = HC_BUF_INIT;
	const char *label = NULL;

	if (node_path(&path, file, node) == 0 &&
	    aug_label(hc_aug_handle(file->aug), path.ptr, &label) != 1)
		label = NULL;
	hc_buf_release(&path);
	return label;
}

unsigned int hc_file_line(struct hc_file *file, const char *node)
{
	struct hc_buf path = HC_BUF_INIT;
	unsigned int line = 0;

	if (node_path(&path, file, node) == 0)
		line =
		    hc_aug_line(file->aug, path.ptr, hc_buf_cstr(&file->orig));
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
	error = hc_aug_render(&file->cur, file->aug, file->lens, file->tree,
			      file->display);
	if (error == 0)
		file->dirty = false;
	return error;
}

void hc_file_free(struct hc_file *file)
{
	if (file == NULL)
		return;
	if (file->tree[0])
		hc_aug_drop(file->aug, file->tree);
	free(file->path);
	free(file->display);
	hc_buf_release(&file->orig);
	hc_buf_release(&file->cur);
	free(file);
}
