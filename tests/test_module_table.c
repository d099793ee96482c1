/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The module table: every module and rule is well formed.
 */
#include <string.h>
#include "hardctl/module.h"
#include "test.h"

START_TEST(test_module_table__modules_are_well_formed)
{
	size_t n = 0;

	for (size_t m = 0; hc_modules[m]; m++, n++) {
		const struct hc_module *mod = hc_modules[m];

		ck_assert_uint_eq(mod->version, HC_MODULE_VERSION);
		ck_assert_ptr_nonnull(mod->name);
		ck_assert_ptr_nonnull(mod->rules);
		ck_assert(mod->rules[0].id != NULL);
	}
	ck_assert_uint_ge(n, 2);
}
END_TEST

START_TEST(test_module_table__rules_are_well_formed_and_unique)
{
	for (size_t m = 0; hc_modules[m]; m++) {
		const struct hc_module *mod = hc_modules[m];
		size_t len = strlen(mod->name);

		for (const struct hc_rule *r = mod->rules; r->id; r++) {
			const struct hc_module *found = NULL;

			/* "<module>.<name>" */
			ck_assert_msg(strncmp(r->id, mod->name, len) == 0 &&
					  r->id[len] == '.',
				      "%s is not named after module %s", r->id,
				      mod->name);
			ck_assert_ptr_eq(hc_rule_find(&found, r->id), r);
			ck_assert_ptr_eq(found, mod);
			ck_assert_ptr_nonnull(r->title);
			ck_assert_ptr_nonnull(r->rationale);
			ck_assert(r->severity >= HC_CAT_I &&
				  r->severity <= HC_CAT_III);
			ck_assert(r->check != NULL);
			ck_assert_msg(
			    (r->remediate == NULL) ==
				!!(r->flags & HC_RULE_REPORT_ONLY),
			    "%s: report-only flag and remediate disagree",
			    r->id);
			ck_assert_msg(r->files && r->files[0],
				      "%s names no file", r->id);
			for (int i = 0; r->params && r->params[i].name; i++)
				ck_assert_msg(r->params[i].def != NULL,
					      "%s.%s has no default", r->id,
					      r->params[i].name);
			/* A setting a rule fixes comes from one of its
			 * parameters. */
			for (const struct hc_setting *st = r->sets;
			     st && st->name; st++)
				ck_assert_msg(
				    hc_rule_param_index(r, st->param) >= 0,
				    "%s sets '%s' from '%s', not a parameter",
				    r->id, st->name, st->param);
		}
	}
}
END_TEST

START_TEST(test_module_table__owned_settings_are_unique)
{
	for (size_t m = 0; hc_modules[m]; m++) {
		for (const struct hc_rule *r = hc_modules[m]->rules; r->id;
		     r++) {
			for (size_t i = 0; r->owns && r->owns[i]; i++) {
				for (size_t m2 = 0; hc_modules[m2]; m2++) {
					for (const struct hc_rule *r2 =
						 hc_modules[m2]->rules;
					     r2->id; r2++) {
						for (size_t j = 0;
						     r2 != r && r2->owns &&
						     r2->owns[j];
						     j++)
							ck_assert_msg(
							    strcmp(
								r->owns[i],
								r2->owns[j]) !=
								0,
							    "%s and %s both "
							    "own %s",
							    r->id, r2->id,
							    r->owns[i]);
					}
				}
			}
		}
	}
}
END_TEST

Suite *module_table_suite(void)
{
	Suite *s = suite_create("module_table");
	TCase *tc = tcase_create("module_table");

	tcase_add_test(tc, test_module_table__modules_are_well_formed);
	tcase_add_test(tc, test_module_table__rules_are_well_formed_and_unique);
	tcase_add_test(tc, test_module_table__owned_settings_are_unique);
	suite_add_tcase(s, tc);
	return s;
}
