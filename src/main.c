/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * hardctl's entry point: global options, the command table, and the
 * setup each command's row asks for.  Only this file initialises and
 * shuts down libgit2, OpenSSL and Augeas.
 */
#include <errno.h>
#include <getopt.h>
#include <git2.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "hardctl/aug.h"
#include "hardctl/diff.h"
#include "hardctl/engine.h"
#include "hardctl/install.h"
#include "hardctl/plan.h"
#include "hardctl/profile.h"
#include "hardctl/report.h"
#include "hardctl/root.h"
#include "hardctl/sign.h"
#include "hardctl/store.h"
#include "hardctl/term.h"
#include "hardctl/txn.h"
#include "cmd.h"

/*
 * The flags, the table and the usage text are laid out by hand: the
 * formatter keeps off them.
 */
/* clang-format off */
/* Setup a command needs before it runs. */
enum {
	NEED_GIT = 1u << 0,  /* libgit2 (diffs, the store): costs ~10 ms */
	NEED_ROOT = 1u << 1, /* works on ROOT: recover a crashed transaction first */
	JUNIT = 1u << 2,     /* writes --format junit too */
	/*
	 * first, a transaction awaiting confirmation whose watchdog is
	 * gone: CONFIRM_ACT, opening the store, acts on it; CONFIRM_TELL,
	 * for commands that write nothing, says so (cmd_confirm_check())
	 */
	CONFIRM_ACT = 1u << 3,
	CONFIRM_TELL = 1u << 4,
};

struct cmd_struct {
	const char *name;
	int (*fn)(int argc, char **argv, struct cmd_env *env);
	unsigned int flags;
};

static const struct cmd_struct commands[] = {
	{ "list", cmd_list, 0 },
	{ "explain", cmd_explain, 0 },
	{ "check", cmd_check, NEED_ROOT | JUNIT | CONFIRM_TELL },
	{ "diff", cmd_diff, NEED_ROOT | NEED_GIT | CONFIRM_TELL },
	/* apply acts once it holds the lock (cmd_confirm_store_open()). */
	{ "apply", cmd_apply, NEED_ROOT | NEED_GIT },
	{ "log", cmd_log, NEED_ROOT | NEED_GIT | CONFIRM_ACT },
	{ "show", cmd_show, NEED_ROOT | NEED_GIT | CONFIRM_ACT },
	/*
	 * Not rollback: it is the way out, and the watchdog's own command
	 * (a plain "rollback" would undo the rollback the check made).
	 */
	{ "rollback", cmd_rollback, NEED_ROOT | NEED_GIT },
	{ "status", cmd_status, NEED_ROOT | CONFIRM_TELL },
	{ "verify", cmd_verify, NEED_GIT | CONFIRM_ACT },
	/* confirm does its own checking. */
	{ "confirm", cmd_confirm, NEED_GIT },
	/* recover does its own recovering, and says so on stdout. */
	{ "recover", cmd_recover, NEED_GIT },
};

