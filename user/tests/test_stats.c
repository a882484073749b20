// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Statistics: median, the t interval on ln(speed) against known values
 * and against its promised coverage on simulated log-normal repeats, the
 * tie test, and the memory tie-break.
 */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "tap.h"
#include "stats.h"

#define near(got, want, tol, ...) do { \
	double g_ = (got), w_ = (want); \
	if (!ok(fabs(g_ - w_) <= (tol), __VA_ARGS__)) \
		printf("#   got %.9g, want %.9g\n", g_, w_); \
} while (0)

/* xorshift64* and Box-Muller: reproducible normal draws. */
static uint64_t rng = 88172645463325252ULL;

static double uniform(void)
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return ((rng * 2685821657736338717ULL) >> 11) * (1.0 / 9007199254740992.0);
}

static double normal(void)
{
	double u = uniform(), v = uniform();

	return sqrt(-2 * log(u > 0 ? u : 1e-300)) * cos(2 * M_PI * v);
}

/* Share of trials whose interval covers the true median 1.0. */
static double coverage(size_t n, double sigma, int trials)
{
	double x[16];
	int hit = 0, t;
	size_t i;

	for (t = 0; t < trials; t++) {
		struct dsaio_spread s;

		for (i = 0; i < n; i++)
			x[i] = exp(sigma * normal());
		dsaio_spread(x, n, 0.95, &s);
		hit += s.lo <= 1.0 && 1.0 <= s.hi;
	}
	return (double)hit / trials;
}

static struct dsaio_params mkp(unsigned int bs_k, unsigned int qd,
			       unsigned int p)
{
	struct dsaio_params x;

	memset(&x, 0, sizeof(x));
	x.block_size = (uint64_t)bs_k << 10;
	x.queue_depth = qd;
	x.io_parallel = p;
	x.processes = 1;
	x.overlap_events = true;
	return x;
}

