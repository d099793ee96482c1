/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Check and plan reports (see hardctl/report.h).
 */
#include <stdio.h>
#include <string.h>
#include "hardctl/diff.h"
#include "hardctl/hash.h"
#include "hardctl/plan.h"
#include "hardctl/profile.h"
#include "hardctl/report.h"

#define MASK "********"

int hc_mask(struct hc_buf *text, const struct hc_strlist *secrets)
{
	struct hc_buf out = HC_BUF_INIT;
	int error = 0;

	for (size_t i = 0; i < secrets->n && error == 0; i++) {
		const char *secret = secrets->v[i], *p = hc_buf_cstr(text), *hit;
		size_t len = strlen(secret);

		if (len == 0 || strstr(p, secret) == NULL)
			continue;
		hc_buf_clear(&out);
		while (error == 0 && (hit = strstr(p, secret)) != NULL) {
			if ((error = hc_buf_put(&out, p, (size_t)(hit - p))) == 0)
				error = hc_buf_puts(&out, MASK);
			p = hit + len;
		}
		if (error == 0 && (error = hc_buf_puts(&out, p)) == 0) {
			explicit_bzero(text->ptr, text->size);
			error = hc_buf_set(text, out.ptr, out.size);
		}
	}
	if (out.ptr)
		explicit_bzero(out.ptr, out.asize);
	hc_buf_release(&out);
	return error;
}

void hc_summary_compute(struct hc_summary *out, const struct hc_findings *findings)
{
	size_t applicable;

	memset(out, 0, sizeof(*out));
	for (size_t i = 0; i < findings->n; i++) {
		switch (findings->v[i].status) {
		case HC_STATUS_PASS:
			out->pass++;
			break;
		case HC_STATUS_FAIL:
			out->fail++;
			break;
		case HC_STATUS_NA:
			out->na++;
			break;
		case HC_STATUS_ERROR:
			out->error++;
			break;
		}
	}
	applicable = out->pass + out->fail + out->error;
	out->score = applicable ? (int)(out->pass * 100 / applicable) : -1;
}

static const char *status_color(enum hc_status status)
{
	switch (status) {
	case HC_STATUS_PASS:
		return "\033[32m";
	case HC_STATUS_FAIL:
		return "\033[31m";
	case HC_STATUS_ERROR:
		return "\033[1;31m";
	case HC_STATUS_NA:
		break;
	}
	return "\033[2m";
}

static int evidence_text(struct hc_buf *out, const struct hc_evidence *ev)
{
	int error;

	if (ev->file == NULL)
		error = hc_buf_puts(out, "        ");
	else if (ev->line)
		error = hc_buf_printf(out, "        %s:%u: ", ev->file, ev->line);
	else
		error = hc_buf_printf(out, "        %s: ", ev->file);
	if (error == 0)
		error = hc_buf_printf(out, "%s", ev->found ? ev->found : "(nothing)");
	if (error == 0 && ev->expected)
		error = hc_buf_printf(out, "; expected %s", ev->expected);
	return error ? error : hc_buf_puts(out, "\n");
}

int hc_report_check_text(struct hc_buf *out, const struct hc_findings *findings,
			 bool color)
{
	struct hc_summary sum;
	int error = 0, width = 0;

	for (size_t i = 0; i < findings->n; i++) {
		int len = (int)strlen(findings->v[i].rule->id);

		width = len > width ? len : width;
	}
	for (size_t i = 0; i < findings->n && error == 0; i++) {
		const struct hc_finding *f = &findings->v[i];

		error = hc_buf_printf(out, "%s%-5s%s %-7s  %-*s  %s\n",
				      color ? status_color(f->status) : "",
				      hc_status_name(f->status), color ? "\033[0m" : "",
				      hc_severity_name(f->severity), width, f->rule->id,
				      f->rule->title);
		if (error == 0 && f->reason)
			error = hc_buf_printf(out, "        %s\n", f->reason);
		for (size_t j = 0; j < f->nev && error == 0; j++)
			if (f->status == HC_STATUS_FAIL)
				error = evidence_text(out, &f->ev[j]);
	}
	if (error < 0)
		return error;
	hc_summary_compute(&sum, findings);
	error = hc_buf_printf(out, "\n%zu rule%s: %zu pass, %zu fail, %zu n/a, %zu error",
			      findings->n, findings->n == 1 ? "" : "s", sum.pass, sum.fail,
			      sum.na, sum.error);
	if (error == 0 && sum.score >= 0)
		error = hc_buf_printf(out, "; score %d%%", sum.score);
	return error ? error : hc_buf_puts(out, "\n");
}

void hc_report_profile_json(struct hc_json *json, const struct hc_profile *profile)
{
	char hex[HC_SHA256_HEXLEN + 1];

	hc_sha256_hex(hex, &profile->sha);
	hc_json_key(json, "profile");
	hc_json_open(json, '{');
	hc_json_kv(json, "name", profile->name);
	hc_json_kv(json, "version", profile->version);
	hc_json_kv(json, "path", profile->path);
	hc_json_kv(json, "sha256", hex);
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
		hc_json_close(json, '{');
	}
	hc_json_close(json, '[');
	hc_json_key(json, "references");
	hc_json_open(json, '[');
	for (size_t i = 0; f->rule->refs && f->rule->refs[i]; i++)
		hc_json_str(json, f->rule->refs[i]);
	hc_json_close(json, '[');
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
	hc_json_key(json, "pass");
	hc_json_int(json, (long long)sum.pass);
	hc_json_key(json, "fail");
	hc_json_int(json, (long long)sum.fail);
	hc_json_key(json, "na");
	hc_json_int(json, (long long)sum.na);
	hc_json_key(json, "error");
	hc_json_int(json, (long long)sum.error);
	hc_json_key(json, "score");
	if (sum.score >= 0)
		hc_json_int(json, sum.score);
	else
		hc_json_null(json);
	hc_json_close(json, '{');
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
		if ((error = hc_diff_file(&diff, f->path, &f->before, &f->after)) < 0)
			break;
		snprintf(mode, sizeof(mode), "%04o", (unsigned int)f->after.mode);
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
		hc_json_kv(json, "rule", plan->steps[i].rule
						 ? plan->steps[i].rule->id : NULL);
		hc_json_kv(json, "path", plan->files[plan->steps[i].file].path);
		hc_json_close(json, '{');
	}
	hc_json_close(json, '[');
	hc_buf_release(&diff);
	return error;
}
