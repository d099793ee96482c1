/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The store's history, verifiable with stock tools: each commit carries
 * git's own SSH signature (an SSHSIG in the gpgsig header), which
 * `git verify-commit` and `ssh-keygen -Y verify` accept with the line
 * `hardctl verify --allowed-signers` prints.  A tampered commit, or one
 * signed by another key, fails both git and hardctl verify; a store
 * signed the old way (tests/fixtures/sshsig) still verifies; and the
 * SSHSIG reader refuses garbage and truncations without a crash.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "hardctl/sign.h"
#include "test.h"

/* The key tests/fixtures/sshsig/old-store.tar.gz was signed with. */
#define OLD_FPR                                                                \
	"850baed02ea39995946f88f94615c1921722bd360c5fa38d27c64edb9f4d9bee"

static char *root_dir, *tmp_dir;
static struct test_run run;

#define HARDCTL(...) TEST_HARDCTL(&run, __VA_ARGS__)

static void setup(void)
{
	root_dir = test_demo_root();
	tmp_dir = test_mkdtemp();
	memset(&run, 0, sizeof(run));
}

static void teardown(void)
{
	test_run_release(&run);
	test_rmtree(root_dir);
	test_rmtree(tmp_dir);
	free(root_dir);
	free(tmp_dir);
}

/*
 * Run the shell script FMT (printf-style) into RUN, with GIT_DIR the
 * store, $T a scratch directory and $S the allowed-signers file there,
 * and $GV a git verify-commit that reads it.
 */
static void sh(const char *fmt, ...) HC_PRINTF(1, 2);

static void sh(const char *fmt, ...)
{
	char script[8192], cmd[12288];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(script, sizeof(script), fmt, ap);
	va_end(ap);
	snprintf(cmd, sizeof(cmd),
		 "set -u; R='%s'; T='%s'; S=\"$T/signers\"; "
		 "export GIT_DIR=\"$R/var/lib/hardctl/oldconf\"; "
		 "GV=\"git -c gpg.format=ssh -c gpg.ssh.allowedSignersFile=$S "
		 "verify-commit\"; %s",
		 root_dir, tmp_dir, script);
	TEST_RUN(&run, "/bin/sh", "-c", cmd);
}

/* Write the allowed-signers line hardctl prints to $T/signers. */
static void write_signers(void)
{
	char path[4096];
	FILE *fp;

	HARDCTL("--root", root_dir, "verify", "--allowed-signers");
	ck_assert_msg(run.status == 0, "%s", run.err.ptr);
	snprintf(path, sizeof(path), "%s/signers", tmp_dir);
	ck_assert_ptr_nonnull(fp = fopen(path, "w"));
	ck_assert_int_eq(fputs(run.out.ptr, fp) >= 0, 1);
	ck_assert_int_eq(fclose(fp), 0);
}

/* Three transactions: two applies and a rollback, five commits. */
static void make_history(void)
{
	HARDCTL("--root", root_dir, "apply", "--rule", "banner.issue");
	ck_assert_msg(run.status == 0, "%s", run.err.ptr);
	HARDCTL("--root", root_dir, "apply", "--rule", "banner.motd");
	ck_assert_msg(run.status == 0, "%s", run.err.ptr);
	HARDCTL("--root", root_dir, "rollback", "1");
	ck_assert_msg(run.status == 0, "%s", run.err.ptr);
}

/* Unpack the store hardctl signed before it used git's format. */
static void old_store(void)
{
	char cmd[8192];

	snprintf(cmd, sizeof(cmd),
		 "rm -rf '%s'/* && tar -xzf '%s/sshsig/old-store.tar.gz' -C "
		 "'%s'",
		 root_dir, HC_TEST_FIXTURES, root_dir);
	ck_assert_int_eq(system(cmd), 0);
}

/*
 * Scripts that take commit main apart: its signature without the
 * header's indentation into $T/sig, the rest (what was signed) into
 * $T/payload.
 */
