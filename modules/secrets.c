/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Secrets that a file's syntax carries, masked in diffs wherever they
 * come from: SNMP communities and /etc/shadow's password hashes.  A
 * diff read back from the store (show, rollback) has no rules run over
 * it to name its secrets, so they are found by where they stand.
 */
#include <fnmatch.h>
#include <string.h>
#include "hardctl/buf.h"
#include "hardctl/module.h"
#include "snmp.h"

#define MASK "********"

/* The password field of a shadow LINE, unless it is a lock mark. */
static bool shadow_secret(const char **start, size_t *len, const char *line, size_t size)
{
	const char *colon = memchr(line, ':', size), *end;

	if (colon == NULL)
		return false;
	*start = colon + 1;
	end = memchr(*start, ':', size - (size_t)(*start - line));
	*len = end ? (size_t)(end - *start) : size - (size_t)(*start - line);
	return *len > 2;
}

typedef bool (*finder)(const char **, size_t *, const char *, size_t);

/*
 * snmpd reads files of any name (includeFile, snmpd.local.conf): every
 * file but the shadow ones is searched for community lines, whose
 * keywords appear in no other format hardctl manages.
 */
static finder finder_for(const char *path)
{
	if (fnmatch("*/shadow", path, 0) == 0 || fnmatch("*/gshadow", path, 0) == 0 ||
	    strcmp(path, "shadow") == 0)
		return shadow_secret;
	return snmp_line_secret;
}

int hc_module_mask_diff(struct hc_buf *text, size_t start, const char *path)
{
	finder find = finder_for(path);
	struct hc_buf out = HC_BUF_INIT;
	const char *p, *end;
	int error = 0;

	if (find == NULL || start >= text->size)
		return 0;
	if ((error = hc_buf_put(&out, text->ptr, start)) < 0)
		goto out;
	for (p = text->ptr + start, end = text->ptr + text->size; p < end && error == 0;) {
		const char *nl = memchr(p, '\n', (size_t)(end - p)), *s;
		size_t size = nl ? (size_t)(nl - p) + 1 : (size_t)(end - p), len;
		size_t body = size - (nl ? 1 : 0);

		if (body > 0 && (*p == ' ' || *p == '+' || *p == '-') &&
		    !(body >= 3 && (memcmp(p, "+++", 3) == 0 || memcmp(p, "---", 3) == 0)) &&
		    find(&s, &len, p + 1, body - 1) && len > 0) {
			if ((error = hc_buf_put(&out, p, (size_t)(s - p))) == 0 &&
			    (error = hc_buf_puts(&out, MASK)) == 0)
				error = hc_buf_put(&out, s + len, size - (size_t)(s + len - p));
		} else {
			error = hc_buf_put(&out, p, size);
		}
		p += size;
	}
	if (error == 0)
		error = hc_buf_set(text, out.ptr, out.size);
out:
	hc_buf_release(&out);
	return error;
}
