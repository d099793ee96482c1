/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The verified cache: a repeat check of an unchanged root is answered
 * from it, and that answer is the full check's, in every format; any
 * change to what the check depended on (a byte of a file it read, a new
 * drop-in where it listed, a mode it judged, the tailoring, the binary)
 * sends the next check back to a full one.  A damaged, foreign or
 * forged cache is ignored, never an error; a cache inside ROOT is never
 * written.  Each run goes through the real front binary and the real
 * full program.
 */
#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include "hardctl/cache.h"
#include "hardctl/hash.h"
#include "hardctl/trace.h"
#include "test.h"

static char *root_dir, *cache_dir;
static struct test_run run;

#define HARDCTL(...) TEST_HARDCTL(&run, __VA_ARGS__)

static void setup(void)
{
	root_dir = test_demo_root();
	cache_dir = test_mkdtemp();
	setenv("HARDCTL_CACHE_DIR", cache_dir, 1);
	memset(&run, 0, sizeof(run));
}

static void teardown(void)
{
	test_run_release(&run);
	test_rmtree(root_dir);
	test_rmtree(cache_dir);
	free(root_dir);
	free(cache_dir);
}

/* check --format json on ROOT; whether its answer says it came cached. */
static bool check_cached(const char *root, const char *tailoring)
{
	if (tailoring)
		HARDCTL("--root", root, "check", "--tailoring", tailoring,
			"--format", "json");
	else
		HARDCTL("--root", root, "check", "--format", "json");
	ck_assert_msg(run.status == 0 || run.status == 1, "check exited %d: %s",
		      run.status, run.err.ptr);
	if (strstr(run.out.ptr, "\"cached\":true"))
		return true;
	assert_contains(run.out.ptr, "\"cached\":false");
	return false;
}

/* How many entries (files but the key) the cache holds. */
static int entries(void)
{
	struct test_run ls = {0};
	int n = 0;

	TEST_RUN(&ls, "/usr/bin/find", cache_dir, "-type", "f", "!", "-name",
		 "key");
	for (const char *p = ls.out.ptr; p && *p; p++)
		n += *p == '\n';
	test_run_release(&ls);
	return n;
}

/*
 * The JSON answer with the values of "cached" and "time" taken out,
 * for comparing what else it says.
 */
static char *without_cache_fields(const char *json)
{
	static const char *const keys[] = {"\"time\":", "\"cached\":"};
	struct hc_buf out = HC_BUF_INIT;
	const char *p = json;

	for (size_t i = 0; i < HC_ARRAY_SIZE(keys); i++) {
		const char *hit = strstr(p, keys[i]);

		ck_assert_ptr_nonnull(hit);
		hit += strlen(keys[i]);
		hc_buf_put(&out, p, (size_t)(hit - p));
		p = hit + strcspn(hit, ",");
	}
	hc_buf_puts(&out, p);
	return hc_buf_detach(&out);
}

START_TEST(cached_answer__is_the_full_answer_in_every_format)
{
	static const char *const formats[] = {"text", "json", "junit", "html"};

	for (size_t i = 0; i < HC_ARRAY_SIZE(formats); i++) {
		struct test_run first = {0}, again = {0}, full = {0};

		TEST_HARDCTL(&first, "--root", root_dir, "check", "--format",
			     formats[i]);
		TEST_HARDCTL(&again, "--root", root_dir, "check", "--format",
			     formats[i]);
		TEST_HARDCTL(&full, "--root", root_dir, "check", "--format",
			     formats[i], "--no-cache");
		ck_assert_int_eq(first.status, 1);
		ck_assert_int_eq(again.status, first.status);
		ck_assert_int_eq(full.status, first.status);
		ck_assert_str_eq(again.err.ptr ? again.err.ptr : "",
				 first.err.ptr ? first.err.ptr : "");
		if (strcmp(formats[i], "json") == 0) {
			char *a = without_cache_fields(first.out.ptr),
			     *b = without_cache_fields(again.out.ptr),
			     *c = without_cache_fields(full.out.ptr);

			assert_contains(first.out.ptr, "\"cached\":false");
			assert_contains(again.out.ptr, "\"cached\":true");
			assert_contains(full.out.ptr, "\"cached\":false");
			ck_assert_str_eq(b, a);
			ck_assert_str_eq(c, a);
			free(a);
			free(b);
			free(c);
		} else {
			/* Byte for byte what the check it keeps wrote. */
			ck_assert_str_eq(again.out.ptr, first.out.ptr);
		}
		test_run_release(&first);
		test_run_release(&again);
		test_run_release(&full);
	}
	/* One entry per format: the repeats wrote none. */
	ck_assert_int_eq(entries(), (int)HC_ARRAY_SIZE(formats));
}
END_TEST

START_TEST(cached_answer__quiet_and_width_are_their_own)
{
	struct test_run wide = {0}, narrow = {0};

	TEST_HARDCTL(&wide, "--root", root_dir, "check");
	setenv("COLUMNS", "60", 1);
	TEST_HARDCTL(&narrow, "--root", root_dir, "check");
	setenv("COLUMNS", "1000", 1);
	/* Laid out again for 60 columns, not the wide answer replayed. */
	ck_assert_str_ne(narrow.out.ptr, wide.out.ptr);
	ck_assert_int_eq(entries(), 2);
	test_run_release(&wide);
	test_run_release(&narrow);
}
END_TEST

START_TEST(no_cache__checks_in_full)
{
	ck_assert(!check_cached(root_dir, NULL));
	ck_assert(check_cached(root_dir, NULL));
	HARDCTL("--root", root_dir, "check", "--format", "json", "--no-cache");
	assert_contains(run.out.ptr, "\"cached\":false");
}
END_TEST