#define SPLIT_MAIN                                                             \
	"git cat-file commit main | awk -v T=\"$T\" '"                         \
	"/^gpgsig / { g = 1; sub(/^gpgsig /, \"\"); print > (T \"/sig\"); "    \
	"next } "                                                              \
	"g && /^ / { print substr($0, 2) > (T \"/sig\"); next } "              \
	"{ g = 0; print > (T \"/payload\") }' && "

/* Point main and transaction N's ref at commit $c. */
#define MOVE_REFS                                                              \
	"git update-ref refs/heads/main $c && git update-ref "                 \
	"refs/hardctl/txn/%s $c"

START_TEST(test_sshsig_signers__line_names_the_key)
{
	HARDCTL("--root", root_dir, "apply", "--rule", "banner.issue");
	ck_assert_int_eq(run.status, 0);
	HARDCTL("--root", root_dir, "verify", "--allowed-signers");
	ck_assert_msg(run.status == 0, "%s", run.err.ptr);
	/* One line: principal, namespace, the key as ssh writes it. */
	assert_contains(run.out.ptr,
			"hardctl@localhost namespaces=\"git\" ssh-ed25519 "
			"AAAAC3NzaC1lZDI1NTE5AAAAI");
	ck_assert_uint_eq(strlen(run.out.ptr), 18 + 17 + 12 + 68 + 1);
	ck_assert_ptr_eq(strchr(run.out.ptr, '\n'),
			 run.out.ptr + run.out.size - 1);
	/* ssh-keygen reads it back as the key it names. */
	write_signers();
	sh("cut -d' ' -f3,4 \"$S\" > \"$T/k.pub\" && "
	   "ssh-keygen -l -f \"$T/k.pub\"");
	ck_assert_msg(run.status == 0, "%s", run.err.ptr);
	assert_contains(run.out.ptr, "256 SHA256:");
	assert_contains(run.out.ptr, "(ED25519)");
	/* Options go after the command; the help shows the recipe. */
	HARDCTL("--root", root_dir, "verify", "--help");
	ck_assert_int_eq(run.status, 0);
	assert_contains(run.out.ptr, "--allowed-signers");
	assert_contains(run.out.ptr, "gpg.ssh.allowedSignersFile");
	/* A recorded fingerprint that is not the key's: no line at all. */
	HARDCTL("--root", root_dir, "verify", "--allowed-signers",
		"--fingerprint", OLD_FPR);
	ck_assert_int_eq(run.status, 5);
	ck_assert_uint_eq(run.out.size, 0);
}
END_TEST

/* Stock git says Good for every commit of a fresh store's history. */
START_TEST(test_sshsig_git__verifies_every_commit)
{
	make_history();
	write_signers();
	sh("n=0; for c in $(git rev-list --all); do "
	   "$GV $c || { echo \"FAILED $c\"; exit 1; }; n=$((n + 1)); done; "
	   "echo \"commits $n\"");
	ck_assert_msg(run.status == 0, "%s%s", run.out.ptr, run.err.ptr);
	assert_contains(run.out.ptr, "commits 5");
	assert_contains(run.err.ptr, "Good \"git\" signature for "
				     "hardctl@localhost with ED25519 key");
	/* The header is git's own, hardctl's old one is gone. */
	sh("git cat-file commit main");
	assert_contains(run.out.ptr,
			"\ngpgsig -----BEGIN SSH SIGNATURE-----\n");
	assert_contains(run.out.ptr, "committer ");
	assert_contains(run.out.ptr, " <hardctl@localhost> ");
	assert_lacks(run.out.ptr, "hardctl-sig");
	HARDCTL("--root", root_dir, "verify");
	ck_assert_msg(run.status == 0, "%s", run.err.ptr);
	assert_contains(run.out.ptr, "5 commits");
}
END_TEST

