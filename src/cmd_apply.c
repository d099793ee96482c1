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
#include "hardctl/audit.h"
#include "hardctl/diff.h"
#include "hardctl/engine.h"
#include "hardctl/hash.h"
#include "hardctl/install.h"
#include "hardctl/json.h"
#include "hardctl/plan.h"
#include "hardctl/profile.h"
#include "hardctl/reload.h"
#include "hardctl/report.h"
#include "hardctl/root.h"
#include "hardctl/run.h"
#include "hardctl/store.h"
#include "hardctl/txn.h"
#include "cmd.h"

static const char apply_usage[] =
    "usage: hardctl apply [-p PROFILE] [--tailoring FILE] [--rule ID]...\n"
    "                     [--severity CAT-I|CAT-II|CAT-III]... [--dry-run | "
    "--reload]\n"
    "                     [--skip-rule ID]... [--skip-severity CAT-x]...\n"
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
    "first, then why (README: No lockout).  A rule whose fix cannot be\n"
    "planned on this host (a PAM module not installed) is refused and\n"
    "named with its reason and way out; the others are applied, and apply\n"
    "exits 6 (partly applied; the transaction stands), or 5 when nothing\n"
    "could be.  --skip-rule and --skip-severity leave rules out entirely.\n"
    "With --quiet, prints only the paths of the files changed (or, with\n"
    "--dry-run, that would change).\n";

