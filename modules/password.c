/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Password policy: aging and hashing in login.defs, the same aging for
 * the login accounts /etc/shadow already holds, complexity through the
 * PAM quality module (pam_pwquality with pwquality.conf, or the older
 * pam_cracklib), and the password and auth stacks around pam_unix.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include "hardctl/ctx.h"
#include "hardctl/file.h"
#include "hardctl/finding.h"
#include "kv.h"
#include "modules.h"
#include "pam.h"

#define LOGIN_DEFS "/etc/login.defs"
#define LOGIN_DEFS_LENS "Login_Defs.lns"
#define PWQUALITY_CONF "/etc/security/pwquality.conf"
#define PWQUALITY_DIR "/etc/security/pwquality.conf.d"
#define PWQUALITY_DROPINS "/etc/security/pwquality.conf.d/*.conf"
#define PWQUALITY_LENS "Hardctl_Pwquality.lns"
#define MAX_STACKS 8

/* Where the password stack is: Debian's, then Red Hat's. */
static const char *const password_stacks[] = {
    "/etc/pam.d/common-password",
    "/etc/pam.d/system-auth",
    "/etc/pam.d/password-auth",
    NULL,
};

/* login.defs ----------------------------------------------------------- */

static const struct kv_setting max_days = {
    LOGIN_DEFS, LOGIN_DEFS_LENS, "PASS_MAX_DAYS",
    "days",     KV_AT_MOST,      false,
    NULL,       "99999",         NULL,
};
static const struct kv_setting min_days = {
    LOGIN_DEFS,
    LOGIN_DEFS_LENS,
    "PASS_MIN_DAYS",
    "days",
    KV_AT_LEAST,
    false,
    NULL,
    "0",
    NULL,
};
static const struct kv_setting warn_age = {
    LOGIN_DEFS,
    LOGIN_DEFS_LENS,
    "PASS_WARN_AGE",
    "days",
    KV_AT_LEAST,
    false,
    NULL,
    "7",
    NULL,
};
static const struct kv_setting min_len = {
    LOGIN_DEFS,
    LOGIN_DEFS_LENS,
    "PASS_MIN_LEN",
    "length",
    KV_AT_LEAST,
    false,
    NULL,
    "5",
    "used only where no PAM quality module checks passwords: "
    "password.quality's minlen is what counts on a PAM system",
};
static const struct kv_setting encrypt_method = {
    LOGIN_DEFS,
    LOGIN_DEFS_LENS,
    "ENCRYPT_METHOD",
    "method",
    KV_EQUAL,
    true,
    (const char *const[]){"SHA512", "YESCRYPT", NULL},
    "DES",
    NULL,
};

/*
 * login.defs's VALUE as shadow's getdef_num() reads it: blanks and
 * quotes around it dropped, then strtol() in base 0 ("010" is 8, "08"
 * no number), within an int.  False where getdef logs "cannot parse"
 * and its caller's default applies, as if the key were unset.
 */
static bool getdef_number(long *out, const char *value)
{
	char buf[64], *end;
	size_t len;
	long v;

	if (value == NULL)
		return false;
	value += strspn(value, " \t\"");
	len = strcspn(value, "\"");
	while (len && isspace((unsigned char)value[len - 1]))
		len--;
	if (len == 0 || len >= sizeof(buf))
		return false;
	memcpy(buf, value, len);
	buf[len] = '\0';
	errno = 0;
	v = strtol(buf, &end, 0);
	if (*end != '\0' || errno == ERANGE || v > INT_MAX || v < INT_MIN)
		return false;
	*out = v;
	return true;
}

/*
 * A login.defs number and what its reader does with it.  useradd puts
 * PASS_MAX_DAYS, PASS_MIN_DAYS and PASS_WARN_AGE in a new account's
 * shadow entry, getdef_num(KEY, -1): unset, unreadable or negative, the
 * field is left empty, which shadow(5) reads as no maximum age, no
 * minimum age and no warning.
 */
struct defs_number {
	const struct kv_setting *kv;
	long unset; /* what the reader takes when it is unset or unreadable */
	bool aging; /* a shadow field: below 0 it is left empty */
	const char *empty; /* the number an empty field means; NULL: no limit */
	const char *says;  /* what an empty field means, in words */
};

static const struct defs_number defs_max_days = {
    &max_days, -1, true, NULL, "useradd sets new accounts no maximum age",
};
static const struct defs_number defs_min_days = {
    &min_days, -1, true, "0", "useradd sets new accounts no minimum age",
};
static const struct defs_number defs_warn_age = {
    &warn_age, -1, true, "0", "useradd gives new accounts no warning period",
};
static const struct defs_number defs_min_len = {
    &min_len, 5, false, NULL, NULL,
};

static bool defs_ok(const struct defs_number *d, long v, const char *want)
{
	char num[32];

	if (d->aging && v < 0) {
		if (d->empty == NULL)
			return false;
		return kv_satisfies(d->kv, d->empty, want);
	}
	snprintf(num, sizeof(num), "%ld", v);
	return kv_satisfies(d->kv, num, want);
}

/*
 * What the reader makes of KEY's text HAVE (NULL: unset) in FOUND: the
 * text, then, where it is not the number itself, how it is taken.
 */
static int defs_found(struct hc_buf *found, const struct defs_number *d,
		      const char *have, bool set, bool read, long v)
{
	const char *key = d->kv->key;
	char num[32];
	int error;

	snprintf(num, sizeof(num), "%ld", v);
	if (!set)
		error = hc_buf_printf(found, "%s not set (", key);
	else if (!read)
		error =
		    hc_buf_printf(found, "%s %s (not a number to getdef: ", key,
				  have ? have : "");
	else if (d->aging && v < 0)
		error = hc_buf_printf(found, "%s %s (", key, have);
	else
		return hc_buf_printf(found, "%s %s%s%s%s", key, have,
				     strcmp(have, num) ? " (read as " : "",
				     strcmp(have, num) ? num : "",
				     strcmp(have, num) ? ")" : "");
	if (error < 0)
		return error;
	if (d->aging && v < 0)
		return hc_buf_printf(found, "%s)", d->says);
	return hc_buf_printf(found, "default %ld)", v);
}

static int defs_check(struct hc_finding *out, struct hc_ctx *ctx,
		      const struct hc_rule *rule)
{
	const struct defs_number *d = rule->data;
	const struct kv_setting *s = d->kv;
	const char *want = hc_ctx_param(ctx, rule, s->param), *have = NULL;
	struct hc_buf found = HC_BUF_INIT, expected = HC_BUF_INIT;
	struct hc_file *file;
	char *node = NULL;
	bool read = false;
	long v = d->unset;
	unsigned int line;
	int error = hc_ctx_file(&file, ctx, s->path, s->lens, 0);

	if (error == HC_ENOTFOUND) {
		hc_error_clear();
		return hc_finding_na(out, "no %s", s->path);
	}
	if (error < 0 || (error = kv_find(&node, file, s->key, 0)) < 0 ||
	    (node && (error = hc_file_get(&have, file, node)) < 0))
		goto out;
	read = getdef_number(&v, have);
	if (!read)
		v = d->unset;
	line = node ? hc_file_line(file, node) : 0;
	if ((error = defs_found(&found, d, have, node != NULL, read, v)) < 0 ||
	    (s->note &&
	     (error = hc_buf_printf(&found, " (%s)", s->note)) < 0) ||
	    (error = hc_buf_printf(
		 &expected, "%s %s%s", s->key,
		 s->cmp == KV_AT_MOST ? "at most " : "at least ", want)) < 0)
		goto out;
	if (defs_ok(d, v, want))
		error =
		    hc_finding_evidence(out, s->path, line, found.ptr, NULL);
	else
		error = hc_finding_fail(out, s->path, line, found.ptr,
					expected.ptr);
out:
	free(node);
	hc_buf_release(&found);
	hc_buf_release(&expected);
	return error;
}

static int defs_remediate(struct hc_ctx *ctx, const struct hc_rule *rule)
{
	const struct defs_number *d = rule->data;
	const struct kv_setting *s = d->kv;
	const char *want = hc_ctx_param(ctx, rule, s->param), *have = NULL;
	struct hc_file *file;
	char *node = NULL;
	long v = d->unset;
	int error;

	if ((error = hc_ctx_file(&file, ctx, s->path, s->lens, 0)) < 0 ||
	    (error = kv_find(&node, file, s->key, 0)) < 0 ||
	    (node && (error = hc_file_get(&have, file, node)) < 0))
		goto out;
	if (!node || !getdef_number(&v, have))
		v = d->unset;
	if (!defs_ok(d, v, want))
		error = kv_set(file, s->key, want, 0);
out:
	free(node);
	return error;
}

