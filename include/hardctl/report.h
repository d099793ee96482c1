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
	/* JUnit: masked in each value before it is escaped; or NULL */
	const struct hc_strlist *secrets;
};

/** How a text report is laid out (the command layer decides). */
struct hc_text_opts {
	size_t width; /* columns no line exceeds but for a longer word */
	bool color;   /* statuses in colour */
	bool quiet;   /* only FAIL, DRIFTED and ERROR, and no summary */
	/* masked before lines are wrapped, so no break splits one; or NULL */
	const struct hc_strlist *secrets;
};

void hc_summary_compute(struct hc_summary *out,
			const struct hc_findings *findings);

/**
 * One row per rule (status, severity, id, title; the title wrapped under
 * its column, or under the id when WIDTH leaves it too little room), the
 * reason or waiver under it, and under a FAIL or DRIFTED how it is fixed
 * ("fix: ...") and its evidence, marked "fails:" (the part with an
 * expected value) or "holds:"; then the summary: counts per status, the
 * score, counts per severity, and the profile with its SHA-256.  Every
 * line is wrapped to OPTS->width at spaces, never cut.
 */
int hc_report_check_text(struct hc_buf *out, const struct hc_profile *profile,
			 const struct hc_findings *findings,
			 const struct hc_text_opts *opts);

/**
 * Append TEXT (escaped already: no control character) to OUT as one
 * paragraph: masked with OPTS->secrets, wrapped to OPTS->width from
 * column COL, further lines indented by INDENT, then a newline.
 */
int hc_report_para(struct hc_buf *out, const char *text, size_t col,
		   size_t indent, const struct hc_text_opts *opts);

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
