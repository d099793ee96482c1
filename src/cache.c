/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The verified cache (see hardctl/cache.h).
 *
 * An entry is a file of the cache directory named by the HMAC of the
 * invocation it answers, under the host key:
 *
 *	hardctl-cache 1
 *	self PATH		the full program that wrote it
 *	root PATH		ROOT as the invocation named it
 *	date YYYY-MM-DD		today, as waivers see it
 *	exit N
 *	held 0|1		whether the output was held to the end (JSON)
 *	KIND FP PATH		one line per dependency (hc_trace_deps())
 *	...
 *	out N			then N bytes of standard output and "\n"
 *	err N			then N bytes of standard error and "\n"
 *	mac HEX			HMAC-SHA256 of the invocation and all above
 *
 * Paths are escaped as the trace escapes them: no line holds a space
 * or a control character but where the format puts one.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <link.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "hardctl/cache.h"
#include "hardctl/front.h"
#include "hardctl/hash.h"
#include "hardctl/root.h"
#include "hardctl/trace.h"

#define MAGIC "hardctl-cache 1\n"
#define KEY_LEN 32
#define ENTRY_MAX (16u << 20)
#define ENTRIES_MAX 256

/*
 * The environment that shapes check's answer or its layout, or chooses
 * the libraries the full program runs with.
 */
static const char *const shaping_env[] = {
    "COLUMNS",
    "NO_COLOR",
    "TZ",
    "HARDCTL_SITE_TAILORING",
    "HARDCTL_SSHD",
    "HARDCTL_CACHE_DIR",
    "LD_LIBRARY_PATH",
    "LD_PRELOAD",
    "LD_AUDIT",
};

/*
 * What makes Augeas look elsewhere for lenses (AUGEAS_LENS_LIB) or
 * write what no answer keeps (its debugging): shaping too, and no
 * answer is kept while one is set.
 */
static const char *const augeas_env[] = {
    "AUGEAS_LENS_LIB", "AUGEAS_DEBUG", "AUGEAS_DEBUG_DIR",
    "YYDEBUG",         "FA_DOT_DIR",
};

void hc_today(char out[11])
{
	time_t now = time(NULL);
	struct tm tm;

	/* Unknown, no waiver is in force. */
	if (localtime_r(&now, &tm) == NULL ||
	    strftime(out, 11, "%Y-%m-%d", &tm) != 10)
		memcpy(out, "9999-12-31", 11);
}

/*
 * The run's invocation, taken before getopt() permutes argv, and its
 * standard error, as said through hc_cache_say().
 */
static struct {
	bool on;
	bool lost;
	struct hc_buf said;
	struct hc_buf inv;
} capture = {false, false, HC_BUF_INIT, HC_BUF_INIT};

static int invocation(struct hc_buf *out, int argc, char **argv);

void hc_cache_say(const char *text)
{
	fputs(text, stderr);
	if (capture.on && hc_buf_puts(&capture.said, text) < 0)
		capture.lost = true;
}

void hc_cache_begin(int argc, char **argv)
{
	hc_buf_clear(&capture.said);
	hc_buf_clear(&capture.inv);
	capture.on = true;
	capture.lost = invocation(&capture.inv, argc, argv) != 0;
}

/*
 * The cache directory, into OUT: HARDCTL_CACHE_DIR (empty: none), else
 * /var/cache/hardctl for root, else $XDG_CACHE_HOME/hardctl or
 * ~/.cache/hardctl.  1 when there is none.
 */
static int cache_dir(struct hc_buf *out)
{
	const char *dir = getenv("HARDCTL_CACHE_DIR"), *home;

	if (dir)
		return dir[0] ? hc_buf_puts(out, dir) : 1;
	if (geteuid() == 0)
		return hc_buf_puts(out, "/var/cache/hardctl");
	if ((home = getenv("XDG_CACHE_HOME")) != NULL && home[0] == '/')
		return hc_buf_printf(out, "%s/hardctl", home);
	if ((home = getenv("HOME")) != NULL && home[0] == '/')
		return hc_buf_printf(out, "%s/.cache/hardctl", home);
	return 1;
}

/* Whether ST is ours alone: owned by us, nothing for group or others. */
static bool private(const struct stat *st)
{
	return st->st_uid == geteuid() && (st->st_mode & 077) == 0;
}

/*
 * Open the cache directory DIR, making it (and, in a home, its parent)
 * when CREATE; -1 unless it is a directory of ours alone.
 */
static int open_dir(const char *dir, bool create)
{
	struct stat st;
	int fd;

	if (create && mkdir(dir, 0700) < 0 && errno == ENOENT) {
		char parent[PATH_MAX];
		const char *slash = strrchr(dir, '/');

		if (slash && slash > dir &&
		    (size_t)(slash - dir) < sizeof(parent)) {
			memcpy(parent, dir, (size_t)(slash - dir));
			parent[slash - dir] = '\0';
			if (mkdir(parent, 0700) == 0)
				(void)mkdir(dir, 0700);
		}
	}
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return -1;
	if (fstat(fd, &st) < 0 || !S_ISDIR(st.st_mode) || !private(&st)) {
		close(fd);
		return -1;
	}
	return fd;
}

