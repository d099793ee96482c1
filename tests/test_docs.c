/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The documentation agrees with the program: the man pages, rendered by
 * man-db as an administrator reads them, list every command, option and
 * exit code --help lists and every key the profile parser takes; the
 * shell completion offers what --help and "hardctl list" say; --version
 * says what this binary uses.
 */
#include <ctype.h>
#include <git2.h>
#include <glob.h>
#include <libgen.h>
#include <openssl/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "hardctl/buf.h"
#include "test.h"

#define MAN_DIR HC_MAN_DIR
#define BASH_COMPLETION HC_SOURCE_DIR "/dist/completion/hardctl.bash"
#define ZSH_COMPLETION HC_SOURCE_DIR "/dist/completion/_hardctl"

/*
 * The page PAGE as man-db renders it: plain text, lines wide enough that
 * nothing is broken or hyphenated.
 */
static char *rendered(const char *page)
{
	char path[4096];
	struct test_run run = {0};
	char *text;

	snprintf(path, sizeof(path), "%s/%s", MAN_DIR, page);
	TEST_RUN(&run, "/usr/bin/env", "LC_ALL=C", "MANWIDTH=1000",
		 "MAN_KEEP_FORMATTING=", "MANPAGER=cat", "PAGER=cat",
		 "/usr/bin/man", "-l", path);
	ck_assert_msg(run.status == 0, "man -l %s: %d\n%s", path, run.status,
		      run.err.ptr);
	text = hc_buf_detach(&run.out);
	test_run_release(&run);
	return text;
}

/* The text between the heading HEAD and the next heading of TEXT. */
static char *section(const char *text, const char *head)
{
	struct hc_buf want = HC_BUF_INIT;
	const char *start, *end;
	char *out;

	hc_buf_printf(&want, "\n%s\n", head);
	start = strstr(text, want.ptr);
	ck_assert_msg(start != NULL, "no section %s", head);
	start += want.size - 1; /* from the heading's newline */
	/* A heading starts at column 0 with a capital letter. */
	for (end = start; (end = strchr(end, '\n')) != NULL; end++)
		if (isupper((unsigned char)end[1]))
			break;
	out = strndup(start, end ? (size_t)(end - start) : strlen(start));
	hc_buf_release(&want);
	return out;
}

/* Whether TEXT holds WORD with no option character right after it. */
static bool has_word(const char *text, const char *word)
{
	size_t len = strlen(word);

	for (const char *p = text; (p = strstr(p, word)) != NULL; p++) {
		char before = p == text ? ' ' : p[-1];
		char after = p[len];

		if ((isalnum((unsigned char)before) || before == '-') &&
		    word[0] != '-')
			continue;
		if (!isalnum((unsigned char)after) && after != '-' &&
		    after != '_')
			return true;
	}
	return false;
}

/* Every long option ("--name") of TEXT, once each, into OUT. */
static void long_options(struct hc_strlist *out, const char *text)
{
	for (const char *p = text; (p = strstr(p, "--")) != NULL;) {
		size_t len = 2 + strspn(p + 2, "abcdefghijklmnopqrstuvwxyz-");
		bool seen = false;
		char *name;

		if (len <= 3 || (p > text && isalnum((unsigned char)p[-1]))) {
			p += 2;
			continue;
		}
		name = strndup(p, len);
		while (name[strlen(name) - 1] == '-')
			name[strlen(name) - 1] = '\0';
		for (size_t i = 0; i < out->n; i++)
			seen = seen || strcmp(out->v[i], name) == 0;
		if (seen)
			free(name);
		else
			ck_assert(hc_strlist_push_owned(out, name) == 0);
		p += len;
	}
}

