/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * rsyslog's routing as rsyslogd reads it: property-based filters and
 * `stop` that discard messages the syslog rules need, the constructs
 * hardctl cannot judge (reported as errors naming file and line), and
 * apply placing its line where it routes the messages before any such
 * discard.  Run on Debian 12's rsyslog.conf and on the Red Hat one;
 * one test runs rsyslogd itself on the configuration and logs through
 * its socket, so that "PASS" and "FAIL" are what the daemon does
 * (skipped, with the reason, without rsyslogd, root or unshare).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "test.h"

static char *root_dir;
static struct test_run run;
static char profile[4096];

#define HARDCTL(...) TEST_HARDCTL(&run, "--root", root_dir, __VA_ARGS__)

/* A profile of the two syslog rules, forwarding to LOGHOST. */
static void write_profile(const char *loghost)
{
	char text[512];

	snprintf(text, sizeof(text),
		 "[profile]\nname = syslog\nversion = 1\n"
		 "[syslog.auth-local]\n[syslog.loghost]\nloghost = %s\n",
		 loghost);
	test_write(root_dir, "/syslog.profile", text, 0644);
	snprintf(profile, sizeof(profile), "%s/syslog.profile", root_dir);
}

static void setup_debian(void)
{
	root_dir = test_root("debian12");
	memset(&run, 0, sizeof(run));
	test_mkdirs(root_dir, "/etc/rsyslog.d");
	write_profile("@@logs.example.com:6514");
}

static void setup_redhat(void)
{
	root_dir = test_root("rsyslog-redhat");
	memset(&run, 0, sizeof(run));
	test_mkdirs(root_dir, "/etc/rsyslog.d");
	write_profile("@@logs.example.com:6514");
}

static void teardown(void)
{
	test_run_release(&run);
	test_rmtree(root_dir);
	free(root_dir);
}

/* Check the one rule RULE: its exit status. */
static int check_rule(const char *rule)
{
	HARDCTL("check", "-p", profile, "--rule", rule);
	return run.status;
}

/*
 * Debian 12: a drop-in discarding sshd's messages with a property
 * filter, read before the main file's auth.log line, loses sshd's
 * authpriv messages: FAIL at the filter's line, whichever form the
 * discard takes.  Apply writes its drop-in, read first; rollback
 * restores the bytes.
 */
START_TEST(test_rsyslog_reader_filter__discard_fails)
{
	static const char *const discards[] = {
	    ":programname, isequal, \"sshd\" ~\n",
	    ":programname, isequal, \"sshd\" stop\n",
	    ":msg, contains, \"session opened\" STOP\n",
	    ":programname, startswith, \"ss\" @@other.example.com\n& stop\n",
	};
	char *before, *after;

	for (size_t i = 0; i < sizeof(discards) / sizeof(discards[0]); i++) {
		test_write(root_dir, "/etc/rsyslog.d/10-sshd.conf", discards[i],
			   0644);
		ck_assert_msg(check_rule("syslog.auth-local") == 1, "%s: %s",
			      discards[i], hc_buf_cstr(&run.out));
		assert_contains(run.out.ptr, "/etc/rsyslog.d/10-sshd.conf:");
		assert_contains(run.out.ptr,
				"auth.emerg messages reach no local file: the "
				"property filter :");
		ck_assert_int_eq(check_rule("syslog.loghost"), 1);
	}
	/* A discard after the line writing auth.log loses nothing. */
	test_write(root_dir, "/etc/rsyslog.d/10-sshd.conf", "", 0644);
	test_write(root_dir, "/etc/rsyslog.d/99-sshd.conf",
		   ":programname, isequal, \"sshd\" ~\n", 0644);
	test_replace(root_dir, "/etc/rsyslog.conf",
		     "$IncludeConfig /etc/rsyslog.d/*.conf\n", "");
	test_replace(root_dir, "/etc/rsyslog.conf", "*.emerg",
		     "$IncludeConfig /etc/rsyslog.d/*.conf\n*.emerg");
	ck_assert_msg(check_rule("syslog.auth-local") == 0, "%s",
		      hc_buf_cstr(&run.out));
	test_replace(root_dir, "/etc/rsyslog.conf",
		     "$IncludeConfig /etc/rsyslog.d/*.conf\n", "");
	test_replace(root_dir, "/etc/rsyslog.conf",
		     "$WorkDirectory /var/spool/rsyslog\n",
		     "$WorkDirectory /var/spool/rsyslog\n$IncludeConfig "
		     "/etc/rsyslog.d/*.conf\n");
	ck_assert_int_eq(check_rule("syslog.auth-local"), 1);

	before = test_state(root_dir);
	HARDCTL("apply", "-p", profile);
	ck_assert_msg(run.status == 0, "%s", hc_buf_cstr(&run.err));
	after = test_read(root_dir, "/etc/rsyslog.d/00-hardctl.conf");
	ck_assert_str_eq(after, "auth,authpriv.*\t/var/log/"
				"auth.log\n*.*\t@@logs.example.com:6514\n");
	free(after);
	HARDCTL("check", "-p", profile);
	ck_assert_msg(run.status == 0, "%s", hc_buf_cstr(&run.out));
	HARDCTL("rollback");
	ck_assert_int_eq(run.status, 0);
	after = test_state(root_dir);
	ck_assert_str_eq(before, after);
	free(before);
	free(after);
}
END_TEST

