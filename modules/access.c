/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The lockout judgment (see hardctl/access.h): every account with a
 * login shell judged twice, on the host as it is and on the host as the
 * plan leaves it, by what sshd, PAM's account stage, pam_unix's aging
 * and sudoers would decide.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <openssl/evp.h>
#include "hardctl/access.h"
#include "hardctl/ctx.h"
#include "hardctl/fault.h"
#include "hardctl/file.h"
#include "hardctl/json.h"
#include "hardctl/plan.h"
#include "hardctl/profile.h"
#include "hardctl/root.h"
#include "pam_account.h"
#include "sshd_config.h"

#define PASSWD "/etc/passwd"
#define SHADOW "/etc/shadow"
#define GROUP "/etc/group"
#define SUDOERS "/etc/sudoers"
/*
 * sudoers files read at most (each include counted where it is read)
 * and includes deep (sudo's own limit, past which it refuses sudoers):
 * past either, what sudoers says is not known (note_unread()).
 */
#define MAX_SUDO_INCLUDES 1024
#define MAX_SUDO_DEPTH 128
#define SUDO_MAXLINKS 40 /* the kernel's */

/* An account with a login shell, as the files say. */
struct account {
	char *name, *home, *shell;
	long uid, gid;
	char *pass; /* shadow's field, else passwd's */
	struct hc_strlist groups;
	struct pam_user pam;
};

/* What sshd makes of its configuration, as far as logging in goes. */
struct sshd_view {
	bool present;
	char permit_root[32];
	char permit_root_file[256]; /* where it is set */
	bool passwords, pubkey, use_pam, keys_command, strict_modes;
	bool pw_auth,
	    kbd_auth;      /* PasswordAuthentication, keyboard-interactive */
	char pw_file[256]; /* where PasswordAuthentication is set */
	char force_command[256]; /* a global ForceCommand, "" for none */
	bool match;              /* a Match block exists: not judged */
	struct hc_strlist
	    methods; /* AuthenticationMethods' lists; empty: any */
	/* The access lists' words, and the file of each. */
	struct hc_strlist allow_users, deny_users, allow_groups, deny_groups,
	    key_files;
	struct hc_strlist allow_users_f, deny_users_f, allow_groups_f,
	    deny_groups_f;
	bool allow_users_set, allow_groups_set;
};

/* One account's answer in one state of the host. */
struct judged {
	bool way_in;
	enum pam_rc unix_rc; /* pam_unix's aging answer */
	struct hc_buf why, file, how;
};

static void account_release(struct account *a)
{
	free(a->name);
	free(a->home);
	free(a->shell);
	free(a->pass);
	hc_strlist_release(&a->groups);
}

static void sshd_view_release(struct sshd_view *v)
{
	hc_strlist_release(&v->methods);
	hc_strlist_release(&v->allow_users_f);
	hc_strlist_release(&v->deny_users_f);
	hc_strlist_release(&v->allow_groups_f);
	hc_strlist_release(&v->deny_groups_f);
	hc_strlist_release(&v->allow_users);
	hc_strlist_release(&v->deny_users);
	hc_strlist_release(&v->allow_groups);
	hc_strlist_release(&v->deny_groups);
	hc_strlist_release(&v->key_files);
}

/* Reading the account files ---------------------------------------------- */

/*
 * passwd, shadow and group are read as tables (hc_file_table): one pass
 * each, then sorted indexes, so that the cost grows as n log n with the
 * number of accounts, never with the product of two files.
 */

/* A numeric field; -1 for an empty or missing one, as getspnam gives. */
static long number(const char *v)
{
	char *end;
	long n;

	if (v == NULL || *v == '\0')
		return -1;
	n = strtol(v, &end, 10);
	return *end == '\0' ? n : -1;
}

/* Whether SHELL lets its account log in. */
static bool login_shell(const char *shell)
{
	static const char *const no[] = {"nologin",   "false",    "true",
					 "sync",      "shutdown", "halt",
					 "git-shell", NULL};
	const char *base;

	if (shell == NULL || *shell == '\0')
		return true; /* /bin/sh */
	base = strrchr(shell, '/');
	base = base ? base + 1 : shell;
	for (const char *const *n = no; *n; n++)
		if (strcmp(base, *n) == 0)
			return false;
	return true;
}

/* An index entry: a name (or gid) and the row it is on. */
struct key {
	const char *name;
	long gid;
	size_t row;
};

static int cmp_name(const void *a, const void *b)
{
	const struct key *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	/* Equal names keep file order: the first is what getpwnam finds. */
	return c ? c : (x->row > y->row) - (x->row < y->row);
}

static int cmp_gid(const void *a, const void *b)
{
	const struct key *x = a, *y = b;

	if (x->gid != y->gid)
		return (x->gid > y->gid) - (x->gid < y->gid);
	return (x->row > y->row) - (x->row < y->row);
}

/* The first entry of sorted KEYS (N) named NAME, or NULL. */
static const struct key *first_named(const struct key *keys, size_t n,
				     const char *name)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (strcmp(keys[mid].name, name) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n && strcmp(keys[lo].name, name) == 0 ? &keys[lo] : NULL;
}

/* The files' tables and their indexes, for one state of the host. */
struct tables {
	struct hc_file_table passwd, shadow, group;
	struct key *shadow_by_name, *group_by_gid, *member_by_name;
	size_t nmembers;
};

static void tables_release(struct tables *t)
{
	hc_file_table_release(&t->passwd);
	hc_file_table_release(&t->shadow);
	hc_file_table_release(&t->group);
	free(t->shadow_by_name);
	free(t->group_by_gid);
	free(t->member_by_name);
	memset(t, 0, sizeof(*t));
}

enum { PW_PASS, PW_UID, PW_GID, PW_HOME, PW_SHELL, PW_N };
enum { SP_PASS, SP_LSTCHG, SP_MAX, SP_INACT, SP_EXPIRE, SP_N };
enum { GR_PASS, GR_GID, GR_N };

static int read_tables(struct tables *t, struct hc_ctx *ctx,
		       struct hc_file **passwd)
{
	static const char *const pw[PW_N] = {"password", "uid", "gid", "home",
					     "shell"};
	static const char *const sp[SP_N] = {"password", "lastchange_date",
					     "maxage_days", "inactive_days",
					     "expire_date"};
	static const char *const gr[GR_N] = {"password", "gid"};
	struct hc_file *shadow, *group;
	int error;

	memset(t, 0, sizeof(*t));
	if ((error = hc_ctx_file(passwd, ctx, PASSWD, "Passwd.lns",
				 HC_FILE_OPTIONAL)) < 0 ||
	    *passwd == NULL ||
	    (error = hc_ctx_file(&shadow, ctx, SHADOW, "Shadow.lns",
				 HC_FILE_OPTIONAL)) < 0 ||
	    (error = hc_ctx_file(&group, ctx, GROUP, "Group.lns",
				 HC_FILE_OPTIONAL)) < 0 ||
	    (error = hc_file_table(&t->passwd, *passwd, pw, PW_N, NULL)) < 0 ||
	    (shadow &&
	     (error = hc_file_table(&t->shadow, shadow, sp, SP_N, NULL)) < 0) ||
	    (group &&
	     (error = hc_file_table(&t->group, group, gr, GR_N, "user")) < 0))
		return error;
	if ((t->shadow_by_name = calloc(t->shadow.n + 1, sizeof(struct key))) ==
		NULL ||
	    (t->group_by_gid = calloc(t->group.n + 1, sizeof(struct key))) ==
		NULL ||
	    (t->member_by_name =
		 calloc(t->group.nlist + 1, sizeof(struct key))) == NULL)
		return hc_error_oom();
	for (size_t i = 0; i < t->shadow.n; i++)
		t->shadow_by_name[i] = (struct key){
		    t->shadow.label[i] ? t->shadow.label[i] : "", 0, i};
	for (size_t i = 0; i < t->group.n; i++)
		t->group_by_gid[i] =
		    (struct key){t->group.label[i],
				 number(t->group.value[i * GR_N + GR_GID]), i};
	for (size_t i = 0; i < t->group.nlist; i++)
		if (t->group.list[i])
			t->member_by_name[t->nmembers++] = (struct key){
			    t->group.list[i], 0, t->group.list_row[i]};
	qsort(t->shadow_by_name, t->shadow.n, sizeof(struct key), cmp_name);
	qsort(t->group_by_gid, t->group.n, sizeof(struct key), cmp_gid);
	qsort(t->member_by_name, t->nmembers, sizeof(struct key), cmp_name);
	return 0;
}

static int add_group(struct account *a, const char *name)
{
	return name == NULL || hc_strlist_has(&a->groups, name)
		   ? 0
		   : hc_strlist_push(&a->groups, name);
}

/* The names of the groups A is in: its primary group and those listing it. */
static int account_groups(struct account *a, const struct tables *t)
{
	struct key want = {NULL, a->gid, 0};
	const struct key *k;
	size_t lo = 0, hi = t->group.n;
	int error = 0;

	/* The first group with A's gid. */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (t->group_by_gid[mid].gid < want.gid)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < t->group.n && t->group_by_gid[lo].gid == a->gid)
		error = add_group(a, t->group_by_gid[lo].name);
	k = first_named(t->member_by_name, t->nmembers, a->name);
	/* A member line of the primary group repeats it; others come once each.
	 */
	for (; error == 0 && k && k < t->member_by_name + t->nmembers &&
	       strcmp(k->name, a->name) == 0;
	     k++)
		if (a->groups.n == 0 ||
		    strcmp(a->groups.v[0], t->group.label[k->row]) != 0)
			error =
			    hc_strlist_push(&a->groups, t->group.label[k->row]);
	return error;
}

static int account_shadow(struct account *a, const struct tables *t)
{
	const struct key *k =
	    first_named(t->shadow_by_name, t->shadow.n, a->name);
	const char *const *v;
	struct pam_aging *ag = &a->pam.aging;

	*ag = (struct pam_aging){-1, -1, -1, -1};
	if (k == NULL)
		return 0;
	v = &t->shadow.value[k->row * SP_N];
	a->pam.has_shadow = true;
	free(a->pass);
	if ((a->pass = hc_strdup(v[SP_PASS] ? v[SP_PASS] : "")) == NULL)
		return HC_ERROR;
	ag->lstchg = number(v[SP_LSTCHG]);
	ag->max = number(v[SP_MAX]);
	ag->inact = number(v[SP_INACT]);
	ag->expire = number(v[SP_EXPIRE]);
	return 0;
}

/* Row I of passwd into A; *keep is false for an account with no login shell. */
static int read_account(struct account *a, bool *keep, const struct tables *t,
			size_t i)
{
	const char *name = t->passwd.label[i];
	const char *const *v = &t->passwd.value[i * PW_N];

	*keep = false;
	memset(a, 0, sizeof(*a));
	if (name == NULL || name[0] == '+' || name[0] == '-' || name[0] == '@')
		return 0; /* NIS lines */
	a->uid = number(v[PW_UID]);
	a->gid = number(v[PW_GID]);
	if (a->uid < 0 || !login_shell(v[PW_SHELL]))
		return 0;
	if ((a->name = hc_strdup(name)) == NULL ||
	    (a->shell = hc_strdup(v[PW_SHELL] ? v[PW_SHELL] : "")) == NULL ||
	    (a->home = hc_strdup(v[PW_HOME] ? v[PW_HOME] : "/")) == NULL ||
	    (a->pass = hc_strdup(v[PW_PASS] ? v[PW_PASS] : "")) == NULL)
		return HC_ERROR;
	*keep = true;
	return 0;
}

/* Whether row I of passwd repeats a name above it: getpwnam finds the first. */
static bool repeated(const struct key *by_name, size_t n,
		     const struct tables *t, size_t i)
{
	const struct key *k;

	if (t->passwd.label[i] == NULL)
		return false;
	k = first_named(by_name, n, t->passwd.label[i]);
	return k && k->row != i;
}

/* The accounts with a login shell, in passwd's order. */
static int read_accounts(struct account **out, size_t *n, struct hc_ctx *ctx)
{
	struct hc_file *passwd = NULL;
	struct key *by_name = NULL;
	struct account *v = NULL;
	struct tables t;
	int error;

	*out = NULL;
	*n = 0;
	if ((error = read_tables(&t, ctx, &passwd)) < 0 || passwd == NULL)
		goto out;
	if ((v = calloc(t.passwd.n + 1, sizeof(*v))) == NULL ||
	    (by_name = calloc(t.passwd.n + 1, sizeof(*by_name))) == NULL) {
		error = hc_error_oom();
		goto out;
	}
	for (size_t i = 0; i < t.passwd.n; i++)
		by_name[i] = (struct key){
		    t.passwd.label[i] ? t.passwd.label[i] : "", 0, i};
	qsort(by_name, t.passwd.n, sizeof(*by_name), cmp_name);
	for (size_t i = 0; i < t.passwd.n && error == 0; i++) {
		struct account *a = &v[*n];
		bool keep;

		if (repeated(by_name, t.passwd.n, &t, i) ||
		    (error = read_account(a, &keep, &t, i)) < 0 || !keep) {
			account_release(a);
			continue;
		}
		(*n)++;
		if ((error = account_groups(a, &t)) < 0 ||
		    (error = account_shadow(a, &t)) < 0)
			break;
		a->pam.name = a->name;
		a->pam.uid = a->uid;
		a->pam.gid = a->gid;
		a->pam.shell = a->shell;
		a->pam.groups = &a->groups;
		a->pam.known = true;
		a->pam.no_shadow_entry =
		    !a->pam.has_shadow && strcmp(a->pass, "x") == 0;
	}
out:
	free(by_name);
	tables_release(&t);
	*out = v;
	return error;
}

