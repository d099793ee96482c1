/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Who runs hardctl, and the syslog record of a transaction (see
 * hardctl/audit.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
#include "hardctl/audit.h"

/* LOG_AUTHPRIV and the severities of <syslog.h>, which is not included:
 * hardctl never calls syslog(3). */
#define AUTHPRIV (10 << 3)
#define SEV_ERR 3
#define SEV_WARNING 4
#define SEV_NOTICE 5
#define SEV_INFO 6

/* The most bytes of one value (ROOT, a path, a name) a record keeps. */
#define VALUE_MAX 256
/* A list stops taking items once the record is this long. */
#define LIST_ROOM 760
/* The most bytes of SUDO_USER kept. */
#define SUDO_MAX 64

/* Append LEN bytes of DATA with control characters, '"' and '\' escaped. */
static int put_value(struct hc_buf *out, const char *data, size_t len)
{
	size_t start = 0;
	int error = 0;

	for (size_t i = 0; i <= len && error == 0; i++) {
		if (i < len && data[i] != '"' && data[i] != '\\')
			continue;
		error = hc_buf_put_escaped(out, data + start, i - start, NULL);
		if (error == 0 && i < len)
			error = hc_buf_printf(out, "\\x%02x",
					      (unsigned char)data[i]);
		start = i + 1;
	}
	return error;
}

/* The length of the escape or the character that begins at P. */
static size_t token_len(const char *p)
{
	unsigned char c = (unsigned char)*p;

	if (c == '\\')
		return p[1] == 'x' ? 4 : 2;
	if (c >= 0xf0)
		return 4;
	if (c >= 0xe0)
		return 3;
	return c >= 0xc0 ? 2 : 1;
}

/*
 * STR, escaped, at most VALUE_MAX bytes of it as written ("..." says
 * cut): escaping makes a byte four, and a field so long would push the
 * rest of the record out of it.
 */
static int put_bounded(struct hc_buf *out, const char *str)
{
	size_t start = out->size, len, cut = 0;
	int error;

	if ((error = put_value(out, str, strlen(str))) < 0)
		return error;
	len = out->size - start;
	if (len <= VALUE_MAX)
		return 0;
	/* Cut at an escape's or a character's start. */
	while (cut < len) {
		size_t n = token_len(out->ptr + start + cut);

		if (cut + n > VALUE_MAX)
			break;
		cut += n;
	}
	out->size = start + cut;
	out->ptr[out->size] = '\0';
	return hc_buf_puts(out, "...");
}

/* " KEY=\"VALUE\"" */
static int put_field(struct hc_buf *out, const char *key, const char *value)
{
	int error;

	if (value == NULL)
		return 0;
	if ((error = hc_buf_printf(out, " %s=\"", key)) == 0 &&
	    (error = put_bounded(out, value)) == 0)
		error = hc_buf_puts(out, "\"");
	return error;
}

static int put_user(struct hc_buf *out, unsigned long id)
{
	struct passwd *pw = getpwuid((uid_t)id);

	if (pw == NULL)
		return hc_buf_printf(out, "%lu", id);
	if (hc_buf_printf(out, "%lu (", id) < 0 ||
	    put_bounded(out, pw->pw_name) < 0)
		return HC_ERROR;
	return hc_buf_puts(out, ")");
}

/* The audit login uid: -1 when unset or unreadable. */
static long read_loginuid(void)
{
	char buf[32];
	ssize_t n;
	int fd = open("/proc/self/loginuid", O_RDONLY | O_CLOEXEC);
	unsigned long v;
	char *end;

	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	errno = 0;
	v = strtoul(buf, &end, 10);
	if (errno || end == buf || (*end != '\0' && *end != '\n') ||
	    v >= 4294967295UL)
		return -1;
	return (long)v;
}

int hc_who_get(struct hc_who *out)
{
	const char *sudo = getenv("SUDO_USER");
	size_t len;

	memset(out, 0, sizeof(*out));
	out->loginuid = read_loginuid();
	out->uid = getuid();
	out->euid = geteuid();
	if (sudo == NULL || sudo[0] == '\0')
		return 0;
	/* Kept as claimed, bounded; escaped wherever it is written. */
	len = strlen(sudo);
	if (len > SUDO_MAX) {
		len = SUDO_MAX;
		while (len > 0 && ((unsigned char)sudo[len] & 0xc0) == 0x80)
			len--;
	}
	if ((out->sudo_user = strndup(sudo, len)) == NULL)
		return hc_error_oom();
	out->sudo_cut = len < strlen(sudo);
	return 0;
}

/* SUDO_USER, escaped, "..." when cut. */
static int put_sudo(struct hc_buf *out, const struct hc_who *who)
{
	int error = put_value(out, who->sudo_user, strlen(who->sudo_user));

	if (error == 0 && who->sudo_cut)
		error = hc_buf_puts(out, "...");
	return error;
}

void hc_who_release(struct hc_who *who)
{
	if (who == NULL)
		return;
	free(who->sudo_user);
	who->sudo_user = NULL;
}

int hc_who_trailers(struct hc_buf *out, const struct hc_who *who)
{
	int error = hc_buf_puts(out, "Login-UID: ");

	if (error == 0)
		error = who->loginuid < 0
			    ? hc_buf_puts(out, "unset")
			    : put_user(out, (unsigned long)who->loginuid);
	if (error == 0 && (error = hc_buf_puts(out, "\nUID: ")) == 0 &&
	    (error = put_user(out, who->uid)) == 0)
		error = hc_buf_puts(out, "\n");
	if (error == 0 && who->euid != who->uid &&
	    (error = hc_buf_puts(out, "EUID: ")) == 0 &&
	    (error = put_user(out, who->euid)) == 0)
		error = hc_buf_puts(out, "\n");
	if (error == 0 && who->sudo_user &&
	    (error = hc_buf_puts(out, "Sudo-User: ")) == 0 &&
	    (error = put_sudo(out, who)) == 0)
		error = hc_buf_puts(out, " (claimed)\n");
	return error;
}

int hc_who_text(struct hc_buf *out, const struct hc_who *who)
{
	int error = hc_buf_puts(out, "uid ");

	if (error == 0)
		error = put_user(out, who->uid);
	if (error == 0 && who->euid != who->uid &&
	    (error = hc_buf_puts(out, ", euid ")) == 0)
		error = put_user(out, who->euid);
	if (error == 0)
		error = hc_buf_puts(out, ", login uid ");
	if (error == 0)
		error = who->loginuid < 0
			    ? hc_buf_puts(out, "unset")
			    : put_user(out, (unsigned long)who->loginuid);
	if (error == 0 && who->sudo_user &&
	    (error = hc_buf_puts(out, ", SUDO_USER ")) == 0 &&
	    (error = put_sudo(out, who)) == 0)
		error = hc_buf_puts(out, " (claimed)");
	return error;
}

int hc_audit_priority(enum hc_audit_outcome outcome)
{
	switch (outcome) {
	case HC_AUDIT_DONE:
		return AUTHPRIV | SEV_NOTICE;
	case HC_AUDIT_NOTHING:
		return AUTHPRIV | SEV_INFO;
	case HC_AUDIT_REFUSED:
		return AUTHPRIV | SEV_WARNING;
	case HC_AUDIT_FAILED:
	default:
		return AUTHPRIV | SEV_ERR;
	}
}

/* " KEY=N:\"a\",\"b\",..." : the count, then items while there is room. */
static int put_list(struct hc_buf *out, const char *key, const char *const *v,
		    size_t n)
{
	int error = hc_buf_printf(out, " %s=%zu", key, n);

	for (size_t i = 0; i < n && error == 0; i++) {
		if (out->size > LIST_ROOM) {
			error = hc_buf_puts(out, ",...");
			break;
		}
		if ((error = hc_buf_puts(out, i ? ",\"" : ":\"")) == 0 &&
		    (error = put_bounded(out, v[i])) == 0)
			error = hc_buf_puts(out, "\"");
	}
	return error;
}

/* " who=\"uid 0 (root), login uid ...\"": hc_who_text() escapes. */
static int put_who(struct hc_buf *out, const struct hc_who *who)
{
	int error = hc_buf_puts(out, " who=\"");

	if (error == 0 && (error = hc_who_text(out, who)) == 0)
		error = hc_buf_puts(out, "\"");
	return error;
}

int hc_audit_format(struct hc_buf *out, const struct hc_audit_event *ev,
		    const struct hc_who *who, pid_t pid, time_t now)
{
	static const char months[12][4] = {"Jan", "Feb", "Mar", "Apr",
					   "May", "Jun", "Jul", "Aug",
					   "Sep", "Oct", "Nov", "Dec"};
	struct tm tm;
	int error;

	hc_buf_clear(out);
	if (localtime_r(&now, &tm) == NULL)
		memset(&tm, 0, sizeof(tm));
	error = hc_buf_printf(out, "<%d>%s %2d %02d:%02d:%02d hardctl[%ld]: %s",
			      hc_audit_priority(ev->outcome),
			      months[tm.tm_mon % 12], tm.tm_mday, tm.tm_hour,
			      tm.tm_min, tm.tm_sec, (long)pid, ev->action);
	if (error == 0)
		error = put_field(out, "outcome", ev->outcome_text);
	/* Who comes before what a hostile store or image can make long. */
	if (error == 0)
		error = put_who(out, who);
	if (error == 0)
		error = put_field(out, "root", ev->root);
	if (error == 0 && ev->txn)
		error = hc_buf_printf(out, " txn=%u", ev->txn);
	if (error == 0 && ev->undoes)
		error = hc_buf_printf(out, " undoes=%u", ev->undoes);
	if (error == 0)
		error = put_field(out, "undoes_rule", ev->undoes_rule);
	if (error == 0)
		error = put_field(out, "by", ev->by);
	if (error == 0)
		error = put_field(out, "profile", ev->profile);
	if (error == 0)
		error = put_field(out, "sha256", ev->profile_sha);
	if (error == 0)
		error = put_field(out, "detail", ev->detail);
	if (error == 0 && ev->rules)
		error = put_list(out, "rules", ev->rules, ev->nrules);
	if (error == 0 && ev->files)
		error = put_list(out, "files", ev->files, ev->nfiles);
	if (error == 0 && out->size > HC_AUDIT_MAX) {
		/* Only a list can run so long: its last items go. */
		out->size = HC_AUDIT_MAX - 3;
		while (out->size > 0 &&
		       ((unsigned char)out->ptr[out->size] & 0xc0) == 0x80)
			out->size--;
		error = hc_buf_puts(out, "...");
	}
	return error;
}

int hc_audit_send(bool *sent, const struct hc_buf *record)
{
	const char *path = getenv("HARDCTL_LOG_SOCKET");
	struct sockaddr_un addr;
	int fd, saved;
	ssize_t n;

	*sent = false;
	if (path == NULL || path[0] == '\0')
		path = HC_AUDIT_SOCKET;
	memset(&addr, 0, sizeof(addr));
	addr.sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(addr.sun_path)) {
		hc_error_set("cannot log to %s: the path is too long", path);
		return HC_ERROR;
	}
	memcpy(addr.sun_path, path, strlen(path) + 1);
	if ((fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0)) < 0) {
		hc_error_set_os(path, "cannot log the transaction");
		return HC_ERROR;
	}
	/* A syslog daemon that does not read never holds hardctl up. */
	n = sendto(fd, record->ptr, record->size, MSG_DONTWAIT | MSG_NOSIGNAL,
		   (const struct sockaddr *)&addr, sizeof(addr));
	saved = errno;
	close(fd);
	if (n >= 0) {
		*sent = true;
		return 0;
	}
	if (saved == ENOENT)
		return 0;
	errno = saved;
	hc_error_set_os(path, "cannot log the transaction");
	return HC_ERROR;
}
