/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Root access: where and how root may log in.  sshd's PermitRootLogin;
 * /etc/securetty, read by pam_securetty; /etc/security/access.conf,
 * read by pam_access.  The two files matter only where their module is
 * in the login stack: check says so.
 */
#include <fnmatch.h>
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

/* Where a login stack's modules may be: login itself, or what it includes. */
static const char *const login_stacks[] = {
	PAM_LOGIN, "/etc/pam.d/common-auth", "/etc/pam.d/common-account",
	"/etc/pam.d/system-auth", NULL,
};

/* Whether module NAME is anywhere in the console login stack. */
static int in_login_stack(bool *out, struct hc_ctx *ctx, const char *name)
{
	static const char *const types[] = { "auth", "account", NULL };
	struct hc_file *stacks[8];
	size_t n;
	int error;

	*out = false;
	if ((error = pam_files(stacks, &n, 8, ctx, login_stacks)) < 0)
		return error;
	for (size_t i = 0; i < n && !*out && error == 0; i++) {
		for (const char *const *t = types; *t && !*out && error == 0; t++) {
			struct hc_strlist lines = HC_STRLIST_INIT;

			error = pam_lines(&lines, stacks[i], *t, name);
			*out = lines.n > 0;
			hc_strlist_release(&lines);
		}
	}
	return error;
}

/* Say whether the file a rule checks has any effect on this host. */
static int effect(struct hc_finding *out, struct hc_ctx *ctx, const char *path,
		  const char *module)
{
	struct hc_buf note = HC_BUF_INIT;
	bool used;
	int error;

	if ((error = in_login_stack(&used, ctx, module)) < 0)
		return error;
	if ((error = hc_buf_printf(&note, used ? "%s is in the login stack: this file is enforced"
					       : "%s is not in the login stack: this file has no effect",
				   module)) == 0)
		error = hc_finding_evidence(out, path, 0, note.ptr, NULL);
	hc_buf_release(&note);
	return error;
}

/* securetty ------------------------------------------------------------- */

static bool listed(const char *list, const char *word)
{
	size_t len = strlen(word);

	for (const char *p = list; (p = strstr(p, word)) != NULL; p += len)
		if ((p == list || p[-1] == ' ') && (p[len] == '\0' || p[len] == ' '))
			return true;
	return false;
}

static int securetty_file(struct hc_file **out, struct hc_ctx *ctx)
{
	return hc_ctx_file(out, ctx, SECURETTY, "Securetty.lns", HC_FILE_OPTIONAL);
}

