/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The ROOT-confined reader: what it reads, and what it refuses.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "hardctl/root.h"
#include "hardctl/trace.h"
#include "test.h"

static char *root_dir;
static struct hc_root *root;

static void setup(void)
{
	root_dir = test_root(NULL);
	ck_assert_int_eq(hc_root_open(&root, root_dir), 0);
}

/* The same tests with paths resolved in user space, as without openat2. */
static void setup_walk(void)
{
	hc_root_use_openat2(false);
	setup();
}

static void teardown(void)
{
	hc_root_free(root);
	test_rmtree(root_dir);
	free(root_dir);
}

START_TEST(test_root_read__regular_file)
{
	struct hc_buf buf = HC_BUF_INIT;
	struct stat st;

	test_write(root_dir, "/etc/issue", "hello\n", 0640);
	ck_assert_int_eq(hc_root_read(&buf, &st, root, "/etc/issue"), 0);
	ck_assert_str_eq(hc_buf_cstr(&buf), "hello\n");
	ck_assert_uint_eq(buf.size, 6);
	ck_assert_uint_eq(st.st_mode & 07777, 0640);
	hc_buf_release(&buf);
}
END_TEST

/* An empty file reads as an empty string, not as stale buffer bytes. */
START_TEST(test_root_read__empty_file)
{
	struct hc_buf buf = HC_BUF_INIT;

	test_write(root_dir, "/etc/motd", "", 0644);
	ck_assert_int_eq(hc_root_read(&buf, NULL, root, "/etc/motd"), 0);
	ck_assert_uint_eq(buf.size, 0);
	ck_assert_str_eq(hc_buf_cstr(&buf), "");
	hc_buf_release(&buf);
}
END_TEST

START_TEST(test_root_read__missing_is_notfound)
{
	struct hc_buf buf = HC_BUF_INIT;

	ck_assert_int_eq(hc_root_read(&buf, NULL, root, "/etc/nothing"),
			 HC_ENOTFOUND);
	ck_assert_int_eq(hc_root_read(&buf, NULL, root, "/no/dir/file"),
			 HC_ENOTFOUND);
	hc_buf_release(&buf);
}
END_TEST

START_TEST(test_root_read__symlink_inside_root)
{
	struct hc_buf buf = HC_BUF_INIT;
	char link[4096];

	test_write(root_dir, "/usr/share/issue", "shipped\n", 0644);
	test_mkdirs(root_dir, "/etc");
	snprintf(link, sizeof(link), "%s/etc/issue", root_dir);
	ck_assert(symlink("../usr/share/issue", link) == 0);
	ck_assert_int_eq(hc_root_read(&buf, NULL, root, "/etc/issue"), 0);
	ck_assert_str_eq(hc_buf_cstr(&buf), "shipped\n");
	hc_buf_release(&buf);
}
END_TEST

/*
 * An absolute symlink means what it would mean on the system ROOT
 * holds: /etc/passwd inside ROOT, never the host's.
 */
START_TEST(test_root_read__absolute_symlink_stays_in_root)
{
	struct hc_buf buf = HC_BUF_INIT;
	char link[4096];

	test_mkdirs(root_dir, "/etc");
	snprintf(link, sizeof(link), "%s/etc/login.defs", root_dir);
	ck_assert(symlink("/etc/passwd", link) == 0);
	/* The host has an /etc/passwd; ROOT does not. */
	ck_assert(access("/etc/passwd", F_OK) == 0);
	ck_assert_int_eq(hc_root_read(&buf, NULL, root, "/etc/login.defs"),
			 HC_ENOTFOUND);

	test_write(root_dir, "/etc/passwd", "root:x:0:0::/root:/bin/sh\n",
		   0644);
	ck_assert_int_eq(hc_root_read(&buf, NULL, root, "/etc/login.defs"), 0);
	ck_assert_str_eq(hc_buf_cstr(&buf), "root:x:0:0::/root:/bin/sh\n");
	hc_buf_release(&buf);
}
END_TEST

START_TEST(test_root_read__dotdot_cannot_leave_root)
{
	struct hc_buf buf = HC_BUF_INIT;
	char link[4096];

	test_mkdirs(root_dir, "/etc");
	snprintf(link, sizeof(link), "%s/etc/escape", root_dir);
	ck_assert(symlink("../../../../../../../../etc/passwd", link) == 0);
	ck_assert_int_eq(hc_root_read(&buf, NULL, root, "/etc/escape"),
			 HC_ENOTFOUND);
	ck_assert_int_eq(hc_root_read(&buf, NULL, root, "/../../../etc/passwd"),
			 HC_ENOTFOUND);
	hc_buf_release(&buf);
}
END_TEST

