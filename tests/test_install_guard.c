/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The installer's guards: owner and mode set last and read back, POSIX
 * ACL entries the planned mode does not grant dropped (and recorded, so
 * rollback restores them), immutable or append-only files and
 * directories refused before anything is written.  The ACLs are set and
 * read by setfacl and getfacl (package acl); chattr +i runs on a real
 * ext4 file system, a loop-mounted image in a private mount namespace.
 * What cannot run here is skipped with the reason (test_oracle()).
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/capability.h>
#include "hardctl/install.h"
#include "hardctl/manifest.h"
#include "hardctl/root.h"
#include "test.h"

static char *join(const char *root, const char *path)
{
	char *out;

	ck_assert(asprintf(&out, "%s%s", root, path) > 0);
	return out;
}

static mode_t mode_of(const char *root, const char *path)
{
	char *full = join(root, path);
	struct stat st;

	ck_assert_msg(stat(full, &st) == 0, "stat %s: %s", full,
		      strerror(errno));
	free(full);
	return st.st_mode & 07777;
}

/* getfacl -n's entries for ROOT/PATH (its header left out); caller frees. */
static char *getfacl(const char *root, const char *path)
{
	struct test_run run = {0};
	char *full = join(root, path), *out, *p;

	TEST_RUN(&run, "/usr/bin/getfacl", "-n", "-p", full);
	ck_assert_msg(run.status == 0, "getfacl %s: %s", full,
		      hc_buf_cstr(&run.err));
	/* Drop the "# file:" line, which names the path. */
	p = strchr(hc_buf_cstr(&run.out), '\n');
	out = strdup(p ? p + 1 : "");
	test_run_release(&run);
	free(full);
	return out;
}

/* setfacl ARG on ROOT/PATH; the reason it cannot run, or NULL. */
static const char *setfacl(const char *root, const char *path, const char *opt,
			   const char *arg)
{
	static char why[512];
	struct test_run run = {0};
	char *full = join(root, path);

	if (access("/usr/bin/setfacl", X_OK) != 0 ||
	    access("/usr/bin/getfacl", X_OK) != 0) {
		free(full);
		return test_oracle("no setfacl/getfacl (apt-get install acl)");
	}
	TEST_RUN(&run, "/usr/bin/setfacl", opt, arg, full);
	snprintf(why, sizeof(why),
		 "setfacl %s %s: %s (the temporary file system has no POSIX "
		 "ACLs?)",
		 opt, arg, hc_buf_cstr(&run.err));
	free(full);
	if (run.status != 0) {
		test_run_release(&run);
		return test_oracle(why);
	}
	test_run_release(&run);
	return NULL;
}

/* The state of ROOT/PATH as hardctl reads it (caller releases data). */
static void state_of(struct hc_file_state *out, struct hc_root *root,
		     const char *path)
{
	memset(out, 0, sizeof(*out));
	ck_assert_msg(hc_root_state(out, root, path) == 0, "%s",
		      hc_error_last()->message);
}

/* Add to PLAN a change of PATH to TEXT with MODE and GID (owner's as now
 * otherwise). */
static void plan_change(struct hc_plan *plan, struct hc_root *root,
			const char *path, const char *text, mode_t mode,
			gid_t gid)
{
	struct hc_file_state before, after = {0};

	state_of(&before, root, path);
	ck_assert(hc_file_state_copy(&after, &before) == 0);
	ck_assert(hc_buf_set(&after.data, text, strlen(text)) == 0);
	after.mode = mode;
	after.gid = gid;
	ck_assert(hc_plan_add(plan, NULL, path, &before, &after) == 0);
	hc_buf_release(&before.data);
	hc_buf_release(&after.data);
}

/* Owner and mode last ----------------------------------------------------- */

/*
 * An ACL'd file whose mask grants the group write, planned 0644: the
 * ACL set after the mode (today's order) makes it 0664.  It keeps its
 * named entry (everyone may read), under a mask of r--.
 */
