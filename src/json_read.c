/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A JSON reader (see hardctl/json_read.h): recursive descent over the
 * bytes, one pass, depth bounded, every error naming its line.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "hardctl/buf.h"
#include "hardctl/common.h"
#include "hardctl/json_read.h"

struct reader {
	const char *p, *end;
	const char *name;
	unsigned int line;
	size_t values; /* read so far */
};

static int bad(struct reader *r, const char *what)
{
	hc_error_set_at(r->name, r->line, "not JSON: %s", what);
	return hc_error_set_code(HC_EPARSE);
}

static void skip_space(struct reader *r)
{
	while (r->p < r->end && (*r->p == ' ' || *r->p == '\t' ||
				 *r->p == '\n' || *r->p == '\r')) {
		if (*r->p == '\n')
			r->line++;
		r->p++;
	}
}

static void value_free(struct hc_jv *v)
{
	for (size_t i = 0; i < v->n; i++)
		value_free(&v->v[i]);
	free(v->v);
	free(v->key);
	free(v->str);
	memset(v, 0, sizeof(*v));
}

static int hex4(unsigned int *out, struct reader *r)
{
	unsigned int cp = 0;

	if (r->end - r->p < 4)
		return bad(r, "a \\u escape needs four hex digits");
	for (int i = 0; i < 4; i++) {
		char c = *r->p++;

		cp <<= 4;
		if (c >= '0' && c <= '9')
			cp |= (unsigned int)(c - '0');
		else if (c >= 'a' && c <= 'f')
			cp |= (unsigned int)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			cp |= (unsigned int)(c - 'A' + 10);
		else
			return bad(r, "a \\u escape needs four hex digits");
	}
	*out = cp;
	return 0;
}

