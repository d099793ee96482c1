/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The sshd lockout guard: before an sshd_config (or a file it includes)
 * is installed, the host's own sshd checks the configuration as the
 * plan leaves it, with `sshd -t`.
 *
 * sshd resolves Include against the host's /etc, not ROOT's, and needs
 * a host key: the guard copies each file sshd reads (as the plan leaves
 * it) into the scratch directory, every Include pointed into the copy,
 * and makes a throwaway host key there.  The keywords that make sshd -t
 * open a path on the host (HostKey, HostCertificate, HostKeyAgent) are
 * pointed at stand-ins in the scratch directory: ROOT's paths mean
 * nothing on this host, and a hostile image must not make sshd, running
 * as root, open a device or a socket of the host's.  It runs the host's
 * sshd, never a binary found inside ROOT.  A line sshd rejects is mapped
 * back to the file and line it came from.
 */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <signal.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "hardctl/ctx.h"
#include "hardctl/file.h"
#include "hardctl/root.h"
#include "hardctl/cache.h"
#include "hardctl/run.h"
#include "hardctl/sign.h"
#include "hardctl/trace.h"
#include "sshd_config.h"

#define SSHD_BIN "/usr/sbin/sshd"
#define PRIVSEP_DIR "/run/sshd"
/* sshd -t takes well under a second; ROOT may name a FIFO it blocks on. */
#define SSHD_TIMEOUT 20

/*
 * The scratch copy: each file sshd reads, as the plan leaves it, at its
 * ROOT path under TOP, with every Include's patterns pointed under TOP.
 * Lines keep their numbers, so sshd's "FILE line N" names ROOT's file.
 */
struct mirror {
	struct hc_ctx *ctx;
	const char *top;       /* SCRATCH/root */
	struct sshd_seen seen; /* the ROOT paths copied */
	struct hc_buf
	    key;      /* each path and its bytes: what the verdict depends on */
	bool changed; /* a file differs from what ROOT holds */
	const char *scratch; /* where the stand-ins are; NULL in a pass that
				only reads */
};

/*
 * PATH's bytes as the plan leaves it; *gone when it will not exist;
 * *changed set (never cleared) when a rule has changed it.
 */
static int planned_bytes(struct hc_buf *out, bool *gone, bool *changed,
			 struct hc_ctx *ctx, const char *path)
{
	struct hc_file *file;
	int error;

	*gone = false;
	if ((file = hc_ctx_loaded(ctx, path)) != NULL &&
	    file->as_link != file->link)
		*changed = true;
	if (file != NULL && !file->as_link) {
		*gone = !hc_file_present(file);
		if (file->created || file->removed)
			*changed = true;
		if (*gone || (error = hc_file_render(file)) < 0)
			return *gone ? 0 : error;
		if (file->cur.size != file->orig.size ||
		    (file->cur.size && memcmp(file->cur.ptr, file->orig.ptr,
					      file->cur.size) != 0))
			*changed = true;
		return hc_buf_set(out, file->cur.ptr, file->cur.size);
	}
	/* Not read by a rule, or a link: what the reader will open, links
	 * followed. */
	if ((error = hc_ctx_read(out, ctx, path)) == HC_ENOTFOUND) {
		hc_error_clear();
		*gone = true;
		return 0;
	}
	return error;
}

static int mirror_file(struct mirror *m, const char *path, const char *from,
		       unsigned int fromline);

/*
 * The next word of *S as sshd's strdelim() cuts a keyword: ended by a
 * blank, CR, LF or one '=', a '"' dropped and the word then running to
 * the next '"'.  NULL when a quote is unclosed.
 */
static char *strdelim_keyword(char **s)
{
	char *old = *s;
	bool equals;

	if ((*s = strpbrk(*s, " \t\r\n\"=")) == NULL)
		return old;
	if (**s == '"') {
		memmove(*s, *s + 1, strlen(*s));
		if ((*s = strchr(*s, '"')) == NULL)
			return NULL;
		**s = '\0';
		*s += strspn(*s + 1, " \t\r\n") + 1;
		return old;
	}
	equals = **s == '=';
	**s = '\0';
	*s += strspn(*s + 1, " \t\r\n") + 1;
	if (**s == '=' && !equals)
		*s += strspn(*s + 1, " \t\r\n") + 1;
	return old;
}

