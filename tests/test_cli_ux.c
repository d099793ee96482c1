/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A command line that guides: a mistyped command, option or rule id is
 * told on one line with the closest match; an option on the wrong side
 * of the command says where it goes; every path is shown as ROOT sees
 * it; status --diff shows what changed in a managed file by hand.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "test.h"

static char *root_dir;
static struct test_run run;

#define HARDCTL(...) TEST_HARDCTL(&run, __VA_ARGS__)

static void setup(void)
{
	root_dir = test_root("debian12");
	memset(&run, 0, sizeof(run));
}

static void teardown(void)
{
	test_run_release(&run);
	test_rmtree(root_dir);
	free(root_dir);
}

/* TEXT is exactly LINE and a newline: one line, no usage after it. */
#define assert_only_line(text, line)                                           \
	do {                                                                   \
		const char *t_ = (text);                                       \
		ck_assert_msg(t_ != NULL && strcmp(t_, line "\n") == 0,        \
			      "want only the line '%s', got:\n%s", line,       \
			      t_ ? t_ : "(null)");                             \
	} while (0)

/* Usage errors: exit 2, nothing on stdout, ROOT untouched. */
static void assert_usage_error(const char *before)
{
	char *after = test_snapshot(root_dir);

	ck_assert_int_eq(run.status, 2);
	ck_assert_str_eq(run.out.ptr ? run.out.ptr : "", "");
	ck_assert_str_eq(before, after);
	free(after);
}

START_TEST(test_cli_ux_command__did_you_mean)
{
	HARDCTL("chek");
	ck_assert_int_eq(run.status, 2);
	assert_only_line(run.err.ptr,
			 "hardctl: unknown command 'chek'; did you mean "
			 "'check'?");
	/* A swap of two letters is one typo. */
	HARDCTL("aplpy");
	assert_only_line(run.err.ptr,
			 "hardctl: unknown command 'aplpy'; did you mean "
			 "'apply'?");
	/* A unique prefix is taken as the intent, and only suggested. */
	HARDCTL("roll");
	ck_assert_int_eq(run.status, 2);
	assert_only_line(run.err.ptr,
			 "hardctl: unknown command 'roll'; did you mean "
			 "'rollback'?");
	HARDCTL("xyz");
	ck_assert_int_eq(run.status, 2);
	assert_only_line(run.err.ptr, "hardctl: unknown command 'xyz' "
				      "(hardctl --help lists them)");
	/* Far from every command: no guess, however long. */
	HARDCTL("frobnicate");
	assert_only_line(run.err.ptr, "hardctl: unknown command 'frobnicate' "
				      "(hardctl --help lists them)");
	/* The command line's control characters never reach the terminal. */
	HARDCTL("chek\033[2J");
	assert_lacks(run.err.ptr, "\033");
}
END_TEST

START_TEST(test_cli_ux_option__did_you_mean_check)
{
	char *before = test_snapshot(root_dir);

	HARDCTL("--root", root_dir, "check", "--severty", "CAT-I");
	assert_only_line(run.err.ptr,
			 "hardctl check: unknown option '--severty'; did you "
			 "mean '--severity'?");
	assert_usage_error(before);
	/* "--opt=value" names the option alone. */
	HARDCTL("--root", root_dir, "check", "--profiel=x");
	assert_only_line(run.err.ptr,
			 "hardctl check: unknown option '--profiel'; did you "
			 "mean '--profile'?");
	HARDCTL("--root", root_dir, "check", "--zzzzzz");
	assert_only_line(run.err.ptr, "hardctl check: unknown option "
				      "'--zzzzzz' (hardctl check --help lists "
				      "them)");
	HARDCTL("--root", root_dir, "check", "-x");
	assert_only_line(run.err.ptr, "hardctl check: unknown option '-x' "
				      "(hardctl check --help lists them)");
	assert_usage_error(before);
	free(before);
}
END_TEST

