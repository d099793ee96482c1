/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What makes a changed file take effect: the daemon that must re-read
 * it, or the command that applies it.  A core service: the core owns
 * the list of services and their files, and apply asks it after an
 * install.
 */
#ifndef HARDCTL_RELOAD_H
#define HARDCTL_RELOAD_H

#include <stddef.h>

struct hc_root;

#define HC_RELOAD_ARGS 4

/** What makes changed files take effect on a host. */
struct hc_reload {
	const char *what; /* "sshd", "sysctl", "virtual machines" */
	const char *argv[HC_RELOAD_ARGS]; /* the command, NULL-terminated;
					     argv[0] NULL: none */
	const char *note; /* without a command: what to do instead */
	char name[64];    /* storage for argv: the unit or script */
};

/**
 * What must re-read the changed files PATHS (inside ROOT), one entry
 * per service in a fixed order, commands as they would run on ROOT's
 * own init (systemctl or service).  *out is freed by the caller; NULL
 * and *n 0 when nothing must.  0 or HC_ERROR (*out NULL then).
 */
int hc_reload_list(struct hc_reload **out, size_t *n, struct hc_root *root,
		   const char *const *paths, size_t npaths);

#endif