/*
 * LINE's keyword as sshd reads it ("Include", In"clude", a CR after
 * it), in *KEYWORD, and its arguments in *ARGS (both NULL when the line
 * has none; the caller frees both): a line copied as is that sshd takes
 * for an Include or a HostKey would make the host's sshd open the
 * host's files.
 */
static int line_keyword(char **keyword_out, char **args, const char *line)
{
	char *copy = hc_strdup(line), *s = copy, *keyword;
	size_t len;

	*keyword_out = NULL;
	*args = NULL;
	if (copy == NULL)
		return HC_ERROR;
	/* sshd drops trailing blanks, CR, LF and FF first. */
	for (len = strlen(copy); len > 0 && strchr(" \t\r\n\f", copy[len - 1]);
	     len--)
		copy[len - 1] = '\0';
	if ((keyword = strdelim_keyword(&s)) != NULL && *keyword == '\0' &&
	    s != NULL)
		keyword = strdelim_keyword(&s);
	if (keyword == NULL || *keyword == '\0') {
		free(copy);
		return 0;
	}
	if ((*keyword_out = hc_strdup(keyword)) == NULL) {
		free(copy);
		return HC_ERROR;
	}
	if (s == NULL)
		copy[0] = '\0';
	else
		memmove(copy, s, strlen(s) + 1);
	*args = copy;
	return 0;
}

/*
 * The stand-in in SCRATCH for what KEYWORD names on the host, or NULL
 * when sshd -t opens nothing for it: the throwaway key for a HostKey
 * (so a HostKey in a Match block is still refused), and names of
 * nothing for a certificate or an agent's socket, which sshd only
 * complains of.
 */
static const char *stand_in(const char *keyword)
{
	static const struct {
		const char *keyword, *name;
	} opened[] = {
	    {"hostkey", "host_key"},
	    {"hostcertificate", "no-host-certificate"},
	    {"hostkeyagent", "no-host-key-agent"},
	};

	for (size_t i = 0; i < sizeof(opened) / sizeof(opened[0]); i++)
		if (strcasecmp(keyword, opened[i].keyword) == 0)
			return opened[i].name;
	return NULL;
}

/* Append S double-quoted, as sshd's argv_split reads it back. */
static int put_quoted(struct hc_buf *out, const char *s)
{
	int error = hc_buf_puts(out, " \"");

	for (; *s && error == 0; s++) {
		if (*s == '"' || *s == '\\')
			error = hc_buf_puts(out, "\\");
		if (error == 0)
			error = hc_buf_put(out, s, 1);
	}
	return error < 0 ? error : hc_buf_puts(out, "\"");
}

/* Append SCRATCH/NAME double-quoted: a stand-in's path. */
static int put_stand_in(struct hc_buf *out, const char *scratch,
			const char *name)
{
	struct hc_buf path = HC_BUF_INIT;
	int error;

	if ((error = hc_buf_printf(&path, "%s/%s", scratch, name)) == 0)
		error = put_quoted(out, path.ptr);
	hc_buf_release(&path);
	return error;
}

/*
 * An Include line of PATH (line LINENO) for the copy: each pattern as
 * sshd resolves it, under TOP; every file it names in ROOT copied first.
 */
