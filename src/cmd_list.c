/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * hardctl list: the rules a profile selects.
 */
#include <getopt.h>
#include <string.h>
#include "hardctl/json.h"
#include "hardctl/profile.h"
#include "hardctl/report.h"
#include "cmd.h"

static const char usage[] =
    "usage: hardctl list [-p PROFILE] [--tailoring FILE] [--format text|json]\n"
    "Lists the profile's rules: id, severity, module, title; report-only\n"
    "rules (checked, never changed) are marked so.\n";

static int list_text(struct hc_buf *out, const struct hc_profile *p)
{
	struct hc_buf label = HC_BUF_INIT;
	int error = hc_profile_label(&label, p);

	if (error == 0)
		error = hc_buf_printf(out, "profile %s: %zu rules\n", label.ptr,
				      p->nrules);
	hc_buf_release(&label);

	for (size_t i = 0; i < p->nrules && error == 0; i++) {
		const struct hc_profile_rule *pr = &p->rules[i];

		error = hc_buf_printf(
		    out, "%-40s %-7s %-12s %s%s\n", pr->rule->id,
		    hc_severity_name(pr->severity), pr->module->name,
		    pr->rule->title,
		    pr->rule->flags & HC_RULE_REPORT_ONLY ? " (report only)"
							  : "");
	}
	return error;
}

static int list_json(struct hc_buf *out, const struct hc_profile *p)
{
	struct hc_json json;

	hc_json_init(&json, out);
	hc_json_open(&json, '{');
	hc_report_profile_json(&json, p);
	hc_json_key(&json, "rules");
	hc_json_open(&json, '[');
	for (size_t i = 0; i < p->nrules; i++) {
		const struct hc_profile_rule *pr = &p->rules[i];

		hc_json_open(&json, '{');
		hc_json_kv(&json, "id", pr->rule->id);
		hc_json_kv(&json, "severity", hc_severity_name(pr->severity));
		hc_json_kv(&json, "module", pr->module->name);
		hc_json_kv(&json, "title", pr->rule->title);
		hc_json_key(&json, "report_only");
		hc_json_bool(&json, pr->rule->flags & HC_RULE_REPORT_ONLY);
		hc_json_close(&json, '{');
	}
	hc_json_close(&json, '[');
	hc_json_close(&json, '{');
	return hc_json_finish(&json);
}

int cmd_list(int argc, char **argv, struct cmd_env *env)
{
	struct hc_buf out = HC_BUF_INIT;
	int status, error;

	if ((status = cmd_profile_opts(argc, argv, env, usage)) != EXIT_OK)
		return status;
	if (optind < argc)
		return cmd_usage_error(usage, "unexpected argument '%s'",
				       argv[optind]);
	if ((error = cmd_open(env, false)) < 0)
		return cmd_fail(error, false);
	error = env->format == HC_FORMAT_JSON ? list_json(&out, env->profile)
					      : list_text(&out, env->profile);
	if (error == 0)
		error = cmd_write(env, &out);
	hc_buf_release(&out);
	return error < 0 ? cmd_fail(error, false) : EXIT_OK;
}
