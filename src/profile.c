/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Profiles (see hardctl/profile.h), parsed with the Hardctl_Profile
 * lens so that a syntax error is reported with its line like any other
 * file's.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "hardctl/aug.h"
#include "hardctl/mask.h"
#include "hardctl/profile.h"
#include "hardctl/root.h"
#include "hardctl/trace.h"

#define PROFILE_LENS "Hardctl_Profile.lns"

int hc_profile_read_trusted(struct hc_buf *out, const char *path)
{
	struct stat st;
	int fd, error = 0;

	hc_buf_clear(out);
	if ((fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY)) <
	    0) {
		int code = errno == ENOENT ? HC_ENOTFOUND : HC_ERROR;

		hc_error_set_os(path, "cannot open");
		return hc_error_set_code(code);
	}
	if (fstat(fd, &st) < 0) {
		hc_error_set_os(path, "cannot stat");
		error = HC_ERROR;
		goto out;
	}
	/* As doas does with its configuration: refuse what others control. */
	if (!S_ISREG(st.st_mode)) {
		hc_error_set_at(path, 0, "not a regular file");
		error = hc_error_set_code(HC_EUNSAFE);
		goto out;
	}
	if (st.st_uid != 0 && st.st_uid != geteuid()) {
		hc_error_set_at(
		    path, 0, "owned by uid %u, neither root nor you: refused",
		    (unsigned int)st.st_uid);
		error = hc_error_set_code(HC_EUNSAFE);
		goto out;
	}
	if (st.st_mode & (S_IWGRP | S_IWOTH)) {
		hc_error_set_at(
		    path, 0,
		    "writable by group or others: refused (chmod go-w)");
		error = hc_error_set_code(HC_EUNSAFE);
		goto out;
	}
	if ((error = hc_buf_read_fd(out, fd, 1u << 20, path)) == 0 &&
	    hc_trace_on()) {
		/* Its mode counts too: a banner text must be world-readable. */
		char fp[HC_ROOT_READ_FP];

		if (hc_root_read_fp(fp, sizeof(fp), out, &st) == 0) {
			hc_trace_dep(HC_TRACE_PROFILE, path, fp);
		} else {
			hc_error_clear();
			hc_trace_doubt();
		}
	}
out:
	close(fd);
	return error;
}

#define MAX_DEPTH 16

/* The files being resolved, innermost last: a path met twice is a cycle. */
struct chain {
	const struct chain *up;
	const char *real; /* realpath of the file */
	const char *path; /* as named */
};

/* State while loading one profile or tailoring file. */
struct loader {
	struct hc_profile *profile;
	augeas *aug;
	struct hc_aug *haug;
	struct hc_buf text;
	const char *path;    /* the file being read */
	const char *dir;     /* its directory */
	const char *shipped; /* the shipped profiles, where defaults live */
	const struct chain *chain;
	bool tailoring;
	size_t source;             /* its index in profile->sources */
	unsigned int severities;   /* the header's "severities", as a mask */
	bool sets_secret;          /* it gives a secret parameter a value */
	bool extended;             /* its header has "extends" */
	struct hc_strlist dropped; /* the ids its "drop" left out */
};

static unsigned int line_of(struct loader *l, const char *node)
{
	return hc_aug_line(l->haug, node, hc_buf_cstr(&l->text));
}

static int fail_at(struct loader *l, const char *node, int code)
{
	const struct hc_error *e = hc_error_last();
	char file[sizeof(e->file)], message[sizeof(e->message)];

	/* Copies: the arguments may not alias the slot being written. */
	memcpy(file, e->file, sizeof(file));
	memcpy(message, e->message, sizeof(message));
	/* Keep the file the error was about, if not the profile itself. */
	if (file[0] && strcmp(file, l->path) != 0)
		hc_error_set_at(l->path, line_of(l, node), "%s: %s", file,
				message);
	else
		hc_error_set_at(l->path, line_of(l, node), "%s", message);
	return hc_error_set_code(code);
}

static const char *label_of(struct loader *l, const char *node)
{
	const char *label = NULL;

	if (aug_label(l->aug, node, &label) != 1)
		return NULL;
	return label;
}

static const char *value_of(struct loader *l, const char *node)
{
	const char *value = NULL;

	if (aug_get(l->aug, node, &value) != 1)
		return NULL;
	return value;
}

/* Children of NODE that are not comments. */
static int children(struct hc_strlist *out, struct loader *l, const char *node)
{
	struct hc_buf pattern = HC_BUF_INIT;
	char **m = NULL;
	int n, error = 0;

	if ((error = hc_buf_printf(&pattern, "%s/*[label() != '#comment']",
				   node)) < 0)
		return error;
	if ((n = aug_match(l->aug, pattern.ptr, &m)) < 0) {
		error = hc_aug_error(l->haug, "cannot walk the profile");
		n = 0;
	}
	for (int i = 0; i < n; i++) {
		if (error == 0)
			error = hc_strlist_push_owned(out, m[i]);
		else
			free(m[i]);
	}
	free(m);
	hc_buf_release(&pattern);
	return error;
}

static int set_string(char **dst, struct loader *l, const char *node)
{
	const char *value = value_of(l, node);

	if (value == NULL || value[0] == '\0') {
		hc_error_set("'%s' needs a value", label_of(l, node));
		return fail_at(l, node, HC_EINVALID);
	}
	free(*dst);
	return (*dst = hc_strdup(value)) ? 0 : HC_ERROR;
}

/* "CAT I, CAT II" as a mask of 1 << severity. */
static int parse_severities(unsigned int *mask, const char *list)
{
	char *copy = hc_strdup(list), *save = NULL;
	int error = 0;

	*mask = 0;
	if (copy == NULL)
		return HC_ERROR;
	for (char *tok = strtok_r(copy, ",", &save); tok && error == 0;
	     tok = strtok_r(NULL, ",", &save)) {
		enum hc_severity sev;
		size_t len;

		tok += strspn(tok, " \t");
		for (len = strlen(tok);
		     len && (tok[len - 1] == ' ' || tok[len - 1] == '\t');
		     len--)
			tok[len - 1] = '\0';
		if ((error = hc_severity_parse(&sev, tok)) == 0)
			*mask |= 1u << sev;
	}
	if (error == 0 && *mask == 0) {
		hc_error_set("'severities' lists no severity");
		error = hc_error_set_code(HC_EINVALID);
	}
	free(copy);
	return error;
}