/* Quality: pam_pwquality and pwquality.conf, or pam_cracklib --------- */

/*
 * One limit of the quality module, as a parameter of password.quality,
 * or with a value no profile changes (FIXED).
 */
struct limit {
	const char *name; /* argument and pwquality.conf key */
	enum kv_cmp cmp;
	const char *pwquality_default;
	const char *cracklib_default; /* NULL: pam_cracklib has no such limit */
	const char *fixed;
};

static const struct limit limits[] = {
    {"minlen", KV_AT_LEAST, "8", "9", NULL},
    {"dcredit", KV_AT_MOST, "0", "1", NULL},
    {"ucredit", KV_AT_MOST, "0", "1", NULL},
    {"lcredit", KV_AT_MOST, "0", "1", NULL},
    {"ocredit", KV_AT_MOST, "0", "1", NULL},
    {"difok", KV_AT_LEAST, "1", "5", NULL},
    /* enforcing = 0: pam_pwquality only warns, and takes any password. */
    {"enforcing", KV_AT_LEAST, "1", NULL, "1"},
};

#define NLIMITS (sizeof(limits) / sizeof(limits[0]))

/* The value limit L must satisfy; NULL: none for this module. */
static const char *limit_want(struct hc_ctx *ctx, const struct hc_rule *rule,
			      size_t l, bool cracklib)
{
	if (cracklib && limits[l].cracklib_default == NULL)
		return NULL;
	return limits[l].fixed ? limits[l].fixed
			       : hc_ctx_param(ctx, rule, limits[l].name);
}

/* A stack's quality module line, if any. */
struct quality {
	struct hc_file *stack;
	char *line;    /* its node; NULL: none in this stack */
	bool cracklib; /* pam_cracklib rather than pam_pwquality */
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
		if ((error = pam_lines(&lines, stack, "password",
				       "pam_cracklib")) < 0)
			goto out;
	}
	if (lines.n && (q->line = hc_strdup(lines.v[0])) == NULL)
		error = HC_ERROR;
out:
	hc_strlist_release(&lines);
	return error;
}

/*
 * The settings libpwquality 1.4.5 knows (src/settings.c, s_map) and
 * whether each takes a number: any other name, or a number it cannot
 * read, stops its reading of the files there.
 */
static const struct {
	const char *name;
	bool number;
} pwq_known[] = {
    {"difok", true},
    {"minlen", true},
    {"dcredit", true},
    {"ucredit", true},
    {"lcredit", true},
    {"ocredit", true},
    {"minclass", true},
    {"maxrepeat", true},
    {"maxclassrepeat", true},
    {"maxsequence", true},
    {"gecoscheck", true},
    {"dictcheck", true},
    {"usercheck", true},
    {"usersubstr", true},
    {"enforcing", true},
    {"badwords", false},
    {"dictpath", false},
    {"retry", true},
    {"enforce_for_root", false},
    {"local_users_only", false},
};

/* Below this minlen libpwquality uses this one (PWQ_BASE_MIN_LENGTH). */
#define PWQ_BASE_MIN_LENGTH 6

/* A limit as libpwquality's files leave it: the last setting read. */
struct pwq_value {
	struct hc_file *file; /* NULL: no file read sets it */
	char *node;
	char *value; /* white space trimmed as libpwquality does */
};

/*
 * What pam_pwquality takes from its files before its arguments.  It
 * reads the drop-ins of pwquality.conf.d whose names end in ".conf"
 * (dot files too) in byte order, then pwquality.conf, a later setting
 * overriding an earlier one; it stops at the first setting it refuses,
 * logs it, and keeps what it had read.
 */
struct pwq_conf {
	struct pwq_value v[NLIMITS];
	struct hc_file
	    *main; /* pwquality.conf when read; NULL: absent or not reached */
	struct hc_file
	    *stop_file; /* where the reading stops; NULL: it reads everything */
	unsigned int stop_line;
	struct hc_buf stop_why;
};

static void pwq_conf_release(struct pwq_conf *c)
{
	for (size_t l = 0; l < NLIMITS; l++) {
		free(c->v[l].node);
		free(c->v[l].value);
	}
	hc_buf_release(&c->stop_why);
	memset(c, 0, sizeof(*c));
}

/* libpwquality's filter_conf(): the first ".conf" in NAME ends it. */
static bool pwq_dropin_name(const char *name)
{
	const char *p = strstr(name, ".conf");

	return p && p[5] == '\0';
}

/* VALUE as set_name_value() reads an integer: base 10, the whole string. */
static bool pwq_int(const char *value)
{
	char *end;
	long v;

	if (value == NULL || *value == '\0')
		return false;
	errno = 0;
	v = strtol(value, &end, 10);
	return errno == 0 && *end == '\0' && v < INT_MAX && v > INT_MIN;
}

/* The files libpwquality reads, in its order. */
static int pwq_paths(struct hc_strlist *out, struct hc_ctx *ctx)
{
	struct hc_strlist found = HC_STRLIST_INIT;
	int error;

	if ((error = hc_ctx_glob(&found, ctx, PWQUALITY_DIR "/*")) < 0 ||
	    (error = hc_ctx_glob(&found, ctx, PWQUALITY_DIR "/.*")) < 0)
		goto out;
	hc_strlist_sort(&found);
	for (size_t i = 0; i < found.n && error == 0; i++) {
		const char *base = strrchr(found.v[i], '/') + 1;
		struct stat st;

		if (!pwq_dropin_name(base))
			continue;
		/* A directory reads as empty to fgets(). */
		if ((error = hc_ctx_lstat(&st, ctx, found.v[i])) ==
		    HC_ENOTFOUND) {
			hc_error_clear();
			error = 0;
		} else if (error == 0 && S_ISDIR(st.st_mode)) {
			continue;
		}
		if (error == 0)
			error = hc_strlist_push(out, found.v[i]);
	}
	if (error == 0)
		error = hc_strlist_push(out, PWQUALITY_CONF);
out:
	hc_strlist_release(&found);
	return error;
}

/* Copy VALUE with the white space libpwquality strips (a CR among it). */
static char *pwq_trim(const char *value)
{
	size_t len;

	if (value == NULL)
		value = "";
	while (isspace((unsigned char)*value))
		value++;
	len = strlen(value);
	while (len && isspace((unsigned char)value[len - 1]))
		len--;
	return strndup(value, len);
}

/* libpwquality reads a line with fgets() into 1024 bytes
 * (PWQSETTINGS_MAX_LINELEN). */
#define PWQ_MAX_LINE 1023

/*
 * The first line of FILE libpwquality refuses as too long (it stops
 * reading there, "malformed"), or 0.
 */
static unsigned int pwq_long_line(const struct hc_file *file)
{
	const char *p = hc_buf_cstr(&file->orig), *end = p + file->orig.size;
	unsigned int line = 0;

	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		size_t len = (size_t)((eol ? eol : end) - p);

		line++;
		/* fgets() fills the buffer without reaching the end of the
		 * line. */
		if (len >= PWQ_MAX_LINE)
			return line;
		if (eol == NULL)
			break;
		p = eol + 1;
	}
	return 0;
}

/*
 * Whether libpwquality refuses LABEL = VALUE (a name it does not know,
 * or a number it cannot read); if so, *STOP, and C says its reading
 * stops at NODE of FILE.
 */
static int pwq_refuse(struct pwq_conf *c, bool *stop, struct hc_file *file,
		      const char *node, const char *label, const char *value)
{
	size_t nknown = sizeof(pwq_known) / sizeof(pwq_known[0]), k;

	for (k = 0; k < nknown; k++)
		if (strcasecmp(pwq_known[k].name, label) == 0)
			break;
	if (k < nknown && (!pwq_known[k].number || pwq_int(value)))
		return 0;
	*stop = true;
	c->stop_file = file;
	c->stop_line = hc_file_line(file, node);
	return hc_buf_printf(&c->stop_why,
			     k == nknown ? "unknown setting '%s'"
					 : "'%s' is not a number",
			     label);
}

/* Keep *VALUE (taken) as NODE of FILE sets it, when LABEL names a limit. */
static int pwq_keep(struct pwq_conf *c, struct hc_file *file, const char *node,
		    const char *label, char **value)
{
	for (size_t l = 0; l < NLIMITS; l++) {
		struct pwq_value *v = &c->v[l];

		if (strcasecmp(limits[l].name, label) != 0)
			continue;
		free(v->node);
		free(v->value);
		v->file = file;
		v->value = *value;
		*value = NULL;
		if ((v->node = hc_strdup(node)) == NULL)
			return HC_ERROR;
		return 0;
	}
	return 0;
}

