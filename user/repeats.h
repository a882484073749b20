/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * `--repeat N` (issue #15): the N runs of one point and op, gathered
 * from a sweep's runs, their spread (stats.h), and how the spread is
 * written: the extra log lines, which DeepSpeed's parsers skip (they
 * start with neither "Task" nor "E2E"), and the JSON.
 */
#ifndef DSAIO_USER_REPEATS_H
#define DSAIO_USER_REPEATS_H

#include <stddef.h>
#include <stdio.h>
#include <json-c/json.h>
#include "logfile.h"
#include "model.h"
#include "stats.h"

/* At most this many repeats: what the search keeps of a point a round. */
#define DSAIO_REPEAT_MAX	DSAIO_LOG_SAMPLES_MAX

/* The runs of one point and op. */
struct dsaio_runs {
	size_t n;
	size_t idx[DSAIO_REPEAT_MAX];	/* into the runs given, in run order */
	double e2e[DSAIO_REPEAT_MAX], task[DSAIO_REPEAT_MAX];	/* GB/s */
	struct dsaio_spread e2e_sp, task_sp;	/* valid when n > 0 */
};

/*
 * Gathers the runs of res[0..n) of op at p (the first DSAIO_REPEAT_MAX)
 * and their spread at confidence. A run without time (speed 0) is left
 * out. Returns the count.
 */
size_t dsaio_runs_gather(const struct measurement *res, size_t n,
			 const struct dsaio_params *p, enum dsaio_user_op op,
			 double confidence, struct dsaio_runs *out);

/*
 * The run whose E2E speed is nearest the median, with its Task and E2E
 * times scaled to the medians: what the point's DeepSpeed log says.
 */
struct measurement dsaio_runs_median(const struct measurement *res,
				     const struct dsaio_runs *r);

/*
 * The extra lines after DeepSpeed's four: "Spread E2E Read Speed = MIN
 * .. MAX GB/sec, 95 % interval LO .. HI GB/sec, 3 repeats" (no interval
 * with one run), the same for Task, and "Repeats E2E Read Speed = a b c
 * GB/sec", every run's speed (logfile.h reads it back for generate-param).
 * Returns < 0 when the write failed.
 */
int dsaio_runs_log_lines(FILE *f, enum dsaio_user_op op, const struct dsaio_runs *r);

/*
 * Adds to a point's JSON (the median run's) "repeats": N,
 * "e2e_speed_min_gbs", "e2e_speed_max_gbs", "e2e_speed_ci95_gbs": [lo,
 * hi] or null (one run), "e2e_speed_samples_gbs": [...]. 0, or -1 when
 * out of memory.
 */
int dsaio_runs_json_add(json_object *o, const struct dsaio_runs *r);
#endif
