/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * System logging: authentication messages kept in a local file, and
 * everything forwarded to a log host when the profile names one.
 *
 * rsyslog reads /etc/rsyslog.conf, expanding each `$IncludeConfig` (or
 * `include(file=...)`) where it stands, its files in sorted order and a
 * directory's files with it; classic syslogd reads /etc/syslog.conf.
 * Every rule line hands a message to its actions, unless an earlier
 * line discarded it (`~`, `stop`, omdiscard).  Check walks the lines in
 * that order and asks, for each facility and priority that matters,
 * whether a message reaches the wanted action: the effective
 * configuration, whichever file a line sits in.  A property filter
 * (`:programname, isequal, "sshd" stop`) is judged exactly when it
 * compares the facility or severity, and otherwise may match any
 * message: its discard fails the rule.  What hardctl cannot judge
 * (rulesets, included text, BSD-style blocks) is an error naming the
 * line, never a pass.
 *
 * Augeas's Rsyslog lens reads legacy selector lines, property filters
 * and one-line objects but not RainerScript statements (`if ... then`,
 * `ruleset()`, `call`, `{ }`): a file it cannot parse is reported with
 * its line, and never rewritten.  What hardctl adds goes to a drop-in
 * when the main file includes /etc/rsyslog.d and rsyslog reads it
 * before any line that discards the messages, else just above that
 * line; in the legacy syntax every rsyslog reads.
 */
#include <ctype.h>
#include <fnmatch.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include "hardctl/ctx.h"
#include "hardctl/file.h"
#include "hardctl/finding.h"
#include "modules.h"

#define RSYSLOG_CONF "/etc/rsyslog.conf"
#define RSYSLOG_LENS "Rsyslog.lns"
#define RSYSLOG_DROPIN "/etc/rsyslog.d/00-hardctl.conf"
#define SYSLOG_CONF "/etc/syslog.conf"
#define SYSLOG_LENS "Syslog.lns"
#define INCLUDE_DEPTH 4
#define INCLUDE_FILES 4096
#define NEW_ENTRY "hardctl-new-entry"

/* Facilities, as bits; `security` is auth's old name. */
static const struct {
	const char *name;
	unsigned int bit;
} facility_names[] = {
    {"kern", 0},    {"user", 1},     {"mail", 2},    {"daemon", 3},
    {"auth", 4},    {"security", 4}, {"syslog", 5},  {"lpr", 6},
    {"news", 7},    {"uucp", 8},     {"cron", 9},    {"authpriv", 10},
    {"ftp", 11},    {"local0", 16},  {"local1", 17}, {"local2", 18},
    {"local3", 19}, {"local4", 20},  {"local5", 21}, {"local6", 22},
    {"local7", 23},
};
#define FAC_AUTH (1u << 4)
#define FAC_AUTHPRIV (1u << 10)
#define FAC_ALL 0x00ff0fffu
#define NFAC 24

/* Priorities by severity: 0 is emerg, 7 debug. */
static const char *const priority_names[] = {
    "emerg", "alert", "crit", "err", "warning", "notice", "info", "debug",
};
#define NPRI 8
#define PRI_INFO 6

enum { CMP_LT = 1, CMP_EQ = 2, CMP_GT = 4 };

struct selector {
	uint32_t facilities;
	bool none;        /* level "none": these facilities, nothing */
	bool negate;      /* "!": take these priorities away */
	bool all;         /* level "*" */
	unsigned int cmp; /* CMP_*; 0: this level and more severe */
	int level;        /* 0..7; -1 unknown (selects nothing) */
};

/* One rule line of the configuration, in the order syslogd reads it. */
struct entry {
	struct hc_file *file;
	char *node;
	struct selector *sel;
	size_t nsel;
	const char *
	    local; /* the first local file it writes (not /dev/null), or NULL */
	bool discard; /* `~`, `stop` or omdiscard, after the actions above */
	bool filter;  /* a property filter (":property, op, value") */
	bool
	    maybe; /* a filter hardctl cannot judge: it may match any message */
	char *text; /* for a filter: what it compares, for messages */
	struct hc_strlist
	    remotes; /* "@HOST:PORT" as written, port ":514" by default */
};

struct config {
	struct hc_file *main;
	bool rsyslog;
	bool includes_dropin; /* the main file reads RSYSLOG_DROPIN */
	size_t dropin_at; /* where a line the drop-in ends with sits among v */
	size_t nfiles;    /* files read, includes counted each time */
	bool fallback;    /* $ActionExecOnlyWhenPreviousIsSuspended on */
	struct entry *v;
	size_t n, alloc;
};

static void config_release(struct config *c)
{
	for (size_t i = 0; i < c->n; i++) {
		free(c->v[i].node);
		free(c->v[i].sel);
		free(c->v[i].text);
		hc_strlist_release(&c->v[i].remotes);
	}
	free(c->v);
	memset(c, 0, sizeof(*c));
}

static uint32_t facility_bit(const char *name)
{
	if (strcmp(name, "*") == 0)
		return FAC_ALL;
	for (size_t i = 0;
	     i < sizeof(facility_names) / sizeof(facility_names[0]); i++)
		if (strcasecmp(name, facility_names[i].name) == 0)
			return 1u << facility_names[i].bit;
	return 0;
}

static int priority(const char *name)
{
	static const struct {
		const char *alias;
		int level;
	} aliases[] = {{"panic", 0}, {"error", 3}, {"warn", 4}};

	for (int i = 0; i < NPRI; i++)
		if (strcasecmp(name, priority_names[i]) == 0)
			return i;
	for (size_t i = 0; i < sizeof(aliases) / sizeof(aliases[0]); i++)
		if (strcasecmp(name, aliases[i].alias) == 0)
			return aliases[i].level;
	return -1;
}

/* The children of NODE, in order. */
static int children(struct hc_strlist *out, struct hc_file *file,
		    const char *node)
{
	struct hc_buf pattern = HC_BUF_INIT;
	int error;

	if ((error = hc_buf_printf(&pattern, "%s/*", node)) == 0)
		error = hc_file_match(out, file, pattern.ptr);
	hc_buf_release(&pattern);
	return error;
}

static int read_selector(struct selector *s, struct hc_file *file,
			 const char *node)
{
	struct hc_strlist kids = HC_STRLIST_INIT;
	int error;

	memset(s, 0, sizeof(*s));
	s->level = -1;
	error = children(&kids, file, node);
	for (size_t i = 0; i < kids.n && error == 0; i++) {
		const char *label = hc_file_label(file, kids.v[i]), *value;

		if ((error = hc_file_get(&value, file, kids.v[i])) < 0 ||
		    !label || !value)
			continue;
		if (strcmp(label, "facility") == 0) {
			s->facilities |= facility_bit(value);
		} else if (strcmp(label, "comparison") == 0) {
			s->negate = value[0] == '!';
			s->cmp = (strchr(value, '<') ? CMP_LT : 0) |
				 (strchr(value, '=') ? CMP_EQ : 0) |
				 (strchr(value, '>') ? CMP_GT : 0);
		} else if (strcmp(label, "level") == 0) {
			s->none = strcasecmp(value, "none") == 0;
			s->all = strcmp(value, "*") == 0;
			s->level = priority(value);
		}
	}
	hc_strlist_release(&kids);
	return error;
}

