/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Modules read ROOT only through the context: a file an earlier rule
 * created, removed or made a symlink in memory during the same run is
 * what a later rule's check reads, as the readers (snmpd, sysctl) will
 * read the host once the plan is installed.  Each "earlier rule" here
 * makes its change through the same calls a remediation makes
 * (hc_ctx_file, hc_file_set, hc_file_set_link, hc_file_remove); then
 * the real module's check runs in the same context.  The last test
 * runs one real apply and compares what its plan judged with a second
 * check of the installed files.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "hardctl/ctx.h"
#include "hardctl/engine.h"
#include "hardctl/file.h"
#include "test.h"

static struct test_ctx t;

static const char *status_name(enum hc_status s)
{
	switch (s) {
	case HC_STATUS_PASS:
		return "PASS";
	case HC_STATUS_FAIL:
		return "FAIL";
	case HC_STATUS_ERROR:
		return "ERROR";
	default:
		return "OTHER";
	}
}

/*
 * Check rule ID in the test's context; its status and evidence as one
 * text: "STATUS\nFILE:LINE: FOUND\n..." (caller frees).
 */
static char *check_rule(const char *id)
{
	struct hc_buf text = HC_BUF_INIT;
	const struct hc_finding *f;

	hc_strlist_release(&t.only);
	ck_assert_int_eq(hc_strlist_push(&t.only, id), 0);
	hc_findings_release(&t.findings);
	ck_assert_int_eq(hc_engine_check(&t.findings, &t.ctx, &t.only), 0);
	ck_assert_uint_eq(t.findings.n, 1);
	f = &t.findings.v[0];
	hc_buf_printf(&text, "%s %s\n", status_name(f->status),
		      f->reason ? f->reason : "");
	for (size_t i = 0; i < f->nev; i++)
		hc_buf_printf(&text, "%s:%u: %s\n",
			      f->ev[i].file ? f->ev[i].file : "", f->ev[i].line,
			      f->ev[i].found ? f->ev[i].found : "(nothing)");
	return hc_buf_detach(&text);
}

/* What an earlier rule's remediation does: create PATH in memory holding LINE.
 */
static void create_in_memory(const char *path, const char *lens,
			     const char *node, const char *value)
{
	struct hc_file *file;

	ck_assert_int_eq(hc_ctx_file(&file, &t.ctx, path, lens, HC_FILE_CREATE),
			 0);
	ck_assert_int_eq(hc_file_set(file, node, value), 0);
	ck_assert(hc_file_present(file));
}

/*
 * Debian's snmpd.conf ends with `includeDir /etc/snmp/snmpd.conf.d`:
 * snmpd reads every *.conf there, so a drop-in an earlier rule creates
 * there with `rocommunity public` is a weak community the check must
 * see in the same run.  Today's reader lists the directory on disk and
 * passes.
 */
START_TEST(test_layers_snmp__drop_in_created_in_memory_is_read)
{
	char path[4096], *verdict;

	test_ctx_setup(&t, "snmp/debian12");
	test_replace(t.root_dir, "/etc/snmp/snmpd.conf", "rocommunity  public",
		     "rocommunity  Zx81kq0Lm3PqWd7r");
	test_replace(t.root_dir, "/etc/snmp/snmpd.conf", "rocommunity6 public",
		     "rocommunity6 Zx81kq0Lm3PqWd7r");
	test_mkdirs(t.root_dir, "/etc/snmp/snmpd.conf.d");
	snprintf(path, sizeof(path), "%s/etc/snmp/snmpd.conf", t.root_dir);
	ck_assert_int_eq(chmod(path, 0600), 0);
	verdict = check_rule("snmp.community");
	assert_contains(verdict, "PASS");
	free(verdict);
	hc_findings_release(&t.findings);

	create_in_memory("/etc/snmp/snmpd.conf.d/monitoring.conf",
			 "Hardctl_Snmpd.lns", "rocommunity/1", "public");
	verdict = check_rule("snmp.community");
	assert_contains(verdict, "FAIL");
	assert_contains(verdict, "/etc/snmp/snmpd.conf.d/monitoring.conf");
	free(verdict);
	test_ctx_teardown(&t);
}
END_TEST

/*
 * A drop-in in /etc/sysctl.d overrides the vendor file of the same name
 * in /usr/lib/sysctl.d (sysctl --system, systemd-sysctl).  Once an
 * earlier rule removes the override, the vendor file counts again: the
 * check must judge its value.  Today the removed file still hides it.
 */
