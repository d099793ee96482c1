/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Every module on real distribution files (Debian 12's, vendored under
 * fixtures/) and on Red Hat style files written here: apply makes check
 * pass, a second apply changes nothing, rollback restores every byte
 * and mode, and each lockout guard refuses what would lock users out.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "snmp.h"
#include "test.h"

static char *root_dir;
static struct test_run run;

#define HARDCTL(...) TEST_HARDCTL(&run, "--root", root_dir, __VA_ARGS__)

static const char admin_passwd[] = "admin:x:1000:1000:Admin,,,:/home/admin:/bin/bash\n";

/* Append TEXT to ROOT/PATH. */
static void append(const char *root, const char *path, const char *text)
{
	char *old = test_read(root, path);
	struct hc_buf b = HC_BUF_INIT;

	ck_assert_ptr_nonnull(old);
	hc_buf_puts(&b, old);
	hc_buf_puts(&b, text);
	test_write(root, path, b.ptr, 0644);
	hc_buf_release(&b);
	free(old);
}

/* Debian 12 as installed: shadow, and snmpd.conf 0640. */
static void setup_debian(void)
{
	char path[4096];

	root_dir = test_root("debian12");
	memset(&run, 0, sizeof(run));
	test_write(root_dir, "/etc/shadow",
		   "root:*:19700:0:99999:7:::\n"
		   "daemon:*:19700:0:99999:7:::\n"
		   "admin:$y$j9T$abcdefghijklmnopqrstu$0123456789abcdefghijklmnopqrstuvwxyzABCD:19700:0:99999:7:::\n",
		   0640);
	/* git keeps no group or other bits: give the file Debian's mode. */
	snprintf(path, sizeof(path), "%s/etc/snmp/snmpd.conf", root_dir);
	ck_assert_int_eq(chmod(path, 0640), 0);
}

static void setup_sysvinit(void)
{
	root_dir = test_root("debian12-sysvinit");
	memset(&run, 0, sizeof(run));
}

/* A virtual machine as ESX 3 wrote it: interpreter line, colon keys. */
static const char vmx_esx3[] =
	"#!/usr/bin/vmware\n"
	"config.version = \"8\"\n"
	"virtualHW.version = \"4\"\n"
	"floppy0.present = \"true\"\n"
	"scsi0.present = \"TRUE\"\n"
	"scsi0:0.present = \"TRUE\"\n"
	"scsi0:0.fileName = \"db01.vmdk\"\n"
	"ide0:0.present = \"TRUE\"\n"
	"ide0:0.deviceType = \"atapi-cdrom\"\n"
	"isolation.tools.Copy.disable = \"true\"\n"
	"log.rotateSize = \"0\"\n"
	"checkpoint.vmState = \"\"\n";

