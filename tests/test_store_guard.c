/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A store nothing can subvert: a prepared store (symlinks, another
 * owner) is refused, its directories stay private, it belongs to one
 * ROOT, its creation is atomic, verify checks every ref, and a user who
 * cannot read it can still check.
 */
#include <errno.h>
#include <ftw.h>
#include <git2.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "test.h"

static char *root_dir;
static char *outside;
static char store[4096];
static struct test_run run;

#define HARDCTL(...) TEST_HARDCTL(&run, __VA_ARGS__)

static void setup(void)
{
	root_dir = test_demo_root();
	outside = test_mkdtemp();
	snprintf(store, sizeof(store), "%s/var/lib/hardctl/oldconf", root_dir);
	memset(&run, 0, sizeof(run));
}

static void teardown(void)
{
	test_run_release(&run);
	test_rmtree(root_dir);
	test_rmtree(outside);
	free(root_dir);
	free(outside);
	unsetenv("HARDCTL_FAULT");
}

/* Run the shell command FMT with $R set to ROOT, $O to OUTSIDE, $S to the
 * store. */
static int shell(const char *fmt, ...) HC_PRINTF(1, 2);

static int shell(const char *fmt, ...)
{
	char cmd[16384], script[8192];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(script, sizeof(script), fmt, ap);
	va_end(ap);
	snprintf(cmd, sizeof(cmd), "R='%s'; O='%s'; S='%s'; HARDCTL='%s'; %s",
		 root_dir, outside, store, HC_TEST_BINARY, script);
	return system(cmd);
}

static void assert_status(int want)
{
	ck_assert_msg(run.status == want,
		      "exit %d, not %d\nstdout: %s\nstderr: %s", run.status,
		      want, run.out.ptr ? run.out.ptr : "",
		      run.err.ptr ? run.err.ptr : "");
}

static void assert_err_has(const char *text)
{
	ck_assert_msg(run.err.ptr && strstr(run.err.ptr, text),
		      "no \"%s\" in stderr: %s", text,
		      run.err.ptr ? run.err.ptr : "");
}

/*
 * Every command that opens the store refuses it (exit 5); nothing outside
 * ROOT changes.  (check and status read only the state file beside it.)
 */
static void assert_store_refused(const char *cause)
{
	char *before = test_state(outside), *after;
	static const char *const cmds[][3] = {
	    {"apply", NULL, NULL},   {"rollback", "1", NULL},
	    {"log", NULL, NULL},     {"verify", NULL, NULL},
	    {"confirm", NULL, NULL},
	};

	for (size_t i = 0; i < HC_ARRAY_SIZE(cmds); i++) {
		if (cmds[i][1])
			HARDCTL("--root", root_dir, cmds[i][0], cmds[i][1]);
		else
			HARDCTL("--root", root_dir, cmds[i][0]);
		ck_assert_msg(run.status == 5,
			      "%s: exit %d\nstdout: %s\nstderr: %s", cmds[i][0],
			      run.status, run.out.ptr ? run.out.ptr : "",
			      run.err.ptr ? run.err.ptr : "");
		assert_err_has(cause);
		after = test_state(outside);
		ck_assert_msg(strcmp(before, after) == 0,
			      "%s wrote outside ROOT", cmds[i][0]);
		free(after);
	}
	free(before);
}

static void apply_once(void)
{
	HARDCTL("--root", root_dir, "apply");
	assert_status(0);
}

START_TEST(test_store__objects_symlink_out_of_root_refused)
{
	apply_once();
	/* A hostile image: the objects live outside ROOT, where writes would
	 * land. */
	ck_assert_int_eq(shell("cp -a \"$S/objects\" \"$O/objects\" && rm -rf "
			       "\"$S/objects\" && "
			       "ln -s \"$O/objects\" \"$S/objects\""),
			 0);
	assert_store_refused("symlink");
}
END_TEST