START_TEST(test_cli_ux_option__did_you_mean_apply)
{
	char *before = test_snapshot(root_dir);

	HARDCTL("--root", root_dir, "apply", "--dyr-run");
	assert_only_line(run.err.ptr,
			 "hardctl apply: unknown option '--dyr-run'; did you "
			 "mean '--dry-run'?");
	assert_usage_error(before);
	/* Nothing was applied: no store either. */
	ck_assert_ptr_null(test_read(root_dir, "/var/lib/hardctl/oldconf.key"));
	HARDCTL("--root", root_dir, "apply", "--dry-run=yes");
	assert_only_line(run.err.ptr,
			 "hardctl apply: --dry-run takes no argument");
	HARDCTL("--root", root_dir, "diff", "--dry-run");
	assert_only_line(run.err.ptr,
			 "hardctl diff: --dry-run is not an option of diff");
	assert_usage_error(before);
	free(before);
}
END_TEST

START_TEST(test_cli_ux_option__missing_argument)
{
	HARDCTL("--root", root_dir, "check", "--rule");
	ck_assert_int_eq(run.status, 2);
	assert_only_line(run.err.ptr, "hardctl check: --rule needs a rule id");
	HARDCTL("--root", root_dir, "apply", "-p");
	assert_only_line(run.err.ptr,
			 "hardctl apply: -p needs a profile name or path");
	HARDCTL("--root");
	ck_assert_int_eq(run.status, 2);
	assert_only_line(run.err.ptr, "hardctl: --root needs a directory");
	HARDCTL("--root", root_dir, "check", "--format");
	assert_only_line(run.err.ptr, "hardctl check: --format needs a "
				      "format: text, json, junit or html");
	/* Other usage errors are one line too. */
	HARDCTL("--root", root_dir, "check", "extra");
	ck_assert_int_eq(run.status, 2);
	assert_only_line(run.err.ptr, "hardctl: unexpected argument 'extra'");
}
END_TEST

START_TEST(test_cli_ux_rule__did_you_mean)
{
	char *before = test_snapshot(root_dir);

	HARDCTL("--root", root_dir, "check", "--rule", "banner.isue");
	assert_only_line(run.err.ptr,
			 "hardctl: unknown rule 'banner.isue'; did you mean "
			 "'banner.issue'?");
	assert_usage_error(before);
	HARDCTL("--root", root_dir, "apply", "--rule", "password.max-dyas");
	assert_only_line(run.err.ptr,
			 "hardctl: unknown rule 'password.max-dyas'; did you "
			 "mean 'password.max-days'?");
	assert_usage_error(before);
	HARDCTL("explain", "snmp.comunity");
	ck_assert_int_eq(run.status, 2);
	assert_only_line(run.err.ptr,
			 "hardctl: unknown rule 'snmp.comunity'; did you mean "
			 "'snmp.community'?");
	HARDCTL("--root", root_dir, "check", "--rule", "nothing.like-it");
	assert_only_line(run.err.ptr,
			 "hardctl: unknown rule 'nothing.like-it' (hardctl "
			 "list shows the rules)");
	free(before);
}
END_TEST

START_TEST(test_cli_ux_misplaced__global_option_after_the_command)
{
	char *before = test_snapshot(root_dir);

	HARDCTL("check", "--root", root_dir);
	assert_only_line(run.err.ptr,
			 "hardctl: --root goes before the command: hardctl "
			 "--root DIR check ...");
	HARDCTL("--root", root_dir, "apply", "--store", "/nonexistent/s");
	assert_only_line(run.err.ptr,
			 "hardctl: --store goes before the command: hardctl "
			 "--store DIR apply ...");
	assert_usage_error(before);
	HARDCTL("--root", root_dir, "status", "--version");
	assert_only_line(run.err.ptr,
			 "hardctl: --version goes before the command: hardctl "
			 "--version status ...");
	free(before);
}
END_TEST

