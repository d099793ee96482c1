/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Values judged as their reader takes them.  pam_pwquality's limits come
 * from libpwquality: the drop-ins of pwquality.conf.d (sorted, *.conf),
 * then pwquality.conf, then the PAM line's arguments; a setting it does
 * not know stops its reading there.  pwscore, run where ROOT's
 * /etc/security is bound over the host's, is the oracle.  login.defs's
 * numbers are read as shadow's getdef does (base 0, quotes, a value it
 * cannot parse is unset) and an unset one means what useradd then
 * writes; useradd --prefix on the fixture is the oracle.  Empty shadow
 * aging fields mean what shadow(5) says.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "test.h"

static char *root_dir;
static struct test_run run;

#define HARDCTL(...) TEST_HARDCTL(&run, "--root", root_dir, __VA_ARGS__)

#define DROPIN "/etc/security/pwquality.conf.d/"

/* The JSON report's evidence for a value found in FILE (under DROPIN) at LINE.
 */
#define EVIDENCE(file, line, found)                                            \
	"{\"file\":\"" file "\",\"line\":" #line ",\"found\":\"" found "\""
#define PWQ_CONF "/etc/security/pwquality.conf"

/* Every limit of the shipped profile, as an administrator writes them. */
static const char compliant[] = "minlen = 15\ndcredit = -1\nucredit = "
				"-1\nlcredit = -1\nocredit = -1\ndifok = 8\n";

/* Twelve characters of all four classes: only a minlen above 12 refuses it. */
static const char twelve[] = "Xq7#mZ2!pL9@";

/* Debian 12 as installed (fixture), with a shadow file. */
static void setup_debian(void)
{
	root_dir = test_root("debian12");
	memset(&run, 0, sizeof(run));
	test_write(
	    root_dir, "/etc/shadow",
	    "root:*:19700:0:99999:7:::\n"
	    "daemon:*:19700:0:99999:7:::\n"
	    "admin:$y$j9T$abcdefghijklmnopqrstu$"
	    "0123456789abcdefghijklmnopqrstuvwxyzABCD:19700:0:99999:7:::\n",
	    0640);
	/*
	 * The oracle's host may lack cracklib's dictionary; a drop-in read
	 * first, that no rule judges, turns its check off.
	 */
	test_write(root_dir, DROPIN "00-test-nodict.conf", "dictcheck = 0\n",
		   0644);
}

static void teardown(void)
{
	test_run_release(&run);
	test_rmtree(root_dir);
	free(root_dir);
}

/*
 * Whether libpwquality, reading ROOT's /etc/security as its own, takes
 * PASSWORD: 1 yes, 0 no, -1 when it cannot be asked here (no pwscore,
 * no mount namespace).
 */
static int pwscore_accepts(const char *root, const char *password)
{
	static const char script[] =
	    "command -v pwscore >/dev/null || exit 0\n"
	    "mount --bind \"$1/etc/security\" /etc/security || exit 0\n"
	    "printf '%s\\n' \"$2\" | pwscore >/dev/null 2>&1\n"
	    "echo \"pwscore=$?\"\n";
	struct test_run r = {0};
	const char *said;
	int result = -1;

	if (access("/usr/bin/unshare", X_OK) != 0)
		return -1;
	/* unshare itself fails unprivileged: only the script's own line counts.
	 */
	TEST_RUN(&r, "/usr/bin/unshare", "-m", "/bin/sh", "-c", script, "sh",
		 root, password);
	if ((said = strstr(hc_buf_cstr(&r.out), "pwscore=")) != NULL)
		result = strcmp(said, "pwscore=0\n") == 0;
	test_run_release(&r);
	return result;
}

/* When the oracle can be asked, it must say WANT. */
#define ORACLE(want)                                                           \
	do {                                                                   \
		int said_ = pwscore_accepts(root_dir, twelve);                 \
		if (said_ < 0)                                                 \
			test_oracle("pwscore cannot run here");                \
		else                                                           \
			ck_assert_msg(said_ == (want),                         \
				      "pwscore %s a 12-character password",    \
				      said_ ? "takes" : "refuses");            \
	} while (0)

/* A rollback leaves the root as BEFORE (test_state(), freed here). */
static void rollback_restores(char *before)
{
	char *now;

	HARDCTL("rollback");
	ck_assert_msg(run.status == 0, "%s", hc_buf_cstr(&run.err));
	now = test_state(root_dir);
	ck_assert_str_eq(now, before);
	free(now);
	free(before);
}

