/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Root access: where and how root may log in.  sshd's PermitRootLogin;
 * /etc/securetty, read by pam_securetty; /etc/security/access.conf,
 * read by pam_access.  The two files matter only where their module is
 * in some service's PAM stack: check says so.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "hardctl/ctx.h"
#include "hardctl/file.h"
#include "hardctl/finding.h"
#include "modules.h"
#include "pam.h"
#include "sshd_config.h"

#define SECURETTY "/etc/securetty"
#define ACCESS_CONF "/etc/security/access.conf"
#define PAM_LOGIN "/etc/pam.d/login"

/* The stages a module reads its file in: pam_securetty has only auth. */
static const char *const securetty_types[] = {"auth", NULL};
static const char *const access_types[] = {"auth", "account", "session",
					   "password", NULL};

/*
 * Whether module NAME runs, in one of TYPES, in any stack libpam may
 * run (every service's file and what it includes or substacks: see
 * pam_stacks_load()); *where (unless NULL) names the first file that
 * loads it, or NULL.  A module in sshd's stack only is as much in force
 * as one in login's.
 */
static int in_a_stack(bool *out, const char **where, struct hc_ctx *ctx,
		      const char *name, const char *const *types)
{
	struct pam_stacks stacks;
	int error;

	*out = false;
	if (where)
		*where = NULL;
	if ((error = pam_stacks_load(&stacks, ctx)) < 0)
		return error;
	for (size_t i = 0; i < stacks.n && !*out && error == 0; i++) {
		for (const char *const *t = types; *t && !*out && error == 0;
		     t++) {
			struct hc_strlist lines = HC_STRLIST_INIT;

			error = pam_records(&lines, stacks.v[i], *t, name);
			if (error == 0 && lines.n > 0) {
				*out = true;
				if (where)
					*where = stacks.v[i]->path;
			}
			hc_strlist_release(&lines);
		}
	}
	pam_stacks_release(&stacks);
	return error;
}

/*
 * Whether the file a rule checks has any effect on this host: when
 * MODULE, the one that reads it, is in no PAM stack, nothing reads it,
 * and the rule is N/A with that reason (*used false), never a pass on
 * a file nobody reads.  Otherwise the evidence says which stack reads it.
 */
static int effect(bool *used, struct hc_finding *out, struct hc_ctx *ctx,
		  const char *path, const char *module,
		  const char *const *types)
{
	struct hc_buf note = HC_BUF_INIT;
	const char *where;
	int error;

	if ((error = in_a_stack(used, &where, ctx, module, types)) < 0)
		return error;
	if (!*used)
		return hc_finding_na(
		    out,
		    "%s is in no PAM stack (/etc/pam.d and what its "
		    "files include): %s has no effect",
		    module, path);
	if ((error = hc_buf_printf(
		 &note, "%s is in the PAM stack of %s: this file is enforced",
		 module, where)) == 0)
		error = hc_finding_evidence(out, path, 0, note.ptr, NULL);
	hc_buf_release(&note);
	return error;
}

/* securetty ------------------------------------------------------------- */

static bool listed(const char *list, const char *word)
{
	size_t len = strlen(word);

	for (const char *p = list; (p = strstr(p, word)) != NULL; p += len)
		if ((p == list || p[-1] == ' ') &&
		    (p[len] == '\0' || p[len] == ' '))
			return true;
	return false;
}

static int securetty_file(struct hc_file **out, struct hc_ctx *ctx)
{
	return hc_ctx_file(out, ctx, SECURETTY, "Securetty.lns",
			   HC_FILE_OPTIONAL);
}

static int securetty_check(struct hc_finding *out, struct hc_ctx *ctx,
			   const struct hc_rule *rule)
{
	const char *ttys = hc_ctx_param(ctx, rule, "ttys");
	struct hc_strlist nodes = HC_STRLIST_INIT;
	struct hc_file *file;
	bool used;
	int error;

	if ((error = securetty_file(&file, ctx)) < 0 ||
	    (error = effect(&used, out, ctx, SECURETTY, "pam_securetty",
			    securetty_types)) < 0 ||
	    !used)
		return error;
	/* pam_securetty finding no file lets root in on every terminal. */
	if (file == NULL)
		return hc_finding_fail(out, SECURETTY, 0,
				       "no such file: pam_securetty lets root "
				       "in on every terminal",
				       ttys);
	if ((error = hc_file_match(&nodes, file, "*[label() != '#comment']")) <
	    0)
		goto out;
	for (size_t i = 0; i < nodes.n && error == 0; i++) {
		const char *tty;

		if ((error = hc_file_get(&tty, file, nodes.v[i])) == 0 && tty &&
		    !listed(ttys, tty))
			error = hc_finding_fail(out, SECURETTY,
						hc_file_line(file, nodes.v[i]),
						tty, ttys);
	}
out:
	hc_strlist_release(&nodes);
	return error;
}