static int mirror_include(struct hc_buf *out, struct mirror *m,
			  const char *args, const char *path,
			  unsigned int lineno)
{
	struct hc_strlist argv = HC_STRLIST_INIT, paths = HC_STRLIST_INIT;
	struct hc_buf pattern = HC_BUF_INIT, where = HC_BUF_INIT,
		      clamped = HC_BUF_INIT;
	int error;

	if ((error = sshd_include_args(&argv, args, path, lineno)) < 0 ||
	    (error = hc_buf_puts(out, "Include")) < 0)
		goto out;
	for (size_t a = 0; a < argv.n && error == 0; a++) {
		hc_strlist_release(&paths);
		hc_buf_clear(&where);
		if ((error = sshd_include_pattern(&pattern, argv.v[a])) < 0 ||
		    (error = hc_ctx_glob(&paths, m->ctx, pattern.ptr)) < 0)
			goto out;
		for (size_t i = 0; i < paths.n && error == 0; i++)
			error = mirror_file(m, paths.v[i], path, lineno);
		if (error == 0 && m->top &&
		    (error = hc_path_clean(&clamped, pattern.ptr)) == 0 &&
		    (error = hc_buf_printf(&where, "%s%s", m->top,
					   clamped.ptr)) == 0)
			error = put_quoted(out, where.ptr);
	}
out:
	hc_strlist_release(&argv);
	hc_strlist_release(&paths);
	hc_buf_release(&pattern);
	hc_buf_release(&where);
	hc_buf_release(&clamped);
	return error;
}

/* mkdir -p the directories of FULL below TOP (which exists). */
static int make_dirs(const char *top, const char *full)
{
	char *copy = hc_strdup(full), *p;
	int error = 0;

	if (copy == NULL)
		return HC_ERROR;
	for (p = copy + strlen(top) + 1; (p = strchr(p, '/')) != NULL; p++) {
		*p = '\0';
		if (mkdir(copy, 0700) < 0 && errno != EEXIST) {
			hc_error_set_os(copy, "cannot create");
			error = HC_ERROR;
		}
		*p = '/';
		if (error < 0)
			break;
	}
	free(copy);
	return error;
}

static int write_new(const char *full, const struct hc_buf *text)
{
	int fd = open(
	    full, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);

	if (fd < 0 ||
	    write(fd, text->ptr ? text->ptr : "", text->size) !=
		(ssize_t)text->size ||
	    close(fd) < 0) {
		hc_error_set_os(full, "cannot write");
		if (fd >= 0)
			close(fd);
		return HC_ERROR;
	}
	return 0;
}

/*
 * LINE (line LINENO of PATH) as the copy has it, appended to OUT: an
 * Include pointing into the copy, a keyword naming a host file with its
 * stand-in, any other line as is.
 */
static int mirror_line(struct hc_buf *out, struct mirror *m, const char *line,
		       const char *path, unsigned int lineno)
{
	char *args, *keyword;
	const char *instead;
	int error;

	if ((error = line_keyword(&keyword, &args, line)) < 0)
		return error;
	instead = keyword && m->scratch ? stand_in(keyword) : NULL;
	if (keyword && strcasecmp(keyword, "include") == 0)
		error = mirror_include(out, m, args, path, lineno);
	else if (instead && (error = hc_buf_puts(out, keyword)) == 0)
		error = put_stand_in(out, m->scratch, instead);
	else if (instead == NULL)
		error = hc_buf_puts(out, line);
	free(keyword);
	free(args);
	return error;
}

/*
 * Copy PATH, which FROM:FROMLINE includes, into the copy once: sshd
 * reads the copy's Includes itself, nesting limit and all, so each file
 * is copied once however often it is included.
 */
