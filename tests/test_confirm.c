/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * apply --confirm-within and hardctl confirm, with seconds: rolled back
 * by itself unless confirmed, and the watchdog outlives the session that
 * started it (its death simulated with setsid and SIGHUP).  One
 * transaction at a time awaits confirmation.  A watchdog gone (a reboot,
 * simulated by killing it) is told from a live one; what a command does
 * then is decided by hc_confirm_decide(), tested directly, and tried on
 * a temporary root that a test build counts as the running system
 * (HARDCTL_TEST_LIVE_ROOT).  Not run under valgrind: the watchdog
 * outlives the command valgrind watches.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "hardctl/confirm.h"
#include "hardctl/store.h"
#include "test.h"

static char *root_dir, *before;
static struct test_run run;

#define HARDCTL(...) TEST_HARDCTL(&run, __VA_ARGS__)

/*
 * What the suite applies: banners, which shut nobody out (apply refuses
 * a plan that leaves no administrator a way in, as the whole profile
 * would on the demo root).
 */
#define RULES "--rule", "banner.issue", "--rule", "banner.issue-net"

#define MARKER "/var/lib/hardctl/oldconf/hardctl-confirm"
#define CONFIRM_LOG "/var/lib/hardctl/oldconf/hardctl-confirm.log"

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
		char *log = test_read(root_dir, CONFIRM_LOG);
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

/* Fail unless ROOT is byte for byte, mode and mtime, as in BEFORE. */
static void assert_snapshot(const char *snapshot)
{
	char *now = test_snapshot(root_dir);

	ck_assert_str_eq(now, snapshot);
	free(now);
}

/* The numbers on the marker's line "KEY A [B]"; false when it has none. */
static bool marker_line(const char *key, long long *a, long long *b)
{
	char *text = test_read(root_dir, MARKER);
	size_t len = strlen(key);
	bool found = false;

	ck_assert_msg(text != NULL, "no confirmation marker");
	for (const char *at = text; at && !found;
	     at = strchr(at, '\n'), at = at ? at + 1 : NULL)
		found = strncmp(at, key, len) == 0 && at[len] == ' ' &&
			sscanf(at + len, " %lld %lld", a, b) >= 1;
	free(text);
	return found;
}

static time_t marker_deadline(void)
{
	long long deadline = 0, unused;

	ck_assert(marker_line("deadline", &deadline, &unused));
	return (time_t)deadline;
}

/* The watchdog's PID, which the marker records with its start time. */
static pid_t marker_watchdog(void)
{
	long long pid = 0, start = 0;

	ck_assert_msg(marker_line("watchdog", &pid, &start),
		      "the marker records no watchdog:\n%s",
		      test_read(root_dir, MARKER));
	ck_assert(pid > 0);
	return (pid_t)pid;
}

/* Kill the watchdog as a reboot would, and wait until it is gone. */
static pid_t kill_watchdog(void)
{
	pid_t pid = marker_watchdog();
	unsigned long long start;

	ck_assert_int_eq(hc_confirm_proc_start(&start, pid), 0);
	ck_assert_msg(kill(pid, SIGKILL) == 0, "kill %d: %s", (int)pid,
		      strerror(errno));
	for (int i = 0; i < 100 && hc_confirm_proc_start(&start, pid) == 0; i++)
		usleep(20 * 1000);
	ck_assert_int_ne(hc_confirm_proc_start(&start, pid), 0);
	return pid;
}

static void sleep_past(time_t deadline)
{
	while (time(NULL) <= deadline)
		usleep(100 * 1000);
}

static void utc(char out[32], time_t t)
{
	struct tm tm;

	ck_assert_ptr_nonnull(gmtime_r(&t, &tm));
	ck_assert(strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm) > 0);
}

START_TEST(test_confirm__rolled_back_unless_confirmed)
{
	HARDCTL("--root", root_dir, "apply", RULES, "--confirm-within", "2s");
	ck_assert_msg(run.status == 0, "%s", run.err.ptr);
	assert_contains(run.out.ptr,
			"confirm with 'hardctl confirm' within 2 s, "
			"or transaction 1 is rolled back by itself");
	assert_state(false);
	wait_for_log("rolled back transaction 1");
	assert_state(true);
	HARDCTL("--root", root_dir, "log");
	assert_contains(run.out.ptr, "undoes 1");
	HARDCTL("--root", root_dir, "confirm");
	ck_assert_str_eq(run.out.ptr, "nothing awaits confirmation\n");
}
END_TEST

