// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * One engine's pass of `dsaio-user sweep` over the grid (cmd_sweep.h):
 * every point for writes (first, so that the reads find real data in the
 * region) and reads, one DeepSpeed-format log per run, the progress bar
 * and one line per run on stderr.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "cmd_sweep.h"
#include "interrupt.h"
#include "progress.h"
#include "report.h"
#include "target.h"
#include "units.h"

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

const char *sweep_op_dir(enum dsaio_user_op op)
{
	return op == OP_WRITE ? "_aio_bench_write_logs" : "_aio_bench_read_logs";
}

/* "libaio write bs=1M qd=32 p=8 block overlap": a run, in one line. */
static void describe(const struct sweep_pass *ps, const struct dsaio_params *p,
		     enum dsaio_user_op op, char *buf, size_t len)
{
	char t[16] = "";

	if (p->processes > 1)
		snprintf(t, sizeof(t), " t=%u", p->processes);
	snprintf(buf, len, "%s %s bs=%s qd=%u p=%u%s %s %s", ps->eng->name,
		 op == OP_WRITE ? "write" : "read", p->block_size_str,
		 p->queue_depth, p->io_parallel, t,
		 p->single_submit ? "single" : "block",
		 p->overlap_events ? "overlap" : "sequential");
}

/*
 * A run that gave no figure: counted, said on stderr, and kept with its
 * reason so that the ranking excludes its point and the summary lists it.
 */
static void run_failed(struct sweep *s, struct sweep_pass *ps,
		       const struct dsaio_params *p, enum dsaio_user_op op,
		       const char *desc, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));

static void run_failed(struct sweep *s, struct sweep_pass *ps,
		       const struct dsaio_params *p, enum dsaio_user_op op,
		       const char *desc, const char *fmt, ...)
{
	struct dsaio_log_entry *e = &ps->fails[ps->n_fails++];
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
	ps->failures++;
}

static void draw_bar(struct sweep *s, uint64_t cur_done)
{
	char bar[40], done[24], total[24], eta[16];
	uint64_t all = s->bytes_before + cur_done;
	double el = (dsaio_now_ns() - s->start_ns) / 1e9;
	double frac = s->bytes_total ? (double)all / s->bytes_total : 0;

	dsaio_format_bar(frac, 20, bar, sizeof(bar));
	dsaio_format_bytes(all, done, sizeof(done));
	dsaio_format_bytes(s->bytes_total, total, sizeof(total));
	dsaio_format_duration(dsaio_eta(all, s->bytes_total, el), eta, sizeof(eta));
	fprintf(stderr, "\r%s %zu/%zu %s  %s/%s  ETA %s\033[K", bar, s->run_no,
		s->runs, s->cur_desc, done, total, eta);
	fflush(stderr);
}

/*
 * The bar counts every run as io_size x loops; a run on several targets
 * or with several threads moves that many times the bytes, so the run's
 * share comes from its own total.
 */
static void on_progress(const struct measure_progress *p, void *arg)
{
	struct sweep *s = arg;
	uint64_t run = s->io_size * (s->loops + s->warmup_loops);
	uint64_t cur = p->bytes_done;

	if (!s->tty)
		return;
	if (p->bytes_total)
		cur = (uint64_t)((double)run * p->bytes_done / p->bytes_total);
	draw_bar(s, cur < run ? cur : run);
}

