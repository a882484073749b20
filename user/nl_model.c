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
 * Several targets, or DeepSpeed's threads (params.processes handles per
 * target), are DSAIO_CFG_TARGETS: one entry per handle, a target's
 * handles next to each other. A device's handle h takes the h-th slice
 * of io_size bytes from the offset; a directory's handles each get a
 * file of their own there (the module names it after the entry).
 */
static int to_entries(const struct measure_request *rq,
		      struct nl_job_config *c)
{
	unsigned int n = measure_request_n_targets(rq), t, h;
	unsigned int handles = rq->params.processes ? rq->params.processes : 1;

	if ((uint64_t)n * handles > DSAIO_TARGETS_MAX)
		return -E2BIG;
	for (t = 0; t < n; t++) {
		for (h = 0; h < handles; h++) {
			struct nl_target_cfg *e = &c->targets[c->n_targets++];

			snprintf(e->path, sizeof(e->path), "%s", rq->targets[t]);
			e->dir = rq->kind == TARGET_FILE;
			e->offset = rq->offset + (e->dir ? 0 : h * rq->io_size);
		}
	}
	return 0;
}

/*
 * Workers are the wire's "threads". A file target is DSAIO_CFG_DIR and
 * needs no ALLOW_WRITE: the module writes only the file it creates, so
 * none is sent and the user's confirmation stays a device matter. One
 * target with one handle is sent as ever (DEV_PATH or DIR), so a module
 * without DSAIO_CFG_TARGETS still takes it.
 */
int nl_request_to_config(const struct measure_request *rq,
			 struct nl_job_config *c)
{
	const struct dsaio_params *p = &rq->params;

