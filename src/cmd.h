/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The command layer: the only code that prints, reads the command line,
 * and turns error codes into exit codes.
 */
#ifndef HARDCTL_CMD_H
#define HARDCTL_CMD_H

#include <stdbool.h>
#include <stdio.h>
#include "hardctl/buf.h"
#include "hardctl/ctx.h"

/* Exit codes: the contract scripts rely on (README, hardctl --help). */
enum {
	EXIT_OK = 0,
	EXIT_FAILED = 1, /* check found failures */
	EXIT_USAGE = 2,  /* bad usage or bad input */
	EXIT_CHANGE = 3, /* failure while changing; what was touched restored */
	EXIT_CONFLICT = 4, /* rollback conflict */
	EXIT_REFUSED = 5,  /* refused for safety */
	/*
	 * Partly applied: the transaction stands, some selected rules were
	 * refused (their remediation cannot be planned on this host).
	 */
	EXIT_PARTIAL = 6,
};

enum hc_format {
	HC_FORMAT_TEXT,
	HC_FORMAT_JSON,
	HC_FORMAT_JUNIT, /* check only */
	HC_FORMAT_HTML,  /* check and report only */
};

/* What main sets up for a command, according to its table row. */
struct cmd_env {
	const char *root_path;
	const char *store_path;
	unsigned int
	    lock_wait_ms;     /* --wait: how long to wait for another hardctl */
	const char *key_path; /* --key: the store's signing key */
	const char *profile_name;
	const char *tailoring_path;
	struct hc_strlist only; /* --rule: only these rules; empty: all */
	unsigned int
	    severities; /* --severity: a mask of 1 << severity; 0: all */
	struct hc_strlist skip;       /* --skip-rule: rules left out entirely */
	unsigned int skip_severities; /* --skip-severity: a mask, as above */
	struct hc_strlist skipped;    /* the profile's rules the two left out */
	enum hc_format format;
	bool junit_ok; /* the command writes JUnit */
	bool html_ok;  /* the command writes HTML */
	bool color;    /* --color, or stdout a terminal and no NO_COLOR */
	bool quiet;    /* --quiet: only what needs the administrator */
	bool pager;    /* page a diff or log on a terminal; --no-pager clears */
	unsigned int width; /* columns text is laid out for (hc_term_width()) */
	struct hc_root *root;
	struct hc_aug *aug;
	struct hc_profile *profile;
	struct hc_ctx ctx;
};

/* --quiet, among check's, diff's and apply's options. */
#define CMD_QUIET_LONGOPT                                                      \
	{                                                                      \
		"quiet", no_argument, NULL, 'q'                                \
	}

/* Options every command takes after its name; see cmd_common_opt(). */
#define CMD_COMMON_LONGOPTS                                                    \
	{"format", required_argument, NULL, 'F'},                              \
	{                                                                      \
		"help", no_argument, NULL, 'h'                                 \
	}

/* Which profile: -p, --tailoring. */
#define CMD_PROFILE_LONGOPTS                                                   \
	{"profile", required_argument, NULL, 'p'},                             \
	{                                                                      \
		"tailoring", required_argument, NULL, 'T'                      \
	}

/*
 * Which of its rules: --rule, --severity, --skip-rule, --skip-severity
 * (check, diff, apply).
 */
#define CMD_SELECT_LONGOPTS                                                    \
	CMD_PROFILE_LONGOPTS, {"rule", required_argument, NULL, 'R'},          \
	    {"severity", required_argument, NULL, 'S'},                        \
	    {"skip-rule", required_argument, NULL, 'X'},                       \
	{                                                                      \
		"skip-severity", required_argument, NULL, 'Y'                  \
	}

/*
 * Handle an option of the sets above; 0 when handled, else EXIT_USAGE
 * with the error told on one line (unknown options included: the
 * closest one named, or where a misplaced one goes; see cmd_getopt()).
 */
int cmd_common_opt(struct cmd_env *env, int opt, const char *arg,
		   const char *usage);

struct option;

/*
 * getopt_long() for a command's options (ARGV[0] is its name), with
 * getopt's own messages off: cmd_common_opt() says on one line what is
 * wrong with an option it returns ('?' unknown, ':' missing argument),
 * naming the closest of LONGOPTS or where a misplaced option goes.
 * SHORTOPTS as getopt_long() takes them (without a leading ':').
 */
int cmd_getopt(int argc, char **argv, const char *shortopts,
	       const struct option *longopts);

/*
 * Parse the options of a command that takes only the profile options
 * and the common ones; optind is left at its first operand.  EXIT_OK or
 * the usage error's exit code.
 */
