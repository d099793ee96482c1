/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * hardctl's reading of sshd_config against sshd's own: Include
 * arguments quoted as sshd unquotes them, Include trees that loop or fan
 * out, a Match in an included file, and configurations sshd refuses.
 * sshd -T and -t are the judges: they run in a private mount namespace
 * with the test root's /etc/ssh bound over the host's (root, unshare and
 * sshd needed; skipped with the reason otherwise).
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "hardctl/run.h"
#include "sshd_config.h"
#include "test.h"

#define PRL "root-access.sshd-permit-root-login"
#define BANNER "banner.sshd-banner"
#define ALICE "user=alice,host=client.example,addr=192.0.2.10"
#define BOB "user=bob,host=client.example,addr=192.0.2.10"

static char *root_dir;
static struct test_run run;

#define HARDCTL(...) TEST_HARDCTL(&run, "--root", root_dir, __VA_ARGS__)

static void setup_debian(void)
{
	root_dir = test_root("debian12");
}

static void setup_demo(void)
{
	root_dir = test_demo_root();
}

static void teardown(void)
{
	test_run_release(&run);
	test_rmtree(root_dir);
	free(root_dir);
	root_dir = NULL;
}

/* Why sshd cannot be asked here, or NULL. */
static const char *no_sshd(void)
{
	if (geteuid() != 0)
		return "not root: cannot bind /etc/ssh in a mount namespace";
	if (access("/usr/bin/unshare", X_OK) != 0)
		return "no unshare";
	if (access("/usr/sbin/sshd", X_OK) != 0 ||
	    access("/usr/bin/ssh-keygen", X_OK) != 0)
		return "no sshd or ssh-keygen";
	if (access("/run/sshd", F_OK) != 0)
		return "no /run/sshd";
	return NULL;
}

#define NEED_SSHD()                                                            \
	do {                                                                   \
		const char *why_ = test_oracle(no_sshd());                     \
		if (why_) {                                                    \
			fprintf(stderr, "%s: skipped: %s\n", __func__, why_);  \
			return;                                                \
		}                                                              \
	} while (0)

/*
 * sshd's own reading of ROOT's configuration: `sshd -T` (with -C CONN
 * unless NULL) with ROOT's /etc/ssh bound over /etc/ssh, and a throwaway
 * host key.  Its output and exit status in R.
 */
static void sshd_T(struct test_run *r, const char *conn)
{
	struct hc_buf script = HC_BUF_INIT;

	hc_buf_printf(
	    &script,
	    "k=$(mktemp -d) && ssh-keygen -q -t ed25519 -N '' -f \"$k/key\" && "
	    "mount --bind \"$1/etc/ssh\" /etc/ssh && "
	    "/usr/sbin/sshd -T -f /etc/ssh/sshd_config -h \"$k/key\" %s%s "
	    "2>&1; "
	    "s=$?; rm -rf \"$k\"; exit $s",
	    conn ? "-C " : "", conn ? conn : "");
	TEST_RUN(r, "/usr/bin/unshare", "-m", "sh", "-c", script.ptr, "sh",
		 root_dir);
	hc_buf_release(&script);
}

/* sshd -T for CONN prints LINE ("keyword value", lowercase as sshd prints it).
 */
static void assert_sshd_says(const char *conn, const char *line)
{
	struct test_run r = {0};
	size_t klen = strcspn(line, " ");
	const char *p;

	sshd_T(&r, conn);
	ck_assert_msg(r.status == 0, "sshd -T: %.300s", hc_buf_cstr(&r.out));
	for (p = hc_buf_cstr(&r.out); p;
	     p = strchr(p, '\n'), p = p ? p + 1 : NULL)
		if (strncmp(p, line, klen + 1) == 0)
			break;
	ck_assert_msg(p != NULL, "sshd -T prints no %.*s", (int)klen, line);
	ck_assert_msg(strncmp(p, line, strlen(line)) == 0 &&
			  (p[strlen(line)] == '\n' || !p[strlen(line)]),
		      "sshd -T for %s: %.*s, not %s", conn ? conn : "-",
		      (int)strcspn(p, "\n"), p, line);
	test_run_release(&r);
}

