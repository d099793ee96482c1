/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * hardctl's front: the program installed as hardctl, linked with libc and
 * Nettle only (include/hardctl/front.h says why).  It prints the usage
 * and --version itself, lets the verified cache answer a repeated check,
 * and runs the full program, hardctl-full, with the same arguments for
 * everything else: argv[0] unchanged, so that what it says still names
 * "hardctl".
 */
#include <augeas.h>
#include <dlfcn.h>
#include <errno.h>
#include <git2/common.h>
#include <openssl/crypto.h>
#include <limits.h>
#include <link.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "hardctl/buf.h"
#include "hardctl/cache.h"
#include "hardctl/front.h"
#include "cmd.h"
#include "libversions.h"
#include "usage.h"

/*
 * SYMBOL of the library HANDLE into *FN, a function pointer: POSIX
 * promises dlsym()'s result converts, ISO C does not, hence the copy.
 * 0, or -1 when the library lacks it.
 */
static int find_fn(void *fn, size_t size, void *handle, const char *symbol)
{
	void *sym = dlsym(handle, symbol);

	if (sym == NULL || size != sizeof(sym))
		return -1;
	memcpy(fn, &sym, size);
	return 0;
}

/* The path of the file the loader mapped for HANDLE, or NULL. */
static const char *mapped_file(void *handle)
{
	struct link_map *map = NULL;

	if (dlinfo(handle, RTLD_DI_LINKMAP, &map) < 0 || map == NULL ||
	    map->l_name == NULL || map->l_name[0] != '/')
		return NULL;
	return map->l_name;
}

/*
 * The versions Augeas, libgit2 and OpenSSL report at run time, into
 * OUT: the libraries the full program links, by the sonames it names
 * (fixed when it was built), loaded for that.  Then noted in NOTE (NULL:
 * none) for the next --version.  0, or -1 when one cannot be loaded or
 * asked.
 */
static int ask_libraries(struct hc_libversions *out, const char *note)
{
	augeas *(*aug_init_fn)(const char *, const char *, unsigned int);
	int (*aug_get_fn)(const augeas *, const char *, const char **);
	void (*aug_close_fn)(augeas *);
	int (*git_version_fn)(int *, int *, int *);
	const char *(*ssl_version_fn)(int);
	const char *aug_version = NULL, *ssl_version, *files[HC_LIB_COUNT];
	augeas *aug;
	/* Never closed: the process ends here, and valgrind sees no leak. */
	void *libs[HC_LIB_COUNT] = {
	    [HC_LIB_AUGEAS] =
		dlopen(HARDCTL_AUGEAS_SONAME, RTLD_LAZY | RTLD_LOCAL),
	    [HC_LIB_GIT] =
		dlopen(HARDCTL_LIBGIT2_SONAME, RTLD_LAZY | RTLD_LOCAL),
	    [HC_LIB_OPENSSL] =
		dlopen(HARDCTL_LIBCRYPTO_SONAME, RTLD_LAZY | RTLD_LOCAL),
	};
	void *aug_lib = libs[HC_LIB_AUGEAS];

	memset(out, 0, sizeof(*out));
	for (size_t i = 0; i < HC_LIB_COUNT; i++)
		if (libs[i] == NULL)
			return -1;
	if (find_fn(&aug_init_fn, sizeof(aug_init_fn), aug_lib, "aug_init") <
		0 ||
	    find_fn(&aug_get_fn, sizeof(aug_get_fn), aug_lib, "aug_get") < 0 ||
	    find_fn(&aug_close_fn, sizeof(aug_close_fn), aug_lib, "aug_close") <
		0 ||
	    find_fn(&git_version_fn, sizeof(git_version_fn), libs[HC_LIB_GIT],
		    "git_libgit2_version") < 0 ||
	    find_fn(&ssl_version_fn, sizeof(ssl_version_fn),
		    libs[HC_LIB_OPENSSL], "OpenSSL_version") < 0)
		return -1;
	aug = aug_init_fn("/nonexistent", NULL,
			  AUG_NO_LOAD | AUG_NO_STDINC | AUG_NO_MODL_AUTOLOAD |
			      AUG_NO_ERR_CLOSE);
	if (aug && aug_get_fn(aug, "/augeas/version", &aug_version) == 1 &&
	    aug_version && strlen(aug_version) < sizeof(out->augeas))
		memcpy(out->augeas, aug_version, strlen(aug_version) + 1);
	aug_close_fn(aug);
	git_version_fn(&out->git[0], &out->git[1], &out->git[2]);
	ssl_version = ssl_version_fn(OPENSSL_VERSION);
	if (ssl_version && strlen(ssl_version) < sizeof(out->openssl))
		memcpy(out->openssl, ssl_version, strlen(ssl_version) + 1);
	for (size_t i = 0; i < HC_LIB_COUNT; i++)
		if ((files[i] = mapped_file(libs[i])) == NULL)
			note = NULL;
	/* A note that cannot be written is no failure of --version. */
	if (note && hc_libversions_write(note, out, files) < 0)
		hc_error_clear();
	return 0;
}