int main(void)
{
	double odd[] = { 3, 1, 2 }, even[] = { 4, 1, 3, 2 };
	double e3[] = { 1, M_E, M_E * M_E };
	double bad[] = { 1, -1 };
	struct dsaio_spread s;
	int rc;

	/* Median. */
	is_dbl(dsaio_median(odd, 3), 2, "median of 3 values is the middle one");
	is_dbl(dsaio_median(even, 4), 2.5, "median of 4 is the mean of the middle two");
	is_dbl(dsaio_median(odd, 1), 3, "median of one value is that value");

	/* t quantiles against published tables. */
	near(dsaio_t_quantile(0.975, 2), 4.302653, 1e-6, "t(0.975, 2) = 4.302653");
	near(dsaio_t_quantile(0.975, 9), 2.262157, 1e-6, "t(0.975, 9) = 2.262157");
	near(dsaio_t_quantile(0.975, 1e7), 1.959964, 1e-5,
	     "t(0.975, large df) tends to the normal's 1.959964");
	ok(dsaio_t_quantile(0.975, 4.5) > 2.570582 &&
	   dsaio_t_quantile(0.975, 4.5) < 2.776445,
	   "t takes non-integer degrees of freedom (4.5: between df 5's and df 4's)");

	/* The interval by hand: ln x = 0, 1, 2: mean 1, sd 1, n 3. */
	rc = dsaio_spread(e3, 3, 0.95, &s);
	ok(rc == 0 && s.have_interval && s.n == 3, "spread of 3 repeats has an interval");
	is_dbl(s.median, M_E, "spread: median");
	ok(s.min == 1 && s.max == M_E * M_E, "spread: min and max");
	near(s.log_mean, 1, 1e-12, "spread: mean of ln");
	near(s.log_sd, 1, 1e-12, "spread: sd of ln");
	near(s.lo, exp(1 - 4.302653 / sqrt(3)), 1e-5, "interval low end = exp(1 - t/sqrt(3))");
	near(s.hi, exp(1 + 4.302653 / sqrt(3)), 1e-4, "interval high end = exp(1 + t/sqrt(3))");
	ok(s.lo < s.median && s.median < s.hi, "the median lies inside its interval");
	rc = dsaio_spread(e3, 3, 0.80, &s);
	ok(rc == 0 && s.hi < exp(1 + 4.302653 / sqrt(3)), "a lower confidence narrows it");

	rc = dsaio_spread(odd, 1, 0.95, &s);
	ok(rc == 0 && !s.have_interval && s.median == 3 && s.min == 3,
	   "one repeat: median and min-max, no interval");
	is_int(dsaio_spread(odd, 0, 0.95, &s), -EINVAL, "no repeats refused");
	is_int(dsaio_spread(bad, 2, 0.95, &s), -EINVAL, "a speed <= 0 refused");
	is_int(dsaio_spread(odd, 3, 1.0, &s), -EINVAL, "confidence 1 refused");
	is_int(dsaio_spread(odd, 3, 0, &s), -EINVAL, "confidence 0 refused");

	/* The coverage the interval promises, where its assumption holds. */
	{
		double c3 = coverage(3, 0.2, 20000), c10 = coverage(10, 0.2, 20000);

		ok(c3 > 0.94 && c3 < 0.96, "95 %% interval covers the median in %.3f of "
		   "20000 log-normal trials at N = 3", c3);
		ok(c10 > 0.94 && c10 < 0.96, "95 %% interval covers the median in %.3f of "
		   "20000 log-normal trials at N = 10", c10);
	}

	/* Ties. */
	{
		double a[] = { 2.00, 2.02, 1.98 };	/* best, tight */
		double b[] = { 1.00, 1.01, 0.99 };	/* half: clearly worse */
		double c[] = { 1.97, 1.99, 1.95 };	/* 1.5 % below: margin */
		double d[] = { 1.90, 1.86, 1.88 };	/* 6 % below */
		double one_a[] = { 2.0 }, one_b[] = { 1.97 }, one_c[] = { 1.8 };
		struct dsaio_tie_point pts[] = {
			{ b, 3 }, { a, 3 }, { c, 3 }, { d, 3 }, { NULL, 0 },
		};
		bool tied[5];
		size_t best = 99;

		rc = dsaio_ties(pts, 5, 0.95, 0.02, &best, tied);
		is_int(best, 1, "best: the highest median");
		ok(rc == 2 && tied[1] && tied[2] && !tied[0] && !tied[3] && !tied[4],
		   "tight repeats: the best and the one within the 2 %% margin tie (%d)", rc);
		rc = dsaio_ties(pts, 5, 0.95, 0, &best, tied);
		ok(rc == 2 && tied[2], "1.5 %% below with sd ~1 %% is not resolved by the test");

		/* The same gaps with noisy repeats: nothing but the half is told apart. */
		{
			double na[] = { 2.4, 1.7, 2.0 }, nd[] = { 2.2, 1.6, 1.85 };
			struct dsaio_tie_point np[] = { { b, 3 }, { na, 3 }, { nd, 3 } };

			rc = dsaio_ties(np, 3, 0.95, 0.02, &best, tied);
			ok(rc == 2 && best == 1 && tied[2] && !tied[0],
			   "noisy repeats: 6 %% below ties, half below does not");
		}
		{
			struct dsaio_tie_point op[] = { { one_a, 1 }, { one_b, 1 }, { one_c, 1 } };

			rc = dsaio_ties(op, 3, 0.95, 0.02, &best, tied);
			ok(rc == 2 && best == 0 && tied[1] && !tied[2],
			   "one repeat each: no variance, only the margin ties");
		}
		{
			struct dsaio_tie_point none[] = { { NULL, 0 } };

			is_int(dsaio_ties(none, 1, 0.95, 0.02, &best, tied), -EINVAL,
			       "no point measured: refused");
			is_int(dsaio_ties(pts, 5, 1.5, 0.02, &best, tied), -EINVAL,
			       "confidence out of range: refused");
		}
	}

	/* Pinned memory and the tie-break. */
	{
		struct dsaio_params p[4] = {
			mkp(1024, 32, 8), mkp(1024, 32, 1), mkp(128, 32, 8), mkp(8192, 128, 8),
		};
		double med[4] = { 3.0, 2.9, 2.95, 3.1 };
		bool tied[4] = { true, true, true, false };
		char line[512];

		is_int(dsaio_pinned_bytes(&p[0]), 256 << 20, "pinned: 32 x 1M x 8 = 256M");
		is_int(dsaio_pinned_bytes(&p[3]), 8ULL << 30, "pinned: 128 x 8M x 8 = 8G");
		is_int(dsaio_tie_pick(p, med, tied, 4), 2,
		       "tie-break: of 256M, 32M and 32M the 32M with the higher median");
		tied[2] = false;
		is_int(dsaio_tie_pick(p, med, tied, 4), 1,
		       "tie-break: 1M x 32 x 1 = 32M beats 256M though slower");
		tied[1] = false;
		tied[3] = true;
		is_int(dsaio_tie_pick(p, med, tied, 4), 0,
		       "tie-break: 256M beats 8G though slower");
		memset(tied, 0, sizeof(tied));
		is_int(dsaio_tie_pick(p, med, tied, 4), 4, "nothing tied: n");

		dsaio_tie_sentence(line, sizeof(line), 3, 0.95, &p[1], 2.9, 3.0);
		ok(strstr(line, "3 points tie with the best at 95 % confidence") &&
		   strstr(line, "least pinned host memory") && strstr(line, "= 32M") &&
		   strstr(line, "3.3 % below"), "one line says so: %s", line);
		dsaio_tie_sentence(line, sizeof(line), 1, 0.95, &p[0], 3.0, 3.0);
		ok(strstr(line, "No other point ties") && strstr(line, "256M"),
		   "alone: %s", line);
	}
	return done();
}
