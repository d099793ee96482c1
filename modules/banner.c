/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Login banners: the warning text shown before and after login
 * (/etc/issue on consoles, /etc/issue.net and sshd's Banner over the
 * network, /etc/motd after login).  The text comes from the profile.
 */
#include <stdlib.h>
#include <string.h>
#include "hardctl/ctx.h"
#include "hardctl/file.h"
#include "hardctl/finding.h"
#include "modules.h"
#include "sshd_config.h"

#define TEXT_LENS "Hardctl_Text.lns"

struct banner_file {
	const char *path;
};

/* The profile's text, ending with exactly the newline it had or one. */
static int wanted_text(struct hc_buf *out, struct hc_ctx *ctx,
		       const struct hc_rule *rule)
{
	const char *text = hc_ctx_param(ctx, rule, "text");
	size_t len = strlen(text);

	if (hc_buf_set(out, text, len) < 0)
		return HC_ERROR;
	if (len == 0 || text[len - 1] != '\n')
		return hc_buf_puts(out, "\n");
	return 0;
}

/* The first line on which HAVE and WANT differ, from 1, and its text. */
static unsigned int first_difference(struct hc_buf *line_out, const char *have,
				     const char *want)
{
	unsigned int line = 1;
	const char *start = have, *end;

	while (*have && *have == *want) {
		if (*have == '\n') {
			line++;
			start = have + 1;
		}
		have++;
		want++;
	}
	end = strchr(start, '\n');
	hc_buf_clear(line_out);
	hc_buf_put(line_out, start,
		   end ? (size_t)(end - start) : strlen(start));
	return line;
}

static int banner_check(struct hc_finding *out, struct hc_ctx *ctx,
			const struct hc_rule *rule)
{
	const struct banner_file *b = rule->data;
	struct hc_buf want = HC_BUF_INIT, line = HC_BUF_INIT;
	struct hc_file *file;
	const char *have;
	int error;

	if ((error = hc_ctx_file(&file, ctx, b->path, TEXT_LENS,
				 HC_FILE_CREATE)) < 0 ||
	    (error = wanted_text(&want, ctx, rule)) < 0 ||
	    (error = hc_file_get(&have, file, "text")) < 0)
		goto out;
	if (!hc_file_present(file)) {
		error = hc_finding_fail(out, b->path, 0, "no such file",
					"the profile's warning text");
	} else if (have == NULL || strcmp(have, want.ptr) != 0) {
		unsigned int n =
		    first_difference(&line, have ? have : "", want.ptr);

		error = hc_finding_fail(out, b->path, n,
					line.size ? line.ptr : "(empty line)",
					"the profile's warning text");
	} else {
		error = hc_finding_evidence(out, b->path, 1,
					    "the profile's warning text", NULL);
	}
out:
	hc_buf_release(&want);
	hc_buf_release(&line);
	return error;
}

static int banner_remediate(struct hc_ctx *ctx, const struct hc_rule *rule)
{
	const struct banner_file *b = rule->data;
	struct hc_buf want = HC_BUF_INIT;
	struct hc_file *file;
	int error;

	if ((error = hc_ctx_file(&file, ctx, b->path, TEXT_LENS,
				 HC_FILE_CREATE)) == 0 &&
	    (error = wanted_text(&want, ctx, rule)) == 0)
		error = hc_file_set(file, "text", want.ptr);
	hc_buf_release(&want);
	return error;
}

static const struct banner_file issue = {"/etc/issue"};
static const struct banner_file issue_net = {"/etc/issue.net"};
static const struct banner_file motd = {"/etc/motd"};

static const struct sshd_setting sshd_banner = {
    .keyword = "Banner",
    .param = "path",
    .sshd_default = "none",
    .nocase = false,
};

/*
 * Augeas keeps bytes 0x01 to 0x04 as its own markers: aug_text_retrieve
 * renders a text holding one as an empty file, and reports success.  A
 * carriage return would reach the console as a stray byte per line.
 */