START_TEST(test_install_guard_order__acl_then_mode)
{
	char *dir = test_root(NULL), *acl;
	struct hc_root *root = NULL;
	const char *skip;
	struct hc_plan plan;

	test_write(dir, "/etc/app.conf", "old\n", 0660);
	if ((skip = setfacl(dir, "/etc/app.conf", "-m", "u:65534:r--")) !=
	    NULL) {
		fprintf(stderr, "skipped: %s\n", skip);
		test_rmtree(dir);
		free(dir);
		return;
	}
	hc_plan_init(&plan);
	ck_assert(hc_root_open(&root, dir) == 0);
	plan_change(&plan, root, "/etc/app.conf", "new\n", 0644, 0);
	ck_assert_msg(hc_install(root, &plan) == 0, "%s",
		      hc_error_last()->message);
	ck_assert_msg(mode_of(dir, "/etc/app.conf") == 0644,
		      "mode %04o, planned 0644",
		      (unsigned int)mode_of(dir, "/etc/app.conf"));
	acl = getfacl(dir, "/etc/app.conf");
	assert_contains(acl, "user:65534:r--\n");
	assert_contains(acl, "mask::r--\n");
	free(acl);
	hc_plan_release(&plan);
	hc_root_free(root);
	test_rmtree(dir);
	free(dir);
}
END_TEST

/* Drop CAP_FSETID: the kernel then clears a set-gid bit chmod asks for. */
static int drop_fsetid(void)
{
	struct __user_cap_header_struct hdr = {_LINUX_CAPABILITY_VERSION_3, 0};
	struct __user_cap_data_struct data[2];

	if (syscall(SYS_capget, &hdr, data) < 0)
		return -1;
	data[0].effective &= ~(1u << CAP_FSETID);
	return (int)syscall(SYS_capset, &hdr, data);
}

/*
 * The mode that comes out is not the plan's (the kernel drops the
 * set-gid bit of a group the caller is not in, without CAP_FSETID):
 * the install fails and the file replaced before is put back.
 */
START_TEST(test_install_guard_readback__mode_differs_restores)
{
	char *dir = test_root(NULL), *a, *b;
	int status;
	pid_t pid;

	if (geteuid() != 0) {
		fprintf(stderr, "skipped: %s\n",
			test_oracle("not root: cannot chown to gid 4242"));
		test_rmtree(dir);
		free(dir);
		return;
	}
	test_write(dir, "/etc/a.conf", "a old\n", 0644);
	test_write(dir, "/etc/b.conf", "b old\n", 0640);
	/* The child drops a capability: fork, so this process keeps it. */
	if ((pid = fork()) == 0) {
		struct hc_root *root = NULL;
		struct hc_plan plan;
		int error;

		hc_plan_init(&plan);
		if (drop_fsetid() < 0 || hc_root_open(&root, dir) < 0)
			_exit(3);
		plan_change(&plan, root, "/etc/a.conf", "a new\n", 0600, 0);
		plan_change(&plan, root, "/etc/b.conf", "b new\n", 02640, 4242);
		error = hc_install(root, &plan);
		fprintf(stderr, "%s\n", hc_error_last()->message);
		if (error == 0)
			error = 1;
		else if (strstr(hc_error_last()->message,
				"not the planned 2640"))
			error = 0;
		else
			error = 2;
		/* Under valgrind, what the child holds would count as lost. */
		hc_plan_release(&plan);
		hc_root_free(root);
		free(dir);
		_exit(error);
	}
	ck_assert(pid > 0);
	ck_assert(waitpid(pid, &status, 0) == pid);
	ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0,
		      "install with a mode the kernel changes: status %d (1: "
		      "it succeeded)",
		      WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	a = test_read(dir, "/etc/a.conf");
	b = test_read(dir, "/etc/b.conf");
	ck_assert_str_eq(a, "a old\n");
	ck_assert_str_eq(b, "b old\n");
	ck_assert_uint_eq(mode_of(dir, "/etc/a.conf"), 0644);
	free(a);
	free(b);
	test_rmtree(dir);
	free(dir);
}
END_TEST

/* ACL entries the planned mode does not grant ------------------------------ */

