// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * `dsaio-user sweep`: DeepSpeed's aio_bench_perf_sweep.py in one command.
 * Every grid point is measured for writes (first, so that the reads find
 * real data in the region) and reads; one DeepSpeed-format log per run;
 * then the ranked table, the best "aio" block and a JSON summary. With
 * --engines the whole grid goes through each engine in turn, and the
 * engines are put side by side. This file reads the command line;
 * cmd_sweep_setup.c opens the engines and checks the region,
 * cmd_sweep_pass.c runs a pass, cmd_sweep_report.c ends the sweep.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cli.h"
#include "cmd_plot.h"
#include "cmd_sweep.h"
#include "interrupt.h"
#include "numarg.h"
#include "target.h"
#include "units.h"

/*
 * Default bytes per run: DeepSpeed's own sweep default (400M), so results
 * compare with its logs. A job never holds more buffer than its region,
 * so this also bounds the memory of the default grid's largest point
 * (8M blocks at queue depth 128) to 400 MiB, within the module's default
 * max_mem_mb; it is lowered further to the device's size and to the
 * engines' max_mem_mb (the module's parameter; RLIMIT_MEMLOCK for a
 * user-space engine that locks its buffers without CAP_IPC_LOCK).
 * For a directory it is lowered to max_mem_mb alone: the file must then
 * fit the free space, or the sweep stops before it starts, as filling a
 * filesystem to its last block would measure its allocator's distress.
 * Measured in the test VM (TCG, emulated NVMe): the 16 runs of the default
 * grid take about 10-20 s; with 64M they took 2 s, but then an 8M point at
 * io_parallel 8 had a single request per worker, which measures set-up
 * more than the device.
 */
#define DEFAULT_IO_SIZE		(400ULL << 20)
#define DEFAULT_LOG_DIR		"_aio_bench_logs"