/* sshd --------------------------------------------------------------------- */

/*
 * The value sshd uses for KEYWORD, or DEF, case folded; FILE (unless
 * NULL) gets where it is set, sshd_config where it is not.
 */
static void sshd_value(char *out, size_t size, char *file, size_t fsize,
		       const struct sshd_lines *lines, const char *keyword,
		       const char *def)
{
	const struct sshd_line *line = sshd_lines_first(lines, keyword);

	snprintf(out, size, "%s", line && line->value ? line->value : def);
	if (file)
		snprintf(file, fsize, "%s",
			 line ? line->file->path : SSHD_CONFIG);
	for (char *p = out; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
}

/*
 * Every word of every KEYWORD line, in sshd's order, and the file of
 * each into FILES: AllowUsers and its kin add up across lines.  *SET:
 * any line gave a word.
 */
static int sshd_words(struct hc_strlist *out, struct hc_strlist *files,
		      bool *set, const struct sshd_lines *lines,
		      const char *keyword)
{
	size_t had = out->n;
	int error = 0;

	for (size_t i = 0; i < lines->n && error == 0; i++) {
		const struct sshd_line *line = &lines->v[i];

		if (strcasecmp(line->keyword, keyword) != 0)
			continue;
		error = sshd_line_words(out, line);
		while (files->n < out->n && error == 0)
			error = hc_strlist_push(files, line->file->path);
	}
	*set = out->n > had;
	return error;
}

/* The words of the first KEYWORD line: its first line wins whole. */
static int sshd_first_words(struct hc_strlist *out,
			    const struct sshd_lines *lines, const char *keyword)
{
	const struct sshd_line *line = sshd_lines_first(lines, keyword);

	return line ? sshd_line_words(out, line) : 0;
}

static int read_lists(struct sshd_view *v, const struct sshd_lines *lines)
{
	bool set;
	int error;

	if ((error = sshd_words(&v->allow_users, &v->allow_users_f,
				&v->allow_users_set, lines, "AllowUsers")) <
		0 ||
	    (error = sshd_words(&v->deny_users, &v->deny_users_f, &set, lines,
				"DenyUsers")) < 0 ||
	    (error = sshd_words(&v->allow_groups, &v->allow_groups_f,
				&v->allow_groups_set, lines, "AllowGroups")) <
		0 ||
	    (error = sshd_words(&v->deny_groups, &v->deny_groups_f, &set, lines,
				"DenyGroups")) < 0 ||
	    (error = sshd_first_words(&v->key_files, lines,
				      "AuthorizedKeysFile")) < 0 ||
	    (error = sshd_first_words(&v->methods, lines,
				      "AuthenticationMethods")) < 0)
		return error;
	v->match = lines->match;
	if (v->methods.n == 1 && strcmp(v->methods.v[0], "any") == 0)
		hc_strlist_release(&v->methods);
	set = v->key_files.n > 0;
	if (!set &&
	    ((error = hc_strlist_push(&v->key_files, ".ssh/authorized_keys")) <
		 0 ||
	     (error = hc_strlist_push(&v->key_files, ".ssh/authorized_keys2")) <
		 0))
		return error;
	return 0;
}

static int read_sshd(struct sshd_view *v, struct hc_ctx *ctx)
{
	char pw[16], kbd[16], cr[16], pam[16], pk[16], strict[16], cmd[256];
	struct sshd_lines lines;
	int error;

	memset(v, 0, sizeof(*v));
	/*
	 * One walk of the files sshd reads for every keyword, then the
	 * host sshd's verdict on them (a walk's error comes first), its
	 * sshd -t run beside the walk.
	 */
	sshd_verdict_start(ctx);
	error = sshd_lines(&lines, ctx);
	if (error == HC_ENOTFOUND) {
		sshd_verdict_abandon();
		hc_error_clear();
		return 0; /* no sshd_config: no way in over ssh to judge */
	}
	if (error < 0) {
		sshd_verdict_abandon();
		return error;
	}
	sshd_value(v->permit_root, sizeof(v->permit_root), v->permit_root_file,
		   sizeof(v->permit_root_file), &lines, "PermitRootLogin",
		   "prohibit-password");
	sshd_value(pw, sizeof(pw), v->pw_file, sizeof(v->pw_file), &lines,
		   "PasswordAuthentication", "yes");
	sshd_value(v->force_command, sizeof(v->force_command), NULL, 0, &lines,
		   "ForceCommand", "");
	sshd_value(cr, sizeof(cr), NULL, 0, &lines,
		   "ChallengeResponseAuthentication", "yes");
	sshd_value(kbd, sizeof(kbd), NULL, 0, &lines,
		   "KbdInteractiveAuthentication", cr);
	sshd_value(pam, sizeof(pam), NULL, 0, &lines, "UsePAM", "no");
	sshd_value(pk, sizeof(pk), NULL, 0, &lines, "PubkeyAuthentication",
		   "yes");
	sshd_value(strict, sizeof(strict), NULL, 0, &lines, "StrictModes",
		   "yes");
	sshd_value(cmd, sizeof(cmd), NULL, 0, &lines, "AuthorizedKeysCommand",
		   "none");
	error = read_lists(v, &lines);
	sshd_lines_release(&lines);
	if (error < 0) {
		sshd_verdict_abandon();
		return error;
	}
	if ((error = sshd_verdict(ctx)) < 0)
		return error;
	v->present = true;
	v->use_pam = strcmp(pam, "yes") == 0;
	v->pw_auth = strcmp(pw, "no") != 0;
	v->kbd_auth = strcmp(kbd, "no") != 0 && v->use_pam;
	v->passwords = v->pw_auth || v->kbd_auth;
	v->pubkey = strcmp(pk, "no") != 0;
	v->strict_modes = strcmp(strict, "no") != 0;
	v->keys_command = strcmp(cmd, "none") != 0;
	return 0;
}

/*
 * sshd's match_pattern: '*' and '?', nothing else special.  Matched
 * greedily with one point to go back to, so a pattern of many stars
 * costs the product of the lengths, never more.
 */
static bool match_pattern(const char *s, const char *p)
{
	const char *star = NULL, *mark = NULL;

	while (*s) {
		if (*p == '*') {
			star = p++;
			mark = s;
		} else if (*p == '?' || *p == *s) {
			p++;
			s++;
		} else if (star) {
			p = star + 1;
			s = ++mark;
		} else {
			return false;
		}
	}
	while (*p == '*')
		p++;
	return *p == '\0';
}

/*
 * Whether a host pattern takes in every client: wildcards and dots only
 * ("*", "?*", "*.*" for IPv4), or a network of prefix 0.
 */
static bool every_host(const char *host)
{
	return strspn(host, "*?.") == strlen(host) ||
	       strcmp(host, "0.0.0.0/0") == 0 || strcmp(host, "::/0") == 0;
}

/*
 * Whether a DenyUsers/AllowUsers word admits USER: "user" or
 * "user@host".  With a host part, DENY holds only when it takes in
 * every host; an allow from some host is a way in from there.
 */
static bool user_word(const char *word, const char *user, bool deny)
{
	const char *at = strchr(word, '@');
	char pat[256];

	if (at == NULL)
		return match_pattern(user, word);
	snprintf(pat, sizeof(pat), "%.*s", (int)(at - word), word);
	if (!match_pattern(user, pat))
		return false;
	return !deny || every_host(at + 1);
}

/* The index of the first word of WORDS that takes in the user, or -1. */
static long users_hit(const struct hc_strlist *words, const char *user,
		      bool deny)
{
	for (size_t i = 0; i < words->n; i++)
		if (user_word(words->v[i], user, deny))
			return (long)i;
	return -1;
}

static long groups_hit(const struct hc_strlist *words,
		       const struct hc_strlist *groups)
{
	for (size_t i = 0; i < words->n; i++)
		for (size_t g = 0; g < groups->n; g++)
			if (match_pattern(groups->v[g], words->v[i]))
				return (long)i;
	return -1;
}

/* sshd's allowed_user() on the access lists; why and file say which refused. */
static int sshd_admits(bool *out, struct hc_buf *why, struct hc_buf *file,
		       const struct sshd_view *v, const struct account *a)
{
	long hit;
	int error;

	*out = false;
	if ((hit = users_hit(&v->deny_users, a->name, true)) >= 0) {
		error = hc_buf_printf(why, "sshd's DenyUsers %s",
				      v->deny_users.v[hit]);
		return error ? error
			     : hc_buf_puts(file, v->deny_users_f.v[hit]);
	}
	if (v->allow_users_set &&
	    users_hit(&v->allow_users, a->name, false) < 0) {
		error = hc_buf_puts(why, "not in sshd's AllowUsers");
		return error ? error : hc_buf_puts(file, v->allow_users_f.v[0]);
	}
	if ((hit = groups_hit(&v->deny_groups, &a->groups)) >= 0) {
		error = hc_buf_printf(why, "sshd's DenyGroups %s",
				      v->deny_groups.v[hit]);
		return error ? error
			     : hc_buf_puts(file, v->deny_groups_f.v[hit]);
	}
	if (v->allow_groups_set &&
	    groups_hit(&v->allow_groups, &a->groups) < 0) {
		error = hc_buf_puts(why, "in none of sshd's AllowGroups");
		return error ? error
			     : hc_buf_puts(file, v->allow_groups_f.v[0]);
	}
	*out = true;
	return 0;
}

/* An authorized key file path for A: %h, %u, %U and %% expanded, relative to
 * home. */
static int key_path(struct hc_buf *out, const char *pattern,
		    const struct account *a)
{
	int error = 0;

	hc_buf_clear(out);
	if (pattern[0] != '/' && pattern[0] != '%')
		error = hc_buf_printf(out, "%s/", a->home ? a->home : "/");
	for (const char *p = pattern; *p && error == 0; p++) {
		if (*p != '%' || p[1] == '\0') {
			error = hc_buf_put(out, p, 1);
			continue;
		}
		p++;
		if (*p == 'h')
			error = hc_buf_puts(out, a->home ? a->home : "/");
		else if (*p == 'u')
			error = hc_buf_puts(out, a->name);
		else if (*p == 'U')
			error = hc_buf_printf(out, "%ld", a->uid);
		else
			error = hc_buf_put(out, p, 1);
	}
	/* "//" from a home of "/" or a trailing slash: one path inside ROOT. */
	for (char *s; error == 0 && (s = strstr(out->ptr, "//")) != NULL;) {
		memmove(s, s + 1, strlen(s + 1) + 1);
		out->size--;
	}
	return error;
}

/*
 * Whether WORD is the base64 of a public key blob of type TYPE: the blob
 * starts with TYPE itself, as a length and its bytes.  Types are those
 * OpenSSH 9 accepts by default (ssh-dss is not).
 */
static bool key_blob(const char *type, const char *word)
{
	static const char *const types[] = {
	    "ssh-ed25519",
	    "ssh-rsa",
	    "ecdsa-sha2-nistp256",
	    "ecdsa-sha2-nistp384",
	    "ecdsa-sha2-nistp521",
	    "sk-ssh-ed25519@openssh.com",
	    "sk-ecdsa-sha2-nistp256@openssh.com",
	    NULL,
	};
	unsigned char blob[64];
	size_t tlen = strlen(type), wlen = strlen(word);
	bool known = false;

	for (const char *const *t = types; *t && !known; t++)
		known = strcmp(type, *t) == 0;
	/* The type's length and name are in the first 48 bytes: 64 of base64.
	 */
	if (!known || wlen < 64 || wlen % 4 ||
	    strspn(word, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0"
			 "123456789+/=") != wlen)
		return false;
	if (EVP_DecodeBlock(blob, (const unsigned char *)word, 64) <
	    (int)(4 + tlen))
		return false;
	return blob[0] == 0 && blob[1] == 0 &&
	       (size_t)((blob[2] << 8) | blob[3]) == tlen &&
	       memcmp(blob + 4, type, tlen) == 0;
}

/*
 * Whether the line L (LEN bytes) holds a key that gives a shell: options
 * (any case) without a forced command, a restriction or an expiry, then
 * a key type and its blob.
 */
static bool key_line(const char *l, size_t len)
{
	char line[16384], *save = NULL, *word, *next;

	if (len >= sizeof(line))
		return false;
	memcpy(line, l, len);
	line[len] = '\0';
	line[strcspn(line, "\r")] = '\0';
	word = strtok_r(line, " \t", &save);
	if (word == NULL || word[0] == '#')
		return false;
	/* A first word that is no key type holds the options. */
	next = strtok_r(NULL, " \t", &save);
	if (next && !key_blob(word, next)) {
		if (strcasestr(word, "command=") ||
		    strcasestr(word, "restrict") ||
		    strcasestr(word, "expiry-time="))
			return false;
		word = next;
		next = strtok_r(NULL, " \t", &save);
	}
	return next && key_blob(word, next);
}

/*
 * Whether sshd (reading as A) can use PATH's directory DIR: owned by A
 * or root, writable by no one else where StrictModes holds, and
 * searchable by A.
 */
static bool dir_usable(struct hc_ctx *ctx, const struct sshd_view *v,
		       const struct account *a, const char *dir)
{
	struct stat st;
	bool own;

	if (hc_ctx_lstat(&st, ctx, dir) < 0) {
		hc_error_clear();
		return false;
	}
	if (S_ISLNK(st.st_mode))
		return true; /* followed by sshd; its target is not judged */
	own = (long)st.st_uid == a->uid;
	if (!S_ISDIR(st.st_mode) || !(st.st_mode & (own ? 0100 : 0001)))
		return false;
	return !v->strict_modes ||
	       ((st.st_uid == 0 || own) && (st.st_mode & 022) == 0);
}

/*
 * Whether FILE is a key file sshd would read for A: a regular file (a
 * symlink is not judged: its target may be /dev/null) that A can read,
 * in a home and .ssh sshd accepts; with StrictModes owned by A or root
 * and writable by no one else.
 */
static bool key_file_usable(struct hc_ctx *ctx, const struct hc_file *file,
			    const struct sshd_view *v, const struct account *a)
{
	bool own = (long)file->st.st_uid == a->uid;
	char dir[4096], *slash;

	if (file->link || !(file->st.st_mode & (own ? 0400 : 0004)))
		return false;
	if (v->strict_modes &&
	    ((file->st.st_mode & 022) || !(own || file->st.st_uid == 0)))
		return false;
	/* Its directory, and the one above it (~/.ssh and ~). */
	snprintf(dir, sizeof(dir), "%s", file->path);
	for (int up = 0;
	     up < 2 && (slash = strrchr(dir, '/')) != NULL && slash > dir;
	     up++) {
		*slash = '\0';
		if (!dir_usable(ctx, v, a, dir))
			return false;
	}
	return true;
}

/* Drop DIR's last name: where ".." leads from it. */
static void drop_last(struct hc_buf *dir)
{
	while (dir->size > 0 && dir->ptr[dir->size - 1] != '/')
		dir->size--;
	if (dir->size > 0)
		dir->ptr[--dir->size] = '\0';
}

/*
 * The link NAME (LEN bytes) in directory DIR (of TODO, whose rest starts
 * at AT): TODO becomes its target, then that rest; DIR is emptied for a
 * target from the top.
 */
static int splice_link(struct hc_buf *todo, struct hc_buf *dir,
		       struct hc_ctx *ctx, const char *name, size_t len,
		       size_t at)
{
	struct hc_buf link = HC_BUF_INIT, target = HC_BUF_INIT;
	int error;

	if ((error = hc_buf_printf(&link, "%s/%.*s", hc_buf_cstr(dir), (int)len,
				   name)) == 0 &&
	    (error = hc_ctx_readlink(&target, ctx, link.ptr)) == 0 &&
	    (error = hc_buf_puts(&target, todo->ptr + at)) == 0)
		error = hc_buf_set(todo, target.ptr, target.size);
	if (error == 0 && todo->ptr[0] == '/')
		hc_buf_clear(dir);
	hc_buf_release(&link);
	hc_buf_release(&target);
	return error;
}

/*
 * PATH as sshd opens it, into OUT: each directory on the way through
 * its links, as the plan leaves them, and ".." taken from where they
 * lead (the final name is kept: a link there is no key file judged).
 * A plan that writes the file a key path reaches another way
 * (AuthorizedKeysFile /etc/ssh/../issue, or through a linked
 * directory) changes that key file, and its state must read it there.
 */
static int key_real(struct hc_buf *out, struct hc_ctx *ctx, const char *path)
{
	struct hc_buf todo = HC_BUF_INIT;
	int error = hc_buf_puts(&todo, path), hops = 0;
	size_t at = 0;

	hc_buf_clear(out);
	while (error == 0 && at < todo.size) {
		const char *comp = todo.ptr + at + strspn(todo.ptr + at, "/");
		size_t len = strcspn(comp, "/"), keep = out->size;
		struct stat st;

		at = (size_t)(comp - todo.ptr) + len;
		if (len == 0 || (len == 1 && comp[0] == '.'))
			continue;
		if (len == 2 && comp[0] == '.' && comp[1] == '.') {
			drop_last(out);
			continue;
		}
		if ((error = hc_buf_puts(out, "/")) < 0 ||
		    (error = hc_buf_put(out, comp, len)) < 0 ||
		    todo.ptr[at] == '\0')
			break;
		if (hc_ctx_lstat(&st, ctx, out->ptr) < 0 ||
		    !S_ISLNK(st.st_mode) || ++hops > SUDO_MAXLINKS) {
			/* Absent, no link, or a loop: no key is read there. */
			hc_error_clear();
			continue;
		}
		out->size = keep;
		out->ptr[keep] = '\0';
		error = splice_link(&todo, out, ctx, comp, len, at);
		at = 0;
	}
	if (error == 0 && out->size == 0)
		error = hc_buf_puts(out, "/");
	hc_buf_release(&todo);
	return error;
}

/* Whether A has an authorized key in a file sshd reads. */
static int has_key(bool *out, struct hc_ctx *ctx, const struct sshd_view *v,
		   const struct account *a)
{
	struct hc_buf written = HC_BUF_INIT, path = HC_BUF_INIT;
	int error = 0;

	*out = false;
	for (size_t i = 0; i < v->key_files.n && !*out && error == 0; i++) {
		struct hc_file *file;
		struct stat st;

		if (strcmp(v->key_files.v[i], "none") == 0 ||
		    (error = key_path(&written, v->key_files.v[i], a)) < 0 ||
		    written.ptr[0] != '/' ||
		    (error = key_real(&path, ctx, written.ptr)) < 0)
			continue;
		/*
		 * Most accounts have none: a status first (as the plan leaves
		 * it), a read only for a regular file.
		 */
		error = hc_ctx_lstat(&st, ctx, path.ptr);
		if (error == HC_ENOTFOUND || error == HC_EUNSAFE) {
			hc_error_clear();
			error = 0;
			continue;
		}
		if (error < 0 || !S_ISREG(st.st_mode))
			continue;
		error =
		    hc_ctx_file(&file, ctx, path.ptr, NULL, HC_FILE_OPTIONAL);
		if (error == HC_EUNSAFE) {
			/* Not a regular file: sshd would not read it either. */
			hc_error_clear();
			error = 0;
			continue;
		}
		if (error < 0 || file == NULL ||
		    !key_file_usable(ctx, file, v, a))
			continue;
		for (const char *l = hc_buf_cstr(&file->cur); *l && !*out;) {
			size_t len = strcspn(l, "\n");

			*out = key_line(l, len);
			l += len + (l[len] == '\n');
		}
	}
	hc_buf_release(&written);
	hc_buf_release(&path);
	return error;
}

/* sudoers ------------------------------------------------------------------ */

/*
 * A user specification of sudoers, as far as becoming root goes: who it
 * names (words as written, "!" negations kept), and whether it grants
 * every command as root, or takes it away ("!ALL").  sudo applies the
 * last specification that matches.
 */
struct sudo_spec {
	struct hc_strlist users;
	bool grant; /* ALL as root; false: !ALL */
	int tag; /* TAG_NONE, TAG_NOPASSWD or TAG_PASSWD: the last one before */
	char *where; /* FILE:LINE */
};

struct sudo {
	struct sudo_spec *specs;
	size_t n, alloc;
	/*
	 * Defaults rootpw, targetpw or runaspw: root's password is asked
	 * (runaspw: runas_default's, root unless set otherwise).
	 */
	bool rootpw, targetpw, runaspw;
	bool noauth;  /* Defaults !authenticate: none is */
	bool notries; /* Defaults passwd_tries=0: none can be given */
	struct hc_strlist alias_names,
	    alias_members; /* parallel: member i of alias i */
	/* Cmnd_Alias and Runas_Alias, alike ("!" before a negated member). */
	struct hc_strlist cmnd_names, cmnd_members, runas_names, runas_members;
	bool aliases_only; /* the first pass: the aliases alone */
	char *unread; /* the first doubt: "PATH:LINE cannot be read, ..." */
	size_t files;
	struct hc_strlist read; /* every file and directory asked for */
};

enum { TAG_NONE, TAG_NOPASSWD, TAG_PASSWD };

/* W with its double quotes taken off, into TMP, as sudo reads a word. */
static const char *unquoted(struct hc_buf *tmp, const char *w)
{
	size_t len = strlen(w);

	if (len < 2 || w[0] != '"' || w[len - 1] != '"')
		return w;
	hc_buf_clear(tmp);
	if (hc_buf_put(tmp, w + 1, len - 2) < 0) {
		hc_error_clear();
		return w;
	}
	return hc_buf_cstr(tmp);
}

/*
 * Word W as sudo's lexer reads it: each run of "!" (blanks around)
 * turning it about (*NEG), then the word, its double quotes taken off
 * into TMP (sudo reads "admin" as admin).
 */
static const char *sudo_word(struct hc_buf *tmp, const char *w, bool *neg)
{

	*neg = false;
	for (;;) {
		size_t run = strspn(w, "!");

		if (run == 0)
			break;
		*neg ^= run & 1;
		w += run;
		w += strspn(w, " \t");
	}
	return unquoted(tmp, w);
}

static void sudo_release(struct sudo *s)
{
	for (size_t i = 0; i < s->n; i++) {
		hc_strlist_release(&s->specs[i].users);
		free(s->specs[i].where);
	}
	free(s->specs);
	hc_strlist_release(&s->alias_names);
	hc_strlist_release(&s->alias_members);
	hc_strlist_release(&s->cmnd_names);
	hc_strlist_release(&s->cmnd_members);
	hc_strlist_release(&s->runas_names);
	hc_strlist_release(&s->runas_members);
	hc_strlist_release(&s->read);
	free(s->unread);
	memset(s, 0, sizeof(*s));
}

/*
 * Keep AT (built there) as the first doubt on what sudoers grants: a
 * file not read, or a setting that may stop every command ("FILE:LINE
 * sets runchroot, ...").
 */
static int note_unread(struct sudo *s, struct hc_buf *at, int error)
{
	if (error == 0 && s->unread == NULL &&
	    (s->unread = hc_buf_detach(at)) == NULL)
		error = HC_ERROR;
	hc_buf_release(at);
	return error;
}

static int sudo_file(struct sudo *s, struct hc_ctx *ctx, const char *path,
		     unsigned int depth, struct hc_strlist *notes);
static int sudo_follow(struct hc_buf *out, struct sudo *s, struct hc_ctx *ctx,
		       const char *path);

/*
 * What alias NAME of NAMES (MEMBERS parallel) says of WORDS, as sudo
 * reads an alias: the last member that matches decides, each "!" before
 * it turning it about (an alias of "!ALL" takes ALL out); 1 takes one of
 * WORDS in, -1 takes it out, 0 says nothing.  Members name aliases in
 * turn; sudo keeps an alias's first definition (alias_kind() keeps no
 * other) and passes over a cycle, which DEPTH past the number of
 * members ends.
 */
static int alias_sign(const struct hc_strlist *names,
		      const struct hc_strlist *members, const char *name,
		      const char *const *words, size_t depth)
{
	if (depth > names->n)
		return 0;
	struct hc_buf tmp = HC_BUF_INIT;
	int v = 0;
	bool neg = false;

	for (size_t i = names->n; i-- > 0 && !v;) {
		const char *m;

		if (strcmp(names->v[i], name) != 0)
			continue;
		m = sudo_word(&tmp, members->v[i], &neg);
		/* sudo compares user names without regard to case. */
		for (const char *const *w = words; *w && !v; w++)
			v = (strcmp(*w, "root") == 0 ? strcasecmp(m, *w)
						     : strcmp(m, *w)) == 0;
		if (!v)
			v = alias_sign(names, members, m, words, depth + 1);
	}
	hc_buf_release(&tmp);
	return neg ? -v : v;
}

static const char *const root_words[] = {"ALL", "root", "#0", NULL};
static const char *const all_words[] = {"ALL", NULL};

/* Whether the Runas words of a command (in order; "!" takes out) take in root.
 */
static int runas_takes_root(bool *out, const struct sudo *s,
			    struct hc_file *file, const char *node)
{
	struct hc_strlist users = HC_STRLIST_INIT, groups = HC_STRLIST_INIT;
	struct hc_buf pattern = HC_BUF_INIT, word = HC_BUF_INIT;
	int error;

	*out = node == NULL;
	if (node == NULL)
		return 0;
	if ((error = hc_buf_printf(&pattern, "%s/runas_user", node)) < 0 ||
	    (error = hc_file_match(&users, file, pattern.ptr)) < 0)
		goto out;
	hc_buf_clear(&pattern);
	if ((error = hc_buf_printf(&pattern, "%s/runas_group", node)) < 0 ||
	    (error = hc_file_match(&groups, file, pattern.ptr)) < 0)
		goto out;
	/* No Runas: root; "(:group)" alone: that group, as oneself. */
	*out = users.n == 0 && groups.n == 0;
	for (size_t i = 0; i < users.n && error == 0; i++) {
		const char *r;

		if ((error = hc_file_get(&r, file, users.v[i])) == 0 && r) {
			bool neg;
			const char *w = sudo_word(&word, r, &neg);
			int v =
			    strcmp(w, "ALL") == 0 ||
				    strcasecmp(w, "root") == 0 ||
				    strcmp(w, "#0") == 0
				? 1
				: alias_sign(&s->runas_names, &s->runas_members,
					     w, root_words, 0);

			if (v)
				*out = neg ? v < 0 : v > 0;
		}
	}
out:
	hc_buf_release(&word);
	hc_buf_release(&pattern);
	hc_strlist_release(&users);
	hc_strlist_release(&groups);
	return error;
}

/*
 * What command node NODE of a spec says of ALL as root: *all set when
 * it is "ALL" (or "!ALL": the lens marks it with a "negate" child), or
 * a Cmnd_Alias that takes ALL in or out, run as root by the Runas of
 * command node RUNAS (NULL: none, root); *grant false for what takes ALL
 * out; *tag from its tags (PASSWD asks a password even where Defaults
 * !authenticate asks none).  Tags and the Runas carry on to the
 * commands after them in the same host group: the caller keeps them.
 */
static int command_all(bool *all, bool *grant, int *tag, const struct sudo *s,
		       struct hc_file *file, const char *node,
		       const char *runas)
{
	struct hc_strlist tags = HC_STRLIST_INIT, negate = HC_STRLIST_INIT;
	struct hc_buf pattern = HC_BUF_INIT;
	const char *cmd;
	int error, sign;

	*all = false;
	if ((error = hc_buf_printf(&pattern, "%s/tag", node)) < 0 ||
	    (error = hc_file_match(&tags, file, pattern.ptr)) < 0)
		goto out;
	for (size_t i = 0; i < tags.n && error == 0; i++) {
		const char *t;

		if ((error = hc_file_get(&t, file, tags.v[i])) == 0 && t)
			*tag = strcmp(t, "NOPASSWD") == 0 ? TAG_NOPASSWD
			       : strcmp(t, "PASSWD") == 0 ? TAG_PASSWD
							  : *tag;
	}
	hc_buf_clear(&pattern);
	if (error < 0 || (error = hc_file_get(&cmd, file, node)) < 0 ||
	    cmd == NULL ||
	    (error = hc_buf_printf(&pattern, "%s/negate", node)) < 0 ||
	    (error = hc_file_match(&negate, file, pattern.ptr)) < 0)
		goto out;
	*grant = negate.n == 0 && cmd[0] != '!';
	cmd += cmd[0] == '!';
	sign = strcmp(cmd, "ALL") == 0
		   ? 1
		   : alias_sign(&s->cmnd_names, &s->cmnd_members, cmd,
				all_words, 0);
	if (sign < 0) /* an alias that takes ALL out */
		*grant = !*grant;
	if (sign)
		error = runas_takes_root(all, s, file, runas);
out:
	hc_buf_release(&pattern);
	hc_strlist_release(&tags);
	hc_strlist_release(&negate);
	return error;
}

/*
 * Whether host group GROUP takes in every host (this host's name is not
 * known): its last ALL comes after every negated host.
 */
static int any_host(bool *out, struct hc_file *file, const char *group)
{
	struct hc_strlist hosts = HC_STRLIST_INIT;
	struct hc_buf pattern = HC_BUF_INIT;
	int error;

	*out = false;
	if ((error = hc_buf_printf(&pattern, "%s/host", group)) == 0 &&
	    (error = hc_file_match(&hosts, file, pattern.ptr)) == 0) {
		for (size_t i = 0; i < hosts.n && error == 0; i++) {
			const char *h;

			if ((error = hc_file_get(&h, file, hosts.v[i])) < 0 ||
			    h == NULL)
				continue;
			/*
			 * The last host that matches decides: ALL does; a
			 * negated one may be this host (whose name is not
			 * known here), and takes the group out.
			 */
			if (strcmp(h, "ALL") == 0)
				*out = true;
			else if (h[0] == '!')
				*out = false;
		}
	}
	hc_buf_release(&pattern);
	hc_strlist_release(&hosts);
	return error;
}

static int push_spec(struct sudo *s, struct hc_file *file, const char *spec,
		     bool grant, int tag)
{
	struct hc_strlist users = HC_STRLIST_INIT;
	struct hc_buf pattern = HC_BUF_INIT, where = HC_BUF_INIT;
	struct sudo_spec *sp;
	int error;

	if (s->n == s->alloc) {
		size_t alloc = s->alloc ? s->alloc * 2 : 16;
		struct sudo_spec *v = reallocarray(s->specs, alloc, sizeof(*v));

		if (v == NULL)
			return hc_error_oom();
		s->specs = v;
		s->alloc = alloc;
	}
	sp = &s->specs[s->n++];
	memset(sp, 0, sizeof(*sp));
	sp->grant = grant;
	sp->tag = tag;
	if ((error = hc_buf_printf(&where, "%s:%u", file->path,
				   hc_file_line(file, spec))) < 0 ||
	    (sp->where = hc_buf_detach(&where)) == NULL ||
	    (error = hc_buf_printf(&pattern, "%s/user", spec)) < 0 ||
	    (error = hc_file_match(&users, file, pattern.ptr)) < 0)
		goto out;
	for (size_t i = 0; i < users.n && error == 0; i++) {
		const char *u;

		if ((error = hc_file_get(&u, file, users.v[i])) == 0 && u)
			error = hc_strlist_push(&sp->users, u);
	}
out:
	hc_buf_release(&where);
	hc_buf_release(&pattern);
	hc_strlist_release(&users);
	return error < 0 ? error : sp->where ? 0 : HC_ERROR;
}

/*
 * Host group GROUP of user specification SPEC.  Tags and the Runas carry
 * on from one command to the next within it, not past it (":").
 */
static int spec_group(struct sudo *s, struct hc_file *file, const char *spec,
		      const char *group)
{
	struct hc_strlist cmds = HC_STRLIST_INIT;
	struct hc_buf pattern = HC_BUF_INIT;
	const char *runas = NULL; /* the Runas in force */
	int tag = TAG_NONE;
	bool host;
	int error;

	if ((error = any_host(&host, file, group)) < 0 ||
	    (error = hc_buf_printf(&pattern, "%s/command", group)) < 0 ||
	    (error = hc_file_match(&cmds, file, pattern.ptr)) < 0)
		goto out;
	for (size_t i = 0; i < cmds.n && error == 0; i++) {
		bool all, grant = true;
		int own;

		hc_buf_clear(&pattern);
		if ((error = hc_buf_printf(&pattern,
					   "%s/*[label() = 'runas_user' or "
					   "label() = 'runas_group']",
					   cmds.v[i])) < 0)
			break;
		if ((own = hc_file_count(file, pattern.ptr)) < 0) {
			error = own;
			break;
		}
		runas = own ? cmds.v[i] : runas;
		if ((error = command_all(&all, &grant, &tag, s, file, cmds.v[i],
					 runas)) == 0 &&
		    all && (host || !grant))
			error = push_spec(s, file, spec, grant, tag);
	}
out:
	hc_buf_release(&pattern);
	hc_strlist_release(&cmds);
	return error;
}

/*
 * One user specification: what each of its host groups says of ALL as
 * root, in order.  A grant counts only on the host ALL; a "!ALL" takes
 * it away whatever the host.
 */
static int sudo_spec(struct sudo *s, struct hc_file *file, const char *spec)
{
	struct hc_strlist groups = HC_STRLIST_INIT;
	struct hc_buf pattern = HC_BUF_INIT;
	int error;

	if ((error = hc_buf_printf(&pattern, "%s/host_group", spec)) == 0 &&
	    (error = hc_file_match(&groups, file, pattern.ptr)) == 0)
		for (size_t g = 0; g < groups.n && error == 0; g++)
			error = spec_group(s, file, spec, groups.v[g]);
	hc_buf_release(&pattern);
	hc_strlist_release(&groups);
	return error;
}

/* Push alias NAME's member NODE, "!" before it if negated. */
static int push_member(struct hc_strlist *names, struct hc_strlist *members,
		       struct hc_file *file, const char *name, const char *node)
{
	struct hc_buf pattern = HC_BUF_INIT, word = HC_BUF_INIT;
	const char *v;
	int error, neg = 0;

	if ((error = hc_file_get(&v, file, node)) < 0 || v == NULL ||
	    (error = hc_buf_printf(&pattern, "%s/negate", node)) < 0)
		goto out;
	if ((neg = hc_file_count(file, pattern.ptr)) < 0)
		goto out;
	if ((error = hc_buf_printf(&word, "%s%s", neg ? "!" : "", v)) == 0 &&
	    (error = hc_strlist_push(names, name)) == 0)
		error = hc_strlist_push(members, word.ptr);
out:
	hc_buf_release(&word);
	hc_buf_release(&pattern);
	return neg < 0 ? neg : error;
}

/*
 * The aliases of one alias LINE of FILE ("User_Alias A = x : B = y"),
 * each member (FIELD) pushed onto MEMBERS beside its alias's name on
 * NAMES; "!" before a member the lens marks negated.
 */
static int alias_kind(struct hc_strlist *names, struct hc_strlist *members,
		      struct hc_file *file, const char *line, const char *field)
{
	struct hc_strlist aliases = HC_STRLIST_INIT, kids = HC_STRLIST_INIT;
	struct hc_buf pattern = HC_BUF_INIT;
	int error;

	if ((error = hc_buf_printf(&pattern, "%s/alias", line)) < 0 ||
	    (error = hc_file_match(&aliases, file, pattern.ptr)) < 0)
		goto out;
	for (size_t i = 0; i < aliases.n && error == 0; i++) {
		char *name;

		hc_strlist_release(&kids);
		hc_buf_clear(&pattern);
		if ((error = hc_file_child(&name, file, aliases.v[i], "name")) <
			0 ||
		    name == NULL)
			continue;
		/*
		 * sudo keeps the first definition of a name; a second is an
		 * error that drops the rest of its line.
		 */
		if (hc_strlist_has(names, name)) {
			free(name);
			break;
		}
		if ((error = hc_buf_printf(&pattern, "%s/%s", aliases.v[i],
					   field)) < 0 ||
		    (error = hc_file_match(&kids, file, pattern.ptr)) < 0) {
			free(name);
			continue;
		}
		for (size_t m = 0; m < kids.n && error == 0; m++)
			error =
			    push_member(names, members, file, name, kids.v[m]);
		free(name);
	}
out:
	hc_buf_release(&pattern);
	hc_strlist_release(&kids);
	hc_strlist_release(&aliases);
	return error;
}

/*
 * The aliases of top-level NODE (LABEL) of FILE, taken where they stand,
 * as sudo reads them: a file's includes in their place.
 */
static int sudo_aliases(struct sudo *s, struct hc_file *file, const char *node,
			const char *label)
{
	if (strcmp(label, "User_Alias") == 0)
		return alias_kind(&s->alias_names, &s->alias_members, file,
				  node, "user");
	if (strcmp(label, "Cmnd_Alias") == 0)
		return alias_kind(&s->cmnd_names, &s->cmnd_members, file, node,
				  "command");
	if (strcmp(label, "Runas_Alias") == 0)
		return alias_kind(&s->runas_names, &s->runas_members, file,
				  node, "runas_user");
	return 0;
}

/*
 * Whether sudo reads a sudoers file or directory of status ST: root's,
 * no one else may write it, its group only where it is root's group
 * (sudo's own test, sudo_secure_path()).
 */
static bool sudo_trusts(const struct stat *st)
{
	return st->st_uid == 0 && !(st->st_mode & S_IWOTH) &&
	       (!(st->st_mode & S_IWGRP) || st->st_gid == 0);
}

/*
 * sudo's includedir: files whose names hold no '.' and do not end in '~',
 * in a directory sudo trusts (else it passes over all of it).
 */
static int sudo_includedir(struct sudo *s, struct hc_ctx *ctx, const char *dir,
			   unsigned int depth, struct hc_strlist *notes)
{
	struct hc_strlist paths = HC_STRLIST_INIT;
	struct hc_buf pattern = HC_BUF_INIT, real = HC_BUF_INIT;
	struct stat dst;
	int error;

	if ((error = hc_strlist_push(&s->read, dir)) < 0 ||
	    (error = sudo_follow(&real, s, ctx, dir)) < 0)
		goto out;
	if (hc_ctx_lstat(&dst, ctx, real.ptr) < 0) {
		hc_error_clear();
		goto out;
	}
	if (S_ISDIR(dst.st_mode) && !sudo_trusts(&dst)) {
		hc_buf_clear(&pattern);
		if ((error = hc_buf_printf(&pattern,
					   "%s is not root's, or others may "
					   "write it: sudo passes over it",
					   dir)) == 0 &&
		    !hc_strlist_has(notes, pattern.ptr))
			error = hc_strlist_push(notes, pattern.ptr);
		goto out;
	}
	if ((error = hc_buf_printf(&pattern, "%s/*", dir)) < 0 ||
	    (error = hc_ctx_glob(&paths, ctx, pattern.ptr)) < 0)
		goto out;
	for (size_t i = 0; i < paths.n && error == 0; i++) {
		const char *base = strrchr(paths.v[i], '/') + 1;
		struct stat st;

		if (strchr(base, '.') || base[strlen(base) - 1] == '~')
			continue;
		/* sudo passes over what is no regular file, links followed. */
		if ((error = sudo_follow(&real, s, ctx, paths.v[i])) < 0)
			break;
		if (hc_ctx_lstat(&st, ctx, real.ptr) < 0 ||
		    !S_ISREG(st.st_mode)) {
			hc_error_clear();
			continue;
		}
		error = sudo_file(s, ctx, paths.v[i], depth + 1, notes);
	}
out:
	hc_buf_release(&real);
	hc_buf_release(&pattern);
	hc_strlist_release(&paths);
	return error;
}

/* A flag that makes sudo ask for more set to ON, SCOPED or not. */
static bool asks(bool was, bool on, bool scoped)
{
	return on || (scoped && was);
}

/* Whether passwd_tries NODE is 0: no password can be given at all. */
static bool no_tries(struct hc_file *file, const char *node)
{
	const char *v = NULL;
	char *end;
	long n;

	char digits[32];
	size_t k = 0;

	if (hc_file_get(&v, file, node) < 0 || v == NULL) {
		hc_error_clear();
		return false;
	}
	/* As sudo reads the word: its quotes and backslashes taken off. */
	for (; *v && k + 1 < sizeof(digits); v++)
		if (*v != '"' && *v != '\\')
			digits[k++] = *v;
	digits[k] = '\0';
	errno = 0;
	n = strtol(digits, &end, 10);
	return end != digits && *end == '\0' && errno == 0 && n <= 0;
}

/*
 * Defaults runchroot or runcwd NODE (LABEL) of FILE, unless "*" (or "~"
 * for runcwd): sudo runs every command there, and fails each where the
 * directory is not (which the judgment does not know): a doubt.
 */
static int stops_all(struct sudo *s, struct hc_file *file, const char *node,
		     const char *label)
{
	struct hc_buf at = HC_BUF_INIT;
	const char *v = NULL;

	if (hc_file_get(&v, file, node) < 0) {
		hc_error_clear();
		v = NULL;
	}
	if (v && (strcmp(v, "*") == 0 || strcmp(v, "\"*\"") == 0 ||
		  (strcmp(label, "runcwd") == 0 && strcmp(v, "~") == 0)))
		return 0;
	return note_unread(s, &at,
			   hc_buf_printf(&at,
					 "%s:%u sets %s, which may stop every "
					 "command",
					 file->path, hc_file_line(file, node),
					 label));
}

/* Defaults parameter NODE (LABEL), NEGATED and SCOPED or not. */
static int one_default(struct sudo *s, struct hc_file *file, const char *node,
		       const char *label, bool negated, bool scoped)
{
	if (strcmp(label, "rootpw") == 0)
		s->rootpw = asks(s->rootpw, !negated, scoped);
	else if (strcmp(label, "targetpw") == 0)
		s->targetpw = asks(s->targetpw, !negated, scoped);
	else if (strcmp(label, "runaspw") == 0)
		s->runaspw = asks(s->runaspw, !negated, scoped);
	else if (strcmp(label, "passwd_tries") == 0)
		s->notries = asks(s->notries, no_tries(file, node), scoped);
	else if (strcmp(label, "authenticate") == 0)
		s->noauth = scoped ? s->noauth && negated : negated;
	else if ((strcmp(label, "runchroot") == 0 ||
		  strcmp(label, "runcwd") == 0) &&
		 !negated)
		return stops_all(s, file, node, label);
	return 0;
}

/*
 * What Defaults line NODE says of whose password sudo asks, taken in
 * file order across includes, as sudo applies them.  A scoped one
 * ("Defaults:bob rootpw") is taken as global where that asks more, never
 * where it asks less: "Defaults:admin authenticate" after a global
 * "!authenticate" has admin give a password.
 */
static int sudo_defaults(struct sudo *s, struct hc_file *file, const char *node)
{
	struct hc_strlist params = HC_STRLIST_INIT;
	struct hc_buf pattern = HC_BUF_INIT;
	int error, scoped = 0;

	if ((error = hc_buf_printf(&pattern, "%s/type", node)) < 0 ||
	    (scoped = hc_file_count(file, pattern.ptr)) < 0)
		goto out;
	hc_buf_clear(&pattern);
	if ((error = hc_buf_printf(&pattern, "%s/*[label() != 'type']", node)) <
		0 ||
	    (error = hc_file_match(&params, file, pattern.ptr)) < 0)
		goto out;
	for (size_t i = 0; i < params.n && error == 0; i++) {
		const char *label = hc_file_label(file, params.v[i]);
		int negated;

		if (label == NULL)
			continue;
		hc_buf_clear(&pattern);
		if ((error =
			 hc_buf_printf(&pattern, "%s/negate", params.v[i])) < 0)
			break;
		if ((negated = hc_file_count(file, pattern.ptr)) < 0) {
			error = negated;
			break;
		}
		error =
		    one_default(s, file, params.v[i], label, negated, scoped);
	}
out:
	hc_buf_release(&pattern);
	hc_strlist_release(&params);
	return scoped < 0 ? scoped : error;
}

/*
 * Into PATH, clean, the file or directory (DIR) include NODE of FILE (as
 * sudo NAMED it) names, as sudo reads the name: its quotes taken off, a
 * relative one in NAMED's directory.  1 when it is to be read; 0 when it
 * is not, and what sudoers grants is in doubt (note_unread()): a name
 * with "%h" (the host's, not known here) or a backslash, a directory
 * with a glob character (a name sudo takes as it is), a file that is
 * missing (sudo then reads no sudoers at all).  Or HC_ERROR.
 */
static int include_path(struct hc_buf *path, struct sudo *s, struct hc_ctx *ctx,
			struct hc_file *file, const char *named,
			const char *node, bool dir)
{
	struct hc_buf name = HC_BUF_INIT, at = HC_BUF_INIT;
	unsigned int line = hc_file_line(file, node);
	const char *v;
	struct stat st;
	int error;

	if ((error = hc_file_get(&v, file, node)) < 0 || v == NULL)
		return error;
	v = unquoted(&name, v);
	if (error == 0 &&
	    (strstr(v, "%h") || strchr(v, '\\') || (dir && strpbrk(v, "*?["))))
		error = note_unread(
		    s, &at,
		    hc_buf_printf(&at,
				  "%s:%u (an include of %s, a name not "
				  "followed here) cannot be read, and may "
				  "take that away",
				  file->path, line, v));
	else if (error == 0 && v[0] != '/')
		error =
		    hc_buf_printf(&at, "%.*s/%s",
				  (int)(strrchr(named, '/') - named), named, v);
	else if (error == 0)
		error = hc_buf_puts(&at, v);
	if (error == 0 && at.size && (error = hc_path_clean(path, at.ptr)) == 0)
		error = 1;
	if (error == 1 && !dir && hc_ctx_lstat(&st, ctx, path->ptr) < 0) {
		hc_error_clear();
		hc_buf_clear(&at);
		error = note_unread(
		    s, &at,
		    hc_buf_printf(&at,
				  "%s:%u includes %s, which is missing: sudo "
				  "then reads no sudoers at all",
				  file->path, line, path->ptr));
	}
	hc_buf_release(&at);
	hc_buf_release(&name);
	return error;
}

/*
 * Take in one top-level NODE of a sudoers FILE (NAMED so by sudo, its
 * links unfollowed) at DEPTH: a user spec, a Defaults line, or an
 * #include/#includedir (a relative one in NAMED's directory).  The path
 * is taken clean ("/etc//issue" is /etc/issue), as the plan names files:
 * so the judgment sees that the plan changes it, and reads it as the
 * plan leaves it.
 */
static int sudo_node(struct sudo *s, struct hc_ctx *ctx, struct hc_file *file,
		     const char *named, const char *node, unsigned int depth,
		     struct hc_strlist *notes)
{
	const char *label = hc_file_label(file, node);
	struct hc_buf path = HC_BUF_INIT;
	bool dir;
	int error = 0;

	if (label == NULL)
		return 0;
	if (strncmp(label, "spec", 4) == 0)
		return s->aliases_only ? 0 : sudo_spec(s, file, node);
	if (strcmp(label, "Defaults") == 0)
		return s->aliases_only ? 0 : sudo_defaults(s, file, node);
	if (strstr(label, "_Alias"))
		return s->aliases_only ? sudo_aliases(s, file, node, label) : 0;
	dir = strcmp(label, "#includedir") == 0 ||
	      strcmp(label, "@includedir") == 0;
	if (!dir && strcmp(label, "#include") != 0 &&
	    strcmp(label, "@include") != 0)
		return 0;
	if ((error = include_path(&path, s, ctx, file, named, node, dir)) <= 0)
		goto out;
	error = dir ? sudo_includedir(s, ctx, path.ptr, depth, notes)
		    : sudo_file(s, ctx, path.ptr, depth + 1, notes);
out:
	hc_buf_release(&path);
	return error;
}

/*
 * PATH with its final links followed, as the plan leaves them, into OUT,
 * and each name they lead to pushed onto S's read list: sudo reads what
 * a link names, so a plan that writes that file changes what it grants,
 * and the plan's state must read it there.  A name that is absent or no
 * link ends it: hc_ctx_file() says what it is.
 */
static int sudo_follow(struct hc_buf *out, struct sudo *s, struct hc_ctx *ctx,
		       const char *path)
{
	struct hc_buf target = HC_BUF_INIT, whole = HC_BUF_INIT;
	int error;

	hc_buf_clear(out);
	error = hc_buf_puts(out, path);
	for (int hops = 0; error == 0 && hops < SUDO_MAXLINKS; hops++) {
		struct stat st;

		if (hc_ctx_lstat(&st, ctx, out->ptr) < 0) {
			hc_error_clear();
			break;
		}
		if (!S_ISLNK(st.st_mode))
			break;
		hc_buf_clear(&target);
		hc_buf_clear(&whole);
		if ((error = hc_ctx_readlink(&target, ctx, out->ptr)) < 0)
			break;
		if (hc_buf_cstr(&target)[0] == '/')
			error = hc_buf_puts(&whole, target.ptr);
		else
			error = hc_buf_printf(
			    &whole, "%.*s/%s",
			    (int)(strrchr(out->ptr, '/') - out->ptr), out->ptr,
			    target.ptr);
		if (error == 0 && (error = hc_path_clean(out, whole.ptr)) == 0)
			error = hc_strlist_push(&s->read, out->ptr);
	}
	hc_buf_release(&target);
	hc_buf_release(&whole);
	return error;
}

/*
 * PATH holds valid sudo syntax the lens does not read ("%sudo, !admin"),
 * as the last error says: what it grants is not judged, and what it may
 * take away is not known, so no sudo grant counts (becomes_root()).
 * Hardctl_Sudoers is Augeas's Sudoers with a Defaults line that takes
 * any parameter, as sudo does: Sudoers's list lacks many, and a file
 * holding one did not parse at all.
 */
static int not_read(struct sudo *s, const char *path, struct hc_strlist *notes)
{
	struct hc_buf note = HC_BUF_INIT, at = HC_BUF_INIT;
	unsigned int line = hc_error_last()->line;
	int error =
	    hc_buf_printf(&note, "%s:%u: %s (sudo rules there not judged)",
			  path, line, hc_error_last()->message);

	if (error == 0)
		error = note_unread(
		    s, &at,
		    line ? hc_buf_printf(
			       &at,
			       "%s:%u cannot be read, and may take that away",
			       path, line)
			 : hc_buf_printf(
			       &at, "%s cannot be read, and may take that away",
			       path));
	hc_buf_release(&at);
	hc_error_clear();
	if (error == 0 && !hc_strlist_has(notes, note.ptr))
		error = hc_strlist_push(notes, note.ptr);
	hc_buf_release(&note);
	return error;
}

static int sudo_file(struct sudo *s, struct hc_ctx *ctx, const char *path,
		     unsigned int depth, struct hc_strlist *notes)
{
	struct hc_strlist nodes = HC_STRLIST_INIT;
	struct hc_buf note = HC_BUF_INIT, real = HC_BUF_INIT;
	const char *named = path; /* as sudo names it, links unfollowed */
	struct hc_file *file;
	int error;

	if (depth > MAX_SUDO_DEPTH || s->files >= MAX_SUDO_INCLUDES)
		return note_unread(
		    s, &note,
		    hc_buf_printf(&note,
				  "%s (included past %d levels or %d files) "
				  "cannot be read, and may take that away",
				  path, MAX_SUDO_DEPTH, MAX_SUDO_INCLUDES));
	if ((error = hc_strlist_push(&s->read, path)) < 0 ||
	    (error = sudo_follow(&real, s, ctx, path)) < 0)
		goto out;
	path = real.ptr;
	error = hc_ctx_file(&file, ctx, path, "Hardctl_Sudoers.lns",
			    HC_FILE_OPTIONAL);
	if (error == HC_EPARSE) {
		error = not_read(s, path, notes);
		goto out;
	}
	if (error < 0 || file == NULL)
		goto out;
	s->files++;
	/* sudo refuses a sudoers file it cannot trust, and all it says. */
	if (!sudo_trusts(&file->st)) {
		error = hc_buf_printf(
		    &note,
		    "%s is not root's, or others may write it: sudo ignores it",
		    path);
		if (error == 0 && !hc_strlist_has(notes, note.ptr))
			error = hc_strlist_push(notes, note.ptr);
		goto out;
	}
	if ((error = hc_file_match(&nodes, file, "*")) < 0)
		goto out;
	for (size_t i = 0; i < nodes.n && error == 0; i++)
		error =
		    sudo_node(s, ctx, file, named, nodes.v[i], depth, notes);
out:
	hc_strlist_release(&nodes);
	hc_buf_release(&note);
	hc_buf_release(&real);
	return error;
}

/*
 * All that sudoers says, from SUDOERS through its includes.  sudo knows
 * every alias wherever it stands, before or after its use, and in any
 * file: a first pass reads them, a second the rest in file order.
 */
static int sudo_all(struct sudo *s, struct hc_ctx *ctx,
		    struct hc_strlist *notes)
{
	int error;

	s->aliases_only = true;
	error = sudo_file(s, ctx, SUDOERS, 0, notes);
	s->aliases_only = false;
	hc_strlist_release(&s->read);
	s->files = 0;
	return error < 0 ? error : sudo_file(s, ctx, SUDOERS, 0, notes);
}

/* sudoers, read ahead ------------------------------------------------------ */

/*
 * What sudoers grants is the same before and after a plan that changes
 * none of the files sudo_file() asked for, and reading it is the
 * judgment's dearest part: the lens's expressions compile in tens of
 * milliseconds, more than everything else the judgment reads.
 * hc_access_ahead_start() forks a child that reads it, through its copy
 * of the context, while this process checks and plans on the other
 * core; hc_access_judge() unpacks the child's answer for both states
 * (read here, through a fresh context as the child's, when the child
 * failed or there is none), or reads sudoers afresh for each when the
 * plan changes what it read.  The answer is the struct sudo and the
 * notes sudo_file() made, packed as NUL-terminated fields.  One per
 * process, as the error slot is.
 */
static struct {
	pid_t pid;          /* the child; 0: none */
	int fd;             /* the read end of its answer */
	bool done;          /* the answer read (and the child reaped) */
	struct hc_buf pack; /* its answer; empty: none usable */
} ahead = {.fd = -1};

#define AHEAD_MAGIC "hardctl-sudo-3"

static int pack_str(struct hc_buf *out, const char *s)
{
	return hc_buf_put(out, s, strlen(s) + 1);
}

static int pack_num(struct hc_buf *out, size_t n)
{
	char num[32];

	snprintf(num, sizeof(num), "%zu", n);
	return pack_str(out, num);
}

static int pack_list(struct hc_buf *out, const struct hc_strlist *l)
{
	int error = pack_num(out, l->n);

	for (size_t i = 0; i < l->n && error == 0; i++)
		error = pack_str(out, l->v[i]);
	return error;
}

static int sudo_pack(struct hc_buf *out, const struct sudo *s,
		     const struct hc_strlist *notes)
{
	int error;

	if ((error = pack_str(out, AHEAD_MAGIC)) < 0 ||
	    (error = pack_num(out, s->rootpw)) < 0 ||
	    (error = pack_num(out, s->noauth)) < 0 ||
	    (error = pack_num(out, s->targetpw)) < 0 ||
	    (error = pack_num(out, s->runaspw)) < 0 ||
	    (error = pack_num(out, s->notries)) < 0 ||
	    (error = pack_num(out, s->files)) < 0 ||
	    (error = pack_str(out, s->unread ? s->unread : "")) < 0 ||
	    (error = pack_num(out, s->n)) < 0)
		return error;
	for (size_t i = 0; i < s->n && error == 0; i++) {
		const struct sudo_spec *sp = &s->specs[i];

		if ((error = pack_num(out, sp->grant)) == 0 &&
		    (error = pack_num(out, (size_t)sp->tag)) == 0 &&
		    (error = pack_str(out, sp->where)) == 0)
			error = pack_list(out, &sp->users);
	}
	if (error == 0 && (error = pack_list(out, &s->alias_names)) == 0 &&
	    (error = pack_list(out, &s->alias_members)) == 0 &&
	    (error = pack_list(out, &s->read)) == 0)
		error = pack_list(out, notes);
	return error;
}

/* A cursor over a packed answer; any field out of place ends it (bad). */
struct unpack {
	const char *p, *end;
	bool bad;
};

static const char *unpack_str(struct unpack *u)
{
	const char *s = u->p, *nul;

	if (u->bad || s == NULL ||
	    (nul = memchr(s, '\0', (size_t)(u->end - s))) == NULL) {
		u->bad = true;
		return "";
	}
	u->p = nul + 1;
	return s;
}

/* A count or a flag, at most MAX. */
static size_t unpack_num(struct unpack *u, size_t max)
{
	const char *s = unpack_str(u);
	char *end;
	unsigned long long v;

	if (u->bad)
		return 0;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (*s < '0' || *s > '9' || *end || errno || v > max) {
		u->bad = true;
		return 0;
	}
	return (size_t)v;
}

static int unpack_list(struct unpack *u, struct hc_strlist *l)
{
	/* Each string takes at least its NUL: no count can be more. */
	size_t n = unpack_num(u, (size_t)(u->end - u->p));
	int error = 0;

	for (size_t i = 0; i < n && error == 0 && !u->bad; i++)
		error = hc_strlist_push(l, unpack_str(u));
	return error;
}

/* Fill S (zeroed) and push onto NOTES what the child read; 1 if bad. */
static int sudo_unpack(struct sudo *s, struct hc_strlist *notes,
		       const struct hc_buf *pack)
{
	struct unpack u = {pack->ptr, pack->ptr + pack->size, false};
	struct hc_strlist l = HC_STRLIST_INIT;
	const char *unread;
	size_t n;
	int error = 0;

	if (strcmp(unpack_str(&u), AHEAD_MAGIC) != 0)
		return 1;
	s->rootpw = unpack_num(&u, 1);
	s->noauth = unpack_num(&u, 1);
	s->targetpw = unpack_num(&u, 1);
	s->runaspw = unpack_num(&u, 1);
	s->notries = unpack_num(&u, 1);
	s->files = unpack_num(&u, MAX_SUDO_INCLUDES);
	if (*(unread = unpack_str(&u)) && (s->unread = strdup(unread)) == NULL)
		return hc_error_oom();
	n = unpack_num(&u, pack->size);
	if (!u.bad && n && (s->specs = calloc(n, sizeof(*s->specs))) == NULL)
		return hc_error_oom();
	s->alloc = n;
	for (size_t i = 0; i < n && error == 0 && !u.bad; i++) {
		struct sudo_spec *sp = &s->specs[s->n++];

		sp->grant = unpack_num(&u, 1);
		sp->tag = (int)unpack_num(&u, TAG_PASSWD);
		if ((sp->where = hc_strdup(unpack_str(&u))) == NULL)
			error = HC_ERROR;
		else
			error = unpack_list(&u, &sp->users);
	}
	if (error == 0)
		error = unpack_list(&u, &s->alias_names);
	if (error == 0)
		error = unpack_list(&u, &s->alias_members);
	if (error == 0)
		error = unpack_list(&u, &s->read);
	if (error == 0)
		error = unpack_list(&u, &l);
	if (error == 0 && !u.bad &&
	    (u.p != u.end || s->alias_names.n != s->alias_members.n))
		u.bad = true;
	/* As sudo_file() pushes them: each once. */
	for (size_t i = 0; i < l.n && error == 0 && !u.bad; i++)
		if (!hc_strlist_has(notes, l.v[i]))
			error = hc_strlist_push(notes, l.v[i]);
	hc_strlist_release(&l);
	if (error < 0 || u.bad)
		sudo_release(s);
	return error < 0 ? error : u.bad;
}

/*
 * The child: read, pack, write, and end without the parent's exit work.
 * Never inlined: bench/run's instruction count starts the child's own
 * here (callgrind --zero-before=ahead_child).
 */
static __attribute__((noinline)) void ahead_child(int fd, struct hc_ctx *parent)
{
	struct hc_ctx ctx;
	struct sudo s = {0};
	struct hc_strlist notes = HC_STRLIST_INIT;
	struct hc_buf out = HC_BUF_INIT;
	bool ok;

	hc_ctx_init(&ctx, parent->root, parent->aug, parent->profile);
	ok = !hc_fault_at("access-ahead", EIO) &&
	     sudo_all(&s, &ctx, &notes) == 0 &&
	     sudo_pack(&out, &s, &notes) == 0;
	for (size_t off = 0; ok && off < out.size;) {
		ssize_t n = write(fd, out.ptr + off, out.size - off);

		if (n < 0 && errno == EINTR)
			continue;
		ok = n > 0;
		off += ok ? (size_t)n : 0;
	}
	/* Freed, for valgrind's count at the exit. */
	hc_buf_release(&out);
	hc_strlist_release(&notes);
	sudo_release(&s);
	hc_ctx_release(&ctx);
	_exit(ok ? 0 : 1);
}

int hc_access_ahead_start(struct hc_ctx *ctx)
{
	int fds[2];
	pid_t pid;

	if (ahead.pid || ahead.done)
		return 0;
	if (pipe2(fds, O_CLOEXEC) < 0)
		return 0;
	/* Nothing buffered may be written twice. */
	fflush(NULL);
	if ((pid = fork()) < 0) {
		close(fds[0]);
		close(fds[1]);
		return 0;
	}
	if (pid == 0) {
		close(fds[0]);
		ahead_child(fds[1], ctx);
	}
	close(fds[1]);
	ahead.pid = pid;
	ahead.fd = fds[0];
	return 1;
}

/* Read the child's answer whole and reap it; an empty pack if unusable. */
static void ahead_collect(void)
{
	char chunk[8192];
	int status = 0;
	pid_t r;
	bool ok = true;

	if (ahead.done || ahead.pid == 0)
		return;
	for (;;) {
		ssize_t n = read(ahead.fd, chunk, sizeof(chunk));

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			ok = n == 0;
			break;
		}
		if (hc_buf_put(&ahead.pack, chunk, (size_t)n) < 0) {
			hc_error_clear();
			ok = false;
			break;
		}
	}
	if (!ok)
		kill(ahead.pid, SIGKILL);
	while ((r = waitpid(ahead.pid, &status, 0)) < 0 && errno == EINTR)
		;
	if (!ok || r != ahead.pid || !WIFEXITED(status) ||
	    WEXITSTATUS(status) != 0)
		hc_buf_release(&ahead.pack);
	close(ahead.fd);
	ahead.fd = -1;
	ahead.pid = 0;
	ahead.done = true;
}

