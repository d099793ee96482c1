/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The account stage of a PAM stack, run on paper as libpam runs it:
 * each module's answer for one user, then the control of its line
 * (required, requisite, sufficient, optional, or [value=action ...]
 * with ok, done, bad, die, ignore, reset and jumps).  The lockout
 * judgment asks it whether sshd's stack still lets an administrator
 * in.  The modules whose answers it knows: pam_unix (aging, as its
 * check_shadow_expiry decides), pam_permit, pam_deny, pam_access (from
 * the network), pam_nologin, pam_localuser, pam_succeed_if (user, uid,
 * gid, shell), pam_faillock and pam_tally2; any other is taken as
 * answering "ignore", and noted.
 */
#ifndef HARDCTL_PAM_ACCOUNT_H
#define HARDCTL_PAM_ACCOUNT_H

#include <stdbool.h>
#include "hardctl/buf.h"

struct hc_ctx;

/* The PAM return codes the modules above give in the account stage. */
enum pam_rc {
	PAMRC_SUCCESS,
	PAMRC_NEW_AUTHTOK_REQD, /* must change the password first */
	PAMRC_ACCT_EXPIRED,
	PAMRC_AUTHTOK_EXPIRED, /* expired and inactive: disabled */
	PAMRC_PERM_DENIED,
	PAMRC_AUTH_ERR,
	PAMRC_USER_UNKNOWN,
	PAMRC_IGNORE,
	PAMRC_MODULE_UNKNOWN, /* not installed */
	PAMRC_COUNT
};

/** A shadow entry's aging fields; -1 for an empty field, as getspnam gives. */
struct pam_aging {
	long lstchg, max, inact, expire;
};

/** The user an account stage runs for. */
struct pam_user {
	const char *name;
	long uid, gid;
	const char *shell;
	const struct hc_strlist *groups; /* names of every group it is in */
	bool known;                      /* in /etc/passwd */
	bool has_shadow;
	bool no_shadow_entry; /* passwd says "x", shadow has no entry */
	struct pam_aging aging;
};

/** The name libpam gives RC in a control ("new_authtok_reqd"). */
const char *pam_rc_name(enum pam_rc rc);

/**
 * What pam_unix's account stage answers for AGING on day TODAY (days
 * since 1970), as its check_shadow_expiry does: an expiry date passed,
 * a last change of 0 (change at next login), a password older than
 * max days, or older than max plus inactive days (disabled).
 */
enum pam_rc pam_unix_aging(const struct pam_aging *aging, long today);

struct pam_stage;

/**
 * Read the account stage of /etc/pam.d/SERVICE (or /etc/pam.d/other
 * where it is missing), with what it includes, once for many users.
 * What could not be followed is appended to NOTES.  0, or a negative
 * code when a stack does not parse.
 */
int pam_stage_load(struct pam_stage **out, struct hc_ctx *ctx,
		   const char *service, struct hc_strlist *notes);

/** Run STAGE for USER on day TODAY; as pam_account() without the reading. */
int pam_stage_run(enum pam_rc *out, struct hc_buf *why, struct hc_ctx *ctx,
		  const struct pam_stage *stage, const struct pam_user *user,
		  long today, struct hc_strlist *notes);

void pam_stage_free(struct pam_stage *stage);

/**
 * Run the account stage of /etc/pam.d/SERVICE (or /etc/pam.d/other
 * where it is missing) for USER on day TODAY, including what it
 * includes.  *out is the stage's result; WHY (when not SUCCESS) names
 * the file, line and module that decided it.  What could not be judged
 * is appended to NOTES.  0, or a negative code when a stack does not
 * parse.
 */
int pam_account(enum pam_rc *out, struct hc_buf *why, struct hc_ctx *ctx,
		const char *service, const struct pam_user *user, long today,
		struct hc_strlist *notes);

#endif
