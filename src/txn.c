/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The transaction layer (see hardctl/txn.h): validation, preflight,
 * the installer and the store's commits in one order, for every
 * command that changes ROOT, and the recovery of a crash between them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "hardctl/access.h"
#include "hardctl/ctx.h"
#include "hardctl/engine.h"
#include "hardctl/install.h"
#include "hardctl/module.h"
#include "hardctl/plan.h"
#include "hardctl/rollback.h"
#include "hardctl/root.h"
#include "hardctl/state.h"
#include "hardctl/store.h"
#include "hardctl/txn.h"

/* PLAN backwards: each file from its "after" to its "before". */
static int reversed(struct hc_plan *out, const struct hc_plan *plan)
{
	int error = 0;

	for (size_t i = 0; i < plan->nfiles && error == 0; i++)
		error =
		    hc_plan_add(out, NULL, plan->files[i].path,
				&plan->files[i].after, &plan->files[i].before);
	return error;
}

/*
 * The files are in place but the store's history could not say so: put
 * every file back, keeping the first error's message and saying how
 * putting back went.
 */
static void put_back(struct hc_root *root, const struct hc_plan *plan)
{
	const struct hc_error *e = hc_error_last();
	char first[sizeof(e->message) + sizeof(e->file) + 16];
	struct hc_plan back;

	if (e->file[0])
		snprintf(first, sizeof(first), "%s: %s", e->file, e->message);
	else
		snprintf(first, sizeof(first), "%s", e->message);
	hc_plan_init(&back);
	if (reversed(&back, plan) == 0 && hc_install(root, &back) == 0)
		hc_error_set("%s; nothing changed (%zu file%s put back)", first,
			     plan->nfiles, plan->nfiles == 1 ? "" : "s");
	else
		hc_error_set("%s; putting the files back failed too (their "
			     "previous versions "
			     "are in the oldconf store)",
			     first);
	hc_plan_release(&back);
}

/* Record the present state of PLAN's files (their "before"). */
static int record(struct hc_txn *txn, const struct hc_plan *plan)
{
	struct hc_store_file *files = NULL;
	int error;

	if (plan->nfiles &&
	    (files = calloc(plan->nfiles, sizeof(*files))) == NULL)
		return hc_error_oom();
	for (size_t i = 0; i < plan->nfiles; i++) {
		files[i].path = plan->files[i].path;
		files[i].state = &plan->files[i].before;
		files[i].lens = plan->files[i].lens;
	}
	error = hc_txn_record(txn, files, plan->nfiles);
	free(files);
	return error;
}

/*
 * Commit PLAN's steps from *I on that are RULE's (consecutive steps of
 * a rule share a commit), moving *I past them; SUBJECT is the subject
 * of a commit of no rule (a rollback's).
 */
static int commit_group(struct hc_txn *txn, const struct hc_plan *plan,
			size_t *i, struct hc_store_file *files,
			const char *subject)
{
	const struct hc_rule *rule = plan->steps[*i].rule;
	struct hc_store_commit c = {.rule = rule ? rule->id : NULL,
				    .files = files};
	struct hc_buf msg = HC_BUF_INIT;
	int error = 0;

	for (; *i < plan->nsteps && plan->steps[*i].rule == rule; (*i)++) {
		const struct hc_plan_step *step = &plan->steps[*i];
		const struct hc_plan_file *file = &plan->files[step->file];

		files[c.n].path = file->path;
		files[c.n].state = &step->after;
		files[c.n].lens = file->lens;
		c.n++;
	}
	if (rule)
		error = hc_buf_printf(&msg, "%s: %s", rule->id, rule->title);
	if (error == 0) {
		c.subject = rule ? msg.ptr : subject;
		error = hc_txn_commit(txn, &c);
	}
	hc_buf_release(&msg);
	return error;
}

/* Commit PLAN's steps, one commit per rule (see commit_group()). */
static int commit_plan(struct hc_txn *txn, const struct hc_plan *plan,
		       const char *subject)
{
	struct hc_store_file *files = NULL;
	int error = 0;

	if (plan->nsteps &&
	    (files = calloc(plan->nsteps, sizeof(*files))) == NULL)
		return hc_error_oom();
	for (size_t i = 0; i < plan->nsteps && error == 0;)
		error = commit_group(txn, plan, &i, files, subject);
	free(files);
	return error;
}

/*
 * Record the files' present state, commit the plan, mark it pending,
 * install, and only then make it part of history.
 */
static int install(unsigned int *id, struct hc_store *store,
		   struct hc_root *root, const struct hc_plan *plan,
		   const struct hc_txn_meta *meta, const char *subject)
{
	struct hc_txn *txn = NULL;
	int error;

	if ((error = hc_txn_begin(&txn, store, meta)) < 0 ||
	    (error = record(txn, plan)) < 0 ||
	    (error = commit_plan(txn, plan, subject)) < 0 ||
	    (error = hc_txn_mark_pending(txn)) < 0 ||
	    (error = hc_install(root, plan)) < 0)
		goto out;
	if ((error = hc_txn_finish(txn)) < 0) {
		put_back(root, plan);
		goto out;
	}
	*id = hc_txn_id(txn);
out:
	hc_txn_free(txn);
	return error;
}

