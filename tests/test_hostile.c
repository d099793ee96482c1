/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Odd and hostile input, through the hardctl command on copies of the
 * demo root: files with CRLF line ends, without a last newline, with
 * bytes that are not UTF-8, very long lines or megabytes; a directory
 * where a file belongs; paths in a profile that try to leave ROOT; an
 * immutable file, a read-only file system; a store that is damaged,
 * rewritten, or on another file system.  Each is handled or refused
 * with the file and the cause, and nothing changes when it is refused.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
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

/* Run the shell command FMT (printf-style) with $R set to ROOT; 0 when it
 * succeeded. */
static int shell(const char *fmt, ...) HC_PRINTF(1, 2);

static int shell(const char *fmt, ...)
{
	char cmd[8192], script[4096];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(script, sizeof(script), fmt, ap);
	va_end(ap);
	snprintf(cmd, sizeof(cmd), "R='%s'; %s", root_dir, script);
	return system(cmd);
}

/* Every command that reads the file refuses it, naming it, and nothing changes.
 */
static void assert_refused(const char *path, const char *cause, int status)
{
	char *before = test_snapshot(root_dir), *after, want[4096];

	/* Named as ROOT sees it, never by the temporary directory. */
	snprintf(want, sizeof(want), "hardctl: %s", path);
	HARDCTL("--root", root_dir, "apply");
	ck_assert_msg(run.status == status, "exit %d: %s", run.status,
		      run.err.ptr);
	assert_lacks(run.err.ptr, root_dir);
	ck_assert_msg(strstr(run.err.ptr, want) != NULL, "%s not named: %s",
		      path, run.err.ptr);
	ck_assert_msg(strstr(run.err.ptr, cause) != NULL, "no '%s' in: %s",
		      cause, run.err.ptr);
	after = test_snapshot(root_dir);
	ck_assert_str_eq(before, after);
	free(before);
	free(after);
}

START_TEST(test_hostile_crlf__refused_clearly)
{
	ck_assert_int_eq(
	    shell("sed -i 's/$/\\r/' \"$R%s\"", "/etc/ssh/sshd_config"), 0);
	assert_refused("/etc/ssh/sshd_config:", "CRLF line ends", 2);
	HARDCTL("--root", root_dir, "check", "--rule",
		"root-access.sshd-permit-root-login");
	ck_assert_int_eq(run.status, 2);
	assert_contains(run.err.ptr, "convert it with dos2unix");
}
END_TEST

/* A last line without its newline is edited, and keeps having none. */
START_TEST(test_hostile_no_last_newline__kept)
{
	char *text;

	test_write(root_dir, "/etc/ssh/sshd_config",
		   "Port 22\nPermitRootLogin yes", 0600);
	HARDCTL("--root", root_dir, "apply");
	ck_assert_msg(run.status == 0, "%s", run.err.ptr);
	text = test_read(root_dir, "/etc/ssh/sshd_config");
	assert_contains(text, "PermitRootLogin no");
	ck_assert_int_ne(text[strlen(text) - 1], '\n');
	free(text);
	HARDCTL("--root", root_dir, "check", "--rule",
		"root-access.sshd-permit-root-login");
	ck_assert_int_eq(run.status, 0);
	HARDCTL("--root", root_dir, "rollback");
	ck_assert_int_eq(run.status, 0);
	text = test_read(root_dir, "/etc/ssh/sshd_config");
	ck_assert_str_eq(text, "Port 22\nPermitRootLogin yes");
	free(text);
}
END_TEST

/* Bytes that are not UTF-8, and a line of 200,000 bytes, go through untouched.
 */
START_TEST(test_hostile_non_utf8_and_long_lines__kept)
{
	char *text = test_read(root_dir, "/etc/login.defs"), *odd, *after,
	     *line = malloc(200002);

	memset(line, 'x', 200000);
	line[0] = '#';
	line[200000] = '\n';
	line[200001] = '\0';
	ck_assert_int_ge(asprintf(&odd, "%s# caf\351 \377\376\n%s", text, line),
			 0);
	test_write(root_dir, "/etc/login.defs", odd, 0644);
	HARDCTL("--root", root_dir, "check", "--format", "json", "--rule",
		"password.max-days");
	ck_assert_int_eq(run.status, 1);
	HARDCTL("--root", root_dir, "apply");
	ck_assert_msg(run.status == 0, "%s", run.err.ptr);
	after = test_read(root_dir, "/etc/login.defs");
	assert_contains(after, "# caf\351 \377\376\n");
	assert_contains(after, line);
	assert_contains(after, "PASS_MAX_DAYS\t60");
	free(after);
	free(odd);
	free(text);
	free(line);
}
END_TEST

