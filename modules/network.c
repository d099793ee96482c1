/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Network parameters of the kernel, as sysctl sets them at boot.
 *
 * Two readers set them, with the same files and one difference each way
 * (both observed on Debian 12: procps 4.0.2, systemd 252):
 *   - `sysctl --system` (procps: the sysvinit boot and an administrator)
 *     lists the *.conf names of /etc/sysctl.d, /run/sysctl.d,
 *     /usr/local/lib/sysctl.d, /usr/lib/sysctl.d and /lib/sysctl.d, a
 *     name in an earlier directory hiding the same name in a later one,
 *     reads them sorted by name, names starting with "." included, then
 *     /etc/sysctl.conf once more, last;
 *   - systemd-sysctl (the systemd boot) reads the same list without the
 *     "." names and without the final /etc/sysctl.conf (Debian and Red
 *     Hat reach that file through the 99-sysctl.conf link).
 * A drop-in that is a symlink is read through it; a link to /dev/null
 * (or an empty file) masks its name.  "-net.x" is the key "net.x" (the
 * dash only silences a failure), and "net/x" is "net.x".  The last value
 * a reader reads wins; a PASS needs both readers to end on the value.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "hardctl/aug.h"
#include "hardctl/ctx.h"
#include "hardctl/file.h"
#include "hardctl/finding.h"
#include "hardctl/root.h"
#include "kv.h"
#include "modules.h"

#define SYSCTL_LENS "Hardctl_Sysctl.lns"
#define SYSCTL_CONF "/etc/sysctl.conf"
#define SYSCTL_D "/etc/sysctl.d"
/* "99-" and a name sorting after the packages' own 99-* drop-ins. */
#define SYSCTL_DROPIN "/etc/sysctl.d/99-hardctl.conf"
/* Links followed before giving up, as the kernel's MAXSYMLINKS. */
#define SYSCTL_MAXLINKS 40

static const char *const sysctl_dirs[] = {
    "/etc/sysctl.d",     "/run/sysctl.d", "/usr/local/lib/sysctl.d",
    "/usr/lib/sysctl.d", "/lib/sysctl.d", NULL,
};
/* procps lists every name ending in ".conf", hidden ones too. */
static const char *const sysctl_globs[] = {"*.conf", ".*.conf", ".conf", NULL};

enum reader {
	READER_PROCPS = 1u << 0,  /* sysctl --system */
	READER_SYSTEMD = 1u << 1, /* systemd-sysctl */
};

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

/* A *.conf name found in one of the directories. */
struct entry {
	char *path;
	size_t dir; /* index in sysctl_dirs: an earlier one hides a later one */
};

static int by_name(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;
	int c = strcmp(base_name(x->path), base_name(y->path));

	return c ? c : (x->dir > y->dir) - (x->dir < y->dir);
}

/* One file in the readers' order. */
struct conf {
	char *path;           /* the file read: a link's final target */
	char *name;           /* as listed: "/etc/sysctl.d/99-sysctl.conf" */
	unsigned int readers; /* enum reader bits */
};

struct conf_list {
	struct conf *v;
	size_t n, alloc;
	/*
	 * Whether a sysctl.d directory exists, as systemd's package ships
	 * them: without one, systemd-sysctl reads nothing here (a host of
	 * the sysvinit era) and only procps is judged.
	 */
	bool systemd;
};

static void conf_list_release(struct conf_list *list)
{
	for (size_t i = 0; i < list->n; i++) {
		free(list->v[i].path);
		free(list->v[i].name);
	}
	free(list->v);
	memset(list, 0, sizeof(*list));
}

static int conf_list_push(struct conf_list *list, char *path, const char *name,
			  unsigned int readers)
{
	struct conf *c;

	if (list->n == list->alloc) {
		size_t alloc = list->alloc ? list->alloc * 2 : 16;
		struct conf *v = reallocarray(list->v, alloc, sizeof(*v));

		if (v == NULL) {
			free(path);
			return hc_error_oom();
		}
		list->v = v;
		list->alloc = alloc;
	}
	c = &list->v[list->n];
	c->path = path;
	c->readers = readers;
	if ((c->name = hc_strdup(name)) == NULL) {
		free(path);
		return HC_ERROR;
	}
	list->n++;
	return 0;
}

