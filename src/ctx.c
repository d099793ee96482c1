/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The rule context and its file cache (see hardctl/ctx.h).
 */
#include <dirent.h>
#include <errno.h>
#include <fnmatch.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "hardctl/aug.h"
#include "hardctl/ctx.h"
#include "hardctl/plan.h"
#include "hardctl/profile.h"
#include "hardctl/root.h"
#include "hardctl/state.h"

void hc_ctx_init(struct hc_ctx *ctx, struct hc_root *root, struct hc_aug *aug,
		 const struct hc_profile *profile)
{
	memset(ctx, 0, sizeof(*ctx));
	ctx->root = root;
	ctx->aug = aug;
	ctx->profile = profile;
}

void hc_ctx_release(struct hc_ctx *ctx)
{
	for (size_t i = 0; i < ctx->nfiles; i++)
		hc_file_free(ctx->files[i]);
	free(ctx->files);
	free(ctx->index);
	free(ctx->absent);
	ctx->files = ctx->index = ctx->absent = NULL;
	ctx->nfiles = ctx->afiles = ctx->nindex = 0;
	ctx->nabsent = ctx->aabsent = ctx->nabsent_sorted = 0;
	/* Secrets are wiped, not just freed. */
	for (size_t i = 0; i < ctx->secrets.n; i++)
		explicit_bzero(ctx->secrets.v[i], strlen(ctx->secrets.v[i]));
	hc_strlist_release(&ctx->secrets);
}

int hc_ctx_secret(struct hc_ctx *ctx, const char *secret)
{
	for (size_t i = 0; i < ctx->secrets.n; i++)
		if (strcmp(ctx->secrets.v[i], secret) == 0)
			return 0;
	if (secret[0] == '\0')
		return 0;
	return hc_strlist_push(&ctx->secrets, secret);
}

static int parse(struct hc_file *file)
{
	int error =
	    hc_aug_parse(file->tree, file->aug, file->lens, file->display,
			 hc_buf_cstr(&file->orig), file->orig.size);

	if (error < 0)
		file->tree[0] = '\0';
	else
		file->tree_as_read = true;
	return error;
}

/*
 * What a file hardctl creates gets: mode 0644 and the owner of the
 * directory it goes in (root's on a live system, the tree's owner in an
 * offline root).  A directory that does not exist is not an error here:
 * the installer refuses the plan if the file is written.
 */
static int creation_defaults(struct hc_file *file, struct hc_ctx *ctx)
{
	struct hc_buf dir = HC_BUF_INIT;
	const char *slash = strrchr(file->path, '/');
	struct stat st;
	int error;

	file->mode = 0644;
	file->uid = geteuid();
	file->gid = getegid();
	if ((error = hc_buf_put(
		 &dir, file->path,
		 slash > file->path ? (size_t)(slash - file->path) : 1)) < 0)
		return error;
	error = hc_root_lstat(&st, ctx->root, dir.ptr);
	if (error == 0) {
		file->uid = st.st_uid;
		file->gid = st.st_gid;
	} else if (error == HC_ENOTFOUND) {
		hc_error_clear();
		error = 0;
	}
	hc_buf_release(&dir);
	return error;
}

/* A file with no lens: its status, and its bytes or link target. */
static int load_raw(struct hc_file *file, struct hc_ctx *ctx, const char *path)
{
	struct hc_file_state st = {0};
	int error;

	if ((error = hc_root_state(&st, ctx->root, path)) < 0)
		goto out;
	if (!st.exists) {
		error = creation_defaults(file, ctx);
		goto out;
	}
	file->exists = true;
	file->link = file->as_link = st.link;
	file->mode = st.mode;
	file->uid = st.uid;
	file->gid = st.gid;
	file->st.st_mode = (st.link ? S_IFLNK : S_IFREG) | st.mode;
	file->st.st_uid = st.uid;
	file->st.st_gid = st.gid;
	error = hc_buf_set(&file->orig, st.data.ptr, st.data.size);
out:
	hc_buf_release(&st.data);
	return error;
}

/* The state CTX's overlay plan leaves PATH in; NULL when it does not change it.
 */
