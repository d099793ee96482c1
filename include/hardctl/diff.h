/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unified diffs of file contents, through libgit2's patch-from-buffers,
 * with git's headers for files created or removed and for mode changes.
 * libgit2 must be initialised (the command layer does it).
 */
#ifndef HARDCTL_DIFF_H
#define HARDCTL_DIFF_H

#include "buf.h"

struct hc_file_state;
struct hc_plan;

/**
 * Append the diff of PATH (inside ROOT) from OLD to NEW to OUT; nothing
 * when both are equal.  A change of mode shows as git's "old mode" and
 * "new mode" lines, a change of owner as "old owner UID:GID" and "new
 * owner UID:GID" lines of hardctl's own.  0 or HC_ERROR.
 */
int hc_diff_file(struct hc_buf *out, const char *path,
		 const struct hc_file_state *old,
		 const struct hc_file_state *new);

/**
 * Colour, as git does, the unified diffs TEXT holds from byte START on:
 * header lines bold, hunk headers cyan, removed lines red, added lines
 * green.  Lines are told apart by where they stand (a removed line
 * "-- x" in a hunk is no header), and each colour ends on its line.
 * 0 or HC_ERROR (TEXT unchanged then).
 */
int hc_diff_color(struct hc_buf *text, size_t start);

/** Append the diff of every file PLAN changes, in plan order. */
int hc_diff_plan(struct hc_buf *out, const struct hc_plan *plan);

#endif
