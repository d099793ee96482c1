/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The hardctl command, run as a user runs it, on temporary roots.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "hardctl/module.h"
#include "test.h"

static char *root_dir;
static struct test_run run;

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

#define HARDCTL(...) TEST_HARDCTL(&run, __VA_ARGS__)

/*
 * The summary counts every rule once, and its score is the share of
 * applicable, non-waived rules that pass, rounded down.
 */
static void assert_score(const char *out)
{
	const char *summary = strstr(out, "\n\n");
	unsigned int n, pass, fail, drifted, waived, na, error, score;

	ck_assert_ptr_nonnull(summary);
	ck_assert_int_eq(
	    sscanf(summary,
		   "\n\n%u rules: %u pass, %u fail, %u drifted, %u waived, "
		   "%u n/a, %u error; score %u%%",
		   &n, &pass, &fail, &drifted, &waived, &na, &error, &score),
	    8);
	ck_assert_uint_eq(n, pass + fail + drifted + waived + na + error);
	ck_assert_uint_gt(fail, 0);
	ck_assert_uint_eq(score, 100 * pass / (n - na - waived));
}

START_TEST(test_cli_check__fails_before_apply)
{
	HARDCTL("--root", root_dir, "check");
	ck_assert_int_eq(run.status, 1);
	assert_contains(run.out.ptr, "FAIL");
	assert_contains(run.out.ptr, "root-access.sshd-permit-root-login");
	assert_contains(run.out.ptr, "/etc/issue:1: Debian GNU/Linux 12");
	assert_score(run.out.ptr);
}
END_TEST

START_TEST(test_cli_diff__changes_nothing)
{
	char *before = test_snapshot(root_dir), *after;

	HARDCTL("--root", root_dir, "diff");
	ck_assert_int_eq(run.status, 0);
	assert_contains(run.out.ptr, "diff --git a/etc/issue b/etc/issue\n");
	assert_contains(run.out.ptr, "+PermitRootLogin no\n");
	assert_contains(run.err.ptr, "files would change");
	after = test_snapshot(root_dir);
	ck_assert_str_eq(before, after);
	free(before);
	free(after);
}
END_TEST

START_TEST(test_cli_apply_dry_run__same_as_diff_and_changes_nothing)
{
	char *before = test_snapshot(root_dir), *after, *diff;

	HARDCTL("--root", root_dir, "diff");
	ck_assert_int_eq(run.status, 0);
	diff = strdup(run.out.ptr);
	HARDCTL("--root", root_dir, "apply", "--dry-run");
	ck_assert_int_eq(run.status, 0);
	ck_assert_str_eq(run.out.ptr, diff);
	after = test_snapshot(root_dir);
	ck_assert_str_eq(before, after);
	free(diff);
	free(before);
	free(after);
}
END_TEST

START_TEST(test_cli_parse_error__exit_2_naming_file_and_line)
{
	char *before, *after, expect[4096];

	test_write(root_dir, "/etc/ssh/sshd_config",
		   "Port 22\nPermitRootLogin\n", 0644);
	before = test_snapshot(root_dir);
	/* Named as ROOT sees it, not by the temporary directory. */
	snprintf(expect, sizeof(expect), "hardctl: /etc/ssh/sshd_config:2: ");
	HARDCTL("--root", root_dir, "apply", "--dry-run");
	ck_assert_int_eq(run.status, 2);
	assert_contains(run.err.ptr, expect);
	ck_assert_str_eq(run.out.ptr, "");
	HARDCTL("--root", root_dir, "check");
	ck_assert_int_eq(run.status, 2);
	assert_contains(run.err.ptr, expect);
	assert_contains(run.out.ptr, "ERROR");
	after = test_snapshot(root_dir);
	ck_assert_str_eq(before, after);
	free(before);
	free(after);
}
END_TEST

/*
 * Bytes 1 to 4 are Augeas's own markers: a file holding one rendered as
 * nothing (fuzz_lens found it).  Refused, naming the file and line.
 */
START_TEST(test_cli_control_byte__refused_not_emptied)
{
	char *before, *after, expect[4096];

	test_write(root_dir, "/etc/snmp/snmpd.conf",
		   "# snmpd\nrocommunity pub\004lic\n", 0600);
	before = test_snapshot(root_dir);
	snprintf(
	    expect, sizeof(expect),
	    "hardctl: /etc/snmp/snmpd.conf:2: holds the control byte 0x04");
	HARDCTL("--root", root_dir, "check", "--rule", "snmp.community");
	ck_assert_int_eq(run.status, 2);
	assert_contains(run.err.ptr, expect);
	HARDCTL("--root", root_dir, "apply", "--rule", "snmp.community");
	ck_assert_int_eq(run.status, 2);
	after = test_snapshot(root_dir);
	ck_assert_str_eq(before, after);
	free(before);
	free(after);
}
END_TEST

