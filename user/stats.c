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

int dsaio_ties(const struct dsaio_tie_point *pts, size_t n, double confidence,
	       double margin, size_t *best, bool *tied)
{
	double *mean, *med, ss = 0, df = 0, bound_margin, t = 0, sp = 0;
	size_t i, j, b = n;
	int count = 0;

	if (!confidence_ok(confidence) || margin < 0)
		return -EINVAL;
	mean = calloc(n ? n : 1, sizeof(*mean));
	med = calloc(n ? n : 1, sizeof(*med));
	if (!mean || !med) {
		free(mean);
		free(med);
		return -ENOMEM;
	}
	for (i = 0; i < n; i++) {
		tied[i] = false;
		for (j = 0; j < pts[i].n; j++) {
			if (!(pts[i].score[j] > 0) || !isfinite(pts[i].score[j])) {
				count = -EINVAL;
				goto out;
			}
			mean[i] += log(pts[i].score[j]);
		}
		if (!pts[i].n)
			continue;
		mean[i] /= (double)pts[i].n;
		med[i] = dsaio_median(pts[i].score, pts[i].n);
		for (j = 0; j < pts[i].n; j++)
			ss += (log(pts[i].score[j]) - mean[i]) *
			      (log(pts[i].score[j]) - mean[i]);
		df += (double)(pts[i].n - 1);
		if (b == n || med[i] > med[b])
			b = i;
	}
	if (b == n) {
		count = -EINVAL;
		goto out;
	}
	if (df > 0) {
		sp = sqrt(ss / df);
		t = dsaio_t_quantile((1 + confidence) / 2, df);
	}
	bound_margin = log1p(margin);
	for (i = 0; i < n; i++) {
		double gap, bound = bound_margin;

		if (!pts[i].n)
			continue;
		gap = mean[b] - mean[i];
		if (df > 0)
			bound = fmax(bound, t * sp *
				     sqrt(1.0 / (double)pts[b].n +
					  1.0 / (double)pts[i].n));
		tied[i] = i == b || gap <= bound;
		count += tied[i];
	}
	*best = b;
out:
	free(mean);
	free(med);
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
