/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Machine-readable everywhere: each command's JSON validates against
 * its schema in docs/, carries hardctl_version, and a failing command
 * run with --format json prints exactly one JSON document on stdout,
 * the error object, saying what stderr says.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/file.h>
#include <unistd.h>
#include "test.h"

#define PYTHON "/usr/bin/python3"

static char *root_dir, *work;
static struct test_run run;

#define HARDCTL(...) TEST_HARDCTL(&run, __VA_ARGS__)

static void setup(void)
{
	root_dir = test_demo_root();
	work = test_mkdtemp();
	memset(&run, 0, sizeof(run));
}

static void teardown(void)
{
	test_run_release(&run);
	test_rmtree(root_dir);
	test_rmtree(work);
	free(root_dir);
	free(work);
}

/* Write TEXT to WORK/NAME and return that path (static storage). */
static const char *save_as(const char *name, const char *text)
{
	static char path[4][4096];
	static int next;
	char file[512];
	char *p = path[next++ % 4];

	snprintf(file, sizeof(file), "/%s", name);
	test_write(work, file, text ? text : "", 0644);
	snprintf(p, 4096, "%s%s", work, file);
	return p;
}

/*
 * Stdout holds one JSON document (json.loads refuses "Extra data"),
 * valid against the schema, with hardctl_version first.
 */
static const char validate[] =
    "import json, sys, jsonschema\n"
    "schema = json.load(open(sys.argv[1]))\n"
    "jsonschema.Draft202012Validator.check_schema(schema)\n"
    "text = open(sys.argv[2]).read()\n"
    "doc = json.loads(text)\n"
    "jsonschema.Draft202012Validator(schema).validate(doc)\n"
    "assert list(doc)[0] == 'hardctl_version', list(doc)\n"
    "print(doc['hardctl_version'])\n";

/* The output of the last run against docs/SCHEMA.schema.json. */
static void assert_valid(const char *schema)
{
	char path[4096];
	const char *doc = save_as("out.json", run.out.ptr);
	struct test_run py = {0};

	snprintf(path, sizeof(path), "%s/docs/%s.schema.json", HC_SOURCE_DIR,
		 schema);
	TEST_RUN(&py, PYTHON, "-c", validate, path, doc);
	ck_assert_msg(py.status == 0, "%.1500s against %s:\n%.1500s\n%s",
		      run.out.ptr, schema, py.err.ptr, py.out.ptr);
	ck_assert_str_eq(py.out.ptr, HARDCTL_VERSION "\n");
	test_run_release(&py);
}

/*
 * The error members of the one document on stdout: valid against
 * SCHEMA, code the exit status, and the message one of stderr's lines
 * ("hardctl: MESSAGE", or "hardctl COMMAND: ..." for an option's; the
 * usage's first line when no command was given).
 * Prints "FILE LINE" (None when null).
 */
static const char error_check[] =
    "import json, sys, jsonschema\n"
    "schema = json.load(open(sys.argv[1]))\n"
    "doc = json.loads(open(sys.argv[2]).read())\n"
    "jsonschema.Draft202012Validator(schema).validate(doc)\n"
    "err = open(sys.argv[3]).read().splitlines()\n"
    "assert doc['code'] == int(sys.argv[4]), doc\n"
    "e = doc['error']\n"
    "assert 'hardctl: ' + e in err or 'hardctl ' + e in err or "
    "e.startswith('usage: ') and e in err, (e, err)\n"
    "print(doc['file'], doc['line'])\n";

/* Assert the last run failed with STATUS and said so in JSON; FILE LINE. */
static char *assert_error(int status, const char *schema)
{
	char path[4096];
	const char *out = save_as("err.json", run.out.ptr);
	const char *err = save_as("err.txt", run.err.ptr);
	char code[16];
	struct test_run py = {0};
	char *where;

	ck_assert_msg(run.status == status, "exit %d, not %d:\n%.1500s%.1500s",
		      run.status, status, run.out.ptr, run.err.ptr);
	snprintf(path, sizeof(path), "%s/docs/%s.schema.json", HC_SOURCE_DIR,
		 schema);
	snprintf(code, sizeof(code), "%d", status);
	TEST_RUN(&py, PYTHON, "-c", error_check, path, out, err, code);
	ck_assert_msg(py.status == 0,
		      "stdout:\n%.1500s\nstderr:\n%.1500s\n%.1500s",
		      run.out.ptr, run.err.ptr, py.err.ptr);
	where = strdup(py.out.ptr);
	test_run_release(&py);
	return where;
}