START_TEST(test_layers_sysctl__removed_override_uncovers_vendor_file)
{
	struct hc_file *file;
	char *verdict;

	test_ctx_setup(&t, "sysctl-debian12");
	test_write(t.root_dir, "/usr/lib/sysctl.d/60-site.conf",
		   "net.ipv4.tcp_syncookies = 0\n", 0644);
	test_write(t.root_dir, "/etc/sysctl.d/60-site.conf",
		   "net.ipv4.tcp_syncookies = 1\n", 0644);
	verdict = check_rule("network.syncookies");
	assert_contains(verdict, "PASS");
	assert_contains(verdict, "/etc/sysctl.d/60-site.conf:1");
	free(verdict);

	ck_assert_int_eq(hc_ctx_file(&file, &t.ctx,
				     "/etc/sysctl.d/60-site.conf",
				     "Hardctl_Sysctl.lns", 0),
			 0);
	ck_assert_int_eq(hc_file_remove(file), 0);
	verdict = check_rule("network.syncookies");
	assert_contains(verdict, "FAIL");
	assert_contains(verdict, "/usr/lib/sysctl.d/60-site.conf:1");
	free(verdict);
	test_ctx_teardown(&t);
}
END_TEST

/*
 * A drop-in an earlier rule turns into a link to /dev/null (systemd's
 * mask, the way console.ctrl-alt-del masks a unit) reads as nothing:
 * the key it set is set nowhere.  Today the reader stats the regular
 * file on disk and asks for it with its lens, and the check errors.
 */
START_TEST(test_layers_sysctl__drop_in_masked_in_memory_reads_nothing)
{
	struct hc_file *file;
	char *verdict;

	test_ctx_setup(&t, "sysctl-debian12");
	test_write(t.root_dir, "/etc/sysctl.d/60-site.conf",
		   "net.ipv4.tcp_syncookies = 1\n", 0644);
	ck_assert_int_eq(
	    hc_ctx_file(&file, &t.ctx, "/etc/sysctl.d/60-site.conf", NULL, 0),
	    0);
	ck_assert_int_eq(hc_file_set_link(file, "/dev/null"), 0);
	verdict = check_rule("network.syncookies");
	assert_contains(verdict, "FAIL");
	assert_lacks(verdict, "ERROR");
	assert_lacks(verdict, "60-site.conf");
	free(verdict);
	test_ctx_teardown(&t);
}
END_TEST

/*
 * The context's glob is the system as it will be: a file created in
 * memory is listed, one removed in memory is not.
 */
START_TEST(test_layers_glob__created_listed_removed_left_out)
{
	struct hc_strlist found = HC_STRLIST_INIT;
	struct hc_file *file;

	test_ctx_setup(&t, "sysctl-debian12");
	test_write(t.root_dir, "/etc/sysctl.d/10-old.conf",
		   "kernel.sysrq = 0\n", 0644);
	create_in_memory("/etc/sysctl.d/20-new.conf", "Hardctl_Sysctl.lns",
			 "kernel.sysrq", "0");
	ck_assert_int_eq(hc_ctx_file(&file, &t.ctx, "/etc/sysctl.d/10-old.conf",
				     "Hardctl_Sysctl.lns", 0),
			 0);
	ck_assert_int_eq(hc_file_remove(file), 0);
	ck_assert_int_eq(hc_ctx_glob(&found, &t.ctx, "/etc/sysctl.d/*.conf"),
			 0);
	ck_assert_uint_eq(found.n, 1);
	ck_assert_str_eq(found.v[0], "/etc/sysctl.d/20-new.conf");
	hc_strlist_release(&found);
	test_ctx_teardown(&t);
}
END_TEST

/*
 * The accessors answer for the plan first, ROOT otherwise: a file
 * created in memory has a status and is listed, one removed has none,
 * a link made in memory reads as its target, and reading through a
 * link on disk lands on the bytes a rule changed in memory.
 */