/* TARGET, read from a link in the directory of LINK, as an absolute, clean
 * path. */
static int link_target(struct hc_buf *out, const char *link, const char *target)
{
	struct hc_buf whole = HC_BUF_INIT;
	int error;

	if (target[0] == '/')
		error = hc_buf_puts(&whole, target);
	else
		error = hc_buf_printf(&whole, "%.*s/%s",
				      (int)(base_name(link) - link - 1), link,
				      target);
	if (error == 0)
		error = hc_path_clean(out, whole.ptr);
	hc_buf_release(&whole);
	return error;
}

/*
 * The regular file PATH reads as, following links inside ROOT, in *out
 * (caller frees); NULL when it reads as nothing: a link to /dev/null or
 * to nothing, a directory, a device.
 */
static int resolve(char **out, struct hc_ctx *ctx, const char *path)
{
	struct hc_buf cur = HC_BUF_INIT, next = HC_BUF_INIT,
		      target = HC_BUF_INIT;
	int error;

	*out = NULL;
	if ((error = hc_buf_puts(&cur, path)) < 0)
		goto out;
	/* Each hop as the plan leaves it: a file or a link a rule made in
	 * memory counts. */
	for (int hops = 0; hops <= SYSCTL_MAXLINKS; hops++) {
		struct stat st;

		error = hc_ctx_lstat(&st, ctx, cur.ptr);
		if (error == HC_ENOTFOUND) {
			hc_error_clear();
			error = 0;
			goto out;
		}
		if (error < 0 || !S_ISLNK(st.st_mode)) {
			if (error == 0 && S_ISREG(st.st_mode) &&
			    (*out = hc_buf_detach(&cur)) == NULL)
				error = HC_ERROR;
			goto out;
		}
		hc_buf_clear(&target);
		if ((error = hc_ctx_readlink(&target, ctx, cur.ptr)) < 0 ||
		    strcmp(hc_buf_cstr(&target), "/dev/null") == 0)
			goto out;
		if ((error = link_target(&next, cur.ptr,
					 hc_buf_cstr(&target))) < 0 ||
		    (error = hc_buf_set(&cur, next.ptr, next.size)) < 0)
			goto out;
	}
out:
	hc_buf_release(&target);
	hc_buf_release(&cur);
	hc_buf_release(&next);
	return error;
}

/*
 * Append the *.conf names of directory D (sysctl_dirs[D]) to FOUND, and
 * an entry for each to *all (*n of them so far).  *exists tells whether
 * the directory exists.
 */
static int list_dir(struct entry **all, size_t *n, bool *exists,
		    struct hc_strlist *found, struct hc_ctx *ctx, size_t d)
{
	struct hc_buf pattern = HC_BUF_INIT;
	struct stat st;
	int error = hc_ctx_lstat(&st, ctx, sysctl_dirs[d]);

	if (error == 0) {
		*exists = true;
	} else if (error == HC_ENOTFOUND) {
		hc_error_clear();
		error = 0;
	}
	for (const char *const *g = sysctl_globs; *g && error == 0; g++) {
		struct entry *v;

		hc_buf_clear(&pattern);
		if ((error = hc_buf_printf(&pattern, "%s/%s", sysctl_dirs[d],
					   *g)) < 0 ||
		    (error = hc_ctx_glob(found, ctx, pattern.ptr)) < 0 ||
		    found->n == *n)
			continue;
		if ((v = reallocarray(*all, found->n, sizeof(*v))) == NULL) {
			error = hc_error_oom();
			break;
		}
		*all = v;
		for (; *n < found->n; (*n)++) {
			v[*n].path = found->v[*n];
			v[*n].dir = d;
		}
	}
	hc_buf_release(&pattern);
	return error;
}

/*
 * The files the readers read, in their order: sorting the names costs
 * n log n, and each name is looked at once, whatever the number of
 * drop-ins.
 */
