// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * dsaio-user merge (alias fleet): the per-node sweep summaries of a fleet
 * merged into one report. This file reads the command line and the
 * files, runs gnuplot for --chart and prints; the comparison is fleet.c,
 * the reading of a summary fleet_input.c, the report fleet_report.c and
 * the chart's script fleet_chart.c.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <json-c/json.h>

#include "cli.h"
#include "engine.h"
#include "engine_list.h"
#include "fleet.h"
#include "fleet_chart.h"
#include "fleet_report.h"
#include "report.h"

#define CMD "merge"

static void usage(FILE *f)
{
	fprintf(f,
"usage: dsaio-user merge [options] FILE|DIR...   (also: dsaio-user fleet)\n"
"\n"
"Merges the sweep summaries of the nodes of a fleet, one per node (what\n"
"`dsaio-user sweep --json --output FILE` writes; slurm/dsaio-sweep.sbatch\n"
"writes one per node), into one report: per node its own best point (among\n"
"the points compared) and its speed at the fleet's point; the spread across\n"
"nodes; the outliers; and one DeepSpeed \"aio\" block for the whole fleet.\n"
"Speeds are read + write E2E GB/s (GB = 2^30), as the sweep ranks them.\n"
"\n"
"A node is named by its file: n1.json is node n1, and so is\n"
"n1/dsaio_sweep.json (a DIR operand means DIR/dsaio_sweep.json).\n"
"\n"
"What is compared: only the grid points measured completely (every op, no\n"
"failed run) on every compared node; the others are listed as left out, with\n"
"which node lacks them. A node whose sweep stopped midway (\"complete\": false)\n"
"is shown but not compared; so is one with no usable point. A file that is\n"
"absent or not JSON is a missing node (with --nodes, so is a node without a\n"
"file). Summaries of different formats (another dsaio version), engines or\n"
"target kinds are refused: nothing is compared.\n"
"\n"
"Noise: a sweep measures each point once, so the noise is given: --noise,\n"
"10 %% by default. Take it from your nodes: two sweeps of one node show how\n"
"far the same point moves. A node is an outlier when its own best is below\n"
"the median of the compared nodes' bests by more than the noise; its drive\n"
"and target are named.\n"
"\n"
"The fleet's point, the rule:\n"
"%s\n"
"\n"
"  --nodes LIST       comma-separated node names expected (e.g. from\n"
"                     scontrol show hostnames): one without a file is missing\n"
"  --engine NAME      the engine to take from sweep --engines summaries (their\n"
"                     optimal_engine by default); a one-engine summary of\n"
"                     another engine is refused\n"
"  --noise PCT        the run-to-run noise, percent, 0 <= PCT < 100 (default 10)\n"
"  --json             print the report as JSON (doc/schema/merge.schema.json)\n"
"  --chart FILE.png   also draw per node its best and its speed at the fleet's\n"
"                     point, the median and the outlier threshold (gnuplot)\n"
"  --legacy-keys      \"thread_count\" (DeepSpeed up to 0.16.3) instead of\n"
"                     \"intra_op_parallelism\" in the \"aio\" block\n"
"  -h, --help         this help\n"
"\n"
"Examples:\n"
"  dsaio-user merge results/*.json\n"
"  dsaio-user merge --nodes n1,n2,n3 --chart fleet.png --noise 5 results/*.json\n"
"\n"
"Exit status: 0 with a fleet \"aio\" block, 1 without one (no point common to\n"
"the compared nodes, no node compared) or refused files, 2 usage error.\n",
		fleet_rule());
}

/* --engine NAME: one of the table's; says why not. 0 or -1. */
static int check_engine(const char *name)
{
	const char *known[DSAIO_MAX_ENGINES];
	size_t n = engine_list_known(dsaio_engine_at, known, DSAIO_MAX_ENGINES);
	char err[512];

	if (!engine_name_check(name, known, n, err, sizeof(err)))
		return 0;
	cli_usage_error(CMD, "%s", err);
	return -1;
}

static int parse_noise(const char *s, double *out)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (end != s && *end == '%')
		end++;
	if (errno || end == s || *end || !(v >= 0 && v < 100))
		return cli_usage_error(CMD, "--noise '%s': give a percentage from 0 to below 100, e.g. 10", s);
	*out = v / 100;
	return 0;
}

