/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Profile parameters as their readers take them: every value is judged
 * when the profile or tailoring loads (exit 2, file:line, nothing
 * changed); the banner text holds only bytes Augeas's lenses carry; the
 * engine's re-check judges the bytes a plan would write; securetty and
 * access.conf are N/A where their PAM module is in no PAM stack,
 * which pamtester confirms in a private mount namespace.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "hardctl/aug.h"
#include "hardctl/engine.h"
#include "hardctl/module.h"
#include "hardctl/profile.h"
#include "test.h"

static char *root_dir, *prof_dir;
static struct test_run run;

static void setup(void)
{
	root_dir = test_root("debian12");
	prof_dir = test_mkdtemp();
	memset(&run, 0, sizeof(run));
}

static void teardown(void)
{
	test_run_release(&run);
	test_rmtree(root_dir);
	test_rmtree(prof_dir);
	free(root_dir);
	free(prof_dir);
}

#define HARDCTL(...) TEST_HARDCTL(&run, __VA_ARGS__)

/* Write NAME in the profile directory and return its path (static buffer). */
static const char *profile_file(const char *name, const char *text)
{
	static char path[4096];

	test_write(prof_dir, name, text, 0644);
	snprintf(path, sizeof(path), "%s%s", prof_dir, name);
	return path;
}

/*
 * The profile with one rule section, run through check and apply: exit
 * 2, the message naming the profile's file and LINE and holding WANT,
 * and nothing under ROOT changed.
 */
static void assert_refused(const char *section, unsigned int line,
			   const char *want)
{
	char text[4096], expect[4200], *before, *after;
	const char *path;

	snprintf(text, sizeof(text), "[profile]\nname = p\nversion = 1\n\n%s",
		 section);
	path = profile_file("/p.conf", text);
	snprintf(expect, sizeof(expect), "hardctl: %s:%u: ", path, line);
	before = test_snapshot(root_dir);
	HARDCTL("--root", root_dir, "check", "-p", path);
	ck_assert_msg(run.status == 2, "exit %d for %s", run.status, section);
	assert_contains(hc_buf_cstr(&run.err), expect);
	assert_contains(hc_buf_cstr(&run.err), want);
	HARDCTL("--root", root_dir, "apply", "-p", path);
	ck_assert_msg(run.status == 2, "exit %d for %s", run.status, section);
	assert_contains(hc_buf_cstr(&run.err), expect);
	after = test_snapshot(root_dir);
	ck_assert_str_eq(before, after);
	free(before);
	free(after);
}

/* Parameters ----------------------------------------------------------------
 */

/*
 * A hashing method Debian 12's shadow does not know makes it fall back
 * to DES; lower case is unknown to it too; DES, MD5 and SHA256 are
 * known but weak.  All refused at load, never written to login.defs.
 */
START_TEST(test_param_reader_encrypt_method__refused_at_load)
{
	assert_refused("[password.encrypt-method]\nmethod = MD4\n", 6,
		       "'MD4' is not one of SHA512 or YESCRYPT");
	assert_refused("[password.encrypt-method]\nmethod = sha512\n", 6,
		       "case matters");
	assert_refused("[password.encrypt-method]\nmethod = MD5\n", 6,
		       "too weak");
	assert_refused("[password.encrypt-method]\nmethod = DES\n", 6,
		       "too weak");
}
END_TEST

/* A tailoring file is judged the same way, and named with its line. */
START_TEST(test_param_reader_tailoring__judged_too)
{
	char expect[4200], *before = test_snapshot(root_dir), *after;
	const char *path =
	    profile_file("/t.conf", "[tailoring]\nname = t\nversion = 1\n"
				    "[password.encrypt-method]\n"
				    "# the old method\nmethod = SHA256\n");

	snprintf(expect, sizeof(expect),
		 "hardctl: %s:6: parameter 'method' of "
		 "password.encrypt-method: 'SHA256'",
		 path);
	HARDCTL("--root", root_dir, "apply", "--tailoring", path);
	ck_assert_int_eq(run.status, 2);
	assert_contains(hc_buf_cstr(&run.err), expect);
	after = test_snapshot(root_dir);
	ck_assert_str_eq(before, after);
	free(before);
	free(after);
}
END_TEST

