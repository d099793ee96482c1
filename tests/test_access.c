/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The lockout judgment (hardctl/access.h).  pam_unix's aging and the
 * PAM account stage are compared with the real thing: pamtester runs
 * libpam and pam_unix in a private mount namespace with the test's
 * passwd, shadow, group, pam.d and security files bound over the
 * host's (root and unshare needed; skipped with the reason otherwise).
 * sshd's reading of its access lists is compared with sshd -T.  The
 * rest runs hardctl on Debian 12's files and on the Red Hat era demo.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>
#include "hardctl/aug.h"
#include "hardctl/ctx.h"
#include "hardctl/file.h"
#include "hardctl/root.h"
#include "pam_account.h"
#include "test.h"

static char *root_dir;
static struct test_run run;
static long today;

#define HARDCTL(...) TEST_HARDCTL(&run, "--root", root_dir, __VA_ARGS__)

static const char hash[] =
    "$6$salt$"
    "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ012345678";
static const char key[] = "ssh-ed25519 "
			  "AAAAC3NzaC1lZDI1NTE5AAAAIH3Jm3ziDTcJ5Xy1kE2zXq8sKg9u"
			  "Y0aQ0xGcH3y9pQ9c test\n";

/* Remove ROOT_DIR/PATH. */
static void rm_root_file(const char *path)
{
	char p[4096];

	snprintf(p, sizeof(p), "%s%s", root_dir, path);
	ck_assert_int_eq(unlink(p), 0);
}

/* A shadow line for USER whose password changed AGE days ago. */
static void shadow_line(struct hc_buf *out, const char *user, const char *pass,
			long age, const char *rest)
{
	hc_buf_printf(out, "%s:%s:%ld:%s\n", user, pass, today - age, rest);
}

/*
 * Debian 12's files with: root, whose authorized key is its way in;
 * admin, in group sudo, whose password is 200 days old with 35 inactive
 * days; sudo's own sudoers.
 */
static void setup(void)
{
	struct hc_buf shadow = HC_BUF_INIT;

	today = (long)(time(NULL) / 86400);
	root_dir = test_root("debian12");
	memset(&run, 0, sizeof(run));
	hc_buf_printf(&shadow,
		      "root:*:%ld:0:99999:7:::\ndaemon:*:19700:0:99999:7:::\n",
		      today - 5);
	shadow_line(&shadow, "admin", hash, 200, "0:99999:7:35::");
	test_write(root_dir, "/etc/shadow", shadow.ptr, 0640);
	test_replace(root_dir, "/etc/group", "sudo:*:27:", "sudo:*:27:admin");
	test_write(root_dir, "/etc/sudoers",
		   "Defaults\tenv_reset\nroot\tALL=(ALL:ALL) "
		   "ALL\n%sudo\tALL=(ALL:ALL) ALL\n"
		   "@includedir /etc/sudoers.d\n",
		   0440);
	test_mkdirs(root_dir, "/etc/sudoers.d");
	test_write(root_dir, "/root/.ssh/authorized_keys", key, 0644);
	hc_buf_release(&shadow);
}

static void teardown(void)
{
	test_run_release(&run);
	test_rmtree(root_dir);
	free(root_dir);
}

/* pamtester in a private mount namespace over ROOT's files ---------------- */

static const char *pam_skip(void)
{
	if (geteuid() != 0)
		return "not root: cannot bind files over /etc in a mount "
		       "namespace";
	if (access("/usr/bin/pamtester", X_OK) != 0)
		return "no pamtester (apt-get install pamtester)";
	if (access("/usr/bin/unshare", X_OK) != 0)
		return "no unshare";
	return NULL;
}

/*
 * What libpam answers for USER's account stage of SERVICE, with ROOT's
 * passwd, shadow, group, pam.d and security bound over the host's, and
 * the login coming from 192.0.2.10 over ssh.
 */
static enum pam_rc pamtester(const char *root, const char *service,
			     const char *user)
{
	static const struct {
		const char *text;
		enum pam_rc rc;
	} answers[] = {
	    {"account management done", PAMRC_SUCCESS},
	    {"new one required", PAMRC_NEW_AUTHTOK_REQD},
	    {"Authentication token expired", PAMRC_AUTHTOK_EXPIRED},
	    {"User account has expired", PAMRC_ACCT_EXPIRED},
	    {"Permission denied", PAMRC_PERM_DENIED},
	    {"Authentication failure", PAMRC_AUTH_ERR},
	    {"User not known", PAMRC_USER_UNKNOWN},
	    {"Module is unknown", PAMRC_MODULE_UNKNOWN},
	};
	struct hc_buf script = HC_BUF_INIT;
	struct test_run r = {0};

	hc_buf_printf(&script,
		      "set -e; for f in passwd shadow group pam.d security; do "
		      "mount --bind \"$1/etc/$f\" \"/etc/$f\"; done; "
		      "pamtester -I rhost=192.0.2.10 -I tty=ssh %s %s "
		      "acct_mgmt 2>&1 || true",
		      service, user);
	TEST_RUN(&r, "/usr/bin/unshare", "-m", "sh", "-c", script.ptr, "sh",
		 root);
	/* libpam recursing for ever: PAMRC_COUNT stands for the crash. */
	if (strstr(hc_buf_cstr(&r.err), "Segmentation fault") ||
	    strstr(hc_buf_cstr(&r.out), "Segmentation fault")) {
		hc_buf_release(&script);
		test_run_release(&r);
		return PAMRC_COUNT;
	}
	for (size_t i = 0; i < sizeof(answers) / sizeof(answers[0]); i++) {
		if (strstr(hc_buf_cstr(&r.out), answers[i].text)) {
			hc_buf_release(&script);
			test_run_release(&r);
			return answers[i].rc;
		}
	}
	ck_abort_msg("pamtester said: %s%s", hc_buf_cstr(&r.out),
		     hc_buf_cstr(&r.err));
	return PAMRC_COUNT;
}

/* A context over ROOT, with hardctl's Augeas. */
struct judge_ctx {
	struct hc_root *root;
	struct hc_aug *aug;
	struct hc_ctx ctx;
};

static void judge_open(struct judge_ctx *j, const char *root)
{
	ck_assert_int_eq(hc_root_open(&j->root, root), 0);
	ck_assert_int_eq(hc_aug_open(&j->aug, HARDCTL_LENS_DIR), 0);
	hc_ctx_init(&j->ctx, j->root, j->aug, NULL);
}

static void judge_close(struct judge_ctx *j)
{
	hc_ctx_release(&j->ctx);
	hc_aug_free(j->aug);
	hc_root_free(j->root);
}

/* A root for pamtester: the host's security/ (its *.conf) plus ours. */
static char *pam_root(const char *passwd, const char *shadow, const char *group)
{
	char *dir = test_mkdtemp(), cmd[8192];

	test_write(dir, "/etc/passwd", passwd, 0644);
	test_write(dir, "/etc/shadow", shadow, 0640);
	test_write(dir, "/etc/group", group, 0644);
	test_mkdirs(dir, "/etc/pam.d");
	snprintf(cmd, sizeof(cmd), "cp -a /etc/security '%s/etc/'", dir);
	ck_assert_int_eq(system(cmd), 0);
	return dir;
}

/* The account of USER as the judgment reads it from ROOT. */
static void pam_user_of(struct pam_user *u, struct hc_strlist *groups,
			const char *user, long uid,
			const struct pam_aging *aging)
{
	memset(u, 0, sizeof(*u));
	u->name = user;
	u->uid = uid;
	u->gid = uid;
	u->shell = "/bin/bash";
	u->groups = groups;
	u->known = true;
	u->has_shadow = true;
	u->aging = *aging;
}

/* pam_unix's aging, field by field, as pam_unix itself answers. */
START_TEST(test_access_unix_aging__agrees_with_pam_unix)
{
	static const struct {
		const char *user;
		long lstchg, max, inact,
		    expire; /* lstchg, expire: days from today; -1: empty */
	} cases[] = {
	    {"fresh", -10, 60, -1, -1},
	    {"old", -200, 60, -1, -1},
	    {"olddisabled", -200, 60, 35, -1},
	    {"oldinactive", -200, 60, 150, -1},
	    {"noaging", -200, -1, 35, -1},
	    {"unlimited", -200, 99999, 35, -1},
	    {"edge", -60, 60, -1, -1},
	    {"edge1", -61, 60, -1, -1},
	    {"inactedge", -95, 60, 35, -1},
	    {"inactedge1", -96, 60, 35, -1},
	    {"expired", -10, 60, -1, 0},
	    {"expiring", -10, 60, -1, 1},
	    {"future", 30, 60, -1, -1},
	};
	struct hc_buf passwd = HC_BUF_INIT, shadow = HC_BUF_INIT,
		      group = HC_BUF_INIT;
	const char *skip = test_oracle(pam_skip());
	char *dir;

	today = (long)(time(NULL) / 86400);
	if (skip) {
		fprintf(stderr, "skipped: %s\n", skip);
		return;
	}
	hc_buf_puts(&passwd, "root:x:0:0:root:/root:/bin/bash\n");
	hc_buf_printf(&shadow, "root:*:%ld:0:99999:7:::\n", today);
	hc_buf_puts(&group, "root:x:0:\n");
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		hc_buf_printf(&passwd, "%s:x:%zu:%zu::/home/%s:/bin/bash\n",
			      cases[i].user, 2000 + i, 2000 + i, cases[i].user);
		hc_buf_printf(&shadow, "%s:%s:%ld:0:", cases[i].user, hash,
			      today + cases[i].lstchg);
		if (cases[i].max >= 0)
			hc_buf_printf(&shadow, "%ld", cases[i].max);
		hc_buf_puts(&shadow, ":7:");
		if (cases[i].inact >= 0)
			hc_buf_printf(&shadow, "%ld", cases[i].inact);
		hc_buf_puts(&shadow, ":");
		if (cases[i].expire != -1)
			hc_buf_printf(&shadow, "%ld", today + cases[i].expire);
		hc_buf_puts(&shadow, ":\n");
	}
	/* Last change 0 and an empty last change. */
	hc_buf_puts(&passwd, "zero:x:3000:3000::/home/zero:/bin/bash\n"
			     "empty:x:3001:3001::/home/empty:/bin/bash\n");
	hc_buf_printf(&shadow, "zero:%s:0:0:60:7:::\nempty:%s::0:60:7:::\n",
		      hash, hash);
	dir = pam_root(passwd.ptr, shadow.ptr, group.ptr);
	test_write(dir, "/etc/pam.d/hc-unix", "account required pam_unix.so\n",
		   0644);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct pam_aging a = {
		    today + cases[i].lstchg, cases[i].max, cases[i].inact,
		    cases[i].expire == -1 ? -1 : today + cases[i].expire};
		enum pam_rc want = pamtester(dir, "hc-unix", cases[i].user);

		ck_assert_msg(pam_unix_aging(&a, today) == want,
			      "%s: judged %s, pam_unix says %s", cases[i].user,
			      pam_rc_name(pam_unix_aging(&a, today)),
			      pam_rc_name(want));
	}
	{
		struct pam_aging zero = {0, 60, -1, -1},
				 empty = {-1, 60, -1, -1};

		ck_assert_int_eq(pam_unix_aging(&zero, today),
				 pamtester(dir, "hc-unix", "zero"));
		ck_assert_int_eq(pam_unix_aging(&empty, today),
				 pamtester(dir, "hc-unix", "empty"));
	}
	test_rmtree(dir);
	free(dir);
	hc_buf_release(&passwd);
	hc_buf_release(&shadow);
	hc_buf_release(&group);
}
END_TEST