/* The command names "hardctl --help" lists, in its "commands:" part. */
static void help_commands(struct hc_strlist *out, const char *help)
{
	const char *p = strstr(help, "\ncommands:\n");

	ck_assert_msg(p != NULL, "no commands in:\n%s", help);
	p = strchr(p + 1, '\n') + 1;
	/* "  list     [PROFILE...": two spaces, then the name. */
	for (; p[0] == ' ' && p[1] == ' '; p = strchr(p, '\n') + 1) {
		size_t len = strspn(p + 2, "abcdefghijklmnopqrstuvwxyz");

		if (len)
			ck_assert(hc_strlist_push_owned(
				      out, strndup(p + 2, len)) == 0);
	}
	ck_assert_msg(out->n >= 12, "only %zu commands in:\n%s", out->n, help);
}

/* The exit codes "hardctl --help" lists: "N meaning" after "exit codes:". */
static void help_exit_codes(struct hc_strlist *out, const char *help)
{
	const char *p = strstr(help, "exit codes:");

	ck_assert_msg(p != NULL, "no exit codes in:\n%s", help);
	for (; *p; p++)
		if (isdigit((unsigned char)p[0]) && p[1] == ' ' &&
		    !isdigit((unsigned char)p[-1]))
			ck_assert(hc_strlist_push_owned(out, strndup(p, 1)) ==
				  0);
	ck_assert_msg(out->n >= 7, "only %zu exit codes in:\n%s", out->n, help);
}

static char *hardctl_help(const char *command)
{
	struct test_run run = {0};
	char *text;

	if (command)
		TEST_HARDCTL(&run, command, "--help");
	else
		TEST_HARDCTL(&run, "--help");
	ck_assert_msg(run.status == 0, "hardctl %s --help: %d\n%s",
		      command ? command : "", run.status, run.err.ptr);
	text = hc_buf_detach(&run.out);
	test_run_release(&run);
	return text;
}

START_TEST(man_page_renders_without_warnings)
{
	static const char *const pages[] = {"hardctl.8", "hardctl-profile.5"};

	for (size_t i = 0; i < HC_ARRAY_SIZE(pages); i++) {
		struct test_run run = {0};
		char path[4096];

		snprintf(path, sizeof(path), "%s/%s", MAN_DIR, pages[i]);
		TEST_RUN(&run, "/usr/bin/env", "MANROFFSEQ=", "LC_ALL=C",
			 "MANPAGER=cat", "/usr/bin/man", "--warnings", "-l",
			 path);
		ck_assert_msg(run.status == 0 && run.err.size == 0 &&
				  run.out.size > 1000,
			      "man --warnings -l %s: %d\n%s", path, run.status,
			      run.err.ptr);
		test_run_release(&run);
	}
}
END_TEST

START_TEST(man_page_lists_every_command)
{
	struct hc_strlist commands = HC_STRLIST_INIT;
	char *help = hardctl_help(NULL), *man = rendered("hardctl.8");
	char *part = section(man, "COMMANDS");

	help_commands(&commands, help);
	for (size_t i = 0; i < commands.n; i++) {
		struct hc_buf entry = HC_BUF_INIT;

		/* An entry: the name at the start of an indented line. */
		hc_buf_printf(&entry, "\n       %s", commands.v[i]);
		ck_assert_msg(has_word(part, entry.ptr),
			      "hardctl(8) COMMANDS lacks '%s'", commands.v[i]);
		hc_buf_release(&entry);
	}
	hc_strlist_release(&commands);
	free(part);
	free(man);
	free(help);
}
END_TEST

START_TEST(man_page_lists_every_option)
{
	struct hc_strlist commands = HC_STRLIST_INIT, opts = HC_STRLIST_INIT;
	char *help = hardctl_help(NULL), *man = rendered("hardctl.8");
	char *part = section(man, "OPTIONS");

	help_commands(&commands, help);
	long_options(&opts, help);
	/* Each command's own usage, --rollback's --if-unconfirmed among them.
	 */
	for (size_t i = 0; i < commands.n; i++) {
		char *own = hardctl_help(commands.v[i]);

		long_options(&opts, own);
		free(own);
	}
	ck_assert_msg(opts.n >= 24, "only %zu options found", opts.n);
	for (size_t i = 0; i < opts.n; i++)
		ck_assert_msg(has_word(part, opts.v[i]),
			      "hardctl(8) OPTIONS lacks '%s'", opts.v[i]);
	ck_assert(strstr(part, "-p, --profile") != NULL);
	hc_strlist_release(&commands);
	hc_strlist_release(&opts);
	free(part);
	free(man);
	free(help);
}
END_TEST

