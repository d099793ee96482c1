/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The manifest: what the oldconf store knows of each managed file at a
 * commit, since git trees keep neither owner nor mode.  It is a text
 * file at the top of every commit's tree, one line per path, sorted:
 *
 *   # hardctl manifest 1
 *   /etc/issue<TAB>file<TAB>0644<TAB>0<TAB>0<TAB>SHA-256
 *   /etc/systemd/system/ctrl-alt-del.target<TAB>symlink<TAB>0777<TAB>0<TAB>0<TAB>SHA-256
 *   /etc/ssh/sshd_config.d/00-hardctl.conf<TAB>absent
 *
 * (a symlink's SHA-256 is that of its target).  A seventh field, when
 * present, lists the rules whose change to the file is in effect, as
 * RULE@TRANSACTION separated by commas:
 *
 *   /etc/login.defs<TAB>file<TAB>0644<TAB>0<TAB>0<TAB>SHA-256<TAB>password-max-days@3
 *
 * so check can tell a rule hardctl applied that was changed by hand
 * since (DRIFTED) from one never applied.  Fields after it are
 * optional, each known by its form, the rules field then possibly
 * empty: "acl:" followed by the file's access ACL in hardctl/acl.h's
 * text form records the ACL hardctl found or left (the installer drops
 * named entries a planned mode does not grant), so a rollback gives the
 * file back exactly that ACL; "lens=NAME" names the Augeas lens the
 * rules read the file with, so rollback --rule can undo a rule's change
 * node by node without the profile that made it:
 *
 *   /etc/snmp/snmpd.conf<TAB>file<TAB>0640<TAB>0<TAB>0<TAB>SHA-256<TAB><TAB>acl:user::rw-,user:65534:r--,group::r--,mask::r--,other::---
 *   /etc/securetty<TAB>file<TAB>0600<TAB>0<TAB>0<TAB>SHA-256<TAB>root-access.securetty@1<TAB>lens=Securetty.lns
 *
 * A manifest written before those fields still parses: its files' ACLs
 * are not known (the installer then keeps the file's own, trimmed).  A
 * KEY=VALUE this version does not know is left out of the entry, not an
 * error: a later version may add one.
 *
 * Bytes of a path that would break the format (%, tab, newline, other
 * control characters) are written as %XX.
 */
#ifndef HARDCTL_MANIFEST_H
#define HARDCTL_MANIFEST_H

#include <stdbool.h>
#include <sys/types.h>
#include "acl.h"
#include "buf.h"
#include "hash.h"

struct hc_file_state;

struct hc_manifest_entry {
	char *path;
	bool exists;
	bool link;
	mode_t mode;
	uid_t uid;
	gid_t gid;
	struct hc_sha256 sha;
	struct hc_strlist rules; /* "RULE@TXN", sorted */
	struct hc_acl acl;       /* its access ACL; n == 0: none or not known */
	char *lens;              /* the lens the file is read with, or NULL */
};

struct hc_manifest {
	struct hc_manifest_entry *v; /* sorted by path */
	size_t n;
	size_t alloc;
};

/**
 * Parse TEXT (LEN bytes) into OUT, which must be empty.  HC_EPARSE names
 * NAME and the line of a malformed entry.
 */
int hc_manifest_parse(struct hc_manifest *out, const char *text, size_t len,
		      const char *name);

/** Append the manifest's text to OUT. */
int hc_manifest_format(struct hc_buf *out, const struct hc_manifest *m);

/** The entry for PATH, or NULL. */
const struct hc_manifest_entry *hc_manifest_find(const struct hc_manifest *m,
						 const char *path);

/** Add or replace PATH's entry with STATE (hashing its bytes; its ACL too). */
int hc_manifest_set(struct hc_manifest *m, const char *path,
		    const struct hc_file_state *state);

/**
 * Record that RULE, in transaction TXN, changed PATH (which must have an
 * entry): RULE's older record on PATH is replaced.  0 or HC_ERROR.
 */
int hc_manifest_own(struct hc_manifest *m, const char *path, const char *rule,
		    unsigned int txn);

/**
 * Forget the changes transaction TXN made (only RULE's, unless RULE is
 * NULL): a rollback undid them.
 */
void hc_manifest_disown(struct hc_manifest *m, unsigned int txn,
			const char *rule);

/**
 * Give PATH (which must have an entry) the rule records of FROM, or
 * none when FROM is NULL.  0 or HC_ERROR.
 */
int hc_manifest_set_rules(struct hc_manifest *m, const char *path,
			  const struct hc_manifest_entry *from);

/**
 * Record that PATH (which must have an entry) is read with LENS (NULL:
 * none known).  A lens name holds letters, digits, '_' and '.' only:
 * another is HC_EINVALID.
 */
int hc_manifest_set_lens(struct hc_manifest *m, const char *path,
			 const char *lens);

/**
 * The transaction whose change by RULE to E is in effect, or 0 when
 * RULE has none.
 */
unsigned int hc_manifest_owner(const struct hc_manifest_entry *e,
			       const char *rule);

void hc_manifest_release(struct hc_manifest *m);

#endif
