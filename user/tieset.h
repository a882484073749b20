/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The recommendation of a ranked sweep (issue #15): the complete points
 * that cannot be told apart from the best (stats.h, dsaio_ties) form the
 * tie set, and of them the one needing the least pinned host memory is
 * recommended, with one sentence saying so. `sweep` and `generate-param`
 * both go through here, so a sweep and its log folder agree.
 */
#ifndef DSAIO_USER_TIESET_H
#define DSAIO_USER_TIESET_H

#include <stdbool.h>
#include <stddef.h>
#include <json-c/json.h>
#include "optimum.h"
#include "stats.h"

struct dsaio_tieset {
	size_t n;		/* the complete points, rk[0..n) */
	bool *tied;		/* per complete point */
	double *score;		/* read + write of each */
	size_t best, pick;	/* indexes into rk */
	size_t n_tied;
	size_t repeats;		/* the fewest repeats of any point */
	double confidence, margin;
	char sentence[512];
};

/*
 * The tie set of the n_complete complete points at the head of rk[]
 * (dsaio_rank's order). samples[i], when samples is not NULL, holds
 * point i's repeated E2E speeds per op; NULL: each point measured once,
 * rk[i]'s speeds (repeat 1: no variance, so only the margin ties).
 * confidence 0 and margin < 0 take the defaults. Returns 0, -EINVAL
 * with no complete point or a speed not > 0, or -ENOMEM.
 */
int dsaio_tieset_build(const struct dsaio_ranked *rk, size_t n_complete,
		       const struct dsaio_tie_point *samples,
		       double confidence, double margin, struct dsaio_tieset *t);

/*
 * The same over a log folder's entries (generate-param): each point's
 * repeats from its logs' "Repeats" lines, or its one speed per op.
 */
int dsaio_tieset_from_logs(const struct dsaio_ranked *rk, size_t n_complete,
			   const struct dsaio_log_entry *e, size_t n_e,
			   double confidence, double margin, struct dsaio_tieset *t);

/*
 * {"confidence", "margin", "repeats", "count", "best": {point},
 * "recommended": {point}, "points": [{point, "sum_gbs"}...] (the tied
 * ones), "sentence"}; NULL when out of memory.
 */
json_object *dsaio_tieset_json(const struct dsaio_tieset *t,
			       const struct dsaio_ranked *rk);

void dsaio_tieset_free(struct dsaio_tieset *t);
#endif
