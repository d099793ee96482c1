/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The ROOT-confined reader: openat2(2) with RESOLVE_IN_ROOT makes the
 * kernel resolve every path as if ROOT were "/", so neither a symlink
 * nor ".." can reach the host's files.  glibc 2.36 has no wrapper, hence
 * syscall().  Where openat2 is missing (Linux before 5.6, valgrind),
 * walk() resolves the same way in user space.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <limits.h>
#include <linux/openat2.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "hardctl/hash.h"
#include "hardctl/root.h"
#include "hardctl/trace.h"
#include "hardctl/state.h"

/*
 * What a remembering root keeps (hc_root_remember()): a path's status,
 * or a directory's names, as first found; or that it was absent.
 */
struct memo_entry {
	char *path;
	bool list;  /* a directory's names, else a path's status */
	int absent; /* 0, or the errno (ENOENT, ENOTDIR) it was absent with */
	struct stat st;
	struct hc_strlist names;       /* sorted */
	char fp[HC_SHA256_HEXLEN + 1]; /* of NAMES; "" until asked */
};

/* Open addressing, linear probing, at most half full. */
struct memo {
	struct memo_entry **v;
	size_t cap, n;
	bool on;
};

struct hc_root {
	int fd;
	char *prefix; /* ROOT without trailing slashes, "" for "/" */
	struct memo memo;
};

static size_t memo_hash(const char *path, bool list)
{
	uint64_t h = 14695981039346656037ULL ^ (uint64_t)list;

	for (const unsigned char *p = (const unsigned char *)path; *p; p++)
		h = (h ^ *p) * 1099511628211ULL;
	return (size_t)h;
}

static void memo_entry_free(struct memo_entry *e)
{
	free(e->path);
	hc_strlist_release(&e->names);
	free(e);
}

static void memo_forget(struct memo *m)
{
	for (size_t i = 0; i < m->cap; i++)
		if (m->v[i])
			memo_entry_free(m->v[i]);
	free(m->v);
	m->v = NULL;
	m->cap = m->n = 0;
}

static struct memo_entry *memo_find(const struct hc_root *root,
				    const char *path, bool list)
{
	const struct memo *m = &root->memo;

	if (!m->on || m->n == 0)
		return NULL;
	for (size_t i = memo_hash(path, list) & (m->cap - 1); m->v[i];
	     i = (i + 1) & (m->cap - 1))
		if (m->v[i]->list == list && strcmp(m->v[i]->path, path) == 0)
			return m->v[i];
	return NULL;
}

static void memo_place(struct memo_entry **v, size_t cap, struct memo_entry *e)
{
	size_t i = memo_hash(e->path, e->list) & (cap - 1);

	while (v[i])
		i = (i + 1) & (cap - 1);
	v[i] = e;
}

/*
 * Keep E in ROOT's memo (which then owns it); false, E still the
 * caller's, when ROOT does not remember or there is no room: a failure
 * to remember is never the caller's.
 */
static bool memo_keep(struct hc_root *root, struct memo_entry *e)
{
	struct memo *m = &root->memo;

	if (m->on && (m->n + 1) * 2 > m->cap) {
		size_t cap = m->cap ? m->cap * 2 : 64;
		struct memo_entry **v =
		    calloc(cap, sizeof(struct memo_entry *));

		if (v) {
			for (size_t i = 0; i < m->cap; i++)
				if (m->v[i])
					memo_place(v, cap, m->v[i]);
			free(m->v);
			m->v = v;
			m->cap = cap;
		}
	}
	if (!m->on || (m->n + 1) * 2 > m->cap)
		return false;
	memo_place(m->v, m->cap, e);
	m->n++;
	return true;
}

/* A new entry for PATH, or NULL (out of memory: then not remembered). */
static struct memo_entry *memo_entry(const char *path, bool list)
{
	struct memo_entry *e = calloc(1, sizeof(*e));

	if (e && (e->path = strdup(path)) == NULL) {
		free(e);
		e = NULL;
	}
	if (e)
		e->list = list;
	return e;
}

void hc_root_remember(struct hc_root *root, bool on)
{
	memo_forget(&root->memo);
	root->memo.on = on;
}

void hc_root_forget(struct hc_root *root)
{
	memo_forget(&root->memo);
}

