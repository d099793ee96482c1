/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Terminal width and word wrapping (see hardctl/term.h).
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include "hardctl/term.h"

static unsigned int clamp(unsigned long n)
{
	if (n < HC_TERM_MIN_WIDTH)
		return HC_TERM_MIN_WIDTH;
	return n > HC_TERM_MAX_WIDTH ? HC_TERM_MAX_WIDTH : (unsigned int)n;
}

unsigned int hc_term_width(const char *columns, int fd)
{
	struct winsize ws;

	if (columns && columns[0] >= '1' && columns[0] <= '9') {
		char *end;
		unsigned long n;

		errno = 0;
		n = strtoul(columns, &end, 10);
		if (*end == '\0' && errno == 0)
			return clamp(n);
	}
	if (isatty(fd) && ioctl(fd, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		return clamp(ws.ws_col);
	return HC_TERM_DEFAULT_WIDTH;
}

size_t hc_term_colour_len(const char *p, const char *end)
{
	const char *q = p + 2;

	if (end - p < 3 || p[0] != '\033' || p[1] != '[')
		return 0;
	while (q < end && q - p < 8 && ((*q >= '0' && *q <= '9') || *q == ';'))
		q++;
	return q < end && *q == 'm' ? (size_t)(q + 1 - p) : 0;
}

size_t hc_term_text_width(const char *text, size_t len)
{
	const char *p = text, *end = text + len;
	size_t cols = 0;

	while (p < end) {
		size_t n = hc_term_colour_len(p, end);

		if (n) {
			p += n;
			continue;
		}
		n = hc_utf8_len((const unsigned char *)p, (size_t)(end - p));
		p += n ? n : 1;
		cols++;
	}
	return cols;
}

static int put_spaces(struct hc_buf *out, size_t n)
{
	int error = 0;

	while (n-- && error == 0)
		error = hc_buf_put(out, " ", 1);
	return error;
}

int hc_term_wrap(struct hc_buf *out, const char *text, size_t col,
		 size_t indent, size_t width)
{
	const char *p = text;
	/*
	 * Whether the line holds nothing but indentation yet: a word goes
	 * there whatever its width, as breaking would not make it fit.
	 */
	bool empty = col <= indent;
	int error = 0;

	while (*p && error == 0) {
		size_t spaces = strspn(p, " ");
		const char *word = p + spaces;
		size_t len = strcspn(word, " ");
		size_t cols = hc_term_text_width(word, len);

		if (len == 0) {
			/* Trailing spaces: kept while they fit. */
			if (col + spaces <= width)
				error = hc_buf_put(out, p, spaces);
			break;
		}
		if (!empty && col + spaces + cols > width) {
			if ((error = hc_buf_put(out, "\n", 1)) < 0 ||
			    (error = put_spaces(out, indent)) < 0)
				break;
			col = indent;
			spaces = 0;
		}
		if ((error = hc_buf_put(out, p + (word - p - spaces),
					spaces + len)) < 0)
			break;
		col += spaces + cols;
		empty = false;
		p = word + len;
	}
	return error;
}