/* Reads the node of one operand; 0, or 1 when refused (said). */
static int load_node(struct fleet_node *n, const char *arg, const char *engine)
{
	char path[sizeof(n->source)], err[FLEET_WHY_MAX + 128];
	struct stat st;
	json_object *doc;

	snprintf(path, sizeof(path), "%s", arg);
	if (!stat(arg, &st) && S_ISDIR(st.st_mode))
		snprintf(path, sizeof(path), "%s/dsaio_sweep.json", arg);
	snprintf(n->source, sizeof(n->source), "%s", path);
	fleet_node_name(path, n->name, sizeof(n->name));
	if (access(path, R_OK)) {
		snprintf(err, sizeof(err), "no summary: %s", strerror(errno));
		fleet_node_missing(n, err);
		return 0;
	}
	if (!stat(path, &st) && st.st_size == 0) {
		fleet_node_missing(n, "its summary file is empty");
		return 0;
	}
	doc = json_object_from_file(path);
	if (!doc) {
		const char *why = json_util_get_last_err(), *p;

		why = why ? why : "unreadable";
		p = strstr(why, "failed: ");
		why = p ? p + 8 : why;
		/* json-c's "continue": the text ended inside the document */
		if (!strncmp(why, "continue", 8))
			snprintf(err, sizeof(err), "its summary is cut short: the file ends inside the JSON");
		else
			snprintf(err, sizeof(err), "its summary is not JSON (%.*s)",
				 (int)strcspn(why, "\n"), why);
		fleet_node_missing(n, err);
		return 0;
	}
	if (fleet_node_from_json(n, doc, engine, err, sizeof(err))) {
		fprintf(stderr, "dsaio-user %s: %s: %s; nothing compared\n", CMD, path, err);
		json_object_put(doc);
		return 1;
	}
	json_object_put(doc);
	return 0;
}

/* --nodes: a missing node for each name no file gave. */
static size_t expected_nodes(struct fleet_node *nodes, size_t n, const char *list)
{
	char buf[4096], *save = NULL, *name;

	snprintf(buf, sizeof(buf), "%s", list);
	for (name = strtok_r(buf, ",", &save); name; name = strtok_r(NULL, ",", &save)) {
		size_t i;

		for (i = 0; i < n; i++)
			if (!strcmp(nodes[i].name, name))
				break;
		if (i < n)
			continue;
		memset(&nodes[n], 0, sizeof(nodes[n]));
		snprintf(nodes[n].name, sizeof(nodes[n].name), "%s", name);
		fleet_node_missing(&nodes[n], "no summary file for it among the files given");
		n++;
	}
	return n;
}

/* Before anything is read or printed: can FILE.png.tmp be written? */
static int chart_writable(const char *png)
{
	char tmp[4096];
	FILE *t;

	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.tmp", png) >= sizeof(tmp))
		return cli_usage_error(CMD, "--chart %s: path too long", png);
	t = fopen(tmp, "w");
	if (!t) {
		fprintf(stderr, "dsaio-user %s: --chart %s: cannot write %s: %m\n", CMD, png, tmp);
		return EXIT_FAIL;
	}
	fclose(t);
	unlink(tmp);
	return 0;
}

/* gnuplot draws the chart into FILE.png.tmp, renamed over on success. */
static int draw_chart(const struct fleet *f, const char *png)
{
	char tmp[4096], log[4096];
	FILE *p;
	int st;

	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.tmp", png) >= sizeof(tmp) ||
	    (size_t)snprintf(log, sizeof(log), "gnuplot >/dev/null 2>'%s.log'", png) >= sizeof(log)) {
		fprintf(stderr, "dsaio-user %s: --chart %s: path too long\n", CMD, png);
		return -1;
	}
	p = popen(log, "w");
	if (!p) {
		fprintf(stderr, "dsaio-user %s: cannot run gnuplot: %m\n", CMD);
		return -1;
	}
	fleet_chart_script(p, f, tmp, 960, 540);
	st = pclose(p);
	if (st == -1 || !WIFEXITED(st) || WEXITSTATUS(st)) {
		if (WIFEXITED(st) && WEXITSTATUS(st) == 127) {
			fprintf(stderr, "dsaio-user %s: --chart needs gnuplot (apt-get install gnuplot-nox); no chart drawn\n", CMD);
			snprintf(log, sizeof(log), "%s.log", png);
			unlink(log);	/* says only "not found" */
		} else
			fprintf(stderr, "dsaio-user %s: gnuplot failed drawing %s (see %s.log); no chart drawn\n",
				CMD, png, png);
		unlink(tmp);
		return -1;
	}
	if (rename(tmp, png)) {
		fprintf(stderr, "dsaio-user %s: cannot write %s: %m\n", CMD, png);
		unlink(tmp);
		return -1;
	}
	snprintf(log, sizeof(log), "%s.log", png);
	unlink(log);
	return 0;
}