/* A compliant drop-in is in force when pwquality.conf leaves the key unset. */
START_TEST(test_pwq_reader_quality__dropin_compliant_passes)
{
	test_write(root_dir, DROPIN "50-site.conf", compliant, 0644);
	ORACLE(0);
	HARDCTL("check", "--rule", "password.quality", "--format", "json");
	ck_assert_msg(run.status == 0, "%s", hc_buf_cstr(&run.out));
	assert_contains(run.out.ptr,
			EVIDENCE(DROPIN "50-site.conf", 1, "minlen 15"));
}
END_TEST

/*
 * A later drop-in weakens minlen: check names it, apply fixes it there
 * (pwquality.conf untouched), rollback restores every byte.
 */
START_TEST(test_pwq_reader_quality__dropin_weakens)
{
	char *before, *conf, *text;

	test_write(root_dir, DROPIN "10-site.conf", compliant, 0644);
	test_write(root_dir, DROPIN "90-local.conf",
		   "# added for a vendor app\nminlen = 6\n", 0644);
	ORACLE(1);
	HARDCTL("check", "--rule", "password.quality");
	ck_assert_int_eq(run.status, 1);
	assert_contains(run.out.ptr,
			"pwquality.conf.d/90-local.conf:2: minlen 6");
	before = test_state(root_dir);
	conf = test_read(root_dir, PWQ_CONF);
	HARDCTL("apply", "--rule", "password.quality");
	ck_assert_msg(run.status == 0, "%s", hc_buf_cstr(&run.err));
	text = test_read(root_dir, DROPIN "90-local.conf");
	ck_assert_str_eq(text, "# added for a vendor app\nminlen = 15\n");
	free(text);
	text = test_read(root_dir, PWQ_CONF);
	ck_assert_str_eq(text, conf);
	free(text);
	ORACLE(0);
	HARDCTL("check", "--rule", "password.quality");
	ck_assert_msg(run.status == 0, "%s", hc_buf_cstr(&run.out));
	rollback_restores(before);
	free(conf);
}
END_TEST

/* libpwquality reads pwquality.conf after the drop-ins: it wins. */
START_TEST(test_pwq_reader_quality__main_file_read_last)
{
	test_replace(root_dir, PWQ_CONF, "# minlen = 8\n",
		     "# minlen = 8\nminlen = 15\n");
	test_write(root_dir, DROPIN "50-site.conf", compliant, 0644);
	test_write(root_dir, DROPIN "90-local.conf", "minlen = 6\n", 0644);
	ORACLE(0);
	HARDCTL("check", "--rule", "password.quality", "--format", "json");
	ck_assert_msg(run.status == 0, "%s", hc_buf_cstr(&run.out));
	assert_contains(run.out.ptr, EVIDENCE(PWQ_CONF, 12, "minlen 15"));
}
END_TEST

/*
 * Only names ending in ".conf" are read, dot files too, in byte order;
 * keys are case-blind; a CR before the newline is white space.
 */
START_TEST(test_pwq_reader_quality__names_case_crlf)
{
	char *text;

	test_write(root_dir, DROPIN "50-site.conf", compliant, 0644);
	test_write(root_dir, DROPIN "90-local.conf.dpkg-old", "minlen = 6\n",
		   0644);
	test_write(root_dir, DROPIN "90-x.conf.conf", "minlen = 6\n", 0644);
	test_write(root_dir, DROPIN "60-crlf.conf", "MinLen = 16\r\n", 0644);
	ORACLE(0);
	HARDCTL("check", "--rule", "password.quality", "--format", "json");
	ck_assert_msg(run.status == 0, "%s", hc_buf_cstr(&run.out));
	assert_contains(run.out.ptr,
			EVIDENCE(DROPIN "60-crlf.conf", 1, "minlen 16"));

	/* "name value" without "=", and a comment after it, as libpwquality
	 * reads them. */
	test_write(root_dir, DROPIN "70-plain.conf", "minlen 6 # vendor\n",
		   0644);
	ORACLE(1);
	HARDCTL("check", "--rule", "password.quality");
	ck_assert_int_eq(run.status, 1);
	assert_contains(run.out.ptr, "70-plain.conf:1: minlen 6");
	HARDCTL("apply", "--rule", "password.quality");
	ck_assert_msg(run.status == 0, "%s", hc_buf_cstr(&run.err));
	text = test_read(root_dir, DROPIN "70-plain.conf");
	ck_assert_str_eq(text, "minlen 15 # vendor\n");
	free(text);
	ORACLE(0);

	/* Byte order: "Zz.conf" comes after the digits, and is read last. */
	test_write(root_dir, DROPIN "Zz.conf", "minlen = 7\n", 0644);
	test_write(root_dir, DROPIN "60-crlf.conf", "dcredit = -1\r\n", 0644);
	ORACLE(1);
	HARDCTL("check", "--rule", "password.quality");
	ck_assert_int_eq(run.status, 1);
	assert_contains(run.out.ptr, "Zz.conf:1: minlen 7");

	/* Dot files are read too (pwscore: "Unknown setting - bogus"), ".conf"
	 * itself among them. */
	test_write(root_dir, DROPIN ".conf", "bogus = 1\n", 0644);
	HARDCTL("check", "--rule", "password.quality");
	ck_assert_int_eq(run.status, 1);
	assert_contains(run.out.ptr,
			"pwquality.conf.d/.conf:1: unknown setting 'bogus'");
}
END_TEST