static const char usage[] =
	"usage: hardctl [--root DIR] [--store DIR] [--wait SECONDS] COMMAND [--format F] [ARGS]\n"
	"\n"
	"commands:\n"
	"  list     [PROFILE OPTIONS]         the profile's rules: id, severity, title, module\n"
	"  explain  RULE [PROFILE OPTIONS]    a rule's rationale, references, parameters\n"
	"                                     and files\n"
	"  check    [PROFILE OPTIONS] [SELECTION] [--format text|json|junit]\n"
	"                                     each rule's status: PASS, FAIL, N/A, WAIVED,\n"
	"                                     DRIFTED or ERROR, with the evidence; exit 0\n"
	"                                     when none fails or drifted, 1 when one did\n"
	"  diff     [PROFILE OPTIONS] [SELECTION]\n"
	"                                     what apply would change, as unified diffs\n"
	"  apply    [PROFILE OPTIONS] [SELECTION] [--dry-run | --reload]\n"
	"           [--confirm-within DURATION]\n"
	"                                     remediate what fails, as one transaction,\n"
	"                                     and list what must reload; --dry-run: the\n"
	"                                     same as diff; --reload (--root / only):\n"
	"                                     reload those services; waived rules are\n"
	"                                     left alone; --confirm-within: rolled back\n"
	"                                     by itself unless confirmed in time; refused\n"
	"                                     (5) when no administrator could log in over\n"
	"                                     ssh and become root afterwards\n"
	"  confirm  [--check-expired]         keep what apply --confirm-within did;\n"
	"                                     --check-expired (at boot): if its watchdog\n"
	"                                     is gone, roll back once the time is up\n"
	"                                     (--root / only; elsewhere, warn)\n"
	"  log                                transactions, newest first\n"
	"  show     TXN                       what a transaction changed, as a diff\n"
	"  rollback [TXN] [--rule ID [PROFILE OPTIONS]] [--dry-run] [--force]\n"
	"                                     undo a transaction (default: the last), or\n"
	"                                     only one rule's part of it (default: the\n"
	"                                     last that applied it); --force overrides a\n"
	"                                     conflict\n"
	"  status                             managed files changed outside hardctl\n"
	"  verify   [--fingerprint HEX]       check the store's signatures and hashes\n"
	"  recover                            finish recovering an interrupted transaction\n"
	"\n"
	"options:\n"
	"  --root DIR       the system to work on (default /); nothing outside it is read\n"
	"                   or written\n"
	"  --store DIR      the oldconf store (default ROOT/var/lib/hardctl/oldconf)\n"
	"  --key FILE       the store's signing key (default: the store's path + .key)\n"
	"  --wait SECONDS   wait that long for another hardctl changing ROOT to finish\n"
	"                   (default 0: refuse at once, exit 5)\n"
	"  --format F       text (default) or json; junit for check\n"
	"  --quiet          check: only FAIL, DRIFTED and ERROR; apply: only the\n"
	"                   changed files (also after check, diff and apply)\n"
	"  --color[=WHEN]   auto (default: on a terminal, not with NO_COLOR),\n"
	"                   always or never\n"
	"  --no-pager       diff, show, log and dry runs: never through a pager\n"
	"                   (HARDCTL_PAGER, PAGER, less on a terminal)\n"
	"  --version, --help\n"
	"profile options (after the command):\n"
	"  -p, --profile P  a profile name (looked up in " HARDCTL_PROFILE_DIR ")\n"
	"                   or a path; default service-console\n"
	"  --tailoring FILE a site's overrides and waivers, applied last\n"
	"selection (after the command; each may be repeated):\n"
	"  --rule ID        only this rule\n"
	"  --severity CAT-I|CAT-II|CAT-III\n"
	"                   only rules of this severity\n"
	"\n"
	"exit codes: 0 success, 1 check found failures, 2 bad usage or bad input,\n"
	"3 failure while changing, 4 rollback conflict, 5 refused for safety\n";
/* clang-format on */

void cmd_print_line(const char *text)
{
	struct hc_buf line = HC_BUF_INIT;

	if (hc_buf_puts(&line, "hardctl: ") == 0 &&
	    hc_buf_puts_escaped(&line, text) == 0 &&
	    hc_buf_puts(&line, "\n") == 0)
		fputs(line.ptr, stderr);
	else
		fputs("hardctl: (out of memory)\n", stderr);
	hc_buf_release(&line);
}

void cmd_print_error(void)
{
	const struct hc_error *e = hc_error_last();
	const char *msg = e->message[0] ? e->message : "unknown error";
	struct hc_buf text = HC_BUF_INIT;
	int error = 0;

	/* The file and the message may name files of ROOT: one line, escaped.
	 */
	if (e->file[0] && e->line)
		error =
		    hc_buf_printf(&text, "%s:%u: %s", e->file, e->line, msg);
	else if (e->file[0])
		error = hc_buf_printf(&text, "%s: %s", e->file, msg);
	else
		error = hc_buf_puts(&text, msg);
	cmd_print_line(error == 0 ? text.ptr : msg);
	hc_buf_release(&text);
}

int cmd_fail(int error, bool changing)
{
	cmd_print_error();
	switch (error) {
	case HC_EPARSE:
	case HC_EINVALID:
	case HC_ENOTFOUND:
		return EXIT_USAGE;
	case HC_ECONFLICT:
		return EXIT_CONFLICT;
	case HC_EUNSAFE:
	case HC_ELOCKED:
		return EXIT_REFUSED;
	default:
		return changing ? EXIT_CHANGE : EXIT_USAGE;
	}
}

