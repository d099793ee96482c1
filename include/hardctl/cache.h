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

#include <stdbool.h>
#include <stddef.h>
#include "hardctl/buf.h"

/**
 * In the front binary, before anything else: when a cache entry for
 * exactly this invocation (ARGV, working directory, the environment
 * that shapes the output, the terminal) verifies and every dependency
 * it names still holds, write its answer to stdout and stderr and
 * return the exit status to end with.  Else -1: run the full program.
 * Never an error, never a message of its own: any doubt is a -1.  An
 * answer that cannot be written ends as the full program's would: the
 * same words on stderr, the same exit status.
 */
int hc_cache_answer(int argc, char **argv);

/** hc_cache_answer() for the full program at FULL (its path). */
int hc_cache_answer_as(const char *full, int argc, char **argv);

/** What a full run answered, to keep. */
struct hc_cache_answer {
	const char *root;     /* ROOT as the invocation named it */
	const char *lens_dir; /* hardctl's lenses */
	int status;           /* its exit status */
	const char *out; /* its standard output, as a cached run writes it */
	size_t out_len;
	bool held; /* the output held to the end (JSON): a failed write is
		      told as json_finish() tells it */
};

/**
 * In the full program, after hc_cache_begin() and a traced run
 * (hc_trace_start() before it read anything) whose standard error went
 * through hc_cache_say():
 * keep ANSWER with the run's dependencies, unless the run doubted, the
 * cache directory is not ours alone or lies in ROOT (ROOT not "/").
 * 0 when kept, -1 when not (never an error: the answer stands).
 */
int hc_cache_save(const struct hc_cache_answer *answer);

/**
 * When the trace starts, before any lens is loaded: note, as host
 * dependencies of the run, the program itself and the libraries it runs
 * with, and take the identity of every lens file on the lens path
 * (LENS_DIR, then Augeas's own directories).
 */
void hc_cache_note_host(const char *lens_dir);

/**
 * When the run is done (hc_cache_save() calls it): note the program and
 * its libraries again, and, for every module of the lenses the run
 * handed Augeas (hc_trace_lens()) and every module those name, each file
 * Augeas looks for on the lens path, as it looks: there or not, up to
 * the one it reads.  A file noted two ways, or a lens file unlike the
 * one hc_cache_note_host() found, is a run that doubts: no answer kept.
 */
void hc_cache_note_loaded(const char *lens_dir);

/** Say TEXT on standard error, and keep it for the cache when capturing. */
void hc_cache_say(const char *text);

/**
 * In the full program, first: note the invocation (ARGV, before getopt
 * permutes it) and start keeping what hc_cache_say() says.
 */
void hc_cache_begin(int argc, char **argv);

/** What hc_cache_say() kept since capturing began. */
const struct hc_buf *hc_cache_said(void);

/**
 * The cache directory, into OUT: $HARDCTL_CACHE_DIR (empty: none), else
 * /var/cache/hardctl for root, else $XDG_CACHE_HOME/hardctl or
 * ~/.cache/hardctl; made (0700) when CREATE.  0, or HC_ENOTFOUND when
 * there is none or it is not a directory of the caller's alone.
 */
int hc_cache_dir(struct hc_buf *out, bool create);

/** Today's date as waivers see it, YYYY-MM-DD in local time. */
void hc_today(char out[11]);

#endif
