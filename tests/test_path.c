/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * One transaction path: a rollback's result is judged as an apply's is
 * (sshd -t, the PAM guard), refused with exit 5 and nothing changed;
 * recorded bytes put back unchanged pass no forward guard; dry runs
 * refuse what the real run would; recovery and the confirm watchdog go
 * through the same layer; the code a function returns is the one its
 * caller sees.  The real sshd -t runs where the host has it.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "hardctl/aug.h"
#include "hardctl/ctx.h"
#include "hardctl/engine.h"
#include "hardctl/profile.h"
#include "hardctl/root.h"
#include "test.h"

static char *root_dir;
static struct test_run run;

#define HARDCTL(...) TEST_HARDCTL(&run, __VA_ARGS__)

#define SSHD "/etc/ssh/sshd_config"
#define PAM_PASSWORD "/etc/pam.d/common-password"
/* A cipher no sshd knows: sshd -t rejects the configuration. */
#define BAD_CIPHER "Ciphers no-such-cipher\n"

static void setup_demo(void)
{
	root_dir = test_demo_root();
	memset(&run, 0, sizeof(run));
}

static void setup_debian(void)
{
	root_dir = test_root("debian12");
	memset(&run, 0, sizeof(run));
}

static void teardown(void)
{
	test_run_release(&run);
	unsetenv("HARDCTL_FAULT");
	unsetenv("HARDCTL_TEST_LIVE_ROOT");
	test_rmtree(root_dir);
	free(root_dir);
}

/* Whether sshd -t can run here; else the test says why and passes. */
static bool have_sshd(void)
{
	const char *why =
	    access("/usr/sbin/sshd", X_OK) < 0 ? "no sshd on this host" : NULL;

	return test_oracle(why) == NULL;
}

/* Prepend TEXT to ROOT/PATH, a hand edit far from what hardctl wrote. */
static void prepend(const char *path, const char *text)
{
	char *old = test_read(root_dir, path), *now;
	struct stat st;
	char full[4096];

	ck_assert_ptr_nonnull(old);
	snprintf(full, sizeof(full), "%s%s", root_dir, path);
	ck_assert_int_eq(stat(full, &st), 0);
	ck_assert_int_ne(asprintf(&now, "%s%s", text, old), -1);
	test_write(root_dir, path, now, st.st_mode & 07777);
	free(old);
	free(now);
}

/* What a refused rollback must leave: the files and the store's refs as they
 * were. */
struct frozen {
	char *files;
	char *refs;
};

static char *refs(void)
{
	char cmd[8192], *out = NULL;
	size_t len = 0;
	FILE *p, *mem;
	int c;

	snprintf(cmd, sizeof(cmd),
		 "git --git-dir='%s/var/lib/hardctl/oldconf' for-each-ref 2>&1",
		 root_dir);
	ck_assert_ptr_nonnull(p = popen(cmd, "r"));
	mem = open_memstream(&out, &len);
	while ((c = fgetc(p)) != EOF)
		fputc(c, mem);
	fclose(mem);
	pclose(p);
	return out;
}

static void freeze(struct frozen *f)
{
	f->files = test_snapshot(root_dir);
	f->refs = refs();
}

static void assert_unchanged(struct frozen *f)
{
	char *files = test_snapshot(root_dir), *now = refs();

	ck_assert_str_eq(f->files, files);
	ck_assert_str_eq(f->refs, now);
	free(files);
	free(now);
	free(f->files);
	free(f->refs);
}

/*
 * A whole rollback after a hand edit is a three-way merge: new bytes,
 * which sshd -t judges as it judges an apply's.  Today it wrote them.
 */
START_TEST(test_path_rollback__merged_result_sshd_rejects_exit_5)
{
	struct frozen f;

	if (!have_sshd())
		return;
	HARDCTL("--root", root_dir, "apply");
	ck_assert_msg(run.status == 0, "%s", run.err.ptr);
	prepend(SSHD, BAD_CIPHER);
	freeze(&f);
	HARDCTL("--root", root_dir, "rollback");
	ck_assert_msg(run.status == 5, "exit %d: %s", run.status, run.err.ptr);
	assert_contains(run.err.ptr, "sshd -t rejects");
	assert_contains(run.err.ptr, SSHD);
	assert_unchanged(&f);
}
END_TEST

/* rollback --rule's node-by-node undo: judged the same way. */
START_TEST(test_path_rollback_rule__result_sshd_rejects_exit_5)
{
	struct frozen f;

	if (!have_sshd())
		return;
	HARDCTL("--root", root_dir, "apply");
	ck_assert_msg(run.status == 0, "%s", run.err.ptr);
	prepend(SSHD, BAD_CIPHER);
	freeze(&f);
	HARDCTL("--root", root_dir, "rollback", "--rule",
		"root-access.sshd-permit-root-login");
	ck_assert_msg(run.status == 5, "exit %d: %s", run.status, run.err.ptr);
	assert_contains(run.err.ptr, "sshd -t rejects");
	assert_contains(run.err.ptr, SSHD ":1:");
	assert_unchanged(&f);
}
END_TEST