static int mirror_file(struct mirror *m, const char *path, const char *from,
		       unsigned int fromline)
{
	struct hc_buf bytes = HC_BUF_INIT, text = HC_BUF_INIT,
		      full = HC_BUF_INIT;
	struct hc_buf clamped = HC_BUF_INIT;
	unsigned int lineno = 0;
	char *line, *rest;
	bool added, gone;
	int error;

	if ((error = hc_path_clean(&clamped, path)) < 0 ||
	    (error = sshd_seen_add(&added, &m->seen, clamped.ptr)) < 0 ||
	    !added)
		goto out;
	if (m->seen.n > SSHD_MAX_INCLUDES) {
		hc_error_set_at(from, fromline,
				"Include expands to more than %d files",
				SSHD_MAX_INCLUDES);
		error = hc_error_set_code(HC_EINVALID);
		goto out;
	}
	if ((error = planned_bytes(&bytes, &gone, &m->changed, m->ctx, path)) <
		0 ||
	    gone)
		goto out;
	if ((error = hc_buf_puts(&m->key, path)) < 0 ||
	    (error = hc_buf_put(&m->key, "", 1)) < 0 ||
	    (error = hc_buf_put(&m->key, bytes.ptr ? bytes.ptr : "",
				bytes.size)) < 0 ||
	    (error = hc_buf_put(&m->key, "", 1)) < 0)
		goto out;
	/* strsep, not strtok: empty lines keep the numbering. */
	for (rest = bytes.ptr;
	     rest && (line = strsep(&rest, "\n")) != NULL && error == 0;) {
		lineno++;
		if ((error = mirror_line(&text, m, line, path, lineno)) < 0)
			break;
		if (rest)
			error = hc_buf_puts(&text, "\n");
	}
	/* Without TOP, a pass that only reads: the key and whether rules
	 * changed a file. */
	if (error < 0 || m->top == NULL ||
	    (error = hc_buf_printf(&full, "%s%s", m->top, clamped.ptr)) < 0 ||
	    (error = make_dirs(m->top, full.ptr)) < 0)
		goto out;
	error = write_new(full.ptr, &text);
out:
	hc_buf_release(&clamped);
	hc_buf_release(&bytes);
	hc_buf_release(&text);
	hc_buf_release(&full);
	return error;
}

/* Why the host cannot check sshd_config, or NULL when it can. */
static const char *cannot_check(const char **sshd)
{
	struct stat st;

	*sshd = getenv("HARDCTL_SSHD");
	if (*sshd == NULL || (*sshd)[0] == '\0')
		*sshd = SSHD_BIN;
	/* The verdict depends on each: a check's answer with it.  sshd -t
	 * looks its privilege separation user up in the host's accounts.
	 * A name without a slash is found through PATH when run: which
	 * file that is, no note can say. */
	if (strchr(*sshd, '/') == NULL)
		hc_trace_doubt();
	hc_trace_host(*sshd);
	hc_trace_host(PRIVSEP_DIR);
	hc_trace_host("/etc/passwd");
	hc_trace_host("/etc/nsswitch.conf");
	if (access(*sshd, X_OK) < 0)
		return "no sshd on this host";
	if (stat(PRIVSEP_DIR, &st) < 0 || !S_ISDIR(st.st_mode))
		return "sshd -t needs " PRIVSEP_DIR ", which this host lacks";
	return NULL;
}

/*
 * Turn sshd's "TOP/PATH line N: WHAT" (or "TOP/PATH: line N: WHAT")
 * into the last error, blaming PATH and line N, WHAT after PREFIX.
 */
static void blame(const char *top, const char *output, const char *prefix)
{
	size_t len = strlen(top);
	const char *p = output, *at, *eol;
	unsigned long n;
	char *end;

	for (; (p = strstr(p, top)) != NULL; p += len) {
		eol = p + strcspn(p, "\n");
		at = strstr(p, " line ");
		if (at == NULL || at > eol)
			continue;
		n = strtoul(at + 6, &end, 10);
		if (n == 0 || n > UINT_MAX || end == at + 6)
			continue;
		{
			char path[4096];
			size_t plen = (size_t)(at - (p + len));

			if (plen && p[len + plen - 1] == ':')
				plen--;
			if (plen == 0 || plen >= sizeof(path))
				continue;
			memcpy(path, p + len, plen);
			path[plen] = '\0';
			end += strspn(end, ": ");
			hc_error_set_at(path, (unsigned int)n, "%s: %.*s",
					prefix, (int)(eol - end), end);
			return;
		}
	}
	hc_error_set("%s: %.*s", prefix, (int)strcspn(output, "\n"), output);
}

/* SSHD's version, as `sshd -V` prints it ("OpenSSH_9.2"), into OUT; asked once.
 */
