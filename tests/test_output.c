/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Output an administrator reads: text that fits the terminal's width
 * (COLUMNS, the terminal, 80 when piped) without losing a word; diffs
 * coloured on a terminal only (never with NO_COLOR); diffs and logs
 * paged as git pages them, the exit code kept; --quiet for cron.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "hardctl/finding.h"
#include "hardctl/module.h"
#include "hardctl/report.h"
#include "hardctl/term.h"
#include "test.h"

static char *root_dir, *work;
static struct test_run run;

#define HARDCTL(...) TEST_HARDCTL(&run, "--root", root_dir, __VA_ARGS__)

static void setup(void)
{
	root_dir = test_root("debian12");
	work = test_mkdtemp();
	memset(&run, 0, sizeof(run));
	unsetenv("COLUMNS");
	unsetenv("NO_COLOR");
	unsetenv("HARDCTL_PAGER");
	unsetenv("PAGER");
}

static void teardown(void)
{
	test_run_release(&run);
	test_rmtree(root_dir);
	test_rmtree(work);
	free(root_dir);
	free(work);
}

/*
 * The first line of TEXT wider than WIDTH columns, or NULL.  A line of
 * one word (after its indentation) may be: a word is never cut, and a
 * SHA-256 in hex is 64 columns.
 */
static const char *wide_line(const char *text, size_t width)
{
	while (*text) {
		size_t len = strcspn(text, "\n"), lead = strspn(text, " ");
		const char *space = memchr(text + lead, ' ', len - lead);

		if (hc_term_text_width(text, len) > width && space)
			return text;
		text += len + (text[len] == '\n');
	}
	return NULL;
}

#define assert_fits(text, width)                                               \
	do {                                                                   \
		const char *wide_ = wide_line((text), (width));                \
		ck_assert_msg(                                                 \
		    wide_ == NULL, "a line wider than %d columns: '%.*s'",     \
		    (int)(width), (int)strcspn(wide_ ? wide_ : "", "\n"),      \
		    wide_ ? wide_ : "");                                       \
	} while (0)

/* TEXT's words (runs of anything but spaces and newlines), one per line. */
static char *words(const char *text)
{
	struct hc_buf out = HC_BUF_INIT;

	while (*text) {
		size_t skip = strspn(text, " \n"), len;

		text += skip;
		len = strcspn(text, " \n");
		if (len) {
			hc_buf_put(&out, text, len);
			hc_buf_puts(&out, "\n");
		}
		text += len;
	}
	hc_buf_puts(&out, "");
	return out.ptr;
}

/*
 * Assert that the words of A and B are the same; on failure, show where
 * they part (Check's messages are short: not the whole texts).
 */
static void assert_same_words(const char *a, const char *b)
{
	char *wa = words(a), *wb = words(b);
	size_t i = 0;

	while (wa[i] && wa[i] == wb[i])
		i++;
	ck_assert_msg(wa[i] == wb[i], "the words part at '%.200s' / '%.200s'",
		      wa + (i > 40 ? i - 40 : 0), wb + (i > 40 ? i - 40 : 0));
	free(wa);
	free(wb);
}

/* The ids of the profile's rules, from list --format json's "id" keys. */
static size_t rule_ids(char ids[64][64])
{
	const char *p;
	size_t n = 0;

	HARDCTL("--format", "json", "list");
	ck_assert_int_eq(run.status, 0);
	for (p = run.out.ptr; (p = strstr(p, "\"id\":")) != NULL && n < 64;
	     n++) {
		p = strchr(p + 5, '"') + 1;
		snprintf(ids[n], 64, "%.*s", (int)strcspn(p, "\""), p);
	}
	ck_assert_uint_gt(n, 20);
	return n;
}

