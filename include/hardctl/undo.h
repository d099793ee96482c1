/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Taking one change out of a file that changed again since, node by
 * node in its Augeas tree rather than line by line: two rules that edit
 * neighbouring lines of one file would make any line merge conflict.
 */
#ifndef HARDCTL_UNDO_H
#define HARDCTL_UNDO_H

#include <stdbool.h>
#include "buf.h"

struct hc_aug;

/**
 * Parse BEFORE, AFTER and LIVE with LENS, and take out of LIVE the change
 * from BEFORE to AFTER:
 *  - a node the change added is removed, where it still has the value
 *    the change gave it (its children go with it);
 *  - a value the change set is set back, where it is still as the
 *    change left it;
 *  - a leaf the change removed is put back after the node it followed.
 * Nodes are matched by identity, never by position: an entry by its
 * own content (its label, value and everything under it, a number
 * label, which some lenses give entries by position, counting as
 * none); a named label left once on each side as one node whose value
 * changed; an entry with children (a PAM line) by the most children it
 * shares.  So entries added, removed or moved since (by hand, or by a
 * later transaction) are kept where they are; a removed entry comes
 * back after the one it followed.  A node the change touched that
 * changed again since makes *clean false, and OUT is left alone.
 * Otherwise OUT receives LIVE, rendered.
 * NAME is the file to blame in errors.
 *
 * @return 0, or a negative code (HC_EPARSE when a text does not parse).
 */
int hc_undo_nodes(struct hc_buf *out, bool *clean, struct hc_aug *aug,
		  const char *lens, const char *name,
		  const struct hc_buf *before, const struct hc_buf *after,
		  const struct hc_buf *live);

#endif
