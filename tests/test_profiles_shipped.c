/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The shipped profiles (service-console, linux-server) and the host's
 * site tailoring, run as a user runs hardctl, on temporary roots.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "hardctl/hash.h"
#include "test.h"

static char *root_dir, *site_dir;
static struct test_run run;

static void setup_root(const char *fixture)
{
	root_dir = test_root(fixture);
	site_dir = test_mkdtemp();
	memset(&run, 0, sizeof(run));
	/* Each test says which site tailoring it means. */
	unsetenv("HARDCTL_SITE_TAILORING");
}

static void setup(void)
{
	setup_root("debian12");
}

static void setup_redhat(void)
{
	setup_root("redhat");
}

static void teardown(void)
{
	test_run_release(&run);
	test_rmtree(root_dir);
	test_rmtree(site_dir);
	free(root_dir);
	free(site_dir);
}

#define HARDCTL(...) TEST_HARDCTL(&run, __VA_ARGS__)

/* SITE_DIR/NAME (static storage, one at a time per NAME's slot). */
static const char *site_path(const char *name)
{
	static char paths[4][4096];
	static unsigned int next;
	char *p = paths[next++ % 4];

	snprintf(p, sizeof(paths[0]), "%s/%s", site_dir, name);
	return p;
}

/* The hex SHA-256 of FILE's bytes. */
static void file_sha(char hex[HC_SHA256_HEXLEN + 1], const char *file)
{
	char *text = test_read("", file);
	struct hc_sha256 sha;

	ck_assert_ptr_nonnull(text);
	ck_assert_int_eq(hc_sha256(&sha, text, strlen(text)), 0);
	hc_sha256_hex(hex, &sha);
	free(text);
}

static const char site_text[] = "[tailoring]\n"
				"name = site\n"
				"version = 7\n"
				"\n"
				"[password.max-days]\n"
				"days = 45\n"
				"\n"
				"[password.shadow-aging]\n"
				"max-days = 45\n";

/* Write the usual site tailoring and set HARDCTL_SITE_TAILORING to it. */
static const char *use_site(void)
{
	const char *path = site_path("tailoring.conf");

	test_write(site_dir, "/tailoring.conf", site_text, 0644);
	setenv("HARDCTL_SITE_TAILORING", path, 1);
	return path;
}

START_TEST(test_profiles_shipped_site__read_and_shown)
{
	const char *path = use_site();
	char hex[HC_SHA256_HEXLEN + 1], line[8192];

	file_sha(hex, path);
	snprintf(line, sizeof(line),
		 "\ntailoring %s (site default), sha256 %s\n", path, hex);
	HARDCTL("--root", root_dir, "check");
	ck_assert_int_eq(run.status, 1);
	assert_contains(run.out.ptr, "expected PASS_MAX_DAYS at most 45");
	assert_contains(run.out.ptr, "tailored by site 7, sha256 ");
	assert_contains(run.out.ptr, line);

	HARDCTL("--root", root_dir, "check", "--format", "json");
	ck_assert_int_eq(run.status, 1);
	assert_contains(run.out.ptr, "\"tailoring\":\"site 7\"");
	assert_contains(run.out.ptr, "\"site_tailoring\":true");
	assert_contains(run.out.ptr, hex);

	/* A site file that sets a secret: no digest of its bytes. */
	test_write(site_dir, "/tailoring.conf",
		   "[tailoring]\nname = site\nversion = 8\n"
		   "[snmp.community]\ncommunity = Zq8vT3mWc1LpX9rKd2YhB6nF\n",
		   0600);
	snprintf(line, sizeof(line),
		 "\ntailoring %s (site default), sha256 withheld (sets a "
		 "secret)\n",
		 path);
	HARDCTL("--root", root_dir, "check");
	ck_assert_int_eq(run.status, 1);
	assert_contains(run.out.ptr, line);
	assert_lacks(run.out.ptr, "Zq8vT3mWc1LpX9rKd2YhB6nF");
}
END_TEST

