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
#include "hardctl/buf.h"

enum hc_trace_kind {
	HC_TRACE_READ,    /* a file's bytes, in ROOT */
	HC_TRACE_ABSENT,  /* a path probed in ROOT and not there */
	HC_TRACE_STAT,    /* a path's type, owner and mode, in ROOT */
	HC_TRACE_LINK,    /* a symlink's target, in ROOT */
	HC_TRACE_LIST,    /* a directory of ROOT enumerated */
	HC_TRACE_LENS,    /* a lens loaded, with the file it parsed */
	HC_TRACE_PROFILE, /* a profile or tailoring file, on the host */
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
 * The notes, one a line, sorted, each once: "KIND PATH" or
 * "lens LENS PATH", with any byte outside printable ASCII (and '\\')
 * written as \xHH.  HC_ERROR if a note was lost.
 */
int hc_trace_text(struct hc_buf *out);

/** Stop noting and forget the notes. */
void hc_trace_stop(void);

#endif
