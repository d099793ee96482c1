/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Password policy: aging and hashing in login.defs, the same aging for
 * the login accounts /etc/shadow already holds, complexity through the
 * PAM quality module (pam_pwquality with pwquality.conf, or the older
 * pam_cracklib), and the password and auth stacks around pam_unix.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "hardctl/ctx.h"
#include "hardctl/file.h"
#include "hardctl/finding.h"
#include "hardctl/root.h"
#include "kv.h"
#include "modules.h"
#include "pam.h"

#define LOGIN_DEFS "/etc/login.defs"
#define LOGIN_DEFS_LENS "Login_Defs.lns"
#define PWQUALITY_CONF "/etc/security/pwquality.conf"
#define PWQUALITY_LENS "Simplevars.lns"
#define MAX_STACKS 8

/* Where the password stack is: Debian's, then Red Hat's. */
static const char *const password_stacks[] = {
	"/etc/pam.d/common-password",
	"/etc/pam.d/system-auth",
	"/etc/pam.d/password-auth",
	NULL,
};

/* The stacks where pam_unix may take a null password. */
static const char *const unix_stacks[] = {
	"/etc/pam.d/common-auth",
	"/etc/pam.d/common-password",
	"/etc/pam.d/system-auth",
	"/etc/pam.d/password-auth",
	NULL,
};

/* login.defs ----------------------------------------------------------- */

static const struct kv_setting max_days = {
	LOGIN_DEFS, LOGIN_DEFS_LENS, "PASS_MAX_DAYS", "days", KV_AT_MOST,
	false, NULL, "99999", NULL,
};
static const struct kv_setting min_days = {
	LOGIN_DEFS, LOGIN_DEFS_LENS, "PASS_MIN_DAYS", "days", KV_AT_LEAST,
	false, NULL, "0", NULL,
};
static const struct kv_setting warn_age = {
	LOGIN_DEFS, LOGIN_DEFS_LENS, "PASS_WARN_AGE", "days", KV_AT_LEAST,
	false, NULL, "7", NULL,
};
static const struct kv_setting min_len = {
	LOGIN_DEFS, LOGIN_DEFS_LENS, "PASS_MIN_LEN", "length", KV_AT_LEAST,
	false, NULL, "5",
	"used only where no PAM quality module checks passwords: "
	"password.quality's minlen is what counts on a PAM system",
};
static const struct kv_setting encrypt_method = {
	LOGIN_DEFS, LOGIN_DEFS_LENS, "ENCRYPT_METHOD", "method", KV_EQUAL,
	true, (const char *const[]){ "SHA512", "YESCRYPT", NULL }, "DES", NULL,
};

/* Quality: pam_pwquality and pwquality.conf, or pam_cracklib --------- */

/* One limit of the quality module, as a parameter of password.quality. */
struct limit {
	const char *name;  /* argument and pwquality.conf key */
	enum kv_cmp cmp;
	const char *pwquality_default;
	const char *cracklib_default;
};

static const struct limit limits[] = {
	{ "minlen", KV_AT_LEAST, "8", "9" },
	{ "dcredit", KV_AT_MOST, "0", "1" },
	{ "ucredit", KV_AT_MOST, "0", "1" },
	{ "lcredit", KV_AT_MOST, "0", "1" },
	{ "ocredit", KV_AT_MOST, "0", "1" },
	{ "difok", KV_AT_LEAST, "1", "5" },
};

#define NLIMITS (sizeof(limits) / sizeof(limits[0]))

/* A stack's quality module line, if any. */
struct quality {
	struct hc_file *stack;
	char *line;       /* its node; NULL: none in this stack */
	bool cracklib;    /* pam_cracklib rather than pam_pwquality */
};

static void quality_release(struct quality *q)
{
	free(q->line);
	q->line = NULL;
}

/* The first password line of STACK using pam_pwquality or pam_cracklib. */
static int find_quality(struct quality *q, struct hc_file *stack)
{
	struct hc_strlist lines = HC_STRLIST_INIT;
	int error;

	memset(q, 0, sizeof(*q));
	q->stack = stack;
	if ((error = pam_lines(&lines, stack, "password", "pam_pwquality")) < 0)
		goto out;
	if (lines.n == 0) {
		q->cracklib = true;
		if ((error = pam_lines(&lines, stack, "password", "pam_cracklib")) < 0)
			goto out;
	}
	if (lines.n && (q->line = hc_strdup(lines.v[0])) == NULL)
		error = HC_ERROR;
out:
	hc_strlist_release(&lines);
	return error;
}

static int pwquality_conf(struct hc_file **out, struct hc_ctx *ctx)
{
	return hc_ctx_file(out, ctx, PWQUALITY_CONF, PWQUALITY_LENS, HC_FILE_OPTIONAL);
}

/* Where a limit's value comes from, as the module reads it. */
struct source {
	struct hc_file *file; /* NULL: the module's default */
	char *node;
	const char *value;
};

