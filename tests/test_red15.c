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
#include "hardctl/audit.h"
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
	TEST_RUN(&run, "/usr/bin/env", "-i", path.ptr,
		 "HARDCTL_CACHE_DIR=", "/bin/bash", "-c", script.ptr);
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

/*
 * An image under etckeeper whose /etc repository carries a hook: the
 * commit etckeeper makes there runs git in ROOT/etc, and git runs the
 * image's hooks (and its filters, fsmonitor, gpg.program) as the user
 * running hardctl, on this host.  The stand-in does what etckeeper's
 * commit does: git commit in the directory it is given.
 */
START_TEST(test_red15_etckeeper__image_repository_runs_nothing)
{
	struct hc_buf bin = HC_BUF_INIT, path = HC_BUF_INIT, git = HC_BUF_INIT;
	char *tmp = test_mkdtemp(), *marker;

	hc_buf_printf(&git, "%s/etc", root_dir);
	TEST_RUN(&run, "/usr/bin/git", "-C", git.ptr, "init", "-q");
	ck_assert_msg(run.status == 0, "%s", run.err.ptr);
	test_write(root_dir, "/etc/.etckeeper", "", 0600);
	hc_buf_printf(&bin, "#!/bin/sh\necho ran > '%s/PWNED'\n", tmp);
	test_write(root_dir, "/etc/.git/hooks/pre-commit", bin.ptr, 0755);
	hc_buf_clear(&bin);
	hc_buf_printf(&bin, "%s/bin/etckeeper", tmp);
	test_write("", bin.ptr,
		   "#!/bin/sh\ncd \"$3\" && git add -A && "
		   "git -c user.name=t -c user.email=t@t commit -q -m \"$4\"\n",
		   0755);
	hc_buf_printf(&path, "%s/bin:%s", tmp, getenv("PATH"));
	ck_assert_int_eq(setenv("PATH", path.ptr, 1), 0);
	TEST_HARDCTL(&run, "--root", root_dir, "apply", "--rule",
		     "banner.issue");
	ck_assert_msg(run.status == 0, "%s", run.err.ptr);
	marker = test_read(tmp, "/PWNED");
	ck_assert_msg(marker == NULL, "the image's git hook ran on the host");
	ck_assert_msg(strstr(run.err.ptr, "etckeeper") != NULL, "%s",
		      run.err.ptr);
	test_rmtree(tmp);
	free(tmp);
	hc_buf_release(&bin);
	hc_buf_release(&path);
	hc_buf_release(&git);
}
END_TEST

/*
 * A store carried by an image (its key beside it) names the profile of
 * the transaction a rollback undoes: a profile name of escaped bytes
 * (4 bytes each in the record) must not push who ran hardctl out of
 * the record, which is cut at HC_AUDIT_MAX bytes.
 */
START_TEST(test_red15_audit__who_survives_long_escaped_fields)
{
	char root[300], profile[300], rule[300];
	struct hc_audit_event ev = {.action = "rollback",
				    .outcome = HC_AUDIT_DONE,
				    .outcome_text = "rolled back",
				    .txn = 2,
				    .undoes = 1};
	struct hc_who who = {.loginuid = 1000, .uid = 0, .euid = 0};
	struct hc_buf out = HC_BUF_INIT;

	memset(root, 'r', sizeof(root) - 1);
	root[0] = '/';
	root[sizeof(root) - 1] = '\0';
	memset(profile, '\033', sizeof(profile) - 1);
	profile[sizeof(profile) - 1] = '\0';
	memset(rule, '\001', sizeof(rule) - 1);
	rule[sizeof(rule) - 1] = '\0';
	ev.root = root;
	ev.profile = profile;
	ev.undoes_rule = rule;
	ck_assert_int_eq(hc_audit_format(&out, &ev, &who, 42, 0), 0);
	ck_assert_uint_le(out.size, HC_AUDIT_MAX);
	ck_assert_msg(strstr(out.ptr, " who=\"uid 0 (root), login uid 1000") !=
			  NULL,
		      "%s", out.ptr);
	ck_assert_msg(strstr(out.ptr, " txn=2 undoes=1") != NULL, "%s",
		      out.ptr);
	hc_buf_release(&out);
}
END_TEST

/*
 * The store's main branch moved to a commit the store's key did not
 * sign (here: its message changed after signing).  apply would build
 * its transaction on that tip: it must refuse, as verify does, and
 * change nothing.
 */
START_TEST(test_red15_store__unsigned_main_tip_refused)
{
	struct hc_buf script = HC_BUF_INIT;
	char *before, *after;

	TEST_HARDCTL(&run, "--root", root_dir, "apply", "--rule",
		     "banner.issue");
	ck_assert_msg(run.status == 0, "%s", run.err.ptr);
	hc_buf_printf(
	    &script,
	    "set -e; g='%s/var/lib/hardctl/oldconf'\n"
	    "new=$(git --git-dir=\"$g\" cat-file commit "
	    "refs/heads/main | sed 's/^Transaction: 1$/Transaction: "
	    "1 /' | git --git-dir=\"$g\" hash-object -t commit -w "
	    "--stdin)\n"
	    "git --git-dir=\"$g\" update-ref refs/heads/main \"$new\"\n",
	    root_dir);
	TEST_RUN(&run, "/bin/sh", "-c", script.ptr);
	ck_assert_msg(run.status == 0, "%s", run.err.ptr);
	TEST_HARDCTL(&run, "--root", root_dir, "verify");
	ck_assert_int_eq(run.status, 5);
	before = test_state(root_dir);
	TEST_HARDCTL(&run, "--root", root_dir, "apply", "--rule",
		     "banner.issue-net");
	ck_assert_msg(run.status == 5, "apply: %d\n%s%s", run.status,
		      run.out.ptr, run.err.ptr);
	after = test_state(root_dir);
	ck_assert_str_eq(before, after);
	free(before);
	free(after);
	hc_buf_release(&script);
}
END_TEST

Suite *red15_suite(void)
{
	Suite *s = suite_create("red15");
	TCase *tc = tcase_create("red15");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_red15_completion__profile_names_are_not_run);
	tcase_add_test(tc, test_red15_etckeeper__image_repository_runs_nothing);
	tcase_add_test(tc, test_red15_audit__who_survives_long_escaped_fields);
	tcase_add_test(tc, test_red15_store__unsigned_main_tip_refused);
	suite_add_tcase(s, tc);
	return s;
}