/* A dry run validates and preflights: it refuses what the real run would. */
START_TEST(test_path_rollback__dry_run_refuses_too)
{
	struct frozen f;

	if (!have_sshd())
		return;
	HARDCTL("--root", root_dir, "apply");
	ck_assert_msg(run.status == 0, "%s", run.err.ptr);
	prepend(SSHD, BAD_CIPHER);
	freeze(&f);
	HARDCTL("--root", root_dir, "rollback", "--dry-run");
	ck_assert_msg(run.status == 5, "exit %d: %s", run.status, run.err.ptr);
	assert_contains(run.err.ptr, "sshd -t rejects");
	HARDCTL("--root", root_dir, "rollback", "--rule",
		"root-access.sshd-permit-root-login", "--dry-run");
	ck_assert_msg(run.status == 5, "exit %d: %s", run.status, run.err.ptr);
	assert_unchanged(&f);
}
END_TEST

/*
 * Debian's stack without pam_pwquality, the module installed: the
 * password.quality rule puts a line ahead of pam_unix.
 */
static void apply_pwquality(void)
{
	char *text;

	test_replace(root_dir, PAM_PASSWORD,
		     "password\trequisite\t\t\tpam_pwquality.so retry=3\n", "");
	test_write(root_dir,
		   "/usr/lib/x86_64-linux-gnu/security/pam_pwquality.so", "",
		   0644);
	HARDCTL("--root", root_dir, "apply", "--rule", "password.quality");
	ck_assert_msg(run.status == 0, "%s", run.err.ptr);
	text = test_read(root_dir, PAM_PASSWORD);
	assert_contains(text, "pam_pwquality.so");
	free(text);
}

/*
 * A hand edit adds a jump that counts hardctl's line; the merged
 * rollback takes the line out, and the jump would land beyond the stack.
 */
START_TEST(test_path_rollback__broken_pam_jump_exit_5)
{
	struct frozen f;

	apply_pwquality();
	prepend(PAM_PASSWORD,
		"password\t[success=3 default=ignore]\tpam_ldap.so\n");
	freeze(&f);
	HARDCTL("--root", root_dir, "rollback");
	ck_assert_msg(run.status == 5, "exit %d: %s", run.status, run.err.ptr);
	assert_contains(
	    run.err.ptr,
	    "pam_ldap's jump success=3 land on the end of the stack");
	assert_contains(run.err.ptr, PAM_PASSWORD ":1:");
	HARDCTL("--root", root_dir, "rollback", "--dry-run");
	ck_assert_msg(run.status == 5, "exit %d: %s", run.status, run.err.ptr);
	assert_unchanged(&f);
}
END_TEST

/*
 * The PAM guard judges the result: a merged rollback taking out the line
 * hardctl put in, jumps landing where they did, goes through.
 */
START_TEST(test_path_rollback__pam_line_taken_out_with_hand_edit)
{
	char *text;

	apply_pwquality();
	prepend(PAM_PASSWORD, "# edited by hand\n");
	HARDCTL("--root", root_dir, "rollback");
	ck_assert_msg(run.status == 0, "exit %d: %s", run.status, run.err.ptr);
	text = test_read(root_dir, PAM_PASSWORD);
	assert_lacks(text, "pam_pwquality");
	assert_contains(text, "# edited by hand\n");
	free(text);
}
END_TEST

/*
 * Recorded bytes go back unchanged, guards or not: after the apply an
 * administrator's drop-in makes the configuration one sshd -t rejects;
 * a whole rollback of files nobody edited since still puts them back.
 * rollback --rule, new bytes, is refused on the same host.
 */
START_TEST(test_path_rollback__recorded_bytes_not_refused)
{
	char *text;

	if (!have_sshd())
		return;
	test_mkdirs(root_dir, "/etc/ssh/sshd_config.d");
	HARDCTL("--root", root_dir, "apply", "--rule", "banner.sshd-banner",
		"--rule", "root-access.sshd-permit-root-login", "--rule",
		"banner.issue-net");
	ck_assert_msg(run.status == 0, "%s", run.err.ptr);
	ck_assert_ptr_nonnull(
	    text =
		test_read(root_dir, "/etc/ssh/sshd_config.d/00-hardctl.conf"));
	free(text);
	test_write(root_dir, "/etc/ssh/sshd_config.d/50-admin.conf", BAD_CIPHER,
		   0644);
	HARDCTL("--root", root_dir, "rollback", "--rule", "banner.sshd-banner");
	ck_assert_msg(run.status == 5, "exit %d: %s", run.status, run.err.ptr);
	assert_contains(run.err.ptr, "sshd -t rejects");
	HARDCTL("--root", root_dir, "rollback");
	ck_assert_msg(run.status == 0, "exit %d: %s", run.status, run.err.ptr);
	ck_assert_ptr_null(
	    test_read(root_dir, "/etc/ssh/sshd_config.d/00-hardctl.conf"));
	ck_assert_ptr_nonnull(
	    text = test_read(root_dir, "/etc/ssh/sshd_config.d/50-admin.conf"));
	free(text);
}
END_TEST

