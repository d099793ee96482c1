/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The installer: puts a plan's files in place under ROOT, all or none.
 * Each file is replaced atomically (a temporary file in the same
 * directory, written, given the planned owner, mode and the old file's
 * extended attributes, fsynced, renamed over the old one, and the
 * directory fsynced).  Then each file is read back and its SHA-256
 * compared with the plan.  If anything fails, every file already
 * replaced is put back as it was.
 */
#ifndef HARDCTL_INSTALL_H
#define HARDCTL_INSTALL_H

struct hc_plan;
struct hc_root;
struct hc_store;
struct hc_txn_meta;

/**
 * Refuse a plan that cannot be installed safely, before anything is
 * written: a file that is now a symlink (replacing it would cut the
 * link) or has hard links (a rename would split them), a file changed
 * since the plan read it, a directory that does not exist.
 * @return 0; HC_EUNSAFE or HC_ECONFLICT naming the file.
 */
int hc_install_preflight(struct hc_root *root, const struct hc_plan *plan);

/**
 * Install PLAN.  @return 0; on failure a negative code, with every file
 * as it was before (the last error says what failed and, should
 * restoring fail too, which file needs a hand).
 */
int hc_install(struct hc_root *root, const struct hc_plan *plan);

/**
 * Make PLAN a transaction: record the files' present state in STORE,
 * commit the plan's steps (SUBJECT for steps of no rule), mark the
 * transaction pending, install the files, and only then make the
 * transaction part of history.  *id receives its number.
 *
 * @return 0; on failure a negative code with every file as it was and
 * the store's history unchanged (commits written are left unreferenced).
 */
/**
 * Remove the temporary files a crash left beside PLAN's files (named
 * ".BASE.hardctl-XXXXXXXX").  0, or HC_ERROR when one cannot be removed.
 */
int hc_install_sweep(struct hc_root *root, const struct hc_plan *plan);

int hc_install_txn(unsigned int *id, struct hc_store *store, struct hc_root *root,
		   const struct hc_plan *plan, const struct hc_txn_meta *meta,
		   const char *subject);

#endif
