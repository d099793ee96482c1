/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * PAM stacks through the Pam lens (see pam.h).
 */
#include <ctype.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include "hardctl/aug.h"
#include "hardctl/ctx.h"
#include "hardctl/file.h"
#include "hardctl/root.h"
#include "pam.h"

int pam_files(struct hc_file **out, size_t *n, size_t max, struct hc_ctx *ctx,
	      const char *const *paths)
{
	*n = 0;
	for (; *paths && *n < max; paths++) {
		struct hc_file *file;
		int error =
		    hc_ctx_file(&file, ctx, *paths, PAM_LENS, HC_FILE_OPTIONAL);

		if (error < 0)
			return error;
		if (file == NULL)
			continue;
		file->validate = pam_validate;
		file->may_edit = pam_may_edit;
		out[(*n)++] = file;
	}
	return 0;
}

#define PAM_DIR "/etc/pam.d/"
#define PAM_VENDOR_DIR "/usr/lib/pam.d/"

/* Names Augeas's Util.stdexcl and the Pam lens's filter leave out: no program
 * runs them. */
static bool backup_name(const char *path)
{
	static const char *const suffixes[] = {
	    "~",         ".rpmnew",   ".rpmsave",   ".dpkg-old",
	    ".dpkg-new", ".dpkg-bak", ".dpkg-dist", ".augsave",
	    ".augnew",   ".bak",      ".old",       NULL};
	const char *base = strrchr(path, '/');
	size_t len;

	base = base ? base + 1 : path;
	len = strlen(base);
	if (base[0] == '#' || strcmp(base, "README") == 0 ||
	    strcmp(base, "allow.pamlist") == 0)
		return true;
	for (const char *const *s = suffixes; *s; s++) {
		size_t n = strlen(*s);

		if (len > n && strcmp(base + len - n, *s) == 0)
			return true;
	}
	return false;
}

static int stacks_push(struct pam_stacks *s, struct hc_file *file)
{
	if (s->n == s->alloc) {
		size_t alloc = s->alloc ? s->alloc * 2 : 16;
		struct hc_file **v =
		    reallocarray(s->v, alloc, sizeof(struct hc_file *));

		if (v == NULL)
			return hc_error_oom();
		s->v = v;
		s->alloc = alloc;
	}
	s->v[s->n++] = file;
	return 0;
}

/* Whether PATH names something other than a directory inside ROOT. */
static int not_dir(bool *out, struct hc_ctx *ctx, const char *path)
{
	struct stat st;
	int error = hc_ctx_lstat(&st, ctx, path);

	*out = false;
	if (error == HC_ENOTFOUND) {
		hc_error_clear();
		return 0;
	}
	if (error < 0)
		return error;
	*out = !S_ISDIR(st.st_mode);
	return 0;
}

/* The path libpam opens for include NAME: absolute, or /etc/pam.d's, else
 * /usr/lib/pam.d's. */
static int include_path(struct hc_buf *out, struct hc_ctx *ctx,
			const char *name)
{
	bool found;
	int error;

	hc_buf_clear(out);
	if (name[0] == '/')
		return hc_buf_puts(out, name);
	if ((error = hc_buf_printf(out, "%s%s", PAM_DIR, name)) < 0 ||
	    (error = not_dir(&found, ctx, out->ptr)) < 0 || found)
		return error;
	hc_buf_clear(out);
	if ((error = hc_buf_printf(out, "%s%s", PAM_VENDOR_DIR, name)) < 0 ||
	    (error = not_dir(&found, ctx, out->ptr)) < 0 || found)
		return error;
	/* Missing in both: libpam fails that stack; the caller skips it. */
	hc_buf_clear(out);
	return hc_buf_printf(out, "%s%s", PAM_DIR, name);
}

/* Queue NAME, as libpam finds it, in TODO unless it is there already or is a
 * directory. */