void hc_access_ahead_stop(void)
{
	if (ahead.pid) {
		kill(ahead.pid, SIGKILL);
		while (waitpid(ahead.pid, NULL, 0) < 0 && errno == EINTR)
			;
		close(ahead.fd);
	}
	hc_buf_release(&ahead.pack);
	ahead.pid = 0;
	ahead.fd = -1;
	ahead.done = false;
}

/* Whether PLAN changes a path of READ, or a file under a directory of it. */
static bool plan_touches(const struct hc_plan *plan,
			 const struct hc_strlist *read)
{
	for (size_t i = 0; i < plan->nfiles; i++) {
		const char *path = plan->files[i].path;

		for (size_t j = 0; j < read->n; j++) {
			size_t len = strlen(read->v[j]);

			/* "/": a glob of the top directory. */
			if (strncmp(path, read->v[j], len) == 0 &&
			    (path[len] == '\0' || path[len] == '/' ||
			     read->v[j][len - 1] == '/'))
				return true;
		}
	}
	return false;
}

/*
 * What sudo reads of ROOT as it is now, into READ, and the whole answer
 * packed into PACK: the child's, or read here when there is none.  Both
 * states take it when the plan changes nothing of READ, whichever read
 * it, so that the report is the same either way.
 */
static int sudo_reads(struct hc_strlist *read, struct hc_buf *pack,
		      struct hc_ctx *after)
{
	struct sudo s = {0};
	struct hc_strlist notes = HC_STRLIST_INIT;
	struct hc_ctx now;
	int error = 0;

