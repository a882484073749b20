// SPDX-License-Identifier: GPL-2.0 OR MIT
/* The adaptive search: successive halving (the method: search.h). */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "search.h"
#include "stats.h"

/* Runs of one point kept at one io_size (a full store drops its oldest). */
#define MAX_REPEATS 16
/*
 * Shares of the budget the last round gets on top of its own: the rounds
 * before it each take remaining / (rounds left + FINAL_EXTRA), the last
 * round what is left. The last round decides, and its runs are the
 * largest. 4, not 2, measured in the simulator on the recorded host
 * surface's rugged top (the hardest; seeds 1-3, 1000 trials): with 2 the
 * rounds before the last left the 2021 grid's final one pass at 256M or
 * less, and a finalist just below the true tie set was picked (88 % in
 * it, multiplicative noise); 3, 4 and 5 give 95.3-97.9 %, 97.8-98.6 %
 * and 96.6-98.1 % (multiplicative and recorded noise).
 */
#define FINAL_EXTRA 4
/* Rounds of standing the cut looks back on (see standing()). */
#define HISTORY 3

struct search {
	struct dsaio_search_config c;	/* with the defaults filled in */
	dsaio_search_measure_fn measure;
	void *ctx;
	size_t *cand, ncand;		/* this round's candidates */
	/* [n][MAX_REPEATS] E2E speeds per op, 0 for an op not asked */
	double *samp_r, *samp_w;
	size_t *cnt;			/* [n] runs at this io_size */
	uint64_t *pio;			/* [n] io_size of its runs */
	uint64_t base;			/* this round's base io_size */
	uint64_t one_io;		/* the last round's, for all; else 0 */
	unsigned int qshift;		/* full queues >> this (point_io) */
	uint64_t bytes, budget;
	double seconds;
	/* [n][HISTORY]: ln of its cut score over its group's median in the
	 * last rounds, oldest first; nhist[n] of them */
	double *hist;
	size_t *nhist;
	double *rank;			/* [n]: its standing, as the cut ranks */
	bool by_rank;			/* cmp_desc: rank, not cut_score */
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
	if (!c->final_repeats || c->final_repeats > MAX_REPEATS)
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

/* Up to the alignment, at most the grid's io_size. */
static uint64_t clamp_io(const struct search *s, uint64_t io)
{
	if (io >= s->c.io_size)
		return s->c.io_size;
	io = (io + s->c.align - 1) / s->c.align * s->c.align;
	return io > s->c.io_size ? s->c.io_size : io;
}

/*
 * Point pt's io_size in a round of base io_size base: the base, but at
 * least its full queue, block_size x queue_depth x io_parallel (its
 * pinned memory). In a smaller run a worker has fewer blocks than its
 * queue depth, the depth cannot show and the point reads slower than it
 * is (1M, qd 32, 8 workers at 8M: one block per worker, so every queue
 * depth looks alike); such a run ranks it unfairly. The grid's own
 * io_size is the ceiling: the grid sweep measures at it, limits and all.
 * When the budget cannot afford every full queue once (a small grid of
 * deep queues: the default grid's 8 points at 400M), the search runs at
 * a half, a quarter... of each (qshift), never below one block per
 * worker.
 */
static uint64_t point_io(const struct search *s, size_t pt, uint64_t base)
{
	const struct dsaio_params *p = &s->c.points[pt];
	uint64_t io = base > s->c.min_io_size ? base : s->c.min_io_size;
	uint64_t f = dsaio_pinned_bytes(p) >> s->qshift;
	uint64_t one = p->block_size * (p->io_parallel ? p->io_parallel : 1);

	if (f < one)
		f = one;

	return clamp_io(s, f > io ? f : io);
}

/* The io_size of pt this round: the last round runs all at one. */
static uint64_t cand_io(const struct search *s, size_t pt)
{
	return s->one_io ? s->one_io : point_io(s, pt, s->base);
}

/* The last round's one io_size at base: the largest of its candidates'. */
static uint64_t last_io(const struct search *s, uint64_t base)
{
	uint64_t io = 0, x;
	size_t i;

	for (i = 0; i < s->ncand; i++) {
		x = point_io(s, s->cand[i], base);
		if (x > io)
			io = x;
	}
	return io;
}

static uint64_t run_bytes(const struct search *s, uint64_t io)
{
	return io * s->c.n_ops * s->c.loops;
}

/* Bytes of one pass (every candidate once) at base. */
static uint64_t pass_bytes(const struct search *s, uint64_t base, bool last)
{
	uint64_t b = 0;
	size_t i;

	if (last)
		return run_bytes(s, last_io(s, base)) * s->ncand;
	for (i = 0; i < s->ncand; i++)
		b += run_bytes(s, point_io(s, s->cand[i], base));
	return b;
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
 * the largest io_size any candidate needs (they may be the survivors);
 * none when this is the last.
 */
static uint64_t reserve(const struct search *s, unsigned int left)
{
	uint64_t r = run_bytes(s, last_io(s, s->base)) *
		     (s->ncand < s->c.final_keep ? s->ncand : s->c.final_keep);

	if (left <= 1)
		return 0;
	return r > s->budget - s->bytes ? s->budget - s->bytes : r;
}

/*
 * This round's base io_size and passes within share bytes: the largest
 * power-of-two fraction of the grid's io_size, not below the previous
 * round's (runs only grow), that fits want passes, fewer passes if none
 * does; at full io_size, as many passes as fit (up to MAX_REPEATS). The
 * last round takes the largest that fits one pass, with as many passes
 * as fit there (up to final_repeats): a deep queue shows only in a large
 * run (the default grid's best on a CS3040, 1M x qd 32 x 8 workers, needs
 * 256M), and more runs at a size that hides it do not help. Returns false
 * when not even one pass fits.
 */
static bool plan(const struct search *s, uint64_t share, unsigned int want,
		 bool last, uint64_t *base, unsigned int *passes)
{
	unsigned int r, most = last ? s->c.final_repeats : MAX_REPEATS;

	if (last)
		want = 1;
	for (r = want; r >= 1; r--) {
		uint64_t x;

		for (x = s->c.io_size; x && x >= s->base; x /= 2) {
			uint64_t pb = pass_bytes(s, x, last);

			if (x < s->c.min_io_size && x != s->base)
				break;
			if (pb * r > share)
				continue;
			if (x == s->c.io_size || last)
				while (r < most && pb * (r + 1) <= share)
					r++;
			*base = x;
			*passes = r;
			return true;
		}
	}
	return false;
}

/*
 * The fallback when a round's share affords no pass: one pass at the
 * smallest base it may run at, if the rest of the budget less the last
 * round's reserve affords it. Not more: a round that took all it could
 * (the first version: 7 passes at the 8M floor, 32 of 36 GiB at 256M)
 * leaves the later rounds, whose larger runs decide, nothing to grow on.
 */
static bool plan_min(const struct search *s, uint64_t avail, bool last,
		     uint64_t *base, unsigned int *passes)
{
	uint64_t x = s->base ? s->base : s->c.min_io_size;

	if (pass_bytes(s, x, last) > avail)
		return false;
	*base = x;
	*passes = 1;
	return true;
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
 * on odd ones. Runs of one point at one io_size add up; a larger one
 * starts its runs afresh (only runs of one size compare). Returns 0, 1
 * when the budget or a cancel stopped it.
 */
static int one_pass(struct search *s, unsigned int round, unsigned int pass)
{
	size_t k, n = s->ncand;

	for (k = 0; k < n; k++) {
		size_t i = pass % 2 ? n - 1 - k : k, pt;
		struct dsaio_search_request rq;
		struct dsaio_search_sample m;
		uint64_t b, io;
		int rc;

		pt = s->cand[i];
		io = cand_io(s, pt);
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
		if (s->pio[pt] != io) {
			s->pio[pt] = io;
			s->cnt[pt] = 0;
		}
		if (s->cnt[pt] < MAX_REPEATS) {
			size_t j = pt * MAX_REPEATS + s->cnt[pt]++;

			s->samp_r[j] = m.read_gbs > 0 ? m.read_gbs : 0;
			s->samp_w[j] = m.write_gbs > 0 ? m.write_gbs : 0;
		}
	}
	return 0;
}

/* Point pt's full queue (its pinned memory), at most the grid's io_size. */
static uint64_t full_io(const struct search *s, size_t pt)
{
	const struct dsaio_params *p = &s->c.points[pt];
	uint64_t f = dsaio_pinned_bytes(p);
	uint64_t one = p->block_size * (p->io_parallel ? p->io_parallel : 1);

	return clamp_io(s, f > one ? f : one);
}

/*
 * Its runs were smaller than its full queue (when the budget cannot
 * afford every full queue once, qshift): a worker had fewer blocks than
 * its queue depth, so the run says how fast it is at most that deep, not
 * how fast it is.
 */
static bool limited(const struct search *s, size_t pt)
{
	return s->pio[pt] < full_io(s, pt);
}

/*
 * The cut's groups: the points whose runs had one io_size, and all the
 * limited points in one group of their own (key 0), whatever their size.
 */
static uint64_t group_key(const struct search *s, size_t pt)
{
	return limited(s, pt) ? 0 : s->pio[pt];
}

/*
 * What the cut ranks by: the score, for a limited point scaled to its
 * full queue by Little's law (requests in flight grow with the blocks a
 * worker has, so speed grows at most in proportion): unmeasured is not
 * slow, so it is ranked on what it may reach. Without it the default
 * grid's deep queues at 400M (1M x 32 x 8 at 8M, one block a worker)
 * read up to 32x slower and were cut before any run could show them.
 */
static double cut_score(const struct search *s, size_t pt)
{
	double m = s->res->median[pt];

	if (limited(s, pt))
		m *= (double)full_io(s, pt) / (double)s->pio[pt];
	return m;
}

/* Descending by cut score within one group; by group first. */
static int cmp_desc(const void *a, const void *b, void *arg)
{
	const struct search *s = arg;
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	uint64_t gx = group_key(s, x), gy = group_key(s, y);
	double mx = s->by_rank ? s->rank[x] : cut_score(s, x);
	double my = s->by_rank ? s->rank[y] : cut_score(s, y);

	if (gx != gy)
		return gx < gy ? -1 : 1;
	if (mx != my)
		return mx < my ? 1 : -1;
	return (x > y) - (x < y);
}

/* Descending by cut score alone. */
static int cmp_score(const void *a, const void *b, void *arg)
{
	const struct search *s = arg;
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	double mx = cut_score(s, x), my = cut_score(s, y);

	if (mx != my)
		return mx < my ? 1 : -1;
	return (x > y) - (x < y);
}

/*
 * One op's figure for the cut: the median of its runs, of two the faster.
 * A neighbour's burst only slows a run (the heavy-tailed model: one run in
 * ten 1.5-2.5x), and the median of two is their mean, which one slowed run
 * still drags down by a fifth or more. Within a group the candidates have
 * as many runs as a rule (they came to its io_size in the same round), so
 * the faster of two favours none of them.
 */
static double cut_op(const double *x, size_t n)
{
	if (n == 2)
		return fmax(x[0], x[1]);
	return n ? dsaio_median(x, n) : 0;
}

/* The cut's score of every candidate: read plus write (cut_op()). */
static void medians(const struct search *s, double *med)
{
	size_t i;

	for (i = 0; i < s->ncand; i++) {
		struct dsaio_tie_point tp = view(s, s->cand[i]);

		med[s->cand[i]] = cut_op(tp.read, tp.n_read) +
				  cut_op(tp.write, tp.n_write);
	}
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/*
 * What the cut ranks by, each candidate's standing: the median over its
 * last HISTORY rounds of ln(its cut score / its group's median cut score
 * that round), of two rounds the better. A point's runs start afresh
 * whenever its io_size grows, so in the first round and in every round
 * its size grows in it has one run, and one run in ten slowed by a burst
 * cost a top point its place (the recorded host surface under heavy
 * tails: the best reached the last round in about 3 trials of 10).
 * Standing relative to the peers of each round compares across the
 * io_sizes a point ran at; one bad round of three does not move the
 * median. A point alone in its group has no peers that round and keeps
 * its standing. Candidates of a round have been in as many rounds as a
 * rule, so none gains from the count.
 */
static void standing(struct search *s)
{
	size_t i, j, k, n = s->ncand;
	double *tmp = malloc(n * sizeof(*tmp));

	if (!tmp)
		return;
	for (i = 0; i < n; i = j) {
		double med;

		for (j = i; j < n && group_key(s, s->cand[j]) ==
				     group_key(s, s->cand[i]); j++)
			tmp[j - i] = cut_score(s, s->cand[j]);
		med = dsaio_median(tmp, j - i);
		/* Alone in its group it has no peers to stand against. */
		for (k = i; k < j && j - i > 1; k++) {
			size_t pt = s->cand[k];
			double *h = &s->hist[pt * HISTORY];
			double c = cut_score(s, pt), x[HISTORY];

			if (s->nhist[pt] == HISTORY)
				memmove(h, h + 1, (HISTORY - 1) * sizeof(*h));
			else
				s->nhist[pt]++;
			/* unmeasured (0): last */
			h[s->nhist[pt] - 1] = c > 0 && med > 0 ?
					      log(c / med) : -1e9;
			memcpy(x, h, s->nhist[pt] * sizeof(*x));
			qsort(x, s->nhist[pt], sizeof(*x), cmp_double);
			s->rank[pt] = s->nhist[pt] == 2 ? x[1] :
				      x[s->nhist[pt] / 2];
		}
	}
	free(tmp);
}

/*
 * The cut after a round: the candidates are ranked only against those
 * whose runs had the same io_size (a run's size moves its speed: the
 * open and close in the timed loop weigh more in a small one), and each
 * such group keeps its best 1 / eta, rounded up; at least final_keep in
 * all, the groups with the most left out giving them back first. A
 * point whose full queue outgrows the round's base thus only meets its
 * peers until the base catches up and the groups merge.
 */
static void cull(struct search *s)
{
	size_t n = s->ncand, i, j, total = 0, *out;
	size_t *gsz, *gkeep, ng = 0, g;

	qsort_r(s->cand, n, sizeof(*s->cand), cmp_desc, s);
	standing(s);
	s->by_rank = true;
	qsort_r(s->cand, n, sizeof(*s->cand), cmp_desc, s);
	s->by_rank = false;
	gsz = calloc(n, sizeof(*gsz));
	gkeep = calloc(n, sizeof(*gkeep));
	out = malloc(n * sizeof(*out));
	if (!gsz || !gkeep || !out)
		goto out;	/* no cut this round; the next one tries */
	for (i = 0; i < n; i++) {
		if (!i || group_key(s, s->cand[i]) !=
			  group_key(s, s->cand[i - 1]))
			ng++;
		gsz[ng - 1]++;
	}
	for (g = 0; g < ng; g++) {
		gkeep[g] = (gsz[g] + s->c.eta - 1) / s->c.eta;
		total += gkeep[g];
	}
	while (total < s->c.final_keep && total < n) {
		size_t most = 0;

		for (g = 1; g < ng; g++)
			if (gsz[g] - gkeep[g] > gsz[most] - gkeep[most])
				most = g;
		gkeep[most]++;
		total++;
	}
	for (i = 0, j = 0, g = 0; g < ng; i += gsz[g], g++)
		memcpy(&out[j], &s->cand[i], gkeep[g] * sizeof(*out)),
		j += gkeep[g];
	memcpy(s->cand, out, total * sizeof(*out));
	s->ncand = total;
out:
	free(gsz);
	free(gkeep);
	free(out);
}

/*
 * The tie set and the pick over the candidates of the last round, at
 * its one io_size (a round cut short falls back on the previous one,
 * whose candidates may have run at several: then those at the largest).
 */
static int finish(struct search *s)
{
	struct dsaio_search_result *r = s->res;
	struct dsaio_tie_point *tp;
	uint64_t io = 0;
	size_t i, best;
	int rc;

	for (i = 0; i < s->ncand; i++)
		if (s->cnt[s->cand[i]] && s->pio[s->cand[i]] > io)
			io = s->pio[s->cand[i]];
	tp = calloc(s->c.n, sizeof(*tp));
	if (!tp)
		return -ENOMEM;
	for (i = 0; i < s->ncand; i++) {
		size_t pt = s->cand[i];

		if (s->pio[pt] != io)
			continue;
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

/* The state a round cut short falls back on. */
struct saved {
	size_t *cand, ncand, *cnt;
	double *r, *w;
	uint64_t *pio;
};

static void save(struct saved *v, const struct search *s)
{
	size_t n = s->c.n, m = n * MAX_REPEATS;

	memcpy(v->cand, s->cand, s->ncand * sizeof(*v->cand));
	v->ncand = s->ncand;
	memcpy(v->cnt, s->cnt, n * sizeof(*v->cnt));
	memcpy(v->r, s->samp_r, m * sizeof(*v->r));
	memcpy(v->w, s->samp_w, m * sizeof(*v->w));
	memcpy(v->pio, s->pio, n * sizeof(*v->pio));
}

static void restore(struct search *s, const struct saved *v)
{
	size_t n = s->c.n, m = n * MAX_REPEATS;

	memcpy(s->cand, v->cand, v->ncand * sizeof(*s->cand));
	s->ncand = v->ncand;
	memcpy(s->cnt, v->cnt, n * sizeof(*s->cnt));
	memcpy(s->samp_r, v->r, m * sizeof(*s->samp_r));
	memcpy(s->samp_w, v->w, m * sizeof(*s->samp_w));
	memcpy(s->pio, v->pio, n * sizeof(*s->pio));
}

static int search(struct search *s)
{
	struct saved v;
	unsigned int round = 0;
	int rc = 0;

	v.cand = malloc(s->c.n * sizeof(*v.cand));
	v.cnt = malloc(s->c.n * sizeof(*v.cnt));
	v.r = malloc(s->c.n * MAX_REPEATS * sizeof(*v.r));
	v.w = malloc(s->c.n * MAX_REPEATS * sizeof(*v.w));
	v.pio = malloc(s->c.n * sizeof(*v.pio));
	if (!v.cand || !v.cnt || !v.r || !v.w || !v.pio) {
		rc = -ENOMEM;
		goto out;
	}
	for (;; round++) {
		bool last = s->ncand <= s->c.final_keep;
		unsigned int left = rounds_left(s, s->ncand), passes, p;
		unsigned int want = s->c.repeats;	/* plan(): 1 when last */
		uint64_t share = (s->budget - s->bytes) /
				 (left > 1 ? left + FINAL_EXTRA : 1), base;
		size_t i;

		/* A round that does not fit its share (the first, whose
		 * points all run at least at their full queue) takes one
		 * pass at its smallest base from what the last round's
		 * reserve leaves; when that is not enough either, the last
		 * round comes next, with the best so far. */
		if (!plan(s, share, want, last, &base, &passes) &&
		    !plan_min(s, s->budget - s->bytes - reserve(s, left), last,
			      &base, &passes)) {
			if (round == 0) {
				rc = -EINVAL;
				goto out;
			}
			if (!last) {
				/* The best by cut score over all sizes. */
				qsort_r(s->cand, s->ncand, sizeof(*s->cand),
					cmp_score, s);
				s->ncand = s->c.final_keep;
				continue;
			}
			s->res->cut = true;
			break;
		}
		save(&v, s);
		s->base = base;
		s->one_io = last ? last_io(s, base) : 0;
		/* The last round's runs start afresh: its candidates compare
		 * on runs taken in the same passes, as many of each. A
		 * finalist at its full queue since the first round would
		 * otherwise bring a dozen runs at that size against the
		 * other's one, and the test, whose width the single run sets,
		 * tied a point below the true tie set with the best. */
		if (last)
			for (i = 0; i < s->ncand; i++)
				s->cnt[s->cand[i]] = 0;
		/* Runs at a point's previous io_size add to its runs; a
		 * point that has no room for this round's drops its oldest
		 * (a point at its full queue from the first round on keeps
		 * its io_size for many rounds). */
		for (i = 0; i < s->ncand; i++) {
			size_t pt = s->cand[i], drop_n;

			if (s->pio[pt] != cand_io(s, pt) ||
			    s->cnt[pt] + passes <= MAX_REPEATS)
				continue;
			drop_n = s->cnt[pt] + passes - MAX_REPEATS;
			if (drop_n > s->cnt[pt])
				drop_n = s->cnt[pt];
			memmove(&s->samp_r[pt * MAX_REPEATS],
				&s->samp_r[pt * MAX_REPEATS + drop_n],
				(s->cnt[pt] - drop_n) * sizeof(*s->samp_r));
			memmove(&s->samp_w[pt * MAX_REPEATS],
				&s->samp_w[pt * MAX_REPEATS + drop_n],
				(s->cnt[pt] - drop_n) * sizeof(*s->samp_w));
			s->cnt[pt] -= drop_n;
		}
		s->res->rounds = round + 1;
		for (p = 0; p < passes; p++)
			if (one_pass(s, round, p))
				break;
		if (p < passes) {
			s->res->cut = true;
			/* Usable when every candidate got a run at this size. */
			for (i = 0; i < s->ncand; i++)
				if (s->pio[s->cand[i]] != cand_io(s, s->cand[i]) ||
				    !s->cnt[s->cand[i]])
					break;
			if (i < s->ncand && round > 0)
				restore(s, &v);
			break;
		}
		if (!s->ncand) {
			rc = -ENODATA;
			goto out;
		}
		if (last)
			break;
		medians(s, s->res->median);
		cull(s);
	}
	memset(s->res->median, 0, s->c.n * sizeof(*s->res->median));
	rc = s->ncand ? finish(s) : -ENODATA;
out:
	free(v.cand);
	free(v.cnt);
	free(v.r);
	free(v.w);
	free(v.pio);
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
	s.pio = calloc(s.c.n, sizeof(*s.pio));
	s.hist = calloc(s.c.n * HISTORY, sizeof(*s.hist));
	s.nhist = calloc(s.c.n, sizeof(*s.nhist));
	s.rank = calloc(s.c.n, sizeof(*s.rank));
	res->tied = calloc(s.c.n, sizeof(*res->tied));
	res->median = calloc(s.c.n, sizeof(*res->median));
	res->repeats = calloc(s.c.n, sizeof(*res->repeats));
	if (!s.cand || !s.samp_r || !s.samp_w || !s.cnt || !s.pio || !s.hist ||
	    !s.nhist || !s.rank || !res->tied ||
	    !res->median ||
	    !res->repeats) {
		rc = -ENOMEM;
		goto out;
	}
	for (i = 0; i < s.c.n; i++)
		s.cand[i] = i;
	s.ncand = s.c.n;
	/* The deepest queues the budget affords: one pass of the first
	 * round and the last round's smallest. */
	while (s.qshift < 32 &&
	       pass_bytes(&s, s.c.min_io_size, false) +
	       reserve(&s, rounds_left(&s, s.ncand)) > s.budget)
		s.qshift++;
	rc = search(&s);
	res->bytes = s.bytes;
	res->seconds = s.seconds;
out:
	free(s.cand);
	free(s.samp_r);
	free(s.samp_w);
	free(s.cnt);
	free(s.pio);
	free(s.hist);
	free(s.nhist);
	free(s.rank);
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
