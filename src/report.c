/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Check and plan reports (see hardctl/report.h).
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include "hardctl/diff.h"
#include "hardctl/hash.h"
#include "hardctl/plan.h"
#include "hardctl/profile.h"
#include "hardctl/report.h"

void hc_summary_compute(struct hc_summary *out,
			const struct hc_findings *findings)
{
	size_t applicable;

	memset(out, 0, sizeof(*out));
	for (size_t i = 0; i < findings->n; i++) {
		const struct hc_finding *f = &findings->v[i];

		out->count[f->status]++;
		if (f->severity <= HC_CAT_III)
			out->by_severity[f->severity][f->status]++;
	}
	out->total = findings->n;
	/* Waived and not applicable rules are out of the score. */
	applicable = out->total - out->count[HC_STATUS_NA] -
		     out->count[HC_STATUS_WAIVED];
	out->score = applicable
			 ? (int)(out->count[HC_STATUS_PASS] * 100 / applicable)
			 : -1;
}

/* Statuses in the order reports list them. */
static const enum hc_status summary_order[] = {
    HC_STATUS_PASS,   HC_STATUS_FAIL, HC_STATUS_DRIFTED,
    HC_STATUS_WAIVED, HC_STATUS_NA,   HC_STATUS_ERROR,
};

/* The name a summary counts a status under: "pass", "n/a". */
static const char *count_name(enum hc_status status)
{
	static const char *const names[HC_STATUS_COUNT] = {
	    [HC_STATUS_PASS] = "pass",     [HC_STATUS_FAIL] = "fail",
	    [HC_STATUS_NA] = "n/a",        [HC_STATUS_ERROR] = "error",
	    [HC_STATUS_WAIVED] = "waived", [HC_STATUS_DRIFTED] = "drifted",
	};

	return names[status];
}

static const char *status_color(enum hc_status status)
{
	switch (status) {
	case HC_STATUS_PASS:
		return "\033[32m";
	case HC_STATUS_FAIL:
	case HC_STATUS_DRIFTED:
		return "\033[31m";
	case HC_STATUS_ERROR:
		return "\033[1;31m";
	case HC_STATUS_WAIVED:
		return "\033[33m";
	case HC_STATUS_NA:
		break;
	}
	return "\033[2m";
}

/*
 * One piece of evidence on a line of its own, after INDENT.  File names
 * and lines come from ROOT: their control characters are escaped, so
 * none can start a report line of its own or reach the terminal.
 */
static int evidence_text(struct hc_buf *out, const struct hc_evidence *ev,
			 const char *indent)
{
	int error = hc_buf_puts(out, indent);

	if (error == 0 && ev->file &&
	    (error = hc_buf_puts_escaped(out, ev->file)) == 0)
		error = ev->line ? hc_buf_printf(out, ":%u: ", ev->line)
				 : hc_buf_puts(out, ": ");
	if (error == 0)
		error = hc_buf_puts_escaped(out, ev->found ? ev->found
							   : "(nothing)");
	if (error == 0 && ev->expected &&
	    (error = hc_buf_puts(out, "; expected ")) == 0)
		error = hc_buf_puts_escaped(out, ev->expected);
	return error ? error : hc_buf_puts(out, "\n");
}

/* What a finding's second line says: a waiver, why N/A, the error. */
static int reason_text(struct hc_buf *out, const struct hc_finding *f)
{
	int error;

	if (f->status == HC_STATUS_WAIVED &&
	    (error = hc_buf_printf(out, "        waived until %s, approved by ",
				   f->waiver->expires)) == 0 &&
	    (error = hc_buf_puts_escaped(out, f->waiver->approver)) == 0 &&
	    (error = hc_buf_puts(out, ": ")) == 0 &&
	    (error = hc_buf_puts_escaped(out, f->reason)) == 0)
		return hc_buf_puts(out, "\n");
	if (f->status == HC_STATUS_WAIVED)
		return error;
	if (f->reason == NULL)
		return 0;
	if ((error = hc_buf_puts(out, "        ")) == 0 &&
	    (error = hc_buf_puts_escaped(out, f->reason)) == 0)
		error = hc_buf_puts(out, "\n");
	return error;
}

