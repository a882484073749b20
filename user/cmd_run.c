// SPDX-License-Identifier: GPL-2.0 OR MIT
/* `dsaio-user run`: one measurement, as DeepSpeed's test_ds_aio.py makes. */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <math.h>
#include <string.h>
#include <unistd.h>
#include <json-c/json.h>
#include "cli.h"
#include "interrupt.h"
#include "engine.h"
#include "engine_list.h"
#include "numarg.h"
#include "progress.h"
#include "repeats.h"
#include "report.h"
#include "scaling.h"
#include "target.h"
#include "units.h"

/* DeepSpeed's where it has one: ds_io (deepspeed/nvme/ds_aio_args.py)
 * defaults block_size 1M, queue_depth 32, loops 3; io_size is required
 * there, and 400M is its sweep's default. */
#define DEFAULT_IO_SIZE		(400ULL << 20)
#define DEFAULT_BLOCK_SIZE	(1ULL << 20)
#define DEFAULT_QUEUE_DEPTH	32
#define DEFAULT_LOOPS		3
#define DEFAULT_WARMUP_LOOPS	1	/* ds_io --warmup_loops */

static void help(FILE *f)
{
	fprintf(f, "Usage: dsaio-user run --dev DEV...|--dir DIR... --op read|write [options]\n\n"
		"Runs one measurement and prints DeepSpeed's Task/E2E latency and speed\n"
		"lines, the set-up time, IOPS, latency percentiles and errors. As in\n"
		"DeepSpeed: each loop's clock starts when the loop is released to the\n"
		"workers; Task is the longest worker's own time (release to its last\n"
		"completion) summed over loops; E2E is, per loop, the wall time from the\n"
		"release to the last completion of all workers, summed over loops\n"
		"(workers wait at a barrier between loops, in neither figure), so E2E is\n"
		"about Task; Setup (device open, buffers, worker threads) is in neither.\n"
		"Defaults are ds_io's (DeepSpeed's deepspeed/nvme/ds_aio_args.py).\n\n"
		"The engine does the I/O: kernel from the dsaio module's kernel threads\n"
		"(dsaio.ko must be loaded); libaio measures DeepSpeed's own path from user\n"
		"space, io_parallel threads each with an io_context of queue_depth\n"
		"(single submit: one io_submit per request); io_uring takes the same knobs\n"
		"with liburing. The user-space engines need no module, and time a loop as\n"
		"DeepSpeed's handle does: its pread/pwrite opens the file, so the open and\n"
		"close of the device or file are in that loop's Task and E2E.\n\n"
		"Several targets (--dev A --dev B, or --dir A --dir B; up to 8, of one kind):\n"
		"each has its own workers (and --processes handles), all released together\n"
		"each loop, as DeepSpeed's ds_io gives each folder its own handle. The four\n"
		"lines are the aggregate: bytes summed, time the slowest target's; a table\n"
		"gives each target's figures. First each target is measured alone, then all\n"
		"together, and a scaling report follows (--no-scaling leaves it out): a\n"
		"shared bottleneck when the total falls short of the sum of the alone\n"
		"speeds by more than the noise, and a slow target when one's alone speed is\n"
		"below the median of its peers' by more than the noise. The noise is the\n"
		"larger of 10%% and the largest loop-to-loop spread of an alone run.\n\n");
	target_help_which(f);
	fprintf(f, "\n");
	target_help(f, 21);
	fprintf(f, "  --engine NAME        what does the I/O (default kernel):\n");
	dsaio_engines_help(f, 23);
	fprintf(f, "  --fixed-buffers      io_uring: register the buffers with the ring (fixed\n"
		"                       buffers, IORING_OP_READ_FIXED/WRITE_FIXED)\n"
		"  --fixed-files        io_uring: register the device or file (IOSQE_FIXED_FILE)\n"
		"  --poll               kernel engine, devices: polled completions, as fio's\n"
		"                       hipri: bios sent with REQ_POLLED on the device's poll\n"
		"                       queues, each worker spinning in bio_poll() instead of\n"
		"                       sleeping for an interrupt (a CPU busy per worker); the\n"
		"                       device needs poll queues (nvme.poll_queues=, null_blk\n"
		"                       poll_queues=) and threads x queue depth within its\n"
		"                       nr_requests"
		"  --op read|write      operation (required)\n"
		"  --block-size SIZE    bytes per request, K/M/G = 1024^n (default 1M, ds_io's)\n"
		"  --queue-depth N      requests in flight per worker (default 32, ds_io's)\n"
		"  --threads N          workers, each on its own slice of the region\n"
		"                       (alias --io-parallel; DeepSpeed's intra_op_parallelism)\n"
		"  --processes N        independent handles per target, each with its own\n"
		"                       file (.0, .1, ...) or io_size slice of the device\n"
		"                       after --offset, and --threads workers: DeepSpeed's\n"
		"                       \"threads\" (test_ds_aio.py --threads, ds_io\n"
		"                       --multi_process); Task and E2E are the slowest's,\n"
		"                       bytes all of theirs (default 1; libaio, io_uring)\n"
		"  --no-scaling         several targets: measure them together only, not\n"
		"                       each alone first (no scaling report)\n"
		"  --repeat N           N runs in a row (1 to 16, default 1): the median run is\n"
		"                       reported, with the spread (min-max, 95%% interval of\n"
		"                       the median) as lines after the figures or JSON keys\n"
		"                       (repeats, e2e_speed_ci95_gbs, ...)\n"
		"  --confidence P       of that interval (default 0.95; 0.5 to 0.999, or 95%%):\n"
		"                       0.99 gives a wider one, surer to hold the median\n"
		"  --single-submit      submit each request on its own, not as a batch\n"
		"  --sequential         submit a batch, wait for all of it, repeat\n"
		"                       (default: overlap, refill as each request completes)\n"
		"  --io-size SIZE       bytes per loop (default 400M)\n"
		"  --offset SIZE        start of the region on the device, or in the file\n"
		"                       (default 0; the file holds offset + io-size bytes)\n"
		"  --loops N            repetitions, in lock-step (default 3, ds_io's)\n"
		"  --warmup-loops N     loops run first and left out of every figure\n"
		"                       (default 1, ds_io's --warmup_loops)\n"
		"  --validate           write a pattern / check it when reading\n"
		"  --seed N             pattern seed for --validate, and the order of --random\n"
		"                       (default 0)\n"
		"  --random             each worker visits every block of its slice once per\n"
		"                       loop, in a seeded random order (a new one each loop\n"
		"                       and worker, the same each run): 4K IOPS that the\n"
		"                       block layer cannot merge, as fio's randread; the\n"
		"                       default is DeepSpeed's sequential order\n"
		"  --allow-write        required for --op write on --dev: it DESTROYS the\n"
		"                       data in [offset, offset + io-size) of DEV (--dir\n"
		"                       needs none: only dsaio's own file is written)\n"
		"  --no-histogram       skip the per-request latency histogram\n"
		"  --json               print the result as one JSON object, with every\n"
		"                       worker's and loop's figures (\"per_worker\",\n"
		"                       \"per_loop\") and their counts; several targets add\n"
		"                       \"targets\" (each one's) and \"scaling\"\n\n"
		"Ctrl-C cancels the job and prints what was done.\n"
		"Exit status: 0 success; 1 failure, I/O errors or validation mismatches;\n"
		"2 usage error.\n\n"
		"Examples (1 MiB reads, 8 workers, 32 in flight each; then writes of a\n"
		"new file each loop in DeepSpeed's nvme_path, as it swaps):\n"
		"  sudo dsaio-user run --dev /dev/nvme0n1 --op read --block-size 1M \\\n"
		"       --queue-depth 32 --threads 8 --io-size 1G\n"
		"  sudo dsaio-user run --dir /mnt/nvme --op write --threads 8 --io-size 1G\n"
		"The same write through DeepSpeed's libaio path, no module needed:\n"
		"  dsaio-user run --engine libaio --dir /mnt/nvme --op write --threads 8 \\\n"
		"       --io-size 1G\n"
		"Two drives together, each alone first, and the scaling report:\n"
		"  sudo dsaio-user run --engine libaio --dev /dev/nvme0n1 --dev /dev/nvme1n1 \\\n"
		"       --op read --threads 8 --io-size 1G\n");
}

