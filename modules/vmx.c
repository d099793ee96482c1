/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The virtual machines the host runs: isolation and device settings in
 * each one's configuration file (NAME.vmx, lines of KEY = "VALUE"),
 * found through a glob parameter.  Keys are case-insensitive to VMware;
 * values such as "TRUE" too.  A running virtual machine reads its file
 * when it powers on: the change takes effect at its next power cycle.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "hardctl/ctx.h"
#include "hardctl/file.h"
#include "hardctl/finding.h"
#include "kv.h"
#include "modules.h"

#define VMX_LENS "Hardctl_Vmx.lns"
#define VMX_GLOB "/vmfs/volumes/*/*/*.vmx"

/* One setting a rule wants in every .vmx. */
struct vmx_want {
	const char
	    *key; /* with per_device, what follows the device: ".present" */
	const char *value; /* the value wanted, or NULL: the parameter's */
	const char *param;
	bool bound;      /* a positive number no greater than the wanted one */
	bool per_device; /* once for each device of the parameter */
};

/* The settings as this profile wants them: keys and values, in step. */
static int wanted(struct hc_strlist *keys, struct hc_strlist *values,
		  struct hc_ctx *ctx, const struct hc_rule *rule)
{
	struct hc_buf key = HC_BUF_INIT;
	char *list = NULL, *dev, *save = NULL;
	int error = 0;

	for (const struct vmx_want *w = rule->data; w->key && error == 0; w++) {
		const char *value =
		    w->value ? w->value : hc_ctx_param(ctx, rule, w->param);

		if (!w->per_device) {
			if ((error = hc_strlist_push(keys, w->key)) == 0)
				error = hc_strlist_push(values, value);
			continue;
		}
		free(list);
		if ((list = hc_strdup(hc_ctx_param(ctx, rule, w->param))) ==
		    NULL)
			return HC_ERROR;
		for (dev = strtok_r(list, " ,", &save); dev && error == 0;
		     dev = strtok_r(NULL, " ,", &save)) {
			hc_buf_clear(&key);
			if ((error = hc_buf_printf(&key, "%s%s", dev,
						   w->key)) == 0 &&
			    (error = hc_strlist_push(keys, key.ptr)) == 0)
				error = hc_strlist_push(values, w->value);
		}
	}
	free(list);
	hc_buf_release(&key);
	return error;
}

static bool bound_ok(const char *have, const char *want)
{
	char *end;
	long h, w;

	if (have == NULL)
		return false;
	h = strtol(have, &end, 10);
	if (*have == '\0' || *end != '\0')
		return false;
	w = strtol(want, &end, 10);
	return h > 0 && h <= w;
}

/* The .vmx files of the parameter's glob; N/A in OUT when there is none. */
static int machines(struct hc_strlist *out, struct hc_finding *finding,
		    struct hc_ctx *ctx, const struct hc_rule *rule)
{
	const char *glob = hc_ctx_param(ctx, rule, "vmx");
	int error;

	if ((error = hc_ctx_glob(out, ctx, glob)) < 0 || out->n > 0 ||
	    finding == NULL)
		return error;
	return hc_finding_na(finding, "no virtual machine: nothing matches %s",
			     glob);
}

/* Whether the last KEY of FILE has the value wanted; its node in *node. */
static int judge(bool *ok, char **node, const char **have, struct hc_file *file,
		 const char *key, const char *want, bool bound)
{
	int error;

	*have = NULL;
	if ((error = kv_find(node, file, key, KV_KEY_NOCASE)) < 0 ||
	    (*node && (error = hc_file_get(have, file, *node)) < 0))
		return error;
	*ok = *node && (bound ? bound_ok(*have, want)
			      : strcasecmp(*have ? *have : "", want) == 0);
	return 0;
}

static bool is_bound(const struct hc_rule *rule, const char *key)
{
	for (const struct vmx_want *w = rule->data; w->key; w++)
		if (w->bound && strcasecmp(w->key, key) == 0)
			return true;
	return false;
}