static int queue(struct hc_strlist *todo, struct hc_ctx *ctx, const char *name)
{
	struct hc_buf found = HC_BUF_INIT, path = HC_BUF_INIT;
	struct stat st;
	int error = 0;

	/*
	 * Named as the store can name it.  By its text: a stack reached
	 * through a directory link and ".." is read where the name points.
	 */
	if (name == NULL || *name == '\0' ||
	    (error = include_path(&found, ctx, name)) < 0 ||
	    (error = hc_path_clean(&path, found.ptr)) < 0)
		goto out;
	/* libpam reads a directory as an empty stack. */
	if ((error = hc_ctx_lstat(&st, ctx, path.ptr)) == 0 &&
	    S_ISDIR(st.st_mode))
		goto out;
	if (error == HC_ENOTFOUND)
		hc_error_clear();
	error = 0;
	if (!hc_strlist_has(todo, path.ptr))
		error = hc_strlist_push(todo, path.ptr);
out:
	hc_buf_release(&found);
	hc_buf_release(&path);
	return error;
}

/* Queue, in TODO, every stack FILE includes or substacks. */
static int queue_includes(struct hc_strlist *todo, struct hc_ctx *ctx,
			  struct hc_file *file)
{
	static const char *const fields[] = {"type", "control", "module"};
	struct hc_file_table t;
	struct hc_aug_children kids;
	struct hc_strlist names = HC_STRLIST_INIT;
	int error;

	if ((error = hc_file_table(&t, file, fields, 3, NULL)) < 0)
		return error;
	/* libpam reads these two controls without case. */
	for (size_t i = 0; i < t.n && error == 0; i++) {
		const char *control = t.value[i * 3 + 1],
			   *module = t.value[i * 3 + 2];

		if (control && module &&
		    (strcasecmp(control, "include") == 0 ||
		     strcasecmp(control, "substack") == 0))
			error = hc_strlist_push(&names, module);
	}
	hc_file_table_release(&t);
	/*
	 * Debian's "@include NAME" lines: the lens's "include" nodes, read
	 * in the one walk of the top level, not a path each.
	 */
	if (error == 0 && (error = hc_file_children(&kids, file)) == 0) {
		for (size_t i = 0; i < kids.n && error == 0; i++)
			if (kids.label[i] &&
			    strcmp(kids.label[i], "include") == 0 &&
			    kids.value[i])
				error = hc_strlist_push(&names, kids.value[i]);
		hc_aug_children_release(&kids);
	}
	for (size_t i = 0; i < names.n && error == 0; i++)
		error = queue(todo, ctx, names.v[i]);
	hc_strlist_release(&names);
	return error;
}

/* The services' own stacks: /etc/pam.d's, then /usr/lib/pam.d's that /etc/pam.d
 * lacks. */
static int queue_services(struct hc_strlist *todo, struct hc_ctx *ctx)
{
	struct hc_strlist etc = HC_STRLIST_INIT, vendor = HC_STRLIST_INIT;
	int error;

	if ((error = hc_ctx_glob(&etc, ctx, PAM_DIR "*")) < 0 ||
	    (error = hc_ctx_glob(&vendor, ctx, PAM_VENDOR_DIR "*")) < 0)
		goto out;
	for (size_t i = 0; i < etc.n + vendor.n && error == 0; i++) {
		const char *path = i < etc.n ? etc.v[i] : vendor.v[i - etc.n];
		bool file;

		if (backup_name(path) ||
		    (error = not_dir(&file, ctx, path)) < 0 || !file)
			continue;
		/* A vendor file runs only where /etc/pam.d has none of its
		 * name. */
		error = queue(todo, ctx, strrchr(path, '/') + 1);
	}
out:
	hc_strlist_release(&etc);
	hc_strlist_release(&vendor);
	return error;
}

int pam_stacks_load(struct pam_stacks *out, struct hc_ctx *ctx)
{
	struct hc_strlist todo = HC_STRLIST_INIT;
	int error;

	memset(out, 0, sizeof(*out));
	if ((error = queue_services(&todo, ctx)) < 0)
		goto out;
	/* TODO grows as includes are found; each path is in it once, so this
	 * ends. */
	for (size_t i = 0; i < todo.n && error == 0; i++) {
		struct hc_file *file;

		if ((error = hc_ctx_file(&file, ctx, todo.v[i], PAM_LENS,
					 HC_FILE_OPTIONAL)) < 0 ||
		    file == NULL)
			continue;
		file->validate = pam_validate;
		file->may_edit = pam_may_edit;
		if ((error = stacks_push(out, file)) == 0)
			error = queue_includes(&todo, ctx, file);
	}
out:
	hc_strlist_release(&todo);
	if (error < 0)
		pam_stacks_release(out);
	return error;
}