/* A Red Hat 3-5 era service console, written as those releases shipped it. */
static void setup_redhat(void)
{
	root_dir = test_root(NULL);
	memset(&run, 0, sizeof(run));
	test_write(root_dir, "/etc/passwd",
		   "root:x:0:0:root:/root:/bin/bash\n"
		   "bin:x:1:1:bin:/bin:/sbin/nologin\n"
		   "ops:x:500:500:Operator:/home/ops:/bin/bash\n", 0644);
	test_write(root_dir, "/etc/shadow",
		   "root:$1$abcdefgh$ABCDEFGHIJKLMNOPQRSTUV:12000:0:99999:7:::\n"
		   "bin:*:12000:0:99999:7:::\n"
		   "ops:$1$hgfedcba$VUTSRQPONMLKJIHGFEDCBA:12000:0:99999:7:::\n", 0400);
	test_write(root_dir, "/etc/login.defs",
		   "MAIL_DIR\t/var/spool/mail\n"
		   "PASS_MAX_DAYS\t99999\n"
		   "PASS_MIN_DAYS\t0\n"
		   "PASS_MIN_LEN\t5\n"
		   "PASS_WARN_AGE\t7\n"
		   "UID_MIN\t\t\t  500\n"
		   "UID_MAX\t\t\t60000\n"
		   "CREATE_HOME\tyes\n", 0644);
	test_write(root_dir, "/etc/pam.d/system-auth",
		   "#%PAM-1.0\n"
		   "# This file is auto-generated.\n"
		   "auth        required      /lib/security/$ISA/pam_env.so\n"
		   "auth        sufficient    /lib/security/$ISA/pam_unix.so likeauth nullok\n"
		   "auth        required      /lib/security/$ISA/pam_deny.so\n"
		   "account     required      /lib/security/$ISA/pam_unix.so\n"
		   "password    requisite     /lib/security/$ISA/pam_cracklib.so retry=3 minlen=8\n"
		   "password    sufficient    /lib/security/$ISA/pam_unix.so nullok use_authtok md5 shadow\n"
		   "password    required      /lib/security/$ISA/pam_deny.so\n"
		   "session     required      /lib/security/$ISA/pam_limits.so\n"
		   "session     required      /lib/security/$ISA/pam_unix.so\n", 0644);
	test_write(root_dir, "/etc/inittab",
		   "id:3:initdefault:\n"
		   "\n"
		   "# System initialization.\n"
		   "si::sysinit:/etc/rc.d/rc.sysinit\n"
		   "\n"
		   "l3:3:wait:/etc/rc.d/rc 3\n"
		   "\n"
		   "# Trap CTRL-ALT-DELETE\n"
		   "ca::ctrlaltdel:/sbin/shutdown -t3 -r now\n"
		   "\n"
		   "1:2345:respawn:/sbin/mingetty tty1\n", 0644);
	test_write(root_dir, "/etc/snmp/snmpd.conf",
		   "com2sec notConfigUser  default       public\n"
		   "com2sec localUser  127.0.0.1       private\n"
		   "group   notConfigGroup v1           notConfigUser\n"
		   "group   notConfigGroup v2c           notConfigUser\n"
		   "view    systemview    included   .1.3.6.1.2.1.1\n"
		   "access  notConfigGroup \"\"      any       noauth    exact  systemview systemview none\n"
		   "syslocation Unknown (edit /etc/snmp/snmpd.conf)\n", 0644);
	test_write(root_dir, "/etc/securetty", "console\nvc/1\nvc/2\ntty1\ntty2\n", 0644);
	test_write(root_dir, "/etc/security/access.conf",
		   "# Login access control table.\n"
		   "#-:ALL EXCEPT root:tty1\n", 0644);
	test_write(root_dir, "/etc/sysctl.conf",
		   "# Kernel sysctl configuration file for Red Hat Linux\n"
		   "net.ipv4.ip_forward = 0\n"
		   "net.ipv4.conf.default.rp_filter = 1\n"
		   "kernel.sysrq = 0\n", 0644);
	test_write(root_dir, "/etc/ssh/sshd_config",
		   "Protocol 2\n"
		   "SyslogFacility AUTHPRIV\n"
		   "#PermitRootLogin yes\n"
		   "PasswordAuthentication yes\n", 0600);
	test_write(root_dir, "/etc/syslog.conf",
		   "# Log all kernel messages to the console.\n"
		   "#kern.*\t\t\t\t\t\t\t/dev/console\n"
		   "*.info;mail.none;authpriv.none;cron.none\t\t/var/log/messages\n"
		   "authpriv.*\t\t\t\t\t\t/var/log/secure\n"
		   "mail.*\t\t\t\t\t\t\t-/var/log/maillog\n"
		   "cron.*\t\t\t\t\t\t\t/var/log/cron\n"
		   "*.emerg\t\t\t\t\t\t\t*\n"
		   "uucp,news.crit\t\t\t\t\t\t/var/log/spooler\n"
		   "local7.*\t\t\t\t\t\t/var/log/boot.log\n", 0644);
	test_write(root_dir, "/vmfs/volumes/storage1/db01/db01.vmx", vmx_esx3, 0755);
	test_write(root_dir, "/etc/issue", "Red Hat Enterprise Linux ES release 3 (Taroon)\nKernel \\r on an \\m\n", 0644);
	test_write(root_dir, "/etc/issue.net", "Red Hat Enterprise Linux ES release 3 (Taroon)\n", 0644);
	test_write(root_dir, "/etc/motd", "", 0644);
}

static void teardown(void)
{
	test_run_release(&run);
	test_rmtree(root_dir);
	free(root_dir);
}

/*
 * The whole profile on ROOT: check fails, apply fixes, check passes, a
 * second apply changes nothing, rollback restores the state exactly.
 */
static void round_trip(void)
{
	char *before = test_state(root_dir), *after;

	HARDCTL("check");
	ck_assert_int_eq(run.status, 1);
	HARDCTL("apply");
	ck_assert_msg(run.status == 0, "apply: %s", hc_buf_cstr(&run.err));
	HARDCTL("check");
	ck_assert_msg(run.status == 0, "check after apply:\n%s", hc_buf_cstr(&run.out));
	HARDCTL("apply");
	ck_assert_int_eq(run.status, 0);
	ck_assert_str_eq(hc_buf_cstr(&run.out), "nothing to change\n");
	HARDCTL("rollback");
	ck_assert_msg(run.status == 0, "rollback: %s", hc_buf_cstr(&run.err));
	after = test_state(root_dir);
	ck_assert_str_eq(before, after);
	free(before);
	free(after);
}

