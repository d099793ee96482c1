/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The oldconf store: a bare git repository, written through libgit2,
 * holding every managed file as it was and as it became.  Each commit's
 * tree has the files under files/ (files/etc/issue) and the manifest
 * (owner, mode, SHA-256 of each) at the top.  History is append-only.
 *
 * A transaction is the commits one command made, one per rule, each
 * carrying a "Transaction: N" trailer; refs/hardctl/txn/N points at its
 * last commit, and its base is the first commit behind it without that
 * trailer.  Before a transaction's first commit, the state the files
 * were found in is committed on its own ("record"), so a transaction's
 * base is exactly what it changed from, hand edits included.  While
 * files are being replaced, refs/hardctl/pending points at the
 * transaction's last commit; the main branch moves only once every file
 * is in place.
 *
 * The store directory must be owned by the caller and closed to group
 * and others (it holds copies of security files).  Everything in it,
 * walked without following links, must be the caller's own and no
 * symlink, or the store is refused (a ROOT shipping a prepared store
 * cannot lead a write out of ROOT); its directories are kept 0700, and
 * git writes under umask 077.  It is made whole or not at all: in a
 * temporary beside it, renamed into place.  A lock (hardctl.lock in the
 * store directory) keeps a second writer out.
 *
 * The store belongs to one ROOT by id (hc_store_bind_root()): ROOT's
 * /var/lib/hardctl/store-id and the store's hardctl-root-id.
 *
 * The store's files, by concern: store.c (open, create, lock, checks),
 * store_sign.c (key, signatures, verify), store_read.c (history),
 * store_write.c (a transaction's commits and refs), store_marker.c (the
 * marker files, the root id, and the pending transaction).  Recovering
 * a pending transaction is not the store's job: it offers
 * hc_store_pending() and hc_store_pending_settle().
 *
 * Two plain files beside the repository let commands that only read
 * skip libgit2: hardctl-state, the manifest of the main branch, kept
 * current by every transaction; and hardctl-pending, present while a
 * transaction's files are being replaced, which a crash leaves behind.
 */
#ifndef HARDCTL_STORE_H
#define HARDCTL_STORE_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>
#include "buf.h"
#include "manifest.h"
#include "state.h"

struct hc_confirm;

struct hc_store;

enum hc_store_flags {
	HC_STORE_CREATE = 1u << 0, /* create the store if it does not exist */
	HC_STORE_LOCK = 1u << 1,   /* take the writer's lock, failing fast */
};

/**
 * Open the store at PATH.
 *
 * @return 0; HC_ENOTFOUND when there is none and FLAGS lacks
 * HC_STORE_CREATE; HC_EUNSAFE when the directory has weak permissions
 * or another owner, or is not a store; HC_ELOCKED when another process
 * holds the lock; HC_ERROR.
 */
int hc_store_open(struct hc_store **out, const char *path, unsigned int flags);

/**
 * The same, waiting up to WAIT_MS milliseconds for another process's
 * lock before HC_ELOCKED.
 */
int hc_store_open_wait(struct hc_store **out, const char *path,
		       unsigned int flags, unsigned int wait_ms);

void hc_store_free(struct hc_store *store);

struct hc_root;

/**
 * The store belongs to one ROOT, by id, not by path: ROOT's
 * /var/lib/hardctl/store-id (read and written inside ROOT, never through
 * a link out of it) and the store's hardctl-root-id hold the same id.
 * ADOPT (a writer, holding the lock): a store made before ids takes
 * ROOT's, or a new one written to both (none while ROOT's /var/lib
 * cannot be made inside ROOT, e.g. /var a link to nowhere).  HC_EUNSAFE (the
 * error saying what to do) when the ids differ, or the store has one and ROOT
 * none.
 */
int hc_store_bind_root(struct hc_store *store, struct hc_root *root,
		       bool adopt);

struct hc_signer;

/**
 * Sign the store's new commits, and verify those read, with the key
 * at PATH (see hardctl/sign.h); with CREATE, make it if missing.
 * HC_EUNSAFE when the key is missing (without CREATE) or refused.
 */
int hc_store_use_key(struct hc_store *store, const char *path, bool create,
		     bool *created);

/** The key hc_store_use_key() set, or NULL. */
const struct hc_signer *hc_store_signer(const struct hc_store *store);

/** What hc_store_verify() found. */
struct hc_verify_report {
	size_t commits;   /* commits checked */
	size_t files;     /* stored copies checked against their manifests */
	size_t blobs;     /* distinct blobs among them, each hashed once */
	size_t nproblems; /* all problems found */
	struct hc_strlist problems; /* the first hundred, each a sentence */
};

/**
 * Check the whole history: every commit reachable from a ref is signed
 * by the store's key (hc_store_use_key() first), its manifest reads, and
 * every file it stores has the SHA-256 its manifest gives.  Problems go
 * into OUT; the return is 0 unless the check itself could not run.
 */
