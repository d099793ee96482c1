/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Profiles: loading, parameters, and errors that name the file and line.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "hardctl/aug.h"
#include "hardctl/profile.h"
#include "test.h"

static struct hc_aug *aug;
static char *dir;

static void setup(void)
{
	ck_assert_int_eq(hc_aug_open(&aug, HARDCTL_LENS_DIR), 0);
	dir = test_mkdtemp();
}

static void teardown(void)
{
	hc_aug_free(aug);
	test_rmtree(dir);
	free(dir);
}

/* Write TEXT as DIR/test.conf and load it. */
static int load(struct hc_profile **out, const char *text)
{
	char path[4096];

	test_write(dir, "/test.conf", text, 0644);
	snprintf(path, sizeof(path), "%s/test.conf", dir);
	return hc_profile_load(out, aug, path, NULL, test_profile_dir());
}

START_TEST(test_profile_load__shipped_profile)
{
	struct hc_profile *p;
	const struct hc_profile_rule *pr;
	char *banner = test_read(test_profile_dir(), "/warning-banner.txt");

	ck_assert_int_eq(hc_profile_load(&p, aug, "service-console", NULL, test_profile_dir()), 0);
	ck_assert_str_eq(p->name, "service-console");
	ck_assert_ptr_nonnull(p->version);
	ck_assert_uint_ge(p->nrules, 5);
	ck_assert_ptr_nonnull(pr = hc_profile_find(p, "banner.issue"));
	ck_assert_str_eq(pr->values[0], banner);
	ck_assert_ptr_nonnull(pr = hc_profile_find(p, "root-access.sshd-permit-root-login"));
	ck_assert_str_eq(pr->values[0], "no");
	hc_profile_free(p);
	free(banner);
}
END_TEST

START_TEST(test_profile_load__rules_run_in_table_order)
{
	struct hc_profile *p;

	ck_assert_int_eq(load(&p, "[root-access.sshd-permit-root-login]\n"
				  "[banner.motd]\n"
				  "[profile]\nname = t\nversion = 3\n"
				  "[banner.issue]\n"), 0);
	ck_assert_uint_eq(p->nrules, 3);
	ck_assert_str_eq(p->rules[0].rule->id, "banner.issue");
	ck_assert_str_eq(p->rules[1].rule->id, "banner.motd");
	ck_assert_str_eq(p->rules[2].rule->id, "root-access.sshd-permit-root-login");
	hc_profile_free(p);
}
END_TEST

START_TEST(test_profile_load__unknown_rule_names_line)
{
	struct hc_profile *p;

	ck_assert_int_eq(load(&p, "[profile]\nname = t\nversion = 1\n\n"
				  "[banner.issue]\n\n[banner.nope]\n"), HC_EINVALID);
	ck_assert_ptr_null(p);
	ck_assert_ptr_nonnull(strstr(hc_error_last()->file, "test.conf"));
	ck_assert_uint_eq(hc_error_last()->line, 7);
	ck_assert_ptr_nonnull(strstr(hc_error_last()->message, "unknown rule 'banner.nope'"));
}
END_TEST

START_TEST(test_profile_load__unknown_parameter_names_line)
{
	struct hc_profile *p;

	ck_assert_int_eq(load(&p, "[profile]\nname = t\nversion = 1\n"
				  "[root-access.sshd-permit-root-login]\n"
				  "value = no\nvalu = yes\n"), HC_EINVALID);
	ck_assert_uint_eq(hc_error_last()->line, 6);
	ck_assert_ptr_nonnull(strstr(hc_error_last()->message, "no parameter 'valu'"));
}
END_TEST

START_TEST(test_profile_load__syntax_error_names_line)
{
	struct hc_profile *p;

	ck_assert_int_eq(load(&p, "[profile]\nname = t\nversion = 1\n"
				  "[banner.issue\n"), HC_EPARSE);
	ck_assert_ptr_nonnull(strstr(hc_error_last()->file, "test.conf"));
	ck_assert_uint_eq(hc_error_last()->line, 4);
}
END_TEST

