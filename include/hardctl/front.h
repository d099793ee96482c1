/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * hardctl is two programs: a small front (src/front.c), linked with libc
 * and Nettle only, that answers --help, --version and what the verified
 * cache holds (hardctl/cache.h) in a few milliseconds, and the full
 * program, hardctl-full, linked with Augeas, libgit2 and OpenSSL too,
 * whose 29 shared libraries cost more to map and relocate than those
 * answers do.  The front runs the full program for everything else.
 */
#ifndef HARDCTL_FRONT_H
#define HARDCTL_FRONT_H

#include <stddef.h>

/**
 * The path of the full program the running front runs, into OUT (LEN
 * bytes with its NUL): the directory of the front's own executable
 * (/proc/self/exe; without /proc, the path it was started by, resolved)
 * joined with a relative path fixed when hardctl was configured
 * (HARDCTL_FULL_RELPATH: "hardctl-full" in an uninstalled build tree,
 * "../libexec/hardctl/hardctl-full" from /usr/sbin), so that a copy of
 * both binaries in another directory of the same layout stays a pair.
 * Meant for the front: in hardctl-full itself, /proc/self/exe is the
 * full program already.  The file is not opened: whether it exists is
 * the caller's to find.
 *
 * Returns 0, or HC_ERROR (the error naming the cause) when the front's
 * own path cannot be found or the result does not fit in LEN; OUT is
 * then "".
 */
int hc_front_full_path(char *out, size_t len);

#endif
