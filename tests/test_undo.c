/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Node-level undo: one change taken out of a file that changed since.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "hardctl/aug.h"
#include "hardctl/undo.h"
#include "test.h"

static struct hc_aug *aug;
static struct hc_buf out;

static void setup(void)
{
	ck_assert_int_eq(hc_aug_open(&aug, HARDCTL_LENS_DIR), 0);
	memset(&out, 0, sizeof(out));
}

static void teardown(void)
{
	hc_buf_release(&out);
	hc_aug_free(aug);
}

/* Undo BEFORE -> AFTER in LIVE with the Sshd lens; returns *clean. */
static bool undo(const char *before, const char *after, const char *live)
{
	struct hc_buf b = HC_BUF_INIT, a = HC_BUF_INIT, l = HC_BUF_INIT;
	bool clean = false;

	hc_buf_puts(&b, before);
	hc_buf_puts(&a, after);
	hc_buf_puts(&l, live);
	ck_assert_int_eq(
	    hc_undo_nodes(&out, &clean, aug, "Sshd.lns", "f", &b, &a, &l), 0);
	hc_buf_release(&b);
	hc_buf_release(&a);
	hc_buf_release(&l);
	return clean;
}

/* The case a line merge calls a conflict: the neighbour line changed too. */
START_TEST(test_undo_nodes__added_line_next_to_a_changed_one)
{
	ck_assert(undo("Banner /etc/issue.net\n",
		       "Banner /etc/issue.net\nPermitRootLogin no\n",
		       "Banner /etc/motd\nPermitRootLogin no\n"));
	ck_assert_str_eq(hc_buf_cstr(&out), "Banner /etc/motd\n");
}
END_TEST

START_TEST(test_undo_nodes__value_set_back)
{
	ck_assert(undo(
	    "Port 22\nPermitRootLogin yes\nUsePAM yes\n",
	    "Port 22\nPermitRootLogin no\nUsePAM yes\n",
	    "Port 2222\nPermitRootLogin no\nUsePAM yes\nX11Forwarding no\n"));
	ck_assert_str_eq(
	    hc_buf_cstr(&out),
	    "Port 2222\nPermitRootLogin yes\nUsePAM yes\nX11Forwarding no\n");
}
END_TEST

START_TEST(test_undo_nodes__value_changed_again_is_not_clean)
{
	ck_assert(!undo("PermitRootLogin yes\n", "PermitRootLogin no\n",
			"PermitRootLogin prohibit-password\n"));
	ck_assert_uint_eq(out.size, 0);
}
END_TEST

START_TEST(test_undo_nodes__already_undone_is_clean_and_unchanged)
{
	ck_assert(undo("UsePAM yes\n", "UsePAM yes\nBanner /etc/issue.net\n",
		       "UsePAM no\n"));
	ck_assert_str_eq(hc_buf_cstr(&out), "UsePAM no\n");
}
END_TEST

START_TEST(test_undo_nodes__removed_leaf_comes_back_after_its_neighbour)
{
	ck_assert(undo("Port 22\nUseDNS yes\nUsePAM yes\n",
		       "Port 22\nUsePAM yes\n", "Port 22\nUsePAM no\n"));
	ck_assert_str_eq(hc_buf_cstr(&out), "Port 22\nUseDNS yes\nUsePAM no\n");
}
END_TEST

START_TEST(test_undo_nodes__inside_a_match_block)
{
	ck_assert(undo("UsePAM yes\nMatch User bob\n\tX11Forwarding yes\n",
		       "UsePAM yes\nMatch User bob\n\tX11Forwarding no\n",
		       "UsePAM no\nMatch User bob\n\tX11Forwarding no\n"));
	ck_assert_str_eq(hc_buf_cstr(&out),
			 "UsePAM no\nMatch User bob\n\tX11Forwarding yes\n");
}
END_TEST

START_TEST(test_undo_nodes__unparsable_live_file)
{
	struct hc_buf b = HC_BUF_INIT, l = HC_BUF_INIT;
	bool clean = true;

	hc_buf_puts(&b, "Port 22\n");
	hc_buf_puts(&l, "Port 22\nPermitRootLogin\n");
	ck_assert_int_eq(hc_undo_nodes(&out, &clean, aug, "Sshd.lns",
				       "/etc/ssh/sshd_config", &b, &b, &l),
			 HC_EPARSE);
	ck_assert_uint_eq(hc_error_last()->line, 2);
	hc_buf_release(&b);
	hc_buf_release(&l);
}
END_TEST

Suite *undo_suite(void)
{
	Suite *s = suite_create("undo");
	TCase *tc = tcase_create("undo");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_undo_nodes__added_line_next_to_a_changed_one);
	tcase_add_test(tc, test_undo_nodes__value_set_back);
	tcase_add_test(tc, test_undo_nodes__value_changed_again_is_not_clean);
	tcase_add_test(tc,
		       test_undo_nodes__already_undone_is_clean_and_unchanged);
	tcase_add_test(
	    tc, test_undo_nodes__removed_leaf_comes_back_after_its_neighbour);
	tcase_add_test(tc, test_undo_nodes__inside_a_match_block);
	tcase_add_test(tc, test_undo_nodes__unparsable_live_file);
	suite_add_tcase(s, tc);
	return s;
}
