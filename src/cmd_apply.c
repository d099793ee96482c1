/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * hardctl apply and diff: plan the remediation of what fails, show it
 * as unified diffs, and (apply) install it.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include "hardctl/access.h"
#include "hardctl/diff.h"
#include "hardctl/engine.h"
#include "hardctl/hash.h"
#include "hardctl/install.h"
#include "hardctl/json.h"
#include "hardctl/plan.h"
#include "hardctl/profile.h"
#include "hardctl/reload.h"
#include "hardctl/report.h"
#include "hardctl/run.h"
#include "hardctl/store.h"
#include "hardctl/txn.h"
#include "cmd.h"

static const char apply_usage[] =
    "usage: hardctl apply [-p PROFILE] [--tailoring FILE] [--rule ID]...\n"
    "                     [--severity CAT-I|CAT-II|CAT-III]... [--dry-run | "
    "--reload]\n"
    "                     [--confirm-within DURATION] [--format text|json]\n"
    "                     [--quiet]\n"
    "Remediates the profile's failing rules as one transaction in the\n"
    "oldconf store, which \"hardctl rollback\" undoes, then lists the\n"
    "services that must re-read their changed files.  Waived rules are\n"
    "never touched.  With --dry-run, changes nothing and prints what it\n"
    "would change as unified diffs.  With --reload (only with --root /,\n"
    "the live system), reloads them.  With --confirm-within DURATION (90s,\n"
    "5m, 1h), the transaction is rolled back by itself once DURATION has\n"
    "passed, unless \"hardctl confirm\" came first: a detached watchdog does\n"
    "it, which survives the session that started it.  Before anything is\n"
    "written, the lockout check asks whether an administrator could still\n"
    "log in over ssh and become root after the whole plan; a plan that takes\n"
    "the last way in away is refused (exit 5), a dry run printing its diffs\n"
    "first, then why (README: No lockout).  With --quiet, prints only the\n"
    "paths of the files changed (or, with --dry-run, that would change).\n";

static const char diff_usage[] =
    "usage: hardctl diff [-p PROFILE] [--tailoring FILE] [--rule ID]...\n"
    "                    [--severity CAT-I|CAT-II|CAT-III]... [--format "
    "text|json]\n"
    "                    [--quiet]\n"
    "Prints what apply would change, as unified diffs; changes nothing.\n"
    "Exits 5 after them when the lockout check would refuse apply.  On a\n"
    "terminal they are coloured and paged; --quiet prints only the paths.\n";

struct apply_opts {
	bool dry_run;
	bool reload;
	unsigned int confirm_within; /* seconds; 0: no confirmation asked */
};

static int parse(struct apply_opts *o, int argc, char **argv,
		 struct cmd_env *env, const char *usage, bool is_apply)
{
	static const struct option longopts[] = {
	    CMD_SELECT_LONGOPTS,
	    CMD_QUIET_LONGOPT,
	    {"dry-run", no_argument, NULL, 'n'},
	    {"reload", no_argument, NULL, 'L'},
	    {"confirm-within", required_argument, NULL, 'C'},
	    CMD_COMMON_LONGOPTS,
	    {NULL, 0, NULL, 0},
	};
	int opt, status;

	while ((opt = getopt_long(argc, argv, "p:h", longopts, NULL)) != -1) {
		if (opt == 'n' && is_apply)
			o->dry_run = true;
		else if (opt == 'L' && is_apply)
			o->reload = true;
		else if (opt == 'C' && is_apply &&
			 cmd_parse_duration(&o->confirm_within, optarg) < 0)
			return cmd_usage_error(usage, "%s",
					       hc_error_last()->message);
		else if (opt == 'C' && is_apply)
			continue;
		else if ((status = cmd_common_opt(env, opt, optarg, usage)) !=
			 0)
			return status;
	}
	if (optind < argc)
		return cmd_usage_error(usage, "unexpected argument '%s'",
				       argv[optind]);
	if (o->reload && o->dry_run)
		return cmd_usage_error(
		    usage, "--reload and --dry-run exclude each other");
	if (o->confirm_within && o->dry_run)
		return cmd_usage_error(
		    usage, "--confirm-within and --dry-run exclude each other");
	return EXIT_OK;
}