static int securetty_remediate(struct hc_ctx *ctx, const struct hc_rule *rule)
{
	const char *ttys = hc_ctx_param(ctx, rule, "ttys");
	struct hc_strlist nodes = HC_STRLIST_INIT;
	char *copy = NULL, *tty, *save = NULL;
	unsigned int label = 10000;
	struct hc_file *file;
	int error;

	if ((error = hc_ctx_file(&file, ctx, SECURETTY, "Securetty.lns",
				 HC_FILE_CREATE)) < 0 ||
	    (error = hc_file_match(&nodes, file, "*[label() != '#comment']")) <
		0)
		goto out;
	for (size_t i = nodes.n; i-- > 0 && error == 0;) {
		const char *have;

		if ((error = hc_file_get(&have, file, nodes.v[i])) == 0 &&
		    have && !listed(ttys, have))
			error = hc_file_rm(file, nodes.v[i]);
	}
	/* Never leave root without its console: add the wanted ones missing. */
	if (error < 0 || (copy = hc_strdup(ttys)) == NULL) {
		error = error < 0 ? error : HC_ERROR;
		goto out;
	}
	/* The Securetty lens numbers entries; a fresh number renders the same.
	 */
	for (tty = strtok_r(copy, " ", &save); tty && error == 0;
	     tty = strtok_r(NULL, " ", &save), label++) {
		struct hc_buf pattern = HC_BUF_INIT;
		struct hc_strlist have = HC_STRLIST_INIT;

		if ((error = hc_buf_printf(&pattern, "*[. = '%s']", tty)) ==
			0 &&
		    (error = hc_file_match(&have, file, pattern.ptr)) == 0 &&
		    have.n == 0) {
			hc_buf_clear(&pattern);
			error = hc_buf_printf(&pattern, "%u", label);
			if (error == 0)
				error = hc_file_set(file, pattern.ptr, tty);
		}
		hc_buf_release(&pattern);
		hc_strlist_release(&have);
	}
out:
	free(copy);
	hc_strlist_release(&nodes);
	return error;
}
/* access.conf ------------------------------------------------------------ */

static int access_file(struct hc_file **out, struct hc_ctx *ctx)
{
	return hc_ctx_file(out, ctx, ACCESS_CONF, "Access.lns",
			   HC_FILE_OPTIONAL);
}

static int child_is(bool *out, struct hc_file *file, const char *entry,
		    const char *pattern, const char *value)
{
	struct hc_strlist nodes = HC_STRLIST_INIT;
	struct hc_buf path = HC_BUF_INIT;
	int error;

	*out = false;
	if ((error = hc_buf_printf(&path, "%s/%s", entry, pattern)) < 0 ||
	    (error = hc_file_match(&nodes, file, path.ptr)) < 0)
		goto out;
	for (size_t i = 0; i < nodes.n && !*out; i++) {
		const char *v;

		if ((error = hc_file_get(&v, file, nodes.v[i])) < 0)
			goto out;
		*out = v && strcmp(v, value) == 0;
	}
out:
	hc_buf_release(&path);
	hc_strlist_release(&nodes);
	return error;
}

/*
 * The first entry pam_access would apply to root logging in from the
 * network: its users name root (or ALL, not excepting root) and its
 * origins are not only LOCAL.  *deny says whether it denies root from
 * everywhere but LOCAL.
 */
