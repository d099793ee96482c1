/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What starts at boot, read from the files of ROOT alone (no init
 * system is asked: ROOT may not be running).
 */
#ifndef HARDCTL_MODULES_BOOT_H
#define HARDCTL_MODULES_BOOT_H

#include "hardctl/buf.h"

struct hc_ctx;

/**
 * Append to WHERE the files that start service NAME at boot: systemd
 * units wanted by a target (NAME.service, NAME.socket), SysV start
 * links in runlevels 2-5 (/etc/rc?.d and Red Hat's /etc/rc.d/rc?.d),
 * an /etc/xinetd.d/NAME service not disabled, an /etc/inetd.conf line
 * for service NAME.  An inetd or xinetd file that does not parse is an
 * error (HC_EPARSE).
 */
int boot_enabled(struct hc_strlist *where, struct hc_ctx *ctx,
		 const char *name);

#endif
