/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Drift: how a managed file under ROOT differs from what the store
 * recorded of it, and which failing rules hardctl had applied.  Reads
 * the store's state file only (no libgit2).
 */
#ifndef HARDCTL_DRIFT_H
#define HARDCTL_DRIFT_H

#include <stdbool.h>
#include "finding.h"
#include "manifest.h"

struct hc_root;

/** How a file differs from its manifest entry. */
struct hc_drift {
	const char *path;
	const char *change; /* "modified", "deleted", "created" */
	bool content, mode, owner;
	struct hc_manifest_entry now; /* the live state (no path, no rules) */
};

/**
 * Compare the file E names, as it is under ROOT, with E.  *drifted says
 * whether it differs.  0, or the error reading it.
 */
int hc_drift_compare(struct hc_drift *d, bool *drifted, struct hc_root *root,
		     const struct hc_manifest_entry *e);

/**
 * Turn into DRIFTED each failing finding whose rule hardctl applied
 * (per the state file of the store at STORE_PATH) to a file changed
 * since, with that file as evidence.  Without a state file (nothing
 * applied yet) nothing changes.  0, or HC_EPARSE for a malformed state
 * file, HC_EUNSAFE when the store is not the caller's to read (which
 * rules drifted is then unknown: nothing changes), HC_ERROR.
 */
int hc_drift_mark(struct hc_findings *findings, struct hc_root *root,
		  const char *store_path);

#endif
