/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * apply --confirm-within and hardctl confirm, with seconds: rolled back
 * by itself unless confirmed, and the watchdog outlives the session that
 * started it (its death simulated with setsid and SIGHUP).  Not run
 * under valgrind: the watchdog outlives the command valgrind watches.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "test.h"

static char *root_dir, *before;
static struct test_run run;

#define HARDCTL(...) TEST_HARDCTL(&run, __VA_ARGS__)

static void setup(void)
{
	root_dir = test_demo_root();
	before = test_state(root_dir);
	memset(&run, 0, sizeof(run));
}

static void teardown(void)
{
	test_run_release(&run);
	test_rmtree(root_dir);
	free(root_dir);
	free(before);
}

/* Wait (up to 30 s) until the watchdog's log holds WHAT. */
static void wait_for_log(const char *what)
{
	for (int i = 0; i < 300; i++) {
		char *log = test_read(root_dir, "/var/lib/hardctl/oldconf/hardctl-confirm.log");
		bool found = log && strstr(log, what);

		free(log);
		if (found)
			return;
		usleep(100 * 1000);
	}
	ck_abort_msg("the watchdog never wrote '%s'", what);
}

static void assert_state(bool rolled_back)
{
	char *now = test_state(root_dir);

	if (rolled_back)
		ck_assert_str_eq(now, before);
	else
		ck_assert_str_ne(now, before);
	free(now);
}

START_TEST(test_confirm__rolled_back_unless_confirmed)
{
	HARDCTL("--root", root_dir, "apply", "--confirm-within", "2s");
	ck_assert_msg(run.status == 0, "%s", run.err.ptr);
	ck_assert_ptr_nonnull(strstr(run.out.ptr, "confirm with 'hardctl confirm' within 2 s, "
					       "or transaction 1 is rolled back by itself"));
	assert_state(false);
	wait_for_log("rolled back transaction 1");
	assert_state(true);
	HARDCTL("--root", root_dir, "log");
	ck_assert_ptr_nonnull(strstr(run.out.ptr, "undoes 1"));
	HARDCTL("--root", root_dir, "confirm");
	ck_assert_str_eq(run.out.ptr, "nothing awaits confirmation\n");
}
END_TEST

START_TEST(test_confirm__confirmed_in_time_stays)
{
	HARDCTL("--root", root_dir, "apply", "--confirm-within", "2");
	ck_assert_int_eq(run.status, 0);
	HARDCTL("--root", root_dir, "confirm");
	ck_assert_int_eq(run.status, 0);
	ck_assert_str_eq(run.out.ptr, "transaction 1 confirmed: it stays\n");
	wait_for_log("transaction 1 no longer awaits confirmation: not rolled back");
	assert_state(false);
	HARDCTL("--root", root_dir, "log");
	ck_assert_ptr_null(strstr(run.out.ptr, "undoes 1"));
}
END_TEST

/*
 * The administrator's session dies: everything in it gets SIGHUP.  The
 * watchdog, in a session of its own, still rolls the change back.
 */
START_TEST(test_confirm__watchdog_outlives_the_session)
{
	char cmd[8192];

	snprintf(cmd, sizeof(cmd), "setsid --wait sh -c '\"%s\" --root \"%s\" apply "
		 "--confirm-within 2 >/dev/null 2>&1; kill -HUP 0; sleep 30' 2>/dev/null", HC_TEST_BINARY,
		 root_dir);
	ck_assert_int_ne(system(cmd), 0); /* the shell died of SIGHUP */
	assert_state(false);
	wait_for_log("rolled back transaction 1");
	assert_state(true);
}
END_TEST

START_TEST(test_confirm__bad_durations_refused)
{
	static const char *const bad[] = { "0", "-5", "5x", "25h", "", "m" };

	for (size_t i = 0; i < HC_ARRAY_SIZE(bad); i++) {
		HARDCTL("--root", root_dir, "apply", "--confirm-within", bad[i]);
		ck_assert_int_eq(run.status, 2);
		ck_assert_ptr_nonnull(strstr(run.err.ptr, "is not a duration"));
	}
	HARDCTL("--root", root_dir, "apply", "--dry-run", "--confirm-within", "5m");
	ck_assert_int_eq(run.status, 2);
	assert_state(true);
}
END_TEST

Suite *confirm_suite(void)
{
	Suite *s = suite_create("confirm");
	TCase *tc = tcase_create("confirm");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_confirm__rolled_back_unless_confirmed);
	tcase_add_test(tc, test_confirm__confirmed_in_time_stays);
	tcase_add_test(tc, test_confirm__watchdog_outlives_the_session);
	tcase_add_test(tc, test_confirm__bad_durations_refused);
	suite_add_tcase(s, tc);
	return s;
}
