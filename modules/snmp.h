/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What the SNMP module shares: its community generator, for its tests,
 * and where a line of snmpd's syntax holds a secret, for its tests (the
 * core's masking finds it through the module's hc_line_secret table).
 */
#ifndef HARDCTL_SNMP_H
#define HARDCTL_SNMP_H

#include <stdbool.h>
#include <stddef.h>

/**
 * LEN random characters of [A-Za-z0-9] from OpenSSL's RAND_bytes, each
 * equally likely, into OUT (LEN + 1 bytes).  0 or HC_ERROR.
 */
int snmp_random_community(char *out, size_t len);

/**
 * Whether LINE (SIZE bytes, no newline) grants a community as snmpd
 * reads it (rocommunity, rwcommunity, their "6" forms and "-v VERSION",
 * authcommunity, com2sec, com2sec6, com2secunix; keywords in any case),
 * and where the community's token stands: *START, *LEN.  "public" and
 * "private" are no secret and answer false.  The lines carrying other
 * secrets (trapcommunity, trapsink, trap2sink, informsink, trapsess,
 * proxy, createUser, usmUser, snmp.conf's def* secrets) answer true with
 * *START, *LEN spanning from the first secret word to the line's end.
 * A quoted word runs to its closing quote, as snmpd reads it; a line
 * commented out is read as the line it was (its secret is still there).
 */
bool snmp_line_secret(const char **start, size_t *len, const char *line,
		      size_t size);

#endif
