// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Repeats, confidence and ties (why these methods: stats.h). The t
 * quantile comes from R's standalone maths library (Rmath, r-mathlib),
 * which computes it for any real degrees of freedom.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MATHLIB_STANDALONE
#include <Rmath.h>

#include "stats.h"
#include "units.h"

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

double dsaio_median(const double *x, size_t n)
{
	double *s, m;

	if (!n)
		return 0;
	s = malloc(n * sizeof(*s));
	if (!s) {
		size_t i;

		/* No copy to sort: the mean is the best we can say. */
		for (m = 0, i = 0; i < n; i++)
			m += x[i];
		return m / (double)n;
	}
	memcpy(s, x, n * sizeof(*s));
	qsort(s, n, sizeof(*s), cmp_double);
	m = n % 2 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
	free(s);
	return m;
}

double dsaio_t_quantile(double p, double df)
{
	return qt(p, df, 1, 0);
}

static bool confidence_ok(double c)
{
	return c > 0 && c < 1;
}

int dsaio_spread(const double *x, size_t n, double confidence,
		 struct dsaio_spread *out)
{
	double sum = 0, ss = 0;
	size_t i;

	memset(out, 0, sizeof(*out));
	if (!n || !confidence_ok(confidence))
		return -EINVAL;
	for (i = 0; i < n; i++)
		if (!(x[i] > 0) || !isfinite(x[i]))
			return -EINVAL;
	out->n = n;
	out->min = out->max = x[0];
	for (i = 0; i < n; i++) {
		out->min = fmin(out->min, x[i]);
		out->max = fmax(out->max, x[i]);
		sum += log(x[i]);
	}
	out->median = dsaio_median(x, n);
	out->log_mean = sum / (double)n;
	out->confidence = confidence;
	if (n < 2)
		return 0;
	for (i = 0; i < n; i++)
		ss += (log(x[i]) - out->log_mean) * (log(x[i]) - out->log_mean);
	out->log_sd = sqrt(ss / (double)(n - 1));
	{
		double t = dsaio_t_quantile((1 + confidence) / 2, (double)(n - 1));
		double h = t * out->log_sd / sqrt((double)n);

		out->lo = exp(out->log_mean - h);
		out->hi = exp(out->log_mean + h);
	}
	out->have_interval = true;
	return 0;
}

double dsaio_tie_score(const struct dsaio_tie_point *p)
{
	return (p->n_read ? dsaio_median(p->read, p->n_read) : 0) +
	       (p->n_write ? dsaio_median(p->write, p->n_write) : 0);
}

/* One op's samples are speeds; returns false when one is not > 0. */
static bool speeds_ok(const double *x, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!(x[i] > 0) || !isfinite(x[i]))
			return false;
	return true;
}

/* Reproducible standard normal draws (xorshift64*, Box-Muller). */
static double std_normal(uint64_t *st)
{
	double u[2];
	int i;

	for (i = 0; i < 2; i++) {
		*st ^= *st >> 12;
		*st ^= *st << 25;
		*st ^= *st >> 27;
		u[i] = (double)((*st * 2685821657736338717ULL) >> 11) *
		       (1.0 / 9007199254740992.0);
	}
	return sqrt(-2 * log(u[0] > 0 ? u[0] : 1e-300)) * cos(2 * M_PI * u[1]);
}

#define RESID_MAX_N 64

/*
 * c(n): the median of |x - median(x)| over n standard normal draws, the
 * median's own zero left out when n is odd: what one residual of a point
 * with n repeats is, in units of sigma. No closed form exists past n = 2,
 * so it is simulated once (60000 residuals, a fixed seed: the same value
 * every run); past RESID_MAX_N the large-n value, 0.6745. The cache makes
 * dsaio_ties() unsafe to call from two threads at once; the tool ranks in
 * one.
 */
static double resid_const(size_t n)
{
	static double cache[RESID_MAX_N + 1];
	enum { TOTAL = 60000 };
	double *r, x[RESID_MAX_N], med;
	uint64_t st = 0x9E3779B97F4A7C15ULL;
	size_t got = 0, j;

	if (n > RESID_MAX_N)
		return 0.6745;
	if (cache[n] > 0)
		return cache[n];
	r = malloc((TOTAL + RESID_MAX_N) * sizeof(*r));
	if (!r)
		return 0.6745;
	while (got < TOTAL) {
		for (j = 0; j < n; j++)
			x[j] = std_normal(&st);
		med = dsaio_median(x, n);
		for (j = 0; j < n; j++)
			if (x[j] != med)
				r[got++] = fabs(x[j] - med);
	}
	cache[n] = dsaio_median(r, got);
	free(r);
	return cache[n];
}

/*
 * Robust sigma^2 of ln(speed) of one op over the points: the median of
 * all their residuals from their own medians, each over c(n), squared.
 * One slowed run is one large residual among many, so unlike a variance
 * it moves the estimate by little. 0: unknown (no point has two runs).
 */
