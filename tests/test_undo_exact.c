/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * rollback --rule undoes exactly what the rule did: Augeas nodes matched
 * by what they are (an entry by its own content), never by position, so
 * entries a later transaction or a hand edit added or moved are kept, and
 * an entry the rule wrote that changed since is a conflict.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "hardctl/manifest.h"
#include "test.h"

static char *root_dir;
static struct test_run run;

#define HARDCTL(...) TEST_HARDCTL(&run, "--root", root_dir, __VA_ARGS__)

static void setup(void)
{
	root_dir = test_demo_root();
	memset(&run, 0, sizeof(run));
	/* RHEL 5's login stack: pam_securetty reads /etc/securetty. */
	test_write(
	    root_dir, "/etc/pam.d/login",
	    "auth [user_unknown=ignore success=ok ignore=ignore default=bad] "
	    "pam_securetty.so\nauth include system-auth\n",
	    0644);
}

static void teardown(void)
{
	test_run_release(&run);
	test_rmtree(root_dir);
	free(root_dir);
}

static void assert_file(const char *path, const char *want)
{
	char *have = test_read(root_dir, path);

	ck_assert_msg(have && strcmp(have, want) == 0,
		      "%s is:\n%s\nwanted:\n%s", path, have ? have : "(absent)",
		      want);
	free(have);
}

/* TEXT with the first OLD replaced by NEW (caller frees). */
static char *replaced(const char *text, const char *old, const char *new)
{
	const char *at = strstr(text, old);
	char *out;

	ck_assert_msg(at != NULL, "no '%s' in:\n%s", old, text);
	ck_assert_int_ge(asprintf(&out, "%.*s%s%s", (int)(at - text), text, new,
				  at + strlen(old)),
			 0);
	return out;
}

static void ok(void)
{
	ck_assert_msg(run.status == 0, "exit %d:\n%s%s", run.status,
		      hc_buf_cstr(&run.out), hc_buf_cstr(&run.err));
}

/* ROOT's files are as BEFORE (a test_state()) says. */
static void assert_unchanged(const char *before)
{
	char *now = test_state(root_dir);

	ck_assert_str_eq(before, now);
	free(now);
}

/* ROOT's file PATH holds TEXT. */
static void assert_file_contains(const char *path, const char *text)
{
	char *have = test_read(root_dir, path);

	assert_contains(have, text);
	free(have);
}

/* A tailoring at ROOT/PATH with TEXT after its header. */
static char *tailoring(const char *path, const char *text)
{
	char *file, *full;

	ck_assert_int_ge(asprintf(&full,
				  "[tailoring]\nname = site\nversion = 1\n"
				  "profile = service-console\n\n%s",
				  text),
			 0);
	test_write(root_dir, path, full, 0644);
	free(full);
	ck_assert_int_ge(asprintf(&file, "%s%s", root_dir, path), 0);
	return file;
}

/*
 * securetty: the rule kept console and tty1; a later transaction (a
 * site's tailoring) took tty1 off and added ttyS0.  Undoing the rule of
 * the first puts back every entry it removed, in its place, and keeps
 * what the later one did.
 */
START_TEST(test_undo_exact_securetty__later_transaction_kept)
{
	char *orig = test_read(root_dir, "/etc/securetty"), *want, *site;

	HARDCTL("apply", "--rule", "root-access.securetty");
	ok();
	assert_file("/etc/securetty", "console\ntty1\n");
	site = tailoring("/root/site.conf",
			 "[root-access.securetty]\nttys = console ttyS0\n");
	HARDCTL("apply", "--tailoring", site, "--rule",
		"root-access.securetty");
	ok();
	assert_file("/etc/securetty", "console\nttyS0\n");
	HARDCTL("rollback", "1", "--rule", "root-access.securetty");
	ok();
	want = replaced(orig, "tty1\n", "");
	free(orig);
	ck_assert_int_ge(asprintf(&orig, "%sttyS0\n", want), 0);
	assert_file("/etc/securetty", orig);
	free(want);
	free(site);
	free(orig);
}
END_TEST

/* A hand-inserted first entry shifts every position: still exact. */
START_TEST(test_undo_exact_securetty__hand_inserted_entry_kept)
{
	char *orig = test_read(root_dir, "/etc/securetty"), *want;

	HARDCTL("apply", "--rule", "root-access.securetty");
	ok();
	test_write(root_dir, "/etc/securetty", "ttyS0\nconsole\ntty1\n", 0644);
	HARDCTL("rollback", "--rule", "root-access.securetty");
	ok();
	ck_assert_int_ge(asprintf(&want, "ttyS0\n%s", orig), 0);
	assert_file("/etc/securetty", want);
	free(want);
	free(orig);
}
END_TEST

