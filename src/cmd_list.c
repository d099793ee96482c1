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

/* The least room a title keeps beside the columns before it moves under. */
#define TITLE_MIN 24

/*
 * "ID  SEVERITY  MODULE  TITLE", the columns as wide as their widest,
 * the title wrapped under its column, or under the id on a narrow
 * terminal.
 */
static int list_text(struct hc_buf *out, const struct hc_profile *p,
		     const struct hc_text_opts *opts)
{
	struct hc_buf label = HC_BUF_INIT, title = HC_BUF_INIT;
	size_t idw = 0, modw = 0, col;
	bool beside;
	int error = hc_profile_label(&label, p);

	if (error == 0 && (error = hc_buf_puts(&title, "profile ")) == 0 &&
	    (error = hc_buf_puts_escaped(&title, label.ptr)) == 0 &&
	    (error = hc_buf_printf(&title, ": %zu rules", p->nrules)) == 0)
		error = hc_report_para(out, title.ptr, 0, 2, opts);
	for (size_t i = 0; i < p->nrules; i++) {
		size_t n = strlen(p->rules[i].rule->id),
		       m = strlen(p->rules[i].module->name);

		idw = n > idw ? n : idw;
		modw = m > modw ? m : modw;
	}
	col = idw + 1 + 7 + 1 + modw + 1;
	beside = opts->width >= col + TITLE_MIN;
	for (size_t i = 0; i < p->nrules && error == 0; i++) {
		const struct hc_profile_rule *pr = &p->rules[i];

		hc_buf_clear(&title);
		if ((error = hc_buf_printf(
			 out, "%-*s %-7s %-*s%s", (int)idw, pr->rule->id,
			 hc_severity_name(pr->severity), beside ? (int)modw : 0,
			 pr->module->name, beside ? " " : "\n    ")) < 0 ||
		    (error = hc_buf_printf(&title, "%s%s", pr->rule->title,
					   pr->rule->flags & HC_RULE_REPORT_ONLY
					       ? " (report only)"
					       : "")) < 0)
			break;
		error = hc_report_para(out, title.ptr, beside ? col : 4,
				       beside ? col : 4, opts);
	}
	hc_buf_release(&label);
	hc_buf_release(&title);
	return error;
}

static int list_json(struct hc_buf *out, const struct hc_profile *p)
{
	struct hc_json json;

	hc_json_init(&json, out);
	hc_json_open_document(&json);
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
	struct hc_text_opts opts;
	int status, error;

	if ((status = cmd_profile_opts(argc, argv, env, usage)) != EXIT_OK)
		return status;
	if (optind < argc)
		return cmd_usage_error(usage, "unexpected argument '%s'",
				       argv[optind]);
	if ((error = cmd_open(env, false)) < 0)
		return cmd_fail(error, false);
	cmd_text_opts(&opts, env);
	error = env->format == HC_FORMAT_JSON
		    ? list_json(&out, env->profile)
		    : list_text(&out, env->profile, &opts);
	if (error == 0)
		error = cmd_write(env, &out);
	hc_buf_release(&out);
	return error < 0 ? cmd_fail(error, false) : EXIT_OK;
}