int hc_cache_dir(struct hc_buf *out, bool create)
{
	int fd;

	hc_buf_clear(out);
	if (cache_dir(out) != 0 || (fd = open_dir(out->ptr, create)) < 0) {
		hc_buf_clear(out);
		hc_error_set("no cache directory of uid %u's own",
			     (unsigned int)geteuid());
		return hc_error_set_code(HC_ENOTFOUND);
	}
	close(fd);
	return 0;
}

/* Read the host key from DIRFD; -1 unless it is a private 32-byte file. */
static int read_key(unsigned char key[KEY_LEN], int dirfd)
{
	struct stat st;
	int fd = openat(dirfd, "key", O_RDONLY | O_NOFOLLOW | O_CLOEXEC);

	if (fd < 0)
		return -1;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || !private(&st) ||
	    st.st_size != KEY_LEN || read(fd, key, KEY_LEN) != KEY_LEN) {
		close(fd);
		return -1;
	}
	close(fd);
	return 0;
}

/*
 * The host key, made when there is none (or a damaged one): random
 * bytes written to a private file and renamed into place.
 */
static int make_key(unsigned char key[KEY_LEN], int dirfd)
{
	char tmp[32];
	int fd;

	if (read_key(key, dirfd) == 0)
		return 0;
	if (getrandom(key, KEY_LEN, 0) != KEY_LEN)
		return -1;
	snprintf(tmp, sizeof(tmp), "key.%ld", (long)getpid());
	fd = openat(dirfd, tmp,
		    O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0)
		return -1;
	if (write(fd, key, KEY_LEN) != KEY_LEN || fsync(fd) < 0 ||
	    close(fd) < 0 || renameat(dirfd, tmp, dirfd, "key") < 0) {
		unlinkat(dirfd, tmp, 0);
		return -1;
	}
	/* Another hardctl may have won the race: use what is there. */
	return read_key(key, dirfd);
}

/*
 * Variable NAME's VALUE onto OUT.  The loader reads LD_PRELOAD and
 * LD_AUDIT as lists split at colons and blanks, empty items ignored
 * (and valgrind adds a colon to them across an exec): those are put as
 * the list they are, so that one list never keys two ways.
 */
static int put_env_value(struct hc_buf *out, const char *name,
			 const char *value)
{
	int error = 0;
	bool first = true;

	if (strcmp(name, "LD_PRELOAD") != 0 && strcmp(name, "LD_AUDIT") != 0)
		return hc_buf_puts(out, value);
	while (*value && error == 0) {
		size_t n = strcspn(value, ": \t");

		if (n) {
			error = first ? 0 : hc_buf_puts(out, ":");
			if (error == 0)
				error = hc_buf_put(out, value, n);
			first = false;
		}
		value += n;
		value += strspn(value, ": \t");
	}
	return error;
}

/* Variable NAME, set to its value or unset, onto OUT. */
static int put_env(struct hc_buf *out, const char *name)
{
	const char *v = getenv(name);
	int error = hc_buf_printf(out, "%c%s%c", '\0', name, v ? '=' : '-');

	if (error == 0 && v)
		error = put_env_value(out, name, v);
	return error;
}

/*
 * What the answer depends on besides ROOT: the arguments, the working
 * directory (a relative --root), who asks, the environment that shapes
 * it and the terminal it goes to.  Into OUT, NUL-separated.
 */
static int invocation(struct hc_buf *out, int argc, char **argv)
{
	char cwd[PATH_MAX];
	gid_t groups[256];
	int ngroups = getgroups((int)HC_ARRAY_SIZE(groups), groups);
	struct winsize ws;
	int error = hc_buf_put(out, MAGIC HARDCTL_VERSION,
			       sizeof(MAGIC HARDCTL_VERSION));

	for (int i = 1; i < argc && error == 0; i++)
		error = hc_buf_put(out, argv[i], strlen(argv[i]) + 1);
	if (error == 0 && (getcwd(cwd, sizeof(cwd)) == NULL || ngroups < 0))
		return 1;
	if (error == 0)
		error = hc_buf_printf(out, "%c%s%cuid %u gid %u", '\1', cwd,
				      '\0', (unsigned int)geteuid(),
				      (unsigned int)getegid());
	for (int i = 0; i < ngroups && error == 0; i++)
		error = hc_buf_printf(out, " %u", (unsigned int)groups[i]);
	for (size_t i = 0; i < HC_ARRAY_SIZE(shaping_env) && error == 0; i++)
		error = put_env(out, shaping_env[i]);
	for (size_t i = 0; i < HC_ARRAY_SIZE(augeas_env) && error == 0; i++)
		error = put_env(out, augeas_env[i]);
	if (error == 0)
		error = hc_buf_printf(
		    out, "%ctty %d %d %d", '\0', isatty(STDIN_FILENO),
		    isatty(STDOUT_FILENO), isatty(STDERR_FILENO));
	if (error == 0 && isatty(STDOUT_FILENO) &&
	    ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0)
		error = hc_buf_printf(out, " %u", (unsigned int)ws.ws_col);
	return error;
}

/* HMAC-SHA256 under KEY of A then B, into MAC. */
static int mac_of(unsigned char mac[32], const unsigned char key[KEY_LEN],
		  const struct hc_buf *a, const char *b, size_t blen)
{
	const struct hc_bytes parts[] = {{a->ptr, a->size}, {b, blen}};

	return hc_hmac_sha256(mac, key, KEY_LEN, parts, 2) < 0 ? -1 : 0;
}