START_TEST(invalidated__by_one_byte_of_a_file_read)
{
	char path[4096];
	struct stat st;
	struct timespec times[2];

	ck_assert(!check_cached(root_dir, NULL));
	ck_assert(check_cached(root_dir, NULL));
	assert_contains(run.out.ptr, "PASS_MAX_DAYS 99999");
	/* One byte, same size, and the old times put back: no mtime tells. */
	snprintf(path, sizeof(path), "%s/etc/login.defs", root_dir);
	ck_assert_int_eq(stat(path, &st), 0);
	test_replace(root_dir, "/etc/login.defs", "PASS_MAX_DAYS\t99999",
		     "PASS_MAX_DAYS\t19999");
	times[0] = st.st_atim;
	times[1] = st.st_mtim;
	ck_assert_int_eq(utimensat(AT_FDCWD, path, times, 0), 0);
	ck_assert(!check_cached(root_dir, NULL));
	assert_contains(run.out.ptr, "PASS_MAX_DAYS 19999");
	ck_assert(check_cached(root_dir, NULL));
}
END_TEST

START_TEST(invalidated__by_a_new_drop_in)
{
	char *root = test_root("debian12");

	ck_assert(!check_cached(root, NULL));
	ck_assert(check_cached(root, NULL));
	/* Any new name where a rule enumerated: sysctl.d here. */
	test_write(root, "/etc/sysctl.d/99-local.conf",
		   "net.ipv4.conf.all.accept_redirects = 1\n", 0644);
	ck_assert(!check_cached(root, NULL));
	assert_contains(run.out.ptr, "/etc/sysctl.d/99-local.conf");
	ck_assert(check_cached(root, NULL));
	test_rmtree(root);
	free(root);
}
END_TEST

START_TEST(invalidated__by_a_mode_a_rule_judges)
{
	char path[4096];

	ck_assert(!check_cached(root_dir, NULL));
	assert_contains(run.out.ptr, "mode 0644: others can read");
	ck_assert(check_cached(root_dir, NULL));
	snprintf(path, sizeof(path), "%s/etc/snmp/snmpd.conf", root_dir);
	ck_assert_int_eq(chmod(path, 0600), 0);
	ck_assert(!check_cached(root_dir, NULL));
	assert_lacks(run.out.ptr, "mode 0644: others can read");
}
END_TEST

START_TEST(invalidated__by_a_changed_tailoring)
{
	char *work = test_mkdtemp(), path[4096];

	test_write(work, "/t.conf",
		   "[tailoring]\nname = t\nversion = 1\n\n"
		   "[password.max-days]\ndays = 45\n"
		   "[password.shadow-aging]\nmax-days = 45\n",
		   0644);
	snprintf(path, sizeof(path), "%s/t.conf", work);
	ck_assert(!check_cached(root_dir, path));
	ck_assert(check_cached(root_dir, path));
	assert_contains(run.out.ptr, "PASS_MAX_DAYS at most 45");
	test_write(work, "/t.conf",
		   "[tailoring]\nname = t\nversion = 1\n\n"
		   "[password.max-days]\ndays = 50\n"
		   "[password.shadow-aging]\nmax-days = 50\n",
		   0644);
	ck_assert(!check_cached(root_dir, path));
	assert_contains(run.out.ptr, "PASS_MAX_DAYS at most 50");
	test_rmtree(work);
	free(work);
}
END_TEST

START_TEST(invalidated__by_a_profile_it_extends_put_beside_it)
{
	char *work = test_mkdtemp(), *text, path[4096];

	/* A copy of stig-cat1: it extends the shipped service-console,
	 * since none is beside it. */
	text = test_read(test_profile_dir(), "/stig-cat1.conf");
	test_write(work, "/stig-cat1.conf", text, 0644);
	free(text);
	text = test_read(test_profile_dir(), "/warning-banner.txt");
	test_write(work, "/warning-banner.txt", text, 0644);
	free(text);
	snprintf(path, sizeof(path), "%s/stig-cat1.conf", work);
	HARDCTL("--root", root_dir, "check", "--profile", path, "--format",
		"json");
	HARDCTL("--root", root_dir, "check", "--profile", path, "--format",
		"json");
	assert_contains(run.out.ptr, "\"cached\":true");
	assert_contains(run.out.ptr, "com2sec public");
	/* Now one is: the site's own, for which "public" is no weak name. */
	text = test_read(test_profile_dir(), "/service-console.conf");
	test_write(work, "/service-console.conf", text, 0644);
	free(text);
	test_replace(work, "/service-console.conf", "weak = public private",
		     "weak = private");
	HARDCTL("--root", root_dir, "check", "--profile", path, "--format",
		"json");
	assert_contains(run.out.ptr, "\"cached\":false");
	assert_lacks(run.out.ptr, "com2sec public");
	test_rmtree(work);
	free(work);
}
END_TEST

/* Copy FILE into DIR, executable; the copy's path is DIR/NAME. */
static void copy_binary(const char *dir, const char *file, const char *name)
{
	char dst[4096];
	struct test_run cp = {0};

	snprintf(dst, sizeof(dst), "%s/%s", dir, name);
	TEST_RUN(&cp, "/bin/cp", file, dst);
	ck_assert_int_eq(cp.status, 0);
	test_run_release(&cp);
}

START_TEST(invalidated__by_another_binary)
{
	char *bin = test_mkdtemp(), front[4096], full[4096];
	const char *built = HC_TEST_BINARY;
	struct test_run r = {0};
	int fd;

	/* The front and the full program, paired by their layout. */
	snprintf(full, sizeof(full), "%.*s/hardctl-full",
		 (int)(strrchr(built, '/') - built), built);
	copy_binary(bin, built, "hardctl");
	copy_binary(bin, full, "hardctl-full");
	snprintf(front, sizeof(front), "%s/hardctl", bin);
	TEST_RUN(&r, front, "--root", root_dir, "check", "--format", "json");
	assert_contains(r.out.ptr, "\"cached\":false");
	TEST_RUN(&r, front, "--root", root_dir, "check", "--format", "json");
	assert_contains(r.out.ptr, "\"cached\":true");
	/* A different build of the full program: one byte more. */
	snprintf(full, sizeof(full), "%s/hardctl-full", bin);
	ck_assert_int_ge(fd = open(full, O_WRONLY | O_APPEND), 0);
	ck_assert_int_eq(write(fd, "\n", 1), 1);
	close(fd);
	TEST_RUN(&r, front, "--root", root_dir, "check", "--format", "json");
	ck_assert_int_eq(r.status, 1);
	assert_contains(r.out.ptr, "\"cached\":false");
	test_run_release(&r);
	test_rmtree(bin);
	free(bin);
}
END_TEST

