// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The repeats of a point (repeats.h): gathered, summarised, written.
 */
#include <math.h>
#include <stdint.h>
#include <string.h>
#include "repeats.h"
#include "sweepparam.h"
#include "units.h"

size_t dsaio_runs_gather(const struct measurement *res, size_t n,
			 const struct dsaio_params *p, enum dsaio_user_op op,
			 double confidence, struct dsaio_runs *out)
{
	size_t i;

	memset(out, 0, sizeof(*out));
	for (i = 0; i < n && out->n < DSAIO_REPEAT_MAX; i++) {
		double e2e, task;

		if (res[i].op != op || !dsaio_params_same(&res[i].params, p))
			continue;
		e2e = dsaio_gb_per_sec(res[i].bytes, res[i].e2e_ns);
		task = dsaio_gb_per_sec(res[i].bytes, res[i].task_ns);
		if (!(e2e > 0))
			continue;
		out->idx[out->n] = i;
		out->e2e[out->n] = e2e;
		/* a Task time of 0 (an old module) keeps E2E's speed */
		out->task[out->n] = task > 0 ? task : e2e;
		out->n++;
	}
	if (out->n) {
		dsaio_spread(out->e2e, out->n, confidence, &out->e2e_sp);
		dsaio_spread(out->task, out->n, confidence, &out->task_sp);
	}
	return out->n;
}

struct measurement dsaio_runs_median(const struct measurement *res,
				     const struct dsaio_runs *r)
{
	size_t i, near = 0;
	struct measurement m;

	for (i = 1; i < r->n; i++)
		if (fabs(r->e2e[i] - r->e2e_sp.median) <
		    fabs(r->e2e[near] - r->e2e_sp.median))
			near = i;
	m = res[r->idx[near]];
	/* time = bytes / speed: the same bytes at the median speeds */
	m.e2e_ns = (uint64_t)llround(m.e2e_ns * (r->e2e[near] / r->e2e_sp.median));
	m.task_ns = (uint64_t)llround(m.task_ns * (r->task[near] / r->task_sp.median));
	return m;
}

static int spread_line(FILE *f, const char *what, const char *op,
		       const struct dsaio_spread *sp)
{
	char ci[96] = "";

	if (sp->have_interval)
		snprintf(ci, sizeof(ci), ", %g %% interval %.6f .. %.6f GB/sec",
			 sp->confidence * 100, sp->lo, sp->hi);
	return fprintf(f, "Spread %s %s Speed = %.6f .. %.6f GB/sec%s, %zu repeat%s\n",
		       what, op, sp->min, sp->max, ci, sp->n, sp->n == 1 ? "" : "s");
}

int dsaio_runs_log_lines(FILE *f, enum dsaio_user_op op, const struct dsaio_runs *r)
{
	const char *w = op == OP_READ ? "Read" : "Write";

	size_t i;

	if (spread_line(f, "Task", w, &r->task_sp) < 0 ||
	    spread_line(f, "E2E", w, &r->e2e_sp) < 0)
		return -1;
	/* what generate-param needs to find the same tie set */
	if (fprintf(f, "Repeats E2E %s Speed =", w) < 0)
		return -1;
	for (i = 0; i < r->n; i++)
		if (fprintf(f, " %.9g", r->e2e[i]) < 0)
			return -1;
	return fprintf(f, " GB/sec\n");
}

int dsaio_runs_json_add(json_object *o, const struct dsaio_runs *r)
{
	json_object *s = json_object_new_array(), *ci = NULL;
	size_t i;
	int e = 0;

	if (!s)
		return -1;
	for (i = 0; i < r->n; i++)
		e |= json_object_array_add(s, json_object_new_double(r->e2e[i]));
	if (r->e2e_sp.have_interval) {
		ci = json_object_new_array();
		if (!ci) {
			json_object_put(s);
			return -1;
		}
		e |= json_object_array_add(ci, json_object_new_double(r->e2e_sp.lo));
		e |= json_object_array_add(ci, json_object_new_double(r->e2e_sp.hi));
	}
	e |= json_object_object_add(o, "repeats", json_object_new_int64((int64_t)r->n));
	e |= json_object_object_add(o, "e2e_speed_min_gbs", json_object_new_double(r->e2e_sp.min));
	e |= json_object_object_add(o, "e2e_speed_max_gbs", json_object_new_double(r->e2e_sp.max));
	e |= json_object_object_add(o, "e2e_speed_ci95_gbs", ci);
	e |= json_object_object_add(o, "e2e_speed_samples_gbs", s);
	return e ? -1 : 0;
}
