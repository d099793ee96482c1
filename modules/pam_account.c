/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The account stage of a PAM stack, judged from its files (see
 * pam_account.h).  Lines are flattened through include and @include
 * as libpam splices them; a substack is spliced the same way, so a
 * "done" or "die" inside one ends more than it would.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include "hardctl/aug.h"
#include "hardctl/ctx.h"
#include "hardctl/file.h"
#include "pam.h"
#include "pam_account.h"

#define PAM_DIR "/etc/pam.d/"
#define MAX_SUBSTACKS 16 /* libpam fails a substack this deep */
#define MAX_WALK 1024    /* stacks deep: deeper is not followed */
#define MAX_READS 4096   /* stacks read for one stage: more are not */
#define ACCESS_CONF "/etc/security/access.conf"

static const char *const rc_names[PAMRC_COUNT] = {
    [PAMRC_SUCCESS] = "success",
    [PAMRC_NEW_AUTHTOK_REQD] = "new_authtok_reqd",
    [PAMRC_ACCT_EXPIRED] = "acct_expired",
    [PAMRC_AUTHTOK_EXPIRED] = "authtok_expired",
    [PAMRC_PERM_DENIED] = "perm_denied",
    [PAMRC_AUTH_ERR] = "auth_err",
    [PAMRC_USER_UNKNOWN] = "user_unknown",
    [PAMRC_IGNORE] = "ignore",
    [PAMRC_MODULE_UNKNOWN] = "module_unknown",
};

const char *pam_rc_name(enum pam_rc rc)
{
	return rc < PAMRC_COUNT ? rc_names[rc] : "?";
}

enum pam_rc pam_unix_aging(const struct pam_aging *a, long today)
{
	long age = today - a->lstchg;

	if (a->expire != -1 && today >= a->expire)
		return PAMRC_ACCT_EXPIRED;
	if (a->lstchg == 0)
		return PAMRC_NEW_AUTHTOK_REQD;
	if (today < a->lstchg)
		return PAMRC_SUCCESS; /* changed "in the future": pam_unix lets
					 it be */
	if (a->max != -1 && a->inact != -1 && age > a->max && age > a->inact &&
	    age > a->max + a->inact)
		return PAMRC_AUTHTOK_EXPIRED;
	if (a->max != -1 && age > a->max)
		return PAMRC_NEW_AUTHTOK_REQD;
	return PAMRC_SUCCESS;
}

/* One line of the flattened account stage. */
struct line {
	char *file;
	unsigned int lineno;
	char *control;
	char *module;
	struct hc_strlist args;
	unsigned int level; /* how deep in substacks */
	size_t sub_end;     /* in a substack: the index after its last line */
	bool missing;       /* an include of a stack that is not there */
};

struct stage {
	struct line *v;
	size_t n, alloc;
	struct hc_strlist open; /* the stacks being read, outermost first */
	char *broken;           /* why libpam would fail the whole stack */
	unsigned int level;     /* substacks open while reading */
	size_t reads;           /* stacks read, each include counted */
};

struct pam_stage {
	struct stage lines;
	char *path; /* the service's stack */
};

static void stage_release(struct stage *s)
{
	for (size_t i = 0; i < s->n; i++) {
		free(s->v[i].file);
		free(s->v[i].control);
		free(s->v[i].module);
		hc_strlist_release(&s->v[i].args);
	}
	free(s->v);
	free(s->broken);
	hc_strlist_release(&s->open);
	memset(s, 0, sizeof(*s));
}

/* Mark the stack failed, as libpam fails it, for PATH and WHY: the first cause
 * is kept. */
static int broken(struct stage *s, const char *path, const char *why)
{
	struct hc_buf text = HC_BUF_INIT;
	int error;

	if (s->broken)
		return 0;
	if ((error = hc_buf_printf(&text, "%s%s", path, why)) == 0 &&
	    (s->broken = hc_buf_detach(&text)) == NULL)
		error = HC_ERROR;
	hc_buf_release(&text);
	return error;
}

/*
 * One line of a stack as read, before what it includes is read: an
 * @include (module is the name, type NULL) or a record.  Copied out of
 * the tree, which reading an include may reload.
 */
struct item {
	char *type, *control, *module;
	unsigned int lineno;
	struct hc_strlist args;
};

static void items_release(struct item *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].type);
		free(v[i].control);
		free(v[i].module);
		hc_strlist_release(&v[i].args);
	}
	free(v);
}

/* A copy of S, "" for NULL (a field with no value, as libpam sees it). */
static int copy(char **out, const char *s)
{
	return (*out = hc_strdup(s ? s : "")) == NULL ? HC_ERROR : 0;
}

/*
 * Row R of TABLE (a PAM record's type, control, module, arguments) into
 * IT.  The arguments come in the rows' order: *arg is the first not yet
 * taken.
 */
static int item_record(struct item *it, const struct hc_file_table *t, size_t r,
		       const unsigned int *lines, size_t *arg)
{
	const char *const *f = &t->value[r * 3];
	int error;

	it->lineno = lines[r];
	if ((error = copy(&it->type, f[0])) < 0 ||
	    (error = copy(&it->control, f[1])) < 0 ||
	    (error = copy(&it->module, f[2])) < 0)
		return error;
	for (; *arg < t->nlist && t->list_row[*arg] <= r && error == 0;
	     (*arg)++)
		if (t->list_row[*arg] == r && t->list[*arg])
			error = hc_strlist_push(&it->args, t->list[*arg]);
	return error;
}

/*
 * FILE's includes and records, in file order, into *out (*n of them): the
 * records read as a table, in one walk whatever the stack's length,
 * where a lookup by path per field costs a walk of the siblings.
 */
