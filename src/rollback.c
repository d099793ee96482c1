/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Rollback planning (see hardctl/rollback.h).
 */
#include <git2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "hardctl/ctx.h"
#include "hardctl/diff.h"
#include "hardctl/engine.h"
#include "hardctl/plan.h"
#include "hardctl/profile.h"
#include "hardctl/undo.h"
#include "hardctl/rollback.h"
#include "hardctl/root.h"
#include "hardctl/store.h"

int hc_rollback_changed(struct hc_plan *out, struct hc_store *store,
			const struct hc_txn_info *txn, const char *rule)
{
	struct hc_store_changes changes;
	int error;

	if ((error = hc_store_txn_changes(&changes, store, txn, rule)) < 0)
		return error;
	for (size_t i = 0; i < changes.n && error == 0; i++) {
		const struct hc_store_change *c = &changes.v[i];

		if ((error = hc_plan_add(out, NULL, c->path, &c->before,
					 &c->after)) == 0)
			error = hc_plan_set_lens(out, c->path, c->lens);
	}
	hc_store_changes_release(&changes);
	return error;
}

static bool same_meta(const struct hc_file_state *a,
		      const struct hc_file_state *b)
{
	return a->mode == b->mode && a->uid == b->uid && a->gid == b->gid;
}

/*
 * Take the change from BEFORE to AFTER out of LIVE into TARGET; *clean
 * says whether the merge went without conflict.
 */
static int merge(struct hc_file_state *target, bool *clean,
		 const struct hc_file_state *before,
		 const struct hc_file_state *after,
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

		hc_error_set("cannot merge: %s",
			     e && e->message ? e->message : "unknown error");
		return HC_ERROR;
	}
	*clean = result.automergeable;
	error = *clean ? hc_buf_set(&target->data, result.ptr, result.len) : 0;
	target->exists = true;
	git_merge_file_result_free(&result);
	return error;
}

/*
 * Plan TARGET for F's path, the file being LIVE now, or name the path in
 * CONFLICTS when the target could not be worked out CLEAN.  TARGET gets
 * the mode and owner F had before, unless they were changed since F
 * (by hand), which is kept, as is a file's that F created.
 */
static int settle(struct hc_plan *out, struct hc_strlist *conflicts,
		  const struct hc_plan_file *f,
		  const struct hc_file_state *live,
		  struct hc_file_state *target, bool clean)
{
	const struct hc_file_state *meta;

	if (!clean)
		return hc_strlist_push(conflicts, f->path);
	meta =
	    same_meta(live, &f->after) && f->before.exists ? &f->before : live;
	if (target->exists && meta->exists) {
		target->mode = meta->mode;
		target->uid = meta->uid;
		target->gid = meta->gid;
	}
	if (hc_file_state_equal(live, target))
		return 0;
	return hc_plan_add(out, NULL, f->path, live, target);
}

/*
 * The transactions after the one undone, read once when first needed:
 * hardctl's own rollbacks of its rules come between it and the files.
 */
struct later {
	struct hc_store *store;
	const struct hc_txn_info *undone;
	struct hc_txn_info *list; /* newest first */
	struct hc_plan *plans;    /* what each changed; NULL until loaded */
	size_t n;
	bool loaded;
};

static int later_load(struct later *l)
{
	unsigned int *ids, last;
	size_t n, k = 0;
	int error;

	l->loaded = true;
	/* Undoing the newest, as most rollbacks do: none came after. */
	if ((error = hc_store_txn_last(&last, l->store)) < 0 ||
	    last <= l->undone->id)
		return error;
	if ((error = hc_store_txn_ids(&ids, &n, l->store)) < 0)
		return error;
	/* Newest first: those after the one undone are a prefix. */
	while (k < n && ids[k] > l->undone->id)
		k++;
	if (k && ((l->list = calloc(k, sizeof(*l->list))) == NULL ||
		  (l->plans = calloc(k, sizeof(*l->plans))) == NULL)) {
		free(ids);
		return hc_error_oom();
	}
	l->n = k;
	for (size_t i = 0; i < k; i++)
		hc_plan_init(&l->plans[i]);
	for (size_t i = 0; i < k && error == 0; i++)
		if ((error = hc_store_txn_get(&l->list[i], l->store, ids[i])) ==
		    0)
			error = hc_rollback_changed(&l->plans[i], l->store,
						    &l->list[i], NULL);
	free(ids);
	return error;
}