/* Whether ROOT is the running system, whose services --reload may touch. */
static bool live(const char *root)
{
	char *real = realpath(root, NULL);
	bool yes = real && strcmp(real, "/") == 0;

	free(real);
	return yes;
}

/* What must re-read the files PLAN changed, as the store records them. */
static int reloads(struct hc_reload **out, size_t *n, struct cmd_env *env,
		   const struct hc_plan *plan)
{
	const char **paths =
	    calloc(plan->nfiles ? plan->nfiles : 1, sizeof(*paths));
	int error;

	if (paths == NULL)
		return hc_error_oom();
	for (size_t i = 0; i < plan->nfiles; i++)
		paths[i] = plan->files[i].path;
	error = hc_reload_list(out, n, env->root, paths, plan->nfiles);
	free(paths);
	return error;
}

static int reload_text(struct hc_buf *out, const struct hc_reload *r, size_t n,
		       bool reloading)
{
	int error =
	    n ? hc_buf_printf(
		    out, "to take effect%s:\n",
		    reloading ? "" : " (apply --reload does this on --root /)")
	      : 0;

	for (size_t i = 0; i < n && error == 0; i++) {
		error = hc_buf_printf(out, "  %-17s ", r[i].what);
		for (size_t a = 0; error == 0 && r[i].argv[a]; a++)
			error = hc_buf_printf(out, "%s%s", a ? " " : "",
					      r[i].argv[a]);
		if (error == 0 && !r[i].argv[0])
			error = hc_buf_puts(out, r[i].note);
		if (error == 0)
			error = hc_buf_puts(out, "\n");
	}
	return error;
}

/* Run each command; a failure is said on stderr.  *failed counts them. */
static int reload_run(size_t *failed, const struct hc_reload *r, size_t n)
{
	struct hc_buf output = HC_BUF_INIT;
	char why[64];
	int error = 0, status;

	*failed = 0;
	for (size_t i = 0; i < n && error == 0; i++) {
		if (!r[i].argv[0])
			continue;
		hc_buf_clear(&output);
		if ((error = hc_run(&output, &status, r[i].argv)) < 0)
			break;
		if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
			fprintf(stderr, "hardctl: reloaded %s\n", r[i].what);
			continue;
		}
		(*failed)++;
		fprintf(stderr, "hardctl: %s: %s failed (%s): %s\n", r[i].what,
			r[i].argv[0], hc_run_status(status, why, sizeof(why)),
			hc_buf_cstr(&output));
	}
	hc_buf_release(&output);
	return error;
}

static void reload_json(struct hc_json *json, const struct hc_reload *r,
			size_t n)
{
	hc_json_key(json, "reload");
	hc_json_open(json, '[');
	for (size_t i = 0; i < n; i++) {
		hc_json_open(json, '{');
		hc_json_kv(json, "what", r[i].what);
		hc_json_key(json, "command");
		if (r[i].argv[0]) {
			hc_json_open(json, '[');
			for (size_t a = 0; r[i].argv[a]; a++)
				hc_json_str(json, r[i].argv[a]);
			hc_json_close(json, '[');
		} else {
			hc_json_null(json);
		}
		hc_json_kv(json, "note", r[i].note);
		hc_json_close(json, '{');
	}
	hc_json_close(json, '[');
}

/* The ACL entries the plan drops, file by file (hc_install_acls()). */
struct acl_drops {
	struct hc_install_acl_drop *v;
	size_t n;
};

/* One line per file whose ACL loses entries: "PREFIX/etc/x: user:65534:r--
 * ...". */
static int acl_text(struct hc_buf *out, const struct acl_drops *d,
		    const char *prefix, const char *suffix)
{
	int error = 0;

	for (size_t i = 0; i < d->n && error == 0; i++) {
		if ((error = hc_buf_printf(out, "%s%s: ", prefix,
					   d->v[i].path)) == 0 &&
		    (error = hc_acl_format(out, &d->v[i].dropped)) == 0)
			error = hc_buf_printf(
			    out, " (its mode %04o does not grant %s)%s\n",
			    (unsigned int)d->v[i].mode,
			    d->v[i].dropped.n == 1 ? "it" : "them", suffix);
	}
	return error;
}