static int read_items(struct item **out, size_t *n, struct hc_file *file)
{
	static const char *const fields[] = {"type", "control", "module"};
	struct hc_aug_children kids = {0};
	struct hc_file_table t = {0};
	unsigned int *lines = NULL;
	struct item *v = NULL;
	size_t r = 0, k = 0, arg = 0;
	int records, error;

	*out = NULL;
	*n = 0;
	if (hc_file_children(&kids, file) < 0 ||
	    hc_file_table(&t, file, fields, 3, "argument") < 0 ||
	    (records = hc_file_count(file, "*[type]")) < 0) {
		error = HC_ERROR;
		goto out;
	}
	/* Every line the lens reads holds each field once: any other is a
	 * tree this reader does not know. */
	if ((size_t)records != t.n) {
		hc_error_set("%s: a PAM line does not hold its type, control "
			     "and module once each",
			     file->display);
		error = HC_ERROR;
		goto out;
	}
	if ((v = calloc(kids.n + 1, sizeof(*v))) == NULL ||
	    (lines = calloc(t.n + 1, sizeof(*lines))) == NULL) {
		error = hc_error_oom();
		goto out;
	}
	if ((error = hc_file_table_lines(lines, file, &t)) < 0)
		goto out;
	/* A row is known among the nodes by its label, the tree's own
	 * string. */
	for (size_t i = 0; i < kids.n && error == 0; i++) {
		struct item *it = &v[k];

		if (r < t.n && kids.label[i] == t.label[r]) {
			k++;
			error = item_record(it, &t, r++, lines, &arg);
		} else if (kids.label[i] &&
			   strcmp(kids.label[i], "include") == 0 &&
			   kids.value[i]) {
			k++;
			error = copy(&it->module, kids.value[i]);
		}
	}
out:
	if (error < 0) {
		items_release(v, k);
	} else {
		*out = v;
		*n = k;
	}
	free(lines);
	hc_file_table_release(&t);
	hc_aug_children_release(&kids);
	return error;
}

static int push_line(struct stage *s, struct hc_file *file, struct item *it)
{
	struct line *l;

	if (s->n == s->alloc) {
		size_t alloc = s->alloc ? s->alloc * 2 : 16;
		struct line *v = reallocarray(s->v, alloc, sizeof(*v));

		if (v == NULL)
			return hc_error_oom();
		s->v = v;
		s->alloc = alloc;
	}
	l = &s->v[s->n];
	memset(l, 0, sizeof(*l));
	s->n++;
	l->lineno = it->lineno;
	l->level = s->level;
	/* The line takes the item's strings. */
	l->control = it->control;
	l->module = it->module;
	l->args = it->args;
	it->control = it->module = NULL;
	memset(&it->args, 0, sizeof(it->args));
	return (l->file = hc_strdup(file->path)) == NULL ? HC_ERROR : 0;
}

static int flatten(struct stage *s, struct hc_ctx *ctx, const char *name,
		   unsigned int depth, struct hc_strlist *notes);

/*
 * IT, a line of FILE, includes a stack: read it, or, where it is not
 * there, take the line as libpam does, one that fails whatever comes
 * (its control "bad" for every answer: as required), not the whole
 * stack.
 */
static int flatten_include(struct stage *s, struct hc_ctx *ctx,
			   struct hc_file *file, struct item *it,
			   unsigned int depth, struct hc_strlist *notes)
{
	struct hc_buf path = HC_BUF_INIT;
	struct hc_file *included = NULL;
	char *control;
	int error;

	if ((error = hc_buf_printf(&path, "%s%s",
				   it->module[0] == '/' ? "" : PAM_DIR,
				   it->module)) == 0)
		error = hc_ctx_file(&included, ctx, path.ptr, PAM_LENS,
				    HC_FILE_OPTIONAL);
	hc_buf_release(&path);
	if (error < 0)
		return error;
	if (included)
		return flatten(s, ctx, it->module, depth + 1, notes);
	if ((control = hc_strdup("required")) == NULL)
		return HC_ERROR;
	free(it->control);
	it->control = control;
	if ((error = push_line(s, file, it)) == 0)
		s->v[s->n - 1].missing = true;
	return error;
}

static int flatten_item(struct stage *s, struct hc_ctx *ctx,
			struct hc_file *file, struct item *it,
			unsigned int depth, struct hc_strlist *notes)
{
	int error;

	if (it->type == NULL)
		return flatten(s, ctx, it->module, depth + 1, notes);
	/* libpam reads the type and these two controls without case. */
	if (strcasecmp(it->type, "account") != 0)
		return 0;
	if (strcasecmp(it->control, "include") == 0)
		return flatten_include(s, ctx, file, it, depth, notes);
	if (strcasecmp(it->control, "substack") == 0) {
		/* Its done and die end it alone, and a jump over it counts it
		 * as one line. */
		size_t start = s->n;

		s->level++;
		error = flatten(s, ctx, it->module, depth + 1, notes);
		s->level--;
		for (size_t i = start; i < s->n; i++)
			if (s->v[i].level == s->level + 1)
				s->v[i].sub_end = s->n;
		return error;
	}
	return push_line(s, file, it);
}

