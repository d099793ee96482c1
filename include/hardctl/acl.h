/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * POSIX access ACLs, as the installer keeps, trims and restores them.
 *
 * A file's mode says what its owner, its group and everyone else may
 * do; an access ACL (system.posix_acl_access, what setfacl writes) can
 * add named users and groups, capped by its mask, and chmod sets the
 * mask from the group bits.  So a named entry the mode does not show
 * grants its access as soon as someone runs "chmod g+r": the installer
 * drops every named entry that grants more than the mode gives anyone
 * (its "other" bits), and the store records the ACL the file had so
 * that a rollback puts it back (see hardctl/manifest.h).
 *
 * The text form is getfacl's with numeric ids (ROOT's names are not the
 * host's), entries in the kernel's order, separated by commas:
 *
 *   user::rw-,user:65534:r--,group::r--,mask::r--,other::---
 */
#ifndef HARDCTL_ACL_H
#define HARDCTL_ACL_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include "buf.h"

/* More entries than this are refused (hc_acl_read() says so). */
#define HC_ACL_MAX 32

struct hc_acl_entry {
	unsigned short tag; /* ACL_USER_OBJ ... ACL_OTHER (linux/posix_acl.h) */
	unsigned short perm; /* rwx as 4|2|1 */
	unsigned int id;     /* uid or gid for ACL_USER and ACL_GROUP, else 0 */
};

/* An access ACL; n == 0: none beyond the mode (or, in a plan, not known). */
struct hc_acl {
	unsigned int n;
	struct hc_acl_entry e[HC_ACL_MAX];
};

/**
 * The access ACL of the open file FD into OUT (n == 0 when it has none,
 * or its file system has none).  HC_EUNSAFE naming DISPLAY when it has
 * more than HC_ACL_MAX entries or cannot be decoded; HC_ERROR.
 */
int hc_acl_read(struct hc_acl *out, int fd, const char *display);

/**
 * Give the open file FD exactly ACL (n == 0: remove any access ACL, one
 * it inherited from its directory's default ACL too).  Setting an ACL
 * rewrites the mode's group bits: set the mode after.  0 or HC_ERROR.
 */
int hc_acl_write(int fd, const struct hc_acl *acl, const char *display);

/**
 * What ACL leaves once the entries MODE does not grant are dropped:
 * into KEPT (n == 0 when no named entry is left: the mode alone then
 * says who may do what), the dropped entries into DROPPED.  KEPT's
 * owner, mask (or group) and other entries are MODE's, as chmod would
 * set them.  KEPT or DROPPED may be NULL.
 */
void hc_acl_trim(struct hc_acl *kept, struct hc_acl *dropped,
		 const struct hc_acl *acl, mode_t mode);

/**
 * Set ACL's owner, mask (group when it has no mask) and other entries
 * from MODE, as chmod does to a file's ACL.
 */
void hc_acl_chmod(struct hc_acl *acl, mode_t mode);

/** Append ACL's text form to OUT (nothing for n == 0). */
int hc_acl_format(struct hc_buf *out, const struct hc_acl *acl);

/**
 * Parse the LEN bytes of text at S.  HC_EPARSE (no message) when it is
 * not a well-formed ACL (an owner, group and other entry, a mask when
 * there are named entries, in the kernel's order).
 */
int hc_acl_parse(struct hc_acl *out, const char *s, size_t len);

bool hc_acl_equal(const struct hc_acl *a, const struct hc_acl *b);

#endif
