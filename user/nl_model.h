/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The tool's model and the wire's, one into the other: a measure_request
 * into a JOB_START config, an ended job into a struct measurement. Plain
 * struct work, no socket, so the host unit tests link it; the kernel
 * engine (nl_engine.c) is its only user in the tool.
 */
#ifndef DSAIO_USER_NL_MODEL_H
#define DSAIO_USER_NL_MODEL_H

#include "engine.h"
#include "nl_client.h"

/*
 * The request as DSAIO_A_JOB_CONFIG. Returns 0, or -ERANGE when a value
 * does not fit the wire (block size over 32 bits).
 */
int nl_request_to_config(const struct measure_request *rq,
			 struct nl_job_config *c);

/*
 * A job (a JOB_GET reply) as the tool's measurement: state, target, and
 * the figures once it has a result. *r is filled, not zeroed first.
 * Returns 0 or -ENOMEM (nothing then stays allocated).
 */
int nl_job_to_measurement(const struct nl_job *j, struct measurement *r);
#endif
