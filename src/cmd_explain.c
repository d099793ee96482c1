/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * hardctl explain RULE: what a rule checks and why, with its parameters
 * as the effective profile sets them, and the files it reads and may
 * change.  Reads no system files.
 */
#include <getopt.h>
#include <string.h>
#include "hardctl/json.h"
#include "hardctl/mask.h"
#include "hardctl/profile.h"
#include "hardctl/suggest.h"
#include "hardctl/report.h"
#include "cmd.h"

static const char usage[] =
    "usage: hardctl explain RULE [-p PROFILE] [--tailoring FILE] [--format "
    "text|json]\n"
    "Prints RULE's title, severity, rationale, references, its parameters\n"
    "with the values the profile gives them, and the files it reads and\n"
    "may change.\n";

struct explained {
	const struct hc_rule *rule;
	const struct hc_module *module;
	enum hc_severity severity;
	const char *const
	    *values; /* the profile's, or NULL: not in the profile */
};

/* A secret parameter's value as shown: masked, unless empty. */
static const char *shown(const struct hc_param *param, const char *value)
{
	return param->type == HC_PARAM_SECRET && value && value[0] ? HC_MASK
								   : value;
}

/* A parameter's value as shown: a text file by its size, not its text. */
static int show_value(struct hc_buf *out, const struct hc_param *param,
		      const char *value)
{
	size_t lines = 0;

	value = shown(param, value);
	if (param->type != HC_PARAM_TEXTFILE)
		return hc_buf_printf(out, "%s",
				     value && value[0] ? value : "(empty)");
	for (const char *p = value; p && *p; p++)
		lines += *p == '\n';
	return hc_buf_printf(out, "text of %zu line%s (default file %s)", lines,
			     lines == 1 ? "" : "s", param->def);
}

/* Where the values of explain's fields start: "  rationale   ". */
#define FIELD_COL 14

/* "  LABEL       TEXT", TEXT wrapped under its column (LABEL may be ""). */
static int field(struct hc_buf *out, const char *label, const char *text,
		 size_t indent, const struct hc_text_opts *opts)
{
	struct hc_buf escaped = HC_BUF_INIT;
	int error = hc_buf_printf(out, "  %-11s %*s", label,
				  (int)(indent - FIELD_COL), "");

	if (error == 0)
		error = hc_buf_puts_escaped(&escaped, text ? text : "");
	if (error == 0)
		error = hc_report_para(out, hc_buf_cstr(&escaped), indent,
				       indent, opts);
	hc_buf_release(&escaped);
	return error;
}

/* "  remediation apply fixes this", or report only and what to do. */
static int remediation_text(struct hc_buf *out, const struct hc_rule *r,
			    const struct hc_text_opts *opts)
{
	struct hc_buf text = HC_BUF_INIT;
	int error = r->remediate ? hc_buf_puts(&text, "apply fixes this")
				 : hc_buf_printf(&text, "report only: %s",
						 hc_rule_manual(r));

	if (error == 0)
		error = field(out, "remediation", text.ptr, FIELD_COL, opts);
	hc_buf_release(&text);
	return error;
}

/* "parameters  NAME = VALUE", its help under it, for each parameter. */
static int params_text(struct hc_buf *out, const struct explained *e,
		       const struct hc_text_opts *opts)
{
	const struct hc_rule *r = e->rule;
	struct hc_buf text = HC_BUF_INIT;
	int error = 0;

	for (size_t i = 0; error == 0 && r->params && r->params[i].name; i++) {
		const char *value = e->values ? e->values[i] : r->params[i].def;

		hc_buf_clear(&text);
		if ((error = hc_buf_printf(&text,
					   "%s = ", r->params[i].name)) == 0 &&
		    (error = show_value(&text, &r->params[i], value)) == 0 &&
		    (error = field(out, i ? "" : "parameters", text.ptr,
				   FIELD_COL, opts)) == 0)
			error = field(out, "", r->params[i].help, FIELD_COL + 2,
				      opts);
	}
	hc_buf_release(&text);
	return error;
}

