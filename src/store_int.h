/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What the store's files share (see hardctl/store.h): the store and
 * transaction structures, the names of its refs and marker files, and
 * the helpers more than one of its files needs.  Private to src/store*.c.
 *
 *   store.c         open, create, lock, the directory checks
 *   store_sign.c    the signing key, signature checks, verify
 *   store_read.c    history: transactions, manifests, stored files
 *   store_write.c   a transaction's commits and refs
 *   store_marker.c  the marker files (pending, confirm, state) and the
 *                   pending transaction a crash left
 */
#ifndef HARDCTL_STORE_INT_H
#define HARDCTL_STORE_INT_H

#include <git2.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include "hardctl/hash.h"
#include "hardctl/store.h"

#define MAIN_REF "refs/heads/main"
#define PENDING_REF "refs/hardctl/pending"
#define TXN_REF_PREFIX "refs/hardctl/txn/"
#define LOCK_NAME "hardctl.lock"
#define PENDING_NAME "hardctl-pending"
#define STATE_NAME "hardctl-state"
#define CONFIRM_NAME "hardctl-confirm"
#define ROOT_ID_NAME "hardctl-root-id" /* the store's copy of its root's id */
#define ROOT_ID_PATH "/var/lib/hardctl/store-id" /* the id, inside ROOT */

struct hc_store {
	char *path;
	git_repository *repo;
	int lock_fd;
	struct hc_signer
	    *signer; /* signs new commits, checks old ones; or NULL */
	struct hc_pending_objects
	    *staged; /* objects written, not yet in a pack; or NULL */
};

/*
 * The commit header that holds a commit's signature: git's own, with an
 * SSHSIG in it; and the one hardctl wrote before, still checked.
 */
#define SIG_FIELD "gpgsig"
#define OLD_SIG_FIELD "hardctl-sig"

struct hc_txn {
	struct hc_store *store;
	unsigned int id;
	struct hc_txn_meta meta;
	git_index *index;
	struct hc_manifest manifest;
	git_oid head; /* the main branch when the transaction began */
	bool has_head;
	git_oid tip; /* the last commit written */
	bool has_tip;
	bool pending;
	bool finished;
	bool disowned; /* meta.undoes's records dropped from the manifest */
};

/* Between hardctl's commit ids and libgit2's. */
static inline void hc_oid_to_git(git_oid *out, const struct hc_oid *in)
{
	_Static_assert(sizeof(in->id) == GIT_OID_RAWSZ, "a SHA-1 store");
	git_oid_fromraw(out, in->id);
}

static inline void hc_oid_from_git(struct hc_oid *out, const git_oid *in)
{
	memcpy(out->id, in->id, sizeof(out->id));
}

/* hc_store_manifest_at() and hc_store_file_at() at a libgit2 commit id. */
int hc_store_manifest_at_git(struct hc_manifest *out, struct hc_store *store,
			     const git_oid *commit);
int hc_store_file_at_git(struct hc_file_state *out, struct hc_store *store,
			 const git_oid *commit,
			 const struct hc_manifest_entry *e);

/* The SHA-256 of each stored blob hashed so far, by blob id. */
struct hc_blob_sha {
	git_oid id;
	struct hc_sha256 sha;
	bool used;
};

struct hc_blob_seen {
	struct hc_blob_sha *v; /* open addressing, ALLOC a power of two */
	size_t n, alloc;
};

/*
 * Check that the copy of E stored at COMMIT has the SHA-256 its manifest
 * gives, hashing a blob only the first time SEEN meets it: a file kept
 * unchanged through a thousand commits is one blob, hashed once.
 */
int hc_store_file_verify_git(struct hc_blob_seen *seen, struct hc_store *store,
			     const git_oid *commit,
			     const struct hc_manifest_entry *e);
void hc_blob_seen_release(struct hc_blob_seen *seen);

/*
 * The greatest transaction id a ref of the store takes (0 if none), as
 * hc_store_txn_ids() would list first, without sorting them all.
 */
int hc_store_txn_max(unsigned int *out, struct hc_store *store);

/* Set the error from libgit2's last one; HC_ERROR. */
int hc_store_git_fail(const char *what);

/*
 * A read of the store failed.  If an object is missing or corrupt, the
 * store is damaged: say so, and how to find out more, as HC_EUNSAFE.
 */
int hc_store_read_fail(const struct hc_store *store, const char *what);

/* The commit the main branch points at; *exists false when unborn. */
int hc_store_main_head(git_oid *out, bool *exists, struct hc_store *store);

/* Check COMMIT's signature with the store's key; anything else is tampering. */
int hc_store_verify_commit(struct hc_store *store, const git_oid *commit);

/* Trailer KEY of MESSAGE, copied; NULL if absent. */
char *hc_store_trailer(const char *message, const char *key);

/* Fill INFO (id and tip set) by walking back from its tip while commits belong
 * to it. */
int hc_store_walk_txn(struct hc_txn_info *info, struct hc_store *store);

/* "files" + PATH: where a file's copy lives in a commit's tree. */
int hc_store_tree_path(struct hc_buf *out, const char *path);

/*
 * Keep the objects STORE writes in memory from now on, until
 * hc_store_pack_staged() writes them out as one pack; those a failed
 * transaction left there are dropped.
 */
int hc_store_stage_objects(struct hc_store *store);

/*
 * Write the objects staged since the last call as one pack (durable when
 * libgit2 fsyncs the store), before a ref may name them.  0 if none.
 */
int hc_store_pack_staged(struct hc_store *store);

/*
 * Keep the store's object files few: loose objects (an older hardctl's,
 * or git's) go into a pack, and the smallest packs are joined until
 * their sizes form a geometric progression (each at least twice the one
 * before), so that N transactions make O(log N) packs, each object
 * rewritten O(log N) times.  Old packs go only once the new one is
 * written.  Only a caller holding the lock may call it.
 */
int hc_store_repack(struct hc_store *store);

/*
 * Open STORE's repository anew: libgit2 keeps every pack it has seen
 * until then, removed ones too, and would search them all.
 */
int hc_store_reopen(struct hc_store *store);

/* Write NAME in the store directory atomically and durably. */
int hc_store_file_write(struct hc_store *store, const char *name,
			const struct hc_buf *data);

/* Remove NAME from the store directory; gone already is fine. */
int hc_store_file_remove(struct hc_store *store, const char *name);

/*
 * Bring the state file up to date with M, the main branch's manifest.
 * It is a cache of history: if it cannot be written it is removed, and
 * readers fall back to the repository.
 */
void hc_store_state_write(struct hc_store *store, const struct hc_manifest *m);

#endif