	ahead_collect();
	if (ahead.pack.size && sudo_unpack(&s, &notes, &ahead.pack) == 0) {
		error = hc_buf_put(pack, ahead.pack.ptr, ahead.pack.size);
	} else {
		hc_error_clear();
		sudo_release(&s);
		hc_strlist_release(&notes);
		hc_ctx_init(&now, after->root, after->aug, after->profile);
		if ((error = sudo_all(&s, &now, &notes)) == 0)
			error = sudo_pack(pack, &s, &notes);
		hc_ctx_release(&now);
	}
	*read = s.read;
	s.read = (struct hc_strlist)HC_STRLIST_INIT;
	sudo_release(&s);
	hc_strlist_release(&notes);
	return error;
}

/* Read sudoers for a state: unpacked from PACK, else (NULL) afresh. */
static int sudo_read(struct sudo *s, struct hc_ctx *ctx,
		     const struct hc_buf *pack, struct hc_strlist *notes)
{
	int r;

	if (pack && (r = sudo_unpack(s, notes, pack)) <= 0)
		return r;
	return sudo_all(s, ctx, notes);
}

/* Whether sudoers word W names A (a user, %group, %#gid, #uid or ALL). */
static bool sudo_names(const char *w, const struct account *a)
{
	char num[32];

	/* sudo compares user and group names without regard to case. */
	if (strcmp(w, "ALL") == 0 || strcasecmp(w, a->name) == 0)
		return true;
	if (w[0] == '#') {
		snprintf(num, sizeof(num), "#%ld", a->uid);
		return strcmp(w, num) == 0;
	}
	if (w[0] == '%' && w[1] == '#') {
		snprintf(num, sizeof(num), "%%#%ld", a->gid);
		return strcmp(w, num) == 0;
	}
	for (size_t i = 0; w[0] == '%' && i < a->groups.n; i++)
		if (strcasecmp(w + 1, a->groups.v[i]) == 0)
			return true;
	return false;
}