int hc_root_open(struct hc_root **out, const char *path)
{
	struct hc_root *root;
	size_t len;

	*out = NULL;
	if ((root = calloc(1, sizeof(*root))) == NULL)
		return hc_error_oom();
	root->fd = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (root->fd < 0) {
		int code = errno == ENOENT ? HC_ENOTFOUND : HC_ERROR;

		hc_error_set_os(path, "cannot open root directory");
		free(root);
		return hc_error_set_code(code);
	}
	if ((root->prefix = hc_strdup(path)) == NULL) {
		hc_root_free(root);
		return HC_ERROR;
	}
	len = strlen(root->prefix);
	while (len > 0 && root->prefix[len - 1] == '/')
		root->prefix[--len] = '\0';
	*out = root;
	return 0;
}

void hc_root_free(struct hc_root *root)
{
	if (root == NULL)
		return;
	if (root->fd >= 0)
		close(root->fd);
	memo_forget(&root->memo);
	free(root->prefix);
	free(root);
}

const char *hc_root_prefix(const struct hc_root *root)
{
	return root->prefix;
}

int hc_root_display(struct hc_buf *out, const struct hc_root *root,
		    const char *path)
{
	(void)root;
	/*
	 * As ROOT sees it: an administrator reads "/etc/login.defs" of the
	 * image, not the temporary directory it was mounted on.
	 */
	hc_buf_clear(out);
	return hc_buf_printf(out, "%s%s", path[0] == '/' ? "" : "/", path);
}

/*
 * Whether the kernel resolves for us: openat2 came with Linux 5.6, and
 * valgrind does not know it.  Without it, walk() does the same work.
 */
static int kernel_resolves = -1; /* unknown until tried */

void hc_root_use_openat2(bool on)
{
	kernel_resolves = on ? -1 : 0;
}

#define MAX_LINKS 40 /* as the kernel's ELOOP */

