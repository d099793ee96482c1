/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The reports for people: check --format html and hardctl report, read
 * as markup and as Debian's chromium renders them (--dump-dom: the DOM
 * after parsing), against the JSON report of the same check: the
 * counts, a FAIL row's evidence, the bars' number and sizes; text from
 * ROOT (a banner line, a file name) shown as text, never as markup; no
 * secret on the page.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "test.h"

#define CHROMIUM "/usr/bin/chromium"
#define TIMEOUT "/usr/bin/timeout"
#define HOSTILE_LINE "<img src=x onerror=alert(1)>"
#define HOSTILE_NAME "<img src=x onerror=alert(2)>.conf"
#define BAR_W 480.0

/*
 * assert_contains() and assert_lacks() for pages: Check's messages are
 * short, so the page is shown in part (where the text is, for lacks).
 */
#define html_has(hay, needle)                                                  \
	do {                                                                   \
		const char *hay_ = (hay), *needle_ = (needle);                 \
		ck_assert_msg(hay_ != NULL && strstr(hay_, needle_) != NULL,   \
			      "no '%s' in %s: %.1500s", needle_, #hay,         \
			      hay_ != NULL ? hay_ : "(null)");                 \
	} while (0)

#define html_lacks(hay, needle)                                                \
	do {                                                                   \
		const char *hay_ = (hay), *needle_ = (needle);                 \
		const char *at_ = hay_ ? strstr(hay_, needle_) : NULL;         \
		ck_assert_msg(at_ == NULL, "'%s' in %s at: %.300s", needle_,   \
			      #hay, at_);                                      \
	} while (0)

/* A and B found, A before B. */
#define assert_before(a, b)                                                    \
	do {                                                                   \
		const char *a_ = (a), *b_ = (b);                               \
		ck_assert_msg(a_ != NULL && b_ != NULL && a_ < b_,             \
			      "%s not before %s", #a, #b);                     \
	} while (0)

static char *root_dir, *work;
static struct test_run run;

#define HARDCTL(...) TEST_HARDCTL(&run, __VA_ARGS__)

/* A banner line and an included file's name made to be markup. */
static void hostile_root(const char *root)
{
	test_write(root, "/etc/issue", HOSTILE_LINE " Debian\n", 0644);
	test_write(root, "/etc/ssh/sshd_config.d/" HOSTILE_NAME,
		   "PermitRootLogin yes\n", 0644);
}

static void setup(void)
{
	root_dir = test_root("debian12");
	work = test_mkdtemp();
	memset(&run, 0, sizeof(run));
	hostile_root(root_dir);
}

static void teardown(void)
{
	test_run_release(&run);
	test_rmtree(root_dir);
	test_rmtree(work);
	free(root_dir);
	free(work);
}

/* Write RUN's stdout to WORK/NAME; its path (static) back. */
static const char *save(const char *name, char path[4096])
{
	char file[512];

	snprintf(file, sizeof(file), "/%s", name);
	test_write(work, file, run.out.ptr ? run.out.ptr : "", 0644);
	snprintf(path, 4096, "%s%s", work, file);
	return path;
}

static char *xstrdup(const char *s)
{
	char *d = strdup(s ? s : "");

	ck_assert_ptr_nonnull(d);
	return d;
}

/* The number after "KEY": in the object that starts at OBJ. */
static long json_num(const char *obj, const char *key)
{
	char want[64];
	const char *p;

	snprintf(want, sizeof(want), "\"%s\":", key);
	p = strstr(obj, want);
	ck_assert_msg(p != NULL, "no %s in %.300s", want, obj);
	return strtol(p + strlen(want), NULL, 10);
}

/* The JSON report's object "NAME":{ (after AFTER, if not NULL). */
static const char *json_obj(const char *json, const char *after,
			    const char *name)
{
	char want[64];
	const char *p = after ? strstr(json, after) : json;

	ck_assert_msg(p != NULL, "no %s in the JSON report", after);
	snprintf(want, sizeof(want), "\"%s\":{", name);
	p = strstr(p, want);
	ck_assert_msg(p != NULL, "no %s in %s", want, json);
	return p;
}

/* JSON's name of a status the page shows ("N/A" is "na"). */
static const char *json_status(const char *shown)
{
	static const char *const map[][2] = {
	    {"PASS", "pass"},     {"FAIL", "fail"}, {"DRIFTED", "drifted"},
	    {"WAIVED", "waived"}, {"N/A", "na"},    {"ERROR", "error"},
	};

	for (size_t i = 0; i < HC_ARRAY_SIZE(map); i++)
		if (strcmp(map[i][0], shown) == 0)
			return map[i][1];
	ck_abort_msg("unknown status '%s'", shown);
	return NULL;
}

/* The value of attribute NAME of the tag starting at TAG, into OUT. */
static void attr(char *out, size_t size, const char *tag, const char *name)
{
	const char *end = strchr(tag, '>'), *p;
	char want[64];
	size_t len;

	snprintf(want, sizeof(want), " %s=\"", name);
	p = strstr(tag, want);
	ck_assert_msg(p != NULL && end != NULL && p < end, "no %s in %.200s",
		      name, tag);
	p += strlen(want);
	len = strcspn(p, "\"");
	ck_assert_uint_lt(len, size);
	memcpy(out, p, len);
	out[len] = '\0';
}

static double attr_num(const char *tag, const char *name)
{
	char v[64];

	attr(v, sizeof(v), tag, name);
	return strtod(v, NULL);
}

/*
 * The page as chromium parses it: its DOM, serialised (NULL, the test's
 * part skipped, when chromium is not installed and not required).
 */
static char *browse(const char *path)
{
	char url[4200], profile[4200];
	char *dom;

	if (access(CHROMIUM, X_OK) != 0) {
		test_oracle("chromium is not installed (apt-get install "
			    "chromium)");
		return NULL;
	}
	snprintf(url, sizeof(url), "file://%s", path);
	snprintf(profile, sizeof(profile), "--user-data-dir=%s/chromium", work);
	TEST_RUN(&run, TIMEOUT, "120", CHROMIUM, "--headless", "--disable-gpu",
		 "--no-sandbox", "--no-first-run", "--disable-extensions",
		 profile, "--dump-dom", url);
	ck_assert_msg(run.status == 0, "chromium: %d\n%s", run.status,
		      run.err.ptr);
	dom = xstrdup(run.out.ptr);
	ck_assert_msg(strstr(dom, "</html>") != NULL, "chromium wrote no page");
	return dom;
}

/* The counts shown for each status are the JSON report's. */
static void assert_counts(const char *page, const char *json)
{
	const char *counts = json_obj(json, "\"summary\"", "counts");
	const char *statuses[] = {"PASS",   "FAIL", "DRIFTED",
				  "WAIVED", "N/A",  "ERROR"};

	for (size_t i = 0; i < HC_ARRAY_SIZE(statuses); i++) {
		char want[128];

		snprintf(want, sizeof(want),
			 "<td class=\"count\" data-status=\"%s\">%ld</td>",
			 statuses[i],
			 json_num(counts, json_status(statuses[i])));
		html_has(page, want);
	}
}

/* The row of rule ID in PAGE's rules table, copied. */
static char *rule_row(const char *page, const char *id)
{
	char want[256];
	const char *hit, *start, *end;
	char *row;

	snprintf(want, sizeof(want), "<code>%s</code>", id);
	hit = strstr(page, want);
	ck_assert_msg(hit != NULL, "no row of %s in:\n%s", id, page);
	for (start = hit; start > page && strncmp(start, "<tr", 3) != 0;)
		start--;
	end = strstr(hit, "</tr>");
	ck_assert_ptr_nonnull(end);
	row = strndup(start, (size_t)(end - start));
	ck_assert_ptr_nonnull(row);
	return row;
}

/*
 * The picture's bars: one per severity and status the JSON report
 * counts, data-count its count, as wide as count * BAR_W / the longest
 * row's rules, side by side from x = 80; the longest row BAR_W wide.
 */
static void assert_bars(const char *page, const char *json)
{
	const char *svg = strstr(page, "<svg id=\"chart\"");
	const char *end = svg ? strstr(svg, "</svg>") : NULL;
	const char *sevs[] = {"CAT I", "CAT II", "CAT III"};
	const char *keys[] = {"pass",   "fail", "drifted",
			      "waived", "na",   "error"};
	long most = 0, total[3] = {0}, nonzero = 0;
	double row_end[3] = {80, 80, 80};
	size_t bars = 0;

	ck_assert_msg(svg && end, "no chart in:\n%s", page);
	for (size_t s = 0; s < 3; s++) {
		const char *o = json_obj(json, "\"by_severity\"", sevs[s]);

		for (size_t k = 0; k < HC_ARRAY_SIZE(keys); k++) {
			long n = json_num(o, keys[k]);

			total[s] += n;
			nonzero += n > 0;
		}
		most = total[s] > most ? total[s] : most;
	}
	ck_assert_int_gt(most, 0);
	for (const char *r = strstr(svg, "<rect"); r && r < end;
	     r = strstr(r + 1, "<rect")) {
		char sev[32], st[32];
		size_t s;
		double w = attr_num(r, "width"), x = attr_num(r, "x");
		long count = (long)attr_num(r, "data-count");

		attr(sev, sizeof(sev), r, "data-severity");
		attr(st, sizeof(st), r, "data-status");
		for (s = 0; s < 3 && strcmp(sevs[s], sev) != 0; s++)
			;
		ck_assert_uint_lt(s, 3);
		ck_assert_int_eq(
		    count, json_num(json_obj(json, "\"by_severity\"", sevs[s]),
				    json_status(st)));
		ck_assert_msg(
		    w > (double)count * BAR_W / (double)most - 0.01 &&
			w < (double)count * BAR_W / (double)most + 0.01,
		    "%s %s: %ld rules, width %.2f", sev, st, count, w);
		ck_assert_msg(x > row_end[s] - 0.02 && x < row_end[s] + 0.02,
			      "%s %s starts at %.2f, not %.2f", sev, st, x,
			      row_end[s]);
		row_end[s] = x + w;
		bars++;
	}
	ck_assert_uint_eq(bars, (size_t)nonzero);
	for (size_t s = 0; s < 3; s++)
		if (total[s] == most)
			ck_assert_msg(row_end[s] > 80 + BAR_W - 0.05 &&
					  row_end[s] < 80 + BAR_W + 0.05,
				      "the longest row ends at %.2f",
				      row_end[s]);
}

/* The FAIL row of password.max-days shows login.defs's line. */
static void assert_fail_row(const char *page)
{
	char *text = test_read(root_dir, "/etc/login.defs"), *row;
	char want[256];
	unsigned int line = 1;

	ck_assert_ptr_nonnull(text);
	for (const char *p = text; strncmp(p, "PASS_MAX_DAYS\t", 14) != 0;
	     p = strchr(p, '\n') + 1, line++)
		ck_assert_ptr_nonnull(strchr(p, '\n'));
	free(text);
	row = rule_row(page, "password.max-days");
	html_has(row, "data-status=\"FAIL\"");
	snprintf(want, sizeof(want),
		 "<code class=\"file\">/etc/login.defs</code>:<span "
		 "class=\"line\">%u</span>",
		 line);
	html_has(row, want);
	html_has(row, "<span class=\"found\">PASS_MAX_DAYS 99999</span>");
	free(row);
}

/* ROOT's markup-like text is text: escaped, and no element of its own. */
static void assert_hostile_text(const char *page)
{
	html_lacks(page, "<img");
	html_lacks(page, "onerror=alert(1)>");
	html_has(page, "&lt;img src=x onerror=alert(1)&gt; Debian");
	html_has(page, "/etc/ssh/sshd_config.d/&lt;img src=x "
		       "onerror=alert(2)&gt;.conf");
}

START_TEST(test_html_check__self_contained_and_as_json)
{
	char *json, *page;

	HARDCTL("--root", root_dir, "check", "--format", "json");
	ck_assert_int_eq(run.status, 1);
	json = xstrdup(run.out.ptr);
	HARDCTL("--root", root_dir, "check", "--format", "html");
	ck_assert_int_eq(run.status, 1); /* as every format: a rule fails */
	page = xstrdup(run.out.ptr);
	ck_assert_msg(strncmp(page, "<!DOCTYPE html>\n", 16) == 0, "%.80s",
		      page);
	/* Nothing fetched, nothing run. */
	html_has(page, "content=\"default-src 'none'; style-src "
		       "'unsafe-inline'\"");
	html_lacks(page, "<script");
	html_lacks(page, " src=\"");
	html_lacks(page, " href=\"");
	html_lacks(page, "url(");
	html_lacks(page, "@import");
	html_lacks(page, "https:");
	/* The profile's identity and digest, as in JSON. */
	html_has(page, "<dd id=\"meta-profile\">service-console ");
	{
		const char *sha = strstr(json, "\"sha256\":\"");
		char want[128];

		ck_assert_ptr_nonnull(sha);
		snprintf(want, sizeof(want), "<dd id=\"meta-sha256\">%.64s<",
			 sha + 10);
		html_has(page, want);
	}
	assert_counts(page, json);
	assert_bars(page, json);
	assert_fail_row(page);
	assert_hostile_text(page);
	/* One row per result; filters before the table, in CSS only. */
	{
		size_t rows = 0, results = 0;

		for (const char *p = page; (p = strstr(p, "<tr class=\"rule "));
		     p++)
			rows++;
		for (const char *p = json; (p = strstr(p, "\"title\":")); p++)
			results++;
		ck_assert_uint_eq(rows, results);
	}
	html_has(page, "#f-st-pass:not(:checked)~table tr.st-pass"
		       "{display:none}");
	html_has(page, "#f-sev-cat-i:not(:checked)~table "
		       "tr.sev-cat-i{display:none}");
	html_has(page, "<input type=\"checkbox\" class=\"filter\" "
		       "id=\"f-st-fail\" checked>");
	assert_before(strstr(page, "id=\"f-sev-cat-iii\""),
		      strstr(page, "<table id=\"rules\">"));
	free(json);
	free(page);
}
END_TEST

START_TEST(test_html_check__waivers_and_secrets)
{
	char tailoring[4096], *page;

	/* A secret with markup characters: masked before it is escaped. */
	test_write(root_dir, "/etc/snmp/snmpd.conf",
		   "trapcommunity Tok<en&Secret1\n"
		   "rocommunity public default\n"
		   "com2sec -Cn ctx sec 10.0.0.0/8 Secret2\n",
		   0600);
	snprintf(tailoring, sizeof(tailoring), "%s/t.conf", work);
	test_write("/", tailoring,
		   "[tailoring]\nname = site\nversion = 1\n"
		   "profile = service-console\n"
		   "[banner.issue]\nwaiver = the console & <b>no</b> banner\n"
		   "waiver-approver = J. Doe\nwaiver-expires = 2999-12-31\n",
		   0644);
	HARDCTL("--root", root_dir, "check", "--tailoring", tailoring,
		"--format", "html");
	ck_assert_int_eq(run.status, 1);
	page = xstrdup(run.out.ptr);
	html_lacks(page, "Secret");
	html_has(page, "<section id=\"waivers\">");
	html_has(page, "<tr><td><code>banner.issue</code></td>"
		       "<td>yes</td><td>2999-12-31</td>"
		       "<td>J. Doe</td><td>the console &amp; "
		       "&lt;b&gt;no&lt;/b&gt; banner</td></tr>");
	html_lacks(page, "<b>no</b>");
	free(page);
}
END_TEST

START_TEST(test_html_browser__renders_counts_evidence_bars)
{
	char path[4096], *json, *dom;

	HARDCTL("--root", root_dir, "check", "--format", "json");
	json = xstrdup(run.out.ptr);
	HARDCTL("--root", root_dir, "check", "--format", "html");
	ck_assert_int_eq(run.status, 1);
	save("check.html", path);
	if ((dom = browse(path)) == NULL) {
		free(json);
		return;
	}
	assert_counts(dom, json);
	assert_bars(dom, json);
	assert_fail_row(dom);
	/* Parsed as text: no img element, the text as written. */
	assert_hostile_text(dom);
	free(dom);
	free(json);
}
END_TEST

/* Two hosts' reports, one with a hostile host name. */
static void two_reports(char a[4096], char b[4096])
{
	char *demo = test_demo_root();

	test_write(demo, "/etc/hostname", "<script>alert(3)</script>\n", 0644);
	HARDCTL("--root", root_dir, "check", "--format", "json");
	save("a.json", a);
	HARDCTL("--root", demo, "check", "--format", "json", "--rule",
		"password.max-days", "--rule", "banner.issue");
	save("b.json", b);
	test_rmtree(demo);
	free(demo);
}

START_TEST(test_html_report__hosts_by_score_rules_by_failures)
{
	char a[4096], b[4096], *page;
	const char *first, *second, *rules;

	two_reports(a, b);
	HARDCTL("report", a, b, "--format", "html");
	ck_assert_msg(run.status == 0, "%d\n%s", run.status, run.err.ptr);
	page = xstrdup(run.out.ptr);
	html_lacks(page, "<script");
	html_has(page, "&lt;script&gt;alert(3)&lt;/script&gt;");
	/* Hosts by score, lowest first: the demo host passes 0 of 2. */
	first = strstr(page, "<tr class=\"host\">");
	ck_assert_ptr_nonnull(first);
	second = strstr(first + 1, "<tr class=\"host\">");
	ck_assert_ptr_nonnull(second);
	assert_before(strstr(first, "data-score=\"0\""), second);
	/* The rules both hosts fail first, "2 of 2". */
	rules = strstr(page, "<table id=\"rule-table\">");
	ck_assert_ptr_nonnull(rules);
	first = strstr(rules, "<tr class=\"rule\"");
	ck_assert_ptr_nonnull(first);
	ck_assert_msg(
	    strncmp(first, "<tr class=\"rule\" data-failing=\"2\"", 33) == 0,
	    "%.200s", first);
	html_has(page, "<code>password.max-days</code>");
	free(page);
	if ((page = browse(save("fleet.html", b))) != NULL) {
		html_lacks(page, "<script");
		html_has(page, "&lt;script&gt;alert(3)&lt;/script&gt;");
		free(page);
	}
}
END_TEST

START_TEST(test_html_report__refuses_what_is_not_a_check_report)
{
	char a[4096], b[4096], bad[4096];

	two_reports(a, b);
	snprintf(bad, sizeof(bad), "%s/bad.json", work);
	test_write("/", bad, "{\"command\":\"diff\",\"schema\":2}\n", 0644);
	HARDCTL("report", a, bad, "--format", "html");
	ck_assert_int_eq(run.status, 2);
	ck_assert_uint_eq(run.out.size, 0);
	html_has(run.err.ptr, bad);
	html_has(run.err.ptr, "not a hardctl check report");
	test_write("/", bad,
		   "{\"command\":\"check\",\n\"schema\":2,\n\"x\":[1,}", 0644);
	HARDCTL("report", bad, "--format", "html");
	ck_assert_int_eq(run.status, 2);
	html_has(run.err.ptr, ":3: not JSON");
	test_write(
	    "/", bad,
	    "{\"command\":\"check\",\"schema\":2,\"results\":"
	    "[{\"id\":\"x\",\"severity\":\"CAT I\",\"status\":\"MEH\"}]}",
	    0644);
	HARDCTL("report", bad, "--format", "html");
	ck_assert_int_eq(run.status, 2);
	html_has(run.err.ptr, "a known status");
	/* Deep nesting is refused, not a crash. */
	{
		char deep[20000];

		memset(deep, '[', 10000);
		deep[10000] = '\0';
		test_write("/", bad, deep, 0644);
	}
	HARDCTL("report", bad, "--format", "html");
	ck_assert_int_eq(run.status, 2);
	html_has(run.err.ptr, "nested too deep");
	/* So are more values than a report could hold: memory stays small. */
	{
		size_t n = 1000001;
		char *many = malloc(2 * n + 2);

		ck_assert_ptr_nonnull(many);
		many[0] = '[';
		for (size_t i = 0; i < n; i++)
			memcpy(many + 1 + 2 * i, i + 1 < n ? "0," : "0]", 2);
		many[2 * n + 1] = '\0';
		test_write("/", bad, many, 0644);
		free(many);
	}
	HARDCTL("report", bad, "--format", "html");
	ck_assert_int_eq(run.status, 2);
	html_has(run.err.ptr, "too many values");
	HARDCTL("report", work, "--format", "html");
	ck_assert_int_eq(run.status, 2);
	html_has(run.err.ptr, "not a regular file");
	HARDCTL("report", a);
	ck_assert_int_eq(run.status, 2);
	html_has(run.err.ptr, "--format html");
	HARDCTL("report", "--format", "html");
	ck_assert_int_eq(run.status, 2);
	/* Other commands do not write HTML. */
	HARDCTL("--root", root_dir, "diff", "--format", "html");
	ck_assert_int_eq(run.status, 2);
	html_has(run.err.ptr, "unknown format 'html'");
}
END_TEST

Suite *html_suite(void)
{
	Suite *s = suite_create("html");
	TCase *tc = tcase_create("html");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, test_html_check__self_contained_and_as_json);
	tcase_add_test(tc, test_html_check__waivers_and_secrets);
	tcase_add_test(tc, test_html_browser__renders_counts_evidence_bars);
	tcase_add_test(tc, test_html_report__hosts_by_score_rules_by_failures);
	tcase_add_test(tc,
		       test_html_report__refuses_what_is_not_a_check_report);
	suite_add_tcase(s, tc);
	return s;
}
