/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Reading the store's history: transactions, manifests, stored files,
 * and what a transaction changed (see hardctl/store.h).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdint.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "hardctl/hash.h"
#include "hardctl/state.h"
#include "store_int.h"

/* The id of the blob at PATH in commit COMMIT_ID, without reading it. */
static int blob_id_at(git_oid *out, struct hc_store *store,
		      const git_oid *commit_id, const char *path)
{
	git_commit *commit = NULL;
	git_tree *tree = NULL;
	git_tree_entry *entry = NULL;
	int error = 0, r;

	if (git_commit_lookup(&commit, store->repo, commit_id) < 0 ||
	    git_commit_tree(&tree, commit) < 0) {
		error = hc_store_read_fail(store, "cannot read a store commit");
		goto out;
	}
	if ((r = git_tree_entry_bypath(&entry, tree, path)) == GIT_ENOTFOUND) {
		hc_error_set("store commit %.12s has no %s",
			     git_oid_tostr_s(commit_id), path);
		error = hc_error_set_code(HC_ENOTFOUND);
		goto out;
	}
	if (r < 0)
		error = hc_store_read_fail(store, "cannot read a stored file");
	else
		git_oid_cpy(out, git_tree_entry_id(entry));
out:
	git_tree_entry_free(entry);
	git_tree_free(tree);
	git_commit_free(commit);
	return error;
}

static int blob_at(git_blob **out, struct hc_store *store,
		   const git_oid *commit_id, const char *path)
{
	git_oid id;
	int error;

	*out = NULL;
	if ((error = blob_id_at(&id, store, commit_id, path)) == 0 &&
	    git_blob_lookup(out, store->repo, &id) < 0)
		error = hc_store_read_fail(store, "cannot read a stored file");
	return error;
}

int hc_store_manifest_at_git(struct hc_manifest *out, struct hc_store *store,
			     const git_oid *commit)
{
	git_blob *blob = NULL;
	char name[64];
	int error;

	memset(out, 0, sizeof(*out));
	if (commit == NULL)
		return 0;
	if ((error = blob_at(&blob, store, commit, "manifest")) < 0) {
		if (error == HC_ENOTFOUND)
			error = hc_error_set_code(HC_EUNSAFE);
		return error;
	}
	snprintf(name, sizeof(name), "manifest at %.12s",
		 git_oid_tostr_s(commit));
	error = hc_manifest_parse(out, git_blob_rawcontent(blob),
				  (size_t)git_blob_rawsize(blob), name);
	if (error == HC_EPARSE)
		error = hc_error_set_code(HC_EUNSAFE);
	git_blob_free(blob);
	return error;
}

int hc_store_main_manifest(struct hc_manifest *out, struct hc_store *store)
{
	git_oid head;
	bool exists;
	int error;

	memset(out, 0, sizeof(*out));
	if ((error = hc_store_main_head(&head, &exists, store)) < 0 ||
	    (exists && (error = hc_store_verify_commit(store, &head)) < 0))
		return error;
	return hc_store_manifest_at_git(out, store, exists ? &head : NULL);
}

int hc_store_main_files(struct hc_manifest *out, struct hc_oid *tip,
			bool *exists, struct hc_store *store)
{
	git_oid head;
	int error;

	memset(out, 0, sizeof(*out));
	/* What hardctl wrote is read from a tip its key signed. */
	if ((error = hc_store_main_head(&head, exists, store)) < 0 ||
	    (*exists && (error = hc_store_verify_commit(store, &head)) < 0))
		return error;
	if (*exists)
		hc_oid_from_git(tip, &head);
	return hc_store_manifest_at_git(out, store, *exists ? &head : NULL);
}

int hc_store_tree_path(struct hc_buf *out, const char *path)
{
	hc_buf_clear(out);
	return hc_buf_printf(out, "files%s", path);
}

