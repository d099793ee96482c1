/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unified diffs of file contents, through libgit2's patch-from-buffers,
 * with git's headers for files created or removed and for mode changes.
 * libgit2 must be initialised (the command layer does it).
 */
#ifndef HARDCTL_DIFF_H
#define HARDCTL_DIFF_H

#include <stdbool.h>
#include <sys/types.h>
#include "buf.h"

struct hc_plan;

/** One side of a diff: a file's bytes and mode, or its absence. */
struct hc_diff_side {
	bool exists;
	const struct hc_buf *data;
	mode_t mode;
};

/**
 * Append the diff of PATH (inside ROOT) from OLD to NEW to OUT; nothing
 * when both sides are equal.  0 or HC_ERROR.
 */
int hc_diff_file(struct hc_buf *out, const char *path,
		 const struct hc_diff_side *old, const struct hc_diff_side *new);

/** Append the diff of every file PLAN changes, in plan order. */
int hc_diff_plan(struct hc_buf *out, const struct hc_plan *plan);

#endif