/* Numbers as shadow, PAM and the kernel read them, and the other kinds. */
START_TEST(test_param_reader_values__each_kind_refused_at_load)
{
	/* shadow reads numbers with strtol(..., 0): 060 is 48 days. */
	assert_refused("[password.max-days]\ndays = 060\n", 6,
		       "'060' is not a whole number");
	assert_refused("[password.max-days]\ndays = 0\n", 6,
		       "0 is out of range (1 to 99999");
	assert_refused("[password.max-days]\ndays = 100000\n", 6,
		       "out of range");
	assert_refused("[password.max-days]\ndays = 6O\n", 6,
		       "not a whole number");
	assert_refused("[password.quality]\nminlen = 4\n", 6,
		       "libpwquality's least is 6");
	assert_refused("[password.unix-stack]\nremember = 401\n", 6,
		       "pam_unix's most");
	assert_refused("[root-access.sshd-permit-root-login]\nvalue = maybe\n",
		       6, "'maybe' is not one of no, prohibit-password");
	assert_refused("[root-access.sshd-permit-root-login]\nvalue = yes\n", 6,
		       "refused");
	assert_refused("[network.accept-redirects]\nvalue = 2\n", 6, "0 to 1");
	assert_refused("[network.rp-filter]\nvalue = -1\n", 6, "0 to 2");
	assert_refused("[root-access.securetty]\nttys = console,tty1\n", 6,
		       "holds ','");
	assert_refused("[root-access.access-conf]\nenable-pam-access = maybe\n",
		       6, "not a boolean");
	assert_refused("[syslog.loghost]\nloghost = @@log host:514\n", 6,
		       "[@|@@]HOST[:PORT]");
	assert_refused("[syslog.loghost]\nloghost = @log:99999\n", 6,
		       "[@|@@]HOST[:PORT]");
	assert_refused("[snmp.community]\ncommunity = two words\n", 6,
		       "has 2 words");
	assert_refused("[vmx.log-rotation]\nrotate-size = 0\n", 6,
		       "out of range");
	assert_refused("[banner.sshd-banner]\npath = /etc/issue net\n", 6,
		       "without spaces");
}
END_TEST

/*
 * Every parameter of every rule says what it takes (a validator, or a
 * type that is one), and every default passes it.
 */
START_TEST(test_param_reader_params__every_one_validated_defaults_pass)
{
	for (size_t m = 0; hc_modules[m]; m++) {
		for (const struct hc_rule *r = hc_modules[m]->rules; r->id;
		     r++) {
			for (const struct hc_param *p = r->params; p && p->name;
			     p++) {
				ck_assert_msg(
				    p->valid || p->type == HC_PARAM_PATH ||
					p->type == HC_PARAM_BOOL,
				    "%s's parameter %s takes anything", r->id,
				    p->name);
				if (p->type == HC_PARAM_TEXTFILE)
					continue;
				ck_assert_msg(
				    hc_param_validate(p, p->def) == 0,
				    "%s's default %s = '%s' refused: %s", r->id,
				    p->name, p->def, hc_error_last()->message);
			}
		}
	}
}
END_TEST

/* The shipped profiles and the example tailoring still load. */
START_TEST(test_param_reader_shipped__profiles_load)
{
	static const char *const names[] = {"service-console", "stig-cat1"};
	struct hc_aug *aug;
	struct hc_profile *p;
	char tailoring[4096];

	ck_assert_int_eq(hc_aug_open(&aug, HARDCTL_LENS_DIR), 0);
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		ck_assert_msg(hc_profile_load(&p, aug, names[i], NULL,
					      test_profile_dir()) == 0,
			      "%s: %s", names[i], hc_error_last()->message);
		hc_profile_free(p);
	}
	snprintf(tailoring, sizeof(tailoring), "%s/example-tailoring.conf",
		 test_profile_dir());
	ck_assert_msg(hc_profile_load(&p, aug, "service-console", tailoring,
				      test_profile_dir()) == 0,
		      "%s", hc_error_last()->message);
	hc_profile_free(p);
	hc_aug_free(aug);
}
END_TEST

