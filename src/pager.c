/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The pager, as git runs it: long diffs and logs on a terminal go
 * through "less" (or HARDCTL_PAGER, or PAGER) instead of scrolling
 * away.  Command layer: it reads the environment and the terminal.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "cmd.h"

static pid_t pager_pid;
static bool pager_quit;

/* The pager's command, or NULL for none. */
static const char *pager_command(void)
{
	const char *cmd = getenv("HARDCTL_PAGER");

	if (cmd == NULL)
		cmd = getenv("PAGER");
	if (cmd == NULL)
		cmd = "less";
	return cmd[0] == '\0' || strcmp(cmd, "cat") == 0 ? NULL : cmd;
}

void cmd_pager_start(const struct cmd_env *env)
{
	const char *cmd;
	int fds[2];
	pid_t pid;

	if (pager_pid || !env->pager || env->format != HC_FORMAT_TEXT ||
	    !isatty(STDOUT_FILENO) || (cmd = pager_command()) == NULL)
		return;
	fflush(stdout);
	if (pipe(fds) < 0) {
		perror("hardctl: cannot start the pager");
		return;
	}
	if ((pid = fork()) < 0) {
		perror("hardctl: cannot start the pager");
		close(fds[0]);
		close(fds[1]);
		return;
	}
	if (pid == 0) {
		dup2(fds[0], STDIN_FILENO);
		close(fds[0]);
		close(fds[1]);
		/* Quit at once on short output; let the colours through. */
		if (getenv("LESS") == NULL)
			setenv("LESS", "FRX", 1);
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		fprintf(stderr, "hardctl: cannot run the pager '%s': %s\n", cmd,
			strerror(errno));
		_exit(127);
	}
	close(fds[0]);
	if (dup2(fds[1], STDOUT_FILENO) < 0) {
		perror("hardctl: cannot start the pager");
		close(fds[1]);
		waitpid(pid, NULL, 0);
		return;
	}
	close(fds[1]);
	/*
	 * A pager quit early makes writes fail with EPIPE instead of
	 * killing hardctl, so that what it does still finishes and its
	 * exit code stands.
	 */
	signal(SIGPIPE, SIG_IGN);
	/*
	 * The pager owns the terminal now, and ^C is its business (less
	 * stops a search with it): hardctl, which only writes its output
	 * from here on, must not die and leave the pager behind, fighting
	 * the shell for the terminal.
	 */
	signal(SIGINT, SIG_IGN);
	signal(SIGQUIT, SIG_IGN);
	pager_pid = pid;
}

bool cmd_pager_gone(void)
{
	if (pager_pid && errno == EPIPE)
		pager_quit = true;
	return pager_quit;
}

void cmd_pager_finish(void)
{
	int null;

	if (pager_pid == 0)
		return;
	if (fflush(stdout) != 0)
		cmd_pager_gone();
	/*
	 * The pager reads to end of file: close our end.  Stdout becomes
	 * /dev/null, not a free descriptor a file opened later would take
	 * (and a stray write would then land in).
	 */
	null = open("/dev/null", O_WRONLY | O_CLOEXEC);
	if (null < 0 || dup2(null, STDOUT_FILENO) < 0)
		close(STDOUT_FILENO);
	if (null >= 0)
		close(null);
	while (waitpid(pager_pid, NULL, 0) < 0 && errno == EINTR)
		;
	pager_pid = 0;
}
