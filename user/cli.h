/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Subcommands of dsaio-user. Each takes argc/argv starting at its own name
 * and returns the exit status: 0 success, 1 failure, 2 usage error.
 */
#ifndef DSAIO_USER_CLI_H
#define DSAIO_USER_CLI_H

enum { EXIT_OK = 0, EXIT_FAIL = 1, EXIT_USAGE = 2 };

int cmd_info(int argc, char **argv);
int cmd_run(int argc, char **argv);
int cmd_sweep(int argc, char **argv);
int cmd_monitor(int argc, char **argv);
int cmd_parse(int argc, char **argv);
int cmd_generate_param(int argc, char **argv);
#endif