/* ssh-keygen alone verifies the signature taken out of a commit. */
START_TEST(test_sshsig_keygen__verifies_extracted_signature)
{
	make_history();
	write_signers();
	sh(SPLIT_MAIN "ssh-keygen -Y verify -f \"$S\" -I hardctl@localhost "
		      "-n git -s \"$T/sig\" < \"$T/payload\" && "
		      "awk '{ print length($0) }' \"$T/sig\" | tr '\\n' ' '");
	ck_assert_msg(run.status == 0, "%s%s", run.out.ptr, run.err.ptr);
	assert_contains(run.out.ptr, "Good \"git\" signature for "
				     "hardctl@localhost with ED25519 key");
	/* The armor as ssh-keygen -Y sign writes it: lines of 70. */
	assert_contains(run.out.ptr, "29 70 70 70 22 27 ");
	/* In another namespace the same signature is not good. */
	sh(SPLIT_MAIN "ssh-keygen -Y verify -f \"$S\" -I hardctl@localhost "
		      "-n file -s \"$T/sig\" < \"$T/payload\"");
	ck_assert_int_ne(run.status, 0);
}
END_TEST

/* A message rewritten under its signature: git and hardctl both refuse. */
START_TEST(test_sshsig_tamper__rewritten_message_refused)
{
	char *before;

	make_history();
	write_signers();
	sh("c=$(git cat-file commit main | "
	   "sed 's/^rollback of transaction 1$/rollback of nothing/' | "
	   "git hash-object -t commit --literally -w --stdin) && "
	   "test $c != $(git rev-parse main) && "
	   "git cat-file commit $c | grep -q '^gpgsig ' && " MOVE_REFS,
	   "3");
	ck_assert_msg(run.status == 0, "%s", run.err.ptr);
	sh("$GV main");
	ck_assert_int_ne(run.status, 0);
	assert_lacks(run.err.ptr, "Good");
	HARDCTL("--root", root_dir, "verify");
	ck_assert_int_eq(run.status, 5);
	assert_contains(run.out.ptr, "a bad signature");
	/* The commits before it are still good for git. */
	sh("$GV main~1");
	ck_assert_msg(run.status == 0, "%s", run.err.ptr);
	before = test_snapshot(root_dir);
	HARDCTL("--root", root_dir, "rollback");
	ck_assert_int_eq(run.status, 5);
	{
		char *after = test_snapshot(root_dir);

		ck_assert_str_eq(before, after);
		free(after);
	}
	free(before);
}
END_TEST

/*
 * The header doubled, or a line added to it after the armor: the
 * commit is not the one hardctl wrote, though its signature still
 * holds.  ssh-keygen reads the first armor and ignores the rest, so
 * git 2.39 says Good; hardctl takes no byte more than it writes.
 */
START_TEST(test_sshsig_tamper__doubled_header_refused)
{
	static const char *const edits[] = {
	    /* The whole gpgsig header again, after the first. */
	    "/^gpgsig / { g = 1 } g && /^(gpgsig | )/ { h = h $0 \"\\n\" } "
	    "g && !/^(gpgsig | )/ { printf \"%s\", h; g = 0 } { print }",
	    /* A continuation line after the END line. */
	    "{ print } /^ -----END SSH SIGNATURE-----$/ { print \" x\" }",
	};

	make_history();
	write_signers();
	sh("git rev-parse main > \"$T/orig\"");
	for (size_t i = 0; i < HC_ARRAY_SIZE(edits); i++) {
		sh("o=$(cat \"$T/orig\") && "
		   "c=$(git cat-file commit $o | awk '%s' | "
		   "git hash-object -t commit --literally -w --stdin) && "
		   "test $c != $o && "
		   "test $(git cat-file commit $c | grep -c '^ -----END') = %s "
		   "&& " MOVE_REFS,
		   edits[i], i == 0 ? "2" : "1", "3");
		ck_assert_msg(run.status == 0, "%s", run.err.ptr);
		HARDCTL("--root", root_dir, "verify");
		ck_assert_int_eq(run.status, 5);
		assert_contains(run.out.ptr,
				"not an SSH signature of hardctl's");
	}
}
END_TEST

