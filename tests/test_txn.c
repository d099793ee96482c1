/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * apply, show, log and rollback end to end, through the hardctl
 * command, on copies of the demo root and of Debian's files.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "test.h"

static char *root_dir;
static struct test_run run;

#define HARDCTL(...) TEST_HARDCTL(&run, __VA_ARGS__)

static void setup_with(const char *fixture)
{
	root_dir = test_root(fixture);
	memset(&run, 0, sizeof(run));
}

static void setup_demo(void)
{
	root_dir = test_demo_root();
	memset(&run, 0, sizeof(run));
}

static void setup_debian(void)
{
	setup_with("debian12");
}

static void teardown(void)
{
	test_run_release(&run);
	test_rmtree(root_dir);
	free(root_dir);
}

static char *store_git(const char *args)
{
	char cmd[8192], *out = NULL;
	size_t len = 0;
	FILE *p, *mem;
	int c;

	snprintf(cmd, sizeof(cmd),
		 "git --git-dir='%s/var/lib/hardctl/oldconf' %s 2>&1", root_dir,
		 args);
	ck_assert_ptr_nonnull(p = popen(cmd, "r"));
	mem = open_memstream(&out, &len);
	while ((c = fgetc(p)) != EOF)
		fputc(c, mem);
	fclose(mem);
	pclose(p);
	return out;
}

START_TEST(test_txn_apply__makes_check_pass)
{
	HARDCTL("--root", root_dir, "check");
	ck_assert_int_eq(run.status, 1);
	HARDCTL("--root", root_dir, "apply");
	ck_assert_int_eq(run.status, 0);
	assert_contains(run.out.ptr, "transaction 1:");
	HARDCTL("--root", root_dir, "check");
	ck_assert_int_eq(run.status, 0);
	assert_contains(
	    run.out.ptr,
	    " 0 fail, 0 drifted, 0 waived, 3 n/a, 0 error; score 100%");
}
END_TEST

START_TEST(test_txn_apply__second_apply_records_nothing)
{
	char *before, *after;

	HARDCTL("--root", root_dir, "apply");
	ck_assert_int_eq(run.status, 0);
	before = store_git("rev-list --all");
	HARDCTL("--root", root_dir, "apply");
	ck_assert_int_eq(run.status, 0);
	ck_assert_str_eq(run.out.ptr, "nothing to change\n");
	after = store_git("rev-list --all");
	ck_assert_str_eq(before, after);
	HARDCTL("--root", root_dir, "log");
	assert_lacks(run.out.ptr, "\n2 ");
	free(before);
	free(after);
}
END_TEST

/* What dry-run shows is what apply writes: show prints the same diff. */
START_TEST(test_txn_show__equals_the_dry_run)
{
	char *dry;

	HARDCTL("--root", root_dir, "apply", "--dry-run");
	ck_assert_int_eq(run.status, 0);
	dry = strdup(run.out.ptr);
	HARDCTL("--root", root_dir, "apply");
	ck_assert_int_eq(run.status, 0);
	HARDCTL("--root", root_dir, "show", "1");
	ck_assert_int_eq(run.status, 0);
	ck_assert_str_eq(run.out.ptr, dry);
	free(dry);
}
END_TEST

START_TEST(test_txn_store__readable_with_git_one_commit_per_rule)
{
	char *log, *manifest, *fsck;

	HARDCTL("--root", root_dir, "apply");
	ck_assert_int_eq(run.status, 0);
	log = store_git("log --format=%s main");
	assert_contains(log, "root-access.sshd-permit-root-login: ");
	assert_contains(log, "banner.issue: ");
	assert_contains(log,
			"record the state of 11 files before transaction 1");
	manifest = store_git("show main:manifest");
	assert_contains(manifest, "/etc/ssh/sshd_config\tfile\t0644\t");
	fsck = store_git("fsck --strict --no-progress && echo fsck-ok");
	assert_contains(fsck, "fsck-ok");
	free(log);
	free(manifest);
	free(fsck);
}
END_TEST

