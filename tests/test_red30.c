/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Red team 30 of three commits: access's one walk of sshd's files
 * (sshd_lines()), a judgment's now-state lent the plan's files left as
 * read (hc_ctx.lender), and sshd's files rendered first with
 * Hardctl_Sshd_Dropin.lns.  Each test holds the new path to the old
 * one's answer on what a hostile image or a careless administrator
 * writes: the lines as sshd_lookup() finds them, the bytes as Sshd.lns
 * alone renders them, a lent file only where a fresh read gives the
 * same.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "hardctl/aug.h"
#include "hardctl/ctx.h"
#include "hardctl/file.h"
#include "hardctl/plan.h"
#include "sshd_config.h"
#include "test.h"

static struct test_ctx t;

static void setup(void)
{
	test_ctx_setup(&t, "debian12");
	/* No sshd -t here: the lookups' verdict is not what is tested. */
	setenv("HARDCTL_SSHD", "/nonexistent/sshd", 1);
}

static void teardown(void)
{
	unsetenv("HARDCTL_SSHD");
	test_ctx_teardown(&t);
}

/* The keywords read_sshd() asks. */
static const char *const judged[] = {"PermitRootLogin",
				     "PasswordAuthentication",
				     "ForceCommand",
				     "ChallengeResponseAuthentication",
				     "KbdInteractiveAuthentication",
				     "UsePAM",
				     "PubkeyAuthentication",
				     "StrictModes",
				     "AuthorizedKeysCommand",
				     "AuthenticationMethods",
				     "AuthorizedKeysFile",
				     "AllowUsers",
				     "DenyUsers",
				     "AllowGroups",
				     "DenyGroups",
				     NULL};

/* Hostile sshd configurations: sshd_config, then drop-ins by name. */
static const struct {
	const char *main, *d10, *d20, *other;
} configs[] = {
    {"Include /etc/ssh/sshd_config.d/*.conf\npermitrootlogin=yes\n",
     "PERMITROOTLOGIN\tno  \nAllowUsers a b\nallowusers c\n",
     "Match User x\n  PermitRootLogin yes\n", NULL},
    {"PasswordAuthentication no\r\nInclude sshd_config.d/*.conf\n",
     "PasswordAuthentication yes\nAuthenticationMethods publickey,password "
     "publickey\n",
     "AuthorizedKeysFile .ssh/a .ssh/b\nAuthorizedKeysFile .ssh/c\n", NULL},
    {"Include /etc/ssh/sshd_config.d/*.conf /etc/ssh/other.conf\n"
     "ForceCommand /bin/sh -c 'x # y'\n",
     "Include /etc/ssh/other.conf\nDenyUsers root\n",
     "Match User admin\n  DenyUsers admin\n", "DenyGroups sudo\nUsePAM no\n"},
    {"#Include nothing\nStrictModes\t=\tno\nMatch User a\n"
     "  Include /etc/ssh/sshd_config.d/*.conf\n",
     "PermitRootLogin yes\n", NULL, NULL},
    {"Include /etc/ssh/sshd_config.d/*.conf\nAllowGroups sudo\n", "", "\n#\n",
     NULL},
};

START_TEST(test_red30__lines_as_lookup)
{
	test_mkdirs(t.root_dir, "/etc/ssh/sshd_config.d");
	test_write(t.root_dir, "/etc/ssh/sshd_config", configs[_i].main, 0644);
	if (configs[_i].d10)
		test_write(t.root_dir, "/etc/ssh/sshd_config.d/10.conf",
			   configs[_i].d10, 0644);
	if (configs[_i].d20)
		test_write(t.root_dir, "/etc/ssh/sshd_config.d/20.conf",
			   configs[_i].d20, 0644);
	if (configs[_i].other)
		test_write(t.root_dir, "/etc/ssh/other.conf", configs[_i].other,
			   0644);

	struct sshd_lines lines;

	ck_assert_msg(sshd_lines(&lines, &t.ctx) == 0, "%s",
		      hc_error_last()->message);
	for (const char *const *k = judged; *k; k++) {
		struct sshd_value v;
		const struct sshd_line *line = sshd_lines_first(&lines, *k);

		ck_assert_int_eq(sshd_lookup(&v, &t.ctx, *k), 0);
		ck_assert_msg((line != NULL) == (v.file != NULL), "%s: %s", *k,
			      line ? "only in lines" : "only in lookup");
		if (line) {
			ck_assert_ptr_eq(line->file, v.file);
			ck_assert_str_eq(line->value ? line->value : "(none)",
					 v.value ? v.value : "(none)");
		}
		sshd_value_release(&v);
	}
	sshd_lines_release(&lines);
}
END_TEST

