/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The front's note of the Augeas, libgit2 and OpenSSL versions
 * (libversions.c): what the libraries said at run time when the front
 * last loaded them, kept with the identity of every file that decided
 * which libraries the dynamic loader maps, and believed only while none
 * of them changed.  Loading the three libraries costs as much as
 * starting hardctl-full; the note spares a repeated --version that.
 */
#ifndef HARDCTL_LIBVERSIONS_H
#define HARDCTL_LIBVERSIONS_H

#include "hardctl/buf.h"

struct hc_libversions {
	char augeas[64];   /* Augeas's /augeas/version; never "" */
	int git[3];        /* git_libgit2_version(): major, minor, revision */
	char openssl[128]; /* OpenSSL_version(OPENSSL_VERSION); never "" */
};

/* The libraries asked, in the note's order. */
enum hc_lib { HC_LIB_AUGEAS, HC_LIB_GIT, HC_LIB_OPENSSL, HC_LIB_COUNT };

/*
 * The note's path into OUT: libversions in the verified cache's
 * directory (hc_cache_dir(), made when CREATE).  HC_ENOTFOUND when there
 * is none of the caller's own, or when the environment chooses other
 * libraries than the note could know (LD_LIBRARY_PATH, LD_PRELOAD,
 * LD_AUDIT set): then there is no note to read or write.
 */
int hc_libversions_path(struct hc_buf *out, bool create);

/*
 * The versions noted in PATH into OUT, when the note is a regular file
 * of this user's that no one else may write, made by a front loading
 * the same sonames, and the loader's cache, its preload file and the
 * libraries are the very files they were (device, inode, size, mtime
 * and ctime).  0, or HC_ENOTFOUND (any doubt; the error says which).
 */
int hc_libversions_read(struct hc_libversions *out, const char *path);

/*
 * Note V in PATH (its directory made, 0700, as needed), with the
 * identities of FILES, the libraries the loader mapped (by enum hc_lib),
 * and of the loader's cache and preload file.  The note is replaced
 * whole (rename) or not at all.  Nothing is noted (HC_ERROR) when a
 * library is not one the loader's cache names: then another library
 * could shadow it without the cache changing.
 */
int hc_libversions_write(const char *path, const struct hc_libversions *v,
			 const char *const files[HC_LIB_COUNT]);

#endif