/* The progress line of a run, on a terminal only. */
static void show_progress(const struct measure_progress *p, void *arg)
{
	char bar[32], done[24], total[24], el[16];
	double frac = p->bytes_total ? (double)p->bytes_done / p->bytes_total : 0;

	(void)arg;
	dsaio_format_bar(frac, 20, bar, sizeof(bar));
	dsaio_format_bytes(p->bytes_done, done, sizeof(done));
	dsaio_format_bytes(p->bytes_total, total, sizeof(total));
	dsaio_format_duration(p->elapsed_ns / 1e9, el, sizeof(el));
	fprintf(stderr, "\r%s %3.0f%% %s / %s  %s\033[K", bar, frac * 100, done,
		total, el);
	fflush(stderr);
}

static void print_errnos(FILE *f, const struct measurement *r)
{
	size_t i;

	for (i = 0; i < r->n_errnos; i++)
		fprintf(f, "  %" PRIu64 " requests failed with %s (errno %u)\n",
			r->errnos[i].count, strerror((int)r->errnos[i].code),
			r->errnos[i].code);
}

/* Which figures a worker or a loop entry has. */
static json_object *stats_json(const struct measurement_stat *v, size_t n,
			       bool loop)
{
	json_object *arr = json_object_new_array_ext((int)n);
	size_t i;

	for (i = 0; arr && i < n; i++) {
		json_object *o = json_object_new_object();
		const struct measurement_stat *s = &v[i];

		if (!o || json_object_array_add(arr, o)) {
			json_object_put(o);
			json_object_put(arr);
			return NULL;
		}
		json_object_object_add(o, "index", json_object_new_int64(s->index));
		if (loop) {
			json_object_object_add(o, "start_ns", json_object_new_uint64(s->start_ns));
		} else {
			json_object_object_add(o, "offset", json_object_new_uint64(s->offset));
			json_object_object_add(o, "length", json_object_new_uint64(s->length));
		}
		json_object_object_add(o, "time_ns", json_object_new_uint64(s->time_ns));
		json_object_object_add(o, "bytes", json_object_new_uint64(s->bytes));
		json_object_object_add(o, "requests", json_object_new_uint64(s->requests));
		json_object_object_add(o, "errors", json_object_new_uint64(s->errors));
	}
	return arr;
}

