/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Red team of issue 16: hostile JSON reports and careless
 * administrators against "hardctl report --format html" (the fleet
 * page) and the Ansible module.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "hardctl/json_read.h"
#include "test.h"

#define MODULE HC_SOURCE_DIR "/ansible/plugins/modules/hardctl.py"
#define PYTHON "/usr/bin/python3"

/* assert_contains() and assert_lacks() for pages, shown in part. */
#define page_has(hay, needle)                                                  \
	ck_assert_msg((hay) != NULL && strstr((hay), (needle)) != NULL,        \
		      "no '%s' in: %.1500s", (needle), (hay) ? (hay) : "")
#define page_lacks(hay, needle)                                                \
	ck_assert_msg((hay) == NULL || strstr((hay), (needle)) == NULL,        \
		      "'%s' at: %.300s", (needle), strstr((hay), (needle)))

static char *work;
static struct test_run run;

static void setup(void)
{
	work = test_mkdtemp();
	memset(&run, 0, sizeof(run));
}

static void teardown(void)
{
	test_run_release(&run);
	test_rmtree(work);
	free(work);
}

/* A check report of HOST whose RESULTS (JSON members) are given. */
static void report_file(const char *name, const char *host, const char *results)
{
	struct hc_buf doc = HC_BUF_INIT;

	hc_buf_printf(&doc,
		      "{\"schema\":2,\"command\":\"check\",\"host\":\"%s\","
		      "\"results\":[%s]}\n",
		      host, results);
	test_write(work, name, doc.ptr, 0644);
	hc_buf_release(&doc);
}

static const char *at(const char *name, char path[4096])
{
	snprintf(path, 4096, "%s/%s", work, name);
	return path;
}

#define FAIL_RULE(id)                                                          \
	"{\"id\":\"" id "\",\"severity\":\"CAT I\",\"status\":\"FAIL\"}"
#define PASS_RULE(id)                                                          \
	"{\"id\":\"" id "\",\"severity\":\"CAT I\",\"status\":\"PASS\"}"

/*
 * A careless "hardctl report reports/ALL.json reports/web1.json": one
 * host's report named twice (by the same path or another) would count
 * as two hosts, and its failures twice.  Refused, naming the file.
 */
START_TEST(test_red16_report__one_file_named_twice_refused)
{
	char a[4096], b[4096], l[4096];

	report_file("/web1.json", "web1", FAIL_RULE("banner.issue"));
	report_file("/web2.json", "web2", PASS_RULE("banner.issue"));
	ck_assert_int_eq(symlink("web1.json", at("alias.json", l)), 0);
	TEST_HARDCTL(&run, "report", at("web1.json", a), at("web2.json", b), a,
		     "--format", "html");
	ck_assert_msg(run.status == 2, "%d\n%s", run.status, run.err.ptr);
	assert_contains(run.err.ptr, "web1.json");
	assert_contains(run.err.ptr, "twice");
	ck_assert_uint_eq(run.out.size, 0);
	TEST_HARDCTL(&run, "report", l, b, a, "--format", "html");
	ck_assert_msg(run.status == 2, "%d\n%s", run.status, run.err.ptr);
	assert_contains(run.err.ptr, "twice");
	/* Two files, two hosts: the page. */
	TEST_HARDCTL(&run, "report", a, b, "--format", "html");
	ck_assert_msg(run.status == 0, "%d\n%s", run.status, run.err.ptr);
	assert_contains(run.out.ptr, "data-failing=\"1\" data-hosts=\"2\"");
}
END_TEST

/*
 * A hostile report listing one rule twice would make the page say
 * "2 of 1" hosts fail it (and draw a bar past its box): not a check
 * report, named with the line of the second.
 */
START_TEST(test_red16_report__rule_twice_in_one_report_refused)
{
	char a[4096];

	report_file("/web1.json", "web1",
		    FAIL_RULE("banner.issue") ",\n" PASS_RULE(
			"banner.motd") ",\n" FAIL_RULE("banner.issue"));
	TEST_HARDCTL(&run, "report", at("web1.json", a), "--format", "html");
	ck_assert_msg(run.status == 2, "%d\n%s", run.status, run.err.ptr);
	assert_contains(run.err.ptr, "web1.json:3:");
	assert_contains(run.err.ptr, "banner.issue");
	ck_assert_uint_eq(run.out.size, 0);
}
END_TEST

/*
 * Every string of a hostile report reaches the fleet page as text: no
 * element, attribute or URL of its own (the page as markup; the html
 * suite renders pages in chromium).
 */