START_TEST(man_page_lists_every_exit_code)
{
	struct hc_strlist codes = HC_STRLIST_INIT;
	char *help = hardctl_help(NULL), *man = rendered("hardctl.8");
	char *part = section(man, "EXIT STATUS");

	help_exit_codes(&codes, help);
	for (size_t i = 0; i < codes.n; i++) {
		struct hc_buf entry = HC_BUF_INIT;

		hc_buf_printf(&entry, "\n       %s\n", codes.v[i]);
		ck_assert_msg(strstr(part, entry.ptr) != NULL,
			      "hardctl(8) EXIT STATUS lacks %s", codes.v[i]);
		hc_buf_release(&entry);
	}
	ck_assert(strstr(part, "\n       6\n") != NULL);
	hc_strlist_release(&codes);
	free(part);
	free(man);
	free(help);
}
END_TEST

/* Every environment variable the sources read, in ENVIRONMENT. */
START_TEST(man_page_lists_the_environment)
{
	/* fault.c's variables exist in the tests' builds only. */
	static const char *const dirs[] = {"src", "modules"};
	char *man = rendered("hardctl.8"), *part = section(man, "ENVIRONMENT");
	size_t n = 0;

	for (size_t d = 0; d < HC_ARRAY_SIZE(dirs); d++) {
		char pattern[4096];
		glob_t g;

		snprintf(pattern, sizeof(pattern), "%s/%s/*.c", HC_SOURCE_DIR,
			 dirs[d]);
		ck_assert_int_eq(glob(pattern, 0, NULL, &g), 0);
		for (size_t i = 0; i < g.gl_pathc; i++) {
			char *src;

			if (strcmp(basename(g.gl_pathv[i]), "fault.c") == 0)
				continue;
			src = test_read(g.gl_pathv[i], "");
			ck_assert(src != NULL);
			for (const char *p = src;
			     (p = strstr(p, "getenv(\"")) != NULL; n++) {
				char *name;

				p += strlen("getenv(\"");
				name = strndup(p, strcspn(p, "\""));
				ck_assert_msg(has_word(part, name),
					      "hardctl(8) ENVIRONMENT lacks %s "
					      "(%s)",
					      name, g.gl_pathv[i]);
				free(name);
			}
			free(src);
		}
		globfree(&g);
	}
	ck_assert_msg(n >= 10, "only %zu getenv() calls found", n);
	free(part);
	free(man);
}
END_TEST

/*
 * Every key and section src/profile.c compares a label with is in
 * hardctl-profile(5): "KEY =" or "[SECTION]".
 */
START_TEST(profile_page_lists_every_key)
{
	char *src = test_read(HC_SOURCE_DIR, "/src/profile.c");
	char *man = rendered("hardctl-profile.5");
	size_t keys = 0, sections = 0;

	ck_assert(src != NULL);
	for (const char *p = src; (p = strstr(p, "strcmp(key, \"")) != NULL;
	     keys++) {
		struct hc_buf want = HC_BUF_INIT;

		p += strlen("strcmp(key, \"");
		hc_buf_printf(&want, "%.*s =", (int)strcspn(p, "\""), p);
		ck_assert_msg(has_word(man, want.ptr),
			      "hardctl-profile(5) lacks '%s'", want.ptr);
		hc_buf_release(&want);
	}
	for (const char *p = src; (p = strstr(p, "strcmp(label, \"")) != NULL;
	     sections++) {
		struct hc_buf want = HC_BUF_INIT;

		p += strlen("strcmp(label, \"");
		hc_buf_printf(&want, "[%.*s]", (int)strcspn(p, "\""), p);
		ck_assert_msg(strstr(man, want.ptr) != NULL,
			      "hardctl-profile(5) lacks '%s'", want.ptr);
		hc_buf_release(&want);
	}
	/* name ... reason, and profile, tailoring, guards: the scan works. */
	ck_assert_msg(keys >= 14 && sections >= 3, "%zu keys, %zu sections",
		      keys, sections);
	free(src);
	free(man);
}
END_TEST