int hc_store_verify(struct hc_verify_report *out, struct hc_store *store);

void hc_verify_report_release(struct hc_verify_report *report);

const char *hc_store_path(const struct hc_store *store);

/** A commit of the store, by its id (SHA-1); libgit2's types stay inside the
 * store. */
struct hc_oid {
	unsigned char id[20];
};

/** OID as 40 hex digits and a NUL, into OUT. */
void hc_oid_hex(char out[41], const struct hc_oid *oid);

/** What one transaction was. */
struct hc_txn_info {
	unsigned int id;
	struct hc_oid tip;
	struct hc_oid base; /* meaningful when has_base */
	bool has_base;
	int64_t time;  /* of its last commit, seconds since the epoch */
	char *command; /* "apply", "rollback" */
	char *profile; /* "NAME VERSION", or NULL */
	/*
	 * Who ran it, in one line: "uid 0 (root), login uid 1000 (alice),
	 * SUDO_USER alice (claimed)" (its trailers, hardctl/audit.h); an
	 * older store's "root (uid 0)".
	 */
	char *user;
	char *profile_sha;       /* hex SHA-256 of the profile, or NULL */
	char *undoes;            /* for a rollback: the transaction it undid */
	char *undoes_rule;       /* for a rollback of one rule: that rule */
	char *accepted;          /* accept-no-local-admin's reason, or NULL */
	char *by;                /* "watchdog" for its rollback, or NULL */
	char *by_reason;         /* why it rolled back, or NULL */
	struct hc_strlist rules; /* rule ids of its commits, oldest first */
	size_t ncommits;
};

void hc_txn_info_release(struct hc_txn_info *info);

/**
 * Every transaction, newest first.  Free each with
 * hc_txn_info_release() and the array with free().
 */
int hc_store_txn_list(struct hc_txn_info **out, size_t *count,
		      struct hc_store *store);

/**
 * The id of every transaction, newest first, read from the refs' names
 * alone (no commit is read: hc_store_txn_get() reads one); a name that
 * is not an id as hardctl writes it is skipped.  Free *OUT with free().
 */
int hc_store_txn_ids(unsigned int **out, size_t *count, struct hc_store *store);

/**
 * The newest transaction's id in *OUT, 0 if there is none: the one
 * whose ref names main's last commit, found without listing the refs (so
 * at the same cost at 10 transactions as at 10,000), whatever refs no
 * transaction on main left.  Without one (no main, a damaged store),
 * the largest id among the refs.
 */
int hc_store_txn_last(unsigned int *out, struct hc_store *store);

/** Transaction ID.  HC_ENOTFOUND when there is none. */
int hc_store_txn_get(struct hc_txn_info *out, struct hc_store *store,
		     unsigned int id);

/** The manifest of the main branch (empty before any transaction). */
int hc_store_main_manifest(struct hc_manifest *out, struct hc_store *store);

/**
 * The manifest of the main branch, as hc_store_main_manifest() gives
 * it, and the commit it is at (*exists false before any transaction):
 * hc_store_file_at() with them gives the bytes hardctl last wrote.
 */
int hc_store_main_files(struct hc_manifest *out, struct hc_oid *tip,
			bool *exists, struct hc_store *store);

/** The manifest at COMMIT (NULL: before any commit, empty). */
int hc_store_manifest_at(struct hc_manifest *out, struct hc_store *store,
			 const struct hc_oid *commit);

/**
 * The state of PATH at COMMIT, as its manifest entry E says; the bytes
 * are checked against E's SHA-256.  HC_EUNSAFE when they differ (a
 * store someone rewrote).
 */
int hc_store_file_at(struct hc_file_state *out, struct hc_store *store,
		     const struct hc_oid *commit,
		     const struct hc_manifest_entry *e);

/** One file a transaction (or one rule's commit in it) changed. */
struct hc_store_change {
	char *path; /* inside ROOT */
	struct hc_file_state before;
	struct hc_file_state after;
	char *lens; /* the lens the store recorded for it, or NULL */
};

struct hc_store_changes {
	struct hc_store_change *v;
	size_t n;
};

/**
 * What transaction INFO changed: each file, as it was at its base and
 * as it was at its last commit; with RULE, what RULE's commit in INFO
 * changed, each file as it was just before that commit and just after
 * it (none when the rule changed nothing in INFO).  Files in path
 * order.  Free OUT with hc_store_changes_release().
 */
int hc_store_txn_changes(struct hc_store_changes *out, struct hc_store *store,
			 const struct hc_txn_info *info, const char *rule);

void hc_store_changes_release(struct hc_store_changes *c);

