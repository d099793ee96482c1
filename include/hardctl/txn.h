/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The transaction layer: the one way any command changes ROOT.
 *
 *   plan -> validate -> preflight -> install -> commit -> finish
 *
 * A command makes a plan (apply: the engine's remediation; rollback:
 * hardctl/rollback.h's three-way merge or node-by-node undo; the
 * confirm watchdog: a whole rollback) and hands it here.  Validate
 * judges the result, not the change: every file's module validator
 * (sshd -t on the configuration as it would be, every PAM jump landing
 * on a module) and the lockout judgment, run in a context that reads
 * every file as the plan leaves it.  Putting back recorded bytes
 * unchanged (a whole rollback of files nobody edited since, the
 * watchdog, crash recovery) skips those guards, which are meant for
 * new bytes: the host goes back to a state it was in.  Preflight
 * (hardctl/install.h) refuses what cannot be replaced safely.  A dry
 * run stops there, having refused what the real run would refuse.
 * Then the store records the files' present state and commits the plan,
 * marks it pending, the installer replaces the files, and the store's
 * main branch moves last.  A crash in between is finished by
 * hc_txn_recover(), before the next command.
 *
 * The installer knows files and the store knows commits; neither calls
 * the other: this layer sits above both.
 */
#ifndef HARDCTL_TXN_H
#define HARDCTL_TXN_H

#include <stdbool.h>
#include <stddef.h>

struct hc_access;
struct hc_aug;
struct hc_ctx;
struct hc_plan;
struct hc_profile;
struct hc_root;
struct hc_store;
struct hc_txn_info;
struct hc_txn_meta;

/** Which guards a plan's result must pass. */
enum hc_txn_guard {
	/*
	 * New bytes (an apply, a merged rollback, rollback --rule): the
	 * module validators and the lockout judgment.
	 */
	HC_TXN_GUARDED,
	/* Recorded bytes put back unchanged: preflight only. */
	HC_TXN_RESTORE,
};

struct hc_txn_request {
	struct hc_root *root;
	const struct hc_plan *plan;
	enum hc_txn_guard guard;
	/*
	 * HC_TXN_GUARDED: a context holding every file as PLAN leaves it
	 * (apply: the engine's; a rollback: hc_txn_after_open()'s).
	 */
	struct hc_ctx *after;
	bool dry_run; /* every step up to install; nothing written */
	struct hc_store
	    *store; /* opened with HC_STORE_LOCK; unused in a dry run */
	const struct hc_txn_meta *meta;
	const char *subject; /* the commit subject for steps of no rule */
	/*
	 * NULL, or set true when a guard on the result (a module's
	 * validator, the lockout judgment) refused it: not preflight.
	 */
	bool *guard_refused;
};

/**
 * Run REQ's plan through the layer.  *id receives the new transaction's
 * number (0: a dry run, or an empty plan, which writes nothing);
 * *installing whether it got past validation and preflight (a failure
 * then came while files were being changed, and were put back).
 * ACCESS receives the lockout judgment (zeroed when not judged); the
 * caller releases it.  A verdict of HC_ACCESS_ACCEPTED is recorded in
 * the transaction's commits.
 *
 * @return 0; HC_EUNSAFE when a guard refuses (the last error names the
 * guard and the file; ACCESS's verdict HC_ACCESS_REFUSED when it was
 * the lockout judgment: a dry run then still runs preflight first, so
 * the caller can show its diffs before the refusal); HC_ECONFLICT
 * when a file changed while hardctl ran; another negative code when
 * installing failed, every file then as it was and the store's history
 * unchanged.
 */
int hc_txn_run(unsigned int *id, bool *installing, struct hc_access *access,
	       const struct hc_txn_request *req);

/**
 * A context over ROOT, AUG and PROFILE in which every file reads as
 * PLAN leaves it, with every rule of PROFILE checked once so that the
 * modules that own PLAN's files have read them (and set their
 * validators).  A file PLAN changes whose new bytes its module's lens
 * cannot read is HC_EUNSAFE, naming it.  Release OUT with
 * hc_ctx_release() (also on failure); PLAN must outlive it.
 */
int hc_txn_after_open(struct hc_ctx *out, struct hc_root *root,
		      struct hc_aug *aug, const struct hc_profile *profile,
		      const struct hc_plan *plan);

/**
 * Whether PLAN only puts back recorded bytes: every file it writes gets
 * exactly the state (bytes, or absence) RECORDED's "before" gives it.
 */
bool hc_txn_restores(const struct hc_plan *plan,
		     const struct hc_plan *recorded);

/** What recovering an interrupted transaction did. */
struct hc_recovery {
	unsigned int id; /* the transaction; 0 when none was pending */
	bool completed;  /* it had reached history: only its bookkeeping was
			    finished */
	size_t restored; /* files put back as before it */
	size_t kept;     /* files edited since, left as they are */
};

/**
 * Finish a transaction a crash interrupted; needs the store opened with
 * HC_STORE_LOCK.  If the main branch already points at it, it happened:
 * the store's bookkeeping is brought up to date.  Else every file it
 * had replaced is put back (recorded bytes: no forward guard) and it
 * is dropped.  A file that is neither as before nor as after the
 * transaction (edited since) is left as it is and counted in kept.
 * Temporary files the crash left beside the files are removed.
 */
int hc_txn_recover(struct hc_recovery *out, struct hc_store *store,
		   struct hc_root *root);

#endif