static const struct hc_file_state *planned_state(const struct hc_ctx *ctx,
						 const char *path)
{
	for (size_t i = 0; ctx->after && i < ctx->after->nfiles; i++)
		if (strcmp(ctx->after->files[i].path, path) == 0)
			return &ctx->after->files[i].after;
	return NULL;
}

/*
 * FILE, read as ROOT holds it, made what the overlay plan leaves it:
 * the plan's bytes in cur and parsed into its tree, orig still ROOT's
 * (a validator judges the change from what is there).
 */
static int overlay(struct hc_file *file, const struct hc_file_state *after)
{
	char tree[32] = "";
	int error;

	if (!after->exists)
		return hc_file_remove(file);
	if (file->lens && after->link) {
		hc_error_set_at(file->display, 0,
				"would be a symlink, which lens %s cannot read",
				file->lens);
		return hc_error_set_code(HC_EUNSAFE);
	}
	if (file->lens &&
	    (error =
		 hc_aug_parse(tree, file->aug, file->lens, file->display,
			      hc_buf_cstr(&after->data), after->data.size)) < 0)
		return error;
	if ((error = hc_buf_set(&file->cur, after->data.ptr,
				after->data.size)) < 0) {
		if (tree[0])
			hc_aug_drop(file->aug, tree);
		return error;
	}
	if (file->lens) {
		if (file->tree[0])
			hc_aug_drop(file->aug, file->tree);
		memcpy(file->tree, tree, sizeof(file->tree));
		file->tree_as_read = false;
	}
	file->created = !file->exists;
	file->removed = false;
	file->dirty = false;
	file->as_link = after->link;
	file->mode = after->mode;
	file->uid = after->uid;
	file->gid = after->gid;
	return 0;
}

int hc_ctx_file_reset(struct hc_ctx *ctx, struct hc_file *file,
		      const struct hc_file_state *state)
{
	bool present = state ? state->exists : file->exists;
	const struct hc_buf *text =
	    state && state->exists ? &state->data : &file->orig;
	char tree[32] = "";
	int error;

	if (file->lens && file->tree[0] &&
	    (error = hc_aug_parse(tree, file->aug, file->lens, file->display,
				  hc_buf_cstr(text), text->size)) < 0)
		return error;
	if ((error = hc_buf_set(&file->cur, text->ptr, text->size)) < 0) {
		if (tree[0])
			hc_aug_drop(file->aug, tree);
		return error;
	}
	if (tree[0]) {
		hc_aug_drop(file->aug, file->tree);
		memcpy(file->tree, tree, sizeof(file->tree));
		file->tree_as_read = text == &file->orig;
	}
	if (state && state->exists) {
		file->as_link = state->link;
		file->mode = state->mode;
		file->uid = state->uid;
		file->gid = state->gid;
	} else if (file->exists) {
		file->as_link = file->link;
		file->mode = file->st.st_mode & 07777;
		file->uid = file->st.st_uid;
		file->gid = file->st.st_gid;
	} else {
		file->as_link = false;
		if ((error = creation_defaults(file, ctx)) < 0)
			return error;
	}
	file->created = !file->exists && present;
	file->removed = file->exists && !present;
	file->dirty = false;
	return 0;
}

/*
 * CTX's lender's file at PATH, read with LENS and left as read: its
 * tree never edited, its bytes, mode and owner the ones read.  NULL when
 * there is none, or CTX reads PATH as a plan leaves it.
 */
static struct hc_file *lent(const struct hc_ctx *ctx, const char *path,
			    const char *lens)
{
	const struct hc_ctx *lender = ctx->lender;
	struct hc_file *file;

	if (lender == NULL || lens == NULL || lender->aug != ctx->aug ||
	    lender->root != ctx->root || planned_state(ctx, path) ||
	    (file = hc_ctx_loaded(lender, path)) == NULL ||
	    file->lens == NULL || strcmp(file->lens, lens) != 0)
		return NULL;
	if (!file->exists || !file->tree_as_read || file->dirty ||
	    file->created || file->removed || file->as_link != file->link ||
	    file->mode != (file->st.st_mode & 07777) ||
	    file->uid != file->st.st_uid || file->gid != file->st.st_gid ||
	    !hc_buf_equal(&file->cur, &file->orig))
		return NULL;
	return file;
}

