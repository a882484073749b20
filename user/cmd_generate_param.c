// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * dsaio-user generate-param: the optimal DeepSpeed "aio" block from a
 * sweep's logs: DeepSpeed's ranking (highest read + write E2E speed of the
 * same parameters) over complete points only, then of the points tied
 * with the best the least pinned memory (tieset.h), written with real booleans
 * and the key names DeepSpeed's config reader knows.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <json-c/json.h>

#include "cli.h"
#include "dsconfig.h"
#include "logfile.h"
#include "optimum.h"
#include "report.h"
#include "tieset.h"

static void usage(FILE *f)
{
	fprintf(f,
"usage: dsaio-user generate-param --log-dir DIR [--json] [--legacy-keys]\n"
"                                 [--merge-into ds_config.json]\n"
"\n"
"Picks the best parameters of a sweep by DeepSpeed's rule: the highest sum\n"
"of read and write E2E speed over logs with the same parameters, and prints\n"
"them as DeepSpeed's \"aio\" config block. Only complete points count: the\n"
"ops asked for are those the directory has any log of, and a point needs a\n"
"good log of each. A point with a failed or unparsable log, or missing one\n"
"op, is listed as excluded with the reason and never recommended. The\n"
"complete points that cannot be told apart from the best tie with it (the\n"
"95%% test on the repeats of dsaio-user sweep --repeat N, which its logs list,\n"
"or within 2%% of the best's sum; the table marks them '*'), and of them the\n"
"one needing the least pinned host memory (queue_depth x block_size x\n"
"io_parallel) is recommended, as dsaio-user sweep does; a sentence says so\n"
"(DeepSpeed's generate_param.py takes the first best instead). DIR is a\n"
"sweep's log directory (with _aio_bench_read_logs/ and\n"
"_aio_bench_write_logs/), made by dsaio-user sweep or DeepSpeed's scripts.\n"
"\n"
"  --log-dir DIR        sweep log directory (required)\n"
"  --json               print only the {\"aio\": {...}} object on stdout\n"
"  --legacy-keys        write \"thread_count\", the key DeepSpeed up to 0.16.3\n"
"                       reads, instead of \"intra_op_parallelism\" (0.16.4 and\n"
"                       later); each release ignores the other key\n"
"  --merge-into FILE    update the \"aio\" section of the DeepSpeed config FILE:\n"
"                       only the measured keys change (block_size, queue_depth,\n"
"                       the parallelism key, single_submit, overlap_events);\n"
"                       use_gds and every other key stay; the parallelism\n"
"                       key's other spelling is renamed (atomic replace)\n"
"  -h, --help           this help\n"
"\n"
"Example:\n"
"  dsaio-user generate-param --log-dir _aio_bench_logs --merge-into ds_config.json\n"
"\n"
"Exit status: 0 success, 1 no complete point (no \"aio\" block is printed)\n"
"or file error, 2 usage error.\n");
}

int cmd_generate_param(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "log-dir", required_argument, NULL, 'd' },
		{ "json", no_argument, NULL, 'j' },
		{ "legacy-keys", no_argument, NULL, 'l' },
		{ "merge-into", required_argument, NULL, 'm' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *dir = NULL, *merge = NULL;
	bool json = false, legacy = false;
	struct dsaio_log_entry *e = NULL;
	struct dsaio_ranked *r = NULL;
	json_object *cfg = NULL;
	struct dsaio_tieset ties = { 0 };
	const struct dsaio_ranked *pick;
	int c, n, m, m2, rc = EXIT_FAIL;
	size_t complete = 0;
	char err[512];

	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'd': dir = optarg; break;
		case 'j': json = true; break;
		case 'l': legacy = true; break;
		case 'm': merge = optarg; break;
		case 'h': return cli_help(usage, true);
		default: return cli_help(usage, false);
		}
	}
	if (optind < argc)
		return cli_usage_error("generate-param", "unexpected argument '%s'",
				       argv[optind]);
	if (!dir)
		return cli_usage_error("generate-param", "--log-dir is required");

	n = dsaio_logdir_read(dir, &e);
	if (n < 0) {
		fprintf(stderr, "dsaio-user generate-param: cannot read log "
			"directory %s: %s\n", dir, strerror(-n));
		return EXIT_FAIL;
	}
	m = dsaio_rank(e, (size_t)n, dsaio_ops_present(e, (size_t)n), &r,
		       &complete);
	if (m < 0) {
		fprintf(stderr, "dsaio-user generate-param: out of memory\n");
		goto out;
	}
	if (complete == 0) {
		if (m > 0 && !json)
			dsaio_report_ranked(stdout, r, (size_t)m, 10);
		fprintf(stderr, "dsaio-user generate-param: no complete point in %s: "
			"every point has a failed or missing log (%d excluded), so "
			"there is nothing to recommend\n", dir, m);
		goto out;
	}
	/* as `sweep` recommends: the least pinned memory of the tie set */
	m2 = dsaio_tieset_from_logs(r, complete, e, (size_t)n, 0, -1, &ties);
	if (m2) {
		fprintf(stderr, "dsaio-user generate-param: the tie set: %s\n",
			strerror(-m2));
		goto out;
	}
	pick = &r[ties.pick];
	cfg = dsaio_aio_config(&pick->params, legacy);
	if (!cfg) {
		fprintf(stderr, "dsaio-user generate-param: out of memory\n");
		goto out;
	}
	if (merge && dsaio_merge_into(merge, &pick->params, legacy, err,
				      sizeof(err))) {
		fprintf(stderr, "dsaio-user generate-param: %s\n", err);
		goto out;
	}
	/* --json: the "aio" object alone, so scripts can pipe it on. */
	if (!json) {
		dsaio_report_ranked_ties(stdout, r, (size_t)m, 10, ties.tied);
		printf("\nBest performance (GB/sec): read = %5.2f, "
		       "write = %5.2f%s\n", r[0].read_gbs, r[0].write_gbs,
		       r[0].have_write ? (r[0].have_read ? "" :
					  " (writes only)") : " (reads only)");
		printf("%s.\n", ties.sentence);
	}
	printf("%s\n", json_object_to_json_string_ext(cfg, DSAIO_JSON_PRETTY));
	if (merge)
		fprintf(stderr, "dsaio-user generate-param: updated the \"aio\" "
			"section of %s\n", merge);
	rc = fflush(stdout) ? EXIT_FAIL : EXIT_OK;
out:
	json_object_put(cfg);
	dsaio_tieset_free(&ties);
	free(r);
	free(e);
	return rc;
}
