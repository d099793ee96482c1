/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Text for a terminal: how wide it is, and paragraphs wrapped to that
 * width without losing a character.  The command layer asks for the
 * width once; the reports take it as an argument and never ask the
 * terminal themselves.
 */
#ifndef HARDCTL_TERM_H
#define HARDCTL_TERM_H

#include <stddef.h>
#include "buf.h"

/** The narrowest width text output is laid out for. */
#define HC_TERM_MIN_WIDTH 40u
/** The widest: a larger COLUMNS is taken as this. */
#define HC_TERM_MAX_WIDTH 4096u
/** The width when nothing says otherwise (stdout is no terminal). */
#define HC_TERM_DEFAULT_WIDTH 80u

/**
 * The columns text output is laid out for: COLUMNS (a decimal number,
 * as the environment gives it; NULL or anything else is ignored), else
 * the width of the terminal FD is (TIOCGWINSZ), else 80; never under
 * HC_TERM_MIN_WIDTH nor over HC_TERM_MAX_WIDTH.
 */
unsigned int hc_term_width(const char *columns, int fd);

/**
 * The length of the colour sequence hardctl's reports use (ESC [
 * digits and ';' m, 8 bytes at most) that starts at P (END bounds it),
 * or 0 when none does.
 */
size_t hc_term_colour_len(const char *p, const char *end);

/**
 * The columns LEN bytes of TEXT take: one per UTF-8 character (a byte
 * that starts none counts one), none for a colour sequence (ESC [
 * digits and ';' m).  Text from ROOT is escaped before it is measured,
 * so an escaped control character counts as the characters printed.
 */
size_t hc_term_text_width(const char *text, size_t len);

/**
 * Append TEXT (one paragraph, no newline) to OUT, wrapped at spaces so
 * that no line is wider than WIDTH: the first line goes on from column
 * COL (what the caller already wrote on it), each further line starts
 * with INDENT spaces.  A break replaces the spaces it falls on; every
 * other byte is kept, and a word wider than a line stays whole on a
 * line of its own.  No newline is appended.  0 or HC_ERROR.
 */
int hc_term_wrap(struct hc_buf *out, const char *text, size_t col,
		 size_t indent, size_t width);

#endif