START_TEST(test_modules_debian__round_trip)
{
	round_trip();
}
END_TEST

START_TEST(test_modules_sysvinit__round_trip)
{
	round_trip();
}
END_TEST

START_TEST(test_modules_redhat__round_trip)
{
	round_trip();
}
END_TEST

/* What apply leaves on Debian's files, line by line. */
START_TEST(test_modules_debian__applied_files)
{
	char *text;
	struct stat st;
	char path[4096];

	HARDCTL("apply");
	ck_assert_int_eq(run.status, 0);
	text = test_read(root_dir, "/etc/pam.d/common-auth");
	ck_assert_ptr_nonnull(strstr(text, "pam_unix.so\n"));
	ck_assert_ptr_null(strstr(text, "nullok"));
	free(text);
	text = test_read(root_dir, "/etc/pam.d/common-password");
	/* The jump over pam_deny is untouched; history is kept. */
	ck_assert_ptr_nonnull(strstr(text, "[success=1 default=ignore]\tpam_unix.so obscure "
					   "use_authtok try_first_pass yescrypt remember=5\n"));
	free(text);
	text = test_read(root_dir, "/etc/security/pwquality.conf");
	ck_assert_ptr_nonnull(strstr(text, "# minlen = 8\nminlen = 15\n"));
	free(text);
	text = test_read(root_dir, "/etc/login.defs");
	ck_assert_ptr_nonnull(strstr(text, "PASS_MAX_DAYS\t60\n"));
	free(text);
	text = test_read(root_dir, "/etc/shadow");
	ck_assert_ptr_nonnull(strstr(text, ":19700:1:60:7:::\n"));
	ck_assert_ptr_nonnull(strstr(text, "root:*:19700:0:99999:7:::\n"));
	free(text);
	text = test_read(root_dir, "/etc/sysctl.d/99-hardctl.conf");
	ck_assert_ptr_nonnull(text);
	ck_assert_ptr_nonnull(strstr(text, "net.ipv4.tcp_syncookies = 1\n"));
	free(text);
	/* Debian's snmpd.conf keeps the group snmpd reads it as. */
	snprintf(path, sizeof(path), "%s/etc/snmp/snmpd.conf", root_dir);
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_uint_eq(st.st_mode & 07777, 0640);
}
END_TEST

START_TEST(test_modules_redhat__applied_files)
{
	char *text;
	struct stat st;
	char path[4096];

	HARDCTL("apply");
	ck_assert_msg(run.status == 0, "%s", hc_buf_cstr(&run.err));
	text = test_read(root_dir, "/etc/pam.d/system-auth");
	ck_assert_ptr_nonnull(strstr(text, "pam_cracklib.so retry=3 minlen=15 dcredit=-1 "
					   "ucredit=-1 lcredit=-1 ocredit=-1 difok=8\n"));
	ck_assert_ptr_nonnull(strstr(text, "pam_unix.so likeauth\n"));
	ck_assert_ptr_nonnull(strstr(text, "pam_unix.so use_authtok md5 shadow remember=5\n"));
	free(text);
	text = test_read(root_dir, "/etc/inittab");
	ck_assert_ptr_nonnull(strstr(text, "si::sysinit:/etc/rc.d/rc.sysinit\n~~:S:wait:/sbin/sulogin\n"));
	ck_assert_ptr_null(strstr(text, "shutdown"));
	free(text);
	text = test_read(root_dir, "/etc/snmp/snmpd.conf");
	ck_assert_ptr_null(strstr(text, "public"));
	ck_assert_ptr_null(strstr(text, "private"));
	ck_assert_ptr_null(strstr(text, "systemview systemview none\n"));
	ck_assert_ptr_nonnull(strstr(text, "systemview none none\n"));
	free(text);
	snprintf(path, sizeof(path), "%s/etc/snmp/snmpd.conf", root_dir);
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_uint_eq(st.st_mode & 07777, 0600);
	text = test_read(root_dir, "/etc/securetty");
	ck_assert_str_eq(text, "console\ntty1\n");
	free(text);
	text = test_read(root_dir, "/etc/security/access.conf");
	ck_assert_ptr_nonnull(strstr(text, "- : root : ALL EXCEPT LOCAL\n"));
	free(text);
}
END_TEST

