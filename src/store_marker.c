/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The plain files beside the repository: the pending marker (and the
 * pending transaction a crash left), the confirmation marker, and the
 * state file (see hardctl/store.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/random.h>
#include <unistd.h>
#include "hardctl/confirm.h"
#include "hardctl/fault.h"
#include "hardctl/root.h"
#include "hardctl/trace.h"
#include "store_int.h"

int hc_store_file_write(struct hc_store *store, const char *name,
			const struct hc_buf *data)
{
	char path[4096], tmp[4200];
	int fd, dfd, error = 0;

	snprintf(path, sizeof(path), "%s/%s", store->path, name);
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC,
		  0600);
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
	if (error == 0 &&
	    (hc_fault("store.file.rename", EIO) || rename(tmp, path) < 0)) {
		hc_error_set_os(path, "cannot write");
		error = HC_ERROR;
	}
	if (error < 0) {
		unlink(tmp);
		return error;
	}
	if ((dfd = open(store->path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) >=
	    0) {
		if (fsync(dfd) < 0) {
			hc_error_set_os(store->path, "cannot fsync");
			error = HC_ERROR;
		}
		close(dfd);
	}
	return error;
}

int hc_store_file_remove(struct hc_store *store, const char *name)
{
	char path[4096];

	snprintf(path, sizeof(path), "%s/%s", store->path, name);
	if (unlink(path) < 0 && errno != ENOENT) {
		hc_error_set_os(path, "cannot remove");
		return HC_ERROR;
	}
	return 0;
}

/*
 * Bring the state file up to date with M, the main branch's manifest.
 * It is a cache of history: if it cannot be written it is removed, and
 * readers fall back to the repository.
 */
void hc_store_state_write(struct hc_store *store, const struct hc_manifest *m)
{
	struct hc_buf state = HC_BUF_INIT;

	if (hc_manifest_format(&state, m) < 0 ||
	    hc_store_file_write(store, STATE_NAME, &state) < 0)
		hc_store_file_remove(store, STATE_NAME);
	hc_buf_release(&state);
	hc_error_clear();
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
		return hc_error_set_code(errno == EACCES ? HC_EUNSAFE
							 : HC_ERROR);
	}
	if (fgets(line, sizeof(line), fp) == NULL ||
	    sscanf(line, "transaction %u", id) != 1 || *id == 0) {
		/* A marker cut short by the crash itself: the ref still says.
		 */
		*id = (unsigned int)-1;
	}
	fclose(fp);
	return 0;
}

int hc_store_pending(struct hc_txn_info *out, bool *found, bool *completed,
		     struct hc_store *store)
{
	git_commit *commit = NULL;
	git_oid tip, head;
	bool has_head;
	char *id = NULL;
	int r, error = 0;

	memset(out, 0, sizeof(*out));
	*found = false;
	*completed = false;
	r = git_reference_name_to_id(&tip, store->repo, PENDING_REF);
	if (r == GIT_ENOTFOUND) {
		/* A marker without a ref: the crash came after the ref went. */
		git_error_clear();
		return hc_store_file_remove(store, PENDING_NAME);
	}
	if (r < 0 || git_commit_lookup(&commit, store->repo, &tip) < 0)
		return hc_store_read_fail(
		    store, "cannot read the pending transaction");
	hc_oid_from_git(&out->tip, &tip);
	id = hc_store_trailer(git_commit_message(commit), "Transaction");
	git_commit_free(commit);
	if (id == NULL ||
	    (out->id = (unsigned int)strtoul(id, NULL, 10)) == 0) {
		hc_error_set("the pending transaction's commit has no "
			     "Transaction trailer: "
			     "the store was altered");
		error = hc_error_set_code(HC_EUNSAFE);
	} else if ((error = hc_store_walk_txn(out, store)) < 0 ||
		   (error = hc_store_main_head(&head, &has_head, store)) < 0) {
		hc_txn_info_release(out);
	} else {
		*found = true;
		*completed = has_head && git_oid_equal(&head, &tip);
	}
	free(id);
	return error;
}

/* Drop the pending ref and marker once nothing pending is left on disk. */
static int clear_pending(struct hc_store *store)
{
	int r = git_reference_remove(store->repo, PENDING_REF);

	if (r < 0 && r != GIT_ENOTFOUND)
		return hc_store_git_fail(
		    "cannot clear the pending transaction");
	git_error_clear();
	return hc_store_file_remove(store, PENDING_NAME);
}