/* Several targets: each alone (E2E GB/s, -1 unmeasured) and the rule. */
struct run_scaling {
	bool have;
	double alone_gbs[DSAIO_MAX_TARGETS];
	double noise;			/* the largest loop spread alone */
	struct scaling_report rep;
};

static int print_json(const struct dsaio_engine *eng,
		      const struct measure_request *rq,
		      const struct measurement *r,
		      const struct run_scaling *sc,
		      const struct dsaio_runs *reps)
{
	json_object *o = dsaio_result_json(r), *errs;
	size_t i;

	/* --repeat: the median run's figures, and the spread of all */
	if (o && reps && dsaio_runs_json_add(o, reps)) {
		json_object_put(o);
		o = NULL;
	}
	if (!o) {
		fprintf(stderr, "dsaio-user run: out of memory\n");
		return -1;
	}
	json_object_object_add(o, "engine", json_object_new_string(eng->name));
	json_object_object_add(o, "job_id", json_object_new_int64(r->job_id));
	json_object_object_add(o, "state",
			       json_object_new_string(measurement_state_name(r->state)));
	/* "device" as before files; a directory is not a device */
	json_object_object_add(o, rq->kind == TARGET_FILE ? "dir" : "device",
			       json_object_new_string(rq->target));
	json_object_object_add(o, "target", dsaio_target_json(&r->target, true));
	json_object_object_add(o, "error", json_object_new_int(r->error));
	json_object_object_add(o, "fixed_buffers", json_object_new_boolean(rq->fixed_buffers));
	json_object_object_add(o, "fixed_files", json_object_new_boolean(rq->fixed_files));
	json_object_object_add(o, "poll", json_object_new_boolean(rq->poll));
	json_object_object_add(o, "polled_bios", json_object_new_uint64(r->polled_bios));
	errs = json_object_new_object();
	for (i = 0; errs && i < r->n_errnos; i++) {
		char name[16];

		snprintf(name, sizeof(name), "%u", r->errnos[i].code);
		json_object_object_add(errs, name,
				       json_object_new_uint64(r->errnos[i].count));
	}
	json_object_object_add(o, "errnos", errs);
	json_object_object_add(o, "worker_count", json_object_new_uint64(r->n_worker_stats));
	json_object_object_add(o, "loop_count", json_object_new_uint64(r->n_loop_stats));
	json_object_object_add(o, "per_worker",
			       stats_json(r->worker_stats, r->n_worker_stats, false));
	json_object_object_add(o, "per_loop",
			       stats_json(r->loop_stats, r->n_loop_stats, true));
	if (r->n_parts > 1) {
		json_object_object_add(o, "targets",
				       dsaio_parts_json(r, sc->have ? sc->alone_gbs : NULL));
		json_object_object_add(o, "scaling", sc->have ? scaling_json(&sc->rep) : NULL);
	}
	printf("%s\n", json_object_to_json_string_ext(o, DSAIO_JSON_PRETTY));
	json_object_put(o);
	return 0;
}

