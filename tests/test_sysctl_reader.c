/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The network rules against the real readers of sysctl's files:
 * procps's `sysctl --system` and systemd-sysctl run in a private mount
 * and network namespace with ROOT's sysctl.d directories and
 * /etc/sysctl.conf bound over the host's; the net.* keys belong to the
 * fresh namespace, so writing them changes nothing outside it.  Each
 * test reads /proc/sys afterwards and asserts that check's verdict is
 * what the kernel was given, before and after apply.
 *
 * fixtures/sysctl-debian12: usr/lib/sysctl.d/50-pid-max.conf from
 * systemd (252.38-1~deb12u1), usr/lib/sysctl.d/99-protect-links.conf,
 * etc/sysctl.conf and etc/sysctl.d/README.sysctl from procps
 * (2:4.0.2-3).  The tests add what dpkg makes links: systemd's
 * /etc/sysctl.d/99-sysctl.conf -> ../sysctl.conf, and /lib -> usr/lib.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "test.h"

#define ALL_RP "net.ipv4.conf.all.rp_filter"
#define DEFAULT_RP "net.ipv4.conf.default.rp_filter"
#define ALL_REDIR "net.ipv4.conf.all.accept_redirects"
#define DEFAULT_REDIR "net.ipv4.conf.default.accept_redirects"

static char *root_dir;
static struct test_run run;

#define HARDCTL(...) TEST_HARDCTL(&run, "--root", root_dir, __VA_ARGS__)

static const char *reader_skip(void)
{
	if (geteuid() != 0)
		return "not root: cannot bind directories in a mount namespace";
	if (access("/usr/bin/unshare", X_OK) != 0)
		return "no unshare";
	if (access("/usr/sbin/sysctl", X_OK) != 0 &&
	    access("/sbin/sysctl", X_OK) != 0)
		return "no sysctl (procps)";
	if (access("/lib/systemd/systemd-sysctl", X_OK) != 0)
		return "no systemd-sysctl";
	return NULL;
}

#define SKIP_WITHOUT_READERS()                                                 \
	do {                                                                   \
		const char *why_ = test_oracle(reader_skip());                 \
		if (why_) {                                                    \
			fprintf(stderr, "skipped: %s\n", why_);                \
			return;                                                \
		}                                                              \
	} while (0)

enum reader { PROCPS, SYSTEMD };

/*
 * The value KEY has after READER ran over ROOT's files in a fresh
 * network namespace (caller frees).  /run and /usr/local/lib are
 * private tmpfs there, so the host's stay as they are, and the keys
 * outside net.* (kernel.pid_max in the fixture) cannot be written.
 */
static char *real_value(const char *root, enum reader reader, const char *key)
{
	static const char script[] =
	    "set -e; R=$1; mount --make-rprivate /; "
	    /* Only the namespace's net.* keys may change: the rest of /proc/sys
	       is read-only. */
	    "mount --bind /proc/sys /proc/sys; mount --bind /proc/sys/net "
	    "/proc/sys/net; "
	    "mount -o remount,bind,ro /proc/sys; [ ! -w "
	    "/proc/sys/kernel/pid_max ]; "
	    "mount -t tmpfs tmpfs /run; mount -t tmpfs tmpfs /usr/local/lib; "
	    "for d in /etc/sysctl.d /run/sysctl.d /usr/local/lib/sysctl.d "
	    "/usr/lib/sysctl.d; do "
	    "mkdir -p $d; if [ -d \"$R$d\" ]; then mount --bind \"$R$d\" $d; "
	    "else mount -t tmpfs tmpfs $d; fi; done; "
	    "if [ -f \"$R/etc/sysctl.conf\" ]; then mount --bind "
	    "\"$R/etc/sysctl.conf\" /etc/sysctl.conf; "
	    "else mount --bind /dev/null /etc/sysctl.conf; fi; "
	    "$2 >/dev/null 2>&1 || true; cat /proc/sys/$(echo $3 | tr . /)";
	char *value;

	TEST_RUN(&run, "/usr/bin/unshare", "-m", "-n", "sh", "-c", script, "sh",
		 root,
		 reader == PROCPS ? "sysctl --system"
				  : "/lib/systemd/systemd-sysctl",
		 key);
	ck_assert_msg(run.status == 0, "reader failed: %s%s",
		      hc_buf_cstr(&run.out), hc_buf_cstr(&run.err));
	value = hc_strdup(hc_buf_cstr(&run.out));
	ck_assert_ptr_nonnull(value);
	value[strcspn(value, "\n")] = '\0';
	return value;
}