/* "TRUE" was taken for no by a rule comparing with "yes": said one way now. */
START_TEST(test_param_reader_bool__stored_as_yes_or_no)
{
	const char *path =
	    profile_file("/p.conf", "[profile]\nname = p\nversion = 1\n"
				    "[root-access.access-conf]\n"
				    "enable-pam-access = TRUE\n");

	test_write(root_dir, "/etc/security/access.conf",
		   "-:root:ALL EXCEPT LOCAL\n", 0644);
	HARDCTL("--root", root_dir, "check", "-p", path);
	ck_assert_int_eq(run.status, 1);
	assert_contains(hc_buf_cstr(&run.out), "pam_access in no PAM stack");
	HARDCTL("--root", root_dir, "explain", "root-access.access-conf", "-p",
		path);
	assert_contains(hc_buf_cstr(&run.out), "enable-pam-access = yes");
}
END_TEST

/* Banner text ----------------------------------------------------------------
 */

/*
 * Augeas's own markers: aug_text_retrieve renders a text holding byte
 * 0x01 to 0x04 as nothing, and says it succeeded.  Why the loader
 * refuses them.
 */
START_TEST(test_param_reader_banner__lens_renders_marker_bytes_as_nothing)
{
	struct hc_aug *aug;
	augeas *a;
	char text[8];
	const char *out;

	ck_assert_int_eq(hc_aug_open(&aug, HARDCTL_LENS_DIR), 0);
	a = hc_aug_handle(aug);
	for (int b = 1; b <= 5; b++) {
		snprintf(text, sizeof(text), "a%cb\n", b);
		ck_assert_int_eq(aug_set(a, "/t/text", text), 0);
		ck_assert_int_eq(aug_set(a, "/in", ""), 0);
		ck_assert_int_eq(aug_text_retrieve(a, "Hardctl_Text.lns", "/in",
						   "/t", "/out"),
				 0);
		ck_assert_int_eq(aug_get(a, "/out", &out), 1);
		if (b <= 4)
			ck_assert_str_eq(out, "");
		else
			ck_assert_str_eq(out, text);
		aug_rm(a, "/t");
		aug_rm(a, "/out");
	}
	hc_aug_free(aug);
}
END_TEST

/* Bytes 0x01-0x04 and CRLF in the text: refused at load, naming both files. */
START_TEST(test_param_reader_banner__text_refused_at_load)
{
	static const struct {
		const char *text, *want;
	} cases[] = {
	    {"Authorized use only.\nAll activity\001 is logged.\n",
	     "t.txt: line 2 holds the byte 0x01"},
	    {"Authorized use only.\004\n", "t.txt: line 1 holds the byte 0x04"},
	    {"Authorized use only.\r\nAll activity is logged.\r\n",
	     "line 1 ends in CRLF"},
	};
	char text_path[4096];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		test_write(prof_dir, "/t.txt", cases[i].text, 0644);
		assert_refused(
		    "[banner.motd]\n# the site's text\ntext = t.txt\n", 7,
		    cases[i].want);
	}
	/* A link to a private file (/etc/shadow's mode) is not a banner. */
	snprintf(text_path, sizeof(text_path), "%s/t.txt", prof_dir);
	test_write(prof_dir, "/secret",
		   "root:$6$salt$hash:19700:0:99999:7:::\n", 0640);
	ck_assert_int_eq(unlink(text_path), 0);
	test_link(prof_dir, "/t.txt", "secret");
	HARDCTL("--root", root_dir, "apply", "-p",
		profile_file("/p.conf", "[profile]\nname = p\nversion = "
					"1\n[banner.motd]\ntext = t.txt\n"));
	ck_assert_int_eq(run.status, 5);
	assert_contains(hc_buf_cstr(&run.err),
			"p.conf:5: parameter 'text' of banner.motd: ");
	assert_contains(hc_buf_cstr(&run.err),
			"is not readable by others (mode 0640)");
	assert_lacks(run.err.ptr, "$6$");
	ck_assert_int_eq(unlink(text_path), 0);
	/* The same text accepted without them, and written. */
	test_write(prof_dir, "/t.txt", "Authorized use only.\n", 0644);
	HARDCTL("--root", root_dir, "apply", "-p",
		profile_file("/p.conf", "[profile]\nname = p\nversion = "
					"1\n[banner.motd]\ntext = t.txt\n"));
	ck_assert_msg(run.status == 0, "%s", hc_buf_cstr(&run.err));
	{
		char *motd = test_read(root_dir, "/etc/motd");

		ck_assert_str_eq(motd, "Authorized use only.\n");
		free(motd);
	}
}
END_TEST