static int root_entry(char **out, bool *deny, struct hc_file *file)
{
	struct hc_strlist entries = HC_STRLIST_INIT;
	int error;

	*out = NULL;
	*deny = false;
	if ((error = hc_file_match(&entries, file, "access")) < 0)
		goto out;
	for (size_t i = 0; i < entries.n && !*out; i++) {
		const char *e = entries.v[i], *sign;
		bool root, all, root_excepted, local_only, all_origins,
		    except_local;

		if ((error = child_is(&root, file, e, "user", "root")) < 0 ||
		    (error = child_is(&all, file, e, "user", "ALL")) < 0 ||
		    (error = child_is(&root_excepted, file, e, "except/user",
				      "root")) < 0 ||
		    (error = child_is(&all_origins, file, e, "origin", "ALL")) <
			0 ||
		    (error = child_is(&except_local, file, e, "except/origin",
				      "LOCAL")) < 0 ||
		    (error = hc_file_get(&sign, file, e)) < 0)
			goto out;
		if (!root && !(all && !root_excepted))
			continue;
		{
			struct hc_strlist origins = HC_STRLIST_INIT;
			struct hc_buf path = HC_BUF_INIT;

			error = hc_buf_printf(&path, "%s/origin", e);
			if (error == 0)
				error = hc_file_match(&origins, file, path.ptr);
			local_only = origins.n == 1 && !all_origins;
			if (local_only && error == 0) {
				const char *o;

				error = hc_file_get(&o, file, origins.v[0]);
				local_only =
				    error == 0 && o && strcmp(o, "LOCAL") == 0;
			}
			hc_buf_release(&path);
			hc_strlist_release(&origins);
			if (error < 0)
				goto out;
		}
		if (local_only)
			continue;
		if ((*out = hc_strdup(e)) == NULL) {
			error = HC_ERROR;
			goto out;
		}
		*deny = sign && strcmp(sign, "-") == 0 && all_origins &&
			(except_local || !root_excepted);
	}
out:
	hc_strlist_release(&entries);
	return error;
}

/* What foreign_access does for one pam_access LINE of STACK. */
static int foreign_line(struct hc_finding *out, struct hc_file *stack,
			const char *line)
{
	static const char *const args[] = {"accessfile", "fieldsep", "listsep",
					   NULL};
	struct hc_buf found = HC_BUF_INIT;
	int error = 0;

	for (const char *const *a = args; *a && error == 0; a++) {
		const char *value;
		char *node;

		if ((error = pam_arg(&node, &value, stack, line, *a)) < 0 ||
		    node == NULL)
			continue;
		free(node);
		if (strcmp(*a, "accessfile") == 0 &&
		    strcmp(value, ACCESS_CONF) == 0)
			continue;
		if (out == NULL) {
			error = pam_arg_rm(stack, line, *a);
			continue;
		}
		hc_buf_clear(&found);
		if ((error = hc_buf_printf(
			 &found,
			 "pam_access %s=%s: not %s as this rule reads it", *a,
			 value, ACCESS_CONF)) == 0)
			error = hc_finding_fail(
			    out, stack->path, hc_file_line(stack, line),
			    found.ptr,
			    "pam_access reading " ACCESS_CONF
			    " (no accessfile, fieldsep or listsep)");
	}
	hc_buf_release(&found);
	return error;
}

/*
 * The arguments of a pam_access line in any PAM stack that make it
 * read other than what this rule judges: another file (accessfile=),
 * or access.conf split at other separators than ':' and blanks
 * (fieldsep=, listsep=), where the entry denying root may not parse.
 * Check: one failure per argument, at its line (OUT non-NULL).
 * Remediate (OUT NULL): each removed, so pam_access reads
 * /etc/security/access.conf as the Access lens does.
 */
static int foreign_access(struct hc_finding *out, struct hc_ctx *ctx)
{
	struct hc_strlist lines = HC_STRLIST_INIT;
	struct pam_stacks all;
	struct hc_file **stacks;
	int error;

	if ((error = pam_stacks_load(&all, ctx)) < 0)
		return error;
	stacks = all.v;
	for (size_t i = 0; i < all.n && error == 0; i++) {
		for (const char *const *t = access_types; *t && error == 0;
		     t++) {
			hc_strlist_release(&lines);
			if ((error = pam_records(&lines, stacks[i], *t,
						 "pam_access")) < 0)
				break;
			for (size_t l = 0; l < lines.n && error == 0; l++)
				error =
				    foreign_line(out, stacks[i], lines.v[l]);
		}
	}
	hc_strlist_release(&lines);
	pam_stacks_release(&all);
	return error;
}