static int acl_json(struct hc_json *json, const struct acl_drops *d)
{
	struct hc_buf text = HC_BUF_INIT;
	char mode[8];
	int error = 0;

	hc_json_key(json, "acl_dropped");
	hc_json_open(json, '[');
	for (size_t i = 0; i < d->n && error == 0; i++) {
		hc_json_open(json, '{');
		hc_json_kv(json, "path", d->v[i].path);
		snprintf(mode, sizeof(mode), "%04o",
			 (unsigned int)d->v[i].mode);
		hc_json_kv(json, "mode", mode);
		hc_json_key(json, "entries");
		hc_json_open(json, '[');
		for (unsigned int e = 0; e < d->v[i].dropped.n && error == 0;
		     e++) {
			struct hc_acl one = {.n = 1,
					     .e = {d->v[i].dropped.e[e]}};

			hc_buf_clear(&text);
			if ((error = hc_acl_format(&text, &one)) == 0)
				hc_json_str(json, text.ptr);
		}
		hc_json_close(json, '[');
		hc_json_close(json, '{');
	}
	hc_json_close(json, '[');
	hc_buf_release(&text);
	return error;
}

static int plan_json(struct hc_buf *out, struct cmd_env *env,
		     const char *command, const struct hc_plan *plan,
		     const struct hc_findings *findings, bool dry_run,
		     unsigned int txn, const struct hc_reload *r, size_t nr,
		     const struct hc_access *access,
		     const struct acl_drops *acls)
{
	struct hc_json json;
	int error;

	hc_json_init(&json, out);
	hc_json_open(&json, '{');
	hc_json_key(&json, "schema");
	hc_json_int(&json, 1);
	hc_json_kv(&json, "command", command);
	hc_json_kv(&json, "root", env->root_path);
	hc_report_profile_json(&json, env->profile);
	hc_json_key(&json, "changed");
	hc_json_bool(&json, !hc_plan_empty(plan));
	hc_json_key(&json, "dry_run");
	hc_json_bool(&json, dry_run);
	hc_json_key(&json, "transaction");
	if (txn)
		hc_json_int(&json, txn);
	else
		hc_json_null(&json);
	if ((error = hc_report_plan_json(&json, plan)) < 0 ||
	    (error = acl_json(&json, acls)) < 0)
		return error;
	reload_json(&json, r, nr);
	hc_access_json(&json, access);
	hc_json_key(&json, "findings");
	hc_json_open(&json, '{');
	hc_report_findings_json(&json, findings);
	hc_json_close(&json, '{');
	hc_json_close(&json, '{');
	return hc_json_finish(&json);
}

/* The rules that changed something, one per line, with their files. */
static int applied_text(struct hc_buf *out, const struct hc_plan *plan,
			unsigned int txn)
{
	int error =
	    hc_buf_printf(out, "transaction %u: %zu file%s changed\n", txn,
			  plan->nfiles, plan->nfiles == 1 ? "" : "s");

	for (size_t i = 0; i < plan->nsteps && error == 0; i++)
		if ((error = hc_buf_printf(out, "  %-36s ",
					   plan->steps[i].rule->id)) == 0 &&
		    (error = hc_buf_puts_escaped(
			 out, plan->files[plan->steps[i].file].path)) == 0)
			error = hc_buf_puts(out, "\n");
	if (error == 0)
		error =
		    hc_buf_printf(out, "undo with: hardctl rollback %u\n", txn);
	return error;
}

/* One line per rule that would change something, on stderr. */
static void plan_summary(const struct hc_plan *plan,
			 const struct acl_drops *acls)
{
	const struct hc_rule *last = NULL;
	struct hc_buf text = HC_BUF_INIT;

	/* The diff goes first, whichever streams are a terminal. */
	fflush(stdout);
	if (hc_plan_empty(plan)) {
		fprintf(stderr, "hardctl: nothing to change\n");
		return;
	}
	for (size_t i = 0; i < plan->nsteps; i++) {
		if (plan->steps[i].rule == last)
			continue;
		last = plan->steps[i].rule;
		fprintf(stderr, "hardctl: would remediate %s\n", last->id);
	}
	fprintf(stderr, "hardctl: %zu file%s would change\n", plan->nfiles,
		plan->nfiles == 1 ? "" : "s");
	if (acl_text(&text, acls, "hardctl: would drop from the ACL of ", "") ==
	    0)
		fputs(hc_buf_cstr(&text), stderr);
	hc_buf_release(&text);
}

