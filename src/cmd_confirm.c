/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Confirmed apply, as network devices do it: "apply --confirm-within
 * DURATION" leaves a detached watchdog that rolls the transaction back
 * once DURATION has passed, unless "hardctl confirm" came first.  The
 * watchdog is its own session and ignores SIGHUP, so the administrator's
 * ssh session dying (the very thing a bad sshd_config causes) does not
 * take it down.  What it did goes to hardctl-confirm.log in the store.
 *
 * One transaction at a time awaits confirmation: a second apply is
 * refused while one does, since a transaction on top of it would be
 * rolled back with it or conflict with its rollback.  A reboot, or a
 * kill, ends the watchdog; the marker records which process it is, so
 * the next command that opens the store (and hardctl-confirm-check.service
 * at boot) can tell, and on the running system roll back a transaction
 * whose time is up, or start a new watchdog for one whose time is not.
 * Commands that promise to write nothing (check, diff, status) only say
 * so.  On any other root hardctl only warns: an image checked on another
 * machine never rolls itself back.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <git2.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "hardctl/audit.h"
#include "hardctl/cache.h"
#include "hardctl/confirm.h"
#include "hardctl/json.h"
#include "hardctl/store.h"
#include "hardctl/trace.h"
#include "cmd.h"

static const char usage[] =
    "usage: hardctl confirm [--check-expired] [--format text|json]\n"
    "Confirms the transaction \"apply --confirm-within\" made, so that it is\n"
    "not rolled back when its time is up, and ends its watchdog.  With\n"
    "--check-expired, confirms nothing but looks at the watchdog that is to\n"
    "roll it back, as every command opening the store does first\n"
    "(hardctl-confirm-check.service runs it at boot): if the watchdog is\n"
    "gone (the system restarted, or it was killed), then on --root / only,\n"
    "the transaction is rolled back if its time is up, or gets a new\n"
    "watchdog if not; on any other root, hardctl only warns.\n";

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
	if (arg[0] < '0' || arg[0] > '9' || errno ||
	    (*end && strchr("smh", *end) == NULL) || (*end && end[1]) ||
	    n == 0 || n > 86400) {
		hc_error_set("'%s' is not a duration from 1s to 24h (such as "
			     "90s, 5m, 1h)",
			     arg);
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
		struct timespec ts = {deadline - now, 0};

		nanosleep(&ts, NULL);
	}
}

/* T as "2024-05-01T10:00:00Z", for messages and the log. */
static void utc(char out[32], time_t t)
{
	struct tm tm;

	if (gmtime_r(&t, &tm) == NULL ||
	    strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		snprintf(out, 32, "%lld", (long long)t);
}

/* The watchdog, in a session of its own: wait, then roll back unconfirmed. */
static void watchdog(char *const argv[], size_t txn_arg, time_t deadline,
		     const char *log)
{
	char when[32];
	int fd;

	signal(SIGHUP, SIG_IGN);
	if (chdir("/") < 0)
		_exit(127);
	if ((fd = open("/dev/null", O_RDONLY | O_CLOEXEC)) < 0 ||
	    dup2(fd, 0) < 0)
		_exit(127);
	if ((fd = open(log,
		       O_WRONLY | O_CREAT | O_APPEND | O_NOFOLLOW | O_CLOEXEC,
		       0600)) < 0 ||
	    dup2(fd, 1) < 0 || dup2(1, 2) < 0)
		_exit(127);
	/* Nothing of the parent's may stay open: its lock above all. */
	closefrom(3);
	sleep_until(deadline);
	utc(when, time(NULL));
	dprintf(1, "%s: the time to confirm transaction %s is up\n", when,
		argv[txn_arg]);
	execv(argv[0], argv);
	dprintf(1, "cannot run %s: %s\n", argv[0], strerror(errno));
	_exit(127);
}

/*
 * Fork the watchdog as a grandchild in a session of its own, so no
 * terminal can reach it; its PID comes back through a pipe.
 */
static int spawn(pid_t *out, char *const argv[], size_t txn_arg,
		 time_t deadline, const char *log)
{
	pid_t pid, child = 0;
	ssize_t n;
	int fds[2], status;

	fflush(NULL);
	if (pipe2(fds, O_CLOEXEC) < 0) {
		hc_error_set_os(NULL, "cannot start the watchdog");
		return HC_ERROR;
	}
	if ((pid = fork()) < 0) {
		hc_error_set_os(NULL, "cannot start the watchdog");
		close(fds[0]);
		close(fds[1]);
		return HC_ERROR;
	}
	if (pid == 0) {
		close(fds[0]);
		if (setsid() < 0 || (child = fork()) < 0)
			_exit(1);
		if (child > 0)
			_exit(write(fds[1], &child, sizeof(child)) ==
				      sizeof(child)
				  ? 0
				  : 1);
		watchdog(argv, txn_arg, deadline, log);
	}
	close(fds[1]);
	while ((n = read(fds[0], out, sizeof(*out))) < 0 && errno == EINTR)
		;
	close(fds[0]);
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
	    WEXITSTATUS(status) != 0 || n != (ssize_t)sizeof(*out) ||
	    *out <= 0) {
		hc_error_set("cannot start the watchdog");
		return HC_ERROR;
	}
	return 0;
}

