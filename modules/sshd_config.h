/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * sshd_config as sshd reads it, for the modules whose rules set sshd
 * keywords.  sshd takes the first value it reads for a keyword, expands
 * an Include where it stands (files in glob order), and applies
 * everything after a Match only to the connections it matches.  A Match
 * in an included file ends with that file: sshd (OpenSSH 9.2, servconf.c)
 * restores the including file's Match state after each file an Include
 * names, so lines after the Include are global again (sshd -T -C agrees).
 */
#ifndef HARDCTL_SSHD_CONFIG_H
#define HARDCTL_SSHD_CONFIG_H

#include <stdbool.h>

struct hc_ctx;
struct hc_buf;
struct hc_file;
struct hc_file_job;
struct hc_finding;
struct hc_rule;

#define SSHD_CONFIG "/etc/ssh/sshd_config"
#define SSHD_LENS "Sshd.lns"
/* What renders the lines hardctl writes as SSHD_LENS does, at less cost. */
#define SSHD_DROPIN_LENS "Hardctl_Sshd_Dropin.lns"
/* hardctl's drop-in: "00-" sorts it ahead of drop-ins packages ship. */
#define SSHD_DROPIN "/etc/ssh/sshd_config.d/00-hardctl.conf"

/*
 * The most files sshd may read for its configuration, a file counted
 * each time an Include names it: sshd's own reading grows with the
 * product of the globs' widths, so past this hardctl reports an error
 * rather than walk (or have sshd -t run) on.
 */
#define SSHD_MAX_INCLUDES 1024

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

/** A global line sshd reads (not an Include, not in a Match block). */
struct sshd_line {
	const char *keyword;  /* as written */
	const char *value;    /* NULL: the words are numbered children */
	struct hc_file *file; /* where it is */
	char *node;           /* with no value, its node in file's tree */
};

/** The global lines of every file sshd reads, in its order. */
struct sshd_lines {
	struct sshd_line *v;
	size_t n, alloc;
	bool match; /* a Match block ended a file's global lines */
};

/**
 * Read into OUT every global line sshd reads, in one walk of sshd_config
 * and what it includes: for a caller that asks many keywords of one
 * context, which sshd_lookup() would walk once each.  The host sshd's
 * verdict is the caller's to ask (sshd_verdict()), once.  The lines
 * point into the files' trees: they hold while the context is not
 * edited.  Errors as sshd_lookup(), but for the verdict's.
 */
int sshd_lines(struct sshd_lines *out, struct hc_ctx *ctx);

/** The first of LINES for KEYWORD (case-insensitive), or NULL. */
const struct sshd_line *sshd_lines_first(const struct sshd_lines *lines,
					 const char *keyword);

/**
 * Append to OUT the words of LINE: for keywords sshd takes whole
 * (AuthorizedKeysFile, AllowUsers and its kin).
 */
int sshd_line_words(struct hc_strlist *out, const struct sshd_line *line);

void sshd_lines_release(struct sshd_lines *lines);

/**
 * Make sshd use VALUE for KEYWORD: change the value sshd reads first
 * where it stands; if none, add it to hardctl's drop-in when
 * sshd_config includes it ahead of any Match, else to sshd_config ahead
 * of its first Match block.
 */
int sshd_set(struct hc_ctx *ctx, const char *keyword, const char *value);

/**
 * An Include's argument as a pattern inside ROOT, as sshd resolves it:
 * relative to /etc/ssh, but "~..." relative to sshd's working directory, /.
 */
int sshd_include_pattern(struct hc_buf *out, const char *arg);

/**
 * Append to OUT the arguments of an Include line as sshd splits them:
 * "..." and '...' quoting, backslash escapes, a # word ending the line.
 * HC_EPARSE naming FILE:LINE on an unclosed quote (sshd: "invalid quotes").
 */
int sshd_include_args(struct hc_strlist *out, const char *args,
		      const char *file, unsigned int line);

/** A set of strings with a count each, for walks that must visit each file
 * once. */
struct sshd_seen {
	char **v;
	size_t *count;
	size_t n, cap;
};

/** Add KEY to SET (count 0); *added false when it was there.  0 or HC_ERROR. */
int sshd_seen_add(bool *added, struct sshd_seen *set, const char *key);
/** KEY's count in SET, or NULL when it is not there. */
size_t *sshd_seen_count(struct sshd_seen *set, const char *key);
void sshd_seen_release(struct sshd_seen *set);

/**
 * The host sshd's verdict on ROOT's configuration as ROOT holds it: the
 * same `sshd -t` the lockout guard runs, on a scratch copy with the
 * Includes pointed into the copy.  0 when sshd accepts it, cannot be run
 * here (a warning says so), or rules have changed a file it reads (the
 * guard judges the plan before it is installed); HC_EUNSAFE, naming sshd's
 * version, the file and line and sshd's reason, when it refuses: a rule read
 * from a configuration sshd refuses is an ERROR, never a PASS or a FAIL. The
 * verdict is kept for as long as the configuration's bytes stay the same.
 */
int sshd_verdict(struct hc_ctx *ctx);

/**
 * Start, where the verdict on ROOT's configuration as it is now is not
 * known yet, the `sshd -t` that sshd_verdict() will ask for, and return
 * at once: sshd runs while the caller parses.  Best effort: anything
 * that fails here, sshd_verdict() meets again.
 */
void sshd_verdict_start(struct hc_ctx *ctx);

/** End unheard an sshd -t sshd_verdict_start() started (an error path). */
void sshd_verdict_abandon(void);

/**
 * The sshd lockout guard (an hc_file_validator for every file sshd
 * reads): the host's `sshd -t` on the configuration as the plan leaves
 * it, Includes expanded from ROOT.  Skipped, with a warning, where the
 * host has no sshd (HARDCTL_SSHD names another) or no /run/sshd.  HC_EUNSAFE,
 * blaming the file and line, when sshd rejects it.
 */
int sshd_validate(struct hc_ctx *ctx, const struct hc_file *file,
		  const struct hc_buf *data, const char *scratch);

/** sshd_validate() in two halves (an hc_file_validator_start). */
int sshd_validate_start(struct hc_file_job *job, struct hc_ctx *ctx,
			const struct hc_file *file, const struct hc_buf *data,
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
