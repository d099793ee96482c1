/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The modules built into hardctl, in the order their rules run.
 */
#include <stddef.h>
#include "modules.h"

const struct hc_module *const hc_modules[] = {
    &hc_module_banner,
    &hc_module_root_access,
    &hc_module_password,
    &hc_module_console,
    &hc_module_network,
    &hc_module_syslog,
    &hc_module_snmp,
    &hc_module_vmx,
    &hc_module_firewall,
    &hc_module_services,
    NULL,
};
