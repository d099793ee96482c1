/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Profiles: which rules a host must follow, at which severity, with
 * which parameters.  A profile is an INI-like file parsed with the
 * project's Hardctl_Profile lens:
 *
 *   [profile]
 *   name = service-console
 *   version = 1
 *
 *   [banner.issue]
 *   text = warning-banner.txt
 *
 * Every section but [profile] names a rule; its keys are the rule's
 * parameters plus "severity".  Unknown rules and keys are errors naming
 * the file and line.
 */
#ifndef HARDCTL_PROFILE_H
#define HARDCTL_PROFILE_H

#include <stddef.h>
#include "hash.h"
#include "module.h"

struct hc_aug;

struct hc_profile_rule {
	const struct hc_rule *rule;
	const struct hc_module *module;
	enum hc_severity severity;
	char **values;     /* one per rule->params entry, defaults applied */
	unsigned int line; /* of its section */
};

struct hc_profile {
	char *name;
	char *version;
	char *description;
	char *path;             /* the file it was read from */
	struct hc_sha256 sha;   /* of that file */
	struct hc_profile_rule *rules; /* in module table order */
	size_t nrules;
};

/**
 * Load SPEC: a path if it holds a "/", else a name looked up as
 * DIR/SPEC.conf.  The file must be a regular file owned by root or the
 * caller and not writable by group or others.
 *
 * @return 0; HC_ENOTFOUND (no such profile); HC_EPARSE or HC_EINVALID
 * with the file and line in the last error; HC_EUNSAFE when the file's
 * owner or mode is refused.  *out is NULL on failure.
 */
int hc_profile_load(struct hc_profile **out, struct hc_aug *aug,
		    const char *spec, const char *dir);

void hc_profile_free(struct hc_profile *profile);

/** The selected rule with this id, or NULL. */
const struct hc_profile_rule *hc_profile_find(const struct hc_profile *profile,
					      const char *id);

/**
 * Read a file a profile depends on (the profile itself, a text file it
 * names) with doas's trust rules.  HC_EUNSAFE when refused.
 */
int hc_profile_read_trusted(struct hc_buf *out, const char *path);

#endif