int hc_txn_run(unsigned int *id, bool *installing, struct hc_access *access,
	       const struct hc_txn_request *req)
{
	struct hc_txn_meta meta;
	bool refused = false;
	int error;

	*id = 0;
	*installing = false;
	memset(access, 0, sizeof(*access));
	if (req->guard == HC_TXN_GUARDED) {
		if (req->after == NULL) {
			hc_error_set("a guarded transaction needs the context "
				     "of its result");
			return HC_ERROR;
		}
		error = hc_engine_validate(req->after, req->plan, access);
		refused =
		    error == HC_EUNSAFE && access->verdict == HC_ACCESS_REFUSED;
		if (error == HC_EUNSAFE && req->guard_refused)
			*req->guard_refused = true;
		/* A dry run the lockout judgment refuses still runs preflight.
		 */
		if (error < 0 && !(refused && req->dry_run))
			return error;
	}
	if ((error = hc_install_preflight(req->root, req->plan)) < 0)
		return error;
	if (refused)
		return hc_access_refusal(access);
	if (req->dry_run || hc_plan_empty(req->plan))
		return 0;
	*installing = true;
	meta = *req->meta;
	if (access->verdict == HC_ACCESS_ACCEPTED)
		meta.accepted = access->reason;
	return install(id, req->store, req->root, req->plan, &meta,
		       req->subject);
}

/* The plan file of PLAN at PATH, or NULL. */
static const struct hc_plan_file *plan_file(const struct hc_plan *plan,
					    const char *path)
{
	for (size_t i = 0; i < plan->nfiles; i++)
		if (strcmp(plan->files[i].path, path) == 0)
			return &plan->files[i];
	return NULL;
}

/*
 * A check that failed on a file PLAN writes: its new bytes do not read
 * (or its module refuses them).  The finding's reason starts with the
 * file's display name.
 */
static int refuse_unread(struct hc_root *root, const struct hc_plan *plan,
			 const struct hc_findings *findings)
{
	struct hc_buf display = HC_BUF_INIT;
	int error = 0;

	for (size_t i = 0; i < plan->nfiles && error == 0; i++) {
		if (!plan->files[i].after.exists ||
		    (error = hc_root_display(&display, root,
					     plan->files[i].path)) < 0)
			continue;
		for (size_t j = 0; j < findings->n; j++) {
			const struct hc_finding *f = &findings->v[j];

			if (f->status != HC_STATUS_ERROR || f->reason == NULL ||
			    strncmp(f->reason, display.ptr, display.size) !=
				0 ||
			    f->reason[display.size] != ':')
				continue;
			hc_error_set(
			    "refusing to write what %s cannot read: %s",
			    f->rule->id, f->reason);
			error = hc_error_set_code(HC_EUNSAFE);
			break;
		}
	}
	hc_buf_release(&display);
	return error;
}

int hc_txn_after_open(struct hc_ctx *out, struct hc_root *root,
		      struct hc_aug *aug, const struct hc_profile *profile,
		      const struct hc_plan *plan)
{
	struct hc_findings findings = {0};
	int error;

	hc_ctx_init(out, root, aug, profile);
	out->after = plan;
	/* Each module reads the files it owns, as the plan leaves them. */
	if ((error = hc_engine_check(&findings, out, NULL)) == 0)
		error = refuse_unread(root, plan, &findings);
	hc_findings_release(&findings);
	return error;
}

bool hc_txn_restores(const struct hc_plan *plan, const struct hc_plan *recorded)
{
	for (size_t i = 0; i < plan->nfiles; i++) {
		const struct hc_plan_file *r =
		    plan_file(recorded, plan->files[i].path);

		if (r == NULL ||
		    r->before.exists != plan->files[i].after.exists ||
		    (r->before.exists &&
		     !hc_file_state_same_data(&r->before,
					      &plan->files[i].after)))
			return false;
	}
	return true;
}

/*
 * What putting back transaction CHANGED's files takes: each file still
 * as it left it gets its state before; one edited since is kept.
 */
static int recovery_plan(struct hc_plan *out, struct hc_recovery *r,
			 struct hc_root *root, const struct hc_plan *changed)
{
	struct hc_file_state live = {0};
	int error = 0;

	for (size_t i = 0; i < changed->nfiles && error == 0; i++) {
		const struct hc_plan_file *f = &changed->files[i];

		if ((error = hc_root_state(&live, root, f->path)) < 0)
			break;
		if (hc_file_state_equal(&live, &f->before))
			continue;
		if (!hc_file_state_equal(&live, &f->after)) {
			r->kept++;
			continue;
		}
		error = hc_plan_add(out, NULL, f->path, &live, &f->before);
	}
	hc_buf_release(&live.data);
	return error;
}

int hc_txn_recover(struct hc_recovery *out, struct hc_store *store,
		   struct hc_root *root)
{
	struct hc_plan changed, undo;
	struct hc_txn_info info;
	bool found, completed;
	int error;

	memset(out, 0, sizeof(*out));
	if ((error = hc_store_pending(&info, &found, &completed, store)) < 0)
		return error;
	if (!found) {
		/* A marker without a ref: the crash came after the ref went. */
		return hc_store_pending_settle(store, &info, false);
	}
	out->id = info.id;
	out->completed = completed;
	hc_plan_init(&changed);
	hc_plan_init(&undo);
	if ((error = hc_rollback_changed(&changed, store, &info, NULL)) < 0)
		goto out;
	/* Recorded bytes go back: only what keeps the installer safe runs. */
	if (!completed &&
	    ((error = recovery_plan(&undo, out, root, &changed)) < 0 ||
	     (error = hc_install_preflight(root, &undo)) < 0 ||
	     (error = hc_install(root, &undo)) < 0))
		goto out;
	if (!completed)
		out->restored = undo.nfiles;
	/* What the crash cut short may have left a temporary file. */
	if ((error = hc_store_pending_settle(store, &info, completed)) == 0)
		error = hc_install_sweep(root, &changed);
out:
	hc_plan_release(&undo);
	hc_plan_release(&changed);
	hc_txn_info_release(&info);
	return error;
}