/* Read one file's settings into C; *stop when libpwquality stops in it. */
static int pwq_read_file(struct pwq_conf *c, struct hc_file *file, bool *stop)
{
	struct hc_strlist nodes = HC_STRLIST_INIT;
	unsigned int too_long = pwq_long_line(file);
	char *value = NULL;
	int error;

	if ((error = hc_file_match(&nodes, file, "*")) < 0)
		goto out;
	for (size_t i = 0; i < nodes.n && !*stop; i++) {
		const char *label = hc_file_label(file, nodes.v[i]), *raw;

		if (too_long && hc_file_line(file, nodes.v[i]) >= too_long)
			break;
		if (label == NULL || label[0] == '#')
			continue;
		free(value);
		value = NULL;
		if ((error = hc_file_get(&raw, file, nodes.v[i])) < 0)
			goto out;
		if ((value = pwq_trim(raw)) == NULL) {
			error = hc_error_oom();
			goto out;
		}
		if ((error = pwq_refuse(c, stop, file, nodes.v[i], label,
					value)) < 0 ||
		    *stop ||
		    (error = pwq_keep(c, file, nodes.v[i], label, &value)) < 0)
			goto out;
	}
	if (too_long && !*stop) {
		*stop = true;
		c->stop_file = file;
		c->stop_line = too_long;
		error = hc_buf_printf(&c->stop_why,
				      "a line longer than %d characters",
				      PWQ_MAX_LINE - 1);
	}
out:
	free(value);
	hc_strlist_release(&nodes);
	return error;
}

/* What pam_pwquality takes from its files (see struct pwq_conf). */
static int pwq_conf_read(struct pwq_conf *c, struct hc_ctx *ctx)
{
	struct hc_strlist paths = HC_STRLIST_INIT;
	bool stop = false;
	int error;

	memset(c, 0, sizeof(*c));
	if ((error = pwq_paths(&paths, ctx)) < 0)
		goto out;
	for (size_t i = 0; i < paths.n && !stop; i++) {
		struct hc_file *file;

		if ((error = hc_ctx_file(&file, ctx, paths.v[i], PWQUALITY_LENS,
					 HC_FILE_OPTIONAL)) < 0)
			goto out;
		if (file == NULL)
			continue;
		if (i == paths.n - 1)
			c->main = file;
		if ((error = pwq_read_file(c, file, &stop)) < 0)
			goto out;
	}
out:
	hc_strlist_release(&paths);
	return error;
}

/* Where a limit's value comes from, as the module reads it. */
struct source {
	struct hc_file *file; /* NULL: the module's default */
	char *node;
	const char *value;
};

/* The value LIMIT has for Q's module: its argument beats the files. */
static int effective(struct source *src, const struct quality *q,
		     const struct pwq_conf *conf, size_t l)
{
	const struct limit *limit = &limits[l];
	int error;

	memset(src, 0, sizeof(*src));
	if ((error = pam_arg(&src->node, &src->value, q->stack, q->line,
			     limit->name)) < 0)
		return error;
	if (src->node) {
		src->file = q->stack;
		return 0;
	}
	if (!q->cracklib && conf->v[l].file) {
		src->file = conf->v[l].file;
		src->value = conf->v[l].value;
		if ((src->node = hc_strdup(conf->v[l].node)) == NULL)
			return HC_ERROR;
		return 0;
	}
	src->value =
	    q->cracklib ? limit->cracklib_default : limit->pwquality_default;
	return 0;
}

static bool limit_ok(const struct limit *limit, bool cracklib, const char *have,
		     const char *want)
{
	struct kv_setting s = {.cmp = limit->cmp};
	char floor[16];

	/* libpwquality raises a smaller minlen to its base length. */
	if (!cracklib && strcmp(limit->name, "minlen") == 0 && pwq_int(have) &&
	    strtol(have, NULL, 10) < PWQ_BASE_MIN_LENGTH) {
		snprintf(floor, sizeof(floor), "%d", PWQ_BASE_MIN_LENGTH);
		have = floor;
	}
	return kv_satisfies(&s, have, want);
}

static int quality_stacks(struct hc_file **stacks, size_t *n,
			  struct hc_ctx *ctx)
{
	return pam_files(stacks, n, MAX_STACKS, ctx, password_stacks);
}

/*
 * Limit L of Q's module against WANT: evidence or a failure, at the
 * line it takes the value from (Q's own line for a default).
 */
static int quality_limit(struct hc_finding *out, const struct quality *q,
			 const struct pwq_conf *conf, size_t l,
			 const char *want)
{
	struct hc_buf found = HC_BUF_INIT, expected = HC_BUF_INIT;
	struct hc_file *file;
	struct source src;
	unsigned int line;
	int error;

	if ((error = effective(&src, q, conf, l)) < 0)
		return error;
	if (src.file == NULL)
		error = hc_buf_printf(
		    &found, "%s not set (%s default %s)", limits[l].name,
		    q->cracklib ? "pam_cracklib" : "pam_pwquality", src.value);
	else
		error = hc_buf_printf(
		    &found, "%s %s%s", limits[l].name,
		    src.value ? src.value : "",
		    src.file == q->stack ? " (on the PAM line)" : "");
	if (error == 0)
		error = hc_buf_printf(&expected, "%s %s %s", limits[l].name,
				      limits[l].cmp == KV_AT_LEAST ? "at least"
								   : "at most",
				      want);
	if (error < 0)
		goto out;
	file = src.file ? src.file : q->stack;
	line = hc_file_line(file, src.file ? src.node : q->line);
	if (limit_ok(&limits[l], q->cracklib, src.value, want))
		error =
		    hc_finding_evidence(out, file->path, line, found.ptr, NULL);
	else
		error = hc_finding_fail(out, file->path, line, found.ptr,
					expected.ptr);
out:
	free(src.node);
	hc_buf_release(&found);
	hc_buf_release(&expected);
	return error;
}

static int quality_check(struct hc_finding *out, struct hc_ctx *ctx,
			 const struct hc_rule *rule)
{
	struct hc_file *stacks[MAX_STACKS];
	struct pwq_conf conf;
	bool stop_said = false;
	size_t n;
	int error;

	if ((error = quality_stacks(stacks, &n, ctx)) < 0)
		return error;
	if (n == 0)
		return hc_finding_na(out, "no password stack (%s, %s)",
				     password_stacks[0], password_stacks[1]);
	if ((error = pwq_conf_read(&conf, ctx)) < 0)
		goto out;
	for (size_t i = 0; i < n && error == 0; i++) {
		struct quality q;

		if ((error = find_quality(&q, stacks[i])) < 0)
			break;
		if (q.line == NULL) {
			error = hc_finding_fail(
			    out, stacks[i]->path, 0,
			    "no pam_pwquality or pam_cracklib line",
			    "a password quality module ahead of pam_unix");
			continue;
		}
		/* Said once, for the first stack whose module reads the files.
		 */
		if (!q.cracklib && conf.stop_file && !stop_said) {
			stop_said = true;
			error = hc_finding_fail(
			    out, conf.stop_file->path, conf.stop_line,
			    conf.stop_why.ptr,
			    "only settings libpwquality reads: it stops here, "
			    "and ignores the files after (pwquality.conf "
			    "last)");
		}
		for (size_t l = 0; l < NLIMITS && error == 0; l++) {
			const char *want = limit_want(ctx, rule, l, q.cracklib);

			if (want != NULL)
				error = quality_limit(out, &q, &conf, l, want);
		}
		quality_release(&q);
	}
out:
	pwq_conf_release(&conf);
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

	for (const char *const *p = patterns; *p && error == 0 && found.n == 0;
	     p++)
		error = hc_ctx_glob(&found, ctx, *p);
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
	    (error = pam_lines(&unix_lines, q->stack, "password", "pam_unix")) <
		0)
		goto out;
	if (!installed || unix_lines.n == 0) {
		hc_error_set(
		    "%s: %s", q->stack->display,
		    !installed ? "no password quality module in the stack, and "
				 "pam_pwquality.so is not installed: install "
				 "libpam-pwquality (or libpwquality)"
			       : "no pam_unix password line to put the quality "
				 "module ahead of: edit this stack by hand");
		error = HC_EUNSAFE;
		goto out;
	}
	if ((error = pam_insert(q->stack, unix_lines.v[0], true, "password",
				"requisite", "pam_pwquality.so", "retry=3")) <
	    0)
		goto out;
	quality_release(q);
	error = find_quality(q, q->stack);
out:
	hc_strlist_release(&unix_lines);
	return error;
}

/* Set limit L of Q's module to WANT where it takes it from, unless it satisfies
 * WANT. */
