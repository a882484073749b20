/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The scaling report of several targets: each measured alone, then all
 * together (same op, same point). Pure: figures in, findings out, for
 * the host unit tests.
 *
 * The rule, with noise the fraction two runs of one drive may differ by:
 * the larger of SCALING_NOISE (10 %: more than the E2E spread of repeated
 * runs on one emulated drive, README "What the figures mean") and the
 * largest loop-to-loop spread of any alone run (scaling_loop_spread()):
 *  - shared bottleneck: the total together is below the sum of the
 *    alone speeds by more than the noise, (1 - noise) x sum;
 *  - slow target: a target's alone speed is below the median of its
 *    peers' (the other targets') alone speeds by more than the noise.
 * Speeds are E2E GB/s (GB = 2^30), as DeepSpeed ranks.
 */
#ifndef DSAIO_USER_SCALING_H
#define DSAIO_USER_SCALING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <json-c/json.h>
#include "model.h"

#define SCALING_NOISE 0.10

struct scaling_input {
	enum dsaio_user_op op;
	unsigned int n;				/* targets, 2..DSAIO_MAX_TARGETS */
	const char *name[DSAIO_MAX_TARGETS];	/* as the user gave them */
	double alone_gbs[DSAIO_MAX_TARGETS];	/* each measured alone */
	double together_gbs;			/* all at once, in total */
	double noise;				/* 0: SCALING_NOISE */
};

enum scaling_kind { SCALING_SHARED, SCALING_SLOW };

struct scaling_finding {
	enum scaling_kind kind;
	unsigned int target;		/* SCALING_SLOW: its index */
	double value, reference;	/* SHARED: total, sum; SLOW: it, peers' median */
	char text[512];			/* the line to print */
};

struct scaling_report {
	enum dsaio_user_op op;
	unsigned int n;
	double sum_alone_gbs, together_gbs;
	double ratio;			/* together / sum of alone; 0 when no sum */
	double noise;
	char summary[512];		/* the line before the findings */
	struct scaling_finding findings[DSAIO_MAX_TARGETS + 1];
	size_t n_findings;
};

/*
 * The spread of one run's loops: (fastest - slowest) / fastest of their
 * speeds (bytes / time); 0 with fewer than two loops with time.
 */
double scaling_loop_spread(const struct measurement_stat *loops, size_t n);

/*
 * Applies the rule to in. Returns 0, or -EINVAL when in has fewer than
 * two targets or a speed that is not a finite number >= 0.
 */
int scaling_assess(const struct scaling_input *in, struct scaling_report *out);

/* The summary line and one line per finding, each with prefix. */
void scaling_print(FILE *f, const struct scaling_report *r, const char *prefix);

/*
 * {"op", "noise", "sum_alone_gbs", "together_gbs", "ratio", "summary",
 *  "findings": [{"kind": "shared_bottleneck"|"slow_target", "target"
 *  (slow only, from 1), "value_gbs", "reference_gbs", "text"}]}; NULL
 * when out of memory.
 */
json_object *scaling_json(const struct scaling_report *r);
#endif
