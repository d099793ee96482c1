/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What the SNMP module shares: its community generator, for its tests.
 */
#ifndef HARDCTL_SNMP_H
#define HARDCTL_SNMP_H

#include <stddef.h>

/**
 * LEN random characters of [A-Za-z0-9] from OpenSSL's RAND_bytes, each
 * equally likely, into OUT (LEN + 1 bytes).  0 or HC_ERROR.
 */
int snmp_random_community(char *out, size_t len);

#endif
