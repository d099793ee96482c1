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
#include "hardctl/acl.h"
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

/*
 * BASE in DFD opened for reading if it is a regular file, else -1: a
 * device a prepared ROOT puts in a file's place is never opened.
 */
static int open_regular(int dfd, const char *base)
{
	struct stat st;
	int fd;

	if (fstatat(dfd, base, &st, AT_SYMLINK_NOFOLLOW) < 0 ||
	    !S_ISREG(st.st_mode))
		return -1;
	fd = openat(dfd, base,
		    O_RDONLY | O_NONBLOCK | O_NOFOLLOW | O_NOCTTY | O_CLOEXEC);
	if (fd >= 0 && (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode))) {
		close(fd);
		fd = -1;
	}
	return fd;
}

/*
 * Copy FROM's extended attributes to TO, all but its POSIX ACLs: the
 * access ACL is settled on its own (settle_acl()), and a file has no
 * default ACL.  A chown drops file capabilities: security.capability
 * is copied apart, after it (CAPS).
 */
static int copy_xattrs(int from, int to, const char *path, bool caps)
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
		ssize_t vlen;

		if (strcmp(name, "system.posix_acl_access") == 0 ||
		    strcmp(name, "system.posix_acl_default") == 0 ||
		    (strcmp(name, "security.capability") == 0) != caps)
			continue;
		vlen = fgetxattr(from, name, value, sizeof(value));
		if (vlen < 0 ||
		    fsetxattr(to, name, value, (size_t)vlen, 0) < 0) {
			hc_error_set_os(
			    path, "cannot copy extended attribute %s", name);
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
		} else if ((*fd = openat(dfd, tmp,
					 O_WRONLY | O_CREAT | O_EXCL |
					     O_NOFOLLOW | O_CLOEXEC,
					 0600)) >= 0) {
			return 0;
		}
		if (errno != EEXIST)
			break;
	}
	tmp[0] = '\0';
	return -1;
}

/*
 * The ACL the new file gets: EXACT when given, else STATE's when
 * settled, else the old file's (OLD_ACL, as read) less what STATE's mode
 * does not grant.
 */
static const struct hc_acl *settle_acl(struct hc_acl *tmp,
				       const struct hc_acl *exact,
				       const struct hc_file_state *state,
				       const struct hc_acl *old_acl)
{
	if (exact)
		return exact;
	if (state->acl.n > 0)
		return &state->acl;
	hc_acl_trim(tmp, NULL, old_acl, state->mode);
	return tmp;
}

/* Whether FD has STATE's owner and mode; HC_ERROR saying what it has if not. */
static int read_back(int fd, const struct hc_file_state *state,
		     const char *display)
{
	struct stat st;

	if (fstat(fd, &st) < 0) {
		hc_error_set_os(display,
				"cannot read back the new file's mode");
		return HC_ERROR;
	}
	if ((st.st_mode & 07777) != state->mode || st.st_uid != state->uid ||
	    st.st_gid != state->gid) {
		hc_error_set_at(
		    display, 0,
		    "the new file came out mode %04o, owner %u:%u, not "
		    "the planned %04o, %u:%u (the file system or the kernel "
		    "changed "
		    "them)",
		    (unsigned int)(st.st_mode & 07777), (unsigned int)st.st_uid,
		    (unsigned int)st.st_gid, (unsigned int)state->mode,
		    (unsigned int)state->uid, (unsigned int)state->gid);
		return HC_ERROR;
	}
	return 0;
}

/*
 * The temporary file FD gets STATE's bytes, OLD's extended attributes,
 * the ACL settle_acl() picks, then STATE's owner and last its mode: a
 * chown clears set-id bits, and setting an ACL rewrites the group bits.
 */
static int fill_temp(int fd, int old, const struct hc_file_state *state,
		     const struct hc_acl *acl, const char *display)
{
	struct stat st;

	if (write_all(fd, &state->data) < 0) {
		hc_error_set_os(display, "cannot write");
		return HC_ERROR;
	}
	if ((old >= 0 && copy_xattrs(old, fd, display, false) < 0) ||
	    hc_acl_write(fd, acl, display) < 0)
		return HC_ERROR;
	if (fstat(fd, &st) < 0 ||
	    ((st.st_uid != state->uid || st.st_gid != state->gid) &&
	     fchown(fd, state->uid, state->gid) < 0) ||
	    fchmod(fd, state->mode) < 0) {
		hc_error_set_os(display, "cannot set owner %u:%u and mode %04o",
				(unsigned int)state->uid,
				(unsigned int)state->gid,
				(unsigned int)state->mode);
		return HC_ERROR;
	}
	if ((old >= 0 && copy_xattrs(old, fd, display, true) < 0) ||
	    read_back(fd, state, display) < 0)
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
	    fchownat(dfd, tmp, state->uid, state->gid, AT_SYMLINK_NOFOLLOW) <
		0) {
		hc_error_set_os(display, "cannot set the symlink's owner %u:%u",
				(unsigned int)state->uid,
				(unsigned int)state->gid);
		return HC_ERROR;
	}
	return 0;
}

