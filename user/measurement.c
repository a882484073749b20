// SPDX-License-Identifier: GPL-2.0 OR MIT
/* The engine-neutral parts of a measurement: defaults, names, freeing. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "engine.h"

void measure_request_init(struct measure_request *r)
{
	memset(r, 0, sizeof(*r));
	r->op = OP_READ;
	r->params.queue_depth = 1;
	r->params.io_parallel = 1;
	r->n_targets = 1;
	r->params.processes = 1;
	r->params.overlap_events = true;
	r->loops = 1;
	r->histogram = true;
}

unsigned int measure_request_n_targets(const struct measure_request *r)
{
	return r->n_targets ? r->n_targets : 1;
}

int measure_request_add_target(struct measure_request *r, const char *path)
{
	unsigned int i = measure_request_n_targets(r);

	/* an initialised request has an empty first target to fill */
	if (i == 1 && !r->targets[0][0])
		i = 0;

	if (i >= DSAIO_MAX_TARGETS)
		return -E2BIG;
	if (strlen(path) >= sizeof(r->targets[i]))
		return -ENAMETOOLONG;
	strcpy(r->targets[i], path);
	r->n_targets = i + 1;
	return 0;
}

void measure_request_keep_target(struct measure_request *r, unsigned int i)
{
	if (i)
		memmove(r->targets[0], r->targets[i], sizeof(r->targets[0]));
	r->n_targets = 1;
}

void measurement_free_details(struct measurement *m)
{
	free(m->errnos);
	free(m->worker_stats);
	free(m->loop_stats);
	free(m->parts);
	m->errnos = NULL;
	m->worker_stats = m->loop_stats = NULL;
	m->parts = NULL;
	m->n_errnos = m->n_worker_stats = m->n_loop_stats = m->n_parts = 0;
}

const char *measurement_state_name(enum measurement_state s)
{
	switch (s) {
	case MEAS_DONE:		return "done";
	case MEAS_FAILED:	return "failed";
	case MEAS_CANCELLED:	return "cancelled";
	}
	return "unknown";
}

bool measurement_held_note(const struct measurement *m, char *buf, size_t len)
{
	if (len)
		buf[0] = '\0';
	if (!m->held)
		return false;
	snprintf(buf, len,
		 "the device still holds %u request%s of job %u (suspended or not answering): "
		 "its buffers, the device and dsaio.ko stay in use until it answers, "
		 "so rmmod fails until then",
		 m->held, m->held == 1 ? "" : "s", m->job_id);
	return true;
}