void pam_stacks_release(struct pam_stacks *stacks)
{
	free(stacks->v);
	memset(stacks, 0, sizeof(*stacks));
}

/*
 * pam_unix's options in the order of its table (Linux-PAM 1.5.2
 * modules/pam_unix/support.h): it takes an argument for the first one
 * the argument starts with.  true: a hashing method.
 */
static const struct {
	const char *token;
	bool hash;
} unix_options[] = {
    {"audit", false},
    {"use_first_pass", false},
    {"try_first_pass", false},
    {"authtok_type=", false},
    {"use_authtok", false},
    {"shadow", false},
    {"md5", true},
    {"nullok", false},
    {"debug", false},
    {"nodelay", false},
    {"nis", false},
    {"bigcrypt", true},
    {"likeauth", false},
    {"remember=", false},
    {"noreap", false},
    {"broken_shadow", false},
    {"sha256", true},
    {"sha512", true},
    {"rounds=", false},
    {"blowfish", true},
    {"minlen=", false},
    {"quiet", false},
    {"no_pass_expiry", false},
    {"des", true},
    {"gost_yescrypt", true},
    {"yescrypt", true},
    {"nullresetok", false},
};

const char *pam_unix_option(const char *arg, bool *hash)
{
	/* libpam hands a module "[nullok]" as "nullok": the brackets only
	 * group. */
	if (arg[0] == '[')
		arg++;
	for (size_t i = 0; i < sizeof(unix_options) / sizeof(unix_options[0]);
	     i++) {
		size_t len = strlen(unix_options[i].token);

		if (strncmp(arg, unix_options[i].token, len) == 0) {
			if (hash)
				*hash = unix_options[i].hash;
			return unix_options[i].token;
		}
	}
	if (hash)
		*hash = false;
	return NULL;
}

int pam_records(struct hc_strlist *out, struct hc_file *file, const char *type,
		const char *name)
{
	static const char *const fields[] = {"type", "module"};
	struct hc_file_table t;
	struct hc_buf node = HC_BUF_INIT;
	int error;

	if ((error = hc_file_table(&t, file, fields, 2, NULL)) < 0)
		return error;
	for (size_t i = 0; i < t.n && error == 0; i++) {
		const char *ty = t.value[i * 2], *module = t.value[i * 2 + 1];

		if (!ty || !module || (type && strcasecmp(ty, type) != 0) ||
		    !pam_module_is(module, name))
			continue;
		hc_buf_clear(&node);
		if ((error = hc_buf_printf(&node, "%s/%s", file->tree,
					   t.label[i])) == 0)
			error = hc_strlist_push(out, node.ptr);
	}
	hc_buf_release(&node);
	hc_file_table_release(&t);
	return error;
}

bool pam_module_is(const char *module, const char *name)
{
	const char *base = strrchr(module, '/');
	size_t len = strlen(name);

	base = base ? base + 1 : module;
	return strncmp(base, name, len) == 0 &&
	       (base[len] == '\0' || strcmp(base + len, ".so") == 0);
}

int pam_lines(struct hc_strlist *out, struct hc_file *file, const char *type,
	      const char *name)
{
	struct hc_strlist nodes = HC_STRLIST_INIT;
	struct hc_buf pattern = HC_BUF_INIT;
	int error;

	if ((error = hc_buf_printf(&pattern, "*[type='%s']", type)) < 0 ||
	    (error = hc_file_match(&nodes, file, pattern.ptr)) < 0)
		goto out;
	for (size_t i = 0; i < nodes.n; i++) {
		const char *module;

		hc_buf_clear(&pattern);
		if ((error = hc_buf_printf(&pattern, "%s/module", nodes.v[i])) <
			0 ||
		    (error = hc_file_get(&module, file, pattern.ptr)) < 0)
			goto out;
		if (module && pam_module_is(module, name) &&
		    (error = hc_strlist_push(out, nodes.v[i])) < 0)
			goto out;
	}
out:
	hc_buf_release(&pattern);
	hc_strlist_release(&nodes);
	return error;
}