/*
 * The engine's re-check judges the rendered bytes: a text the lens
 * renders as an empty file (set behind the loader's back) is an error,
 * not a pass recorded in the plan.
 */
START_TEST(test_param_reader_engine__rendered_empty_is_never_a_pass)
{
	struct test_ctx t;
	struct hc_profile_rule *pr = NULL;

	test_ctx_setup(&t, "debian12");
	for (size_t i = 0; i < t.profile->nrules; i++)
		if (strcmp(t.profile->rules[i].rule->id, "banner.motd") == 0)
			pr = &t.profile->rules[i];
	ck_assert_ptr_nonnull(pr);
	free(pr->values[0]);
	pr->values[0] = strdup("Authorized\001 use only.\n");
	ck_assert_int_eq(hc_strlist_push(&t.only, "banner.motd"), 0);
	/* The rule's own bug: refused, with no step in the plan. */
	ck_assert_int_eq(hc_engine_plan(&t.plan, &t.findings, &t.ctx, &t.only),
			 0);
	ck_assert_uint_eq(t.plan.nsteps, 0);
	ck_assert_int_eq(t.findings.v[0].fix, HC_FIX_CANNOT);
	ck_assert_msg(strstr(t.findings.v[0].fix_note,
			     "judged on the bytes it would write") &&
			  strstr(t.findings.v[0].fix_note, "/etc/motd"),
		      "%s", t.findings.v[0].fix_note);
	test_ctx_teardown(&t);
}
END_TEST

/* securetty and access.conf where their module is, or is not, in the stack ---
 */

static const char *pam_skip(void)
{
	if (geteuid() != 0)
		return "not root: cannot mount over /etc in a mount namespace";
	if (access("/usr/bin/pamtester", X_OK) != 0)
		return "no pamtester (apt-get install pamtester)";
	if (access("/usr/bin/unshare", X_OK) != 0)
		return "no unshare";
	return NULL;
}

/*
 * What libpam says to root on TTY for STAGE of SERVICE, with ROOT's
 * /etc laid over the host's (overlayfs in a private mount namespace:
 * /etc/securetty need not exist on the host).
 */
static bool pam_service_allows(const char *root, const char *service,
			       const char *tty, const char *stage)
{
	struct hc_buf script = HC_BUF_INIT;
	struct test_run r = {0};
	bool ok = false;

	hc_buf_printf(
	    &script,
	    "set -e; mount -t overlay overlay -o \"lowerdir=$1/etc:/etc\" "
	    "/etc; "
	    "pamtester -I tty=%s -I rhost=192.0.2.10 %s root %s 2>&1 || true",
	    tty, service, stage);
	TEST_RUN(&r, "/usr/bin/unshare", "-m", "sh", "-c", script.ptr, "sh",
		 root);
	if (strstr(hc_buf_cstr(&r.out), "successfully authenticated") ||
	    strstr(hc_buf_cstr(&r.out), "account management done"))
		ok = true;
	else if (!strstr(hc_buf_cstr(&r.out), "Authentication failure") &&
		 !strstr(hc_buf_cstr(&r.out), "Permission denied"))
		ck_abort_msg("pamtester said: %s%s", hc_buf_cstr(&r.out),
			     hc_buf_cstr(&r.err));
	hc_buf_release(&script);
	test_run_release(&r);
	return ok;
}

