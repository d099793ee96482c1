/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Helpers shared by the Check suites: temporary roots built from the
 * fixtures, file reads and writes inside them, and running the hardctl
 * binary.
 */
#ifndef HARDCTL_TEST_H
#define HARDCTL_TEST_H

#include <check.h>
#include <stdbool.h>
#include <string.h>
#include <sys/stat.h>
#include "hardctl/buf.h"
#include "hardctl/ctx.h"
#include "hardctl/finding.h"
#include "hardctl/plan.h"

struct hc_aug;
struct hc_profile;
struct hc_root;

Suite *root_suite(void);
Suite *aug_suite(void);
Suite *profile_suite(void);
Suite *sshd_suite(void);
Suite *banner_suite(void);
Suite *module_table_suite(void);
Suite *cli_suite(void);
Suite *store_suite(void);
Suite *store_guard_suite(void);
Suite *txn_suite(void);
Suite *path_suite(void);
Suite *file_index_suite(void);
Suite *undo_suite(void);
Suite *engine_suite(void);
Suite *modules_suite(void);
Suite *access_suite(void);
Suite *report_suite(void);
Suite *fault_suite(void);
Suite *hostile_suite(void);
Suite *confirm_suite(void);
Suite *audit_log_suite(void);
Suite *pam_reader_suite(void);
Suite *pwq_reader_suite(void);
Suite *param_reader_suite(void);
Suite *sysctl_reader_suite(void);
Suite *snmp_reader_suite(void);
Suite *rsyslog_reader_suite(void);
Suite *install_guard_suite(void);
Suite *secrets_out_suite(void);
Suite *undo_exact_suite(void);
Suite *store_hostile_suite(void);
Suite *profiles_shipped_suite(void);
Suite *cli_ux_suite(void);
Suite *red14_suite(void);
Suite *red15_suite(void);
Suite *red16_suite(void);
Suite *red21_suite(void);
Suite *red24_suite(void);
Suite *red30_suite(void);
Suite *first_run_suite(void);
Suite *output_suite(void);
Suite *docs_suite(void);
Suite *json_out_suite(void);
Suite *sshsig_suite(void);
Suite *html_suite(void);
Suite *perf_suite(void);
Suite *cache_suite(void);
Suite *front_suite(void);

/*
 * WHY, the reason a real program a test asks (pamtester, sshd, snmpd,
 * rsyslogd, sysctl, pwscore) cannot run here, or NULL when it can.
 * With HARDCTL_TEST_ORACLES=required in the environment (CI sets it) a
 * missing program fails the test instead of skipping its part.
 */
const char *test_oracle(const char *why);
Suite *sshd_reader_suite(void);
Suite *layers_suite(void);

/* A temporary directory, removed with everything in it by test_rmtree(). */
char *test_mkdtemp(void);
void test_rmtree(const char *dir);

/* A temporary root holding a copy of tests/fixtures/NAME (NULL: empty). */
char *test_root(const char *fixture);

/*
 * A temporary copy of the demo root (demo/root), whose admin has changed
 * the password today, as scripts/demo has it do after the refused plan:
 * the lockout judgment lets it apply.
 */
char *test_demo_root(void);

/* The demo root as shipped: admin's password dates from 2008. */
char *test_demo_root_as_shipped(void);

/* Write TEXT to ROOT/PATH, creating directories, with MODE. */
void test_write(const char *root, const char *path, const char *text,
		mode_t mode);

/* Contents of ROOT/PATH (caller frees); NULL if it does not exist. */
char *test_read(const char *root, const char *path);

/* Replace the first OLD in ROOT/PATH with NEW, keeping its mode. */
void test_replace(const char *root, const char *path, const char *old,
		  const char *new);

/* mkdir -p ROOT/PATH. */
void test_mkdirs(const char *root, const char *path);

/* Make ROOT/PATH a symlink to TARGET, creating its directory. */
void test_link(const char *root, const char *path, const char *target);