/* Append the account lines of stack NAME (a path, or a name in /etc/pam.d). */
static int flatten(struct stage *s, struct hc_ctx *ctx, const char *name,
		   unsigned int depth, struct hc_strlist *notes)
{
	struct hc_buf path = HC_BUF_INIT;
	struct item *items = NULL;
	struct hc_file *file;
	size_t n = 0;
	int error;

	if (s->broken)
		return 0;
	if ((error = hc_buf_printf(&path, "%s%s", name[0] == '/' ? "" : PAM_DIR,
				   name)) < 0)
		goto out;
	/* A stack that includes itself: libpam recurses until it crashes. */
	for (size_t i = 0; i < s->open.n; i++)
		if (strcmp(s->open.v[i], path.ptr) == 0) {
			error = broken(s, path.ptr, " includes itself");
			goto out;
		}
	/* libpam follows includes as deep as they go, substacks 15 deep. */
	if (s->level >= MAX_SUBSTACKS) {
		error = broken(s, path.ptr, ": substacks nested too deep");
		goto out;
	}
	if (depth > MAX_WALK) {
		error = broken(s, path.ptr,
			       ": includes nested deeper than hardctl follows");
		goto out;
	}
	/*
	 * Stacks that each include the next twice double the lines at
	 * each step: libpam would read them for ever, hardctl stops.
	 */
	if (++s->reads > MAX_READS) {
		error = broken(s, path.ptr,
			       ": its includes read more stacks than hardctl "
			       "follows");
		goto out;
	}
	if ((error = hc_ctx_file(&file, ctx, path.ptr, PAM_LENS,
				 HC_FILE_OPTIONAL)) < 0)
		goto out;
	if (file == NULL) {
		/* libpam fails a stack whose include is missing. */
		error = broken(s, path.ptr, ", included, is missing");
		goto out;
	}
	if ((error = read_items(&items, &n, file)) < 0 ||
	    (error = hc_strlist_push(&s->open, path.ptr)) < 0)
		goto out;
	for (size_t i = 0; i < n && error == 0; i++)
		error = flatten_item(s, ctx, file, &items[i], depth, notes);
	free(s->open.v[--s->open.n]);
out:
	items_release(items, n);
	hc_buf_release(&path);
	return error;
}

/* Controls ------------------------------------------------------------------
 */

enum {
	ACT_IGNORE = 0,
	ACT_OK = -1,
	ACT_DONE = -2,
	ACT_BAD = -3,
	ACT_DIE = -4,
	ACT_RESET = -5,
	/* > 0: jump over that many lines */
};

struct control {
	int action[PAMRC_COUNT];
};

static void set_default(struct control *c, const bool *set, int action)
{
	for (int i = 0; i < PAMRC_COUNT; i++)
		if (!set[i])
			c->action[i] = action;
}

static int parse_action(int *out, const char *word)
{
	static const struct {
		const char *name;
		int action;
	} names[] = {{"ignore", ACT_IGNORE}, {"ok", ACT_OK},
		     {"done", ACT_DONE},     {"bad", ACT_BAD},
		     {"die", ACT_DIE},       {"reset", ACT_RESET}};
	char *end;
	long n;

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (strcasecmp(word, names[i].name) == 0) {
			*out = names[i].action;
			return 0;
		}
	}
	n = strtol(word, &end, 10);
	if (end == word || *end || n <= 0 || n > 1000)
		return -1;
	*out = (int)n;
	return 0;
}

/* "[success=1 default=ignore]": the value=action pairs. */
static int parse_brackets(struct control *c, const char *text)
{
	bool set[PAMRC_COUNT] = {false};
	int def = ACT_BAD, error = 0;
	char *copy = hc_strdup(text + 1), *word, *save = NULL;

	if (copy == NULL)
		return HC_ERROR;
	copy[strcspn(copy, "]")] = '\0';
	for (word = strtok_r(copy, " \t", &save); word && error == 0;
	     word = strtok_r(NULL, " \t", &save)) {
		char *eq = strchr(word, '=');
		int action;

		if (eq == NULL || parse_action(&action, eq + 1) < 0) {
			error = -1;
			break;
		}
		*eq = '\0';
		if (strcasecmp(word, "default") == 0) {
			def = action;
			continue;
		}
		for (int i = 0; i < PAMRC_COUNT; i++) {
			if (strcasecmp(word, rc_names[i]) == 0) {
				c->action[i] = action;
				set[i] = true;
			}
		}
	}
	free(copy);
	set_default(c, set, def);
	return error;
}

/* libpam's meaning of the simple keywords (pam_handlers.c). */
static int parse_control(struct control *c, const char *text)
{
	bool set[PAMRC_COUNT] = {false};

	set[PAMRC_SUCCESS] = set[PAMRC_NEW_AUTHTOK_REQD] = true;
	if (text[0] == '[')
		return parse_brackets(c, text);
	if (strcasecmp(text, "required") == 0 ||
	    strcasecmp(text, "requisite") == 0) {
		bool requisite = strcasecmp(text, "requisite") == 0;

		c->action[PAMRC_SUCCESS] = c->action[PAMRC_NEW_AUTHTOK_REQD] =
		    ACT_OK;
		c->action[PAMRC_IGNORE] = ACT_IGNORE;
		set[PAMRC_IGNORE] = true;
		set_default(c, set, requisite ? ACT_DIE : ACT_BAD);
	} else if (strcasecmp(text, "optional") == 0) {
		c->action[PAMRC_SUCCESS] = c->action[PAMRC_NEW_AUTHTOK_REQD] =
		    ACT_OK;
		set_default(c, set, ACT_IGNORE);
	} else if (strcasecmp(text, "sufficient") == 0) {
		c->action[PAMRC_SUCCESS] = c->action[PAMRC_NEW_AUTHTOK_REQD] =
		    ACT_DONE;
		set_default(c, set, ACT_IGNORE);
	} else {
		return -1;
	}
	return 0;
}

/* Modules -------------------------------------------------------------------
 */

static const char *arg_value(const struct line *l, const char *name)
{
	size_t len = strlen(name);

	for (size_t i = 0; i < l->args.n; i++)
		if (strncmp(l->args.v[i], name, len) == 0 &&
		    l->args.v[i][len] == '=')
			return l->args.v[i] + len + 1;
	return NULL;
}

