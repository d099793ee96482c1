/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Growable byte buffers and string lists.  A buffer's bytes are always
 * followed by a NUL once anything has been put in it, so text can be
 * handed to C string APIs, but the size, not the NUL, says where it ends.
 */
#ifndef HARDCTL_BUF_H
#define HARDCTL_BUF_H

#include <stdbool.h>
#include <stddef.h>
#include "common.h"

struct hc_buf {
	char *ptr;
	size_t size;
	size_t asize;
};

#define HC_BUF_INIT                                                            \
	{                                                                      \
		NULL, 0, 0                                                     \
	}

/** Make room for EXTRA more bytes and the NUL. 0 or HC_ERROR (ENOMEM). */
int hc_buf_grow(struct hc_buf *buf, size_t extra);

/** Append LEN bytes. 0 or HC_ERROR; on failure BUF is unchanged. */
int hc_buf_put(struct hc_buf *buf, const void *data, size_t len);
int hc_buf_puts(struct hc_buf *buf, const char *str);
int hc_buf_printf(struct hc_buf *buf, const char *fmt, ...) HC_PRINTF(2, 3);
int hc_buf_vprintf(struct hc_buf *buf, const char *fmt, va_list ap)
    HC_PRINTF(2, 0);

/**
 * Append LEN bytes of text from ROOT (a file name, a line of a file)
 * with every control character escaped, so that it cannot start a line
 * of its own or send a terminal an escape sequence: "\n", "\r", "\t",
 * else "\xHH" for the other C0 bytes and DEL, and for the two bytes of
 * a UTF-8 C1 control (U+0080..U+009F).  Backslashes are left as they
 * are.  Bytes of KEEP (e.g. "\n\t", may be NULL) are kept.  0 or
 * HC_ERROR.
 */
int hc_buf_put_escaped(struct hc_buf *buf, const char *data, size_t len,
		       const char *keep);

/** hc_buf_put_escaped() of the C string STR, keeping nothing. */
int hc_buf_puts_escaped(struct hc_buf *buf, const char *str);

/**
 * Escape, in place, the control characters of BUF from byte START on
 * but those of KEEP, as hc_buf_put_escaped() does.  0 or HC_ERROR
 * (BUF unchanged).
 */
int hc_buf_escape(struct hc_buf *buf, size_t start, const char *keep);

/**
 * Replace the contents with everything read from FD until end of file.
 * More than MAX bytes is an error (HC_EINVALID), as is a read error
 * (HC_ERROR); NAME is the file the error names.
 */
int hc_buf_read_fd(struct hc_buf *buf, int fd, size_t max, const char *name);

/**
 * One read(2) of FD appended to BUF: 1 when it gave bytes, 0 at the
 * end, or hc_buf_read_fd()'s errors (past MAX bytes in all).
 */
int hc_buf_read_more(struct hc_buf *buf, int fd, size_t max, const char *name);

/** Replace the contents with a copy of LEN bytes. */
int hc_buf_set(struct hc_buf *buf, const void *data, size_t len);

/** The contents as a string: "" for an empty buffer, never NULL. */
const char *hc_buf_cstr(const struct hc_buf *buf);

bool hc_buf_equal(const struct hc_buf *a, const struct hc_buf *b);

/**
 * Hand the contents over to the caller, who frees them; the buffer is
 * left empty.  Never NULL unless allocation fails (last error set).
 */
char *hc_buf_detach(struct hc_buf *buf);

/** Empty the buffer, keeping its memory. */
void hc_buf_clear(struct hc_buf *buf);

/** Free the memory; the buffer is empty and reusable afterwards. */
void hc_buf_release(struct hc_buf *buf);

/** A sorted or ordered list of owned strings. */
struct hc_strlist {
	char **v;
	size_t n;
	size_t alloc;
};

#define HC_STRLIST_INIT                                                        \
	{                                                                      \
		NULL, 0, 0                                                     \
	}

/** Append a copy of STR. 0 or HC_ERROR. */
int hc_strlist_push(struct hc_strlist *list, const char *str);

/** Append STR itself, taking ownership even on failure. */
int hc_strlist_push_owned(struct hc_strlist *list, char *str);

void hc_strlist_sort(struct hc_strlist *list);

/** Whether LIST (may be NULL) holds STR; a walk of it. */
bool hc_strlist_has(const struct hc_strlist *list, const char *str);
void hc_strlist_release(struct hc_strlist *list);

/** strdup() that sets the last error on failure. */
char *hc_strdup(const char *str);

/**
 * Length of the valid UTF-8 sequence at S (at most LEN bytes, LEN > 0),
 * or 0 when it is not one (overlong forms and surrogates included).
 */
size_t hc_utf8_len(const unsigned char *s, size_t len);

#endif
