/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The front's note of the library versions (see libversions.h).  The
 * note is the three library paths the loader mapped, the versions the
 * libraries reported, and the identities (device, inode, size, mtime,
 * ctime) of the files that decide what the loader maps for the three
 * sonames, which must be the same when the note is read:
 * /etc/ld.so.cache (ldconfig rewrites it whenever a library is
 * installed or removed), /etc/ld.so.preload, and the libraries (an
 * upgrade replaces the file: another inode, another ctime).  The
 * sonames are noted too.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "hardctl/cache.h"
#include "libversions.h"

#define MAGIC "hardctl library versions 2"
#define LD_CACHE "/etc/ld.so.cache"
#define LD_PRELOAD_FILE "/etc/ld.so.preload"

int hc_libversions_path(struct hc_buf *out, bool create)
{
	int error;

	hc_buf_clear(out);
	if (getenv("LD_LIBRARY_PATH") || getenv("LD_PRELOAD") ||
	    getenv("LD_AUDIT")) {
		hc_error_set("the environment chooses the libraries");
		return hc_error_set_code(HC_ENOTFOUND);
	}
	/* The verified cache's directory: the caller's alone. */
	if ((error = hc_cache_dir(out, create)) < 0)
		return error;
	return hc_buf_puts(out, "/libversions");
}

/* PATH's identity, one line into OUT; "PATH -" when it does not exist. */
static int identity(struct hc_buf *out, const char *path)
{
	struct stat st;

	if (stat(path, &st) < 0)
		return errno == ENOENT ? hc_buf_printf(out, "%s -\n", path)
				       : HC_ERROR;
	return hc_buf_printf(out, "%s %ju %ju %jd %lld.%09ld %lld.%09ld\n",
			     path, (uintmax_t)st.st_dev, (uintmax_t)st.st_ino,
			     (intmax_t)st.st_size, (long long)st.st_mtim.tv_sec,
			     st.st_mtim.tv_nsec, (long long)st.st_ctim.tv_sec,
			     st.st_ctim.tv_nsec);
}

/* The identities of what decides the libraries FILES, into OUT. */
static int identities(struct hc_buf *out, const char *const files[HC_LIB_COUNT])
{
	int error = hc_buf_printf(out, "%s %s %s\n", HARDCTL_AUGEAS_SONAME,
				  HARDCTL_LIBGIT2_SONAME,
				  HARDCTL_LIBCRYPTO_SONAME) < 0 ||
		    identity(out, LD_CACHE) < 0 ||
		    identity(out, LD_PRELOAD_FILE) < 0;

	for (size_t i = 0; i < HC_LIB_COUNT && !error; i++)
		error = identity(out, files[i]) < 0;
	if (error) {
		hc_error_set("cannot tell the libraries' files");
		return hc_error_set_code(HC_ENOTFOUND);
	}
	return 0;
}

/* The next line of *P into *LINE (NUL-terminated in place); 0 or -1. */
static int next_line(char **line, char **p)
{
	char *nl = strchr(*p, '\n');

	if (nl == NULL)
		return -1;
	*nl = '\0';
	*line = *p;
	*p = nl + 1;
	return 0;
}

/* Open PATH, the note, when it is this user's alone; -1 otherwise. */
static int open_note(const char *path)
{
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	struct stat st;

	if (fd < 0)
		return -1;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) ||
	    st.st_uid != geteuid() || (st.st_mode & 022) != 0 ||
	    st.st_size > 4096) {
		close(fd);
		return -1;
	}
	return fd;
}

/* A version line of LINE into OUT (SIZE bytes); -1 if empty or too long. */
static int copy_version(char *out, size_t size, const char *line)
{
	size_t n = strlen(line);

	if (n == 0 || n >= size)
		return -1;
	memcpy(out, line, n + 1);
	return 0;
}

