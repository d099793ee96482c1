/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Ed25519 signatures through OpenSSL's EVP interface (see hardctl/sign.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "hardctl/sign.h"

#define SIG_LEN 64     /* an Ed25519 signature */
#define SIG_B64_LEN 88 /* its base64, without the NUL */

/* What git's SSH signatures are made of (OpenSSH's PROTOCOL.sshsig). */
#define SSHSIG_MAGIC "SSHSIG"
#define SSHSIG_MAGIC_LEN 6
#define SSHSIG_VERSION 1
#define SSHSIG_NAMESPACE "git"
#define SSHSIG_HASH "sha512"
#define SSH_ED25519 "ssh-ed25519"
#define ARMOR_BEGIN "-----BEGIN SSH SIGNATURE-----\n"
#define ARMOR_END "-----END SSH SIGNATURE-----"
/* OpenSSH's private key format (its PROTOCOL.key), unencrypted. */
#define KEY_MAGIC "openssh-key-v1" /* written with its NUL */
#define KEY_BEGIN "-----BEGIN OPENSSH PRIVATE KEY-----\n"
#define KEY_END "-----END OPENSSH PRIVATE KEY-----\n"
#define KEY_BLOCK 8   /* the private part pads to the "none" cipher's block */
#define ARMOR_COLS 70 /* as ssh-keygen -Y sign wraps its base64 */
/* The longest armor read: an Ed25519 SSHSIG's is 29 + 4 * 71 + 27. */
#define ARMOR_MAX 4096
#define PUB_LEN 32
#define SHA512_LEN 64

struct hc_signer {
	EVP_PKEY *key;
	unsigned char pub[PUB_LEN];
	char fingerprint[HC_SHA256_HEXLEN + 1];
};

/* OpenSSL's last error, after WHAT, as the last error.  HC_ERROR. */
static int ssl_fail(const char *what)
{
	unsigned long e = ERR_get_error();
	char detail[256] = "unknown OpenSSL error";

	if (e)
		ERR_error_string_n(e, detail, sizeof(detail));
	ERR_clear_error();
	hc_error_set("%s: %s", what, detail);
	return HC_ERROR;
}

/* hardctl's fingerprint of a raw public key: its SHA-256, in hex. */
static int fingerprint_of(char out[HC_SHA256_HEXLEN + 1],
			  const unsigned char pub[PUB_LEN])
{
	struct hc_sha256 sha;
	int error;

	if ((error = hc_sha256(&sha, pub, PUB_LEN)) < 0)
		return error;
	hc_sha256_hex(out, &sha);
	return 0;
}

static int set_fingerprint(struct hc_signer *s)
{
	size_t len = sizeof(s->pub);

	if (!EVP_PKEY_get_raw_public_key(s->key, s->pub, &len) ||
	    len != PUB_LEN)
		return ssl_fail("cannot read the signing key's public half");
	return fingerprint_of(s->fingerprint, s->pub);
}