START_TEST(test_json_out_reports__valid_against_their_schemas)
{
	HARDCTL("--root", root_dir, "check", "--format", "json");
	ck_assert_int_eq(run.status, 1);
	assert_valid("check-report");
	HARDCTL("--root", root_dir, "--format", "json", "diff");
	ck_assert_int_eq(run.status, 0);
	assert_valid("apply-report");
	assert_contains(run.out.ptr, "\"command\":\"diff\"");
	HARDCTL("--root", root_dir, "apply", "--dry-run", "--format", "json");
	ck_assert_int_eq(run.status, 0);
	assert_valid("apply-report");
	HARDCTL("--root", root_dir, "--format", "json", "apply");
	ck_assert_msg(run.status == 0, "%s", run.err.ptr);
	assert_valid("apply-report");
	assert_contains(run.out.ptr, "\"transaction\":1");
	HARDCTL("--root", root_dir, "--format", "json", "log");
	ck_assert_int_eq(run.status, 0);
	assert_valid("log");
	HARDCTL("--root", root_dir, "--format", "json", "verify");
	ck_assert_int_eq(run.status, 0);
	assert_valid("verify");
	HARDCTL("--root", root_dir, "--format", "json", "status");
	ck_assert_int_eq(run.status, 0);
	assert_valid("status");
	test_replace(root_dir, "/etc/issue", "AUTHORIZED", "authorized");
	HARDCTL("--root", root_dir, "--format", "json", "status", "--diff");
	ck_assert_int_eq(run.status, 1);
	assert_valid("status");
	assert_contains(run.out.ptr, "\"diff\":\"diff --git");
	/* The rest carry the version too. */
	HARDCTL("--format", "json", "list");
	assert_contains(run.out.ptr, "{\"hardctl_version\":\"" HARDCTL_VERSION);
	HARDCTL("--format", "json", "explain", "banner.issue");
	assert_contains(run.out.ptr, "{\"hardctl_version\":\"" HARDCTL_VERSION);
	HARDCTL("--root", root_dir, "--format", "json", "rollback",
		"--dry-run");
	assert_contains(run.out.ptr, "{\"hardctl_version\":\"" HARDCTL_VERSION);
}
END_TEST

/* A schema of ours refuses a field it does not list. */
START_TEST(test_json_out_schemas__strict)
{
	static const char *const names[] = {"apply-report", "status", "log",
					    "verify", "error"};
	const char *doc = save_as("x.json", "{\"hardctl_version\":\"0.1.0\","
					    "\"schema\":1,\"surprise\":1}");

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		char path[4096];

		snprintf(path, sizeof(path), "%s/docs/%s.schema.json",
			 HC_SOURCE_DIR, names[i]);
		TEST_RUN(&run, PYTHON, "-c", validate, path, doc);
		ck_assert_int_ne(run.status, 0);
		assert_contains(run.err.ptr, "ValidationError");
	}
}
END_TEST

START_TEST(test_json_out_error__usage)
{
	char *where;

	/* --format json before the command, the error in its options. */
	HARDCTL("--root", root_dir, "--format", "json", "check", "--severty",
		"x");
	where = assert_error(2, "error");
	ck_assert_str_eq(where, "None None\n");
	free(where);
	assert_contains(run.out.ptr, "unknown option '--severty'");
	/* After the command; an unknown command; no command. */
	HARDCTL("--root", root_dir, "check", "--format", "json", "extra");
	free(assert_error(2, "error"));
	HARDCTL("--format", "json", "chek");
	free(assert_error(2, "error"));
	assert_contains(run.out.ptr, "did you mean 'check'");
	HARDCTL("--format", "json");
	free(assert_error(2, "error"));
	/* Not parsed yet: text only. */
	HARDCTL("--bogus", "--format", "json", "check");
	ck_assert_int_eq(run.status, 2);
	ck_assert_str_eq(run.out.ptr, "");
}
END_TEST

START_TEST(test_json_out_error__unknown_rule)
{
	HARDCTL("--root", root_dir, "--format", "json", "apply", "--rule",
		"banner.nope");
	free(assert_error(2, "error"));
	assert_contains(run.out.ptr, "banner.nope");
}
END_TEST

START_TEST(test_json_out_error__profile_file_and_line)
{
	const char *t = save_as("t.conf", "[tailoring]\nname = t\nversion = 1\n"
					  "[password.max-days]\n"
					  "days = many\n");
	char want[4200];
	char *where;

	HARDCTL("--root", root_dir, "--format", "json", "check", "--tailoring",
		t);
	where = assert_error(2, "error");
	snprintf(want, sizeof(want), "%s 5\n", t);
	ck_assert_str_eq(where, want);
	free(where);
	t = save_as("t2.conf", "[tailoring\n");
	HARDCTL("--root", root_dir, "--format", "json", "check", "--tailoring",
		t);
	where = assert_error(2, "error");
	snprintf(want, sizeof(want), "%s 1\n", t);
	ck_assert_str_eq(where, want);
	free(where);
}
END_TEST

/* The store's default path leaves ROOT through a symlink: refused. */
START_TEST(test_json_out_error__hostile_store)
{
	char *where;

	test_mkdirs(work, "/elsewhere");
	test_mkdirs(root_dir, "/var/lib");
	test_link(root_dir, "/var/lib/hardctl", work);
	HARDCTL("--root", root_dir, "--format", "json", "apply", "--rule",
		"banner.issue");
	where = assert_error(5, "error");
	/* As ROOT sees it. */
	ck_assert_str_eq(where, "/var/lib/hardctl None\n");
	free(where);
	assert_lacks(run.out.ptr, root_dir);
}
END_TEST