/* Writes the run's log; 0 or -errno (reported here). */
static int write_log(struct sweep *s, struct sweep_pass *ps,
		     const struct measurement *r, const struct dsaio_runs *reps,
		     char *name, size_t namelen)
{
	char path[8192];
	FILE *f;
	int ret;

	struct dsaio_params named = r->params;
	char devs[DSAIO_MAX_TARGETS * (DSAIO_TARGET_PATH_MAX + 2)];

	/* DeepSpeed's t / ftd: the processes doing I/O, over every target */
	named.processes *= measure_request_n_targets(&s->base);
	ret = dsaio_logname_format(s->scheme, r->op, &named, name, namelen);
	if (ret) {
		fprintf(stderr, "dsaio-user sweep: cannot name the log of %s: %s\n",
			s->cur_desc, strerror(-ret));
		return ret;
	}
	if ((size_t)snprintf(path, sizeof(path), "%s/%s/%s", ps->log_dir,
			     sweep_op_dir(r->op), name) >= sizeof(path)) {
		fprintf(stderr, "dsaio-user sweep: log path too long under %s\n", ps->log_dir);
		return -ENAMETOOLONG;
	}
	f = fopen(path, "w");
	if (!f) {
		ret = -errno;
		fprintf(stderr, "dsaio-user sweep: cannot write %s: %m\n", path);
		return ret;
	}
	ret = dsaio_log_write(f, target_list(&s->base, devs, sizeof(devs)), ps->eng->name, r);
	if (!ret && reps && (dsaio_runs_log_lines(f, r->op, reps) < 0 || fflush(f)))
		ret = errno ? -errno : -EIO;
	if (fclose(f) && !ret)
		ret = -errno;
	if (ret) {
		fprintf(stderr, "dsaio-user sweep: writing %s failed: %s\n", path,
			strerror(-ret));
		return ret;
	}
	return 0;
}

void sweep_request(const struct sweep *s, const struct sweep_pass *ps,
		   const struct dsaio_params *p, enum dsaio_user_op op,
		   struct measure_request *rq)
{
	*rq = s->base;
	rq->op = op;
	rq->params = *p;
	rq->offset = s->offset;
	rq->io_size = s->io_size;
	rq->loops = s->loops;
	rq->warmup_loops = s->warmup_loops;
	rq->allow_write = op == OP_WRITE;	/* the engine drops it for files */
	rq->overwrite = s->base.overwrite && op == OP_WRITE;	/* reads: no effect */
	rq->validate = s->validate;
	rq->random = s->random;
	rq->fixed_buffers = ps->fixed_buffers;
	rq->fixed_files = ps->fixed_files;
	rq->poll = ps->poll;
}

/*
 * One run. Returns 0 (measured, or failed and counted), 1 when interrupted,
 * or a negative errno when the sweep cannot go on.
 */
