/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Repeats, confidence and ties: what N measurements of a point say about
 * its speed, and which points cannot be told apart from the best.
 *
 * Noise on a shared machine or a drive is multiplicative (a neighbour, a
 * throttled drive or a full SLC cache slows every request of a run by a
 * factor), so everything here works on ln(speed): the factor becomes an
 * added term whose size does not depend on how fast the point is.
 *
 * The interval is a Student t interval on ln(speed), exponentiated. It is
 * an interval for the median speed when ln(speed) is symmetric about its
 * centre (then mean = median), and it exists from N = 2 on. The
 * distribution-free alternative, an order-statistic interval for the
 * median, cannot reach 95 % below N = 6: the widest one, [min, max],
 * covers the median with probability 1 - 2 * 0.5^N, which is 75 % at N = 3
 * and 93.75 % at N = 5; for the N = 3..10 a user can afford it would be
 * min-max at a lower, N-dependent confidence. The t interval's cost is its
 * assumption: a heavy-tailed run (one repeat slowed twice) widens it, so
 * it errs towards calling points tied, never towards a false winner.
 *
 * The tie test compares scores as the tool ranks them, the median read
 * speed plus the median write speed (per op, so one run slowed by a
 * neighbour moves neither median): a point is tied with the best when
 * the gap of its ln(score) to the best's is within t x sqrt(V_b + V_i),
 * or within a practical margin (a gap no user cares about, which many
 * repeats would otherwise resolve). V is the variance of ln(score) by the
 * delta method, (R^2 s_r^2 v(n_r) / n_r + W^2 s_w^2 v(n_w) / n_w) /
 * (R + W)^2 with R, W the medians and n their repeats; v(n), the variance
 * of a median relative to one value's times n, is pi / 2 from three
 * repeats on (its large-sample value, above the exact 1.35 at three:
 * conservative), 1 for one or two. s_r, s_w is one noise level per op for
 * all points (every point shares the machine's noise), estimated
 * robustly: the median, over every run of every point, of |ln(speed) -
 * ln(its point's median)|, each residual divided by c(n), the median of
 * that residual for n standard normal draws (simulated once, stats.c).
 * Not a pooled variance: one run slowed twice by a neighbour would widen
 * every interval and fill the tie set with slower points, which the
 * memory tie-break would then pick. t has the pooled sum(n - 1) degrees
 * of freedom.
 */
#ifndef DSAIO_USER_STATS_H
#define DSAIO_USER_STATS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "model.h"

/* Default confidence of intervals and of the tie test. */
#define DSAIO_CONFIDENCE	0.95
/* Default practical margin: gaps under 2 % of the best are ties. */
#define DSAIO_TIE_MARGIN	0.02

/* N repeats of one figure (a speed, > 0). */
struct dsaio_spread {
	size_t n;
	double median, min, max;
	/* ln(speed): mean and sample standard deviation (0 when n < 2). */
	double log_mean, log_sd;
	/* The confidence interval of the median; only when n >= 2. */
	bool have_interval;
	double confidence, lo, hi;
};

/* The median of x[0..n) (the mean of the middle two when n is even). */
double dsaio_median(const double *x, size_t n);

/* Student t quantile: P(T <= q) = p with df degrees of freedom. */
double dsaio_t_quantile(double p, double df);

/*
 * Summarises x[0..n): median, min-max, and the interval at confidence
 * (0 < confidence < 1) when n >= 2. Returns 0, or -EINVAL when n is 0,
 * a value is not > 0 (a speed), or the confidence is out of range.
 */
int dsaio_spread(const double *x, size_t n, double confidence,
		 struct dsaio_spread *out);

/*
 * One point's repeats, per op: E2E speeds (> 0). An op the sweep did not
 * ask for has n 0; a point with neither is not measured.
 */
struct dsaio_tie_point {
	const double *read, *write;
	size_t n_read, n_write;
};

/*
 * The point's score: the median read speed plus the median write speed,
 * as the tool reports and ranks them (0 when not measured).
 */
double dsaio_tie_score(const struct dsaio_tie_point *p);

/*
 * The tie set of pts[0..n): *best is the point with the highest score
 * (the first of equal ones), tied[i] is true for it and for every point
 * tied with it at confidence with the given margin (relative, e.g. 0.02);
 * score[i] (when score is not NULL) gets each point's score. With fewer
 * than two repeats of any point no variance is known and only the margin
 * decides. Returns the number tied (>= 1), or -EINVAL when no point is
 * measured, a speed is not > 0 or the confidence is out of range. Not
 * for two threads at once (a cache of constants, stats.c).
 */
int dsaio_ties(const struct dsaio_tie_point *pts, size_t n, double confidence,
	       double margin, size_t *best, bool *tied, double *score);

/*
 * Pinned host memory a point needs: queue_depth x block_size x
 * io_parallel bytes (DeepSpeed pins each worker's queue of blocks).
 */
uint64_t dsaio_pinned_bytes(const struct dsaio_params *p);

/*
 * The tie-break: among the tied points, the one needing the least pinned
 * memory; of equal memory the higher median score, then the lower index.
 * median[i] is point i's median score. Returns its index, or n when no
 * point is tied.
 */
size_t dsaio_tie_pick(const struct dsaio_params *params, const double *median,
		      const bool *tied, size_t n);

/*
 * The one line that says so, e.g. "4 points tie with the best at 95 %
 * confidence; recommended: the one needing the least pinned host memory
 * (queue_depth x block_size x io_parallel = 32M), 2.1 % below the best".
 */
void dsaio_tie_sentence(char *buf, size_t len, size_t n_tied,
			double confidence, const struct dsaio_params *pick,
			double pick_median, double best_median);
#endif