/*
 * pam_unix: no-nullok took nullok off the line; a later transaction
 * (unix-stack) added remember=5 after shadow.  Undoing no-nullok puts
 * nullok back and takes nothing else: shadow and remember=5 stay.
 */
START_TEST(test_undo_exact_pam__argument_after_a_removed_one_kept)
{
	char *orig = test_read(root_dir, "/etc/pam.d/system-auth"), *want;

	HARDCTL("apply", "--rule", "password.no-nullok");
	ok();
	HARDCTL("apply", "--rule", "password.unix-stack");
	ok();
	assert_file_contains("/etc/pam.d/system-auth",
			     "pam_unix.so use_authtok md5 shadow remember=5\n");
	HARDCTL("rollback", "1", "--rule", "password.no-nullok");
	ok();
	want =
	    replaced(orig, "pam_unix.so nullok use_authtok md5 shadow\n",
		     "pam_unix.so nullok use_authtok md5 shadow remember=5\n");
	assert_file("/etc/pam.d/system-auth", want);
	free(want);
	free(orig);
}
END_TEST

/* The same with a hand edit that moved the arguments around. */
START_TEST(test_undo_exact_pam__hand_inserted_argument_kept)
{
	char *orig = test_read(root_dir, "/etc/pam.d/system-auth"), *want;

	HARDCTL("apply", "--rule", "password.no-nullok");
	ok();
	test_replace(root_dir, "/etc/pam.d/system-auth",
		     "pam_unix.so use_authtok md5 shadow\n",
		     "pam_unix.so try_first_pass use_authtok md5 shadow\n");
	HARDCTL("rollback", "--rule", "password.no-nullok");
	ok();
	want = replaced(
	    orig, "pam_unix.so nullok use_authtok md5 shadow\n",
	    "pam_unix.so nullok try_first_pass use_authtok md5 shadow\n");
	assert_file("/etc/pam.d/system-auth", want);
	free(want);
	free(orig);
}
END_TEST

/* An argument the rule added, edited by hand since: a conflict, nothing
 * changed. */
START_TEST(test_undo_exact_pam__added_argument_edited_since_conflicts)
{
	char *before;

	HARDCTL("apply", "--rule", "password.unix-stack");
	ok();
	test_replace(root_dir, "/etc/pam.d/system-auth", " remember=5",
		     " remember=12");
	before = test_state(root_dir);
	HARDCTL("rollback", "--rule", "password.unix-stack");
	ck_assert_int_eq(run.status, 4);
	assert_contains(run.err.ptr,
			"/etc/pam.d/system-auth: changed since transaction 1");
	assert_unchanged(before);
	free(before);
}
END_TEST

/* An entry the rule kept, removed by hand since, is not put back. */
START_TEST(test_undo_exact_securetty__entry_removed_since_stays_removed)
{
	char *orig = test_read(root_dir, "/etc/securetty"), *want;

	HARDCTL("apply", "--rule", "root-access.securetty");
	ok();
	test_write(root_dir, "/etc/securetty", "console\n", 0644);
	HARDCTL("rollback", "--rule", "root-access.securetty");
	ok();
	want = replaced(orig, "tty1\n", "");
	assert_file("/etc/securetty", want);
	free(want);
	free(orig);
}
END_TEST

/* rollback --rule with no transaction: the last that applied the rule. */
START_TEST(test_undo_exact_pick__last_transaction_that_applied_the_rule)
{
	char *issue = test_read(root_dir, "/etc/issue"), *motd;

	HARDCTL("apply", "--rule", "banner.issue");
	ok();
	HARDCTL("apply", "--rule", "banner.motd");
	ok();
	motd = test_read(root_dir, "/etc/motd");
	HARDCTL("rollback", "--rule", "banner.issue");
	ok();
	assert_contains(run.out.ptr,
			"rolled back banner.issue in transaction 1");
	assert_file("/etc/issue", issue);
	assert_file("/etc/motd", motd);
	HARDCTL("rollback", "--rule", "banner.issue-net");
	ck_assert_int_eq(run.status, 2);
	assert_contains(run.err.ptr,
			"no transaction applied rule banner.issue-net");
	free(issue);
	free(motd);
}
END_TEST

/*
 * Applied with a site's tailoring, undone with no profile option: the
 * store recorded the lens.  (Under the default profile, the rule reads
 * nothing: its log host is empty there.)  -p and --tailoring, as apply
 * takes them, are accepted too.
 */
