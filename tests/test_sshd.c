/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * sshd rules on Debian's sshd_config and on variants: the value sshd
 * really uses, and edits placed where sshd honours them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "hardctl/aug.h"
#include "hardctl/ctx.h"
#include "hardctl/engine.h"
#include "hardctl/profile.h"
#include "hardctl/root.h"
#include "sshd_config.h"
#include "test.h"

#define PRL "root-access.sshd-permit-root-login"
#define BANNER "banner.sshd-banner"

static struct test_ctx t;

static void setup_with(const char *fixture)
{
	test_ctx_setup(&t, fixture);
}

static void setup_debian(void)
{
	setup_with("debian12");
}

static void setup_empty(void)
{
	setup_with(NULL);
	/* An administrator, so PermitRootLogin no locks nobody out. */
	test_write(t.root_dir, "/etc/passwd",
		   "root:x:0:0:root:/root:/bin/bash\nadmin:x:1000:1000::/home/"
		   "admin:/bin/bash\n",
		   0644);
}

static void teardown(void)
{
	test_ctx_teardown(&t);
}

static const struct hc_finding *check_rule(const char *id)
{
	hc_strlist_push(&t.only, id);
	ck_assert_int_eq(hc_engine_check(&t.findings, &t.ctx, &t.only), 0);
	ck_assert_uint_eq(t.findings.n, 1);
	return &t.findings.v[0];
}

static int plan_rules(const char *id1, const char *id2)
{
	hc_strlist_push(&t.only, id1);
	if (id2)
		hc_strlist_push(&t.only, id2);
	return hc_engine_plan(&t.plan, &t.findings, &t.ctx, &t.only);
}

/* The planned bytes of PATH, or NULL if the t.plan leaves it alone. */
static const char *planned(const char *path)
{
	for (size_t i = 0; i < t.plan.nfiles; i++)
		if (strcmp(t.plan.files[i].path, path) == 0)
			return hc_buf_cstr(&t.plan.files[i].after.data);
	return NULL;
}

/* The rendered file must parse again with the Sshd lens. */
static void assert_parses(const char *text)
{
	char tree[32];

	ck_assert_int_eq(hc_aug_parse(tree, t.aug, SSHD_LENS, "rendered", text,
				      strlen(text)),
			 0);
	hc_aug_drop(t.aug, tree);
}

START_TEST(test_sshd_check__debian_default_fails)
{
	const struct hc_finding *f = check_rule(PRL);

	ck_assert_int_eq(f->status, HC_STATUS_FAIL);
	ck_assert_uint_eq(f->nev, 1);
	ck_assert_str_eq(f->ev[0].file, SSHD_CONFIG);
	assert_contains(f->ev[0].found, "not set");
	assert_contains(f->ev[0].found, "prohibit-password");
	ck_assert_str_eq(f->ev[0].expected, "PermitRootLogin no");
}
END_TEST

/* No drop-in directory: the directive goes beside its commented default. */
START_TEST(test_sshd_plan__debian_without_dropin_dir)
{
	const char *after;
	const char *at;

	ck_assert_int_eq(plan_rules(PRL, BANNER), 0);
	ck_assert_uint_eq(t.plan.nfiles, 1);
	ck_assert_ptr_nonnull(after = planned(SSHD_CONFIG));
	ck_assert_ptr_nonnull(at = strstr(after,
					  "#PermitRootLogin prohibit-password\n"
					  "PermitRootLogin no\n"));
	assert_contains(after, "#Banner none\nBanner /etc/issue.net\n");
	ck_assert_uint_eq(t.plan.nsteps, 2);
	assert_parses(after);
}
END_TEST