/* Prints the outcome; returns the exit status it calls for. */
static int report(const struct dsaio_engine *eng,
		  const struct measure_request *rq,
		  const struct measurement *r, const struct run_scaling *sc,
		  const struct dsaio_runs *reps, bool json)
{
	int status = EXIT_OK;
	char job[32], note[256];

	dsaio_job_label(r, job, sizeof(job));
	if (!r->have_figures) {
		fprintf(stderr, "dsaio-user run: %s ended (%s) without results\n",
			job, measurement_state_name(r->state));
		return EXIT_FAIL;
	}
	if (json) {
		if (print_json(eng, rq, r, sc, reps))
			return EXIT_FAIL;
	} else {
		if (r->n_parts < 2)
			dsaio_report_target(stdout, &r->target);
		printf("Engine: %s\n", eng->name);
		dsaio_report_run(stdout, r);
		if (reps)
			dsaio_runs_log_lines(stdout, rq->op, reps);
		dsaio_report_parts(stdout, r, sc->have ? sc->alone_gbs : NULL);
		if (sc->have)
			scaling_print(stdout, &sc->rep, "");
	}
	switch (r->state) {
	case MEAS_FAILED:
		fprintf(stderr, "dsaio-user run: %s failed: %s\n", job,
			strerror(-r->error));
		status = EXIT_FAIL;
		break;
	case MEAS_CANCELLED:
		fprintf(stderr, "dsaio-user run: %s was cancelled; the results above cover the %"
			PRIu64 " bytes done\n", job, r->bytes);
		status = EXIT_FAIL;
		break;
	default:
		break;
	}
	if (measurement_held_note(r, note, sizeof(note)))
		fprintf(stderr, "dsaio-user run: %s\n", note);
	if (r->errors) {
		fprintf(stderr, "dsaio-user run: %" PRIu64 " requests failed with I/O errors:\n",
			r->errors);
		print_errnos(stderr, r);
		status = EXIT_FAIL;
	}
	if (r->mismatches) {
		fprintf(stderr, "dsaio-user run: validation failed: %" PRIu64
			" logical blocks differ from the pattern, the first at byte %" PRIu64 "\n",
			r->mismatches, r->first_mismatch);
		status = EXIT_FAIL;
	}
	for (size_t i = 0; i < r->n_parts; i++) {
		const struct measurement_part *p = &r->parts[i];

		if (p->error)
			fprintf(stderr, "dsaio-user run: target %zu (%s) failed: %s\n",
				i + 1, p->target.path, strerror(-p->error));
		if (p->mismatches)
			fprintf(stderr, "dsaio-user run: target %zu (%s): %" PRIu64
				" logical blocks differ, the first at byte %" PRIu64 "\n",
				i + 1, p->target.path, p->mismatches, p->first_mismatch);
	}
	return status;
}

/*
 * Before the job, what the engine's limits say: it takes --fixed-buffers
 * and --fixed-files (a usage error if not), it measures files, and the
 * file fits the free space (the engine refuses it too, with -ENOSPC, but
 * only after the user waited for nothing). Only asked when one of them
 * matters. Says why on stderr; returns 0 or the exit status.
 */
