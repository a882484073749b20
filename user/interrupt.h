/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Ctrl-C handling: SIGINT and SIGTERM only count into a flag, without
 * SA_RESTART, so a blocking poll() returns and the command can cancel its
 * job in the kernel and report what was done instead of dying mid-way.
 */
#ifndef DSAIO_USER_INTERRUPT_H
#define DSAIO_USER_INTERRUPT_H

#include <signal.h>

/* Number of SIGINT/SIGTERM received since dsaio_interrupt_install(). */
extern volatile sig_atomic_t dsaio_interrupted;

/* Returns 0, or -errno when a handler cannot be installed. */
int dsaio_interrupt_install(void);
#endif