/* A good SSHSIG, by ssh-keygen, of another Ed25519 key: refused. */
START_TEST(test_sshsig_key__another_key_refused)
{
	make_history();
	write_signers();
	sh("ssh-keygen -q -t ed25519 -N '' -C other -f \"$T/other\" "
	   "&& " SPLIT_MAIN "ssh-keygen -q -Y sign -n git -f \"$T/other\" "
	   "\"$T/payload\" && "
	   /* The payload with the other key's signature as its gpgsig. */
	   "c=$(awk -v T=\"$T\" '{ print } /^committer / { "
	   "while ((getline l < (T \"/payload.sig\")) > 0) "
	   "print (n++ ? \" \" : \"gpgsig \") l }' \"$T/payload\" | "
	   "git hash-object -t commit -w --stdin) && "
	   "git cat-file commit $c | grep -q '^gpgsig ' && " MOVE_REFS,
	   "3");
	ck_assert_msg(run.status == 0, "%s", run.err.ptr);
	/* The signature is good, but for a key git was not told to trust. */
	sh("ssh-keygen -Y check-novalidate -n git -s \"$T/payload.sig\" "
	   "< \"$T/payload\"");
	ck_assert_msg(run.status == 0, "%s", run.err.ptr);
	sh("$GV main");
	ck_assert_int_ne(run.status, 0);
	HARDCTL("--root", root_dir, "verify");
	ck_assert_int_eq(run.status, 5);
	assert_contains(run.out.ptr, "signed by another key");
}
END_TEST

/* A store signed before: verify still passes, new commits are git's. */
START_TEST(test_sshsig_old__store_still_verifies)
{
	old_store();
	HARDCTL("--root", root_dir, "verify", "--fingerprint", OLD_FPR);
	ck_assert_msg(run.status == 0, "%s%s", run.out.ptr, run.err.ptr);
	assert_contains(run.out.ptr, "5 commits and 8 stored files verified");
	sh("git cat-file commit main");
	assert_contains(run.out.ptr, "\nhardctl-sig ed25519 " OLD_FPR " ");
	/* The same key signs on, now in git's format. */
	HARDCTL("--root", root_dir, "apply", "--rule", "banner.issue");
	ck_assert_msg(run.status == 0, "%s", run.err.ptr);
	assert_lacks(run.err.ptr, "made the store's signing key");
	HARDCTL("--root", root_dir, "verify", "--fingerprint", OLD_FPR);
	ck_assert_msg(run.status == 0, "%s%s", run.out.ptr, run.err.ptr);
	assert_contains(run.out.ptr, "6 commits");
	write_signers();
	sh("$GV main");
	ck_assert_msg(run.status == 0, "%s", run.err.ptr);
	assert_contains(run.err.ptr, "Good \"git\" signature");
	/* The old commits have no signature git knows. */
	sh("$GV main~1");
	ck_assert_int_ne(run.status, 0);
	/* Undo across the formats. */
	HARDCTL("--root", root_dir, "rollback", "4");
	ck_assert_msg(run.status == 0, "%s", run.err.ptr);
	HARDCTL("--root", root_dir, "verify");
	ck_assert_msg(run.status == 0, "%s%s", run.out.ptr, run.err.ptr);
}
END_TEST

/* An old commit given a gpgsig too: each signature breaks the other's. */
START_TEST(test_sshsig_old__added_header_refused)
{
	old_store();
	HARDCTL("--root", root_dir, "apply", "--rule", "banner.issue");
	ck_assert_msg(run.status == 0, "%s", run.err.ptr);
	/* Commit main~1 (transaction 3's) gets main's own good gpgsig. */
	sh(SPLIT_MAIN "c=$(git cat-file commit main~1 | awk -v T=\"$T\" "
		      "'{ print } /^committer / { "
		      "while ((getline l < (T \"/sig\")) > 0) "
		      "print (n++ ? \" \" : \"gpgsig \") l }' | "
		      "git hash-object -t commit -w --stdin) && "
		      "git update-ref refs/hardctl/txn/3 $c");
	ck_assert_msg(run.status == 0, "%s", run.err.ptr);
	sh("git cat-file commit refs/hardctl/txn/3 | grep -c '^gpgsig "
	   "\\|^hardctl-sig '");
	assert_contains(run.out.ptr, "2");
	HARDCTL("--root", root_dir, "verify");
	ck_assert_int_eq(run.status, 5);
	assert_contains(run.out.ptr, "a bad signature");
}
END_TEST

/* A signer of a throwaway key in the scratch directory. */
static struct hc_signer *scratch_signer(void)
{
	struct hc_signer *signer = NULL;
	char path[4096];
	bool created;