START_TEST(test_cli_check__json_report)
{
	HARDCTL("--root", root_dir, "check", "--format", "json");
	ck_assert_int_eq(run.status, 1);
	ck_assert_int_eq(run.out.ptr[0], '{');
	assert_contains(run.out.ptr, "\"schema\":2");
	assert_contains(run.out.ptr,
			"\"id\":\"root-access.sshd-permit-root-login\"");
	assert_contains(run.out.ptr, "\"status\":\"FAIL\"");
	assert_contains(run.out.ptr,
			"\"found\":\"Debian GNU/Linux 12 \\\\n \\\\l\"");
	assert_contains(run.out.ptr, "\"sha256\":\"");
}
END_TEST

START_TEST(test_cli_check__rule_filter)
{
	HARDCTL("--root", root_dir, "check", "--rule", "banner.issue");
	ck_assert_int_eq(run.status, 1);
	assert_contains(run.out.ptr, "banner.issue ");
	assert_lacks(run.out.ptr, "root-access");
	assert_contains(run.out.ptr, "1 rule:");
}
END_TEST

START_TEST(test_cli__unknown_rule_is_usage_error)
{
	HARDCTL("--root", root_dir, "check", "--rule", "banner.nope");
	ck_assert_int_eq(run.status, 2);
	assert_contains(run.err.ptr, "unknown rule 'banner.nope'");
}
END_TEST

/* explain: the profile's value, the rule's default outside it, an unknown rule.
 */
START_TEST(test_cli_explain__values_from_the_profile)
{
	char *dir = test_mkdtemp(), path[4096];

	test_write(dir, "/p.conf",
		   "[profile]\nname = site\nversion = 3\n"
		   "[syslog.loghost]\nloghost = @@logs.example.com:6514\n"
		   "severity = CAT I\n",
		   0644);
	snprintf(path, sizeof(path), "%s/p.conf", dir);
	HARDCTL("explain", "syslog.loghost", "-p", path);
	ck_assert_int_eq(run.status, 0);
	assert_contains(run.out.ptr,
			"syslog.loghost: all messages are forwarded");
	assert_contains(run.out.ptr, "  severity    CAT I\n");
	assert_contains(run.out.ptr, "loghost = @@logs.example.com:6514\n");
	assert_contains(run.out.ptr, "  files       /etc/rsyslog.conf\n");

	HARDCTL("explain", "vmx.log-rotation", "-p", path);
	ck_assert_int_eq(run.status, 0);
	assert_contains(run.out.ptr, "site does not select it: defaults shown");
	assert_contains(run.out.ptr, "rotate-size = 100000\n");

	HARDCTL("--format", "json", "explain", "firewall.enabled");
	ck_assert_int_eq(run.status, 0);
	assert_contains(run.out.ptr, "\"report_only\":true");
	assert_contains(run.out.ptr, "\"in_profile\":true");

	HARDCTL("explain", "syslog.nope");
	ck_assert_int_eq(run.status, 2);
	assert_contains(run.err.ptr, "unknown rule 'syslog.nope'");
	test_rmtree(dir);
	free(dir);
}
END_TEST

START_TEST(test_cli__bad_profile_names_file_and_line)
{
	char *dir = test_mkdtemp(), path[4096], expect[4200];

	test_write(dir, "/p.conf", "[profile]\nname = p\nversion = 1\nbogus\n",
		   0644);
	snprintf(path, sizeof(path), "%s/p.conf", dir);
	snprintf(expect, sizeof(expect), "hardctl: %s:4: ", path);
	HARDCTL("--root", root_dir, "check", "-p", path);
	ck_assert_int_eq(run.status, 2);
	assert_contains(run.err.ptr, expect);
	test_rmtree(dir);
	free(dir);
}
END_TEST

START_TEST(test_cli__missing_root)
{
	HARDCTL("--root", "/nonexistent/hardctl-root", "check");
	ck_assert_int_eq(run.status, 2);
	assert_contains(run.err.ptr, "/nonexistent/hardctl-root");
}
END_TEST

START_TEST(test_cli__usage_errors)
{
	HARDCTL("frobnicate");
	ck_assert_int_eq(run.status, 2);
	assert_contains(run.err.ptr, "unknown command 'frobnicate'");
	HARDCTL("check", "--format", "yaml");
	ck_assert_int_eq(run.status, 2);
	HARDCTL("check", "extra");
	ck_assert_int_eq(run.status, 2);
	HARDCTL(NULL);
	ck_assert_int_eq(run.status, 2);
}
END_TEST