/* sshd -T refuses ROOT's configuration, saying WHY. */
static void assert_sshd_refuses(const char *why)
{
	struct test_run r = {0};

	sshd_T(&r, NULL);
	ck_assert_msg(r.status != 0, "sshd -T accepts: %.300s",
		      hc_buf_cstr(&r.out));
	assert_contains(hc_buf_cstr(&r.out), why);
	test_run_release(&r);
}

/*
 * sshd unquotes Include's arguments: "..." and '...' may hold blanks.
 * check finds the value in the quoted directory's file, apply fixes it
 * there, sshd agrees at each step, and rollback restores the bytes.
 */
START_TEST(test_sshd_reader_include__quoted_arguments)
{
	char *before, *after, *text;

	NEED_SSHD();
	test_replace(root_dir, "/etc/ssh/sshd_config",
		     "Include /etc/ssh/sshd_config.d/*.conf\n",
		     "Include \"/etc/ssh/site conf.d/*.conf\" "
		     "'sshd_config.d/*.conf' # local\n");
	test_write(root_dir, "/etc/ssh/site conf.d/10-site.conf",
		   "PermitRootLogin yes\n", 0644);
	assert_sshd_says(ALICE, "permitrootlogin yes");
	HARDCTL("check", "--rule", PRL);
	ck_assert_msg(run.status == 1, "%d: %s%s", run.status, run.out.ptr,
		      hc_buf_cstr(&run.err));
	assert_contains(
	    run.out.ptr,
	    "/etc/ssh/site conf.d/10-site.conf:1: PermitRootLogin yes");

	before = test_state(root_dir);
	HARDCTL("apply", "--rule", PRL);
	ck_assert_msg(run.status == 0, "%d: %s", run.status,
		      hc_buf_cstr(&run.err));
	text = test_read(root_dir, "/etc/ssh/site conf.d/10-site.conf");
	ck_assert_str_eq(text, "PermitRootLogin no\n");
	free(text);
	ck_assert_ptr_null(
	    test_read(root_dir, "/etc/ssh/sshd_config.d/00-hardctl.conf"));
	assert_sshd_says(ALICE, "permitrootlogin no");
	HARDCTL("check", "--rule", PRL);
	ck_assert_msg(run.status == 0, "%d: %s", run.status, run.out.ptr);

	HARDCTL("rollback");
	ck_assert_msg(run.status == 0, "%d: %s", run.status,
		      hc_buf_cstr(&run.err));
	after = test_state(root_dir);
	ck_assert_str_eq(before, after);
	free(after);
	free(before);
}
END_TEST

/* An unclosed quote or an empty argument: sshd refuses it, hardctl names the
 * file and line. */
START_TEST(test_sshd_reader_include__unclosed_quote)
{
	char *before;

	NEED_SSHD();
	test_replace(root_dir, "/etc/ssh/sshd_config",
		     "Include /etc/ssh/sshd_config.d/*.conf\n",
		     "Include \"/etc/ssh/sshd_config.d/*.conf\n");
	assert_sshd_refuses("invalid quotes");
	before = test_state(root_dir);
	HARDCTL("check", "--rule", PRL);
	ck_assert_msg(run.status == 2, "%d: %s", run.status, run.out.ptr);
	assert_contains(
	    run.err.ptr,
	    "/etc/ssh/sshd_config:12: Include argument has an unclosed");
	HARDCTL("apply", "--rule", PRL);
	ck_assert_int_ne(run.status, 0);
	{
		char *after = test_state(root_dir);

		ck_assert_str_eq(before, after);
		free(after);
	}
	free(before);

	/* An empty argument: sshd refuses it; the copy must not hide it. */
	test_replace(root_dir, "/etc/ssh/sshd_config",
		     "Include \"/etc/ssh/sshd_config.d/*.conf\n",
		     "Include \"\" /etc/ssh/sshd_config.d/*.conf\n");
	assert_sshd_refuses("keyword Include empty argument");
	HARDCTL("check", "--rule", PRL);
	ck_assert_msg(run.status == 2, "%d: %s", run.status, run.out.ptr);
	assert_contains(
	    run.err.ptr,
	    "/etc/ssh/sshd_config:12: Include has an empty argument");
}
END_TEST

