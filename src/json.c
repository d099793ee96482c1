/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The JSON writer (see hardctl/json.h).
 */
#include <stdio.h>
#include <string.h>
#include "hardctl/json.h"

void hc_json_init(struct hc_json *json, struct hc_buf *out)
{
	memset(json, 0, sizeof(*json));
	json->out = out;
	json->first[0] = true;
}

static void put(struct hc_json *json, const char *s, size_t len)
{
	if (json->error == 0)
		json->error = hc_buf_put(json->out, s, len);
}

/* Separate a value from the one before it, unless it follows its key. */
static void begin_value(struct hc_json *json)
{
	if (json->after_key) {
		json->after_key = false;
		return;
	}
	if (!json->first[json->depth])
		put(json, ",", 1);
	json->first[json->depth] = false;
}

void hc_json_open(struct hc_json *json, char kind)
{
	begin_value(json);
	if (json->depth + 1 >= HC_JSON_MAX_DEPTH) {
		if (json->error == 0) {
			hc_error_set("JSON nested deeper than %d",
				     HC_JSON_MAX_DEPTH);
			json->error = HC_ERROR;
		}
		return;
	}
	put(json, &kind, 1);
	json->first[++json->depth] = true;
}

void hc_json_open_document(struct hc_json *json)
{
	hc_json_open(json, '{');
	hc_json_kv(json, "hardctl_version", HARDCTL_VERSION);
}

void hc_json_close(struct hc_json *json, char kind)
{
	char c = kind == '{' ? '}' : ']';

	if (json->depth > 0)
		json->depth--;
	put(json, &c, 1);
}

void hc_json_strn(struct hc_json *json, const char *str, size_t len)
{
	const unsigned char *s = (const unsigned char *)str;

	begin_value(json);
	put(json, "\"", 1);
	for (size_t i = 0; i < len && json->error == 0;) {
		size_t n = hc_utf8_len(s + i, len - i);
		char esc[8];

		if (n == 0) {
			put(json, "\\ufffd", 6);
			i++;
			continue;
		}
		if (s[i] == '"' || s[i] == '\\') {
			esc[0] = '\\';
			esc[1] = (char)s[i];
			put(json, esc, 2);
		} else if (s[i] == '\n') {
			put(json, "\\n", 2);
		} else if (s[i] == '\t') {
			put(json, "\\t", 2);
		} else if (s[i] < 0x20 || s[i] == 0x7f) {
			snprintf(esc, sizeof(esc), "\\u%04x",
				 (unsigned int)s[i]);
			put(json, esc, 6);
		} else {
			put(json, str + i, n);
		}
		i += n;
	}
	put(json, "\"", 1);
}

void hc_json_str(struct hc_json *json, const char *str)
{
	if (str == NULL)
		hc_json_null(json);
	else
		hc_json_strn(json, str, strlen(str));
}

void hc_json_key(struct hc_json *json, const char *key)
{
	hc_json_str(json, key);
	put(json, ":", 1);
	json->after_key = true;
}

void hc_json_kv(struct hc_json *json, const char *key, const char *str)
{
	hc_json_key(json, key);
	hc_json_str(json, str);
}

void hc_json_int(struct hc_json *json, long long value)
{
	begin_value(json);
	if (json->error == 0)
		json->error = hc_buf_printf(json->out, "%lld", value);
}

void hc_json_bool(struct hc_json *json, bool value)
{
	begin_value(json);
	put(json, value ? "true" : "false", value ? 4 : 5);
}

void hc_json_null(struct hc_json *json)
{
	begin_value(json);
	put(json, "null", 4);
}

int hc_json_finish(struct hc_json *json)
{
	put(json, "\n", 1);
	return json->error;
}