/* The value LIMIT has for Q's module: its argument beats pwquality.conf. */
static int effective(struct source *src, const struct quality *q,
		     struct hc_file *conf, const struct limit *limit)
{
	int error;

	memset(src, 0, sizeof(*src));
	if ((error = pam_arg(&src->node, &src->value, q->stack, q->line,
			     limit->name)) < 0)
		return error;
	if (src->node) {
		src->file = q->stack;
		return 0;
	}
	if (!q->cracklib && conf) {
		if ((error = kv_find(&src->node, conf, limit->name, 0)) < 0)
			return error;
		if (src->node) {
			src->file = conf;
			return hc_file_get(&src->value, conf, src->node);
		}
	}
	src->value = q->cracklib ? limit->cracklib_default : limit->pwquality_default;
	return 0;
}

static bool limit_ok(const struct limit *limit, const char *have, const char *want)
{
	struct kv_setting s = { .cmp = limit->cmp };

	return kv_satisfies(&s, have, want);
}

static int quality_stacks(struct hc_file **stacks, size_t *n, struct hc_ctx *ctx)
{
	return pam_files(stacks, n, MAX_STACKS, ctx, password_stacks);
}

static int quality_check(struct hc_finding *out, struct hc_ctx *ctx,
			 const struct hc_rule *rule)
{
	struct hc_file *stacks[MAX_STACKS], *conf;
	struct hc_buf found = HC_BUF_INIT, expected = HC_BUF_INIT;
	size_t n;
	int error;

	if ((error = quality_stacks(stacks, &n, ctx)) < 0 ||
	    (error = pwquality_conf(&conf, ctx)) < 0)
		return error;
	if (n == 0)
		return hc_finding_na(out, "no password stack (%s, %s)",
				     password_stacks[0], password_stacks[1]);
	for (size_t i = 0; i < n && error == 0; i++) {
		struct quality q;

		if ((error = find_quality(&q, stacks[i])) < 0)
			break;
		if (q.line == NULL) {
			error = hc_finding_fail(out, stacks[i]->path, 0,
						"no pam_pwquality or pam_cracklib line",
						"a password quality module ahead of pam_unix");
			continue;
		}
		for (size_t l = 0; l < NLIMITS && error == 0; l++) {
			const char *want = hc_ctx_param(ctx, rule, limits[l].name);
			struct source src;

			if ((error = effective(&src, &q, conf, &limits[l])) < 0)
				break;
			hc_buf_clear(&found);
			hc_buf_clear(&expected);
			if (src.file == NULL)
				error = hc_buf_printf(&found, "%s not set (%s default %s)",
						      limits[l].name,
						      q.cracklib ? "pam_cracklib" : "pam_pwquality",
						      src.value);
			else
				error = hc_buf_printf(&found, "%s %s%s", limits[l].name,
						      src.value ? src.value : "",
						      src.file == q.stack ? " (on the PAM line)" : "");
			if (error == 0)
				error = hc_buf_printf(&expected, "%s %s %s", limits[l].name,
						      limits[l].cmp == KV_AT_LEAST ? "at least" : "at most",
						      want);
			if (error < 0) {
				free(src.node);
				break;
			}
			if (limit_ok(&limits[l], src.value, want))
				error = hc_finding_evidence(out, src.file ? src.file->path : q.stack->path,
							    src.file ? hc_file_line(src.file, src.node)
								     : hc_file_line(q.stack, q.line),
							    found.ptr, NULL);
			else
				error = hc_finding_fail(out, src.file ? src.file->path : q.stack->path,
							src.file ? hc_file_line(src.file, src.node)
								 : hc_file_line(q.stack, q.line),
							found.ptr, expected.ptr);
			free(src.node);
		}
		quality_release(&q);
	}
	hc_buf_release(&found);
	hc_buf_release(&expected);
	return error;
}

/* Whether pam_pwquality.so is installed under ROOT, where PAM looks. */
static int pwquality_installed(bool *out, struct hc_ctx *ctx)
{
	static const char *const patterns[] = {
		"/lib/*/security/pam_pwquality.so",
		"/usr/lib/*/security/pam_pwquality.so",
		"/lib64/security/pam_pwquality.so",
		"/usr/lib64/security/pam_pwquality.so",
		"/lib/security/pam_pwquality.so",
		"/usr/lib/security/pam_pwquality.so",
		NULL,
	};
	struct hc_strlist found = HC_STRLIST_INIT;
	int error = 0;

	for (const char *const *p = patterns; *p && error == 0 && found.n == 0; p++)
		error = hc_root_glob(&found, ctx->root, *p);
	*out = found.n > 0;
	hc_strlist_release(&found);
	return error;
}

