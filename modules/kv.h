/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Settings that are one key with one value in one file (login.defs,
 * pwquality.conf, a .vmx): the shared check and remediation, and the
 * comparisons a hardening value needs ("at most 60 days", "at least 15
 * characters", "SHA512 or stronger").
 */
#ifndef HARDCTL_KV_H
#define HARDCTL_KV_H

#include <stdbool.h>

struct hc_ctx;
struct hc_file;
struct hc_finding;
struct hc_rule;

enum kv_cmp {
	KV_EQUAL,    /* the same string (case-insensitive with nocase) */
	KV_AT_MOST,  /* a number no greater than the wanted one */
	KV_AT_LEAST, /* a number no smaller than the wanted one */
};

struct kv_setting {
	const char *path; /* the file, inside ROOT */
	const char *lens;
	const char *key;   /* its node label */
	const char *param; /* the rule parameter holding the wanted value */
	enum kv_cmp cmp;
	bool nocase;
	/* Values that also pass under KV_EQUAL (stronger ones);
	 * NULL-terminated. */
	const char *const *also;
	/* The value the program uses when the key is unset; NULL: none. */
	const char *unset;
	/* Said on a pass or a failure: why the value matters here, or not. */
	const char *note;
};

/** Whether HAVE satisfies WANT under S's comparison. */
bool kv_satisfies(const struct kv_setting *s, const char *have,
		  const char *want);

/* How kv_find() and kv_set() match a key to a label. */
enum kv_flags {
	KV_KEY_NOCASE = 1u << 0, /* .vmx keys: "isolation.tools.copy.Disable" is
				    the same key */
};

/**
 * The node holding S's key in FILE as its program reads it: the last
 * one, since login.defs and the Simplevars-style files let a later line
 * override an earlier one.  *node is NULL when the key is unset.
 */
int kv_find(char **node, struct hc_file *file, const char *key,
	    unsigned int flags);

/** Set KEY to VALUE where the program reads it (see kv_find), else append it.
 */
int kv_set(struct hc_file *file, const char *key, const char *value,
	   unsigned int flags);

/*
 * Hooks for rules whose data is a struct kv_setting: a file that does
 * not exist makes the rule N/A.
 */
int kv_setting_check(struct hc_finding *out, struct hc_ctx *ctx,
		     const struct hc_rule *rule);
int kv_setting_remediate(struct hc_ctx *ctx, const struct hc_rule *rule);

#endif
