/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Undoing a transaction: what to write so that the files it changed are
 * as they were before it, keeping what changed since where possible.
 */
#ifndef HARDCTL_ROLLBACK_H
#define HARDCTL_ROLLBACK_H

#include <stdbool.h>
#include "buf.h"

struct hc_ctx;
struct hc_plan;
struct hc_root;
struct hc_store;
struct hc_txn_info;

/**
 * What transaction TXN changed, or RULE's commit in it when RULE is not
 * NULL, as a plan (appended to OUT): one step of no rule per file, from
 * its state before to its state after, with the lens the store
 * recorded; files in path order.  See hc_store_txn_changes().
 */
int hc_rollback_changed(struct hc_plan *out, struct hc_store *store,
			const struct hc_txn_info *txn, const char *rule);

/**
 * Plan undoing transaction TXN on ROOT.  For each file TXN changed:
 * when it is still as TXN left it, it gets its state before TXN; when
 * it is already that, it is left alone; when it changed since (by hand,
 * or by a later transaction), the change TXN made is taken out of it by
 * a three-way merge (base: the file after TXN, ours: the file now,
 * theirs: the file before TXN), keeping the later edits.  Where only
 * hardctl's own rollbacks of single rules of TXN (rollback --rule)
 * changed a file since, the merge starts from what the last of them left
 * instead: what they took out is no edit to keep.  A merge that
 * conflicts, or a file created or removed since, is appended to
 * CONFLICTS and left out of the plan, unless FORCE, in which case it
 * gets its state before TXN.  Nothing is written.
 *
 * @return 0, or a negative code (HC_EUNSAFE: the store's copy does not
 * match its manifest, or a file is no longer a regular file).
 */
int hc_rollback_plan(struct hc_plan *out, struct hc_strlist *conflicts,
		     struct hc_store *store, struct hc_root *root,
		     const struct hc_txn_info *txn, bool force);

/**
 * Plan undoing only RULE's part of transaction TXN, keeping the other
 * rules of TXN and every later edit, transactions included.  Rules often
 * edit neighbouring lines of one file, which any line merge takes for a
 * conflict, so the change RULE's commit made is taken out of each live
 * file node by node in its Augeas tree (hc_undo_nodes()), with the lens
 * the store recorded for it at the rule's commit; for a transaction
 * recorded before the store did, the lens CTX's profile reads it with
 * (the rule's check runs, if the profile has the rule).  A file the rule
 * created and nothing else wrote to is removed.  Files whose nodes
 * changed again since are appended to CONFLICTS, left out of the plan.
 * Nothing is written.
 *
 * @return 0; HC_EINVALID when RULE changed nothing in TXN.
 */
int hc_rollback_rule_plan(struct hc_plan *out, struct hc_strlist *conflicts,
			  struct hc_store *store, struct hc_ctx *ctx,
			  const struct hc_txn_info *txn, const char *rule);

/**
 * What conflicts in PATH (one of CONFLICTS) when undoing TXN, or RULE's
 * part of it when RULE is not NULL: appended to OUT after a line
 * "conflict: PATH (changed since transaction N)", as the hunks a line
 * merge cannot settle between the file now and as it was before, with
 * git's conflict markers ("<<<<<<< now", ">>>>>>> before transaction
 * N"); where no line conflicts (an entry the rule wrote edited since, a
 * file created or removed), the diff from what TXN left to the file now.
 * Nothing is written to ROOT.  0 or a negative code.
 */
int hc_rollback_conflict_hunks(struct hc_buf *out, struct hc_store *store,
			       struct hc_root *root,
			       const struct hc_txn_info *txn, const char *rule,
			       const char *path);

#endif