static int banner_text_valid(const char *text)
{
	unsigned int line = 1;

	for (const char *c = text; *c; c++) {
		if (*c >= 0x01 && *c <= 0x04) {
			hc_error_set("line %u holds the byte 0x%02x, which "
				     "Augeas's lenses cannot "
				     "carry (the file would render empty)",
				     line, *c);
			return hc_error_set_code(HC_EINVALID);
		}
		if (*c == '\r') {
			hc_error_set("line %u ends in CRLF (a carriage "
				     "return): save the text "
				     "with Unix line ends",
				     line);
			return hc_error_set_code(HC_EINVALID);
		}
		line += *c == '\n';
	}
	return 0;
}

static const struct hc_param text_params[] = {
    {"text", HC_PARAM_TEXTFILE, "warning-banner.txt",
     "file holding the warning text, relative to the profile",
     &(const struct hc_valid){.kind = HC_VALID_FN,
			      .fn = banner_text_valid,
			      .allowed = "text without CR or bytes 0x01-0x04"}},
    {NULL, HC_PARAM_STRING, NULL, NULL, NULL},
};

static const char *const banner_owns_issue[] = {"file:/etc/issue", NULL};
static const char *const banner_owns_issue_net[] = {"file:/etc/issue.net",
						    NULL};
static const char *const banner_owns_motd[] = {"file:/etc/motd", NULL};

static const struct hc_rule rules[] = {
    {
	.id = "banner.issue",
	.title = "/etc/issue holds the warning banner",
	.severity = HC_CAT_II,
	.rationale =
	    "The console login prompt warns that use is monitored and "
	    "unauthorised use prohibited, and names no system or version "
	    "an intruder could use.",
	.refs = (const char *const[]){"RHEL 8 STIG V-230226", NULL},
	.params = text_params,
	.owns = banner_owns_issue,
	.files = (const char *const[]){"/etc/issue", NULL},
	.data = &issue,
	.check = banner_check,
	.remediate = banner_remediate,
    },
    {
	.id = "banner.issue-net",
	.title = "/etc/issue.net holds the warning banner",
	.severity = HC_CAT_II,
	.rationale =
	    "Network logins (telnet, and sshd when it points its Banner "
	    "here) show the same warning before authentication.",
	.refs = (const char *const[]){"RHEL 8 STIG V-230225", NULL},
	.params = text_params,
	.owns = banner_owns_issue_net,
	.files = (const char *const[]){"/etc/issue.net", NULL},
	.data = &issue_net,
	.check = banner_check,
	.remediate = banner_remediate,
    },
    {
	.id = "banner.motd",
	.title = "/etc/motd holds the warning banner",
	.severity = HC_CAT_III,
	.rationale =
	    "The message after login repeats the warning and gives away "
	    "nothing about the system.",
	.refs = NULL,
	.params = text_params,
	.owns = banner_owns_motd,
	.files = (const char *const[]){"/etc/motd", NULL},
	.data = &motd,
	.check = banner_check,
	.remediate = banner_remediate,
    },
    {
	.id = "banner.sshd-banner",
	.title = "sshd shows /etc/issue.net before authentication",
	.severity = HC_CAT_II,
	.rationale = "Without a Banner, sshd shows no warning before a user "
		     "authenticates.",
	.refs = (const char *const[]){"RHEL 8 STIG V-230225", NULL},
	.params =
	    (const struct hc_param[]){
		{"path", HC_PARAM_PATH, "/etc/issue.net",
		 "file sshd shows as its Banner",
		 &(const struct hc_valid){.kind = HC_VALID_WORDS,
					  .min = 1,
					  .max = 1,
					  .word_bytes = "/._+-@,:%~=",
					  .allowed =
					      "one path, without spaces"}},
		{NULL, HC_PARAM_STRING, NULL, NULL, NULL},
	    },
	.owns = (const char *const[]){"sshd_config:Banner", NULL},
	.files = (const char *const[]){SSHD_CONFIG,
				       "/etc/ssh/sshd_config.d/*.conf", NULL},
	.data = &sshd_banner,
	.check = sshd_setting_check,
	.remediate = sshd_setting_remediate,
    },
    {.id = NULL},
};

const struct hc_module hc_module_banner = {
    .version = HC_MODULE_VERSION,
    .name = "banner",
    .description = "login warning banners",
    .rules = rules,
};