/* Without a tailoring, no tailoring line, and JSON says false. */
START_TEST(test_profiles_shipped_site__absent_is_silent)
{
	setenv("HARDCTL_SITE_TAILORING", site_path("none-here.conf"), 1);
	HARDCTL("--root", root_dir, "check");
	ck_assert_int_eq(run.status, 1);
	ck_assert_str_eq(run.err.ptr, "");
	assert_contains(run.out.ptr, "expected PASS_MAX_DAYS at most 60");
	assert_lacks(run.out.ptr, "\ntailoring ");
	HARDCTL("--root", root_dir, "check", "--format", "json");
	assert_contains(run.out.ptr, "\"tailoring\":null");
	assert_contains(run.out.ptr, "\"site_tailoring\":false");
}
END_TEST

/*
 * The image's own /etc/hardctl/tailoring.conf waives everything: it is
 * not the host's, and has no effect.
 */
START_TEST(test_profiles_shipped_site__never_from_root)
{
	static const char waive_all[] =
	    "[tailoring]\nname = image\nversion = 1\n"
	    "[password.max-days]\nenabled = no\n"
	    "[root-access.sshd-permit-root-login]\n"
	    "waiver = the image says so\nwaiver-approver = nobody\n"
	    "waiver-expires = 2999-12-31\n";
	const char *path = use_site();

	test_write(root_dir, "/etc/hardctl/tailoring.conf", waive_all, 0644);
	HARDCTL("--root", root_dir, "check");
	ck_assert_int_eq(run.status, 1);
	assert_contains(run.out.ptr, "expected PASS_MAX_DAYS at most 45");
	assert_lacks(run.out.ptr, "WAIVED ");
	assert_lacks(run.out.ptr, "image");
	assert_contains(run.out.ptr, path);

	/* The host's default path, whatever this host has there. */
	unsetenv("HARDCTL_SITE_TAILORING");
	HARDCTL("--root", root_dir, "check");
	ck_assert_int_eq(run.status, 1);
	assert_lacks(run.out.ptr, "WAIVED ");
	assert_lacks(run.out.ptr, "image 1");
	assert_contains(run.out.ptr, "root-access.sshd-permit-root-login");
}
END_TEST

START_TEST(test_profiles_shipped_site__none_ignores_it)
{
	use_site();
	HARDCTL("--root", root_dir, "check", "--tailoring", "none");
	ck_assert_int_eq(run.status, 1);
	assert_contains(run.out.ptr, "expected PASS_MAX_DAYS at most 60");
	assert_lacks(run.out.ptr, "tailored by");
	assert_lacks(run.out.ptr, "\ntailoring ");
	HARDCTL("--root", root_dir, "check", "--tailoring", "none", "--format",
		"json");
	assert_contains(run.out.ptr, "\"site_tailoring\":false");
	assert_contains(run.out.ptr, "\"tailoring\":null");
	/* list and explain take it too. */
	HARDCTL("explain", "password.max-days", "--tailoring", "none");
	ck_assert_int_eq(run.status, 0);
	assert_contains(run.out.ptr, "days = 60");
	HARDCTL("explain", "password.max-days");
	ck_assert_int_eq(run.status, 0);
	assert_contains(run.out.ptr, "days = 45");
}
END_TEST

START_TEST(test_profiles_shipped_site__file_replaces_it)
{
	static const char other[] = "[tailoring]\nname = other\nversion = 2\n"
				    "[password.max-days]\ndays = 30\n"
				    "[password.shadow-aging]\nmax-days = 30\n";
	const char *path = site_path("other.conf");
	char hex[HC_SHA256_HEXLEN + 1], line[8192];

	use_site();
	test_write(site_dir, "/other.conf", other, 0644);
	file_sha(hex, path);
	snprintf(line, sizeof(line), "\ntailoring %s, sha256 %s\n", path, hex);
	HARDCTL("--root", root_dir, "check", "--tailoring", path);
	ck_assert_int_eq(run.status, 1);
	assert_contains(run.out.ptr, "expected PASS_MAX_DAYS at most 30");
	assert_contains(run.out.ptr, "tailored by other 2");
	assert_contains(run.out.ptr, line);
	assert_lacks(run.out.ptr, "site 7");
	assert_lacks(run.out.ptr, "(site default)");
	HARDCTL("--root", root_dir, "check", "--tailoring", path, "--format",
		"json");
	assert_contains(run.out.ptr, "\"site_tailoring\":false");
	assert_contains(run.out.ptr, "\"tailoring\":\"other 2\"");
}
END_TEST