/* Whether ARG is NAME or NAME=...; *value then points past the '='. */
/*
 * Whether ARG sets NAME, and to what (*VALUE).  libpam hands a module
 * "[name=value]" as "name=value": the brackets only group, so the
 * argument counts, its value read with the closing bracket, which no
 * limit takes for a number or a path.
 */
static bool arg_is(const char **value, const char *arg, const char *name)
{
	size_t len = strlen(name);

	if (arg[0] == '[')
		arg++;
	if (strncmp(arg, name, len) != 0 ||
	    (arg[len] != '\0' && arg[len] != '='))
		return false;
	*value = arg[len] == '=' ? arg + len + 1 : "";
	return true;
}

static int args_of(struct hc_strlist *out, struct hc_file *file,
		   const char *line)
{
	struct hc_buf pattern = HC_BUF_INIT;
	int error;

	if ((error = hc_buf_printf(&pattern, "%s/argument", line)) == 0)
		error = hc_file_match(out, file, pattern.ptr);
	hc_buf_release(&pattern);
	return error;
}

int pam_arg(char **node, const char **value, struct hc_file *file,
	    const char *line, const char *name)
{
	struct hc_strlist args = HC_STRLIST_INIT;
	int error;

	*node = NULL;
	*value = NULL;
	if ((error = args_of(&args, file, line)) < 0)
		goto out;
	for (size_t i = 0; i < args.n && !*node; i++) {
		const char *arg;

		if ((error = hc_file_get(&arg, file, args.v[i])) < 0)
			goto out;
		if (arg && arg_is(value, arg, name) &&
		    (*node = hc_strdup(args.v[i])) == NULL)
			error = HC_ERROR;
	}
out:
	hc_strlist_release(&args);
	return error;
}

int pam_arg_set(struct hc_file *file, const char *line, const char *name,
		const char *value)
{
	struct hc_buf arg = HC_BUF_INIT, node = HC_BUF_INIT;
	const char *have;
	char *at;
	int error;

	if ((error = pam_arg(&at, &have, file, line, name)) < 0)
		return error;
	if ((error = value ? hc_buf_printf(&arg, "%s=%s", name, value)
			   : hc_buf_puts(&arg, name)) < 0)
		goto out;
	if (at == NULL &&
	    (error = hc_buf_printf(&node, "%s/argument[last()+1]", line)) < 0)
		goto out;
	error = hc_file_set(file, at ? at : node.ptr, arg.ptr);
out:
	free(at);
	hc_buf_release(&arg);
	hc_buf_release(&node);
	return error;
}

int pam_arg_rm(struct hc_file *file, const char *line, const char *name)
{
	struct hc_strlist args = HC_STRLIST_INIT;
	int error;

	if ((error = args_of(&args, file, line)) < 0)
		goto out;
	/* From the last, so the positions of those left do not move. */
	for (size_t i = args.n; i-- > 0;) {
		const char *arg, *value;

		if ((error = hc_file_get(&arg, file, args.v[i])) < 0)
			goto out;
		if (arg && arg_is(&value, arg, name) &&
		    (error = hc_file_rm(file, args.v[i])) < 0)
			goto out;
	}
out:
	hc_strlist_release(&args);
	return error;
}

/* Set NAME under the PAM line NODE of FILE to VALUE. */
static int line_field_set(struct hc_file *file, const char *node,
			  const char *name, const char *value)
{
	struct hc_buf field = HC_BUF_INIT;
	int error;

	if ((error = hc_buf_printf(&field, "%s/%s", node, name)) == 0)
		error = hc_file_set(file, field.ptr, value);
	hc_buf_release(&field);
	return error;
}