/* Read PATH into a new file; an absent file is not an error here. */
static int load(struct hc_file **out, struct hc_ctx *ctx, const char *path,
		const char *lens)
{
	struct hc_buf display = HC_BUF_INIT;
	struct hc_file *file;
	int error;

	if ((file = calloc(1, sizeof(*file))) == NULL)
		return hc_error_oom();
	file->aug = ctx->aug;
	file->lens = lens;
	if ((error = hc_root_display(&display, ctx->root, path)) < 0 ||
	    (file->path = hc_strdup(path)) == NULL)
		goto fail;
	if ((file->display = hc_buf_detach(&display)) == NULL) {
		error = HC_ERROR;
		goto fail;
	}

	if (lens == NULL) {
		error = load_raw(file, ctx, path);
		goto loaded;
	}
	error = hc_root_read(&file->orig, &file->st, ctx->root, path);
	if (error == HC_ENOTFOUND) {
		hc_error_clear();
		if ((error = creation_defaults(file, ctx)) < 0)
			goto fail;
	} else if (error < 0) {
		goto fail;
	} else {
		file->exists = true;
		file->mode = file->st.st_mode & 07777;
		file->uid = file->st.st_uid;
		file->gid = file->st.st_gid;
		if ((error = parse(file)) < 0)
			goto fail;
	}
loaded:
	if (error < 0)
		goto fail;
	if ((error = hc_sha256(&file->orig_sha, hc_buf_cstr(&file->orig),
			       file->orig.size)) < 0 ||
	    (error = hc_buf_set(&file->cur, file->orig.ptr, file->orig.size)) <
		0)
		goto fail;
	if (planned_state(ctx, path) &&
	    (error = overlay(file, planned_state(ctx, path))) < 0)
		goto fail;
	*out = file;
	return 0;
fail:
	hc_buf_release(&display);
	hc_file_free(file);
	return error < 0 ? error : HC_ERROR;
}

/* FNV-1a: the index's hash of a path. */
static size_t path_hash(const char *path)
{
	uint64_t h = 14695981039346656037ull;

	for (const unsigned char *p = (const unsigned char *)path; *p; p++)
		h = (h ^ *p) * 1099511628211ull;
	return (size_t)h;
}

/* Put FILE in the index's slots V (N of them, a power of two, one free at
 * least). */
static void index_put(struct hc_file **v, size_t n, struct hc_file *file)
{
	size_t i = path_hash(file->path) & (n - 1);

	while (v[i] != NULL)
		i = (i + 1) & (n - 1);
	v[i] = file;
}

/* Keep the index at most half full: lookups stay O(1). */
static int index_grow(struct hc_ctx *ctx)
{
	size_t n = ctx->nindex ? ctx->nindex * 2 : 64;
	struct hc_file **v;

	if (2 * (ctx->nfiles + 1) <= ctx->nindex)
		return 0;
	if ((v = calloc(n, sizeof(struct hc_file *))) == NULL)
		return hc_error_oom();
	for (size_t i = 0; i < ctx->nfiles; i++)
		index_put(v, n, ctx->files[i]);
	free(ctx->index);
	ctx->index = v;
	ctx->nindex = n;
	return 0;
}

static int push_file(struct hc_file ***v, size_t *n, size_t *alloc,
		     struct hc_file *file)
{
	if (*n == *alloc) {
		size_t a = *alloc ? *alloc * 2 : 16;
		struct hc_file **grown =
		    reallocarray(*v, a, sizeof(struct hc_file *));

		if (grown == NULL)
			return hc_error_oom();
		*v = grown;
		*alloc = a;
	}
	(*v)[(*n)++] = file;
	return 0;
}

static int cache(struct hc_ctx *ctx, struct hc_file *file)
{
	int error;

	if ((error = index_grow(ctx)) < 0 ||
	    (!file->exists && (error = push_file(&ctx->absent, &ctx->nabsent,
						 &ctx->aabsent, file)) < 0) ||
	    (error = push_file(&ctx->files, &ctx->nfiles, &ctx->afiles, file)) <
		0) {
		if (!file->exists && ctx->nabsent &&
		    ctx->absent[ctx->nabsent - 1] == file)
			ctx->nabsent--;
		return error;
	}
	index_put(ctx->index, ctx->nindex, file);
	return 0;
}

