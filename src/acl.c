/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * POSIX access ACLs (see hardctl/acl.h), read and written as the
 * kernel's system.posix_acl_access extended attribute: a little-endian
 * version 2 header, then (tag, perm, id) entries in canonical order.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/xattr.h>
#include <linux/posix_acl.h>
#include <linux/posix_acl_xattr.h>
#include "hardctl/acl.h"

#define XATTR_NAME "system.posix_acl_access"
#define HEADER_SIZE 4
#define ENTRY_SIZE 8

static bool named(unsigned short tag)
{
	return tag == ACL_USER || tag == ACL_GROUP;
}

/* The rank of TAG in the kernel's order, 0 for an unknown tag. */
static int rank(unsigned short tag)
{
	switch (tag) {
	case ACL_USER_OBJ:
		return 1;
	case ACL_USER:
		return 2;
	case ACL_GROUP_OBJ:
		return 3;
	case ACL_GROUP:
		return 4;
	case ACL_MASK:
		return 5;
	case ACL_OTHER:
		return 6;
	default:
		return 0;
	}
}

/* Whether ACL is one the kernel accepts: see hc_acl_parse(). */
static bool well_formed(const struct hc_acl *acl)
{
	int last = 0, objs = 0;
	bool any_named = false, mask = false;

	for (unsigned int i = 0; i < acl->n; i++) {
		const struct hc_acl_entry *e = &acl->e[i];
		int r = rank(e->tag);

		if (r == 0 || r < last || e->perm > 7)
			return false;
		if (named(e->tag)) {
			/* Named entries of one kind: ids ascending, each once.
			 */
			if (r == last && e->id <= acl->e[i - 1].id)
				return false;
			any_named = true;
		} else if (r == last || e->id != 0) {
			return false;
		} else if (e->tag == ACL_MASK) {
			mask = true;
		} else {
			objs++;
		}
		last = r;
	}
	return acl->n == 0 || (objs == 3 && (mask || !any_named));
}

static unsigned int get_le(const unsigned char *p, size_t size)
{
	unsigned int v = 0;

	while (size-- > 0)
		v = v << 8 | p[size];
	return v;
}

static void put_le(unsigned char *p, unsigned int v, size_t size)
{
	for (size_t i = 0; i < size; i++, v >>= 8)
		p[i] = (unsigned char)(v & 0xff);
}

static int decode(struct hc_acl *out, const unsigned char *p, size_t len)
{
	out->n = 0;
	if (len < HEADER_SIZE || (len - HEADER_SIZE) % ENTRY_SIZE != 0 ||
	    get_le(p, 4) != POSIX_ACL_XATTR_VERSION ||
	    (len - HEADER_SIZE) / ENTRY_SIZE > HC_ACL_MAX)
		return -1;
	for (p += HEADER_SIZE, len -= HEADER_SIZE; len > 0;
	     p += ENTRY_SIZE, len -= ENTRY_SIZE) {
		struct hc_acl_entry *e = &out->e[out->n++];

		e->tag = (unsigned short)get_le(p, 2);
		e->perm = (unsigned short)get_le(p + 2, 2);
		e->id = named(e->tag) ? get_le(p + 4, 4) : 0;
	}
	return well_formed(out) ? 0 : -1;
}

int hc_acl_read(struct hc_acl *out, int fd, const char *display)
{
	unsigned char buf[HEADER_SIZE + ENTRY_SIZE * (HC_ACL_MAX + 1)];
	ssize_t len = fgetxattr(fd, XATTR_NAME, buf, sizeof(buf));

	out->n = 0;
	if (len < 0 && (errno == ENODATA || errno == ENOTSUP))
		return 0;
	if (len < 0 && errno != ERANGE) {
		hc_error_set_os(display, "cannot read its ACL");
		return HC_ERROR;
	}
	if (len < 0 || decode(out, buf, (size_t)len) < 0) {
		out->n = 0;
		hc_error_set_at(
		    display, 0,
		    "has an ACL hardctl cannot record (more than %d "
		    "entries, or malformed): trim it with setfacl first; "
		    "nothing was "
		    "changed",
		    HC_ACL_MAX);
		return hc_error_set_code(HC_EUNSAFE);
	}
	return 0;
}