/** What a transaction's commits say about it. */
struct hc_txn_meta {
	const char *command;     /* "apply", "rollback" */
	const char *profile;     /* "NAME VERSION", or NULL */
	const char *profile_sha; /* hex, or NULL */
	const char *undoes;      /* for a rollback, the id it undoes, or NULL */
	const char
	    *undoes_rule; /* for a rollback of one rule, its id, or NULL */
	/*
	 * The reason of a tailoring's [guards] accept-no-local-admin, when
	 * the lockout judgment found no local administrator and the site
	 * accepted it; NULL otherwise.
	 */
	const char *accepted;
	/*
	 * For a rollback of a whole transaction: the manifest of its base,
	 * whose records of which rules changed a file the files it puts
	 * back take again (a rollback of a rollback re-applies them).
	 */
	const struct hc_manifest *restores;
	/*
	 * For a rollback hardctl made by itself: who ("watchdog"), and why
	 * ("not confirmed by 2026-12-02T12:04:00Z"); NULL for a command's.
	 */
	const char *by;
	const char *by_reason;
};

struct hc_txn;

/** Start a transaction with the next id.  Nothing is written yet. */
int hc_txn_begin(struct hc_txn **out, struct hc_store *store,
		 const struct hc_txn_meta *meta);

unsigned int hc_txn_id(const struct hc_txn *txn);

/** A file as the store is to keep it. */
struct hc_store_file {
	const char *path;                  /* inside ROOT */
	const struct hc_file_state *state; /* what it is (to be) */
	const char *lens; /* the lens it is read with, or NULL */
};

/** One commit of a transaction. */
struct hc_store_commit {
	const char *rule;    /* the rule whose change it is, or NULL */
	const char *subject; /* its message's first line */
	const struct hc_store_file *files;
	size_t n;
};

/**
 * Record the state FILES are in now (their "before"), in a commit
 * outside the transaction, if the store's last commit does not already
 * hold exactly that.
 */
int hc_txn_record(struct hc_txn *txn, const struct hc_store_file *files,
		  size_t n);

/**
 * Commit C's files in the transaction.  The manifest records them as
 * C's rule's doing, with their lens; a commit of no rule (a rollback)
 * gives each file the records meta.restores has for it.  Before the
 * first, what meta.undoes undid is no longer any rule's doing.
 */
int hc_txn_commit(struct hc_txn *txn, const struct hc_store_commit *c);

/** Point refs/hardctl/pending at the transaction before files change. */
int hc_txn_mark_pending(struct hc_txn *txn);

/**
 * Make the transaction part of history: the main branch and
 * refs/hardctl/txn/ID point at its last commit; pending is removed.
 * HC_ECONFLICT if another writer moved the main branch meanwhile.
 */
int hc_txn_finish(struct hc_txn *txn);

/** Free TXN; one not finished is dropped (its pending ref removed). */
void hc_txn_free(struct hc_txn *txn);

/**
 * Whether a transaction was left pending in the store at PATH, from the
 * marker file alone (no libgit2, no lock): *id is its number, 0 if none.
 * 0, or HC_ERROR when the marker cannot be read.
 */
int hc_store_pending_id(unsigned int *id, const char *path);

/*
 * The transaction a crash left pending (store opened with HC_STORE_LOCK):
 * *found false when none; *completed true when the main branch already
 * points at it (only bookkeeping is left).  A marker left without its
 * ref (the crash came after the ref went) is removed.
 */
int hc_store_pending(struct hc_txn_info *out, bool *found, bool *completed,
		     struct hc_store *store);

/*
 * Settle it after recovery: completed: state file brought up to date; not
 * completed: the transaction dropped (its ref too, if made).  Either way
 * the pending marker and ref are removed.
 */
int hc_store_pending_settle(struct hc_store *store,
			    const struct hc_txn_info *info, bool completed);

/**
 * A transaction applied with a deadline for its confirmation: the
 * marker hardctl-confirm in the store records C (see hardctl/confirm.h),
 * replacing any marker there.  0 or HC_ERROR (the marker as it was).
 */
int hc_store_confirm_arm(struct hc_store *store, const struct hc_confirm *c);

/**
 * The transaction awaiting confirmation in the store at PATH (no lock
 * needed): out->txn 0 when none.  HC_EUNSAFE for a marker that is not
 * one, or one that cannot be read for want of permission.
 */
int hc_store_confirm_read(struct hc_confirm *out, const char *path);

/** Drop the marker: confirmed, or rolled back. */
int hc_store_confirm_clear(struct hc_store *store);

/**
 * The manifest of the main branch as of the last transaction, from
 * the state file (no libgit2).  HC_ENOTFOUND when nothing was applied;
 * HC_EUNSAFE when the store is not the caller's own or cannot be read
 * for want of permission (what was applied is then unknown).
 */
int hc_store_state_read(struct hc_manifest *out, const char *path);

#endif
