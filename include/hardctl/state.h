/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What a path under ROOT holds, as hardctl plans, stores and restores
 * it: a regular file's bytes, mode and owner; a symlink's target and
 * owner; or nothing.
 */
#ifndef HARDCTL_STATE_H
#define HARDCTL_STATE_H

#include <stdbool.h>
#include <sys/types.h>
#include "acl.h"
#include "buf.h"

struct hc_file_state {
	bool exists;
	bool link;   /* a symlink: data is its target */
	mode_t mode; /* permission bits (0777 for a symlink) */
	uid_t uid;
	gid_t gid;
	struct hc_buf data;
	/*
	 * A regular file's POSIX access ACL, when hardctl settled it
	 * (hc_install_acls(), or the store's record): the installer gives
	 * the file exactly this one.  n == 0: not settled, or none; the
	 * file keeps its own, less what the mode does not grant.  Not part
	 * of hc_file_state_equal(): what reads ROOT does not read it.
	 */
	struct hc_acl acl;
};

/** Copy SRC into DST (whose old bytes are freed). 0 or HC_ERROR. */
int hc_file_state_copy(struct hc_file_state *dst,
		       const struct hc_file_state *src);

/** Whether two states are the same kind with the same bytes and metadata. */
bool hc_file_state_equal(const struct hc_file_state *a,
			 const struct hc_file_state *b);

/** Whether two states are the same kind with the same bytes (metadata aside).
 */
bool hc_file_state_same_data(const struct hc_file_state *a,
			     const struct hc_file_state *b);

#endif
