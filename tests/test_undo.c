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
/* The long files: before, after, live, and what the undo must give. */
static struct hc_buf was, did, now, want;

static void setup(void)
{
	ck_assert_int_eq(hc_aug_open(&aug, HARDCTL_LENS_DIR), 0);
	memset(&out, 0, sizeof(out));
	memset(&was, 0, sizeof(was));
	memset(&did, 0, sizeof(did));
	memset(&now, 0, sizeof(now));
	memset(&want, 0, sizeof(want));
}

static void teardown(void)
{
	hc_buf_release(&out);
	hc_buf_release(&was);
	hc_buf_release(&did);
	hc_buf_release(&now);
	hc_buf_release(&want);
	hc_aug_free(aug);
}

/* Undo BEFORE -> AFTER in LIVE with LENS; returns *clean. */
static bool undo_with(const char *lens, const char *before, const char *after,
		      const char *live)
{
	struct hc_buf b = HC_BUF_INIT, a = HC_BUF_INIT, l = HC_BUF_INIT;
	bool clean = false;

	hc_buf_puts(&b, before);
	hc_buf_puts(&a, after);
	hc_buf_puts(&l, live);
	ck_assert_int_eq(
	    hc_undo_nodes(&out, &clean, aug, lens, "f", &b, &a, &l), 0);
	hc_buf_release(&b);
	hc_buf_release(&a);
	hc_buf_release(&l);
	return clean;
}

