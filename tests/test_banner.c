/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Banner rules on Debian's files and on missing or empty ones.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "hardctl/aug.h"
#include "hardctl/ctx.h"
#include "hardctl/engine.h"
#include "hardctl/profile.h"
#include "hardctl/root.h"
#include "test.h"

static struct test_ctx t;
static char *banner;

static void setup_with(const char *fixture)
{
	test_ctx_setup(&t, fixture);
	banner = test_read(test_profile_dir(), "/warning-banner.txt");
	ck_assert_ptr_nonnull(banner);
}

static void setup_debian(void)
{
	setup_with("debian12");
}

static void setup_empty(void)
{
	setup_with(NULL);
}

static void teardown(void)
{
	test_ctx_teardown(&t);
	free(banner);
}

static void plan_rule(const char *id)
{
	hc_strlist_push(&t.only, id);
	ck_assert_int_eq(hc_engine_plan(&t.plan, &t.findings, &t.ctx, &t.only),
			 0);
	ck_assert_uint_eq(t.findings.n, 1);
}

START_TEST(test_banner_issue__debian_names_the_system)
{
	const struct hc_finding *f;

	plan_rule("banner.issue");
	f = &t.findings.v[0];
	ck_assert_int_eq(f->status, HC_STATUS_FAIL);
	ck_assert_str_eq(f->ev[0].file, "/etc/issue");
	ck_assert_uint_eq(f->ev[0].line, 1);
	ck_assert_str_eq(f->ev[0].found, "Debian GNU/Linux 12 \\n \\l");
	ck_assert_uint_eq(t.plan.nfiles, 1);
	ck_assert(t.plan.files[0].before.exists);
	ck_assert_str_eq(hc_buf_cstr(&t.plan.files[0].after.data), banner);
}
END_TEST

START_TEST(test_banner_motd__difference_line_is_reported)
{
	const struct hc_finding *f;

	plan_rule("banner.motd");
	f = &t.findings.v[0];
	ck_assert_int_eq(f->status, HC_STATUS_FAIL);
	/* Debian's motd starts with an empty line; the banner does not. */
	ck_assert_uint_eq(f->ev[0].line, 1);
	ck_assert_str_eq(hc_buf_cstr(&t.plan.files[0].after.data), banner);
}
END_TEST

START_TEST(test_banner_issue_net__missing_file_is_created)
{
	struct stat st;

	ck_assert(stat(t.root_dir, &st) == 0);
	test_mkdirs(t.root_dir, "/etc");
	plan_rule("banner.issue-net");
	ck_assert_int_eq(t.findings.v[0].status, HC_STATUS_FAIL);
	ck_assert_str_eq(t.findings.v[0].ev[0].found, "no such file");
	ck_assert_uint_eq(t.plan.nfiles, 1);
	ck_assert(!t.plan.files[0].before.exists);
	ck_assert_uint_eq(t.plan.files[0].after.mode, 0644);
	ck_assert_uint_eq(t.plan.files[0].after.uid, getuid());
	ck_assert_str_eq(hc_buf_cstr(&t.plan.files[0].after.data), banner);
}
END_TEST

START_TEST(test_banner_motd__empty_file_fails_on_line_1)
{
	test_write(t.root_dir, "/etc/motd", "", 0644);
	plan_rule("banner.motd");
	ck_assert_int_eq(t.findings.v[0].status, HC_STATUS_FAIL);
	ck_assert_uint_eq(t.findings.v[0].ev[0].line, 1);
	ck_assert_str_eq(t.findings.v[0].ev[0].found, "(empty line)");
	ck_assert_str_eq(hc_buf_cstr(&t.plan.files[0].before.data), "");
	ck_assert_str_eq(hc_buf_cstr(&t.plan.files[0].after.data), banner);
}
END_TEST

START_TEST(test_banner_issue__matching_text_passes)
{
	test_write(t.root_dir, "/etc/issue", banner, 0644);
	plan_rule("banner.issue");
	ck_assert_int_eq(t.findings.v[0].status, HC_STATUS_PASS);
	ck_assert(hc_plan_empty(&t.plan));
}
END_TEST

START_TEST(test_banner_issue__text_without_final_newline)
{
	struct hc_profile *site;
	char *dir = test_mkdtemp(), path[4096];

	test_write(dir, "/site.conf",
		   "[profile]\nname = site\nversion = 1\n[banner.issue]\ntext "
		   "= b.txt\n",
		   0644);
	test_write(dir, "/b.txt", "Authorized use only", 0644);
	snprintf(path, sizeof(path), "%s/site.conf", dir);
	ck_assert_int_eq(
	    hc_profile_load(&site, t.aug, path, NULL, test_profile_dir()), 0);
	t.ctx.profile = site;
	test_write(t.root_dir, "/etc/issue", "", 0644);
	plan_rule("banner.issue");
	ck_assert_int_eq(t.findings.v[0].status, HC_STATUS_FAIL);
	ck_assert_str_eq(hc_buf_cstr(&t.plan.files[0].after.data),
			 "Authorized use only\n");
	hc_profile_free(site);
	test_rmtree(dir);
	free(dir);
}
END_TEST

Suite *banner_suite(void)
{
	Suite *s = suite_create("banner");
	TCase *deb = tcase_create("debian");
	TCase *var = tcase_create("variants");

	tcase_add_checked_fixture(deb, setup_debian, teardown);
	tcase_add_test(deb, test_banner_issue__debian_names_the_system);
	tcase_add_test(deb, test_banner_motd__difference_line_is_reported);
	suite_add_tcase(s, deb);

	tcase_add_checked_fixture(var, setup_empty, teardown);
	tcase_add_test(var, test_banner_issue_net__missing_file_is_created);
	tcase_add_test(var, test_banner_motd__empty_file_fails_on_line_1);
	tcase_add_test(var, test_banner_issue__matching_text_passes);
	tcase_add_test(var, test_banner_issue__text_without_final_newline);
	suite_add_tcase(s, var);
	return s;
}
