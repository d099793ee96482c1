/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * SHA-256 and HMAC-SHA256, through OpenSSL's SHA-256 functions.
 *
 * OpenSSL 3 marks SHA256_Init() and its kin deprecated in favour of
 * EVP, and EVP's first use sets up the provider machinery: about a
 * millisecond of hash tables and name maps in every process, more than
 * the whole of a cached check's answer (bench/run).  These functions
 * run the same compression code (with the CPU's SHA extensions where it
 * has them) and set up nothing.  HMAC is RFC 2104 over them.
 */
#define OPENSSL_API_COMPAT 0x10101000L
#include <string.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/sha.h>
#include "hardctl/common.h"
#include "hardctl/hash.h"

#define BLOCK 64 /* SHA-256's block, in bytes */

int hc_ssl_fail(const char *what)
{
	unsigned long e = ERR_get_error();
	char detail[256] = "unknown OpenSSL error";

	if (e)
		ERR_error_string_n(e, detail, sizeof(detail));
	ERR_clear_error();
	hc_error_set("%s: %s", what, detail);
	return HC_ERROR;
}

int hc_sha256(struct hc_sha256 *out, const void *data, size_t len)
{
	SHA256_CTX c;

	if (!SHA256_Init(&c) || !SHA256_Update(&c, data, len) ||
	    !SHA256_Final(out->id, &c))
		return hc_ssl_fail("cannot compute SHA-256");
	return 0;
}

/* SHA-256 states with K ^ 0x36 and K ^ 0x5c hashed: RFC 2104's two pads. */
struct keyed {
	SHA256_CTX inner, outer;
};

static int key_pads(struct keyed *k, const void *key, size_t keylen)
{
	unsigned char block[BLOCK] = {0}, pad[BLOCK];
	SHA256_CTX c;
	int ok = 1;

	/*
	 * A key longer than a block is hashed to 32 bytes first (not with
	 * SHA256(), which OpenSSL 3 runs through EVP).
	 */
	if (keylen > BLOCK)
		ok = SHA256_Init(&c) && SHA256_Update(&c, key, keylen) &&
		     SHA256_Final(block, &c);
	else if (keylen)
		memcpy(block, key, keylen);
	for (size_t i = 0; i < BLOCK; i++)
		pad[i] = block[i] ^ 0x36;
	ok = ok && SHA256_Init(&k->inner) &&
	     SHA256_Update(&k->inner, pad, BLOCK);
	for (size_t i = 0; i < BLOCK; i++)
		pad[i] = block[i] ^ 0x5c;
	ok = ok && SHA256_Init(&k->outer) &&
	     SHA256_Update(&k->outer, pad, BLOCK);
	OPENSSL_cleanse(block, sizeof(block));
	OPENSSL_cleanse(pad, sizeof(pad));
	return ok ? 0 : -1;
}

int hc_hmac_sha256(unsigned char mac[HC_SHA256_LEN], const void *key,
		   size_t keylen, const struct hc_bytes *parts, size_t n)
{
	unsigned char inner[HC_SHA256_LEN];
	struct keyed k;
	int ok = key_pads(&k, key, keylen) == 0;

	for (size_t i = 0; ok && i < n; i++)
		ok = SHA256_Update(&k.inner, parts[i].ptr, parts[i].len);
	ok = ok && SHA256_Final(inner, &k.inner) &&
	     SHA256_Update(&k.outer, inner, sizeof(inner)) &&
	     SHA256_Final(mac, &k.outer);
	OPENSSL_cleanse(&k, sizeof(k));
	OPENSSL_cleanse(inner, sizeof(inner));
	return ok ? 0 : hc_ssl_fail("cannot compute HMAC-SHA256");
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