/* How a FAIL is fixed: "fix: apply fixes this" (hardctl/finding.h). */
static int fix_text(struct hc_buf *out, const struct hc_finding *f)
{
	static const char *const how[] = {
	    [HC_FIX_APPLY] = "apply fixes this",
	    [HC_FIX_CANNOT] = "apply cannot: ",
	    [HC_FIX_MANUAL] = "report only: ",
	};
	int error;

	if (f->fix == HC_FIX_NONE)
		return 0;
	if ((error = hc_buf_printf(out, "        fix: %s", how[f->fix])) == 0 &&
	    f->fix != HC_FIX_APPLY)
		error =
		    hc_buf_puts_escaped(out, f->fix_note ? f->fix_note : "");
	return error ? error : hc_buf_puts(out, "\n");
}

/* "  CAT II   2 pass, 17 fail": the statuses a severity has; nothing if none.
 */
static int severity_text(struct hc_buf *out, enum hc_severity sev,
			 const size_t count[HC_STATUS_COUNT])
{
	bool first = true;
	int error = 0;

	for (size_t i = 0; i < HC_ARRAY_SIZE(summary_order) && error == 0;
	     i++) {
		size_t n = count[summary_order[i]];

		if (n == 0)
			continue;
		if (first)
			error =
			    hc_buf_printf(out, "  %-8s", hc_severity_name(sev));
		if (error == 0)
			error =
			    hc_buf_printf(out, "%s %zu %s", first ? "" : ",", n,
					  count_name(summary_order[i]));
		first = false;
	}
	if (error < 0 || first)
		return error;
	return hc_buf_puts(out, "\n");
}

static int summary_text(struct hc_buf *out, const struct hc_summary *sum)
{
	int error = hc_buf_printf(out, "\n%zu rule%s:", sum->total,
				  sum->total == 1 ? "" : "s");

	for (size_t i = 0; i < HC_ARRAY_SIZE(summary_order) && error == 0; i++)
		error = hc_buf_printf(out, "%s %zu %s", i ? "," : "",
				      sum->count[summary_order[i]],
				      count_name(summary_order[i]));
	if (error == 0 && sum->score >= 0)
		error = hc_buf_printf(out, "; score %d%%", sum->score);
	if (error == 0)
		error = hc_buf_puts(out, "\n");
	for (int sev = HC_CAT_I; sev <= HC_CAT_III && error == 0; sev++)
		error = severity_text(out, (enum hc_severity)sev,
				      sum->by_severity[sev]);
	return error;
}

/*
 * "tailoring PATH [(site default)], sha256 HEX": which file tailored the
 * profile, so that a cron mail or a fleet's reports show it.
 */
static int tailoring_text(struct hc_buf *out, const struct hc_profile *profile)
{
	const struct hc_profile_source *src = NULL;
	char hex[HC_SHA256_HEXLEN + 1];

	for (size_t i = 0; i < profile->nsources; i++)
		if (strcmp(profile->sources[i].role, "tailoring") == 0)
			src = &profile->sources[i];
	if (src == NULL)
		return 0;
	hc_sha256_hex(hex, &src->sha);
	return hc_buf_printf(out, "tailoring %s%s, sha256 %s\n", src->path,
			     profile->site_tailoring ? " (site default)" : "",
			     src->secret ? "withheld (sets a secret)" : hex);
}

