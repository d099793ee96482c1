/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The lockout judgment: after a plan, can an administrator still log
 * in over the network and become root?  One question asked of the
 * host as the whole plan leaves it, not of each file a rule changes.
 *
 * A way in is an account that
 *  - has a login shell (not nologin, false, sync, shutdown, halt);
 *  - can authenticate to sshd: a usable password (not locked with '!'
 *    or '*', not empty) where sshd takes passwords, or an authorized
 *    key in a file AuthorizedKeysFile names;
 *  - is let through by sshd's DenyUsers, AllowUsers, DenyGroups and
 *    AllowGroups, in that order, with sshd's patterns (user@host: the
 *    user may come from that host), and for uid 0 by PermitRootLogin;
 *  - passes the account stage of sshd's PAM stack (UsePAM yes), or
 *    pam_unix's aging rules without it: not expired, not disabled;
 *  - is root (uid 0) or can become root: a sudoers rule granting it,
 *    or one of its groups, every command as root; or membership of
 *    the group wheel (su through pam_wheel).
 * The console is the break-glass path and is not counted.
 *
 * The judgment reads files: administrators who come from LDAP or SSSD,
 * keys from an AuthorizedKeysCommand, sshd's Match blocks and what PAM
 * modules it does not know decide cannot be seen.  A host's tailoring
 * may accept that ([guards] accept-no-local-admin, see profile.h).
 */
#ifndef HARDCTL_ACCESS_H
#define HARDCTL_ACCESS_H

#include <stdbool.h>
#include <stddef.h>
#include "buf.h"

struct hc_ctx;
struct hc_json;
struct hc_plan;

enum hc_access_verdict {
	HC_ACCESS_UNCHANGED, /* the plan changes no file the judgment reads */
	HC_ACCESS_OK,        /* an administrator can still get in */
	HC_ACCESS_NONE,      /* none could before the plan either */
	HC_ACCESS_ACCEPTED,  /* none can after it; the tailoring accepts that */
	HC_ACCESS_REFUSED,   /* the plan takes away the last way in */
};

/** One account with a login shell, before and after the plan. */
struct hc_access_account {
	char *name;
	bool before; /* a way in before the plan */
	bool after;  /* a way in after it */
	/* The plan's aging expires or disables it (pam_unix's answer changes).
	 */
	bool expired_by_plan;
	char *aging; /* then, what pam_unix's aging makes of it */
	char *why;   /* why it is no way in after the plan; NULL when it is */
	char *file;  /* the file that decides it, for the message */
	char *how;   /* how it gets in when it does: "key, sudo (%sudo)" */
};

struct hc_access {
	enum hc_access_verdict verdict;
	struct hc_access_account *accounts;
	size_t n;
	const char *reason;      /* the tailoring's, when ACCEPTED */
	struct hc_strlist notes; /* what the judgment could not see */
};

/**
 * Judge AFTER (a context holding every file as PLAN leaves it) against
 * the host as it is now, read afresh under the same root.  OUT says
 * who remains a way in, whom the plan shuts out and why; its verdict
 * is REFUSED when the plan takes away the last administrator's way in
 * and the profile's guards do not accept it.  Returns 0, or a
 * negative code when a file the judgment needs does not parse.
 */
int hc_access_judge(struct hc_access *out, struct hc_ctx *after,
		    const struct hc_plan *plan);

void hc_access_release(struct hc_access *access);

/**
 * Start reading sudoers as ROOT holds it now, in a child forked here
 * through a copy of CTX, while this process goes on (hc_access_judge()
 * takes the answer when the plan changes nothing it read).  Call it
 * after CTX's root is open and before anything is written under it.
 * 1 if started, 0 if not (the judgment then reads sudoers itself);
 * never an error.
 */
int hc_access_ahead_start(struct hc_ctx *ctx);

/** End the child, if any, and forget its answer. */
void hc_access_ahead_stop(void);

/**
 * The verdict as text for the diff and apply reports: the accounts the
 * plan expires, who remains, or why it is refused and the way out.
 * Nothing for UNCHANGED.  0 or HC_ERROR.
 */
int hc_access_text(struct hc_buf *out, const struct hc_access *access);

/** Set the last error to the refusal, naming accounts, files and the way out.
 */
int hc_access_refusal(const struct hc_access *access);

/** The verdict as the JSON object "access". */
void hc_access_json(struct hc_json *json, const struct hc_access *access);

#endif
