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

	ck_assert_int_eq(hc_profile_load(&p, aug, "service-console", NULL,
					 test_profile_dir()),
			 0);
	ck_assert_str_eq(p->name, "service-console");
	ck_assert_ptr_nonnull(p->version);
	ck_assert_uint_ge(p->nrules, 5);
	ck_assert_ptr_nonnull(pr = hc_profile_find(p, "banner.issue"));
	ck_assert_str_eq(pr->values[0], banner);
	ck_assert_ptr_nonnull(
	    pr = hc_profile_find(p, "root-access.sshd-permit-root-login"));
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
				  "[banner.issue]\n"),
			 0);
	ck_assert_uint_eq(p->nrules, 3);
	ck_assert_str_eq(p->rules[0].rule->id, "banner.issue");
	ck_assert_str_eq(p->rules[1].rule->id, "banner.motd");
	ck_assert_str_eq(p->rules[2].rule->id,
			 "root-access.sshd-permit-root-login");
	hc_profile_free(p);
}
END_TEST

START_TEST(test_profile_load__unknown_rule_names_line)
{
	struct hc_profile *p;

	ck_assert_int_eq(load(&p, "[profile]\nname = t\nversion = 1\n\n"
				  "[banner.issue]\n\n[banner.nope]\n"),
			 HC_EINVALID);
	ck_assert_ptr_null(p);
	assert_contains(hc_error_last()->file, "test.conf");
	ck_assert_uint_eq(hc_error_last()->line, 7);
	assert_contains(hc_error_last()->message, "unknown rule 'banner.nope'");
}
END_TEST

START_TEST(test_profile_load__unknown_parameter_names_line)
{
	struct hc_profile *p;

	ck_assert_int_eq(load(&p, "[profile]\nname = t\nversion = 1\n"
				  "[root-access.sshd-permit-root-login]\n"
				  "value = no\nvalu = yes\n"),
			 HC_EINVALID);
	ck_assert_uint_eq(hc_error_last()->line, 6);
	assert_contains(hc_error_last()->message, "no parameter 'valu'");
}
END_TEST

START_TEST(test_profile_load__syntax_error_names_line)
{
	struct hc_profile *p;

	ck_assert_int_eq(load(&p, "[profile]\nname = t\nversion = 1\n"
				  "[banner.issue\n"),
			 HC_EPARSE);
	assert_contains(hc_error_last()->file, "test.conf");
	ck_assert_uint_eq(hc_error_last()->line, 4);
}
END_TEST

START_TEST(test_profile_load__severity_forms)
{
	static const char *const forms[] = {"CAT-I", "CAT I", "cat i", "I"};
	struct hc_profile *p;
	char text[256];

	for (size_t i = 0; i < HC_ARRAY_SIZE(forms); i++) {
		snprintf(text, sizeof(text),
			 "[profile]\nname = t\nversion = "
			 "1\n[banner.motd]\nseverity = %s\n",
			 forms[i]);
		ck_assert_int_eq(load(&p, text), 0);
		ck_assert_int_eq(p->rules[0].severity, HC_CAT_I);
		hc_profile_free(p);
	}
	ck_assert_int_eq(load(&p, "[profile]\nname = t\nversion = 1\n"
				  "[banner.motd]\nseverity = CAT IV\n"),
			 HC_EINVALID);
	ck_assert_uint_eq(hc_error_last()->line, 5);
}
END_TEST

START_TEST(test_profile_load__header_required)
{
	struct hc_profile *p;

	ck_assert_int_eq(load(&p, "[banner.motd]\n"), HC_EINVALID);
	assert_contains(hc_error_last()->message, "[profile]");
}
END_TEST

START_TEST(test_profile_load__group_writable_refused)
{
	struct hc_profile *p;
	char path[4096];

	test_write(dir, "/test.conf", "[profile]\nname = t\nversion = 1\n",
		   0664);
	snprintf(path, sizeof(path), "%s/test.conf", dir);
	ck_assert_int_eq(
	    hc_profile_load(&p, aug, path, NULL, test_profile_dir()),
	    HC_EUNSAFE);
	assert_contains(hc_error_last()->message, "writable");
}
END_TEST

