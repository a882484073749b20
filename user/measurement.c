// SPDX-License-Identifier: GPL-2.0 OR MIT
/* The engine-neutral parts of a measurement: defaults, names, freeing. */
#include <stdlib.h>
#include <string.h>
#include "engine.h"

void measure_request_init(struct measure_request *r)
{
	memset(r, 0, sizeof(*r));
	r->op = OP_READ;
	r->params.queue_depth = 1;
	r->params.io_parallel = 1;
	r->params.processes = 1;
	r->params.overlap_events = true;
	r->loops = 1;
	r->histogram = true;
}

void measurement_free_details(struct measurement *m)
{
	free(m->errnos);
	free(m->worker_stats);
	free(m->loop_stats);
	m->errnos = NULL;
	m->worker_stats = m->loop_stats = NULL;
	m->n_errnos = m->n_worker_stats = m->n_loop_stats = 0;
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