START_TEST(test_store__refs_symlink_out_of_root_refused)
{
	apply_once();
	ck_assert_int_eq(
	    shell("cp -a \"$S/refs\" \"$O/refs\" && rm -rf \"$S/refs\" && "
		  "ln -s \"$O/refs\" \"$S/refs\""),
	    0);
	assert_store_refused("symlink");
}
END_TEST

START_TEST(test_store__file_of_another_owner_refused)
{
	apply_once();
	ck_assert_int_eq(shell("f=$(find \"$S/objects\" -type f | head -n1) && "
			       "chown 65534 \"$f\""),
			 0);
	assert_store_refused("uid 65534");
}
END_TEST

START_TEST(test_store__dir_of_another_owner_refused)
{
	apply_once();
	ck_assert_int_eq(shell("chown 65534 \"$S/refs/heads\""), 0);
	assert_store_refused("uid 65534");
}
END_TEST

START_TEST(test_store__commondir_and_alternates_refused)
{
	apply_once();
	/* libgit2 would write refs and objects where "commondir" points. */
	ck_assert_int_eq(shell("cp -a \"$S\" \"$O/common\" && echo "
			       "\"$O/common\" > \"$S/commondir\""),
			 0);
	assert_store_refused("another git directory");
	ck_assert_int_eq(
	    shell("rm \"$S/commondir\" && echo \"$O/common/objects\" > "
		  "\"$S/objects/info/alternates\""),
	    0);
	assert_store_refused("borrows objects");
}
END_TEST

static int bad_dirs;
static char bad_dir[4096];

static int note_dir(const char *path, const struct stat *st, int flag,
		    struct FTW *ftw)
{
	(void)ftw;
	if (flag == FTW_D && (st->st_mode & 077)) {
		bad_dirs++;
		snprintf(bad_dir, sizeof(bad_dir), "%s %04o", path,
			 (unsigned int)(st->st_mode & 07777));
	}
	return 0;
}

START_TEST(test_store__directories_private_after_apply)
{
	char *shadow;

	/* The password rules manage /etc/shadow: its copy goes into the store.
	 */
	apply_once();
	shadow = test_read(root_dir, "/etc/shadow");
	ck_assert_ptr_nonnull(shadow);
	HARDCTL("--root", root_dir, "log");
	assert_status(0);
	/* A second transaction creates new object directories under a
	 * permissive umask. */
	test_replace(root_dir, "/etc/issue", "", "hand edit\n");
	ck_assert_int_eq(shell("umask 0; cd /; \"$HARDCTL\" --root \"$R\" "
			       "apply >/dev/null 2>&1; "
			       "test $? -eq 0 -o $? -eq 1 || true"),
			 0);
	bad_dirs = 0;
	ck_assert_int_eq(nftw(store, note_dir, 16, FTW_PHYS), 0);
	ck_assert_msg(bad_dirs == 0,
		      "%d store directories open to group/others, e.g. %s",
		      bad_dirs, bad_dir);
	/* And so nobody else can reach the object holding shadow's bytes. */
	ck_assert_int_eq(
	    shell("n=0; for f in $(find \"$S/objects\" -type f); do "
		  "setpriv --reuid=65534 --regid=65534 --clear-groups "
		  "cat \"$f\" >/dev/null 2>&1 && n=$((n+1)); done; test $n -eq "
		  "0"),
	    0);
	free(shadow);
}
END_TEST

START_TEST(test_store__verify_reports_ref_to_blob)
{
	git_repository *repo = NULL;
	git_reference *ref = NULL;
	git_oid blob;

	apply_once();
	HARDCTL("--root", root_dir, "verify");
	assert_status(0);
	ck_assert_int_ge(git_libgit2_init(), 0);
	ck_assert_int_eq(git_repository_open_bare(&repo, store), 0);
	ck_assert_int_eq(git_blob_create_from_buffer(&blob, repo, "x", 1), 0);
	ck_assert_int_eq(git_reference_create(&ref, repo, "refs/hardctl/txn/7",
					      &blob, 0, NULL),
			 0);
	git_reference_free(ref);
	git_repository_free(repo);
	git_libgit2_shutdown();
	HARDCTL("--root", root_dir, "verify");
	ck_assert_msg(run.status != 0, "verify passed a ref to a blob: %s",
		      run.out.ptr);
	ck_assert_msg(strstr(run.out.ptr, "refs/hardctl/txn/7") ||
			  strstr(run.err.ptr, "refs/hardctl/txn/7"),
		      "the ref is not named: %s%s", run.out.ptr, run.err.ptr);
}
END_TEST