static void hex(char *out, const unsigned char *bytes, size_t len)
{
	static const char digits[] = "0123456789abcdef";

	for (size_t i = 0; i < len; i++) {
		out[2 * i] = digits[bytes[i] >> 4];
		out[2 * i + 1] = digits[bytes[i] & 15];
	}
	out[2 * len] = '\0';
}

/* The entry's file name: the invocation's HMAC, in hex. */
static int entry_name(char name[65], const unsigned char key[KEY_LEN],
		      const struct hc_buf *inv)
{
	unsigned char mac[32];

	if (mac_of(mac, key, inv, "name", 4) < 0)
		return -1;
	hex(name, mac, sizeof(mac));
	return 0;
}

/* PATH resolved into OUT (PATH_MAX), its last component may be absent. */
static bool resolve(char *out, const char *path)
{
	char parent[PATH_MAX];
	const char *slash = strrchr(path, '/'), *name;
	size_t n, len;

	if (realpath(path, out) != NULL)
		return true;
	if (errno != ENOENT || slash == NULL || slash[1] == '\0' ||
	    strcmp(slash + 1, "..") == 0 || strcmp(slash + 1, ".") == 0 ||
	    (n = (size_t)(slash - path)) >= sizeof(parent))
		return false;
	memcpy(parent, path, n);
	parent[n] = '\0';
	if (realpath(n ? parent : "/", out) == NULL)
		return false;
	/* "/" and "name" make "/name", as "/a" and "name" make "/a/name". */
	name = strcmp(out, "/") == 0 ? slash + 1 : slash;
	if ((len = strlen(out)) + strlen(name) + 1 > PATH_MAX)
		return false;
	memcpy(out + len, name, strlen(name) + 1);
	return true;
}

/* Whether PATH is ROOT or below it (both resolved); true when in doubt. */
static bool under_root(const char *path, const char *root)
{
	char rp[PATH_MAX], rr[PATH_MAX];
	size_t n;

	if (realpath(root, rr) == NULL || !resolve(rp, path))
		return true;
	if (strcmp(rr, "/") == 0)
		return false; /* ROOT is "/": the host's own cache. */
	n = strlen(rr);
	return strncmp(rp, rr, n) == 0 && (rp[n] == '/' || rp[n] == '\0');
}

/* ---- The front: answer from an entry. ---- */

/* One line of TEXT at *POS (without its newline); NULL past the end. */
static const char *next_line(const char *text, size_t size, size_t *pos,
			     size_t *len)
{
	const char *line = text + *pos, *nl;

	if (*pos >= size || (nl = memchr(line, '\n', size - *pos)) == NULL)
		return NULL;
	*len = (size_t)(nl - line);
	*pos += *len + 1;
	return line;
}

/*
 * The escaped path of LEN bytes at TEXT, unescaped into OUT.  A relative
 * one (a relative --root, and the store in it) names what it named for
 * the check: the working directory is part of the invocation.
 */
static bool path_of(struct hc_buf *out, const char *text, size_t len)
{
	return len && hc_trace_unescape(out, text, len) == 0 &&
	       out->ptr[0] != '\0';
}

/* A host file's bytes and stat, as the profile loader reads them. */
static int read_host(struct hc_buf *out, struct stat *st, const char *path)
{
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	int error;

	if (fd < 0)
		return -1;
	error = fstat(fd, st) < 0 || !S_ISREG(st->st_mode) ||
			st->st_size > (64 << 20)
		    ? -1
		    : hc_buf_read_fd(out, fd, 64u << 20, path);
	close(fd);
	return error < 0 ? -1 : 0;
}

/* The fingerprint of BYTES, a link's target or a store file, into NOW. */
static int bytes_fp(char *now, const struct hc_buf *bytes)
{
	struct hc_sha256 sha;

	if (hc_sha256(&sha, bytes->ptr, bytes->size) < 0)
		return -1;
	hc_sha256_hex(now, &sha);
	return 0;
}

/*
 * What PATH of kind KIND holds now, as a traced run notes it, into NOW
 * (HC_ROOT_READ_FP bytes at least): "" when it cannot be known.
 */
static void now_fp(char *now, size_t len, struct hc_root *root,
		   const char *kind, const char *path)
{
	struct hc_buf data = HC_BUF_INIT;
	struct stat st;
	int error = -1;

	if (strcmp(kind, "read") == 0) {
		if (hc_root_read(&data, &st, root, path) == 0)
			error = hc_root_read_fp(now, len, &data, &st);
	} else if (strcmp(kind, "profile") == 0) {
		if (read_host(&data, &st, path) == 0)
			error = hc_root_read_fp(now, len, &data, &st);
	} else if (strcmp(kind, "link") == 0) {
		if (hc_root_readlink(&data, root, path) == 0)
			error = bytes_fp(now, &data);
	} else if (strcmp(kind, "list") == 0) {
		error = hc_root_list_fp(now, root, path);
	} else if (strcmp(kind, "stat") == 0) {
		if ((error = hc_root_lstat(&st, root, path)) == 0)
			hc_root_stat_fp(now, len, &st);
	} else if (strcmp(kind, "absent") == 0) {
		if (hc_root_lstat(&st, root, path) == HC_ENOTFOUND)
			error = snprintf(now, len, "-");
	} else if (strcmp(kind, "store") == 0) {
		if (lstat(path, &st) < 0 && errno == ENOENT)
			error = snprintf(now, len, "-");
		else if (read_host(&data, &st, path) == 0)
			error = bytes_fp(now, &data);
	} else if (strcmp(kind, "host") == 0) {
		hc_trace_host_fp(now, len, path);
		error = strchr(now, '?') ? -1 : 0;
	}
	if (error < 0)
		now[0] = '\0';
	hc_error_clear();
	hc_buf_release(&data);
}

