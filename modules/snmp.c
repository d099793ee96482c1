/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * SNMP: no community anyone can guess.  net-snmp's snmpd.conf grants v1
 * and v2c access either directly (rocommunity, rwcommunity and their
 * "6" forms, authcommunity: the community is their first word after
 * the options) or through the older model (com2sec names a community,
 * group puts it in a group, access gives the group read and write
 * views).  Communities are passwords: the files holding them must not
 * be readable by others, and no output of hardctl shows them.
 *
 * snmpd reads more than snmpd.conf (snmplib/read_config.c, net-snmp
 * 5.9.3 as Debian 12 ships it): in each directory of its search path,
 * NAME.conf then NAME.local.conf, and whatever includeFile, includeDir
 * and includeSearch name in them, where they stand.  Every file it
 * reads is judged, and apply fixes a community in the file holding it.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <openssl/rand.h>
#include "hardctl/ctx.h"
#include "hardctl/file.h"
#include "hardctl/finding.h"
#include "hardctl/root.h"
#include "modules.h"
#include "snmp.h"

#define SNMPD_CONF "/etc/snmp/snmpd.conf"
#define SNMPD_LENS "Hardctl_Snmpd.lns"
#define COMMUNITY_LEN 24

/* read_config.c: CONFIG_MAX_RECURSE_DEPTH and CONFIG_MAX_FILES. */
#define MAX_DEPTH 16
#define MAX_FILES 4096
/* NETSNMP_MAX_PERSISTENT_BACKUPS: NAME.0.conf ... NAME.10.conf. */
#define MAX_BACKUPS 10

/*
 * snmpd's search path, in its order: SNMPCONFPATH as Debian 12 builds
 * it (/etc/snmp, /usr/share/snmp, /usr/lib/<triplet>/snmp, then
 * ~/.snmp of root, whom snmpd starts as), the Red Hat build's
 * /usr/lib64/snmp, then the persistent directories (Debian's
 * /var/lib/snmp, Red Hat's /var/lib/net-snmp), read last and with
 * their backups first.  Directories a distribution does not have hold
 * nothing, so listing both builds' costs a failed lookup, never a
 * wrong judgment.
 */
static const struct {
	const char *dir;
	bool persistent;
} search_path[] = {
    {"/etc/snmp", false},
    {"/usr/share/snmp", false},
    {"/usr/lib/x86_64-linux-gnu/snmp", false},
    {"/usr/lib/aarch64-linux-gnu/snmp", false},
    {"/usr/lib/i386-linux-gnu/snmp", false},
    {"/usr/lib64/snmp", false},
    {"/usr/lib/snmp", false},
    {"/root/.snmp", false},
    {"/var/lib/snmp", true},
    {"/var/lib/net-snmp", true},
};

/*
 * The files snmpd reads, each once, in the order it reads them, and
 * whether each starts among snmpd's directives (snmpd.conf and what it
 * includes) or another program's (snmp.conf, which snmpd reads too: a
 * "[snmpd]" line there is snmpd's).
 */
struct conf {
	struct hc_ctx *ctx;
	struct hc_file **v;
	bool *own;
	size_t n, alloc;
	bool snmpd; /* the directives in force where the file being read is
		       named */
	struct hc_file *chain[MAX_DEPTH + 2]; /* the includes being read */
	size_t depth;
};

static void conf_release(struct conf *c)
{
	free(c->v);
	free(c->own);
	memset(c, 0, sizeof(*c));
}

static bool same_file(const struct hc_file *a, const struct hc_file *b)
{
	if (a == b)
		return true;
	return a->exists && b->exists && a->st.st_dev == b->st.st_dev &&
	       a->st.st_ino == b->st.st_ino;
}

static int conf_walk(struct conf *c, struct hc_file *file);
static int conf_path(struct hc_buf *out, struct conf *c, const char *path,
		     struct hc_file *from, const char *node);

/*
 * Read PATH, named at FROM's node NODE (NULL for the search path), as
 * snmpd would: a missing file is skipped; a file met before is read
 * once (snmpd reads it again, to the same effect); one that includes
 * itself, a nesting deeper than snmpd reads or more files than it
 * reads is an error naming the line.
 */
static int conf_read(struct conf *c, const char *path, struct hc_file *from,
		     const char *node)
{
	const char *where = from ? from->display : path;
	unsigned int line = from ? hc_file_line(from, node) : 0;
	struct hc_buf clean = HC_BUF_INIT;
	struct hc_file *file = NULL;
	int error;

	if ((error = conf_path(&clean, c, path, from, node)) == 0)
		error = hc_ctx_file(&file, c->ctx, clean.ptr, SNMPD_LENS,
				    HC_FILE_OPTIONAL);
	hc_buf_release(&clean);
	if (error < 0 || file == NULL)
		return error;
	for (size_t i = 0; i < c->depth; i++) {
		if (same_file(c->chain[i], file)) {
			hc_error_set_at(
			    where, line,
			    "includes %s, which is already being read: "
			    "an include loop",
			    path);
			return hc_error_set_code(HC_EINVALID);
		}
	}
	for (size_t i = 0; i < c->n; i++)
		if (same_file(c->v[i], file))
			return 0;
	if (c->depth > MAX_DEPTH) {
		hc_error_set_at(
		    where, line,
		    "includes nested deeper than %d: snmpd reads no "
		    "further",
		    MAX_DEPTH);
		return hc_error_set_code(HC_EINVALID);
	}
	if (c->n >= MAX_FILES) {
		hc_error_set_at(
		    where, line,
		    "more than %d files included: snmpd reads no more",
		    MAX_FILES);
		return hc_error_set_code(HC_EINVALID);
	}
	if (c->n == c->alloc) {
		size_t alloc = c->alloc ? c->alloc * 2 : 16;
		struct hc_file **v =
		    reallocarray(c->v, alloc, sizeof(struct hc_file *));
		bool *own;

		if (v == NULL)
			return hc_error_oom();
		c->v = v;
		if ((own = reallocarray(c->own, alloc, sizeof(*own))) == NULL)
			return hc_error_oom();
		c->own = own;
		c->alloc = alloc;
	}
	c->own[c->n] = c->snmpd;
	c->v[c->n++] = file;
	c->chain[c->depth++] = file;
	error = conf_walk(c, file);
	c->depth--;
	return error;
}

