// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The tie set and the least-pinned-memory recommendation of a ranked
 * sweep (tieset.h), from the pure statistics of stats.h.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "report.h"
#include "stats.h"
#include "sweepparam.h"
#include "tieset.h"
#include "units.h"

/*
 * Repeat 1: no interval exists, so the sentence speaks of the margin
 * alone, not of a confidence the figures cannot give.
 */
static void margin_sentence(struct dsaio_tieset *t, const struct dsaio_params *pick)
{
	char mem[32];
	double b = t->score[t->best], k = t->score[t->pick];

	dsaio_format_size(dsaio_pinned_bytes(pick), mem, sizeof(mem));
	if (t->n_tied <= 1)
		snprintf(t->sentence, sizeof(t->sentence),
			 "No other point is within %g %% of the best (one measurement a point: only the margin ties, --repeat gives a confidence); it needs %s of pinned host memory (queue_depth x block_size x io_parallel)",
			 t->margin * 100, mem);
	else
		snprintf(t->sentence, sizeof(t->sentence),
			 "%zu points are within %g %% of the best (one measurement a point: only the margin ties, --repeat gives a confidence); recommended: the one needing the least pinned host memory (queue_depth x block_size x io_parallel = %s), %.1f %% below the best",
			 t->n_tied, t->margin * 100, mem, b > 0 ? 100 * (1 - k / b) : 0);
}

int dsaio_tieset_build(const struct dsaio_ranked *rk, size_t n_complete,
		       const struct dsaio_tie_point *samples,
		       double confidence, double margin, struct dsaio_tieset *t)
{
	struct dsaio_tie_point *tp;
	struct dsaio_params *params;
	size_t i, lo = SIZE_MAX;
	int n_tied;

	memset(t, 0, sizeof(*t));
	if (!n_complete)
		return -EINVAL;
	t->confidence = confidence > 0 ? confidence : DSAIO_CONFIDENCE;
	t->margin = margin >= 0 ? margin : DSAIO_TIE_MARGIN;
	t->n = n_complete;
	t->tied = calloc(n_complete, sizeof(*t->tied));
	t->score = calloc(n_complete, sizeof(*t->score));
	tp = calloc(n_complete, sizeof(*tp));
	params = calloc(n_complete, sizeof(*params));
	if (!t->tied || !t->score || !tp || !params) {
		free(tp);
		free(params);
		dsaio_tieset_free(t);
		return -ENOMEM;
	}
	for (i = 0; i < n_complete; i++) {
		if (samples) {
			tp[i] = samples[i];
		} else {
			/* an op the sweep did not ask for has no speed: n 0 */
			tp[i].read = &rk[i].read_gbs;
			tp[i].n_read = rk[i].have_read;
			tp[i].write = &rk[i].write_gbs;
			tp[i].n_write = rk[i].have_write;
		}
		if (tp[i].n_read && tp[i].n_read < lo)
			lo = tp[i].n_read;
		if (tp[i].n_write && tp[i].n_write < lo)
			lo = tp[i].n_write;
		params[i] = rk[i].params;
	}
	t->repeats = lo == SIZE_MAX ? 1 : lo;
	n_tied = dsaio_ties(tp, n_complete, t->confidence, t->margin, &t->best,
			    t->tied, t->score);
	if (n_tied < 0) {
		free(tp);
		free(params);
		dsaio_tieset_free(t);
		return n_tied;
	}
	t->n_tied = (size_t)n_tied;
	t->pick = dsaio_tie_pick(params, t->score, t->tied, n_complete);
	if (t->repeats < 2)
		margin_sentence(t, &params[t->pick]);
	else
		dsaio_tie_sentence(t->sentence, sizeof(t->sentence), t->n_tied,
				   t->confidence, &params[t->pick],
				   t->score[t->pick], t->score[t->best]);
	free(tp);
	free(params);
	return 0;
}

int dsaio_tieset_from_logs(const struct dsaio_ranked *rk, size_t n_complete,
			   const struct dsaio_log_entry *e, size_t n_e,
			   double confidence, double margin, struct dsaio_tieset *t)
{
	struct dsaio_tie_point *tp = calloc(n_complete ? n_complete : 1, sizeof(*tp));
	size_t i, j;
	int ret;

	if (!tp)
		return -ENOMEM;
	for (i = 0; i < n_complete; i++) {
		tp[i].read = &rk[i].read_gbs;
		tp[i].n_read = rk[i].have_read;
		tp[i].write = &rk[i].write_gbs;
		tp[i].n_write = rk[i].have_write;
		for (j = 0; j < n_e; j++) {
			bool rd = e[j].op == OP_READ;

			if (e[j].failed || !e[j].n_samples ||
			    !(rd ? rk[i].have_read : rk[i].have_write) ||
			    !dsaio_params_same(&e[j].params, &rk[i].params))
				continue;
			if (rd) {
				tp[i].read = e[j].samples;
				tp[i].n_read = e[j].n_samples;
			} else {
				tp[i].write = e[j].samples;
				tp[i].n_write = e[j].n_samples;
			}
		}
	}
	ret = dsaio_tieset_build(rk, n_complete, tp, confidence, margin, t);
	free(tp);
	return ret;
}

static json_object *point_json(const struct dsaio_ranked *r, double score)
{
	json_object *o = dsaio_params_json(&r->params);

	if (o)
		json_object_object_add(o, "sum_gbs", json_object_new_double(score));
	return o;
}

json_object *dsaio_tieset_json(const struct dsaio_tieset *t,
			       const struct dsaio_ranked *rk)
{
	json_object *o = json_object_new_object(), *pts = json_object_new_array();
	size_t i;

	if (!o || !pts) {
		json_object_put(o);
		json_object_put(pts);
		return NULL;
	}
	json_object_object_add(o, "confidence", json_object_new_double(t->confidence));
	json_object_object_add(o, "margin", json_object_new_double(t->margin));
	json_object_object_add(o, "repeats", json_object_new_int64((int64_t)t->repeats));
	json_object_object_add(o, "count", json_object_new_int64((int64_t)t->n_tied));
	json_object_object_add(o, "best", point_json(&rk[t->best], t->score[t->best]));
	json_object_object_add(o, "recommended", point_json(&rk[t->pick], t->score[t->pick]));
	for (i = 0; i < t->n; i++)
		if (t->tied[i])
			json_object_array_add(pts, point_json(&rk[i], t->score[i]));
	json_object_object_add(o, "points", pts);
	json_object_object_add(o, "sentence", json_object_new_string(t->sentence));
	return o;
}

void dsaio_tieset_free(struct dsaio_tieset *t)
{
	free(t->tied);
	free(t->score);
	t->tied = NULL;
	t->score = NULL;
}