int pam_insert(struct hc_file *file, const char *at, bool before,
	       const char *type, const char *control, const char *module,
	       const char *args)
{
	struct hc_strlist lines = HC_STRLIST_INIT;
	struct hc_buf node = HC_BUF_INIT, field = HC_BUF_INIT;
	char *copy = NULL, *arg, *save = NULL;
	int error;

	/* The Pam lens numbers lines by position; a fresh label renders the
	 * same. */
	if ((error = hc_file_insert(file, at, "0", before)) < 0 ||
	    (error = hc_file_match(&lines, file, "0")) < 0)
		goto out;
	if (lines.n != 1) {
		hc_error_set("%s: cannot insert a PAM line", file->display);
		error = HC_ERROR;
		goto out;
	}
	if ((error = hc_buf_puts(&node, lines.v[0])) < 0 ||
	    (error = line_field_set(file, node.ptr, "type", type)) < 0 ||
	    (error = line_field_set(file, node.ptr, "control", control)) < 0 ||
	    (error = line_field_set(file, node.ptr, "module", module)) < 0)
		goto out;
	if (args && (copy = hc_strdup(args)) == NULL) {
		error = HC_ERROR;
		goto out;
	}
	for (arg = copy ? strtok_r(copy, " ", &save) : NULL; arg;
	     arg = strtok_r(NULL, " ", &save))
		if ((error = line_field_set(file, node.ptr,
					    "argument[last()+1]", arg)) < 0)
			goto out;
	/* Give it a number no other line has, so later edits can name it. */
	hc_buf_clear(&field);
	if ((error = hc_file_match(&lines, file, "*")) < 0 ||
	    (error = hc_buf_printf(&field, "%zu", lines.n + 1000)) < 0)
		goto out;
	error = hc_file_rename(file, node.ptr, field.ptr);
out:
	free(copy);
	hc_buf_release(&node);
	hc_buf_release(&field);
	hc_strlist_release(&lines);
	return error;
}

/* One line of a stack, for the jump guard. */
struct entry {
	char type[16];
	char module[64];
	char control[256];
	size_t node; /* its index among the stack's records, for its line */
};

/*
 * A stack as the guard reads it: its lines, and its parsed tree, kept
 * until stack_release() so that a line number is looked up only for a
 * line an error names (one lookup walks the tree).
 */
struct stack {
	struct entry *v;
	size_t n;
	struct hc_aug *aug;
	char tree[32];
	const char *text;
};

#define GUARD_VAR "hc_guard"

static void module_base(char *out, size_t size, const char *module)
{
	const char *base = strrchr(module, '/');
	size_t len;

	base = base ? base + 1 : module;
	len = strcspn(base, ".");
	snprintf(out, size, "%.*s", (int)len, base);
}

static void stack_release(struct stack *s)
{
	free(s->v);
	if (s->aug && s->tree[0])
		hc_aug_drop(s->aug, s->tree);
	memset(s, 0, sizeof(*s));
}

#define RECORDS "/*[type][control][module]"

/*
 * The line of STACK's entry E in the text it was read from.  Augeas
 * makes a node's path by counting its siblings, so only the lines an
 * error names are looked up.
 */
static unsigned int entry_line(const struct stack *s, const struct entry *e)
{
	augeas *a = hc_aug_handle(s->aug);
	char expr[64], *path = NULL;
	unsigned int line = 0;

	snprintf(expr, sizeof(expr), "%s" RECORDS, s->tree);
	if (aug_defvar(a, GUARD_VAR, expr) > (int)e->node &&
	    aug_ns_path(a, GUARD_VAR, (int)e->node, &path) == 0 && path)
		line = hc_aug_line(s->aug, path, s->text);
	free(path);
	aug_defvar(a, GUARD_VAR, NULL);
	return line;
}

/*
 * Define the guard's variable as FIELD of every record of S, and read
 * their values into the entries' field at OFFSET (of SIZE bytes).  Each
 * record holds each of its fields once (the Pam lens), so the values
 * come in the records' order: one pass, whatever the stack's size.
 */
