/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Confirmed apply, as network devices do it: "apply --confirm-within
 * DURATION" leaves a detached watchdog that rolls the transaction back
 * once DURATION has passed, unless "hardctl confirm" came first.  The
 * watchdog is its own session and ignores SIGHUP, so the administrator's
 * ssh session dying (the very thing a bad sshd_config causes) does not
 * take it down.  What it did goes to hardctl-confirm.log in the store.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "hardctl/json.h"
#include "hardctl/store.h"
#include "cmd.h"

static const char usage[] =
	"usage: hardctl confirm [--format text|json]\n"
	"Confirms the transaction \"apply --confirm-within\" made, so that it is\n"
	"not rolled back when its time is up.\n";

int cmd_parse_duration(unsigned int *seconds, const char *arg)
{
	char *end;
	unsigned long n;

	errno = 0;
	n = strtoul(arg, &end, 10);
	if (strcmp(end, "m") == 0)
		n *= 60;
	else if (strcmp(end, "h") == 0)
		n *= 3600;
	/* Digits first, then s, m, h or nothing. */
	if (arg[0] < '0' || arg[0] > '9' || errno || (*end && strchr("smh", *end) == NULL) ||
	    (*end && end[1]) || n == 0 || n > 86400) {
		hc_error_set("'%s' is not a duration from 1s to 24h (such as 90s, 5m, 1h)", arg);
		return hc_error_set_code(HC_EINVALID);
	}
	*seconds = (unsigned int)n;
	return 0;
}

/* Sleep until DEADLINE, whatever signals come. */
static void sleep_until(time_t deadline)
{
	time_t now;

	while ((now = time(NULL)) < deadline) {
		struct timespec ts = { deadline - now, 0 };

		nanosleep(&ts, NULL);
	}
}

/* The watchdog, in its own session: wait, then run "rollback --if-unconfirmed". */
static void watchdog(char *const argv[], size_t txn_arg, time_t deadline, const char *log)
{
	char when[32];
	struct tm tm;
	time_t now;
	int fd;

	signal(SIGHUP, SIG_IGN);
	if (chdir("/") < 0)
		_exit(127);
	if ((fd = open("/dev/null", O_RDONLY | O_CLOEXEC)) < 0 || dup2(fd, 0) < 0)
		_exit(127);
	if ((fd = open(log, O_WRONLY | O_CREAT | O_APPEND | O_NOFOLLOW | O_CLOEXEC, 0600)) < 0 ||
	    dup2(fd, 1) < 0 || dup2(1, 2) < 0)
		_exit(127);
	/* Nothing of the parent's may stay open: its lock above all. */
	closefrom(3);
	sleep_until(deadline);
	now = time(NULL);
	if (gmtime_r(&now, &tm) && strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm))
		dprintf(1, "%s: the time to confirm transaction %s is up\n", when, argv[txn_arg]);
	execv(argv[0], argv);
	dprintf(1, "cannot run %s: %s\n", argv[0], strerror(errno));
	_exit(127);
}

int cmd_confirm_arm(struct cmd_env *env, struct hc_store *store, unsigned int txn,
		    unsigned int seconds)
{
	char exe[PATH_MAX], root[PATH_MAX], store_path[PATH_MAX], key[PATH_MAX];
	char txnarg[16], log[PATH_MAX + 32];
	char *argv[16];
	time_t deadline = time(NULL) + (time_t)seconds;
	ssize_t len = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	size_t n = 0, txn_arg;
	pid_t pid;
	int error, status;

	if (len < 0) {
		hc_error_set_os("/proc/self/exe", "cannot find hardctl itself for the watchdog");
		return HC_ERROR;
	}
	exe[len] = '\0';
	/* The watchdog works from "/": every path it is given must be absolute. */
	if (realpath(env->root_path, root) == NULL ||
	    realpath(hc_store_path(store), store_path) == NULL ||
	    (env->key_path && realpath(env->key_path, key) == NULL)) {
		hc_error_set_os(NULL, "cannot resolve the paths the watchdog needs");
		return HC_ERROR;
	}
	snprintf(txnarg, sizeof(txnarg), "%u", txn);
	snprintf(log, sizeof(log), "%s/hardctl-confirm.log", store_path);
	argv[n++] = exe;
	argv[n++] = (char *)"--root";
	argv[n++] = root;
	argv[n++] = (char *)"--store";
	argv[n++] = store_path;
	if (env->key_path) {
		argv[n++] = (char *)"--key";
		argv[n++] = key;
	}
	/* The rollback waits for any hardctl at work then, up to ten minutes. */
	argv[n++] = (char *)"--wait";
	argv[n++] = (char *)"600";
	argv[n++] = (char *)"rollback";
	txn_arg = n;
	argv[n++] = txnarg;
	argv[n++] = (char *)"--if-unconfirmed";
	argv[n] = NULL;
	if ((error = hc_store_confirm_arm(store, txn, deadline)) < 0)
		return error;
	fflush(NULL);
	if ((pid = fork()) < 0) {
		hc_error_set_os(NULL, "cannot start the watchdog");
		hc_store_confirm_clear(store);
		return HC_ERROR;
	}
	if (pid == 0) {
		/* A session of its own, and a grandchild, so no terminal can reach it. */
		if (setsid() < 0 || (pid = fork()) < 0)
			_exit(1);
		if (pid > 0)
			_exit(0);
		watchdog(argv, txn_arg, deadline, log);
	}
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		hc_error_set("cannot start the watchdog: transaction %u stands unconfirmed", txn);
		hc_store_confirm_clear(store);
		return HC_ERROR;
	}
	return 0;
}

int cmd_confirm(int argc, char **argv, struct cmd_env *env)
{
	static const struct option longopts[] = {
		CMD_COMMON_LONGOPTS,
		{ NULL, 0, NULL, 0 },
	};
	struct hc_store *store = NULL;
	struct hc_buf out = HC_BUF_INIT;
	struct hc_json json;
	unsigned int txn = 0;
	time_t deadline;
	int opt, status, error;

	while ((opt = getopt_long(argc, argv, "h", longopts, NULL)) != -1)
		if ((status = cmd_common_opt(env, opt, optarg, usage)) != 0)
			return status;
	if (optind < argc)
		return cmd_usage_error(usage, "unexpected argument '%s'", argv[optind]);
	if ((error = cmd_store_open(&store, env, HC_STORE_LOCK)) < 0 ||
	    (error = hc_store_confirm_read(&txn, &deadline, hc_store_path(store))) < 0 ||
	    (txn && (error = hc_store_confirm_clear(store)) < 0))
		goto out;
	if (env->format == HC_FORMAT_JSON) {
		hc_json_init(&json, &out);
		hc_json_open(&json, '{');
		hc_json_key(&json, "schema");
		hc_json_int(&json, 1);
		hc_json_key(&json, "confirmed");
		if (txn)
			hc_json_int(&json, txn);
		else
			hc_json_null(&json);
		hc_json_close(&json, '{');
		error = hc_json_finish(&json);
	} else if (txn) {
		error = hc_buf_printf(&out, "transaction %u confirmed: it stays\n", txn);
	} else {
		error = hc_buf_puts(&out, "nothing awaits confirmation\n");
	}
	if (error == 0)
		error = cmd_write(env, &out);
out:
	hc_store_free(store);
	hc_buf_release(&out);
	return error < 0 ? cmd_fail(error, false) : EXIT_OK;
}
