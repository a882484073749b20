// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * DeepSpeed's rule (aio_bench_generate_param.py, perf_generate_param.py):
 * the key of a log is its name without the op; read and write E2E speeds
 * of the same key are added and the highest sum wins. Two of DeepSpeed's
 * defects are not repeated: a key with writes but no reads gets 0 there
 * (and with reads but no writes it crashes); here a missing op counts 0
 * and the point is still ranked. DeepSpeed breaks ties by directory order
 * (arbitrary); here by the parameters' sort order, so the result is
 * reproducible.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "optimum.h"

static bool same_point(const struct dsaio_params *a,
		       const struct dsaio_params *b)
{
	return a->block_size == b->block_size &&
	       a->queue_depth == b->queue_depth &&
	       a->io_parallel == b->io_parallel &&
	       a->threads == b->threads &&
	       a->single_submit == b->single_submit &&
	       a->overlap_events == b->overlap_events;
}

static int cmp_uint(uint64_t a, uint64_t b)
{
	return a < b ? -1 : a > b;
}

/* The order of DeepSpeed's sorted keys: block < single, overlap <
 * sequential, then the numbers. */
static int cmp_params(const struct dsaio_params *p,
		      const struct dsaio_params *q)
{
	int c;

	if ((c = cmp_uint(p->single_submit, q->single_submit)) ||
	    (c = cmp_uint(!p->overlap_events, !q->overlap_events)) ||
	    (c = cmp_uint(p->threads, q->threads)) ||
	    (c = cmp_uint(p->io_parallel, q->io_parallel)) ||
	    (c = cmp_uint(p->queue_depth, q->queue_depth)) ||
	    (c = cmp_uint(p->block_size, q->block_size)))
		return c;
	return 0;
}

static int cmp_ranked(const void *x, const void *y)
{
	const struct dsaio_ranked *a = x, *b = y;
	double sa = a->read_gbs + a->write_gbs, sb = b->read_gbs + b->write_gbs;

	if (sa != sb)
		return sa > sb ? -1 : 1;
	return cmp_params(&a->params, &b->params);
}

int dsaio_rank(const struct dsaio_log_entry *e, size_t n,
	       struct dsaio_ranked **out)
{
	struct dsaio_ranked *r;
	size_t i, j, m = 0;

	*out = NULL;
	if (n == 0)
		return 0;
	r = calloc(n, sizeof(*r));
	if (!r)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		for (j = 0; j < m; j++)
			if (same_point(&r[j].params, &e[i].params))
				break;
		if (j == m) {
			r[m++].params = e[i].params;
		}
		/* A repeated log of the same point and op replaces the earlier
		 * one, as in DeepSpeed's dict. */
		if (e[i].op == OP_READ) {
			r[j].have_read = true;
			r[j].read_gbs = e[i].e2e_speed_gbs;
		} else {
			r[j].have_write = true;
			r[j].write_gbs = e[i].e2e_speed_gbs;
		}
	}
	qsort(r, m, sizeof(*r), cmp_ranked);
	*out = r;
	return (int)m;
}