static int access_check(struct hc_finding *out, struct hc_ctx *ctx,
			const struct hc_rule *rule)
{
	struct hc_file *file;
	char *entry = NULL;
	bool deny, used;
	int error;

	if ((error = access_file(&file, ctx)) < 0)
		return error;
	if (file == NULL)
		return hc_finding_na(out, "no %s", ACCESS_CONF);
	if ((error = in_a_stack(&used, NULL, ctx, "pam_access", access_types)) <
	    0)
		return error;
	/* Unless the profile has pam_access added, a file nobody reads is N/A.
	 */
	if (!used &&
	    strcmp(hc_ctx_param(ctx, rule, "enable-pam-access"), "yes") != 0)
		return effect(&used, out, ctx, ACCESS_CONF, "pam_access",
			      access_types);
	if ((error = root_entry(&entry, &deny, file)) < 0)
		return error;
	if (used && (error = foreign_access(out, ctx)) < 0)
		goto out;
	if (entry && deny)
		error = hc_finding_evidence(
		    out, ACCESS_CONF, hc_file_line(file, entry),
		    "root denied from all but LOCAL", NULL);
	else
		error = hc_finding_fail(
		    out, ACCESS_CONF, entry ? hc_file_line(file, entry) : 0,
		    entry ? "an entry letting root in from the network"
			  : "no entry for root: pam_access lets it in",
		    "-:root:ALL EXCEPT LOCAL");
out:
	free(entry);
	if (error < 0)
		return error;
	if (!used)
		return hc_finding_fail(out, PAM_LOGIN, 0,
				       "pam_access in no PAM stack",
				       "account required pam_access.so");
	return effect(&used, out, ctx, ACCESS_CONF, "pam_access", access_types);
}

static int access_remediate(struct hc_ctx *ctx, const struct hc_rule *rule)
{
	struct hc_strlist entries = HC_STRLIST_INIT;
	struct hc_file *file;
	char *entry = NULL;
	bool deny, used;
	int error;

	if ((error = access_file(&file, ctx)) < 0 || file == NULL)
		return error;
	if ((error = root_entry(&entry, &deny, file)) < 0)
		return error;
	deny = entry && deny;
	free(entry);
	if ((error = foreign_access(NULL, ctx)) < 0)
		return error;
	if (!deny) {
		/* First, so no earlier entry lets root in: pam_access takes the
		 * first match. */
		if ((error = hc_file_match(&entries, file, "access")) < 0 ||
		    (entries.n &&
		     (error = hc_file_insert(file, entries.v[0], "access",
					     true)) < 0) ||
		    (error = hc_file_set(file, "access[1]", "-")) < 0 ||
		    (error = hc_file_set(file, "access[1]/user", "root")) < 0 ||
		    (error = hc_file_set(file, "access[1]/origin", "ALL")) <
			0 ||
		    (error = hc_file_set(file, "access[1]/except/origin",
					 "LOCAL")) < 0)
			goto out;
	}
	if (strcmp(hc_ctx_param(ctx, rule, "enable-pam-access"), "yes") != 0 ||
	    (error = in_a_stack(&used, NULL, ctx, "pam_access", access_types)) <
		0 ||
	    used)
		goto out;
	{
		struct hc_file *login;
		struct hc_strlist lines = HC_STRLIST_INIT;

		error = hc_ctx_file(&login, ctx, PAM_LOGIN, PAM_LENS, 0);
		if (error == HC_ENOTFOUND) {
			hc_error_clear();
			hc_error_set("%s: no %s to add pam_access to", rule->id,
				     PAM_LOGIN);
			error = HC_EUNSAFE;
			goto out;
		}
		if (error < 0)
			goto out;
		login->validate = pam_validate;
		login->may_edit = pam_may_edit;
		/*
		 * After the last account line, or appended: an account line
		 * with "required" adds a condition and moves no jump.
		 */
		if ((error = hc_file_match(
			 &lines, login, "*[type='account' or include]")) == 0 &&
		    lines.n)
			error = pam_insert(login, lines.v[lines.n - 1], false,
					   "account", "required",
					   "pam_access.so", NULL);
		else if (error == 0)
			error = pam_insert(login, "*[last()]", false, "account",
					   "required", "pam_access.so", NULL);
		hc_strlist_release(&lines);
	}
out:
	hc_strlist_release(&entries);
	return error;
}

/*
 * PermitRootLogin.  Whether the administrators still have a way in once
 * root is shut out is the lockout judgment's question (hardctl/access.h),
 * asked of the whole plan rather than of this one setting.
 */