/*
 * The literal block of a rendered page starting at the line START, its
 * 11 columns of indent taken off, into OUT.
 */
static void example(struct hc_buf *out, const char *start)
{
	static const char indent[] = "           ";

	hc_buf_clear(out);
	for (const char *p = start; *p;) {
		size_t len = strcspn(p, "\n");

		if (len && strncmp(p, indent, sizeof(indent) - 1) != 0)
			break;
		hc_buf_printf(out, "%.*s\n",
			      len ? (int)(len - (sizeof(indent) - 1)) : 0,
			      len ? p + sizeof(indent) - 1 : p);
		p += len + (p[len] == '\n');
	}
}

/*
 * The man page's examples are real: its profile and tailoring parse,
 * with "hardctl list".
 */
START_TEST(profile_page_examples_load)
{
	char *man = rendered("hardctl-profile.5"), *dir = test_mkdtemp();
	const char *profile = strstr(man, "\n           [profile]\n");
	const char *tailoring = strstr(man, "\n           [tailoring]\n");
	struct hc_buf text = HC_BUF_INIT, path = HC_BUF_INIT,
		      tpath = HC_BUF_INIT;
	struct test_run run = {0};

	ck_assert(profile && tailoring);
	example(&text, profile + 1);
	test_write(dir, "/site.conf", text.ptr, 0644);
	test_write(dir, "/site-banner.txt", "Authorized use only.\n", 0644);
	example(&text, tailoring + 1);
	test_write(dir, "/tailoring.conf", text.ptr, 0644);
	hc_buf_printf(&path, "%s/site.conf", dir);
	hc_buf_printf(&tpath, "%s/tailoring.conf", dir);
	TEST_HARDCTL(&run, "list", "-p", path.ptr, "--tailoring", "none");
	ck_assert_msg(run.status == 0, "%s", run.err.ptr);
	assert_lacks(run.out.ptr, "vmx.copy-paste");
	assert_contains(run.out.ptr, "banner.issue");
	/* It tailors service-console, not "site": refused, as it says. */
	TEST_HARDCTL(&run, "list", "--tailoring", tpath.ptr);
	ck_assert_msg(run.status == 0, "%s", run.err.ptr);
	TEST_HARDCTL(&run, "list", "-p", path.ptr, "--tailoring", tpath.ptr);
	ck_assert_int_eq(run.status, 2);
	assert_contains(run.err.ptr, "tailors profile 'service-console'");
	test_run_release(&run);
	hc_buf_release(&text);
	hc_buf_release(&path);
	hc_buf_release(&tpath);
	test_rmtree(dir);
	free(dir);
	free(man);
}
END_TEST

START_TEST(version_says_what_it_uses)
{
	struct test_run run = {0}, aug = {0};
	struct hc_buf want = HC_BUF_INIT;
	int major, minor, rev;
	const char *v;

	TEST_HARDCTL(&run, "--version");
	ck_assert_msg(run.status == 0, "%s", run.err.ptr);
	hc_buf_printf(&want, "hardctl " HARDCTL_VERSION "\n"
			     "profiles: " HARDCTL_PROFILE_DIR "\n"
			     "lenses: " HARDCTL_LENS_DIR "\n");
	ck_assert_msg(strncmp(run.out.ptr, want.ptr, want.size) == 0,
		      "want:\n%s\ngot:\n%s", want.ptr, run.out.ptr);
	/* The library versions, as the libraries themselves say them. */
	TEST_RUN(&aug, "/usr/bin/augtool", "--version");
	ck_assert_int_eq(aug.status, 0);
	/* "augtool 1.14.0 <http://augeas.net/>", on stderr. */
	v = aug.out.size > 1 ? aug.out.ptr : aug.err.ptr;
	ck_assert_msg(strncmp(v, "augtool ", 8) == 0, "%s", v);
	hc_buf_clear(&want);
	hc_buf_printf(&want, "augeas %.*s, ", (int)strcspn(v + 8, " \n"),
		      v + 8);
	git_libgit2_version(&major, &minor, &rev);
	hc_buf_printf(&want, "libgit2 %d.%d.%d, %s\n", major, minor, rev,
		      OpenSSL_version(OPENSSL_VERSION));
	v = strstr(run.out.ptr, "lenses: ");
	ck_assert(v != NULL);
	v = strchr(v, '\n') + 1;
	ck_assert_str_eq(v, want.ptr);
	/* And the directories are the ones it reads. */
	TEST_HARDCTL(&run, "list", "-p", "service-console", "--tailoring",
		     "none");
	ck_assert_int_eq(run.status, 0);
	test_run_release(&run);
	test_run_release(&aug);
	hc_buf_release(&want);
}
END_TEST

