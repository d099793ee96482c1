/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Findings and their evidence (see hardctl/finding.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "hardctl/buf.h"
#include "hardctl/finding.h"

static char *dup_or_null(const char *s, int *error)
{
	char *copy;

	if (s == NULL)
		return NULL;
	if ((copy = hc_strdup(s)) == NULL)
		*error = HC_ERROR;
	return copy;
}

int hc_finding_evidence(struct hc_finding *f, const char *file,
			unsigned int line, const char *found,
			const char *expected)
{
	struct hc_evidence *ev, *v;
	int error = 0;

	if ((v = reallocarray(f->ev, f->nev + 1, sizeof(*v))) == NULL)
		return hc_error_oom();
	f->ev = v;
	ev = &f->ev[f->nev];
	ev->file = dup_or_null(file, &error);
	ev->line = line;
	ev->found = dup_or_null(found, &error);
	ev->expected = dup_or_null(expected, &error);
	if (error < 0) {
		free(ev->file);
		free(ev->found);
		free(ev->expected);
		return error;
	}
	f->nev++;
	return 0;
}

int hc_finding_fail(struct hc_finding *f, const char *file, unsigned int line,
		    const char *found, const char *expected)
{
	f->status = HC_STATUS_FAIL;
	return hc_finding_evidence(f, file, line, found, expected);
}

int hc_finding_na(struct hc_finding *f, const char *fmt, ...)
{
	struct hc_buf reason = HC_BUF_INIT;
	va_list ap;
	int error;

	va_start(ap, fmt);
	error = hc_buf_vprintf(&reason, fmt, ap);
	va_end(ap);
	if (error < 0)
		return error;
	free(f->reason);
	f->reason = hc_buf_detach(&reason);
	f->status = HC_STATUS_NA;
	return 0;
}

int hc_finding_error(struct hc_finding *f)
{
	const struct hc_error *e = hc_error_last();
	struct hc_buf reason = HC_BUF_INIT;
	int error;

	if (e->file[0] && e->line)
		error = hc_buf_printf(&reason, "%s:%u: %s", e->file, e->line,
				      e->message);
	else if (e->file[0])
		error = hc_buf_printf(&reason, "%s: %s", e->file, e->message);
	else
		error = hc_buf_puts(&reason, e->message);
	if (error < 0)
		return error;
	free(f->reason);
	f->reason = hc_buf_detach(&reason);
	f->status = HC_STATUS_ERROR;
	return 0;
}

void hc_finding_clear(struct hc_finding *f)
{
	for (size_t i = 0; i < f->nev; i++) {
		free(f->ev[i].file);
		free(f->ev[i].found);
		free(f->ev[i].expected);
	}
	free(f->ev);
	free(f->reason);
	free(f->fix_note);
	f->ev = NULL;
	f->nev = 0;
	f->reason = NULL;
	f->fix = HC_FIX_NONE;
	f->fix_note = NULL;
	f->status = HC_STATUS_PASS;
}

int hc_findings_add(struct hc_finding **out, struct hc_findings *list,
		    const struct hc_rule *rule, enum hc_severity severity)
{
	if (list->n == list->alloc) {
		size_t alloc = list->alloc ? list->alloc * 2 : 16;
		struct hc_finding *v = reallocarray(list->v, alloc, sizeof(*v));

		if (v == NULL)
			return hc_error_oom();
		list->v = v;
		list->alloc = alloc;
	}
	*out = &list->v[list->n++];
	memset(*out, 0, sizeof(**out));
	(*out)->rule = rule;
	(*out)->severity = severity;
	(*out)->status = HC_STATUS_PASS;
	return 0;
}

void hc_findings_release(struct hc_findings *list)
{
	for (size_t i = 0; i < list->n; i++)
		hc_finding_clear(&list->v[i]);
	free(list->v);
	list->v = NULL;
	list->n = list->alloc = 0;
}

const char *hc_status_name(enum hc_status status)
{
	switch (status) {
	case HC_STATUS_PASS:
		return "PASS";
	case HC_STATUS_FAIL:
		return "FAIL";
	case HC_STATUS_NA:
		return "N/A";
	case HC_STATUS_ERROR:
		return "ERROR";
	case HC_STATUS_WAIVED:
		return "WAIVED";
	case HC_STATUS_DRIFTED:
		return "DRIFTED";
	}
	return "?";
}
