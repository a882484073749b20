// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * How info, run, sweep and monitor reach the module, with one wording for
 * each way it can fail. Named nl_* so the host unit tests, which have no
 * netlink backend, do not link it (see the Makefile).
 */
#include <stdio.h>
#include "interrupt.h"
#include "nl_cli.h"

int cli_catch_ctrl_c(const char *cmd)
{
	if (dsaio_interrupt_install()) {
		fprintf(stderr, "dsaio-user %s: cannot install the Ctrl-C handler: %m\n", cmd);
		return -1;
	}
	return 0;
}

struct dsaio_nl *cli_nl_open(const char *cmd)
{
	struct dsaio_nl *nl;
	char err[512];

	if (dsaio_nl_open(&nl, err, sizeof(err))) {
		fprintf(stderr, "dsaio-user %s: %s\n", cmd, err);
		return NULL;
	}
	return nl;
}
