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
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
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
 * How long to wait for output before *DEADLINE (-1: no limit); once it
 * has passed, PID gets SIGALRM and there is none any more.
 */
static int poll_timeout(long long *deadline, pid_t pid)
{
	long long left;

	if (*deadline == 0)
		return -1;
	if ((left = *deadline - now_ms()) > 0)
		return left > 60000 ? 60000 : (int)left;
	kill(pid, SIGALRM);
	*deadline = 0;
	return -1;
}

/*
 * Read the pipe FD to its end into OUT.  Past DEADLINE (ms on the
 * monotonic clock; 0: none) PID gets SIGALRM, as an alarm() of its own
 * would have sent it, and its end closes the pipe.
 */
static int read_output(struct hc_buf *out, int fd, pid_t pid,
		       long long deadline, const char *name)
{
	struct pollfd p = {fd, POLLIN, 0};

	hc_buf_clear(out);
	for (;;) {
		int timeout = poll_timeout(&deadline, pid), r;

		if (poll(&p, 1, timeout) < 0) {
			if (errno == EINTR)
				continue;
			hc_error_set_os(name, "cannot read");
			return HC_ERROR;
		}
		if (p.revents == 0)
			continue;
		if ((r = hc_buf_read_more(out, fd, OUTPUT_MAX, name)) <= 0)
			return r;
	}
}

/* Wait for PID; past DEADLINE (0: none) it gets SIGALRM first. */
static int reap(int *status, pid_t pid, long long deadline, const char *name)
{
	int flags = deadline ? WNOHANG : 0;

	for (;;) {
		pid_t r = waitpid(pid, status, flags);

		if (r == pid)
			return 0;
		if (r < 0 && errno != EINTR) {
			hc_error_set_os(name, "cannot wait for");
			return HC_ERROR;
		}
		if (r == 0 && now_ms() >= deadline) {
			kill(pid, SIGALRM);
			flags = 0;
		} else if (r == 0) {
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
	int error = 0;

	hc_buf_clear(out);
	*status = job->status;
	if (job->pid <= 0)
		return 0;
	error = read_output(out, job->fd, job->pid, job->deadline, job->name);
	close(job->fd);
	job->fd = -1;
	if (reap(status, job->pid, job->deadline, job->name) < 0)
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
