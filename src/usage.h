/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What both programs print before any setup: the global usage text and
 * the --version lines (usage.c).  The front (front.c) and the full
 * program (main.c) link the same object, so they print the same bytes.
 */
#ifndef HARDCTL_USAGE_H
#define HARDCTL_USAGE_H

/*
 * "hardctl --help" is the two texts in a row, on stdout; hardctl without
 * a command prints them on stderr.  Each is under the 4095 bytes a C11
 * compiler need take in one string.
 */
extern const char cmd_usage_commands[];
extern const char cmd_usage_options[];

/*
 * Print the --version lines on stdout: hardctl's version, the profile
 * and lens directories it was built to read, then the Augeas version
 * (NULL: "(unknown)"), the libgit2 version and OpenSSL's (its
 * OpenSSL_version(OPENSSL_VERSION) string, NULL: "OpenSSL (unknown)"),
 * the library versions as the caller got them from the libraries at run
 * time.  0, or -1 when stdout refused them.
 */
int cmd_print_version(const char *aug_version, int git_major, int git_minor,
		      int git_rev, const char *ssl_version);

#endif
