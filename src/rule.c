/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Rule lookup and severities.
 */
#include <string.h>
#include <strings.h>
#include "hardctl/common.h"
#include "hardctl/module.h"

const struct hc_rule *hc_rule_find(const struct hc_module **module,
				   const char *id)
{
	for (size_t m = 0; hc_modules[m]; m++) {
		for (const struct hc_rule *r = hc_modules[m]->rules; r->id;
		     r++) {
			if (strcmp(r->id, id) == 0) {
				if (module)
					*module = hc_modules[m];
				return r;
			}
		}
	}
	return NULL;
}

int hc_rule_param_index(const struct hc_rule *rule, const char *name)
{
	if (rule->params == NULL)
		return -1;
	for (int i = 0; rule->params[i].name; i++)
		if (strcmp(rule->params[i].name, name) == 0)
			return i;
	return -1;
}

const char *hc_rule_manual(const struct hc_rule *rule)
{
	return rule->manual ? rule->manual : "fix it by hand";
}

const char *hc_severity_name(enum hc_severity severity)
{
	switch (severity) {
	case HC_CAT_I:
		return "CAT I";
	case HC_CAT_II:
		return "CAT II";
	case HC_CAT_III:
		return "CAT III";
	case HC_SEVERITY_NONE:
		break;
	}
	return "none";
}

int hc_severity_parse(enum hc_severity *out, const char *str)
{
	const char *p = str;

	if (strncasecmp(p, "CAT", 3) == 0) {
		p += 3;
		if (*p == '-' || *p == ' ')
			p++;
	}
	if (strcasecmp(p, "I") == 0)
		*out = HC_CAT_I;
	else if (strcasecmp(p, "II") == 0)
		*out = HC_CAT_II;
	else if (strcasecmp(p, "III") == 0)
		*out = HC_CAT_III;
	else {
		hc_error_set(
		    "unknown severity '%s' (expected CAT-I, CAT-II or CAT-III)",
		    str);
		return hc_error_set_code(HC_EINVALID);
	}
	return 0;
}