int hc_report_check_text(struct hc_buf *out, const struct hc_profile *profile,
			 const struct hc_findings *findings, bool color)
{
	struct hc_summary sum;
	struct hc_buf label = HC_BUF_INIT;
	char hex[HC_SHA256_HEXLEN + 1];
	int error = 0, width = 0;

	for (size_t i = 0; i < findings->n; i++) {
		int len = (int)strlen(findings->v[i].rule->id);

		width = len > width ? len : width;
	}
	for (size_t i = 0; i < findings->n && error == 0; i++) {
		const struct hc_finding *f = &findings->v[i];
		bool failed = f->status == HC_STATUS_FAIL ||
			      f->status == HC_STATUS_DRIFTED;

		error = hc_buf_printf(out, "%s%-7s%s %-7s  %-*s  %s\n",
				      color ? status_color(f->status) : "",
				      hc_status_name(f->status),
				      color ? "\033[0m" : "",
				      hc_severity_name(f->severity), width,
				      f->rule->id, f->rule->title);
		if (error == 0)
			error = reason_text(out, f);
		if (error == 0 && failed)
			error = fix_text(out, f);
		for (size_t j = 0; failed && j < f->nev && error == 0; j++)
			error = evidence_text(out, &f->ev[j], "        ");
	}
	if (error < 0)
		return error;
	hc_summary_compute(&sum, findings);
	hc_sha256_hex(hex, &profile->sha);
	if ((error = summary_text(out, &sum)) == 0 &&
	    (error = hc_profile_label(&label, profile)) == 0)
		error = hc_buf_printf(out, "profile %s, sha256 %s\n", label.ptr,
				      hex);
	if (error == 0)
		error = tailoring_text(out, profile);
	if (error == 0 && profile->guards.accept_no_local_admin)
		error = hc_buf_printf(
		    out,
		    "guards: accept-no-local-admin: %s (the lockout check "
		    "accepts a plan that leaves no local administrator)\n",
		    profile->guards.reason);
	hc_buf_release(&label);
	return error;
}

void hc_report_profile_json(struct hc_json *json,
			    const struct hc_profile *profile)
{
	char hex[HC_SHA256_HEXLEN + 1];

	hc_sha256_hex(hex, &profile->sha);
	hc_json_key(json, "profile");
	hc_json_open(json, '{');
	hc_json_kv(json, "name", profile->name);
	hc_json_kv(json, "version", profile->version);
	hc_json_kv(json, "path", profile->path);
	hc_json_kv(json, "tailoring", profile->tailoring);
	hc_json_key(json, "site_tailoring");
	hc_json_bool(json, profile->site_tailoring);
	hc_json_kv(json, "sha256", hex);
	hc_json_kv(json, "accept_no_local_admin",
		   profile->guards.accept_no_local_admin
		       ? profile->guards.reason
		       : NULL);
	hc_json_key(json, "sources");
	hc_json_open(json, '[');
	for (size_t i = 0; i < profile->nsources; i++) {
		hc_sha256_hex(hex, &profile->sources[i].sha);

		hc_json_open(json, '{');
		hc_json_kv(json, "role", profile->sources[i].role);
		hc_json_kv(json, "path", profile->sources[i].path);
		/* null: the file sets a secret, and its bytes' digest would
		 * confirm a guess. */
		hc_json_kv(json, "sha256",
			   profile->sources[i].secret ? NULL : hex);
		hc_json_close(json, '{');
	}
	hc_json_close(json, '[');
	hc_json_close(json, '{');
}

static void waiver_json(struct hc_json *json, const struct hc_finding *f)
{
	hc_json_key(json, "waiver");
	if (f->waiver == NULL) {
		hc_json_null(json);
		return;
	}
	hc_json_open(json, '{');
	hc_json_kv(json, "reason", f->waiver->reason);
	hc_json_kv(json, "approver", f->waiver->approver);
	hc_json_kv(json, "expires", f->waiver->expires);
	hc_json_key(json, "in_force");
	hc_json_bool(json, f->status == HC_STATUS_WAIVED);
	hc_json_close(json, '{');
}

/*
 * How a FAIL or DRIFTED finding gets fixed: {"by": "apply"|"cannot"|
 * "hand", "note": ...}; null for the others, or when not known.
 */
static void remediation_json(struct hc_json *json, const struct hc_finding *f)
{
	hc_json_key(json, "remediation");
	if ((f->status != HC_STATUS_FAIL && f->status != HC_STATUS_DRIFTED) ||
	    f->fix == HC_FIX_NONE) {
		hc_json_null(json);
		return;
	}
	hc_json_open(json, '{');
	hc_json_kv(json, "by",
		   f->fix == HC_FIX_APPLY    ? "apply"
		   : f->fix == HC_FIX_CANNOT ? "cannot"
					     : "hand");
	hc_json_kv(json, "note", f->fix == HC_FIX_APPLY ? NULL : f->fix_note);
	hc_json_close(json, '{');
}