static bool pam_allows(const char *root, const char *tty, const char *stage)
{
	return pam_service_allows(root, "login", tty, stage);
}

/* A login stack with pam_securetty (RHEL 5's line) and pam_access, or not. */
static void write_login(bool with_modules)
{
	test_write(root_dir, "/etc/pam.d/login",
		   with_modules
		       ? "auth [user_unknown=ignore success=ok ignore=ignore "
			 "default=bad] pam_securetty.so\n"
			 "auth       required     pam_permit.so\n"
			 "account    required     pam_access.so\n"
			 "account    required     pam_permit.so\n"
		       : "auth       required     pam_permit.so\n"
			 "account    required     pam_permit.so\n",
		   0644);
}

START_TEST(test_param_reader_securetty__na_unless_pam_reads_it)
{
	const char *skip = test_oracle(pam_skip());

	test_write(root_dir, "/etc/securetty", "console\ntty1\nttyS1\n", 0644);
	write_login(false);
	HARDCTL("--root", root_dir, "check", "--rule", "root-access.securetty");
	ck_assert_int_eq(run.status, 0);
	assert_contains(hc_buf_cstr(&run.out), "N/A ");
	assert_contains(hc_buf_cstr(&run.out),
			"pam_securetty is in no PAM stack");
	assert_lacks(run.out.ptr, "PASS");
	if (!skip) /* Nothing reads the file: root logs in on any terminal. */
		ck_assert(pam_allows(root_dir, "pts/3", "authenticate"));

	write_login(true);
	HARDCTL("--root", root_dir, "check", "--rule", "root-access.securetty");
	ck_assert_int_eq(run.status, 1);
	assert_contains(hc_buf_cstr(&run.out), "/etc/securetty:3: ttyS1");
	/*
	 * Read now: pts/3 refused, ttyS1 (listed) let in.  (Not ttyS0:
	 * pam_securetty also lets in the kernel's console, console=.)
	 */
	if (!skip) {
		ck_assert(!pam_allows(root_dir, "pts/3", "authenticate"));
		ck_assert(pam_allows(root_dir, "ttyS1", "authenticate"));
	}
	HARDCTL("--root", root_dir, "apply", "--rule", "root-access.securetty");
	ck_assert_int_eq(run.status, 0);
	if (!skip)
		ck_assert(!pam_allows(root_dir, "ttyS1", "authenticate"));

	/* Read, and missing: PAM lets root in everywhere; apply writes it. */
	test_rmtree(root_dir);
	free(root_dir);
	root_dir = test_root("debian12");
	write_login(true);
	HARDCTL("--root", root_dir, "check", "--rule", "root-access.securetty");
	ck_assert_int_eq(run.status, 1);
	assert_contains(hc_buf_cstr(&run.out),
			"pam_securetty lets root in on every terminal");
	if (!skip)
		ck_assert(pam_allows(root_dir, "pts/3", "authenticate"));
	HARDCTL("--root", root_dir, "apply", "--rule", "root-access.securetty");
	ck_assert_int_eq(run.status, 0);
	if (!skip)
		ck_assert(!pam_allows(root_dir, "pts/3", "authenticate"));
	if (skip)
		fprintf(stderr, "pamtester part skipped: %s\n", skip);
}
END_TEST

