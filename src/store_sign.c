/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The store's signing key, the check of a commit's signature, and
 * verify (see hardctl/store.h).
 */
#include <string.h>
#include "hardctl/state.h"
#include "hardctl/sign.h"
#include "store_int.h"

int hc_store_use_key(struct hc_store *store, const char *path, bool create,
		     bool *created)
{
	struct hc_signer *signer;
	git_oid head;
	bool has_head;
	int error;

	/* A new key for a store with history would disown all of it. */
	if ((error = hc_store_main_head(&head, &has_head, store)) < 0)
		return error;
	error = hc_signer_load(&signer, path, create && !has_head, created);

	if (error == HC_ENOTFOUND) {
		hc_error_set_at(
		    path, 0,
		    "the store's signing key is missing: its history cannot "
		    "be verified; refused (restore the key from where it was "
		    "kept)");
		error = hc_error_set_code(HC_EUNSAFE);
	}
	if (error < 0)
		return error;
	hc_signer_free(store->signer);
	store->signer = signer;
	return 0;
}

const struct hc_signer *hc_store_signer(const struct hc_store *store)
{
	return store->signer;
}

/*
 * Split a commit object's bytes as git's parse_signed_commit() does:
 * the lines of header FIELD ("FIELD " and the continuation lines after
 * it, which begin with a space) go to SIG, without that prefix; every
 * other line, and the whole message after the blank line, to PAYLOAD,
 * which is what the signature is over.  *found says whether there was
 * such a header.  libgit2's own extraction is not used: it reads the
 * message as headers too, and drops the name of a header that only
 * begins with FIELD, so what it checks is not what git checks.
 */
static int split_signed(struct hc_buf *sig, struct hc_buf *payload, bool *found,
			const char *buf, size_t size, const char *field)
{
	const char *line = buf, *tail = buf + size;
	size_t flen = strlen(field);
	bool in_sig = false;
	int error = 0;

	*found = false;
	while (line < tail && error == 0) {
		const char *next = memchr(line, '\n', (size_t)(tail - line));
		const char *value = NULL;

		next = next ? next + 1 : tail;
		if (in_sig && line[0] == ' ')
			value = line + 1;
		else if ((size_t)(next - line) > flen &&
			 memcmp(line, field, flen) == 0 && line[flen] == ' ')
			value = line + flen + 1;
		if (value) {
			error = hc_buf_put(sig, value, (size_t)(next - value));
			*found = in_sig = true;
		} else {
			if (line[0] == '\n')
				next = tail; /* the message, whole */
			error =
			    hc_buf_put(payload, line, (size_t)(next - line));
			in_sig = false;
		}
		line = next;
	}
	return error;
}

/*
 * Check the signature in header FIELD of the commit BUF, if it has one
 * (*found): CHECK is the reader of that header's kind.
 */
static int check_field(bool *found, const struct hc_signer *signer,
		       const char *buf, size_t size, const char *field,
		       int (*check)(const struct hc_signer *, const void *,
				    size_t, const char *))
{
	struct hc_buf sig = HC_BUF_INIT, payload = HC_BUF_INIT;
	int error;

	if ((error = split_signed(&sig, &payload, found, buf, size, field)) <
		0 ||
	    !*found)
		goto out;
	/* The last line's newline is the header's, not the signature's. */
	if (sig.size && sig.ptr[sig.size - 1] == '\n')
		sig.ptr[--sig.size] = '\0';
	if (memchr(sig.ptr, '\0', sig.size) != NULL) {
		hc_error_set("a signature with a NUL byte in it");
		error = hc_error_set_code(HC_EUNSAFE);
		goto out;
	}
	error = check(signer, payload.ptr, payload.size, sig.ptr);
out:
	hc_buf_release(&sig);
	hc_buf_release(&payload);
	return error;
}

/*
 * A commit is signed in git's format, or (made before hardctl used it)
 * in its own; one with both must have both good, each over the commit
 * as the other header leaves it, which a signer of one alone cannot
 * make.
 */