START_TEST(test_cli_ux_misplaced__command_option_before_the_command)
{
	char *before = test_snapshot(root_dir);

	HARDCTL("--root", root_dir, "--rule", "banner.issue", "check");
	assert_only_line(run.err.ptr,
			 "hardctl: --rule goes after the command: hardctl "
			 "check --rule ID");
	HARDCTL("--root", root_dir, "-p", "service-console", "check");
	assert_only_line(run.err.ptr, "hardctl: -p goes after the command: "
				      "hardctl check -p P");
	HARDCTL("--root", root_dir, "--dry-run", "apply");
	assert_only_line(run.err.ptr, "hardctl: --dry-run goes after the "
				      "command: hardctl apply --dry-run");
	assert_usage_error(before);
	/* Not a command's option either: the closest global one. */
	HARDCTL("--rot", root_dir, "check");
	assert_only_line(run.err.ptr, "hardctl: unknown option '--rot'; did "
				      "you mean '--root'?");
	free(before);
}
END_TEST

/* --format and --help go on both sides, as they always did. */
START_TEST(test_cli_ux_misplaced__format_and_help_both_sides)
{
	HARDCTL("--root", root_dir, "--format", "json", "check", "--rule",
		"banner.issue");
	ck_assert_int_eq(run.status, 1);
	assert_contains(run.out.ptr, "\"schema\"");
	HARDCTL("--root", root_dir, "check", "--format", "json", "--rule",
		"banner.issue");
	ck_assert_int_eq(run.status, 1);
	assert_contains(run.out.ptr, "\"schema\"");
	HARDCTL("--help", "check");
	ck_assert_int_eq(run.status, 0);
	assert_contains(run.out.ptr, "usage: hardctl");
	HARDCTL("check", "--help");
	ck_assert_int_eq(run.status, 0);
	assert_contains(run.out.ptr, "usage: hardctl check");
	/* A bare hardctl still shows the whole usage. */
	HARDCTL(NULL);
	ck_assert_int_eq(run.status, 2);
	assert_contains(run.err.ptr, "commands:");
}
END_TEST

/* stderr names PATH as ROOT sees it, and never the temporary root. */
static void assert_shown(const char *path)
{
	assert_contains(run.err.ptr, path);
	assert_lacks(run.err.ptr, root_dir);
	assert_lacks(run.out.ptr, root_dir);
}

/* The help text's lines all fit 80 columns. */
START_TEST(test_cli_ux_usage__fits_80_columns_and_lists_exit_6)
{
	const char *line;

	HARDCTL("--help");
	ck_assert_int_eq(run.status, 0);
	line = run.out.ptr;
	while (line && *line) {
		const char *end = strchr(line, '\n');
		size_t len = end ? (size_t)(end - line) : strlen(line);

		ck_assert_msg(len <= 80, "%zu columns: %.*s", len, (int)len,
			      line);
		line = end ? end + 1 : line + len;
	}
	assert_contains(run.out.ptr, "6 partly applied");
	assert_contains(run.out.ptr, "--skip-rule ID");
	assert_contains(run.out.ptr, "--skip-severity SEV");
	assert_contains(run.out.ptr, "--no-pager");
	assert_contains(run.out.ptr, "--quiet");
	assert_contains(run.out.ptr, "--color[=WHEN]");
	assert_contains(run.out.ptr, "--tailoring FILE|none");
	assert_contains(run.out.ptr, "/etc/hardctl/tailoring.conf");
	assert_contains(run.out.ptr, "status   [--diff");
}
END_TEST