/*
 * A setting libpwquality does not know stops its reading: what follows,
 * pwquality.conf included, is not in force, and apply refuses to guess.
 */
START_TEST(test_pwq_reader_quality__unknown_setting_stops)
{
	char *before, *after;

	test_replace(root_dir, PWQ_CONF, "# minlen = 8\n",
		     "# minlen = 8\nminlen = 15\n");
	test_write(root_dir, DROPIN "50-site.conf", compliant, 0644);
	test_write(root_dir, DROPIN "40-typo.conf", "min_len = 15\n", 0644);
	HARDCTL("check", "--rule", "password.quality");
	ck_assert_int_eq(run.status, 1);
	assert_contains(run.out.ptr, "40-typo.conf:1");
	assert_contains(run.out.ptr, "min_len");
	assert_contains(run.out.ptr, "minlen not set");
	before = test_snapshot(root_dir);
	HARDCTL("apply", "--rule", "password.quality");
	ck_assert_int_ne(run.status, 0);
	assert_contains(run.err.ptr, "40-typo.conf:1");
	after = test_snapshot(root_dir);
	ck_assert_str_eq(before, after);
	free(before);
	free(after);
}
END_TEST

/*
 * A setting named "*", "." or ".." stops libpwquality as any other it
 * does not know (pwscore: "Unknown setting - *").  Augeas writes such a
 * node's path unescaped (the path of a node "*" reads back as every
 * node): it was judged under another node's name, and a "*" line before
 * every limit read as a PASS.
 */
START_TEST(test_pwq_reader_quality__wildcard_named_setting_stops)
{
	static const char *const names[] = {"*", ".", "..", "$x", "self::x"};
	char text[256];

	test_write(root_dir, DROPIN "50-site.conf", compliant, 0644);
	for (size_t i = 0; i < sizeof(names) / sizeof(*names); i++) {
		snprintf(text, sizeof(text), "%s = 1\n%s", names[i], compliant);
		test_write(root_dir, DROPIN "40-odd.conf", text, 0644);
		HARDCTL("check", "--rule", "password.quality");
		ck_assert_msg(run.status == 1, "%s: %s", names[i],
			      hc_buf_cstr(&run.out));
		snprintf(text, sizeof(text),
			 "40-odd.conf:1: unknown setting '%s'", names[i]);
		assert_contains(run.out.ptr, text);
	}
}
END_TEST

/* A line longer than libpwquality's buffer stops it as well ("malformed"). */
START_TEST(test_pwq_reader_quality__long_line_stops)
{
	char text[1200];

	test_replace(root_dir, PWQ_CONF, "# minlen = 8\n",
		     "# minlen = 8\nminlen = 15\n");
	test_write(root_dir, DROPIN "50-site.conf", compliant, 0644);
	snprintf(text, sizeof(text), "difok = 8\n# %01100d\nminlen = 15\n", 0);
	test_write(root_dir, DROPIN "40-long.conf", text, 0644);
	HARDCTL("check", "--rule", "password.quality");
	ck_assert_int_eq(run.status, 1);
	assert_contains(run.out.ptr,
			"40-long.conf:2: a line longer than 1022 characters");
	assert_contains(run.out.ptr, "40-long.conf:1: difok 8");
	assert_contains(run.out.ptr, "minlen not set");
	/* 1022 characters and the newline fit. */
	snprintf(text, sizeof(text), "difok = 8\n# %01020d\nminlen = 15\n", 0);
	test_write(root_dir, DROPIN "40-long.conf", text, 0644);
	HARDCTL("check", "--rule", "password.quality");
	ck_assert_msg(run.status == 0, "%s", hc_buf_cstr(&run.out));
}
END_TEST