/* A symlinked directory on the way, a chain of links, and a loop. */
START_TEST(test_root_read__directory_links_chains_and_loops)
{
	struct hc_buf buf = HC_BUF_INIT;
	char link[4096];

	test_write(root_dir, "/opt/ssh/sshd_config", "Port 22\n", 0644);
	test_mkdirs(root_dir, "/etc");
	snprintf(link, sizeof(link), "%s/etc/ssh", root_dir);
	ck_assert(symlink("/opt/../opt/ssh", link) == 0);
	snprintf(link, sizeof(link), "%s/etc/a", root_dir);
	ck_assert(symlink("b", link) == 0);
	snprintf(link, sizeof(link), "%s/etc/b", root_dir);
	ck_assert(symlink("ssh/sshd_config", link) == 0);
	ck_assert_int_eq(hc_root_read(&buf, NULL, root, "/etc/ssh/sshd_config"),
			 0);
	ck_assert_str_eq(hc_buf_cstr(&buf), "Port 22\n");
	ck_assert_int_eq(hc_root_read(&buf, NULL, root, "/etc/a"), 0);
	ck_assert_str_eq(hc_buf_cstr(&buf), "Port 22\n");
	ck_assert_int_eq(
	    hc_root_read(&buf, NULL, root, "/etc/ssh/../ssh/./sshd_config"), 0);

	snprintf(link, sizeof(link), "%s/etc/loop", root_dir);
	ck_assert(symlink("loop", link) == 0);
	ck_assert_int_eq(hc_root_read(&buf, NULL, root, "/etc/loop"), HC_ERROR);
	assert_contains(hc_error_last()->message, "symbolic links");
	/* A file where a directory should be. */
	ck_assert_int_eq(
	    hc_root_read(&buf, NULL, root, "/etc/ssh/sshd_config/x"),
	    HC_ENOTFOUND);
	hc_buf_release(&buf);
}
END_TEST

/* A FIFO would block a plain open() for ever; here it is refused at once. */
START_TEST(test_root_read__fifo_refused_without_blocking)
{
	struct hc_buf buf = HC_BUF_INIT;
	char path[4096];

	test_mkdirs(root_dir, "/etc");
	snprintf(path, sizeof(path), "%s/etc/issue", root_dir);
	ck_assert(mkfifo(path, 0644) == 0);
	ck_assert_int_eq(hc_root_read(&buf, NULL, root, "/etc/issue"),
			 HC_EUNSAFE);
	assert_contains(hc_error_last()->message, "not a regular file");
	assert_contains(hc_error_last()->file, "/etc/issue");
	hc_buf_release(&buf);
}
END_TEST

START_TEST(test_root_read__directory_refused)
{
	struct hc_buf buf = HC_BUF_INIT;

	test_mkdirs(root_dir, "/etc/motd");
	ck_assert_int_eq(hc_root_read(&buf, NULL, root, "/etc/motd"),
			 HC_EUNSAFE);
	hc_buf_release(&buf);
}
END_TEST

START_TEST(test_root_glob__sorted_matches_without_dotfiles)
{
	struct hc_strlist list = HC_STRLIST_INIT;

	test_write(root_dir, "/etc/ssh/sshd_config.d/50-cloud.conf", "", 0644);
	test_write(root_dir, "/etc/ssh/sshd_config.d/00-a.conf", "", 0644);
	test_write(root_dir, "/etc/ssh/sshd_config.d/.hidden.conf", "", 0644);
	test_write(root_dir, "/etc/ssh/sshd_config.d/notes.txt", "", 0644);
	ck_assert_int_eq(
	    hc_root_glob(&list, root, "/etc/ssh/sshd_config.d/*.conf"), 0);
	ck_assert_uint_eq(list.n, 2);
	ck_assert_str_eq(list.v[0], "/etc/ssh/sshd_config.d/00-a.conf");
	ck_assert_str_eq(list.v[1], "/etc/ssh/sshd_config.d/50-cloud.conf");
	hc_strlist_release(&list);
}
END_TEST

START_TEST(test_root_glob__magic_in_directories)
{
	struct hc_strlist list = HC_STRLIST_INIT;

	test_write(root_dir, "/vmfs/volumes/ds1/web/web.vmx", "", 0644);
	test_write(root_dir, "/vmfs/volumes/ds2/db/db.vmx", "", 0644);
	test_write(root_dir, "/vmfs/volumes/ds2/db/db.vmdk", "", 0644);
	ck_assert_int_eq(hc_root_glob(&list, root, "/vmfs/volumes/*/*/*.vmx"),
			 0);
	ck_assert_uint_eq(list.n, 2);
	ck_assert_str_eq(list.v[0], "/vmfs/volumes/ds1/web/web.vmx");
	ck_assert_str_eq(list.v[1], "/vmfs/volumes/ds2/db/db.vmx");
	hc_strlist_release(&list);
}
END_TEST