static int list_names(const struct sudo *s, const struct hc_strlist *words,
		      size_t from, size_t to, const struct account *a,
		      unsigned int depth);

/* 1 when word W names A, -1 when it takes A out ("!"), 0 when silent. */
static int word_names(const struct sudo *s, const char *w,
		      const struct account *a, unsigned int depth)
{
	struct hc_buf tmp = HC_BUF_INIT;
	bool neg;
	int hit;

	w = sudo_word(&tmp, w, &neg);
	hit = sudo_names(w, a);
	/* An alias stands for its members, which may take A out. */
	for (size_t m = 0;
	     !hit && depth <= s->alias_names.n && m < s->alias_names.n; m++) {
		size_t end = m;

		if (strcmp(s->alias_names.v[m], w) != 0)
			continue;
		while (end < s->alias_names.n &&
		       strcmp(s->alias_names.v[end], w) == 0)
			end++;
		hit = list_names(s, &s->alias_members, m, end, a, depth + 1);
		break;
	}
	hc_buf_release(&tmp);
	return neg ? -hit : hit;
}

/*
 * Whether words FROM..TO of a user list take in A, as sudo reads them:
 * the last word that names A decides; a User_Alias stands for its
 * members, DEPTH past the number of members ending a cycle (which sudo
 * passes over).
 */