static bool has_arg(const struct line *l, const char *name)
{
	return hc_strlist_has(&l->args, name);
}

/* Whether entry E's children named KIND under PREFIX ("" or "except/") match
 * the user. */
static int users_match(bool *out, struct hc_file *file, const char *e,
		       const char *prefix, const struct pam_user *u,
		       bool nodefgroup)
{
	static const char *const kinds[] = {"user", "group", NULL};
	struct hc_strlist nodes = HC_STRLIST_INIT;
	struct hc_buf pattern = HC_BUF_INIT;
	int error = 0;

	*out = false;
	for (const char *const *k = kinds; *k && !*out && error == 0; k++) {
		hc_strlist_release(&nodes);
		hc_buf_clear(&pattern);
		if ((error = hc_buf_printf(&pattern, "%s/%s%s", e, prefix,
					   *k)) < 0 ||
		    (error = hc_file_match(&nodes, file, pattern.ptr)) < 0)
			break;
		for (size_t i = 0; i < nodes.n && !*out && error == 0; i++) {
			const char *v;

			if ((error = hc_file_get(&v, file, nodes.v[i])) < 0 ||
			    v == NULL)
				continue;
			if (strcmp(*k, "group") == 0)
				*out = hc_strlist_has(u->groups, v);
			else
				*out = strcasecmp(v, "ALL") == 0 ||
				       strcasecmp(v, u->name) == 0 ||
				       (!nodefgroup &&
					hc_strlist_has(u->groups, v));
		}
	}
	hc_buf_release(&pattern);
	hc_strlist_release(&nodes);
	return error;
}

/*
 * How entry E's origins cover a login from the network: *all when every
 * remote host is in them (ALL, excepting at most LOCAL), *some when at
 * least one may be.
 */
static int origins_cover(bool *all, bool *some, struct hc_file *file,
			 const char *e)
{
	struct hc_strlist nodes = HC_STRLIST_INIT;
	struct hc_buf pattern = HC_BUF_INIT;
	bool any_all = false, remote_excepted = false;
	int error;

	*all = *some = false;
	if ((error = hc_buf_printf(&pattern, "%s/origin | %s/except/origin", e,
				   e)) < 0 ||
	    (error = hc_file_match(&nodes, file, pattern.ptr)) < 0)
		goto out;
	for (size_t i = 0; i < nodes.n && error == 0; i++) {
		bool except = strstr(nodes.v[i], "/except/") != NULL;
		const char *v;

		if ((error = hc_file_get(&v, file, nodes.v[i])) < 0 ||
		    v == NULL)
			continue;
		if (except)
			remote_excepted |= strcmp(v, "LOCAL") != 0;
		else if (strcasecmp(v, "ALL") == 0)
			any_all = true;
		else if (strcmp(v, "LOCAL") != 0)
			*some = true;
	}
	*some |= any_all;
	*all = any_all && !remote_excepted;
out:
	hc_buf_release(&pattern);
	hc_strlist_release(&nodes);
	return error;
}

/* Append TEXT to NOTES once. */
static int note(struct hc_strlist *notes, const char *text)
{
	return hc_strlist_has(notes, text) ? 0 : hc_strlist_push(notes, text);
}

/*
 * pam_access's entries of FILE for a login from the network: *decided
 * when one applies to the user, *out then what it says.
 */
static int access_file(bool *decided, enum pam_rc *out, struct hc_buf *why,
		       struct hc_file *file, const struct pam_user *u,
		       bool nodefgroup, struct hc_strlist *notes)
{
	struct hc_strlist entries = HC_STRLIST_INIT;
	int error;

	*decided = false;
	if ((error = hc_file_match(&entries, file, "access")) < 0)
		goto out;
	for (size_t i = 0; i < entries.n && error == 0 && !*decided; i++) {
		const char *sign;
		bool user, excepted, all, some, netgroup;
		struct hc_strlist ng = HC_STRLIST_INIT;
		struct hc_buf p = HC_BUF_INIT;

		if ((error = hc_file_get(&sign, file, entries.v[i])) < 0 ||
		    (error = users_match(&user, file, entries.v[i], "", u,
					 nodefgroup)) < 0 ||
		    (error = users_match(&excepted, file, entries.v[i],
					 "except/", u, nodefgroup)) < 0 ||
		    (error = origins_cover(&all, &some, file, entries.v[i])) <
			0)
			break;
		if ((error = hc_buf_printf(&p, "%s/netgroup", entries.v[i])) ==
		    0)
			error = hc_file_match(&ng, file, p.ptr);
		netgroup = ng.n > 0;
		hc_strlist_release(&ng);
		hc_buf_release(&p);
		if (error == 0 && netgroup && !user)
			error =
			    note(notes, "pam_access netgroups are not judged");
		if (error < 0 || !user || excepted || sign == NULL)
			continue;
		if (sign[0] == '+' && some) {
			*decided = true;
			*out = PAMRC_SUCCESS;
		} else if (sign[0] == '-' && all) {
			*decided = true;
			*out = PAMRC_PERM_DENIED;
			error = hc_buf_printf(
			    why, "%s:%u: pam_access denies %s from the network",
			    file->path, hc_file_line(file, entries.v[i]),
			    u->name);
		}
	}
out:
	hc_strlist_release(&entries);
	return error;
}

/*
 * pam_access for a login from the network: the first entry that
 * decides, in access.conf (or accessfile=) then, without accessfile=,
 * in the files of /etc/security/access.d that end in .conf, in order.
 */