START_TEST(test_red16_report__hostile_fields_are_text)
{
	static const char doc[] =
	    "{\"schema\":2,\"command\":\"check\","
	    "\"host\":\"</td><svg onload=alert(1)>\\u2028\","
	    "\"time\":\"javascript:alert(2)\\\" x=\\\"\","
	    "\"profile\":{\"name\":\"' onmouseover='alert(3)\","
	    "\"sha256\":\"<style>@import url(http://evil.example/)</style>\"},"
	    "\"results\":[{\"id\":\"<script>alert(4)</script>\","
	    "\"severity\":\"<b>CAT</b>\",\"status\":\"FAIL\","
	    "\"title\":\"<a href=//evil.example>x</a>\"}]}";
	char a[4096];

	test_write(work, "/evil.json", doc, 0644);
	TEST_HARDCTL(&run, "report", at("evil.json", a), "--format", "html");
	ck_assert_msg(run.status == 0, "%d\n%s", run.status, run.err.ptr);
	page_lacks(run.out.ptr, "<svg onload");
	page_lacks(run.out.ptr, "<script");
	page_lacks(run.out.ptr, "<b>");
	page_lacks(run.out.ptr, "<a ");
	page_lacks(run.out.ptr, "<style>@import");
	page_lacks(run.out.ptr, "' onmouseover");
	page_lacks(run.out.ptr, "alert(2)\"");
	page_has(run.out.ptr, "&lt;svg onload=alert(1)&gt;");
}
END_TEST

/*
 * Malformed and wrong files: each an error naming the file (and the
 * line when there is one), exit 2, nothing on stdout.
 */
START_TEST(test_red16_report__malformed_named_exit_2)
{
	static const struct {
		const char *text, *said;
	} cases[] = {
	    {"{\"schema\":2,\n\"command\":\"check\",\n\"results\":[", ":3:"},
	    {"{\"schema\":2,\"command\":\"check\",\"results\":[]} []", ":1:"},
	    {"{\"schema\":1e999,\"command\":\"check\",\"results\":[]}",
	     "schema"},
	    {"{\"schema\":2,\"command\":\"check\",\"host\":\"\\ud800x\","
	     "\"results\":[]}",
	     "surrogate"},
	    {"{\"schema\":2,\"command\":\"ch\\u0000eck\",\"results\":[]}",
	     "\\u0000"},
	    {"{\"schema\":2,\"command\":\"check\",\"host\":\"\xff\","
	     "\"results\":[]}",
	     "UTF-8"},
	    {"{\"schema\":2,\"command\":\"check\",\"results\":{}}", "results"},
	};
	char a[4096];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		test_write(work, "/bad.json", cases[i].text, 0644);
		TEST_HARDCTL(&run, "report", at("bad.json", a), "--format",
			     "html");
		ck_assert_msg(run.status == 2, "case %zu: %d\n%s", i,
			      run.status, run.err.ptr);
		assert_contains(run.err.ptr, "bad.json");
		assert_contains(run.err.ptr, cases[i].said);
		ck_assert_uint_eq(run.out.size, 0);
	}
	/* Deep nesting: refused, no stack overflow. */
	{
		size_t n = 200000;
		char *deep = malloc(n + 1);

		ck_assert_ptr_nonnull(deep);
		memset(deep, '[', n);
		deep[n] = '\0';
		test_write(work, "/bad.json", deep, 0644);
		free(deep);
	}
	TEST_HARDCTL(&run, "report", a, "--format", "html");
	ck_assert_msg(run.status == 2, "%d\n%s", run.status, run.err.ptr);
	assert_contains(run.err.ptr, "nested too deep");
	TEST_HARDCTL(&run, "report", "/dev/zero", "--format", "html");
	ck_assert_msg(run.status == 2, "%d\n%s", run.status, run.err.ptr);
	assert_contains(run.err.ptr, "/dev/zero: not a regular file");
	TEST_HARDCTL(&run, "report", work, "--format", "html");
	ck_assert_msg(run.status == 2, "%d\n%s", run.status, run.err.ptr);
	assert_contains(run.err.ptr, "not a regular file");
}
END_TEST

/*
 * A hostile image whose SNMP community (a secret: masked wherever it
 * shows) is "td" or "=\"": each value on the page is masked before it
 * is escaped; the page's own markup must not be masked as text, which
 * turned every <td> into <********> and shifted attribute quotes.
 */