static int sysctl_files(struct conf_list *out, struct hc_ctx *ctx)
{
	struct hc_strlist found = HC_STRLIST_INIT;
	struct entry *all = NULL;
	size_t n = 0;
	char *path = NULL;
	int error = 0;

	for (size_t d = 0; sysctl_dirs[d] && error == 0; d++)
		error = list_dir(&all, &n, &out->systemd, &found, ctx, d);
	if (error < 0)
		goto out;
	if (n > 0)
		qsort(all, n, sizeof(*all), by_name);
	for (size_t i = 0; i < n && error == 0; i++) {
		const char *name = base_name(all[i].path);

		if (i > 0 && strcmp(name, base_name(all[i - 1].path)) == 0)
			continue; /* hidden by its name in an earlier directory
				   */
		if ((error = resolve(&path, ctx, all[i].path)) < 0 ||
		    path == NULL)
			continue;
		error = conf_list_push(out, path, all[i].path,
				       name[0] == '.'
					   ? READER_PROCPS
					   : READER_PROCPS | READER_SYSTEMD);
		path = NULL;
	}
	/* procps reads /etc/sysctl.conf last when it is a file, or a link to
	 * one. */
	if (error == 0 && (error = resolve(&path, ctx, SYSCTL_CONF)) == 0 &&
	    path) {
		error = conf_list_push(out, path, SYSCTL_CONF, READER_PROCPS);
		path = NULL;
	}
out:
	free(path);
	free(all);
	hc_strlist_release(&found);
	if (error < 0)
		conf_list_release(out);
	return error;
}

/* Where a reader takes KEY's value from. */
struct source {
	struct hc_file *file; /* NULL: set nowhere */
	char *node;
	const char *value; /* NULL: a "-key" line without a value cancels it */
	const struct conf *conf;
};

/* What each reader makes of one key. */
struct judged {
	struct source procps, systemd;
};

/* sysctl accepts "net/ipv4/ip_forward" for "net.ipv4.ip_forward", and "-"
 * before it. */
static bool same_key(const char *label, const char *key)
{
	const char *a = label[0] == '-' ? label + 1 : label, *b = key;

	for (; *a && *b; a++, b++)
		if (*a != *b &&
		    !((*a == '/' || *a == '.') && (*b == '/' || *b == '.')))
			return false;
	return *a == *b;
}

static void judged_release(struct judged *j, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(j[i].procps.node);
		free(j[i].systemd.node);
	}
	memset(j, 0, n * sizeof(*j));
}

static int source_set(struct source *src, struct hc_file *file,
		      const char *node, const char *value,
		      const struct conf *conf)
{
	free(src->node);
	src->file = file;
	src->value = value;
	src->conf = conf;
	return (src->node = hc_strdup(node)) == NULL ? HC_ERROR : 0;
}

/*
 * One line of FILE (in CONF) for every key it names: procps skips a line
 * without "=", systemd-sysctl takes "-key" alone as "do not set key".
 */
static int read_line(struct judged *out, const char *const *keys,
		     struct hc_file *file, const struct conf *conf,
		     const struct hc_aug_children *kids, size_t i)
{
	const char *label = kids->label[i], *value = kids->value[i];
	char *node = NULL;
	int error = 0;

	if (label == NULL || label[0] == '#')
		return 0;
	for (size_t k = 0; keys[k] && error == 0; k++) {
		if (!same_key(label, keys[k]))
			continue;
		/* Named only for a key asked for: most lines are not. */
		if (node == NULL &&
		    (error = hc_aug_child_path(&node, kids, i)) < 0)
			break;
		if (value && (conf->readers & READER_PROCPS))
			error =
			    source_set(&out[k].procps, file, node, value, conf);
		if (error == 0 && (conf->readers & READER_SYSTEMD) &&
		    (value || label[0] == '-'))
			error = source_set(&out[k].systemd, file, node, value,
					   conf);
	}
	free(node);
	return error;
}

