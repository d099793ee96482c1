/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Profiles (see hardctl/profile.h), parsed with the Hardctl_Profile
 * lens so that a syntax error is reported with its line like any other
 * file's.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>
#include "hardctl/aug.h"
#include "hardctl/profile.h"

#define PROFILE_LENS "Hardctl_Profile.lns"

int hc_profile_read_trusted(struct hc_buf *out, const char *path)
{
	struct stat st;
	int fd, error = 0;

	hc_buf_clear(out);
	if ((fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY)) < 0) {
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
		hc_error_set_at(path, 0,
				"owned by uid %u, neither root nor you: refused",
				(unsigned int)st.st_uid);
		error = hc_error_set_code(HC_EUNSAFE);
		goto out;
	}
	if (st.st_mode & (S_IWGRP | S_IWOTH)) {
		hc_error_set_at(path, 0,
				"writable by group or others: refused (chmod go-w)");
		error = hc_error_set_code(HC_EUNSAFE);
		goto out;
	}
	error = hc_buf_read_fd(out, fd, 1u << 20, path);
out:
	close(fd);
	return error;
}

/* State while loading one profile file. */
struct loader {
	struct hc_profile *profile;
	augeas *aug;
	struct hc_aug *haug;
	struct hc_buf text;
	const char *dir;        /* the profile's directory */
	const char *shipped;    /* where defaults of TEXTFILE parameters live */
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
	if (file[0] && strcmp(file, l->profile->path) != 0)
		hc_error_set_at(l->profile->path, line_of(l, node), "%s: %s",
				file, message);
	else
		hc_error_set_at(l->profile->path, line_of(l, node), "%s", message);
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

static int load_header(struct loader *l, const char *section)
{
	struct hc_strlist keys = HC_STRLIST_INIT;
	struct hc_profile *p = l->profile;
	int error;

	if ((error = children(&keys, l, section)) < 0)
		goto out;
	for (size_t i = 0; i < keys.n && error == 0; i++) {
		const char *key = label_of(l, keys.v[i]);

		if (key && strcmp(key, "name") == 0)
			error = set_string(&p->name, l, keys.v[i]);
		else if (key && strcmp(key, "version") == 0)
			error = set_string(&p->version, l, keys.v[i]);
		else if (key && strcmp(key, "description") == 0)
			error = set_string(&p->description, l, keys.v[i]);
		else {
			hc_error_set("unknown key '%s' in [profile] (expected name, version, description)",
				     key ? key : "");
			error = fail_at(l, keys.v[i], HC_EINVALID);
		}
	}
out:
	hc_strlist_release(&keys);
	return error;
}

/* Read the text file NAME names, relative to DIR. */
static int read_textfile(char **out, const char *dir, const char *name)
{
	struct hc_buf path = HC_BUF_INIT, text = HC_BUF_INIT;
	int error;

	if (name[0] == '/')
		error = hc_buf_puts(&path, name);
	else
		error = hc_buf_printf(&path, "%s/%s", dir, name);
	if (error < 0 || (error = hc_profile_read_trusted(&text, path.ptr)) < 0)
		goto out;
	if (memchr(text.ptr ? text.ptr : "", '\0', text.size) || text.size == 0) {
		hc_error_set("%s is empty or not text", path.ptr);
		error = hc_error_set_code(HC_EINVALID);
		goto out;
	}
	if ((*out = hc_buf_detach(&text)) == NULL)
		error = HC_ERROR;
out:
	hc_buf_release(&path);
	hc_buf_release(&text);
	return error;
}

static int check_bool(const char *value)
{
	static const char *const ok[] = { "yes", "no", "true", "false" };

	for (size_t i = 0; i < HC_ARRAY_SIZE(ok); i++)
		if (strcasecmp(value, ok[i]) == 0)
			return 0;
	hc_error_set("'%s' is not a boolean (yes or no)", value);
	return hc_error_set_code(HC_EINVALID);
}

static int set_value(struct loader *l, struct hc_profile_rule *pr, int i,
		     const char *node)
{
	const struct hc_param *param = &pr->rule->params[i];
	const char *value = value_of(l, node);
	char *copy = NULL;
	int error;

	if (value == NULL || value[0] == '\0') {
		hc_error_set("parameter '%s' of %s needs a value", param->name,
			     pr->rule->id);
		return fail_at(l, node, HC_EINVALID);
	}
	switch (param->type) {
	case HC_PARAM_TEXTFILE:
		if ((error = read_textfile(&copy, l->dir, value)) < 0)
			return fail_at(l, node, error);
		break;
	case HC_PARAM_BOOL:
		if ((error = check_bool(value)) < 0)
			return fail_at(l, node, error);
		/* fall through */
	case HC_PARAM_STRING:
		if ((copy = hc_strdup(value)) == NULL)
			return HC_ERROR;
		break;
	}
	free(pr->values[i]);
	pr->values[i] = copy;
	return 0;
}

static int apply_defaults(struct loader *l, struct hc_profile_rule *pr)
{
	const struct hc_param *params = pr->rule->params;

	for (int i = 0; params && params[i].name; i++) {
		int error = 0;

		if (pr->values[i])
			continue;
		if (params[i].type == HC_PARAM_TEXTFILE)
			error = read_textfile(&pr->values[i], l->shipped,
					      params[i].def);
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

static int add_rule(struct hc_profile_rule **out, struct loader *l,
		    const struct hc_rule *rule, const struct hc_module *module)
{
	struct hc_profile *p = l->profile;
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

static int load_rule(struct loader *l, const char *section, const char *id)
{
	struct hc_strlist keys = HC_STRLIST_INIT;
	const struct hc_module *module = NULL;
	const struct hc_rule *rule = hc_rule_find(&module, id);
	struct hc_profile_rule *pr = NULL;
	int error;

	if (rule == NULL) {
		hc_error_set("unknown rule '%s' (hardctl list shows the rules)", id);
		return fail_at(l, section, HC_EINVALID);
	}
	if (hc_profile_find(l->profile, id)) {
		hc_error_set("rule '%s' is listed twice", id);
		return fail_at(l, section, HC_EINVALID);
	}
	if ((error = add_rule(&pr, l, rule, module)) < 0 ||
	    (error = children(&keys, l, section)) < 0)
		goto out;
	pr->line = line_of(l, section);
	for (size_t i = 0; i < keys.n && error == 0; i++) {
		const char *key = label_of(l, keys.v[i]);
		int index = key ? hc_rule_param_index(rule, key) : -1;

		if (key && strcmp(key, "severity") == 0) {
			const char *value = value_of(l, keys.v[i]);

			if ((error = hc_severity_parse(&pr->severity,
						       value ? value : "")) < 0)
				error = fail_at(l, keys.v[i], error);
		} else if (index >= 0) {
			error = set_value(l, pr, index, keys.v[i]);
		} else {
			hc_error_set("rule '%s' has no parameter '%s'", id,
				     key ? key : "");
			error = fail_at(l, keys.v[i], HC_EINVALID);
		}
	}
	if (error == 0)
		error = apply_defaults(l, pr);
out:
	hc_strlist_release(&keys);
	return error;
}

/* Position of RULE in the module table, to run rules in table order. */
static size_t table_index(const struct hc_rule *rule)
{
	size_t n = 0;

	for (size_t m = 0; hc_modules[m]; m++)
		for (const struct hc_rule *r = hc_modules[m]->rules; r->id; r++, n++)
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

static int load_sections(struct loader *l, const char *tree)
{
	struct hc_strlist sections = HC_STRLIST_INIT;
	bool header = false;
	int error;

	if ((error = children(&sections, l, tree)) < 0)
		goto out;
	for (size_t i = 0; i < sections.n && error == 0; i++) {
		const char *label = label_of(l, sections.v[i]);

		if (label == NULL)
			continue;
		if (strcmp(label, "profile") == 0) {
			if (header) {
				hc_error_set("[profile] appears twice");
				error = fail_at(l, sections.v[i], HC_EINVALID);
				break;
			}
			header = true;
			error = load_header(l, sections.v[i]);
		} else {
			error = load_rule(l, sections.v[i], label);
		}
	}
	if (error == 0 && (!l->profile->name || !l->profile->version)) {
		hc_error_set_at(l->profile->path, 0,
				"a [profile] section with a name and a version is required");
		error = hc_error_set_code(HC_EINVALID);
	}
out:
	hc_strlist_release(&sections);
	return error;
}

int hc_profile_load(struct hc_profile **out, struct hc_aug *aug,
		    const char *spec, const char *dir)
{
	struct loader l = { 0 };
	struct hc_buf path = HC_BUF_INIT;
	char tree[32] = "", *slash;
	int error;

	*out = NULL;
	l.haug = aug;
	l.aug = hc_aug_handle(aug);
	l.shipped = dir;
	if ((l.profile = calloc(1, sizeof(*l.profile))) == NULL)
		return hc_error_oom();
	if (strchr(spec, '/'))
		error = hc_buf_puts(&path, spec);
	else
		error = hc_buf_printf(&path, "%s/%s.conf", dir, spec);
	if (error < 0)
		goto out;
	if ((l.profile->path = hc_buf_detach(&path)) == NULL) {
		error = HC_ERROR;
		goto out;
	}
	if ((error = hc_profile_read_trusted(&l.text, l.profile->path)) < 0) {
		if (error == HC_ENOTFOUND && !strchr(spec, '/')) {
			hc_error_set("no profile '%s' in %s", spec, dir);
			hc_error_set_code(HC_ENOTFOUND);
		}
		goto out;
	}
	if ((error = hc_sha256(&l.profile->sha, hc_buf_cstr(&l.text),
			       l.text.size)) < 0 ||
	    (error = hc_aug_parse(tree, aug, PROFILE_LENS, l.profile->path,
				  hc_buf_cstr(&l.text), l.text.size)) < 0)
		goto out;
	if ((error = hc_buf_puts(&path, l.profile->path)) < 0)
		goto out;
	slash = strrchr(path.ptr, '/');
	if (slash == path.ptr)
		slash[1] = '\0';
	else
		*slash = '\0';
	l.dir = path.ptr;
	if ((error = load_sections(&l, tree)) < 0)
		goto out;
	if (l.profile->nrules > 1)
		qsort(l.profile->rules, l.profile->nrules, sizeof(*l.profile->rules),
		      cmp_rule);
	*out = l.profile;
	l.profile = NULL;
out:
	if (tree[0])
		hc_aug_drop(aug, tree);
	hc_profile_free(l.profile);
	hc_buf_release(&l.text);
	hc_buf_release(&path);
	return error;
}

void hc_profile_free(struct hc_profile *profile)
{
	if (profile == NULL)
		return;
	for (size_t i = 0; i < profile->nrules; i++) {
		const struct hc_profile_rule *pr = &profile->rules[i];

		for (size_t j = 0; pr->values && pr->rule->params &&
				   pr->rule->params[j].name; j++)
			free(pr->values[j]);
		free(pr->values);
	}
	free(profile->rules);
	free(profile->name);
	free(profile->version);
	free(profile->description);
	free(profile->path);
	free(profile);
}

const struct hc_profile_rule *hc_profile_find(const struct hc_profile *profile,
					      const char *id)
{
	for (size_t i = 0; i < profile->nrules; i++)
		if (strcmp(profile->rules[i].rule->id, id) == 0)
			return &profile->rules[i];
	return NULL;
}
