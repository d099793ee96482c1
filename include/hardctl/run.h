/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Running a program of the host: sshd -t, ssh-keygen, a service reload.
 */
#ifndef HARDCTL_RUN_H
#define HARDCTL_RUN_H

#include <sys/types.h>
#include "buf.h"

/**
 * Run ARGV (ARGV[0] looked up in PATH unless it holds a slash) with
 * stdin from /dev/null; its stdout and stderr together, up to 64 KiB,
 * in OUT; *status as waitpid() gives it.  0, or HC_ERROR when it could
 * not be started or waited for.
 */
int hc_run(struct hc_buf *out, int *status, const char *const argv[]);

/**
 * hc_run(), ARGV killed by SIGALRM after SECONDS (0: no limit): for a
 * program whose input an untrusted ROOT chooses, which may block on a
 * FIFO.  *status then says WIFSIGNALED, WTERMSIG SIGALRM.  Two seconds
 * later, one that ignores SIGALRM gets SIGKILL, and output still held
 * open (by a process ARGV left running) is no longer waited for.
 */
int hc_run_limited(struct hc_buf *out, int *status, const char *const argv[],
		   unsigned int seconds);

/** A program started and not yet waited for. */
struct hc_run_job {
	pid_t pid;          /* 0: none to wait for */
	int fd;             /* its output */
	long long deadline; /* ms on the monotonic clock; 0: none */
	int status;         /* the answer when none was started (exit 127) */
	char name[256];     /* what errors name */
};

/**
 * hc_run_limited() in two halves, for a caller with work of its own to
 * do meanwhile: start ARGV (its time, SECONDS, counts from now)...
 * 0 or HC_ERROR.
 */
int hc_run_start(struct hc_run_job *job, const char *const argv[],
		 unsigned int seconds);

/** ...then read its output into OUT and wait for it.  0 or HC_ERROR. */
int hc_run_finish(struct hc_run_job *job, struct hc_buf *out, int *status);

/** Or end it unheard (SIGKILL) and wait for it. */
void hc_run_abandon(struct hc_run_job *job);

/** "exit 3", "killed by signal 9": what *status says, for messages. */
const char *hc_run_status(int status, char *buf, size_t size);

#endif