START_TEST(test_param_reader_access_conf__na_unless_pam_reads_it)
{
	const char *skip = test_oracle(pam_skip());

	test_write(root_dir, "/etc/security/access.conf",
		   "-:root:ALL EXCEPT LOCAL\n", 0644);
	write_login(false);
	HARDCTL("--root", root_dir, "check", "--rule",
		"root-access.access-conf");
	ck_assert_int_eq(run.status, 0);
	assert_contains(hc_buf_cstr(&run.out), "N/A ");
	assert_contains(hc_buf_cstr(&run.out),
			"/etc/security/access.conf has no effect");
	assert_lacks(run.out.ptr, "PASS");
	if (!skip) /* Nothing reads the file: root from the network gets in. */
		ck_assert(pam_allows(root_dir, "ssh", "acct_mgmt"));

	write_login(true);
	HARDCTL("--root", root_dir, "check", "--rule",
		"root-access.access-conf");
	ck_assert_int_eq(run.status, 0);
	assert_contains(hc_buf_cstr(&run.out), "PASS");
	if (!skip)
		ck_assert(!pam_allows(root_dir, "ssh", "acct_mgmt"));
	if (skip)
		fprintf(stderr, "pamtester part skipped: %s\n", skip);
}
END_TEST

/*
 * pam_access in sshd's stack only (a file sshd's includes, not
 * login's): access.conf is read for every ssh login, so the rule judges
 * it, never N/A.
 */
START_TEST(test_param_reader_access_conf__read_by_another_service)
{
	const char *skip = test_oracle(pam_skip());

	write_login(false);
	test_write(root_dir, "/etc/pam.d/sshd",
		   "auth       required     pam_permit.so\n"
		   "account    required     pam_permit.so\n"
		   "@include sshd-access\n",
		   0644);
	test_write(root_dir, "/etc/pam.d/sshd-access",
		   "account required pam_access.so\n", 0644);
	test_write(root_dir, "/etc/security/access.conf", "+:root:ALL\n", 0644);
	HARDCTL("--root", root_dir, "check", "--rule",
		"root-access.access-conf");
	ck_assert_int_eq(run.status, 1);
	assert_contains(hc_buf_cstr(&run.out),
			"an entry letting root in from the network");
	assert_contains(
	    hc_buf_cstr(&run.out),
	    "pam_access is in the PAM stack of /etc/pam.d/sshd-access");
	assert_lacks(run.out.ptr, "N/A");
	if (!skip) /* Read for ssh: root from the network gets in. */
		ck_assert(
		    pam_service_allows(root_dir, "sshd", "ssh", "acct_mgmt"));

	HARDCTL("--root", root_dir, "apply", "--rule",
		"root-access.access-conf");
	ck_assert_msg(run.status == 0, "%s%s", run.out.ptr,
		      hc_buf_cstr(&run.err));
	HARDCTL("--root", root_dir, "check", "--rule",
		"root-access.access-conf");
	ck_assert_int_eq(run.status, 0);
	if (!skip)
		ck_assert(
		    !pam_service_allows(root_dir, "sshd", "ssh", "acct_mgmt"));
	if (skip)
		fprintf(stderr, "pamtester part skipped: %s\n", skip);
}
END_TEST

/*
 * pam_access told to read another file (accessfile=), or to split
 * access.conf at other separators (fieldsep=, listsep=), does not read
 * the entry this rule judges: FAIL at the PAM line, though access.conf
 * denies root; apply removes the argument, and pam_access denies root.
 */