/* Open the real directories DONE under ROOT, one by one, following nothing. */
static int reopen(struct hc_root *root, const struct hc_strlist *done)
{
	int fd = openat(root->fd, ".", O_PATH | O_DIRECTORY | O_CLOEXEC);

	for (size_t i = 0; i < done->n && fd >= 0; i++) {
		int next =
		    openat(fd, done->v[i],
			   O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

		close(fd);
		fd = next;
	}
	return fd;
}

/* Replace TODO with TARGET followed by what came after the link (REST). */
static int splice_link(struct hc_buf *todo, const char *target,
		       const char *rest)
{
	struct hc_buf next = HC_BUF_INIT;

	if (hc_buf_puts(&next, target) < 0 || hc_buf_puts(&next, "/") < 0 ||
	    hc_buf_puts(&next, rest) < 0) {
		hc_buf_release(&next);
		errno = ENOMEM;
		return -1;
	}
	hc_buf_release(todo);
	*todo = next;
	return 0;
}

/* Where a user-space walk has got to. */
struct walker {
	struct hc_root *root;
	struct hc_strlist done; /* components resolved, each a real directory */
	struct hc_buf todo;     /* the path still to resolve, from pos */
	size_t pos;
	int dfd;   /* the directory DONE names */
	int links; /* symlinks followed so far */
};

/* "..": up one directory, never above ROOT.  -1 with errno on failure. */
static int walk_up(struct walker *w)
{
	if (w->done.n == 0)
		return 0;
	free(w->done.v[--w->done.n]);
	close(w->dfd);
	w->dfd = reopen(w->root, &w->done);
	return w->dfd < 0 ? -1 : 0;
}

/* NAME in the current directory is a symlink: splice its target in. */
static int walk_link(struct walker *w, const char *name)
{
	char target[PATH_MAX];
	ssize_t n = readlinkat(w->dfd, name, target, sizeof(target) - 1);

	if (n < 0)
		return -1;
	target[n] = '\0';
	if (++w->links > MAX_LINKS) {
		errno = ELOOP;
		return -1;
	}
	if (splice_link(&w->todo, target, w->todo.ptr + w->pos) < 0)
		return -1;
	w->pos = 0;
	if (target[0] == '/') {
		/* Absolute: from ROOT again. */
		hc_strlist_release(&w->done);
		close(w->dfd);
		w->dfd = reopen(w->root, &w->done);
	}
	return w->dfd < 0 ? -1 : 0;
}

/* Into the directory NAME (taken over).  -1 with errno on failure. */
static int walk_down(struct walker *w, char *name)
{
	int fd =
	    openat(w->dfd, name, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

	if (fd < 0) {
		free(name);
		return -1;
	}
	if (hc_strlist_push_owned(&w->done, name) < 0) {
		close(fd);
		errno = ENOMEM;
		return -1;
	}
	close(w->dfd);
	w->dfd = fd;
	return 0;
}

/*
 * Take the next component of the path.  *fd becomes the open file once
 * the last one is reached; 1 means go on, 0 done, -1 failure (errno).
 */
static int walk_step(struct walker *w, int flags, int *fd)
{
	const char *s =
	    w->todo.ptr + w->pos + strspn(w->todo.ptr + w->pos, "/");
	size_t len = strcspn(s, "/");
	bool last = s[len + strspn(s + len, "/")] == '\0';
	struct stat st;
	char *name;

	if (len == 0) {
		*fd = openat(w->dfd, ".", flags);
		return *fd < 0 ? -1 : 0;
	}
	if ((name = strndup(s, len)) == NULL) {
		errno = ENOMEM;
		return -1;
	}
	w->pos = (size_t)(s + len - w->todo.ptr);
	if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0) {
		bool up = name[1] == '.';

		free(name);
		return up && walk_up(w) < 0 ? -1 : 1;
	}
	if (fstatat(w->dfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
		free(name);
		return -1;
	}
	if (S_ISLNK(st.st_mode)) {
		int r = walk_link(w, name);

		free(name);
		return r < 0 ? -1 : 1;
	}
	if (last) {
		*fd = openat(w->dfd, name, flags | O_NOFOLLOW);
		free(name);
		return *fd < 0 ? -1 : 0;
	}
	return walk_down(w, name) < 0 ? -1 : 1;
}

/*
 * What openat2's RESOLVE_IN_ROOT does, in user space: PATH resolved a
 * component at a time under ROOT, each symlink's target spliced in (an
 * absolute one from ROOT), ".." never above ROOT, every directory on
 * the way opened without following a link.  -1 with errno on failure.
 */
static int walk(struct hc_root *root, const char *path, int flags)
{
	struct walker w = {root, HC_STRLIST_INIT, HC_BUF_INIT, 0, -1, 0};
	int fd = -1, r, saved;

	if (hc_buf_puts(&w.todo, path) < 0 ||
	    (w.dfd = reopen(root, &w.done)) < 0) {
		hc_buf_release(&w.todo);
		return -1;
	}
	while ((r = walk_step(&w, flags, &fd)) > 0)
		;
	saved = errno;
	if (w.dfd >= 0)
		close(w.dfd);
	hc_strlist_release(&w.done);
	hc_buf_release(&w.todo);
	errno = saved;
	return r == 0 ? fd : -1;
}

/*
 * Open PATH under ROOT.  The caller sets the error message, since only
 * it knows what it was doing; errno is kept.
 */
static int open_in_root(struct hc_root *root, const char *path, int flags)
{
	struct open_how how;
	int fd;

	/* openat2 refuses O_PATH with any flag that has no meaning for it. */
	if (!(flags & O_PATH))
		flags |= O_NOCTTY;
	flags |= O_CLOEXEC;
	while (*path == '/')
		path++;
	if (*path == '\0')
		path = ".";
	if (kernel_resolves != 0) {
		memset(&how, 0, sizeof(how));
		how.flags = (unsigned long long)flags;
		how.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS;
		fd = (int)syscall(SYS_openat2, root->fd, path, &how,
				  sizeof(how));
		if (fd >= 0 || errno != ENOSYS) {
			kernel_resolves = 1;
			return fd;
		}
		kernel_resolves = 0;
	}
	return walk(root, path, flags);
}

int hc_root_read_fp(char *fp, size_t len, const struct hc_buf *data,
		    const struct stat *st)
{
	struct hc_sha256 sha;

	if (len < HC_SHA256_HEXLEN + 2)
		return HC_ERROR;
	if (hc_sha256(&sha, data->ptr, data->size) < 0)
		return HC_ERROR;
	hc_sha256_hex(fp, &sha);
	fp[HC_SHA256_HEXLEN] = ':';
	hc_root_stat_fp(fp + HC_SHA256_HEXLEN + 1, len - HC_SHA256_HEXLEN - 1,
			st);
	return 0;
}

void hc_root_stat_fp(char *fp, size_t len, const struct stat *st)
{
	/* The inode too: whether two paths are one file (a hard link, a
	 * link) is what a rule may judge, as snmp's includes do. */
	snprintf(fp, len, "%o:%u:%u:%lx", (unsigned int)st->st_mode,
		 (unsigned int)st->st_uid, (unsigned int)st->st_gid,
		 (unsigned long)st->st_ino);
}

/* The SHA-256 of NAMES (sorted), each ended by a NUL, in hex, into FP. */
static int names_fp(char fp[HC_SHA256_HEXLEN + 1],
		    const struct hc_strlist *names)
{
	struct hc_buf all = HC_BUF_INIT;
	struct hc_sha256 sha;
	int error = 0;

	for (size_t i = 0; i < names->n && error == 0; i++)
		error = hc_buf_put(&all, names->v[i], strlen(names->v[i]) + 1);
	if (error == 0 && (error = hc_sha256(&sha, all.ptr, all.size)) == 0)
		hc_sha256_hex(fp, &sha);
	hc_buf_release(&all);
	return error;
}

/*
 * The names in the directory open at FD (taken over, closed here) but
 * "." and "..", sorted, appended to NAMES.  -1 with errno on failure.
 */
static int read_dir(struct hc_strlist *names, int fd)
{
	struct dirent *de;
	DIR *dp;
	int saved, error = 0;

	if (fd < 0)
		return -1;
	if ((dp = fdopendir(fd)) == NULL) {
		saved = errno;
		close(fd);
		errno = saved;
		return -1;
	}
	while (error == 0 && (errno = 0, de = readdir(dp)) != NULL)
		if (strcmp(de->d_name, ".") != 0 &&
		    strcmp(de->d_name, "..") != 0 &&
		    hc_strlist_push(names, de->d_name) < 0) {
			errno = ENOMEM;
			error = -1;
		}
	if (error == 0 && errno)
		error = -1;
	saved = errno;
	closedir(dp);
	errno = saved;
	hc_strlist_sort(names);
	return error;
}

/*
 * read_dir() of the directory open at DIRFD, through a second open of
 * it: the caller's descriptor and position stay its own.
 */
static int read_names(struct hc_strlist *names, int dirfd)
{
	return read_dir(names,
			openat(dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC));
}

/*
 * The SHA-256 of the names in the directory open at DIRFD (but "." and
 * ".."), sorted, each ended by a NUL, into FP.
 */
static int list_fp(char fp[HC_SHA256_HEXLEN + 1], int dirfd)
{
	struct hc_strlist names = HC_STRLIST_INIT;
	int error;

	if (read_names(&names, dirfd) < 0) {
		hc_error_set_os(NULL, "cannot list a directory");
		error = HC_ERROR;
	} else {
		error = names_fp(fp, &names);
	}
	hc_strlist_release(&names);
	return error;
}

/* Note the directory open at DIRFD, PATH in ROOT, as listed. */
static void trace_list(int dirfd, const char *path)
{
	char fp[HC_SHA256_HEXLEN + 1];

	if (!hc_trace_on())
		return;
	if (list_fp(fp, dirfd) < 0) {
		hc_error_clear();
		hc_trace_doubt();
		return;
	}
	hc_trace_dep(HC_TRACE_LIST, path, fp);
}

static int os_error(struct hc_root *root, const char *path, const char *what)
{
	int code =
	    errno == ENOENT || errno == ENOTDIR ? HC_ENOTFOUND : HC_ERROR;
	struct hc_buf display = HC_BUF_INIT;
	int saved = errno;

	/* A path probed and not there is something a check depends on;
	 * noted first, so that nothing the note does touches the error. */
	if (code == HC_ENOTFOUND)
		hc_trace_dep(HC_TRACE_ABSENT, path, "-");
	else
		hc_trace_doubt();
	errno = saved;
	if (hc_root_display(&display, root, path) == 0)
		hc_error_set_os(display.ptr, "%s", what);
	hc_buf_release(&display);
	return hc_error_set_code(code);
}

int hc_root_read(struct hc_buf *out, struct stat *st, struct hc_root *root,
		 const char *path)
{
	struct hc_buf display = HC_BUF_INIT;
	struct stat sb;
	int fd, error = 0;

	hc_buf_clear(out);
	if ((fd = open_in_root(root, path, O_RDONLY | O_NONBLOCK)) < 0)
		return os_error(root, path, "cannot open");
	if (fstat(fd, &sb) < 0) {
		error = os_error(root, path, "cannot stat");
		goto out;
	}
	if (!S_ISREG(sb.st_mode) || (size_t)sb.st_size > HC_ROOT_MAX_FILE) {
		hc_trace_doubt();
		if ((error = hc_root_display(&display, root, path)) < 0)
			goto out;
		if (!S_ISREG(sb.st_mode))
			hc_error_set_at(display.ptr, 0, "not a regular file");
		else
			hc_error_set_at(display.ptr, 0, "larger than %u bytes",
					HC_ROOT_MAX_FILE);
		error = hc_error_set_code(HC_EUNSAFE);
		goto out;
	}
	if ((error = hc_buf_grow(out, (size_t)sb.st_size)) < 0 ||
	    (error = hc_root_display(&display, root, path)) < 0 ||
	    (error = hc_buf_read_fd(out, fd, HC_ROOT_MAX_FILE, display.ptr)) <
		0)
		goto out;
	if (st)
		*st = sb;
	if (hc_trace_on()) {
		char fp[HC_ROOT_READ_FP];

		if (hc_root_read_fp(fp, sizeof(fp), out, &sb) == 0) {
			hc_trace_dep(HC_TRACE_READ, path, fp);
		} else {
			hc_error_clear();
			hc_trace_doubt();
		}
	}
out:
	hc_buf_release(&display);
	close(fd);
	return error;
}

/* Note PATH's status ST as a dependency, when tracing. */
static void trace_stat(const char *path, const struct stat *st)
{
	char fp[64];

	if (!hc_trace_on())
		return;
	hc_root_stat_fp(fp, sizeof(fp), st);
	hc_trace_dep(HC_TRACE_STAT, path, fp);
}

int hc_root_lstat(struct stat *st, struct hc_root *root, const char *path)
{
	const char *slash = strrchr(path, '/');
	struct hc_buf dir = HC_BUF_INIT;
	struct memo_entry *e;
	bool found;
	int fd, err, error = 0;

	if (slash == NULL || slash[1] == '\0') {
		hc_error_set("'%s' is not an absolute file path", path);
		return hc_error_set_code(HC_EINVALID);
	}
	if ((e = memo_find(root, path, false)) != NULL) {
		/* As first found, noted as then. */
		if (e->absent) {
			errno = e->absent;
			return os_error(root, path, "cannot stat");
		}
		*st = e->st;
		trace_stat(path, st);
		return 0;
	}
	if ((error = hc_buf_put(&dir, path, (size_t)(slash - path))) < 0)
		return error;
	fd = open_in_root(root, hc_buf_cstr(&dir), O_PATH | O_DIRECTORY);
	found = fd >= 0 && fstatat(fd, slash + 1, st, AT_SYMLINK_NOFOLLOW) == 0;
	err = found ? 0 : errno ? errno : EIO;
	if (fd >= 0)
		close(fd);
	hc_buf_release(&dir);
	/* Absent is remembered; any other failure is asked again. */
	if ((err == 0 || err == ENOENT || err == ENOTDIR) && root->memo.on &&
	    (e = memo_entry(path, false)) != NULL) {
		e->absent = err;
		if (found)
			e->st = *st;
		if (!memo_keep(root, e))
			memo_entry_free(e);
	}
	if (!found) {
		errno = err;
		return os_error(root, path, "cannot stat");
	}
	trace_stat(path, st);
	return 0;
}

int hc_root_readlink(struct hc_buf *out, struct hc_root *root, const char *path)
{
	const char *slash = strrchr(path, '/');
	struct hc_buf dir = HC_BUF_INIT;
	char target[PATH_MAX];
	ssize_t n = -1;
	int fd, error;

	if ((error = hc_buf_put(&dir, path,
				slash > path ? (size_t)(slash - path) : 1)) < 0)
		return error;
	if ((fd = open_in_root(root, dir.ptr, O_PATH | O_DIRECTORY)) >= 0) {
		n = readlinkat(fd, slash + 1, target, sizeof(target));
		close(fd);
	}
	hc_buf_release(&dir);
	if (n < 0)
		return os_error(root, path, "cannot read link");
	if ((size_t)n >= sizeof(target)) {
		errno = ENAMETOOLONG;
		return os_error(root, path, "cannot read link");
	}
	if (hc_trace_on())
		hc_trace_bytes(HC_TRACE_LINK, path, target, (size_t)n);
	return hc_buf_set(out, target, (size_t)n);
}

int hc_root_state(struct hc_file_state *out, struct hc_root *root,
		  const char *path)
{
	struct stat st;
	int error;

	out->exists = out->link = false;
	hc_buf_clear(&out->data);
	error = hc_root_lstat(&st, root, path);
	if (error == HC_ENOTFOUND) {
		hc_error_clear();
		return 0;
	}
	if (error < 0)
		return error;
	if (S_ISLNK(st.st_mode)) {
		if ((error = hc_root_readlink(&out->data, root, path)) < 0)
			return error;
		out->link = true;
	} else if ((error = hc_root_read(&out->data, &st, root, path)) < 0) {
		return error;
	}
	out->exists = true;
	out->mode = st.st_mode & 07777;
	out->uid = st.st_uid;
	out->gid = st.st_gid;
	return 0;
}

int hc_root_opendir_read(int *fd, struct hc_root *root, const char *path)
{
	if ((*fd = open_in_root(root, path, O_RDONLY | O_DIRECTORY)) < 0)
		return os_error(root, path, "cannot open directory");
	trace_list(*fd, path);
	return 0;
}

int hc_root_opendir(int *fd, struct hc_root *root, const char *path)
{
	/* What is written through it is no longer what was found. */
	memo_forget(&root->memo);
	return hc_root_opendir_read(fd, root, path);
}

int hc_root_list_fp(char fp[HC_SHA256_HEXLEN + 1], struct hc_root *root,
		    const char *path)
{
	int fd, error;

	if ((fd = open_in_root(root, path, O_RDONLY | O_DIRECTORY)) < 0)
		return os_error(root, path, "cannot open directory");
	error = list_fp(fp, fd);
	close(fd);
	return error;
}

static int glob_in(struct hc_strlist *out, struct hc_root *root,
		   struct hc_buf *dir, const char *rest);

/* DIR/COMP with COMP free of magic: follow it if it exists. */
static int glob_literal(struct hc_strlist *out, struct hc_root *root,
			struct hc_buf *dir, const char *comp, const char *next)
{
	struct stat st;
	int error;

	if ((error = hc_buf_printf(dir, "/%s", comp)) < 0)
		return error;
	if (next)
		return glob_in(out, root, dir, next);
	if ((error = hc_root_lstat(&st, root, dir->ptr)) == 0)
		return hc_strlist_push(out, dir->ptr);
	if (error == HC_ENOTFOUND) {
		hc_error_clear();
		return 0;
	}
	return error;
}

/* Note the listing NAMES of PATH, its fingerprint in FP (computed if empty). */
static void trace_names(const char *path, const struct hc_strlist *names,
			char fp[HC_SHA256_HEXLEN + 1])
{
	if (!hc_trace_on())
		return;
	if (fp[0] == '\0' && names_fp(fp, names) < 0) {
		fp[0] = '\0';
		hc_error_clear();
		hc_trace_doubt();
		return;
	}
	hc_trace_dep(HC_TRACE_LIST, path, fp);
}

/*
 * The names in directory PATH of ROOT ("." and ".." left out), sorted:
 * *OUT is the memo's list, or TMP, filled here, when ROOT does not
 * remember it (the caller releases TMP; *OUT is TMP on failure).  The listing
 * is noted, or PATH as absent.  0; HC_ENOTFOUND (WHAT the message) when PATH is
 * absent or no directory; HC_ERROR.
 */
static int names_in(const struct hc_strlist **out, struct hc_strlist *tmp,
		    struct hc_root *root, const char *path, const char *what)
{
	struct memo_entry *e = memo_find(root, path, true);
	char fp[HC_SHA256_HEXLEN + 1] = "";
	int err = 0;

	*out = tmp;
	if (e == NULL) {
		if (read_dir(tmp, open_in_root(root, path,
					       O_RDONLY | O_DIRECTORY)) < 0)
			err = errno;
		if (err && err != ENOENT && err != ENOTDIR) {
			errno = err;
			return os_error(root, path, what);
		}
		if (root->memo.on && (e = memo_entry(path, true)) != NULL) {
			e->absent = err;
			e->names = *tmp;
			*tmp = (struct hc_strlist)HC_STRLIST_INIT;
			if (!memo_keep(root, e)) {
				*tmp = e->names;
				e->names = (struct hc_strlist)HC_STRLIST_INIT;
				memo_entry_free(e);
				e = NULL;
			}
		}
	}
	if (e)
		err = e->absent;
	if (err) {
		errno = err;
		return os_error(root, path, what);
	}
	*out = e ? &e->names : tmp;
	trace_names(path, *out, e ? e->fp : fp);
	return 0;
}

int hc_root_list(struct hc_strlist *out, struct hc_root *root, const char *path)
{
	struct hc_strlist tmp = HC_STRLIST_INIT;
	const struct hc_strlist *names;
	int error = names_in(&names, &tmp, root, path, "cannot open directory");

	for (size_t i = 0; error == 0 && i < names->n; i++)
		error = hc_strlist_push(out, names->v[i]);
	hc_strlist_release(&tmp);
	return error;
}

/* The names in directory DIR that PATTERN matches, sorted. */
static int list_matches(struct hc_strlist *out, struct hc_root *root,
			const char *dir, const char *pattern)
{
	struct hc_strlist tmp = HC_STRLIST_INIT;
	const struct hc_strlist *names;
	int error = names_in(&names, &tmp, root, dir, "cannot open");

	if (error == HC_ENOTFOUND) {
		/* Noted as absent: it matches nothing. */
		hc_error_clear();
		return 0;
	}
	for (size_t i = 0; error == 0 && i < names->n; i++) {
		const char *name = names->v[i];

		if (name[0] == '.' && pattern[0] != '.')
			continue;
		if (fnmatch(pattern, name, FNM_PERIOD) == 0)
			error = hc_strlist_push(out, name);
	}
	hc_strlist_release(&tmp);
	return error;
}

/*
 * Append to OUT every path DIR/REST matches, where DIR is a directory
 * path without magic and REST the remaining pattern components.
 */
static int glob_in(struct hc_strlist *out, struct hc_root *root,
		   struct hc_buf *dir, const char *rest)
{
	const char *slash = strchr(rest, '/');
	const char *next = slash ? slash + 1 : NULL;
	size_t complen = slash ? (size_t)(slash - rest) : strlen(rest);
	size_t dirlen = dir->size;
	struct hc_strlist names = HC_STRLIST_INIT;
	char comp[NAME_MAX + 1];
	int error = 0;

	if (complen == 0) /* "//" or a trailing slash */
		return next ? glob_in(out, root, dir, next) : 0;
	if (complen > NAME_MAX)
		return 0;
	memcpy(comp, rest, complen);
	comp[complen] = '\0';

	if (strpbrk(comp, "*?[") == NULL) {
		error = glob_literal(out, root, dir, comp, next);
	} else if ((error = list_matches(&names, root, dirlen ? dir->ptr : "/",
					 comp)) == 0) {
		for (size_t i = 0; i < names.n && error == 0; i++) {
			dir->size = dirlen;
			if ((error = hc_buf_printf(dir, "/%s", names.v[i])) < 0)
				break;
			error = next ? glob_in(out, root, dir, next)
				     : hc_strlist_push(out, dir->ptr);
		}
	}
	hc_strlist_release(&names);
	dir->size = dirlen;
	if (dir->ptr)
		dir->ptr[dirlen] = '\0';
	return error;
}

int hc_root_glob(struct hc_strlist *out, struct hc_root *root,
		 const char *pattern)
{
	struct hc_buf dir = HC_BUF_INIT;
	int error;

	if (pattern[0] != '/') {
		hc_error_set("'%s' is not an absolute path pattern", pattern);
		return hc_error_set_code(HC_EINVALID);
	}
	error = glob_in(out, root, &dir, pattern + 1);
	hc_buf_release(&dir);
	return error;
}

int hc_path_clean(struct hc_buf *out, const char *path)
{
	const char *p = path;
	int error = 0;

	hc_buf_clear(out);
	while (*p && error == 0) {
		size_t len;

		p += strspn(p, "/");
		len = strcspn(p, "/");
		if (len == 0 || (len == 1 && p[0] == '.')) {
			/* nothing to keep */
		} else if (len == 2 && p[0] == '.' && p[1] == '.') {
			while (out->size > 0 && out->ptr[out->size - 1] != '/')
				out->size--;
			if (out->size > 0)
				out->size--;
			if (out->ptr)
				out->ptr[out->size] = '\0';
		} else if ((error = hc_buf_puts(out, "/")) == 0) {
			error = hc_buf_put(out, p, len);
		}
		p += len;
	}
	if (error == 0 && out->size == 0)
		error = hc_buf_puts(out, "/");
	return error;
}
