/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The start of a subcommand that talks to the module (nl_cli.c): each step
 * says why it failed on stderr as "dsaio-user CMD: <why>", so the caller
 * only cleans up and returns EXIT_FAIL.
 */
#ifndef DSAIO_USER_NL_CLI_H
#define DSAIO_USER_NL_CLI_H

#include "nl_client.h"

/* Opens the netlink client; NULL when the module cannot be reached. */
struct dsaio_nl *cli_nl_open(const char *cmd);
#endif