static void assert_real(enum reader reader, const char *key, const char *want)
{
	char *have = real_value(root_dir, reader, key);

	ck_assert_msg(strcmp(have, want) == 0, "%s: %s is %s, expected %s",
		      reader == PROCPS ? "sysctl --system" : "systemd-sysctl",
		      key, have, want);
	free(have);
}

static void assert_file(const char *path, const char *want)
{
	char *text = test_read(root_dir, path);

	ck_assert_msg(text != NULL, "no %s", path);
	ck_assert_str_eq(text, want);
	free(text);
}

/* Debian 12 as dpkg leaves it: the fixture plus its links. */
static void setup_debian(void)
{
	root_dir = test_root("sysctl-debian12");
	test_link(root_dir, "/etc/sysctl.d/99-sysctl.conf", "../sysctl.conf");
	test_link(root_dir, "/lib", "usr/lib");
}

static void teardown(void)
{
	test_run_release(&run);
	test_rmtree(root_dir);
	free(root_dir);
	root_dir = NULL;
}

/*
 * "wrong.conf" sorts after "99-hardctl.conf": a package's file setting
 * the key there wins for both readers (/etc/sysctl.conf does not set
 * it).  Apply writes /etc/sysctl.d/wrong.conf, which both read instead;
 * rollback gives the bytes back.
 */
START_TEST(test_sysctl_reader_order__package_file_read_last)
{
	char *before;

	SKIP_WITHOUT_READERS();
	test_write(root_dir, "/usr/lib/sysctl.d/wrong.conf",
		   "# a package's defaults\n" ALL_RP " = 0\n" DEFAULT_RP
		   " = 0\n"
		   "net.ipv4.ip_forward = 1\n",
		   0644);
	before = test_state(root_dir);
	assert_real(PROCPS, ALL_RP, "0");
	assert_real(SYSTEMD, ALL_RP, "0");
	HARDCTL("check", "--rule", "network.rp-filter");
	ck_assert_int_eq(run.status, 1);
	assert_contains(run.out.ptr,
			"/usr/lib/sysctl.d/wrong.conf:2: " ALL_RP " = 0");

	HARDCTL("apply", "--rule", "network.rp-filter");
	ck_assert_msg(run.status == 0, "apply: %s%s", run.out.ptr, run.err.ptr);
	assert_file("/usr/lib/sysctl.d/wrong.conf",
		    "# a package's defaults\n" ALL_RP " = 0\n" DEFAULT_RP
		    " = 0\n"
		    "net.ipv4.ip_forward = 1\n");
	assert_file("/etc/sysctl.d/wrong.conf",
		    "# hardctl: replaces /usr/lib/sysctl.d/wrong.conf, which "
		    "sysctl reads no more\n"
		    "# a package's defaults\n" ALL_RP " = 1\n" DEFAULT_RP
		    " = 1\n"
		    "net.ipv4.ip_forward = 1\n");
	assert_real(PROCPS, ALL_RP, "1");
	assert_real(SYSTEMD, ALL_RP, "1");
	assert_real(PROCPS, DEFAULT_RP, "1");
	assert_real(SYSTEMD, DEFAULT_RP, "1");
	HARDCTL("check", "--rule", "network.rp-filter");
	ck_assert_int_eq(run.status, 0);

	HARDCTL("rollback");
	ck_assert_msg(run.status == 0, "rollback: %s%s", run.out.ptr,
		      run.err.ptr);
	{
		char *after = test_state(root_dir);

		ck_assert_str_eq(after, before);
		free(after);
	}
	free(before);
}
END_TEST