/* Stacks real hosts carry, for users pam_unix answers differently for. */
START_TEST(test_access_pam_stack__agrees_with_libpam)
{
	static const char *const stacks[] = {
	    /* Debian 12's sshd, common-account as pam-auth-update writes it. */
	    "@include common-account\n",
	    /* Red Hat era system-auth, with pam_succeed_if on uid. */
	    "account required pam_unix.so\n"
	    "account sufficient pam_succeed_if.so uid < 1000 quiet\n"
	    "account required pam_permit.so\n",
	    /* pam_access first, requisite. */
	    "account requisite pam_access.so\n@include common-account\n",
	    /* A sufficient that skips the rest, then a deny. */
	    "account sufficient pam_permit.so\naccount required pam_deny.so\n",
	    /* A jump over pam_deny only on success. */
	    "account [success=1 default=ignore] pam_succeed_if.so user ingroup "
	    "wheel\n"
	    "account requisite pam_deny.so\naccount required pam_unix.so\n",
	    /* optional alone: no module said yes. */
	    "account optional pam_permit.so\n",
	    /* sufficient with the password expired. */
	    "account sufficient pam_unix.so\naccount required pam_deny.so\n",
	    /* libpam reads the type without case. */
	    "Account required pam_deny.so\n@include common-account\n",
	    /* A substack's done ends the substack only. */
	    "account substack hc-sub\naccount required pam_deny.so\n",
	    "account [success=1 default=ignore] pam_permit.so\naccount "
	    "substack hc-sub\n"
	    "account required pam_deny.so\n",
	    /* A jump past a substack's end fails it, and libpam goes on
	     * after the substack: a reset there clears the failure. */
	    "account substack hc-jump\naccount [default=reset] "
	    "pam_permit.so\naccount required pam_permit.so\n",
	    "account substack hc-jump\naccount required pam_permit.so\n",
	    /* A jump past the end, or a control libpam cannot read, after
	     * a module failed. */
	    "account required pam_deny.so\n"
	    "account [success=1 default=ignore] pam_permit.so\n",
	    "account required pam_deny.so\naccount [bogus] pam_permit.so\n",
	    /* A module that is not installed, with and without "-". */
	    "account required pam_nonexistent.so\naccount required "
	    "pam_permit.so\n",
	    "-account required pam_nonexistent.so\naccount required "
	    "pam_permit.so\n",
	    /* pam_access reads access.d after access.conf. */
	    "account required pam_access.so\naccount required pam_permit.so\n",
	    /* An include of a stack that is not there: one line that
	     * fails, as required. */
	    "account include hc-missing\naccount required pam_permit.so\n",
	    "account sufficient pam_permit.so\naccount include hc-missing\n",
	    "account [success=1 default=ignore] pam_permit.so\n"
	    "account include hc-missing\naccount required pam_deny.so\n",
	};
	static const struct {
		const char *name;
		long uid, age, inact;
	} users[] = {
	    {"root", 0, 5, -1},       {"admin", 1000, 10, -1},
	    {"stale", 1001, 200, -1}, {"gone", 1002, 200, 35},
	    {"svc", 500, 10, -1},
	};
	struct hc_buf passwd = HC_BUF_INIT, shadow = HC_BUF_INIT,
		      why = HC_BUF_INIT;
	struct hc_strlist notes = HC_STRLIST_INIT;
	const char *skip = test_oracle(pam_skip());
	char *dir;

	today = (long)(time(NULL) / 86400);
	if (skip) {
		fprintf(stderr, "skipped: %s\n", skip);
		return;
	}
	for (size_t i = 0; i < sizeof(users) / sizeof(users[0]); i++) {
		hc_buf_printf(&passwd, "%s:x:%ld:%ld::/home/%s:/bin/bash\n",
			      users[i].name, users[i].uid, users[i].uid,
			      users[i].name);
		hc_buf_printf(&shadow, "%s:%s:%ld:0:60:7:", users[i].name, hash,
			      today - users[i].age);
		if (users[i].inact >= 0)
			hc_buf_printf(&shadow, "%ld", users[i].inact);
		hc_buf_puts(&shadow, "::\n");
	}
	dir = pam_root(passwd.ptr, shadow.ptr,
		       "root:x:0:\nwheel:x:10:admin,root\n");
	test_write(dir, "/etc/pam.d/common-account",
		   "account\t[success=1 new_authtok_reqd=done "
		   "default=ignore]\tpam_unix.so\n"
		   "account\trequisite\t\t\tpam_deny."
		   "so\naccount\trequired\t\t\tpam_permit.so\n",
		   0644);
	test_write(dir, "/etc/security/access.conf",
		   "-:root:ALL EXCEPT LOCAL\n", 0644);
	test_mkdirs(dir, "/etc/security/access.d");
	test_write(dir, "/etc/security/access.d/50-stale.conf", "-:STALE:ALL\n",
		   0644);
	test_write(dir, "/etc/pam.d/hc-sub",
		   "account sufficient pam_permit.so\n", 0644);
	test_write(dir, "/etc/pam.d/hc-jump",
		   "account [success=3 default=ignore] pam_permit.so\n"
		   "account required pam_permit.so\n",
		   0644);
	/* The modules installed: any other is unknown, as it is to libpam here.
	 */
	{
		static const char *const mods[] = {
		    "pam_unix.so",       "pam_deny.so",   "pam_permit.so",
		    "pam_succeed_if.so", "pam_access.so", NULL};

		for (const char *const *m = mods; *m; m++) {
			char path[256];

			snprintf(path, sizeof(path),
				 "/lib/x86_64-linux-gnu/security/%s", *m);
			test_write(dir, path, "", 0644);
		}
	}
	for (size_t s = 0; s < sizeof(stacks) / sizeof(stacks[0]); s++) {
		struct judge_ctx j;

		test_write(dir, "/etc/pam.d/hc-stack", stacks[s], 0644);
		judge_open(&j, dir);
		for (size_t i = 0; i < sizeof(users) / sizeof(users[0]); i++) {
			struct hc_strlist groups = HC_STRLIST_INIT;
			struct pam_aging a = {today - users[i].age, 60,
					      users[i].inact, -1};
			struct pam_user u;
			enum pam_rc got,
			    want = pamtester(dir, "hc-stack", users[i].name);

			if (strcmp(users[i].name, "admin") == 0 ||
			    strcmp(users[i].name, "root") == 0)
				hc_strlist_push(&groups, "wheel");
			pam_user_of(&u, &groups, users[i].name, users[i].uid,
				    &a);
			ck_assert_int_eq(pam_account(&got, &why, &j.ctx,
						     "hc-stack", &u, today,
						     &notes),
					 0);
			ck_assert_msg(
			    got == want,
			    "stack %zu, %s: judged %s (%s), libpam says %s", s,
			    users[i].name, pam_rc_name(got), hc_buf_cstr(&why),
			    pam_rc_name(want));
			hc_strlist_release(&groups);
		}
		judge_close(&j);
	}
	test_rmtree(dir);
	free(dir);
	hc_strlist_release(&notes);
	hc_buf_release(&why);
	hc_buf_release(&passwd);
	hc_buf_release(&shadow);
}
END_TEST

/* Stacks chained 16 deep: "hc-chain-1" includes (or substacks) "-2"... */
static void write_chain(const char *dir, const char *control, int n)
{
	char path[64], text[128];

	for (int i = 1; i <= n; i++) {
		snprintf(path, sizeof(path), "/etc/pam.d/hc-%s-%d", control, i);
		if (i == n)
			snprintf(text, sizeof(text),
				 "account required pam_permit.so\n");
		else
			snprintf(text, sizeof(text), "account %s hc-%s-%d\n",
				 control, control, i + 1);
		test_write(dir, path, text, 0644);
	}
}

/*
 * libpam reads every type of a service's file before a stage runs: an
 * include cycle through auth, password or session lines, or Debian's
 * @include, crashes it (pamtester dies of SIGSEGV) and nobody logs in.
 * A cycle through a substack, or through lines of two types, does not,
 * but one through includes alone that a substack also reaches first
 * does; includes go as deep as they lead, substacks 15 deep.  Each
 * judged as pamtester answers.
 */
START_TEST(test_access_pam_stack__include_cycles_as_libpam)
{
	static const struct {
		const char *stack, *other;
		bool crash;
	} cases[] = {
	    {"auth include hc-b\naccount required pam_permit.so\n",
	     "auth include hc-stack\n", true},
	    {"auth include hc-b\naccount required pam_permit.so\n",
	     "@include hc-stack\n", true},
	    {"session include hc-b\naccount required pam_permit.so\n",
	     "session include hc-b\n", true},
	    {"account required pam_permit.so\nsession substack hc-b\n",
	     "session include hc-c\n", true},
	    /* Another type back: libpam reads only the type it follows. */
	    {"auth include hc-b\naccount required pam_permit.so\n",
	     "session include hc-stack\n", false},
	    /* A substack in the cycle: bounded. */
	    {"account required pam_permit.so\nsession substack hc-b\n",
	     "session substack hc-stack\n", false},
	    /* The same stack first through a substack, then in the cycle. */
	    {"account required pam_permit.so\nsession substack hc-b\n"
	     "session include hc-b\n",
	     "session include hc-stack\n", true},
	    {"auth substack hc-b\nauth include hc-b\n"
	     "account required pam_permit.so\n",
	     "auth include hc-stack\n", true},
	    {"account include hc-include-1\n", "", false},
	    {"account substack hc-substack-1\n", "", false},
	    {"account substack hc-substack-2\n", "", false},
	};
	const char *skip = test_oracle(pam_skip());
	struct hc_buf why = HC_BUF_INIT;
	struct hc_strlist notes = HC_STRLIST_INIT;
	struct pam_aging a = {0, -1, -1, -1};
	struct pam_user u;
	char *dir;

	if (skip) {
		fprintf(stderr, "skipped: %s\n", skip);
		return;
	}
	today = (long)(time(NULL) / 86400);
	a.lstchg = today - 1;
	dir = pam_root("admin:x:1000:1000::/home/admin:/bin/bash\n",
		       "admin:*:1:0:99999:7:::\n", "admin:x:1000:\n");
	test_write(dir, "/etc/pam.d/hc-c", "session include hc-b\n", 0644);
	write_chain(dir, "include", 20);
	write_chain(dir, "substack", 16);
	pam_user_of(&u, NULL, "admin", 1000, &a);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct judge_ctx j;
		enum pam_rc got, want;

		test_write(dir, "/etc/pam.d/hc-stack", cases[i].stack, 0644);
		test_write(dir, "/etc/pam.d/hc-b", cases[i].other, 0644);
		want = pamtester(dir, "hc-stack", "admin");
		ck_assert_msg((want == PAMRC_COUNT) == cases[i].crash,
			      "case %zu: libpam says %s", i, pam_rc_name(want));
		judge_open(&j, dir);
		ck_assert_int_eq(pam_account(&got, &why, &j.ctx, "hc-stack", &u,
					     today, &notes),
				 0);
		judge_close(&j);
		if (cases[i].crash) {
			ck_assert_msg(got == PAMRC_PERM_DENIED,
				      "case %zu: judged %s (%s)", i,
				      pam_rc_name(got), hc_buf_cstr(&why));
			assert_contains(hc_buf_cstr(&why),
					"libpam crashes reading it");
		} else {
			ck_assert_msg(
			    got == want,
			    "case %zu: judged %s (%s), libpam says %s", i,
			    pam_rc_name(got), hc_buf_cstr(&why),
			    pam_rc_name(want));
		}
	}
	test_rmtree(dir);
	free(dir);
	hc_strlist_release(&notes);
	hc_buf_release(&why);
}
END_TEST

/*
 * Stacks that each include the next twice: 40 of them make 2^40 lines,
 * which libpam would read for ever (no login), and hardctl must neither:
 * the stack is judged broken, in a few seconds at most.
 */
START_TEST(test_access_pam_stack__doubling_includes_bounded)
{
	struct hc_buf why = HC_BUF_INIT;
	struct hc_strlist notes = HC_STRLIST_INIT;
	struct pam_aging a = {0, -1, -1, -1};
	struct judge_ctx j;
	struct pam_user u;
	enum pam_rc got;
	char path[64], text[128], *dir;
	time_t start;

	today = (long)(time(NULL) / 86400);
	a.lstchg = today - 1;
	dir = pam_root("admin:x:1000:1000::/home/admin:/bin/bash\n",
		       "admin:*:1:0:99999:7:::\n", "admin:x:1000:\n");
	for (int i = 1; i <= 40; i++) {
		snprintf(path, sizeof(path), "/etc/pam.d/hc-%d", i);
		if (i == 40)
			snprintf(text, sizeof(text),
				 "account required pam_permit.so\n");
		else
			snprintf(text, sizeof(text),
				 "account include hc-%d\naccount include "
				 "hc-%d\n",
				 i + 1, i + 1);
		test_write(dir, path, text, 0644);
	}
	test_write(dir, "/etc/pam.d/hc-stack", "account include hc-1\n", 0644);
	pam_user_of(&u, NULL, "admin", 1000, &a);
	start = time(NULL);
	judge_open(&j, dir);
	ck_assert_int_eq(
	    pam_account(&got, &why, &j.ctx, "hc-stack", &u, today, &notes), 0);
	judge_close(&j);
	ck_assert_int_lt(time(NULL) - start, 10);
	ck_assert_msg(got == PAMRC_PERM_DENIED, "judged %s (%s)",
		      pam_rc_name(got), hc_buf_cstr(&why));
	assert_contains(hc_buf_cstr(&why), "more stacks than hardctl follows");
	test_rmtree(dir);
	free(dir);
	hc_strlist_release(&notes);
	hc_buf_release(&why);
}
END_TEST

/*
 * A jump past its stack's end, as libpam takes it (pam_dispatch.c, "bad
 * jump in stack"): the stack fails with the jump's status, whatever
 * failed before, and a jump out of a substack goes on after it.  The
 * reason names the jump alone.  A control libpam cannot read fails its
 * line: a failure before it stands.
 */