static int load_file(struct loader *parent, const char *path, bool tailoring);

/* Whether SPEC names a file ("base.conf") rather than a profile ("base"). */
static bool is_file_name(const char *spec)
{
	size_t len = strlen(spec);

	return len > 5 && strcmp(spec + len - 5, ".conf") == 0;
}

/* Resolve "extends = SPEC" of the file L reads, and load it. */
/*
 * Whether the profile PATH, beside the one that extends it, is there:
 * one put there later is the one extended, so an answer depends on it.
 */
static bool beside(const char *path)
{
	hc_trace_host(path);
	return access(path, F_OK) == 0;
}

static int load_extends(struct loader *l, const char *node)
{
	struct hc_buf path = HC_BUF_INIT;
	const char *spec = value_of(l, node);
	int error;

	if (spec == NULL || spec[0] == '\0') {
		hc_error_set("'extends' needs a profile name or path");
		return fail_at(l, node, HC_EINVALID);
	}
	if (spec[0] == '/')
		error = hc_buf_puts(&path, spec);
	else if (strchr(spec, '/') || is_file_name(spec))
		error = hc_buf_printf(&path, "%s/%s", l->dir, spec);
	else if ((error = hc_buf_printf(&path, "%s/%s.conf", l->dir, spec)) ==
		     0 &&
		 !beside(path.ptr)) {
		/* Not beside the extending file: a shipped profile. */
		hc_buf_clear(&path);
		error = hc_buf_printf(&path, "%s/%s.conf", l->shipped, spec);
	}
	if (error == 0 && (error = load_file(l, path.ptr, false)) < 0) {
		const struct hc_error *e = hc_error_last();

		/* Errors inside the base name their own file and line. */
		if (error == HC_ENOTFOUND && strcmp(e->file, path.ptr) == 0) {
			hc_error_set("extends '%s': no such profile (%s)", spec,
				     path.ptr);
			error = fail_at(l, node, error);
		} else if (e->file[0] == '\0') {
			error = fail_at(l, node, error);
		}
	}
	hc_buf_release(&path);
	return error;
}

static struct hc_profile_rule *find_rule(struct hc_profile *p,
					 const struct hc_rule *rule);

/* Leave the rule ID out of what the file L reads extends (its "drop"). */
static int drop_one(struct loader *l, const char *node, const char *id)
{
	const struct hc_module *module = NULL;
	const struct hc_rule *rule = hc_rule_find(&module, id);
	struct hc_profile_rule *pr;

	if (rule == NULL) {
		hc_error_set("'drop': unknown rule '%s' (hardctl list shows "
			     "the rules)",
			     id);
		return fail_at(l, node, HC_EINVALID);
	}
	for (size_t i = 0; i < l->dropped.n; i++) {
		if (strcmp(l->dropped.v[i], id) == 0) {
			hc_error_set("'drop' lists rule '%s' twice", id);
			return fail_at(l, node, HC_EINVALID);
		}
	}
	if ((pr = find_rule(l->profile, rule)) == NULL || pr->disabled) {
		hc_error_set("'drop': rule '%s' is not in the profile this one "
			     "extends",
			     id);
		return fail_at(l, node, HC_EINVALID);
	}
	pr->disabled = true;
	return hc_strlist_push(&l->dropped, id);
}

/*
 * "drop = ID ...": rules of the profile this one extends that it leaves
 * out.  Only what it extends can be dropped, and each id must be there:
 * a misspelt id would otherwise keep the rule silently.
 */
static int load_drop(struct loader *l, const char *node)
{
	const char *value = value_of(l, node);
	char *copy, *save = NULL;
	int error = 0;

	if (!l->extended) {
		hc_error_set("'drop' leaves out rules of the profile this one "
			     "extends, and it extends none (extends = NAME)");
		return fail_at(l, node, HC_EINVALID);
	}
	if (value == NULL || value[0] == '\0') {
		hc_error_set("'drop' needs the ids of the rules to leave out");
		return fail_at(l, node, HC_EINVALID);
	}
	if ((copy = hc_strdup(value)) == NULL)
		return HC_ERROR;
	for (char *id = strtok_r(copy, " \t,", &save); id && error == 0;
	     id = strtok_r(NULL, " \t,", &save))
		error = drop_one(l, node, id);
	free(copy);
	return error;
}

/* What a [profile] or [tailoring] header says. */
struct header {
	char *name, *version, *description, *of;
};

/* Take the header key NODE (labelled KEY) into H. */
static int header_key(struct header *h, struct loader *l, const char *key,
		      const char *node)
{
	int error;

	if (strcmp(key, "name") == 0)
		return set_string(&h->name, l, node);
	if (strcmp(key, "version") == 0)
		return set_string(&h->version, l, node);
	if (strcmp(key, "description") == 0)
		return set_string(&h->description, l, node);
	if (strcmp(key, "severities") == 0) {
		const char *value = value_of(l, node);

		if ((error = parse_severities(&l->severities,
					      value ? value : "")) < 0)
			return fail_at(l, node, error);
		return 0;
	}
	if (strcmp(key, "extends") == 0 && !l->tailoring)
		return 0; /* loaded first */
	if (strcmp(key, "drop") == 0 && !l->tailoring)
		return load_drop(l, node);
	if (strcmp(key, "profile") == 0 && l->tailoring)
		return set_string(&h->of, l, node);
	hc_error_set("unknown key '%s' in [%s] (expected name, version, "
		     "description, severities, %s)",
		     key, l->tailoring ? "tailoring" : "profile",
		     l->tailoring ? "profile" : "extends, drop");
	return fail_at(l, node, HC_EINVALID);
}

/* Make H the profile's header (the leaf's wins) or its tailoring's. */
static int take_header(struct loader *l, struct header *h)
{
	struct hc_profile *p = l->profile;
	struct hc_buf tailored = HC_BUF_INIT;
	int error;

	if (l->tailoring) {
		if ((error = hc_buf_printf(&tailored, "%s %s", h->name,
					   h->version)) < 0)
			return error;
		free(p->tailoring);
		p->tailoring = hc_buf_detach(&tailored);
		return 0;
	}
	free(p->name);
	free(p->version);
	p->name = h->name;
	p->version = h->version;
	h->name = h->version = NULL;
	if (h->description || p->description == NULL) {
		free(p->description);
		p->description = h->description;
		h->description = NULL;
	}
	return 0;
}