/* The PAM argument still beats every file. */
START_TEST(test_pwq_reader_quality__pam_argument_wins)
{
	char *text;

	test_write(root_dir, DROPIN "50-site.conf", compliant, 0644);
	test_replace(root_dir, "/etc/pam.d/common-password",
		     "pam_pwquality.so retry=3",
		     "pam_pwquality.so retry=3 minlen=9");
	HARDCTL("check", "--rule", "password.quality");
	ck_assert_int_eq(run.status, 1);
	assert_contains(run.out.ptr, "minlen 9 (on the PAM line)");
	HARDCTL("apply", "--rule", "password.quality");
	ck_assert_msg(run.status == 0, "%s", hc_buf_cstr(&run.err));
	text = test_read(root_dir, "/etc/pam.d/common-password");
	assert_contains(text, "pam_pwquality.so retry=3 minlen=15\n");
	free(text);
	text = test_read(root_dir, DROPIN "50-site.conf");
	ck_assert_str_eq(text, compliant);
	free(text);
}
END_TEST

/*
 * libpam hands pam_pwquality "[minlen=6]" as "minlen=6" (the brackets
 * only group words): the argument wins over the files, FAIL on the PAM
 * line, and apply replaces it.
 */
START_TEST(test_pwq_reader_quality__bracketed_argument_counts)
{
	char *text;

	test_write(root_dir, DROPIN "50-site.conf", compliant, 0644);
	test_replace(root_dir, "/etc/pam.d/common-password",
		     "pam_pwquality.so retry=3",
		     "pam_pwquality.so retry=3 [minlen=6]");
	HARDCTL("check", "--rule", "password.quality");
	ck_assert_int_eq(run.status, 1);
	assert_contains(run.out.ptr, "(on the PAM line)");
	HARDCTL("apply", "--rule", "password.quality");
	ck_assert_msg(run.status == 0, "%s", hc_buf_cstr(&run.err));
	text = test_read(root_dir, "/etc/pam.d/common-password");
	assert_contains(text, "pam_pwquality.so retry=3 minlen=15\n");
	free(text);
	HARDCTL("check", "--rule", "password.quality");
	ck_assert_msg(run.status == 0, "%s", hc_buf_cstr(&run.out));
}
END_TEST

/*
 * "enforcing = 0" (pwquality.conf(5): "otherwise only print the
 * warning"), in a drop-in or as a PAM argument, makes pam_pwquality
 * take any password, however long the minlen: FAIL where it stands,
 * apply sets it to 1 there, and a larger value still enforces.
 */
START_TEST(test_pwq_reader_quality__not_enforcing_fails)
{
	char *text;

	test_write(root_dir, DROPIN "50-site.conf", compliant, 0644);
	test_write(root_dir, DROPIN "60-warn.conf", "enforcing = 0\n", 0644);
	HARDCTL("check", "--rule", "password.quality");
	ck_assert_int_eq(run.status, 1);
	assert_contains(run.out.ptr,
			"pwquality.conf.d/60-warn.conf:1: enforcing 0");
	HARDCTL("apply", "--rule", "password.quality");
	ck_assert_msg(run.status == 0, "%s", hc_buf_cstr(&run.err));
	text = test_read(root_dir, DROPIN "60-warn.conf");
	ck_assert_str_eq(text, "enforcing = 1\n");
	free(text);
	HARDCTL("check", "--rule", "password.quality");
	ck_assert_msg(run.status == 0, "%s", hc_buf_cstr(&run.out));

	test_write(root_dir, DROPIN "60-warn.conf", "enforcing = 2\n", 0644);
	test_replace(root_dir, "/etc/pam.d/common-password",
		     "pam_pwquality.so retry=3",
		     "pam_pwquality.so retry=3 enforcing=0");
	HARDCTL("check", "--rule", "password.quality");
	ck_assert_int_eq(run.status, 1);
	assert_contains(run.out.ptr, "enforcing 0 (on the PAM line)");
	HARDCTL("apply", "--rule", "password.quality");
	ck_assert_msg(run.status == 0, "%s", hc_buf_cstr(&run.err));
	text = test_read(root_dir, "/etc/pam.d/common-password");
	assert_contains(text, "pam_pwquality.so retry=3 enforcing=1\n");
	free(text);
	HARDCTL("check", "--rule", "password.quality");
	ck_assert_msg(run.status == 0, "%s", hc_buf_cstr(&run.out));
}
END_TEST

