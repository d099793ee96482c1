/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * hardctl's entry point: global options, the command table, and the
 * setup each command's row asks for.  Only this file initialises and
 * shuts down libgit2, OpenSSL and Augeas.
 */
#include <augeas.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <git2.h>
#include <malloc.h>
#include <openssl/crypto.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>
#include "hardctl/audit.h"
#include "hardctl/cache.h"
#include "hardctl/aug.h"
#include "hardctl/diff.h"
#include "hardctl/engine.h"
#include "hardctl/install.h"
#include "hardctl/json.h"
#include "hardctl/mask.h"
#include "hardctl/plan.h"
#include "hardctl/profile.h"
#include "hardctl/report.h"
#include "hardctl/root.h"
#include "hardctl/sign.h"
#include "hardctl/store.h"
#include "hardctl/suggest.h"
#include "hardctl/term.h"
#include "hardctl/trace.h"
#include "hardctl/txn.h"
#include "cmd.h"
#include "usage.h"

/*
 * The flags and the table are laid out by hand: the formatter keeps off
 * them.  The usage text is in usage.c, which the front prints too.
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
	HTML = 1u << 5,      /* writes --format html too */
	CACHE = 1u << 6,     /* may answer from the cache (hardctl/cache.h) */
};

struct cmd_struct {
	const char *name;
	int (*fn)(int argc, char **argv, struct cmd_env *env);
	unsigned int flags;
};

static const struct cmd_struct commands[] = {
	{ "list", cmd_list, 0 },
	{ "explain", cmd_explain, 0 },
	{ "check", cmd_check, NEED_ROOT | JUNIT | HTML | CONFIRM_TELL | CACHE },
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
	{ "status", cmd_status, NEED_ROOT | CONFIRM_TELL | CACHE },
	{ "verify", cmd_verify, NEED_GIT | CONFIRM_ACT },
	/* confirm does its own checking. */
	{ "confirm", cmd_confirm, NEED_GIT },
	/* recover does its own recovering, and says so on stdout. */
	{ "recover", cmd_recover, NEED_GIT },
	/* report reads only the files it is given: no ROOT, no store. */
	{ "report", cmd_report, HTML },
};
/* clang-format on */

/*
 * What stdout gets with --format json: one document per run, always.
 * The command's report is held here (cmd_write()) until main() ends;
 * the last line said on stderr is kept with its file and line.  A run
 * that fails (exit 2 to 5) then prints the error object, or, when its
 * report was made before the failure, the report with the error
 * object's members added (json_finish()).
 */
static struct {
	struct hc_buf doc;  /* the report, masked */
	struct hc_buf said; /* the last line said, without "hardctl: " */
	struct hc_buf file; /* its file as ROOT sees it; none: empty */
	bool has_file;
	unsigned int line;
} json_out = {HC_BUF_INIT, HC_BUF_INIT, HC_BUF_INIT, false, 0};

/* The secrets the command's rules registered: masked in what is said. */
static const struct hc_strlist *said_secrets;

/* ROOT's directory as given, without trailing slashes; "" for "/". */
static char shown_root[4096];
/* The last error names the host's files (the profile's, the tailoring's). */
static bool host_error;

static void set_shown_root(const char *root)
{
	size_t len = strlen(root);

	while (len > 0 && root[len - 1] == '/')
		len--;
	if (len >= sizeof(shown_root))
		len = 0; /* never shortened: a wrong path is worse */
	memcpy(shown_root, root, len);
	shown_root[len] = '\0';
}

/* Whether C may be part of a path: then a match inside a word is none. */
static bool path_byte(char c)
{
	return c != '\0' && strchr(" \t'\"(<[=,:", c) == NULL;
}

/*
 * TEXT with ROOT's directory taken off the paths that start with it,
 * into OUT: a message names files as ROOT sees them.  Most paths are
 * shown so where the message is made (hc_root_display()); this is the
 * last guard, for a path that left ROOT's reader, such as the default
 * store's.  Paths outside ROOT keep their real names.
 */
static int put_as_root_sees(struct hc_buf *out, const char *text)
{
	size_t len = host_error ? 0 : strlen(shown_root);
	const char *p = text, *hit;
	int error = 0;

	while (len && error == 0 && (hit = strstr(p, shown_root)) != NULL) {
		bool start = hit == text || !path_byte(hit[-1]);

		/*
		 * "ROOT/etc/x" is "/etc/x"; ROOT itself, and a path that
		 * climbs out of it ("ROOT/../x"), keep their names.
		 */
		if (start && hit[len] == '/' && hit[len + 1] != '\0' &&
		    strncmp(hit + len, "/..", 3) != 0)
			error = hc_buf_put(out, p, (size_t)(hit - p));
		else
			error = hc_buf_put(out, p, (size_t)(hit + len - p));
		p = hit + len;
	}
	return error ? error : hc_buf_puts(out, p);
}

int cmd_shown_path(struct hc_buf *out, const char *path)
{
	hc_buf_clear(out);
	return put_as_root_sees(out, path);
}

/*
 * Keep LINE, said on stderr after PREFIX ("hardctl: ", or "hardctl " in
 * "hardctl check: ..."), for the JSON error object, with FILE (NULL:
 * none) and its line.
 */