/*
 * Whether rsyslogd writing PATH keeps a record of the messages: a file,
 * not what stands under /dev, /proc or /sys (/dev/null, a terminal,
 * /dev/kmsg), "." and ".." taken as the kernel takes them, and a
 * relative path from rsyslogd's working directory, "/".
 */
static bool keeps_record(const char *path)
{
	static const char *const pseudo[] = {"dev", "proc", "sys", NULL};
	const char *first = NULL;
	size_t firstlen = 0, depth = 0;

	for (const char *p = path; *p;) {
		size_t len;

		while (*p == '/')
			p++;
		if ((len = strcspn(p, "/")) == 0)
			break;
		if (len == 2 && p[0] == '.' && p[1] == '.') {
			if (depth > 0)
				depth--;
		} else if (len != 1 || p[0] != '.') {
			if (depth++ == 0) {
				first = p;
				firstlen = len;
			}
		}
		p += len;
	}
	if (depth == 0)
		return false;
	for (size_t i = 0; pseudo[i]; i++)
		if (strlen(pseudo[i]) == firstlen &&
		    memcmp(first, pseudo[i], firstlen) == 0)
			return false;
	return true;
}

/*
 * What an action does: write a local file, discard, or forward, kept
 * as syslog.conf writes it with the port made explicit: "@@host:514".
 */
static int read_action(struct entry *e, struct hc_file *file,
		       const char *action)
{
	struct hc_strlist kids = HC_STRLIST_INIT;
	struct hc_buf remote = HC_BUF_INIT;
	const char *proto = NULL, *host = NULL, *port = NULL;
	int error;

	/* Nothing runs after a discard on the same line. */
	if (e->discard)
		return 0;
	if ((error = children(&kids, file, action)) < 0)
		goto out;
	for (size_t i = 0; i < kids.n && error == 0; i++) {
		const char *label = hc_file_label(file, kids.v[i]), *value;

		if (label == NULL ||
		    (error = hc_file_get(&value, file, kids.v[i])) < 0)
			continue;
		/* rsyslog reads a lone `stop`, in any case, as its keyword. */
		if (strcmp(label, "discard") == 0 ||
		    (strcmp(label, "user") == 0 && kids.n == 1 && value &&
		     strcasecmp(value, "stop") == 0 && file->lens &&
		     strcmp(file->lens, RSYSLOG_LENS) == 0))
			e->discard = true;
		else if (strcmp(label, "file") == 0 && e->local == NULL &&
			 value && keeps_record(value))
			e->local = value;
		else if (strcmp(label, "protocol") == 0)
			proto = value;
		else if (strcmp(label, "hostname") == 0)
			host = value;
		else if (strcmp(label, "port") == 0)
			port = value;
	}
	if (error == 0 && proto &&
	    (error = hc_buf_printf(&remote, "%s%s:%s", proto, host ? host : "",
				   port ? port : "514")) == 0)
		error = hc_strlist_push(&e->remotes, remote.ptr);
out:
	hc_buf_release(&remote);
	hc_strlist_release(&kids);
	return error;
}

static struct entry *entry_push(struct config *c, struct hc_file *file,
				const char *node, size_t nsel)
{
	struct entry *e;

	if (c->n == c->alloc) {
		size_t alloc = c->alloc ? 2 * c->alloc : 16;
		struct entry *v = realloc(c->v, alloc * sizeof(*v));

		if (v == NULL) {
			hc_error_oom();
			return NULL;
		}
		c->v = v;
		c->alloc = alloc;
	}
	e = &c->v[c->n];
	memset(e, 0, sizeof(*e));
	e->file = file;
	if ((e->node = hc_strdup(node)) == NULL)
		return NULL;
	c->n++;
	if ((e->sel = calloc(nsel ? nsel : 1, sizeof(*e->sel))) == NULL) {
		hc_error_oom();
		return NULL;
	}
	return e;
}

/* Every facility at every priority. */
static void select_all(struct selector *s)
{
	memset(s, 0, sizeof(*s));
	s->facilities = FAC_ALL;
	s->all = true;
}

/* The facility or severity a property's value names, as rsyslog writes it; -1:
 * none. */
static int property_number(const char *value, bool text, bool severity)
{
	if (!text) {
		char *end;
		long n = value[0] >= '0' && value[0] <= '9'
			     ? strtol(value, &end, 10)
			     : -1;

		return n >= 0 && *end == '\0' && n < (severity ? NPRI : NFAC) &&
			       (value[0] != '0' || value[1] == '\0')
			   ? (int)n
			   : -1;
	}
	if (severity) {
		for (int i = 0; i < NPRI; i++)
			if (strcmp(value, priority_names[i]) == 0)
				return i;
		return -1;
	}
	/* rsyslog names facility 4 "auth", never "security". */
	for (size_t i = 0;
	     i < sizeof(facility_names) / sizeof(facility_names[0]); i++)
		if (strcmp(value, facility_names[i].name) == 0 &&
		    strcmp(value, "security") != 0)
			return (int)facility_names[i].bit;
	return -1;
}

/*
 * What a property filter selects.  A comparison of the facility or the
 * severity with (!)isequal is judged exactly; any other property
 * (programname, msg, hostname...) or operation may match any message,
 * whichever facility or priority the rule needs: E is "maybe".
 */
static void judge_filter(struct entry *e, const char *prop, const char *op,
			 const char *value)
{
	bool negate = op && op[0] == '!', severity, text;
	const char *p = prop ? prop : "";
	int n;

	e->nsel = 1;
	select_all(&e->sel[0]);
	severity = strcasecmp(p, "syslogseverity") == 0 ||
		   strcasecmp(p, "syslogpriority") == 0 ||
		   strcasecmp(p, "syslogseverity-text") == 0 ||
		   strcasecmp(p, "syslogpriority-text") == 0;
	text = strchr(p, '-') != NULL;
	if (!op || !value || strcasecmp(op + negate, "isequal") != 0 ||
	    (!severity && strcasecmp(p, "syslogfacility") != 0 &&
	     strcasecmp(p, "syslogfacility-text") != 0)) {
		e->maybe = true;
		return;
	}
	n = property_number(value, text, severity);
	if (!negate) {
		e->sel[0].facilities =
		    severity || n < 0 ? (n < 0 ? 0 : FAC_ALL) : 1u << n;
		e->sel[0].all = !severity;
		e->sel[0].level = severity ? n : -1;
		e->sel[0].cmp = CMP_EQ;
		return;
	}
	if (n < 0)
		return; /* never equal: every message */
	e->nsel = 2;
	e->sel[1].facilities = severity ? FAC_ALL : 1u << n;
	e->sel[1].none = !severity;
	e->sel[1].negate = severity;
	e->sel[1].cmp = CMP_EQ;
	e->sel[1].level = severity ? n : -1;
}

/*
 * Under `$ActionExecOnlyWhenPreviousIsSuspended on`, rsyslogd runs an
 * action only while the one before it fails (rsyslogd 8.2302 writes
 * nothing through any of them in normal operation): none delivers for
 * sure.  Discards are kept, to err on the side of a loss.
 */