#ifdef HARDCTL_FAULT_INJECTION
/* The number of the first fault point NAME in a traced run's stderr. */
static unsigned int point_of(const char *trace, const char *name)
{
	char want[128];
	const char *p;

	snprintf(want, sizeof(want), ": %s\n", name);
	ck_assert_msg((p = strstr(trace, want)) != NULL, "no %s in:\n%s", name,
		      trace);
	while (p > trace && p[-1] != ' ')
		p--;
	return (unsigned int)strtoul(p, NULL, 10);
}

/*
 * A crash after every file was replaced, before history moved: the next
 * command's recovery (now the transaction layer's) puts them all back.
 */
START_TEST(test_path_recover__crash_restores_files)
{
	char *before = test_state(root_dir), *now, spec[32];
	unsigned int n;

	/* Trace a real apply in a copy, to learn the point's number. */
	{
		char *copy = test_mkdtemp(), cmd[8192];

		snprintf(cmd, sizeof(cmd), "cp -a '%s/.' '%s'", root_dir, copy);
		ck_assert_int_eq(system(cmd), 0);
		setenv("HARDCTL_FAULT", "trace", 1);
		HARDCTL("--root", copy, "apply", "--rule", "banner.issue",
			"--rule", "root-access.sshd-permit-root-login");
		unsetenv("HARDCTL_FAULT");
		ck_assert_msg(run.status == 0, "%s", run.err.ptr);
		n = point_of(run.err.ptr, "store.txn-ref");
		test_rmtree(copy);
		free(copy);
	}
	snprintf(spec, sizeof(spec), "crash:%u", n);
	setenv("HARDCTL_FAULT", spec, 1);
	HARDCTL("--root", root_dir, "apply", "--rule", "banner.issue", "--rule",
		"root-access.sshd-permit-root-login");
	unsetenv("HARDCTL_FAULT");
	ck_assert_int_eq(run.status, -1);
	now = test_state(root_dir);
	ck_assert_str_ne(before, now); /* the files were replaced */
	free(now);
	HARDCTL("--root", root_dir, "recover");
	ck_assert_msg(run.status == 0, "%s", run.err.ptr);
	assert_contains(
	    run.out.ptr,
	    "recovered interrupted transaction 1: 2 files put back");
	now = test_state(root_dir);
	ck_assert_str_eq(before, now);
	free(now);
	HARDCTL("--root", root_dir, "log");
	ck_assert_str_eq(run.out.ptr, "no transactions\n");
	free(before);
}
END_TEST

static void sleep_past_deadline(void)
{
	char *marker =
	    test_read(root_dir, "/var/lib/hardctl/oldconf/hardctl-confirm");
	const char *p;
	long long deadline;

	ck_assert_ptr_nonnull(marker);
	ck_assert_ptr_nonnull(p = strstr(marker, "deadline "));
	deadline = strtoll(p + 9, NULL, 10);
	free(marker);
	while ((long long)time(NULL) <= deadline)
		usleep(100 * 1000);
}

/*
 * The watchdog's rollback (confirm --check-expired on the running
 * system, cmd_rollback_unconfirmed) goes through the layer: recorded
 * bytes back, no forward guard, even with the configuration now one sshd
 * -t rejects; and it still preflights (a file made immutable refuses).
 */
