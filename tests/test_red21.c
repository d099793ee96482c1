/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Red team of issue 17: a root that remembers what it found (while
 * check and apply read) and programs started with posix_spawn(), as
 * a careless administrator or a hostile image would meet them.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "hardctl/install.h"
#include "hardctl/manifest.h"
#include "hardctl/root.h"
#include "hardctl/run.h"
#include "test.h"

static char *dir;
static struct hc_root *root;

static void setup(void)
{
	dir = test_root(NULL);
	ck_assert(hc_root_open(&root, dir) == 0);
}

static void teardown(void)
{
	hc_root_free(root);
	test_rmtree(dir);
	free(dir);
}

/* Remove PATH of the test's root, behind hardctl's back. */
static void remove_in(const char *path)
{
	char full[4096];

	snprintf(full, sizeof(full), "%s%s", dir, path);
	ck_assert_int_eq(unlink(full), 0);
}

/*
 * Plan PATH to hold TEXT (mode 0644, the caller's), as a remembering
 * root finds it now; into PLAN.
 */
static void plan_text(struct hc_plan *plan, const char *path, const char *text)
{
	struct hc_file_state before = {0}, after = {0};

	ck_assert_msg(hc_root_state(&before, root, path) == 0, "%s",
		      hc_error_last()->message);
	after.exists = true;
	after.mode = 0644;
	after.uid = geteuid();
	after.gid = getegid();
	ck_assert(hc_buf_set(&after.data, text, strlen(text)) == 0);
	ck_assert(hc_plan_add(plan, NULL, path, &before, &after) == 0);
	hc_buf_release(&before.data);
	hc_buf_release(&after.data);
}

/*
 * The preflight asks whether a file moved since it was planned: it
 * looks at the host as it is, not as the reading phase remembered it.
 * A file the administrator made meanwhile is a conflict, not
 * something to rename over (and roll back to absent).
 */
START_TEST(test_red21_preflight__file_made_since_planned)
{
	struct hc_plan plan;
	char *text;

	hc_plan_init(&plan);
	hc_root_remember(root, true);
	plan_text(&plan, "/etc/issue", "Authorized use only.\n");
	test_write(dir, "/etc/issue", "the admin's own banner\n", 0644);
	ck_assert_int_eq(hc_install_preflight(root, &plan), HC_ECONFLICT);
	assert_contains(hc_error_last()->message, "changed while hardctl ran");
	text = test_read(dir, "/etc/issue");
	ck_assert_str_eq(text, "the admin's own banner\n");
	free(text);
	hc_plan_release(&plan);
}
END_TEST

/* A file turned into a symlink since planned is refused, as before. */
START_TEST(test_red21_preflight__symlink_made_since_planned)
{
	struct hc_plan plan;

	test_write(dir, "/etc/motd", "old\n", 0644);
	test_write(dir, "/etc/motd.site", "old\n", 0644);
	hc_plan_init(&plan);
	hc_root_remember(root, true);
	plan_text(&plan, "/etc/motd", "Authorized use only.\n");
	remove_in("/etc/motd");
	test_link(dir, "/etc/motd", "motd.site");
	ck_assert_int_eq(hc_install_preflight(root, &plan), HC_EUNSAFE);
	assert_contains(hc_error_last()->message, "is a symlink");
	hc_plan_release(&plan);
}
END_TEST

/*
 * A program that is a script without "#!" runs under /bin/sh, as
 * execvp() ran it before posix_spawn(): found through PATH, or named.
 */
START_TEST(test_red21_run__script_without_interpreter_line)
{
	const char *const named[] = {NULL, "one", NULL};
	const char *const found[] = {"hardctl-red21-plain", "two", NULL};
	struct hc_buf out = HC_BUF_INIT;
	const char *path = getenv("PATH");
	char *script, *env;
	int status = -1;

	/* valgrind runs a spawn as a fork, and its exec's ENOEXEC, which
	 * the fallback answers, never comes back: 127 there. */
	if (getenv("HC_TEST_VALGRIND")) {
		fprintf(stderr, "skipped under valgrind\n");
		return;
	}
	test_write(dir, "/bin/hardctl-red21-plain", "echo ran \"$1\"\n", 0755);
	ck_assert(asprintf(&script, "%s/bin/hardctl-red21-plain", dir) > 0);
	ck_assert(asprintf(&env, "%s/bin:%s", dir, path ? path : "/usr/bin") >
		  0);
	((const char **)named)[0] = script;
	ck_assert_int_eq(hc_run(&out, &status, named), 0);
	ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0,
		      "status %d, output '%s'", status, hc_buf_cstr(&out));
	ck_assert_str_eq(hc_buf_cstr(&out), "ran one\n");

	ck_assert_int_eq(setenv("PATH", env, 1), 0);
	ck_assert_int_eq(hc_run(&out, &status, found), 0);
	if (path)
		setenv("PATH", path, 1);
	else
		unsetenv("PATH");
	ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0,
		      "status %d, output '%s'", status, hc_buf_cstr(&out));
	ck_assert_str_eq(hc_buf_cstr(&out), "ran two\n");
	free(script);
	free(env);
	hc_buf_release(&out);
}
END_TEST

/*
 * hc_run_limited() of the shell command SCRIPT with a limit of 1 s,
 * which must end within 8 s (the limit, SIGKILL's 2 s, a busy host);
 * its output into OUT.  The status.
 */
static int limited(struct hc_buf *out, const char *script)
{
	const char *const argv[] = {"/bin/sh", "-c", script, NULL};
	struct timespec start, end;
	double took;
	int status = 0;

	clock_gettime(CLOCK_MONOTONIC, &start);
	ck_assert_int_eq(hc_run_limited(out, &status, argv, 1), 0);
	clock_gettime(CLOCK_MONOTONIC, &end);
	took = (double)(end.tv_sec - start.tv_sec) +
	       (double)(end.tv_nsec - start.tv_nsec) / 1e9;
	ck_assert_msg(took < 8, "%s: took %.1f s", script, took);
	return status;
}

/*
 * The time limit holds when the program has left a child of its own
 * holding the output open: it is ended by SIGALRM, and what the child
 * would still write is not waited for.
 */
START_TEST(test_red21_run__limit_holds_past_a_grandchild)
{
	struct hc_buf out = HC_BUF_INIT;
	int status = limited(&out, "echo early; sleep 12 & exec sleep 30");

	ck_assert_msg(WIFSIGNALED(status) && WTERMSIG(status) == SIGALRM,
		      "status %d", status);
	ck_assert_str_eq(hc_buf_cstr(&out), "early\n");
	hc_buf_release(&out);
}
END_TEST

/*
 * A program that ignores SIGALRM itself (its default is all hardctl
 * can set) is killed a little after its time, not waited for.
 */
START_TEST(test_red21_run__limit_holds_when_sigalrm_ignored)
{
	struct hc_buf out = HC_BUF_INIT;
	int status = limited(&out, "trap '' ALRM; exec sleep 30");

	ck_assert_msg(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL,
		      "status %d", status);
	hc_buf_release(&out);
}
END_TEST

Suite *red21_suite(void)
{
	Suite *s = suite_create("red21");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_red21_preflight__file_made_since_planned);
	tcase_add_test(tc, test_red21_preflight__symlink_made_since_planned);
	tcase_add_test(tc, test_red21_run__script_without_interpreter_line);
	tcase_add_test(tc, test_red21_run__limit_holds_past_a_grandchild);
	tcase_add_test(tc, test_red21_run__limit_holds_when_sigalrm_ignored);
	tcase_set_timeout(tc, 60);
	suite_add_tcase(s, tc);
	return s;
}
