/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * SNMP: no community anyone can guess.  net-snmp's snmpd.conf grants v1
 * and v2c access either directly (rocommunity, rwcommunity and their
 * "6" forms: the community is the first argument) or through the older
 * model (com2sec names a community, group puts it in a group, access
 * gives the group read and write views).  Communities are passwords:
 * the file holding them must not be readable by others, and no output
 * of hardctl shows them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/rand.h>
#include "hardctl/ctx.h"
#include "hardctl/file.h"
#include "hardctl/finding.h"
#include "modules.h"
#include "snmp.h"

#define SNMPD_CONF "/etc/snmp/snmpd.conf"
#define SNMPD_LENS "Hardctl_Snmpd.lns"
#define COMMUNITY_LEN 24

/* Directives naming a community, and which argument holds it. */
static bool community_arg(struct hc_buf *node, struct hc_file *file, const char *directive,
			  bool *write)
{
	const char *label = hc_file_label(file, directive), *first;

	*write = false;
	hc_buf_clear(node);
	if (label == NULL)
		return false;
	if (strcmp(label, "rocommunity") == 0 || strcmp(label, "rocommunity6") == 0 ||
	    strcmp(label, "rwcommunity") == 0 || strcmp(label, "rwcommunity6") == 0) {
		*write = label[1] == 'w';
		return hc_buf_printf(node, "%s/1", directive) == 0;
	}
	if (strcmp(label, "com2sec") == 0 || strcmp(label, "com2sec6") == 0) {
		/* com2sec [-Cn CONTEXT] SECNAME SOURCE COMMUNITY */
		if (hc_buf_printf(node, "%s/1", directive) < 0 ||
		    hc_file_get(&first, file, node->ptr) < 0)
			return false;
		hc_buf_clear(node);
		return hc_buf_printf(node, "%s/%d", directive,
				     first && strcmp(first, "-Cn") == 0 ? 5 : 3) == 0;
	}
	return false;
}

static bool weak(const char *list, const char *community)
{
	size_t len = strlen(community);

	for (const char *p = list; (p = strstr(p, community)) != NULL; p += len ? len : 1)
		if ((p == list || p[-1] == ' ') && (p[len] == '\0' || p[len] == ' '))
			return true;
	return false;
}

/* The v1/v2c access lines with a write view: `access G CTX MODEL LEVEL PREFIX READ WRITE NOTIFY`. */
static bool writes(struct hc_buf *node, struct hc_file *file, const char *directive)
{
	const char *label = hc_file_label(file, directive), *model, *view;
	struct hc_buf path = HC_BUF_INIT;
	bool yes = false;

	hc_buf_clear(node);
	if (label == NULL || strcmp(label, "access") != 0)
		return false;
	if (hc_buf_printf(&path, "%s/3", directive) == 0 &&
	    hc_file_get(&model, file, path.ptr) == 0 && model &&
	    (strcmp(model, "any") == 0 || strcmp(model, "v1") == 0 ||
	     strcmp(model, "v2c") == 0) &&
	    hc_buf_printf(node, "%s/7", directive) == 0 &&
	    hc_file_get(&view, file, node->ptr) == 0)
		yes = view && strcmp(view, "none") != 0;
	hc_buf_release(&path);
	return yes;
}

static int snmpd_file(struct hc_file **out, struct hc_ctx *ctx)
{
	return hc_ctx_file(out, ctx, SNMPD_CONF, SNMPD_LENS, 0);
}

/* Every community in FILE but the weak ones is a secret. */
static int register_secrets(struct hc_ctx *ctx, struct hc_file *file, const char *weak_list)
{
	struct hc_strlist nodes = HC_STRLIST_INIT;
	struct hc_buf arg = HC_BUF_INIT;
	int error;

	if ((error = hc_file_match(&nodes, file, "*")) < 0)
		goto out;
	for (size_t i = 0; i < nodes.n && error == 0; i++) {
		const char *community;
		bool write;

		if (!community_arg(&arg, file, nodes.v[i], &write) ||
		    (error = hc_file_get(&community, file, arg.ptr)) < 0)
			continue;
		if (community && !weak(weak_list, community))
			error = hc_ctx_secret(ctx, community);
	}
out:
	hc_buf_release(&arg);
	hc_strlist_release(&nodes);
	return error;
}

