/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The audit trail outside the store: who ran a transaction, and one
 * syslog record per transaction, where administrators look.
 *
 * The record is formatted here into a buffer and sent by hardctl itself
 * as one datagram to the AF_UNIX socket /dev/log (facility
 * LOG_AUTHPRIV, tag "hardctl[PID]"), in the form glibc's syslog(3)
 * sends ("<PRI>Mmm dd hh:mm:ss hardctl[PID]: message"), which rsyslog
 * and journald both parse.  HARDCTL_LOG_SOCKET names another socket
 * (for tests and chroots); it is read for nothing else.
 *
 * A record holds rule ids, paths, numbers and names only, every byte
 * that came from ROOT or the environment escaped, and stays under
 * HC_AUDIT_MAX bytes: a long list gives its count and its first items.
 */
#ifndef HARDCTL_AUDIT_H
#define HARDCTL_AUDIT_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include <time.h>
#include "buf.h"

/** The most bytes one record takes (RFC 3164 says 1024). */
#define HC_AUDIT_MAX 1024

/** The socket records go to unless HARDCTL_LOG_SOCKET names another. */
#define HC_AUDIT_SOCKET "/dev/log"

/*
 * Who runs hardctl.  The audit login uid is the kernel's (it survives
 * su and sudo); SUDO_USER is only what the caller claims: anyone can
 * set it.
 */
struct hc_who {
	long loginuid; /* -1: unset (4294967295) or unreadable */
	uid_t uid;
	uid_t euid;
	char *sudo_user; /* NULL if unset; at most 64 bytes of it */
	bool sudo_cut;   /* it was longer */
};

/** Who runs this process.  0 or HC_ERROR (out of memory). */
int hc_who_get(struct hc_who *out);

void hc_who_release(struct hc_who *who);

/**
 * WHO as a store commit's trailer lines (SUDO_USER's control
 * characters, '"' and '\\' escaped as a syslog record escapes them), appended
 * to OUT:
 *
 *     Login-UID: 1000 (alice)          or  Login-UID: unset
 *     UID: 0 (root)
 *     EUID: 0 (root)                   only when it differs from UID
 *     Sudo-User: alice (claimed)       only when SUDO_USER is set
 */
int hc_who_trailers(struct hc_buf *out, const struct hc_who *who);

/**
 * WHO in one line, appended to OUT, as `log` shows it:
 * "uid 0 (root), login uid 1000 (alice), SUDO_USER alice (claimed)".
 */
int hc_who_text(struct hc_buf *out, const struct hc_who *who);

/** What a record says happened. */
enum hc_audit_outcome {
	HC_AUDIT_DONE,    /* applied, rolled back, confirmed, recovered */
	HC_AUDIT_NOTHING, /* nothing to change */
	HC_AUDIT_REFUSED, /* a guard or a conflict refused it: unchanged */
	HC_AUDIT_FAILED,  /* it failed: files as they were */
};

/** One transaction, as its record tells it. */
struct hc_audit_event {
	const char *action; /* "apply", "rollback", "confirm", "recover" */
	const char *root;   /* the ROOT it ran on */
	enum hc_audit_outcome outcome;
	const char *outcome_text; /* "applied", "rolled back", ... */
	unsigned int txn;         /* the transaction made; 0: none */
	unsigned int undoes;      /* what a rollback undid; 0: none */
	const char *undoes_rule;  /* for rollback --rule */
	const char *by;           /* "watchdog", or NULL: a command */
	const char *profile;      /* "NAME VERSION", or NULL */
	const char *profile_sha;  /* hex, or NULL */
	const char *const *rules; /* rule ids */
	size_t nrules;
	const char *const *files; /* paths inside ROOT */
	size_t nfiles;
	const char *detail; /* a short fixed note, or NULL */
};

/** The syslog priority of OUTCOME: LOG_AUTHPRIV | a severity. */
int hc_audit_priority(enum hc_audit_outcome outcome);

/**
 * EV's record from WHO, by process PID at time NOW (local time), into
 * OUT (replaced): "<PRI>Mmm dd hh:mm:ss hardctl[PID]: message", at most
 * HC_AUDIT_MAX bytes, no control character.  0 or HC_ERROR.
 */
int hc_audit_format(struct hc_buf *out, const struct hc_audit_event *ev,
		    const struct hc_who *who, pid_t pid, time_t now);

/**
 * Send RECORD as one datagram to HARDCTL_LOG_SOCKET, or /dev/log.
 * *sent says whether it went.  No socket there (ENOENT: a container, a
 * chroot) is 0, not sent; any other failure HC_ERROR naming the socket.
 */
int hc_audit_send(bool *sent, const struct hc_buf *record);

#endif
