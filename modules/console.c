/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The console: ctrl-alt-del must not reboot the host, and single-user
 * (rescue, emergency) mode must ask for root's password.  sysvinit
 * reads both from /etc/inittab; systemd from its units, where
 * ctrl-alt-del.target is masked by a symlink to /dev/null.  A host may
 * have both (Debian with sysvinit-core keeps systemd's units): each
 * one present is checked.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "hardctl/ctx.h"
#include "hardctl/file.h"
#include "hardctl/finding.h"
#include "modules.h"

#define INITTAB "/etc/inittab"
#define INITTAB_LENS "Inittab.lns"
#define CAD_MASK "/etc/systemd/system/ctrl-alt-del.target"

/* Whether systemd's unit directories are there: it is (or may be) init. */
static int has_systemd(bool *out, struct hc_ctx *ctx)
{
	static const char *const dirs[] = {
	    "/lib/systemd/system",
	    "/usr/lib/systemd/system",
	    "/etc/systemd/system",
	    NULL,
	};
	int error = 0;

	*out = false;
	for (const char *const *d = dirs; *d && !*out; d++) {
		struct stat st;

		error = hc_ctx_lstat(&st, ctx, *d);
		if (error == HC_ENOTFOUND) {
			hc_error_clear();
			error = 0;
			continue;
		}
		if (error < 0)
			return error;
		*out = S_ISDIR(st.st_mode);
	}
	return error;
}

static int inittab(struct hc_file **out, struct hc_ctx *ctx)
{
	return hc_ctx_file(out, ctx, INITTAB, INITTAB_LENS, HC_FILE_OPTIONAL);
}

/* The entries of the inittab whose action is ACTION. */
static int entries(struct hc_strlist *out, struct hc_file *file,
		   const char *action)
{
	struct hc_buf pattern = HC_BUF_INIT;
	int error;

	if ((error = hc_buf_printf(&pattern, "*[action='%s']", action)) == 0)
		error = hc_file_match(out, file, pattern.ptr);
	hc_buf_release(&pattern);
	return error;
}

static int field(const char **value, struct hc_file *file, const char *entry,
		 const char *name)
{
	struct hc_buf node = HC_BUF_INIT;
	int error;

	*value = NULL;
	if ((error = hc_buf_printf(&node, "%s/%s", entry, name)) == 0)
		error = hc_file_get(value, file, node.ptr);
	hc_buf_release(&node);
	return error;
}

/*
 * The inittab (NULL where there is none) and whether systemd's units are
 * there; with neither, the rule is N/A and *applies is false.
 */
static int init_systems(bool *applies, struct hc_file **tab, bool *systemd,
			struct hc_finding *out, struct hc_ctx *ctx)
{
	int error;

	*applies = false;
	if ((error = inittab(tab, ctx)) < 0 ||
	    (error = has_systemd(systemd, ctx)) < 0)
		return error;
	if (*tab == NULL && !*systemd)
		return hc_finding_na(
		    out, "neither %s nor systemd's units: no known init",
		    INITTAB);
	*applies = true;
	return 0;
}

/* ctrl-alt-del ------------------------------------------------------------ */

/*
 * What a disabled ctrlaltdel entry runs.  The entry stays (init would
 * otherwise ignore the key silently, and a comment would shift the
 * lens's other comments): it now only logs.
 */
#define CAD_LOGGER                                                             \
	"/usr/bin/logger -p authpriv.notice \"ctrl-alt-del pressed on the "    \
	"console: ignored\""

/* Whether an inittab PROCESS shuts the host down or reboots it. */
static bool reboots(const char *process)
{
	static const char *const words[] = {
	    "shutdown", "reboot", "halt", "poweroff", "init ", NULL,
	};

	if (process == NULL)
		return false;
	for (const char *const *w = words; *w; w++)
		if (strstr(process, *w))
			return true;
	return false;
}

static int mask_state(bool *masked, struct hc_file **out, struct hc_ctx *ctx)
{
	int error = hc_ctx_file(out, ctx, CAD_MASK, NULL, HC_FILE_CREATE);

	if (error < 0)
		return error;
	*masked = hc_file_present(*out) && (*out)->as_link &&
		  strcmp(hc_buf_cstr(&(*out)->cur), "/dev/null") == 0;
	return 0;
}

/* Judge the inittab's ctrlaltdel entries: each may only log. */
static int cad_inittab_check(struct hc_finding *out, struct hc_file *tab)
{
	struct hc_strlist ca = HC_STRLIST_INIT;
	int error;

	if ((error = entries(&ca, tab, "ctrlaltdel")) < 0)
		goto out;
	for (size_t i = 0; i < ca.n && error == 0; i++) {
		const char *process;

		if ((error = field(&process, tab, ca.v[i], "process")) == 0)
			error = (reboots(process) ? hc_finding_fail
						  : hc_finding_evidence)(
			    out, INITTAB, hc_file_line(tab, ca.v[i]),
			    process ? process : "",
			    reboots(process) ? "ctrlaltdel that only logs"
					     : NULL);
	}
	if (error == 0 && ca.n == 0)
		error = hc_finding_evidence(out, INITTAB, 0,
					    "no ctrlaltdel entry", NULL);
out:
	hc_strlist_release(&ca);
	return error;
}

/* Judge systemd's ctrl-alt-del.target: it must be masked. */
static int cad_mask_check(struct hc_finding *out, struct hc_ctx *ctx)
{
	struct hc_file *mask;
	bool masked;
	int error;

	if ((error = mask_state(&masked, &mask, ctx)) < 0)
		return error;
	if (masked)
		return hc_finding_evidence(out, CAD_MASK, 0, "-> /dev/null",
					   NULL);
	return hc_finding_fail(out, CAD_MASK, 0,
			       !hc_file_present(mask) ? "not masked"
			       : mask->as_link        ? hc_buf_cstr(&mask->cur)
						      : "a unit file",
			       "a symlink to /dev/null (masked)");
}

static int cad_check(struct hc_finding *out, struct hc_ctx *ctx,
		     const struct hc_rule *rule)
{
	struct hc_file *tab;
	bool applies, systemd;
	int error;

	(void)rule;
	if ((error = init_systems(&applies, &tab, &systemd, out, ctx)) < 0 ||
	    !applies)
		return error;
	if (tab)
		error = cad_inittab_check(out, tab);
	if (error == 0 && systemd)
		error = cad_mask_check(out, ctx);
	return error;
}

static int cad_remediate(struct hc_ctx *ctx, const struct hc_rule *rule)
{
	struct hc_strlist ca = HC_STRLIST_INIT;
	struct hc_file *tab, *mask;
	bool systemd, masked;
	int error;

	(void)rule;
	if ((error = inittab(&tab, ctx)) < 0 ||
	    (error = has_systemd(&systemd, ctx)) < 0)
		return error;
	if (tab && (error = entries(&ca, tab, "ctrlaltdel")) == 0)
		for (size_t i = 0; i < ca.n && error == 0; i++) {
			struct hc_buf node = HC_BUF_INIT;
			const char *process;

			if ((error = field(&process, tab, ca.v[i],
					   "process")) == 0 &&
			    reboots(process) &&
			    (error = hc_buf_printf(&node, "%s/process",
						   ca.v[i])) == 0)
				error = hc_file_set(tab, node.ptr, CAD_LOGGER);
			hc_buf_release(&node);
		}
	if (error == 0 && systemd &&
	    (error = mask_state(&masked, &mask, ctx)) == 0 && !masked)
		error = hc_file_set_link(mask, "/dev/null");
	hc_strlist_release(&ca);
	return error;
}

/* single-user mode ----------------------------------------------------------
 */

/* Whether PROCESS runs sulogin, and whether with --force (or -e). */
static bool runs_sulogin(const char *process, bool *forced)
{
	const char *p;

	*forced = false;
	if (process == NULL || (p = strstr(process, "sulogin")) == NULL)
		return false;
	*forced = strstr(p, "--force") != NULL || strstr(p, " -e") != NULL;
	return true;
}

/* Entries running sulogin, and whether one covers single-user mode (S). */
static int sulogin_entries(struct hc_strlist *out, bool *single,
			   struct hc_file *tab)
{
	struct hc_strlist all = HC_STRLIST_INIT;
	int error;

	*single = false;
	if ((error = hc_file_match(&all, tab, "*[process]")) < 0)
		goto out;
	for (size_t i = 0; i < all.n; i++) {
		const char *process, *levels;
		bool forced;

		if ((error = field(&process, tab, all.v[i], "process")) < 0 ||
		    (error = field(&levels, tab, all.v[i], "runlevels")) < 0)
			goto out;
		if (!runs_sulogin(process, &forced))
			continue;
		if (levels && strpbrk(levels, "Ss"))
			*single = true;
		if ((error = hc_strlist_push(out, all.v[i])) < 0)
			goto out;
	}
out:
	hc_strlist_release(&all);
	return error;
}

/* The units systemd runs for rescue and emergency mode. */
static const char *const sulogin_units[] = {"rescue.service",
					    "emergency.service", NULL};

/* The unit file systemd loads for UNIT: /etc overrides /run and /lib. */
static int unit_file(struct hc_file **out, struct hc_ctx *ctx, const char *unit)
{
	static const char *const dirs[] = {
	    "/etc/systemd/system",
	    "/usr/lib/systemd/system",
	    "/lib/systemd/system",
	    NULL,
	};
	struct hc_buf path = HC_BUF_INIT;
	int error = 0;

	*out = NULL;
	for (const char *const *d = dirs; *d && !*out; d++) {
		hc_buf_clear(&path);
		if ((error = hc_buf_printf(&path, "%s/%s", *d, unit)) < 0)
			break;
		if ((error = hc_ctx_file(out, ctx, path.ptr, NULL,
					 HC_FILE_OPTIONAL)) < 0)
			break;
	}
	hc_buf_release(&path);
	return error;
}

/* Judge systemd's unit NAME for rescue or emergency mode, if there is one. */
static int sulogin_unit_check(struct hc_finding *out, struct hc_ctx *ctx,
			      const char *name)
{
	struct hc_file *unit;
	int error;

	if ((error = unit_file(&unit, ctx, name)) < 0 || unit == NULL)
		return error;
	/*
	 * Every systemd since 2015 runs sulogin through
	 * systemd-sulogin-shell or sulogin itself; a unit that runs
	 * neither was replaced by someone, and is reported.
	 */
	if (unit->link || strstr(hc_buf_cstr(&unit->orig), "sulogin"))
		return hc_finding_evidence(out, unit->path, 0, "runs sulogin",
					   NULL);
	return hc_finding_fail(out, unit->path, 0, "does not run sulogin",
			       "ExecStart running sulogin");
}

static int single_check(struct hc_finding *out, struct hc_ctx *ctx,
			const struct hc_rule *rule)
{
	struct hc_strlist su = HC_STRLIST_INIT;
	struct hc_file *tab;
	bool applies, systemd, single;
	int error;

	(void)rule;
	if ((error = init_systems(&applies, &tab, &systemd, out, ctx)) < 0 ||
	    !applies)
		return error;
	if (tab && (error = sulogin_entries(&su, &single, tab)) == 0) {
		for (size_t i = 0; i < su.n && error == 0; i++) {
			const char *process;
			bool forced;

			if ((error = field(&process, tab, su.v[i], "process")) <
			    0)
				break;
			runs_sulogin(process, &forced);
			error = (forced ? hc_finding_fail
					: hc_finding_evidence)(
			    out, INITTAB, hc_file_line(tab, su.v[i]), process,
			    forced ? "sulogin without --force" : NULL);
		}
		if (error == 0 && !single)
			error = hc_finding_fail(
			    out, INITTAB, 0,
			    "no sulogin entry for single-user mode",
			    "~~:S:wait:/sbin/sulogin");
	}
	for (const char *const *u = sulogin_units; systemd && *u && error == 0;
	     u++)
		error = sulogin_unit_check(out, ctx, *u);
	hc_strlist_release(&su);
	return error;
}

/* Drop --force (and -e) from PROCESS, keeping its other words. */
static int unforced(struct hc_buf *out, const char *process)
{
	char *copy = hc_strdup(process), *word, *save = NULL;
	int error = 0;

	if (copy == NULL)
		return HC_ERROR;
	hc_buf_clear(out);
	for (word = strtok_r(copy, " \t", &save); word && error == 0;
	     word = strtok_r(NULL, " \t", &save)) {
		if (strcmp(word, "--force") == 0 || strcmp(word, "-e") == 0)
			continue;
		error = hc_buf_printf(out, "%s%s", out->size ? " " : "", word);
	}
	free(copy);
	return error;
}

static int single_remediate(struct hc_ctx *ctx, const struct hc_rule *rule)
{
	struct hc_strlist su = HC_STRLIST_INIT, sysinit = HC_STRLIST_INIT;
	struct hc_buf fixed = HC_BUF_INIT;
	struct hc_file *tab;
	bool single;
	int error;

	(void)rule;
	if ((error = inittab(&tab, ctx)) < 0 || tab == NULL ||
	    (error = sulogin_entries(&su, &single, tab)) < 0)
		goto out;
	for (size_t i = 0; i < su.n && error == 0; i++) {
		struct hc_buf node = HC_BUF_INIT;
		const char *process;

		if ((error = field(&process, tab, su.v[i], "process")) == 0 &&
		    (error = unforced(&fixed, process)) == 0 &&
		    (error = hc_buf_printf(&node, "%s/process", su.v[i])) == 0)
			error = hc_file_set(tab, node.ptr, fixed.ptr);
		hc_buf_release(&node);
	}
	if (error < 0 || single)
		goto out;
	/* Where sysvinit's own inittab has it: after the sysinit entry. */
	if ((error = entries(&sysinit, tab, "sysinit")) < 0)
		goto out;
	if (hc_file_label(tab, "~~") != NULL) {
		hc_error_set_at(
		    tab->display, hc_file_line(tab, "~~"),
		    "an entry named ~~ already exists: add sulogin by hand");
		error = HC_EUNSAFE;
		goto out;
	}
	if (sysinit.n && (error = hc_file_insert(tab, sysinit.v[sysinit.n - 1],
						 "~~", false)) < 0)
		goto out;
	if ((error = hc_file_set(tab, "~~/runlevels", "S")) == 0 &&
	    (error = hc_file_set(tab, "~~/action", "wait")) == 0)
		error = hc_file_set(tab, "~~/process", "/sbin/sulogin");
out:
	hc_buf_release(&fixed);
	hc_strlist_release(&su);
	hc_strlist_release(&sysinit);
	return error;
}

static const struct hc_param no_params[] = {
    {NULL, HC_PARAM_STRING, NULL, NULL, NULL}};

static const struct hc_rule rules[] = {
    {
	.id = "console.ctrl-alt-del",
	.title = "ctrl-alt-del on the console does not reboot the host",
	.severity = HC_CAT_I,
	.rationale = "Anyone at the console, or with access to a remote "
		     "console, could reboot the host with one key chord and "
		     "no login.",
	.refs = (const char *const[]){"RHEL 8 STIG V-230529", NULL},
	.params = no_params,
	.owns = (const char *const[]){"inittab:ctrlaltdel",
				      "systemd:ctrl-alt-del.target", NULL},
	.files = (const char *const[]){INITTAB, CAD_MASK, NULL},
	.check = cad_check,
	.remediate = cad_remediate,
    },
    {
	.id = "console.single-user-password",
	.title = "single-user and emergency modes ask for root's password",
	.severity = HC_CAT_II,
	.rationale = "Without sulogin, booting into single-user mode gives "
		     "whoever is at the console a root shell.  Debian's "
		     "inittab runs sulogin --force, which does so when root's "
		     "account is locked.",
	.refs = (const char *const[]){"RHEL 8 STIG V-230236",
				      "RHEL 8 STIG V-244523", NULL},
	.params = no_params,
	.owns = (const char *const[]){"inittab:sulogin", NULL},
	.files =
	    (const char *const[]){INITTAB, "/lib/systemd/system/rescue.service",
				  "/lib/systemd/system/emergency.service",
				  NULL},
	.check = single_check,
	.remediate = single_remediate,
    },
    {.id = NULL},
};

const struct hc_module hc_module_console = {
    .version = HC_MODULE_VERSION,
    .name = "console",
    .description = "ctrl-alt-del and single-user mode on the console",
    .rules = rules,
};