static const char snmpd[] = "/etc/snmp/snmpd.conf";

/* The demo root with snmpd.conf 0644 and ACL'd for nobody and adm; NULL: skip.
 */
static char *acl_demo(char **before)
{
	char *dir = test_demo_root(), *full = join(dir, snmpd);
	const char *skip;

	ck_assert(chmod(full, 0644) == 0);
	free(full);
	if ((skip = setfacl(dir, snmpd, "-m", "u:65534:r--,g:4:r--")) != NULL) {
		fprintf(stderr, "skipped: %s\n", skip);
		test_rmtree(dir);
		free(dir);
		return NULL;
	}
	*before = getfacl(dir, snmpd);
	assert_contains(*before, "user:65534:r--\n");
	return dir;
}

/*
 * snmpd.conf planned 0600 carries user:nobody:r-- and group:adm:r--:
 * after apply no one but its owner can read it, even after chmod g+r;
 * apply says which entries went; rollback puts the ACL back exactly.
 */
START_TEST(test_install_guard_acl__dropped_said_and_restored)
{
	struct test_run run = {0};
	char *before = NULL, *dir = acl_demo(&before), *acl, *full;

	if (dir == NULL)
		return;
	full = join(dir, snmpd);
	TEST_HARDCTL(&run, "--root", dir, "apply", "--rule", "snmp.community");
	ck_assert_msg(run.status == 0, "apply: %s%s", hc_buf_cstr(&run.out),
		      hc_buf_cstr(&run.err));
	assert_contains(hc_buf_cstr(&run.out),
			"dropped from the ACL of /etc/snmp/snmpd.conf: "
			"user:65534:r--,group:4:r-- (its mode 0600");
	ck_assert_uint_eq(mode_of(dir, snmpd), 0600);
	acl = getfacl(dir, snmpd);
	assert_lacks(acl, "user:65534");
	assert_lacks(acl, "group:4");
	free(acl);
	/* The next chmod g+r grants the group only, no one named. */
	ck_assert(chmod(full, 0640) == 0);
	acl = getfacl(dir, snmpd);
	assert_lacks(acl, "user:65534");
	assert_lacks(acl, "group:4");
	free(acl);
	ck_assert(chmod(full, 0600) == 0);
	TEST_HARDCTL(&run, "--root", dir, "rollback");
	ck_assert_msg(run.status == 0, "rollback: %s%s", hc_buf_cstr(&run.out),
		      hc_buf_cstr(&run.err));
	acl = getfacl(dir, snmpd);
	ck_assert_str_eq(acl, before);
	ck_assert_uint_eq(mode_of(dir, snmpd), 0644);
	free(acl);
	free(before);
	free(full);
	test_run_release(&run);
	test_rmtree(dir);
	free(dir);
}
END_TEST

/* The dry run says it too, on stderr and in JSON; nothing changes. */
START_TEST(test_install_guard_acl__dry_run_and_json_say_so)
{
	struct test_run run = {0};
	char *before = NULL, *dir = acl_demo(&before), *acl;

	if (dir == NULL)
		return;
	TEST_HARDCTL(&run, "--root", dir, "apply", "--dry-run", "--rule",
		     "snmp.community");
	ck_assert_msg(run.status == 0, "apply --dry-run: %s",
		      hc_buf_cstr(&run.err));
	assert_contains(hc_buf_cstr(&run.err),
			"hardctl: would drop from the ACL of "
			"/etc/snmp/snmpd.conf: user:65534:r--,group:4:r--");
	TEST_HARDCTL(&run, "--root", dir, "apply", "--dry-run", "--format",
		     "json", "--rule", "snmp.community");
	ck_assert_msg(run.status == 0, "apply --dry-run --format json: %s",
		      hc_buf_cstr(&run.err));
	assert_contains(hc_buf_cstr(&run.out), "\"acl_dropped\"");
	assert_contains(hc_buf_cstr(&run.out), "\"user:65534:r--\"");
	assert_contains(hc_buf_cstr(&run.out), "\"group:4:r--\"");
	acl = getfacl(dir, snmpd);
	ck_assert_str_eq(acl, before);
	free(acl);
	free(before);
	test_run_release(&run);
	test_rmtree(dir);
	free(dir);
}
END_TEST