int hc_store_verify_commit(struct hc_store *store, const git_oid *commit)
{
	git_odb *odb = NULL;
	git_odb_object *obj = NULL;
	bool found = false, old_found = false;
	const char *buf;
	size_t size;
	int error = 0;

	if (store->signer == NULL)
		return 0;
	if (git_repository_odb(&odb, store->repo) < 0 ||
	    git_odb_read(&obj, odb, commit) < 0) {
		error = hc_store_read_fail(store, "cannot read a store commit");
		goto out;
	}
	buf = git_odb_object_data(obj);
	size = git_odb_object_size(obj);
	if (git_odb_object_type(obj) != GIT_OBJECT_COMMIT) {
		hc_error_set("store object %.12s is not a commit",
			     git_oid_tostr_s(commit));
		error = hc_error_set_code(HC_EUNSAFE);
	} else if ((error = check_field(&found, store->signer, buf, size,
					SIG_FIELD, hc_signer_verify)) < 0 ||
		   (error = check_field(&old_found, store->signer, buf, size,
					OLD_SIG_FIELD, hc_signer_verify_old)) <
		       0) {
		hc_error_prefix("store commit %.12s", git_oid_tostr_s(commit));
	} else if (!found && !old_found) {
		hc_error_set("store commit %.12s is not signed",
			     git_oid_tostr_s(commit));
		error = hc_error_set_code(HC_EUNSAFE);
	}
	if (error == HC_EUNSAFE)
		hc_error_prefix("the oldconf store %s was altered outside "
				"hardctl; nothing was "
				"changed",
				store->path);
out:
	git_odb_object_free(obj);
	git_odb_free(odb);
	return error;
}

/* Note the last error as a problem of the report, and go on. */
static int note_problem(struct hc_verify_report *out)
{
	out->nproblems++;
	if (out->problems.n >= 100)
		return 0;
	return hc_strlist_push(&out->problems, hc_error_last()->message);
}

/* Check one commit: its signature, its manifest, each file against it. */
static int verify_one(struct hc_verify_report *out, struct hc_store *store,
		      const git_oid *id, struct hc_blob_seen *seen)
{
	struct hc_manifest m = {0};
	int error = 0;

	out->commits++;
	if (hc_store_verify_commit(store, id) < 0 &&
	    (error = note_problem(out)) < 0)
		return error;
	if (hc_store_manifest_at_git(&m, store, id) < 0)
		return note_problem(out);
	for (size_t i = 0; i < m.n && error == 0; i++) {
		if (!m.v[i].exists)
			continue;
		out->files++;
		if (hc_store_file_verify_git(seen, store, id, &m.v[i]) < 0)
			error = note_problem(out);
	}
	out->blobs = seen->n;
	hc_manifest_release(&m);
	return error;
}

/*
 * Check that every ref names a commit: the walk passes over a ref to a
 * blob or a tree, which a reader of that ref would take for history.
 */
static int verify_refs(struct hc_verify_report *out, struct hc_store *store)
{
	git_reference_iterator *it = NULL;
	git_reference *ref = NULL;
	git_object *obj = NULL;
	int r, error = 0;

	if (git_reference_iterator_new(&it, store->repo) < 0)
		return hc_store_read_fail(store,
					  "cannot list the store's refs");
	while (error == 0 && (r = git_reference_next(&ref, it)) == 0) {
		const char *name = git_reference_name(ref);

		if (git_reference_peel(&obj, ref, GIT_OBJECT_ANY) < 0) {
			hc_store_read_fail(store, "cannot read a ref");
			hc_error_prefix("ref %s", name);
			error = note_problem(out);
		} else if (git_object_type(obj) != GIT_OBJECT_COMMIT) {
			hc_error_set(
			    "ref %s names a %s, not a commit: the oldconf "
			    "store %s was "
			    "altered outside hardctl",
			    name, git_object_type2string(git_object_type(obj)),
			    store->path);
			error = note_problem(out);
		}
		git_object_free(obj);
		obj = NULL;
		git_reference_free(ref);
		ref = NULL;
	}
	if (error == 0 && r != GIT_ITEROVER) {
		hc_store_read_fail(store, "cannot list the store's refs");
		error = note_problem(out);
	}
	git_reference_iterator_free(it);
	return error;
}

int hc_store_verify(struct hc_verify_report *out, struct hc_store *store)
{
	struct hc_blob_seen seen = {0};
	git_revwalk *walk = NULL;
	git_oid id;
	int r, error = 0;

	memset(out, 0, sizeof(*out));
	if ((error = verify_refs(out, store)) < 0)
		return error;
	if (git_revwalk_new(&walk, store->repo) < 0 ||
	    git_revwalk_push_glob(walk, "refs/*") < 0) {
		git_revwalk_free(walk);
		return hc_store_read_fail(store,
					  "cannot walk the store's history");
	}
	while (error == 0 && (r = git_revwalk_next(&id, walk)) == 0)
		error = verify_one(out, store, &id, &seen);
	if (error == 0 && r != GIT_ITEROVER) {
		/* A commit the walk cannot read is a problem of the store, not
		 * of hardctl. */
		hc_store_read_fail(store, "cannot walk the store's history");
		error = note_problem(out);
	}
	git_revwalk_free(walk);
	hc_blob_seen_release(&seen);
	hc_error_clear();
	return error;
}

void hc_verify_report_release(struct hc_verify_report *report)
{
	hc_strlist_release(&report->problems);
}