/*
 * Rename TMP over BASE in DFD.  Made durable by sync_dirs(), once per
 * directory for the whole plan.
 */
static int replace(bool *replaced, int dfd, const char *tmp, const char *base,
		   const char *display)
{
	if (hc_fault("file.rename", EIO) || renameat(dfd, tmp, dfd, base) < 0) {
		hc_error_set_os(display, "cannot replace");
		return HC_ERROR;
	}
	*replaced = true;
	return 0;
}

/* How one file's replacement went, for undo_acl(). */
struct put_result {
	bool replaced;     /* the old entry is gone: putting it back is due */
	struct hc_acl acl; /* the old file's access ACL (n == 0: none) */
};

/*
 * Replace PATH with STATE (a file or a symlink): a temporary entry in
 * the same directory, complete and durable, renamed over the old one.
 * EXACT, when given, is the ACL the file gets (see settle_acl()).
 */
static int write_entry(struct put_result *res, struct hc_root *root,
		       const char *path, const struct hc_file_state *state,
		       const struct hc_acl *exact)
{
	struct hc_buf dir = HC_BUF_INIT, display = HC_BUF_INIT;
	char tmp[NAME_MAX + 1] = "";
	const char *base = NULL;
	struct hc_acl trimmed;
	int dfd = -1, fd = -1, old = -1, error;

	if ((error = split_path(&dir, &base, path)) < 0 ||
	    (error = hc_root_display(&display, root, path)) < 0 ||
	    (error = hc_root_opendir(&dfd, root, dir.ptr)) < 0)
		goto out;
	/* The old file's ACL, for undo even when a symlink replaces it. */
	old = open_regular(dfd, base);
	if (old >= 0 && (error = hc_acl_read(&res->acl, old, display.ptr)) < 0)
		goto out;
	if (make_temp(&fd, dfd, base,
		      state->link ? hc_buf_cstr(&state->data) : NULL,
		      tmp) < 0) {
		hc_error_set_os(display.ptr,
				"cannot create a temporary file beside it");
		error = HC_ERROR;
		goto out;
	}
	if (state->link)
		error = own_link(dfd, tmp, state, display.ptr);
	else
		error = fill_temp(fd, old, state,
				  settle_acl(&trimmed, exact, state, &res->acl),
				  display.ptr);
	if (error == 0 &&
	    (error = replace(&res->replaced, dfd, tmp, base, display.ptr)) == 0)
		tmp[0] = '\0';
out:
	if (fd >= 0)
		close(fd);
	if (tmp[0] && !res->replaced)
		unlinkat(dfd, tmp, 0);
	if (old >= 0)
		close(old);
	if (dfd >= 0)
		close(dfd);
	hc_buf_release(&dir);
	hc_buf_release(&display);
	return error;
}

static int remove_file(struct put_result *res, struct hc_root *root,
		       const char *path)
{
	struct hc_buf dir = HC_BUF_INIT, display = HC_BUF_INIT;
	const char *base = NULL;
	int dfd = -1, error;

	if ((error = split_path(&dir, &base, path)) < 0 ||
	    (error = hc_root_display(&display, root, path)) < 0 ||
	    (error = hc_root_opendir(&dfd, root, dir.ptr)) < 0)
		goto out;
	if ((hc_fault("file.unlink", EIO) || unlinkat(dfd, base, 0) < 0) &&
	    errno != ENOENT) {
		hc_error_set_os(display.ptr, "cannot remove");
		error = HC_ERROR;
		goto out;
	}
	res->replaced = true;
out:
	if (dfd >= 0)
		close(dfd);
	hc_buf_release(&dir);
	hc_buf_release(&display);
	return error;
}

static int put_state(struct put_result *res, struct hc_root *root,
		     const char *path, const struct hc_file_state *state,
		     const struct hc_acl *exact)
{
	memset(res, 0, sizeof(*res));
	return state->exists ? write_entry(res, root, path, state, exact)
			     : remove_file(res, root, path);
}