START_TEST(test_profile_load__textfile_relative_to_profile)
{
	struct hc_profile *p;

	test_write(dir, "/site-banner.txt", "Site banner\n", 0644);
	ck_assert_int_eq(load(&p, "[profile]\nname = t\nversion = 1\n"
				  "[banner.issue]\ntext = site-banner.txt\n"),
			 0);
	ck_assert_str_eq(p->rules[0].values[0], "Site banner\n");
	hc_profile_free(p);

	ck_assert_int_eq(load(&p, "[profile]\nname = t\nversion = 1\n"
				  "[banner.issue]\ntext = missing.txt\n"),
			 HC_ENOTFOUND);
	assert_contains(hc_error_last()->file, "test.conf");
	ck_assert_uint_eq(hc_error_last()->line, 5);
	assert_contains(hc_error_last()->message, "missing.txt");
}
END_TEST

START_TEST(test_profile_load__missing_profile)
{
	struct hc_profile *p;

	ck_assert_int_eq(hc_profile_load(&p, aug, "no-such-profile", NULL, dir),
			 HC_ENOTFOUND);
	assert_contains(hc_error_last()->message,
			"no profile 'no-such-profile'");
}
END_TEST

/* Write TEXT as DIR/NAME. */
static void put(const char *name, const char *text)
{
	char path[512];

	snprintf(path, sizeof(path), "/%s", name);
	test_write(dir, path, text, 0644);
}

/* Load DIR/NAME with the tailoring DIR/TAILORING (NULL: none). */
static int load_named(struct hc_profile **out, const char *name,
		      const char *tailoring)
{
	char path[4096], tpath[4096];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	snprintf(tpath, sizeof(tpath), "%s/%s", dir,
		 tailoring ? tailoring : "");
	return hc_profile_load(out, aug, path, tailoring ? tpath : NULL,
			       test_profile_dir());
}

static const char *value_of(const struct hc_profile *p, const char *rule,
			    size_t param)
{
	const struct hc_profile_rule *pr = hc_profile_find(p, rule);

	ck_assert_msg(pr != NULL, "rule %s not in the profile", rule);
	return pr->values[param];
}

START_TEST(test_profile_extends__three_levels_override_disable_add)
{
	struct hc_profile *p;

	put("a.conf",
	    "[profile]\nname = a\nversion = 1\n"
	    "[password.max-days]\ndays = 90\n[password.min-days]\ndays = 2\n"
	    "[vmx.log-rotation]\n[banner.motd]\n");
	put("b.conf",
	    "[profile]\nname = b\nversion = 2\nextends = a\n"
	    "[password.max-days]\ndays = 60\n[vmx.log-rotation]\nenabled = no\n"
	    "[password.warn-age]\ndays = 9\n");
	put("c.conf", "[profile]\nname = c\nversion = 3\nextends = b.conf\n"
		      "[password.min-days]\nseverity = CAT I\n");
	ck_assert_int_eq(load_named(&p, "c.conf", NULL), 0);
	ck_assert_str_eq(p->name, "c");
	ck_assert_str_eq(p->version, "3");
	ck_assert_uint_eq(p->nrules, 4);
	ck_assert_str_eq(value_of(p, "password.max-days", 0),
			 "60"); /* b overrides a */
	ck_assert_str_eq(value_of(p, "password.min-days", 0),
			 "2"); /* a's, kept */
	ck_assert_int_eq(hc_profile_find(p, "password.min-days")->severity,
			 HC_CAT_I);
	ck_assert_str_eq(value_of(p, "password.warn-age", 0),
			 "9"); /* added by b */
	ck_assert_ptr_null(
	    hc_profile_find(p, "vmx.log-rotation")); /* disabled by b */
	ck_assert_ptr_nonnull(hc_profile_find(p, "banner.motd"));
	/* Sources from the root of the chain down, each with its own hash. */
	ck_assert_uint_eq(p->nsources, 3);
	assert_contains(p->sources[0].path, "a.conf");
	ck_assert_str_eq(p->sources[0].role, "base");
	assert_contains(p->sources[1].path, "b.conf");
	ck_assert_str_eq(p->sources[1].role, "base");
	assert_contains(p->sources[2].path, "c.conf");
	ck_assert_str_eq(p->sources[2].role, "profile");
	ck_assert_int_ne(memcmp(&p->sources[0].sha, &p->sources[1].sha,
				sizeof(p->sources[0].sha)),
			 0);
	/* Each rule remembers the file that last set it. */
	assert_contains(
	    p->sources[hc_profile_find(p, "password.max-days")->source].path,
	    "b.conf");
	assert_contains(
	    p->sources[hc_profile_find(p, "banner.motd")->source].path,
	    "a.conf");
	hc_profile_free(p);
}
END_TEST

