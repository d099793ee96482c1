/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * check's reports as their readers see them: evidence lines on Debian's
 * own files, waivers, severity filters, DRIFTED, colour, the JSON report
 * against its published schema and the JUnit report read by a JUnit
 * library.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "test.h"

#define PYTHON "/usr/bin/python3"

static char *root_dir, *work;
static struct test_run run;

#define HARDCTL(...) TEST_HARDCTL(&run, __VA_ARGS__)

static void setup(void)
{
	root_dir = test_root("debian12");
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

/* The line (from 1) of the first line of ROOT/PATH starting with PREFIX. */
static unsigned int line_of(const char *path, const char *prefix)
{
	char *text = test_read(root_dir, path);
	unsigned int line = 1;

	ck_assert_ptr_nonnull(text);
	for (const char *p = text; *p; line++) {
		const char *nl = strchr(p, '\n');

		if (strncmp(p, prefix, strlen(prefix)) == 0) {
			free(text);
			return line;
		}
		if (nl == NULL)
			break;
		p = nl + 1;
	}
	free(text);
	ck_abort_msg("no line of %s starts with %s", path, prefix);
	return 0;
}

/* Write a tailoring of service-console as WORK/NAME; its path in PATH. */
static void tailoring(char path[4096], const char *name, const char *rules)
{
	char file[512], text[4096];

	snprintf(file, sizeof(file), "/%s", name);
	snprintf(text, sizeof(text),
		 "[tailoring]\nname = site\nversion = 1\n"
		 "profile = service-console\n%s",
		 rules);
	test_write(work, file, text, 0644);
	snprintf(path, 4096, "%s%s", work, file);
}

/* Write RUN's stdout to WORK/NAME and return that path. */
static const char *save(const char *name)
{
	static char path[4096];
	char file[512];

	snprintf(file, sizeof(file), "/%s", name);
	test_write(work, file, run.out.ptr, 0644);
	snprintf(path, sizeof(path), "%s%s", work, file);
	return path;
}

START_TEST(test_report_evidence__lines_on_debian_files)
{
	char want[256];

	HARDCTL("--root", root_dir, "check", "--rule", "password.max-days",
		"--rule", "snmp.community");
	ck_assert_int_eq(run.status, 1);
	snprintf(want, sizeof(want),
		 "/etc/login.defs:%u: PASS_MAX_DAYS 99999; expected",
		 line_of("/etc/login.defs", "PASS_MAX_DAYS\t"));
	ck_assert_msg(strstr(run.out.ptr, want), "no '%s' in:\n%s", want,
		      run.out.ptr);
	snprintf(want, sizeof(want),
		 "/etc/snmp/snmpd.conf:%u: rocommunity public;",
		 line_of("/etc/snmp/snmpd.conf", "rocommunity  public"));
	ck_assert_msg(strstr(run.out.ptr, want), "no '%s' in:\n%s", want,
		      run.out.ptr);

	HARDCTL("--root", root_dir, "check", "--format", "json", "--rule",
		"password.max-days");
	snprintf(want, sizeof(want),
		 "\"file\":\"/etc/login.defs\",\"line\":%u,",
		 line_of("/etc/login.defs", "PASS_MAX_DAYS\t"));
	ck_assert_msg(strstr(run.out.ptr, want), "no '%s' in:\n%s", want,
		      run.out.ptr);
}
END_TEST

START_TEST(test_report_waiver__in_force_waived_and_left_alone)
{
	char path[4096], *before = test_read(root_dir, "/etc/issue"), *after;

	tailoring(path, "t.conf",
		  "[banner.issue]\nwaiver = the console shows no banner\n"
		  "waiver-approver = J. Doe\nwaiver-expires = 2999-12-31\n");
	HARDCTL("--root", root_dir, "check", "--tailoring", path, "--rule",
		"banner.issue");
	ck_assert_int_eq(run.status, 0); /* WAIVED counts as a pass */
	assert_contains(run.out.ptr, "WAIVED ");
	assert_contains(run.out.ptr,
			"waived until 2999-12-31, approved by J. Doe: "
			"the console shows no banner\n");
	assert_contains(run.out.ptr,
			"1 rule: 0 pass, 0 fail, 0 drifted, 1 waived");

	HARDCTL("--root", root_dir, "apply", "--tailoring", path);
	ck_assert_int_eq(run.status, 0);
	after = test_read(root_dir, "/etc/issue");
	ck_assert_str_eq(after, before);
	free(after);
	/* What the waiver does not cover was applied. */
	after = test_read(root_dir, "/etc/issue.net");
	assert_lacks(after, "Debian");
	free(after);
	free(before);
}
END_TEST

START_TEST(test_report_waiver__expired_reports_the_real_status)
{
	char path[4096], *after;

	tailoring(path, "t.conf",
		  "[banner.issue]\nwaiver = the console shows no banner\n"
		  "waiver-approver = J. Doe\nwaiver-expires = 2020-01-31\n");
	HARDCTL("--root", root_dir, "check", "--tailoring", path, "--rule",
		"banner.issue");
	ck_assert_int_eq(run.status, 1);
	assert_contains(run.out.ptr, "FAIL ");
	assert_contains(run.out.ptr,
			"waiver expired 2020-01-31 (approved by J. Doe)");
	assert_lacks(run.out.ptr, "WAIVED");
	HARDCTL("--root", root_dir, "check", "--tailoring", path, "--rule",
		"banner.issue", "--format", "json");
	assert_contains(run.out.ptr, "\"in_force\":false");
	/* apply remediates it again. */
	HARDCTL("--root", root_dir, "apply", "--tailoring", path, "--rule",
		"banner.issue");
	ck_assert_int_eq(run.status, 0);
	after = test_read(root_dir, "/etc/issue");
	assert_lacks(after, "Debian");
	free(after);
}
END_TEST

START_TEST(test_report_severity__filters_check_and_apply)
{
	char *issue = test_read(root_dir, "/etc/issue"),
	     *snmp = test_read(root_dir, "/etc/snmp/snmpd.conf");
	char *now;
	size_t lines = 0;

	HARDCTL("--root", root_dir, "check", "--severity", "CAT-I");
	ck_assert_int_eq(run.status, 1);
	for (const char *p = run.out.ptr; *p && strncmp(p, "\n", 1) != 0;
	     p = strchr(p, '\n') + 1) {
		if (*p != ' ') {
			ck_assert_msg(strncmp(p + 8, "CAT I  ", 7) == 0,
				      "not CAT I: %.60s", p);
			lines++;
		}
	}
	ck_assert_uint_gt(lines, 0);
	assert_contains(run.out.ptr, "CAT I ");
	assert_lacks(run.out.ptr, "CAT II");

	/* A rule of another severity named with --rule is an error, not
	 * ignored. */
	HARDCTL("--root", root_dir, "check", "--severity", "CAT-I", "--rule",
		"banner.issue");
	ck_assert_int_eq(run.status, 2);
	assert_contains(run.err.ptr, "rule 'banner.issue' is CAT II");
	HARDCTL("--root", root_dir, "check", "--severity", "CAT-IV");
	ck_assert_int_eq(run.status, 2);

	HARDCTL("--root", root_dir, "apply", "--severity", "CAT-I");
	ck_assert_int_eq(run.status, 0);
	now = test_read(root_dir, "/etc/issue");
	ck_assert_str_eq(now, issue); /* CAT II: untouched */
	free(now);
	now = test_read(root_dir, "/etc/snmp/snmpd.conf");
	ck_assert_str_ne(now, snmp); /* CAT I: remediated */
	free(now);
	free(issue);
	free(snmp);
}
END_TEST

START_TEST(test_report_drifted__applied_then_changed_by_hand)
{
	char want[256];

	HARDCTL("--root", root_dir, "apply", "--rule", "password.max-days");
	ck_assert_int_eq(run.status, 0);
	HARDCTL("--root", root_dir, "check", "--rule", "password.max-days");
	ck_assert_int_eq(run.status, 0);

	test_replace(root_dir, "/etc/login.defs", "PASS_MAX_DAYS\t60",
		     "PASS_MAX_DAYS\t99999");
	HARDCTL("--root", root_dir, "check", "--rule", "password.max-days",
		"--rule", "password.min-len");
	ck_assert_int_eq(run.status, 1);
	assert_contains(run.out.ptr, "DRIFTED CAT II   password.max-days");
	assert_contains(run.out.ptr, "/etc/login.defs: modified by hand since "
				     "transaction 1 applied the rule");
	snprintf(want, sizeof(want), "/etc/login.defs:%u: PASS_MAX_DAYS 99999",
		 line_of("/etc/login.defs", "PASS_MAX_DAYS\t"));
	assert_contains(run.out.ptr, want);
	/* A rule hardctl never applied fails plainly. */
	assert_contains(run.out.ptr, "FAIL    CAT II   password.min-len");
	assert_contains(run.out.ptr, "1 fail, 1 drifted");
}
END_TEST

START_TEST(test_report_drifted__not_after_rollback)
{
	HARDCTL("--root", root_dir, "apply", "--rule", "password.max-days");
	ck_assert_int_eq(run.status, 0);
	HARDCTL("--root", root_dir, "rollback");
	ck_assert_int_eq(run.status, 0);
	HARDCTL("--root", root_dir, "check", "--rule", "password.max-days");
	ck_assert_int_eq(run.status, 1);
	assert_contains(run.out.ptr, "FAIL    CAT II   password.max-days");
	assert_lacks(run.out.ptr, "DRIFTED");
}
END_TEST

/* Rolled back, then the rollback rolled back: the rule is in effect again. */
START_TEST(test_report_drifted__after_a_rollback_of_a_rollback)
{
	HARDCTL("--root", root_dir, "apply", "--rule", "password.max-days");
	ck_assert_int_eq(run.status, 0);
	HARDCTL("--root", root_dir, "rollback");
	ck_assert_int_eq(run.status, 0);
	HARDCTL("--root", root_dir, "rollback", "2");
	ck_assert_int_eq(run.status, 0);
	HARDCTL("--root", root_dir, "check", "--rule", "password.max-days");
	ck_assert_int_eq(run.status, 0);
	test_replace(root_dir, "/etc/login.defs", "PASS_MAX_DAYS\t60",
		     "PASS_MAX_DAYS\t99999");
	HARDCTL("--root", root_dir, "check", "--rule", "password.max-days");
	ck_assert_int_eq(run.status, 1);
	assert_contains(run.out.ptr, "DRIFTED CAT II   password.max-days");
	assert_contains(run.out.ptr, "since transaction 1 applied the rule");
}
END_TEST

/* A state file that does not read: check still reports, as FAIL, and warns. */
START_TEST(test_report_drifted__unreadable_state_warns)
{
	HARDCTL("--root", root_dir, "apply", "--rule", "password.max-days");
	ck_assert_int_eq(run.status, 0);
	test_write(root_dir, "/var/lib/hardctl/oldconf/hardctl-state",
		   "garbage\n", 0600);
	test_replace(root_dir, "/etc/login.defs", "PASS_MAX_DAYS\t60",
		     "PASS_MAX_DAYS\t99999");
	HARDCTL("--root", root_dir, "check", "--rule", "password.max-days");
	ck_assert_int_eq(run.status, 1);
	assert_contains(run.out.ptr, "FAIL    CAT II   password.max-days");
	assert_contains(run.err.ptr, "hardctl: warning: ");
	assert_contains(run.err.ptr, "hardctl-state: not a hardctl manifest");
	assert_contains(run.err.ptr, "DRIFTED is not told from FAIL");
}
END_TEST

START_TEST(test_report_color__terminal_only_and_never_with_no_color)
{
	HARDCTL("--root", root_dir, "check", "--rule", "banner.issue");
	ck_assert_ptr_null(strchr(run.out.ptr, '\033'));
	test_run_release(&run);
	unsetenv("NO_COLOR");
	test_hardctl_tty(&run,
			 (const char *const[]){"--root", root_dir, "check",
					       "--rule", "banner.issue", NULL});
	ck_assert_int_eq(run.status, 1);
	assert_contains(run.out.ptr, "\033[");
	test_run_release(&run);
	setenv("NO_COLOR", "1", 1);
	test_hardctl_tty(&run,
			 (const char *const[]){"--root", root_dir, "check",
					       "--rule", "banner.issue", NULL});
	ck_assert_int_eq(run.status, 1);
	assert_contains(run.out.ptr, "FAIL");
	ck_assert_ptr_null(strchr(run.out.ptr, '\033'));
}
END_TEST

/*
 * Validate the JSON report against docs/check-report.schema.json, and
 * its summary against its results.
 */
static const char validate_json[] =
    "import json, sys, jsonschema\n"
    "schema = json.load(open(sys.argv[1]))\n"
    "jsonschema.Draft202012Validator.check_schema(schema)\n"
    "report = json.load(open(sys.argv[2]))\n"
    "jsonschema.Draft202012Validator(schema).validate(report)\n"
    "names = {'PASS': 'pass', 'FAIL': 'fail', 'DRIFTED': 'drifted', 'WAIVED': "
    "'waived',\n"
    "         'N/A': 'na', 'ERROR': 'error'}\n"
    "counts = dict.fromkeys(names.values(), 0)\n"
    "for r in report['results']:\n"
    "    counts[names[r['status']]] += 1\n"
    "s = report['summary']\n"
    "assert s['counts'] == counts, (s['counts'], counts)\n"
    "assert s['total'] == len(report['results'])\n"
    "scored = s['total'] - counts['na'] - counts['waived']\n"
    "assert s['score'] == (100 * counts['pass'] // scored if scored else "
    "None)\n"
    "print(' '.join(sorted(k for k, v in counts.items() if v)))\n";

START_TEST(test_report_json__valid_against_the_schema)
{
	char path[4096], schema[4096];
	const char *report;

	snprintf(schema, sizeof(schema), "%s/docs/check-report.schema.json",
		 HC_SOURCE_DIR);
	tailoring(path, "t.conf",
		  "[snmp.community]\nwaiver = \"polled by monitoring; CHG-1\"\n"
		  "waiver-approver = ISSO\nwaiver-expires = 2999-01-01\n"
		  "[banner.motd]\nwaiver = r\nwaiver-approver = "
		  "a\nwaiver-expires = 2001-01-01\n");
	test_write(root_dir, "/etc/hostname", "console-07\n", 0644);
	HARDCTL("--root", root_dir, "check", "--format", "json", "--tailoring",
		path);
	ck_assert_int_eq(run.status, 1);
	assert_contains(run.out.ptr, "\"host\":\"console-07\"");
	assert_contains(run.out.ptr, "\"role\":\"tailoring\"");
	report = save("report.json");
	TEST_RUN(&run, PYTHON, "-c", validate_json, schema, report);
	ck_assert_msg(run.status == 0, "%s", run.err.ptr);
	ck_assert_str_eq(run.out.ptr, "fail na pass waived\n");

	/* And with DRIFTED and ERROR in it. */
	HARDCTL("--root", root_dir, "apply", "--rule", "password.max-days");
	test_replace(root_dir, "/etc/login.defs", "PASS_MAX_DAYS\t60",
		     "PASS_MAX_DAYS\t99999");
	test_write(root_dir, "/etc/ssh/sshd_config", "PermitRootLogin\n", 0644);
	HARDCTL("--root", root_dir, "check", "--format", "json");
	ck_assert_int_eq(run.status, 2);
	report = save("report2.json");
	TEST_RUN(&run, PYTHON, "-c", validate_json, schema, report);
	ck_assert_msg(run.status == 0, "%s", run.err.ptr);
	ck_assert_str_eq(run.out.ptr, "drifted error fail na pass\n");

	/* The schema is strict: a report missing a field fails it. */
	test_write(work, "/bad.json", "{\"schema\":2,\"command\":\"check\"}",
		   0644);
	snprintf(path, sizeof(path), "%s/bad.json", work);
	TEST_RUN(&run, PYTHON, "-c", validate_json, schema, path);
	ck_assert_int_ne(run.status, 0);
	assert_contains(run.err.ptr, "ValidationError");
}
END_TEST

/* Read the JUnit report with junitparser: "tests failures errors skipped". */
static const char read_junit[] =
    "import sys\n"
    "from junitparser import JUnitXml, Failure, Error, Skipped\n"
    "xml = JUnitXml.fromfile(sys.argv[1])\n"
    "n = {'tests': 0, 'failures': 0, 'errors': 0, 'skipped': 0}\n"
    "for suite in xml:\n"
    "    for case in suite:\n"
    "        n['tests'] += 1\n"
    "        for r in case.result:\n"
    "            if isinstance(r, Failure): n['failures'] += 1\n"
    "            elif isinstance(r, Error): n['errors'] += 1\n"
    "            elif isinstance(r, Skipped): n['skipped'] += 1\n"
    "    assert suite.tests == n['tests'] and suite.failures == n['failures']\n"
    "    assert suite.errors == n['errors'] and suite.skipped == n['skipped']\n"
    "    props = {p.name: p.value for p in suite.properties()}\n"
    "    assert len(props['profile.sha256']) == 64, props\n"
    "print(n['tests'], n['failures'], n['errors'], n['skipped'], "
    "props['score'])\n";

START_TEST(test_report_junit__read_by_a_junit_library)
{
	unsigned int total, pass, fail, drifted, waived, na, error, score;
	char path[4096], want[128];
	const char *report;

	tailoring(path, "t.conf",
		  "[snmp.community]\nwaiver = \"a <waiver> & 'quotes'\"\n"
		  "waiver-approver = ISSO\nwaiver-expires = 2999-01-01\n");
	/* A non-UTF-8 byte in evidence must not break the XML. */
	test_write(root_dir, "/etc/issue", "Caf\xe9 <console> & \"more\"\n",
		   0644);
	HARDCTL("--root", root_dir, "check", "--tailoring", path);
	ck_assert_int_eq(sscanf(strstr(run.out.ptr, "\n\n"),
				"\n\n%u rules: %u pass, %u fail, %u drifted, "
				"%u waived, %u n/a, "
				"%u error; score %u%%",
				&total, &pass, &fail, &drifted, &waived, &na,
				&error, &score),
			 8);
	HARDCTL("--root", root_dir, "check", "--tailoring", path, "--format",
		"junit");
	ck_assert_int_eq(run.status, 1);
	assert_contains(run.out.ptr, "Caf\xef\xbf\xbd &lt;console&gt; &amp;");
	report = save("report.xml");
	TEST_RUN(&run, PYTHON, "-c", read_junit, report);
	ck_assert_msg(run.status == 0, "%s", run.err.ptr);
	snprintf(want, sizeof(want), "%u %u %u %u %u\n", total, fail + drifted,
		 error, na + waived, score);
	ck_assert_str_eq(run.out.ptr, want);

	/* Only check writes JUnit. */
	HARDCTL("--root", root_dir, "--format", "junit", "list");
	ck_assert_int_eq(run.status, 2);
	assert_contains(run.err.ptr, "only check writes --format junit");
}
END_TEST

Suite *report_suite(void)
{
	Suite *s = suite_create("report");
	TCase *tc = tcase_create("report");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_report_evidence__lines_on_debian_files);
	tcase_add_test(tc, test_report_waiver__in_force_waived_and_left_alone);
	tcase_add_test(tc, test_report_waiver__expired_reports_the_real_status);
	tcase_add_test(tc, test_report_severity__filters_check_and_apply);
	tcase_add_test(tc, test_report_drifted__applied_then_changed_by_hand);
	tcase_add_test(tc, test_report_drifted__not_after_rollback);
	tcase_add_test(tc, test_report_drifted__after_a_rollback_of_a_rollback);
	tcase_add_test(tc, test_report_drifted__unreadable_state_warns);
	tcase_add_test(
	    tc, test_report_color__terminal_only_and_never_with_no_color);
	tcase_add_test(tc, test_report_json__valid_against_the_schema);
	tcase_add_test(tc, test_report_junit__read_by_a_junit_library);
	suite_add_tcase(s, tc);
	return s;
}