/* Put pam_pwquality ahead of STACK's first pam_unix password line. */
static int add_pwquality(struct quality *q, struct hc_ctx *ctx)
{
	struct hc_strlist unix_lines = HC_STRLIST_INIT;
	bool installed;
	int error;

	if ((error = pwquality_installed(&installed, ctx)) < 0 ||
	    (error = pam_lines(&unix_lines, q->stack, "password", "pam_unix")) < 0)
		goto out;
	if (!installed || unix_lines.n == 0) {
		hc_error_set("%s: %s", q->stack->display,
			     !installed ? "no password quality module in the stack, and "
					  "pam_pwquality.so is not installed: install "
					  "libpam-pwquality (or libpwquality) first"
					: "no pam_unix password line to put the quality "
					  "module ahead of: edit this stack by hand");
		error = HC_EUNSAFE;
		goto out;
	}
	if ((error = pam_insert(q->stack, unix_lines.v[0], true, "password",
				"requisite", "pam_pwquality.so", "retry=3")) < 0)
		goto out;
	quality_release(q);
	error = find_quality(q, q->stack);
out:
	hc_strlist_release(&unix_lines);
	return error;
}

static int quality_remediate(struct hc_ctx *ctx, const struct hc_rule *rule)
{
	struct hc_file *stacks[MAX_STACKS], *conf;
	size_t n;
	int error;

	if ((error = quality_stacks(stacks, &n, ctx)) < 0 ||
	    (error = pwquality_conf(&conf, ctx)) < 0)
		return error;
	for (size_t i = 0; i < n && error == 0; i++) {
		struct quality q;

		if ((error = find_quality(&q, stacks[i])) < 0)
			break;
		if (q.line == NULL && (error = add_pwquality(&q, ctx)) < 0)
			break;
		for (size_t l = 0; l < NLIMITS && error == 0; l++) {
			const char *want = hc_ctx_param(ctx, rule, limits[l].name);
			struct source src;

			if ((error = effective(&src, &q, conf, &limits[l])) < 0)
				break;
			if (!limit_ok(&limits[l], src.value, want)) {
				/*
				 * Where the value is set, change it there; an unset
				 * one goes to pwquality.conf, which every service
				 * using pam_pwquality reads, or on the line.
				 */
				if (src.file == q.stack || q.cracklib || conf == NULL)
					error = pam_arg_set(q.stack, q.line, limits[l].name, want);
				else
					error = kv_set(conf, limits[l].name, want, 0);
			}
			free(src.node);
		}
		quality_release(&q);
	}
	return error;
}

/* The stack around pam_unix ---------------------------------------------- */

/* The index among STACK's password lines of its first line using NAME. */
static int position(long *out, struct hc_file *stack, const char *name)
{
	struct hc_strlist lines = HC_STRLIST_INIT;
	struct hc_buf field = HC_BUF_INIT;
	int error;

	*out = -1;
	if ((error = hc_file_match(&lines, stack, "*[type='password']")) < 0)
		goto out;
	for (size_t i = 0; i < lines.n && *out < 0; i++) {
		const char *module;

		hc_buf_clear(&field);
		if ((error = hc_buf_printf(&field, "%s/module", lines.v[i])) < 0 ||
		    (error = hc_file_get(&module, stack, field.ptr)) < 0)
			goto out;
		if (module && pam_module_is(module, name))
			*out = (long)i;
	}
out:
	hc_buf_release(&field);
	hc_strlist_release(&lines);
	return error;
}

/* What one password stack has around pam_unix. */
struct unix_state {
	char *unix_line;       /* the first pam_unix password line */
	long unix_at, quality_at, history_at;
	char *history_line;    /* a pam_pwhistory line */
	const char *remember;  /* where history is kept: pwhistory's, else pam_unix's */
	char *remember_node;
	struct hc_file *remember_file;
	bool use_authtok;
};

static void unix_state_release(struct unix_state *s)
{
	free(s->unix_line);
	free(s->history_line);
	free(s->remember_node);
	memset(s, 0, sizeof(*s));
}

static int unix_state(struct unix_state *s, struct hc_file *stack)
{
	struct hc_strlist lines = HC_STRLIST_INIT;
	const char *value;
	char *node = NULL;
	long cracklib;
	int error;

	memset(s, 0, sizeof(*s));
	if ((error = position(&s->unix_at, stack, "pam_unix")) < 0 ||
	    (error = position(&s->quality_at, stack, "pam_pwquality")) < 0 ||
	    (error = position(&cracklib, stack, "pam_cracklib")) < 0 ||
	    (error = position(&s->history_at, stack, "pam_pwhistory")) < 0)
		goto out;
	if (s->quality_at < 0)
		s->quality_at = cracklib;
	if ((error = pam_lines(&lines, stack, "password", "pam_unix")) < 0)
		goto out;
	if (lines.n == 0)
		goto out;
	if ((s->unix_line = hc_strdup(lines.v[0])) == NULL) {
		error = HC_ERROR;
		goto out;
	}
	if ((error = pam_arg(&node, &value, stack, s->unix_line, "use_authtok")) < 0)
		goto out;
	s->use_authtok = node != NULL;
	free(node);
	node = NULL;
	hc_strlist_release(&lines);
	if ((error = pam_lines(&lines, stack, "password", "pam_pwhistory")) < 0)
		goto out;
	if (lines.n && (s->history_line = hc_strdup(lines.v[0])) == NULL) {
		error = HC_ERROR;
		goto out;
	}
	if (s->history_line &&
	    (error = pam_arg(&s->remember_node, &s->remember, stack,
			     s->history_line, "remember")) < 0)
		goto out;
	if (s->remember_node == NULL &&
	    (error = pam_arg(&s->remember_node, &s->remember, stack,
			     s->unix_line, "remember")) < 0)
		goto out;
	s->remember_file = stack;
out:
	hc_strlist_release(&lines);
	return error;
}

