/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The front (src/front.c): hardctl answers --help, the usage and
 * --version itself, byte for byte as hardctl-full does; it links no
 * Augeas and no libgit2; it runs the hardctl-full beside it, and says so
 * when there is none.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "test.h"

static struct test_run front, full;
static char *dir;

static void setup(void)
{
	memset(&front, 0, sizeof(front));
	memset(&full, 0, sizeof(full));
	dir = test_mkdtemp();
	/* --version's note of the library versions goes in DIR. */
	ck_assert_int_eq(setenv("HARDCTL_CACHE_DIR", dir, 1), 0);
	unsetenv("LD_LIBRARY_PATH");
	unsetenv("LD_PRELOAD");
}

static void teardown(void)
{
	test_run_release(&front);
	test_run_release(&full);
	test_rmtree(dir);
	free(dir);
}

/*
 * The front with ARGS (NULL-terminated), as test_hardctl() runs it
 * (under valgrind with scripts/test --valgrind), or without valgrind
 * when NATIVE; and hardctl-full with the same.
 */
static void run_both_as(const char *const *args, bool native)
{
	const char *argv[16] = {HC_TEST_FULL_BINARY};
	const char *fargv[16] = {HC_TEST_BINARY};
	size_t n = 1;

	for (size_t i = 0; args[i] && n < HC_ARRAY_SIZE(argv) - 1; i++) {
		fargv[n] = args[i];
		argv[n++] = args[i];
	}
	fargv[n] = NULL;
	argv[n] = NULL;
	test_run_release(&front);
	test_run_release(&full);
	if (native)
		test_run_program(&front, fargv);
	else
		test_hardctl(&front, args);
	test_run_program(&full, argv);
}

static void run_both(const char *const *args)
{
	run_both_as(args, false);
}

#define assert_same_as_full()                                                  \
	do {                                                                   \
		ck_assert_int_eq(front.status, full.status);                   \
		ck_assert_str_eq(front.out.ptr, full.out.ptr);                 \
		ck_assert_str_eq(front.err.ptr, full.err.ptr);                 \
	} while (0)

START_TEST(test_front_help__same_as_full)
{
	static const char *const help[] = {"--help", NULL};
	static const char *const h[] = {"-h", NULL};

	run_both(help);
	assert_same_as_full();
	ck_assert_int_eq(front.status, 0);
	ck_assert_ptr_nonnull(strstr(front.out.ptr, "usage: hardctl "));
	ck_assert_ptr_nonnull(strstr(front.out.ptr, "exit codes: "));
	run_both(h);
	assert_same_as_full();
}
END_TEST

/* No command: the usage on stderr, exit 2, from either. */
START_TEST(test_front_usage__same_as_full)
{
	static const char *const none[] = {NULL};

	run_both(none);
	assert_same_as_full();
	ck_assert_int_eq(front.status, 2);
	ck_assert_str_eq(front.out.ptr, "");
	ck_assert_ptr_nonnull(strstr(front.err.ptr, "usage: hardctl "));
}
END_TEST

START_TEST(test_front_version__same_as_full)
{
	static const char *const version[] = {"--version", NULL};

	run_both(version);
	assert_same_as_full();
	ck_assert_int_eq(front.status, 0);
	/* The libraries' own words, not "(unknown)" or 0.0.0. */
	ck_assert_ptr_nonnull(strstr(front.out.ptr, "\naugeas 1."));
	ck_assert_ptr_null(strstr(front.out.ptr, "libgit2 0.0.0"));
	ck_assert_ptr_nonnull(strstr(front.out.ptr, ", OpenSSL "));
}
END_TEST

/*
 * The front's --version, which must be hardctl-full's; without valgrind,
 * whose LD_PRELOAD would keep the front off its note.
 */
static void assert_version_as_full(void)
{
	static const char *const version[] = {"--version", NULL};

	run_both_as(version, true);
	assert_same_as_full();
}

/*
 * --version notes what the libraries said, and what decides which
 * libraries are loaded; the note is believed while those files are the
 * same, and only then.
 */
