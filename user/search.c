// SPDX-License-Identifier: GPL-2.0 OR MIT
/* The adaptive search: successive halving (the method: search.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "search.h"
#include "stats.h"

/* Repeats one point can have in one round. */
#define MAX_REPEATS 16
/*
 * Shares of the budget the last round gets on top of its own: the rounds
 * before it each take remaining / (rounds left + FINAL_EXTRA), the last
 * round what is left. The last round decides, and its runs are the
 * largest.
 */
#define FINAL_EXTRA 2

struct search {
	struct dsaio_search_config c;	/* with the defaults filled in */
	dsaio_search_measure_fn measure;
	void *ctx;
	size_t *cand, ncand;		/* this round's candidates */
	/* [n][MAX_REPEATS] E2E speeds per op, 0 for an op not asked */
	double *samp_r, *samp_w;
	size_t *cnt;			/* [n] runs at this io_size */
	uint64_t bytes, budget;
	double seconds;
	struct dsaio_search_result *res;
};

static void defaults(struct dsaio_search_config *c)
{
	if (!c->loops)
		c->loops = 2;
	if (!c->align)
		c->align = 4096;
	if (!c->min_io_size)
		c->min_io_size = c->io_size / 64 ? c->io_size / 64 : 1;
	if (c->confidence <= 0)
		c->confidence = DSAIO_CONFIDENCE;
	if (c->margin < 0)
		c->margin = DSAIO_TIE_MARGIN;
	if (c->eta < 2)
		c->eta = 2;
	if (!c->final_keep)
		c->final_keep = 2;
	if (!c->final_repeats)
		c->final_repeats = 3;
	if (c->final_repeats > MAX_REPEATS)
		c->final_repeats = MAX_REPEATS;
	if (!c->repeats)
		c->repeats = 7;
	if (c->repeats > MAX_REPEATS)
		c->repeats = MAX_REPEATS;
}

uint64_t dsaio_search_grid_bytes(const struct dsaio_search_config *cfg)
{
	unsigned int loops = cfg->loops ? cfg->loops : 2;

	return (uint64_t)cfg->n * cfg->io_size * cfg->n_ops * loops;
}

/*
 * The io_size of a round's runs: the same for every candidate, so their
 * figures compare, and never below one block per worker of any of them
 * nor the configured floor.
 */
static uint64_t round_io(const struct search *s, uint64_t io)
{
	uint64_t floor = s->c.min_io_size;
	size_t i;

	for (i = 0; i < s->ncand; i++) {
		const struct dsaio_params *p = &s->c.points[s->cand[i]];
		uint64_t f = p->block_size * (p->io_parallel ? p->io_parallel : 1);

		if (f > floor)
			floor = f;
	}
	if (io < floor)
		io = floor;
	if (io >= s->c.io_size)
		return s->c.io_size;
	/* Up to the alignment: a floor of whole blocks stays above it. */
	io = (io + s->c.align - 1) / s->c.align * s->c.align;
	return io > s->c.io_size ? s->c.io_size : io;
}

static uint64_t run_bytes(const struct search *s, uint64_t io)
{
	return io * s->c.n_ops * s->c.loops;
}

/* Bytes of one pass (every candidate once) at a round_io() io. */
static uint64_t pass_bytes(const struct search *s, uint64_t io)
{
	return run_bytes(s, io) * s->ncand;
}

/* Rounds still to run from m candidates, this one included. */
static unsigned int rounds_left(const struct search *s, size_t m)
{
	unsigned int r = 1;

	while (m > s->c.final_keep) {
		m = (m + s->c.eta - 1) / s->c.eta;
		if (m < s->c.final_keep)
			m = s->c.final_keep;
		r++;
	}
	return r;
}

/*
 * What the last round needs at least: one pass of final_keep points at
 * the smallest io_size (bounded by this round's floor, which a subset of
 * its candidates can only lower); none when this is the last.
 */
static uint64_t reserve(const struct search *s, unsigned int left)
{
	uint64_t r = run_bytes(s, round_io(s, s->c.min_io_size)) *
		     (s->ncand < s->c.final_keep ? s->ncand : s->c.final_keep);

	if (left <= 1)
		return 0;
	return r > s->budget - s->bytes ? s->budget - s->bytes : r;
}

