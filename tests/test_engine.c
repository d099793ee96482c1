/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The engine's hooks for modules, through a rule defined here: secrets
 * masked in every diff and report, validators run on the rendered bytes
 * before anything is installed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "hardctl/aug.h"
#include "hardctl/ctx.h"
#include "hardctl/diff.h"
#include "hardctl/access.h"
#include "hardctl/engine.h"
#include "hardctl/file.h"
#include "hardctl/finding.h"
#include "hardctl/install.h"
#include "hardctl/profile.h"
#include "hardctl/report.h"
#include "hardctl/rollback.h"
#include "hardctl/root.h"
#include "hardctl/run.h"
#include "hardctl/store.h"
#include "hardctl/txn.h"
#include "test.h"

#define SECRET "Zq8s3cr3t-c0mmunity"
#define PATH "/etc/test.conf"

static char *root_dir, *seen_scratch;
static struct hc_root *root;
static struct hc_aug *aug;
static struct hc_ctx ctx;
static struct hc_profile profile;
static struct hc_profile_rule selected;
static char *no_values[1];
static char profile_name[] = "test", profile_version[] = "1";

static int validate(struct hc_ctx *c, const struct hc_file *file,
		    const struct hc_buf *data, const char *scratch)
{
	struct stat st;

	(void)c;
	/* The scratch directory exists while the validator runs. */
	ck_assert(stat(scratch, &st) == 0 && S_ISDIR(st.st_mode));
	free(seen_scratch);
	seen_scratch = strdup(scratch);
	if (strstr(hc_buf_cstr(data), "forbidden")) {
		hc_error_set_at(file->display, 0,
				"the daemon would refuse this file");
		return hc_error_set_code(HC_EUNSAFE);
	}
	return 0;
}

/*
 * validate() in two halves, on a program: grep, started on the bytes
 * written into the scratch directory, refuses what it finds.
 */
struct grep_job {
	struct hc_run_job run;
	char scratch[4096];
	char display[256];
};

static int grep_finish(struct hc_file_job *job)
{
	struct grep_job *g = job->data;
	struct hc_buf out = HC_BUF_INIT;
	struct stat st;
	int status = 0, error;

	/* The scratch directory is kept until the verdict is in. */
	ck_assert(stat(g->scratch, &st) == 0 && S_ISDIR(st.st_mode));
	error = hc_run_finish(&g->run, &out, &status);
	if (error == 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0) {
		hc_error_set_at(g->display, 0, "grep found it");
		error = hc_error_set_code(HC_EUNSAFE);
	}
	hc_buf_release(&out);
	free(g);
	return error;
}

static void grep_abandon(struct hc_file_job *job)
{
	struct grep_job *g = job->data;

	hc_run_abandon(&g->run);
	free(g);
}

static int grep_start(struct hc_file_job *job, struct hc_ctx *c,
		      const struct hc_file *file, const struct hc_buf *data,
		      const char *scratch)
{
	struct grep_job *g = calloc(1, sizeof(*g));
	char path[4200];

	(void)c;
	ck_assert_ptr_nonnull(g);
	free(seen_scratch);
	seen_scratch = strdup(scratch);
	snprintf(g->scratch, sizeof(g->scratch), "%s", scratch);
	snprintf(g->display, sizeof(g->display), "%s", file->display);
	snprintf(path, sizeof(path), "%s/data", scratch);
	test_write("", path, hc_buf_cstr(data), 0600);
	{
		const char *const argv[] = {"grep", "-q", "forbidden", path,
					    NULL};

		ck_assert_int_eq(hc_run_start(&g->run, argv, 10), 0);
	}
	job->finish = grep_finish;
	job->abandon = grep_abandon;
	job->data = g;
	return 0;
}

static const char *wanted(void)
{
	const char *text = getenv("HC_TEST_WANTED");

	return text ? text : "community " SECRET "\n";
}