static void fallback_only(struct entry *e)
{
	e->local = NULL;
	hc_strlist_release(&e->remotes);
}

/* The parts of a property filter, by their labels in the Rsyslog lens. */
enum { FIELD_PROPERTY, FIELD_OPERATION, FIELD_VALUE, FIELD_OTHER };

static size_t field_index(const char *label)
{
	static const char *const labels[] = {"property", "operation", "value"};

	for (size_t i = 0; i < FIELD_OTHER; i++)
		if (strcmp(label, labels[i]) == 0)
			return i;
	return FIELD_OTHER;
}

/* A selector line, or a property filter (FILTER) with its actions. */
static int add_entry(struct config *c, struct hc_file *file, const char *node,
		     bool filter)
{
	struct hc_strlist kids = HC_STRLIST_INIT;
	const char *f[FIELD_OTHER + 1] = {NULL};
	struct hc_buf text = HC_BUF_INIT;
	struct entry *e;
	int error;

	if ((error = children(&kids, file, node)) < 0)
		goto out;
	if ((e = entry_push(c, file, node, kids.n + 2)) == NULL) {
		error = HC_ERROR;
		goto out;
	}
	e->filter = filter;
	for (size_t i = 0; i < kids.n && error == 0; i++) {
		const char *label = hc_file_label(file, kids.v[i]);

		if (label == NULL)
			continue;
		if (strcmp(label, "selector") == 0)
			error =
			    read_selector(&e->sel[e->nsel++], file, kids.v[i]);
		else if (strcmp(label, "action") == 0)
			error = read_action(e, file, kids.v[i]);
		else
			error = hc_file_get(&f[field_index(label)], file,
					    kids.v[i]);
	}
	if (error == 0 && c->fallback)
		fallback_only(e);
	if (error == 0 && filter) {
		judge_filter(e, f[FIELD_PROPERTY], f[FIELD_OPERATION],
			     f[FIELD_VALUE]);
		if ((error = hc_buf_printf(
			 &text, ":%s, %s, \"%s\"",
			 f[FIELD_PROPERTY] ? f[FIELD_PROPERTY] : "",
			 f[FIELD_OPERATION] ? f[FIELD_OPERATION] : "",
			 f[FIELD_VALUE] ? f[FIELD_VALUE] : "")) == 0)
			e->text = hc_buf_detach(&text);
	}
out:
	hc_buf_release(&text);
	hc_strlist_release(&kids);
	return error;
}

/*
 * A top-level action(...): it takes every message.  omdiscard discards
 * them; omfile with a fixed file= and omfwd are destinations; any
 * other is none.  One that runs only when the previous action is
 * suspended is no destination either.
 */
static int add_action_object(struct config *c, struct hc_file *file,
			     const char *node)
{
	struct hc_strlist kids = HC_STRLIST_INIT;
	const char *type = NULL, *path = NULL, *target = NULL, *port = NULL,
		   *proto = NULL;
	const char *fallback = NULL;
	struct hc_buf remote = HC_BUF_INIT;
	struct entry *e;
	int error;

	if ((error = children(&kids, file, node)) < 0)
		goto out;
	const char *const names[] = {
	    "type", "file",     "target",
	    "port", "protocol", "action.execOnlyWhenPreviousIsSuspended"};
	const char **values[] = {&type, &path,  &target,
				 &port, &proto, &fallback};

	for (size_t i = 0; i < kids.n && error == 0; i++) {
		const char *label = hc_file_label(file, kids.v[i]);

		for (size_t k = 0;
		     label && k < sizeof(names) / sizeof(names[0]); k++)
			if (strcasecmp(label, names[k]) == 0)
				error = hc_file_get(values[k], file, kids.v[i]);
	}
	if (error < 0 || type == NULL ||
	    (fallback && strcasecmp(fallback, "off") != 0))
		goto out;
	if ((e = entry_push(c, file, node, 1)) == NULL) {
		error = HC_ERROR;
		goto out;
	}
	e->nsel = 1;
	select_all(&e->sel[0]);
	if (strcasecmp(type, "omdiscard") == 0)
		e->discard = true;
	else if (c->fallback)
		; /* see fallback_only() */
	else if (strcasecmp(type, "omfile") == 0 && path && keeps_record(path))
		e->local = path;
	else if (strcasecmp(type, "omfwd") == 0 && target &&
		 (error = hc_buf_printf(
		      &remote, "%s%s:%s",
		      proto && strcasecmp(proto, "tcp") == 0 ? "@@" : "@",
		      target, port ? port : "514")) == 0)
		error = hc_strlist_push(&e->remotes, remote.ptr);
out:
	hc_buf_release(&remote);
	hc_strlist_release(&kids);
	return error;
}

static int read_file(struct config *c, struct hc_ctx *ctx, struct hc_file *file,
		     int depth);

/* An rsyslog file; one the lens cannot read is reported, never rewritten. */
static int rsyslog_file(struct hc_file **out, struct hc_ctx *ctx,
			const char *path, unsigned int flags)
{
	int error = hc_ctx_file(out, ctx, path, RSYSLOG_LENS, flags);

	if (error == HC_EPARSE) {
		struct hc_error e = *hc_error_last();

		hc_error_set_at(e.file, e.line,
				"%s; hardctl reads rsyslog's legacy syntax, "
				"not RainerScript "
				"(if ... then, ruleset(), call, { } blocks), "
				"and leaves this "
				"file as it is",
				e.message);
		return hc_error_set_code(HC_EPARSE);
	}
	return error;
}

/*
 * The files GLOB matches, sorted; a directory among them stands for
 * the files in it and its subdirectories, as rsyslog reads it, with or
 * without a final slash.
 */
static int include_files(struct hc_strlist *out, struct hc_ctx *ctx,
			 const char *glob, int depth)
{
	struct hc_strlist found = HC_STRLIST_INIT;
	struct hc_buf inner = HC_BUF_INIT;
	int error;

	if ((error = hc_ctx_glob(&found, ctx, glob)) < 0)
		goto out;
	for (size_t i = 0; i < found.n && error == 0; i++) {
		struct stat st;

		if ((error = hc_ctx_lstat(&st, ctx, found.v[i])) ==
		    HC_ENOTFOUND) {
			hc_error_clear();
			error = 0; /* a file hardctl creates */
		} else if (error == 0 && S_ISDIR(st.st_mode)) {
			hc_buf_clear(&inner);
			if (depth >= INCLUDE_DEPTH) {
				hc_error_set_at(found.v[i], 0,
						"included directories nested "
						"deeper than %d",
						INCLUDE_DEPTH);
				error = hc_error_set_code(HC_EINVALID);
			} else if ((error = hc_buf_printf(&inner, "%s/*",
							  found.v[i])) == 0) {
				error = include_files(out, ctx, inner.ptr,
						      depth + 1);
			}
			continue;
		}
		if (error == 0)
			error = hc_strlist_push(out, found.v[i]);
	}
out:
	hc_buf_release(&inner);
	hc_strlist_release(&found);
	return error;
}