/*
 * A filter on the facility or the severity with (!)isequal is judged
 * exactly: disjoint from what the rule needs, it loses nothing.
 */
START_TEST(test_rsyslog_reader_filter__facility_severity)
{
	static const struct {
		const char *line;
		int auth, loghost;
	} cases[] = {
	    {":syslogfacility-text, isequal, \"mail\" ~\n", 0, 1},
	    {":syslogfacility-text, isequal, \"authpriv\" stop\n", 1, 1},
	    {":syslogfacility-text, !isequal, \"auth\" stop\n", 1, 1},
	    {":syslogfacility-text, isequal, \"AUTH\" stop\n", 0, 0},
	    {":syslogfacility, isequal, \"10\" stop\n", 1, 1},
	    {":syslogfacility, isequal, \"2\" stop\n", 0, 1},
	    {":syslogseverity-text, isequal, \"debug\" ~\n", 0, 1},
	    {":syslogseverity, isequal, \"6\" ~\n", 1, 1},
	    {":syslogseverity-text, !isequal, \"debug\" ~\n", 1, 1},
	    {":syslogseverity-text, contains, \"debug\" ~\n", 1, 1},
	    {":fromhost-ip, isequal, \"127.0.0.1\" ~\n", 1, 1},
	};

	/* Forwarding to the log host first, as 00-hardctl.conf would. */
	test_write(root_dir, "/etc/rsyslog.d/01-fwd.conf",
		   "*.*\t@@logs.example.com:6514\n", 0644);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		test_write(root_dir, "/etc/rsyslog.d/10-filter.conf",
			   cases[i].line, 0644);
		ck_assert_msg(check_rule("syslog.auth-local") == cases[i].auth,
			      "%s: %s", cases[i].line, hc_buf_cstr(&run.out));
		/* The loghost line comes first: only a discard before it
		 * matters. */
		ck_assert_int_eq(check_rule("syslog.loghost"), 0);
	}
	test_write(root_dir, "/etc/rsyslog.d/01-fwd.conf", "", 0644);
	test_write(root_dir, "/etc/rsyslog.d/99-fwd.conf",
		   "*.*\t@@logs.example.com:6514\n", 0644);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		test_write(root_dir, "/etc/rsyslog.d/10-filter.conf",
			   cases[i].line, 0644);
		ck_assert_msg(check_rule("syslog.loghost") == cases[i].loghost,
			      "%s: %s", cases[i].line, hc_buf_cstr(&run.out));
	}
}
END_TEST

/*
 * The discard sits in a file read before apply's drop-in: the line goes
 * just above it, in that file; rollback restores the bytes.
 */