/* A second ROOT with its own store; its id is not the first's. */
START_TEST(test_store__id_mismatch_refused)
{
	char *other = test_demo_root();
	char other_store[4096];
	char *id;

	snprintf(other_store, sizeof(other_store), "%s/store", outside);
	/* A store made for ROOT ... */
	HARDCTL("--root", root_dir, "--store", other_store, "apply");
	assert_status(0);
	id = test_read(root_dir, "/var/lib/hardctl/store-id");
	ck_assert_ptr_nonnull(id);
	/* ... is not another ROOT's, even though it is whole and signed. */
	HARDCTL("--root", other, "--store", other_store, "rollback", "1");
	assert_status(5);
	assert_err_has("store-id");
	HARDCTL("--root", other, "--store", other_store, "apply");
	assert_status(5);
	ck_assert_ptr_null(test_read(other, "/var/lib/hardctl/store-id"));
	/* The matching ROOT still rolls back. */
	HARDCTL("--root", root_dir, "--store", other_store, "rollback", "1");
	assert_status(0);
	free(id);
	test_rmtree(other);
	free(other);
}
END_TEST

START_TEST(test_store__id_adopted_by_an_old_store)
{
	char *id, *again;

	apply_once();
	/* A store made before ids: neither ROOT nor the store has one. */
	ck_assert_int_eq(
	    shell(
		"rm -f \"$R/var/lib/hardctl/store-id\" \"$S/hardctl-root-id\""),
	    0);
	HARDCTL("--root", root_dir, "rollback", "1");
	assert_status(0);
	id = test_read(root_dir, "/var/lib/hardctl/store-id");
	ck_assert_ptr_nonnull(id);
	again = test_read(store, "/hardctl-root-id");
	ck_assert_ptr_nonnull(again);
	ck_assert_str_eq(id, again);
	free(id);
	free(again);
}
END_TEST

START_TEST(test_store__id_follows_moved_root)
{
	char moved[4096];

	apply_once();
	/* A rescue system mounts the image elsewhere: bound by id, not by path.
	 */
	snprintf(moved, sizeof(moved), "%s/sysimage", outside);
	ck_assert_int_eq(shell("cp -a \"$R\" \"$O/sysimage\""), 0);
	HARDCTL("--root", moved, "rollback", "1");
	assert_status(0);
	/* A root link out of ROOT never receives the id. */
	ck_assert_int_eq(
	    shell("rm -f \"$O/sysimage/var/lib/hardctl/store-id\" && "
		  "ln -s \"$O/planted\" "
		  "\"$O/sysimage/var/lib/hardctl/store-id\""),
	    0);
	HARDCTL("--root", moved, "apply");
	ck_assert_int_ne(run.status, 0);
	ck_assert_int_ne(access("/dev/null", F_OK), -1);
	ck_assert_int_eq(shell("test ! -e \"$O/planted\""), 0);
}
END_TEST

/* The fault point number of NAME in a trace of apply on a root without a store.
 */
static int fault_point(const char *name)
{
	const char *p;
	int n = -1;

	setenv("HARDCTL_FAULT", "trace", 1);
	HARDCTL("--root", root_dir, "apply", "--dry-run");
	HARDCTL("--root", root_dir, "apply");
	unsetenv("HARDCTL_FAULT");
	p = run.err.ptr ? strstr(run.err.ptr, name) : NULL;
	while (p && p > run.err.ptr && p[-1] != '\n')
		p--;
	if (p)
		n = atoi(p + strcspn(p, "0123456789"));
	return n;
}