/*
 * PATH without ".", "//" and "..": the name the store and the plan
 * know a file by.  The kernel resolves ".." after a symlink from
 * where the link points, not lexically: such a path is refused rather
 * than judged in the wrong file.
 */
static int conf_path(struct hc_buf *out, struct conf *c, const char *path,
		     struct hc_file *from, const char *node)
{
	char *copy = hc_strdup(path), *save = NULL;
	int error = 0;

	if (copy == NULL)
		return HC_ERROR;
	hc_buf_clear(out);
	for (char *comp = strtok_r(copy, "/", &save); comp && error == 0;
	     comp = strtok_r(NULL, "/", &save)) {
		struct stat st;
		char *slash;

		if (strcmp(comp, ".") == 0)
			continue;
		if (strcmp(comp, "..") != 0) {
			error = hc_buf_printf(out, "/%s", comp);
			continue;
		}
		if (out->size == 0)
			continue; /* "/.." is "/" */
		if (hc_ctx_lstat(&st, c->ctx, out->ptr) == 0 &&
		    S_ISLNK(st.st_mode)) {
			hc_error_set_at(
			    from ? from->display : path,
			    from ? hc_file_line(from, node) : 0,
			    "includes %s, whose '..' follows the symlink %s: "
			    "name the file without it",
			    path, out->ptr);
			error = hc_error_set_code(HC_EUNSAFE);
			break;
		}
		hc_error_clear();
		slash = strrchr(out->ptr, '/');
		out->size = (size_t)(slash - out->ptr);
		out->ptr[out->size] = '\0';
	}
	if (error == 0 && out->size == 0)
		error = hc_buf_puts(out, "/");
	free(copy);
	return error;
}

/*
 * read_config_files_in_path() for NAME: in each directory, a persistent
 * one's backups NAME.N.conf up to the first missing, NAME.conf, then
 * NAME.local.conf.
 */
static int conf_search(struct conf *c, const char *name, struct hc_file *from,
		       const char *node)
{
	struct hc_buf path = HC_BUF_INIT;
	int error = 0;

	for (size_t d = 0; d < HC_ARRAY_SIZE(search_path) && error == 0; d++) {
		for (int n = 0; search_path[d].persistent && n <= MAX_BACKUPS &&
				error == 0;
		     n++) {
			struct stat st;

			hc_buf_clear(&path);
			if ((error = hc_buf_printf(&path, "%s/%s.%d.conf",
						   search_path[d].dir, name,
						   n)) < 0)
				break;
			if (hc_ctx_lstat(&st, c->ctx, path.ptr) < 0) {
				hc_error_clear();
				break;
			}
			error = conf_read(c, path.ptr, from, node);
		}
		hc_buf_clear(&path);
		if (error < 0 ||
		    (error = hc_buf_printf(&path, "%s/%s.conf",
					   search_path[d].dir, name)) < 0 ||
		    (error = conf_read(c, path.ptr, from, node)) < 0)
			break;
		hc_buf_clear(&path);
		if ((error = hc_buf_printf(&path, "%s/%s.local.conf",
					   search_path[d].dir, name)) < 0)
			break;
		error = conf_read(c, path.ptr, from, node);
	}
	hc_buf_release(&path);
	return error;
}

/* Whether includeDir reads NAME: not hidden, and ending in ".conf" after
 * something. */
static bool dir_reads(const char *name)
{
	size_t len = strlen(name);

	return name[0] != '.' && len > 5 &&
	       strcmp(name + len - 5, ".conf") == 0;
}

/*
 * includeDir DIR: every name dir_reads() takes, in byte order (snmpd
 * takes readdir()'s; communities add up, so the order changes
 * nothing).  A directory that cannot be opened is skipped, as snmpd
 * skips it; so is a subdirectory, which it opens and reads nothing from.
 */
static int conf_dir(struct conf *c, const char *dir, struct hc_file *from,
		    const char *node)
{
	struct hc_strlist names = HC_STRLIST_INIT;
	struct hc_buf path = HC_BUF_INIT;
	int error = 0;

	/* The directory as the plan leaves it: a drop-in a rule creates there
	 * counts. */
	if (hc_ctx_list(&names, c->ctx, dir) < 0) {
		hc_error_clear();
		hc_strlist_release(&names);
		return 0;
	}
	for (size_t i = 0; i < names.n && error == 0; i++) {
		struct stat st;

		if (!dir_reads(names.v[i]))
			continue;
		hc_buf_clear(&path);
		if ((error =
			 hc_buf_printf(&path, "%s%s%s", dir,
				       dir[strlen(dir) - 1] == '/' ? "" : "/",
				       names.v[i])) < 0)
			break;
		/* snmpd skips what readdir() calls a directory (a link to one
		 * it opens). */
		if (hc_ctx_lstat(&st, c->ctx, path.ptr) == 0 &&
		    S_ISDIR(st.st_mode))
			continue;
		hc_error_clear();
		error = conf_read(c, path.ptr, from, node);
	}
	hc_buf_release(&path);
	hc_strlist_release(&names);
	return error;
}

