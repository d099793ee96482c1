/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Root access: where and how root may log in.
 */
#include <stddef.h>
#include "hardctl/finding.h"
#include "modules.h"
#include "sshd_config.h"

static const struct sshd_setting permit_root_login = {
	.keyword = "PermitRootLogin",
	.param = "value",
	.sshd_default = "prohibit-password",
	.nocase = true,
};

static const struct hc_rule rules[] = {
	{
		.id = "root-access.sshd-permit-root-login",
		.title = "sshd refuses logins as root",
		.severity = HC_CAT_II,
		.rationale =
			"Administrators log in as themselves and become root, so "
			"every action is traced to a person and root's password "
			"is never exposed to the network.",
		.refs = (const char *const[]){ "RHEL 8 STIG V-230296", NULL },
		.params = (const struct hc_param[]){
			{ "value", HC_PARAM_STRING, "no",
			  "PermitRootLogin value sshd must use" },
			{ NULL, HC_PARAM_STRING, NULL, NULL },
		},
		.owns = (const char *const[]){ "sshd_config:PermitRootLogin", NULL },
		.files = (const char *const[]){ SSHD_CONFIG, "/etc/ssh/sshd_config.d/*.conf", NULL },
		.data = &permit_root_login,
		.check = sshd_setting_check,
		.remediate = sshd_setting_remediate,
	},
	{ .id = NULL },
};

const struct hc_module hc_module_root_access = {
	.version = HC_MODULE_VERSION,
	.name = "root-access",
	.description = "where and how root may log in",
	.rules = rules,
};