START_TEST(test_red16_html__secret_never_masks_markup)
{
	static const char *const communities[] = {"td", "=\""};
	char *root = test_demo_root();
	struct hc_buf line = HC_BUF_INIT;

	for (size_t i = 0; i < 2; i++) {
		hc_buf_clear(&line);
		hc_buf_printf(&line, "default       %s\n", communities[i]);
		test_replace(root, "/etc/snmp/snmpd.conf",
			     "default       public\n", line.ptr);
		TEST_HARDCTL(&run, "--root", root, "check", "--format", "html");
		ck_assert_msg(run.status == 1, "%d\n%s", run.status,
			      run.err.ptr);
		page_has(run.out.ptr, "<td class=\"status\">FAIL</td>");
		page_has(run.out.ptr, "<meta charset=\"utf-8\">");
		page_lacks(run.out.ptr, "<********");
		page_lacks(run.out.ptr, "class********");
		/* Values still masked: "td" in "banner.motd". */
		if (i == 0)
			page_has(run.out.ptr, "<code>banner.mo********</code>");
		test_replace(root, "/etc/snmp/snmpd.conf", line.ptr,
			     "default       public\n");
	}
	hc_buf_release(&line);
	test_rmtree(root);
	free(root);
}
END_TEST

/*
 * A file name from ROOT holding a right-to-left override (U+202E): on
 * the page it would reverse the evidence after it ("PermitRootLogin
 * yes" read backwards).  Shown as U+FFFD, as control characters are.
 */
START_TEST(test_red16_html__bidi_controls_shown_replaced)
{
	static const char *const names[] = {"a\xe2\x80\xae", "b\xe2\x81\xa7"};
	char *root = test_root("debian12");
	char path[256];

	for (size_t i = 0; i < 2; i++) {
		snprintf(path, sizeof(path), "/etc/ssh/sshd_config.d/%s.conf",
			 names[i]);
		test_write(root, path, "PermitRootLogin yes\n", 0644);
		TEST_HARDCTL(&run, "--root", root, "check", "--format", "html");
		ck_assert_msg(run.status == 1, "%d\n%s", run.status,
			      run.err.ptr);
		snprintf(path, sizeof(path),
			 "/etc/ssh/sshd_config.d/%c\xef\xbf\xbd.conf",
			 names[i][0]);
		page_has(run.out.ptr, path);
		page_lacks(run.out.ptr, names[i]);
		snprintf(path, sizeof(path), "%s/etc/ssh/sshd_config.d/%s.conf",
			 root, names[i]);
		ck_assert_int_eq(unlink(path), 0);
	}
	test_rmtree(root);
	free(root);
}
END_TEST

/*
 * The same for JSON: a host's SNMP community "results" or "status" (or
 * one with a quote) masked the report's own names, "results": [...]
 * became "********": [...], and every reader (the Ansible module,
 * hardctl report) lost the results.  Values are masked, names never.
 */
START_TEST(test_red16_json__secret_never_masks_names)
{
	static const char *const communities[] = {"results", "status",
						  "\"id\":"};
	char *root = test_demo_root();
	struct hc_buf line = HC_BUF_INIT;
	char a[4096];

	for (size_t i = 0; i < 3; i++) {
		struct hc_jv *doc = NULL;
		const struct hc_jv *results;

		hc_buf_clear(&line);
		hc_buf_printf(&line, "default       %s\n", communities[i]);
		test_replace(root, "/etc/snmp/snmpd.conf",
			     "default       public\n", line.ptr);
		TEST_HARDCTL(&run, "--root", root, "check", "--format", "json");
		ck_assert_msg(run.status == 1, "%d\n%s", run.status,
			      run.err.ptr);
		ck_assert_msg(
		    hc_jv_parse(&doc, run.out.ptr, run.out.size, "stdout") == 0,
		    "community %s: %s: %.300s", communities[i],
		    hc_error_last()->message, run.out.ptr);
		results = hc_jv_get(doc, "results");
		ck_assert_msg(results && results->type == HC_JV_ARRAY &&
				  results->n > 20,
			      "community %s: no results", communities[i]);
		for (size_t r = 0; r < results->n; r++)
			ck_assert_ptr_nonnull(
			    hc_jv_str(&results->v[r], "status"));
		hc_jv_free(doc);
		test_write(work, "/c.json", run.out.ptr, 0644);
		TEST_HARDCTL(&run, "report", at("c.json", a), "--format",
			     "html");
		ck_assert_msg(run.status == 0, "community %s: %d\n%s",
			      communities[i], run.status, run.err.ptr);
		test_replace(root, "/etc/snmp/snmpd.conf", line.ptr,
			     "default       public\n");
	}
	hc_buf_release(&line);
	test_rmtree(root);
	free(root);
}
END_TEST