START_TEST(test_layers_ctx__accessors_answer_for_the_plan)
{
	struct hc_strlist names = HC_STRLIST_INIT;
	struct hc_buf buf = HC_BUF_INIT;
	struct hc_file *file;
	struct stat st;

	test_ctx_setup(&t, "sysctl-debian12");
	test_write(t.root_dir, "/etc/sysctl.d/10-old.conf",
		   "kernel.sysrq = 1\n", 0644);
	test_link(t.root_dir, "/etc/sysctl.d/30-link.conf", "40-target.conf");
	test_write(t.root_dir, "/etc/sysctl.d/40-target.conf",
		   "kernel.sysrq = 1\n", 0644);

	/* Created in memory: a regular file with the plan's mode, listed. */
	create_in_memory("/etc/sysctl.d/20-new.conf", "Hardctl_Sysctl.lns",
			 "kernel.sysrq", "0");
	ck_assert_int_eq(hc_ctx_lstat(&st, &t.ctx, "/etc/sysctl.d/20-new.conf"),
			 0);
	ck_assert(S_ISREG(st.st_mode));
	ck_assert_uint_eq(st.st_mode & 07777, 0644);
	/* Removed in memory: gone. */
	ck_assert_int_eq(hc_ctx_file(&file, &t.ctx, "/etc/sysctl.d/10-old.conf",
				     "Hardctl_Sysctl.lns", 0),
			 0);
	ck_assert_int_eq(hc_file_remove(file), 0);
	ck_assert_int_eq(hc_ctx_lstat(&st, &t.ctx, "/etc/sysctl.d/10-old.conf"),
			 HC_ENOTFOUND);
	ck_assert_int_eq(hc_ctx_read(&buf, &t.ctx, "/etc/sysctl.d/10-old.conf"),
			 HC_ENOTFOUND);
	/* ROOT's listing, as the plan leaves it. */
	ck_assert_int_eq(hc_ctx_list(&names, &t.ctx, "/etc/sysctl.d/"), 0);
	ck_assert_uint_eq(names.n, 4);
	ck_assert_str_eq(names.v[0], "20-new.conf");
	ck_assert_str_eq(names.v[1], "30-link.conf");
	ck_assert_str_eq(names.v[2], "40-target.conf");
	ck_assert_str_eq(names.v[3], "README.sysctl");
	hc_strlist_release(&names);

	/* A link on disk whose target a rule changed: the changed bytes. */
	ck_assert_int_eq(hc_ctx_file(&file, &t.ctx,
				     "/etc/sysctl.d/40-target.conf",
				     "Hardctl_Sysctl.lns", 0),
			 0);
	ck_assert_int_eq(hc_file_set(file, "kernel.sysrq", "0"), 0);
	ck_assert_int_eq(
	    hc_ctx_read(&buf, &t.ctx, "/etc/sysctl.d/30-link.conf"), 0);
	assert_contains(hc_buf_cstr(&buf), "kernel.sysrq = 0");
	ck_assert_int_eq(
	    hc_ctx_readlink(&buf, &t.ctx, "/etc/sysctl.d/30-link.conf"), 0);
	ck_assert_str_eq(hc_buf_cstr(&buf), "40-target.conf");
	ck_assert_int_eq(
	    hc_ctx_readlink(&buf, &t.ctx, "/etc/sysctl.d/40-target.conf"),
	    HC_EINVALID);

	/* A link made in memory: a link, to its target, and read through it. */
	ck_assert_int_eq(hc_ctx_file(&file, &t.ctx,
				     "/etc/sysctl.d/50-masked.conf", NULL,
				     HC_FILE_CREATE),
			 0);
	ck_assert_int_eq(hc_file_set_link(file, "20-new.conf"), 0);
	ck_assert_int_eq(
	    hc_ctx_lstat(&st, &t.ctx, "/etc/sysctl.d/50-masked.conf"), 0);
	ck_assert(S_ISLNK(st.st_mode));
	ck_assert_int_eq(
	    hc_ctx_read(&buf, &t.ctx, "/etc/sysctl.d/50-masked.conf"), 0);
	assert_contains(hc_buf_cstr(&buf), "kernel.sysrq = 0");
	hc_buf_release(&buf);
	test_ctx_teardown(&t);
}
END_TEST

/*
 * A prepared ROOT: links that loop, or climb out of ROOT.  Reading
 * stops at 40 hops; ".." and absolute targets stay inside ROOT.
 */
