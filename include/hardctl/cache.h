/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The verified cache of check's answers.  A full check, when it may,
 * leaves beside its answer everything the answer depended on (the
 * SHA-256 of each file of ROOT it read, each path it found absent, each
 * directory's listing, each owner and mode it judged, the profile and
 * tailoring bytes, today's date, the programs and lenses it ran), under
 * an HMAC by a key of this host's.  A later identical invocation is
 * answered from it only when every one of those still holds.
 */
#ifndef HARDCTL_CACHE_H
#define HARDCTL_CACHE_H

/**
 * In the front binary, before anything else: when a cache entry for
 * exactly this invocation (ARGV, working directory, the environment
 * that shapes the output, the terminal) verifies and every dependency
 * it names still holds, write its answer to stdout and stderr and
 * return the exit status to end with.  Else -1: run the full program.
 * Never an error, never a message: any doubt is a -1.
 */
int hc_cache_answer(int argc, char **argv);

#endif