/* Whether dependency KIND FP PATH still holds in ROOT (or on the host). */
static bool holds(struct hc_root *root, const char *kind, const char *fp,
		  size_t fplen, const char *path)
{
	char now[HC_TRACE_HOST_FP];

	now[0] = '\0';
	now_fp(now, sizeof(now), root, kind, path);
	return now[0] && strlen(now) == fplen && memcmp(now, fp, fplen) == 0;
}

/* Read the whole entry NAME of DIRFD into OUT; -1 unless ours alone. */
static int read_entry(struct hc_buf *out, int dirfd, const char *name)
{
	int fd =
	    openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	struct stat st;
	int error = -1;

	if (fd < 0)
		return -1;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && private(&st) &&
	    (size_t)st.st_size <= ENTRY_MAX &&
	    hc_buf_read_fd(out, fd, ENTRY_MAX, name) == 0)
		error = 0;
	close(fd);
	hc_error_clear();
	return error;
}

/* "WORD REST": REST when LINE starts with WORD and a space. */
static const char *field(const char *line, size_t len, const char *word,
			 size_t *rest)
{
	size_t n = strlen(word);

	if (len <= n || memcmp(line, word, n) != 0 || line[n] != ' ')
		return NULL;
	*rest = len - n - 1;
	return line + n + 1;
}

/* A decimal at TEXT of LEN bytes, at most MAX; -1 if none. */
static long number(const char *text, size_t len, long max)
{
	long v = 0;

	if (len == 0 || len > 10)
		return -1;
	for (size_t i = 0; i < len; i++) {
		if (text[i] < '0' || text[i] > '9')
			return -1;
		v = v * 10 + (text[i] - '0');
	}
	return v <= max ? v : -1;
}

/*
 * The entry's answer: the header checked against now, each dependency
 * checked, then the bytes of out and err located.  -1 on any doubt.
 */
static int verify(const char *e, size_t size, const char *full,
		  const char *cache, const char **out, size_t *outlen,
		  const char **err, size_t *errlen, bool *held)
{
	struct hc_buf path = HC_BUF_INIT, self = HC_BUF_INIT;
	struct hc_root *root = NULL;
	size_t pos = sizeof(MAGIC) - 1, len, rest;
	const char *line, *v;
	char today[11];
	long status = -1, n;
	int result = -1;

	if (size < pos || memcmp(e, MAGIC, pos) != 0)
		return -1;
	/* self: the full program this front runs wrote the entry. */
	if ((line = next_line(e, size, &pos, &len)) == NULL ||
	    (v = field(line, len, "self", &rest)) == NULL ||
	    !path_of(&self, v, rest) || full == NULL ||
	    strcmp(self.ptr, full) != 0)
		goto out;
	if ((line = next_line(e, size, &pos, &len)) == NULL ||
	    (v = field(line, len, "root", &rest)) == NULL ||
	    !path_of(&path, v, rest) || under_root(cache, path.ptr) ||
	    hc_root_open(&root, path.ptr) < 0)
		goto out;
	hc_today(today);
	if ((line = next_line(e, size, &pos, &len)) == NULL ||
	    (v = field(line, len, "date", &rest)) == NULL || rest != 10 ||
	    memcmp(v, today, 10) != 0)
		goto out;
	if ((line = next_line(e, size, &pos, &len)) == NULL ||
	    (v = field(line, len, "exit", &rest)) == NULL ||
	    (status = number(v, rest, 255)) < 0 ||
	    (line = next_line(e, size, &pos, &len)) == NULL ||
	    (v = field(line, len, "held", &rest)) == NULL ||
	    (n = number(v, rest, 1)) < 0)
		goto out;
	*held = n == 1;
	while ((line = next_line(e, size, &pos, &len)) != NULL &&
	       field(line, len, "out", &rest) == NULL) {
		const char *fp = memchr(line, ' ', len), *p;
		char kind[16];
		size_t klen, fplen;

		if (fp == NULL || (klen = (size_t)(fp - line)) >= sizeof(kind))
			goto out;
		memcpy(kind, line, klen);
		kind[klen] = '\0';
		fp++;
		if ((p = memchr(fp, ' ', len - klen - 1)) == NULL)
			goto out;
		fplen = (size_t)(p - fp);
		p++;
		if (!path_of(&path, p, (size_t)(line + len - p)) ||
		    !holds(root, kind, fp, fplen, path.ptr))
			goto out;
	}
	if (line == NULL || (v = field(line, len, "out", &rest)) == NULL ||
	    (n = number(v, rest, ENTRY_MAX)) < 0 || size - pos < (size_t)n + 1)
		goto out;
	*out = e + pos;
	*outlen = (size_t)n;
	pos += (size_t)n + 1;
	if ((line = next_line(e, size, &pos, &len)) == NULL ||
	    (v = field(line, len, "err", &rest)) == NULL ||
	    (n = number(v, rest, ENTRY_MAX)) < 0 || size - pos < (size_t)n + 1)
		goto out;
	*err = e + pos;
	*errlen = (size_t)n;
	result = (int)status;
out:
	hc_root_free(root);
	hc_error_clear();
	hc_buf_release(&path);
	hc_buf_release(&self);
	return result;
}

