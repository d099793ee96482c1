/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The sshd lockout guard: before an sshd_config (or a file it includes)
 * is installed, the host's own sshd checks the configuration as the
 * plan leaves it, with `sshd -t`.
 *
 * sshd resolves Include against the host's /etc, not ROOT's, and needs
 * a host key: the guard writes one flat copy of the configuration, each
 * Include replaced by the files it names in ROOT (as the plan leaves
 * them), and a throwaway host key, both in the scratch directory.  It
 * runs the host's sshd, never a binary found inside ROOT.  A line sshd
 * rejects is mapped back to the file and line it came from.
 */
#include <errno.h>
#include <fcntl.h>
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
#include "hardctl/run.h"
#include "sshd_config.h"

#define SSHD_BIN "/usr/sbin/sshd"
#define SSH_KEYGEN "/usr/bin/ssh-keygen"
#define PRIVSEP_DIR "/run/sshd"
#define MAX_INCLUDE_DEPTH 16

/* The flat copy, and where each of its lines came from. */
struct flat {
	struct hc_buf text;
	struct hc_strlist from; /* one per line: the file */
	unsigned int *line;	/* and its line there */
	size_t alloc;
};

static int flat_line(struct flat *f, const char *line, size_t len, const char *file,
		     unsigned int lineno)
{
	if (f->from.n == f->alloc) {
		size_t alloc = f->alloc ? 2 * f->alloc : 64;
		unsigned int *v = realloc(f->line, alloc * sizeof(*v));

		if (v == NULL)
			return hc_error_oom();
		f->line = v;
		f->alloc = alloc;
	}
	f->line[f->from.n] = lineno;
	if (hc_strlist_push(&f->from, file) < 0 || hc_buf_put(&f->text, line, len) < 0 ||
	    hc_buf_puts(&f->text, "\n") < 0)
		return HC_ERROR;
	return 0;
}

/* PATH's bytes as the plan leaves it; *gone when it will not exist. */
static int planned_bytes(struct hc_buf *out, bool *gone, struct hc_ctx *ctx, const char *path)
{
	struct hc_file *file;
	struct stat st;
	int error;

	*gone = false;
	if ((file = hc_ctx_loaded(ctx, path)) != NULL) {
		*gone = !hc_file_present(file);
		if (*gone || (error = hc_file_render(file)) < 0)
			return *gone ? 0 : error;
		return hc_buf_set(out, file->cur.ptr, file->cur.size);
	}
	if ((error = hc_root_read(out, &st, ctx->root, path)) == HC_ENOTFOUND) {
		hc_error_clear();
		*gone = true;
		return 0;
	}
	return error;
}

static int flatten(struct flat *f, struct hc_ctx *ctx, const char *path, unsigned int depth);

/* An Include line's files, in glob order, relative names under /etc/ssh. */
static int flatten_include(struct flat *f, struct hc_ctx *ctx, char *args, const char *from,
			   unsigned int lineno, unsigned int depth)
{
	struct hc_strlist paths = HC_STRLIST_INIT;
	struct hc_buf pattern = HC_BUF_INIT;
	char *arg, *save = NULL;
	int error = 0;

	if (depth >= MAX_INCLUDE_DEPTH) {
		hc_error_set_at(from, lineno, "Include nested deeper than %d", MAX_INCLUDE_DEPTH);
		return hc_error_set_code(HC_EINVALID);
	}
	for (arg = strtok_r(args, " \t\"", &save); arg && error == 0;
	     arg = strtok_r(NULL, " \t\"", &save)) {
		hc_strlist_release(&paths);
		if ((error = sshd_include_pattern(&pattern, arg)) < 0 ||
		    (error = hc_ctx_glob(&paths, ctx, pattern.ptr)) < 0)
			break;
		for (size_t i = 0; i < paths.n && error == 0; i++)
			error = flatten(f, ctx, paths.v[i], depth + 1);
	}
	hc_strlist_release(&paths);
	hc_buf_release(&pattern);
	return error;
}

/* Whether LINE is an Include; its arguments in *args. */
static bool is_include(const char *line, const char **args)
{
	const char *p = line + strspn(line, " \t");

	if (strncasecmp(p, "include", 7) != 0 || (p[7] != ' ' && p[7] != '\t' && p[7] != '='))
		return false;
	*args = p + 7 + strspn(p + 7, " \t=");
	return true;
}