static int not_as_manifest(const struct hc_store *store, const git_oid *commit,
			   const struct hc_manifest_entry *e)
{
	hc_error_set("the store's copy of %s at %.12s does not match "
		     "its manifest: the "
		     "oldconf store %s was altered outside hardctl; "
		     "nothing was changed: "
		     "restore the store from a backup before hardctl "
		     "changes anything again",
		     e->path, git_oid_tostr_s(commit), store->path);
	return hc_error_set_code(HC_EUNSAFE);
}

int hc_store_file_at_git(struct hc_file_state *out, struct hc_store *store,
			 const git_oid *commit,
			 const struct hc_manifest_entry *e)
{
	struct hc_buf path = HC_BUF_INIT;
	struct hc_sha256 sha;
	git_blob *blob = NULL;
	int error;

	out->exists = e->exists;
	out->link = e->link;
	out->mode = e->mode;
	out->uid = e->uid;
	out->gid = e->gid;
	out->acl = e->acl;
	hc_buf_clear(&out->data);
	if (!e->exists)
		return 0;
	if ((error = hc_store_tree_path(&path, e->path)) < 0 ||
	    (error = blob_at(&blob, store, commit, path.ptr)) < 0 ||
	    (error = hc_buf_set(&out->data, git_blob_rawcontent(blob),
				(size_t)git_blob_rawsize(blob))) < 0 ||
	    (error = hc_sha256(&sha, hc_buf_cstr(&out->data), out->data.size)) <
		0)
		goto out;
	if (memcmp(&sha, &e->sha, sizeof(sha)) != 0)
		error = not_as_manifest(store, commit, e);
out:
	if (error == HC_ENOTFOUND)
		error = hc_error_set_code(HC_EUNSAFE);
	git_blob_free(blob);
	hc_buf_release(&path);
	return error;
}

/* The slot of ID in SEEN's table: its entry, or the free one it goes in. */
static struct hc_blob_sha *seen_slot(const struct hc_blob_seen *seen,
				     const git_oid *id)
{
	size_t mask = seen->alloc - 1, i;
	uint64_t h;

	memcpy(&h, id->id, sizeof(h)); /* a SHA-1: already well spread */
	for (i = (size_t)h & mask; seen->v[i].used; i = (i + 1) & mask)
		if (git_oid_equal(&seen->v[i].id, id))
			break;
	return &seen->v[i];
}

/* Keep SEEN's table at most half full. */
static int seen_grow(struct hc_blob_seen *seen)
{
	struct hc_blob_seen bigger = {0};

	if (seen->alloc && (seen->n + 1) * 2 <= seen->alloc)
		return 0;
	bigger.alloc = seen->alloc ? seen->alloc * 2 : 64;
	if ((bigger.v = calloc(bigger.alloc, sizeof(*bigger.v))) == NULL)
		return hc_error_oom();
	for (size_t i = 0; i < seen->alloc; i++)
		if (seen->v[i].used)
			*seen_slot(&bigger, &seen->v[i].id) = seen->v[i];
	free(seen->v);
	seen->v = bigger.v;
	seen->alloc = bigger.alloc;
	return 0;
}

int hc_store_file_verify_git(struct hc_blob_seen *seen, struct hc_store *store,
			     const git_oid *commit,
			     const struct hc_manifest_entry *e)
{
	struct hc_buf path = HC_BUF_INIT;
	struct hc_blob_sha *slot;
	git_blob *blob = NULL;
	git_oid id;
	int error;

	if ((error = hc_store_tree_path(&path, e->path)) < 0 ||
	    (error = blob_id_at(&id, store, commit, path.ptr)) < 0 ||
	    (error = seen_grow(seen)) < 0)
		goto out;
	slot = seen_slot(seen, &id);
	if (!slot->used) {
		/* Hashed once, whatever number of commits keep it. */
		if (git_blob_lookup(&blob, store->repo, &id) < 0) {
			error = hc_store_read_fail(store,
						   "cannot read a stored file");
			goto out;
		}
		if ((error = hc_sha256(&slot->sha, git_blob_rawcontent(blob),
				       (size_t)git_blob_rawsize(blob))) < 0)
			goto out;
		git_oid_cpy(&slot->id, &id);
		slot->used = true;
		seen->n++;
	}
	if (memcmp(&slot->sha, &e->sha, sizeof(slot->sha)) != 0)
		error = not_as_manifest(store, commit, e);
out:
	if (error == HC_ENOTFOUND)
		error = hc_error_set_code(HC_EUNSAFE);
	git_blob_free(blob);
	hc_buf_release(&path);
	return error;
}

