// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * A measure_request into a JOB_START config and an ended job into a
 * struct measurement: the one place that knows both models.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "nl_model.h"
#include "percentile.h"
#include "units.h"

_Static_assert(DSAIO_TARGET_PATH_MAX <= DSAIO_DEV_PATH_MAX,
	       "a target the tool takes must fit the wire's path");
_Static_assert(DSAIO_TARGET_NAME_MAX >= DSAIO_TGT_NAME_MAX,
	       "every DSAIO_TGT_* string must fit the tool's target names");

/*
 * Workers are the wire's "threads". A file target is DSAIO_CFG_DIR and
 * needs no ALLOW_WRITE: the module writes only the file it creates, so
 * none is sent and the user's confirmation stays a device matter.
 */
int nl_request_to_config(const struct measure_request *rq,
			 struct nl_job_config *c)
{
	const struct dsaio_params *p = &rq->params;

	if (p->block_size > UINT32_MAX)
		return -ERANGE;
	nl_job_config_init(c);
	if (rq->kind == TARGET_FILE)
		snprintf(c->dir, sizeof(c->dir), "%s", rq->target);
	else
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
	c->allow_write = rq->kind == TARGET_BDEV && rq->allow_write;
	c->histogram = rq->histogram;
	c->overwrite = rq->kind == TARGET_FILE && rq->overwrite;
	c->keep_files = rq->kind == TARGET_FILE && rq->keep_files;
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
 * The path from the config (as given), the rest from DSAIO_A_JOB_TARGET
 * when the module sent one; a module older than files sends none, and
 * its jobs are all devices.
 */
static void to_target(const struct nl_job *j, struct measurement_target *t)
{
	const struct nl_job_config *c = &j->config;
	const struct nl_job_target *w = &j->target;

	memset(t, 0, sizeof(*t));
	if (j->have_config) {
		t->kind = c->dir[0] ? TARGET_FILE : TARGET_BDEV;
		snprintf(t->path, sizeof(t->path), "%s",
			 c->dir[0] ? c->dir : c->dev_path);
	}
	if (!j->have_target)
		return;
	t->have_details = true;
	t->kind = w->kind == DSAIO_TARGET_FILE ? TARGET_FILE : TARGET_BDEV;
	snprintf(t->device, sizeof(t->device), "%s", w->bdev);
	t->align = w->align;
	if (t->kind == TARGET_FILE) {
		snprintf(t->fstype, sizeof(t->fstype), "%s", w->fstype);
		snprintf(t->file, sizeof(t->file), "%s", w->file);
	}
}

/*
 * Speeds, latencies, percentiles from the histogram. params come from the
 * job's config (block_size_str formatted from bytes); without a result,
 * have_figures stays false.
 */
int nl_job_to_measurement(const struct nl_job *j, struct measurement *r)
{
	const struct nl_job_config *c = &j->config;
	const struct nl_job_result *s = &j->result;

	r->state = j->state == DSAIO_JOB_DONE ? MEAS_DONE :
		   j->state == DSAIO_JOB_CANCELLED ? MEAS_CANCELLED : MEAS_FAILED;
	r->error = j->error;
	to_target(j, &r->target);
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