START_TEST(invalidated__by_the_program_a_host_link_names)
{
	char *bin = test_mkdtemp(), link[4096];

	/* sshd as a distribution may ship it: a link to the real binary. */
	test_write(bin, "/real-sshd", "#!/bin/sh\nexec /usr/sbin/sshd \"$@\"\n",
		   0755);
	test_link(bin, "/sshd", "real-sshd");
	snprintf(link, sizeof(link), "%s/sshd", bin);
	setenv("HARDCTL_SSHD", link, 1);
	ck_assert(!check_cached(root_dir, NULL));
	ck_assert(check_cached(root_dir, NULL));
	assert_lacks(run.out.ptr, "sshd -t rejects");
	/* The program it names replaced; the link itself untouched. */
	test_write(bin, "/real-sshd", "#!/bin/sh\nexit 255\n", 0755);
	HARDCTL("--root", root_dir, "check", "--format", "json");
	ck_assert_int_eq(run.status, 2);
	assert_contains(run.out.ptr, "\"cached\":false");
	assert_contains(run.out.ptr, "sshd -t rejects");
	unsetenv("HARDCTL_SSHD");
	test_rmtree(bin);
	free(bin);
}
END_TEST

/* Assert that TEXT has the line FMT makes, whole. */
__attribute__((format(printf, 2, 3))) static void
assert_line(const char *text, const char *fmt, ...)
{
	char line[4400];
	size_t n;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	n = strlen(line);
	for (const char *at = text; (at = strstr(at, line)) != NULL; at++)
		if ((at == text || at[-1] == '\n') && at[n] == '\n')
			return;
	ck_abort_msg("no line \"%s\" in:\n%s", line, text);
}

/* The modules of many lenses, each once, sorted, lowercased whole. */
START_TEST(lens_modules__each_once)
{
	static const char *const lenses[] = {"Sshd.lns", "Hardctl_Sudoers.lns",
					     "Pam.lns", "Sshd.lns"};
	struct hc_strlist modules = HC_STRLIST_INIT;

	hc_trace_start();
	for (size_t i = 0; i < 1000; i++)
		hc_trace_lens(lenses[i % HC_ARRAY_SIZE(lenses)]);
	ck_assert_int_eq(hc_trace_lens_modules(&modules), 0);
	ck_assert_uint_eq(modules.n, 3);
	ck_assert_str_eq(modules.v[0], "hardctl_sudoers");
	ck_assert_str_eq(modules.v[1], "pam");
	ck_assert_str_eq(modules.v[2], "sshd");
	hc_trace_stop();
	hc_strlist_release(&modules);
}
END_TEST

/* hc_cache_note_host(), lens LENS handed to Augeas, then the run done. */
static int deps_of_run(struct hc_buf *deps, const char *lens_path,
		       const char *lens, const char *edit_dir,
		       const char *edit_name, const char *edit_text)
{
	hc_buf_clear(deps);
	hc_trace_start();
	hc_cache_note_host(lens_path);
	hc_trace_lens(lens);
	if (edit_dir)
		test_write(edit_dir, edit_name, edit_text, 0644);
	hc_cache_note_loaded(lens_path);
	return hc_trace_deps(deps);
}

/* The trace stopped, DEPS released, lens directories ONE and TWO gone. */
static void done_with(struct hc_buf *deps, char *one, char *two)
{
	hc_trace_stop();
	hc_buf_release(deps);
	test_rmtree(one);
	test_rmtree(two);
	free(one);
	free(two);
}

/*
 * The lens files an answer depends on: the module of each lens handed
 * to Augeas and every module it names, each where Augeas finds it on
 * the lens path (the first directory that has it), with its absence
 * from the directories before; a lens file no module named is none.
 */
START_TEST(lens_deps__the_modules_augeas_reads)
{
	char *one = test_mkdtemp(), *two = test_mkdtemp(), path[4200],
	     want[4400];
	struct hc_buf deps = HC_BUF_INIT;

	test_write(two, "/a.aug",
		   "module A =\n  (* View: C.z is only a comment *)\n"
		   "  let x = B.y\n  let r = del /x/iD.s \"\"\n",
		   0644);
	test_write(two, "/b.aug", "module B =\n  let y = Util.eol.Sep.space\n",
		   0644);
	test_write(two, "/unrelated.aug", "module Unrelated =\n", 0644);
	snprintf(path, sizeof(path), "%s:%s", one, two);
	ck_assert_int_eq(deps_of_run(&deps, path, "A.lns", NULL, NULL, NULL),
			 0);
	assert_line(hc_buf_cstr(&deps), "host - %s/a.aug", one);
	assert_line(hc_buf_cstr(&deps), "host - %s/b.aug", one);
	assert_line(hc_buf_cstr(&deps), "host - %s/c.aug", two);
	/* A name right after a regular expression's flag: /x/i, then D.s. */
	assert_line(hc_buf_cstr(&deps), "host - %s/d.aug", two);
	assert_line(hc_buf_cstr(&deps),
		    "host - /usr/share/augeas/lenses/c.aug");
	snprintf(want, sizeof(want), " %s/a.aug\n", two);
	assert_contains(hc_buf_cstr(&deps), want);
	snprintf(want, sizeof(want), " %s/b.aug\n", two);
	assert_contains(hc_buf_cstr(&deps), want);
	/* Util, from Augeas's own: looked for in each directory before. */
	assert_line(hc_buf_cstr(&deps), "host - %s/util.aug", two);
	assert_contains(hc_buf_cstr(&deps),
			" /usr/share/augeas/lenses/dist/util.aug\n");
	assert_contains(hc_buf_cstr(&deps),
			" /usr/share/augeas/lenses/dist/sep.aug\n");
	assert_lacks(hc_buf_cstr(&deps), "unrelated.aug");
	assert_lacks(hc_buf_cstr(&deps), "/usr/share/augeas/lenses/dist/xorg");

	/* Modules named in a cycle are each looked for once. */
	test_write(two, "/b.aug", "module B =\n  let y = A.x\n", 0644);
	ck_assert_int_eq(deps_of_run(&deps, path, "A.lns", NULL, NULL, NULL),
			 0);
	assert_lacks(hc_buf_cstr(&deps), "util.aug");

	/* An unrelated lens changed during the run: the answer is kept. */
	ck_assert_int_eq(deps_of_run(&deps, path, "A.lns", two,
				     "/unrelated.aug",
				     "module Unrelated = ?\n"),
			 0);
	done_with(&deps, one, two);
}
END_TEST

