// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The kernel engine: the module, over generic netlink. The one place that
 * turns the tool's model into the wire's (a measure_request into a
 * JOB_START config) and back (an ended job into a struct measurement);
 * the commands above see only engine.h.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "engines.h"
#include "nl_follow.h"
#include "percentile.h"
#include "units.h"

_Static_assert(DSAIO_TARGET_MAX <= DSAIO_DEV_PATH_MAX,
	       "a target the tool takes must fit the wire's device path");

struct engine_ctx {
	struct dsaio_nl *nl;
};

static int nl_engine_open(struct engine_ctx **out, char *err, size_t errlen)
{
	struct engine_ctx *ctx = calloc(1, sizeof(*ctx));
	int ret;

	*out = NULL;
	if (!ctx) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	ret = dsaio_nl_open(&ctx->nl, err, errlen);
	if (ret) {
		free(ctx);
		return ret;
	}
	*out = ctx;
	return 0;
}

static void nl_engine_close(struct engine_ctx *ctx)
{
	if (!ctx)
		return;
	dsaio_nl_close(ctx->nl);
	free(ctx);
}

static const char *nl_engine_errmsg(const struct engine_ctx *ctx)
{
	return dsaio_nl_errmsg(ctx->nl);
}

static int nl_engine_limits(struct engine_ctx *ctx, struct engine_limits *l)
{
	struct nl_info info;
	int ret = dsaio_nl_get_info(ctx->nl, &info);

	if (ret)
		return ret;
	memset(l, 0, sizeof(*l));
	l->max_mem_mb = info.max_mem_mb;
	return 0;
}

/* The request as DSAIO_A_JOB_CONFIG: workers are the wire's "threads". */
static int to_wire(const struct measure_request *rq, struct nl_job_config *c)
{
	const struct dsaio_params *p = &rq->params;

	if (p->block_size > UINT32_MAX)
		return -ERANGE;
	nl_job_config_init(c);
	snprintf(c->dev_path, sizeof(c->dev_path), "%s", rq->target);
	c->op = rq->op == OP_WRITE ? DSAIO_OP_WRITE : DSAIO_OP_READ;
	c->offset = rq->offset;
	c->io_size = rq->io_size;
	c->seed = rq->seed;
	c->block_size = (uint32_t)p->block_size;
	c->queue_depth = p->queue_depth;
	c->threads = p->io_parallel;
	c->single_submit = p->single_submit;
	c->overlap_events = p->overlap_events;
	c->loops = rq->loops;
	c->warmup_loops = rq->warmup_loops;
	c->validate = rq->validate;
	c->allow_write = rq->allow_write;
	c->histogram = rq->histogram;
	return 0;
}

static int copy_stats(const struct nl_stat *v, size_t n,
		      struct measurement_stat **out, size_t *n_out)
{
	size_t i;

	*out = NULL;
	*n_out = 0;
	if (!n)
		return 0;
	*out = calloc(n, sizeof(**out));
	if (!*out)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		(*out)[i] = (struct measurement_stat) {
			.index = v[i].index, .offset = v[i].offset,
			.length = v[i].length, .start_ns = v[i].start_ns,
			.time_ns = v[i].time_ns, .bytes = v[i].bytes,
			.requests = v[i].requests, .errors = v[i].errors,
		};
	}
	*n_out = n;
	return 0;
}

static int copy_errnos(const struct nl_job_result *s, struct measurement *m)
{
	size_t i;

	if (!s->n_errnos)
		return 0;
	m->errnos = calloc(s->n_errnos, sizeof(*m->errnos));
	if (!m->errnos)
		return -ENOMEM;
	for (i = 0; i < s->n_errnos; i++) {
		m->errnos[i].code = s->errnos[i].code;
		m->errnos[i].count = s->errnos[i].count;
	}
	m->n_errnos = s->n_errnos;
	return 0;
}