START_TEST(test_profiles_shipped_site__broken_is_exit_2_at_its_line)
{
	const char *path = site_path("tailoring.conf");
	char where[4200];

	test_write(site_dir, "/tailoring.conf",
		   "[tailoring]\nname = site\nversion = 1\n"
		   "[password.max-days]\ndays = soon\n",
		   0644);
	setenv("HARDCTL_SITE_TAILORING", path, 1);
	snprintf(where, sizeof(where), "%s:5: ", path);
	HARDCTL("--root", root_dir, "check");
	ck_assert_int_eq(run.status, 2);
	assert_contains(run.err.ptr, where);
	assert_contains(run.err.ptr, "soon");
	ck_assert_str_eq(run.out.ptr, "");
	/* apply changes nothing. */
	{
		char *before = test_snapshot(root_dir), *after;

		HARDCTL("--root", root_dir, "apply");
		ck_assert_int_eq(run.status, 2);
		assert_contains(run.err.ptr, where);
		after = test_snapshot(root_dir);
		ck_assert_str_eq(before, after);
		free(before);
		free(after);
	}
	/* A file that is not a tailoring at all. */
	test_write(site_dir, "/tailoring.conf", "days = 45\n", 0644);
	HARDCTL("--root", root_dir, "check");
	ck_assert_int_eq(run.status, 2);
	assert_contains(run.err.ptr, path);
	assert_contains(run.err.ptr, "--tailoring none");
	/* --tailoring none is the way out. */
	HARDCTL("--root", root_dir, "check", "--tailoring", "none");
	ck_assert_int_eq(run.status, 1);

	/*
	 * A rollback whose guards need the profile (a file edited since
	 * apply) would stop there too: none is the way out for it as well.
	 */
	HARDCTL("--root", root_dir, "apply", "--tailoring", "none");
	ck_assert_int_eq(run.status, 0);
	test_replace(root_dir, "/etc/ssh/sshd_config", "# This is the sshd",
		     "# edited since\n# This is the sshd");
	HARDCTL("--root", root_dir, "rollback", "--dry-run");
	ck_assert_int_eq(run.status, 2);
	assert_contains(run.err.ptr, path);
	HARDCTL("--root", root_dir, "rollback", "--tailoring", "none");
	ck_assert_int_eq(run.status, 0);
	{
		char *sshd = test_read(root_dir, "/etc/ssh/sshd_config");

		assert_contains(sshd, "# edited since\n");
		assert_lacks(sshd, "PermitRootLogin no");
		free(sshd);
	}
}
END_TEST

/* The site default is trusted as --tailoring is: what others control is not. */
START_TEST(test_profiles_shipped_site__refused_when_others_control_it)
{
	const char *path = use_site();
	char target[4200];

	ck_assert_int_eq(chmod(path, 0666), 0);
	HARDCTL("--root", root_dir, "check");
	ck_assert_int_eq(run.status, 5);
	assert_contains(run.err.ptr, "writable by group or others");
	assert_contains(run.err.ptr, path);

	/* A link to a file another user owns. */
	ck_assert_int_eq(chmod(path, 0644), 0);
	ck_assert_int_eq(chown(path, 65534, 65534), 0);
	snprintf(target, sizeof(target), "%s", path);
	ck_assert_int_eq(symlink(target, site_path("link.conf")), 0);
	setenv("HARDCTL_SITE_TAILORING", site_path("link.conf"), 1);
	HARDCTL("--root", root_dir, "check");
	ck_assert_int_eq(run.status, 5);
	assert_contains(run.err.ptr, "owned by uid 65534");

	/* A directory where the file should be. */
	test_mkdirs(site_dir, "/dir.conf");
	setenv("HARDCTL_SITE_TAILORING", site_path("dir.conf"), 1);
	HARDCTL("--root", root_dir, "check");
	ck_assert_int_ne(run.status, 0);
	ck_assert_int_ne(run.status, 1);
	assert_contains(run.err.ptr, "dir.conf");
}
END_TEST