START_TEST(test_access_pam_bad_jump_or_control__as_libpam)
{
	static const struct {
		const char *stack;
		enum pam_rc want;
		const char *why;
	} cases[] = {
	    {"account required pam_deny.so\n"
	     "account [success=1 default=ignore] pam_permit.so\n",
	     PAMRC_PERM_DENIED,
	     "/etc/pam.d/hc-stack:2: jump past its stack's end"},
	    {"account required pam_deny.so\naccount [bogus] pam_permit.so\n",
	     PAMRC_AUTH_ERR, "/etc/pam.d/hc-stack:1: pam_deny"},
	    {"account [bogus] pam_permit.so\n", PAMRC_PERM_DENIED,
	     "/etc/pam.d/hc-stack:1: control '[bogus]' libpam cannot read"},
	    {"account substack hc-jump\naccount required pam_permit.so\n",
	     PAMRC_PERM_DENIED,
	     "/etc/pam.d/hc-jump:1: jump past its stack's end"},
	    {"account substack hc-jump\naccount [default=reset] pam_permit.so\n"
	     "account required pam_permit.so\n",
	     PAMRC_SUCCESS, ""},
	};
	struct hc_strlist notes = HC_STRLIST_INIT, groups = HC_STRLIST_INIT;
	struct hc_buf why = HC_BUF_INIT;
	struct pam_aging a;
	struct pam_user u;
	char *dir = test_mkdtemp();

	today = (long)(time(NULL) / 86400);
	a = (struct pam_aging){today - 10, 60, -1, -1};
	pam_user_of(&u, &groups, "admin", 1000, &a);
	test_mkdirs(dir, "/etc/pam.d");
	test_write(dir, "/etc/pam.d/hc-jump",
		   "account [success=3 default=ignore] pam_permit.so\n"
		   "account required pam_permit.so\n",
		   0644);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct judge_ctx j;
		enum pam_rc got;

		test_write(dir, "/etc/pam.d/hc-stack", cases[i].stack, 0644);
		judge_open(&j, dir);
		ck_assert_int_eq(pam_account(&got, &why, &j.ctx, "hc-stack", &u,
					     today, &notes),
				 0);
		ck_assert_msg(got == cases[i].want, "stack %zu: judged %s (%s)",
			      i, pam_rc_name(got), hc_buf_cstr(&why));
		ck_assert_str_eq(hc_buf_cstr(&why), cases[i].why);
		judge_close(&j);
	}
	test_rmtree(dir);
	free(dir);
	hc_strlist_release(&notes);
	hc_strlist_release(&groups);
	hc_buf_release(&why);
}
END_TEST

/* The whole judgment, through hardctl
 * ------------------------------------------- */

/*
 * The issue's case: aging expires and disables admin (200 days old, 35
 * inactive days) while the same plan writes PermitRootLogin no.
 */
START_TEST(test_access_apply__aging_and_root_login_refused)
{
	char *before = test_snapshot(root_dir), *after;

	HARDCTL("apply");
	ck_assert_int_eq(run.status, 5);
	assert_contains(run.err.ptr,
			"admin (/etc/shadow: disabled: password last changed");
	assert_contains(
	    run.err.ptr,
	    "root (/etc/ssh/sshd_config: sshd's PermitRootLogin no)");
	assert_contains(run.err.ptr, "accept-no-local-admin");
	assert_contains(run.err.ptr, "the plan's password aging expires admin");
	after = test_snapshot(root_dir);
	ck_assert_str_eq(before, after);
	free(before);
	free(after);

	/* Either change alone leaves a way in. */
	HARDCTL("apply", "--rule", "root-access.sshd-permit-root-login");
	ck_assert_msg(run.status == 0, "%s", run.err.ptr);
	assert_contains(
	    run.out.ptr,
	    "lockout check: admin can log in over ssh (password, sudo "
	    "(/etc/sudoers:3))");
}
END_TEST

/* A dry run shows the diffs, then the verdict, and exits as apply would. */
START_TEST(test_access_dry_run__diffs_then_verdict)
{
	const char *verdict;

	HARDCTL("apply", "--dry-run");
	ck_assert_int_eq(run.status, 5);
	assert_contains(run.out.ptr, "+PermitRootLogin no");
	assert_contains(run.out.ptr, "--- a/etc/shadow");
	verdict = strstr(run.err.ptr, "lockout check: REFUSED");
	ck_assert_msg(verdict != NULL, "%s", run.err.ptr);
	ck_assert_msg(strstr(run.err.ptr, "would remediate") < verdict, "%s",
		      run.err.ptr);
	HARDCTL("diff", "--format", "json");
	ck_assert_int_eq(run.status, 5);
	assert_contains(run.out.ptr, "\"verdict\":\"refused\"");
	assert_contains(run.out.ptr,
			"\"name\":\"admin\",\"way_in_before\":true,"
			"\"way_in_after\":false,\"expired_by_plan\":true");
}
END_TEST

/* Another administrator remains: applied, and the expired one named. */
START_TEST(test_access_apply__expired_named_when_another_remains)
{
	struct hc_buf shadow = HC_BUF_INIT;
	char *old = test_read(root_dir, "/etc/shadow");

	hc_buf_puts(&shadow, old);
	shadow_line(&shadow, "ops", "!", 3, "0:99999:7:::");
	test_write(root_dir, "/etc/shadow", shadow.ptr, 0640);
	test_replace(root_dir, "/etc/passwd",
		     "admin:x:1000:1000:Admin,,,:/home/admin:/bin/bash\n",
		     "admin:x:1000:1000:Admin,,,:/home/admin:/bin/bash\n"
		     "ops:x:1001:1001::/home/ops:/bin/bash\n");
	test_replace(root_dir, "/etc/group", "sudo:*:27:admin",
		     "sudo:*:27:admin,ops");
	test_write(root_dir, "/home/ops/.ssh/authorized_keys", key, 0644);
	/* ops has no password to give sudo: only a NOPASSWD rule lets it become
	 * root. */
	HARDCTL("apply", "--dry-run");
	ck_assert_int_eq(run.status, 5);
	assert_contains(run.err.ptr, "ops (/etc/sudoers: cannot become root");
	test_write(root_dir, "/etc/sudoers.d/ops",
		   "ops ALL=(ALL) NOPASSWD: ALL\n", 0440);
	HARDCTL("apply", "--format", "json");
	ck_assert_msg(run.status == 0, "%s", run.err.ptr);
	assert_contains(run.out.ptr,
			"\"name\":\"admin\",\"way_in_before\":true,"
			"\"way_in_after\":false,\"expired_by_plan\":true");
	assert_contains(
	    run.out.ptr,
	    "\"name\":\"ops\",\"way_in_before\":true,\"way_in_after\":true");
	HARDCTL("rollback");
	ck_assert_msg(run.status == 0, "%s", run.err.ptr);
	HARDCTL("apply");
	ck_assert_msg(run.status == 0, "%s", run.err.ptr);
	assert_contains(
	    run.out.ptr,
	    "lockout check: the plan's password aging expires admin: "
	    "disabled");
	assert_contains(run.out.ptr,
			"lockout check: ops can log in over ssh (key, sudo "
			"(/etc/sudoers.d/ops:1))");
	free(old);
	hc_buf_release(&shadow);
}
END_TEST

/*
 * sshd's lists, read as sshd reads them: DenyUsers before AllowUsers,
 * DenyGroups, AllowGroups, lines that add up, user@host.  Each case is
 * checked against sshd -T for the words sshd took.
 */
static void sshd_t_has(const char *config, const char *want)
{
	char *dir = test_mkdtemp(), keyfile[4096], cfg[4096];
	struct test_run r = {0};

	if (test_oracle(access("/usr/sbin/sshd", X_OK) != 0 ||
				access("/run/sshd", F_OK) != 0
			    ? "no sshd or /run/sshd"
			    : NULL)) {
		fprintf(stderr, "skipped sshd -T: no sshd or /run/sshd\n");
		test_rmtree(dir);
		free(dir);
		return;
	}
	snprintf(keyfile, sizeof(keyfile), "%s/key", dir);
	snprintf(cfg, sizeof(cfg), "%s/sshd_config", dir);
	test_write(dir, "/sshd_config", config, 0600);
	TEST_RUN(&r, "/usr/bin/ssh-keygen", "-q", "-t", "ed25519", "-N", "",
		 "-f", keyfile);
	TEST_RUN(&r, "/usr/sbin/sshd", "-T", "-f", cfg, "-h", keyfile, "-C",
		 "user=admin,host=h.example,addr=192.0.2.10");
	ck_assert_msg(r.status == 0, "%s", hc_buf_cstr(&r.err));
	assert_contains(hc_buf_cstr(&r.out), want);
	test_run_release(&r);
	test_rmtree(dir);
	free(dir);
}

/* Lines put ahead of sshd_config, what sshd -T shows it took, and the verdict.
 */
struct sshd_case {
	const char *lines;
	const char *sshd_t;
	bool refused;
};

/* Each case on the pristine sshd_config: sshd's reading, then the judgment's.
 */
static void sshd_cases(const struct sshd_case *cases, size_t n,
		       const char *refused_with)
{
	char *pristine = test_read(root_dir, "/etc/ssh/sshd_config");

	for (size_t i = 0; i < n; i++) {
		struct hc_buf cfg = HC_BUF_INIT;

		hc_buf_printf(&cfg, "%s%s", cases[i].lines, pristine);
		test_write(root_dir, "/etc/ssh/sshd_config", cfg.ptr, 0644);
		sshd_t_has(cfg.ptr, cases[i].sshd_t);
		HARDCTL("apply", "--dry-run", "--rule",
			"root-access.sshd-permit-root-login");
		ck_assert_msg(run.status == (cases[i].refused ? 5 : 0),
			      "%s: exit %d\n%s", cases[i].lines, run.status,
			      run.err.ptr);
		if (cases[i].refused && refused_with)
			assert_contains(run.err.ptr, refused_with);
		hc_buf_release(&cfg);
	}
	free(pristine);
}

START_TEST(test_access_sshd_lists__as_sshd_reads_them)
{
	static const struct sshd_case cases[] = {
	    {"DenyUsers admin\n", "denyusers admin", true},
	    {"DenyUsers adm*\nAllowUsers admin root\n", "denyusers adm*", true},
	    {"DenyUsers admin@192.0.2.1\n", "denyusers admin@192.0.2.1", false},
	    {"DenyUsers admin@*\n", "denyusers admin@*", true},
	    {"AllowUsers carol root\n", "allowusers carol", true},
	    {"AllowUsers carol\nAllowUsers admin@10.0.0.0/8\n",
	     "allowusers admin@10.0.0.0/8", false},
	    {"AllowUsers ?dmin\n", "allowusers ?dmin", false},
	    {"DenyGroups sudo\n", "denygroups sudo", true},
	    {"AllowGroups staff root\n", "allowgroups staff", true},
	    {"AllowGroups staff\nAllowGroups su*\n", "allowgroups su*", false},
	};

	sshd_cases(cases, sizeof(cases) / sizeof(cases[0]),
		   "admin (/etc/ssh/sshd_config: ");
}
END_TEST

/* sshd settings beyond the access lists, each read as sshd reads it. */
START_TEST(test_access_sshd_settings__as_sshd_takes_them)
{
	static const struct sshd_case cases[] = {
	    /* admin has only a password: a key-only method shuts it out. */
	    {"AuthenticationMethods publickey\n",
	     "authenticationmethods publickey", true},
	    {"AuthenticationMethods publickey password\n",
	     "authenticationmethods publickey password", false},
	    /* No shell for anyone, before the plan too: nothing it changes
	       decides it. */
	    {"ForceCommand /bin/false\n", "forcecommand /bin/false", false},
	    {"PasswordAuthentication no\nKbdInteractiveAuthentication no\n",
	     "passwordauthentication no", true},
	    /* The first AuthorizedKeysFile wins: root's key is no longer read.
	     */
	    {"AuthorizedKeysFile /etc/ssh/keys/%u\nAuthorizedKeysFile "
	     ".ssh/authorized_keys\n",
	     "authorizedkeysfile /etc/ssh/keys/%u", false},
	};
	char *pristine = test_read(root_dir, "/etc/ssh/sshd_config");

	sshd_cases(cases, sizeof(cases) / sizeof(cases[0]), NULL);
	/* With the first file root's key is not read: root is no way in. */
	assert_lacks(run.err.ptr, "root can log in");
	assert_contains(run.err.ptr, "admin can log in");

	/* Without PAM, sshd itself keeps all but root out while /etc/nologin
	 * exists. */
	test_write(root_dir, "/etc/ssh/sshd_config", pristine, 0644);
	test_replace(root_dir, "/etc/ssh/sshd_config", "UsePAM yes",
		     "UsePAM no");
	test_write(root_dir, "/etc/nologin", "maintenance\n", 0644);
	HARDCTL("apply", "--dry-run", "--rule",
		"root-access.sshd-permit-root-login");
	ck_assert_int_eq(run.status, 5);
	assert_contains(run.err.ptr, "/etc/nologin exists");

	/* Match blocks are said to be beyond the judgment. */
	{
		struct hc_buf cfg = HC_BUF_INIT;

		hc_buf_printf(
		    &cfg, "%sMatch Address 192.0.2.0/24\n\tDenyUsers admin\n",
		    pristine);
		test_write(root_dir, "/etc/ssh/sshd_config", cfg.ptr, 0644);
		hc_buf_release(&cfg);
	}
	HARDCTL("apply", "--dry-run", "--rule",
		"root-access.sshd-permit-root-login");
	assert_contains(run.err.ptr, "not judged: sshd's Match blocks");
	free(pristine);
}
END_TEST