START_TEST(test_json_out_error__locked)
{
	char path[4096];
	int fd;

	HARDCTL("--root", root_dir, "apply", "--rule", "banner.issue");
	ck_assert_int_eq(run.status, 0);
	snprintf(path, sizeof(path), "%s/var/lib/hardctl/oldconf/hardctl.lock",
		 root_dir);
	ck_assert((fd = open(path, O_RDWR)) >= 0);
	ck_assert(flock(fd, LOCK_EX) == 0);
	HARDCTL("--root", root_dir, "--format", "json", "apply");
	free(assert_error(5, "error"));
	assert_contains(run.out.ptr, "another hardctl");
	close(fd);
}
END_TEST

/*
 * verify on a store signed by another key: its report, valid, with the
 * verdict as the error's members (exit 5): still one document.
 */
START_TEST(test_json_out_error__verify_not_sound)
{
	char *other = test_demo_root(), key[4096];

	HARDCTL("--root", root_dir, "apply", "--rule", "banner.issue");
	ck_assert_int_eq(run.status, 0);
	HARDCTL("--root", other, "apply", "--rule", "banner.issue");
	ck_assert_int_eq(run.status, 0);
	snprintf(key, sizeof(key), "%s/var/lib/hardctl/oldconf.key", other);
	HARDCTL("--root", root_dir, "--key", key, "--format", "json", "verify");
	assert_valid("verify");
	free(assert_error(5, "verify"));
	assert_contains(run.out.ptr, "\"sound\":false");
	assert_contains(run.out.ptr, "the store was altered outside hardctl");
	test_rmtree(other);
	free(other);
}
END_TEST

/*
 * A dry run the lockout judgment refuses (the demo as shipped): its
 * report, valid, with the refusal as the error's members (exit 5).
 */
START_TEST(test_json_out_error__dry_run_refused_after_report)
{
	char *shipped = test_demo_root_as_shipped();

	HARDCTL("--root", shipped, "--format", "json", "apply", "--dry-run");
	assert_valid("apply-report");
	free(assert_error(5, "apply-report"));
	assert_contains(run.out.ptr, "\"verdict\":\"refused\"");
	assert_contains(run.out.ptr, "\"error\":\"refused: ");
	test_rmtree(shipped);
	free(shipped);
}
END_TEST

/* A secret refused by the profile is masked, on stderr as in JSON. */
START_TEST(test_json_out_error__no_secret)
{
	const char *t = save_as("t.conf", "[tailoring]\nname = t\nversion = 1\n"
					  "[snmp.community]\n"
					  "community = S3cr3tZZ Q7\n");

	HARDCTL("--root", root_dir, "--format", "json", "check", "--tailoring",
		t);
	free(assert_error(2, "error"));
	assert_lacks(run.out.ptr, "S3cr3tZZ");
	assert_lacks(run.err.ptr, "S3cr3tZZ");
	assert_lacks(run.out.ptr, "Q7");
	assert_contains(run.out.ptr, "'********' has 2 words");
}
END_TEST

/*
 * A check that fails after its report (a rule in ERROR, exit 2): one
 * document, the report with the error's members; the file and line
 * are in the message, as the rule's reason has them.
 */
START_TEST(test_json_out_error__after_the_report)
{
	char *where;

	test_write(root_dir, "/etc/snmp/snmpd.conf",
		   "rocommunity S3cr3tZZ\n\001x\n", 0600);
	HARDCTL("--root", root_dir, "--format", "json", "check", "--rule",
		"snmp.community");
	assert_valid("check-report");
	where = assert_error(2, "check-report");
	ck_assert_str_eq(where, "None None\n");
	free(where);
	assert_contains(run.out.ptr, "\"results\":[");
	assert_contains(run.out.ptr, "\"error\":\"/etc/snmp/snmpd.conf:2: ");
	assert_lacks(run.out.ptr, "S3cr3tZZ");
}
END_TEST

Suite *json_out_suite(void)
{
	Suite *s = suite_create("json_out");
	TCase *tc = tcase_create("demo");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_json_out_reports__valid_against_their_schemas);
	tcase_add_test(tc, test_json_out_schemas__strict);
	tcase_add_test(tc, test_json_out_error__usage);
	tcase_add_test(tc, test_json_out_error__unknown_rule);
	tcase_add_test(tc, test_json_out_error__profile_file_and_line);
	tcase_add_test(tc, test_json_out_error__hostile_store);
	tcase_add_test(tc, test_json_out_error__locked);
	tcase_add_test(tc, test_json_out_error__verify_not_sound);
	tcase_add_test(tc, test_json_out_error__dry_run_refused_after_report);
	tcase_add_test(tc, test_json_out_error__no_secret);
	tcase_add_test(tc, test_json_out_error__after_the_report);
	suite_add_tcase(s, tc);
	return s;
}