/*
 * A default ACL on the directory would hand the new file (made beside
 * the old one) a named entry the old file never had: it must not.
 */
START_TEST(test_install_guard_acl__default_acl_not_inherited)
{
	struct test_run run = {0};
	char *dir = test_demo_root(), *acl;
	const char *skip;

	if ((skip = setfacl(dir, "/etc/snmp", "-m", "d:u:65534:r--")) != NULL) {
		fprintf(stderr, "skipped: %s\n", skip);
		test_rmtree(dir);
		free(dir);
		return;
	}
	TEST_HARDCTL(&run, "--root", dir, "apply", "--rule", "snmp.community");
	ck_assert_msg(run.status == 0, "apply: %s", hc_buf_cstr(&run.err));
	acl = getfacl(dir, snmpd);
	assert_lacks(acl, "65534");
	free(acl);
	test_run_release(&run);
	test_rmtree(dir);
	free(dir);
}
END_TEST

/* A failure after a file's ACL was trimmed puts that ACL back exactly. */
START_TEST(test_install_guard_acl__undo_restores_acl)
{
	char *dir = test_root(NULL), *before, *after;
	struct hc_file_state absent = {0}, file = {0};
	struct hc_root *root = NULL;
	const char *skip;
	struct hc_plan plan;

	test_write(dir, "/etc/app.conf", "old\n", 0644);
	if ((skip = setfacl(dir, "/etc/app.conf", "-m", "u:65534:rw-")) !=
	    NULL) {
		fprintf(stderr, "skipped: %s\n", skip);
		test_rmtree(dir);
		free(dir);
		return;
	}
	before = getfacl(dir, "/etc/app.conf");
	hc_plan_init(&plan);
	ck_assert(hc_root_open(&root, dir) == 0);
	plan_change(&plan, root, "/etc/app.conf", "new\n", 0600, 0);
	/* A second file in a directory that does not exist: it fails. */
	file.exists = true;
	file.mode = 0644;
	ck_assert(hc_buf_set(&file.data, "x\n", 2) == 0);
	ck_assert(hc_plan_add(&plan, NULL, "/nonexistent/x.conf", &absent,
			      &file) == 0);
	ck_assert(hc_install(root, &plan) < 0);
	assert_contains(hc_error_last()->message,
			"nothing changed (1 file put back)");
	after = getfacl(dir, "/etc/app.conf");
	ck_assert_str_eq(after, before);
	ck_assert_uint_eq(mode_of(dir, "/etc/app.conf"), 0664);
	free(before);
	free(after);
	hc_buf_release(&file.data);
	hc_plan_release(&plan);
	hc_root_free(root);
	test_rmtree(dir);
	free(dir);
}
END_TEST

/* An ACL too big to record is refused before anything is written (exit 5). */
START_TEST(test_install_guard_acl__too_big_refused)
{
	struct test_run run = {0};
	struct hc_buf spec = HC_BUF_INIT;
	char *dir = test_demo_root(), *orig, *text;
	const char *skip;

	for (unsigned int uid = 2000; uid < 2000 + HC_ACL_MAX; uid++)
		ck_assert(hc_buf_printf(&spec, "%su:%u:r--",
					spec.size ? "," : "", uid) == 0);
	if ((skip = setfacl(dir, snmpd, "-m", spec.ptr)) != NULL) {
		fprintf(stderr, "skipped: %s\n", skip);
		hc_buf_release(&spec);
		test_rmtree(dir);
		free(dir);
		return;
	}
	orig = test_read(dir, snmpd);
	TEST_HARDCTL(&run, "--root", dir, "apply", "--rule", "snmp.community");
	ck_assert_msg(run.status == 5, "exit %d: %s", run.status,
		      hc_buf_cstr(&run.err));
	assert_contains(hc_buf_cstr(&run.err),
			"/etc/snmp/snmpd.conf: has an ACL hardctl cannot "
			"record");
	text = test_read(dir, snmpd);
	ck_assert_str_eq(text, orig);
	free(text);
	free(orig);
	hc_buf_release(&spec);
	test_run_release(&run);
	test_rmtree(dir);
	free(dir);
}
END_TEST

