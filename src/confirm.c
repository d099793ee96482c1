/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Confirmed apply's bookkeeping (see hardctl/confirm.h): the marker's
 * text, the watchdog's identity, and what a command does about a
 * transaction awaiting confirmation.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "hardctl/confirm.h"
#include "hardctl/fault.h"

bool hc_confirm_expired(const struct hc_confirm *c, time_t now)
{
	return now >= c->deadline;
}

enum hc_confirm_action hc_confirm_decide(const struct hc_confirm *c, time_t now,
					 bool live, bool watchdog_alive)
{
	bool expired = hc_confirm_expired(c, now);

	if (c->txn == 0)
		return HC_CONFIRM_NONE;
	if (watchdog_alive)
		return HC_CONFIRM_WATCHED;
	if (!live)
		return expired ? HC_CONFIRM_EXPIRED : HC_CONFIRM_UNWATCHED;
	return expired ? HC_CONFIRM_ROLLBACK : HC_CONFIRM_REARM;
}

/* Read a small file of /proc whole into BUF; 0, or -1 with errno set. */
static int read_proc(char *buf, size_t size, const char *path)
{
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -1;
	n = read(fd, buf, size - 1);
	close(fd);
	if (n < 0)
		return -1;
	buf[n] = '\0';
	return 0;
}

int hc_confirm_boot_id(char out[HC_BOOT_ID_SIZE])
{
	static const char path[] = "/proc/sys/kernel/random/boot_id";
	char buf[64];
	size_t len;

	out[0] = '\0';
	if (read_proc(buf, sizeof(buf), path) < 0) {
		hc_error_set_os(path, "cannot read");
		return HC_ERROR;
	}
	len = strcspn(buf, "\n");
	if (len == 0 || len >= HC_BOOT_ID_SIZE) {
		hc_error_set_at(path, 1, "not a boot id");
		return HC_ERROR;
	}
	memcpy(out, buf, len);
	out[len] = '\0';
	return 0;
}

int hc_confirm_proc_start(unsigned long long *start, pid_t pid)
{
	char path[64], buf[1024], state;
	const char *p;

	*start = 0;
	snprintf(path, sizeof(path), "/proc/%ld/stat", (long)pid);
	if (pid <= 0 || read_proc(buf, sizeof(buf), path) < 0) {
		hc_error_set("no process %ld", (long)pid);
		return hc_error_set_code(HC_ENOTFOUND);
	}
	/*
	 * The command name (field 2) is in parentheses and may hold spaces
	 * and parentheses itself: the fields go on after the last ')'.
	 * Field 3 is the state, fields 4 to 21 are skipped, 22 the start.
	 */
	if ((p = strrchr(buf, ')')) == NULL ||
	    sscanf(
		p + 1,
		" %c %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s "
		"%*s %*s %*s %*s %llu",
		&state, start) != 2) {
		hc_error_set_at(path, 1, "cannot parse");
		return HC_ERROR;
	}
	/* A zombie has exited; nobody may have reaped it yet. */
	if (state == 'Z' || state == 'X' || state == 'x') {
		hc_error_set("process %ld has exited", (long)pid);
		return hc_error_set_code(HC_ENOTFOUND);
	}
	return 0;
}

bool hc_confirm_watchdog_alive(const struct hc_confirm *c, const char *boot_id)
{
	unsigned long long start;

	if (c->watchdog <= 0)
		return false;
	/* Another boot: whatever has this PID now is not the watchdog. */
	if (c->boot_id[0] && boot_id[0] && strcmp(c->boot_id, boot_id) != 0)
		return false;
	if (hc_confirm_proc_start(&start, c->watchdog) < 0) {
		hc_error_clear();
		return false;
	}
	return start == c->watchdog_start;
}

/* Whether the files at A and B are one (device and inode); false if unknown. */
static bool same_file(const char *a, const struct stat *b)
{
	struct stat st;

	return stat(a, &st) == 0 && st.st_dev == b->st_dev &&
	       st.st_ino == b->st_ino;
}