/* Debian includes sshd_config.d first: hardctl's drop-in there wins. */
START_TEST(test_sshd_plan__debian_with_dropin_dir)
{
	char *before = test_read(t.root_dir, SSHD_CONFIG), *now;
	const char *dropin;

	test_mkdirs(t.root_dir, "/etc/ssh/sshd_config.d");
	ck_assert_int_eq(plan_rules(PRL, BANNER), 0);
	ck_assert_uint_eq(t.plan.nfiles, 1);
	ck_assert_ptr_null(planned(SSHD_CONFIG));
	ck_assert_ptr_nonnull(dropin = planned(SSHD_DROPIN));
	/* Rules run in module table order: banner first. */
	ck_assert_str_eq(dropin, "Banner /etc/issue.net\nPermitRootLogin no\n");
	ck_assert(!t.plan.files[0].before.exists);
	ck_assert_uint_eq(t.plan.files[0].after.mode, 0644);
	/* Nothing is written by planning. */
	ck_assert_ptr_null(test_read(t.root_dir, SSHD_DROPIN));
	now = test_read(t.root_dir, SSHD_CONFIG);
	ck_assert_str_eq(now, before);
	free(now);
	free(before);
}
END_TEST

START_TEST(test_sshd_plan__match_block_at_the_end)
{
	const char *after, *prl, *match;

	test_write(
	    t.root_dir, SSHD_CONFIG,
	    "Port 22\nUsePAM yes\n\nMatch User anoncvs\n\tX11Forwarding no\n",
	    0600);
	ck_assert_int_eq(plan_rules(PRL, NULL), 0);
	ck_assert_ptr_nonnull(after = planned(SSHD_CONFIG));
	ck_assert_ptr_nonnull(prl = strstr(after, "PermitRootLogin no\n"));
	ck_assert_ptr_nonnull(match = strstr(after, "Match User anoncvs"));
	ck_assert(prl < match);
	ck_assert_uint_eq(t.plan.files[0].after.mode, 0600);
	assert_parses(after);
}
END_TEST

START_TEST(test_sshd_check__include_read_first_wins)
{
	const struct hc_finding *f;

	test_write(
	    t.root_dir, SSHD_CONFIG,
	    "Include /etc/ssh/sshd_config.d/*.conf\nPermitRootLogin no\n",
	    0644);
	test_write(t.root_dir, "/etc/ssh/sshd_config.d/50-cloud-init.conf",
		   "# from cloud-init\nPermitRootLogin yes\n", 0644);
	f = check_rule(PRL);
	ck_assert_int_eq(f->status, HC_STATUS_FAIL);
	ck_assert_str_eq(f->ev[0].file,
			 "/etc/ssh/sshd_config.d/50-cloud-init.conf");
	ck_assert_uint_eq(f->ev[0].line, 2);
	ck_assert_str_eq(f->ev[0].found, "PermitRootLogin yes");
}
END_TEST

START_TEST(test_sshd_plan__include_read_first_is_edited_in_place)
{
	const char *dropin;

	test_write(
	    t.root_dir, SSHD_CONFIG,
	    "Include /etc/ssh/sshd_config.d/*.conf\nPermitRootLogin no\n",
	    0644);
	test_write(t.root_dir, "/etc/ssh/sshd_config.d/50-cloud-init.conf",
		   "# from cloud-init\nPermitRootLogin yes\n", 0644);
	ck_assert_int_eq(plan_rules(PRL, NULL), 0);
	ck_assert_uint_eq(t.plan.nfiles, 1);
	ck_assert_ptr_null(planned(SSHD_CONFIG));
	ck_assert_ptr_nonnull(
	    dropin = planned("/etc/ssh/sshd_config.d/50-cloud-init.conf"));
	ck_assert_str_eq(dropin, "# from cloud-init\nPermitRootLogin no\n");
}
END_TEST

START_TEST(test_sshd_check__first_value_wins_over_later_include)
{
	test_write(t.root_dir, SSHD_CONFIG,
		   "PermitRootLogin no\nInclude sshd_config.d/*.conf\n", 0644);
	test_write(t.root_dir, "/etc/ssh/sshd_config.d/50-x.conf",
		   "PermitRootLogin yes\n", 0644);
	ck_assert_int_eq(check_rule(PRL)->status, HC_STATUS_PASS);
}
END_TEST

START_TEST(test_sshd_check__match_in_include_ends_with_its_file)
{
	test_write(
	    t.root_dir, SSHD_CONFIG,
	    "Include /etc/ssh/sshd_config.d/*.conf\nPermitRootLogin no\n",
	    0644);
	test_write(t.root_dir, "/etc/ssh/sshd_config.d/10-bob.conf",
		   "Match User bob\n\tPermitRootLogin yes\n", 0644);
	ck_assert_int_eq(check_rule(PRL)->status, HC_STATUS_PASS);
}
END_TEST

