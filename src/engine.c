/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Checking and planning (see hardctl/engine.h).
 */
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "hardctl/access.h"
#include "hardctl/ctx.h"
#include "hardctl/engine.h"
#include "hardctl/profile.h"
#include "hardctl/root.h"

static bool selected(const struct hc_strlist *only, const char *id)
{
	if (only == NULL || only->n == 0)
		return true;
	for (size_t i = 0; i < only->n; i++)
		if (strcmp(only->v[i], id) == 0)
			return true;
	return false;
}

int hc_engine_select(const struct hc_ctx *ctx, const struct hc_strlist *only)
{
	for (size_t i = 0; only && i < only->n; i++) {
		if (hc_profile_find(ctx->profile, only->v[i]))
			continue;
		if (hc_rule_find(NULL, only->v[i]))
			hc_error_set("rule '%s' is not in profile '%s'",
				     only->v[i], ctx->profile->name);
		else
			hc_error_set("unknown rule '%s' (hardctl list shows the rules)",
				     only->v[i]);
		return hc_error_set_code(HC_EINVALID);
	}
	return 0;
}

/* A waiver in force stands for the check; an expired one is noted. */
static int waive(bool *waived, struct hc_finding *f, const struct hc_waiver *w)
{
	char today[11];

	*waived = false;
	if (w->reason == NULL)
		return 0;
	f->waiver = w;
	hc_today(today);
	if (!hc_waiver_active(w, today))
		return 0;
	*waived = true;
	f->status = HC_STATUS_WAIVED;
	return (f->reason = hc_strdup(w->reason)) ? 0 : HC_ERROR;
}

static int expired_note(struct hc_finding *f)
{
	struct hc_buf note = HC_BUF_INIT;

	if (f->waiver == NULL || f->reason)
		return 0;
	if (hc_buf_printf(&note, "waiver expired %s (approved by %s)", f->waiver->expires,
			  f->waiver->approver) < 0)
		return HC_ERROR;
	f->reason = hc_buf_detach(&note);
	return 0;
}

static int run_check(struct hc_finding **out, struct hc_findings *findings,
		     struct hc_ctx *ctx, const struct hc_profile_rule *pr)
{
	bool waived;
	int error;

	if ((error = hc_findings_add(out, findings, pr->rule, pr->severity)) < 0 ||
	    (error = waive(&waived, *out, &pr->waiver)) < 0 || waived)
		return error;
	hc_error_clear();
	if ((error = pr->rule->check(*out, ctx, pr->rule)) < 0) {
		int code = hc_error_last()->code;

		if (hc_finding_error(*out) < 0)
			return HC_ERROR;
		return code < 0 ? code : error;
	}
	return expired_note(*out);
}

int hc_engine_check(struct hc_findings *out, struct hc_ctx *ctx,
		    const struct hc_strlist *only)
{
	const struct hc_profile *p = ctx->profile;
	struct hc_finding *f;
	int error;

	for (size_t i = 0; i < p->nrules; i++) {
		if (!selected(only, p->rules[i].rule->id))
			continue;
		error = run_check(&f, out, ctx, &p->rules[i]);
		/* A rule that could not be checked is reported; go on. */
		if (error < 0 && f->status != HC_STATUS_ERROR)
			return error;
	}
	return 0;
}

/* The state of FILE as read, and as the rules so far leave it. */
static int file_states(struct hc_file_state *before, struct hc_file_state *after,
		       const struct hc_file *file)
{
	before->exists = file->exists;
	before->link = file->link;
	before->mode = file->st.st_mode & 07777;
	before->uid = file->st.st_uid;
	before->gid = file->st.st_gid;
	after->exists = hc_file_present(file);
	after->link = file->as_link;
	after->mode = file->mode;
	after->uid = file->uid;
	after->gid = file->gid;
	if (hc_buf_set(&before->data, file->orig.ptr, file->orig.size) < 0 ||
	    hc_buf_set(&after->data, file->cur.ptr, file->cur.size) < 0)
		return HC_ERROR;
	return 0;
}

