/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Running a program of the host (see hardctl/run.h).  posix_spawn(3),
 * not fork(): glibc starts the child in the caller's memory until it
 * executes, so neither the page tables of a process that holds every
 * compiled lens are copied nor each of its pages faulted again after.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "hardctl/buf.h"
#include "hardctl/common.h"
#include "hardctl/run.h"
#include "hardctl/trace.h"

#define OUTPUT_MAX 65536

extern char **environ;

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/*
 * Where execvp() finds NAME, into OUT: NAME itself when it holds a
 * slash, else the first regular, executable file of that name in a
 * PATH directory ("/bin:/usr/bin" when PATH is unset).  0; 1 when there
 * is none; HC_ERROR.
 */
static int find_program(struct hc_buf *out, const char *name)
{
	const char *dir = getenv("PATH"), *end;
	struct stat st;
	int error;

	if (strchr(name, '/'))
		return hc_buf_set(out, name, strlen(name));
	for (dir = dir ? dir : "/bin:/usr/bin";; dir = end + 1) {
		end = strchrnul(dir, ':');
		hc_buf_clear(out);
		/* An empty entry is the current directory. */
		if ((error = hc_buf_printf(out, "%.*s%s%s", (int)(end - dir),
					   dir, end > dir ? "/" : "", name)) <
		    0)
			return error;
		if (stat(out->ptr, &st) == 0 && S_ISREG(st.st_mode) &&
		    access(out->ptr, X_OK) == 0)
			return 0;
		if (*end == '\0')
			return 1;
	}
}

/*
 * posix_spawnp() of ARGV found a file the kernel cannot execute (a
 * script without "#!"): /bin/sh runs it with ARGV's arguments, as
 * execvp() did.  0 or an errno.
 */
static int spawn_script(pid_t *pid, const char *const argv[],
			const posix_spawn_file_actions_t *fa,
			const posix_spawnattr_t *attr)
{
	struct hc_buf file = HC_BUF_INIT;
	const char **sh;
	size_t n = 0;
	int r = ENOEXEC, found;

	while (argv[n])
		n++;
	if (n == 0)
		return ENOEXEC;
	if ((sh = calloc(n + 2, sizeof(*sh))) == NULL)
		return ENOMEM;
	if ((found = find_program(&file, argv[0])) < 0)
		r = ENOMEM;
	if (found == 0) {
		sh[0] = "/bin/sh";
		sh[1] = hc_buf_cstr(&file);
		for (size_t i = 1; i < n; i++)
			sh[i + 1] = argv[i];
		r = posix_spawn(pid, sh[0], fa, attr, (char *const *)sh,
				environ);
	}
	hc_buf_release(&file);
	free(sh);
	return r;
}

/*
 * Start ARGV with stdin from /dev/null and stdout and stderr on the
 * pipe's write end OUTFD.  0; 1 when it cannot be executed (the
 * caller reports it as a shell would, exit 127); HC_ERROR.
 */
static int spawn(pid_t *pid, const char *const argv[], int outfd)
{
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	sigset_t mask, alrm;
	int r;

	if ((r = posix_spawn_file_actions_init(&fa)) != 0)
		goto fail;
	if ((r = posix_spawnattr_init(&attr)) != 0) {
		posix_spawn_file_actions_destroy(&fa);
		goto fail;
	}
	/* SIGALRM is how a time limit ends it: default, and not blocked. */
	sigemptyset(&alrm);
	sigaddset(&alrm, SIGALRM);
	sigprocmask(SIG_SETMASK, NULL, &mask);
	sigdelset(&mask, SIGALRM);
	if ((r = posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY,
						  0)) == 0 &&
	    (r = posix_spawn_file_actions_adddup2(&fa, outfd, 1)) == 0 &&
	    (r = posix_spawn_file_actions_adddup2(&fa, outfd, 2)) == 0 &&
	    (r = posix_spawnattr_setsigmask(&attr, &mask)) == 0 &&
	    (r = posix_spawnattr_setsigdefault(&attr, &alrm)) == 0 &&
	    (r = posix_spawnattr_setflags(
		 &attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF)) == 0)
		/* Its prototype predates const; it does not write the
		 * strings. */
		r = posix_spawnp(pid, argv[0], &fa, &attr, (char *const *)argv,
				 environ);
	if (r == ENOEXEC)
		r = spawn_script(pid, argv, &fa, &attr);
	posix_spawnattr_destroy(&attr);
	posix_spawn_file_actions_destroy(&fa);
	if (r == 0)
		return 0;
	if (r != ENOMEM && r != EAGAIN)
		return 1;
fail:
	errno = r;
	hc_error_set_os(argv[0], "cannot run");
	return HC_ERROR;
}

/*
 * A program's time limit: at DEADLINE (ms on the monotonic clock; 0:
 * none) it gets SIGALRM, as an alarm() of its own would have sent it;
 * KILL_AFTER_MS later, SIGKILL (one that ignores SIGALRM itself), and
 * output still held open (by what it left running) is not waited for.
 */