static int load_header(struct loader *l, const char *section)
{
	struct hc_strlist keys = HC_STRLIST_INIT;
	struct header h = {NULL, NULL, NULL, NULL};
	int error;

	if ((error = children(&keys, l, section)) < 0)
		goto out;
	/* What this file extends comes first, whatever the key order. */
	for (size_t i = 0; i < keys.n && error == 0; i++) {
		const char *key = label_of(l, keys.v[i]);

		if (key && strcmp(key, "extends") == 0 && !l->tailoring) {
			l->extended = true;
			error = load_extends(l, keys.v[i]);
		}
	}
	for (size_t i = 0; i < keys.n && error == 0; i++) {
		const char *key = label_of(l, keys.v[i]);

		if (key)
			error = header_key(&h, l, key, keys.v[i]);
	}
	if (error < 0)
		goto out;
	if (h.name == NULL || h.version == NULL) {
		hc_error_set("[%s] needs a name and a version",
			     l->tailoring ? "tailoring" : "profile");
		error = fail_at(l, section, HC_EINVALID);
	} else if (l->tailoring && h.of &&
		   strcmp(h.of, l->profile->name) != 0) {
		hc_error_set("tailors profile '%s', not '%s'", h.of,
			     l->profile->name);
		error = fail_at(l, section, HC_EINVALID);
	} else {
		error = take_header(l, &h);
	}
out:
	free(h.name);
	free(h.version);
	free(h.description);
	free(h.of);
	hc_strlist_release(&keys);
	return error;
}

/*
 * A value written into a configuration line must stay one line of
 * printable text: a control byte would end the line, or be one of
 * Augeas's own markers (0x01 to 0x04) and render as nothing.
 */
static bool has_control(const char *value)
{
	for (const unsigned char *c = (const unsigned char *)value; *c; c++) {
		if (*c < 0x20 || *c == 0x7f) {
			hc_error_set("'%s' holds the control byte 0x%02x",
				     value, *c);
			return true;
		}
	}
	return false;
}

/* A path on the managed system must name one place: absolute, no "." or "..".
 */
static int check_path(const char *value)
{
	const char *p = value;

	if (value[0] != '/') {
		hc_error_set("'%s' is not an absolute path", value);
		return hc_error_set_code(HC_EINVALID);
	}
	if (has_control(value))
		return hc_error_set_code(HC_EINVALID);
	while (*p) {
		size_t len;

		p += strspn(p, "/");
		len = strcspn(p, "/");
		if ((len == 1 && p[0] == '.') ||
		    (len == 2 && p[0] == '.' && p[1] == '.')) {
			hc_error_set(
			    "'%s' has a '%.*s' component: give the path itself",
			    value, (int)len, p);
			return hc_error_set_code(HC_EINVALID);
		}
		p += len;
	}
	return 0;
}

/* Read the text file NAME names, relative to DIR, as PARAM takes it. */
static int read_textfile(char **out, const char *dir, const char *name,
			 const struct hc_param *param)
{
	struct hc_buf path = HC_BUF_INIT, text = HC_BUF_INIT;
	struct stat st = {0};
	int error;

	if (name[0] == '/')
		error = hc_buf_puts(&path, name);
	else
		error = hc_buf_printf(&path, "%s/%s", dir, name);
	if (error < 0 || (error = hc_profile_read_trusted(&text, path.ptr)) < 0)
		goto out;
	/*
	 * The text is shown to everyone who logs in: a file others may not
	 * read (a link to /etc/shadow) is not meant to be.
	 */
	if (stat(path.ptr, &st) < 0 || !(st.st_mode & S_IROTH)) {
		hc_error_set(
		    "%s is not readable by others (mode %04o): a text every "
		    "login shows must not be private",
		    path.ptr, (unsigned int)(st.st_mode & 07777));
		error = hc_error_set_code(HC_EUNSAFE);
		goto out;
	}
	if (memchr(text.ptr ? text.ptr : "", '\0', text.size) ||
	    text.size == 0) {
		hc_error_set("%s is empty or not text", path.ptr);
		error = hc_error_set_code(HC_EINVALID);
		goto out;
	}
	if ((error = hc_param_validate(param, text.ptr)) < 0) {
		hc_error_prefix("%s", path.ptr);
		goto out;
	}
	if ((*out = hc_buf_detach(&text)) == NULL)
		error = HC_ERROR;
out:
	hc_buf_release(&path);
	hc_buf_release(&text);
	return error;
}

static int parse_bool(bool *out, const char *value)
{
	static const char *const yes[] = {"yes", "true"}, *const no[] = {
							      "no", "false"};

	for (size_t i = 0; i < HC_ARRAY_SIZE(yes); i++) {
		if (strcasecmp(value, yes[i]) == 0) {
			*out = true;
			return 0;
		}
		if (strcasecmp(value, no[i]) == 0) {
			*out = false;
			return 0;
		}
	}
	hc_error_set("'%s' is not a boolean (yes or no)", value);
	return hc_error_set_code(HC_EINVALID);
}

/* "-12", "0", "60": what every reader takes alike (no "+", no "010", which
 * strtol(..., 0) reads as 8). */
static int valid_int(const struct hc_valid *v, const char *value)
{
	const char *digits = value + (value[0] == '-');
	long long n;
	char *end;

	errno = 0;
	n = strtoll(value, &end, 10);
	if (digits[0] < '0' || digits[0] > '9' || *end || errno == ERANGE ||
	    (digits[0] == '0' && digits[1])) {
		hc_error_set("'%s' is not a whole number (%s)", value,
			     v->allowed);
		return hc_error_set_code(HC_EINVALID);
	}
	if (n < v->min || n > v->max) {
		hc_error_set("%s is out of range (%s)", value, v->allowed);
		return hc_error_set_code(HC_EINVALID);
	}
	return 0;
}

