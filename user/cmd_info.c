// SPDX-License-Identifier: GPL-2.0 OR MIT
/* `dsaio-user info`: the module's version, load-time limits and features. */
#include <stdio.h>
#include <json-c/json.h>
#include "report.h"
#include "cli.h"
#include "nl_cli.h"

static const struct {
	uint64_t bit;
	const char *name;
	const char *what;
} features[] = {
	{ DSAIO_F_VALIDATE, "validate", "pattern writes and read checks" },
	{ DSAIO_F_HISTOGRAM, "histogram", "per-request latency histogram (percentiles)" },
	{ DSAIO_F_SPLIT_BIOS, "split_bios", "requests larger than one bio" },
	{ DSAIO_F_EVENTS, "events", "progress and completion events" },
	{ DSAIO_F_WORKER_STATS, "worker_stats", "per-worker and per-loop statistics" },
	{ DSAIO_F_FILES, "files", "files in a directory (run/sweep --dir)" },
	{ DSAIO_F_POLL, "poll", "polled completions on poll queues (run/sweep --poll)" },
};
#define N_FEATURES (sizeof(features) / sizeof(features[0]))

static void help(FILE *f)
{
	fprintf(f, "Usage: dsaio-user info [--json]\n\n"
		"Shows the loaded dsaio module's version, its load-time limits (module\n"
		"parameters) and the features it offers. Needs root (CAP_NET_ADMIN).\n\n"
		"  --json   print one JSON object instead of text\n\n"
		"Example:\n  sudo dsaio-user info\n");
}

static int print_json(const struct nl_info *in)
{
	json_object *o = json_object_new_object(), *lim, *feat;
	size_t i;

	if (!o)
		goto oom;
	lim = json_object_new_object();
	feat = json_object_new_array();
	if (!lim || !feat) {
		json_object_put(lim);
		json_object_put(feat);
		json_object_put(o);
		goto oom;
	}
	json_object_object_add(o, "version", json_object_new_string(in->version));
	json_object_object_add(lim, "max_jobs", json_object_new_int64(in->max_jobs));
	json_object_object_add(lim, "max_threads", json_object_new_int64(in->max_threads));
	json_object_object_add(lim, "max_queue_depth", json_object_new_int64(in->max_queue_depth));
	json_object_object_add(lim, "max_block_size", json_object_new_int64(in->max_block_size));
	json_object_object_add(lim, "max_mem_mb", json_object_new_int64(in->max_mem_mb));
	json_object_object_add(lim, "max_results", json_object_new_int64(in->max_results));
	json_object_object_add(lim, "max_loops", json_object_new_int64(in->max_loops));
	json_object_object_add(o, "limits", lim);
	for (i = 0; i < N_FEATURES; i++)
		if (in->features & features[i].bit)
			json_object_array_add(feat, json_object_new_string(features[i].name));
	json_object_object_add(o, "features", feat);
	json_object_object_add(o, "feature_bits", json_object_new_uint64(in->features));
	printf("%s\n", json_object_to_json_string_ext(o, DSAIO_JSON_PRETTY));
	json_object_put(o);
	return EXIT_OK;
oom:
	fprintf(stderr, "dsaio-user info: out of memory\n");
	return EXIT_FAIL;
}

static void print_text(const struct nl_info *in)
{
	uint64_t unknown = in->features & ~(uint64_t)DSAIO_F_ALL;
	size_t i;

	printf("dsaio module %s\n\n", in->version);
	printf("limits (module parameters):\n");
	printf("  max_jobs         %u concurrent jobs\n", in->max_jobs);
	printf("  max_threads      %u workers per job\n", in->max_threads);
	printf("  max_queue_depth  %u requests in flight per worker\n", in->max_queue_depth);
	printf("  max_block_size   %u bytes per request\n", in->max_block_size);
	printf("  max_mem_mb       %u MiB of buffers, all jobs\n", in->max_mem_mb);
	printf("  max_results      %u finished jobs kept\n", in->max_results);
	printf("  max_loops        %u loops per job\n", in->max_loops);
	printf("\nfeatures:\n");
	for (i = 0; i < N_FEATURES; i++)
		printf("  %-13s %-3s %s\n", features[i].name,
		       in->features & features[i].bit ? "yes" : "no", features[i].what);
	if (unknown)
		printf("  (and bits 0x%llx this tool does not know: a newer module)\n",
		       (unsigned long long)unknown);
}

int cmd_info(int argc, char **argv)
{
	struct nl_info info;
	struct dsaio_nl *nl;
	bool json = false;
	int ret;

	ret = cli_json_only("info", argc, argv, help, &json);
	if (ret >= 0)
		return ret;
	nl = cli_nl_open("info");
	if (!nl)
		return EXIT_FAIL;
	ret = dsaio_nl_get_info(nl, &info);
	if (ret) {
		fprintf(stderr, "dsaio-user info: %s\n", dsaio_nl_errmsg(nl));
		dsaio_nl_close(nl);
		return EXIT_FAIL;
	}
	dsaio_nl_close(nl);
	if (json)
		return print_json(&info);
	print_text(&info);
	return EXIT_OK;
}