/* Wait (up to 10 s) until process PID, started at START, is gone. */
static void assert_gone(pid_t pid, unsigned long long start)
{
	unsigned long long now = start;

	for (int i = 0; i < 500 && now == start; i++) {
		if (hc_confirm_proc_start(&now, pid) < 0) {
			hc_error_clear();
			return;
		}
		usleep(20 * 1000);
	}
	ck_abort_msg("process %d still runs", (int)pid);
}

/*
 * Confirmed in time, the transaction stays, and its watchdog ends then,
 * not at the deadline (a window of an hour left no process behind).
 */
START_TEST(test_confirm__confirmed_in_time_stays)
{
	unsigned long long start;
	time_t deadline;
	pid_t watchdog;

	HARDCTL("--root", root_dir, "apply", RULES, "--confirm-within", "2");
	ck_assert_int_eq(run.status, 0);
	watchdog = marker_watchdog();
	deadline = marker_deadline();
	ck_assert_int_eq(hc_confirm_proc_start(&start, watchdog), 0);
	HARDCTL("--root", root_dir, "confirm");
	ck_assert_int_eq(run.status, 0);
	ck_assert_str_eq(run.out.ptr, "transaction 1 confirmed: it stays\n");
	wait_for_log("transaction 1 confirmed: ended its watchdog");
	assert_gone(watchdog, start);
	sleep_past(deadline);
	assert_state(false);
	HARDCTL("--root", root_dir, "log");
	assert_lacks(run.out.ptr, "undoes 1");
	/* What the watchdog would have run at the deadline changes nothing. */
	HARDCTL("--root", root_dir, "rollback", "1", "--if-unconfirmed");
	ck_assert_msg(run.status == 0, "%s", run.err.ptr);
	assert_contains(
	    run.out.ptr,
	    "transaction 1 no longer awaits confirmation: not rolled back");
	assert_state(false);
}
END_TEST

/*
 * The administrator's session dies: everything in it gets SIGHUP.  The
 * watchdog, in a session of its own, still rolls the change back.
 */
START_TEST(test_confirm__watchdog_outlives_the_session)
{
	char cmd[8192];

	snprintf(cmd, sizeof(cmd),
		 "setsid --wait sh -c '\"%s\" --root \"%s\" apply "
		 "--rule banner.issue --confirm-within 2 >/dev/null 2>&1; "
		 "kill -HUP 0; sleep 30' 2>/dev/null",
		 HC_TEST_BINARY, root_dir);
	ck_assert_int_ne(system(cmd), 0); /* the shell died of SIGHUP */
	assert_state(false);
	wait_for_log("rolled back transaction 1");
	assert_state(true);
}
END_TEST

START_TEST(test_confirm__bad_durations_refused)
{
	static const char *const bad[] = {"0", "-5", "5x", "25h", "", "m"};

	for (size_t i = 0; i < HC_ARRAY_SIZE(bad); i++) {
		HARDCTL("--root", root_dir, "apply", RULES, "--confirm-within",
			bad[i]);
		ck_assert_int_eq(run.status, 2);
		assert_contains(run.err.ptr, "is not a duration");
	}
	HARDCTL("--root", root_dir, "apply", "--dry-run", "--confirm-within",
		"5m");
	ck_assert_int_eq(run.status, 2);
	assert_state(true);
}
END_TEST

/*
 * Each unconfirmed transaction is rolled back at its own deadline: a
 * second apply --confirm-within while one awaits confirmation is refused
 * before anything changes, saying which, until when, and the way out;
 * the first is still rolled back when its time is up.
 */
