/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The commands' side of the audit trail: the syslog record of a
 * transaction (hardctl/audit.h formats and sends it; a failure is a
 * warning here, never the transaction's), and etckeeper's commit when
 * ROOT/etc is under etckeeper.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "hardctl/audit.h"
#include "hardctl/fault.h"
#include "hardctl/module.h"
#include "hardctl/plan.h"
#include "hardctl/root.h"
#include "hardctl/run.h"
#include "cmd.h"

/* How long etckeeper commit may take before it is killed. */
#define ETCKEEPER_SECONDS 300

/* "hardctl: warning: ...", the last error's message after PREFIX. */
static void warn(const char *prefix)
{
	const struct hc_error *e = hc_error_last();
	struct hc_buf line = HC_BUF_INIT;

	if (hc_buf_printf(&line, "warning: %s: %s%s%s", prefix, e->file,
			  e->file[0] ? ": " : "", e->message) == 0)
		cmd_print_line(line.ptr);
	hc_buf_release(&line);
	hc_error_clear();
}

int cmd_audit_plan(struct cmd_audit_lists *out, const struct hc_plan *plan,
		   const char *rule)
{
	size_t n = 0;

	memset(out, 0, sizeof(*out));
	if (plan->nfiles &&
	    (out->files = calloc(plan->nfiles, sizeof(*out->files))) == NULL)
		return hc_error_oom();
	for (size_t i = 0; i < plan->nfiles; i++)
		out->files[i] = plan->files[i].path;
	out->nfiles = plan->nfiles;
	if ((out->rules = calloc(plan->nsteps + 1, sizeof(*out->rules))) ==
	    NULL) {
		free(out->files);
		out->files = NULL;
		return hc_error_oom();
	}
	if (rule)
		out->rules[n++] = rule;
	/* Consecutive steps of a rule are one rule. */
	for (size_t i = 0; i < plan->nsteps; i++) {
		const struct hc_rule *r = plan->steps[i].rule;

		if (r && (n == 0 || strcmp(out->rules[n - 1], r->id) != 0))
			out->rules[n++] = r->id;
	}
	out->nrules = n;
	return 0;
}

void cmd_audit_lists_release(struct cmd_audit_lists *l)
{
	free(l->files);
	free(l->rules);
	memset(l, 0, sizeof(*l));
}

void cmd_audit(const struct cmd_env *env, struct hc_audit_event *ev)
{
	char root[PATH_MAX];
	struct hc_buf record = HC_BUF_INIT;
	struct hc_error saved = *hc_error_last();
	struct hc_who who;
	bool sent;

	if (ev->root == NULL)
		ev->root =
		    realpath(env->root_path, root) ? root : env->root_path;
	if (hc_who_get(&who) < 0 ||
	    hc_audit_format(&record, ev, &who, getpid(), time(NULL)) < 0 ||
	    hc_audit_send(&sent, &record) < 0)
		warn("the transaction is not in syslog");
	hc_who_release(&who);
	hc_buf_release(&record);
	if (ev->root == root)
		ev->root = NULL;
	hc_error_restore(&saved); /* the command's own */
}

/* Whether PATH is "etckeeper" in a directory of $PATH, executable. */
static bool etckeeper_found(void)
{
	const char *path = getenv("PATH");
	struct hc_buf file = HC_BUF_INIT;
	bool found = false;

	if (path == NULL)
		path = "/usr/sbin:/usr/bin:/sbin:/bin";
	while (!found && *path) {
		size_t len = strcspn(path, ":");

		hc_buf_clear(&file);
		if (hc_buf_printf(&file, "%.*s/etckeeper", (int)len,
				  len ? path : ".") < 0)
			break;
		found = access(file.ptr, X_OK) == 0;
		path += len + (path[len] == ':');
	}
	hc_buf_release(&file);
	return found;
}

/*
 * Whether ROOT/etc is under etckeeper: ROOT/etc a directory (not a
 * symlink, which could lead out of ROOT) holding .etckeeper, itself a
 * regular file or a directory.
 */
static bool under_etckeeper(struct hc_root *root)
{
	struct stat st;

	if (hc_root_lstat(&st, root, "/etc") < 0 || !S_ISDIR(st.st_mode) ||
	    hc_root_lstat(&st, root, "/etc/.etckeeper") < 0 ||
	    !(S_ISREG(st.st_mode) || S_ISDIR(st.st_mode))) {
		hc_error_clear();
		return false;
	}
	return true;
}

/*
 * Whether ROOT is the running system's "/".  Elsewhere (an image) the
 * repository in ROOT/etc is the image's: git, run there by etckeeper,
 * would run its hooks, filters and fsmonitor on this host.
 */
static bool root_is_live(const struct cmd_env *env)
{
	char real[PATH_MAX];

	return realpath(env->root_path, real) &&
	       (strcmp(real, "/") == 0 || hc_fault_live_root(real));
}

void cmd_etckeeper(struct cmd_env *env, const char *message)
{
	struct hc_buf dir = HC_BUF_INIT, out = HC_BUF_INIT;
	struct hc_error saved = *hc_error_last();
	const char *argv[6];
	char why[64];
	int status;

	if (env->root == NULL || !under_etckeeper(env->root))
		goto out;
	if (!root_is_live(env)) {
		fprintf(stderr,
			"hardctl: warning: ROOT/etc is under etckeeper, but "
			"ROOT is not this system's /: not committed there (git "
			"would run the image's hooks here); commit it from "
			"the image (chroot ROOT etckeeper commit)\n");
		goto out;
	}
	if (!etckeeper_found()) {
		fprintf(stderr, "hardctl: warning: ROOT/etc is under etckeeper "
				"but etckeeper is not in PATH: not committed "
				"there\n");
		goto out;
	}
	if (hc_buf_printf(
		&dir, "%s/etc",
		strcmp(env->root_path, "/") == 0 ? "" : env->root_path) < 0) {
		warn("etckeeper");
		goto out;
	}
	argv[0] = "etckeeper";
	argv[1] = "commit";
	argv[2] = "-d";
	argv[3] = dir.ptr;
	argv[4] = message;
	argv[5] = NULL;
	/* A hook that hangs does not hold the store's lock for ever. */
	if (hc_run_limited(&out, &status, argv, ETCKEEPER_SECONDS) < 0) {
		warn("etckeeper commit");
		goto out;
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		fprintf(stderr,
			"hardctl: warning: etckeeper commit failed (%s); the "
			"transaction stands\n",
			hc_run_status(status, why, sizeof(why)));
out:
	hc_buf_release(&out);
	hc_buf_release(&dir);
	hc_error_restore(&saved); /* the command's own */
}