/*
 * An ended job as the tool's measurement: speeds, latencies, percentiles
 * from the histogram. params come from the job's config (block_size_str
 * formatted from bytes); without a result, have_figures stays false.
 */
static int to_measurement(const struct nl_job *j, struct measurement *r)
{
	const struct nl_job_config *c = &j->config;
	const struct nl_job_result *s = &j->result;

	r->state = j->state == DSAIO_JOB_DONE ? MEAS_DONE :
		   j->state == DSAIO_JOB_CANCELLED ? MEAS_CANCELLED : MEAS_FAILED;
	r->error = j->error;
	if (!j->have_result || !j->have_config)
		return 0;
	r->have_figures = true;
	r->op = c->op == DSAIO_OP_WRITE ? OP_WRITE : OP_READ;
	r->params.block_size = c->block_size;
	dsaio_format_size(c->block_size, r->params.block_size_str,
			  sizeof(r->params.block_size_str));
	r->params.queue_depth = c->queue_depth;
	r->params.io_parallel = c->threads;
	r->params.processes = 1;	/* one tool process: one job */
	r->params.single_submit = c->single_submit;
	r->params.overlap_events = c->overlap_events;
	r->io_size = c->io_size;
	r->loops = c->loops;
	r->warmup_loops = c->warmup_loops;
	r->task_ns = s->task_ns;
	r->e2e_ns = s->e2e_ns;
	r->setup_ns = s->setup_ns;
	r->bytes = s->bytes;
	r->requests = s->requests;
	r->errors = s->errors;
	r->lat_min_ns = s->lat_min_ns;
	r->lat_max_ns = s->lat_max_ns;
	r->lat_mean_ns = s->requests ? s->lat_sum_ns / s->requests : 0;
	r->mismatches = s->mismatches;
	r->first_mismatch = s->first_mismatch;
	if (s->n_hist &&
	    dsaio_percentiles_from_hist(s->hist, s->n_hist, s->lat_max_ns,
					&r->pct) == 0)
		r->have_pct = true;
	if (copy_errnos(s, r) ||
	    copy_stats(s->workers, s->n_workers, &r->worker_stats, &r->n_worker_stats) ||
	    copy_stats(s->loops, s->n_loops, &r->loop_stats, &r->n_loop_stats)) {
		measurement_free_details(r);
		return -ENOMEM;
	}
	return 0;
}

struct progress_fwd {
	measure_progress_fn fn;
	void *arg;
};

static void forward_progress(const struct nl_job_progress *p, void *arg)
{
	const struct progress_fwd *f = arg;
	struct measure_progress mp = {
		.bytes_done = p->bytes_done, .bytes_total = p->bytes_total,
		.elapsed_ns = p->elapsed_ns, .loop = p->loop,
	};

	f->fn(&mp, f->arg);
}

static int nl_engine_measure(struct engine_ctx *ctx,
			     const struct measure_request *rq,
			     struct measurement *out, measure_progress_fn fn,
			     void *arg)
{
	struct progress_fwd fwd = { .fn = fn, .arg = arg };
	struct nl_job_config cfg;
	struct nl_job job;
	uint32_t id;
	int ret;

	memset(out, 0, sizeof(*out));
	ret = to_wire(rq, &cfg);
	if (ret)
		return ret;
	ret = dsaio_follow_job(ctx->nl, &cfg, &id, &job,
			       fn ? forward_progress : NULL, &fwd);
	out->job_id = id;
	if (ret)
		return ret;
	ret = to_measurement(&job, out);
	nl_job_free(&job);
	out->job_id = id;
	return ret;
}

const struct dsaio_engine dsaio_nl_engine = {
	.name = "kernel",
	.who = "the module",
	.open = nl_engine_open,
	.limits = nl_engine_limits,
	.measure = nl_engine_measure,
	.errmsg = nl_engine_errmsg,
	.close = nl_engine_close,
};
