/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * PAM stacks judged as libpam and pam_unix read them: nullok in any
 * service's stack or what it includes or substacks, and pam_unix's
 * hashing option.  What hardctl says is compared with pam_unix itself:
 * pamtester runs in a private mount namespace with a copy of /etc (the
 * host's libraries' files and security/, the root's pam.d and
 * login.defs, the test's accounts) bound over the host's (root and
 * unshare needed; skipped with the reason otherwise).  The host's own
 * /etc is never written.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "hardctl/buf.h"
#include "pam.h"
#include "test.h"

static char *root_dir;
static struct test_run run;

#define HARDCTL(...) TEST_HARDCTL(&run, "--root", root_dir, __VA_ARGS__)

static void setup_debian(void)
{
	root_dir = test_root("debian12");
	memset(&run, 0, sizeof(run));
}

/* A Red Hat 5 era root: system-auth as authconfig wrote it, services including
 * it. */
static void setup_redhat(void)
{
	root_dir = test_root(NULL);
	memset(&run, 0, sizeof(run));
	test_write(root_dir, "/etc/login.defs",
		   "MAIL_DIR\t/var/spool/"
		   "mail\nPASS_MAX_DAYS\t99999\nUID_MIN\t\t\t  500\n"
		   "ENCRYPT_METHOD MD5\n",
		   0644);
	test_write(
	    root_dir, "/etc/pam.d/system-auth",
	    "#%PAM-1.0\n"
	    "# This file is auto-generated.\n"
	    "# User changes will be destroyed the next time authconfig is "
	    "run.\n"
	    "auth        required      pam_env.so\n"
	    "auth        sufficient    pam_unix.so try_first_pass\n"
	    "auth        requisite     pam_succeed_if.so uid >= 500 quiet\n"
	    "auth        required      pam_deny.so\n"
	    "\n"
	    "account     required      pam_unix.so\n"
	    "\n"
	    "password    requisite     pam_cracklib.so try_first_pass retry=3\n"
	    "password    sufficient    pam_unix.so md5 shadow nullok "
	    "try_first_pass use_authtok\n"
	    "password    required      pam_deny.so\n"
	    "\n"
	    "session     required      pam_limits.so\n"
	    "session     required      pam_unix.so\n",
	    0644);
	test_write(root_dir, "/etc/pam.d/sshd",
		   "#%PAM-1.0\n"
		   "auth       include      sshd-local\n"
		   "account    required     pam_nologin.so\n"
		   "account    include      system-auth\n"
		   "password   include      system-auth\n"
		   "session    include      system-auth\n",
		   0644);
	/* A file only sshd includes, by its absolute path. */
	test_write(root_dir, "/etc/pam.d/sshd-local",
		   "auth       required     pam_env.so\n"
		   "AUTH       sufficient   pam_unix.so nullok try_first_pass\n"
		   "auth       required     pam_deny.so\n",
		   0644);
	test_replace(root_dir, "/etc/pam.d/sshd", "include      sshd-local",
		     "include      /etc/pam.d/sshd-local");
	test_write(root_dir, "/etc/pam.d/passwd",
		   "#%PAM-1.0\npassword   include      system-auth\n", 0644);
}

static void teardown(void)
{
	test_run_release(&run);
	test_rmtree(root_dir);
	free(root_dir);
}

/* pamtester over a copy of /etc ------------------------------------------- */

static const char *pam_skip(void)
{
	if (geteuid() != 0)
		return "not root: cannot bind a copy of /etc in a mount "
		       "namespace";
	if (access("/usr/bin/pamtester", X_OK) != 0)
		return "no pamtester (apt-get install pamtester)";
	if (access("/usr/bin/unshare", X_OK) != 0)
		return "no unshare";
	if (access("/lib/x86_64-linux-gnu/security/pam_unix.so", R_OK) != 0 &&
	    access("/usr/lib/x86_64-linux-gnu/security/pam_unix.so", R_OK) != 0)
		return "no pam_unix.so where Debian keeps it";
	return NULL;
}

static const char passwd[] = "root:x:0:0:root:/root:/bin/bash\n"
			     "empty:x:2000:2000::/home/empty:/bin/bash\n";
static const char group[] = "root:x:0:\nempty:x:2000:\n";

/*
 * A directory whose etc/ holds what libpam and pam_unix read: the
 * host's ld.so.cache, nsswitch.conf and security/, ROOT's pam.d,
 * pam-local/ and login.defs, our passwd and group, and SHADOW.  Caller
 * removes it.
 */
static char *pam_etc(const char *root, const char *shadow)
{
	char *dir = test_mkdtemp(), cmd[8192];

	test_mkdirs(dir, "/etc");
	snprintf(cmd, sizeof(cmd),
		 "cp -a /etc/ld.so.cache /etc/nsswitch.conf /etc/security "
		 "'%s/etc/' && "
		 "cp -a '%s/etc/pam.d' '%s/etc/' && "
		 "{ ! [ -e '%s/etc/login.defs' ] || cp '%s/etc/login.defs' "
		 "'%s/etc/'; } && "
		 "{ ! [ -e '%s/etc/pam-local' ] || cp -a '%s/etc/pam-local' "
		 "'%s/etc/'; }",
		 dir, root, dir, root, root, dir, root, root, dir);
	ck_assert_int_eq(system(cmd), 0);
	test_write(dir, "/etc/passwd", passwd, 0644);
	test_write(dir, "/etc/group", group, 0644);
	test_write(dir, "/etc/shadow", shadow, 0640);
	return dir;
}

/* pamtester SERVICE empty OP with DIR/etc as /etc, INPUT on its stdin; its
 * output. */
static char *pamtester(const char *dir, const char *service, const char *op,
		       const char *input)
{
	struct hc_buf script = HC_BUF_INIT;
	struct test_run r = {0};
	char *out;

	hc_buf_printf(&script,
		      "set -e; mount --bind \"$1/etc\" /etc; "
		      "printf '%s' | pamtester %s empty %s 2>&1 || true",
		      input, service, op);
	TEST_RUN(&r, "/usr/bin/unshare", "-m", "sh", "-c", script.ptr, "sh",
		 dir);
	out = strdup(hc_buf_cstr(&r.out));
	hc_buf_release(&script);
	test_run_release(&r);
	return out;
}

/* Whether pam_unix lets "empty", whose password field is empty, in through
 * SERVICE of ROOT. */
static bool empty_password_gets_in(const char *root, const char *service)
{
	char *dir = pam_etc(
	    root, "root:*:19700:0:99999:7:::\nempty::19700:0:99999:7:::\n");
	char *out = pamtester(dir, service, "authenticate", "");
	bool in = strstr(out, "successfully authenticated") != NULL;

	ck_assert_msg(in || strstr(out, "Authentication") != NULL,
		      "pamtester said: %s", out);
	free(out);
	test_rmtree(dir);
	free(dir);
	return in;
}

/* The first characters of the hash pam_unix writes when "empty" changes its
 * password through SERVICE. */
static char *hash_written(const char *root, const char *service)
{
	char *dir = pam_etc(root, "root:*:19700:0:99999:7:::\n"
				  "empty:$6$old$x:19700:0:99999:7:::\n");
	char *out = pamtester(dir, service, "chauthtok",
			      "Tr0ub4dor-x9q\\nTr0ub4dor-x9q\\n");
	char *shadow = test_read(dir, "/etc/shadow"), *hash, *end;

	assert_contains(out, "authentication token altered successfully");
	hash = strstr(shadow, "\nempty:");
	ck_assert_ptr_nonnull(hash);
	hash += strlen("\nempty:");
	end = strchr(hash, ':');
	ck_assert_ptr_nonnull(end);
	/* "$1$", "$6$", "$y$": the method; DES and bigcrypt have none. */
	hash = strndup(hash, hash[0] == '$'
				 ? (size_t)(strchr(hash + 1, '$') - hash + 1)
				 : 0);
	free(out);
	free(shadow);
	test_rmtree(dir);
	free(dir);
	return hash;
}

/* nullok ------------------------------------------------------------------ */

/*
 * Debian 12's sshd with its own pam_unix line (nullok_secure, which
 * pam_unix takes for nullok) jumping past its own lines over
 * common-auth's pam_unix and pam_deny, and login running common-auth through a
 * substack of a local file with nullok: pam_unix lets the empty password in
 * through both; check names both lines, apply removes them (the jump to the end
 * of sshd's own lines is kept), pam_unix then refuses, and rollback
 * restores the bytes.
 */
START_TEST(test_pam_reader_nullok__every_service_debian)
{
	const char *skip = test_oracle(pam_skip());
	char *before, *after, *text;

	/* Only the services' own lines: the shared stack without nullok. */
	test_replace(root_dir, "/etc/pam.d/common-auth", "pam_unix.so nullok",
		     "pam_unix.so");
	test_replace(
	    root_dir, "/etc/pam.d/sshd", "@include common-auth\n",
	    "auth [success=2 default=ignore] pam_unix.so nullok_secure\n"
	    "@include common-auth\n");
	test_replace(root_dir, "/etc/pam.d/login", "@include common-auth\n",
		     "auth substack login-local\n");
	test_write(root_dir, "/etc/pam.d/login-local",
		   "auth [success=1 default=ignore] pam_unix.so nullok\n"
		   "auth requisite pam_deny.so\n"
		   "auth required pam_permit.so\n",
		   0644);
	/* A backup no program runs as a service is not judged. */
	test_write(root_dir, "/etc/pam.d/sshd.dpkg-old",
		   "auth required pam_unix.so nullok\n", 0644);
	before = test_state(root_dir);
	if (skip) {
		fprintf(stderr, "skipped pamtester: %s\n", skip);
	} else {
		ck_assert(empty_password_gets_in(root_dir, "sshd"));
		ck_assert(empty_password_gets_in(root_dir, "login"));
	}

	HARDCTL("check", "--rule", "password.no-nullok");
	ck_assert_int_eq(run.status, 1);
	assert_contains(run.out.ptr, "/etc/pam.d/sshd:4: nullok_secure");
	assert_contains(run.out.ptr, "/etc/pam.d/login-local:1: nullok");
	assert_lacks(run.out.ptr, "dpkg-old");

	HARDCTL("apply", "--rule", "password.no-nullok");
	ck_assert_msg(run.status == 0, "apply: %s", hc_buf_cstr(&run.err));
	text = test_read(root_dir, "/etc/pam.d/sshd");
	assert_contains(text, "auth [success=2 default=ignore] pam_unix.so\n"
			      "@include common-auth\n");
	free(text);
	text = test_read(root_dir, "/etc/pam.d/login-local");
	ck_assert_str_eq(
	    text, "auth [success=1 default=ignore] pam_unix.so\n"
		  "auth requisite pam_deny.so\nauth required pam_permit.so\n");
	free(text);
	text = test_read(root_dir, "/etc/pam.d/sshd.dpkg-old");
	assert_contains(text, "nullok");
	free(text);
	if (!skip) {
		ck_assert(!empty_password_gets_in(root_dir, "sshd"));
		ck_assert(!empty_password_gets_in(root_dir, "login"));
	}
	HARDCTL("check", "--rule", "password.no-nullok");
	ck_assert_msg(run.status == 0, "%s", hc_buf_cstr(&run.out));

	HARDCTL("rollback");
	ck_assert_msg(run.status == 0, "rollback: %s", hc_buf_cstr(&run.err));
	after = test_state(root_dir);
	ck_assert_str_eq(before, after);
	free(before);
	free(after);
}
END_TEST

/*
 * Debian's "@include" of a file outside /etc/pam.d by its absolute path
 * (libpam reads it as it is): its nullok is sshd's, and apply removes
 * it there.  The file is no service's own, so only the include finds it.
 */
START_TEST(test_pam_reader_nullok__at_include_outside_pam_d)
{
	const char *skip = test_oracle(pam_skip());
	char *text;

	test_replace(root_dir, "/etc/pam.d/common-auth", "pam_unix.so nullok",
		     "pam_unix.so");
	test_replace(root_dir, "/etc/pam.d/sshd", "@include common-auth\n",
		     "@include /etc/pam-local/sshd-auth\n");
	test_write(root_dir, "/etc/pam-local/sshd-auth",
		   "auth [success=1 default=ignore] pam_unix.so nullok\n"
		   "auth requisite pam_deny.so\n"
		   "auth required pam_permit.so\n",
		   0644);
	if (skip)
		fprintf(stderr, "skipped pamtester: %s\n", skip);
	else
		ck_assert(empty_password_gets_in(root_dir, "sshd"));
	HARDCTL("check", "--rule", "password.no-nullok");
	ck_assert_int_eq(run.status, 1);
	assert_contains(run.out.ptr, "/etc/pam-local/sshd-auth:1: nullok");
	HARDCTL("apply", "--rule", "password.no-nullok");
	ck_assert_msg(run.status == 0, "apply: %s", hc_buf_cstr(&run.err));
	text = test_read(root_dir, "/etc/pam-local/sshd-auth");
	assert_contains(text, "auth [success=1 default=ignore] pam_unix.so\n");
	free(text);
	if (!skip)
		ck_assert(!empty_password_gets_in(root_dir, "sshd"));
}
END_TEST

/*
 * The lockout judgment names the line of the file as the plan leaves it,
 * though the plan's render shortened the lines before it: pam_unix's
 * "nullok" removed from lines 1 to 3, pam_deny stays on line 5.  A
 * render moves Augeas's spans into the text it wrote; the lines were
 * counted in the text as read, one short.  Whole (5 lines) and in
 * pieces (605).
 */
START_TEST(test_pam_reader_lockout__line_after_the_render)
{
	struct hc_buf stack = HC_BUF_INIT;

	test_write(root_dir, "/etc/shadow", "u1:$6$s$h:19000:0:99999:7:::\n",
		   0640);
	test_replace(root_dir, "/etc/passwd",
		     "admin:", "u1:x:2001:2001::/home/u1:/bin/bash\nadmin:");
	for (int pad = 0; pad <= 600; pad += 600) {
		hc_buf_clear(&stack);
		for (int i = 0; i < 3; i++)
			ck_assert_int_eq(
			    hc_buf_puts(&stack, "account [success=1 "
						"default=ignore] pam_unix.so "
						"nullok\n"),
			    0);
		ck_assert_int_eq(hc_buf_puts(&stack,
					     "account required pam_env.so "
					     "readenv=1\naccount requisite "
					     "pam_deny.so\n"),
				 0);
		for (int i = 0; i < pad; i++)
			ck_assert_int_eq(hc_buf_printf(&stack, "# %d\n", i), 0);
		test_write(root_dir, "/etc/pam.d/common-account", stack.ptr,
			   0644);
		HARDCTL("apply", "--dry-run", "--tailoring", "none", "--rule",
			"password.no-nullok");
		assert_contains(run.err.ptr,
				"/etc/pam.d/common-account:5: pam_deny");
	}
	hc_buf_release(&stack);
}
END_TEST

/*
 * Red Hat 5 era: sshd includes a local file by its absolute path whose
 * pam_unix line, typed in capitals (libpam reads types without case),
 * carries nullok, and system-auth's password line has nullok too.
 */
START_TEST(test_pam_reader_nullok__included_file_redhat)
{
	char *before = test_state(root_dir), *after, *text;

	HARDCTL("check", "--rule", "password.no-nullok");
	ck_assert_int_eq(run.status, 1);
	assert_contains(run.out.ptr, "/etc/pam.d/sshd-local:2: nullok");
	assert_contains(run.out.ptr, "/etc/pam.d/system-auth:12: nullok");
	HARDCTL("apply", "--rule", "password.no-nullok");
	ck_assert_msg(run.status == 0, "apply: %s", hc_buf_cstr(&run.err));
	text = test_read(root_dir, "/etc/pam.d/sshd-local");
	assert_contains(text,
			"AUTH       sufficient   pam_unix.so try_first_pass\n");
	free(text);
	text = test_read(root_dir, "/etc/pam.d/system-auth");
	assert_contains(text,
			"pam_unix.so md5 shadow try_first_pass use_authtok\n");
	free(text);
	HARDCTL("check", "--rule", "password.no-nullok");
	ck_assert_msg(run.status == 0, "%s", hc_buf_cstr(&run.out));
	HARDCTL("rollback");
	ck_assert_int_eq(run.status, 0);
	after = test_state(root_dir);
	ck_assert_str_eq(before, after);
	free(before);
	free(after);
}
END_TEST

/*
 * A prepared root: includes that loop, include themselves, are missing,
 * or climb out with "..", a link out of the root, a directory, CRLF
 * line ends, a terminal escape, an argument in brackets.  Each stack is read
 * once, nothing outside ROOT is read, and the CRLF line's nullok ("nullok\r",
 * nullok to pam_unix) is found and removed.
 */
START_TEST(test_pam_reader_stacks__hostile_root)
{
	char *outside = test_mkdtemp(), *text, target[4096];

	test_write(outside, "/evil", "auth required pam_unix.so nullok\n",
		   0644);
	snprintf(target, sizeof(target), "%s/evil", outside);
	test_link(root_dir, "/etc/pam.d/linked", target);
	test_write(root_dir, "/etc/pam.d/loop-a",
		   "@include loop-b\nauth include loop-a\n", 0644);
	test_write(root_dir, "/etc/pam.d/loop-b",
		   "auth substack loop-a\n@include nowhere\n", 0644);
	test_write(root_dir, "/etc/pam.d/climb",
		   "@include ../../../../../../etc/pam.d/crlf\n", 0644);
	test_write(root_dir, "/etc/pam.d/crlf",
		   "auth required pam_unix.so nullok\r\n", 0644);
	/* Shown in the report, but not sent to the terminal as it is. */
	test_write(root_dir, "/etc/pam.d/escape",
		   "auth required pam_unix.so nullok\033[2J\n", 0644);
	/* libpam hands the module "nullok": pam_unix lets the empty password
	 * in. */
	test_write(root_dir, "/etc/pam.d/bracket",
		   "auth required pam_unix.so [nullok] debug\n", 0644);
	test_mkdirs(root_dir, "/etc/pam.d/adir");
	test_replace(root_dir, "/etc/pam.d/common-auth", "pam_unix.so nullok",
		     "pam_unix.so");

	HARDCTL("check", "--rule", "password.no-nullok");
	ck_assert_int_eq(run.status, 1);
	assert_contains(run.out.ptr, "/etc/pam.d/crlf:1: nullok\\x0d;");
	assert_contains(run.out.ptr, "/etc/pam.d/escape:1: nullok\\x1b[2J;");
	assert_lacks(run.out.ptr, "\033");
	assert_contains(run.out.ptr, "/etc/pam.d/bracket:1: [nullok]");
	assert_lacks(run.out.ptr, "linked");
	assert_lacks(run.out.ptr, "evil");
	HARDCTL("apply", "--rule", "password.no-nullok");
	ck_assert_msg(run.status == 0, "apply: %s", hc_buf_cstr(&run.err));
	text = test_read(root_dir, "/etc/pam.d/crlf");
	ck_assert_str_eq(text, "auth required pam_unix.so\n");
	free(text);
	text = test_read(root_dir, "/etc/pam.d/bracket");
	ck_assert_str_eq(text, "auth required pam_unix.so debug\n");
	free(text);
	text = test_read(outside, "/evil");
	assert_contains(text, "nullok");
	free(text);
	HARDCTL("check", "--rule", "password.no-nullok");
	ck_assert_msg(run.status == 0, "%s", hc_buf_cstr(&run.out));
	test_rmtree(outside);
	free(outside);
}
END_TEST

/* pam_unix's option table: the first option an argument starts with. */
START_TEST(test_pam_reader_unix_option__prefix_as_pam_unix)
{
	bool hash;

	ck_assert_str_eq(pam_unix_option("nullok_secure", NULL), "nullok");
	ck_assert_str_eq(pam_unix_option("md5x", &hash), "md5");
	ck_assert(hash);
	ck_assert_str_eq(pam_unix_option("shadowmd5", &hash), "shadow");
	ck_assert(!hash);
	ck_assert_str_eq(pam_unix_option("gost_yescrypt", &hash),
			 "gost_yescrypt");
	ck_assert_str_eq(pam_unix_option("yescrypt", &hash), "yescrypt");
	ck_assert_str_eq(pam_unix_option("nullresetok", NULL), "nullresetok");
	ck_assert_str_eq(pam_unix_option("[nullok]", NULL), "nullok");
	ck_assert_ptr_null(pam_unix_option("MD5", &hash));
	ck_assert(!hash);
}
END_TEST

/* Hashing ------------------------------------------------------------------ */

/*
 * pam_unix's hashing option: the last one on the line wins, none
 * follows login.defs (Debian 12: SHA512), whatever the other says.
 * pam_unix writes the hash prefix hardctl judges, before and after
 * apply.
 */
START_TEST(test_pam_reader_hash__pam_unix_agrees)
{
	static const struct {
		const char *args, *prefix;
		bool strong;
	} cases[] = {
	    {"md5", "$1$", false},       {"sha512 md5", "$1$", false},
	    {"md5 sha512", "$6$", true}, {"", "$6$", true},
	    {"yescrypt", "$y$", true},   {"md5x", "$1$", false},
	};
	const char *skip = test_oracle(pam_skip());

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct hc_buf line = HC_BUF_INIT;
		char *text, *prefix;

		hc_buf_printf(&line, "password required pam_unix.so %s\n",
			      cases[i].args);
		test_write(root_dir, "/etc/pam.d/chpw", line.ptr, 0644);
		HARDCTL("check", "--rule", "password.encrypt-method");
		ck_assert_msg(run.status == (cases[i].strong ? 0 : 1),
			      "'%s': %s", cases[i].args, hc_buf_cstr(&run.out));
		if (!cases[i].strong)
			assert_contains(run.out.ptr,
					"/etc/pam.d/chpw:1: pam_unix ");
		if (!skip) {
			prefix = hash_written(root_dir, "chpw");
			ck_assert_msg(strcmp(prefix, cases[i].prefix) == 0,
				      "'%s': pam_unix wrote %s", cases[i].args,
				      prefix);
			free(prefix);
		}
		HARDCTL("apply", "--rule", "password.encrypt-method");
		ck_assert_msg(run.status == 0, "apply: %s",
			      hc_buf_cstr(&run.err));
		text = test_read(root_dir, "/etc/pam.d/chpw");
		if (!cases[i].strong)
			ck_assert_str_eq(
			    text, "password required pam_unix.so sha512\n");
		else
			ck_assert_str_eq(text, line.ptr);
		free(text);
		if (!skip) {
			prefix = hash_written(root_dir, "chpw");
			ck_assert_msg(strcmp(prefix, cases[i].strong
							 ? cases[i].prefix
							 : "$6$") == 0,
				      "'%s' after apply: pam_unix wrote %s",
				      cases[i].args, prefix);
			free(prefix);
		}
		hc_buf_release(&line);
	}
	if (skip)
		fprintf(stderr, "skipped pamtester: %s\n", skip);
}
END_TEST