void hc_blob_seen_release(struct hc_blob_seen *seen)
{
	free(seen->v);
	memset(seen, 0, sizeof(*seen));
}

char *hc_store_trailer(const char *message, const char *key)
{
	git_message_trailer_array arr = {0};
	char *value = NULL;

	if (git_message_trailers(&arr, message) < 0)
		return NULL;
	for (size_t i = 0; i < arr.count && !value; i++)
		if (strcmp(arr.trailers[i].key, key) == 0)
			value = strdup(arr.trailers[i].value);
	git_message_trailer_array_free(&arr);
	return value;
}

void hc_txn_info_release(struct hc_txn_info *info)
{
	free(info->command);
	free(info->profile);
	free(info->profile_sha);
	free(info->accepted);
	free(info->user);
	free(info->by);
	free(info->by_reason);
	free(info->undoes);
	free(info->undoes_rule);
	hc_strlist_release(&info->rules);
	memset(info, 0, sizeof(*info));
}

/*
 * Who made a commit, in one line: from its Login-UID, UID, EUID and
 * Sudo-User trailers (hardctl/audit.h), or an older store's User.
 */
static char *who_of(const char *message)
{
	static const char *const keys[] = {"UID", "EUID", "Login-UID",
					   "Sudo-User"};
	static const char *const labels[] = {"uid ", ", euid ", ", login uid ",
					     ", SUDO_USER "};
	struct hc_buf out = HC_BUF_INIT;
	char *v;

	if ((v = hc_store_trailer(message, "UID")) == NULL)
		return hc_store_trailer(message, "User");
	free(v);
	for (size_t i = 0; i < HC_ARRAY_SIZE(keys); i++) {
		if ((v = hc_store_trailer(message, keys[i])) == NULL)
			continue;
		if (hc_buf_printf(&out, "%s%s", labels[i], v) < 0) {
			free(v);
			hc_buf_release(&out);
			return NULL;
		}
		free(v);
	}
	return hc_buf_detach(&out);
}