static int securetty_check(struct hc_finding *out, struct hc_ctx *ctx,
			   const struct hc_rule *rule)
{
	const char *ttys = hc_ctx_param(ctx, rule, "ttys");
	struct hc_strlist nodes = HC_STRLIST_INIT;
	struct hc_file *file;
	int error;

	if ((error = securetty_file(&file, ctx)) < 0)
		return error;
	if (file == NULL)
		return hc_finding_na(out, "no %s (root's terminals are not limited by it)",
				     SECURETTY);
	if ((error = hc_file_match(&nodes, file, "*[label() != '#comment']")) < 0)
		goto out;
	for (size_t i = 0; i < nodes.n && error == 0; i++) {
		const char *tty;

		if ((error = hc_file_get(&tty, file, nodes.v[i])) == 0 && tty &&
		    !listed(ttys, tty))
			error = hc_finding_fail(out, SECURETTY, hc_file_line(file, nodes.v[i]),
						tty, ttys);
	}
	if (error == 0)
		error = effect(out, ctx, SECURETTY, "pam_securetty");
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

	if ((error = securetty_file(&file, ctx)) < 0 || file == NULL ||
	    (error = hc_file_match(&nodes, file, "*[label() != '#comment']")) < 0)
		goto out;
	for (size_t i = nodes.n; i-- > 0 && error == 0;) {
		const char *have;

		if ((error = hc_file_get(&have, file, nodes.v[i])) == 0 && have &&
		    !listed(ttys, have))
			error = hc_file_rm(file, nodes.v[i]);
	}
	/* Never leave root without its console: add the wanted ones missing. */
	if (error < 0 || (copy = hc_strdup(ttys)) == NULL) {
		error = error < 0 ? error : HC_ERROR;
		goto out;
	}
	/* The Securetty lens numbers entries; a fresh number renders the same. */
	for (tty = strtok_r(copy, " ", &save); tty && error == 0;
	     tty = strtok_r(NULL, " ", &save), label++) {
		struct hc_buf pattern = HC_BUF_INIT;
		struct hc_strlist have = HC_STRLIST_INIT;

		if ((error = hc_buf_printf(&pattern, "*[. = '%s']", tty)) == 0 &&
		    (error = hc_file_match(&have, file, pattern.ptr)) == 0 && have.n == 0) {
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
	return hc_ctx_file(out, ctx, ACCESS_CONF, "Access.lns", HC_FILE_OPTIONAL);
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
		bool root, all, root_excepted, local_only, all_origins, except_local;

		if ((error = child_is(&root, file, e, "user", "root")) < 0 ||
		    (error = child_is(&all, file, e, "user", "ALL")) < 0 ||
		    (error = child_is(&root_excepted, file, e, "except/user", "root")) < 0 ||
		    (error = child_is(&all_origins, file, e, "origin", "ALL")) < 0 ||
		    (error = child_is(&except_local, file, e, "except/origin", "LOCAL")) < 0 ||
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
				local_only = error == 0 && o && strcmp(o, "LOCAL") == 0;
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
	if ((error = root_entry(&entry, &deny, file)) < 0)
		return error;
	if (entry && deny)
		error = hc_finding_evidence(out, ACCESS_CONF, hc_file_line(file, entry),
					    "root denied from all but LOCAL", NULL);
	else
		error = hc_finding_fail(out, ACCESS_CONF, entry ? hc_file_line(file, entry) : 0,
					entry ? "an entry letting root in from the network"
					      : "no entry for root: pam_access lets it in",
					"-:root:ALL EXCEPT LOCAL");
	free(entry);
	if (error < 0)
		return error;
	if ((error = in_login_stack(&used, ctx, "pam_access")) < 0)
		return error;
	if (!used && strcmp(hc_ctx_param(ctx, rule, "enable-pam-access"), "yes") == 0)
		return hc_finding_fail(out, PAM_LOGIN, 0, "pam_access not in the login stack",
				       "account required pam_access.so");
	return effect(out, ctx, ACCESS_CONF, "pam_access");
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
	if (!deny) {
		/* First, so no earlier entry lets root in: pam_access takes the first match. */
		if ((error = hc_file_match(&entries, file, "access")) < 0 ||
		    (entries.n && (error = hc_file_insert(file, entries.v[0], "access", true)) < 0) ||
		    (error = hc_file_set(file, "access[1]", "-")) < 0 ||
		    (error = hc_file_set(file, "access[1]/user", "root")) < 0 ||
		    (error = hc_file_set(file, "access[1]/origin", "ALL")) < 0 ||
		    (error = hc_file_set(file, "access[1]/except/origin", "LOCAL")) < 0)
			goto out;
	}
	if (strcmp(hc_ctx_param(ctx, rule, "enable-pam-access"), "yes") != 0 ||
	    (error = in_login_stack(&used, ctx, "pam_access")) < 0 || used)
		goto out;
	{
		struct hc_file *login;
		struct hc_strlist lines = HC_STRLIST_INIT;

		error = hc_ctx_file(&login, ctx, PAM_LOGIN, PAM_LENS, 0);
		if (error == HC_ENOTFOUND) {
			hc_error_clear();
			hc_error_set("%s: no %s to add pam_access to", rule->id, PAM_LOGIN);
			error = HC_EUNSAFE;
			goto out;
		}
		if (error < 0)
			goto out;
		login->validate = pam_validate;
		/*
		 * After the last account line, or appended: an account line
		 * with "required" adds a condition and moves no jump.
		 */
		if ((error = hc_file_match(&lines, login, "*[type='account' or include]")) == 0 &&
		    lines.n)
			error = pam_insert(login, lines.v[lines.n - 1], false, "account",
					   "required", "pam_access.so", NULL);
		else if (error == 0)
			error = pam_insert(login, "*[last()]", false, "account",
					   "required", "pam_access.so", NULL);
		hc_strlist_release(&lines);
	}
out:
	hc_strlist_release(&entries);
	return error;
}

/* PermitRootLogin, with its lockout guard --------------------------------- */

/* Whether SHELL lets its account log in. */
static bool login_shell(const char *shell)
{
	static const char *const no[] = { "nologin", "false", "sync", "shutdown", "halt", NULL };
	const char *base;

	if (shell == NULL || *shell == '\0')
		return true; /* /bin/sh */
	base = strrchr(shell, '/');
	base = base ? base + 1 : shell;
	for (const char *const *n = no; *n; n++)
		if (strcmp(base, *n) == 0)
			return false;
	return true;
}

/* Whether USER, with primary GID, belongs to one of GROUPS (sshd patterns). */
static int in_groups(bool *out, struct hc_ctx *ctx, const char *user, const char *gid,
		     const char *groups)
{
	struct hc_strlist names = HC_STRLIST_INIT;
	struct hc_file *group;
	int error = hc_ctx_file(&group, ctx, "/etc/group", "Group.lns", HC_FILE_OPTIONAL);

	*out = false;
	if (error < 0 || group == NULL || (error = hc_file_match(&names, group, "*[gid]")) < 0)
		goto out;
	for (size_t i = 0; i < names.n && !*out; i++) {
		const char *name = hc_file_label(group, names.v[i]), *g;
		char *copy, *pat, *save = NULL;
		bool match = false, member = false;
		struct hc_buf path = HC_BUF_INIT;

		if (name == NULL || (copy = hc_strdup(groups)) == NULL)
			continue;
		for (pat = strtok_r(copy, " \t", &save); pat && !match;
		     pat = strtok_r(NULL, " \t", &save))
			match = fnmatch(pat, name, 0) == 0;
		free(copy);
		if (!match)
			continue;
		if ((error = hc_buf_printf(&path, "%s/gid", names.v[i])) == 0 &&
		    (error = hc_file_get(&g, group, path.ptr)) == 0)
			*out = g && gid && strcmp(g, gid) == 0;
		if (error == 0 && !*out)
			error = child_is(&member, group, names.v[i], "user", user);
		if (error == 0 && !*out)
			*out = member;
		hc_buf_release(&path);
		if (error < 0)
			goto out;
	}
out:
	hc_strlist_release(&names);
	return error;
}

static bool user_allowed(const char *allow, const char *user)
{
	char *copy = hc_strdup(allow), *pat, *save = NULL;
	bool match = false;

	if (copy == NULL)
		return false;
	for (pat = strtok_r(copy, " \t", &save); pat && !match;
	     pat = strtok_r(NULL, " \t", &save)) {
		char *at = strchr(pat, '@');

		if (at)
			*at = '\0'; /* USER@HOST: the host part is not ours to judge */
		match = fnmatch(pat, user, 0) == 0;
	}
	free(copy);
	return match;
}

/*
 * The words of sshd's global KEYWORD (AllowUsers, AllowGroups), which
 * the Sshd lens keeps as numbered children; *set says whether it is.
 */
static int sshd_words(struct hc_buf *out, bool *set, struct hc_ctx *ctx, const char *keyword)
{
	struct hc_strlist words = HC_STRLIST_INIT;
	struct hc_buf pattern = HC_BUF_INIT;
	struct sshd_value v;
	int error;

	*set = false;
	hc_buf_clear(out);
	if ((error = sshd_lookup(&v, ctx, keyword)) < 0 || v.file == NULL)
		goto out;
	*set = true;
	if (v.value) {
		error = hc_buf_puts(out, v.value);
		goto out;
	}
	if ((error = hc_buf_printf(&pattern, "%s/*", v.node)) < 0 ||
	    (error = hc_file_match(&words, v.file, pattern.ptr)) < 0)
		goto out;
	for (size_t i = 0; i < words.n && error == 0; i++) {
		const char *w;

		if ((error = hc_file_get(&w, v.file, words.v[i])) == 0 && w)
			error = hc_buf_printf(out, "%s%s", out->size ? " " : "", w);
	}
out:
	hc_buf_release(&pattern);
	hc_strlist_release(&words);
	sshd_value_release(&v);
	return error;
}

/*
 * Refuse PermitRootLogin no where no other account could log in over
 * ssh to become root: none with a login shell in ROOT's passwd, or none
 * sshd's AllowUsers/AllowGroups admit.
 */
static int other_login(bool *out, struct hc_buf *why, struct hc_ctx *ctx)
{
	struct hc_strlist users = HC_STRLIST_INIT;
	struct hc_buf allow_users = HC_BUF_INIT, allow_groups = HC_BUF_INIT;
	struct hc_buf path = HC_BUF_INIT;
	struct hc_file *passwd;
	bool users_set, groups_set;
	int error;

	*out = false;
	error = hc_ctx_file(&passwd, ctx, "/etc/passwd", "Passwd.lns", 0);
	if (error == HC_ENOTFOUND) {
		hc_error_clear();
		return hc_buf_puts(why, "there is no /etc/passwd");
	}
	if (error < 0 || (error = sshd_words(&allow_users, &users_set, ctx, "AllowUsers")) < 0 ||
	    (error = sshd_words(&allow_groups, &groups_set, ctx, "AllowGroups")) < 0 ||
	    (error = hc_file_match(&users, passwd, "*[uid]")) < 0)
		goto out;
	for (size_t i = 0; i < users.n && !*out; i++) {
		const char *name = hc_file_label(passwd, users.v[i]), *uid, *gid, *shell;
		bool ok;

		hc_buf_clear(&path);
		if ((error = hc_buf_printf(&path, "%s/uid", users.v[i])) < 0 ||
		    (error = hc_file_get(&uid, passwd, path.ptr)) < 0)
			goto out;
		hc_buf_clear(&path);
		if ((error = hc_buf_printf(&path, "%s/gid", users.v[i])) < 0 ||
		    (error = hc_file_get(&gid, passwd, path.ptr)) < 0)
			goto out;
		hc_buf_clear(&path);
		if ((error = hc_buf_printf(&path, "%s/shell", users.v[i])) < 0 ||
		    (error = hc_file_get(&shell, passwd, path.ptr)) < 0)
			goto out;
		if (name == NULL || uid == NULL || strcmp(uid, "0") == 0 || !login_shell(shell))
			continue;
		ok = !users_set || user_allowed(hc_buf_cstr(&allow_users), name);
		if (ok && groups_set &&
		    (error = in_groups(&ok, ctx, name, gid, hc_buf_cstr(&allow_groups))) < 0)
			goto out;
		*out = ok;
	}
	if (!*out)
		error = hc_buf_printf(why, "no account but root has a login shell in /etc/passwd%s",
				      users_set || groups_set
					      ? " and is admitted by sshd's AllowUsers/AllowGroups"
					      : "");
out:
	hc_buf_release(&path);
	hc_strlist_release(&users);
	hc_buf_release(&allow_users);
	hc_buf_release(&allow_groups);
	return error;
}

static int permit_root_remediate(struct hc_ctx *ctx, const struct hc_rule *rule)
{
	struct hc_buf why = HC_BUF_INIT;
	bool other;
	int error = 0;

	if (strcasecmp(hc_ctx_param(ctx, rule, "value"), "no") == 0 &&
	    strcmp(hc_ctx_param(ctx, rule, "accept-lockout"), "yes") != 0) {
		if ((error = other_login(&other, &why, ctx)) < 0)
			goto out;
		if (!other) {
			hc_error_set("PermitRootLogin no would leave no way to log in over ssh: "
				     "%s.  Add an administrator account first, or set "
				     "accept-lockout = yes for this rule in the profile",
				     why.ptr);
			error = HC_EUNSAFE;
			goto out;
		}
	}
	error = sshd_setting_remediate(ctx, rule);
out:
	hc_buf_release(&why);
	return error;
}

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
		.rationale =
			"Administrators log in as themselves and become root, so "
			"every action is traced to a person and root's password "
			"is never exposed to the network.",
		.refs = (const char *const[]){ "RHEL 8 STIG V-230296", NULL },
		.params = (const struct hc_param[]){
			{ "value", HC_PARAM_STRING, "no",
			  "PermitRootLogin value sshd must use" },
			{ "accept-lockout", HC_PARAM_STRING, "no",
			  "yes: apply even where no other account can log in" },
			{ NULL, HC_PARAM_STRING, NULL, NULL },
		},
		.owns = (const char *const[]){ "sshd_config:PermitRootLogin", NULL },
		.files = (const char *const[]){ SSHD_CONFIG, "/etc/ssh/sshd_config.d/*.conf", NULL },
		.data = &permit_root_login,
		.check = sshd_setting_check,
		.remediate = permit_root_remediate,
	},
	{
		.id = "root-access.securetty",
		.title = "root logs in directly only on the console",
		.severity = HC_CAT_II,
		.rationale = "pam_securetty lets root log in only on the terminals "
			     "/etc/securetty lists; any other, a serial line or a "
			     "virtual console left open, is a way in.",
		.refs = NULL,
		.params = (const struct hc_param[]){
			{ "ttys", HC_PARAM_STRING, "console tty1",
			  "the terminals root may log in on, space-separated" },
			{ NULL, HC_PARAM_STRING, NULL, NULL },
		},
		.owns = (const char *const[]){ "securetty:ttys", NULL },
		.files = (const char *const[]){ SECURETTY, PAM_LOGIN, NULL },
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
			     "is in the stack: enable-pam-access adds it to the "
			     "console login's.",
		.refs = NULL,
		.params = (const struct hc_param[]){
			{ "enable-pam-access", HC_PARAM_STRING, "no",
			  "yes: add pam_access to /etc/pam.d/login where it is missing" },
			{ NULL, HC_PARAM_STRING, NULL, NULL },
		},
		.owns = (const char *const[]){ "access.conf:root", "pam:login-access", NULL },
		.files = (const char *const[]){ ACCESS_CONF, PAM_LOGIN, NULL },
		.check = access_check,
		.remediate = access_remediate,
	},
	{ .id = NULL },
};

const struct hc_module hc_module_root_access = {
	.version = HC_MODULE_VERSION,
	.name = "root-access",
	.description = "where and how root may log in",
	.rules = rules,
};