START_TEST(test_txn_rollback__restores_bytes_modes_owners)
{
	char *before, *after;
	char path[4096];

	/* A private file keeps its mode through apply and rollback. */
	snprintf(path, sizeof(path), "%s/etc/ssh/sshd_config", root_dir);
	ck_assert(chmod(path, 0600) == 0);
	before = test_state(root_dir);
	HARDCTL("--root", root_dir, "apply");
	ck_assert_int_eq(run.status, 0);
	after = test_state(root_dir);
	ck_assert_str_ne(before, after);
	assert_contains(after, "/etc/ssh/sshd_config 0 100600");
	free(after);
	HARDCTL("--root", root_dir, "rollback");
	ck_assert_int_eq(run.status, 0);
	assert_contains(run.out.ptr, "rolled back transaction 1");
	after = test_state(root_dir);
	ck_assert_str_eq(before, after);
	HARDCTL("--root", root_dir, "check");
	ck_assert_int_eq(run.status, 1);
	free(before);
	free(after);
}
END_TEST

START_TEST(test_txn_rollback__of_a_rollback_reapplies)
{
	char *applied, *now;

	HARDCTL("--root", root_dir, "apply");
	applied = test_state(root_dir);
	HARDCTL("--root", root_dir, "rollback");
	ck_assert_int_eq(run.status, 0);
	HARDCTL("--root", root_dir, "rollback");
	ck_assert_int_eq(run.status, 0);
	assert_contains(run.out.ptr,
			"transaction 3: rolled back transaction 2");
	now = test_state(root_dir);
	ck_assert_str_eq(applied, now);
	HARDCTL("--root", root_dir, "log");
	assert_contains(run.out.ptr, "undoes 2");
	assert_contains(run.out.ptr, "undoes 1");
	free(applied);
	free(now);
}
END_TEST

START_TEST(test_txn_rollback__hand_edit_elsewhere_survives)
{
	char *text;

	HARDCTL("--root", root_dir, "apply");
	ck_assert_int_eq(run.status, 0);
	test_replace(root_dir, "/etc/ssh/sshd_config", "\nX11Forwarding yes\n",
		     "\nX11Forwarding no\n");
	HARDCTL("--root", root_dir, "rollback");
	ck_assert_int_eq(run.status, 0);
	text = test_read(root_dir, "/etc/ssh/sshd_config");
	assert_contains(text, "\nX11Forwarding no\n");
	assert_contains(text, "\nPermitRootLogin yes\n");
	assert_lacks(text, "\nBanner /etc/issue.net\n");
	free(text);
}
END_TEST

START_TEST(test_txn_rollback__conflict_exits_4_and_changes_nothing)
{
	char *text, *before, *after, *refs_before, *refs_after;

	HARDCTL("--root", root_dir, "apply");
	test_replace(root_dir, "/etc/ssh/sshd_config", "\nPermitRootLogin no\n",
		     "\nPermitRootLogin No\n");
	before = test_snapshot(root_dir);
	refs_before = store_git("for-each-ref");
	HARDCTL("--root", root_dir, "rollback");
	ck_assert_int_eq(run.status, 4);
	assert_contains(run.err.ptr,
			"/etc/ssh/sshd_config: changed since transaction 1");
	after = test_snapshot(root_dir);
	refs_after = store_git("for-each-ref");
	ck_assert_str_eq(before, after);
	ck_assert_str_eq(refs_before, refs_after);
	free(after);
	free(refs_after);

	/* --force records the hand edit, then writes the state before. */
	HARDCTL("--root", root_dir, "rollback", "--force");
	ck_assert_int_eq(run.status, 0);
	text = test_read(root_dir, "/etc/ssh/sshd_config");
	assert_contains(text, "\nPermitRootLogin yes\n");
	free(text);
	refs_after = store_git("log --format=%s main");
	assert_contains(refs_after, "record the state of");
	free(refs_after);
	free(before);
	free(refs_before);
}
END_TEST

START_TEST(test_txn_rollback__nothing_applied)
{
	HARDCTL("--root", root_dir, "rollback");
	ck_assert_int_eq(run.status, 2);
	assert_contains(run.err.ptr, "nothing was applied yet");
	HARDCTL("--root", root_dir, "log");
	ck_assert_int_eq(run.status, 0);
	ck_assert_str_eq(run.out.ptr, "no transactions\n");
	HARDCTL("--root", root_dir, "show", "7");
	ck_assert_int_eq(run.status, 2);
}
END_TEST

