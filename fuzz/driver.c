/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Replays inputs through a fuzz target without libFuzzer: each argument
 * is a file or a directory of files (options, as libFuzzer takes them,
 * are skipped).  Exits non-zero if an input cannot be read; a broken
 * property aborts.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "hardctl/buf.h"
#include "fuzz.h"

static int replay_file(const char *path)
{
	struct hc_buf data = HC_BUF_INIT;
	FILE *fp = fopen(path, "rb");
	char chunk[4096];
	size_t n;

	if (fp == NULL) {
		perror(path);
		return -1;
	}
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		if (hc_buf_put(&data, chunk, n) < 0)
			abort();
	fclose(fp);
	LLVMFuzzerTestOneInput((const uint8_t *)data.ptr, data.size);
	hc_buf_release(&data);
	return 0;
}

static int replay(const char *path, size_t *count)
{
	struct stat st;
	struct dirent *de;
	DIR *d;
	int error = 0;

	if (stat(path, &st) < 0) {
		perror(path);
		return -1;
	}
	if (!S_ISDIR(st.st_mode)) {
		(*count)++;
		return replay_file(path);
	}
	if ((d = opendir(path)) == NULL) {
		perror(path);
		return -1;
	}
	while (error == 0 && (de = readdir(d)) != NULL) {
		char sub[4096];

		if (de->d_name[0] == '.')
			continue;
		snprintf(sub, sizeof(sub), "%s/%s", path, de->d_name);
		error = replay(sub, count);
	}
	closedir(d);
	return error;
}

int main(int argc, char **argv)
{
	size_t count = 0;

	LLVMFuzzerInitialize(&argc, &argv);
	for (int i = 1; i < argc; i++)
		if (argv[i][0] != '-' && replay(argv[i], &count) < 0)
			return 1;
	printf("%zu inputs replayed\n", count);
	return count ? 0 : 1;
}