/* The manifest's acl: field --------------------------------------------------
 */

#define SHA "0000000000000000000000000000000000000000000000000000000000000000"

START_TEST(test_install_guard_manifest__acl_field)
{
	static const char text[] = "# hardctl manifest 1\n"
				   "/etc/a\tfile\t0644\t0\t0\t" SHA "\n"
				   "/etc/b\tfile\t0640\t0\t0\t" SHA
				   "\tr.one@3\tacl:user::rw-,user:65534:r--,"
				   "group::r--,mask::r--,other::---\n"
				   "/etc/c\tfile\t0600\t0\t0\t" SHA
				   "\t\tacl:user::rw-,group::---,group:4:r--,"
				   "mask::---,other::---\n";
	static const char *const bad[] = {
	    /* no mask */
	    "acl:user::rw-,user:65534:r--,group::r--,other::---",
	    /* out of order */
	    "acl:user::rw-,group::r--,user:65534:r--,mask::r--,other::---",
	    /* a trailing comma */
	    "acl:user::rw-,group::r--,other::---,",
	    "acl:user::rwz,group::r--,other::---",
	    "acl:user:x:rw-,group::r--,other::---",
	    "acl:",
	    /* two rule fields */
	    "r.one@3\tr.two@4",
	};
	struct hc_manifest m = {0};
	struct hc_buf out = HC_BUF_INIT, line = HC_BUF_INIT;

	ck_assert_msg(hc_manifest_parse(&m, text, strlen(text), "t") == 0, "%s",
		      hc_error_last()->message);
	ck_assert_uint_eq(hc_manifest_find(&m, "/etc/a")->acl.n, 0);
	ck_assert_uint_eq(hc_manifest_find(&m, "/etc/b")->acl.n, 5);
	ck_assert_uint_eq(hc_manifest_find(&m, "/etc/b")->rules.n, 1);
	ck_assert_uint_eq(hc_manifest_find(&m, "/etc/c")->acl.n, 5);
	ck_assert(hc_manifest_format(&out, &m) == 0);
	ck_assert_str_eq(out.ptr, text);
	hc_manifest_release(&m);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		hc_buf_clear(&line);
		ck_assert(
		    hc_buf_printf(
			&line,
			"# hardctl manifest 1\n/etc/a\tfile\t0644\t0\t0\t" SHA
			"\t%s\n",
			bad[i]) == 0);
		ck_assert_msg(hc_manifest_parse(&m, line.ptr, line.size, "t") ==
				  HC_EPARSE,
			      "accepted: %s", bad[i]);
	}
	hc_buf_release(&out);
	hc_buf_release(&line);
}
END_TEST

/* Immutable and append-only
 * ---------------------------------------------------- */

/*
 * A directory on a real ext4 file system (chattr needs one; tmpfs has
 * no such flags), holding a copy of the demo root: a loop-mounted image
 * in a private mount namespace.  NULL, with *why, when that cannot be.
 */