static int unix_check(struct hc_finding *out, struct hc_ctx *ctx,
		      const struct hc_rule *rule)
{
	const char *want = hc_ctx_param(ctx, rule, "remember");
	struct kv_setting at_least = { .cmp = KV_AT_LEAST };
	struct hc_file *stacks[MAX_STACKS];
	struct hc_buf found = HC_BUF_INIT, expected = HC_BUF_INIT;
	size_t n;
	int error;

	if ((error = pam_files(stacks, &n, MAX_STACKS, ctx, password_stacks)) < 0)
		return error;
	if (n == 0)
		return hc_finding_na(out, "no password stack (%s, %s)",
				     password_stacks[0], password_stacks[1]);
	for (size_t i = 0; i < n && error == 0; i++) {
		struct hc_file *st = stacks[i];
		struct unix_state s;
		unsigned int line;

		if ((error = unix_state(&s, st)) < 0)
			break;
		if (s.unix_line == NULL) {
			error = hc_finding_evidence(out, st->path, 0,
						    "no pam_unix password line", NULL);
			unix_state_release(&s);
			continue;
		}
		line = hc_file_line(st, s.unix_line);
		if (s.quality_at < 0 || s.quality_at > s.unix_at)
			error = hc_finding_fail(out, st->path, line,
						s.quality_at < 0 ? "pam_unix with no quality module"
								 : "the quality module after pam_unix",
						"pam_pwquality (or pam_cracklib) ahead of pam_unix");
		if (error == 0)
			error = (s.use_authtok ? hc_finding_evidence : hc_finding_fail)(
				out, st->path, line,
				s.use_authtok ? "pam_unix use_authtok" : "pam_unix without use_authtok",
				s.use_authtok ? NULL : "pam_unix use_authtok");
		if (error == 0) {
			hc_buf_clear(&found);
			hc_buf_clear(&expected);
			if (s.remember_node)
				error = hc_buf_printf(&found, "%s remember=%s",
						      s.history_line ? "pam_pwhistory" : "pam_unix",
						      s.remember);
			else
				error = hc_buf_puts(&found, "no password history (remember)");
			if (error == 0)
				error = hc_buf_printf(&expected, "remember=%s or more", want);
			if (error == 0)
				error = (s.remember_node && kv_satisfies(&at_least, s.remember, want)
						 ? hc_finding_evidence(out, st->path,
								       hc_file_line(st, s.remember_node),
								       found.ptr, NULL)
						 : hc_finding_fail(out, st->path,
								   s.remember_node
									   ? hc_file_line(st, s.remember_node)
									   : line,
								   found.ptr, expected.ptr));
		}
		unix_state_release(&s);
	}
	hc_buf_release(&found);
	hc_buf_release(&expected);
	return error;
}

static int unix_remediate(struct hc_ctx *ctx, const struct hc_rule *rule)
{
	const char *want = hc_ctx_param(ctx, rule, "remember");
	struct kv_setting at_least = { .cmp = KV_AT_LEAST };
	struct hc_file *stacks[MAX_STACKS];
	size_t n;
	int error;

	if ((error = pam_files(stacks, &n, MAX_STACKS, ctx, password_stacks)) < 0)
		return error;
	for (size_t i = 0; i < n && error == 0; i++) {
		struct hc_file *st = stacks[i];
		struct unix_state s;

		if ((error = unix_state(&s, st)) < 0)
			break;
		if (s.unix_line == NULL) {
			unix_state_release(&s);
			continue;
		}
		if (s.quality_at > s.unix_at || s.quality_at < 0) {
			/*
			 * Moving PAM lines changes what the jumps around them
			 * reach: that is an administrator's decision.
			 */
			hc_error_set_at(st->display, hc_file_line(st, s.unix_line),
					s.quality_at < 0
						? "no quality module ahead of pam_unix: apply "
						  "password.quality first, or add one by hand"
						: "the quality module comes after pam_unix: move "
						  "it ahead by hand");
			error = HC_EUNSAFE;
		}
		if (error == 0 && !s.use_authtok)
			error = pam_arg_set(st, s.unix_line, "use_authtok", NULL);
		if (error == 0 && !kv_satisfies(&at_least, s.remember, want))
			error = pam_arg_set(st, s.history_line ? s.history_line : s.unix_line,
					    "remember", want);
		unix_state_release(&s);
	}
	return error;
}

/* nullok ------------------------------------------------------------------ */

static const char *const nullok_args[] = { "nullok", "nullok_secure", NULL };