/*
 * What both readers make of each of KEYS (NULL-terminated; OUT has one
 * slot per key), reading every file once.  *any is false when no file
 * exists at all.  CONFS keeps the files the sources point at.
 */
static int lookup(struct judged *out, bool *any, struct conf_list *confs,
		  struct hc_ctx *ctx, const char *const *keys)
{
	int error;

	*any = false;
	if ((error = sysctl_files(confs, ctx)) < 0)
		return error;
	for (size_t i = 0; i < confs->n && error == 0; i++) {
		struct hc_aug_children kids;
		struct hc_file *file;

		if ((error = hc_ctx_file(&file, ctx, confs->v[i].path,
					 SYSCTL_LENS, HC_FILE_OPTIONAL)) < 0 ||
		    file == NULL)
			continue;
		*any = true;
		if ((error = hc_file_children(&kids, file)) < 0)
			break;
		for (size_t n = 0; n < kids.n && error == 0; n++)
			error =
			    read_line(out, keys, file, &confs->v[i], &kids, n);
		hc_aug_children_release(&kids);
	}
	for (size_t k = 0; keys[k] && error == 0 && !confs->systemd; k++)
		if (out[k].procps.file)
			error =
			    source_set(&out[k].systemd, out[k].procps.file,
				       out[k].procps.node, out[k].procps.value,
				       out[k].procps.conf);
	return error;
}

static size_t count_keys(const char *const *keys)
{
	size_t n = 0;

	while (keys[n])
		n++;
	return n;
}

static bool holds(const struct source *src, const char *want)
{
	return src->file && src->value && strcmp(src->value, want) == 0;
}

/* One reader's value of KEY as evidence or a failure; WHO names the reader, or
 * NULL. */
static int judge(struct hc_finding *out, const struct source *src,
		 const char *key, const char *want, const char *who)
{
	struct hc_buf found = HC_BUF_INIT, expected = HC_BUF_INIT;
	int error;

	if (src->file && src->value)
		error = hc_buf_printf(&found, "%s = %s", key, src->value);
	else if (src->file)
		error = hc_buf_printf(
		    &found, "%s not set: \"-%s\" cancels it (kernel default)",
		    key, key);
	else
		error =
		    hc_buf_printf(&found, "%s not set (kernel default)", key);
	if (error == 0 && who)
		error = hc_buf_printf(&found, " for %s", who);
	if (error < 0 ||
	    (error = hc_buf_printf(&expected, "%s = %s", key, want)) < 0)
		goto out;
	if (holds(src, want))
		error = hc_finding_evidence(out, src->file->path,
					    hc_file_line(src->file, src->node),
					    found.ptr, NULL);
	else
		error = hc_finding_fail(
		    out, src->file ? src->file->path : SYSCTL_CONF,
		    src->file ? hc_file_line(src->file, src->node) : 0,
		    found.ptr, expected.ptr);
out:
	hc_buf_release(&found);
	hc_buf_release(&expected);
	return error;
}

static bool same_source(const struct source *a, const struct source *b)
{
	return a->file == b->file &&
	       (a->node == b->node ||
		(a->node && b->node && strcmp(a->node, b->node) == 0));
}

static int network_check(struct hc_finding *out, struct hc_ctx *ctx,
			 const struct hc_rule *rule)
{
	const char *want = hc_ctx_param(ctx, rule, "value");
	const char *const *keys = rule->data;
	size_t nkeys = count_keys(keys);
	struct conf_list confs = {0};
	struct judged *j = calloc(nkeys + 1, sizeof(*j));
	bool any;
	int error;

	if (j == NULL)
		return hc_error_oom();
	if ((error = lookup(j, &any, &confs, ctx, keys)) < 0)
		goto out;
	if (!any) {
		error = hc_finding_na(out, "no %s and no %s/*.conf",
				      SYSCTL_CONF, SYSCTL_D);
		goto out;
	}
	for (size_t k = 0; k < nkeys && error == 0; k++) {
		if (same_source(&j[k].procps, &j[k].systemd))
			error = judge(out, &j[k].systemd, keys[k], want, NULL);
		else if ((error = judge(out, &j[k].systemd, keys[k], want,
					"systemd-sysctl")) == 0)
			error = judge(out, &j[k].procps, keys[k], want,
				      "sysctl --system");
	}
out:
	judged_release(j, nkeys);
	free(j);
	conf_list_release(&confs);
	return error;
}

