/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Red team of the lockout judgment that judges a plan changing any
 * file the judgment of the host as it is read (hardctl/access.h), as a
 * careless administrator or a hostile image would meet it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "test.h"

static char *root_dir;
static struct test_run run;

#define HARDCTL(...) TEST_HARDCTL(&run, "--root", root_dir, __VA_ARGS__)

static const char key[] = "ssh-ed25519 "
			  "AAAAC3NzaC1lZDI1NTE5AAAAIH3Jm3ziDTcJ5Xy1kE2zXq8sKg9u"
			  "Y0aQ0xGcH3y9pQ9c test\n";

/*
 * Debian 12's files where root's only way in is the authorized key in
 * /etc/issue, which sshd_config names through PATH, and no one else
 * may become root.
 */
static void key_in_issue(const char *path)
{
	struct hc_buf line = HC_BUF_INIT;

	test_write(root_dir, "/etc/issue", key, 0644);
	hc_buf_printf(&line, "AuthorizedKeysFile %s\nInclude", path);
	test_replace(root_dir, "/etc/ssh/sshd_config", "Include", line.ptr);
	hc_buf_release(&line);
}

static void setup(void)
{
	long today = (long)(time(NULL) / 86400);
	struct hc_buf shadow = HC_BUF_INIT;

	root_dir = test_root("debian12");
	memset(&run, 0, sizeof(run));
	hc_buf_printf(&shadow,
		      "root:*:%ld:0:99999:7:::\ndaemon:*:19700:0:99999:7:::\n",
		      today - 5);
	test_write(root_dir, "/etc/shadow", shadow.ptr, 0640);
	test_write(root_dir, "/etc/sudoers",
		   "Defaults\tenv_reset\nroot\tALL=(ALL:ALL) ALL\n", 0440);
	hc_buf_release(&shadow);
}

static void teardown(void)
{
	test_run_release(&run);
	test_rmtree(root_dir);
	free(root_dir);
}

/* A banner over root's only key, at PATH, is refused: nothing written. */
static void assert_key_kept(void)
{
	char *issue;

	HARDCTL("apply", "--rule", "banner.issue");
	ck_assert_msg(run.status != 0, "%s", run.err.ptr);
	issue = test_read(root_dir, "/etc/issue");
	ck_assert_str_eq(issue, key);
	free(issue);
}

/*
 * "/etc/ssh/../issue" is /etc/issue to sshd: the plan's state must read
 * the banner there, not ROOT's file under another name.
 */
START_TEST(test_red24_key_file_named_unclean)
{
	key_in_issue("/etc/ssh/../issue");
	assert_key_kept();
}
END_TEST

/* Through a linked directory, the key file is /etc/issue too. */
START_TEST(test_red24_key_file_through_linked_dir)
{
	key_in_issue("/etc/keys/issue");
	test_link(root_dir, "/etc/keys", ".");
	assert_key_kept();
}
END_TEST

/*
 * A passwd larger than hardctl parses (a site with some 20,000
 * accounts, or a hostile image) makes the judgment of the host as it
 * is fail before it reads any key file: the banner over root's only
 * key is not passed unjudged, but refused with that reason.
 */
START_TEST(test_red24_failed_judgment_reads_no_key)
{
	struct hc_buf passwd = HC_BUF_INIT;
	char *text = test_read(root_dir, "/etc/passwd");

	key_in_issue("/etc/issue");
	hc_buf_puts(&passwd, text);
	for (int i = 0; passwd.size <= 1100000; i++)
		hc_buf_printf(&passwd,
			      "svc%d:x:%d:%d::/nonexistent:/usr/sbin/nologin\n",
			      i, 20000 + i, 20000 + i);
	test_write(root_dir, "/etc/passwd", passwd.ptr, 0644);
	assert_key_kept();
	assert_contains(run.err.ptr, "/etc/passwd");
	free(text);
	hc_buf_release(&passwd);
}
END_TEST

Suite *red24_suite(void)
{
	Suite *s = suite_create("red24");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_red24_key_file_named_unclean);
	tcase_add_test(tc, test_red24_key_file_through_linked_dir);
	tcase_add_test(tc, test_red24_failed_judgment_reads_no_key);
	suite_add_tcase(s, tc);
	return s;
}