static int read_field(struct stack *s, const char *field, size_t offset,
		      size_t size)
{
	augeas *a = hc_aug_handle(s->aug);
	char expr[96];
	int n;

	snprintf(expr, sizeof(expr), "%s" RECORDS "/%s", s->tree, field);
	if ((n = aug_defvar(a, GUARD_VAR, expr)) < 0)
		return hc_aug_error(s->aug, "cannot read the PAM stack");
	if ((size_t)n != s->n) {
		hc_error_set("cannot read the PAM stack: %d %s for %zu lines",
			     n, field, s->n);
		return HC_ERROR;
	}
	for (size_t i = 0; i < s->n; i++) {
		const char *value = NULL;

		if (aug_ns_value(a, GUARD_VAR, (int)i, &value) < 0)
			return hc_aug_error(s->aug,
					    "cannot read the PAM stack");
		snprintf((char *)&s->v[i] + offset, size, "%s",
			 value ? value : "");
	}
	return 0;
}

/* Parse TEXT with the Pam lens and list its lines. */
static int read_stack(struct stack *out, struct hc_aug *aug, const char *name,
		      const char *text, size_t len)
{
	augeas *a = hc_aug_handle(aug);
	char pattern[64];
	int n, error = 0;

	memset(out, 0, sizeof(*out));
	if ((error = hc_aug_parse(out->tree, aug, PAM_LENS, name, text, len)) <
	    0) {
		out->tree[0] = '\0';
		return error;
	}
	out->aug = aug;
	out->text = text;
	/* Counted, not matched: aug_match would make every node's path. */
	snprintf(pattern, sizeof(pattern), "%s" RECORDS, out->tree);
	if ((n = aug_defvar(a, GUARD_VAR, pattern)) < 0) {
		error = hc_aug_error(aug, name);
		goto out;
	}
	if ((out->v = calloc((size_t)n + 1, sizeof(*out->v))) == NULL) {
		error = hc_error_oom();
		goto out;
	}
	out->n = (size_t)n;
	for (size_t i = 0; i < out->n; i++)
		out->v[i].node = i;
	if ((error = read_field(out, "type", offsetof(struct entry, type),
				sizeof(out->v[0].type))) < 0 ||
	    (error = read_field(out, "control", offsetof(struct entry, control),
				sizeof(out->v[0].control))) < 0)
		goto out;
	if ((error = read_field(out, "module", offsetof(struct entry, module),
				sizeof(out->v[0].module))) < 0)
		goto out;
	/* The guard compares modules by base name. */
	for (size_t i = 0; i < out->n; i++) {
		char module[sizeof(out->v[0].module)];

		memcpy(module, out->v[i].module, sizeof(module));
		module_base(out->v[i].module, sizeof(out->v[i].module), module);
	}
out:
	aug_defvar(a, GUARD_VAR, NULL);
	return error;
}

/* The lines of STACK of one TYPE (without case, as libpam reads it), as indexes
 * into it. */
static size_t of_type(size_t *out, const struct stack *stack, const char *type)
{
	size_t n = 0;

	for (size_t i = 0; i < stack->n; i++)
		if (strcasecmp(stack->v[i].type, type) == 0)
			out[n++] = i;
	return n;
}

/*
 * Match the lines of A to those of B, in order, by module: each line of
 * A to the first line of B after the last one matched that has its
 * module.  Every line of A matched is exactly when A's modules are a
 * subsequence of B's (the only changes the guard lets through are
 * lines added); the first one left unmatched is a line removed.  Time
 * and memory grow with na + nb.  map[i] is B's index for A's i, or
 * SIZE_MAX.
 */
static void align(size_t *map, const struct stack *a, const size_t *ai,
		  size_t na, const struct stack *b, const size_t *bi, size_t nb)
{
	size_t j = 0;

	for (size_t i = 0; i < na; i++) {
		while (j < nb &&
		       strcmp(a->v[ai[i]].module, b->v[bi[j]].module) != 0)
			j++;
		if (j == nb) {
			for (; i < na; i++)
				map[i] = SIZE_MAX;
			break;
		}
		map[i] = j++;
	}
}