static void later_release(struct later *l)
{
	for (size_t i = 0; i < l->n; i++) {
		hc_txn_info_release(&l->list[i]);
		if (l->plans)
			hc_plan_release(&l->plans[i]);
	}
	free(l->list);
	free(l->plans);
}

static bool undoes_a_rule_of(const struct hc_txn_info *t, unsigned int id)
{
	char want[16];

	snprintf(want, sizeof(want), "%u", id);
	return t->undoes && t->undoes_rule && strcmp(t->undoes, want) == 0;
}

/*
 * *out: PATH as the last of hardctl's rollbacks of single rules of the
 * transaction undone left it, when only those touched it since; else
 * NULL.  A whole rollback then starts from there: what they took out is
 * no edit to keep.
 */
static int own_since(const struct hc_file_state **out, struct later *l,
		     const char *path)
{
	int error;

	*out = NULL;
	if (!l->loaded && (error = later_load(l)) < 0)
		return error;
	for (size_t i = l->n; i-- > 0;) {
		const struct hc_plan *p = &l->plans[i];

		if (l->list[i].id <= l->undone->id)
			continue;
		for (size_t f = 0; f < p->nfiles; f++) {
			if (strcmp(p->files[f].path, path) != 0)
				continue;
			if (!undoes_a_rule_of(&l->list[i], l->undone->id)) {
				*out = NULL; /* another's change: a merge
						decides */
				return 0;
			}
			*out = &p->files[f].after;
		}
	}
	return 0;
}

static int plan_file(struct hc_plan *out, struct hc_strlist *conflicts,
		     struct hc_root *root, const struct hc_plan_file *file,
		     bool force, struct later *later)
{
	struct hc_file_state live = {0}, target = {0};
	struct hc_plan_file g = *file;
	const struct hc_plan_file *f = &g;
	const struct hc_file_state *since;
	bool clean = false;
	int error;

	if ((error = hc_root_state(&live, root, f->path)) < 0)
		goto out;
	if (hc_file_state_equal(&live, &f->before))
		goto out;
	if (!hc_file_state_same_data(&live, &f->after)) {
		if ((error = own_since(&since, later, f->path)) < 0)
			goto out;
		if (since)
			g.after = *since;
	}
	if (hc_file_state_same_data(&live, &f->after)) {
		clean = true;
		error = hc_file_state_copy(&target, &f->before);
	} else if (live.exists && f->after.exists && f->before.exists &&
		   !live.link && !f->after.link && !f->before.link) {
		error = merge(&target, &clean, &f->before, &f->after, &live);
	}
	/* --force: the state before, whatever happened since. */
	if (error == 0 && !clean && force) {
		clean = true;
		error = hc_file_state_copy(&target, &f->before);
	}
	if (error == 0)
		error = settle(out, conflicts, f, &live, &target, clean);
out:
	hc_buf_release(&live.data);
	hc_buf_release(&target.data);
	return error;
}

int hc_rollback_plan(struct hc_plan *out, struct hc_strlist *conflicts,
		     struct hc_store *store, struct hc_root *root,
		     const struct hc_txn_info *txn, bool force)
{
	struct later later = {.store = store, .undone = txn};
	struct hc_plan changed;
	int error;

	hc_plan_init(&changed);
	if ((error = hc_rollback_changed(&changed, store, txn, NULL)) < 0)
		goto out;
	for (size_t i = 0; i < changed.nfiles && error == 0; i++)
		error = plan_file(out, conflicts, root, &changed.files[i],
				  force, &later);
out:
	later_release(&later);
	hc_plan_release(&changed);
	return error;
}