/*
 * This round's io_size and passes within share bytes: the largest
 * power-of-two fraction of the grid's io_size that fits want passes,
 * fewer passes if none does; at full io_size, as many passes as fit
 * (up to MAX_REPEATS). Returns false when not even one pass fits.
 */
static bool plan(const struct search *s, uint64_t share, unsigned int want,
		 uint64_t *io, unsigned int *passes)
{
	unsigned int r;

	for (r = want; r >= 1; r--) {
		uint64_t x;

		for (x = s->c.io_size; x >= s->c.min_io_size && x; x /= 2) {
			uint64_t rio = round_io(s, x), pb = pass_bytes(s, rio);

			if (pb * r > share)
				continue;
			if (rio == s->c.io_size)
				while (r < MAX_REPEATS && pb * (r + 1) <= share)
					r++;
			*io = rio;
			*passes = r;
			return true;
		}
	}
	return false;
}

/* A usable sample: every op asked for has a speed. */
static bool usable(const struct search *s, const struct dsaio_search_sample *m)
{
	int ops = (m->read_gbs > 0) + (m->write_gbs > 0);

	return s->c.n_ops == 2 ? ops == 2 : ops >= 1;
}

/* Point pt's runs, as the tie test takes them. */
static struct dsaio_tie_point view(const struct search *s, size_t pt)
{
	struct dsaio_tie_point tp = {
		.read = &s->samp_r[pt * MAX_REPEATS],
		.write = &s->samp_w[pt * MAX_REPEATS],
	};

	if (s->cnt[pt] && tp.read[0] > 0)
		tp.n_read = s->cnt[pt];
	if (s->cnt[pt] && tp.write[0] > 0)
		tp.n_write = s->cnt[pt];
	return tp;
}

/* Drops candidate i (it failed). */
static void drop(struct search *s, size_t i)
{
	memmove(&s->cand[i], &s->cand[i + 1],
		(s->ncand - i - 1) * sizeof(*s->cand));
	s->ncand--;
}

/*
 * One pass: every candidate once, forwards on even passes and backwards
 * on odd ones. Returns 0, 1 when the budget or a cancel stopped it.
 */
static int one_pass(struct search *s, unsigned int round, unsigned int pass,
		    uint64_t io)
{
	size_t k, n = s->ncand;

	for (k = 0; k < n; k++) {
		size_t i = pass % 2 ? n - 1 - k : k, pt;
		struct dsaio_search_request rq;
		struct dsaio_search_sample m;
		uint64_t b;
		int rc;

		pt = s->cand[i];
		b = run_bytes(s, io);
		if (s->bytes + b > s->budget)
			return 1;
		if (s->c.budget_seconds > 0 && s->bytes &&
		    s->seconds + s->seconds / (double)s->bytes * (double)b >
		    s->c.budget_seconds)
			return 1;
		rq.point = pt;
		rq.params = &s->c.points[pt];
		rq.io_size = io;
		rq.round = round;
		rq.pass = pass;
		memset(&m, 0, sizeof(m));
		rc = s->measure(s->ctx, &rq, &m);
		s->bytes += b;
		s->res->measurements++;
		if (rc == -ECANCELED) {
			s->res->cancelled = true;
			return 1;
		}
		if (m.seconds > 0)
			s->seconds += m.seconds;
		if (rc || !usable(s, &m)) {
			s->res->failed++;
			s->cnt[pt] = 0;
			drop(s, i);
			/* Forwards the next one moved into i; backwards the
			 * ones before i did not move. */
			if (pass % 2 == 0) {
				k--;
				n--;
			}
			continue;
		}
		if (s->cnt[pt] < MAX_REPEATS) {
			size_t j = pt * MAX_REPEATS + s->cnt[pt]++;

			s->samp_r[j] = m.read_gbs > 0 ? m.read_gbs : 0;
			s->samp_w[j] = m.write_gbs > 0 ? m.write_gbs : 0;
		}
	}
	return 0;
}

