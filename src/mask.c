/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Secret masking (see hardctl/mask.h): the values a context registered,
 * and the secrets a file's syntax carries, found by where they stand in
 * a line with the finders the modules declare.
 */
#include <fnmatch.h>
#include <string.h>
#include "hardctl/json.h"
#include "hardctl/json_read.h"
#include "hardctl/mask.h"
#include "hardctl/module.h"

/* Replace every SECRET in TEXT (a C string) into OUT; whether any was. */
static int mask_one(struct hc_buf *out, bool *hit_any, const char *text,
		    const char *secret)
{
	size_t len = strlen(secret);
	const char *p = text, *hit;
	int error = 0;

	*hit_any = false;
	if (len == 0 || strstr(p, secret) == NULL)
		return 0;
	*hit_any = true;
	hc_buf_clear(out);
	while (error == 0 && (hit = strstr(p, secret)) != NULL) {
		if ((error = hc_buf_put(out, p, (size_t)(hit - p))) == 0)
			error = hc_buf_puts(out, HC_MASK);
		p = hit + len;
	}
	return error == 0 ? hc_buf_puts(out, p) : error;
}

/* Replace TEXT's contents with OUT's, wiping what was there. */
static int replace_wiped(struct hc_buf *text, const struct hc_buf *out)
{
	explicit_bzero(text->ptr, text->size);
	return hc_buf_set(text, out->ptr, out->size);
}

/* SECRET as a JSON string holds it, without the quotes, into OUT. */
static int json_form(struct hc_buf *out, const char *secret)
{
	struct hc_json json;

	hc_buf_clear(out);
	hc_json_init(&json, out);
	hc_json_str(&json, secret);
	if (json.error < 0)
		return json.error;
	if (out->size >= 2 && out->ptr[0] == '"' &&
	    out->ptr[out->size - 1] == '"') {
		memmove(out->ptr, out->ptr + 1, out->size - 2);
		out->size -= 2;
		out->ptr[out->size] = '\0';
	}
	return 0;
}

int hc_mask(struct hc_buf *text, const struct hc_strlist *secrets)
{
	struct hc_buf out = HC_BUF_INIT, escaped = HC_BUF_INIT;
	bool hit;
	int error = 0;

	for (size_t i = 0; i < secrets->n && error == 0; i++) {
		if ((error = mask_one(&out, &hit, hc_buf_cstr(text),
				      secrets->v[i])) == 0 &&
		    hit)
			error = replace_wiped(text, &out);
		/* A secret holding '"', '\\' or a control byte reads otherwise
		 * in JSON. */
		if (error == 0 &&
		    (error = json_form(&escaped, secrets->v[i])) == 0 &&
		    strcmp(escaped.ptr, secrets->v[i]) != 0 &&
		    (error = mask_one(&out, &hit, hc_buf_cstr(text),
				      escaped.ptr)) == 0 &&
		    hit)
			error = replace_wiped(text, &out);
	}
	if (out.ptr)
		explicit_bzero(out.ptr, out.asize);
	if (escaped.ptr)
		explicit_bzero(escaped.ptr, escaped.asize);
	hc_buf_release(&out);
	hc_buf_release(&escaped);
	return error;
}

/* The JSON string at P ('"') before END: its bytes with both quotes, 0
 * when it is not closed. */
static size_t json_string_len(const char *p, const char *end)
{
	const char *q = p + 1;

	while (q < end && *q != '"')
		q += *q == '\\' && q + 1 < end ? 2 : 1;
	return q < end ? (size_t)(q + 1 - p) : 0;
}

/* Whether TOKEN (LEN bytes) holds one of SECRETS as written or escaped. */
static int json_has_secret(bool *has, const char *token, size_t len,
			   const struct hc_strlist *secrets)
{
	struct hc_buf escaped = HC_BUF_INIT;
	int error = 0;

	*has = false;
	for (size_t i = 0; i < secrets->n && !*has && error == 0; i++) {
		const char *s = secrets->v[i];

		if (s[0] == '\0')
			continue;
		*has = memmem(token, len, s, strlen(s)) != NULL ||
		       ((error = json_form(&escaped, s)) == 0 &&
			memmem(token, len, escaped.ptr, escaped.size) != NULL);
	}
	if (escaped.ptr)
		explicit_bzero(escaped.ptr, escaped.asize);
	hc_buf_release(&escaped);
	return error;
}