/* Augeas slows with the square of a file's size: megabytes are refused at once.
 */
START_TEST(test_hostile_megabytes__refused)
{
	ck_assert_int_eq(shell("yes '# filler line for a very large file' | "
			       "head -c 3000000 >> "
			       "\"$R%s\"",
			       "/etc/sysctl.conf"),
			 0);
	assert_refused("/etc/sysctl.conf",
		       "more than the 1048576 hardctl parses", 2);
}
END_TEST

START_TEST(test_hostile_directory_for_a_file__refused)
{
	ck_assert_int_eq(shell("rm \"$R%s\" && mkdir \"$R/etc/login.defs\"",
			       "/etc/login.defs"),
			 0);
	assert_refused("/etc/login.defs", "not a regular file", 5);
}
END_TEST

/* A profile path with ".." is refused where the profile says it. */
START_TEST(test_hostile_profile_path_dotdot__refused)
{
	char *dir = test_mkdtemp(), path[4096];

	test_write(dir, "/p.conf",
		   "[profile]\nname = p\nversion = 1\n"
		   "[banner.sshd-banner]\npath = /etc/../../../etc/shadow\n",
		   0644);
	snprintf(path, sizeof(path), "%s/p.conf", dir);
	HARDCTL("--root", root_dir, "check", "-p", path);
	ck_assert_int_eq(run.status, 2);
	assert_contains(run.err.ptr,
			"p.conf:5: parameter 'path' of banner.sshd-banner: "
			"'/etc/../../../etc/shadow' has a '..' component");
	test_write(dir, "/p.conf",
		   "[profile]\nname = p\nversion = 1\n"
		   "[vmx.copy-paste]\nvmx = vmfs/*.vmx\n",
		   0644);
	HARDCTL("--root", root_dir, "check", "-p", path);
	ck_assert_int_eq(run.status, 2);
	assert_contains(run.err.ptr, "not an absolute path");
	test_rmtree(dir);
	free(dir);
}
END_TEST

START_TEST(test_hostile_immutable_file__refused)
{
	if (shell("chattr +i \"$R%s\" 2>/dev/null", "/etc/issue") != 0) {
		fprintf(stderr, "skipped: chattr +i does not work here\n");
		return;
	}
	assert_refused("/etc/issue", "is immutable", 5);
	assert_contains(run.err.ptr, "'chattr -i' it first");
	ck_assert_int_eq(shell("chattr -i \"$R%s\"", "/etc/issue"), 0);
}
END_TEST

START_TEST(test_hostile_read_only_file_system__refused)
{
	char etc[4096];

	snprintf(etc, sizeof(etc), "%s/etc", root_dir);
	if (mount(etc, etc, "none", MS_BIND, NULL) < 0) {
		fprintf(stderr, "skipped: cannot bind-mount here\n");
		return;
	}
	ck_assert_int_eq(
	    mount("none", etc, "none", MS_REMOUNT | MS_BIND | MS_RDONLY, NULL),
	    0);
	assert_refused("/etc/", "is on a read-only file system", 5);
	ck_assert_int_eq(umount(etc), 0);
}
END_TEST

/*
 * An object missing from the store: named, nothing changed, how to go
 * on.  (Its packs are unpacked by git first, so that one object goes.)
 */
START_TEST(test_hostile_store_damaged__refused)
{
	HARDCTL("--root", root_dir, "apply");
	ck_assert_int_eq(run.status, 0);
	ck_assert_int_eq(
	    shell("S=\"$R/var/lib/hardctl/oldconf\"; o=$(git --git-dir=\"$S\" "
		  "rev-parse main~1:files%s) && "
		  "for p in \"$S\"/objects/pack/*.pack; do "
		  "mv \"$p\" \"$R/p.pack\" && rm \"${p%%.pack}.idx\" && "
		  "git --git-dir=\"$S\" unpack-objects -q <\"$R/p.pack\" && "
		  "rm \"$R/p.pack\" || exit 1; done && "
		  "rm \"$S/objects/$(echo $o | cut -c1-2)/$(echo $o | cut "
		  "-c3-)\"",
		  "/etc/issue"),
	    0);
	{
		char *before = test_snapshot(root_dir), *after;

		HARDCTL("--root", root_dir, "rollback");
		ck_assert_int_eq(run.status, 5);
		assert_contains(run.err.ptr, "is damaged");
		assert_contains(run.err.ptr, "fsck' shows what is wrong");
		after = test_snapshot(root_dir);
		ck_assert_str_eq(before, after);
		free(before);
		free(after);
	}
}
END_TEST