START_TEST(test_front_version__note_believed_while_unchanged)
{
	char *note, *at, path[4200];
	struct stat st;
	struct hc_buf forged = HC_BUF_INIT, aug = HC_BUF_INIT;

	assert_version_as_full();
	note = test_read(dir, "/libversions");
	ck_assert_ptr_nonnull(note);
	ck_assert_ptr_nonnull(strstr(note, "\n/etc/ld.so.cache "));
	snprintf(path, sizeof(path), "%s/libversions", dir);
	ck_assert(stat(path, &st) == 0);
	ck_assert_int_eq(st.st_mode & 077, 0);
	/* Noted, then read: the same bytes. */
	assert_version_as_full();

	/* A note with other versions is believed: it is what is read. */
	at = strstr(full.out.ptr, "\naugeas ");
	ck_assert_ptr_nonnull(at);
	hc_buf_put(&aug, at + 8, strcspn(at + 8, ","));
	hc_buf_puts(&aug, "\n");
	at = strstr(note, aug.ptr);
	ck_assert_msg(at != NULL, "%s not in the note:\n%s", aug.ptr, note);
	hc_buf_put(&forged, note, (size_t)(at - note));
	hc_buf_puts(&forged, "0.0-noted\n");
	hc_buf_puts(&forged, at + aug.size);
	test_write(dir, "/libversions", forged.ptr, 0600);
	TEST_RUN(&front, HC_TEST_BINARY, "--version");
	ck_assert_ptr_nonnull(strstr(front.out.ptr, "\naugeas 0.0-noted, "));

	/* Others may write it: not believed. */
	test_write(dir, "/libversions", forged.ptr, 0622);
	assert_version_as_full();

	/* The loader's cache is not the file noted: not believed. */
	at = strstr(forged.ptr, "\n/etc/ld.so.cache ");
	ck_assert_ptr_nonnull(at);
	at[strlen("\n/etc/ld.so.cache ")] ^= 1; /* its device, another */
	test_write(dir, "/libversions", forged.ptr, 0600);
	assert_version_as_full();

	/* An environment that chooses the libraries: asked every time. */
	hc_buf_clear(&forged);
	free(note);
	note = test_read(dir, "/libversions");
	ck_assert_ptr_nonnull(note);
	hc_buf_puts(&forged, note);
	at = strstr(forged.ptr, aug.ptr);
	ck_assert_ptr_nonnull(at);
	memcpy(at, "9", 1);
	test_write(dir, "/libversions", forged.ptr, 0600);
	ck_assert_int_eq(setenv("LD_LIBRARY_PATH", "", 1), 0);
	assert_version_as_full();
	unsetenv("LD_LIBRARY_PATH");
	hc_buf_release(&forged);
	hc_buf_release(&aug);
	free(note);
}
END_TEST

/*
 * The shared libraries BINARY names (DT_NEEDED), as readelf reads its
 * dynamic section, one a line into OUT.
 */
static void needed(struct hc_buf *out, const char *binary)
{
	static const char tag[] = "(NEEDED)";
	static const char lib[] = "Shared library: [";
	struct test_run run;
	const char *line;

	memset(&run, 0, sizeof(run));
	TEST_RUN(&run, "/usr/bin/readelf", "-d", binary);
	ck_assert_msg(run.status == 0, "readelf -d %s: %s", binary,
		      run.err.ptr);
	for (line = run.out.ptr; line && *line;) {
		const char *nl = strchr(line, '\n');
		size_t len = nl ? (size_t)(nl - line) : strlen(line);
		char *at = memmem(line, len, tag, strlen(tag));

		if (at && (at = memmem(line, len, lib, strlen(lib))) != NULL) {
			const char *name = at + strlen(lib);
			const char *end =
			    memchr(name, ']', len - (size_t)(name - line));

			ck_assert_ptr_nonnull(end);
			hc_buf_put(out, name, (size_t)(end - name));
			hc_buf_puts(out, "\n");
		}
		line = nl ? nl + 1 : NULL;
	}
	hc_buf_puts(out, "");
	test_run_release(&run);
}