/*
 * "-key" is the key; a drop-in that is a link to a file is read through
 * it.  Today's reading took the link for nothing and the dashed line for
 * another key, and passed on 10-site.conf's 0.
 */
START_TEST(test_sysctl_reader_order__dash_key_through_link)
{
	SKIP_WITHOUT_READERS();
	test_write(root_dir, "/etc/sysctl.d/10-site.conf",
		   ALL_REDIR " = 0\n" DEFAULT_REDIR " = 0\n", 0644);
	test_write(root_dir, "/usr/local/lib/sysctl.d/lab.conf",
		   "-" ALL_REDIR " = 1\n", 0644);
	test_link(root_dir, "/etc/sysctl.d/60-lab.conf",
		  "../../usr/local/lib/sysctl.d/lab.conf");
	assert_real(PROCPS, ALL_REDIR, "1");
	assert_real(SYSTEMD, ALL_REDIR, "1");
	HARDCTL("check", "--rule", "network.accept-redirects");
	ck_assert_int_eq(run.status, 1);
	assert_contains(run.out.ptr,
			"/usr/local/lib/sysctl.d/lab.conf:1: " ALL_REDIR
			" = 1");

	HARDCTL("apply", "--rule", "network.accept-redirects");
	ck_assert_msg(run.status == 0, "apply: %s%s", run.out.ptr, run.err.ptr);
	/* Edited where it stands: the link stays a link. */
	assert_file("/usr/local/lib/sysctl.d/lab.conf", "-" ALL_REDIR " = 0\n");
	{
		struct stat st;
		char path[4096];

		snprintf(path, sizeof(path), "%s/etc/sysctl.d/60-lab.conf",
			 root_dir);
		ck_assert_int_eq(lstat(path, &st), 0);
		ck_assert(S_ISLNK(st.st_mode));
	}
	assert_real(PROCPS, ALL_REDIR, "0");
	assert_real(SYSTEMD, ALL_REDIR, "0");
	HARDCTL("check", "--rule", "network.accept-redirects");
	ck_assert_int_eq(run.status, 0);
}
END_TEST

/*
 * A link to /dev/null masks its name in later directories; a name
 * starting with "." is read by procps only (first: "." sorts before
 * digits); procps reads /etc/sysctl.conf again at the end,
 * systemd-sysctl does not.
 */
START_TEST(test_sysctl_reader_order__readers_differ)
{
	SKIP_WITHOUT_READERS();
	test_write(root_dir, "/etc/sysctl.d/10-site.conf", ALL_RP " = 1\n",
		   0644);
	test_write(root_dir, "/usr/lib/sysctl.d/50-masked.conf",
		   ALL_RP " = 0\n", 0644);
	test_link(root_dir, "/etc/sysctl.d/50-masked.conf", "/dev/null");
	test_write(root_dir, "/etc/sysctl.d/.old.conf", DEFAULT_RP " = 2\n",
		   0644);
	assert_real(PROCPS, ALL_RP, "1");
	assert_real(SYSTEMD, ALL_RP, "1");
	assert_real(PROCPS, DEFAULT_RP, "2");
	assert_real(SYSTEMD, DEFAULT_RP, "0");
	HARDCTL("check", "--rule", "network.rp-filter");
	ck_assert_int_eq(run.status, 1);
	assert_contains(run.out.ptr,
			"/etc/sysctl.d/10-site.conf:1: " ALL_RP " = 1\n");
	assert_contains(run.out.ptr, DEFAULT_RP
			" not set (kernel default) for systemd-sysctl");
	assert_contains(run.out.ptr, "/etc/sysctl.d/.old.conf:1: " DEFAULT_RP
				     " = 2 for sysctl --system");
	HARDCTL("apply", "--rule", "network.rp-filter");
	ck_assert_msg(run.status == 0, "apply: %s%s", run.out.ptr, run.err.ptr);
	/* Read after .old.conf by both: that one can stay. */
	assert_file("/etc/sysctl.d/.old.conf", DEFAULT_RP " = 2\n");
	assert_file("/etc/sysctl.d/99-hardctl.conf", DEFAULT_RP " = 1\n");
	assert_real(PROCPS, DEFAULT_RP, "1");
	assert_real(SYSTEMD, DEFAULT_RP, "1");

	/* A wrong value in /etc/sysctl.conf after a later drop-in: procps only.
	 */
	test_write(root_dir, "/etc/sysctl.d/zz-late.conf", ALL_RP " = 1\n",
		   0644);
	test_write(root_dir, "/etc/sysctl.conf", ALL_RP " = 0\n", 0644);
	assert_real(PROCPS, ALL_RP, "0");
	assert_real(SYSTEMD, ALL_RP, "1");
	HARDCTL("check", "--rule", "network.rp-filter");
	ck_assert_int_eq(run.status, 1);
	assert_contains(run.out.ptr, "/etc/sysctl.conf:1: " ALL_RP
				     " = 0 for sysctl --system");
	HARDCTL("apply", "--rule", "network.rp-filter");
	ck_assert_msg(run.status == 0, "apply: %s%s", run.out.ptr, run.err.ptr);
	assert_file("/etc/sysctl.conf", ALL_RP " = 1\n");
	assert_real(PROCPS, ALL_RP, "1");
	assert_real(SYSTEMD, ALL_RP, "1");
}
END_TEST

