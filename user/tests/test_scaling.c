// SPDX-License-Identifier: GPL-2.0 OR MIT
/* The scaling rule with constructed figures: each finding, its edges. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include "tap.h"
#include "scaling.h"

static const char *const names[] = {
	"/dev/nvme0n1", "/dev/nvme1n1", "/dev/nvme2n1", "/dev/nvme3n1",
};

static int assess(unsigned int n, const double *alone, double together,
		  struct scaling_report *r)
{
	struct scaling_input in = { .op = OP_READ, .n = n, .together_gbs = together };
	unsigned int i;

	for (i = 0; i < n; i++) {
		in.name[i] = names[i];
		in.alone_gbs[i] = alone[i];
	}
	return scaling_assess(&in, r);
}

static size_t count(const struct scaling_report *r, enum scaling_kind k)
{
	size_t i, n = 0;

	for (i = 0; i < r->n_findings; i++)
		n += r->findings[i].kind == k;
	return n;
}

int main(void)
{
	struct scaling_report r;
	json_object *o, *v;

	/* Two equal drives that add up: no finding. */
	is_int(assess(2, (const double[]){ 3.0, 3.0 }, 5.8, &r), 0, "two drives assessed");
	is_int(r.n_findings, 0, "5.8 of 6.0 (97%%): within the noise, no finding");
	ok(fabs(r.ratio - 5.8 / 6.0) < 1e-9 && fabs(r.sum_alone_gbs - 6.0) < 1e-9,
	   "ratio and sum");
	ok(strstr(r.summary, "97%") && strstr(r.summary, "2 targets"), "summary: %s", r.summary);

	/* A shared link: the total stays at one drive's. */
	assess(2, (const double[]){ 3.0, 3.0 }, 3.1, &r);
	is_int(count(&r, SCALING_SHARED), 1, "3.1 of 6.0: a shared bottleneck");
	is_int(count(&r, SCALING_SLOW), 0, "and no slow drive");
	ok(strstr(r.findings[0].text, "shared bottleneck") && strstr(r.findings[0].text, "48%"),
	   "the line says how far short: %s", r.findings[0].text);

	/* The edge: exactly 90% is not short, just under is. */
	assess(2, (const double[]){ 2.0, 2.0 }, 3.6, &r);
	is_int(count(&r, SCALING_SHARED), 0, "exactly (1 - noise) x sum: no finding");
	assess(2, (const double[]){ 2.0, 2.0 }, 3.59, &r);
	is_int(count(&r, SCALING_SHARED), 1, "just below: a finding");

	/* One slow drive of four, named; the others are not. */
	assess(4, (const double[]){ 3.0, 3.1, 2.0, 2.95 }, 10.9, &r);
	is_int(count(&r, SCALING_SLOW), 1, "one slow drive of four");
	is_int(count(&r, SCALING_SHARED), 0, "10.9 of 11.05: no shared bottleneck");
	ok(r.n_findings == 1 && r.findings[0].target == 2 &&
	   strstr(r.findings[0].text, "/dev/nvme2n1") &&
	   fabs(r.findings[0].reference - 3.0) < 1e-9 &&
	   fabs(r.findings[0].value - 2.0) < 1e-9,
	   "nvme2n1 named against its peers' median 3.0 (of 3.0, 3.1, 2.95): %s",
	   r.n_findings ? r.findings[0].text : "");

	/* Two drives, one 20% slower: the slower one only. */
	assess(2, (const double[]){ 2.4, 3.0 }, 5.3, &r);
	ok(r.n_findings == 1 && r.findings[0].kind == SCALING_SLOW &&
	   r.findings[0].target == 0, "of two, the slower one is named, not the faster");
	/* 5% slower: the noise. */
	assess(2, (const double[]){ 2.85, 3.0 }, 5.8, &r);
	is_int(r.n_findings, 0, "5%% slower is within the noise");

	/* Both at once: a slow drive behind a shared switch. */
	assess(3, (const double[]){ 3.0, 3.0, 1.0 }, 3.5, &r);
	ok(count(&r, SCALING_SHARED) == 1 && count(&r, SCALING_SLOW) == 1,
	   "a shared bottleneck and a slow drive are both said");

	/* A stated noise of its own. */
	{
		struct scaling_input in = {
			.op = OP_WRITE, .n = 2, .name = { "a", "b" },
			.alone_gbs = { 1.0, 1.0 }, .together_gbs = 1.7, .noise = 0.2,
		};

		is_int(scaling_assess(&in, &r), 0, "noise 20%% assessed");
		ok(r.n_findings == 0 && fabs(r.noise - 0.2) < 1e-9,
		   "1.7 of 2.0 is within 20%%");
		in.noise = 0;
		scaling_assess(&in, &r);
		ok(r.n_findings == 1 && fabs(r.noise - SCALING_NOISE) < 1e-9 &&
		   strstr(r.findings[0].text, "(write)"), "0 takes the default 10%%: a write finding");
	}

	/* The loops' own spread. */
	{
		struct measurement_stat l[3] = {
			{ .time_ns = 100, .bytes = 1000 }, { .time_ns = 125, .bytes = 1000 },
			{ .time_ns = 0, .bytes = 0 },
		};

		ok(fabs(scaling_loop_spread(l, 3) - 0.2) < 1e-9,
		   "loops of 10 and 8 bytes/ns: spread 20%%, a loop without time left out");
		ok(scaling_loop_spread(l, 1) == 0, "one loop: no spread");
	}

	/* Bad input. */
	is_int(assess(1, (const double[]){ 1.0 }, 1.0, &r), -EINVAL, "one target: nothing to compare");
	is_int(assess(2, (const double[]){ 1.0, NAN }, 1.0, &r), -EINVAL, "a NaN speed refused");
	is_int(assess(2, (const double[]){ 1.0, -1.0 }, 1.0, &r), -EINVAL, "a negative speed refused");
	is_int(assess(2, (const double[]){ 0.0, 0.0 }, 0.0, &r), 0, "zero speeds: assessed");
	ok(r.ratio == 0 && r.n_findings == 0, "no sum: ratio 0, no finding");

	/* JSON carries it. */
	assess(3, (const double[]){ 3.0, 3.0, 1.0 }, 3.5, &r);
	o = scaling_json(&r);
	ok(o && json_object_object_get_ex(o, "findings", &v) &&
	   json_object_array_length(v) == 2, "JSON: two findings");
	ok(o && json_object_object_get_ex(o, "findings", &v) &&
	   !strcmp(json_object_get_string(json_object_object_get(
		   json_object_array_get_idx(v, 1), "kind")), "slow_target") &&
	   json_object_get_int(json_object_object_get(
		   json_object_array_get_idx(v, 1), "target")) == 3,
	   "JSON: the slow target is number 3");
	ok(o && json_object_object_get_ex(o, "ratio", &v) &&
	   fabs(json_object_get_double(v) - 3.5 / 7.0) < 1e-9, "JSON: the ratio");
	json_object_put(o);
	return done();
}
