/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Runs one Check suite, named on the command line (CTest runs each as
 * its own test), or all of them.  Fails when no test ran, so a
 * misspelled suite name cannot pass silently.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <git2.h>
#include "test.h"

static const struct {
	const char *name;
	Suite *(*make)(void);
} suites[] = {
    {"root", root_suite},
    {"aug", aug_suite},
    {"file_index", file_index_suite},
    {"profile", profile_suite},
    {"module_table", module_table_suite},
    {"sshd", sshd_suite},
    {"banner", banner_suite},
    {"cli", cli_suite},
    {"store", store_suite},
    {"store_guard", store_guard_suite},
    {"txn", txn_suite},
    {"path", path_suite},
    {"undo", undo_suite},
    {"engine", engine_suite},
    {"modules", modules_suite},
    {"access", access_suite},
    {"report", report_suite},
    {"json_out", json_out_suite},
    {"hostile", hostile_suite},
    {"confirm", confirm_suite},
    {"pam_reader", pam_reader_suite},
    {"pwq_reader", pwq_reader_suite},
    {"param_reader", param_reader_suite},
    {"sysctl_reader", sysctl_reader_suite},
    {"snmp_reader", snmp_reader_suite},
    {"rsyslog_reader", rsyslog_reader_suite},
    {"sshd_reader", sshd_reader_suite},
    {"install_guard", install_guard_suite},
    {"layers", layers_suite},
    {"secrets_out", secrets_out_suite},
    {"undo_exact", undo_exact_suite},
    {"store_hostile", store_hostile_suite},
    {"profiles_shipped", profiles_shipped_suite},
    {"cli_ux", cli_ux_suite},
    {"first_run", first_run_suite},
    {"output", output_suite},
    {"docs", docs_suite},
    {"sshsig", sshsig_suite},
    {"html", html_suite},
    {"perf", perf_suite},
    {"cache", cache_suite},
    {"red14", red14_suite},
    {"red15", red15_suite},
    {"red16", red16_suite},
    {"red21", red21_suite},
    {"red24", red24_suite},
    {"red30", red30_suite},
    {"audit_log", audit_log_suite},
    {"front", front_suite},
#ifdef HARDCTL_FAULT_INJECTION
    {"fault", fault_suite},
#endif
};

int main(int argc, char **argv)
{
	SRunner *sr = NULL;
	char *cache;
	int failed, ran;

	for (size_t i = 0; i < sizeof(suites) / sizeof(suites[0]); i++) {
		if (argc > 1 && strcmp(argv[1], suites[i].name) != 0)
			continue;
		if (sr == NULL)
			sr = srunner_create(suites[i].make());
		else
			srunner_add_suite(sr, suites[i].make());
	}
	if (sr == NULL) {
		fprintf(stderr, "no suite named '%s'\n",
			argc > 1 ? argv[1] : "");
		return EXIT_FAILURE;
	}
	/*
	 * No site tailoring the host may have (/etc/hardctl/tailoring.conf)
	 * changes what the suites see; profiles_shipped sets its own.
	 */
	setenv("HARDCTL_SITE_TAILORING", "", 1);
	/*
	 * Text reports one line per finding, as the suites assert them;
	 * the output suite sets its own widths.
	 */
	setenv("COLUMNS", "1000", 1);
	/*
	 * No suite writes to this machine's syslog: records go to a socket
	 * that is not there (silent); audit_log binds its own.
	 */
	setenv("HARDCTL_LOG_SOCKET", "/nonexistent/hardctl-tests-syslog", 1);
	/*
	 * Checks answer from a cache of the suites' own, never the host's:
	 * every repeat check in every suite goes through it, and --version
	 * keeps its note of the library versions there (the cache and front
	 * suites set their own).
	 */
	if (asprintf(&cache, "%s/hardctl-cache.XXXXXX",
		     getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp") < 0 ||
	    mkdtemp(cache) == NULL) {
		perror("hardctl-tests: a cache directory");
		return EXIT_FAILURE;
	}
	setenv("HARDCTL_CACHE_DIR", cache, 1);
	git_libgit2_init();
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	ran = srunner_ntests_run(sr);
	srunner_free(sr);
	git_libgit2_shutdown();
	test_rmtree(cache);
	free(cache);
	if (ran == 0) {
		fprintf(stderr, "no test ran\n");
		return EXIT_FAILURE;
	}
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
