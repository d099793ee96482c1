/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * hardctl check: what is out of line.  Reads only; never starts libgit2
 * (what hardctl applied comes from the store's state files).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "hardctl/cache.h"
#include "hardctl/drift.h"
#include "hardctl/engine.h"
#include "hardctl/json.h"
#include "hardctl/profile.h"
#include "hardctl/report.h"
#include "hardctl/report_html.h"
#include "hardctl/root.h"
#include "hardctl/trace.h"
#include "cmd.h"

#define CHECK_SCHEMA 2

static const char usage[] =
    "usage: hardctl check [-p PROFILE] [--tailoring FILE] [--rule ID]...\n"
    "                     [--severity CAT-I|CAT-II|CAT-III]... [--format "
    "text|json|junit|html]\n"
    "                     [--skip-rule ID]... [--skip-severity CAT-x]...\n"
    "                     [--quiet] [--trace-files] [--no-cache]\n"
    "Checks the profile's rules against ROOT: PASS, FAIL, N/A, WAIVED (a\n"
    "waiver in force), DRIFTED (applied by hardctl, changed since) or ERROR.\n"
    "Exit 0 when every rule passes, does not apply or is waived; 1 when\n"
    "one fails or drifted; 2 when one cannot be checked (a file that does\n"
    "not parse, say) or on bad input.  Under each FAIL it says how it is\n"
    "fixed: apply fixes this, apply cannot (why, and the way out), or\n"
    "report only (what to do by hand).  With --quiet, prints only the\n"
    "FAIL, DRIFTED and ERROR rules (nothing when all is well), for cron.\n"
    "--trace-files then lists on stderr, one a line, what the check\n"
    "depended on: each file of ROOT it read (read PATH), stat'ed\n"
    "(stat), found absent (absent), each directory it listed (list), each\n"
    "symlink (link), each lens with the file it parsed (lens LENS PATH),\n"
    "each profile or tailoring file (profile PATH, on this host) and\n"
    "the oldconf store's state file (store PATH).\n"
    "A check whose every input is unchanged since the last identical\n"
    "check is answered from a verified cache (see CACHE in hardctl(8));\n"
    "--no-cache checks in full.\n";

#define OPT_TRACE_FILES 0x100
#define OPT_NO_CACHE 0x101

/* --trace-files: the file trace, on stderr after the report. */
static int print_trace(void)
{
	struct hc_buf text = HC_BUF_INIT;
	int error = hc_trace_text(&text);

	if (error == 0 && text.size &&
	    fwrite(text.ptr, 1, text.size, stderr) != text.size)
		error = HC_ERROR;
	hc_buf_release(&text);
	return error;
}

/* ROOT's host name, from its /etc/hostname; NULL when it has none. */
static char *host_name(struct hc_root *root)
{
	struct hc_buf text = HC_BUF_INIT;
	char *name = NULL;

	if (hc_root_read(&text, NULL, root, "/etc/hostname") == 0) {
		const char *s =
		    hc_buf_cstr(&text) + strspn(hc_buf_cstr(&text), " \t\n");
		size_t len = strcspn(s, " \t\n");

		if (len)
			name = strndup(s, len);
	}
	hc_error_clear();
	hc_buf_release(&text);
	return name;
}

/* Why DRIFTED is unknown (the store cannot be read), or NULL when it is known.
 */
static const char *drift_unknown;
static char drift_note[4200];

/* "skipped: ID, ID": what --skip-rule and --skip-severity left out; "" if none.
 */
static int skipped_text(struct hc_buf *out, const struct hc_strlist *skipped)
{
	int error = 0;

	for (size_t i = 0; i < skipped->n && error == 0; i++)
		error = hc_buf_printf(out, "%s%s",
				      i ? ", " : "skipped: ", skipped->v[i]);
	return error;
}

static int check_json(struct hc_buf *out, const struct hc_report_meta *meta,
		      const struct hc_findings *findings,
		      const struct hc_strlist *skipped, bool cached)
{
	struct hc_json json;

	hc_json_init(&json, out);
	hc_json_open_document(&json);
	hc_json_key(&json, "schema");
	hc_json_int(&json, CHECK_SCHEMA);
	hc_json_kv(&json, "command", "check");
	hc_json_kv(&json, "host", meta->host);
	hc_json_kv(&json, "root", meta->root);
	hc_json_kv(&json, "time", meta->time);
	hc_json_key(&json, "cached");
	hc_json_bool(&json, cached);
	hc_report_profile_json(&json, meta->profile);
	hc_json_kv(&json, "drift", drift_unknown ? "unknown" : "known");
	if (drift_unknown)
		hc_json_kv(&json, "drift_note", drift_unknown);
	hc_json_key(&json, "skipped");
	hc_json_open(&json, '[');
	for (size_t i = 0; i < skipped->n; i++)
		hc_json_str(&json, skipped->v[i]);
	hc_json_close(&json, '[');
	hc_report_findings_json(&json, findings);
	hc_json_close(&json, '{');
	return hc_json_finish(&json);
}

/*
 * The text report, laid out for the terminal; then, but with --quiet,
 * the skipped rules and "DRIFTED unknown".
 */
static int check_text(struct hc_buf *out, struct cmd_env *env,
		      const struct hc_findings *findings)
{
	struct hc_buf line = HC_BUF_INIT;
	struct hc_text_opts opts;
	int error;

	cmd_text_opts(&opts, env);
	if ((error = hc_report_check_text(out, env->profile, findings, &opts)) <
		0 ||
	    env->quiet)
		return error;
	if ((error = skipped_text(&line, &env->skipped)) == 0 && line.size)
		error = hc_report_para(out, line.ptr, 0, 2, &opts);
	hc_buf_clear(&line);
	if (error == 0 && drift_unknown &&
	    (error = hc_buf_puts(&line, "DRIFTED unknown: ")) == 0 &&
	    (error = hc_buf_puts_escaped(&line, drift_unknown)) == 0)
		error = hc_report_para(out, line.ptr, 0, 2, &opts);
	hc_buf_release(&line);
	return error;
}

/* The report into OUT; CACHED: as a cached answer tells it (JSON says so). */
static int report(struct hc_buf *out, struct cmd_env *env,
		  const struct hc_findings *findings, bool cached)
{
	struct hc_report_meta meta = {0};
	char when[32], *host = host_name(env->root);
	time_t now = time(NULL);
	struct tm tm;
	int error;

	if (gmtime_r(&now, &tm) == NULL ||
	    strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		strcpy(when, "1970-01-01T00:00:00Z");
	meta.host = host;
	meta.root = env->root_path;
	meta.time = when;
	meta.profile = env->profile;
	meta.secrets = &env->ctx.secrets;
	if (env->format == HC_FORMAT_JSON)
		error = check_json(out, &meta, findings, &env->skipped, cached);
	else if (env->format == HC_FORMAT_JUNIT)
		error = hc_report_check_junit(out, &meta, findings);
	else if (env->format == HC_FORMAT_HTML)
		error = hc_report_check_html(
		    out,
		    &(const struct hc_html_check){
			&meta, &env->skipped, drift_unknown, &env->ctx.secrets},
		    findings);
	else
		error = check_text(out, env, findings);
	free(host);
	return error;
}

/*
 * DRIFTED refines FAIL with what the store's state file says: if it
 * cannot be read, check still reports, as FAIL, and warns; if the caller
 * may not read the store, the report says once that DRIFTED is unknown.
 */
static int drift(struct hc_findings *findings, struct cmd_env *env,
		 const char *store)
{
	const struct hc_error *e;
	struct hc_buf shown = HC_BUF_INIT;
	int error = hc_drift_mark(findings, env->root, store);

	if (error == 0)
		return 0;
	e = hc_error_last();
	if (error == HC_EUNSAFE) {
		/* Named as ROOT sees it, as every path. */
		if (cmd_shown_path(&shown, store) < 0)
			hc_buf_clear(&shown);
		snprintf(drift_note, sizeof(drift_note),
			 "the oldconf store %s is not readable by uid %u; a "
			 "rule hardctl applied "
			 "and that changed since shows as FAIL (run check as "
			 "the store's owner "
			 "to tell them apart)",
			 shown.size ? shown.ptr : store,
			 (unsigned int)geteuid());
		hc_buf_release(&shown);
		drift_unknown = drift_note;
		hc_error_clear();
		return 0;
	}
	if (hc_buf_printf(&shown,
			  "warning: %s%s%s: DRIFTED is not told from "
			  "FAIL",
			  e->file[0] ? e->file : "", e->file[0] ? ": " : "",
			  e->message) == 0)
		cmd_print_line(shown.ptr);
	hc_buf_release(&shown);
	hc_error_clear();
	return 0;
}

/*
 * Keep the answer just written (OUT, as written) for the next identical
 * check, when nothing in this run casts a doubt on it.  JSON says
 * "cached": true in the kept copy.
 */
static void keep(struct cmd_env *env, const struct hc_findings *findings,
		 const struct hc_buf *out, int status, size_t said)
{
	struct hc_buf again = HC_BUF_INIT;

	if (env->format != HC_FORMAT_JSON)
		cmd_cache_keep(env, out, status, said);
	else if (report(&again, env, findings, true) == 0 &&
		 hc_mask_json(&again, &env->ctx.secrets) == 0)
		cmd_cache_keep(env, &again, status, said);
	hc_error_clear();
	hc_buf_release(&again);
}

/* drift() on the store, unless its path leaves ROOT (then warn). */
static int store_drift(struct hc_findings *findings, struct cmd_env *env,
		       struct hc_buf *store)
{
	int error = cmd_store_path(store, env);

	if (error == HC_EUNSAFE) {
		/* Said once; DRIFTED is then not told from FAIL. */
		cmd_print_error();
		hc_error_clear();
		return 0;
	}
	return error < 0 ? error : drift(findings, env, store->ptr);
}

int cmd_check(int argc, char **argv, struct cmd_env *env)
{
	static const struct option longopts[] = {
	    CMD_SELECT_LONGOPTS,
	    CMD_QUIET_LONGOPT,
	    CMD_COMMON_LONGOPTS,
	    {"trace-files", no_argument, NULL, OPT_TRACE_FILES},
	    {"no-cache", no_argument, NULL, OPT_NO_CACHE},
	    {NULL, 0, NULL, 0},
	};
	struct hc_findings findings = {0};
	struct hc_summary sum;
	struct hc_buf out = HC_BUF_INIT, store = HC_BUF_INIT;
	bool trace_files = false, no_cache = false;
	size_t said;
	int opt, error, status;

	while ((opt = cmd_getopt(argc, argv, "p:h", longopts)) != -1)
		if (opt == OPT_TRACE_FILES)
			trace_files = true;
		else if (opt == OPT_NO_CACHE)
			no_cache = true;
		else if ((status = cmd_common_opt(env, opt, optarg, usage)) !=
			 0)
			return status;
	if (optind < argc)
		return cmd_usage_error(usage, "unexpected argument '%s'",
				       argv[optind]);
	/* Noted since main() began, for the cache and for --trace-files. */
	if (trace_files && !hc_trace_on())
		hc_trace_start();
	/* Rule after rule asks ROOT the same: it answers as one snapshot. */
	if ((error = cmd_open(env, true)) == 0)
		hc_root_remember(env->root, true);
	if (error < 0 ||
	    /* Planned too, so that each FAIL says whether apply fixes it. */
	    (error = hc_engine_check_fix(&findings, &env->ctx, &env->only)) <
		0 ||
	    (error = store_drift(&findings, env, &store)) < 0 ||
	    (error = report(&out, env, &findings, false)) < 0 ||
	    (error = cmd_write(env, &out)) < 0) {
		status = cmd_fail(error, false);
		goto out;
	}
	/* Said with the report, kept with it: anything said later is not. */
	said = hc_cache_said()->size;
	for (size_t i = 0; i < findings.n; i++)
		if (findings.v[i].status == HC_STATUS_ERROR)
			cmd_print_line(findings.v[i].reason);
	hc_summary_compute(&sum, &findings);
	if (sum.count[HC_STATUS_ERROR])
		status = EXIT_USAGE;
	else if (sum.count[HC_STATUS_FAIL] || sum.count[HC_STATUS_DRIFTED])
		status = EXIT_FAILED;
	else
		status = EXIT_OK;
	if (!no_cache && !trace_files)
		keep(env, &findings, &out, status, said);
	if (trace_files && (error = print_trace()) < 0)
		status = cmd_fail(error, false);
out:
	hc_trace_stop();
	hc_buf_release(&out);
	hc_buf_release(&store);
	hc_findings_release(&findings);
	return status;
}
