// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The fleet's comparison (fleet.h). Nodes are compared only on the points
 * every compared node measured completely, so a node with another grid,
 * or one whose run failed at a point, changes which points compete, never
 * compares a point of one node with nothing on another; what is left out
 * is listed with why. A synchronous training step waits for its slowest
 * node, so the fleet's point is judged by the worst node at it, among the
 * points most nodes cannot tell from their own best.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fleet.h"
#include "optimum.h"
#include "sweepparam.h"
#include "units.h"

/* Nodes named in a left-out point's why before the rest is counted. */
#define FLEET_WHY_NODES	4

static const char rule[] =
	"A node's tie set is every compared point within the noise of its own best\n"
	"(read + write E2E at least best x (1 - noise)). The fleet's point is the one\n"
	"in the tie sets of the most nodes; among those, the one whose slowest node is\n"
	"fastest (a synchronous step waits for its slowest node); then the higher\n"
	"median over nodes; then the least pinned memory (block_size x queue_depth x\n"
	"io_parallel); then DeepSpeed's parameter order.";

const char *fleet_rule(void)
{
	return rule;
}

const char *fleet_state_name(enum fleet_node_state s)
{
	static const char *const names[] = {
		[FLEET_NODE_OK] = "ok", [FLEET_NODE_PARTIAL] = "partial",
		[FLEET_NODE_FAILED] = "failed", [FLEET_NODE_MISSING] = "missing",
	};

	return names[s];
}

static const struct fleet_point *find(const struct fleet_node *n,
				      const struct dsaio_params *p)
{
	size_t i;

	for (i = 0; i < n->n_pts; i++)
		if (dsaio_params_same(&n->pts[i].params, p))
			return &n->pts[i];
	return NULL;
}

/* Complete for the fleet: not excluded, every fleet op measured (> 0). */
static bool usable(unsigned int ops, const struct fleet_point *pt)
{
	if (!pt || pt->excluded)
		return false;
	if ((ops & DSAIO_OP_BIT(OP_READ)) && !(pt->have_read && pt->read_gbs > 0))
		return false;
	if ((ops & DSAIO_OP_BIT(OP_WRITE)) && !(pt->have_write && pt->write_gbs > 0))
		return false;
	return true;
}

bool fleet_node_score(const struct fleet *f, const struct fleet_node *n,
		      const struct dsaio_params *p, double *gbs,
		      double *read, double *write)
{
	const struct fleet_point *pt = find(n, p);

	if (!usable(f->ops, pt))
		return false;
	*read = f->ops & DSAIO_OP_BIT(OP_READ) ? pt->read_gbs : 0;
	*write = f->ops & DSAIO_OP_BIT(OP_WRITE) ? pt->write_gbs : 0;
	*gbs = *read + *write;
	return true;
}

static bool compared(const struct fleet_node *n)
{
	return n->state == FLEET_NODE_OK;
}