static int flatten(struct flat *f, struct hc_ctx *ctx, const char *path, unsigned int depth)
{
	struct hc_buf bytes = HC_BUF_INIT;
	char *line, *rest, *copy;
	unsigned int lineno = 0;
	const char *args;
	bool gone;
	int error;

	if ((error = planned_bytes(&bytes, &gone, ctx, path)) < 0 || gone || bytes.size == 0)
		goto out;
	/* strsep, not strtok: empty lines keep the numbering. */
	for (rest = bytes.ptr; (line = strsep(&rest, "\n")) != NULL && error == 0;) {
		lineno++;
		if (rest == NULL && line[0] == '\0')
			break;
		if (!is_include(line, &args)) {
			error = flat_line(f, line, strlen(line), path, lineno);
			continue;
		}
		if ((copy = hc_strdup(args)) == NULL)
			error = HC_ERROR;
		else
			error = flatten_include(f, ctx, copy, path, lineno, depth);
		free(copy);
	}
out:
	hc_buf_release(&bytes);
	return error;
}

/* Why the host cannot check sshd_config, or NULL when it can. */
static const char *cannot_check(const char **sshd)
{
	struct stat st;

	*sshd = getenv("HARDCTL_SSHD");
	if (*sshd == NULL || (*sshd)[0] == '\0')
		*sshd = SSHD_BIN;
	if (access(*sshd, X_OK) < 0)
		return "no sshd on this host";
	if (access(SSH_KEYGEN, X_OK) < 0)
		return "no " SSH_KEYGEN " on this host";
	if (stat(PRIVSEP_DIR, &st) < 0 || !S_ISDIR(st.st_mode))
		return "sshd -t needs " PRIVSEP_DIR ", which this host lacks";
	return NULL;
}

/*
 * Turn sshd's "SCRATCH/sshd_config line N: WHAT" (or ": line N:") into
 * the last error, blaming the file and line N came from.
 */
static void blame(const struct flat *f, const char *config, const char *output)
{
	size_t len = strlen(config);
	const char *p = strstr(output, config);
	unsigned long n = 0;
	char *end = NULL;

	if (p) {
		p += len;
		p += strspn(p, ":");
		if (strncmp(p, " line ", 6) == 0)
			n = strtoul(p + 6, &end, 10);
	}
	if (n == 0 || n > f->from.n || end == NULL) {
		hc_error_set("sshd -t rejects the sshd configuration as it would be: %.*s",
			     (int)strcspn(output, "\n"), output);
		return;
	}
	end += strspn(end, ": ");
	hc_error_set_at(f->from.v[n - 1], f->line[n - 1],
			"sshd -t rejects the sshd configuration as it would be: %.*s",
			(int)strcspn(end, "\n"), end);
}

int sshd_validate(struct hc_ctx *ctx, const struct hc_file *file, const struct hc_buf *data,
		  const char *scratch)
{
	static bool warned;
	struct flat f = { HC_BUF_INIT, HC_STRLIST_INIT, NULL, 0 };
	struct hc_buf config = HC_BUF_INIT, key = HC_BUF_INIT, out = HC_BUF_INIT;
	const char *sshd, *why;
	int error, status = 0, fd;

	(void)file;
	(void)data;
	if ((why = cannot_check(&sshd)) != NULL) {
		if (!warned)
			fprintf(stderr, "hardctl: warning: sshd_config not checked with sshd -t: %s\n",
				why);
		warned = true;
		return 0;
	}
	if ((error = flatten(&f, ctx, SSHD_CONFIG, 0)) < 0 ||
	    (error = hc_buf_printf(&config, "%s/sshd_config", scratch)) < 0 ||
	    (error = hc_buf_printf(&key, "%s/host_key", scratch)) < 0)
		goto out;
	if ((fd = open(config.ptr, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600)) < 0 ||
	    write(fd, f.text.ptr ? f.text.ptr : "", f.text.size) != (ssize_t)f.text.size ||
	    close(fd) < 0) {
		hc_error_set_os(config.ptr, "cannot write");
		error = HC_ERROR;
		goto out;
	}
	{
		const char *const keygen[] = { SSH_KEYGEN, "-q", "-t", "ed25519", "-N", "", "-f", key.ptr, NULL };

		if ((error = hc_run(&out, &status, keygen)) < 0)
			goto out;
		if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
			hc_error_set("%s cannot make a throwaway host key: %s", SSH_KEYGEN,
				     hc_buf_cstr(&out));
			error = HC_ERROR;
			goto out;
		}
	}
	hc_buf_clear(&out);
	{
		const char *const check[] = { sshd, "-t", "-f", config.ptr, "-h", key.ptr, NULL };

		if ((error = hc_run(&out, &status, check)) < 0)
			goto out;
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		blame(&f, config.ptr, hc_buf_cstr(&out) ? hc_buf_cstr(&out) : "");
		error = hc_error_set_code(HC_EUNSAFE);
	}
out:
	hc_buf_release(&f.text);
	hc_strlist_release(&f.from);
	free(f.line);
	hc_buf_release(&config);
	hc_buf_release(&key);
	hc_buf_release(&out);
	return error;
}