/*
 * What bash completion offers for the words WORDS (the last one being
 * completed), one per line, with the built hardctl first on PATH.
 */
static char *bash_complete(const char *words)
{
	struct test_run run = {0};
	struct hc_buf script = HC_BUF_INIT, path = HC_BUF_INIT;
	char *bin = strdup(HC_TEST_BINARY), *text;

	hc_buf_printf(&path, "PATH=%s:/usr/sbin:/usr/bin:/sbin:/bin",
		      dirname(bin));
	hc_buf_printf(
	    &script,
	    "source /usr/share/bash-completion/bash_completion\n"
	    "source '%s'\n"
	    "COMP_WORDS=(%s)\n"
	    "COMP_CWORD=$((${#COMP_WORDS[@]} - 1))\n"
	    "COMP_LINE=\"${COMP_WORDS[*]}\"; COMP_POINT=${#COMP_LINE}\n"
	    "_hardctl\n"
	    "printf '%%s\\n' \"${COMPREPLY[@]}\"\n",
	    BASH_COMPLETION, words);
	TEST_RUN(&run, "/usr/bin/env", "-i", path.ptr,
		 "HARDCTL_CACHE_DIR=", "HARDCTL_SITE_TAILORING=", "/bin/bash",
		 "-c", script.ptr);
	ck_assert_msg(run.status == 0, "%s: %d\n%s", words, run.status,
		      run.err.ptr);
	text = hc_buf_detach(&run.out);
	test_run_release(&run);
	hc_buf_release(&script);
	hc_buf_release(&path);
	free(bin);
	return text;
}

/* Whether LIST (one per line) holds the line WORD. */
static bool offered(const char *list, const char *word)
{
	size_t len = strlen(word);

	for (const char *p = list; p && *p; p = strchr(p, '\n'), p += !!p)
		if (strncmp(p, word, len) == 0 &&
		    (p[len] == '\n' || p[len] == '\0'))
			return true;
	return false;
}

START_TEST(bash_completes_rule_ids)
{
	char *got = bash_complete("hardctl apply --rule ban");

	ck_assert_msg(offered(got, "banner.issue"), "%s", got);
	ck_assert_msg(!offered(got, "password.max-days"), "%s", got);
	free(got);
	/* Of the profile the line names: stig-cat1 has no banner rule. */
	got = bash_complete("hardctl check -p stig-cat1 --rule ban");
	ck_assert_msg(!offered(got, "banner.issue"), "%s", got);
	free(got);
	got = bash_complete("hardctl explain root-access.sshd-permit-r");
	ck_assert_msg(offered(got, "root-access.sshd-permit-root-login"), "%s",
		      got);
	free(got);
}
END_TEST