static int t_check(struct hc_finding *out, struct hc_ctx *c,
		   const struct hc_rule *rule)
{
	struct hc_file *file;
	const char *have;
	int error;

	(void)rule;
	if ((error = hc_ctx_file(&file, c, PATH, "Hardctl_Text.lns",
				 HC_FILE_CREATE)) < 0 ||
	    (error = hc_file_get(&have, file, "text")) < 0)
		return error;
	file->validate = validate;
	if (getenv("HC_TEST_HALVED"))
		file->validate_start = grep_start;
	if (have == NULL || strcmp(have, wanted()) != 0)
		return hc_finding_fail(out, PATH, 1, have ? have : "nothing",
				       wanted());
	return 0;
}

static int t_remediate(struct hc_ctx *c, const struct hc_rule *rule)
{
	struct hc_file *file;
	int error;

	(void)rule;
	if ((error = hc_ctx_secret(c, SECRET)) < 0 ||
	    (error = hc_ctx_file(&file, c, PATH, "Hardctl_Text.lns",
				 HC_FILE_CREATE)) < 0 ||
	    (error = hc_file_set_mode(file, 0600)) < 0)
		return error;
	return hc_file_set(file, "text", wanted());
}

static const struct hc_rule test_rule = {
    .id = "test.secret",
    .title = "a file holds a secret",
    .severity = HC_CAT_II,
    .rationale = "exercises the engine",
    .files = (const char *const[]){PATH, NULL},
    .check = t_check,
    .remediate = t_remediate,
};

#define UNIT "/etc/systemd/system/ctrl-alt-del.target"
#define OBSOLETE "/etc/obsolete.conf"

/* Masks a unit with a symlink to /dev/null and removes a file. */
static int link_check(struct hc_finding *out, struct hc_ctx *c,
		      const struct hc_rule *rule)
{
	struct hc_file *unit, *old;
	int error;

	(void)rule;
	if ((error = hc_ctx_file(&unit, c, UNIT, NULL, HC_FILE_CREATE)) < 0 ||
	    (error = hc_ctx_file(&old, c, OBSOLETE, NULL, HC_FILE_CREATE)) < 0)
		return error;
	if (!hc_file_present(unit) || !unit->as_link ||
	    strcmp(hc_buf_cstr(&unit->cur), "/dev/null"))
		error = hc_finding_fail(out, UNIT, 0, "not masked",
					"a link to /dev/null");
	if (error == 0 && hc_file_present(old))
		error = hc_finding_fail(out, OBSOLETE, 0, "present", "absent");
	return error;
}

static int link_remediate(struct hc_ctx *c, const struct hc_rule *rule)
{
	struct hc_file *unit, *old;
	int error;

	(void)rule;
	if ((error = hc_ctx_file(&unit, c, UNIT, NULL, HC_FILE_CREATE)) < 0 ||
	    (error = hc_ctx_file(&old, c, OBSOLETE, NULL, HC_FILE_CREATE)) <
		0 ||
	    (error = hc_file_set_link(unit, "/dev/null")) < 0)
		return error;
	return hc_file_present(old) ? hc_file_remove(old) : 0;
}

static const struct hc_rule link_rule = {
    .id = "test.link",
    .title = "a unit is masked and a file gone",
    .severity = HC_CAT_II,
    .rationale = "exercises symlinks and removals",
    .files = (const char *const[]){UNIT, OBSOLETE, NULL},
    .check = link_check,
    .remediate = link_remediate,
};

static void setup(void)
{
	root_dir = test_root(NULL);
	test_mkdirs(root_dir, "/etc");
	test_write(root_dir, PATH, "community public\n", 0640);
	ck_assert_int_eq(hc_root_open(&root, root_dir), 0);
	ck_assert_int_eq(hc_aug_open(&aug, HARDCTL_LENS_DIR), 0);
	memset(&profile, 0, sizeof(profile));
	memset(&selected, 0, sizeof(selected));
	selected.rule = &test_rule;
	selected.severity = HC_CAT_II;
	selected.values = no_values;
	profile.name = profile_name;
	profile.version = profile_version;
	profile.rules = &selected;
	profile.nrules = 1;
	hc_ctx_init(&ctx, root, aug, &profile);
}

