/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Manifests (see hardctl/manifest.h).
 */
#include <stdlib.h>
#include <string.h>
#include "hardctl/manifest.h"
#include "hardctl/plan.h"

#define HEADER "# hardctl manifest 1\n"
#define ACL_TAG "acl:"

static bool needs_escape(unsigned char c)
{
	return c == '%' || c < 0x20 || c == 0x7f;
}

static int put_path(struct hc_buf *out, const char *path)
{
	for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
		int error = needs_escape(*p) ? hc_buf_printf(out, "%%%02X", *p)
					     : hc_buf_put(out, p, 1);

		if (error < 0)
			return error;
	}
	return 0;
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Undo put_path() on the LEN bytes at S; NULL if malformed. */
static char *get_path(const char *s, size_t len)
{
	struct hc_buf out = HC_BUF_INIT;

	for (size_t i = 0; i < len; i++) {
		char c = s[i];

		if (c == '%') {
			int hi = i + 2 < len ? hexval(s[i + 1]) : -1;
			int lo = i + 2 < len ? hexval(s[i + 2]) : -1;

			if (hi < 0 || lo < 0) {
				hc_buf_release(&out);
				return NULL;
			}
			c = (char)(hi << 4 | lo);
			i += 2;
		}
		if (c == '\0' || hc_buf_put(&out, &c, 1) < 0) {
			hc_buf_release(&out);
			return NULL;
		}
	}
	return hc_buf_detach(&out);
}