static int list_names(const struct sudo *s, const struct hc_strlist *words,
		      size_t from, size_t to, const struct account *a,
		      unsigned int depth)
{
	int in = 0;

	for (size_t i = from; i < to; i++) {
		int hit = word_names(s, words->v[i], a, depth);

		if (hit)
			in = hit;
	}
	return in;
}

/*
 * How A becomes root: "is root", "sudo (FILE:LINE)", "su (group wheel)";
 * nothing if it cannot.  sudo counts where the last specification
 * naming A grants ALL as root and asks no password, or A has one to
 * give; su where A is in wheel and root has a password to give.
 */
static int becomes_root(struct hc_buf *how, struct hc_buf *doubt,
			const struct sudo *s, const struct account *a,
			bool own_password, bool root_password)
{
	const struct sudo_spec *last = NULL;
	int error;

	if (a->uid == 0)
		return hc_buf_puts(how, "is root");
	for (size_t i = 0; i < s->n; i++)
		if (list_names(s, &s->specs[i].users, 0, s->specs[i].users.n, a,
			       0) > 0)
			last = &s->specs[i];
	if (last && last->grant &&
	    (last->tag == TAG_NOPASSWD ||
	     (last->tag == TAG_NONE && s->noauth) ||
	     (!s->notries &&
	      (s->rootpw || s->targetpw || s->runaspw ? root_password
						      : own_password)))) {
		if (s->unread == NULL)
			return hc_buf_printf(how, "sudo (%s)", last->where);
		/* A rule there may take the grant away, or ask a password. */
		if ((error = hc_buf_printf(
			 doubt,
			 "cannot become root for sure: sudo grants it (%s), "
			 "but %s",
			 last->where, s->unread)) < 0)
			return error;
	}
	if (hc_strlist_has(&a->groups, "wheel") && root_password)
		return hc_buf_puts(how, "su (group wheel)");
	return 0;
}

