/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* Latency percentiles from the module's sparse log-linear histogram. */
#ifndef DSAIO_USER_PERCENTILE_H
#define DSAIO_USER_PERCENTILE_H

#include <stddef.h>
#include <linux/dsaio.h>
#include "model.h"

/*
 * Fills p50/p90/p99/p99.9 from buckets (ascending index) as each bucket's
 * midpoint; max is taken from max_ns. Returns 0, -EINVAL when empty.
 */
int dsaio_percentiles_from_hist(const struct dsaio_hist_bucket *b, size_t n,
				uint64_t max_ns, struct dsaio_percentiles *out);
#endif