START_TEST(test_rsyslog_reader_apply__above_discard)
{
	char *before, *after;

	test_write(root_dir, "/etc/rsyslog.d/00-a.conf",
		   "# quiet sshd\n:programname, isequal, \"sshd\" stop\n",
		   0644);
	before = test_state(root_dir);
	ck_assert_int_eq(check_rule("syslog.auth-local"), 1);
	assert_contains(run.out.ptr, "/etc/rsyslog.d/00-a.conf:2");
	HARDCTL("apply", "-p", profile);
	ck_assert_msg(run.status == 0, "%s", hc_buf_cstr(&run.err));
	after = test_read(root_dir, "/etc/rsyslog.d/00-a.conf");
	ck_assert_str_eq(after, "# quiet sshd\n"
				"auth,authpriv.*\t/var/log/auth.log\n"
				"*.*\t@@logs.example.com:6514\n"
				":programname, isequal, \"sshd\" stop\n");
	free(after);
	ck_assert_ptr_null(
	    test_read(root_dir, "/etc/rsyslog.d/00-hardctl.conf"));
	HARDCTL("check", "-p", profile);
	ck_assert_msg(run.status == 0, "%s", hc_buf_cstr(&run.out));
	HARDCTL("rollback");
	ck_assert_int_eq(run.status, 0);
	after = test_state(root_dir);
	ck_assert_str_eq(before, after);
	free(before);
	free(after);

	/* In the main file, above the include: the same. */
	test_write(root_dir, "/etc/rsyslog.d/00-a.conf", "", 0644);
	test_replace(root_dir, "/etc/rsyslog.conf", "$IncludeConfig",
		     ":programname, isequal, \"sshd\" ~\n$IncludeConfig");
	ck_assert_int_eq(check_rule("syslog.auth-local"), 1);
	HARDCTL("apply", "-p", profile, "--rule", "syslog.auth-local");
	ck_assert_msg(run.status == 0, "%s", hc_buf_cstr(&run.err));
	after = test_read(root_dir, "/etc/rsyslog.conf");
	/* Augeas may realign the whitespace of the lines below; their text
	 * stays. */
	assert_contains(after,
			"/var/log/auth.log\n:programname, isequal, \"sshd\" ~\n"
			"$IncludeConfig");
	free(after);
	ck_assert_int_eq(check_rule("syslog.auth-local"), 0);
}
END_TEST

/*
 * What hardctl cannot judge is an error naming the file and line, never
 * a PASS: RainerScript if/then, ruleset() and call, $RuleSet, an input
 * bound to a ruleset, include(text=), relative includes, BSD-style
 * blocks (which rsyslog 8 refuses), a missing file that rsyslogd may
 * not do without.  Apply changes nothing.
 */
START_TEST(test_rsyslog_reader_unjudged__error)
{
	static const struct {
		const char *text;
		const char *where;
	} cases[] = {
	    {"# x\nif $programname == 'sshd' then stop\n", "50-x.conf:2"},
	    {"if $programname == 'sshd' then {\n  stop\n}\n", "50-x.conf:1"},
	    {"ruleset(name=\"r\") {\n  auth.* /var/log/r.log\n}\n",
	     "50-x.conf:1"},
	    {"auth.* call r\n", "50-x.conf:1"},
	    {"$RuleSet remote\nauth,authpriv.* /var/log/auth.log\n",
	     "50-x.conf:1"},
	    {"input(type=\"imuxsock\" socket=\"/run/x\" ruleset=\"r\")\n",
	     "50-x.conf:1"},
	    {"include(text=\"auth.* stop\")\n", "50-x.conf:1"},
	    {"$IncludeConfig x.conf\n", "50-x.conf:1"},
	    {"!sshd\n*.* stop\n", "50-x.conf:1"},
	    {"$IncludeConfig /etc/rsyslog.d/50-x.conf\n", "50-x.conf:1"},
	    {"# x\ninclude(file=\"/etc/gone.conf\" "
	     "mode=\"abort-if-missing\")\n",
	     "50-x.conf:2"},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *before, *after;

		test_write(root_dir, "/etc/rsyslog.d/50-x.conf", cases[i].text,
			   0644);
		ck_assert_msg(check_rule("syslog.auth-local") == 2, "%s: %s",
			      cases[i].text, hc_buf_cstr(&run.out));
		assert_contains(run.out.ptr, "ERROR");
		assert_contains(run.out.ptr, cases[i].where);
		before = test_state(root_dir);
		HARDCTL("apply", "-p", profile);
		ck_assert_int_eq(run.status, 2);
		after = test_state(root_dir);
		ck_assert_str_eq(before, after);
		free(before);
		free(after);
	}
}
END_TEST