/* Note PATH (its first LEN bytes) in CTX's reads, if they are noted. */
static int note_read(struct hc_ctx *ctx, const char *path, size_t len)
{
	struct hc_buf raw = HC_BUF_INIT, clean = HC_BUF_INIT;
	int error;

	if (ctx->reads == NULL)
		return 0;
	if ((error = hc_buf_put(&raw, path, len)) == 0 &&
	    (error = hc_path_clean(&clean, hc_buf_cstr(&raw))) == 0 &&
	    (ctx->reads->n == 0 ||
	     strcmp(ctx->reads->v[ctx->reads->n - 1], clean.ptr) != 0))
		error = hc_strlist_push(ctx->reads, clean.ptr);
	hc_buf_release(&raw);
	hc_buf_release(&clean);
	return error;
}

static int link_next(struct hc_buf *next, const char *path,
		     const struct hc_buf *target);

/*
 * Note in CTX's linked list each target PATH's final symlinks in ROOT
 * lead to (the kernel follows them when a lens reads PATH).
 */
static int note_links(struct hc_ctx *ctx, const char *path)
{
	struct hc_file_state state = {0};
	struct hc_buf cur = HC_BUF_INIT, next = HC_BUF_INIT;
	int error;

	if (ctx->linked == NULL)
		return 0;
	error = hc_buf_puts(&cur, path);
	for (int hop = 0; error == 0 && hop < 40; hop++) {
		struct stat st;

		if (hc_root_lstat(&st, ctx->root, cur.ptr) < 0 ||
		    !S_ISLNK(st.st_mode) ||
		    hc_root_state(&state, ctx->root, cur.ptr) < 0 ||
		    !state.link) {
			hc_error_clear();
			break;
		}
		if ((error = link_next(&next, cur.ptr, &state.data)) == 0 &&
		    (error = hc_strlist_push(ctx->linked, next.ptr)) == 0)
			error = hc_buf_set(&cur, next.ptr, next.size);
		hc_buf_release(&state.data);
	}
	hc_buf_release(&state.data);
	hc_buf_release(&cur);
	hc_buf_release(&next);
	return error;
}

struct hc_file *hc_ctx_loaded(const struct hc_ctx *ctx, const char *path)
{
	size_t i;

	if (ctx->nindex == 0)
		return NULL;
	for (i = path_hash(path) & (ctx->nindex - 1); ctx->index[i];
	     i = (i + 1) & (ctx->nindex - 1))
		if (strcmp(ctx->index[i]->path, path) == 0)
			return ctx->index[i];
	return NULL;
}

int hc_ctx_file(struct hc_file **out, struct hc_ctx *ctx, const char *path,
		const char *lens, unsigned int flags)
{
	struct hc_file *file = hc_ctx_loaded(ctx, path);
	int error;

	*out = NULL;
	if ((error = note_read(ctx, path, strlen(path))) < 0 ||
	    (file == NULL && (error = note_links(ctx, path)) < 0))
		return error;
	if (file && (file->lens == NULL || lens == NULL
			 ? file->lens != lens
			 : strcmp(file->lens, lens) != 0)) {
		hc_error_set_at(file->display, 0,
				"read with lens %s and %s: two modules "
				"disagree on its format",
				file->lens ? file->lens : "(none)",
				lens ? lens : "(none)");
		return hc_error_set_code(HC_EINVALID);
	}
	if (file == NULL) {
		if ((file = lent(ctx, path, lens)) != NULL)
			file->shares++;
		else if ((error = load(&file, ctx, path, lens)) < 0)
			return error;
		if ((error = cache(ctx, file)) < 0) {
			hc_file_free(file);
			return error;
		}
	}
	if (!hc_file_present(file)) {
		if (flags & HC_FILE_OPTIONAL) {
			*out = NULL;
			return 0;
		}
		if (!(flags & HC_FILE_CREATE)) {
			hc_error_set_at(file->display, 0, "no such file");
			return hc_error_set_code(HC_ENOTFOUND);
		}
		if (file->lens && file->tree[0] == '\0' &&
		    (error = parse(file)) < 0)
			return error;
	}
	*out = file;
	return 0;
}