static char *ext4_demo(char **img_dir, const char **why)
{
	static char reason[512];
	struct test_run run = {0};
	char *dir, *img, *mnt, *demo;

	*img_dir = NULL;
	if (geteuid() != 0) {
		*why = test_oracle(
		    "not root: cannot mount an ext4 image for chattr +i");
		return NULL;
	}
	if (access("/usr/sbin/mkfs.ext4", X_OK) != 0 ||
	    access("/usr/bin/chattr", X_OK) != 0) {
		*why = test_oracle(
		    "no mkfs.ext4 or chattr (apt-get install e2fsprogs)");
		return NULL;
	}
	dir = test_mkdtemp();
	img = join(dir, "/ext4.img");
	mnt = join(dir, "/mnt");
	ck_assert(mkdir(mnt, 0755) == 0);
	TEST_RUN(&run, "/usr/sbin/mkfs.ext4", "-q", "-F", img, "16M");
	if (run.status == 0 &&
	    (unshare(CLONE_NEWNS) < 0 ||
	     mount("none", "/", "none", MS_REC | MS_PRIVATE, NULL) < 0)) {
		snprintf(reason, sizeof(reason),
			 "no private mount namespace: %s", strerror(errno));
		*why = test_oracle(reason);
	} else if (run.status == 0) {
		TEST_RUN(&run, "/usr/bin/mount", "-o", "loop", img, mnt);
		snprintf(reason, sizeof(reason),
			 "cannot loop-mount an ext4 image: %s",
			 hc_buf_cstr(&run.err));
		*why = run.status == 0 ? NULL : test_oracle(reason);
	} else {
		snprintf(reason, sizeof(reason), "mkfs.ext4: %s",
			 hc_buf_cstr(&run.err));
		*why = test_oracle(reason);
	}
	if (*why == NULL) {
		demo = test_demo_root();
		TEST_RUN(&run, "/bin/sh", "-c", "cp -a \"$1\"/. \"$2\"", "sh",
			 demo, mnt);
		ck_assert_msg(run.status == 0, "cp: %s", hc_buf_cstr(&run.err));
		test_rmtree(demo);
		free(demo);
	}
	test_run_release(&run);
	free(img);
	*img_dir = dir;
	if (*why) {
		free(mnt);
		return NULL;
	}
	return mnt;
}

static void ext4_done(char *mnt, char *img_dir)
{
	struct test_run run = {0};

	if (mnt) {
		TEST_RUN(&run, "/usr/bin/chattr", "-R", "-i", "-a", mnt);
		TEST_RUN(&run, "/usr/bin/umount", mnt);
		test_run_release(&run);
	}
	test_rmtree(img_dir);
	free(img_dir);
	free(mnt);
}

static void chattr(const char *root, const char *flag, const char *path)
{
	struct test_run run = {0};
	char *full = join(root, path);

	TEST_RUN(&run, "/usr/bin/chattr", flag, full);
	ck_assert_msg(run.status == 0, "chattr %s %s: %s", flag, full,
		      hc_buf_cstr(&run.err));
	test_run_release(&run);
	free(full);
}

/*
 * An immutable /etc/snmp, or an append-only /etc above it: apply is
 * refused before anything is written (exit 5), naming the directory
 * and chattr; nothing claims a restore failed.
 */
START_TEST(test_install_guard_immutable__directory_refused)
{
	static const struct {
		const char *dir, *flag, *said;
	} cases[] = {
	    {"/etc/snmp", "+i", "/etc/snmp: is an immutable directory"},
	    {"/etc", "+a", "/etc: is an append-only directory"},
	};
	struct test_run run = {0};
	char *img_dir, *mnt, *text, *orig;
	const char *why;

	if ((mnt = ext4_demo(&img_dir, &why)) == NULL) {
		fprintf(stderr, "skipped: %s\n", why);
		ext4_done(NULL, img_dir);
		return;
	}
	orig = test_read(mnt, snmpd);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		chattr(mnt, cases[i].flag, cases[i].dir);
		TEST_HARDCTL(&run, "--root", mnt, "apply", "--rule",
			     "snmp.community");
		ck_assert_msg(run.status == 5, "apply under %s %s: exit %d: %s",
			      cases[i].flag, cases[i].dir, run.status,
			      hc_buf_cstr(&run.err));
		assert_contains(hc_buf_cstr(&run.err), cases[i].said);
		assert_contains(hc_buf_cstr(&run.err), cases[i].flag[1] == 'i'
							   ? "'chattr -i'"
							   : "'chattr -a'");
		assert_lacks(hc_buf_cstr(&run.err), "restoring failed");
		text = test_read(mnt, snmpd);
		ck_assert_str_eq(text, orig);
		free(text);
		chattr(mnt, cases[i].flag[1] == 'i' ? "-i" : "-a",
		       cases[i].dir);
	}
	/* Freed of the flags, the same apply goes through. */
	TEST_HARDCTL(&run, "--root", mnt, "apply", "--rule", "snmp.community");
	ck_assert_msg(run.status == 0, "apply: %s", hc_buf_cstr(&run.err));
	free(orig);
	test_run_release(&run);
	ext4_done(mnt, img_dir);
}
END_TEST