START_TEST(test_txn_apply__debian_dropin_created_and_removed)
{
	char *before, *after;

	test_mkdirs(root_dir, "/etc/ssh/sshd_config.d");
	before = test_state(root_dir);
	HARDCTL("--root", root_dir, "apply");
	ck_assert_int_eq(run.status, 0);
	ck_assert_ptr_nonnull(
	    after =
		test_read(root_dir, "/etc/ssh/sshd_config.d/00-hardctl.conf"));
	ck_assert_str_eq(after, "Banner /etc/issue.net\nPermitRootLogin no\n");
	free(after);
	HARDCTL("--root", root_dir, "rollback");
	ck_assert_int_eq(run.status, 0);
	ck_assert_ptr_null(
	    test_read(root_dir, "/etc/ssh/sshd_config.d/00-hardctl.conf"));
	after = test_state(root_dir);
	ck_assert_str_eq(before, after);
	free(before);
	free(after);
}
END_TEST

/*
 * Both sshd rules write neighbouring lines of one drop-in: a line merge
 * would conflict; undoing one rule keeps the other.
 */
START_TEST(test_txn_rollback_rule__keeps_the_other_rule_on_the_next_line)
{
	char *dropin;

	test_mkdirs(root_dir, "/etc/ssh/sshd_config.d");
	HARDCTL("--root", root_dir, "apply");
	ck_assert_int_eq(run.status, 0);
	HARDCTL("--root", root_dir, "rollback", "--rule", "banner.sshd-banner");
	ck_assert_int_eq(run.status, 0);
	assert_contains(run.out.ptr,
			"rolled back banner.sshd-banner in transaction 1");
	dropin = test_read(root_dir, "/etc/ssh/sshd_config.d/00-hardctl.conf");
	ck_assert_str_eq(dropin, "PermitRootLogin no\n");
	free(dropin);
	HARDCTL("--root", root_dir, "check", "--rule",
		"root-access.sshd-permit-root-login");
	ck_assert_int_eq(run.status, 0);
	HARDCTL("--root", root_dir, "check", "--rule", "banner.sshd-banner");
	ck_assert_int_eq(run.status, 1);
	HARDCTL("--root", root_dir, "log");
	assert_contains(run.out.ptr, "undoes banner.sshd-banner in 1");

	/* The rule that leaves the file empty of hardctl's settings removes it.
	 */
	HARDCTL("--root", root_dir, "rollback", "1", "--rule",
		"root-access.sshd-permit-root-login");
	ck_assert_int_eq(run.status, 0);
	ck_assert_ptr_null(
	    test_read(root_dir, "/etc/ssh/sshd_config.d/00-hardctl.conf"));
}
END_TEST

START_TEST(test_txn_rollback_rule__keeps_hand_edits_and_other_files)
{
	char *text, *issue_before, *issue_after;

	HARDCTL("--root", root_dir, "apply");
	ck_assert_int_eq(run.status, 0);
	issue_before = test_read(root_dir, "/etc/issue");
	test_replace(root_dir, "/etc/ssh/sshd_config", "\nX11Forwarding yes\n",
		     "\nX11Forwarding no\n");
	HARDCTL("--root", root_dir, "rollback", "--rule",
		"root-access.sshd-permit-root-login");
	ck_assert_int_eq(run.status, 0);
	text = test_read(root_dir, "/etc/ssh/sshd_config");
	assert_contains(text, "\nPermitRootLogin yes\n");
	assert_contains(text, "\nBanner /etc/issue.net\n");
	assert_contains(text, "\nX11Forwarding no\n");
	issue_after = test_read(root_dir, "/etc/issue");
	ck_assert_str_eq(issue_before, issue_after);
	free(text);
	free(issue_before);
	free(issue_after);
}
END_TEST

START_TEST(test_txn_rollback_rule__rule_not_in_transaction)
{
	HARDCTL("--root", root_dir, "apply", "--rule", "banner.issue");
	ck_assert_int_eq(run.status, 0);
	HARDCTL("--root", root_dir, "rollback", "1", "--rule", "banner.motd");
	ck_assert_int_eq(run.status, 2);
	assert_contains(run.err.ptr,
			"banner.motd changed nothing in transaction 1");
}
END_TEST

