/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A ROOT prepared by an attacker against the store: links on the way
 * to it, hard links and a git config inside it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "test.h"

static char *root_dir;
static char *outside;
static struct test_run run;

#define HARDCTL(...) TEST_HARDCTL(&run, __VA_ARGS__)

static void setup(void)
{
	root_dir = test_demo_root();
	outside = test_mkdtemp();
	memset(&run, 0, sizeof(run));
}

static void teardown(void)
{
	test_run_release(&run);
	test_rmtree(root_dir);
	test_rmtree(outside);
	free(root_dir);
	free(outside);
}

/*
 * ROOT/var a link out of ROOT, where a pending marker waits: the
 * recovery run before every command must neither read it nor create
 * its lock there.
 */
START_TEST(pending_marker_behind_var_link_is_not_followed)
{
	char var[4096], lock[4096];
	struct stat st;

	test_write(outside, "/lib/hardctl/oldconf/hardctl-pending",
		   "transaction 1\n", 0600);
	snprintf(var, sizeof(var), "%s/var", root_dir);
	test_rmtree(var);
	test_link(root_dir, "/var", outside);
	HARDCTL("--root", root_dir, "check");
	assert_lacks(run.err.ptr, "pending");
	ck_assert_int_ne(run.status, 5);
	snprintf(lock, sizeof(lock), "%s/lib/hardctl/oldconf/hardctl.lock",
		 outside);
	ck_assert_int_ne(lstat(lock, &st), 0);
}
END_TEST

/*
 * ROOT/var a link out of ROOT, where a store's state file waits: check
 * and status read nothing there (status refuses, check warns).
 */
START_TEST(state_file_behind_var_link_is_not_read)
{
	char var[4096];

	/* A store outside, with a state naming a file of ROOT. */
	test_write(outside, "/lib/hardctl/oldconf/.keep", "", 0600);
	snprintf(var, sizeof(var), "%s/var", root_dir);
	test_rmtree(var);
	test_link(root_dir, "/var", outside);
	HARDCTL("--root", root_dir, "status");
	ck_assert_int_eq(run.status, 5);
	assert_contains(run.err.ptr, "the store would leave ROOT");
	HARDCTL("--root", root_dir, "check");
	ck_assert_int_eq(run.status, 1);
	assert_contains(run.err.ptr, "the store would leave ROOT");
}
END_TEST

/*
 * A store holding a hard link to a file elsewhere (its temporary marker
 * name, planted): writes through it would leave the store, and ROOT.
 */
START_TEST(hard_link_in_store_is_refused)
{
	char path[4096], link_name[4096], *text;

	HARDCTL("--root", root_dir, "apply", "--rule", "banner.motd");
	ck_assert_int_eq(run.status, 0);
	test_write(outside, "/victim", "KEEP\n", 0600);
	snprintf(path, sizeof(path), "%s/victim", outside);
	snprintf(link_name, sizeof(link_name),
		 "%s/var/lib/hardctl/oldconf/hardctl-pending.tmp", root_dir);
	ck_assert_int_eq(link(path, link_name), 0);
	HARDCTL("--root", root_dir, "apply");
	ck_assert_int_eq(run.status, 5);
	assert_contains(run.err.ptr, "hard link");
	text = test_read(outside, "/victim");
	ck_assert_str_eq(text, "KEEP\n");
	free(text);
}
END_TEST

/*
 * A store shipped in an image whose git config includes a host file:
 * libgit2 would read it (and name its lines in errors).  Every command
 * opening the store refuses it; the config hardctl wrote still opens.
 */
START_TEST(store_config_include_is_refused)
{
	char *config, *extended;

	HARDCTL("--root", root_dir, "apply", "--rule", "banner.motd");
	ck_assert_int_eq(run.status, 0);
	HARDCTL("--root", root_dir, "log");
	ck_assert_int_eq(run.status, 0);
	test_write(outside, "/secret.txt", "SECRETLINE=x\n[[[\n", 0600);
	config = test_read(root_dir, "/var/lib/hardctl/oldconf/config");
	ck_assert(asprintf(&extended, "%s[include]\n\tpath = %s/secret.txt\n",
			   config, outside) > 0);
	test_write(root_dir, "/var/lib/hardctl/oldconf/config", extended, 0644);
	HARDCTL("--root", root_dir, "log");
	ck_assert_int_eq(run.status, 5);
	assert_contains(run.err.ptr, "config");
	assert_contains(run.err.ptr, "hardctl did not write");
	assert_lacks(run.err.ptr, "SECRETLINE");
	HARDCTL("--root", root_dir, "apply");
	ck_assert_int_eq(run.status, 5);
	assert_lacks(run.err.ptr, "secret.txt");
	free(config);
	free(extended);
}
END_TEST

/*
 * The store's lock is taken before the store is walked, so it is checked
 * on its own: a link out of the store, a hard link, a FIFO.  Each is
 * refused without a write through it, and without waiting on it.
 */
START_TEST(unsound_lock_file_is_refused)
{
	static const char *const kinds[] = {"symlink", "hard link", "fifo"};
	char lock[4096], victim[4096], *text;

	HARDCTL("--root", root_dir, "apply", "--rule", "banner.motd");
	ck_assert_int_eq(run.status, 0);
	test_write(outside, "/victim", "KEEP\n", 0600);
	snprintf(victim, sizeof(victim), "%s/victim", outside);
	snprintf(lock, sizeof(lock), "%s/var/lib/hardctl/oldconf/hardctl.lock",
		 root_dir);
	for (size_t i = 0; i < HC_ARRAY_SIZE(kinds); i++) {
		unlink(lock);
		if (i == 0)
			ck_assert_int_eq(symlink(victim, lock), 0);
		else if (i == 1)
			ck_assert_int_eq(link(victim, lock), 0);
		else
			ck_assert_int_eq(mkfifo(lock, 0600), 0);
		HARDCTL("--root", root_dir, "--wait", "1", "apply");
		ck_assert_msg(run.status == 5, "%s: exit %d", kinds[i],
			      run.status);
		assert_contains(run.err.ptr, "lock is not a plain file");
		assert_contains(run.err.ptr, "/var/lib/hardctl/oldconf");
		text = test_read(outside, "/victim");
		ck_assert_str_eq(text, "KEEP\n");
		free(text);
	}
	/* A sound lock again, and the store works. */
	unlink(lock);
	HARDCTL("--root", root_dir, "apply");
	ck_assert_int_eq(run.status, 0);
}
END_TEST

Suite *store_hostile_suite(void)
{
	Suite *s = suite_create("store_hostile");
	TCase *tc = tcase_create("store_hostile");

	tcase_set_timeout(tc, 120);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, pending_marker_behind_var_link_is_not_followed);
	tcase_add_test(tc, state_file_behind_var_link_is_not_read);
	tcase_add_test(tc, hard_link_in_store_is_refused);
	tcase_add_test(tc, store_config_include_is_refused);
	tcase_add_test(tc, unsound_lock_file_is_refused);
	suite_add_tcase(s, tc);
	return s;
}