int sweep_run_point(struct sweep *s, struct sweep_pass *ps,
		    const struct dsaio_params *p, enum dsaio_user_op op)
{
	const struct dsaio_engine *eng = ps->eng;
	struct measure_request rq;
	struct measurement r;
	char desc[160], job[32];
	int ret;

	describe(ps, p, op, desc, sizeof(desc));
	s->cur_desc = desc;
	if (s->tty)
		draw_bar(s, 0);
	if (p->block_size > UINT32_MAX) {
		run_failed(s, ps, p, op, desc, "block size %s too large", p->block_size_str);
		return 0;
	}
	sweep_request(s, ps, p, op, &rq);

	ret = eng->measure(ps->ctx, &rq, &r, on_progress, s);
	/* a sweep keeps the figures only, and each target's */
	/* (one part is the measurement itself: none kept) */
	if (r.n_parts < 2 || r.n_parts > DSAIO_MAX_TARGETS)
		r.n_parts = 0;
	if (r.n_parts)
		memcpy(ps->parts[ps->n_res], r.parts, r.n_parts * sizeof(*r.parts));
	{
		size_t n_parts = r.n_parts;

		measurement_free_details(&r);
		r.n_parts = n_parts;
		r.parts = n_parts ? ps->parts[ps->n_res] : NULL;
	}
	if (s->tty)
		fprintf(stderr, "\r\033[K");
	if (ret == -EINTR)
		return 1;
	if (ret) {
		/* A refused point (bad value, memory) does not stop the sweep. */
		if (ret == -EINVAL || ret == -ENOMEM || ret == -ERANGE || ret == -E2BIG) {
			run_failed(s, ps, p, op, desc, "refused by %s: %s", eng->who,
				   eng->errmsg(ps->ctx));
			return 0;
		}
		fprintf(stderr, "dsaio-user sweep: %s: %s\n", desc, eng->errmsg(ps->ctx));
		return ret;
	}
	if (r.state == MEAS_CANCELLED && dsaio_interrupted)
		return 1;
	dsaio_job_label(&r, job, sizeof(job));
	if (!r.have_figures || r.state != MEAS_DONE || r.errors) {
		char errs[64] = "";

		if (r.have_figures && r.errors)
			snprintf(errs, sizeof(errs), ", %" PRIu64 " I/O errors",
				 r.errors);
		run_failed(s, ps, p, op, desc, "%s %s%s%s%s", job,
			   r.state == MEAS_FAILED ? "FAILED" :
			   measurement_state_name(r.state),
			   r.error ? ": " : "", r.error ? strerror(-r.error) : "",
			   errs);
		return 0;
	}
	if (r.mismatches) {
		run_failed(s, ps, p, op, desc, "%s: validation failed: %" PRIu64
			   " logical blocks differ from the pattern, the first at byte %"
			   PRIu64, job, r.mismatches, r.first_mismatch);
		return 0;
	}
	r.params = *p;		/* as given in the grid: "1M" names the log */
	/* with repeats the log is the median's, written after the passes */
	if (s->repeat < 2 && !s->defer_logs &&
	    write_log(s, ps, &r, NULL, ps->log_names[ps->n_res], sizeof(ps->log_names[0])))
		ps->failures++;
	ps->res[ps->n_res++] = r;
	if (s->search)
		fprintf(stderr, "[round %u, pass %u, io %" PRIu64 "] ", s->search_round,
			s->search_pass, s->io_size);
	else if (s->repeat > 1)
		fprintf(stderr, "[pass %u/%u] ", s->pass_no, s->repeat);
	fprintf(stderr, "[%zu/%zu] %s: %.3f GB/s E2E, %.3f GB/s task, setup %.3f s",
		s->run_no, s->runs, desc, dsaio_gb_per_sec(r.bytes, r.e2e_ns),
		dsaio_gb_per_sec(r.bytes, r.task_ns), r.setup_ns / 1e9);
	if (r.have_pct)
		fprintf(stderr, ", p99 %.1f us", r.pct.p99 / 1e3);
	fprintf(stderr, "\n");
	return 0;
}

size_t sweep_pass_capacity(const struct sweep *s)
{
	/*
	 * The search's budget, a quarter of the grid's bytes, at its
	 * smallest io_size, a 64th: 16 runs a point and op at most.
	 */
	return s->grid.n * s->n_ops * (s->search ? 16 : s->repeat ? s->repeat : 1);
}

int sweep_pass_prepare(struct sweep *s, struct sweep_pass *p)
{
	size_t k, n = sweep_pass_capacity(s);
	int ret;

	for (k = 0; k < s->n_ops; k++) {
		char dir[8192];

		snprintf(dir, sizeof(dir), "%s/%s", p->log_dir, sweep_op_dir(s->ops_order[k]));
		ret = mkdir_p(dir);
		if (ret) {
			fprintf(stderr, "dsaio-user sweep: cannot create %s: %s\n", dir, strerror(-ret));
			return -1;
		}
	}
	p->res = calloc(n, sizeof(*p->res));
	p->parts = calloc(n, sizeof(*p->parts));
	p->log_names = calloc(n, sizeof(*p->log_names));
	p->fails = calloc(n, sizeof(*p->fails));
	if (!p->res || !p->parts || !p->log_names || !p->fails) {
		fprintf(stderr, "dsaio-user sweep: out of memory\n");
		return -1;
	}
	return 0;
}

/*
 * --budget: the next run would end past it, at the speed so far (seconds
 * per byte of the runs made; the first run always goes).
 */
