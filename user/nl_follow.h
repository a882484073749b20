/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* Starting one job and following it to its end (shared by run and sweep). */
#ifndef DSAIO_USER_NL_FOLLOW_H
#define DSAIO_USER_NL_FOLLOW_H

#include "nl_client.h"

/* Called with the job's progress, from events or polls. */
typedef void (*dsaio_progress_fn)(const struct nl_job_progress *p, void *arg);

/*
 * Subscribes to events (before the start, so the end cannot be missed),
 * starts the job, follows it through events with a JOB_GET poll every
 * second as the fallback (events can be dropped), and returns its full
 * JOB_GET (histogram, workers, loops) once it has ended: 0 with *job
 * filled (free with nl_job_free), whatever the job's state.
 * On the first SIGINT/SIGTERM the job is cancelled in the kernel and still
 * waited for, so what was done is reported; on a second one this returns
 * -EINTR at once (closing the socket then cancels the job).
 * *id is the job id, 0 when the start failed. Errors: negative errno, with
 * dsaio_nl_errmsg().
 */
int dsaio_follow_job(struct dsaio_nl *nl, const struct nl_job_config *c,
		     uint32_t *id, struct nl_job *job,
		     dsaio_progress_fn fn, void *arg);
#endif