int hc_store_walk_txn(struct hc_txn_info *info, struct hc_store *store)
{
	git_commit *commit = NULL, *parent;
	char id[16];
	int error = 0;

	snprintf(id, sizeof(id), "%u", info->id);
	git_oid tip;

	hc_oid_to_git(&tip, &info->tip);
	if (git_commit_lookup(&commit, store->repo, &tip) < 0)
		return hc_store_read_fail(store,
					  "cannot read a transaction's commit");
	info->time = git_commit_time(commit);
	info->command = hc_store_trailer(git_commit_message(commit), "Command");
	info->profile = hc_store_trailer(git_commit_message(commit), "Profile");
	info->profile_sha =
	    hc_store_trailer(git_commit_message(commit), "Profile-SHA256");
	info->accepted = hc_store_trailer(git_commit_message(commit),
					  "Accepted-No-Local-Admin");
	info->user = who_of(git_commit_message(commit));
	info->by =
	    hc_store_trailer(git_commit_message(commit), "Rolled-back-by");
	info->by_reason =
	    hc_store_trailer(git_commit_message(commit), "Rolled-back-why");
	info->undoes = hc_store_trailer(git_commit_message(commit), "Undoes");
	info->undoes_rule =
	    hc_store_trailer(git_commit_message(commit), "Undoes-Rule");
	for (;;) {
		char *txn =
		    hc_store_trailer(git_commit_message(commit), "Transaction");
		bool ours = txn && strcmp(txn, id) == 0;
		char *rule;

		free(txn);
		if (!ours) {
			hc_oid_from_git(&info->base, git_commit_id(commit));
			info->has_base = true;
			break;
		}
		info->ncommits++;
		if ((rule = hc_store_trailer(git_commit_message(commit),
					     "Rule")) != NULL) {
			/* Walking backwards: put each rule first. */
			if ((error =
				 hc_strlist_push_owned(&info->rules, rule)) < 0)
				break;
			memmove(&info->rules.v[1], &info->rules.v[0],
				(info->rules.n - 1) * sizeof(char *));
			info->rules.v[0] = rule;
		}
		if (git_commit_parentcount(commit) == 0)
			break;
		if (git_commit_parent(&parent, commit, 0) < 0) {
			error = hc_store_read_fail(
			    store, "cannot read a transaction's commit");
			break;
		}
		git_commit_free(commit);
		commit = parent;
	}
	git_commit_free(commit);
	if (error == 0 && info->command == NULL) {
		hc_error_set("transaction %u's commit has no Command trailer: "
			     "the store was altered",
			     info->id);
		error = hc_error_set_code(HC_EUNSAFE);
	}
	return error;
}

int hc_store_txn_get(struct hc_txn_info *out, struct hc_store *store,
		     unsigned int id)
{
	char ref[64];
	git_oid tip;
	int r, error;

	memset(out, 0, sizeof(*out));
	out->id = id;
	snprintf(ref, sizeof(ref), TXN_REF_PREFIX "%u", id);
	r = git_reference_name_to_id(&tip, store->repo, ref);
	hc_oid_from_git(&out->tip, &tip);
	if (r == GIT_ENOTFOUND) {
		hc_error_set("no transaction %u (hardctl log lists them)", id);
		return hc_error_set_code(HC_ENOTFOUND);
	}
	if (r < 0)
		return hc_store_read_fail(store, "cannot read a transaction");
	if ((error = hc_store_walk_txn(out, store)) < 0)
		hc_txn_info_release(out);
	return error;
}

static int cmp_desc(const void *a, const void *b)
{
	unsigned int x = *(const unsigned int *)a, y = *(const unsigned int *)b;

	return (x < y) - (x > y);
}

/*
 * *OUT from S when S is a transaction id as hardctl writes it: 1 to
 * 4294967295 in decimal, no sign, blank or leading zero.  Any other name
 * under refs/hardctl/txn/ is none of hardctl's.
 */
static bool parse_txn_id(unsigned int *out, const char *s)
{
	unsigned long long v = 0;
	size_t len = strspn(s, "0123456789");

	if (len == 0 || len > 10 || s[len] != '\0' || s[0] == '0')
		return false;
	for (size_t i = 0; i < len; i++)
		v = v * 10 + (unsigned long long)(s[i] - '0');
	if (v > UINT_MAX)
		return false;
	*out = (unsigned int)v;
	return true;
}

/* Transaction ids, growing; or only the greatest, when LIST is false. */
struct id_list {
	unsigned int *v;
	size_t n, alloc;
	unsigned int max;
	bool list;
};

/* Add the id NAME (LEN bytes) is, if it is one of hardctl's, to L. */
static int id_add(struct id_list *l, const char *name, size_t len)
{
	char copy[16];
	unsigned int id;

	if (len >= sizeof(copy))
		return 0;
	memcpy(copy, name, len);
	copy[len] = '\0';
	if (!parse_txn_id(&id, copy))
		return 0;
	if (id > l->max)
		l->max = id;
	if (!l->list)
		return 0;
	if (l->n == l->alloc) {
		size_t alloc = l->alloc ? 2 * l->alloc : 64;
		unsigned int *v = reallocarray(l->v, alloc, sizeof(*v));

		if (v == NULL)
			return hc_error_oom();
		l->v = v;
		l->alloc = alloc;
	}
	l->v[l->n++] = id;
	return 0;
}