/*
 * Another program rewrote the store: a stored copy no longer matches
 * the SHA-256 its manifest gives.  Rollback verifies, and refuses.
 */
START_TEST(test_hostile_store_rewritten__refused)
{
	static const char rewrite[] =
	    "export GIT_DIR=\"$R/var/lib/hardctl/oldconf\" "
	    "GIT_INDEX_FILE=\"$R/idx\"; "
	    "git read-tree main && "
	    "b=$(echo forged | git hash-object -w --stdin) && "
	    "git update-index --cacheinfo 100644,$b,files%s && "
	    "t=$(git write-tree) && "
	    "c=$(git log -1 --format=%%B main | git commit-tree $t -p main~1) "
	    "&& "
	    "git update-ref main $c && git update-ref refs/hardctl/txn/1 $c && "
	    "rm -f \"$R/idx\"";
	char *before, *after;

	HARDCTL("--root", root_dir, "apply", "--rule", "banner.issue", "--rule",
		"banner.motd");
	ck_assert_int_eq(run.status, 0);
	ck_assert_int_eq(shell(rewrite, "/etc/issue"), 0);
	before = test_snapshot(root_dir);
	HARDCTL("--root", root_dir, "rollback");
	ck_assert_int_eq(run.status, 5);
	assert_contains(run.err.ptr, "is not signed");
	assert_contains(run.err.ptr, "altered outside hardctl");
	after = test_snapshot(root_dir);
	ck_assert_str_eq(before, after);
	/* verify names both: the commit no key signed, the copy no manifest
	 * hashes. */
	HARDCTL("--root", root_dir, "verify");
	ck_assert_int_eq(run.status, 5);
	assert_contains(run.out.ptr, "is not signed");
	assert_contains(run.out.ptr, "/etc/issue at ");
	assert_contains(run.out.ptr, "does not match its manifest");
	assert_contains(run.out.ptr, "2 problems in ");
	free(before);
	free(after);
}
END_TEST

/* Apply banner.issue after appending LINE to /etc/issue; it must work. */
static void apply_issue(const char *line)
{
	char *issue = test_read(root_dir, "/etc/issue"), *more;

	ck_assert_int_ne(asprintf(&more, "%s%s\n", issue, line), -1);
	test_write(root_dir, "/etc/issue", more, 0644);
	free(issue);
	free(more);
	HARDCTL("--root", root_dir, "apply", "--rule", "banner.issue");
	ck_assert_msg(run.status == 0, "%s", run.err.ptr);
}

/*
 * A transaction ref no transaction on main made (planted, or left by a
 * crash between the ref and main) above the newest: rollback still
 * undoes the newest transaction on main, and the stray's id is never
 * given again.
 */
START_TEST(test_hostile_stray_txn_ref__newest_on_main_undone)
{
	char *issue;

	apply_issue("one");
	apply_issue("two");
	ck_assert_int_eq(
	    shell("git --git-dir=\"$R/var/lib/hardctl/oldconf\" update-ref "
		  "refs/hardctl/txn/4 main~1"),
	    0);
	HARDCTL("--root", root_dir, "rollback");
	ck_assert_msg(run.status == 0, "%s", run.err.ptr);
	assert_contains(run.out.ptr,
			"transaction 5: rolled back transaction 2");
	issue = test_read(root_dir, "/etc/issue");
	/* As transaction 2 found it: its line appended. */
	ck_assert_msg(strstr(issue, "two\n") != NULL, "%s", issue);
	free(issue);
	apply_issue("three");
	HARDCTL("--root", root_dir, "log");
	ck_assert_msg(strncmp(run.out.ptr, "6 ", 2) == 0, "%s", run.out.ptr);
	assert_contains(run.out.ptr, "\n5 ");
}
END_TEST

/*
 * Names under refs/hardctl/txn/ hardctl never writes (a leading zero, a
 * symbolic ref to nothing) neither block a transaction nor get an id
 * given twice.
 */