static void sshd_version(char *out, size_t size, const char *sshd)
{
	static char known[128], known_sshd[4096];
	const char *const argv[] = {sshd, "-V", NULL};
	struct hc_buf text = HC_BUF_INIT;
	const char *v;
	int status;

	if (known[0] && strcmp(known_sshd, sshd) == 0) {
		snprintf(out, size, "%s", known);
		return;
	}
	snprintf(out, size, "unknown version");
	/* sshd before 9.x has no -V: its usage message names the version too.
	 */
	if (hc_run(&text, &status, argv) == 0 &&
	    (v = strstr(hc_buf_cstr(&text), "OpenSSH")) != NULL)
		snprintf(out, size, "%.*s", (int)strcspn(v, ", \n"), v);
	snprintf(known, sizeof(known), "%s", out);
	snprintf(known_sshd, sizeof(known_sshd), "%s", sshd);
	hc_error_clear();
	hc_buf_release(&text);
}

/*
 * Copy ROOT's configuration into SCRATCH and start the host's SSHD -t
 * on it, as JOB.
 */
static int test_start(struct hc_run_job *job, struct hc_ctx *ctx,
		      const char *scratch, const char *sshd)
{
	struct mirror m = {ctx, NULL, {0}, HC_BUF_INIT, false, NULL};
	struct hc_buf top = HC_BUF_INIT, config = HC_BUF_INIT,
		      hostkey = HC_BUF_INIT;
	int error;

	if ((error = hc_buf_printf(&top, "%s/root", scratch)) < 0 ||
	    (error = hc_buf_printf(&config, "%s%s", top.ptr, SSHD_CONFIG)) <
		0 ||
	    (error = hc_buf_printf(&hostkey, "%s/host_key", scratch)) < 0)
		goto out;
	if (mkdir(top.ptr, 0700) < 0) {
		hc_error_set_os(top.ptr, "cannot create");
		error = HC_ERROR;
		goto out;
	}
	m.top = top.ptr;
	m.scratch = scratch;
	if ((error = mirror_file(&m, SSHD_CONFIG, SSHD_CONFIG, 0)) < 0)
		goto out;
	/* sshd -t wants a host key: a throwaway one, made here. */
	if ((error = hc_ssh_hostkey_create(hostkey.ptr)) < 0)
		goto out;
	{
		const char *const check[] = {
		    sshd, "-t", "-f", config.ptr, "-h", hostkey.ptr, NULL};

		error = hc_run_start(job, check, SSHD_TIMEOUT);
	}
out:
	sshd_seen_release(&m.seen);
	hc_buf_release(&m.key);
	hc_buf_release(&top);
	hc_buf_release(&config);
	hc_buf_release(&hostkey);
	return error;
}

/*
 * Wait for JOB, test_start()'s sshd -t in SCRATCH: *refused and the
 * last error (blamed on the line sshd names, after WHAT, and with
 * NAME_SSHD, SSHD's path and version) when sshd refuses the
 * configuration; sshd -V is asked only then.
 */
static int test_end(bool *refused, struct hc_run_job *job, const char *scratch,
		    const char *sshd, const char *what, bool name_sshd)
{
	char prefix[512], version[128], top[4096];
	struct hc_buf out = HC_BUF_INIT;
	int error, status = 0;

	*refused = false;
	snprintf(top, sizeof(top), "%s/root", scratch);
	if ((error = hc_run_finish(job, &out, &status)) < 0)
		goto out;
	if (name_sshd && (!WIFEXITED(status) || WEXITSTATUS(status) != 0)) {
		sshd_version(version, sizeof(version), sshd);
		snprintf(prefix, sizeof(prefix), "%s (this host's %s, %s)",
			 what, sshd, version);
	} else {
		snprintf(prefix, sizeof(prefix), "%s", what);
	}
	if (WIFSIGNALED(status) && WTERMSIG(status) == SIGALRM) {
		hc_error_set("%s: sshd -t did not finish within %d seconds "
			     "(does it name a FIFO?)",
			     prefix, SSHD_TIMEOUT);
		*refused = true;
	} else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		blame(top, hc_buf_cstr(&out) ? hc_buf_cstr(&out) : "", prefix);
		*refused = true;
	}
out:
	hc_buf_release(&out);
	return error;
}

