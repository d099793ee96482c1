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
#include "hardctl/aug.h"
#include "hardctl/ctx.h"
#include "hardctl/engine.h"
#include "hardctl/install.h"
#include "hardctl/profile.h"
#include "hardctl/root.h"
#include "hardctl/suggest.h"

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
			hc_suggest_unknown_rule(only->v[i]);
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
	if (hc_buf_printf(&note, "waiver expired %s (approved by %s)",
			  f->waiver->expires, f->waiver->approver) < 0)
		return HC_ERROR;
	f->reason = hc_buf_detach(&note);
	return 0;
}

static int run_check(struct hc_finding **out, struct hc_findings *findings,
		     struct hc_ctx *ctx, const struct hc_profile_rule *pr)
{
	bool waived;
	int error;

	if ((error = hc_findings_add(out, findings, pr->rule, pr->severity)) <
		0 ||
	    (error = waive(&waived, *out, &pr->waiver)) < 0 || waived)
		return error;
	hc_error_clear();
	/* The code the check returns is the one its caller acts on. */
	if ((error = pr->rule->check(*out, ctx, pr->rule)) < 0)
		return hc_finding_error(*out) < 0 ? HC_ERROR : error;
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

/*
 * The state of FILE as read, and as the rules so far leave it: views of
 * its buffers, nothing copied (hc_plan_add() copies what changed).
 */
static void file_states(struct hc_file_state *before,
			struct hc_file_state *after, const struct hc_file *file)
{
	memset(before, 0, sizeof(*before));
	memset(after, 0, sizeof(*after));
	before->exists = file->exists;
	before->link = file->link;
	before->mode = file->st.st_mode & 07777;
	before->uid = file->st.st_uid;
	before->gid = file->st.st_gid;
	before->data = file->orig;
	after->exists = hc_file_present(file);
	after->link = file->as_link;
	after->mode = file->mode;
	after->uid = file->uid;
	after->gid = file->gid;
	after->data = file->cur;
}

/* The state of PATH the plan leads to so far; NULL if it has no step. */
static const struct hc_file_state *planned(const struct hc_plan *plan,
					   const char *path)
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
	struct hc_file_state before, after;
	int error = 0;

	for (size_t i = 0; i < ctx->nfiles && error == 0; i++) {
		struct hc_file *file = ctx->files[i];
		const struct hc_file_state *last;

		if ((!file->exists && !file->created) ||
		    (error = hc_file_render(file)) < 0)
			continue;
		file_states(&before, &after, file);
		last = planned(plan, file->path);
		if (!hc_file_state_equal(last ? last : &before, &after) &&
		    (error = hc_plan_add(plan, rule, file->path, &before,
					 &after)) == 0)
			error = hc_plan_set_lens(plan, file->path, file->lens);
	}
	return error;
}

/* Whether PLAN's steps FROM on hold one RULE made to PATH. */
static bool changed_by(const struct hc_plan *plan, size_t from,
		       const struct hc_rule *rule, const char *path)
{
	for (size_t i = from; i < plan->nsteps; i++)
		if (plan->steps[i].rule == rule &&
		    strcmp(plan->files[plan->steps[i].file].path, path) == 0)
			return true;
	return false;
}

/*
 * Whether RULE may edit each file it changed (steps FROM on): a file
 * another tool owns (authselect's PAM stacks) refuses the rule.
 */
static int may_edit(struct hc_ctx *ctx, const struct hc_plan *plan, size_t from,
		    const struct hc_rule *rule)
{
	int error = 0;

	for (size_t i = 0; i < ctx->nfiles && error == 0; i++) {
		struct hc_file *file = ctx->files[i];

		if (file->may_edit && changed_by(plan, from, rule, file->path))
			error = file->may_edit(ctx, file, &file->cur, NULL);
	}
	return error;
}

/* Lines are counted in the text a tree was parsed from: orig, swapped with cur.
 */
static void swap_text(struct hc_file *file)
{
	struct hc_buf text = file->orig;

	file->orig = file->cur;
	file->cur = text;
}

