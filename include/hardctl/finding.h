/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The outcome of checking one rule, with the evidence behind it.
 */
#ifndef HARDCTL_FINDING_H
#define HARDCTL_FINDING_H

#include <stddef.h>
#include "common.h"
#include "module.h"

enum hc_status {
	HC_STATUS_PASS,
	HC_STATUS_FAIL,
	HC_STATUS_NA,     /* the rule does not apply to this host */
	HC_STATUS_ERROR,  /* the rule could not be checked */
	HC_STATUS_WAIVED, /* a waiver in force: not checked, never remediated */
	HC_STATUS_DRIFTED, /* fails, though hardctl applied it: changed since */
};

#define HC_STATUS_COUNT 6

struct hc_waiver;

/** Where a rule looked and what it found there. */
struct hc_evidence {
	char *file;        /* inside ROOT; NULL: the host as a whole */
	unsigned int line; /* 0: the file as a whole, or not present */
	char *found;       /* what is there; NULL if nothing */
	char *expected;    /* what the rule wants; NULL on a pass */
};

/** How a failing rule gets fixed (hardctl check says it under each FAIL). */
enum hc_fix {
	HC_FIX_NONE,   /* not failing, or not known */
	HC_FIX_APPLY,  /* apply fixes this */
	HC_FIX_CANNOT, /* apply cannot: fix_note says why and the way out */
	HC_FIX_MANUAL, /* report only: fix_note says what to do by hand */
};

struct hc_finding {
	const struct hc_rule *rule;
	enum hc_severity
	    severity; /* the profile's, which may override the rule's */
	enum hc_status status;
	char *reason; /* why N/A or WAIVED, the ERROR's message, or a note */
	const struct hc_waiver
	    *waiver; /* the profile's, in force or not; or NULL */
	struct hc_evidence *ev;
	size_t nev;
	enum hc_fix fix;
	char *fix_note; /* owned, freed by hc_finding_clear */
};

struct hc_findings {
	struct hc_finding *v;
	size_t n;
	size_t alloc;
};

/** Append evidence without changing the status. 0 or HC_ERROR. */
int hc_finding_evidence(struct hc_finding *f, const char *file,
			unsigned int line, const char *found,
			const char *expected);

/** Mark the finding failed, with evidence. 0 or HC_ERROR. */
int hc_finding_fail(struct hc_finding *f, const char *file, unsigned int line,
		    const char *found, const char *expected);

/** Mark the finding not applicable, saying why. 0 or HC_ERROR. */
int hc_finding_na(struct hc_finding *f, const char *fmt, ...) HC_PRINTF(2, 3);

/** Mark the finding ERROR with the last error's file, line and message. */
int hc_finding_error(struct hc_finding *f);

/** Free what the finding holds and reset it. */
void hc_finding_clear(struct hc_finding *f);

/** Append a new PASS finding for RULE; *out points at it. */
int hc_findings_add(struct hc_finding **out, struct hc_findings *list,
		    const struct hc_rule *rule, enum hc_severity severity);

void hc_findings_release(struct hc_findings *list);

const char *hc_status_name(enum hc_status status);

#endif