/* The mode a file holding communities should have (see snmp.h). */
static mode_t private_mode(const struct hc_file *file)
{
	return file->mode & (file->gid != 0 ? 0750 : 0700) & ~(mode_t)0020;
}

static int community_check(struct hc_finding *out, struct hc_ctx *ctx,
			   const struct hc_rule *rule)
{
	const char *weak_list = hc_ctx_param(ctx, rule, "weak");
	struct hc_strlist nodes = HC_STRLIST_INIT;
	struct hc_buf arg = HC_BUF_INIT, found = HC_BUF_INIT;
	struct hc_file *file;
	bool any = false;
	int error = snmpd_file(&file, ctx);

	if (error == HC_ENOTFOUND) {
		hc_error_clear();
		return hc_finding_na(out, "no %s: snmpd is not configured here", SNMPD_CONF);
	}
	if (error < 0 || (error = register_secrets(ctx, file, weak_list)) < 0 ||
	    (error = hc_file_match(&nodes, file, "*")) < 0)
		goto out;
	for (size_t i = 0; i < nodes.n && error == 0; i++) {
		unsigned int line = hc_file_line(file, nodes.v[i]);
		const char *community, *label = hc_file_label(file, nodes.v[i]);
		bool write;

		hc_buf_clear(&found);
		if (writes(&arg, file, nodes.v[i])) {
			error = hc_finding_fail(out, SNMPD_CONF, line,
						"access with a v1/v2c write view",
						"write view none");
			continue;
		}
		if (!community_arg(&arg, file, nodes.v[i], &write) ||
		    (error = hc_file_get(&community, file, arg.ptr)) < 0)
			continue;
		any = true;
		if (community && weak(weak_list, community)) {
			if ((error = hc_buf_printf(&found, "%s %s", label, community)) == 0)
				error = hc_finding_fail(out, SNMPD_CONF, line, found.ptr,
							"a community no one can guess");
		} else if (write) {
			if ((error = hc_buf_printf(&found, "%s (write access)", label)) == 0)
				error = hc_finding_fail(out, SNMPD_CONF, line, found.ptr,
							"no write-access community");
		}
	}
	if (error == 0 && any && (file->mode & 0007)) {
		hc_buf_clear(&found);
		if ((error = hc_buf_printf(&found, "mode %04o: others can read the communities",
					   (unsigned int)file->mode)) == 0)
			error = hc_finding_fail(out, SNMPD_CONF, 0, found.ptr, "no access for others");
	}
	if (error == 0 && out->status == HC_STATUS_PASS)
		error = hc_finding_evidence(out, SNMPD_CONF, 0,
					    any ? "no weak or write community" : "no community",
					    NULL);
out:
	hc_buf_release(&arg);
	hc_buf_release(&found);
	hc_strlist_release(&nodes);
	return error;
}

