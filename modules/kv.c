/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * One-key-one-value settings (see kv.h).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "hardctl/aug.h"
#include "hardctl/ctx.h"
#include "hardctl/file.h"
#include "hardctl/finding.h"
#include "hardctl/module.h"
#include "kv.h"

static bool number(long *out, const char *str)
{
	char *end;

	if (str == NULL || *str == '\0')
		return false;
	errno = 0;
	*out = strtol(str, &end, 10);
	return errno == 0 && *end == '\0';
}

bool kv_satisfies(const struct kv_setting *s, const char *have,
		  const char *want)
{
	long h, w;

	if (have == NULL)
		return false;
	switch (s->cmp) {
	case KV_AT_MOST:
		return number(&h, have) && number(&w, want) && h <= w;
	case KV_AT_LEAST:
		return number(&h, have) && number(&w, want) && h >= w;
	case KV_EQUAL:
		break;
	}
	if ((s->nocase ? strcasecmp(have, want) : strcmp(have, want)) == 0)
		return true;
	for (const char *const *a = s->also; a && *a; a++)
		if ((s->nocase ? strcasecmp(have, *a) : strcmp(have, *a)) == 0)
			return true;
	return false;
}

/*
 * Labels are compared here rather than in an Augeas path: keys such as
 * "scsi0:0.present" or "net/ipv4/ip_forward" are not path-safe.
 */
int kv_find(char **node, struct hc_file *file, const char *key,
	    unsigned int flags)
{
	struct hc_aug_children kids;
	int error;

	*node = NULL;
	if ((error = hc_file_children(&kids, file)) < 0)
		return error;
	for (size_t i = kids.n; i-- > 0;) {
		const char *label = kids.label[i];

		if (label &&
		    ((flags & KV_KEY_NOCASE) ? strcasecmp(label, key)
					     : strcmp(label, key)) == 0) {
			error = hc_aug_child_path(node, &kids, i);
			break;
		}
	}
	hc_aug_children_release(&kids);
	return error;
}

/* Whether COMMENT is KEY commented out: "minlen = 8", "PASS_MIN_LEN 5". */
static bool comments_out(const char *comment, const char *key)
{
	size_t len = strlen(key);

	return comment && strncmp(comment, key, len) == 0 &&
	       (comment[len] == ' ' || comment[len] == '\t' ||
		comment[len] == '=');
}

/*
 * A key set nowhere goes where an administrator would put it: after the
 * last comment showing it commented out (the files these keys live in
 * document their defaults that way), else at the end.
 */
static int add_key(struct hc_file *file, const char *key, const char *value)
{
	struct hc_aug_children kids;
	char *anchor = NULL;
	int error;

	if ((error = hc_file_children(&kids, file)) < 0)
		return error;
	for (size_t i = kids.n; i-- > 0;)
		if (kids.label[i] && strcmp(kids.label[i], "#comment") == 0 &&
		    comments_out(kids.value[i], key)) {
			error = hc_aug_child_path(&anchor, &kids, i);
			break;
		}
	hc_aug_children_release(&kids);
	if (error == 0 && anchor)
		error = hc_file_insert(file, anchor, key, false);
	/* The key was set nowhere, so it now labels exactly one node. */
	if (error == 0)
		error = hc_file_set(file, key, value);
	free(anchor);
	return error;
}

int kv_set(struct hc_file *file, const char *key, const char *value,
	   unsigned int flags)
{
	char *node;
	int error;

	if ((error = kv_find(&node, file, key, flags)) < 0)
		return error;
	error =
	    node ? hc_file_set(file, node, value) : add_key(file, key, value);
	free(node);
	return error;
}

static int file_of(struct hc_file **out, struct hc_finding *finding,
		   struct hc_ctx *ctx, const struct kv_setting *s)
{
	int error = hc_ctx_file(out, ctx, s->path, s->lens, 0);

	if (error == HC_ENOTFOUND && finding) {
		hc_error_clear();
		*out = NULL;
		return hc_finding_na(finding, "no %s", s->path);
	}
	return error;
}

int kv_setting_check(struct hc_finding *out, struct hc_ctx *ctx,
		     const struct hc_rule *rule)
{
	const struct kv_setting *s = rule->data;
	const char *want = hc_ctx_param(ctx, rule, s->param);
	struct hc_buf found = HC_BUF_INIT, expected = HC_BUF_INIT;
	const char *have = NULL;
	struct hc_file *file;
	char *node = NULL;
	unsigned int line = 0;
	int error;

	if ((error = file_of(&file, out, ctx, s)) < 0 || file == NULL)
		return error;
	if ((error = kv_find(&node, file, s->key, 0)) < 0 ||
	    (node && (error = hc_file_get(&have, file, node)) < 0))
		goto out;
	if (node)
		line = hc_file_line(file, node);
	if (node)
		error =
		    hc_buf_printf(&found, "%s %s", s->key, have ? have : "");
	else if (s->unset)
		error = hc_buf_printf(&found, "%s not set (default %s)", s->key,
				      s->unset);
	else
		error = hc_buf_printf(&found, "%s not set", s->key);
	if (error < 0 ||
	    (s->note &&
	     (error = hc_buf_printf(&found, " (%s)", s->note)) < 0) ||
	    (error = hc_buf_printf(&expected, "%s %s%s", s->key,
				   s->cmp == KV_AT_MOST    ? "at most "
				   : s->cmp == KV_AT_LEAST ? "at least "
							   : "",
				   want)) < 0)
		goto out;
	if (kv_satisfies(s, node ? have : s->unset, want))
		error =
		    hc_finding_evidence(out, s->path, line, found.ptr, NULL);
	else
		error = hc_finding_fail(out, s->path, line, found.ptr,
					expected.ptr);
out:
	free(node);
	hc_buf_release(&found);
	hc_buf_release(&expected);
	return error;
}

int kv_setting_remediate(struct hc_ctx *ctx, const struct hc_rule *rule)
{
	const struct kv_setting *s = rule->data;
	struct hc_file *file;
	int error;

	if ((error = file_of(&file, NULL, ctx, s)) < 0)
		return error;
	return kv_set(file, s->key, hc_ctx_param(ctx, rule, s->param), 0);
}
