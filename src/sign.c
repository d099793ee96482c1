/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Ed25519 signatures through OpenSSL's EVP interface (see hardctl/sign.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "hardctl/sign.h"

#define SIG_LEN 64     /* an Ed25519 signature */
#define SIG_B64_LEN 88 /* its base64, without the NUL */

struct hc_signer {
	EVP_PKEY *key;
	char fingerprint[HC_SHA256_HEXLEN + 1];
};

static int set_fingerprint(struct hc_signer *s)
{
	unsigned char raw[32];
	size_t len = sizeof(raw);
	struct hc_sha256 sha;
	int error;

	if (!EVP_PKEY_get_raw_public_key(s->key, raw, &len))
		return hc_ssl_fail("cannot read the signing key's public half");
	if ((error = hc_sha256(&sha, raw, len)) < 0)
		return error;
	hc_sha256_hex(s->fingerprint, &sha);
	return 0;
}

/* Make a new key and write it to PATH, which must not exist. */
static int create_key(EVP_PKEY **out, const char *path)
{
	EVP_PKEY *key = EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");
	FILE *fp = NULL;
	int fd, error = 0;

	*out = NULL;
	if (key == NULL)
		return hc_ssl_fail("cannot make a signing key");
	if ((fd = open(path,
		       O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
		       0600)) < 0 ||
	    (fp = fdopen(fd, "w")) == NULL) {
		hc_error_set_os(path, "cannot create the signing key");
		if (fd >= 0)
			close(fd);
		EVP_PKEY_free(key);
		return HC_ERROR;
	}
	if (!PEM_write_PrivateKey(fp, key, NULL, NULL, 0, NULL, NULL)) {
		error = hc_ssl_fail("cannot write the signing key");
	} else if (fflush(fp) != 0 || fsync(fileno(fp)) < 0) {
		hc_error_set_os(path, "cannot write the signing key");
		error = HC_ERROR;
	}
	if (fclose(fp) != 0 && error == 0) {
		hc_error_set_os(path, "cannot write the signing key");
		error = HC_ERROR;
	}
	if (error < 0) {
		unlink(path);
		EVP_PKEY_free(key);
		return error;
	}
	*out = key;
	return 0;
}

/* Read the key at PATH with the store's own trust rules. */
static int read_key(EVP_PKEY **out, const char *path)
{
	struct stat st;
	FILE *fp;
	int fd;

	*out = NULL;
	if ((fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) < 0) {
		int code = errno == ENOENT ? HC_ENOTFOUND : HC_ERROR;

		hc_error_set_os(path, "cannot read the signing key");
		return hc_error_set_code(code);
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) ||
	    st.st_uid != geteuid() || (st.st_mode & 077)) {
		close(fd);
		hc_error_set_at(
		    path, 0,
		    "the signing key must be a file of yours that group and "
		    "others cannot read (chmod 600): refused");
		return hc_error_set_code(HC_EUNSAFE);
	}
	if ((fp = fdopen(fd, "r")) == NULL) {
		close(fd);
		hc_error_set_os(path, "cannot read the signing key");
		return HC_ERROR;
	}
	*out = PEM_read_PrivateKey(fp, NULL, NULL, NULL);
	fclose(fp);
	if (*out == NULL || EVP_PKEY_get_id(*out) != EVP_PKEY_ED25519) {
		EVP_PKEY_free(*out);
		*out = NULL;
		ERR_clear_error();
		hc_error_set_at(
		    path, 0, "not an Ed25519 private key in PEM form: refused");
		return hc_error_set_code(HC_EUNSAFE);
	}
	return 0;
}

int hc_signer_load(struct hc_signer **out, const char *path, bool create,
		   bool *created)
{
	struct hc_signer *s;
	int error;

	*out = NULL;
	*created = false;
	if ((s = calloc(1, sizeof(*s))) == NULL)
		return hc_error_oom();
	error = read_key(&s->key, path);
	if (error == HC_ENOTFOUND && create) {
		hc_error_clear();
		if ((error = create_key(&s->key, path)) == 0)
			*created = true;
	}
	if (error == 0)
		error = set_fingerprint(s);
	if (error < 0) {
		hc_signer_free(s);
		return error;
	}
	*out = s;
	return 0;
}

void hc_signer_free(struct hc_signer *signer)
{
	if (signer == NULL)
		return;
	EVP_PKEY_free(signer->key);
	free(signer);
}

void hc_signer_fingerprint(char out[HC_SHA256_HEXLEN + 1],
			   const struct hc_signer *signer)
{
	memcpy(out, signer->fingerprint, HC_SHA256_HEXLEN + 1);
}

int hc_signer_sign(struct hc_buf *out, const struct hc_signer *signer,
		   const void *data, size_t len)
{
	unsigned char sig[SIG_LEN], b64[SIG_B64_LEN + 1];
	size_t siglen = sizeof(sig);
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	int ok;

	ok = ctx &&
	     EVP_DigestSignInit(ctx, NULL, NULL, NULL, signer->key) == 1 &&
	     EVP_DigestSign(ctx, sig, &siglen, data, len) == 1 &&
	     siglen == SIG_LEN;
	EVP_MD_CTX_free(ctx);
	if (!ok)
		return hc_ssl_fail("cannot sign a store commit");
	EVP_EncodeBlock(b64, sig, SIG_LEN);
	hc_buf_clear(out);
	return hc_buf_printf(out, "ed25519 %s %s", signer->fingerprint,
			     (const char *)b64);
}

int hc_signer_verify(const struct hc_signer *signer, const void *data,
		     size_t len, const char *sig)
{
	unsigned char raw[SIG_B64_LEN];
	const char *b64;
	EVP_MD_CTX *ctx;
	int ok;

	if (strncmp(sig, "ed25519 ", 8) != 0 ||
	    strlen(sig) != 8 + HC_SHA256_HEXLEN + 1 + SIG_B64_LEN ||
	    sig[8 + HC_SHA256_HEXLEN] != ' ') {
		hc_error_set("not a hardctl signature");
		return hc_error_set_code(HC_EUNSAFE);
	}
	if (strncmp(sig + 8, signer->fingerprint, HC_SHA256_HEXLEN) != 0) {
		hc_error_set(
		    "signed by another key (%.16s…), not this store's (%.16s…)",
		    sig + 8, signer->fingerprint);
		return hc_error_set_code(HC_EUNSAFE);
	}
	b64 = sig + 8 + HC_SHA256_HEXLEN + 1;
	/* 88 base64 characters decode to 66 bytes, the last two of them
	 * padding. */
	if (EVP_DecodeBlock(raw, (const unsigned char *)b64, SIG_B64_LEN) !=
	    SIG_LEN + 2) {
		hc_error_set("a signature that is not base64");
		return hc_error_set_code(HC_EUNSAFE);
	}
	ctx = EVP_MD_CTX_new();
	ok = ctx &&
	     EVP_DigestVerifyInit(ctx, NULL, NULL, NULL, signer->key) == 1 &&
	     EVP_DigestVerify(ctx, raw, SIG_LEN, data, len) == 1;
	EVP_MD_CTX_free(ctx);
	ERR_clear_error();
	if (!ok) {
		hc_error_set("a bad signature: the commit was changed after it "
			     "was signed");
		return hc_error_set_code(HC_EUNSAFE);
	}
	return 0;
}
