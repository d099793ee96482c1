/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The oldconf store (see hardctl/store.h).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "hardctl/confirm.h"
#include "hardctl/fault.h"
#include "hardctl/plan.h"
#include "hardctl/sign.h"
#include "hardctl/root.h"
#include "hardctl/module.h"
#include "hardctl/store.h"

#define MAIN_REF "refs/heads/main"
#define PENDING_REF "refs/hardctl/pending"
#define TXN_REF_PREFIX "refs/hardctl/txn/"
#define LOCK_NAME "hardctl.lock"
#define PENDING_NAME "hardctl-pending"
#define STATE_NAME "hardctl-state"
#define CONFIRM_NAME "hardctl-confirm"

struct hc_store {
	char *path;
	git_repository *repo;
	int lock_fd;
	struct hc_signer *signer; /* signs new commits, checks old ones; or NULL */
};

/* The commit header that holds hardctl's signature. */
#define SIG_FIELD "hardctl-sig"

struct hc_txn {
	struct hc_store *store;
	unsigned int id;
	struct hc_txn_meta meta;
	git_index *index;
	struct hc_manifest manifest;
	git_oid head;     /* the main branch when the transaction began */
	bool has_head;
	git_oid tip;      /* the last commit written */
	bool has_tip;
	bool pending;
	bool finished;
};

static int git_fail(const char *what)
{
	const git_error *e = git_error_last();

	hc_error_set("%s: %s", what, e && e->message ? e->message : "unknown libgit2 error");
	return HC_ERROR;
}

/*
 * A read of the store failed.  If an object is missing or corrupt, the
 * store is damaged: say so, and how to find out more, as HC_EUNSAFE.
 */
static int read_fail(const struct hc_store *store, const char *what)
{
	const git_error *e = git_error_last();
	bool damaged = e && (e->klass == GIT_ERROR_ODB || e->klass == GIT_ERROR_OBJECT ||
			     e->klass == GIT_ERROR_ZLIB);

	git_fail(what);
	if (!damaged)
		return HC_ERROR;
	hc_error_set("the oldconf store %s is damaged (%s: %s); nothing was changed: "
		     "'git --git-dir=%s fsck' shows what is wrong; restore the store "
		     "from a backup before hardctl changes anything again",
		     store->path, what, e->message ? e->message : "", store->path);
	return hc_error_set_code(HC_EUNSAFE);
}

const char *hc_store_path(const struct hc_store *store)
{
	return store->path;
}

static int mkdirs(const char *path)
{
	char *copy = hc_strdup(path);
	int error = 0;

	if (copy == NULL)
		return HC_ERROR;
	for (char *p = copy + 1; *p && error == 0; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(copy, 0755) < 0 && errno != EEXIST) {
			hc_error_set_os(copy, "cannot create directory");
			error = HC_ERROR;
		}
		*p = '/';
	}
	if (error == 0 && mkdir(copy, 0700) < 0 && errno != EEXIST) {
		hc_error_set_os(copy, "cannot create the store");
		error = HC_ERROR;
	}
	free(copy);
	return error;
}

/* The store holds copies of security files: only its owner may enter. */
static int check_dir(const char *path)
{
	struct stat st;

	if (lstat(path, &st) < 0) {
		int code = errno == ENOENT ? HC_ENOTFOUND : HC_ERROR;

		hc_error_set_os(path, "cannot open the oldconf store");
		return hc_error_set_code(code);
	}
	if (!S_ISDIR(st.st_mode)) {
		hc_error_set_at(path, 0, "the oldconf store is not a directory");
		return hc_error_set_code(HC_EUNSAFE);
	}
	if (st.st_uid != geteuid()) {
		hc_error_set_at(path, 0,
				"the oldconf store belongs to uid %u, not to you: refused",
				(unsigned int)st.st_uid);
		return hc_error_set_code(HC_EUNSAFE);
	}
	if (st.st_mode & 077) {
		hc_error_set_at(path, 0,
				"the oldconf store is open to group or others (mode %04o): "
				"refused; chmod 700 it after checking who read it",
				(unsigned int)(st.st_mode & 07777));
		return hc_error_set_code(HC_EUNSAFE);
	}
	return 0;
}

