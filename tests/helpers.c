/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Test helpers (see test.h).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <poll.h>
#include <pty.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "hardctl/aug.h"
#include "hardctl/hash.h"
#include "hardctl/profile.h"
#include "hardctl/root.h"
#include "test.h"

char *test_mkdtemp(void)
{
	const char *tmp = getenv("TMPDIR");
	char *dir;

	ck_assert(asprintf(&dir, "%s/hardctl-test.XXXXXX", tmp ? tmp : "/tmp") >
		  0);
	ck_assert_msg(mkdtemp(dir) != NULL, "mkdtemp: %s", strerror(errno));
	return dir;
}

static int rm_one(const char *path, const struct stat *st, int flag,
		  struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	if (flag == FTW_DP)
		return rmdir(path);
	return unlink(path);
}

void test_rmtree(const char *dir)
{
	if (dir)
		nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

static const char *copy_dst;
static size_t copy_src_len;

static void copy_file(const char *src, const char *dst, mode_t mode)
{
	char buf[8192];
	ssize_t n;
	int in = open(src, O_RDONLY), out;

	ck_assert_msg(in >= 0, "open %s: %s", src, strerror(errno));
	out = open(dst, O_WRONLY | O_CREAT | O_TRUNC, mode & 07777);
	ck_assert_msg(out >= 0, "create %s: %s", dst, strerror(errno));
	while ((n = read(in, buf, sizeof(buf))) > 0)
		ck_assert(write(out, buf, (size_t)n) == n);
	ck_assert(n == 0);
	ck_assert(fchmod(out, mode & 07777) == 0);
	close(in);
	close(out);
}

static int copy_one(const char *path, const struct stat *st, int flag,
		    struct FTW *ftw)
{
	char dst[PATH_MAX];

	(void)ftw;
	snprintf(dst, sizeof(dst), "%s%s", copy_dst, path + copy_src_len);
	if (flag == FTW_D)
		ck_assert(mkdir(dst, st->st_mode & 07777) == 0 ||
			  errno == EEXIST);
	else if (flag == FTW_F)
		copy_file(path, dst, st->st_mode);
	else if (flag == FTW_SL) {
		char target[PATH_MAX];
		ssize_t n = readlink(path, target, sizeof(target) - 1);

		ck_assert(n > 0);
		target[n] = '\0';
		ck_assert(symlink(target, dst) == 0);
	}
	return 0;
}

char *test_root(const char *fixture)
{
	char *root = test_mkdtemp();
	char src[PATH_MAX];

	if (fixture == NULL)
		return root;
	snprintf(src, sizeof(src), "%s/%s", HC_TEST_FIXTURES, fixture);
	copy_dst = root;
	copy_src_len = strlen(src);
	ck_assert_msg(nftw(src, copy_one, 16, FTW_PHYS) == 0, "copy %s", src);
	return root;
}

void test_mkdirs(const char *root, const char *path)
{
	char buf[PATH_MAX];
	size_t start = strlen(root) + 1;

	snprintf(buf, sizeof(buf), "%s/%s", root,
		 path[0] == '/' ? path + 1 : path);
	for (char *p = buf + start; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		ck_assert_msg(mkdir(buf, 0755) == 0 || errno == EEXIST,
			      "mkdir %s", buf);
		*p = '/';
	}
	ck_assert_msg(mkdir(buf, 0755) == 0 || errno == EEXIST, "mkdir %s",
		      buf);
}

void test_link(const char *root, const char *path, const char *target)
{
	char buf[PATH_MAX], *slash;

	snprintf(buf, sizeof(buf), "%s", path);
	slash = strrchr(buf, '/');
	ck_assert_ptr_nonnull(slash);
	*slash = '\0';
	test_mkdirs(root, buf);
	snprintf(buf, sizeof(buf), "%s%s", root, path);
	ck_assert_msg(symlink(target, buf) == 0, "symlink %s", buf);
}

char *test_demo_root_as_shipped(void)
{
	char *dir = test_mkdtemp(), cmd[8192];

	/* The demo root lives outside tests/fixtures; copy it by path. */
	snprintf(cmd, sizeof(cmd), "cp -a '%s/../../demo/root/.' '%s'",
		 HC_TEST_FIXTURES, dir);
	ck_assert_int_eq(system(cmd), 0);
	return dir;
}

char *test_demo_root(void)
{
	char *dir = test_demo_root_as_shipped(), old[64], new[64];

	/* As scripts/demo does: admin sets a new password today. */
	snprintf(old, sizeof(old),
		 ":%s:13880:", "$1$kT5cC0aP$2OOlWq6Ue9Hj0qPcs7Q2c/");
	snprintf(new, sizeof(new),
		 ":%s:%ld:", "$1$kT5cC0aP$2OOlWq6Ue9Hj0qPcs7Q2c/",
		 (long)(time(NULL) / 86400));
	test_replace(dir, "/etc/shadow", old, new);
	return dir;
}

void test_write(const char *root, const char *path, const char *text,
		mode_t mode)
{
	char buf[PATH_MAX], *slash;
	FILE *fp;

	snprintf(buf, sizeof(buf), "%s%s", root, path);
	slash = strrchr(path, '/');
	if (slash > path) {
		char dir[PATH_MAX];

		snprintf(dir, sizeof(dir), "%.*s", (int)(slash - path), path);
		test_mkdirs(root, dir);
	}
	ck_assert_msg((fp = fopen(buf, "w")) != NULL, "write %s: %s", buf,
		      strerror(errno));
	ck_assert(fputs(text, fp) >= 0);
	ck_assert(fclose(fp) == 0);
	ck_assert(chmod(buf, mode) == 0);
}

char *test_read(const char *root, const char *path)
{
	char buf[PATH_MAX], *text = NULL;
	size_t len = 0;
	FILE *fp, *mem;
	int c;

	snprintf(buf, sizeof(buf), "%s%s", root, path);
	if ((fp = fopen(buf, "r")) == NULL)
		return NULL;
	mem = open_memstream(&text, &len);
	while ((c = fgetc(fp)) != EOF)
		fputc(c, mem);
	fclose(mem);
	fclose(fp);
	return text;
}

void test_replace(const char *root, const char *path, const char *old,
		  const char *new)
{
	char *text = test_read(root, path), *at, full[PATH_MAX];
	struct hc_buf out = HC_BUF_INIT;
	struct stat st;

	ck_assert_ptr_nonnull(text);
	ck_assert_msg((at = strstr(text, old)) != NULL, "%s has no '%s'", path,
		      old);
	hc_buf_put(&out, text, (size_t)(at - text));
	hc_buf_puts(&out, new);
	hc_buf_puts(&out, at + strlen(old));
	snprintf(full, sizeof(full), "%s%s", root, path);
	ck_assert(stat(full, &st) == 0);
	test_write(root, path, out.ptr, st.st_mode & 07777);
	hc_buf_release(&out);
	free(text);
}

static struct hc_buf *snap;
static size_t snap_root_len;
static bool snap_mtime;

static int snap_one(const char *path, const struct stat *st, int flag,
		    struct FTW *ftw)
{
	const char *rel = path + snap_root_len;

	(void)ftw;
	/* hardctl's own store is not part of the system it manages. */
	if (strncmp(rel, "/var/lib/hardctl", 16) == 0 ||
	    (flag == FTW_D && rel[0] &&
	     strncmp(rel, "/var/lib/hardctl", strlen(rel)) == 0))
		return 0;
	hc_buf_printf(snap, "%s %d %o %u %u %lld", rel, flag,
		      (unsigned int)st->st_mode, (unsigned int)st->st_uid,
		      (unsigned int)st->st_gid, (long long)st->st_size);
	if (snap_mtime && flag != FTW_D)
		hc_buf_printf(snap, " %ld.%09ld", (long)st->st_mtim.tv_sec,
			      st->st_mtim.tv_nsec);
	if (flag == FTW_F && S_ISREG(st->st_mode)) {
		struct hc_sha256 sha;
		char hex[HC_SHA256_HEXLEN + 1];
		struct hc_buf data = HC_BUF_INIT;
		char buf[4096];
		ssize_t n;
		int fd = open(path, O_RDONLY);

		ck_assert(fd >= 0);
		while ((n = read(fd, buf, sizeof(buf))) > 0)
			hc_buf_put(&data, buf, (size_t)n);
		close(fd);
		hc_sha256(&sha, hc_buf_cstr(&data), data.size);
		hc_sha256_hex(hex, &sha);
		hc_buf_printf(snap, " %s", hex);
		hc_buf_release(&data);
	}
	hc_buf_puts(snap, "\n");
	return 0;
}

static char *snapshot(const char *root, bool with_mtime)
{
	struct hc_buf out = HC_BUF_INIT;

	snap = &out;
	snap_mtime = with_mtime;
	snap_root_len = strlen(root);
	ck_assert(nftw(root, snap_one, 16, FTW_PHYS) == 0);
	return hc_buf_detach(&out);
}

char *test_snapshot(const char *root)
{
	return snapshot(root, true);
}

char *test_state(const char *root)
{
	return snapshot(root, false);
}

static void drain(int fd, struct hc_buf *buf, bool *open)
{
	char chunk[4096];
	ssize_t n = read(fd, chunk, sizeof(chunk));

	if (n > 0)
		hc_buf_put(buf, chunk, (size_t)n);
	else if (n == 0 || errno != EINTR)
		*open = false;
}

void test_run_program(struct test_run *run, const char *const *argv)
{
	int out[2], err[2], wstatus;
	bool out_open = true, err_open = true;
	pid_t pid;

	memset(run, 0, sizeof(*run));
	ck_assert(pipe(out) == 0 && pipe(err) == 0);
	pid = fork();
	ck_assert(pid >= 0);
	if (pid == 0) {
		int devnull = open("/dev/null", O_RDONLY);

		dup2(devnull, 0);
		dup2(out[1], 1);
		dup2(err[1], 2);
		close(out[0]);
		close(err[0]);
		execv(argv[0], (char *const *)argv);
		_exit(127);
	}
	close(out[1]);
	close(err[1]);
	while (out_open || err_open) {
		struct pollfd fds[2] = {{out[0], POLLIN, 0},
					{err[0], POLLIN, 0}};

		fds[0].fd = out_open ? out[0] : -1;
		fds[1].fd = err_open ? err[0] : -1;
		if (poll(fds, 2, -1) < 0)
			continue;
		if (fds[0].revents)
			drain(out[0], &run->out, &out_open);
		if (fds[1].revents)
			drain(err[0], &run->err, &err_open);
	}
	close(out[0]);
	close(err[0]);
	ck_assert(waitpid(pid, &wstatus, 0) == pid);
	run->status = WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : -1;
	/* Keep the output a string even when a command printed nothing. */
	hc_buf_puts(&run->out, "");
	hc_buf_puts(&run->err, "");
}

/*
 * Where valgrind writes what it reports on a hardctl it runs: a file in a
 * directory per run, not a copy of the stderr pipe, which a watchdog
 * hardctl forks would hold open (valgrind keeps its own descriptors
 * through closefrom()) until its deadline, so that the test reading the
 * pipe would wait that long.  hardctl is the front, which execs
 * hardctl-full in the same process: valgrind follows the exec
 * (--trace-children=yes), and the process's second valgrind would
 * truncate a --log-file named after its PID, losing what the first said
 * about the front.  So every valgrind of the run appends to one file
 * opened for them (--log-fd), each line marked with its PID.  Once the
 * run is over, the file is read back into its stderr, and removed.
 */
#define VALGRIND_LOG_DIR HC_TEST_BINARY ".valgrind"

struct valgrind_log {
	char dir[PATH_MAX];
	char opt[32];
	int fd;
};

/*
 * ARGV for hardctl: the binary, then ARGS.  With HC_TEST_VALGRIND set
 * (scripts/test --valgrind), hardctl runs under valgrind, and any error
 * or definite leak of its own makes it exit 99.  Valgrind follows the
 * front into hardctl-full, not into the programs hardctl runs (sshd,
 * the pager, a test's stand-ins in its temporary directories), nor into
 * the watchdog's rollback, which it did not follow before the front
 * either.
 */
static void hardctl_argv(const char *argv[64], const char *const *args,
			 struct valgrind_log *log)
{
	static const char *const valgrind[] = {
	    "/usr/bin/valgrind",
	    "--quiet",
	    "--error-exitcode=99",
	    "--leak-check=full",
	    "--errors-for-leak-kinds=definite",
	    "--show-leak-kinds=definite",
	    "--suppressions=" HC_SOURCE_DIR "/tests/valgrind.supp",
	    "--trace-children=yes",
	    "--trace-children-skip=/usr/bin/*,/usr/sbin/*,/usr/local/*,"
	    "/bin/*,/sbin/*,*/hardctl-test.*",
	    "--trace-children-skip-by-arg=--if-unconfirmed",
	};
	size_t n = 0;

	log->dir[0] = '\0';
	log->fd = -1;
	if (getenv("HC_TEST_VALGRIND")) {
		char path[PATH_MAX + 8];

		ck_assert(mkdir(VALGRIND_LOG_DIR, 0700) == 0 ||
			  errno == EEXIST);
		snprintf(log->dir, sizeof(log->dir), "%s/XXXXXX",
			 VALGRIND_LOG_DIR);
		ck_assert_ptr_nonnull(mkdtemp(log->dir));
		/* Inherited by the child: no O_CLOEXEC. */
		snprintf(path, sizeof(path), "%s/log", log->dir);
		log->fd = open(path, O_WRONLY | O_CREAT | O_APPEND, 0600);
		ck_assert_msg(log->fd >= 0, "open %s: %s", path,
			      strerror(errno));
		snprintf(log->opt, sizeof(log->opt), "--log-fd=%d", log->fd);
		for (size_t i = 0; i < HC_ARRAY_SIZE(valgrind); i++)
			argv[n++] = valgrind[i];
		argv[n++] = log->opt;
	}
	argv[n++] = HC_TEST_BINARY;
	for (size_t i = 0; args[i] && n < 63; i++)
		argv[n++] = args[i];
	argv[n] = NULL;
}

/*
 * Drop valgrind's own notes ("--PID-- WARNING: unhandled ... syscall:
 * 437", for openat2, which hardctl falls back from) out of BUF: they are
 * not hardctl's output.  Its error reports ("==PID==") stay.
 */
static void strip_valgrind_notes(struct hc_buf *buf)
{
	char *p = buf->ptr, *w = buf->ptr, *end = buf->ptr + buf->size;

	if (!getenv("HC_TEST_VALGRIND") || buf->ptr == NULL)
		return;
	while (p < end) {
		char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t len = nl ? (size_t)(nl + 1 - p) : (size_t)(end - p);
		size_t digits = len > 2 && p[0] == '-' && p[1] == '-'
				    ? strspn(p + 2, "0123456789")
				    : 0;

		if (!(digits && len > digits + 4 &&
		      strncmp(p + 2 + digits, "-- ", 3) == 0)) {
			memmove(w, p, len);
			w += len;
		}
		p += len;
	}
	buf->size = (size_t)(w - buf->ptr);
	*w = '\0';
}

/* Append to BUF what valgrind reported on the run of LOG; remove it. */
static void valgrind_log(struct hc_buf *buf, const struct valgrind_log *log)
{
	struct dirent *e;
	char name[sizeof(e->d_name) + 1], path[PATH_MAX + sizeof(name)], *text;
	DIR *d;

	if (log->dir[0] == '\0')
		return;
	close(log->fd);
	ck_assert_ptr_nonnull(d = opendir(log->dir));
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(name, sizeof(name), "/%s", e->d_name);
		if ((text = test_read(log->dir, name)) != NULL)
			hc_buf_puts(buf, text);
		free(text);
		snprintf(path, sizeof(path), "%s%s", log->dir, name);
		unlink(path);
	}
	closedir(d);
	rmdir(log->dir);
	hc_buf_puts(buf, "");
}

