/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * No TLS trust anchors for libgit2.
 *
 * libgit2 1.5 as Debian builds it (on mbedTLS) parses the host's whole
 * CA bundle, a path fixed at its build, each time it starts: some 54
 * million instructions, a sixth of what apply --dry-run costs beyond
 * reading the files, for trust hardctl never uses.  The oldconf store is
 * a local repository; hardctl opens no remote and no connection through
 * libgit2.
 *
 * Linked into the programs themselves (as regcache.c is), this unit
 * defines mbedTLS's mbedtls_x509_crt_parse_file() in front of the
 * library's: it reads nothing and leaves the chain it is given as it
 * was, empty.  libgit2 then starts with no trust anchor, so were it ever
 * asked to open an HTTPS remote it would trust no certificate and fail:
 * closed, not open.  Nothing else in the programs uses mbedTLS.
 */
#include "hardctl/nocerts.h"

/* mbedtls/x509_crt.h's, without the header: the chain is not touched. */
int mbedtls_x509_crt_parse_file(void *chain, const char *path);

static unsigned long asked;

int mbedtls_x509_crt_parse_file(void *chain, const char *path)
{
	(void)chain;
	(void)path;
	asked++;
	return 0; /* no certificate parsed, none failed */
}

unsigned long hc_nocerts_asked(void)
{
	return asked;
}