static bool undo(const char *before, const char *after, const char *live)
{
	return undo_with("Sshd.lns", before, after, live);
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

/*
 * An entry whose label the lens writes out, a number (inittab's id):
 * it comes back under its own, not a scratch number.
 */
START_TEST(test_undo_nodes__numbered_id_written_back_as_it_was)
{
	const char *before = "id:2:initdefault:\n"
			     "1:2345:respawn:/sbin/getty 38400 tty1\n"
			     "2:23:respawn:/sbin/getty 38400 tty2\n";

	ck_assert(undo_with("Inittab.lns", before,
			    "id:2:initdefault:\n"
			    "2:23:respawn:/sbin/getty 38400 tty2\n",
			    "id:2:initdefault:\n"
			    "2:23:respawn:/sbin/getty 38400 tty2\n"
			    "3:23:respawn:/sbin/getty 38400 tty3\n"));
	ck_assert_str_eq(hc_buf_cstr(&out),
			 "id:2:initdefault:\n"
			 "1:2345:respawn:/sbin/getty 38400 tty1\n"
			 "2:23:respawn:/sbin/getty 38400 tty2\n"
			 "3:23:respawn:/sbin/getty 38400 tty3\n");
}
END_TEST

/*
 * A sysctl key written with slashes: Augeas places no such label, and
 * says nothing of why.  The undo says which entry, and that it cannot.
 */
START_TEST(test_undo_nodes__slash_label_refused_by_name)
{
	struct hc_buf b = HC_BUF_INIT, a = HC_BUF_INIT, l = HC_BUF_INIT;
	bool clean = true;

	hc_buf_puts(&b, "net/ipv4/ip_forward = 1\nkernel.sysrq = 0\n");
	hc_buf_puts(&a, "kernel.sysrq = 0\n");
	hc_buf_puts(&l, "kernel.sysrq = 0\nvm.swappiness = 10\n");
	ck_assert_int_eq(hc_undo_nodes(&out, &clean, aug, "Hardctl_Sysctl.lns",
				       "/etc/sysctl.conf", &b, &a, &l),
			 HC_EINVALID);
	assert_contains(hc_error_last()->message,
			"cannot put back the entry 'net/ipv4/ip_forward'");
	hc_buf_release(&b);
	hc_buf_release(&a);
	hc_buf_release(&l);
}
END_TEST

/*
 * An entry put back first, where the entry the rule put first goes: the
 * blank line Augeas keeps no label for stays where it was, in front.
 */
START_TEST(test_undo_nodes__first_entry_back_behind_a_blank_line)
{
	ck_assert(undo("\nAllowUsers a b c\n", "PermitRootLogin no\n\n",
		       "PermitRootLogin no\n\n"));
	ck_assert_str_eq(hc_buf_cstr(&out), "\nAllowUsers a b c\n");
}
END_TEST

/* OUT holds WANT, byte for byte; else the first line that differs. */
static void assert_out(void)
{
	const char *have = hc_buf_cstr(&out), *line = have;
	const char *wanted = hc_buf_cstr(&want);
	size_t i = 0;

	while (have[i] && have[i] == wanted[i]) {
		if (have[i] == '\n')
			line = have + i + 1;
		i++;
	}
	ck_assert_msg(have[i] == wanted[i],
		      "at byte %zu of %zu (of %zu wanted), the line\n%.80s\n"
		      "wanted\n%.80s",
		      i, out.size, want.size, line, wanted + (line - have));
}

/* Append to BUF the lines "pts/FROM" to "pts/TO - 1". */
static void ttys(struct hc_buf *buf, int from, int to)
{
	for (int i = from; i < to; i++)
		ck_assert_int_eq(hc_buf_printf(buf, "pts/%d\n", i), 0);
}

/*
 * A securetty of 402 entries.  The change took out entries at the
 * start (pts/0), in the middle (pts/200 and pts/201) and at the end
 * (pts/399), and added one at each of those places; by hand since, one
 * went in first and one last.  The undo puts each entry back after the
 * one it followed (first of all, where it followed none), takes out
 * what the change added and keeps the hand's.
 */
START_TEST(test_undo_nodes__long_file_start_middle_end)
{
	hc_buf_puts(&was, "console\n");
	ttys(&was, 0, 400);
	hc_buf_puts(&was, "tty1\n");
	/* After: ttyA, pts/1..199, pts/202..250, ttyB, pts/251..398, ttyC. */
	hc_buf_puts(&did, "console\nttyA\n");
	ttys(&did, 1, 200);
	ttys(&did, 202, 251);
	hc_buf_puts(&did, "ttyB\n");
	ttys(&did, 251, 399);
	hc_buf_puts(&did, "ttyC\ntty1\n");
	hc_buf_puts(&now, "hvc0\n");
	hc_buf_put(&now, did.ptr, did.size);
	hc_buf_puts(&now, "ttyS0\n");
	/* pts/0 first had console before it: after console it goes. */
	hc_buf_puts(&want, "hvc0\n");
	hc_buf_put(&want, was.ptr, was.size);
	hc_buf_puts(&want, "ttyS0\n");
	ck_assert(undo_with("Securetty.lns", was.ptr, did.ptr, now.ptr));
	assert_out();

	/* With console gone too, both go first, ahead of the hand's hvc0. */
	hc_buf_clear(&now);
	hc_buf_puts(&now, "hvc0\n");
	hc_buf_puts(&now, did.ptr + strlen("console\n"));
	hc_buf_puts(&now, "ttyS0\n");
	hc_buf_clear(&want);
	hc_buf_puts(&want, "console\npts/0\nhvc0\n");
	ttys(&want, 1, 400);
	hc_buf_puts(&want, "tty1\nttyS0\n");
	ck_assert(undo_with("Securetty.lns", was.ptr,
			    did.ptr + strlen("console\n"), now.ptr));
	assert_out();
}
END_TEST

/*
 * Append to BUF PAM line I, its arguments but those MISSING (bits) and
 * EXTRA after them.  The lines the change takes out share nothing with
 * the others (an entry that shares most with one changed is taken for
 * it).
 */
static void pam_line(struct hc_buf *buf, int i, unsigned missing,
		     const char *extra)
{
	const char *head = i == 0 || i == 150 || i == 299
			       ? "session optional pam_r"
			       : "auth required pam_m";

	ck_assert_int_eq(hc_buf_printf(buf, "%s%d.so", head, i), 0);
	if (!(missing & 1))
		ck_assert_int_eq(hc_buf_printf(buf, " a%d", i), 0);
	if (!(missing & 2))
		ck_assert_int_eq(hc_buf_printf(buf, " b%d", i), 0);
	if (extra)
		ck_assert_int_eq(hc_buf_printf(buf, " %s", extra), 0);
	hc_buf_puts(buf, "\n");
}

/*
 * A PAM stack of 300 lines.  The change gave line 10 an argument,
 * took out lines 0, 150 and 299, took line 200's first argument and
 * line 250's last; by hand since, a comment went in first and a line
 * after line 100.  The undo takes the argument out again and puts back
 * the lines and arguments, each in its place; the hand's edits stay.
 */
START_TEST(test_undo_nodes__long_pam_stack_lines_and_arguments)
{
	unsigned missing;

	hc_buf_puts(&now, "# by hand\n");
	for (int i = 0; i < 300; i++) {
		pam_line(&was, i, 0, NULL);
		pam_line(&want, i, 0, NULL);
		/* Line 0 followed nothing: it goes back first of all. */
		if (i == 0)
			hc_buf_puts(&want, "# by hand\n");
		if (i == 0 || i == 150 || i == 299)
			continue;
		missing = i == 200 ? 1 : i == 250 ? 2 : 0;
		pam_line(&did, i, missing, i == 10 ? "debug" : NULL);
		pam_line(&now, i, missing, i == 10 ? "debug" : NULL);
		if (i == 100) {
			hc_buf_puts(&now, "auth optional pam_hand.so\n");
			hc_buf_puts(&want, "auth optional pam_hand.so\n");
		}
	}
	ck_assert(undo_with("Pam.lns", was.ptr, did.ptr, now.ptr));
	assert_out();
}
END_TEST

Suite *undo_suite(void)
{
	Suite *s = suite_create("undo");
	TCase *tc = tcase_create("undo");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_undo_nodes__added_line_next_to_a_changed_one);
	tcase_add_test(tc, test_undo_nodes__numbered_id_written_back_as_it_was);
	tcase_add_test(tc,
		       test_undo_nodes__first_entry_back_behind_a_blank_line);
	tcase_add_test(tc, test_undo_nodes__value_set_back);
	tcase_add_test(tc, test_undo_nodes__value_changed_again_is_not_clean);
	tcase_add_test(tc,
		       test_undo_nodes__already_undone_is_clean_and_unchanged);
	tcase_add_test(
	    tc, test_undo_nodes__removed_leaf_comes_back_after_its_neighbour);
	tcase_add_test(tc, test_undo_nodes__inside_a_match_block);
	tcase_add_test(tc, test_undo_nodes__unparsable_live_file);
	tcase_add_test(tc, test_undo_nodes__slash_label_refused_by_name);
	tcase_add_test(tc, test_undo_nodes__long_file_start_middle_end);
	tcase_add_test(tc, test_undo_nodes__long_pam_stack_lines_and_arguments);
	suite_add_tcase(s, tc);
	return s;
}