/*
 * JUnit, likewise: a community "testcase", "failure" or one with a quote
 * masked in the finished document turned <testcase> into <********>, or
 * ended an attribute early.  Read back by Python's XML parser: one
 * testcase per rule, the failures counted, and the community in no value
 * (a rule's title says "guessed": masked there, the markup kept).
 */
static const char junit_count[] =
    "import sys, xml.etree.ElementTree as ET\n"
    "root = ET.parse(sys.argv[1]).getroot()\n"
    "cases = root.findall('./testsuite/testcase')\n"
    "fails = [c for c in cases if c.find('failure') is not None]\n"
    "for e in root.iter():\n"
    "    for v in list(e.attrib.values()) + [e.text or '']:\n"
    "        assert sys.argv[2] not in v, v\n"
    "print(len(cases), len(fails))\n";

START_TEST(test_red16_junit__secret_never_masks_markup)
{
	static const char *const communities[] = {"testcase", "failure", "=\"x",
						  "guessed"};
	char *root = test_demo_root();
	struct hc_buf line = HC_BUF_INIT, want = HC_BUF_INIT;
	struct hc_jv *doc = NULL;
	const struct hc_jv *summary, *counts;
	char path[4096];

	TEST_HARDCTL(&run, "--root", root, "check", "--format", "json");
	ck_assert_int_eq(hc_jv_parse(&doc, run.out.ptr, run.out.size, "x"), 0);
	ck_assert_ptr_nonnull(summary = hc_jv_get(doc, "summary"));
	counts = hc_jv_get(summary, "counts");
	ck_assert_ptr_nonnull(counts);
	hc_buf_printf(&want, "%.0f %.0f\n", hc_jv_get(summary, "total")->number,
		      hc_jv_get(counts, "fail")->number +
			  hc_jv_get(counts, "drifted")->number);
	hc_jv_free(doc);
	for (size_t i = 0; i < HC_ARRAY_SIZE(communities); i++) {
		hc_buf_clear(&line);
		hc_buf_printf(&line, "default       %s\n", communities[i]);
		test_replace(root, "/etc/snmp/snmpd.conf",
			     "default       public\n", line.ptr);
		TEST_HARDCTL(&run, "--root", root, "check", "--format",
			     "junit");
		ck_assert_msg(run.status == 1, "%d\n%s", run.status,
			      run.err.ptr);
		test_write(work, "/r.xml", run.out.ptr, 0644);
		TEST_RUN(&run, PYTHON, "-c", junit_count, at("r.xml", path),
			 communities[i]);
		ck_assert_msg(run.status == 0, "community %s: %s",
			      communities[i], run.err.ptr);
		ck_assert_str_eq(run.out.ptr, want.ptr);
		test_replace(root, "/etc/snmp/snmpd.conf", line.ptr,
			     "default       public\n");
	}
	hc_buf_release(&line);
	hc_buf_release(&want);
	test_rmtree(root);
	free(root);
}
END_TEST

/*
 * The Ansible module run as Ansible runs it (its arguments as JSON on
 * stdin), with Debian's python3 and ansible-core; false when they are
 * not installed (the part skipped).
 */
static bool module_run(const char *args)
{
	struct hc_buf sh = HC_BUF_INIT;

	if (access(PYTHON, X_OK) != 0 ||
	    system(PYTHON " -c 'import ansible.module_utils.basic' "
			  "2>/dev/null") != 0) {
		test_oracle("ansible-core is not installed (apt-get install "
			    "ansible-core)");
		return false;
	}
	hc_buf_printf(&sh,
		      "printf '%%s' '{\"ANSIBLE_MODULE_ARGS\": %s}' | "
		      "HOME='%s' " PYTHON " '%s'",
		      args, work, MODULE);
	TEST_RUN(&run, "/bin/sh", "-c", sh.ptr);
	hc_buf_release(&sh);
	return true;
}

/*
 * transaction: a number hardctl log shows (from 1).  -1 reached
 * hardctl as an option ("unknown option '-1'", no JSON), 0 and true as
 * "rollback 0" and "rollback True": the module says what is wrong.
 */
START_TEST(test_red16_ansible__transaction_from_one)
{
	static const char *const bad[] = {"-1", "0", "true"};
	char *root = test_demo_root();
	struct hc_buf args = HC_BUF_INIT;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		hc_buf_clear(&args);
		hc_buf_printf(&args,
			      "{\"state\": \"rolled_back\", \"transaction\": "
			      "%s, \"root\": \"%s\", \"binary\": \"%s\"}",
			      bad[i], root, HC_TEST_BINARY);
		if (!module_run(args.ptr))
			break;
		assert_contains(run.out.ptr, "\"failed\": true");
		assert_contains(run.out.ptr,
				"transaction must be a number from 1");
		assert_lacks(run.out.ptr, "\"cmd\"");
	}
	hc_buf_release(&args);
	test_rmtree(root);
	free(root);
}
END_TEST

