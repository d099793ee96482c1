/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A host firewall started at boot.  Report only: a ruleset is the
 * site's own, and a wrong one cuts the administrator off; hardctl says
 * what it finds and leaves writing rules to the administrator.
 *
 * Rulesets in iptables-save form (Red Hat's /etc/sysconfig/iptables,
 * Debian's /etc/iptables/rules.v4) are read with Augeas's Iptables lens
 * and judged by what INPUT does with a packet no rule matched; nftables
 * and firewalld rulesets have no lens and are only reported present.
 */
#include <string.h>
#include <strings.h>
#include "hardctl/ctx.h"
#include "hardctl/file.h"
#include "hardctl/finding.h"
#include "boot.h"
#include "modules.h"

struct firewall {
	const char *service;
	const char *ruleset;
	const char *lens; /* Iptables.lns: judged; Shellvars.lns: ufw's switch;
			     NULL: not read */
};

static const struct firewall firewalls[] = {
    {"nftables", "/etc/nftables.conf", NULL},
    {"firewalld", "/etc/firewalld/firewalld.conf", NULL},
    {"iptables", "/etc/sysconfig/iptables", "Iptables.lns"},
    {"netfilter-persistent", "/etc/iptables/rules.v4", "Iptables.lns"},
    {"ufw", "/etc/ufw/ufw.conf", "Shellvars.lns"},
};

#define FILTER "table[. = 'filter']"

static bool drops(const char *target)
{
	return target && (strcasecmp(target, "DROP") == 0 ||
			  strcasecmp(target, "REJECT") == 0);
}

#define CHAIN_DEPTH 8

/*
 * Whether CHAIN of the filter table drops what no rule accepted: its
 * policy, or an unconditional DROP or REJECT as its last rule, or an
 * unconditional jump to a chain of its own that ends so (Red Hat's
 * RH-Firewall-1-INPUT).
 */
static int chain_drops(bool *yes, struct hc_file *file, const char *chain,
		       int depth)
{
	struct hc_strlist rules = HC_STRLIST_INIT, conds = HC_STRLIST_INIT;
	struct hc_buf node = HC_BUF_INIT;
	const char *policy = NULL, *jump = NULL;
	int error;

	*yes = false;
	if ((error = hc_buf_printf(&node, FILTER "/chain[. = '%s']/policy",
				   chain)) < 0 ||
	    (error = hc_file_get(&policy, file, node.ptr)) < 0)
		goto out;
	hc_buf_clear(&node);
	if ((error = hc_buf_printf(&node, FILTER "/append[. = '%s']", chain)) <
		0 ||
	    (error = hc_file_match(&rules, file, node.ptr)) < 0)
		goto out;
	if (drops(policy) || rules.n == 0) {
		*yes = drops(policy);
		goto out;
	}
	hc_buf_clear(&node);
	if ((error = hc_buf_printf(&node, "%s/*", rules.v[rules.n - 1])) < 0 ||
	    (error = hc_file_match(&conds, file, node.ptr)) < 0)
		goto out;
	hc_buf_clear(&node);
	if ((error = hc_buf_printf(&node, "%s/jump", rules.v[rules.n - 1])) <
		0 ||
	    (error = hc_file_get(&jump, file, node.ptr)) < 0 || jump == NULL)
		goto out;
	/* Only the jump (and a REJECT's --reject-with): no match condition. */
	for (size_t i = 0; i < conds.n; i++) {
		const char *label = hc_file_label(file, conds.v[i]);

		if (!label || (strcmp(label, "jump") != 0 &&
			       strcmp(label, "reject-with") != 0))
			goto out;
	}
	if (drops(jump))
		*yes = true;
	else if (depth < CHAIN_DEPTH && !strchr(jump, '\'') &&
		 strcmp(jump, chain) != 0 && strcmp(jump, "ACCEPT") != 0 &&
		 strcmp(jump, "RETURN") != 0 && strcmp(jump, "LOG") != 0)
		error = chain_drops(yes, file, jump, depth + 1);
out:
	hc_strlist_release(&rules);
	hc_strlist_release(&conds);
	hc_buf_release(&node);
	return error;
}

/*
 * Judge firewall FW, which starts at boot by the link or file AT:
 * evidence in OUT, and *active whether it protects the host.
 */
static int judge(bool *active, struct hc_finding *out, struct hc_ctx *ctx,
		 const struct firewall *fw, const char *at)
{
	struct hc_buf found = HC_BUF_INIT;
	struct hc_file *file = NULL;
	const char *value = NULL;
	bool drop = false;
	int error;

	*active = false;
	if (fw->lens && (error = hc_ctx_file(&file, ctx, fw->ruleset, fw->lens,
					     HC_FILE_OPTIONAL)) < 0)
		return error;
	if (fw->lens && file == NULL)
		error = hc_buf_printf(
		    &found, "%s starts at boot (%s) but there is no %s",
		    fw->service, at, fw->ruleset);
	else if (fw->lens && strcmp(fw->lens, "Iptables.lns") == 0) {
		if ((error = chain_drops(&drop, file, "INPUT", 0)) == 0)
			error = hc_buf_printf(
			    &found, "%s starts at boot (%s); INPUT %s",
			    fw->service, at,
			    drop ? "drops what no rule accepts"
				 : "accepts what no rule drops");
		*active = drop;
	} else if (fw->lens) {
		if ((error = hc_file_get(&value, file, "ENABLED")) == 0)
			error = hc_buf_printf(
			    &found, "%s starts at boot (%s); ENABLED=%s",
			    fw->service, at, value ? value : "(unset)");
		*active = value && strcmp(value, "yes") == 0;
	} else {
		error = hc_buf_printf(
		    &found,
		    "%s starts at boot (%s); its ruleset %s is not judged",
		    fw->service, at, fw->ruleset);
		*active = true;
	}
	if (error == 0)
		error = hc_finding_evidence(out, file ? fw->ruleset : NULL, 0,
					    found.ptr, NULL);
	hc_buf_release(&found);
	return error;
}

static int firewall_check(struct hc_finding *out, struct hc_ctx *ctx,
			  const struct hc_rule *rule)
{
	struct hc_strlist where = HC_STRLIST_INIT;
	bool any = false;
	int error = 0;

	(void)rule;
	for (size_t i = 0;
	     i < sizeof(firewalls) / sizeof(firewalls[0]) && error == 0; i++) {
		bool active;

		hc_strlist_release(&where);
		if ((error = boot_enabled(&where, ctx, firewalls[i].service)) <
			0 ||
		    where.n == 0)
			continue;
		if ((error = judge(&active, out, ctx, &firewalls[i],
				   where.v[0])) == 0)
			any = any || active;
	}
	hc_strlist_release(&where);
	if (error == 0 && !any)
		error = hc_finding_fail(
		    out, NULL, 0,
		    out->nev
			? "no firewall that drops by default starts at boot"
			: "no firewall starts at boot",
		    "nftables, firewalld, iptables, netfilter-persistent or "
		    "ufw started at boot, dropping what no rule accepts");
	return error;
}

static const struct hc_rule rules[] = {
    {
	.id = "firewall.enabled",
	.title =
	    "a host firewall starts at boot and drops what no rule accepts",
	.severity = HC_CAT_II,
	.rationale =
	    "The service console listened on ssh, http, https and the "
	    "management port 902; a host firewall limits who reaches them.  "
	    "Report only: write the ruleset by hand.",
	.refs = (const char *const[]){"RHEL 8 STIG V-230504",
				      "RHEL 8 STIG V-230505", NULL},
	.params = (const struct hc_param[]){{NULL, HC_PARAM_STRING, NULL, NULL,
					     NULL}},
	.owns = (const char *const[]){"boot:firewall", NULL},
	.files =
	    (const char *const[]){"/etc/nftables.conf",
				  "/etc/sysconfig/iptables",
				  "/etc/iptables/rules.v4", "/etc/ufw/ufw.conf",
				  "/etc/firewalld/firewalld.conf", NULL},
	.flags = HC_RULE_REPORT_ONLY,
	.manual =
	    "write a ruleset whose input policy drops what no rule accepts, "
	    "accepting ssh from the administrators' networks first, and "
	    "enable its service at boot (Debian: /etc/nftables.conf and "
	    "systemctl enable nftables; Red Hat: firewalld)",
	.check = firewall_check,
    },
    {.id = NULL},
};

const struct hc_module hc_module_firewall = {
    .version = HC_MODULE_VERSION,
    .name = "firewall",
    .description = "the host firewall (report only)",
    .rules = rules,
};