static int quality_fix(struct quality *q, const struct pwq_conf *conf, size_t l,
		       const char *want)
{
	struct source src;
	int error;

	if ((error = effective(&src, q, conf, l)) < 0)
		return error;
	if (!limit_ok(&limits[l], q->cracklib, src.value, want)) {
		if (src.file == q->stack || q->cracklib ||
		    (src.file == NULL && conf->main == NULL))
			error = pam_arg_set(q->stack, q->line, limits[l].name,
					    want);
		else if (src.file)
			error = hc_file_set(src.file, src.node, want);
		else
			error = kv_set(conf->main, limits[l].name, want, 0);
	}
	free(src.node);
	return error;
}

/*
 * Fix each limit where the module takes it from: its PAM argument, or
 * the file read last that sets it (a drop-in, or pwquality.conf); an
 * unset one goes to pwquality.conf, which libpwquality reads last, or
 * on the line when there is none.  Where libpwquality stops reading,
 * no edit after that point would count: refused, naming the line.
 */
static int quality_remediate(struct hc_ctx *ctx, const struct hc_rule *rule)
{
	struct hc_file *stacks[MAX_STACKS];
	struct pwq_conf conf = {0};
	size_t n;
	int error;

	if ((error = quality_stacks(stacks, &n, ctx)) < 0)
		return error;
	for (size_t i = 0; i < n && error == 0; i++) {
		struct quality q;

		/* Read again for each stack: the last one's edits moved values.
		 */
		pwq_conf_release(&conf);
		if ((error = pwq_conf_read(&conf, ctx)) < 0 ||
		    (error = find_quality(&q, stacks[i])) < 0)
			break;
		if (q.line == NULL && (error = add_pwquality(&q, ctx)) < 0)
			break;
		if (!q.cracklib && conf.stop_file) {
			hc_error_set_at(conf.stop_file->display, conf.stop_line,
					"%s: libpwquality stops reading its "
					"files here, so no "
					"value set after it counts: correct or "
					"remove the line by hand",
					conf.stop_why.ptr);
			error = hc_error_set_code(HC_EUNSAFE);
			quality_release(&q);
			break;
		}
		for (size_t l = 0; l < NLIMITS && error == 0; l++) {
			const char *want = limit_want(ctx, rule, l, q.cracklib);

			if (want != NULL)
				error = quality_fix(&q, &conf, l, want);
		}
		quality_release(&q);
	}
	pwq_conf_release(&conf);
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
		if ((error = hc_buf_printf(&field, "%s/module", lines.v[i])) <
			0 ||
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
	char *unix_line; /* the first pam_unix password line */
	long unix_at, quality_at, history_at;
	char *history_line; /* a pam_pwhistory line */
	const char
	    *remember; /* where history is kept: pwhistory's, else pam_unix's */
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
	if ((error = pam_arg(&node, &value, stack, s->unix_line,
			     "use_authtok")) < 0)
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

/* Whether S's pam_unix line, LINE of ST, takes the quality module's token. */
static int unix_authtok(struct hc_finding *out, struct hc_file *st,
			const struct unix_state *s, unsigned int line)
{
	if (s->use_authtok)
		return hc_finding_evidence(out, st->path, line,
					   "pam_unix use_authtok", NULL);
	return hc_finding_fail(out, st->path, line,
			       "pam_unix without use_authtok",
			       "pam_unix use_authtok");
}

/*
 * Whether S, the state of ST whose pam_unix line is at LINE, keeps
 * WANT old passwords or more: evidence or a failure.
 */
static int unix_history(struct hc_finding *out, struct hc_file *st,
			const struct unix_state *s, unsigned int line,
			const char *want)
{
	struct kv_setting at_least = {.cmp = KV_AT_LEAST};
	struct hc_buf found = HC_BUF_INIT, expected = HC_BUF_INIT;
	int error;

	if (s->remember_node)
		error = hc_buf_printf(&found, "%s remember=%s",
				      s->history_line ? "pam_pwhistory"
						      : "pam_unix",
				      s->remember);
	else
		error = hc_buf_puts(&found, "no password history (remember)");
	if (error == 0)
		error = hc_buf_printf(&expected, "remember=%s or more", want);
	if (error == 0)
		error = (s->remember_node &&
				 kv_satisfies(&at_least, s->remember, want)
			     ? hc_finding_evidence(
				   out, st->path,
				   hc_file_line(st, s->remember_node),
				   found.ptr, NULL)
			     : hc_finding_fail(
				   out, st->path,
				   s->remember_node
				       ? hc_file_line(st, s->remember_node)
				       : line,
				   found.ptr, expected.ptr));
	hc_buf_release(&found);
	hc_buf_release(&expected);
	return error;
}

static int unix_check(struct hc_finding *out, struct hc_ctx *ctx,
		      const struct hc_rule *rule)
{
	const char *want = hc_ctx_param(ctx, rule, "remember");
	struct hc_file *stacks[MAX_STACKS];
	size_t n;
	int error;

	if ((error = pam_files(stacks, &n, MAX_STACKS, ctx, password_stacks)) <
	    0)
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
						    "no pam_unix password line",
						    NULL);
			unix_state_release(&s);
			continue;
		}
		line = hc_file_line(st, s.unix_line);
		if (s.quality_at < 0 || s.quality_at > s.unix_at)
			error = hc_finding_fail(
			    out, st->path, line,
			    s.quality_at < 0
				? "pam_unix with no quality module"
				: "the quality module after pam_unix",
			    "pam_pwquality (or pam_cracklib) ahead of "
			    "pam_unix");
		if (error == 0)
			error = unix_authtok(out, st, &s, line);
		if (error == 0)
			error = unix_history(out, st, &s, line, want);
		unix_state_release(&s);
	}
	return error;
}

static int unix_remediate(struct hc_ctx *ctx, const struct hc_rule *rule)
{
	const char *want = hc_ctx_param(ctx, rule, "remember");
	struct kv_setting at_least = {.cmp = KV_AT_LEAST};
	struct hc_file *stacks[MAX_STACKS];
	size_t n;
	int error;

	if ((error = pam_files(stacks, &n, MAX_STACKS, ctx, password_stacks)) <
	    0)
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
			hc_error_set_at(
			    st->display, hc_file_line(st, s.unix_line),
			    s.quality_at < 0
				? "no quality module ahead of pam_unix: apply "
				  "password.quality first, or add one by hand"
				: "the quality module comes after pam_unix: "
				  "move "
				  "it ahead by hand");
			error = HC_EUNSAFE;
		}
		if (error == 0 && !s.use_authtok)
			error =
			    pam_arg_set(st, s.unix_line, "use_authtok", NULL);
		if (error == 0 && !kv_satisfies(&at_least, s.remember, want))
			error = pam_arg_set(
			    st, s.history_line ? s.history_line : s.unix_line,
			    "remember", want);
		unix_state_release(&s);
	}
	return error;
}

/* Every PAM stack: each service's, and what it includes (pam_stacks_load). */
static const char *const pam_all_stacks[] = {"/etc/pam.d/*", "/usr/lib/pam.d/*",
					     NULL};

/* nullok ------------------------------------------------------------------ */

/*
 * The arguments of LINE that pam_unix takes for nullok: every one that
 * starts with "nullok" (nullok_secure, nullokX: pam_unix matches its
 * options by prefix, and nullok comes first in its table).
 */
static int nullok_args(struct hc_strlist *out, struct hc_file *stack,
		       const char *line)
{
	struct hc_strlist args = HC_STRLIST_INIT;
	struct hc_buf pattern = HC_BUF_INIT;
	int error;

	if ((error = hc_buf_printf(&pattern, "%s/argument", line)) < 0 ||
	    (error = hc_file_match(&args, stack, pattern.ptr)) < 0)
		goto out;
	for (size_t i = 0; i < args.n && error == 0; i++) {
		const char *arg, *option;

		if ((error = hc_file_get(&arg, stack, args.v[i])) < 0 ||
		    arg == NULL)
			continue;
		option = pam_unix_option(arg, NULL);
		if (option && strcmp(option, "nullok") == 0)
			error = hc_strlist_push(out, args.v[i]);
	}
out:
	hc_buf_release(&pattern);
	hc_strlist_release(&args);
	return error;
}

/* ARG with control bytes (a CR, a terminal escape) shown as \xNN, for a report.
 */
static int printable(struct hc_buf *out, const char *arg)
{
	int error = 0;

	hc_buf_clear(out);
	for (const unsigned char *p = (const unsigned char *)arg;
	     *p && error == 0; p++)
		error = *p < 0x20 || *p == 0x7f
			    ? hc_buf_printf(out, "\\x%02x", *p)
			    : hc_buf_put(out, p, 1);
	return error;
}

/* Every pam_unix line of STACK, of any type (nullok matters in auth and
 * password). */
static int unix_lines_all(struct hc_strlist *out, struct hc_file *stack)
{
	return pam_records(out, stack, NULL, "pam_unix");
}

