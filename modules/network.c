/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Network parameters of the kernel, as sysctl sets them at boot.
 * `sysctl --system` (and systemd-sysctl) read the *.conf files of
 * /etc/sysctl.d, /run/sysctl.d, /usr/local/lib/sysctl.d,
 * /usr/lib/sysctl.d and /lib/sysctl.d in the order of their names (a
 * name in /etc hides the same name elsewhere), then /etc/sysctl.conf;
 * the last value read wins.  That is the value check judges.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "hardctl/ctx.h"
#include "hardctl/file.h"
#include "hardctl/finding.h"
#include "hardctl/root.h"
#include "kv.h"
#include "modules.h"

#define SYSCTL_LENS "Sysctl.lns"
#define SYSCTL_CONF "/etc/sysctl.conf"
#define SYSCTL_D "/etc/sysctl.d"
/* "99-" and a name sorting after the packages' own 99-* drop-ins. */
#define SYSCTL_DROPIN "/etc/sysctl.d/99-hardctl.conf"

static const char *const sysctl_dirs[] = {
	"/etc/sysctl.d", "/run/sysctl.d", "/usr/local/lib/sysctl.d",
	"/usr/lib/sysctl.d", "/lib/sysctl.d", NULL,
};

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

static int by_base(const void *a, const void *b)
{
	return strcmp(base_name(*(char *const *)a), base_name(*(char *const *)b));
}

/*
 * The files sysctl reads, in its order.  Symlinks are left out: Debian's
 * 99-sysctl.conf points at /etc/sysctl.conf, read last anyway, and a
 * link to /dev/null masks the file of its name.
 */
static int sysctl_files(struct hc_strlist *out, struct hc_ctx *ctx)
{
	struct hc_strlist all = HC_STRLIST_INIT;
	struct hc_buf pattern = HC_BUF_INIT;
	int error = 0;

	for (const char *const *d = sysctl_dirs; *d && error == 0; d++) {
		hc_buf_clear(&pattern);
		if ((error = hc_buf_printf(&pattern, "%s/*.conf", *d)) == 0)
			error = hc_ctx_glob(&all, ctx, pattern.ptr);
	}
	if (error < 0)
		goto out;
	/* Stable for equal names: the first directory's copy stays first. */
	for (size_t i = 1; i < all.n; i++)
		for (size_t j = i; j > 0 && by_base(&all.v[j - 1], &all.v[j]) > 0; j--) {
			char *t = all.v[j];

			all.v[j] = all.v[j - 1];
			all.v[j - 1] = t;
		}
	for (size_t i = 0; i < all.n && error == 0; i++) {
		struct stat st;

		if (i > 0 && strcmp(base_name(all.v[i]), base_name(all.v[i - 1])) == 0)
			continue; /* hidden by the same name in an earlier directory */
		if ((error = hc_root_lstat(&st, ctx->root, all.v[i])) == HC_ENOTFOUND) {
			hc_error_clear();
			error = hc_strlist_push(out, all.v[i]); /* created in memory */
			continue;
		}
		if (error == 0 && S_ISREG(st.st_mode))
			error = hc_strlist_push(out, all.v[i]);
	}
	if (error == 0)
		error = hc_strlist_push(out, SYSCTL_CONF);
out:
	hc_buf_release(&pattern);
	hc_strlist_release(&all);
	return error;
}

/* Where KEY's effective value comes from. */
struct source {
	struct hc_file *file; /* NULL: set nowhere */
	char *node;
	const char *value;
};

/* sysctl accepts "net/ipv4/ip_forward" for "net.ipv4.ip_forward". */
static bool same_key(const char *a, const char *b)
{
	for (; *a && *b; a++, b++)
		if (*a != *b && !((*a == '/' || *a == '.') && (*b == '/' || *b == '.')))
			return false;
	return *a == *b;
}

