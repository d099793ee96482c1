/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * sshd_config lookups and edits shared by the modules that set sshd
 * keywords (see sshd_config.h).
 */
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include "hardctl/aug.h"
#include "hardctl/ctx.h"
#include "hardctl/file.h"
#include "hardctl/finding.h"
#include "hardctl/module.h"
#include "sshd_config.h"

/* sshd itself refuses Include nesting deeper than 16. */
#define MAX_INCLUDE_DEPTH 16

struct walk {
	struct hc_ctx *ctx;
	const char *keyword; /* the one looked up into OUT, or */
	struct sshd_value *out;
	struct sshd_lines *lines; /* every line, with LINES non-NULL */
	bool match;               /* a Match block was met */
	struct sshd_seen
	    seen;     /* "depth:path" of each file walked, and its count */
	size_t reads; /* files sshd reads, each Include counted */
};

/* FNV-1a: the seen set's hash. */
static size_t hash_str(const char *s)
{
	size_t h = 2166136261u;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

/* KEY's slot in SET (which has room): where it is, or the free slot it would
 * take. */
static size_t slot(const struct sshd_seen *set, const char *key)
{
	size_t i;

	for (i = hash_str(key) & (set->cap - 1); set->v[i];
	     i = (i + 1) & (set->cap - 1))
		if (strcmp(set->v[i], key) == 0)
			break;
	return i;
}

int sshd_seen_add(bool *added, struct sshd_seen *set, const char *key)
{
	size_t i;

	*added = false;
	if (2 * (set->n + 1) > set->cap) {
		size_t cap = set->cap ? 2 * set->cap : 64, oldcap = set->cap;
		char **v = calloc(cap, sizeof(*v)), **oldv = set->v;
		size_t *count = calloc(cap, sizeof(*count)),
		       *oldcount = set->count;

		if (v == NULL || count == NULL) {
			free(v);
			free(count);
			return hc_error_oom();
		}
		set->v = v;
		set->count = count;
		set->cap = cap;
		for (size_t j = 0; j < oldcap; j++) {
			if (oldv[j] == NULL)
				continue;
			i = slot(set, oldv[j]);
			set->v[i] = oldv[j];
			set->count[i] = oldcount[j];
		}
		free(oldv);
		free(oldcount);
	}
	if (set->v[i = slot(set, key)] != NULL)
		return 0;
	if ((set->v[i] = hc_strdup(key)) == NULL)
		return HC_ERROR;
	set->count[i] = 0;
	set->n++;
	*added = true;
	return 0;
}

size_t *sshd_seen_count(struct sshd_seen *set, const char *key)
{
	size_t i;

	if (set->cap == 0 || set->v[i = slot(set, key)] == NULL)
		return NULL;
	return &set->count[i];
}

void sshd_seen_release(struct sshd_seen *set)
{
	for (size_t i = 0; i < set->cap; i++)
		free(set->v[i]);
	free(set->v);
	free(set->count);
	memset(set, 0, sizeof(*set));
}

/*
 * Read the Include argument at *POS (before END) into WORD as sshd's
 * argv_split does, leaving *POS after it and UNCLOSED holding a quote the
 * argument left unclosed (0 when none).
 */
static int include_word(struct hc_buf *word, char *unclosed, const char **pos,
			const char *end)
{
	const char *s = *pos;
	char quote = 0;
	int error = 0;

	hc_buf_clear(word);
	for (; s < end; s++) {
		char c = *s;

		if (c == '\\' && s + 1 < end &&
		    (s[1] == '\'' || s[1] == '"' || s[1] == '\\' ||
		     (!quote && s[1] == ' ')))
			c = *++s;
		else if (!quote && (c == ' ' || c == '\t'))
			break;
		else if (!quote && (c == '"' || c == '\'')) {
			quote = c;
			continue;
		} else if (quote && c == quote) {
			quote = 0;
			continue;
		}
		if ((error = hc_buf_put(word, &c, 1)) < 0)
			break;
	}
	*pos = s;
	*unclosed = quote;
	return error;
}

/*
 * Split an Include line's arguments as sshd does (its argv_split): words
 * between blanks, "..." and '...' quote blanks, a backslash escapes a
 * quote, a backslash or (outside quotes) a blank, and a word that starts
 * with # ends the line.  HC_EPARSE at FILE:LINE on an unclosed quote or
 * an empty argument, which sshd refuses too.
 */
int sshd_include_args(struct hc_strlist *out, const char *args,
		      const char *file, unsigned int line)
{
	struct hc_buf word = HC_BUF_INIT;
	size_t len = strlen(args);
	const char *s = args;
	int error = 0;

	/* sshd drops trailing blanks, CR and FF before it splits. */
	while (len > 0 && strchr(" \t\r\n\f", args[len - 1]))
		len--;
	while (s < args + len && error == 0) {
		char quote = 0;

		if (*s == ' ' || *s == '\t') {
			s++;
			continue;
		}
		if (*s == '#')
			break;
		if ((error = include_word(&word, &quote, &s, args + len)) < 0)
			goto out;
		if (quote) {
			hc_error_set_at(
			    file, line,
			    "Include argument has an unclosed %c quote", quote);
			error = hc_error_set_code(HC_EPARSE);
			goto out;
		}
		if (word.size == 0) {
			/* sshd: "keyword Include empty argument". */
			hc_error_set_at(file, line,
					"Include has an empty argument");
			error = hc_error_set_code(HC_EPARSE);
			goto out;
		}
		error = hc_strlist_push(out, hc_buf_cstr(&word));
	}
out:
	hc_buf_release(&word);
	return error;
}

/* The words of a keyword's line: its value, or the lens's numbered children. */
static int line_words(struct hc_strlist *out, struct hc_file *file,
		      const char *node, const char *value)
{
	struct hc_strlist words = HC_STRLIST_INIT;
	struct hc_buf pattern = HC_BUF_INIT;
	char *copy, *word, *save = NULL;
	int error = 0;

	if (value) {
		if ((copy = hc_strdup(value)) == NULL)
			return HC_ERROR;
		for (word = strtok_r(copy, " \t", &save); word && error == 0;
		     word = strtok_r(NULL, " \t", &save))
			error = hc_strlist_push(out, word);
		free(copy);
		return error;
	}
	if ((error = hc_buf_printf(&pattern, "%s/*", node)) < 0 ||
	    (error = hc_file_match(&words, file, pattern.ptr)) < 0)
		goto out;
	for (size_t i = 0; i < words.n && error == 0; i++) {
		const char *w;

		if ((error = hc_file_get(&w, file, words.v[i])) == 0 && w)
			error = hc_strlist_push(out, w);
	}
out:
	hc_buf_release(&pattern);
	hc_strlist_release(&words);
	return error;
}

static int walk_file(struct walk *w, struct hc_file *file, unsigned int depth);

/* A file sshd reads: none is installed before sshd -t accepts the whole. */
static int sshd_file(struct hc_file **out, struct hc_ctx *ctx, const char *path,
		     unsigned int flags)
{
	int error = hc_ctx_file(out, ctx, path, SSHD_LENS, flags);

	if (error == 0 && *out) {
		(*out)->render_lens = SSHD_DROPIN_LENS;
		(*out)->validate = sshd_validate;
		(*out)->validate_start = sshd_validate_start;
	}
	return error;
}

int sshd_include_pattern(struct hc_buf *out, const char *arg)
{
	hc_buf_clear(out);
	if (arg[0] == '/')
		return hc_buf_puts(out, arg);
	/*
	 * sshd leaves an argument starting with '~' alone and expands no
	 * tilde: it names a path under its working directory, which is /.
	 */
	if (arg[0] == '~')
		return hc_buf_printf(out, "/%s", arg);
	return hc_buf_printf(out, "/etc/ssh/%s", arg);
}

/* Whether the plan removes PATH, which the glob still finds on disk. */
static bool planned_gone(struct hc_ctx *ctx, const char *path)
{
	struct hc_file *file = hc_ctx_loaded(ctx, path);

	return file && file->removed;
}

/*
 * Walk PATH, which an Include at FROM:LINE (at DEPTH) matches, counting
 * the files sshd reads there against SSHD_MAX_INCLUDES.
 */
static int walk_included(struct walk *w, const struct hc_file *from,
			 unsigned int line, const char *path,
			 unsigned int depth)
{
	struct hc_buf key = HC_BUF_INIT;
	struct hc_file *inc;
	size_t before = w->reads, *count;
	bool added;
	int error;

	/*
	 * A file walked already at this depth adds nothing the
	 * first walk did not find but its count of files sshd
	 * reads again: the walk stays linear however wide the
	 * globs fan out (sshd's own reading does not), and a
	 * file including itself still meets the depth limit.
	 */
	if ((error = hc_buf_printf(&key, "%u:%s", depth + 1, path)) < 0 ||
	    (error = sshd_seen_add(&added, &w->seen, key.ptr)) < 0)
		goto out;
	if (!added) {
		count = sshd_seen_count(&w->seen, key.ptr);
		w->reads += count ? *count : 1;
	} else {
		w->reads++;
	}
	if (w->reads > SSHD_MAX_INCLUDES) {
		hc_error_set_at(from->display, line,
				"Include makes sshd read more than %d files",
				SSHD_MAX_INCLUDES);
		error = hc_error_set_code(HC_EINVALID);
		goto out;
	}
	if (!added)
		goto out;
	error = sshd_file(&inc, w->ctx, path, 0);
	if (error == HC_ENOTFOUND && !planned_gone(w->ctx, path)) {
		/* A name the glob found that will not open: sshd exits. */
		hc_error_set_at(from->display, line,
				"Include matches %s, which sshd cannot open",
				path);
		error = hc_error_set_code(HC_EINVALID);
		goto out;
	} else if (error == HC_ENOTFOUND) {
		hc_error_clear();
		error = 0;
	} else if (error < 0 || (error = walk_file(w, inc, depth + 1)) < 0) {
		goto out;
	}
	if ((count = sshd_seen_count(&w->seen, key.ptr)) != NULL)
		*count = w->reads - before;
out:
	hc_buf_release(&key);
	return error;
}

static int walk_include(struct walk *w, struct hc_file *from, const char *node,
			const char *args, unsigned int depth)
{
	struct hc_buf pattern = HC_BUF_INIT;
	struct hc_strlist paths = HC_STRLIST_INIT, argv = HC_STRLIST_INIT;
	unsigned int line = hc_file_line(from, node);
	int error;

	if (depth >= MAX_INCLUDE_DEPTH) {
		hc_error_set_at(from->display, line,
				"Include nested deeper than %d",
				MAX_INCLUDE_DEPTH);
		return hc_error_set_code(HC_EINVALID);
	}
	if ((error = sshd_include_args(&argv, args, from->display, line)) < 0)
		goto out;
	for (size_t a = 0; a < argv.n; a++) {
		hc_strlist_release(&paths);
		if ((error = sshd_include_pattern(&pattern, argv.v[a])) < 0 ||
		    (error = hc_ctx_glob(&paths, w->ctx, pattern.ptr)) < 0)
			goto out;
		for (size_t i = 0; i < paths.n && error == 0; i++)
			error = walk_included(w, from, line, paths.v[i], depth);
		if (error < 0)
			goto out;
	}
out:
	hc_strlist_release(&argv);
	hc_strlist_release(&paths);
	hc_buf_release(&pattern);
	return error;
}

/* Take in line I of FILE (KIDS), which sets the keyword walked for. */
static int walk_keyword(struct walk *w, struct hc_file *file,
			const struct hc_aug_children *kids, size_t i)
{
	char *node = NULL;
	int error;

	/* sshd takes the first value; the walk goes on to count. */
	if (w->out->file)
		return 0;
	if ((error = hc_aug_child_path(&node, kids, i)) < 0)
		return error;
	w->out->node = node;
	w->out->file = file;
	w->out->value = kids->value[i];
	return 0;
}

/* Take in line I of FILE (KIDS), a keyword's, into W's lines. */
static int walk_line(struct walk *w, struct hc_file *file,
		     const struct hc_aug_children *kids, size_t i)
{
	struct sshd_lines *l = w->lines;
	struct sshd_line *line;

	if (l->n == l->alloc) {
		size_t alloc = l->alloc ? 2 * l->alloc : 32;
		struct sshd_line *v = reallocarray(l->v, alloc, sizeof(*v));

		if (v == NULL)
			return hc_error_oom();
		l->v = v;
		l->alloc = alloc;
	}
	line = &l->v[l->n];
	memset(line, 0, sizeof(*line));
	line->keyword = kids->label[i];
	line->value = kids->value[i];
	line->file = file;
	/* Only the words of a line without a value need its node. */
	if (line->value == NULL) {
		int error = hc_aug_child_path(&line->node, kids, i);

		if (error < 0)
			return error;
	}
	l->n++;
	return 0;
}

static int walk_file(struct walk *w, struct hc_file *file, unsigned int depth)
{
	struct hc_aug_children kids;
	char *node = NULL;
	int error;

	if ((error = hc_file_children(&kids, file)) < 0)
		return error;
	for (size_t i = 0; i < kids.n && error == 0; i++) {
		const char *label = kids.label[i], *value = kids.value[i];

		if (label == NULL)
			continue;
		if (strcasecmp(label, "Match") == 0) {
			w->match = true;
			break;
		}
		if (strcasecmp(label, "Include") == 0) {
			if (value &&
			    (error = hc_aug_child_path(&node, &kids, i)) == 0)
				error =
				    walk_include(w, file, node, value, depth);
			free(node);
			node = NULL;
		} else if (w->lines) {
			if (label[0] != '#')
				error = walk_line(w, file, &kids, i);
		} else if (strcasecmp(label, w->keyword) == 0) {
			error = walk_keyword(w, file, &kids, i);
		}
	}
	hc_aug_children_release(&kids);
	return error;
}

/* Walk sshd_config and what it includes, as sshd reads them. */
static int walk_main(struct walk *w)
{
	struct hc_file *main_file;
	int error;

	if ((error = sshd_file(&main_file, w->ctx, SSHD_CONFIG, 0)) == 0)
		error = walk_file(w, main_file, 0);
	sshd_seen_release(&w->seen);
	return error;
}

/* sshd_lookup() without the host sshd's verdict: what edits build on. */
static int lookup(struct sshd_value *out, struct hc_ctx *ctx,
		  const char *keyword)
{
	struct walk w = {ctx, keyword, out, NULL, false, {0}, 0};
	int error;

	memset(out, 0, sizeof(*out));
	if ((error = walk_main(&w)) < 0)
		sshd_value_release(out);
	return error;
}

/*
 * The host sshd's verdict after WALK_ERROR, the walk of the files sshd
 * reads: its sshd -t, started before the walk, ran beside it.
 */
static int verdict_after(int walk_error, struct hc_ctx *ctx)
{
	if (walk_error < 0) {
		sshd_verdict_abandon();
		return walk_error;
	}
	return sshd_verdict(ctx);
}

int sshd_lookup(struct sshd_value *out, struct hc_ctx *ctx, const char *keyword)
{
	int error;

	sshd_verdict_start(ctx);
	if ((error = verdict_after(lookup(out, ctx, keyword), ctx)) < 0)
		sshd_value_release(out);
	return error;
}

int sshd_lines(struct sshd_lines *out, struct hc_ctx *ctx)
{
	struct sshd_value none = {0};
	struct walk w = {ctx, "", &none, out, false, {0}, 0};
	int error;

	memset(out, 0, sizeof(*out));
	if ((error = walk_main(&w)) < 0) {
		sshd_lines_release(out);
		return error;
	}
	out->match = w.match;
	return 0;
}

const struct sshd_line *sshd_lines_first(const struct sshd_lines *lines,
					 const char *keyword)
{
	for (size_t i = 0; i < lines->n; i++)
		if (strcasecmp(lines->v[i].keyword, keyword) == 0)
			return &lines->v[i];
	return NULL;
}

int sshd_line_words(struct hc_strlist *out, const struct sshd_line *line)
{
	return line_words(out, line->file, line->node, line->value);
}

void sshd_lines_release(struct sshd_lines *lines)
{
	for (size_t i = 0; i < lines->n; i++)
		free(lines->v[i].node);
	free(lines->v);
	memset(lines, 0, sizeof(*lines));
}

void sshd_value_release(struct sshd_value *value)
{
	free(value->node);
	memset(value, 0, sizeof(*value));
}

/*
 * Whether sshd_config includes hardctl's drop-in ahead of any Match,
 * and its directory exists: then a keyword set nowhere goes there.
 */
static int dropin_included(bool *out, struct hc_ctx *ctx,
			   struct hc_file *main_file)
{
	struct hc_strlist nodes = HC_STRLIST_INIT, argv = HC_STRLIST_INIT;
	struct hc_buf pattern = HC_BUF_INIT;
	struct stat st;
	int error;

	*out = false;
	error = hc_ctx_lstat(&st, ctx, "/etc/ssh/sshd_config.d");
	if (error == HC_ENOTFOUND) {
		hc_error_clear();
		return 0;
	}
	if (error < 0 || !S_ISDIR(st.st_mode))
		return error;
	if ((error = hc_file_match(&nodes, main_file, "*")) < 0)
		goto out;
	for (size_t i = 0; i < nodes.n && !*out; i++) {
		const char *label = hc_file_label(main_file, nodes.v[i]);
		const char *value;

		if (label == NULL || strcasecmp(label, "Match") == 0)
			break;
		if (strcasecmp(label, "Include") != 0)
			continue;
		if ((error = hc_file_get(&value, main_file, nodes.v[i])) < 0)
			goto out;
		if (value == NULL)
			continue;
		hc_strlist_release(&argv);
		if ((error = sshd_include_args(
			 &argv, value, main_file->display,
			 hc_file_line(main_file, nodes.v[i]))) < 0)
			goto out;
		for (size_t a = 0; a < argv.n && !*out; a++) {
			if ((error =
				 sshd_include_pattern(&pattern, argv.v[a])) < 0)
				goto out;
			*out = fnmatch(pattern.ptr, SSHD_DROPIN,
				       FNM_PATHNAME | FNM_PERIOD) == 0;
		}
	}
out:
	hc_strlist_release(&argv);
	hc_buf_release(&pattern);
	hc_strlist_release(&nodes);
	return error;
}

/* Whether COMMENT is KEYWORD commented out: "#PermitRootLogin yes". */
static bool comments_out(const char *comment, const char *keyword)
{
	size_t len = strlen(keyword);

	return comment && strncasecmp(comment, keyword, len) == 0 &&
	       (comment[len] == ' ' || comment[len] == '\t');
}

/*
 * Add KEYWORD to sshd_config where an administrator would: after the
 * line that shows it commented out, as Debian's and Red Hat's files do
 * for most keywords; else ahead of the first Match block (a node after
 * it would belong to it, and the Sshd lens refuses to render one
 * there); else at the end.
 */
static int add_to_main(struct hc_file *file, const char *keyword,
		       const char *value)
{
	struct hc_strlist nodes = HC_STRLIST_INIT;
	const char *anchor = NULL;
	bool before = false;
	int error;

	if ((error = hc_file_match(&nodes, file, "*")) < 0)
		goto out;
	for (size_t i = 0; i < nodes.n && !anchor; i++) {
		const char *label = hc_file_label(file, nodes.v[i]);
		const char *comment;

		if (label && strcasecmp(label, "Match") == 0) {
			anchor = nodes.v[i];
			before = true;
		} else if (label && strcmp(label, "#comment") == 0) {
			if ((error = hc_file_get(&comment, file, nodes.v[i])) <
			    0)
				goto out;
			if (comments_out(comment, keyword))
				anchor = nodes.v[i];
		}
	}
	/*
	 * The keyword is set nowhere at the top level (sshd_lookup found
	 * none), so once inserted it is the only node with its label.
	 */
	if (anchor &&
	    (error = hc_file_insert(file, anchor, keyword, before)) < 0)
		goto out;
	error = hc_file_set(file, keyword, value);
out:
	hc_strlist_release(&nodes);
	return error;
}

int sshd_set(struct hc_ctx *ctx, const char *keyword, const char *value)
{
	struct sshd_value cur;
	struct hc_file *main_file, *dropin;
	bool use_dropin;
	int error;

	if ((error = lookup(&cur, ctx, keyword)) < 0)
		return error;
	if (cur.file) {
		error = hc_file_set(cur.file, cur.node, value);
		goto out;
	}
	if ((error = sshd_file(&main_file, ctx, SSHD_CONFIG, 0)) < 0 ||
	    (error = dropin_included(&use_dropin, ctx, main_file)) < 0)
		goto out;
	if (use_dropin) {
		if ((error = sshd_file(&dropin, ctx, SSHD_DROPIN,
				       HC_FILE_CREATE)) < 0)
			goto out;
		error = hc_file_set(dropin, keyword, value);
		goto out;
	}
	error = add_to_main(main_file, keyword, value);
out:
	sshd_value_release(&cur);
	return error;
}

static bool same_value(const struct sshd_setting *s, const char *a,
		       const char *b)
{
	return a && b && (s->nocase ? strcasecmp(a, b) : strcmp(a, b)) == 0;
}

int sshd_setting_check(struct hc_finding *out, struct hc_ctx *ctx,
		       const struct hc_rule *rule)
{
	const struct sshd_setting *s = rule->data;
	const char *want = hc_ctx_param(ctx, rule, s->param);
	struct hc_buf found = HC_BUF_INIT, expected = HC_BUF_INIT;
	struct sshd_value cur;
	int error;

	error = sshd_lookup(&cur, ctx, s->keyword);
	if (error == HC_ENOTFOUND) {
		hc_error_clear();
		return hc_finding_na(out, "no %s: sshd is not configured here",
				     SSHD_CONFIG);
	}
	if (error < 0)
		return error;
	if ((error = hc_buf_printf(&expected, "%s %s", s->keyword, want)) < 0)
		goto out;
	if (cur.file)
		error = hc_buf_printf(&found, "%s %s",
				      hc_file_label(cur.file, cur.node),
				      cur.value ? cur.value : "");
	else
		error = hc_buf_printf(&found, "%s not set (sshd default: %s)",
				      s->keyword, s->sshd_default);
	if (error < 0)
		goto out;
	if (cur.file && same_value(s, cur.value, want))
		error = hc_finding_evidence(out, cur.file->path,
					    hc_file_line(cur.file, cur.node),
					    found.ptr, NULL);
	else
		error = hc_finding_fail(
		    out, cur.file ? cur.file->path : SSHD_CONFIG,
		    cur.file ? hc_file_line(cur.file, cur.node) : 0, found.ptr,
		    expected.ptr);
out:
	hc_buf_release(&found);
	hc_buf_release(&expected);
	sshd_value_release(&cur);
	return error;
}

int sshd_setting_remediate(struct hc_ctx *ctx, const struct hc_rule *rule)
{
	const struct sshd_setting *s = rule->data;

	return sshd_set(ctx, s->keyword, hc_ctx_param(ctx, rule, s->param));
}