START_TEST(test_root_glob__no_match_and_missing_directory)
{
	struct hc_strlist list = HC_STRLIST_INIT;

	ck_assert_int_eq(
	    hc_root_glob(&list, root, "/etc/ssh/sshd_config.d/*.conf"), 0);
	ck_assert_uint_eq(list.n, 0);
	ck_assert_int_eq(hc_root_glob(&list, root, "/etc/ssh/sshd_config"), 0);
	ck_assert_uint_eq(list.n, 0);
	hc_strlist_release(&list);
}
END_TEST

/* Remove PATH of the test's root, behind the reader's back. */
static void remove_in(const char *path)
{
	char full[4096];

	snprintf(full, sizeof(full), "%s%s", root_dir, path);
	ck_assert_int_eq(unlink(full), 0);
}

/*
 * A remembering root answers a status, a listing and an absence as it
 * first found them; a directory handed out to write into, or turning
 * remembering off, makes it look again.
 */
START_TEST(test_root_remember__one_snapshot_until_written)
{
	struct hc_strlist list = HC_STRLIST_INIT;
	struct stat st;
	int fd;

	test_write(root_dir, "/etc/pam.d/sshd", "", 0644);
	test_write(root_dir, "/etc/pam.d/login", "", 0600);
	hc_root_remember(root, true);
	ck_assert_int_eq(hc_root_lstat(&st, root, "/etc/pam.d/sshd"), 0);
	ck_assert_int_eq(hc_root_lstat(&st, root, "/etc/pam.d/new"),
			 HC_ENOTFOUND);
	ck_assert_int_eq(hc_root_glob(&list, root, "/etc/pam.d/*"), 0);
	ck_assert_uint_eq(list.n, 2);
	hc_strlist_release(&list);

	/* Changed behind its back: the snapshot holds. */
	remove_in("/etc/pam.d/sshd");
	test_write(root_dir, "/etc/pam.d/new", "", 0644);
	ck_assert_int_eq(hc_root_lstat(&st, root, "/etc/pam.d/sshd"), 0);
	ck_assert_uint_eq(st.st_mode & 07777, 0644);
	ck_assert_int_eq(hc_root_lstat(&st, root, "/etc/pam.d/new"),
			 HC_ENOTFOUND);
	ck_assert_str_eq(hc_error_last()->file, "/etc/pam.d/new");
	ck_assert_int_eq(hc_root_glob(&list, root, "/etc/pam.d/*"), 0);
	ck_assert_uint_eq(list.n, 2);
	ck_assert_str_eq(list.v[1], "/etc/pam.d/sshd");
	hc_strlist_release(&list);

	/* A directory to write into: everything is looked at again. */
	ck_assert_int_eq(hc_root_opendir(&fd, root, "/etc"), 0);
	close(fd);
	ck_assert_int_eq(hc_root_lstat(&st, root, "/etc/pam.d/sshd"),
			 HC_ENOTFOUND);
	ck_assert_int_eq(hc_root_lstat(&st, root, "/etc/pam.d/new"), 0);
	ck_assert_int_eq(hc_root_list(&list, root, "/etc/pam.d"), 0);
	ck_assert_uint_eq(list.n, 2);
	ck_assert_str_eq(list.v[0], "login");
	ck_assert_str_eq(list.v[1], "new");
	hc_strlist_release(&list);

	/* Reading through a directory keeps the snapshot. */
	ck_assert_int_eq(hc_root_lstat(&st, root, "/etc/pam.d/later"),
			 HC_ENOTFOUND);
	test_write(root_dir, "/etc/pam.d/later", "", 0644);
	ck_assert_int_eq(hc_root_opendir_read(&fd, root, "/etc"), 0);
	close(fd);
	ck_assert_int_eq(hc_root_lstat(&st, root, "/etc/pam.d/later"),
			 HC_ENOTFOUND);

	/* Off: nothing is remembered. */
	hc_root_remember(root, false);
	ck_assert_int_eq(hc_root_lstat(&st, root, "/etc/pam.d/later"), 0);
	remove_in("/etc/pam.d/later");
	ck_assert_int_eq(hc_root_lstat(&st, root, "/etc/pam.d/later"),
			 HC_ENOTFOUND);
}
END_TEST