static int lookup(struct source *src, bool *any, struct hc_ctx *ctx, const char *key)
{
	struct hc_strlist files = HC_STRLIST_INIT;
	int error;

	memset(src, 0, sizeof(*src));
	*any = false;
	if ((error = sysctl_files(&files, ctx)) < 0)
		goto out;
	for (size_t i = 0; i < files.n; i++) {
		struct hc_strlist nodes = HC_STRLIST_INIT;
		struct hc_file *file;

		if ((error = hc_ctx_file(&file, ctx, files.v[i], SYSCTL_LENS,
					 HC_FILE_OPTIONAL)) < 0)
			goto out;
		if (file == NULL)
			continue;
		if ((error = hc_file_match(&nodes, file, "*")) < 0)
			goto out;
		*any = true;
		for (size_t n = 0; n < nodes.n && error == 0; n++) {
			const char *label = hc_file_label(file, nodes.v[n]);

			if (label == NULL || !same_key(label, key))
				continue;
			free(src->node);
			src->file = file;
			if ((src->node = hc_strdup(nodes.v[n])) == NULL)
				error = HC_ERROR;
			else
				error = hc_file_get(&src->value, file, nodes.v[n]);
		}
		hc_strlist_release(&nodes);
		if (error < 0)
			goto out;
	}
out:
	hc_strlist_release(&files);
	return error;
}

static int network_check(struct hc_finding *out, struct hc_ctx *ctx,
			 const struct hc_rule *rule)
{
	const char *want = hc_ctx_param(ctx, rule, "value");
	struct hc_buf found = HC_BUF_INIT, expected = HC_BUF_INIT;
	int error = 0;

	for (const char *const *k = rule->data; *k && error == 0; k++) {
		struct source src;
		bool any;

		if ((error = lookup(&src, &any, ctx, *k)) < 0)
			break;
		if (!any) {
			free(src.node);
			return hc_finding_na(out, "no %s and no %s/*.conf", SYSCTL_CONF, SYSCTL_D);
		}
		hc_buf_clear(&found);
		hc_buf_clear(&expected);
		if ((error = src.file ? hc_buf_printf(&found, "%s = %s", *k, src.value ? src.value : "")
				      : hc_buf_printf(&found, "%s not set (kernel default)", *k)) == 0 &&
		    (error = hc_buf_printf(&expected, "%s = %s", *k, want)) == 0) {
			if (src.file && src.value && strcmp(src.value, want) == 0)
				error = hc_finding_evidence(out, src.file->path,
							    hc_file_line(src.file, src.node),
							    found.ptr, NULL);
			else
				error = hc_finding_fail(out, src.file ? src.file->path : SYSCTL_CONF,
							src.file ? hc_file_line(src.file, src.node) : 0,
							found.ptr, expected.ptr);
		}
		free(src.node);
	}
	hc_buf_release(&found);
	hc_buf_release(&expected);
	return error;
}

/*
 * A wrong value under /etc is changed where it stands (a later file
 * would not beat /etc/sysctl.conf, read last); one set nowhere, or only
 * by a package's file, goes to hardctl's drop-in when /etc/sysctl.d
 * exists, else to /etc/sysctl.conf.
 */
static int network_remediate(struct hc_ctx *ctx, const struct hc_rule *rule)
{
	const char *want = hc_ctx_param(ctx, rule, "value");
	int error = 0;

	for (const char *const *k = rule->data; *k && error == 0; k++) {
		struct source src;
		struct hc_file *file;
		struct stat st;
		bool any;

		if ((error = lookup(&src, &any, ctx, *k)) < 0)
			break;
		if (src.file && src.value && strcmp(src.value, want) == 0) {
			free(src.node);
			continue;
		}
		if (src.file && strncmp(src.file->path, "/etc/", 5) == 0) {
			error = hc_file_set(src.file, src.node, want);
		} else {
			bool dropin = false;

			error = hc_root_lstat(&st, ctx->root, SYSCTL_D);
			if (error == 0) {
				dropin = S_ISDIR(st.st_mode);
			} else if (error == HC_ENOTFOUND) {
				hc_error_clear();
				error = 0;
			}
			if (error == 0 &&
			    (error = hc_ctx_file(&file, ctx, dropin ? SYSCTL_DROPIN : SYSCTL_CONF,
						 SYSCTL_LENS, dropin ? HC_FILE_CREATE : 0)) == 0)
				error = kv_set(file, *k, want, 0);
		}
		free(src.node);
	}
	return error;
}

