/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * SHA-256 of file contents, through OpenSSL.
 */
#ifndef HARDCTL_HASH_H
#define HARDCTL_HASH_H

#include <stddef.h>

#define HC_SHA256_LEN 32
#define HC_SHA256_HEXLEN 64

struct hc_sha256 {
	unsigned char id[HC_SHA256_LEN];
};

/** Hash LEN bytes of DATA into OUT. 0 or HC_ERROR with OpenSSL's detail. */
int hc_sha256(struct hc_sha256 *out, const void *data, size_t len);

/** OpenSSL's last error, after WHAT, as the last error.  Returns HC_ERROR. */
int hc_ssl_fail(const char *what);

/** Write the lowercase hex form and a NUL into OUT. */
void hc_sha256_hex(char out[HC_SHA256_HEXLEN + 1], const struct hc_sha256 *sha);

#endif
