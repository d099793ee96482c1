/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The audit trail where administrators look: one syslog record per
 * transaction, read back from a datagram socket the test binds
 * (HARDCTL_LOG_SOCKET), who ran it in the store's commits and in log,
 * the watchdog's rollback marked as its own, and etckeeper's commit
 * after an apply or a rollback, run as a stand-in on PATH records it.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>
#include "hardctl/audit.h"
#include "test.h"

static char *root_dir, *tmp_dir, *real_root;
static char sock_path[256];
static int sock = -1;
static struct test_run run;

#define HARDCTL(...) TEST_HARDCTL(&run, __VA_ARGS__)

/* Banners shut nobody out; the whole profile on the demo root would. */
#define RULES "--rule", "banner.issue", "--rule", "banner.issue-net"

static void setup(void)
{
	struct sockaddr_un addr = {.sun_family = AF_UNIX};

	root_dir = test_demo_root();
	ck_assert_ptr_nonnull(real_root = realpath(root_dir, NULL));
	tmp_dir = test_mkdtemp();
	snprintf(sock_path, sizeof(sock_path), "%s/log", tmp_dir);
	ck_assert_uint_lt(strlen(sock_path), sizeof(addr.sun_path));
	memcpy(addr.sun_path, sock_path, strlen(sock_path) + 1);
	ck_assert_int_ge(sock = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0),
			 0);
	ck_assert_int_eq(
	    bind(sock, (const struct sockaddr *)&addr, sizeof(addr)), 0);
	ck_assert_int_eq(setenv("HARDCTL_LOG_SOCKET", sock_path, 1), 0);
	unsetenv("SUDO_USER");
	memset(&run, 0, sizeof(run));
}

static void teardown(void)
{
	if (sock >= 0)
		close(sock);
	sock = -1;
	test_run_release(&run);
	test_rmtree(root_dir);
	test_rmtree(tmp_dir);
	free(root_dir);
	free(tmp_dir);
	free(real_root);
}

/* The next record, waiting up to MS milliseconds; NULL if none came. */
static char *next_record(int ms)
{
	struct pollfd p = {.fd = sock, .events = POLLIN};
	char buf[4096];
	ssize_t n;

	if (poll(&p, 1, ms) <= 0)
		return NULL;
	ck_assert_int_gt(n = recv(sock, buf, sizeof(buf) - 1, 0), 0);
	buf[n] = '\0';
	return strdup(buf);
}

/* The one record a command sent: it must have come, and no second. */
static char *only_record(void)
{
	char *r = next_record(0), *more;

	ck_assert_msg(r != NULL, "no record; stderr: %s", run.err.ptr);
	more = next_record(0);
	ck_assert_msg(more == NULL, "a second record: %s", more);
	return r;
}

/* "<PRI>Mmm dd hh:mm:ss hardctl[PID]: ACTION": what syslog(3) sends. */
static void assert_header(const char *r, int pri, const char *action)
{
	char head[16], tag[64], month[4];
	int day, h, m, s, pid, len = 0;

	snprintf(head, sizeof(head), "<%d>", pri);
	ck_assert_msg(strncmp(r, head, strlen(head)) == 0, "PRI %d: %s", pri,
		      r);
	ck_assert_msg(sscanf(r + strlen(head),
			     "%3s %2d %2d:%2d:%2d hardctl[%d]: %n", month, &day,
			     &h, &m, &s, &pid, &len) == 6 &&
			  len > 0,
		      "header: %s", r);
	ck_assert(strstr("JanFebMarAprMayJunJulAugSepOctNovDec", month));
	ck_assert_int_eq(r[strlen(head) + 3], ' ');
	snprintf(tag, sizeof(tag), "%s ", action);
	ck_assert_msg(strncmp(r + strlen(head) + len, tag, strlen(tag)) == 0,
		      "action %s: %s", action, r);
	ck_assert_uint_le(strlen(r), HC_AUDIT_MAX);
	for (const char *p = r; *p; p++)
		ck_assert_msg((unsigned char)*p >= 0x20 && *p != 0x7f,
			      "a control character in: %s", r);
}

/* 'root="ROOT"' as the record names it. */
static void assert_root(const char *r)
{
	char want[4200];

	snprintf(want, sizeof(want), " root=\"%s\"", real_root);
	assert_contains(r, want);
}