/* A failure for each nullok argument of pam_unix LINE of ST. */
static int nullok_line(struct hc_finding *out, struct hc_file *st,
		       const char *line)
{
	struct hc_strlist args = HC_STRLIST_INIT;
	struct hc_buf shown = HC_BUF_INIT;
	int error = nullok_args(&args, st, line);

	for (size_t a = 0; a < args.n && error == 0; a++) {
		const char *arg;

		if ((error = hc_file_get(&arg, st, args.v[a])) == 0 &&
		    (error = printable(&shown, arg ? arg : "nullok")) == 0)
			error = hc_finding_fail(
			    out, st->path, hc_file_line(st, line), shown.ptr,
			    "pam_unix without nullok");
	}
	hc_buf_release(&shown);
	hc_strlist_release(&args);
	return error;
}

static int nullok_check(struct hc_finding *out, struct hc_ctx *ctx,
			const struct hc_rule *rule)
{
	struct pam_stacks stacks;
	size_t lines_seen = 0;
	int error;

	(void)rule;
	if ((error = pam_stacks_load(&stacks, ctx)) < 0)
		return error;
	for (size_t i = 0; i < stacks.n && error == 0; i++) {
		struct hc_file *st = stacks.v[i];
		struct hc_strlist lines = HC_STRLIST_INIT;

		if ((error = unix_lines_all(&lines, st)) < 0)
			break;
		lines_seen += lines.n;
		for (size_t l = 0; l < lines.n && error == 0; l++)
			error = nullok_line(out, st, lines.v[l]);
		hc_strlist_release(&lines);
	}
	if (error == 0 && stacks.n == 0)
		error = hc_finding_na(
		    out, "no PAM stack in /etc/pam.d or /usr/lib/pam.d");
	else if (error == 0 && out->status == HC_STATUS_PASS)
		error = hc_finding_evidence(
		    out, "/etc/pam.d", 0,
		    lines_seen ? "no pam_unix line with nullok in any "
				 "service's stack or what it includes"
			       : "no pam_unix line in any stack",
		    NULL);
	pam_stacks_release(&stacks);
	return error;
}

static int nullok_remediate(struct hc_ctx *ctx, const struct hc_rule *rule)
{
	struct pam_stacks stacks;
	int error;

	(void)rule;
	if ((error = pam_stacks_load(&stacks, ctx)) < 0)
		return error;
	for (size_t i = 0; i < stacks.n && error == 0; i++) {
		struct hc_strlist lines = HC_STRLIST_INIT;

		error = unix_lines_all(&lines, stacks.v[i]);
		for (size_t l = 0; l < lines.n && error == 0; l++) {
			struct hc_strlist args = HC_STRLIST_INIT;

			error = nullok_args(&args, stacks.v[i], lines.v[l]);
			/* From the last, so the positions of those left do not
			 * move. */
			for (size_t a = args.n; a-- > 0 && error == 0;)
				error = hc_file_rm(stacks.v[i], args.v[a]);
			hc_strlist_release(&args);
		}
		hc_strlist_release(&lines);
	}
	pam_stacks_release(&stacks);
	return error;
}

/* Hashing: login.defs's ENCRYPT_METHOD and pam_unix's own option -------- */

/*
 * The pam_unix option for login.defs method NAME, as pam_unix reads
 * ENCRYPT_METHOD: the first hashing option NAME starts with, without
 * case; NULL when none (pam_unix then hashes with DES).  shadow's
 * BCRYPT is pam_unix's blowfish for the profile's wanted method only.
 */
static const char *unix_method(const char *name, bool wanted)
{
	static const char *const hashes[] = {
	    "md5", "bigcrypt",      "sha256",   "sha512", "blowfish",
	    "des", "gost_yescrypt", "yescrypt", NULL};

	if (name == NULL)
		return NULL;
	if (wanted && strcasecmp(name, "BCRYPT") == 0)
		return "blowfish";
	for (const char *const *h = hashes; *h; h++)
		if (strncasecmp(name, *h, strlen(*h)) == 0)
			return *h;
	return NULL;
}

/* Whether pam_unix's method OPTION is the profile's or one kept as stronger. */
static bool method_strong(const char *option, const char *want)
{
	const char *wanted = unix_method(want, true);

	if (option == NULL)
		return false;
	if (wanted && strcmp(option, wanted) == 0)
		return true;
	for (const char *const *also = encrypt_method.also; also && *also;
	     also++)
		if (strcasecmp(option, *also) == 0)
			return true;
	return false;
}

/* What pam_unix hashes with on one password line. */
struct unix_hash {
	char *last; /* the node of the hashing option it uses; NULL: none */
	const char *option;    /* that option's method */
	struct hc_strlist all; /* every hashing option of the line */
};

static void unix_hash_release(struct unix_hash *h)
{
	free(h->last);
	hc_strlist_release(&h->all);
	memset(h, 0, sizeof(*h));
}

/* The hashing options of LINE: pam_unix keeps the last one given. */
static int unix_hash_of(struct unix_hash *h, struct hc_file *stack,
			const char *line)
{
	struct hc_strlist args = HC_STRLIST_INIT;
	struct hc_buf pattern = HC_BUF_INIT;
	int error;

	memset(h, 0, sizeof(*h));
	if ((error = hc_buf_printf(&pattern, "%s/argument", line)) < 0 ||
	    (error = hc_file_match(&args, stack, pattern.ptr)) < 0)
		goto out;
	for (size_t i = 0; i < args.n && error == 0; i++) {
		const char *arg, *option;
		bool hash;

		if ((error = hc_file_get(&arg, stack, args.v[i])) < 0 ||
		    arg == NULL)
			continue;
		option = pam_unix_option(arg, &hash);
		if (!hash)
			continue;
		h->option = option;
		free(h->last);
		if ((h->last = hc_strdup(args.v[i])) == NULL ||
		    (error = hc_strlist_push(&h->all, args.v[i])) < 0)
			error = error < 0 ? error : HC_ERROR;
	}
out:
	hc_buf_release(&pattern);
	hc_strlist_release(&args);
	return error;
}

/* login.defs's ENCRYPT_METHOD, as pam_unix reads it; *defs NULL when there is
 * no login.defs. */
static int defs_method(const char **option, struct hc_file **defs,
		       struct hc_ctx *ctx)
{
	const char *value = NULL;
	char *node = NULL;
	int error;

	*option = NULL;
	if ((error = hc_ctx_file(defs, ctx, LOGIN_DEFS, LOGIN_DEFS_LENS,
				 HC_FILE_OPTIONAL)) < 0 ||
	    *defs == NULL ||
	    (error = kv_find(&node, *defs, "ENCRYPT_METHOD", 0)) < 0)
		goto out;
	if (node && (error = hc_file_get(&value, *defs, node)) == 0)
		*option = unix_method(value, false);
out:
	free(node);
	return error;
}

/*
 * What pam_unix LINE of ST hashes with, its own option or else
 * login.defs's FROM_DEFS, against WANT: evidence or a failure.
 */
static int method_line(struct hc_finding *out, struct hc_file *st,
		       const char *line, const char *from_defs,
		       const char *want, const char *expected)
{
	struct hc_buf found = HC_BUF_INIT;
	struct unix_hash h;
	bool strong;
	int error;

	if ((error = unix_hash_of(&h, st, line)) < 0)
		goto out;
	if (h.last)
		error = hc_buf_printf(&found,
				      "pam_unix %s (hashes passwords changed "
				      "through PAM, whatever login.defs says)",
				      h.option);
	else
		error = hc_buf_printf(&found,
				      "pam_unix with no hashing option: "
				      "login.defs's ENCRYPT_METHOD, %s",
				      from_defs ? from_defs
						: "none it knows, so des");
	strong = method_strong(h.last ? h.option : from_defs, want);
	if (error == 0)
		error = strong ? hc_finding_evidence(out, st->path,
						     hc_file_line(st, line),
						     found.ptr, NULL)
			       : hc_finding_fail(out, st->path,
						 hc_file_line(st, line),
						 found.ptr, expected);
out:
	unix_hash_release(&h);
	hc_buf_release(&found);
	return error;
}