/*
 * --version, as the full program prints it (cmd_print_version()), with
 * the versions Augeas, libgit2 and OpenSSL reported at run time: noted the last
 * time they were loaded, while the files that decide which libraries
 * the loader maps are unchanged (libversions.h), else asked now.
 * EXIT_OK, or -1 when they cannot be asked: the full program then says
 * what is wrong.
 */
static int print_version(void)
{
	struct hc_buf note = HC_BUF_INIT;
	struct hc_libversions v;
	bool noted = hc_libversions_path(&note, true) == 0;

	if (!(noted && hc_libversions_read(&v, note.ptr) == 0) &&
	    ask_libraries(&v, noted ? note.ptr : NULL) < 0) {
		hc_buf_release(&note);
		return -1;
	}
	hc_error_clear();
	hc_buf_release(&note);
	cmd_print_version(v.augeas[0] ? v.augeas : NULL, v.git[0], v.git[1],
			  v.git[2], v.openssl[0] ? v.openssl : NULL);
	return EXIT_OK;
}

/*
 * Run the full program with ARGV; only returns when it cannot, having
 * said so, with the exit code of a failure hardctl did not cause.
 */
static int run_full(char **argv)
{
	char full[PATH_MAX];
	struct hc_buf shown = HC_BUF_INIT;
	int saved;

	if (hc_front_full_path(full, sizeof(full)) < 0) {
		if (hc_buf_puts_escaped(&shown, hc_error_last()->message) < 0)
			hc_buf_clear(&shown);
		fprintf(stderr, "hardctl: %s\n", hc_buf_cstr(&shown));
		goto out;
	}
	/* What the cache may have written goes out before the other's. */
	fflush(stdout);
	fflush(stderr);
	execv(full, argv);
	saved = errno;
	if (hc_buf_puts_escaped(&shown, full) < 0)
		hc_buf_clear(&shown);
	fprintf(stderr,
		"hardctl: cannot run the full program '%s': %s (hardctl "
		"runs it for every command)\n",
		hc_buf_cstr(&shown), strerror(saved));
out:
	hc_buf_release(&shown);
	return EXIT_CHANGE;
}

int main(int argc, char **argv)
{
	int status;

	/* Nothing asked: the whole usage on stderr, as git does. */
	if (argc < 2) {
		fputs(cmd_usage_commands, stderr);
		fputs(cmd_usage_options, stderr);
		return EXIT_USAGE;
	}
	if (argc == 2 &&
	    (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
		fputs(cmd_usage_commands, stdout);
		fputs(cmd_usage_options, stdout);
		return EXIT_OK;
	}
	if (argc == 2 && strcmp(argv[1], "--version") == 0 &&
	    (status = print_version()) >= 0)
		return status;
	if ((status = hc_cache_answer(argc, argv)) >= 0)
		return status;
	return run_full(argv);
}