/* Whether PATH is under one of the directories an administrator edits. */
static bool editable(const char *path)
{
	static const char *const dirs[] = {"/etc/", "/run/", "/usr/local/lib/",
					   NULL};

	for (const char *const *d = dirs; *d; d++)
		if (strncmp(path, *d, strlen(*d)) == 0)
			return true;
	return false;
}

/* A key set nowhere: hardctl's drop-in when /etc/sysctl.d exists, else
 * /etc/sysctl.conf. */
static int add_setting(struct hc_ctx *ctx, const char *key, const char *want)
{
	struct hc_file *file;
	struct stat st;
	bool dropin = false;
	int error = hc_ctx_lstat(&st, ctx, SYSCTL_D);

	if (error == 0) {
		dropin = S_ISDIR(st.st_mode);
	} else if (error == HC_ENOTFOUND) {
		hc_error_clear();
		error = 0;
	}
	if (error == 0 && (error = hc_ctx_file(
			       &file, ctx, dropin ? SYSCTL_DROPIN : SYSCTL_CONF,
			       SYSCTL_LENS, dropin ? HC_FILE_CREATE : 0)) == 0)
		error = kv_set(file, key, want, 0);
	return error;
}

/* LABEL as a step of an Augeas path: a key may hold "/"
 * ("net/ipv4/ip_forward"). */
static int path_step(struct hc_buf *out, const char *label)
{
	int error = 0;

	hc_buf_clear(out);
	for (const char *p = label; *p && error == 0; p++)
		error =
		    *p == '/' ? hc_buf_puts(out, "\\/") : hc_buf_put(out, p, 1);
	if (error == 0)
		error = hc_buf_puts(out, "[last()+1]");
	return error;
}

/*
 * A package's file sets the key wrong: write the file of the same name
 * in /etc/sysctl.d, which sysctl then reads instead, holding the
 * package's lines with SRC's line fixed.
 */
static int shadow_package_file(struct hc_ctx *ctx, const struct source *src,
			       const char *want)
{
	struct hc_strlist nodes = HC_STRLIST_INIT;
	struct hc_aug_children kids = {0};
	struct hc_buf path = HC_BUF_INIT, step = HC_BUF_INIT;
	struct hc_file *to;
	int error;

	if (strncmp(src->conf->name, SYSCTL_D "/", strlen(SYSCTL_D) + 1) == 0) {
		hc_error_set_at(
		    src->conf->name, 0,
		    "is a link to %s, a package's file setting the key: "
		    "replace the link with a copy to change it",
		    src->file->path);
		return hc_error_set_code(HC_EUNSAFE);
	}
	if ((error = hc_buf_printf(&path, "%s/%s", SYSCTL_D,
				   base_name(src->conf->name))) < 0 ||
	    (error = hc_ctx_file(&to, ctx, path.ptr, SYSCTL_LENS,
				 HC_FILE_CREATE)) < 0)
		goto out;
	/* Made for another key this round: the next round edits it in place. */
	if (hc_file_present(to))
		goto out;
	if ((error = hc_buf_printf(
		 &step, "hardctl: replaces %s, which sysctl reads no more",
		 src->conf->name)) < 0 ||
	    (error = hc_file_set(to, "#comment[last()+1]", step.ptr)) < 0 ||
	    (error = hc_file_match(&nodes, src->file, "*")) < 0 ||
	    (error = hc_file_children(&kids, src->file)) < 0)
		goto out;
	if (kids.n != nodes.n) {
		hc_error_set_at(src->file->display, 0,
				"its tree changed while it was read");
		error = HC_ERROR;
		goto out;
	}
	for (size_t n = 0; n < nodes.n && error == 0; n++) {
		const char *label = kids.label[n], *value = kids.value[n];

		if (label == NULL || (error = path_step(&step, label)) < 0)
			continue;
		if (strcmp(nodes.v[n], src->node) == 0)
			value = want;
		/*
		 * "KEY =" has no form the lens can write from scratch: copied
		 * as KEY alone, which neither reader assigns either.
		 */
		if (value && value[0] == '\0')
			value = NULL;
		error = hc_file_set(to, step.ptr, value);
	}
out:
	hc_aug_children_release(&kids);
	hc_strlist_release(&nodes);
	hc_buf_release(&path);
	hc_buf_release(&step);
	return error;
}

