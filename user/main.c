// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * dsaio-user: the command table and dispatch (in the style of WireGuard's
 * `wg`). Every subcommand parses its own options and returns its exit
 * status: 0 success, 1 failure, 2 usage error.
 */
#include <stdio.h>
#include <string.h>
#include <linux/dsaio.h>
#include "cli.h"

#define DSAIO_USER_VERSION "0.1.0"

static const struct {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *help;
} commands[] = {
	{ "info", cmd_info, "show the module's version, limits and features" },
	{ "run", cmd_run, "run one measurement (DeepSpeed's test_ds_aio)" },
	{ "sweep", cmd_sweep, "sweep a parameter grid, write DeepSpeed logs, print the best \"aio\" block" },
	{ "parse", cmd_parse, "summarize a directory of DeepSpeed or dsaio logs" },
	{ "generate-param", cmd_generate_param, "pick the best parameters from logs as a DeepSpeed \"aio\" block" },
	{ "merge", cmd_merge, "merge the nodes' sweeps of a fleet: outliers, spread, one \"aio\" block (also: fleet)" },
	{ "monitor", cmd_monitor, "show the progress and results of all jobs as they happen" },
	{ "cancel", cmd_cancel, "stop running jobs by id (or --all), so that rmmod can unload the module" },
	{ "load", cmd_load, "load dsaio.ko as insmod does, saying why the kernel refuses it (signatures)" },
	{ "plot", cmd_plot, "draw a sweep's JSON summary as PNG heatmaps and latency charts (gnuplot)" },
};

/* Other names of a command, not listed apart: `fleet` is `merge`. */
static const struct {
	const char *alias, *name;
} aliases[] = {
	{ "fleet", "merge" },
};

static void usage(FILE *f, const char *prog)
{
	size_t i;

	fprintf(f, "Usage: %s <command> [<options>]\n\n"
		"Measure a block device, or a file in a directory on it, with DeepSpeed's\n"
		"async-I/O semantics, from kernel threads of the dsaio module or from user\n"
		"space as DeepSpeed does (run and sweep --engine libaio|io_uring, no module\n"
		"needed), and tune DeepSpeed's \"aio\" config.\n\n"
		"Commands:\n", prog);
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(f, "  %-15s %s\n", commands[i].name, commands[i].help);
	fprintf(f, "\nRun `%s <command> --help` for a command's options and an example.\n"
		"Example: sudo %s sweep --dev /dev/nvme0n1 --allow-write\n"
		"Every command, option and file: man dsaio-user (the module: man 4 dsaio)\n",
		prog, prog);
}

int main(int argc, char **argv)
{
	const char *prog = argc > 0 && argv[0] ? argv[0] : "dsaio-user";
	size_t i;

	if (argc < 2) {
		usage(stderr, prog);
		return EXIT_USAGE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
	    !strcmp(argv[1], "help")) {
		usage(stdout, prog);
		return EXIT_OK;
	}
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "version")) {
		printf("dsaio-user %s (protocol version %d)\n", DSAIO_USER_VERSION,
		       DSAIO_GENL_VERSION);
		return EXIT_OK;
	}
	for (i = 0; i < sizeof(aliases) / sizeof(aliases[0]); i++)
		if (!strcmp(argv[1], aliases[i].alias))
			argv[1] = (char *)aliases[i].name;
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		if (!strcmp(argv[1], commands[i].name))
			return commands[i].fn(argc - 1, argv + 1);
	}
	fprintf(stderr, "%s: unknown command '%s'\n\n", prog, argv[1]);
	usage(stderr, prog);
	return EXIT_USAGE;
}