int hc_acl_write(int fd, const struct hc_acl *acl, const char *display)
{
	unsigned char buf[HEADER_SIZE + ENTRY_SIZE * HC_ACL_MAX];
	size_t len = HEADER_SIZE;

	if (acl->n == 0) {
		if (fremovexattr(fd, XATTR_NAME) < 0 && errno != ENODATA &&
		    errno != ENOTSUP) {
			hc_error_set_os(display, "cannot remove its ACL");
			return HC_ERROR;
		}
		return 0;
	}
	if (!well_formed(acl) || acl->n > HC_ACL_MAX) {
		hc_error_set_at(display, 0, "the ACL to give it is malformed");
		return hc_error_set_code(HC_EINVALID);
	}
	put_le(buf, POSIX_ACL_XATTR_VERSION, 4);
	for (unsigned int i = 0; i < acl->n; i++, len += ENTRY_SIZE) {
		put_le(buf + len, acl->e[i].tag, 2);
		put_le(buf + len + 2, acl->e[i].perm, 2);
		put_le(buf + len + 4,
		       named(acl->e[i].tag) ? acl->e[i].id : UINT32_MAX, 4);
	}
	if (fsetxattr(fd, XATTR_NAME, buf, len, 0) < 0) {
		hc_error_set_os(display, "cannot set its ACL");
		return HC_ERROR;
	}
	return 0;
}

void hc_acl_trim(struct hc_acl *kept, struct hc_acl *dropped,
		 const struct hc_acl *acl, mode_t mode)
{
	struct hc_acl k = {0}, d = {0};
	unsigned short other = (unsigned short)(mode & 07);
	bool any_named = false;

	for (unsigned int i = 0; i < acl->n; i++) {
		struct hc_acl_entry e = acl->e[i];

		/*
		 * A named entry's access is capped by the mask, which chmod
		 * sets from the group bits: beyond what everyone may do, it is
		 * a grant waiting for "chmod g+r".
		 */
		if (named(e.tag) && (e.perm & ~other) != 0) {
			d.e[d.n++] = e;
			continue;
		}
		any_named |= named(e.tag);
		k.e[k.n++] = e;
	}
	if (!any_named)
		k.n = 0;
	hc_acl_chmod(&k, mode);
	if (kept)
		*kept = k;
	if (dropped)
		*dropped = d;
}

void hc_acl_chmod(struct hc_acl *acl, mode_t mode)
{
	bool mask = false;

	for (unsigned int i = 0; i < acl->n; i++)
		mask |= acl->e[i].tag == ACL_MASK;
	for (unsigned int i = 0; i < acl->n; i++) {
		struct hc_acl_entry *e = &acl->e[i];

		if (e->tag == ACL_USER_OBJ)
			e->perm = (unsigned short)((mode >> 6) & 07);
		else if (e->tag == ACL_MASK ||
			 (e->tag == ACL_GROUP_OBJ && !mask))
			e->perm = (unsigned short)((mode >> 3) & 07);
		else if (e->tag == ACL_OTHER)
			e->perm = (unsigned short)(mode & 07);
	}
}

static const char *tag_name(unsigned short tag)
{
	if (tag == ACL_USER_OBJ || tag == ACL_USER)
		return "user";
	if (tag == ACL_MASK)
		return "mask";
	return tag == ACL_OTHER ? "other" : "group";
}

