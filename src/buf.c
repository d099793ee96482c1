/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Growable buffers and string lists (see hardctl/buf.h).
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "hardctl/buf.h"

int hc_buf_grow(struct hc_buf *buf, size_t extra)
{
	size_t need, asize;
	char *p;

	if (extra > SIZE_MAX - buf->size - 1)
		return hc_error_oom();
	need = buf->size + extra + 1;
	if (need <= buf->asize)
		return 0;
	asize = buf->asize ? buf->asize : 64;
	while (asize < need)
		asize = asize > SIZE_MAX / 2 ? need : asize * 2;
	if ((p = realloc(buf->ptr, asize)) == NULL)
		return hc_error_oom();
	buf->ptr = p;
	buf->asize = asize;
	buf->ptr[buf->size] = '\0';
	return 0;
}

int hc_buf_put(struct hc_buf *buf, const void *data, size_t len)
{
	if (hc_buf_grow(buf, len) < 0)
		return HC_ERROR;
	if (len)
		memcpy(buf->ptr + buf->size, data, len);
	buf->size += len;
	buf->ptr[buf->size] = '\0';
	return 0;
}

int hc_buf_puts(struct hc_buf *buf, const char *str)
{
	return hc_buf_put(buf, str, strlen(str));
}

/* The length of the control character at P (END bounds it), 0 if none. */
static size_t control_len(const unsigned char *p, const unsigned char *end)
{
	if (*p < 0x20 || *p == 0x7f)
		return 1;
	/* U+0080..U+009F: C1 controls, CSI (U+009B) among them. */
	if (*p == 0xc2 && p + 1 < end && p[1] >= 0x80 && p[1] <= 0x9f)
		return 2;
	return 0;
}

int hc_buf_put_escaped(struct hc_buf *buf, const char *data, size_t len,
		       const char *keep)
{
	const unsigned char *p = (const unsigned char *)data, *end = p + len;
	size_t old = buf->size;
	int error = 0;

	while (p < end && error == 0) {
		const unsigned char *run = p;
		size_t n = 0;

		while (p < end && ((n = control_len(p, end)) == 0 ||
				   (n == 1 && *p && keep && strchr(keep, *p))))
			p++;
		if ((error = hc_buf_put(buf, run, (size_t)(p - run))) < 0 ||
		    p == end)
			break;
		if (*p == '\n' || *p == '\r' || *p == '\t')
			error = hc_buf_printf(buf, "\\%c",
					      *p == '\n'   ? 'n'
					      : *p == '\r' ? 'r'
							   : 't');
		else
			for (size_t i = 0; i < n && error == 0; i++)
				error = hc_buf_printf(buf, "\\x%02x", p[i]);
		p += n;
	}
	if (error < 0 && buf->ptr) {
		buf->size = old;
		buf->ptr[old] = '\0';
	}
	return error;
}

int hc_buf_puts_escaped(struct hc_buf *buf, const char *str)
{
	return hc_buf_put_escaped(buf, str, strlen(str), NULL);
}

int hc_buf_escape(struct hc_buf *buf, size_t start, const char *keep)
{
	struct hc_buf out = HC_BUF_INIT;
	int error;

	if (start >= buf->size)
		return 0;
	if ((error = hc_buf_put(&out, buf->ptr, start)) == 0 &&
	    (error = hc_buf_put_escaped(&out, buf->ptr + start,
					buf->size - start, keep)) == 0 &&
	    out.size != buf->size)
		error = hc_buf_set(buf, out.ptr, out.size);
	hc_buf_release(&out);
	return error;
}

int hc_buf_vprintf(struct hc_buf *buf, const char *fmt, va_list ap)
{
	va_list copy;
	int len;

	va_copy(copy, ap);
	len = vsnprintf(NULL, 0, fmt, copy);
	va_end(copy);
	if (len < 0) {
		hc_error_set("cannot format '%s'", fmt);
		return HC_ERROR;
	}
	if (hc_buf_grow(buf, (size_t)len) < 0)
		return HC_ERROR;
	vsnprintf(buf->ptr + buf->size, (size_t)len + 1, fmt, ap);
	buf->size += (size_t)len;
	return 0;
}

int hc_buf_printf(struct hc_buf *buf, const char *fmt, ...)
{
	va_list ap;
	int error;

	va_start(ap, fmt);
	error = hc_buf_vprintf(buf, fmt, ap);
	va_end(ap);
	return error;
}

