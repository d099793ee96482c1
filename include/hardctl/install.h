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
 * Remove the temporary files a crash left beside PLAN's files (named
 * ".BASE.hardctl-XXXXXXXX").  0, or HC_ERROR when one cannot be removed.
 */
int hc_install_sweep(struct hc_root *root, const struct hc_plan *plan);

#endif