/*
 * Start the watchdog that rolls C's transaction back at its deadline,
 * and record in C which process it is: the boot, its PID, its start
 * time.  The marker is the caller's to write.
 */
static int start_watchdog(struct hc_confirm *c, struct cmd_env *env,
			  struct hc_store *store)
{
	char exe[PATH_MAX], root[PATH_MAX], store_path[PATH_MAX], key[PATH_MAX];
	char txnarg[16], log[PATH_MAX + 32];
	char *argv[16];
	ssize_t len = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	size_t n = 0, txn_arg;
	pid_t pid;

	if (len < 0) {
		hc_error_set_os("/proc/self/exe",
				"cannot find hardctl itself for the watchdog");
		return HC_ERROR;
	}
	exe[len] = '\0';
	/* The watchdog works from "/": every path it gets must be absolute. */
	if (realpath(env->root_path, root) == NULL ||
	    realpath(hc_store_path(store), store_path) == NULL ||
	    (env->key_path && realpath(env->key_path, key) == NULL)) {
		hc_error_set_os(NULL,
				"cannot resolve the paths the watchdog needs");
		return HC_ERROR;
	}
	snprintf(txnarg, sizeof(txnarg), "%u", c->txn);
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
	/* The rollback waits for any hardctl at work then, up to 10 minutes. */
	argv[n++] = (char *)"--wait";
	argv[n++] = (char *)"600";
	argv[n++] = (char *)"rollback";
	txn_arg = n;
	argv[n++] = txnarg;
	argv[n++] = (char *)"--if-unconfirmed";
	argv[n] = NULL;
	/* Without a boot id, the PID and its start time still tell. */
	if (hc_confirm_boot_id(c->boot_id) < 0)
		hc_error_clear();
	if (spawn(&pid, argv, txn_arg, c->deadline, log) < 0)
		return HC_ERROR;
	if (hc_confirm_proc_start(&c->watchdog_start, pid) < 0) {
		hc_error_set("the watchdog stopped at once (%s may say why)",
			     log);
		return HC_ERROR;
	}
	c->watchdog = pid;
	return 0;
}

int cmd_confirm_arm(struct cmd_env *env, struct hc_store *store,
		    unsigned int txn, unsigned int seconds)
{
	struct hc_confirm c = {.txn = txn,
			       .deadline = time(NULL) + (time_t)seconds};
	int error;

	/*
	 * The marker goes first: a crash before the watchdog is recorded
	 * leaves one with no watchdog, which counts as gone.
	 */
	if ((error = hc_store_confirm_arm(store, &c)) < 0)
		return error;
	if ((error = start_watchdog(&c, env, store)) < 0 ||
	    (error = hc_store_confirm_arm(store, &c)) < 0) {
		hc_error_prefix("transaction %u stands unconfirmed", txn);
		hc_store_confirm_clear(store);
	}
	return error;
}

/* What looking at the transaction awaiting confirmation found and did. */
struct confirm_check {
	struct hc_confirm c;
	enum hc_confirm_action action;
	bool busy;             /* another hardctl held the lock: left be */
	unsigned int rollback; /* its transaction; 0: files already back */
	size_t nfiles;         /* files the rollback put back */
	bool acted; /* false: the command writes nothing, tell only */
};

/* Read the marker in the store at PATH and decide what to do about it. */
static int decide(struct confirm_check *k, const struct cmd_env *env,
		  const char *path)
{
	char boot[HC_BOOT_ID_SIZE];
	int error;

	k->action = HC_CONFIRM_NONE;
	if ((error = hc_store_confirm_read(&k->c, path)) < 0 || k->c.txn == 0)
		return error;
	if (hc_confirm_boot_id(boot) < 0)
		hc_error_clear();
	k->action = hc_confirm_decide(&k->c, time(NULL),
				      hc_confirm_root_live(env->root_path),
				      hc_confirm_watchdog_alive(&k->c, boot));
	return 0;
}