/* A locked password with no key, or no way to become root: no way in. */
START_TEST(test_access_account__locked_or_no_root)
{
	test_replace(root_dir, "/etc/group", "sudo:*:27:admin", "sudo:*:27:");
	HARDCTL("apply", "--dry-run", "--rule",
		"root-access.sshd-permit-root-login");
	ck_assert_int_eq(run.status, 5);
	assert_contains(run.err.ptr, "admin (/etc/sudoers: cannot become root");

	/* wheel (su through pam_wheel) is a way to become root, with root's
	 * password. */
	test_write(root_dir, "/etc/group",
		   "root:x:0:\nwheel:x:10:admin\nadmin:x:1000:\n", 0644);
	HARDCTL("apply", "--dry-run", "--rule",
		"root-access.sshd-permit-root-login");
	ck_assert_int_eq(run.status, 5);
	test_replace(root_dir, "/etc/shadow", "root:*:",
		     "root:$6$r$0123456789abcdefghijklmnopqrstuvwxyz:");
	HARDCTL("apply", "--dry-run", "--rule",
		"root-access.sshd-permit-root-login");
	ck_assert_msg(run.status == 0, "%s", run.err.ptr);
	assert_contains(
	    run.err.ptr,
	    "admin can log in over ssh (password, su (group wheel))");

	test_replace(root_dir, "/etc/shadow", hash, "!");
	test_replace(
	    root_dir, "/etc/shadow",
	    "root:$6$r$0123456789abcdefghijklmnopqrstuvwxyz:", "root:*:");
	HARDCTL("apply", "--dry-run", "--rule",
		"root-access.sshd-permit-root-login");
	ck_assert_int_eq(run.status, 5);
	assert_contains(run.err.ptr, "password locked and no authorized key");

	/* A key, but neither sudo (no password to give) nor su (none for root).
	 */
	test_write(root_dir, "/home/admin/.ssh/authorized_keys", key, 0644);
	HARDCTL("apply", "--dry-run", "--rule",
		"root-access.sshd-permit-root-login");
	ck_assert_int_eq(run.status, 5);
	test_write(root_dir, "/etc/sudoers.d/admin",
		   "admin ALL=(ALL:ALL) NOPASSWD:ALL\n", 0440);
	HARDCTL("apply", "--dry-run", "--rule",
		"root-access.sshd-permit-root-login");
	ck_assert_msg(run.status == 0, "%s", run.err.ptr);

	/* sudo applies the last rule that names the user. */
	test_write(root_dir, "/etc/sudoers.d/zz", "admin ALL=(ALL) !ALL\n",
		   0440);
	HARDCTL("apply", "--dry-run", "--rule",
		"root-access.sshd-permit-root-login");
	ck_assert_int_eq(run.status, 5);
}
END_TEST

/*
 * What a prepared image may hold: keys sshd would not use, a stack
 * that includes itself or a missing file, sudo syntax the lens cannot
 * read, a name listed twice.  Never a false way in, never a hang.
 */
START_TEST(test_access_hostile__keys_stacks_sudoers)
{
	static const struct {
		const char *path, *text;
		mode_t mode;
	} unusable[] = {
	    {"/home/admin/.ssh/authorized_keys", "hello world\n", 0644},
	    {"/home/admin/.ssh/authorized_keys", "ssh-rsa\n", 0644},
	    {"/home/admin/.ssh/authorized_keys", "no-pty ssh-ed25519\n", 0644},
	    {"/home/admin/.ssh/authorized_keys", key, 0666},
	    /* Owned by root and 0600: sshd reads it as admin, and cannot. */
	    {"/home/admin/.ssh/authorized_keys", key, 0600},
	    {"/home/admin/.ssh/authorized_keys",
	     "command=\"/bin/false\",restrict ssh-ed25519 "
	     "AAAAC3NzaC1lZDI1NTE5AAAAIH3Jm3ziDTcJ5Xy1kE2zXq8sKg9uY0aQ0xGcH3y9p"
	     "Q9c x\n",
	     0644},
	    {"/home/admin/.ssh/authorized_keys",
	     "COMMAND=\"/bin/false\" ssh-ed25519 "
	     "AAAAC3NzaC1lZDI1NTE5AAAAIH3Jm3ziDTcJ5Xy1kE2zXq8sKg9uY0aQ0xGcH3y9p"
	     "Q9c x\n",
	     0644},
	    {"/home/admin/.ssh/authorized_keys",
	     "expiry-time=\"20000101\" ssh-ed25519 "
	     "AAAAC3NzaC1lZDI1NTE5AAAAIH3Jm3ziDTcJ5Xy1kE2zXq8sKg9uY0aQ0xGcH3y9p"
	     "Q9c x\n",
	     0644},
	    /* A blob that is not of its type, and a type sshd no longer takes.
	     */
	    {"/home/admin/.ssh/authorized_keys",
	     "ssh-ed25519 "
	     "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
	     "AAA x\n",
	     0644},
	    {"/home/admin/.ssh/authorized_keys",
	     "ssh-dss "
	     "AAAAB3NzaC1kc3MAAACBAP1/"
	     "U4EddRIpUt9KnC7s5Of2EbdSPO9EAMMeP4C2USZpRV1AIlH7WT2NWPq/"
	     "xfW6MPbLm1Vs14E7gB00b/JmYLdrmVClpJ+f6AR7ECLCT7up1/"
	     "63xhv4O1fnxqimFQ8E+"
	     "4P208UewwI1VBNaFpEy9nXzrith1yrv8iIDGZ3RSAHHAAAAFQCXYFCPFSMLzLKSuY"
	     "Ki64QL8Fgc9Q== x\n",
	     0644},
	};
	char *sshd_pam = test_read(root_dir, "/etc/pam.d/sshd");
	struct hc_buf pam = HC_BUF_INIT;

	/* admin: a locked password, sudo without one; only a key could let it
	 * in. */
	test_replace(root_dir, "/etc/shadow", hash, "!");
	test_write(root_dir, "/etc/sudoers.d/admin",
		   "admin ALL=(ALL:ALL) NOPASSWD:ALL\n", 0440);
	for (size_t i = 0; i < sizeof(unusable) / sizeof(unusable[0]); i++) {
		test_write(root_dir, unusable[i].path, unusable[i].text,
			   unusable[i].mode);
		HARDCTL("apply", "--dry-run", "--rule",
			"root-access.sshd-permit-root-login");
		ck_assert_msg(run.status == 5, "case %zu: exit %d\n%s", i,
			      run.status, run.err.ptr);
	}
	/* A link to /dev/null is how keys are switched off. */
	{
		char p[4096];

		snprintf(p, sizeof(p), "%s/home/admin/.ssh/authorized_keys",
			 root_dir);
		ck_assert_int_eq(unlink(p), 0);
		test_link(root_dir, "/home/admin/.ssh/authorized_keys",
			  "/dev/null");
	}
	HARDCTL("apply", "--dry-run", "--rule",
		"root-access.sshd-permit-root-login");
	ck_assert_int_eq(run.status, 5);

	/* A real key: a way in, until the PAM stack breaks. */
	{
		char p[4096];

		snprintf(p, sizeof(p), "%s/home/admin/.ssh/authorized_keys",
			 root_dir);
		ck_assert_int_eq(unlink(p), 0);
	}
	test_write(root_dir, "/home/admin/.ssh/authorized_keys", key, 0644);
	HARDCTL("apply", "--dry-run", "--rule",
		"root-access.sshd-permit-root-login");
	ck_assert_msg(run.status == 0, "%s", run.err.ptr);
	hc_buf_printf(&pam, "%saccount include common-missing\n", sshd_pam);
	test_write(root_dir, "/etc/pam.d/sshd", pam.ptr, 0644);
	/* Broken before the plan as after it: no way in either time, and said
	 * so. */
	HARDCTL("apply", "--dry-run", "--rule",
		"root-access.sshd-permit-root-login");
	assert_contains(run.err.ptr,
			"admin is no way in: PAM's account stage refuses it: "
			"/etc/pam.d/sshd:");
	assert_contains(run.err.ptr,
			": includes common-missing, which is missing");
	assert_contains(run.err.ptr, "before this plan either");
	test_write(root_dir, "/etc/pam.d/sshd", sshd_pam, 0644);
	test_write(root_dir, "/etc/pam.d/common-account",
		   "account required pam_unix.so\n@include "
		   "common-account\n@include common-account\n",
		   0644);
	HARDCTL("apply", "--dry-run", "--rule",
		"root-access.sshd-permit-root-login");
	assert_contains(run.err.ptr,
			"admin is no way in: PAM's account stage refuses it: "
			"/etc/pam.d/common-account includes itself");
	test_write(root_dir, "/etc/pam.d/common-account",
		   "account required pam_unix.so\n", 0644);

	/* sudo: the last rule naming admin takes ALL away; a Runas without
	 * root. */
	test_replace(root_dir, "/etc/shadow",
		     "admin:!:", "admin:$6$salt$abcdefghijklmnop:");
	test_write(root_dir, "/etc/sudoers.d/admin", "admin ALL=(ALL) !ALL\n",
		   0440);
	HARDCTL("apply", "--dry-run", "--rule",
		"root-access.sshd-permit-root-login");
	ck_assert_int_eq(run.status, 5);
	test_write(root_dir, "/etc/sudoers",
		   "%sudo ALL=(ALL, !root) ALL\n@includedir /etc/sudoers.d\n",
		   0440);
	test_write(root_dir, "/etc/sudoers.d/admin", "admin ALL=(:ALL) ALL\n",
		   0440);
	HARDCTL("apply", "--dry-run", "--rule",
		"root-access.sshd-permit-root-login");
	ck_assert_int_eq(run.status, 5);
	test_write(root_dir, "/etc/sudoers",
		   "Defaults rootpw\n%sudo ALL=(ALL) ALL\n@includedir "
		   "/etc/sudoers.d\n",
		   0440);
	test_write(root_dir, "/etc/sudoers.d/admin", "# nothing\n", 0440);
	HARDCTL("apply", "--dry-run", "--rule",
		"root-access.sshd-permit-root-login");
	ck_assert_int_eq(run.status, 5);
	assert_contains(run.err.ptr, "admin (/etc/sudoers: cannot become root");
	test_write(root_dir, "/etc/sudoers",
		   "%sudo ALL=(ALL) ALL\n@includedir /etc/sudoers.d\n", 0440);
	HARDCTL("apply", "--dry-run", "--rule",
		"root-access.sshd-permit-root-login");
	ck_assert_msg(run.status == 0, "%s", run.err.ptr);

	/* A pattern sshd matches in time the judgment must match in time too.
	 */
	test_replace(
	    root_dir, "/etc/ssh/sshd_config", "Include",
	    "DenyUsers *a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b\nInclude");
	test_replace(root_dir, "/etc/passwd",
		     "admin:x:1000:1000:Admin,,,:/home/admin:/bin/bash\n",
		     "admin:x:1000:1000:Admin,,,:/home/admin:/bin/bash\n"
		     "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa:x:1002:1002:"
		     ":/:/bin/bash\n");
	HARDCTL("apply", "--dry-run", "--rule",
		"root-access.sshd-permit-root-login");
	ck_assert_msg(run.status == 0, "%s", run.err.ptr);

	/*
	 * Sudo syntax the lens cannot read is noted; a rule there may take a
	 * grant away, so while it stands no sudo grant counts.
	 */
	test_write(root_dir, "/etc/sudoers.d/odd",
		   "%sudo, !admin ALL=(ALL:ALL) ALL\n", 0440);
	HARDCTL("apply", "--dry-run", "--rule",
		"root-access.sshd-permit-root-login");
	ck_assert_int_eq(run.status, 5);
	assert_contains(run.err.ptr,
			"lockout check: not judged: /etc/sudoers.d/odd:1:");
	assert_contains(run.err.ptr,
			"admin is no way in: cannot become root for sure: sudo "
			"grants it (/etc/sudoers:1), but /etc/sudoers.d/odd:1 "
			"cannot be read, and may take that away");
	rm_root_file("/etc/sudoers.d/odd");

	/* A name listed twice: getpwnam takes the first. */
	test_replace(root_dir, "/etc/passwd",
		     "admin:x:1000:1000:Admin,,,:/home/admin:/bin/bash\n",
		     "admin:x:1000:1000:Admin,,,:/home/admin:/bin/bash\n"
		     "admin:x:1001:1001::/home/admin2:/usr/sbin/nologin\n");
	HARDCTL("apply", "--dry-run", "--rule",
		"root-access.sshd-permit-root-login");
	ck_assert_msg(run.status == 0, "%s", run.err.ptr);
	free(sshd_pam);
	hc_buf_release(&pam);
}
END_TEST