/*
 * TEXT at PATH, edited by EDIT through hardctl's helpers, rendered as
 * hardctl renders sshd's files (drop-in lens first) and by Sshd.lns
 * alone: the same bytes, or the same failure.
 */
static size_t by_dropin; /* renders the drop-in lens carried */

static void render_same(const char *path, const char *text,
			void (*edit)(struct hc_file *))
{
	struct hc_ctx plain;
	struct hc_file *fast = NULL, *slow = NULL;
	struct hc_buf with = HC_BUF_INIT;
	int a, b;

	test_ctx_read_twice(&t, &plain, &fast, &slow, path, text, SSHD_LENS,
			    SSHD_DROPIN_LENS);
	edit(fast);
	edit(slow);
	if (hc_aug_render_with(&with, fast->aug, SSHD_DROPIN_LENS,
			       fast->tree) == 0)
		by_dropin++;
	hc_buf_release(&with);
	a = hc_file_render(fast);
	b = hc_file_render(slow);
	ck_assert_int_eq(a, b);
	if (a == 0)
		ck_assert_msg(hc_buf_equal(&fast->cur, &slow->cur),
			      "%s: [%s] and Sshd.lns [%s]", path,
			      hc_buf_cstr(&fast->cur), hc_buf_cstr(&slow->cur));
	hc_error_clear();
	hc_ctx_release(&plain);
}

static void set_prl(struct hc_file *f)
{
	ck_assert_int_eq(hc_file_set(f, "PermitRootLogin", "no"), 0);
}

static void set_banner_eq(struct hc_file *f)
{
	ck_assert_int_eq(hc_file_set(f, "Banner[1]", "/etc/a=b"), 0);
}

static void add_after_comment(struct hc_file *f)
{
	if (hc_file_count(f, "#comment") > 0)
		ck_assert_int_eq(
		    hc_file_insert(f, "#comment[1]", "PermitRootLogin", false),
		    0);
	ck_assert_int_eq(hc_file_set(f, "PermitRootLogin", "no"), 0);
}

static void rm_banner(struct hc_file *f)
{
	ck_assert_int_ge(hc_file_rm(f, "Banner"), 0);
}

static const char *const texts[] = {
    "", "Banner none", "Banner none\r\n# x\r\n",
    "Banner\t=\t/etc/issue.net \t\n\n\n#\n  #  \n",
    "Banner \"/etc/issue.net\"\n", "Banner /etc/issue.net#x\n",
    "Banner=none\nPermitRootLogin=yes\n",
    "#PermitRootLogin yes\n# Banner none  \n", "banner none\n",
    "Banner none\nMaxAuthTries 3\n", "PermitRootLogin yes # keep\n",
    /*
     * Not "Banner none\nMatch User x\n  Banner /etc/x\n" with an edit
     * Sshd.lns cannot render: Augeas 1.14 leaks what its failed put
     * allocated (hc_aug_render() alone, as before these commits).
     */
    "   # indented\nBanner none\n", "Banner none\nBanner /etc/other\n", NULL};

START_TEST(test_red30__dropin_render_as_sshd)
{
	void (*edits[])(struct hc_file *) = {set_prl, set_banner_eq,
					     add_after_comment, rm_banner};
	char path[64];

	for (size_t i = 0; texts[i]; i++)
		for (size_t e = 0; e < sizeof(edits) / sizeof(edits[0]); e++) {
			if (e == 2 && !strstr(texts[i], "#"))
				continue;
			if (e == 3 && !strstr(texts[i], "Banner"))
				continue;
			snprintf(path, sizeof(path), "/d/%zu-%zu.conf", i, e);
			render_same(path, texts[i], edits[e]);
		}
	/* Not vacuous: the drop-in lens rendered some of them itself. */
	ck_assert_uint_ge(by_dropin, 8);
}
END_TEST

/*
 * Undo's and rollback's ways of leaving a file: a reset to a state a
 * rule before left (not as read), a removal taken back (as read), a
 * lender whose plan overlays the file (not as read) or another (as
 * read).  Whatever is lent reads as a fresh read does.
 */