/* A line in hardctl-confirm.log, beside what the watchdogs wrote there. */
/*
 * hardctl-confirm.log in the store at STORE_PATH, open to append, and
 * the time now into WHEN; -1 if it cannot be opened.
 */
static int open_log(char when[32], const char *store_path)
{
	char file[PATH_MAX + 32];

	snprintf(file, sizeof(file), "%s/hardctl-confirm.log", store_path);
	utc(when, time(NULL));
	return open(
	    file, O_WRONLY | O_CREAT | O_APPEND | O_NOFOLLOW | O_CLOEXEC, 0600);
}

static void log_action(const struct confirm_check *k, const char *store_path)
{
	char when[32];
	int fd;

	/* For the administrator: the store's history has the rollback too. */
	if ((fd = open_log(when, store_path)) < 0)
		return;
	if (k->action == HC_CONFIRM_ROLLBACK)
		dprintf(fd,
			"%s: the watchdog of transaction %u was gone and its "
			"time was up: rolled back transaction %u as "
			"transaction %u\n",
			when, k->c.txn, k->c.txn, k->rollback);
	else
		dprintf(fd,
			"%s: the watchdog of transaction %u was gone: started "
			"watchdog %ld\n",
			when, k->c.txn, (long)k->c.watchdog);
	close(fd);
}

/*
 * Roll back or start a watchdog, as K decided, in STORE (opened with the
 * lock), deciding again first: another hardctl may have acted since.
 */
static int act_locked(struct confirm_check *k, struct cmd_env *env,
		      struct hc_store *store)
{
	int error;

	if ((error = decide(k, env, hc_store_path(store))) < 0)
		return error;
	if (k->action == HC_CONFIRM_ROLLBACK)
		error = cmd_rollback_unconfirmed(&k->rollback, &k->nfiles, env,
						 store, k->c.txn);
	else if (k->action == HC_CONFIRM_REARM &&
		 (error = start_watchdog(&k->c, env, store)) == 0)
		error = hc_store_confirm_arm(store, &k->c);
	if (error == 0 &&
	    (k->action == HC_CONFIRM_ROLLBACK || k->action == HC_CONFIRM_REARM))
		log_action(k, hc_store_path(store));
	return error;
}

/* The same, opening the store with its lock. */
static int act(struct confirm_check *k, struct cmd_env *env,
	       bool before_command)
{
	struct hc_store *store = NULL;
	int error;

	if (git_libgit2_init() < 0) {
		hc_error_set("cannot initialise libgit2");
		return HC_ERROR;
	}
	error = cmd_store_open(&store, env, HC_STORE_LOCK);
	if (error == HC_ELOCKED && before_command) {
		/* The one at work may be the watchdog: next time tells. */
		hc_error_clear();
		k->busy = true;
		error = 0;
	} else if (error == 0) {
		error = act_locked(k, env, store);
	}
	hc_store_free(store);
	git_libgit2_shutdown();
	return error;
}

/*
 * Look at the transaction awaiting confirmation, and with MAY_ACT act on
 * the running system; BEFORE_COMMAND: a lock held is no error.
 */
static int check_confirmation(struct confirm_check *k, struct cmd_env *env,
			      bool may_act, bool before_command)
{
	struct hc_buf path = HC_BUF_INIT;
	int error;

	memset(k, 0, sizeof(*k));
	k->acted = may_act;
	if ((error = cmd_store_path(&path, env)) == 0 &&
	    (error = decide(k, env, path.ptr)) == 0 && may_act &&
	    (k->action == HC_CONFIRM_ROLLBACK || k->action == HC_CONFIRM_REARM))
		error = act(k, env, before_command);
	hc_buf_release(&path);
	return error;
}

