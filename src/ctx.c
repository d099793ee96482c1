/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The rule context and its file cache (see hardctl/ctx.h).
 */
#include <fnmatch.h>
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
	ctx->files = NULL;
	ctx->nfiles = ctx->afiles = 0;
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
	int error = hc_aug_parse(file->tree, file->aug, file->lens,
				 file->display, hc_buf_cstr(&file->orig),
				 file->orig.size);

	if (error < 0)
		file->tree[0] = '\0';
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
	if ((error = hc_buf_put(&dir, file->path,
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
	struct hc_file_state st = { 0 };
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

/* The state CTX's overlay plan leaves PATH in; NULL when it does not change it. */
static const struct hc_file_state *planned_state(const struct hc_ctx *ctx, const char *path)
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
		hc_error_set_at(file->display, 0, "would be a symlink, which lens %s cannot read",
				file->lens);
		return hc_error_set_code(HC_EUNSAFE);
	}
	if (file->lens &&
	    (error = hc_aug_parse(tree, file->aug, file->lens, file->display,
				  hc_buf_cstr(&after->data), after->data.size)) < 0)
		return error;
	if ((error = hc_buf_set(&file->cur, after->data.ptr, after->data.size)) < 0) {
		if (tree[0])
			hc_aug_drop(file->aug, tree);
		return error;
	}
	if (file->lens) {
		if (file->tree[0])
			hc_aug_drop(file->aug, file->tree);
		memcpy(file->tree, tree, sizeof(file->tree));
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
	    (error = hc_buf_set(&file->cur, file->orig.ptr, file->orig.size)) < 0)
		goto fail;
	if (planned_state(ctx, path) && (error = overlay(file, planned_state(ctx, path))) < 0)
		goto fail;
	*out = file;
	return 0;
fail:
	hc_buf_release(&display);
	hc_file_free(file);
	return error < 0 ? error : HC_ERROR;
}

static int cache(struct hc_ctx *ctx, struct hc_file *file)
{
	if (ctx->nfiles == ctx->afiles) {
		size_t alloc = ctx->afiles ? ctx->afiles * 2 : 16;
		struct hc_file **v = reallocarray(ctx->files, alloc, sizeof(struct hc_file *));

		if (v == NULL)
			return hc_error_oom();
		ctx->files = v;
		ctx->afiles = alloc;
	}
	ctx->files[ctx->nfiles++] = file;
	return 0;
}

struct hc_file *hc_ctx_loaded(const struct hc_ctx *ctx, const char *path)
{
	for (size_t i = 0; i < ctx->nfiles; i++)
		if (strcmp(ctx->files[i]->path, path) == 0)
			return ctx->files[i];
	return NULL;
}

int hc_ctx_file(struct hc_file **out, struct hc_ctx *ctx, const char *path,
		const char *lens, unsigned int flags)
{
	struct hc_file *file = hc_ctx_loaded(ctx, path);
	int error;

	*out = NULL;
	if (file && (file->lens == NULL || lens == NULL ? file->lens != lens
							: strcmp(file->lens, lens) != 0)) {
		hc_error_set_at(file->display, 0,
				"read with lens %s and %s: two modules disagree on its format",
				file->lens ? file->lens : "(none)", lens ? lens : "(none)");
		return hc_error_set_code(HC_EINVALID);
	}
	if (file == NULL) {
		if ((error = load(&file, ctx, path, lens)) < 0)
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
		if (file->lens && file->tree[0] == '\0' && (error = parse(file)) < 0)
			return error;
	}
	*out = file;
	return 0;
}

int hc_ctx_glob(struct hc_strlist *out, struct hc_ctx *ctx, const char *pattern)
{
	struct hc_strlist found = HC_STRLIST_INIT;
	int error;

	if ((error = hc_root_glob(&found, ctx->root, pattern)) < 0)
		goto out;
	for (size_t i = 0; ctx->after && i < ctx->after->nfiles; i++) {
		const struct hc_plan_file *f = &ctx->after->files[i];

		if (f->after.exists && !f->before.exists &&
		    fnmatch(pattern, f->path, FNM_PATHNAME | FNM_PERIOD) == 0 &&
		    (error = hc_strlist_push(&found, f->path)) < 0)
			goto out;
	}
	for (size_t i = 0; i < ctx->nfiles; i++) {
		if (ctx->files[i]->created &&
		    fnmatch(pattern, ctx->files[i]->path, FNM_PATHNAME | FNM_PERIOD) == 0 &&
		    (error = hc_strlist_push(&found, ctx->files[i]->path)) < 0)
			goto out;
	}
	hc_strlist_sort(&found);
	for (size_t i = 0; i < found.n; i++) {
		const struct hc_file_state *planned = planned_state(ctx, found.v[i]);

		if ((i > 0 && strcmp(found.v[i], found.v[i - 1]) == 0) ||
		    (planned && !planned->exists))
			continue;
		if ((error = hc_strlist_push(out, found.v[i])) < 0)
			goto out;
	}
out:
	hc_strlist_release(&found);
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
