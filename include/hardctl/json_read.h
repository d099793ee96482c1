/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A small JSON reader: a document into a tree of values, for commands
 * that read what hardctl wrote (hardctl report reads check reports).
 */
#ifndef HARDCTL_JSON_READ_H
#define HARDCTL_JSON_READ_H

#include <stdbool.h>
#include <stddef.h>

/* Deeper nesting is refused: a check report is 5 levels deep. */
#define HC_JV_MAX_DEPTH 64
/*
 * More values are refused, so that a wrong file's tree stays small (a
 * value takes some 80 bytes; a check report of 100 rules has ~2000).
 */
#define HC_JV_MAX_VALUES 1000000

enum hc_jv_type {
	HC_JV_NULL,
	HC_JV_BOOL,
	HC_JV_NUMBER,
	HC_JV_STRING,
	HC_JV_ARRAY,
	HC_JV_OBJECT,
};

/** One value; an object's members carry their names in KEY. */
struct hc_jv {
	enum hc_jv_type type;
	char *key; /* the member's name in its object; NULL elsewhere */
	bool boolean;
	double number;
	char *str;       /* a string's bytes, UTF-8, no NUL inside */
	struct hc_jv *v; /* an array's elements, an object's members */
	size_t n;
	unsigned int line; /* where the value starts, from 1 */
};

/**
 * Parse the LEN bytes of TEXT as one JSON document (RFC 8259; a
 * string's \u0000 and invalid UTF-8 are refused).  NAME is the file the
 * error blames, with the line.  HC_EPARSE when it does not parse or
 * nests deeper than HC_JV_MAX_DEPTH or holds more than
 * HC_JV_MAX_VALUES values; *out is NULL on failure, else the
 * caller frees it with hc_jv_free().
 */
int hc_jv_parse(struct hc_jv **out, const char *text, size_t len,
		const char *name);

/** OBJ's member KEY (the last if repeated), or NULL; NULL-safe. */
const struct hc_jv *hc_jv_get(const struct hc_jv *obj, const char *key);

/** OBJ's member KEY as a string, or NULL when absent or not a string. */
const char *hc_jv_str(const struct hc_jv *obj, const char *key);

void hc_jv_free(struct hc_jv *value);

#endif
