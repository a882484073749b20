// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The adaptive search on deterministic surfaces over DeepSpeed's 2021 grid
 * and its default grid (built by sweepcfg): a known optimum without noise
 * is found, the byte and second budgets are never exceeded, failed points
 * are dropped, ties go to the least pinned memory, a cancel stops it, a
 * slowed run does not cut the peak.
 */
#include <errno.h>
#include <math.h>
#include <string.h>

#include "tap.h"
#include "search.h"
#include "stats.h"
#include "sweepcfg.h"

static const char grid2021[] =
	"{\"block_size\": [\"128K\", \"256K\", \"1M\"], \"queue_depth\": [4, 16, 32],"
	" \"io_parallel\": [1, 2, 4, 8], \"single_submit\": [true, false],"
	" \"overlap_events\": [true, false], \"threads\": [1]}";

struct probe {
	const struct dsaio_grid *g;
	double (*surface)(const struct dsaio_params *p, size_t i);
	unsigned int n_ops, loops;
	uint64_t bytes, min_io, max_io, first_io, last_io;
	size_t calls, fail_point, cancel_after;
	bool below_floor, bad_params;
	unsigned int last_round;
	double gbs;			/* seconds = bytes / (gbs GiB/s) */
	uint64_t full_io;
	/* A worker with fewer blocks than its queue depth reads slower, in
	 * proportion (what a real run does; the first version's miss). */
	bool queue_limit;
	bool below_queue;	/* a run below min(full queue, full_io) */
	size_t round0_calls;
	/* A neighbour's burst: this point's run in round 1 reads 2.5x
	 * slower; (size_t)-1: none. */
	size_t burst_point;
	unsigned int bursts;
};

/*
 * A smooth bump over (log) block size, queue depth and workers, highest
 * at 1M blocks, @top_qd and @top_par workers, block submission, overlap.
 */
static double bump(const struct dsaio_params *p, double top_qd, double top_par)
{
	double b = log2((double)p->block_size / (1 << 20));
	double q = log2(p->queue_depth / top_qd), w = log2(p->io_parallel / top_par);

	return 4.0 * exp(-0.1 * b * b - 0.05 * q * q - 0.08 * w * w -
			 (p->single_submit ? 0.2 : 0) -
			 (p->overlap_events ? 0 : 0.1));
}

/* A peak at the deepest queue: 1M, qd 32, 8 workers, block, overlap. */
static double deep(const struct dsaio_params *p, size_t i)
{
	(void)i;
	return bump(p, 32.0, 8.0);
}

/* A smooth surface with one peak: 1M, qd 16, p 4, block submit, overlap. */
static double peak(const struct dsaio_params *p, size_t i)
{
	(void)i;
	return bump(p, 16.0, 4.0);
}

/* Flat at the top: every point with qd 32 and p 8 is best (ties). */
static double plateau(const struct dsaio_params *p, size_t i)
{
	(void)i;
	return p->queue_depth == 32 && p->io_parallel == 8 &&
	       !p->single_submit && p->overlap_events ? 3.0 :
	       1.0 + 0.01 * (double)p->queue_depth + 0.1 * p->io_parallel;
}

static int measure(void *ctx, const struct dsaio_search_request *rq,
		   struct dsaio_search_sample *out)
{
	struct probe *pr = ctx;
	double v = pr->surface(rq->params, rq->point);
	uint64_t b = rq->io_size * pr->n_ops * pr->loops;

	pr->calls++;
	pr->bytes += b;
	pr->round0_calls += rq->round == 0;
	{
		uint64_t q = (uint64_t)rq->params->block_size *
			     rq->params->queue_depth * rq->params->io_parallel;
		double nb = (double)rq->io_size /
			    ((double)rq->params->block_size * rq->params->io_parallel);

		if (rq->io_size < (q < pr->full_io ? q : pr->full_io))
			pr->below_queue = true;
		if (pr->queue_limit && nb < rq->params->queue_depth)
			v *= nb / rq->params->queue_depth;
	}
	if (rq->point == pr->burst_point &&
	    rq->round == 1) {
		v /= 2.5;
		pr->bursts++;
	}
	if (!pr->first_io)
		pr->first_io = rq->io_size;
	pr->last_io = rq->io_size;
	pr->last_round = rq->round;
	if (rq->io_size < pr->min_io || !pr->min_io)
		pr->min_io = rq->io_size;
	if (rq->io_size > pr->max_io)
		pr->max_io = rq->io_size;
	if (rq->io_size < rq->params->block_size * rq->params->io_parallel ||
	    (rq->io_size % 4096 && rq->io_size != pr->full_io))
		pr->below_floor = true;
	if (rq->params != &pr->g->points[rq->point])
		pr->bad_params = true;
	if (pr->cancel_after && pr->calls >= pr->cancel_after)
		return -ECANCELED;
	if (rq->point == pr->fail_point)
		return -EIO;
	out->read_gbs = v * 0.6;
	out->write_gbs = pr->n_ops == 2 ? v * 0.4 : 0;
	out->seconds = pr->gbs > 0 ? (double)b / (1 << 30) / pr->gbs : 0;
	return 0;
}

