/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The file trace (see hardctl/trace.h).  One per process, as the error
 * slot is: the readers that note into it have no context to carry it.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "hardctl/common.h"
#include "hardctl/hash.h"
#include "hardctl/trace.h"

static const char *const kind_names[] = {
    [HC_TRACE_READ] = "read",       [HC_TRACE_ABSENT] = "absent",
    [HC_TRACE_STAT] = "stat",       [HC_TRACE_LINK] = "link",
    [HC_TRACE_LIST] = "list",       [HC_TRACE_LENS] = "lens",
    [HC_TRACE_PROFILE] = "profile", [HC_TRACE_STORE] = "store",
    [HC_TRACE_HOST] = "host",
};

static struct {
	bool on;
	bool lost;
	bool doubt;
	struct hc_strlist notes;
	struct hc_strlist deps;
	struct hc_strlist modules; /* sorted and made unique when asked */
	size_t modules_compact_at; /* made unique when it grows past */
} trace;

void hc_trace_start(void)
{
	hc_strlist_release(&trace.notes);
	hc_strlist_release(&trace.deps);
	hc_strlist_release(&trace.modules);
	trace.modules_compact_at = 0;
	trace.on = true;
	trace.lost = false;
	trace.doubt = false;
}

bool hc_trace_on(void)
{
	return trace.on;
}

/* PATH with every byte outside printable ASCII, and '\\', as \xHH. */
int hc_trace_escape(struct hc_buf *out, const char *path)
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
		error = hc_trace_escape(&line, path);
	if (error == 0)
		error = hc_strlist_push(&trace.notes, hc_buf_cstr(&line));
	if (error < 0)
		trace.lost = true;
	hc_buf_release(&line);
}

/*
 * The modules noted, sorted and each once: done whenever the list
 * doubles, a lens a file parsed, so that it stays as short as its
 * modules, in linear time.
 */
static void modules_compact(void)
{
	size_t n = 0;

	hc_strlist_sort(&trace.modules);
	for (size_t i = 0; i < trace.modules.n; i++) {
		if (n &&
		    strcmp(trace.modules.v[i], trace.modules.v[n - 1]) == 0)
			free(trace.modules.v[i]);
		else
			trace.modules.v[n++] = trace.modules.v[i];
	}
	trace.modules.n = n;
	trace.modules_compact_at = 2 * n;
}