START_TEST(test_undo_exact_lens__rule_undone_without_the_profile)
{
	char *orig = test_read(root_dir, "/etc/syslog.conf"), *want, *site;
	char tailored[4096];

	snprintf(tailored, sizeof(tailored), "%s/example-tailoring.conf",
		 HC_SOURCE_DIR "/profiles");
	site = tailoring("/root/site.conf",
			 "[syslog.loghost]\nloghost = loghost.example.org\n");
	HARDCTL("apply", "--tailoring", site, "--rule", "syslog.loghost");
	ok();
	assert_file_contains("/etc/syslog.conf", "@loghost.example.org\n");
	test_replace(root_dir, "/etc/syslog.conf", "\nlocal7.*",
		     "\n*.info\t/var/log/extra\nlocal7.*");
	HARDCTL("rollback", "--rule", "syslog.loghost");
	ok();
	want =
	    replaced(orig, "\nlocal7.*", "\n*.info\t/var/log/extra\nlocal7.*");
	assert_file("/etc/syslog.conf", want);

	HARDCTL("apply", "--tailoring", site, "--rule", "syslog.loghost");
	ok();
	HARDCTL("rollback", "--rule", "syslog.loghost", "-p", "service-console",
		"--tailoring", tailored, "--dry-run");
	ok();
	assert_contains(run.out.ptr, "-*.*\t@loghost.example.org\n");
	HARDCTL("rollback", "--tailoring", tailored);
	ck_assert_int_eq(run.status, 2);
	assert_contains(run.err.ptr, "--tailoring goes with --rule");
	free(want);
	free(site);
	free(orig);
}
END_TEST

/* The manifest's lens field: written, read back, checked. */
START_TEST(test_undo_exact_lens__manifest_field)
{
	static const char text[] =
	    "# hardctl manifest 1\n"
	    "/etc/a\tfile\t0644\t0\t0\t"
	    "0000000000000000000000000000000000000000000000000000000000000000"
	    "\t\tlens=Sshd.lns\n"
	    "/etc/b\tfile\t0644\t0\t0\t"
	    "0000000000000000000000000000000000000000000000000000000000000000"
	    "\tx@1\tlens=Securetty.lns\tfuture=1\n";
	struct hc_manifest m = {0};
	struct hc_buf out = HC_BUF_INIT;

	ck_assert_int_eq(hc_manifest_parse(&m, text, strlen(text), "manifest"),
			 0);
	ck_assert_str_eq(hc_manifest_find(&m, "/etc/a")->lens, "Sshd.lns");
	ck_assert_uint_eq(hc_manifest_find(&m, "/etc/a")->rules.n, 0);
	ck_assert_str_eq(hc_manifest_find(&m, "/etc/b")->lens, "Securetty.lns");
	ck_assert_int_eq(hc_manifest_format(&out, &m), 0);
	assert_contains(out.ptr, "\t\tlens=Sshd.lns\n");
	assert_contains(out.ptr, "\tx@1\tlens=Securetty.lns\n");
	ck_assert_int_eq(hc_manifest_set_lens(&m, "/etc/a", "../../x"),
			 HC_EINVALID);
	hc_manifest_release(&m);
	ck_assert_int_eq(
	    hc_manifest_parse(&m,
			      "# hardctl manifest 1\n/etc/a\tfile\t0644\t0\t0\t"
			      "000000000000000000000000000000000000000000000000"
			      "0000000000000000"
			      "\t\tlens=a/b\n",
			      117, "m"),
	    HC_EPARSE);
	hc_buf_release(&out);
}
END_TEST

/*
 * Debian's sshd_config includes sshd_config.d: apply writes hardctl's own
 * drop-in; rollback --rule takes one rule's line out of it; rolling the
 * whole transaction back then is no conflict: the files are as before it,
 * the drop-in gone.
 */
START_TEST(test_undo_exact_whole__after_own_rule_rollbacks)
{
	char *dir = test_root("debian12"), *before;

	test_rmtree(root_dir);
	free(root_dir);
	root_dir = dir;
	test_mkdirs(root_dir, "/etc/ssh/sshd_config.d");
	before = test_state(root_dir);
	HARDCTL("apply");
	ok();
	assert_file("/etc/ssh/sshd_config.d/00-hardctl.conf",
		    "Banner /etc/issue.net\nPermitRootLogin no\n");
	HARDCTL("rollback", "--rule", "banner.sshd-banner");
	ok();
	assert_file("/etc/ssh/sshd_config.d/00-hardctl.conf",
		    "PermitRootLogin no\n");
	HARDCTL("rollback", "1");
	ok();
	ck_assert_ptr_null(
	    test_read(root_dir, "/etc/ssh/sshd_config.d/00-hardctl.conf"));
	assert_unchanged(before);
	free(before);
}
END_TEST