/*
 * FILE's lines, and for each whether snmpd runs it as one of its own
 * directives (read_config.c): "[TYPE]" alone switches the rest of the
 * file to TYPE's directives, if snmpd has that type (snmpd, snmp,
 * agentx; an unknown one is an error that switches nothing); "[TYPE]
 * DIRECTIVE ..." runs that line only as TYPE's.  SNMPD: whether the
 * file starts among snmpd's.
 */
static int file_nodes(struct hc_strlist *nodes, bool **own,
		      struct hc_file *file, bool snmpd)
{
	int error;

	*own = NULL;
	if ((error = hc_file_match(nodes, file, "*")) < 0)
		return error;
	if ((*own = calloc(nodes->n + 1, sizeof(**own))) == NULL)
		return hc_error_oom();
	for (size_t i = 0; i < nodes->n; i++) {
		const char *label = hc_file_label(file, nodes->v[i]), *type;
		struct hc_buf first = HC_BUF_INIT;
		bool line_only;

		if (label == NULL || strcmp(label, "@context") != 0) {
			(*own)[i] = snmpd;
			continue;
		}
		if ((error = hc_file_get(&type, file, nodes->v[i])) < 0 ||
		    (error = hc_buf_printf(&first, "%s/1", nodes->v[i])) < 0)
			return error;
		line_only = hc_file_label(file, first.ptr) != NULL;
		hc_buf_release(&first);
		type = type ? type : "";
		if (line_only)
			(*own)[i] = strcmp(type, "snmpd") == 0;
		else if (strcmp(type, "snmpd") == 0 ||
			 strcmp(type, "snmp") == 0 ||
			 strcmp(type, "agentx") == 0)
			snmpd = strcmp(type, "snmpd") == 0;
	}
	return 0;
}

/*
 * The includes of FILE.  read_config() takes the rest of the line as it
 * stands (the lens keeps it so): includeFile relative to the including
 * file's directory, includeDir relative to snmpd's working directory
 * ("/" under systemd and once daemonized), includeSearch a NAME or
 * NAME.conf looked up as snmpd.conf is.  "include" alone is ignored.
 */
/* One include of FILE: LABEL (any case) with VALUE, at NODE. */
static int conf_include(struct conf *c, struct hc_file *file, const char *node,
			const char *label, const char *value)
{
	const char *slash = strrchr(file->path, '/');
	struct hc_buf path = HC_BUF_INIT;
	size_t len = strlen(value);
	int error = 0;

	if (strcasecmp(label, "includeFile") == 0) {
		if (value[0] == '/')
			error = hc_buf_puts(&path, value);
		else
			error = hc_buf_printf(&path, "%.*s/%s",
					      (int)(slash - file->path),
					      file->path, value);
		if (error == 0)
			error = conf_read(c, path.ptr, file, node);
	} else if (strcasecmp(label, "includeDir") == 0) {
		if ((error =
			 hc_buf_printf(&path, "%s%s",
				       value[0] == '/' ? "" : "/", value)) == 0)
			error = conf_dir(c, path.ptr, file, node);
	} else if (strcasecmp(label, "includeSearch") == 0) {
		if (len > 5 && strcmp(value + len - 5, ".conf") == 0)
			len -= 5;
		if ((error = hc_buf_put(&path, value, len)) == 0)
			error = conf_search(c, hc_buf_cstr(&path), file, node);
	}
	hc_buf_release(&path);
	return error;
}

static int conf_walk(struct conf *c, struct hc_file *file)
{
	struct hc_strlist nodes = HC_STRLIST_INIT;
	bool snmpd = c->snmpd, *own = NULL;
	int error;

	if ((error = file_nodes(&nodes, &own, file, snmpd)) < 0)
		goto out;
	for (size_t i = 0; i < nodes.n && error == 0; i++) {
		const char *label = hc_file_label(file, nodes.v[i]), *value;

		/* An include carries the directives in force on its line. */
		c->snmpd = own[i];
		if (label && strncasecmp(label, "include", 7) == 0 &&
		    (error = hc_file_get(&value, file, nodes.v[i])) == 0 &&
		    value)
			error = conf_include(c, file, nodes.v[i], label, value);
	}
out:
	c->snmpd = snmpd;
	free(own);
	hc_strlist_release(&nodes);
	return error;
}

/*
 * Every file snmpd reads, from the search path down: snmpd.conf's and
 * snmp.conf's (whose "[snmpd]" lines are snmpd's).  None: C->n is 0.
 */
static int conf_load(struct conf *c, struct hc_ctx *ctx)
{
	int error;

	memset(c, 0, sizeof(*c));
	c->ctx = ctx;
	c->snmpd = true;
	if ((error = conf_search(c, "snmpd", NULL, NULL)) == 0) {
		c->snmpd = false;
		error = conf_search(c, "snmp", NULL, NULL);
	}
	if (error < 0)
		conf_release(c);
	return error;
}

/*
 * A directive's words as net-snmp's copy_nword() reads them from the
 * lens's arguments: a word in quotes runs to the closing quote, a
 * backslash takes the next byte as it is, and any isspace() byte
 * separates.  For each word, the argument it starts in and whether it
 * is that whole argument (the one apply can replace).
 */
struct words {
	struct hc_strlist text;
	size_t *arg;
	bool *whole;
};

static void words_release(struct words *w)
{
	hc_strlist_release(&w->text);
	free(w->arg);
	free(w->whole);
	memset(w, 0, sizeof(*w));
}

static size_t arg_of(const size_t *starts, size_t nargs, size_t at)
{
	size_t a = 0;

	while (a + 1 < nargs && starts[a + 1] <= at)
		a++;
	return a;
}

