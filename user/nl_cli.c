// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * How info and monitor reach the module, with one wording for
 * each way it can fail. Named nl_* so the host unit tests, which have no
 * netlink backend, do not link it (see the Makefile).
 */
#include <stdio.h>
#include "nl_cli.h"

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
