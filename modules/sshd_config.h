/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * sshd_config as sshd reads it, for the modules whose rules set sshd
 * keywords.  sshd takes the first value it reads for a keyword, expands
 * an Include where it stands (files in glob order), and applies
 * everything after a Match only to the connections it matches; a Match
 * in an included file ends with that file.
 */
#ifndef HARDCTL_SSHD_CONFIG_H
#define HARDCTL_SSHD_CONFIG_H

#include <stdbool.h>

struct hc_ctx;
struct hc_buf;
struct hc_file;
struct hc_finding;
struct hc_rule;

#define SSHD_CONFIG "/etc/ssh/sshd_config"
#define SSHD_LENS "Sshd.lns"
/* hardctl's drop-in: "00-" sorts it ahead of drop-ins packages ship. */
#define SSHD_DROPIN "/etc/ssh/sshd_config.d/00-hardctl.conf"

/** Where sshd gets a keyword's global value from. */
struct sshd_value {
	struct hc_file *file; /* NULL: set nowhere sshd reads first */
	char *node;           /* its node in file's tree */
	const char *value;
};

/**
 * Find the global value sshd uses for KEYWORD (case-insensitive).
 * @return 0 (out->file NULL when unset), HC_ENOTFOUND when there is no
 * sshd_config, HC_EPARSE when a file sshd reads does not parse.
 */
int sshd_lookup(struct sshd_value *out, struct hc_ctx *ctx,
		const char *keyword);

void sshd_value_release(struct sshd_value *value);

struct hc_strlist;

/**
 * Append to OUT every word of every global KEYWORD line sshd reads, in
 * its order: AllowUsers and its kin add up across lines rather than
 * taking the first; FILES (unless NULL) gets the path of each word's
 * file, in step with OUT.  *set says whether any line gave a word.
 * Errors as sshd_lookup().
 */
int sshd_words(struct hc_strlist *out, struct hc_strlist *files, bool *set, struct hc_ctx *ctx,
	       const char *keyword);

/**
 * Append to OUT the words of the first global KEYWORD line sshd reads:
 * for keywords whose first line wins however many words it has
 * (AuthorizedKeysFile, AuthenticationMethods).  Errors as sshd_lookup().
 */
int sshd_first_words(struct hc_strlist *out, struct hc_ctx *ctx, const char *keyword);

/** Whether any file sshd reads holds a Match block. Errors as sshd_lookup(). */
int sshd_has_match(bool *out, struct hc_ctx *ctx);

/**
 * Make sshd use VALUE for KEYWORD: change the value sshd reads first
 * where it stands; if none, add it to hardctl's drop-in when
 * sshd_config includes it ahead of any Match, else to sshd_config ahead
 * of its first Match block.
 */
int sshd_set(struct hc_ctx *ctx, const char *keyword, const char *value);

/** An Include's argument as a pattern inside ROOT: relative to /etc/ssh, as sshd resolves it. */
int sshd_include_pattern(struct hc_buf *out, const char *arg);

/**
 * The sshd lockout guard (an hc_file_validator for every file sshd
 * reads): the host's `sshd -t` on the configuration as the plan leaves
 * it, Includes expanded from ROOT.  Skipped, with a warning, where the
 * host has no sshd (HARDCTL_SSHD names another), no ssh-keygen or no
 * /run/sshd.  HC_EUNSAFE, blaming the file and line, when sshd rejects it.
 */
int sshd_validate(struct hc_ctx *ctx, const struct hc_file *file, const struct hc_buf *data,
		  const char *scratch);

/** What a rule built on sshd_setting_check/remediate sets. */
struct sshd_setting {
	const char *keyword;
	const char *param;        /* the rule parameter holding the value */
	const char *sshd_default; /* what sshd uses when it is unset */
	bool nocase;              /* "yes"/"no" style: compare ignoring case */
};

/** Hooks for rules whose data is a struct sshd_setting. */
int sshd_setting_check(struct hc_finding *out, struct hc_ctx *ctx,
		       const struct hc_rule *rule);
int sshd_setting_remediate(struct hc_ctx *ctx, const struct hc_rule *rule);

#endif