START_TEST(test_confirm__second_confirm_within_refused)
{
	char *applied, *now, when[32], expect[128];

	HARDCTL("--root", root_dir, "apply", "--rule", "banner.issue",
		"--confirm-within", "5s");
	ck_assert_msg(run.status == 0, "%s", run.err.ptr);
	applied = test_state(root_dir);
	utc(when, marker_deadline());
	HARDCTL("--root", root_dir, "apply", "--rule", "banner.motd",
		"--confirm-within", "60s");
	ck_assert_msg(run.status == 5, "exit %d: %s%s", run.status, run.out.ptr,
		      run.err.ptr);
	snprintf(expect, sizeof(expect),
		 "transaction 1 awaits confirmation until %s", when);
	assert_contains(run.err.ptr, expect);
	assert_contains(run.err.ptr, "'hardctl confirm'");
	assert_contains(run.err.ptr, "'hardctl rollback 1'");
	assert_contains(run.err.ptr, "wait until its deadline");
	now = test_state(root_dir);
	ck_assert_str_eq(now, applied);
	free(now);
	free(applied);
	ck_assert_int_eq(marker_deadline() > 0, 1);
	wait_for_log("rolled back transaction 1");
	assert_state(true);
	HARDCTL("--root", root_dir, "log");
	assert_lacks(run.out.ptr, "undoes 2");
	assert_contains(run.out.ptr, "undoes 1");
}
END_TEST

/*
 * A plain apply while a transaction awaits confirmation is refused too:
 * the later transaction would be rolled back with it, or conflict with
 * its rollback.  A dry run changes nothing and goes on; once confirmed,
 * apply works again.
 */
START_TEST(test_confirm__plain_apply_refused_while_pending)
{
	char *applied, *now;

	HARDCTL("--root", root_dir, "apply", "--rule", "banner.issue",
		"--confirm-within", "5s");
	ck_assert_msg(run.status == 0, "%s", run.err.ptr);
	applied = test_state(root_dir);
	HARDCTL("--root", root_dir, "apply", "--rule", "banner.motd");
	ck_assert_msg(run.status == 5, "exit %d: %s%s", run.status, run.out.ptr,
		      run.err.ptr);
	assert_contains(run.err.ptr, "transaction 1 awaits confirmation until");
	assert_contains(
	    run.err.ptr,
	    "would be rolled back with it, or conflict with its rollback");
	now = test_state(root_dir);
	ck_assert_str_eq(now, applied);
	free(now);
	HARDCTL("--root", root_dir, "apply", "--rule", "banner.motd",
		"--dry-run");
	ck_assert_msg(run.status == 0, "%s", run.err.ptr);
	HARDCTL("--root", root_dir, "confirm");
	ck_assert_str_eq(run.out.ptr, "transaction 1 confirmed: it stays\n");
	HARDCTL("--root", root_dir, "apply", "--rule", "banner.motd");
	ck_assert_msg(run.status == 0, "%s", run.err.ptr);
	assert_contains(run.out.ptr, "transaction 2:");
	wait_for_log("transaction 1 confirmed: ended its watchdog");
	now = test_state(root_dir);
	ck_assert_str_ne(now, applied);
	free(now);
	free(applied);
}
END_TEST

/*
 * The watchdog killed before the deadline, as a reboot ends it, and
 * nothing else touched: on a root that is not the running system, the
 * commands after the deadline warn and never roll back (an image checked
 * on another machine must not roll itself back); apply stays refused.
 */