/*
 * Red Hat 9's systemd ships 50-default.conf with the default at 2 and
 * "-net.ipv4.conf.all.rp_filter" alone, which tells systemd-sysctl to
 * leave "all" at the kernel's value.  Apply copies the file to /etc with
 * both lines set.
 */
START_TEST(test_sysctl_reader_order__redhat_default_conf)
{
	static const char rh_default[] =
	    "# See sysctl.d(5) and core(5) for documentation.\n"
	    "kernel.sysrq = 16\n"
	    "# Source route verification\n" DEFAULT_RP " = 2\n"
	    "net.ipv4.conf.*.rp_filter = 2\n"
	    "-" ALL_RP "\n";

	SKIP_WITHOUT_READERS();
	test_rmtree(root_dir);
	free(root_dir);
	root_dir = test_root(NULL);
	test_write(
	    root_dir, "/etc/sysctl.conf",
	    "# sysctl settings are defined through files in\n"
	    "# /usr/lib/sysctl.d/, /run/sysctl.d/, and /etc/sysctl.d/.\n",
	    0644);
	test_link(root_dir, "/etc/sysctl.d/99-sysctl.conf", "../sysctl.conf");
	test_write(root_dir, "/usr/lib/sysctl.d/50-default.conf", rh_default,
		   0644);
	test_link(root_dir, "/lib", "usr/lib");
	assert_real(SYSTEMD, DEFAULT_RP, "2");
	HARDCTL("check", "--rule", "network.rp-filter");
	ck_assert_int_eq(run.status, 1);
	assert_contains(run.out.ptr,
			"/usr/lib/sysctl.d/50-default.conf:6: " ALL_RP
			" not set: \"-" ALL_RP "\" cancels it");
	assert_contains(run.out.ptr,
			"/usr/lib/sysctl.d/50-default.conf:4: " DEFAULT_RP
			" = 2");
	HARDCTL("apply", "--rule", "network.rp-filter");
	ck_assert_msg(run.status == 0, "apply: %s%s", run.out.ptr, run.err.ptr);
	assert_file("/usr/lib/sysctl.d/50-default.conf", rh_default);
	assert_file("/etc/sysctl.d/50-default.conf",
		    "# hardctl: replaces /usr/lib/sysctl.d/50-default.conf, "
		    "which sysctl reads no more\n"
		    "# See sysctl.d(5) and core(5) for documentation.\n"
		    "kernel.sysrq = 16\n"
		    "# Source route verification\n" DEFAULT_RP " = 1\n"
		    "net.ipv4.conf.*.rp_filter = 2\n"
		    "-" ALL_RP " = 1\n");
	assert_real(PROCPS, ALL_RP, "1");
	assert_real(SYSTEMD, ALL_RP, "1");
	assert_real(PROCPS, DEFAULT_RP, "1");
	assert_real(SYSTEMD, DEFAULT_RP, "1");
	HARDCTL("check", "--rule", "network.rp-filter");
	ck_assert_int_eq(run.status, 0);
}
END_TEST