/*
 * The files an include line (node LINE of FROM) names, read where it stands, in
 * glob's sorted order as rsyslog reads them.  Note where the drop-in
 * sits among them, read or not.
 */
static int read_include(struct config *c, struct hc_ctx *ctx,
			const char *pattern, struct hc_file *from,
			const char *line, bool abort_if_missing, int depth)
{
	struct hc_strlist files = HC_STRLIST_INIT;
	struct hc_buf glob = HC_BUF_INIT;
	bool dropin, placed = false;
	int error;

	if (pattern[0] != '/') {
		hc_error_set_at(from->display, hc_file_line(from, line),
				"include '%s': a relative path, which depends "
				"on rsyslogd's "
				"working directory; hardctl does not judge it",
				pattern);
		return hc_error_set_code(HC_EINVALID);
	}
	if (depth >= INCLUDE_DEPTH) {
		hc_error_set_at(from->display, hc_file_line(from, line),
				"include '%s': includes nested deeper than %d",
				pattern, INCLUDE_DEPTH);
		return hc_error_set_code(HC_EINVALID);
	}
	/* rsyslog reads every file of a directory named with a trailing slash.
	 */
	if ((error = hc_buf_printf(
		 &glob, "%s%s", pattern,
		 pattern[strlen(pattern) - 1] == '/' ? "*" : "")) < 0 ||
	    (error = include_files(&files, ctx, glob.ptr, 0)) < 0)
		goto out;
	dropin =
	    fnmatch(glob.ptr, RSYSLOG_DROPIN, FNM_PATHNAME | FNM_PERIOD) == 0;
	if (dropin && c->includes_dropin)
		dropin = false; /* read twice: the first place counts */
	c->includes_dropin |= dropin;
	for (size_t i = 0; i < files.n && error == 0; i++) {
		struct hc_file *file;

		if (dropin && !placed &&
		    strcmp(files.v[i], RSYSLOG_DROPIN) > 0) {
			c->dropin_at = c->n;
			placed = true;
		}
		if (++c->nfiles > INCLUDE_FILES) {
			hc_error_set_at(
			    from->display, hc_file_line(from, line),
			    "include '%s': more than %d files read in all",
			    pattern, INCLUDE_FILES);
			error = hc_error_set_code(HC_EINVALID);
			break;
		}
		if ((error = rsyslog_file(&file, ctx, files.v[i],
					  HC_FILE_OPTIONAL)) == 0 &&
		    file)
			error = read_file(c, ctx, file, depth + 1);
		if (dropin && !placed &&
		    strcmp(files.v[i], RSYSLOG_DROPIN) == 0) {
			c->dropin_at = c->n;
			placed = true;
		}
	}
	if (dropin && !placed)
		c->dropin_at = c->n;
	if (error == 0 && files.n == 0 && abort_if_missing) {
		hc_error_set_at(from->display, hc_file_line(from, line),
				"include '%s' with mode=\"abort-if-missing\" "
				"names no file: "
				"rsyslogd does not start",
				pattern);
		error = hc_error_set_code(HC_EINVALID);
	}
out:
	hc_buf_release(&glob);
	hc_strlist_release(&files);
	return error;
}

/* Whether a config object's parameters (NODE's children) name a ruleset. */
static int names_ruleset(bool *out, struct hc_file *file, const char *node)
{
	struct hc_strlist kids = HC_STRLIST_INIT;
	int error;

	*out = false;
	if ((error = children(&kids, file, node)) < 0)
		goto out;
	for (size_t i = 0; i < kids.n; i++) {
		const char *label = hc_file_label(file, kids.v[i]);

		if (label && strcasestr(label, "ruleset"))
			*out = true;
	}
out:
	hc_strlist_release(&kids);
	return error;
}

/*
 * An error when LABEL, a top-level line of an rsyslog file, is one
 * hardctl cannot judge: a BSD-style block (rsyslog 8 refuses them), or
 * a ruleset named (`$RuleSet`, ruleset=), which moves messages or lines
 * out of the default ruleset.
 */
static int unjudged(struct hc_file *file, const char *node, const char *label)
{
	const char *value = NULL;
	bool ruleset = false;
	int error = 0;

	if (strcmp(label, "program") == 0 || strcmp(label, "hostname") == 0) {
		hc_error_set_at(
		    file->display, hc_file_line(file, node),
		    "a BSD-style block (!program or +host), which rsyslog 8 "
		    "refuses: its configuration does not load");
		return hc_error_set_code(HC_EINVALID);
	}
	if (label[0] == '$') {
		if (strcasestr(label, "ruleset") &&
		    (error = hc_file_get(&value, file, node)) == 0)
			ruleset = strcasecmp(label, "$RuleSet") != 0 ||
				  !value ||
				  strcmp(value, "RSYSLOG_DefaultRuleset") != 0;
	} else if (strcmp(label, "#comment") != 0) {
		error = names_ruleset(&ruleset, file, node);
	}
	if (error < 0 || !ruleset)
		return error;
	hc_error_set_at(
	    file->display, hc_file_line(file, node),
	    "%s names a ruleset: hardctl judges the default ruleset only, and "
	    "cannot tell which messages reach this one",
	    label);
	return hc_error_set_code(HC_EINVALID);
}

/*
 * A top-level line of an rsyslog file other than a selector line: a
 * property filter, an action(), a setting, an include expanded.
 */
static int read_rsyslog_line(struct config *c, struct hc_ctx *ctx,
			     struct hc_file *file, const char *node,
			     const char *label, int depth)
{
	struct hc_buf path = HC_BUF_INIT;
	const char *pattern = NULL, *value = NULL, *mode = NULL;
	int error;

	if (strcmp(label, "filter") == 0)
		return add_entry(c, file, node, true);
	if ((error = unjudged(file, node, label)) < 0)
		return error;
	if (strcmp(label, "action") == 0)
		return add_action_object(c, file, node);
	if (strcasecmp(label, "$ActionExecOnlyWhenPreviousIsSuspended") == 0) {
		if ((error = hc_file_get(&value, file, node)) == 0)
			c->fallback =
			    value == NULL || (strcasecmp(value, "off") != 0 &&
					      strcasecmp(value, "no") != 0);
		return error;
	}
	if (strcasecmp(label, "$IncludeConfig") == 0) {
		error = hc_file_get(&pattern, file, node);
	} else if (strcmp(label, "include") == 0 &&
		   (error = hc_buf_printf(&path, "%s/file", node)) == 0 &&
		   (error = hc_file_get(&pattern, file, path.ptr)) == 0 &&
		   pattern == NULL) {
		hc_error_set_at(file->display, hc_file_line(file, node),
				"include() without file=: hardctl does not "
				"judge included text");
		error = hc_error_set_code(HC_EINVALID);
	}
	if (error == 0 && pattern && strcmp(label, "include") == 0) {
		hc_buf_clear(&path);
		if ((error = hc_buf_printf(&path, "%s/mode", node)) == 0)
			error = hc_file_get(&mode, file, path.ptr);
	}
	if (error == 0 && pattern && pattern[0])
		error = read_include(
		    c, ctx, pattern, file, node,
		    mode && strcasecmp(mode, "abort-if-missing") == 0, depth);
	hc_buf_release(&path);
	return error;
}

