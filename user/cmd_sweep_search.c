// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * `dsaio-user sweep --search adaptive` (cmd_sweep.h): the pure search of
 * search.h driving one engine's pass through the same runs as a grid
 * sweep. Every run stays in memory until the search ends; then only the
 * last round's runs are kept, so the log folder holds one DeepSpeed log
 * per point (its median run: DeepSpeed's names carry no io_size, and runs
 * of different io_sizes do not compare) and parse, generate-param and
 * DeepSpeed's scripts see what decided.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "cmd_sweep.h"
#include "interrupt.h"
#include "progress.h"
#include "sweepparam.h"
#include "units.h"

struct search_ctx {
	struct sweep *s;
	struct sweep_pass *p;
	int status;		/* the engine's errno that stopped it */
};

/* One request of the search: its point for each op, at its io_size. */
static int measure(void *arg, const struct dsaio_search_request *rq,
		   struct dsaio_search_sample *out)
{
	struct search_ctx *c = arg;
	struct sweep *s = c->s;
	struct sweep_pass *p = c->p;
	uint64_t full = s->io_size, t0 = dsaio_now_ns();
	size_t k;
	int ret = 0;

	memset(out, 0, sizeof(*out));
	if (p->n_res + s->n_ops > sweep_pass_capacity(s)) {
		fprintf(stderr, "dsaio-user sweep: the search asked for more runs than planned; it ends here\n");
		return -ECANCELED;
	}
	s->io_size = rq->io_size;
	s->search_round = rq->round + 1;
	s->search_pass = rq->pass + 1;
	for (k = 0; k < s->n_ops && !ret; k++) {
		enum dsaio_user_op op = s->ops_order[k];
		size_t n0 = p->n_res;

		s->run_no++;
		ret = sweep_run_point(s, p, rq->params, op);
		if (ret == 0)
			s->runs_done++;
		s->bytes_before += rq->io_size * (s->loops + s->warmup_loops);
		if (ret == 1 || dsaio_interrupted) {
			ret = -ECANCELED;
		} else if (ret < 0) {
			c->status = ret;	/* said by the run */
			ret = -ECANCELED;
		} else if (p->n_res == n0) {
			ret = -EIO;	/* failed: in p->fails with its reason */
		} else {
			double gbs = dsaio_gb_per_sec(p->res[n0].bytes, p->res[n0].e2e_ns);

			p->res[n0].io_size = rq->io_size;	/* as asked */
			if (op == OP_READ)
				out->read_gbs = gbs;
			else
				out->write_gbs = gbs;
		}
	}
	s->io_size = full;
	out->seconds = (dsaio_now_ns() - t0) / 1e9;
	return ret;
}

/* Index of the grid point of pt; s->grid.n when none. */
static size_t grid_index(const struct sweep *s, const struct dsaio_params *pt)
{
	size_t i;

	for (i = 0; i < s->grid.n; i++)
		if (dsaio_params_same(&s->grid.points[i], pt))
			break;
	return i;
}

/* Runs after res[i] of its point and op at its io_size. */
static size_t runs_after(const struct sweep_pass *p, size_t i)
{
	const struct measurement *m = &p->res[i];
	size_t j, n = 0;

	for (j = i + 1; j < p->n_res; j++)
		n += p->res[j].op == m->op && p->res[j].io_size == m->io_size &&
		     dsaio_params_same(&p->res[j].params, &m->params);
	return n;
}

/*
 * Keeps the runs of the last round: its points, at its io_size, and of a
 * point's runs at that size only the last round's, its last repeats[g]
 * of each op (the search starts the last round's runs afresh, so runs of
 * an earlier round at that size are not in its tie set either).
 */
static void keep_last_round(struct sweep *s, struct sweep_pass *p,
			    const struct dsaio_search_result *r)
{
	size_t i, k = 0;

	for (i = 0; i < p->n_res; i++) {
		size_t g = grid_index(s, &p->res[i].params);

		if (g == s->grid.n || !r->repeats[g] ||
		    p->res[i].io_size != r->final_io_size ||
		    runs_after(p, i) >= r->repeats[g])
			continue;
		if (k != i) {
			p->res[k] = p->res[i];
			memcpy(p->parts[k], p->parts[i], sizeof(p->parts[0]));
			memcpy(p->log_names[k], p->log_names[i], sizeof(p->log_names[0]));
		}
		if (p->res[k].n_parts)
			p->res[k].parts = p->parts[k];
		k++;
	}
	p->n_res = k;
}

int sweep_pass_search(struct sweep *s, struct sweep_pass *p)
{
	struct search_ctx c = { .s = s, .p = p };
	struct dsaio_search_config cfg = {
		.points = s->grid.points, .n = s->grid.n,
		.io_size = s->io_size,
		.n_ops = (unsigned int)s->n_ops,
		.loops = s->loops + s->warmup_loops,
		.budget_seconds = s->budget,
		.confidence = s->confidence,
		.margin = -1,
	};
	struct dsaio_search_result *r = &p->search;
	char used[24], grid[24], fin[24];
	int ret;

	if (!s->start_ns)
		s->start_ns = dsaio_now_ns();
	s->bytes_total = dsaio_search_grid_bytes(&cfg) / 4;
	ret = dsaio_search_run(&cfg, measure, &c, r);
	if (ret) {
		fprintf(stderr, "dsaio-user sweep: the adaptive search %s\n",
			ret == -EINVAL ? "cannot run: the grid is empty, or a quarter of its bytes is less than one run of every point at the smallest io_size (raise --io-size)" :
			ret == -ENODATA ? "ended without a figure: every point failed (see above)" :
			strerror(-ret));
		return c.status ? c.status : ret == -ENODATA ? 0 : -EINVAL;
	}
	p->have_search = true;
	keep_last_round(s, p, r);
	dsaio_format_bytes(r->bytes, used, sizeof(used));
	dsaio_format_bytes(r->grid_bytes, grid, sizeof(grid));
	dsaio_format_bytes(r->final_io_size, fin, sizeof(fin));
	fprintf(stderr, "adaptive search: %u round(s), %zu measurement(s) (%zu failed), %s moved, %.1f %% of the grid's %s; the last round's %zu run(s) at io_size %s go to the logs\n",
		r->rounds, r->measurements, r->failed, used,
		r->grid_bytes ? 100.0 * r->bytes / r->grid_bytes : 0, grid,
		p->n_res, fin);
	/* the arrays are done with: keep the figures only */
	dsaio_search_result_free(r);
	if (c.status)
		return c.status;
	return r->cut ? 1 : 0;
}