START_TEST(test_profile_load__severity_forms)
{
	static const char *const forms[] = { "CAT-I", "CAT I", "cat i", "I" };
	struct hc_profile *p;
	char text[256];

	for (size_t i = 0; i < HC_ARRAY_SIZE(forms); i++) {
		snprintf(text, sizeof(text),
			 "[profile]\nname = t\nversion = 1\n[banner.motd]\nseverity = %s\n",
			 forms[i]);
		ck_assert_int_eq(load(&p, text), 0);
		ck_assert_int_eq(p->rules[0].severity, HC_CAT_I);
		hc_profile_free(p);
	}
	ck_assert_int_eq(load(&p, "[profile]\nname = t\nversion = 1\n"
				  "[banner.motd]\nseverity = CAT IV\n"), HC_EINVALID);
	ck_assert_uint_eq(hc_error_last()->line, 5);
}
END_TEST

START_TEST(test_profile_load__header_required)
{
	struct hc_profile *p;

	ck_assert_int_eq(load(&p, "[banner.motd]\n"), HC_EINVALID);
	ck_assert_ptr_nonnull(strstr(hc_error_last()->message, "[profile]"));
}
END_TEST

START_TEST(test_profile_load__group_writable_refused)
{
	struct hc_profile *p;
	char path[4096];

	test_write(dir, "/test.conf", "[profile]\nname = t\nversion = 1\n", 0664);
	snprintf(path, sizeof(path), "%s/test.conf", dir);
	ck_assert_int_eq(hc_profile_load(&p, aug, path, NULL, test_profile_dir()), HC_EUNSAFE);
	ck_assert_ptr_nonnull(strstr(hc_error_last()->message, "writable"));
}
END_TEST

START_TEST(test_profile_load__textfile_relative_to_profile)
{
	struct hc_profile *p;

	test_write(dir, "/site-banner.txt", "Site banner\n", 0644);
	ck_assert_int_eq(load(&p, "[profile]\nname = t\nversion = 1\n"
				  "[banner.issue]\ntext = site-banner.txt\n"), 0);
	ck_assert_str_eq(p->rules[0].values[0], "Site banner\n");
	hc_profile_free(p);

	ck_assert_int_eq(load(&p, "[profile]\nname = t\nversion = 1\n"
				  "[banner.issue]\ntext = missing.txt\n"), HC_ENOTFOUND);
	ck_assert_ptr_nonnull(strstr(hc_error_last()->file, "test.conf"));
	ck_assert_uint_eq(hc_error_last()->line, 5);
	ck_assert_ptr_nonnull(strstr(hc_error_last()->message, "missing.txt"));
}
END_TEST

START_TEST(test_profile_load__missing_profile)
{
	struct hc_profile *p;

	ck_assert_int_eq(hc_profile_load(&p, aug, "no-such-profile", NULL, dir), HC_ENOTFOUND);
	ck_assert_ptr_nonnull(strstr(hc_error_last()->message, "no profile 'no-such-profile'"));
}
END_TEST

Suite *profile_suite(void)
{
	Suite *s = suite_create("profile");
	TCase *tc = tcase_create("profile");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_profile_load__shipped_profile);
	tcase_add_test(tc, test_profile_load__rules_run_in_table_order);
	tcase_add_test(tc, test_profile_load__unknown_rule_names_line);
	tcase_add_test(tc, test_profile_load__unknown_parameter_names_line);
	tcase_add_test(tc, test_profile_load__syntax_error_names_line);
	tcase_add_test(tc, test_profile_load__severity_forms);
	tcase_add_test(tc, test_profile_load__header_required);
	tcase_add_test(tc, test_profile_load__group_writable_refused);
	tcase_add_test(tc, test_profile_load__textfile_relative_to_profile);
	tcase_add_test(tc, test_profile_load__missing_profile);
	suite_add_tcase(s, tc);
	return s;
}