/*
 * A digest of every file's path, bytes, mode, owner and mtime under
 * ROOT, hardctl's store (var/lib/hardctl) left out.
 */
char *test_snapshot(const char *root);

/* The same without mtimes: what rollback promises to restore. */
char *test_state(const char *root);

/* The result of running hardctl. */
struct test_run {
	int status; /* exit code; -1 if killed */
	struct hc_buf out;
	struct hc_buf err;
};

/*
 * Run the hardctl binary with ARGS (NULL-terminated), stdin from
 * /dev/null, and collect its output.  Free with test_run_release().
 */
void test_hardctl(struct test_run *run, const char *const *args);
void test_run_release(struct test_run *run);

/* The same for any program: ARGV[0] is its path. */
void test_run_program(struct test_run *run, const char *const *argv);

/* hardctl with a terminal as stdout and stderr, both read into RUN->out. */
void test_hardctl_tty(struct test_run *run, const char *const *args);

/* Run the program ARGV[0] with the rest as arguments into RUN, released first.
 */
#define TEST_RUN(run, ...)                                                     \
	do {                                                                   \
		const char *const argv_[] = {__VA_ARGS__, NULL};               \
		test_run_release(run);                                         \
		test_run_program(run, argv_);                                  \
	} while (0)

/* Run hardctl with the given arguments into RUN, released first. */
#define TEST_HARDCTL(run, ...)                                                 \
	do {                                                                   \
		const char *const args_[] = {__VA_ARGS__, NULL};               \
		test_run_release(run);                                         \
		test_hardctl(run, args_);                                      \
	} while (0)

/*
 * Assert that HAY holds NEEDLE (or, with assert_lacks, does not); on
 * failure the message shows the text that was searched, as git's
 * test_grep does.  A NULL HAY (an empty buffer) holds nothing.
 */
#define assert_contains(hay, needle)                                           \
	do {                                                                   \
		const char *hay_ = (hay), *needle_ = (needle);                 \
		ck_assert_msg(hay_ != NULL && strstr(hay_, needle_) != NULL,   \
			      "no '%s' in %s:\n%s", needle_, #hay,             \
			      hay_ != NULL ? hay_ : "(null)");                 \
	} while (0)

#define assert_lacks(hay, needle)                                              \
	do {                                                                   \
		const char *hay_ = (hay), *needle_ = (needle);                 \
		ck_assert_msg(hay_ == NULL || strstr(hay_, needle_) == NULL,   \
			      "'%s' in %s:\n%s", needle_, #hay,                \
			      hay_ != NULL ? hay_ : "(null)");                 \
	} while (0)

/*
 * A rule context over a temporary root copied from a fixture, with the
 * shipped service-console profile: what module suites run rules in.
 */
struct test_ctx {
	char *root_dir;
	struct hc_root *root;
	struct hc_aug *aug;
	struct hc_profile *profile;
	struct hc_ctx ctx;
	struct hc_findings findings;
	struct hc_plan plan;
	struct hc_strlist only; /* rules to run; empty: all */
};

void test_ctx_setup(struct test_ctx *t, const char *fixture);
void test_ctx_teardown(struct test_ctx *t);

/* PATH as NOW, a new context lent T's, reads it with LENS. */
struct hc_file *test_ctx_borrow(struct test_ctx *t, struct hc_ctx *now,
				const char *path, const char *lens);

/*
 * TEXT written at PATH and read with LENS twice: into *FAST through T's
 * context, with RENDER_LENS as its render_lens, and into *SLOW through
 * PLAIN, a new context over the same root (the caller releases it).
 */
void test_ctx_read_twice(struct test_ctx *t, struct hc_ctx *plain,
			 struct hc_file **fast, struct hc_file **slow,
			 const char *path, const char *text, const char *lens,
			 const char *render_lens);

/* Path of a shipped profile file (the build's copy). */
const char *test_profile_dir(void);

#endif