/* Errors in a file of ROOT, from each command that reads it. */
START_TEST(test_cli_ux_paths__errors_as_root_sees_them)
{
	static const char *const cmds[] = {"check", "diff", "apply"};
	char *sshd = test_read(root_dir, "/etc/ssh/sshd_config");
	char path[4096];

	/* A file that does not parse. */
	test_write(root_dir, "/etc/ssh/sshd_config",
		   "Port 22\nPermitRootLogin\n", 0644);
	for (size_t i = 0; i < HC_ARRAY_SIZE(cmds); i++) {
		HARDCTL("--root", root_dir, cmds[i]);
		ck_assert_int_eq(run.status, 2);
		assert_shown("hardctl: /etc/ssh/sshd_config:2: cannot parse");
	}
	test_write(root_dir, "/etc/ssh/sshd_config", sshd, 0644);
	free(sshd);

	/* A directory where a file belongs. */
	snprintf(path, sizeof(path), "%s/etc/login.defs", root_dir);
	ck_assert_int_eq(unlink(path), 0);
	ck_assert_int_eq(mkdir(path, 0755), 0);
	for (size_t i = 0; i < HC_ARRAY_SIZE(cmds); i++) {
		HARDCTL("--root", root_dir, cmds[i]);
		assert_shown("hardctl: /etc/login.defs: not a regular file");
	}
	ck_assert_int_eq(rmdir(path), 0);
	test_write(root_dir, "/etc/login.defs", "PASS_MAX_DAYS 99999\n", 0644);

	/* A symlink out of ROOT where apply would write. */
	snprintf(path, sizeof(path), "%s/etc/issue", root_dir);
	ck_assert_int_eq(unlink(path), 0);
	ck_assert_int_eq(symlink("/etc/hostname", path), 0);
	HARDCTL("--root", root_dir, "apply", "--rule", "banner.issue");
	ck_assert_int_ne(run.status, 0);
	assert_shown("hardctl: /etc/issue: is a symlink");
}
END_TEST

/* After an apply: rollback, status and show meet files of ROOT. */
START_TEST(test_cli_ux_paths__after_apply)
{
	char path[4096], link[4096];
	char *outside = test_mkdtemp();

	HARDCTL("--root", root_dir, "apply");
	ck_assert_msg(run.status == 0 || run.status == 6, "apply: %d\n%s",
		      run.status, run.err.ptr);
	/* Its store, its key and the files: all inside ROOT. */
	assert_lacks(run.out.ptr, root_dir);
	assert_lacks(run.err.ptr, root_dir);
	assert_contains(run.err.ptr, "/var/lib/hardctl/oldconf.key");
	HARDCTL("--root", root_dir, "log");
	ck_assert_int_eq(run.status, 0);
	assert_lacks(run.out.ptr, root_dir);
	HARDCTL("--root", root_dir, "show", "1");
	ck_assert_int_eq(run.status, 0);
	assert_contains(run.out.ptr, "a/etc/issue");
	assert_lacks(run.out.ptr, root_dir);

	HARDCTL("--root", root_dir, "rollback", "--dry-run");
	ck_assert_int_eq(run.status, 0);
	assert_contains(run.out.ptr, "etc/issue");
	assert_lacks(run.out.ptr, root_dir);
	assert_lacks(run.err.ptr, root_dir);

	/* A hand edit where a rollback would write: the conflict. */
	test_replace(root_dir, "/etc/login.defs", "PASS_MAX_DAYS\t60",
		     "PASS_MAX_DAYS\t7");
	HARDCTL("--root", root_dir, "rollback");
	ck_assert_int_eq(run.status, 4);
	assert_shown("hardctl: /etc/login.defs: changed since transaction 1");

	/* A managed file now a FIFO: status tells it changed, unread. */
	snprintf(path, sizeof(path), "%s/etc/issue.net", root_dir);
	ck_assert_int_eq(unlink(path), 0);
	ck_assert_int_eq(mkfifo(path, 0644), 0);
	HARDCTL("--root", root_dir, "status");
	ck_assert_int_eq(run.status, 1);
	assert_contains(run.out.ptr,
			"/etc/issue.net (not a regular file, not read)");
	assert_lacks(run.out.ptr, root_dir);
	HARDCTL("--root", root_dir, "rollback", "--dry-run");
	ck_assert_int_ne(run.status, 0);
	assert_shown("/etc/issue.net");

	/* The store's way leads out of ROOT: named as ROOT sees it. */
	snprintf(path, sizeof(path), "%s/var/lib", root_dir);
	snprintf(link, sizeof(link), "%s/var/lib.real", root_dir);
	ck_assert_int_eq(rename(path, link), 0);
	ck_assert_int_eq(symlink(outside, path), 0);
	HARDCTL("--root", root_dir, "show", "1");
	ck_assert_int_eq(run.status, 5);
	assert_shown("hardctl: /var/lib: is not a directory");
	HARDCTL("--root", root_dir, "log");
	ck_assert_int_eq(run.status, 5);
	assert_shown("hardctl: /var/lib: is not a directory");
	/* A store given elsewhere keeps its real path. */
	HARDCTL("--root", root_dir, "--store", outside, "log");
	assert_lacks(run.err.ptr, root_dir);
	test_rmtree(outside);
	free(outside);
}
END_TEST