int cmd_usage_error(const char *text, const char *fmt, ...)
{
	va_list ap;

	fputs("hardctl: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n%s", text);
	return EXIT_USAGE;
}

int cmd_common_opt(struct cmd_env *env, int opt, const char *arg,
		   const char *text)
{
	enum hc_severity sev;

	switch (opt) {
	case 'F':
		if (strcmp(arg, "text") == 0)
			env->format = HC_FORMAT_TEXT;
		else if (strcmp(arg, "json") == 0)
			env->format = HC_FORMAT_JSON;
		else if (strcmp(arg, "junit") == 0 && env->junit_ok)
			env->format = HC_FORMAT_JUNIT;
		else
			return cmd_usage_error(text, "unknown format '%s'",
					       arg);
		return 0;
	case 'h':
		fputs(text, stdout);
		exit(EXIT_OK);
	case 'p':
		env->profile_name = arg;
		return 0;
	case 'q':
		env->quiet = true;
		return 0;
	case 'T':
		env->tailoring_path = arg;
		return 0;
	case 'R':
		if (hc_strlist_push(&env->only, arg) < 0)
			return cmd_fail(HC_ERROR, false);
		return 0;
	case 'S':
		if (hc_severity_parse(&sev, arg) < 0)
			return cmd_usage_error(text, "%s",
					       hc_error_last()->message);
		env->severities |= 1u << sev;
		return 0;
	default:
		/* getopt said what was wrong. */
		fputs(text, stderr);
		return EXIT_USAGE;
	}
}

int cmd_profile_opts(int argc, char **argv, struct cmd_env *env,
		     const char *text)
{
	static const struct option longopts[] = {
	    CMD_PROFILE_LONGOPTS,
	    CMD_COMMON_LONGOPTS,
	    {NULL, 0, NULL, 0},
	};
	int opt, status;

	while ((opt = getopt_long(argc, argv, "p:h", longopts, NULL)) != -1)
		if ((status = cmd_common_opt(env, opt, optarg, text)) != 0)
			return status;
	return EXIT_OK;
}

/* Whether P (END bounds it) starts one of the colour sequences reports use: ESC
 * [ 0-9; m. */
static size_t colour_len(const char *p, const char *end)
{
	const char *q = p + 2;

	if (end - p < 3 || p[0] != '\033' || p[1] != '[')
		return 0;
	while (q < end && q - p < 8 && ((*q >= '0' && *q <= '9') || *q == ';'))
		q++;
	return q < end && *q == 'm' ? (size_t)(q + 1 - p) : 0;
}

/*
 * The last guard before the terminal: text from ROOT is escaped where it
 * is formatted, and whatever control character is left in a text output
 * (but newlines, tabs and, with --color, the reports' own colours) is
 * escaped here.  JSON escapes its own.
 */
static int escape_output(struct hc_buf *buf, bool colour)
{
	struct hc_buf out = HC_BUF_INIT;
	const char *p = buf->ptr, *end = buf->ptr + buf->size;
	int error = 0;

	if (buf->size == 0)
		return 0;
	while (p < end && error == 0) {
		const char *esc =
		    colour ? memchr(p, '\033', (size_t)(end - p)) : NULL;
		const char *stop = esc ? esc : end;
		size_t n;

		if ((error = hc_buf_put_escaped(&out, p, (size_t)(stop - p),
						"\n\t")) < 0 ||
		    stop == end)
			break;
		n = colour_len(stop, end);
		error = n ? hc_buf_put(&out, stop, n)
			  : hc_buf_put_escaped(&out, stop, 1, NULL);
		p = stop + (n ? n : 1);
	}
	if (error == 0 && out.size != buf->size)
		error = hc_buf_set(buf, out.ptr, out.size);
	hc_buf_release(&out);
	return error;
}

int cmd_write(struct cmd_env *env, struct hc_buf *buf)
{
	if (hc_mask(buf, &env->ctx.secrets) < 0)
		return HC_ERROR;
	if (env->format != HC_FORMAT_JSON && escape_output(buf, env->color) < 0)
		return HC_ERROR;
	if (buf->size && fwrite(buf->ptr, 1, buf->size, stdout) != buf->size &&
	    !cmd_pager_gone()) {
		hc_error_set_os("standard output", "cannot write");
		return HC_ERROR;
	}
	return 0;
}