/* Red Hat 8's stack: pam_pwquality with its drop-in directory. */
START_TEST(test_pwq_reader_quality__redhat_dropin)
{
	char path[4096], *text;

	snprintf(path, sizeof(path), "%s/etc/pam.d/common-password", root_dir);
	ck_assert_int_eq(unlink(path), 0);
	test_write(root_dir, "/etc/pam.d/system-auth",
		   "auth        required      pam_env.so\n"
		   "auth        sufficient    pam_unix.so try_first_pass\n"
		   "auth        required      pam_deny.so\n"
		   "password    requisite     pam_pwquality.so try_first_pass "
		   "local_users_only\n"
		   "password    sufficient    pam_unix.so sha512 shadow "
		   "try_first_pass use_authtok\n"
		   "password    required      pam_deny.so\n",
		   0644);
	test_write(root_dir, DROPIN "10-site.conf", compliant, 0644);
	test_write(root_dir, DROPIN "50-app.conf", "difok = 3\n", 0644);
	HARDCTL("check", "--rule", "password.quality");
	ck_assert_int_eq(run.status, 1);
	assert_contains(run.out.ptr, "50-app.conf:1: difok 3");
	HARDCTL("apply", "--rule", "password.quality");
	ck_assert_msg(run.status == 0, "%s", hc_buf_cstr(&run.err));
	text = test_read(root_dir, DROPIN "50-app.conf");
	ck_assert_str_eq(text, "difok = 8\n");
	free(text);
	HARDCTL("check", "--rule", "password.quality");
	ck_assert_msg(run.status == 0, "%s", hc_buf_cstr(&run.out));
}
END_TEST

/*
 * What useradd writes into a new account's shadow entry from ROOT's
 * login.defs: the fields after the password, "lastchg:min:max:warn",
 * without lastchg.  NULL when useradd cannot be run here.
 */
static char *useradd_aging(const char *root)
{
	static const char script[] =
	    "command -v useradd >/dev/null || exit 99\n"
	    "[ -e \"$1/etc/gshadow\" ] || printf 'root:*::\\n' "
	    ">\"$1/etc/gshadow\"\n"
	    "useradd --prefix \"$1\" -M -N -g 100 hcprobe >/dev/null 2>&1 || "
	    "exit 98\n"
	    "grep '^hcprobe:' \"$1/etc/shadow\" | cut -d: -f4-6\n"
	    "userdel --prefix \"$1\" hcprobe >/dev/null 2>&1\n"
	    "rm -f \"$1/etc/passwd-\" \"$1/etc/shadow-\" \"$1/etc/group-\" "
	    "\"$1/etc/gshadow-\"\n";
	struct test_run r = {0};
	char *out = NULL;

	TEST_RUN(&r, "/bin/sh", "-c", script, "sh", root);
	if (r.status == 0) {
		out = strdup(hc_buf_cstr(&r.out));
		ck_assert_ptr_nonnull(out);
		out[strcspn(out, "\n")] = '\0';
	}
	test_run_release(&r);
	return out;
}

/* useradd gives no warning period when login.defs lacks PASS_WARN_AGE. */
START_TEST(test_pwq_reader_defs__warn_age_unset)
{
	char *aging, *text;

	test_replace(root_dir, "/etc/login.defs", "PASS_WARN_AGE\t7\n", "");
	if ((aging = useradd_aging(root_dir)) != NULL) {
		ck_assert_str_eq(aging,
				 "0:99999:"); /* min:max:warn, warn empty */
		free(aging);
	}
	HARDCTL("check", "--rule", "password.warn-age");
	ck_assert_int_eq(run.status, 1);
	assert_contains(run.out.ptr, "PASS_WARN_AGE not set");
	HARDCTL("apply", "--rule", "password.warn-age");
	ck_assert_msg(run.status == 0, "%s", hc_buf_cstr(&run.err));
	text = test_read(root_dir, "/etc/login.defs");
	assert_contains(text, "\nPASS_WARN_AGE 7\n");
	free(text);
	HARDCTL("check", "--rule", "password.warn-age");
	ck_assert_msg(run.status == 0, "%s", hc_buf_cstr(&run.out));
}
END_TEST

