/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Red team of issue 15: a hostile image (ROOT prepared by an attacker)
 * or a careless administrator against the shell completion, the syslog
 * record, etckeeper's commit and the store's signatures.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "test.h"

#define BASH_COMPLETION HC_SOURCE_DIR "/dist/completion/hardctl.bash"

static char *root_dir;
static struct test_run run;

static void setup(void)
{
	root_dir = test_demo_root();
	memset(&run, 0, sizeof(run));
}

static void teardown(void)
{
	test_run_release(&run);
	test_rmtree(root_dir);
	free(root_dir);
}

/*
 * A profile directory holding a file named as a command substitution:
 * completing "-p" lists its name, and bash must offer it, never run
 * it (compgen -W expands its word list as a command line would).
 */
START_TEST(test_red15_completion__profile_names_are_not_run)
{
	struct hc_buf script = HC_BUF_INIT, path = HC_BUF_INIT;
	struct stat st;

	test_write(root_dir, "/pd/$(touch${IFS}PWNED).conf",
		   "[profile]\nname = x\n", 0644);
	test_write(root_dir, "/pd/good.conf", "[profile]\nname = x\n", 0644);
	test_write(root_dir, "/bin/hardctl",
		   "#!/bin/sh\necho \"profiles: $(dirname \"$0\")/../pd\"\n",
		   0755);
	hc_buf_printf(&path, "PATH=%s/bin:/usr/bin:/bin", root_dir);
	hc_buf_printf(&script,
		      "cd '%s'\n"
		      "source '%s'\n"
		      "COMP_WORDS=(hardctl -p '')\n"
		      "COMP_CWORD=2\n"
		      "_hardctl\n"
		      "printf '%%s\\n' \"${COMPREPLY[@]}\"\n",
		      root_dir, BASH_COMPLETION);
	TEST_RUN(&run, "/usr/bin/env", "-i", path.ptr, "/bin/bash", "-c",
		 script.ptr);
	ck_assert_msg(run.status == 0, "%d\n%s", run.status, run.err.ptr);
	hc_buf_clear(&path);
	hc_buf_printf(&path, "%s/PWNED", root_dir);
	ck_assert_msg(stat(path.ptr, &st) < 0,
		      "bash ran a profile's file name");
	ck_assert_msg(strstr(run.out.ptr, "good\n") != NULL, "%s", run.out.ptr);
	ck_assert_msg(strstr(run.out.ptr, "$(touch${IFS}PWNED)\n") != NULL,
		      "%s", run.out.ptr);
	hc_buf_release(&script);
	hc_buf_release(&path);
}
END_TEST

Suite *red15_suite(void)
{
	Suite *s = suite_create("red15");
	TCase *tc = tcase_create("red15");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_red15_completion__profile_names_are_not_run);
	suite_add_tcase(s, tc);
	return s;
}