START_TEST(test_path_watchdog__restores_through_the_layer)
{
	char *text;

	/*
	 * Under valgrind the 2 s window is gone before the watchdog can be
	 * stopped (the confirm suite is left out of that run for the same
	 * reason); the plain and sanitizer runs cover it.
	 */
	if (!have_sshd() || getenv("HC_TEST_VALGRIND"))
		return;
	test_mkdirs(root_dir, "/etc/ssh/sshd_config.d");
	HARDCTL("--root", root_dir, "apply", "--rule", "banner.sshd-banner",
		"--rule", "banner.issue-net", "--confirm-within", "2s");
	ck_assert_msg(run.status == 0, "%s", run.err.ptr);
	/* Keep the detached watchdog from acting first: kill it. */
	{
		char *marker = test_read(
		    root_dir, "/var/lib/hardctl/oldconf/hardctl-confirm");
		const char *p;

		ck_assert_ptr_nonnull(marker);
		ck_assert_ptr_nonnull(p = strstr(marker, "watchdog "));
		kill((pid_t)strtol(p + 9, NULL, 10), SIGKILL);
		free(marker);
	}
	test_write(root_dir, "/etc/ssh/sshd_config.d/50-admin.conf", BAD_CIPHER,
		   0644);
	sleep_past_deadline();
	setenv("HARDCTL_TEST_LIVE_ROOT", root_dir, 1);
	HARDCTL("--root", root_dir, "confirm", "--check-expired");
	ck_assert_msg(run.status == 0, "exit %d: %s", run.status, run.err.ptr);
	assert_contains(run.out.ptr,
			"transaction 2: rolled back transaction 1");
	ck_assert_ptr_null(
	    test_read(root_dir, "/etc/ssh/sshd_config.d/00-hardctl.conf"));
	ck_assert_ptr_nonnull(
	    text = test_read(root_dir, "/etc/ssh/sshd_config.d/50-admin.conf"));
	free(text);
}
END_TEST

#endif

/* A check that names its own code: a conflict, its message set first. */
static int conflict_check(struct hc_finding *out, struct hc_ctx *c,
			  const struct hc_rule *rule)
{
	(void)out;
	(void)c;
	(void)rule;
	hc_error_set_at("/etc/test.conf", 3, "changed under us");
	return HC_ECONFLICT;
}

static const struct hc_rule conflict_rule = {
    .id = "test.conflict",
    .title = "returns a named code",
    .severity = HC_CAT_II,
    .rationale = "one error channel",
    .check = conflict_check,
};

/*
 * hc_error_set() leaves the slot's code HC_ERROR; the engine passes on
 * the code the check returned, so the command maps it to exit 4.
 */
START_TEST(test_path_error__returned_code_reaches_the_caller)
{
	struct hc_profile profile;
	struct hc_profile_rule selected;
	struct hc_findings findings = {0};
	struct hc_root *root;
	struct hc_aug *aug;
	struct hc_ctx ctx;
	struct hc_plan plan;
	char *no_values[1] = {NULL};
	char name[] = "test", version[] = "1";

	ck_assert_int_eq(hc_root_open(&root, root_dir), 0);
	ck_assert_int_eq(hc_aug_open(&aug, HARDCTL_LENS_DIR), 0);
	memset(&profile, 0, sizeof(profile));
	memset(&selected, 0, sizeof(selected));
	selected.rule = &conflict_rule;
	selected.severity = HC_CAT_II;
	selected.values = no_values;
	profile.name = name;
	profile.version = version;
	profile.rules = &selected;
	profile.nrules = 1;
	hc_ctx_init(&ctx, root, aug, &profile);
	hc_plan_init(&plan);
	ck_assert_int_eq(hc_engine_plan(&plan, &findings, &ctx, NULL),
			 HC_ECONFLICT);
	assert_contains(hc_error_last()->message, "changed under us");
	hc_plan_release(&plan);
	hc_findings_release(&findings);
	hc_ctx_release(&ctx);
	hc_aug_free(aug);
	hc_root_free(root);
}
END_TEST

Suite *path_suite(void)
{
	Suite *s = suite_create("path");
	TCase *demo = tcase_create("demo"), *debian = tcase_create("debian");

	tcase_add_checked_fixture(demo, setup_demo, teardown);
	tcase_set_timeout(demo, 120);
	tcase_add_test(demo,
		       test_path_rollback__merged_result_sshd_rejects_exit_5);
	tcase_add_test(demo,
		       test_path_rollback_rule__result_sshd_rejects_exit_5);
	tcase_add_test(demo, test_path_rollback__dry_run_refuses_too);
#ifdef HARDCTL_FAULT_INJECTION
	tcase_add_test(demo, test_path_recover__crash_restores_files);
#endif
	tcase_add_test(demo, test_path_error__returned_code_reaches_the_caller);
	suite_add_tcase(s, demo);
	tcase_add_checked_fixture(debian, setup_debian, teardown);
	tcase_set_timeout(debian, 120);
	tcase_add_test(debian, test_path_rollback__broken_pam_jump_exit_5);
	tcase_add_test(debian,
		       test_path_rollback__pam_line_taken_out_with_hand_edit);
	tcase_add_test(debian, test_path_rollback__recorded_bytes_not_refused);
#ifdef HARDCTL_FAULT_INJECTION
	tcase_add_test(debian, test_path_watchdog__restores_through_the_layer);
#endif
	suite_add_tcase(s, debian);
	return s;
}