	if (p->block_size > UINT32_MAX)
		return -ERANGE;
	nl_job_config_init(c);
	if (measure_request_n_targets(rq) > 1 || p->processes > 1) {
		int ret = to_entries(rq, c);

		if (ret)
			return ret;
	} else if (rq->kind == TARGET_FILE) {
		snprintf(c->dir, sizeof(c->dir), "%s", rq->target);
	} else {
		snprintf(c->dev_path, sizeof(c->dev_path), "%s", rq->target);
	}
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
	c->poll = rq->kind == TARGET_BDEV && rq->poll;
	c->random = rq->random;
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

static enum measurement_state to_state(enum dsaio_job_state s)
{
	return s == DSAIO_JOB_DONE ? MEAS_DONE :
	       s == DSAIO_JOB_CANCELLED ? MEAS_CANCELLED : MEAS_FAILED;
}

/* A DSAIO_A_JOB_TARGETS entry as the target the tool reports. */
static void part_target(const struct nl_job_part *e,
			const struct nl_target_cfg *tc,
			struct measurement_target *t)
{
	memset(t, 0, sizeof(*t));
	t->kind = e->target.kind == DSAIO_TARGET_FILE ? TARGET_FILE : TARGET_BDEV;
	if (tc)
		snprintf(t->path, sizeof(t->path), "%s", tc->path);
	t->have_details = true;
	snprintf(t->device, sizeof(t->device), "%s", e->target.bdev);
	t->align = e->target.align;
	if (t->kind == TARGET_FILE) {
		snprintf(t->fstype, sizeof(t->fstype), "%s", e->target.fstype);
		snprintf(t->file, sizeof(t->file), "%s", e->target.file);
	}
}

/* Adds handle e's figures to its target's part (DeepSpeed's processes). */
static void part_add(struct measurement_part *p, const struct nl_job_part *e,
		     uint64_t *lat_sum)
{
	const struct nl_job_result *s = &e->result;

	/* The first failure names the target; a cancel only when none. */
	if (e->state == DSAIO_JOB_FAILED && p->state != MEAS_FAILED) {
		p->state = MEAS_FAILED;
		p->error = e->error;
	} else if (e->state == DSAIO_JOB_CANCELLED && p->state == MEAS_DONE) {
		p->state = MEAS_CANCELLED;
	}
	if (!e->have_result)
		return;
	/* Task and E2E of several handles: the longest one's, as DeepSpeed times processes. */
	p->task_ns = s->task_ns > p->task_ns ? s->task_ns : p->task_ns;
	p->e2e_ns = s->e2e_ns > p->e2e_ns ? s->e2e_ns : p->e2e_ns;
	if (s->requests && (!p->requests || s->lat_min_ns < p->lat_min_ns))
		p->lat_min_ns = s->lat_min_ns;
	p->lat_max_ns = s->lat_max_ns > p->lat_max_ns ? s->lat_max_ns : p->lat_max_ns;
	if (s->mismatches && (!p->mismatches || s->first_mismatch < p->first_mismatch))
		p->first_mismatch = s->first_mismatch;
	p->bytes += s->bytes;
	p->requests += s->requests;
	p->errors += s->errors;
	p->mismatches += s->mismatches;
	*lat_sum += s->lat_sum_ns;
	p->have_figures = true;
}

/* The mean latency of a part, once all its handles are in. */
static void part_end(struct measurement_part *p, uint64_t lat_sum)
{
	p->lat_mean_ns = p->requests ? lat_sum / p->requests : 0;
}

/*
 * The job's DSAIO_A_JOB_TARGETS as the measurement's parts: one per
 * target of the request, of its consecutive entries with one path (its
 * handles, nl_request_to_config()). params.processes is the handles per
 * target.
 */
static int to_parts(const struct nl_job *j, struct measurement *r)
{
	const struct nl_job_config *c = &j->config;
	struct measurement_part *p = NULL;
	uint64_t lat_sum = 0;
	size_t i, n = 0;

	r->parts = calloc(j->n_parts, sizeof(*r->parts));
	if (!r->parts)
		return -ENOMEM;
	for (i = 0; i < j->n_parts; i++) {
		const struct nl_target_cfg *tc = i < c->n_targets ? &c->targets[i] : NULL;

		if (!p || !tc || strcmp(tc->path, c->targets[i - 1].path)) {
			if (p)
				part_end(p, lat_sum);
			lat_sum = 0;
			p = &r->parts[n++];
			part_target(&j->parts[i], tc, &p->target);
			p->state = MEAS_DONE;
		}
		part_add(p, &j->parts[i], &lat_sum);
	}
	part_end(p, lat_sum);
	r->n_parts = n;
	r->params.processes = (unsigned int)(j->n_parts / n);
	return 0;
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

	r->state = to_state(j->state);
	r->error = j->error;
	r->held = j->held;
	to_target(j, &r->target);
	if (j->have_config && c->n_targets)
		snprintf(r->target.path, sizeof(r->target.path), "%s",
			 c->targets[0].path);
	if (!j->have_result || !j->have_config)
		return 0;
	r->have_figures = true;
	r->op = c->op == DSAIO_OP_WRITE ? OP_WRITE : OP_READ;
	r->params.block_size = c->block_size;
	dsaio_format_size(c->block_size, r->params.block_size_str,
			  sizeof(r->params.block_size_str));
	r->params.queue_depth = c->queue_depth;
	r->params.io_parallel = c->threads;
	r->params.processes = 1;	/* to_parts() says how many handles */
	r->params.single_submit = c->single_submit;
	r->params.overlap_events = c->overlap_events;
	r->io_size = c->io_size;
	r->loops = c->loops;
	r->warmup_loops = c->warmup_loops;
	r->random = c->random;
	r->task_ns = s->task_ns;
	r->e2e_ns = s->e2e_ns;
	r->setup_ns = s->setup_ns;
	r->bytes = s->bytes;
	r->requests = s->requests;
	r->bios = s->bios;
	r->polled_bios = s->polled;
	r->errors = s->errors;
	r->lat_min_ns = s->lat_min_ns;
	r->lat_max_ns = s->lat_max_ns;
	r->lat_mean_ns = s->requests ? s->lat_sum_ns / s->requests : 0;
	r->mismatches = s->mismatches;
	r->first_mismatch = s->first_mismatch;
	r->buf_bytes = s->buf_bytes;
	if (s->n_hist &&
	    dsaio_percentiles_from_hist(s->hist, s->n_hist, s->lat_max_ns,
					&r->pct) == 0)
		r->have_pct = true;
	if ((j->n_parts && to_parts(j, r)) ||
	    copy_errnos(s, r) ||
	    copy_stats(s->workers, s->n_workers, &r->worker_stats, &r->n_worker_stats) ||
	    copy_stats(s->loops, s->n_loops, &r->loop_stats, &r->n_loop_stats)) {
		measurement_free_details(r);
		return -ENOMEM;
	}
	return 0;
}
