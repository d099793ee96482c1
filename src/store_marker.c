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
#include <unistd.h>
#include "hardctl/confirm.h"
#include "hardctl/fault.h"
#include "store_int.h"

int hc_store_file_write(struct hc_store *store, const char *name,
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

	if (hc_manifest_format(&state, m) < 0 || hc_store_file_write(store, STATE_NAME, &state) < 0)
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
		return hc_store_read_fail(store, "cannot read the pending transaction");
	git_oid_cpy(&out->tip, &tip);
	id = hc_store_trailer(git_commit_message(commit), "Transaction");
	git_commit_free(commit);
	if (id == NULL || (out->id = (unsigned int)strtoul(id, NULL, 10)) == 0) {
		hc_error_set("the pending transaction's commit has no Transaction trailer: "
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
		return hc_store_git_fail("cannot clear the pending transaction");
	git_error_clear();
	return hc_store_file_remove(store, PENDING_NAME);
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
			hc_store_state_write(store, &m);
		hc_manifest_release(&m);
	} else {
		/* Its ref, if the crash came after it was made: it never happened. */
		snprintf(name, sizeof(name), TXN_REF_PREFIX "%u", info->id);
		r = git_reference_remove(store->repo, name);
		if (r < 0 && r != GIT_ENOTFOUND)
			error = hc_store_git_fail("cannot drop the interrupted transaction");
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