/* Appends a formatted clause to a fixed buffer, "; "-separated. */
static void clause(char *buf, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void clause(char *buf, size_t len, const char *fmt, ...)
{
	size_t l = strlen(buf);
	va_list ap;

	if (l && l + 2 < len) {
		memcpy(buf + l, "; ", 3);
		l += 2;
	}
	va_start(ap, fmt);
	vsnprintf(buf + l, len - l, fmt, ap);
	va_end(ap);
}

static void note(struct fleet *f, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void note(struct fleet *f, const char *fmt, ...)
{
	size_t l = strlen(f->notes);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(f->notes + l, sizeof(f->notes) - l, fmt, ap);
	va_end(ap);
	l = strlen(f->notes);
	if (l + 1 < sizeof(f->notes)) {
		f->notes[l] = '\n';
		f->notes[l + 1] = '\0';
	}
}

/* The first key a has that b lacks, or NULL; a point's keys only when
 * both have points. */
static const char *key_not_in(const struct fleet_format *a,
			      const struct fleet_format *b)
{
	bool points = a->has_points && b->has_points;
	size_t i, j;

	for (i = 0; i < a->n_keys; i++) {
		if (!points && !strncmp(a->keys[i], "p.", 2))
			continue;
		for (j = 0; j < b->n_keys; j++)
			if (!strcmp(a->keys[i], b->keys[j]))
				break;
		if (j == b->n_keys)
			return a->keys[i];
	}
	return NULL;
}

static const char *kind_name(const struct fleet_node *n)
{
	return n->target.kind == TARGET_FILE ? "files in a directory" : "a block device";
}

int fleet_check(const struct fleet *f, char *err, size_t len)
{
	const struct fleet_node *ref = NULL;
	size_t i, j;

	for (i = 0; i < f->n_nodes; i++) {
		const struct fleet_node *n = &f->nodes[i];
		const char *k;

		for (j = 0; j < i; j++)
			if (!strcmp(f->nodes[j].name, n->name)) {
				snprintf(err, len, "%s and %s are both node %s: give one file per node",
					 f->nodes[j].source, n->source, n->name);
				return -EINVAL;
			}
		if (n->state == FLEET_NODE_MISSING)
			continue;
		if (!ref) {
			ref = n;
			continue;
		}
		k = key_not_in(&n->format, &ref->format);
		if (k || (k = key_not_in(&ref->format, &n->format))) {
			bool in_n = key_not_in(&n->format, &ref->format) != NULL;

			snprintf(err, len, "%s and %s were written by different dsaio versions: %s has the key \"%s\" and %s has not; run the same dsaio-user on every node",
				 ref->source, n->source, in_n ? n->source : ref->source,
				 !strncmp(k, "p.", 2) ? k + 2 : k,
				 in_n ? ref->source : n->source);
			return -EINVAL;
		}
		if (strcmp(n->format.version, ref->format.version)) {
			snprintf(err, len, "%s and %s were written by different dsaio versions (%s, %s); run the same dsaio-user on every node",
				 ref->source, n->source,
				 ref->format.version[0] ? ref->format.version : "unversioned",
				 n->format.version[0] ? n->format.version : "unversioned");
			return -EINVAL;
		}
		if (strcmp(n->engine, ref->engine)) {
			snprintf(err, len, "%s was measured with the %s engine and %s with %s: compare one engine across nodes (sweep --engine, or merge --engine for --engines summaries)",
				 ref->source, ref->engine, n->source, n->engine);
			return -EINVAL;
		}
		if (n->target.kind != ref->target.kind) {
			snprintf(err, len, "%s measured %s and %s %s: compare like with like",
				 ref->source, kind_name(ref), n->source, kind_name(n));
			return -EINVAL;
		}
	}
	return 0;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* min, median, max and range of v[0..n) (sorted here); n > 0. */
static void spread_of(double *v, size_t n, struct fleet_spread *s)
{
	qsort(v, n, sizeof(*v), cmp_double);
	s->min = v[0];
	s->max = v[n - 1];
	s->median = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
	s->range = s->median > 0 ? (s->max - s->min) / s->median : 0;
}

/* Bytes a point pins: every worker's queue full of blocks. */
static double pinned(const struct dsaio_params *p)
{
	return (double)p->block_size * p->queue_depth * p->io_parallel;
}

/* Is candidate a better fleet point than b (both in f->common)? */
static bool better(const struct fleet_common *a, const struct fleet_common *b)
{
	if (a->n_tied != b->n_tied)
		return a->n_tied > b->n_tied;
	if (a->min_gbs != b->min_gbs)
		return a->min_gbs > b->min_gbs;
	if (a->median_gbs != b->median_gbs)
		return a->median_gbs > b->median_gbs;
	if (pinned(&a->params) != pinned(&b->params))
		return pinned(&a->params) < pinned(&b->params);
	return dsaio_params_cmp(&a->params, &b->params) < 0;
}

static int cmp_params(const void *a, const void *b)
{
	return dsaio_params_cmp(a, b);
}

/* Which ops: those of the nodes that ran to their end; nodes short of one
 * cannot be compared on it. */
static void fleet_ops(struct fleet *f)
{
	size_t i;

	f->ops = 0;
	for (i = 0; i < f->n_nodes; i++)
		if (compared(&f->nodes[i]))
			f->ops |= f->nodes[i].ops;
	for (i = 0; i < f->n_nodes; i++) {
		struct fleet_node *n = &f->nodes[i];

		if (!compared(n) || (n->ops & f->ops) == f->ops)
			continue;
		n->state = FLEET_NODE_FAILED;
		if (!n->ops)
			snprintf(n->why, sizeof(n->why), "its summary has no point at all");
		else
			snprintf(n->why, sizeof(n->why), "it measured %s only, the others reads and writes",
				 n->ops & DSAIO_OP_BIT(OP_READ) ? "reads" : "writes");
	}
}

/* Nodes with no usable point cannot be compared on any. */
static void drop_failed(struct fleet *f)
{
	size_t i, j;

	for (i = 0; i < f->n_nodes; i++) {
		struct fleet_node *n = &f->nodes[i];
		size_t ok = 0;

		if (!compared(n))
			continue;
		for (j = 0; j < n->n_pts; j++)
			ok += usable(f->ops, &n->pts[j]);
		if (!ok) {
			n->state = FLEET_NODE_FAILED;
			snprintf(n->why, sizeof(n->why),
				 "no point measured completely (%zu point(s), every one failed or was refused%s%s)",
				 n->n_pts, n->n_pts ? ": " : "",
				 n->n_pts ? n->pts[0].reason : "");
		}
	}
}

/* The points of every compared node, each once, in parameter order. */
static struct dsaio_params *all_points(const struct fleet *f, size_t *n_out)
{
	struct dsaio_params *all;
	size_t cap = 0, n = 0, i, j, k;

	for (i = 0; i < f->n_nodes; i++)
		if (compared(&f->nodes[i]))
			cap += f->nodes[i].n_pts;
	all = calloc(cap ? cap : 1, sizeof(*all));
	if (!all)
		return NULL;
	for (i = 0; i < f->n_nodes; i++) {
		const struct fleet_node *nd = &f->nodes[i];

		if (!compared(nd))
			continue;
		for (j = 0; j < nd->n_pts; j++) {
			for (k = 0; k < n; k++)
				if (dsaio_params_same(&all[k], &nd->pts[j].params))
					break;
			if (k == n)
				all[n++] = nd->pts[j].params;
		}
	}
	qsort(all, n, sizeof(*all), cmp_params);
	*n_out = n;
	return all;
}

/* Why a point is not complete on node nd, into why. */
static void why_not(const struct fleet *f, const struct fleet_node *nd,
		    const struct dsaio_params *p, char *why, size_t len)
{
	const struct fleet_point *pt = find(nd, p);

	if (!pt)
		clause(why, len, "not measured on %s", nd->name);
	else if (pt->excluded)
		clause(why, len, "failed on %s (%s)", nd->name, pt->reason);
	else
		clause(why, len, "%s missing or 0 on %s",
		       (f->ops & DSAIO_OP_BIT(OP_READ)) &&
		       !(pt->have_read && pt->read_gbs > 0) ? "read" : "write",
		       nd->name);
}

/* Splits the points into common (on every compared node) and left out. */
static int split_points(struct fleet *f)
{
	struct dsaio_params *all;
	size_t n_all, i, j;

	all = all_points(f, &n_all);
	if (!all)
		return -ENOMEM;
	f->common = calloc(n_all ? n_all : 1, sizeof(*f->common));
	f->left = calloc(n_all ? n_all : 1, sizeof(*f->left));
	if (!f->common || !f->left) {
		free(all);
		return -ENOMEM;
	}
	for (i = 0; i < n_all; i++) {
		char why[FLEET_WHY_MAX] = "";
		size_t lack = 0;

		for (j = 0; j < f->n_nodes; j++) {
			const struct fleet_node *nd = &f->nodes[j];

			if (!compared(nd) || usable(f->ops, find(nd, &all[i])))
				continue;
			/* a fleet of thousands: the first few, then a count */
			if (lack++ < FLEET_WHY_NODES)
				why_not(f, nd, &all[i], why, sizeof(why));
		}
		if (lack > FLEET_WHY_NODES)
			clause(why, sizeof(why), "and %zu more node(s)", lack - FLEET_WHY_NODES);
		if (why[0]) {
			f->left[f->n_left].params = all[i];
			memcpy(f->left[f->n_left++].why, why, sizeof(why));
		} else {
			f->common[f->n_common++].params = all[i];
		}
	}
	free(all);
	return 0;
}

/* Each compared node's best common point; ties by parameter order. */
static void node_bests(struct fleet *f)
{
	size_t i, c;

	for (i = 0; i < f->n_nodes; i++) {
		struct fleet_node *nd = &f->nodes[i];
		double g, r, w;

		nd->best = -1;
		nd->best_gbs = 0;
		if (nd->state != FLEET_NODE_OK && nd->state != FLEET_NODE_PARTIAL)
			continue;
		/* common is in parameter order: the first of equals stays */
		for (c = 0; c < f->n_common; c++)
			if (fleet_node_score(f, nd, &f->common[c].params, &g, &r, &w) &&
			    (nd->best < 0 || g > nd->best_gbs)) {
				nd->best = (long)c;
				nd->best_gbs = g;
			}
	}
}

/* Per common point: the spread over nodes and how many nodes tie on it. */
static int rate_points(struct fleet *f)
{
	double *v = calloc(f->n_nodes ? f->n_nodes : 1, sizeof(*v));
	size_t c, i;

	if (!v)
		return -ENOMEM;
	for (c = 0; c < f->n_common; c++) {
		struct fleet_common *fc = &f->common[c];
		struct fleet_spread s;
		size_t n = 0;

		fc->n_tied = 0;
		for (i = 0; i < f->n_nodes; i++) {
			const struct fleet_node *nd = &f->nodes[i];
			double g, r, w;

			if (!compared(nd) ||
			    !fleet_node_score(f, nd, &fc->params, &g, &r, &w))
				continue;
			v[n++] = g;
			fc->n_tied += g >= nd->best_gbs * (1 - f->noise);
		}
		if (!n)
			continue;
		spread_of(v, n, &s);
		fc->min_gbs = s.min;
		fc->median_gbs = s.median;
		fc->max_gbs = s.max;
	}
	free(v);
	return 0;
}

/* The pick, every node at it, the spreads and the outliers. */
static int judge(struct fleet *f)
{
	double *best = calloc(f->n_nodes ? f->n_nodes : 1, sizeof(*best));
	double *at = calloc(f->n_nodes ? f->n_nodes : 1, sizeof(*at));
	double *rd = calloc(f->n_nodes ? f->n_nodes : 1, sizeof(*rd));
	double *wr = calloc(f->n_nodes ? f->n_nodes : 1, sizeof(*wr));
	size_t c, i, nb = 0, na = 0;

	if (!best || !at || !rd || !wr) {
		free(best);
		free(at);
		free(rd);
		free(wr);
		return -ENOMEM;
	}
	f->pick = -1;
	for (c = 0; c < f->n_common; c++)
		if (f->pick < 0 || better(&f->common[c], &f->common[f->pick]))
			f->pick = (long)c;
	for (i = 0; i < f->n_nodes; i++) {
		struct fleet_node *nd = &f->nodes[i];

		nd->have_pick = f->pick >= 0 &&
			fleet_node_score(f, nd, &f->common[f->pick].params,
					 &nd->pick_gbs, &nd->pick_read, &nd->pick_write);
		if (!compared(nd))
			continue;
		best[nb++] = nd->best_gbs;
		if (nd->have_pick) {
			rd[na] = nd->pick_read;
			wr[na] = nd->pick_write;
			at[na++] = nd->pick_gbs;
		}
	}
	memset(&f->best, 0, sizeof(f->best));
	memset(&f->at_pick, 0, sizeof(f->at_pick));
	memset(&f->at_pick_read, 0, sizeof(f->at_pick_read));
	memset(&f->at_pick_write, 0, sizeof(f->at_pick_write));
	if (nb && f->n_common)
		spread_of(best, nb, &f->best);
	if (na) {
		spread_of(at, na, &f->at_pick);
		spread_of(rd, na, &f->at_pick_read);
		spread_of(wr, na, &f->at_pick_write);
	}
	f->n_outliers = 0;
	for (i = 0; i < f->n_nodes && f->n_common; i++) {
		struct fleet_node *nd = &f->nodes[i];

		if (!compared(nd) || !(f->best.median > 0))
			continue;
		nd->below_median = 1 - nd->best_gbs / f->best.median;
		/* below the median by more than the noise */
		nd->outlier = nb > 1 && nd->below_median > f->noise;
		f->n_outliers += nd->outlier;
	}
	free(best);
	free(at);
	free(rd);
	free(wr);
	return 0;
}

/* "8M x 3 on ext4": what a node measured, for the notes. */
static void measured(const struct fleet_node *n, char *buf, size_t len)
{
	char sz[32];

	dsaio_format_size(n->io_size, sz, sizeof(sz));
	snprintf(buf, len, "%s x %u%s%s", sz, n->loops,
		 n->target.fstype[0] ? " on " : "", n->target.fstype);
}

/* Differences that do not stop a comparison but change its meaning:
 * the nodes that measured otherwise than the first compared one. */
static void notes_of(struct fleet *f)
{
	const struct fleet_node *ref = NULL;
	char buf[sizeof(f->notes)] = "", what[96];
	size_t i, other = 0;

	for (i = 0; i < f->n_nodes; i++) {
		const struct fleet_node *n = &f->nodes[i];

		if (!compared(n))
			continue;
		if (!ref) {
			ref = n;
			continue;
		}
		if (n->io_size == ref->io_size && n->loops == ref->loops &&
		    !strcmp(n->target.fstype, ref->target.fstype))
			continue;
		if (other++ < FLEET_WHY_NODES) {
			measured(n, what, sizeof(what));
			clause(buf, sizeof(buf), "%s %s", n->name, what);
		}
	}
	if (other > FLEET_WHY_NODES)
		clause(buf, sizeof(buf), "and %zu more node(s)", other - FLEET_WHY_NODES);
	if (other) {
		measured(ref, what, sizeof(what));
		note(f, "The nodes measured differently (io_size x loops, filesystem): %s %s, but %s.",
		     ref->name, what, buf);
	}
	if (f->n_left)
		note(f, "Only the %zu point(s) every compared node measured completely are compared; %zu left out (listed).",
		     f->n_common, f->n_left);
}

int fleet_merge(struct fleet *f)
{
	size_t i;

	f->notes[0] = '\0';
	fleet_ops(f);
	drop_failed(f);
	f->n_compared = f->n_partial = f->n_failed = f->n_missing = 0;
	for (i = 0; i < f->n_nodes; i++) {
		switch (f->nodes[i].state) {
		case FLEET_NODE_OK:
			f->n_compared++;
			break;
		case FLEET_NODE_PARTIAL:
			f->n_partial++;
			break;
		case FLEET_NODE_FAILED:
			f->n_failed++;
			break;
		case FLEET_NODE_MISSING:
			f->n_missing++;
			break;
		}
	}
	if (split_points(f))
		return -ENOMEM;
	node_bests(f);
	if (rate_points(f) || judge(f))
		return -ENOMEM;
	notes_of(f);
	return 0;
}

void fleet_free(struct fleet *f)
{
	free(f->common);
	free(f->left);
	f->common = NULL;
	f->left = NULL;
	f->n_common = f->n_left = 0;
}
