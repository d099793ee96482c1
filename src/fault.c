/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Fault points and the live-root override (see hardctl/fault.h).
 * Compiled only in test builds.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "hardctl/fault.h"

bool hc_fault(const char *name, int err)
{
	static unsigned int reached;
	const char *spec = getenv("HARDCTL_FAULT");
	char line[160];
	int len;

	reached++;
	if (spec == NULL)
		return false;
	if (strcmp(spec, "trace") == 0) {
		len = snprintf(line, sizeof(line),
			       "hardctl: fault point %u: %s\n", reached, name);
		if (len > 0 && write(STDERR_FILENO, line, (size_t)len) < 0)
			return false;
		return false;
	}
	if (strncmp(spec, "crash:", 6) == 0 &&
	    strtoul(spec + 6, NULL, 10) == reached) {
		len = snprintf(line, sizeof(line),
			       "hardctl: injected crash at %s\n", name);
		if (len > 0 && write(STDERR_FILENO, line, (size_t)len) < 0)
			_exit(128 + SIGKILL);
		raise(SIGKILL);
	}
	if (strncmp(spec, "fail:", 5) == 0 &&
	    strtoul(spec + 5, NULL, 10) == reached) {
		errno = err;
		return true;
	}
	return false;
}

bool hc_fault_at(const char *name, int err)
{
	const char *spec = getenv("HARDCTL_FAULT");
	char line[160];
	int len;

	if (spec == NULL)
		return false;
	if (strcmp(spec, "trace") == 0) {
		len = snprintf(line, sizeof(line), "hardctl: fault at %s\n",
			       name);
		if (len > 0 && write(STDERR_FILENO, line, (size_t)len) < 0)
			return false;
		return false;
	}
	if (strncmp(spec, "fail-at:", 8) == 0 && strcmp(spec + 8, name) == 0) {
		errno = err;
		return true;
	}
	return false;
}

bool hc_fault_live_root(const char *real)
{
	const char *dir = getenv("HARDCTL_TEST_LIVE_ROOT");
	char *want;
	bool yes;

	if (dir == NULL || dir[0] == '\0' ||
	    (want = realpath(dir, NULL)) == NULL)
		return false;
	yes = strcmp(want, real) == 0;
	free(want);
	return yes;
}
