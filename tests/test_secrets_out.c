/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What reaches the terminal: every secret masked in every output (diffs
 * with their context lines and hunk headers, JSON, explain, show), the
 * published profile digest free of secrets, and text from ROOT (file
 * names, lines of managed files) with its control characters escaped.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "hardctl/mask.h"
#include "test.h"

static char *root_dir, *work, *tailoring;
static struct test_run run;

#define HARDCTL(...) TEST_HARDCTL(&run, "--root", root_dir, __VA_ARGS__)

#define TAILORED "TailoredSecret42"

static void setup(void)
{
	char path[4096];

	root_dir = test_root("debian12");
	work = test_mkdtemp();
	memset(&run, 0, sizeof(run));
	snprintf(path, sizeof(path), "%s/site.conf", work);
	tailoring = strdup(path);
	test_write(
	    "/", tailoring,
	    "[tailoring]\nname = site\nversion = 1\nprofile = service-console\n"
	    "[snmp.community]\ncommunity = " TAILORED "\n",
	    0600);
}

static void teardown(void)
{
	test_run_release(&run);
	test_rmtree(root_dir);
	test_rmtree(work);
	free(root_dir);
	free(work);
	free(tailoring);
}

/*
 * An snmpd.conf whose secret lines stand around the two lines apply
 * changes (the "public" communities), so that they show as context;
 * its first line is the one git's hunk header quotes.  The words
 * holding "Secret" (and the keys) must never show.
 */
static const char snmpd_conf[] =
    "createUser -e 0x80001f88 bob SHA -l 0x00aa11bb0011 AES -l 0x00cc22dd0011\n"
    "# one\n"
    "# two\n"
    "# three\n"
    "trapcommunity TrapSecret1\n"
    "trapsink loghost SinkSecret2 162\n"
    "TRAP2SINK -name n -s 10.0.0.1 loghost Trap2Secret3 162\n"
    "rocommunity public default\n"
    "informsink -tag t loghost InformSecret4\n"
    "rocommunity \"quoted Secret5\" 10.0.0.0/8\n"
    "# rocommunity OldSecret6 10.0.0.0/8\n"
    "createUser alice SHA \"auth Secret7\" AES \"priv Secret8\"\n"
    "createUser carol SHA-512 Secret9auth\n"
    "createuser dave MD5 Secret10auth DES Secret11priv\n"
    "rocommunity6 public default\n"
    "trapsess -v 3 -u bob -a SHA -A Secret12auth -x AES -X Secret13priv "
    "loghost\n"
    "com2sec -Cn ctx sec 10.0.0.0/8 Secret14\n"
    "authcommunity log,execute,net Secret15 10.0.0.0/8\n";

static void assert_no_secret(const char *text)
{
	assert_lacks(text, "Secret");
	assert_lacks(text, TAILORED);
	assert_lacks(text, "0x00aa11bb0011");
	assert_lacks(text, "0x00cc22dd0011");
}

START_TEST(test_secrets_out_diff__context_and_hunk_header_masked)
{
	test_write(root_dir, "/etc/snmp/snmpd.conf", snmpd_conf, 0644);

	HARDCTL("apply", "--dry-run", "--rule", "snmp.community", "--tailoring",
		tailoring);
	ck_assert_msg(run.status == 0, "exit %d: %s", run.status, run.err.ptr);
	assert_contains(run.out.ptr, "@@ -5,14 +5,14 @@");
	assert_contains(run.out.ptr, "+rocommunity ******** default\n");
	assert_no_secret(run.out.ptr);
	assert_no_secret(run.err.ptr);

	HARDCTL("apply", "--dry-run", "--rule", "snmp.community", "--tailoring",
		tailoring, "--format", "json");
	ck_assert_msg(run.status == 0, "exit %d: %s", run.status, run.err.ptr);
	assert_contains(run.out.ptr, "trapcommunity ********");
	assert_no_secret(run.out.ptr);

	/* Read back from the store, no rule has named the secrets. */
	HARDCTL("apply", "--rule", "snmp.community", "--tailoring", tailoring);
	ck_assert_msg(run.status == 0, "exit %d: %s", run.status, run.err.ptr);
	assert_no_secret(run.out.ptr);
	assert_no_secret(run.err.ptr);
	HARDCTL("show", "1");
	ck_assert_msg(run.status == 0, "exit %d: %s", run.status, run.err.ptr);
	assert_contains(run.out.ptr, "createUser alice SHA ********");
	assert_no_secret(run.out.ptr);
	HARDCTL("show", "1", "--format", "json");
	assert_no_secret(run.out.ptr);
	HARDCTL("log");
	assert_no_secret(run.out.ptr);
}
END_TEST