int cmd_write_diff(struct cmd_env *env, struct hc_buf *buf)
{
	if (env->format == HC_FORMAT_TEXT && env->color &&
	    hc_diff_color(buf, 0) < 0)
		return HC_ERROR;
	return cmd_write(env, buf);
}

void cmd_text_opts(struct hc_text_opts *out, const struct cmd_env *env)
{
	memset(out, 0, sizeof(*out));
	out->width = env->width;
	out->color = env->color;
	out->quiet = env->quiet;
	out->secrets = &env->ctx.secrets;
}

/* Check --rule against the profile and --severity, then keep what they select.
 */
static int select_rules(struct cmd_env *env)
{
	int error;

	if ((error = hc_engine_select(&env->ctx, &env->only)) < 0)
		return error;
	for (size_t i = 0; env->severities && i < env->only.n; i++) {
		const struct hc_profile_rule *pr =
		    hc_profile_find(env->profile, env->only.v[i]);

		if (env->severities & (1u << pr->severity))
			continue;
		hc_error_set(
		    "rule '%s' is %s, not of a severity --severity asks for",
		    env->only.v[i], hc_severity_name(pr->severity));
		return hc_error_set_code(HC_EINVALID);
	}
	if (env->severities)
		hc_profile_keep_severities(env->profile, env->severities);
	return 0;
}

/* The profile's secret parameters: masked in every output of the command. */
static int register_secrets(struct hc_ctx *ctx,
			    const struct hc_profile *profile)
{
	int error = 0;

	for (size_t i = 0; i < profile->nrules && error == 0; i++) {
		const struct hc_profile_rule *pr = &profile->rules[i];

		for (size_t j = 0;
		     pr->rule->params && pr->rule->params[j].name && error == 0;
		     j++)
			if (pr->rule->params[j].type == HC_PARAM_SECRET &&
			    pr->values[j] && pr->values[j][0])
				error = hc_ctx_secret(ctx, pr->values[j]);
	}
	return error;
}

int cmd_open(struct cmd_env *env, bool with_root)
{
	int error;

	if (with_root && env->root == NULL &&
	    (error = hc_root_open(&env->root, env->root_path)) < 0)
		return error;
	if ((error = hc_aug_open(&env->aug, HARDCTL_LENS_DIR)) < 0 ||
	    (error = hc_profile_load(
		 &env->profile, env->aug,
		 env->profile_name ? env->profile_name : "service-console",
		 env->tailoring_path, HARDCTL_PROFILE_DIR)) < 0)
		return error;
	hc_ctx_init(&env->ctx, env->root, env->aug, env->profile);
	if ((error = register_secrets(&env->ctx, env->profile)) < 0)
		return error;
	return select_rules(env);
}

void cmd_close(struct cmd_env *env)
{
	hc_ctx_release(&env->ctx);
	hc_profile_free(env->profile);
	hc_aug_free(env->aug);
	hc_root_free(env->root);
	hc_strlist_release(&env->only);
	env->profile = NULL;
	env->aug = NULL;
	env->root = NULL;
}

static int store_inside_root(const struct cmd_env *env);

/* The store's path; refused (HC_EUNSAFE) when the default leaves ROOT. */
int cmd_store_path(struct hc_buf *out, const struct cmd_env *env)
{
	const char *root = env->root_path;
	int error;

	hc_buf_clear(out);
	if (env->store_path)
		return hc_buf_puts(out, env->store_path);
	if ((error = store_inside_root(env)) < 0)
		return error;
	return hc_buf_printf(out, "%s%s", strcmp(root, "/") == 0 ? "" : root,
			     "/var/lib/hardctl/oldconf");
}

int cmd_recovery_text(struct hc_buf *out, const struct hc_recovery *r)
{
	if (r->completed)
		return hc_buf_printf(
		    out,
		    "recovered interrupted transaction %u: it had completed; "
		    "its bookkeeping is now finished\n",
		    r->id);
	return hc_buf_printf(
	    out,
	    "recovered interrupted transaction %u: %zu file%s put back "
	    "as before it%s\n",
	    r->id, r->restored, r->restored == 1 ? "" : "s",
	    r->kept ? "; files edited since were left as they are" : "");
}