/* Lines of TEXT that start with C, but the file headers ("+++", "---"). */
static size_t count_changes(const char *text, char c)
{
	const char *header = c == '+' ? "+++ " : "--- ";
	size_t n = 0;

	for (const char *l = text; l && *l;) {
		const char *end = strchr(l, '\n');

		if (l[0] == c && strncmp(l, header, 4) != 0)
			n++;
		l = end ? end + 1 : l + strlen(l);
	}
	return n;
}

static void apply_ok(const char *tailoring)
{
	if (tailoring)
		HARDCTL("--root", root_dir, "apply", "--tailoring", tailoring);
	else
		HARDCTL("--root", root_dir, "apply");
	ck_assert_msg(run.status == 0 || run.status == 6, "apply: %d\n%s",
		      run.status, run.err.ptr);
}

START_TEST(test_cli_ux_status_diff__shows_the_hand_edit)
{
	apply_ok(NULL);
	test_replace(root_dir, "/etc/issue.net", "do not agree.\n",
		     "do not agree.\nEdited by hand.\n");
	HARDCTL("--root", root_dir, "status", "--diff");
	ck_assert_int_eq(run.status, 1);
	assert_contains(run.out.ptr, "modified  /etc/issue.net (content)\n");
	assert_contains(run.out.ptr,
			"\ndiff --git a/etc/issue.net b/etc/issue.net\n"
			"--- a/etc/issue.net\n+++ b/etc/issue.net\n@@ ");
	assert_contains(run.out.ptr, "\n+Edited by hand.\n");
	/* Exactly that edit: one line added, none removed, one file. */
	ck_assert_uint_eq(count_changes(run.out.ptr, '+'), 1);
	ck_assert_uint_eq(count_changes(run.out.ptr, '-'), 0);
	ck_assert_ptr_null(
	    strstr(strstr(run.out.ptr, "diff --git") + 1, "diff --git"));
	assert_lacks(run.out.ptr, root_dir);

	HARDCTL("--root", root_dir, "--format", "json", "status", "--diff");
	ck_assert_int_eq(run.status, 1);
	assert_contains(
	    run.out.ptr,
	    "\"diff\":\"diff --git a/etc/issue.net b/etc/issue.net");
	assert_contains(run.out.ptr, "\\n+Edited by hand.\\n");

	/* Without --diff, as before: the list only. */
	HARDCTL("--root", root_dir, "status");
	ck_assert_int_eq(run.status, 1);
	assert_lacks(run.out.ptr, "diff --git");
	HARDCTL("--root", root_dir, "status", "-p", "service-console");
	ck_assert_int_eq(run.status, 2);
	assert_only_line(run.err.ptr, "hardctl: -p goes with --diff");
}
END_TEST