/* The audit login uid, as the test (and hardctl, its child) has it. */
static void who_login(char out[64])
{
	FILE *fp = fopen("/proc/self/loginuid", "r");
	unsigned long v = 4294967295UL;

	if (fp) {
		if (fscanf(fp, "%lu", &v) != 1)
			v = 4294967295UL;
		fclose(fp);
	}
	if (v == 4294967295UL)
		snprintf(out, 64, "login uid unset");
	else
		snprintf(out, 64, "login uid %lu", v);
}

/* The newest store commit's message, by stock git. */
static char *commit_message(void)
{
	char dir[4200];
	char *msg;

	snprintf(dir, sizeof(dir), "--git-dir=%s/var/lib/hardctl/oldconf",
		 root_dir);
	TEST_RUN(&run, "/usr/bin/git", dir, "log", "-1", "--format=%B");
	ck_assert_msg(run.status == 0, "%s", run.err.ptr);
	msg = strdup(run.out.ptr);
	ck_assert_ptr_nonnull(msg);
	return msg;
}

/* A trailer's value in MSG ("" when absent), into OUT. */
static void trailer(char *out, size_t size, const char *msg, const char *key)
{
	char k[64];
	const char *p;

	snprintf(k, sizeof(k), "\n%s: ", key);
	out[0] = '\0';
	if ((p = strstr(msg, k)) == NULL)
		return;
	p += strlen(k);
	snprintf(out, size, "%.*s", (int)strcspn(p, "\n"), p);
}

START_TEST(test_audit_log__apply_record_names_everything)
{
	char *r, *msg, sha[128], want[256], login[64];

	who_login(login);
	ck_assert_int_eq(setenv("SUDO_USER", "alice", 1), 0);
	HARDCTL("--root", root_dir, "apply", RULES);
	ck_assert_msg(run.status == 0, "%s", run.err.ptr);
	r = only_record();
	assert_header(r, 10 * 8 + 5, "apply"); /* LOG_AUTHPRIV|LOG_NOTICE */
	assert_contains(r, " outcome=\"applied\"");
	assert_root(r);
	assert_contains(r, " txn=1 ");
	assert_contains(r, " rules=2:\"banner.issue\",\"banner.issue-net\"");
	assert_contains(r, " files=2:\"/etc/issue\",\"/etc/issue.net\"");
	assert_contains(r, " profile=\"");
	snprintf(want, sizeof(want), "who=\"uid 0 (root), %s", login);
	assert_contains(r, want);
	assert_contains(r, ", SUDO_USER alice (claimed)\"");
	/* The digest is the store's. */
	msg = commit_message();
	trailer(sha, sizeof(sha), msg, "Profile-SHA256");
	ck_assert_uint_eq(strlen(sha), 64);
	snprintf(want, sizeof(want), " sha256=\"%s\"", sha);
	assert_contains(r, want);
	/* The same who in the commit, as trailers. */
	trailer(want, sizeof(want), msg, "UID");
	ck_assert_str_eq(want, "0 (root)");
	trailer(want, sizeof(want), msg, "Sudo-User");
	ck_assert_str_eq(want, "alice (claimed)");
	trailer(want, sizeof(want), msg, "Login-UID");
	ck_assert_str_eq(want, strcmp(login, "login uid unset") == 0
				   ? "unset"
				   : want); /* a name follows a set one */
	assert_lacks(msg, "\nUser: ");
	free(msg);
	free(r);
	/* And in log. */
	HARDCTL("--root", root_dir, "log");
	assert_contains(run.out.ptr, "by uid 0 (root), ");
	assert_contains(run.out.ptr, ", SUDO_USER alice (claimed)\n");
}
END_TEST