/* Every command that loads a profile takes the same tailoring. */
START_TEST(test_profiles_shipped_site__every_command_and_the_store)
{
	static const char drop[] = "[tailoring]\nname = site\nversion = 3\n"
				   "[snmp.community]\nenabled = no\n";

	test_write(site_dir, "/tailoring.conf", drop, 0644);
	setenv("HARDCTL_SITE_TAILORING", site_path("tailoring.conf"), 1);
	HARDCTL("list");
	ck_assert_int_eq(run.status, 0);
	assert_lacks(run.out.ptr, "snmp.community");
	HARDCTL("--root", root_dir, "diff");
	ck_assert_int_eq(run.status, 0);
	assert_lacks(run.out.ptr, "snmpd.conf");
	HARDCTL("--root", root_dir, "apply");
	ck_assert_int_eq(run.status, 0);
	HARDCTL("--root", root_dir, "log");
	ck_assert_int_eq(run.status, 0);
	assert_contains(run.out.ptr, "tailored by site 3");
	HARDCTL("--root", root_dir, "rollback", "--rule", "password.max-days",
		"--dry-run");
	ck_assert_int_eq(run.status, 0);
	/* A rule the site dropped is not in the profile rollback loads. */
	HARDCTL("--root", root_dir, "rollback", "--rule", "snmp.community",
		"--dry-run");
	ck_assert_int_eq(run.status, 2);
}
END_TEST

/* The rules a profile lists: ids, one a line, from "list". */
static size_t count_rules(const char *out)
{
	size_t n = 0;

	for (const char *p = strchr(out, '\n'); p && p[1];
	     p = strchr(p + 1, '\n'))
		n++;
	return n;
}

START_TEST(test_profiles_shipped_service_console__keeps_every_rule)
{
	HARDCTL("list");
	ck_assert_int_eq(run.status, 0);
	assert_contains(run.out.ptr, "profile service-console 1: 31 rules\n");
	ck_assert_uint_eq(count_rules(run.out.ptr), 31);
	assert_contains(run.out.ptr, "vmx.copy-paste");
	assert_contains(run.out.ptr, "vmx.unused-devices");
	assert_contains(run.out.ptr, "vmx.log-rotation");
}
END_TEST

START_TEST(test_profiles_shipped_linux_server__lists_no_vmx_rule)
{
	HARDCTL("list", "-p", "linux-server");
	ck_assert_int_eq(run.status, 0);
	assert_contains(run.out.ptr, "profile linux-server 1: 28 rules\n");
	ck_assert_uint_eq(count_rules(run.out.ptr), 28);
	assert_lacks(run.out.ptr, "vmx.");
	assert_contains(run.out.ptr, "password.quality");
	HARDCTL("explain", "password.quality", "-p", "linux-server");
	ck_assert_int_eq(run.status, 0);
	assert_contains(run.out.ptr, "minlen = 14");
	assert_contains(run.out.ptr, "difok = 2");
	HARDCTL("explain", "vmx.copy-paste", "-p", "linux-server");
	ck_assert_int_eq(run.status, 0); /* explain knows every rule */
}
END_TEST

