/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Reports of findings and plans, as text or JSON, written into buffers
 * (the command layer prints them).
 */
#ifndef HARDCTL_REPORT_H
#define HARDCTL_REPORT_H

#include <stdbool.h>
#include "buf.h"
#include "finding.h"
#include "json.h"

struct hc_plan;
struct hc_profile;

/**
 * Replace every occurrence of each of SECRETS in TEXT with "********".
 * Every output made from a context that registered secrets goes
 * through this before it is shown.  0 or HC_ERROR.
 */
int hc_mask(struct hc_buf *text, const struct hc_strlist *secrets);

/** Counts of a check's outcome. */
struct hc_summary {
	size_t pass, fail, na, error;
	int score; /* percent of applicable rules that pass; -1 if none apply */
};

void hc_summary_compute(struct hc_summary *out, const struct hc_findings *findings);

/** One line per rule, the evidence of failures under it, then the summary. */
int hc_report_check_text(struct hc_buf *out, const struct hc_findings *findings,
			 bool color);

/** "profile": {name, version, path, sha256} as a key of the current object. */
void hc_report_profile_json(struct hc_json *json, const struct hc_profile *profile);

/** "results": [...] and "summary": {...} as keys of the current object. */
void hc_report_findings_json(struct hc_json *json,
			     const struct hc_findings *findings);

/** "files": [...] and "steps": [...]: what PLAN changes, with diffs. */
int hc_report_plan_json(struct hc_json *json, const struct hc_plan *plan);

#endif