/* One state of the host -------------------------------------------------------
 */

struct state {
	struct account *accounts;
	size_t n;
	struct judged *judged;
	struct sshd_view sshd;
	struct sudo sudo;
	struct pam_stage *pam; /* sshd's account stage, with UsePAM yes */
	bool root_password;    /* root has one to give to su */
};

static void state_release(struct state *st)
{
	for (size_t i = 0; i < st->n; i++) {
		account_release(&st->accounts[i]);
		if (st->judged) {
			hc_buf_release(&st->judged[i].why);
			hc_buf_release(&st->judged[i].file);
			hc_buf_release(&st->judged[i].how);
		}
	}
	free(st->accounts);
	free(st->judged);
	sshd_view_release(&st->sshd);
	pam_stage_free(st->pam);
	sudo_release(&st->sudo);
	memset(st, 0, sizeof(*st));
}

static int no(struct judged *j, const char *file, const char *why)
{
	int error = hc_buf_puts(&j->why, why);

	j->way_in = false;
	return error == 0 ? hc_buf_puts(&j->file, file) : error;
}

/* Whether A's password can be typed: set, not locked ('!', '*'). */
static bool password_usable(const struct account *a)
{
	static const char des[] =
	    "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
	const char *p = a->pass;

	/*
	 * A hash crypt(3) makes: "$id$..." or traditional DES (13 of its
	 * characters).  "!", "*", "x" (shadow's placeholder, or no shadow
	 * entry), "LK" and the like are no password anyone can type.
	 */
	if (p == NULL)
		return false;
	return (p[0] == '$' && strlen(p) > 3) ||
	       (strlen(p) == 13 && strspn(p, des) == 13);
}

/*
 * Whether one AuthenticationMethods list ("publickey,password") can be
 * met with what the account has: a key, a password sshd takes as such,
 * or through keyboard-interactive.
 */
static bool methods_met(const char *list, bool key, bool pw, bool kbd)
{
	char copy[512], *save = NULL, *m;
	bool met = true;

	snprintf(copy, sizeof(copy), "%s", list);
	for (m = strtok_r(copy, ",", &save); m && met;
	     m = strtok_r(NULL, ",", &save)) {
		if (strcmp(m, "publickey") == 0)
			met = key;
		else if (strcmp(m, "password") == 0)
			met = pw;
		else if (strncmp(m, "keyboard-interactive", 20) == 0)
			met = kbd;
		else
			met = false; /* hostbased, gssapi: not judged */
	}
	return met;
}

/* Whether one of sshd's AuthenticationMethods lists (or none set) is met. */
static bool any_methods_met(const struct sshd_view *v, bool key, bool pw,
			    bool kbd)
{
	bool any = v->methods.n == 0;

	for (size_t i = 0; i < v->methods.n && !any; i++)
		any = methods_met(v->methods.v[i], key, pw, kbd);
	return any;
}

/* Whether A can authenticate to sshd; how says with what, why and file why not.
 */
static int authenticates(bool *out, struct hc_buf *why, const char **file,
			 struct hc_ctx *ctx, const struct sshd_view *v,
			 const struct account *a, struct hc_buf *how)
{
	bool usable = password_usable(a);
	bool root = a->uid == 0, key;
	const char *prl = v->permit_root;
	bool root_pw = strcmp(prl, "yes") == 0;
	bool root_key = root_pw || strcmp(prl, "prohibit-password") == 0 ||
			strcmp(prl, "without-password") == 0;
	bool pw, kbd;
	int error;

	*out = false;
	*file = root ? v->permit_root_file : SSHD_CONFIG;
	if (root && !root_key)
		return hc_buf_printf(why, "sshd's PermitRootLogin %s", prl);
	*file = SHADOW;
	/* Without PAM, sshd itself refuses an account locked with '!'. */
	if (!v->use_pam && a->pass && a->pass[0] == '!')
		return hc_buf_puts(
		    why,
		    "account locked ('!'), which sshd refuses without PAM");
	if ((error = has_key(&key, ctx, v, a)) < 0)
		return error;
	key = key && v->pubkey;
	pw = usable && v->pw_auth && (!root || root_pw);
	kbd = usable && v->kbd_auth && (!root || root_pw);
	if (!any_methods_met(v, key, pw, kbd)) {
		*file = SSHD_CONFIG;
		return hc_buf_puts(
		    why, "sshd's AuthenticationMethods cannot be met");
	}
	if (key || pw || kbd) {
		*out = true;
		return hc_buf_puts(how, key ? "key" : "password");
	}
	if (!usable && !key)
		return hc_buf_printf(why, "password %s and no authorized key",
				     a->pass && a->pass[0] ? "locked"
							   : "empty");
	*file = root ? v->permit_root_file : v->pw_file;
	if (root)
		return hc_buf_printf(
		    why, "sshd's PermitRootLogin %s and no authorized key",
		    prl);
	return hc_buf_puts(
	    why, "sshd takes no password and there is no authorized key");
}

/* YYYY-MM-DD of DAYS since 1970. */
static void day_text(char out[16], long days)
{
	time_t t = (time_t)days * 86400;
	struct tm tm;

	if (gmtime_r(&t, &tm) == NULL ||
	    strftime(out, 16, "%Y-%m-%d", &tm) == 0)
		snprintf(out, 16, "day %ld", days);
}

/* What pam_unix's aging answer RC means for A, in an administrator's words. */
static int aging_text(struct hc_buf *out, enum pam_rc rc,
		      const struct pam_aging *ag)
{
	char changed[16], expire[16];

	day_text(changed, ag->lstchg);
	day_text(expire, ag->expire);
	if (rc == PAMRC_ACCT_EXPIRED)
		return hc_buf_printf(out, "account expired on %s", expire);
	if (rc == PAMRC_NEW_AUTHTOK_REQD && ag->lstchg == 0)
		return hc_buf_puts(
		    out, "last change 0: the password must be changed first");
	if (rc == PAMRC_NEW_AUTHTOK_REQD)
		return hc_buf_printf(
		    out, "password expired: last changed %s, maximum %ld days",
		    ag->lstchg < 0 ? "never" : changed, ag->max);
	if (rc == PAMRC_AUTHTOK_EXPIRED)
		return hc_buf_printf(
		    out,
		    "disabled: password last changed %s, maximum %ld days "
		    "and %ld inactive days passed",
		    changed, ag->max, ag->inact);
	return 0;
}

static bool nologin(struct hc_ctx *ctx)
{
	struct stat st;
	bool there = hc_ctx_lstat(&st, ctx, "/etc/nologin") == 0;

	hc_error_clear();
	return there;
}

/* Whether sshd lets A in and A can authenticate; J says why not. */
static int reaches_sshd(bool *ok, struct judged *j, struct hc_ctx *ctx,
			struct state *st, const struct account *a)
{
	struct hc_buf why = HC_BUF_INIT, file = HC_BUF_INIT;
	const char *why_file;
	int error;

	*ok = false;
	if (!st->sshd.present)
		return no(j, SSHD_CONFIG, "no sshd configuration");
	if ((error = sshd_admits(ok, &why, &file, &st->sshd, a)) < 0 ||
	    (!*ok && (error = no(j, file.ptr, why.ptr)) < 0) || !*ok)
		goto out;
	hc_buf_clear(&why);
	if (st->sshd.force_command[0]) {
		*ok = false;
		error =
		    no(j, SSHD_CONFIG, "sshd's ForceCommand gives no shell");
		goto out;
	}
	if ((error = authenticates(ok, &why, &why_file, ctx, &st->sshd, a,
				   &j->how)) < 0 ||
	    !*ok) {
		if (error == 0)
			error = no(j, why_file, why.ptr);
		goto out;
	}
	/* Without PAM, sshd itself lets only root in while /etc/nologin exists.
	 */
	if (!st->sshd.use_pam && a->uid != 0 && nologin(ctx)) {
		*ok = false;
		error = no(j, "/etc/nologin",
			   "/etc/nologin exists: sshd lets only root in");
	}
out:
	hc_buf_release(&file);
	hc_buf_release(&why);
	return error;
}

static int judge_account(struct judged *j, struct hc_ctx *ctx, struct state *st,
			 const struct account *a, long today,
			 struct hc_strlist *notes)
{
	struct hc_buf why = HC_BUF_INIT, root = HC_BUF_INIT,
		      doubt = HC_BUF_INIT;
	bool ok;
	enum pam_rc rc;
	int error;

	j->unix_rc = a->pam.has_shadow ? pam_unix_aging(&a->pam.aging, today)
				       : PAMRC_SUCCESS;
	j->way_in = false;
	if ((error = reaches_sshd(&ok, j, ctx, st, a)) < 0 || !ok)
		goto out;
	/* Without PAM, sshd applies the same aging rules itself. */
	rc = j->unix_rc;
	if (st->sshd.use_pam &&
	    (error = pam_stage_run(&rc, &why, ctx, st->pam, &a->pam, today,
				   notes)) < 0)
		goto out;
	if (rc != PAMRC_SUCCESS) {
		/* Aging is the cause where pam_unix refuses, whatever line then
		 * decides. */
		if (j->unix_rc != PAMRC_SUCCESS) {
			hc_buf_clear(&why);
			if ((error = aging_text(&why, j->unix_rc,
						&a->pam.aging)) == 0)
				error = no(j, SHADOW, why.ptr);
		} else {
			error = hc_buf_puts(&j->why,
					    "PAM's account stage refuses it: ");
			if (error == 0)
				error = no(j, "/etc/pam.d/sshd", why.ptr);
		}
		goto out;
	}
	if ((error = becomes_root(&root, &doubt, &st->sudo, a,
				  password_usable(a), st->root_password)) < 0)
		goto out;
	if (root.size == 0) {
		error =
		    no(j, SUDOERS,
		       doubt.size ? doubt.ptr
				  : "cannot become root (no sudoers rule it "
				    "can use, not in wheel with a root "
				    "password to give)");
		goto out;
	}
	if ((error = hc_buf_printf(&j->how, ", %s", root.ptr)) == 0)
		j->way_in = true;
out:
	hc_buf_release(&doubt);
	hc_buf_release(&root);
	hc_buf_release(&why);
	return error;
}

static int judge_state(struct state *st, struct hc_ctx *ctx, long today,
		       const struct hc_buf *sudo, struct hc_strlist *notes)
{
	int error;

	memset(st, 0, sizeof(*st));
	if ((error = read_accounts(&st->accounts, &st->n, ctx)) < 0 ||
	    (error = read_sshd(&st->sshd, ctx)) < 0 ||
	    (error = sudo_read(&st->sudo, ctx, sudo, notes)) < 0 ||
	    (st->sshd.use_pam &&
	     (error = pam_stage_load(&st->pam, ctx, "sshd", notes)) < 0))
		return error;
	for (size_t i = 0; i < st->n; i++)
		if (st->accounts[i].uid == 0 &&
		    strcmp(st->accounts[i].name, "root") == 0)
			st->root_password = password_usable(&st->accounts[i]);
	if (st->sshd.match &&
	    !hc_strlist_has(notes, "sshd's Match blocks (their settings for "
				   "some connections are not judged)"))
		error = hc_strlist_push(
		    notes, "sshd's Match blocks (their settings for some "
			   "connections are not judged)");
	if (error == 0 && st->sshd.keys_command &&
	    !hc_strlist_has(notes, "sshd's AuthorizedKeysCommand"))
		error = hc_strlist_push(notes, "sshd's AuthorizedKeysCommand");
	if ((st->judged = calloc(st->n + 1, sizeof(*st->judged))) == NULL)
		return hc_error_oom();
	for (size_t i = 0; i < st->n && error == 0; i++)
		error = judge_account(&st->judged[i], ctx, st, &st->accounts[i],
				      today, notes);
	return error;
}