START_TEST(test_hostile_stray_txn_ref__odd_names)
{
	apply_issue("one");
	apply_issue("two");
	ck_assert_int_eq(
	    shell("export GIT_DIR=\"$R/var/lib/hardctl/oldconf\"; "
		  "git update-ref refs/hardctl/txn/03 main && "
		  "git symbolic-ref refs/hardctl/txn/3 refs/hardctl/gone"),
	    0);
	apply_issue("three"); /* 4: 3 is taken, by a name to nothing */
	assert_contains(run.out.ptr, "transaction 4:");
	HARDCTL("--root", root_dir, "rollback");
	ck_assert_msg(run.status == 0, "%s", run.err.ptr);
	assert_contains(run.out.ptr, "rolled back transaction 4");
	/* log names the damage rather than a transaction that is not. */
	HARDCTL("--root", root_dir, "log");
	ck_assert_int_ne(run.status, 0);
	assert_contains(run.err.ptr, "refs/hardctl/txn/3 names no commit");
}
END_TEST

/* A stray ref at the last id there is: no transaction wraps to 0. */
START_TEST(test_hostile_stray_txn_ref__last_id_refused)
{
	char *before, *after;

	apply_issue("one");
	ck_assert_int_eq(
	    shell("export GIT_DIR=\"$R/var/lib/hardctl/oldconf\"; "
		  "git update-ref refs/hardctl/txn/4294967295 main && "
		  "git update-ref refs/hardctl/txn/2 main"),
	    0);
	test_write(root_dir, "/etc/issue", "changed\n", 0644);
	before = test_snapshot(root_dir);
	HARDCTL("--root", root_dir, "apply", "--rule", "banner.issue");
	ck_assert_int_ne(run.status, 0);
	assert_contains(run.err.ptr, "no transaction id is left");
	after = test_snapshot(root_dir);
	ck_assert_str_eq(before, after);
	free(before);
	free(after);
}
END_TEST

/* The fingerprint hardctl printed when it made the key, from RUN's stderr. */
static void printed_fingerprint(char out[65])
{
	const char *p = strstr(run.err.ptr, "its fingerprint is ");

	ck_assert_ptr_nonnull(p);
	ck_assert_int_eq(sscanf(p, "its fingerprint is %64[0-9a-f]", out), 1);
	ck_assert_uint_eq(strlen(out), 64);
}

START_TEST(test_sign__whole_history_verified)
{
	char fpr[65];

	HARDCTL("--root", root_dir, "apply", "--rule", "banner.issue");
	ck_assert_int_eq(run.status, 0);
	printed_fingerprint(fpr);
	HARDCTL("--root", root_dir, "apply");
	assert_lacks(run.err.ptr, "fingerprint"); /* made once */
	HARDCTL("--root", root_dir, "rollback", "1");
	ck_assert_int_eq(run.status, 0);
	HARDCTL("--root", root_dir, "verify", "--fingerprint", fpr);
	ck_assert_msg(run.status == 0, "%s%s", run.out.ptr, run.err.ptr);
	assert_contains(run.out.ptr, "every commit is signed by key ");
	assert_contains(run.out.ptr, fpr);
	HARDCTL("--root", root_dir, "verify", "--format", "json");
	assert_contains(run.out.ptr, "\"problems\":[],\"sound\":true");
	/* Another key than the one recorded: nothing it signed is trusted. */
	fpr[0] = fpr[0] == '0' ? '1' : '0';
	HARDCTL("--root", root_dir, "verify", "--fingerprint", fpr);
	ck_assert_int_eq(run.status, 5);
	assert_contains(run.err.ptr, "the key was replaced");
}
END_TEST

/* A commit whose signature was edited: verify and rollback both refuse. */
START_TEST(test_sign__tampered_signature_refused)
{
	static const char tamper[] =
	    "export GIT_DIR=\"$R/var/lib/hardctl/oldconf\"; "
	    /* A character of the Ed25519 signature, the fourth line of
	     * the gpgsig header's SSHSIG, changed to another. */
	    "c=$(git cat-file commit main | awk '/^gpgsig /{ n = 0; g = 1; "
	    "print; next } g && /^ / { if (++n == 4) { s = $0; "
	    "c = substr(s, 6, 1) == \"A\" ? \"B\" : \"A\"; "
	    "$0 = substr(s, 1, 5) c substr(s, 7) } print; next } "
	    "{ g = 0; print }' | git hash-object -t commit -w --stdin) && "
	    "test $c != $(git rev-parse main) && "
	    "git update-ref main $c && git update-ref refs/hardctl/txn/%s $c";
	char *before;

	HARDCTL("--root", root_dir, "apply", "--rule", "banner.issue");
	ck_assert_int_eq(run.status, 0);
	ck_assert_int_eq(shell(tamper, "1"), 0);
	HARDCTL("--root", root_dir, "verify");
	ck_assert_int_eq(run.status, 5);
	assert_contains(run.out.ptr, "a bad signature");
	before = test_snapshot(root_dir);
	HARDCTL("--root", root_dir, "rollback");
	ck_assert_int_eq(run.status, 5);
	assert_contains(run.err.ptr, "a bad signature");
	{
		char *after = test_snapshot(root_dir);

		ck_assert_str_eq(before, after);
		free(after);
	}
	free(before);
}
END_TEST

