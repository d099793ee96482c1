/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The installer (see hardctl/install.h).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <linux/fs.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/xattr.h>
#include <unistd.h>
#include "hardctl/fault.h"
#include "hardctl/install.h"
#include "hardctl/plan.h"
#include "hardctl/root.h"
#include "hardctl/state.h"

/* Split PATH into its directory (into DIR) and its last component. */
static int split_path(struct hc_buf *dir, const char **base, const char *path)
{
	const char *slash = strrchr(path, '/');

	if (slash == NULL || slash[1] == '\0') {
		hc_error_set("'%s' is not an absolute file path", path);
		return hc_error_set_code(HC_EINVALID);
	}
	*base = slash + 1;
	hc_buf_clear(dir);
	return hc_buf_put(dir, path, slash > path ? (size_t)(slash - path) : 1);
}

static int copy_xattrs(int from, int to, const char *path)
{
	char names[4096], value[4096];
	ssize_t len = flistxattr(from, names, sizeof(names));

	if (len < 0 && errno == ENOTSUP)
		return 0;
	if (len < 0) {
		hc_error_set_os(path, "cannot list extended attributes");
		return HC_ERROR;
	}
	for (char *name = names; name < names + len; name += strlen(name) + 1) {
		ssize_t vlen = fgetxattr(from, name, value, sizeof(value));

		if (vlen < 0 || fsetxattr(to, name, value, (size_t)vlen, 0) < 0) {
			hc_error_set_os(path, "cannot copy extended attribute %s", name);
			return HC_ERROR;
		}
	}
	return 0;
}