/* What the check found and did, as a sentence (no "hardctl: "). */
static int check_text(struct hc_buf *out, const struct confirm_check *k,
		      const struct cmd_env *env)
{
	const char *root = env->root_path, *s = k->nfiles == 1 ? "" : "s";
	char when[32];

	utc(when, k->c.deadline);
	if (k->busy)
		return hc_buf_printf(
		    out,
		    "transaction %u awaits confirmation, and another hardctl "
		    "is at work: its watchdog is looked at next time\n",
		    k->c.txn);
	if (!k->acted && k->action == HC_CONFIRM_ROLLBACK)
		return hc_buf_printf(
		    out,
		    "the time to confirm transaction %u was up at %s, and its "
		    "watchdog is gone: the next hardctl command that opens "
		    "the store rolls it back ('hardctl confirm "
		    "--check-expired' does it now)\n",
		    k->c.txn, when);
	if (!k->acted && k->action == HC_CONFIRM_REARM)
		return hc_buf_printf(
		    out,
		    "transaction %u awaits confirmation until %s, but its "
		    "watchdog is gone: the next hardctl command that opens "
		    "the store starts a new one ('hardctl confirm "
		    "--check-expired' does it now)\n",
		    k->c.txn, when);
	switch (k->action) {
	case HC_CONFIRM_NONE:
		return hc_buf_puts(out, "nothing awaits confirmation\n");
	case HC_CONFIRM_WATCHED:
		return hc_buf_printf(
		    out,
		    "transaction %u awaits confirmation until %s; its "
		    "watchdog (PID %ld) rolls it back then\n",
		    k->c.txn, when, (long)k->c.watchdog);
	case HC_CONFIRM_REARM:
		return hc_buf_printf(
		    out,
		    "the watchdog of transaction %u was gone (the system "
		    "restarted, or it was killed): started a new one, which "
		    "rolls it back at %s unless 'hardctl confirm' comes "
		    "first\n",
		    k->c.txn, when);
	case HC_CONFIRM_ROLLBACK:
		if (k->rollback == 0)
			return hc_buf_printf(
			    out,
			    "the time to confirm transaction %u was up at %s "
			    "and its watchdog was gone: its files were "
			    "already as before it, and it awaits "
			    "confirmation no more\n",
			    k->c.txn, when);
		return hc_buf_printf(
		    out,
		    "the time to confirm transaction %u was up at %s and "
		    "its watchdog was gone (the system restarted, or it was "
		    "killed): transaction %u: rolled back transaction %u "
		    "(%zu file%s)\n",
		    k->c.txn, when, k->rollback, k->c.txn, k->nfiles, s);
	case HC_CONFIRM_UNWATCHED:
		return hc_buf_printf(
		    out,
		    "warning: transaction %u awaits confirmation until %s, "
		    "but its watchdog is gone, and %s is not the running "
		    "system (only on --root / does hardctl roll back by "
		    "itself): roll it back with 'hardctl --root %s rollback "
		    "%u', or keep it with 'hardctl --root %s confirm'\n",
		    k->c.txn, when, root, root, k->c.txn, root);
	case HC_CONFIRM_EXPIRED:
		return hc_buf_printf(
		    out,
		    "warning: the time to confirm transaction %u was up at "
		    "%s and its watchdog is gone, but %s is not the running "
		    "system, so it is not rolled back (only on --root / does "
		    "hardctl roll back by itself): roll it back with 'hardctl "
		    "--root %s rollback %u', or keep it with 'hardctl --root "
		    "%s confirm'\n",
		    k->c.txn, when, root, root, k->c.txn, root);
	}
	return 0;
}

/* Say on stderr what K found and did, unless a watchdog watches. */
static void tell(const struct confirm_check *k, const struct cmd_env *env)
{
	struct hc_buf text = HC_BUF_INIT, line = HC_BUF_INIT;

	if (!k->busy && k->action != HC_CONFIRM_NONE &&
	    k->action != HC_CONFIRM_WATCHED && check_text(&text, k, env) == 0 &&
	    hc_buf_printf(&line, "hardctl: %s", text.ptr) == 0)
		hc_cache_say(line.ptr);
	hc_buf_release(&text);
	hc_buf_release(&line);
}

void cmd_confirm_check(struct cmd_env *env, bool may_act)
{
	struct confirm_check k;
	struct hc_buf path = HC_BUF_INIT;
	bool closed;

	/* A store this user may not enter: only its owner can act on it. */
	closed = !may_act && cmd_store_path(&path, env) == 0 &&
		 access(path.ptr, X_OK) < 0 && errno == EACCES;
	hc_buf_release(&path);
	/* A pending transaction's state lives in processes and locks too:
	 * no answer that says (or hides) it is kept. */
	if (closed) {
		hc_trace_doubt();
		return;
	}
	/* Quiet while a watchdog watches; a problem is told, then go on. */
	if (check_confirmation(&k, env, may_act, true) < 0) {
		hc_trace_doubt();
		cmd_print_error();
		if (k.c.txn)
			fprintf(stderr,
				"hardctl: transaction %u still awaits "
				"confirmation: 'hardctl rollback %u' rolls it "
				"back, 'hardctl confirm' keeps it\n",
				k.c.txn, k.c.txn);
	} else {
		if (k.c.txn)
			hc_trace_doubt();
		tell(&k, env);
	}
}