START_TEST(test_confirm__dead_watchdog_other_root_warns)
{
	char *log;

	HARDCTL("--root", root_dir, "apply", RULES, "--confirm-within", "2s");
	ck_assert_msg(run.status == 0, "%s", run.err.ptr);
	kill_watchdog();
	HARDCTL("--root", root_dir, "status");
	assert_contains(run.err.ptr,
			"warning: transaction 1 awaits confirmation until");
	assert_contains(run.err.ptr, "its watchdog is gone");
	sleep_past(marker_deadline());
	HARDCTL("--root", root_dir, "status");
	assert_contains(run.err.ptr,
			"warning: the time to confirm transaction 1 was up at");
	assert_contains(run.err.ptr, "it is not rolled back");
	assert_contains(run.err.ptr, "rollback 1'");
	assert_contains(run.err.ptr, "confirm'");
	HARDCTL("--root", root_dir, "confirm", "--check-expired");
	ck_assert_msg(run.status == 0, "%s", run.err.ptr);
	assert_contains(run.out.ptr,
			"warning: the time to confirm transaction 1 was up at");
	HARDCTL("--root", root_dir, "apply", RULES);
	ck_assert_int_eq(run.status, 5);
	assert_contains(run.err.ptr,
			"transaction 1 awaited confirmation until");
	assert_state(false);
	HARDCTL("--root", root_dir, "log");
	assert_lacks(run.out.ptr, "undoes 1");
	ck_assert(marker_deadline() > 0); /* the marker stays */
	log = test_read(root_dir, CONFIRM_LOG);
	assert_lacks(log, "rolled back");
	free(log);
	/* The way out the warning gives. */
	HARDCTL("--root", root_dir, "rollback", "1");
	ck_assert_msg(run.status == 0, "%s", run.err.ptr);
	assert_state(true);
	ck_assert_ptr_null(test_read(root_dir, MARKER));
}
END_TEST

/*
 * The same on the running system (a test build counts the temporary
 * root as such): check, which writes nothing, only says so; the next
 * command that opens the store rolls the transaction back, and says so
 * on stderr; its own output is untouched.
 */
START_TEST(test_confirm__dead_watchdog_live_root_rolled_back)
{
	char *now;

	HARDCTL("--root", root_dir, "apply", RULES, "--confirm-within", "2s");
	ck_assert_msg(run.status == 0, "%s", run.err.ptr);
	kill_watchdog();
	sleep_past(marker_deadline());
	ck_assert_int_eq(setenv("HARDCTL_TEST_LIVE_ROOT", root_dir, 1), 0);
	now = test_snapshot(root_dir);
	HARDCTL("--root", root_dir, "check", RULES);
	assert_contains(run.err.ptr, "the next hardctl command that opens the "
				     "store rolls it back");
	assert_snapshot(now);
	free(now);
	HARDCTL("--root", root_dir, "--format", "json", "log");
	ck_assert_msg(run.status == 0, "%s", run.err.ptr);
	assert_contains(run.err.ptr,
			"the time to confirm transaction 1 was up at");
	assert_contains(run.err.ptr, "its watchdog was gone");
	assert_contains(run.err.ptr, "rolled back transaction 1");
	assert_contains(run.out.ptr, "\"transactions\":");
	assert_state(true);
	ck_assert_ptr_null(test_read(root_dir, MARKER));
	wait_for_log("the watchdog of transaction 1 was gone");
	HARDCTL("--root", root_dir, "log");
	assert_contains(run.out.ptr, "undoes 1");
	HARDCTL("--root", root_dir, "status");
	assert_lacks(run.err.ptr, "transaction 1");
}
END_TEST

/*
 * On the running system, apply itself is a command that opens the
 * store: it rolls back, under its own lock, the transaction whose time
 * ran out, then applies what it was asked.
 */
START_TEST(test_confirm__dead_watchdog_next_apply_rolls_back_first)
{
	char *issue = test_read(root_dir, "/etc/issue"), *motd, *now;

	HARDCTL("--root", root_dir, "apply", "--rule", "banner.issue",
		"--confirm-within", "2s");
	ck_assert_msg(run.status == 0, "%s", run.err.ptr);
	kill_watchdog();
	sleep_past(marker_deadline());
	ck_assert_int_eq(setenv("HARDCTL_TEST_LIVE_ROOT", root_dir, 1), 0);
	motd = test_read(root_dir, "/etc/motd");
	HARDCTL("--root", root_dir, "apply", "--rule", "banner.motd");
	ck_assert_msg(run.status == 0, "%s", run.err.ptr);
	assert_contains(run.err.ptr,
			"transaction 2: rolled back transaction 1");
	assert_contains(run.out.ptr, "transaction 3: 1 file changed");
	now = test_read(root_dir, "/etc/issue");
	ck_assert_str_eq(now, issue);
	free(now);
	now = test_read(root_dir, "/etc/motd");
	ck_assert_str_ne(now, motd);
	free(now);
	free(motd);
	free(issue);
	ck_assert_ptr_null(test_read(root_dir, MARKER));
}
END_TEST