/* check, list and every rule's explain, in one text. */
static char *everything(void)
{
	char ids[64][64];
	size_t n = rule_ids(ids);
	struct hc_buf all = HC_BUF_INIT;

	HARDCTL("check");
	ck_assert_msg(run.status == 1, "exit %d: %s", run.status, run.err.ptr);
	hc_buf_puts(&all, run.out.ptr);
	HARDCTL("list");
	ck_assert_int_eq(run.status, 0);
	hc_buf_puts(&all, run.out.ptr);
	for (size_t i = 0; i < n; i++) {
		HARDCTL("explain", ids[i]);
		ck_assert_msg(run.status == 0, "explain %s: %s", ids[i],
			      run.err.ptr);
		hc_buf_puts(&all, run.out.ptr);
	}
	return all.ptr;
}

START_TEST(test_output_term__width_from_columns_terminal_or_80)
{
	ck_assert_uint_eq(hc_term_width("60", -1), 60);
	ck_assert_uint_eq(hc_term_width("132", -1), 132);
	/* Not a number: as if unset; a pipe or no file: 80. */
	ck_assert_uint_eq(hc_term_width("wide", -1), 80);
	ck_assert_uint_eq(hc_term_width("", -1), 80);
	ck_assert_uint_eq(hc_term_width("0", -1), 80);
	ck_assert_uint_eq(hc_term_width("-5", -1), 80);
	ck_assert_uint_eq(hc_term_width("80x", -1), 80);
	ck_assert_uint_eq(hc_term_width(NULL, -1), 80);
	/* A floor, and a ceiling. */
	ck_assert_uint_eq(hc_term_width("10", -1), HC_TERM_MIN_WIDTH);
	ck_assert_uint_eq(hc_term_width("99999999999999999999999", -1), 80);
	ck_assert_uint_eq(hc_term_width("100000", -1), HC_TERM_MAX_WIDTH);
}
END_TEST

START_TEST(test_output_term__text_width_skips_colour_counts_escapes)
{
	const char *s = "\033[31mFAIL\033[0m \\x1b[2J caf\xc3\xa9";

	ck_assert_uint_eq(hc_term_text_width(s, strlen(s)), 17);
	/* A byte that starts no UTF-8 character counts one column. */
	ck_assert_uint_eq(hc_term_text_width("\xff\xfe", 2), 2);
}
END_TEST

START_TEST(test_output_term__wrap_keeps_every_word_and_byte)
{
	static const char text[] =
	    "/etc/login.defs:165: PASS_MAX_DAYS 99999;  expected "
	    "PASS_MAX_DAYS at most 60 "
	    "/a/very/long/path/that/is/wider/than/any/line/of/forty/columns "
	    "end ";
	struct hc_buf out = HC_BUF_INIT;
	char *before, *after;
	const char *p;

	ck_assert_int_eq(hc_buf_puts(&out, "        fails: "), 0);
	ck_assert_int_eq(hc_term_wrap(&out, text, 15, 15, 40), 0);
	for (p = out.ptr; *p;) {
		size_t len = strcspn(p, "\n");

		/* Only a word wider than a line may pass the width. */
		ck_assert_msg(len <= 40 ||
				  memchr(p + 15, ' ', len - 15) == NULL,
			      "line too wide: %.*s", (int)len, p);
		ck_assert_msg(len == 0 || p[len - 1] != ' ' || p[len] == '\0',
			      "a break left a space: '%.*s'", (int)len, p);
		p += len + (p[len] == '\n');
	}
	assert_contains(out.ptr, "\n               /a/very/long/path/that/is/"
				 "wider/than/any/line/of/forty/columns\n");
	before = words(text);
	after = words(out.ptr + 15);
	ck_assert_str_eq(after, before);
	free(before);
	free(after);
	/* Spaces inside a line are kept; a last word that fits stays. */
	hc_buf_clear(&out);
	ck_assert_int_eq(hc_term_wrap(&out, "a  b.  c", 0, 2, 40), 0);
	ck_assert_str_eq(out.ptr, "a  b.  c");
	hc_buf_release(&out);
}
END_TEST

