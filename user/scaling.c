// SPDX-License-Identifier: GPL-2.0 OR MIT
/* The scaling rule of several targets (scaling.h): pure arithmetic. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "scaling.h"

static const char *op_name(enum dsaio_user_op op)
{
	return op == OP_WRITE ? "write" : "read";
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* The median of the alone speeds of every target but skip. */
static double peers_median(const struct scaling_input *in, unsigned int skip)
{
	double v[DSAIO_MAX_TARGETS];
	unsigned int i, n = 0;

	for (i = 0; i < in->n; i++)
		if (i != skip)
			v[n++] = in->alone_gbs[i];
	qsort(v, n, sizeof(v[0]), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static bool speed_ok(double v)
{
	return isfinite(v) && v >= 0;
}

double scaling_loop_spread(const struct measurement_stat *loops, size_t n)
{
	double lo = 0, hi = 0;
	size_t i, k = 0;

	for (i = 0; i < n; i++) {
		double v;

		if (!loops[i].time_ns)
			continue;
		v = (double)loops[i].bytes / (double)loops[i].time_ns;
		if (!k++ || v < lo)
			lo = v;
		if (k == 1 || v > hi)
			hi = v;
	}
	return k >= 2 && hi > 0 ? (hi - lo) / hi : 0;
}

int scaling_assess(const struct scaling_input *in, struct scaling_report *out)
{
	double noise = in->noise > 0 ? in->noise : SCALING_NOISE;
	const char *op = op_name(in->op);
	unsigned int i;

	memset(out, 0, sizeof(*out));
	if (in->n < 2 || in->n > DSAIO_MAX_TARGETS || !speed_ok(in->together_gbs))
		return -EINVAL;
	for (i = 0; i < in->n; i++) {
		if (!speed_ok(in->alone_gbs[i]))
			return -EINVAL;
		out->sum_alone_gbs += in->alone_gbs[i];
	}
	out->op = in->op;
	out->n = in->n;
	out->noise = noise;
	out->together_gbs = in->together_gbs;
	out->ratio = out->sum_alone_gbs > 0 ? in->together_gbs / out->sum_alone_gbs : 0;
	snprintf(out->summary, sizeof(out->summary),
		 "scaling %s: %u targets together %.3f GB/s, %.0f%% of the sum of each alone (%.3f GB/s)",
		 op, in->n, in->together_gbs, out->ratio * 100, out->sum_alone_gbs);
	if (in->together_gbs < (1 - noise) * out->sum_alone_gbs) {
		struct scaling_finding *f = &out->findings[out->n_findings++];

		f->kind = SCALING_SHARED;
		f->value = in->together_gbs;
		f->reference = out->sum_alone_gbs;
		snprintf(f->text, sizeof(f->text),
			 "shared bottleneck (%s): together %.3f GB/s falls %.0f%% short of the sum of each alone, %.3f GB/s (more than the %.0f%% noise): something the targets share holds them back (a PCIe switch or link, the CPU, memory)",
			 op, in->together_gbs, (1 - out->ratio) * 100,
			 out->sum_alone_gbs, noise * 100);
	}
	for (i = 0; i < in->n; i++) {
		double ref = peers_median(in, i);
		struct scaling_finding *f;

		if (!(in->alone_gbs[i] < (1 - noise) * ref))
			continue;
		f = &out->findings[out->n_findings++];
		f->kind = SCALING_SLOW;
		f->target = i;
		f->value = in->alone_gbs[i];
		f->reference = ref;
		snprintf(f->text, sizeof(f->text),
			 "slow target (%s): %s gave %.3f GB/s alone, %.0f%% below its peers' median of %.3f GB/s (more than the %.0f%% noise)",
			 op, in->name[i] ? in->name[i] : "?", in->alone_gbs[i],
			 (1 - in->alone_gbs[i] / ref) * 100, ref, noise * 100);
	}
	return 0;
}

void scaling_print(FILE *f, const struct scaling_report *r, const char *prefix)
{
	size_t i;

	fprintf(f, "%s%s\n", prefix, r->summary);
	for (i = 0; i < r->n_findings; i++)
		fprintf(f, "%s%s\n", prefix, r->findings[i].text);
	if (!r->n_findings)
		fprintf(f, "%sno finding at a noise of %.0f%%: the total is within it of the sum of each alone, and no target falls that far below its peers\n",
			prefix, r->noise * 100);
}

json_object *scaling_json(const struct scaling_report *r)
{
	json_object *o = json_object_new_object(), *arr = json_object_new_array();
	size_t i;

	if (!o || !arr) {
		json_object_put(o);
		json_object_put(arr);
		return NULL;
	}
	json_object_object_add(o, "op", json_object_new_string(op_name(r->op)));
	json_object_object_add(o, "noise", json_object_new_double(r->noise));
	json_object_object_add(o, "sum_alone_gbs", json_object_new_double(r->sum_alone_gbs));
	json_object_object_add(o, "together_gbs", json_object_new_double(r->together_gbs));
	json_object_object_add(o, "ratio", json_object_new_double(r->ratio));
	json_object_object_add(o, "summary", json_object_new_string(r->summary));
	for (i = 0; i < r->n_findings; i++) {
		const struct scaling_finding *f = &r->findings[i];
		json_object *e = json_object_new_object();

		if (!e || json_object_array_add(arr, e)) {
			json_object_put(e);
			json_object_put(arr);
			json_object_put(o);
			return NULL;
		}
		json_object_object_add(e, "kind", json_object_new_string(
			f->kind == SCALING_SHARED ? "shared_bottleneck" : "slow_target"));
		if (f->kind == SCALING_SLOW)
			json_object_object_add(e, "target", json_object_new_int64(f->target + 1));
		json_object_object_add(e, "value_gbs", json_object_new_double(f->value));
		json_object_object_add(e, "reference_gbs", json_object_new_double(f->reference));
		json_object_object_add(e, "text", json_object_new_string(f->text));
	}
	json_object_object_add(o, "findings", arr);
	return o;
}