START_TEST(test_sshd_check__value_only_in_match_block_fails)
{
	const struct hc_finding *f;

	test_write(
	    t.root_dir, SSHD_CONFIG,
	    "UsePAM yes\nMatch Address 10.0.0.0/8\n\tPermitRootLogin no\n",
	    0644);
	f = check_rule(PRL);
	ck_assert_int_eq(f->status, HC_STATUS_FAIL);
	assert_contains(f->ev[0].found, "not set");
}
END_TEST

START_TEST(test_sshd_plan__keyword_case_is_kept)
{
	const struct hc_finding *f;

	test_write(t.root_dir, SSHD_CONFIG, "permitrootlogin Yes\n", 0644);
	ck_assert_int_eq(plan_rules(PRL, NULL), 0);
	f = &t.findings.v[0];
	ck_assert_int_eq(f->status, HC_STATUS_FAIL);
	ck_assert_uint_eq(f->ev[0].line, 1);
	ck_assert_str_eq(planned(SSHD_CONFIG), "permitrootlogin no\n");
}
END_TEST

START_TEST(test_sshd_check__no_is_accepted_in_any_case)
{
	test_write(t.root_dir, SSHD_CONFIG, "PermitRootLogin No\n", 0644);
	ck_assert_int_eq(check_rule(PRL)->status, HC_STATUS_PASS);
}
END_TEST

START_TEST(test_sshd_parse_error__names_file_and_line)
{
	const struct hc_finding *f;

	test_write(t.root_dir, SSHD_CONFIG, "Port 22\nPermitRootLogin\n", 0644);
	f = check_rule(PRL);
	ck_assert_int_eq(f->status, HC_STATUS_ERROR);
	assert_contains(f->reason, "/etc/ssh/sshd_config:2:");
	hc_findings_release(&t.findings);
	ck_assert_int_eq(hc_engine_plan(&t.plan, &t.findings, &t.ctx, &t.only),
			 HC_EPARSE);
	ck_assert(hc_plan_empty(&t.plan));
}
END_TEST

START_TEST(test_sshd_check__no_sshd_config_is_na)
{
	const struct hc_finding *f = check_rule(PRL);

	ck_assert_int_eq(f->status, HC_STATUS_NA);
	assert_contains(f->reason, SSHD_CONFIG);
	hc_findings_release(&t.findings);
	ck_assert_int_eq(hc_engine_plan(&t.plan, &t.findings, &t.ctx, &t.only),
			 0);
	ck_assert(hc_plan_empty(&t.plan));
}
END_TEST

/* Planning twice in one context: the second t.plan finds nothing to do. */
START_TEST(test_sshd_plan__second_plan_is_empty)
{
	struct hc_plan again;

	ck_assert_int_eq(plan_rules(PRL, BANNER), 0);
	ck_assert(!hc_plan_empty(&t.plan));
	hc_plan_init(&again);
	ck_assert_int_eq(hc_engine_plan(&again, &t.findings, &t.ctx, &t.only),
			 0);
	ck_assert(hc_plan_empty(&again));
	hc_plan_release(&again);
}
END_TEST

/*
 * TEXT at PATH edited with KEYWORD VALUE (NULL: removed), rendered as
 * hardctl renders sshd's files and by Sshd.lns alone: the same bytes.
 * Returns hc_aug_render_with()'s answer, 0 when the drop-in lens
 * rendered it.
 */
static int render_both(const char *path, const char *text, const char *keyword,
		       const char *value)
{
	struct hc_ctx plain;
	struct hc_file *fast = NULL, *slow = NULL;
	struct hc_buf with = HC_BUF_INIT;
	int r;

	test_ctx_read_twice(&t, &plain, &fast, &slow, path, text, SSHD_LENS,
			    SSHD_DROPIN_LENS);
	if (value) {
		ck_assert_int_eq(hc_file_set(fast, keyword, value), 0);
		ck_assert_int_eq(hc_file_set(slow, keyword, value), 0);
	} else {
		ck_assert_int_eq(hc_file_rm(fast, keyword), 0);
		ck_assert_int_eq(hc_file_rm(slow, keyword), 0);
	}
	r = hc_aug_render_with(&with, fast->aug, SSHD_DROPIN_LENS, fast->tree);
	ck_assert_int_ge(r, 0);
	ck_assert_int_eq(hc_file_render(fast), 0);
	ck_assert_int_eq(hc_file_render(slow), 0);
	ck_assert_str_eq(hc_buf_cstr(&fast->cur), hc_buf_cstr(&slow->cur));
	if (r == 0)
		ck_assert_str_eq(hc_buf_cstr(&with), hc_buf_cstr(&slow->cur));
	hc_buf_release(&with);
	hc_ctx_release(&plain);
	return r;
}