static void teardown(void)
{
	hc_ctx_release(&ctx);
	hc_aug_free(aug);
	hc_root_free(root);
	test_rmtree(root_dir);
	free(root_dir);
	free(seen_scratch);
	seen_scratch = NULL;
	unsetenv("HC_TEST_WANTED");
}

START_TEST(test_engine_secret__masked_in_diffs_and_reports)
{
	struct hc_findings findings = {0};
	struct hc_json json;
	struct hc_buf diff = HC_BUF_INIT, report = HC_BUF_INIT;
	struct hc_plan plan;

	hc_plan_init(&plan);
	ck_assert_int_eq(hc_engine_plan(&plan, &findings, &ctx, NULL), 0);
	ck_assert_uint_eq(plan.nfiles, 1);
	assert_contains(hc_buf_cstr(&plan.files[0].after.data), SECRET);

	ck_assert_int_eq(hc_diff_plan(&diff, &plan), 0);
	assert_contains(diff.ptr, SECRET);
	ck_assert_int_eq(hc_mask(&diff, &ctx.secrets), 0);
	assert_lacks(diff.ptr, SECRET);
	assert_contains(diff.ptr, "+community ********\n");

	/* The evidence of the failure names the secret it expects: masked too.
	 */
	hc_json_init(&json, &report);
	hc_json_open(&json, '{');
	hc_report_findings_json(&json, &findings);
	ck_assert_int_eq(hc_report_plan_json(&json, &plan), 0);
	hc_json_close(&json, '{');
	ck_assert_int_eq(hc_json_finish(&json), 0);
	assert_contains(report.ptr, SECRET);
	ck_assert_int_eq(hc_mask(&report, &ctx.secrets), 0);
	assert_lacks(report.ptr, SECRET);

	hc_buf_release(&diff);
	hc_buf_release(&report);
	hc_plan_release(&plan);
	hc_findings_release(&findings);
}
END_TEST

START_TEST(test_engine_validate__runs_on_rendered_bytes_in_a_scratch_dir)
{
	struct hc_findings findings = {0};
	struct hc_access access;
	struct hc_plan plan;
	struct stat st;

	hc_plan_init(&plan);
	ck_assert_int_eq(hc_engine_plan(&plan, &findings, &ctx, NULL), 0);
	ck_assert_int_eq(hc_engine_validate(&ctx, &plan, &access), 0);
	hc_access_release(&access);
	ck_assert_ptr_nonnull(seen_scratch);
	/* ...and it is gone afterwards. */
	ck_assert(stat(seen_scratch, &st) < 0);
	hc_plan_release(&plan);
	hc_findings_release(&findings);
}
END_TEST

START_TEST(test_engine_validate__refusal_names_the_file)
{
	struct hc_findings findings = {0};
	struct hc_access access;
	struct hc_plan plan;

	setenv("HC_TEST_WANTED", "forbidden\n", 1);
	hc_plan_init(&plan);
	ck_assert_int_eq(hc_engine_plan(&plan, &findings, &ctx, NULL), 0);
	ck_assert_int_eq(hc_engine_validate(&ctx, &plan, &access), HC_EUNSAFE);
	ck_assert_int_eq(access.verdict, HC_ACCESS_UNCHANGED);
	assert_contains(hc_error_last()->file, PATH);
	ck_assert_str_eq(hc_error_last()->message,
			 "the daemon would refuse this file");
	hc_plan_release(&plan);
	hc_findings_release(&findings);
}
END_TEST

/*
 * A validator in two halves runs its program while the lockout judgment
 * runs, in a scratch directory kept until its verdict, which comes
 * first: a refusal leaves the judgment's answer empty.
 */