static int access_rc(enum pam_rc *out, struct hc_buf *why, struct hc_ctx *ctx,
		     const struct line *l, const struct pam_user *u,
		     struct hc_strlist *notes)
{
	const char *path = arg_value(l, "accessfile");
	struct hc_strlist files = HC_STRLIST_INIT;
	bool nodefgroup = has_arg(l, "nodefgroup"), decided = false;
	int error;

	*out = PAMRC_SUCCESS;
	if ((error = hc_strlist_push(&files, path ? path : ACCESS_CONF)) < 0 ||
	    (!path && (error = hc_ctx_glob(
			   &files, ctx, "/etc/security/access.d/*.conf")) < 0))
		goto out;
	for (size_t i = 0; i < files.n && error == 0 && !decided; i++) {
		struct hc_file *file;

		if ((error = hc_ctx_file(&file, ctx, files.v[i], "Access.lns",
					 HC_FILE_OPTIONAL)) < 0 ||
		    file == NULL)
			continue;
		error =
		    access_file(&decided, out, why, file, u, nodefgroup, notes);
	}
out:
	hc_strlist_release(&files);
	return error;
}

static int nologin_rc(enum pam_rc *out, struct hc_buf *why, struct hc_ctx *ctx,
		      const struct line *l, const struct pam_user *u)
{
	const char *path = arg_value(l, "file");
	struct hc_file *file;
	int error = hc_ctx_file(&file, ctx, path ? path : "/etc/nologin", NULL,
				HC_FILE_OPTIONAL);

	if (error < 0)
		return error;
	if (file == NULL && path == NULL &&
	    (error = hc_ctx_file(&file, ctx, "/var/run/nologin", NULL,
				 HC_FILE_OPTIONAL)) < 0)
		return error;
	if (file == NULL) {
		*out = has_arg(l, "successok") ? PAMRC_SUCCESS : PAMRC_IGNORE;
		return 0;
	}
	if (u->uid == 0) {
		*out = PAMRC_SUCCESS;
		return 0;
	}
	*out = PAMRC_AUTH_ERR;
	return hc_buf_printf(why, "%s exists: pam_nologin lets only root in",
			     file->path);
}

/* A numeric condition of pam_succeed_if: A OP B; -1 for an OP it lacks. */
static int succeed_if_compare(bool *holds, long a, const char *op, long b)
{
	if (strcmp(op, "<") == 0 || strcmp(op, "lt") == 0)
		*holds = a < b;
	else if (strcmp(op, "<=") == 0 || strcmp(op, "le") == 0)
		*holds = a <= b;
	else if (strcmp(op, ">") == 0 || strcmp(op, "gt") == 0)
		*holds = a > b;
	else if (strcmp(op, ">=") == 0 || strcmp(op, "ge") == 0)
		*holds = a >= b;
	else if (strcmp(op, "eq") == 0)
		*holds = a == b;
	else if (strcmp(op, "ne") == 0)
		*holds = a != b;
	else
		return -1;
	return 0;
}

/* One condition of pam_succeed_if: FIELD OP VALUE. */
static int succeed_if_cond(bool *holds, const struct pam_user *u,
			   const char *fld, const char *op, const char *value)
{
	char num[32];
	const char *have = NULL;
	long a, b;
	char *end;

	if (strcmp(op, "ingroup") == 0 || strcmp(op, "notingroup") == 0) {
		if (strcmp(fld, "user") != 0)
			return -1;
		*holds = hc_strlist_has(u->groups, value) ==
			 (strcmp(op, "ingroup") == 0);
		return 0;
	}
	if (strcmp(fld, "user") == 0)
		have = u->name;
	else if (strcmp(fld, "shell") == 0)
		have = u->shell ? u->shell : "";
	else if (strcmp(fld, "uid") == 0 || strcmp(fld, "gid") == 0) {
		snprintf(num, sizeof(num), "%ld",
			 strcmp(fld, "uid") == 0 ? u->uid : u->gid);
		have = num;
	}
	if (have == NULL)
		return -1;
	if (strcmp(op, "=") == 0 || strcmp(op, "!=") == 0) {
		*holds = (strcmp(have, value) == 0) == (op[0] == '=');
		return 0;
	}
	a = strtol(have, &end, 10);
	if (*end)
		return -1;
	b = strtol(value, &end, 10);
	if (*end)
		return -1;
	return succeed_if_compare(holds, a, op, b);
}

static int succeed_if_rc(enum pam_rc *out, struct hc_buf *why,
			 const struct line *l, const struct pam_user *u,
			 struct hc_strlist *notes)
{
	static const char *const flags[] = {
	    "debug",   "quiet", "quiet_fail", "quiet_success",
	    "use_uid", "audit", NULL};
	size_t i = 0;

	*out = PAMRC_SUCCESS;
	while (i < l->args.n) {
		bool flag = false, holds;

		for (const char *const *f = flags; *f && !flag; f++)
			flag = strcmp(l->args.v[i], *f) == 0;
		if (flag) {
			i++;
			continue;
		}
		if (i + 2 >= l->args.n ||
		    succeed_if_cond(&holds, u, l->args.v[i], l->args.v[i + 1],
				    l->args.v[i + 2]) < 0) {
			*out = PAMRC_IGNORE;
			return note(notes,
				    "pam_succeed_if: a condition not judged");
		}
		if (!holds) {
			*out = PAMRC_AUTH_ERR;
			return hc_buf_printf(
			    why, "%s:%u: pam_succeed_if %s %s %s fails for %s",
			    l->file, l->lineno, l->args.v[i], l->args.v[i + 1],
			    l->args.v[i + 2], u->name);
		}
		i += 3;
	}
	return 0;
}

/*
 * Whether module M (a name, or a path) is installed in ROOT.  Where ROOT
 * has none of the directories modules live in (an /etc alone), it
 * cannot be told, and is taken as installed.
 */