void test_hardctl(struct test_run *run, const char *const *args)
{
	struct valgrind_log log;
	const char *argv[64];

	hardctl_argv(argv, args, &log);
	test_run_program(run, argv);
	valgrind_log(&run->err, &log);
	strip_valgrind_notes(&run->err);
}

void test_hardctl_tty(struct test_run *run, const char *const *args)
{
	struct valgrind_log log;
	const char *argv[64];
	char buf[4096];
	int master, wstatus;
	ssize_t n;
	pid_t pid;

	memset(run, 0, sizeof(*run));
	hardctl_argv(argv, args, &log);
	pid = forkpty(&master, NULL, NULL, NULL);
	ck_assert(pid >= 0);
	if (pid == 0) {
		execv(argv[0], (char *const *)argv);
		_exit(127);
	}
	/* Reading the master ends in EIO once the child has closed the
	 * terminal. */
	while ((n = read(master, buf, sizeof(buf))) > 0 ||
	       (n < 0 && errno == EINTR))
		if (n > 0)
			hc_buf_put(&run->out, buf, (size_t)n);
	close(master);
	ck_assert(waitpid(pid, &wstatus, 0) == pid);
	run->status = WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : -1;
	hc_buf_puts(&run->out, "");
	hc_buf_puts(&run->err, "");
	valgrind_log(&run->out, &log);
	strip_valgrind_notes(&run->out);
}

