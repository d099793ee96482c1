/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Writing a transaction: its commits, the pending ref, and the refs
 * that make it history (see hardctl/store.h).
 */
#include <errno.h>
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "hardctl/audit.h"
#include "hardctl/fault.h"
#include "hardctl/sign.h"
#include "store_int.h"

int hc_txn_begin(struct hc_txn **out, struct hc_store *store,
		 const struct hc_txn_meta *meta)
{
	struct hc_txn *txn;
	git_commit *commit = NULL;
	git_tree *tree = NULL;
	unsigned int *ids;
	size_t n;
	int error;

	*out = NULL;
	if ((txn = calloc(1, sizeof(*txn))) == NULL)
		return hc_error_oom();
	txn->store = store;
	txn->meta = *meta;
	/* After every ref, on main or not: no id is given twice. */
	if ((error = hc_store_txn_ids(&ids, &n, store)) < 0)
		goto fail;
	txn->id = n ? ids[0] + 1 : 1;
	free(ids);
	if (txn->id == 0) {
		hc_error_set("the store has a ref %s%u: no transaction id is "
			     "left after it (if no transaction of hardctl's "
			     "made it, it was planted)",
			     TXN_REF_PREFIX, UINT_MAX);
		error = hc_error_set_code(HC_EINVALID);
		goto fail;
	}
	/* A transaction builds only on a tip the store's key signed. */
	if ((error = hc_store_main_head(&txn->head, &txn->has_head, store)) <
		0 ||
	    (txn->has_head &&
	     (error = hc_store_verify_commit(store, &txn->head)) < 0))
		goto fail;
	if (git_index_new(&txn->index) < 0) {
		error = hc_store_git_fail("cannot start a transaction");
		goto fail;
	}
	if (txn->has_head) {
		git_oid_cpy(&txn->tip, &txn->head);
		txn->has_tip = true;
		if (git_commit_lookup(&commit, store->repo, &txn->head) < 0 ||
		    git_commit_tree(&tree, commit) < 0 ||
		    git_index_read_tree(txn->index, tree) < 0) {
			error = hc_store_read_fail(
			    store, "cannot read the store's last commit");
			goto fail;
		}
		if ((error = hc_store_manifest_at_git(&txn->manifest, store,
						      &txn->head)) < 0)
			goto fail;
	}
	git_tree_free(tree);
	git_commit_free(commit);
	*out = txn;
	return 0;
fail:
	git_tree_free(tree);
	git_commit_free(commit);
	hc_txn_free(txn);
	return error;
}

unsigned int hc_txn_id(const struct hc_txn *txn)
{
	return txn->id;
}

/*
 * Add a blob at PATH to the transaction's index.  The index lives in
 * memory only, so the blob is written first and the entry names it.
 */
static int index_add(struct hc_txn *txn, const char *path, const char *data,
		     size_t len, bool link)
{
	git_index_entry entry;

	memset(&entry, 0, sizeof(entry));
	entry.mode = link ? GIT_FILEMODE_LINK : GIT_FILEMODE_BLOB;
	entry.path = path;
	if (git_blob_create_from_buffer(&entry.id, txn->store->repo, data,
					len) < 0 ||
	    git_index_add(txn->index, &entry) < 0)
		return hc_store_git_fail("cannot store a file");
	return 0;
}

static int stage(struct hc_txn *txn, const char *path,
		 const struct hc_file_state *state)
{
	struct hc_buf tpath = HC_BUF_INIT;
	int error;

	if ((error = hc_manifest_set(&txn->manifest, path, state)) < 0 ||
	    (error = hc_store_tree_path(&tpath, path)) < 0)
		goto out;
	if (state->exists) {
		error = index_add(txn, tpath.ptr, hc_buf_cstr(&state->data),
				  state->data.size, state->link);
	} else if (git_index_remove_bypath(txn->index, tpath.ptr) < 0) {
		error = hc_store_git_fail("cannot store a file's removal");
	}
out:
	hc_buf_release(&tpath);
	return error;
}

/* Who runs the transaction: hardctl/audit.h's trailers. */
static int who_trailers(struct hc_buf *out)
{
	struct hc_who who;
	int error;

	if ((error = hc_who_get(&who)) == 0)
		error = hc_who_trailers(out, &who);
	hc_who_release(&who);
	return error;
}

/*
 * Write the index and manifest as a commit on top of the tip, unless
 * the tree would be the tip's own.  *made says whether it did.
 */