/* sshd's PAM account stage: pam_access shuts admin out from the network. */
START_TEST(test_access_pam__access_conf_shuts_admin_out)
{
	char *sshd_pam = test_read(root_dir, "/etc/pam.d/sshd");
	struct hc_buf pam = HC_BUF_INIT;

	test_replace(root_dir, "/etc/shadow", ":35::", ":::");
	hc_buf_printf(&pam, "account required pam_access.so\n%s", sshd_pam);
	test_write(root_dir, "/etc/pam.d/sshd", pam.ptr, 0644);
	test_write(root_dir, "/etc/security/access.conf",
		   "-:admin:ALL EXCEPT LOCAL\n", 0644);
	HARDCTL("apply", "--dry-run", "--rule",
		"root-access.sshd-permit-root-login");
	ck_assert_int_eq(run.status, 5);
	assert_contains(
	    run.err.ptr,
	    "admin (/etc/pam.d/sshd: PAM's account stage refuses it: "
	    "/etc/security/access.conf:1: pam_access denies admin");

	/* From some hosts only: a way in from there. */
	test_write(root_dir, "/etc/security/access.conf",
		   "-:admin:ALL EXCEPT LOCAL 192.0.2.0/24\n", 0644);
	HARDCTL("apply", "--dry-run", "--rule",
		"root-access.sshd-permit-root-login");
	ck_assert_msg(run.status == 0, "%s", run.err.ptr);
	free(sshd_pam);
	hc_buf_release(&pam);
}
END_TEST

/* The site may accept having no local administrator, with a reason. */
START_TEST(test_access_guards__accept_no_local_admin)
{
	char tailoring[4096];

	snprintf(tailoring, sizeof(tailoring), "%s/site.conf", root_dir);
	test_write(root_dir, "/site.conf",
		   "[tailoring]\nname = site\nversion = "
		   "1\n\n[guards]\naccept-no-local-admin = yes\n",
		   0644);
	HARDCTL("apply", "--tailoring", tailoring);
	ck_assert_int_eq(run.status, 2);
	assert_contains(run.err.ptr, "site.conf:");
	assert_contains(run.err.ptr, "needs a reason");

	test_write(root_dir, "/site.conf",
		   "[tailoring]\nname = site\nversion = "
		   "1\n\n[guards]\naccept-no-local-admin = yes\n"
		   "reason = administrators log in through SSSD, CHG-42\n",
		   0644);
	HARDCTL("check", "--tailoring", tailoring);
	assert_contains(
	    run.out.ptr,
	    "accept-no-local-admin: administrators log in through SSSD");
	HARDCTL("apply", "--tailoring", tailoring);
	ck_assert_msg(run.status == 0, "%s", run.err.ptr);
	assert_contains(
	    run.out.ptr,
	    "accepted by the tailoring's [guards]: administrators log in "
	    "through SSSD, CHG-42");
	HARDCTL("log");
	assert_contains(
	    run.out.ptr,
	    "accepted by the tailoring: administrators log in through SSSD");

	/* A shared profile may not carry it. */
	test_write(root_dir, "/prof.conf",
		   "[profile]\nname = p\nversion = "
		   "1\n\n[guards]\naccept-no-local-admin = yes\n"
		   "reason = x\n",
		   0644);
	snprintf(tailoring, sizeof(tailoring), "%s/prof.conf", root_dir);
	HARDCTL("check", "-p", tailoring);
	ck_assert_int_eq(run.status, 2);
	assert_contains(run.err.ptr,
			"[guards] belongs in a host's tailoring file");
}
END_TEST

/* The Red Hat era demo as shipped: refused, naming admin and root. */
START_TEST(test_access_demo__as_shipped_refused)
{
	char *demo = test_demo_root_as_shipped();

	TEST_HARDCTL(&run, "--root", demo, "apply");
	ck_assert_int_eq(run.status, 5);
	assert_contains(
	    run.err.ptr,
	    "admin (/etc/shadow: password expired: last changed 2008-01-02");
	assert_contains(
	    run.err.ptr,
	    "root (/etc/ssh/sshd_config: sshd's PermitRootLogin no)");
	test_rmtree(demo);
	free(demo);

	demo = test_demo_root();
	TEST_HARDCTL(&run, "--root", demo, "apply");
	ck_assert_msg(run.status == 0, "%s", run.err.ptr);
	assert_contains(run.out.ptr, "lockout check: admin can log in over ssh "
				     "(password, su (group wheel))");
	assert_lacks(run.out.ptr, "expires admin");
	test_rmtree(demo);
	free(demo);
}
END_TEST

/*
 * sudoers may include any file.  A plan that changes one changes who may
 * become root, even when it touches nothing of sshd, PAM or the account
 * files: here the banner rule rewrites /etc/issue, which held admin's
 * only sudo grant, and root has no way in of its own.  The judgment
 * reads the file as sudoers while the plan writes it as a banner: it
 * says so and nothing is written (before, it was not judged at all).
 */
START_TEST(test_access_sudo__included_file_the_plan_changes)
{
	char *issue;

	test_write(root_dir, "/etc/sudoers", "@include /etc/issue\n", 0440);
	test_write(root_dir, "/etc/issue", "admin ALL=(ALL:ALL) ALL\n", 0644);
	rm_root_file("/root/.ssh/authorized_keys");
	HARDCTL("apply", "--dry-run", "--rule", "banner.issue");
	ck_assert_msg(run.status != 0, "%s", run.err.ptr);
	assert_contains(run.err.ptr,
			"/etc/issue: read with lens "
			"Hardctl_Text.lns and Hardctl_Sudoers.lns");
	HARDCTL("apply", "--rule", "banner.issue");
	ck_assert_int_ne(run.status, 0);
	issue = test_read(root_dir, "/etc/issue");
	ck_assert_str_eq(issue, "admin ALL=(ALL:ALL) ALL\n");
	free(issue);
}
END_TEST

/*
 * The same file, reached through a link in sudoers.d: sudo reads what
 * the link names, and so must the judgment, where the plan writes it.
 */
START_TEST(test_access_sudo__included_through_a_link)
{
	char *issue;

	test_write(root_dir, "/etc/issue", "admin ALL=(ALL:ALL) ALL\n", 0644);
	test_write(root_dir, "/etc/sudoers", "@includedir /etc/sudoers.d\n",
		   0440);
	test_link(root_dir, "/etc/sudoers.d/admin", "../issue");
	rm_root_file("/root/.ssh/authorized_keys");
	HARDCTL("apply", "--rule", "banner.issue");
	ck_assert_msg(run.status != 0, "%s", run.err.ptr);
	issue = test_read(root_dir, "/etc/issue");
	ck_assert_str_eq(issue, "admin ALL=(ALL:ALL) ALL\n");
	free(issue);
}
END_TEST

/*
 * sudo passes over what in an includedir is no regular file.  Now that
 * every plan reads sudoers, a directory or a FIFO there must not fail
 * an apply that touches nothing sudo reads, nor one that is judged.
 */
START_TEST(test_access_sudo__includedir_odd_entries_passed_over)
{
	char fifo[4096];

	test_mkdirs(root_dir, "/etc/sudoers.d/old");
	snprintf(fifo, sizeof(fifo), "%s/etc/sudoers.d/pipe", root_dir);
	ck_assert_int_eq(mkfifo(fifo, 0600), 0);
	test_link(root_dir, "/etc/sudoers.d/gone", "/nowhere");
	HARDCTL("apply", "--dry-run", "--rule", "banner.issue");
	ck_assert_msg(run.status == 0, "%s", run.err.ptr);
	HARDCTL("apply", "--dry-run", "--rule",
		"root-access.sshd-permit-root-login");
	ck_assert_msg(run.status == 0, "%s", run.err.ptr);
	assert_contains(run.err.ptr, "admin can log in over ssh");
}
END_TEST

/* The same include, named as sudo takes it but not as the plan does. */
START_TEST(test_access_sudo__included_file_named_unclean)
{
	static const char *const names[] = {"/etc//issue", "/etc/./issue",
					    "/etc/ssh/../issue"};
	char sudoers[64], *issue;

	test_write(root_dir, "/etc/issue", "admin ALL=(ALL:ALL) ALL\n", 0644);
	rm_root_file("/root/.ssh/authorized_keys");
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		snprintf(sudoers, sizeof(sudoers), "@include %s\n", names[i]);
		test_write(root_dir, "/etc/sudoers", sudoers, 0440);
		HARDCTL("apply", "--rule", "banner.issue");
		ck_assert_msg(run.status != 0, "%s: %s", names[i], run.err.ptr);
		issue = test_read(root_dir, "/etc/issue");
		ck_assert_str_eq(issue, "admin ALL=(ALL:ALL) ALL\n");
		free(issue);
	}
}
END_TEST

/*
 * sshd and PAM may read files anywhere too: a key file named by
 * AuthorizedKeysFile outside the homes is read by the judgment of the
 * host as it is, and a plan that changes it is judged (here it writes a
 * banner over root's only key: refused, nothing written; before, the
 * plan was not judged at all).
 */
START_TEST(test_access_sshd__key_file_the_plan_changes)
{
	char *issue;

	rm_root_file("/root/.ssh/authorized_keys");
	test_write(root_dir, "/etc/issue", key, 0644);
	test_replace(root_dir, "/etc/ssh/sshd_config", "Include",
		     "AuthorizedKeysFile /etc/issue\nInclude");
	/* admin has no way in of its own. */
	test_replace(root_dir, "/etc/group", "sudo:*:27:admin", "sudo:*:27:");
	HARDCTL("apply", "--dry-run", "--rule", "banner.issue");
	ck_assert_msg(run.status != 0, "%s", run.err.ptr);
	assert_contains(run.err.ptr, "/etc/issue");
	HARDCTL("apply", "--rule", "banner.issue");
	ck_assert_int_ne(run.status, 0);
	issue = test_read(root_dir, "/etc/issue");
	ck_assert_str_eq(issue, key);
	free(issue);
	/* A plan that changes nothing the judgment reads goes through. */
	HARDCTL("apply", "--rule", "banner.motd");
	ck_assert_msg(run.status == 0, "%s", run.err.ptr);
}
END_TEST

/*
 * A host whose own sshd configuration sshd rejects cannot be judged: an
 * apply says so, blames the host's file and not the plan's rules, exits
 * 2 as for a file that does not parse, and writes nothing.
 */
START_TEST(test_access_host_unjudgeable__its_file_blamed)
{
	char *motd, *after;

	if (test_oracle(access("/usr/sbin/sshd", X_OK) != 0 ||
				access("/run/sshd", F_OK) != 0
			    ? "no sshd or /run/sshd"
			    : NULL))
		return;
	motd = test_read(root_dir, "/etc/motd");
	test_replace(root_dir, "/etc/ssh/sshd_config", "Include",
		     "NoSuchOption yes\nInclude");
	HARDCTL("apply", "--rule", "banner.motd");
	ck_assert_int_eq(run.status, 2);
	assert_contains(run.err.ptr, "/etc/ssh/sshd_config:");
	assert_contains(run.err.ptr, "lockout check: cannot judge the host as "
				     "it is, so no plan can be judged");
	ck_assert_ptr_null(strstr(run.err.ptr, "would leave"));
	after = test_read(root_dir, "/etc/motd");
	ck_assert_str_eq(after, motd);
	free(after);
	free(motd);
}
END_TEST

/*
 * sshd reads a drop-in that is a link to a file a rule writes: the
 * state after the plan cannot be read under the link's name, so the
 * plan is refused, saying why, and nothing is written (before, it was
 * applied unjudged, and sshd would have read the banner as its
 * configuration at its next start).  A plan that leaves the target
 * alone goes through.
 */
START_TEST(test_access_sshd__drop_in_linked_to_a_planned_file)
{
	char *text;

	test_write(root_dir, "/etc/issue.net",
		   "PermitRootLogin prohibit-password\n", 0644);
	test_link(root_dir, "/etc/ssh/sshd_config.d/50-site.conf",
		  "/etc/issue.net");
	HARDCTL("apply", "--rule", "banner.issue-net");
	ck_assert_int_eq(run.status, 5);
	assert_contains(run.err.ptr, "/etc/issue.net: ");
	assert_contains(run.err.ptr, "reads through a symbolic link");
	text = test_read(root_dir, "/etc/issue.net");
	ck_assert_str_eq(text, "PermitRootLogin prohibit-password\n");
	free(text);
	HARDCTL("apply", "--rule", "banner.motd");
	ck_assert_msg(run.status == 0, "%s", run.err.ptr);
}
END_TEST

/*
 * sudo's own parser on FILE: visudo's verdict (it must take the file, or
 * the case is wrong) and then, into OUT, what cvtsudoers prints back of
 * its Defaults, one line each: "NAME" or "!NAME" per entry, in order,
 * then how many user specifications it holds.  False when sudo's tools
 * are not here.
 */