START_TEST(test_engine_validate__started_halves_answer_first)
{
	struct hc_findings findings = {0};
	struct hc_access access;
	struct hc_plan plan;
	struct stat st;

	setenv("HC_TEST_HALVED", "1", 1);
	for (int forbidden = 0; forbidden < 2; forbidden++) {
		if (forbidden)
			setenv("HC_TEST_WANTED", "forbidden\n", 1);
		free(seen_scratch);
		seen_scratch = NULL;
		hc_plan_init(&plan);
		memset(&findings, 0, sizeof(findings));
		ck_assert_int_eq(hc_engine_plan(&plan, &findings, &ctx, NULL),
				 0);
		ck_assert_int_eq(hc_engine_validate(&ctx, &plan, &access),
				 forbidden ? HC_EUNSAFE : 0);
		ck_assert_ptr_nonnull(seen_scratch);
		ck_assert(stat(seen_scratch, &st) < 0);
		if (forbidden) {
			ck_assert_int_eq(access.verdict, HC_ACCESS_UNCHANGED);
			ck_assert_uint_eq(access.n, 0);
			assert_contains(hc_error_last()->file, PATH);
			ck_assert_str_eq(hc_error_last()->message,
					 "grep found it");
		}
		hc_access_release(&access);
		hc_plan_release(&plan);
		hc_findings_release(&findings);
	}
	unsetenv("HC_TEST_HALVED");
	unsetenv("HC_TEST_WANTED");
}
END_TEST

/* A rule can take read access away: the mode is part of the plan. */
START_TEST(test_engine_plan__mode_change_is_a_step)
{
	struct hc_findings findings = {0};
	struct hc_buf diff = HC_BUF_INIT;
	struct hc_plan plan;

	hc_plan_init(&plan);
	ck_assert_int_eq(hc_engine_plan(&plan, &findings, &ctx, NULL), 0);
	ck_assert_uint_eq(plan.nsteps, 1);
	ck_assert_uint_eq(plan.files[0].before.mode, 0640);
	ck_assert_uint_eq(plan.files[0].after.mode, 0600);
	ck_assert_int_eq(hc_diff_plan(&diff, &plan), 0);
	assert_contains(diff.ptr, "old mode 100640\nnew mode 100600\n");
	hc_buf_release(&diff);
	hc_plan_release(&plan);
	hc_findings_release(&findings);
}
END_TEST

/* PLAN through the transaction layer: guarded in AFTER, or put back as
 * recorded. */
static int txn_install(unsigned int *id, struct hc_store *store,
		       struct hc_root *r, const struct hc_plan *plan,
		       struct hc_ctx *after, const struct hc_txn_meta *meta,
		       const char *subject)
{
	struct hc_txn_request req = {.root = r,
				     .plan = plan,
				     .store = store,
				     .meta = meta,
				     .subject = subject,
				     .after = after};
	struct hc_access access;
	bool installing;
	int error;

	req.guard = after ? HC_TXN_GUARDED : HC_TXN_RESTORE;
	error = hc_txn_run(id, &installing, &access, &req);
	hc_access_release(&access);
	return error;
}

/*
 * Every kind of change a plan holds, through the real store and
 * installer: content and mode, a new symlink, a removal; rollback
 * undoes each, and the store keeps the link as a git symlink.
 */