/*
 * An answer with STATUS that could not be written, as the full program
 * ends then: a report written at once fails in cmd_write(), then main()
 * finds stdout in error; one HELD to the end (JSON) is told so by
 * json_finish(), which keeps a status but 0.  The status to end with.
 */
static int unwritten(int status, bool held)
{
	int saved = errno;

	if (!held)
		fprintf(stderr, "hardctl: standard output: cannot write: %s\n",
			strerror(saved));
	fputs("hardctl: cannot write standard output\n", stderr);
	return held && status != 0 ? status : 2;
}

/* The resolved path of FULL, into OUT (PATH_MAX); false if it has none. */
static bool resolved(char *out, const char *full)
{
	return full && realpath(full, out) != NULL;
}

int hc_cache_answer_as(const char *full, int argc, char **argv)
{
	struct hc_buf dir = HC_BUF_INIT, inv = HC_BUF_INIT, entry = HC_BUF_INIT;
	unsigned char key[KEY_LEN], mac[32];
	char name[65], fullpath[PATH_MAX];
	const char *out = NULL, *err = NULL, *tail;
	size_t outlen = 0, errlen = 0, body;
	int dirfd = -1, status = -1;
	bool held = false;

	if (cache_dir(&dir) != 0 || (dirfd = open_dir(dir.ptr, false)) < 0 ||
	    read_key(key, dirfd) < 0 || invocation(&inv, argc, argv) != 0 ||
	    entry_name(name, key, &inv) < 0 ||
	    read_entry(&entry, dirfd, name) < 0)
		goto out;
	/* The last line, "mac HEX\n", seals everything before it. */
	if (entry.size < 69 || entry.ptr[entry.size - 1] != '\n' ||
	    memcmp((tail = entry.ptr + entry.size - 69), "mac ", 4) != 0)
		goto out;
	body = (size_t)(tail - entry.ptr);
	{
		char want[65];

		if (mac_of(mac, key, &inv, entry.ptr, body) < 0)
			goto out;
		hex(want, mac, sizeof(mac));
		if (!hc_mem_equal(want, tail + 4, 64))
			goto out;
	}
	status =
	    verify(entry.ptr, body, resolved(fullpath, full) ? fullpath : NULL,
		   dir.ptr, &out, &outlen, &err, &errlen, &held);
	if (status < 0)
		goto out;
	if ((errlen && fwrite(err, 1, errlen, stderr) != errlen) ||
	    (outlen && fwrite(out, 1, outlen, stdout) != outlen) ||
	    fflush(stdout) != 0)
		status = unwritten(status, held);
out:
	explicit_bzero(key, sizeof(key));
	if (dirfd >= 0)
		close(dirfd);
	hc_buf_release(&dir);
	hc_buf_release(&inv);
	hc_buf_release(&entry);
	hc_error_clear();
	return status;
}

int hc_cache_answer(int argc, char **argv)
{
	char full[PATH_MAX];

	if (hc_front_full_path(full, sizeof(full)) < 0) {
		hc_error_clear();
		return -1;
	}
	return hc_cache_answer_as(full, argc, argv);
}

/* ---- The full program: write an entry. ---- */