static bool sudo_defaults_said(struct hc_buf *out, const char *file)
{
	static const char script[] =
	    "PATH=$PATH:/usr/sbin\n"
	    "command -v visudo >/dev/null && command -v cvtsudoers >/dev/null "
	    "|| exit 0\n"
	    "visudo -c -q -f \"$1\" >&2 || { echo rejected; exit 0; }\n"
	    "echo sudo; cvtsudoers -f sudoers \"$1\" 2>/dev/null\n";
	struct test_run r = {0};
	size_t specs = 0;
	const char *l;

	hc_buf_clear(out);
	TEST_RUN(&r, "/bin/sh", "-c", script, "sh", file);
	l = hc_buf_cstr(&r.out);
	if (strncmp(l, "sudo\n", 5) != 0) {
		ck_assert_msg(strncmp(l, "rejected", 8) != 0,
			      "visudo rejects %s:\n%s", file, r.err.ptr);
		test_run_release(&r);
		return false;
	}
	for (l += 5; *l; l += strcspn(l, "\n"), l += *l == '\n') {
		const char *p = l + 8;
		bool quoted = false;

		if (strncmp(l, "Defaults", 8) != 0) {
			specs += *l != '\n' && strstr(l, "_Alias ") != l + 4 &&
				 strstr(l, "_Alias ") != l + 5;
			continue;
		}
		/* The binding: items joined by ", ". */
		if (strchr(":@>!", *p))
			while (*p && *p != '\n' && !(*p == ' ' && p[-1] != ','))
				p++;
		while (*p && *p != '\n') {
			p += strspn(p, " ");
			if (*p == '!')
				hc_buf_put(out, p++, 1);
			hc_buf_put(out, p,
				   strspn(p, "abcdefghijklmnopqrstuvwxyz_"));
			hc_buf_puts(out, " ");
			/* As sudo reads them: out of quotes a backslash
			 * takes the next character, in quotes only a quote. */
			for (; *p && *p != '\n' && (quoted || *p != ','); p++)
				if (*p == '\\' && p[1] && p[1] != '\n' &&
				    (!quoted || p[1] == '"'))
					p++;
				else
					quoted ^= *p == '"';
			p += *p == ',';
		}
		hc_buf_puts(out, "\n");
	}
	hc_buf_printf(out, "%zu specs\n", specs);
	test_run_release(&r);
	return true;
}

/*
 * The same, as the judgment's lens reads FILE (under T's root): false
 * when it does not parse.
 */
static bool lens_defaults_read(struct hc_buf *out, struct test_ctx *t,
			       const char *path)
{
	struct hc_strlist lines = HC_STRLIST_INIT, params = HC_STRLIST_INIT,
			  neg = HC_STRLIST_INIT;
	struct hc_buf pattern = HC_BUF_INIT;
	struct hc_file *file = NULL;
	struct hc_ctx c;
	int r;

	hc_buf_clear(out);
	hc_ctx_init(&c, t->root, t->aug, t->profile);
	if ((r = hc_ctx_file(&file, &c, path, "Hardctl_Sudoers.lns", 0)) ==
	    HC_EPARSE) {
		hc_error_clear();
		hc_ctx_release(&c);
		return false;
	}
	ck_assert_msg(r == 0, "%s", hc_error_last()->message);
	ck_assert_int_eq(hc_file_match(&lines, file, "Defaults"), 0);
	for (size_t i = 0; i < lines.n; i++) {
		hc_strlist_release(&params);
		hc_buf_clear(&pattern);
		hc_buf_printf(&pattern,
			      "%s/*[label() != 'type' and "
			      "label() != '#comment']",
			      lines.v[i]);
		ck_assert_int_eq(hc_file_match(&params, file, pattern.ptr), 0);
		for (size_t j = 0; j < params.n; j++) {
			hc_strlist_release(&neg);
			hc_buf_clear(&pattern);
			hc_buf_printf(&pattern, "%s/negate", params.v[j]);
			ck_assert_int_eq(hc_file_match(&neg, file, pattern.ptr),
					 0);
			hc_buf_printf(out, "%s%s ", neg.n ? "!" : "",
				      hc_file_label(file, params.v[j]));
		}
		hc_buf_puts(out, "\n");
	}
	hc_buf_printf(out, "%d specs\n", hc_file_count(file, "spec"));
	hc_buf_release(&pattern);
	hc_strlist_release(&neg);
	hc_strlist_release(&params);
	hc_strlist_release(&lines);
	hc_ctx_release(&c);
	return true;
}

/*
 * Every Defaults entry the judgment's lens reads, it reads as sudo's own
 * parser does (cvtsudoers prints it back): the same parameters, in the
 * same order, negated alike.  Among them the parameters Augeas's
 * Sudoers lens lacks, whose files it could not read at all.
 */
START_TEST(test_access_sudo__defaults_as_sudo_reads_them)
{
	static const char *const files[] = {
	    "Defaults\tenv_reset\nDefaults\tmail_badpass\n"
	    "Defaults\tsecure_path=\"/usr/local/sbin:/usr/bin:/sbin:/bin\"\n"
	    "Defaults\tuse_pty\n",
	    "Defaults timestamp_type=global,!!rootpw , passwd_tries = 5\n",
	    "Defaults iolog_dir=/var/log/sudo-io, !pam_session,log_subcmds\n",
	    "Defaults:bob, alice !authenticate, env_keep -= \"LANG TZ\"\n",
	    "Defaults>root !! ! targetpw, !! umask=022\n",
	    "Defaults!/bin/ls lecture=never # quiet\n",
	    "Defaults@db1 secure_path=\"/a b:/c,d#e\", env_delete \\\n"
	    "    += TZ\n",
	    "Defaults passprompt=\"a b\\\"c\", !!! lecture\n",
	    "Defaults:%sudo env_keep += \"http_proxy https_proxy\"\n"
	    "Defaults\t! rootpw, intercept_verify\n",
	    /* In quotes a backslash escapes only a quote. */
	    "Defaults env_keep=\"A\\\\\" # \", rootpw\n"
	    "admin ALL=(ALL) ALL\n",
	    "Defaults rootpw\n"
	    "Defaults env_keep=\"A\\\\\", !rootpw, env_keep=\", "
	    "env_keep=\" # \"\n",
	    "Defaults env_keep=\"A\\\\\\\\ B\", !rootpw\n",
	};
	/*
	 * What the lens may leave unread (the file is then not judged), but
	 * never read otherwise: a string continued on the next line (which
	 * then is no line of its own), a word continued by a backslash, CR
	 * and LF (the "#include" after it is a comment to sudo).
	 */
	static const char *const hostile[] = {
	    "Defaults env_keep=\"A\\\\\" # \\\n"
	    "%sudo ALL=(ALL:ALL) ALL # \"\n",
	    "Defaults env_keep=\"A \\\n"
	    "%sudo ALL=(ALL:ALL) ALL # \"\n",
	    "Defaults secure_path=/usr/bin\\\r\n"
	    "#include /etc/sudoers.extra\n"
	    "%sudo ALL=(ALL:ALL) ALL\n",
	};
	struct test_ctx t;
	struct hc_buf said = HC_BUF_INIT, read = HC_BUF_INIT;
	char path[4096];

	test_ctx_setup(&t, "debian12");
	snprintf(path, sizeof(path), "%s/etc/sudoers", t.root_dir);
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		test_write(t.root_dir, "/etc/sudoers", files[i], 0440);
		if (!sudo_defaults_said(&said, path)) {
			test_oracle("visudo or cvtsudoers is missing");
			break;
		}
		ck_assert_msg(lens_defaults_read(&read, &t, "/etc/sudoers"),
			      "case %zu does not parse", i);
		ck_assert_msg(strcmp(said.ptr, read.ptr) == 0,
			      "case %zu: sudo reads\n%shardctl\n%s", i,
			      said.ptr, read.ptr);
	}
	for (size_t i = 0; i < sizeof(hostile) / sizeof(hostile[0]); i++) {
		test_write(t.root_dir, "/etc/sudoers", hostile[i], 0440);
		if (!sudo_defaults_said(&said, path))
			break;
		if (lens_defaults_read(&read, &t, "/etc/sudoers"))
			ck_assert_msg(strcmp(said.ptr, read.ptr) == 0,
				      "hostile case %zu: sudo reads\n%s"
				      "hardctl\n%s",
				      i, said.ptr, read.ptr);
	}
	hc_buf_release(&said);
	hc_buf_release(&read);
	test_ctx_teardown(&t);
}
END_TEST

/*
 * A file holding a parameter Augeas's Sudoers lens lacks did not parse:
 * what it took away went unseen ("not judged"), and a plan that left
 * admin no way to root went on.  sudo reads each of these (visudo says
 * so); the judgment reads them as sudo does.
 */
START_TEST(test_access_sudo__defaults_sudo_knows_are_read)
{
	static const char *const refused[] = {
	    /* A grant taken away. */
	    "Defaults timestamp_type=global\nadmin ALL=(ALL) !ALL\n",
	    "Defaults iolog_dir=/var/log/sudo-io, !pam_session\n"
	    "%sudo ALL=(ALL) !ALL\n",
	    /* Root's password asked, which nobody knows. */
	    "Defaults:admin log_subcmds, rootpw\n",
	    "Defaults !! ! lecture, intercept_verify, targetpw\n",
	};
	struct hc_buf said = HC_BUF_INIT;
	char path[4096];

	snprintf(path, sizeof(path), "%s/etc/sudoers.d/admin", root_dir);
	for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		test_write(root_dir, "/etc/sudoers.d/admin", refused[i], 0440);
		if (!sudo_defaults_said(&said, path))
			test_oracle("visudo or cvtsudoers is missing");
		HARDCTL("apply", "--dry-run", "--rule",
			"root-access.sshd-permit-root-login");
		ck_assert_msg(run.status == 5, "case %zu: exit %d\n%s", i,
			      run.status, run.err.ptr);
		assert_lacks(run.err.ptr, "not judged");
	}
	/* Parameters alone: admin keeps its way in. */
	test_write(root_dir, "/etc/sudoers.d/admin",
		   "Defaults timestamp_type=global, !lecture, log_subcmds\n",
		   0440);
	HARDCTL("apply", "--dry-run", "--rule",
		"root-access.sshd-permit-root-login");
	ck_assert_msg(run.status == 0, "%s", run.err.ptr);
	assert_lacks(run.err.ptr, "not judged");
	hc_buf_release(&said);
}
END_TEST

/*
 * sudo applies Defaults in file order, includes where they stand: a
 * "Defaults rootpw" after the includedir outweighs a "!rootpw" in it
 * (the judgment read a file's Defaults before its includes).  A scoped
 * "authenticate" asks admin for a password after a global
 * "!authenticate" (the judgment passed over it).  Both found by a red
 * team, each checked with sudo itself.
 */
START_TEST(test_access_sudo__defaults_in_file_order)
{
	static const char *const rule = "root-access.sshd-permit-root-login";

	test_write(root_dir, "/etc/sudoers.d/admin", "Defaults !rootpw\n",
		   0440);
	test_write(root_dir, "/etc/sudoers",
		   "%sudo ALL=(ALL:ALL) ALL\n@includedir /etc/sudoers.d\n"
		   "Defaults rootpw\n",
		   0440);
	HARDCTL("apply", "--dry-run", "--rule", rule);
	ck_assert_msg(run.status == 5, "%s", run.err.ptr);
	assert_contains(run.err.ptr, "cannot become root");
	test_write(root_dir, "/etc/sudoers",
		   "%sudo ALL=(ALL:ALL) ALL\nDefaults rootpw\n"
		   "@includedir /etc/sudoers.d\n",
		   0440);
	HARDCTL("apply", "--dry-run", "--rule", rule);
	ck_assert_msg(run.status == 0, "%s", run.err.ptr);

	/* admin: no password, a key, sudo without a password. */
	test_replace(root_dir, "/etc/shadow", hash, "!");
	test_write(root_dir, "/home/admin/.ssh/authorized_keys", key, 0644);
	test_write(root_dir, "/etc/sudoers",
		   "Defaults !authenticate\n%sudo ALL=(ALL:ALL) ALL\n"
		   "@includedir /etc/sudoers.d\n",
		   0440);
	test_write(root_dir, "/etc/sudoers.d/admin", "# nothing\n", 0440);
	HARDCTL("apply", "--dry-run", "--rule", rule);
	ck_assert_msg(run.status == 0, "%s", run.err.ptr);
	test_write(root_dir, "/etc/sudoers.d/admin",
		   "Defaults:admin authenticate\n", 0440);
	HARDCTL("apply", "--dry-run", "--rule", rule);
	ck_assert_msg(run.status == 5, "%s", run.err.ptr);
	/* Scoped, it never asks less. */
	test_write(root_dir, "/etc/sudoers",
		   "%sudo ALL=(ALL:ALL) ALL\n@includedir /etc/sudoers.d\n",
		   0440);
	test_write(root_dir, "/etc/sudoers.d/admin",
		   "Defaults:admin !authenticate\n", 0440);
	HARDCTL("apply", "--dry-run", "--rule", rule);
	ck_assert_msg(run.status == 5, "%s", run.err.ptr);
}
END_TEST

/*
 * A Cmnd_Alias or Runas_Alias that takes in ALL (or root) is ALL to sudo,
 * wherever it is defined, before or after its use, in any file: "admin
 * ALL=(ALL:ALL) !EVERYTHING" took admin's grant away unseen (found by a
 * red team, checked with sudo itself).
 */