/* What the boot-time unit runs: confirm --check-expired. */
START_TEST(test_confirm__check_expired_rolls_back_on_live_root)
{
	HARDCTL("--root", root_dir, "apply", RULES, "--confirm-within", "2s");
	ck_assert_msg(run.status == 0, "%s", run.err.ptr);
	kill_watchdog();
	sleep_past(marker_deadline());
	ck_assert_int_eq(setenv("HARDCTL_TEST_LIVE_ROOT", root_dir, 1), 0);
	HARDCTL("--root", root_dir, "confirm", "--check-expired");
	ck_assert_msg(run.status == 0, "%s", run.err.ptr);
	assert_contains(run.out.ptr,
			"transaction 2: rolled back transaction 1");
	assert_state(true);
	HARDCTL("--root", root_dir, "confirm", "--check-expired", "--format",
		"json");
	ck_assert_msg(run.status == 0, "%s", run.err.ptr);
	assert_contains(run.out.ptr, "\"action\":\"none\"");
}
END_TEST

/*
 * The watchdog gone before the deadline, on the running system: the
 * next command starts a new one, recorded in the marker, which rolls
 * the transaction back at the same deadline.  A live watchdog is left
 * alone, silently.
 */
START_TEST(test_confirm__dead_watchdog_rearmed_before_deadline)
{
	time_t deadline;
	pid_t old, pid;

	HARDCTL("--root", root_dir, "apply", RULES, "--confirm-within", "4s");
	ck_assert_msg(run.status == 0, "%s", run.err.ptr);
	ck_assert_int_eq(setenv("HARDCTL_TEST_LIVE_ROOT", root_dir, 1), 0);
	deadline = marker_deadline();
	old = marker_watchdog();
	HARDCTL("--root", root_dir, "status");
	ck_assert_str_eq(run.err.ptr, "");
	ck_assert_int_eq(marker_watchdog(), old);
	kill_watchdog();
	HARDCTL("--root", root_dir, "status");
	assert_contains(run.err.ptr, "the next hardctl command that opens the "
				     "store starts a new one");
	HARDCTL("--root", root_dir, "show", "1");
	ck_assert_msg(run.status == 0, "%s", run.err.ptr);
	assert_contains(run.err.ptr, "the watchdog of transaction 1 was gone");
	assert_contains(run.err.ptr, "started a new one");
	pid = marker_watchdog();
	ck_assert_int_ne(pid, old);
	ck_assert_int_eq((long long)marker_deadline(), (long long)deadline);
	assert_state(false);
	wait_for_log("rolled back transaction 1");
	assert_state(true);
}
END_TEST

/* The marker's text, and older markers without a watchdog. */
START_TEST(test_confirm_marker__round_trip)
{
	struct hc_confirm c = {.txn = 7,
			       .deadline = 1700000000,
			       .watchdog = 4242,
			       .watchdog_start = 987654321ULL},
			  back;
	struct hc_buf text = HC_BUF_INIT;

	snprintf(c.boot_id, sizeof(c.boot_id), "%s",
		 "7dcc2e1d-26b2-490e-8068-c87129831872");
	ck_assert_int_eq(hc_confirm_format(&text, &c), 0);
	ck_assert_str_eq(text.ptr, "transaction 7\ndeadline 1700000000\n"
				   "boot 7dcc2e1d-26b2-490e-8068-c87129831872\n"
				   "watchdog 4242 987654321\n");
	ck_assert_int_eq(hc_confirm_parse(&back, text.ptr, "m"), 0);
	ck_assert_uint_eq(back.txn, c.txn);
	ck_assert_int_eq((long long)back.deadline, (long long)c.deadline);
	ck_assert_str_eq(back.boot_id, c.boot_id);
	ck_assert_int_eq(back.watchdog, c.watchdog);
	ck_assert_uint_eq(back.watchdog_start, c.watchdog_start);
	ck_assert_int_eq(
	    hc_confirm_parse(&back, "transaction 3\ndeadline 12\n", "m"), 0);
	ck_assert_uint_eq(back.txn, 3);
	ck_assert_int_eq(back.watchdog, 0);
	ck_assert_str_eq(back.boot_id, "");
	hc_buf_release(&text);
}
END_TEST

