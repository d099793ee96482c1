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
#include "mask.h"

struct hc_plan;
struct hc_profile;

/** Counts of a check's outcome. */
struct hc_summary {
	size_t total;
	size_t count[HC_STATUS_COUNT];          /* by status */
	size_t by_severity[4][HC_STATUS_COUNT]; /* by severity, then status */
	/* percent of applicable, non-waived rules that pass, rounded down; -1:
	 * none */
	int score;
};

/** What a check report says besides its findings. */
struct hc_report_meta {
	const char *host; /* ROOT's /etc/hostname; NULL: unknown */
	const char *root;
	const char *time; /* when, ISO 8601 in UTC */
	const struct hc_profile *profile;
};

void hc_summary_compute(struct hc_summary *out,
			const struct hc_findings *findings);

/**
 * One line per rule, the reason or waiver and the evidence of failures
 * under it, then the summary: counts per status, the score, counts per
 * severity, and the profile with its SHA-256.
 */
int hc_report_check_text(struct hc_buf *out, const struct hc_profile *profile,
			 const struct hc_findings *findings, bool color);

/** "profile": {name, version, path, sha256} as a key of the current object. */
void hc_report_profile_json(struct hc_json *json,
			    const struct hc_profile *profile);

/** "results": [...] and "summary": {...} as keys of the current object. */
void hc_report_findings_json(struct hc_json *json,
			     const struct hc_findings *findings);

/**
 * JUnit XML: one test suite, the profile; one test case per rule.
 * FAIL and DRIFTED are failures, ERROR an error, N/A and WAIVED
 * skipped.
 */
int hc_report_check_junit(struct hc_buf *out, const struct hc_report_meta *meta,
			  const struct hc_findings *findings);

/** "files": [...] and "steps": [...]: what PLAN changes, with diffs. */
int hc_report_plan_json(struct hc_json *json, const struct hc_plan *plan);

#endif