START_TEST(test_cli_ux_status_diff__masks_secrets)
{
	char *work = test_mkdtemp(), tailoring[4096];

	snprintf(tailoring, sizeof(tailoring), "%s/site.conf", work);
	test_write("/", tailoring,
		   "[tailoring]\nname = site\nversion = 1\n"
		   "profile = service-console\n"
		   "[snmp.community]\ncommunity = TailoredSecret42\n",
		   0600);
	apply_ok(tailoring);
	test_replace(root_dir, "/etc/snmp/snmpd.conf", ".1.3.6.1.2.1.25.1\n",
		     ".1.3.6.1.2.1.25.1\n# the old one was TailoredSecret42\n"
		     "rocommunity HandSecret9 10.0.0.0/8\n");
	HARDCTL("--root", root_dir, "status", "--diff", "--tailoring",
		tailoring);
	ck_assert_int_eq(run.status, 1);
	assert_contains(run.out.ptr, "+++ b/etc/snmp/snmpd.conf\n");
	assert_contains(run.out.ptr, "\n+# the old one was ********\n");
	assert_contains(run.out.ptr, "\n+rocommunity ********");
	assert_lacks(run.out.ptr, "Secret");
	HARDCTL("--root", root_dir, "--format", "json", "status", "--diff",
		"--tailoring", tailoring);
	ck_assert_int_eq(run.status, 1);
	assert_contains(run.out.ptr, "+rocommunity ********");
	assert_lacks(run.out.ptr, "Secret");
	test_rmtree(work);
	free(work);
}
END_TEST

/* A file removed, a file now a symlink out of ROOT: told, not followed. */
START_TEST(test_cli_ux_status_diff__removed_and_symlink_told)
{
	char path[4096];

	apply_ok(NULL);
	snprintf(path, sizeof(path), "%s/etc/issue.net", root_dir);
	ck_assert_int_eq(unlink(path), 0);
	snprintf(path, sizeof(path), "%s/etc/issue", root_dir);
	ck_assert_int_eq(unlink(path), 0);
	ck_assert_int_eq(symlink("/etc/passwd", path), 0);
	HARDCTL("--root", root_dir, "status", "--diff");
	ck_assert_int_eq(run.status, 1);
	assert_contains(run.out.ptr, "deleted   /etc/issue.net\n");
	assert_contains(run.out.ptr, "modified  /etc/issue (now a symlink)\n");
	assert_contains(run.out.ptr,
			"# /etc/issue.net: removed since hardctl wrote it\n");
	assert_contains(run.out.ptr, "# /etc/issue: now a symlink to "
				     "'/etc/passwd', not followed\n");
	/* Neither the host's /etc/passwd nor ROOT's is shown. */
	assert_lacks(run.out.ptr, "root:");
	assert_lacks(run.out.ptr, "diff --git");
	HARDCTL("--root", root_dir, "--format", "json", "status", "--diff");
	ck_assert_int_eq(run.status, 1);
	assert_contains(run.out.ptr, "\"symlink\":true,\"diff\":null");
	assert_lacks(run.out.ptr, "root:");
}
END_TEST

Suite *cli_ux_suite(void)
{
	Suite *s = suite_create("cli_ux");
	TCase *tc = tcase_create("cli_ux");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_cli_ux_command__did_you_mean);
	tcase_add_test(tc, test_cli_ux_option__did_you_mean_check);
	tcase_add_test(tc, test_cli_ux_option__did_you_mean_apply);
	tcase_add_test(tc, test_cli_ux_option__missing_argument);
	tcase_add_test(tc, test_cli_ux_rule__did_you_mean);
	tcase_add_test(tc,
		       test_cli_ux_misplaced__global_option_after_the_command);
	tcase_add_test(
	    tc, test_cli_ux_misplaced__command_option_before_the_command);
	tcase_add_test(tc, test_cli_ux_misplaced__format_and_help_both_sides);
	tcase_add_test(tc, test_cli_ux_usage__fits_80_columns_and_lists_exit_6);
	tcase_add_test(tc, test_cli_ux_paths__errors_as_root_sees_them);
	tcase_add_test(tc, test_cli_ux_paths__after_apply);
	tcase_add_test(tc, test_cli_ux_status_diff__shows_the_hand_edit);
	tcase_add_test(tc, test_cli_ux_status_diff__masks_secrets);
	tcase_add_test(tc, test_cli_ux_status_diff__removed_and_symlink_told);
	suite_add_tcase(s, tc);
	return s;
}