/* A file that includes itself: sshd refuses it, hardctl stops with an error. */
START_TEST(test_sshd_reader_include__loop_is_an_error)
{
	NEED_SSHD();
	test_write(root_dir, "/etc/ssh/sshd_config.d/10-loop.conf",
		   "Include /etc/ssh/sshd_config.d/*.conf "
		   "/etc/ssh/sshd_config.d/*.conf\n",
		   0644);
	assert_sshd_refuses("Too many recursive configuration includes");
	HARDCTL("check", "--rule", PRL, "--rule", BANNER);
	ck_assert_msg(run.status == 2, "%d: %s", run.status, run.out.ptr);
	assert_contains(run.err.ptr,
			"10-loop.conf:1: Include nested deeper than 16");
	assert_lacks(run.out.ptr, "PASS");
}
END_TEST

/* More files than the cap: an error, never a long wait. */
START_TEST(test_sshd_reader_include__too_many_files)
{
	char path[128];

	for (int i = 0; i < SSHD_MAX_INCLUDES + 1; i++) {
		snprintf(path, sizeof(path), "/etc/ssh/sshd_config.d/%04d.conf",
			 i);
		test_write(root_dir, path, "X11Forwarding no\n", 0644);
	}
	HARDCTL("check", "--rule", PRL);
	ck_assert_msg(run.status == 2, "%d: %s", run.status, run.out.ptr);
	assert_contains(run.err.ptr, "/etc/ssh/sshd_config:12: Include makes "
				     "sshd read more than 1024 files");
}
END_TEST

/*
 * Six levels of eight files, each including the next level's: 48 files,
 * which sshd reads 8^6 times over (sshd -t takes seconds on it).
 * hardctl walks each file once per depth and stops with an error past
 * the cap instead of walking (or running sshd -t) on.
 */
START_TEST(test_sshd_reader_include__fan_out_stops)
{
	char path[128], text[128];

	for (int level = 1; level <= 6; level++) {
		for (int i = 0; i < 8; i++) {
			snprintf(path, sizeof(path), "/etc/ssh/l%d/%d.conf",
				 level, i);
			if (level < 6)
				snprintf(text, sizeof(text),
					 "Include l%d/*.conf\n", level + 1);
			else
				snprintf(text, sizeof(text),
					 "X11Forwarding no\n");
			test_write(root_dir, path, text, 0644);
		}
	}
	test_write(root_dir, "/etc/ssh/sshd_config.d/10-fan.conf",
		   "Include l1/*.conf\n", 0644);
	HARDCTL("check", "--rule", PRL, "--rule", BANNER);
	ck_assert_msg(run.status == 2, "%d: %s", run.status, run.out.ptr);
	assert_contains(run.err.ptr,
			":1: Include makes sshd read more than 1024 files");
	assert_lacks(run.out.ptr, "PASS");
	assert_lacks(run.out.ptr, "FAIL");
}
END_TEST

/*
 * A later line sshd refuses makes the configuration one sshd will not
 * start with: the rules it feeds are ERROR naming sshd's version, the
 * file, the line and sshd's reason, never PASS or FAIL.
 */
START_TEST(test_sshd_reader_refused__later_line_debian)
{
	NEED_SSHD();
	test_write(root_dir, "/etc/ssh/sshd_config.d/50-site.conf",
		   "PermitRootLogin no\nBanner /etc/issue.net\nPermitRootLogin "
		   "maybe\n",
		   0644);
	assert_sshd_refuses("unsupported option \"maybe\"");
	HARDCTL("check", "--rule", PRL, "--rule", BANNER);
	ck_assert_msg(run.status == 2, "%d: %s", run.status, run.out.ptr);
	assert_lacks(run.out.ptr, "PASS");
	assert_lacks(run.out.ptr, "FAIL");
	assert_contains(run.out.ptr,
			"0 pass, 0 fail, 0 drifted, 0 waived, 0 n/a, 2 error");
	assert_contains(
	    run.err.ptr,
	    "/etc/ssh/sshd_config.d/50-site.conf:3: sshd -t rejects the sshd "
	    "configuration (this host's /usr/sbin/sshd, OpenSSH_");
	assert_contains(run.err.ptr, "unsupported option \"maybe\"");
}
END_TEST

