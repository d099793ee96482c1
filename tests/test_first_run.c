/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A first run on a stock Debian 12 host: one rule that cannot be
 * remediated here (pam_pwquality not installed) is refused, reported
 * with its way out, and left out of the plan; every other rule is still
 * shown, applied and checked.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "hardctl/aug.h"
#include "hardctl/ctx.h"
#include "hardctl/engine.h"
#include "hardctl/file.h"
#include "hardctl/finding.h"
#include "hardctl/profile.h"
#include "hardctl/root.h"
#include "test.h"

#define PAM_DIR "/usr/lib/x86_64-linux-gnu/security"

static char *root_dir;
static struct test_run run;

#define HARDCTL(...) TEST_HARDCTL(&run, __VA_ARGS__)

/*
 * ROOT's PAM modules: the real ones this host has, all but
 * pam_pwquality.so, where password.c looks for them.  False when the
 * host has none to copy.
 */
static bool copy_pam_modules(const char *root)
{
	char cmd[8192];

	if (access(PAM_DIR "/pam_unix.so", R_OK) != 0)
		return false;
	test_mkdirs(root, "/lib/x86_64-linux-gnu/security");
	snprintf(cmd, sizeof(cmd),
		 "cp " PAM_DIR "/*.so '%s/lib/x86_64-linux-gnu/security/' && "
		 "rm -f '%s/lib/x86_64-linux-gnu/security/pam_pwquality.so'",
		 root, root);
	ck_assert_int_eq(system(cmd), 0);
	return true;
}

/*
 * A stock Debian 12 /etc where libpam-pwquality is not installed:
 * common-password as pam-auth-update writes it with only the "unix"
 * profile, no pwquality.conf, and the PAM modules installed.
 */
static char *first_run_root(void)
{
	char *root = test_root("debian12");
	char *stack = test_read(HC_TEST_FIXTURES "/first-run",
				"/etc/pam.d/common-password");
	char path[4096];

	ck_assert_ptr_nonnull(stack);
	test_write(root, "/etc/pam.d/common-password", stack, 0644);
	free(stack);
	snprintf(path, sizeof(path), "%s/etc/security/pwquality.conf", root);
	ck_assert_int_eq(unlink(path), 0);
	return root;
}

static void setup(void)
{
	root_dir = first_run_root();
	memset(&run, 0, sizeof(run));
	if (!copy_pam_modules(root_dir))
		(void)test_oracle("no PAM modules in " PAM_DIR " to copy");
}

static void teardown(void)
{
	test_run_release(&run);
	test_rmtree(root_dir);
	free(root_dir);
}

/* The section of OUT from the row of RULE up to the next rule's row. */
static char *row_of(const char *out, const char *rule)
{
	const char *start = strstr(out, rule), *end;

	ck_assert_msg(start != NULL, "no %s in:\n%s", rule, out);
	while (start > out && start[-1] != '\n')
		start--;
	end = strchr(start, '\n');
	while (end && (end[1] == ' '))
		end = strchr(end + 1, '\n');
	return strndup(start, end ? (size_t)(end - start) : strlen(start));
}

START_TEST(test_first_run_diff__shows_every_other_change)
{
	HARDCTL("--root", root_dir, "diff");
	/* The diffs of the other rules, file by file. */
	assert_contains(run.out.ptr, "+++ b/etc/ssh/sshd_config");
	assert_contains(run.out.ptr, "+++ b/etc/login.defs");
	assert_contains(run.out.ptr, "+++ b/etc/issue\n");
	assert_contains(run.out.ptr, "+++ b/etc/snmp/snmpd.conf");
	assert_contains(run.out.ptr, "+++ b/etc/sysctl.d/99-hardctl.conf");
	/* The refused rule, its reason and its way out, on stderr. */
	assert_contains(run.err.ptr, "password.quality");
	assert_contains(run.err.ptr, "pam_pwquality.so is not installed");
	assert_contains(run.err.ptr, "install libpam-pwquality");
	assert_contains(run.err.ptr, "--skip-rule password.quality");
	assert_lacks(run.out.ptr, "pam_pwquality");
	/* As apply would: partly. */
	ck_assert_int_eq(run.status, 6);

	HARDCTL("--root", root_dir, "apply", "--dry-run");
	ck_assert_int_eq(run.status, 6);
	assert_contains(run.out.ptr, "+++ b/etc/ssh/sshd_config");
	assert_contains(run.err.ptr, "--skip-rule password.quality");
}
END_TEST