START_TEST(test_secrets_out_explain__secret_parameter_masked)
{
	HARDCTL("explain", "snmp.community", "--tailoring", tailoring);
	ck_assert_msg(run.status == 0, "exit %d: %s", run.status, run.err.ptr);
	assert_contains(run.out.ptr, "community = ********");
	assert_lacks(run.out.ptr, TAILORED);
	HARDCTL("explain", "snmp.community", "--tailoring", tailoring,
		"--format", "json");
	ck_assert_msg(run.status == 0, "exit %d: %s", run.status, run.err.ptr);
	assert_contains(run.out.ptr, "\"secret\":true");
	assert_lacks(run.out.ptr, TAILORED);
	/* The weak list is no secret: it names what must not remain. */
	assert_contains(run.out.ptr, "public private");
}
END_TEST

/* A secret holding '\\' or '"' reads otherwise in JSON: masked there too. */
START_TEST(test_secrets_out_mask__json_escaped_form)
{
	struct hc_strlist secrets = HC_STRLIST_INIT;
	struct hc_buf text = HC_BUF_INIT;

	hc_strlist_push(&secrets, "ab\\cd\"ef");
	hc_buf_puts(&text, "{\"found\":\"rocommunity ab\\\\cd\\\"ef\"}");
	ck_assert_int_eq(hc_mask(&text, &secrets), 0);
	ck_assert_str_eq(text.ptr, "{\"found\":\"rocommunity ********\"}");
	hc_buf_release(&text);
	hc_strlist_release(&secrets);
}
END_TEST

/* Write a tailoring setting snmp.community's PARAM to VALUE; its path. */
static char *write_tailoring(const char *name, const char *param,
			     const char *value)
{
	char path[4096], text[512];

	snprintf(path, sizeof(path), "%s/%s", work, name);
	snprintf(
	    text, sizeof(text),
	    "[tailoring]\nname = site\nversion = 1\nprofile = service-console\n"
	    "[snmp.community]\n%s = %s\n",
	    param, value);
	test_write("/", path, text, 0600);
	return strdup(path);
}

/* The SHA-256 check publishes for the profile, with TAILORING (hex, static). */
static const char *published_digest(const char *tail)
{
	static char hex[65];
	const char *at;

	HARDCTL("check", "--rule", "snmp.community", "--tailoring", tail,
		"--format", "json");
	ck_assert_msg(
	    run.out.ptr && (at = strstr(run.out.ptr, "\"sha256\":\"")) != NULL,
	    "no sha256 in:\n%s", run.out.ptr ? run.out.ptr : "(null)");
	memcpy(hex, at + 10, 64);
	hex[64] = '\0';
	return hex;
}

/* sha256sum of the file PATH, as hex. */
static void file_digest(char out[65], const char *path)
{
	struct test_run sum = {0};

	TEST_RUN(&sum, "/usr/bin/sha256sum", path);
	ck_assert_int_eq(sum.status, 0);
	memcpy(out, sum.out.ptr, 64);
	out[64] = '\0';
	test_run_release(&sum);
}

/*
 * The published digest leaves secret parameters out: a word list
 * cannot confirm a guessed community offline.  Changing only the
 * secret keeps the digest; changing any other parameter changes it;
 * no digest published is SHA-256 of the file holding the secret.
 */
START_TEST(test_secrets_out_digest__secret_left_out)
{
	char *a = write_tailoring("a.conf", "community", "FirstSecret1");
	char *b = write_tailoring("b.conf", "community", "OtherSecret2");
	char *pub = write_tailoring("public.conf", "community", "public");
	char *weak =
	    write_tailoring("weak.conf", "weak", "public private secret");
	char da[65], file[65];

	snprintf(da, sizeof(da), "%s", published_digest(a));
	ck_assert_str_eq(published_digest(b), da);
	assert_lacks(run.out.ptr, "OtherSecret2");
	ck_assert_str_ne(published_digest(weak), da);

	/* Neither the profile's digest nor the tailoring file's own is its
	 * SHA-256. */
	file_digest(file, pub);
	ck_assert_str_ne(published_digest(pub), file);
	assert_lacks(run.out.ptr, file);
	assert_contains(run.out.ptr, "\"role\":\"tailoring\"");
	HARDCTL("check", "--rule", "snmp.community", "--tailoring", pub);
	assert_lacks(run.out.ptr, file);
	free(a);
	free(b);
	free(pub);
	free(weak);
}
END_TEST

/* A drop-in name that, printed raw, forges a report line and retitles the
 * terminal. */
#define EVIL "/etc/ssh/sshd_config.d/evil\n[PASS] forged\033]0;pwned\007.conf"
#define EVIL_SHOWN                                                             \
	"/etc/ssh/sshd_config.d/evil\\n[PASS] forged\\x1b]0;pwned\\x07.conf"