START_TEST(test_audit_log__rollback_whole_and_rule)
{
	char *r;

	HARDCTL("--root", root_dir, "apply", RULES);
	ck_assert_msg(run.status == 0, "%s", run.err.ptr);
	free(only_record());
	HARDCTL("--root", root_dir, "rollback", "--rule", "banner.issue");
	ck_assert_msg(run.status == 0, "%s", run.err.ptr);
	r = only_record();
	assert_header(r, 85, "rollback");
	assert_contains(r, " outcome=\"rolled back\"");
	assert_root(r);
	assert_contains(r, " txn=2 undoes=1 undoes_rule=\"banner.issue\"");
	assert_contains(r, " rules=1:\"banner.issue\"");
	assert_contains(r, " files=1:\"/etc/issue\"");
	assert_lacks(r, "by=");
	free(r);
	HARDCTL("--root", root_dir, "rollback", "1");
	ck_assert_msg(run.status == 0, "%s", run.err.ptr);
	r = only_record();
	assert_header(r, 85, "rollback");
	assert_contains(r, " txn=3 undoes=1 ");
	assert_contains(r, " files=1:\"/etc/issue.net\"");
	free(r);
	/* A dry run changes nothing and is no record. */
	HARDCTL("--root", root_dir, "rollback", "3", "--dry-run");
	ck_assert_msg(run.status == 0, "%s", run.err.ptr);
	ck_assert_ptr_null(next_record(0));
	HARDCTL("--root", root_dir, "apply", RULES, "--dry-run");
	ck_assert_ptr_null(next_record(0));
}
END_TEST

/* The lockout judgment refuses the whole profile on the demo root. */
START_TEST(test_audit_log__refused_is_a_warning)
{
	char *before, *now, *r;

	/* Its administrator's password expired long ago. */
	test_rmtree(root_dir);
	free(root_dir);
	root_dir = test_demo_root_as_shipped();
	free(real_root);
	ck_assert_ptr_nonnull(real_root = realpath(root_dir, NULL));
	before = test_state(root_dir);
	HARDCTL("--root", root_dir, "apply");
	ck_assert_int_ne(run.status, 0);
	now = test_state(root_dir);
	ck_assert_str_eq(now, before);
	r = only_record();
	assert_header(r, 10 * 8 + 4, "apply"); /* LOG_WARNING */
	assert_contains(r, " outcome=\"refused\"");
	assert_lacks(r, " txn=");
	free(r);
	free(now);
	free(before);
}
END_TEST

/* A conflict refuses a rollback: that is a record too. */
START_TEST(test_audit_log__conflicting_rollback_refused)
{
	char *r;

	HARDCTL("--root", root_dir, "apply", "--rule", "banner.issue");
	ck_assert_msg(run.status == 0, "%s", run.err.ptr);
	free(only_record());
	test_write(root_dir, "/etc/issue", "edited by hand\n", 0644);
	HARDCTL("--root", root_dir, "rollback");
	ck_assert_int_ne(run.status, 0);
	r = only_record();
	assert_header(r, 84, "rollback");
	assert_contains(r, " outcome=\"refused: files changed since\"");
	assert_contains(r, " undoes=1 ");
	free(r);
}
END_TEST

START_TEST(test_audit_log__missing_socket_is_silent)
{
	char path[300];

	snprintf(path, sizeof(path), "%s/none", tmp_dir);
	ck_assert_int_eq(setenv("HARDCTL_LOG_SOCKET", path, 1), 0);
	HARDCTL("--root", root_dir, "apply", RULES);
	ck_assert_msg(run.status == 0, "%s", run.err.ptr);
	assert_lacks(run.err.ptr, "warning");
	assert_lacks(run.err.ptr, "syslog");
}
END_TEST

/* Not a socket that listens: one warning, and the change is made. */
START_TEST(test_audit_log__send_error_warns_once)
{
	char path[300], *issue;
	const char *p;
	size_t n = 0;

	snprintf(path, sizeof(path), "%s/file", tmp_dir);
	test_write(tmp_dir, "/file", "", 0600);
	ck_assert_int_eq(setenv("HARDCTL_LOG_SOCKET", path, 1), 0);
	HARDCTL("--root", root_dir, "apply", RULES);
	ck_assert_msg(run.status == 0, "%s", run.err.ptr);
	for (p = run.err.ptr; (p = strstr(p, "warning:")); p++)
		n++;
	ck_assert_msg(n == 1, "%s", run.err.ptr);
	assert_contains(run.err.ptr, "not in syslog");
	assert_contains(run.out.ptr, "transaction 1:");
	issue = test_read(root_dir, "/etc/issue");
	ck_assert_ptr_nonnull(issue);
	free(issue);
}
END_TEST

/*
 * A ROOT named with a newline and an escape sequence, and a SUDO_USER
 * that tries to forge a trailer: escaped in the record, the commit and
 * log.
 */