/*
 * What any command opening the store does, under STORE's lock; then
 * refuse (HC_EUNSAFE) while a transaction still awaits confirmation.
 */
static int refuse_pending(struct cmd_env *env, struct hc_store *store)
{
	struct confirm_check k = {.acted = true};
	struct hc_confirm c;
	time_t now;
	char when[32];
	int error;

	/* First what any command opening the store does, under this lock. */
	if ((error = decide(&k, env, hc_store_path(store))) < 0)
		return error;
	if ((k.action == HC_CONFIRM_ROLLBACK || k.action == HC_CONFIRM_REARM) &&
	    act_locked(&k, env, store) < 0)
		cmd_print_error();
	else
		tell(&k, env);
	now = time(NULL);
	if ((error = hc_store_confirm_read(&c, hc_store_path(store))) < 0 ||
	    c.txn == 0)
		return error;
	utc(when, c.deadline);
	if (hc_confirm_expired(&c, now))
		hc_error_set(
		    "transaction %u awaited confirmation until %s (%lld "
		    "s ago) and is not rolled back yet: a transaction "
		    "on top of it would be rolled back with it, or "
		    "conflict with its rollback; roll it back with "
		    "'hardctl rollback %u', or keep it with 'hardctl "
		    "confirm', then apply",
		    c.txn, when, (long long)(now - c.deadline), c.txn);
	else
		hc_error_set(
		    "transaction %u awaits confirmation until %s (in "
		    "%lld s): a transaction on top of it would be "
		    "rolled back with it, or conflict with its "
		    "rollback; keep it with 'hardctl confirm', or roll "
		    "it back with 'hardctl rollback %u' (or wait until "
		    "its deadline has passed), then apply",
		    c.txn, when, (long long)(c.deadline - now), c.txn);
	return hc_error_set_code(HC_EUNSAFE);
}

int cmd_confirm_store_open(struct hc_store **out, struct cmd_env *env)
{
	int error = cmd_store_open(out, env, HC_STORE_CREATE | HC_STORE_LOCK);

	if (error == 0 && (error = refuse_pending(env, *out)) < 0) {
		hc_store_free(*out);
		*out = NULL;
	}
	return error;
}

static const char *const action_names[] = {
    [HC_CONFIRM_NONE] = "none",           [HC_CONFIRM_WATCHED] = "watched",
    [HC_CONFIRM_REARM] = "rearmed",       [HC_CONFIRM_ROLLBACK] = "rolled_back",
    [HC_CONFIRM_UNWATCHED] = "unwatched", [HC_CONFIRM_EXPIRED] = "expired",
};

static int check_json(struct hc_buf *out, const struct confirm_check *k)
{
	struct hc_json json;
	char when[32];

	utc(when, k->c.deadline);
	hc_json_init(&json, out);
	hc_json_open_document(&json);
	hc_json_key(&json, "schema");
	hc_json_int(&json, 1);
	hc_json_key(&json, "transaction");
	if (k->c.txn)
		hc_json_int(&json, k->c.txn);
	else
		hc_json_null(&json);
	hc_json_key(&json, "deadline");
	if (k->c.txn)
		hc_json_str(&json, when);
	else
		hc_json_null(&json);
	hc_json_kv(&json, "action", action_names[k->action]);
	hc_json_key(&json, "rollback");
	if (k->rollback)
		hc_json_int(&json, k->rollback);
	else
		hc_json_null(&json);
	hc_json_close(&json, '{');
	return hc_json_finish(&json);
}

/*
 * confirm --check-expired: the check, reported on stdout; its failure
 * makes the exit code.
 */
static int check_expired(struct cmd_env *env)
{
	struct hc_buf out = HC_BUF_INIT;
	struct confirm_check k;
	int error;

	if ((error = check_confirmation(&k, env, true, false)) == 0)
		error = env->format == HC_FORMAT_JSON
			    ? check_json(&out, &k)
			    : check_text(&out, &k, env);
	if (error == 0)
		error = cmd_write(env, &out);
	hc_buf_release(&out);
	return error < 0 ? cmd_fail(error, k.action == HC_CONFIRM_ROLLBACK)
			 : EXIT_OK;
}

