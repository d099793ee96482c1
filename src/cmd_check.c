/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * hardctl check: what is out of line.  Reads only; never starts libgit2.
 */
#include <getopt.h>
#include <string.h>
#include "hardctl/engine.h"
#include "hardctl/json.h"
#include "hardctl/profile.h"
#include "hardctl/report.h"
#include "hardctl/root.h"
#include "cmd.h"

static const char usage[] =
	"usage: hardctl check [-p PROFILE] [--rule ID]... [--format text|json]\n"
	"Checks the profile's rules against ROOT.  Exit 0 when every rule\n"
	"passes or does not apply, 1 when one fails, 2 when one cannot be\n"
	"checked (a file that does not parse, say) or on bad input.\n";

static int check_json(struct hc_buf *out, struct cmd_env *env,
		      const struct hc_findings *findings)
{
	struct hc_json json;

	hc_json_init(&json, out);
	hc_json_open(&json, '{');
	hc_json_key(&json, "schema");
	hc_json_int(&json, 1);
	hc_json_kv(&json, "command", "check");
	hc_json_kv(&json, "root", env->root_path);
	hc_report_profile_json(&json, env->profile);
	hc_report_findings_json(&json, findings);
	hc_json_close(&json, '{');
	return hc_json_finish(&json);
}

int cmd_check(int argc, char **argv, struct cmd_env *env)
{
	static const struct option longopts[] = {
		{ "profile", required_argument, NULL, 'p' },
		{ "rule", required_argument, NULL, 'R' },
		CMD_COMMON_LONGOPTS,
		{ NULL, 0, NULL, 0 },
	};
	struct hc_strlist only = HC_STRLIST_INIT;
	struct hc_findings findings = { 0 };
	struct hc_summary sum;
	struct hc_buf out = HC_BUF_INIT;
	int opt, error = 0, status;

	while ((opt = getopt_long(argc, argv, "p:h", longopts, NULL)) != -1) {
		if (opt == 'p')
			env->profile_name = optarg;
		else if (opt == 'R')
			error = hc_strlist_push(&only, optarg);
		else if (cmd_common_opt(env, opt, optarg, usage) < 0) {
			status = cmd_usage_error(usage, "bad option");
			goto out;
		}
		if (error < 0) {
			status = cmd_fail(error, false);
			goto out;
		}
	}
	if (optind < argc) {
		status = cmd_usage_error(usage, "unexpected argument '%s'", argv[optind]);
		goto out;
	}
	if ((error = cmd_open(env, true)) < 0 ||
	    (error = hc_engine_select(&env->ctx, &only)) < 0 ||
	    (error = hc_engine_check(&findings, &env->ctx, &only)) < 0) {
		status = cmd_fail(error, false);
		goto out;
	}
	if (env->format == HC_FORMAT_JSON)
		error = check_json(&out, env, &findings);
	else
		error = hc_report_check_text(&out, &findings, env->color);
	if (error < 0 || (error = cmd_write(env, &out)) < 0) {
		status = cmd_fail(error, false);
		goto out;
	}
	for (size_t i = 0; i < findings.n; i++)
		if (findings.v[i].status == HC_STATUS_ERROR)
			fprintf(stderr, "hardctl: %s\n", findings.v[i].reason);
	hc_summary_compute(&sum, &findings);
	status = sum.error ? EXIT_USAGE : sum.fail ? EXIT_FAILED : EXIT_OK;
out:
	hc_buf_release(&out);
	hc_findings_release(&findings);
	hc_strlist_release(&only);
	return status;
}
