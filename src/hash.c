/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * SHA-256 and HMAC-SHA256, through Nettle.
 *
 * The front (include/hardctl/front.h) hashes every file a cached answer
 * depends on, and is linked with libc and this library only: Nettle
 * maps and relocates in a tenth of the time libcrypto takes (bench/
 * startup), and neither function here can fail or set anything up.
 * OpenSSL stays in the full program, for the store's signatures.
 */
#include <string.h>
#include <nettle/hmac.h>
#include <nettle/memops.h>
#include <nettle/sha2.h>
#include "hardctl/common.h"
#include "hardctl/hash.h"

_Static_assert(SHA256_DIGEST_SIZE == HC_SHA256_LEN, "SHA-256 is 32 bytes");

int hc_sha256(struct hc_sha256 *out, const void *data, size_t len)
{
	struct sha256_ctx c;

	sha256_init(&c);
	sha256_update(&c, len, data);
	sha256_digest(&c, HC_SHA256_LEN, out->id);
	return 0;
}

int hc_hmac_sha256(unsigned char mac[HC_SHA256_LEN], const void *key,
		   size_t keylen, const struct hc_bytes *parts, size_t n)
{
	struct hmac_sha256_ctx c;

	hmac_sha256_set_key(&c, keylen, key);
	for (size_t i = 0; i < n; i++)
		hmac_sha256_update(&c, parts[i].len, parts[i].ptr);
	hmac_sha256_digest(&c, HC_SHA256_LEN, mac);
	/* The context holds the key's pads. */
	explicit_bzero(&c, sizeof(c));
	return 0;
}

bool hc_mem_equal(const void *a, const void *b, size_t len)
{
	return memeql_sec(a, b, len) != 0;
}

void hc_sha256_hex(char out[HC_SHA256_HEXLEN + 1], const struct hc_sha256 *sha)
{
	static const char digits[] = "0123456789abcdef";

	for (size_t i = 0; i < HC_SHA256_LEN; i++) {
		out[2 * i] = digits[sha->id[i] >> 4];
		out[2 * i + 1] = digits[sha->id[i] & 0xf];
	}
	out[HC_SHA256_HEXLEN] = '\0';
}