static int confirm_json(struct hc_buf *out, unsigned int txn)
{
	struct hc_json json;

	hc_json_init(&json, out);
	hc_json_open_document(&json);
	hc_json_key(&json, "schema");
	hc_json_int(&json, 1);
	hc_json_key(&json, "confirmed");
	if (txn)
		hc_json_int(&json, txn);
	else
		hc_json_null(&json);
	hc_json_close(&json, '{');
	return hc_json_finish(&json);
}

/*
 * Transaction C->txn is confirmed: its watchdog, if it still lives (see
 * hc_confirm_watchdog_end(): not merely any process with the boot, PID
 * and start time the marker recorded), has nothing left to do and ends
 * now rather than at the deadline.  Said in
 * hardctl-confirm.log in the store at STORE_PATH.
 */
static void end_watchdog(const struct hc_confirm *c, const char *store_path)
{
	char boot[HC_BOOT_ID_SIZE], when[32], log[PATH_MAX + 32];
	int fd;

	if (hc_confirm_boot_id(boot) < 0) {
		hc_error_clear();
		boot[0] = '\0';
	}
	snprintf(log, sizeof(log), "%s/hardctl-confirm.log", store_path);
	if (!hc_confirm_watchdog_end(c, boot, log) ||
	    (fd = open_log(when, store_path)) < 0)
		return;
	dprintf(fd, "%s: transaction %u confirmed: ended its watchdog %ld\n",
		when, c->txn, (long)c->watchdog);
	close(fd);
}

/* The syslog record of confirming transaction TXN, kept for good. */
static void audit_confirm(const struct cmd_env *env, struct hc_store *store,
			  unsigned int txn)
{
	struct hc_audit_event ev = {.action = "confirm",
				    .txn = txn,
				    .outcome = HC_AUDIT_DONE,
				    .outcome_text = "confirmed"};
	struct hc_txn_info info = {0};

	/* What it applied, as the store says; the record goes out anyway. */
	if (hc_store_txn_get(&info, store, txn) == 0) {
		ev.profile = info.profile;
		ev.profile_sha = info.profile_sha;
		ev.rules = (const char *const *)info.rules.v;
		ev.nrules = info.rules.n;
	} else {
		hc_error_clear();
	}
	cmd_audit(env, &ev);
	hc_txn_info_release(&info);
}

int cmd_confirm(int argc, char **argv, struct cmd_env *env)
{
	static const struct option longopts[] = {
	    {"check-expired", no_argument, NULL, 'E'},
	    CMD_COMMON_LONGOPTS,
	    {NULL, 0, NULL, 0},
	};
	struct hc_store *store = NULL;
	struct hc_buf out = HC_BUF_INIT;
	struct hc_confirm c = {0};
	bool expired_only = false;
	int opt, status, error;

	while ((opt = cmd_getopt(argc, argv, "h", longopts)) != -1) {
		if (opt == 'E')
			expired_only = true;
		else if ((status = cmd_common_opt(env, opt, optarg, usage)) !=
			 0)
			return status;
	}
	if (optind < argc)
		return cmd_usage_error(usage, "unexpected argument '%s'",
				       argv[optind]);
	if (expired_only)
		return check_expired(env);
	/*
	 * Too late is too late: a time up while the watchdog was gone is not
	 * confirmed now, but rolled back.
	 */
	cmd_confirm_check(env, true);
	if ((error = cmd_store_open(&store, env, HC_STORE_LOCK)) < 0 ||
	    (error = hc_store_confirm_read(&c, hc_store_path(store))) < 0 ||
	    (c.txn && (error = hc_store_confirm_clear(store)) < 0))
		goto out;
	if (c.txn) {
		audit_confirm(env, store, c.txn);
		end_watchdog(&c, hc_store_path(store));
	}
	if (env->format == HC_FORMAT_JSON)
		error = confirm_json(&out, c.txn);
	else if (c.txn)
		error = hc_buf_printf(
		    &out, "transaction %u confirmed: it stays\n", c.txn);
	else
		error = hc_buf_puts(&out, "nothing awaits confirmation\n");
	if (error == 0)
		error = cmd_write(env, &out);
out:
	hc_store_free(store);
	hc_buf_release(&out);
	return error < 0 ? cmd_fail(error, false) : EXIT_OK;
}