/*
 * Whether PATH under ROOT now holds exactly STATE's bytes (or is absent),
 * and with META its owner and mode too.
 */
static int holds(bool *out, struct hc_root *root, const char *path,
		 const struct hc_file_state *state, bool meta)
{
	struct hc_file_state now = {0};
	int error = hc_root_state(&now, root, path);

	*out = error == 0 && (meta ? hc_file_state_equal(&now, state)
				   : hc_file_state_same_data(&now, state));
	hc_buf_release(&now.data);
	return error;
}

/* The immutable or append-only flag of the open file FD, 0 if neither. */
static int frozen(int fd)
{
	int flags = 0;

	if (ioctl(fd, FS_IOC_GETFLAGS, &flags) < 0)
		flags = 0; /* a file system without such flags */
	return flags & (FS_IMMUTABLE_FL | FS_APPEND_FL);
}

/*
 * Whether BASE in the directory DFD can be replaced: not on a read-only
 * file system, not immutable or append-only (chattr +i, +a), which even
 * root cannot rename over.  HC_EUNSAFE, saying what to do, if not.
 */
static int check_writable(int dfd, const char *base, const char *display)
{
	struct statvfs sv;
	int fd, flags;

	if (fstatvfs(dfd, &sv) == 0 && (sv.f_flag & ST_RDONLY)) {
		hc_error_set_at(display, 0,
				"is on a read-only file system: remount it "
				"read-write first; nothing was changed");
		return hc_error_set_code(HC_EUNSAFE);
	}
	if ((fd = open_regular(dfd, base)) < 0)
		return 0; /* absent, a symlink or worse: the checks that follow
			     say */
	flags = frozen(fd);
	close(fd);
	if (flags) {
		hc_error_set_at(
		    display, 0,
		    "is %s (lsattr shows it): hardctl cannot replace it; "
		    "'chattr -%c' it first, or leave its rules out; nothing "
		    "was changed",
		    flags & FS_IMMUTABLE_FL ? "immutable" : "append-only",
		    flags & FS_IMMUTABLE_FL ? 'i' : 'a');
		return hc_error_set_code(HC_EUNSAFE);
	}
	return 0;
}

/*
 * Whether DIR (a directory of ROOT holding TARGET) and the directories
 * above it inside ROOT are free of chattr +i and +a: in an immutable or
 * append-only directory no entry can be renamed over or removed.
 * HC_EUNSAFE naming the directory if not.
 */
static int check_dirs(struct hc_root *root, const char *dir, const char *target)
{
	struct hc_buf display = HC_BUF_INIT;
	char *path = hc_strdup(dir);
	int error = path ? 0 : HC_ERROR;

	while (error == 0) {
		char *slash;
		int fd, flags;

		if ((error = hc_root_opendir_read(&fd, root, path)) < 0)
			break;
		flags = frozen(fd);
		close(fd);
		if (flags &&
		    (error = hc_root_display(&display, root, path)) == 0) {
			hc_error_set_at(display.ptr, 0,
					"is %s (lsattr -d shows it), and %s is "
					"in it: hardctl cannot replace files "
					"there; 'chattr -%c' "
					"it first, or leave those rules out; "
					"nothing was changed",
					flags & FS_IMMUTABLE_FL
					    ? "an immutable directory"
					    : "an append-only directory",
					target,
					flags & FS_IMMUTABLE_FL ? 'i' : 'a');
			error = hc_error_set_code(HC_EUNSAFE);
			break;
		}
		/* Up to ROOT, not ROOT itself (an image's top may be +i). */
		slash = strrchr(path, '/');
		if (slash == NULL || slash == path)
			break;
		*slash = '\0';
	}
	free(path);
	hc_buf_release(&display);
	return error;
}

/* Whether BASE's ACL, if any, is one hardctl can record and restore. */
static int check_acl(int dfd, const char *base, const char *display)
{
	struct hc_acl acl;
	int fd = open_regular(dfd, base);
	int error;

	if (fd < 0)
		return 0;
	error = hc_acl_read(&acl, fd, display);
	close(fd);
	return error;
}

