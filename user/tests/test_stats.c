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

	/* Ties (reads only: the write side empty). */
	{
		double a[] = { 2.00, 2.02, 1.98 };	/* best, tight */
		double b[] = { 1.00, 1.01, 0.99 };	/* half: clearly worse */
		double c[] = { 1.97, 1.99, 1.95 };	/* 1.5 % below: margin */
		double d[] = { 1.90, 1.86, 1.88 };	/* 6 % below */
		double one_a[] = { 2.0 }, one_b[] = { 1.97 }, one_c[] = { 1.8 };
		struct dsaio_tie_point pts[] = {
			{ b, NULL, 3, 0 }, { a, NULL, 3, 0 }, { c, NULL, 3, 0 },
			{ d, NULL, 3, 0 }, { NULL, NULL, 0, 0 },
		};
		bool tied[5];
		double score[5];
		size_t best = 99;

		rc = dsaio_ties(pts, 5, 0.95, 0.02, &best, tied, score);
		is_int(best, 1, "best: the highest median");
		is_dbl(score[1], 2.00, "score: the median");
		ok(rc == 2 && tied[1] && tied[2] && !tied[0] && !tied[3] && !tied[4],
		   "tight repeats: the best and the one within the 2 %% margin tie (%d)", rc);
		rc = dsaio_ties(pts, 5, 0.95, 0, &best, tied, NULL);
		ok(rc == 2 && tied[2], "1.5 %% below with sd ~1 %% is not resolved by the test");

		/* The same gaps with noisy repeats: nothing but the half is told apart. */
		{
			double na[] = { 2.4, 1.7, 2.0 }, nd[] = { 2.2, 1.6, 1.85 };
			double nb[] = { 1.2, 0.85, 1.0 };
			struct dsaio_tie_point np[] = {
				{ nb, NULL, 3, 0 }, { na, NULL, 3, 0 }, { nd, NULL, 3, 0 },
			};

			rc = dsaio_ties(np, 3, 0.95, 0.02, &best, tied, NULL);
			ok(rc == 2 && best == 1 && tied[2] && !tied[0],
			   "noisy repeats: 7.5 %% below ties, half below does not");
		}
		{
			struct dsaio_tie_point op[] = {
				{ one_a, NULL, 1, 0 }, { one_b, NULL, 1, 0 }, { one_c, NULL, 1, 0 },
			};

			rc = dsaio_ties(op, 3, 0.95, 0.02, &best, tied, NULL);
			ok(rc == 2 && best == 0 && tied[1] && !tied[2],
			   "one repeat each: no variance, only the margin ties");
		}
		{
			struct dsaio_tie_point none[] = { { NULL, NULL, 0, 0 } };
			double neg[] = { 1, -1 };
			struct dsaio_tie_point bad[] = { { neg, NULL, 2, 0 } };

			is_int(dsaio_ties(none, 1, 0.95, 0.02, &best, tied, NULL), -EINVAL,
			       "no point measured: refused");
			is_int(dsaio_ties(pts, 5, 1.5, 0.02, &best, tied, NULL), -EINVAL,
			       "confidence out of range: refused");
			is_int(dsaio_ties(bad, 1, 0.95, 0.02, &best, tied, NULL), -EINVAL,
			       "a speed <= 0: refused");
		}
	}

	/* Both ops: medians per op, so one slowed run moves neither. */
	{
		double ra[] = { 3.0, 3.1, 1.5 }, wa[] = { 2.0, 1.0, 2.1 };	/* a run of each slowed 2x */
		double rb[] = { 2.9, 2.95, 2.85 }, wb[] = { 1.9, 1.95, 1.85 };
		double rc3[] = { 2.0, 2.05, 1.95 }, wc[] = { 1.2, 1.25, 1.15 };
		struct dsaio_tie_point two[] = {
			{ ra, wa, 3, 3 }, { rb, wb, 3, 3 }, { rc3, wc, 3, 3 },
		};
		bool tied[3];
		double score[3];
		size_t best = 9;

		rc = dsaio_ties(two, 3, 0.95, 0.02, &best, tied, score);
		is_dbl(dsaio_tie_score(&two[0]), 5.0, "score: median read 3.0 + median write 2.0");
		ok(rc == 2 && best == 0 && tied[1] && !tied[2],
		   "the slowed runs neither lower the best's score nor widen the set "
		   "to the point 35 %% below (%d tied)", rc);
	}

	/* Many points, one noise level: the median of their variances. */
	{
		enum { NP = 40, NR = 3 };
		static double r[NP][NR];
		struct dsaio_tie_point mp[NP];
		bool tied[NP];
		size_t i, j, best, wrong = 0, n_true = 0;

		/* True speeds 2.0 down in 1 % steps; noise sd 3 %. */
		for (i = 0; i < NP; i++) {
			for (j = 0; j < NR; j++)
				r[i][j] = 2.0 * (1 - 0.01 * (double)i) * exp(0.03 * normal());
			mp[i] = (struct dsaio_tie_point){ r[i], NULL, NR, 0 };
		}
		rc = dsaio_ties(mp, NP, 0.95, 0, &best, tied, NULL);
		/* Two medians of 3 at sd 3 %: the bound is about
		 * 1.99 x 0.03 x sqrt(2 x 1.57 / 3) = 6 %. */
		for (i = 0; i < NP; i++) {
			n_true += tied[i];
			wrong += tied[i] && i > 15;
		}
		ok(rc > 1 && best < 5 && wrong == 0 && n_true < 16,
		   "40 points 1 %% apart, sd 3 %%: %zu tied, none 15 %% or more below", n_true);
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