/*
 * HARDCTL_SSHD without a slash: access() looks in the working
 * directory, posix_spawnp() through PATH.  Which file ran, no note can
 * say: no answer is kept.
 */
START_TEST(bare_sshd_name__never_cached)
{
	char old[4096], *bin = test_mkdtemp();

	test_write(bin, "/sshd", "#!/bin/sh\nexec /usr/sbin/sshd \"$@\"\n",
		   0755);
	ck_assert_ptr_nonnull(getcwd(old, sizeof(old)));
	ck_assert_int_eq(chdir(bin), 0);
	setenv("HARDCTL_SSHD", "sshd", 1);
	for (int i = 0; i < 2; i++) {
		HARDCTL("--root", root_dir, "check", "--format", "json");
		assert_contains(run.out.ptr, "\"cached\":false");
	}
	unsetenv("HARDCTL_SSHD");
	ck_assert_int_eq(chdir(old), 0);
	/* The same check with the path: kept. */
	ck_assert(!check_cached(root_dir, NULL));
	ck_assert(check_cached(root_dir, NULL));
	test_rmtree(bin);
	free(bin);
}
END_TEST

/* Module B's text, and what a run that reads it answers. */
static const struct {
	const char *text;
	int result;
} modules_b[] = {
    {"module B =\n  let y = Sys.getenv \"HOME\"\n", HC_ERROR},
    {"module B =\n  let y = 1\n  let _ = print_string \"hi\"\n", HC_ERROR},
    {"module B =\n  let y = del \"x\" \"x\"\n  test y get \"x\" = ?\n",
     HC_ERROR},
    {"module B =\n  (* tested; no reprint_x *)\n  let y = 1\n", 0},
};

/*
 * A lens file replaced while a check runs, or one put in front of it on
 * the lens path, or taken away: the check may have read either, and no
 * answer is kept.
 */
START_TEST(lens_replaced_mid_check__nothing_kept)
{
	char *one = test_mkdtemp(), *two = test_mkdtemp(), path[4200],
	     gone[4200];
	struct hc_buf deps = HC_BUF_INIT;

	test_write(two, "/a.aug", "module A =\n  let x = B.y\n", 0644);
	test_write(two, "/b.aug", "module B =\n  let y = 1\n", 0644);
	snprintf(path, sizeof(path), "%s:%s", one, two);
	ck_assert_int_eq(deps_of_run(&deps, path, "A.lns", NULL, NULL, NULL),
			 0);
	ck_assert_int_eq(deps_of_run(&deps, path, "A.lns", two, "/b.aug",
				     "module B =\n  let y = 2\n"),
			 HC_ERROR);
	assert_contains(hc_error_last()->message, "cannot vouch");
	ck_assert_int_eq(deps_of_run(&deps, path, "A.lns", one, "/b.aug",
				     "module B =\n  let y = 3\n"),
			 HC_ERROR);
	snprintf(gone, sizeof(gone), "%s/b.aug", one);
	ck_assert_int_eq(unlink(gone), 0);
	hc_trace_start();
	hc_cache_note_host(path);
	hc_trace_lens("A.lns");
	snprintf(gone, sizeof(gone), "%s/b.aug", two);
	ck_assert_int_eq(unlink(gone), 0);
	hc_cache_note_loaded(path);
	ck_assert_int_eq(hc_trace_deps(&deps), HC_ERROR);

	/*
	 * One put in front and taken away while the run read it: absent at
	 * both ends, but its directory changed.  A tick of the file
	 * system's clock first, so the change has a time of its own.
	 */
	test_write(two, "/b.aug", "module B =\n  let y = 1\n", 0644);
	ck_assert_int_eq(deps_of_run(&deps, path, "A.lns", NULL, NULL, NULL),
			 0);
	hc_trace_start();
	hc_cache_note_host(path);
	hc_trace_lens("A.lns");
	usleep(20000);
	test_write(one, "/b.aug", "module B =\n  let y = 4\n", 0644);
	snprintf(gone, sizeof(gone), "%s/b.aug", one);
	ck_assert_int_eq(unlink(gone), 0);
	hc_cache_note_loaded(path);
	ck_assert_int_eq(hc_trace_deps(&deps), HC_ERROR);

	/*
	 * A module that reads the environment or a file, or prints while
	 * it loads (on standard output, past what an answer keeps): never
	 * kept.  Printing, and a test, only as words of their own.
	 */
	for (size_t i = 0; i < HC_ARRAY_SIZE(modules_b); i++) {
		test_write(two, "/b.aug", modules_b[i].text, 0644);
		ck_assert_msg(deps_of_run(&deps, path, "A.lns", NULL, NULL,
					  NULL) == modules_b[i].result,
			      "%s", modules_b[i].text);
	}
	/* A lens found nowhere on this path: Augeas read it elsewhere. */
	ck_assert_int_eq(
	    deps_of_run(&deps, path, "Nowhere.lns", NULL, NULL, NULL),
	    HC_ERROR);
	done_with(&deps, one, two);
}
END_TEST

/*
 * What Augeas really read for a check (strace, in a run that keeps
 * nothing) is what the kept answer depends on: every lens file it
 * opened, found where it was, and absent from the directories of the
 * lens path before that one.
 */
