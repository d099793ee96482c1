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
#include "hardctl/term.h"

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

int hc_report_para(struct hc_buf *out, const char *text, size_t col,
		   size_t indent, const struct hc_text_opts *opts)
{
	struct hc_buf tmp = HC_BUF_INIT;
	int error = hc_buf_puts(&tmp, text);

	/* Masked first: a break must not split a secret the mask would miss. */
	if (error == 0 && opts->secrets)
		error = hc_mask(&tmp, opts->secrets);
	if (error == 0)
		error = hc_term_wrap(out, hc_buf_cstr(&tmp), col, indent,
				     opts->width);
	if (error == 0)
		error = hc_buf_puts(out, "\n");
	hc_buf_release(&tmp);
	return error;
}

/* Lines under a row start here; their further lines two columns on. */
#define SUB_INDENT 8

/*
 * "        PREFIXTEXT", TEXT escaped, wrapped with further lines under
 * the first character after PREFIX when HANG, else two columns in.
 */
static int sub_line(struct hc_buf *out, const char *prefix, const char *text,
		    bool hang, const struct hc_text_opts *opts)
{
	size_t indent = SUB_INDENT + (hang ? strlen(prefix) : 2);
	struct hc_buf line = HC_BUF_INIT;
	int error = hc_buf_puts(&line, prefix);

	if (error == 0)
		error = hc_buf_puts_escaped(&line, text);
	if (error == 0 &&
	    (error = hc_buf_printf(out, "%*s", SUB_INDENT, "")) == 0)
		error = hc_report_para(out, line.ptr, SUB_INDENT, indent, opts);
	hc_buf_release(&line);
	return error;
}

/* What a finding's second line says: a waiver, why N/A, the error. */
static int reason_text(struct hc_buf *out, const struct hc_finding *f,
		       const struct hc_text_opts *opts)
{
	struct hc_buf line = HC_BUF_INIT;
	int error;

	if (f->status != HC_STATUS_WAIVED)
		return f->reason ? sub_line(out, "", f->reason, false, opts)
				 : 0;
	if ((error = hc_buf_printf(&line, "waived until %s, approved by ",
				   f->waiver->expires)) == 0 &&
	    (error = hc_buf_puts_escaped(&line, f->waiver->approver)) == 0 &&
	    (error = hc_buf_puts(&line, ": ")) == 0)
		error = sub_line(out, line.ptr, f->reason, false, opts);
	hc_buf_release(&line);
	return error;
}

/* "fix: ...": how a FAIL or DRIFTED finding is fixed, when known. */
static int fix_text(struct hc_buf *out, const struct hc_finding *f,
		    const struct hc_text_opts *opts)
{
	static const char *const how[] = {
	    [HC_FIX_APPLY] = "apply fixes this",
	    [HC_FIX_CANNOT] = "apply cannot: ",
	    [HC_FIX_MANUAL] = "report only: ",
	};
	struct hc_buf text = HC_BUF_INIT;
	int error;

	if (f->fix == HC_FIX_NONE || (size_t)f->fix >= HC_ARRAY_SIZE(how))
		return 0;
	if ((error = hc_buf_puts(&text, how[f->fix])) == 0 &&
	    f->fix != HC_FIX_APPLY)
		error = hc_buf_puts(&text, f->fix_note ? f->fix_note : "");
	/* Further lines under the text after "fix: ". */
	if (error == 0)
		error = sub_line(out, "fix: ", text.ptr, true, opts);
	hc_buf_release(&text);
	return error;
}

/*
 * Evidence under a failure: "fails: " the part with an expected value,
 * "holds: " the part already as the rule wants; further lines under
 * the evidence's first character.
 */
static int failed_evidence(struct hc_buf *out, const struct hc_evidence *ev,
			   const struct hc_text_opts *opts)
{
	static const char mark[] = "fails: ";
	struct hc_buf line = HC_BUF_INIT;
	int error = evidence_text(&line, ev, ev->expected ? mark : "holds: ");

	if (error == 0) {
		line.ptr[--line.size] = '\0'; /* the newline */
		if ((error = hc_buf_printf(out, "%*s", SUB_INDENT, "")) == 0)
			error =
			    hc_report_para(out, line.ptr, SUB_INDENT,
					   SUB_INDENT + sizeof(mark) - 1, opts);
	}
	hc_buf_release(&line);
	return error;
}

/* The least room a title keeps beside the id before it moves under it. */
#define TITLE_MIN 24
/* Status and severity columns, before the id. */
#define ID_COL 17

/* "STATUS  SEVERITY  ID  TITLE", the title wrapped under its column. */
static int row_text(struct hc_buf *out, const struct hc_finding *f, size_t idw,
		    const struct hc_text_opts *opts)
{
	size_t col = ID_COL + idw + 2;
	bool beside = opts->width >= col + TITLE_MIN;
	int error = hc_buf_printf(
	    out, "%s%-7s%s %-7s  ", opts->color ? status_color(f->status) : "",
	    hc_status_name(f->status), opts->color ? "\033[0m" : "",
	    hc_severity_name(f->severity));

	if (error == 0 && beside)
		error = hc_buf_printf(out, "%-*s  ", (int)idw, f->rule->id);
	else if (error == 0)
		error = hc_buf_printf(out, "%s\n%*s", f->rule->id, ID_COL, "");
	if (error == 0)
		error =
		    hc_report_para(out, f->rule->title, beside ? col : ID_COL,
				   beside ? col : ID_COL, opts);
	return error;
}