/* apply fixes password.encrypt-method on Debian 12's pam_unix line: sha512. */
static void apply_puts_sha512(void)
{
	char *text;

	HARDCTL("apply", "--rule", "password.encrypt-method");
	ck_assert_msg(run.status == 0, "apply: %s", hc_buf_cstr(&run.err));
	text = test_read(root_dir, "/etc/pam.d/common-password");
	assert_contains(
	    text, "pam_unix.so obscure use_authtok try_first_pass sha512\n");
	free(text);
}

/* Debian 12's common-password (yescrypt) passes; with md5 it fails and apply
 * puts sha512 there. */
START_TEST(test_pam_reader_hash__debian_common_password)
{
	char *text;

	HARDCTL("check", "--rule", "password.encrypt-method");
	ck_assert_msg(run.status == 0, "%s", hc_buf_cstr(&run.out));
	test_replace(root_dir, "/etc/pam.d/common-password",
		     "try_first_pass yescrypt", "try_first_pass md5");
	HARDCTL("check", "--rule", "password.encrypt-method");
	ck_assert_int_eq(run.status, 1);
	assert_contains(run.out.ptr,
			"/etc/pam.d/common-password:26: pam_unix md5");
	apply_puts_sha512();

	/* A stronger login.defs method is kept while the PAM line is fixed. */
	test_replace(root_dir, "/etc/login.defs", "\nENCRYPT_METHOD SHA512",
		     "\nENCRYPT_METHOD YESCRYPT");
	test_replace(root_dir, "/etc/pam.d/common-password",
		     "try_first_pass sha512", "try_first_pass bigcrypt");
	HARDCTL("apply", "--rule", "password.encrypt-method");
	ck_assert_msg(run.status == 0, "apply: %s", hc_buf_cstr(&run.err));
	text = test_read(root_dir, "/etc/login.defs");
	assert_contains(text, "\nENCRYPT_METHOD YESCRYPT\n");
	free(text);
	text = test_read(root_dir, "/etc/pam.d/common-password");
	assert_contains(text, "try_first_pass sha512\n");
	free(text);
}
END_TEST

