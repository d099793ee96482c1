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
	const char *slash, *rel = HARDCTL_FULL_RELPATH;
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
	/*
	 * SELF is canonical (no symbolic link, no "."): each "../" of the
	 * relative path is its directory's parent, and is written so, so
	 * that what names the path names it plainly.
	 */
	while (strncmp(rel, "../", 3) == 0 && slash > self) {
		slash = memrchr(self, '/', (size_t)(slash - self));
		rel += 3;
	}
	n = snprintf(out, len, "%.*s/%s", (int)(slash - self), self, rel);
	if (n < 0 || (size_t)n >= len) {
		if (len > 0)
			out[0] = '\0';
		hc_error_set("the path of hardctl-full beside '%s' is too long",
			     self);
		return HC_ERROR;
	}
	return 0;
}