/* In SAVED: the file's text alone was swapped, its tree kept. */
#define TEXT_ONLY "="

#ifdef HARDCTL_FAULT_INJECTION
/*
 * In the tests' builds only: FILE's tree, vouched for by its render, is
 * parsed from its bytes all the same and must hold the same nodes.  An
 * edit no note named (one the render by edited lines would have left
 * out) then fails the suites, where it would pass on a host.
 */
static int vouched_as_parsed(struct hc_file *file)
{
	if (hc_aug_parses_to(file->aug, file->lens, hc_buf_cstr(&file->cur),
			     file->cur.size, file->tree))
		return 0;
	hc_error_set("%s: its edited tree is not what the bytes it would "
		     "write parse to; please report this bug",
		     file->display);
	return HC_ERROR;
}
#else
static int vouched_as_parsed(struct hc_file *file)
{
	(void)file;
	return 0;
}
#endif

/*
 * Swap in, for each file RULE changed (steps FROM on), a tree parsed
 * from the bytes it renders to, keeping the edited tree's name in
 * SAVED[i] (empty: not swapped).  A lens that cannot carry what the
 * rule set renders something else: the check then judges that.  When
 * the bytes were rendered by edited lines, each of which parsed back
 * alone to the tree's own nodes (hc_aug_renders_back()), the parse is
 * the edited tree itself: only the text is swapped (TEXT_ONLY).
 */
static int swap_rendered(char (*saved)[32], struct hc_ctx *ctx,
			 const struct hc_plan *plan, size_t from,
			 const struct hc_rule *rule)
{
	int error = 0;

	for (size_t i = 0; i < ctx->nfiles && error == 0; i++) {
		struct hc_file *file = ctx->files[i];
		char tree[32] = "";

		saved[i][0] = '\0';
		if (file->lens == NULL || file->tree[0] == '\0' ||
		    file->dirty || !hc_file_present(file) ||
		    !changed_by(plan, from, rule, file->path))
			continue;
		if (hc_aug_renders_back(file->aug, file->tree,
					hc_buf_cstr(&file->cur),
					file->cur.size)) {
			if ((error = vouched_as_parsed(file)) < 0)
				break;
			memcpy(saved[i], TEXT_ONLY, sizeof(TEXT_ONLY));
			swap_text(file);
			continue;
		}
		if ((error = hc_aug_parse(
			 tree, file->aug, file->lens, file->display,
			 hc_buf_cstr(&file->cur), file->cur.size)) < 0) {
			hc_error_prefix(
			    "%s: what it would write does not parse again",
			    rule->id);
			/* The rule's own bug: refused, the others go on. */
			if (error == HC_EPARSE)
				error = hc_error_set_code(HC_EUNSAFE);
			break;
		}
		memcpy(saved[i], file->tree, sizeof(saved[i]));
		memcpy(file->tree, tree, sizeof(file->tree));
		file->tree_as_read = false;
		swap_text(file);
	}
	return error;
}

/*
 * N: the files CTX had when swap_rendered() filled SAVED; the check may
 * have read more since, which SAVED has no slot for.
 */
static void swap_back(char (*saved)[32], struct hc_ctx *ctx, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (saved[i][0] == '\0')
			continue;
		if (strcmp(saved[i], TEXT_ONLY) == 0) {
			swap_text(ctx->files[i]);
			continue;
		}
		hc_aug_drop(ctx->files[i]->aug, ctx->files[i]->tree);
		memcpy(ctx->files[i]->tree, saved[i], sizeof(saved[i]));
		swap_text(ctx->files[i]);
	}
}

/*
 * A remediation that leaves its own check failing is hardctl's bug.
 * The check judges the bytes the plan would write, parsed again, not
 * the tree the rule edited: a value a lens cannot carry (a banner
 * rendered empty) is an error, never recorded as a pass.  Where the
 * render vouches that the bytes parse to the edited tree
 * (swap_rendered()), that tree is their parse, and is judged.
 */