/* test_start(), then test_end(). */
static int sshd_test(bool *refused, struct hc_ctx *ctx, const char *scratch,
		     const char *sshd, const char *what, bool name_sshd)
{
	struct hc_run_job job;
	int error;

	*refused = false;
	if ((error = test_start(&job, ctx, scratch, sshd)) < 0)
		return error;
	return test_end(refused, &job, scratch, sshd, what, name_sshd);
}

/* Warn once that sshd cannot be run here. */
static void warn_unchecked(const char *why)
{
	static bool warned;

	char line[512];

	snprintf(line, sizeof(line),
		 "hardctl: warning: sshd_config not checked with sshd -t: %s\n",
		 why);
	if (!warned)
		hc_cache_say(line);
	warned = true;
}

/* The sshd -t an sshd_validate_start() left running. */
struct validate_job {
	struct hc_run_job run;
	const char *sshd;
	char scratch[4096];
};

static int validate_finish(struct hc_file_job *job)
{
	struct validate_job *j = job->data;
	bool refused;
	int error;

	error = test_end(
	    &refused, &j->run, j->scratch, j->sshd,
	    "sshd -t rejects the sshd configuration as it would be", false);
	free(j);
	job->data = NULL;
	if (error == 0 && refused)
		error = hc_error_set_code(HC_EUNSAFE);
	return error;
}

static void validate_abandon(struct hc_file_job *job)
{
	struct validate_job *j = job->data;

	hc_run_abandon(&j->run);
	free(j);
	job->data = NULL;
}

int sshd_validate_start(struct hc_file_job *job, struct hc_ctx *ctx,
			const struct hc_file *file, const struct hc_buf *data,
			const char *scratch)
{
	struct validate_job *j;
	const char *sshd, *why;
	int error;

	(void)file;
	(void)data;
	memset(job, 0, sizeof(*job));
	if ((why = cannot_check(&sshd)) != NULL) {
		warn_unchecked(why);
		return 0;
	}
	if ((j = calloc(1, sizeof(*j))) == NULL)
		return hc_error_oom();
	if ((error = test_start(&j->run, ctx, scratch, sshd)) < 0) {
		free(j);
		return error;
	}
	j->sshd = sshd;
	snprintf(j->scratch, sizeof(j->scratch), "%s", scratch);
	job->finish = validate_finish;
	job->abandon = validate_abandon;
	job->data = j;
	return 0;
}

int sshd_validate(struct hc_ctx *ctx, const struct hc_file *file,
		  const struct hc_buf *data, const char *scratch)
{
	struct hc_file_job job;
	int error = sshd_validate_start(&job, ctx, file, data, scratch);

	if (error < 0 || job.finish == NULL)
		return error;
	return job.finish(&job);
}

static int rm_entry(const char *path, const struct stat *st, int flag,
		    struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	return flag == FTW_DP ? rmdir(path) : unlink(path);
}

/*
 * The last verdict, kept while the configuration's bytes (and the sshd
 * asked) stay the same: every sshd rule asks, and one sshd -t answers all.
 */
static struct {
	struct hc_buf key;
	bool refused;
	struct hc_error error;
} last = {HC_BUF_INIT, false, {0, "", 0, ""}};

/*
 * An sshd -t started ahead of its verdict (sshd_verdict_start()), on the
 * configuration whose key it keeps, in its scratch directory.
 */
static struct {
	struct hc_run_job job;
	bool running;
	struct hc_buf key;
	char scratch[4096];
} ahead = {.key = HC_BUF_INIT};

