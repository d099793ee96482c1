/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The modules built into hardctl; src/module_table.c lists them.
 */
#ifndef HARDCTL_MODULES_H
#define HARDCTL_MODULES_H

#include "hardctl/module.h"

extern const struct hc_module hc_module_banner;
extern const struct hc_module hc_module_root_access;
extern const struct hc_module hc_module_password;
extern const struct hc_module hc_module_console;
extern const struct hc_module hc_module_network;
extern const struct hc_module hc_module_snmp;
extern const struct hc_module hc_module_syslog;
extern const struct hc_module hc_module_vmx;
extern const struct hc_module hc_module_firewall;
extern const struct hc_module hc_module_services;

#endif