/* Designated initializers and string pasting cannot take parentheses. */
/* NOLINTBEGIN(bugprone-macro-parentheses) */
#define NETWORK_RULE(rid, rtitle, sev, why, refs_, keys, def, max)                 \
	{                                                                          \
		.id = rid, .title = rtitle, .severity = sev, .rationale = why,     \
		.refs = refs_,                                                     \
		.params = (const struct hc_param[]){                               \
			{ "value", HC_PARAM_STRING, def, "the value every key takes", \
			  HC_VALID_RANGE(0, max, "0 to " #max ", as the kernel documents the keys") }, \
			{ NULL, HC_PARAM_STRING, NULL, NULL, NULL },               \
		},                                                                 \
		.owns = (const char *const[]){ "sysctl:" rid, NULL },              \
		.files = (const char *const[]){ SYSCTL_CONF, "/etc/sysctl.d/*.conf", NULL }, \
		.data = keys, .check = network_check, .remediate = network_remediate, \
	}
/* NOLINTEND(bugprone-macro-parentheses) */

static const char *const accept_redirects[] = {
	"net.ipv4.conf.all.accept_redirects", "net.ipv4.conf.default.accept_redirects",
	"net.ipv4.conf.all.secure_redirects", "net.ipv4.conf.default.secure_redirects",
	"net.ipv6.conf.all.accept_redirects", "net.ipv6.conf.default.accept_redirects",
	NULL,
};
static const char *const send_redirects[] = {
	"net.ipv4.conf.all.send_redirects", "net.ipv4.conf.default.send_redirects", NULL,
};
static const char *const source_route[] = {
	"net.ipv4.conf.all.accept_source_route", "net.ipv4.conf.default.accept_source_route",
	"net.ipv6.conf.all.accept_source_route", "net.ipv6.conf.default.accept_source_route",
	NULL,
};
static const char *const syncookies[] = { "net.ipv4.tcp_syncookies", NULL };
static const char *const rp_filter[] = {
	"net.ipv4.conf.all.rp_filter", "net.ipv4.conf.default.rp_filter", NULL,
};

static const struct hc_rule rules[] = {
	NETWORK_RULE("network.accept-redirects", "ICMP redirects are not accepted", HC_CAT_II,
		     "A forged ICMP redirect reroutes the host's traffic through an "
		     "attacker.",
		     ((const char *const[]){ "RHEL 8 STIG V-230535", "RHEL 8 STIG V-230540", NULL }),
		     accept_redirects, "0", 1),
	NETWORK_RULE("network.send-redirects", "ICMP redirects are not sent", HC_CAT_II,
		     "Only a router sends redirects; a host that does reveals "
		     "routing information.",
		     ((const char *const[]){ "RHEL 8 STIG V-230536", "RHEL 8 STIG V-230543", NULL }),
		     send_redirects, "0", 1),
	NETWORK_RULE("network.source-route", "source-routed packets are refused", HC_CAT_II,
		     "Source routing lets a sender choose the path through the "
		     "host, past filters.",
		     ((const char *const[]){ "RHEL 8 STIG V-230538", "RHEL 8 STIG V-230539", NULL }),
		     source_route, "0", 1),
	NETWORK_RULE("network.syncookies", "TCP SYN cookies are on", HC_CAT_II,
		     "SYN cookies keep the host answering during a SYN flood.",
		     NULL, syncookies, "1", 2),
	NETWORK_RULE("network.rp-filter", "reverse-path filtering drops spoofed sources",
		     HC_CAT_II,
		     "Strict reverse-path filtering drops packets whose source "
		     "address could not be reached through the interface they "
		     "came in on.",
		     NULL, rp_filter, "1", 2),
	{ .id = NULL },
};

const struct hc_module hc_module_network = {
	.version = HC_MODULE_VERSION,
	.name = "network",
	.description = "kernel network parameters (sysctl)",
	.rules = rules,
};