static int module_present(bool *out, struct hc_ctx *ctx, const char *m)
{
	static const char *const dirs[] = {
	    "/lib/x86_64-linux-gnu/security",
	    "/usr/lib/x86_64-linux-gnu/security",
	    "/lib/aarch64-linux-gnu/security",
	    "/usr/lib/aarch64-linux-gnu/security",
	    "/lib64/security",
	    "/usr/lib64/security",
	    "/lib/security",
	    "/usr/lib/security",
	    NULL,
	};
	struct hc_buf path = HC_BUF_INIT;
	bool any_dir = false;
	struct stat st;
	int error = 0;

	*out = false;
	for (const char *const *d = dirs; *d && !*out && error == 0; d++) {
		if (m[0] == '/') {
			if (d != dirs)
				break;
			error = hc_buf_puts(&path, m);
			any_dir = true;
		} else {
			if (hc_ctx_lstat(&st, ctx, *d) < 0 ||
			    !S_ISDIR(st.st_mode)) {
				hc_error_clear();
				continue;
			}
			any_dir = true;
			hc_buf_clear(&path);
			error = hc_buf_printf(&path, "%s/%s", *d, m);
		}
		if (error == 0 && hc_ctx_lstat(&st, ctx, path.ptr) == 0)
			*out = true;
		hc_error_clear();
	}
	hc_buf_release(&path);
	if (!any_dir)
		*out = true;
	return error;
}

/* What pam_unix's account step answers for U on line L. */
static int unix_rc(enum pam_rc *out, struct hc_buf *why, const struct line *l,
		   const struct pam_user *u, long today)
{
	/* "x" in passwd and no shadow entry: pam_unix finds no password data.
	 */
	*out = !u->known            ? PAMRC_USER_UNKNOWN
	       : u->has_shadow      ? pam_unix_aging(&u->aging, today)
	       : u->no_shadow_entry ? PAMRC_AUTH_ERR
				    : PAMRC_SUCCESS;
	return *out == PAMRC_SUCCESS
		   ? 0
		   : hc_buf_printf(why, "%s:%u: pam_unix: %s", l->file,
				   l->lineno, pam_rc_name(*out));
}

static int module_rc(enum pam_rc *out, struct hc_buf *why, struct hc_ctx *ctx,
		     const struct line *l, const struct pam_user *u, long today,
		     struct hc_strlist *notes)
{
	static const char *const neutral[] = {"pam_faillock", "pam_tally2",
					      "pam_tally", "pam_lastlog", NULL};
	const char *m = l->module;
	struct hc_buf text = HC_BUF_INIT;
	bool present;
	int error;

	hc_buf_clear(why);
	if (l->missing) {
		/* libpam's answer for a line it could not load. */
		*out = PAMRC_PERM_DENIED;
		return hc_buf_printf(why,
				     "%s:%u: includes %s, which is missing",
				     l->file, l->lineno, m);
	}
	if ((error = module_present(&present, ctx, m)) < 0)
		return error;
	if (!present) {
		/* As libpam: module_unknown, a "-" before the type only keeps
		 * it out of the log. */
		*out = PAMRC_MODULE_UNKNOWN;
		return hc_buf_printf(why, "%s:%u: %s is not installed", l->file,
				     l->lineno, m);
	}
	if (pam_module_is(m, "pam_unix"))
		return unix_rc(out, why, l, u, today);
	if (pam_module_is(m, "pam_permit")) {
		*out = PAMRC_SUCCESS;
		return 0;
	}
	if (pam_module_is(m, "pam_deny")) {
		*out = PAMRC_AUTH_ERR;
		return hc_buf_printf(why, "%s:%u: pam_deny", l->file,
				     l->lineno);
	}
	if (pam_module_is(m, "pam_access"))
		return access_rc(out, why, ctx, l, u, notes);
	if (pam_module_is(m, "pam_nologin"))
		return nologin_rc(out, why, ctx, l, u);
	if (pam_module_is(m, "pam_succeed_if"))
		return succeed_if_rc(out, why, l, u, notes);
	if (pam_module_is(m, "pam_localuser")) {
		*out = u->known ? PAMRC_SUCCESS : PAMRC_PERM_DENIED;
		return 0;
	}
	for (const char *const *n = neutral; *n; n++) {
		if (pam_module_is(m, *n)) {
			*out = PAMRC_SUCCESS;
			return 0;
		}
	}
	*out = PAMRC_IGNORE;
	if ((error = hc_buf_printf(
		 &text, "%s:%u: %s's answer is not judged (taken as ignore)",
		 l->file, l->lineno, m)) == 0)
		error = note(notes, text.ptr);
	hc_buf_release(&text);
	return error;
}

/* The dispatch ----------------------------------------------------------------
 */

struct dispatch {
	enum pam_rc status;
	bool positive, negative;
	struct hc_buf *why;
	struct hc_buf decided; /* why of the line that set a failing status */
};

/* Apply ACTION for RC; true when the stack is decided. */
static bool act(struct dispatch *d, int action, enum pam_rc rc,
		const struct hc_buf *why)
{
	switch (action) {
	case ACT_RESET:
		d->positive = d->negative = false;
		d->status = PAMRC_PERM_DENIED;
		return false;
	case ACT_OK:
	case ACT_DONE:
		if (!d->negative &&
		    (!d->positive || d->status == PAMRC_SUCCESS)) {
			d->positive = true;
			d->status = rc;
			hc_buf_set(&d->decided, why->ptr, why->size);
		}
		return action == ACT_DONE && !d->negative;
	case ACT_BAD:
	case ACT_DIE:
		if (!d->negative) {
			d->negative = true;
			d->status = rc;
			hc_buf_set(&d->decided, why->ptr, why->size);
		}
		return action == ACT_DIE;
	default:
		return false;
	}
}