START_TEST(test_profile_extends__cycle_names_the_files)
{
	struct hc_profile *p;

	put("a.conf", "[profile]\nname = a\nversion = 1\nextends = b\n");
	put("b.conf", "[profile]\nname = b\nversion = 1\nextends = a\n");
	ck_assert_int_eq(load_named(&p, "a.conf", NULL), HC_EINVALID);
	ck_assert_ptr_null(p);
	assert_contains(hc_error_last()->message, "cycle");
	assert_contains(hc_error_last()->message, "a.conf <- ");
	assert_contains(hc_error_last()->message, "b.conf");

	put("self.conf",
	    "[profile]\nname = self\nversion = 1\nextends = self\n");
	ck_assert_int_eq(load_named(&p, "self.conf", NULL), HC_EINVALID);
	assert_contains(hc_error_last()->message, "cycle");
}
END_TEST

START_TEST(test_profile_extends__missing_base_names_line)
{
	struct hc_profile *p;

	put("a.conf",
	    "[profile]\nname = a\nversion = 1\n\nextends = nowhere\n");
	ck_assert_int_eq(load_named(&p, "a.conf", NULL), HC_ENOTFOUND);
	assert_contains(hc_error_last()->file, "a.conf");
	ck_assert_uint_eq(hc_error_last()->line, 5);
	assert_contains(hc_error_last()->message, "nowhere");
}
END_TEST

START_TEST(test_profile_tailoring__overrides_and_is_named)
{
	struct hc_profile *p, *plain;
	struct hc_buf label = HC_BUF_INIT;

	put("t.conf",
	    "[tailoring]\nname = site\nversion = 7\nprofile = service-console\n"
	    "[password.max-days]\ndays = 45\n[password.shadow-aging]\nmax-days "
	    "= 45\n"
	    "[vmx.log-rotation]\nenabled = no\n");
	ck_assert_int_eq(hc_profile_load(&plain, aug, "service-console", NULL,
					 test_profile_dir()),
			 0);
	ck_assert_int_eq(
	    hc_profile_load(&p, aug, "service-console", "t.conf", dir),
	    HC_ENOTFOUND);
	{
		char path[4096];

		snprintf(path, sizeof(path), "%s/t.conf", dir);
		ck_assert_int_eq(hc_profile_load(&p, aug, "service-console",
						 path, test_profile_dir()),
				 0);
	}
	ck_assert_str_eq(p->name, "service-console");
	ck_assert_str_eq(p->tailoring, "site 7");
	ck_assert_int_eq(hc_profile_label(&label, p), 0);
	ck_assert_str_eq(label.ptr, "service-console 1 tailored by site 7");
	ck_assert_str_eq(value_of(p, "password.max-days", 0), "45");
	ck_assert_str_eq(value_of(plain, "password.max-days", 0), "60");
	ck_assert_ptr_null(hc_profile_find(p, "vmx.log-rotation"));
	ck_assert_uint_eq(p->nrules, plain->nrules - 1);
	ck_assert_uint_eq(p->nsources, 2);
	ck_assert_str_eq(p->sources[1].role, "tailoring");
	/* The hash covers the resolved profile: the tailoring changes it. */
	ck_assert_int_ne(memcmp(&p->sha, &plain->sha, sizeof(p->sha)), 0);
	hc_buf_release(&label);
	hc_profile_free(p);
	hc_profile_free(plain);
}
END_TEST

START_TEST(test_profile_tailoring__unknown_rule_names_file_and_line)
{
	struct hc_profile *p;

	put("base.conf",
	    "[profile]\nname = base\nversion = 1\n[banner.motd]\n");
	put("t.conf", "[tailoring]\nname = site\nversion = 1\n\n# a "
		      "typo\n[banner.motdd]\n");
	ck_assert_int_eq(load_named(&p, "base.conf", "t.conf"), HC_EINVALID);
	ck_assert_ptr_null(p);
	assert_contains(hc_error_last()->file, "t.conf");
	ck_assert_uint_eq(hc_error_last()->line, 6);
	assert_contains(hc_error_last()->message,
			"unknown rule 'banner.motdd'");
}
END_TEST