/*
 * With no login.defs, the pam_unix lines decide: Debian 12's passes
 * (yescrypt), one with no hashing option fails, and after apply puts
 * sha512 there the rule passes (it said N/A, and apply refused its own
 * fix as a bug).
 */
START_TEST(test_pam_reader_hash__no_login_defs)
{
	char path[4096];

	snprintf(path, sizeof(path), "%s/etc/login.defs", root_dir);
	ck_assert(unlink(path) == 0);
	HARDCTL("check", "--rule", "password.encrypt-method");
	ck_assert_msg(run.status == 0, "%s", hc_buf_cstr(&run.out));
	assert_contains(run.out.ptr, "PASS");
	test_replace(root_dir, "/etc/pam.d/common-password",
		     "try_first_pass yescrypt", "try_first_pass");
	HARDCTL("check", "--rule", "password.encrypt-method");
	ck_assert_int_eq(run.status, 1);
	apply_puts_sha512();
	HARDCTL("check", "--rule", "password.encrypt-method");
	ck_assert_msg(run.status == 0, "%s", hc_buf_cstr(&run.out));
}
END_TEST

/*
 * RHEL 5's system-auth: "md5 shadow nullok try_first_pass use_authtok"
 * and login.defs's MD5.  Apply sets both, keeps every other argument
 * in place, and rollback restores the bytes.
 */