/* The state of PATH the plan leads to so far; NULL if it has no step. */
static const struct hc_file_state *planned(const struct hc_plan *plan, const char *path)
{
	for (size_t i = 0; i < plan->nfiles; i++)
		if (strcmp(plan->files[i].path, path) == 0)
			return &plan->files[i].after;
	return NULL;
}

/*
 * Render the files RULE edited and record in PLAN what changed in each,
 * bytes, mode or owner, since the step before.
 */
static int record(struct hc_plan *plan, struct hc_ctx *ctx,
		  const struct hc_rule *rule)
{
	struct hc_file_state before = { 0 }, after = { 0 };
	int error = 0;

	for (size_t i = 0; i < ctx->nfiles && error == 0; i++) {
		struct hc_file *file = ctx->files[i];
		const struct hc_file_state *last;

		if ((!file->exists && !file->created) || (error = hc_file_render(file)) < 0 ||
		    (error = file_states(&before, &after, file)) < 0)
			continue;
		last = planned(plan, file->path);
		if (!hc_file_state_equal(last ? last : &before, &after))
			error = hc_plan_add(plan, rule, file->path, &before, &after);
	}
	hc_buf_release(&before.data);
	hc_buf_release(&after.data);
	return error;
}

/* A remediation that leaves its own check failing is hardctl's bug. */
static int recheck(struct hc_ctx *ctx, const struct hc_rule *rule)
{
	struct hc_finding again;
	int error;

	memset(&again, 0, sizeof(again));
	again.rule = rule;
	if ((error = rule->check(&again, ctx, rule)) == 0 &&
	    again.status != HC_STATUS_PASS) {
		hc_error_set("rule %s still fails after its remediation; please report this bug",
			     rule->id);
		error = HC_ERROR;
	}
	hc_finding_clear(&again);
	return error;
}

int hc_engine_plan(struct hc_plan *plan, struct hc_findings *out,
		   struct hc_ctx *ctx, const struct hc_strlist *only)
{
	const struct hc_profile *p = ctx->profile;
	struct hc_finding *f;
	int error;

	for (size_t i = 0; i < p->nrules; i++) {
		const struct hc_rule *rule = p->rules[i].rule;

		if (!selected(only, rule->id))
			continue;
		if ((error = run_check(&f, out, ctx, &p->rules[i])) < 0)
			return error;
		if (f->status != HC_STATUS_FAIL || rule->remediate == NULL)
			continue;
		if ((error = rule->remediate(ctx, rule)) < 0 ||
		    (error = record(plan, ctx, rule)) < 0 ||
		    (error = recheck(ctx, rule)) < 0) {
			hc_error_prefix("%s", rule->id);
			return error;
		}
	}
	return 0;
}

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	return flag == FTW_DP ? rmdir(path) : unlink(path);
}

static int validate_files(struct hc_ctx *ctx, const struct hc_plan *plan)
{
	const char *tmp = getenv("TMPDIR");
	int error = 0;

	for (size_t i = 0; i < plan->nfiles && error == 0; i++) {
		const struct hc_plan_file *f = &plan->files[i];
		struct hc_file *file = hc_ctx_loaded(ctx, f->path);
		char scratch[4096];

		if (file == NULL || file->validate == NULL || !f->after.exists)
			continue;
		snprintf(scratch, sizeof(scratch), "%s/hardctl-validate.XXXXXX",
			 tmp && tmp[0] ? tmp : "/tmp");
		if (mkdtemp(scratch) == NULL) {
			hc_error_set_os(scratch, "cannot create a scratch directory");
			return HC_ERROR;
		}
		error = file->validate(ctx, file, &f->after.data, scratch);
		nftw(scratch, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
	}
	return error;
}

int hc_engine_validate(struct hc_ctx *ctx, const struct hc_plan *plan,
		       struct hc_access *access)
{
	int error;

	memset(access, 0, sizeof(*access));
	if ((error = validate_files(ctx, plan)) < 0 ||
	    (error = hc_access_judge(access, ctx, plan)) < 0)
		return error;
	return access->verdict == HC_ACCESS_REFUSED ? hc_access_refusal(access) : 0;
}