/* The dependencies a traced run notes, as one sorted text. */
static char *traced(void (*look)(void))
{
	struct hc_buf deps = HC_BUF_INIT;

	hc_trace_start();
	look();
	ck_assert_int_eq(hc_trace_deps(&deps), 0);
	hc_trace_stop();
	return hc_buf_detach(&deps);
}

static void look_around(void)
{
	struct hc_strlist list = HC_STRLIST_INIT;
	struct stat st;

	ck_assert_int_eq(hc_root_lstat(&st, root, "/etc/pam.d/sshd"), 0);
	ck_assert_int_eq(hc_root_lstat(&st, root, "/etc/pam.d/none"),
			 HC_ENOTFOUND);
	ck_assert_int_eq(hc_root_glob(&list, root, "/etc/pam.d/*"), 0);
	ck_assert_int_eq(hc_root_glob(&list, root, "/etc/none.d/*"), 0);
	ck_assert_int_eq(hc_root_list(&list, root, "/etc/ssh"), 0);
	hc_strlist_release(&list);
}

/*
 * What is answered from memory is noted in the trace as when it was
 * found, even where the trace began after: the verified cache keys
 * its answer on these notes.
 */
START_TEST(test_root_remember__noted_as_when_found)
{
	char *plain, *first, *again;

	test_write(root_dir, "/etc/pam.d/sshd", "", 0644);
	test_write(root_dir, "/etc/pam.d/.hidden", "", 0644);
	test_write(root_dir, "/etc/ssh/sshd_config", "", 0644);
	plain = traced(look_around);
	ck_assert_ptr_nonnull(strstr(plain, "stat "));
	ck_assert_ptr_nonnull(strstr(plain, "list "));
	ck_assert_ptr_nonnull(strstr(plain, "absent - /etc/pam.d/none"));
	ck_assert_ptr_nonnull(strstr(plain, "absent - /etc/none.d"));

	hc_root_remember(root, true);
	look_around(); /* remembered, untraced */
	first = traced(look_around);
	again = traced(look_around);
	ck_assert_str_eq(first, plain);
	ck_assert_str_eq(again, plain);
	free(plain);
	free(first);
	free(again);
}
END_TEST

/* A path cleaned by its text never climbs above "/". */
START_TEST(test_root_path_clean__text_only)
{
	static const char *const cases[][2] = {
	    {"/etc/ssh/../../../tmp/./x", "/tmp/x"},
	    {"//etc///pam.d/./sshd", "/etc/pam.d/sshd"},
	    {"/..", "/"},
	    {"", "/"},
	    {"/a/b/..", "/a"},
	    {"a/../../b", "/b"},
	    {"/etc/sysctl.d/../../usr/lib/sysctl.d/x.conf/",
	     "/usr/lib/sysctl.d/x.conf"},
	};
	struct hc_buf out = HC_BUF_INIT;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		ck_assert_int_eq(hc_path_clean(&out, cases[i][0]), 0);
		ck_assert_str_eq(hc_buf_cstr(&out), cases[i][1]);
	}
	hc_buf_release(&out);
}
END_TEST

static void add_tests(TCase *tc)
{
	tcase_add_test(tc, test_root_read__regular_file);
	tcase_add_test(tc, test_root_read__empty_file);
	tcase_add_test(tc, test_root_read__missing_is_notfound);
	tcase_add_test(tc, test_root_read__symlink_inside_root);
	tcase_add_test(tc, test_root_read__absolute_symlink_stays_in_root);
	tcase_add_test(tc, test_root_read__dotdot_cannot_leave_root);
	tcase_add_test(tc, test_root_read__directory_links_chains_and_loops);
	tcase_add_test(tc, test_root_read__fifo_refused_without_blocking);
	tcase_add_test(tc, test_root_read__directory_refused);
	tcase_add_test(tc, test_root_glob__sorted_matches_without_dotfiles);
	tcase_add_test(tc, test_root_glob__magic_in_directories);
	tcase_add_test(tc, test_root_glob__no_match_and_missing_directory);
	tcase_add_test(tc, test_root_path_clean__text_only);
	tcase_add_test(tc, test_root_remember__one_snapshot_until_written);
	tcase_add_test(tc, test_root_remember__noted_as_when_found);
}

Suite *root_suite(void)
{
	Suite *s = suite_create("root");
	TCase *tc = tcase_create("root");
	TCase *walk = tcase_create("root-walk");

	tcase_add_checked_fixture(tc, setup, teardown);
	add_tests(tc);
	suite_add_tcase(s, tc);
	tcase_add_checked_fixture(walk, setup_walk, teardown);
	add_tests(walk);
	suite_add_tcase(s, walk);
	return s;
}
