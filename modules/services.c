/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Network services the host has no use for.  Report only: which
 * services a host needs is the administrator's call, and removing a
 * package is no edit of a configuration file.
 */
#include <stdlib.h>
#include <string.h>
#include "hardctl/ctx.h"
#include "hardctl/finding.h"
#include "boot.h"
#include "modules.h"

static int services_check(struct hc_finding *out, struct hc_ctx *ctx,
			  const struct hc_rule *rule)
{
	const char *list = hc_ctx_param(ctx, rule, "services");
	struct hc_strlist where = HC_STRLIST_INIT;
	struct hc_buf found = HC_BUF_INIT;
	char *copy = hc_strdup(list), *name, *save = NULL;
	int error = copy ? 0 : HC_ERROR, listed = 0;

	for (name = copy ? strtok_r(copy, " ,", &save) : NULL;
	     name && error == 0; name = strtok_r(NULL, " ,", &save)) {
		listed++;
		hc_strlist_release(&where);
		if ((error = boot_enabled(&where, ctx, name)) < 0) {
			hc_error_prefix("%s: parameter services", rule->id);
			break;
		}
		for (size_t i = 0; i < where.n && error == 0; i++) {
			hc_buf_clear(&found);
			if ((error = hc_buf_printf(&found, "%s starts at boot",
						   name)) == 0)
				error = hc_finding_fail(
				    out, where.v[i], 0, found.ptr,
				    "disabled, or its package removed");
		}
	}
	if (error == 0 && listed == 0)
		error = hc_finding_na(out,
				      "no service listed (parameter services)");
	else if (error == 0 && out->status == HC_STATUS_PASS &&
		 (error = hc_buf_printf(&found, "none of %s starts at boot",
					list)) == 0)
		error = hc_finding_evidence(out, NULL, 0, found.ptr, NULL);
	free(copy);
	hc_buf_release(&found);
	hc_strlist_release(&where);
	return error;
}

static const struct hc_rule rules[] = {
    {
	.id = "services.unnecessary",
	.title = "no unnecessary network service starts at boot",
	.severity = HC_CAT_I,
	.rationale =
	    "Remote shells and clear-text services (telnet, rsh, rlogin, "
	    "rexec, tftp, finger, talk) send passwords in the clear or "
	    "trust addresses; every service that listens is a way in.  "
	    "Report only: disable or remove them by hand.",
	.refs = (const char *const[]){"RHEL 8 STIG V-230487",
				      "RHEL 8 STIG V-230492", NULL},
	.params =
	    (const struct hc_param[]){
		{"services", HC_PARAM_STRING,
		 "telnet rsh rlogin rexec shell login exec tftp finger talk "
		 "ntalk",
		 "names of systemd units, init scripts, xinetd files or inetd "
		 "services",
		 &(const struct hc_valid){.kind = HC_VALID_WORDS,
					  .min = 0,
					  .max = 1024,
					  .word_bytes = "@._:-+\\",
					  .allowed = "unit or service names"}},
		{NULL, HC_PARAM_STRING, NULL, NULL, NULL},
	    },
	.owns = (const char *const[]){"boot:services", NULL},
	.files =
	    (const char *const[]){"/etc/systemd/system/*.wants/*",
				  "/etc/rc?.d/S*", "/etc/rc.d/rc?.d/S*",
				  "/etc/xinetd.d/*", "/etc/inetd.conf", NULL},
	.flags = HC_RULE_REPORT_ONLY,
	.manual = "disable each service listed (systemctl disable --now "
		  "UNIT, or its inetd or xinetd entry), or remove its "
		  "package",
	.check = services_check,
    },
    {.id = NULL},
};

const struct hc_module hc_module_services = {
    .version = HC_MODULE_VERSION,
    .name = "services",
    .description = "network services started at boot (report only)",
    .rules = rules,
};