START_TEST(test_audit_log__hostile_names_escaped)
{
	char hostile[4200], cmd[9000], *r, *msg, v[256];

	snprintf(hostile, sizeof(hostile), "%s/r\n\033[31mx", tmp_dir);
	snprintf(cmd, sizeof(cmd), "cp -a '%s' '%s'", root_dir, hostile);
	ck_assert_int_eq(system(cmd), 0);
	ck_assert_int_eq(
	    setenv("SUDO_USER", "alice\nUID: 1000 (forged)\033[2J", 1), 0);
	HARDCTL("--root", hostile, "apply", RULES);
	ck_assert_msg(run.status == 0, "%s", run.err.ptr);
	r = only_record();
	assert_header(r, 85, "apply");
	assert_contains(r, "/r\\n\\x1b[31mx\"");
	assert_contains(r, "SUDO_USER alice\\nUID: 1000 (forged)\\x1b[2J");
	free(r);
	free(root_dir);
	ck_assert_ptr_nonnull(root_dir = strdup(hostile));
	msg = commit_message();
	trailer(v, sizeof(v), msg, "UID");
	ck_assert_str_eq(v, "0 (root)");
	trailer(v, sizeof(v), msg, "Sudo-User");
	ck_assert_str_eq(v, "alice\\nUID: 1000 (forged)\\x1b[2J (claimed)");
	free(msg);
}
END_TEST

START_TEST(test_audit_log__long_lists_bounded)
{
	const char *rules[300], *files[300];
	char names[300][40];
	struct hc_audit_event ev = {.action = "apply",
				    .root = "/",
				    .outcome = HC_AUDIT_FAILED,
				    .outcome_text = "failed",
				    .rules = rules,
				    .nrules = 300,
				    .files = files,
				    .nfiles = 300};
	struct hc_who who = {.loginuid = -1};
	struct hc_buf out = HC_BUF_INIT;

	for (size_t i = 0; i < 300; i++) {
		snprintf(names[i], sizeof(names[i]), "module.rule-%zu", i);
		rules[i] = names[i];
		files[i] = "/etc/a-file";
	}
	ck_assert_int_eq(hc_audit_format(&out, &ev, &who, 42, 0), 0);
	ck_assert_uint_le(out.size, HC_AUDIT_MAX);
	ck_assert_int_eq(strncmp(out.ptr, "<83>", 4), 0); /* LOG_ERR */
	assert_contains(out.ptr, " hardctl[42]: apply ");
	assert_contains(out.ptr, " rules=300:\"module.rule-0\",");
	assert_contains(out.ptr, ",...");
	hc_buf_release(&out);
}
END_TEST

/*
 * What confirms a transaction is a record; a confirm of nothing is not.
 * The window is long: under valgrind, apply and confirm take seconds each.
 */
START_TEST(test_audit_log__confirm_record)
{
	char *r;

	HARDCTL("--root", root_dir, "apply", RULES, "--confirm-within", "30m");
	ck_assert_msg(run.status == 0, "%s", run.err.ptr);
	r = only_record();
	assert_contains(r, " detail=\"awaits confirmation\"");
	free(r);
	HARDCTL("--root", root_dir, "confirm");
	ck_assert_msg(run.status == 0, "%s", run.err.ptr);
	r = only_record();
	assert_header(r, 85, "confirm");
	assert_contains(r, " outcome=\"confirmed\"");
	assert_root(r);
	assert_contains(r, " txn=1 ");
	assert_contains(r, " sha256=\"");
	assert_contains(r, " rules=2:\"banner.issue\",\"banner.issue-net\"");
	free(r);
	HARDCTL("--root", root_dir, "confirm");
	ck_assert_ptr_null(next_record(0));
}
END_TEST

/*
 * The watchdog's rollback: its record says by="watchdog", its commit
 * Rolled-back-by, and log "(watchdog: not confirmed by ...)".
 */