static int write_all(int fd, const char *p, size_t len)
{
	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static int put_path(struct hc_buf *out, const char *word, const char *path)
{
	int error = hc_buf_printf(out, "%s ", word);

	if (error == 0)
		error = hc_trace_escape(out, path);
	return error ? error : hc_buf_puts(out, "\n");
}

/* Each shared object this process runs, as a host dependency. */
static int note_object(struct dl_phdr_info *info, size_t size, void *data)
{
	(void)size;
	(void)data;
	if (info->dlpi_name && info->dlpi_name[0] == '/')
		hc_trace_host(info->dlpi_name);
	return 0;
}

/*
 * The lens path of hardctl's Augeas (src/aug.c), as aug_init() makes it:
 * LENS_DIR split at colons, empty parts dropped, then Augeas's own two
 * directories.  Into OUT.
 */
static int lens_path(struct hc_strlist *out, const char *lens_dir)
{
	static const char *const stock[] = {
	    "/usr/share/augeas/lenses",
	    "/usr/share/augeas/lenses/dist",
	};
	int error = 0;

	hc_strlist_release(out);
	for (const char *p = lens_dir; *p && error == 0;) {
		size_t n = strcspn(p, ":");
		char *dir = n ? strndup(p, n) : NULL;

		if (n && (dir == NULL || hc_strlist_push_owned(out, dir) < 0)) {
			free(dir);
			error = hc_error_oom();
		}
		p += n + (p[n] == ':');
	}
	for (size_t i = 0; i < HC_ARRAY_SIZE(stock) && error == 0; i++)
		error = hc_strlist_push(out, stock[i]);
	return error;
}

/*
 * The identity of each lens file on the lens path when the trace
 * started, "ESCAPED-PATH\tFP", sorted: a tab sorts before any byte of
 * an escaped path, so the order is the paths'.
 */
static struct hc_strlist lenses_at_start = HC_STRLIST_INIT;

/*
 * The identity of each directory of the lens path when the trace
 * started, in its order: a lens file put there and taken away again
 * while the run read it changes it.
 */
static struct hc_strlist lens_dirs_at_start = HC_STRLIST_INIT;

/* Whether each directory of DIRS is the one the trace started with. */
static bool lens_dirs_unchanged(const struct hc_strlist *dirs)
{
	char fp[HC_TRACE_HOST_FP];

	if (dirs->n != lens_dirs_at_start.n)
		return false;
	for (size_t i = 0; i < dirs->n; i++) {
		hc_trace_host_fp(fp, sizeof(fp), dirs->v[i]);
		if (strchr(fp, '?') || strcmp(fp, lens_dirs_at_start.v[i]) != 0)
			return false;
	}
	return true;
}

/* DIR/NAME, escaped, and a tab, into OUT. */
static int lens_key(struct hc_buf *out, const char *dir, const char *name)
{
	int error;

	hc_buf_clear(out);
	error = hc_trace_escape(out, dir);
	if (error == 0)
		error = hc_buf_puts(out, "/");
	if (error == 0)
		error = hc_trace_escape(out, name);
	return error ? error : hc_buf_puts(out, "\t");
}

/* The identity of each lens file of DIR, into lenses_at_start. */
static int snapshot_lenses(const char *dir)
{
	struct hc_buf key = HC_BUF_INIT, path = HC_BUF_INIT;
	char fp[HC_TRACE_HOST_FP];
	struct dirent *de;
	DIR *dp = opendir(dir);
	int error = 0;

	if (dp == NULL)
		return errno == ENOENT || errno == ENOTDIR ? 0 : -1;
	while (error == 0 && (errno = 0, de = readdir(dp)) != NULL) {
		size_t n = strlen(de->d_name);

		if (n <= 4 || strcmp(de->d_name + n - 4, ".aug") != 0)
			continue;
		hc_buf_clear(&path);
		error = hc_buf_printf(&path, "%s/%s", dir, de->d_name);
		if (error == 0)
			error = lens_key(&key, dir, de->d_name);
		if (error == 0) {
			hc_trace_host_fp(fp, sizeof(fp), path.ptr);
			error = hc_buf_puts(&key, fp);
		}
		if (error == 0)
			error = hc_strlist_push(&lenses_at_start, key.ptr);
	}
	if (error == 0 && errno != 0)
		error = -1;
	closedir(dp);
	hc_buf_release(&key);
	hc_buf_release(&path);
	return error;
}

/* The identity KEY ("ESCAPED-PATH\t") had at the start: "-" if none. */
static const char *identity_at_start(const struct hc_buf *key)
{
	size_t lo = 0, hi = lenses_at_start.n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const char *v = lenses_at_start.v[mid];
		int c = strncmp(v, key->ptr, key->size);

		if (c == 0)
			return v + key->size;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return "-";
}

/* Whether C may start (FIRST) or go on a name of Augeas's language. */
static bool ident_char(char c, bool first)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_' ||
	       (!first && c >= '0' && c <= '9');
}

/*
 * Whether TEXT holds, as a word, what makes Augeas write to standard
 * output while it loads a module: a test, or a print_ function.
 */
static bool prints(const char *text, size_t len)
{
	for (size_t i = 0; i < len;) {
		size_t j = i;

		while (j < len && ident_char(text[j], false))
			j++;
		if ((j - i == 4 && memcmp(text + i, "test", 4) == 0) ||
		    (j - i > 6 && memcmp(text + i, "print_", 6) == 0))
			return true;
		i = j == i ? i + 1 : j;
	}
	return false;
}

/*
 * Each module TEXT names ("Util.del_str": util), lowercased, onto
 * MODULES when not there yet.  Comments, strings and regular
 * expressions are read too, and a name may start mid-word: a name
 * there is one more file looked at, never one missed.  1 when TEXT
 * names Augeas's Sys, whose functions read the environment and files.
 */
static int named_modules(struct hc_strlist *modules, const char *text,
			 size_t len)
{
	for (size_t i = 0; i < len; i++) {
		size_t j = i + 1;
		char *name;

		/*
		 * Whatever comes before: "A.b.C.d" is A.b, then C.d, and
		 * "/x/iFoo.s" a regular expression, then Foo.s.
		 */
		if (text[i] < 'A' || text[i] > 'Z')
			continue;
		while (j < len && ident_char(text[j], false))
			j++;
		if (j + 1 >= len || text[j] != '.' ||
		    !ident_char(text[j + 1], true)) {
			i = j;
			continue;
		}
		if ((name = strndup(text + i, j - i)) == NULL)
			return hc_error_oom();
		for (char *p = name; *p; p++)
			if (*p >= 'A' && *p <= 'Z')
				*p = (char)(*p - 'A' + 'a');
		/* Sys.getenv, Sys.read_file: what no answer can note. */
		if (strcmp(name, "sys") == 0) {
			free(name);
			return 1;
		}
		if (hc_strlist_has(modules, name))
			free(name);
		else if (hc_strlist_push_owned(modules, name) < 0) {
			free(name);
			return hc_error_oom();
		}
		i = j;
	}
	return 0;
}