/* Whether directory DIR holds nothing. */
static bool empty_dir(const char *dir)
{
	struct test_run r = {0};
	bool empty;

	TEST_RUN(&r, "/usr/bin/find", dir, "-mindepth", "1");
	empty = r.out.size == 0;
	if (!empty)
		fprintf(stderr, "left behind: %s", r.out.ptr);
	test_run_release(&r);
	return empty;
}

/*
 * sshd -t starts before the configuration is parsed and runs beside
 * it: its scratch copy goes when its verdict comes, and when the parse
 * fails and nobody asks for it.
 */
/* With 50-site.conf holding TEXT, check errs, saying WHY, and leaves TMP as
 * it was. */
static void check_errs_cleanly(const char *tmp, const char *text,
			       const char *why)
{
	test_write(root_dir, "/etc/ssh/sshd_config.d/50-site.conf", text, 0644);
	HARDCTL("check", "--rule", PRL);
	ck_assert_msg(run.status == 2, "%d: %s", run.status, run.out.ptr);
	assert_contains(run.err.ptr, why);
	ck_assert(empty_dir(tmp));
}

START_TEST(test_sshd_reader_refused__scratch_gone_either_way)
{
	char *tmp = test_mkdtemp();

	NEED_SSHD();
	setenv("TMPDIR", tmp, 1);
	check_errs_cleanly(tmp, "PermitRootLogin maybe\n",
			   "50-site.conf:1: sshd -t rejects");
	/* A line sshd reads and the lens does not: the parse fails. */
	check_errs_cleanly(tmp, "PermitRootLogin\n", "50-site.conf:1:");
	unsetenv("TMPDIR");
	test_rmtree(tmp);
	free(tmp);
}
END_TEST

/* The same on the Red Hat era demo, whose sshd_config has no Include. */
START_TEST(test_sshd_reader_refused__later_line_red_hat)
{
	char *text;

	NEED_SSHD();
	text = test_read(root_dir, "/etc/ssh/sshd_config");
	{
		struct hc_buf more = HC_BUF_INIT;
		unsigned int lines = 0;

		for (const char *p = text; *p; p++)
			lines += *p == '\n';
		hc_buf_printf(
		    &more, "%sPermitRootLogin no\nCiphers rot13-ctr\n", text);
		test_write(root_dir, "/etc/ssh/sshd_config", more.ptr, 0600);
		hc_buf_clear(&more);
		hc_buf_printf(&more, "/etc/ssh/sshd_config:%u: sshd -t rejects",
			      lines + 2);
		assert_sshd_refuses("Bad SSH2 cipher spec 'rot13-ctr'");
		HARDCTL("check", "--rule", PRL);
		ck_assert_msg(run.status == 2, "%d: %s", run.status,
			      run.out.ptr);
		assert_contains(run.out.ptr, "ERROR");
		assert_contains(run.err.ptr, more.ptr);
		hc_buf_release(&more);
	}
	free(text);
}
END_TEST

/*
 * A Match in an included file ends with that file (sshd restores the
 * including file's Match state): lines after the Include are global.
 * The guard agrees with sshd, so apply goes ahead, and check judges the
 * global line after the Include as sshd does.
 */