static size_t lower_bound(const struct hc_manifest *m, const char *path)
{
	size_t lo = 0, hi = m->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (strcmp(m->v[mid].path, path) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

const struct hc_manifest_entry *hc_manifest_find(const struct hc_manifest *m,
						 const char *path)
{
	size_t i = lower_bound(m, path);

	return i < m->n && strcmp(m->v[i].path, path) == 0 ? &m->v[i] : NULL;
}

/* The entry for PATH, added (zeroed, path set) if missing. */
static int entry_for(struct hc_manifest_entry **out, struct hc_manifest *m,
		     const char *path)
{
	size_t i = lower_bound(m, path);
	struct hc_manifest_entry *e;
	char *copy;

	if (i < m->n && strcmp(m->v[i].path, path) == 0) {
		*out = &m->v[i];
		return 0;
	}
	if (m->n == m->alloc) {
		size_t alloc = m->alloc ? m->alloc * 2 : 16;
		struct hc_manifest_entry *v =
		    reallocarray(m->v, alloc, sizeof(*v));

		if (v == NULL)
			return hc_error_oom();
		m->v = v;
		m->alloc = alloc;
	}
	if ((copy = hc_strdup(path)) == NULL)
		return HC_ERROR;
	memmove(&m->v[i + 1], &m->v[i], (m->n - i) * sizeof(*m->v));
	e = &m->v[i];
	memset(e, 0, sizeof(*e));
	e->path = copy;
	m->n++;
	*out = e;
	return 0;
}

int hc_manifest_set(struct hc_manifest *m, const char *path,
		    const struct hc_file_state *state)
{
	struct hc_manifest_entry *e;
	int error;

	if ((error = entry_for(&e, m, path)) < 0)
		return error;
	e->exists = state->exists;
	e->link = state->exists && state->link;
	e->mode = state->exists ? state->mode : 0;
	e->uid = state->exists ? state->uid : 0;
	e->gid = state->exists ? state->gid : 0;
	e->acl =
	    state->exists && !state->link ? state->acl : (struct hc_acl){0};
	hc_acl_chmod(&e->acl,
		     e->mode); /* what the installer's chmod makes of it */
	memset(&e->sha, 0, sizeof(e->sha));
	if (state->exists)
		return hc_sha256(&e->sha, hc_buf_cstr(&state->data),
				 state->data.size);
	return 0;
}

/*
 * The fields after E's rules: its ACL, its lens; the rules field left
 * empty before them when E has no rule.
 */
static int format_extra(struct hc_buf *out, const struct hc_manifest_entry *e)
{
	int error = 0;

	if (e->rules.n == 0 && (e->acl.n > 0 || e->lens))
		error = hc_buf_puts(out, "\t");
	if (error == 0 && e->acl.n > 0 &&
	    (error = hc_buf_puts(out, "\t" ACL_TAG)) == 0)
		error = hc_acl_format(out, &e->acl);
	if (error == 0 && e->lens)
		error = hc_buf_printf(out, "\tlens=%s", e->lens);
	return error;
}

int hc_manifest_format(struct hc_buf *out, const struct hc_manifest *m)
{
	int error = hc_buf_puts(out, HEADER);

	for (size_t i = 0; i < m->n && error == 0; i++) {
		const struct hc_manifest_entry *e = &m->v[i];
		char hex[HC_SHA256_HEXLEN + 1];

		if ((error = put_path(out, e->path)) < 0)
			break;
		if (!e->exists) {
			error = hc_buf_puts(out, "\tabsent\n");
			continue;
		}
		hc_sha256_hex(hex, &e->sha);
		error = hc_buf_printf(
		    out, "\t%s\t%04o\t%u\t%u\t%s", e->link ? "symlink" : "file",
		    (unsigned int)e->mode, (unsigned int)e->uid,
		    (unsigned int)e->gid, hex);
		for (size_t r = 0; r < e->rules.n && error == 0; r++)
			error = hc_buf_printf(out, "%c%s", r ? ',' : '\t',
					      e->rules.v[r]);
		if (error == 0)
			error = format_extra(out, e);
		if (error == 0)
			error = hc_buf_puts(out, "\n");
	}
	return error;
}

static bool parse_sha(struct hc_sha256 *out, const char *hex, size_t len)
{
	if (len != HC_SHA256_HEXLEN)
		return false;
	for (size_t i = 0; i < HC_SHA256_LEN; i++) {
		int hi = hexval(hex[2 * i]), lo = hexval(hex[2 * i + 1]);

		if (hi < 0 || lo < 0)
			return false;
		out->id[i] = (unsigned char)(hi << 4 | lo);
	}
	return true;
}

static bool parse_uint(unsigned long *out, const char *s, size_t len, int base,
		       unsigned long max)
{
	char buf[24], *end;

	if (len == 0 || len >= sizeof(buf) || s[0] == '-' || s[0] == '+')
		return false;
	memcpy(buf, s, len);
	buf[len] = '\0';
	*out = strtoul(buf, &end, base);
	return *end == '\0' && *out <= max;
}

#define MAX_FIELDS 12

/* Split LINE (LEN bytes) at tabs into at most MAX_FIELDS fields. */
static size_t split(const char *field[MAX_FIELDS], size_t flen[MAX_FIELDS],
		    const char *line, size_t len)
{
	size_t n = 0;
	const char *p = line, *end = line + len;

	while (n < MAX_FIELDS) {
		const char *tab = memchr(p, '\t', (size_t)(end - p));

		field[n] = p;
		flen[n] = tab ? (size_t)(tab - p) : (size_t)(end - p);
		n++;
		if (tab == NULL)
			return n;
		p = tab + 1;
	}
	return n + 1; /* too many */
}

/* The transaction of "RULE@TXN", or 0 when malformed; *rule_len is RULE's. */
static unsigned int parse_owner(const char *s, size_t len, size_t *rule_len)
{
	const char *at = memchr(s, '@', len);
	unsigned long txn;

	if (at == NULL || at == s)
		return 0;
	for (const char *p = s; p < at; p++)
		if (!(*p >= 'a' && *p <= 'z') && !(*p >= 'A' && *p <= 'Z') &&
		    !(*p >= '0' && *p <= '9') && *p != '-' && *p != '_' &&
		    *p != '.')
			return 0;
	if (!parse_uint(&txn, at + 1, len - (size_t)(at + 1 - s), 10,
			0xffffffffUL))
		return 0;
	*rule_len = (size_t)(at - s);
	return (unsigned int)txn;
}

static int parse_owners(struct hc_manifest_entry *e, const char *s, size_t len)
{
	const char *end = s + len;

	while (s <= end) {
		const char *comma = memchr(s, ',', (size_t)(end - s));
		size_t flen = comma ? (size_t)(comma - s) : (size_t)(end - s),
		       rlen;
		char *owner;

		if (parse_owner(s, flen, &rlen) == 0)
			return HC_EPARSE;
		for (size_t i = 0; i < e->rules.n; i++)
			if (strncmp(e->rules.v[i], s, rlen + 1) == 0)
				return HC_EPARSE; /* one rule twice */
		if ((owner = strndup(s, flen)) == NULL)
			return hc_error_oom();
		if (hc_strlist_push_owned(&e->rules, owner) < 0)
			return HC_ERROR;
		s += flen + 1;
	}
	hc_strlist_sort(&e->rules);
	return 0;
}

static bool lens_name(const char *s, size_t len)
{
	if (len == 0 || len > 128)
		return false;
	for (size_t i = 0; i < len; i++)
		if (!(s[i] >= 'a' && s[i] <= 'z') &&
		    !(s[i] >= 'A' && s[i] <= 'Z') &&
		    !(s[i] >= '0' && s[i] <= '9') && s[i] != '_' && s[i] != '.')
			return false;
	return true;
}

/* Whether a field after the SHA-256 is one of those after the rules. */
static bool is_extra(const char *s, size_t len)
{
	size_t tag = strlen(ACL_TAG);

	return (len >= tag && memcmp(s, ACL_TAG, tag) == 0) ||
	       memchr(s, '=', len) != NULL;
}

/*
 * A field after the rules: the ACL, lens=, or a KEY=VALUE of a later
 * version (ignored).
 */
static int parse_extra(struct hc_manifest_entry *e, const char *s, size_t len)
{
	size_t tag = strlen(ACL_TAG);
	const char *eq;

	if (len >= tag && memcmp(s, ACL_TAG, tag) == 0) {
		if (e->acl.n > 0 ||
		    hc_acl_parse(&e->acl, s + tag, len - tag) < 0)
			return HC_EPARSE;
		return 0;
	}
	if ((eq = memchr(s, '=', len)) == NULL || eq == s)
		return HC_EPARSE;
	if ((size_t)(eq - s) != 4 || memcmp(s, "lens", 4) != 0)
		return 0;
	if (e->lens || !lens_name(eq + 1, len - 5))
		return HC_EPARSE;
	return (e->lens = strndup(eq + 1, len - 5)) ? 0 : hc_error_oom();
}

static int parse_line(struct hc_manifest *m, const char *line, size_t len)
{
	const char *field[MAX_FIELDS] = {NULL};
	size_t flen[MAX_FIELDS] = {0}, n = split(field, flen, line, len), first;
	struct hc_manifest_entry *e;
	unsigned long mode, uid, gid;
	char *path;
	int error;

	if (n != 2 && (n < 6 || n > MAX_FIELDS))
		return HC_EPARSE;
	if ((path = get_path(field[0], flen[0])) == NULL || path[0] != '/') {
		free(path);
		return HC_EPARSE;
	}
	if (hc_manifest_find(m, path)) {
		free(path);
		return HC_EPARSE;
	}
	error = entry_for(&e, m, path);
	free(path);
	if (error < 0)
		return error;
	if (n == 2 && flen[1] == 6 && memcmp(field[1], "absent", 6) == 0)
		return 0;
	if (n >= 6 && flen[1] == 7 && memcmp(field[1], "symlink", 7) == 0)
		e->link = true;
	else if (n < 6 || flen[1] != 4 || memcmp(field[1], "file", 4) != 0)
		return HC_EPARSE;
	if (!parse_uint(&mode, field[2], flen[2], 8, 07777) ||
	    !parse_uint(&uid, field[3], flen[3], 10, 0xffffffffUL) ||
	    !parse_uint(&gid, field[4], flen[4], 10, 0xffffffffUL) ||
	    !parse_sha(&e->sha, field[5], flen[5]))
		return HC_EPARSE;
	/*
	 * The rules, when there are any, may be left empty for the fields
	 * after them; a field known by its form starts those.
	 */
	first = n >= 7 && flen[6] && is_extra(field[6], flen[6]) ? 6 : 7;
	if (first == 7 && n >= 7 && (flen[6] || n == 7) &&
	    (error = parse_owners(e, field[6], flen[6])) < 0)
		return error;
	for (size_t i = first; i < n; i++)
		if ((error = parse_extra(e, field[i], flen[i])) < 0)
			return error;
	e->exists = true;
	e->mode = (mode_t)mode;
	e->uid = (uid_t)uid;
	e->gid = (gid_t)gid;
	return 0;
}

int hc_manifest_parse(struct hc_manifest *out, const char *text, size_t len,
		      const char *name)
{
	const char *p = text, *end = text + len;
	unsigned int line = 1;

	if (len < strlen(HEADER) || memcmp(text, HEADER, strlen(HEADER)) != 0) {
		hc_error_set_at(name, 1, "not a hardctl manifest (version 1)");
		return hc_error_set_code(HC_EPARSE);
	}
	p += strlen(HEADER);
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		int error;

		line++;
		if (nl == NULL) {
			hc_error_set_at(name, line, "last line has no newline");
			return hc_error_set_code(HC_EPARSE);
		}
		if ((error = parse_line(out, p, (size_t)(nl - p))) < 0) {
			if (error == HC_EPARSE)
				hc_error_set_at(name, line,
						"malformed manifest entry");
			hc_manifest_release(out);
			return hc_error_set_code(error);
		}
		p = nl + 1;
	}
	return 0;
}

/* The index in E's rules of RULE's record, or E->rules.n. */
static size_t owner_index(const struct hc_manifest_entry *e, const char *rule)
{
	size_t len = strlen(rule);

	for (size_t i = 0; i < e->rules.n; i++)
		if (strncmp(e->rules.v[i], rule, len) == 0 &&
		    e->rules.v[i][len] == '@')
			return i;
	return e->rules.n;
}

static void drop_owner(struct hc_manifest_entry *e, size_t i)
{
	free(e->rules.v[i]);
	memmove(&e->rules.v[i], &e->rules.v[i + 1],
		(e->rules.n - i - 1) * sizeof(char *));
	e->rules.n--;
}

int hc_manifest_own(struct hc_manifest *m, const char *path, const char *rule,
		    unsigned int txn)
{
	struct hc_manifest_entry *e;
	struct hc_buf owner = HC_BUF_INIT;
	size_t i;
	int error;

	if ((error = entry_for(&e, m, path)) < 0 ||
	    (error = hc_buf_printf(&owner, "%s@%u", rule, txn)) < 0)
		return error;
	if ((i = owner_index(e, rule)) < e->rules.n)
		drop_owner(e, i);
	if ((error = hc_strlist_push_owned(&e->rules, hc_buf_detach(&owner))) ==
	    0)
		hc_strlist_sort(&e->rules);
	return error;
}

int hc_manifest_set_rules(struct hc_manifest *m, const char *path,
			  const struct hc_manifest_entry *from)
{
	struct hc_manifest_entry *e;
	int error;

	if ((error = entry_for(&e, m, path)) < 0)
		return error;
	hc_strlist_release(&e->rules);
	for (size_t i = 0; from && i < from->rules.n && error == 0; i++)
		error = hc_strlist_push(&e->rules, from->rules.v[i]);
	return error;
}

int hc_manifest_set_lens(struct hc_manifest *m, const char *path,
			 const char *lens)
{
	struct hc_manifest_entry *e;
	char *copy = NULL;
	int error;

	if (lens && !lens_name(lens, strlen(lens))) {
		hc_error_set("%s: not a lens name: '%s'", path, lens);
		return hc_error_set_code(HC_EINVALID);
	}
	if ((error = entry_for(&e, m, path)) < 0)
		return error;
	if (lens && (copy = hc_strdup(lens)) == NULL)
		return HC_ERROR;
	free(e->lens);
	e->lens = copy;
	return 0;
}

void hc_manifest_disown(struct hc_manifest *m, unsigned int txn,
			const char *rule)
{
	for (size_t i = 0; i < m->n; i++) {
		struct hc_manifest_entry *e = &m->v[i];

		for (size_t r = 0; r < e->rules.n;) {
			size_t rlen;

			if (parse_owner(e->rules.v[r], strlen(e->rules.v[r]),
					&rlen) == txn &&
			    (rule == NULL ||
			     (strlen(rule) == rlen &&
			      strncmp(rule, e->rules.v[r], rlen) == 0)))
				drop_owner(e, r);
			else
				r++;
		}
	}
}

unsigned int hc_manifest_owner(const struct hc_manifest_entry *e,
			       const char *rule)
{
	size_t i = owner_index(e, rule), rlen;

	if (i == e->rules.n)
		return 0;
	return parse_owner(e->rules.v[i], strlen(e->rules.v[i]), &rlen);
}

void hc_manifest_release(struct hc_manifest *m)
{
	for (size_t i = 0; i < m->n; i++) {
		free(m->v[i].path);
		free(m->v[i].lens);
		hc_strlist_release(&m->v[i].rules);
	}
	free(m->v);
	memset(m, 0, sizeof(*m));
}
