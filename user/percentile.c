// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Latency percentiles from the module's sparse log-linear histogram
 * (geometry in <linux/dsaio.h>). The q-th percentile is the first bucket
 * where the running count reaches ceil(q * total); it is reported as that
 * bucket's midpoint, which is within about 1.6 % of any value the bucket
 * holds, and never above the exact maximum the module measured.
 */
#include <errno.h>

#include "percentile.h"

/* q as a fraction num/1000, so ceil(q * total) is exact integer math. */
static uint64_t rank_of(uint64_t total, unsigned int num)
{
	const unsigned int den = 1000;
	uint64_t r = total / den * num +
		     ((total % den) * num + den - 1) / den;

	return r ? r : 1;
}

static uint64_t bucket_mid(uint32_t index, uint64_t max_ns)
{
	uint64_t lo, hi;

	/* The last bucket is open-ended: only the measured max bounds it. */
	if (index >= DSAIO_HIST_BUCKETS - 1)
		return max_ns > dsaio_hist_lower(index) ? max_ns :
			dsaio_hist_lower(index);
	lo = dsaio_hist_lower(index);
	hi = dsaio_hist_lower(index + 1);
	return lo + (hi - lo) / 2;
}

int dsaio_percentiles_from_hist(const struct dsaio_hist_bucket *b, size_t n,
				uint64_t max_ns, struct dsaio_percentiles *out)
{
	static const unsigned int qs[4] = { 500, 900, 990, 999 };
	uint64_t *slot[4] = { &out->p50, &out->p90, &out->p99, &out->p999 };
	uint64_t total = 0, cum = 0, target[4];
	size_t i, k = 0;

	for (i = 0; i < n; i++) {
		/* Sparse and ascending, as the protocol promises; anything
		 * else is a corrupt reply, not something to guess about. */
		if (b[i].index >= DSAIO_HIST_BUCKETS ||
		    (i && b[i].index <= b[i - 1].index))
			return -EINVAL;
		if (total + b[i].count < total)
			return -EINVAL;
		total += b[i].count;
	}
	if (total == 0)
		return -EINVAL;
	for (k = 0; k < 4; k++)
		target[k] = rank_of(total, qs[k]);

	k = 0;
	for (i = 0; i < n && k < 4; i++) {
		cum += b[i].count;
		while (k < 4 && cum >= target[k]) {
			uint64_t v = bucket_mid(b[i].index, max_ns);

			*slot[k++] = (max_ns && v > max_ns) ? max_ns : v;
		}
	}
	out->max = max_ns;
	return 0;
}