/* The issue's count: 59 of 80 check lines, 31 of 32 list lines wider. */
START_TEST(test_output_width__80_columns_piped_and_with_columns)
{
	char *all = everything();

	/* Piped, no COLUMNS: 80. */
	assert_fits(all, 80);
	free(all);
	setenv("COLUMNS", "80", 1);
	all = everything();
	assert_fits(all, 80);
	free(all);
	setenv("COLUMNS", "60", 1);
	all = everything();
	assert_fits(all, 60);
	free(all);
}
END_TEST

/* Cron mail keeps every word: the same words as at 1000 columns. */
START_TEST(test_output_width__no_word_lost)
{
	char *wide, *narrow;

	setenv("COLUMNS", "1000", 1);
	wide = everything();
	ck_assert_ptr_nonnull(wide_line(wide, 100));
	setenv("COLUMNS", "40", 1);
	narrow = everything();
	assert_same_words(narrow, wide);
	free(narrow);
	unsetenv("COLUMNS");
	narrow = everything();
	assert_same_words(narrow, wide);
	free(wide);
	free(narrow);
}
END_TEST

/* On a terminal, the width is the terminal's (forkpty's is 0: then 80). */
START_TEST(test_output_width__terminal)
{
	test_hardctl_tty(&run,
			 (const char *const[]){"--root", root_dir,
					       "--color=never", "check", NULL});
	ck_assert_msg(run.status == 1, "exit %d: %s", run.status, run.out.ptr);
	/* The terminal turns each newline into CR LF. */
	for (char *p = run.out.ptr; (p = strchr(p, '\r')) != NULL;)
		memmove(p, p + 1, strlen(p));
	assert_contains(run.out.ptr, "FAIL    CAT II   banner.issue");
	assert_fits(run.out.ptr, 80);
}
END_TEST

/* A FAIL says how it is fixed; its evidence, which part fails. */
START_TEST(test_output_check__fix_line_and_evidence_marks_wrapped)
{
	static const struct hc_rule rule = {
	    .id = "password.quality",
	    .title = "PAM's quality module requires long, varied passwords",
	    .severity = HC_CAT_II,
	};
	struct hc_findings findings = {0};
	struct hc_finding *f;
	struct hc_text_opts opts = {.width = 60};
	struct hc_buf out = HC_BUF_INIT;
	struct hc_profile *profile = NULL;

	ck_assert_int_eq(hc_findings_add(&f, &findings, &rule, HC_CAT_II), 0);
	ck_assert_int_eq(hc_finding_fail(f, "/etc/pam.d/common-password", 25,
					 "minlen not set (pam_pwquality "
					 "default 8)",
					 "minlen at least 15"),
			 0);
	ck_assert_int_eq(hc_finding_evidence(f, "/etc/pam.d/common-password",
					     25, "enforcing not set", NULL),
			 0);
	f->fix = HC_FIX_CANNOT;
	f->fix_note = strdup("pam_pwquality.so is not installed: install "
			     "libpam-pwquality, or skip with --skip-rule "
			     "password.quality");
	opts.quiet = true; /* no summary: no profile needed */
	ck_assert_int_eq(hc_report_check_text(&out, profile, &findings, &opts),
			 0);
	assert_fits(out.ptr, 60);
	assert_contains(out.ptr, "        fix: apply cannot: pam_pwquality.so "
				 "is not\n             installed: install ");
	assert_contains(out.ptr,
			"        fails: /etc/pam.d/common-password:25:"
			" minlen not set\n               (pam_pwquality");
	assert_contains(out.ptr, "        holds: /etc/pam.d/common-password:25:"
				 " enforcing not\n               set\n");
	f->fix = HC_FIX_MANUAL;
	hc_buf_clear(&out);
	ck_assert_int_eq(hc_report_check_text(&out, profile, &findings, &opts),
			 0);
	assert_contains(out.ptr, "        fix: report only: pam_pwquality.so");
	f->fix = HC_FIX_APPLY;
	hc_buf_clear(&out);
	ck_assert_int_eq(hc_report_check_text(&out, profile, &findings, &opts),
			 0);
	assert_contains(out.ptr, "        fix: apply fixes this\n");
	hc_buf_release(&out);
	hc_findings_release(&findings);
}
END_TEST

