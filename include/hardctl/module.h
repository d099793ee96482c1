/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What a module is: a named set of rules.  A rule's metadata (id, title,
 * severity, rationale, references, parameters, the settings it owns)
 * lives in code beside the functions that check and remediate it; a
 * profile only selects rules and sets their parameters.
 */
#ifndef HARDCTL_MODULE_H
#define HARDCTL_MODULE_H

#include <stdbool.h>
#include <stddef.h>

struct hc_ctx;
struct hc_finding;

/** Bumped when struct hc_module or struct hc_rule change incompatibly. */
#define HC_MODULE_VERSION 1

/** STIG categories: CAT I is the most severe. */
enum hc_severity {
	HC_SEVERITY_NONE = 0,
	HC_CAT_I = 1,
	HC_CAT_II = 2,
	HC_CAT_III = 3,
};

enum hc_param_type {
	HC_PARAM_STRING,
	/*
	 * A file name, relative to the profile that names it; the profile
	 * loader reads it with the profile's own trust checks, and the
	 * rule sees its contents.
	 */
	HC_PARAM_TEXTFILE,
	HC_PARAM_BOOL,
	/*
	 * A path (or glob) on the managed system: absolute, and without
	 * "." or ".." components, so it names one place under ROOT.
	 */
	HC_PARAM_PATH,
	/*
	 * A string that is a secret (a community, a passphrase): every
	 * output masks its value, and the profile digest leaves it out.
	 */
	HC_PARAM_SECRET,
};

/**
 * A policy setting a rule fixes to the value of one of its parameters.
 * Rules may share one (login.defs's PASS_MAX_DAYS and the aging of the
 * accounts /etc/shadow holds are one maximum age); a profile that gives
 * them different values is refused when loaded.
 */
struct hc_setting {
	const char *name;  /* "password maximum age" */
	const char *param; /* the parameter holding its value */
};

/** How a parameter's value is judged beyond its type (struct hc_valid). */
enum hc_valid_kind {
	HC_VALID_INT = 1, /* a decimal integer from min to max */
	HC_VALID_CHOICE,  /* one of choices (nocase: in any case) */
	HC_VALID_WORDS,   /* min to max words, space-separated, of word_bytes */
	HC_VALID_FN,      /* fn decides */
};

/**
 * The values a parameter may take, checked when a profile or a
 * tailoring file loads, so that a value the reader of the file would
 * refuse, misread or silently replace is an error naming the profile's
 * file and line instead of a line written to the host.
 */
struct hc_valid {
	enum hc_valid_kind kind;
	long long min, max;         /* INT: bounds; WORDS: how many words */
	const char *const *choices; /* CHOICE: NULL-terminated */
	/*
	 * CHOICE: values the reader knows but the profile's stance refuses
	 * (a weak hash), NULL-terminated; may be NULL.
	 */
	const char *const *refused;
	bool nocase;            /* CHOICE: the reader ignores case */
	const char *word_bytes; /* WORDS: bytes a word may hold besides letters
				   and digits */
	/* FN: 0, or HC_EINVALID with the last error saying why. */
	int (*fn)(const char *value);
	const char *allowed; /* the allowed values, as the error says them */
};

struct hc_param {
	const char *name;
	enum hc_param_type type;
	const char *
	    def; /* default; for a TEXTFILE, relative to the shipped profiles */
	const char *help;
	/* Appended: what values it takes beyond its type; NULL: any. */
	const struct hc_valid *valid;
};

/** An integer parameter from LO to HI, described as WHAT in errors. */
#define HC_VALID_RANGE(lo, hi, what)                                           \
	(&(const struct hc_valid){.kind = HC_VALID_INT,                        \
				  .min = (lo),                                 \
				  .max = (hi),                                 \
				  .allowed = (what)})

enum hc_rule_flags {
	/* The rule checks and reports; no remediation exists. */
	HC_RULE_REPORT_ONLY = 1u << 0,
};

struct hc_rule {
	const char *id;    /* "<module>.<name>", stable: profiles name it */
	const char *title; /* what holds when the rule passes */
	enum hc_severity severity;
	const char *rationale;
	const char *const *refs;       /* STIG/CIS ids; NULL-terminated */
	const struct hc_param *params; /* terminated by a NULL name */
	const char *const *owns; /* "file-kind:setting"; NULL-terminated */
	const struct hc_setting
	    *sets; /* policy settings; NULL name ends; may be NULL */
	const char *const
	    *files;         /* files it reads, may change; NULL-terminated */
	unsigned int flags; /* enum hc_rule_flags */
	const void *data;   /* the module's own, for shared hooks */
	/*
	 * A report-only rule (remediate NULL): what to do by hand to make
	 * it pass, as check and explain say it.  NULL: not written.
	 */
	const char *manual;

	/*
	 * Read the trees through hc_ctx_file() and fill OUT's status and
	 * evidence.  Never edits.  Returns 0, or a negative code (a file
	 * that does not parse: HC_EPARSE) with the last error set.
	 */
	int (*check)(struct hc_finding *out, struct hc_ctx *ctx,
		     const struct hc_rule *rule);

	/*
	 * Edit the in-memory trees (only through the hc_file_* helpers) so
	 * that check passes.  Never touches the disk; the core renders and
	 * records what changed.  NULL for a report-only rule.
	 */
	int (*remediate)(struct hc_ctx *ctx, const struct hc_rule *rule);
};

/**
 * Where a line of some files holds a secret, for the core's masking
 * (hardctl/mask.h): FIND answers whether LINE (SIZE bytes, no newline)
 * holds one and where it stands, *START and *LEN.
 */
struct hc_line_secret {
	/* fnmatch(3) pattern of the paths (relative to ROOT, no leading /);
	 * "*": any */
	const char *pattern;
	bool (*find)(const char **start, size_t *len, const char *line,
		     size_t size);
};

struct hc_module {
	unsigned int version; /* HC_MODULE_VERSION */
	const char *name;
	const char *description;
	const struct hc_rule *rules; /* terminated by a NULL id */
	/* Appended: the secrets its files' syntax carries; NULL pattern ends;
	 * may be NULL. */
	const struct hc_line_secret *secrets;
};

/** The modules built in, NULL-terminated (src/module_table.c). */
extern const struct hc_module *const hc_modules[];

/**
 * Find a rule by id.  Returns it, with its module in *module (may be
 * NULL), or NULL.
 */
const struct hc_rule *hc_rule_find(const struct hc_module **module,
				   const char *id);

/** The index of parameter NAME of RULE, or -1. */
int hc_rule_param_index(const struct hc_rule *rule, const char *name);

/** What to do by hand where RULE fails and apply does not fix it. */
const char *hc_rule_manual(const struct hc_rule *rule);

/** "CAT I", "CAT II", "CAT III". */
const char *hc_severity_name(enum hc_severity severity);

/**
 * Parse "CAT-I", "CAT I", "cat i" or "I" (and II, III).
 * Returns 0 or HC_EINVALID with the last error set.
 */
int hc_severity_parse(enum hc_severity *out, const char *str);

#endif