START_TEST(test_access_sudo__command_and_runas_aliases)
{
	static const struct {
		const char *admin, *zz;
		int status;
	} cases[] = {
	    /* Defined after its use, in a later file. */
	    {"admin ALL=(ALL:ALL) !EVERYTHING\n",
	     "Cmnd_Alias EVERYTHING = /bin/true, ALL\n", 5},
	    {"admin ALL=(ALL:ALL) !EVERYTHING\n",
	     "Cmnd_Alias EVERYTHING = MOST\nCmnd_Alias MOST = ALL\n", 5},
	    {"admin ALL=(ALL:ALL) !EVERYTHING\n",
	     "Cmnd_Alias EVERYTHING = /bin/true\n", 0},
	    {"%sudo ALL=(R) !ALL\n", "Runas_Alias R = nobody, root\n", 5},
	    {"%sudo ALL=(R) !ALL\n",
	     "Runas_Alias R = OPS\n"
	     "Runas_Alias OPS = root\n",
	     5},
	    {"%sudo ALL=(R) !ALL\n", "Runas_Alias R = nobody\n", 0},
	    /* A cycle, which sudo refuses: no grant taken away here. */
	    {"admin ALL=(ALL:ALL) !A\n", "Cmnd_Alias A = B\nCmnd_Alias B = A\n",
	     0},
	};
	static const char *const rule = "root-access.sshd-permit-root-login";

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		test_write(root_dir, "/etc/sudoers.d/admin", cases[i].admin,
			   0440);
		test_write(root_dir, "/etc/sudoers.d/zz", cases[i].zz, 0440);
		HARDCTL("apply", "--dry-run", "--rule", rule);
		ck_assert_msg(run.status == cases[i].status,
			      "case %zu: exit %d\n%s", i, run.status,
			      run.err.ptr);
	}
	/* A grant through aliases is a grant. */
	rm_root_file("/etc/sudoers.d/zz");
	test_write(root_dir, "/etc/sudoers.d/admin", "# nothing\n", 0440);
	test_write(root_dir, "/etc/sudoers",
		   "%sudo ALL=(R) EVERYTHING\n@includedir /etc/sudoers.d\n"
		   "Cmnd_Alias EVERYTHING = ALL\nRunas_Alias R = ALL\n",
		   0440);
	HARDCTL("apply", "--dry-run", "--rule", rule);
	ck_assert_msg(run.status == 0, "%s", run.err.ptr);
	test_write(root_dir, "/etc/sudoers",
		   "%sudo ALL=(R) EVERYTHING\n@includedir /etc/sudoers.d\n"
		   "Cmnd_Alias EVERYTHING = /bin/true\nRunas_Alias R = ALL\n",
		   0440);
	HARDCTL("apply", "--dry-run", "--rule", rule);
	ck_assert_msg(run.status == 5, "%s", run.err.ptr);
}
END_TEST

/*
 * What sudoers says past the judgment's limits was passed over: the 65th
 * file of sudoers.d, an include 9 deep.  sudo reads them all (up to 128
 * deep, past which it refuses sudoers): so does the judgment, and past
 * its limits no sudo grant counts.
 */
START_TEST(test_access_sudo__includes_deep_and_many)
{
	static const char *const rule = "root-access.sshd-permit-root-login";
	char name[64], text[128];

	for (int i = 0; i < 100; i++) {
		snprintf(name, sizeof(name), "/etc/sudoers.d/f%03d", i);
		test_write(root_dir, name, "# nothing\n", 0440);
	}
	HARDCTL("apply", "--dry-run", "--rule", rule);
	ck_assert_msg(run.status == 0, "%s", run.err.ptr);
	test_write(root_dir, "/etc/sudoers.d/f099", "admin ALL=(ALL) !ALL\n",
		   0440);
	HARDCTL("apply", "--dry-run", "--rule", rule);
	ck_assert_msg(run.status == 5, "%s", run.err.ptr);
	rm_root_file("/etc/sudoers.d/f099");

	/* A chain 20 deep, the grant taken away at its end. */
	for (int i = 0; i < 20; i++) {
		snprintf(name, sizeof(name), "/etc/deep/d%d", i);
		snprintf(text, sizeof(text), "@include /etc/deep/d%d\n", i + 1);
		test_write(root_dir, name, text, 0440);
	}
	test_write(root_dir, "/etc/deep/d20", "admin ALL=(ALL) !ALL\n", 0440);
	test_write(root_dir, "/etc/sudoers.d/f000", "@include /etc/deep/d0\n",
		   0440);
	HARDCTL("apply", "--dry-run", "--rule", rule);
	ck_assert_msg(run.status == 5, "%s", run.err.ptr);
	assert_contains(run.err.ptr,
			"admin is no way in: cannot become root (no sudoers");

	/* A file that includes itself: sudo refuses sudoers, so no grant. */
	test_write(root_dir, "/etc/sudoers.d/f000",
		   "@include /etc/sudoers.d/f000\n", 0440);
	HARDCTL("apply", "--dry-run", "--rule", rule);
	ck_assert_msg(run.status == 5, "%s", run.err.ptr);
	assert_contains(run.err.ptr, "/etc/sudoers.d/f000 (included past 128 "
				     "levels or 1024 files) cannot be read");
}
END_TEST

/* chown ROOT_DIR/PATH to UID; false when this process may not. */
static bool chown_root_file(const char *path, uid_t uid)
{
	char p[4096];

	snprintf(p, sizeof(p), "%s%s", root_dir, path);
	return chown(p, uid, (gid_t)-1) == 0;
}

/*
 * sudoers as sudo 1.9.13 reads it, case by case: each found by a red
 * team where the judgment let admin keep a way to root that sudo denied
 * (each checked with sudo itself: su admin -c 'sudo -S id -u'), and
 * controls that sudo grants.  Aliases answer by their last matching
 * member, "!" turning it about, and keep their first definition; Runas
 * and tags carry on within a host group; a negated host may be this
 * one; targetpw, runaspw and passwd_tries=0 ask what admin cannot give;
 * a relative include is read beside its file, "%h" is not known.
 */
START_TEST(test_access_sudo__as_sudo_reads_it)
{
	static const struct {
		const char *sudoers;
		int status;
	} cases[] = {
	    {"Cmnd_Alias NOTHING = !ALL\nadmin ALL=(ALL) ALL, NOTHING\n", 5},
	    {"Runas_Alias NR = !root\n%sudo ALL=(ALL, NR) ALL\n", 5},
	    {"Runas_Alias R = ALL, !root\n%sudo ALL=(R) ALL\n", 5},
	    {"User_Alias STAFF = ALL, !admin\n%sudo, STAFF ALL=(ALL:ALL) ALL\n",
	     5},
	    {"Runas_Alias R = nobody\nRunas_Alias R = root\n"
	     "%sudo ALL=(R) ALL\n",
	     5},
	    {"%sudo ALL=(nobody) /bin/true, ALL\n", 5},
	    {"%sudo ALL, !ALL = (ALL:ALL) ALL\n", 5},
	    {"%sudo ALL, !db1 = (ALL:ALL) ALL\n", 5},
	    {"Defaults targetpw\nDefaults !rootpw\n%sudo ALL=(ALL:ALL) ALL\n",
	     5},
	    {"Defaults runaspw\n%sudo ALL=(ALL:ALL) ALL\n", 5},
	    {"Defaults passwd_tries=0\n%sudo ALL=(ALL:ALL) ALL\n", 5},
	    {"%sudo ALL=(ALL:ALL) ALL\n@include /etc/sudoers.d/x.%h\n", 5},
	    /* A third round: names as sudo's lexer reads them, any case. */
	    {"%sudo ALL=(ALL:ALL) ALL\naDMIN ALL=(ALL) !ALL\n", 5},
	    {"%sudo ALL=(ALL:ALL) ALL\nUser_Alias NOPE = \"admin\"\n"
	     "NOPE ALL=(ALL) !ALL\n",
	     5},
	    {"User_Alias ADMINS = %sudo, ! admin\nADMINS ALL=(ALL:ALL) ALL\n",
	     5},
	    {"User_Alias ADMINS = %sudo, !!!admin\nADMINS ALL=(ALL:ALL) ALL\n",
	     5},
	    {"%sudo ALL=(ALL, ! root) ALL\n", 5},
	    {"%sudo ALL=(ALL, !!!Root) ALL\n", 5},
	    {"Runas_Alias R = ALL, ! root\n%sudo ALL=(R) ALL\n", 5},
	    {"User_Alias A = bob\nUser_Alias A = carol : B = admin\n"
	     "B ALL=(ALL:ALL) ALL\n",
	     5},
	    {"%sudo ALL=(ALL:ALL) ALL\nDefaults:admin runchroot=/nonexistent\n",
	     5},
	    {"%sudo ALL=(ALL:ALL) ALL\nDefaults runcwd=/nonexistent\n", 5},
	    {"Defaults passwd_tries=\\0\n%sudo ALL=(ALL:ALL) ALL\n", 5},
	    {"%sudo ALL=(ALL:ALL) ALL\n@include /etc/sudo\\-deny\n", 5},
	    {"%sudo ALL=(ALL:ALL) ALL\n@includedir /etc/deny[1]\n", 5},
	    {"%sudo ALL=(ALL:ALL) ALL\n@include /etc/missing\n", 5},
	    /* What sudo grants. */
	    {"%sudo ALL=(ALL:ALL) ALL\n", 0},
	    {"Runas_Alias R = nobody, ALL\n%sudo ALL=(R) ALL\n", 0},
	    {"Runas_Alias R = root\nRunas_Alias R = nobody\n"
	     "%sudo ALL=(R) ALL\n",
	     0},
	    {"%sudo ALL=(nobody) /bin/true, (root) ALL\n", 0},
	    {"%sudo ALL, !db1, ALL = (ALL:ALL) ALL\n", 0},
	    {"Defaults passwd_tries=3\n%sudo ALL=(ALL:ALL) ALL\n", 0},
	    {"Cmnd_Alias NOTHING = !ALL\n"
	     "admin ALL=(ALL) ALL, !NOTHING\n",
	     0},
	    {"%sudo ALL=(ALL:ALL) ALL\nUser_Alias NOPE = \"bob\"\n"
	     "NOPE ALL=(ALL) !ALL\n",
	     0},
	    {"User_Alias A = bob\nUser_Alias C = carol : B = admin\n"
	     "B ALL=(ALL:ALL) ALL\n",
	     0},
	    {"Defaults runcwd=~, runchroot=*\n%sudo ALL=(ALL:ALL) ALL\n", 0},
	};
	static const char *const rule = "root-access.sshd-permit-root-login";
	struct hc_buf text = HC_BUF_INIT;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		hc_buf_clear(&text);
		hc_buf_printf(&text,
			      "Defaults env_reset\nroot ALL=(ALL:ALL) "
			      "ALL\n%s",
			      cases[i].sudoers);
		test_write(root_dir, "/etc/sudoers", text.ptr, 0440);
		HARDCTL("apply", "--dry-run", "--rule", rule);
		ck_assert_msg(run.status == cases[i].status,
			      "case %zu: exit %d\n%s", i, run.status,
			      run.err.ptr);
	}
	/* A chain of 71 aliases that takes ALL away. */
	hc_buf_clear(&text);
	hc_buf_puts(&text, "%sudo ALL=(ALL:ALL) ALL, !C1\n");
	for (int i = 1; i < 71; i++)
		hc_buf_printf(&text, "Cmnd_Alias C%d = C%d\n", i, i + 1);
	hc_buf_puts(&text, "Cmnd_Alias C71 = ALL\n");
	test_write(root_dir, "/etc/sudoers", text.ptr, 0440);
	HARDCTL("apply", "--dry-run", "--rule", rule);
	ck_assert_msg(run.status == 5, "%s", run.err.ptr);

	/*
	 * A quoted include; aliases taken where they stand, an include's
	 * before the lines after it (sudo keeps the first).
	 */
	test_write(root_dir, "/etc/sudo-deny", "admin ALL=(ALL) !ALL\n", 0440);
	test_write(root_dir, "/etc/sudoers",
		   "%sudo ALL=(ALL:ALL) ALL\n@include \"/etc/sudo-deny\"\n",
		   0440);
	HARDCTL("apply", "--dry-run", "--rule", rule);
	ck_assert_msg(run.status == 5, "%s", run.err.ptr);
	test_write(root_dir, "/etc/sudo-deny", "User_Alias X = admin\n", 0440);
	test_write(root_dir, "/etc/sudoers",
		   "@include /etc/sudo-deny\nUser_Alias X = bob\n"
		   "%sudo ALL=(ALL:ALL) ALL\nX ALL=(ALL) !ALL\n",
		   0440);
	HARDCTL("apply", "--dry-run", "--rule", rule);
	ck_assert_msg(run.status == 5, "%s", run.err.ptr);

	/* A relative include, beside the file that names it. */
	test_write(root_dir, "/etc/sudoers",
		   "%sudo ALL=(ALL:ALL) ALL\n@includedir /etc/sudoers.d\n",
		   0440);
	test_write(root_dir, "/etc/sudoers.d/a", "@include local.conf\n", 0440);
	test_write(root_dir, "/etc/sudoers.d/local.conf",
		   "admin ALL=(ALL) !ALL\n", 0440);
	HARDCTL("apply", "--dry-run", "--rule", rule);
	ck_assert_msg(run.status == 5, "%s", run.err.ptr);
	test_write(root_dir, "/etc/sudoers.d/local.conf", "# nothing\n", 0440);
	HARDCTL("apply", "--dry-run", "--rule", rule);
	ck_assert_msg(run.status == 0, "%s", run.err.ptr);

	/* Tags end at ":": admin has no password to give, only a key. */
	test_replace(root_dir, "/etc/shadow", hash, "!");
	test_write(root_dir, "/home/admin/.ssh/authorized_keys", key, 0644);
	test_write(root_dir, "/etc/sudoers",
		   "%sudo db1 = NOPASSWD: /bin/true : ALL = (ALL:ALL) ALL\n",
		   0440);
	HARDCTL("apply", "--dry-run", "--rule", rule);
	ck_assert_msg(run.status == 5, "%s", run.err.ptr);
	test_write(root_dir, "/etc/sudoers",
		   "%sudo ALL = (ALL:ALL) NOPASSWD: /bin/true, ALL\n", 0440);
	HARDCTL("apply", "--dry-run", "--rule", rule);
	ck_assert_msg(run.status == 0, "%s", run.err.ptr);
	/* A PASSWD tag asks a password where !authenticate asks none. */
	test_write(root_dir, "/etc/sudoers",
		   "Defaults !authenticate\n%sudo ALL=(ALL:ALL) PASSWD: ALL\n",
		   0440);
	HARDCTL("apply", "--dry-run", "--rule", rule);
	ck_assert_msg(run.status == 5, "%s", run.err.ptr);
	test_write(root_dir, "/etc/sudoers",
		   "Defaults !authenticate\n%sudo ALL=(ALL:ALL) ALL\n", 0440);
	HARDCTL("apply", "--dry-run", "--rule", rule);
	ck_assert_msg(run.status == 0, "%s", run.err.ptr);
	hc_buf_release(&text);
}
END_TEST

