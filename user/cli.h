/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Subcommands of dsaio-user. Each takes argc/argv starting at its own name
 * and returns the exit status: 0 success, 1 failure, 2 usage error.
 */
#ifndef DSAIO_USER_CLI_H
#define DSAIO_USER_CLI_H

#include <stdbool.h>
#include <stdio.h>

enum { EXIT_OK = 0, EXIT_FAIL = 1, EXIT_USAGE = 2 };

int cmd_info(int argc, char **argv);
int cmd_run(int argc, char **argv);
int cmd_sweep(int argc, char **argv);
int cmd_monitor(int argc, char **argv);
int cmd_parse(int argc, char **argv);
int cmd_generate_param(int argc, char **argv);
int cmd_merge(int argc, char **argv);
int cmd_plot(int argc, char **argv);
int cmd_load(int argc, char **argv);
int cmd_cancel(int argc, char **argv);

/*
 * The conventions every subcommand shares on its command line (cli.c), so
 * that they answer a mistake in the same words. CMD is the subcommand's
 * name as typed ("run", "generate-param"); HELP prints its --help text.
 */

/*
 * A usage error: "dsaio-user CMD: <message>" and a pointer to --help on
 * stderr. Returns EXIT_USAGE, for `return cli_usage_error(...)`.
 */
int cli_usage_error(const char *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/*
 * The end of option parsing at -h/--help (ASKED: the help on stdout,
 * EXIT_OK) or at an option getopt refused (it has said why: the help on
 * stderr, EXIT_USAGE). Returns that exit status.
 */
int cli_help(void (*help)(FILE *f), bool asked);

/*
 * The whole command line of a command whose only option is --json (info,
 * monitor): sets *json; returns -1 to go on, or the exit status to return
 * at once (--help, a bad option, an operand).
 */
int cli_json_only(const char *cmd, int argc, char **argv,
		  void (*help)(FILE *f), bool *json);

/* Installs the Ctrl-C handler (interrupt.h); 0, or -1 when it cannot. */
int cli_catch_ctrl_c(const char *cmd);
#endif