static int cmp_desc(const void *a, const void *b, void *arg)
{
	const double *med = arg;
	size_t x = *(const size_t *)a, y = *(const size_t *)b;

	if (med[x] != med[y])
		return med[x] < med[y] ? 1 : -1;
	return (x > y) - (x < y);
}

/* Score (median read + median write) of every candidate. */
static void medians(const struct search *s, double *med)
{
	size_t i;

	for (i = 0; i < s->ncand; i++) {
		struct dsaio_tie_point tp = view(s, s->cand[i]);

		med[s->cand[i]] = dsaio_tie_score(&tp);
	}
}

/* The tie set and the pick over the candidates of the last round. */
static int finish(struct search *s, uint64_t io)
{
	struct dsaio_search_result *r = s->res;
	struct dsaio_tie_point *tp;
	size_t i, best;
	int rc;

	tp = calloc(s->c.n, sizeof(*tp));
	if (!tp)
		return -ENOMEM;
	for (i = 0; i < s->ncand; i++) {
		size_t pt = s->cand[i];

		tp[pt] = view(s, pt);
		r->repeats[pt] = s->cnt[pt];
	}
	rc = dsaio_ties(tp, s->c.n, s->c.confidence, s->c.margin, &best,
			r->tied, r->median);
	free(tp);
	if (rc < 0)
		return rc == -EINVAL ? -ENODATA : rc;
	r->n_tied = (size_t)rc;
	r->best = best;
	r->chosen = dsaio_tie_pick(s->c.points, r->median, r->tied, s->c.n);
	r->final_io_size = io;
	return 0;
}

static int search(struct search *s)
{
	double *med = s->res->median;
	uint64_t io = 0, prev_io = 0;
	unsigned int round = 0;
	size_t *prev_cand, prev_n = 0;
	double *prev_r, *prev_w;
	size_t *prev_cnt;
	int rc = 0;

	prev_cand = malloc(s->c.n * sizeof(*prev_cand));
	prev_r = malloc(s->c.n * MAX_REPEATS * sizeof(*prev_r));
	prev_w = malloc(s->c.n * MAX_REPEATS * sizeof(*prev_w));
	prev_cnt = malloc(s->c.n * sizeof(*prev_cnt));
	if (!prev_cand || !prev_r || !prev_w || !prev_cnt) {
		rc = -ENOMEM;
		goto out;
	}
	for (;; round++) {
		bool last = s->ncand <= s->c.final_keep;
		unsigned int left = rounds_left(s, s->ncand), passes, p;
		uint64_t share = (s->budget - s->bytes) /
				 (left > 1 ? left + FINAL_EXTRA : 1), next_io;
		size_t keep, i;

		/* A round that does not fit its share (a small grid whose
		 * floor, one block per worker, is large) may take what the
		 * last round's smallest pass leaves; when that is not enough
		 * either, the last round comes next, with the best so far. */
		if (!plan(s, share, last ? s->c.final_repeats : s->c.repeats,
			  &next_io, &passes) &&
		    !plan(s, s->budget - s->bytes - reserve(s, left),
			  last ? s->c.final_repeats : s->c.repeats, &next_io,
			  &passes)) {
			if (round == 0) {
				rc = -EINVAL;
				goto out;
			}
			if (!last) {
				s->ncand = s->c.final_keep;
				continue;
			}
			s->res->cut = true;
			break;
		}
		/* Keep the previous round: a cut round falls back on it. */
		memcpy(prev_cand, s->cand, s->ncand * sizeof(*prev_cand));
		prev_n = s->ncand;
		memcpy(prev_r, s->samp_r, s->c.n * MAX_REPEATS * sizeof(*prev_r));
		memcpy(prev_w, s->samp_w, s->c.n * MAX_REPEATS * sizeof(*prev_w));
		memcpy(prev_cnt, s->cnt, s->c.n * sizeof(*prev_cnt));
		prev_io = io;
		io = next_io;
		/* Runs of the same io_size compare: a round at the previous
		 * one's io_size adds to its survivors' runs, up to what a
		 * point can hold (none left: the runs it has decide). */
		if (io != prev_io) {
			for (i = 0; i < s->c.n; i++)
				s->cnt[i] = 0;
		} else {
			size_t most = 0;

			for (i = 0; i < s->ncand; i++)
				if (s->cnt[s->cand[i]] > most)
					most = s->cnt[s->cand[i]];
			if (most >= MAX_REPEATS)
				break;
			if (passes > MAX_REPEATS - most)
				passes = (unsigned int)(MAX_REPEATS - most);
		}
		s->res->rounds = round + 1;
		for (p = 0; p < passes; p++)
			if (one_pass(s, round, p, io))
				break;
		if (p < passes) {
			s->res->cut = true;
			/* Usable when every candidate got a run. */
			for (i = 0; i < s->ncand && s->cnt[s->cand[i]]; i++)
				;
			if (i < s->ncand && round > 0) {
				memcpy(s->cand, prev_cand, prev_n * sizeof(*prev_cand));
				s->ncand = prev_n;
				memcpy(s->samp_r, prev_r,
				       s->c.n * MAX_REPEATS * sizeof(*prev_r));
				memcpy(s->samp_w, prev_w,
				       s->c.n * MAX_REPEATS * sizeof(*prev_w));
				memcpy(s->cnt, prev_cnt, s->c.n * sizeof(*prev_cnt));
				io = prev_io;
			}
			break;
		}
		if (!s->ncand) {
			rc = -ENODATA;
			goto out;
		}
		if (last)
			break;
		medians(s, med);
		qsort_r(s->cand, s->ncand, sizeof(*s->cand), cmp_desc, med);
		keep = (s->ncand + s->c.eta - 1) / s->c.eta;
		if (keep < s->c.final_keep)
			keep = s->c.final_keep;
		if (keep < s->ncand)
			s->ncand = keep;
	}
	memset(med, 0, s->c.n * sizeof(*med));
	rc = s->ncand ? finish(s, io) : -ENODATA;
out:
	free(prev_cand);
	free(prev_r);
	free(prev_w);
	free(prev_cnt);
	return rc;
}