int snmp_random_community(char *out, size_t len)
{
	static const char alphabet[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
	size_t n = 0;

	while (n < len) {
		unsigned char bytes[64];

		if (RAND_bytes(bytes, sizeof(bytes)) != 1) {
			hc_error_set("OpenSSL's RAND_bytes failed: no community generated");
			return HC_ERROR;
		}
		/* 62 * 4 = 248: rejecting 248..255 keeps every character equally likely. */
		for (size_t i = 0; i < sizeof(bytes) && n < len; i++)
			if (bytes[i] < 248)
				out[n++] = alphabet[bytes[i] % 62];
	}
	out[len] = '\0';
	return 0;
}

/*
 * The community to put in place of a weak one: the profile's; else one
 * the file already has that is not weak (what an earlier apply
 * generated); else a new random one.
 */
static int replacement(char *out, size_t size, struct hc_ctx *ctx, const struct hc_rule *rule,
		       struct hc_file *file)
{
	const char *given = hc_ctx_param(ctx, rule, "community");
	const char *weak_list = hc_ctx_param(ctx, rule, "weak");
	struct hc_strlist nodes = HC_STRLIST_INIT;
	struct hc_buf arg = HC_BUF_INIT;
	int error;

	if (*given) {
		if (weak(weak_list, given)) {
			hc_error_set("%s: the profile's community is one of the weak ones", rule->id);
			return hc_error_set_code(HC_EINVALID);
		}
		snprintf(out, size, "%s", given);
		return hc_ctx_secret(ctx, given);
	}
	if ((error = hc_file_match(&nodes, file, "*")) < 0)
		goto out;
	for (size_t i = 0; i < nodes.n; i++) {
		const char *community;
		bool write;

		if (!community_arg(&arg, file, nodes.v[i], &write) || write ||
		    (error = hc_file_get(&community, file, arg.ptr)) < 0 || community == NULL ||
		    weak(weak_list, community) || strlen(community) != COMMUNITY_LEN)
			continue;
		snprintf(out, size, "%s", community);
		goto out;
	}
	if ((error = snmp_random_community(out, COMMUNITY_LEN)) == 0)
		error = hc_ctx_secret(ctx, out);
out:
	hc_buf_release(&arg);
	hc_strlist_release(&nodes);
	return error;
}

static int community_remediate(struct hc_ctx *ctx, const struct hc_rule *rule)
{
	const char *weak_list = hc_ctx_param(ctx, rule, "weak");
	struct hc_strlist nodes = HC_STRLIST_INIT;
	struct hc_buf arg = HC_BUF_INIT;
	char secret[COMMUNITY_LEN + 1] = "";
	struct hc_file *file;
	bool any = false;
	int error;

	if ((error = snmpd_file(&file, ctx)) < 0 ||
	    (error = hc_file_match(&nodes, file, "*")) < 0)
		goto out;
	/* From the last, so removing a line moves none still to visit. */
	for (size_t i = nodes.n; i-- > 0 && error == 0;) {
		const char *community;
		bool write;

		if (writes(&arg, file, nodes.v[i])) {
			error = hc_file_set(file, arg.ptr, "none");
			continue;
		}
		if (!community_arg(&arg, file, nodes.v[i], &write) ||
		    (error = hc_file_get(&community, file, arg.ptr)) < 0)
			continue;
		if (write) {
			error = hc_file_rm(file, nodes.v[i]);
			continue;
		}
		any = true;
		if (community == NULL || !weak(weak_list, community))
			continue;
		if (!secret[0] &&
		    (error = replacement(secret, sizeof(secret), ctx, rule, file)) < 0)
			break;
		error = hc_file_set(file, arg.ptr, secret);
	}
	if (error == 0 && any && (file->mode & 0007))
		error = hc_file_set_mode(file, private_mode(file));
out:
	hc_buf_release(&arg);
	hc_strlist_release(&nodes);
	return error;
}

static const struct hc_rule rules[] = {
	{
		.id = "snmp.community",
		.title = "no SNMP community can be guessed, written with, or read by others",
		.severity = HC_CAT_I,
		.rationale = "snmpd ships with the community \"public\"; with it anyone "
			     "reads the host's configuration, and with a write "
			     "community (\"private\") changes it.  A community is a "
			     "password: the file holding it is not readable by others.",
		.refs = (const char *const[]){ "DISA STIG SNMP: default community strings", NULL },
		.params = (const struct hc_param[]){
			{ "weak", HC_PARAM_STRING, "public private",
			  "communities that must not remain, space-separated",
			  &(const struct hc_valid){ .kind = HC_VALID_WORDS, .min = 0, .max = 1024,
						    .word_bytes = "!$%&()*+,-./:;<=>?@[]^_`{|}~",
						    .allowed = "community strings, space-separated" } },
			{ "community", HC_PARAM_STRING, "",
			  "the replacement; empty: 24 random characters, generated once",
			  /* One snmpd.conf word: no quote, no '#', no '\\'. */
			  &(const struct hc_valid){ .kind = HC_VALID_WORDS, .min = 0, .max = 1,
						    .word_bytes = "!$%&()*+,-./:;<=>?@[]^_`{|}~",
						    .allowed = "one word of letters, digits and "
							       "punctuation other than quotes, # "
							       "and \\" } },
			{ NULL, HC_PARAM_STRING, NULL, NULL, NULL },
		},
		.owns = (const char *const[]){ "snmpd.conf:community", NULL },
		.files = (const char *const[]){ SNMPD_CONF, NULL },
		.check = community_check,
		.remediate = community_remediate,
	},
	{ .id = NULL },
};

const struct hc_module hc_module_snmp = {
	.version = HC_MODULE_VERSION,
	.name = "snmp",
	.description = "SNMP communities",
	.rules = rules,
};