	snprintf(path, sizeof(path), "%s/key", tmp_dir);
	ck_assert_int_eq(hc_signer_load(&signer, path, true, &created), 0);
	ck_assert(created);
	return signer;
}

/* The reader: every truncation and every changed byte, refused or sound. */
START_TEST(test_sshsig_parse__garbage_and_truncation_refused)
{
	static const char data[] = "tree 0000\n\nmessage\n";
	static const char *const garbage[] = {
	    "",
	    "-----BEGIN SSH SIGNATURE-----",
	    "-----BEGIN SSH SIGNATURE-----\n-----END SSH SIGNATURE-----",
	    "-----BEGIN SSH SIGNATURE-----\n====\n-----END SSH SIGNATURE-----",
	    "-----BEGIN SSH SIGNATURE-----\nU1NIU0lH\n-----END SSH "
	    "SIGNATURE-----",
	    /* SSHSIG, version 1, then a key string 0xffffffff long. */
	    "-----BEGIN SSH SIGNATURE-----\nU1NIU0lHAAAAAf////8=\n-----END "
	    "SSH SIGNATURE-----",
	    /* Version 2. */
	    "-----BEGIN SSH SIGNATURE-----\nU1NIU0lHAAAAAgAAAAA=\n-----END "
	    "SSH SIGNATURE-----",
	    "-----END SSH SIGNATURE-----\n-----BEGIN SSH SIGNATURE-----",
	    "ed25519 " OLD_FPR " AAAA",
	};
	struct hc_signer *signer = scratch_signer();
	struct hc_buf sig = HC_BUF_INIT, copy = HC_BUF_INIT;
	struct hc_sshsig parsed;
	size_t accepted = 0;

	ck_assert_int_eq(hc_signer_sign(&sig, signer, data, strlen(data)), 0);
	ck_assert_int_eq(hc_sshsig_parse(&parsed, sig.ptr, sig.size), 0);
	ck_assert_int_eq(hc_signer_verify(signer, data, strlen(data), sig.ptr),
			 0);
	/* Another message under it, or the old format's reader: refused. */
	ck_assert_int_eq(
	    hc_signer_verify(signer, data, strlen(data) - 1, sig.ptr),
	    HC_EUNSAFE);
	ck_assert_int_eq(
	    hc_signer_verify_old(signer, data, strlen(data), sig.ptr),
	    HC_EUNSAFE);
	for (size_t i = 0; i < HC_ARRAY_SIZE(garbage); i++) {
		ck_assert_int_eq(
		    hc_sshsig_parse(&parsed, garbage[i], strlen(garbage[i])),
		    HC_EUNSAFE);
		ck_assert_int_eq(
		    hc_signer_verify(signer, data, strlen(data), garbage[i]),
		    HC_EUNSAFE);
	}
	/* Every truncation, in a buffer of its own length. */
	for (size_t n = 0; n < sig.size; n++) {
		char *cut = malloc(n ? n : 1);

		ck_assert_ptr_nonnull(cut);
		memcpy(cut, sig.ptr, n);
		/* Dropping only the last newline would be fine: there is none.
		 */
		ck_assert_int_eq(hc_sshsig_parse(&parsed, cut, n), HC_EUNSAFE);
		free(cut);
	}
	/* Every byte changed: the reader refuses, or the check does. */
	for (size_t i = 0; i < sig.size; i++) {
		hc_buf_clear(&copy);
		ck_assert_int_eq(hc_buf_set(&copy, sig.ptr, sig.size), 0);
		copy.ptr[i] = copy.ptr[i] == 'A' ? 'B' : 'A';
		if (hc_sshsig_parse(&parsed, copy.ptr, copy.size) == 0)
			accepted++;
		ck_assert_int_eq(
		    hc_signer_verify(signer, data, strlen(data), copy.ptr),
		    HC_EUNSAFE);
	}
	/* Only the base64 of the key and signature bytes parses so. */
	ck_assert_uint_gt(accepted, 0);
	ck_assert_uint_lt(accepted, 150);
	/* Longer than any signature: refused before it is decoded. */
	hc_buf_clear(&copy);
	ck_assert_int_eq(hc_buf_puts(&copy, "-----BEGIN SSH SIGNATURE-----\n"),
			 0);
	for (int i = 0; i < 100; i++)
		ck_assert_int_eq(hc_buf_puts(&copy,
					     "QUFBQUFB"
					     "QUFBQUFBQUFBQUFBQUFBQUFB"
					     "QUFBQUFBQUFBQUFBQUFBQUFB\n"),
				 0);
	ck_assert_int_eq(hc_buf_puts(&copy, "-----END SSH SIGNATURE-----"), 0);
	ck_assert_int_eq(hc_sshsig_parse(&parsed, copy.ptr, copy.size),
			 HC_EUNSAFE);
	hc_buf_release(&copy);
	hc_buf_release(&sig);
	hc_signer_free(signer);
}
END_TEST

