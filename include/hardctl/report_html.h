/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Reports for people: one self-contained HTML page (inline CSS and SVG,
 * no script, nothing fetched), for one host's check or for a fleet's
 * check reports merged.  Written into a buffer; the command prints it.
 */
#ifndef HARDCTL_REPORT_HTML_H
#define HARDCTL_REPORT_HTML_H

#include <stdbool.h>
#include "buf.h"
#include "finding.h"
#include "report.h"

/** What a check's page says besides the findings. */
struct hc_html_check {
	const struct hc_report_meta *meta;
	const struct hc_strlist *skipped; /* rules left out; may be NULL */
	const char *drift_note; /* why DRIFTED is unknown; NULL: known */
	/* masked in every value before it is escaped; or NULL */
	const struct hc_strlist *secrets;
};

/**
 * The page of a check: host, root, time; the profile, its SHA-256 and
 * its sources; the counts per status, a bar per severity and status in
 * inline SVG; filters by status and severity (CSS checkboxes, no
 * script); a table row per rule with status, severity, id, title,
 * reason and evidence; the waivers.  Every value is escaped by one
 * function, after masking.  0 or HC_ERROR.
 */
int hc_report_check_html(struct hc_buf *out, const struct hc_html_check *page,
			 const struct hc_findings *findings);

/** One host's check report, as hc_fleet_add() read it. */
struct hc_fleet_host {
	char *file; /* the report's file name, as given */
	char *host, *root, *time, *profile, *sha256; /* NULL: not said */
	int score;                                   /* -1: none */
	size_t count[HC_STATUS_COUNT];
	size_t total;
};

/** A rule in one host's report (the page merges them by id). */
struct hc_fleet_rule {
	char *id, *title, *severity;
	size_t host;  /* index in hc_fleet::hosts */
	bool failing; /* FAIL or DRIFTED there */
};

struct hc_fleet {
	struct hc_fleet_host *hosts;
	size_t nhosts, ahosts;
	struct hc_fleet_rule *rules;
	size_t nrules, arules;
};

/**
 * Add the check report TEXT (LEN bytes, the JSON of "hardctl check
 * --format json"), read from FILE, to FLEET.  HC_EPARSE, the error
 * naming FILE (and the line when the JSON does not parse), when it is
 * not JSON or not a check report; FLEET is then unchanged.
 */
int hc_fleet_add(struct hc_fleet *fleet, const char *file, const char *text,
		 size_t len);

void hc_fleet_release(struct hc_fleet *fleet);

/**
 * The fleet's page: the hosts by score (lowest first, those without a
 * score last) with their counts and a bar each, then the rules by how
 * many hosts fail them (most first).  0 or HC_ERROR.
 */
int hc_report_fleet_html(struct hc_buf *out, const struct hc_fleet *fleet);

#endif
