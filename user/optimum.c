// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * DeepSpeed's rule (aio_bench_generate_param.py, perf_generate_param.py):
 * the key of a log is its name without the op; read and write E2E speeds
 * of the same key are added and the highest sum wins. DeepSpeed's
 * defects are not repeated: a key with writes but no reads gets 0 there
 * (and with reads but no writes it crashes), and a failed run (a log
 * without an E2E line) is dropped, so its point can still win on the
 * other op. Here a point counts only when every op the sweep asked for
 * measured; the others are listed with the reason and never win.
 * DeepSpeed breaks ties by directory order (arbitrary); here by the
 * parameters' sort order, so the result is reproducible.
 */
#include <stdio.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "optimum.h"
#include "sweepparam.h"

static double score(const struct dsaio_ranked *r)
{
	return r->read_gbs + r->write_gbs;
}

static int cmp_ranked(const void *x, const void *y)
{
	const struct dsaio_ranked *a = x, *b = y;
	double sa = score(a), sb = score(b);

	if (a->complete != b->complete)
		return a->complete ? -1 : 1;
	if (a->complete && sa != sb)
		return sa > sb ? -1 : 1;
	return dsaio_params_cmp(&a->params, &b->params);
}

static const char *op_name(enum dsaio_user_op op)
{
	return op == OP_READ ? "read" : "write";
}

/* Appends "; " and the formatted text to a point's reason. */
static void add_reason(struct dsaio_ranked *r, const char *op,
		       const char *what)
{
	size_t len = strlen(r->reason);

	snprintf(r->reason + len, sizeof(r->reason) - len, "%s%s: %s",
		 len ? "; " : "", op, what);
}

/* Per point and op, while combining. */
struct op_state {
	bool have, failed;
	double gbs;
};

int dsaio_rank(const struct dsaio_log_entry *e, size_t n, unsigned int ops,
	       struct dsaio_ranked **out, size_t *n_complete)
{
	struct dsaio_ranked *r;
	struct op_state (*st)[2];
	size_t i, j, m = 0, nc = 0;
	int k;

	*out = NULL;
	*n_complete = 0;
	if (n == 0)
		return 0;
	r = calloc(n, sizeof(*r));
	st = calloc(n, sizeof(*st));
	if (!r || !st) {
		free(r);
		free(st);
		return -ENOMEM;
	}
	for (i = 0; i < n; i++) {
		struct op_state *o;

		for (j = 0; j < m; j++)
			if (dsaio_params_same(&r[j].params, &e[i].params))
				break;
		if (j == m)
			r[m++].params = e[i].params;
		o = &st[j][e[i].op == OP_WRITE];
		if (e[i].failed) {
			/* A failure stays: a later log does not undo it. */
			o->failed = true;
			add_reason(&r[j], op_name(e[i].op), e[i].failure);
			continue;
		}
		/* A repeated log of the same point and op replaces the
		 * earlier one, as in DeepSpeed's dict. */
		o->have = true;
		o->gbs = e[i].e2e_speed_gbs;
	}
	for (j = 0; j < m; j++) {
		bool complete = true;

		for (k = OP_READ; k <= OP_WRITE; k++) {
			struct op_state *o = &st[j][k];

			if (!(ops & DSAIO_OP_BIT(k)))
				continue;	/* not asked for: not counted */
			if (o->failed) {
				complete = false;
				continue;	/* reason added above */
			}
			if (!o->have) {
				add_reason(&r[j], op_name(k), "no log");
				complete = false;
			} else if (!(o->gbs > 0)) {
				add_reason(&r[j], op_name(k), "E2E speed is 0");
				complete = false;
			}
			if (o->have && !o->failed) {
				if (k == OP_READ) {
					r[j].have_read = true;
					r[j].read_gbs = o->gbs;
				} else {
					r[j].have_write = true;
					r[j].write_gbs = o->gbs;
				}
			}
		}
		r[j].complete = complete;
		nc += complete;
	}
	free(st);
	qsort(r, m, sizeof(*r), cmp_ranked);
	*out = r;
	*n_complete = nc;
	return (int)m;
}

unsigned int dsaio_ops_present(const struct dsaio_log_entry *e, size_t n)
{
	unsigned int ops = 0;
	size_t i;

	for (i = 0; i < n; i++)
		ops |= DSAIO_OP_BIT(e[i].op);
	return ops;
}