/*
 * The throwaway host key sshd -t gets: OpenSSH reads it as the key it
 * is, sshd takes it, each is new, and nothing is written over.
 */
START_TEST(test_sshsig_hostkey__openssh_reads_it)
{
	char key[4096], other[4096];
	struct stat st;

	snprintf(key, sizeof(key), "%s/key", tmp_dir);
	snprintf(other, sizeof(other), "%s/other", tmp_dir);
	ck_assert_int_eq(hc_ssh_hostkey_create(key), 0);
	ck_assert_int_eq(hc_ssh_hostkey_create(other), 0);
	ck_assert_int_eq(stat(key, &st), 0);
	ck_assert_uint_eq(st.st_mode & 07777, 0600);
	/* ssh-keygen derives the public half from the private part. */
	sh("ssh-keygen -y -f \"$T/key\" > \"$T/key.pub\" && "
	   "ssh-keygen -y -f \"$T/other\" > \"$T/other.pub\" && "
	   "ssh-keygen -l -f \"$T/key\" && "
	   "! cmp -s \"$T/key.pub\" \"$T/other.pub\"");
	ck_assert_msg(run.status == 0, "%s%s", run.out.ptr, run.err.ptr);
	assert_contains(run.out.ptr, "256 SHA256:");
	assert_contains(run.out.ptr, "(ED25519)");
	/* sshd takes it as a host key. */
	if (access("/usr/sbin/sshd", X_OK) == 0 &&
	    access("/run/sshd", F_OK) == 0) {
		sh("printf 'Port 22\\n' > \"$T/sshd_config\" && "
		   "/usr/sbin/sshd -t -f \"$T/sshd_config\" -h \"$T/key\"");
		ck_assert_msg(run.status == 0, "sshd -t: %s", run.err.ptr);
	} else {
		(void)test_oracle("no sshd or /run/sshd");
	}
	/* A key already there is not replaced. */
	sh("cp \"$T/key\" \"$T/key.was\"");
	ck_assert_int_eq(hc_ssh_hostkey_create(key), HC_ERROR);
	assert_contains(hc_error_last()->message, "File exists");
	sh("cmp \"$T/key\" \"$T/key.was\"");
	ck_assert_int_eq(run.status, 0);
}
END_TEST

Suite *sshsig_suite(void)
{
	Suite *s = suite_create("sshsig");
	TCase *tc = tcase_create("sshsig");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_sshsig_signers__line_names_the_key);
	tcase_add_test(tc, test_sshsig_git__verifies_every_commit);
	tcase_add_test(tc, test_sshsig_keygen__verifies_extracted_signature);
	tcase_add_test(tc, test_sshsig_tamper__rewritten_message_refused);
	tcase_add_test(tc, test_sshsig_tamper__doubled_header_refused);
	tcase_add_test(tc, test_sshsig_key__another_key_refused);
	tcase_add_test(tc, test_sshsig_old__store_still_verifies);
	tcase_add_test(tc, test_sshsig_old__added_header_refused);
	tcase_add_test(tc, test_sshsig_parse__garbage_and_truncation_refused);
	tcase_add_test(tc, test_sshsig_hostkey__openssh_reads_it);
	suite_add_tcase(s, tc);
	return s;
}
