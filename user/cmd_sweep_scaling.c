// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The scaling report of a sweep over several targets (cmd_sweep.h): once
 * a pass has measured its grid with every target together, its best
 * complete point is measured again with each target alone, for each op,
 * and the rule of scaling.h sets those against the point's together run.
 * Only the best point: alone runs at every point would multiply the
 * sweep's time by the number of targets plus one.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <math.h>
#include <string.h>
#include "cmd_sweep.h"
#include "interrupt.h"
#include "units.h"

size_t sweep_pass_find(const struct sweep_pass *ps, const struct dsaio_params *p,
		       enum dsaio_user_op op)
{
	size_t i;

	for (i = 0; i < ps->n_res; i++)
		if (ps->res[i].op == op &&
		    !memcmp(&ps->res[i].params, p, sizeof(*p)))
			return i;
	return SIZE_MAX;
}

/* Target i alone at p for op: its E2E GB/s, or -1 (said why). */
static int alone(struct sweep *s, struct sweep_pass *ps, const struct dsaio_params *p,
		 enum dsaio_user_op op, unsigned int i, double *gbs, double *noise)
{
	struct measure_request rq;
	struct measurement m;
	int ret;

	*gbs = -1;
	sweep_request(s, ps, p, op, &rq);
	measure_request_keep_target(&rq, i);
	ret = ps->eng->measure(ps->ctx, &rq, &m, NULL, NULL);
	if (ret == -EINTR)
		return 1;
	if (ret) {
		fprintf(stderr, "dsaio-user sweep: scaling: %s %s alone: %s\n",
			op == OP_WRITE ? "write" : "read", s->base.targets[i],
			ps->eng->errmsg(ps->ctx));
		/* a refusal costs this report only; anything else ends the sweep */
		return ret == -EINVAL || ret == -ENOMEM || ret == -ERANGE ||
		       ret == -E2BIG ? 0 : ret;
	}
	if (m.state == MEAS_CANCELLED && dsaio_interrupted) {
		measurement_free_details(&m);
		return 1;
	}
	if (m.have_figures && m.state == MEAS_DONE && !m.errors && !m.mismatches) {
		*gbs = dsaio_gb_per_sec(m.bytes, m.e2e_ns);
		*noise = fmax(*noise, scaling_loop_spread(m.loop_stats, m.n_loop_stats));
	} else {
		fprintf(stderr, "dsaio-user sweep: scaling: %s %s alone %s%s%s\n",
			op == OP_WRITE ? "write" : "read", s->base.targets[i],
			measurement_state_name(m.state), m.error ? ": " : "",
			m.error ? strerror(-m.error) : m.errors || m.mismatches ?
			" with errors" : "");
	}
	measurement_free_details(&m);
	return 0;
}

int sweep_pass_scaling(struct sweep *s, struct sweep_pass *ps)
{
	unsigned int n = measure_request_n_targets(&s->base), i;
	struct dsaio_log_entry *e;
	struct dsaio_ranked *rk = NULL;
	size_t n_complete = 0, k;
	int n_e, n_rk, ret = 0;

	if (!s->scaling || n < 2)
		return 0;
	n_e = sweep_pass_entries(ps, &e);
	if (n_e < 0)
		return -ENOMEM;
	n_rk = n_e ? dsaio_rank(e, (size_t)n_e, s->ops, &rk, &n_complete) : 0;
	free(e);
	if (n_rk < 0)
		return n_rk;
	if (!n_complete) {
		free(rk);
		return 0;	/* no best point: nothing to set against */
	}
	ps->scaling_point = rk[0].params;
	free(rk);
	ps->have_scaling = true;
	fprintf(stderr, "dsaio-user sweep: scaling: each of the %u targets alone at the best point\n", n);
	for (k = 0; k < s->n_ops && !ret; k++) {
		enum dsaio_user_op op = s->ops_order[k];
		struct scaling_input in = { .op = op, .n = n, .noise = SCALING_NOISE };
		size_t t = sweep_pass_find(ps, &ps->scaling_point, op);
		bool all = t != SIZE_MAX;

		for (i = 0; i < n && !ret && all; i++) {
			ret = alone(s, ps, &ps->scaling_point, op, i,
				    &ps->scaling[op].alone_gbs[i], &in.noise);
			in.name[i] = s->base.targets[i];
			in.alone_gbs[i] = ps->scaling[op].alone_gbs[i];
			all = in.alone_gbs[i] >= 0;
		}
		if (ret || !all)
			continue;
		in.together_gbs = dsaio_gb_per_sec(ps->res[t].bytes, ps->res[t].e2e_ns);
		ps->scaling[op].together = t;
		ps->scaling[op].have = !scaling_assess(&in, &ps->scaling[op].rep);
	}
	return ret;
}
