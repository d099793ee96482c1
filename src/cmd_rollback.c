/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * hardctl rollback: undo a transaction, as a transaction of its own.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "hardctl/confirm.h"
#include "hardctl/diff.h"
#include "hardctl/access.h"
#include "hardctl/audit.h"
#include "hardctl/aug.h"
#include "hardctl/install.h"
#include "hardctl/json.h"
#include "hardctl/plan.h"
#include "hardctl/report.h"
#include "hardctl/rollback.h"
#include "hardctl/root.h"
#include "hardctl/store.h"
#include "hardctl/txn.h"
#include "cmd.h"

static const char usage[] =
    "usage: hardctl rollback [TXN] [--rule ID [-p PROFILE] [--tailoring "
    "FILE]]\n"
    "                        [--dry-run] [--force] [--if-unconfirmed]\n"
    "                        [--format text|json]\n"
    "Puts the files transaction TXN (default: the last) changed back as they\n"
    "were before it, keeping edits made since where they do not touch its\n"
    "changes.  A conflicting edit changes nothing and exits 4, unless\n"
    "--force, which records the file as it is and writes it as it was\n"
    "before TXN.  With --rule, undoes only that rule's part of TXN (default:\n"
    "the last transaction that applied it), entry by entry, keeping its\n"
    "other rules and every later edit; an entry the rule wrote that changed\n"
    "since is a conflict (--force does not apply).  No profile is needed:\n"
    "the store knows how each file is read (-p and --tailoring, as apply\n"
    "takes them, serve transactions recorded before it did).  With\n"
    "--dry-run, prints the diffs, and on a conflict the conflicting hunks\n"
    "too, and changes nothing.  --if-unconfirmed (the watchdog of apply\n"
    "--confirm-within uses it): only if TXN still awaits confirmation.\n";

struct rollback_opts {
	bool dry_run;
	bool force;
	bool if_unconfirmed; /* the watchdog of apply --confirm-within */
	const char *txn;
	const char *rule;
};

static int parse(struct rollback_opts *o, int argc, char **argv,
		 struct cmd_env *env)
{
	static const struct option longopts[] = {
	    {"dry-run", no_argument, NULL, 'n'},
	    {"force", no_argument, NULL, 'f'},
	    {"if-unconfirmed", no_argument, NULL, 'U'},
	    {"rule", required_argument, NULL, 'R'},
	    CMD_PROFILE_LONGOPTS,
	    CMD_COMMON_LONGOPTS,
	    {NULL, 0, NULL, 0},
	};
	int opt;

	while ((opt = cmd_getopt(argc, argv, "p:h", longopts)) != -1) {
		if (opt == 'n')
			o->dry_run = true;
		else if (opt == 'f')
			o->force = true;
		else if (opt == 'U')
			o->if_unconfirmed = true;
		else if (opt == 'R' && o->rule == NULL)
			o->rule = optarg;
		else if (opt == 'R')
			return cmd_usage_error(usage, "--rule takes one rule");
		else if (cmd_common_opt(env, opt, optarg, usage) != 0)
			return EXIT_USAGE;
	}
	if (optind + 1 < argc)
		return cmd_usage_error(usage, "unexpected argument '%s'",
				       argv[optind + 1]);
	/* --tailoring none: a broken site tailoring stays out of the guards. */
	if ((env->profile_name || (env->tailoring_path &&
				   strcmp(env->tailoring_path, "none") != 0)) &&
	    o->rule == NULL)
		return cmd_usage_error(usage, "%s goes with --rule",
				       env->profile_name ? "-p"
							 : "--tailoring");
	if (o->force && o->rule)
		return cmd_usage_error(
		    usage, "--force cannot resolve a conflict of one rule: "
			   "roll the whole transaction back, or edit the file");
	o->txn = optind < argc ? argv[optind] : NULL;
	if (o->if_unconfirmed && (o->txn == NULL || o->rule || o->dry_run))
		return cmd_usage_error(
		    usage, "--if-unconfirmed takes a transaction, alone");
	return EXIT_OK;
}