/*
 * The lens F is read with: as the store recorded it at the rule's
 * commit; for a transaction recorded before it did, as CTX's profile
 * reads it (hc_rollback_rule_plan() ran the rule's check).
 */
static const char *lens_of(const struct hc_ctx *ctx,
			   const struct hc_plan_file *f)
{
	const struct hc_file *file;

	if (f->lens)
		return f->lens;
	file = ctx ? hc_ctx_loaded(ctx, f->path) : NULL;
	return file ? file->lens : NULL;
}

/*
 * Take RULE's change F (its "before" and "after") out of the live file.
 * CREATED: the transaction created the file, so emptied it goes.
 */
static int undo_file(struct hc_plan *out, struct hc_strlist *conflicts,
		     struct hc_ctx *ctx, const struct hc_plan_file *f,
		     bool created)
{
	struct hc_file_state live = {0}, target = {0};
	const char *lens;
	bool clean = true;
	int error;

	if ((error = hc_root_state(&live, ctx->root, f->path)) < 0)
		goto out;
	if (hc_file_state_equal(&live, &f->before))
		goto out;
	if (hc_file_state_same_data(&live, &f->after)) {
		error = hc_file_state_copy(&target, &f->before);
	} else if (!live.exists || !f->after.exists || live.link ||
		   f->after.link || (lens = lens_of(ctx, f)) == NULL) {
		clean = false;
	} else {
		struct hc_buf display = HC_BUF_INIT;

		if ((error = hc_root_display(&display, ctx->root, f->path)) ==
		    0)
			error = hc_undo_nodes(
			    &target.data, &clean, ctx->aug, lens, display.ptr,
			    &f->before.data, &f->after.data, &live.data);
		hc_buf_release(&display);
		/* A file the transaction created, emptied of all it held, goes.
		 */
		target.exists = !created || target.data.size > 0;
	}
	if (error == 0)
		error = settle(out, conflicts, f, &live, &target, clean);
out:
	hc_buf_release(&live.data);
	hc_buf_release(&target.data);
	return error;
}

/* Whether the store named the lens of every file of PLAN. */
static bool lenses_known(const struct hc_plan *plan)
{
	for (size_t i = 0; i < plan->nfiles; i++)
		if (plan->files[i].lens == NULL)
			return false;
	return true;
}

int hc_rollback_rule_plan(struct hc_plan *out, struct hc_strlist *conflicts,
			  struct hc_store *store, struct hc_ctx *ctx,
			  const struct hc_txn_info *txn, const char *rule)
{
	struct hc_strlist only = HC_STRLIST_INIT;
	struct hc_findings findings = {0};
	struct hc_plan change, whole;
	int error;

	hc_plan_init(&change);
	hc_plan_init(&whole);
	if ((error = hc_rollback_changed(&change, store, txn, rule)) < 0 ||
	    (error = hc_rollback_changed(&whole, store, txn, NULL)) < 0)
		goto out;
	if (change.nfiles == 0) {
		hc_error_set("rule %s changed nothing in transaction %u", rule,
			     txn->id);
		error = hc_error_set_code(HC_EINVALID);
		goto out;
	}
	/* Stores of older versions name no lens: the profile's rule reads the
	 * files. */
	if (!lenses_known(&change) && ctx->profile &&
	    hc_profile_find(ctx->profile, rule) &&
	    ((error = hc_strlist_push(&only, rule)) < 0 ||
	     (error = hc_engine_select(ctx, &only)) < 0 ||
	     (error = hc_engine_check(&findings, ctx, &only)) < 0))
		goto out;
	for (size_t i = 0; i < change.nfiles && error == 0; i++) {
		bool created = false;

		for (size_t j = 0; j < whole.nfiles; j++)
			if (strcmp(whole.files[j].path, change.files[i].path) ==
			    0)
				created = !whole.files[j].before.exists;
		error =
		    undo_file(out, conflicts, ctx, &change.files[i], created);
	}
out:
	hc_findings_release(&findings);
	hc_strlist_release(&only);
	hc_plan_release(&change);
	hc_plan_release(&whole);
	return error;
}