/*
 * Set NODE to WANT.  The lens reads "KEY =" with a nameless child, which
 * only the empty value renders with: such a node is replaced by a new
 * one, made under a scratch label and renamed to the key.
 */
static int set_value(struct hc_file *file, const char *node, const char *want)
{
	const char *value, *label;
	char *key = NULL;
	int error;

	if ((error = hc_file_get(&value, file, node)) < 0)
		return error;
	if (value == NULL || value[0] != '\0')
		return hc_file_set(file, node, want);
	if ((label = hc_file_label(file, node)) == NULL ||
	    (key = hc_strdup(label)) == NULL)
		return HC_ERROR;
	if ((error = hc_file_insert(file, node, "hardctl-new", true)) == 0 &&
	    (error = hc_file_set(file, "hardctl-new", want)) == 0 &&
	    (error = hc_file_rm(file, node)) == 0)
		error = hc_file_rename(file, "hardctl-new", key);
	free(key);
	return error;
}

/* Make the value SRC stands for WANT where the reader reads it. */
static int fix(struct hc_ctx *ctx, const struct source *src, const char *key,
	       const char *want)
{
	if (src->file == NULL)
		return add_setting(ctx, key, want);
	if (editable(src->file->path))
		return set_value(src->file, src->node, want);
	return shadow_package_file(ctx, src, want);
}

/*
 * Each reader's source of each key is fixed where it stands: a line
 * under /etc, /run or /usr/local/lib is edited in place; a package's
 * line is overridden by a file of the same name in /etc/sysctl.d; a key
 * set nowhere is added.  Each fix can change what a reader reads, so
 * the lookup runs again until both readers hold the value; a few rounds
 * are enough (one per reader, one for a copied file), more mean a bug.
 */
static int network_remediate(struct hc_ctx *ctx, const struct hc_rule *rule)
{
	const char *want = hc_ctx_param(ctx, rule, "value");
	const char *const *keys = rule->data;
	size_t nkeys = count_keys(keys);
	struct judged *j = calloc(nkeys + 1, sizeof(*j));
	int error = 0;

	if (j == NULL)
		return hc_error_oom();
	for (int round = 0; round < 4 && error == 0; round++) {
		struct conf_list confs = {0};
		bool any, done = true;

		judged_release(j, nkeys);
		if ((error = lookup(j, &any, &confs, ctx, keys)) < 0) {
			conf_list_release(&confs);
			break;
		}
		for (size_t k = 0; k < nkeys && error == 0; k++) {
			const struct source *bad =
			    !holds(&j[k].systemd, want)  ? &j[k].systemd
			    : !holds(&j[k].procps, want) ? &j[k].procps
							 : NULL;

			if (bad) {
				done = false;
				error = fix(ctx, bad, keys[k], want);
			}
		}
		conf_list_release(&confs);
		if (done)
			goto out;
	}
	if (error == 0) {
		hc_error_set(
		    "%s: sysctl still reads another value after 4 rounds",
		    rule->id);
		error = HC_ERROR;
	}
out:
	judged_release(j, nkeys);
	free(j);
	return error;
}

/* What `explain` lists: every file either reader may read. */
static const char *const sysctl_rule_files[] = {
    "/etc/sysctl.d/*.conf",
    "/run/sysctl.d/*.conf",
    "/usr/local/lib/sysctl.d/*.conf",
    "/usr/lib/sysctl.d/*.conf",
    "/lib/sysctl.d/*.conf",
    SYSCTL_CONF,
    NULL,
};