/*
 * When B only removes lines of A (B's modules a subsequence of A's),
 * MAP from B's alignment to A: removed lines SIZE_MAX.  False, MAP as
 * it was, when B adds lines too.
 */
static bool align_removals(size_t *map, const struct stack *a, const size_t *ai,
			   size_t na, const struct stack *b, const size_t *bi,
			   size_t nb)
{
	size_t *back = calloc(nb + 1, sizeof(*back));
	bool removals = back != NULL;

	if (back)
		align(back, b, bi, nb, a, ai, na);
	for (size_t j = 0; removals && j < nb; j++)
		removals = back[j] != SIZE_MAX;
	if (removals) {
		for (size_t i = 0; i < na; i++)
			map[i] = SIZE_MAX;
		for (size_t j = 0; j < nb; j++)
			map[back[j]] = j;
	}
	free(back);
	return removals;
}

/* The jumps of CONTROL: "[success=2 default=ignore]" has one, of 2. */
static size_t jumps(unsigned int *out, char (*keys)[32], size_t max,
		    const char *control)
{
	size_t n = 0;
	const char *p = control;

	if (*p != '[')
		return 0;
	while (*p && n < max) {
		const char *eq = strchr(p, '='), *start;

		if (eq == NULL)
			break;
		for (start = eq;
		     start > p && !isspace((unsigned char)start[-1]) &&
		     start[-1] != '[';
		     start--)
			;
		if (isdigit((unsigned char)eq[1])) {
			out[n] = (unsigned int)strtoul(eq + 1, NULL, 10);
			snprintf(keys[n], sizeof(keys[n]), "%.*s",
				 (int)(eq - start), start);
			n++;
		}
		p = eq + 1;
	}
	return n;
}

/*
 * Whether the jumps of the I-th of the NO old TYPE lines (indexes OI)
 * still land on the line they did, among the NN new ones (NI); MAP says
 * where each old line went.  HC_EUNSAFE names the first that moves.
 */
static int check_jumps(const struct hc_file *file, const size_t *map,
		       const struct stack *old, const size_t *oi, size_t no,
		       const struct stack *new, const size_t *ni, size_t nn,
		       size_t i)
{
	const struct entry *e = &old->v[oi[i]];
	unsigned int n[8];
	char keys[8][32];
	size_t k = jumps(n, keys, 8, e->control);

	for (size_t j = 0; j < k; j++) {
		/* Past the last line of this file's TYPE lines: its end, then
		 * and now. */
		size_t to = i + n[j] + 1 < no ? i + n[j] + 1 : no;
		size_t now = map[i] + n[j] + 1 < nn ? map[i] + n[j] + 1 : nn;
		size_t was = to < no ? map[to] : nn;

		if (to < no && was == SIZE_MAX)
			continue; /* reported as removed */
		if (now != was) {
			hc_error_set_at(
			    file->display, entry_line(new, &new->v[ni[map[i]]]),
			    "the change would make %s's jump %s=%u land on %s "
			    "instead of %s",
			    e->module, keys[j], n[j],
			    now < nn ? new->v[ni[now]].module
				     : "the end of the stack",
			    to < no ? old->v[oi[to]].module
				    : "the end of the stack");
			return HC_EUNSAFE;
		}
	}
	return 0;
}

