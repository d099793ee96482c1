/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The context a command runs rules in: the root, Augeas, the profile,
 * and the files read so far, each read and parsed once.
 */
#ifndef HARDCTL_CTX_H
#define HARDCTL_CTX_H

#include <stdbool.h>
#include <stddef.h>
#include "buf.h"
#include "file.h"

struct hc_aug;
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
	struct hc_strlist secrets; /* values no output may show */
	/*
	 * NULL, or a plan every file is read as it leaves it (its "after"
	 * state, orig still what ROOT holds): the context the transaction
	 * layer validates a rollback's result in (hardctl/txn.h).
	 */
	const struct hc_plan *after;
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
 * created it and FLAGS lacks HC_FILE_CREATE; HC_EPARSE when LENS does not parse it (file and line
 * in the last error); HC_EUNSAFE when it is not a regular file;
 * HC_EINVALID when it was asked for with another lens before.
 */
int hc_ctx_file(struct hc_file **out, struct hc_ctx *ctx, const char *path,
		const char *lens, unsigned int flags);

/** The file PATH if a rule has read it already, else NULL. */
struct hc_file *hc_ctx_loaded(const struct hc_ctx *ctx, const char *path);

/**
 * Register SECRET (a community string, a key) so that every report and
 * diff made from this context shows it masked.  0 or HC_ERROR.
 */
int hc_ctx_secret(struct hc_ctx *ctx, const char *secret);

/**
 * Expand PATTERN as hc_root_glob() does, adding the files rules have
 * created in memory so far: the system as it will be.
 */
int hc_ctx_glob(struct hc_strlist *out, struct hc_ctx *ctx, const char *pattern);

/**
 * The value of RULE's parameter NAME in the profile (its default when
 * the profile sets none).  Never NULL for a declared parameter.
 */
const char *hc_ctx_param(const struct hc_ctx *ctx, const struct hc_rule *rule,
			 const char *name);

#endif
