/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Did-you-mean, as git's help.c does for a mistyped command: an edit
 * distance where a swap of two neighbours counts as one typo, a
 * threshold that grows with the word, and a unique prefix taken as the
 * intent.  Candidates are few (tens): a full table per pair is cheap.
 */
#include <stdint.h>
#include <string.h>
#include "hardctl/module.h"
#include "hardctl/suggest.h"

#define MAX_WORD 64

static size_t min3(size_t a, size_t b, size_t c)
{
	size_t m = a < b ? a : b;

	return m < c ? m : c;
}

size_t hc_suggest_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	/* d[i][j]: distance between a's first i bytes and b's first j. */
	static _Thread_local size_t d[MAX_WORD + 1][MAX_WORD + 1];

	if (la > MAX_WORD || lb > MAX_WORD)
		return SIZE_MAX;
	for (size_t i = 0; i <= la; i++)
		d[i][0] = i;
	for (size_t j = 0; j <= lb; j++)
		d[0][j] = j;
	for (size_t i = 1; i <= la; i++) {
		for (size_t j = 1; j <= lb; j++) {
			size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;

			d[i][j] = min3(d[i - 1][j] + 1, d[i][j - 1] + 1,
				       d[i - 1][j - 1] + cost);
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
			    a[i - 2] == b[j - 1] &&
			    d[i - 2][j - 2] + 1 < d[i][j])
				d[i][j] = d[i - 2][j - 2] + 1;
		}
	}
	return d[la][lb];
}

/* How far a word of LEN bytes may be from what it meant. */
static size_t threshold(size_t len)
{
	return len <= 4 ? 1 : len / 3;
}

static int quote_all(struct hc_buf *out, const char *const *candidates,
		     size_t n, const size_t *score, size_t best)
{
	bool first = true;
	int error = 0;

	for (size_t i = 0; i < n && error == 0; i++) {
		if (score[i] != best)
			continue;
		error = hc_buf_printf(out, "%s'%s'", first ? "" : " or ",
				      candidates[i]);
		first = false;
	}
	return error;
}

int hc_suggest(struct hc_buf *out, const char *word,
	       const char *const *candidates, size_t n)
{
	size_t len = strlen(word), best = SIZE_MAX, prefixed = 0, which = 0;
	size_t score[128];

	hc_buf_clear(out);
	if (n > HC_ARRAY_SIZE(score))
		n = HC_ARRAY_SIZE(score);
	for (size_t i = 0; i < n; i++) {
		if (len >= 2 && strncmp(candidates[i], word, len) == 0) {
			prefixed++;
			which = i;
		}
		score[i] = hc_suggest_distance(word, candidates[i]);
		if (score[i] < best)
			best = score[i];
	}
	if (prefixed == 1)
		return hc_buf_printf(out, "'%s'", candidates[which]);
	if (len == 0 || best > threshold(len))
		return 0;
	return quote_all(out, candidates, n, score, best);
}

int hc_suggest_unknown_rule(const char *id)
{
	struct hc_buf guess = HC_BUF_INIT;
	const char *ids[128];
	size_t n = 0;

	for (size_t m = 0; hc_modules[m]; m++)
		for (const struct hc_rule *r = hc_modules[m]->rules;
		     r->id && n < HC_ARRAY_SIZE(ids); r++)
			ids[n++] = r->id;
	if (hc_suggest(&guess, id, ids, n) == 0 && guess.size)
		hc_error_set("unknown rule '%s'; did you mean %s?", id,
			     guess.ptr);
	else
		hc_error_set("unknown rule '%s' (hardctl list shows the rules)",
			     id);
	hc_buf_release(&guess);
	return hc_error_set_code(HC_EINVALID);
}