/* Designated initializers and string pasting cannot take parentheses. */
/* NOLINTBEGIN(bugprone-macro-parentheses) */
#define NETWORK_RULE(rid, rtitle, sev, why, refs_, keys, def, max)             \
	{                                                                      \
		.id = rid, .title = rtitle, .severity = sev, .rationale = why, \
		.refs = refs_,                                                 \
		.params =                                                      \
		    (const struct hc_param[]){                                 \
			{"value", HC_PARAM_STRING, def,                        \
			 "the value every key takes",                          \
			 HC_VALID_RANGE(                                       \
			     0, max,                                           \
			     "0 to " #max                                      \
			     ", as the kernel documents the keys")},           \
			{NULL, HC_PARAM_STRING, NULL, NULL, NULL},             \
		    },                                                         \
		.owns = (const char *const[]){"sysctl:" rid, NULL},            \
		.files = sysctl_rule_files, .data = keys,                      \
		.check = network_check, .remediate = network_remediate,        \
	}
/* NOLINTEND(bugprone-macro-parentheses) */

static const char *const accept_redirects[] = {
    "net.ipv4.conf.all.accept_redirects",
    "net.ipv4.conf.default.accept_redirects",
    "net.ipv4.conf.all.secure_redirects",
    "net.ipv4.conf.default.secure_redirects",
    "net.ipv6.conf.all.accept_redirects",
    "net.ipv6.conf.default.accept_redirects",
    NULL,
};
static const char *const send_redirects[] = {
    "net.ipv4.conf.all.send_redirects",
    "net.ipv4.conf.default.send_redirects",
    NULL,
};
static const char *const source_route[] = {
    "net.ipv4.conf.all.accept_source_route",
    "net.ipv4.conf.default.accept_source_route",
    "net.ipv6.conf.all.accept_source_route",
    "net.ipv6.conf.default.accept_source_route",
    NULL,
};
static const char *const syncookies[] = {"net.ipv4.tcp_syncookies", NULL};
static const char *const rp_filter[] = {
    "net.ipv4.conf.all.rp_filter",
    "net.ipv4.conf.default.rp_filter",
    NULL,
};

static const struct hc_rule rules[] = {
    NETWORK_RULE(
	"network.accept-redirects", "ICMP redirects are not accepted",
	HC_CAT_II,
	"A forged ICMP redirect reroutes the host's traffic through an "
	"attacker.",
	((const char *const[]){"RHEL 8 STIG V-230535", "RHEL 8 STIG V-230540",
			       NULL}),
	accept_redirects, "0", 1),
    NETWORK_RULE("network.send-redirects", "ICMP redirects are not sent",
		 HC_CAT_II,
		 "Only a router sends redirects; a host that does reveals "
		 "routing information.",
		 ((const char *const[]){"RHEL 8 STIG V-230536",
					"RHEL 8 STIG V-230543", NULL}),
		 send_redirects, "0", 1),
    NETWORK_RULE("network.source-route", "source-routed packets are refused",
		 HC_CAT_II,
		 "Source routing lets a sender choose the path through the "
		 "host, past filters.",
		 ((const char *const[]){"RHEL 8 STIG V-230538",
					"RHEL 8 STIG V-230539", NULL}),
		 source_route, "0", 1),
    NETWORK_RULE("network.syncookies", "TCP SYN cookies are on", HC_CAT_II,
		 "SYN cookies keep the host answering during a SYN flood.",
		 NULL, syncookies, "1", 2),
    NETWORK_RULE("network.rp-filter",
		 "reverse-path filtering drops spoofed sources", HC_CAT_II,
		 "Strict reverse-path filtering drops packets whose source "
		 "address could not be reached through the interface they "
		 "came in on.",
		 NULL, rp_filter, "1", 2),
    {.id = NULL},
};

const struct hc_module hc_module_network = {
    .version = HC_MODULE_VERSION,
    .name = "network",
    .description = "kernel network parameters (sysctl)",
    .rules = rules,
};
