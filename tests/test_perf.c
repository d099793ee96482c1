/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Performance promises that can be observed without a clock (timings
 * are in bench/, never asserted here):
 *   - read-only commands never start libgit2 (whose start reads the
 *     system's CA bundle), never open the store's repository, never load
 *     the signing key: strace shows every file the real binary opens;
 *   - libgit2 starts without parsing the CA bundle it never uses;
 *   - check --trace-files names what check really read, probed and
 *     enumerated.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <git2.h>
#include "hardctl/nocerts.h"
#include "hardctl/store.h"
#include "test.h"

#define STRACE "/usr/bin/strace"

/* Every path the run of hardctl ARGS opened or stat'ed, into OUT. */
static void traced_paths(struct hc_buf *out, const char *const *args)
{
	char *dir = test_mkdtemp(), log[4096];
	const char *argv[40] = {STRACE,
				"-f",
				"-qq",
				"-e",
				"trace=open,openat,stat,newfstatat,"
				"statx,access,readlink",
				"-o",
				log,
				HC_TEST_BINARY};
	size_t n = 8;
	struct test_run run = {0};
	FILE *fp;
	char line[8192];

	snprintf(log, sizeof(log), "%s/strace.log", dir);
	for (size_t i = 0; args[i] && n < HC_ARRAY_SIZE(argv) - 1; i++)
		argv[n++] = args[i];
	argv[n] = NULL;
	test_run_program(&run, argv);
	ck_assert_msg((fp = fopen(log, "r")) != NULL, "no strace log: %s",
		      run.err.ptr);
	hc_buf_clear(out);
	while (fgets(line, sizeof(line), fp))
		hc_buf_puts(out, line);
	fclose(fp);
	test_run_release(&run);
	test_rmtree(dir);
	free(dir);
}

/* ROOT after an apply: a store with a commit, its key beside it. */
static char *applied_root(void)
{
	char *root = test_demo_root();
	struct test_run run = {0};

	TEST_HARDCTL(&run, "--root", root, "apply");
	ck_assert_msg(run.status == 0, "apply: %s", run.err.ptr);
	test_run_release(&run);
	return root;
}

/* What only a started libgit2, an open store or a loaded key touches. */
static void assert_no_store(const char *trace, const char *root,
			    const char *what)
{
	static const char *const inside[] = {"/config", "/HEAD", "/objects",
					     "/refs", "/hardctl.lock"};
	char path[4096];

	ck_assert_msg(strstr(trace, "ca-certificates.crt") == NULL,
		      "%s started libgit2 (it read the CA bundle)", what);
	for (size_t i = 0; i < HC_ARRAY_SIZE(inside); i++) {
		snprintf(path, sizeof(path), "%s/var/lib/hardctl/oldconf%s",
			 root, inside[i]);
		ck_assert_msg(strstr(trace, path) == NULL, "%s opened %s:\n%s",
			      what, path, trace);
	}
	snprintf(path, sizeof(path), "%s/var/lib/hardctl/oldconf.key", root);
	ck_assert_msg(strstr(trace, path) == NULL, "%s read the key %s", what,
		      path);
}

START_TEST(test_read_only_commands_leave_git_alone)
{
	char *root;
	struct hc_buf trace = HC_BUF_INIT;

	if (access(STRACE, X_OK) != 0 && test_oracle("no strace") != NULL)
		return;
	root = applied_root();
	{
		const char *const cmds[][6] = {
		    {"--help"},
		    {"--version"},
		    {"--root", root, "list"},
		    {"--root", root, "explain", "ssh-permit-root-login"},
		    {"--root", root, "check"},
		    {"--root", root, "check", "--format", "json"},
		    {"--root", root, "status"},
		};

		for (size_t i = 0; i < HC_ARRAY_SIZE(cmds); i++) {
			traced_paths(&trace, cmds[i]);
			assert_no_store(hc_buf_cstr(&trace), root,
					cmds[i][0][0] == '-' && cmds[i][2]
					    ? cmds[i][2]
					    : cmds[i][0]);
		}
	}
	/* The observation is real: a command that does use the store shows
	 * all of it. */
	{
		const char *const log_cmd[] = {"--root", root, "log", NULL};
		char path[4096];

		traced_paths(&trace, log_cmd);
		assert_contains(hc_buf_cstr(&trace), "ca-certificates.crt");
		snprintf(path, sizeof(path),
			 "%s/var/lib/hardctl/oldconf/config", root);
		assert_contains(hc_buf_cstr(&trace), path);
	}
	hc_buf_release(&trace);
	test_rmtree(root);
	free(root);
}
END_TEST

/* Whether TRACE shows PATH opened (an open or openat of it). */
static bool opened(const char *trace, const char *path)
{
	for (const char *p = strstr(trace, path); p; p = strstr(p + 1, path)) {
		const char *line = p;

		while (line > trace && line[-1] != '\n')
			line--;
		if (strstr(line, "open") != NULL && strstr(line, "open") < p)
			return true;
	}
	return false;
}

/*
 * libgit2 asks for its CA bundle at start, and gets none: hardctl-full
 * defines the parse (src/nocerts.c).  The store still works.
 */
START_TEST(test_git_starts_without_the_ca_bundle)
{
	char *root;
	struct hc_buf trace = HC_BUF_INIT;

	/* In this process, as in the program: the definition is ours. */
	ck_assert_int_ge(git_libgit2_init(), 1);
	ck_assert_uint_gt(hc_nocerts_asked(), 0);
	git_libgit2_shutdown();
	if (access(STRACE, X_OK) != 0 && test_oracle("no strace") != NULL)
		return;
	root = applied_root();
	{
		const char *const log_cmd[] = {"--root", root, "log", NULL};
		struct test_run run = {0};

		traced_paths(&trace, log_cmd);
		/* libgit2 started: it looked for the bundle... */
		assert_contains(hc_buf_cstr(&trace), "ca-certificates.crt");
		/* ...and never read it. */
		ck_assert_msg(
		    !opened(hc_buf_cstr(&trace), "ca-certificates.crt"),
		    "libgit2 read the CA bundle:\n%s", hc_buf_cstr(&trace));
		TEST_HARDCTL(&run, "--root", root, "log");
		ck_assert_msg(run.status == 0, "log: %s", run.err.ptr);
		assert_contains(run.out.ptr, "apply     service-console");
		test_run_release(&run);
	}
	hc_buf_release(&trace);
	test_rmtree(root);
	free(root);
}
END_TEST

/* hardctl check --trace-files on ROOT: the trace, from stderr. */
static void check_trace(struct test_run *run, const char *root)
{
	TEST_HARDCTL(run, "--root", root, "check", "--trace-files");
	/* The demo fails rules (1); a trace is no reason to fail (2). */
	ck_assert_msg(run->status == 0 || run->status == 1, "status %d: %s",
		      run->status, run->err.ptr);
}

START_TEST(test_trace_files_names_what_check_read)
{
	char *root = test_demo_root();
	struct test_run run = {0};

	check_trace(&run, root);
	/* Files rules read, each with the lens that parsed it. */
	assert_contains(run.err.ptr, "\nread /etc/login.defs\n");
	assert_contains(run.err.ptr, "\nread /etc/issue\n");
	assert_contains(run.err.ptr, "\nread /etc/ssh/sshd_config\n");
	assert_contains(run.err.ptr, "\nlens Login_Defs.lns /etc/login.defs\n");
	assert_contains(run.err.ptr, "\nlens Sshd.lns /etc/ssh/sshd_config\n");
	/* A path probed and not there, a directory listed, the profile. */
	assert_contains(run.err.ptr, "\nabsent /etc/pam.d/common-password\n");
	assert_contains(run.err.ptr, "\nlist /etc/pam.d\n");
	assert_contains(run.err.ptr, "\nprofile ");
	/* Only on stderr; the report is the same as without the flag. */
	assert_lacks(run.out.ptr, "read /etc/");
	/* Without the flag, no trace. */
	TEST_HARDCTL(&run, "--root", root, "check");
	assert_lacks(run.err.ptr, "read /etc/");

	/* A drop-in in a directory a rule enumerates is read, and named. */
	test_write(root, "/etc/sysctl.d/99-local.conf",
		   "net.ipv4.ip_forward = 0\n", 0644);
	check_trace(&run, root);
	assert_contains(run.err.ptr, "\nlist /etc/sysctl.d\n");
	assert_contains(run.err.ptr, "\nread /etc/sysctl.d/99-local.conf\n");
	assert_lacks(run.err.ptr, "\nabsent /etc/sysctl.d\n");
	/* The trace follows the file: gone, it is probed and absent. */
	{
		char path[4096];

		snprintf(path, sizeof(path), "%s/etc/issue", root);
		ck_assert_int_eq(unlink(path), 0);
	}
	check_trace(&run, root);
	assert_lacks(run.err.ptr, "\nread /etc/issue\n");
	assert_contains(run.err.ptr, "\nabsent /etc/issue\n");
	test_run_release(&run);
	test_rmtree(root);
	free(root);
}
END_TEST

/* A name with a newline cannot forge a line of the trace. */
START_TEST(test_trace_files_escapes_names)
{
	char *root = test_demo_root();
	struct test_run run = {0};

	test_write(root, "/etc/sysctl.d/a\nread b.conf", "x = 1\n", 0644);
	check_trace(&run, root);
	assert_lacks(run.err.ptr, "\nread b.conf\n");
	assert_contains(run.err.ptr,
			"\nread /etc/sysctl.d/a\\x0aread\\x20b.conf\n");
	test_run_release(&run);
	test_rmtree(root);
	free(root);
}
END_TEST

/* Run the shell SCRIPT with $R set to ROOT; its exit status. */
static int root_shell(const char *root, const char *script)
{
	char cmd[8192];

	snprintf(cmd, sizeof(cmd), "R='%s'; %s", root, script);
	return system(cmd);
}

/*
 * verify hashes each stored blob once, and still names every commit
 * whose manifest the blob does not match: a forged copy kept by two
 * commits is reported at both.
 */
START_TEST(test_verify_hashes_each_blob_once)
{
	static const char forge[] =
	    "export GIT_DIR=\"$R/var/lib/hardctl/oldconf\" "
	    "GIT_INDEX_FILE=\"$R/idx\"; "
	    "git read-tree refs/heads/main && "
	    "b=$(echo forged | git hash-object -w --stdin) && "
	    "git update-index --cacheinfo 100644,$b,files/etc/issue && "
	    "t=$(git write-tree) && m=$(git log -1 --format=%B "
	    "refs/heads/main) && "
	    "c1=$(echo \"$m\" | git commit-tree $t -p refs/heads/main) && "
	    "c2=$(echo \"$m again\" | git commit-tree $t -p $c1) && "
	    "git update-ref refs/heads/main $c2 && rm -f \"$R/idx\" && "
	    "echo $c1 $c2 >\"$R/forged\"";
	char *root = test_demo_root(), path[4096], key[4096], *ids;
	struct hc_verify_report report;
	struct hc_store *store = NULL;
	struct test_run run = {0};
	const char *p;
	bool created = false;
	int seen = 0;

	/* History: apply, roll back, apply again: most files keep one blob
	 * through several commits. */
	TEST_HARDCTL(&run, "--root", root, "apply");
	ck_assert_msg(run.status == 0, "%s", run.err.ptr);
	TEST_HARDCTL(&run, "--root", root, "rollback");
	ck_assert_msg(run.status == 0, "%s", run.err.ptr);
	TEST_HARDCTL(&run, "--root", root, "apply");
	ck_assert_msg(run.status == 0, "%s", run.err.ptr);
	snprintf(path, sizeof(path), "%s/var/lib/hardctl/oldconf", root);
	snprintf(key, sizeof(key), "%s/var/lib/hardctl/oldconf.key", root);
	ck_assert_int_eq(hc_store_open(&store, path, 0), 0);
	ck_assert_int_eq(hc_store_use_key(store, key, false, &created), 0);
	ck_assert_int_eq(hc_store_verify(&report, store), 0);
	ck_assert_msg(report.nproblems == 0, "%s", report.problems.v[0]);
	ck_assert_uint_ge(report.commits, 3);
	ck_assert_uint_gt(report.blobs, 0);
	ck_assert_msg(report.blobs < report.files,
		      "%zu blobs hashed for %zu stored copies", report.blobs,
		      report.files);
	hc_verify_report_release(&report);
	hc_store_free(store);

	/* A forged copy in two commits: both are named. */
	ck_assert_int_eq(root_shell(root, forge), 0);
	ck_assert((ids = test_read(root, "/forged")) != NULL);
	TEST_HARDCTL(&run, "--root", root, "verify");
	ck_assert_int_eq(run.status, 5);
	for (p = run.out.ptr; (p = strstr(p, "does not match its manifest"));
	     p++)
		seen++;
	ck_assert_msg(seen == 2, "%d mismatches named:\n%s", seen, run.out.ptr);
	{
		char c1[13], c2[13];

		ck_assert_int_eq(sscanf(ids, "%12s %*28s %12s", c1, c2), 2);
		snprintf(path, sizeof(path), "/etc/issue at %s", c1);
		assert_contains(run.out.ptr, path);
		snprintf(path, sizeof(path), "/etc/issue at %s", c2);
		assert_contains(run.out.ptr, path);
	}
	free(ids);
	test_run_release(&run);
	test_rmtree(root);
	free(root);
}
END_TEST

Suite *perf_suite(void)
{
	Suite *s = suite_create("perf");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, test_read_only_commands_leave_git_alone);
	tcase_add_test(tc, test_git_starts_without_the_ca_bundle);
	tcase_add_test(tc, test_trace_files_names_what_check_read);
	tcase_add_test(tc, test_trace_files_escapes_names);
	tcase_add_test(tc, test_verify_hashes_each_blob_once);
	suite_add_tcase(s, tc);
	return s;
}
