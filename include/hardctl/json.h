/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A small streaming JSON writer into a buffer.  Errors are sticky: the
 * calls do nothing once one failed, and hc_json_finish() reports it, so
 * a report is written without a check after every value.
 */
#ifndef HARDCTL_JSON_H
#define HARDCTL_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include "buf.h"

#define HC_JSON_MAX_DEPTH 32

struct hc_json {
	struct hc_buf *out;
	int error;
	int depth;
	bool first[HC_JSON_MAX_DEPTH]; /* nothing written yet at this level */
	bool after_key;
};

void hc_json_init(struct hc_json *json, struct hc_buf *out);

/** Open an object ('{') or an array ('['); close it with the same char. */
void hc_json_open(struct hc_json *json, char kind);
void hc_json_close(struct hc_json *json, char kind);

/**
 * Open the top-level object of a document hardctl prints: '{' and its
 * first member, "hardctl_version" (HARDCTL_VERSION), which every JSON
 * output carries.  Close it with hc_json_close(json, '{').
 */
void hc_json_open_document(struct hc_json *json);

/** The key of the next value in the current object. */
void hc_json_key(struct hc_json *json, const char *key);

/**
 * A string value; NULL writes null.  Bytes that are not UTF-8 are
 * written as U+FFFD, so the output is always valid JSON.
 */
void hc_json_str(struct hc_json *json, const char *str);
void hc_json_strn(struct hc_json *json, const char *str, size_t len);
void hc_json_int(struct hc_json *json, long long value);
void hc_json_bool(struct hc_json *json, bool value);
void hc_json_null(struct hc_json *json);

/** A key and a string value together. */
void hc_json_kv(struct hc_json *json, const char *key, const char *str);

/** 0, or the first error (the last error is set). Appends a newline. */
int hc_json_finish(struct hc_json *json);

#endif