static int check_limits(const struct dsaio_engine *eng, struct engine_ctx *ctx,
			const struct measure_request *rq)
{
	struct engine_limits lim;
	uint64_t free;
	char err[512];

	unsigned int n = measure_request_n_targets(rq), i;

	if (rq->kind != TARGET_FILE && !rq->fixed_buffers && !rq->fixed_files &&
	    !rq->poll && n == 1 && rq->params.processes == 1)
		return 0;
	if (eng->limits(ctx, &lim)) {
		fprintf(stderr, "dsaio-user run: %s\n", eng->errmsg(ctx));
		return EXIT_FAIL;
	}
	if (n > (lim.max_targets ? lim.max_targets : DSAIO_MAX_TARGETS))
		return cli_usage_error("run", "%u targets: %s measures at most %u together (--engine libaio or io_uring take %u)",
				       n, eng->who, lim.max_targets, DSAIO_MAX_TARGETS);
	if (lim.max_processes && rq->params.processes > lim.max_processes)
		return cli_usage_error("run", "--processes %u: %s takes at most %u (--engine libaio or io_uring take %u)",
				       rq->params.processes, eng->who, lim.max_processes,
				       DSAIO_MAX_PROCESSES);
	if ((rq->fixed_buffers || rq->fixed_files) && !lim.fixed)
		return cli_usage_error("run", "%s registers with io_uring; %s does not take it (--engine io_uring does)",
				       rq->fixed_buffers ? "--fixed-buffers" : "--fixed-files",
				       eng->who);
	if (rq->poll && !lim.poll)
		return cli_usage_error("run", "--poll polls the module's bios; %s does not take it (the kernel engine of a dsaio.ko with polled mode does)",
				       eng->who);
	if (rq->kind != TARGET_FILE)
		return 0;
	if (lim.no_files) {
		fprintf(stderr, "dsaio-user run: --dir: %s\n", lim.no_files);
		return EXIT_FAIL;
	}
	/* each handle has its own file in each directory */
	for (i = 0; i < n; i++)
		if (target_dir_free(rq->targets[i], &free, err, sizeof(err)) ||
		    target_check_room(rq->targets[i], rq->offset, rq->io_size,
				      rq->params.processes, free, err, sizeof(err))) {
			fprintf(stderr, "dsaio-user run: %s\n", err);
			return EXIT_FAIL;
		}
	return 0;
}

/* --engine NAME: one of the table's, or a usage error listing them. */
static int check_engine(const char *name)
{
	const char *known[DSAIO_MAX_ENGINES];
	size_t n = engine_list_known(dsaio_engine_at, known, DSAIO_MAX_ENGINES);
	char err[512];

	if (name && engine_name_check(name, known, n, err, sizeof(err)))
		return cli_usage_error("run", "%s", err);
	return 0;
}

/* The default failed without --engine: the engines that need no module. */
static void default_hint(void)
{
	const char *known[DSAIO_MAX_ENGINES];
	size_t n = engine_list_known(dsaio_engine_at, known, DSAIO_MAX_ENGINES);

	engine_default_hint(stderr, "run", known, n);
}

/* Prints why a measurement could not be made; returns EXIT_FAIL. */
static int measure_failed(const struct dsaio_engine *eng, struct engine_ctx *ctx,
			  struct measurement *m, int ret, const char *what)
{
	if (ret == -EINTR)
		fprintf(stderr, "dsaio-user run: interrupted%s\n",
			m->job_id ? "; the job is cancelled as dsaio-user exits" : "");
	else
		fprintf(stderr, "dsaio-user run: %s%s\n", what, eng->errmsg(ctx));
	measurement_free_details(m);
	return EXIT_FAIL;
}

/*
 * Several targets, before they run together: each alone, with the same
 * request, its E2E speed into sc (said on stderr as it goes). Any that
 * is refused or fails stops the run: the scaling rule needs them all.
 * Returns 0 or the exit status.
 */
static int measure_alone(const struct dsaio_engine *eng, struct engine_ctx *ctx,
			 const struct measure_request *rq, struct run_scaling *sc,
			 measure_progress_fn fn)
{
	unsigned int n = measure_request_n_targets(rq), i;

	for (i = 0; i < n; i++) {
		struct measure_request one = *rq;
		struct measurement m;
		char what[DSAIO_TARGET_PATH_MAX + 32];
		int ret;

		measure_request_keep_target(&one, i);
		snprintf(what, sizeof(what), "%s alone: ", rq->targets[i]);
		ret = eng->measure(ctx, &one, &m, fn, NULL);
		if (fn)
			fprintf(stderr, "\r\033[K");
		if (ret)
			return measure_failed(eng, ctx, &m, ret, what);
		if (!m.have_figures || m.state != MEAS_DONE || m.errors) {
			fprintf(stderr, "dsaio-user run: %s%s%s%s\n", what,
				measurement_state_name(m.state), m.error ? ": " : "",
				m.error ? strerror(-m.error) : m.errors ? ": I/O errors" : "");
			measurement_free_details(&m);
			return EXIT_FAIL;
		}
		sc->alone_gbs[i] = dsaio_gb_per_sec(m.bytes, m.e2e_ns);
		sc->noise = fmax(sc->noise, scaling_loop_spread(m.loop_stats, m.n_loop_stats));
		fprintf(stderr, "dsaio-user run: target %u alone (%s): %.3f GB/s E2E\n",
			i + 1, rq->targets[i], sc->alone_gbs[i]);
		measurement_free_details(&m);
	}
	return 0;
}