/* copy_nword(): the word at *P (not a blank) into WORD, *P moved past it. */
static int next_word(struct hc_buf *word, const char **p)
{
	const char *q = *p;
	char quote = 0;
	int error;

	hc_buf_clear(word);
	if ((error = hc_buf_puts(word, "")) < 0)
		return error;
	if (*q == '"' || *q == '\'') /* a quoted word runs to its quote */
		quote = *q++;
	while (*q && error == 0 &&
	       (quote ? *q != quote : !isspace((unsigned char)*q))) {
		if (q[0] == '\\' && q[1])
			q++;
		error = hc_buf_put(word, q++, 1);
	}
	if (quote && *q)
		q++;
	*p = q;
	return error;
}

/* ARGS' values joined by one blank into LINE, with where each starts and ends.
 */
static int join_args(struct hc_buf *line, size_t *starts, size_t *ends,
		     struct hc_file *file, const struct hc_strlist *args)
{
	int error = hc_buf_puts(line, "");

	for (size_t i = 0; i < args->n && error == 0; i++) {
		const char *value;

		if ((error = hc_file_get(&value, file, args->v[i])) < 0 ||
		    (i > 0 && (error = hc_buf_puts(line, " ")) < 0))
			break;
		starts[i] = line->size;
		if (value)
			error = hc_buf_puts(line, value);
		ends[i] = line->size;
	}
	return error;
}

static int words_read(struct words *w, struct hc_strlist *args,
		      struct hc_file *file, const char *node, size_t skip)
{
	struct hc_buf line = HC_BUF_INIT, word = HC_BUF_INIT,
		      pattern = HC_BUF_INIT;
	struct hc_strlist all = HC_STRLIST_INIT;
	size_t *starts = NULL, *ends = NULL;
	int error;

	memset(w, 0, sizeof(*w));
	if ((error = hc_buf_printf(&pattern, "%s/*", node)) < 0 ||
	    (error = hc_file_match(&all, file, pattern.ptr)) < 0)
		goto out;
	for (size_t i = skip; i < all.n && error == 0; i++)
		error = hc_strlist_push(args, all.v[i]);
	if (error < 0)
		goto out;
	if ((starts = calloc(args->n + 1, sizeof(*starts))) == NULL ||
	    (ends = calloc(args->n + 1, sizeof(*ends))) == NULL) {
		error = hc_error_oom();
		goto out;
	}
	if ((error = join_args(&line, starts, ends, file, args)) < 0)
		goto out;
	/* Each word takes a byte at least: no more words than bytes. */
	if ((w->arg = calloc(line.size + 1, sizeof(*w->arg))) == NULL ||
	    (w->whole = calloc(line.size + 1, sizeof(*w->whole))) == NULL) {
		error = hc_error_oom();
		goto out;
	}
	for (const char *p = hc_buf_cstr(&line), *begin; error == 0;) {
		size_t at, a, n;

		while (*p && isspace((unsigned char)*p))
			p++;
		if (*p == '\0')
			break;
		begin = p;
		if ((error = next_word(&word, &p)) < 0 ||
		    (error = hc_strlist_push(&w->text, hc_buf_cstr(&word))) < 0)
			break;
		at = (size_t)(begin - line.ptr);
		a = arg_of(starts, args->n, at);
		n = w->text.n - 1;
		w->arg[n] = a;
		w->whole[n] =
		    at == starts[a] && (size_t)(p - line.ptr) == ends[a];
	}
out:
	hc_strlist_release(&all);
	free(starts);
	free(ends);
	hc_buf_release(&line);
	hc_buf_release(&word);
	hc_buf_release(&pattern);
	if (error < 0)
		words_release(w);
	return error;
}

/* What one line grants v1/v2c clients. */
struct grant {
	const char *label;
	char *community;  /* the community it names, or NULL */
	char *arg;        /* the argument holding exactly it, or NULL */
	bool write;       /* it gives a v1/v2c client write access */
	char *write_view; /* the argument naming the write view; NULL: the line
			     is the grant */
};

static void grant_release(struct grant *g)
{
	free(g->community);
	free(g->arg);
	free(g->write_view);
	memset(g, 0, sizeof(*g));
}

static bool is_any(const char *label, const char *const *names)
{
	for (; *names; names++)
		if (strcasecmp(label, *names) == 0)
			return true;
	return false;
}

static bool community_model(const char *model)
{
	return strcasecmp(model, "any") == 0 || strcasecmp(model, "v1") == 0 ||
	       strcasecmp(model, "v2c") == 0;
}

/* authcommunity and authaccess: whether TYPES ("read,write", split at ",|:")
 * has write. */
static bool types_write(const char *types)
{
	char *copy = hc_strdup(types), *save = NULL;
	bool yes = false;

	if (copy == NULL)
		return true;
	for (char *t = strtok_r(copy, ",|:", &save); t && !yes;
	     t = strtok_r(NULL, ",|:", &save))
		yes = strcasecmp(t, "write") == 0;
	free(copy);
	return yes;
}

static int grant_community(struct grant *g, const struct words *w,
			   const struct hc_strlist *args, size_t i)
{
	if (i >= w->text.n)
		return 0;
	if ((g->community = hc_strdup(w->text.v[i])) == NULL)
		return HC_ERROR;
	if (w->whole[i] && (g->arg = hc_strdup(args->v[w->arg[i]])) == NULL)
		return HC_ERROR;
	return 0;
}

static const char *const simple_forms[] = {"rocommunity", "rocommunity6",
					   "rwcommunity", "rwcommunity6", NULL};
static const char *const com2sec_forms[] = {"com2sec", "com2sec6",
					    "com2secunix", NULL};

/*
 * The directive of NODE into G->label: its label, or after "[snmpd]"
 * its first argument (*SKIP 1).  0 with G->label NULL: none to judge.
 */