START_TEST(test_audit_log__watchdog_rollback_marked)
{
	char *r, *msg, v[128];

	HARDCTL("--root", root_dir, "apply", RULES, "--confirm-within", "1s");
	ck_assert_msg(run.status == 0, "%s", run.err.ptr);
	/* The watchdog's may have come already: under valgrind, the apply
	 * outlives its second. */
	ck_assert_ptr_nonnull(r = next_record(0));
	assert_header(r, 85, "apply");
	free(r);
	r = next_record(30 * 1000);
	ck_assert_msg(r != NULL, "the watchdog sent no record");
	assert_header(r, 85, "rollback");
	assert_contains(r, " outcome=\"rolled back\"");
	assert_root(r);
	assert_contains(r, " txn=2 undoes=1 by=\"watchdog\"");
	assert_contains(r, " detail=\"not confirmed by 20");
	free(r);
	msg = commit_message();
	trailer(v, sizeof(v), msg, "Rolled-back-by");
	ck_assert_str_eq(v, "watchdog");
	trailer(v, sizeof(v), msg, "Rolled-back-why");
	ck_assert_int_eq(strncmp(v, "not confirmed by 20", 19), 0);
	free(msg);
	HARDCTL("--root", root_dir, "log");
	assert_contains(run.out.ptr, "undoes 1 (watchdog: not confirmed by 20");
	HARDCTL("--root", root_dir, "rollback", "2");
	ck_assert_msg(run.status == 0, "%s", run.err.ptr);
	HARDCTL("--root", root_dir, "log");
	ck_assert_msg(strstr(run.out.ptr, "undoes 2  by") != NULL, "%s",
		      run.out.ptr);
}
END_TEST

#ifdef HARDCTL_FAULT_INJECTION
/* A crash after the store marked it pending: recovery is a record. */
START_TEST(test_audit_log__recovery_record)
{
	char spec[32], *r;
	const char *p;
	unsigned int point = 0;

	ck_assert_int_eq(setenv("HARDCTL_FAULT", "trace", 1), 0);
	HARDCTL("--root", root_dir, "apply", RULES);
	unsetenv("HARDCTL_FAULT");
	ck_assert_msg(run.status == 0, "%s", run.err.ptr);
	/* The first file written, the transaction marked pending. */
	ck_assert_ptr_nonnull(p = strstr(run.err.ptr, ": store.pending\n"));
	ck_assert_ptr_nonnull(p = strstr(p, ": file.write\n"));
	while (p > run.err.ptr && p[-1] != ' ')
		p--;
	point = (unsigned int)strtoul(p, NULL, 10);
	ck_assert_uint_gt(point, 0);
	free(next_record(0));
	test_rmtree(root_dir);
	free(root_dir);
	root_dir = test_demo_root();
	free(real_root);
	ck_assert_ptr_nonnull(real_root = realpath(root_dir, NULL));
	snprintf(spec, sizeof(spec), "crash:%u", point);
	ck_assert_int_eq(setenv("HARDCTL_FAULT", spec, 1), 0);
	HARDCTL("--root", root_dir, "apply", RULES);
	unsetenv("HARDCTL_FAULT");
	ck_assert_int_ne(run.status, 0);
	ck_assert_ptr_null(next_record(0)); /* killed: it said nothing */
	HARDCTL("--root", root_dir, "recover");
	ck_assert_msg(run.status == 0, "%s", run.err.ptr);
	r = only_record();
	assert_header(r, 85, "recover");
	assert_contains(r, " outcome=\"rolled back\"");
	assert_root(r);
	assert_contains(r, " txn=1 ");
	assert_contains(r, " detail=\"");
	free(r);
}
END_TEST
#endif

#ifdef HARDCTL_FAULT_INJECTION
/*
 * A stand-in etckeeper on PATH that records its cwd and arguments, with
 * ROOT counted as the running system: etckeeper is run only there.
 */
static void stand_in(const char *body)
{
	char path[4300], bin[4200], text[8192];

	snprintf(bin, sizeof(bin), "%s/bin", tmp_dir);
	ck_assert_int_eq(mkdir(bin, 0755), 0);
	snprintf(path, sizeof(path), "%s/etckeeper", bin);
	snprintf(text, sizeof(text),
		 "#!/bin/sh\n"
		 "{ pwd; for a in \"$@\"; do printf '[%%s]\\n' \"$a\"; done; } "
		 ">> '%s/calls'\n%s\n",
		 tmp_dir, body);
	test_write("", path, text, 0755);
	snprintf(text, sizeof(text), "%s:%s", bin, getenv("PATH"));
	ck_assert_int_eq(setenv("PATH", text, 1), 0);
	ck_assert_int_eq(setenv("HARDCTL_TEST_LIVE_ROOT", root_dir, 1), 0);
}

static char *calls(void)
{
	return test_read(tmp_dir, "/calls");
}

