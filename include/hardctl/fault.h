/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Fault injection, for the tests only.  Every step of a transaction that
 * writes something durable (a file's bytes, an fsync, a rename, a store
 * commit, a ref) passes a fault point first.  In a build configured with
 * -DHARDCTL_FAULT_INJECTION=ON, the environment variable HARDCTL_FAULT
 * picks one point by its number in the order the process reaches them:
 *
 *   HARDCTL_FAULT=crash:N   the process is killed (SIGKILL) at point N,
 *                           as a power cut would stop it;
 *   HARDCTL_FAULT=fail:N    the step at point N fails with the errno the
 *                           point names (ENOSPC for a write, EIO else);
 *   HARDCTL_FAULT=trace     each point's number and name go to stderr.
 *
 * Points outside that count, where a step may fail in any process (a
 * forked child's among them), pass through hc_fault_at():
 *
 *   HARDCTL_FAULT=fail-at:NAME  every such point named NAME fails;
 *   HARDCTL_FAULT=trace         each says "hardctl: fault at NAME".
 *
 * The same builds let a test count a temporary root as the running
 * system, for what hardctl does only there (confirm's roll back of a
 * transaction whose watchdog is gone; see hardctl/confirm.h):
 *
 *   HARDCTL_TEST_LIVE_ROOT=DIR  DIR counts as "/" (hc_fault_live_root()).
 *
 * In any other build hc_fault(), hc_fault_at() and hc_fault_live_root()
 * are constant falses the compiler drops.
 */
#ifndef HARDCTL_FAULT_H
#define HARDCTL_FAULT_H

#include <stdbool.h>

#ifdef HARDCTL_FAULT_INJECTION
/**
 * Pass the fault point NAME.  True when the step must fail: errno is
 * then ERR.  Does not return when the process is to crash here.
 */
bool hc_fault(const char *name, int err);

/**
 * Pass the uncounted point NAME.  True when HARDCTL_FAULT=fail-at:NAME:
 * errno is then ERR.
 */
bool hc_fault_at(const char *name, int err);

/**
 * Whether the test asked that REAL (a resolved path) count as the
 * running system: HARDCTL_TEST_LIVE_ROOT names it.
 */
bool hc_fault_live_root(const char *real);
#else
static inline bool hc_fault(const char *name, int err)
{
	(void)name;
	(void)err;
	return false;
}

static inline bool hc_fault_at(const char *name, int err)
{
	(void)name;
	(void)err;
	return false;
}

static inline bool hc_fault_live_root(const char *real)
{
	(void)real;
	return false;
}
#endif

#endif