static const char diff_usage[] =
    "usage: hardctl diff [-p PROFILE] [--tailoring FILE] [--rule ID]...\n"
    "                    [--severity CAT-I|CAT-II|CAT-III]... [--format "
    "text|json]\n"
    "                    [--skip-rule ID]... [--skip-severity CAT-x]... "
    "[--quiet]\n"
    "Prints what apply would change, as unified diffs; changes nothing.\n"
    "Then, on stderr, the rules apply would refuse (why, and the way out)\n"
    "and the guards' verdict on the result.  Exits as apply would: 5 when\n"
    "a guard (sshd -t, the lockout check) would refuse it, 6 when some\n"
    "rules would be refused and the others applied.  On a terminal the\n"
    "diffs are coloured and paged; --quiet prints only the paths.\n";

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

	while ((opt = cmd_getopt(argc, argv, "p:h", longopts)) != -1) {
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

/* The rules the engine refused: their remediation cannot be planned here. */
static size_t refused_count(const struct hc_findings *findings)
{
	size_t n = 0;

	for (size_t i = 0; i < findings->n; i++)
		n += findings->v[i].fix == HC_FIX_CANNOT;
	return n;
}

/* One line per refused rule: "PREFIXID: why, or skip with ...". */
static int refused_text(struct hc_buf *out, const struct hc_findings *findings,
			const char *prefix)
{
	int error = 0;

	/* The reason may name ROOT's files: escaped here, as --color lets
	 * escape sequences through cmd_write(). */
	for (size_t i = 0; i < findings->n && error == 0; i++)
		if (findings->v[i].fix == HC_FIX_CANNOT &&
		    (error = hc_buf_printf(out, "%s%s: ", prefix,
					   findings->v[i].rule->id)) == 0 &&
		    (error = hc_buf_puts_escaped(
			 out, findings->v[i].fix_note ? findings->v[i].fix_note
						      : "")) == 0)
			error = hc_buf_puts(out, "\n");
	return error;
}

static void refused_json(struct hc_json *json,
			 const struct hc_findings *findings)
{
	hc_json_key(json, "refused");
	hc_json_open(json, '[');
	for (size_t i = 0; i < findings->n; i++) {
		if (findings->v[i].fix != HC_FIX_CANNOT)
			continue;
		hc_json_open(json, '{');
		hc_json_kv(json, "rule", findings->v[i].rule->id);
		hc_json_kv(json, "reason", findings->v[i].fix_note);
		hc_json_close(json, '{');
	}
	hc_json_close(json, '[');
}

/* The refused rules on stderr, after a dry run's diffs. */
static void refused_note(const struct hc_findings *findings)
{
	struct hc_buf line = HC_BUF_INIT;

	fflush(stdout);
	for (size_t i = 0; i < findings->n; i++) {
		if (findings->v[i].fix != HC_FIX_CANNOT)
			continue;
		hc_buf_clear(&line);
		/* As cmd_print_error() says errors: refusals name no secret. */
		if (hc_buf_printf(&line, "refused %s: %s",
				  findings->v[i].rule->id,
				  findings->v[i].fix_note) < 0)
			break;
		cmd_print_line(line.ptr);
	}
	hc_buf_release(&line);
}

/* The index in PLAN of the file NAME (its path, or as ROOT displays it). */
static size_t plan_file_named(struct cmd_env *env, const struct hc_plan *plan,
			      const char *name)
{
	for (size_t i = 0; i < plan->nfiles; i++) {
		const struct hc_file *f =
		    hc_ctx_loaded(&env->ctx, plan->files[i].path);

		if (strcmp(name, plan->files[i].path) == 0 ||
		    (f && strcmp(name, f->display) == 0))
			return i;
	}
	return plan->nfiles;
}

/* "A, B and C": the rules whose steps change a file WANTED marks. */
static int rules_on(struct hc_buf *who, const struct hc_plan *plan,
		    const bool *wanted)
{
	/* Rule ids are the rules' own strings: one pointer per rule. */
	const char **seen = calloc(plan->nsteps + 1, sizeof(const char *));
	size_t n = 0;
	int error = 0;

	if (seen == NULL)
		return hc_error_oom();
	for (size_t i = 0; i < plan->nsteps; i++) {
		bool dup = false;

		if (plan->steps[i].rule == NULL || !wanted[plan->steps[i].file])
			continue;
		for (size_t j = 0; j < n && !dup; j++)
			dup = seen[j] == plan->steps[i].rule->id;
		if (!dup)
			seen[n++] = plan->steps[i].rule->id;
	}
	for (size_t i = 0; i < n && error == 0; i++)
		error = hc_buf_printf(who, "%s%s",
				      i == 0       ? ""
				      : i + 1 == n ? " and "
						   : ", ",
				      seen[i]);
	free((void *)seen);
	return error;
}

/*
 * A guard refused: name the rules whose steps made what it judged.  A
 * validator names its file in the last error ("as A and B would leave
 * it: ..."); the lockout judgment, the files that decide each account
 * that loses its way in (ACCESS, or NULL).
 */
static int name_rules(struct cmd_env *env, const struct hc_plan *plan,
		      const struct hc_access *access)
{
	const struct hc_error *e = hc_error_last();
	struct hc_buf who = HC_BUF_INIT;
	bool *wanted = calloc(plan->nfiles + 1, sizeof(*wanted));
	size_t file;
	int error;

	if (wanted == NULL)
		return hc_error_oom();
	if (access == NULL) {
		file = plan_file_named(env, plan, e->file);
		for (size_t i = 0; i < plan->nfiles; i++)
			wanted[i] = file == plan->nfiles || i == file;
	} else {
		for (size_t i = 0; i < access->n; i++)
			if (access->accounts[i].before &&
			    !access->accounts[i].after &&
			    access->accounts[i].file)
				wanted[plan_file_named(
				    env, plan, access->accounts[i].file)] =
				    true;
	}
	if ((error = rules_on(&who, plan, wanted)) == 0 && who.size) {
		if (access == NULL) {
			hc_error_prefix("as %s would leave %s", who.ptr,
					file < plan->nfiles ? "it"
							    : "the files");
		} else {
			struct hc_error copy = *e;

			hc_error_set_at(copy.file[0] ? copy.file : NULL,
					copy.line, "%s (as %s would leave %s)",
					copy.message, who.ptr,
					"the files that decide it");
			hc_error_store_code(copy.code);
		}
	}
	free(wanted);
	hc_buf_release(&who);
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
	hc_json_open_document(&json);
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
	refused_json(&json, findings);
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
 * Every rule apply would fix was refused: nothing changes (exit 5).  The
 * error names them with their reasons (a dry run said them already).
 */
static int nothing_applied(const struct hc_findings *findings, bool dry_run)
{
	struct hc_buf why = HC_BUF_INIT;
	size_t n = refused_count(findings), said = 0;

	/* One line: "ID: why; ID: why". */
	for (size_t i = 0; i < findings->n && !dry_run; i++)
		if (findings->v[i].fix == HC_FIX_CANNOT &&
		    hc_buf_printf(&why, "%s%s: %s", said++ ? "; " : "",
				  findings->v[i].rule->id,
				  findings->v[i].fix_note) < 0) {
			hc_buf_release(&why);
			return HC_ERROR;
		}
	hc_error_set("nothing %s: %zu rule%s refused%s%s",
		     dry_run ? "to change" : "changed", n, n == 1 ? "" : "s",
		     why.size ? ": " : " (see above)", hc_buf_cstr(&why));
	hc_buf_release(&why);
	return hc_error_set_code(HC_EUNSAFE);
}

/*
 * Validate, preflight and (unless a dry run) install PLAN through the
 * transaction layer.  A dry run the lockout judgment refuses goes on
 * (*refused): it shows its diffs, then the verdict, and exits as apply
 * would.  The modules' validators come first: they say why in the
 * file's own terms.
 */
static int transact(unsigned int *txn, bool *changing, bool *refused,
		    struct hc_error *guard, struct cmd_env *env,
		    const struct apply_opts *o, struct hc_store *store,
		    const struct hc_plan *plan, struct hc_access *access)
{
	char sha[HC_SHA256_HEXLEN + 1];
	struct hc_buf profile = HC_BUF_INIT;
	struct hc_txn_meta meta = {0};
	struct hc_txn_request req = {0};
	bool guarded = false;
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
	req.guard_refused = &guarded;
	error = hc_txn_run(txn, changing, access, &req);
	*refused = error == HC_EUNSAFE && access->verdict == HC_ACCESS_REFUSED;
	if (error < 0 && *refused && !o->dry_run) {
		access_note(env, access);
		if (name_rules(env, plan, access) < 0)
			error = HC_ERROR;
	}
	hc_buf_release(&profile);
	if (error == HC_EUNSAFE && guarded && !*refused) {
		/* A validator: it names the file; say which rules made it so.
		 */
		if (name_rules(env, plan, NULL) < 0)
			return HC_ERROR;
		if (o->dry_run) {
			/* The diffs first, then the guard's verdict. */
			*guard = *hc_error_last();
			guard->code = HC_EUNSAFE;
			hc_error_clear();
			return 0;
		}
	}
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
		       const struct hc_findings *findings, unsigned int txn,
		       const struct hc_reload *r, size_t nr,
		       const struct hc_access *access,
		       const struct acl_drops *acls)
{
	int error;

	if (quiet)
		return o->dry_run || txn ? paths_text(out, plan) : 0;
	if (o->dry_run)
		return hc_diff_plan(out, plan);
	if (txn == 0)
		return (error = hc_buf_puts(out, "nothing to change\n")) < 0
			   ? error
			   : refused_text(out, findings, "refused ");
	if ((error = applied_text(out, plan, txn)) < 0 ||
	    (error = refused_text(out, findings, "refused ")) < 0 ||
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
		error = text_report(out, env->quiet, o, plan, findings, txn, r,
				    nr, access, acls);
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
	/* --quiet: a refusal is still said, on stderr (apply's, too). */
	if (o->dry_run && !env->quiet)
		plan_summary(plan, acls);
	if (o->dry_run || env->quiet)
		refused_note(findings);
	if (o->dry_run && (!env->quiet || access->verdict == HC_ACCESS_REFUSED))
		access_note(env, access);
	if (!env->quiet)
		report_only_note(findings);
	return 0;
}

/*
 * The syslog record of an apply that got the store (not a dry run), and
 * etckeeper's commit of one that changed files.  TXN: the transaction
 * made (it stands even if a later step failed); ERROR: how it ended.
 */
static void audit(struct cmd_env *env, const struct apply_opts *o,
		  const struct hc_plan *plan, unsigned int txn, int error)
{
	char sha[HC_SHA256_HEXLEN + 1];
	struct hc_buf profile = HC_BUF_INIT, msg = HC_BUF_INIT;
	struct hc_audit_event ev = {.action = "apply"};
	struct cmd_audit_lists l = {0};

	if (env->profile) {
		hc_sha256_hex(sha, &env->profile->sha);
		if (hc_profile_label(&profile, env->profile) == 0)
			ev.profile = profile.ptr;
		ev.profile_sha = sha;
	}
	if (cmd_audit_plan(&l, plan, NULL) < 0)
		hc_error_clear();
	ev.rules = l.rules;
	ev.nrules = l.nrules;
	ev.files = l.files;
	ev.nfiles = l.nfiles;
	ev.txn = txn;
	if (txn) {
		ev.outcome = HC_AUDIT_DONE;
		ev.outcome_text = "applied";
		if (error < 0)
			ev.detail = "a step after the change failed";
		else if (o->confirm_within)
			ev.detail = "awaits confirmation";
	} else if (error == 0) {
		ev.outcome = HC_AUDIT_NOTHING;
		ev.outcome_text = "nothing to change";
	} else if (error == HC_EUNSAFE || error == HC_ECONFLICT) {
		ev.outcome = HC_AUDIT_REFUSED;
		ev.outcome_text = "refused";
	} else {
		ev.outcome = HC_AUDIT_FAILED;
		ev.outcome_text = "failed";
	}
	cmd_audit(env, &ev);
	if (txn && hc_buf_printf(&msg,
				 "hardctl: transaction %u (apply) "
				 "profile %s",
				 txn, ev.profile ? ev.profile : "-") == 0)
		cmd_etckeeper(env, msg.ptr);
	cmd_audit_lists_release(&l);
	hc_buf_release(&msg);
	hc_buf_release(&profile);
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
	struct hc_error guard = {0};
	bool changing = false, refused = false;
	size_t nrefused = 0;
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
	/*
	 * Rule after rule asks ROOT the same: it answers as one snapshot,
	 * forgotten as soon as anything is written.
	 */
	if ((error = cmd_open(env, true)) == 0) {
		hc_root_remember(env->root, true);
		/* sudoers, for the lockout judgment, read beside the plan. */
		hc_access_ahead_start(&env->ctx);
	}
	if (error < 0 ||
	    (!o->dry_run &&
	     (error = cmd_confirm_store_open(&store, env)) < 0) ||
	    (error = hc_engine_plan(&plan, &findings, &env->ctx, &env->only)) <
		0)
		goto out;
	nrefused = refused_count(&findings);
	hc_plan_sort_files(&plan);
	if ((error = hc_install_acls(&acls.v, &acls.n, env->root, &plan)) < 0 ||
	    (error = transact(&txn, &changing, &refused, &guard, env, o, store,
			      &plan, &access)) < 0 ||
	    (txn && o->confirm_within &&
	     (error = cmd_confirm_arm(env, store, txn, o->confirm_within)) < 0))
		goto out;
	if ((error = reloads(&r, &nr, env, &plan)) < 0)
		goto out;
	if ((error = report(&out, env, o, command, &plan, &findings, txn, r, nr,
			    &access, &acls)) == 0 &&
	    refused && (error = hc_access_refusal(&access)) == HC_EUNSAFE &&
	    name_rules(env, &plan, &access) < 0)
		error = HC_ERROR;
	if (error == 0 && guard.code) {
		/* A dry run a guard refuses: its diffs are out; now why. */
		hc_error_restore(&guard);
		error = hc_error_set_code(HC_EUNSAFE);
	}
	if (error == 0 && o->reload && txn &&
	    (error = reload_run(&failed, r, nr)) == 0 && failed) {
		hc_error_set(
		    "%zu of the reloads failed; the transaction stands "
		    "(hardctl rollback %u undoes it)",
		    failed, txn);
		error = HC_ERROR;
	}
	if (error == 0 && nrefused && hc_plan_empty(&plan))
		error = nothing_applied(&findings, o->dry_run);
out:
	hc_access_ahead_stop();
	if (store)
		audit(env, o, &plan, txn, error);
	hc_access_release(&access);
	free(acls.v);
	free(r);
	hc_store_free(store);
	hc_buf_release(&out);
	hc_plan_release(&plan);
	hc_findings_release(&findings);
	if (error < 0)
		return cmd_fail(error, changing);
	/* Partly applied (or, a dry run, would be): the transaction stands. */
	return nrefused ? EXIT_PARTIAL : EXIT_OK;
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