START_TEST(test_sshd_reader_match__included_match_ends_with_file)
{
	NEED_SSHD();
	test_write(root_dir, "/etc/ssh/sshd_config.d/10-bob.conf",
		   "Match User bob\n\tPasswordAuthentication no\n", 0644);
	/* sshd -T prints prohibit-password by its old name. */
	assert_sshd_says(ALICE, "permitrootlogin without-password");
	assert_sshd_says(BOB, "passwordauthentication no");
	assert_sshd_says(ALICE, "passwordauthentication yes");
	/* UsePAM, later in sshd_config, is not allowed in a Match block. */
	HARDCTL("apply", "--rule", PRL);
	ck_assert_msg(run.status == 0, "%d: %s", run.status,
		      hc_buf_cstr(&run.err));
	assert_sshd_says(ALICE, "permitrootlogin no");
	assert_sshd_says(BOB, "permitrootlogin no");
	HARDCTL("check", "--rule", PRL);
	ck_assert_msg(run.status == 0, "%d: %s", run.status, run.out.ptr);
	HARDCTL("rollback");
	ck_assert_msg(run.status == 0, "%d: %s", run.status,
		      hc_buf_cstr(&run.err));

	/* A global line after the Include, read by sshd for every user. */
	{
		char *text = test_read(root_dir, "/etc/ssh/sshd_config");
		struct hc_buf more = HC_BUF_INIT;

		hc_buf_printf(&more, "%sPermitRootLogin no\n", text);
		test_write(root_dir, "/etc/ssh/sshd_config", more.ptr, 0644);
		hc_buf_release(&more);
		free(text);
	}
	assert_sshd_says(ALICE, "permitrootlogin no");
	assert_sshd_says(BOB, "permitrootlogin no");
	HARDCTL("check", "--rule", PRL);
	ck_assert_msg(run.status == 0, "%d: %s", run.status, run.out.ptr);
	assert_contains(run.out.ptr, "PASS");
}
END_TEST

/*
 * sshd takes "match all" (any case), and what follows it overrides the
 * global value for every connection; the Sshd lens cannot read it, so
 * hardctl says ERROR with the file and line, never PASS.
 */
START_TEST(test_sshd_reader_match__match_all_is_an_error)
{
	NEED_SSHD();
	test_write(root_dir, "/etc/ssh/sshd_config.d/50-site.conf",
		   "PermitRootLogin no\nmatch all\n\tPermitRootLogin yes\n",
		   0644);
	assert_sshd_says(ALICE, "permitrootlogin yes");
	HARDCTL("check", "--rule", PRL);
	ck_assert_msg(run.status == 2, "%d: %s", run.status, run.out.ptr);
	assert_lacks(run.out.ptr, "PASS");
	assert_contains(run.err.ptr, "50-site.conf:2:");
}
END_TEST

/* CRLF line ends: sshd drops the CR; so does hardctl's Include. */
START_TEST(test_sshd_reader_include__crlf)
{
	NEED_SSHD();
	test_replace(root_dir, "/etc/ssh/sshd_config",
		     "Include /etc/ssh/sshd_config.d/*.conf\n",
		     "Include /etc/ssh/sshd_config.d/*.conf\r\n");
	test_write(root_dir, "/etc/ssh/sshd_config.d/10-site.conf",
		   "PermitRootLogin no\n", 0644);
	assert_sshd_says(ALICE, "permitrootlogin no");
	HARDCTL("check", "--rule", PRL);
	ck_assert_msg(run.status == 0, "%d: %s%s", run.status, run.out.ptr,
		      hc_buf_cstr(&run.err));
}
END_TEST

/*
 * An Include climbing out with "..": sshd's verdict and hardctl read the
 * file inside ROOT (as sshd run on ROOT would), never the host's, and
 * nothing is written outside ROOT.
 */
START_TEST(test_sshd_reader_include__dotdot_stays_in_root)
{
	char *host = test_mkdtemp(), line[4200], path[4200], *text;

	NEED_SSHD();
	snprintf(path, sizeof(path), "%s/x.conf", host);
	test_write("/", path, "PermitRootLogin maybe\n", 0644);
	snprintf(line, sizeof(line), "Include ../../../../../../..%s/*.conf\n",
		 host);
	test_write(root_dir, "/etc/ssh/sshd_config.d/10-up.conf", line, 0644);
	HARDCTL("check", "--rule", PRL);
	ck_assert_msg(run.status == 1, "%d: %s%s", run.status, run.out.ptr,
		      hc_buf_cstr(&run.err));
	test_write(root_dir, path, "PermitRootLogin no\n", 0644);
	HARDCTL("check", "--rule", PRL);
	ck_assert_msg(run.status == 0, "%d: %s%s", run.status, run.out.ptr,
		      hc_buf_cstr(&run.err));
	text = test_read("/", path);
	ck_assert_str_eq(text, "PermitRootLogin maybe\n");
	free(text);
	test_rmtree(host);
	free(host);
}
END_TEST