static int unix_lines_all(struct hc_strlist *out, struct hc_file *stack)
{
	static const char *const types[] = { "auth", "account", "password", "session", NULL };
	int error = 0;

	for (const char *const *t = types; *t && error == 0; t++)
		error = pam_lines(out, stack, *t, "pam_unix");
	return error;
}

static int nullok_check(struct hc_finding *out, struct hc_ctx *ctx,
			const struct hc_rule *rule)
{
	struct hc_file *stacks[MAX_STACKS];
	size_t n;
	int error;

	(void)rule;
	if ((error = pam_files(stacks, &n, MAX_STACKS, ctx, unix_stacks)) < 0)
		return error;
	if (n == 0)
		return hc_finding_na(out, "no auth or password stack (%s, %s)",
				     unix_stacks[0], unix_stacks[2]);
	for (size_t i = 0; i < n && error == 0; i++) {
		struct hc_strlist lines = HC_STRLIST_INIT;
		bool any = false;

		if ((error = unix_lines_all(&lines, stacks[i])) < 0)
			break;
		for (size_t l = 0; l < lines.n && error == 0; l++) {
			for (const char *const *a = nullok_args; *a && error == 0; a++) {
				const char *value;
				char *node;

				if ((error = pam_arg(&node, &value, stacks[i], lines.v[l], *a)) < 0)
					break;
				if (node) {
					any = true;
					error = hc_finding_fail(out, stacks[i]->path,
								hc_file_line(stacks[i], lines.v[l]),
								*a, "pam_unix without nullok");
				}
				free(node);
			}
		}
		if (error == 0 && !any && lines.n)
			error = hc_finding_evidence(out, stacks[i]->path,
						    hc_file_line(stacks[i], lines.v[0]),
						    "pam_unix without nullok", NULL);
		hc_strlist_release(&lines);
	}
	return error;
}

static int nullok_remediate(struct hc_ctx *ctx, const struct hc_rule *rule)
{
	struct hc_file *stacks[MAX_STACKS];
	size_t n;
	int error;

	(void)rule;
	if ((error = pam_files(stacks, &n, MAX_STACKS, ctx, unix_stacks)) < 0)
		return error;
	for (size_t i = 0; i < n && error == 0; i++) {
		struct hc_strlist lines = HC_STRLIST_INIT;

		error = unix_lines_all(&lines, stacks[i]);
		for (size_t l = 0; l < lines.n && error == 0; l++)
			for (const char *const *a = nullok_args; *a && error == 0; a++)
				error = pam_arg_rm(stacks[i], lines.v[l], *a);
		hc_strlist_release(&lines);
	}
	return error;
}

/* /etc/shadow ------------------------------------------------------------- */

#define SHADOW "/etc/shadow"
#define PASSWD "/etc/passwd"

/* One aging field of a shadow entry and the parameter bounding it. */
struct aging {
	const char *field; /* the Shadow lens's label */
	const char *param;
	enum kv_cmp cmp;
};

static const struct aging agings[] = {
	{ "maxage_days", "max-days", KV_AT_MOST },
	{ "minage_days", "min-days", KV_AT_LEAST },
	{ "warn_days", "warn-days", KV_AT_LEAST },
};

#define NAGINGS (sizeof(agings) / sizeof(agings[0]))

/* login.defs's NAME as a number, or DEF where unset or unreadable. */
static int defs_number(long *out, struct hc_ctx *ctx, const char *name, long def)
{
	struct hc_file *defs;
	const char *value;
	char *node = NULL, *end;
	int error = hc_ctx_file(&defs, ctx, LOGIN_DEFS, LOGIN_DEFS_LENS, HC_FILE_OPTIONAL);

	*out = def;
	if (error < 0 || defs == NULL || (error = kv_find(&node, defs, name, 0)) < 0 || node == NULL)
		goto out;
	if ((error = hc_file_get(&value, defs, node)) < 0)
		goto out;
	if (value && *value) {
		errno = 0;
		long v = strtol(value, &end, 10);

		if (errno == 0 && *end == '\0')
			*out = v;
	}
out:
	free(node);
	return error;
}

/*
 * The login accounts of /etc/shadow: those whose UID lies in
 * login.defs's UID_MIN..UID_MAX, where useradd puts people.  Their
 * password fields are registered as secrets.
 */
static int login_accounts(struct hc_strlist *out, struct hc_file **shadow,
			  struct hc_ctx *ctx)
{
	struct hc_strlist users = HC_STRLIST_INIT;
	struct hc_buf field = HC_BUF_INIT;
	struct hc_file *passwd;
	long uid_min, uid_max;
	int error;