static bool choice_is(const char *const *list, const char *value, bool nocase)
{
	for (size_t i = 0; list && list[i]; i++)
		if ((nocase ? strcasecmp : strcmp)(list[i], value) == 0)
			return true;
	return false;
}

static int valid_choice(const struct hc_valid *v, const char *value)
{
	if (choice_is(v->choices, value, v->nocase))
		return 0;
	if (choice_is(v->refused, value, v->nocase))
		hc_error_set("'%s' is known to the reader but refused: too "
			     "weak (use %s)",
			     value, v->allowed);
	else if (!v->nocase && (choice_is(v->choices, value, true) ||
				choice_is(v->refused, value, true)))
		hc_error_set(
		    "'%s' is not one of %s: case matters to the reader, which "
		    "would take it for an unknown value",
		    value, v->allowed);
	else
		hc_error_set("'%s' is not one of %s", value, v->allowed);
	return hc_error_set_code(HC_EINVALID);
}

static int valid_words(const struct hc_valid *v, const char *value)
{
	long long n = 0;

	for (const char *p = value; *p;) {
		size_t len;

		p += strspn(p, " ");
		if ((len = strcspn(p, " ")) == 0)
			break;
		n++;
		for (size_t i = 0; i < len; i++) {
			unsigned char c = (unsigned char)p[i];

			if ((c >= '0' && c <= '9') ||
			    ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') ||
			    (v->word_bytes && strchr(v->word_bytes, c)))
				continue;
			if (c < 0x20 || c >= 0x7f)
				hc_error_set(
				    "'%.*s' holds the byte 0x%02x (%s)",
				    (int)len, p, c, v->allowed);
			else
				hc_error_set("'%.*s' holds '%c' (%s)", (int)len,
					     p, c, v->allowed);
			return hc_error_set_code(HC_EINVALID);
		}
		p += len;
	}
	if (n < v->min || n > v->max) {
		hc_error_set("'%s' has %lld word%s (%s)", value, n,
			     n == 1 ? "" : "s", v->allowed);
		return hc_error_set_code(HC_EINVALID);
	}
	return 0;
}

int hc_param_validate(const struct hc_param *param, const char *value)
{
	const struct hc_valid *v = param->valid;
	bool b;
	int error = 0;

	if (param->type == HC_PARAM_BOOL)
		error = parse_bool(&b, value);
	else if (param->type == HC_PARAM_PATH)
		error = check_path(value);
	else if ((param->type == HC_PARAM_STRING ||
		  param->type == HC_PARAM_SECRET) &&
		 has_control(value))
		error = hc_error_set_code(HC_EINVALID);
	if (error < 0 || v == NULL)
		return error;
	switch (v->kind) {
	case HC_VALID_INT:
		return valid_int(v, value);
	case HC_VALID_CHOICE:
		return valid_choice(v, value);
	case HC_VALID_WORDS:
		return valid_words(v, value);
	case HC_VALID_FN:
		return v->fn(value);
	}
	return 0;
}

/* In OUT, each 'WORD' (quoted so, as errors quote values) as '********'. */
static int mask_quoted(struct hc_buf *out, const char *word, size_t len)
{
	struct hc_buf quoted = HC_BUF_INIT, done = HC_BUF_INIT;
	const char *p, *hit;
	int error;

	if ((error = hc_buf_printf(&quoted, "'%.*s'", (int)len, word)) < 0)
		goto out;
	for (p = out->ptr; error == 0 && (hit = strstr(p, quoted.ptr));
	     p = hit + quoted.size)
		if ((error = hc_buf_put(&done, p, (size_t)(hit - p))) == 0)
			error = hc_buf_puts(&done, "'" HC_MASK "'");
	if (error == 0 && p != out->ptr && (error = hc_buf_puts(&done, p)) == 0)
		error = hc_buf_set(out, done.ptr, done.size);
out:
	if (quoted.ptr)
		explicit_bzero(quoted.ptr, quoted.size);
	hc_buf_release(&quoted);
	hc_buf_release(&done);
	return error;
}

/*
 * The last error with VALUE, a secret parameter's value, and each of
 * its words masked where the error quotes them: a value refused is
 * still a guess at the secret, and errors are said on stderr and in
 * the JSON error object.
 */
static void mask_secret_error(const char *value)
{
	struct hc_buf msg = HC_BUF_INIT;
	int error = hc_buf_puts(&msg, hc_error_last()->message);

	if (error == 0)
		error = mask_quoted(&msg, value, strlen(value));
	for (const char *p = value; error == 0 && *p;) {
		size_t len;

		p += strspn(p, " \t");
		if ((len = strcspn(p, " \t")) == 0)
			break;
		error = mask_quoted(&msg, p, len);
		p += len;
	}
	if (error == 0)
		hc_error_set("%s", msg.ptr);
	else
		hc_error_set("the value is not valid");
	hc_buf_release(&msg);
}

static int set_value(struct loader *l, struct hc_profile_rule *pr, int i,
		     const char *node)
{
	const struct hc_param *param = &pr->rule->params[i];
	const char *value = value_of(l, node);
	char *copy = NULL;
	bool b;
	int error;

	if (value == NULL || value[0] == '\0') {
		hc_error_set("parameter '%s' of %s needs a value", param->name,
			     pr->rule->id);
		return fail_at(l, node, HC_EINVALID);
	}
	if (param->type == HC_PARAM_TEXTFILE)
		error = read_textfile(&copy, l->dir, value, param);
	else
		error = hc_param_validate(param, value);
	if (error < 0) {
		if (param->type == HC_PARAM_SECRET)
			mask_secret_error(value);
		hc_error_prefix("parameter '%s' of %s", param->name,
				pr->rule->id);
		return fail_at(l, node, error);
	}
	/* Rules compare a boolean with "yes": say it one way. */
	if (param->type == HC_PARAM_BOOL && parse_bool(&b, value) == 0)
		value = b ? "yes" : "no";
	if (copy == NULL && (copy = hc_strdup(value)) == NULL)
		return HC_ERROR;
	l->sets_secret = l->sets_secret || param->type == HC_PARAM_SECRET;
	free(pr->values[i]);
	pr->values[i] = copy;
	return 0;
}