START_TEST(test_engine_install__every_kind_and_its_rollback)
{
	struct hc_findings findings = {0};
	struct hc_strlist conflicts = HC_STRLIST_INIT;
	struct hc_txn_meta meta = {.command = "apply"};
	struct hc_txn_info info;
	struct hc_store *store;
	struct hc_plan plan, undo;
	char store_path[4096], *before, *after, link[64] = "", cmd[8192],
						*dir = test_mkdtemp();
	unsigned int id = 0;
	ssize_t n;
	FILE *p;

	test_mkdirs(root_dir, "/etc/systemd/system");
	test_write(root_dir, OBSOLETE, "old\n", 0644);
	selected.rule = &link_rule;
	before = test_state(root_dir);
	/* A store on its own, outside the root, as --store gives. */
	snprintf(store_path, sizeof(store_path), "%s/store", dir);
	ck_assert_int_eq(
	    hc_store_open(&store, store_path, HC_STORE_CREATE | HC_STORE_LOCK),
	    0);

	hc_plan_init(&plan);
	ck_assert_int_eq(hc_engine_plan(&plan, &findings, &ctx, NULL), 0);
	ck_assert_uint_eq(plan.nfiles, 2);
	ck_assert_int_eq(
	    txn_install(&id, store, root, &plan, &ctx, &meta, NULL), 0);
	ck_assert_uint_eq(id, 1);
	snprintf(cmd, sizeof(cmd), "%s%s", root_dir, UNIT);
	n = readlink(cmd, link, sizeof(link) - 1);
	ck_assert_int_eq(n, 9);
	ck_assert_str_eq(link, "/dev/null");
	ck_assert_ptr_null(test_read(root_dir, OBSOLETE));

	snprintf(cmd, sizeof(cmd), "git --git-dir='%s' ls-tree -r main files",
		 store_path);
	ck_assert_ptr_nonnull(p = popen(cmd, "r"));
	ck_assert(fgets(cmd, sizeof(cmd), p) != NULL);
	pclose(p);
	assert_contains(cmd, "120000 blob");

	ck_assert_int_eq(hc_store_txn_get(&info, store, 1), 0);
	hc_plan_init(&undo);
	ck_assert_int_eq(
	    hc_rollback_plan(&undo, &conflicts, store, root, &info, false), 0);
	ck_assert_uint_eq(conflicts.n, 0);
	ck_assert_uint_eq(undo.nfiles, 2);
	ck_assert_int_eq(
	    txn_install(&id, store, root, &undo, NULL, &meta, "rollback"), 0);
	after = test_state(root_dir);
	ck_assert_str_eq(before, after);

	hc_txn_info_release(&info);
	hc_plan_release(&undo);
	hc_plan_release(&plan);
	hc_findings_release(&findings);
	hc_strlist_release(&conflicts);
	hc_store_free(store);
	test_rmtree(dir);
	free(dir);
	free(before);
	free(after);
}
END_TEST

START_TEST(test_mask__every_occurrence)
{
	struct hc_strlist secrets = HC_STRLIST_INIT;
	struct hc_buf text = HC_BUF_INIT;

	hc_strlist_push(&secrets, "abc");
	hc_strlist_push(&secrets, "xyz");
	hc_buf_puts(&text, "abc xyz-abcabc nothing");
	ck_assert_int_eq(hc_mask(&text, &secrets), 0);
	ck_assert_str_eq(text.ptr,
			 "******** ********-**************** nothing");
	hc_buf_release(&text);
	hc_strlist_release(&secrets);
}
END_TEST

/* --- what check says: each rule on the host as read, each fix as planned ---
 */

static void assert_same_evidence(const struct hc_finding *a,
				 const struct hc_finding *b)
{
	ck_assert_int_eq(a->status, b->status);
	ck_assert_uint_eq(a->nev, b->nev);
	for (size_t i = 0; i < a->nev; i++) {
		const struct hc_evidence *x = &a->ev[i], *y = &b->ev[i];

		ck_assert_msg(x->line == y->line, "%s: %s:%u, alone %s:%u",
			      a->rule->id, x->file ? x->file : "", x->line,
			      y->file ? y->file : "", y->line);
		ck_assert_pstr_eq(x->file, y->file);
		ck_assert_pstr_eq(x->found, y->found);
		ck_assert_pstr_eq(x->expected, y->expected);
	}
}

/*
 * Check's finding for each rule is the one that rule gets checked alone
 * on a fresh read of the root, line numbers included, whatever the
 * fixes judged before it changed in the trees (on Debian 12 the
 * login.defs rules' fixes move its lines).
 */