/* A line whose control libpam cannot read fails: a failure before it stands. */
static int bad_control(struct dispatch *d, const struct line *l)
{
	if (d->negative)
		return 0;
	d->negative = true;
	d->status = PAMRC_PERM_DENIED;
	return hc_buf_printf(&d->decided,
			     "%s:%u: control '%s' libpam cannot read", l->file,
			     l->lineno, l->control);
}

/*
 * A jump past the end of line L's stack, libpam's "bad jump in stack":
 * the stack fails with the jump's status, whatever failed before.
 */
static int bad_jump(struct dispatch *d, const struct line *l)
{
	d->negative = true;
	d->status = PAMRC_PERM_DENIED;
	hc_buf_clear(&d->decided);
	return hc_buf_printf(&d->decided, "%s:%u: jump past its stack's end",
			     l->file, l->lineno);
}

/*
 * Include cycles in the other stages -------------------------------------
 *
 * libpam reads a service's whole file, every type, before any stage
 * runs.  An include of type T reads the lines of type T of the stack it
 * names, and Debian's @include all of them; one that leads back through
 * includes alone to a stack still being read recurses until libpam
 * crashes (pamtester: SIGSEGV), and no stage of the service runs.  A
 * substack on the way ends such a chain: libpam bounds their depth.
 */

/* A stack as reached in one segment: the same stack in another is another. */
struct walk_node {
	char *path; /* "SEG PATH" */
	int state;  /* 0: not reached, 1: being read, 2: read */
};

struct walk {
	struct stage *s;
	struct hc_ctx *ctx;
	const char *type;
	struct walk_node *v; /* open addressing, at most half full */
	size_t cap, n;
};

static size_t walk_hash(const char *path)
{
	uint64_t h = 14695981039346656037ULL;

	for (const unsigned char *p = (const unsigned char *)path; *p; p++)
		h = (h ^ *p) * 1099511628211ULL;
	return (size_t)h;
}

/* PATH's node, added if new; NULL when out of memory. */
static struct walk_node *walk_node(struct walk *w, const char *path)
{
	size_t i;

	if ((w->n + 1) * 2 > w->cap) {
		size_t cap = w->cap ? w->cap * 2 : 64;
		struct walk_node *v = calloc(cap, sizeof(*v));

		if (v == NULL)
			return NULL;
		for (size_t j = 0; j < w->cap; j++) {
			if (w->v[j].path == NULL)
				continue;
			for (i = walk_hash(w->v[j].path) & (cap - 1); v[i].path;
			     i = (i + 1) & (cap - 1))
				;
			v[i] = w->v[j];
		}
		free(w->v);
		w->v = v;
		w->cap = cap;
	}
	for (i = walk_hash(path) & (w->cap - 1); w->v[i].path;
	     i = (i + 1) & (w->cap - 1))
		if (strcmp(w->v[i].path, path) == 0)
			return &w->v[i];
	if ((w->v[i].path = strdup(path)) == NULL)
		return NULL;
	w->n++;
	return &w->v[i];
}

static void walk_release(struct walk *w)
{
	for (size_t i = 0; i < w->cap; i++)
		free(w->v[i].path);
	free(w->v);
	w->v = NULL;
	w->cap = w->n = 0;
}

static int walk_stack(struct walk *w, const char *name, unsigned int seg,
		      unsigned int depth);

/* Follow item IT of a stack read in segment SEG at DEPTH, if libpam would. */
static int walk_item(struct walk *w, const struct item *it, unsigned int seg,
		     unsigned int depth)
{
	bool sub;

	if (it->module == NULL)
		return 0;
	if (it->type == NULL)
		return walk_stack(w, it->module, seg, depth + 1);
	if (strcasecmp(it->type, w->type) != 0 || it->control == NULL)
		return 0;
	sub = strcasecmp(it->control, "substack") == 0;
	if (!sub && strcasecmp(it->control, "include") != 0)
		return 0;
	return walk_stack(w, it->module, seg + sub, depth + 1);
}

/*
 * Read stack NAME, reached in segment SEG (the substacks on the way):
 * back at a stack still being read in the same segment is a cycle of
 * includes.  A stack read in one segment is read again in another: one
 * reached first through a substack, then through includes alone, may
 * lead back to a stack still being read only the second time.  libpam
 * reads no substack MAX_SUBSTACKS deep.
 */
static int walk_stack(struct walk *w, const char *name, unsigned int seg,
		      unsigned int depth)
{
	struct hc_buf key = HC_BUF_INIT, why = HC_BUF_INIT;
	const char *path;
	struct walk_node *node;
	struct item *items = NULL;
	struct hc_file *file;
	size_t n = 0;
	int error;

	if (w->s->broken || seg >= MAX_SUBSTACKS)
		return 0;
	if ((error = hc_buf_printf(&key, "%u ", seg)) < 0 ||
	    (error = hc_buf_printf(&key, "%s%s", name[0] == '/' ? "" : PAM_DIR,
				   name)) < 0)
		goto out;
	path = key.ptr + strcspn(key.ptr, " ") + 1;
	if ((node = walk_node(w, key.ptr)) == NULL) {
		error = hc_error_oom();
		goto out;
	}
	if (node->state == 1) {
		if ((error = hc_buf_printf(&why,
					   " includes itself through its %s "
					   "lines: libpam crashes reading it",
					   w->type)) == 0)
			error = broken(w->s, path, why.ptr);
		goto out;
	}
	if (node->state != 0)
		goto out;
	if (depth > MAX_WALK) {
		error = broken(w->s, path,
			       ": includes nested deeper than hardctl follows");
		goto out;
	}
	if ((error = hc_ctx_file(&file, w->ctx, path, PAM_LENS,
				 HC_FILE_OPTIONAL)) < 0 ||
	    file == NULL || (error = read_items(&items, &n, file)) < 0)
		goto out;
	node->state = 1;
	for (size_t i = 0; i < n && error == 0; i++)
		error = walk_item(w, &items[i], seg, depth);
	/* The table may have moved: find the node again. */
	if ((node = walk_node(w, key.ptr)) != NULL)
		node->state = 2;
	else if (error == 0)
		error = hc_error_oom();
out:
	items_release(items, n);
	hc_buf_release(&key);
	hc_buf_release(&why);
	return error;
}