static const struct sshd_setting permit_root_login = {
    .keyword = "PermitRootLogin",
    .param = "value",
    .sshd_default = "prohibit-password",
    .nocase = true,
};

static const struct hc_rule rules[] = {
    {
	.id = "root-access.sshd-permit-root-login",
	.title = "sshd refuses logins as root",
	.severity = HC_CAT_II,
	.rationale = "Administrators log in as themselves and become root, so "
		     "every action is traced to a person and root's password "
		     "is never exposed to the network.",
	.refs = (const char *const[]){"RHEL 8 STIG V-230296", NULL},
	.params =
	    (const struct hc_param[]){
		{"value", HC_PARAM_STRING, "no",
		 "PermitRootLogin value sshd must use",
		 /* sshd reads these in any case; "yes" is what the rule
		    forbids. */
		 &(const struct hc_valid){
		     .kind = HC_VALID_CHOICE,
		     .nocase = true,
		     .choices =
			 (const char *const[]){"no", "prohibit-password",
					       "without-password",
					       "forced-commands-only", NULL},
		     .refused = (const char *const[]){"yes", NULL},
		     .allowed = "no, prohibit-password, without-password or "
				"forced-commands-only"}},
		{NULL, HC_PARAM_STRING, NULL, NULL, NULL},
	    },
	.owns = (const char *const[]){"sshd_config:PermitRootLogin", NULL},
	.files = (const char *const[]){SSHD_CONFIG,
				       "/etc/ssh/sshd_config.d/*.conf", NULL},
	.data = &permit_root_login,
	.check = sshd_setting_check,
	.remediate = sshd_setting_remediate,
    },
    {
	.id = "root-access.securetty",
	.title = "root logs in directly only on the console",
	.severity = HC_CAT_II,
	.rationale = "pam_securetty lets root log in only on the terminals "
		     "/etc/securetty lists; any other, a serial line or a "
		     "virtual console left open, is a way in.  N/A where "
		     "pam_securetty is in no PAM stack (no file of /etc/pam.d, "
		     "or what one includes, loads it): nothing reads the file "
		     "then.",
	.refs = NULL,
	.params =
	    (const struct hc_param[]){
		{"ttys", HC_PARAM_STRING, "console tty1",
		 "the terminals root may log in on, space-separated",
		 &(const struct hc_valid){.kind = HC_VALID_WORDS,
					  .min = 1,
					  .max = 256,
					  .word_bytes = "/._-:",
					  .allowed =
					      "terminal names such as console "
					      "tty1 ttyS0"}},
		{NULL, HC_PARAM_STRING, NULL, NULL, NULL},
	    },
	.owns = (const char *const[]){"securetty:ttys", NULL},
	.files = (const char *const[]){SECURETTY, "/etc/pam.d/*",
				       "/usr/lib/pam.d/*", NULL},
	.check = securetty_check,
	.remediate = securetty_remediate,
    },
    {
	.id = "root-access.access-conf",
	.title = "pam_access denies root from everywhere but the local console",
	.severity = HC_CAT_II,
	.rationale = "access.conf is the one place that states who may log in "
		     "from where; its first entry for root must deny every "
		     "origin but LOCAL.  It is enforced only where pam_access "
		     "is in some PAM stack (a file of /etc/pam.d, or what one "
		     "includes, sshd's as much as login's): N/A where it is "
		     "in none, unless enable-pam-access = yes, which fails "
		     "then and adds it to the console login's.",
	.refs = NULL,
	.params =
	    (const struct hc_param[]){
		{"enable-pam-access", HC_PARAM_BOOL, "no",
		 "yes: add pam_access to /etc/pam.d/login where it is missing",
		 NULL},
		{NULL, HC_PARAM_STRING, NULL, NULL, NULL},
	    },
	.owns =
	    (const char *const[]){"access.conf:root", "pam:login-access", NULL},
	.files = (const char *const[]){ACCESS_CONF, "/etc/pam.d/*",
				       "/usr/lib/pam.d/*", NULL},
	.check = access_check,
	.remediate = access_remediate,
    },
    {.id = NULL},
};

const struct hc_module hc_module_root_access = {
    .version = HC_MODULE_VERSION,
    .name = "root-access",
    .description = "where and how root may log in",
    .rules = rules,
};