/*
 * rsyslog reads an included directory, with or without a final slash,
 * and its subdirectories, in sorted order, skipping names starting
 * with "." (rsyslogd 8.2302 does so): a discard there counts.
 */
START_TEST(test_rsyslog_reader_include__directory)
{
	test_replace(root_dir, "/etc/rsyslog.conf",
		     "$IncludeConfig /etc/rsyslog.d/*.conf",
		     "$IncludeConfig /etc/rsyslog.d");
	test_write(root_dir, "/etc/rsyslog.d/.hidden", "auth.* stop\n", 0644);
	ck_assert_msg(check_rule("syslog.auth-local") == 0, "%s",
		      hc_buf_cstr(&run.out));
	test_write(root_dir, "/etc/rsyslog.d/sub/x",
		   "mail.* stop\nauthpriv.* stop\n", 0644);
	ck_assert_int_eq(check_rule("syslog.auth-local"), 1);
	assert_contains(
	    run.out.ptr,
	    "/etc/rsyslog.d/sub/x:2: authpriv.emerg messages reach no "
	    "local file: this line discards them first");
	test_replace(root_dir, "/etc/rsyslog.conf",
		     "$IncludeConfig /etc/rsyslog.d",
		     "$IncludeConfig /etc/rsyslog.d/");
	ck_assert_int_eq(check_rule("syslog.auth-local"), 1);
	assert_contains(run.out.ptr, "/etc/rsyslog.d/sub/x:2:");
}
END_TEST

/*
 * `$ActionExecOnlyWhenPreviousIsSuspended on`, even from an included
 * file, makes every action after it a fallback that rsyslogd runs only
 * while the one before it fails: no delivery for sure, until "off".
 * Apply refuses when its own line would be one.
 */
START_TEST(test_rsyslog_reader_legacy__fallback_actions)
{
	char *before, *after;

	test_write(root_dir, "/etc/rsyslog.d/10-fallback.conf",
		   "$ActionExecOnlyWhenPreviousIsSuspended on\n", 0644);
	ck_assert_int_eq(check_rule("syslog.auth-local"), 1);
	assert_contains(run.out.ptr, "auth.emerg messages reach no local file");
	test_write(root_dir, "/etc/rsyslog.d/20-on.conf",
		   "$ActionExecOnlyWhenPreviousIsSuspended off\n", 0644);
	ck_assert_msg(check_rule("syslog.auth-local") == 0, "%s",
		      hc_buf_cstr(&run.out));

	/* Set above the include, it makes apply's own line a fallback: refused.
	 */
	test_write(root_dir, "/etc/rsyslog.d/10-fallback.conf", "", 0644);
	test_write(root_dir, "/etc/rsyslog.d/20-on.conf", "", 0644);
	test_replace(
	    root_dir, "/etc/rsyslog.conf", "$IncludeConfig",
	    "$ActionExecOnlyWhenPreviousIsSuspended on\n$IncludeConfig");
	ck_assert_int_eq(check_rule("syslog.auth-local"), 1);
	before = test_state(root_dir);
	HARDCTL("apply", "-p", profile, "--rule", "syslog.auth-local");
	/* Refused, and nothing else to apply: nothing changed. */
	ck_assert_int_eq(run.status, 5);
	assert_contains(
	    run.err.ptr,
	    "refused: with the line apply adds, auth.emerg messages "
	    "would still reach no action it needs");
	after = test_state(root_dir);
	ck_assert_str_eq(before, after);
	free(before);
	free(after);
}
END_TEST

/*
 * A top-level action() takes every message: omdiscard discards them,
 * omfile writes them to a local file.
 */