int cmd_profile_opts(int argc, char **argv, struct cmd_env *env,
		     const char *usage);

/*
 * Open Augeas and the profile (and the root when WITH_ROOT), then keep
 * the rules --rule and --severity select, less those --skip-rule and
 * --skip-severity leave out (listed in env->skipped): an id not in the
 * profile, not of a severity asked, or both selected and skipped, is
 * HC_EINVALID.
 */
int cmd_open(struct cmd_env *env, bool with_root);
void cmd_close(struct cmd_env *env);

/*
 * Print the last error as "hardctl: FILE:LINE: message", on one line:
 * its control characters (a file name's newline among them) escaped.
 */
void cmd_print_error(void);

/*
 * TEXT (a path, or a message naming some) into OUT with each path under
 * ROOT shown as ROOT sees it (ROOT/var/lib/x: /var/lib/x); paths outside
 * ROOT keep their names.  0 or HC_ERROR.
 */
int cmd_shown_path(struct hc_buf *out, const char *text);

/*
 * Print "hardctl: TEXT" and a newline on stderr, TEXT's control characters
 * escaped and its paths shown as cmd_shown_path() does.
 */
void cmd_print_line(const char *text);

/* Print the last error and map ERROR to an exit code. */
int cmd_fail(int error, bool changing);

/* Print a usage error on one line and return EXIT_USAGE (USAGE unused:
 * --help shows it). */