int cmd_recover_pending(struct hc_recovery *out, struct cmd_env *env,
			bool before_command)
{
	struct hc_buf path = HC_BUF_INIT;
	struct hc_store *store = NULL;
	unsigned int pending = 0;
	bool git = false;
	int error;

	memset(out, 0, sizeof(*out));
	/* A store path leading out of ROOT is not read, nor locked, here. */
	if ((error = cmd_store_path(&path, env)) < 0) {
		if (before_command) {
			/* The command refuses the store when it opens it. */
			hc_error_clear();
			error = 0;
		}
		goto out;
	}
	error = hc_store_pending_id(&pending, path.ptr);
	if (error == HC_EUNSAFE && before_command) {
		/*
		 * A store this user may not read: only its owner could recover
		 * it; the command says what it can do without it (check:
		 * DRIFTED unknown; a writer is refused the store).
		 */
		hc_error_clear();
		error = 0;
	}
	if (error < 0 || pending == 0)
		goto out;
	git = git_libgit2_init() >= 0;
	if (env->root == NULL &&
	    (error = hc_root_open(&env->root, env->root_path)) < 0)
		goto out;
	error = hc_store_open_wait(&store, path.ptr, HC_STORE_LOCK,
				   before_command ? 0 : env->lock_wait_ms);
	if (error == HC_ELOCKED && before_command) {
		/* Not a crash: a live hardctl is at work; let the command go
		 * on. */
		hc_error_clear();
		error = 0;
		goto out;
	}
	/* What is put back is what the store signed, or nothing. */
	if (error == 0 &&
	    (error = hc_store_bind_root(store, env->root, true)) == 0 &&
	    (error = cmd_store_key(store, env, false)) == 0)
		error = hc_txn_recover(out, store, env->root);
out:
	if (error < 0 && pending && error != HC_ELOCKED) {
		cmd_print_error();
		hc_error_set(
		    "an interrupted transaction is pending in %s and could not "
		    "be "
		    "recovered; run 'hardctl recover' as the store's owner",
		    path.ptr);
		error = hc_error_set_code(HC_EUNSAFE);
	}
	hc_store_free(store);
	if (git)
		git_libgit2_shutdown();
	hc_buf_release(&path);
	return error;
}

/*
 * The default store lives inside ROOT, but is opened by path: a symlink
 * on the way (ROOT/var -> /var) would lead out of ROOT, so every part of
 * the path that exists must be a real directory.
 */
static int store_inside_root(const struct cmd_env *env)
{
	static const char *const parts[] = {
	    "/var",
	    "/var/lib",
	    "/var/lib/hardctl",
	    "/var/lib/hardctl/oldconf",
	};
	struct hc_buf path = HC_BUF_INIT;
	int error = 0;

	if (env->store_path || strcmp(env->root_path, "/") == 0)
		return 0;
	for (size_t i = 0; i < HC_ARRAY_SIZE(parts) && error == 0; i++) {
		struct stat st;

		hc_buf_clear(&path);
		if ((error = hc_buf_printf(&path, "%s%s", env->root_path,
					   parts[i])) < 0)
			break;
		if (lstat(path.ptr, &st) < 0)
			break; /* the rest is created, as directories */
		if (!S_ISDIR(st.st_mode)) {
			hc_error_set_at(path.ptr, 0,
					"is not a directory (a symlink?): the "
					"store would leave "
					"ROOT; give one with --store");
			error = hc_error_set_code(HC_EUNSAFE);
		}
	}
	hc_buf_release(&path);
	return error;
}