START_TEST(test_rsyslog_reader_action__objects)
{
	test_write(root_dir, "/etc/rsyslog.d/10-drop.conf",
		   "action(type=\"omdiscard\")\n", 0644);
	ck_assert_int_eq(check_rule("syslog.auth-local"), 1);
	assert_contains(run.out.ptr, "/etc/rsyslog.d/10-drop.conf:1");
	test_write(root_dir, "/etc/rsyslog.d/05-all.conf",
		   "action(type=\"omfile\" file=\"/var/log/all.log\")\n", 0644);
	HARDCTL("check", "-p", profile, "--rule", "syslog.auth-local",
		"--format", "json");
	ck_assert_msg(run.status == 0, "%s", hc_buf_cstr(&run.out));
	assert_contains(run.out.ptr,
			"\"line\":1,\"found\":\"auth -> /var/log/all.log\"");
}
END_TEST

/*
 * The Red Hat file: authpriv to /var/log/secure, auth at info and
 * above to /var/log/messages: PASS; a drop-in stopping sshd's messages
 * makes it FAIL; apply's drop-in, read first, fixes it.
 */
START_TEST(test_rsyslog_reader_redhat__filter)
{
	char *before, *after;

	HARDCTL("check", "-p", profile, "--rule", "syslog.auth-local",
		"--format", "json");
	ck_assert_msg(run.status == 0, "%s", hc_buf_cstr(&run.out));
	assert_contains(run.out.ptr, "\"found\":\"auth -> /var/log/messages\"");
	assert_contains(run.out.ptr,
			"\"found\":\"authpriv -> /var/log/secure\"");
	test_write(root_dir, "/etc/rsyslog.d/sshd.conf",
		   "if $programname == 'sshd' then stop\n", 0644);
	ck_assert_int_eq(check_rule("syslog.auth-local"), 2);
	assert_contains(run.out.ptr, "/etc/rsyslog.d/sshd.conf:1");
	test_write(root_dir, "/etc/rsyslog.d/sshd.conf",
		   ":programname, isequal, \"sshd\" stop\n", 0644);
	ck_assert_int_eq(check_rule("syslog.auth-local"), 1);
	assert_contains(run.out.ptr, "/etc/rsyslog.d/sshd.conf:1");
	before = test_state(root_dir);
	HARDCTL("apply", "-p", profile, "--rule", "syslog.auth-local");
	ck_assert_msg(run.status == 0, "%s", hc_buf_cstr(&run.err));
	after = test_read(root_dir, "/etc/rsyslog.d/00-hardctl.conf");
	ck_assert_str_eq(after, "auth,authpriv.*\t/var/log/auth.log\n");
	free(after);
	ck_assert_int_eq(check_rule("syslog.auth-local"), 0);
	HARDCTL("rollback");
	after = test_state(root_dir);
	ck_assert_str_eq(before, after);
	free(before);
	free(after);
}
END_TEST

/* rsyslogd, run on ROOT's configuration ---------------------------------- */

static const char *rsyslogd_skip(void)
{
	if (geteuid() != 0)
		return "not root: cannot bind ROOT's rsyslog.d over /etc in a "
		       "mount namespace";
	if (access("/usr/sbin/rsyslogd", X_OK) != 0)
		return "no rsyslogd (apt-get install rsyslog)";
	if (access("/usr/bin/logger", X_OK) != 0 ||
	    access("/usr/bin/unshare", X_OK) != 0)
		return "no logger or unshare";
	if (access("/etc/rsyslog.d", F_OK) != 0 ||
	    access("/var/log", F_OK) != 0)
		return "no /etc/rsyslog.d or /var/log to bind the test's over";
	return NULL;
}

/*
 * What rsyslogd writes to /var/log/auth.log when sshd logs an authpriv
 * message: ROOT's rsyslog.conf (its input modules swapped for a socket
 * of the test's own) and rsyslog.d, with ROOT's rsyslog.d bound over
 * /etc/rsyslog.d and a scratch directory over /var/log, in a private
 * mount namespace.  Caller frees.
 */