/* check, apply, check: apply fixes what it says it fixes. */
START_TEST(test_profiles_shipped_linux_server__debian12_apply_then_check)
{
	HARDCTL("--root", root_dir, "check", "-p", "linux-server");
	ck_assert_int_eq(run.status, 1);
	assert_lacks(run.out.ptr, "vmx.");
	assert_contains(run.out.ptr, "PASS_MAX_DAYS 99999; expected "
				     "PASS_MAX_DAYS at most 365");
	assert_contains(run.out.ptr, "expected minlen at least 14");
	assert_contains(run.out.ptr, "expected difok at least 2");
	assert_contains(run.out.ptr, "expected remember=24 or more");
	assert_contains(run.out.ptr, "28 rules: ");
	assert_contains(run.out.ptr, "profile linux-server 1, sha256 ");

	HARDCTL("--root", root_dir, "apply", "-p", "linux-server");
	ck_assert_int_eq(run.status, 0);
	assert_contains(run.out.ptr, "password.quality");
	{
		char *defs = test_read(root_dir, "/etc/login.defs");

		assert_contains(defs, "\nPASS_MAX_DAYS\t365\n");
		free(defs);
	}

	HARDCTL("--root", root_dir, "check", "-p", "linux-server");
	/* Only the report-only firewall rule still fails. */
	ck_assert_int_eq(run.status, 1);
	assert_contains(run.out.ptr, "28 rules: ");
	assert_contains(run.out.ptr, " 1 fail, 0 drifted");
	assert_contains(run.out.ptr, "FAIL    CAT II   firewall.enabled");
	HARDCTL("--root", root_dir, "check", "-p", "linux-server", "--rule",
		"password.quality", "--rule", "password.unix-stack", "--rule",
		"password.max-days", "--rule", "network.rp-filter");
	ck_assert_int_eq(run.status, 0);
}
END_TEST

/*
 * linux-server extends service-console: a value changed there shows in
 * linux-server, unless linux-server sets it itself.
 */
START_TEST(test_profiles_shipped_linux_server__extends_service_console)
{
	char *sc = test_read(test_profile_dir(), "/service-console.conf");
	char *ls = test_read(test_profile_dir(), "/linux-server.conf");
	char *banner = test_read(test_profile_dir(), "/warning-banner.txt");
	const char *path = site_path("linux-server.conf");

	ck_assert_ptr_nonnull(ls);
	test_write(site_dir, "/linux-server.conf", ls, 0644);
	test_write(site_dir, "/warning-banner.txt", banner, 0644);
	test_write(site_dir, "/service-console.conf", sc, 0644);
	test_replace(site_dir, "/service-console.conf", "ttys = console tty1",
		     "ttys = console ttyS0");
	test_replace(site_dir, "/service-console.conf",
		     "[password.max-days]\ndays = 60",
		     "[password.max-days]\ndays = 50");
	HARDCTL("explain", "root-access.securetty", "-p", path);
	ck_assert_int_eq(run.status, 0);
	assert_contains(run.out.ptr, "ttys = console ttyS0");
	HARDCTL("explain", "password.max-days", "-p", path);
	ck_assert_int_eq(run.status, 0);
	assert_contains(run.out.ptr, "days = 365");
	free(sc);
	free(ls);
	free(banner);
}
END_TEST