/* NAME's judgment in ST; HINT, its index in the other state, is tried first. */
static const struct judged *find(const struct state *st, const char *name,
				 size_t hint)
{
	if (hint < st->n && strcmp(st->accounts[hint].name, name) == 0)
		return &st->judged[hint];
	for (size_t i = 0; i < st->n; i++)
		if (strcmp(st->accounts[i].name, name) == 0)
			return &st->judged[i];
	return NULL;
}

static int take(char **out, const struct hc_buf *buf)
{
	*out = NULL;
	if (buf->size == 0)
		return 0;
	return (*out = hc_strdup(buf->ptr)) ? 0 : HC_ERROR;
}

/* The verdict
 * ------------------------------------------------------------------ */

static int verdict(struct hc_access *out, const struct state *before,
		   const struct state *after, const struct hc_guards *guards)
{
	bool any_before = false, any_after = false;
	int error = 0;

	if ((out->accounts = calloc(after->n + 1, sizeof(*out->accounts))) ==
	    NULL)
		return hc_error_oom();
	for (size_t i = 0; i < after->n && error == 0; i++) {
		const struct judged *a = &after->judged[i],
				    *b = find(before, after->accounts[i].name,
					      i);
		struct hc_access_account *acc = &out->accounts[out->n++];

		acc->before = b && b->way_in;
		acc->after = a->way_in;
		acc->expired_by_plan = b && b->unix_rc == PAMRC_SUCCESS &&
				       a->unix_rc != PAMRC_SUCCESS;
		if (acc->expired_by_plan) {
			struct hc_buf aging = HC_BUF_INIT;

			if ((error = aging_text(
				 &aging, a->unix_rc,
				 &after->accounts[i].pam.aging)) == 0)
				error = take(&acc->aging, &aging);
			hc_buf_release(&aging);
		}
		any_before |= acc->before;
		any_after |= acc->after;
		if ((acc->name = hc_strdup(after->accounts[i].name)) == NULL ||
		    (error = take(&acc->how, &a->how)) < 0 ||
		    (!a->way_in && ((error = take(&acc->why, &a->why)) < 0 ||
				    (error = take(&acc->file, &a->file)) < 0)))
			error = error < 0 ? error : HC_ERROR;
	}
	for (size_t i = 0; i < before->n && !any_before; i++)
		any_before = before->judged[i].way_in;
	if (any_after)
		out->verdict = HC_ACCESS_OK;
	else if (!any_before)
		out->verdict = HC_ACCESS_NONE;
	else if (guards && guards->accept_no_local_admin) {
		out->verdict = HC_ACCESS_ACCEPTED;
		out->reason = guards->reason;
	} else {
		out->verdict = HC_ACCESS_REFUSED;
	}
	return error;
}

/*
 * Whether PLAN changes a file the judgment reads: account files, sshd's
 * and PAM's configuration, sudoers, nologin, homes.  A plan that touches
 * none leaves every verdict as it was.
 */
static bool touches_access(const struct hc_plan *plan)
{
	static const char *const prefixes[] = {"/etc/ssh/",
					       "/etc/pam.d/",
					       "/etc/security/",
					       "/etc/sudoers",
					       "/home/",
					       "/root/",
					       NULL};
	static const char *const files[] = {
	    PASSWD,         SHADOW, GROUP, "/etc/nologin", "/var/run/nologin",
	    "/run/nologin", NULL};

	for (size_t i = 0; i < plan->nfiles; i++) {
		const char *path = plan->files[i].path;

		for (const char *const *p = prefixes; *p; p++)
			if (strncmp(path, *p, strlen(*p)) == 0)
				return true;
		for (const char *const *f = files; *f; f++)
			if (strcmp(path, *f) == 0)
				return true;
	}
	return false;
}

int hc_access_judge(struct hc_access *out, struct hc_ctx *after,
		    const struct hc_plan *plan)
{
	struct state b = {0}, a = {0};
	struct hc_ctx now;
	long today = (long)(time(NULL) / 86400);
	struct hc_strlist read = HC_STRLIST_INIT, linked = HC_STRLIST_INIT;
	struct hc_buf pack = HC_BUF_INIT;
	const struct hc_buf *sudo;
	bool touched;
	int error;

	memset(out, 0, sizeof(*out));
	hc_ctx_init(&now, after->root, after->aug, after->profile);
	/* The files the plan leaves as read are the host's as it is. */
	now.lender = after;
	/*
	 * sudoers may include any file: a plan that changes one changes
	 * who may become root.  What it grants now holds for both states
	 * unless it does.
	 */
	if ((error = sudo_reads(&read, &pack, after)) < 0)
		goto out;
	touched = plan_touches(plan, &read);
	sudo = touched ? NULL : &pack;
	/*
	 * The host as it is, every path it asks noted: sshd may Include,
	 * AuthorizedKeysFile name, and PAM @include files anywhere.  A
	 * plan that changes none of them leaves every verdict as it was.
	 */
	now.reads = &read;
	now.linked = &linked;
	error = judge_state(&b, &now, today, sudo, &out->notes);
	now.reads = NULL;
	now.linked = NULL;
	/*
	 * A file read through a link under another name: the state after
	 * the plan would read it there as it is now, not as the plan
	 * writes it.  Refused, and said why.
	 */
	for (size_t i = 0; error == 0 && i < linked.n; i++) {
		struct hc_strlist one = {&linked.v[i], 1, 1};

		if (plan_touches(plan, &one)) {
			hc_error_set_at(
			    linked.v[i], 0,
			    "lockout check: the plan changes this "
			    "file, which sshd or PAM reads through "
			    "a symbolic link: not judged (write it "
			    "by hand, or point the link elsewhere)");
			error = hc_error_set_code(HC_EUNSAFE);
			goto out;
		}
	}
	/*
	 * A judgment that failed stopped reading where it failed: what it
	 * would have read next (a key file AuthorizedKeysFile names, a file
	 * PAM includes) is not in READ, and a plan that writes none of READ
	 * may still write one.  Its error is given unless the plan changes
	 * nothing at all.
	 */
	if (!touches_access(plan) && !touched && !plan_touches(plan, &read) &&
	    (error == 0 || plan->nfiles == 0)) {
		/* Not judged: it cannot change the verdict. */
		if (error < 0)
			hc_error_clear();
		hc_strlist_release(&out->notes);
		error = 0;
		goto out;
	}
	if (error < 0) {
		/*
		 * The host's own files are to blame, not the plan's rules
		 * (exit 2, as for any file that does not parse).
		 */
		hc_error_prefix("lockout check: cannot judge the host as it "
				"is, so no plan can be judged");
		if (error == HC_EUNSAFE)
			error = hc_error_set_code(HC_EINVALID);
		goto out;
	}
	if ((error = judge_state(&a, after, today, sudo, &out->notes)) < 0)
		goto out;
	error = verdict(out, &b, &a,
			after->profile ? &after->profile->guards : NULL);
out:
	state_release(&a);
	state_release(&b);
	hc_ctx_release(&now);
	hc_buf_release(&pack);
	hc_strlist_release(&read);
	hc_strlist_release(&linked);
	if (error < 0)
		hc_access_release(out);
	return error;
}

void hc_access_release(struct hc_access *access)
{
	for (size_t i = 0; i < access->n; i++) {
		free(access->accounts[i].name);
		free(access->accounts[i].why);
		free(access->accounts[i].file);
		free(access->accounts[i].how);
		free(access->accounts[i].aging);
	}
	free(access->accounts);
	hc_strlist_release(&access->notes);
	memset(access, 0, sizeof(*access));
}

/* Reports
 * ------------------------------------------------------------------------ */

static const char *const verdict_names[] = {
    [HC_ACCESS_UNCHANGED] = "unchanged", [HC_ACCESS_OK] = "ok",
    [HC_ACCESS_NONE] = "none-before",    [HC_ACCESS_ACCEPTED] = "accepted",
    [HC_ACCESS_REFUSED] = "refused",
};

static int expired_text(struct hc_buf *out, const struct hc_access *access)
{
	int error = 0;

	for (size_t i = 0; i < access->n && error == 0; i++) {
		const struct hc_access_account *a = &access->accounts[i];

		if (a->expired_by_plan)
			error = hc_buf_printf(
			    out,
			    "lockout check: the plan's password aging expires "
			    "%s: %s (%s)\n",
			    a->name, a->aging, SHADOW);
	}
	return error;
}

/* S (text from ROOT: a name, a file name) escaped into TMP, for one line of
 * text. */
static const char *esc(struct hc_buf *tmp, const char *s)
{
	hc_buf_clear(tmp);
	if (s == NULL || hc_buf_puts_escaped(tmp, s) < 0)
		return "?";
	return hc_buf_cstr(tmp);
}

/* The line saying how account A fares, names from ROOT escaped. */
static int account_text(struct hc_buf *out, const struct hc_access *access,
			const struct hc_access_account *a)
{
	struct hc_buf n = HC_BUF_INIT, x = HC_BUF_INIT, f = HC_BUF_INIT;
	int error = 0;

	if (a->after)
		error = hc_buf_printf(
		    out, "lockout check: %s can log in over ssh (%s)\n",
		    esc(&n, a->name), esc(&x, a->how));
	else if (a->before || access->verdict != HC_ACCESS_OK)
		error = hc_buf_printf(
		    out, "lockout check: %s %s: %s (%s)\n", esc(&n, a->name),
		    a->before ? "loses its way in" : "is no way in",
		    esc(&x, a->why), esc(&f, a->file));
	hc_buf_release(&n);
	hc_buf_release(&x);
	hc_buf_release(&f);
	return error;
}

int hc_access_text(struct hc_buf *out, const struct hc_access *access)
{
	int error;

	if (access->verdict == HC_ACCESS_UNCHANGED)
		return 0;
	if ((error = expired_text(out, access)) < 0)
		return error;
	for (size_t i = 0; i < access->n && error == 0; i++)
		error = account_text(out, access, &access->accounts[i]);
	if (error == 0 && access->verdict == HC_ACCESS_NONE)
		error = hc_buf_puts(
		    out,
		    "lockout check: no account could log in over ssh and "
		    "become root before this plan either; nothing it changes "
		    "decides that\n");
	if (error == 0 && access->verdict == HC_ACCESS_ACCEPTED)
		error = hc_buf_printf(
		    out,
		    "lockout check: no local administrator remains; "
		    "accepted by the tailoring's [guards]: %s\n",
		    access->reason);
	if (error == 0 && access->verdict == HC_ACCESS_REFUSED)
		error = hc_buf_puts(
		    out, "lockout check: REFUSED: after this plan no account "
			 "could log in over ssh and become root\n");
	for (size_t i = 0; i < access->notes.n && error == 0; i++)
		error = hc_buf_printf(out, "lockout check: not judged: %s\n",
				      access->notes.v[i]);
	return error;
}

int hc_access_refusal(const struct hc_access *access)
{
	struct hc_buf who = HC_BUF_INIT;
	size_t named = 0;
	int error = 0;

	/* Those that lose their way in first: they are what the plan changes.
	 */
	for (int pass = 0; pass < 2 && error == 0; pass++) {
		for (size_t i = 0; i < access->n && error == 0; i++) {
			const struct hc_access_account *a =
			    &access->accounts[i];

			if (a->after || a->before != (pass == 0))
				continue;
			if (named++ == 4) {
				error = hc_buf_puts(&who,
						    ", and others (see above)");
				break;
			}
			if (named <= 4)
				error = hc_buf_printf(&who, "%s%s (%s: %s)",
						      who.size ? ", " : "",
						      a->name, a->file, a->why);
		}
	}
	hc_error_set(
	    "refused: this plan leaves no administrator a way in over ssh: %s. "
	    " "
	    "Give an administrator a recent password or an authorized key and "
	    "sudo "
	    "or wheel first, leave out the rule that shuts it out (--skip-rule "
	    "ID, or "
	    "enabled = no in a tailoring), or, where administrators come from "
	    "LDAP/SSSD, set accept-no-local-admin = yes with a reason under "
	    "[guards] "
	    "in the host's tailoring",
	    who.size ? who.ptr : "no account has a login shell");
	hc_buf_release(&who);
	return error < 0 ? error : hc_error_set_code(HC_EUNSAFE);
}

void hc_access_json(struct hc_json *json, const struct hc_access *access)
{
	hc_json_key(json, "access");
	hc_json_open(json, '{');
	hc_json_kv(json, "verdict", verdict_names[access->verdict]);
	hc_json_kv(json, "accepted_reason", access->reason);
	hc_json_key(json, "accounts");
	hc_json_open(json, '[');
	for (size_t i = 0; i < access->n; i++) {
		const struct hc_access_account *a = &access->accounts[i];

		hc_json_open(json, '{');
		hc_json_kv(json, "name", a->name);
		hc_json_key(json, "way_in_before");
		hc_json_bool(json, a->before);
		hc_json_key(json, "way_in_after");
		hc_json_bool(json, a->after);
		hc_json_key(json, "expired_by_plan");
		hc_json_bool(json, a->expired_by_plan);
		hc_json_kv(json, "aging", a->aging);
		hc_json_kv(json, "how", a->after ? a->how : NULL);
		hc_json_kv(json, "why", a->why);
		hc_json_kv(json, "file", a->file);
		hc_json_close(json, '{');
	}
	hc_json_close(json, '[');
	hc_json_key(json, "not_judged");
	hc_json_open(json, '[');
	for (size_t i = 0; i < access->notes.n; i++)
		hc_json_str(json, access->notes.v[i]);
	hc_json_close(json, '[');
	hc_json_close(json, '{');
}