/* The lens file PATH's bytes into OUT; -1 unless a regular file of 1 MiB. */
static int read_lens(struct hc_buf *out, const char *path)
{
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	struct stat st;
	int error = -1;

	if (fd < 0)
		return -1;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
	    st.st_size <= (1 << 20) &&
	    hc_buf_read_fd(out, fd, 1u << 20, path) == 0)
		error = 0;
	close(fd);
	return error;
}

/*
 * Module MODULE looked for on the lens path DIRS as Augeas looks (each
 * DIR/MODULE.aug, stat() following links, to the first there), each
 * file looked at noted; the modules the one found names onto MODULES,
 * and *FOUND whether there was one.  False when in doubt.
 */
static bool note_module(struct hc_strlist *modules, const char *module,
			const struct hc_strlist *dirs, bool *found)
{
	struct hc_buf path = HC_BUF_INIT, key = HC_BUF_INIT, text = HC_BUF_INIT;
	char fp[HC_TRACE_HOST_FP], file[NAME_MAX + 1];
	struct stat st;
	bool ok;

	*found = false;
	ok = module[0] != '\0' &&
	     snprintf(file, sizeof(file), "%s.aug", module) < (int)sizeof(file);

	for (const char *p = module; ok && *p; p++)
		ok = ident_char(*p, false);

	for (size_t i = 0; ok && i < dirs->n; i++) {
		hc_buf_clear(&path);
		if (hc_buf_printf(&path, "%s/%s", dirs->v[i], file) < 0 ||
		    lens_key(&key, dirs->v[i], file) < 0) {
			ok = false;
			break;
		}
		hc_trace_host_fp(fp, sizeof(fp), path.ptr);
		hc_trace_dep(HC_TRACE_HOST, path.ptr, fp);
		/* Unlike when the run began: it may have read either. */
		if (strchr(fp, '?') || strcmp(fp, identity_at_start(&key)) != 0)
			ok = false;
		else if (stat(path.ptr, &st) == 0) {
			/* What it prints loading, no answer keeps. */
			ok = read_lens(&text, path.ptr) == 0 &&
			     !prints(text.ptr, text.size) &&
			     named_modules(modules, text.ptr, text.size) == 0;
			*found = true;
			break;
		}
	}
	hc_buf_release(&path);
	hc_buf_release(&key);
	hc_buf_release(&text);
	return ok;
}

/*
 * Note the lens modules the run loaded (see hc_cache_note_loaded()).
 * At most 1,024 modules, each looked up in a list: Augeas's whole
 * library has some 240.
 */
static void note_modules(const char *lens_dir)
{
	struct hc_strlist dirs = HC_STRLIST_INIT, modules = HC_STRLIST_INIT;
	bool ok = lens_path(&dirs, lens_dir) == 0 &&
		  hc_trace_lens_modules(&modules) == 0 &&
		  lens_dirs_unchanged(&dirs);

	size_t loaded = modules.n;
	bool found;

	/*
	 * A module Augeas was handed it read from somewhere: found nowhere
	 * on this lens path, Augeas has another (built with another prefix).
	 */
	for (size_t i = 0; ok && i < modules.n; i++)
		ok = modules.n <= 1024 &&
		     note_module(&modules, modules.v[i], &dirs, &found) &&
		     (found || i >= loaded);
	if (!ok)
		hc_trace_doubt();
	hc_error_clear();
	hc_strlist_release(&dirs);
	hc_strlist_release(&modules);
}

/* Whether NAME is an entry's: 64 lowercase hex digits. */
static bool entry_named(const char *name)
{
	size_t n = strspn(name, "0123456789abcdef");

	return n == 64 && name[n] == '\0';
}

struct aged {
	struct timespec mtime;
	char name[65];
};

static int older_first(const void *a, const void *b)
{
	const struct timespec *x = &((const struct aged *)a)->mtime,
			      *y = &((const struct aged *)b)->mtime;

	if (x->tv_sec != y->tv_sec)
		return x->tv_sec < y->tv_sec ? -1 : 1;
	return (x->tv_nsec > y->tv_nsec) - (x->tv_nsec < y->tv_nsec);
}

/*
 * Keep at most ENTRIES_MAX entries in the directory open at DIRFD: the
 * least recently written go.  Every root, format and width checked gets
 * an entry of its own, and roots come and go (images, tests).
 */