static void keep_said(const char *line, size_t len, const char *file,
		      unsigned int at)
{
	static const char *const prefixes[] = {"hardctl: ", "hardctl "};

	for (size_t i = 0; i < HC_ARRAY_SIZE(prefixes); i++) {
		size_t n = strlen(prefixes[i]);

		if (len >= n && strncmp(line, prefixes[i], n) == 0) {
			line += n;
			len -= n;
			break;
		}
	}
	json_out.has_file = file != NULL;
	json_out.line = file ? at : 0;
	if (hc_buf_set(&json_out.said, line, len) < 0 ||
	    hc_buf_set(&json_out.file, file ? file : "",
		       file ? strlen(file) : 0) < 0)
		hc_buf_clear(&json_out.said);
}

/*
 * Say "hardctl: TEXT" on stderr, TEXT with the command's secrets masked,
 * its paths as ROOT sees them and its control characters escaped, and
 * keep it, with FILE (a path, NULL: none) and AT, for the JSON error.
 */
static void say_line(const char *text, const char *file, unsigned int at)
{
	struct hc_buf line = HC_BUF_INIT, shown = HC_BUF_INIT;
	struct hc_buf path = HC_BUF_INIT;

	if (put_as_root_sees(&shown, text) == 0 &&
	    (said_secrets == NULL || hc_mask(&shown, said_secrets) == 0) &&
	    (file == NULL || put_as_root_sees(&path, file) == 0) &&
	    hc_buf_puts(&line, "hardctl: ") == 0 &&
	    hc_buf_puts_escaped(&line, shown.ptr ? shown.ptr : "") == 0 &&
	    hc_buf_puts(&line, "\n") == 0) {
		hc_cache_say(line.ptr);
		keep_said(line.ptr, line.size - 1,
			  file ? hc_buf_cstr(&path) : NULL, at);
	} else {
		fputs("hardctl: (out of memory)\n", stderr);
	}
	hc_buf_release(&line);
	hc_buf_release(&shown);
	hc_buf_release(&path);
}