START_TEST(test_confirm_marker__garbage_refused)
{
	static const char *const bad[] = {
	    "",
	    "transaction 0\ndeadline 5\n",
	    "deadline 5\ntransaction 1\n",
	    "transaction 1\n",
	    "transaction 1\ndeadline 5",
	    "transaction 1\ndeadline 5\nx\n",
	    "transaction 1\ndeadline 5\nwatchdog -3 4\n",
	    "transaction 1\ndeadline 5\nboot ;rm\n",
	    "transaction 1x\ndeadline 5\n",
	    "transaction 1\ndeadline 5\nwatchdog 3 4\nwatchdog 3 4\n",
	};
	struct hc_confirm c;

	for (size_t i = 0; i < HC_ARRAY_SIZE(bad); i++) {
		ck_assert_msg(hc_confirm_parse(&c, bad[i], "m") == HC_EUNSAFE,
			      "took '%s'", bad[i]);
		ck_assert_uint_eq(c.txn, 0);
	}
}
END_TEST

/* Roll back only on the running system, the time up, the watchdog gone. */
START_TEST(test_confirm_decide__table)
{
	static const struct {
		bool pending, expired, live, alive;
		enum hc_confirm_action want;
	} cases[] = {
	    {false, true, true, false, HC_CONFIRM_NONE},
	    {true, false, true, true, HC_CONFIRM_WATCHED},
	    {true, true, true, true, HC_CONFIRM_WATCHED},
	    {true, false, false, true, HC_CONFIRM_WATCHED},
	    {true, true, false, true, HC_CONFIRM_WATCHED},
	    {true, false, true, false, HC_CONFIRM_REARM},
	    {true, true, true, false, HC_CONFIRM_ROLLBACK},
	    {true, false, false, false, HC_CONFIRM_UNWATCHED},
	    {true, true, false, false, HC_CONFIRM_EXPIRED},
	};

	for (size_t i = 0; i < HC_ARRAY_SIZE(cases); i++) {
		struct hc_confirm c = {.txn = cases[i].pending ? 4 : 0,
				       .deadline = 1000};
		/* At the deadline itself, the time is up. */
		time_t now = cases[i].expired ? 1000 : 999;
		enum hc_confirm_action got =
		    hc_confirm_decide(&c, now, cases[i].live, cases[i].alive);

		ck_assert_msg(got == cases[i].want, "case %zu: %d", i, got);
	}
}
END_TEST

/*
 * The marker lies in the store, which an image (or whoever owns the
 * directory given as --root) can write: one naming a process of the
 * host, with its true boot, PID and start time, must not make confirm
 * send that process SIGTERM.  Only the watchdog apply started is ended.
 */
START_TEST(test_confirm__forged_marker_kills_nothing)
{
	unsigned long long start;
	char boot[HC_BOOT_ID_SIZE], marker[256];
	int status;
	pid_t host, watchdog;

	HARDCTL("--root", root_dir, "apply", RULES, "--confirm-within", "60");
	ck_assert_msg(run.status == 0, "%s", run.err.ptr);
	watchdog = marker_watchdog();
	host = fork();
	ck_assert_int_ge(host, 0);
	if (host == 0) {
		pause();
		_exit(0);
	}
	ck_assert_int_eq(hc_confirm_proc_start(&start, host), 0);
	ck_assert_int_eq(hc_confirm_boot_id(boot), 0);
	snprintf(marker, sizeof(marker),
		 "transaction 1\ndeadline %lld\nboot %s\nwatchdog %ld %llu\n",
		 (long long)marker_deadline(), boot, (long)host, start);
	test_write(root_dir, MARKER, marker, 0600);
	HARDCTL("--root", root_dir, "confirm");
	ck_assert_msg(run.status == 0, "%s", run.err.ptr);
	usleep(300 * 1000);
	ck_assert_msg(waitpid(host, &status, WNOHANG) == 0,
		      "confirm ended process %d, which the marker named",
		      (int)host);
	kill(host, SIGKILL);
	ck_assert_int_eq(waitpid(host, &status, 0), host);
	kill(watchdog, SIGKILL);
}
END_TEST

