/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * hardctl report: many hosts' check reports (their JSON) merged into
 * one page.  Reads only the files named; needs no ROOT.
 */
#include <fcntl.h>
#include <getopt.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>
#include "hardctl/report_html.h"
#include "cmd.h"

/* A check report is some kilobytes; this bounds a wrong file's cost. */
#define REPORT_MAX (16u << 20)

static const char usage[] =
    "usage: hardctl report FILE.json... --format html\n"
    "Merges the JSON reports of \"hardctl check --format json\" of many\n"
    "hosts into one self-contained HTML page on stdout: the hosts by\n"
    "score, lowest first, and the rules by how many hosts fail them.\n"
    "A file that is not a check report, or one named twice, is an error\n"
    "naming it (exit 2).\n";

/* A file named: which (dev, inode) it is, and its index in argv. */
struct named {
	dev_t dev;
	ino_t ino;
	int arg;
};

static int named_cmp(const void *a, const void *b)
{
	const struct named *x = a, *y = b;

	if (x->dev != y->dev)
		return x->dev < y->dev ? -1 : 1;
	if (x->ino != y->ino)
		return x->ino < y->ino ? -1 : 1;
	return (x->arg > y->arg) - (x->arg < y->arg);
}

/*
 * One host's report named twice (reports/ALL.json and then
 * reports/web1.json, or by a link) would count as two hosts: refused,
 * naming both.  Sorted, so that a fleet's thousand files cost n log n.
 */
static int named_once(struct named *v, size_t n, char **argv)
{
	qsort(v, n, sizeof(*v), named_cmp);
	for (size_t i = 1; i < n; i++)
		if (v[i].dev == v[i - 1].dev && v[i].ino == v[i - 1].ino) {
			hc_error_set_at(argv[v[i].arg], 0,
					"named twice (also as %s): one host's "
					"report would count as two",
					argv[v[i - 1].arg]);
			return hc_error_set_code(HC_EINVALID);
		}
	return 0;
}

/* FILE's bytes into OUT: a regular file of at most REPORT_MAX bytes. */
static int read_report(struct hc_buf *out, struct named *id, const char *file)
{
	struct stat st;
	int fd = open(file, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	int error;

	if (fd < 0) {
		hc_error_set_os(file, "cannot open");
		return hc_error_set_code(HC_ENOTFOUND);
	}
	if (fstat(fd, &st) < 0) {
		hc_error_set_os(file, "cannot stat");
		error = HC_ERROR;
	} else if (!S_ISREG(st.st_mode)) {
		/* A FIFO or a device would block, or never end. */
		hc_error_set_at(file, 0, "not a regular file");
		error = hc_error_set_code(HC_EINVALID);
	} else {
		id->dev = st.st_dev;
		id->ino = st.st_ino;
		error = hc_buf_read_fd(out, fd, REPORT_MAX, file);
	}
	close(fd);
	return error;
}

int cmd_report(int argc, char **argv, struct cmd_env *env)
{
	static const struct option longopts[] = {
	    CMD_COMMON_LONGOPTS,
	    {NULL, 0, NULL, 0},
	};
	struct hc_fleet fleet = {0};
	struct hc_buf text = HC_BUF_INIT, out = HC_BUF_INIT;
	struct named *named = NULL;
	int opt, error = 0, status;

	while ((opt = cmd_getopt(argc, argv, "h", longopts)) != -1)
		if ((status = cmd_common_opt(env, opt, optarg, usage)) != 0)
			return status;
	if (env->format != HC_FORMAT_HTML)
		return cmd_usage_error(usage, "report writes only --format "
					      "html");
	if (optind >= argc)
		return cmd_usage_error(usage, "report needs the JSON reports "
					      "of \"hardctl check --format "
					      "json\" to merge");
	if ((named = calloc((size_t)(argc - optind), sizeof(*named))) == NULL)
		error = hc_error_oom();
	for (int i = optind; i < argc && error == 0; i++) {
		named[i - optind].arg = i;
		if ((error = read_report(&text, &named[i - optind], argv[i])) ==
		    0)
			error =
			    hc_fleet_add(&fleet, argv[i], text.ptr, text.size);
	}
	if (error == 0)
		error = named_once(named, (size_t)(argc - optind), argv);
	if (error == 0)
		error = hc_report_fleet_html(&out, &fleet);
	if (error == 0)
		error = cmd_write(env, &out);
	status = error < 0 ? cmd_fail(error, false) : EXIT_OK;
	hc_fleet_release(&fleet);
	free(named);
	hc_buf_release(&text);
	hc_buf_release(&out);
	return status;
}