static void help(FILE *f)
{
	fprintf(f, "Usage: dsaio-user sweep --dev DEV...|--dir DIR... [options]\n\n"
		"Measures every point of a DeepSpeed sweep grid, writes and then reads,\n"
		"one DeepSpeed-format log per run, and prints the ranked results and the\n"
		"best DeepSpeed \"aio\" config block.\n\n"
		"Figures, as DeepSpeed's: each loop's clock starts when the loop is released\n"
		"to the workers; Task is the longest worker's own time (release to its last\n"
		"completion) summed over loops; E2E is, per loop, the wall time from the\n"
		"release to the last completion of all workers, summed over loops (workers\n"
		"wait at a barrier between loops), so E2E is about Task; Setup (device\n"
		"open, buffers, worker threads) is in neither and logged apart.\n"
		"The best point has the highest read + write E2E speed among complete\n"
		"points: every op measured (both, or the one left by --no-read/--no-write)\n"
		"succeeded. Failed or refused points are listed as excluded with the\n"
		"reason and never recommended; with none complete, no block is printed.\n"
		"The complete points that cannot be told apart from the best (read + write\n"
		"of the medians within the 95%% tie test, or within 2%%; with one run a\n"
		"point only the 2%%) tie with it, marked '*' in the table, and of them the\n"
		"one needing the least pinned host memory (queue_depth x block_size x\n"
		"io_parallel) is recommended, in one sentence before the block.\n\n"
		"Engines: kernel is the dsaio module's kernel threads (dsaio.ko must be\n"
		"loaded); libaio is DeepSpeed's own path, io_parallel threads each with an\n"
		"io_context of queue_depth (single submit: one io_submit per request);\n"
		"io_uring takes the same knobs with liburing; these two need no module and,\n"
		"as DeepSpeed's handle, time each loop's open and close of the target.\n"
		"--engines runs the grid through each in turn and puts them side by side:\n"
		"per point each engine's write and read E2E GB/s and its read + write over\n"
		"the reference's (kernel if listed, else the first), each engine's best\n"
		"point, and as the \"aio\" block libaio's best, as DeepSpeed's runtime\n"
		"does its I/O through libaio (without libaio: the reference's).\n\n"
		"Several targets (--dev A --dev B, or --dir A --dir B; up to 8, of one kind)\n"
		"run every point together, each target with its own workers and handles\n"
		"(the config's \"threads\": that many per target, each with its own file or\n"
		"io_size slice of the device); the table ranks the aggregate (bytes summed,\n"
		"time the slowest target's), each log carries DeepSpeed's aggregate lines\n"
		"and a row per target, and its t/ftd counts every target's handles. Then\n"
		"the best point is measured with each target alone and a scaling report\n"
		"follows (--no-scaling leaves it out): a shared bottleneck when the total\n"
		"falls short of the sum of the alone speeds by more than the noise, a slow\n"
		"target when one's alone speed is below its peers' median by more than the\n"
		"noise: the larger of 10%% and the largest loop-to-loop spread alone.\n\n");
	target_help_which(f);
	fprintf(f, "\n");
	target_help(f, 19);
	fprintf(f, "  --engine NAME      what does the I/O (default kernel):\n");
	dsaio_engines_help(f, 21);
	fprintf(f, "  --engines LIST     comma-separated engines, e.g. kernel,libaio,io_uring: the\n"
		"                     grid through each in turn, each with its own logs and\n"
		"                     summary in LOG_DIR/NAME/, then the side by side and a\n"
		"                     combined summary, LOG_DIR/" SWEEP_SUMMARY_NAME "; not with\n"
		"                     --engine\n"
		"  --fixed-buffers    io_uring: register the buffers with the ring (fixed\n"
		"                     buffers, IORING_OP_READ_FIXED/WRITE_FIXED)\n"
		"  --fixed-files      io_uring: register the device or file (IOSQE_FIXED_FILE);\n"
		"                     with --engines both apply to the engines that take them\n"
		"  --poll             kernel engine, devices: polled completions (REQ_POLLED bios\n"
		"                     reaped by each worker's bio_poll(), a CPU busy per worker,\n"
		"                     as fio's hipri); the device needs poll queues\n"
		"                     (nvme.poll_queues=, null_blk poll_queues=); with --engines\n"
		"                     it applies to the kernel engine"
		"  --config FILE      DeepSpeed sweep JSON ('-' reads stdin); default: DeepSpeed's\n"
		"                     default grid (block_size 1M,8M; queue_depth 32,128;\n"
		"                     io_parallel 1,8; overlap; block submit)\n"
		"  --log-dir DIR      where the logs go (default " DEFAULT_LOG_DIR "): DIR/_aio_bench_write_logs/\n"
		"                     and DIR/_aio_bench_read_logs/ (with --engines DIR/NAME/...)\n"
		"  --log-names 2021|current  DeepSpeed file-name scheme (default 2021, read by\n"
		"                     csrc/aio/py_test/parse_aio_stats.py)\n"
		"  --io-size SIZE     bytes per run (default 400M as in DeepSpeed, lowered to\n"
		"                     the device size minus --offset and to the engines' buffer\n"
		"                     limit, max_mem_mb; with --dir the file, --offset + SIZE,\n"
		"                     must fit the free space)\n"
		"  --loops N          repetitions per run (default 1)\n"
		"  --warmup-loops N   loops each run makes first, left out of every figure\n"
		"                     (default 1, as DeepSpeed's ds_io)\n"
		"  --offset SIZE      start of the region on the device or in the file\n"
		"                     (default 0)\n"
		"  --no-read          skip the read pass\n"
		"  --no-write         skip the write pass\n"
		"  --allow-write      --dev: measure writes: DESTROYS the data in the region;\n"
		"                     without it no write is issued and reads measure what is\n"
		"                     there. --dir measures writes without it (only dsaio's\n"
		"                     own file is written)\n"
		"  --validate         as DeepSpeed's --validate: writes fill every request with\n"
		"                     dsaio's pattern, reads check it; a mismatch fails the run\n"
		"                     (reads without --allow-write need a region written so)\n"
		"  --random           every point visits each block of each worker's slice once\n"
		"                     per loop in a seeded random order (IOPS the block layer\n"
		"                     cannot merge); default DeepSpeed's sequential order\n"
		"  --json             print the JSON summary instead of the table\n"
		"  --output FILE      JSON summary file (default LOG_DIR/" SWEEP_SUMMARY_NAME "; with\n"
		"                     --engines the combined one)\n"
		"  --plot             when the sweep is done, draw its summary as `dsaio-user\n"
		"                     plot` does: sweep.png (heatmaps of E2E GB/s, the\n"
		"                     recommended point framed) and sweep-latency.png beside\n"
		"                     the JSON summary (gnuplot-nox; checked before the\n"
		"                     sweep starts; a failed chart is exit status 1, the\n"
		"                     logs and summary kept)\n"
		"  --legacy-keys      \"thread_count\" (read by DeepSpeed up to 0.16.3) instead of\n"
		"                     \"intra_op_parallelism\" (0.16.4 and later)\n"
		"  --no-scaling       several targets: no alone runs, no scaling report\n"
		"  --repeat N         N passes over the grid, every other one backwards, so a\n"
		"                     drift weighs on every point alike (default 1, up to 16;\n"
		"                     the grid is the costly thing): each point's log carries\n"
		"                     its median run in DeepSpeed's lines and the spread in\n"
		"                     extra \"Spread ...\" lines (min-max, 95%% interval), the\n"
		"                     table adds the spread, the JSON each point's spread\n"
		"  --confidence P     of those intervals and of the tie test (default 0.95;\n"
		"                     0.5 to 0.999, or 95%%): a higher one ties more points\n"
		"                     with the best, so the least-memory pick can sit lower\n"
		"  --search grid|adaptive  grid (default): every point; adaptive: successive\n"
		"                     halving with growing io_size, each point at least at\n"
		"                     its full queue, block x depth x workers (README,\n"
		"                     \"Repeats, ties and the adaptive search\") finds a point\n"
		"                     of the grid's tie set for at most a quarter of its bytes;\n"
		"                     only the last round's runs (its points, at its io_size,\n"
		"                     the full one unless the budget ran short) are logged, so\n"
		"                     DeepSpeed's folders hold one log per point; the JSON\n"
		"                     \"search\" says what it spent. One engine, no --repeat\n"
		"  --budget SECONDS   stop before a run that would end past SECONDS (predicted\n"
		"                     from the seconds per byte so far; no run is cut): the\n"
		"                     measured points are ranked, the rest listed as excluded\n"
		"                     (\"not measured\"); with --engines the later engines too\n\n"
		"Ctrl-C cancels the running job and keeps the logs written so far.\n\n"
		"Examples (DeepSpeed's nvme_path, the files it swaps to; the raw device;\n"
		"the module against DeepSpeed's libaio path, side by side):\n"
		"  sudo dsaio-user sweep --dir /mnt/nvme --io-size 1G\n"
		"  sudo dsaio-user sweep --dev /dev/nvme0n1 --allow-write --log-dir nvme0_logs\n"
		"  sudo dsaio-user sweep --dir /mnt/nvme --engines kernel,libaio --log-dir cmp\n"
		"Two drives together, then each alone at the best point:\n"
		"  sudo dsaio-user sweep --engine libaio --dev /dev/nvme0n1 --dev /dev/nvme1n1 \\\n"
		"       --allow-write\n");
}