/* A watchdog is this boot's process with this PID and this start time. */
START_TEST(test_confirm_watchdog__alive_only_as_recorded)
{
	struct hc_confirm c = {.txn = 1, .watchdog = getpid()};
	char boot[HC_BOOT_ID_SIZE];
	int status;
	pid_t child;

	ck_assert_int_eq(hc_confirm_boot_id(boot), 0);
	ck_assert_int_eq(strlen(boot), 36);
	ck_assert_int_eq(hc_confirm_proc_start(&c.watchdog_start, getpid()), 0);
	snprintf(c.boot_id, sizeof(c.boot_id), "%s", boot);
	ck_assert(hc_confirm_watchdog_alive(&c, boot));
	ck_assert(hc_confirm_watchdog_alive(
	    &c, "")); /* boot unknown: PID and start tell */
	ck_assert(!hc_confirm_watchdog_alive(
	    &c, "00000000-0000-0000-0000-000000000000"));
	c.watchdog_start++;
	ck_assert(
	    !hc_confirm_watchdog_alive(&c, boot)); /* the PID used again */
	c.watchdog_start--;
	c.watchdog = 0;
	ck_assert(!hc_confirm_watchdog_alive(&c, boot)); /* none recorded */
	/* A zombie has exited, reaped or not. */
	child = fork();
	ck_assert_int_ge(child, 0);
	if (child == 0)
		_exit(0);
	usleep(200 * 1000);
	c.watchdog = child;
	ck_assert_int_eq(hc_confirm_proc_start(&c.watchdog_start, child),
			 HC_ENOTFOUND);
	ck_assert(!hc_confirm_watchdog_alive(&c, boot));
	ck_assert_int_eq(waitpid(child, &status, 0), child);
	ck_assert_int_eq(hc_confirm_proc_start(&c.watchdog_start, child),
			 HC_ENOTFOUND);
}
END_TEST

/* Only "/" is the running system, by any path; a test may name one more. */
START_TEST(test_confirm_root__live)
{
	char link[4096];

	ck_assert(hc_confirm_root_live("/"));
	ck_assert(hc_confirm_root_live("/."));
	ck_assert(hc_confirm_root_live("/etc/.."));
	ck_assert(!hc_confirm_root_live(root_dir));
	ck_assert(!hc_confirm_root_live("/nonexistent-hardctl-root"));
	snprintf(link, sizeof(link), "%s/slash", root_dir);
	ck_assert_int_eq(symlink("/", link), 0);
	ck_assert(hc_confirm_root_live(link));
#ifdef HARDCTL_FAULT_INJECTION
	ck_assert_int_eq(setenv("HARDCTL_TEST_LIVE_ROOT", root_dir, 1), 0);
	ck_assert(hc_confirm_root_live(root_dir));
	snprintf(link, sizeof(link), "%s/etc", root_dir);
	ck_assert(!hc_confirm_root_live(link));
#endif
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
	tcase_add_test(tc, test_confirm__second_confirm_within_refused);
	tcase_add_test(tc, test_confirm__plain_apply_refused_while_pending);
	tcase_add_test(tc, test_confirm__dead_watchdog_other_root_warns);
	tcase_add_test(tc, test_confirm__dead_watchdog_live_root_rolled_back);
	tcase_add_test(tc,
		       test_confirm__dead_watchdog_next_apply_rolls_back_first);
	tcase_add_test(tc, test_confirm__check_expired_rolls_back_on_live_root);
	tcase_add_test(tc, test_confirm__dead_watchdog_rearmed_before_deadline);
	tcase_add_test(tc, test_confirm__forged_marker_kills_nothing);
	tcase_add_test(tc, test_confirm_marker__round_trip);
	tcase_add_test(tc, test_confirm_marker__garbage_refused);
	tcase_add_test(tc, test_confirm_decide__table);
	tcase_add_test(tc, test_confirm_watchdog__alive_only_as_recorded);
	tcase_add_test(tc, test_confirm_root__live);
	suite_add_tcase(s, tc);
	return s;
}
