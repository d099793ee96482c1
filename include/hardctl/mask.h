/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Secret masking, a core service every output goes through: the values
 * a context registered (hc_ctx_secret), and the secrets a file's syntax
 * carries wherever the text comes from (a diff read back from the store
 * has no rules run over it to name its secrets).  Modules declare where
 * their files' lines hold secrets (struct hc_line_secret, in their
 * struct hc_module); the masking runs here.
 */
#ifndef HARDCTL_MASK_H
#define HARDCTL_MASK_H

#include <stddef.h>
#include "buf.h"

/** What a masked secret shows as. */
#define HC_MASK "********"

/**
 * Replace every occurrence of each of SECRETS in TEXT with HC_MASK, as
 * written and as JSON escapes it.  Every output made from a context
 * that registered secrets goes through this before it is shown.  The
 * old text is wiped.  0 or HC_ERROR (TEXT unchanged then).
 */
int hc_mask(struct hc_buf *text, const struct hc_strlist *secrets);

/**
 * hc_mask() for a JSON document hardctl wrote: only in its string
 * values, each decoded, masked and written again, never in its names
 * or its syntax, so that a secret of a host that is also one of the
 * document's words ("results", "\":\"") leaves its shape alone.
 * 0 or HC_ERROR (TEXT unchanged then).
 */
int hc_mask_json(struct hc_buf *text, const struct hc_strlist *secrets);

/**
 * Mask, in the diff of file PATH that TEXT holds from byte START on,
 * the secrets the syntax of PATH's lines carries (as the modules'
 * hc_line_secret tables find them): in added, removed and context
 * lines, and in the text git puts after a hunk header ("@@ ... @@
 * LINE", a line of the file).  0 or HC_ERROR (TEXT unchanged then).
 */
int hc_mask_diff(struct hc_buf *text, size_t start, const char *path);

/**
 * Mask the secrets of one line of file PATH (no newline), LINE of SIZE
 * bytes, appending the result to OUT.  0 or HC_ERROR.
 */
int hc_mask_line(struct hc_buf *out, const char *path, const char *line,
		 size_t size);

#endif