START_TEST(test_profile_tailoring__for_another_profile_refused)
{
	struct hc_profile *p;

	put("base.conf",
	    "[profile]\nname = base\nversion = 1\n[banner.motd]\n");
	put("t.conf",
	    "[tailoring]\nname = site\nversion = 1\nprofile = stig-cat1\n");
	ck_assert_int_eq(load_named(&p, "base.conf", "t.conf"), HC_EINVALID);
	assert_contains(hc_error_last()->file, "t.conf");
	assert_contains(hc_error_last()->message,
			"tailors profile 'stig-cat1', not 'base'");
	/* A profile is not a tailoring, nor the other way round. */
	ck_assert_int_eq(load_named(&p, "base.conf", "base.conf"), HC_EINVALID);
	ck_assert_int_eq(load_named(&p, "t.conf", NULL), HC_EINVALID);
}
END_TEST

START_TEST(test_profile_waiver__parsed_and_validated)
{
	struct hc_profile *p;
	const struct hc_profile_rule *pr;

	ck_assert_int_eq(
	    load(&p, "[profile]\nname = t\nversion = 1\n[banner.motd]\n"
		     "waiver = \"no motd on this host; see CHG-1\"\n"
		     "waiver-approver = J. Doe\nwaiver-expires = 2027-02-28\n"),
	    0);
	ck_assert_ptr_nonnull(pr = hc_profile_find(p, "banner.motd"));
	ck_assert_str_eq(pr->waiver.reason, "no motd on this host; see CHG-1");
	ck_assert_str_eq(pr->waiver.approver, "J. Doe");
	ck_assert_str_eq(pr->waiver.expires, "2027-02-28");
	ck_assert(hc_waiver_active(&pr->waiver, "2027-02-28"));
	ck_assert(hc_waiver_active(&pr->waiver, "2026-12-31"));
	ck_assert(!hc_waiver_active(&pr->waiver, "2027-03-01"));
	hc_profile_free(p);

	/* No date that does not exist, no waiver without who and until when. */
	ck_assert_int_eq(
	    load(&p, "[profile]\nname = t\nversion = 1\n[banner.motd]\n"
		     "waiver = r\nwaiver-approver = a\nwaiver-expires = "
		     "2027-02-30\n"),
	    HC_EINVALID);
	ck_assert_uint_eq(hc_error_last()->line, 4);
	assert_contains(hc_error_last()->message, "not a date");
	ck_assert_int_eq(
	    load(&p, "[profile]\nname = t\nversion = 1\n[banner.motd]\n"
		     "waiver = r\nwaiver-expires = 2027-01-30\n"),
	    HC_EINVALID);
	assert_contains(hc_error_last()->message, "waiver-approver");
}
END_TEST

START_TEST(test_profile_settings__conflict_names_both_rules)
{
	struct hc_profile *p;

	ck_assert_int_eq(load(&p, "[profile]\nname = t\nversion = 1\n"
				  "[password.max-days]\ndays = 60\n"
				  "[password.shadow-aging]\nmax-days = 90\n"),
			 HC_EINVALID);
	ck_assert_ptr_null(p);
	assert_contains(hc_error_last()->message, "password.max-days");
	assert_contains(hc_error_last()->message, "password.shadow-aging");
	assert_contains(hc_error_last()->message, "password maximum age");
	assert_contains(hc_error_last()->file, "test.conf");
	/* The same value is no conflict. */
	ck_assert_int_eq(load(&p, "[profile]\nname = t\nversion = 1\n"
				  "[password.max-days]\ndays = 60\n"
				  "[password.shadow-aging]\nmax-days = 60\n"),
			 0);
	hc_profile_free(p);
	/* shadow reads login.defs numbers with strtol(..., 0): 060 is 48 days.
	 */
	ck_assert_int_eq(load(&p, "[profile]\nname = t\nversion = 1\n"
				  "[password.max-days]\ndays = 60\n"
				  "[password.shadow-aging]\nmax-days = 060\n"),
			 HC_EINVALID);
	assert_contains(hc_error_last()->message, "not a whole number");
}
END_TEST

