// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * `dsaio-user sweep`: DeepSpeed's aio_bench_perf_sweep.py in one command.
 * Every grid point is measured for writes (first, so that the reads find
 * real data in the region) and reads; one DeepSpeed-format log per run;
 * then the ranked table, the best "aio" block and a JSON summary.
 */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>
#include <json-c/json.h>
#include "blkdev.h"
#include "cli.h"
#include "dsconfig.h"
#include "interrupt.h"
#include "logfile.h"
#include "logname.h"
#include "engine.h"
#include "numarg.h"
#include "optimum.h"
#include "progress.h"
#include "report.h"
#include "sweepcfg.h"
#include "target.h"
#include "units.h"

/*
 * Default bytes per run: DeepSpeed's own sweep default (400M), so results
 * compare with its logs. A job never holds more buffer than its region,
 * so this also bounds the memory of the default grid's largest point
 * (8M blocks at queue depth 128) to 400 MiB, within the module's default
 * max_mem_mb; it is lowered further to the device's size and to max_mem_mb.
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
#define SUMMARY_NAME		"dsaio_sweep.json"

struct sweep {
	/* the target (kind, path, file options) every run measures */
	struct measure_request base;
	const char *log_dir, *output;
	uint64_t io_size, offset;
	uint32_t loops, warmup_loops;
	bool do_read, do_write, allow_write, json, legacy_keys, validate;
	unsigned int ops;		/* DSAIO_OP_BIT mask of the ops measured */
	enum dsaio_logname_scheme scheme;
	struct dsaio_grid grid;

	/* progress */
	bool tty;
	size_t run_no, runs;
	uint64_t bytes_before, bytes_total;	/* all runs planned */
	uint64_t start_ns;
	const char *cur_desc;

	/* results */
	struct measurement *res;
	char (*log_names)[256];
	size_t n_res;
	unsigned int failures;
	/* runs that gave no figure: op, parameters and why (never ranked) */
	struct dsaio_log_entry *fails;
	size_t n_fails;
};