/* A CRLF line and a "KEY =" line: both readers strip the CR; apply keeps it. */
START_TEST(test_sysctl_reader_order__crlf_and_empty_value)
{
	SKIP_WITHOUT_READERS();
	test_write(root_dir, "/etc/sysctl.d/10-site.conf",
		   ALL_RP " = 2\r\n" DEFAULT_RP " =\n", 0644);
	assert_real(PROCPS, ALL_RP, "2");
	assert_real(SYSTEMD, ALL_RP, "2");
	HARDCTL("check", "--rule", "network.rp-filter");
	ck_assert_int_eq(run.status, 1);
	assert_contains(run.out.ptr,
			"/etc/sysctl.d/10-site.conf:1: " ALL_RP " = 2;");
	HARDCTL("apply", "--rule", "network.rp-filter");
	ck_assert_msg(run.status == 0, "apply: %s%s", run.out.ptr, run.err.ptr);
	assert_file("/etc/sysctl.d/10-site.conf",
		    ALL_RP " = 1\r\n" DEFAULT_RP " = 1\n");
	assert_real(PROCPS, ALL_RP, "1");
	assert_real(SYSTEMD, DEFAULT_RP, "1");
}
END_TEST

/* A link in /etc/sysctl.d to a package's file cannot be fixed in place:
 * refused. */
START_TEST(test_sysctl_reader_order__etc_link_to_package_file)
{
	char *before;

	test_write(root_dir, "/usr/share/lab/defaults.conf", ALL_RP " = 0\n",
		   0644);
	test_link(root_dir, "/etc/sysctl.d/60-lab.conf",
		  "/usr/share/lab/defaults.conf");
	before = test_snapshot(root_dir);
	HARDCTL("apply", "--rule", "network.rp-filter");
	ck_assert_int_ne(run.status, 0);
	assert_contains(run.err.ptr, "60-lab.conf");
	assert_contains(run.err.ptr,
			"is a link to /usr/share/lab/defaults.conf");
	{
		char *after = test_snapshot(root_dir);

		ck_assert_str_eq(after, before);
		free(after);
	}
	free(before);
}
END_TEST

/* Links that loop or leave ROOT are no file sysctl reads, and no error. */
START_TEST(test_sysctl_reader_order__hostile_links)
{
	test_link(root_dir, "/etc/sysctl.d/10-loop.conf", "10-loop.conf");
	test_link(root_dir, "/etc/sysctl.d/20-out.conf",
		  "../../../../../../etc/hostname");
	test_write(root_dir, "/etc/sysctl.d/30-site.conf",
		   ALL_RP " = 1\n" DEFAULT_RP " = 1\n", 0644);
	HARDCTL("check", "--rule", "network.rp-filter");
	ck_assert_msg(run.status == 0, "check: %s%s", run.out.ptr, run.err.ptr);
}
END_TEST

Suite *sysctl_reader_suite(void)
{
	Suite *s = suite_create("sysctl_reader");
	TCase *tc = tcase_create("order");

	tcase_add_checked_fixture(tc, setup_debian, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_sysctl_reader_order__package_file_read_last);
	tcase_add_test(tc, test_sysctl_reader_order__dash_key_through_link);
	tcase_add_test(tc, test_sysctl_reader_order__readers_differ);
	tcase_add_test(tc, test_sysctl_reader_order__redhat_default_conf);
	tcase_add_test(tc, test_sysctl_reader_order__crlf_and_empty_value);
	tcase_add_test(tc, test_sysctl_reader_order__etc_link_to_package_file);
	tcase_add_test(tc, test_sysctl_reader_order__hostile_links);
	suite_add_tcase(s, tc);
	return s;
}