static int load_grid(const char *config, struct dsaio_grid *g)
{
	char err[512];
	int ret;

	if (!config)
		ret = dsaio_grid_default(g);
	else if (!strcmp(config, "-")) {
		size_t cap = 1 << 16, len = 0, n;
		char *buf = malloc(cap);

		if (!buf) {
			fprintf(stderr, "dsaio-user sweep: out of memory\n");
			return -ENOMEM;
		}
		while ((n = fread(buf + len, 1, cap - 1 - len, stdin)) > 0) {
			len += n;
			if (len == cap - 1) {
				char *nb = cap < (16u << 20) ? realloc(buf, cap * 2) : NULL;

				if (!nb) {
					free(buf);
					fprintf(stderr, "dsaio-user sweep: the sweep config on stdin is too large\n");
					return -EFBIG;
				}
				buf = nb;
				cap *= 2;
			}
		}
		buf[len] = '\0';
		ret = dsaio_grid_parse(buf, g, err, sizeof(err));
		free(buf);
		if (ret)
			fprintf(stderr, "dsaio-user sweep: --config -: %s\n", err);
		return ret;
	} else {
		ret = dsaio_grid_load(config, g, err, sizeof(err));
		if (ret)
			fprintf(stderr, "dsaio-user sweep: %s\n", err);
		return ret;
	}
	if (ret)
		fprintf(stderr, "dsaio-user sweep: cannot build the default grid: %s\n",
			strerror(-ret));
	return ret;
}