static int recheck(struct hc_ctx *ctx, const struct hc_plan *plan, size_t from,
		   const struct hc_rule *rule)
{
	struct hc_finding again;
	size_t nsaved = ctx->nfiles;
	char(*saved)[32] = calloc(nsaved + 1, sizeof(*saved));
	int error;

	if (saved == NULL)
		return hc_error_oom();
	memset(&again, 0, sizeof(again));
	again.rule = rule;
	if ((error = swap_rendered(saved, ctx, plan, from, rule)) == 0 &&
	    (error = rule->check(&again, ctx, rule)) == 0 &&
	    again.status != HC_STATUS_PASS) {
		const struct hc_evidence *ev = NULL;

		for (size_t i = 0; i < again.nev && ev == NULL; i++)
			if (again.ev[i].expected)
				ev = &again.ev[i];
		if (ev)
			hc_error_set("rule %s still fails after its "
				     "remediation, judged on the "
				     "bytes it would write: %s:%u: %s; please "
				     "report this bug",
				     rule->id, ev->file ? ev->file : "",
				     ev->line,
				     ev->found ? ev->found : "(nothing)");
		else
			hc_error_set(
			    "rule %s still fails after its remediation, judged "
			    "on the "
			    "bytes it would write; please report this bug",
			    rule->id);
		error = HC_EUNSAFE;
	}
	swap_back(saved, ctx, nsaved);
	free(saved);
	hc_finding_clear(&again);
	return error;
}

/* Whether CODE, from a rule's remediation, refuses that rule alone. */
static bool refusal(int code)
{
	return code == HC_EUNSAFE || code == HC_EINVALID ||
	       code == HC_ENOTFOUND;
}

/*
 * Say in F why RULE's remediation was refused (the last error) and the
 * way out: "REASON, or skip with --skip-rule ID".
 */
static int refused_note(struct hc_finding *f, const struct hc_rule *rule)
{
	const struct hc_error *e = hc_error_last();
	struct hc_buf note = HC_BUF_INIT;
	int error = 0;

	if (e->file[0] && !strstr(e->message, e->file))
		error = e->line
			    ? hc_buf_printf(&note, "%s:%u: ", e->file, e->line)
			    : hc_buf_printf(&note, "%s: ", e->file);
	if (error == 0)
		error = hc_buf_printf(&note, "%s, or skip with --skip-rule %s",
				      e->message[0] ? e->message
						    : "it cannot be planned",
				      rule->id);
	if (error < 0) {
		hc_buf_release(&note);
		return error;
	}
	free(f->fix_note);
	f->fix_note = hc_buf_detach(&note);
	f->fix = HC_FIX_CANNOT;
	return f->fix_note ? 0 : HC_ERROR;
}

/*
 * Undo what a refused rule did: PLAN loses its steps (those from NSTEPS
 * on) and the files only they added (from NFILES on), and every file in
 * CTX goes back to the state the rules before it left: the plan's last
 * "after", or as read.
 */
static int undo_rule(struct hc_plan *plan, struct hc_ctx *ctx, size_t nsteps,
		     size_t nfiles)
{
	int error = hc_plan_truncate(plan, nsteps, nfiles);

	for (size_t i = 0; i < ctx->nfiles && error == 0; i++)
		error = hc_ctx_file_reset(ctx, ctx->files[i],
					  planned(plan, ctx->files[i]->path));
	return error;
}

/* How F's rule gets fixed, when it fails: report-only, or apply. */
static int fix_known(struct hc_finding *f)
{
	if (f->status != HC_STATUS_FAIL && f->status != HC_STATUS_DRIFTED)
		return 0;
	if (f->rule->remediate) {
		f->fix = HC_FIX_APPLY;
		return 0;
	}
	f->fix = HC_FIX_MANUAL;
	f->fix_note = hc_strdup(hc_rule_manual(f->rule));
	return f->fix_note ? 0 : HC_ERROR;
}

int hc_engine_plan(struct hc_plan *plan, struct hc_findings *out,
		   struct hc_ctx *ctx, const struct hc_strlist *only)
{
	const struct hc_profile *p = ctx->profile;
	struct hc_finding *f = NULL;
	size_t from, nfiles;
	int error;

