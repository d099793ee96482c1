/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Rollback planning (see hardctl/rollback.h).
 */
#include <git2.h>
#include <string.h>
#include "hardctl/plan.h"
#include "hardctl/rollback.h"
#include "hardctl/root.h"
#include "hardctl/store.h"

/* The file at PATH under ROOT as it is now. */
static int live_state(struct hc_file_state *out, struct hc_root *root, const char *path)
{
	struct stat st;
	int error = hc_root_read(&out->data, &st, root, path);

	if (error == HC_ENOTFOUND) {
		hc_error_clear();
		out->exists = false;
		return 0;
	}
	if (error < 0)
		return error;
	out->exists = true;
	out->mode = st.st_mode & 07777;
	out->uid = st.st_uid;
	out->gid = st.st_gid;
	return 0;
}

static bool same_meta(const struct hc_file_state *a, const struct hc_file_state *b)
{
	return a->mode == b->mode && a->uid == b->uid && a->gid == b->gid;
}

/*
 * Take the change from BEFORE to AFTER out of LIVE into TARGET; *clean
 * says whether the merge went without conflict.
 */
static int merge(struct hc_file_state *target, bool *clean,
		 const struct hc_file_state *before, const struct hc_file_state *after,
		 const struct hc_file_state *live)
{
	git_merge_file_input base, ours, theirs;
	git_merge_file_result result;
	int error;

	memset(&result, 0, sizeof(result));
	git_merge_file_input_init(&base, GIT_MERGE_FILE_INPUT_VERSION);
	git_merge_file_input_init(&ours, GIT_MERGE_FILE_INPUT_VERSION);
	git_merge_file_input_init(&theirs, GIT_MERGE_FILE_INPUT_VERSION);
	base.ptr = hc_buf_cstr(&after->data);
	base.size = after->data.size;
	ours.ptr = hc_buf_cstr(&live->data);
	ours.size = live->data.size;
	theirs.ptr = hc_buf_cstr(&before->data);
	theirs.size = before->data.size;
	if (git_merge_file(&result, &base, &ours, &theirs, NULL) < 0) {
		const git_error *e = git_error_last();

		hc_error_set("cannot merge: %s", e && e->message ? e->message : "unknown error");
		return HC_ERROR;
	}
	*clean = result.automergeable;
	error = *clean ? hc_buf_set(&target->data, result.ptr, result.len) : 0;
	/* A mode or owner changed by hand since is kept. */
	target->exists = true;
	if (same_meta(live, after)) {
		target->mode = before->mode;
		target->uid = before->uid;
		target->gid = before->gid;
	} else {
		target->mode = live->mode;
		target->uid = live->uid;
		target->gid = live->gid;
	}
	git_merge_file_result_free(&result);
	return error;
}

static int plan_file(struct hc_plan *out, struct hc_strlist *conflicts,
		     struct hc_root *root, const struct hc_plan_file *f, bool force)
{
	struct hc_file_state live = { 0 }, target = { 0 };
	bool clean = false;
	int error;

	if ((error = live_state(&live, root, f->path)) < 0)
		goto out;
	if (hc_file_state_equal(&live, &f->before))
		goto out;
	if (hc_file_state_equal(&live, &f->after) ||
	    (live.exists && f->after.exists && hc_buf_equal(&live.data, &f->after.data))) {
		error = hc_file_state_copy(&target, &f->before);
		if (error == 0 && live.exists && f->before.exists && !same_meta(&live, &f->after)) {
			target.mode = live.mode;
			target.uid = live.uid;
			target.gid = live.gid;
		}
		clean = true;
	} else if (live.exists && f->after.exists && f->before.exists) {
		error = merge(&target, &clean, &f->before, &f->after, &live);
	}
	if (error < 0)
		goto out;
	if (!clean) {
		if (!force) {
			error = hc_strlist_push(conflicts, f->path);
			goto out;
		}
		if ((error = hc_file_state_copy(&target, &f->before)) < 0)
			goto out;
	}
	if (!hc_file_state_equal(&live, &target))
		error = hc_plan_add(out, NULL, f->path, &live, &target);
out:
	hc_buf_release(&live.data);
	hc_buf_release(&target.data);
	return error;
}

int hc_rollback_plan(struct hc_plan *out, struct hc_strlist *conflicts,
		     struct hc_store *store, struct hc_root *root,
		     const struct hc_txn_info *txn, bool force)
{
	struct hc_plan changed;
	int error;

	hc_plan_init(&changed);
	if ((error = hc_store_txn_plan(&changed, store, txn)) < 0)
		goto out;
	for (size_t i = 0; i < changed.nfiles && error == 0; i++)
		error = plan_file(out, conflicts, root, &changed.files[i], force);
out:
	hc_plan_release(&changed);
	return error;
}
