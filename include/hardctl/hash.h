/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * SHA-256 of file contents, and HMAC-SHA256, through Nettle (src/hash.c
 * says why not OpenSSL).
 */
#ifndef HARDCTL_HASH_H
#define HARDCTL_HASH_H

#include <stdbool.h>
#include <stddef.h>

#define HC_SHA256_LEN 32
#define HC_SHA256_HEXLEN 64

struct hc_sha256 {
	unsigned char id[HC_SHA256_LEN];
};

/** Hash LEN bytes of DATA into OUT.  Returns 0. */
int hc_sha256(struct hc_sha256 *out, const void *data, size_t len);

/** LEN bytes at PTR: one part of what hc_hmac_sha256() authenticates. */
struct hc_bytes {
	const void *ptr;
	size_t len;
};

/**
 * HMAC-SHA256 (RFC 2104) under the KEYLEN bytes of KEY of the N PARTS,
 * one after another, into MAC.  Returns 0.
 */
int hc_hmac_sha256(unsigned char mac[HC_SHA256_LEN], const void *key,
		   size_t keylen, const struct hc_bytes *parts, size_t n);

/** Whether LEN bytes at A and B are equal, in time that does not tell where. */
bool hc_mem_equal(const void *a, const void *b, size_t len);

/** Write the lowercase hex form and a NUL into OUT. */
void hc_sha256_hex(char out[HC_SHA256_HEXLEN + 1], const struct hc_sha256 *sha);

#endif