static int apply_defaults(struct hc_profile_rule *pr, const char *shipped)
{
	const struct hc_param *params = pr->rule->params;

	for (int i = 0; params && params[i].name; i++) {
		int error = 0;

		if (pr->values[i])
			continue;
		if (params[i].type == HC_PARAM_TEXTFILE)
			error = read_textfile(&pr->values[i], shipped,
					      params[i].def, &params[i]);
		else if ((pr->values[i] = hc_strdup(params[i].def)) == NULL)
			error = HC_ERROR;
		if (error < 0) {
			hc_error_prefix("default of %s's parameter '%s'",
					pr->rule->id, params[i].name);
			return error;
		}
	}
	return 0;
}

static int add_rule(struct hc_profile_rule **out, struct hc_profile *p,
		    const struct hc_rule *rule, const struct hc_module *module)
{
	struct hc_profile_rule *v, *pr;
	size_t nparams = 0;

	while (rule->params && rule->params[nparams].name)
		nparams++;
	if ((v = reallocarray(p->rules, p->nrules + 1, sizeof(*v))) == NULL)
		return hc_error_oom();
	p->rules = v;
	pr = &v[p->nrules];
	memset(pr, 0, sizeof(*pr));
	if ((pr->values = calloc(nparams + 1, sizeof(char *))) == NULL)
		return hc_error_oom();
	pr->rule = rule;
	pr->module = module;
	pr->severity = rule->severity;
	p->nrules++;
	*out = pr;
	return 0;
}

static void waiver_release(struct hc_waiver *w)
{
	free(w->reason);
	free(w->approver);
	free(w->expires);
	memset(w, 0, sizeof(*w));
}

/* Whether S is a real date written YYYY-MM-DD. */
static bool valid_date(const char *s)
{
	struct tm tm;
	char back[11];
	const char *end;

	memset(&tm, 0, sizeof(tm));
	if (strlen(s) != 10 || (end = strptime(s, "%Y-%m-%d", &tm)) == NULL ||
	    *end)
		return false;
	tm.tm_isdst = -1;
	/* 2027-02-30 parses; normalising it shows it is no date. */
	if (mktime(&tm) == (time_t)-1)
		return false;
	strftime(back, sizeof(back), "%Y-%m-%d", &tm);
	return strcmp(back, s) == 0;
}

/*
 * A waiver is given whole in one section: what is waived, who said so
 * and until when are read together by an auditor.
 */
static int set_waiver(struct loader *l, struct hc_profile_rule *pr,
		      const char *section, const struct hc_waiver *w)
{
	if (!w->reason && !w->approver && !w->expires)
		return 0;
	if (!w->reason || !w->approver || !w->expires) {
		hc_error_set(
		    "a waiver of %s needs all of waiver, waiver-approver and "
		    "waiver-expires",
		    pr->rule->id);
		return fail_at(l, section, HC_EINVALID);
	}
	if (!valid_date(w->expires)) {
		hc_error_set("waiver-expires '%s' is not a date (YYYY-MM-DD)",
			     w->expires);
		return fail_at(l, section, HC_EINVALID);
	}
	waiver_release(&pr->waiver);
	pr->waiver = *w;
	return 0;
}

/* One key of a rule section. */
static int rule_key(struct loader *l, struct hc_profile_rule *pr,
		    struct hc_waiver *w, const char *node)
{
	const char *key = label_of(l, node), *value = value_of(l, node);
	int index, error;
	bool enabled;

	if (key == NULL)
		return 0;
	if (strcmp(key, "severity") == 0) {
		if ((error = hc_severity_parse(&pr->severity,
					       value ? value : "")) < 0)
			return fail_at(l, node, error);
	} else if (strcmp(key, "enabled") == 0) {
		if ((error = parse_bool(&enabled, value ? value : "")) < 0)
			return fail_at(l, node, error);
		pr->disabled = !enabled;
	} else if (strcmp(key, "waiver") == 0) {
		return set_string(&w->reason, l, node);
	} else if (strcmp(key, "waiver-approver") == 0) {
		return set_string(&w->approver, l, node);
	} else if (strcmp(key, "waiver-expires") == 0) {
		return set_string(&w->expires, l, node);
	} else if ((index = hc_rule_param_index(pr->rule, key)) >= 0) {
		return set_value(l, pr, index, node);
	} else {
		hc_error_set("rule '%s' has no parameter '%s' (hardctl explain "
			     "%s lists them)",
			     pr->rule->id, key, pr->rule->id);
		return fail_at(l, node, HC_EINVALID);
	}
	return 0;
}

static struct hc_profile_rule *find_rule(struct hc_profile *p,
					 const struct hc_rule *rule)
{
	for (size_t i = 0; i < p->nrules; i++)
		if (p->rules[i].rule == rule)
			return &p->rules[i];
	return NULL;
}

static int load_rule(struct loader *l, const char *section, const char *id,
		     struct hc_strlist *seen)
{
	struct hc_strlist keys = HC_STRLIST_INIT;
	const struct hc_module *module = NULL;
	const struct hc_rule *rule = hc_rule_find(&module, id);
	struct hc_profile_rule *pr;
	struct hc_waiver w = {0};
	int error;

	if (rule == NULL) {
		hc_error_set("unknown rule '%s' (hardctl list shows the rules)",
			     id);
		return fail_at(l, section, HC_EINVALID);
	}
	for (size_t i = 0; i < seen->n; i++) {
		if (strcmp(seen->v[i], id) == 0) {
			hc_error_set("rule '%s' is listed twice", id);
			return fail_at(l, section, HC_EINVALID);
		}
	}
	for (size_t i = 0; i < l->dropped.n; i++) {
		if (strcmp(l->dropped.v[i], id) == 0) {
			hc_error_set("rule '%s' has a section but 'drop' "
				     "leaves it out: keep one of the two",
				     id);
			return fail_at(l, section, HC_EINVALID);
		}
	}
	if ((error = hc_strlist_push(seen, id)) < 0)
		return error;
	/* A section adds its rule, or overrides what a base said of it. */
	if ((pr = find_rule(l->profile, rule)) == NULL &&
	    (error = add_rule(&pr, l->profile, rule, module)) < 0)
		return error;
	pr->disabled = false;
	pr->source = l->source;
	pr->line = line_of(l, section);
	if ((error = children(&keys, l, section)) < 0)
		goto out;
	for (size_t i = 0; i < keys.n && error == 0; i++)
		error = rule_key(l, pr, &w, keys.v[i]);
	if (error == 0 && (error = set_waiver(l, pr, section, &w)) == 0)
		memset(&w, 0, sizeof(w)); /* the rule holds it now */
out:
	waiver_release(&w);
	hc_strlist_release(&keys);
	return error;
}