/*
 * getdef reads numbers with strtol base 0: "08" is no number (so unset,
 * no warning), "010" is 8; -1 is "no limit" for useradd.
 */
START_TEST(test_pwq_reader_defs__numbers_as_getdef_reads)
{
	char *aging;

	test_replace(root_dir, "/etc/login.defs", "PASS_WARN_AGE\t7\n",
		     "PASS_WARN_AGE\t08\n");
	test_replace(root_dir, "/etc/login.defs", "PASS_MAX_DAYS\t99999\n",
		     "PASS_MAX_DAYS\t-1\n");
	test_replace(root_dir, "/etc/login.defs", "PASS_MIN_DAYS\t0\n",
		     "PASS_MIN_DAYS\t\"010\"\n");
	if ((aging = useradd_aging(root_dir)) != NULL) {
		ck_assert_str_eq(aging, "8::");
		free(aging);
	}
	HARDCTL("check", "--rule", "password.warn-age");
	ck_assert_int_eq(run.status, 1);
	assert_contains(run.out.ptr, "PASS_WARN_AGE 08");
	HARDCTL("check", "--rule", "password.max-days");
	ck_assert_int_eq(run.status, 1);
	assert_contains(run.out.ptr, "PASS_MAX_DAYS -1");
	HARDCTL("check", "--rule", "password.min-days", "--format", "json");
	ck_assert_msg(run.status == 0, "%s", hc_buf_cstr(&run.out));
	assert_contains(run.out.ptr, "read as 8");
	HARDCTL("apply", "--rule", "password.warn-age", "--rule",
		"password.max-days");
	ck_assert_msg(run.status == 0, "%s", hc_buf_cstr(&run.err));
	if ((aging = useradd_aging(root_dir)) != NULL) {
		ck_assert_str_eq(aging, "8:60:7");
		free(aging);
	}
}
END_TEST

/* A Red Hat era login.defs: every key set, PASS_MIN_LEN among them. */
START_TEST(test_pwq_reader_defs__redhat)
{
	test_write(root_dir, "/etc/login.defs",
		   "MAIL_DIR\t/var/spool/mail\n"
		   "PASS_MAX_DAYS\t99999\n"
		   "PASS_MIN_DAYS\t0\n"
		   "PASS_MIN_LEN\t5\n"
		   "PASS_WARN_AGE\t7\n"
		   "UID_MIN                  1000\n"
		   "UID_MAX                 60000\n"
		   "CREATE_HOME\tyes\n"
		   "ENCRYPT_METHOD SHA512\n",
		   0644);
	HARDCTL("check", "--rule", "password.warn-age");
	ck_assert_msg(run.status == 0, "%s", hc_buf_cstr(&run.out));
	HARDCTL("check", "--rule", "password.max-days");
	ck_assert_int_eq(run.status, 1);
	assert_contains(run.out.ptr, "PASS_MAX_DAYS 99999");
	HARDCTL("check", "--rule", "password.min-len");
	ck_assert_int_eq(run.status, 1);
	assert_contains(run.out.ptr, "PASS_MIN_LEN 5");
}
END_TEST

/*
 * password.shadow-aging applied leaves /etc/shadow holding WANT (all of
 * it when WHOLE), passes its check, and rolls back to every byte.
 */
static void aging_applies(const char *want, bool whole)
{
	char *before = test_state(root_dir), *text;

	HARDCTL("apply", "--rule", "password.shadow-aging");
	ck_assert_msg(run.status == 0, "%s", hc_buf_cstr(&run.err));
	text = test_read(root_dir, "/etc/shadow");
	if (whole)
		ck_assert_str_eq(text, want);
	else
		assert_contains(text, want);
	free(text);
	HARDCTL("check", "--rule", "password.shadow-aging");
	ck_assert_msg(run.status == 0, "%s", hc_buf_cstr(&run.out));
	rollback_restores(before);
}

/*
 * shadow(5): an empty maximum is none, an empty minimum or warning 0.
 * (-1, which glibc reads as empty, Augeas's Shadow lens refuses: an
 * error naming the line.)
 */