/* The rule over the alone speeds and the together total. */
static void assess_scaling(const struct measure_request *rq,
			   const struct measurement *m, struct run_scaling *sc)
{
	struct scaling_input in = {
		.op = rq->op, .n = measure_request_n_targets(rq),
		.together_gbs = dsaio_gb_per_sec(m->bytes, m->e2e_ns),
		.noise = sc->noise > SCALING_NOISE ? sc->noise : SCALING_NOISE,
	};
	unsigned int i;

	for (i = 0; i < in.n; i++) {
		in.name[i] = rq->targets[i];
		in.alone_gbs[i] = sc->alone_gbs[i];
	}
	sc->have = m->have_figures && !scaling_assess(&in, &sc->rep);
}

/*
 * --repeat N: N runs in a row; the median run (its times scaled to the
 * medians, repeats.h) is reported with the spread. A run that did not
 * end well is reported alone, as without --repeat. Closes the engine.
 */
static int run_repeats(const struct dsaio_engine *eng, struct engine_ctx *ctx,
		       struct measure_request *cfg, struct run_scaling *sc,
		       measure_progress_fn fn, uint32_t repeat, double confidence,
		       bool assess, bool json)
{
	struct measurement runs[DSAIO_REPEAT_MAX], med;
	struct dsaio_runs reps;
	uint32_t i, n = 0;
	size_t k;
	int ret, status;

	for (i = 0; i < repeat; i++) {
		ret = eng->measure(ctx, cfg, &runs[n], fn, NULL);
		if (fn)
			fprintf(stderr, "\r\033[K");
		if (ret) {
			status = measure_failed(eng, ctx, &runs[n], ret, "");
			goto out;
		}
		n++;
		if (!runs[n - 1].have_figures || runs[n - 1].state != MEAS_DONE ||
		    runs[n - 1].errors || runs[n - 1].mismatches) {
			status = report(eng, cfg, &runs[n - 1], sc, NULL, json);
			goto out;
		}
		fprintf(stderr, "dsaio-user run: repeat %u/%u: %.3f GB/s E2E\n", i + 1, repeat,
			dsaio_gb_per_sec(runs[n - 1].bytes, runs[n - 1].e2e_ns));
	}
	if (!dsaio_runs_gather(runs, n, &runs[0].params, cfg->op, confidence, &reps)) {
		status = report(eng, cfg, &runs[0], sc, NULL, json);
		goto out;
	}
	med = dsaio_runs_median(runs, &reps);
	if (assess)
		assess_scaling(cfg, &med, sc);
	status = report(eng, cfg, &med, sc, &reps, json);
out:
	for (k = 0; k < n; k++)
		measurement_free_details(&runs[k]);
	eng->close(ctx);
	return status;
}