START_TEST(test_layers_ctx__links_loop_or_climb_stay_inside)
{
	struct hc_buf buf = HC_BUF_INIT;

	test_ctx_setup(&t, "sysctl-debian12");
	test_link(t.root_dir, "/etc/sysctl.d/a.conf", "b.conf");
	test_link(t.root_dir, "/etc/sysctl.d/b.conf", "a.conf");
	test_link(t.root_dir, "/etc/sysctl.d/up.conf",
		  "../../../../../../etc/sysctl.conf");
	test_link(t.root_dir, "/etc/sysctl.d/abs.conf", "/etc/sysctl.conf");
	ck_assert_int_eq(hc_ctx_read(&buf, &t.ctx, "/etc/sysctl.d/a.conf"),
			 HC_EUNSAFE);
	ck_assert_int_eq(hc_ctx_read(&buf, &t.ctx, "/etc/sysctl.d/up.conf"), 0);
	assert_contains(hc_buf_cstr(&buf),
			"/etc/sysctl.conf - Configuration file");
	ck_assert_int_eq(hc_ctx_read(&buf, &t.ctx, "/etc/sysctl.d/abs.conf"),
			 0);
	assert_contains(hc_buf_cstr(&buf),
			"/etc/sysctl.conf - Configuration file");
	hc_buf_release(&buf);
	test_ctx_teardown(&t);
}
END_TEST

/*
 * One real apply: a vendor file in /usr/lib/sysctl.d sets both
 * redirect keys; accept-redirects copies it into /etc/sysctl.d (a file
 * created in memory), and send-redirects, later in the same run, must
 * read that copy (it now hides the vendor file) and edit it, not make
 * a second one.  What the dry-run shows is what apply writes, and a
 * second check passes both rules.
 */
START_TEST(test_layers_apply__later_rule_edits_the_copy_an_earlier_made)
{
	struct test_run run = {0};
	char *root = test_root("sysctl-debian12"), *text, *diff;

	test_write(root, "/usr/lib/sysctl.d/50-router.conf",
		   "net.ipv4.conf.all.accept_redirects = 1\n"
		   "net.ipv4.conf.all.send_redirects = 1\n",
		   0644);
	TEST_HARDCTL(&run, "--root", root, "apply", "--dry-run", "--rule",
		     "network.accept-redirects", "--rule",
		     "network.send-redirects");
	ck_assert_msg(run.status == 0, "%s%s", hc_buf_cstr(&run.out),
		      hc_buf_cstr(&run.err));
	diff = hc_strdup(hc_buf_cstr(&run.out));
	assert_contains(diff, "/etc/sysctl.d/50-router.conf");
	assert_contains(diff, "+net.ipv4.conf.all.send_redirects = 0");

	TEST_HARDCTL(&run, "--root", root, "apply", "--rule",
		     "network.accept-redirects", "--rule",
		     "network.send-redirects");
	ck_assert_msg(run.status == 0, "%s%s", hc_buf_cstr(&run.out),
		      hc_buf_cstr(&run.err));
	text = test_read(root, "/etc/sysctl.d/50-router.conf");
	assert_contains(text, "net.ipv4.conf.all.accept_redirects = 0");
	assert_contains(text, "net.ipv4.conf.all.send_redirects = 0");
	free(text);
	TEST_HARDCTL(&run, "--root", root, "check", "--rule",
		     "network.accept-redirects", "--rule",
		     "network.send-redirects");
	ck_assert_msg(run.status == 0, "%s%s", hc_buf_cstr(&run.out),
		      hc_buf_cstr(&run.err));
	TEST_HARDCTL(&run, "--root", root, "apply", "--dry-run", "--rule",
		     "network.accept-redirects", "--rule",
		     "network.send-redirects");
	ck_assert_msg(run.status == 0, "%s", hc_buf_cstr(&run.err));
	assert_lacks(hc_buf_cstr(&run.out), "+net.");
	free(diff);
	test_run_release(&run);
	test_rmtree(root);
	free(root);
}
END_TEST

Suite *layers_suite(void)
{
	Suite *s = suite_create("layers");
	TCase *tc = tcase_create("layers");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_layers_snmp__drop_in_created_in_memory_is_read);
	tcase_add_test(
	    tc, test_layers_sysctl__removed_override_uncovers_vendor_file);
	tcase_add_test(
	    tc, test_layers_sysctl__drop_in_masked_in_memory_reads_nothing);
	tcase_add_test(tc, test_layers_glob__created_listed_removed_left_out);
	tcase_add_test(tc, test_layers_ctx__accessors_answer_for_the_plan);
	tcase_add_test(tc, test_layers_ctx__links_loop_or_climb_stay_inside);
	tcase_add_test(
	    tc, test_layers_apply__later_rule_edits_the_copy_an_earlier_made);
	suite_add_tcase(s, tc);
	return s;
}
