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
    "A file that is not a check report is an error naming it (exit 2).\n";

/* FILE's bytes into OUT: a regular file of at most REPORT_MAX bytes. */
static int read_report(struct hc_buf *out, const char *file)
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
	for (int i = optind; i < argc && error == 0; i++)
		if ((error = read_report(&text, argv[i])) == 0)
			error =
			    hc_fleet_add(&fleet, argv[i], text.ptr, text.size);
	if (error == 0)
		error = hc_report_fleet_html(&out, &fleet);
	if (error == 0)
		error = cmd_write(env, &out);
	status = error < 0 ? cmd_fail(error, false) : EXIT_OK;
	hc_fleet_release(&fleet);
	hc_buf_release(&text);
	hc_buf_release(&out);
	return status;
}