/*
 * [guards], in a tailoring only: one host's acceptance of what the
 * lockout judgment cannot see.  Accepting without a reason is refused,
 * as a waiver without one is.
 */
static int load_guards(struct loader *l, const char *section)
{
	struct hc_strlist keys = HC_STRLIST_INIT;
	struct hc_guards *g = &l->profile->guards;
	int error;

	if (!l->tailoring) {
		hc_error_set("[guards] belongs in a host's tailoring file, not "
			     "in a profile");
		return fail_at(l, section, HC_EINVALID);
	}
	if ((error = children(&keys, l, section)) < 0)
		goto out;
	for (size_t i = 0; i < keys.n && error == 0; i++) {
		const char *key = label_of(l, keys.v[i]),
			   *value = value_of(l, keys.v[i]);

		if (key && strcmp(key, "accept-no-local-admin") == 0) {
			if ((error = parse_bool(&g->accept_no_local_admin,
						value ? value : "")) < 0)
				error = fail_at(l, keys.v[i], error);
		} else if (key && strcmp(key, "reason") == 0) {
			error = set_string(&g->reason, l, keys.v[i]);
		} else if (key) {
			hc_error_set("unknown key '%s' in [guards] (expected "
				     "accept-no-local-admin, "
				     "reason)",
				     key);
			error = fail_at(l, keys.v[i], HC_EINVALID);
		}
	}
	if (error == 0 && g->accept_no_local_admin &&
	    (g->reason == NULL || !*g->reason)) {
		hc_error_set(
		    "accept-no-local-admin = yes needs a reason (reason = "
		    "...): "
		    "why this host's administrators need no local account");
		error = fail_at(l, section, HC_EINVALID);
	}
out:
	hc_strlist_release(&keys);
	return error;
}

/*
 * The one [WANT] section among SECTIONS, into *OUT: a file without it,
 * or with two, is refused.
 */
static int find_header(const char **out, struct loader *l,
		       const struct hc_strlist *sections, const char *want)
{
	const char *header = NULL;

	for (size_t i = 0; i < sections->n; i++) {
		const char *label = label_of(l, sections->v[i]);

		if (label == NULL || strcmp(label, want) != 0)
			continue;
		if (header) {
			hc_error_set("[%s] appears twice", want);
			return fail_at(l, sections->v[i], HC_EINVALID);
		}
		header = sections->v[i];
	}
	if (header == NULL) {
		hc_error_set_at(
		    l->path, 0,
		    "a [%s] section with a name and a version is required",
		    want);
		return hc_error_set_code(HC_EINVALID);
	}
	*out = header;
	return 0;
}

static int load_sections(struct loader *l, const char *tree)
{
	const char *want = l->tailoring ? "tailoring" : "profile";
	struct hc_strlist sections = HC_STRLIST_INIT, seen = HC_STRLIST_INIT;
	const char *header = NULL;
	int error;

	if ((error = children(&sections, l, tree)) < 0 ||
	    (error = find_header(&header, l, &sections, want)) < 0 ||
	    (error = load_header(l, header)) < 0)
		goto out;
	for (size_t i = 0; i < sections.n && error == 0; i++) {
		const char *label = label_of(l, sections.v[i]);

		if (label == NULL || sections.v[i] == header)
			continue;
		if (strcmp(label, "profile") == 0 ||
		    strcmp(label, "tailoring") == 0) {
			hc_error_set("[%s] in a %s file", label, want);
			error = fail_at(l, sections.v[i], HC_EINVALID);
		} else if (strcmp(label, "guards") == 0) {
			error = load_guards(l, sections.v[i]);
		} else {
			error = load_rule(l, sections.v[i], label, &seen);
		}
	}
	/* This file's "severities" keeps what it and its bases selected. */
	if (error == 0 && l->severities)
		for (size_t i = 0; i < l->profile->nrules; i++)
			if (!(l->severities &
			      (1u << l->profile->rules[i].severity)))
				l->profile->rules[i].disabled = true;
out:
	hc_strlist_release(&seen);
	hc_strlist_release(&sections);
	return error;
}

static int add_source(size_t *index, struct hc_profile *p, const char *path,
		      const struct hc_sha256 *sha, const char *role,
		      bool secret)
{
	struct hc_profile_source *v;

	if ((v = reallocarray(p->sources, p->nsources + 1, sizeof(*v))) == NULL)
		return hc_error_oom();
	p->sources = v;
	if ((v[p->nsources].path = hc_strdup(path)) == NULL)
		return HC_ERROR;
	v[p->nsources].role = role;
	/* A digest of bytes holding a secret would confirm a guessed one. */
	if (secret)
		memset(&v[p->nsources].sha, 0, sizeof(v[p->nsources].sha));
	else
		v[p->nsources].sha = *sha;
	v[p->nsources].secret = secret;
	*index = p->nsources++;
	return 0;
}

static int check_cycle(const struct loader *parent, const char *real,
		       const char *path)
{
	struct hc_buf loop = HC_BUF_INIT;
	unsigned int depth = 0;
	bool cycle = false;

	for (const struct chain *c = parent ? parent->chain : NULL; c;
	     c = c->up, depth++)
		cycle = cycle || strcmp(c->real, real) == 0;
	if (!cycle && depth < MAX_DEPTH)
		return 0;
	if (!cycle) {
		hc_error_set("profiles extend each other more than %d deep",
			     MAX_DEPTH);
		return hc_error_set_code(HC_EINVALID);
	}
	/* Name the loop from the file met again back to it. */
	hc_buf_puts(&loop, path);
	for (const struct chain *c = parent->chain; c; c = c->up) {
		hc_buf_printf(&loop, " <- %s", c->path);
		if (strcmp(c->real, real) == 0)
			break;
	}
	hc_error_set("profiles extend each other in a cycle: %s",
		     hc_buf_cstr(&loop));
	hc_buf_release(&loop);
	return hc_error_set_code(HC_EINVALID);
}