int cmd_store_open(struct hc_store **out, struct cmd_env *env,
		   unsigned int flags)
{
	struct hc_buf path = HC_BUF_INIT;
	int error;

	if ((error = cmd_store_path(&path, env)) < 0)
		return error;
	/* A writer's commits must survive a crash as well as the files do. */
	if ((flags & HC_STORE_LOCK) &&
	    git_libgit2_opts(GIT_OPT_ENABLE_FSYNC_GITDIR, 1) < 0) {
		hc_error_set("cannot make libgit2 fsync the store");
		error = HC_ERROR;
	}
	if (error == 0 && env->root == NULL)
		error = hc_root_open(&env->root, env->root_path);
	if (error == 0)
		error =
		    hc_store_open_wait(out, path.ptr, flags, env->lock_wait_ms);
	if (error == 0 &&
	    ((error = hc_store_bind_root(*out, env->root,
					 flags & HC_STORE_LOCK)) < 0 ||
	     ((flags & HC_STORE_LOCK) &&
	      (error = cmd_store_key(*out, env, flags & HC_STORE_CREATE)) <
		  0))) {
		hc_store_free(*out);
		*out = NULL;
	}
	hc_buf_release(&path);
	return error;
}

int cmd_key_path(struct hc_buf *out, const struct cmd_env *env)
{
	int error;

	if (env->key_path) {
		hc_buf_clear(out);
		return hc_buf_puts(out, env->key_path);
	}
	if ((error = cmd_store_path(out, env)) == 0)
		error = hc_buf_puts(out, ".key");
	return error;
}

int cmd_store_key(struct hc_store *store, struct cmd_env *env, bool create)
{
	struct hc_buf path = HC_BUF_INIT;
	char fpr[HC_SHA256_HEXLEN + 1];
	bool created = false;
	int error;

	if ((error = cmd_key_path(&path, env)) == 0 &&
	    (error = hc_store_use_key(store, path.ptr, create, &created)) ==
		0 &&
	    created) {
		hc_signer_fingerprint(fpr, hc_store_signer(store));
		fprintf(
		    stderr,
		    "hardctl: made the store's signing key %s\n"
		    "hardctl: its fingerprint is %s: keep it somewhere else; "
		    "'hardctl verify --fingerprint' checks the store's history "
		    "against it\n",
		    path.ptr, fpr);
	}
	hc_buf_release(&path);
	return error;
}

int cmd_parse_txn(unsigned int *out, const char *arg)
{
	char *end;
	unsigned long n = strtoul(arg, &end, 10);

	if (arg[0] < '1' || arg[0] > '9' || *end != '\0' || n > 0xffffffffUL) {
		hc_error_set(
		    "'%s' is not a transaction number (hardctl log lists them)",
		    arg);
		return hc_error_set_code(HC_EINVALID);
	}
	*out = (unsigned int)n;
	return 0;
}

static const struct cmd_struct *find_command(const char *name)
{
	for (size_t i = 0; i < HC_ARRAY_SIZE(commands); i++)
		if (strcmp(commands[i].name, name) == 0)
			return &commands[i];
	return NULL;
}

/* --wait SECONDS, into milliseconds. */
static int parse_wait(unsigned int *ms, const char *arg)
{
	char *end;
	unsigned long s;

	errno = 0;
	s = strtoul(arg, &end, 10);
	if (arg[0] < '0' || arg[0] > '9' || *end != '\0' || errno || s > 3600)
		return -1;
	*ms = (unsigned int)s * 1000;
	return 0;
}

enum color_mode {
	COLOR_AUTO,
	COLOR_ALWAYS,
	COLOR_NEVER,
};

/*
 * Colour: --color=always or never as told; auto (the default) on a
 * terminal, unless NO_COLOR is set and not empty (no-color.org).
 */
static bool want_color(enum color_mode mode)
{
	const char *no_color = getenv("NO_COLOR");

	if (mode != COLOR_AUTO)
		return mode == COLOR_ALWAYS;
	return isatty(STDOUT_FILENO) &&
	       (no_color == NULL || no_color[0] == '\0');
}

/* --color[=WHEN]: auto, always (also without WHEN) or never; -1 if neither. */
static int parse_color(enum color_mode *mode, const char *arg)
{
	if (arg == NULL || strcmp(arg, "always") == 0)
		*mode = COLOR_ALWAYS;
	else if (strcmp(arg, "never") == 0)
		*mode = COLOR_NEVER;
	else if (strcmp(arg, "auto") == 0)
		*mode = COLOR_AUTO;
	else
		return -1;
	return 0;
}

/*
 * The options before the command, into ENV.  -1 to go on to the
 * command, else the exit status (--version, --help, a bad option).
 */
