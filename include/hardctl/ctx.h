/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The context a command runs rules in: the root, Augeas, the profile,
 * and the files read so far, each read and parsed once.
 */
#ifndef HARDCTL_CTX_H
#define HARDCTL_CTX_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>
#include "buf.h"
#include "file.h"

struct hc_aug;
struct hc_file_state;
struct hc_plan;
struct hc_profile;
struct hc_root;
struct hc_rule;

struct hc_ctx {
	struct hc_root *root;
	struct hc_aug *aug;
	const struct hc_profile *profile;
	struct hc_file **files; /* in the order first asked for */
	size_t nfiles;
	size_t afiles;
	/* The same files by path: an open-addressing hash (NULL: empty slot).
	 */
	struct hc_file **index;
	size_t nindex;
	/*
	 * The files absent from ROOT when read, the only ones a rule can
	 * create: sorted by path up to nabsent_sorted, so that a glob
	 * looks only at those under its fixed prefix.
	 */
	struct hc_file **absent;
	size_t nabsent, aabsent, nabsent_sorted;
	struct hc_strlist secrets; /* values no output may show */
	/*
	 * NULL, or a plan every file is read as it leaves it (its "after"
	 * state, orig still what ROOT holds): the context the transaction
	 * layer validates a rollback's result in (hardctl/txn.h).
	 */
	const struct hc_plan *after;
	/*
	 * NULL, or where every path asked of the context is noted, clean:
	 * each file read, status or link asked, and for a glob or a listing
	 * its directory.  What was noted is all the answers depended on.
	 */
	struct hc_strlist *reads;
	/*
	 * With READS: the files a lens read through a symlink of ROOT's,
	 * each link's target in turn (the kernel followed them; a plan that
	 * writes a target changes what was read under the link's name).
	 */
	struct hc_strlist *linked;
	/*
	 * NULL, or a context on the same ROOT and Augeas whose files, each
	 * as read and left so (its tree never edited, its bytes, mode and
	 * owner the ones read), this one shares instead of parsing them
	 * again: for a context that only reads, while the lender is not
	 * edited.
	 */
	const struct hc_ctx *lender;
};

enum hc_file_flags {
	/*
	 * Return the file even when it does not exist, with an empty tree:
	 * the rule's purpose is to create it (a banner, a drop-in).
	 */
	HC_FILE_CREATE = 1u << 0,
	/* A file that does not exist is no error: *out is NULL. */
	HC_FILE_OPTIONAL = 1u << 1,
};

/** Set up CTX over the given root, Augeas and profile; none is owned. */
void hc_ctx_init(struct hc_ctx *ctx, struct hc_root *root, struct hc_aug *aug,
		 const struct hc_profile *profile);

/** Free the files read. */
void hc_ctx_release(struct hc_ctx *ctx);

/**
 * The file PATH (inside ROOT), read and parsed with LENS on first use.
 *
 * @return 0 (*out NULL for an absent file asked for with
 * HC_FILE_OPTIONAL); HC_ENOTFOUND when it does not exist, no rule
 * created it and FLAGS lacks HC_FILE_CREATE; HC_EPARSE when LENS does not parse
 * it (file and line in the last error); HC_EUNSAFE when it is not a regular
 * file; HC_EINVALID when it was asked for with another lens before.
 */
int hc_ctx_file(struct hc_file **out, struct hc_ctx *ctx, const char *path,
		const char *lens, unsigned int flags);

/**
 * Put FILE back as STATE has it (NULL: as ROOT holds it, as first
 * read): bytes, mode, owner, link, whether it is created or removed,
 * and its tree parsed again from those bytes.  What the engine undoes a
 * refused rule's edits with.  0, or a negative code (the bytes do not
 * parse again: HC_EPARSE).
 */
int hc_ctx_file_reset(struct hc_ctx *ctx, struct hc_file *file,
		      const struct hc_file_state *state);

/** The file PATH if a rule has read it already, else NULL. */
struct hc_file *hc_ctx_loaded(const struct hc_ctx *ctx, const char *path);

/**
 * Register SECRET (a community string, a key) so that every report and
 * diff made from this context shows it masked.  0 or HC_ERROR.
 */
int hc_ctx_secret(struct hc_ctx *ctx, const char *secret);

/*
 * Modules see ROOT only through the accessors below (never hc_root_*):
 * each answers for the system as the rules run so far leave it.  A
 * path a rule has read answers from the file held in memory (created,
 * removed, made a symlink, given another mode or owner); any other
 * path, from ROOT.  Paths are looked up as given (absolute, clean: as
 * hc_ctx_file() was given them); a lookup costs O(1), a glob or a
 * directory listing the size of its answer.  Directories are ROOT's:
 * no rule creates one.
 */

/**
 * Expand PATTERN as hc_root_glob() does, adding the files rules have
 * created in memory so far and leaving out those they remove: the
 * system as it will be.
 */
int hc_ctx_glob(struct hc_strlist *out, struct hc_ctx *ctx,
		const char *pattern);

/**
 * Status of PATH itself, a final symlink not followed.  For a file in
 * memory: its type (regular file or symlink), mode and owner as the
 * plan leaves them; st_size is that of the bytes as read (0 for a file
 * created in memory).
 * @return 0; HC_ENOTFOUND (also for a file a rule removes); HC_EINVALID
 * for a path that is not absolute; HC_ERROR.
 */
int hc_ctx_lstat(struct stat *st, struct hc_ctx *ctx, const char *path);

/**
 * The target of the symlink PATH, as the plan leaves it, into OUT.
 * @return 0; HC_ENOTFOUND; HC_EINVALID when PATH is no symlink; HC_ERROR.
 */
int hc_ctx_readlink(struct hc_buf *out, struct hc_ctx *ctx, const char *path);

/**
 * The bytes a reader opening PATH would get once the plan is installed:
 * symlinks followed (each hop looked up in memory first, up to 40), a
 * file in memory rendered.  Not for use while the engine re-checks a
 * rule (the texts are swapped then).
 * @return 0; HC_ENOTFOUND (a dangling link too); HC_EUNSAFE for what is
 * not a regular file, a file over HC_ROOT_MAX_FILE or too many links;
 * HC_ERROR.
 */
int hc_ctx_read(struct hc_buf *out, struct hc_ctx *ctx, const char *path);

/**
 * The names in directory DIR (no "." or ".."), sorted byte-wise,
 * appended to OUT: ROOT's, less those a rule removes, plus the files
 * rules created in it.
 * @return 0; HC_ENOTFOUND when DIR is not a directory in ROOT; HC_ERROR.
 */
int hc_ctx_list(struct hc_strlist *out, struct hc_ctx *ctx, const char *dir);

/**
 * The value of RULE's parameter NAME in the profile (its default when
 * the profile sets none).  Never NULL for a declared parameter.
 */
const char *hc_ctx_param(const struct hc_ctx *ctx, const struct hc_rule *rule,
			 const char *name);

#endif
