/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Signing the oldconf store's commits: an Ed25519 key (OpenSSL), kept
 * in a PEM file beside the store, never inside it.  hardctl creates it
 * at first use, mode 0600; its fingerprint, the SHA-256 of the raw
 * public key, is what an administrator records elsewhere to check the
 * store's history against later (hardctl verify --fingerprint).
 *
 * Commits are signed as git signs them with gpg.format=ssh: an SSHSIG
 * (OpenSSH's PROTOCOL.sshsig) in the gpgsig header, which stock git
 * verifies with an allowed-signers file naming the key.  Commits from
 * before that carry hardctl's own header, which is still checked.
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

/*
 * The principal the store's commits are written by (their author and
 * committer email), and the one the allowed-signers line names, so that
 * git finds the key for a commit by its committer.
 */
#define HC_SIGN_PRINCIPAL "hardctl@localhost"

/** What an armored SSH signature (PROTOCOL.sshsig) of hardctl's holds. */
struct hc_sshsig {
	unsigned char key[32]; /* the Ed25519 public key */
	unsigned char sig[64]; /* the Ed25519 signature */
};

/**
 * Sign LEN bytes of DATA as git signs a commit with gpg.format=ssh: OUT
 * is replaced with an armored SSHSIG ("-----BEGIN SSH SIGNATURE-----",
 * base64 in lines of 70, "-----END SSH SIGNATURE-----", no final
 * newline), namespace "git", hash sha512, for a commit's gpgsig header.
 * 0 or HC_ERROR.
 */
int hc_signer_sign(struct hc_buf *out, const struct hc_signer *signer,
		   const void *data, size_t len);

/**
 * Read an armored SSHSIG of LEN bytes at TEXT (a final newline is
 * allowed) as hardctl writes them: version 1, an ssh-ed25519 key,
 * namespace "git", no reserved data, hash sha512.  Every length is
 * checked against what is left.  0, or HC_EUNSAFE saying what is wrong;
 * OUT is then zeroed.
 */
int hc_sshsig_parse(struct hc_sshsig *out, const char *text, size_t len);

/**
 * Check SIG, an armored SSHSIG as hc_signer_sign() writes it, over DATA.
 * 0 when it is this key's and good; HC_EUNSAFE, saying why, when not.
 */
int hc_signer_verify(const struct hc_signer *signer, const void *data,
		     size_t len, const char *sig);

/**
 * Check SIG as hardctl signed commits before it used git's format, a
 * hardctl-sig header "ed25519 FINGERPRINT BASE64" of a plain Ed25519
 * signature over DATA.  0 or HC_EUNSAFE, as hc_signer_verify().
 */
int hc_signer_verify_old(const struct hc_signer *signer, const void *data,
			 size_t len, const char *sig);

/**
 * OUT is replaced with the line of git's gpg.ssh.allowedSignersFile
 * (ssh-keygen(1) ALLOWED SIGNERS) that trusts this key for commits:
 * 'hardctl@localhost namespaces="git" ssh-ed25519 BASE64', no newline.
 * 0 or HC_ERROR.
 */
int hc_signer_allowed_signer(struct hc_buf *out,
			     const struct hc_signer *signer);

/**
 * Make a new Ed25519 key and write it to PATH, which must not exist,
 * mode 0600, in OpenSSH's private key format, unencrypted, with no
 * comment (as `ssh-keygen -q -t ed25519 -N "" -C ""` writes it): a
 * throwaway host key for sshd -t, made without running ssh-keygen.  No
 * .pub file is written.  0 or HC_ERROR.
 */
int hc_ssh_hostkey_create(const char *path);

#endif