void test_run_release(struct test_run *run)
{
	hc_buf_release(&run->out);
	hc_buf_release(&run->err);
}

const char *test_profile_dir(void)
{
	return HARDCTL_PROFILE_DIR;
}

void test_ctx_setup(struct test_ctx *t, const char *fixture)
{
	memset(t, 0, sizeof(*t));
	t->root_dir = test_root(fixture);
	ck_assert_int_eq(hc_root_open(&t->root, t->root_dir), 0);
	ck_assert_int_eq(hc_aug_open(&t->aug, HARDCTL_LENS_DIR), 0);
	ck_assert_int_eq(hc_profile_load(&t->profile, t->aug, "service-console",
					 NULL, test_profile_dir()),
			 0);
	hc_ctx_init(&t->ctx, t->root, t->aug, t->profile);
	hc_plan_init(&t->plan);
}

void test_ctx_teardown(struct test_ctx *t)
{
	hc_strlist_release(&t->only);
	hc_plan_release(&t->plan);
	hc_findings_release(&t->findings);
	hc_ctx_release(&t->ctx);
	hc_profile_free(t->profile);
	hc_aug_free(t->aug);
	hc_root_free(t->root);
	test_rmtree(t->root_dir);
	free(t->root_dir);
}

struct hc_file *test_ctx_borrow(struct test_ctx *t, struct hc_ctx *now,
				const char *path, const char *lens)
{
	struct hc_file *file = NULL;

	hc_ctx_init(now, t->root, t->aug, t->profile);
	now->lender = &t->ctx;
	ck_assert_msg(hc_ctx_file(&file, now, path, lens, 0) == 0, "%s",
		      hc_error_last()->message);
	return file;
}

void test_ctx_read_twice(struct test_ctx *t, struct hc_ctx *plain,
			 struct hc_file **fast, struct hc_file **slow,
			 const char *path, const char *text, const char *lens,
			 const char *render_lens)
{
	*fast = *slow = NULL;
	test_write(t->root_dir, path, text, 0644);
	hc_ctx_init(plain, t->root, t->aug, t->profile);
	ck_assert_msg(hc_ctx_file(fast, &t->ctx, path, lens, 0) == 0, "%s",
		      hc_error_last()->message);
	ck_assert_int_eq(hc_ctx_file(slow, plain, path, lens, 0), 0);
	(*fast)->render_lens = render_lens;
}

const char *test_oracle(const char *why)
{
	const char *want = getenv("HARDCTL_TEST_ORACLES");

	if (why != NULL && want != NULL && strcmp(want, "required") == 0)
		ck_abort_msg("the real program this test asks cannot run: %s",
			     why);
	return why;
}
