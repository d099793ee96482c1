/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What makes a changed file take effect (see hardctl/reload.h): the
 * daemon that must re-read it, or the command that applies it.
 */
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "hardctl/common.h"
#include "hardctl/reload.h"
#include "hardctl/root.h"
#include "hardctl/state.h"

struct reloader {
	const char *what;
	const char *const *patterns; /* the files, fnmatch(3) patterns */
	const char *const
	    *names; /* its systemd unit or init script, by distribution */
	const char *action;         /* "reload" or "restart" */
	const char *const *command; /* instead of a service: a command */
	const char *note;           /* instead of either: what to do */
};

#define LIST(...) ((const char *const[]){__VA_ARGS__, NULL})

static const struct reloader reloaders[] = {
    {"sshd", LIST("/etc/ssh/sshd_config", "/etc/ssh/sshd_config.d/*"),
     LIST("ssh", "sshd"), "reload", NULL, NULL},
    /* rsyslog re-reads its configuration only when restarted. */
    {"rsyslog", LIST("/etc/rsyslog.conf", "/etc/rsyslog.d/*"), LIST("rsyslog"),
     "restart", NULL, NULL},
    {"syslogd", LIST("/etc/syslog.conf"),
     LIST("syslog", "sysklogd", "inetutils-syslogd"), "restart", NULL, NULL},
    /*
     * snmpd.conf, snmpd.local.conf and what they include (snmp.c reads
     * them all); "*" spans directories here.
     */
    {"snmpd",
     LIST("/etc/snmp/*", "/var/lib/snmp/snmpd*.conf",
	  "/var/lib/net-snmp/snmpd*.conf"),
     LIST("snmpd"), "reload", NULL, NULL},
    {"sysctl", LIST("/etc/sysctl.conf", "/etc/sysctl.d/*"), NULL, NULL,
     LIST("sysctl", "--system"), NULL},
    {"init", LIST("/etc/inittab"), NULL, NULL, LIST("telinit", "q"), NULL},
    {"systemd", LIST("/etc/systemd/system/*"), NULL, NULL,
     LIST("systemctl", "daemon-reload"), NULL},
    {"virtual machines", LIST("*.vmx"), NULL, NULL, NULL,
     "each one whose .vmx changed reads it at its next power cycle"},
};

static bool exists(struct hc_root *root, const char *path, mode_t type)
{
	struct stat st;

	if (hc_root_lstat(&st, root, path) < 0) {
		hc_error_clear();
		return false;
	}
	return (st.st_mode & S_IFMT) == type;
}

/* Whether ROOT boots with systemd: running it, or /sbin/init is its link. */
static bool systemd_boot(struct hc_root *root)
{
	struct hc_file_state init = {0};
	bool yes;

	if (exists(root, "/run/systemd/system", S_IFDIR))
		return true;
	if (hc_root_state(&init, root, "/sbin/init") < 0)
		hc_error_clear();
	yes = init.link && init.data.size &&
	      memmem(init.data.ptr, init.data.size, "systemd", 7);
	hc_buf_release(&init.data);
	return yes;
}

/* Fill R's command for service S on ROOT; none when S is not installed there.
 */
static void service_command(struct hc_reload *r, struct hc_root *root,
			    const struct reloader *s)
{
	static const char *const unit_dirs[] = {
	    "/etc/systemd/system",
	    "/lib/systemd/system",
	    "/usr/lib/systemd/system",
	    NULL,
	};
	static const char *const script_dirs[] = {"/etc/init.d",
						  "/etc/rc.d/init.d", NULL};
	bool systemd = systemd_boot(root);
	char path[256];

	for (const char *const *n = s->names; *n; n++) {
		for (const char *const *d = systemd ? unit_dirs : script_dirs;
		     *d; d++) {
			snprintf(path, sizeof(path), "%s/%s%s", *d, *n,
				 systemd ? ".service" : "");
			if (!exists(root, path, S_IFREG) &&
			    !exists(root, path, S_IFLNK))
				continue;
			if (systemd) {
				snprintf(r->name, sizeof(r->name), "%s.service",
					 *n);
				r->argv[0] = "systemctl";
				r->argv[1] = strcmp(s->action, "reload") == 0
						 ? "try-reload-or-restart"
						 : "try-restart";
				r->argv[2] = r->name;
			} else {
				snprintf(r->name, sizeof(r->name), "%s", *n);
				r->argv[0] = "service";
				r->argv[1] = r->name;
				r->argv[2] = s->action;
			}
			return;
		}
	}
	r->note = "not installed as a service here: reload it by hand";
}

static void fill(struct hc_reload *r, struct hc_root *root,
		 const struct reloader *s)
{
	memset(r, 0, sizeof(*r));
	r->what = s->what;
	r->note = s->note;
	if (s->names) {
		service_command(r, root, s);
		return;
	}
	for (size_t i = 0;
	     s->command && s->command[i] && i + 1 < HC_RELOAD_ARGS; i++)
		r->argv[i] = s->command[i];
	/* procps before 3.3 (Red Hat 3-5) has no --system, and no sysctl.d. */
	if (strcmp(s->what, "sysctl") == 0 &&
	    !exists(root, "/etc/sysctl.d", S_IFDIR))
		r->argv[1] = "-p";
}

int hc_reload_list(struct hc_reload **out, size_t *n, struct hc_root *root,
		   const char *const *paths, size_t npaths)
{
	const size_t all = sizeof(reloaders) / sizeof(reloaders[0]);
	bool need[sizeof(reloaders) / sizeof(reloaders[0])] = {false};

	*out = NULL;
	*n = 0;
	for (size_t p = 0; p < npaths; p++)
		for (size_t i = 0; i < all; i++)
			for (const char *const *pat = reloaders[i].patterns;
			     *pat && !need[i]; pat++)
				need[i] = fnmatch(*pat, paths[p], 0) == 0;
	for (size_t i = 0; i < all; i++) {
		if (!need[i])
			continue;
		if (*out == NULL && (*out = calloc(all, sizeof(**out))) == NULL)
			return hc_error_oom();
		fill(&(*out)[(*n)++], root, &reloaders[i]);
	}
	return 0;
}