/*
 * The drop-in's lens renders what hardctl writes, and what an
 * administrator's hand left around it, as Sshd.lns does; whatever else
 * falls to Sshd.lns, with the same result.
 */
START_TEST(test_sshd_render__dropin_lens_as_sshd_lens)
{
	char *debian =
	    test_read(HC_TEST_FIXTURES "/debian12", "/etc/ssh/sshd_config");

	ck_assert_int_eq(
	    render_both("/d/new.conf", "", "PermitRootLogin", "no"), 0);
	ck_assert_int_eq(render_both("/d/hand.conf",
				     "# hardctl\n\nBanner\t/etc/issue.net  "
				     "\nPermitRootLogin=no\n",
				     "PermitRootLogin", "prohibit-password"),
			 0);
	ck_assert_int_eq(
	    render_both("/d/nonl.conf", "Banner none", "PermitRootLogin", "no"),
	    0);
	ck_assert_int_eq(render_both("/d/rm.conf",
				     "Banner none\nPermitRootLogin no\n",
				     "Banner", NULL),
			 0);
	/* Beyond it: the rest of sshd_config, case, words, a new keyword. */
	ck_assert_int_eq(
	    render_both("/d/debian.conf", debian, "PermitRootLogin", "no"), 1);
	ck_assert_int_eq(render_both("/d/case.conf", "permitrootlogin yes\n",
				     "permitrootlogin", "no"),
			 1);
	ck_assert_int_eq(
	    render_both("/d/words.conf", "", "Banner", "/etc/issue net"), 1);
	ck_assert_int_eq(render_both("/d/port.conf", "", "Port", "2222"), 1);
	ck_assert_int_eq(render_both("/d/match.conf",
				     "Banner none\nMatch User x\n  Banner "
				     "/etc/x\n",
				     "Banner", "/etc/issue.net"),
			 1);
	free(debian);
}
END_TEST

Suite *sshd_suite(void)
{
	Suite *s = suite_create("sshd");
	TCase *deb = tcase_create("debian");
	TCase *var = tcase_create("variants");

	tcase_add_checked_fixture(deb, setup_debian, teardown);
	tcase_add_test(deb, test_sshd_check__debian_default_fails);
	tcase_add_test(deb, test_sshd_plan__debian_without_dropin_dir);
	tcase_add_test(deb, test_sshd_plan__debian_with_dropin_dir);
	tcase_add_test(deb, test_sshd_plan__second_plan_is_empty);
	suite_add_tcase(s, deb);

	tcase_add_checked_fixture(var, setup_empty, teardown);
	tcase_add_test(var, test_sshd_plan__match_block_at_the_end);
	tcase_add_test(var, test_sshd_check__include_read_first_wins);
	tcase_add_test(var,
		       test_sshd_plan__include_read_first_is_edited_in_place);
	tcase_add_test(var,
		       test_sshd_check__first_value_wins_over_later_include);
	tcase_add_test(var,
		       test_sshd_check__match_in_include_ends_with_its_file);
	tcase_add_test(var, test_sshd_check__value_only_in_match_block_fails);
	tcase_add_test(var, test_sshd_plan__keyword_case_is_kept);
	tcase_add_test(var, test_sshd_check__no_is_accepted_in_any_case);
	tcase_add_test(var, test_sshd_parse_error__names_file_and_line);
	tcase_add_test(var, test_sshd_check__no_sshd_config_is_na);
	tcase_add_test(var, test_sshd_render__dropin_lens_as_sshd_lens);
	suite_add_tcase(s, var);
	return s;
}
