/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * "Did you mean": the closest of a few known words (commands, options,
 * rule ids) to a word the user mistyped.
 */
#ifndef HARDCTL_SUGGEST_H
#define HARDCTL_SUGGEST_H

#include <stddef.h>
#include "hardctl/buf.h"

/**
 * The optimal string alignment distance between A and B (the
 * Damerau-Levenshtein distance where no substring is edited twice):
 * insertions, deletions, substitutions and swaps of two neighbours
 * each cost 1.  Words longer than 64 bytes are never close: their
 * distance is SIZE_MAX.
 */
size_t hc_suggest_distance(const char *a, const char *b);

/**
 * Write into OUT (cleared first) what WORD most likely meant among the
 * N CANDIDATES: the one candidate WORD is a prefix of (at least two
 * letters), else the closest within a distance that grows with WORD's
 * length (1 up to 4 letters, then a third of its length).  Several at
 * the same distance are joined as "'a' or 'b'"; OUT is "" when none is
 * close enough.  Each candidate is quoted.  0 or HC_ERROR.
 */
int hc_suggest(struct hc_buf *out, const char *word,
	       const char *const *candidates, size_t n);

/**
 * Set the last error for a rule id no module has: "unknown rule 'ID';
 * did you mean 'X'?", or "unknown rule 'ID' (hardctl list shows the
 * rules)" when no rule id is close.  Returns HC_EINVALID, recorded.
 */
int hc_suggest_unknown_rule(const char *id);

#endif