/* The names of the loose refs under refs/hardctl/txn/, into L. */
static int loose_ids(struct id_list *l, const struct hc_store *store)
{
	char path[4200];
	struct dirent *de;
	DIR *dp;
	int error = 0;

	snprintf(path, sizeof(path), "%s/%s", store->path, TXN_REF_PREFIX);
	if ((dp = opendir(path)) == NULL) {
		if (errno == ENOENT)
			return 0;
		hc_error_set_os(path, "cannot list transactions");
		return HC_ERROR;
	}
	while (error == 0 && (de = readdir(dp)) != NULL)
		error = id_add(l, de->d_name, strlen(de->d_name));
	closedir(dp);
	return error;
}

/*
 * The names under refs/hardctl/txn/ of the store's packed-refs (which
 * git pack-refs or gc writes), into L: each line "<id> <name>".
 */
static int packed_ids(struct hc_buf *text, struct id_list *l,
		      const struct hc_store *store)
{
	static const char prefix[] = " " TXN_REF_PREFIX;
	char path[4200];
	int error, fd;

	snprintf(path, sizeof(path), "%s/packed-refs", store->path);
	if ((fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) < 0) {
		if (errno == ENOENT)
			return 0;
		hc_error_set_os(path, "cannot list transactions");
		return HC_ERROR;
	}
	error = hc_buf_read_fd(text, fd, SIZE_MAX - 1, path);
	close(fd);
	for (size_t at = 0; error == 0 && at < text->size;) {
		const char *line = text->ptr + at, *nl, *sp;
		size_t len;

		nl = memchr(line, '\n', text->size - at);
		len = nl ? (size_t)(nl - line) : text->size - at;
		at += len + 1;
		sp = memchr(line, ' ', len);
		if (sp && (size_t)(line + len - sp) > sizeof(prefix) - 1 &&
		    memcmp(sp, prefix, sizeof(prefix) - 1) == 0)
			error = id_add(l, sp + sizeof(prefix) - 1,
				       (size_t)(line + len - sp) -
					   (sizeof(prefix) - 1));
	}
	return error;
}

/*
 * Every transaction id the store's refs take, into L: their names only,
 * no ref read.  A new transaction needs them all (no id is given twice,
 * whatever refs the store holds), and a store keeps one per transaction.
 * A name whose file holds no ref still takes its id.
 */
static int txn_ids(struct id_list *l, struct hc_store *store)
{
	struct hc_buf packed = HC_BUF_INIT;
	int error;

	if ((error = loose_ids(l, store)) == 0)
		error = packed_ids(&packed, l, store);
	hc_buf_release(&packed);
	return error;
}

int hc_store_txn_max(unsigned int *out, struct hc_store *store)
{
	struct id_list l = {0};
	int error = txn_ids(&l, store);

	*out = error < 0 ? 0 : l.max;
	return error;
}

int hc_store_txn_ids(unsigned int **out, size_t *count, struct hc_store *store)
{
	struct id_list l = {.list = true};
	size_t n = 0;
	int error;

	*out = NULL;
	*count = 0;
	if ((error = txn_ids(&l, store)) < 0) {
		free(l.v);
		return error;
	}
	if (l.n > 1)
		qsort(l.v, l.n, sizeof(*l.v), cmp_desc);
	/* A ref both loose and packed is one. */
	for (size_t i = 0; i < l.n; i++)
		if (n == 0 || l.v[n - 1] != l.v[i])
			l.v[n++] = l.v[i];
	*out = l.v;
	*count = n;
	return 0;
}