START_TEST(test_front_links__no_augeas_libgit2_or_openssl)
{
	struct hc_buf front_libs = HC_BUF_INIT, full_libs = HC_BUF_INIT;

	needed(&front_libs, HC_TEST_BINARY);
	needed(&full_libs, HC_TEST_FULL_BINARY);
	/* The reading works: it finds them where they are. */
	ck_assert_msg(strstr(full_libs.ptr, "\nlibaugeas.so") ||
			  strncmp(full_libs.ptr, "libaugeas.so", 12) == 0,
		      "hardctl-full needs:\n%s", full_libs.ptr);
	ck_assert_msg(strstr(full_libs.ptr, "libgit2.so"), "%s", full_libs.ptr);
	ck_assert_msg(strstr(front_libs.ptr, "libc.so"), "%s", front_libs.ptr);
	ck_assert_msg(strstr(full_libs.ptr, "libcrypto.so"), "%s",
		      full_libs.ptr);
	/* Nettle hashes in the front: libcrypto alone costs ~2 ms to map. */
	ck_assert_msg(strstr(front_libs.ptr, "libnettle.so"), "%s",
		      front_libs.ptr);
	ck_assert_msg(strstr(front_libs.ptr, "libaugeas") == NULL &&
			  strstr(front_libs.ptr, "libgit2") == NULL &&
			  strstr(front_libs.ptr, "libcrypto") == NULL,
		      "hardctl needs:\n%s", front_libs.ptr);
	hc_buf_release(&front_libs);
	hc_buf_release(&full_libs);
}
END_TEST

/* Copy BINARY into DIR under NAME. */
static void copy_binary(const char *binary, const char *name)
{
	struct test_run run;
	char dst[4200];

	memset(&run, 0, sizeof(run));
	snprintf(dst, sizeof(dst), "%s/%s", dir, name);
	TEST_RUN(&run, "/bin/cp", binary, dst);
	ck_assert_msg(run.status == 0, "cp: %s", run.err.ptr);
	test_run_release(&run);
}

/* A front without its hardctl-full: the path named, exit 3, no output. */
START_TEST(test_front_exec__missing_full_said)
{
	char front_path[4200], want[4300];

	copy_binary(HC_TEST_BINARY, "hardctl");
	snprintf(front_path, sizeof(front_path), "%s/hardctl", dir);
	TEST_RUN(&front, front_path, "list");
	ck_assert_int_eq(front.status, 3);
	ck_assert_str_eq(front.out.ptr, "");
	snprintf(want, sizeof(want),
		 "hardctl: cannot run the full program '%s/hardctl-full': "
		 "No such file or directory",
		 dir);
	ck_assert_msg(strncmp(front.err.ptr, want, strlen(want)) == 0,
		      "want '%s...', got:\n%s", want, front.err.ptr);
	/* --help and --version need no hardctl-full. */
	TEST_RUN(&front, front_path, "--help");
	ck_assert_int_eq(front.status, 0);
	TEST_RUN(&front, front_path, "--version");
	ck_assert_int_eq(front.status, 0);
}
END_TEST

/* Both copied elsewhere, the same layout: the copy runs its own pair. */
START_TEST(test_front_exec__copied_pair_runs)
{
	static const char *const list[] = {"list", NULL};
	char front_path[4200];

	copy_binary(HC_TEST_BINARY, "hardctl");
	copy_binary(HC_TEST_FULL_BINARY, "hardctl-full");
	snprintf(front_path, sizeof(front_path), "%s/hardctl", dir);
	run_both(list);
	ck_assert_int_eq(full.status, 0);
	TEST_RUN(&front, front_path, "list");
	assert_same_as_full();
	/* An error still names hardctl, whichever binary says it. */
	TEST_RUN(&front, front_path, "frobnicate");
	ck_assert_int_eq(front.status, 2);
	ck_assert_msg(strncmp(front.err.ptr, "hardctl: unknown command", 24) ==
			  0,
		      "%s", front.err.ptr);
}
END_TEST

Suite *front_suite(void)
{
	Suite *s = suite_create("front");
	TCase *tc = tcase_create("front");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_front_help__same_as_full);
	tcase_add_test(tc, test_front_usage__same_as_full);
	tcase_add_test(tc, test_front_version__same_as_full);
	tcase_add_test(tc, test_front_version__note_believed_while_unchanged);
	tcase_add_test(tc, test_front_links__no_augeas_libgit2_or_openssl);
	tcase_add_test(tc, test_front_exec__missing_full_said);
	tcase_add_test(tc, test_front_exec__copied_pair_runs);
	suite_add_tcase(s, tc);
	return s;
}