/* The community apply generates appears in no output, and is reused. */
START_TEST(test_modules_snmp__secret_never_shown_and_reused)
{
	char *text, *line, community[64];
	struct hc_buf all = HC_BUF_INIT;

	HARDCTL("diff", "--rule", "snmp.community");
	hc_buf_puts(&all, hc_buf_cstr(&run.out));
	HARDCTL("apply", "--rule", "snmp.community");
	ck_assert_int_eq(run.status, 0);
	hc_buf_puts(&all, hc_buf_cstr(&run.out));
	hc_buf_puts(&all, hc_buf_cstr(&run.err));
	text = test_read(root_dir, "/etc/snmp/snmpd.conf");
	line = strstr(text, "\nrocommunity  ");
	ck_assert_ptr_nonnull(line);
	ck_assert_int_eq(sscanf(line + 1, "rocommunity %63s", community), 1);
	ck_assert_uint_eq(strlen(community), 24);
	free(text);
	HARDCTL("show", "1");
	hc_buf_puts(&all, hc_buf_cstr(&run.out));
	HARDCTL("--format", "json", "show", "1");
	hc_buf_puts(&all, hc_buf_cstr(&run.out));
	HARDCTL("check", "--rule", "snmp.community");
	ck_assert_int_eq(run.status, 0);
	hc_buf_puts(&all, hc_buf_cstr(&run.out));
	HARDCTL("rollback", "--dry-run");
	hc_buf_puts(&all, hc_buf_cstr(&run.out));
	ck_assert_ptr_nonnull(strstr(all.ptr, "********"));
	ck_assert_msg(strstr(all.ptr, community) == NULL, "the community was shown");

	/* A package adds the default back: the same community replaces it. */
	text = test_read(root_dir, "/etc/snmp/snmpd.conf");
	hc_buf_set(&all, text, strlen(text));
	hc_buf_puts(&all, "rocommunity public 10.0.0.0/8\n");
	test_write(root_dir, "/etc/snmp/snmpd.conf", all.ptr, 0600);
	free(text);
	HARDCTL("apply", "--rule", "snmp.community");
	ck_assert_int_eq(run.status, 0);
	text = test_read(root_dir, "/etc/snmp/snmpd.conf");
	hc_buf_clear(&all);
	hc_buf_printf(&all, "rocommunity %s 10.0.0.0/8\n", community);
	ck_assert_ptr_nonnull(strstr(text, all.ptr));
	free(text);
	hc_buf_release(&all);
}
END_TEST