/* Completing a line runs none of the code typed on it. */
START_TEST(completion_runs_no_typed_code)
{
	char *dir = test_mkdtemp(), *got, *bin = strdup(HC_TEST_BINARY);
	struct hc_buf line = HC_BUF_INIT, script = HC_BUF_INIT,
		      path = HC_BUF_INIT, mark = HC_BUF_INIT;
	struct test_run run = {0};

	hc_buf_printf(&mark, "%s/ran", dir);
	hc_buf_printf(&line, "hardctl check -p '$(touch %s)' --rule ''",
		      mark.ptr);
	got = bash_complete(line.ptr);
	ck_assert_msg(access(mark.ptr, F_OK) != 0, "bash ran: %s", line.ptr);
	free(got);
	hc_buf_printf(&path, "PATH=%s:/usr/bin:/bin", dirname(bin));
	hc_buf_printf(&script,
		      "_arguments() { return 1 }\n"
		      "_describe() { print -l -- ${(P)4} }\n"
		      "source '%s'\n"
		      "hardctl_bin=hardctl\n"
		      "words=(check -p '$(touch %s)' --rule '')\n"
		      "CURRENT=5\n"
		      "_hardctl_rule_ids\n",
		      ZSH_COMPLETION, mark.ptr);
	if (access("/usr/bin/zsh", X_OK) == 0) {
		TEST_RUN(&run, "/usr/bin/env", "-i", path.ptr,
			 "HARDCTL_CACHE_DIR=", "HARDCTL_SITE_TAILORING=",
			 "/usr/bin/zsh", "-f", "-c", script.ptr);
		ck_assert_msg(access(mark.ptr, F_OK) != 0, "zsh ran it");
	}
	test_run_release(&run);
	hc_buf_release(&line);
	hc_buf_release(&script);
	hc_buf_release(&path);
	hc_buf_release(&mark);
	test_rmtree(dir);
	free(dir);
	free(bin);
}
END_TEST

START_TEST(bash_completes_commands_and_options)
{
	struct hc_strlist commands = HC_STRLIST_INIT, opts = HC_STRLIST_INIT;
	char *help = hardctl_help(NULL), *got, *globals;

	got = bash_complete("hardctl ch");
	ck_assert_msg(offered(got, "check") && !offered(got, "apply"), "%s",
		      got);
	free(got);
	got = bash_complete("hardctl check --sk");
	ck_assert_msg(offered(got, "--skip-rule") &&
			  offered(got, "--skip-severity"),
		      "%s", got);
	free(got);
	/* Every command and global option --help lists. */
	help_commands(&commands, help);
	got = bash_complete("hardctl ''");
	for (size_t i = 0; i < commands.n; i++)
		ck_assert_msg(offered(got, commands.v[i]), "no %s in:\n%s",
			      commands.v[i], got);
	free(got);
	got = bash_complete("hardctl --");
	globals = strstr(help, "global options");
	ck_assert(globals && strstr(globals, "profile options"));
	globals = strndup(
	    globals, (size_t)(strstr(globals, "profile options") - globals));
	long_options(&opts, globals);
	ck_assert_msg(opts.n >= 10, "%s", globals);
	for (size_t i = 0; i < opts.n; i++)
		ck_assert_msg(offered(got, opts.v[i]), "no %s in:\n%s",
			      opts.v[i], got);
	free(got);
	free(globals);
	/* Every option each command's own usage lists, after it. */
	for (size_t i = 0; i < commands.n; i++) {
		struct hc_strlist own_opts = HC_STRLIST_INIT;
		struct hc_buf line = HC_BUF_INIT;
		char *own = hardctl_help(commands.v[i]), *usage;

		/* The synopsis: "usage: ..." and its indented lines. */
		usage = own;
		for (char *nl = own; (nl = strchr(nl, '\n')) != NULL; nl++)
			if (nl[1] != ' ') {
				nl[1] = '\0';
				break;
			}
		ck_assert(strncmp(usage, "usage: hardctl ", 15) == 0);
		long_options(&own_opts, usage);
		ck_assert_msg(own_opts.n >= 1, "%s", usage);
		hc_buf_printf(&line, "hardctl %s --", commands.v[i]);
		got = bash_complete(line.ptr);
		for (size_t j = 0; j < own_opts.n; j++)
			ck_assert_msg(offered(got, own_opts.v[j]),
				      "%s: no %s in:\n%s", line.ptr,
				      own_opts.v[j], got);
		free(got);
		free(own);
		hc_buf_release(&line);
		hc_strlist_release(&own_opts);
	}
	hc_strlist_release(&commands);
	hc_strlist_release(&opts);
	free(help);
}
END_TEST