/* Append the conflict blocks of a merge's RESULT (markers included). */
static int conflict_blocks(struct hc_buf *out, const char *text, size_t len)
{
	const char *p = text, *end = text + len;
	bool inside = false;
	int error = 0;

	while (p < end && error == 0) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) + 1 : (size_t)(end - p);

		if (!inside && n >= 7 && memcmp(p, "<<<<<<<", 7) == 0)
			inside = true;
		if (inside)
			error = hc_buf_put(out, p, n);
		if (inside && n >= 7 && memcmp(p, ">>>>>>>", 7) == 0)
			inside = false;
		if (error == 0 && inside && nl == NULL)
			error = hc_buf_puts(out, "\n");
		p += n;
	}
	return error;
}

/* The conflicting hunks of F's line merge into OUT; *shown false if none. */
static int merge_hunks(struct hc_buf *out, bool *shown,
		       const struct hc_plan_file *f,
		       const struct hc_file_state *live, unsigned int id)
{
	git_merge_file_input base, ours, theirs;
	git_merge_file_options opts;
	git_merge_file_result result;
	char label[48];
	int error = 0;

	*shown = false;
	if (!live->exists || !f->after.exists || !f->before.exists ||
	    live->link || f->after.link || f->before.link)
		return 0;
	memset(&result, 0, sizeof(result));
	git_merge_file_input_init(&base, GIT_MERGE_FILE_INPUT_VERSION);
	git_merge_file_input_init(&ours, GIT_MERGE_FILE_INPUT_VERSION);
	git_merge_file_input_init(&theirs, GIT_MERGE_FILE_INPUT_VERSION);
	git_merge_file_options_init(&opts, GIT_MERGE_FILE_OPTIONS_VERSION);
	snprintf(label, sizeof(label), "before transaction %u", id);
	opts.our_label = "now";
	opts.their_label = label;
	base.ptr = hc_buf_cstr(&f->after.data);
	base.size = f->after.data.size;
	ours.ptr = hc_buf_cstr(&live->data);
	ours.size = live->data.size;
	theirs.ptr = hc_buf_cstr(&f->before.data);
	theirs.size = f->before.data.size;
	if (git_merge_file(&result, &base, &ours, &theirs, &opts) < 0) {
		const git_error *e = git_error_last();

		hc_error_set("cannot merge: %s",
			     e && e->message ? e->message : "unknown error");
		return HC_ERROR;
	}
	if (!result.automergeable) {
		*shown = true;
		error = conflict_blocks(out, result.ptr, result.len);
	}
	git_merge_file_result_free(&result);
	return error;
}

int hc_rollback_conflict_hunks(struct hc_buf *out, struct hc_store *store,
			       struct hc_root *root,
			       const struct hc_txn_info *txn, const char *rule,
			       const char *path)
{
	struct later later = {.store = store, .undone = txn};
	struct hc_file_state live = {0};
	const struct hc_file_state *since = NULL;
	struct hc_plan changed;
	struct hc_plan_file g = {0};
	bool shown = false, found = false;
	int error;

	hc_plan_init(&changed);
	if ((error = hc_rollback_changed(&changed, store, txn, rule)) < 0 ||
	    (error = hc_root_state(&live, root, path)) < 0)
		goto out;
	for (size_t i = 0; i < changed.nfiles && !found; i++)
		if ((found = strcmp(changed.files[i].path, path) == 0))
			g = changed.files[i];
	if (!found)
		goto out;
	if (rule == NULL && (error = own_since(&since, &later, path)) < 0)
		goto out;
	if (since)
		g.after = *since;
	if ((error = hc_buf_printf(
		 out, "conflict: %s (changed since transaction %u)\n", path,
		 txn->id)) < 0 ||
	    (error = merge_hunks(out, &shown, &g, &live, txn->id)) < 0)
		goto out;
	/* No line of it conflicts (an entry edited, a file made or removed):
	 * what changed. */
	if (!shown)
		error = hc_diff_file(out, path, &g.after, &live);
out:
	hc_buf_release(&live.data);
	later_release(&later);
	hc_plan_release(&changed);
	return error;
}