/*
 * The top-level lines of FILE in order: selector lines, and in rsyslog
 * files the rest (read_rsyslog_line()).  In syslog.conf, lines under a
 * `!program` or `+host` block apply to some messages only, and count
 * for nothing.
 */
static int read_file(struct config *c, struct hc_ctx *ctx, struct hc_file *file,
		     int depth)
{
	struct hc_strlist top = HC_STRLIST_INIT;
	int error;

	if ((error = hc_file_match(&top, file, "*")) < 0)
		goto out;
	for (size_t i = 0; i < top.n && error == 0; i++) {
		const char *label = hc_file_label(file, top.v[i]);

		if (label && strcmp(label, "entry") == 0)
			error = add_entry(c, file, top.v[i], false);
		else if (label && c->rsyslog)
			error = read_rsyslog_line(c, ctx, file, top.v[i], label,
						  depth);
	}
out:
	hc_strlist_release(&top);
	return error;
}

/*
 * The configuration the host's syslog daemon reads: rsyslog's when
 * /etc/rsyslog.conf exists, else classic syslogd's.  c->main is NULL
 * when there is neither.
 */
/*
 * Whether the file an action names, its symlinks followed inside ROOT
 * as rsyslogd follows them when it opens it, keeps a record (*KEEPS):
 * /var/log/auth.log -> /dev/null does not.  A name that does not exist
 * yet is a file rsyslogd creates; a loop of links, nothing it can open.
 */
static int keeps_after_links(bool *keeps, struct hc_ctx *ctx, const char *path)
{
	struct hc_buf link = HC_BUF_INIT, cur = HC_BUF_INIT, next = HC_BUF_INIT;
	struct stat st;
	int error, hop;

	if ((*keeps = keeps_record(path)) == false || path[0] != '/')
		return 0;
	if ((error = hc_buf_set(&cur, path, strlen(path))) < 0)
		goto out;
	for (hop = 0; *keeps && hop < 40; hop++) {
		const char *slash;

		error = hc_ctx_lstat(&st, ctx, hc_buf_cstr(&cur));
		if (error == HC_ENOTFOUND) {
			hc_error_clear();
			error = 0;
			break;
		}
		if (error < 0 || !S_ISLNK(st.st_mode))
			break;
		hc_buf_clear(&link);
		if ((error = hc_ctx_readlink(&link, ctx, hc_buf_cstr(&cur))) <
		    0)
			break;
		hc_buf_clear(&next);
		slash = strrchr(hc_buf_cstr(&cur), '/');
		if (hc_buf_cstr(&link)[0] != '/' &&
		    (error = hc_buf_put(&next, cur.ptr,
					(size_t)(slash - cur.ptr) + 1)) < 0)
			break;
		if ((error = hc_buf_put(&next, link.ptr, link.size)) < 0 ||
		    (error = hc_buf_set(&cur, next.ptr, next.size)) < 0)
			break;
		*keeps = keeps_record(hc_buf_cstr(&cur));
	}
	if (error == 0 && hop == 40)
		*keeps = false;
out:
	hc_buf_release(&link);
	hc_buf_release(&cur);
	hc_buf_release(&next);
	return error;
}

static int config_read(struct config *c, struct hc_ctx *ctx)
{
	int error;

	memset(c, 0, sizeof(*c));
	if ((error = rsyslog_file(&c->main, ctx, RSYSLOG_CONF,
				  HC_FILE_OPTIONAL)) < 0)
		return error;
	c->rsyslog = c->main != NULL;
	if (c->main == NULL &&
	    (error = hc_ctx_file(&c->main, ctx, SYSLOG_CONF, SYSLOG_LENS,
				 HC_FILE_OPTIONAL)) < 0)
		return error;
	if (c->main == NULL || (error = read_file(c, ctx, c->main, 0)) < 0)
		return error;
	for (size_t i = 0; i < c->n && error == 0; i++) {
		bool keeps;

		if (c->v[i].local &&
		    (error = keeps_after_links(&keeps, ctx, c->v[i].local)) ==
			0 &&
		    !keeps)
			c->v[i].local = NULL;
	}
	return error;
}

static bool level_matches(const struct selector *s, int pri)
{
	unsigned int cmp = s->cmp ? s->cmp : CMP_EQ | CMP_GT;

	if (s->all)
		return true;
	if (s->level < 0)
		return false;
	/* Greater means more severe: a smaller number. */
	return ((cmp & CMP_LT) && pri > s->level) ||
	       ((cmp & CMP_EQ) && pri == s->level) ||
	       ((cmp & CMP_GT) && pri < s->level);
}

/* Whether E's selectors take a message of facility bit FAC at priority PRI. */
static bool selects(const struct entry *e, uint32_t fac, int pri)
{
	bool on = false;

	for (size_t i = 0; i < e->nsel; i++) {
		const struct selector *s = &e->sel[i];

		if (!(s->facilities & fac))
			continue;
		if (s->none)
			on = false;
		else if (level_matches(s, pri))
			on = !s->negate;
	}
	return on;
}

typedef bool (*taker)(const struct entry *e, const char *want);

static bool takes_local(const struct entry *e, const char *want)
{
	(void)want;
	return e->local != NULL;
}

static bool takes_remote(const struct entry *e, const char *want)
{
	for (size_t i = 0; i < e->remotes.n; i++)
		if (strcasecmp(e->remotes.v[i], want) == 0)
			return true;
	return false;
}

/*
 * The first entry through which a message of facility FAC at priority
 * PRI reaches an action TAKES accepts, in reading order, minding the
 * discards above it; NULL if none does, with *LOST the line that
 * discards it (or may: a filter hardctl cannot judge), NULL when no
 * line takes it at all.  A filter that may not match delivers nothing
 * for sure; one that takes the message before its discard loses none.
 */
static const struct entry *route(const struct entry **lost,
				 const struct config *c, uint32_t fac, int pri,
				 taker takes, const char *want)
{
	*lost = NULL;
	for (size_t i = 0; i < c->n; i++) {
		const struct entry *e = &c->v[i];

		if (!selects(e, fac, pri))
			continue;
		if (takes(e, want)) {
			if (e->maybe)
				continue;
			return e;
		}
		if (e->discard) {
			*lost = e;
			return NULL;
		}
	}
	return NULL;
}

/*
 * The first line, in reading order, that discards (or may discard) a
 * message of FACS from priority LEAST up before it reaches an action
 * TAKES accepts; NULL if none does.
 */
static const struct entry *first_loss(const struct config *c, uint32_t facs,
				      int least, taker takes, const char *want)
{
	const struct entry *first = NULL;

	for (uint32_t fac = 1; fac; fac <<= 1) {
		for (int pri = 0; (facs & fac) && pri <= least; pri++) {
			const struct entry *lost;

			if (route(&lost, c, fac, pri, takes, want) == NULL &&
			    lost && (first == NULL || lost < first))
				first = lost;
		}
	}
	return first;
}

static const char *facility_name(uint32_t fac)
{
	for (size_t i = 0;
	     i < sizeof(facility_names) / sizeof(facility_names[0]); i++)
		if (fac == 1u << facility_names[i].bit)
			return facility_names[i].name;
	return "?";
}