/* A FIFO where a banner belongs: reported, never waited on, never written. */
START_TEST(test_txn_fifo__reported_not_read_not_replaced)
{
	char path[4096], *before, *after;

	snprintf(path, sizeof(path), "%s/etc/motd", root_dir);
	ck_assert(unlink(path) == 0);
	ck_assert(mkfifo(path, 0644) == 0);
	before = test_snapshot(root_dir);
	HARDCTL("--root", root_dir, "check");
	ck_assert_int_eq(run.status, 2);
	assert_contains(run.err.ptr, "/etc/motd: not a regular file");
	HARDCTL("--root", root_dir, "apply");
	ck_assert_int_eq(run.status, 5);
	after = test_snapshot(root_dir);
	ck_assert_str_eq(before, after);
	free(before);
	free(after);
}
END_TEST

/* ROOT/var leading elsewhere: the default store would leave ROOT. */
START_TEST(test_txn_store__never_created_outside_root)
{
	char *elsewhere = test_mkdtemp(), link_path[4096], *before, *after,
	     probe[4200];

	snprintf(link_path, sizeof(link_path), "%s/var", root_dir);
	ck_assert(symlink(elsewhere, link_path) == 0);
	before = test_snapshot(root_dir);
	HARDCTL("--root", root_dir, "apply");
	ck_assert_int_eq(run.status, 5);
	assert_contains(run.err.ptr, "the store would leave ROOT");
	snprintf(probe, sizeof(probe), "%s/lib", elsewhere);
	ck_assert(access(probe, F_OK) < 0);
	after = test_snapshot(root_dir);
	ck_assert_str_eq(before, after);

	/* With a store of its own, it works. */
	snprintf(probe, sizeof(probe), "%s/store", elsewhere);
	HARDCTL("--root", root_dir, "--store", probe, "apply");
	ck_assert_int_eq(run.status, 0);
	HARDCTL("--root", root_dir, "--store", probe, "log");
	assert_contains(run.out.ptr, "1    ");
	test_rmtree(elsewhere);
	free(elsewhere);
	free(before);
	free(after);
}
END_TEST

/* A file that is a symlink is refused before anything is written. */
START_TEST(test_txn_apply__symlink_target_refused)
{
	char path[4096], *before, *after;

	snprintf(path, sizeof(path), "%s/etc/motd", root_dir);
	ck_assert(unlink(path) == 0);
	ck_assert(symlink("issue", path) == 0);
	before = test_snapshot(root_dir);
	HARDCTL("--root", root_dir, "apply");
	ck_assert_int_eq(run.status, 5);
	assert_contains(run.err.ptr, "is a symlink");
	after = test_snapshot(root_dir);
	ck_assert_str_eq(before, after);
	free(before);
	free(after);
}
END_TEST

START_TEST(test_txn_apply__hard_link_refused)
{
	char path[4096], link_path[4096];

	snprintf(path, sizeof(path), "%s/etc/issue", root_dir);
	snprintf(link_path, sizeof(link_path), "%s/etc/issue.orig", root_dir);
	ck_assert(link(path, link_path) == 0);
	HARDCTL("--root", root_dir, "apply");
	ck_assert_int_eq(run.status, 5);
	assert_contains(run.err.ptr, "hard links");
}
END_TEST

START_TEST(test_txn_apply__lock_held_exits_5)
{
	char path[4096];
	int fd;

	HARDCTL("--root", root_dir, "apply", "--rule", "banner.issue");
	ck_assert_int_eq(run.status, 0);
	snprintf(path, sizeof(path), "%s/var/lib/hardctl/oldconf/hardctl.lock",
		 root_dir);
	ck_assert((fd = open(path, O_RDWR)) >= 0);
	ck_assert(flock(fd, LOCK_EX) == 0);
	HARDCTL("--root", root_dir, "apply");
	ck_assert_int_eq(run.status, 5);
	assert_contains(run.err.ptr, "another hardctl");
	close(fd);
	HARDCTL("--root", root_dir, "apply");
	ck_assert_int_eq(run.status, 0);
}
END_TEST

/*
 * Hold the store's lock in a child process for MS milliseconds, or with
 * MS 0 until *RELEASE (the write end of a pipe) is closed.
 */