/* Sleep MS milliseconds (less if a signal comes). */
static void nap(unsigned int ms)
{
	struct timespec ts = { (time_t)(ms / 1000), (long)(ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

static int lock_store(struct hc_store *store, unsigned int wait_ms)
{
	char path[4096];
	unsigned int waited = 0;

	snprintf(path, sizeof(path), "%s/%s", store->path, LOCK_NAME);
	store->lock_fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (store->lock_fd < 0) {
		hc_error_set_os(path, "cannot open the lock");
		return HC_ERROR;
	}
	while (flock(store->lock_fd, LOCK_EX | LOCK_NB) < 0) {
		if (errno == EINTR)
			continue;
		if (errno != EWOULDBLOCK) {
			hc_error_set_os(path, "cannot take the lock");
			return HC_ERROR;
		}
		if (waited >= wait_ms) {
			if (wait_ms)
				hc_error_set_at(path, 0, "another hardctl is still changing this system "
						"after %u.%03u s of waiting; try again when it is done",
						wait_ms / 1000, wait_ms % 1000);
			else
				hc_error_set_at(path, 0, "another hardctl is changing this system; try "
						"again when it is done (--wait SECONDS waits for it)");
			return hc_error_set_code(HC_ELOCKED);
		}
		nap(50);
		waited += 50;
	}
	return 0;
}

/* Whether DIR holds nothing but hardctl's lock: a store may be made there. */
static bool empty_dir(const char *path)
{
	DIR *dp = opendir(path);
	struct dirent *de;
	bool empty = true;

	if (dp == NULL)
		return false;
	while ((de = readdir(dp)) != NULL && empty)
		empty = strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0 ||
			strcmp(de->d_name, LOCK_NAME) == 0;
	closedir(dp);
	return empty;
}

static int open_repo(struct hc_store *store, unsigned int flags)
{
	git_repository_init_options opts;
	int r;

	r = git_repository_open_ext(&store->repo, store->path,
				    GIT_REPOSITORY_OPEN_NO_SEARCH |
					    GIT_REPOSITORY_OPEN_BARE, NULL);
	if (r == 0) {
		if (!git_repository_is_bare(store->repo)) {
			hc_error_set_at(store->path, 0, "not an oldconf store (not a bare repository)");
			return hc_error_set_code(HC_EUNSAFE);
		}
		return 0;
	}
	if (r != GIT_ENOTFOUND)
		return git_fail(store->path);
	if (!empty_dir(store->path)) {
		hc_error_set_at(store->path, 0, "not an oldconf store, and not empty: refused");
		return hc_error_set_code(HC_EUNSAFE);
	}
	if (!(flags & HC_STORE_CREATE)) {
		hc_error_set_at(store->path, 0, "no oldconf store here: nothing was applied yet");
		return hc_error_set_code(HC_ENOTFOUND);
	}
	git_repository_init_options_init(&opts, GIT_REPOSITORY_INIT_OPTIONS_VERSION);
	opts.flags = GIT_REPOSITORY_INIT_BARE | GIT_REPOSITORY_INIT_NO_REINIT;
	opts.mode = GIT_REPOSITORY_INIT_SHARED_UMASK;
	opts.initial_head = "main";
	opts.description = "hardctl oldconf store: configuration files as they were and became";
	if (git_repository_init_ext(&store->repo, store->path, &opts) < 0)
		return git_fail("cannot create the oldconf store");
	return 0;
}

int hc_store_open(struct hc_store **out, const char *path, unsigned int flags)
{
	return hc_store_open_wait(out, path, flags, 0);
}

int hc_store_open_wait(struct hc_store **out, const char *path, unsigned int flags,
		       unsigned int wait_ms)
{
	struct hc_store *store;
	int error;

	*out = NULL;
	if ((store = calloc(1, sizeof(*store))) == NULL)
		return hc_error_oom();
	store->lock_fd = -1;
	if ((store->path = hc_strdup(path)) == NULL) {
		error = HC_ERROR;
		goto fail;
	}
	error = check_dir(path);
	if (error == HC_ENOTFOUND && (flags & HC_STORE_CREATE)) {
		hc_error_clear();
		if ((error = mkdirs(path)) == 0)
			error = check_dir(path);
	} else if (error == HC_ENOTFOUND) {
		hc_error_set_at(path, 0, "no oldconf store here: nothing was applied yet");
	}
	if (error < 0 ||
	    ((flags & HC_STORE_LOCK) && (error = lock_store(store, wait_ms)) < 0) ||
	    (error = open_repo(store, flags)) < 0)
		goto fail;
	*out = store;
	return 0;
fail:
	hc_store_free(store);
	return error;
}

void hc_store_free(struct hc_store *store)
{
	if (store == NULL)
		return;
	git_repository_free(store->repo);
	hc_signer_free(store->signer);
	if (store->lock_fd >= 0)
		close(store->lock_fd);
	free(store->path);
	free(store);
}

static int main_head(git_oid *out, bool *exists, struct hc_store *store);

int hc_store_use_key(struct hc_store *store, const char *path, bool create, bool *created)
{
	struct hc_signer *signer;
	git_oid head;
	bool has_head;
	int error;

	/* A new key for a store with history would disown all of it. */
	if ((error = main_head(&head, &has_head, store)) < 0)
		return error;
	error = hc_signer_load(&signer, path, create && !has_head, created);

	if (error == HC_ENOTFOUND) {
		hc_error_set_at(path, 0, "the store's signing key is missing: its history cannot "
				"be verified; refused (restore the key from where it was kept)");
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

/* Check COMMIT's signature with the store's key; anything else is tampering. */
static int verify_commit(struct hc_store *store, const git_oid *commit)
{
	git_buf sig = { 0 }, data = { 0 };
	git_oid id;
	int r, error = 0;

	if (store->signer == NULL)
		return 0;
	git_oid_cpy(&id, commit); /* libgit2 1.5 takes it mutable */
	r = git_commit_extract_signature(&sig, &data, store->repo, &id, SIG_FIELD);
	if (r == GIT_ENOTFOUND) {
		git_error_clear();
		hc_error_set("store commit %.12s is not signed", git_oid_tostr_s(commit));
		error = hc_error_set_code(HC_EUNSAFE);
	} else if (r < 0) {
		error = read_fail(store, "cannot read a store commit's signature");
	} else if ((error = hc_signer_verify(store->signer, data.ptr, data.size, sig.ptr)) < 0) {
		hc_error_prefix("store commit %.12s", git_oid_tostr_s(commit));
	}
	if (error == HC_EUNSAFE)
		hc_error_prefix("the oldconf store %s was altered outside hardctl; nothing was "
				"changed", store->path);
	git_buf_dispose(&sig);
	git_buf_dispose(&data);
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
static int verify_one(struct hc_verify_report *out, struct hc_store *store, const git_oid *id)
{
	struct hc_manifest m = { 0 };
	struct hc_file_state file = { 0 };
	int error = 0;

	out->commits++;
	if (verify_commit(store, id) < 0 && (error = note_problem(out)) < 0)
		return error;
	if (hc_store_manifest_at(&m, store, id) < 0)
		return note_problem(out);
	for (size_t i = 0; i < m.n && error == 0; i++) {
		if (!m.v[i].exists)
			continue;
		out->files++;
		if (hc_store_file_at(&file, store, id, &m.v[i]) < 0)
			error = note_problem(out);
	}
	hc_buf_release(&file.data);
	hc_manifest_release(&m);
	return error;
}

int hc_store_verify(struct hc_verify_report *out, struct hc_store *store)
{
	git_revwalk *walk = NULL;
	git_oid id;
	int r, error = 0;

	memset(out, 0, sizeof(*out));
	if (git_revwalk_new(&walk, store->repo) < 0 ||
	    git_revwalk_push_glob(walk, "refs/*") < 0) {
		git_revwalk_free(walk);
		return read_fail(store, "cannot walk the store's history");
	}
	while (error == 0 && (r = git_revwalk_next(&id, walk)) == 0)
		error = verify_one(out, store, &id);
	if (error == 0 && r != GIT_ITEROVER) {
		/* A commit the walk cannot read is a problem of the store, not of hardctl. */
		read_fail(store, "cannot walk the store's history");
		error = note_problem(out);
	}
	git_revwalk_free(walk);
	hc_error_clear();
	return error;
}

void hc_verify_report_release(struct hc_verify_report *report)
{
	hc_strlist_release(&report->problems);
}

/* The commit the main branch points at; *exists false when unborn. */
static int main_head(git_oid *out, bool *exists, struct hc_store *store)
{
	int r = git_reference_name_to_id(out, store->repo, MAIN_REF);

	*exists = r == 0;
	if (r == 0 || r == GIT_ENOTFOUND)
		return 0;
	return git_fail("cannot read the store's main branch");
}

static int blob_at(git_blob **out, struct hc_store *store, const git_oid *commit_id,
		   const char *path)
{
	git_commit *commit = NULL;
	git_tree *tree = NULL;
	git_tree_entry *entry = NULL;
	int error = 0, r;

	*out = NULL;
	if (git_commit_lookup(&commit, store->repo, commit_id) < 0 ||
	    git_commit_tree(&tree, commit) < 0) {
		error = read_fail(store, "cannot read a store commit");
		goto out;
	}
	if ((r = git_tree_entry_bypath(&entry, tree, path)) == GIT_ENOTFOUND) {
		hc_error_set("store commit %.12s has no %s", git_oid_tostr_s(commit_id), path);
		error = hc_error_set_code(HC_ENOTFOUND);
		goto out;
	}
	if (r < 0 || git_blob_lookup(out, store->repo, git_tree_entry_id(entry)) < 0)
		error = read_fail(store, "cannot read a stored file");
out:
	git_tree_entry_free(entry);
	git_tree_free(tree);
	git_commit_free(commit);
	return error;
}

int hc_store_manifest_at(struct hc_manifest *out, struct hc_store *store,
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
	snprintf(name, sizeof(name), "manifest at %.12s", git_oid_tostr_s(commit));
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
	if ((error = main_head(&head, &exists, store)) < 0)
		return error;
	return hc_store_manifest_at(out, store, exists ? &head : NULL);
}

static int tree_path(struct hc_buf *out, const char *path)
{
	hc_buf_clear(out);
	return hc_buf_printf(out, "files%s", path);
}

int hc_store_file_at(struct hc_file_state *out, struct hc_store *store,
		     const git_oid *commit, const struct hc_manifest_entry *e)
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
	if ((error = tree_path(&path, e->path)) < 0 ||
	    (error = blob_at(&blob, store, commit, path.ptr)) < 0 ||
	    (error = hc_buf_set(&out->data, git_blob_rawcontent(blob),
				(size_t)git_blob_rawsize(blob))) < 0 ||
	    (error = hc_sha256(&sha, hc_buf_cstr(&out->data), out->data.size)) < 0)
		goto out;
	if (memcmp(&sha, &e->sha, sizeof(sha)) != 0) {
		hc_error_set("the store's copy of %s at %.12s does not match its manifest: the "
			     "oldconf store %s was altered outside hardctl; nothing was changed: "
			     "restore the store from a backup before hardctl changes anything again",
			     e->path, git_oid_tostr_s(commit), store->path);
		error = hc_error_set_code(HC_EUNSAFE);
	}
out:
	if (error == HC_ENOTFOUND)
		error = hc_error_set_code(HC_EUNSAFE);
	git_blob_free(blob);
	hc_buf_release(&path);
	return error;
}

/* Trailer KEY of MESSAGE, copied; NULL if absent. */
static char *trailer(const char *message, const char *key)
{
	git_message_trailer_array arr = { 0 };
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
	free(info->undoes);
	free(info->undoes_rule);
	hc_strlist_release(&info->rules);
	memset(info, 0, sizeof(*info));
}

/* Fill INFO by walking back from its tip while commits belong to it. */
static int walk_txn(struct hc_txn_info *info, struct hc_store *store)
{
	git_commit *commit = NULL, *parent;
	char id[16];
	int error = 0;

	snprintf(id, sizeof(id), "%u", info->id);
	if (git_commit_lookup(&commit, store->repo, &info->tip) < 0)
		return read_fail(store, "cannot read a transaction's commit");
	info->time = git_commit_time(commit);
	info->command = trailer(git_commit_message(commit), "Command");
	info->profile = trailer(git_commit_message(commit), "Profile");
	info->profile_sha = trailer(git_commit_message(commit), "Profile-SHA256");
	info->accepted = trailer(git_commit_message(commit), "Accepted-No-Local-Admin");
	info->user = trailer(git_commit_message(commit), "User");
	info->undoes = trailer(git_commit_message(commit), "Undoes");
	info->undoes_rule = trailer(git_commit_message(commit), "Undoes-Rule");
	for (;;) {
		char *txn = trailer(git_commit_message(commit), "Transaction");
		bool ours = txn && strcmp(txn, id) == 0;
		char *rule;

		free(txn);
		if (!ours) {
			git_oid_cpy(&info->base, git_commit_id(commit));
			info->has_base = true;
			break;
		}
		info->ncommits++;
		if ((rule = trailer(git_commit_message(commit), "Rule")) != NULL) {
			/* Walking backwards: put each rule first. */
			if ((error = hc_strlist_push_owned(&info->rules, rule)) < 0)
				break;
			memmove(&info->rules.v[1], &info->rules.v[0],
				(info->rules.n - 1) * sizeof(char *));
			info->rules.v[0] = rule;
		}
		if (git_commit_parentcount(commit) == 0)
			break;
		if (git_commit_parent(&parent, commit, 0) < 0) {
			error = read_fail(store, "cannot read a transaction's commit");
			break;
		}
		git_commit_free(commit);
		commit = parent;
	}
	git_commit_free(commit);
	if (error == 0 && info->command == NULL) {
		hc_error_set("transaction %u's commit has no Command trailer: "
			     "the store was altered", info->id);
		error = hc_error_set_code(HC_EUNSAFE);
	}
	return error;
}

int hc_store_txn_get(struct hc_txn_info *out, struct hc_store *store,
		     unsigned int id)
{
	char ref[64];
	int r, error;

	memset(out, 0, sizeof(*out));
	out->id = id;
	snprintf(ref, sizeof(ref), TXN_REF_PREFIX "%u", id);
	r = git_reference_name_to_id(&out->tip, store->repo, ref);
	if (r == GIT_ENOTFOUND) {
		hc_error_set("no transaction %u (hardctl log lists them)", id);
		return hc_error_set_code(HC_ENOTFOUND);
	}
	if (r < 0)
		return read_fail(store, "cannot read a transaction");
	if ((error = walk_txn(out, store)) < 0)
		hc_txn_info_release(out);
	return error;
}

/* The ids of every transaction, in OUT (unsorted). */
static int txn_ids(unsigned int **out, size_t *count, struct hc_store *store)
{
	git_reference_iterator *it = NULL;
	const char *name;
	unsigned int *ids = NULL;
	size_t n = 0;
	int r, error = 0;

	*out = NULL;
	*count = 0;
	if (git_reference_iterator_glob_new(&it, store->repo, TXN_REF_PREFIX "*") < 0)
		return git_fail("cannot list transactions");
	while ((r = git_reference_next_name(&name, it)) == 0) {
		const char *num = name + strlen(TXN_REF_PREFIX);
		char *end;
		unsigned long id = strtoul(num, &end, 10);
		unsigned int *v;

		if (*end != '\0' || end == num || id == 0 || id > 0xffffffffUL)
			continue;
		if ((v = reallocarray(ids, n + 1, sizeof(*ids))) == NULL) {
			error = hc_error_oom();
			break;
		}
		ids = v;
		ids[n++] = (unsigned int)id;
	}
	if (error == 0 && r != GIT_ITEROVER)
		error = git_fail("cannot list transactions");
	git_reference_iterator_free(it);
	if (error < 0) {
		free(ids);
		return error;
	}
	*out = ids;
	*count = n;
	return 0;
}

static int cmp_desc(const void *a, const void *b)
{
	unsigned int x = *(const unsigned int *)a, y = *(const unsigned int *)b;

	return (x < y) - (x > y);
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
	if ((error = txn_ids(&ids, &n, store)) < 0)
		return error;
	if (n > 1)
		qsort(ids, n, sizeof(*ids), cmp_desc);
	if (n && (list = calloc(n, sizeof(*list))) == NULL)
		error = hc_error_oom();
	for (size_t i = 0; i < n && error == 0; i++)
		error = hc_store_txn_get(&list[i], store, ids[i]);
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
static bool entry_equal(const struct hc_manifest_entry *a, const struct hc_manifest_entry *b)
{
	bool ae = a && a->exists, be = b && b->exists;

	if (ae != be)
		return false;
	return !ae || (a->mode == b->mode && a->uid == b->uid && a->gid == b->gid &&
		       memcmp(&a->sha, &b->sha, sizeof(a->sha)) == 0);
}

/* Append to OUT each file whose entry differs between FROM and TO. */
static int plan_between(struct hc_plan *out, struct hc_store *store,
			const git_oid *from, const git_oid *to)
{
	struct hc_manifest base = { 0 }, tip = { 0 };
	struct hc_file_state before = { 0 }, after = { 0 };
	int error;

	if ((from && (error = verify_commit(store, from)) < 0) ||
	    (error = verify_commit(store, to)) < 0 ||
	    (error = hc_store_manifest_at(&base, store, from)) < 0 ||
	    (error = hc_store_manifest_at(&tip, store, to)) < 0)
		goto out;
	for (size_t i = 0; i < tip.n && error == 0; i++) {
		const struct hc_manifest_entry *a = &tip.v[i];
		const struct hc_manifest_entry *b = hc_manifest_find(&base, a->path);
		struct hc_manifest_entry absent = { .path = a->path, .exists = false };

		if (entry_equal(a, b))
			continue;
		if ((error = hc_store_file_at(&before, store, from, b ? b : &absent)) < 0 ||
		    (error = hc_store_file_at(&after, store, to, a)) < 0)
			break;
		if ((error = hc_plan_add(out, NULL, a->path, &before, &after)) == 0)
			error = hc_plan_set_lens(out, a->path, a->lens);
	}
out:
	hc_buf_release(&before.data);
	hc_buf_release(&after.data);
	hc_manifest_release(&base);
	hc_manifest_release(&tip);
	return error;
}

int hc_store_txn_rule_plan(struct hc_plan *out, struct hc_store *store,
			   const struct hc_txn_info *info, const char *rule)
{
	git_commit *commit = NULL, *parent = NULL;
	int error = 0;

	if (git_commit_lookup(&commit, store->repo, &info->tip) < 0)
		return read_fail(store, "cannot read a transaction's commit");
	/* A rule makes at most one commit in a transaction. */
	for (size_t i = 0; i < info->ncommits && error == 0; i++) {
		char *r = trailer(git_commit_message(commit), "Rule");
		bool ours = r && strcmp(r, rule) == 0;

		free(r);
		if (git_commit_parent(&parent, commit, 0) < 0) {
			error = read_fail(store, "cannot read a transaction's commit");
			break;
		}
		if (ours) {
			error = plan_between(out, store, git_commit_id(parent), git_commit_id(commit));
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

int hc_store_txn_plan(struct hc_plan *out, struct hc_store *store,
		      const struct hc_txn_info *info)
{
	return plan_between(out, store, info->has_base ? &info->base : NULL, &info->tip);
}

int hc_txn_begin(struct hc_txn **out, struct hc_store *store,
		 const struct hc_txn_meta *meta)
{
	struct hc_txn *txn;
	git_commit *commit = NULL;
	git_tree *tree = NULL;
	unsigned int *ids = NULL;
	size_t n = 0;
	int error;

	*out = NULL;
	if ((txn = calloc(1, sizeof(*txn))) == NULL)
		return hc_error_oom();
	txn->store = store;
	txn->meta = *meta;
	if ((error = txn_ids(&ids, &n, store)) < 0)
		goto fail;
	for (size_t i = 0; i < n; i++)
		txn->id = ids[i] > txn->id ? ids[i] : txn->id;
	txn->id++;
	free(ids);
	if ((error = main_head(&txn->head, &txn->has_head, store)) < 0)
		goto fail;
	if (git_index_new(&txn->index) < 0) {
		error = git_fail("cannot start a transaction");
		goto fail;
	}
	if (txn->has_head) {
		git_oid_cpy(&txn->tip, &txn->head);
		txn->has_tip = true;
		if (git_commit_lookup(&commit, store->repo, &txn->head) < 0 ||
		    git_commit_tree(&tree, commit) < 0 ||
		    git_index_read_tree(txn->index, tree) < 0) {
			error = read_fail(store, "cannot read the store's last commit");
			goto fail;
		}
		if ((error = hc_store_manifest_at(&txn->manifest, store, &txn->head)) < 0)
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
static int index_add(struct hc_txn *txn, const char *path, const char *data, size_t len,
		     bool link)
{
	git_index_entry entry;

	memset(&entry, 0, sizeof(entry));
	entry.mode = link ? GIT_FILEMODE_LINK : GIT_FILEMODE_BLOB;
	entry.path = path;
	if (git_blob_create_from_buffer(&entry.id, txn->store->repo, data, len) < 0 ||
	    git_index_add(txn->index, &entry) < 0)
		return git_fail("cannot store a file");
	return 0;
}

static int stage(struct hc_txn *txn, const char *path, const struct hc_file_state *state)
{
	struct hc_buf tpath = HC_BUF_INIT;
	int error;

	if ((error = hc_manifest_set(&txn->manifest, path, state)) < 0 ||
	    (error = tree_path(&tpath, path)) < 0)
		goto out;
	if (state->exists) {
		error = index_add(txn, tpath.ptr, hc_buf_cstr(&state->data), state->data.size,
				  state->link);
	} else if (git_index_remove_bypath(txn->index, tpath.ptr) < 0) {
		error = git_fail("cannot store a file's removal");
	}
out:
	hc_buf_release(&tpath);
	return error;
}

static int user_name(struct hc_buf *out)
{
	struct passwd *pw = getpwuid(geteuid());

	return hc_buf_printf(out, "%s (uid %u)", pw ? pw->pw_name : "?",
			     (unsigned int)geteuid());
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
	git_buf content = { 0 };
	struct hc_buf signature = HC_BUF_INIT;
	int error;

	*made = false;
	if ((error = hc_manifest_format(&manifest, &txn->manifest)) < 0 ||
	    (error = index_add(txn, "manifest", manifest.ptr, manifest.size, false)) < 0)
		goto out;
	if (git_index_write_tree_to(&tree_id, txn->index, repo) < 0) {
		error = git_fail("cannot write a store tree");
		goto out;
	}
	if (txn->has_tip) {
		if (git_commit_lookup(&parent, repo, &txn->tip) < 0) {
			error = read_fail(txn->store, "cannot read the store's last commit");
			goto out;
		}
		if (git_oid_equal(git_commit_tree_id(parent), &tree_id))
			goto out;
	}
	if (hc_fault("store.commit", ENOSPC)) {
		hc_error_set_os(txn->store->path, "cannot write a store commit");
		error = HC_ERROR;
		goto out;
	}
	if (git_tree_lookup(&tree, repo, &tree_id) < 0 ||
	    git_signature_now(&sig, pw ? pw->pw_name : "hardctl", "hardctl@localhost") < 0 ||
	    git_commit_create_buffer(&content, repo, sig, sig, NULL, message, tree,
				     parent ? 1 : 0, (const git_commit **)&parent) < 0) {
		error = git_fail("cannot write a store commit");
		goto out;
	}
	if (txn->store->signer &&
	    (error = hc_signer_sign(&signature, txn->store->signer, content.ptr, content.size)) < 0)
		goto out;
	if (git_commit_create_with_signature(&commit_id, repo, content.ptr,
					     txn->store->signer ? signature.ptr : NULL,
					     SIG_FIELD) < 0) {
		error = git_fail("cannot write a store commit");
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
		error = hc_buf_printf(msg, "Profile-SHA256: %s\n", txn->meta.profile_sha);
	if (error == 0 && txn->meta.undoes)
		error = hc_buf_printf(msg, "Undoes: %s\n", txn->meta.undoes);
	if (error == 0 && txn->meta.undoes_rule)
		error = hc_buf_printf(msg, "Undoes-Rule: %s\n", txn->meta.undoes_rule);
	if (error == 0 && txn->meta.accepted)
		error = hc_buf_printf(msg, "Accepted-No-Local-Admin: %s\n", txn->meta.accepted);
	if (error == 0 && (error = hc_buf_puts(msg, "User: ")) == 0 &&
	    (error = user_name(msg)) == 0)
		error = hc_buf_puts(msg, "\n");
	return error;
}

int hc_txn_record(struct hc_txn *txn, const struct hc_plan *plan)
{
	struct hc_buf msg = HC_BUF_INIT;
	bool made;
	int error = 0;

	for (size_t i = 0; i < plan->nfiles && error == 0; i++)
		error = stage(txn, plan->files[i].path, &plan->files[i].before);
	if (error == 0)
		error = hc_buf_printf(&msg, "record the state of %zu file%s before transaction %u\n\n",
				      plan->nfiles, plan->nfiles == 1 ? "" : "s", txn->id);
	if (error == 0 && (error = trailers(&msg, txn, "Recorded-For")) == 0)
		error = commit_staged(txn, msg.ptr, &made);
	hc_buf_release(&msg);
	return error;
}

int hc_txn_commit_plan(struct hc_txn *txn, const struct hc_plan *plan,
		       const char *subject)
{
	struct hc_buf msg = HC_BUF_INIT;
	int error = 0;

	/* What a rollback undoes is no longer any rule's doing. */
	if (txn->meta.undoes)
		hc_manifest_disown(&txn->manifest, (unsigned int)strtoul(txn->meta.undoes, NULL, 10),
				   txn->meta.undoes_rule);
	for (size_t i = 0; i < plan->nsteps && error == 0;) {
		const struct hc_rule *rule = plan->steps[i].rule;
		bool made;

		/* Consecutive steps of one rule make one commit. */
		for (; i < plan->nsteps && plan->steps[i].rule == rule && error == 0; i++) {
			const char *path = plan->files[plan->steps[i].file].path;

			error = stage(txn, path, &plan->steps[i].after);
			if (error == 0 && rule)
				error = hc_manifest_own(&txn->manifest, path, rule->id, txn->id);
			if (error == 0 && rule && plan->files[plan->steps[i].file].lens)
				error = hc_manifest_set_lens(&txn->manifest, path,
							     plan->files[plan->steps[i].file].lens);
			else if (error == 0 && txn->meta.restores)
				error = hc_manifest_set_rules(&txn->manifest, path,
							      hc_manifest_find(txn->meta.restores,
									       path));
		}
		if (error < 0)
			break;
		hc_buf_clear(&msg);
		if (rule)
			error = hc_buf_printf(&msg, "%s: %s\n\n", rule->id, rule->title);
		else
			error = hc_buf_printf(&msg, "%s\n\n", subject);
		if (error == 0 && (error = trailers(&msg, txn, "Transaction")) == 0 && rule)
			error = hc_buf_printf(&msg, "Rule: %s\n", rule->id);
		if (error == 0)
			error = commit_staged(txn, msg.ptr, &made);
	}
	hc_buf_release(&msg);
	return error;
}

/* Write NAME in the store directory atomically and durably. */
static int write_store_file(struct hc_store *store, const char *name,
			    const struct hc_buf *data)
{
	char path[4096], tmp[4200];
	int fd, dfd, error = 0;

	snprintf(path, sizeof(path), "%s/%s", store->path, name);
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0) {
		hc_error_set_os(tmp, "cannot write");
		return HC_ERROR;
	}
	if (hc_fault("store.file.write", ENOSPC) ||
	    write(fd, hc_buf_cstr(data), data->size) != (ssize_t)data->size ||
	    fsync(fd) < 0) {
		hc_error_set_os(tmp, "cannot write");
		error = HC_ERROR;
	}
	close(fd);
	if (error == 0 && (hc_fault("store.file.rename", EIO) || rename(tmp, path) < 0)) {
		hc_error_set_os(path, "cannot write");
		error = HC_ERROR;
	}
	if (error < 0) {
		unlink(tmp);
		return error;
	}
	if ((dfd = open(store->path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) >= 0) {
		if (fsync(dfd) < 0) {
			hc_error_set_os(store->path, "cannot fsync");
			error = HC_ERROR;
		}
		close(dfd);
	}
	return error;
}

static int remove_store_file(struct hc_store *store, const char *name)
{
	char path[4096];

	snprintf(path, sizeof(path), "%s/%s", store->path, name);
	if (unlink(path) < 0 && errno != ENOENT) {
		hc_error_set_os(path, "cannot remove");
		return HC_ERROR;
	}
	return 0;
}

int hc_txn_mark_pending(struct hc_txn *txn)
{
	git_reference *ref = NULL;
	char log[64];

	snprintf(log, sizeof(log), "hardctl: transaction %u pending", txn->id);
	if (!txn->has_tip)
		return 0;
	struct hc_buf marker = HC_BUF_INIT;
	int error;

	if (hc_fault("store.pending", EIO)) {
		hc_error_set_os(txn->store->path, "cannot mark the transaction pending");
		return HC_ERROR;
	}
	if (git_reference_create(&ref, txn->store->repo, PENDING_REF, &txn->tip, 1, log) < 0)
		return git_fail("cannot mark the transaction pending");
	git_reference_free(ref);
	txn->pending = true;
	/* The ref says what is pending; the marker lets readers see it cheaply. */
	if ((error = hc_buf_printf(&marker, "transaction %u\n", txn->id)) == 0)
		error = write_store_file(txn->store, PENDING_NAME, &marker);
	hc_buf_release(&marker);
	return error;
}

static void drop_pending(struct hc_txn *txn)
{
	/* Left pending, the transaction is finished by the next command. */
	if (!txn->pending || hc_fault("store.unpending", EIO))
		return;
	git_reference_remove(txn->store->repo, PENDING_REF);
	remove_store_file(txn->store, PENDING_NAME);
	txn->pending = false;
}

/*
 * Bring the state file up to date with M, the main branch's manifest.
 * It is a cache of history: if it cannot be written it is removed, and
 * readers fall back to the repository.
 */
static void write_state(struct hc_store *store, const struct hc_manifest *m)
{
	struct hc_buf state = HC_BUF_INIT;

	if (hc_manifest_format(&state, m) < 0 || write_store_file(store, STATE_NAME, &state) < 0)
		remove_store_file(store, STATE_NAME);
	hc_buf_release(&state);
	hc_error_clear();
}

int hc_txn_finish(struct hc_txn *txn)
{
	git_repository *repo = txn->store->repo;
	git_reference *ref = NULL;
	char name[64], log[64];

	snprintf(name, sizeof(name), TXN_REF_PREFIX "%u", txn->id);
	snprintf(log, sizeof(log), "hardctl: transaction %u", txn->id);
	if (hc_fault("store.txn-ref", EIO)) {
		hc_error_set_os(txn->store->path, "cannot record the transaction");
		return HC_ERROR;
	}
	if (git_reference_create(&ref, repo, name, &txn->tip, 0, log) < 0) {
		git_fail("cannot record the transaction");
		return hc_error_set_code(HC_ECONFLICT);
	}
	git_reference_free(ref);
	/* The main branch moves last: until it does, history is unchanged. */
	if (hc_fault("store.main", EIO)) {
		hc_error_set_os(txn->store->path, "cannot move the store's main branch");
		git_reference_remove(repo, name);
		return HC_ERROR;
	}
	if (git_reference_create_matching(&ref, repo, MAIN_REF, &txn->tip, 1,
					  txn->has_head ? &txn->head : NULL, log) < 0) {
		git_fail("cannot move the store's main branch");
		git_reference_remove(repo, name);
		return hc_error_set_code(HC_ECONFLICT);
	}
	git_reference_free(ref);
	txn->finished = true;
	write_state(txn->store, &txn->manifest);
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

int hc_store_pending_id(unsigned int *id, const char *path)
{
	char marker[4096], line[64] = "";
	FILE *fp;

	*id = 0;
	snprintf(marker, sizeof(marker), "%s/%s", path, PENDING_NAME);
	if ((fp = fopen(marker, "re")) == NULL) {
		if (errno == ENOENT)
			return 0;
		hc_error_set_os(marker, "cannot read");
		return hc_error_set_code(errno == EACCES ? HC_EUNSAFE : HC_ERROR);
	}
	if (fgets(line, sizeof(line), fp) == NULL || sscanf(line, "transaction %u", id) != 1 ||
	    *id == 0) {
		/* A marker cut short by the crash itself: the ref still says. */
		*id = (unsigned int)-1;
	}
	fclose(fp);
	return 0;
}

int hc_store_pending(struct hc_txn_info *out, bool *found, bool *completed,
		     struct hc_store *store)
{
	git_commit *commit = NULL;
	git_oid head;
	bool has_head = false;
	char *id = NULL;
	int r, error = 0;

	memset(out, 0, sizeof(*out));
	*found = false;
	*completed = false;
	r = git_reference_name_to_id(&out->tip, store->repo, PENDING_REF);
	if (r == GIT_ENOTFOUND)
		return 0;
	if (r < 0 || git_commit_lookup(&commit, store->repo, &out->tip) < 0)
		return read_fail(store, "cannot read the pending transaction");
	id = trailer(git_commit_message(commit), "Transaction");
	git_commit_free(commit);
	if (id == NULL || (out->id = (unsigned int)strtoul(id, NULL, 10)) == 0) {
		hc_error_set("the pending transaction's commit has no Transaction trailer: "
			     "the store was altered");
		error = hc_error_set_code(HC_EUNSAFE);
	} else if ((error = walk_txn(out, store)) < 0 ||
		   (error = main_head(&head, &has_head, store)) < 0) {
		hc_txn_info_release(out);
	} else {
		*found = true;
		*completed = has_head && git_oid_equal(&head, &out->tip);
	}
	free(id);
	return error;
}

/* Drop the pending ref and marker once nothing pending is left on disk. */
static int clear_pending(struct hc_store *store)
{
	int r = git_reference_remove(store->repo, PENDING_REF);

	if (r < 0 && r != GIT_ENOTFOUND)
		return git_fail("cannot clear the pending transaction");
	return remove_store_file(store, PENDING_NAME);
}

int hc_store_pending_settle(struct hc_store *store, const struct hc_txn_info *info,
			    bool completed)
{
	struct hc_manifest m = { 0 };
	char name[64];
	int r, error = 0;

	if (completed) {
		/* The crash came after the main branch moved: finish the bookkeeping. */
		if ((error = hc_store_main_manifest(&m, store)) == 0)
			write_state(store, &m);
		hc_manifest_release(&m);
	} else if (info->id) {
		/* Its ref, if the crash came after it was made: it never happened. */
		snprintf(name, sizeof(name), TXN_REF_PREFIX "%u", info->id);
		r = git_reference_remove(store->repo, name);
		if (r < 0 && r != GIT_ENOTFOUND)
			error = git_fail("cannot drop the interrupted transaction");
	}
	return error < 0 ? error : clear_pending(store);
}

int hc_store_confirm_arm(struct hc_store *store, const struct hc_confirm *c)
{
	struct hc_buf marker = HC_BUF_INIT;
	int error = hc_confirm_format(&marker, c);

	if (error == 0)
		error = write_store_file(store, CONFIRM_NAME, &marker);
	hc_buf_release(&marker);
	return error;
}

int hc_store_confirm_read(struct hc_confirm *out, const char *path)
{
	struct hc_buf text = HC_BUF_INIT;
	char file[4096];
	int fd, error;

	memset(out, 0, sizeof(*out));
	snprintf(file, sizeof(file), "%s/%s", path, CONFIRM_NAME);
	if ((fd = open(file, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) < 0) {
		int err = errno;

		if (err == ENOENT)
			return 0;
		hc_error_set_os(file, "cannot read");
		return hc_error_set_code(err == EACCES ? HC_EUNSAFE : HC_ERROR);
	}
	error = hc_buf_read_fd(&text, fd, 4096, file);
	close(fd);
	if (error == 0)
		error = hc_confirm_parse(out, hc_buf_cstr(&text), file);
	else
		error = hc_error_set_code(HC_EUNSAFE);
	hc_buf_release(&text);
	return error;
}

int hc_store_confirm_clear(struct hc_store *store)
{
	return remove_store_file(store, CONFIRM_NAME);
}

int hc_store_state_read(struct hc_manifest *out, const char *path)
{
	struct hc_buf data = HC_BUF_INIT;
	char file[4096];
	int fd, error;

	memset(out, 0, sizeof(*out));
	snprintf(file, sizeof(file), "%s/%s", path, STATE_NAME);
	if ((fd = open(file, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) < 0) {
		int code = errno == ENOENT ? HC_ENOTFOUND : HC_ERROR;

		hc_error_set_os(file, "cannot read");
		return hc_error_set_code(code);
	}
	error = hc_buf_read_fd(&data, fd, 64u << 20, file);
	close(fd);
	if (error == 0)
		error = hc_manifest_parse(out, hc_buf_cstr(&data), data.size, file);
	hc_buf_release(&data);
	return error;
}