int hc_acl_format(struct hc_buf *out, const struct hc_acl *acl)
{
	int error = 0;

	for (unsigned int i = 0; i < acl->n && error == 0; i++) {
		const struct hc_acl_entry *e = &acl->e[i];
		const char *tag = tag_name(e->tag);

		error = hc_buf_printf(out, "%s%s:", i ? "," : "", tag);
		if (error == 0 && named(e->tag))
			error = hc_buf_printf(out, "%u", e->id);
		if (error == 0)
			error = hc_buf_printf(
			    out, ":%c%c%c", e->perm & 4 ? 'r' : '-',
			    e->perm & 2 ? 'w' : '-', e->perm & 1 ? 'x' : '-');
	}
	return error;
}

/* The tag of the text TAG (LEN bytes), NAMED or not; 0 if unknown. */
static unsigned short parse_tag(const char *tag, size_t len, bool has_id)
{
	if (len == 4 && memcmp(tag, "user", 4) == 0)
		return has_id ? ACL_USER : ACL_USER_OBJ;
	if (len == 5 && memcmp(tag, "group", 5) == 0)
		return has_id ? ACL_GROUP : ACL_GROUP_OBJ;
	if (has_id)
		return 0;
	if (len == 4 && memcmp(tag, "mask", 4) == 0)
		return ACL_MASK;
	if (len == 5 && memcmp(tag, "other", 5) == 0)
		return ACL_OTHER;
	return 0;
}

/* One "TAG:ID:rwx" entry of LEN bytes at S. */
static int parse_entry(struct hc_acl_entry *e, const char *s, size_t len)
{
	const char *c1 = memchr(s, ':', len), *c2;
	unsigned long id = 0;
	char idbuf[16], *end;
	size_t idlen;

	if (c1 == NULL ||
	    (c2 = memchr(c1 + 1, ':', len - (size_t)(c1 + 1 - s))) == NULL ||
	    s + len - (c2 + 1) != 3)
		return HC_EPARSE;
	idlen = (size_t)(c2 - c1 - 1);
	if (idlen >= sizeof(idbuf) || (idlen && (c1[1] < '0' || c1[1] > '9')))
		return HC_EPARSE;
	if (idlen) {
		memcpy(idbuf, c1 + 1, idlen);
		idbuf[idlen] = '\0';
		errno = 0;
		id = strtoul(idbuf, &end, 10);
		if (*end != '\0' || errno != 0 || id >= UINT32_MAX)
			return HC_EPARSE;
	}
	if ((e->tag = parse_tag(s, (size_t)(c1 - s), idlen > 0)) == 0 ||
	    (c2[1] != 'r' && c2[1] != '-') || (c2[2] != 'w' && c2[2] != '-') ||
	    (c2[3] != 'x' && c2[3] != '-'))
		return HC_EPARSE;
	e->id = (unsigned int)id;
	e->perm =
	    (unsigned short)((c2[1] == 'r' ? 4 : 0) | (c2[2] == 'w' ? 2 : 0) |
			     (c2[3] == 'x' ? 1 : 0));
	return 0;
}

int hc_acl_parse(struct hc_acl *out, const char *s, size_t len)
{
	const char *end = s + len;

	out->n = 0;
	while (s < end) {
		const char *comma = memchr(s, ',', (size_t)(end - s));
		size_t elen = comma ? (size_t)(comma - s) : (size_t)(end - s);

		if (out->n == HC_ACL_MAX ||
		    parse_entry(&out->e[out->n], s, elen) < 0)
			return HC_EPARSE;
		out->n++;
		s += elen + 1;
		if (comma && s == end)
			return HC_EPARSE; /* a trailing comma */
	}
	return out->n > 0 && well_formed(out) ? 0 : HC_EPARSE;
}

bool hc_acl_equal(const struct hc_acl *a, const struct hc_acl *b)
{
	if (a->n != b->n)
		return false;
	for (unsigned int i = 0; i < a->n; i++)
		if (a->e[i].tag != b->e[i].tag ||
		    a->e[i].perm != b->e[i].perm || a->e[i].id != b->e[i].id)
			return false;
	return true;
}