static void say_start(const struct sweep *s)
{
	size_t k;

	char list[DSAIO_MAX_TARGETS * (DSAIO_TARGET_PATH_MAX + 2)];

	fprintf(stderr, "sweeping %s%s ", s->base.kind == TARGET_FILE ?
		(measure_request_n_targets(&s->base) > 1 ? "files in " : "a file in ") : "",
		target_list(&s->base, list, sizeof(list)));
	if (s->per_engine) {
		fprintf(stderr, "with the engines");
		for (k = 0; k < s->n_pass; k++)
			fprintf(stderr, "%s %s", k ? "," : "", s->pass[k].eng->name);
		fprintf(stderr, " in turn: %zu points x %zu ops x %zu engines",
			s->grid.n, s->n_ops, s->n_pass);
	} else {
		fprintf(stderr, "with %s: %zu points x %zu ops", s->pass[0].eng->who,
			s->grid.n, s->n_ops);
	}
	if (s->repeat > 1)
		fprintf(stderr, " x %u passes", s->repeat);
	if (s->search)
		fprintf(stderr, ", adaptive search (at most a quarter of the grid's bytes)");
	fprintf(stderr, ", %" PRIu64 " bytes per run, %u loop(s) after %u warm-up loop(s)\n",
		s->io_size, s->loops, s->warmup_loops);
}