	if ((error = hc_ctx_file(shadow, ctx, SHADOW, "Shadow.lns", 0)) < 0 ||
	    (error = hc_ctx_file(&passwd, ctx, PASSWD, "Passwd.lns", 0)) < 0 ||
	    (error = defs_number(&uid_min, ctx, "UID_MIN", 1000)) < 0 ||
	    (error = defs_number(&uid_max, ctx, "UID_MAX", 60000)) < 0 ||
	    (error = hc_file_match(&users, *shadow, "*[password]")) < 0)
		goto out;
	for (size_t i = 0; i < users.n; i++) {
		const char *name = hc_file_label(*shadow, users.v[i]);
		const char *uid, *hash;
		char *end;
		long n;

		hc_buf_clear(&field);
		if ((error = hc_buf_printf(&field, "%s/password", users.v[i])) < 0 ||
		    (error = hc_file_get(&hash, *shadow, field.ptr)) < 0)
			goto out;
		if (hash && strlen(hash) > 2 && (error = hc_ctx_secret(ctx, hash)) < 0)
			goto out;
		/* Passwd entries are labelled by name; "+" lines are NIS. */
		if (name == NULL || strpbrk(name, "/[]'\" ") != NULL)
			continue;
		hc_buf_clear(&field);
		if ((error = hc_buf_printf(&field, "%s/uid", name)) < 0 ||
		    (error = hc_file_get(&uid, passwd, field.ptr)) < 0)
			goto out;
		if (uid == NULL)
			continue;
		n = strtol(uid, &end, 10);
		if (*end == '\0' && n >= uid_min && n <= uid_max &&
		    (error = hc_strlist_push(out, users.v[i])) < 0)
			goto out;
	}
out:
	hc_buf_release(&field);
	hc_strlist_release(&users);
	return error;
}

static int shadow_check(struct hc_finding *out, struct hc_ctx *ctx,
			const struct hc_rule *rule)
{
	struct hc_strlist accounts = HC_STRLIST_INIT;
	struct hc_buf node = HC_BUF_INIT, found = HC_BUF_INIT, expected = HC_BUF_INIT;
	struct hc_file *shadow;
	int error = login_accounts(&accounts, &shadow, ctx);

	if (error == HC_ENOTFOUND) {
		hc_error_clear();
		return hc_finding_na(out, "no %s or %s", SHADOW, PASSWD);
	}
	if (error < 0)
		goto out;
	if (accounts.n == 0)
		error = hc_finding_evidence(out, SHADOW, 0, "no login accounts", NULL);
	for (size_t i = 0; i < accounts.n && error == 0; i++) {
		const char *user = hc_file_label(shadow, accounts.v[i]);

		for (size_t a = 0; a < NAGINGS && error == 0; a++) {
			const char *want = hc_ctx_param(ctx, rule, agings[a].param);
			struct kv_setting cmp = { .cmp = agings[a].cmp };
			const char *have;

			hc_buf_clear(&node);
			hc_buf_clear(&found);
			hc_buf_clear(&expected);
			if ((error = hc_buf_printf(&node, "%s/%s", accounts.v[i],
						   agings[a].field)) < 0 ||
			    (error = hc_file_get(&have, shadow, node.ptr)) < 0 ||
			    (error = hc_buf_printf(&found, "%s %s %s", user, agings[a].param,
						   have && *have ? have : "(empty)")) < 0 ||
			    (error = hc_buf_printf(&expected, "%s %s %s", agings[a].param,
						   agings[a].cmp == KV_AT_MOST ? "at most"
									       : "at least",
						   want)) < 0)
				break;
			if (!kv_satisfies(&cmp, have && *have ? have : NULL, want))
				error = hc_finding_fail(out, SHADOW,
							hc_file_line(shadow, accounts.v[i]),
							found.ptr, expected.ptr);
		}
	}
	if (error == 0 && out->status == HC_STATUS_PASS && accounts.n)
		error = hc_finding_evidence(out, SHADOW, 0,
					    "every login account within the aging limits",
					    NULL);
out:
	hc_buf_release(&node);
	hc_buf_release(&found);
	hc_buf_release(&expected);
	hc_strlist_release(&accounts);
	return error;
}

static int shadow_remediate(struct hc_ctx *ctx, const struct hc_rule *rule)
{
	struct hc_strlist accounts = HC_STRLIST_INIT;
	struct hc_buf node = HC_BUF_INIT;
	struct hc_file *shadow;
	int error = login_accounts(&accounts, &shadow, ctx);

	for (size_t i = 0; i < accounts.n && error == 0; i++) {
		for (size_t a = 0; a < NAGINGS && error == 0; a++) {
			const char *want = hc_ctx_param(ctx, rule, agings[a].param);
			struct kv_setting cmp = { .cmp = agings[a].cmp };
			const char *have;

			hc_buf_clear(&node);
			if ((error = hc_buf_printf(&node, "%s/%s", accounts.v[i],
						   agings[a].field)) < 0 ||
			    (error = hc_file_get(&have, shadow, node.ptr)) < 0)
				break;
			if (!kv_satisfies(&cmp, have && *have ? have : NULL, want))
				error = hc_file_set(shadow, node.ptr, want);
		}
	}
	hc_buf_release(&node);
	hc_strlist_release(&accounts);
	return error;
}

/* The rules ---------------------------------------------------------------- */

