/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The ROOT-confined reader.  Every path hardctl manages is a path inside
 * ROOT ("/etc/issue"), resolved by the kernel as if ROOT were "/":
 * symlinks, absolute or relative, and ".." never leave it.  Files are
 * opened without blocking and must be regular, so a FIFO or a device in
 * ROOT is an error rather than a hang.
 */
#ifndef HARDCTL_ROOT_H
#define HARDCTL_ROOT_H

#include <stdbool.h>
#include <sys/stat.h>
#include "buf.h"

struct hc_file_state;
struct hc_root;

/** Largest file hardctl reads (configuration files are far smaller). */
#define HC_ROOT_MAX_FILE (16u << 20)

/**
 * Open the directory PATH as a root.
 *
 * @return 0, HC_ENOTFOUND if PATH does not exist, or HC_ERROR; *out is
 * NULL on failure.  Free with hc_root_free().
 */
int hc_root_open(struct hc_root **out, const char *path);

void hc_root_free(struct hc_root *root);

/** The root as given, without a trailing slash ("" for "/"). */
const char *hc_root_prefix(const struct hc_root *root);

/**
 * Write PATH as ROOT sees it ("/etc/login.defs", whatever ROOT is) into
 * OUT, for messages: ROOT's own directory never shows.  Returns 0 or
 * HC_ERROR.
 */
int hc_root_display(struct hc_buf *out, const struct hc_root *root,
		    const char *path);

/**
 * Read the regular file PATH into OUT (replacing its contents) and its
 * status into ST (may be NULL).
 *
 * @return 0; HC_ENOTFOUND if it does not exist; HC_EUNSAFE if it is not
 * a regular file or is larger than HC_ROOT_MAX_FILE; HC_ERROR otherwise.
 */
int hc_root_read(struct hc_buf *out, struct stat *st, struct hc_root *root,
		 const char *path);

/**
 * Status of PATH itself (a final symlink is not followed).
 * @return 0, HC_ENOTFOUND, or HC_ERROR.
 */
int hc_root_lstat(struct stat *st, struct hc_root *root, const char *path);

/**
 * What PATH holds, without following a final symlink: a regular file's
 * bytes, mode and owner; a symlink's target (the link itself is kept,
 * resolved nowhere); or nothing (out->exists false, return 0).
 * @return 0; HC_EUNSAFE for a directory, FIFO or device; HC_ERROR.
 */
int hc_root_state(struct hc_file_state *out, struct hc_root *root,
		  const char *path);

/** The target of symlink PATH in ROOT.  0, HC_ENOTFOUND or HC_ERROR. */
int hc_root_readlink(struct hc_buf *out, struct hc_root *root,
		     const char *path);

/**
 * The SHA-256 of the sorted names in directory PATH of ROOT, in hex,
 * as a traced run notes a listing: what a cached answer compares.
 */
int hc_root_list_fp(char fp[65], struct hc_root *root, const char *path);

/** The room hc_root_read_fp() needs. */
#define HC_ROOT_READ_FP 128

/**
 * What a traced run notes of a file it read: "SHA256:MODE:UID:GID:INO",
 * the SHA-256 of DATA, in hex, then ST's type, mode, owner and inode (a
 * rule that reads a file may judge who can read it too, and whether two
 * paths are one file).  0 or HC_ERROR.
 */
int hc_root_read_fp(char *fp, size_t len, const struct hc_buf *data,
		    const struct stat *st);

/**
 * A stat's type, mode, owner and inode number as a traced run notes
 * them: "MODE:UID:GID:INO" (INO in hex).
 */
void hc_root_stat_fp(char *fp, size_t len, const struct stat *st);

/**
 * Open the directory PATH inside ROOT, for the *at() calls that write
 * into it: what ROOT remembered (hc_root_remember()) is forgotten.  The
 * caller closes *fd.  0, HC_ENOTFOUND or HC_ERROR.
 */
int hc_root_opendir(int *fd, struct hc_root *root, const char *path);

/** hc_root_opendir() for a caller that only reads through *fd. */
int hc_root_opendir_read(int *fd, struct hc_root *root, const char *path);

/**
 * Append the names in directory PATH of ROOT ("." and ".." left out),
 * sorted byte-wise, to OUT.  0, HC_ENOTFOUND (absent or not a
 * directory) or HC_ERROR.
 */
int hc_root_list(struct hc_strlist *out, struct hc_root *root,
		 const char *path);

/**
 * Whether ROOT remembers what it finds: each path's status
 * (hc_root_lstat()) and each directory's names (hc_root_list(),
 * hc_root_glob()), absent ones too, answered again from memory as
 * first found, and noted in the trace as then.  Either way what it
 * remembered is forgotten, and so it is whenever hc_root_opendir()
 * hands out a directory to write into.  For a command's reading phase,
 * where a rule after rule asks the same: the host is taken as one
 * snapshot.  Off unless turned on.
 */
void hc_root_remember(struct hc_root *root, bool on);

/**
 * Forget what ROOT remembered (hc_root_remember()), remembering on as
 * it was: for a caller that must see the host as it is now.
 */
void hc_root_forget(struct hc_root *root);

/**
 * Expand the shell pattern PATTERN (an absolute path whose components
 * may hold *, ? and [...]) inside ROOT and append the matches, sorted
 * byte-wise as glob(3) does in the C locale, to OUT.  A pattern that
 * matches nothing appends nothing.  Names starting with "." match only
 * a pattern that starts with ".".
 */
int hc_root_glob(struct hc_strlist *out, struct hc_root *root,
		 const char *pattern);

/**
 * PATH made absolute and clean, by its text alone: "." and empty
 * components dropped, each ".." taking the component before it, a ".."
 * at the top staying there (ROOT's top is its "/"), into OUT.
 * "/etc/ssh/../../../tmp/./x" is "/tmp/x".  A symlink before a ".." is
 * not resolved (the kernel would): callers that must agree with it
 * resolve links first or refuse such a path.
 */
int hc_path_clean(struct hc_buf *out, const char *path);

/**
 * Whether to let the kernel resolve paths (openat2, when it has it: the
 * default) or to resolve them in user space, as hardctl does where
 * openat2 is missing.  For the tests, which run both.
 */
void hc_root_use_openat2(bool on);

#endif