static int method_check(struct hc_finding *out, struct hc_ctx *ctx,
			const struct hc_rule *rule)
{
	const char *want = hc_ctx_param(ctx, rule, "method"), *from_defs;
	struct hc_buf expected = HC_BUF_INIT;
	struct pam_stacks stacks = {0};
	struct hc_file *defs;
	size_t judged = 0;
	int error;

	/*
	 * With no login.defs, the pam_unix lines alone decide (the fix
	 * puts the method there): N/A only when there are none either.
	 */
	if ((error = defs_method(&from_defs, &defs, ctx)) < 0 ||
	    (defs && (error = kv_setting_check(out, ctx, rule)) < 0) ||
	    (error = pam_stacks_load(&stacks, ctx)) < 0 ||
	    (error = hc_buf_printf(
		 &expected, "pam_unix %s (or a hashing option as strong)",
		 unix_method(want, true) ? unix_method(want, true) : want)) < 0)
		goto out;
	for (size_t i = 0; i < stacks.n && error == 0; i++) {
		struct hc_file *st = stacks.v[i];
		struct hc_strlist lines = HC_STRLIST_INIT;

		error = pam_records(&lines, st, "password", "pam_unix");
		judged += lines.n;
		for (size_t l = 0; l < lines.n && error == 0; l++)
			error = method_line(out, st, lines.v[l], from_defs,
					    want, expected.ptr);
		hc_strlist_release(&lines);
	}
	if (error == 0 && defs == NULL && judged == 0)
		error = hc_finding_na(out, "no %s", LOGIN_DEFS);
out:
	pam_stacks_release(&stacks);
	hc_buf_release(&expected);
	return error;
}

/*
 * Make pam_unix LINE of ST hash with WANTED where what it uses is weaker
 * than WANT: its own option (the other hashing options go), or login.defs's
 * FROM_DEFS where it has none.
 */
static int method_fix(struct hc_file *st, const char *line,
		      const char *from_defs, const char *want,
		      const char *wanted)
{
	struct unix_hash h;
	int error;

	if ((error = unix_hash_of(&h, st, line)) < 0)
		goto out;
	if (h.last && !method_strong(h.option, want)) {
		/* From the last, so the positions of those left do not move. */
		for (size_t a = h.all.n; a-- > 0 && error == 0;)
			if (strcmp(h.all.v[a], h.last) != 0)
				error = hc_file_rm(st, h.all.v[a]);
		free(h.last);
		h.last = NULL;
		unix_hash_release(&h);
		if (error == 0 && (error = unix_hash_of(&h, st, line)) == 0)
			error = hc_file_set(st, h.last, wanted);
	} else if (!h.last && !method_strong(from_defs, want)) {
		error = pam_arg_set(st, line, wanted, NULL);
	}
out:
	unix_hash_release(&h);
	return error;
}

/*
 * login.defs as kv_setting_remediate sets it, then every pam_unix
 * password line whose option is weak: the option pam_unix uses becomes
 * the profile's method (the other hashing options go, the rest stay).
 * A line with none follows login.defs, set above; only where there is
 * no login.defs does the method go on the line.
 */
static int method_remediate(struct hc_ctx *ctx, const struct hc_rule *rule)
{
	const char *want = hc_ctx_param(ctx, rule, "method"), *wanted,
		   *from_defs;
	struct pam_stacks stacks = {0};
	struct hc_file *defs;
	int error;

	if ((wanted = unix_method(want, true)) == NULL) {
		hc_error_set(
		    "password.encrypt-method: pam_unix knows no method '%s'",
		    want);
		return HC_EINVALID;
	}
	/* login.defs only where it is weak: a YESCRYPT there stays. */
	if ((error = defs_method(&from_defs, &defs, ctx)) < 0 ||
	    (defs && !method_strong(from_defs, want) &&
	     (error = kv_setting_remediate(ctx, rule)) < 0) ||
	    (error = defs_method(&from_defs, &defs, ctx)) < 0 ||
	    (error = pam_stacks_load(&stacks, ctx)) < 0)
		goto out;
	for (size_t i = 0; i < stacks.n && error == 0; i++) {
		struct hc_file *st = stacks.v[i];
		struct hc_strlist lines = HC_STRLIST_INIT;

		error = pam_records(&lines, st, "password", "pam_unix");
		for (size_t l = 0; l < lines.n && error == 0; l++)
			error =
			    method_fix(st, lines.v[l], from_defs, want, wanted);
		hc_strlist_release(&lines);
	}
out:
	pam_stacks_release(&stacks);
	return error;
}

/* /etc/shadow ------------------------------------------------------------- */

#define SHADOW "/etc/shadow"
#define PASSWD "/etc/passwd"

/* The fields of a shadow entry the rule reads, as the Shadow lens labels them.
 */
enum { SP_PASSWORD, SP_MIN, SP_MAX, SP_WARN, SP_N };
static const char *const sp_fields[SP_N] = {
    "password",
    "minage_days",
    "maxage_days",
    "warn_days",
};

/* One aging field of a shadow entry and the parameter bounding it. */
struct aging {
	size_t field; /* in sp_fields */
	const char *param;
	enum kv_cmp cmp;
	/* What shadow(5) and pam_unix make of an empty field; NULL: no limit.
	 */
	const char *empty;
};

static const struct aging agings[] = {
    {SP_MAX, "max-days", KV_AT_MOST, NULL},
    {SP_MIN, "min-days", KV_AT_LEAST, "0"},
    {SP_WARN, "warn-days", KV_AT_LEAST, "0"},
};

#define NAGINGS (sizeof(agings) / sizeof(agings[0]))

static bool aging_ok(const struct aging *ag, const char *have, const char *want)
{
	struct kv_setting cmp = {.cmp = ag->cmp};

	if (have == NULL || *have == '\0')
		have = ag->empty;
	return have && kv_satisfies(&cmp, have, want);
}

/* login.defs's NAME as getdef reads a number, or DEF where unset or unreadable.
 */
static int defs_number(long *out, struct hc_ctx *ctx, const char *name,
		       long def)
{
	struct hc_file *defs;
	const char *value;
	char *node = NULL;
	int error = hc_ctx_file(&defs, ctx, LOGIN_DEFS, LOGIN_DEFS_LENS,
				HC_FILE_OPTIONAL);

	*out = def;
	if (error < 0 || defs == NULL ||
	    (error = kv_find(&node, defs, name, 0)) < 0 || node == NULL)
		goto out;
	if ((error = hc_file_get(&value, defs, node)) < 0)
		goto out;
	if (!getdef_number(out, value))
		*out = def;
out:
	free(node);
	return error;
}

/*
 * The login accounts of /etc/shadow, read in one pass: the shadow and
 * passwd trees as tables, the passwd rows sorted by name.  Reading each
 * account by its Augeas path would cost a walk of the file per account.
 */
struct accounts {
	struct hc_file *shadow;
	struct hc_file_table sp; /* sp_fields, a row per entry */
	unsigned int *lines;     /* each row's line */
	size_t *rows;            /* the login accounts' rows */
	size_t n;
};

static void accounts_release(struct accounts *a)
{
	hc_file_table_release(&a->sp);
	free(a->lines);
	free(a->rows);
	memset(a, 0, sizeof(*a));
}

/*
 * The line of each of the N entries of a shadow file as read, in one
 * scan: every line but the blank ones, comments and a bare "+" (the
 * nodes the Shadow lens makes with no password field).  NULL when the
 * count disagrees with the tree's, and the caller asks Augeas.
 */
static unsigned int *entry_lines(const struct hc_buf *text, size_t n)
{
	const char *p = hc_buf_cstr(text), *end = p + text->size;
	unsigned int *lines = calloc(n + 1, sizeof(*lines)), line = 0;
	size_t found = 0;

	if (lines == NULL)
		return NULL;
	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p)), *q = p;

		if (eol == NULL)
			eol = end;
		line++;
		while (q < eol && (*q == ' ' || *q == '\t'))
			q++;
		if (q < eol && *q != '#' && !(eol - p == 1 && *p == '+')) {
			if (found == n)
				break;
			lines[found++] = line;
		}
		p = eol + 1;
	}
	if (found != n || p < end) {
		free(lines);
		return NULL;
	}
	return lines;
}

/* Each row's line: from the text in one scan, or else from Augeas. */
static int account_lines(struct accounts *a)
{
	if ((a->lines = entry_lines(&a->shadow->orig, a->sp.n)) != NULL)
		return 0;
	if ((a->lines = calloc(a->sp.n + 1, sizeof(*a->lines))) == NULL)
		return hc_error_oom();
	return hc_file_table_lines(a->lines, a->shadow, &a->sp);
}

struct pw_row {
	const char *name;
	const char *uid;
	size_t row;
};

static int pw_row_cmp(const void *a, const void *b)
{
	const struct pw_row *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	return c ? c : (x->row > y->row) - (x->row < y->row);
}

/* The first of the N rows of BYNAME (sorted) named NAME, getpwnam's; NULL:
 * none. */
static const struct pw_row *pw_find(const struct pw_row *byname, size_t n,
				    const char *name)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (strcmp(byname[mid].name, name) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n && strcmp(byname[lo].name, name) == 0 ? &byname[lo]
							    : NULL;
}

/*
 * The login accounts of /etc/shadow: those whose UID lies in
 * login.defs's UID_MIN..UID_MAX, where useradd puts people.  Their
 * password fields are registered as secrets.
 */