void cmd_print_line(const char *text)
{
	say_line(text, NULL, 0);
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
	say_line(error == 0 ? text.ptr : msg, e->file[0] ? e->file : NULL,
		 e->line);
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

/*
 * Print a usage message made from PREFIX and FMT on stderr, on one line:
 * its control characters (from the command line) escaped.
 */
static void vsay(const char *prefix, const char *fmt, va_list ap)
    HC_PRINTF(2, 0);

static void vsay(const char *prefix, const char *fmt, va_list ap)
{
	struct hc_buf line = HC_BUF_INIT;
	int error = hc_buf_puts(&line, prefix);

	if (error == 0)
		error = hc_buf_vprintf(&line, fmt, ap);
	if (error == 0 && line.size && line.ptr[line.size - 1] == '\n') {
		line.size--;
		line.ptr[line.size] = '\0';
	}
	if (error == 0)
		error = hc_buf_escape(&line, 0, NULL);
	if (error == 0) {
		keep_said(line.ptr, line.size, NULL, 0);
		error = hc_buf_puts(&line, "\n");
	}
	fputs(error == 0 ? line.ptr : "hardctl: bad usage\n", stderr);
	hc_buf_release(&line);
}

static void say(const char *fmt, ...) HC_PRINTF(1, 2);

static void say(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsay("", fmt, ap);
	va_end(ap);
}

int cmd_usage_error(const char *text, const char *fmt, ...)
{
	va_list ap;

	/* One line, as git's die(): the usage is one --help away. */
	(void)text;
	va_start(ap, fmt);
	vsay("hardctl: ", fmt, ap);
	va_end(ap);
	return EXIT_USAGE;
}

/*
 * What each option's argument is, for "--rule needs a rule id" and for
 * showing where an option goes: "hardctl --root DIR check".
 */
struct opt_arg {
	const char *name;
	const char *metavar;
	const char *needs;
};

static const struct opt_arg opt_args[] = {
    {"root", "DIR", "a directory"},
    {"store", "DIR", "a directory"},
    {"key", "FILE", "a file"},
    {"wait", "SECONDS", "a number of seconds"},
    {"format", "F", "a format: text, json, junit or html"},
    {"color", "WHEN", "when: always, never or auto"},
    {"profile", "P", "a profile name or path"},
    {"tailoring", "FILE", "a file, or none"},
    {"rule", "ID", "a rule id"},
    {"skip-rule", "ID", "a rule id"},
    {"severity", "SEV", "a severity: CAT-I, CAT-II or CAT-III"},
    {"skip-severity", "SEV", "a severity: CAT-I, CAT-II or CAT-III"},
    {"confirm-within", "DURATION", "a duration such as 90s, 5m or 1h"},
    {"fingerprint", "HEX", "a key fingerprint"},
};

static const struct opt_arg *find_opt_arg(const char *name)
{
	for (size_t i = 0; i < HC_ARRAY_SIZE(opt_args); i++)
		if (strcmp(opt_args[i].name, name) == 0)
			return &opt_args[i];
	return NULL;
}

/*
 * The command line being parsed, for messages about its options: what
 * getopt_long() saw and the table it used (cmd_getopt() sets them).
 */
static struct {
	int argc;
	char **argv;
	const char *command; /* NULL: the options before the command */
	const struct option *longopts;
} parsing;

/* The long option whose getopt value is VAL in the table parsed. */
static const struct option *option_by_val(int val)
{
	for (const struct option *o = parsing.longopts; o && o->name; o++)
		if (o->val == val)
			return o;
	return NULL;
}

/* getopt_long() on ARGV for COMMAND (NULL: before the command). */
static int next_option(const char *command, int argc, char **argv,
		       const char *shortopts, const struct option *longopts)
{
	char opts[32];

	/* ':' first: a missing argument is ':', told apart from '?'. */
	if (shortopts[0] == '+')
		snprintf(opts, sizeof(opts), "+:%s", shortopts + 1);
	else
		snprintf(opts, sizeof(opts), ":%s", shortopts);
	opterr = 0; /* cmd_bad_option() says it, on one line */
	parsing.argc = argc;
	parsing.argv = argv;
	parsing.command = command;
	parsing.longopts = longopts;
	return getopt_long(argc, argv, opts, longopts, NULL);
}

int cmd_getopt(int argc, char **argv, const char *shortopts,
	       const struct option *longopts)
{
	return next_option(argc > 0 ? argv[0] : "?", argc, argv, shortopts,
			   longopts);
}

/* Whether WORD is "--NAME" or "--NAME=..." for an option of value VAL. */
static bool long_word(const char *word, int val)
{
	size_t len;

	if (strncmp(word, "--", 2) != 0)
		return false;
	len = strcspn(word + 2, "=");
	for (const struct option *o = parsing.longopts; o && o->name; o++)
		if (o->val == val && strncmp(o->name, word + 2, len) == 0)
			return true;
	return false;
}

/*
 * The option getopt_long() just refused, as typed ("--severty" of
 * "--severty=x", or "-x"), into OUT.
 */
static void refused_option(char out[128])
{
	int i = optind - 1;
	const char *word = i >= 0 && i < parsing.argc ? parsing.argv[i] : "";
	size_t len;

	/* optopt is 0 for an unknown long option, else its value or letter. */
	if (optopt != 0 && !long_word(word, optopt)) {
		snprintf(out, 128, "-%c",
			 optopt > ' ' && optopt < 127 ? optopt : '?');
		return;
	}
	len = strcspn(word, "=");
	snprintf(out, 128, "%.*s", (int)(len < 120 ? len : 120), word);
}

/* Options that go before the command, and those that go after one. */
static const char *const global_only[] = {
    "root", "store", "wait", "key", "version", "no-pager", "color",
};

static const struct option command_opts[] = {
    CMD_SELECT_LONGOPTS,
    {"dry-run", no_argument, NULL, 'n'},
    {"reload", no_argument, NULL, 'L'},
    {"confirm-within", required_argument, NULL, 'C'},
    {"force", no_argument, NULL, 'f'},
    {"fingerprint", required_argument, NULL, 'P'},
    {"allowed-signers", no_argument, NULL, 'A'},
    {"check-expired", no_argument, NULL, 'E'},
    {"diff", no_argument, NULL, 'D'},
    {NULL, 0, NULL, 0},
};

static bool is_global_only(const char *name)
{
	for (size_t i = 0; i < HC_ARRAY_SIZE(global_only); i++)
		if (strcmp(global_only[i], name) == 0)
			return true;
	return false;
}

static const struct option *command_option(const char *name)
{
	for (const struct option *o = command_opts; o->name; o++)
		if (strcmp(o->name, name) == 0)
			return o;
	return NULL;
}

static const struct cmd_struct *find_command(const char *name);

/* The command named on the line after the global options, if any. */
static const char *command_ahead(void)
{
	for (int i = optind; i < parsing.argc; i++)
		if (find_command(parsing.argv[i]))
			return parsing.argv[i];
	return "COMMAND";
}

/* "--root DIR", "--dry-run": how OPTION is written with its argument. */
static const char *with_metavar(char out[160], const char *option)
{
	const struct opt_arg *a = find_opt_arg(option + strspn(option, "-"));
	const struct option *o = command_option(option + strspn(option, "-"));

	if (strcmp(option, "-p") == 0)
		a = find_opt_arg("profile");
	if (a && (o == NULL || o->has_arg))
		snprintf(out, 160, "%s %s", option, a->metavar);
	else
		snprintf(out, 160, "%s", option);
	return out;
}

/* An option the wrong side of the command: say where it goes. */
static bool misplaced(const char *typed)
{
	const char *name = typed + strspn(typed, "-");
	char shown[160];

	if (parsing.command && typed[1] == '-' && is_global_only(name)) {
		say("hardctl: %s goes before the command: hardctl %s "
		    "%s ...\n",
		    typed, with_metavar(shown, typed), parsing.command);
		return true;
	}
	if (parsing.command == NULL &&
	    (strcmp(typed, "-p") == 0 ||
	     (typed[1] == '-' && command_option(name)))) {
		say("hardctl: %s goes after the command: hardctl %s %s\n",
		    typed, command_ahead(), with_metavar(shown, typed));
		return true;
	}
	return false;
}

/* The long options of the table parsed that start with NAME. */
static size_t prefixed(struct hc_buf *out, const char *name)
{
	size_t n = 0, len = strlen(name);

	for (const struct option *o = parsing.longopts; o && o->name; o++)
		if (strncmp(o->name, name, len) == 0 &&
		    hc_buf_printf(out, "%s'--%s'", n++ ? " or " : "", o->name) <
			0)
			return 0;
	return n;
}

/* "unknown option '--severty'; did you mean '--severity'?" */
static void unknown_option(const char *who, const char *typed)
{
	char dashed[64][48];
	const char *names[64];
	struct hc_buf guess = HC_BUF_INIT;
	size_t n = 0;

	if (typed[1] == '-' && typed[2] && prefixed(&guess, typed + 2) > 1) {
		say("%sambiguous option '%s': %s?\n", who, typed, guess.ptr);
		goto out;
	}
	for (const struct option *o = parsing.longopts;
	     o && o->name && n < HC_ARRAY_SIZE(names); o++) {
		snprintf(dashed[n], sizeof(dashed[n]), "--%s", o->name);
		names[n] = dashed[n];
		n++;
	}
	if (typed[1] == '-' && hc_suggest(&guess, typed, names, n) == 0 &&
	    guess.size)
		say("%sunknown option '%s'; did you mean %s?\n", who, typed,
		    guess.ptr);
	else
		say("%sunknown option '%s' (hardctl %s%s--help lists "
		    "them)\n",
		    who, typed, parsing.command ? parsing.command : "",
		    parsing.command ? " " : "");
out:
	hc_buf_release(&guess);
}

/*
 * Say on one line what is wrong with the option getopt_long() refused
 * (OPT '?' or ':') or the command does not take (any other OPT), and
 * return EXIT_USAGE.
 */
static int bad_option(int opt)
{
	char typed[128], who[160];
	const struct opt_arg *a;

	refused_option(typed);
	if (parsing.command)
		snprintf(who, sizeof(who), "hardctl %s: ", parsing.command);
	else
		snprintf(who, sizeof(who), "hardctl: ");
	if (opt == ':') {
		const struct option *o = option_by_val(optopt);

		a = find_opt_arg(o ? o->name : "");
		if (o && strcmp(o->name, "profile") == 0)
			a = find_opt_arg("profile");
		say("%s%s needs %s\n", who, typed,
		    a ? a->needs : "an argument");
	} else if (misplaced(typed)) {
		/* said */
	} else if (opt == '?' && optopt != 0 && typed[1] == '-') {
		say("%s%s takes no argument\n", who, typed);
	} else if (opt == '?') {
		unknown_option(who, typed);
	} else {
		say("%s%s is not an option of %s\n", who, typed,
		    parsing.command ? parsing.command : "hardctl");
	}
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
		else if (strcmp(arg, "html") == 0 && env->html_ok)
			env->format = HC_FORMAT_HTML;
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
	case 'X':
		if (hc_strlist_push(&env->skip, arg) < 0)
			return cmd_fail(HC_ERROR, false);
		return 0;
	case 'Y':
		if (hc_severity_parse(&sev, arg) < 0)
			return cmd_usage_error(text, "%s",
					       hc_error_last()->message);
		env->skip_severities |= 1u << sev;
		return 0;
	default:
		return bad_option(opt);
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

	while ((opt = cmd_getopt(argc, argv, "p:h", longopts)) != -1)
		if ((status = cmd_common_opt(env, opt, optarg, text)) != 0)
			return status;
	return EXIT_OK;
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
		n = hc_term_colour_len(stop, end);
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
	/* A page or a JUnit document masks each value before it escapes
	 * it (report_html.c, report.c): masked again, a secret from ROOT
	 * such as "td" or "=\"" would rewrite its own markup.  JSON is
	 * masked in its values only, for the same reason. */
	if (env->format == HC_FORMAT_JSON
		? hc_mask_json(buf, &env->ctx.secrets) < 0
		: env->format != HC_FORMAT_HTML &&
		      env->format != HC_FORMAT_JUNIT &&
		      hc_mask(buf, &env->ctx.secrets) < 0)
		return HC_ERROR;
	/* The report is held: a failure after it goes into it (json_finish). */
	if (env->format == HC_FORMAT_JSON && json_out.doc.size) {
		hc_error_set("a second JSON document for standard output");
		return HC_ERROR;
	}
	if (env->format == HC_FORMAT_JSON)
		return hc_buf_put(&json_out.doc, buf->ptr, buf->size);
	if (escape_output(buf, env->color) < 0)
		return HC_ERROR;
	if (buf->size && fwrite(buf->ptr, 1, buf->size, stdout) != buf->size &&
	    !cmd_pager_gone()) {
		hc_error_set_os("standard output", "cannot write");
		return HC_ERROR;
	}
	return 0;
}

void cmd_cache_keep(struct cmd_env *env, const struct hc_buf *out, int status,
		    size_t said)
{
	if ((status == EXIT_OK || status == EXIT_FAILED) &&
	    hc_cache_said()->size == said)
		(void)hc_cache_save(&(const struct hc_cache_answer){
		    env->root_path, HARDCTL_LENS_DIR, status, out->ptr,
		    out->size, env->format == HC_FORMAT_JSON});
	hc_error_clear();
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

static bool listed(const struct hc_strlist *list, const char *id)
{
	for (size_t i = 0; i < list->n; i++)
		if (strcmp(list->v[i], id) == 0)
			return true;
	return false;
}

/*
 * Leave out the rules --skip-rule and --skip-severity name, listing
 * them in env->skipped: --rule then selects every other rule of the
 * profile, unless it selects some already.
 */
static int skip_rules(struct cmd_env *env)
{
	const struct hc_profile *p = env->profile;
	bool selecting = env->only.n > 0;
	int error = 0;

	for (size_t i = 0; i < p->nrules && error == 0; i++) {
		const char *id = p->rules[i].rule->id;

		if (listed(&env->skip, id) ||
		    (env->skip_severities & (1u << p->rules[i].severity)))
			error = hc_strlist_push(&env->skipped, id);
		else if (!selecting)
			error = hc_strlist_push(&env->only, id);
	}
	return error;
}

/*
 * Check --rule and --skip-rule against the profile and the severities
 * asked, then keep what they select.
 */
static int select_rules(struct cmd_env *env)
{
	unsigned int mask = env->severities ? env->severities : ~0u;
	int error;

	mask &= ~env->skip_severities;
	if (!(mask &
	      ((1u << HC_CAT_I) | (1u << HC_CAT_II) | (1u << HC_CAT_III)))) {
		hc_error_set("--skip-severity leaves out every severity "
			     "--severity asks for");
		return hc_error_set_code(HC_EINVALID);
	}
	if ((error = hc_engine_select(&env->ctx, &env->only)) < 0 ||
	    (error = hc_engine_select(&env->ctx, &env->skip)) < 0)
		return error;
	for (size_t i = 0; i < env->only.n; i++) {
		const struct hc_profile_rule *pr =
		    hc_profile_find(env->profile, env->only.v[i]);

		if (listed(&env->skip, env->only.v[i])) {
			hc_error_set("rule '%s' is given to both --rule and "
				     "--skip-rule",
				     env->only.v[i]);
			return hc_error_set_code(HC_EINVALID);
		}
		if (mask & (1u << pr->severity))
			continue;
		hc_error_set(
		    "rule '%s' is %s, not of a severity --severity asks for",
		    env->only.v[i], hc_severity_name(pr->severity));
		if (env->skip_severities & (1u << pr->severity))
			hc_error_set("rule '%s' is %s, which --skip-severity "
				     "leaves out",
				     env->only.v[i],
				     hc_severity_name(pr->severity));
		return hc_error_set_code(HC_EINVALID);
	}
	if ((env->skip.n || env->skip_severities) &&
	    (error = skip_rules(env)) < 0)
		return error;
	if (env->severities || env->skip_severities)
		hc_profile_keep_severities(env->profile, mask);
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

/*
 * The tailoring every command that loads a profile uses, into *PATH
 * (NULL: none): --tailoring FILE; none at all with "--tailoring none";
 * else the site tailoring when it exists (*SITE).  That is a file of
 * the host running hardctl, HARDCTL_SITE_TAILORING at build time, or
 * the environment's HARDCTL_SITE_TAILORING (for tests and packaging;
 * empty: none), never one under ROOT: an image must not waive its own
 * audit.  It is read with the same trust rules as --tailoring's.
 */
static int pick_tailoring(const char **path, bool *site,
			  const struct cmd_env *env)
{
	const char *file = getenv("HARDCTL_SITE_TAILORING");
	struct stat st;

	*path = NULL;
	*site = false;
	if (env->tailoring_path) {
		if (strcmp(env->tailoring_path, "none") != 0)
			*path = env->tailoring_path;
		return 0;
	}
	if (file == NULL)
		file = HARDCTL_SITE_TAILORING;
	if (file[0] == '\0')
		return 0;
	/* Absent is no tailoring; anything else there is read, or refused. */
	hc_trace_host(file);
	if (lstat(file, &st) < 0 && (errno == ENOENT || errno == ENOTDIR))
		return 0;
	*path = file;
	*site = true;
	return 0;
}

/*
 * An error in the site tailoring stops every command that loads a
 * profile, cron's and the rollback's among them: say the way past it.
 */
static int site_hint(int error)
{
	const struct hc_error *e = hc_error_last();
	char file[sizeof(e->file)], message[sizeof(e->message)];
	unsigned int line = e->line;

	/* Copies: the arguments may not alias the slot being written. */
	memcpy(file, e->file, sizeof(file));
	memcpy(message, e->message, sizeof(message));
	hc_error_set_at(file, line,
			"%s (the site tailoring: fix it, or leave it out with "
			"--tailoring none)",
			message);
	return hc_error_set_code(error);
}

int cmd_open(struct cmd_env *env, bool with_root)
{
	const char *tailoring;
	bool site;
	int error;

	host_error = false;
	if (with_root && env->root == NULL &&
	    (error = hc_root_open(&env->root, env->root_path)) < 0)
		return error;
	if ((error = pick_tailoring(&tailoring, &site, env)) < 0 ||
	    (error = hc_aug_open(&env->aug, HARDCTL_LENS_DIR)) < 0 ||
	    (error = hc_profile_load(&env->profile, env->aug,
				     env->profile_name ? env->profile_name
						       : "service-console",
				     tailoring, HARDCTL_PROFILE_DIR)) < 0) {
		/* The profile and tailoring are the host's files, even under
		 * ROOT: their errors keep their real names. */
		host_error = true;
		return site ? site_hint(error) : error;
	}
	env->profile->site_tailoring = site;
	hc_ctx_init(&env->ctx, env->root, env->aug, env->profile);
	said_secrets = &env->ctx.secrets;
	if ((error = register_secrets(&env->ctx, env->profile)) < 0)
		return error;
	return select_rules(env);
}

void cmd_close(struct cmd_env *env)
{
	said_secrets = NULL;
	hc_ctx_release(&env->ctx);
	hc_profile_free(env->profile);
	hc_aug_free(env->aug);
	hc_root_free(env->root);
	hc_strlist_release(&env->only);
	hc_strlist_release(&env->skip);
	hc_strlist_release(&env->skipped);
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

/*
 * The syslog record of recovering transaction PENDING: R says what was
 * done; ERROR < 0, that it failed.
 */
static void audit_recovery(const struct cmd_env *env, unsigned int pending,
			   const struct hc_recovery *r, int error)
{
	struct hc_audit_event ev = {.action = "recover", .txn = pending};
	char detail[96];

	if (error < 0) {
		ev.outcome = HC_AUDIT_FAILED;
		ev.outcome_text = "failed";
	} else {
		ev.outcome = HC_AUDIT_DONE;
		ev.outcome_text = r->completed ? "finished" : "rolled back";
		snprintf(detail, sizeof(detail),
			 "%zu files put back, %zu edited since kept",
			 r->restored, r->kept);
		ev.detail = detail;
	}
	cmd_audit(env, &ev);
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
	/* What was recovered, or tried to be, is in syslog. */
	if (store && (out->id || error < 0))
		audit_recovery(env, pending, out, error);
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
	struct hc_buf path = HC_BUF_INIT, shown = HC_BUF_INIT;
	char fpr[HC_SHA256_HEXLEN + 1];
	bool created = false;
	int error;

	if ((error = cmd_key_path(&path, env)) == 0 &&
	    (error = hc_store_use_key(store, path.ptr, create, &created)) ==
		0 &&
	    created) {
		hc_signer_fingerprint(fpr, hc_store_signer(store));
		/* The default key is inside ROOT: shown as ROOT sees it. */
		if (put_as_root_sees(&shown, path.ptr) < 0)
			hc_buf_clear(&shown);
		fprintf(
		    stderr,
		    "hardctl: made the store's signing key %s\n"
		    "hardctl: its fingerprint is %s: keep it somewhere else; "
		    "'hardctl verify --fingerprint' checks the store's history "
		    "against it\n",
		    shown.size ? shown.ptr : path.ptr, fpr);
	}
	hc_buf_release(&path);
	hc_buf_release(&shown);
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

/* One line: the closest command, or where the list is. */
static int unknown_command(const char *name)
{
	const char *names[HC_ARRAY_SIZE(commands)];
	struct hc_buf guess = HC_BUF_INIT;

	for (size_t i = 0; i < HC_ARRAY_SIZE(commands); i++)
		names[i] = commands[i].name;
	if (hc_suggest(&guess, name, names, HC_ARRAY_SIZE(names)) == 0 &&
	    guess.size)
		say("hardctl: unknown command '%s'; did you mean %s?\n", name,
		    guess.ptr);
	else
		say("hardctl: unknown command '%s' (hardctl --help lists "
		    "them)\n",
		    name);
	hc_buf_release(&guess);
	return EXIT_USAGE;
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
 * --version: hardctl's version, the directories this binary reads its
 * profiles and lenses from, and the versions of the libraries it runs
 * with, as they report them at run time (Augeas only says its own in
 * the /augeas/version node of a handle).  The front prints the same
 * lines (src/front.c), through cmd_print_version() too.
 */
static int print_version(void)
{
	const char *aug_version = NULL;
	augeas *aug = aug_init("/nonexistent", NULL,
			       AUG_NO_LOAD | AUG_NO_STDINC |
				   AUG_NO_MODL_AUTOLOAD | AUG_NO_ERR_CLOSE);
	int major = 0, minor = 0, rev = 0;

	if (aug && aug_get(aug, "/augeas/version", &aug_version) != 1)
		aug_version = NULL;
	git_libgit2_version(&major, &minor, &rev);
	cmd_print_version(aug_version, major, minor, rev,
			  OpenSSL_version(OPENSSL_VERSION));
	aug_close(aug);
	return EXIT_OK;
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
	while ((opt = next_option(NULL, argc, argv, "+h", longopts)) != -1) {
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
				    cmd_usage_commands,
				    "--wait takes whole seconds from 0 to "
				    "3600, not '%s'",
				    optarg);
			break;
		case 'V':
			return print_version();
		case 'c':
			if (parse_color(color, optarg) < 0)
				return cmd_usage_error(
				    cmd_usage_commands,
				    "--color takes auto, always or never, "
				    "not '%s'",
				    optarg);
			break;
		case 'P':
			env->pager = false;
			break;
		case 'F':
		case 'q':
			if (cmd_common_opt(env, opt, optarg, "") != 0)
				return EXIT_USAGE;
			break;
		case 'h':
			fputs(cmd_usage_commands, stdout);
			fputs(cmd_usage_options, stdout);
			return EXIT_OK;
		default:
			return bad_option(opt);
		}
	}
	return -1;
}

/* What exit code STATUS means (hardctl --help), for a failure not said. */
static const char *status_meaning(int status)
{
	switch (status) {
	case EXIT_USAGE:
		return "bad usage or bad input";
	case EXIT_CHANGE:
		return "failure while changing";
	case EXIT_CONFLICT:
		return "rollback conflict";
	case EXIT_REFUSED:
		return "refused for safety";
	default:
		return "failed";
	}
}

/* The error object's members, from what was said last, into JSON. */
static void error_members(struct hc_json *json, int status)
{
	const char *said = hc_buf_cstr(&json_out.said);

	hc_json_kv(json, "error", said[0] ? said : status_meaning(status));
	hc_json_key(json, "code");
	hc_json_int(json, status);
	hc_json_kv(json, "file",
		   json_out.has_file ? hc_buf_cstr(&json_out.file) : NULL);
	hc_json_key(json, "line");
	if (json_out.has_file && json_out.line)
		hc_json_int(json, json_out.line);
	else
		hc_json_null(json);
}

/*
 * With --format json, write the one document of the run on stdout: the
 * report held; on a failure (exit 2 to 5) the error object, or, when
 * the report was made before the failure, the report with the error
 * object's members added at its top level.  STATUS, or EXIT_USAGE if
 * stdout cannot be written.
 */
static int json_finish(const struct cmd_env *env, int status)
{
	struct hc_buf *doc = &json_out.doc;
	bool failed = status >= EXIT_USAGE && status != EXIT_PARTIAL;
	struct hc_buf tail = HC_BUF_INIT;
	struct hc_json json;
	int error = 0;

	if (env->format != HC_FORMAT_JSON)
		goto out;
	hc_json_init(&json, &tail);
	if (failed && doc->size >= 2 &&
	    memcmp(doc->ptr + doc->size - 2, "}\n", 2) == 0) {
		/* The report's last '}' and newline, then its members. */
		doc->size -= 2;
		json.first[0] = false;
		error_members(&json, status);
		hc_json_close(&json, '{');
	} else if (failed && doc->size == 0) {
		hc_json_open_document(&json);
		error_members(&json, status);
		hc_json_close(&json, '{');
	}
	if ((error = hc_json_finish(&json)) == 0 && tail.size > 1)
		error = hc_buf_put(doc, tail.ptr, tail.size);
	if (error == 0 && doc->size &&
	    (fwrite(doc->ptr, 1, doc->size, stdout) != doc->size ||
	     fflush(stdout) != 0)) {
		fprintf(stderr, "hardctl: cannot write standard output\n");
		if (status == EXIT_OK)
			status = EXIT_USAGE;
	}
out:
	hc_buf_release(&tail);
	hc_buf_release(&json_out.doc);
	hc_buf_release(&json_out.said);
	hc_buf_release(&json_out.file);
	return status;
}

static int run(struct cmd_env *env, int argc, char **argv);

/*
 * Before a command that reads ROOT: recover a transaction a crash left
 * pending, and say so.  -1 to go on, else the exit status to end with.
 */
static int recover_first(struct cmd_env *env)
{
	struct hc_recovery r;
	struct hc_buf line = HC_BUF_INIT;
	int error;

	if ((error = cmd_recover_pending(&r, env, true)) < 0)
		return cmd_fail(error, true);
	/* A recovery changed ROOT under the answer: keep none. */
	if (r.id)
		hc_trace_doubt();
	if (r.id && cmd_recovery_text(&line, &r) == 0)
		fprintf(stderr, "hardctl: %s", line.ptr);
	hc_buf_release(&line);
	return -1;
}

/*
 * The heap asked for in the kernel's huge pages.  Augeas's compiled
 * lenses are tens of MiB of regular-expression automata, allocated in
 * small pieces and each touched once: in 4 KiB pages a check takes
 * some 7,000 page faults, a fifth of its time on these machines.  So
 * the heap grows by at least HEAP_STEP at a time (glibc's top pad), and
 * the first such growth is marked MADV_HUGEPAGE, much as glibc's tunable
 * glibc.malloc.hugetlb=1 marks each growth: the kernel then faults it
 * in 2 MiB at a time.  The pad also keeps glibc from adapting its mmap
 * threshold, and the kernel charges it as commit: so nothing is done
 * unless transparent huge pages are on ("always", or "madvise" as
 * Debian has them), nor under strict overcommit
 * (vm.overcommit_memory = 2, where a fork charges it again) or a limit
 * on the address space or the heap (ulimit -v, -d).  Best effort: under
 * another allocator (a sanitizer's, valgrind's) the heap does not move,
 * and the pad goes back to glibc's default.
 */
#define HEAP_STEP (64UL << 20)
#define HUGE_PAGE (2UL << 20)
#define HEAP_PROBE (64UL << 10) /* below glibc's mmap threshold */
#define TOP_PAD_DEFAULT (128 << 10)

/* Whether the kernel setting FILE (/proc/sys, /sys) reads as WHAT. */
static bool setting_has(const char *file, const char *what)
{
	char text[256];
	int fd = open(file, O_RDONLY | O_CLOEXEC);
	ssize_t n = fd < 0 ? -1 : read(fd, text, sizeof(text) - 1);

	if (fd >= 0)
		close(fd);
	if (n <= 0)
		return false;
	text[n] = '\0';
	return strstr(text, what) != NULL;
}

static bool huge_pages_pay(void)
{
	static const char thp[] = "/sys/kernel/mm/transparent_hugepage/enabled";
	struct rlimit as, data;

	return (setting_has(thp, "[always]") ||
		setting_has(thp, "[madvise]")) &&
	       !setting_has("/proc/sys/vm/overcommit_memory", "2") &&
	       getrlimit(RLIMIT_AS, &as) == 0 && as.rlim_cur == RLIM_INFINITY &&
	       getrlimit(RLIMIT_DATA, &data) == 0 &&
	       data.rlim_cur == RLIM_INFINITY;
}

static void heap_in_huge_pages(void)
{
	void *probe[8];
	uintptr_t lo, hi;
	void *at;
	size_t n = 0;

	if (!huge_pages_pay() || (at = sbrk(0)) == (void *)-1 ||
	    mallopt(M_TOP_PAD, HEAP_STEP) != 1)
		return;
	lo = (uintptr_t)at;
	/* Small blocks until the heap grows: that growth is the step. */
	while (n < sizeof(probe) / sizeof(probe[0]) &&
	       (probe[n] = malloc(HEAP_PROBE)) != NULL) {
		n++;
		if ((uintptr_t)sbrk(0) != lo)
			break;
	}
	while (n > 0)
		free(probe[--n]);
	hi = (uintptr_t)sbrk(0);
	if (hi == lo) {
		mallopt(M_TOP_PAD, TOP_PAD_DEFAULT);
		return;
	}
	lo = (lo + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1);
	hi &= ~(HUGE_PAGE - 1);
	if (hi > lo)
		madvise((void *)lo, hi - lo, MADV_HUGEPAGE);
}

int main(int argc, char **argv)
{
	struct cmd_env env;

	heap_in_huge_pages();
	memset(&env, 0, sizeof(env));
	env.root_path = "/";
	/* The invocation as given: getopt() permutes argv. */
	hc_cache_begin(argc, argv);
	env.pager = true;
	env.junit_ok = true; /* until the command is known */
	env.html_ok = true;
	return json_finish(&env, run(&env, argc, argv));
}

/* Parse the global options, set up what the command's row asks, run it. */
static int run(struct cmd_env *env, int argc, char **argv)
{
	const struct cmd_struct *cmd;
	enum color_mode color = COLOR_AUTO;
	int status;

	if ((status = global_options(env, &color, argc, argv)) >= 0)
		return status;
	env->color = want_color(color);
	env->width = hc_term_width(getenv("COLUMNS"), STDOUT_FILENO);
	if (optind >= argc) {
		/* Nothing asked: the whole usage, as git does. */
		fputs(cmd_usage_commands, stderr);
		fputs(cmd_usage_options, stderr);
		keep_said(cmd_usage_commands, strcspn(cmd_usage_commands, "\n"),
			  NULL, 0);
		return EXIT_USAGE;
	}
	if ((cmd = find_command(argv[optind])) == NULL)
		return unknown_command(argv[optind]);
	set_shown_root(env->root_path);
	if (env->format == HC_FORMAT_JUNIT && !(cmd->flags & JUNIT))
		return cmd_usage_error(cmd_usage_commands,
				       "only check writes --format junit");
	env->junit_ok = cmd->flags & JUNIT;
	if (env->format == HC_FORMAT_HTML && !(cmd->flags & HTML))
		return cmd_usage_error(cmd_usage_commands,
				       "only check and report write --format "
				       "html");
	env->html_ok = cmd->flags & HTML;

	/* What the answer depends on, from the first read (CACHE). */
	if (cmd->flags & CACHE) {
		hc_trace_start();
		hc_cache_note_host(HARDCTL_LENS_DIR);
	}
	if ((cmd->flags & NEED_GIT) && git_libgit2_init() < 0) {
		fprintf(stderr, "hardctl: cannot initialise libgit2\n");
		return EXIT_CHANGE;
	}
	if ((cmd->flags & NEED_ROOT) && (status = recover_first(env)) >= 0)
		goto out;
	if (cmd->flags & (CONFIRM_ACT | CONFIRM_TELL))
		cmd_confirm_check(env, cmd->flags & CONFIRM_ACT);
	argc -= optind;
	argv += optind;
	optind = 0; /* re-initialise getopt for the command's options */
	status = cmd->fn(argc, argv, env);
out:
	cmd_close(env);
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
