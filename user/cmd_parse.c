// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * dsaio-user parse: what DeepSpeed's parse_aio_stats.py prints, for logs
 * of DeepSpeed (both name schemes) and of dsaio, in the same order:
 *   ('read', 'block', 'overlap', 'ftd1', 32, 1048576, 8) = 3.25
 * or, with --json, one object per log.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <json-c/json.h>

#include "report.h"
#include "cli.h"
#include "logfile.h"
#include "logname.h"
#include "units.h"

static void usage(FILE *f)
{
	fprintf(f,
"usage: dsaio-user parse --log-dir DIR --metric read_speed|write_speed [--json]\n"
"\n"
"Lists the E2E speed of every run log in DIR, sorted as DeepSpeed's\n"
"parse_aio_stats.py sorts them. DIR is a sweep's log directory (its\n"
"_aio_bench_read_logs/ and _aio_bench_write_logs/ are read) or one of those\n"
"sub-directories. Logs written by DeepSpeed (2021 names such as\n"
"read_block_overlap_t1_p2_d16_bs128K.txt and current names such as\n"
"read_block_overlap_ftd1_d32_bs1M_p8.txt) and by dsaio are read alike.\n"
"A log that cannot be read or holds no E2E speed is named on stderr and\n"
"skipped.\n"
"\n"
"  --log-dir DIR    directory of logs (required)\n"
"  --metric M       read_speed (read logs) or write_speed (write logs)\n"
"  --json           a JSON array, one object per log, instead of text\n"
"  -h, --help       this help\n"
"\n"
"Example:\n"
"  dsaio-user parse --log-dir _aio_bench_logs --metric read_speed\n"
"\n"
"Exit status: 0 success, 1 no usable log or directory error, 2 usage error.\n");
}

/* The tuple DeepSpeed prints for a file name: strings quoted, t/d/p/bs
 * fields as integers, in the order of the name's scheme. */
static void print_key(const struct dsaio_log_entry *e)
{
	const struct dsaio_params *p = &e->params;
	enum dsaio_logname_scheme s = LOGNAME_CURRENT;
	struct dsaio_params tmp;
	enum dsaio_user_op op;

	dsaio_logname_parse(e->name, &op, &tmp, &s);
	printf("('%s', '%s', '%s', ", e->op == OP_READ ? "read" : "write",
	       p->single_submit ? "single" : "block",
	       p->overlap_events ? "overlap" : "sequential");
	if (s == LOGNAME_2021)
		printf("%u, %u, %u, %llu)", p->processes, p->io_parallel,
		       p->queue_depth, (unsigned long long)p->block_size);
	else
		printf("'ftd%u', %u, %llu, %u)", p->processes, p->queue_depth,
		       (unsigned long long)p->block_size, p->io_parallel);
}

static json_object *entry_json(const struct dsaio_log_entry *e)
{
	const struct dsaio_params *p = &e->params;
	enum dsaio_logname_scheme s = LOGNAME_CURRENT;
	struct dsaio_params tmp;
	enum dsaio_user_op op;
	json_object *o = json_object_new_object();

	if (!o)
		return NULL;
	dsaio_logname_parse(e->name, &op, &tmp, &s);
	json_object_object_add(o, "file", json_object_new_string(e->name));
	json_object_object_add(o, "name_scheme", json_object_new_string(
				       s == LOGNAME_2021 ? "2021" : "current"));
	json_object_object_add(o, "op", json_object_new_string(
				       e->op == OP_READ ? "read" : "write"));
	dsaio_params_json_add(o, p);
	if (e->have_task) {
		json_object_object_add(o, "task_latency_sec",
				       json_object_new_double(e->task_latency_s));
		json_object_object_add(o, "task_speed_gbs",
				       json_object_new_double(e->task_speed_gbs));
	}
	json_object_object_add(o, "e2e_latency_sec",
			       json_object_new_double(e->e2e_latency_s));
	json_object_object_add(o, "e2e_speed_gbs",
			       json_object_new_double(e->e2e_speed_gbs));
	if (e->have_setup)
		json_object_object_add(o, "setup_latency_sec",
				       json_object_new_double(e->setup_latency_s));
	return o;
}

int cmd_parse(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "log-dir", required_argument, NULL, 'd' },
		{ "metric", required_argument, NULL, 'm' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *dir = NULL, *metric = NULL;
	struct dsaio_log_entry *e = NULL;
	enum dsaio_user_op op;
	bool json = false;
	int c, n, i, shown = 0, rc = EXIT_OK;
	json_object *arr = NULL;

	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'd': dir = optarg; break;
		case 'm': metric = optarg; break;
		case 'j': json = true; break;
		case 'h': return cli_help(usage, true);
		default: return cli_help(usage, false);
		}
	}
	if (optind < argc)
		return cli_usage_error("parse", "unexpected argument '%s'", argv[optind]);
	if (!dir || !metric)
		return cli_usage_error("parse", "--log-dir and --metric are required");
	if (!strcmp(metric, "read_speed"))
		op = OP_READ;
	else if (!strcmp(metric, "write_speed"))
		op = OP_WRITE;
	else
		return cli_usage_error("parse", "--metric '%s' is not read_speed or write_speed",
				       metric);

	n = dsaio_logdir_read(dir, &e);
	if (n < 0) {
		fprintf(stderr, "dsaio-user parse: cannot read log directory "
			"%s: %s\n", dir, strerror(-n));
		return EXIT_FAIL;
	}
	if (json && !(arr = json_object_new_array())) {
		fprintf(stderr, "dsaio-user parse: out of memory\n");
		free(e);
		return EXIT_FAIL;
	}
	for (i = 0; i < n; i++) {
		char v[64];

		if (e[i].op != op || e[i].failed)
			continue;	/* the other metric's; failed (reported) */
		shown++;
		if (json) {
			json_object *o = entry_json(&e[i]);

			if (!o || json_object_array_add(arr, o)) {
				json_object_put(o);
				fprintf(stderr, "dsaio-user parse: out of "
					"memory\n");
				rc = EXIT_FAIL;
				goto out;
			}
			continue;
		}
		print_key(&e[i]);
		dsaio_format_double(e[i].e2e_speed_gbs, v, sizeof(v));
		printf(" = %s\n", v);
	}
	if (json)
		printf("%s\n", json_object_to_json_string_ext(arr,
			DSAIO_JSON_PRETTY));
	if (!shown) {
		fprintf(stderr, "dsaio-user parse: no usable %s log in %s\n",
			op == OP_READ ? "read" : "write", dir);
		rc = EXIT_FAIL;
	}
out:
	json_object_put(arr);
	free(e);
	return rc;
}
