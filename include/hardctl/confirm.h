/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Confirmed apply's bookkeeping.  While a transaction applied with
 * "apply --confirm-within" awaits confirmation, the marker
 * hardctl-confirm in the store names it, its deadline, and the watchdog
 * that will roll it back then.  The watchdog is known by the boot it
 * runs in, its PID and its start time, so that neither a reboot nor a
 * PID used again passes for it.  A hardctl command that finds the marker
 * decides here what to do about it: leave it to a live watchdog, or,
 * the watchdog gone, roll back or start another watchdog on the running
 * system, and only warn on any other root (an image checked on another
 * machine must never roll itself back).
 */
#ifndef HARDCTL_CONFIRM_H
#define HARDCTL_CONFIRM_H

#include <stdbool.h>
#include <sys/types.h>
#include <time.h>
#include "buf.h"

/** Room for a boot id (36 characters, as the kernel gives it) and a NUL. */
#define HC_BOOT_ID_SIZE 37

/** What the marker says about the transaction awaiting confirmation. */
struct hc_confirm {
	/* 0: nothing awaits confirmation */
	unsigned int txn;
	/* rolled back once this time is reached */
	time_t deadline;
	/* the boot the watchdog was started in; "" unknown */
	char boot_id[HC_BOOT_ID_SIZE];
	/* its PID; 0 when none was recorded */
	pid_t watchdog;
	/* its start time: field 22 of /proc/PID/stat */
	unsigned long long watchdog_start;
};

/*
 * What a command that finds a transaction awaiting confirmation does:
 * on the running system (ROLLBACK, REARM) or another root (EXPIRED,
 * UNWATCHED), with the time up (ROLLBACK, EXPIRED) or not.
 */
enum hc_confirm_action {
	HC_CONFIRM_NONE,      /* nothing awaits confirmation */
	HC_CONFIRM_WATCHED,   /* its watchdog runs: left to it */
	HC_CONFIRM_REARM,     /* watchdog gone: start another */
	HC_CONFIRM_ROLLBACK,  /* watchdog gone: roll back now */
	HC_CONFIRM_UNWATCHED, /* watchdog gone: warn */
	HC_CONFIRM_EXPIRED,   /* watchdog gone: warn, never roll back */
};

/**
 * Decide what to do about C at time NOW, on a root that is the running
 * system (LIVE) or not, whose watchdog is alive (WATCHDOG_ALIVE, see
 * hc_confirm_watchdog_alive()) or gone.  The time is up at the deadline
 * itself, as the watchdog sees it.  Never HC_CONFIRM_ROLLBACK or
 * HC_CONFIRM_REARM unless LIVE.
 */
enum hc_confirm_action hc_confirm_decide(const struct hc_confirm *c, time_t now,
					 bool live, bool watchdog_alive);

/** Whether the time to confirm C is up at NOW. */
bool hc_confirm_expired(const struct hc_confirm *c, time_t now);

/**
 * The running kernel's boot id, from /proc/sys/kernel/random/boot_id.
 * 0, or HC_ERROR with OUT "" when it cannot be read.
 */
int hc_confirm_boot_id(char out[HC_BOOT_ID_SIZE]);

/**
 * The start time of process PID (field 22 of /proc/PID/stat, clock
 * ticks after boot).  HC_ENOTFOUND when no such process runs (a zombie
 * does not: it has exited); HC_ERROR when its stat does not parse.
 */
int hc_confirm_proc_start(unsigned long long *start, pid_t pid);

/**
 * Whether C's watchdog still runs: a PID was recorded, BOOT_ID (the
 * running kernel's; "" unknown) is the boot it was started in, and a
 * process with that PID runs with the start time recorded.
 */
bool hc_confirm_watchdog_alive(const struct hc_confirm *c, const char *boot_id);

/**
 * End C's watchdog with SIGTERM, if it is one: alive as
 * hc_confirm_watchdog_alive() tells with BOOT_ID, running this very
 * program (/proc/self/exe), and writing to LOG, the store's
 * hardctl-confirm.log, as the watchdog does.  The marker lies in a store
 * an image may have written, so PID, boot and start time alone could
 * name any process of the host.  Whether it was signalled.
 */
bool hc_confirm_watchdog_end(const struct hc_confirm *c, const char *boot_id,
			     const char *log);

/**
 * Whether ROOT_PATH is the running system: it resolves (realpath) to
 * "/".  In a test build (hardctl/fault.h) HARDCTL_TEST_LIVE_ROOT may name
 * a directory that counts as the running system too.
 */
bool hc_confirm_root_live(const char *root_path);

/** The marker's text for C, appended to OUT.  0 or HC_ERROR. */
int hc_confirm_format(struct hc_buf *out, const struct hc_confirm *c);

/**
 * Parse the marker's TEXT into OUT; FILE names it in errors.  A marker
 * of an older hardctl, without the watchdog's lines, has none recorded.
 * HC_EUNSAFE for text that is not a marker (OUT is then zeroed).
 */
int hc_confirm_parse(struct hc_confirm *out, const char *text,
		     const char *file);

#endif