static void assert_no_forgery(const char *text)
{
	assert_lacks(text, "\n[PASS] forged");
	assert_lacks(text, "\033]");
	assert_lacks(text, "\033[2J");
	assert_lacks(text, "\007");
}

/*
 * Names and lines from ROOT reach the terminal escaped: in check's
 * report (plain and coloured), the dry run's diff headers and bodies,
 * the lockout check's lines, status, and error messages.
 */
START_TEST(test_secrets_out_escape__file_name_and_line_cannot_forge)
{
	test_write(root_dir, EVIL, "# \033[2J cleared\nPermitRootLogin yes\n",
		   0644);

	HARDCTL("check", "--rule", "root-access.sshd-permit-root-login");
	ck_assert_int_eq(run.status, 1);
	assert_contains(run.out.ptr, EVIL_SHOWN ":2: PermitRootLogin yes");
	assert_no_forgery(run.out.ptr);
	assert_no_forgery(run.err.ptr);
	{
		const char *const args[] = {
		    "--root",
		    root_dir,
		    "check",
		    "--rule",
		    "root-access.sshd-permit-root-login",
		    NULL};

		test_run_release(&run);
		test_hardctl_tty(&run, args);
		assert_contains(run.out.ptr, "\033[31mFAIL");
		assert_no_forgery(run.out.ptr);
	}

	HARDCTL("apply", "--dry-run", "--rule",
		"root-access.sshd-permit-root-login");
	ck_assert_msg(run.status == 0, "exit %d: %s", run.status, run.err.ptr);
	assert_contains(run.out.ptr, "+++ b" EVIL_SHOWN "\n");
	assert_contains(run.out.ptr, " # \\x1b[2J cleared\n");
	assert_no_forgery(run.out.ptr);
	assert_no_forgery(run.err.ptr);

	HARDCTL("apply", "--rule", "root-access.sshd-permit-root-login");
	ck_assert_msg(run.status == 0, "exit %d: %s", run.status, run.err.ptr);
	assert_no_forgery(run.out.ptr);
	assert_no_forgery(run.err.ptr);
	test_replace(root_dir, EVIL, "PermitRootLogin no",
		     "PermitRootLogin no\n#");
	HARDCTL("status");
	assert_contains(run.out.ptr, EVIL_SHOWN);
	assert_no_forgery(run.out.ptr);
	HARDCTL("show", "1");
	assert_contains(run.out.ptr, EVIL_SHOWN);
	assert_no_forgery(run.out.ptr);
}
END_TEST

/* A file that does not parse is named in the error, escaped. */
START_TEST(test_secrets_out_escape__error_names_file_escaped)
{
	test_write(root_dir, EVIL, "PermitRootLogin\n", 0644);

	HARDCTL("check", "--rule", "root-access.sshd-permit-root-login");
	ck_assert_int_ne(run.status, 0);
	assert_contains(run.err.ptr, "evil\\n[PASS] forged");
	assert_no_forgery(run.out.ptr);
	assert_no_forgery(run.err.ptr);
}
END_TEST

/* The escaping helper: controls of C0, DEL and C1, not text, not what KEEP
 * names. */
START_TEST(test_secrets_out_escape__helper)
{
	struct hc_buf b = HC_BUF_INIT;

	ck_assert_int_eq(
	    hc_buf_put_escaped(&b, "a\nb\r\t\033[0m\177\xc2\x9b\xc3\xa9\\", 15,
			       NULL),
	    0);
	ck_assert_str_eq(b.ptr, "a\\nb\\r\\t\\x1b[0m\\x7f\\xc2\\x9b\xc3\xa9\\");
	hc_buf_clear(&b);
	ck_assert_int_eq(hc_buf_put_escaped(&b, "x\ny\tz\033", 6, "\n\t"), 0);
	ck_assert_str_eq(b.ptr, "x\ny\tz\\x1b");
	hc_buf_release(&b);
}
END_TEST

Suite *secrets_out_suite(void)
{
	Suite *s = suite_create("secrets_out");
	TCase *tc = tcase_create("secrets_out");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc,
		       test_secrets_out_diff__context_and_hunk_header_masked);
	tcase_add_test(tc, test_secrets_out_explain__secret_parameter_masked);
	tcase_add_test(tc, test_secrets_out_mask__json_escaped_form);
	tcase_add_test(tc, test_secrets_out_digest__secret_left_out);
	tcase_add_test(
	    tc, test_secrets_out_escape__file_name_and_line_cannot_forge);
	tcase_add_test(tc, test_secrets_out_escape__error_names_file_escaped);
	tcase_add_test(tc, test_secrets_out_escape__helper);
	suite_add_tcase(s, tc);
	return s;
}
