/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Signing the oldconf store's commits: an Ed25519 key (OpenSSL), kept
 * in a PEM file beside the store, never inside it.  hardctl creates it
 * at first use, mode 0600; its fingerprint, the SHA-256 of the raw
 * public key, is what an administrator records elsewhere to check the
 * store's history against later (hardctl verify --fingerprint).
 */
#ifndef HARDCTL_SIGN_H
#define HARDCTL_SIGN_H

#include <stdbool.h>
#include <stddef.h>
#include "buf.h"
#include "hash.h"

struct hc_signer;

/**
 * Load the key at PATH, or with CREATE make one there if there is none
 * (*created says so).  The file must be a regular file owned by the
 * caller and closed to group and others.
 *
 * @return 0; HC_ENOTFOUND when there is none and CREATE is false;
 * HC_EUNSAFE when it is refused (permissions, owner, not an Ed25519
 * key); HC_ERROR.
 */
int hc_signer_load(struct hc_signer **out, const char *path, bool create,
		   bool *created);

void hc_signer_free(struct hc_signer *signer);

/** The key's fingerprint, lowercase hex. */
void hc_signer_fingerprint(char out[HC_SHA256_HEXLEN + 1],
			   const struct hc_signer *signer);

/**
 * Sign LEN bytes of DATA: OUT is replaced with the signature as a
 * commit header value, "ed25519 FINGERPRINT BASE64".  0 or HC_ERROR.
 */
int hc_signer_sign(struct hc_buf *out, const struct hc_signer *signer,
		   const void *data, size_t len);

/**
 * Check SIG, as hc_signer_sign() writes it, over DATA.  0 when it is
 * this key's and good; HC_EUNSAFE, saying why, when not.
 */
int hc_signer_verify(const struct hc_signer *signer, const void *data,
		     size_t len, const char *sig);

#endif
