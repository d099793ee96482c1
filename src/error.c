/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The last-error slot.  hardctl is single-threaded, but the slot is
 * thread-local so that a library user with threads gets its own.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "hardctl/common.h"

static _Thread_local struct hc_error last_error;

static void set_v(const char *file, unsigned int line, const char *fmt,
		  va_list ap) HC_PRINTF(3, 0);

static void set_v(const char *file, unsigned int line, const char *fmt,
		  va_list ap)
{
	last_error.code = HC_ERROR;
	snprintf(last_error.file, sizeof(last_error.file), "%s",
		 file ? file : "");
	last_error.line = line;
	vsnprintf(last_error.message, sizeof(last_error.message), fmt, ap);
}

void hc_error_set(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	set_v(NULL, 0, fmt, ap);
	va_end(ap);
}

void hc_error_set_at(const char *file, unsigned int line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	set_v(file, line, fmt, ap);
	va_end(ap);
}

void hc_error_set_os(const char *file, const char *fmt, ...)
{
	int saved = errno;
	size_t len;
	va_list ap;

	va_start(ap, fmt);
	set_v(file, 0, fmt, ap);
	va_end(ap);
	len = strlen(last_error.message);
	snprintf(last_error.message + len, sizeof(last_error.message) - len,
		 ": %s", strerror(saved));
	errno = saved;
}

void hc_error_store_code(int code)
{
	last_error.code = code;
}

void hc_error_prefix(const char *fmt, ...)
{
	char *msg = last_error.message;
	size_t room = sizeof(last_error.message) - 1;
	char prefix[512];
	size_t plen, mlen;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(prefix, sizeof(prefix), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	plen = (size_t)n < sizeof(prefix) ? (size_t)n : sizeof(prefix) - 1;
	if (plen + 2 > room)
		return;
	mlen = strlen(msg);
	if (mlen > room - plen - 2)
		mlen = room - plen - 2;
	memmove(msg + plen + 2, msg, mlen);
	memcpy(msg, prefix, plen);
	msg[plen] = ':';
	msg[plen + 1] = ' ';
	msg[plen + 2 + mlen] = '\0';
}

const struct hc_error *hc_error_last(void)
{
	return &last_error;
}

void hc_error_restore(const struct hc_error *e)
{
	if (e != &last_error)
		memcpy(&last_error, e, sizeof(last_error));
}

void hc_error_clear(void)
{
	memset(&last_error, 0, sizeof(last_error));
}