int cmd_usage_error(const char *usage, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

struct hc_text_opts;

/* How text reports are laid out for this command: width, colour, quiet. */
void cmd_text_opts(struct hc_text_opts *out, const struct cmd_env *env);

/*
 * Start the pager for what the command prints (diff, apply --dry-run,
 * rollback --dry-run, show, log), as git does: only for text output to
 * a terminal, not with --no-pager; HARDCTL_PAGER, else PAGER, else
 * "less" (with LESS=FRX when LESS is unset); "cat" or "" means none.
 * Stdout then goes to the pager until cmd_pager_finish().  A pager that
 * cannot start is said on stderr, and the output goes to the terminal.
 */
void cmd_pager_start(const struct cmd_env *env);

/*
 * Flush stdout to the pager, close it and wait for the pager to quit;
 * nothing when none runs.  A pager that quit before reading everything
 * (the user had read enough) is no failure of hardctl's.  Stdout is
 * /dev/null afterwards: what a command says after its paged output
 * (a dry run's verdict) goes to stderr once the pager is done, where
 * the pager's screen does not hide it.
 */
void cmd_pager_finish(void);

/*
 * Whether stdout went to a pager that quit before reading everything:
 * a write that failed with EPIPE then lost nothing the user wanted.
 */
bool cmd_pager_gone(void);

/*
 * Write BUF, a text of unified diffs (but in JSON), coloured when
 * ENV->color, as cmd_write() does.
 */
int cmd_write_diff(struct cmd_env *env, struct hc_buf *buf);

/*
 * Write BUF to stdout, with the secrets the rules registered masked
 * and, but in JSON, control characters other than newlines, tabs and
 * the reports' own colours escaped (BUF is changed).  0 or HC_ERROR.
 */
int cmd_write(struct cmd_env *env, struct hc_buf *buf);

/*
 * Keep OUT, the answer just written (as cmd_write() left it, or as a
 * cached run is to write it), with exit STATUS, in the verified cache
 * (hardctl/cache.h): only for exit 0 or 1, and when nothing more was
 * said on stderr since SAID bytes of it (hc_cache_said()).
 */
void cmd_cache_keep(struct cmd_env *env, const struct hc_buf *out, int status,
		    size_t said);

struct hc_recovery;
struct hc_store;

/*
 * Open the oldconf store (--store, or ROOT/var/lib/hardctl/oldconf)
 * with FLAGS (enum hc_store_flags).  A writer also gets fsync of
 * everything libgit2 writes, and the signing key (made with
 * HC_STORE_CREATE if missing, its fingerprint then told on stderr).
 */
int cmd_store_open(struct hc_store **out, struct cmd_env *env,
		   unsigned int flags);

/* The signing key's path: --key, or the store's path with ".key". */
int cmd_key_path(struct hc_buf *out, const struct cmd_env *env);

/* Give STORE its signing key (CREATE: make it if missing). */
int cmd_store_key(struct hc_store *store, struct cmd_env *env, bool create);

/* The store's path: --store, or ROOT/var/lib/hardctl/oldconf. */
int cmd_store_path(struct hc_buf *out, const struct cmd_env *env);

/*
 * Finish recovering a transaction a crash left pending.  BEFORE_COMMAND:
 * run ahead of another command, where a lock held by a live hardctl is
 * no crash.  0, or a negative code (HC_EUNSAFE when it may not recover).
 */
int cmd_recover_pending(struct hc_recovery *out, struct cmd_env *env,
			bool before_command);

/* One line saying what a recovery did. */
int cmd_recovery_text(struct hc_buf *out, const struct hc_recovery *r);

/* Parse a transaction number. 0, or HC_EINVALID. */
int cmd_parse_txn(unsigned int *out, const char *arg);

int cmd_list(int argc, char **argv, struct cmd_env *env);
int cmd_verify(int argc, char **argv, struct cmd_env *env);
int cmd_confirm(int argc, char **argv, struct cmd_env *env);

/* "90s", "5m", "1h" or seconds, into SECONDS (1 s to 24 h). 0 or HC_EINVALID.
 */
int cmd_parse_duration(unsigned int *seconds, const char *arg);

/*
 * Arm transaction TXN of STORE to be rolled back in SECONDS unless
 * "hardctl confirm" comes first, and start the watchdog that will; the
 * marker records the watchdog's boot, PID and start time.  On failure
 * no marker is left: the transaction stands unconfirmed.
 */
int cmd_confirm_arm(struct cmd_env *env, struct hc_store *store,
		    unsigned int txn, unsigned int seconds);

/*
 * Open the store to start a transaction, as cmd_store_open() does with
 * HC_STORE_CREATE | HC_STORE_LOCK; then, under that lock, do what
 * cmd_confirm_check() does with MAY_ACT, and refuse (HC_EUNSAFE, the
 * error naming it, its deadline and the ways out) while a transaction
 * still awaits confirmation: a transaction on top of it would be rolled
 * back with it or conflict with its rollback.  *out is NULL on failure.
 */
int cmd_confirm_store_open(struct hc_store **out, struct cmd_env *env);

/*
 * What every command reading the store does first: if the watchdog of
 * a transaction awaiting confirmation is gone, then on the running
 * system only (--root /), with MAY_ACT (a command that opens the store),
 * roll the transaction back if its time is up, or start a new watchdog
 * if not; without (check, diff, status, which write nothing), say that
 * the next command that opens the store will.  On any other root, warn.
 * Says on stderr what it did; a failure is told there too, and the
 * command goes on.
 */
void cmd_confirm_check(struct cmd_env *env, bool may_act);

/*
 * Roll transaction ID back whole in STORE (opened with the lock), as
 * "rollback ID" does, and drop the confirmation marker: its time to
 * confirm was up.  *txn is the rollback's transaction (0: the files
 * were already as before ID), *nfiles the files it put back.
 * HC_ECONFLICT, the conflicts told on stderr, when files changed since
 * conflict with it: nothing changed then.
 */
int cmd_rollback_unconfirmed(unsigned int *txn, size_t *nfiles,
			     struct cmd_env *env, struct hc_store *store,
			     unsigned int id);
int cmd_explain(int argc, char **argv, struct cmd_env *env);
int cmd_check(int argc, char **argv, struct cmd_env *env);
int cmd_apply(int argc, char **argv, struct cmd_env *env);
int cmd_diff(int argc, char **argv, struct cmd_env *env);
int cmd_log(int argc, char **argv, struct cmd_env *env);
int cmd_show(int argc, char **argv, struct cmd_env *env);
int cmd_rollback(int argc, char **argv, struct cmd_env *env);
int cmd_status(int argc, char **argv, struct cmd_env *env);
int cmd_recover(int argc, char **argv, struct cmd_env *env);
int cmd_report(int argc, char **argv, struct cmd_env *env);

/* The rule ids and paths a syslog record names (hardctl/audit.h). */
struct cmd_audit_lists {
	const char **rules;
	size_t nrules;
	const char **files;
	size_t nfiles;
};

/*
 * PLAN's files and its rules (RULE first, when not NULL) into OUT,
 * pointing into PLAN.  0 or HC_ERROR.
 */
int cmd_audit_plan(struct cmd_audit_lists *out, const struct hc_plan *plan,
		   const char *rule);
void cmd_audit_lists_release(struct cmd_audit_lists *l);

struct hc_audit_event;
struct hc_plan;

/*
 * Send EV's syslog record (EV's root NULL: ENV's ROOT, absolute), as
 * who runs hardctl; a failure is one warning on stderr, no more.
 */
void cmd_audit(const struct cmd_env *env, struct hc_audit_event *ev);

/*
 * When ENV's ROOT/etc is under etckeeper, "etckeeper commit -d ROOT/etc
 * MESSAGE"; a missing etckeeper or its failure is a warning.
 */
void cmd_etckeeper(struct cmd_env *env, const char *message);

#endif