/* Read PATH and apply it to the profile PARENT (or, at the top, L) loads. */
static int load_one(struct loader *l, char tree[32])
{
	struct hc_sha256 sha;
	int error;

	if ((error = hc_sha256(&sha, hc_buf_cstr(&l->text), l->text.size)) <
		0 ||
	    (error = hc_aug_parse(tree, l->haug, PROFILE_LENS, l->path,
				  hc_buf_cstr(&l->text), l->text.size)) < 0)
		return error;
	/*
	 * The source is recorded after the bases load_sections pulls in,
	 * so sources read from the root of the chain down.
	 */
	l->source = SIZE_MAX;
	l->sets_secret = false;
	error = load_sections(l, tree);
	if (error == 0) {
		size_t index;

		if ((error = add_source(&index, l->profile, l->path, &sha,
					l->tailoring   ? "tailoring"
					: l->chain->up ? "base"
						       : "profile",
					l->sets_secret)) == 0)
			for (size_t i = 0; i < l->profile->nrules; i++)
				if (l->profile->rules[i].source == SIZE_MAX)
					l->profile->rules[i].source = index;
	}
	return error;
}

static int load_file(struct loader *parent, const char *path, bool tailoring)
{
	struct loader l = *parent;
	struct chain link;
	struct hc_buf dir = HC_BUF_INIT;
	char tree[32] = "", *real = NULL, *slash;
	int error;

	memset(&l.text, 0, sizeof(l.text));
	memset(&l.dropped, 0, sizeof(l.dropped));
	l.path = path;
	l.tailoring = tailoring;
	l.severities = 0;
	l.extended = false;
	if ((error = hc_profile_read_trusted(&l.text, path)) < 0)
		goto out;
	if ((real = realpath(path, NULL)) == NULL) {
		hc_error_set_os(path, "cannot resolve");
		error = HC_ERROR;
		goto out;
	}
	if ((error = check_cycle(parent->path ? parent : NULL, real, path)) < 0)
		goto out;
	link.up = parent->path ? parent->chain : NULL;
	link.real = real;
	link.path = path;
	l.chain = &link;
	if ((error = hc_buf_puts(&dir, path)) < 0)
		goto out;
	slash = strrchr(dir.ptr, '/');
	if (slash == NULL)
		error = hc_buf_set(&dir, ".", 1);
	else if (slash == dir.ptr)
		slash[1] = '\0';
	else
		*slash = '\0';
	l.dir = dir.ptr;
	if (error == 0)
		error = load_one(&l, tree);
out:
	if (tree[0])
		hc_aug_drop(l.haug, tree);
	free(real);
	hc_buf_release(&dir);
	hc_buf_release(&l.text);
	hc_strlist_release(&l.dropped);
	return error;
}

/* Rules that fix one policy setting must agree on its value. */
static bool same_value(const char *a, const char *b)
{
	char *ea, *eb;
	long na = strtol(a, &ea, 10), nb = strtol(b, &eb, 10);

	if (*a && *b && *ea == '\0' && *eb == '\0')
		return na == nb;
	return strcmp(a, b) == 0;
}

static int check_settings(const struct hc_profile *p)
{
	for (size_t i = 0; i < p->nrules; i++) {
		const struct hc_profile_rule *a = &p->rules[i];

		for (const struct hc_setting *sa = a->rule->sets;
		     sa && sa->name; sa++) {
			const char *va =
			    a->values[hc_rule_param_index(a->rule, sa->param)];

			for (size_t j = i + 1; j < p->nrules; j++) {
				const struct hc_profile_rule *b = &p->rules[j];

				for (const struct hc_setting *sb =
					 b->rule->sets;
				     sb && sb->name; sb++) {
					const char *vb =
					    b->values[hc_rule_param_index(
						b->rule, sb->param)];

					if (strcmp(sa->name, sb->name) != 0 ||
					    same_value(va, vb))
						continue;
					hc_error_set_at(
					    p->sources[b->source].path, b->line,
					    "%s sets %s to %s (%s = %s) but %s "
					    "sets it to %s "
					    "(%s = %s, %s:%u): give both the "
					    "same value",
					    b->rule->id, sb->name, vb,
					    sb->param, vb, a->rule->id, va,
					    sa->param, va,
					    p->sources[a->source].path,
					    a->line);
					return hc_error_set_code(HC_EINVALID);
				}
			}
		}
	}
	return 0;
}

/* Position of RULE in the module table, to run rules in table order. */
static size_t table_index(const struct hc_rule *rule)
{
	size_t n = 0;

	for (size_t m = 0; hc_modules[m]; m++)
		for (const struct hc_rule *r = hc_modules[m]->rules; r->id;
		     r++, n++)
			if (r == rule)
				return n;
	return n;
}

static int cmp_rule(const void *a, const void *b)
{
	size_t ia = table_index(((const struct hc_profile_rule *)a)->rule);
	size_t ib = table_index(((const struct hc_profile_rule *)b)->rule);

	return (ia > ib) - (ia < ib);
}

static void rule_release(struct hc_profile_rule *pr)
{
	for (size_t j = 0;
	     pr->values && pr->rule->params && pr->rule->params[j].name; j++)
		free(pr->values[j]);
	free(pr->values);
	waiver_release(&pr->waiver);
}

/* Drop what "enabled = no" or "severities" took out, keeping the order. */
static void drop_disabled(struct hc_profile *p)
{
	size_t kept = 0;

	for (size_t i = 0; i < p->nrules; i++) {
		if (p->rules[i].disabled)
			rule_release(&p->rules[i]);
		else
			p->rules[kept++] = p->rules[i];
	}
	p->nrules = kept;
}

static int finish(struct hc_profile *p, const char *shipped)
{
	struct hc_buf canonical = HC_BUF_INIT;
	int error = 0;

	drop_disabled(p);
	for (size_t i = 0; i < p->nrules && error == 0; i++)
		error = apply_defaults(&p->rules[i], shipped);
	if (error < 0)
		return error;
	if (p->nrules > 1)
		qsort(p->rules, p->nrules, sizeof(*p->rules), cmp_rule);
	if ((error = check_settings(p)) < 0 ||
	    (error = hc_profile_canonical(&canonical, p)) < 0)
		goto out;
	error = hc_sha256(&p->sha, hc_buf_cstr(&canonical), canonical.size);
out:
	hc_buf_release(&canonical);
	return error;
}