/* A secret, on a narrow terminal and in a coloured diff: masked. */
START_TEST(test_output_check__secret_masked_before_wrapping)
{
	char path[4096];

	snprintf(path, sizeof(path), "%s/site.conf", work);
	test_write("/", path,
		   "[tailoring]\nname = site\nversion = 1\n"
		   "profile = service-console\n"
		   "[snmp.community]\ncommunity = TailoredSecretWords42\n",
		   0600);
	test_write(root_dir, "/etc/snmp/snmpd.conf",
		   "rocommunity public default\n", 0644);
	setenv("COLUMNS", "40", 1);
	HARDCTL("check", "--tailoring", path);
	ck_assert_msg(run.status == 1, "exit %d: %s", run.status, run.err.ptr);
	assert_contains(run.out.ptr, "snmp.community");
	assert_lacks(run.out.ptr, "Secret");
	assert_lacks(run.out.ptr, "Words");
	HARDCTL("--color=always", "diff", "--tailoring", path, "--rule",
		"snmp.community");
	ck_assert_msg(run.status == 0, "exit %d: %s", run.status, run.err.ptr);
	assert_contains(run.out.ptr, "\033[32m+rocommunity ******** default");
	assert_lacks(run.out.ptr, "Secret");
	assert_lacks(run.out.ptr, "Words");
}
END_TEST

START_TEST(test_output_color__diff_coloured_only_when_asked_or_terminal)
{
	HARDCTL("diff", "--rule", "banner.issue");
	ck_assert_msg(run.status == 0, "exit %d: %s", run.status, run.err.ptr);
	assert_contains(run.out.ptr, "diff --git a/etc/issue b/etc/issue\n");
	ck_assert_ptr_null(strchr(run.out.ptr, '\033'));

	HARDCTL("--color=always", "diff", "--rule", "banner.issue");
	ck_assert_msg(run.status == 0, "exit %d: %s", run.status, run.err.ptr);
	assert_contains(run.out.ptr,
			"\033[1mdiff --git a/etc/issue b/etc/issue\033[m\n");
	assert_contains(run.out.ptr, "\033[1m--- a/etc/issue\033[m\n");
	assert_contains(run.out.ptr, "\033[36m@@ -1,2 +1,8 @@");
	assert_contains(run.out.ptr, "\033[31m-Debian GNU/Linux 12");
	assert_contains(run.out.ptr, "\033[32m+");
	/* Escaping still runs: no escape sequence but the colours. */
	HARDCTL("--color=always", "check", "--rule", "banner.issue");
	assert_contains(run.out.ptr, "\033[31mFAIL   \033[0m CAT II");

	HARDCTL("--color=never", "apply", "--dry-run", "--rule",
		"banner.issue");
	ck_assert_ptr_null(strchr(run.out.ptr, '\033'));
	HARDCTL("--color=sometimes", "diff");
	ck_assert_int_eq(run.status, 2);
	assert_contains(run.err.ptr, "--color takes auto, always or never");
}
END_TEST

START_TEST(test_output_color__terminal_but_not_with_no_color)
{
	const char *const args[] = {"--root", root_dir, "--no-pager",
				    "diff",   "--rule", "banner.issue",
				    NULL};

	test_hardctl_tty(&run, args);
	ck_assert_msg(run.status == 0, "exit %d: %s", run.status, run.out.ptr);
	assert_contains(run.out.ptr, "\033[36m@@");
	test_run_release(&run);
	setenv("NO_COLOR", "1", 1);
	test_hardctl_tty(&run, args);
	ck_assert_msg(run.status == 0, "exit %d: %s", run.status, run.out.ptr);
	assert_contains(run.out.ptr, "@@ -1,2 +1,8 @@");
	ck_assert_ptr_null(strchr(run.out.ptr, '\033'));
	test_run_release(&run);
	/* Set but empty: as if unset (no-color.org). */
	setenv("NO_COLOR", "", 1);
	test_hardctl_tty(&run, args);
	assert_contains(run.out.ptr, "\033[36m@@");
}
END_TEST