int cmd_run(int argc, char **argv)
{
	enum { O_BS = 256, O_QD, O_SINGLE, O_SEQ, O_IOSIZE, O_OFFSET, O_LOOPS,
	       O_VALIDATE, O_SEED, O_ALLOW, O_NOHIST, O_JSON, O_OP,
	       O_THREADS, O_WARMUP, O_ENGINE, O_FIXBUF, O_FIXFILE, O_PROCS,
	       O_NOSCALE, O_REPEAT, O_CONFIDENCE, O_POLL, O_RANDOM };
	static const struct option opts[] = {
		TARGET_LONG_OPTIONS,
		{ "op", required_argument, NULL, O_OP },
		{ "block-size", required_argument, NULL, O_BS },
		{ "queue-depth", required_argument, NULL, O_QD },
		{ "threads", required_argument, NULL, O_THREADS },
		{ "io-parallel", required_argument, NULL, O_THREADS },
		{ "single-submit", no_argument, NULL, O_SINGLE },
		{ "sequential", no_argument, NULL, O_SEQ },
		{ "io-size", required_argument, NULL, O_IOSIZE },
		{ "offset", required_argument, NULL, O_OFFSET },
		{ "loops", required_argument, NULL, O_LOOPS },
		{ "warmup-loops", required_argument, NULL, O_WARMUP },
		{ "validate", no_argument, NULL, O_VALIDATE },
		{ "seed", required_argument, NULL, O_SEED },
		{ "allow-write", no_argument, NULL, O_ALLOW },
		{ "no-histogram", no_argument, NULL, O_NOHIST },
		{ "random", no_argument, NULL, O_RANDOM },
		{ "json", no_argument, NULL, O_JSON },
		{ "engine", required_argument, NULL, O_ENGINE },
		{ "fixed-buffers", no_argument, NULL, O_FIXBUF },
		{ "fixed-files", no_argument, NULL, O_FIXFILE },
		{ "poll", no_argument, NULL, O_POLL },
		{ "processes", required_argument, NULL, O_PROCS },
		{ "no-scaling", no_argument, NULL, O_NOSCALE },
		{ "repeat", required_argument, NULL, O_REPEAT },
		{ "confidence", required_argument, NULL, O_CONFIDENCE },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	struct measure_request cfg;
	struct target_args ta = { 0 };
	const struct dsaio_engine *eng;
	struct engine_ctx *ctx;
	struct measurement m;
	uint64_t bs = DEFAULT_BLOCK_SIZE;
	const char *engine = NULL;
	bool json = false, have_op = false, have_seed = false, scaling = true;
	struct run_scaling sc = { 0 };
	measure_progress_fn fn;
	char err[512];
	uint32_t repeat = 1;
	double confidence = DSAIO_CONFIDENCE;
	int c, ret, status;

	measure_request_init(&cfg);
	cfg.io_size = DEFAULT_IO_SIZE;
	cfg.params.queue_depth = DEFAULT_QUEUE_DEPTH;
	cfg.loops = DEFAULT_LOOPS;
	cfg.warmup_loops = DEFAULT_WARMUP_LOOPS;
	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case O_OP:
			if (!strcmp(optarg, "read"))
				cfg.op = OP_READ;
			else if (!strcmp(optarg, "write"))
				cfg.op = OP_WRITE;
			else
				return cli_usage_error("run", "--op must be read or write, not '%s'", optarg);
			have_op = true;
			break;
		case O_BS:
			if (dsaio_parse_size(optarg, &bs) || !bs || bs > UINT32_MAX)
				return cli_usage_error("run", "--block-size: '%s' is not a size like 128K or 1M (at most 4G-1)", optarg);
			break;
		case O_QD:
			if (dsaio_parse_u32(optarg, 1, UINT32_MAX, &cfg.params.queue_depth))
				return cli_usage_error("run", "--queue-depth: '%s' is not a number >= 1", optarg);
			break;
		case O_THREADS:
			if (dsaio_parse_u32(optarg, 1, UINT32_MAX, &cfg.params.io_parallel))
				return cli_usage_error("run", "--threads/--io-parallel: '%s' is not a number >= 1", optarg);
			break;
		case O_SINGLE:
			cfg.params.single_submit = true;
			break;
		case O_SEQ:
			cfg.params.overlap_events = false;
			break;
		case O_IOSIZE:
			if (dsaio_parse_size(optarg, &cfg.io_size) || !cfg.io_size)
				return cli_usage_error("run", "--io-size: '%s' is not a size like 400M or 1G", optarg);
			break;
		case O_OFFSET:
			if (dsaio_parse_size(optarg, &cfg.offset))
				return cli_usage_error("run", "--offset: '%s' is not a size like 0, 4K or 1G", optarg);
			break;
		case O_LOOPS:
			if (dsaio_parse_u32(optarg, 1, UINT32_MAX, &cfg.loops))
				return cli_usage_error("run", "--loops: '%s' is not a number >= 1", optarg);
			break;
		case O_WARMUP:
			if (dsaio_parse_u32(optarg, 0, UINT32_MAX, &cfg.warmup_loops))
				return cli_usage_error("run", "--warmup-loops: '%s' is not a number >= 0", optarg);
			break;
		case O_VALIDATE:
			cfg.validate = true;
			break;
		case O_SEED:
			if (dsaio_parse_u64(optarg, &cfg.seed))
				return cli_usage_error("run", "--seed: '%s' is not a number", optarg);
			have_seed = true;
			break;
		case O_ALLOW:
			cfg.allow_write = true;
			break;
		case O_NOHIST:
			cfg.histogram = false;
			break;
		case O_RANDOM:
			cfg.random = true;
			break;
		case O_JSON:
			json = true;
			break;
		case O_ENGINE:
			engine = optarg;
			break;
		case O_FIXBUF:
			cfg.fixed_buffers = true;
			break;
		case O_FIXFILE:
			cfg.fixed_files = true;
			break;
		case O_POLL:
			cfg.poll = true;
			break;
		case O_PROCS:
			if (dsaio_parse_u32(optarg, 1, DSAIO_MAX_PROCESSES, &cfg.params.processes))
				return cli_usage_error("run", "--processes: '%s' is not a number from 1 to %u",
						       optarg, DSAIO_MAX_PROCESSES);
			break;
		case O_NOSCALE:
			scaling = false;
			break;
		case O_REPEAT:
			if (dsaio_parse_u32(optarg, 1, DSAIO_REPEAT_MAX, &repeat))
				return cli_usage_error("run", "--repeat: '%s' is not a number from 1 to %d", optarg, DSAIO_REPEAT_MAX);
			break;
		case O_CONFIDENCE:
			if (dsaio_parse_confidence(optarg, &confidence))
				return cli_usage_error("run", "--confidence: '%s' is not a confidence from 0.5 to 0.999 (or 50%% to 99.9%%)", optarg);
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
		return cli_usage_error("run", "unexpected argument '%s'", argv[optind]);
	if (target_args_apply(&ta, &cfg, err, sizeof(err)))
		return cli_usage_error("run", "%s", err);
	status = check_engine(engine);
	if (status)
		return status;
	if (!have_op)
		return cli_usage_error("run", "--op read|write is required");
	if (have_seed && !cfg.validate && !cfg.random)
		return cli_usage_error("run", "--seed only makes sense with --validate or --random");
	/* A file target writes only dsaio's own file: nothing to confirm. */
	if (cfg.kind == TARGET_BDEV && cfg.op == OP_WRITE && !cfg.allow_write)
		return cli_usage_error("run", "a write destroys the data on %s in the region; pass --allow-write to confirm",
				       target_list(&cfg, err, sizeof(err)));
	if (cfg.poll && cfg.kind == TARGET_FILE)
		return cli_usage_error("run", "--poll polls a device's queues; a file (--dir) goes through its filesystem, use --dev");
	if (cfg.overwrite && cfg.op != OP_WRITE)
		return cli_usage_error("run", "--overwrite changes how writes use the file; it needs --op write");
	cfg.params.block_size = bs;
	if (target_resolve_dirs(&cfg, err, sizeof(err))) {
		fprintf(stderr, "dsaio-user run: %s\n", err);
		return EXIT_FAIL;
	}

	if (cli_catch_ctrl_c("run"))
		return EXIT_FAIL;
	eng = cli_engine_open("run", engine, &ctx);
	if (!eng) {
		if (!engine)
			default_hint();
		return EXIT_FAIL;
	}
	status = check_limits(eng, ctx, &cfg);
	if (status) {
		eng->close(ctx);
		return status;
	}
	fn = isatty(STDERR_FILENO) ? show_progress : NULL;
	if (scaling && measure_request_n_targets(&cfg) > 1) {
		status = measure_alone(eng, ctx, &cfg, &sc, fn);
		if (status) {
			eng->close(ctx);
			return status;
		}
	}
	if (repeat > 1)
		return run_repeats(eng, ctx, &cfg, &sc, fn, repeat, confidence,
				   scaling && measure_request_n_targets(&cfg) > 1, json);
	ret = eng->measure(ctx, &cfg, &m, fn, NULL);
	if (fn)
		fprintf(stderr, "\r\033[K");
	if (ret) {
		status = measure_failed(eng, ctx, &m, ret, "");
		eng->close(ctx);
		return status;
	}
	if (scaling && measure_request_n_targets(&cfg) > 1)
		assess_scaling(&cfg, &m, &sc);
	status = report(eng, &cfg, &m, &sc, NULL, json);
	measurement_free_details(&m);
	eng->close(ctx);
	return status;
}