START_TEST(test_pwq_reader_shadow__empty_fields)
{
	test_write(root_dir, "/etc/shadow",
		   "root:*:19700:0:99999:7:::\n"
		   "admin:$y$j9T$abc$def:19700::::::\n",
		   0640);
	HARDCTL("check", "--rule", "password.shadow-aging");
	ck_assert_int_eq(run.status, 1);
	assert_contains(run.out.ptr, "admin max-days (empty: no maximum)");
	assert_contains(run.out.ptr, "admin min-days (empty: 0)");
	assert_contains(run.out.ptr, "admin warn-days (empty: 0)");
	assert_lacks(run.out.ptr, "$y$");
	aging_applies("admin:$y$j9T$abc$def:19700:1:60:7:::\n", false);
}
END_TEST

/*
 * The rule edits the login accounts' entries in one walk of the tree:
 * comments, blank lines and system accounts between them, passwd in
 * another order, must leave each edit on its own entry and each
 * finding on its line as read.
 */
START_TEST(test_pwq_reader_shadow__edits_between_other_lines)
{
	test_write(root_dir, "/etc/passwd",
		   "carol:x:1002:1002::/home/carol:/bin/bash\n"
		   "daemon:x:1:1::/usr/sbin:/usr/sbin/nologin\n"
		   "root:x:0:0::/root:/bin/bash\n"
		   "bob:x:1001:1001::/home/bob:/bin/bash\n"
		   "alice:x:1000:1000::/home/alice:/bin/bash\n",
		   0644);
	test_write(root_dir, "/etc/shadow",
		   "root:*:19700:0:99999:7:::\n"
		   "# people\n"
		   "alice:$y$j9T$a$a:19700::::::\n"
		   "\n"
		   "bob:$y$j9T$b$b:19700:1:60:7:::\n"
		   "  # more\n"
		   "daemon:*:19700:0:99999:7:::\n"
		   "carol:$y$j9T$c$c:19700:1:99999:7:::\n",
		   0640);
	HARDCTL("check", "--rule", "password.shadow-aging");
	ck_assert_int_eq(run.status, 1);
	assert_contains(run.out.ptr, "shadow:3: alice max-days (empty");
	assert_contains(run.out.ptr, "shadow:8: carol max-days 99999");
	assert_lacks(run.out.ptr, "bob ");
	assert_lacks(run.out.ptr, "daemon ");
	aging_applies("root:*:19700:0:99999:7:::\n"
		      "# people\n"
		      "alice:$y$j9T$a$a:19700:1:60:7:::\n"
		      "\n"
		      "bob:$y$j9T$b$b:19700:1:60:7:::\n"
		      "  # more\n"
		      "daemon:*:19700:0:99999:7:::\n"
		      "carol:$y$j9T$c$c:19700:1:60:7:::\n",
		      true);
}
END_TEST

Suite *pwq_reader_suite(void)
{
	Suite *s = suite_create("pwq_reader");
	TCase *tc = tcase_create("debian12");

	tcase_add_checked_fixture(tc, setup_debian, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_pwq_reader_quality__dropin_compliant_passes);
	tcase_add_test(tc, test_pwq_reader_quality__dropin_weakens);
	tcase_add_test(tc, test_pwq_reader_quality__main_file_read_last);
	tcase_add_test(tc, test_pwq_reader_quality__names_case_crlf);
	tcase_add_test(tc, test_pwq_reader_quality__unknown_setting_stops);
	tcase_add_test(tc,
		       test_pwq_reader_quality__wildcard_named_setting_stops);
	tcase_add_test(tc, test_pwq_reader_quality__long_line_stops);
	tcase_add_test(tc, test_pwq_reader_quality__pam_argument_wins);
	tcase_add_test(tc, test_pwq_reader_quality__redhat_dropin);
	tcase_add_test(tc, test_pwq_reader_quality__not_enforcing_fails);
	tcase_add_test(tc, test_pwq_reader_quality__bracketed_argument_counts);
	tcase_add_test(tc, test_pwq_reader_defs__warn_age_unset);
	tcase_add_test(tc, test_pwq_reader_defs__numbers_as_getdef_reads);
	tcase_add_test(tc, test_pwq_reader_defs__redhat);
	tcase_add_test(tc, test_pwq_reader_shadow__empty_fields);
	tcase_add_test(tc, test_pwq_reader_shadow__edits_between_other_lines);
	suite_add_tcase(s, tc);
	return s;
}