/* End the sshd -t started ahead, unheard, and remove its scratch. */
static void abandon_ahead(void)
{
	if (!ahead.running)
		return;
	hc_run_abandon(&ahead.job);
	nftw(ahead.scratch, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
	hc_buf_clear(&ahead.key);
	ahead.running = false;
}

/*
 * The key of the configuration sshd would read now, as the plan leaves
 * it, into M (a pass that only reads).  *changed: a rule changed a file
 * of it, whose verdict is the guard's to give.
 */
static int verdict_key(struct mirror *m, bool *changed, const char *sshd)
{
	int error;

	*changed = false;
	if ((error = mirror_file(m, SSHD_CONFIG, SSHD_CONFIG, 0)) < 0 ||
	    (error = hc_buf_puts(&m->key, sshd)) < 0)
		return error;
	*changed = m->changed;
	return 0;
}

void sshd_verdict_start(struct hc_ctx *ctx)
{
	static bool registered;
	const char *tmp = getenv("TMPDIR"), *sshd;
	struct mirror m = {ctx, NULL, {0}, HC_BUF_INIT, false, NULL};
	bool changed;

	/* Only for the first verdict: the others are mostly kept ones, and
	 * the key costs a read of every file sshd reads. */
	if (ahead.running || last.key.size || cannot_check(&sshd) != NULL)
		return;
	/* Best effort: whatever fails here, sshd_verdict() meets again. */
	if (verdict_key(&m, &changed, sshd) < 0 || changed)
		goto out;
	snprintf(ahead.scratch, sizeof(ahead.scratch), "%s/hardctl-sshd.XXXXXX",
		 tmp && tmp[0] ? tmp : "/tmp");
	if (mkdtemp(ahead.scratch) == NULL)
		goto out;
	if (!registered)
		registered = atexit(abandon_ahead) == 0;
	if (!registered ||
	    test_start(&ahead.job, ctx, ahead.scratch, sshd) < 0) {
		nftw(ahead.scratch, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
		goto out;
	}
	ahead.running = true;
	hc_buf_clear(&ahead.key);
	if (hc_buf_put(&ahead.key, m.key.ptr, m.key.size) < 0)
		abandon_ahead();
out:
	hc_error_clear();
	sshd_seen_release(&m.seen);
	hc_buf_release(&m.key);
}

void sshd_verdict_abandon(void)
{
	abandon_ahead();
}

/*
 * The verdict on the configuration whose key is KEY: from the sshd -t
 * started ahead on it, or from one run now.
 */
static int run_verdict(bool *refused, struct hc_ctx *ctx, const char *sshd,
		       const struct hc_buf *key)
{
	static const char what[] = "sshd -t rejects the sshd configuration";
	const char *tmp = getenv("TMPDIR");
	char scratch[4096];
	int error;

	if (ahead.running && hc_buf_equal(&ahead.key, key)) {
		error = test_end(refused, &ahead.job, ahead.scratch, sshd, what,
				 true);
		nftw(ahead.scratch, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
		hc_buf_clear(&ahead.key);
		ahead.running = false;
		return error;
	}
	abandon_ahead();
	snprintf(scratch, sizeof(scratch), "%s/hardctl-sshd.XXXXXX",
		 tmp && tmp[0] ? tmp : "/tmp");
	if (mkdtemp(scratch) == NULL) {
		hc_error_set_os(scratch, "cannot create a scratch directory");
		return HC_ERROR;
	}
	error = sshd_test(refused, ctx, scratch, sshd, what, true);
	nftw(scratch, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
	return error;
}

int sshd_verdict(struct hc_ctx *ctx)
{
	const char *sshd, *why;
	struct mirror m = {ctx, NULL, {0}, HC_BUF_INIT, false, NULL};
	bool refused, changed;
	int error;

	if ((why = cannot_check(&sshd)) != NULL) {
		warn_unchecked(why);
		return 0;
	}
	/*
	 * A first pass only reads: the plan's own changes are the guard's
	 * to judge, before install, and most asks find the verdict kept.
	 */
	if ((error = verdict_key(&m, &changed, sshd)) < 0 || changed)
		goto out;
	if (!hc_buf_equal(&last.key, &m.key)) {
		hc_buf_clear(&last.key);
		if ((error = run_verdict(&refused, ctx, sshd, &m.key)) < 0)
			goto out;
		last.refused = refused;
		if (refused)
			last.error = *hc_error_last();
		if ((error = hc_buf_put(&last.key, m.key.ptr, m.key.size)) < 0)
			goto out;
	}
	if (last.refused) {
		hc_error_restore(&last.error);
		error = hc_error_set_code(HC_EUNSAFE);
	}
out:
	sshd_seen_release(&m.seen);
	hc_buf_release(&m.key);
	return error;
}