#define PARAM(name, def, help, valid) { name, HC_PARAM_STRING, def, help, valid }
#define END_PARAMS { NULL, HC_PARAM_STRING, NULL, NULL, NULL }
/* shadow's limits: 99999 is its "never"; pam_unix keeps at most 400 old passwords. */
#define DAYS(lo) HC_VALID_RANGE(lo, 99999, #lo " to 99999 days")
#define CREDIT HC_VALID_RANGE(-256, 256, "-256 to 256")
/* libpwquality raises a minlen below 6 to 6: the file would not say what is enforced. */
#define MINLEN HC_VALID_RANGE(6, 256, "6 to 256, libpwquality's least is 6")
/*
 * The names Debian 12's shadow gives crypt(3), compared case by case
 * (any other makes it fall back to DES); the weak ones are refused.
 */
static const struct hc_valid strong_method = {
	.kind = HC_VALID_CHOICE,
	.choices = (const char *const[]){ "SHA512", "YESCRYPT", NULL },
	.refused = (const char *const[]){ "DES", "MD5", "SHA256", NULL },
	.allowed = "SHA512 or YESCRYPT",
};

/* Policy settings more than one rule fixes (hc_setting). */
#define MAX_AGE "password maximum age"
#define MIN_AGE "password minimum age"
#define WARN_AGE "password expiry warning"
#define MIN_LENGTH "password minimum length"
#define SETS(...) ((const struct hc_setting[]){ __VA_ARGS__, { NULL, NULL } })

static const struct hc_param days_60[] = {
	PARAM("days", "60", "the most days a password may be used", DAYS(1)), END_PARAMS,
};
static const struct hc_param days_1[] = {
	PARAM("days", "1", "the fewest days between password changes", DAYS(0)), END_PARAMS,
};
static const struct hc_param days_7[] = {
	PARAM("days", "7", "days of warning before a password expires", DAYS(0)), END_PARAMS,
};

static const char *const login_defs_files[] = { LOGIN_DEFS, NULL };