static int check_type(const struct hc_file *file, const struct stack *old,
		      const struct stack *new, const char *type, bool undoing)
{
	size_t *oi = calloc(old->n + 1, sizeof(*oi)),
	       *ni = calloc(new->n + 1, sizeof(*ni));
	size_t *map = calloc(old->n + 1, sizeof(*map));
	bool *kept = calloc(new->n + 1, sizeof(*kept));
	size_t no, nn;
	int error = 0;

	if (old->v == NULL || new->v == NULL)
		goto out; /* nothing read: nothing to compare */
	if (oi == NULL || ni == NULL || map == NULL || kept == NULL) {
		error = hc_error_oom();
		goto out;
	}
	no = of_type(oi, old, type);
	nn = of_type(ni, new, type);
	align(map, old, oi, no, new, ni, nn);
	/* Undoing, lines go: align what stays, and judge where its jumps land.
	 */
	undoing = undoing && no && map[no - 1] == SIZE_MAX &&
		  align_removals(map, old, oi, no, new, ni, nn);
	for (size_t i = 0; i < no && error == 0; i++) {
		const struct entry *e = &old->v[oi[i]];

		if (map[i] == SIZE_MAX && undoing)
			continue; /* a rollback takes out a line hardctl put in
				   */
		if (map[i] == SIZE_MAX) {
			hc_error_set_at(
			    file->display, entry_line(old, e),
			    "the change would remove %s %s from the stack",
			    e->type, e->module);
			error = HC_EUNSAFE;
			break;
		}
		kept[map[i]] = true;
		error = check_jumps(file, map, old, oi, no, new, ni, nn, i);
	}
	for (size_t j = 0; j < nn && error == 0; j++) {
		if (!kept[j] && strcmp(new->v[ni[j]].module, "pam_deny") == 0) {
			hc_error_set_at(
			    file->display, entry_line(new, &new->v[ni[j]]),
			    "the change would add pam_deny to the %s stack",
			    type);
			error = HC_EUNSAFE;
		}
	}
out:
	free(oi);
	free(ni);
	free(map);
	free(kept);
	return error;
}

/*
 * RHEL 8 and 9 link system-auth and password-auth to the files
 * authselect generates, and rewrite them from its profile: an edit there
 * would be lost, and replacing the link would take the file from
 * authselect.  The change is authselect's to make.
 */
static int authselect_owned(struct hc_ctx *ctx, const struct hc_file *file)
{
	struct hc_buf target = HC_BUF_INIT;
	int error = hc_ctx_readlink(&target, ctx, file->path);

	if (error == HC_ENOTFOUND || error == HC_EINVALID) {
		/* Not a link: no one else's to rewrite. */
		hc_error_clear();
		error = 0;
	} else if (error == 0 && target.size &&
		   memmem(target.ptr, target.size, "authselect", 10)) {
		hc_error_set_at(file->display, 0,
				"managed by authselect (a link to %.*s): "
				"hardctl leaves it to "
				"authselect; make the change there: "
				"`authselect enable-feature "
				"without-nullok`, `with-pwhistory` (RHEL 9), "
				"or a custom profile "
				"(`authselect create-profile`, then "
				"`authselect select custom/NAME`); "
				"pwquality.conf limits hardctl sets itself",
				(int)target.size, target.ptr);
		error = hc_error_set_code(HC_EUNSAFE);
	}
	hc_buf_release(&target);
	return error;
}

int pam_may_edit(struct hc_ctx *ctx, const struct hc_file *file,
		 const struct hc_buf *data, const char *scratch)
{
	(void)data;
	(void)scratch;
	return authselect_owned(ctx, file);
}

/*
 * In a rollback's result (CTX reads files as a plan leaves them,
 * hardctl/txn.h), the lines the undo takes out are those hardctl put
 * in, or it would have conflicted: only where the remaining jumps land
 * is judged.
 */
int pam_validate(struct hc_ctx *ctx, const struct hc_file *file,
		 const struct hc_buf *data, const char *scratch)
{
	static const char *const types[] = {"auth", "account", "password",
					    "session"};
	struct stack old = {0}, new = {0};
	int error;

	(void)scratch;
	if ((error = authselect_owned(ctx, file)) < 0)
		return error;
	if ((error = read_stack(&old, file->aug, file->display,
				hc_buf_cstr(&file->orig), file->orig.size)) <
		0 ||
	    (error = read_stack(&new, file->aug, file->display,
				hc_buf_cstr(data), data->size)) < 0)
		goto out;
	for (size_t t = 0; t < sizeof(types) / sizeof(types[0]) && error == 0;
	     t++)
		error =
		    check_type(file, &old, &new, types[t], ctx->after != NULL);
	if (error < 0)
		hc_error_prefix(
		    "refusing to write a PAM stack that could lock users out");
out:
	stack_release(&new);
	stack_release(&old);
	return error;
}