START_TEST(test_red30__lent_only_as_a_fresh_read)
{
	static const char path[] = "/etc/ssh/sshd_config";
	struct hc_file *file = NULL, *got;
	struct hc_file_state st = {0};
	struct hc_ctx now, over;
	struct hc_plan plan;
	const char *v;

	test_write(t.root_dir, path, "Port 22\n", 0644);
	ck_assert_int_eq(hc_ctx_file(&file, &t.ctx, path, SSHD_LENS, 0), 0);

	/* Reset to another state's bytes: never lent. */
	st.exists = true;
	st.mode = 0644;
	st.uid = file->uid;
	st.gid = file->gid;
	hc_buf_puts(&st.data, "Port 2222\n");
	ck_assert_int_eq(hc_ctx_file_reset(&t.ctx, file, &st), 0);
	got = test_ctx_borrow(&t, &now, path, SSHD_LENS);
	ck_assert_ptr_ne(got, file);
	ck_assert_int_eq(hc_file_get(&v, got, "Port"), 0);
	ck_assert_str_eq(v, "22");
	hc_ctx_release(&now);

	/* Removed, then the removal taken back: as read. */
	ck_assert_int_eq(hc_file_remove(file), 0);
	ck_assert_ptr_ne(test_ctx_borrow(&t, &now, path, SSHD_LENS), file);
	hc_ctx_release(&now);
	ck_assert_int_eq(hc_ctx_file_reset(&t.ctx, file, NULL), 0);
	got = test_ctx_borrow(&t, &now, path, SSHD_LENS);
	ck_assert_ptr_eq(got, file);
	ck_assert_int_eq(hc_file_get(&v, got, "Port"), 0);
	ck_assert_str_eq(v, "22");
	hc_ctx_release(&now);
	ck_assert_uint_eq(file->shares, 0);

	/* A lender whose plan overlays the file: the host's bytes. */
	hc_plan_init(&plan);
	{
		struct hc_file_state before = {0};

		before.exists = true;
		before.mode = 0644;
		before.uid = file->uid;
		before.gid = file->gid;
		hc_buf_puts(&before.data, "Port 22\n");
		ck_assert_int_eq(hc_plan_add(&plan, NULL, path, &before, &st),
				 0);
		hc_buf_release(&before.data);
	}
	hc_ctx_init(&over, t.root, t.aug, t.profile);
	over.after = &plan;
	ck_assert_int_eq(hc_ctx_file(&file, &over, path, SSHD_LENS, 0), 0);
	ck_assert_int_eq(hc_file_get(&v, file, "Port"), 0);
	ck_assert_str_eq(v, "2222");
	hc_ctx_init(&now, t.root, t.aug, t.profile);
	now.lender = &over;
	ck_assert_int_eq(hc_ctx_file(&got, &now, path, SSHD_LENS, 0), 0);
	ck_assert_ptr_ne(got, file);
	ck_assert_int_eq(hc_file_get(&v, got, "Port"), 0);
	ck_assert_str_eq(v, "22");
	/* Two borrowers of one file not in the plan; either order. */
	test_write(t.root_dir, "/etc/ssh/x.conf", "Port 23\n", 0644);
	{
		struct hc_ctx now2;
		struct hc_file *x = NULL, *x1 = NULL, *x2 = NULL;

		ck_assert_int_eq(
		    hc_ctx_file(&x, &over, "/etc/ssh/x.conf", SSHD_LENS, 0), 0);
		ck_assert_int_eq(
		    hc_ctx_file(&x1, &now, "/etc/ssh/x.conf", SSHD_LENS, 0), 0);
		hc_ctx_init(&now2, t.root, t.aug, t.profile);
		now2.lender = &over;
		ck_assert_int_eq(
		    hc_ctx_file(&x2, &now2, "/etc/ssh/x.conf", SSHD_LENS, 0),
		    0);
		ck_assert_ptr_eq(x1, x);
		ck_assert_ptr_eq(x2, x);
		ck_assert_uint_eq(x->shares, 2);
		hc_ctx_release(&over);
		ck_assert_uint_eq(x->shares, 1);
		ck_assert_int_eq(hc_file_get(&v, x2, "Port"), 0);
		ck_assert_str_eq(v, "23");
		hc_ctx_release(&now2);
	}
	hc_ctx_release(&now);
	hc_plan_release(&plan);
	hc_buf_release(&st.data);
}
END_TEST

Suite *red30_suite(void)
{
	Suite *s = suite_create("red30");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_loop_test(tc, test_red30__lines_as_lookup, 0,
			    (int)(sizeof(configs) / sizeof(configs[0])));
	tcase_add_test(tc, test_red30__dropin_render_as_sshd);
	tcase_add_test(tc, test_red30__lent_only_as_a_fresh_read);
	suite_add_tcase(s, tc);
	return s;
}