int dsaio_search_run(const struct dsaio_search_config *cfg,
		     dsaio_search_measure_fn measure, void *ctx,
		     struct dsaio_search_result *res)
{
	struct search s;
	size_t i;
	int rc;

	memset(res, 0, sizeof(*res));
	if (!cfg->n || !cfg->points || !cfg->io_size || !measure ||
	    cfg->n_ops < 1 || cfg->n_ops > 2 || cfg->budget_seconds < 0)
		return -EINVAL;
	memset(&s, 0, sizeof(s));
	s.c = *cfg;
	defaults(&s.c);
	s.measure = measure;
	s.ctx = ctx;
	s.res = res;
	res->grid_bytes = dsaio_search_grid_bytes(&s.c);
	s.budget = cfg->budget_bytes ? cfg->budget_bytes : res->grid_bytes / 4;
	res->budget_bytes = s.budget;
	s.cand = malloc(s.c.n * sizeof(*s.cand));
	s.samp_r = calloc(s.c.n * MAX_REPEATS, sizeof(*s.samp_r));
	s.samp_w = calloc(s.c.n * MAX_REPEATS, sizeof(*s.samp_w));
	s.cnt = calloc(s.c.n, sizeof(*s.cnt));
	res->tied = calloc(s.c.n, sizeof(*res->tied));
	res->median = calloc(s.c.n, sizeof(*res->median));
	res->repeats = calloc(s.c.n, sizeof(*res->repeats));
	if (!s.cand || !s.samp_r || !s.samp_w || !s.cnt || !res->tied ||
	    !res->median ||
	    !res->repeats) {
		rc = -ENOMEM;
		goto out;
	}
	for (i = 0; i < s.c.n; i++)
		s.cand[i] = i;
	s.ncand = s.c.n;
	rc = search(&s);
	res->bytes = s.bytes;
	res->seconds = s.seconds;
out:
	free(s.cand);
	free(s.samp_r);
	free(s.samp_w);
	free(s.cnt);
	if (rc)
		dsaio_search_result_free(res);
	return rc;
}

void dsaio_search_result_free(struct dsaio_search_result *res)
{
	free(res->tied);
	free(res->median);
	free(res->repeats);
	res->tied = NULL;
	res->median = NULL;
	res->repeats = NULL;
}