/* The string value TOKEN (LEN bytes, quoted) masked onto OUT. */
static int json_mask_value(struct hc_buf *out, const char *token, size_t len,
			   const struct hc_strlist *secrets)
{
	struct hc_buf str = HC_BUF_INIT;
	struct hc_jv *v = NULL;
	struct hc_json json;
	bool has;
	int error;

	if ((error = json_has_secret(&has, token, len, secrets)) < 0 || !has)
		return error < 0 ? error : hc_buf_put(out, token, len);
	/* hardctl wrote it: it decodes; if not, it is masked as written. */
	if (hc_jv_parse(&v, token, len, "output") < 0 ||
	    v->type != HC_JV_STRING) {
		hc_jv_free(v);
		if ((error = hc_buf_put(&str, token, len)) == 0 &&
		    (error = hc_mask(&str, secrets)) == 0)
			error = hc_buf_put(out, str.ptr, str.size);
		goto out;
	}
	if ((error = hc_buf_puts(&str, v->str)) == 0 &&
	    (error = hc_mask(&str, secrets)) == 0) {
		hc_json_init(&json, out);
		hc_json_str(&json, hc_buf_cstr(&str));
		error = json.error;
	}
	explicit_bzero(v->str, strlen(v->str));
	hc_jv_free(v);
out:
	if (str.ptr)
		explicit_bzero(str.ptr, str.asize);
	hc_buf_release(&str);
	return error;
}

int hc_mask_json(struct hc_buf *text, const struct hc_strlist *secrets)
{
	struct hc_buf out = HC_BUF_INIT;
	const char *p, *end;
	int error = 0;

	if (secrets->n == 0 || text->size == 0)
		return 0;
	for (p = text->ptr, end = p + text->size; p < end && error == 0;) {
		const char *q = memchr(p, '"', (size_t)(end - p));
		const char *after;
		size_t len;

		if (q == NULL || (len = json_string_len(q, end)) == 0) {
			/* No string left (or one not closed): as written. */
			error = hc_buf_put(&out, p, (size_t)(end - p));
			break;
		}
		if ((error = hc_buf_put(&out, p, (size_t)(q - p))) < 0)
			break;
		for (after = q + len;
		     after < end && strchr(" \t\r\n", *after) && *after != '\0';
		     after++)
			;
		/* A member's name is hardctl's own word: never masked. */
		if (after < end && *after == ':')
			error = hc_buf_put(&out, q, len);
		else
			error = json_mask_value(&out, q, len, secrets);
		p = q + len;
	}
	if (error == 0)
		error = replace_wiped(text, &out);
	if (out.ptr)
		explicit_bzero(out.ptr, out.asize);
	hc_buf_release(&out);
	return error;
}

/* Where the first finder the modules declare for PATH finds a secret in LINE.
 */
static bool find_secret(const char **start, size_t *len, const char *path,
			const char *line, size_t size)
{
	for (size_t m = 0; hc_modules[m]; m++)
		for (const struct hc_line_secret *s = hc_modules[m]->secrets;
		     s && s->pattern; s++)
			if (fnmatch(s->pattern, path, 0) == 0 &&
			    s->find(start, len, line, size) && *len > 0)
				return true;
	return false;
}

int hc_mask_line(struct hc_buf *out, const char *path, const char *line,
		 size_t size)
{
	const char *s;
	size_t len;
	int error;

	if (!find_secret(&s, &len, path, line, size))
		return hc_buf_put(out, line, size);
	if ((error = hc_buf_put(out, line, (size_t)(s - line))) == 0 &&
	    (error = hc_buf_puts(out, HC_MASK)) == 0)
		error =
		    hc_buf_put(out, s + len, size - (size_t)(s + len - line));
	return error;
}

/* One line of a diff, BODY bytes before its newline (if any), masked into OUT.
 */
static int mask_diff_line(struct hc_buf *out, const char *path, const char *p,
			  size_t body)
{
	const char *at;

	if (body >= 3 && (memcmp(p, "+++", 3) == 0 || memcmp(p, "---", 3) == 0))
		return hc_buf_put(out, p, body);
	if (body > 0 && (*p == ' ' || *p == '+' || *p == '-')) {
		int error = hc_buf_put(out, p, 1);

		return error == 0 ? hc_mask_line(out, path, p + 1, body - 1)
				  : error;
	}
	/* "@@ -1,3 +1,4 @@ TEXT": git's function context is a line of the file.
	 */
	if (body > 4 && memcmp(p, "@@ ", 3) == 0 &&
	    (at = memmem(p + 3, body - 3, " @@", 3)) != NULL) {
		size_t head = (size_t)(at + 3 - p);
		int error = hc_buf_put(out, p, head);

		return error == 0
			   ? hc_mask_line(out, path, p + head, body - head)
			   : error;
	}
	return hc_buf_put(out, p, body);
}

int hc_mask_diff(struct hc_buf *text, size_t start, const char *path)
{
	struct hc_buf out = HC_BUF_INIT;
	const char *p, *end;
	int error = 0;

	if (start >= text->size)
		return 0;
	if ((error = hc_buf_put(&out, text->ptr, start)) < 0)
		goto out;
	for (p = text->ptr + start, end = text->ptr + text->size;
	     p < end && error == 0;) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t body = nl ? (size_t)(nl - p) : (size_t)(end - p);

		if ((error = mask_diff_line(&out, path, p, body)) == 0 && nl)
			error = hc_buf_put(&out, "\n", 1);
		p += body + (nl ? 1 : 0);
	}
	if (error == 0)
		error = replace_wiped(text, &out);
out:
	if (out.ptr)
		explicit_bzero(out.ptr, out.asize);
	hc_buf_release(&out);
	return error;
}
