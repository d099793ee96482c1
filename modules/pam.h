/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * PAM stacks as the password and root-access modules edit them, through
 * Augeas's Pam lens: lines found by type and module, their arguments
 * read and changed, lines inserted, and the guard that refuses an edit
 * after which a `[success=N]` jump would land elsewhere than it did.
 */
#ifndef HARDCTL_PAM_H
#define HARDCTL_PAM_H

#include <stdbool.h>
#include "hardctl/buf.h"

struct hc_ctx;
struct hc_file;

#define PAM_LENS "Pam.lns"

/**
 * The files of PATHS (NULL-terminated) that exist under ROOT, read and
 * parsed, into OUT (struct hc_file pointers, in PATHS' order).  Each
 * gets the jump guard as its validator.  *n is how many.
 */
/*
 * hc_file::may_edit of a PAM stack: HC_EUNSAFE, naming authselect's way,
 * when authselect owns it (a link into /etc/authselect).
 */
int pam_may_edit(struct hc_ctx *ctx, const struct hc_file *file,
		 const struct hc_buf *data, const char *scratch);

int pam_files(struct hc_file **out, size_t *n, size_t max, struct hc_ctx *ctx,
	      const char *const *paths);

/** Every stack a service may run (see pam_stacks_load()). */
struct pam_stacks {
	struct hc_file **v;
	size_t n, alloc;
};

/**
 * Every stack libpam may run for some service, read and parsed once
 * each: the files of /etc/pam.d, those of /usr/lib/pam.d whose name
 * /etc/pam.d lacks (libpam 1.5 falls back there), and every file they
 * include, @include or substack, followed as libpam finds them (an
 * absolute path as it is, a name in /etc/pam.d then /usr/lib/pam.d).
 * Backup names Augeas's Util.stdexcl skips (*~, *.dpkg-old, ...) are
 * left out unless something includes them; an include that is missing
 * is skipped.  Each file gets the jump guard as its validator.  0, or
 * the error of a file that cannot be read or parsed; OUT is released
 * by pam_stacks_release().
 */
int pam_stacks_load(struct pam_stacks *out, struct hc_ctx *ctx);

void pam_stacks_release(struct pam_stacks *stacks);

/**
 * The option pam_unix's _set_ctrl (Linux-PAM 1.5) takes ARG for: the
 * first of its options, in its table's order, that ARG starts with
 * ("nullok" for "nullok_secure", "md5" for "md5x"), or NULL.  An
 * argument in brackets ("[nullok]") reaches pam_unix without them.  *hash,
 * unless NULL, says whether it names a hashing method.
 */
const char *pam_unix_option(const char *arg, bool *hash);

/**
 * The nodes of FILE's lines of TYPE (NULL: any; compared without case,
 * as libpam does) using module NAME, in file order.
 */
int pam_records(struct hc_strlist *out, struct hc_file *file, const char *type,
		const char *name);

/** Whether MODULE ("/lib/security/$ISA/pam_unix.so") is NAME ("pam_unix"). */
bool pam_module_is(const char *module, const char *name);

/** The nodes of FILE's lines of TYPE ("password") using module NAME. */
int pam_lines(struct hc_strlist *out, struct hc_file *file, const char *type,
	      const char *name);

/**
 * Argument NAME of LINE: *node is its node (NULL when absent, caller
 * frees) and *value what follows "NAME=" ("" for a bare flag).
 */
int pam_arg(char **node, const char **value, struct hc_file *file,
	    const char *line, const char *name);

/** Make LINE carry NAME=VALUE (VALUE NULL: the bare flag NAME). */
int pam_arg_set(struct hc_file *file, const char *line, const char *name,
		const char *value);

/** Remove every argument NAME (bare or NAME=...) of LINE. */
int pam_arg_rm(struct hc_file *file, const char *line, const char *name);

/**
 * Insert the line "TYPE CONTROL MODULE ARGS..." before (or after) the
 * line AT.  ARGS is a space-separated list or NULL.
 */
int pam_insert(struct hc_file *file, const char *at, bool before,
	       const char *type, const char *control, const char *module,
	       const char *args);

/**
 * The validator pam_files() sets: DATA (the stack as it would be
 * written) must keep every line of the stack as read, add no pam_deny,
 * and send every `[...=N]` jump to the line it reached before.
 */
int pam_validate(struct hc_ctx *ctx, const struct hc_file *file,
		 const struct hc_buf *data, const char *scratch);

#endif