int hc_store_txn_last(unsigned int *out, struct hc_store *store)
{
	git_commit *commit = NULL;
	unsigned int id = 0;
	char *trailer = NULL, ref[64];
	bool has_head;
	git_oid head, tip;
	int error;

	*out = 0;
	if ((error = hc_store_main_head(&head, &has_head, store)) < 0)
		return error;
	if (has_head && git_commit_lookup(&commit, store->repo, &head) == 0)
		trailer =
		    hc_store_trailer(git_commit_message(commit), "Transaction");
	if (trailer == NULL || !parse_txn_id(&id, trailer))
		id = 0;
	free(trailer);
	git_commit_free(commit);
	/* The transaction main's last commit names, if its ref agrees. */
	snprintf(ref, sizeof(ref), TXN_REF_PREFIX "%u", id);
	if (id && git_reference_name_to_id(&tip, store->repo, ref) == 0 &&
	    git_oid_equal(&tip, &head)) {
		*out = id;
		return 0;
	}
	return hc_store_txn_max(out, store);
}

int hc_store_txn_list(struct hc_txn_info **out, size_t *count,
		      struct hc_store *store)
{
	struct hc_txn_info *list = NULL;
	unsigned int *ids;
	size_t n;
	int error;

	*out = NULL;
	*count = 0;
	if ((error = hc_store_txn_ids(&ids, &n, store)) < 0)
		return error;
	if (n && (list = calloc(n, sizeof(*list))) == NULL)
		error = hc_error_oom();
	for (size_t i = 0; i < n && error == 0; i++)
		if ((error = hc_store_txn_get(&list[i], store, ids[i])) ==
		    HC_ENOTFOUND) {
			/* Listed, yet naming nothing: a symbolic ref. */
			hc_error_set("the store's ref %s%u names no commit: "
				     "the store is damaged",
				     TXN_REF_PREFIX, ids[i]);
			error = hc_error_set_code(HC_EINVALID);
		}
	free(ids);
	if (error < 0) {
		for (size_t i = 0; i < n && list; i++)
			hc_txn_info_release(&list[i]);
		free(list);
		return error;
	}
	*out = list;
	*count = n;
	return 0;
}

/* Whether two manifest entries (either may be NULL) describe one state. */
static bool entry_equal(const struct hc_manifest_entry *a,
			const struct hc_manifest_entry *b)
{
	bool ae = a && a->exists, be = b && b->exists;

	if (ae != be)
		return false;
	return !ae ||
	       (a->mode == b->mode && a->uid == b->uid && a->gid == b->gid &&
		memcmp(&a->sha, &b->sha, sizeof(a->sha)) == 0);
}

void hc_store_changes_release(struct hc_store_changes *c)
{
	if (c == NULL)
		return;
	for (size_t i = 0; i < c->n; i++) {
		free(c->v[i].path);
		free(c->v[i].lens);
		hc_buf_release(&c->v[i].before.data);
		hc_buf_release(&c->v[i].after.data);
	}
	free(c->v);
	c->v = NULL;
	c->n = 0;
}

/* Append PATH's change from BEFORE to AFTER, read with LENS, to OUT. */
static int changes_add(struct hc_store_changes *out, const char *path,
		       const struct hc_file_state *before,
		       const struct hc_file_state *after, const char *lens)
{
	struct hc_store_change *v, *c;
	int error;

	v = reallocarray(out->v, out->n + 1, sizeof(*v));
	if (v == NULL)
		return hc_error_oom();
	out->v = v;
	c = &v[out->n];
	memset(c, 0, sizeof(*c));
	out->n++;
	if ((c->path = strdup(path)) == NULL ||
	    (lens && (c->lens = strdup(lens)) == NULL))
		return hc_error_oom();
	if ((error = hc_file_state_copy(&c->before, before)) < 0)
		return error;
	return hc_file_state_copy(&c->after, after);
}