int cmd_merge(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "nodes", required_argument, NULL, 'n' },
		{ "engine", required_argument, NULL, 'e' },
		{ "noise", required_argument, NULL, 'N' },
		{ "json", no_argument, NULL, 'j' },
		{ "chart", required_argument, NULL, 'c' },
		{ "legacy-keys", no_argument, NULL, 'l' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	const char *nodes_list = NULL, *engine = NULL, *chart = NULL;
	struct fleet f = { .noise = FLEET_DEFAULT_NOISE };
	bool json = false, legacy = false;
	char err[2048];
	size_t i, n_max;
	int c, ret = EXIT_FAIL;

	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'n':
			nodes_list = optarg;
			break;
		case 'e':
			if (check_engine(optarg))
				return EXIT_USAGE;
			engine = optarg;
			break;
		case 'N':
			if (parse_noise(optarg, &f.noise))
				return EXIT_USAGE;
			break;
		case 'j':
			json = true;
			break;
		case 'c':
			if (!fleet_chart_path_ok(optarg))
				return cli_usage_error(CMD, "--chart '%s': give a file name without quotes, backslashes, backquotes or newlines", optarg);
			chart = optarg;
			break;
		case 'l':
			legacy = true;
			break;
		case 'h':
			return cli_help(usage, true);
		default:
			return cli_help(usage, false);
		}
	}
	if (optind >= argc)
		return cli_usage_error(CMD, "give the nodes' sweep summaries (FILE... or DIR...)");
	if (chart && (c = chart_writable(chart)))
		return c;
	n_max = (size_t)(argc - optind) + (nodes_list ? strlen(nodes_list) / 2 + 1 : 0);
	f.nodes = calloc(n_max, sizeof(*f.nodes));
	if (!f.nodes) {
		fprintf(stderr, "dsaio-user %s: out of memory\n", CMD);
		return EXIT_FAIL;
	}
	for (i = 0; optind < argc; optind++, i++) {
		f.n_nodes = i + 1;
		if (load_node(&f.nodes[i], argv[optind], engine))
			goto out;
	}
	if (nodes_list)
		f.n_nodes = expected_nodes(f.nodes, f.n_nodes, nodes_list);
	if (fleet_check(&f, err, sizeof(err))) {
		fprintf(stderr, "dsaio-user %s: %s; nothing compared\n", CMD, err);
		goto out;
	}
	if (fleet_merge(&f)) {
		fprintf(stderr, "dsaio-user %s: out of memory\n", CMD);
		goto out;
	}
	if (json) {
		json_object *o = fleet_report_json(&f, legacy);

		if (!o) {
			fprintf(stderr, "dsaio-user %s: out of memory\n", CMD);
			goto out;
		}
		printf("%s\n", json_object_to_json_string_ext(o, DSAIO_JSON_PRETTY));
		json_object_put(o);
	} else if (fleet_report_text(stdout, &f, legacy)) {
		fprintf(stderr, "dsaio-user %s: out of memory\n", CMD);
		goto out;
	}
	for (i = 0; i < f.n_nodes; i++)
		if (f.nodes[i].state == FLEET_NODE_MISSING)
			fprintf(stderr, "dsaio-user %s: node %s is missing: %s\n", CMD,
				f.nodes[i].name, f.nodes[i].why);
	ret = f.pick >= 0 ? EXIT_OK : EXIT_FAIL;
	if (f.pick < 0)
		fprintf(stderr, "dsaio-user %s: no grid point was measured completely on every compared node (%zu compared): no \"aio\" block for the fleet\n",
			CMD, f.n_compared);
	if (chart && draw_chart(&f, chart))
		ret = EXIT_FAIL;
	else if (chart)
		fprintf(stderr, "chart in %s\n", chart);
out:
	for (i = 0; i < f.n_nodes; i++)
		fleet_node_free(&f.nodes[i]);
	free(f.nodes);
	fleet_free(&f);
	return ret;
}
