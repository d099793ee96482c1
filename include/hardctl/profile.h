/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Profiles: which rules a host must follow, at which severity, with
 * which parameters.  A profile is an INI-like file parsed with the
 * project's Hardctl_Profile lens:
 *
 *   [profile]
 *   name = site
 *   version = 3
 *   extends = service-console
 *   drop = vmx.copy-paste vmx.unused-devices
 *
 *   [password.max-days]
 *   days = 45
 *
 *   [snmp.community]
 *   waiver = no SNMP agent on this network, ticket CHG-1234
 *   waiver-approver = J. Doe, ISSO
 *   waiver-expires = 2027-06-30
 *
 *   [vmx.log-rotation]
 *   enabled = no
 *
 * Every section but [profile] names a rule; its keys are the rule's
 * parameters plus "severity", "enabled" and the waiver's three keys.
 * A tailoring file has the same rule sections under a [tailoring]
 * header (name, version, and optionally the profile it tailors), and
 * may hold the host's [guards] section:
 *
 *   [guards]
 *   accept-no-local-admin = yes
 *   reason = administrators log in through SSSD, ticket CHG-42
 *
 * by which the site takes on itself what the lockout judgment cannot
 * see (hardctl/access.h).  A profile shared by many hosts may not.
 *
 * Resolution, in this order:
 *  1. The profile an "extends" names is resolved first, recursively
 *     (a name, "base", is looked up as base.conf beside the extending
 *     file, then in the shipped directory; a path, with a '/' or
 *     ending in .conf, is relative to the extending file); a file met
 *     twice on the way is a cycle.
 *     A "drop" key (ids separated by spaces) then leaves out those
 *     rules of what the file extends: each must be there (an id that
 *     is not, or listed twice, is an error naming the file and line),
 *     and the file may not also give a dropped rule a section.  Only
 *     a profile that extends another may drop; a tailoring drops a
 *     rule with "enabled = no", and may add back one its profile
 *     dropped.
 *  2. Each file's rule sections then apply on top of what it extends,
 *     in file order: a section adds its rule if absent, and each key it
 *     sets replaces the inherited value; "enabled = no" drops the rule.
 *     A "severities" key in the header then keeps only rules of those
 *     severities.
 *  3. The tailoring file applies last, the same way.  Which one is the
 *     command layer's choice: --tailoring FILE, none with
 *     "--tailoring none", else the host's site tailoring when present
 *     (main.c cmd_open(): /etc/hardctl/tailoring.conf of the host
 *     running hardctl, never one inside ROOT).
 *  4. Parameters still unset take the rule's defaults.
 *  5. Rules that set one policy setting (hc_rule::sets) to different
 *     values are an error naming both.
 * The leaf profile's name, version and description are the profile's.
 */
#ifndef HARDCTL_PROFILE_H
#define HARDCTL_PROFILE_H

#include <stdbool.h>
#include <stddef.h>
#include "cache.h"
#include "hash.h"
#include "module.h"

struct hc_aug;

/** Why a rule is not enforced on this host, and until when. */
struct hc_waiver {
	char *reason; /* NULL: no waiver */
	char *approver;
	char *expires; /* YYYY-MM-DD: in force through that day */
};

struct hc_profile_rule {
	const struct hc_rule *rule;
	const struct hc_module *module;
	enum hc_severity severity;
	char **values; /* one per rule->params entry, defaults applied */
	struct hc_waiver waiver;
	size_t source; /* index in hc_profile::sources of the file that last set
			  it */
	unsigned int line; /* of its section there */
	bool disabled;     /* while loading: dropped by "enabled = no" */
};

/** A file the profile was resolved from. */
struct hc_profile_source {
	char *path;
	const char *role; /* "base" (extended), "profile", "tailoring" */
	/*
	 * SHA-256 of its bytes; all zero when SECRET: the file gives a
	 * secret parameter its value, and a digest of its bytes would let
	 * a word list confirm a guess, so none is published.
	 */
	struct hc_sha256 sha;
	bool secret;
};

/** What a host's tailoring accepts of the guards; see [guards] above. */
struct hc_guards {
	bool accept_no_local_admin;
	char *reason; /* required with accept_no_local_admin */
};

struct hc_profile {
	char *name;
	char *version;
	char *description;
	char *path;      /* the file it was read from */
	char *tailoring; /* "NAME VERSION" of the tailoring, or NULL */
	/*
	 * The tailoring is the host's site default, read because no
	 * --tailoring was given (set by the command layer, which chose it).
	 */
	bool site_tailoring;
	/*
	 * SHA-256 of the resolved profile in canonical form
	 * (hc_profile_canonical), which names secret parameters but holds
	 * none of their values.
	 */
	struct hc_sha256 sha;
	struct hc_profile_source
	    *sources; /* bases first, then the profile, then the tailoring */
	size_t nsources;
	struct hc_profile_rule *rules; /* in module table order */
	size_t nrules;
	struct hc_guards guards;
};

/**
 * Load SPEC: a path if it holds a "/", else a name looked up as
 * DIR/SPEC.conf; then the tailoring file TAILORING, unless NULL.
 * Every file must be a regular file owned by root or the caller and
 * not writable by group or others.
 *
 * @return 0; HC_ENOTFOUND (no such profile); HC_EPARSE or HC_EINVALID
 * with the file and line in the last error; HC_EUNSAFE when a file's
 * owner or mode is refused.  *out is NULL on failure.
 */
int hc_profile_load(struct hc_profile **out, struct hc_aug *aug,
		    const char *spec, const char *tailoring, const char *dir);

void hc_profile_free(struct hc_profile *profile);

/** The selected rule with this id, or NULL. */
const struct hc_profile_rule *hc_profile_find(const struct hc_profile *profile,
					      const char *id);

/**
 * The resolved profile as text that depends on nothing but its
 * meaning: name, version, tailoring, and each rule's severity,
 * parameters and waiver, rules in table order.  A secret parameter
 * (HC_PARAM_SECRET) with a value is named ("secret NAME"), its value
 * left out.  hc_profile::sha is its hash.
 */
int hc_profile_canonical(struct hc_buf *out, const struct hc_profile *profile);

/** "NAME VERSION", plus " tailored by NAME VERSION" with a tailoring. */
int hc_profile_label(struct hc_buf *out, const struct hc_profile *profile);

/** Keep only rules whose severity is in MASK (bit 1 << severity). */
void hc_profile_keep_severities(struct hc_profile *profile, unsigned int mask);

/**
 * Whether the rule's waiver is in force on day TODAY (YYYY-MM-DD): it
 * has one and TODAY is not after its expiry.
 */
bool hc_waiver_active(const struct hc_waiver *waiver, const char *today);

/**
 * Whether VALUE is one PARAM takes: what its type allows (a BOOL is yes,
 * no, true or false; a PATH absolute, without "." or "..", without
 * control bytes), then its struct hc_valid.  For a TEXTFILE, VALUE is
 * the text.  0, or HC_EINVALID with the last error naming the value and
 * what is allowed.
 */
int hc_param_validate(const struct hc_param *param, const char *value);

/**
 * Read a file a profile depends on (the profile itself, a text file it
 * names) with doas's trust rules.  HC_EUNSAFE when refused.
 */
int hc_profile_read_trusted(struct hc_buf *out, const char *path);

#endif
