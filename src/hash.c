/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * SHA-256 through OpenSSL's EVP interface.
 */
#include <openssl/err.h>
#include <openssl/evp.h>
#include "hardctl/common.h"
#include "hardctl/hash.h"

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
	unsigned int outlen = 0;

	if (!EVP_Digest(data, len, out->id, &outlen, EVP_sha256(), NULL) ||
	    outlen != HC_SHA256_LEN)
		return hc_ssl_fail("cannot compute SHA-256");
	return 0;
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