void hc_trace_lens(const char *lens)
{
	const char *dot;
	char *module;

	if (!trace.on)
		return;
	/*
	 * Augeas reads module M from m.aug, its name lowercased whole (in
	 * the C locale: ASCII letters only).
	 */
	dot = strchr(lens, '.');
	if ((module = strndup(lens, dot ? (size_t)(dot - lens)
					: strlen(lens))) == NULL ||
	    hc_strlist_push_owned(&trace.modules, module) < 0) {
		free(module);
		trace.lost = true;
		return;
	}
	for (char *p = module; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	if (trace.modules.n > 64 && trace.modules.n > trace.modules_compact_at)
		modules_compact();
}

int hc_trace_lens_modules(struct hc_strlist *out)
{
	int error = 0;

	hc_strlist_release(out);
	if (trace.lost) {
		hc_error_set("the file trace is incomplete (out of memory)");
		return HC_ERROR;
	}
	modules_compact();
	for (size_t i = 0; i < trace.modules.n && error == 0; i++)
		error = hc_strlist_push(out, trace.modules.v[i]);
	return error;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

int hc_trace_unescape(struct hc_buf *out, const char *text, size_t len)
{
	const char *end = text + len;

	hc_buf_clear(out);
	while (text < end) {
		const char *bs = memchr(text, '\\', (size_t)(end - text));
		const char *stop = bs ? bs : end;
		int hi, lo;
		char c;

		for (const char *p = text; p < stop; p++)
			if ((unsigned char)*p < 0x21 ||
			    (unsigned char)*p > 0x7e)
				return -1;
		if (hc_buf_put(out, text, (size_t)(stop - text)) < 0)
			return -1;
		if (bs == NULL)
			break;
		if (end - bs < 4 || bs[1] != 'x' || (hi = hexval(bs[2])) < 0 ||
		    (lo = hexval(bs[3])) < 0 || (hi == 0 && lo == 0))
			return -1;
		c = (char)(hi << 4 | lo);
		if (hc_buf_put(out, &c, 1) < 0)
			return -1;
		text = bs + 4;
	}
	return hc_buf_puts(out, "");
}

void hc_trace_dep(enum hc_trace_kind kind, const char *path, const char *fp)
{
	struct hc_buf line = HC_BUF_INIT;
	int error;

	if (!trace.on)
		return;
	if (kind != HC_TRACE_HOST)
		hc_trace_note(kind, path, NULL);
	error = hc_buf_printf(&line, "%s %s ", kind_names[kind], fp);
	if (error == 0)
		error = hc_trace_escape(&line, path);
	if (error == 0)
		error = hc_strlist_push(&trace.deps, hc_buf_cstr(&line));
	if (error < 0)
		trace.lost = true;
	hc_buf_release(&line);
}

void hc_trace_bytes(enum hc_trace_kind kind, const char *path, const void *data,
		    size_t len)
{
	struct hc_sha256 sha;
	char fp[HC_SHA256_HEXLEN + 1];

	if (!trace.on)
		return;
	if (hc_sha256(&sha, data, len) < 0) {
		hc_error_clear();
		trace.doubt = true;
		return;
	}
	hc_sha256_hex(fp, &sha);
	hc_trace_dep(kind, path, fp);
}

/* ST's identity, into FP. */
static void identity(char *fp, size_t len, const struct stat *st)
{
	snprintf(fp, len, "%lx:%lx:%o:%u:%u:%lld:%lld.%ld:%lld.%ld",
		 (unsigned long)st->st_dev, (unsigned long)st->st_ino,
		 (unsigned int)st->st_mode, (unsigned int)st->st_uid,
		 (unsigned int)st->st_gid, (long long)st->st_size,
		 (long long)st->st_ctim.tv_sec, st->st_ctim.tv_nsec,
		 (long long)st->st_mtim.tv_sec, st->st_mtim.tv_nsec);
}

void hc_trace_host_fp(char *fp, size_t len, const char *path)
{
	struct stat st;
	size_t n;

	if (lstat(path, &st) < 0) {
		snprintf(fp, len,
			 errno == ENOENT || errno == ENOTDIR ? "-" : "?");
		return;
	}
	identity(fp, len, &st);
	if (!S_ISLNK(st.st_mode))
		return;
	/* A link: what it leads to is what runs, or what is read. */
	n = strlen(fp);
	if (stat(path, &st) < 0)
		snprintf(fp + n, len - n, ">%s",
			 errno == ENOENT || errno == ENOTDIR ? "-" : "?");
	else if (snprintf(fp + n, len - n, ">") == 1)
		identity(fp + n + 1, len - n - 1, &st);
}

void hc_trace_host(const char *path)
{
	char fp[HC_TRACE_HOST_FP];

	if (!trace.on)
		return;
	hc_trace_host_fp(fp, sizeof(fp), path);
	if (strchr(fp, '?'))
		trace.doubt = true;
	hc_trace_dep(HC_TRACE_HOST, path, fp);
}

void hc_trace_doubt(void)
{
	if (trace.on)
		trace.doubt = true;
}

/*
 * Whether the deps name one path of one kind twice, with two
 * fingerprints: a file that changed while the run read it.  Keyed
 * "KIND PATH\tFP" (a tab sorts before any byte of an escaped path).
 */
static int seen_two_ways(bool *two)
{
	struct hc_strlist keys = HC_STRLIST_INIT;
	int error = 0;

	*two = false;
	for (size_t i = 0; i < trace.deps.n && error == 0; i++) {
		const char *line = trace.deps.v[i];
		size_t k = strcspn(line, " ");
		const char *fp = line + k + 1;
		size_t f = strcspn(fp, " ");
		struct hc_buf key = HC_BUF_INIT;

		error = hc_buf_printf(&key, "%.*s %s\t%.*s", (int)k, line,
				      fp + f + 1, (int)f, fp);
		if (error == 0)
			error = hc_strlist_push(&keys, key.ptr);
		hc_buf_release(&key);
	}
	hc_strlist_sort(&keys);
	for (size_t i = 1; i < keys.n && error == 0 && !*two; i++) {
		size_t n = strcspn(keys.v[i], "\t");

		*two = strncmp(keys.v[i], keys.v[i - 1], n + 1) == 0 &&
		       strcmp(keys.v[i], keys.v[i - 1]) != 0;
	}
	hc_strlist_release(&keys);
	return error;
}

int hc_trace_deps(struct hc_buf *out)
{
	bool two = false;
	int error = 0;

	if (trace.lost || trace.doubt) {
		hc_error_set("%s", trace.lost ? "the file trace is incomplete"
					      : "the run met what it cannot "
						"vouch for");
		return HC_ERROR;
	}
	if ((error = seen_two_ways(&two)) < 0)
		return error;
	if (two) {
		hc_error_set("a file changed while it was read");
		return HC_ERROR;
	}
	hc_strlist_sort(&trace.deps);
	for (size_t i = 0; i < trace.deps.n && error == 0; i++)
		if (i == 0 || strcmp(trace.deps.v[i], trace.deps.v[i - 1]) != 0)
			error = hc_buf_printf(out, "%s\n", trace.deps.v[i]);
	return error;
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
	hc_strlist_release(&trace.deps);
	hc_strlist_release(&trace.modules);
	trace.on = false;
	trace.lost = false;
	trace.doubt = false;
}