static void evict(int dirfd)
{
	struct aged *v = NULL, *grown;
	size_t n = 0, cap = 0;
	struct dirent *de;
	struct stat st;
	int fd = openat(dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	DIR *dp = fd >= 0 ? fdopendir(fd) : NULL;

	if (dp == NULL) {
		if (fd >= 0)
			close(fd);
		return;
	}
	while ((de = readdir(dp)) != NULL) {
		if (!entry_named(de->d_name) ||
		    fstatat(dirfd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0)
			continue;
		if (n == cap) {
			cap = cap ? 2 * cap : 64;
			if ((grown = realloc(v, cap * sizeof(*v))) == NULL)
				break;
			v = grown;
		}
		v[n].mtime = st.st_mtim;
		memcpy(v[n].name, de->d_name, 65);
		n++;
	}
	closedir(dp);
	if (n > ENTRIES_MAX) {
		qsort(v, n, sizeof(*v), older_first);
		for (size_t i = 0; i < n - ENTRIES_MAX; i++)
			unlinkat(dirfd, v[i].name, 0);
	}
	free(v);
}

/* The program itself and what decides the libraries it runs with. */
static void note_programs(void)
{
	char self[PATH_MAX];

	if (realpath("/proc/self/exe", self) == NULL)
		hc_trace_doubt();
	else
		hc_trace_host(self);
	/* What else decides which libraries the loader maps (ldconfig). */
	hc_trace_host("/etc/ld.so.cache");
	hc_trace_host("/etc/ld.so.preload");
	dl_iterate_phdr(note_object, NULL);
}

void hc_cache_note_host(const char *lens_dir)
{
	struct hc_strlist dirs = HC_STRLIST_INIT;
	bool ok;

	note_programs();
	hc_strlist_release(&lenses_at_start);
	ok = lens_path(&dirs, lens_dir) == 0;
	for (size_t i = 0; i < HC_ARRAY_SIZE(augeas_env); i++)
		if (getenv(augeas_env[i]))
			ok = false;
	hc_strlist_release(&lens_dirs_at_start);
	for (size_t i = 0; ok && i < dirs.n; i++) {
		char fp[HC_TRACE_HOST_FP];

		hc_trace_host_fp(fp, sizeof(fp), dirs.v[i]);
		ok = hc_strlist_push(&lens_dirs_at_start, fp) == 0 &&
		     snapshot_lenses(dirs.v[i]) == 0;
	}
	if (!ok)
		hc_trace_doubt();
	hc_strlist_sort(&lenses_at_start);
	hc_error_clear();
	hc_strlist_release(&dirs);
}

void hc_cache_note_loaded(const char *lens_dir)
{
	note_programs();
	note_modules(lens_dir);
	hc_strlist_release(&lenses_at_start);
	hc_strlist_release(&lens_dirs_at_start);
}

int hc_cache_save(const struct hc_cache_answer *a)
{
	struct hc_buf dir = HC_BUF_INIT, inv = HC_BUF_INIT, e = HC_BUF_INIT,
		      deps = HC_BUF_INIT;
	unsigned char key[KEY_LEN], mac[32];
	char name[65], tmp[80], self[PATH_MAX], today[11], machex[65];
	int dirfd = -1, fd = -1, error = -1;

	if (!hc_trace_on() || !capture.on || capture.lost ||
	    cache_dir(&dir) != 0 || under_root(dir.ptr, a->root) ||
	    realpath("/proc/self/exe", self) == NULL)
		goto out;
	/* Noted at the start too: one changed since is two ways, no entry. */
	hc_cache_note_loaded(a->lens_dir);
	hc_today(today);
	if (hc_trace_deps(&deps) < 0 || (dirfd = open_dir(dir.ptr, true)) < 0 ||
	    make_key(key, dirfd) < 0 ||
	    hc_buf_set(&inv, capture.inv.ptr, capture.inv.size) < 0 ||
	    entry_name(name, key, &inv) < 0)
		goto out;
	if (hc_buf_puts(&e, MAGIC) < 0 || put_path(&e, "self", self) < 0 ||
	    put_path(&e, "root", a->root) < 0 ||
	    hc_buf_printf(&e, "date %s\nexit %d\nheld %d\n", today, a->status,
			  a->held) < 0 ||
	    hc_buf_put(&e, deps.ptr, deps.size) < 0 ||
	    hc_buf_printf(&e, "out %zu\n", a->out_len) < 0 ||
	    hc_buf_put(&e, a->out, a->out_len) < 0 ||
	    hc_buf_printf(&e, "\nerr %zu\n", capture.said.size) < 0 ||
	    hc_buf_put(&e, capture.said.ptr, capture.said.size) < 0 ||
	    hc_buf_puts(&e, "\n") < 0 ||
	    mac_of(mac, key, &inv, e.ptr, e.size) < 0)
		goto out;
	hex(machex, mac, sizeof(mac));
	if (hc_buf_printf(&e, "mac %s\n", machex) < 0)
		goto out;
	snprintf(tmp, sizeof(tmp), ".%s.%ld", name, (long)getpid());
	if ((fd = openat(dirfd, tmp,
			 O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
			 0600)) < 0)
		goto out;
	if (write_all(fd, e.ptr, e.size) == 0 && close(fd) == 0 &&
	    renameat(dirfd, tmp, dirfd, name) == 0)
		error = 0;
	else
		unlinkat(dirfd, tmp, 0);
	fd = -1;
	if (error == 0)
		evict(dirfd);
out:
	explicit_bzero(key, sizeof(key));
	if (fd >= 0)
		close(fd);
	if (dirfd >= 0)
		close(dirfd);
	hc_buf_release(&dir);
	hc_buf_release(&inv);
	hc_buf_release(&e);
	hc_buf_release(&deps);
	hc_error_clear();
	return error;
}

const struct hc_buf *hc_cache_said(void)
{
	return &capture.said;
}