int hc_buf_read_more(struct hc_buf *buf, int fd, size_t max, const char *name)
{
	for (;;) {
		ssize_t n;

		if (hc_buf_grow(buf, 4096) < 0)
			return HC_ERROR;
		n = read(fd, buf->ptr + buf->size, buf->asize - buf->size - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			hc_error_set_os(name, "cannot read");
			return HC_ERROR;
		}
		if (n == 0)
			return 0;
		buf->size += (size_t)n;
		buf->ptr[buf->size] = '\0';
		if (buf->size > max) {
			hc_error_set_at(name, 0, "larger than %zu bytes", max);
			return hc_error_set_code(HC_EINVALID);
		}
		return 1;
	}
}

int hc_buf_read_fd(struct hc_buf *buf, int fd, size_t max, const char *name)
{
	int r;

	hc_buf_clear(buf);
	while ((r = hc_buf_read_more(buf, fd, max, name)) > 0)
		;
	return r;
}

int hc_buf_set(struct hc_buf *buf, const void *data, size_t len)
{
	hc_buf_clear(buf);
	return hc_buf_put(buf, data, len);
}

const char *hc_buf_cstr(const struct hc_buf *buf)
{
	return buf->ptr ? buf->ptr : "";
}

bool hc_buf_equal(const struct hc_buf *a, const struct hc_buf *b)
{
	return a->size == b->size &&
	       (a->size == 0 || memcmp(a->ptr, b->ptr, a->size) == 0);
}

char *hc_buf_detach(struct hc_buf *buf)
{
	char *ptr;

	if (buf->ptr == NULL && hc_buf_grow(buf, 0) < 0)
		return NULL;
	ptr = buf->ptr;
	buf->ptr = NULL;
	buf->size = buf->asize = 0;
	return ptr;
}

void hc_buf_clear(struct hc_buf *buf)
{
	buf->size = 0;
	if (buf->ptr)
		buf->ptr[0] = '\0';
}

void hc_buf_release(struct hc_buf *buf)
{
	free(buf->ptr);
	buf->ptr = NULL;
	buf->size = buf->asize = 0;
}

int hc_strlist_push_owned(struct hc_strlist *list, char *str)
{
	if (list->n == list->alloc) {
		size_t alloc = list->alloc ? list->alloc * 2 : 8;
		char **v = reallocarray(list->v, alloc, sizeof(*v));

		if (v == NULL) {
			free(str);
			return hc_error_oom();
		}
		list->v = v;
		list->alloc = alloc;
	}
	list->v[list->n++] = str;
	return 0;
}

int hc_strlist_push(struct hc_strlist *list, const char *str)
{
	char *copy = hc_strdup(str);

	if (copy == NULL)
		return HC_ERROR;
	return hc_strlist_push_owned(list, copy);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void hc_strlist_sort(struct hc_strlist *list)
{
	if (list->n > 1)
		qsort(list->v, list->n, sizeof(*list->v), cmp_str);
}

bool hc_strlist_has(const struct hc_strlist *list, const char *str)
{
	for (size_t i = 0; list && i < list->n; i++)
		if (strcmp(list->v[i], str) == 0)
			return true;
	return false;
}

void hc_strlist_release(struct hc_strlist *list)
{
	for (size_t i = 0; i < list->n; i++)
		free(list->v[i]);
	free(list->v);
	list->v = NULL;
	list->n = list->alloc = 0;
}

char *hc_strdup(const char *str)
{
	char *copy = strdup(str);

	if (copy == NULL)
		hc_error_oom();
	return copy;
}

/* Length of the valid UTF-8 sequence at S (at most LEN bytes), or 0. */
size_t hc_utf8_len(const unsigned char *s, size_t len)
{
	size_t n;
	unsigned int cp;

	if (s[0] < 0x80)
		return 1;
	if ((s[0] & 0xe0) == 0xc0) {
		n = 2;
		cp = s[0] & 0x1f;
	} else if ((s[0] & 0xf0) == 0xe0) {
		n = 3;
		cp = s[0] & 0x0f;
	} else if ((s[0] & 0xf8) == 0xf0) {
		n = 4;
		cp = s[0] & 0x07;
	} else {
		return 0;
	}
	if (n > len)
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	/* Overlong forms, surrogates and values past U+10FFFF are invalid. */
	if ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) ||
	    (n == 4 && cp < 0x10000) || cp > 0x10ffff ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n;
}