START_TEST(test_first_run_apply__partly_then_check_agrees)
{
	char *row;

	HARDCTL("--root", root_dir, "apply");
	ck_assert_int_eq(run.status, 6);
	assert_contains(run.out.ptr, "transaction 1:");
	assert_contains(run.out.ptr, "password.quality");
	assert_contains(run.out.ptr, "install libpam-pwquality");

	HARDCTL("--root", root_dir, "log");
	ck_assert_int_eq(run.status, 0);
	assert_contains(run.out.ptr, "1    ");
	assert_contains(run.out.ptr, "apply");

	HARDCTL("--root", root_dir, "check");
	ck_assert_int_eq(run.status, 1);
	row = row_of(run.out.ptr, "password.quality ");
	assert_contains(row, "FAIL");
	assert_contains(row, "fix: apply cannot:");
	assert_contains(row, "install libpam-pwquality");
	free(row);
	row = row_of(run.out.ptr, "root-access.sshd-permit-root-login");
	assert_contains(row, "PASS");
	free(row);
	/* What fails now is what apply could not fix, or a report-only rule. */
	assert_lacks(run.out.ptr, "fix: apply fixes this");
	assert_contains(run.out.ptr, "fix: report only:");
}
END_TEST

START_TEST(test_first_run_apply__skip_rule_exits_0)
{
	HARDCTL("--root", root_dir, "apply", "--skip-rule", "password.quality",
		"--skip-rule", "password.unix-stack");
	ck_assert_int_eq(run.status, 0);
	assert_contains(run.out.ptr, "transaction 1:");
	assert_lacks(run.err.ptr, "password.quality");

	HARDCTL("--root", root_dir, "check", "--skip-rule", "password.quality",
		"--skip-rule", "password.unix-stack");
	assert_lacks(run.out.ptr, "password.quality ");
	assert_contains(run.out.ptr,
			"skipped: password.quality, password.unix-stack");
	assert_lacks(run.out.ptr, "fix: apply fixes this");

	HARDCTL("--root", root_dir, "check", "--format", "json",
		"--skip-severity", "CAT-III");
	assert_contains(run.out.ptr, "\"skipped\":[\"banner.motd\"");
	assert_lacks(run.out.ptr, "\"id\":\"banner.motd\"");
}
END_TEST

START_TEST(test_first_run_skip__usage_errors)
{
	HARDCTL("--root", root_dir, "diff", "--skip-rule", "password.qualty");
	ck_assert_int_eq(run.status, 2);
	assert_contains(run.err.ptr, "password.qualty");
	HARDCTL("--root", root_dir, "check", "--rule", "password.quality",
		"--skip-rule", "password.quality");
	ck_assert_int_eq(run.status, 2);
	assert_contains(run.err.ptr, "password.quality");
	HARDCTL("--root", root_dir, "apply", "--skip-severity", "CAT-IV");
	ck_assert_int_eq(run.status, 2);
}
END_TEST

/*
 * The lockout judgment refuses the combined result (the demo root as
 * shipped: admin's password is from 2008, root may not use ssh after
 * the plan): the diffs still come, then the verdict naming the rules
 * that make it so; apply changes nothing.
 */
START_TEST(test_first_run_guard__diffs_then_refusal_naming_rules)
{
	char *demo = test_demo_root_as_shipped(), *before, *after;

	before = test_state(demo);
	HARDCTL("--root", demo, "diff");
	ck_assert_int_eq(run.status, 5);
	assert_contains(run.out.ptr, "+++ b/etc/ssh/sshd_config");
	assert_contains(run.out.ptr, "+++ b/etc/login.defs");
	assert_contains(run.err.ptr, "no administrator a way in");
	assert_contains(run.err.ptr, "root-access.sshd-permit-root-login");
	assert_contains(run.err.ptr, "password.shadow-aging");

	HARDCTL("--root", demo, "apply");
	ck_assert_int_eq(run.status, 5);
	assert_contains(run.err.ptr, "no administrator a way in");
	assert_contains(run.err.ptr, "root-access.sshd-permit-root-login");
	after = test_state(demo);
	ck_assert_str_eq(before, after);
	free(after);
	free(before);
	test_rmtree(demo);
	free(demo);
}
END_TEST

START_TEST(test_first_run_json__remediation)
{
	HARDCTL("--root", root_dir, "check", "--format", "json");
	ck_assert_int_eq(run.status, 1);
	assert_contains(run.out.ptr, "\"remediation\":{\"by\":\"cannot\","
				     "\"note\":\"");
	assert_contains(run.out.ptr, "\"remediation\":{\"by\":\"apply\","
				     "\"note\":null}");
	assert_contains(run.out.ptr, "\"remediation\":{\"by\":\"hand\","
				     "\"note\":\"");
	assert_contains(run.out.ptr, "\"remediation\":null");
	assert_contains(run.out.ptr, "\"failing\":true");
	assert_contains(run.out.ptr, "\"failing\":false");

	HARDCTL("--root", root_dir, "apply", "--format", "json");
	ck_assert_int_eq(run.status, 6);
	assert_contains(run.out.ptr,
			"\"refused\":[{\"rule\":\"password.quality\","
			"\"reason\":\"");
}
END_TEST