/* "drop" leaves out rules of the base; a wrong id is an error at its line. */
START_TEST(test_profiles_shipped_drop__errors_name_file_and_line)
{
	static const struct {
		const char *text, *message;
	} cases[] = {
	    {"[profile]\nname = x\nversion = 1\nextends = stig-cat1\n"
	     "drop = snmp.community banner.issue\n",
	     "banner.issue"},
	    {"[profile]\nname = x\nversion = 1\nextends = service-console\n"
	     "drop = vmx.copy-paste no.such-rule\n",
	     "no.such-rule"},
	    {"[profile]\nname = x\nversion = 1\n"
	     "drop = vmx.copy-paste\n",
	     "extends"},
	    {"[profile]\nname = x\nversion = 1\nextends = service-console\n"
	     "drop = vmx.copy-paste vmx.copy-paste\n",
	     "twice"},
	};
	static const unsigned int lines[] = {5, 5, 4, 5};
	const char *path = site_path("x.conf");

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char where[4200];

		test_write(site_dir, "/x.conf", cases[i].text, 0644);
		snprintf(where, sizeof(where), "%s:%u: ", path, lines[i]);
		HARDCTL("list", "-p", path);
		ck_assert_int_eq(run.status, 2);
		assert_contains(run.err.ptr, where);
		assert_contains(run.err.ptr, cases[i].message);
	}
	/* A dropped rule given a section too says which wins: neither. */
	test_write(
	    site_dir, "/x.conf",
	    "[profile]\nname = x\nversion = 1\nextends = service-console\n"
	    "drop = vmx.copy-paste\n\n[vmx.copy-paste]\n",
	    0644);
	HARDCTL("list", "-p", path);
	ck_assert_int_eq(run.status, 2);
	assert_contains(run.err.ptr, "x.conf:7: ");
	/* A good one. */
	test_write(
	    site_dir, "/x.conf",
	    "[profile]\nname = x\nversion = 1\nextends = service-console\n"
	    "drop = vmx.copy-paste\tsnmp.community\n",
	    0644);
	HARDCTL("list", "-p", path);
	ck_assert_int_eq(run.status, 0);
	assert_contains(run.out.ptr, "profile x 1: 29 rules\n");
	assert_lacks(run.out.ptr, "vmx.copy-paste");
	assert_lacks(run.out.ptr, "snmp.community");
	/* A tailoring may add back what its profile dropped. */
	test_write(site_dir, "/t.conf",
		   "[tailoring]\nname = t\nversion = 1\n[vmx.copy-paste]\n",
		   0644);
	HARDCTL("list", "-p", "linux-server", "--tailoring",
		site_path("t.conf"));
	ck_assert_int_eq(run.status, 0);
	assert_contains(run.out.ptr, "vmx.copy-paste");
}
END_TEST

/*
 * A Red Hat-style root (tests/fixtures/redhat): login.defs of
 * shadow-utils, PAM stacks authselect owns, sshd_config including
 * sshd_config.d with 50-redhat.conf.
 */
START_TEST(test_profiles_shipped_linux_server__redhat_check)
{
	HARDCTL("--root", root_dir, "check", "-p", "linux-server");
	ck_assert_int_eq(run.status, 1);
	assert_lacks(run.out.ptr, "vmx.");
	assert_contains(run.out.ptr, "28 rules: ");
	assert_contains(run.out.ptr, "/etc/login.defs:19: PASS_MAX_DAYS 99999; "
				     "expected PASS_MAX_DAYS at most 365");
	assert_contains(
	    run.out.ptr,
	    "/etc/pam.d/system-auth:19: minlen not set (pam_pwquality "
	    "default 8); expected minlen at least 14");
	assert_contains(run.out.ptr, "/etc/pam.d/password-auth:19: difok not "
				     "set (pam_pwquality default 1); expected "
				     "difok at least 2");
	assert_contains(run.out.ptr, "/etc/pam.d/system-auth:8: nullok; "
				     "expected pam_unix without nullok");
	assert_contains(run.out.ptr, "/etc/pam.d/system-auth:20: no password "
				     "history (remember); expected remember=24 "
				     "or more");
	/* authpriv.* goes to /var/log/secure: that is a local file. */
	assert_contains(run.out.ptr, "PASS    CAT II   syslog.auth-local");
	/* yescrypt on pam_unix's line, SHA512 in login.defs: both strong. */
	assert_contains(run.out.ptr,
			"PASS    CAT II   password.encrypt-method");
	assert_contains(run.out.ptr,
			"/etc/ssh/sshd_config: PermitRootLogin not "
			"set (sshd default: prohibit-password)");

	/* service-console reads the same root, with its own values. */
	HARDCTL("--root", root_dir, "check");
	ck_assert_int_eq(run.status, 1);
	assert_contains(run.out.ptr, "31 rules: ");
	assert_contains(run.out.ptr, "expected PASS_MAX_DAYS at most 60");
	assert_contains(run.out.ptr, "expected minlen at least 15");
}
END_TEST