/* Whether UNDONE is the transaction awaiting confirmation. */
static int confirmation(bool *awaited, time_t *deadline, struct hc_store *store,
			const struct hc_txn_info *undone)
{
	struct hc_confirm c;
	int error;

	*awaited = false;
	*deadline = 0;
	if ((error = hc_store_confirm_read(&c, hc_store_path(store))) < 0)
		return error;
	*awaited = c.txn == undone->id;
	if (*awaited)
		*deadline = c.deadline;
	return 0;
}

/*
 * Why the watchdog rolls back, into OUT: "not confirmed by
 * 2026-12-02T12:04:00Z"; OUT, or NULL when it is not the WATCHDOG.
 */
static const char *watchdog_reason(char out[64], bool watchdog, time_t deadline)
{
	struct tm tm;
	char when[32];

	if (!watchdog)
		return NULL;
	if (gmtime_r(&deadline, &tm) == NULL ||
	    strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		snprintf(when, sizeof(when), "%lld", (long long)deadline);
	snprintf(out, 64, "not confirmed by %s", when);
	return out;
}

/*
 * The syslog record of a rollback that was to change files (not a dry
 * run), and etckeeper's commit when it did.  WHY: the watchdog's
 * reason, or NULL; CONFLICT: files changed since refused it.
 */
static void audit(struct cmd_env *env, const struct hc_txn_info *undone,
		  const char *rule, const struct hc_plan *plan,
		  unsigned int txn, int error, bool conflict, const char *why)
{
	struct hc_audit_event ev = {.action = "rollback"};
	struct cmd_audit_lists l = {0};
	struct hc_buf msg = HC_BUF_INIT;

	if (cmd_audit_plan(&l, plan, rule) < 0)
		hc_error_clear();
	ev.txn = txn;
	ev.undoes = undone->id;
	ev.undoes_rule = rule;
	ev.by = why ? "watchdog" : NULL;
	ev.detail = why;
	ev.profile = undone->profile;
	ev.profile_sha = undone->profile_sha;
	ev.rules = l.rules;
	ev.nrules = l.nrules;
	if (rule == NULL) {
		ev.rules = (const char *const *)undone->rules.v;
		ev.nrules = undone->rules.n;
	}
	ev.files = l.files;
	ev.nfiles = l.nfiles;
	if (txn) {
		ev.outcome = HC_AUDIT_DONE;
		ev.outcome_text = "rolled back";
	} else if (conflict || error == HC_EUNSAFE || error == HC_ECONFLICT) {
		ev.outcome = HC_AUDIT_REFUSED;
		ev.outcome_text =
		    conflict ? "refused: files changed since" : "refused";
	} else if (error == 0) {
		ev.outcome = HC_AUDIT_NOTHING;
		ev.outcome_text = "nothing to roll back";
	} else {
		ev.outcome = HC_AUDIT_FAILED;
		ev.outcome_text = "failed";
	}
	cmd_audit(env, &ev);
	if (txn &&
	    (rule
		 ? hc_buf_printf(&msg,
				 "hardctl: transaction %u (rollback "
				 "of %s in %u) profile %s",
				 txn, rule, undone->id,
				 undone->profile ? undone->profile : "-")
		 : hc_buf_printf(&msg,
				 "hardctl: transaction %u (rollback "
				 "of %u%s) profile %s",
				 txn, undone->id, why ? " by the watchdog" : "",
				 undone->profile ? undone->profile : "-")) == 0)
		cmd_etckeeper(env, msg.ptr);
	hc_buf_release(&msg);
	cmd_audit_lists_release(&l);
}

/* Whether transaction T has a commit of RULE. */
static bool applied(const struct hc_txn_info *t, const char *rule)
{
	for (size_t i = 0; i < t->rules.n; i++)
		if (strcmp(t->rules.v[i], rule) == 0)
			return true;
	return false;
}

/*
 * The transaction to undo: the one named; else the last, or with RULE,
 * the last that applied RULE.
 */
static int pick(struct hc_txn_info *out, struct hc_store *store,
		const char *arg, const char *rule)
{
	unsigned int *ids = NULL, id = 0;
	size_t n = 0;
	int error;

	if (arg)
		return (error = cmd_parse_txn(&id, arg)) < 0
			   ? error
			   : hc_store_txn_get(out, store, id);
	if (!rule) {
		if ((error = hc_store_txn_last(&id, store)) < 0)
			return error;
		if (id)
			return hc_store_txn_get(out, store, id);
		hc_error_set("no transaction to roll back");
		return hc_error_set_code(HC_ENOTFOUND);
	}
	/* Newest first, reading no more than the one picked. */
	if ((error = hc_store_txn_ids(&ids, &n, store)) < 0)
		return error;
	for (size_t i = 0; i < n; i++) {
		if ((error = hc_store_txn_get(out, store, ids[i])) < 0)
			break;
		if (applied(out, rule))
			goto out;
		hc_txn_info_release(out);
	}
	if (error == 0) {
		hc_error_set("no transaction applied rule %s", rule);
		error = hc_error_set_code(HC_ENOTFOUND);
	}
out:
	free(ids);
	return error;
}

static int report_json(struct hc_buf *out, const struct hc_txn_info *undone,
		       const struct hc_plan *plan, bool dry_run,
		       unsigned int txn, const struct hc_strlist *conflicts)
{
	struct hc_json json;
	int error;

	hc_json_init(&json, out);
	hc_json_open_document(&json);
	hc_json_key(&json, "schema");
	hc_json_int(&json, 1);
	hc_json_kv(&json, "command", "rollback");
	hc_json_key(&json, "undoes");
	hc_json_int(&json, undone->id);
	hc_json_key(&json, "changed");
	hc_json_bool(&json, !hc_plan_empty(plan) && conflicts->n == 0);
	hc_json_key(&json, "dry_run");
	hc_json_bool(&json, dry_run);
	hc_json_key(&json, "transaction");
	if (txn)
		hc_json_int(&json, txn);
	else
		hc_json_null(&json);
	hc_json_key(&json, "conflicts");
	hc_json_open(&json, '[');
	for (size_t i = 0; i < conflicts->n; i++)
		hc_json_str(&json, conflicts->v[i]);
	hc_json_close(&json, '[');
	if ((error = hc_report_plan_json(&json, plan)) < 0)
		return error;
	hc_json_close(&json, '{');
	return hc_json_finish(&json);
}

/*
 * The ACLs the files have now go into the store's record of them; the
 * ACLs put back are the recorded ones (hc_install_acls()).
 */
static int settle_acls(struct hc_root *root, struct hc_plan *plan)
{
	struct hc_install_acl_drop *drops = NULL;
	size_t n = 0;
	int error = hc_install_acls(&drops, &n, root, plan);

	free(drops);
	return error;
}

/*
 * The profile whose modules judge a rollback's result: -p, else the one
 * the undone transaction was applied with, else the default.
 */
static int open_profile(struct cmd_env *env, const struct hc_txn_info *undone)
{
	char name[256] = "";
	int error;

	if (env->profile)
		return 0;
	if (env->profile_name || undone->profile == NULL)
		return cmd_open(env, true);
	snprintf(name, sizeof(name), "%.*s", (int)strcspn(undone->profile, " "),
		 undone->profile);
	env->profile_name = name;
	error = cmd_open(env, true);
	env->profile_name = NULL;
	if (error < 0 && env->profile == NULL) {
		/* Gone since, or given by path: the default's modules judge. */
		hc_error_clear();
		hc_aug_free(env->aug);
		env->aug = NULL;
		error = cmd_open(env, true);
	}
	return error;
}

/*
 * Which guards PLAN must pass: none meant for new bytes when it only
 * puts back what the store recorded before UNDONE (a whole rollback of
 * files nobody edited since, or --force); else all of apply's, run on
 * the result, in *AFTER (opened here; the caller releases it).
 */
static int guards(struct hc_ctx *after, bool *guarded, struct hc_store *store,
		  struct cmd_env *env, const struct hc_txn_info *undone,
		  const struct hc_plan *plan, const char *rule)
{
	struct hc_plan recorded;
	int error;

	hc_plan_init(&recorded);
	*guarded = true;
	if (rule == NULL &&
	    (error = hc_rollback_changed(&recorded, store, undone, NULL)) < 0)
		goto out;
	if (rule == NULL && hc_txn_restores(plan, &recorded)) {
		*guarded = false;
		error = 0;
		goto out;
	}
	if ((error = open_profile(env, undone)) == 0)
		error = hc_txn_after_open(after, env->root, env->aug,
					  env->profile, plan);
out:
	hc_plan_release(&recorded);
	return error;
}

/*
 * Undo UNDONE with PLAN through the transaction layer: validated on its
 * result (AFTER; NULL: recorded bytes put back, preflight only), and
 * unless DRY_RUN installed as a transaction of its own.
 */
static int do_install(unsigned int *txn, bool *changing, struct hc_store *store,
		      struct cmd_env *env, const struct hc_txn_info *undone,
		      const struct hc_plan *plan, const char *rule,
		      struct hc_ctx *after, bool dry_run, const char *why)
{
	struct hc_txn_request req = {0};
	struct hc_access access = {0};
	struct hc_txn_meta meta = {0};
	struct hc_manifest base = {0};
	char undoes[16], subject[256];
	int error;

	/* Put back whole, the files are again as their base recorded them. */
	if (rule == NULL && !dry_run &&
	    (error = hc_store_manifest_at(
		 &base, store, undone->has_base ? &undone->base : NULL)) < 0)
		return error;
	snprintf(undoes, sizeof(undoes), "%u", undone->id);
	if (rule)
		snprintf(subject, sizeof(subject),
			 "rollback of %s in transaction %u", rule, undone->id);
	else
		snprintf(subject, sizeof(subject), "rollback of transaction %u",
			 undone->id);
	meta.command = "rollback";
	meta.profile = undone->profile;
	meta.profile_sha = undone->profile_sha;
	meta.undoes = undoes;
	meta.undoes_rule = rule;
	meta.restores = rule ? NULL : &base;
	meta.by = why ? "watchdog" : NULL;
	meta.by_reason = why;
	req.root = env->root;
	req.plan = plan;
	req.guard = after ? HC_TXN_GUARDED : HC_TXN_RESTORE;
	req.after = after;
	req.dry_run = dry_run;
	req.store = store;
	req.meta = &meta;
	req.subject = subject;
	error = hc_txn_run(txn, changing, &access, &req);
	hc_access_release(&access);
	hc_manifest_release(&base);
	return error;
}

static int plan_rollback(struct hc_plan *plan, struct hc_strlist *conflicts,
			 struct hc_store *store, struct cmd_env *env,
			 const struct hc_txn_info *undone,
			 const struct rollback_opts *o)
{
	int error;

	if (o->rule == NULL)
		return hc_rollback_plan(plan, conflicts, store, env->root,
					undone, o->force);
	if ((error = cmd_open(env, true)) < 0)
		return error;
	return hc_rollback_rule_plan(plan, conflicts, store, &env->ctx, undone,
				     o->rule);
}

/* Name each conflicting file on stderr, and what can be done. */
static void report_conflicts(const struct hc_strlist *conflicts,
			     const struct hc_txn_info *undone, const char *rule)
{
	struct hc_buf line = HC_BUF_INIT;

	/* Paths as ROOT sees them, as everywhere; escaped by cmd_print_line. */
	for (size_t i = 0; i < conflicts->n; i++) {
		hc_buf_clear(&line);
		if (hc_buf_printf(&line,
				  "%s: changed since transaction %u in a way "
				  "that conflicts with undoing %s",
				  conflicts->v[i], undone->id,
				  rule ? rule : "it") == 0)
			cmd_print_line(line.ptr);
	}
	hc_buf_release(&line);
	if (rule)
		fprintf(stderr, "hardctl: nothing changed; edit the file by "
				"hand, or roll the "
				"whole transaction back\n");
	else
		fprintf(stderr,
			"hardctl: nothing changed; --force writes the files as "
			"they "
			"were before transaction %u (their present state is "
			"recorded first)\n",
			undone->id);
}

/* The text report of a rollback done, dry-run or found unneeded. */
static int report_text(struct hc_buf *out, const struct rollback_opts *o,
		       const struct hc_txn_info *undone,
		       const struct hc_plan *plan, unsigned int txn)
{
	const char *s = plan->nfiles == 1 ? "" : "s";

	if (o->dry_run)
		return hc_diff_plan(out, plan);
	if (txn && o->rule)
		return hc_buf_printf(
		    out,
		    "transaction %u: rolled back %s in transaction %u "
		    "(%zu file%s)\n",
		    txn, o->rule, undone->id, plan->nfiles, s);
	if (txn)
		return hc_buf_printf(
		    out,
		    "transaction %u: rolled back transaction %u "
		    "(%zu file%s)\n",
		    txn, undone->id, plan->nfiles, s);
	return hc_buf_printf(out,
			     "nothing to roll back: the files are as they were "
			     "before transaction %u\n",
			     undone->id);
}

/* A dry run's text on a conflict: the clean files' diffs, the conflicting
 * hunks. */
static int conflict_text(struct hc_buf *out, struct cmd_env *env,
			 struct hc_store *store, const struct rollback_opts *o,
			 const struct hc_txn_info *undone,
			 const struct hc_plan *plan,
			 const struct hc_strlist *conflicts)
{
	int error = hc_diff_plan(out, plan);

	for (size_t i = 0; i < conflicts->n && error == 0; i++)
		error = hc_rollback_conflict_hunks(
		    out, store, env->root, undone, o->rule, conflicts->v[i]);
	return error;
}

/* Say what conflicts, and how to go on: exit 4, nothing changed. */
static int conflicted(struct cmd_env *env, struct hc_store *store,
		      const struct rollback_opts *o,
		      const struct hc_txn_info *undone,
		      const struct hc_plan *plan,
		      const struct hc_strlist *conflicts)
{
	struct hc_buf out = HC_BUF_INIT;
	int error = 0;

	if (env->format == HC_FORMAT_JSON)
		error =
		    report_json(&out, undone, plan, o->dry_run, 0, conflicts);
	else if (o->dry_run)
		error =
		    conflict_text(&out, env, store, o, undone, plan, conflicts);
	if (error == 0 && o->dry_run && out.size)
		cmd_pager_start(env);
	if (error == 0)
		error = cmd_write_diff(env, &out);
	hc_buf_release(&out);
	cmd_pager_finish(); /* what conflicts, said after the pager */
	report_conflicts(conflicts, undone, o->rule);
	return error < 0 ? cmd_fail(error, false) : EXIT_CONFLICT;
}

int cmd_rollback_unconfirmed(unsigned int *txn, size_t *nfiles,
			     struct cmd_env *env, struct hc_store *store,
			     unsigned int id)
{
	struct hc_strlist conflicts = HC_STRLIST_INIT;
	struct hc_txn_info undone = {0};
	struct hc_plan plan;
	struct hc_confirm c = {0};
	char why[64];
	bool changing = false, planned = false;
	int error;

	*txn = 0;
	*nfiles = 0;
	hc_plan_init(&plan);
	if ((env->root == NULL &&
	     (error = hc_root_open(&env->root, env->root_path)) < 0) ||
	    (error = hc_store_confirm_read(&c, hc_store_path(store))) < 0 ||
	    (error = hc_store_txn_get(&undone, store, id)) < 0)
		goto out;
	watchdog_reason(why, true, c.txn == id ? c.deadline : time(NULL));
	planned = true;
	if ((error = hc_rollback_plan(&plan, &conflicts, store, env->root,
				      &undone, false)) < 0)
		goto out;
	hc_plan_sort_files(&plan);
	if (conflicts.n) {
		report_conflicts(&conflicts, &undone, NULL);
		hc_error_set(
		    "transaction %u cannot be rolled back by itself: files "
		    "changed since conflict",
		    id);
		error = hc_error_set_code(HC_ECONFLICT);
		goto out;
	}
	/* The watchdog puts back recorded bytes: no guard meant for new ones.
	 */
	if ((error = settle_acls(env->root, &plan)) < 0 ||
	    (error = do_install(txn, &changing, store, env, &undone, &plan,
				NULL, NULL, false, why)) < 0)
		goto out;
	*nfiles = plan.nfiles;
	error = hc_store_confirm_clear(store);
out:
	if (planned)
		audit(env, &undone, NULL, &plan, *txn, error, conflicts.n > 0,
		      why);
	hc_plan_release(&plan);
	hc_strlist_release(&conflicts);
	hc_txn_info_release(&undone);
	return error;
}

/*
 * The watchdog's rollback (--if-unconfirmed) of a transaction that no
 * longer awaits confirmation: said, and nothing done.
 */
static bool no_longer_awaited(const struct rollback_opts *o, bool awaited,
			      unsigned int id)
{
	if (!o->if_unconfirmed || awaited)
		return false;
	printf("transaction %u no longer awaits confirmation: not rolled "
	       "back\n",
	       id);
	return true;
}

int cmd_rollback(int argc, char **argv, struct cmd_env *env)
{
	struct rollback_opts o = {0};
	struct hc_strlist conflicts = HC_STRLIST_INIT;
	struct hc_txn_info undone = {0};
	struct hc_buf out = HC_BUF_INIT;
	struct hc_store *store = NULL;
	unsigned int txn = 0;
	struct hc_plan plan;
	struct hc_ctx after;
	bool changing = false, awaited = false, guarded = false;
	bool planned = false;
	time_t deadline = 0;
	char why[64];
	const char *watchdog;
	int status, error = 0;

	if ((status = parse(&o, argc, argv, env)) != EXIT_OK)
		return status;
	hc_plan_init(&plan);
	hc_ctx_init(&after, NULL, NULL, NULL);
	if ((env->root == NULL &&
	     (error = hc_root_open(&env->root, env->root_path)) < 0) ||
	    (error = cmd_store_open(&store, env,
				    o.dry_run ? 0 : HC_STORE_LOCK)) < 0 ||
	    (error = pick(&undone, store, o.txn, o.rule)) < 0 ||
	    (error = confirmation(&awaited, &deadline, store, &undone)) < 0)
		goto out;
	/* --if-unconfirmed is how the watchdog runs: its rollback says so. */
	watchdog = watchdog_reason(why, o.if_unconfirmed, deadline);
	if (no_longer_awaited(&o, awaited, undone.id)) {
		status = EXIT_OK;
		goto done;
	}
	planned = !o.dry_run;
	if ((error =
		 plan_rollback(&plan, &conflicts, store, env, &undone, &o)) < 0)
		goto out;
	hc_plan_sort_files(&plan);
	if (conflicts.n) {
		status = conflicted(env, store, &o, &undone, &plan, &conflicts);
		goto done;
	}
	/* The watchdog puts back what it must, as cmd_rollback_unconfirmed()
	 * does. */
	if ((error = settle_acls(env->root, &plan)) < 0 ||
	    (!o.if_unconfirmed &&
	     (error = guards(&after, &guarded, store, env, &undone, &plan,
			     o.rule)) < 0) ||
	    (error =
		 do_install(&txn, &changing, store, env, &undone, &plan, o.rule,
			    guarded ? &after : NULL, o.dry_run, watchdog)) < 0)
		goto out;
	/* Undone whole, it awaits nothing any more. */
	if (awaited && !o.dry_run && o.rule == NULL &&
	    (error = hc_store_confirm_clear(store)) < 0)
		goto out;
	if (env->format == HC_FORMAT_JSON)
		error = report_json(&out, &undone, &plan, o.dry_run, txn,
				    &conflicts);
	else
		error = report_text(&out, &o, &undone, &plan, txn);
	if (error == 0 && o.dry_run && out.size)
		cmd_pager_start(env);
	if (error == 0)
		error = o.dry_run ? cmd_write_diff(env, &out)
				  : cmd_write(env, &out);
out:
	status = error < 0 ? cmd_fail(error, changing) : EXIT_OK;
done:
	/* What was to change files is a record, done, refused or failed. */
	if (planned)
		audit(env, &undone, o.rule, &plan, txn, error, conflicts.n > 0,
		      watchdog);
	hc_ctx_release(&after);
	hc_store_free(store);
	hc_buf_release(&out);
	hc_plan_release(&plan);
	hc_strlist_release(&conflicts);
	hc_txn_info_release(&undone);
	return status;
}
