/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The file trace (see hardctl/trace.h).  One per process, as the error
 * slot is: the readers that note into it have no context to carry it.
 */
#include <stdio.h>
#include <string.h>
#include "hardctl/common.h"
#include "hardctl/trace.h"

static const char *const kind_names[] = {
    [HC_TRACE_READ] = "read",       [HC_TRACE_ABSENT] = "absent",
    [HC_TRACE_STAT] = "stat",       [HC_TRACE_LINK] = "link",
    [HC_TRACE_LIST] = "list",       [HC_TRACE_LENS] = "lens",
    [HC_TRACE_PROFILE] = "profile",
};

static struct {
	bool on;
	bool lost;
	struct hc_strlist notes;
} trace;

void hc_trace_start(void)
{
	hc_strlist_release(&trace.notes);
	trace.on = true;
	trace.lost = false;
}

bool hc_trace_on(void)
{
	return trace.on;
}

/* PATH with every byte outside printable ASCII, and '\\', as \xHH. */
static int put_escaped(struct hc_buf *out, const char *path)
{
	int error = 0;

	for (const unsigned char *p = (const unsigned char *)path;
	     *p && error == 0; p++)
		error = *p < 0x21 || *p > 0x7e || *p == '\\'
			    ? hc_buf_printf(out, "\\x%02x", *p)
			    : hc_buf_put(out, (const char *)p, 1);
	return error;
}

void hc_trace_note(enum hc_trace_kind kind, const char *path, const char *lens)
{
	struct hc_buf line = HC_BUF_INIT;
	int error;

	if (!trace.on)
		return;
	error = hc_buf_printf(&line, "%s ", kind_names[kind]);
	if (error == 0 && lens)
		error = hc_buf_printf(&line, "%s ", lens);
	if (error == 0)
		error = put_escaped(&line, path);
	if (error == 0)
		error = hc_strlist_push(&trace.notes, hc_buf_cstr(&line));
	if (error < 0)
		trace.lost = true;
	hc_buf_release(&line);
}

int hc_trace_text(struct hc_buf *out)
{
	int error = 0;

	if (trace.lost) {
		hc_error_set("the file trace is incomplete (out of memory)");
		return HC_ERROR;
	}
	hc_strlist_sort(&trace.notes);
	for (size_t i = 0; i < trace.notes.n && error == 0; i++)
		if (i == 0 ||
		    strcmp(trace.notes.v[i], trace.notes.v[i - 1]) != 0)
			error = hc_buf_printf(out, "%s\n", trace.notes.v[i]);
	return error;
}

void hc_trace_stop(void)
{
	hc_strlist_release(&trace.notes);
	trace.on = false;
	trace.lost = false;
}
