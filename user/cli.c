// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Command-line conventions shared by the dsaio-user subcommands: how a
 * usage error is worded and how --help and a refused option end option
 * parsing. Pure (libc only), so the host unit tests may link it too.
 */
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include "cli.h"
#include "interrupt.h"

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "dsaio-user %s: ", cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nRun `dsaio-user %s --help` for the options.\n", cmd);
	return EXIT_USAGE;
}

int cli_help(void (*help)(FILE *f), bool asked)
{
	help(asked ? stdout : stderr);
	return asked ? EXIT_OK : EXIT_USAGE;
}

int cli_json_only(const char *cmd, int argc, char **argv,
		  void (*help)(FILE *f), bool *json)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "jh", opts, NULL)) != -1) {
		switch (c) {
		case 'j':
			*json = true;
			break;
		case 'h':
			return cli_help(help, true);
		default:
			return cli_help(help, false);
		}
	}
	if (optind < argc)
		return cli_usage_error(cmd, "unexpected argument '%s'", argv[optind]);
	return -1;
}

int cli_catch_ctrl_c(const char *cmd)
{
	if (dsaio_interrupt_install()) {
		fprintf(stderr, "dsaio-user %s: cannot install the Ctrl-C handler: %m\n", cmd);
		return -1;
	}
	return 0;
}