static char *rsyslogd_auth_log(void)
{
	struct hc_buf conf = HC_BUF_INIT, script = HC_BUF_INIT;
	struct test_run r = {0};
	char *dir = test_mkdtemp(),
	     *text = test_read(root_dir, "/etc/rsyslog.conf"), *line;

	ck_assert_ptr_nonnull(text);
	hc_buf_printf(&conf,
		      "module(load=\"imuxsock\" SysSock.Use=\"off\")\n"
		      "input(type=\"imuxsock\" Socket=\"%s/log.sock\")\n",
		      dir);
	for (char *p = text; (line = strsep(&p, "\n")) != NULL;) {
		if (strncmp(line, "module(", 7) == 0 ||
		    strncmp(line, "$WorkDirectory", 14) == 0)
			continue;
		hc_buf_printf(&conf, "%s\n", line);
	}
	hc_buf_printf(&conf, "global(workDirectory=\"%s\")\n", dir);
	test_write(dir, "/rsyslog.conf", conf.ptr, 0644);
	test_mkdirs(dir, "/log");
	hc_buf_printf(
	    &script,
	    "set -e; d=\"$1\"; mount --bind \"$2/etc/rsyslog.d\" "
	    "/etc/rsyslog.d; "
	    "mount --bind \"$d/log\" /var/log; "
	    "rsyslogd -N1 -f \"$d/rsyslog.conf\" >/dev/null; "
	    "rsyslogd -n -f \"$d/rsyslog.conf\" -i \"$d/pid\" & pid=$!; "
	    "i=0; while [ ! -S \"$d/log.sock\" ] && [ $i -lt 100 ]; do sleep "
	    "0.05; "
	    "i=$((i+1)); done; "
	    "logger -u \"$d/log.sock\" -p authpriv.info -t sshd "
	    "'sshd-said-this'; "
	    "logger -u \"$d/log.sock\" -p authpriv.info -t login "
	    "'login-said-this'; "
	    "i=0; while ! grep -qs login-said-this /var/log/auth.log && [ $i "
	    "-lt 100 ]; "
	    "do sleep 0.05; i=$((i+1)); done; "
	    "kill $pid; wait $pid || true; cat /var/log/auth.log");
	TEST_RUN(&r, "/usr/bin/unshare", "-m", "sh", "-c", script.ptr, "sh",
		 dir, root_dir);
	ck_assert_msg(r.status == 0, "rsyslogd: %s%s", hc_buf_cstr(&r.out),
		      hc_buf_cstr(&r.err));
	free(text);
	text = hc_strdup(hc_buf_cstr(&r.out));
	test_run_release(&r);
	hc_buf_release(&conf);
	hc_buf_release(&script);
	test_rmtree(dir);
	free(dir);
	return text;
}

/*
 * The daemon agrees: with a drop-in stopping sshd's messages read
 * before auth.log's line, rsyslogd writes login's message and loses
 * sshd's, and hardctl says FAIL; after apply it writes both, and
 * hardctl says PASS.
 */
START_TEST(test_rsyslog_reader_daemon__agrees)
{
	const char *skip = test_oracle(rsyslogd_skip());
	char *log;

	if (skip) {
		fprintf(stderr, "skipped: %s\n", skip);
		return;
	}
	test_write(root_dir, "/etc/rsyslog.d/00-a.conf",
		   ":programname, isequal, \"sshd\" stop\n", 0644);
	log = rsyslogd_auth_log();
	assert_contains(log, "login-said-this");
	ck_assert_msg(strstr(log, "sshd-said-this") == NULL, "%s", log);
	free(log);
	ck_assert_int_eq(check_rule("syslog.auth-local"), 1);

	HARDCTL("apply", "-p", profile, "--rule", "syslog.auth-local");
	ck_assert_msg(run.status == 0, "%s", hc_buf_cstr(&run.err));
	ck_assert_int_eq(check_rule("syslog.auth-local"), 0);
	log = rsyslogd_auth_log();
	assert_contains(log, "login-said-this");
	assert_contains(log, "sshd-said-this");
	free(log);
}
END_TEST

/*
 * A file under /dev keeps no record: rsyslogd writing auth's messages
 * to /dev/null (however the path is spelt) or a terminal, then stopping
 * them, loses them as a discard does.  FAIL, and after apply rsyslogd
 * writes sshd's message to auth.log again.
 */