START_TEST(test_modules_snmp__random_community)
{
	char a[25], b[25];

	ck_assert_int_eq(snmp_random_community(a, 24), 0);
	ck_assert_int_eq(snmp_random_community(b, 24), 0);
	ck_assert_uint_eq(strlen(a), 24);
	ck_assert_uint_eq(strspn(a, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"), 24);
	ck_assert_str_ne(a, b);
}
END_TEST

/* PermitRootLogin no where only root can log in: refused, nothing changed. */
START_TEST(test_modules_root_login__lockout_guard)
{
	char *before, *after, *passwd = test_read(root_dir, "/etc/passwd");
	char *stripped = strstr(passwd, admin_passwd);

	ck_assert_ptr_nonnull(stripped);
	*stripped = '\0';
	test_write(root_dir, "/etc/passwd", passwd, 0644);
	before = test_snapshot(root_dir);
	HARDCTL("apply");
	ck_assert_int_eq(run.status, 5);
	ck_assert_ptr_nonnull(strstr(run.err.ptr, "PermitRootLogin no would leave no way to log in"));
	ck_assert_ptr_nonnull(strstr(run.err.ptr, "accept-lockout"));
	after = test_snapshot(root_dir);
	ck_assert_str_eq(before, after);
	free(after);

	/* An account exists, but sshd admits only someone else. */
	append(root_dir, "/etc/passwd", admin_passwd);
	append(root_dir, "/etc/ssh/sshd_config", "AllowUsers carol\n");
	HARDCTL("apply", "--rule", "root-access.sshd-permit-root-login");
	ck_assert_int_eq(run.status, 5);
	ck_assert_ptr_nonnull(strstr(run.err.ptr, "admitted by sshd's AllowUsers"));

	/* Admitted: applied. */
	append(root_dir, "/etc/ssh/sshd_config", "AllowGroups admin\n");
	test_replace(root_dir, "/etc/ssh/sshd_config", "AllowUsers carol", "AllowUsers carol admin");
	test_write(root_dir, "/etc/group", "root:x:0:\nadmin:x:1000:\n", 0644);
	HARDCTL("apply", "--rule", "root-access.sshd-permit-root-login");
	ck_assert_msg(run.status == 0, "%s", hc_buf_cstr(&run.err));
	free(before);
	free(passwd);
}
END_TEST

/* A jump that an inserted line would redirect: the PAM guard refuses. */
START_TEST(test_modules_pam__jump_guard)
{
	char *before, *after;

	test_write(root_dir, "/lib/x86_64-linux-gnu/security/pam_pwquality.so", "", 0644);
	test_write(root_dir, "/etc/pam.d/common-password",
		   "password\t[success=2 default=ignore]\tpam_sss.so\n"
		   "password\t[success=1 default=ignore]\tpam_unix.so obscure use_authtok yescrypt remember=5\n"
		   "password\trequisite\t\t\tpam_deny.so\n"
		   "password\trequired\t\t\tpam_permit.so\n", 0644);
	before = test_snapshot(root_dir);
	HARDCTL("apply", "--rule", "password.quality");
	ck_assert_int_eq(run.status, 5);
	ck_assert_ptr_nonnull(strstr(run.err.ptr, "pam_sss's jump success=2 land on pam_deny"));
	ck_assert_ptr_nonnull(strstr(run.err.ptr, "/etc/pam.d/common-password:1"));
	after = test_snapshot(root_dir);
	ck_assert_str_eq(before, after);
	free(before);
	free(after);

	/* Where no jump crosses it, the module goes in ahead of pam_unix. */
	test_write(root_dir, "/etc/pam.d/common-password",
		   "password\t[success=1 default=ignore]\tpam_unix.so obscure use_authtok yescrypt remember=5\n"
		   "password\trequisite\t\t\tpam_deny.so\n"
		   "password\trequired\t\t\tpam_permit.so\n", 0644);
	HARDCTL("apply", "--rule", "password.quality");
	ck_assert_msg(run.status == 0, "%s", hc_buf_cstr(&run.err));
	after = test_read(root_dir, "/etc/pam.d/common-password");
	ck_assert_str_eq(after,
			 "password requisite pam_pwquality.so retry=3\n"
			 "password\t[success=1 default=ignore]\tpam_unix.so obscure use_authtok yescrypt remember=5\n"
			 "password\trequisite\t\t\tpam_deny.so\n"
			 "password\trequired\t\t\tpam_permit.so\n");
	free(after);
}
END_TEST

/* A stack with no quality module and none installed: refused, saying what to do. */
START_TEST(test_modules_pam__quality_module_missing)
{
	test_write(root_dir, "/etc/pam.d/common-password",
		   "password\t[success=1 default=ignore]\tpam_unix.so obscure use_authtok yescrypt\n"
		   "password\trequisite\t\t\tpam_deny.so\n"
		   "password\trequired\t\t\tpam_permit.so\n", 0644);
	HARDCTL("check", "--rule", "password.quality");
	ck_assert_int_eq(run.status, 1);
	ck_assert_ptr_nonnull(strstr(run.out.ptr, "no pam_pwquality or pam_cracklib line"));
	HARDCTL("apply", "--rule", "password.quality");
	ck_assert_int_eq(run.status, 5);
	ck_assert_ptr_nonnull(strstr(run.err.ptr, "install libpam-pwquality"));
}
END_TEST

/* An argument on the PAM line beats pwquality.conf, and is what gets fixed. */
START_TEST(test_modules_pam__line_argument_overrides_file)
{
	char *text;

	test_replace(root_dir, "/etc/pam.d/common-password", "pam_pwquality.so retry=3",
		     "pam_pwquality.so retry=3 minlen=10");
	test_replace(root_dir, "/etc/security/pwquality.conf", "# minlen = 8\n",
		     "# minlen = 8\nminlen = 20\n");
	HARDCTL("check", "--rule", "password.quality");
	ck_assert_int_eq(run.status, 1);
	ck_assert_ptr_nonnull(strstr(run.out.ptr, "/etc/pam.d/common-password:25: minlen 10 (on the PAM line)"));
	HARDCTL("apply", "--rule", "password.quality");
	ck_assert_int_eq(run.status, 0);
	text = test_read(root_dir, "/etc/pam.d/common-password");
	ck_assert_ptr_nonnull(strstr(text, "pam_pwquality.so retry=3 minlen=15\n"));
	free(text);
	text = test_read(root_dir, "/etc/security/pwquality.conf");
	ck_assert_ptr_nonnull(strstr(text, "minlen = 20\n"));
	free(text);
}
END_TEST

/* sysctl's last value wins: /etc/sysctl.conf, read last, beats a drop-in. */
START_TEST(test_modules_sysctl__effective_value)
{
	char *text;

	test_write(root_dir, "/usr/lib/sysctl.d/50-default.conf",
		   "net.ipv4.conf.all.rp_filter = 0\n", 0644);
	test_write(root_dir, "/etc/sysctl.d/10-site.conf",
		   "net.ipv4.conf.all.rp_filter = 1\nnet/ipv4/conf/default/rp_filter = 1\n", 0644);
	HARDCTL("check", "--rule", "network.rp-filter");
	/* 10-site.conf sorts before 50-default.conf, which sets 0 last. */
	ck_assert_int_eq(run.status, 1);
	ck_assert_ptr_nonnull(strstr(run.out.ptr, "/usr/lib/sysctl.d/50-default.conf:1: "
						  "net.ipv4.conf.all.rp_filter = 0"));
	HARDCTL("apply", "--rule", "network.rp-filter");
	ck_assert_int_eq(run.status, 0);
	/* The package's file is left alone; hardctl's drop-in sorts after it. */
	text = test_read(root_dir, "/usr/lib/sysctl.d/50-default.conf");
	ck_assert_str_eq(text, "net.ipv4.conf.all.rp_filter = 0\n");
	free(text);
	text = test_read(root_dir, "/etc/sysctl.d/99-hardctl.conf");
	ck_assert_str_eq(text, "net.ipv4.conf.all.rp_filter = 1\n");
	free(text);

	test_write(root_dir, "/etc/sysctl.conf", "net.ipv4.conf.all.rp_filter=0\n", 0644);
	HARDCTL("check", "--rule", "network.rp-filter");
	ck_assert_int_eq(run.status, 1);
	ck_assert_ptr_nonnull(strstr(run.out.ptr, "/etc/sysctl.conf:1:"));
	HARDCTL("apply", "--rule", "network.rp-filter");
	ck_assert_int_eq(run.status, 0);
	text = test_read(root_dir, "/etc/sysctl.conf");
	ck_assert_str_eq(text, "net.ipv4.conf.all.rp_filter=1\n");
	free(text);
}
END_TEST

/* A profile of the two syslog rules, forwarding to LOGHOST; its path in PATH. */
static void syslog_profile(char *path, size_t size, const char *loghost)
{
	char text[512];

	snprintf(text, sizeof(text),
		 "[profile]\nname = syslog\nversion = 1\n"
		 "[syslog.auth-local]\n[syslog.loghost]\nloghost = %s\n", loghost);
	test_write(root_dir, "/syslog.conf", text, 0644);
	snprintf(path, size, "%s/syslog.conf", root_dir);
}

/*
 * rsyslog: a drop-in of /etc/rsyslog.d discarding auth messages hides
 * the main file's auth.log line, which rsyslog reads after it; apply
 * writes its own drop-in, read first, and rollback removes it.
 */
START_TEST(test_modules_syslog__rsyslog_dropins)
{
	char profile[4096], *before, *after, *text;

	syslog_profile(profile, sizeof(profile), "@@logs.example.com:6514");
	test_write(root_dir, "/etc/rsyslog.d/10-quiet.conf", "auth,authpriv.*\t~\n", 0644);
	before = test_state(root_dir);
	HARDCTL("check", "-p", profile);
	ck_assert_int_eq(run.status, 1);
	ck_assert_ptr_nonnull(strstr(run.out.ptr, "auth.emerg messages reach no local file"));
	ck_assert_ptr_nonnull(strstr(run.out.ptr, "kern.emerg messages are not forwarded there"));
	HARDCTL("apply", "-p", profile);
	ck_assert_msg(run.status == 0, "%s", hc_buf_cstr(&run.err));
	text = test_read(root_dir, "/etc/rsyslog.d/00-hardctl.conf");
	ck_assert_str_eq(text, "auth,authpriv.*\t/var/log/auth.log\n*.*\t@@logs.example.com:6514\n");
	free(text);
	/* The main file is Debian's, untouched. */
	text = test_read(root_dir, "/etc/rsyslog.conf");
	ck_assert_ptr_null(strstr(text, "hardctl"));
	ck_assert_ptr_null(strstr(text, "logs.example.com"));
	free(text);
	HARDCTL("check", "-p", profile);
	ck_assert_msg(run.status == 0, "%s", hc_buf_cstr(&run.out));
	HARDCTL("apply", "-p", profile);
	ck_assert_str_eq(hc_buf_cstr(&run.out), "nothing to change\n");
	HARDCTL("rollback");
	ck_assert_int_eq(run.status, 0);
	after = test_state(root_dir);
	ck_assert_str_eq(before, after);
	free(before);
	free(after);
}
END_TEST

/* A RainerScript line the lens cannot read: reported with its line, nothing written. */
START_TEST(test_modules_syslog__rainerscript_reported)
{
	char profile[4096], *before, *after;

	syslog_profile(profile, sizeof(profile), "@logs.example.com");
	test_write(root_dir, "/etc/rsyslog.d/50-remote.conf",
		   "# forward\n"
		   "*.* action(type=\"omfwd\" target=\"10.0.0.1\" port=\"514\" protocol=\"udp\")\n",
		   0644);
	before = test_state(root_dir);
	HARDCTL("check", "-p", profile);
	ck_assert_int_eq(run.status, 2);
	ck_assert_ptr_nonnull(strstr(run.out.ptr, "ERROR"));
	ck_assert_ptr_nonnull(strstr(run.out.ptr, "/etc/rsyslog.d/50-remote.conf:2: "));
	ck_assert_ptr_nonnull(strstr(run.out.ptr, "RainerScript"));
	HARDCTL("apply", "-p", profile);
	ck_assert_int_eq(run.status, 2);
	ck_assert_ptr_nonnull(strstr(run.err.ptr, "/etc/rsyslog.d/50-remote.conf:2: "));
	after = test_state(root_dir);
	ck_assert_str_eq(before, after);
	free(before);
	free(after);
}
END_TEST

/*
 * Classic syslogd: a line forwarding part of the traffic to the log
 * host is widened to all of it, before the first `!program` block; TCP
 * forwarding, which it cannot do, is refused.
 */
START_TEST(test_modules_syslog__sysklogd)
{
	char profile[4096], *text;

	test_write(root_dir, "/etc/syslog.conf",
		   "auth,authpriv.*\t\t\t/var/log/auth.log\n"
		   "*.info;mail.none\t\t\t@loghost\n"
		   "!ppp\n"
		   "*.*\t\t\t\t/var/log/ppp.log\n", 0644);
	syslog_profile(profile, sizeof(profile), "@@loghost");
	HARDCTL("check", "-p", profile);
	ck_assert_int_eq(run.status, 2);
	ck_assert_ptr_nonnull(strstr(run.out.ptr, "forwards over UDP only"));

	syslog_profile(profile, sizeof(profile), "@loghost:514");
	HARDCTL("check", "-p", profile);
	ck_assert_int_eq(run.status, 1);
	ck_assert_ptr_nonnull(strstr(run.out.ptr, "kern.debug messages are not forwarded there"));
	HARDCTL("apply", "-p", profile);
	ck_assert_msg(run.status == 0, "%s", hc_buf_cstr(&run.err));
	text = test_read(root_dir, "/etc/syslog.conf");
	ck_assert_str_eq(text, "auth,authpriv.*\t\t\t/var/log/auth.log\n"
			       "*.*\t\t\t@loghost\n"
			       "!ppp\n"
			       "*.*\t\t\t\t/var/log/ppp.log\n");
	free(text);

	/* Lines under a program block count for nothing. */
	test_write(root_dir, "/etc/syslog.conf",
		   "!sshd\nauth,authpriv.*\t/var/log/auth.log\n", 0644);
	HARDCTL("apply", "-p", profile);
	ck_assert_msg(run.status == 0, "%s", hc_buf_cstr(&run.err));
	text = test_read(root_dir, "/etc/syslog.conf");
	ck_assert_str_eq(text, "auth,authpriv.*\t/var/log/auth.log\n"
			       "*.*\t@loghost:514\n"
			       "!sshd\nauth,authpriv.*\t/var/log/auth.log\n");
	free(text);
}
END_TEST

/*
 * .vmx: keys match whatever their case, values too; 0 is no bound on
 * the log size; a device the file does not mention is set absent; an
 * unquoted value is reported with its line, and nothing is written.
 */
START_TEST(test_modules_vmx__settings)
{
	char *text;

	test_write(root_dir, "/vmfs/volumes/storage1/db01/db01.vmx", vmx_esx3, 0755);
	test_write(root_dir, "/vmfs/volumes/storage2/web01/web01.vmx",
		   ".encoding = \"UTF-8\"\n"
		   "displayName = \"web |22prod|22 #1\"\n", 0755);
	HARDCTL("check", "--rule", "vmx.copy-paste", "--rule", "vmx.log-rotation",
		"--rule", "vmx.unused-devices");
	ck_assert_int_eq(run.status, 1);
	/* The first machine's copy setting passes in its own spelling. */
	ck_assert_ptr_nonnull(strstr(run.out.ptr, "db01.vmx:10: isolation.tools.copy.disable "
						  "= \"true\"\n"));
	ck_assert_ptr_nonnull(strstr(run.out.ptr, "/vmfs/volumes/storage1/db01/db01.vmx:11: "
						  "log.rotateSize = \"0\"; expected "
						  "log.rotateSize between 1 and 100000"));
	ck_assert_ptr_nonnull(strstr(run.out.ptr, "/vmfs/volumes/storage2/web01/web01.vmx: "
						  "serial0.present not set"));
	HARDCTL("apply");
	ck_assert_msg(run.status == 0, "%s", hc_buf_cstr(&run.err));
	text = test_read(root_dir, "/vmfs/volumes/storage1/db01/db01.vmx");
	ck_assert_ptr_nonnull(strstr(text, "floppy0.present = \"FALSE\"\n"));
	ck_assert_ptr_nonnull(strstr(text, "isolation.tools.Copy.disable = \"true\"\n"));
	ck_assert_ptr_nonnull(strstr(text, "log.rotateSize = \"100000\"\n"));
	ck_assert_ptr_nonnull(strstr(text, "checkpoint.vmState = \"\"\n"
					   "isolation.tools.paste.disable = \"TRUE\"\n"));
	free(text);
	text = test_read(root_dir, "/vmfs/volumes/storage2/web01/web01.vmx");
	ck_assert_str_eq(text, ".encoding = \"UTF-8\"\n"
			       "displayName = \"web |22prod|22 #1\"\n"
			       "isolation.tools.copy.disable = \"TRUE\"\n"
			       "isolation.tools.paste.disable = \"TRUE\"\n"
			       "isolation.tools.setGUIOptions.enable = \"FALSE\"\n"
			       "floppy0.present = \"FALSE\"\n"
			       "serial0.present = \"FALSE\"\n"
			       "parallel0.present = \"FALSE\"\n"
			       "log.rotateSize = \"100000\"\n"
			       "log.keepOld = \"10\"\n");
	free(text);

	test_write(root_dir, "/vmfs/volumes/storage2/web01/web01.vmx",
		   "displayName = \"web01\"\nmemsize = 1024\n", 0755);
	HARDCTL("apply");
	ck_assert_int_eq(run.status, 2);
	ck_assert_ptr_nonnull(strstr(run.err.ptr, "/vmfs/volumes/storage2/web01/web01.vmx:2:"));
	text = test_read(root_dir, "/vmfs/volumes/storage2/web01/web01.vmx");
	ck_assert_str_eq(text, "displayName = \"web01\"\nmemsize = 1024\n");
	free(text);
}
END_TEST

/* systemd: ctrl-alt-del.target masked by a link, and unmasked by rollback. */
START_TEST(test_modules_console__systemd_mask)
{
	char path[4096], target[64];
	ssize_t n;

	test_mkdirs(root_dir, "/etc/systemd/system");
	test_write(root_dir, "/lib/systemd/system/rescue.service",
		   "[Service]\nExecStart=-/lib/systemd/systemd-sulogin-shell rescue\n", 0644);
	HARDCTL("check", "--rule", "console.ctrl-alt-del", "--rule", "console.single-user-password");
	ck_assert_int_eq(run.status, 1);
	ck_assert_ptr_nonnull(strstr(run.out.ptr, "/etc/systemd/system/ctrl-alt-del.target: not masked"));
	HARDCTL("apply", "--rule", "console.ctrl-alt-del");
	ck_assert_int_eq(run.status, 0);
	snprintf(path, sizeof(path), "%s/etc/systemd/system/ctrl-alt-del.target", root_dir);
	n = readlink(path, target, sizeof(target) - 1);
	ck_assert_int_eq(n, 9);
	target[n] = '\0';
	ck_assert_str_eq(target, "/dev/null");
	HARDCTL("rollback");
	ck_assert_int_eq(run.status, 0);
	ck_assert_int_eq(access(path, F_OK), -1);
}
END_TEST

Suite *modules_suite(void)
{
	Suite *s = suite_create("modules");
	TCase *tc;

	tc = tcase_create("debian");
	tcase_add_checked_fixture(tc, setup_debian, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_modules_debian__round_trip);
	tcase_add_test(tc, test_modules_debian__applied_files);
	tcase_add_test(tc, test_modules_snmp__secret_never_shown_and_reused);
	tcase_add_test(tc, test_modules_snmp__random_community);
	tcase_add_test(tc, test_modules_root_login__lockout_guard);
	tcase_add_test(tc, test_modules_pam__jump_guard);
	tcase_add_test(tc, test_modules_pam__quality_module_missing);
	tcase_add_test(tc, test_modules_pam__line_argument_overrides_file);
	tcase_add_test(tc, test_modules_sysctl__effective_value);
	tcase_add_test(tc, test_modules_syslog__rsyslog_dropins);
	tcase_add_test(tc, test_modules_syslog__rainerscript_reported);
	tcase_add_test(tc, test_modules_vmx__settings);
	suite_add_tcase(s, tc);

	tc = tcase_create("sysvinit");
	tcase_add_checked_fixture(tc, setup_sysvinit, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_modules_sysvinit__round_trip);
	tcase_add_test(tc, test_modules_console__systemd_mask);
	tcase_add_test(tc, test_modules_syslog__sysklogd);
	suite_add_tcase(s, tc);

	tc = tcase_create("redhat");
	tcase_add_checked_fixture(tc, setup_redhat, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_modules_redhat__round_trip);
	tcase_add_test(tc, test_modules_redhat__applied_files);
	suite_add_tcase(s, tc);
	return s;
}