static void check_fix_as_read(const char *fixture)
{
	struct test_ctx all;

	test_ctx_setup(&all, fixture);
	ck_assert_int_eq(
	    hc_engine_check_fix(&all.findings, &all.ctx, &all.only), 0);
	ck_assert_uint_gt(all.findings.n, 20);
	for (size_t i = 0; i < all.findings.n; i++) {
		const struct hc_finding *f = &all.findings.v[i];
		struct test_ctx one;

		test_ctx_setup(&one, fixture);
		ck_assert_int_eq(hc_strlist_push(&one.only, f->rule->id), 0);
		ck_assert_int_eq(
		    hc_engine_check(&one.findings, &one.ctx, &one.only), 0);
		ck_assert_uint_eq(one.findings.n, 1);
		assert_same_evidence(f, &one.findings.v[0]);
		test_ctx_teardown(&one);
	}
	test_ctx_teardown(&all);
}

START_TEST(test_engine_check_fix__each_rule_on_the_files_as_read)
{
	check_fix_as_read("debian12");
	check_fix_as_read("redhat");
}
END_TEST

/*
 * What check says of each FAIL is what the plan of a dry run does with
 * it: planned (or fixed already by a fix before it), or refused for the
 * same reason; on a Red Hat root the PAM stacks authselect owns are
 * refused on the trees, without rendering anything.
 */
static size_t check_fix_as_planned(const char *fixture,
				   void (*edit)(const char *dir))
{
	struct test_ctx check, plan;
	size_t refused = 0;

	test_ctx_setup(&check, fixture);
	test_ctx_setup(&plan, fixture);
	if (edit) {
		edit(check.root_dir);
		edit(plan.root_dir);
	}
	ck_assert_int_eq(
	    hc_engine_check_fix(&check.findings, &check.ctx, &check.only), 0);
	ck_assert_int_eq(
	    hc_engine_plan(&plan.plan, &plan.findings, &plan.ctx, &plan.only),
	    0);
	ck_assert_uint_eq(check.findings.n, plan.findings.n);
	for (size_t i = 0; i < check.findings.n; i++) {
		const struct hc_finding *c = &check.findings.v[i];
		const struct hc_finding *p = &plan.findings.v[i];
		bool stepped = false;

		ck_assert_ptr_eq(c->rule, p->rule);
		if (c->status != HC_STATUS_FAIL)
			continue;
		for (size_t s = 0; s < plan.plan.nsteps; s++)
			stepped |= plan.plan.steps[s].rule == c->rule;
		if (c->fix == HC_FIX_CANNOT) {
			refused++;
			ck_assert_int_eq(p->fix, HC_FIX_CANNOT);
			ck_assert_str_eq(c->fix_note, p->fix_note);
			ck_assert(!stepped);
		} else if (c->fix == HC_FIX_APPLY) {
			ck_assert_msg(stepped || p->status == HC_STATUS_PASS,
				      "%s: check says apply fixes it, the plan "
				      "has no step for it",
				      c->rule->id);
		} else {
			ck_assert_int_eq(c->fix, p->fix);
		}
	}
	test_ctx_teardown(&plan);
	test_ctx_teardown(&check);
	return refused;
}

START_TEST(test_engine_check_fix__says_what_the_plan_does)
{
	ck_assert_uint_eq(check_fix_as_planned("debian12", NULL), 0);
	ck_assert_uint_gt(check_fix_as_planned("redhat", NULL), 0);
}
END_TEST

/* Debian 12 with no login.defs, and no hashing option on pam_unix. */
static void no_login_defs(const char *dir)
{
	char path[4096];

	snprintf(path, sizeof(path), "%s/etc/login.defs", dir);
	ck_assert(unlink(path) == 0);
	test_replace(dir, "/etc/pam.d/common-password",
		     "try_first_pass yescrypt", "try_first_pass");
}