/*
 * sshd reads a keyword the way its strdelim() splits it: "Include" in
 * double quotes, In"clude", or a CR after it is still Include.  The
 * scratch copy must point such a line into ROOT too: else the host's
 * sshd -t reads the host's file, and its first word (a password hash
 * in /etc/shadow) reaches hardctl's output.  A file included after a
 * Match is never parsed by the reader, only copied.
 */
START_TEST(test_sshd_reader_include__quoted_keyword_stays_in_root)
{
	static const char *const forms[] = {"\"Include\" ", "In\"clude\" ",
					    "Include\r", "\rinclude="};
	char *host = test_mkdtemp(), path[4200], line[4300];

	NEED_SSHD();
	snprintf(path, sizeof(path), "%s/shadow", host);
	test_write("/", path, "root:$6$HOSTSECRET:19000:0:99999:7:::\n", 0600);
	test_write(root_dir, "/etc/ssh/sshd_config.d/50-site.conf",
		   "PermitRootLogin no\nMatch User nobody\n\tInclude "
		   "/etc/ssh/evil.conf\n",
		   0644);
	for (size_t i = 0; i < sizeof(forms) / sizeof(forms[0]); i++) {
		snprintf(line, sizeof(line), "%s%s\n", forms[i], path);
		test_write(root_dir, "/etc/ssh/evil.conf", line, 0644);
		HARDCTL("check", "--rule", PRL);
		ck_assert_msg(strstr(run.out.ptr, "HOSTSECRET") == NULL &&
				  strstr(hc_buf_cstr(&run.err), "HOSTSECRET") ==
				      NULL,
			      "form %zu leaks the host file: %s%s", i,
			      run.out.ptr, hc_buf_cstr(&run.err));
	}
	test_rmtree(host);
	free(host);
}
END_TEST

/*
 * HostKey, HostCertificate and HostKeyAgent naming FIFOs on the host:
 * sshd -t, run as root on the image's configuration, would block
 * opening them (or open a device of the host's).  The copy points them
 * at stand-ins in the scratch directory, so check ends at once, and a
 * HostKey in a Match block is still refused as sshd refuses it.
 */
START_TEST(test_sshd_reader_hostkey__host_paths_never_opened)
{
	char key[4200], cert[4200], agent[4200], text[13000];
	time_t start = time(NULL);

	NEED_SSHD();
	snprintf(key, sizeof(key), "%s/etc/ssh/fifo-key", root_dir);
	snprintf(cert, sizeof(cert), "%s/etc/ssh/fifo-cert", root_dir);
	snprintf(agent, sizeof(agent), "%s/etc/ssh/fifo-agent", root_dir);
	ck_assert_int_eq(mkfifo(key, 0600), 0);
	ck_assert_int_eq(mkfifo(cert, 0600), 0);
	ck_assert_int_eq(mkfifo(agent, 0600), 0);
	snprintf(text, sizeof(text),
		 "HostKey %s\nHostCertificate %s\nHostKeyAgent %s\n", key, cert,
		 agent);
	test_write(root_dir, "/etc/ssh/sshd_config.d/50-site.conf", text, 0644);
	HARDCTL("check", "--rule", PRL);
	ck_assert_msg(run.status != 2, "%d: %s%s", run.status, run.out.ptr,
		      hc_buf_cstr(&run.err));
	assert_lacks(hc_buf_cstr(&run.err), "did not finish");
	ck_assert_int_lt(time(NULL) - start, 15);

	/* Where sshd refuses the keyword, the stand-in is refused too. */
	snprintf(text, sizeof(text), "Match User bob\n\tHostKey %s\n", key);
	test_write(root_dir, "/etc/ssh/sshd_config.d/50-site.conf", text, 0644);
	HARDCTL("check", "--rule", PRL);
	ck_assert_msg(run.status == 2, "%d: %s%s", run.status, run.out.ptr,
		      hc_buf_cstr(&run.err));
	assert_contains(run.err.ptr, "50-site.conf:2");
	assert_contains(run.err.ptr, "not allowed within a Match block");
}
END_TEST