int hc_libversions_read(struct hc_libversions *out, const char *path)
{
	struct hc_buf note = HC_BUF_INIT, now = HC_BUF_INIT;
	char *p, *magic, *files[HC_LIB_COUNT], *aug, *git, *ssl, end;
	int fd = open_note(path), error = HC_ENOTFOUND;

	memset(out, 0, sizeof(*out));
	if (fd < 0 || hc_buf_read_fd(&note, fd, 4096, path) < 0 ||
	    note.ptr == NULL)
		goto out;
	p = note.ptr;
	if (next_line(&magic, &p) < 0 || strcmp(magic, MAGIC) != 0)
		goto out;
	for (size_t i = 0; i < HC_LIB_COUNT; i++)
		if (next_line(&files[i], &p) < 0 || files[i][0] != '/')
			goto out;
	if (next_line(&aug, &p) < 0 ||
	    copy_version(out->augeas, sizeof(out->augeas), aug) < 0 ||
	    next_line(&git, &p) < 0 ||
	    sscanf(git, "%d.%d.%d%c", &out->git[0], &out->git[1], &out->git[2],
		   &end) != 3 ||
	    next_line(&ssl, &p) < 0 ||
	    copy_version(out->openssl, sizeof(out->openssl), ssl) < 0)
		goto out;
	/* The rest: the identities when noted, as they must be now. */
	if (identities(&now, (const char *const *)files) < 0 ||
	    strcmp(p, now.ptr) != 0)
		goto out;
	error = 0;
out:
	if (fd >= 0)
		close(fd);
	hc_buf_release(&note);
	hc_buf_release(&now);
	if (error < 0) {
		memset(out, 0, sizeof(*out));
		hc_error_set("'%s': no note of these libraries", path);
		hc_error_set_code(error);
	}
	return error;
}

/*
 * Whether the loader's cache names PATH: then, while the cache is the
 * same file, the loader maps PATH for its soname.
 */
static bool ld_cache_names(const char *path)
{
	struct hc_buf cache = HC_BUF_INIT;
	int fd = open(LD_CACHE, O_RDONLY | O_CLOEXEC);
	bool found = false;

	if (fd >= 0 && hc_buf_read_fd(&cache, fd, 16u << 20, LD_CACHE) == 0 &&
	    cache.ptr) {
		size_t len = strlen(path) + 1; /* with its NUL */

		for (const char *at = cache.ptr; !found && at;) {
			at = memmem(at, cache.size - (size_t)(at - cache.ptr),
				    path, len);
			if (at) {
				found = at == cache.ptr || at[-1] == '\0';
				at++;
			}
		}
	}
	if (fd >= 0)
		close(fd);
	hc_buf_release(&cache);
	return found;
}

/* Whether V and FILES can be noted, one line each, and are the cache's. */
static bool notable(const struct hc_libversions *v,
		    const char *const files[HC_LIB_COUNT])
{
	if (v->augeas[0] == '\0' || v->openssl[0] == '\0' ||
	    strchr(v->augeas, '\n') || strchr(v->openssl, '\n'))
		return false;
	for (size_t i = 0; i < HC_LIB_COUNT; i++)
		if (strchr(files[i], '\n') || !ld_cache_names(files[i]))
			return false;
	return true;
}

int hc_libversions_write(const char *path, const struct hc_libversions *v,
			 const char *const files[HC_LIB_COUNT])
{
	struct hc_buf note = HC_BUF_INIT;
	char tmp[PATH_MAX];
	const char *slash = strrchr(path, '/');
	bool written;
	int fd = -1, error;

	tmp[0] = '\0';
	if (slash == NULL || !notable(v, files)) {
		hc_error_set("the libraries are not the loader cache's");
		error = HC_ERROR;
		goto out;
	}
	if ((error = hc_buf_printf(
		 &note, MAGIC "\n%s\n%s\n%s\n%s\n%d.%d.%d\n%s\n",
		 files[HC_LIB_AUGEAS], files[HC_LIB_GIT], files[HC_LIB_OPENSSL],
		 v->augeas, v->git[0], v->git[1], v->git[2], v->openssl)) < 0 ||
	    (error = identities(&note, files)) < 0)
		goto out;
	if (snprintf(tmp, sizeof(tmp), "%s.XXXXXX", path) >= (int)sizeof(tmp) ||
	    (fd = mkstemp(tmp)) < 0) {
		tmp[0] = '\0';
		hc_error_set_os(path, "cannot write");
		error = HC_ERROR;
		goto out;
	}
	written = write(fd, note.ptr, note.size) == (ssize_t)note.size;
	if (close(fd) < 0)
		written = false;
	fd = -1;
	if (!written || rename(tmp, path) < 0) {
		hc_error_set_os(path, "cannot write");
		error = HC_ERROR;
		goto out;
	}
	tmp[0] = '\0';
out:
	if (fd >= 0)
		close(fd);
	if (tmp[0])
		unlink(tmp);
	hc_buf_release(&note);
	return error;
}