START_TEST(lens_deps__every_file_augeas_opened)
{
	char *logdir, log[4200], line[8192], want[4400];
	const char *argv[] = {"/usr/bin/strace",
			      "-f",
			      "-qq",
			      "-e",
			      "trace=openat",
			      "-o",
			      log,
			      HC_TEST_BINARY,
			      "--root",
			      root_dir,
			      "check",
			      "--no-cache",
			      NULL};
	struct test_run strace = {0};
	struct test_run ls = {0};
	char *entry;
	FILE *fp;
	int opened = 0;

	if (access("/usr/bin/strace", X_OK) != 0 &&
	    test_oracle("no strace") != NULL)
		return;
	logdir = test_mkdtemp();
	snprintf(log, sizeof(log), "%s/strace.log", logdir);
	test_run_program(&strace, argv);
	ck_assert_msg(strace.status == 0 || strace.status == 1, "%s",
		      strace.err.ptr);
	ck_assert(!check_cached(root_dir, NULL));
	ck_assert_int_eq(entries(), 1);
	TEST_RUN(&ls, "/usr/bin/find", cache_dir, "-type", "f", "!", "-name",
		 "key");
	ls.out.ptr[strcspn(ls.out.ptr, "\n")] = '\0';
	entry = test_read(ls.out.ptr, "");
	ck_assert_ptr_nonnull(entry);
	ck_assert_ptr_nonnull(fp = fopen(log, "r"));
	while (fgets(line, sizeof(line), fp)) {
		const char *at = strstr(line, "openat(AT_FDCWD, \""), *end;
		const char *name;

		if (at == NULL || strstr(line, ") = -1") != NULL)
			continue;
		at += strlen("openat(AT_FDCWD, \"");
		end = strchr(at, '"');
		if (end == NULL || end - at < 5 || memcmp(end - 4, ".aug", 4))
			continue;
		opened++;
		snprintf(want, sizeof(want), " %.*s\n", (int)(end - at), at);
		assert_contains(entry, want);
		snprintf(want, sizeof(want), "\nhost - %.*s\n", (int)(end - at),
			 at);
		assert_lacks(entry, want);
		/* From Augeas's own: looked for in hardctl's first. */
		name = memrchr(at, '/', (size_t)(end - at));
		if (strncmp(at, HARDCTL_LENS_DIR "/",
			    strlen(HARDCTL_LENS_DIR) + 1) != 0)
			assert_line(entry, "host - %s%.*s", HARDCTL_LENS_DIR,
				    (int)(end - name), name);
	}
	fclose(fp);
	/* Augeas read lenses of its own and hardctl's for the demo. */
	ck_assert_int_ge(opened, 10);
	assert_lacks(entry, "/usr/share/augeas/lenses/dist/xorg.aug");
	free(entry);
	test_run_release(&strace);
	test_run_release(&ls);
	test_rmtree(logdir);
	free(logdir);
}
END_TEST

/*
 * AUGEAS_LENS_LIB puts more directories on Augeas's lens path than an
 * answer's dependencies name, and Augeas's debugging writes what no
 * answer keeps: while one is set, nothing is kept, and nothing kept
 * without it is given.
 */
START_TEST(augeas_lens_lib__never_cached)
{
	static const char *const vars[] = {"AUGEAS_LENS_LIB",
					   "AUGEAS_DEBUG_DIR", "FA_DOT_DIR"};
	char *lib = test_mkdtemp();

	ck_assert(!check_cached(root_dir, NULL));
	ck_assert(check_cached(root_dir, NULL));
	for (size_t i = 0; i < HC_ARRAY_SIZE(vars); i++) {
		setenv(vars[i], lib, 1);
		ck_assert_msg(!check_cached(root_dir, NULL), "%s", vars[i]);
		ck_assert_msg(!check_cached(root_dir, NULL), "%s", vars[i]);
		unsetenv(vars[i]);
	}
	ck_assert(check_cached(root_dir, NULL));
	test_rmtree(lib);
	free(lib);
}
END_TEST

START_TEST(relative_root__answered_from_the_cache)
{
	char old[4096];

	/* --root . from the directory holding it: cwd is in the key. */
	ck_assert_ptr_nonnull(getcwd(old, sizeof(old)));
	ck_assert_int_eq(chdir(root_dir), 0);
	ck_assert(!check_cached(".", NULL));
	ck_assert(check_cached(".", NULL));
	ck_assert_int_eq(chdir(old), 0);
}
END_TEST

START_TEST(invalidated__by_the_libraries_the_loader_is_told_of)
{
	char *lib = test_mkdtemp();

	ck_assert(!check_cached(root_dir, NULL));
	ck_assert(check_cached(root_dir, NULL));
	/* Another Augeas for hardctl-full: here one the loader refuses. */
	test_write(lib, "/libaugeas.so.0", "not a library\n", 0644);
	setenv("LD_LIBRARY_PATH", lib, 1);
	HARDCTL("--root", root_dir, "check", "--format", "json");
	unsetenv("LD_LIBRARY_PATH");
	ck_assert_int_eq(run.status, 127);
	assert_lacks(run.out.ptr ? run.out.ptr : "", "\"cached\":true");
	test_rmtree(lib);
	free(lib);
}
END_TEST

/*
 * check on ROOT in FORMAT, its standard output SINK (a full disk, or
 * /dev/null to fill the cache the same way, run the same way: under
 * valgrind, test_hardctl() would add valgrind's own LD_PRELOAD, which
 * keys an entry); ARG or NULL.
 */
static void check_to(struct test_run *r, const char *sink, const char *root,
		     const char *format, const char *arg)
{
	char script[64];

	snprintf(script, sizeof(script), "exec \"$0\" \"$@\" >%s", sink);
	TEST_RUN(r, "/bin/sh", "-c", script, HC_TEST_BINARY, "--root", root,
		 "check", "--format", format, arg);
}