	for (size_t i = 0; i < p->nrules; i++) {
		const struct hc_rule *rule = p->rules[i].rule;

		if (!selected(only, rule->id))
			continue;
		f = NULL;
		error = run_check(&f, out, ctx, &p->rules[i]);
		if (error < 0 || (error = fix_known(f)) < 0)
			return error;
		if (f->status != HC_STATUS_FAIL || rule->remediate == NULL)
			continue;
		from = plan->nsteps;
		nfiles = plan->nfiles;
		if ((error = rule->remediate(ctx, rule)) < 0 ||
		    (error = record(plan, ctx, rule)) < 0 ||
		    (error = may_edit(ctx, plan, from, rule)) < 0 ||
		    (error = recheck(ctx, plan, from, rule)) < 0) {
			if (!refusal(error)) {
				hc_error_prefix("%s", rule->id);
				return error;
			}
			/* This rule alone is left out; the others go on. */
			if ((error = refused_note(f, rule)) < 0 ||
			    (error = undo_rule(plan, ctx, from, nfiles)) < 0)
				return error;
			hc_error_clear();
		}
	}
	return 0;
}

/*
 * Whether FILE differs from what was read: an edited tree, presence,
 * link, mode or owner.
 */
static bool touched(const struct hc_file *file)
{
	struct hc_file_state before, after;

	if (file->dirty)
		return true;
	file_states(&before, &after, file);
	return !hc_file_state_equal(&before, &after);
}

/*
 * Whether the files a fix touched are ones hardctl may edit and apply
 * could install (hc_install_preflight_file(): not a symlink it would
 * replace, not a hard link, its directory there and writable).  Neither
 * depends on the edit: each file is judged once, *OK[i] set for file i
 * of CTX once it passed.
 */
static int may_install(bool **ok, size_t *nok, struct hc_ctx *ctx)
{
	int error = 0;

	if (*nok < ctx->nfiles) {
		bool *grown = realloc(*ok, ctx->nfiles * sizeof(**ok));

		if (grown == NULL)
			return hc_error_oom();
		memset(grown + *nok, 0, (ctx->nfiles - *nok) * sizeof(**ok));
		*ok = grown;
		*nok = ctx->nfiles;
	}
	for (size_t i = 0; i < ctx->nfiles && error == 0; i++) {
		struct hc_file *file = ctx->files[i];
		struct hc_plan_file pf;

		if ((*ok)[i] || !touched(file))
			continue;
		memset(&pf, 0, sizeof(pf));
		pf.path = file->path;
		file_states(&pf.before, &pf.after, file);
		if (file->may_edit)
			error = file->may_edit(ctx, file, &file->cur, NULL);
		if (error == 0 &&
		    (error = hc_install_preflight_file(ctx->root, &pf)) == 0)
			(*ok)[i] = true;
	}
	return error;
}

/* Put every file CTX changed back as it was read. */
static int reset_touched(struct hc_ctx *ctx)
{
	int error = 0;

	for (size_t i = 0; i < ctx->nfiles && error == 0; i++)
		if (touched(ctx->files[i]))
			error = hc_ctx_file_reset(ctx, ctx->files[i], NULL);
	return error;
}

int hc_engine_check_fix(struct hc_findings *out, struct hc_ctx *ctx,
			const struct hc_strlist *only)
{
	size_t first = out->n, nok = 0;
	bool *ok = NULL;
	int error;

	/* Every rule on the files as read: the host as it is. */
	if ((error = hc_engine_check(out, ctx, only)) < 0)
		return error;
	for (size_t i = first; i < out->n && error == 0; i++) {
		struct hc_finding *f = &out->v[i];

		if ((error = fix_known(f)) < 0 || f->status != HC_STATUS_FAIL ||
		    f->rule->remediate == NULL)
			continue;
		/*
		 * Then each fix on the trees the fixes before it left, as
		 * apply plans them.  Any failure to plan says that apply
		 * could not; the files go back as read.
		 */
		if (f->rule->remediate(ctx, f->rule) < 0 ||
		    may_install(&ok, &nok, ctx) < 0) {
			if ((error = refused_note(f, f->rule)) < 0 ||
			    (error = reset_touched(ctx)) < 0)
				break;
			hc_error_clear();
		}
	}
	free(ok);
	return error;
}