START_TEST(test_rsyslog_reader_action__device_is_no_local_file)
{
	const char *skip = test_oracle(rsyslogd_skip());
	char *log;

	test_replace(root_dir, "/etc/rsyslog.conf", "/var/log/auth.log",
		     "/dev/tty9");
	ck_assert_int_eq(check_rule("syslog.auth-local"), 1);
	assert_contains(run.out.ptr, "reach no local file");
	test_replace(root_dir, "/etc/rsyslog.conf", "/dev/tty9",
		     "/var/log/auth.log");
	test_write(root_dir, "/etc/rsyslog.d/00-a.conf",
		   ":programname, isequal, \"sshd\" "
		   "/var/log/../../dev/./null\n& stop\n",
		   0644);
	ck_assert_int_eq(check_rule("syslog.auth-local"), 1);
	assert_contains(run.out.ptr, "/etc/rsyslog.d/00-a.conf:");
	if (skip) {
		fprintf(stderr, "skipped: %s\n", skip);
	} else {
		log = rsyslogd_auth_log();
		assert_contains(log, "login-said-this");
		ck_assert_msg(strstr(log, "sshd-said-this") == NULL, "%s", log);
		free(log);
	}

	HARDCTL("apply", "-p", profile, "--rule", "syslog.auth-local");
	ck_assert_msg(run.status == 0, "%s", hc_buf_cstr(&run.err));
	ck_assert_int_eq(check_rule("syslog.auth-local"), 0);
	if (!skip) {
		log = rsyslogd_auth_log();
		assert_contains(log, "sshd-said-this");
		free(log);
	}
}
END_TEST

static void unlink_in(const char *path)
{
	char full[4096];

	snprintf(full, sizeof(full), "%s%s", root_dir, path);
	ck_assert_int_eq(unlink(full), 0);
}

/*
 * rsyslogd opens the file through its symlinks: /var/log/auth.log ->
 * /dev/null in ROOT (or a chain of links ending on a terminal) keeps no
 * record.  FAIL; apply, whose line would write the same file, refuses
 * and changes nothing.
 */
START_TEST(test_rsyslog_reader_action__link_to_device_is_no_local_file)
{
	char *before, *after;

	test_mkdirs(root_dir, "/var/log");
	test_link(root_dir, "/var/log/auth.log", "../../dev/null");
	ck_assert_int_eq(check_rule("syslog.auth-local"), 1);
	assert_contains(run.out.ptr, "reach no local file");
	before = test_state(root_dir);
	HARDCTL("apply", "-p", profile, "--rule", "syslog.auth-local");
	ck_assert_int_ne(run.status, 0);
	after = test_state(root_dir);
	ck_assert_str_eq(after, before);
	free(before);
	free(after);

	unlink_in("/var/log/auth.log");
	test_link(root_dir, "/var/log/auth.log", "auth.real");
	test_link(root_dir, "/var/log/auth.real", "/dev/tty1");
	ck_assert_int_eq(check_rule("syslog.auth-local"), 1);
	unlink_in("/var/log/auth.real");
	test_write(root_dir, "/var/log/auth.real", "", 0640);
	ck_assert_int_eq(check_rule("syslog.auth-local"), 0);
}
END_TEST

Suite *rsyslog_reader_suite(void)
{
	Suite *s = suite_create("rsyslog_reader");
	TCase *tc = tcase_create("debian12");

	tcase_add_checked_fixture(tc, setup_debian, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_rsyslog_reader_filter__discard_fails);
	tcase_add_test(tc, test_rsyslog_reader_filter__facility_severity);
	tcase_add_test(tc, test_rsyslog_reader_apply__above_discard);
	tcase_add_test(tc, test_rsyslog_reader_unjudged__error);
	tcase_add_test(tc, test_rsyslog_reader_action__objects);
	tcase_add_test(tc, test_rsyslog_reader_include__directory);
	tcase_add_test(tc, test_rsyslog_reader_legacy__fallback_actions);
	tcase_add_test(tc, test_rsyslog_reader_daemon__agrees);
	tcase_add_test(tc, test_rsyslog_reader_action__device_is_no_local_file);
	tcase_add_test(
	    tc, test_rsyslog_reader_action__link_to_device_is_no_local_file);
	suite_add_tcase(s, tc);

	tc = tcase_create("redhat");
	tcase_add_checked_fixture(tc, setup_redhat, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_rsyslog_reader_redhat__filter);
	suite_add_tcase(s, tc);
	return s;
}