static int login_accounts(struct accounts *a, struct hc_ctx *ctx)
{
	static const char *const pw_fields[] = {"password", "uid"};
	struct hc_file_table pw = {0};
	struct pw_row *byname = NULL;
	struct hc_file *passwd;
	size_t npw = 0;
	long uid_min, uid_max;
	int error, entries = 0;

	memset(a, 0, sizeof(*a));
	if ((error = hc_ctx_file(&a->shadow, ctx, SHADOW, "Shadow.lns", 0)) <
		0 ||
	    (error = hc_ctx_file(&passwd, ctx, PASSWD, "Passwd.lns", 0)) < 0 ||
	    (error = defs_number(&uid_min, ctx, "UID_MIN", 1000)) < 0 ||
	    (error = defs_number(&uid_max, ctx, "UID_MAX", 60000)) < 0 ||
	    (error = entries = hc_file_count(a->shadow, "*[password]")) < 0 ||
	    (error = hc_file_table(&a->sp, a->shadow, sp_fields, SP_N, NULL)) <
		0 ||
	    (error = hc_file_table(&pw, passwd, pw_fields, 2, NULL)) < 0)
		goto out;
	if ((size_t)entries != a->sp.n) {
		hc_error_set_at(a->shadow->display, 0,
				"%d entries with a password field, %zu with "
				"each aging field once",
				entries, a->sp.n);
		error = hc_error_set_code(HC_EPARSE);
		goto out;
	}
	if ((error = account_lines(a)) < 0)
		goto out;
	if ((byname = calloc(pw.n + 1, sizeof(*byname))) == NULL ||
	    (a->rows = calloc(a->sp.n + 1, sizeof(*a->rows))) == NULL) {
		error = hc_error_oom();
		goto out;
	}
	for (size_t i = 0; i < pw.n; i++)
		if (pw.label[i])
			byname[npw++] = (struct pw_row){pw.label[i],
							pw.value[i * 2 + 1], i};
	qsort(byname, npw, sizeof(*byname), pw_row_cmp);
	for (size_t i = 0; i < a->sp.n; i++) {
		const char *hash = a->sp.value[i * SP_N + SP_PASSWORD],
			   *name = a->sp.label[i];
		const struct pw_row *found;
		char *end;
		long uid;

		if (hash && strlen(hash) > 2 &&
		    (error = hc_ctx_secret(ctx, hash)) < 0)
			goto out;
		if (name == NULL)
			continue;
		found = pw_find(byname, npw, name);
		if (found == NULL || found->uid == NULL)
			continue;
		errno = 0;
		uid = strtol(found->uid, &end, 10);
		if (errno == 0 && *end == '\0' && uid >= uid_min &&
		    uid <= uid_max)
			a->rows[a->n++] = i;
	}
out:
	free(byname);
	hc_file_table_release(&pw);
	return error;
}

/* A failure for aging field AG of A's row R, which holds HAVE, against WANT. */
static int aging_fail(struct hc_finding *out, const struct accounts *a,
		      size_t r, const struct aging *ag, const char *have,
		      const char *want)
{
	struct hc_buf found = HC_BUF_INIT, expected = HC_BUF_INIT;
	const char *user = a->sp.label[r];
	int error;

	if (have && *have)
		error =
		    hc_buf_printf(&found, "%s %s %s", user, ag->param, have);
	else
		error =
		    hc_buf_printf(&found, "%s %s (empty: %s)", user, ag->param,
				  ag->empty ? ag->empty : "no maximum");
	if (error == 0)
		error = hc_buf_printf(
		    &expected, "%s %s %s", ag->param,
		    ag->cmp == KV_AT_MOST ? "at most" : "at least", want);
	if (error == 0)
		error = hc_finding_fail(out, SHADOW, a->lines[r], found.ptr,
					expected.ptr);
	hc_buf_release(&found);
	hc_buf_release(&expected);
	return error;
}

static int shadow_check(struct hc_finding *out, struct hc_ctx *ctx,
			const struct hc_rule *rule)
{
	struct accounts a;
	int error = login_accounts(&a, ctx);

	if (error == HC_ENOTFOUND) {
		hc_error_clear();
		accounts_release(&a);
		return hc_finding_na(out, "no %s or %s", SHADOW, PASSWD);
	}
	if (error < 0)
		goto out;
	if (a.n == 0)
		error = hc_finding_evidence(out, SHADOW, 0, "no login accounts",
					    NULL);
	for (size_t i = 0; i < a.n && error == 0; i++) {
		size_t r = a.rows[i];

		for (size_t g = 0; g < NAGINGS && error == 0; g++) {
			const struct aging *ag = &agings[g];
			const char *want = hc_ctx_param(ctx, rule, ag->param);
			const char *have = a.sp.value[r * SP_N + ag->field];

			if (!aging_ok(ag, have, want))
				error = aging_fail(out, &a, r, ag, have, want);
		}
	}
	if (error == 0 && out->status == HC_STATUS_PASS && a.n)
		error = hc_finding_evidence(
		    out, SHADOW, 0,
		    "every login account within the aging limits", NULL);
out:
	accounts_release(&a);
	return error;
}

static int shadow_remediate(struct hc_ctx *ctx, const struct hc_rule *rule)
{
	struct accounts a;
	struct hc_file_edit *fix = NULL;
	size_t nfix = 0;
	int error = login_accounts(&a, ctx);

	/* Judge every field first, then edit in one walk: the table's
	 * strings last until the tree changes. */
	if (error == 0 &&
	    (fix = calloc(a.n * NAGINGS + 1, sizeof(*fix))) == NULL)
		error = hc_error_oom();
	for (size_t i = 0; i < a.n && error == 0; i++) {
		for (size_t g = 0; g < NAGINGS; g++) {
			const struct aging *ag = &agings[g];
			const char *want = hc_ctx_param(ctx, rule, ag->param);

			if (!aging_ok(ag,
				      a.sp.value[a.rows[i] * SP_N + ag->field],
				      want))
				fix[nfix++] = (struct hc_file_edit){
				    a.rows[i], sp_fields[ag->field], want};
		}
	}
	if (error == 0)
		error = hc_file_table_set(a.shadow, &a.sp, fix, nfix);
	free(fix);
	accounts_release(&a);
	return error;
}

/* The rules ---------------------------------------------------------------- */

#define PARAM(name, def, help, valid)                                          \
	{                                                                      \
		name, HC_PARAM_STRING, def, help, valid                        \
	}
#define END_PARAMS                                                             \
	{                                                                      \
		NULL, HC_PARAM_STRING, NULL, NULL, NULL                        \
	}
/* shadow's limits: 99999 is its "never"; pam_unix keeps at most 400 old
 * passwords. */
#define DAYS(lo) HC_VALID_RANGE(lo, 99999, #lo " to 99999 days")
#define CREDIT HC_VALID_RANGE(-256, 256, "-256 to 256")
/* libpwquality raises a minlen below 6 to 6: the file would not say what is
 * enforced. */
#define MINLEN HC_VALID_RANGE(6, 256, "6 to 256, libpwquality's least is 6")
/*
 * The names Debian 12's shadow gives crypt(3), compared case by case
 * (any other makes it fall back to DES); the weak ones are refused.
 */
static const struct hc_valid strong_method = {
    .kind = HC_VALID_CHOICE,
    .choices = (const char *const[]){"SHA512", "YESCRYPT", NULL},
    .refused = (const char *const[]){"DES", "MD5", "SHA256", NULL},
    .allowed = "SHA512 or YESCRYPT",
};

/* Policy settings more than one rule fixes (hc_setting). */
#define MAX_AGE "password maximum age"
#define MIN_AGE "password minimum age"
#define WARN_AGE "password expiry warning"
#define MIN_LENGTH "password minimum length"
#define SETS(...) ((const struct hc_setting[]){__VA_ARGS__, {NULL, NULL}})

static const struct hc_param days_60[] = {
    PARAM("days", "60", "the most days a password may be used", DAYS(1)),
    END_PARAMS,
};
static const struct hc_param days_1[] = {
    PARAM("days", "1", "the fewest days between password changes", DAYS(0)),
    END_PARAMS,
};
static const struct hc_param days_7[] = {
    PARAM("days", "7", "days of warning before a password expires", DAYS(0)),
    END_PARAMS,
};

static const char *const login_defs_files[] = {LOGIN_DEFS, NULL};