START_TEST(test_param_reader_access_conf__other_file_or_separators_fail)
{
	const char *skip = test_oracle(pam_skip());
	char *text;

	test_write(root_dir, "/etc/security/access.conf",
		   "-:root:ALL EXCEPT LOCAL\n", 0644);
	test_write(root_dir, "/etc/security/root-ok.conf", "+:root:ALL\n",
		   0644);
	test_write(root_dir, "/etc/pam.d/login",
		   "auth       required     pam_permit.so\n"
		   "account    required     pam_access.so "
		   "accessfile=/etc/security/root-ok.conf\n"
		   "account    required     pam_permit.so\n",
		   0644);
	HARDCTL("--root", root_dir, "check", "--rule",
		"root-access.access-conf");
	ck_assert_int_eq(run.status, 1);
	assert_contains(hc_buf_cstr(&run.out),
			"/etc/pam.d/login:2: pam_access "
			"accessfile=/etc/security/root-ok.conf");
	if (!skip)
		ck_assert(pam_allows(root_dir, "ssh", "acct_mgmt"));
	HARDCTL("--root", root_dir, "apply", "--rule",
		"root-access.access-conf");
	ck_assert_msg(run.status == 0, "%s", hc_buf_cstr(&run.err));
	text = test_read(root_dir, "/etc/pam.d/login");
	assert_contains(text, "pam_access.so\n");
	free(text);
	HARDCTL("--root", root_dir, "check", "--rule",
		"root-access.access-conf");
	ck_assert_int_eq(run.status, 0);
	if (!skip)
		ck_assert(!pam_allows(root_dir, "ssh", "acct_mgmt"));

	test_write(root_dir, "/etc/pam.d/login",
		   "auth       required     pam_permit.so\n"
		   "account    required     pam_access.so listsep=;\n"
		   "account    required     pam_permit.so\n",
		   0644);
	HARDCTL("--root", root_dir, "check", "--rule",
		"root-access.access-conf");
	ck_assert_int_eq(run.status, 1);
	assert_contains(hc_buf_cstr(&run.out),
			"/etc/pam.d/login:2: pam_access listsep=;");

	/* libpam hands the module "[accessfile=X]" as "accessfile=X". */
	test_write(root_dir, "/etc/pam.d/login",
		   "auth       required     pam_permit.so\n"
		   "account    required     pam_access.so "
		   "[accessfile=/etc/security/root-ok.conf]\n"
		   "account    required     pam_permit.so\n",
		   0644);
	HARDCTL("--root", root_dir, "check", "--rule",
		"root-access.access-conf");
	ck_assert_int_eq(run.status, 1);
	assert_contains(hc_buf_cstr(&run.out),
			"/etc/pam.d/login:2: pam_access accessfile=");
	if (!skip)
		ck_assert(pam_allows(root_dir, "ssh", "acct_mgmt"));
	if (skip)
		fprintf(stderr, "pamtester part skipped: %s\n", skip);
}
END_TEST

/* explain says when each rule is N/A. */
START_TEST(test_param_reader_explain__says_when_na)
{
	HARDCTL("explain", "root-access.securetty");
	ck_assert_int_eq(run.status, 0);
	assert_contains(hc_buf_cstr(&run.out),
			"N/A where pam_securetty is in no PAM stack");
	HARDCTL("explain", "root-access.access-conf");
	ck_assert_int_eq(run.status, 0);
	assert_contains(hc_buf_cstr(&run.out), "N/A where it is in none");
}
END_TEST

Suite *param_reader_suite(void)
{
	Suite *s = suite_create("param_reader");
	TCase *tc = tcase_create("param_reader");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_param_reader_encrypt_method__refused_at_load);
	tcase_add_test(tc, test_param_reader_tailoring__judged_too);
	tcase_add_test(tc, test_param_reader_values__each_kind_refused_at_load);
	tcase_add_test(
	    tc, test_param_reader_params__every_one_validated_defaults_pass);
	tcase_add_test(tc, test_param_reader_shipped__profiles_load);
	tcase_add_test(tc, test_param_reader_bool__stored_as_yes_or_no);
	tcase_add_test(
	    tc, test_param_reader_banner__lens_renders_marker_bytes_as_nothing);
	tcase_add_test(tc, test_param_reader_banner__text_refused_at_load);
	tcase_add_test(
	    tc, test_param_reader_engine__rendered_empty_is_never_a_pass);
	tcase_add_test(tc, test_param_reader_securetty__na_unless_pam_reads_it);
	tcase_add_test(tc,
		       test_param_reader_access_conf__na_unless_pam_reads_it);
	tcase_add_test(tc,
		       test_param_reader_access_conf__read_by_another_service);
	tcase_add_test(
	    tc, test_param_reader_access_conf__other_file_or_separators_fail);
	tcase_add_test(tc, test_param_reader_explain__says_when_na);
	suite_add_tcase(s, tc);
	return s;
}