/*
 * Two rules on neighbouring lines, one undone by rollback --rule, then a
 * hand edit: the whole rollback keeps the edit and undoes the rest (a
 * line merge from the transaction's own result would see the undone
 * line as a change of the administrator's, touching the other).
 */
START_TEST(test_undo_exact_whole__own_rule_rollback_then_hand_edit)
{
	char *orig = test_read(root_dir, "/etc/login.defs"), *want;

	HARDCTL("apply", "--rule", "password.max-days", "--rule",
		"password.min-days");
	ok();
	HARDCTL("rollback", "--rule", "password.max-days");
	ok();
	test_replace(root_dir, "/etc/login.defs", "\nPASS_WARN_AGE",
		     "\n#site\nPASS_WARN_AGE");
	HARDCTL("rollback", "1");
	ok();
	want = replaced(orig, "\nPASS_WARN_AGE", "\n#site\nPASS_WARN_AGE");
	assert_file("/etc/login.defs", want);
	free(want);
	free(orig);
}
END_TEST

/* rollback --dry-run on a conflict: the clean files' diffs and the conflicting
 * hunks. */
START_TEST(test_undo_exact_dry_run__conflict_shows_diffs_and_hunks)
{
	char *before;

	HARDCTL("apply", "--rule", "password.max-days", "--rule",
		"banner.motd");
	ok();
	test_replace(root_dir, "/etc/login.defs", "PASS_MAX_DAYS\t60",
		     "PASS_MAX_DAYS\t45");
	before = test_state(root_dir);
	HARDCTL("rollback", "--dry-run");
	ck_assert_int_eq(run.status, 4);
	assert_contains(run.out.ptr, "diff --git a/etc/motd b/etc/motd\n");
	assert_contains(
	    run.out.ptr,
	    "conflict: /etc/login.defs (changed since transaction 1)\n"
	    "<<<<<<< now\nPASS_MAX_DAYS\t45\n=======\n"
	    "PASS_MAX_DAYS\t99999\n>>>>>>> before transaction 1\n");
	assert_lacks(run.out.ptr, "a/etc/login.defs");
	assert_contains(run.err.ptr,
			"/etc/login.defs: changed since transaction 1");
	assert_unchanged(before);
	free(before);

	/* One rule's: an argument it added, edited since. */
	HARDCTL("apply", "--rule", "password.unix-stack");
	ok();
	test_replace(root_dir, "/etc/pam.d/system-auth", " remember=5",
		     " remember=12");
	before = test_state(root_dir);
	HARDCTL("rollback", "--rule", "password.unix-stack", "--dry-run");
	ck_assert_int_eq(run.status, 4);
	assert_contains(
	    run.out.ptr,
	    "conflict: /etc/pam.d/system-auth (changed since transaction 2)\n");
	assert_contains(run.out.ptr, "remember=12");
	assert_unchanged(before);
	free(before);
}
END_TEST

Suite *undo_exact_suite(void)
{
	Suite *s = suite_create("undo_exact");
	TCase *tc = tcase_create("demo");

	tcase_set_timeout(tc, 120);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_undo_exact_securetty__later_transaction_kept);
	tcase_add_test(tc, test_undo_exact_securetty__hand_inserted_entry_kept);
	tcase_add_test(
	    tc, test_undo_exact_securetty__entry_removed_since_stays_removed);
	tcase_add_test(tc,
		       test_undo_exact_pam__argument_after_a_removed_one_kept);
	tcase_add_test(tc, test_undo_exact_pam__hand_inserted_argument_kept);
	tcase_add_test(
	    tc, test_undo_exact_pam__added_argument_edited_since_conflicts);
	tcase_add_test(
	    tc, test_undo_exact_pick__last_transaction_that_applied_the_rule);
	tcase_add_test(tc,
		       test_undo_exact_lens__rule_undone_without_the_profile);
	tcase_add_test(tc, test_undo_exact_lens__manifest_field);
	tcase_add_test(tc, test_undo_exact_whole__after_own_rule_rollbacks);
	tcase_add_test(tc,
		       test_undo_exact_whole__own_rule_rollback_then_hand_edit);
	tcase_add_test(tc,
		       test_undo_exact_dry_run__conflict_shows_diffs_and_hunks);
	suite_add_tcase(s, tc);
	return s;
}
