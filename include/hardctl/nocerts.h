/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * No TLS trust anchors for libgit2 (src/nocerts.c): the programs define
 * mbedtls_x509_crt_parse_file() so that libgit2's start parses no CA
 * bundle.  Link it into executables only (CMakeLists.txt:
 * HARDCTL_PROGRAM_SOURCES); hardctl never calls it, tests read its count.
 */
#ifndef HARDCTL_NOCERTS_H
#define HARDCTL_NOCERTS_H

/** How many times a library asked for a certificate file to be parsed. */
unsigned long hc_nocerts_asked(void);

#endif