/* hc_run_limited() ends a program that outlives its time: sshd -t's bound. */
START_TEST(test_sshd_reader_run__limited_kills_late_program)
{
	const char *const argv[] = {"/bin/sleep", "30", NULL};
	struct hc_buf out = HC_BUF_INIT;
	time_t start = time(NULL);
	int status = 0;

	ck_assert_int_eq(hc_run_limited(&out, &status, argv, 1), 0);
	ck_assert(WIFSIGNALED(status) && WTERMSIG(status) == SIGALRM);
	ck_assert_int_lt(time(NULL) - start, 10);
	hc_buf_release(&out);
}
END_TEST

/*
 * hc_run_finish() late, past the time limit and its grace (the caller
 * parsed meanwhile, as sshd_config's Augeas walk does beside sshd -t):
 * a program that ended in time is heard in full, output and status.
 */
START_TEST(test_sshd_reader_run__finished_late_still_heard)
{
	const char *const argv[] = {"/bin/sh", "-c", "echo refused; exit 255",
				    NULL};
	struct hc_buf out = HC_BUF_INIT;
	struct hc_run_job job;
	int status = 0;

	ck_assert_int_eq(hc_run_start(&job, argv, 1), 0);
	sleep(4);
	ck_assert_int_eq(hc_run_finish(&job, &out, &status), 0);
	ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 255,
		      "status %d", status);
	ck_assert_str_eq(hc_buf_cstr(&out) ? hc_buf_cstr(&out) : "",
			 "refused\n");
	hc_buf_release(&out);
}
END_TEST

/*
 * One that shuts its output and goes on is ended at its time too; and
 * SIGALRM, blocked and ignored here, is the child's default.
 */
START_TEST(test_sshd_reader_run__limit_holds_after_output_closes)
{
	const char *const argv[] = {"/bin/sh", "-c",
				    "exec >/dev/null 2>&1; sleep 30", NULL};
	struct hc_buf out = HC_BUF_INIT;
	time_t start = time(NULL);
	sigset_t alrm, old;
	int status = 0;

	sigemptyset(&alrm);
	sigaddset(&alrm, SIGALRM);
	ck_assert_int_eq(sigprocmask(SIG_BLOCK, &alrm, &old), 0);
	signal(SIGALRM, SIG_IGN);
	ck_assert_int_eq(hc_run_limited(&out, &status, argv, 1), 0);
	signal(SIGALRM, SIG_DFL);
	sigprocmask(SIG_SETMASK, &old, NULL);
	ck_assert_msg(WIFSIGNALED(status) && WTERMSIG(status) == SIGALRM,
		      "status %d", status);
	ck_assert_int_lt(time(NULL) - start, 10);
	hc_buf_release(&out);
}
END_TEST

/*
 * Output and errors in one buffer, in order; stdin empty; a program
 * that is not there is exit 127, as a shell says it.
 */
START_TEST(test_sshd_reader_run__output_stdin_and_missing_program)
{
	const char *const talk[] = {
	    "/bin/sh", "-c", "echo out; echo err >&2; cat; echo end", NULL};
	const char *const missing[] = {"/nonexistent/hardctl-no-such", NULL};
	struct hc_buf out = HC_BUF_INIT;
	int status = -1;

	ck_assert_int_eq(hc_run(&out, &status, talk), 0);
	ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	ck_assert_str_eq(hc_buf_cstr(&out), "out\nerr\nend\n");
	ck_assert_int_eq(hc_run(&out, &status, missing), 0);
	ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 127);
	ck_assert_uint_eq(out.size, 0);
	hc_buf_release(&out);
}
END_TEST

/*
 * sshd prefixes /etc/ssh only to an Include argument that starts with
 * neither '/' nor '~', and expands no tilde: "~/site.conf" is relative
 * to its working directory, "/" when init starts it (checked by hand
 * with sshd -T run from another directory).  hardctl must read
 * ROOT/~/site.conf, not ROOT/etc/ssh/~/site.conf.
 */