static int op_sigma2(const struct dsaio_tie_point *pts, size_t n, bool write,
		     double *sigma2, double *df)
{
	double *res, *lx;
	size_t i, j, nr = 0, cap = 0, maxn = 0;

	for (i = 0; i < n; i++) {
		size_t k = write ? pts[i].n_write : pts[i].n_read;

		cap += k;
		maxn = k > maxn ? k : maxn;
	}
	res = malloc((cap ? cap : 1) * sizeof(*res));
	lx = malloc((maxn ? maxn : 1) * sizeof(*lx));
	if (!res || !lx) {
		free(res);
		free(lx);
		return -ENOMEM;
	}
	for (i = 0; i < n; i++) {
		const double *x = write ? pts[i].write : pts[i].read;
		size_t k = write ? pts[i].n_write : pts[i].n_read;
		double med, c;
		bool skipped = false;

		if (k < 2)
			continue;
		for (j = 0; j < k; j++)
			lx[j] = log(x[j]);
		med = dsaio_median(lx, k);
		c = resid_const(k);
		for (j = 0; j < k; j++) {
			/* An odd n's median is one of the values: its zero
			 * residual is no information. */
			if (k % 2 && !skipped && lx[j] == med) {
				skipped = true;
				continue;
			}
			res[nr++] = fabs(lx[j] - med) / c;
		}
		*df += (double)(k - 1);
	}
	*sigma2 = 0;
	if (nr) {
		double sg = dsaio_median(res, nr);

		*sigma2 = sg * sg;
	}
	free(res);
	free(lx);
	return 0;
}

/* Var(median of n) / Var(one value) x n: 1 up to two values, pi/2 after. */
static double median_var_factor(size_t n)
{
	return n >= 3 ? M_PI / 2 : 1;
}

/* The delta-method variance of ln(score) of one point. */
static double score_var(const struct dsaio_tie_point *p, double s2r,
			double s2w)
{
	double r = p->n_read ? dsaio_median(p->read, p->n_read) : 0;
	double w = p->n_write ? dsaio_median(p->write, p->n_write) : 0;
	double v = 0;

	if (p->n_read)
		v += r * r * s2r * median_var_factor(p->n_read) / (double)p->n_read;
	if (p->n_write)
		v += w * w * s2w * median_var_factor(p->n_write) /
		     (double)p->n_write;
	return v / ((r + w) * (r + w));
}

int dsaio_ties(const struct dsaio_tie_point *pts, size_t n, double confidence,
	       double margin, size_t *best, bool *tied, double *score)
{
	double *sc, s2r = 0, s2w = 0, df = 0, t = 0, vb;
	size_t i, b = n;
	int count = 0;

	if (!confidence_ok(confidence) || margin < 0)
		return -EINVAL;
	for (i = 0; i < n; i++)
		if (!speeds_ok(pts[i].read, pts[i].n_read) ||
		    !speeds_ok(pts[i].write, pts[i].n_write))
			return -EINVAL;
	sc = calloc(n ? n : 1, sizeof(*sc));
	if (!sc || op_sigma2(pts, n, false, &s2r, &df) ||
	    op_sigma2(pts, n, true, &s2w, &df)) {
		free(sc);
		return -ENOMEM;
	}
	for (i = 0; i < n; i++) {
		tied[i] = false;
		sc[i] = dsaio_tie_score(&pts[i]);
		if (sc[i] > 0 && (b == n || sc[i] > sc[b]))
			b = i;
		if (score)
			score[i] = sc[i];
	}
	if (b == n) {
		free(sc);
		return -EINVAL;
	}
	if (df > 0)
		t = dsaio_t_quantile((1 + confidence) / 2, df);
	vb = score_var(&pts[b], s2r, s2w);
	for (i = 0; i < n; i++) {
		double bound = log1p(margin);

		if (!(sc[i] > 0))
			continue;
		if (df > 0)
			bound = fmax(bound, t * sqrt(vb + score_var(&pts[i], s2r,
								    s2w)));
		tied[i] = i == b || log(sc[b] / sc[i]) <= bound;
		count += tied[i];
	}
	*best = b;
	free(sc);
	return count;
}

uint64_t dsaio_pinned_bytes(const struct dsaio_params *p)
{
	return (uint64_t)p->queue_depth * p->block_size * p->io_parallel;
}

size_t dsaio_tie_pick(const struct dsaio_params *params, const double *median,
		      const bool *tied, size_t n)
{
	size_t i, pick = n;

	for (i = 0; i < n; i++) {
		uint64_t m;

		if (!tied[i])
			continue;
		m = dsaio_pinned_bytes(&params[i]);
		if (pick == n || m < dsaio_pinned_bytes(&params[pick]) ||
		    (m == dsaio_pinned_bytes(&params[pick]) &&
		     median[i] > median[pick]))
			pick = i;
	}
	return pick;
}

void dsaio_tie_sentence(char *buf, size_t len, size_t n_tied,
			double confidence, const struct dsaio_params *pick,
			double pick_median, double best_median)
{
	char mem[32];

	dsaio_format_size(dsaio_pinned_bytes(pick), mem, sizeof(mem));
	if (n_tied <= 1) {
		snprintf(buf, len, "No other point ties with the best at %g %% "
			 "confidence; it needs %s of pinned host memory "
			 "(queue_depth x block_size x io_parallel)",
			 confidence * 100, mem);
		return;
	}
	snprintf(buf, len, "%zu points tie with the best at %g %% confidence; "
		 "recommended: the one needing the least pinned host memory "
		 "(queue_depth x block_size x io_parallel = %s), %.1f %% below "
		 "the best's median", n_tied, confidence * 100, mem,
		 best_median > 0 ? 100 * (1 - pick_median / best_median) : 0);
}
