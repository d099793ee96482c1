/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>
#include "hardctl/common.h"
#include "hardctl/run.h"
#include "hardctl/trace.h"

#define OUTPUT_MAX 65536

int hc_run_limited(struct hc_buf *out, int *status, const char *const argv[],
		   unsigned int seconds)
{
	int fds[2], null, error;
	pid_t pid;

	if (pipe(fds) < 0) {
		hc_error_set_os(argv[0], "cannot run");
		return HC_ERROR;
	}
	if ((pid = fork()) < 0) {
		hc_error_set_os(argv[0], "cannot run");
		close(fds[0]);
		close(fds[1]);
		return HC_ERROR;
	}
	if (pid == 0) {
		null = open("/dev/null", O_RDONLY);
		if (null < 0 || dup2(null, 0) < 0 || dup2(fds[1], 1) < 0 ||
		    dup2(fds[1], 2) < 0)
			_exit(127);
		close(fds[0]);
		/*
		 * An alarm outlives execve(): a program blocked (on a FIFO
		 * its arguments name, say) dies of it, and the read below
		 * sees the pipe close.
		 */
		if (seconds) {
			sigset_t alrm;

			sigemptyset(&alrm);
			sigaddset(&alrm, SIGALRM);
			signal(SIGALRM, SIG_DFL);
			sigprocmask(SIG_UNBLOCK, &alrm, NULL);
			alarm(seconds);
		}
		/* execvp's prototype predates const; it does not write the
		 * strings. */
		execvp(argv[0], (char *const *)argv);
		_exit(127);
	}
	close(fds[1]);
	error = hc_buf_read_fd(out, fds[0], OUTPUT_MAX, argv[0]);
	close(fds[0]);
	while (waitpid(pid, status, 0) < 0)
		if (errno != EINTR) {
			hc_error_set_os(argv[0], "cannot wait for");
			return HC_ERROR;
		}
	return error;
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