START_TEST(test_pam_reader_hash__redhat_system_auth)
{
	char *before = test_state(root_dir), *after, *text;

	HARDCTL("check", "--rule", "password.encrypt-method");
	ck_assert_int_eq(run.status, 1);
	assert_contains(run.out.ptr, "/etc/pam.d/system-auth:12: pam_unix md5");
	assert_contains(run.out.ptr, "/etc/login.defs:4: ENCRYPT_METHOD MD5");
	HARDCTL("apply", "--rule", "password.encrypt-method");
	ck_assert_msg(run.status == 0, "apply: %s", hc_buf_cstr(&run.err));
	text = test_read(root_dir, "/etc/pam.d/system-auth");
	assert_contains(
	    text, "password    sufficient    pam_unix.so sha512 shadow nullok "
		  "try_first_pass use_authtok\n");
	free(text);
	text = test_read(root_dir, "/etc/login.defs");
	assert_contains(text, "ENCRYPT_METHOD SHA512\n");
	free(text);
	HARDCTL("check", "--rule", "password.encrypt-method");
	ck_assert_msg(run.status == 0, "%s", hc_buf_cstr(&run.out));
	HARDCTL("rollback");
	ck_assert_int_eq(run.status, 0);
	after = test_state(root_dir);
	ck_assert_str_eq(before, after);
	free(before);
	free(after);
}
END_TEST

Suite *pam_reader_suite(void)
{
	Suite *s = suite_create("pam_reader");
	TCase *tc = tcase_create("debian");

	tcase_add_checked_fixture(tc, setup_debian, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_pam_reader_nullok__every_service_debian);
	tcase_add_test(tc, test_pam_reader_nullok__at_include_outside_pam_d);
	tcase_add_test(tc, test_pam_reader_lockout__line_after_the_render);
	tcase_add_test(tc, test_pam_reader_stacks__hostile_root);
	tcase_add_test(tc, test_pam_reader_unix_option__prefix_as_pam_unix);
	tcase_add_test(tc, test_pam_reader_hash__pam_unix_agrees);
	tcase_add_test(tc, test_pam_reader_hash__debian_common_password);
	tcase_add_test(tc, test_pam_reader_hash__no_login_defs);
	suite_add_tcase(s, tc);

	tc = tcase_create("redhat");
	tcase_add_checked_fixture(tc, setup_redhat, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_pam_reader_nullok__included_file_redhat);
	tcase_add_test(tc, test_pam_reader_hash__redhat_system_auth);
	suite_add_tcase(s, tc);
	return s;
}