static pid_t hold_lock(unsigned int ms, int *release)
{
	char path[4096], c;
	int ready[2], done[2], fd;
	pid_t pid;

	snprintf(path, sizeof(path), "%s/var/lib/hardctl/oldconf/hardctl.lock",
		 root_dir);
	ck_assert(pipe(ready) == 0 && pipe(done) == 0);
	ck_assert((pid = fork()) >= 0);
	if (pid == 0) {
		close(done[1]);
		if ((fd = open(path, O_RDWR)) < 0 || flock(fd, LOCK_EX) < 0)
			_exit(1);
		if (write(ready[1], "x", 1) != 1)
			_exit(1);
		if (ms)
			usleep(ms * 1000);
		else
			while (read(done[0], &c, 1) > 0)
				;
		_exit(0);
	}
	close(ready[1]);
	close(done[0]);
	ck_assert_int_eq(read(ready[0], &c, 1), 1); /* the child holds it now */
	close(ready[0]);
	*release = done[1];
	return pid;
}

START_TEST(test_txn_apply__waits_for_the_lock)
{
	int release;
	pid_t holder;
	int wstatus;

	HARDCTL("--root", root_dir, "apply", "--rule", "banner.issue");
	ck_assert_int_eq(run.status, 0);
	/* Released within the wait: apply goes ahead. */
	holder = hold_lock(700, &release);
	HARDCTL("--root", root_dir, "--wait", "10", "apply");
	ck_assert_msg(run.status == 0, "%s", run.err.ptr);
	assert_contains(run.out.ptr, "transaction 2:");
	close(release);
	ck_assert(waitpid(holder, &wstatus, 0) == holder);
	/* Held past the wait, however slowly hardctl starts: exit 5, saying how
	 * long. */
	holder = hold_lock(0, &release);
	HARDCTL("--root", root_dir, "--wait", "1", "rollback");
	close(release);
	ck_assert_int_eq(run.status, 5);
	assert_contains(run.err.ptr,
			"still changing this system after 1.000 s");
	ck_assert(waitpid(holder, &wstatus, 0) == holder);
	HARDCTL("--root", root_dir, "--wait", "x", "apply");
	ck_assert_int_eq(run.status, 2);
}
END_TEST

/* Start hardctl with ARGS without waiting for it; its output is dropped. */
static pid_t spawn(const char *const *args)
{
	const char *argv[32];
	size_t n = 0;
	pid_t pid;

	argv[n++] = HC_TEST_BINARY;
	for (; args[n - 1] && n < HC_ARRAY_SIZE(argv) - 1; n++)
		argv[n] = args[n - 1];
	argv[n] = NULL;
	ck_assert((pid = fork()) >= 0);
	if (pid == 0) {
		int devnull = open("/dev/null", O_RDWR);

		dup2(devnull, 0);
		dup2(devnull, 1);
		dup2(devnull, 2);
		execv(argv[0], (char *const *)argv);
		_exit(127);
	}
	return pid;
}

/*
 * Several hardctl at once on one root, each remediating its own rule:
 * those told to wait all succeed one after another; those told not to
 * either succeed or exit 5.  Readers meanwhile are not refused.
 * History has one transaction per success and the store stays sound.
 */
START_TEST(test_txn_apply__concurrent_runs_serialise)
{
	static const char *const rules[] = {
	    "banner.issue",      "banner.issue-net",  "banner.motd",
	    "password.max-days", "password.min-days", "password.min-len",
	};
	pid_t pid[HC_ARRAY_SIZE(rules)];
	size_t ok = 0, locked = 0, lines = 0;
	char *fsck;
	int wstatus;

	for (int wait = 1; wait >= 0; wait--) {
		for (size_t i = 0; i < HC_ARRAY_SIZE(rules); i++) {
			const char *r =
			    wait ? rules[i] : "console.ctrl-alt-del";
			const char *const args[] = {
			    "--root", root_dir, "--wait", wait ? "60" : "0",
			    "apply",  "--rule", r,        NULL};

			pid[i] = spawn(args);
		}
		/* Readers meanwhile see a sound store, mid-write or not. */
		for (int k = 0; k < 4; k++) {
			HARDCTL("--root", root_dir, "log");
			ck_assert_msg(run.status == 0, "log: %s", run.err.ptr);
		}
		for (size_t i = 0; i < HC_ARRAY_SIZE(rules); i++) {
			ck_assert(waitpid(pid[i], &wstatus, 0) == pid[i]);
			ck_assert(WIFEXITED(wstatus));
			if (wait)
				ck_assert_int_eq(WEXITSTATUS(wstatus), 0);
			else if (WEXITSTATUS(wstatus) == 5)
				locked++;
			else
				ck_assert_int_eq(WEXITSTATUS(wstatus), 0);
			ok += WEXITSTATUS(wstatus) == 0;
		}
	}
	ck_assert_uint_eq(ok + locked, 2 * HC_ARRAY_SIZE(rules));
	HARDCTL("--root", root_dir, "log");
	for (const char *p = run.out.ptr; (p = strchr(p, '\n')); p++)
		lines++;
	/* Six rules, and ctrl-alt-del once: the other runs found nothing to
	 * change. */
	ck_assert_uint_eq(lines, HC_ARRAY_SIZE(rules) + 1);
	HARDCTL("--root", root_dir, "check", "--rule", "banner.issue", "--rule",
		"banner.motd", "--rule", "password.min-len", "--rule",
		"console.ctrl-alt-del");
	ck_assert_int_eq(run.status, 0);
	fsck = store_git("fsck --strict --no-progress && echo fsck-ok");
	assert_contains(fsck, "fsck-ok");
	free(fsck);
}
END_TEST