static size_t argmax(const struct dsaio_grid *g,
		     double (*f)(const struct dsaio_params *, size_t))
{
	size_t i, b = 0;

	for (i = 1; i < g->n; i++)
		if (f(&g->points[i], i) > f(&g->points[b], b))
			b = i;
	return b;
}

static void base(struct dsaio_search_config *c, const struct dsaio_grid *g,
		 struct probe *pr)
{
	memset(c, 0, sizeof(*c));
	memset(pr, 0, sizeof(*pr));
	c->points = g->points;
	c->n = g->n;
	c->io_size = 400 << 20;
	c->n_ops = 2;
	c->loops = 2;
	c->margin = 0;
	pr->g = g;
	pr->surface = peak;
	pr->n_ops = 2;
	pr->loops = 2;
	pr->fail_point = (size_t)-1;
	pr->burst_point = (size_t)-1;
	pr->full_io = c->io_size;
}

int main(void)
{
	struct dsaio_grid g2021, gdef;
	struct dsaio_search_config c;
	struct dsaio_search_result r;
	struct probe pr;
	char err[256];
	int rc, share;
	size_t want, want_deep;

	rc = dsaio_grid_parse(grid2021, &g2021, err, sizeof(err));
	is_int(rc, 0, "2021 grid built by sweepcfg");
	is_int(g2021.n, 144, "2021 grid has 144 points");
	rc = dsaio_grid_default(&gdef);
	is_int(rc, 0, "default grid built by sweepcfg");

	/* A known optimum, no noise: found, within a quarter of the bytes. */
	base(&c, &g2021, &pr);
	want = argmax(&g2021, peak);
	rc = dsaio_search_run(&c, measure, &pr, &r);
	is_int(rc, 0, "search on the 2021 grid runs");
	is_int(r.chosen, want, "noise-free peak found on the 2021 grid");
	is_int(r.best, want, "and it is the last round's best");
	ok(r.bytes <= r.grid_bytes / 4 && r.bytes == pr.bytes,
	   "bytes within a quarter of the grid's (%.1f %%) and counted as asked",
	   100.0 * (double)r.bytes / (double)r.grid_bytes);
	is_int(r.grid_bytes, 144ULL * (400 << 20) * 2 * 2, "grid bytes: n x io x ops x loops");
	ok(r.rounds >= 3 && pr.first_io < pr.last_io && pr.last_io <= c.io_size,
	   "%u rounds, io_size grows from %llu to %llu", r.rounds,
	   (unsigned long long)pr.first_io, (unsigned long long)pr.last_io);
	ok(!pr.below_floor && !pr.bad_params && pr.min_io >= c.io_size / 64,
	   "no run below one block per worker or io_size / 64, all 4K-aligned; "
	   "params are the grid's");

	ok(r.repeats[want] >= 1 && r.n_tied == 1 && r.tied[want] && !r.cut &&
	   r.failed == 0 && r.final_io_size == c.io_size,
	   "the last round runs at the grid's io_size (%zu run(s) of the best); "
	   "alone in its tie set", r.repeats[want]);
	{
		size_t i, n_fin = 0;
		bool same = true;

		for (i = 0; i < g2021.n; i++) {
			if (!r.repeats[i])
				continue;
			n_fin++;
			same &= r.repeats[i] == r.repeats[want];
		}
		ok(n_fin == 2 && same,
		   "its %zu candidates have as many runs each, the last round's own "
		   "(none carried over from earlier rounds at that size)", n_fin);
	}
	dsaio_search_result_free(&r);

	/*
	 * Queue-limited runs, the peak at the deepest queue (256M of pinned
	 * memory): found, as no point runs below its full queue; the first
	 * version ran every point at 8M, one block per worker, and cut it.
	 */
	base(&c, &g2021, &pr);
	pr.surface = deep;
	pr.queue_limit = true;
	want_deep = argmax(&g2021, deep);
	rc = dsaio_search_run(&c, measure, &pr, &r);
	ok(rc == 0 && r.chosen == want_deep && g2021.points[want_deep].io_parallel == 8 &&
	   g2021.points[want_deep].queue_depth == 32,
	   "queue-limited: the deep-queue peak (1M, qd 32, 8 workers) is found");
	ok(!pr.below_queue, "no run below its point's full queue (block x depth x workers)");
	is_int(pr.round0_calls, g2021.n,
	       "the first round, whose share affords no pass, takes exactly one");
	ok(r.bytes <= r.grid_bytes / 4, "within a quarter of the bytes (%.1f %%)",
	   100.0 * (double)r.bytes / (double)r.grid_bytes);
	dsaio_search_result_free(&r);

	/*
	 * The default grid at 400M, the peak at 1M, qd 32, 8 workers (256M
	 * pinned), queue-limited: a quarter of the bytes cannot run every
	 * point at its full queue, so the first round runs below it; the
	 * deep queues are ranked on what Little's law lets them reach, not
	 * cut, and the last round runs at the largest io_size one pass fits,
	 * where the peak shows. The search before this cut them (0-4 % on
	 * the simulator's CS3040 shape).
	 */
	base(&c, &gdef, &pr);
	pr.surface = deep;
	pr.queue_limit = true;
	rc = dsaio_search_run(&c, measure, &pr, &r);
	ok(rc == 0 && r.chosen == argmax(&gdef, deep) &&
	   gdef.points[r.chosen].queue_depth == 32 &&
	   gdef.points[r.chosen].io_parallel == 8,
	   "default grid, queue-limited: the deep peak (1M, qd 32, 8 workers) is found");
	ok(pr.below_queue && pr.round0_calls == gdef.n && r.bytes <= r.grid_bytes / 4,
	   "its first runs were below the full queues (ranked on their reach, "
	   "not cut), the last at %llu M, within a quarter (%.1f %%)",
	   (unsigned long long)(r.final_io_size >> 20),
	   100.0 * (double)r.bytes / (double)r.grid_bytes);
	dsaio_search_result_free(&r);

	/* The same at 256M, the VM acceptance run's size. */
	base(&c, &g2021, &pr);
	c.io_size = pr.full_io = 256 << 20;
	pr.surface = deep;
	pr.queue_limit = true;
	rc = dsaio_search_run(&c, measure, &pr, &r);
	ok(rc == 0 && r.chosen == want_deep && !pr.below_queue &&
	   pr.round0_calls == g2021.n && r.bytes <= r.grid_bytes / 4,
	   "at 256M too: found, no run below its full queue, one pass first, a quarter");
	dsaio_search_result_free(&r);

	/* An io_size whose fractions are not 4K multiples: still aligned. */
	base(&c, &g2021, &pr);
	c.io_size = pr.full_io = 300000000;
	rc = dsaio_search_run(&c, measure, &pr, &r);
	ok(rc == 0 && !pr.below_floor && r.chosen == want && pr.bytes <= r.grid_bytes / 4,
	   "io_size 300000000: every smaller run a multiple of 4096, peak found");
	dsaio_search_result_free(&r);

	/*
	 * The budget is never exceeded, whatever it is. The 2021 grid's
	 * probe is queue-limited, as a real run is: at 2 % its first round
	 * runs below the full queues, and on a queue-blind probe every deep
	 * queue's reach (cut_score(), search.c) would look high. The default
	 * grid's is queue-blind: its peak (1M, qd 32, 8 workers) shows only
	 * when both finalists run at 256M, which 16 % cannot afford after
	 * its first round and 32 % does not reach (its first rounds repeat
	 * at their small sizes); the test above has it at the default 25 %.
	 */
	for (share = 2; share <= 50; share *= 2) {
		int gi;

		for (gi = 0; gi < 2; gi++) {
			const struct dsaio_grid *g = gi ? &gdef : &g2021;

			base(&c, g, &pr);
			pr.queue_limit = !gi;
			c.budget_bytes = dsaio_search_grid_bytes(&c) * (uint64_t)share / 100;
			rc = dsaio_search_run(&c, measure, &pr, &r);
			if (rc == -EINVAL) {
				ok(pr.calls == 0, "%s grid, budget %d %%: too small for "
				   "one round, refused before any run", gi ? "default" : "2021",
				   share);
				continue;
			}
			ok(rc == 0 && pr.bytes <= c.budget_bytes && r.bytes == pr.bytes,
			   "%s grid, budget %d %% of the grid: spent %.2f %%",
			   gi ? "default" : "2021", share,
			   100.0 * (double)pr.bytes / (double)dsaio_search_grid_bytes(&c));
			ok(rc == 0 && r.chosen == argmax(g, peak),
			   "%s grid, budget %d %%: noise-free peak found",
			   gi ? "default" : "2021", share);
			dsaio_search_result_free(&r);
		}
	}

	/* One op (a read-only sweep) counts half the bytes per run. */
	base(&c, &g2021, &pr);
	c.n_ops = pr.n_ops = 1;
	rc = dsaio_search_run(&c, measure, &pr, &r);
	ok(rc == 0 && r.chosen == want && pr.bytes <= r.grid_bytes / 4 &&
	   r.grid_bytes == 144ULL * (400 << 20) * 2,
	   "reads only: peak found within a quarter of a reads-only grid");
	dsaio_search_result_free(&r);

	/* A seconds budget: measurements stop before it would be passed. */
	base(&c, &g2021, &pr);
	pr.gbs = 1.0;
	c.budget_seconds = 20;
	rc = dsaio_search_run(&c, measure, &pr, &r);
	ok(rc == 0 && r.cut && r.seconds <= 20 && r.seconds > 10,
	   "20 s budget at 1 GiB/s: cut after %.1f s", r.seconds);
	ok(r.n_tied >= 1 && r.chosen < g2021.n, "a cut search still recommends a point");
	dsaio_search_result_free(&r);

	/* The optimum fails: dropped, the next best is chosen. */
	base(&c, &g2021, &pr);
	pr.fail_point = want;
	rc = dsaio_search_run(&c, measure, &pr, &r);
	ok(rc == 0 && r.failed == 1 && r.chosen != want && r.median[want] == 0,
	   "a failing point is dropped and never chosen");

	{
		size_t i, second = want == 0 ? 1 : 0;

		for (i = 0; i < g2021.n; i++)
			if (i != want && peak(&g2021.points[i], i) >
			    peak(&g2021.points[second], second))
				second = i;
		is_int(r.chosen, second, "the best of the others is chosen");
	}
	dsaio_search_result_free(&r);

	/* Exact ties at the top: the least pinned memory is recommended. */
	base(&c, &g2021, &pr);
	pr.surface = plateau;
	c.final_keep = 3;
	rc = dsaio_search_run(&c, measure, &pr, &r);
	{
		size_t i, n_top = 0;
		bool all_top = true;

		for (i = 0; i < g2021.n; i++) {
			n_top += plateau(&g2021.points[i], i) == 3.0;
			if (r.tied[i] && plateau(&g2021.points[i], i) != 3.0)
				all_top = false;
		}
		/* Halving within each io_size group (search.c, cull()) may
		 * leave one of a group's exact ties out of the last round. */
		ok(rc == 0 && r.n_tied >= 2 && r.n_tied <= n_top && all_top,
		   "plateau: the tie set is 2 to %zu of the %zu top points, no other",
		   n_top, n_top);
		ok(rc == 0 && g2021.points[r.chosen].block_size == 128 << 10 &&
		   g2021.points[r.chosen].queue_depth == 32 &&
		   g2021.points[r.chosen].io_parallel == 8,
		   "of them the one with the least pinned memory (128K x 32 x 8)");
	}
	dsaio_search_result_free(&r);

	/* Cancel: stops at once with what it has. */
	base(&c, &g2021, &pr);
	pr.cancel_after = 5;
	rc = dsaio_search_run(&c, measure, &pr, &r);
	ok(rc == 0 && r.cancelled && r.cut && pr.calls == 5,
	   "-ECANCELED stops the search after the run that returned it");

	dsaio_search_result_free(&r);

	/* Bad configs. */
	base(&c, &g2021, &pr);
	c.n_ops = 3;
	is_int(dsaio_search_run(&c, measure, &pr, &r), -EINVAL, "n_ops 3 refused");
	base(&c, &g2021, &pr);
	c.budget_bytes = 1 << 20;
	is_int(dsaio_search_run(&c, measure, &pr, &r), -EINVAL,
	       "a budget below one small run of every point refused");
	ok(pr.calls == 0, "and nothing measured");
	base(&c, &g2021, &pr);
	pr.fail_point = (size_t)-1;
	pr.surface = peak;
	{
		struct dsaio_search_config c1 = c;

		c1.n = 0;
		is_int(dsaio_search_run(&c1, measure, &pr, &r), -EINVAL, "no points refused");
	}

	/*
	 * A burst: the peak's run in round 1 is 2.5x slower (the heavy-tailed
	 * model's slowed run). Ranked on the median of its two runs (their
	 * mean) it was cut, and 1M, qd 32, p 4 recommended; on the faster of
	 * two (and its standing over the last rounds) it stays and is found.
	 */
	base(&c, &g2021, &pr);
	want = argmax(&g2021, peak);
	pr.burst_point = want;
	rc = dsaio_search_run(&c, measure, &pr, &r);
	is_int(rc, 0, "search with bursts runs");
	ok(pr.bursts == 1, "the peak's run in round 1 was slowed (%u)",
	   pr.bursts);
	is_int(r.chosen, want, "a slowed run does not cost the peak its place");
	if (!rc)
		dsaio_search_result_free(&r);

	dsaio_grid_free(&g2021);
	dsaio_grid_free(&gdef);
	return done();
}
