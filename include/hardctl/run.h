/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Running a program of the host: sshd -t, ssh-keygen, a service reload.
 */
#ifndef HARDCTL_RUN_H
#define HARDCTL_RUN_H

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

/** "exit 3", "killed by signal 9": what *status says, for messages. */
const char *hc_run_status(int status, char *buf, size_t size);

#endif