START_TEST(test_txn_status__lists_changes_made_outside)
{
	char path[4096];

	HARDCTL("--root", root_dir, "status");
	ck_assert_int_eq(run.status, 0);
	ck_assert_str_eq(run.out.ptr,
			 "0 managed files, all as hardctl left them\n");
	HARDCTL("--root", root_dir, "apply");
	HARDCTL("--root", root_dir, "status");
	ck_assert_int_eq(run.status, 0);
	ck_assert_str_eq(run.out.ptr,
			 "11 managed files, all as hardctl left them\n");

	snprintf(path, sizeof(path), "%s/etc/issue", root_dir);
	ck_assert(chmod(path, 0600) == 0);
	test_replace(root_dir, "/etc/ssh/sshd_config", "Protocol 2\n",
		     "Protocol 2\nUseDNS no\n");
	snprintf(path, sizeof(path), "%s/etc/motd", root_dir);
	ck_assert(unlink(path) == 0);
	HARDCTL("--root", root_dir, "status");
	ck_assert_int_eq(run.status, 1);
	assert_contains(run.out.ptr,
			"modified  /etc/issue (mode 0600, was 0644)\n");
	assert_contains(run.out.ptr,
			"modified  /etc/ssh/sshd_config (content)\n");
	assert_contains(run.out.ptr, "deleted   /etc/motd\n");
	assert_lacks(run.out.ptr, "issue.net");
	HARDCTL("--root", root_dir, "status", "--format", "json");
	ck_assert_int_eq(run.status, 1);
	assert_contains(run.out.ptr, "\"managed\":11");
	assert_contains(run.out.ptr,
			"{\"path\":\"/etc/motd\",\"change\":\"deleted\"");

	/* The state file is a cache: without it, the repository answers. */
	snprintf(path, sizeof(path), "%s/var/lib/hardctl/oldconf/hardctl-state",
		 root_dir);
	ck_assert(unlink(path) == 0);
	HARDCTL("--root", root_dir, "status");
	ck_assert_int_eq(run.status, 1);
	assert_contains(run.out.ptr, "deleted   /etc/motd\n");
}
END_TEST

START_TEST(test_txn_recover__nothing_pending)
{
	HARDCTL("--root", root_dir, "recover");
	ck_assert_int_eq(run.status, 0);
	ck_assert_str_eq(run.out.ptr, "nothing to recover\n");
	HARDCTL("--root", root_dir, "recover", "--format", "json");
	ck_assert_int_eq(run.status, 0);
	ck_assert_str_eq(
	    run.out.ptr,
	    "{\"hardctl_version\":\"" HARDCTL_VERSION "\","
	    "\"schema\":1,\"recovered\":null,\"restored\":0,\"kept\":0,"
	    "\"completed\":false}\n");
}
END_TEST