static int grant_label(struct grant *g, size_t *skip, struct hc_file *file,
		       const char *node)
{
	static const char *const other[] = {"authcommunity", "access",
					    "setaccess", "authaccess", NULL};
	struct hc_buf first = HC_BUF_INIT;
	int error = 0;

	*skip = 0;
	if ((g->label = hc_file_label(file, node)) != NULL &&
	    strcmp(g->label, "@context") == 0) {
		if ((error = hc_buf_printf(&first, "%s/1", node)) == 0)
			error = hc_file_get(&g->label, file, first.ptr);
		hc_buf_release(&first);
		*skip = 1;
	}
	if (error == 0 && g->label && !is_any(g->label, simple_forms) &&
	    !is_any(g->label, com2sec_forms) && !is_any(g->label, other))
		g->label = NULL;
	return error;
}

/* authaccess TYPES [-s MODEL] GROUP VIEW ...: whether the line grants v1/v2c
 * write. */
static bool authaccess_write(const struct words *w)
{
	bool usm = w->text.n > 2 && strcmp(w->text.v[1], "-s") == 0 &&
		   !community_model(w->text.v[2]);

	return w->text.n > 0 && types_write(w->text.v[0]) && !usm;
}

/* The grants copy_nword() reads: the community forms and authaccess. */
/* The word after "-v VERSION", if the words from FIRST start with it. */
static size_t after_version(const struct words *w, size_t first)
{
	return first < w->text.n && strcmp(w->text.v[first], "-v") == 0
		   ? first + 2
		   : first;
}

static int grant_words(struct grant *g, const struct words *w,
		       const struct hc_strlist *args)
{
	if (strcasecmp(g->label, "authcommunity") == 0) {
		/* authcommunity TYPES [-v VERSION] COMMUNITY ... */
		g->write = w->text.n > 0 && types_write(w->text.v[0]);
		return grant_community(g, w, args, after_version(w, 1));
	}
	if (is_any(g->label, simple_forms)) {
		/* [-v VERSION] COMMUNITY [SOURCE [OID | -V VIEW [CONTEXT]]] */
		g->write = tolower((unsigned char)g->label[1]) == 'w';
		return grant_community(g, w, args, after_version(w, 0));
	}
	if (is_any(g->label, com2sec_forms)) {
		/* com2sec [-Cn CONTEXT] SECNAME SOURCE COMMUNITY */
		bool context =
		    w->text.n > 0 && strcmp(w->text.v[0], "-Cn") == 0;

		return grant_community(g, w, args, context ? 4 : 2);
	}
	if (strcasecmp(g->label, "authaccess") == 0)
		g->write = authaccess_write(w);
	return 0;
}

/*
 * access G CTX MODEL LEVEL PREFIX READ WRITE NOTIFY, or setaccess G CTX
 * MODEL LEVEL PREFIX write VIEW: strtok() fields, the lens's arguments.
 */
static int grant_access(struct grant *g, struct hc_file *file,
			const struct hc_strlist *args)
{
	const char *model, *kind = "write", *view;
	int error;

	if (args->n < 7 || (strcasecmp(g->label, "access") != 0 &&
			    strcasecmp(g->label, "setaccess") != 0))
		return 0;
	if ((error = hc_file_get(&model, file, args->v[2])) < 0 ||
	    (strcasecmp(g->label, "setaccess") == 0 &&
	     (error = hc_file_get(&kind, file, args->v[5])) < 0) ||
	    (error = hc_file_get(&view, file, args->v[6])) < 0)
		return error;
	g->write = model && community_model(model) && kind &&
		   strcmp(kind, "write") == 0 && view &&
		   strcmp(view, "none") != 0;
	if (g->write && (g->write_view = hc_strdup(args->v[6])) == NULL)
		return HC_ERROR;
	return 0;
}

/*
 * The access-control lines (vacm_conf.c): the word holding the
 * community, and whether the line gives write access to v1/v2c.
 * access and setaccess split their fields with strtok() at blanks,
 * quotes or not, as the lens does: their fields are its arguments.
 */
static int grant_read(struct grant *g, struct hc_file *file, const char *node)
{
	struct hc_strlist args = HC_STRLIST_INIT;
	struct words w = {0};
	size_t skip;
	int error;

	memset(g, 0, sizeof(*g));
	if ((error = grant_label(g, &skip, file, node)) < 0 || g->label == NULL)
		return error;
	if ((error = words_read(&w, &args, file, node, skip)) == 0 &&
	    (error = grant_words(g, &w, &args)) == 0)
		error = grant_access(g, file, &args);
	words_release(&w);
	hc_strlist_release(&args);
	return error;
}

/* COMMUNITY is in the space-separated WEAK list, or empty. */
static bool weak(const char *list, const char *community)
{
	size_t len = strlen(community);

	if (len == 0)
		return true;
	for (const char *p = list; (p = strstr(p, community)) != NULL; p += len)
		if ((p == list || p[-1] == ' ') &&
		    (p[len] == '\0' || p[len] == ' '))
			return true;
	return false;
}

/* The mode a file holding communities should have (see snmp.h). */
static mode_t private_mode(const struct hc_file *file)
{
	return file->mode & (file->gid != 0 ? 0750 : 0700) & ~(mode_t)0020;
}