int cmd_sweep(int argc, char **argv)
{
	enum { O_CONFIG = 256, O_LOGDIR, O_IOSIZE, O_LOOPS, O_OFFSET,
	       O_NOREAD, O_NOWRITE, O_ALLOW, O_JSON, O_OUTPUT, O_LEGACY, O_NAMES,
	       O_VALIDATE, O_WARMUP, O_ENGINE, O_ENGINES, O_FIXBUF, O_FIXFILE,
	       O_POLL, O_NOSCALE, O_REPEAT, O_BUDGET, O_SEARCH, O_CONFIDENCE, O_PLOT,
	       O_RANDOM };
	static const struct option opts[] = {
		TARGET_LONG_OPTIONS,
		{ "config", required_argument, NULL, O_CONFIG },
		{ "log-dir", required_argument, NULL, O_LOGDIR },
		{ "log_dir", required_argument, NULL, O_LOGDIR },	/* DeepSpeed's spelling */
		{ "log-names", required_argument, NULL, O_NAMES },
		{ "io-size", required_argument, NULL, O_IOSIZE },
		{ "loops", required_argument, NULL, O_LOOPS },
		{ "warmup-loops", required_argument, NULL, O_WARMUP },
		{ "offset", required_argument, NULL, O_OFFSET },
		{ "no-read", no_argument, NULL, O_NOREAD },
		{ "no-write", no_argument, NULL, O_NOWRITE },
		{ "allow-write", no_argument, NULL, O_ALLOW },
		{ "validate", no_argument, NULL, O_VALIDATE },
		{ "random", no_argument, NULL, O_RANDOM },
		{ "json", no_argument, NULL, O_JSON },
		{ "output", required_argument, NULL, O_OUTPUT },
		{ "legacy-keys", no_argument, NULL, O_LEGACY },
		{ "engine", required_argument, NULL, O_ENGINE },
		{ "engines", required_argument, NULL, O_ENGINES },
		{ "fixed-buffers", no_argument, NULL, O_FIXBUF },
		{ "fixed-files", no_argument, NULL, O_FIXFILE },
		{ "poll", no_argument, NULL, O_POLL },
		{ "no-scaling", no_argument, NULL, O_NOSCALE },
		{ "repeat", required_argument, NULL, O_REPEAT },
		{ "budget", required_argument, NULL, O_BUDGET },
		{ "confidence", required_argument, NULL, O_CONFIDENCE },
		{ "search", required_argument, NULL, O_SEARCH },
		{ "plot", no_argument, NULL, O_PLOT },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	struct sweep s = {
		.log_dir = DEFAULT_LOG_DIR, .io_size = DEFAULT_IO_SIZE, .loops = 1,
		.warmup_loops = 1, .repeat = 1, .confidence = DSAIO_CONFIDENCE,
		.do_read = true, .do_write = true, .scheme = LOGNAME_2021,
		.scaling = true,
	};
	struct target_args ta = { 0 };
	const char *config = NULL, *engine = NULL, *engines = NULL;
	const char *names[DSAIO_MAX_ENGINES];
	char err[512], summary[8192];
	/* --plot: the summary's charts, drawn by plot's own code, to stderr */
	struct plot_request plot = { .in = summary, .report = stderr };
	bool io_size_given = false, interrupted = false, writes_ok, do_plot = false;
	size_t k, n_logs = 0;
	unsigned int failures = 0;
	uint32_t budget;
	int c, n, ret, status = EXIT_OK;

	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case O_CONFIG:
			config = optarg;
			break;
		case O_LOGDIR:
			s.log_dir = optarg;
			break;
		case O_NAMES:
			if (!strcmp(optarg, "2021"))
				s.scheme = LOGNAME_2021;
			else if (!strcmp(optarg, "current"))
				s.scheme = LOGNAME_CURRENT;
			else
				return cli_usage_error("sweep", "--log-names must be 2021 or current, not '%s'", optarg);
			break;
		case O_IOSIZE:
			if (dsaio_parse_size(optarg, &s.io_size) || !s.io_size)
				return cli_usage_error("sweep", "--io-size: '%s' is not a size like 64M or 1G", optarg);
			io_size_given = true;
			break;
		case O_LOOPS:
			if (dsaio_parse_u32(optarg, 1, UINT32_MAX, &s.loops))
				return cli_usage_error("sweep", "--loops: '%s' is not a number >= 1", optarg);
			break;
		case O_WARMUP:
			if (dsaio_parse_u32(optarg, 0, UINT32_MAX, &s.warmup_loops))
				return cli_usage_error("sweep", "--warmup-loops: '%s' is not a number >= 0", optarg);
			break;
		case O_OFFSET:
			if (dsaio_parse_size(optarg, &s.offset))
				return cli_usage_error("sweep", "--offset: '%s' is not a size like 0, 4K or 1G", optarg);
			break;
		case O_NOREAD:
			s.do_read = false;
			break;
		case O_NOWRITE:
			s.do_write = false;
			break;
		case O_ALLOW:
			s.allow_write = true;
			break;
		case O_VALIDATE:
			s.validate = true;
			break;
		case O_RANDOM:
			s.random = true;
			break;
		case O_JSON:
			s.json = true;
			break;
		case O_OUTPUT:
			s.output = optarg;
			break;
		case O_LEGACY:
			s.legacy_keys = true;
			break;
		case O_ENGINE:
			engine = optarg;
			break;
		case O_ENGINES:
			engines = optarg;
			break;
		case O_FIXBUF:
			s.fixed_buffers = true;
			break;
		case O_FIXFILE:
			s.fixed_files = true;
			break;
		case O_POLL:
			s.poll = true;
			break;
		case O_NOSCALE:
			s.scaling = false;
			break;
		case O_SEARCH:
			if (!strcmp(optarg, "adaptive"))
				s.search = true;
			else if (strcmp(optarg, "grid"))
				return cli_usage_error("sweep", "--search must be grid or adaptive, not '%s'", optarg);
			break;
		case O_BUDGET:
			if (dsaio_parse_u32(optarg, 1, UINT32_MAX, &budget))
				return cli_usage_error("sweep", "--budget: '%s' is not a number of seconds >= 1", optarg);
			s.budget = budget;
			break;
		case O_PLOT:
			do_plot = true;
			break;
		case O_REPEAT:
			if (dsaio_parse_u32(optarg, 1, DSAIO_REPEAT_MAX, &s.repeat))
				return cli_usage_error("sweep", "--repeat: '%s' is not a number from 1 to %d", optarg, DSAIO_REPEAT_MAX);
			break;
		case O_CONFIDENCE:
			if (dsaio_parse_confidence(optarg, &s.confidence))
				return cli_usage_error("sweep", "--confidence: '%s' is not a confidence from 0.5 to 0.999 (or 50%% to 99.9%%)", optarg);
			break;
		case 'h':
			return cli_help(help, true);
		default:
			if (target_args_option(&ta, c, optarg))
				break;
			return cli_help(help, false);
		}
	}
	if (optind < argc)
		return cli_usage_error("sweep", "unexpected argument '%s'", argv[optind]);
	measure_request_init(&s.base);
	if (target_args_apply(&ta, &s.base, err, sizeof(err)))
		return cli_usage_error("sweep", "%s", err);
	/* A file target writes only dsaio's own file: nothing to confirm. */
	writes_ok = s.allow_write || s.base.kind == TARGET_FILE;
	if (s.poll && s.base.kind == TARGET_FILE)
		return cli_usage_error("sweep", "--poll polls a device's queues; a file (--dir) goes through its filesystem, use --dev");
	if (s.base.overwrite && !s.do_write)
		return cli_usage_error("sweep", "--overwrite changes how writes use the file, and --no-write leaves none");
	if (s.do_write && writes_ok)
		s.ops_order[s.n_ops++] = OP_WRITE;	/* first: reads then find real data */
	if (s.do_read)
		s.ops_order[s.n_ops++] = OP_READ;
	/* A point is complete when each of these measured. */
	for (k = 0; k < s.n_ops; k++)
		s.ops |= DSAIO_OP_BIT(s.ops_order[k]);
	if (!s.n_ops)
		return cli_usage_error("sweep", "%s", s.do_write && !writes_ok ?
				       "nothing to measure: reads are off (--no-read) and writes need --allow-write" :
				       "nothing to measure: both --no-read and --no-write were given");
	n = sweep_engine_names(engine, engines, names, &status);
	if (n < 0)
		return status;
	s.per_engine = engines != NULL;
	if (s.search && s.per_engine)
		return cli_usage_error("sweep", "--search adaptive measures through one engine: give --engine, not --engines");
	if (s.search && s.repeat > 1)
		return cli_usage_error("sweep", "--search adaptive chooses its own repeats per round: leave out --repeat");
	s.defer_logs = s.search;
	/* the charts' names and gnuplot, before the sweep spends its time */
	sweep_summary_file(&s, summary, sizeof(summary));
	if (do_plot) {
		status = plot_check_names(&plot, "sweep");
		if (status)
			return status;
		if (plot_gnuplot_found("sweep"))
			return EXIT_FAIL;
	}

	if (target_resolve_dirs(&s.base, err, sizeof(err))) {
		fprintf(stderr, "dsaio-user sweep: %s\n", err);
		return EXIT_FAIL;
	}

	if (load_grid(config, &s.grid))
		return EXIT_FAIL;
	if (!s.grid.n) {
		fprintf(stderr, "dsaio-user sweep: the grid is empty\n");
		dsaio_grid_free(&s.grid);
		return EXIT_FAIL;
	}
	if (cli_catch_ctrl_c("sweep")) {
		status = EXIT_FAIL;
		goto out;
	}
	status = sweep_open_engines(&s, names, (size_t)n, engine || engines);
	if (!status)
		status = sweep_apply_fixed(&s);
	if (!status)
		status = sweep_apply_poll(&s);
	if (status)
		goto out;
	s.runs = s.grid.n * s.n_ops * s.n_pass * s.repeat;
	if (s.search)
		s.runs = sweep_pass_capacity(&s);	/* at most */
	if (sweep_check_region(&s, io_size_given) || sweep_pass_dirs(&s)) {
		status = EXIT_FAIL;
		goto out;
	}
	for (k = 0; k < s.n_pass; k++) {
		if (sweep_pass_prepare(&s, &s.pass[k])) {
			status = EXIT_FAIL;
			goto out;
		}
	}
	if (s.do_write && !writes_ok)
		fprintf(stderr, "dsaio-user sweep: writes skipped: they destroy the data in the region; pass --allow-write to measure them\n");
	s.tty = isatty(STDERR_FILENO);
	s.bytes_total = (uint64_t)s.runs * s.io_size * (s.loops + s.warmup_loops);
	say_start(&s);
	for (k = 0; k < s.n_pass && !interrupted && !s.budget_cut; k++) {
		struct sweep_pass *p = &s.pass[k];

		ret = s.search ? sweep_pass_search(&s, p) : sweep_pass_run(&s, p);
		p->complete = ret == 0;
		if (ret == 1 && s.search && !p->search.cancelled) {
			s.budget_cut = true;	/* --budget: what it has decides */
			ret = 0;
		}
		if (ret == 2) {
			/* the budget: rank what was measured, list the rest */
			sweep_pass_unmeasured(&s, p);
			ret = 0;
		}
		sweep_pass_median_logs(&s, p);	/* also of a cut sweep */
		if (!ret && !s.budget_cut && !s.search)
			ret = sweep_pass_scaling(&s, p);
		if (ret)
			interrupted = true;
		if (ret < 0)
			status = EXIT_FAIL;	/* cannot go on */
		/* Its resources go before the next engine measures. */
		p->eng->close(p->ctx);
		p->ctx = NULL;
	}
	for (k = 0; k < s.n_pass; k++) {
		n_logs += s.pass[k].n_res;
		failures += s.pass[k].failures;
	}
	if (interrupted && status == EXIT_OK) {
		fprintf(stderr, "dsaio-user sweep: interrupted after %zu of %zu runs; the %zu logs so far are kept in %s/\n",
			s.runs_done, s.runs, n_logs, s.log_dir);
		status = EXIT_FAIL;
	}
	for (k = 0; s.budget_cut && k < s.n_pass; k++)
		if (!s.pass[k].n_res && !s.pass[k].n_fails)
			sweep_pass_unmeasured(&s, &s.pass[k]);	/* engines never started */
	if (s.budget_cut)
		fprintf(stderr, "dsaio-user sweep: the --budget of %g s ran out after %zu of %zu runs; no run was cut, the points not measured are listed as excluded\n",
			s.budget, s.runs_done, s.runs);
	ret = sweep_report(&s, !interrupted);
	if (ret)
		status = EXIT_FAIL;
	if (do_plot && interrupted)
		fprintf(stderr, "dsaio-user sweep: no charts of an interrupted sweep; `dsaio-user plot %s` draws what it measured\n",
			summary);
	else if (do_plot && !ret && plot_draw(&plot))
		status = EXIT_FAIL;
	if (failures) {
		fprintf(stderr, "dsaio-user sweep: %u run(s) failed (see above)\n", failures);
		status = EXIT_FAIL;
	}
out:
	for (k = 0; k < s.n_pass; k++) {
		s.pass[k].eng->close(s.pass[k].ctx);
		sweep_pass_free(&s.pass[k]);
	}
	dsaio_grid_free(&s.grid);
	return status;
}
