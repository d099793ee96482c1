/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Red team of issue 14: a hostile image (ROOT prepared by an attacker)
 * or a careless administrator against the refusals, the output's
 * colours and wrapping, the pager and the site tailoring.
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
	root_dir = test_demo_root();
	memset(&run, 0, sizeof(run));
}

static void teardown(void)
{
	test_run_release(&run);
	test_rmtree(root_dir);
	free(root_dir);
}

/*
 * A file the image names with an escape sequence in it (ESC [ 8 m
 * hides what follows on a terminal), holding a community hardctl
 * refuses to rewrite: apply's report of the refused rule, coloured,
 * must not hand ROOT's escape to the terminal.
 */
START_TEST(test_red14_refused__colour_keeps_root_escapes_out)
{
	test_write(root_dir, "/etc/snmp/snmpd.conf",
		   "includeFile /etc/snmp/x\033[8mhid.conf\n", 0600);
	test_write(root_dir, "/etc/snmp/x\033[8mhid.conf",
		   "rocommunity \"public\"x\n", 0600);
	HARDCTL("--root", root_dir, "--color=always", "apply", "--rule",
		"snmp.community", "--rule", "banner.motd");
	ck_assert_int_eq(run.status, 6);
	assert_contains(run.out.ptr, "refused snmp.community");
	assert_lacks(run.out.ptr, "\033[8m");
	assert_contains(run.out.ptr, "x\\x1b[8mhid.conf");
}
END_TEST

/*
 * An administrator's hand edit of hardctl's rsyslog drop-in, sending
 * logs to a database: status --diff shows the edit, never the
 * database password (RainerScript's pwd=, the legacy :ommysql: form).
 */
START_TEST(test_red14_status_diff__masks_rsyslog_passwords)
{
	char *root = test_root("debian12");
	char *conf = NULL;

	test_replace(root, "/etc/rsyslog.conf",
		     "auth,authpriv.*\t\t\t/var/log/auth.log\n", "");
	HARDCTL("--root", root, "apply", "--rule", "syslog.auth-local");
	ck_assert_int_eq(run.status, 0);
	conf = test_read(root, "/etc/rsyslog.d/00-hardctl.conf");
	ck_assert_ptr_nonnull(conf);
	test_write(root, "/etc/rsyslog.d/00-hardctl.conf",
		   "module(load=\"ommysql\")\n"
		   "action(type=\"ommysql\" server=\"db\" db=\"Syslog\" "
		   "uid=\"rsyslog\" pwd=\"S3cretPw\")\n"
		   "action(type=\"ompgsql\" server=\"db\"\n"
		   "       Password = \"Pg\\\"Secret\")\n"
		   "*.* :ommysql:db,Syslog,rsyslog,L3gacyPw;tmpl\n",
		   0644);
	HARDCTL("--root", root, "status", "--diff");
	ck_assert_int_eq(run.status, 1);
	assert_contains(run.out.ptr, "+action(type=\"ommysql\"");
	assert_contains(run.out.ptr, "uid=\"rsyslog\" pwd=\"********\")");
	assert_contains(run.out.ptr,
			":ommysql:db,Syslog,rsyslog,********;tmpl");
	assert_lacks(run.out.ptr, "S3cretPw");
	assert_lacks(run.out.ptr, "Secret");
	assert_lacks(run.out.ptr, "L3gacyPw");
	free(conf);
	test_rmtree(root);
	free(root);
}
END_TEST

/*
 * Cron's apply, --quiet, on a host where a rule is refused: the exit
 * says partly applied (6), and stderr says which rule and why, as the
 * dry run does, or the mail tells nothing of what was left out.
 */
START_TEST(test_red14_quiet_apply__says_the_refused_rules)
{
	char *root = test_root("first-run");

	HARDCTL("--root", root, "--quiet", "apply");
	ck_assert_int_eq(run.status, 6);
	assert_contains(run.out.ptr, "/etc/motd\n");
	assert_lacks(run.out.ptr, "refused");
	assert_contains(run.err.ptr, "hardctl: refused password.quality: ");
	assert_contains(run.err.ptr, "--skip-rule password.quality");
	test_rmtree(root);
	free(root);
}
END_TEST

/*
 * A tailoring kept inside the image, given by its host path: its error
 * names it by that path, not as "/etc/hardctl/tailoring.conf", which
 * is the host's own site tailoring (a file the administrator would
 * then look for in the wrong place).  The profile and tailoring are
 * the host's files, never ROOT's.
 */
START_TEST(test_red14_tailoring__error_keeps_its_host_path)
{
	char path[4096];

	test_write(root_dir, "/etc/hardctl/tailoring.conf", "[tailoring\n",
		   0644);
	snprintf(path, sizeof(path), "%s/etc/hardctl/tailoring.conf", root_dir);
	HARDCTL("--root", root_dir, "check", "--tailoring", path);
	ck_assert_int_eq(run.status, 2);
	assert_contains(run.err.ptr, path);
	assert_lacks(run.err.ptr, "hardctl: /etc/hardctl/tailoring.conf");
}
END_TEST

/*
 * An image that turns one managed file into a FIFO (or a directory)
 * must not blind status to the others: that file is told changed and
 * not read, and the hand edit of another is still shown.
 */
START_TEST(test_red14_status__a_fifo_hides_no_other_drift)
{
	char *root = test_root("first-run");
	char path[4096];

	HARDCTL("--root", root, "apply", "--skip-rule", "password.quality",
		"--skip-rule", "password.unix-stack");
	ck_assert_int_eq(run.status, 0);
	snprintf(path, sizeof(path), "%s/etc/motd", root);
	ck_assert_int_eq(unlink(path), 0);
	ck_assert_int_eq(mkfifo(path, 0644), 0);
	test_write(root, "/etc/issue", "edited by hand\n", 0644);
	HARDCTL("--root", root, "status");
	ck_assert_int_eq(run.status, 1);
	assert_contains(run.out.ptr,
			"modified  /etc/motd (not a regular file, not read)\n");
	assert_contains(run.out.ptr, "modified  /etc/issue (content)\n");
	HARDCTL("--root", root, "status", "--diff");
	ck_assert_int_eq(run.status, 1);
	assert_contains(run.out.ptr, "+edited by hand\n");
	assert_contains(run.out.ptr, "/etc/motd (not a regular file");
	HARDCTL("--root", root, "--format", "json", "status", "--diff");
	ck_assert_int_eq(run.status, 1);
	assert_contains(run.out.ptr, "\"path\":\"/etc/motd\"");
	test_rmtree(root);
	free(root);
}
END_TEST

Suite *red14_suite(void)
{
	Suite *s = suite_create("red14");
	TCase *tc = tcase_create("red14");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_red14_refused__colour_keeps_root_escapes_out);
	tcase_add_test(tc, test_red14_status_diff__masks_rsyslog_passwords);
	tcase_add_test(tc, test_red14_quiet_apply__says_the_refused_rules);
	tcase_add_test(tc, test_red14_tailoring__error_keeps_its_host_path);
	tcase_add_test(tc, test_red14_status__a_fifo_hides_no_other_drift);
	suite_add_tcase(s, tc);
	return s;
}