/*
 * A value hardctl refuses while it reads its options (a bad
 * confirm_within): the task fails with hardctl's JSON error, as every
 * other failure does, not with "printed no JSON report".  The module
 * put --format json last, after the value hardctl stopped at.
 */
START_TEST(test_red16_ansible__option_error_is_json)
{
	char *root = test_demo_root();
	struct hc_buf args = HC_BUF_INIT;
	char *before = test_snapshot(root);
	char *after;

	hc_buf_printf(&args,
		      "{\"state\": \"applied\", \"confirm_within\": \"0s\", "
		      "\"rules\": [\"banner.issue\"], \"root\": \"%s\", "
		      "\"binary\": \"%s\"}",
		      root, HC_TEST_BINARY);
	if (module_run(args.ptr)) {
		assert_contains(run.out.ptr, "\"failed\": true");
		assert_contains(run.out.ptr,
				"\"msg\": \"'0s' is not a duration");
		assert_contains(run.out.ptr,
				"\"report\": {\"hardctl_version\"");
		assert_contains(run.out.ptr, "\"rc\": 2");
		assert_lacks(run.out.ptr, "no JSON report");
	}
	after = test_snapshot(root);
	ck_assert_str_eq(before, after);
	free(before);
	free(after);
	hc_buf_release(&args);
	test_rmtree(root);
	free(root);
}
END_TEST

/*
 * A hostile image whose SNMP community is "FAIL" or "id": hardctl
 * masks the secret wherever it shows, its own JSON words too, so the
 * report's statuses read "********" (failing: [] while rc is 1): the
 * task fails, saying why.  A community "id" masked the results' ids (a
 * Python traceback) until hardctl masked JSON values only.
 */
START_TEST(test_red16_ansible__masked_words_fail_the_task)
{
	static const char *const communities[] = {"FAIL", "id"};
	char *root = test_demo_root();
	struct hc_buf args = HC_BUF_INIT, line = HC_BUF_INIT;

	for (size_t i = 0; i < 2; i++) {
		hc_buf_clear(&line);
		hc_buf_printf(&line, "default       %s\n", communities[i]);
		test_replace(root, "/etc/snmp/snmpd.conf",
			     "default       public\n", line.ptr);
		hc_buf_clear(&args);
		hc_buf_printf(&args,
			      "{\"state\": \"checked\", \"root\": \"%s\", "
			      "\"binary\": \"%s\"}",
			      root, HC_TEST_BINARY);
		if (!module_run(args.ptr))
			break;
		ck_assert_msg(
		    strstr(run.out.ptr, i == 1 ? "\"failed\": false"
					       : "\"failed\": true") != NULL,
		    "community %s: %.2000s", communities[i], run.out.ptr);
		assert_lacks(run.err.ptr, "Traceback");
		/* Since hardctl masks JSON values only, a name such as
		 * "id" is safe: the report reads, with its failures. */
		if (i == 1)
			ck_assert_msg(strstr(run.out.ptr, "\"failing\": [\"") !=
					  NULL,
				      "community id: %.2000s", run.out.ptr);
		else
			ck_assert_msg(strstr(run.out.ptr, "not readable") !=
					  NULL,
				      "community %s: %.2000s", communities[i],
				      run.out.ptr);
		test_replace(root, "/etc/snmp/snmpd.conf", line.ptr,
			     "default       public\n");
	}
	hc_buf_release(&args);
	hc_buf_release(&line);
	test_rmtree(root);
	free(root);
}
END_TEST

Suite *red16_suite(void)
{
	Suite *s = suite_create("red16");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_red16_report__one_file_named_twice_refused);
	tcase_add_test(tc, test_red16_report__rule_twice_in_one_report_refused);
	tcase_add_test(tc, test_red16_report__hostile_fields_are_text);
	tcase_add_test(tc, test_red16_report__malformed_named_exit_2);
	tcase_add_test(tc, test_red16_html__secret_never_masks_markup);
	tcase_add_test(tc, test_red16_html__bidi_controls_shown_replaced);
	tcase_add_test(tc, test_red16_json__secret_never_masks_names);
	tcase_add_test(tc, test_red16_junit__secret_never_masks_markup);
	tcase_add_test(tc, test_red16_ansible__transaction_from_one);
	tcase_add_test(tc, test_red16_ansible__option_error_is_json);
	tcase_add_test(tc, test_red16_ansible__masked_words_fail_the_task);
	suite_add_tcase(s, tc);
	return s;
}
