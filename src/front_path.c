/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Where the front finds the full program (see hardctl/front.h).
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <unistd.h>
#include "hardctl/common.h"
#include "hardctl/front.h"

/*
 * The running executable's path into SELF: /proc/self/exe, which the
 * kernel keeps resolved; without /proc (a chroot not yet set up), the
 * path execve() was given, resolved here.  0 or HC_ERROR.
 */
static int self_path(char self[PATH_MAX])
{
	ssize_t n = readlink("/proc/self/exe", self, PATH_MAX - 1);
	const char *execfn;

	if (n > 0) {
		self[n] = '\0';
		return 0;
	}
	execfn = (const char *)getauxval(AT_EXECFN);
	if (execfn == NULL || realpath(execfn, self) == NULL) {
		hc_error_set_os("/proc/self/exe",
				"cannot find the hardctl binary running");
		return HC_ERROR;
	}
	return 0;
}

int hc_front_full_path(char *out, size_t len)
{
	char self[PATH_MAX];
	const char *slash;
	int n;

	if (len > 0)
		out[0] = '\0';
	if (self_path(self) < 0)
		return HC_ERROR;
	slash = strrchr(self, '/');
	if (slash == NULL) {
		hc_error_set("'%s': not an absolute path", self);
		return HC_ERROR;
	}
	n = snprintf(out, len, "%.*s/%s", (int)(slash - self), self,
		     HARDCTL_FULL_RELPATH);
	if (n < 0 || (size_t)n >= len) {
		if (len > 0)
			out[0] = '\0';
		hc_error_set("the path of hardctl-full beside '%s' is too long",
			     self);
		return HC_ERROR;
	}
	return 0;
}