int hc_profile_load(struct hc_profile **out, struct hc_aug *aug,
		    const char *spec, const char *tailoring, const char *dir)
{
	struct loader top = {0};
	struct hc_buf path = HC_BUF_INIT;
	int error;

	*out = NULL;
	top.haug = aug;
	top.aug = hc_aug_handle(aug);
	top.shipped = dir;
	if ((top.profile = calloc(1, sizeof(*top.profile))) == NULL)
		return hc_error_oom();
	if (strchr(spec, '/'))
		error = hc_buf_puts(&path, spec);
	else
		error = hc_buf_printf(&path, "%s/%s.conf", dir, spec);
	if (error < 0)
		goto out;
	if ((top.profile->path = hc_buf_detach(&path)) == NULL) {
		error = HC_ERROR;
		goto out;
	}
	if ((error = load_file(&top, top.profile->path, false)) < 0) {
		if (error == HC_ENOTFOUND && !strchr(spec, '/') &&
		    strcmp(hc_error_last()->file, top.profile->path) == 0) {
			hc_error_set("no profile '%s' in %s", spec, dir);
			hc_error_set_code(HC_ENOTFOUND);
		}
		goto out;
	}
	if (tailoring && (error = load_file(&top, tailoring, true)) < 0)
		goto out;
	if ((error = finish(top.profile, dir)) < 0)
		goto out;
	*out = top.profile;
	top.profile = NULL;
out:
	hc_profile_free(top.profile);
	hc_buf_release(&path);
	return error;
}

void hc_profile_free(struct hc_profile *profile)
{
	if (profile == NULL)
		return;
	for (size_t i = 0; i < profile->nrules; i++)
		rule_release(&profile->rules[i]);
	for (size_t i = 0; i < profile->nsources; i++)
		free(profile->sources[i].path);
	free(profile->sources);
	free(profile->rules);
	free(profile->name);
	free(profile->version);
	free(profile->description);
	free(profile->tailoring);
	free(profile->path);
	free(profile->guards.reason);
	free(profile);
}

/* VALUE with backslash, control and non-ASCII bytes escaped, on one line. */
static int put_escaped(struct hc_buf *out, const char *value)
{
	int error = 0;

	for (const unsigned char *c = (const unsigned char *)value;
	     *c && error == 0; c++) {
		if (*c == '\\')
			error = hc_buf_puts(out, "\\\\");
		else if (*c == '\n')
			error = hc_buf_puts(out, "\\n");
		else if (*c < 0x20 || *c >= 0x7f)
			error = hc_buf_printf(out, "\\x%02x", *c);
		else
			error = hc_buf_put(out, (const char *)c, 1);
	}
	return error ? error : hc_buf_puts(out, "\n");
}

static int canonical_rule(struct hc_buf *out, const struct hc_profile_rule *pr)
{
	const struct hc_param *params = pr->rule->params;
	int error = hc_buf_printf(out, "rule %s\nseverity %s\n", pr->rule->id,
				  hc_severity_name(pr->severity));

	for (size_t i = 0; params && params[i].name && error == 0; i++) {
		/* A secret is named, never hashed: a word list could confirm
		 * it. */
		if (params[i].type == HC_PARAM_SECRET && pr->values[i][0])
			error =
			    hc_buf_printf(out, "secret %s\n", params[i].name);
		else if ((error = hc_buf_printf(out, "param %s ",
						params[i].name)) == 0)
			error = put_escaped(out, pr->values[i]);
	}
	if (error == 0 && pr->waiver.reason) {
		if ((error = hc_buf_puts(out, "waiver ")) == 0)
			error = put_escaped(out, pr->waiver.reason);
		if (error == 0 &&
		    (error = hc_buf_puts(out, "waiver-approver ")) == 0)
			error = put_escaped(out, pr->waiver.approver);
		if (error == 0)
			error = hc_buf_printf(out, "waiver-expires %s\n",
					      pr->waiver.expires);
	}
	return error;
}

int hc_profile_canonical(struct hc_buf *out, const struct hc_profile *profile)
{
	int error = hc_buf_puts(out, "hardctl-profile 1\nname ");

	if (error == 0)
		error = put_escaped(out, profile->name);
	if (error == 0 && (error = hc_buf_puts(out, "version ")) == 0)
		error = put_escaped(out, profile->version);
	if (error == 0 && profile->tailoring &&
	    (error = hc_buf_puts(out, "tailoring ")) == 0)
		error = put_escaped(out, profile->tailoring);
	for (size_t i = 0; i < profile->nrules && error == 0; i++)
		error = canonical_rule(out, &profile->rules[i]);
	if (error == 0 && profile->guards.accept_no_local_admin &&
	    (error = hc_buf_puts(out, "guard accept-no-local-admin ")) == 0)
		error = put_escaped(out, profile->guards.reason);
	return error;
}

int hc_profile_label(struct hc_buf *out, const struct hc_profile *profile)
{
	int error =
	    hc_buf_printf(out, "%s %s", profile->name, profile->version);

	if (error == 0 && profile->tailoring)
		error =
		    hc_buf_printf(out, " tailored by %s", profile->tailoring);
	return error;
}

void hc_profile_keep_severities(struct hc_profile *profile, unsigned int mask)
{
	for (size_t i = 0; i < profile->nrules; i++)
		profile->rules[i].disabled =
		    !(mask & (1u << profile->rules[i].severity));
	drop_disabled(profile);
}

bool hc_waiver_active(const struct hc_waiver *waiver, const char *today)
{
	/* YYYY-MM-DD compares as text. */
	return waiver->reason && strcmp(today, waiver->expires) <= 0;
}

const struct hc_profile_rule *hc_profile_find(const struct hc_profile *profile,
					      const char *id)
{
	for (size_t i = 0; i < profile->nrules; i++)
		if (strcmp(profile->rules[i].rule->id, id) == 0)
			return &profile->rules[i];
	return NULL;
}