/* Whether --quiet shows F: what needs the administrator. */
static bool alarming(const struct hc_finding *f)
{
	return f->status == HC_STATUS_FAIL || f->status == HC_STATUS_DRIFTED ||
	       f->status == HC_STATUS_ERROR;
}

static int finding_text(struct hc_buf *out, const struct hc_finding *f,
			size_t idw, const struct hc_text_opts *opts)
{
	bool failed =
	    f->status == HC_STATUS_FAIL || f->status == HC_STATUS_DRIFTED;
	int error;

	if ((error = row_text(out, f, idw, opts)) < 0 ||
	    (error = reason_text(out, f, opts)) < 0 ||
	    (failed && (error = fix_text(out, f, opts)) < 0))
		return error;
	for (size_t j = 0; failed && j < f->nev && error == 0; j++)
		error = failed_evidence(out, &f->ev[j], opts);
	return error;
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

static int summary_text(struct hc_buf *out, const struct hc_summary *sum,
			const struct hc_text_opts *opts)
{
	struct hc_buf line = HC_BUF_INIT;
	int error = hc_buf_printf(&line, "%zu rule%s:", sum->total,
				  sum->total == 1 ? "" : "s");

	for (size_t i = 0; i < HC_ARRAY_SIZE(summary_order) && error == 0; i++)
		error = hc_buf_printf(&line, "%s %zu %s", i ? "," : "",
				      sum->count[summary_order[i]],
				      count_name(summary_order[i]));
	if (error == 0 && sum->score >= 0)
		error = hc_buf_printf(&line, "; score %d%%", sum->score);
	if (error == 0 && (error = hc_buf_puts(out, "\n")) == 0)
		error = hc_report_para(out, line.ptr, 0, 2, opts);
	for (int sev = HC_CAT_I; sev <= HC_CAT_III && error == 0; sev++)
		error = severity_text(out, (enum hc_severity)sev,
				      sum->by_severity[sev]);
	hc_buf_release(&line);
	return error;
}

/*
 * "tailoring PATH [(site default)], sha256 HEX": which file tailored the
 * profile, so that a cron mail or a fleet's reports show it.
 */
static int tailoring_text(struct hc_buf *out, const struct hc_profile *profile,
			  const struct hc_text_opts *opts)
{
	const struct hc_profile_source *src = NULL;
	struct hc_buf line = HC_BUF_INIT;
	char hex[HC_SHA256_HEXLEN + 1];
	int error;

	for (size_t i = 0; i < profile->nsources; i++)
		if (strcmp(profile->sources[i].role, "tailoring") == 0)
			src = &profile->sources[i];
	if (src == NULL)
		return 0;
	hc_sha256_hex(hex, &src->sha);
	if ((error = hc_buf_puts(&line, "tailoring ")) == 0 &&
	    (error = hc_buf_puts_escaped(&line, src->path)) == 0 &&
	    (error = hc_buf_printf(
		 &line, "%s, sha256 %s",
		 profile->site_tailoring ? " (site default)" : "",
		 src->secret ? "withheld (sets a secret)" : hex)) == 0)
		error = hc_report_para(out, line.ptr, 0, 2, opts);
	hc_buf_release(&line);
	return error;
}

/* The profile, its digest and its guards, after the counts. */
static int profile_text(struct hc_buf *out, const struct hc_profile *profile,
			const struct hc_text_opts *opts)
{
	struct hc_buf label = HC_BUF_INIT, line = HC_BUF_INIT;
	char hex[HC_SHA256_HEXLEN + 1];
	int error;

	hc_sha256_hex(hex, &profile->sha);
	if ((error = hc_profile_label(&label, profile)) == 0 &&
	    (error = hc_buf_puts(&line, "profile ")) == 0 &&
	    (error = hc_buf_puts_escaped(&line, label.ptr)) == 0 &&
	    (error = hc_buf_printf(&line, ", sha256 %s", hex)) == 0)
		error = hc_report_para(out, line.ptr, 0, 2, opts);
	if (error == 0)
		error = tailoring_text(out, profile, opts);
	if (error == 0 && profile->guards.accept_no_local_admin) {
		hc_buf_clear(&line);
		if ((error = hc_buf_puts(
			 &line, "guards: accept-no-local-admin: ")) == 0 &&
		    (error = hc_buf_puts_escaped(
			 &line, profile->guards.reason)) == 0 &&
		    (error = hc_buf_puts(&line,
					 " (the lockout check accepts a plan "
					 "that leaves no local "
					 "administrator)")) == 0)
			error = hc_report_para(out, line.ptr, 0, 2, opts);
	}
	hc_buf_release(&label);
	hc_buf_release(&line);
	return error;
}

int hc_report_check_text(struct hc_buf *out, const struct hc_profile *profile,
			 const struct hc_findings *findings,
			 const struct hc_text_opts *opts)
{
	struct hc_summary sum;
	size_t idw = 0;
	int error = 0;

	for (size_t i = 0; i < findings->n; i++) {
		size_t len = strlen(findings->v[i].rule->id);

		idw = len > idw ? len : idw;
	}
	for (size_t i = 0; i < findings->n && error == 0; i++)
		if (!opts->quiet || alarming(&findings->v[i]))
			error = finding_text(out, &findings->v[i], idw, opts);
	if (error < 0 || opts->quiet)
		return error;
	hc_summary_compute(&sum, findings);
	if ((error = summary_text(out, &sum, opts)) == 0)
		error = profile_text(out, profile, opts);
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

/*
 * STR as XML character data or attribute value: the SECRETS (or NULL)
 * masked first, then escaped, valid UTF-8.  Each value is masked on its
 * own: masked whole, a secret from ROOT such as "testcase" or "=\""
 * would rewrite the document's own markup.
 */
static int xml_put(struct hc_buf *out, const struct hc_strlist *secrets,
		   const char *str)
{
	struct hc_buf tmp = HC_BUF_INIT;
	const unsigned char *s;
	size_t len;
	int error = hc_buf_puts(&tmp, str ? str : "");

	if (error == 0 && secrets)
		error = hc_mask(&tmp, secrets);
	s = (const unsigned char *)hc_buf_cstr(&tmp);
	len = tmp.size;
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
	hc_buf_release(&tmp);
	return error;
}

/* <NAME a="v" ...: attributes from pairs of strings, NULL-terminated. */
static int xml_open(struct hc_buf *out, const struct hc_strlist *secrets,
		    const char *indent, const char *name,
		    const char *const *attrs, bool empty)
{
	int error = hc_buf_printf(out, "%s<%s", indent, name);

	for (size_t i = 0; attrs && attrs[i] && error == 0; i += 2)
		if ((error = hc_buf_printf(out, " %s=\"", attrs[i])) == 0 &&
		    (error = xml_put(out, secrets, attrs[i + 1])) == 0)
			error = hc_buf_puts(out, "\"");
	return error ? error : hc_buf_puts(out, empty ? "/>\n" : ">");
}

/* The text of a failure: each piece of evidence on its line. */
static int junit_evidence(struct hc_buf *out, const struct hc_strlist *secrets,
			  const struct hc_finding *f)
{
	struct hc_buf text = HC_BUF_INIT;
	int error = 0;

	for (size_t i = 0; i < f->nev && error == 0; i++)
		error = evidence_text(&text, &f->ev[i], "");
	if (error == 0)
		error = xml_put(out, secrets, hc_buf_cstr(&text));
	hc_buf_release(&text);
	return error;
}

static int junit_case(struct hc_buf *out, const struct hc_strlist *secrets,
		      const struct hc_finding *f)
{
	char classname[128];
	const char *dot = strchr(f->rule->id, '.');
	struct hc_buf msg = HC_BUF_INIT;
	int error;

	snprintf(
	    classname, sizeof(classname), "hardctl.%.*s",
	    (int)(dot ? dot - f->rule->id : (ptrdiff_t)strlen(f->rule->id)),
	    f->rule->id);
	/* The rule's id is the profile's, never a secret: kept whole. */
	if ((error = xml_open(out, NULL, "    ", "testcase",
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
			 out, secrets, "      ", "failure",
			 (const char *const[]){"message", msg.ptr, "type",
					       hc_status_name(f->status), NULL},
			 false)) == 0 &&
		    (error = junit_evidence(out, secrets, f)) == 0)
			error = hc_buf_puts(out, "</failure>\n");
		break;
	case HC_STATUS_ERROR:
		error = xml_open(out, secrets, "      ", "error",
				 (const char *const[]){"message", msg.ptr,
						       "type", "ERROR", NULL},
				 true);
		break;
	default: /* N/A, WAIVED */
		error = xml_open(
		    out, secrets, "      ", "skipped",
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
		    xml_open(out, meta->secrets, "      ", "property",
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
		 out, NULL, "", "testsuites",
		 (const char *const[]){"name", "hardctl check", "tests", tests,
				       "failures", failures, "errors", errors,
				       "skipped", skipped, "time", "0", NULL},
		 false)) < 0 ||
	    (error = hc_buf_puts(out, "\n")) < 0 ||
	    (error =
		 xml_open(out, meta->secrets, "  ", "testsuite",
			  (const char *const[]){
			      "name", label.ptr, "tests", tests, "failures",
			      failures, "errors", errors, "skipped", skipped,
			      "time", "0", "timestamp", meta->time, "hostname",
			      meta->host ? meta->host : "", NULL},
			  false)) < 0 ||
	    (error = junit_properties(out, meta, &sum, label.ptr)) < 0)
		goto out;
	for (size_t i = 0; i < findings->n && error == 0; i++)
		error = junit_case(out, meta->secrets, &findings->v[i]);
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