static void finding_json(struct hc_json *json, const struct hc_finding *f)
{
	hc_json_open(json, '{');
	hc_json_kv(json, "id", f->rule->id);
	hc_json_kv(json, "title", f->rule->title);
	hc_json_kv(json, "severity", hc_severity_name(f->severity));
	hc_json_kv(json, "status", hc_status_name(f->status));
	hc_json_kv(json, "reason", f->reason);
	waiver_json(json, f);
	hc_json_key(json, "evidence");
	hc_json_open(json, '[');
	for (size_t i = 0; i < f->nev; i++) {
		hc_json_open(json, '{');
		hc_json_kv(json, "file", f->ev[i].file);
		hc_json_key(json, "line");
		if (f->ev[i].line)
			hc_json_int(json, f->ev[i].line);
		else
			hc_json_null(json);
		hc_json_kv(json, "found", f->ev[i].found);
		hc_json_kv(json, "expected", f->ev[i].expected);
		hc_json_key(json, "failing");
		hc_json_bool(json, f->ev[i].expected != NULL);
		hc_json_close(json, '{');
	}
	hc_json_close(json, '[');
	remediation_json(json, f);
	hc_json_key(json, "references");
	hc_json_open(json, '[');
	for (size_t i = 0; f->rule->refs && f->rule->refs[i]; i++)
		hc_json_str(json, f->rule->refs[i]);
	hc_json_close(json, '[');
	hc_json_close(json, '{');
}

/* {"pass": N, ...}: the counts of COUNT under the names JSON uses. */
static void counts_json(struct hc_json *json,
			const size_t count[HC_STATUS_COUNT])
{
	hc_json_open(json, '{');
	for (size_t i = 0; i < HC_ARRAY_SIZE(summary_order); i++) {
		enum hc_status st = summary_order[i];

		hc_json_key(json, st == HC_STATUS_NA ? "na" : count_name(st));
		hc_json_int(json, (long long)count[st]);
	}
	hc_json_close(json, '{');
}

void hc_report_findings_json(struct hc_json *json,
			     const struct hc_findings *findings)
{
	struct hc_summary sum;

	hc_json_key(json, "results");
	hc_json_open(json, '[');
	for (size_t i = 0; i < findings->n; i++)
		finding_json(json, &findings->v[i]);
	hc_json_close(json, '[');

	hc_summary_compute(&sum, findings);
	hc_json_key(json, "summary");
	hc_json_open(json, '{');
	hc_json_key(json, "total");
	hc_json_int(json, (long long)sum.total);
	hc_json_key(json, "counts");
	counts_json(json, sum.count);
	hc_json_key(json, "by_severity");
	hc_json_open(json, '{');
	for (int sev = HC_CAT_I; sev <= HC_CAT_III; sev++) {
		hc_json_key(json, hc_severity_name((enum hc_severity)sev));
		counts_json(json, sum.by_severity[sev]);
	}
	hc_json_close(json, '{');
	hc_json_key(json, "score");
	if (sum.score >= 0)
		hc_json_int(json, sum.score);
	else
		hc_json_null(json);
	hc_json_close(json, '{');
}

/* STR as XML character data or attribute value: escaped, valid UTF-8. */
static int xml_put(struct hc_buf *out, const char *str)
{
	const unsigned char *s = (const unsigned char *)(str ? str : "");
	size_t len = strlen((const char *)s);
	int error = 0;

	for (size_t i = 0; i < len && error == 0;) {
		size_t n = hc_utf8_len(s + i, len - i);

		if (n == 0 || (s[i] < 0x20 && s[i] != '\n' && s[i] != '\t') ||
		    s[i] == 0x7f)
			error = hc_buf_puts(
			    out,
			    "\xef\xbf\xbd"); /* U+FFFD: XML has no such byte */
		else if (s[i] == '&')
			error = hc_buf_puts(out, "&amp;");
		else if (s[i] == '<')
			error = hc_buf_puts(out, "&lt;");
		else if (s[i] == '>')
			error = hc_buf_puts(out, "&gt;");
		else if (s[i] == '"')
			error = hc_buf_puts(out, "&quot;");
		else if (s[i] == '\n')
			error = hc_buf_puts(out, "&#10;");
		else if (s[i] == '\t')
			error = hc_buf_puts(out, "&#9;");
		else
			error = hc_buf_put(out, (const char *)s + i, n);
		i += n ? n : 1;
	}
	return error;
}