START_TEST(test_profiles_shipped_linux_server__redhat_diff)
{
	char *before = test_snapshot(root_dir), *after;

	/* sshd_config includes sshd_config.d first: a drop-in there wins. */
	HARDCTL("--root", root_dir, "diff", "-p", "linux-server", "--rule",
		"root-access.sshd-permit-root-login", "--rule",
		"password.max-days", "--rule", "password.quality");
	ck_assert_int_eq(run.status, 0);
	assert_contains(run.out.ptr,
			"+++ b/etc/ssh/sshd_config.d/00-hardctl.conf\n"
			"@@ -0,0 +1 @@\n+PermitRootLogin no\n");
	assert_contains(run.out.ptr, "-PASS_MAX_DAYS\t99999\n"
				     "+PASS_MAX_DAYS\t365\n");
	/* authselect owns the PAM lines: the limits go to pwquality.conf. */
	assert_contains(run.out.ptr, "+++ b/etc/security/pwquality.conf\n");
	assert_contains(run.out.ptr, "+minlen = 14\n");
	assert_contains(run.out.ptr, "+difok = 2\n");
	assert_lacks(run.out.ptr, "b/etc/authselect");
	assert_lacks(run.out.ptr, "b/etc/pam.d");

	/* nullok is authselect's to take out, and hardctl says how. */
	HARDCTL("--root", root_dir, "diff", "-p", "linux-server", "--rule",
		"password.no-nullok");
	ck_assert_int_eq(run.status, 5);
	assert_contains(run.err.ptr, "managed by authselect");
	assert_contains(run.err.ptr, "without-nullok");
	after = test_snapshot(root_dir);
	ck_assert_str_eq(before, after);
	free(before);
	free(after);
}
END_TEST

Suite *profiles_shipped_suite(void)
{
	Suite *s = suite_create("profiles_shipped");
	TCase *tc = tcase_create("site");
	TCase *profiles = tcase_create("profiles");
	TCase *redhat = tcase_create("redhat");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_profiles_shipped_site__read_and_shown);
	tcase_add_test(tc, test_profiles_shipped_site__absent_is_silent);
	tcase_add_test(tc, test_profiles_shipped_site__never_from_root);
	tcase_add_test(tc, test_profiles_shipped_site__none_ignores_it);
	tcase_add_test(tc, test_profiles_shipped_site__file_replaces_it);
	tcase_add_test(
	    tc, test_profiles_shipped_site__broken_is_exit_2_at_its_line);
	tcase_add_test(
	    tc, test_profiles_shipped_site__refused_when_others_control_it);
	tcase_add_test(tc,
		       test_profiles_shipped_site__every_command_and_the_store);
	suite_add_tcase(s, tc);

	tcase_add_checked_fixture(profiles, setup, teardown);
	tcase_set_timeout(profiles, 120);
	tcase_add_test(profiles,
		       test_profiles_shipped_service_console__keeps_every_rule);
	tcase_add_test(profiles,
		       test_profiles_shipped_linux_server__lists_no_vmx_rule);
	tcase_add_test(
	    profiles,
	    test_profiles_shipped_linux_server__debian12_apply_then_check);
	tcase_add_test(
	    profiles,
	    test_profiles_shipped_linux_server__extends_service_console);
	tcase_add_test(profiles,
		       test_profiles_shipped_drop__errors_name_file_and_line);
	suite_add_tcase(s, profiles);

	tcase_add_checked_fixture(redhat, setup_redhat, teardown);
	tcase_set_timeout(redhat, 120);
	tcase_add_test(redhat,
		       test_profiles_shipped_linux_server__redhat_check);
	tcase_add_test(redhat, test_profiles_shipped_linux_server__redhat_diff);
	suite_add_tcase(s, redhat);
	return s;
}