/* Evidence for KEY of FILE: what is there, and on a failure what is wanted. */
static int key_evidence(struct hc_finding *out, struct hc_file *file,
			const char *key, const char *want, bool bound)
{
	struct hc_buf found = HC_BUF_INIT, expected = HC_BUF_INIT;
	const char *have;
	char *node;
	bool ok;
	int error;

	if ((error = judge(&ok, &node, &have, file, key, want, bound)) < 0)
		return error;
	error =
	    node ? hc_buf_printf(&found, "%s = \"%s\"", key, have ? have : "")
		 : hc_buf_printf(&found, "%s not set", key);
	if (error == 0)
		error =
		    bound ? hc_buf_printf(&expected, "%s between 1 and %s", key,
					  want)
			  : hc_buf_printf(&expected, "%s = \"%s\"", key, want);
	if (error == 0)
		error = (ok ? hc_finding_evidence : hc_finding_fail)(
		    out, file->path, node ? hc_file_line(file, node) : 0,
		    found.ptr, ok ? NULL : expected.ptr);
	free(node);
	hc_buf_release(&found);
	hc_buf_release(&expected);
	return error;
}

static int vmx_check(struct hc_finding *out, struct hc_ctx *ctx,
		     const struct hc_rule *rule)
{
	struct hc_strlist files = HC_STRLIST_INIT, keys = HC_STRLIST_INIT,
			  values = HC_STRLIST_INIT;
	int error;

	if ((error = machines(&files, out, ctx, rule)) < 0 || files.n == 0 ||
	    (error = wanted(&keys, &values, ctx, rule)) < 0)
		goto out;
	if (keys.n == 0) {
		error = hc_finding_na(
		    out, "no device listed as unused (parameter devices)");
		goto out;
	}
	for (size_t f = 0; f < files.n && error == 0; f++) {
		struct hc_file *file;

		if ((error = hc_ctx_file(&file, ctx, files.v[f], VMX_LENS, 0)) <
		    0)
			break;
		for (size_t k = 0; k < keys.n && error == 0; k++)
			error = key_evidence(out, file, keys.v[k], values.v[k],
					     is_bound(rule, keys.v[k]));
	}
out:
	hc_strlist_release(&files);
	hc_strlist_release(&keys);
	hc_strlist_release(&values);
	return error;
}

static int vmx_remediate(struct hc_ctx *ctx, const struct hc_rule *rule)
{
	struct hc_strlist files = HC_STRLIST_INIT, keys = HC_STRLIST_INIT,
			  values = HC_STRLIST_INIT;
	int error;

	if ((error = machines(&files, NULL, ctx, rule)) < 0 ||
	    (error = wanted(&keys, &values, ctx, rule)) < 0)
		goto out;
	for (size_t f = 0; f < files.n && error == 0; f++) {
		struct hc_file *file;

		if ((error = hc_ctx_file(&file, ctx, files.v[f], VMX_LENS, 0)) <
		    0)
			break;
		for (size_t k = 0; k < keys.n && error == 0; k++) {
			const char *have;
			char *node;
			bool ok;

			error = judge(&ok, &node, &have, file, keys.v[k],
				      values.v[k], is_bound(rule, keys.v[k]));
			if (error == 0 && !ok)
				error = kv_set(file, keys.v[k], values.v[k],
					       KV_KEY_NOCASE);
			free(node);
		}
	}
out:
	hc_strlist_release(&files);
	hc_strlist_release(&keys);
	hc_strlist_release(&values);
	return error;
}

#define VMX_PARAM                                                              \
	{                                                                      \
		"vmx", HC_PARAM_PATH, VMX_GLOB,                                \
		    "the virtual machines' .vmx files (a glob)", NULL          \
	}
#define PARAM_END                                                              \
	{                                                                      \
		NULL, HC_PARAM_STRING, NULL, NULL, NULL                        \
	}

static const struct vmx_want copy_paste[] = {
    {.key = "isolation.tools.copy.disable", .value = "TRUE"},
    {.key = "isolation.tools.paste.disable", .value = "TRUE"},
    {.key = "isolation.tools.setGUIOptions.enable", .value = "FALSE"},
    {.key = NULL},
};