/* An immutable or append-only file is refused in preflight too. */
START_TEST(test_install_guard_immutable__file_refused)
{
	struct test_run run = {0};
	char *img_dir, *mnt;
	const char *why;

	if ((mnt = ext4_demo(&img_dir, &why)) == NULL) {
		fprintf(stderr, "skipped: %s\n", why);
		ext4_done(NULL, img_dir);
		return;
	}
	chattr(mnt, "+i", snmpd);
	TEST_HARDCTL(&run, "--root", mnt, "apply", "--rule", "snmp.community");
	ck_assert_msg(run.status == 5, "exit %d: %s", run.status,
		      hc_buf_cstr(&run.err));
	assert_contains(hc_buf_cstr(&run.err),
			"/etc/snmp/snmpd.conf: is immutable");
	assert_contains(hc_buf_cstr(&run.err), "'chattr -i'");
	chattr(mnt, "-i", snmpd);
	chattr(mnt, "+a", snmpd);
	TEST_HARDCTL(&run, "--root", mnt, "apply", "--rule", "snmp.community");
	ck_assert_msg(run.status == 5, "exit %d: %s", run.status,
		      hc_buf_cstr(&run.err));
	assert_contains(hc_buf_cstr(&run.err),
			"/etc/snmp/snmpd.conf: is append-only");
	test_run_release(&run);
	ext4_done(mnt, img_dir);
}
END_TEST

/*
 * The installer alone (no preflight) on a plan whose second file lies
 * in an immutable directory: the first is put back, and the message
 * does not say a restore failed for the second, never replaced.
 */
START_TEST(test_install_guard_immutable__no_false_restore_claim)
{
	struct hc_root *root = NULL;
	struct hc_plan plan;
	char *img_dir, *mnt, *text;
	const char *why;

	if ((mnt = ext4_demo(&img_dir, &why)) == NULL) {
		fprintf(stderr, "skipped: %s\n", why);
		ext4_done(NULL, img_dir);
		return;
	}
	test_write(mnt, "/etc/a.conf", "a old\n", 0644);
	chattr(mnt, "+i", "/etc/snmp");
	hc_plan_init(&plan);
	ck_assert(hc_root_open(&root, mnt) == 0);
	plan_change(&plan, root, "/etc/a.conf", "a new\n", 0644, 0);
	plan_change(&plan, root, snmpd, "new\n", 0600, 0);
	ck_assert(hc_install(root, &plan) < 0);
	assert_lacks(hc_error_last()->message, "restoring failed");
	assert_contains(hc_error_last()->message,
			"nothing changed (1 file put back)");
	text = test_read(mnt, "/etc/a.conf");
	ck_assert_str_eq(text, "a old\n");
	free(text);
	hc_plan_release(&plan);
	hc_root_free(root);
	ext4_done(mnt, img_dir);
}
END_TEST

Suite *install_guard_suite(void)
{
	Suite *s = suite_create("install_guard");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_install_guard_order__acl_then_mode);
	tcase_add_test(tc, test_install_guard_readback__mode_differs_restores);
	tcase_add_test(tc, test_install_guard_acl__dropped_said_and_restored);
	tcase_add_test(tc, test_install_guard_acl__dry_run_and_json_say_so);
	tcase_add_test(tc, test_install_guard_acl__default_acl_not_inherited);
	tcase_add_test(tc, test_install_guard_acl__undo_restores_acl);
	tcase_add_test(tc, test_install_guard_acl__too_big_refused);
	tcase_add_test(tc, test_install_guard_manifest__acl_field);
	tcase_add_test(tc, test_install_guard_immutable__directory_refused);
	tcase_add_test(tc, test_install_guard_immutable__file_refused);
	tcase_add_test(tc,
		       test_install_guard_immutable__no_false_restore_claim);
	suite_add_tcase(s, tc);
	return s;
}