int hc_store_pending_settle(struct hc_store *store,
			    const struct hc_txn_info *info, bool completed)
{
	struct hc_manifest m = {0};
	char name[64];
	int r, error = 0;

	if (completed) {
		/* The crash came after the main branch moved: finish the
		 * bookkeeping. */
		if ((error = hc_store_main_manifest(&m, store)) == 0)
			hc_store_state_write(store, &m);
		hc_manifest_release(&m);
	} else {
		/* Its ref, if the crash came after it was made: it never
		 * happened. */
		snprintf(name, sizeof(name), TXN_REF_PREFIX "%u", info->id);
		r = git_reference_remove(store->repo, name);
		if (r < 0 && r != GIT_ENOTFOUND)
			error = hc_store_git_fail(
			    "cannot drop the interrupted transaction");
	}
	if (error == 0)
		error = clear_pending(store);
	return error;
}

int hc_store_confirm_arm(struct hc_store *store, const struct hc_confirm *c)
{
	struct hc_buf marker = HC_BUF_INIT;
	int error = hc_confirm_format(&marker, c);

	if (error == 0)
		error = hc_store_file_write(store, CONFIRM_NAME, &marker);
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
	return hc_store_file_remove(store, CONFIRM_NAME);
}

int hc_store_state_read(struct hc_manifest *out, const char *path)
{
	struct hc_buf data = HC_BUF_INIT;
	struct stat st;
	char file[4096];
	int fd, error;

	memset(out, 0, sizeof(*out));
	/*
	 * What check and status say depends on the store: its directory
	 * (owner, mode, and the times every file renamed into it or
	 * removed changes) and the state file's bytes.
	 */
	hc_trace_host(path);
	/* Only a store of the caller's own says what hardctl applied. */
	if (lstat(path, &st) == 0 &&
	    (!S_ISDIR(st.st_mode) || st.st_uid != geteuid())) {
		hc_error_set_at(
		    path, 0, "the oldconf store is not a directory of uid %u",
		    (unsigned int)geteuid());
		return hc_error_set_code(HC_EUNSAFE);
	}
	snprintf(file, sizeof(file), "%s/%s", path, STATE_NAME);
	if ((fd = open(file, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) < 0) {
		int code = errno == ENOENT   ? HC_ENOTFOUND
			   : errno == EACCES ? HC_EUNSAFE
					     : HC_ERROR;

		if (code == HC_ENOTFOUND)
			hc_trace_dep(HC_TRACE_STORE, file, "-");
		hc_error_set_os(file, "cannot read");
		return hc_error_set_code(code);
	}
	error = hc_buf_read_fd(&data, fd, 64u << 20, file);
	close(fd);
	if (error == 0)
		hc_trace_bytes(HC_TRACE_STORE, file, data.ptr, data.size);
	if (error == 0)
		error =
		    hc_manifest_parse(out, hc_buf_cstr(&data), data.size, file);
	hc_buf_release(&data);
	return error;
}

/* A store id: 32 lowercase hex digits. */
static bool id_valid(const char *s, size_t n)
{
	if (n != 32)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') ||
		      (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	return true;
}

/* The id in TEXT (one line), into ID; HC_EUNSAFE (naming WHERE) when it is not
 * one. */
static int id_parse(char id[33], const struct hc_buf *text, const char *where)
{
	size_t n = text->size;

	if (n && text->ptr[n - 1] == '\n')
		n--;
	if (n && text->ptr[n - 1] == '\r')
		n--; /* an editor's CRLF */
	if (!id_valid(hc_buf_cstr(text), n)) {
		hc_error_set_at(
		    where, 1,
		    "not a hardctl store id (one line of 32 hex digits): "
		    "refused; the store's hardctl-root-id holds the id it was "
		    "made with");
		return hc_error_set_code(HC_EUNSAFE);
	}
	memcpy(id, text->ptr, 32);
	id[32] = '\0';
	return 0;
}

/* ROOT's store id, or "" when it has none. */
static int root_id(char id[33], struct hc_root *root)
{
	struct hc_buf text = HC_BUF_INIT, shown = HC_BUF_INIT;
	int error = hc_root_read(&text, NULL, root, ROOT_ID_PATH);

	id[0] = '\0';
	if (error == HC_ENOTFOUND) {
		hc_error_clear();
		error = 0;
	} else if (error == 0 &&
		   (error = hc_root_display(&shown, root, ROOT_ID_PATH)) == 0) {
		error = id_parse(id, &text, shown.ptr);
	}
	hc_buf_release(&text);
	hc_buf_release(&shown);
	return error;
}

/* The store's own copy of its id, or "" when it has none (made before ids). */
static int store_id(char id[33], struct hc_store *store)
{
	struct hc_buf text = HC_BUF_INIT;
	char file[4096];
	int fd, error;

	id[0] = '\0';
	snprintf(file, sizeof(file), "%s/%s", store->path, ROOT_ID_NAME);
	if ((fd = open(file, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) < 0) {
		if (errno == ENOENT)
			return 0;
		hc_error_set_os(file, "cannot read");
		return HC_ERROR;
	}
	error = hc_buf_read_fd(&text, fd, 4096, file);
	close(fd);
	if (error == 0)
		error = id_parse(id, &text, file);
	hc_buf_release(&text);
	return error;
}

/*
 * Write ID as ROOT's store id, through ROOT (the directories on the way
 * are made inside it; a link never leads the write out): a temporary,
 * then renamed over the name, which is never followed.
 */
static int root_id_write(struct hc_root *root, const char *id)
{
	static const char *const dirs[][2] = {
	    {"/", "var"},
	    {"/var", "lib"},
	    {"/var/lib", "hardctl"},
	};
	struct hc_buf shown = HC_BUF_INIT;
	char line[40];
	int dfd = -1, fd = -1, error = 0;

	for (size_t i = 0; i < HC_ARRAY_SIZE(dirs) && error == 0; i++) {
		if ((error = hc_root_opendir(&dfd, root, dirs[i][0])) < 0)
			break;
		if (mkdirat(dfd, dirs[i][1], 0755) < 0 && errno != EEXIST) {
			hc_root_display(&shown, root, dirs[i][0]);
			hc_error_set_os(
			    shown.ptr,
			    "cannot create a directory for the store id");
			error = HC_ERROR;
		}
		close(dfd);
		dfd = -1;
	}
	snprintf(line, sizeof(line), "%s\n", id);
	if (error == 0 &&
	    (error = hc_root_opendir(&dfd, root, "/var/lib/hardctl")) == 0) {
		fd = openat(dfd, "store-id.tmp",
			    O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW |
				O_CLOEXEC,
			    0644);
		if (fd < 0 ||
		    write(fd, line, strlen(line)) != (ssize_t)strlen(line) ||
		    fsync(fd) < 0 ||
		    renameat(dfd, "store-id.tmp", dfd, "store-id") < 0 ||
		    fsync(dfd) < 0) {
			hc_root_display(&shown, root, ROOT_ID_PATH);
			hc_error_set_os(shown.ptr, "cannot write the store id");
			error = HC_ERROR;
			unlinkat(dfd, "store-id.tmp", 0);
		}
	}
	if (fd >= 0)
		close(fd);
	if (dfd >= 0)
		close(dfd);
	hc_buf_release(&shown);
	return error;
}

/* A new id, from the kernel's random numbers. */
static int new_id(char id[33])
{
	unsigned char raw[16];

	if (getrandom(raw, sizeof(raw), 0) != (ssize_t)sizeof(raw)) {
		hc_error_set("cannot make a store id: %s", strerror(errno));
		return HC_ERROR;
	}
	for (size_t i = 0; i < sizeof(raw); i++)
		snprintf(id + 2 * i, 3, "%02x", raw[i]);
	return 0;
}

int hc_store_bind_root(struct hc_store *store, struct hc_root *root, bool adopt)
{
	struct hc_buf shown = HC_BUF_INIT, text = HC_BUF_INIT;
	char mine[33], theirs[33];
	int error;

	if ((error = store_id(mine, store)) < 0 ||
	    (error = root_id(theirs, root)) < 0 ||
	    (error = hc_root_display(&shown, root, ROOT_ID_PATH)) < 0)
		goto out;
	if (mine[0] && theirs[0] && strcmp(mine, theirs) != 0) {
		hc_error_set("the oldconf store %s belongs to another root "
			     "(its id %s; %s says "
			     "%s): refused; give the store made for this root "
			     "with --store",
			     store->path, mine, shown.ptr, theirs);
		error = hc_error_set_code(HC_EUNSAFE);
	} else if (mine[0] && !theirs[0]) {
		hc_error_set(
		    "the oldconf store %s was made for a root with id %s, and "
		    "%s is "
		    "missing: refused; if this is that root, put the id back "
		    "(echo %s > %s)",
		    store->path, mine, shown.ptr, mine, shown.ptr);
		error = hc_error_set_code(HC_EUNSAFE);
	} else if (!mine[0] && adopt) {
		/* A store made before ids takes ROOT's, or a new one both keep.
		 */
		if (!theirs[0] && ((error = new_id(theirs)) < 0 ||
				   (error = root_id_write(root, theirs)) < 0)) {
			/*
			 * A ROOT whose /var/lib cannot hold it (a link to
			 * nowhere inside ROOT): the store stays without an id,
			 * as one made before ids, until it can.
			 */
			if (error == HC_ENOTFOUND) {
				hc_error_clear();
				error = 0;
			}
			goto out;
		}
		/* Its copy not written, the store adopts ROOT's next time. */
		if ((error = hc_buf_printf(&text, "%s\n", theirs)) == 0 &&
		    hc_store_file_write(store, ROOT_ID_NAME, &text) < 0)
			hc_error_clear();
	}
out:
	hc_buf_release(&shown);
	hc_buf_release(&text);
	return error;
}