/*
 * The lockout judgment's verdict on stderr: after a dry run's diffs, or
 * ahead of apply's refusal.
 */
static void access_note(struct cmd_env *env, const struct hc_access *access)
{
	struct hc_buf text = HC_BUF_INIT;

	fflush(stdout);
	if (env->format == HC_FORMAT_TEXT &&
	    hc_access_text(&text, access) == 0 && text.size)
		fprintf(stderr, "%s", text.ptr);
	hc_buf_release(&text);
}

/* Failing rules apply leaves alone: they report, the fix is the
 * administrator's. */
static void report_only_note(const struct hc_findings *findings)
{
	for (size_t i = 0; i < findings->n; i++)
		if (findings->v[i].status == HC_STATUS_FAIL &&
		    findings->v[i].rule->remediate == NULL)
			fprintf(stderr,
				"hardctl: %s fails and is report-only: fix it "
				"by hand "
				"(hardctl check shows why)\n",
				findings->v[i].rule->id);
}

/*
 * Validate, preflight and (unless a dry run) install PLAN through the
 * transaction layer.  A dry run the lockout judgment refuses goes on
 * (*refused): it shows its diffs, then the verdict, and exits as apply
 * would.  The modules' validators come first: they say why in the
 * file's own terms.
 */
static int transact(unsigned int *txn, bool *changing, bool *refused,
		    struct cmd_env *env, const struct apply_opts *o,
		    struct hc_store *store, const struct hc_plan *plan,
		    struct hc_access *access)
{
	char sha[HC_SHA256_HEXLEN + 1];
	struct hc_buf profile = HC_BUF_INIT;
	struct hc_txn_meta meta = {0};
	struct hc_txn_request req = {0};
	int error;

	hc_sha256_hex(sha, &env->profile->sha);
	if ((error = hc_profile_label(&profile, env->profile)) < 0)
		return error;
	meta.command = "apply";
	meta.profile = profile.ptr;
	meta.profile_sha = sha;
	req.root = env->root;
	req.plan = plan;
	req.guard = HC_TXN_GUARDED;
	req.after = &env->ctx;
	req.dry_run = o->dry_run;
	req.store = store;
	req.meta = &meta;
	error = hc_txn_run(txn, changing, access, &req);
	*refused = error == HC_EUNSAFE && access->verdict == HC_ACCESS_REFUSED;
	if (error < 0 && *refused && !o->dry_run)
		access_note(env, access);
	hc_buf_release(&profile);
	return *refused && o->dry_run ? 0 : error;
}

/* --quiet: the files PLAN changes (or would), one per line, as ROOT sees them.
 */
static int paths_text(struct hc_buf *out, const struct hc_plan *plan)
{
	int error = 0;

	for (size_t i = 0; i < plan->nfiles && error == 0; i++)
		if ((error = hc_buf_puts_escaped(out, plan->files[i].path)) ==
		    0)
			error = hc_buf_puts(out, "\n");
	return error;
}

/* What apply says: the diffs of a dry run, or what it changed and what must
 * reload. */
static int text_report(struct hc_buf *out, bool quiet,
		       const struct apply_opts *o, const struct hc_plan *plan,
		       unsigned int txn, const struct hc_reload *r, size_t nr,
		       const struct hc_access *access,
		       const struct acl_drops *acls)
{
	int error;

	if (quiet)
		return o->dry_run || txn ? paths_text(out, plan) : 0;
	if (o->dry_run)
		return hc_diff_plan(out, plan);
	if (txn == 0)
		return hc_buf_puts(out, "nothing to change\n");
	if ((error = applied_text(out, plan, txn)) < 0 ||
	    (error = acl_text(out, acls, "dropped from the ACL of ",
			      "; the rollback restores them")) < 0 ||
	    (error = hc_access_text(out, access)) < 0 ||
	    (error = reload_text(out, r, nr, o->reload)) < 0 ||
	    o->confirm_within == 0)
		return error;
	return hc_buf_printf(
	    out,
	    "confirm with 'hardctl confirm' within %u s, or transaction "
	    "%u is rolled back by itself\n",
	    o->confirm_within, txn);
}