static int commit_staged(struct hc_txn *txn, const char *message, bool *made)
{
	git_repository *repo = txn->store->repo;
	struct hc_buf manifest = HC_BUF_INIT;
	struct passwd *pw = getpwuid(geteuid());
	git_signature *sig = NULL;
	git_commit *parent = NULL;
	git_tree *tree = NULL;
	git_oid tree_id, commit_id;
	git_buf content = {0};
	struct hc_buf signature = HC_BUF_INIT;
	int error;

	*made = false;
	if ((error = hc_manifest_format(&manifest, &txn->manifest)) < 0 ||
	    (error = index_add(txn, "manifest", manifest.ptr, manifest.size,
			       false)) < 0)
		goto out;
	if (git_index_write_tree_to(&tree_id, txn->index, repo) < 0) {
		error = hc_store_git_fail("cannot write a store tree");
		goto out;
	}
	if (txn->has_tip) {
		if (git_commit_lookup(&parent, repo, &txn->tip) < 0) {
			error = hc_store_read_fail(
			    txn->store, "cannot read the store's last commit");
			goto out;
		}
		if (git_oid_equal(git_commit_tree_id(parent), &tree_id))
			goto out;
	}
	if (hc_fault("store.commit", ENOSPC)) {
		hc_error_set_os(txn->store->path,
				"cannot write a store commit");
		error = HC_ERROR;
		goto out;
	}
	if (git_tree_lookup(&tree, repo, &tree_id) < 0 ||
	    git_signature_now(&sig, pw ? pw->pw_name : "hardctl",
			      HC_SIGN_PRINCIPAL) < 0 ||
	    git_commit_create_buffer(&content, repo, sig, sig, NULL, message,
				     tree, parent ? 1 : 0,
				     (const git_commit **)&parent) < 0) {
		error = hc_store_git_fail("cannot write a store commit");
		goto out;
	}
	if (txn->store->signer &&
	    (error = hc_signer_sign(&signature, txn->store->signer, content.ptr,
				    content.size)) < 0)
		goto out;
	if (git_commit_create_with_signature(
		&commit_id, repo, content.ptr,
		txn->store->signer ? signature.ptr : NULL, SIG_FIELD) < 0) {
		error = hc_store_git_fail("cannot write a store commit");
		goto out;
	}
	git_oid_cpy(&txn->tip, &commit_id);
	txn->has_tip = true;
	*made = true;
out:
	git_buf_dispose(&content);
	hc_buf_release(&signature);
	git_signature_free(sig);
	git_tree_free(tree);
	git_commit_free(parent);
	hc_buf_release(&manifest);
	return error;
}

/* The trailers every commit of the transaction carries. */
static int trailers(struct hc_buf *msg, struct hc_txn *txn, const char *key)
{
	int error = hc_buf_printf(msg, "%s: %u\nCommand: %s\n", key, txn->id,
				  txn->meta.command);

	if (error == 0 && txn->meta.profile)
		error = hc_buf_printf(msg, "Profile: %s\n", txn->meta.profile);
	if (error == 0 && txn->meta.profile_sha)
		error = hc_buf_printf(msg, "Profile-SHA256: %s\n",
				      txn->meta.profile_sha);
	if (error == 0 && txn->meta.undoes)
		error = hc_buf_printf(msg, "Undoes: %s\n", txn->meta.undoes);
	if (error == 0 && txn->meta.undoes_rule)
		error = hc_buf_printf(msg, "Undoes-Rule: %s\n",
				      txn->meta.undoes_rule);
	if (error == 0 && txn->meta.accepted)
		error = hc_buf_printf(msg, "Accepted-No-Local-Admin: %s\n",
				      txn->meta.accepted);
	if (error == 0 && txn->meta.by)
		error =
		    hc_buf_printf(msg, "Rolled-back-by: %s\n", txn->meta.by);
	if (error == 0 && txn->meta.by_reason)
		error = hc_buf_printf(msg, "Rolled-back-why: %s\n",
				      txn->meta.by_reason);
	if (error == 0)
		error = who_trailers(msg);
	return error;
}

static int txn_record(struct hc_txn *txn, const struct hc_store_file *files,
		      size_t n)
{
	struct hc_buf msg = HC_BUF_INIT;
	bool made;
	int error = 0;

	for (size_t i = 0; i < n && error == 0; i++)
		error = stage(txn, files[i].path, files[i].state);
	if (error == 0)
		error = hc_buf_printf(
		    &msg,
		    "record the state of %zu file%s before transaction %u\n\n",
		    n, n == 1 ? "" : "s", txn->id);
	if (error == 0 && (error = trailers(&msg, txn, "Recorded-For")) == 0)
		error = commit_staged(txn, msg.ptr, &made);
	hc_buf_release(&msg);
	return error;
}

/*
 * Stage FILE of a commit of RULE, and record in the manifest whose
 * doing it is: a rule's, with the lens that reads the file; or, for a
 * rollback's commit, the records of the state it puts back.
 */
static int stage_file(struct hc_txn *txn, const char *rule,
		      const struct hc_store_file *file)
{
	int error;

	if ((error = stage(txn, file->path, file->state)) < 0)
		return error;
	if (rule) {
		if ((error = hc_manifest_own(&txn->manifest, file->path, rule,
					     txn->id)) == 0 &&
		    file->lens)
			error = hc_manifest_set_lens(&txn->manifest, file->path,
						     file->lens);
		return error;
	}
	if (txn->meta.restores)
		return hc_manifest_set_rules(
		    &txn->manifest, file->path,
		    hc_manifest_find(txn->meta.restores, file->path));
	return 0;
}