static bool over_budget(const struct sweep *s)
{
	double el = (dsaio_now_ns() - s->start_ns) / 1e9;
	double run_bytes = (double)s->io_size * (s->loops + s->warmup_loops);

	if (s->budget <= 0 || !s->bytes_before)
		return false;
	return el + run_bytes * (el / (double)s->bytes_before) > s->budget;
}

void sweep_pass_unmeasured(struct sweep *s, struct sweep_pass *p)
{
	size_t i, j, k;

	for (k = 0; k < s->n_ops; k++) {
		for (i = 0; i < s->grid.n; i++) {
			const struct dsaio_params *pt = &s->grid.points[i];
			enum dsaio_user_op op = s->ops_order[k];
			struct dsaio_log_entry *e;
			bool seen = sweep_pass_find(p, pt, op) != SIZE_MAX;

			for (j = 0; j < p->n_fails && !seen; j++)
				seen = p->fails[j].op == op &&
				       !memcmp(&p->fails[j].params, pt, sizeof(*pt));
			if (seen)
				continue;
			e = &p->fails[p->n_fails++];
			memset(e, 0, sizeof(*e));
			e->op = op;
			e->params = *pt;
			e->failed = true;
			snprintf(e->failure, sizeof(e->failure),
				 "not measured: the --budget of %g s ran out", s->budget);
		}
	}
}

int sweep_pass_run(struct sweep *s, struct sweep_pass *p)
{
	size_t i, k;
	int ret;

	uint32_t rep, n_rep = s->repeat ? s->repeat : 1;

	if (!s->start_ns)
		s->start_ns = dsaio_now_ns();
	/*
	 * N passes over the grid, every other one backwards: a drift (heat,
	 * an SLC cache filling) then weighs on every point alike, which N
	 * runs of a point in a row would not (README, "Repeats, ties").
	 */
	for (rep = 0; rep < n_rep; rep++) {
		s->pass_no = rep + 1;
		for (k = 0; k < s->n_ops; k++) {
			for (i = 0; i < s->grid.n; i++) {
				size_t at = rep % 2 ? s->grid.n - 1 - i : i;

				if (over_budget(s)) {
					s->budget_cut = true;
					return 2;
				}
				s->run_no++;
				ret = sweep_run_point(s, p, &s->grid.points[at], s->ops_order[k]);
				if (ret == 0)
					s->runs_done++;
				if (ret == 1 || dsaio_interrupted)
					return 1;
				if (ret < 0)
					return ret;
				s->bytes_before += s->io_size * (s->loops + s->warmup_loops);
			}
		}
	}
	return 0;
}

unsigned int sweep_pass_median_logs(struct sweep *s, struct sweep_pass *p)
{
	unsigned int bad = 0;
	size_t i, j;

	if (s->repeat < 2 && !s->defer_logs)
		return 0;
	for (i = 0; i < p->n_res; i++) {
		struct dsaio_runs reps;
		struct measurement m;

		if (p->log_names[i][0])
			continue;	/* a run of a point already written */
		if (!dsaio_runs_gather(p->res, p->n_res, &p->res[i].params,
				       p->res[i].op, s->confidence, &reps))
			continue;
		m = dsaio_runs_median(p->res, &reps);
		if (write_log(s, p, &m, &reps, p->log_names[i], sizeof(p->log_names[0]))) {
			bad++;
			p->log_names[i][0] = '\0';
		}
		for (j = 0; j < reps.n; j++)
			memcpy(p->log_names[reps.idx[j]], p->log_names[i],
			       sizeof(p->log_names[0]));
		if (!p->log_names[i][0])
			break;	/* cannot write: said once */
	}
	p->failures += bad;
	return bad;
}

void sweep_pass_free(struct sweep_pass *p)
{
	free(p->res);
	free(p->parts);
	free(p->log_names);
	free(p->fails);
	free(p->rk);
	dsaio_tieset_free(&p->ties);
	p->have_ties = false;
	json_object_put(p->sum);
	p->res = NULL;
	p->parts = NULL;
	p->log_names = NULL;
	p->fails = NULL;
	p->rk = NULL;
	p->sum = NULL;
}