/* The store's `git count-objects -v` figure KEY ("count", "packs"...). */
static unsigned long store_objects(const char *key)
{
	char *out = store_git("count-objects -v"), want[64];
	const char *p;
	unsigned long v = 0;

	snprintf(want, sizeof(want), "\n%s: ", key);
	if (strncmp(out, want + 1, strlen(want + 1)) == 0)
		p = out + strlen(want + 1);
	else if ((p = strstr(out, want)) != NULL)
		p += strlen(want);
	ck_assert_msg(p != NULL, "no %s in: %s", key, out);
	v = strtoul(p, NULL, 10);
	free(out);
	return v;
}

/* The store as git sees it: whole, and every commit signed by its key. */
static void assert_store_sound(void)
{
	char *out = store_git("fsck --strict --no-progress && echo fsck-ok");

	ck_assert_msg(strstr(out, "fsck-ok") != NULL, "git fsck: %s", out);
	free(out);
	HARDCTL("--root", root_dir, "verify");
	ck_assert_msg(run.status == 0, "verify: %s%s", run.out.ptr,
		      run.err.ptr);
}

/*
 * Each transaction writes its objects as one pack, and the packs are
 * joined as they grow: however long the history, no loose object, and
 * no more packs than the binary logarithm of the objects, plus one.
 */
START_TEST(test_txn_store__packs_stay_few)
{
	unsigned long packs, objects, bound = 1;

	HARDCTL("--root", root_dir, "apply");
	ck_assert_int_eq(run.status, 0);
	/* Each rollback undoes the one before: 24 transactions in all. */
	for (int i = 0; i < 23; i++) {
		HARDCTL("--root", root_dir, "rollback");
		ck_assert_msg(run.status == 0, "%s", run.err.ptr);
	}
	assert_contains(run.out.ptr, "transaction 24:");
	ck_assert_uint_eq(store_objects("count"), 0);
	packs = store_objects("packs");
	objects = store_objects("in-pack");
	for (unsigned long o = objects; o > 1; o /= 2)
		bound++;
	ck_assert_msg(packs >= 1 && packs <= bound, "%lu packs for %lu objects",
		      packs, objects);
	assert_store_sound();
	HARDCTL("--root", root_dir, "log");
	ck_assert_int_eq(run.status, 0);
	ck_assert_msg(strncmp(run.out.ptr, "24 ", 3) == 0, "%s", run.out.ptr);
}
END_TEST

/*
 * A store an older hardctl wrote holds loose objects: the next
 * transaction packs them, and removes them.  (git unpacks the packs.)
 */
START_TEST(test_txn_store__loose_objects_packed)
{
	char cmd[8192];

	HARDCTL("--root", root_dir, "apply");
	ck_assert_int_eq(run.status, 0);
	snprintf(cmd, sizeof(cmd),
		 "S='%s/var/lib/hardctl/oldconf'; "
		 "for p in \"$S\"/objects/pack/*.pack; do "
		 "mv \"$p\" \"$S/p\" && rm \"${p%%.pack}.idx\" && "
		 "git --git-dir=\"$S\" unpack-objects -q <\"$S/p\" && "
		 "rm \"$S/p\" || exit 1; done",
		 root_dir);
	ck_assert_int_eq(system(cmd), 0);
	ck_assert_uint_gt(store_objects("count"), 10);
	ck_assert_uint_eq(store_objects("packs"), 0);
	HARDCTL("--root", root_dir, "rollback");
	ck_assert_msg(run.status == 0, "%s", run.err.ptr);
	ck_assert_uint_eq(store_objects("count"), 0);
	ck_assert_uint_ge(store_objects("packs"), 1);
	assert_store_sound();
}
END_TEST

/*
 * What a killed pack write leaves (libgit2's temporary, an index whose
 * pack was never renamed in) no ref names: the next transaction sweeps
 * it, and git finds nothing amiss.
 */
START_TEST(test_txn_store__killed_pack_write_swept)
{
	char tmp[4096], idx[4096];
	struct stat st;

	HARDCTL("--root", root_dir, "apply");
	ck_assert_int_eq(run.status, 0);
	snprintf(tmp, sizeof(tmp),
		 "%s/var/lib/hardctl/oldconf/objects/pack/pack_git2_0123abcd",
		 root_dir);
	snprintf(idx, sizeof(idx),
		 "%s/var/lib/hardctl/oldconf/objects/pack/"
		 "pack-0123456789012345678901234567890123456789.idx",
		 root_dir);
	test_write("", tmp, "PACK half written", 0400);
	test_write("", idx, "an index alone", 0400);
	HARDCTL("--root", root_dir, "rollback");
	ck_assert_msg(run.status == 0, "%s", run.err.ptr);
	ck_assert_int_ne(lstat(tmp, &st), 0);
	ck_assert_int_ne(lstat(idx, &st), 0);
	assert_store_sound();
}
END_TEST

