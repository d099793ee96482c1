/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Compiled regular expressions kept for the life of the process.
 *
 * src/regcache.c defines re_compile_pattern() and regfree() for the
 * program it is linked into, in front of glibc's: Augeas, which compiles
 * a lens's expressions again after every render, gets each pattern's
 * automaton compiled once per process.  Link it into executables only
 * (CMakeLists.txt: HARDCTL_PROGRAM_SOURCES); hardctl never calls it,
 * tests read its counts.  Not thread-safe: hardctl runs Augeas on one
 * thread.
 */
#ifndef HARDCTL_REGCACHE_H
#define HARDCTL_REGCACHE_H

#include <stdbool.h>
#include <stddef.h>

struct hc_regcache_stats {
	size_t hits;   /* compiles answered from the cache */
	size_t misses; /* compiles glibc did (and the cache kept) */
	size_t kept;   /* distinct automata kept */
};

/*
 * Compile every pattern afresh from now on (true), or answer from the
 * cache again (false).  Automata kept so far stay kept.  For tests.
 */
void hc_regcache_disable(bool off);

/** The counts so far. */
void hc_regcache_stats(struct hc_regcache_stats *out);

#endif