/* The finding for one line's grant G, at FILE:LINE. */
static int judge_grant(struct hc_finding *out, struct hc_file *file,
		       unsigned int line, const struct grant *g,
		       const char *weak_list)
{
	struct hc_buf found = HC_BUF_INIT;
	int error = 0;

	if (g->community && weak(weak_list, g->community)) {
		if ((error = hc_buf_printf(&found, "%s %s", g->label,
					   g->community)) == 0)
			error =
			    hc_finding_fail(out, file->path, line, found.ptr,
					    "a community no one can guess");
	} else if (g->write && g->community) {
		if ((error = hc_buf_printf(&found, "%s (write access)",
					   g->label)) == 0)
			error =
			    hc_finding_fail(out, file->path, line, found.ptr,
					    "no write-access community");
	} else if (g->write && g->write_view) {
		if ((error = hc_buf_printf(
			 &found, "%s with a v1/v2c write view", g->label)) == 0)
			error = hc_finding_fail(out, file->path, line,
						found.ptr, "write view none");
	} else if (g->write) {
		if ((error = hc_buf_printf(
			 &found, "%s with v1/v2c write access", g->label)) == 0)
			error =
			    hc_finding_fail(out, file->path, line, found.ptr,
					    "no write access for v1/v2c");
	}
	hc_buf_release(&found);
	return error;
}

/*
 * Judge every line of FILE, and its mode if it holds a community.  Every
 * community but the weak ones is a secret: registered as it is met,
 * before any output is made from the findings.
 */
static int judge_file(struct hc_finding *out, struct hc_ctx *ctx,
		      struct hc_file *file, bool snmpd, const char *weak_list)
{
	struct hc_strlist nodes = HC_STRLIST_INIT;
	struct hc_buf found = HC_BUF_INIT;
	struct grant g = {0};
	bool any = false, *own = NULL;
	int error;

	if ((error = file_nodes(&nodes, &own, file, snmpd)) < 0)
		goto out;
	for (size_t i = 0; i < nodes.n && error == 0; i++) {
		if (own[i] && (error = grant_read(&g, file, nodes.v[i])) == 0) {
			any = any || g.community != NULL;
			if (g.community && !weak(weak_list, g.community))
				error = hc_ctx_secret(ctx, g.community);
			if (error == 0)
				error = judge_grant(
				    out, file, hc_file_line(file, nodes.v[i]),
				    &g, weak_list);
		}
		grant_release(&g);
	}
	if (error == 0 && any && (file->mode & 0007) &&
	    (error = hc_buf_printf(&found,
				   "mode %04o: others can read the communities",
				   (unsigned int)file->mode)) == 0)
		error = hc_finding_fail(out, file->path, 0, found.ptr,
					"no access for others");
	if (error == 0 && out->status == HC_STATUS_PASS)
		error = hc_finding_evidence(
		    out, file->path, 0,
		    any ? "read by snmpd: no weak or write community"
			: "read by snmpd: no community",
		    NULL);
out:
	free(own);
	hc_buf_release(&found);
	hc_strlist_release(&nodes);
	return error;
}

static int community_check(struct hc_finding *out, struct hc_ctx *ctx,
			   const struct hc_rule *rule)
{
	const char *weak_list = hc_ctx_param(ctx, rule, "weak");
	struct conf c;
	int error;

	if ((error = conf_load(&c, ctx)) < 0)
		return error;
	if (c.n == 0) {
		conf_release(&c);
		return hc_finding_na(
		    out, "no snmpd.conf or snmpd.local.conf where snmpd looks: "
			 "snmpd is not configured here");
	}
	for (size_t f = 0; f < c.n && error == 0; f++)
		error = judge_file(out, ctx, c.v[f], c.own[f], weak_list);
	conf_release(&c);
	return error;
}

/*
 * Token N (from 0) of LINE as snmpd's copy_nword() reads it: words split
 * at blanks, a final CR dropped, a word that opens with a quote running
 * to its closing quote (blanks inside kept).
 */
static bool raw_token(const char **start, size_t *len, const char *line,
		      size_t size, int n)
{
	size_t i = 0;

	while (size > 0 && (line[size - 1] == '\r' || line[size - 1] == ' ' ||
			    line[size - 1] == '\t'))
		size--;
	for (int t = 0; i < size; t++) {
		while (i < size && (line[i] == ' ' || line[i] == '\t'))
			i++;
		if (i == size)
			return false;
		*start = line + i;
		if (line[i] == '"' || line[i] == '\'') {
			const char *close =
			    memchr(line + i + 1, line[i], size - i - 1);

			i = close ? (size_t)(close - line) + 1 : size;
		}
		while (i < size && line[i] != ' ' && line[i] != '\t')
			i++;
		*len = (size_t)(line + i - *start);
		if (t == n)
			return true;
	}
	return false;
}

static bool token_is(const char *s, size_t len, const char *word, bool icase)
{
	return strlen(word) == len &&
	       (icase ? strncasecmp(s, word, len) : memcmp(s, word, len)) == 0;
}

/*
 * The other secrets net-snmp's files carry, all words from the one given
 * to the line's end: the trap communities, snmpcmd arguments (-c, -A,
 * -X, -3m...) of trapsess and proxy, createUser's passphrases after the
 * user and its hash, usmUser's keys, and snmp.conf's defaults.
 */
static int tail_secret(const char *kw, size_t kwlen, const char *line,
		       size_t size)
{
	static const struct {
		const char *word;
		int at;
	} tails[] = {
	    {"trapcommunity", 1},
	    {"trapsink", 2},
	    {"trap2sink", 2},
	    {"informsink", 2},
	    {"trapsess", 1},
	    {"proxy", 1},
	    {"usmUser", 1},
	    {"defCommunity", 1},
	    {"defPassphrase", 1},
	    {"defAuthPassphrase", 1},
	    {"defPrivPassphrase", 1},
	    {"defAuthMasterKey", 1},
	    {"defPrivMasterKey", 1},
	    {"defAuthLocalizedKey", 1},
	    {"defPrivLocalizedKey", 1},
	};
	const char *opt;
	size_t optlen;

	for (size_t i = 0; i < sizeof(tails) / sizeof(tails[0]); i++)
		if (token_is(kw, kwlen, tails[i].word, true))
			return tails[i].at;
	/* createUser [-e ENGINEID] NAME HASH [-m|-l] AUTHPASS [CIPHER [-m|-l]
	 * PRIVPASS] */
	if (token_is(kw, kwlen, "createUser", true))
		return raw_token(&opt, &optlen, line, size, 1) &&
			       token_is(opt, optlen, "-e", false)
			   ? 5
			   : 3;
	return -1;
}