static int put_utf8(struct hc_buf *out, unsigned int cp)
{
	char b[4];
	size_t n;

	if (cp < 0x80) {
		b[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		b[0] = (char)(0xc0 | (cp >> 6));
		b[1] = (char)(0x80 | (cp & 0x3f));
		n = 2;
	} else if (cp < 0x10000) {
		b[0] = (char)(0xe0 | (cp >> 12));
		b[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		b[2] = (char)(0x80 | (cp & 0x3f));
		n = 3;
	} else {
		b[0] = (char)(0xf0 | (cp >> 18));
		b[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
		b[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
		b[3] = (char)(0x80 | (cp & 0x3f));
		n = 4;
	}
	return hc_buf_put(out, b, n);
}

/* After "\u": one code point, a surrogate pair joined. */
static int unicode_escape(struct hc_buf *out, struct reader *r)
{
	unsigned int cp, lo;
	int error;

	if ((error = hex4(&cp, r)) < 0)
		return error;
	if (cp >= 0xdc00 && cp <= 0xdfff)
		return bad(r, "a lone low surrogate");
	if (cp >= 0xd800 && cp <= 0xdbff) {
		if (r->end - r->p < 2 || r->p[0] != '\\' || r->p[1] != 'u')
			return bad(r, "a lone high surrogate");
		r->p += 2;
		if ((error = hex4(&lo, r)) < 0)
			return error;
		if (lo < 0xdc00 || lo > 0xdfff)
			return bad(r, "a lone high surrogate");
		cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
	}
	if (cp == 0)
		return bad(r, "a string holds \\u0000");
	return put_utf8(out, cp);
}

static int escape(struct hc_buf *out, struct reader *r)
{
	static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
	const char *at;

	if (r->p >= r->end)
		return bad(r, "a string is not closed");
	if (*r->p == 'u') {
		r->p++;
		return unicode_escape(out, r);
	}
	if ((at = memchr(from, *r->p, sizeof(from) - 1)) == NULL)
		return bad(r, "an unknown escape in a string");
	r->p++;
	return hc_buf_put(out, &to[at - from], 1);
}

/* At '"': the string into *OUT (allocated). */
static int string(char **out, struct reader *r)
{
	struct hc_buf s = HC_BUF_INIT;
	int error = 0;

	r->p++;
	while (error == 0) {
		const unsigned char *u = (const unsigned char *)r->p;
		size_t n;

		if (r->p >= r->end) {
			error = bad(r, "a string is not closed");
		} else if (*r->p == '"') {
			r->p++;
			break;
		} else if (*r->p == '\\') {
			r->p++;
			error = escape(&s, r);
		} else if (*u < 0x20) {
			error = bad(r, "a control character in a string");
		} else if ((n = hc_utf8_len(u, (size_t)(r->end - r->p))) == 0) {
			error = bad(r, "a string is not UTF-8");
		} else {
			error = hc_buf_put(&s, r->p, n);
			r->p += n;
		}
	}
	if (error == 0 && (*out = strdup(hc_buf_cstr(&s))) == NULL)
		error = hc_error_oom();
	hc_buf_release(&s);
	return error;
}

/* The digits at R: how many. */
static size_t digits(struct reader *r)
{
	const char *s = r->p;

	while (r->p < r->end && *r->p >= '0' && *r->p <= '9')
		r->p++;
	return (size_t)(r->p - s);
}

/* At R, a character of SET: taken, true. */
static bool take(struct reader *r, const char *set)
{
	if (r->p < r->end && strchr(set, *r->p) != NULL && *r->p != '\0') {
		r->p++;
		return true;
	}
	return false;
}

static int number(struct hc_jv *v, struct reader *r)
{
	const char *s = r->p;
	char tmp[64];

	take(r, "-");
	if (r->p >= r->end || *r->p < '0' || *r->p > '9')
		return bad(r, "an unexpected character");
	if (!take(r, "0"))
		digits(r);
	if (take(r, ".") && digits(r) == 0)
		return bad(r, "a number without digits after '.'");
	if (take(r, "eE") && (take(r, "+-"), digits(r) == 0))
		return bad(r, "a number without an exponent");
	if ((size_t)(r->p - s) >= sizeof(tmp))
		return bad(r, "a number too long");
	memcpy(tmp, s, (size_t)(r->p - s));
	tmp[r->p - s] = '\0';
	v->type = HC_JV_NUMBER;
	v->number = strtod(tmp, NULL);
	return 0;
}

static int literal(struct hc_jv *v, struct reader *r, const char *word,
		   enum hc_jv_type type, bool boolean)
{
	size_t len = strlen(word);

	if ((size_t)(r->end - r->p) < len || memcmp(r->p, word, len) != 0)
		return bad(r, "an unexpected character");
	r->p += len;
	v->type = type;
	v->boolean = boolean;
	return 0;
}

static int value(struct hc_jv *v, struct reader *r, int depth);

/* A new element at the end of V's, zeroed. */
static struct hc_jv *push(struct hc_jv *v, size_t *alloc)
{
	if (v->n == *alloc) {
		size_t na = *alloc ? *alloc * 2 : 8;
		struct hc_jv *nv = realloc(v->v, na * sizeof(*nv));

		if (nv == NULL)
			return NULL;
		v->v = nv;
		*alloc = na;
	}
	memset(&v->v[v->n], 0, sizeof(v->v[0]));
	return &v->v[v->n++];
}

/* One element (an object's member when OBJECT: name, ':', value). */
static int element(struct hc_jv *e, struct reader *r, bool object, int depth)
{
	int error;

	skip_space(r);
	if (!object)
		return value(e, r, depth);
	if (r->p >= r->end || *r->p != '"')
		return bad(r, "an object's member needs a name");
	if ((error = string(&e->key, r)) < 0)
		return error;
	skip_space(r);
	if (!take(r, ":"))
		return bad(r, "':' expected");
	return value(e, r, depth);
}

/* At '[' or '{': the elements or members up to the matching bracket. */
static int container(struct hc_jv *v, struct reader *r, int depth)
{
	bool object = *r->p == '{';
	const char *close = object ? "}" : "]";
	size_t alloc = 0;
	int error;

	if (depth >= HC_JV_MAX_DEPTH)
		return bad(r, "nested too deep");
	v->type = object ? HC_JV_OBJECT : HC_JV_ARRAY;
	r->p++;
	skip_space(r);
	if (take(r, close))
		return 0;
	for (;;) {
		struct hc_jv *e = push(v, &alloc);

		if (e == NULL)
			return hc_error_oom();
		if ((error = element(e, r, object, depth + 1)) < 0)
			return error;
		skip_space(r);
		if (take(r, close))
			return 0;
		if (!take(r, ","))
			return bad(r, object ? "',' or '}' expected"
					     : "',' or ']' expected");
	}
}

static int value(struct hc_jv *v, struct reader *r, int depth)
{
	skip_space(r);
	v->line = r->line;
	if (++r->values > HC_JV_MAX_VALUES)
		return bad(r, "too many values");
	if (r->p >= r->end)
		return bad(r, "the document ends early");
	switch (*r->p) {
	case '{':
	case '[':
		return container(v, r, depth);
	case '"':
		v->type = HC_JV_STRING;
		return string(&v->str, r);
	case 't':
		return literal(v, r, "true", HC_JV_BOOL, true);
	case 'f':
		return literal(v, r, "false", HC_JV_BOOL, false);
	case 'n':
		return literal(v, r, "null", HC_JV_NULL, false);
	default:
		return number(v, r);
	}
}

int hc_jv_parse(struct hc_jv **out, const char *text, size_t len,
		const char *name)
{
	struct reader r = {text, text + len, name, 1, 0};
	struct hc_jv *v = calloc(1, sizeof(*v));
	int error;

	*out = NULL;
	if (v == NULL)
		return hc_error_oom();
	if ((error = value(v, &r, 0)) == 0) {
		skip_space(&r);
		if (r.p != r.end)
			error = bad(&r, "more after the document");
	}
	if (error < 0) {
		hc_jv_free(v);
		return error;
	}
	*out = v;
	return 0;
}

const struct hc_jv *hc_jv_get(const struct hc_jv *obj, const char *key)
{
	const struct hc_jv *found = NULL;

	if (obj == NULL || obj->type != HC_JV_OBJECT)
		return NULL;
	for (size_t i = 0; i < obj->n; i++)
		if (strcmp(obj->v[i].key, key) == 0)
			found = &obj->v[i];
	return found;
}

const char *hc_jv_str(const struct hc_jv *obj, const char *key)
{
	const struct hc_jv *v = hc_jv_get(obj, key);

	return v && v->type == HC_JV_STRING ? v->str : NULL;
}

void hc_jv_free(struct hc_jv *value)
{
	if (value == NULL)
		return;
	value_free(value);
	free(value);
}