/* Append to OUT each file whose entry differs between FROM and TO. */
static int changes_between(struct hc_store_changes *out, struct hc_store *store,
			   const git_oid *from, const git_oid *to)
{
	struct hc_manifest base = {0}, tip = {0};
	struct hc_file_state before = {0}, after = {0};
	int error;

	if ((from && (error = hc_store_verify_commit(store, from)) < 0) ||
	    (error = hc_store_verify_commit(store, to)) < 0 ||
	    (error = hc_store_manifest_at_git(&base, store, from)) < 0 ||
	    (error = hc_store_manifest_at_git(&tip, store, to)) < 0)
		goto out;
	for (size_t i = 0; i < tip.n && error == 0; i++) {
		const struct hc_manifest_entry *a = &tip.v[i];
		const struct hc_manifest_entry *b =
		    hc_manifest_find(&base, a->path);
		struct hc_manifest_entry absent = {.path = a->path,
						   .exists = false};

		if (entry_equal(a, b))
			continue;
		if ((error = hc_store_file_at_git(&before, store, from,
						  b ? b : &absent)) < 0 ||
		    (error = hc_store_file_at_git(&after, store, to, a)) < 0)
			break;
		error = changes_add(out, a->path, &before, &after, a->lens);
	}
out:
	hc_buf_release(&before.data);
	hc_buf_release(&after.data);
	hc_manifest_release(&base);
	hc_manifest_release(&tip);
	return error;
}

/* What RULE's commit in transaction INFO changed, into OUT. */
static int rule_changes(struct hc_store_changes *out, struct hc_store *store,
			const struct hc_txn_info *info, const char *rule)
{
	git_commit *commit = NULL, *parent = NULL;
	git_oid tip;
	int error = 0;

	hc_oid_to_git(&tip, &info->tip);
	if (git_commit_lookup(&commit, store->repo, &tip) < 0)
		return hc_store_read_fail(store,
					  "cannot read a transaction's commit");
	/* A rule makes at most one commit in a transaction. */
	for (size_t i = 0; i < info->ncommits && error == 0; i++) {
		char *r = hc_store_trailer(git_commit_message(commit), "Rule");
		bool ours = r && strcmp(r, rule) == 0;

		free(r);
		if (git_commit_parent(&parent, commit, 0) < 0) {
			error = hc_store_read_fail(
			    store, "cannot read a transaction's commit");
			break;
		}
		if (ours) {
			error =
			    changes_between(out, store, git_commit_id(parent),
					    git_commit_id(commit));
			git_commit_free(parent);
			break;
		}
		git_commit_free(commit);
		commit = parent;
		parent = NULL;
	}
	git_commit_free(commit);
	return error;
}

int hc_store_txn_changes(struct hc_store_changes *out, struct hc_store *store,
			 const struct hc_txn_info *info, const char *rule)
{
	git_oid base, tip;
	int error;

	memset(out, 0, sizeof(*out));
	if (rule) {
		error = rule_changes(out, store, info, rule);
	} else {
		hc_oid_to_git(&base, &info->base);
		hc_oid_to_git(&tip, &info->tip);
		error = changes_between(out, store,
					info->has_base ? &base : NULL, &tip);
	}
	if (error < 0)
		hc_store_changes_release(out);
	return error;
}

int hc_store_manifest_at(struct hc_manifest *out, struct hc_store *store,
			 const struct hc_oid *commit)
{
	git_oid id;

	if (commit)
		hc_oid_to_git(&id, commit);
	return hc_store_manifest_at_git(out, store, commit ? &id : NULL);
}

int hc_store_file_at(struct hc_file_state *out, struct hc_store *store,
		     const struct hc_oid *commit,
		     const struct hc_manifest_entry *e)
{
	git_oid id;

	hc_oid_to_git(&id, commit);
	return hc_store_file_at_git(out, store, &id, e);
}

void hc_oid_hex(char out[41], const struct hc_oid *oid)
{
	git_oid id;

	hc_oid_to_git(&id, oid);
	git_oid_tostr(out, 41, &id);
}
