/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The installer: puts a plan's files in place under ROOT, all or none.
 * Each file is replaced atomically: a temporary file in the same
 * directory is written, given the old file's extended attributes, then
 * its access ACL (see hc_install_acls()), then the planned owner and
 * last the planned mode (a chown clears set-id bits, and setting an ACL
 * rewrites the group bits), read back (owner and mode), fsynced,
 * renamed over the old one, and the directory fsynced.  Then each file
 * is read back, bytes, owner and mode, and compared with the plan.  If
 * anything fails, every file already replaced is put back as it was,
 * its ACL included; one never replaced is not touched.
 */
#ifndef HARDCTL_INSTALL_H
#define HARDCTL_INSTALL_H

#include <stddef.h>
#include <sys/types.h>
#include "acl.h"

struct hc_plan;
struct hc_plan_file;
struct hc_root;

/**
 * Refuse a plan that cannot be installed safely, before anything is
 * written: a file that is now a symlink (replacing it would cut the
 * link) or has hard links (a rename would split them), a file changed
 * since the plan read it, a directory that does not exist; a file, its
 * directory or a directory above it inside ROOT that is immutable or
 * append-only (chattr +i, +a: nothing in such a directory can be
 * replaced); a read-only file system; an ACL hardctl cannot record.
 * The host as it is now: what ROOT remembered is forgotten first.
 * @return 0; HC_EUNSAFE (naming the file or directory and what to do)
 * or HC_ECONFLICT naming the file.
 */
int hc_install_preflight(struct hc_root *root, const struct hc_plan *plan);

/**
 * hc_install_preflight() of one file of a plan (what check judges of
 * each file a fix touches, with no plan made).
 */
int hc_install_preflight_file(struct hc_root *root,
			      const struct hc_plan_file *file);

/** A file whose access ACL a plan trims. */
struct hc_install_acl_drop {
	const char *path;      /* the plan's (valid as long as the plan is) */
	mode_t mode;           /* its planned mode, which does not grant them */
	struct hc_acl dropped; /* the named entries dropped */
};

/**
 * Settle the access ACLs of PLAN's regular files (hardctl/acl.h): each
 * file's ACL as it is now goes into its before state (so the store
 * records it, and a rollback puts it back), and into its after state,
 * and each step's, what is left once the named entries that grant more
 * than the planned mode gives anyone are dropped.  States whose ACL is
 * already settled (a rollback's, from the store) are left as they are.
 * Every file that loses entries goes into *OUT (*N of them; free()
 * the array): apply says so.  Reads ROOT, writes nothing.
 * @return 0; HC_EUNSAFE for an ACL hardctl cannot record; HC_ERROR.
 */
int hc_install_acls(struct hc_install_acl_drop **out, size_t *n,
		    struct hc_root *root, struct hc_plan *plan);

/**
 * Install PLAN.  @return 0; on failure a negative code, with every file
 * as it was before (the last error says what failed and, should
 * restoring fail too, which file needs a hand).
 */
int hc_install(struct hc_root *root, const struct hc_plan *plan);

/**
 * Remove the temporary files a crash left beside PLAN's files (named
 * ".BASE.hardctl-XXXXXXXX").  0, or HC_ERROR when one cannot be removed.
 */
int hc_install_sweep(struct hc_root *root, const struct hc_plan *plan);

#endif