static void help(FILE *f)
{
	fprintf(f, "Usage: dsaio-user sweep --dev DEV|--dir DIR [options]\n\n"
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
		"reason and never recommended; with none complete, no block is printed.\n\n");
	target_help_which(f);
	fprintf(f, "\n");
	target_help(f, 19);
	fprintf(f, "  --config FILE      DeepSpeed sweep JSON ('-' reads stdin); default: DeepSpeed's\n"
		"                     default grid (block_size 1M,8M; queue_depth 32,128;\n"
		"                     io_parallel 1,8; overlap; block submit)\n"
		"  --log-dir DIR      where the logs go (default " DEFAULT_LOG_DIR "): DIR/_aio_bench_write_logs/\n"
		"                     and DIR/_aio_bench_read_logs/\n"
		"  --log-names 2021|current  DeepSpeed file-name scheme (default 2021, read by\n"
		"                     csrc/aio/py_test/parse_aio_stats.py)\n"
		"  --io-size SIZE     bytes per run (default 400M as in DeepSpeed, lowered to\n"
		"                     the device size minus --offset and to max_mem_mb; with\n"
		"                     --dir the file, --offset + SIZE, must fit the free space)\n"
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
		"  --json             print the JSON summary instead of the table\n"
		"  --output FILE      JSON summary file (default LOG_DIR/" SUMMARY_NAME ")\n"
		"  --legacy-keys      \"thread_count\" (read by DeepSpeed up to 0.16.3) instead of\n"
		"                     \"intra_op_parallelism\" (0.16.4 and later)\n\n"
		"Ctrl-C cancels the running job and keeps the logs written so far.\n\n"
		"Examples (DeepSpeed's nvme_path, the files it swaps to; the raw device):\n"
		"  sudo dsaio-user sweep --dir /mnt/nvme --io-size 1G\n"
		"  sudo dsaio-user sweep --dev /dev/nvme0n1 --allow-write --log-dir nvme0_logs\n");
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

/* mkdir -p for a relative or absolute path. */
static int mkdir_p(const char *path)
{
	char buf[4096];
	size_t i, len = strlen(path);

	if (len == 0 || len >= sizeof(buf))
		return -ENAMETOOLONG;
	memcpy(buf, path, len + 1);
	for (i = 1; i <= len; i++) {
		if (buf[i] != '/' && buf[i] != '\0')
			continue;
		buf[i] = '\0';
		if (mkdir(buf, 0777) && errno != EEXIST)
			return -errno;
		buf[i] = path[i];
	}
	return 0;
}

static const char *op_dir(enum dsaio_user_op op)
{
	return op == OP_WRITE ? "_aio_bench_write_logs" : "_aio_bench_read_logs";
}

static void describe(const struct dsaio_params *p, enum dsaio_user_op op,
		     char *buf, size_t len)
{
	snprintf(buf, len, "%s bs=%s qd=%u p=%u %s %s",
		 op == OP_WRITE ? "write" : "read", p->block_size_str,
		 p->queue_depth, p->io_parallel,
		 p->single_submit ? "single" : "block",
		 p->overlap_events ? "overlap" : "sequential");
}

/*
 * A run that gave no figure: counted, said on stderr, and kept with its
 * reason so that the ranking excludes its point and the summary lists it.
 */
static void run_failed(struct sweep *s, const struct dsaio_params *p,
		       enum dsaio_user_op op, const char *desc,
		       const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static void run_failed(struct sweep *s, const struct dsaio_params *p,
		       enum dsaio_user_op op, const char *desc,
		       const char *fmt, ...)
{
	struct dsaio_log_entry *e = &s->fails[s->n_fails++];
	va_list ap;

	memset(e, 0, sizeof(*e));
	e->op = op;
	e->params = *p;
	e->failed = true;
	va_start(ap, fmt);
	vsnprintf(e->failure, sizeof(e->failure), fmt, ap);
	va_end(ap);
	fprintf(stderr, "%sdsaio-user sweep: %s: %s; no log written\n",
		s->tty ? "\r\033[K" : "", desc, e->failure);
	s->failures++;
}

static void draw_bar(struct sweep *s, uint64_t cur_done)
{
	char bar[40], done[24], total[24], eta[16];
	uint64_t all = s->bytes_before + cur_done;
	double el = (now_ns() - s->start_ns) / 1e9;
	double frac = s->bytes_total ? (double)all / s->bytes_total : 0;

	dsaio_format_bar(frac, 20, bar, sizeof(bar));
	dsaio_format_bytes(all, done, sizeof(done));
	dsaio_format_bytes(s->bytes_total, total, sizeof(total));
	dsaio_format_duration(dsaio_eta(all, s->bytes_total, el), eta, sizeof(eta));
	fprintf(stderr, "\r%s %zu/%zu %s  %s/%s  ETA %s\033[K", bar, s->run_no,
		s->runs, s->cur_desc, done, total, eta);
	fflush(stderr);
}

static void on_progress(const struct measure_progress *p, void *arg)
{
	struct sweep *s = arg;

	if (s->tty)
		draw_bar(s, p->bytes_done);
}

/* Writes the run's log; 0 or -errno (reported here). */
static int write_log(struct sweep *s, const struct measurement *r, char *name,
		     size_t namelen)
{
	char path[4096];
	FILE *f;
	int ret;

	ret = dsaio_logname_format(s->scheme, r->op, &r->params, name, namelen);
	if (ret) {
		fprintf(stderr, "dsaio-user sweep: cannot name the log of %s: %s\n",
			s->cur_desc, strerror(-ret));
		return ret;
	}
	if ((size_t)snprintf(path, sizeof(path), "%s/%s/%s", s->log_dir,
			     op_dir(r->op), name) >= sizeof(path)) {
		fprintf(stderr, "dsaio-user sweep: log path too long under %s\n", s->log_dir);
		return -ENAMETOOLONG;
	}
	f = fopen(path, "w");
	if (!f) {
		ret = -errno;
		fprintf(stderr, "dsaio-user sweep: cannot write %s: %m\n", path);
		return ret;
	}
	ret = dsaio_log_write(f, s->base.target, r);
	if (fclose(f) && !ret)
		ret = -errno;
	if (ret) {
		fprintf(stderr, "dsaio-user sweep: writing %s failed: %s\n", path,
			strerror(-ret));
		return ret;
	}
	return 0;
}

/*
 * One run. Returns 0 (measured, or failed and counted), 1 when interrupted,
 * or a negative errno when the sweep cannot go on.
 */
static int run_point(struct sweep *s, const struct dsaio_engine *eng,
		     struct engine_ctx *ctx, const struct dsaio_params *p,
		     enum dsaio_user_op op)
{
	struct measure_request rq;
	struct measurement r;
	char desc[128];
	int ret;

	describe(p, op, desc, sizeof(desc));
	s->cur_desc = desc;
	if (s->tty)
		draw_bar(s, 0);
	if (p->block_size > UINT32_MAX) {
		run_failed(s, p, op, desc, "block size %s too large", p->block_size_str);
		return 0;
	}
	rq = s->base;
	rq.op = op;
	rq.params = *p;
	rq.offset = s->offset;
	rq.io_size = s->io_size;
	rq.loops = s->loops;
	rq.warmup_loops = s->warmup_loops;
	rq.allow_write = op == OP_WRITE;	/* the engine drops it for files */
	rq.overwrite = s->base.overwrite && op == OP_WRITE;	/* reads: no effect */
	rq.validate = s->validate;

	ret = eng->measure(ctx, &rq, &r, on_progress, s);
	measurement_free_details(&r);	/* a sweep keeps the figures only */
	if (s->tty)
		fprintf(stderr, "\r\033[K");
	if (ret == -EINTR)
		return 1;
	if (ret) {
		/* A refused point (bad value, memory) does not stop the sweep. */
		if (ret == -EINVAL || ret == -ENOMEM || ret == -ERANGE || ret == -E2BIG) {
			run_failed(s, p, op, desc, "refused by %s: %s", eng->who,
				   eng->errmsg(ctx));
			return 0;
		}
		fprintf(stderr, "dsaio-user sweep: %s: %s\n", desc, eng->errmsg(ctx));
		return ret;
	}
	if (r.state == MEAS_CANCELLED && dsaio_interrupted)
		return 1;
	if (!r.have_figures || r.state != MEAS_DONE || r.errors) {
		char errs[64] = "";

		if (r.have_figures && r.errors)
			snprintf(errs, sizeof(errs), ", %" PRIu64 " I/O errors",
				 r.errors);
		run_failed(s, p, op, desc, "job %u %s%s%s%s", r.job_id,
			   r.state == MEAS_FAILED ? "FAILED" :
			   measurement_state_name(r.state),
			   r.error ? ": " : "", r.error ? strerror(-r.error) : "",
			   errs);
		return 0;
	}
	if (r.mismatches) {
		run_failed(s, p, op, desc, "job %u validation failed: %" PRIu64
			   " logical blocks differ from the pattern, the first at byte %"
			   PRIu64, r.job_id, r.mismatches, r.first_mismatch);
		return 0;
	}
	r.params = *p;		/* as given in the grid: "1M" names the log */
	if (write_log(s, &r, s->log_names[s->n_res], sizeof(s->log_names[0])))
		s->failures++;
	s->res[s->n_res++] = r;
	fprintf(stderr, "[%zu/%zu] %s: %.3f GB/s E2E, %.3f GB/s task, setup %.3f s",
		s->run_no, s->runs, desc, dsaio_gb_per_sec(r.bytes, r.e2e_ns),
		dsaio_gb_per_sec(r.bytes, r.task_ns), r.setup_ns / 1e9);
	if (r.have_pct)
		fprintf(stderr, ", p99 %.1f us", r.pct.p99 / 1e3);
	fprintf(stderr, "\n");
	return 0;
}

/*
 * The target every run measured, from the first run the engine described
 * (all share the device, filesystem and alignment; each run of a file
 * sweep has its own file, named in its point), else as given.
 */
static struct measurement_target sweep_target(const struct sweep *s)
{
	struct measurement_target t = { .kind = s->base.kind };
	size_t i;

	for (i = 0; i < s->n_res; i++)
		if (s->res[i].target.have_details)
			return s->res[i].target;
	snprintf(t.path, sizeof(t.path), "%s", s->base.target);
	return t;
}

static json_object *summary_json(struct sweep *s, bool complete,
				 const struct dsaio_ranked *rk, int n_rk,
				 size_t n_complete)
{
	struct measurement_target tgt = sweep_target(s);
	bool file = s->base.kind == TARGET_FILE;
	json_object *excl;
	json_object *o = json_object_new_object(), *pts = json_object_new_array();
	size_t i;

	if (!o || !pts) {
		json_object_put(o);
		json_object_put(pts);
		return NULL;
	}
	/* "device" as before files; a directory is not a device */
	json_object_object_add(o, file ? "dir" : "device",
			       json_object_new_string(s->base.target));
	json_object_object_add(o, "target", dsaio_target_json(&tgt, false));
	json_object_object_add(o, "io_size", json_object_new_uint64(s->io_size));
	json_object_object_add(o, "offset", json_object_new_uint64(s->offset));
	json_object_object_add(o, "loops", json_object_new_int64(s->loops));
	json_object_object_add(o, "warmup_loops", json_object_new_int64(s->warmup_loops));
	json_object_object_add(o, "log_dir", json_object_new_string(s->log_dir));
	json_object_object_add(o, "complete", json_object_new_boolean(complete));
	json_object_object_add(o, "failures", json_object_new_int64(s->failures));
	for (i = 0; i < s->n_res; i++) {
		json_object *p = dsaio_result_json(&s->res[i]);

		if (!p) {
			json_object_put(pts);
			json_object_put(o);
			return NULL;
		}
		json_object_object_add(p, "log", json_object_new_string(s->log_names[i]));
		if (file && s->res[i].target.have_details)
			json_object_object_add(p, "file",
					       json_object_new_string(s->res[i].target.file));
		json_object_array_add(pts, p);
	}
	json_object_object_add(o, "points", pts);
	excl = dsaio_excluded_json(rk, n_rk > 0 ? (size_t)n_rk : 0);
	if (!excl) {
		json_object_put(o);
		return NULL;
	}
	json_object_object_add(o, "excluded", excl);
	json_object_object_add(o, "validate", json_object_new_boolean(s->validate));
	/* Only a complete point is ever recommended. */
	if (n_complete > 0)
		json_object_object_add(o, "optimal",
				       dsaio_aio_config(&rk[0].params, s->legacy_keys));
	return o;
}

/* Writes the summary beside its final name, then renames it over. */
static int write_summary(const char *path, json_object *o)
{
	char tmp[4096];
	const char *text = json_object_to_json_string_ext(o, DSAIO_JSON_PRETTY);
	FILE *f;
	int ret = 0;

	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= sizeof(tmp)) {
		fprintf(stderr, "dsaio-user sweep: output path too long: %s\n", path);
		return -ENAMETOOLONG;
	}
	f = fopen(tmp, "w");
	if (!f) {
		ret = -errno;
		fprintf(stderr, "dsaio-user sweep: cannot write %s: %m\n", tmp);
		return ret;
	}
	if (fprintf(f, "%s\n", text) < 0)
		ret = -EIO;
	if (fclose(f) && !ret)
		ret = -errno;
	if (!ret && rename(tmp, path))
		ret = -errno;
	if (ret) {
		fprintf(stderr, "dsaio-user sweep: cannot write %s: %s\n", path, strerror(-ret));
		unlink(tmp);
	}
	return ret;
}

/* Ranking, table, "aio" block and summary; returns 0 or -1. */
static int finish(struct sweep *s, bool complete)
{
	size_t n_e = s->n_res + s->n_fails;
	struct dsaio_log_entry *e = calloc(n_e ? n_e : 1, sizeof(*e));
	struct dsaio_ranked *rk = NULL;
	char outpath[4096];
	json_object *sum;
	int n_rk = 0, ret = 0;
	size_t i, n_complete = 0;

	if (!e) {
		fprintf(stderr, "dsaio-user sweep: out of memory\n");
		return -1;
	}
	/* The same entries DeepSpeed's parser would read back from the logs. */
	for (i = 0; i < s->n_res; i++) {
		const struct measurement *r = &s->res[i];

		snprintf(e[i].name, sizeof(e[i].name), "%s", s->log_names[i]);
		e[i].op = r->op;
		e[i].params = r->params;
		e[i].have_task = true;
		e[i].task_latency_s = r->task_ns / 1e9;
		e[i].task_speed_gbs = dsaio_gb_per_sec(r->bytes, r->task_ns);
		e[i].e2e_latency_s = r->e2e_ns / 1e9;
		e[i].e2e_speed_gbs = dsaio_gb_per_sec(r->bytes, r->e2e_ns);
	}
	/* The failed runs: their points are excluded, with the reason. */
	memcpy(e + s->n_res, s->fails, s->n_fails * sizeof(*e));
	if (n_e) {
		n_rk = dsaio_rank(e, n_e, s->ops, &rk, &n_complete);
		if (n_rk < 0) {
			fprintf(stderr, "dsaio-user sweep: ranking failed: %s\n", strerror(-n_rk));
			free(e);
			return -1;
		}
	}
	free(e);
	sum = summary_json(s, complete, rk, n_rk, n_complete);
	if (!sum) {
		fprintf(stderr, "dsaio-user sweep: out of memory building the summary\n");
		free(rk);
		return -1;
	}
	if (s->output)
		snprintf(outpath, sizeof(outpath), "%s", s->output);
	else
		snprintf(outpath, sizeof(outpath), "%s/%s", s->log_dir, SUMMARY_NAME);
	if (write_summary(outpath, sum))
		ret = -1;
	if (s->json) {
		printf("%s\n", json_object_to_json_string_ext(sum, DSAIO_JSON_PRETTY));
	} else if (complete && n_rk > 0) {
		json_object *aio = n_complete ?
			dsaio_aio_config(&rk[0].params, s->legacy_keys) : NULL;

		printf("\n");
		dsaio_report_ranked(stdout, rk, (size_t)n_rk, 0);
		if (!n_complete) {
			/* reported below */
		} else if (!aio) {
			fprintf(stderr, "dsaio-user sweep: out of memory\n");
			ret = -1;
		} else {
			printf("\nBest configuration (highest read + write E2E speed):\n%s\n",
			       json_object_to_json_string_ext(aio, DSAIO_JSON_PRETTY));
			json_object_put(aio);
		}
	}
	if (complete && !n_complete) {
		fprintf(stderr, "dsaio-user sweep: no complete point: every point has a failed or missing run (%d excluded, see above), so there is no \"aio\" block to recommend\n",
			n_rk);
		ret = -1;
	}
	if (!ret || (complete && !n_complete))
		fprintf(stderr, "logs in %s/, summary in %s\n", s->log_dir, outpath);
	json_object_put(sum);
	free(rk);
	return ret;
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

/* A default io_size no larger than the buffers the module allows. */
static void lower_to_mem(struct sweep *s, uint32_t max_mem_mb)
{
	if (max_mem_mb && s->io_size > ((uint64_t)max_mem_mb << 20)) {
		s->io_size = (uint64_t)max_mem_mb << 20;
		fprintf(stderr, "dsaio-user sweep: the module allows %u MiB of buffers (max_mem_mb): %"
			PRIu64 " bytes per run\n", max_mem_mb, s->io_size);
	}
}

/* Picks the region size and checks it fits the device and the module. */
static int check_device(struct sweep *s, bool io_size_given, uint32_t max_mem_mb)
{
	const char *dev = s->base.target;
	uint64_t size, room;
	char err[512];

	if (dsaio_blkdev_size(dev, &size, err, sizeof(err))) {
		fprintf(stderr, "dsaio-user sweep: %s\n", err);
		return -1;
	}
	if (s->offset >= size) {
		fprintf(stderr, "dsaio-user sweep: --offset %" PRIu64 " is beyond the end of %s (%"
			PRIu64 " bytes)\n", s->offset, dev, size);
		return -1;
	}
	room = size - s->offset;
	if (io_size_given) {
		if (s->io_size > room) {
			fprintf(stderr, "dsaio-user sweep: --io-size %" PRIu64 " does not fit %s: only %"
				PRIu64 " bytes from offset %" PRIu64 "\n",
				s->io_size, dev, room, s->offset);
			return -1;
		}
		return 0;
	}
	lower_to_mem(s, max_mem_mb);
	if (s->io_size > room) {
		/* Whole 4 KiB blocks: a multiple of any logical block size. */
		s->io_size = room & ~4095ULL;
		if (!s->io_size) {
			fprintf(stderr, "dsaio-user sweep: %s has less than 4 KiB after offset %" PRIu64 "\n",
				dev, s->offset);
			return -1;
		}
		fprintf(stderr, "dsaio-user sweep: %s is small: %" PRIu64 " bytes per run\n",
			dev, s->io_size);
	}
	return 0;
}

/*
 * The same for a directory: the engine measures files, and each run's
 * file (every one of them, with --keep-files) fits the free space. The
 * module refuses a file that does not fit, but only run by run.
 */
static int check_dir(struct sweep *s, bool io_size_given,
		     const struct engine_limits *lim)
{
	const char *dir = s->base.target;
	uint64_t free;
	char err[512];

	if (lim->no_files) {
		fprintf(stderr, "dsaio-user sweep: --dir: %s\n", lim->no_files);
		return -1;
	}
	if (!io_size_given)
		lower_to_mem(s, lim->max_mem_mb);
	if (target_dir_free(dir, &free, err, sizeof(err)) ||
	    target_check_room(dir, s->offset, s->io_size,
			      s->base.keep_files ? s->runs : 1, free, err,
			      sizeof(err))) {
		fprintf(stderr, "dsaio-user sweep: %s\n", err);
		return -1;
	}
	return 0;
}

static int check_region(struct sweep *s, bool io_size_given,
			const struct engine_limits *lim)
{
	if (s->base.kind == TARGET_FILE)
		return check_dir(s, io_size_given, lim);
	return check_device(s, io_size_given, lim->max_mem_mb);
}

int cmd_sweep(int argc, char **argv)
{
	enum { O_CONFIG = 256, O_LOGDIR, O_IOSIZE, O_LOOPS, O_OFFSET,
	       O_NOREAD, O_NOWRITE, O_ALLOW, O_JSON, O_OUTPUT, O_LEGACY, O_NAMES,
	       O_VALIDATE, O_WARMUP };
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
		{ "json", no_argument, NULL, O_JSON },
		{ "output", required_argument, NULL, O_OUTPUT },
		{ "legacy-keys", no_argument, NULL, O_LEGACY },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	struct sweep s = {
		.log_dir = DEFAULT_LOG_DIR, .io_size = DEFAULT_IO_SIZE, .loops = 1,
		.warmup_loops = 1,
		.do_read = true, .do_write = true, .scheme = LOGNAME_2021,
	};
	struct target_args ta = { 0 };
	const char *config = NULL;
	char err[512];
	bool io_size_given = false, interrupted = false, writes_ok;
	enum dsaio_user_op ops[2];
	size_t n_ops = 0, i, k;
	const struct dsaio_engine *eng = NULL;
	struct engine_ctx *ctx = NULL;
	struct engine_limits lim;
	int c, ret, status = EXIT_OK;

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
		case O_JSON:
			s.json = true;
			break;
		case O_OUTPUT:
			s.output = optarg;
			break;
		case O_LEGACY:
			s.legacy_keys = true;
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
	if (s.base.overwrite && !s.do_write)
		return cli_usage_error("sweep", "--overwrite changes how writes use the file, and --no-write leaves none");
	if (s.do_write && writes_ok)
		ops[n_ops++] = OP_WRITE;	/* first: reads then find real data */
	if (s.do_read)
		ops[n_ops++] = OP_READ;
	/* A point is complete when each of these measured. */
	for (k = 0; k < n_ops; k++)
		s.ops |= DSAIO_OP_BIT(ops[k]);
	if (!n_ops)
		return cli_usage_error("sweep", "%s", s.do_write && !writes_ok ?
				       "nothing to measure: reads are off (--no-read) and writes need --allow-write" :
				       "nothing to measure: both --no-read and --no-write were given");

	if (s.base.kind == TARGET_FILE &&
	    target_resolve_dir(ta.dir, s.base.target, sizeof(s.base.target),
			       err, sizeof(err))) {
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
	if (cli_catch_ctrl_c("sweep") ||
	    !(eng = cli_engine_open("sweep", NULL, &ctx))) {
		dsaio_grid_free(&s.grid);
		return EXIT_FAIL;
	}
	if (eng->limits(ctx, &lim)) {
		fprintf(stderr, "dsaio-user sweep: %s\n", eng->errmsg(ctx));
		status = EXIT_FAIL;
		goto out;
	}
	s.runs = s.grid.n * n_ops;
	if (check_region(&s, io_size_given, &lim)) {
		status = EXIT_FAIL;
		goto out;
	}
	for (k = 0; k < n_ops; k++) {
		char dir[4096];

		snprintf(dir, sizeof(dir), "%s/%s", s.log_dir, op_dir(ops[k]));
		ret = mkdir_p(dir);
		if (ret) {
			fprintf(stderr, "dsaio-user sweep: cannot create %s: %s\n", dir, strerror(-ret));
			status = EXIT_FAIL;
			goto out;
		}
	}
	s.res = calloc(s.runs, sizeof(*s.res));
	s.log_names = calloc(s.runs, sizeof(*s.log_names));
	s.fails = calloc(s.runs, sizeof(*s.fails));
	if (!s.res || !s.log_names || !s.fails) {
		fprintf(stderr, "dsaio-user sweep: out of memory\n");
		status = EXIT_FAIL;
		goto out;
	}
	if (s.do_write && !writes_ok)
		fprintf(stderr, "dsaio-user sweep: writes skipped: they destroy the data in the region; pass --allow-write to measure them\n");
	s.tty = isatty(STDERR_FILENO);
	s.bytes_total = (uint64_t)s.runs * s.io_size * (s.loops + s.warmup_loops);
	s.start_ns = now_ns();
	fprintf(stderr, "sweeping %s%s: %zu points x %zu ops, %" PRIu64 " bytes per run, %u loop(s) after %u warm-up loop(s)\n",
		s.base.kind == TARGET_FILE ? "a file in " : "", s.base.target, s.grid.n, n_ops, s.io_size, s.loops, s.warmup_loops);
	for (k = 0; k < n_ops && !interrupted; k++) {
		for (i = 0; i < s.grid.n; i++) {
			s.run_no++;
			ret = run_point(&s, eng, ctx, &s.grid.points[i], ops[k]);
			if (ret == 1 || dsaio_interrupted) {
				interrupted = true;
				break;
			}
			if (ret < 0) {
				status = EXIT_FAIL;
				interrupted = true;	/* cannot go on */
				break;
			}
			s.bytes_before += s.io_size * (s.loops + s.warmup_loops);
		}
	}
	eng->close(ctx);
	ctx = NULL;
	if (interrupted && status == EXIT_OK) {
		fprintf(stderr, "dsaio-user sweep: interrupted after %zu of %zu runs; the %zu logs so far are kept in %s/\n",
			s.run_no ? s.run_no - 1 : 0, s.runs, s.n_res, s.log_dir);
		status = EXIT_FAIL;
	}
	if (finish(&s, !interrupted))
		status = EXIT_FAIL;
	if (s.failures) {
		fprintf(stderr, "dsaio-user sweep: %u run(s) failed (see above)\n", s.failures);
		status = EXIT_FAIL;
	}
out:
	if (eng)
		eng->close(ctx);
	free(s.res);
	free(s.log_names);
	free(s.fails);
	dsaio_grid_free(&s.grid);
	return status;
}