/* Why a message of FAC at PRI is lost at LOST (NULL: no line takes it). */
static int lost_why(struct hc_buf *out, const struct entry *lost, uint32_t fac,
		    int pri, const char *lost_how)
{
	int error = hc_buf_printf(out, "%s.%s messages %s", facility_name(fac),
				  priority_names[pri], lost_how);

	if (error < 0 || lost == NULL)
		return error;
	if (lost->maybe)
		return hc_buf_printf(
		    out,
		    ": the property filter %s discards what it matches, "
		    "and hardctl cannot prove it matches none of them",
		    lost->text);
	return hc_buf_printf(out, ": %s discards them first",
			     lost->filter ? lost->text : "this line");
}

/* Fail OUT: messages of FAC at PRI are lost at LOST (NULL: no line takes them).
 */
static int fail_lost(struct hc_finding *out, const struct config *c,
		     const struct entry *lost, uint32_t fac, int pri,
		     const char *lost_how, const char *expected)
{
	struct hc_buf found = HC_BUF_INIT;
	int error;

	if ((error = lost_why(&found, lost, fac, pri, lost_how)) == 0)
		error = hc_finding_fail(
		    out, lost ? lost->file->path : c->main->path,
		    lost ? hc_file_line(lost->file, lost->node) : 0, found.ptr,
		    expected);
	hc_buf_release(&found);
	return error;
}

/*
 * Whether every message of the facilities FACS, from priority LEAST up,
 * reaches an action TAKES accepts.  Evidence: the line taking each
 * facility, or the first message that gets lost, at the line that
 * discards it.
 */
static int judge(struct hc_finding *out, const struct config *c, uint32_t facs,
		 int least, taker takes, const char *want, const char *lost_how,
		 const char *expected)
{
	struct hc_buf found = HC_BUF_INIT;
	int error = 0;

	for (uint32_t fac = 1; fac && error == 0; fac <<= 1) {
		const struct entry *first = NULL, *lost = NULL;
		int lost_pri = -1;

		if (!(facs & fac))
			continue;
		for (int pri = 0; pri <= least; pri++) {
			const struct entry *e =
			    route(&lost, c, fac, pri, takes, want);

			if (e == NULL) {
				lost_pri = pri;
				break;
			}
			if (first == NULL)
				first = e;
		}
		hc_buf_clear(&found);
		if (lost_pri >= 0) {
			error = fail_lost(out, c, lost, fac, lost_pri, lost_how,
					  expected);
			break;
		}
		/* One line of evidence for a rule over every facility. */
		if (facs == FAC_ALL && fac != 1)
			continue;
		if ((error = hc_buf_printf(
			 &found, "%s -> %s",
			 facs == FAC_ALL ? "*.*" : facility_name(fac),
			 takes == takes_local ? first->local : want)) == 0)
			error = hc_finding_evidence(
			    out, first->file->path,
			    hc_file_line(first->file, first->node), found.ptr,
			    NULL);
	}
	hc_buf_release(&found);
	return error;
}

/* A forwarding target as syslog.conf writes it: [@|@@]HOST[:PORT]. */
struct remote {
	const char *proto; /* "@" UDP, "@@" TCP (rsyslog only) */
	char host[256];
	char port[6];  /* "" when not given: 514 */
	char key[272]; /* as struct entry's remotes hold it */
};

static int parse_remote(struct remote *r, const char *value,
			const struct hc_rule *rule)
{
	const char *host = value + strspn(value, "@"), *end;
	size_t n = (size_t)(host - value), len;

	memset(r, 0, sizeof(*r));
	r->proto = n == 2 ? "@@" : "@";
	end = host[0] == '[' ? strchr(host, ']') : NULL;
	end = end ? end + 1 : host + strcspn(host, ":");
	len = (size_t)(end - host);
	if (n > 2 || len == 0 || len >= sizeof(r->host) ||
	    strspn(host, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0"
			 "123456789.-[]:") < len ||
	    (*end && (end[0] != ':' || strlen(end + 1) >= sizeof(r->port) ||
		      strspn(end + 1, "0123456789") != strlen(end + 1) ||
		      !end[1] || atoi(end + 1) < 1 || atoi(end + 1) > 65535))) {
		hc_error_set(
		    "%s: parameter loghost: '%s' is not [@|@@]HOST[:PORT]",
		    rule->id, value);
		return HC_EINVALID;
	}
	memcpy(r->host, host, len);
	if (*end)
		snprintf(r->port, sizeof(r->port), "%s", end + 1);
	snprintf(r->key, sizeof(r->key), "%s%s:%s", r->proto, r->host,
		 r->port[0] ? r->port : "514");
	return 0;
}

static int auth_check(struct hc_finding *out, struct hc_ctx *ctx,
		      const struct hc_rule *rule)
{
	struct hc_buf expected = HC_BUF_INIT;
	struct config c;
	int error;

	if ((error = config_read(&c, ctx)) < 0)
		goto out;
	if (c.main == NULL) {
		error = hc_finding_na(out, "neither %s nor %s", RSYSLOG_CONF,
				      SYSLOG_CONF);
		goto out;
	}
	if ((error = hc_buf_printf(&expected,
				   "auth,authpriv.* to a local file (%s)",
				   hc_ctx_param(ctx, rule, "file"))) == 0)
		error = judge(out, &c, FAC_AUTH | FAC_AUTHPRIV, PRI_INFO,
			      takes_local, NULL, "reach no local file",
			      expected.ptr);
out:
	hc_buf_release(&expected);
	config_release(&c);
	return error;
}

/* N/A without a log host; classic syslogd forwards over UDP only. */
static int loghost_want(struct remote *r, struct hc_finding *out,
			const struct config *c, struct hc_ctx *ctx,
			const struct hc_rule *rule)
{
	const char *value = hc_ctx_param(ctx, rule, "loghost");
	int error;

	memset(r, 0, sizeof(*r));
	if (value[0] == '\0')
		return out ? hc_finding_na(out, "no log host in the profile "
						"(parameter loghost)")
			   : 0;
	if ((error = parse_remote(r, value, rule)) < 0)
		return error;
	if (c->main == NULL)
		return out ? hc_finding_na(out, "neither %s nor %s",
					   RSYSLOG_CONF, SYSLOG_CONF)
			   : 0;
	if (!c->rsyslog && strcmp(r->proto, "@@") == 0) {
		hc_error_set_at(c->main->display, 0,
				"classic syslogd forwards over UDP only; "
				"loghost '%s' needs rsyslog",
				value);
		return HC_EINVALID;
	}
	return 1;
}

static int loghost_check(struct hc_finding *out, struct hc_ctx *ctx,
			 const struct hc_rule *rule)
{
	struct hc_buf expected = HC_BUF_INIT;
	struct remote r;
	struct config c;
	int error;

	if ((error = config_read(&c, ctx)) < 0 ||
	    (error = loghost_want(&r, out, &c, ctx, rule)) <= 0)
		goto out;
	if ((error = hc_buf_printf(&expected, "*.* %s%s%s%s", r.proto, r.host,
				   r.port[0] ? ":" : "", r.port)) == 0)
		error = judge(out, &c, FAC_ALL, NPRI - 1, takes_remote, r.key,
			      "are not forwarded there", expected.ptr);
out:
	hc_buf_release(&expected);
	config_release(&c);
	return error;
}