START_TEST(cached_answer__fails_to_write_as_the_full_check_does)
{
	/* A report written at once, and one held to the end. */
	static const char *const formats[] = {"text", "json"};

	for (size_t i = 0; i < HC_ARRAY_SIZE(formats); i++) {
		struct test_run cached = {0}, full = {0};

		check_to(&cached, "/dev/null", root_dir, formats[i], NULL);
		check_to(&cached, "/dev/full", root_dir, formats[i], NULL);
		check_to(&full, "/dev/full", root_dir, formats[i],
			 "--no-cache");
		ck_assert_int_ne(full.status, 0);
		assert_contains(full.err.ptr, "cannot write standard output");
		ck_assert_int_eq(cached.status, full.status);
		ck_assert_str_eq(cached.err.ptr ? cached.err.ptr : "",
				 full.err.ptr);
		test_run_release(&cached);
		test_run_release(&full);
	}
	ck_assert_int_eq(entries(), 2);
}
END_TEST

START_TEST(invalidated__by_a_hard_link_split_into_a_copy)
{
	struct hc_buf text = HC_BUF_INIT;
	char *conf, a[4096], b[4096], tmp[4096];

	/* snmpd.conf includes one file by two names: read once, told once. */
	test_write(root_dir, "/etc/snmp/a.conf", "rocommunity Weak1 10.0.0.1\n",
		   0644);
	snprintf(a, sizeof(a), "%s/etc/snmp/a.conf", root_dir);
	snprintf(b, sizeof(b), "%s/etc/snmp/b.conf", root_dir);
	ck_assert_int_eq(link(a, b), 0);
	conf = test_read(root_dir, "/etc/snmp/snmpd.conf");
	hc_buf_puts(&text, conf);
	hc_buf_puts(&text, "includeFile /etc/snmp/a.conf\n"
			   "includeFile /etc/snmp/b.conf\n");
	test_write(root_dir, "/etc/snmp/snmpd.conf", text.ptr, 0644);
	hc_buf_release(&text);
	free(conf);
	ck_assert(!check_cached(root_dir, NULL));
	ck_assert(check_cached(root_dir, NULL));
	assert_lacks(run.out.ptr, "\"file\":\"/etc/snmp/b.conf\"");
	/* Two files now, of the same bytes, mode and owner: told twice. */
	snprintf(tmp, sizeof(tmp), "%s/etc/snmp/b.new", root_dir);
	test_write(root_dir, "/etc/snmp/b.new", "rocommunity Weak1 10.0.0.1\n",
		   0644);
	ck_assert_int_eq(rename(tmp, b), 0);
	ck_assert(!check_cached(root_dir, NULL));
	assert_contains(run.out.ptr, "\"file\":\"/etc/snmp/b.conf\"");
}
END_TEST

/* The one entry of the cache, as a path (static storage). */
static const char *the_entry(void)
{
	static char path[4096];
	struct test_run ls = {0};

	ck_assert_int_eq(entries(), 1);
	TEST_RUN(&ls, "/usr/bin/find", cache_dir, "-type", "f", "!", "-name",
		 "key");
	snprintf(path, sizeof(path), "%.*s", (int)strcspn(ls.out.ptr, "\n"),
		 ls.out.ptr);
	test_run_release(&ls);
	return path;
}

/*
 * sshd -t looks its privilege separation user up on the host: an answer
 * that ran it depends on the host's account database too (not ROOT's).
 */
START_TEST(sshd_answer__keyed_by_the_host_accounts)
{
	const char *skip = test_oracle(access("/usr/sbin/sshd", X_OK) != 0 ||
					       access("/run/sshd", F_OK) != 0
					   ? "no /usr/sbin/sshd and /run/sshd"
					   : NULL);
	char *text;

	if (skip) {
		fprintf(stderr, "skipped: %s\n", skip);
		return;
	}
	ck_assert(!check_cached(root_dir, NULL));
	text = test_read("", the_entry());
	assert_contains(text, " /usr/sbin/sshd\n");
	assert_contains(text, " /etc/passwd\n");
	assert_contains(text, " /etc/nsswitch.conf\n");
	free(text);
}
END_TEST

START_TEST(damaged_entry__is_ignored_and_rewritten)
{
	const char *entry;
	char *text;
	size_t len;
	int fd;

	ck_assert(!check_cached(root_dir, NULL));
	entry = the_entry();
	text = test_read("", entry);
	len = strlen(text);
	/* A forged answer: FAIL made PASS in the kept output. */
	for (char *p = strstr(text, "\"status\":\"FAIL\""); p;
	     p = strstr(p + 1, "\"status\":\"FAIL\""))
		memcpy(p + 10, "PASS", 4);
	ck_assert_int_ge(fd = open(entry, O_WRONLY | O_TRUNC), 0);
	ck_assert_int_eq(write(fd, text, len), (ssize_t)len);
	close(fd);
	ck_assert(!check_cached(root_dir, NULL));
	assert_contains(run.out.ptr, "\"status\":\"FAIL\"");
	ck_assert_str_eq(run.err.ptr ? run.err.ptr : "", "");
	/* Truncated: the same. */
	ck_assert_int_eq(truncate(entry, 100), 0);
	ck_assert(!check_cached(root_dir, NULL));
	ck_assert(check_cached(root_dir, NULL));
	free(text);
}
END_TEST

START_TEST(foreign_cache__is_ignored)
{
	char key[4096];
	struct stat st;

	ck_assert(!check_cached(root_dir, NULL));
	ck_assert(check_cached(root_dir, NULL));
	/* A directory others may write: neither read nor written. */
	ck_assert_int_eq(chmod(cache_dir, 0777), 0);
	ck_assert(!check_cached(root_dir, NULL));
	ck_assert_str_eq(run.err.ptr ? run.err.ptr : "", "");
	ck_assert_int_eq(chmod(cache_dir, 0700), 0);
	ck_assert(check_cached(root_dir, NULL));
	/* Another key (another host's cache copied here): no answer. */
	snprintf(key, sizeof(key), "%s/key", cache_dir);
	test_write(cache_dir, "/key", "0123456789abcdef0123456789abcdef", 0600);
	ck_assert(!check_cached(root_dir, NULL));
	ck_assert(check_cached(root_dir, NULL));
	/* A key others can read is no key: replaced by a private one. */
	ck_assert_int_eq(chmod(key, 0644), 0);
	ck_assert(!check_cached(root_dir, NULL));
	ck_assert_int_eq(stat(key, &st), 0);
	ck_assert_int_eq(st.st_mode & 0777, 0600);
	ck_assert(check_cached(root_dir, NULL));
}
END_TEST