/* HARDCTL_PAGER records what it got in WORK/paged. */
static char *pager_file(void)
{
	static char cmd[4200], file[4096];

	snprintf(file, sizeof(file), "%s/paged", work);
	snprintf(cmd, sizeof(cmd), "cat > '%s'", file);
	setenv("HARDCTL_PAGER", cmd, 1);
	setenv("PAGER", "false", 1);
	unlink(file);
	return file;
}

START_TEST(test_output_pager__on_a_terminal_only)
{
	const char *file = pager_file();
	char *paged;

	test_hardctl_tty(
	    &run, (const char *const[]){"--root", root_dir, "diff", NULL});
	ck_assert_msg(run.status == 0, "exit %d: %s", run.status, run.out.ptr);
	paged = test_read("/", file);
	ck_assert_ptr_nonnull(paged);
	assert_contains(paged, "diff --git a/etc/issue b/etc/issue");
	/* Coloured for the pager, which passes the colours. */
	assert_contains(paged, "\033[36m@@");
	/* Only stdout is paged: stderr stays on the terminal. */
	assert_contains(run.out.ptr, "hardctl: would remediate banner.issue");
	assert_lacks(run.out.ptr, "diff --git");
	free(paged);

	/* Piped: never. */
	unlink(file);
	HARDCTL("diff");
	ck_assert_int_eq(run.status, 0);
	assert_contains(run.out.ptr, "diff --git a/etc/issue b/etc/issue");
	ck_assert_ptr_null(test_read("/", file));

	/* --no-pager, JSON: never. */
	test_run_release(&run);
	test_hardctl_tty(&run,
			 (const char *const[]){"--root", root_dir, "--no-pager",
					       "diff", NULL});
	ck_assert_int_eq(run.status, 0);
	assert_contains(run.out.ptr, "diff --git a/etc/issue b/etc/issue");
	ck_assert_ptr_null(test_read("/", file));
	test_run_release(&run);
	test_hardctl_tty(&run,
			 (const char *const[]){"--root", root_dir, "--format",
					       "json", "diff", NULL});
	ck_assert_int_eq(run.status, 0);
	assert_contains(run.out.ptr, "\"diff\":");
	ck_assert_ptr_null(test_read("/", file));

	/* check is no pager's business. */
	test_run_release(&run);
	test_hardctl_tty(
	    &run, (const char *const[]){"--root", root_dir, "check", NULL});
	ck_assert_int_eq(run.status, 1);
	ck_assert_ptr_null(test_read("/", file));

	/* "cat" or "": none. */
	setenv("HARDCTL_PAGER", "cat", 1);
	test_run_release(&run);
	test_hardctl_tty(
	    &run, (const char *const[]){"--root", root_dir, "diff", NULL});
	ck_assert_int_eq(run.status, 0);
	assert_contains(run.out.ptr, "diff --git a/etc/issue b/etc/issue");
}
END_TEST