/* The key is outside the store, 0600, and never silently replaced. */
START_TEST(test_sign__key_private_and_never_replaced)
{
	char key[4096];
	struct stat st;

	HARDCTL("--root", root_dir, "apply", "--rule", "banner.issue");
	ck_assert_int_eq(run.status, 0);
	snprintf(key, sizeof(key), "%s/var/lib/hardctl/oldconf.key", root_dir);
	ck_assert_int_eq(stat(key, &st), 0);
	ck_assert_uint_eq(st.st_mode & 07777, 0600);
	ck_assert_int_eq(chmod(key, 0644), 0);
	HARDCTL("--root", root_dir, "rollback");
	ck_assert_int_eq(run.status, 5);
	assert_contains(run.err.ptr, "chmod 600");
	ck_assert_int_eq(unlink(key), 0);
	HARDCTL("--root", root_dir, "apply");
	ck_assert_int_eq(run.status, 5);
	assert_contains(run.err.ptr, "signing key is missing");
	ck_assert_int_ne(stat(key, &st), 0); /* not made anew over a history */
}
END_TEST

/* A store on another file system than the files (a separate /var) works. */
START_TEST(test_hostile_store_on_another_file_system)
{
	char store[] = "/dev/shm/hardctl-store-XXXXXX", key[64];
	char *before = test_state(root_dir), *after;

	if (access("/dev/shm", W_OK) != 0 || mkdtemp(store) == NULL) {
		fprintf(stderr, "skipped: no /dev/shm\n");
		free(before);
		return;
	}
	HARDCTL("--root", root_dir, "--store", store, "apply");
	ck_assert_msg(run.status == 0, "%s", run.err.ptr);
	HARDCTL("--root", root_dir, "--store", store, "check");
	ck_assert_int_eq(run.status, 0);
	HARDCTL("--root", root_dir, "--store", store, "rollback");
	ck_assert_msg(run.status == 0, "%s", run.err.ptr);
	after = test_state(root_dir);
	ck_assert_str_eq(before, after);
	test_rmtree(store);
	snprintf(key, sizeof(key), "%s.key", store);
	ck_assert_int_eq(unlink(key), 0);
	free(before);
	free(after);
}
END_TEST

Suite *hostile_suite(void)
{
	Suite *s = suite_create("hostile");
	TCase *tc = tcase_create("hostile");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_hostile_crlf__refused_clearly);
	tcase_add_test(tc, test_hostile_no_last_newline__kept);
	tcase_add_test(tc, test_hostile_non_utf8_and_long_lines__kept);
	tcase_add_test(tc, test_hostile_megabytes__refused);
	tcase_add_test(tc, test_hostile_directory_for_a_file__refused);
	tcase_add_test(tc, test_hostile_profile_path_dotdot__refused);
	tcase_add_test(tc, test_hostile_immutable_file__refused);
	tcase_add_test(tc, test_hostile_read_only_file_system__refused);
	tcase_add_test(tc, test_hostile_store_damaged__refused);
	tcase_add_test(tc, test_hostile_store_rewritten__refused);
	tcase_add_test(tc, test_hostile_store_on_another_file_system);
	tcase_add_test(tc, test_hostile_stray_txn_ref__newest_on_main_undone);
	tcase_add_test(tc, test_hostile_stray_txn_ref__odd_names);
	tcase_add_test(tc, test_hostile_stray_txn_ref__last_id_refused);
	tcase_add_test(tc, test_sign__whole_history_verified);
	tcase_add_test(tc, test_sign__tampered_signature_refused);
	tcase_add_test(tc, test_sign__key_private_and_never_replaced);
	suite_add_tcase(s, tc);
	return s;
}
