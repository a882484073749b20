// SPDX-License-Identifier: GPL-2.0 OR MIT
/* Percentiles from synthetic sparse histograms: exact bucket math. */
#include <errno.h>
#include <string.h>

#include "tap.h"
#include "percentile.h"

int main(void)
{
	struct dsaio_hist_bucket b[4];
	struct dsaio_percentiles p;
	uint32_t i1000 = dsaio_hist_index(1000), i5000 = dsaio_hist_index(5000);
	uint64_t lo, hi;
	int rc;

	/* The geometry itself, as the UAPI header defines it. */
	is_int(dsaio_hist_index(31), 31, "values below 32 have their own bucket");
	is_int(dsaio_hist_lower(dsaio_hist_index(1000)), 992,
	       "1000 ns falls in the bucket starting at 992");
	is_int(dsaio_hist_lower(i1000 + 1), 1008,
	       "next bucket starts at 1008 (width 16 = 2^(9-5))");

	memset(b, 0, sizeof(b));
	/* 100 samples: 50 at 10 ns, 40 near 1000 ns, 9 near 5000, 1 max. */
	b[0].index = 10; b[0].count = 50;
	b[1].index = i1000; b[1].count = 40;
	b[2].index = i5000; b[2].count = 9;
	b[3].index = dsaio_hist_index(1000000); b[3].count = 1;
	rc = dsaio_percentiles_from_hist(b, 4, 1000123, &p);
	is_int(rc, 0, "histogram accepted");
	is_int(p.p50, 10, "p50: ceil(.5*100) = 50th sample, width-1 bucket");
	is_int(p.p90, 1000, "p90: 90th sample, midpoint of [992,1008)");
	lo = dsaio_hist_lower(i5000);
	hi = dsaio_hist_lower(i5000 + 1);
	is_int(p.p99, lo + (hi - lo) / 2, "p99: 99th sample in the 5000 bucket");
	lo = dsaio_hist_lower(b[3].index);
	hi = dsaio_hist_lower(b[3].index + 1);
	ok(lo + (hi - lo) / 2 == 1007616, "midpoint of the 1 ms bucket");
	is_int(p.p999, 1000123,
	       "p99.9: 100th sample, midpoint clamped to max_ns");
	is_int(p.max, 1000123, "max is the measured max");

	/* Clamped to max_ns: the midpoint may lie above the real maximum. */
	b[0].index = i1000; b[0].count = 10;
	rc = dsaio_percentiles_from_hist(b, 1, 995, &p);
	ok(rc == 0 && p.p50 == 995 && p.p999 == 995,
	   "midpoint 1000 clamped to max 995");

	/* ceil: 1001 samples, p99.9 needs ceil(999.999) = 1000 -> bucket 2 */
	b[0].index = 5; b[0].count = 999;
	b[1].index = 7; b[1].count = 2;
	rc = dsaio_percentiles_from_hist(b, 2, 7, &p);
	ok(rc == 0 && p.p99 == 5 && p.p999 == 7,
	   "p99.9 of 1001 samples takes the 1000th");
	b[0].count = 1000;
	b[1].count = 1;
	rc = dsaio_percentiles_from_hist(b, 2, 7, &p);
	ok(rc == 0 && p.p999 == 5, "p99.9 of 1001 with 1000 in the first bucket");

	/* Single sample. */
	b[0].index = 20; b[0].count = 1;
	rc = dsaio_percentiles_from_hist(b, 1, 20, &p);
	ok(rc == 0 && p.p50 == 20 && p.p90 == 20 && p.p99 == 20 &&
	   p.p999 == 20, "one sample: all percentiles equal it");

	/* Open-ended last bucket reports the measured max. */
	b[0].index = DSAIO_HIST_BUCKETS - 1; b[0].count = 3;
	rc = dsaio_percentiles_from_hist(b, 1, 1ULL << 41, &p);
	ok(rc == 0 && p.p50 == 1ULL << 41, "last bucket: the measured max");

	/* Bad input. */
	is_int(dsaio_percentiles_from_hist(b, 0, 10, &p), -EINVAL,
	       "no buckets is -EINVAL");
	b[0].index = 3; b[0].count = 0;
	is_int(dsaio_percentiles_from_hist(b, 1, 10, &p), -EINVAL,
	       "zero total is -EINVAL");
	b[0].index = 9; b[0].count = 1;
	b[1].index = 9; b[1].count = 1;
	is_int(dsaio_percentiles_from_hist(b, 2, 10, &p), -EINVAL,
	       "non-ascending indexes are -EINVAL");
	b[0].index = DSAIO_HIST_BUCKETS;
	is_int(dsaio_percentiles_from_hist(b, 1, 10, &p), -EINVAL,
	       "index out of range is -EINVAL");
	return done();
}