/* What a rollback undoes is no longer any rule's doing (done once). */
static void disown_undone(struct hc_txn *txn)
{
	if (txn->disowned)
		return;
	txn->disowned = true;
	if (txn->meta.undoes)
		hc_manifest_disown(
		    &txn->manifest,
		    (unsigned int)strtoul(txn->meta.undoes, NULL, 10),
		    txn->meta.undoes_rule);
}

static int txn_commit(struct hc_txn *txn, const struct hc_store_commit *c)
{
	struct hc_buf msg = HC_BUF_INIT;
	bool made;
	int error = 0;

	disown_undone(txn);
	for (size_t i = 0; i < c->n && error == 0; i++)
		error = stage_file(txn, c->rule, &c->files[i]);
	if (error == 0)
		error = hc_buf_printf(&msg, "%s\n\n", c->subject);
	if (error == 0 && (error = trailers(&msg, txn, "Transaction")) == 0 &&
	    c->rule)
		error = hc_buf_printf(&msg, "Rule: %s\n", c->rule);
	if (error == 0)
		error = commit_staged(txn, msg.ptr, &made);
	hc_buf_release(&msg);
	return error;
}

static int txn_mark_pending(struct hc_txn *txn)
{
	git_reference *ref = NULL;
	char log[64];

	disown_undone(txn);
	snprintf(log, sizeof(log), "hardctl: transaction %u pending", txn->id);
	if (!txn->has_tip)
		return 0;
	struct hc_buf marker = HC_BUF_INIT;
	int error;

	if (hc_fault("store.pending", EIO)) {
		hc_error_set_os(txn->store->path,
				"cannot mark the transaction pending");
		return HC_ERROR;
	}
	if (git_reference_create(&ref, txn->store->repo, PENDING_REF, &txn->tip,
				 1, log) < 0)
		return hc_store_git_fail("cannot mark the transaction pending");
	git_reference_free(ref);
	txn->pending = true;
	/* The ref says what is pending; the marker lets readers see it cheaply.
	 */
	if ((error = hc_buf_printf(&marker, "transaction %u\n", txn->id)) == 0)
		error = hc_store_file_write(txn->store, PENDING_NAME, &marker);
	hc_buf_release(&marker);
	return error;
}

static void drop_pending(struct hc_txn *txn)
{
	/* Left pending, the transaction is finished by the next command. */
	if (!txn->pending || hc_fault("store.unpending", EIO))
		return;
	git_reference_remove(txn->store->repo, PENDING_REF);
	hc_store_file_remove(txn->store, PENDING_NAME);
	txn->pending = false;
}

static int txn_finish(struct hc_txn *txn)
{
	git_repository *repo = txn->store->repo;
	git_reference *ref = NULL;
	char name[64], log[64];

	snprintf(name, sizeof(name), TXN_REF_PREFIX "%u", txn->id);
	snprintf(log, sizeof(log), "hardctl: transaction %u", txn->id);
	if (hc_fault("store.txn-ref", EIO)) {
		hc_error_set_os(txn->store->path,
				"cannot record the transaction");
		return HC_ERROR;
	}
	if (git_reference_create(&ref, repo, name, &txn->tip, 0, log) < 0) {
		hc_store_git_fail("cannot record the transaction");
		return hc_error_set_code(HC_ECONFLICT);
	}
	git_reference_free(ref);
	/* The main branch moves last: until it does, history is unchanged. */
	if (hc_fault("store.main", EIO)) {
		hc_error_set_os(txn->store->path,
				"cannot move the store's main branch");
		git_reference_remove(repo, name);
		return HC_ERROR;
	}
	if (git_reference_create_matching(&ref, repo, MAIN_REF, &txn->tip, 1,
					  txn->has_head ? &txn->head : NULL,
					  log) < 0) {
		hc_store_git_fail("cannot move the store's main branch");
		git_reference_remove(repo, name);
		return hc_error_set_code(HC_ECONFLICT);
	}
	git_reference_free(ref);
	txn->finished = true;
	hc_store_state_write(txn->store, &txn->manifest);
	drop_pending(txn);
	return 0;
}

void hc_txn_free(struct hc_txn *txn)
{
	if (txn == NULL)
		return;
	if (!txn->finished)
		drop_pending(txn);
	git_index_free(txn->index);
	hc_manifest_release(&txn->manifest);
	free(txn);
}

/*
 * git makes its directories as the umask lets it (objects are 0444):
 * what the store writes is made under 077, so that it stays private.
 */
int hc_txn_record(struct hc_txn *txn, const struct hc_store_file *files,
		  size_t n)
{
	mode_t mask = umask(077);
	int error = txn_record(txn, files, n);

	umask(mask);
	return error;
}

int hc_txn_commit(struct hc_txn *txn, const struct hc_store_commit *c)
{
	mode_t mask = umask(077);
	int error = txn_commit(txn, c);

	umask(mask);
	return error;
}

int hc_txn_mark_pending(struct hc_txn *txn)
{
	mode_t mask = umask(077);
	int error = txn_mark_pending(txn);

	umask(mask);
	return error;
}

int hc_txn_finish(struct hc_txn *txn)
{
	mode_t mask = umask(077);
	int error = txn_finish(txn);

	umask(mask);
	return error;
}
