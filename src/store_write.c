/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Writing a transaction: its commits, the pending ref, and the refs
 * that make it history (see hardctl/store.h).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
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
#include <git2/sys/odb_backend.h>
#include <git2/sys/refdb_backend.h>
#include <git2/sys/repository.h>

int hc_txn_begin(struct hc_txn **out, struct hc_store *store,
		 const struct hc_txn_meta *meta)
{
	struct hc_txn *txn;
	git_commit *commit = NULL;
	git_tree *tree = NULL;
	unsigned int last;
	int error;

	*out = NULL;
	if ((txn = calloc(1, sizeof(*txn))) == NULL)
		return hc_error_oom();
	txn->store = store;
	txn->meta = *meta;
	if ((error = hc_store_stage_objects(store)) < 0)
		goto fail;
	/* After every ref, on main or not: no id is given twice. */
	if ((error = hc_store_txn_max(&last, store)) < 0)
		goto fail;
	txn->id = last + 1;
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

	/* What the ref names is on disk first. */
	if ((error = hc_store_pack_staged(txn->store)) < 0)
		return error;
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
	int error;

	snprintf(name, sizeof(name), TXN_REF_PREFIX "%u", txn->id);
	snprintf(log, sizeof(log), "hardctl: transaction %u", txn->id);
	if ((error = hc_store_pack_staged(txn->store)) < 0)
		return error;
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
	/* History is written: keeping the packs few may fail, and is tried
	 * again after the next transaction. */
	if (hc_store_repack(txn->store) < 0)
		hc_error_clear();
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

/*
 * The objects a transaction writes are kept in memory (a libgit2 object
 * database backend of the highest priority, so that every write lands
 * in it and every read sees it) and leave as one pack before a ref
 * names them: a transaction adds two files to the store, not one per
 * object, and libgit2 fsyncs those two rather than each object and its
 * directory.  A transaction that fails leaves nothing behind.
 */
struct staged_object {
	git_oid id;
	git_object_t type;
	size_t len;
	char data[];
};

struct hc_pending_objects {
	git_odb_backend parent;
	struct staged_object **v; /* few: a transaction's own */
	size_t n, alloc;
};

static struct staged_object *staged_find(const struct hc_pending_objects *p,
					 const git_oid *id)
{
	for (size_t i = 0; i < p->n; i++)
		if (git_oid_equal(&p->v[i]->id, id))
			return p->v[i];
	return NULL;
}

static int staged_read(void **out, size_t *len, git_object_t *type,
		       git_odb_backend *backend, const git_oid *id)
{
	const struct staged_object *o =
	    staged_find((struct hc_pending_objects *)backend, id);

	if (o == NULL)
		return GIT_ENOTFOUND;
	if ((*out = git_odb_backend_data_alloc(backend, o->len)) == NULL)
		return -1;
	memcpy(*out, o->data, o->len);
	*len = o->len;
	*type = o->type;
	return 0;
}

static int staged_read_header(size_t *len, git_object_t *type,
			      git_odb_backend *backend, const git_oid *id)
{
	const struct staged_object *o =
	    staged_find((struct hc_pending_objects *)backend, id);

	if (o == NULL)
		return GIT_ENOTFOUND;
	*len = o->len;
	*type = o->type;
	return 0;
}

static int staged_exists(git_odb_backend *backend, const git_oid *id)
{
	return staged_find((struct hc_pending_objects *)backend, id) != NULL;
}

static int staged_write(git_odb_backend *backend, const git_oid *id,
			const void *data, size_t len, git_object_t type)
{
	struct hc_pending_objects *p = (struct hc_pending_objects *)backend;
	struct staged_object *o;

	if (staged_find(p, id))
		return 0;
	if (p->n == p->alloc) {
		size_t alloc = p->alloc ? 2 * p->alloc : 32;
		struct staged_object **v =
		    reallocarray(p->v, alloc, sizeof(struct staged_object *));

		if (v == NULL)
			return -1;
		p->v = v;
		p->alloc = alloc;
	}
	if ((o = malloc(sizeof(*o) + len)) == NULL)
		return -1;
	git_oid_cpy(&o->id, id);
	o->type = type;
	o->len = len;
	memcpy(o->data, data, len);
	p->v[p->n++] = o;
	return 0;
}

static void staged_clear(struct hc_pending_objects *p)
{
	for (size_t i = 0; i < p->n; i++)
		free(p->v[i]);
	p->n = 0;
}

static void staged_free(git_odb_backend *backend)
{
	struct hc_pending_objects *p = (struct hc_pending_objects *)backend;

	staged_clear(p);
	free(p->v);
	free(p);
}

int hc_store_stage_objects(struct hc_store *store)
{
	struct hc_pending_objects *p;
	git_odb *odb = NULL;
	int error = 0;

	if (store->staged) {
		/* A failed transaction's, which no ref names. */
		staged_clear(store->staged);
		return 0;
	}
	if ((p = calloc(1, sizeof(*p))) == NULL)
		return hc_error_oom();
	git_odb_init_backend(&p->parent, GIT_ODB_BACKEND_VERSION);
	p->parent.read = staged_read;
	p->parent.read_header = staged_read_header;
	p->parent.write = staged_write;
	p->parent.exists = staged_exists;
	p->parent.free = staged_free;
	/* Above the loose (1) and packed (2) backends: writes land here. */
	if (git_repository_odb(&odb, store->repo) < 0 ||
	    git_odb_add_backend(odb, &p->parent, 999) < 0) {
		error = hc_store_git_fail("cannot prepare the store's writes");
		staged_free(&p->parent);
	} else {
		store->staged = p; /* the odb owns it now */
	}
	git_odb_free(odb);
	return error;
}

/*
 * libgit2's packbuilder reads every ref of the repository it packs for
 * (to put tags' tips first) each time it writes a pack: O(history) file
 * reads in a store that keeps a ref per transaction.  It packs instead
 * for a repository that has the store's objects and an empty refdb.
 */
static int no_ref_name(const char **out, git_reference_iterator *it)
{
	(void)out;
	(void)it;
	return GIT_ITEROVER;
}

static int no_ref(git_reference **out, git_reference_iterator *it)
{
	(void)out;
	(void)it;
	return GIT_ITEROVER;
}

static void no_refs_iterator_free(git_reference_iterator *it)
{
	free(it);
}

static int no_refs_iterator(git_reference_iterator **out,
			    git_refdb_backend *backend, const char *glob)
{
	git_reference_iterator *it = calloc(1, sizeof(*it));

	(void)backend;
	(void)glob;
	if ((*out = it) == NULL)
		return -1;
	it->next = no_ref;
	it->next_name = no_ref_name;
	it->free = no_refs_iterator_free;
	return 0;
}

static int no_refs_exists(int *exists, git_refdb_backend *backend,
			  const char *name)
{
	(void)backend;
	(void)name;
	*exists = 0;
	return 0;
}

static int no_refs_lookup(git_reference **out, git_refdb_backend *backend,
			  const char *name)
{
	(void)out;
	(void)backend;
	(void)name;
	return GIT_ENOTFOUND;
}

/* What libgit2 requires of a refdb, and the packbuilder never asks. */
static int no_refs_refused(void)
{
	git_error_set_str(GIT_ERROR_REFERENCE, "a repository without refs");
	return -1;
}

static int no_refs_write(git_refdb_backend *backend, const git_reference *ref,
			 int force, const git_signature *who,
			 const char *message, const git_oid *old,
			 const char *old_target)
{
	(void)backend, (void)ref, (void)force, (void)who, (void)message;
	(void)old, (void)old_target;
	return no_refs_refused();
}

static int no_refs_rename(git_reference **out, git_refdb_backend *backend,
			  const char *old_name, const char *new_name, int force,
			  const git_signature *who, const char *message)
{
	(void)out, (void)backend, (void)old_name, (void)new_name, (void)force;
	(void)who, (void)message;
	return no_refs_refused();
}

static int no_refs_del(git_refdb_backend *backend, const char *name,
		       const git_oid *old_id, const char *old_target)
{
	(void)backend, (void)name, (void)old_id, (void)old_target;
	return no_refs_refused();
}

static int no_refs_log(git_refdb_backend *backend, const char *name)
{
	(void)backend, (void)name;
	return 0;
}

static int no_refs_reflog_read(git_reflog **out, git_refdb_backend *backend,
			       const char *name)
{
	(void)out, (void)backend, (void)name;
	return no_refs_refused();
}

static int no_refs_reflog_write(git_refdb_backend *backend, git_reflog *log)
{
	(void)backend, (void)log;
	return no_refs_refused();
}

static int no_refs_reflog_rename(git_refdb_backend *backend,
				 const char *old_name, const char *new_name)
{
	(void)backend, (void)old_name, (void)new_name;
	return no_refs_refused();
}

static void no_refs_free(git_refdb_backend *backend)
{
	free(backend);
}

/* A repository of STORE's objects, without refs, to pack for. */
static int packing_repo(git_repository **out, struct hc_store *store)
{
	git_refdb_backend *none = NULL;
	git_refdb *refdb = NULL;
	git_odb *odb = NULL;
	int error = 0;

	*out = NULL;
	if (git_repository_odb(&odb, store->repo) < 0 ||
	    git_repository_new(out) < 0 ||
	    git_repository_set_odb(*out, odb) < 0 ||
	    git_refdb_new(&refdb, *out) < 0) {
		error = hc_store_git_fail("cannot write a store pack");
		goto out;
	}
	if ((none = calloc(1, sizeof(*none))) == NULL) {
		error = hc_error_oom();
		goto out;
	}
	git_refdb_init_backend(none, GIT_REFDB_BACKEND_VERSION);
	none->exists = no_refs_exists;
	none->lookup = no_refs_lookup;
	none->iterator = no_refs_iterator;
	none->write = no_refs_write;
	none->rename = no_refs_rename;
	none->del = no_refs_del;
	none->has_log = no_refs_log;
	none->ensure_log = no_refs_log;
	none->reflog_read = no_refs_reflog_read;
	none->reflog_write = no_refs_reflog_write;
	none->reflog_rename = no_refs_reflog_rename;
	none->reflog_delete = no_refs_log;
	none->free = no_refs_free;
	if (git_refdb_set_backend(refdb, none) < 0) {
		no_refs_free(none);
		error = hc_store_git_fail("cannot write a store pack");
	} else if (git_repository_set_refdb(*out, refdb) < 0) {
		error = hc_store_git_fail("cannot write a store pack");
	}
out:
	git_refdb_free(refdb);
	git_odb_free(odb);
	if (error < 0) {
		git_repository_free(*out);
		*out = NULL;
	}
	return error;
}

/* Write the objects IDS (N of them, in the store) as one new pack. */
static int write_pack(struct hc_store *store, const git_oid *ids, size_t n,
		      char name[GIT_OID_HEXSZ + 1])
{
	git_repository *repo = NULL;
	git_packbuilder *pb = NULL;
	char dir[4200];
	const char *made;
	int error = 0;

	name[0] = '\0';
	if (hc_fault("store.pack", ENOSPC)) {
		hc_error_set_os(store->path, "cannot write a store pack");
		return HC_ERROR;
	}
	snprintf(dir, sizeof(dir), "%s/objects/pack", store->path);
	if ((error = packing_repo(&repo, store)) < 0)
		return error;
	if (git_packbuilder_new(&pb, repo) < 0) {
		error = hc_store_git_fail("cannot write a store pack");
		goto out;
	}
	git_packbuilder_set_threads(pb, 1);
	for (size_t i = 0; i < n && error == 0; i++)
		if (git_packbuilder_insert(pb, &ids[i], NULL) < 0)
			error = hc_store_read_fail(store,
						   "cannot write a store pack");
	if (error == 0 && git_packbuilder_write(pb, dir, 0, NULL, NULL) < 0)
		error = hc_store_git_fail("cannot write a store pack");
	if (error == 0 && (made = git_packbuilder_name(pb)) != NULL)
		snprintf(name, GIT_OID_HEXSZ + 1, "%s", made);
out:
	git_packbuilder_free(pb);
	git_repository_free(repo);
	return error;
}

int hc_store_pack_staged(struct hc_store *store)
{
	struct hc_pending_objects *p = store->staged;
	char name[GIT_OID_HEXSZ + 1];
	git_odb *odb = NULL;
	git_oid *ids;
	int error = 0;

	if (p == NULL || p->n == 0)
		return 0;
	if ((ids = calloc(p->n, sizeof(*ids))) == NULL)
		return hc_error_oom();
	for (size_t i = 0; i < p->n; i++)
		git_oid_cpy(&ids[i], &p->v[i]->id);
	if ((error = write_pack(store, ids, p->n, name)) == 0) {
		/* The packs seen now include the new one: memory may go. */
		if (git_repository_odb(&odb, store->repo) < 0 ||
		    git_odb_refresh(odb) < 0)
			error = hc_store_git_fail("cannot write a store pack");
		else
			staged_clear(p);
		git_odb_free(odb);
	}
	free(ids);
	return error;
}

/* A pack of the store: its name's hash, and how many objects it holds. */
struct pack_info {
	char hash[GIT_OID_HEXSZ + 1];
	uint32_t count;
};

#define IDX_HEADER (8 + 256 * 4) /* magic, version, fan-out table */

/*
 * How many objects the pack index PATH (version 2, as libgit2 and git
 * write) lists, in *N; and, if IDS is not NULL, their ids.
 */
static int idx_read(git_oid **ids, uint32_t *n, const char *path)
{
	static const unsigned char magic[8] = {0xff, 't', 'O', 'c', 0, 0, 0, 2};
	struct hc_buf text = HC_BUF_INIT;
	unsigned char head[IDX_HEADER];
	const unsigned char *b = head + IDX_HEADER - 4;
	int error = 0, fd;

	*n = 0;
	if (ids)
		*ids = NULL;
	if ((fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) < 0) {
		hc_error_set_os(path, "cannot read a store pack's index");
		return HC_ERROR;
	}
	if (pread(fd, head, sizeof(head), 0) != (ssize_t)sizeof(head) ||
	    memcmp(head, magic, sizeof(magic)) != 0) {
		hc_error_set_at(path, 0, "not a pack index hardctl can read");
		error = hc_error_set_code(HC_EUNSAFE);
		goto out;
	}
	/* The fan-out table's last entry counts every object. */
	*n = (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 |
	     (uint32_t)b[3];
	if (ids == NULL ||
	    (error = hc_buf_read_fd(&text, fd, SIZE_MAX - 1, path)) < 0)
		goto out;
	if ((text.size - IDX_HEADER) / GIT_OID_RAWSZ < *n) {
		hc_error_set_at(path, 0, "a pack index cut short");
		error = hc_error_set_code(HC_EUNSAFE);
	} else if (*n && (*ids = calloc(*n, sizeof(**ids))) == NULL) {
		error = hc_error_oom();
	}
	for (uint32_t i = 0; error == 0 && i < *n; i++)
		git_oid_fromraw(&(*ids)[i], (const unsigned char *)text.ptr +
						IDX_HEADER +
						(size_t)i * GIT_OID_RAWSZ);
out:
	close(fd);
	hc_buf_release(&text);
	return error;
}

/* Object ids, growing. */
struct oid_list {
	git_oid *v;
	size_t n, alloc;
};

static int oid_push(struct oid_list *l, const git_oid *id)
{
	if (l->n == l->alloc) {
		size_t alloc = l->alloc ? 2 * l->alloc : 64;
		git_oid *v = reallocarray(l->v, alloc, sizeof(*v));

		if (v == NULL)
			return hc_error_oom();
		l->v = v;
		l->alloc = alloc;
	}
	git_oid_cpy(&l->v[l->n++], id);
	return 0;
}

static bool all_hex(const char *s, size_t len)
{
	return strlen(s) == len && strspn(s, "0123456789abcdef") == len;
}

/*
 * The store's loose objects (objects/XX/YYYY...) into OUT; with REMOVE,
 * remove them instead, and their directories once empty.
 */
static int loose_objects(struct oid_list *out, const struct hc_store *store,
			 bool remove)
{
	char objects[4200], dir[4200], path[4300], hex[GIT_OID_HEXSZ + 1];
	struct dirent *de, *fe;
	DIR *dp, *fp;
	git_oid id;
	int error = 0;

	snprintf(objects, sizeof(objects), "%s/objects", store->path);
	if ((dp = opendir(objects)) == NULL) {
		hc_error_set_os(objects, "cannot list the store's objects");
		return HC_ERROR;
	}
	while (error == 0 && (de = readdir(dp)) != NULL) {
		if (!all_hex(de->d_name, 2))
			continue;
		snprintf(dir, sizeof(dir), "%s/objects/%s", store->path,
			 de->d_name);
		if ((fp = opendir(dir)) == NULL)
			continue; /* not a directory: not an object's */
		while (error == 0 && (fe = readdir(fp)) != NULL) {
			if (!all_hex(fe->d_name, GIT_OID_HEXSZ - 2))
				continue;
			if (snprintf(path, sizeof(path), "%s/%s", dir,
				     fe->d_name) >= (int)sizeof(path))
				continue;
			/* Two hex digits of the directory, 38 of the file. */
			memcpy(hex, de->d_name, 2);
			memcpy(hex + 2, fe->d_name, sizeof(hex) - 3);
			hex[sizeof(hex) - 1] = '\0';
			if (remove)
				unlink(path);
			else if (git_oid_fromstr(&id, hex) == 0)
				error = oid_push(out, &id);
		}
		closedir(fp);
		if (remove)
			rmdir(dir); /* kept if something else is in it */
	}
	closedir(dp);
	return error;
}

static int pack_cmp(const void *a, const void *b)
{
	const struct pack_info *x = a, *y = b;

	return (x->count > y->count) - (x->count < y->count);
}

/*
 * The store's packs, fewest objects first.  What a killed pack write
 * left (a temporary, an index whose pack was not renamed in yet) no
 * ref names: it is removed.
 */
static int packs_list(struct pack_info **out, size_t *count,
		      const struct hc_store *store)
{
	char packdir[4200], path[4300];
	struct pack_info *v = NULL;
	size_t n = 0, alloc = 0;
	struct dirent *de;
	struct stat st;
	DIR *dp;
	int error = 0;

	*out = NULL;
	*count = 0;
	snprintf(packdir, sizeof(packdir), "%s/objects/pack", store->path);
	if ((dp = opendir(packdir)) == NULL) {
		if (errno == ENOENT)
			return 0;
		hc_error_set_os(packdir, "cannot list the store's packs");
		return HC_ERROR;
	}
	while (error == 0 && (de = readdir(dp)) != NULL) {
		const char *name = de->d_name;
		size_t len = strlen(name);

		snprintf(path, sizeof(path), "%s/objects/pack/%s", store->path,
			 name);
		if (strncmp(name, "pack_git2_", 10) == 0) {
			unlink(path);
			continue;
		}
		if (len != 5 + GIT_OID_HEXSZ + 4 ||
		    strncmp(name, "pack-", 5) != 0 ||
		    strcmp(name + len - 4, ".idx") != 0)
			continue;
		if (n == alloc) {
			struct pack_info *grown;

			alloc = alloc ? 2 * alloc : 16;
			if ((grown = reallocarray(v, alloc, sizeof(*v))) ==
			    NULL) {
				error = hc_error_oom();
				break;
			}
			v = grown;
		}
		snprintf(v[n].hash, sizeof(v[n].hash), "%.*s", GIT_OID_HEXSZ,
			 name + 5);
		snprintf(path + strlen(path) - 4, 6, ".pack");
		if (lstat(path, &st) < 0) {
			snprintf(path + strlen(path) - 5, 5, ".idx");
			unlink(path);
			continue;
		}
		snprintf(path + strlen(path) - 5, 5, ".idx");
		if ((error = idx_read(NULL, &v[n].count, path)) == 0)
			n++;
	}
	closedir(dp);
	if (error < 0) {
		free(v);
		return error;
	}
	if (n > 1)
		qsort(v, n, sizeof(*v), pack_cmp);
	*out = v;
	*count = n;
	return 0;
}

/*
 * How many of the packs V (fewest objects first) to join, as git's
 * geometric repack chooses: those below the largest run at the top in
 * which each pack has at least twice the objects of the one below, and
 * then those of the run the joined pack would not leave geometric.
 */
static size_t geometric_split(const struct pack_info *v, size_t n)
{
	uint64_t rollup = 0;
	size_t split, i;

	if (n < 2)
		return 0;
	for (i = n - 1; i > 0; i--)
		if (v[i].count < 2 * (uint64_t)v[i - 1].count)
			break;
	split = i ? i + 1 : 0;
	for (i = 0; i < split; i++)
		rollup += v[i].count;
	for (; split < n && v[split].count < 2 * rollup; split++)
		rollup += v[split].count;
	return split;
}

/* Refresh what libgit2 knows of the store's packs. */
static int odb_refresh(struct hc_store *store)
{
	git_odb *odb = NULL;
	int error = 0;

	if (git_repository_odb(&odb, store->repo) < 0 ||
	    git_odb_refresh(odb) < 0)
		error = hc_store_git_fail("cannot read the store's packs");
	git_odb_free(odb);
	return error;
}

/* Join the first SPLIT packs of V into one; then remove them. */
static int join_packs(struct hc_store *store, const struct pack_info *v,
		      size_t split)
{
	char path[4300], name[GIT_OID_HEXSZ + 1];
	struct oid_list all = {0};
	git_oid *ids = NULL;
	uint32_t n;
	int error = 0;

	for (size_t i = 0; i < split && error == 0; i++) {
		snprintf(path, sizeof(path), "%s/objects/pack/pack-%s.idx",
			 store->path, v[i].hash);
		if ((error = idx_read(&ids, &n, path)) < 0)
			break;
		for (uint32_t k = 0; k < n && error == 0; k++)
			error = oid_push(&all, &ids[k]);
		free(ids);
	}
	if (error == 0)
		error = write_pack(store, all.v, all.n, name);
	if (error == 0)
		error = odb_refresh(store);
	if (error == 0 && hc_fault("store.prune", EIO)) {
		hc_error_set_os(store->path, "cannot remove the joined packs");
		error = HC_ERROR;
	}
	/* The new pack holds them all: the old ones may go, index first. */
	for (size_t i = 0; i < split && error == 0; i++) {
		if (strcmp(v[i].hash, name) == 0)
			continue;
		snprintf(path, sizeof(path), "%s/objects/pack/pack-%s.idx",
			 store->path, v[i].hash);
		unlink(path);
		snprintf(path, sizeof(path), "%s/objects/pack/pack-%s.pack",
			 store->path, v[i].hash);
		unlink(path);
	}
	free(all.v);
	return error;
}

static int repack(struct hc_store *store)
{
	char name[GIT_OID_HEXSZ + 1];
	struct oid_list loose = {0};
	struct pack_info *packs = NULL;
	size_t n = 0, split;
	int error;

	/* Loose objects, written before packs were: packed, then removed. */
	if ((error = loose_objects(&loose, store, false)) == 0 && loose.n &&
	    (error = write_pack(store, loose.v, loose.n, name)) == 0 &&
	    (error = odb_refresh(store)) == 0)
		error = loose_objects(NULL, store, true);
	free(loose.v);
	if (error == 0 && (error = packs_list(&packs, &n, store)) == 0 &&
	    (split = geometric_split(packs, n)) >= 2 &&
	    (error = join_packs(store, packs, split)) == 0)
		error = hc_store_reopen(store);
	free(packs);
	return error;
}

int hc_store_repack(struct hc_store *store)
{
	mode_t mask;
	int error;

	if (store->lock_fd < 0)
		return 0; /* packs change only under the lock */
	mask = umask(077);
	error = repack(store);
	umask(mask);
	return error;
}