/* Mark S broken when the other stages of SERVICE make libpam crash. */
static int other_stages(struct stage *s, struct hc_ctx *ctx,
			const char *service)
{
	static const char *const types[] = {"auth", "password", "session"};
	int error = 0;

	for (size_t i = 0; i < 3 && error == 0 && !s->broken; i++) {
		struct walk w = {s, ctx, types[i], NULL, 0, 0};

		error = walk_stack(&w, service, 0, 0);
		walk_release(&w);
	}
	return error;
}

int pam_stage_load(struct pam_stage **out, struct hc_ctx *ctx,
		   const char *service, struct hc_strlist *notes)
{
	struct hc_buf path = HC_BUF_INIT;
	struct pam_stage *s;
	struct hc_file *file;
	int error;

	*out = NULL;
	if ((s = calloc(1, sizeof(*s))) == NULL)
		return hc_error_oom();
	if ((error = hc_buf_printf(&path, PAM_DIR "%s", service)) < 0 ||
	    (error = hc_ctx_file(&file, ctx, path.ptr, PAM_LENS,
				 HC_FILE_OPTIONAL)) < 0 ||
	    (error = flatten(&s->lines, ctx, file ? service : "other", 0,
			     notes)) < 0 ||
	    (error = other_stages(&s->lines, ctx, file ? service : "other")) <
		0)
		goto out;
	s->path = hc_buf_detach(&path);
	if (s->path == NULL)
		error = HC_ERROR;
out:
	hc_buf_release(&path);
	if (error < 0)
		pam_stage_free(s);
	else
		*out = s;
	return error;
}

void pam_stage_free(struct pam_stage *s)
{
	if (s == NULL)
		return;
	stage_release(&s->lines);
	free(s->path);
	free(s);
}

/*
 * The line a jump of N from line I lands before: N modules of I's level
 * skipped, a substack counting as one, as libpam skips them; SIZE_MAX
 * when the jump leaves I's stack.
 */
static size_t jump(const struct stage *s, size_t i, unsigned int n)
{
	unsigned int level = s->v[i].level;
	size_t j = i;

	while (j + 1 < s->n && s->v[j + 1].level >= level && n > 0) {
		do
			j++;
		while (j + 1 < s->n && s->v[j + 1].level > level);
		n--;
	}
	return n ? SIZE_MAX : j;
}

int pam_stage_run(enum pam_rc *out, struct hc_buf *why, struct hc_ctx *ctx,
		  const struct pam_stage *stage, const struct pam_user *user,
		  long today, struct hc_strlist *notes)
{
	struct dispatch d = {
	    .status = PAMRC_PERM_DENIED, .why = why, .decided = HC_BUF_INIT};
	struct hc_buf line_why = HC_BUF_INIT;
	const struct stage *s = &stage->lines;
	int error = 0;

	if (s->broken) {
		*out = PAMRC_PERM_DENIED;
		hc_buf_clear(why);
		return hc_buf_puts(why, s->broken);
	}
	for (size_t i = 0; i < s->n; i++) {
		struct control c;
		enum pam_rc rc;
		int action;

		if (parse_control(&c, s->v[i].control) < 0) {
			error = bad_control(&d, &s->v[i]);
			break;
		}
		if ((error = module_rc(&rc, &line_why, ctx, &s->v[i], user,
				       today, notes)) < 0)
			goto out;
		action = c.action[rc];
		if (action > 0) {
			size_t to = jump(s, i, (unsigned int)action);

			if (to != SIZE_MAX) {
				i = to;
				continue;
			}
			/* The stack fails, and goes on after the substack the
			 * jump leaves (a reset there clears it). */
			if ((error = bad_jump(&d, &s->v[i])) < 0)
				break;
		} else if (!act(&d, action, rc, &line_why)) {
			continue;
		}
		/* Done, die or a bad jump: the end of the substack it is
		 * in, or of everything. */
		if (s->v[i].level == 0)
			break;
		i = s->v[i].sub_end - 1;
	}
	if (error == 0 && d.status == PAMRC_SUCCESS && !d.positive) {
		d.status = PAMRC_PERM_DENIED;
		error = hc_buf_printf(
		    &d.decided, "%s: no module of the account stage said yes",
		    stage->path);
	}
	*out = d.status;
	hc_buf_clear(why);
	if (error == 0 && d.status != PAMRC_SUCCESS)
		error = hc_buf_puts(why, d.decided.size ? d.decided.ptr
							: stage->path);
out:
	hc_buf_release(&d.decided);
	hc_buf_release(&line_why);
	return error;
}

int pam_account(enum pam_rc *out, struct hc_buf *why, struct hc_ctx *ctx,
		const char *service, const struct pam_user *user, long today,
		struct hc_strlist *notes)
{
	struct pam_stage *stage;
	int error = pam_stage_load(&stage, ctx, service, notes);

	if (error == 0)
		error = pam_stage_run(out, why, ctx, stage, user, today, notes);
	pam_stage_free(stage);
	return error;
}