static int rm_entry(const char *path, const struct stat *st, int flag,
		    struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	return flag == FTW_DP ? rmdir(path) : unlink(path);
}

/* A file's validation under way, and the scratch directory it uses. */
struct validation {
	struct hc_file_job job;
	char scratch[4096];
};

/* An empty scratch directory for a validator, into SCRATCH. */
static int scratch_make(char scratch[4096])
{
	const char *tmp = getenv("TMPDIR");

	snprintf(scratch, 4096, "%s/hardctl-validate.XXXXXX",
		 tmp && tmp[0] ? tmp : "/tmp");
	if (mkdtemp(scratch) == NULL) {
		hc_error_set_os(scratch, "cannot create a scratch directory");
		return HC_ERROR;
	}
	return 0;
}

/*
 * Wait for the verdicts of the N validations in V, in order, then free
 * V.  The first failure is returned; the ones after it are abandoned.
 */
static int validations_finish(struct validation *v, size_t n)
{
	int error = 0;

	for (size_t i = 0; i < n; i++) {
		if (error == 0)
			error = v[i].job.finish(&v[i].job);
		else
			v[i].job.abandon(&v[i].job);
		nftw(v[i].scratch, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
	}
	free(v);
	return error;
}

/*
 * Validate each file PLAN writes whose module gives a validator, in the
 * plan's order.  A validator in two halves is started and left running
 * (into *OUT, *N); the others give their verdict here.  The first
 * failure is returned, once the validations started before it have
 * answered: the verdict is the one the plan's order gives.
 */
static int validations_start(struct validation **out, size_t *n,
			     struct hc_ctx *ctx, const struct hc_plan *plan)
{
	struct validation *v;
	int error = 0;

	*out = NULL;
	*n = 0;
	if ((v = calloc(plan->nfiles + 1, sizeof(*v))) == NULL)
		return hc_error_oom();
	for (size_t i = 0; i < plan->nfiles && error == 0; i++) {
		const struct hc_plan_file *f = &plan->files[i];
		struct hc_file *file = hc_ctx_loaded(ctx, f->path);
		struct validation *at = &v[*n];

		if (file == NULL || file->validate == NULL || !f->after.exists)
			continue;
		if ((error = scratch_make(at->scratch)) < 0)
			break;
		memset(&at->job, 0, sizeof(at->job));
		if (file->validate_start)
			error = file->validate_start(
			    &at->job, ctx, file, &f->after.data, at->scratch);
		else
			error = file->validate(ctx, file, &f->after.data,
					       at->scratch);
		if (error == 0 && at->job.finish) {
			(*n)++;
			continue;
		}
		nftw(at->scratch, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
	}
	if (error < 0) {
		struct hc_error failed = *hc_error_last();
		int earlier = validations_finish(v, *n);

		*n = 0;
		if (earlier < 0)
			return earlier;
		hc_error_restore(&failed);
		return error;
	}
	*out = v;
	return 0;
}

int hc_engine_validate(struct hc_ctx *ctx, const struct hc_plan *plan,
		       struct hc_access *access)
{
	struct validation *v;
	struct hc_error judged = {0};
	size_t n;
	int error, judge;

	memset(access, 0, sizeof(*access));
	if ((error = validations_start(&v, &n, ctx, plan)) < 0)
		return error;
	/* The lockout judgment while sshd -t runs: the files' verdicts
	 * still come first. */
	if ((judge = hc_access_judge(access, ctx, plan)) < 0)
		judged = *hc_error_last();
	if ((error = validations_finish(v, n)) < 0) {
		hc_access_release(access); /* empty, as if never judged */
		return error;
	}
	if (judge < 0) {
		hc_error_restore(&judged);
		return judge;
	}
	return access->verdict == HC_ACCESS_REFUSED ? hc_access_refusal(access)
						    : 0;
}