#define KILL_AFTER_MS 2000

struct limit {
	pid_t pid;
	long long deadline;
	bool alarmed; /* SIGALRM sent */
};

/*
 * Ms until LIM's next step, SIGALRM sent if it is due; 0 when the end
 * (KILL_AFTER_MS after the deadline) is; -1 when there is no limit.
 */
static long long limit_left(struct limit *lim)
{
	long long now, end;

	if (lim->deadline == 0)
		return -1;
	now = now_ms();
	if (!lim->alarmed && now >= lim->deadline) {
		kill(lim->pid, SIGALRM);
		lim->alarmed = true;
	}
	if (!lim->alarmed)
		return lim->deadline - now;
	end = lim->deadline + KILL_AFTER_MS;
	return now >= end ? 0 : end - now;
}

/*
 * Read the pipe FD to its end, or LIM's, into OUT.  At LIM's end what
 * is there already is still read: a caller that finishes late (it had
 * work of its own, see hc_run_start()) hears a program that ended in
 * time as a caller on time would.
 */
static int read_output(struct hc_buf *out, int fd, struct limit *lim,
		       const char *name)
{
	struct pollfd p = {fd, POLLIN, 0};

	hc_buf_clear(out);
	for (;;) {
		long long left = limit_left(lim);
		int r;

		if (poll(&p, 1, left < 0 || left > 60000 ? 60000 : (int)left) <
		    0) {
			if (errno == EINTR)
				continue;
			hc_error_set_os(name, "cannot read");
			return HC_ERROR;
		}
		if (p.revents == 0 && left == 0)
			return 0;
		if (p.revents == 0)
			continue;
		if ((r = hc_buf_read_more(out, fd, OUTPUT_MAX, name)) <= 0)
			return r;
	}
}

/* Wait for LIM's program; at the end of its limit it is killed. */
static int reap(int *status, struct limit *lim, const char *name)
{
	int flags = lim->deadline ? WNOHANG : 0;

	for (;;) {
		pid_t r = waitpid(lim->pid, status, flags);

		if (r == lim->pid)
			return 0;
		if (r < 0 && errno != EINTR) {
			hc_error_set_os(name, "cannot wait for");
			return HC_ERROR;
		}
		if (r != 0)
			continue;
		if (limit_left(lim) == 0) {
			kill(lim->pid, SIGKILL);
			flags = 0;
		} else {
			poll(NULL, 0, 2);
		}
	}
}

int hc_run_start(struct hc_run_job *job, const char *const argv[],
		 unsigned int seconds)
{
	int fds[2], started;

	memset(job, 0, sizeof(*job));
	job->fd = -1;
	snprintf(job->name, sizeof(job->name), "%s", argv[0]);
	job->deadline = seconds ? now_ms() + seconds * 1000LL : 0;
	if (pipe2(fds, O_CLOEXEC) < 0) {
		hc_error_set_os(argv[0], "cannot run");
		return HC_ERROR;
	}
	started = spawn(&job->pid, argv, fds[1]);
	close(fds[1]);
	if (started < 0) {
		close(fds[0]);
		return started;
	}
	if (started > 0) {
		/* Not found or not executable: as a shell says it. */
		close(fds[0]);
		job->pid = 0;
		job->status = W_EXITCODE(127, 0);
		return 0;
	}
	job->fd = fds[0];
	return 0;
}

int hc_run_finish(struct hc_run_job *job, struct hc_buf *out, int *status)
{
	struct limit lim = {job->pid, job->deadline, false};
	int error;

	hc_buf_clear(out);
	*status = job->status;
	if (job->pid <= 0)
		return 0;
	error = read_output(out, job->fd, &lim, job->name);
	close(job->fd);
	job->fd = -1;
	if (reap(status, &lim, job->name) < 0)
		error = HC_ERROR;
	job->pid = 0;
	return error;
}

void hc_run_abandon(struct hc_run_job *job)
{
	int status;

	if (job->pid <= 0)
		return;
	kill(job->pid, SIGKILL);
	close(job->fd);
	job->fd = -1;
	while (waitpid(job->pid, &status, 0) < 0 && errno == EINTR)
		;
	job->pid = 0;
}

int hc_run_limited(struct hc_buf *out, int *status, const char *const argv[],
		   unsigned int seconds)
{
	struct hc_run_job job;
	int error = hc_run_start(&job, argv, seconds);

	return error < 0 ? error : hc_run_finish(&job, out, status);
}

int hc_run(struct hc_buf *out, int *status, const char *const argv[])
{
	/* What a program says depends on which program it is. */
	hc_trace_host(argv[0]);
	return hc_run_limited(out, status, argv, 0);
}

const char *hc_run_status(int status, char *buf, size_t size)
{
	if (WIFEXITED(status))
		snprintf(buf, size, "exit %d", WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		snprintf(buf, size, "killed by signal %d", WTERMSIG(status));
	else
		snprintf(buf, size, "status %d", status);
	return buf;
}