static const struct vmx_want devices[] = {
    {.key = ".present",
     .value = "FALSE",
     .param = "devices",
     .per_device = true},
    {.key = NULL},
};

static const struct vmx_want logs[] = {
    {.key = "log.rotateSize", .param = "rotate-size", .bound = true},
    {.key = "log.keepOld", .param = "keep-old", .bound = true},
    {.key = NULL},
};

static const char *const vmx_files[] = {VMX_GLOB, NULL};

static const struct hc_rule rules[] = {
    {
	.id = "vmx.copy-paste",
	.title = "copy and paste between the console and the guest are off",
	.severity = HC_CAT_II,
	.rationale = "The remote console's clipboard is shared with the guest: "
		     "data copied on the administrator's desktop reaches every "
		     "virtual machine whose console is open, and back.",
	.refs =
	    (const char *const[]){
		"vSphere hardening guide VM.disable-console-copy",
		"vSphere hardening guide VM.disable-console-paste",
		"vSphere hardening guide VM.disable-console-gui-options", NULL},
	.params = (const struct hc_param[]){VMX_PARAM, PARAM_END},
	.owns = (const char *const[]){"vmx:isolation.tools", NULL},
	.files = vmx_files,
	.data = copy_paste,
	.check = vmx_check,
	.remediate = vmx_remediate,
    },
    {
	.id = "vmx.unused-devices",
	.title = "devices the profile lists as unused are not present",
	.severity = HC_CAT_II,
	.rationale =
	    "A floppy, serial or parallel port the guest does not need is "
	    "a way in or out of it nobody watches; a device a .vmx does "
	    "not mention may still be present by default.",
	.refs =
	    (const char *const[]){
		"vSphere hardening guide VM.disconnect-devices-floppy",
		"vSphere hardening guide VM.disconnect-devices-serial",
		"vSphere hardening guide VM.disconnect-devices-parallel", NULL},
	.params =
	    (const struct hc_param[]){
		VMX_PARAM,
		{"devices", HC_PARAM_STRING, "floppy0 serial0 parallel0",
		 "the devices no virtual machine uses; empty: the rule does "
		 "not apply",
		 &(const struct hc_valid){.kind = HC_VALID_WORDS,
					  .min = 0,
					  .max = 256,
					  .word_bytes = ":",
					  .allowed =
					      "device names such as floppy0 "
					      "serial0 scsi0:1"}},
		PARAM_END,
	    },
	.owns = (const char *const[]){"vmx:present", NULL},
	.files = vmx_files,
	.data = devices,
	.check = vmx_check,
	.remediate = vmx_remediate,
    },
    {
	.id = "vmx.log-rotation",
	.title = "virtual machine logs are rotated and bounded",
	.severity = HC_CAT_III,
	.rationale =
	    "A guest can make its VMware log grow without end and fill "
	    "the datastore; rotated logs with a bounded number of old ones "
	    "cannot.",
	.refs =
	    (const char *const[]){"vSphere hardening guide VM.limit-log-size",
				  "vSphere hardening guide VM.limit-log-number",
				  NULL},
	.params =
	    (const struct hc_param[]){
		VMX_PARAM,
		{"rotate-size", HC_PARAM_STRING, "100000",
		 "log.rotateSize at most (bytes; 0, never rotate, fails)",
		 HC_VALID_RANGE(1, 2147483647, "1 to 2147483647 bytes")},
		{"keep-old", HC_PARAM_STRING, "10", "log.keepOld at most",
		 HC_VALID_RANGE(1, 1000, "1 to 1000")},
		PARAM_END,
	    },
	.owns = (const char *const[]){"vmx:log", NULL},
	.files = vmx_files,
	.data = logs,
	.check = vmx_check,
	.remediate = vmx_remediate,
    },
    {.id = NULL},
};

const struct hc_module hc_module_vmx = {
    .version = HC_MODULE_VERSION,
    .name = "vmx",
    .description = "the virtual machines' .vmx settings",
    .rules = rules,
};