/* <NAME a="v" ...: attributes from pairs of strings, NULL-terminated. */
static int xml_open(struct hc_buf *out, const char *indent, const char *name,
		    const char *const *attrs, bool empty)
{
	int error = hc_buf_printf(out, "%s<%s", indent, name);

	for (size_t i = 0; attrs && attrs[i] && error == 0; i += 2)
		if ((error = hc_buf_printf(out, " %s=\"", attrs[i])) == 0 &&
		    (error = xml_put(out, attrs[i + 1])) == 0)
			error = hc_buf_puts(out, "\"");
	return error ? error : hc_buf_puts(out, empty ? "/>\n" : ">");
}

/* The text of a failure: each piece of evidence on its line. */
static int junit_evidence(struct hc_buf *out, const struct hc_finding *f)
{
	struct hc_buf text = HC_BUF_INIT;
	int error = 0;

	for (size_t i = 0; i < f->nev && error == 0; i++)
		error = evidence_text(&text, &f->ev[i], "");
	if (error == 0)
		error = xml_put(out, hc_buf_cstr(&text));
	hc_buf_release(&text);
	return error;
}

static int junit_case(struct hc_buf *out, const struct hc_finding *f)
{
	char classname[128];
	const char *dot = strchr(f->rule->id, '.');
	struct hc_buf msg = HC_BUF_INIT;
	int error;

	snprintf(
	    classname, sizeof(classname), "hardctl.%.*s",
	    (int)(dot ? dot - f->rule->id : (ptrdiff_t)strlen(f->rule->id)),
	    f->rule->id);
	if ((error = xml_open(out, "    ", "testcase",
			      (const char *const[]){"name", f->rule->id,
						    "classname", classname,
						    "time", "0", NULL},
			      f->status == HC_STATUS_PASS)) < 0 ||
	    f->status == HC_STATUS_PASS)
		goto out;
	if ((error = hc_buf_printf(&msg, "%s %s: %s", hc_status_name(f->status),
				   hc_severity_name(f->severity),
				   f->rule->title)) < 0)
		goto out;
	if (f->reason)
		error = hc_buf_printf(&msg, " (%s)", f->reason);
	if (error < 0 || (error = hc_buf_puts(out, "\n")) < 0)
		goto out;
	switch (f->status) {
	case HC_STATUS_FAIL:
	case HC_STATUS_DRIFTED:
		if ((error = xml_open(
			 out, "      ", "failure",
			 (const char *const[]){"message", msg.ptr, "type",
					       hc_status_name(f->status), NULL},
			 false)) == 0 &&
		    (error = junit_evidence(out, f)) == 0)
			error = hc_buf_puts(out, "</failure>\n");
		break;
	case HC_STATUS_ERROR:
		error = xml_open(out, "      ", "error",
				 (const char *const[]){"message", msg.ptr,
						       "type", "ERROR", NULL},
				 true);
		break;
	default: /* N/A, WAIVED */
		error = xml_open(
		    out, "      ", "skipped",
		    (const char *const[]){"message", msg.ptr, NULL}, true);
		break;
	}
	if (error == 0)
		error = hc_buf_puts(out, "    </testcase>\n");
out:
	hc_buf_release(&msg);
	return error;
}

static int junit_properties(struct hc_buf *out,
			    const struct hc_report_meta *meta,
			    const struct hc_summary *sum, const char *label)
{
	char score[16], sha[HC_SHA256_HEXLEN + 1];
	int error = hc_buf_puts(out, "\n    <properties>\n");

	snprintf(score, sizeof(score), "%d", sum->score);
	hc_sha256_hex(sha, &meta->profile->sha);
	const char *const props[] = {
	    "profile",        label,
	    "profile.sha256", sha,
	    "root",           meta->root,
	    "score",          sum->score >= 0 ? score : "none",
	};
	for (size_t i = 0; i < HC_ARRAY_SIZE(props) && error == 0; i += 2)
		error =
		    xml_open(out, "      ", "property",
			     (const char *const[]){"name", props[i], "value",
						   props[i + 1], NULL},
			     true);
	return error ? error : hc_buf_puts(out, "    </properties>\n");
}