static int write_all(int fd, const struct hc_buf *data)
{
	size_t done = 0;

	if (hc_fault("file.write", ENOSPC))
		return -1;
	while (done < data->size) {
		ssize_t n = write(fd, data->ptr + done, data->size - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		done += (size_t)n;
	}
	return 0;
}

#define TEMP_PREFIX ".%.200s.hardctl-"

/* A name for a temporary file beside BASE: ".BASE.hardctl-XXXXXXXX". */
static void temp_name(char tmp[NAME_MAX + 1], const char *base, int tries)
{
	unsigned int r;

	if (getrandom(&r, sizeof(r), 0) != sizeof(r))
		r = (unsigned int)getpid() * 2654435761u + (unsigned int)tries;
	snprintf(tmp, NAME_MAX + 1, TEMP_PREFIX "%08x", base, r);
}

/* Whether NAME is one of temp_name()'s names for BASE. */
static bool is_temp_name(const char *name, const char *base)
{
	char prefix[NAME_MAX + 1];
	size_t len;

	snprintf(prefix, sizeof(prefix), TEMP_PREFIX, base);
	len = strlen(prefix);
	if (strncmp(name, prefix, len) != 0 || strlen(name + len) != 8)
		return false;
	return strspn(name + len, "0123456789abcdef") == 8;
}

/*
 * Make a new temporary entry beside BASE in DFD, its name into TMP: a
 * file open for writing (*fd), or with TARGET a symlink (*fd -1).
 */
static int make_temp(int *fd, int dfd, const char *base, const char *target,
		     char tmp[NAME_MAX + 1])
{
	for (int tries = 0; tries < 16; tries++) {
		temp_name(tmp, base, tries);
		if (target) {
			*fd = -1;
			if (symlinkat(target, dfd, tmp) == 0)
				return 0;
		} else if ((*fd = openat(dfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
						       O_CLOEXEC, 0600)) >= 0) {
			return 0;
		}
		if (errno != EEXIST)
			break;
	}
	tmp[0] = '\0';
	return -1;
}

/* The temporary file FD gets STATE's bytes, owner, mode and OLD's xattrs. */
static int fill_temp(int fd, int old, const struct hc_file_state *state, const char *display)
{
	struct stat st;

	if (write_all(fd, &state->data) < 0) {
		hc_error_set_os(display, "cannot write");
		return HC_ERROR;
	}
	/* chown first: it would clear set-id bits that chmod set. */
	if (fstat(fd, &st) < 0 ||
	    ((st.st_uid != state->uid || st.st_gid != state->gid) &&
	     fchown(fd, state->uid, state->gid) < 0) ||
	    fchmod(fd, state->mode) < 0) {
		hc_error_set_os(display, "cannot set owner %u:%u and mode %04o",
				(unsigned int)state->uid, (unsigned int)state->gid,
				(unsigned int)state->mode);
		return HC_ERROR;
	}
	if (old >= 0 && copy_xattrs(old, fd, display) < 0)
		return HC_ERROR;
	if (hc_fault("file.fsync", EIO) || fsync(fd) < 0) {
		hc_error_set_os(display, "cannot fsync");
		return HC_ERROR;
	}
	return 0;
}

/* A symlink's owner, when it must be other than the caller's. */
static int own_link(int dfd, const char *tmp, const struct hc_file_state *state,
		    const char *display)
{
	if ((state->uid != geteuid() || state->gid != getegid()) &&
	    fchownat(dfd, tmp, state->uid, state->gid, AT_SYMLINK_NOFOLLOW) < 0) {
		hc_error_set_os(display, "cannot set the symlink's owner %u:%u",
				(unsigned int)state->uid, (unsigned int)state->gid);
		return HC_ERROR;
	}
	return 0;
}

/* Rename TMP over BASE in DFD (directory DIR) and make that durable. */
static int replace(int dfd, const char *tmp, const char *base, const char *dir,
		   const char *display)
{
	if (hc_fault("file.rename", EIO) || renameat(dfd, tmp, dfd, base) < 0) {
		hc_error_set_os(display, "cannot replace");
		return HC_ERROR;
	}
	if (hc_fault("dir.fsync", EIO) || fsync(dfd) < 0) {
		hc_error_set_os(dir, "cannot fsync directory");
		return HC_ERROR;
	}
	return 0;
}

/*
 * Replace PATH with STATE (a file or a symlink): a temporary entry in
 * the same directory, complete and durable, renamed over the old one.
 */
static int write_entry(struct hc_root *root, const char *path,
		       const struct hc_file_state *state)
{
	struct hc_buf dir = HC_BUF_INIT, display = HC_BUF_INIT;
	char tmp[NAME_MAX + 1] = "";
	const char *base = NULL;
	int dfd = -1, fd = -1, old = -1, error;

	if ((error = split_path(&dir, &base, path)) < 0 ||
	    (error = hc_root_display(&display, root, path)) < 0 ||
	    (error = hc_root_opendir(&dfd, root, dir.ptr)) < 0)
		goto out;
	if (make_temp(&fd, dfd, base, state->link ? hc_buf_cstr(&state->data) : NULL, tmp) < 0) {
		hc_error_set_os(display.ptr, "cannot create a temporary file beside it");
		error = HC_ERROR;
		goto out;
	}
	if (state->link) {
		error = own_link(dfd, tmp, state, display.ptr);
	} else {
		old = openat(dfd, base, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
		error = fill_temp(fd, old, state, display.ptr);
	}
	if (error == 0 && (error = replace(dfd, tmp, base, dir.ptr, display.ptr)) == 0)
		tmp[0] = '\0';
out:
	if (fd >= 0)
		close(fd);
	if (tmp[0])
		unlinkat(dfd, tmp, 0);
	if (old >= 0)
		close(old);
	if (dfd >= 0)
		close(dfd);
	hc_buf_release(&dir);
	hc_buf_release(&display);
	return error;
}

static int remove_file(struct hc_root *root, const char *path)
{
	struct hc_buf dir = HC_BUF_INIT, display = HC_BUF_INIT;
	const char *base = NULL;
	int dfd = -1, error;

	if ((error = split_path(&dir, &base, path)) < 0 ||
	    (error = hc_root_display(&display, root, path)) < 0 ||
	    (error = hc_root_opendir(&dfd, root, dir.ptr)) < 0)
		goto out;
	if ((hc_fault("file.unlink", EIO) || unlinkat(dfd, base, 0) < 0) && errno != ENOENT) {
		hc_error_set_os(display.ptr, "cannot remove");
		error = HC_ERROR;
	} else if (hc_fault("dir.fsync", EIO) || fsync(dfd) < 0) {
		hc_error_set_os(dir.ptr, "cannot fsync directory");
		error = HC_ERROR;
	}
out:
	if (dfd >= 0)
		close(dfd);
	hc_buf_release(&dir);
	hc_buf_release(&display);
	return error;
}

static int put_state(struct hc_root *root, const char *path,
		     const struct hc_file_state *state)
{
	return state->exists ? write_entry(root, path, state) : remove_file(root, path);
}

/* Whether PATH under ROOT now holds exactly STATE's bytes (or is absent). */
static int holds(bool *out, struct hc_root *root, const char *path,
		 const struct hc_file_state *state)
{
	struct hc_file_state now = { 0 };
	int error = hc_root_state(&now, root, path);

	*out = error == 0 && hc_file_state_same_data(&now, state);
	hc_buf_release(&now.data);
	return error;
}

/*
 * Whether BASE in the directory DFD can be replaced: not on a read-only
 * file system, not immutable or append-only (chattr +i, +a), which even
 * root cannot rename over.  HC_EUNSAFE, saying what to do, if not.
 */
static int check_writable(int dfd, const char *base, const char *display)
{
	struct statvfs sv;
	int fd, flags = 0;

	if (fstatvfs(dfd, &sv) == 0 && (sv.f_flag & ST_RDONLY)) {
		hc_error_set_at(display, 0, "is on a read-only file system: remount it "
				"read-write first; nothing was changed");
		return hc_error_set_code(HC_EUNSAFE);
	}
	fd = openat(dfd, base, O_RDONLY | O_NONBLOCK | O_NOFOLLOW | O_NOCTTY | O_CLOEXEC);
	if (fd < 0)
		return 0; /* absent, or a symlink: the checks that follow say */
	if (ioctl(fd, FS_IOC_GETFLAGS, &flags) < 0)
		flags = 0; /* a file system without such flags */
	close(fd);
	if (flags & (FS_IMMUTABLE_FL | FS_APPEND_FL)) {
		hc_error_set_at(display, 0, "is %s (lsattr shows it): hardctl cannot replace it; "
				"'chattr -%c' it first, or leave its rules out; nothing was changed",
				flags & FS_IMMUTABLE_FL ? "immutable" : "append-only",
				flags & FS_IMMUTABLE_FL ? 'i' : 'a');
		return hc_error_set_code(HC_EUNSAFE);
	}
	return 0;
}

static int preflight_file(struct hc_root *root, const struct hc_plan_file *f)
{
	struct hc_buf display = HC_BUF_INIT, dir = HC_BUF_INIT;
	const char *base = NULL;
	struct stat st;
	bool same;
	int dfd, error;

	if ((error = hc_root_display(&display, root, f->path)) < 0 ||
	    (error = split_path(&dir, &base, f->path)) < 0)
		goto out;
	if ((error = hc_root_opendir(&dfd, root, dir.ptr)) < 0) {
		if (error == HC_ENOTFOUND) {
			hc_error_set_at(display.ptr, 0, "its directory does not exist");
			error = hc_error_set_code(HC_EUNSAFE);
		}
		goto out;
	}
	error = check_writable(dfd, base, display.ptr);
	close(dfd);
	if (error < 0)
		goto out;
	error = hc_root_lstat(&st, root, f->path);
	if (error == HC_ENOTFOUND) {
		hc_error_clear();
		st.st_mode = 0;
	} else if (error < 0) {
		goto out;
	}
	if (S_ISLNK(st.st_mode) && !f->before.link) {
		hc_error_set_at(display.ptr, 0,
				"is a symlink: replacing it would cut the link; change its target instead");
		error = hc_error_set_code(HC_EUNSAFE);
	} else if (st.st_mode && !S_ISREG(st.st_mode) && !S_ISLNK(st.st_mode)) {
		hc_error_set_at(display.ptr, 0, "not a regular file");
		error = hc_error_set_code(HC_EUNSAFE);
	} else if (st.st_mode && S_ISREG(st.st_mode) && st.st_nlink > 1) {
		hc_error_set_at(display.ptr, 0,
				"has %lu hard links: replacing it would split them",
				(unsigned long)st.st_nlink);
		error = hc_error_set_code(HC_EUNSAFE);
	} else if ((error = holds(&same, root, f->path, &f->before)) == 0 && !same) {
		hc_error_set_at(display.ptr, 0, "changed while hardctl ran: nothing done, try again");
		error = hc_error_set_code(HC_ECONFLICT);
	}
out:
	hc_buf_release(&display);
	hc_buf_release(&dir);
	return error;
}

int hc_install_preflight(struct hc_root *root, const struct hc_plan *plan)
{
	int error = 0;

	for (size_t i = 0; i < plan->nfiles && error == 0; i++)
		error = preflight_file(root, &plan->files[i]);
	return error;
}

/* Put back the first N files of PLAN; say in the last error how it went. */
static void undo(struct hc_root *root, const struct hc_plan *plan, size_t n)
{
	const struct hc_error *e = hc_error_last();
	char first[sizeof(e->message) + sizeof(e->file) + 16];
	const char *failed = NULL;
	size_t restored = 0;

	if (e->file[0])
		snprintf(first, sizeof(first), "%s: %s", e->file, e->message);
	else
		snprintf(first, sizeof(first), "%s", e->message);
	while (n-- > 0) {
		if (put_state(root, plan->files[n].path, &plan->files[n].before) == 0)
			restored++;
		else if (failed == NULL)
			failed = plan->files[n].path;
	}
	if (failed)
		hc_error_set("%s; restoring failed for %s (its previous version is in the "
			     "oldconf store)", first, failed);
	else
		hc_error_set("%s; nothing changed (%zu file%s put back)", first, restored,
			     restored == 1 ? "" : "s");
}

int hc_install(struct hc_root *root, const struct hc_plan *plan)
{
	size_t done = 0;
	int error = 0;

	for (; done < plan->nfiles && error == 0; done++) {
		if ((error = put_state(root, plan->files[done].path, &plan->files[done].after)) < 0) {
			/* It failed after its rename, perhaps: put it back too. */
			done++;
			break;
		}
	}
	/* What dry-run showed is what was written: read each file back. */
	for (size_t i = 0; error == 0 && i < plan->nfiles; i++) {
		bool same;

		if ((error = holds(&same, root, plan->files[i].path, &plan->files[i].after)) == 0 &&
		    !same) {
			hc_error_set("%s does not hold what was written: something else "
				     "changed it", plan->files[i].path);
			error = HC_ERROR;
		}
	}
	if (error < 0) {
		undo(root, plan, done);
		return HC_ERROR;
	}
	return 0;
}

/* Remove the temporary files of PATH's name left in its directory. */
static int sweep_one(struct hc_root *root, const char *path)
{
	struct hc_buf dir = HC_BUF_INIT;
	const char *base = NULL;
	struct dirent *de;
	DIR *d = NULL;
	int dfd = -1, error;

	if ((error = split_path(&dir, &base, path)) < 0 ||
	    (error = hc_root_opendir(&dfd, root, dir.ptr)) < 0)
		goto out;
	if ((d = fdopendir(dfd)) == NULL) {
		hc_error_set_os(path, "cannot read its directory");
		error = HC_ERROR;
		goto out;
	}
	dfd = -1;
	while ((de = readdir(d)) != NULL) {
		if (!is_temp_name(de->d_name, base))
			continue;
		if (unlinkat(dirfd(d), de->d_name, 0) < 0 && errno != ENOENT) {
			hc_error_set_os(path, "cannot remove the temporary file %s beside it",
					de->d_name);
			error = HC_ERROR;
			break;
		}
	}
out:
	if (error == HC_ENOTFOUND) {
		hc_error_clear();
		error = 0; /* no directory, no leftovers */
	}
	if (d)
		closedir(d);
	if (dfd >= 0)
		close(dfd);
	hc_buf_release(&dir);
	return error;
}

int hc_install_sweep(struct hc_root *root, const struct hc_plan *plan)
{
	int error = 0;

	for (size_t i = 0; i < plan->nfiles && error == 0; i++)
		error = sweep_one(root, plan->files[i].path);
	return error;
}