/*
 * The file new lines go to: rsyslog's drop-in when the main file reads
 * it (and /etc/rsyslog.d exists), else the main file.  *AT: where a
 * line added there sits among c->v.
 */
static int target(struct hc_file **out, size_t *at, struct hc_ctx *ctx,
		  const struct config *c)
{
	struct stat st;
	int error;

	*out = c->main;
	*at = c->n;
	if (!c->rsyslog || !c->includes_dropin)
		return 0;
	if ((error = hc_ctx_lstat(&st, ctx, "/etc/rsyslog.d")) ==
	    HC_ENOTFOUND) {
		hc_error_clear();
		return 0;
	}
	if (error < 0 || !S_ISDIR(st.st_mode))
		return error;
	*at = c->dropin_at;
	return rsyslog_file(out, ctx, RSYSLOG_DROPIN, HC_FILE_CREATE);
}

/*
 * Start a new entry where syslogd reads it for every message: before
 * the first `!program` or `+host` block (and, in syslog.conf, its
 * `include` lines), else at the end.  It carries a scratch label until
 * entry_done().
 */
static int entry_new(struct hc_file *file)
{
	struct hc_strlist top = HC_STRLIST_INIT;
	const char *block = NULL;
	int error;

	if ((error = hc_file_match(&top, file, "*")) < 0)
		goto out;
	for (size_t i = 0; i < top.n && !block; i++) {
		const char *label = hc_file_label(file, top.v[i]);

		if (label && (strcmp(label, "program") == 0 ||
			      strcmp(label, "hostname") == 0 ||
			      (strcmp(label, "include") == 0 &&
			       strcmp(file->lens, SYSLOG_LENS) == 0)))
			block = top.v[i];
	}
	error = block ? hc_file_insert(file, block, NEW_ENTRY, true)
		      : hc_file_set(file, NEW_ENTRY, NULL);
out:
	hc_strlist_release(&top);
	return error;
}

/*
 * Start a new entry where it routes the messages before LOSS, the
 * first line that discards (or may discard) some of them: in the usual
 * file (target()) when rsyslog reads it there first, else just above
 * LOSS, in LOSS's file.  *OUT: the file the entry is in.
 */
static int entry_place(struct hc_file **out, struct hc_ctx *ctx,
		       const struct config *c, const struct entry *loss)
{
	size_t at;
	int error;

	if ((error = target(out, &at, ctx, c)) < 0 || *out == NULL)
		return error;
	if (loss == NULL || at <= (size_t)(loss - c->v))
		return entry_new(*out);
	*out = loss->file;
	return hc_file_insert(loss->file, loss->node, NEW_ENTRY, true);
}

static int entry_done(struct hc_file *file)
{
	return hc_file_rename(file, NEW_ENTRY, "entry");
}

/*
 * After an edit, read the configuration again: every message of FACS
 * from LEAST up must reach an action TAKES accepts, or apply refuses
 * and names the line that still loses them.
 */
static int verify(struct hc_ctx *ctx, uint32_t facs, int least, taker takes,
		  const char *want)
{
	struct hc_buf why = HC_BUF_INIT;
	struct config c;
	int error;

	if ((error = config_read(&c, ctx)) < 0)
		goto out;
	for (uint32_t fac = 1; fac && error == 0; fac <<= 1) {
		for (int pri = 0; (facs & fac) && pri <= least && error == 0;
		     pri++) {
			const struct entry *lost;

			if (route(&lost, &c, fac, pri, takes, want) != NULL)
				continue;
			if ((error = lost_why(
				 &why, lost, fac, pri,
				 "would still reach no action it needs")) < 0)
				break;
			hc_error_set_at(
			    lost ? lost->file->display : c.main->display,
			    lost ? hc_file_line(lost->file, lost->node) : 0,
			    "refused: with the line apply adds, %s (a line "
			    "that "
			    "delivers only as a fallback, say)",
			    why.ptr);
			error = hc_error_set_code(HC_EINVALID);
		}
	}
out:
	hc_buf_release(&why);
	config_release(&c);
	return error;
}

static int auth_remediate(struct hc_ctx *ctx, const struct hc_rule *rule)
{
	struct hc_file *file;
	struct config c;
	int error;

	if ((error = config_read(&c, ctx)) < 0 ||
	    (error = entry_place(&file, ctx, &c,
				 first_loss(&c, FAC_AUTH | FAC_AUTHPRIV,
					    PRI_INFO, takes_local, NULL))) <
		0 ||
	    file == NULL)
		goto out;
	if ((error = hc_file_set(file, NEW_ENTRY "/selector/facility[1]",
				 "auth")) < 0 ||
	    (error = hc_file_set(file, NEW_ENTRY "/selector/facility[2]",
				 "authpriv")) < 0 ||
	    (error = hc_file_set(file, NEW_ENTRY "/selector/level", "*")) < 0 ||
	    (error = hc_file_set(file, NEW_ENTRY "/action/file",
				 hc_ctx_param(ctx, rule, "file"))) < 0 ||
	    (error = entry_done(file)) < 0)
		goto out;
	error =
	    verify(ctx, FAC_AUTH | FAC_AUTHPRIV, PRI_INFO, takes_local, NULL);
out:
	config_release(&c);
	return error;
}

/* Make a line that forwards only to the log host take every message. */
static int widen(struct hc_file *file, const char *node)
{
	struct hc_buf path = HC_BUF_INIT;
	int error;

	if ((error = hc_buf_printf(&path, "%s/selector[position() > 1]",
				   node)) < 0 ||
	    (error = hc_file_rm(file, path.ptr)) < 0)
		goto out;
	hc_buf_clear(&path);
	if ((error = hc_buf_printf(&path, "%s/selector/*", node)) < 0 ||
	    (error = hc_file_rm(file, path.ptr)) < 0)
		goto out;
	hc_buf_clear(&path);
	if ((error = hc_buf_printf(&path, "%s/selector/facility", node)) < 0 ||
	    (error = hc_file_set(file, path.ptr, "*")) < 0)
		goto out;
	hc_buf_clear(&path);
	if ((error = hc_buf_printf(&path, "%s/selector/level", node)) == 0)
		error = hc_file_set(file, path.ptr, "*");
out:
	hc_buf_release(&path);
	return error;
}