START_TEST(cache_inside_root__is_never_written)
{
	char dir[4096];
	struct stat st;

	snprintf(dir, sizeof(dir), "%s/var/cache/hardctl", root_dir);
	setenv("HARDCTL_CACHE_DIR", dir, 1);
	ck_assert(!check_cached(root_dir, NULL));
	ck_assert(!check_cached(root_dir, NULL));
	ck_assert_int_eq(lstat(dir, &st), -1);
	ck_assert_int_eq(errno, ENOENT);
}
END_TEST

START_TEST(unchanged_after_apply__cached_again_and_drift_seen)
{
	HARDCTL("--root", root_dir, "apply", "--rule", "banner.motd");
	ck_assert_int_eq(run.status, 0);
	ck_assert(!check_cached(root_dir, NULL));
	ck_assert(check_cached(root_dir, NULL));
	/* Changed since hardctl wrote it: DRIFTED, not the cached PASS. */
	test_write(root_dir, "/etc/motd", "hello\n", 0644);
	ck_assert(!check_cached(root_dir, NULL));
	assert_contains(run.out.ptr, "\"status\":\"DRIFTED\"");
}
END_TEST

START_TEST(status__cached_until_a_managed_file_changes)
{
	struct test_run first = {0};
	struct stat kept, now;

	HARDCTL("--root", root_dir, "apply", "--rule", "banner.motd");
	ck_assert_int_eq(run.status, 0);
	TEST_HARDCTL(&first, "--root", root_dir, "status");
	ck_assert_int_eq(first.status, 0);
	ck_assert_int_eq(stat(the_entry(), &kept), 0);
	/* Answered from the entry: not written again (a rename would be). */
	HARDCTL("--root", root_dir, "status");
	ck_assert_int_eq(run.status, 0);
	ck_assert_str_eq(run.out.ptr, first.out.ptr);
	ck_assert_int_eq(stat(the_entry(), &now), 0);
	ck_assert_uint_eq(now.st_ino, kept.st_ino);
	/* One byte of what hardctl wrote: said, not the kept "all as left". */
	test_replace(root_dir, "/etc/motd", "AUTHORIZED", "authorized");
	HARDCTL("--root", root_dir, "status");
	ck_assert_int_eq(run.status, 1);
	assert_contains(run.out.ptr, "/etc/motd");
	ck_assert_int_eq(stat(the_entry(), &now), 0);
	ck_assert_uint_ne(now.st_ino, kept.st_ino);
	test_run_release(&first);
}
END_TEST

START_TEST(old_entries__are_evicted_past_the_bound)
{
	char name[4096];
	struct timespec old[2] = {{1000000000, 0}, {1000000000, 0}};

	/* 300 entries written long ago (by roots since gone). */
	for (int i = 0; i < 300; i++) {
		char path[4096];

		snprintf(name, sizeof(name), "/%064x", i);
		test_write(cache_dir, name, "stale", 0600);
		snprintf(path, sizeof(path), "%s%s", cache_dir, name);
		old[0].tv_sec = old[1].tv_sec = 1000000000 + i;
		ck_assert_int_eq(utimensat(AT_FDCWD, path, old, 0), 0);
	}
	ck_assert(!check_cached(root_dir, NULL));
	/* The bound kept, the newest (this check's) among those kept. */
	ck_assert_int_eq(entries(), 256);
	ck_assert(check_cached(root_dir, NULL));
	snprintf(name, sizeof(name), "%s/%064x", cache_dir, 0);
	ck_assert_int_eq(access(name, F_OK), -1);
	snprintf(name, sizeof(name), "%s/%064x", cache_dir, 299);
	ck_assert_int_eq(access(name, F_OK), 0);
}
END_TEST

/* HMAC and SHA-256 (src/hash.c)
 * ------------------------------------------------------------------ */

static void assert_mac(const unsigned char *mac, const char *want)
{
	char got[2 * HC_SHA256_LEN + 1];

	for (size_t i = 0; i < HC_SHA256_LEN; i++)
		snprintf(got + 2 * i, 3, "%02x", mac[i]);
	ck_assert_str_eq(got, want);
}

/* RFC 4231's cases 1, 2, 6 and 7: short keys, and keys past a block. */
START_TEST(hmac__rfc4231_cases)
{
	unsigned char key[131], mac[HC_SHA256_LEN];
	const char *big_data =
	    "This is a test using a larger than block-size key and a larger "
	    "than block-size data. The key needs to be hashed before being "
	    "used by the HMAC algorithm.";
	struct hc_bytes part;

	memset(key, 0x0b, 20);
	part = (struct hc_bytes){"Hi There", 8};
	ck_assert_int_eq(hc_hmac_sha256(mac, key, 20, &part, 1), 0);
	assert_mac(mac, "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9"
			"376c2e32cff7");
	/* Case 2, in two parts: the parts are one message. */
	{
		const struct hc_bytes parts[] = {{"what do ya want ", 16},
						 {"for nothing?", 12}};

		ck_assert_int_eq(hc_hmac_sha256(mac, "Jefe", 4, parts, 2), 0);
		assert_mac(mac, "5bdcc146bf60754e6a042426089575c75a003f089d27"
				"39839dec58b964ec3843");
	}
	memset(key, 0xaa, sizeof(key));
	part = (struct hc_bytes){"Test Using Larger Than Block-Size Key - "
				 "Hash Key First",
				 54};
	ck_assert_int_eq(hc_hmac_sha256(mac, key, 131, &part, 1), 0);
	assert_mac(mac, "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546"
			"040f0ee37f54");
	part = (struct hc_bytes){big_data, strlen(big_data)};
	ck_assert_int_eq(hc_hmac_sha256(mac, key, 131, &part, 1), 0);
	assert_mac(mac, "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f"
			"51535c3a35e2");
}
END_TEST