/*
 * The word of LINE (keyword KW) that holds a community: rocommunity's and
 * rwcommunity's first (third after -v), authcommunity's second (fourth
 * after -v), com2sec's third (fifth after -Cn); -1 for other keywords.
 */
static int community_at(const char *kw, size_t kwlen, const char *line,
			size_t size)
{
	static const char *const simple[] = {
	    "rocommunity", "rocommunity6", "rwcommunity", "rwcommunity6", NULL};
	static const char *const com2sec[] = {"com2sec", "com2sec6",
					      "com2secunix", NULL};
	const char *opt;
	size_t optlen;
	int at = -1;

	for (size_t i = 0; simple[i]; i++)
		if (token_is(kw, kwlen, simple[i], true))
			at = 1;
	if (token_is(kw, kwlen, "authcommunity", true))
		at = 2;
	if (at > 0 && raw_token(&opt, &optlen, line, size, at) &&
	    token_is(opt, optlen, "-v", false))
		at += 2;
	for (size_t i = 0; com2sec[i]; i++)
		if (token_is(kw, kwlen, com2sec[i], true))
			at = raw_token(&opt, &optlen, line, size, 1) &&
				     token_is(opt, optlen, "-Cn", false)
				 ? 5
				 : 3;
	return at;
}

bool snmp_line_secret(const char **start, size_t *len, const char *line,
		      size_t size)
{
	const char *kw;
	size_t kwlen;
	int at, tail;

	if (!raw_token(&kw, &kwlen, line, size, 0))
		return false;
	if (*kw == '#') {
		/* A secret line commented out still holds its secret
		 * ("#rocommunity s3cret"). */
		while (size > 0 &&
		       (*line == '#' || *line == ' ' || *line == '\t')) {
			line++;
			size--;
		}
		if (!raw_token(&kw, &kwlen, line, size, 0))
			return false;
	}
	if (*kw == '[') {
		/* "[snmpd] rocommunity ...": the line's own words start after
		 * it. */
		size -= (size_t)(kw + kwlen - line);
		line = kw + kwlen;
		if (!raw_token(&kw, &kwlen, line, size, 0))
			return false;
	}
	at = community_at(kw, kwlen, line, size);
	if (at < 0 && (tail = tail_secret(kw, kwlen, line, size)) > 0) {
		if (!raw_token(start, len, line, size, tail))
			return false;
		/* To the last word: what raw_token() drops at the end stays. */
		while (size > 0 &&
		       (line[size - 1] == '\r' || line[size - 1] == ' ' ||
			line[size - 1] == '\t'))
			size--;
		*len = (size_t)(line + size - *start);
		return true;
	}
	if (at < 0 || !raw_token(start, len, line, size, at))
		return false;
	/* net-snmp's shipped defaults are no secret, and seeing them replaced
	 * matters. */
	return !token_is(*start, *len, "public", false) &&
	       !token_is(*start, *len, "private", false);
}