int hc_install_preflight_file(struct hc_root *root,
			      const struct hc_plan_file *f)
{
	struct hc_buf display = HC_BUF_INIT, dir = HC_BUF_INIT;
	const char *base = NULL;
	struct stat st;
	bool same;
	int dfd, error;

	if ((error = hc_root_display(&display, root, f->path)) < 0 ||
	    (error = split_path(&dir, &base, f->path)) < 0)
		goto out;
	if ((error = hc_root_opendir_read(&dfd, root, dir.ptr)) < 0) {
		if (error == HC_ENOTFOUND) {
			hc_error_set_at(display.ptr, 0,
					"its directory does not exist");
			error = hc_error_set_code(HC_EUNSAFE);
		}
		goto out;
	}
	if ((error = check_dirs(root, dir.ptr, display.ptr)) == 0 &&
	    (error = check_writable(dfd, base, display.ptr)) == 0)
		error = check_acl(dfd, base, display.ptr);
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
				"is a symlink: replacing it would cut the "
				"link; change its target instead");
		error = hc_error_set_code(HC_EUNSAFE);
	} else if (st.st_mode && !S_ISREG(st.st_mode) && !S_ISLNK(st.st_mode)) {
		hc_error_set_at(display.ptr, 0, "not a regular file");
		error = hc_error_set_code(HC_EUNSAFE);
	} else if (st.st_mode && S_ISREG(st.st_mode) && st.st_nlink > 1) {
		hc_error_set_at(
		    display.ptr, 0,
		    "has %lu hard links: replacing it would split them",
		    (unsigned long)st.st_nlink);
		error = hc_error_set_code(HC_EUNSAFE);
	} else if ((error = holds(&same, root, f->path, &f->before, false)) ==
		       0 &&
		   !same) {
		hc_error_set_at(
		    display.ptr, 0,
		    "changed while hardctl ran: nothing done, try again");
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

	/*
	 * Whether a file moved since it was planned: the host as it is
	 * now, not as the reading phase remembered it.
	 */
	hc_root_forget(root);
	for (size_t i = 0; i < plan->nfiles && error == 0; i++)
		error = hc_install_preflight_file(root, &plan->files[i]);
	return error;
}

/*
 * Make the renames and removals of the first N files of PLAN durable:
 * each directory they are in is fsync'ed once, however many of them it
 * holds.  On failure *FAILED is a file of the directory that failed.
 */
static int sync_dirs(const char **failed, struct hc_root *root,
		     const struct hc_plan *plan, size_t n)
{
	struct hc_strlist done = HC_STRLIST_INIT;
	struct hc_buf dir = HC_BUF_INIT;
	const char *base;
	int dfd, error = 0;

	*failed = NULL;
	for (size_t i = 0; i < n && error == 0; i++) {
		*failed = plan->files[i].path; /* a file in the directory */
		if ((error = split_path(&dir, &base, plan->files[i].path)) < 0)
			break;
		if (hc_strlist_has(&done, dir.ptr))
			continue;
		if ((error = hc_strlist_push(&done, dir.ptr)) < 0 ||
		    (error = hc_root_opendir_read(&dfd, root, dir.ptr)) < 0)
			break;
		if (hc_fault("dir.fsync", EIO) || fsync(dfd) < 0) {
			hc_error_set_os(dir.ptr, "cannot fsync directory");
			error = HC_ERROR;
		}
		close(dfd);
	}
	if (error == 0)
		*failed = NULL;
	hc_buf_release(&dir);
	hc_strlist_release(&done);
	return error;
}

/*
 * Put back the first N files of PLAN, each with the ACL it had (in
 * OLD[i] when given); say in the last error how it went.
 */
static void undo_acl(struct hc_root *root, const struct hc_plan *plan, size_t n,
		     const struct put_result *old)
{
	const struct hc_error *e = hc_error_last();
	char first[sizeof(e->message) + sizeof(e->file) + 16];
	const char *failed = NULL, *unsynced;
	size_t restored = 0, count = n;

	if (e->file[0])
		snprintf(first, sizeof(first), "%s: %s", e->file, e->message);
	else
		snprintf(first, sizeof(first), "%s", e->message);
	while (n-- > 0) {
		const struct hc_file_state *before = &plan->files[n].before;
		struct put_result res;

		if (put_state(&res, root, plan->files[n].path, before,
			      before->acl.n == 0 && old ? &old[n].acl : NULL) ==
		    0)
			restored++;
		else if (failed == NULL)
			failed = plan->files[n].path;
	}
	if (sync_dirs(&unsynced, root, plan, count) < 0 && failed == NULL)
		failed = unsynced;
	if (failed)
		hc_error_set("%s; restoring failed for %s (its previous "
			     "version is in the "
			     "oldconf store)",
			     first, failed);
	else if (restored)
		hc_error_set("%s; nothing changed (%zu file%s put back)", first,
			     restored, restored == 1 ? "" : "s");
	else
		hc_error_set("%s; nothing changed", first);
}