/*
 * sudo ignores a sudoers file, or a whole includedir, that is not root's
 * or that others may write (and, for /etc/sudoers itself, every grant):
 * the judgment counted what they granted.
 */
START_TEST(test_access_sudo__files_sudo_does_not_trust)
{
	static const char *const rule = "root-access.sshd-permit-root-login";
	char p[4096];

	if (geteuid() != 0) {
		test_oracle("files cannot be given to another owner");
		return;
	}
	test_write(root_dir, "/etc/sudoers",
		   "root ALL=(ALL:ALL) ALL\n@includedir /etc/sudoers.d\n",
		   0440);
	test_write(root_dir, "/etc/sudoers.d/admin",
		   "%sudo ALL=(ALL:ALL) ALL\n", 0440);
	HARDCTL("apply", "--dry-run", "--rule", rule);
	ck_assert_msg(run.status == 0, "%s", run.err.ptr);
	ck_assert(chown_root_file("/etc/sudoers.d/admin", 1000));
	HARDCTL("apply", "--dry-run", "--rule", rule);
	ck_assert_msg(run.status == 5, "%s", run.err.ptr);
	assert_contains(run.err.ptr, "/etc/sudoers.d/admin is not root's, or "
				     "others may write it: sudo ignores it");
	ck_assert(chown_root_file("/etc/sudoers.d/admin", 0));
	/* Group-writable, but root's group: sudo reads it. */
	snprintf(p, sizeof(p), "%s/etc/sudoers.d/admin", root_dir);
	ck_assert_int_eq(chmod(p, 0460), 0);
	ck_assert_int_eq(chown(p, 0, 0), 0);
	HARDCTL("apply", "--dry-run", "--rule", rule);
	ck_assert_msg(run.status == 0, "%s", run.err.ptr);
	/* The directory others may write. */
	snprintf(p, sizeof(p), "%s/etc/sudoers.d", root_dir);
	ck_assert_int_eq(chmod(p, 0777), 0);
	HARDCTL("apply", "--dry-run", "--rule", rule);
	ck_assert_msg(run.status == 5, "%s", run.err.ptr);
	assert_contains(run.err.ptr, "/etc/sudoers.d is not root's, or others "
				     "may write it: sudo passes over it");
	ck_assert_int_eq(chmod(p, 0755), 0);
	/* /etc/sudoers itself. */
	test_write(root_dir, "/etc/sudoers", "%sudo ALL=(ALL:ALL) ALL\n", 0440);
	ck_assert(chown_root_file("/etc/sudoers", 1000));
	HARDCTL("apply", "--dry-run", "--rule", rule);
	ck_assert_msg(run.status == 5, "%s", run.err.ptr);
}
END_TEST

#ifdef HARDCTL_FAULT_INJECTION
/* RUN's stderr without the fault trace's lines. */
static void untraced(struct hc_buf *out, const char *err)
{
	hc_buf_clear(out);
	for (const char *l = err; *l;) {
		size_t len = strcspn(l, "\n");

		if (strncmp(l, "hardctl: fault ", 15) != 0)
			hc_buf_put(out, l, len + (l[len] == '\n'));
		l += len + (l[len] == '\n');
	}
}

/*
 * The dry run of RULE with sudoers read ahead by the child (its fault
 * point traced, so it did run) and read here (the child made to fail):
 * the same report, word for word.
 */
static void ahead_same_as_here(const char *rule)
{
	struct test_run here = {0};
	struct hc_buf a = HC_BUF_INIT, b = HC_BUF_INIT;

	ck_assert_int_eq(setenv("HARDCTL_FAULT", "fail-at:access-ahead", 1), 0);
	TEST_HARDCTL(&here, "--root", root_dir, "apply", "--dry-run", "--rule",
		     rule);
	ck_assert_int_eq(setenv("HARDCTL_FAULT", "trace", 1), 0);
	HARDCTL("apply", "--dry-run", "--rule", rule);
	unsetenv("HARDCTL_FAULT");
	assert_contains(run.err.ptr, "hardctl: fault at access-ahead\n");
	untraced(&a, run.err.ptr);
	untraced(&b, here.err.ptr);
	ck_assert_str_eq(hc_buf_cstr(&a), hc_buf_cstr(&b));
	ck_assert_str_eq(hc_buf_cstr(&run.out), hc_buf_cstr(&here.out));
	ck_assert_int_eq(run.status, here.status);
	hc_buf_release(&a);
	hc_buf_release(&b);
	test_run_release(&here);
}

/* The child's answer is the judgment's own, whatever sudoers holds. */
START_TEST(test_access_sudo_ahead__same_as_read_here)
{
	static const char *const rule = "root-access.sshd-permit-root-login";

	ahead_same_as_here(rule);
	/* Aliases, NOPASSWD, a drop-in. */
	test_write(root_dir, "/etc/sudoers.d/ops",
		   "User_Alias OPS = admin, %wheel\n"
		   "OPS ALL=(ALL) NOPASSWD: ALL\n",
		   0440);
	ahead_same_as_here(rule);
	/* What the lens cannot read, and a file sudo ignores: notes. */
	test_write(root_dir, "/etc/sudoers.d/odd",
		   "%sudo, !admin ALL=(ALL:ALL) ALL\n", 0440);
	test_write(root_dir, "/etc/sudoers.d/loose", "admin ALL=(ALL) ALL\n",
		   0666);
	ahead_same_as_here(rule);
	/* Taken away through a Cmnd_Alias defined after its use. */
	test_write(root_dir, "/etc/sudoers.d/zz",
		   "Cmnd_Alias EVERYTHING = ALL\n", 0440);
	test_write(root_dir, "/etc/sudoers.d/ops",
		   "admin ALL=(ALL) !EVERYTHING\n", 0440);
	ahead_same_as_here(rule);
	ck_assert_int_ne(run.status, 0);
	/* Taken away, root's password asked: admin is refused. */
	test_write(root_dir, "/etc/sudoers.d/ops",
		   "Defaults rootpw\nadmin ALL=(ALL) !ALL\n", 0440);
	ahead_same_as_here(rule);
	ck_assert_int_ne(run.status, 0);
	/* No sudoers at all. */
	rm_root_file("/etc/sudoers");
	ahead_same_as_here(rule);
}
END_TEST

/*
 * sudoers includes /etc/issue, which the banner rule reads (with its own
 * lens) and leaves as it is, while the plan changes sshd_config.  The
 * child read sudoers apart from the rules' files; so must the judgment
 * when the child failed: it said the two modules disagree on the file's
 * format, where the child's answer did not.  Both now refuse the plan
 * alike: sudo cannot read /etc/issue as sudoers, nor can the judgment,
 * so admin's grant is not vouched for.
 */
START_TEST(test_access_sudo_ahead__included_file_a_rule_reads)
{
	struct test_run ahead = {0};

	HARDCTL("apply", "--rule", "banner.issue");
	ck_assert_int_eq(run.status, 0);
	test_write(root_dir, "/etc/sudoers",
		   "root ALL=(ALL:ALL) ALL\n%sudo ALL=(ALL:ALL) ALL\n"
		   "@include /etc/issue\n",
		   0440);
	TEST_HARDCTL(&ahead, "--root", root_dir, "apply", "--dry-run", "--rule",
		     "banner.issue", "--rule",
		     "root-access.sshd-permit-root-login");
	ck_assert_msg(ahead.status == 5, "%s", ahead.err.ptr);
	ck_assert_int_eq(setenv("HARDCTL_FAULT", "fail-at:access-ahead", 1), 0);
	HARDCTL("apply", "--dry-run", "--rule", "banner.issue", "--rule",
		"root-access.sshd-permit-root-login");
	unsetenv("HARDCTL_FAULT");
	ck_assert_str_eq(hc_buf_cstr(&run.err), hc_buf_cstr(&ahead.err));
	ck_assert_str_eq(hc_buf_cstr(&run.out), hc_buf_cstr(&ahead.out));
	ck_assert_int_eq(run.status, 5);
	assert_contains(run.err.ptr,
			"but /etc/issue:1 cannot be read, and may take that "
			"away");
	assert_lacks(run.err.ptr, "disagree");
	test_run_release(&ahead);
}
END_TEST
#endif

Suite *access_suite(void)
{
	Suite *s = suite_create("access");
	TCase *tc = tcase_create("pam");

	tcase_add_test(tc, test_access_unix_aging__agrees_with_pam_unix);
	tcase_add_test(tc, test_access_pam_stack__agrees_with_libpam);
	tcase_add_test(tc, test_access_pam_stack__include_cycles_as_libpam);
	tcase_add_test(tc, test_access_pam_stack__doubling_includes_bounded);
	tcase_add_test(tc, test_access_pam_bad_jump_or_control__as_libpam);
	tcase_set_timeout(tc, 120);
	suite_add_tcase(s, tc);

	tc = tcase_create("judgment");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_access_apply__aging_and_root_login_refused);
	tcase_add_test(tc, test_access_dry_run__diffs_then_verdict);
	tcase_add_test(tc,
		       test_access_apply__expired_named_when_another_remains);
	tcase_add_test(tc, test_access_sshd_lists__as_sshd_reads_them);
	tcase_add_test(tc, test_access_sshd_settings__as_sshd_takes_them);
	tcase_add_test(tc, test_access_account__locked_or_no_root);
	tcase_add_test(tc, test_access_hostile__keys_stacks_sudoers);
	tcase_add_test(tc, test_access_pam__access_conf_shuts_admin_out);
	tcase_add_test(tc, test_access_guards__accept_no_local_admin);
	tcase_add_test(tc, test_access_demo__as_shipped_refused);
	tcase_add_test(tc, test_access_sudo__included_file_the_plan_changes);
	tcase_add_test(tc, test_access_sshd__key_file_the_plan_changes);
	tcase_add_test(tc, test_access_host_unjudgeable__its_file_blamed);
	tcase_add_test(tc, test_access_sshd__drop_in_linked_to_a_planned_file);
	tcase_add_test(tc, test_access_sudo__included_file_named_unclean);
	tcase_add_test(tc, test_access_sudo__defaults_as_sudo_reads_them);
	tcase_add_test(tc, test_access_sudo__defaults_sudo_knows_are_read);
	tcase_add_test(tc, test_access_sudo__defaults_in_file_order);
	tcase_add_test(tc, test_access_sudo__command_and_runas_aliases);
	tcase_add_test(tc, test_access_sudo__includes_deep_and_many);
	tcase_add_test(tc, test_access_sudo__as_sudo_reads_it);
	tcase_add_test(tc, test_access_sudo__files_sudo_does_not_trust);
	tcase_add_test(tc, test_access_sudo__included_through_a_link);
	tcase_add_test(tc,
		       test_access_sudo__includedir_odd_entries_passed_over);
#ifdef HARDCTL_FAULT_INJECTION
	tcase_add_test(tc, test_access_sudo_ahead__same_as_read_here);
	tcase_add_test(tc, test_access_sudo_ahead__included_file_a_rule_reads);
#endif
	tcase_set_timeout(tc, 120);
	suite_add_tcase(s, tc);
	return s;
}