/* Make a new key and write it to PATH, which must not exist. */
static int create_key(EVP_PKEY **out, const char *path)
{
	EVP_PKEY *key = EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");
	FILE *fp = NULL;
	int fd, error = 0;

	*out = NULL;
	if (key == NULL)
		return ssl_fail("cannot make a signing key");
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
		error = ssl_fail("cannot write the signing key");
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

int hc_signer_verify_old(const struct hc_signer *signer, const void *data,
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

/* An SSH wire-format writer (RFC 4253 section 5): uint32 and string. */
static int put_u32(struct hc_buf *out, uint32_t v)
{
	unsigned char be[4] = {(unsigned char)(v >> 24),
			       (unsigned char)(v >> 16),
			       (unsigned char)(v >> 8), (unsigned char)v};

	return hc_buf_put(out, be, sizeof(be));
}

static int put_string(struct hc_buf *out, const void *data, size_t len)
{
	int error;

	if ((error = put_u32(out, (uint32_t)len)) < 0)
		return error;
	return len ? hc_buf_put(out, data, len) : 0;
}

static int put_cstring(struct hc_buf *out, const char *str)
{
	return put_string(out, str, strlen(str));
}

/* The key as SSH encodes it: string "ssh-ed25519", string the key. */
static int put_pubkey(struct hc_buf *out, const unsigned char pub[PUB_LEN])
{
	int error;

	if ((error = put_cstring(out, SSH_ED25519)) < 0)
		return error;
	return put_string(out, pub, PUB_LEN);
}

/*
 * What the Ed25519 signature is over: the magic, the namespace, the
 * reserved string, the hash's name and the SHA-512 of the message.
 */
static int signed_data(struct hc_buf *out, const void *data, size_t len)
{
	unsigned char hash[SHA512_LEN];
	unsigned int hlen = 0;
	int error;

	if (!EVP_Digest(data, len, hash, &hlen, EVP_sha512(), NULL) ||
	    hlen != SHA512_LEN)
		return ssl_fail("cannot hash a store commit");
	hc_buf_clear(out);
	if ((error = hc_buf_put(out, SSHSIG_MAGIC, SSHSIG_MAGIC_LEN)) < 0 ||
	    (error = put_cstring(out, SSHSIG_NAMESPACE)) < 0 ||
	    (error = put_cstring(out, "")) < 0 ||
	    (error = put_cstring(out, SSHSIG_HASH)) < 0)
		return error;
	return put_string(out, hash, SHA512_LEN);
}

/* BLOB in base64, in lines of ARMOR_COLS, between BEGIN and END. */
static int put_armor(struct hc_buf *out, const struct hc_buf *blob,
		     const char *begin, const char *end)
{
	struct hc_buf b64 = HC_BUF_INIT;
	int error;

	if ((error = hc_buf_grow(&b64, (blob->size + 2) / 3 * 4 + 1)) < 0)
		return error;
	b64.size = (size_t)EVP_EncodeBlock((unsigned char *)b64.ptr,
					   (const unsigned char *)blob->ptr,
					   (int)blob->size);
	hc_buf_clear(out);
	error = hc_buf_puts(out, begin);
	for (size_t at = 0; at < b64.size && error == 0; at += ARMOR_COLS) {
		size_t n =
		    b64.size - at < ARMOR_COLS ? b64.size - at : ARMOR_COLS;

		if ((error = hc_buf_put(out, b64.ptr + at, n)) == 0)
			error = hc_buf_puts(out, "\n");
	}
	if (error == 0)
		error = hc_buf_puts(out, end);
	hc_buf_release(&b64);
	return error;
}

int hc_signer_sign(struct hc_buf *out, const struct hc_signer *signer,
		   const void *data, size_t len)
{
	struct hc_buf tbs = HC_BUF_INIT, sigblob = HC_BUF_INIT,
		      pubblob = HC_BUF_INIT, blob = HC_BUF_INIT;
	unsigned char sig[SIG_LEN];
	size_t siglen = sizeof(sig);
	EVP_MD_CTX *ctx = NULL;
	int error;

	if ((error = signed_data(&tbs, data, len)) < 0)
		goto out;
	if ((ctx = EVP_MD_CTX_new()) == NULL ||
	    EVP_DigestSignInit(ctx, NULL, NULL, NULL, signer->key) != 1 ||
	    EVP_DigestSign(ctx, sig, &siglen, (const unsigned char *)tbs.ptr,
			   tbs.size) != 1 ||
	    siglen != SIG_LEN) {
		error = ssl_fail("cannot sign a store commit");
		goto out;
	}
	if ((error = put_cstring(&sigblob, SSH_ED25519)) < 0 ||
	    (error = put_string(&sigblob, sig, SIG_LEN)) < 0 ||
	    (error = put_pubkey(&pubblob, signer->pub)) < 0 ||
	    (error = hc_buf_put(&blob, SSHSIG_MAGIC, SSHSIG_MAGIC_LEN)) < 0 ||
	    (error = put_u32(&blob, SSHSIG_VERSION)) < 0 ||
	    (error = put_string(&blob, pubblob.ptr, pubblob.size)) < 0 ||
	    (error = put_cstring(&blob, SSHSIG_NAMESPACE)) < 0 ||
	    (error = put_cstring(&blob, "")) < 0 ||
	    (error = put_cstring(&blob, SSHSIG_HASH)) < 0 ||
	    (error = put_string(&blob, sigblob.ptr, sigblob.size)) < 0)
		goto out;
	error = put_armor(out, &blob, ARMOR_BEGIN, ARMOR_END);
out:
	EVP_MD_CTX_free(ctx);
	hc_buf_release(&tbs);
	hc_buf_release(&sigblob);
	hc_buf_release(&pubblob);
	hc_buf_release(&blob);
	return error;
}

/* A reader of SSH wire format: every length checked against what is left. */
struct reader {
	const unsigned char *p;
	size_t left;
};

static bool get_u32(uint32_t *out, struct reader *r)
{
	if (r->left < 4)
		return false;
	*out = (uint32_t)r->p[0] << 24 | (uint32_t)r->p[1] << 16 |
	       (uint32_t)r->p[2] << 8 | (uint32_t)r->p[3];
	r->p += 4;
	r->left -= 4;
	return true;
}

/* A string's bytes, as a reader over them. */
static bool get_string(struct reader *out, struct reader *r)
{
	uint32_t len;

	if (!get_u32(&len, r) || len > r->left)
		return false;
	out->p = r->p;
	out->left = len;
	r->p += len;
	r->left -= len;
	return true;
}

static bool is_string(const struct reader *s, const char *want)
{
	return s->left == strlen(want) && memcmp(s->p, want, s->left) == 0;
}

/* A string of exactly LEN bytes, copied to OUT. */
static bool get_fixed(unsigned char *out, size_t len, struct reader *r)
{
	struct reader s;

	if (!get_string(&s, r) || s.left != len)
		return false;
	memcpy(out, s.p, len);
	return true;
}

/*
 * An ssh-ed25519 key or signature blob, R whole: string "ssh-ed25519",
 * then a string of LEN bytes, and nothing after.
 */
static bool get_ed25519(unsigned char *out, size_t len, struct reader r)
{
	struct reader type;

	return get_string(&type, &r) && is_string(&type, SSH_ED25519) &&
	       get_fixed(out, len, &r) && r.left == 0;
}

static int b64_value(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

/*
 * Decode the armor's body, TEXT[0..LEN), base64 in lines ended by a
 * newline, into OUT (of room for LEN bytes).  Strict: whole groups of
 * four, padding only at the very end, unused bits zero (so one blob has
 * one text, and a changed character is a changed signature).
 */
static bool b64_decode(unsigned char *out, size_t *outlen, const char *text,
		       size_t len)
{
	unsigned int acc = 0, nchars = 0, pad = 0;
	size_t n = 0;

	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)text[i];
		int v;

		if (c == '\n')
			continue;
		if (c == '=') {
			if (++pad > 2)
				return false;
			v = 0;
		} else if (pad || (v = b64_value(c)) < 0) {
			return false;
		}
		acc = acc << 6 | (unsigned int)v;
		if (++nchars % 4 == 0) {
			out[n++] = (unsigned char)(acc >> 16);
			out[n++] = (unsigned char)(acc >> 8);
			out[n++] = (unsigned char)acc;
			acc = 0;
		}
	}
	if (nchars % 4 != 0 || n < pad)
		return false;
	/* Canonical too: the bits a padded group leaves unused are zero. */
	for (unsigned int k = 1; k <= pad; k++)
		if (out[n - k] != 0)
			return false;
	*outlen = n - pad;
	return true;
}

static int sshsig_fail(struct hc_sshsig *out, const char *why)
{
	memset(out, 0, sizeof(*out));
	hc_error_set("not an SSH signature of hardctl's: %s", why);
	return hc_error_set_code(HC_EUNSAFE);
}

int hc_sshsig_parse(struct hc_sshsig *out, const char *text, size_t len)
{
	static const size_t begin_len = sizeof(ARMOR_BEGIN) - 1,
			    end_len = sizeof(ARMOR_END) - 1;
	unsigned char blob[ARMOR_MAX];
	size_t bloblen = 0, body;
	struct reader r, s;
	uint32_t version;

	memset(out, 0, sizeof(*out));
	if (len > ARMOR_MAX)
		return sshsig_fail(out, "longer than any hardctl writes");
	if (len > 0 && text[len - 1] == '\n')
		len--;
	if (len < begin_len + end_len ||
	    memcmp(text, ARMOR_BEGIN, begin_len) != 0 ||
	    memcmp(text + len - end_len, ARMOR_END, end_len) != 0 ||
	    text[len - end_len - 1] != '\n')
		return sshsig_fail(out, "not in its armor");
	body = len - end_len - begin_len;
	if (!b64_decode(blob, &bloblen, text + begin_len, body))
		return sshsig_fail(out, "broken base64");
	r.p = blob;
	r.left = bloblen;
	if (r.left < SSHSIG_MAGIC_LEN ||
	    memcmp(r.p, SSHSIG_MAGIC, SSHSIG_MAGIC_LEN) != 0)
		return sshsig_fail(out, "no SSHSIG magic");
	r.p += SSHSIG_MAGIC_LEN;
	r.left -= SSHSIG_MAGIC_LEN;
	if (!get_u32(&version, &r) || version != SSHSIG_VERSION)
		return sshsig_fail(out, "a version other than 1");
	if (!get_string(&s, &r) || !get_ed25519(out->key, PUB_LEN, s))
		return sshsig_fail(out, "a key that is not ssh-ed25519");
	if (!get_string(&s, &r) || !is_string(&s, SSHSIG_NAMESPACE))
		return sshsig_fail(out, "a namespace other than git");
	if (!get_string(&s, &r) || s.left != 0)
		return sshsig_fail(out, "reserved data");
	if (!get_string(&s, &r) || !is_string(&s, SSHSIG_HASH))
		return sshsig_fail(out, "a hash other than sha512");
	if (!get_string(&s, &r) || !get_ed25519(out->sig, SIG_LEN, s))
		return sshsig_fail(out, "a signature that is not ssh-ed25519");
	if (r.left != 0)
		return sshsig_fail(out, "bytes after the signature");
	return 0;
}

int hc_signer_verify(const struct hc_signer *signer, const void *data,
		     size_t len, const char *sig)
{
	struct hc_buf tbs = HC_BUF_INIT;
	struct hc_sshsig parsed;
	char other[HC_SHA256_HEXLEN + 1];
	EVP_MD_CTX *ctx = NULL;
	int error;

	if ((error = hc_sshsig_parse(&parsed, sig, strlen(sig))) < 0)
		goto out;
	if (memcmp(parsed.key, signer->pub, PUB_LEN) != 0) {
		if ((error = fingerprint_of(other, parsed.key)) < 0)
			goto out;
		hc_error_set(
		    "signed by another key (%.16s…), not this store's (%.16s…)",
		    other, signer->fingerprint);
		error = hc_error_set_code(HC_EUNSAFE);
		goto out;
	}
	if ((error = signed_data(&tbs, data, len)) < 0)
		goto out;
	if ((ctx = EVP_MD_CTX_new()) == NULL ||
	    EVP_DigestVerifyInit(ctx, NULL, NULL, NULL, signer->key) != 1 ||
	    EVP_DigestVerify(ctx, parsed.sig, SIG_LEN,
			     (const unsigned char *)tbs.ptr, tbs.size) != 1) {
		ERR_clear_error();
		hc_error_set("a bad signature: the commit was changed after it "
			     "was signed");
		error = hc_error_set_code(HC_EUNSAFE);
	}
out:
	EVP_MD_CTX_free(ctx);
	hc_buf_release(&tbs);
	return error;
}

int hc_signer_allowed_signer(struct hc_buf *out, const struct hc_signer *signer)
{
	struct hc_buf pubblob = HC_BUF_INIT;
	unsigned char b64[(PUB_LEN + 64) / 3 * 4 + 8];
	int error;

	if ((error = put_pubkey(&pubblob, signer->pub)) < 0)
		goto out;
	if (pubblob.size > (sizeof(b64) - 1) / 4 * 3) {
		hc_error_set("the signing key's public half is too long");
		error = HC_ERROR;
		goto out;
	}
	EVP_EncodeBlock(b64, (const unsigned char *)pubblob.ptr,
			(int)pubblob.size);
	hc_buf_clear(out);
	error =
	    hc_buf_printf(out, "%s namespaces=\"%s\" %s %s", HC_SIGN_PRINCIPAL,
			  SSHSIG_NAMESPACE, SSH_ED25519, (const char *)b64);
out:
	hc_buf_release(&pubblob);
	return error;
}

/* Release BUF, its bytes wiped first. */
static void wipe(struct hc_buf *buf)
{
	if (buf->ptr)
		OPENSSL_cleanse(buf->ptr, buf->size);
	hc_buf_release(buf);
}

/*
 * KEY's private part as PROTOCOL.key lists it, into LIST: the check
 * number twice, the key (its type, public half, then seed and public
 * half), an empty comment, padded to KEY_BLOCK with 1, 2, 3...
 */
static int put_private(struct hc_buf *list, EVP_PKEY *key,
		       const unsigned char pub[PUB_LEN])
{
	unsigned char priv[2 * PUB_LEN];
	size_t len = PUB_LEN;
	uint32_t check;
	int error = 0;

	if (!EVP_PKEY_get_raw_private_key(key, priv, &len) || len != PUB_LEN ||
	    RAND_bytes((unsigned char *)&check, sizeof(check)) != 1)
		return ssl_fail("cannot read a new host key");
	memcpy(priv + PUB_LEN, pub, PUB_LEN);
	/* The check number twice: a reader knows a wrong passphrase so. */
	for (int i = 0; i < 2 && error == 0; i++)
		error = put_u32(list, check);
	if (error == 0 && (error = put_pubkey(list, pub)) == 0 &&
	    (error = put_string(list, priv, sizeof(priv))) == 0)
		error = put_cstring(list, "");
	for (unsigned char pad = 1; error == 0 && list->size % KEY_BLOCK; pad++)
		error = hc_buf_put(list, &pad, 1);
	OPENSSL_cleanse(priv, sizeof(priv));
	return error;
}

/* KEY in OpenSSH's private key format, unencrypted, into TEXT. */
static int key_text(struct hc_buf *text, EVP_PKEY *key)
{
	struct hc_buf blob = HC_BUF_INIT, pubblob = HC_BUF_INIT,
		      list = HC_BUF_INIT;
	unsigned char pub[PUB_LEN];
	size_t len = sizeof(pub);
	int error;

	if (!EVP_PKEY_get_raw_public_key(key, pub, &len) || len != PUB_LEN)
		return ssl_fail("cannot read a new host key");
	if ((error = put_pubkey(&pubblob, pub)) < 0 ||
	    (error = put_private(&list, key, pub)) < 0 ||
	    (error = hc_buf_put(&blob, KEY_MAGIC, sizeof(KEY_MAGIC))) < 0 ||
	    (error = put_cstring(&blob, "none")) < 0 ||
	    (error = put_cstring(&blob, "none")) < 0 ||
	    (error = put_cstring(&blob, "")) < 0 ||
	    (error = put_u32(&blob, 1)) < 0 ||
	    (error = put_string(&blob, pubblob.ptr, pubblob.size)) < 0 ||
	    (error = put_string(&blob, list.ptr, list.size)) < 0)
		goto out;
	error = put_armor(text, &blob, KEY_BEGIN, KEY_END);
out:
	wipe(&list);
	wipe(&blob);
	hc_buf_release(&pubblob);
	return error;
}

/* Write LEN bytes of DATA to the new file PATH, mode 0600. */
static int write_new(const char *path, const char *data, size_t len)
{
	int fd = open(
	    path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);

	if (fd < 0)
		goto fail;
	while (len > 0) {
		ssize_t n = write(fd, data, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			close(fd);
			unlink(path);
			goto fail;
		}
		data += n;
		len -= (size_t)n;
	}
	if (close(fd) == 0)
		return 0;
	unlink(path);
fail:
	hc_error_set_os(path, "cannot write a host key");
	return HC_ERROR;
}

int hc_ssh_hostkey_create(const char *path)
{
	EVP_PKEY *key = EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");
	struct hc_buf text = HC_BUF_INIT;
	int error;

	if (key == NULL)
		return ssl_fail("cannot make a host key");
	if ((error = key_text(&text, key)) == 0)
		error = write_new(path, text.ptr, text.size);
	wipe(&text);
	EVP_PKEY_free(key);
	return error;
}
