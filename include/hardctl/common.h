/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Error codes and the last-error slot every fallible hardctl function
 * fills before it returns a negative code.  Only the command layer reads
 * the slot and prints it; the library never prints.
 */
#ifndef HARDCTL_COMMON_H
#define HARDCTL_COMMON_H

#include <stdarg.h>
#include <stddef.h>

#if defined(__GNUC__)
#define HC_PRINTF(fmt, args) __attribute__((format(printf, fmt, args)))
#else
#define HC_PRINTF(fmt, args)
#endif

#define HC_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/** Return codes: 0 success, a negative code on failure. */
enum hc_error_code {
	HC_OK = 0,
	HC_ERROR = -1,     /* anything not named below */
	HC_ENOTFOUND = -3, /* a file, rule, profile or node does not exist */
	HC_EPARSE = -4,    /* input does not parse (a profile, a config file) */
	HC_EINVALID = -5,  /* input parses but makes no sense */
	HC_ECONFLICT = -6, /* a rollback would clobber a change made since */
	HC_EUNSAFE = -7,   /* refused for safety */
	HC_ELOCKED = -8,   /* another hardctl holds the lock */
};

/** The detail of the last error. */
struct hc_error {
	int code;
	char file[4096];   /* the file to blame, "" if none */
	unsigned int line; /* its line, 0 if unknown */
	char message[1024];
};

/**
 * Set the last error's message; the code is HC_ERROR until a caller
 * returns something more precise through hc_error_set_code().
 */
void hc_error_set(const char *fmt, ...) HC_PRINTF(1, 2);

/** Set the last error, blaming FILE at LINE (LINE 0: the whole file). */
void hc_error_set_at(const char *file, unsigned int line, const char *fmt, ...)
    HC_PRINTF(3, 4);

/** Set the last error from errno, as "FILE: WHAT: strerror(errno)". */
void hc_error_set_os(const char *file, const char *fmt, ...) HC_PRINTF(2, 3);

/** Record CODE as the last error's code (see hc_error_set_code()). */
void hc_error_store_code(int code);

/*
 * Record CODE as the last error's code and return it.  Inline, like
 * hc_error_oom(), so that static analysis sees the code returned.
 */
static inline int hc_error_set_code(int code)
{
	hc_error_store_code(code);
	return code;
}

/** Prefix the last error's message with "PREFIX: ". */
void hc_error_prefix(const char *fmt, ...) HC_PRINTF(1, 2);

/** The last error; never NULL, message "" when none was set. */
const struct hc_error *hc_error_last(void);

/** Make E, a copy of an earlier hc_error_last(), the last error again. */
void hc_error_restore(const struct hc_error *e);

void hc_error_clear(void);

/** Set "out of memory" and return HC_ERROR. */
static inline int hc_error_oom(void)
{
	hc_error_set("out of memory");
	return HC_ERROR;
}

#endif