START_TEST(test_cli__help_names_every_command)
{
	static const char *const commands[] = {"list", "check", "diff",
					       "apply"};

	HARDCTL("--help");
	ck_assert_int_eq(run.status, 0);
	for (size_t i = 0; i < HC_ARRAY_SIZE(commands); i++)
		assert_contains(run.out.ptr, commands[i]);
	HARDCTL("--version");
	ck_assert_int_eq(run.status, 0);
	assert_contains(run.out.ptr, "hardctl " HARDCTL_VERSION);
}
END_TEST

START_TEST(test_cli_list__every_rule_of_the_default_profile)
{
	HARDCTL("list");
	ck_assert_int_eq(run.status, 0);
	for (size_t m = 0; hc_modules[m]; m++)
		for (const struct hc_rule *r = hc_modules[m]->rules; r->id; r++)
			ck_assert_msg(strstr(run.out.ptr, r->id) != NULL,
				      "list misses %s", r->id);
}
END_TEST

/* --- what check promises of apply, against what apply then refuses --- */

/*
 * apply --dry-run --rule RULE refuses the whole plan (exit 5) saying
 * WHY; check --rule RULE must then not say that apply fixes RULE.
 */
static void assert_no_apply_promised(const char *rule, const char *why)
{
	HARDCTL("--root", root_dir, "apply", "--dry-run", "--rule", rule);
	ck_assert_int_eq(run.status, 5);
	assert_contains(run.err.ptr, why);
	HARDCTL("--root", root_dir, "check", "--rule", rule, "--format",
		"json");
	ck_assert_int_eq(run.status, 1);
	assert_lacks(run.out.ptr, "\"by\":\"apply\"");
}

/*
 * /etc/motd a symlink (to /run/motd.dynamic, as Debian shipped it up to
 * 9): apply refuses to replace it (the install's preflight, exit 5), so
 * check says apply cannot, with that reason.
 */
START_TEST(test_cli_check__no_apply_promised_for_a_symlink_target)
{
	char path[4096];

	snprintf(path, sizeof(path), "%s/etc/motd", root_dir);
	ck_assert(unlink(path) == 0);
	ck_assert(symlink("/run/motd.dynamic", path) == 0);
	assert_no_apply_promised("banner.motd", "/etc/motd: is a symlink");
	assert_contains(run.out.ptr, "\"by\":\"cannot\"");
	assert_contains(run.out.ptr, "is a symlink: replacing it would cut "
				     "the link; change its target instead, "
				     "or skip with --skip-rule banner.motd");
}
END_TEST

/* /etc/issue.net hard-linked: a rename would split the links. */
START_TEST(test_cli_check__no_apply_promised_for_a_hard_link)
{
	char path[4096], other[4096];

	snprintf(path, sizeof(path), "%s/etc/issue.net", root_dir);
	snprintf(other, sizeof(other), "%s/etc/issue.net.orig", root_dir);
	ck_assert(link(path, other) == 0);
	assert_no_apply_promised("banner.issue-net", "has 2 hard links");
	assert_contains(run.out.ptr, "has 2 hard links: replacing it would "
				     "split them, or skip with --skip-rule "
				     "banner.issue-net");
}
END_TEST

Suite *cli_suite(void)
{
	Suite *s = suite_create("cli");
	TCase *tc = tcase_create("cli");

	tcase_set_timeout(tc, 60);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_cli_check__fails_before_apply);
	tcase_add_test(tc, test_cli_diff__changes_nothing);
	tcase_add_test(
	    tc, test_cli_apply_dry_run__same_as_diff_and_changes_nothing);
	tcase_add_test(tc, test_cli_parse_error__exit_2_naming_file_and_line);
	tcase_add_test(tc, test_cli_check__json_report);
	tcase_add_test(tc, test_cli_control_byte__refused_not_emptied);
	tcase_add_test(tc, test_cli_check__rule_filter);
	tcase_add_test(tc, test_cli__unknown_rule_is_usage_error);
	tcase_add_test(tc, test_cli__bad_profile_names_file_and_line);
	tcase_add_test(tc, test_cli__missing_root);
	tcase_add_test(tc, test_cli__usage_errors);
	tcase_add_test(tc, test_cli__help_names_every_command);
	tcase_add_test(tc, test_cli_list__every_rule_of_the_default_profile);
	tcase_add_test(tc, test_cli_explain__values_from_the_profile);
	suite_add_tcase(s, tc);
	tc = tcase_create("check_promises_apply");
	tcase_set_timeout(tc, 60);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc,
		       test_cli_check__no_apply_promised_for_a_symlink_target);
	tcase_add_test(tc, test_cli_check__no_apply_promised_for_a_hard_link);
	suite_add_tcase(s, tc);
	return s;
}