START_TEST(test_store__killed_creation_leaves_none_or_whole)
{
	char spec[64];
	int n;

	n = fault_point("store.init");
	ck_assert_msg(n > 0, "no store.init fault point: %s", run.err.ptr);
	ck_assert_int_eq(shell("rm -rf \"$R/var/lib/hardctl\""), 0);
	snprintf(spec, sizeof(spec), "crash:%d", n);
	setenv("HARDCTL_FAULT", spec, 1);
	HARDCTL("--root", root_dir, "apply");
	unsetenv("HARDCTL_FAULT");
	ck_assert_int_eq(run.status, -1);
	/* No half-made store took the store's place. */
	ck_assert_int_eq(shell("test ! -e \"$S\""), 0);
	HARDCTL("--root", root_dir, "apply");
	assert_status(0);
	HARDCTL("--root", root_dir, "verify");
	assert_status(0);
	/* The killed run's temporary is gone. */
	ck_assert_int_eq(
	    shell("test -z \"$(ls -a \"$R/var/lib/hardctl\" | grep tmp)\""), 0);
}
END_TEST

START_TEST(test_store__check_without_access_to_store)
{
	int status;

	apply_once();
	/* Let uid 65534 reach ROOT (but not the 0700 store). */
	ck_assert_int_eq(
	    shell("chmod 755 \"$R\" && chmod -R o+rX \"$R/etc\" && "
		  "chmod 755 \"$R/var\" \"$R/var/lib\" \"$R/var/lib/hardctl\""),
	    0);
	HARDCTL("--root", root_dir, "check");
	status = run.status;
	ck_assert_msg(strstr(run.out.ptr, "unknown") == NULL, "root: %s",
		      run.out.ptr);
	{
		const char *const argv[] = {
		    "/usr/bin/setpriv", "--reuid=65534", "--regid=65534",
		    "--clear-groups",   HC_TEST_BINARY,  "--root",
		    root_dir,           "check",         NULL};
		test_run_release(&run);
		test_run_program(&run, argv);
	}
	ck_assert_msg(run.status == status, "exit %d, not %d: %s", run.status,
		      status, run.err.ptr);
	ck_assert_msg(strstr(run.err.ptr, "Permission denied") == NULL,
		      "stderr: %s", run.err.ptr);
	ck_assert_msg(strstr(run.out.ptr, "unknown"),
		      "DRIFTED unknown not said: %s", run.out.ptr);
	{
		const char *const argv[] = {"/usr/bin/setpriv",
					    "--reuid=65534",
					    "--regid=65534",
					    "--clear-groups",
					    HC_TEST_BINARY,
					    "--root",
					    root_dir,
					    "--format",
					    "json",
					    "check",
					    NULL};
		test_run_release(&run);
		test_run_program(&run, argv);
	}
	ck_assert_msg(run.status == status, "json: exit %d, not %d: %s",
		      run.status, status, run.err.ptr);
	ck_assert_msg(strstr(run.out.ptr, "unknown"),
		      "json: DRIFTED unknown not said: %s", run.out.ptr);
}
END_TEST

Suite *store_guard_suite(void)
{
	Suite *s = suite_create("store_guard");
	TCase *tc = tcase_create("store_guard");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_store__objects_symlink_out_of_root_refused);
	tcase_add_test(tc, test_store__refs_symlink_out_of_root_refused);
	tcase_add_test(tc, test_store__file_of_another_owner_refused);
	tcase_add_test(tc, test_store__dir_of_another_owner_refused);
	tcase_add_test(tc, test_store__commondir_and_alternates_refused);
	tcase_add_test(tc, test_store__directories_private_after_apply);
	tcase_add_test(tc, test_store__verify_reports_ref_to_blob);
	tcase_add_test(tc, test_store__id_mismatch_refused);
	tcase_add_test(tc, test_store__id_adopted_by_an_old_store);
	tcase_add_test(tc, test_store__id_follows_moved_root);
	tcase_add_test(tc, test_store__killed_creation_leaves_none_or_whole);
	tcase_add_test(tc, test_store__check_without_access_to_store);
	suite_add_tcase(s, tc);
	return s;
}