/* The MAC comparison: equal only when every byte is. */
START_TEST(mem_equal__every_byte_counts)
{
	char a[65], b[65];

	memset(a, 'f', 64);
	memcpy(b, a, 64);
	ck_assert(hc_mem_equal(a, b, 64));
	ck_assert(hc_mem_equal(a, b, 0));
	for (size_t i = 0; i < 64; i += 21) {
		b[i] ^= 1;
		ck_assert_msg(!hc_mem_equal(a, b, 64), "byte %zu", i);
		b[i] ^= 1;
	}
	b[63] = 'e';
	ck_assert(!hc_mem_equal(a, b, 64));
	ck_assert(hc_mem_equal(a, b, 63));
}
END_TEST

/*
 * Against OpenSSL's own EVP HMAC and digest: keys from empty to past a
 * block, messages across block edges, split into two parts anywhere.
 */
START_TEST(hmac__agrees_with_openssl_evp)
{
	unsigned char key[200], msg[300], mine[HC_SHA256_LEN],
	    theirs[HC_SHA256_LEN];
	unsigned int seed = 20261204;
	EVP_MAC *alg = EVP_MAC_fetch(NULL, "HMAC", NULL);

	ck_assert_ptr_nonnull(alg);
	for (size_t i = 0; i < sizeof(key); i++)
		key[i] = (unsigned char)rand_r(&seed);
	for (size_t i = 0; i < sizeof(msg); i++)
		msg[i] = (unsigned char)rand_r(&seed);
	for (size_t klen = 0; klen <= sizeof(key); klen += 13) {
		for (size_t mlen = 0; mlen <= sizeof(msg); mlen += 7) {
			size_t cut = mlen ? (size_t)rand_r(&seed) % mlen : 0,
			       n = 0;
			const struct hc_bytes parts[] = {
			    {msg, cut}, {msg + cut, mlen - cut}};
			OSSL_PARAM params[] = {
			    OSSL_PARAM_construct_utf8_string(
				OSSL_MAC_PARAM_DIGEST, (char *)"SHA256", 0),
			    OSSL_PARAM_construct_end()};
			EVP_MAC_CTX *ctx = EVP_MAC_CTX_new(alg);
			struct hc_sha256 sha;
			unsigned int dlen = 0;

			ck_assert(
			    ctx && EVP_MAC_init(ctx, key, klen, params) &&
			    EVP_MAC_update(ctx, msg, mlen) &&
			    EVP_MAC_final(ctx, theirs, &n, sizeof(theirs)));
			EVP_MAC_CTX_free(ctx);
			ck_assert_int_eq(
			    hc_hmac_sha256(mine, key, klen, parts, 2), 0);
			ck_assert_msg(memcmp(mine, theirs, n) == 0 && n == 32,
				      "HMAC differs: key %zu, message %zu "
				      "cut at %zu",
				      klen, mlen, cut);
			ck_assert_int_eq(hc_sha256(&sha, msg, mlen), 0);
			ck_assert(EVP_Digest(msg, mlen, theirs, &dlen,
					     EVP_sha256(), NULL));
			ck_assert_msg(memcmp(sha.id, theirs, dlen) == 0,
				      "SHA-256 differs at %zu bytes", mlen);
		}
	}
	EVP_MAC_free(alg);
}
END_TEST

Suite *cache_suite(void)
{
	Suite *s = suite_create("cache");
	TCase *tc = tcase_create("cache");
	TCase *hash = tcase_create("hash");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, cached_answer__is_the_full_answer_in_every_format);
	tcase_add_test(tc, cached_answer__quiet_and_width_are_their_own);
	tcase_add_test(tc,
		       cached_answer__fails_to_write_as_the_full_check_does);
	tcase_add_test(tc, no_cache__checks_in_full);
	tcase_add_test(tc, sshd_answer__keyed_by_the_host_accounts);
	tcase_add_test(tc, bare_sshd_name__never_cached);
	tcase_add_test(tc, lens_replaced_mid_check__nothing_kept);
	tcase_add_test(tc, lens_deps__the_modules_augeas_reads);
	tcase_add_test(tc, lens_modules__each_once);
	tcase_add_test(tc, lens_deps__every_file_augeas_opened);
	tcase_add_test(tc, augeas_lens_lib__never_cached);
	tcase_add_test(tc, relative_root__answered_from_the_cache);
	tcase_add_test(tc, invalidated__by_one_byte_of_a_file_read);
	tcase_add_test(tc, invalidated__by_a_new_drop_in);
	tcase_add_test(tc, invalidated__by_a_mode_a_rule_judges);
	tcase_add_test(tc, invalidated__by_a_hard_link_split_into_a_copy);
	tcase_add_test(tc, invalidated__by_a_changed_tailoring);
	tcase_add_test(tc, invalidated__by_a_profile_it_extends_put_beside_it);
	tcase_add_test(tc, invalidated__by_another_binary);
	tcase_add_test(tc, invalidated__by_the_program_a_host_link_names);
	tcase_add_test(tc, invalidated__by_the_libraries_the_loader_is_told_of);
	tcase_add_test(tc, damaged_entry__is_ignored_and_rewritten);
	tcase_add_test(tc, foreign_cache__is_ignored);
	tcase_add_test(tc, cache_inside_root__is_never_written);
	tcase_add_test(tc, unchanged_after_apply__cached_again_and_drift_seen);
	tcase_add_test(tc, status__cached_until_a_managed_file_changes);
	tcase_add_test(tc, old_entries__are_evicted_past_the_bound);
	suite_add_tcase(s, tc);
	tcase_add_test(hash, hmac__rfc4231_cases);
	tcase_add_test(hash, hmac__agrees_with_openssl_evp);
	tcase_add_test(hash, mem_equal__every_byte_counts);
	suite_add_tcase(s, hash);
	return s;
}