static int loghost_remediate(struct hc_ctx *ctx, const struct hc_rule *rule)
{
	const struct entry *loss;
	struct hc_file *file;
	struct remote r;
	struct config c;
	int error;

	if ((error = config_read(&c, ctx)) < 0 ||
	    (error = loghost_want(&r, NULL, &c, ctx, rule)) <= 0)
		goto out;
	loss = first_loss(&c, FAC_ALL, NPRI - 1, takes_remote, r.key);
	/*
	 * A selector line already forwarding part of the traffic there,
	 * before any line that discards some, takes it all.
	 */
	for (size_t i = 0; i < c.n && (loss == NULL || &c.v[i] < loss); i++) {
		const struct entry *e = &c.v[i];
		const char *label = hc_file_label(e->file, e->node);

		if (label && strcmp(label, "entry") == 0 && e->remotes.n == 1 &&
		    !e->local && !e->discard && takes_remote(e, r.key)) {
			if ((error = widen(e->file, e->node)) == 0)
				error = verify(ctx, FAC_ALL, NPRI - 1,
					       takes_remote, r.key);
			goto out;
		}
	}
	if ((error = entry_place(&file, ctx, &c, loss)) < 0 || file == NULL ||
	    (error = hc_file_set(file, NEW_ENTRY "/selector/facility", "*")) <
		0 ||
	    (error = hc_file_set(file, NEW_ENTRY "/selector/level", "*")) < 0 ||
	    (error = hc_file_set(file, NEW_ENTRY "/action/protocol", r.proto)) <
		0 ||
	    (error = hc_file_set(file, NEW_ENTRY "/action/hostname", r.host)) <
		0 ||
	    (r.port[0] && (error = hc_file_set(file, NEW_ENTRY "/action/port",
					       r.port)) < 0) ||
	    (error = entry_done(file)) < 0)
		goto out;
	error = verify(ctx, FAC_ALL, NPRI - 1, takes_remote, r.key);
out:
	config_release(&c);
	return error;
}

static const char *const syslog_files[] = {
    RSYSLOG_CONF,
    "/etc/rsyslog.d/*.conf",
    SYSLOG_CONF,
    NULL,
};

/* The loghost parameter, judged when the profile loads. */
static int loghost_valid(const char *value)
{
	static const struct hc_rule self = {.id = "syslog.loghost"};
	struct remote r;

	if (value[0] == '\0' || parse_remote(&r, value, &self) == 0)
		return 0;
	hc_error_set(
	    "'%s' is not [@|@@]HOST[:PORT] (HOST: letters, digits, '.', '-', "
	    "or [IPv6]; PORT: 1 to 65535)",
	    value);
	return hc_error_set_code(HC_EINVALID);
}

static const struct hc_rule rules[] = {
    {
	.id = "syslog.auth-local",
	.title = "auth and authpriv messages are written to a local file",
	.severity = HC_CAT_II,
	.rationale =
	    "Logins, su and sudo, and the failures among them, are the "
	    "first thing an incident review reads; they must be kept on "
	    "the host, at info level and above, whichever file of the "
	    "configuration routes them.",
	.refs = (const char *const[]){"RHEL 8 STIG V-230228", NULL},
	.params =
	    (const struct hc_param[]){
		{"file", HC_PARAM_PATH, "/var/log/auth.log",
		 "the file a line added for them writes to",
		 &(const struct hc_valid){.kind = HC_VALID_WORDS,
					  .min = 1,
					  .max = 1,
					  .word_bytes = "/._+-@,:%~=",
					  .allowed =
					      "one path, without spaces"}},
		{NULL, HC_PARAM_STRING, NULL, NULL, NULL},
	    },
	.owns = (const char *const[]){"syslog:auth", NULL},
	.files = syslog_files,
	.check = auth_check,
	.remediate = auth_remediate,
    },
    {
	.id = "syslog.loghost",
	.title = "all messages are forwarded to the log host",
	.severity = HC_CAT_II,
	.rationale =
	    "An intruder with root edits local logs; a copy on another "
	    "host survives.  Not applicable until the profile names the "
	    "log host.",
	.refs = (const char *const[]){"RHEL 8 STIG V-230479", NULL},
	.params =
	    (const struct hc_param[]){
		{"loghost", HC_PARAM_STRING, "",
		 "[@|@@]HOST[:PORT] as syslog.conf writes it: @ UDP, @@ TCP "
		 "(rsyslog only); empty: the rule does not apply",
		 &(const struct hc_valid){.kind = HC_VALID_FN,
					  .fn = loghost_valid,
					  .allowed = "[@|@@]HOST[:PORT]"}},
		{NULL, HC_PARAM_STRING, NULL, NULL, NULL},
	    },
	.owns = (const char *const[]){"syslog:forward", NULL},
	.files = syslog_files,
	.check = loghost_check,
	.remediate = loghost_remediate,
    },
    {.id = NULL},
};

/* Whether the SIZE bytes at P start with the parameter NAME and '='. */
static size_t param_at(const char *p, size_t size, const char *name)
{
	size_t n = strlen(name), i;

	if (size < n || strncasecmp(p, name, n) != 0)
		return 0;
	for (i = n; i < size && (p[i] == ' ' || p[i] == '\t'); i++)
		;
	return i < size && p[i] == '=' ? i + 1 : 0;
}

/* The value at P (END bounds it) into *START, *LEN: quoted, or one word. */
static bool param_value(const char **start, size_t *len, const char *p,
			const char *end)
{
	char quote = 0;

	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	if (p < end && (*p == '"' || *p == '\''))
		quote = *p++;
	for (*start = p; p < end; p++) {
		if (quote && *p == '\\' && p + 1 < end)
			p++;
		else if (quote ? *p == quote : strchr(" \t);", *p) != NULL)
			break;
	}
	*len = (size_t)(p - *start);
	return *len > 0;
}

/* The fourth field of ":ommysql:server,db,user,PASSWORD;template" at P. */
static bool legacy_password(const char **start, size_t *len, const char *p,
			    const char *end)
{
	size_t commas = 0;

	for (; p < end && commas < 3; p++)
		commas += *p == ',';
	*start = p;
	while (p < end && *p != ';' && *p != ' ' && *p != '\t')
		p++;
	*len = (size_t)(p - *start);
	return commas == 3 && *len > 0;
}

/*
 * The password of an rsyslog output in LINE: a RainerScript action's
 * pwd="..." or password="..." (ommysql, ompgsql, omelasticsearch,
 * omhttp, omrabbitmq: names are case-blind), or the legacy
 * ":ommysql:server,db,user,PASSWORD;template" (and ompgsql's).
 */
static bool rsyslog_line_secret(const char **start, size_t *len,
				const char *line, size_t size)
{
	const char *end = line + size;

	for (const char *p = line; p < end; p++) {
		size_t at;

		if (p > line && (isalnum((unsigned char)p[-1]) ||
				 p[-1] == '_' || p[-1] == '.'))
			continue;
		if ((at = param_at(p, (size_t)(end - p), "pwd")) != 0 ||
		    (at = param_at(p, (size_t)(end - p), "password")) != 0)
			return param_value(start, len, p + at, end);
		if (end - p > 9 && (strncmp(p, ":ommysql:", 9) == 0 ||
				    strncmp(p, ":ompgsql:", 9) == 0))
			return legacy_password(start, len, p + 9, end);
	}
	return false;
}

const struct hc_module hc_module_syslog = {
    .version = HC_MODULE_VERSION,
    .name = "syslog",
    .description = "system logging (rsyslog, classic syslogd)",
    .rules = rules,
    /* The files hardctl edits for rsyslog, and the syslog.conf it reads. */
    .secrets =
	(const struct hc_line_secret[]){
	    {"*syslog*", rsyslog_line_secret},
	    {NULL, NULL},
	},
};
