/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Red team of issue 14: a hostile image (ROOT prepared by an attacker)
 * or a careless administrator against the refusals, the output's
 * colours and wrapping, the pager and the site tailoring.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

Suite *red14_suite(void)
{
	Suite *s = suite_create("red14");
	TCase *tc = tcase_create("red14");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_red14_refused__colour_keeps_root_escapes_out);
	suite_add_tcase(s, tc);
	return s;
}