START_TEST(test_sshd_reader_include__tilde_is_not_etc_ssh)
{
	NEED_SSHD();
	test_write(root_dir, "/etc/ssh/sshd_config.d/10-tilde.conf",
		   "Include ~/site.conf\n", 0644);
	test_write(root_dir, "/~/site.conf", "PermitRootLogin yes\n", 0644);
	test_write(root_dir, "/etc/ssh/~/site.conf", "PermitRootLogin no\n",
		   0644);
	HARDCTL("check", "--rule", PRL);
	ck_assert_msg(run.status == 1, "%d: %s%s", run.status, run.out.ptr,
		      hc_buf_cstr(&run.err));
	assert_contains(run.out.ptr, "/~/site.conf:1: PermitRootLogin yes");
}
END_TEST

/*
 * An Include glob matching a dangling symlink: sshd cannot open it and
 * refuses to start; hardctl said PASS, and the apply guard's copy left
 * the file out, so sshd -t there accepted it too.
 */
START_TEST(test_sshd_reader_include__dangling_symlink_is_an_error)
{
	char path[4200];

	NEED_SSHD();
	test_write(root_dir, "/etc/ssh/sshd_config.d/10-site.conf",
		   "PermitRootLogin no\n", 0644);
	snprintf(path, sizeof(path), "%s/etc/ssh/sshd_config.d/20-gone.conf",
		 root_dir);
	ck_assert_int_eq(symlink("/etc/ssh/sshd_config.d/none", path), 0);
	assert_sshd_refuses("20-gone.conf: No such file or directory");
	HARDCTL("check", "--rule", PRL);
	ck_assert_msg(run.status == 2, "%d: %s%s", run.status, run.out.ptr,
		      hc_buf_cstr(&run.err));
	assert_lacks(run.out.ptr, "PASS");
	assert_contains(run.err.ptr, "20-gone.conf");
}
END_TEST

Suite *sshd_reader_suite(void)
{
	Suite *s = suite_create("sshd_reader");
	TCase *tc = tcase_create("debian");
	TCase *rh = tcase_create("red_hat");

	tcase_add_checked_fixture(tc, setup_debian, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_sshd_reader_include__quoted_arguments);
	tcase_add_test(tc, test_sshd_reader_include__unclosed_quote);
	tcase_add_test(tc, test_sshd_reader_include__loop_is_an_error);
	tcase_add_test(tc, test_sshd_reader_include__too_many_files);
	tcase_add_test(tc, test_sshd_reader_include__fan_out_stops);
	tcase_add_test(tc, test_sshd_reader_include__crlf);
	tcase_add_test(tc,
		       test_sshd_reader_include__dangling_symlink_is_an_error);
	tcase_add_test(tc, test_sshd_reader_include__tilde_is_not_etc_ssh);
	tcase_add_test(tc, test_sshd_reader_include__dotdot_stays_in_root);
	tcase_add_test(tc,
		       test_sshd_reader_include__quoted_keyword_stays_in_root);
	tcase_add_test(tc, test_sshd_reader_refused__later_line_debian);
	tcase_add_test(tc, test_sshd_reader_hostkey__host_paths_never_opened);
	tcase_add_test(tc, test_sshd_reader_run__limited_kills_late_program);
	tcase_add_test(tc, test_sshd_reader_refused__scratch_gone_either_way);
	tcase_add_test(tc, test_sshd_reader_run__finished_late_still_heard);
	tcase_add_test(tc,
		       test_sshd_reader_run__limit_holds_after_output_closes);
	tcase_add_test(tc,
		       test_sshd_reader_run__output_stdin_and_missing_program);
	tcase_add_test(tc,
		       test_sshd_reader_match__included_match_ends_with_file);
	tcase_add_test(tc, test_sshd_reader_match__match_all_is_an_error);
	suite_add_tcase(s, tc);
	tcase_add_checked_fixture(rh, setup_demo, teardown);
	tcase_set_timeout(rh, 120);
	tcase_add_test(rh, test_sshd_reader_refused__later_line_red_hat);
	suite_add_tcase(s, rh);
	return s;
}