START_TEST(bash_completes_profiles)
{
	char *got = bash_complete("hardctl check -p ''");

	ck_assert_msg(offered(got, "service-console") &&
			  offered(got, "linux-server") &&
			  offered(got, "stig-cat1"),
		      "%s", got);
	/* A tailoring is no profile. */
	ck_assert_msg(!offered(got, "example-tailoring"), "%s", got);
	free(got);
	got = bash_complete("hardctl check --severity CAT-I");
	ck_assert_msg(offered(got, "CAT-I") && offered(got, "CAT-II"), "%s",
		      got);
	free(got);
}
END_TEST

/*
 * zsh: the file parses, and its helpers list the rule ids and profiles
 * (compsys's own functions stubbed: the helpers are what is tested).
 */
START_TEST(zsh_completion_parses_and_lists)
{
	struct test_run run = {0};
	struct hc_buf script = HC_BUF_INIT, path = HC_BUF_INIT;
	char *bin = strdup(HC_TEST_BINARY);

	if (access("/usr/bin/zsh", X_OK) != 0 &&
	    test_oracle("zsh is not installed") != NULL) {
		free(bin);
		return;
	}
	TEST_RUN(&run, "/usr/bin/zsh", "-n", ZSH_COMPLETION);
	ck_assert_msg(run.status == 0 && run.err.size == 0, "%s", run.err.ptr);
	hc_buf_printf(&path, "PATH=%s:/usr/bin:/bin", dirname(bin));
	hc_buf_printf(&script,
		      "_arguments() { return 1 }\n"
		      "_describe() { print -l -- ${(P)4} }\n"
		      "_alternative() { print -l -- $names }\n"
		      "source '%s'\n"
		      "hardctl_bin=hardctl\n"
		      "words=(apply -p linux-server --rule '')\n"
		      "CURRENT=5\n"
		      "_hardctl_rule_ids\n"
		      "print -- ---\n"
		      "_hardctl_profiles\n",
		      ZSH_COMPLETION);
	TEST_RUN(&run, "/usr/bin/env", "-i", path.ptr, "HARDCTL_CACHE_DIR=",
		 "HARDCTL_SITE_TAILORING=", "/usr/bin/zsh", "-f", "-c",
		 script.ptr);
	ck_assert_msg(run.status == 0, "%d\n%s", run.status, run.err.ptr);
	ck_assert_msg(offered(run.out.ptr, "banner.issue") &&
			  !offered(run.out.ptr, "vmx.copy-paste"),
		      "%s", run.out.ptr);
	ck_assert_msg(
	    offered(strstr(run.out.ptr, "---\n"), "service-console") &&
		!offered(run.out.ptr, "example-tailoring"),
	    "%s", run.out.ptr);
	test_run_release(&run);
	hc_buf_release(&script);
	hc_buf_release(&path);
	free(bin);
}
END_TEST

Suite *docs_suite(void)
{
	Suite *s = suite_create("docs");
	TCase *tc = tcase_create("docs");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, man_page_renders_without_warnings);
	tcase_add_test(tc, man_page_lists_every_command);
	tcase_add_test(tc, man_page_lists_every_option);
	tcase_add_test(tc, man_page_lists_every_exit_code);
	tcase_add_test(tc, man_page_lists_the_environment);
	tcase_add_test(tc, profile_page_lists_every_key);
	tcase_add_test(tc, profile_page_examples_load);
	tcase_add_test(tc, version_says_what_it_uses);
	tcase_add_test(tc, bash_completes_rule_ids);
	tcase_add_test(tc, bash_completes_commands_and_options);
	tcase_add_test(tc, bash_completes_profiles);
	tcase_add_test(tc, zsh_completion_parses_and_lists);
	tcase_add_test(tc, completion_runs_no_typed_code);
	suite_add_tcase(s, tc);
	return s;
}