static const struct hc_rule rules[] = {
	{
		.id = "password.max-days",
		.title = "new passwords expire within the maximum age",
		.severity = HC_CAT_II,
		.rationale = "A password that never expires gives an attacker who "
			     "learnt it unlimited time to use it.",
		.refs = (const char *const[]){ "RHEL 8 STIG V-230366", NULL },
		.params = days_60,
		.owns = (const char *const[]){ "login.defs:PASS_MAX_DAYS", NULL },
		.sets = SETS({ MAX_AGE, "days" }),
		.files = login_defs_files,
		.data = &max_days,
		.check = kv_setting_check,
		.remediate = kv_setting_remediate,
	},
	{
		.id = "password.min-days",
		.title = "passwords are kept for the minimum age before changing",
		.severity = HC_CAT_II,
		.rationale = "Without a minimum age, a user can cycle through the "
			     "history limit at once and reuse the old password.",
		.refs = (const char *const[]){ "RHEL 8 STIG V-230365", NULL },
		.params = days_1,
		.owns = (const char *const[]){ "login.defs:PASS_MIN_DAYS", NULL },
		.sets = SETS({ MIN_AGE, "days" }),
		.files = login_defs_files,
		.data = &min_days,
		.check = kv_setting_check,
		.remediate = kv_setting_remediate,
	},
	{
		.id = "password.warn-age",
		.title = "users are warned before their password expires",
		.severity = HC_CAT_III,
		.rationale = "A warning lets users change a password before it "
			     "expires, rather than be locked out.",
		.refs = NULL,
		.params = days_7,
		.owns = (const char *const[]){ "login.defs:PASS_WARN_AGE", NULL },
		.sets = SETS({ WARN_AGE, "days" }),
		.files = login_defs_files,
		.data = &warn_age,
		.check = kv_setting_check,
		.remediate = kv_setting_remediate,
	},
	{
		.id = "password.min-len",
		.title = "login.defs asks for passwords of the minimum length",
		.severity = HC_CAT_II,
		.rationale = "Short passwords fall to guessing.  Where PAM's quality "
			     "module is in the stack it is what enforces the length "
			     "(password.quality); login.defs's value is the fallback.",
		.refs = (const char *const[]){ "RHEL 8 STIG V-230370", NULL },
		.params = (const struct hc_param[]){
			PARAM("length", "15", "the fewest characters",
			      HC_VALID_RANGE(1, 256, "1 to 256")), END_PARAMS,
		},
		.owns = (const char *const[]){ "login.defs:PASS_MIN_LEN", NULL },
		.sets = SETS({ MIN_LENGTH, "length" }),
		.files = login_defs_files,
		.data = &min_len,
		.check = kv_setting_check,
		.remediate = kv_setting_remediate,
	},
	{
		.id = "password.encrypt-method",
		.title = "new passwords are hashed with a strong method",
		.severity = HC_CAT_II,
		.rationale = "Weak hashes (DES, MD5) of /etc/shadow are cracked in "
			     "hours; YESCRYPT, where set, is stronger and kept.",
		.refs = (const char *const[]){ "RHEL 8 STIG V-230231", NULL },
		.params = (const struct hc_param[]){
			PARAM("method", "SHA512", "ENCRYPT_METHOD to set", &strong_method), END_PARAMS,
		},
		.owns = (const char *const[]){ "login.defs:ENCRYPT_METHOD", NULL },
		.files = login_defs_files,
		.data = &encrypt_method,
		.check = kv_setting_check,
		.remediate = kv_setting_remediate,
	},
	{
		.id = "password.shadow-aging",
		.title = "existing login accounts follow the password aging limits",
		.severity = HC_CAT_II,
		.rationale = "login.defs applies only to accounts created after it "
			     "changes; the accounts /etc/shadow already holds (UIDs "
			     "from UID_MIN to UID_MAX) keep their own limits until "
			     "they are changed too.",
		.refs = (const char *const[]){ "RHEL 8 STIG V-230367",
					       "RHEL 8 STIG V-230364", NULL },
		.params = (const struct hc_param[]){
			PARAM("max-days", "60", "the most days a password may be used", DAYS(1)),
			PARAM("min-days", "1", "the fewest days between changes", DAYS(0)),
			PARAM("warn-days", "7", "days of warning before expiry", DAYS(0)),
			END_PARAMS,
		},
		.owns = (const char *const[]){ "shadow:aging", NULL },
		.sets = SETS({ MAX_AGE, "max-days" }, { MIN_AGE, "min-days" },
			     { WARN_AGE, "warn-days" }),
		.files = (const char *const[]){ SHADOW, PASSWD, LOGIN_DEFS, NULL },
		.check = shadow_check,
		.remediate = shadow_remediate,
	},
	{
		.id = "password.quality",
		.title = "PAM's quality module requires long, varied passwords",
		.severity = HC_CAT_II,
		.rationale = "pam_pwquality (pam_cracklib on old systems) refuses "
			     "short passwords, passwords without digits, upper and "
			     "lower case and other characters, and ones too close to "
			     "the old.  An argument on its PAM line overrides "
			     "pwquality.conf.",
		.refs = (const char *const[]){ "RHEL 8 STIG V-230369", "RHEL 8 STIG V-230357",
					       "RHEL 8 STIG V-230358", "RHEL 8 STIG V-230359",
					       "RHEL 8 STIG V-230375", "RHEL 8 STIG V-230363",
					       NULL },
		.params = (const struct hc_param[]){
			PARAM("minlen", "15", "the fewest characters", MINLEN),
			PARAM("dcredit", "-1", "negative: at least that many digits", CREDIT),
			PARAM("ucredit", "-1", "negative: at least that many upper case", CREDIT),
			PARAM("lcredit", "-1", "negative: at least that many lower case", CREDIT),
			PARAM("ocredit", "-1", "negative: at least that many others", CREDIT),
			PARAM("difok", "8", "characters that must differ from the old",
			      HC_VALID_RANGE(0, 256, "0 to 256")),
			END_PARAMS,
		},
		.owns = (const char *const[]){ "pam:password-quality", NULL },
		.sets = SETS({ MIN_LENGTH, "minlen" }),
		.files = (const char *const[]){ "/etc/pam.d/common-password", "/etc/pam.d/system-auth",
						"/etc/pam.d/password-auth", PWQUALITY_CONF, NULL },
		.check = quality_check,
		.remediate = quality_remediate,
	},
	{
		.id = "password.unix-stack",
		.title = "pam_unix follows the quality module, uses its token and keeps history",
		.severity = HC_CAT_II,
		.rationale = "pam_unix must take the password the quality module "
			     "approved (use_authtok) and refuse the last 5 passwords "
			     "(remember=5, or pam_pwhistory).",
		.refs = (const char *const[]){ "RHEL 8 STIG V-230368", NULL },
		.params = (const struct hc_param[]){
			PARAM("remember", "5", "how many old passwords are refused",
			      HC_VALID_RANGE(1, 400, "1 to 400, pam_unix's most")),
			END_PARAMS,
		},
		.owns = (const char *const[]){ "pam:password-unix", NULL },
		.files = (const char *const[]){ "/etc/pam.d/common-password", "/etc/pam.d/system-auth",
						"/etc/pam.d/password-auth", NULL },
		.check = unix_check,
		.remediate = unix_remediate,
	},
	{
		.id = "password.no-nullok",
		.title = "no account logs in with an empty password",
		.severity = HC_CAT_I,
		.rationale = "pam_unix's nullok lets an account whose password "
			     "field is empty log in without one.",
		.refs = (const char *const[]){ "RHEL 8 STIG V-244540", "RHEL 8 STIG V-244541",
					       NULL },
		.params = (const struct hc_param[]){ END_PARAMS },
		.owns = (const char *const[]){ "pam:nullok", NULL },
		.files = unix_stacks,
		.check = nullok_check,
		.remediate = nullok_remediate,
	},
	{ .id = NULL },
};

const struct hc_module hc_module_password = {
	.version = HC_MODULE_VERSION,
	.name = "password",
	.description = "password aging, hashing and complexity",
	.rules = rules,
};
