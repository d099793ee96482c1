/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * hardctl status: managed files changed outside hardctl since its last
 * transaction, from the store's state file (libgit2 is not started);
 * with --diff, each change as a diff from the bytes hardctl wrote (the
 * store's main branch) to the file as it is; and hardctl recover.
 */
#include <getopt.h>
#include <git2.h>
#include <string.h>
#include "hardctl/cache.h"
#include "hardctl/diff.h"
#include "hardctl/drift.h"
#include "hardctl/json.h"
#include "hardctl/manifest.h"
#include "hardctl/root.h"
#include "hardctl/state.h"
#include "hardctl/store.h"
#include "hardctl/trace.h"
#include "hardctl/txn.h"
#include "cmd.h"

static const char status_usage[] =
    "usage: hardctl status [--diff [-p PROFILE] [--tailoring FILE|none]]\n"
    "                      [--format text|json] [--no-cache]\n"
    "Lists the files hardctl manages that changed since its last\n"
    "transaction: exit 0 when none did, 1 when one did.  --diff shows\n"
    "each change as a diff from what hardctl wrote to what is there now\n"
    "(a file removed or now a symlink is told, not followed).  Secrets\n"
    "are masked: those of the files' syntax always, the profile's\n"
    "secret values when given the profile and tailoring apply used.\n"
    "Without --diff, a status whose every input is unchanged since the\n"
    "last identical one is answered from the verified cache, as check's\n"
    "is; --no-cache reads everything again.\n";

/* What status --diff needs: the store's record of what hardctl wrote. */
struct differ {
	struct hc_store *store;
	struct hc_manifest main; /* the main branch's manifest */
	struct hc_oid tip;
	bool exists; /* the main branch has a commit */
	bool git;    /* libgit2 was initialised here */
};

static const char recover_usage[] =
    "usage: hardctl recover [--format text|json]\n"
    "Finishes recovering a transaction a crash interrupted: the files it\n"
    "had replaced are put back as they were before it.  Every other\n"
    "command does this first by itself when it may.\n";

/* Whether a file that was not a symlink when hardctl wrote it now is. */
static bool now_link(const struct hc_drift *d,
		     const struct hc_manifest_entry *e)
{
	return d->now.exists && d->now.link && !e->link;
}

static int line_text(struct hc_buf *out, const struct hc_drift *d,
		     const struct hc_manifest_entry *e)
{
	int error = hc_buf_printf(out, "%-9s ", d->change);

	if (error == 0)
		error = hc_buf_puts_escaped(out, d->path);

	if (error == 0 && now_link(d, e))
		return hc_buf_puts(out, " (now a symlink)\n");
	if (error == 0 && d->content)
		error = hc_buf_puts(out, " (content)");
	if (error == 0 && d->mode)
		error = hc_buf_printf(out, " (mode %04o, was %04o)",
				      (unsigned int)d->now.mode,
				      (unsigned int)e->mode);
	if (error == 0 && d->owner)
		error = hc_buf_printf(
		    out, " (owner %u:%u, was %u:%u)", (unsigned int)d->now.uid,
		    (unsigned int)d->now.gid, (unsigned int)e->uid,
		    (unsigned int)e->gid);
	return error ? error : hc_buf_puts(out, "\n");
}

/*
 * Into OUT, the diff of E's file from what hardctl last wrote (the main
 * branch of the store) to NOW; a file removed or now a symlink is told
 * in a line, never followed.
 */
static int file_diff(struct hc_buf *out, struct differ *df,
		     const struct hc_manifest_entry *e, struct hc_root *root)
{
	const struct hc_manifest_entry *w =
	    df->exists ? hc_manifest_find(&df->main, e->path) : NULL;
	struct hc_file_state wrote = {0}, now = {0};
	int error;

	if ((error = hc_root_state(&now, root, e->path)) < 0)
		goto out;
	if (now.exists && now.link && !(w && w->link)) {
		error = hc_buf_puts(out, "# ");
		if (error == 0)
			error = hc_buf_puts_escaped(out, e->path);
		if (error == 0)
			error = hc_buf_puts(out, ": now a symlink to '");
		if (error == 0)
			error =
			    hc_buf_puts_escaped(out, hc_buf_cstr(&now.data));
		if (error == 0)
			error = hc_buf_puts(out, "', not followed\n");
		goto out;
	}
	if (!now.exists) {
		error = hc_buf_puts(out, "# ");
		if (error == 0)
			error = hc_buf_puts_escaped(out, e->path);
		if (error == 0)
			error = hc_buf_puts(out, ": removed since hardctl "
						 "wrote it\n");
		goto out;
	}
	if (w == NULL) {
		/* The state file knows it, the main branch not: trust neither.
		 */
		hc_error_set_at(e->path, 0,
				"not in the store's main branch: the state "
				"file and the store disagree");
		error = hc_error_set_code(HC_EUNSAFE);
		goto out;
	}
	if ((error = hc_store_file_at(&wrote, df->store, &df->tip, w)) == 0)
		error = hc_diff_file(out, e->path, &wrote, &now);
out:
	hc_buf_release(&wrote.data);
	hc_buf_release(&now.data);
	return error;
}

static void line_json(struct hc_json *json, const struct hc_drift *d,
		      const struct hc_manifest_entry *e, const char *diff)
{
	hc_json_open(json, '{');
	hc_json_kv(json, "path", d->path);
	hc_json_kv(json, "change", d->change);
	hc_json_key(json, "content");
	hc_json_bool(json, d->content || strcmp(d->change, "modified") != 0);
	hc_json_key(json, "mode");
	hc_json_bool(json, d->mode);
	hc_json_key(json, "owner");
	hc_json_bool(json, d->owner);
	hc_json_key(json, "symlink");
	hc_json_bool(json, now_link(d, e));
	if (diff) {
		/* --diff: the diff, or null for a file removed or a symlink. */
		hc_json_key(json, "diff");
		if (diff[0] && d->now.exists && !now_link(d, e))
			hc_json_str(json, diff);
		else
			hc_json_null(json);
	}
	hc_json_close(json, '{');
}

/* Where status_report() writes: the list (text or JSON) and the diffs. */
struct report {
	struct hc_buf *out;
	struct hc_buf diffs; /* text: the diffs, after the list */
	struct hc_json json;
	struct cmd_env *env;
	struct differ *df; /* NULL: no --diff */
};

/* One changed file, D how it changed from E, into R. */
static int report_one(struct report *r, const struct hc_drift *d,
		      const struct hc_manifest_entry *e)
{
	struct hc_buf one = HC_BUF_INIT;
	int error = 0;

	if (r->df && (error = file_diff(&one, r->df, e, r->env->root)) < 0)
		goto out;
	if (r->env->format == HC_FORMAT_JSON)
		line_json(&r->json, d, e, r->df ? hc_buf_cstr(&one) : NULL);
	else if ((error = line_text(r->out, d, e)) == 0 && one.size)
		error = hc_buf_put(&r->diffs, one.ptr, one.size);
out:
	hc_buf_release(&one);
	return error;
}

/*
 * E's file is no regular file now, or too large (the last error says
 * which): changed since hardctl wrote it, and not read, into R.
 */
static int report_unread(struct report *r, const struct hc_manifest_entry *e)
{
	struct hc_drift d = {.path = e->path, .change = "modified"};
	char why[sizeof(hc_error_last()->message)];
	int error;

	memcpy(why, hc_error_last()->message, sizeof(why));
	hc_error_clear();
	d.content = true;
	d.now.exists = true;
	if (r->env->format == HC_FORMAT_JSON) {
		/* --diff: no diff of what was not read. */
		line_json(&r->json, &d, e, r->df ? "" : NULL);
		return 0;
	}
	if ((error = hc_buf_printf(r->out, "%-9s ", d.change)) == 0 &&
	    (error = hc_buf_puts_escaped(r->out, e->path)) == 0 &&
	    (error = hc_buf_puts(r->out, " (")) == 0 &&
	    (error = hc_buf_puts_escaped(r->out, why)) == 0)
		error = hc_buf_puts(r->out, ", not read)\n");
	return error;
}

static int status_report(struct hc_buf *out, size_t *changed,
			 struct cmd_env *env, const struct hc_manifest *m,
			 struct differ *df)
{
	struct report r = {
	    .out = out, .diffs = HC_BUF_INIT, .env = env, .df = df};
	int error = 0;

	*changed = 0;
	if (env->format == HC_FORMAT_JSON) {
		hc_json_init(&r.json, out);
		hc_json_open_document(&r.json);
		hc_json_key(&r.json, "schema");
		hc_json_int(&r.json, 1);
		hc_json_key(&r.json, "managed");
		hc_json_int(&r.json, (long long)m->n);
		hc_json_key(&r.json, "changed");
		hc_json_open(&r.json, '[');
	}
	for (size_t i = 0; i < m->n && error == 0; i++) {
		struct hc_drift d;
		bool drifted;

		error = hc_drift_compare(&d, &drifted, env->root, &m->v[i]);
		if (error == HC_EUNSAFE) {
			/* A FIFO or a directory now: one file, not the report.
			 */
			(*changed)++;
			error = report_unread(&r, &m->v[i]);
		} else if (error == 0 && drifted) {
			(*changed)++;
			error = report_one(&r, &d, &m->v[i]);
		}
	}
	if (error == 0 && env->format == HC_FORMAT_JSON) {
		hc_json_close(&r.json, '[');
		hc_json_close(&r.json, '{');
		error = hc_json_finish(&r.json);
	} else if (error == 0 && *changed == 0) {
		error = hc_buf_printf(
		    out, "%zu managed file%s, all as hardctl left them\n", m->n,
		    m->n == 1 ? "" : "s");
	} else if (error == 0 && r.diffs.size) {
		/* The list first, as git status -v; then what changed. */
		if ((error = hc_buf_puts(out, "\n")) == 0)
			error = hc_buf_put(out, r.diffs.ptr, r.diffs.size);
	}
	hc_buf_release(&r.diffs);
	return error;
}

/*
 * Get ready for --diff: the profile (its secrets are masked in every
 * diff), libgit2 and the store's main branch.  Without a store nothing
 * was applied, and nothing is managed.
 */
static int differ_open(struct differ *df, struct cmd_env *env)
{
	int error;

	if ((error = cmd_open(env, true)) < 0)
		return error;
	if (git_libgit2_init() < 0) {
		hc_error_set("cannot initialise libgit2");
		return HC_ERROR;
	}
	df->git = true;
	error = cmd_store_open(&df->store, env, 0);
	if (error == HC_ENOTFOUND) {
		hc_error_clear();
		return 0;
	}
	if (error == 0)
		error = hc_store_main_files(&df->main, &df->tip, &df->exists,
					    df->store);
	return error;
}

static void differ_close(struct differ *df)
{
	hc_manifest_release(&df->main);
	hc_store_free(df->store);
	if (df->git)
		git_libgit2_shutdown();
}

/* The manifest from the repository itself, when its cache is missing. */
static int main_manifest(struct hc_manifest *out, struct cmd_env *env)
{
	struct hc_store *store = NULL;
	int error;

	if (git_libgit2_init() < 0) {
		hc_error_set("cannot initialise libgit2");
		return HC_ERROR;
	}
	error = cmd_store_open(&store, env, 0);
	if (error == HC_ENOTFOUND) {
		hc_error_clear();
		error = 0;
	} else if (error == 0) {
		/* Read through libgit2, which no note follows: not cached. */
		hc_trace_doubt();
		error = hc_store_main_manifest(out, store);
	}
	hc_store_free(store);
	git_libgit2_shutdown();
	return error;
}

/* The managed files, from the state file, else the store, into M. */
static int managed(struct hc_manifest *m, struct hc_buf *path,
		   struct cmd_env *env)
{
	int error;

	if ((env->root == NULL &&
	     (error = hc_root_open(&env->root, env->root_path)) < 0) ||
	    (error = cmd_store_path(path, env)) < 0)
		return error;
	error = hc_store_state_read(m, path->ptr);
	if (error == HC_ENOTFOUND) {
		/* No state file: nothing applied yet, or the cache was lost. */
		hc_error_clear();
		error = main_manifest(m, env);
	}
	return error;
}

int cmd_status(int argc, char **argv, struct cmd_env *env)
{
	static const struct option longopts[] = {
	    {"diff", no_argument, NULL, 'D'},
	    {"no-cache", no_argument, NULL, 'N'},
	    CMD_PROFILE_LONGOPTS,
	    CMD_COMMON_LONGOPTS,
	    {NULL, 0, NULL, 0},
	};
	struct hc_manifest m = {0};
	struct hc_buf path = HC_BUF_INIT, out = HC_BUF_INIT;
	struct differ df = {0};
	bool diff = false, no_cache = false;
	size_t changed = 0, said = 0;
	int opt, error;

	while ((opt = cmd_getopt(argc, argv, "p:h", longopts)) != -1) {
		if (opt == 'D')
			diff = true;
		else if (opt == 'N')
			no_cache = true;
		else if (cmd_common_opt(env, opt, optarg, status_usage) != 0)
			return EXIT_USAGE;
	}
	if (optind < argc)
		return cmd_usage_error(status_usage, "unexpected argument '%s'",
				       argv[optind]);
	if (!diff && (env->profile_name || env->tailoring_path))
		return cmd_usage_error(status_usage, "%s goes with --diff",
				       env->profile_name ? "-p"
							 : "--tailoring");
	if (diff && (error = differ_open(&df, env)) < 0)
		goto out;
	error = managed(&m, &path, env);
	if (error == 0 && (error = status_report(&out, &changed, env, &m,
						 diff ? &df : NULL)) == 0) {
		said = hc_cache_said()->size;
		error = cmd_write(env, &out);
	}
	/* --diff reads the store through libgit2: never kept. */
	if (error == 0 && !diff && !no_cache)
		cmd_cache_keep(env, &out, changed ? EXIT_FAILED : EXIT_OK,
			       said);
out:
	differ_close(&df);
	hc_manifest_release(&m);
	hc_buf_release(&path);
	hc_buf_release(&out);
	if (error < 0)
		return cmd_fail(error, false);
	return changed ? EXIT_FAILED : EXIT_OK;
}

int cmd_recover(int argc, char **argv, struct cmd_env *env)
{
	static const struct option longopts[] = {
	    CMD_COMMON_LONGOPTS,
	    {NULL, 0, NULL, 0},
	};
	struct hc_buf out = HC_BUF_INIT;
	struct hc_recovery r = {0};
	struct hc_json json;
	int opt, error;

	while ((opt = cmd_getopt(argc, argv, "h", longopts)) != -1)
		if (cmd_common_opt(env, opt, optarg, recover_usage) != 0)
			return EXIT_USAGE;
	if (optind < argc)
		return cmd_usage_error(
		    recover_usage, "unexpected argument '%s'", argv[optind]);
	if ((error = cmd_recover_pending(&r, env, false)) < 0)
		return cmd_fail(error, true);
	if (env->format == HC_FORMAT_JSON) {
		hc_json_init(&json, &out);
		hc_json_open_document(&json);
		hc_json_key(&json, "schema");
		hc_json_int(&json, 1);
		hc_json_key(&json, "recovered");
		if (r.id)
			hc_json_int(&json, r.id);
		else
			hc_json_null(&json);
		hc_json_key(&json, "restored");
		hc_json_int(&json, (long long)r.restored);
		hc_json_key(&json, "kept");
		hc_json_int(&json, (long long)r.kept);
		hc_json_key(&json, "completed");
		hc_json_bool(&json, r.completed);
		hc_json_close(&json, '{');
		error = hc_json_finish(&json);
	} else if (r.id) {
		error = cmd_recovery_text(&out, &r);
	} else {
		error = hc_buf_puts(&out, "nothing to recover\n");
	}
	if (error == 0)
		error = cmd_write(env, &out);
	hc_buf_release(&out);
	return error < 0 ? cmd_fail(error, false) : EXIT_OK;
}