/* PAGER when HARDCTL_PAGER is unset; show and log are paged too. */
START_TEST(test_output_pager__pager_env_show_and_log)
{
	const char *file = pager_file();
	char *paged;

	HARDCTL("apply", "--rule", "banner.issue");
	ck_assert_msg(run.status == 0, "exit %d: %s", run.status, run.err.ptr);
	setenv("PAGER", getenv("HARDCTL_PAGER"), 1);
	unsetenv("HARDCTL_PAGER");
	test_run_release(&run);
	test_hardctl_tty(
	    &run, (const char *const[]){"--root", root_dir, "show", "1", NULL});
	ck_assert_msg(run.status == 0, "exit %d: %s", run.status, run.out.ptr);
	paged = test_read("/", file);
	assert_contains(paged, "+++ b/etc/issue");
	free(paged);
	unlink(file);
	test_run_release(&run);
	test_hardctl_tty(
	    &run, (const char *const[]){"--root", root_dir, "log", NULL});
	ck_assert_msg(run.status == 0, "exit %d: %s", run.status, run.out.ptr);
	paged = test_read("/", file);
	assert_contains(paged, "apply");
	free(paged);
	unlink(file);
	test_run_release(&run);
	test_hardctl_tty(&run,
			 (const char *const[]){"--root", root_dir, "rollback",
					       "--dry-run", NULL});
	ck_assert_msg(run.status == 0, "exit %d: %s", run.status, run.out.ptr);
	paged = test_read("/", file);
	assert_contains(paged, "\033[32m+Debian GNU/Linux 12");
	free(paged);
}
END_TEST

/* diff's exit 5 (refused) goes through the pager; a pager gone early too. */
START_TEST(test_output_pager__exit_code_kept)
{
	const char *file = pager_file();
	char *demo = test_demo_root_as_shipped(), *paged;
	char cmd[4300];

	/* The verdict comes once the pager is done, not under its screen. */
	snprintf(cmd, sizeof(cmd), "%s; echo pager-done",
		 getenv("HARDCTL_PAGER"));
	setenv("HARDCTL_PAGER", cmd, 1);
	test_hardctl_tty(&run,
			 (const char *const[]){"--root", demo, "diff", NULL});
	ck_assert_msg(run.status == 5, "exit %d: %s", run.status, run.out.ptr);
	assert_contains(run.out.ptr, "lockout check: REFUSED");
	assert_contains(run.out.ptr, "pager-done");
	ck_assert_msg(strstr(run.out.ptr, "pager-done") <
			  strstr(run.out.ptr, "lockout check: REFUSED"),
		      "the verdict came before the pager quit");
	paged = test_read("/", file);
	assert_contains(paged, "diff --git");
	free(paged);

	/* A pager that reads nothing and quits: no failure of hardctl's. */
	setenv("HARDCTL_PAGER", "exec true", 1);
	test_run_release(&run);
	test_hardctl_tty(
	    &run, (const char *const[]){"--root", root_dir, "diff", NULL});
	ck_assert_msg(run.status == 0, "exit %d: %s", run.status, run.out.ptr);
	assert_lacks(run.out.ptr, "cannot write");
	test_run_release(&run);
	test_hardctl_tty(&run,
			 (const char *const[]){"--root", demo, "diff", NULL});
	ck_assert_msg(run.status == 5, "exit %d: %s", run.status, run.out.ptr);
	test_rmtree(demo);
	free(demo);
}
END_TEST

START_TEST(test_output_quiet__check_only_what_fails)
{
	const char *p;

	HARDCTL("check", "--quiet");
	ck_assert_int_eq(run.status, 1);
	assert_contains(run.out.ptr, "FAIL    CAT II   banner.issue");
	assert_contains(run.out.ptr, "fails: /etc/issue:1:");
	ck_assert_ptr_null(strstr(run.out.ptr, "rules:"));
	ck_assert_ptr_null(strstr(run.out.ptr, "sha256"));
	/* Every row is a FAIL (no PASS, no N/A); what is under it, indented. */
	for (p = run.out.ptr; *p; p += strcspn(p, "\n") + 1)
		ck_assert_msg(strncmp(p, "FAIL ", 5) == 0 || p[0] == ' ',
			      "not a FAIL row: %.*s", (int)strcspn(p, "\n"), p);
	ck_assert_str_eq(run.err.ptr, "");

	/* Before the command too; all well: nothing at all. */
	HARDCTL("--quiet", "check", "--rule", "password.warn-age");
	ck_assert_int_eq(run.status, 0);
	ck_assert_str_eq(run.out.ptr, "");
	ck_assert_str_eq(run.err.ptr, "");

	/* An ERROR shows, and still says why on stderr. */
	test_write(root_dir, "/etc/ssh/sshd_config", "PermitRootLogin\n", 0644);
	HARDCTL("check", "--quiet", "--rule",
		"root-access.sshd-permit-root-login", "--rule",
		"password.warn-age");
	ck_assert_int_eq(run.status, 2);
	assert_contains(run.out.ptr, "ERROR   CAT II   root-access.");
	assert_lacks(run.out.ptr, "password.warn-age");
	assert_contains(run.err.ptr, "sshd_config");
}
END_TEST