/* After the files are in place: each holds its bytes, owner and mode. */
static int read_back_all(struct hc_root *root, const struct hc_plan *plan)
{
	int error = 0;

	for (size_t i = 0; error == 0 && i < plan->nfiles; i++) {
		bool same;

		if ((error = holds(&same, root, plan->files[i].path,
				   &plan->files[i].after, true)) == 0 &&
		    !same) {
			hc_error_set("%s does not hold what was written "
				     "(bytes, owner and "
				     "mode): something else changed it",
				     plan->files[i].path);
			error = HC_ERROR;
		}
	}
	return error;
}

int hc_install(struct hc_root *root, const struct hc_plan *plan)
{
	struct put_result *res =
	    calloc(plan->nfiles ? plan->nfiles : 1, sizeof(*res));
	const char *unsynced;
	size_t done = 0;
	int error = 0;

	if (res == NULL)
		return hc_error_oom();
	for (; done < plan->nfiles; done++) {
		if ((error = put_state(&res[done], root, plan->files[done].path,
				       &plan->files[done].after, NULL)) < 0) {
			/* Failed after its rename: put it back too; before:
			 * never touched. */
			if (res[done].replaced)
				done++;
			break;
		}
	}
	/* Durable before the store calls the transaction done. */
	if (error == 0)
		error = sync_dirs(&unsynced, root, plan, done);
	/* What dry-run showed is what was written: read each file back. */
	if (error == 0)
		error = read_back_all(root, plan);
	if (error < 0) {
		undo_acl(root, plan, done, res);
		error = HC_ERROR;
	}
	free(res);
	return error;
}

/* The access ACL PATH has now (n == 0: none, or not a regular file). */
static int read_acl(struct hc_acl *out, struct hc_root *root, const char *path)
{
	struct hc_buf dir = HC_BUF_INIT, display = HC_BUF_INIT;
	const char *base = NULL;
	int dfd = -1, fd = -1, error;

	out->n = 0;
	if ((error = split_path(&dir, &base, path)) < 0 ||
	    (error = hc_root_display(&display, root, path)) < 0)
		goto out;
	if ((error = hc_root_opendir_read(&dfd, root, dir.ptr)) ==
	    HC_ENOTFOUND) {
		hc_error_clear();
		error = 0;
		goto out;
	}
	if (error == 0 && (fd = open_regular(dfd, base)) >= 0)
		error = hc_acl_read(out, fd, display.ptr);
out:
	if (fd >= 0)
		close(fd);
	if (dfd >= 0)
		close(dfd);
	hc_buf_release(&dir);
	hc_buf_release(&display);
	return error;
}

/* Trim STATE's ACL from BEFORE by STATE's mode, unless settled already. */
static void trim_state(struct hc_acl *dropped, struct hc_file_state *state,
		       const struct hc_acl *before)
{
	dropped->n = 0;
	if (!state->exists || state->link || state->acl.n > 0)
		return;
	hc_acl_trim(&state->acl, dropped, before, state->mode);
}

int hc_install_acls(struct hc_install_acl_drop **out, size_t *n,
		    struct hc_root *root, struct hc_plan *plan)
{
	struct hc_install_acl_drop *v = NULL;
	size_t count = 0;
	int error = 0;

	*out = NULL;
	*n = 0;
	for (size_t i = 0; i < plan->nfiles && error == 0; i++) {
		struct hc_plan_file *f = &plan->files[i];
		struct hc_install_acl_drop *grown;
		struct hc_acl dropped;

		if (!f->before.exists || f->before.link)
			continue;
		if (f->before.acl.n == 0 &&
		    (error = read_acl(&f->before.acl, root, f->path)) < 0)
			break;
		for (size_t s = 0; s < plan->nsteps; s++)
			if (plan->steps[s].file == i)
				trim_state(&dropped, &plan->steps[s].after,
					   &f->before.acl);
		trim_state(&dropped, &f->after, &f->before.acl);
		if (dropped.n == 0)
			continue;
		if ((grown = reallocarray(v, count + 1, sizeof(*v))) == NULL) {
			error = hc_error_oom();
			break;
		}
		v = grown;
		v[count].path = f->path;
		v[count].mode = f->after.mode;
		v[count].dropped = dropped;
		count++;
	}
	if (error < 0) {
		free(v);
		return error;
	}
	*out = v;
	*n = count;
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
			hc_error_set_os(
			    path,
			    "cannot remove the temporary file %s beside it",
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