/*
 * With no login.defs, password.encrypt-method fails (pam_unix "hashes
 * with des") and its fix puts sha512 on the pam_unix line.  The rule
 * then passed as N/A ("no /etc/login.defs"), not PASS, so the plan's
 * re-check refused it ("please report this bug") while check, which
 * judges fixes on the trees since 38549e6, said apply fixes it.
 */
START_TEST(test_engine_check_fix__no_login_defs_as_planned)
{
	check_fix_as_planned("debian12", no_login_defs);
}
END_TEST

/*
 * Debian 12 whose common-password lost its pam_pwquality line (the
 * module still installed), and a pwquality.conf.d file libpwquality
 * stops reading at.
 */
static void quality_refused_after_its_insert(const char *dir)
{
	test_replace(dir, "/etc/pam.d/common-password",
		     "password\trequisite\t\t\tpam_pwquality.so retry=3\n", "");
	test_mkdirs(dir, "/usr/lib/x86_64-linux-gnu/security");
	test_write(dir, "/usr/lib/x86_64-linux-gnu/security/pam_pwquality.so",
		   "", 0644);
	test_mkdirs(dir, "/etc/security/pwquality.conf.d");
	test_write(dir, "/etc/security/pwquality.conf.d/10-site.conf",
		   "minlen = 8\nbogus line\n", 0644);
}

/*
 * password.quality's fix puts pam_pwquality in the stack, then is
 * refused (libpwquality stops reading before its values): check puts
 * the stack back as read, so password.unix-stack after it is refused
 * for want of a quality module, as the plan refuses it, not judged on
 * the refused rule's insert.
 */
START_TEST(test_engine_check_fix__refused_edits_do_not_reach_the_next)
{
	struct test_ctx check;

	ck_assert_uint_eq(
	    check_fix_as_planned("debian12", quality_refused_after_its_insert),
	    2);
	test_ctx_setup(&check, "debian12");
	quality_refused_after_its_insert(check.root_dir);
	ck_assert_int_eq(hc_strlist_push(&check.only, "password.quality"), 0);
	ck_assert_int_eq(hc_strlist_push(&check.only, "password.unix-stack"),
			 0);
	ck_assert_int_eq(
	    hc_engine_check_fix(&check.findings, &check.ctx, &check.only), 0);
	ck_assert_uint_eq(check.findings.n, 2);
	ck_assert_int_eq(check.findings.v[1].fix, HC_FIX_CANNOT);
	assert_contains(check.findings.v[1].fix_note,
			"apply password.quality first");
	test_ctx_teardown(&check);
}
END_TEST

Suite *engine_suite(void)
{
	Suite *s = suite_create("engine");
	TCase *tc = tcase_create("engine");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_engine_secret__masked_in_diffs_and_reports);
	tcase_add_test(
	    tc, test_engine_validate__runs_on_rendered_bytes_in_a_scratch_dir);
	tcase_add_test(tc, test_engine_validate__refusal_names_the_file);
	tcase_add_test(tc, test_engine_validate__started_halves_answer_first);
	tcase_add_test(tc, test_engine_plan__mode_change_is_a_step);
	tcase_add_test(tc, test_engine_install__every_kind_and_its_rollback);
	tcase_add_test(tc, test_mask__every_occurrence);
	suite_add_tcase(s, tc);
	tc = tcase_create("check_fix");
	/*
	 * Each test sets up dozens of contexts (an Augeas handle each): past
	 * Check's default 4 s on a loaded 2-core machine or under ASan.
	 */
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc,
		       test_engine_check_fix__each_rule_on_the_files_as_read);
	tcase_add_test(tc, test_engine_check_fix__says_what_the_plan_does);
	tcase_add_test(tc, test_engine_check_fix__no_login_defs_as_planned);
	tcase_add_test(
	    tc, test_engine_check_fix__refused_edits_do_not_reach_the_next);
	suite_add_tcase(s, tc);
	return s;
}