START_TEST(test_output_quiet__apply_only_changed_files)
{
	HARDCTL("diff", "--quiet", "--rule", "banner.issue", "--rule",
		"banner.motd");
	ck_assert_msg(run.status == 0, "exit %d: %s", run.status, run.err.ptr);
	ck_assert_str_eq(run.out.ptr, "/etc/issue\n/etc/motd\n");
	ck_assert_str_eq(run.err.ptr, "");

	HARDCTL("--quiet", "apply", "--rule", "banner.issue", "--rule",
		"banner.motd");
	ck_assert_msg(run.status == 0, "exit %d: %s", run.status, run.err.ptr);
	ck_assert_str_eq(run.out.ptr, "/etc/issue\n/etc/motd\n");

	/* Nothing left to change: nothing said. */
	HARDCTL("apply", "--quiet", "--rule", "banner.issue");
	ck_assert_msg(run.status == 0, "exit %d: %s", run.status, run.err.ptr);
	ck_assert_str_eq(run.out.ptr, "");
	HARDCTL("check", "--quiet", "--rule", "banner.issue");
	ck_assert_int_eq(run.status, 0);
	ck_assert_str_eq(run.out.ptr, "");
}
END_TEST

/* A refused apply exits 5 with --quiet, saying why on stderr. */
START_TEST(test_output_quiet__refusal_still_said)
{
	char *demo = test_demo_root_as_shipped();

	TEST_HARDCTL(&run, "--root", demo, "--quiet", "apply");
	ck_assert_int_eq(run.status, 5);
	ck_assert_str_eq(run.out.ptr, "");
	assert_contains(run.err.ptr, "refused");
	TEST_HARDCTL(&run, "--root", demo, "--quiet", "diff");
	ck_assert_int_eq(run.status, 5);
	assert_contains(run.out.ptr, "/etc/ssh/sshd_config\n");
	assert_contains(run.err.ptr, "REFUSED");
	test_rmtree(demo);
	free(demo);
}
END_TEST

Suite *output_suite(void)
{
	Suite *s = suite_create("output");
	TCase *tc = tcase_create("output");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_output_term__width_from_columns_terminal_or_80);
	tcase_add_test(
	    tc, test_output_term__text_width_skips_colour_counts_escapes);
	tcase_add_test(tc, test_output_term__wrap_keeps_every_word_and_byte);
	tcase_add_test(tc,
		       test_output_width__80_columns_piped_and_with_columns);
	tcase_add_test(tc, test_output_width__no_word_lost);
	tcase_add_test(tc, test_output_width__terminal);
	tcase_add_test(tc,
		       test_output_check__fix_line_and_evidence_marks_wrapped);
	tcase_add_test(tc, test_output_check__secret_masked_before_wrapping);
	tcase_add_test(
	    tc, test_output_color__diff_coloured_only_when_asked_or_terminal);
	tcase_add_test(tc, test_output_color__terminal_but_not_with_no_color);
	tcase_add_test(tc, test_output_pager__on_a_terminal_only);
	tcase_add_test(tc, test_output_pager__pager_env_show_and_log);
	tcase_add_test(tc, test_output_pager__exit_code_kept);
	tcase_add_test(tc, test_output_quiet__check_only_what_fails);
	tcase_add_test(tc, test_output_quiet__apply_only_changed_files);
	tcase_add_test(tc, test_output_quiet__refusal_still_said);
	suite_add_tcase(s, tc);
	return s;
}
