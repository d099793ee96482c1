/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Running a profile's rules: check them, or plan their remediation.
 * One path serves check, dry-run and apply, so what dry-run shows is
 * what apply writes.
 */
#ifndef HARDCTL_ENGINE_H
#define HARDCTL_ENGINE_H

#include "buf.h"
#include "finding.h"
#include "plan.h"

struct hc_access;
struct hc_ctx;

/**
 * Make sure every id in ONLY names a rule of the context's profile.
 * HC_EINVALID names the first that does not.
 */
int hc_engine_select(const struct hc_ctx *ctx, const struct hc_strlist *only);

/**
 * Check the profile's rules (those in ONLY, when it is not NULL or
 * empty) and append a finding for each to OUT.  A rule that cannot be
 * checked (a file that does not parse) gets an ERROR finding and the
 * others still run.  Returns 0, or HC_ERROR when checking cannot go on.
 */
int hc_engine_check(struct hc_findings *out, struct hc_ctx *ctx,
		    const struct hc_strlist *only);

/**
 * Check the rules, remediate those that fail in the in-memory trees,
 * and record each rule's change to each file in PLAN; files are
 * rendered after each rule that changed them.  Nothing is written.
 * Each remediated rule is checked again and must then pass.
 *
 * Each finding says how it is fixed (hc_finding::fix): a FAIL of a rule
 * planned fine HC_FIX_APPLY, of a report-only rule HC_FIX_MANUAL with
 * its manual text.  A rule whose remediation cannot be planned on this
 * host (its remediation, or the check of what it would write, returns
 * HC_EUNSAFE, HC_EINVALID or HC_ENOTFOUND) is refused: its edits to the
 * context are undone (every file as the rules before it left it), it
 * has no step in PLAN, and its finding is HC_FIX_CANNOT with the
 * reason and the way out in fix_note; the other rules go on.
 *
 * @return 0; the first ERROR's code (HC_EPARSE for a file that does not
 * parse; HC_ERROR for want of memory), with the last error set, in
 * which case PLAN must be dropped.
 */
int hc_engine_plan(struct hc_plan *plan, struct hc_findings *out,
		   struct hc_ctx *ctx, const struct hc_strlist *only);

/**
 * What check runs: hc_engine_check(), every rule on the files as they
 * were read; then, for each FAIL, whether apply fixes it, judged on the
 * trees: the rules' remediations run there in the profile's order, each
 * on what the ones before it left, and one is refused as
 * hc_engine_plan() refuses it (HC_FIX_CANNOT with the reason) when it
 * fails, touches a file hardctl may not edit (hc_file::may_edit) or one
 * apply could not install (hc_install_preflight_file()); every file then
 * goes back as read (the fixes before it too) for the ones after it.
 * The engine renders nothing: what hc_engine_plan() and
 * hc_engine_validate() judge on the bytes a plan would write (they parse
 * again, the rule then passes, the validators accept them) is left to
 * dry-run and apply, which refuse a fix that fails it.  Leaves CTX's
 * trees edited.
 */
int hc_engine_check_fix(struct hc_findings *out, struct hc_ctx *ctx,
			const struct hc_strlist *only);

/**
 * The validation every change runs before anything is installed: the
 * validator of every file PLAN changes whose module set one
 * (hc_file::validate) on the bytes the plan would write, each with an
 * empty scratch directory removed afterwards, and the lockout judgment
 * on the plan's end state (hardctl/access.h), into ACCESS, which the
 * caller releases.  The judgment runs while the validators that run a
 * program (hc_file::validate_start) wait for it, but their verdicts
 * come first: when one fails, ACCESS is left empty.
 * @return 0; the first failure's code: HC_EUNSAFE for a refusal, with
 * ACCESS's verdict HC_ACCESS_REFUSED when the judgment refused.
 */
int hc_engine_validate(struct hc_ctx *ctx, const struct hc_plan *plan,
		       struct hc_access *access);

#endif