int hc_report_check_junit(struct hc_buf *out, const struct hc_report_meta *meta,
			  const struct hc_findings *findings)
{
	char tests[24], failures[24], errors[24], skipped[24];
	struct hc_buf label = HC_BUF_INIT;
	struct hc_summary sum;
	int error;

	hc_summary_compute(&sum, findings);
	snprintf(tests, sizeof(tests), "%zu", sum.total);
	snprintf(failures, sizeof(failures), "%zu",
		 sum.count[HC_STATUS_FAIL] + sum.count[HC_STATUS_DRIFTED]);
	snprintf(errors, sizeof(errors), "%zu", sum.count[HC_STATUS_ERROR]);
	snprintf(skipped, sizeof(skipped), "%zu",
		 sum.count[HC_STATUS_NA] + sum.count[HC_STATUS_WAIVED]);
	if ((error = hc_profile_label(&label, meta->profile)) < 0 ||
	    (error = hc_buf_puts(
		 out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")) < 0 ||
	    (error = xml_open(
		 out, "", "testsuites",
		 (const char *const[]){"name", "hardctl check", "tests", tests,
				       "failures", failures, "errors", errors,
				       "skipped", skipped, "time", "0", NULL},
		 false)) < 0 ||
	    (error = hc_buf_puts(out, "\n")) < 0 ||
	    (error =
		 xml_open(out, "  ", "testsuite",
			  (const char *const[]){
			      "name", label.ptr, "tests", tests, "failures",
			      failures, "errors", errors, "skipped", skipped,
			      "time", "0", "timestamp", meta->time, "hostname",
			      meta->host ? meta->host : "", NULL},
			  false)) < 0 ||
	    (error = junit_properties(out, meta, &sum, label.ptr)) < 0)
		goto out;
	for (size_t i = 0; i < findings->n && error == 0; i++)
		error = junit_case(out, &findings->v[i]);
	if (error == 0)
		error = hc_buf_puts(out, "  </testsuite>\n</testsuites>\n");
out:
	hc_buf_release(&label);
	return error;
}

int hc_report_plan_json(struct hc_json *json, const struct hc_plan *plan)
{
	struct hc_buf diff = HC_BUF_INIT;
	char mode[8];
	int error = 0;

	hc_json_key(json, "files");
	hc_json_open(json, '[');
	for (size_t i = 0; i < plan->nfiles && error == 0; i++) {
		const struct hc_plan_file *f = &plan->files[i];

		hc_buf_clear(&diff);
		if ((error = hc_diff_file(&diff, f->path, &f->before,
					  &f->after)) < 0)
			break;
		snprintf(mode, sizeof(mode), "%04o",
			 (unsigned int)f->after.mode);
		hc_json_open(json, '{');
		hc_json_kv(json, "path", f->path);
		hc_json_key(json, "created");
		hc_json_bool(json, !f->before.exists);
		hc_json_key(json, "removed");
		hc_json_bool(json, !f->after.exists);
		hc_json_kv(json, "mode", f->after.exists ? mode : NULL);
		hc_json_kv(json, "diff", hc_buf_cstr(&diff));
		hc_json_close(json, '{');
	}
	hc_json_close(json, '[');
	hc_json_key(json, "steps");
	hc_json_open(json, '[');
	for (size_t i = 0; i < plan->nsteps; i++) {
		hc_json_open(json, '{');
		hc_json_kv(json, "rule",
			   plan->steps[i].rule ? plan->steps[i].rule->id
					       : NULL);
		hc_json_kv(json, "path", plan->files[plan->steps[i].file].path);
		hc_json_close(json, '{');
	}
	hc_json_close(json, '[');
	hc_buf_release(&diff);
	return error;
}