START_TEST(test_profile_severities__stig_cat1_keeps_cat1_by_extension)
{
	struct hc_profile *all, *cat1;
	size_t n = 0;

	ck_assert_int_eq(hc_profile_load(&all, aug, "service-console", NULL,
					 test_profile_dir()),
			 0);
	ck_assert_int_eq(
	    hc_profile_load(&cat1, aug, "stig-cat1", NULL, test_profile_dir()),
	    0);
	for (size_t i = 0; i < all->nrules; i++) {
		if (all->rules[i].severity != HC_CAT_I) {
			ck_assert_ptr_null(
			    hc_profile_find(cat1, all->rules[i].rule->id));
			continue;
		}
		n++;
		ck_assert_ptr_nonnull(
		    hc_profile_find(cat1, all->rules[i].rule->id));
	}
	ck_assert_uint_gt(n, 0);
	ck_assert_uint_eq(cat1->nrules, n);
	ck_assert_uint_eq(cat1->nsources, 2);
	ck_assert_str_eq(cat1->sources[0].role, "base");
	assert_contains(cat1->sources[0].path, "service-console.conf");
	hc_profile_free(all);
	hc_profile_free(cat1);
}
END_TEST

START_TEST(test_profile_canonical__hash_follows_meaning_not_text)
{
	struct hc_profile *a, *b;

	ck_assert_int_eq(
	    load(&a, "[profile]\nname = t\nversion = 1\n"
		     "[password.max-days]\ndays = 60\n[banner.motd]\n"),
	    0);
	/* Other order, comments, spacing: the same profile. */
	ck_assert_int_eq(
	    load(&b, "# comment\n[profile]\nversion = 1\nname = t\n\n"
		     "[banner.motd]\n[password.max-days]\ndays   =   60\n"),
	    0);
	ck_assert_int_eq(memcmp(&a->sha, &b->sha, sizeof(a->sha)), 0);
	ck_assert_int_ne(
	    memcmp(&a->sources[0].sha, &b->sources[0].sha, sizeof(a->sha)), 0);
	hc_profile_free(b);
	/* One parameter changed: another hash. */
	ck_assert_int_eq(
	    load(&b, "[profile]\nname = t\nversion = 1\n"
		     "[password.max-days]\ndays = 61\n[banner.motd]\n"),
	    0);
	ck_assert_int_ne(memcmp(&a->sha, &b->sha, sizeof(a->sha)), 0);
	hc_profile_free(a);
	hc_profile_free(b);
}
END_TEST

START_TEST(test_profile_example_tailoring__loads_on_the_shipped_profile)
{
	struct hc_profile *p;
	char path[4096];
	const struct hc_profile_rule *pr;

	snprintf(path, sizeof(path), "%s/example-tailoring.conf",
		 test_profile_dir());
	ck_assert_int_eq(hc_profile_load(&p, aug, "service-console", path,
					 test_profile_dir()),
			 0);
	ck_assert_ptr_nonnull(pr = hc_profile_find(p, "snmp.community"));
	ck_assert_ptr_nonnull(pr->waiver.reason);
	hc_profile_free(p);
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
	tcase_add_test(tc,
		       test_profile_extends__three_levels_override_disable_add);
	tcase_add_test(tc, test_profile_extends__cycle_names_the_files);
	tcase_add_test(tc, test_profile_extends__missing_base_names_line);
	tcase_add_test(tc, test_profile_tailoring__overrides_and_is_named);
	tcase_add_test(
	    tc, test_profile_tailoring__unknown_rule_names_file_and_line);
	tcase_add_test(tc, test_profile_tailoring__for_another_profile_refused);
	tcase_add_test(tc, test_profile_waiver__parsed_and_validated);
	tcase_add_test(tc, test_profile_settings__conflict_names_both_rules);
	tcase_add_test(
	    tc, test_profile_severities__stig_cat1_keeps_cat1_by_extension);
	tcase_add_test(tc,
		       test_profile_canonical__hash_follows_meaning_not_text);
	tcase_add_test(
	    tc, test_profile_example_tailoring__loads_on_the_shipped_profile);
	suite_add_tcase(s, tc);
	return s;
}