static int explain_text(struct hc_buf *out, const struct explained *e,
			const char *profile, const struct hc_text_opts *opts)
{
	const struct hc_rule *r = e->rule;
	struct hc_buf text = HC_BUF_INIT;
	int error = hc_buf_printf(&text, "%s: %s", r->id, r->title);

	if (error == 0)
		error = hc_report_para(out, text.ptr, 0, 2, opts);
	hc_buf_clear(&text);
	if (error == 0)
		error =
		    hc_buf_printf(&text, "%s%s", hc_severity_name(e->severity),
				  r->flags & HC_RULE_REPORT_ONLY
				      ? " (report only: never changed)"
				      : "");
	if (error == 0)
		error = field(out, "severity", text.ptr, FIELD_COL, opts);
	if (error == 0)
		error = field(out, "module", e->module->name, FIELD_COL, opts);
	hc_buf_clear(&text);
	if (error == 0 && e->values == NULL &&
	    (error = hc_buf_printf(&text,
				   "%s does not select it: defaults "
				   "shown",
				   profile)) == 0)
		error = field(out, "profile", text.ptr, FIELD_COL, opts);
	if (error == 0)
		error = field(out, "rationale", r->rationale, FIELD_COL, opts);
	if (error == 0)
		error = remediation_text(out, r, opts);
	for (size_t i = 0; error == 0 && r->refs && r->refs[i]; i++)
		error = field(out, i ? "" : "references", r->refs[i], FIELD_COL,
			      opts);
	if (error == 0)
		error = params_text(out, e, opts);
	for (size_t i = 0; error == 0 && r->files && r->files[i]; i++)
		error =
		    field(out, i ? "" : "files", r->files[i], FIELD_COL, opts);
	hc_buf_release(&text);
	return error;
}

static int explain_json(struct hc_buf *out, const struct explained *e,
			const char *profile)
{
	const struct hc_rule *r = e->rule;
	struct hc_json json;

	hc_json_init(&json, out);
	hc_json_open_document(&json);
	hc_json_key(&json, "schema");
	hc_json_int(&json, 1);
	hc_json_kv(&json, "id", r->id);
	hc_json_kv(&json, "title", r->title);
	hc_json_kv(&json, "severity", hc_severity_name(e->severity));
	hc_json_kv(&json, "module", e->module->name);
	hc_json_key(&json, "report_only");
	hc_json_bool(&json, r->flags & HC_RULE_REPORT_ONLY);
	hc_json_kv(&json, "profile", profile);
	hc_json_key(&json, "in_profile");
	hc_json_bool(&json, e->values != NULL);
	hc_json_kv(&json, "rationale", r->rationale);
	hc_json_key(&json, "remediation");
	hc_json_open(&json, '{');
	hc_json_kv(&json, "by", r->remediate ? "apply" : "hand");
	hc_json_kv(&json, "note", r->remediate ? NULL : hc_rule_manual(r));
	hc_json_close(&json, '{');
	hc_json_key(&json, "references");
	hc_json_open(&json, '[');
	for (size_t i = 0; r->refs && r->refs[i]; i++)
		hc_json_str(&json, r->refs[i]);
	hc_json_close(&json, '[');
	hc_json_key(&json, "parameters");
	hc_json_open(&json, '[');
	for (size_t i = 0; r->params && r->params[i].name; i++) {
		hc_json_open(&json, '{');
		hc_json_kv(&json, "name", r->params[i].name);
		hc_json_kv(&json, "value",
			   shown(&r->params[i],
				 e->values ? e->values[i] : r->params[i].def));
		hc_json_kv(&json, "default",
			   shown(&r->params[i], r->params[i].def));
		hc_json_key(&json, "secret");
		hc_json_bool(&json, r->params[i].type == HC_PARAM_SECRET);
		hc_json_kv(&json, "help", r->params[i].help);
		hc_json_close(&json, '{');
	}
	hc_json_close(&json, '[');
	hc_json_key(&json, "files");
	hc_json_open(&json, '[');
	for (size_t i = 0; r->files && r->files[i]; i++)
		hc_json_str(&json, r->files[i]);
	hc_json_close(&json, '[');
	hc_json_close(&json, '{');
	return hc_json_finish(&json);
}

int cmd_explain(int argc, char **argv, struct cmd_env *env)
{
	struct hc_buf out = HC_BUF_INIT;
	struct hc_text_opts opts;
	struct explained e = {0};
	int status, error;

	if ((status = cmd_profile_opts(argc, argv, env, usage)) != EXIT_OK)
		return status;
	if (optind + 1 != argc)
		return cmd_usage_error(
		    usage, optind < argc
			       ? "one rule at a time"
			       : "which rule? (hardctl list shows them)");
	if ((e.rule = hc_rule_find(&e.module, argv[optind])) == NULL) {
		return cmd_fail(hc_suggest_unknown_rule(argv[optind]), false);
	}
	if ((error = cmd_open(env, false)) < 0)
		return cmd_fail(error, false);
	e.severity = e.rule->severity;
	for (size_t i = 0; i < env->profile->nrules; i++)
		if (env->profile->rules[i].rule == e.rule) {
			e.severity = env->profile->rules[i].severity;
			e.values =
			    (const char *const *)env->profile->rules[i].values;
		}
	cmd_text_opts(&opts, env);
	error = env->format == HC_FORMAT_JSON
		    ? explain_json(&out, &e, env->profile->name)
		    : explain_text(&out, &e, env->profile->name, &opts);
	if (error == 0)
		error = cmd_write(env, &out);
	hc_buf_release(&out);
	return error < 0 ? cmd_fail(error, false) : EXIT_OK;
}