static int global_options(struct cmd_env *env, enum color_mode *color, int argc,
			  char **argv)
{
	static const struct option longopts[] = {
	    {"root", required_argument, NULL, 'r'},
	    {"store", required_argument, NULL, 's'},
	    {"wait", required_argument, NULL, 'w'},
	    {"key", required_argument, NULL, 'k'},
	    {"format", required_argument, NULL, 'F'},
	    {"color", optional_argument, NULL, 'c'},
	    {"no-pager", no_argument, NULL, 'P'},
	    CMD_QUIET_LONGOPT,
	    {"help", no_argument, NULL, 'h'},
	    {"version", no_argument, NULL, 'V'},
	    {NULL, 0, NULL, 0},
	};
	int opt;

	/* "+": stop at the command name; its options are its own. */
	while ((opt = getopt_long(argc, argv, "+h", longopts, NULL)) != -1) {
		switch (opt) {
		case 'r':
			env->root_path = optarg;
			break;
		case 's':
			env->store_path = optarg;
			break;
		case 'k':
			env->key_path = optarg;
			break;
		case 'w':
			if (parse_wait(&env->lock_wait_ms, optarg) < 0)
				return cmd_usage_error(
				    usage,
				    "--wait takes whole seconds from 0 to "
				    "3600, not '%s'",
				    optarg);
			break;
		case 'V':
			printf("hardctl %s\n", HARDCTL_VERSION);
			return EXIT_OK;
		case 'c':
			if (parse_color(color, optarg) < 0)
				return cmd_usage_error(
				    usage,
				    "--color takes auto, always or never, "
				    "not '%s'",
				    optarg);
			break;
		case 'P':
			env->pager = false;
			break;
		case 'F':
		case 'h':
		case 'q':
			if (cmd_common_opt(env, opt, optarg, usage) != 0)
				return EXIT_USAGE;
			break;
		default:
			fputs(usage, stderr);
			return EXIT_USAGE;
		}
	}
	return -1;
}

int main(int argc, char **argv)
{
	struct cmd_env env;
	const struct cmd_struct *cmd;
	enum color_mode color = COLOR_AUTO;
	int status;

	memset(&env, 0, sizeof(env));
	env.root_path = "/";
	env.pager = true;
	env.junit_ok = true; /* until the command is known */
	if ((status = global_options(&env, &color, argc, argv)) >= 0)
		return status;
	env.color = want_color(color);
	env.width = hc_term_width(getenv("COLUMNS"), STDOUT_FILENO);
	if (optind >= argc)
		return cmd_usage_error(usage, "no command given");
	if ((cmd = find_command(argv[optind])) == NULL)
		return cmd_usage_error(usage, "unknown command '%s'",
				       argv[optind]);
	if (env.format == HC_FORMAT_JUNIT && !(cmd->flags & JUNIT))
		return cmd_usage_error(usage,
				       "only check writes --format junit");
	env.junit_ok = cmd->flags & JUNIT;

	if ((cmd->flags & NEED_GIT) && git_libgit2_init() < 0) {
		fprintf(stderr, "hardctl: cannot initialise libgit2\n");
		return EXIT_CHANGE;
	}
	if (cmd->flags & NEED_ROOT) {
		struct hc_recovery r;
		struct hc_buf line = HC_BUF_INIT;

		if ((status = cmd_recover_pending(&r, &env, true)) < 0) {
			status = cmd_fail(status, true);
			goto out;
		}
		if (r.id && cmd_recovery_text(&line, &r) == 0)
			fprintf(stderr, "hardctl: %s", line.ptr);
		hc_buf_release(&line);
	}
	if (cmd->flags & (CONFIRM_ACT | CONFIRM_TELL))
		cmd_confirm_check(&env, cmd->flags & CONFIRM_ACT);
	argc -= optind;
	argv += optind;
	optind = 0; /* re-initialise getopt for the command's options */
	status = cmd->fn(argc, argv, &env);
out:
	cmd_close(&env);
	if (cmd->flags & NEED_GIT)
		git_libgit2_shutdown();
	cmd_pager_finish();
	if (!cmd_pager_gone() && (fflush(stdout) != 0 || ferror(stdout))) {
		fprintf(stderr, "hardctl: cannot write standard output\n");
		if (status == EXIT_OK)
			status = EXIT_USAGE;
	}
	return status;
}