int snmp_random_community(char *out, size_t len)
{
	static const char alphabet[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
	size_t n = 0;

	while (n < len) {
		unsigned char bytes[64];

		if (RAND_bytes(bytes, sizeof(bytes)) != 1) {
			hc_error_set("OpenSSL's RAND_bytes failed: no "
				     "community generated");
			return HC_ERROR;
		}
		/* 62 * 4 = 248: rejecting 248..255 keeps every character
		 * equally likely. */
		for (size_t i = 0; i < sizeof(bytes) && n < len; i++)
			if (bytes[i] < 248)
				out[n++] = alphabet[bytes[i] % 62];
	}
	out[len] = '\0';
	return 0;
}

/* A community an earlier apply generated, from the files, into OUT; "" when
 * none. */
static int generated(char *out, size_t size, const struct conf *c,
		     const char *weak_list)
{
	static const char alnum[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
	struct hc_strlist nodes = HC_STRLIST_INIT;
	struct grant g = {0};
	bool *own = NULL;
	int error = 0;

	out[0] = '\0';
	for (size_t f = 0; f < c->n && error == 0 && !out[0]; f++) {
		hc_strlist_release(&nodes);
		free(own);
		if ((error = file_nodes(&nodes, &own, c->v[f], c->own[f])) < 0)
			break;
		for (size_t i = 0; i < nodes.n && error == 0 && !out[0]; i++) {
			if (!own[i])
				continue;
			if ((error = grant_read(&g, c->v[f], nodes.v[i])) ==
				0 &&
			    g.community && g.arg && !g.write &&
			    !weak(weak_list, g.community) &&
			    strlen(g.community) == COMMUNITY_LEN &&
			    strspn(g.community, alnum) == COMMUNITY_LEN)
				snprintf(out, size, "%s", g.community);
			grant_release(&g);
		}
	}
	free(own);
	hc_strlist_release(&nodes);
	return error;
}

/*
 * The community to put in place of a weak one: the profile's; else one
 * the files already have that is not weak (what an earlier apply
 * generated); else a new random one.
 */
static int replacement(char *out, size_t size, struct hc_ctx *ctx,
		       const struct hc_rule *rule, const struct conf *c)
{
	const char *given = hc_ctx_param(ctx, rule, "community");
	const char *weak_list = hc_ctx_param(ctx, rule, "weak");
	int error;

	if (*given) {
		if (weak(weak_list, given)) {
			hc_error_set("%s: the profile's community is one of "
				     "the weak ones",
				     rule->id);
			return hc_error_set_code(HC_EINVALID);
		}
		if (strcspn(given, " \t\r\n\v\f\"'\\#") != strlen(given)) {
			hc_error_set("%s: the profile's community holds a "
				     "blank, a quote, a "
				     "backslash or a '#', which snmpd would "
				     "read otherwise",
				     rule->id);
			return hc_error_set_code(HC_EINVALID);
		}
		snprintf(out, size, "%s", given);
		return hc_ctx_secret(ctx, given);
	}
	if ((error = generated(out, size, c, weak_list)) < 0 || out[0])
		return error;
	if ((error = snmp_random_community(out, COMMUNITY_LEN)) == 0)
		error = hc_ctx_secret(ctx, out);
	return error;
}

/* Fix FILE's lines from the last, so removing one moves none still to visit. */
static int remediate_file(size_t f, char *secret, size_t size,
			  struct hc_ctx *ctx, const struct hc_rule *rule,
			  const struct conf *c)
{
	const char *weak_list = hc_ctx_param(ctx, rule, "weak");
	struct hc_strlist nodes = HC_STRLIST_INIT;
	struct hc_file *file = c->v[f];
	struct grant g = {0};
	bool any = false, *own = NULL;
	int error;

	if ((error = file_nodes(&nodes, &own, file, c->own[f])) < 0)
		goto out;
	for (size_t i = nodes.n; i-- > 0 && error == 0;) {
		if (!own[i])
			continue;
		if ((error = grant_read(&g, file, nodes.v[i])) < 0)
			break;
		if (g.write && g.write_view) {
			error = hc_file_set(file, g.write_view, "none");
		} else if (g.write) {
			error = hc_file_rm(file, nodes.v[i]);
		} else if (g.community) {
			any = true;
			if (!weak(weak_list, g.community)) {
				/* kept */
			} else if (g.arg == NULL) {
				hc_error_set_at(
				    file->display,
				    hc_file_line(file, nodes.v[i]),
				    "%s: the community is written with quotes, "
				    "escapes or blanks hardctl does not "
				    "rewrite; "
				    "replace it by hand",
				    g.label);
				error = hc_error_set_code(HC_EINVALID);
			} else if (secret[0] ||
				   (error = replacement(secret, size, ctx, rule,
							c)) == 0) {
				error = hc_file_set(file, g.arg, secret);
			}
		}
		grant_release(&g);
	}
	if (error == 0 && any && (file->mode & 0007))
		error = hc_file_set_mode(file, private_mode(file));
out:
	free(own);
	grant_release(&g);
	hc_strlist_release(&nodes);
	return error;
}

/* Every file snmpd reads is fixed where the community stands. */
static int community_remediate(struct hc_ctx *ctx, const struct hc_rule *rule)
{
	char secret[COMMUNITY_LEN + 1] = "";
	struct conf c;
	int error;

	if ((error = conf_load(&c, ctx)) < 0)
		return error;
	for (size_t f = 0; f < c.n && error == 0; f++)
		error =
		    remediate_file(f, secret, sizeof(secret), ctx, rule, &c);
	conf_release(&c);
	return error;
}

static const struct hc_rule rules[] = {
    {
	.id = "snmp.community",
	.title =
	    "no SNMP community can be guessed, written with, or read by others",
	.severity = HC_CAT_I,
	.rationale =
	    "snmpd ships with the community \"public\"; with it anyone "
	    "reads the host's configuration, and with a write "
	    "community (\"private\") changes it.  A community is a "
	    "password: the file holding it is not readable by others.",
	.refs =
	    (const char *const[]){"DISA STIG SNMP: default community strings",
				  NULL},
	.params =
	    (const struct hc_param[]){
		{"weak", HC_PARAM_STRING, "public private",
		 "communities that must not remain, space-separated",
		 &(const struct hc_valid){
		     .kind = HC_VALID_WORDS,
		     .min = 0,
		     .max = 1024,
		     .word_bytes = "!$%&()*+,-./:;<=>?@[]^_`{|}~",
		     .allowed = "community strings, space-separated"}},
		{"community", HC_PARAM_SECRET, "",
		 "the replacement; empty: 24 random characters, generated once",
		 /* One snmpd.conf word: no quote, no '#', no '\\'. */
		 &(const struct hc_valid){
		     .kind = HC_VALID_WORDS,
		     .min = 0,
		     .max = 1,
		     .word_bytes = "!$%&()*+,-./:;<=>?@[]^_`{|}~",
		     .allowed = "one word of letters, digits and "
				"punctuation other than quotes, # "
				"and \\"}},
		{NULL, HC_PARAM_STRING, NULL, NULL, NULL},
	    },
	.owns = (const char *const[]){"snmpd.conf:community", NULL},
	.files = (const char *const[]){SNMPD_CONF, "/etc/snmp/snmpd.local.conf",
				       "/etc/snmp/snmp.conf",
				       "/etc/snmp/snmpd.conf.d/*.conf", NULL},
	.check = community_check,
	.remediate = community_remediate,
    },
    {.id = NULL},
};

const struct hc_module hc_module_snmp = {
    .version = HC_MODULE_VERSION,
    .name = "snmp",
    .description = "SNMP communities",
    .rules = rules,
    /*
     * snmpd reads files of any name (includeFile, snmpd.local.conf):
     * every file is searched for its secret lines, whose keywords
     * appear in no other format hardctl manages.
     */
    .secrets =
	(const struct hc_line_secret[]){
	    {"*", snmp_line_secret},
	    {NULL, NULL},
	},
};