static const struct hc_rule rules[] = {
    {
	.id = "password.max-days",
	.title = "new passwords expire within the maximum age",
	.severity = HC_CAT_II,
	.rationale = "A password that never expires gives an attacker who "
		     "learnt it unlimited time to use it.",
	.refs = (const char *const[]){"RHEL 8 STIG V-230366", NULL},
	.params = days_60,
	.owns = (const char *const[]){"login.defs:PASS_MAX_DAYS", NULL},
	.sets = SETS({MAX_AGE, "days"}),
	.files = login_defs_files,
	.data = &defs_max_days,
	.check = defs_check,
	.remediate = defs_remediate,
    },
    {
	.id = "password.min-days",
	.title = "passwords are kept for the minimum age before changing",
	.severity = HC_CAT_II,
	.rationale = "Without a minimum age, a user can cycle through the "
		     "history limit at once and reuse the old password.",
	.refs = (const char *const[]){"RHEL 8 STIG V-230365", NULL},
	.params = days_1,
	.owns = (const char *const[]){"login.defs:PASS_MIN_DAYS", NULL},
	.sets = SETS({MIN_AGE, "days"}),
	.files = login_defs_files,
	.data = &defs_min_days,
	.check = defs_check,
	.remediate = defs_remediate,
    },
    {
	.id = "password.warn-age",
	.title = "users are warned before their password expires",
	.severity = HC_CAT_III,
	.rationale = "A warning lets users change a password before it "
		     "expires, rather than be locked out.",
	.refs = NULL,
	.params = days_7,
	.owns = (const char *const[]){"login.defs:PASS_WARN_AGE", NULL},
	.sets = SETS({WARN_AGE, "days"}),
	.files = login_defs_files,
	.data = &defs_warn_age,
	.check = defs_check,
	.remediate = defs_remediate,
    },
    {
	.id = "password.min-len",
	.title = "login.defs asks for passwords of the minimum length",
	.severity = HC_CAT_II,
	.rationale = "Short passwords fall to guessing.  Where PAM's quality "
		     "module is in the stack it is what enforces the length "
		     "(password.quality); login.defs's value is the fallback.",
	.refs = (const char *const[]){"RHEL 8 STIG V-230370", NULL},
	.params =
	    (const struct hc_param[]){
		PARAM("length", "15", "the fewest characters",
		      HC_VALID_RANGE(1, 256, "1 to 256")),
		END_PARAMS,
	    },
	.owns = (const char *const[]){"login.defs:PASS_MIN_LEN", NULL},
	.sets = SETS({MIN_LENGTH, "length"}),
	.files = login_defs_files,
	.data = &defs_min_len,
	.check = defs_check,
	.remediate = defs_remediate,
    },
    {
	.id = "password.encrypt-method",
	.title = "new passwords are hashed with a strong method",
	.severity = HC_CAT_II,
	.rationale = "Weak hashes (DES, MD5) of /etc/shadow are cracked in "
		     "hours; YESCRYPT, where set, is stronger and kept.  "
		     "pam_unix's own option (md5, sha512, yescrypt...) decides "
		     "how a password changed through PAM is hashed, the last "
		     "one on its line winning; with none it follows "
		     "ENCRYPT_METHOD.",
	.refs = (const char *const[]){"RHEL 8 STIG V-230231", NULL},
	.params =
	    (const struct hc_param[]){
		PARAM("method", "SHA512", "ENCRYPT_METHOD to set",
		      &strong_method),
		END_PARAMS,
	    },
	.owns = (const char *const[]){"login.defs:ENCRYPT_METHOD",
				      "pam:unix-hash", NULL},
	.files = (const char *const[]){LOGIN_DEFS, "/etc/pam.d/*",
				       "/usr/lib/pam.d/*", NULL},
	.data = &encrypt_method,
	.check = method_check,
	.remediate = method_remediate,
    },
    {
	.id = "password.shadow-aging",
	.title = "existing login accounts follow the password aging limits",
	.severity = HC_CAT_II,
	.rationale = "login.defs applies only to accounts created after it "
		     "changes; the accounts /etc/shadow already holds (UIDs "
		     "from UID_MIN to UID_MAX) keep their own limits until "
		     "they are changed too.",
	.refs = (const char *const[]){"RHEL 8 STIG V-230367",
				      "RHEL 8 STIG V-230364", NULL},
	.params =
	    (const struct hc_param[]){
		PARAM("max-days", "60", "the most days a password may be used",
		      DAYS(1)),
		PARAM("min-days", "1", "the fewest days between changes",
		      DAYS(0)),
		PARAM("warn-days", "7", "days of warning before expiry",
		      DAYS(0)),
		END_PARAMS,
	    },
	.owns = (const char *const[]){"shadow:aging", NULL},
	.sets = SETS({MAX_AGE, "max-days"}, {MIN_AGE, "min-days"},
		     {WARN_AGE, "warn-days"}),
	.files = (const char *const[]){SHADOW, PASSWD, LOGIN_DEFS, NULL},
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
		     "the old.  libpwquality reads the drop-ins of "
		     "pwquality.conf.d, then pwquality.conf, a later value "
		     "winning; an argument on the PAM line beats them all.",
	.refs =
	    (const char *const[]){
		"RHEL 8 STIG V-230369", "RHEL 8 STIG V-230357",
		"RHEL 8 STIG V-230358", "RHEL 8 STIG V-230359",
		"RHEL 8 STIG V-230375", "RHEL 8 STIG V-230363", NULL},
	.params =
	    (const struct hc_param[]){
		PARAM("minlen", "15", "the fewest characters", MINLEN),
		PARAM("dcredit", "-1", "negative: at least that many digits",
		      CREDIT),
		PARAM("ucredit", "-1",
		      "negative: at least that many upper case", CREDIT),
		PARAM("lcredit", "-1",
		      "negative: at least that many lower case", CREDIT),
		PARAM("ocredit", "-1", "negative: at least that many others",
		      CREDIT),
		PARAM("difok", "8", "characters that must differ from the old",
		      HC_VALID_RANGE(0, 256, "0 to 256")),
		END_PARAMS,
	    },
	.owns = (const char *const[]){"pam:password-quality", NULL},
	.sets = SETS({MIN_LENGTH, "minlen"}),
	.files = (const char *const[]){"/etc/pam.d/common-password",
				       "/etc/pam.d/system-auth",
				       "/etc/pam.d/password-auth",
				       PWQUALITY_DROPINS, PWQUALITY_CONF, NULL},
	.check = quality_check,
	.remediate = quality_remediate,
    },
    {
	.id = "password.unix-stack",
	.title = "pam_unix follows the quality module, uses its token and "
		 "keeps history",
	.severity = HC_CAT_II,
	.rationale = "pam_unix must take the password the quality module "
		     "approved (use_authtok) and refuse the last 5 passwords "
		     "(remember=5, or pam_pwhistory).",
	.refs = (const char *const[]){"RHEL 8 STIG V-230368", NULL},
	.params =
	    (const struct hc_param[]){
		PARAM("remember", "5", "how many old passwords are refused",
		      HC_VALID_RANGE(1, 400, "1 to 400, pam_unix's most")),
		END_PARAMS,
	    },
	.owns = (const char *const[]){"pam:password-unix", NULL},
	.files = (const char *const[]){"/etc/pam.d/common-password",
				       "/etc/pam.d/system-auth",
				       "/etc/pam.d/password-auth", NULL},
	.check = unix_check,
	.remediate = unix_remediate,
    },
    {
	.id = "password.no-nullok",
	.title = "no account logs in with an empty password",
	.severity = HC_CAT_I,
	.rationale = "pam_unix's nullok lets an account whose password "
		     "field is empty log in without one.",
	.refs = (const char *const[]){"RHEL 8 STIG V-244540",
				      "RHEL 8 STIG V-244541", NULL},
	.params = (const struct hc_param[]){END_PARAMS},
	.owns = (const char *const[]){"pam:nullok", NULL},
	.files = pam_all_stacks,
	.check = nullok_check,
	.remediate = nullok_remediate,
    },
    {.id = NULL},
};

/*
 * The password field of a line of /etc/shadow or /etc/gshadow, unless
 * it is a lock mark ("*", "!", "!!"): diffs of them are masked.
 */
static bool shadow_secret(const char **start, size_t *len, const char *line,
			  size_t size)
{
	const char *colon = memchr(line, ':', size), *end;

	if (colon == NULL)
		return false;
	*start = colon + 1;
	end = memchr(*start, ':', size - (size_t)(*start - line));
	*len = end ? (size_t)(end - *start) : size - (size_t)(*start - line);
	return *len > 2;
}

const struct hc_module hc_module_password = {
    .version = HC_MODULE_VERSION,
    .name = "password",
    .description = "password aging, hashing and complexity",
    .rules = rules,
    .secrets =
	(const struct hc_line_secret[]){
	    {"shadow", shadow_secret},
	    {"*/shadow", shadow_secret},
	    {"*/gshadow", shadow_secret},
	    {NULL, NULL},
	},
};