/* Print what apply or its dry run says, in the format asked. */
static int report(struct hc_buf *out, struct cmd_env *env,
		  const struct apply_opts *o, const char *command,
		  const struct hc_plan *plan,
		  const struct hc_findings *findings, unsigned int txn,
		  const struct hc_reload *r, size_t nr,
		  const struct hc_access *access, const struct acl_drops *acls)
{
	int error;

	if (env->format == HC_FORMAT_JSON)
		error = plan_json(out, env, command, plan, findings, o->dry_run,
				  txn, r, nr, access, acls);
	else
		error = text_report(out, env->quiet, o, plan, txn, r, nr,
				    access, acls);
	if (error < 0)
		return error;
	if (o->dry_run && !env->quiet) {
		/* Diffs are paged and coloured as git's are. */
		if (out->size)
			cmd_pager_start(env);
		error = cmd_write_diff(env, out);
	} else {
		error = cmd_write(env, out);
	}
	if (error < 0 || env->format != HC_FORMAT_TEXT)
		return error;
	/* The verdict comes after the pager, not under its screen. */
	cmd_pager_finish();
	/* --quiet: a refusal is still said, on stderr. */
	if (o->dry_run && !env->quiet)
		plan_summary(plan, acls);
	if (o->dry_run && (!env->quiet || access->verdict == HC_ACCESS_REFUSED))
		access_note(env, access);
	if (!env->quiet)
		report_only_note(findings);
	return 0;
}

static int run(struct cmd_env *env, struct apply_opts *o, const char *command)
{
	struct hc_reload *r = NULL;
	size_t nr = 0, failed = 0;
	struct hc_findings findings = {0};
	struct hc_buf out = HC_BUF_INIT;
	struct hc_store *store = NULL;
	unsigned int txn = 0;
	struct hc_access access = {0};
	struct acl_drops acls = {0};
	struct hc_plan plan;
	bool changing = false, refused = false;
	int error;

	hc_plan_init(&plan);
	if (o->reload && !live(env->root_path))
		return cmd_usage_error(
		    apply_usage,
		    "--reload touches the running system's "
		    "services: only with --root / (ROOT is %s)",
		    env->root_path);
	/* The lock is taken before anything is read, so nothing moves under us.
	 */
	if ((error = cmd_open(env, true)) < 0 ||
	    (!o->dry_run &&
	     (error = cmd_confirm_store_open(&store, env)) < 0) ||
	    (error = hc_engine_plan(&plan, &findings, &env->ctx, &env->only)) <
		0)
		goto out;
	hc_plan_sort_files(&plan);
	if ((error = hc_install_acls(&acls.v, &acls.n, env->root, &plan)) < 0 ||
	    (error = transact(&txn, &changing, &refused, env, o, store, &plan,
			      &access)) < 0 ||
	    (txn && o->confirm_within &&
	     (error = cmd_confirm_arm(env, store, txn, o->confirm_within)) < 0))
		goto out;
	if ((error = reloads(&r, &nr, env, &plan)) < 0)
		goto out;
	if ((error = report(&out, env, o, command, &plan, &findings, txn, r, nr,
			    &access, &acls)) == 0 &&
	    refused)
		error = hc_access_refusal(&access);
	if (error == 0 && o->reload && txn &&
	    (error = reload_run(&failed, r, nr)) == 0 && failed) {
		hc_error_set(
		    "%zu of the reloads failed; the transaction stands "
		    "(hardctl rollback %u undoes it)",
		    failed, txn);
		error = HC_ERROR;
	}
out:
	hc_access_release(&access);
	free(acls.v);
	free(r);
	hc_store_free(store);
	hc_buf_release(&out);
	hc_plan_release(&plan);
	hc_findings_release(&findings);
	return error < 0 ? cmd_fail(error, changing) : EXIT_OK;
}

int cmd_apply(int argc, char **argv, struct cmd_env *env)
{
	struct apply_opts o = {.dry_run = false};
	int status = parse(&o, argc, argv, env, apply_usage, true);

	return status == EXIT_OK ? run(env, &o, "apply") : status;
}

int cmd_diff(int argc, char **argv, struct cmd_env *env)
{
	struct apply_opts o = {.dry_run = true};
	int status = parse(&o, argc, argv, env, diff_usage, false);

	return status == EXIT_OK ? run(env, &o, "diff") : status;
}
