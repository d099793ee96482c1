/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unified diffs (see hardctl/diff.h).
 */
#include <git2.h>
#include <string.h>
#include "hardctl/diff.h"
#include "hardctl/mask.h"
#include "hardctl/plan.h"
#include "hardctl/state.h"

static int git_fail(const char *what)
{
	const git_error *e = git_error_last();

	hc_error_set("%s: %s", what,
		     e && e->message ? e->message : "unknown error");
	return HC_ERROR;
}

/* The mode as git writes it: 120000 for a symlink, 100xxx for a file. */
static unsigned int git_mode(const struct hc_file_state *st)
{
	return st->link ? 0120000u : (unsigned int)(0100000 | st->mode);
}

/* "PREFIX" REL "SUFFIX", REL (a name from ROOT) with its control characters
 * escaped. */
static int put_name(struct hc_buf *out, const char *prefix, const char *rel,
		    const char *suffix)
{
	int error = hc_buf_puts(out, prefix);

	if (error == 0 && (error = hc_buf_puts_escaped(out, rel)) == 0)
		error = hc_buf_puts(out, suffix);
	return error;
}

/* git's header lines for PATH: kind, mode and owner changes, file names. */
static int headers(struct hc_buf *out, const char *rel,
		   const struct hc_file_state *old,
		   const struct hc_file_state *new, bool same_data)
{
	int error = put_name(out, "diff --git a/", rel, " b/");

	if (error == 0)
		error = put_name(out, "", rel, "\n");

	if (error == 0 && !old->exists)
		error =
		    hc_buf_printf(out, "new file mode %06o\n", git_mode(new));
	else if (error == 0 && !new->exists)
		error = hc_buf_printf(out, "deleted file mode %06o\n",
				      git_mode(old));
	else if (error == 0 && git_mode(old) != git_mode(new))
		error = hc_buf_printf(out, "old mode %06o\nnew mode %06o\n",
				      git_mode(old), git_mode(new));
	if (error == 0 && old->exists && new->exists &&
	    (old->uid != new->uid || old->gid != new->gid))
		error = hc_buf_printf(
		    out, "old owner %u:%u\nnew owner %u:%u\n",
		    (unsigned int)old->uid, (unsigned int)old->gid,
		    (unsigned int)new->uid, (unsigned int)new->gid);
	if (error < 0 || same_data)
		return error;
	error = old->exists ? put_name(out, "--- a/", rel, "\n")
			    : hc_buf_puts(out, "--- /dev/null\n");
	if (error == 0)
		error = new->exists ? put_name(out, "+++ b/", rel, "\n")
				    : hc_buf_puts(out, "+++ /dev/null\n");
	return error;
}

int hc_diff_file(struct hc_buf *out, const char *path,
		 const struct hc_file_state *old,
		 const struct hc_file_state *new)
{
	git_diff_options opts;
	git_buf text = GIT_BUF_INIT;
	git_patch *patch = NULL;
	const char *hunks;
	const char *rel = path[0] == '/' ? path + 1 : path;
	bool same_data = hc_file_state_same_data(old, new);
	size_t start;
	int error;

	if (hc_file_state_equal(old, new))
		return 0;
	if ((error = headers(out, rel, old, new, same_data)) < 0 || same_data)
		return error;

	git_diff_options_init(&opts, GIT_DIFF_OPTIONS_VERSION);
	opts.context_lines = 3;
	if (git_patch_from_buffers(
		&patch, old->exists ? hc_buf_cstr(&old->data) : NULL,
		old->exists ? old->data.size : 0, rel,
		new->exists ? hc_buf_cstr(&new->data) : NULL,
		new->exists ? new->data.size : 0, rel, &opts) < 0) {
		error = git_fail("cannot diff");
		goto out;
	}
	if (git_patch_to_buf(&text, patch) < 0) {
		error = git_fail("cannot format diff");
		goto out;
	}
	/*
	 * The headers above are ours, in git's form; libgit2's differ with
	 * the case (its "index" line, its names for created files), so
	 * only its hunks are kept.
	 */
	start = out->size;
	if (text.ptr && (hunks = strstr(text.ptr, "\n@@ ")) != NULL &&
	    (error = hc_buf_puts(out, hunks + 1)) == 0 &&
	    (error = hc_mask_diff(out, start, rel)) == 0)
		/* The lines are ROOT's: no control character but tabs reaches
		 * the terminal. */
		error = hc_buf_escape(out, start, "\n\t");
out:
	git_buf_dispose(&text);
	git_patch_free(patch);
	return error;
}

int hc_diff_plan(struct hc_buf *out, const struct hc_plan *plan)
{
	for (size_t i = 0; i < plan->nfiles; i++) {
		const struct hc_plan_file *f = &plan->files[i];
		int error;

		if ((error =
			 hc_diff_file(out, f->path, &f->before, &f->after)) < 0)
			return error;
	}
	return 0;
}

/* The colour of line LINE of LEN bytes, *in_hunk telling where it stands. */
static const char *line_color(const char *line, size_t len, bool *in_hunk)
{
	if (len >= 3 && strncmp(line, "@@ ", 3) == 0) {
		*in_hunk = true;
		return "\033[36m";
	}
	if (len >= 11 && strncmp(line, "diff --git ", 11) == 0)
		*in_hunk = false;
	if (!*in_hunk)
		return "\033[1m";
	if (line[0] == '-')
		return "\033[31m";
	if (line[0] == '+')
		return "\033[32m";
	return NULL;
}

int hc_diff_color(struct hc_buf *text, size_t start)
{
	struct hc_buf out = HC_BUF_INIT;
	const char *p = text->ptr + start, *end = text->ptr + text->size;
	bool in_hunk = false;
	int error = 0;

	if (start >= text->size)
		return 0;
	if ((error = hc_buf_put(&out, text->ptr, start)) < 0)
		goto out;
	while (p < end && error == 0) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
		const char *color = len ? line_color(p, len, &in_hunk) : NULL;

		if (color)
			error = hc_buf_puts(&out, color);
		if (error == 0)
			error = hc_buf_put(&out, p, len);
		if (error == 0 && color)
			error = hc_buf_puts(&out, "\033[m");
		if (error == 0 && nl)
			error = hc_buf_put(&out, "\n", 1);
		p += len + (nl ? 1 : 0);
	}
	if (error == 0)
		error = hc_buf_set(text, out.ptr, out.size);
out:
	hc_buf_release(&out);
	return error;
}
