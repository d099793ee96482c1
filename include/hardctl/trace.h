/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What a run read: every file, every path probed and found absent, every
 * directory enumerated, every lens loaded.  Noted by the code that does
 * the reading (src/root.c, src/aug.c, the profile loader), so the list
 * cannot drift from what really happens.  Off unless started
 * (check --trace-files); a note costs nothing then.
 */
#ifndef HARDCTL_TRACE_H
#define HARDCTL_TRACE_H

#include <stdbool.h>
#include <stddef.h>
#include "hardctl/buf.h"

enum hc_trace_kind {
	HC_TRACE_READ,    /* a file's bytes, in ROOT */
	HC_TRACE_ABSENT,  /* a path probed in ROOT and not there */
	HC_TRACE_STAT,    /* a path's type, owner and mode, in ROOT */
	HC_TRACE_LINK,    /* a symlink's target, in ROOT */
	HC_TRACE_LIST,    /* a directory of ROOT enumerated */
	HC_TRACE_LENS,    /* a lens loaded, with the file it parsed */
	HC_TRACE_PROFILE, /* a profile or tailoring file, on the host */
	HC_TRACE_STORE,   /* a file of the oldconf store (its state file) */
	HC_TRACE_HOST,    /* a program or directory of the host (deps only) */
};

/** Start noting (forgetting any earlier notes). */
void hc_trace_start(void);

/** Whether notes are being taken. */
bool hc_trace_on(void);

/**
 * Note PATH (and, for HC_TRACE_LENS, the LENS that parsed it; else
 * NULL).  Never fails: a note that cannot be kept marks the trace
 * incomplete.
 */
void hc_trace_note(enum hc_trace_kind kind, const char *path, const char *lens);

/**
 * Note that Augeas was handed LENS ("Module.lns"): Augeas reads its
 * module, and every module that one names, from the lens path.  Called
 * where hardctl hands a lens to Augeas (src/aug.c), whatever for.
 */
void hc_trace_lens(const char *lens);

/**
 * The modules of the lenses noted by hc_trace_lens(), lowercased as
 * Augeas names their files ("sshd"), sorted, each once; into OUT
 * (replacing it).  0 or HC_ERROR.
 */
int hc_trace_lens_modules(struct hc_strlist *out);

/**
 * Note PATH as a dependency of the answer, with FP, what was found
 * there: the SHA-256 of a file's bytes (read, profile), "MODE:UID:GID:INO"
 * (stat), the SHA-256 of a link's target or of a directory's sorted
 * names (link, list), "-" for a path found absent, a host file's
 * identity (hc_trace_host_fp()).  Also noted as hc_trace_note() does
 * but for HC_TRACE_HOST, which only the dependencies keep.
 */
void hc_trace_dep(enum hc_trace_kind kind, const char *path, const char *fp);

/** hc_trace_dep() with the SHA-256 of LEN bytes at DATA as FP. */
void hc_trace_bytes(enum hc_trace_kind kind, const char *path, const void *data,
		    size_t len);

/**
 * Note a host file by its identity (device, inode, type, mode, owner,
 * size, change and modification times, to the nanosecond; "-" when it
 * is absent; a symbolic link's then ">" and the identity of the file it
 * leads to, or ">-").  A file of the host is replaced by its package manager
 * or by root, never by an image: its change time is enough.
 */
void hc_trace_host(const char *path);

/** The size of a buffer for hc_trace_host_fp()'s identity. */
#define HC_TRACE_HOST_FP 384

/** The identity hc_trace_host() notes, into FP (HC_TRACE_HOST_FP bytes). */
void hc_trace_host_fp(char *fp, size_t len, const char *path);

/**
 * Say that the run read something no note can vouch for (an error
 * other than "absent", a file too large to read): its answer must not
 * be kept.
 */
void hc_trace_doubt(void);

/**
 * The dependencies noted, one a line, sorted, each once: "KIND FP
 * PATH", PATH escaped as below.  HC_ERROR when a note was lost, when
 * the run doubted, or when one path was found two ways (a file that
 * changed while it was read).
 */
int hc_trace_deps(struct hc_buf *out);

/** Escape PATH as the notes do (below) onto OUT. */
int hc_trace_escape(struct hc_buf *out, const char *path);

/** Undo hc_trace_escape() on LEN bytes of TEXT into OUT. -1 if malformed. */
int hc_trace_unescape(struct hc_buf *out, const char *text, size_t len);

/**
 * The notes, one a line, sorted, each once: "KIND PATH" or
 * "lens LENS PATH", with any byte outside printable ASCII (and '\\')
 * written as \xHH.  HC_ERROR if a note was lost.
 */
int hc_trace_text(struct hc_buf *out);

/** Stop noting and forget the notes. */
void hc_trace_stop(void);

#endif