bool hc_confirm_watchdog_end(const struct hc_confirm *c, const char *boot_id,
			     const char *log)
{
	char path[64];
	struct stat self, out;
	bool ours;
	int fd, pidfd = -1;

	if (c->watchdog <= 0)
		return false;
#ifdef SYS_pidfd_open
	/* A PID used again after this point cannot be signalled through it. */
	pidfd = (int)syscall(SYS_pidfd_open, c->watchdog, 0);
	if (pidfd < 0 && errno != ENOSYS)
		return false;
#endif
	if ((fd = open(log, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) < 0) {
		if (pidfd >= 0)
			close(pidfd);
		return false;
	}
	ours = fstat(fd, &out) == 0 && S_ISREG(out.st_mode) &&
	       stat("/proc/self/exe", &self) == 0;
	close(fd);
	snprintf(path, sizeof(path), "/proc/%ld/exe", (long)c->watchdog);
	ours = ours && same_file(path, &self);
	snprintf(path, sizeof(path), "/proc/%ld/fd/1", (long)c->watchdog);
	ours = ours && same_file(path, &out) &&
	       hc_confirm_watchdog_alive(c, boot_id);
	if (ours) {
#ifdef SYS_pidfd_send_signal
		if (pidfd >= 0)
			ours = syscall(SYS_pidfd_send_signal, pidfd, SIGTERM,
				       NULL, 0) == 0;
		else
#endif
			ours = kill(c->watchdog, SIGTERM) == 0;
	}
	if (pidfd >= 0)
		close(pidfd);
	return ours;
}

bool hc_confirm_root_live(const char *root_path)
{
	char *real = realpath(root_path, NULL);
	bool live =
	    real && (strcmp(real, "/") == 0 || hc_fault_live_root(real));

	free(real);
	return live;
}

int hc_confirm_format(struct hc_buf *out, const struct hc_confirm *c)
{
	int error = hc_buf_printf(out, "transaction %u\ndeadline %lld\n",
				  c->txn, (long long)c->deadline);

	if (error == 0 && c->boot_id[0])
		error = hc_buf_printf(out, "boot %s\n", c->boot_id);
	if (error == 0 && c->watchdog > 0)
		error = hc_buf_printf(out, "watchdog %ld %llu\n",
				      (long)c->watchdog, c->watchdog_start);
	return error;
}

/* Whether S is a boot id: hex digits and dashes, 1 to 36 of them. */
static bool boot_id_ok(const char *s)
{
	size_t len = strspn(s, "0123456789abcdef-");

	return len > 0 && len < HC_BOOT_ID_SIZE && s[len] == '\0';
}

/* One line of the marker, LINE (without its newline), into OUT. */
static int parse_line(struct hc_confirm *out, const char *line,
		      unsigned int *seen)
{
	unsigned long long u;
	long long when;
	long pid;
	int end = -1;

	if (*seen == 0 && sscanf(line, "transaction %llu%n", &u, &end) == 1 &&
	    line[end] == '\0' && u > 0 && u <= UINT_MAX) {
		out->txn = (unsigned int)u;
	} else if (*seen == 1 &&
		   sscanf(line, "deadline %lld%n", &when, &end) == 1 &&
		   line[end] == '\0') {
		out->deadline = (time_t)when;
	} else if (*seen >= 2 && !out->boot_id[0] && !out->watchdog &&
		   strncmp(line, "boot ", 5) == 0 && boot_id_ok(line + 5)) {
		memcpy(out->boot_id, line + 5, strlen(line + 5) + 1);
	} else if (*seen >= 2 && !out->watchdog &&
		   sscanf(line, "watchdog %ld %llu%n", &pid, &u, &end) == 2 &&
		   line[end] == '\0' && pid > 0 && pid <= INT_MAX) {
		out->watchdog = (pid_t)pid;
		out->watchdog_start = u;
	} else {
		return -1;
	}
	(*seen)++;
	return 0;
}

int hc_confirm_parse(struct hc_confirm *out, const char *text, const char *file)
{
	unsigned int seen = 0, lineno = 0;
	char line[128];

	memset(out, 0, sizeof(*out));
	while (*text) {
		size_t len = strcspn(text, "\n");

		lineno++;
		if (len >= sizeof(line) || text[len] != '\n')
			goto bad;
		memcpy(line, text, len);
		line[len] = '\0';
		if (parse_line(out, line, &seen) < 0)
			goto bad;
		text += len + 1;
	}
	if (seen >= 2)
		return 0;
bad:
	memset(out, 0, sizeof(*out));
	hc_error_set_at(file, lineno, "not a confirmation marker");
	return hc_error_set_code(HC_EUNSAFE);
}
