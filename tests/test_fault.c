/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Crashes and failing writes at every step of apply and rollback: once
 * the next hardctl command has recovered, every file (bytes, mode,
 * owner) is as before the command or as after it, never in between,
 * history says which, and git fsck finds the store sound.  Needs a
 * build with -DHARDCTL_FAULT_INJECTION=ON (see hardctl/fault.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "test.h"

static char *pristine, *root_dir;
static struct test_run run;

#define HARDCTL(...) TEST_HARDCTL(&run, __VA_ARGS__)

/* Three files, one of them changed by two rules. */
#define RULES                                                                  \
	"--rule", "banner.issue", "--rule",                                    \
	    "root-access.sshd-permit-root-login", "--rule",                    \
	    "password.max-days"

static void setup(void)
{
	pristine = test_demo_root();
	root_dir = NULL;
	memset(&run, 0, sizeof(run));
}

static void teardown(void)
{
	test_run_release(&run);
	unsetenv("HARDCTL_FAULT");
	if (root_dir) {
		test_rmtree(root_dir);
		free(root_dir);
	}
	test_rmtree(pristine);
	free(pristine);
}

/* A new copy of the pristine root as root_dir. */
static void fresh_root(void)
{
	char cmd[8192];

	if (root_dir) {
		test_rmtree(root_dir);
		free(root_dir);
	}
	root_dir = test_mkdtemp();
	snprintf(cmd, sizeof(cmd), "cp -a '%s/.' '%s'", pristine, root_dir);
	ck_assert_int_eq(system(cmd), 0);
}

/* Run hardctl ARGS... with HARDCTL_FAULT=SPEC. */
#define FAULTED(spec, ...)                                                     \
	do {                                                                   \
		setenv("HARDCTL_FAULT", spec, 1);                              \
		HARDCTL(__VA_ARGS__);                                          \
		unsetenv("HARDCTL_FAULT");                                     \
	} while (0)

/* How many fault points a clean run of the command passes. */
#define COUNT_POINTS(n, ...)                                                   \
	do {                                                                   \
		FAULTED("trace", __VA_ARGS__);                                 \
		ck_assert_int_eq(run.status, 0);                               \
		(n) = 0;                                                       \
		for (const char *p_ = run.err.ptr;                             \
		     (p_ = strstr(p_, "fault point ")); p_++)                  \
			(n)++;                                                 \
		ck_assert_uint_gt((n), 10);                                    \
	} while (0)

static void assert_fsck(void)
{
	char cmd[8192], out[4096] = "";
	FILE *p;
	size_t len;

	snprintf(
	    cmd, sizeof(cmd),
	    "test -d '%s/var/lib/hardctl/oldconf' || { echo fsck-ok; exit; }; "
	    "git --git-dir='%s/var/lib/hardctl/oldconf' fsck --strict "
	    "--no-progress 2>&1 && "
	    "echo fsck-ok",
	    root_dir, root_dir);
	ck_assert_ptr_nonnull(p = popen(cmd, "r"));
	len = fread(out, 1, sizeof(out) - 1, p);
	out[len] = '\0';
	pclose(p);
	ck_assert_msg(strstr(out, "fsck-ok") != NULL, "git fsck: %s", out);
}

enum outcome { BEFORE, AFTER };

/*
 * Let the next command recover, then say whether ROOT is exactly as
 * BEFORE or as AFTER; anything else fails the test.  LOG is what
 * `hardctl log` must list in each case (one line per transaction).
 */
static enum outcome settle(const char *before, const char *after,
			   unsigned int point, size_t log_before,
			   size_t log_after)
{
	enum outcome o;
	size_t lines = 0;
	char *now;

	HARDCTL("--root", root_dir, "recover");
	ck_assert_msg(run.status == 0, "point %u: recover: %s", point,
		      run.err.ptr);
	now = test_state(root_dir);
	ck_assert_msg(strcmp(now, before) == 0 || strcmp(now, after) == 0,
		      "point %u: files neither as before nor as after", point);
	o = strcmp(now, after) == 0 ? AFTER : BEFORE;
	free(now);
	assert_fsck();
	HARDCTL("--root", root_dir, "log");
	ck_assert_int_eq(run.status, 0);
	for (const char *p = run.out.ptr; (p = strchr(p, '\n')); p++)
		lines++;
	if (strcmp(run.out.ptr, "no transactions\n") == 0)
		lines = 0;
	ck_assert_msg(lines == (o == AFTER ? log_after : log_before),
		      "point %u: files %s but log says:\n%s", point,
		      o == AFTER ? "after" : "before", run.out.ptr);
	/* And the store's view of the files agrees with them. */
	HARDCTL("--root", root_dir, "status");
	ck_assert_msg(run.status == 0, "point %u: status: %s", point,
		      run.out.ptr);
	return o;
}

/* The state of the pristine root after a clean run of apply. */
static char *applied_state(void)
{
	char *state;

	fresh_root();
	HARDCTL("--root", root_dir, "apply", RULES);
	ck_assert_int_eq(run.status, 0);
	state = test_state(root_dir);
	return state;
}

START_TEST(test_fault_apply__crash_at_every_point)
{
	char *before = test_state(pristine), *after = applied_state(), spec[32];
	unsigned int points, seen[2] = {0, 0};

	fresh_root();
	COUNT_POINTS(points, "--root", root_dir, "apply", RULES);
	for (unsigned int n = 1; n <= points; n++) {
		fresh_root();
		snprintf(spec, sizeof(spec), "crash:%u", n);
		FAULTED(spec, "--root", root_dir, "apply", RULES);
		ck_assert_msg(run.status == -1, "point %u: not killed: %s", n,
			      run.err.ptr);
		assert_contains(run.err.ptr, "injected crash at ");
		seen[settle(before, after, n, 0, 1)]++;
		/* Whatever the crash left, apply then gets the files where they
		 * belong. */
		HARDCTL("--root", root_dir, "apply", RULES);
		ck_assert_int_eq(run.status, 0);
		HARDCTL("--root", root_dir, "check", RULES);
		ck_assert_msg(run.status == 0, "point %u: %s", n, run.out.ptr);
	}
	/* Early crashes leave the files as before, late ones as after. */
	ck_assert_uint_gt(seen[BEFORE], 0);
	ck_assert_uint_gt(seen[AFTER], 0);
	free(before);
	free(after);
}
END_TEST

START_TEST(test_fault_apply__each_write_fsync_rename_failing)
{
	char *before = test_state(pristine), *after = applied_state(), *now,
	     spec[32];
	unsigned int points, failed = 0;

	fresh_root();
	COUNT_POINTS(points, "--root", root_dir, "apply", RULES);
	for (unsigned int n = 1; n <= points; n++) {
		fresh_root();
		snprintf(spec, sizeof(spec), "fail:%u", n);
		FAULTED(spec, "--root", root_dir, "apply", RULES);
		now = test_state(root_dir);
		if (run.status == 0) {
			/* Only a cache (the state file, the pending marker)
			 * failed. */
			ck_assert_msg(strcmp(now, after) == 0,
				      "point %u: exit 0, files not as after",
				      n);
		} else {
			ck_assert_msg(run.status == 3, "point %u: exit %d: %s",
				      n, run.status, run.err.ptr);
			ck_assert_msg(strcmp(now, before) == 0,
				      "point %u: failed, files changed", n);
			ck_assert_msg(
			    strstr(run.err.ptr, "No space left on device") ||
				strstr(run.err.ptr, "Input/output error"),
			    "point %u: the cause is not named: %s", n,
			    run.err.ptr);
			failed++;
		}
		free(now);
		settle(before, after, n, 0, 1);
	}
	ck_assert_uint_gt(failed, 10);
	free(before);
	free(after);
}
END_TEST

START_TEST(test_fault_rollback__crash_at_every_point)
{
	char *before = test_state(pristine), *after = applied_state(), spec[32];
	unsigned int points, seen[2] = {0, 0};

	COUNT_POINTS(points, "--root", root_dir, "rollback");
	for (unsigned int n = 1; n <= points; n++) {
		free(applied_state());
		snprintf(spec, sizeof(spec), "crash:%u", n);
		FAULTED(spec, "--root", root_dir, "rollback");
		ck_assert_msg(run.status == -1, "point %u: not killed: %s", n,
			      run.err.ptr);
		/* Rolled back (as before, two transactions) or not (as after,
		 * one). */
		seen[settle(after, before, n, 1, 2)]++;
	}
	ck_assert_uint_gt(seen[BEFORE], 0);
	ck_assert_uint_gt(seen[AFTER], 0);
	free(before);
	free(after);
}
END_TEST

START_TEST(test_fault_rollback__each_write_fsync_rename_failing)
{
	char *before = test_state(pristine), *after = applied_state(), *now,
	     spec[32];
	unsigned int points, failed = 0;

	COUNT_POINTS(points, "--root", root_dir, "rollback");
	for (unsigned int n = 1; n <= points; n++) {
		free(applied_state());
		snprintf(spec, sizeof(spec), "fail:%u", n);
		FAULTED(spec, "--root", root_dir, "rollback");
		now = test_state(root_dir);
		if (run.status == 0) {
			ck_assert_msg(strcmp(now, before) == 0,
				      "point %u: exit 0, not rolled back", n);
		} else {
			ck_assert_msg(run.status == 3, "point %u: exit %d: %s",
				      n, run.status, run.err.ptr);
			ck_assert_msg(strcmp(now, after) == 0,
				      "point %u: failed, files changed", n);
			failed++;
		}
		free(now);
		settle(after, before, n, 1, 2);
	}
	ck_assert_uint_gt(failed, 10);
	free(before);
	free(after);
}
END_TEST

Suite *fault_suite(void)
{
	Suite *s = suite_create("fault");
	TCase *tc = tcase_create("fault");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 900);
	tcase_add_test(tc, test_fault_apply__crash_at_every_point);
	tcase_add_test(tc, test_fault_apply__each_write_fsync_rename_failing);
	tcase_add_test(tc, test_fault_rollback__crash_at_every_point);
	tcase_add_test(tc,
		       test_fault_rollback__each_write_fsync_rename_failing);
	suite_add_tcase(s, tc);
	return s;
}