/*
 * Transaction refs git packed (pack-refs, gc) still take their ids: a
 * new transaction comes after them all, a packed stray's too.
 */
START_TEST(test_txn_store__packed_refs_ids_not_given_twice)
{
	char loose[4096], *out;
	struct stat st;

	HARDCTL("--root", root_dir, "apply");
	ck_assert_int_eq(run.status, 0);
	HARDCTL("--root", root_dir, "rollback");
	ck_assert_int_eq(run.status, 0);
	free(store_git("update-ref refs/hardctl/txn/9 main"));
	free(store_git("pack-refs --all"));
	snprintf(loose, sizeof(loose),
		 "%s/var/lib/hardctl/oldconf/refs/hardctl/txn/2", root_dir);
	ck_assert_int_ne(lstat(loose, &st), 0);
	out = store_git("show-ref");
	ck_assert_msg(strstr(out, "refs/hardctl/txn/9") != NULL, "%s", out);
	free(out);
	HARDCTL("--root", root_dir, "rollback");
	ck_assert_msg(run.status == 0, "%s", run.err.ptr);
	assert_contains(run.out.ptr, "transaction 10:");
	HARDCTL("--root", root_dir, "show", "2");
	ck_assert_int_eq(run.status, 0);
}
END_TEST

Suite *txn_suite(void)
{
	Suite *s = suite_create("txn");
	TCase *demo = tcase_create("demo");
	TCase *deb = tcase_create("debian");

	tcase_set_timeout(demo, 120);
	tcase_add_checked_fixture(demo, setup_demo, teardown);
	tcase_add_test(demo, test_txn_apply__makes_check_pass);
	tcase_add_test(demo, test_txn_apply__second_apply_records_nothing);
	tcase_add_test(demo, test_txn_show__equals_the_dry_run);
	tcase_add_test(demo,
		       test_txn_store__readable_with_git_one_commit_per_rule);
	tcase_add_test(demo, test_txn_rollback__restores_bytes_modes_owners);
	tcase_add_test(demo, test_txn_rollback__of_a_rollback_reapplies);
	tcase_add_test(demo, test_txn_rollback__hand_edit_elsewhere_survives);
	tcase_add_test(demo,
		       test_txn_rollback__conflict_exits_4_and_changes_nothing);
	tcase_add_test(demo, test_txn_rollback__nothing_applied);
	tcase_add_test(demo, test_txn_apply__symlink_target_refused);
	tcase_add_test(demo, test_txn_apply__hard_link_refused);
	tcase_add_test(demo, test_txn_fifo__reported_not_read_not_replaced);
	tcase_add_test(demo, test_txn_store__never_created_outside_root);
	tcase_add_test(demo, test_txn_apply__lock_held_exits_5);
	tcase_add_test(demo, test_txn_apply__waits_for_the_lock);
	tcase_add_test(demo, test_txn_apply__concurrent_runs_serialise);
	tcase_add_test(demo, test_txn_status__lists_changes_made_outside);
	tcase_add_test(
	    demo, test_txn_rollback_rule__keeps_hand_edits_and_other_files);
	tcase_add_test(demo, test_txn_rollback_rule__rule_not_in_transaction);
	tcase_add_test(demo, test_txn_recover__nothing_pending);
	tcase_add_test(demo, test_txn_store__packs_stay_few);
	tcase_add_test(demo, test_txn_store__loose_objects_packed);
	tcase_add_test(demo, test_txn_store__killed_pack_write_swept);
	tcase_add_test(demo, test_txn_store__packed_refs_ids_not_given_twice);
	suite_add_tcase(s, demo);

	tcase_set_timeout(deb, 120);
	tcase_add_checked_fixture(deb, setup_debian, teardown);
	tcase_add_test(deb, test_txn_apply__debian_dropin_created_and_removed);
	tcase_add_test(
	    deb, test_txn_rollback_rule__keeps_the_other_rule_on_the_next_line);
	suite_add_tcase(s, deb);
	return s;
}