START_TEST(test_first_run_explain__remediation_line)
{
	HARDCTL("explain", "firewall.enabled");
	ck_assert_int_eq(run.status, 0);
	assert_contains(run.out.ptr, "remediation report only: ");
	HARDCTL("explain", "banner.issue");
	assert_contains(run.out.ptr, "remediation apply fixes this");
	HARDCTL("explain", "banner.issue", "--format", "json");
	assert_contains(run.out.ptr, "\"remediation\":{\"by\":\"apply\"");
}
END_TEST

/*
 * password.quality fixes the first stack's limits (pwquality.conf),
 * then refuses on the second (system-auth, no quality module, none
 * installed): its edit to pwquality.conf is undone, tree and bytes,
 * and the rules after it plan as if it had never run.
 */
START_TEST(test_first_run_engine__refusal_undoes_partial_edits)
{
	struct test_ctx t;
	const struct hc_rule *quality = hc_rule_find(NULL, "password.quality");
	const struct hc_finding *f = NULL;
	bool sysctl = false;

	test_ctx_setup(&t, "debian12");
	test_write(t.root_dir, "/etc/pam.d/system-auth",
		   "password sufficient pam_unix.so yescrypt\n", 0644);
	ck_assert_int_eq(hc_engine_plan(&t.plan, &t.findings, &t.ctx, NULL), 0);
	for (size_t i = 0; i < t.findings.n; i++)
		if (t.findings.v[i].rule == quality)
			f = &t.findings.v[i];
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(f->status, HC_STATUS_FAIL);
	ck_assert_int_eq(f->fix, HC_FIX_CANNOT);
	assert_contains(f->fix_note, "pam_pwquality.so is not installed");
	assert_contains(f->fix_note, "--skip-rule password.quality");
	for (size_t i = 0; i < t.plan.nsteps; i++) {
		ck_assert_ptr_ne(t.plan.steps[i].rule, quality);
		if (strcmp(t.plan.files[t.plan.steps[i].file].path,
			   "/etc/sysctl.d/99-hardctl.conf") == 0)
			sysctl = true;
	}
	ck_assert(sysctl);
	/* Every file reads as the plan leaves it: tree and bytes. */
	for (size_t i = 0; i < t.ctx.nfiles; i++) {
		struct hc_file *file = t.ctx.files[i];
		const struct hc_buf *want = &file->orig;

		for (size_t p = 0; p < t.plan.nfiles; p++)
			if (strcmp(t.plan.files[p].path, file->path) == 0)
				want = &t.plan.files[p].after.data;
		if (!hc_file_present(file))
			continue;
		ck_assert_msg(!file->dirty, "%s left dirty", file->path);
		ck_assert_msg(
		    file->cur.size == want->size &&
			memcmp(file->cur.ptr, want->ptr, want->size) == 0,
		    "%s: bytes not as planned", file->path);
		if (file->lens == NULL || file->tree[0] == '\0')
			continue;
		file->dirty = true;
		ck_assert_int_eq(hc_file_render(file), 0);
		ck_assert_msg(
		    file->cur.size == want->size &&
			memcmp(file->cur.ptr, want->ptr, want->size) == 0,
		    "%s: tree not as planned:\n%s", file->path,
		    hc_buf_cstr(&file->cur));
	}
	{
		struct hc_file *conf =
		    hc_ctx_loaded(&t.ctx, "/etc/security/pwquality.conf");

		ck_assert_ptr_nonnull(conf);
		ck_assert_str_eq(hc_buf_cstr(&conf->cur),
				 hc_buf_cstr(&conf->orig));
	}
	test_ctx_teardown(&t);
}
END_TEST

Suite *first_run_suite(void)
{
	Suite *s = suite_create("first_run");
	TCase *tc = tcase_create("first_run");

	tcase_set_timeout(tc, 120);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_first_run_diff__shows_every_other_change);
	tcase_add_test(tc, test_first_run_apply__partly_then_check_agrees);
	tcase_add_test(tc, test_first_run_apply__skip_rule_exits_0);
	tcase_add_test(tc, test_first_run_skip__usage_errors);
	tcase_add_test(tc,
		       test_first_run_guard__diffs_then_refusal_naming_rules);
	tcase_add_test(tc, test_first_run_json__remediation);
	tcase_add_test(tc, test_first_run_explain__remediation_line);
	tcase_add_test(tc, test_first_run_engine__refusal_undoes_partial_edits);
	suite_add_tcase(s, tc);
	return s;
}