START_TEST(test_audit_log__etckeeper_commits)
{
	char want[8192], *c;

	stand_in("exit 0");
	test_write(root_dir, "/etc/.etckeeper", "", 0600);
	HARDCTL("--root", root_dir, "apply", RULES, "--dry-run");
	ck_assert_ptr_null(calls());
	HARDCTL("--root", root_dir, "diff", RULES);
	ck_assert_ptr_null(calls());
	HARDCTL("--root", root_dir, "check", RULES);
	ck_assert_ptr_null(calls());
	HARDCTL("--root", root_dir, "apply", RULES);
	ck_assert_msg(run.status == 0, "%s", run.err.ptr);
	assert_lacks(run.err.ptr, "warning");
	c = calls();
	ck_assert_ptr_nonnull(c);
	snprintf(want, sizeof(want),
		 "[commit]\n[-d]\n[%s/etc]\n[hardctl: transaction 1 (apply) "
		 "profile ",
		 root_dir);
	assert_contains(c, want);
	free(c);
	test_rmtree(tmp_dir);
	ck_assert_int_eq(mkdir(tmp_dir, 0700), 0);
	stand_in("exit 0");
	HARDCTL("--root", root_dir, "rollback");
	ck_assert_msg(run.status == 0, "%s", run.err.ptr);
	c = calls();
	ck_assert_ptr_nonnull(c);
	snprintf(want, sizeof(want),
		 "[commit]\n[-d]\n[%s/etc]\n[hardctl: transaction 2 "
		 "(rollback of 1) profile ",
		 root_dir);
	assert_contains(c, want);
	free(c);
}
END_TEST

START_TEST(test_audit_log__etckeeper_only_when_there)
{
	char *c;

	stand_in("exit 0");
	HARDCTL("--root", root_dir, "apply", "--rule", "banner.issue");
	ck_assert_msg(run.status == 0, "%s", run.err.ptr);
	ck_assert_ptr_null(calls());
	/* A symlink is not etckeeper's mark: it could lead out of ROOT. */
	test_link(root_dir, "/etc/.etckeeper", "/etc/passwd");
	HARDCTL("--root", root_dir, "apply", "--rule", "banner.issue-net");
	ck_assert_msg(run.status == 0, "%s", run.err.ptr);
	ck_assert_ptr_null(c = calls());
}
END_TEST

START_TEST(test_audit_log__etckeeper_failures_warn)
{
	char path[4200];

	stand_in("exit 3");
	test_write(root_dir, "/etc/.etckeeper", "", 0600);
	HARDCTL("--root", root_dir, "apply", "--rule", "banner.issue");
	ck_assert_msg(run.status == 0, "%s", run.err.ptr);
	assert_contains(run.err.ptr, "etckeeper commit failed (exit 3)");
	/* No etckeeper at all: one warning, the change made. */
	snprintf(path, sizeof(path), "%s/bin/etckeeper", tmp_dir);
	ck_assert_int_eq(unlink(path), 0);
	ck_assert_int_eq(setenv("PATH", "/usr/bin:/bin", 1), 0);
	HARDCTL("--root", root_dir, "apply", "--rule", "banner.issue-net");
	ck_assert_msg(run.status == 0, "%s", run.err.ptr);
	assert_contains(run.err.ptr, "etckeeper is not in PATH");
	assert_contains(run.out.ptr, "transaction 2:");
}
END_TEST
#endif

Suite *audit_log_suite(void)
{
	Suite *s = suite_create("audit_log");
	TCase *tc = tcase_create("audit_log");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_audit_log__apply_record_names_everything);
	tcase_add_test(tc, test_audit_log__rollback_whole_and_rule);
	tcase_add_test(tc, test_audit_log__refused_is_a_warning);
	tcase_add_test(tc, test_audit_log__conflicting_rollback_refused);
	tcase_add_test(tc, test_audit_log__missing_socket_is_silent);
	tcase_add_test(tc, test_audit_log__send_error_warns_once);
	tcase_add_test(tc, test_audit_log__hostile_names_escaped);
	tcase_add_test(tc, test_audit_log__long_lists_bounded);
	tcase_add_test(tc, test_audit_log__confirm_record);
	tcase_add_test(tc, test_audit_log__watchdog_rollback_marked);
#ifdef HARDCTL_FAULT_INJECTION
	tcase_add_test(tc, test_audit_log__recovery_record);
	tcase_add_test(tc, test_audit_log__etckeeper_commits);
	tcase_add_test(tc, test_audit_log__etckeeper_only_when_there);
	tcase_add_test(tc, test_audit_log__etckeeper_failures_warn);
#endif
	suite_add_tcase(s, tc);
	return s;
}