static int by_path(const void *a, const void *b)
{
	return strcmp((*(struct hc_file *const *)a)->path,
		      (*(struct hc_file *const *)b)->path);
}

/*
 * The files absent from ROOT when read whose path starts with PREFIX:
 * [*first, *end) of ctx->absent, sorted first if files came since.
 */
static void absent_range(size_t *first, size_t *end, struct hc_ctx *ctx,
			 const char *prefix, size_t len)
{
	size_t lo = 0, hi;

	if (ctx->nabsent_sorted != ctx->nabsent) {
		qsort(ctx->absent, ctx->nabsent, sizeof(struct hc_file *),
		      by_path);
		ctx->nabsent_sorted = ctx->nabsent;
	}
	hi = ctx->nabsent;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (strncmp(ctx->absent[mid]->path, prefix, len) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	*first = lo;
	while (lo < ctx->nabsent &&
	       strncmp(ctx->absent[lo]->path, prefix, len) == 0)
		lo++;
	*end = lo;
}

/* Whether PATH, found in ROOT, is gone from the plan. */
static bool removed(const struct hc_ctx *ctx, const char *path)
{
	const struct hc_file *file = hc_ctx_loaded(ctx, path);
	const struct hc_file_state *planned;

	if (file)
		return !hc_file_present(file);
	planned = planned_state(ctx, path);
	return planned && !planned->exists;
}

int hc_ctx_glob(struct hc_strlist *out, struct hc_ctx *ctx, const char *pattern)
{
	struct hc_strlist found = HC_STRLIST_INIT;
	size_t magic = strcspn(pattern, "*?[\\"), len = magic, first, end;
	int error;

	/* Files created in memory lie under the pattern's fixed directory. */
	while (len > 0 && pattern[len - 1] != '/')
		len--;
	if ((error = note_read(ctx, pattern, len ? len : 1)) < 0 ||
	    (error = hc_root_glob(&found, ctx->root, pattern)) < 0)
		goto out;
	absent_range(&first, &end, ctx, pattern, len);
	for (size_t i = first; i < end; i++) {
		const struct hc_file *f = ctx->absent[i];

		if (hc_file_present(f) &&
		    fnmatch(pattern, f->path, FNM_PATHNAME | FNM_PERIOD) == 0 &&
		    (error = hc_strlist_push(&found, f->path)) < 0)
			goto out;
	}
	/* And, in a rollback's result, the files its plan creates. */
	for (size_t i = 0; ctx->after && i < ctx->after->nfiles; i++) {
		const struct hc_plan_file *f = &ctx->after->files[i];

		if (f->after.exists && !f->before.exists &&
		    fnmatch(pattern, f->path, FNM_PATHNAME | FNM_PERIOD) == 0 &&
		    (error = hc_strlist_push(&found, f->path)) < 0)
			goto out;
	}
	hc_strlist_sort(&found);
	for (size_t i = 0; i < found.n; i++) {
		if ((i > 0 && strcmp(found.v[i], found.v[i - 1]) == 0) ||
		    removed(ctx, found.v[i]))
			continue;
		if ((error = hc_strlist_push(out, found.v[i])) < 0)
			goto out;
	}
out:
	hc_strlist_release(&found);
	return error;
}

static int no_such_file(const struct hc_file *file)
{
	hc_error_set_at(file->display, 0, "no such file");
	return hc_error_set_code(HC_ENOTFOUND);
}

/* Whether ROOT's status of FILE still tells its type (a file read through a
 * lens). */
static bool type_from_root(const struct hc_file *file)
{
	return file->exists && file->lens != NULL;
}

/* The status of PATH, which no rule read, as a rollback's plan leaves it. */
static int planned_lstat(struct stat *st, struct hc_ctx *ctx, const char *path,
			 const struct hc_file_state *planned)
{
	struct hc_buf display = HC_BUF_INIT;

	if (!planned->exists) {
		if (hc_root_display(&display, ctx->root, path) == 0)
			hc_error_set_at(display.ptr, 0, "no such file");
		hc_buf_release(&display);
		return hc_error_set_code(HC_ENOTFOUND);
	}
	memset(st, 0, sizeof(*st));
	st->st_mode =
	    (planned->link ? S_IFLNK : S_IFREG) | (planned->mode & 07777);
	st->st_uid = planned->uid;
	st->st_gid = planned->gid;
	st->st_size = (off_t)planned->data.size;
	return 0;
}

int hc_ctx_lstat(struct stat *st, struct hc_ctx *ctx, const char *path)
{
	const struct hc_file *file = hc_ctx_loaded(ctx, path);
	int error;

	if ((error = note_read(ctx, path, strlen(path))) < 0)
		return error;
	if (file == NULL && planned_state(ctx, path))
		return planned_lstat(st, ctx, path, planned_state(ctx, path));
	if (file == NULL)
		return hc_root_lstat(st, ctx->root, path);
	if (!hc_file_present(file))
		return no_such_file(file);
	if (type_from_root(file)) {
		/* Read through a lens, it may be a link in ROOT: its type is
		 * ROOT's. */
		if ((error = hc_root_lstat(st, ctx->root, path)) < 0 ||
		    !S_ISREG(st->st_mode))
			return error;
	} else {
		memset(st, 0, sizeof(*st));
		if (file->exists)
			st->st_size = (off_t)file->orig.size;
	}
	st->st_mode =
	    (file->as_link ? S_IFLNK : S_IFREG) | (file->mode & 07777);
	st->st_uid = file->uid;
	st->st_gid = file->gid;
	return 0;
}

static int not_a_link(struct hc_ctx *ctx, const char *path)
{
	struct hc_buf display = HC_BUF_INIT;

	if (hc_root_display(&display, ctx->root, path) == 0)
		hc_error_set_at(display.ptr, 0, "not a symlink");
	hc_buf_release(&display);
	return hc_error_set_code(HC_EINVALID);
}

int hc_ctx_readlink(struct hc_buf *out, struct hc_ctx *ctx, const char *path)
{
	const struct hc_file *file = hc_ctx_loaded(ctx, path);
	struct hc_file_state state = {0};
	struct stat st;
	int error;

	if ((error = note_read(ctx, path, strlen(path))) < 0)
		return error;
	if (file && !hc_file_present(file))
		return no_such_file(file);
	if (file && !type_from_root(file)) {
		if (!file->as_link)
			return not_a_link(ctx, path);
		return hc_buf_set(out, file->cur.ptr, file->cur.size);
	}
	if (file == NULL && planned_state(ctx, path)) {
		const struct hc_file_state *planned = planned_state(ctx, path);

		if ((error = hc_ctx_lstat(&st, ctx, path)) < 0)
			return error;
		if (!planned->link)
			return not_a_link(ctx, path);
		return hc_buf_set(out, planned->data.ptr, planned->data.size);
	}
	if ((error = hc_root_lstat(&st, ctx->root, path)) < 0)
		return error;
	if (!S_ISLNK(st.st_mode))
		return not_a_link(ctx, path);
	if ((error = hc_root_state(&state, ctx->root, path)) == 0) {
		if (state.link)
			error =
			    hc_buf_set(out, state.data.ptr, state.data.size);
		else
			error = not_a_link(ctx, path);
	}
	hc_buf_release(&state.data);
	return error;
}

/* TARGET, read from the link PATH, as an absolute clean path into NEXT. */
static int link_next(struct hc_buf *next, const char *path,
		     const struct hc_buf *target)
{
	struct hc_buf whole = HC_BUF_INIT;
	const char *slash = strrchr(path, '/');
	int error;

	if (target->size && target->ptr[0] == '/')
		error = hc_buf_set(&whole, target->ptr, target->size);
	else if ((error = hc_buf_put(&whole, path,
				     (size_t)(slash - path) + 1)) == 0)
		error = hc_buf_put(&whole, target->ptr, target->size);
	if (error == 0)
		error = hc_path_clean(next, whole.ptr);
	hc_buf_release(&whole);
	return error;
}

#define CTX_MAXLINKS 40

int hc_ctx_read(struct hc_buf *out, struct hc_ctx *ctx, const char *path)
{
	struct hc_buf cur = HC_BUF_INIT, target = HC_BUF_INIT,
		      next = HC_BUF_INIT;
	int error = note_read(ctx, path, strlen(path));

	if (error == 0)
		error = hc_buf_puts(&cur, path);

	for (int hop = 0; error == 0; hop++) {
		struct hc_file *file = hc_ctx_loaded(ctx, cur.ptr);
		struct stat st;

		if (hop > CTX_MAXLINKS) {
			hc_error_set_at(path, 0,
					"too many levels of symbolic links");
			error = hc_error_set_code(HC_EUNSAFE);
			break;
		}
		if (file && hc_file_present(file) && !file->as_link) {
			if ((error = hc_file_render(file)) == 0)
				error = hc_buf_set(out, file->cur.ptr,
						   file->cur.size);
			break;
		}
		if (file == NULL && planned_state(ctx, cur.ptr) &&
		    planned_state(ctx, cur.ptr)->exists &&
		    !planned_state(ctx, cur.ptr)->link) {
			const struct hc_file_state *planned =
			    planned_state(ctx, cur.ptr);

			error = hc_buf_set(out, planned->data.ptr,
					   planned->data.size);
			break;
		}
		if ((error = hc_ctx_lstat(&st, ctx, cur.ptr)) < 0)
			break;
		if (!S_ISLNK(st.st_mode)) {
			error = hc_root_read(out, NULL, ctx->root, cur.ptr);
			break;
		}
		hc_buf_clear(&target);
		if ((error = hc_ctx_readlink(&target, ctx, cur.ptr)) < 0 ||
		    (error = link_next(&next, cur.ptr, &target)) < 0)
			break;
		error = hc_buf_set(&cur, next.ptr, next.size);
	}
	hc_buf_release(&cur);
	hc_buf_release(&target);
	hc_buf_release(&next);
	return error;
}

int hc_ctx_list(struct hc_strlist *out, struct hc_ctx *ctx, const char *dir)
{
	struct hc_strlist names = HC_STRLIST_INIT;
	struct hc_buf base = HC_BUF_INIT, path = HC_BUF_INIT;
	size_t first, end;
	int error;

	if ((error = note_read(ctx, dir, strlen(dir))) < 0 ||
	    (error = hc_root_list(&names, ctx->root, dir)) < 0)
		goto out;
	/* DIR without its final slashes, then one: the prefix of its files'
	 * paths. */
	if ((error = hc_buf_puts(&base, dir)) == 0) {
		while (base.size > 1 && base.ptr[base.size - 1] == '/')
			base.ptr[--base.size] = '\0';
		if (base.size > 1)
			error = hc_buf_puts(&base, "/");
	}
	if (error < 0)
		goto out;
	absent_range(&first, &end, ctx, hc_buf_cstr(&base), base.size);
	for (size_t i = first; i < end && error == 0; i++) {
		const char *name = ctx->absent[i]->path + base.size;

		if (hc_file_present(ctx->absent[i]) &&
		    strchr(name, '/') == NULL)
			error = hc_strlist_push(&names, name);
	}
	for (size_t i = 0; ctx->after && i < ctx->after->nfiles && error == 0;
	     i++) {
		const struct hc_plan_file *f = &ctx->after->files[i];
		const char *name = f->path + base.size;

		if (f->after.exists && !f->before.exists &&
		    strncmp(f->path, hc_buf_cstr(&base), base.size) == 0 &&
		    strchr(name, '/') == NULL)
			error = hc_strlist_push(&names, name);
	}
	hc_strlist_sort(&names);
	for (size_t i = 0; i < names.n && error == 0; i++) {
		hc_buf_clear(&path);
		if ((i > 0 && strcmp(names.v[i], names.v[i - 1]) == 0) ||
		    (error = hc_buf_printf(&path, "%s%s", hc_buf_cstr(&base),
					   names.v[i])) < 0 ||
		    removed(ctx, path.ptr))
			continue;
		error = hc_strlist_push(out, names.v[i]);
	}
out:
	hc_strlist_release(&names);
	hc_buf_release(&base);
	hc_buf_release(&path);
	return error;
}

const char *hc_ctx_param(const struct hc_ctx *ctx, const struct hc_rule *rule,
			 const char *name)
{
	const struct hc_profile_rule *pr = NULL;
	int i = hc_rule_param_index(rule, name);

	if (i < 0)
		return NULL;
	if (ctx->profile)
		pr = hc_profile_find(ctx->profile, rule->id);
	return pr ? pr->values[i] : rule->params[i].def;
}
