// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The engines of `sweep --engines` side by side (sweep_compare.h). Each
 * engine keeps its own ranking and its own best point: the engines do
 * different work per request (a system call, or none), so a point that
 * is best for one need not be for another, and that difference is what
 * the table is for. The "aio" block is libaio's best because DeepSpeed's
 * runtime is libaio; the module is the reference of the ratios because
 * it has the least overhead of its own.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "dsconfig.h"
#include "report.h"
#include "sweep_compare.h"
#include "sweepparam.h"

/* Speed and ratio columns, each after a space. */
#define CELL_W	8

static double sum_of(const struct sweep_cell *x)
{
	return x->read_gbs + x->write_gbs;
}

const struct sweep_cell *sweep_compare_cell(const struct sweep_compare *c,
					    size_t r, size_t e)
{
	return &c->cells[r * c->n_engines + e];
}

/* The row of p, added when new; its index. */
static size_t row_of(struct sweep_compare *c, const struct dsaio_params *p)
{
	size_t r;

	for (r = 0; r < c->n_rows; r++)
		if (dsaio_params_same(&c->rows[r], p))
			return r;
	c->rows[c->n_rows] = *p;
	return c->n_rows++;
}

static size_t index_of(const struct sweep_compare *c, const char *name)
{
	size_t e;

	for (e = 0; e < c->n_engines; e++)
		if (!strcmp(c->engines[e], name))
			return e;
	return c->n_engines;
}

/* libaio's best, else the reference's, else the first engine's. */
static void pick(struct sweep_compare *c)
{
	size_t ds = index_of(c, SWEEP_COMPARE_DEEPSPEED), e;

	if (ds < c->n_engines && c->best[ds]) {
		c->pick = ds;
		c->why = PICK_DEEPSPEED;
		return;
	}
	if (ds == c->n_engines && c->best[c->ref]) {
		c->pick = c->ref;
		c->why = PICK_REFERENCE;
		return;
	}
	for (e = 0; e < c->n_engines; e++) {
		if (c->best[e]) {
			c->pick = e;
			c->why = PICK_FALLBACK;
			return;
		}
	}
	c->why = PICK_NONE;
}

static void agree(struct sweep_compare *c)
{
	const struct dsaio_ranked *first = NULL;
	size_t e, n = 0;

	c->agree = true;
	for (e = 0; e < c->n_engines; e++) {
		if (!c->best[e])
			continue;
		n++;
		if (!first)
			first = c->best[e];
		else if (!dsaio_params_same(&first->params, &c->best[e]->params))
			c->agree = false;
	}
	/* One best alone agrees with nothing. */
	if (n < 2)
		c->agree = false;
}

int sweep_compare_build(struct sweep_compare *c,
			const struct sweep_compare_in *in, size_t n,
			const struct dsaio_params *grid, size_t n_grid,
			unsigned int ops)
{
	size_t e, i, r, cap = n_grid;

	memset(c, 0, sizeof(*c));
	c->ops = ops;
	c->n_engines = n;
	for (e = 0; e < n; e++)
		cap += in[e].n;
	c->engines = calloc(n ? n : 1, sizeof(*c->engines));
	c->best = calloc(n ? n : 1, sizeof(*c->best));
	c->rows = calloc(cap ? cap : 1, sizeof(*c->rows));
	if (!c->engines || !c->best || !c->rows)
		goto nomem;
	for (i = 0; i < n_grid; i++)
		row_of(c, &grid[i]);
	for (e = 0; e < n; e++)
		for (i = 0; i < in[e].n; i++)
			row_of(c, &in[e].rk[i].params);
	c->cells = calloc(c->n_rows * n + 1, sizeof(*c->cells));
	if (!c->cells)
		goto nomem;
	for (e = 0; e < n; e++) {
		c->engines[e] = in[e].engine;
		/* complete points first; its tie pick among them */
		if (in[e].n_complete)
			c->best[e] = &in[e].rk[in[e].pick < in[e].n_complete ?
					       in[e].pick : 0];
		for (i = 0; i < in[e].n; i++) {
			const struct dsaio_ranked *k = &in[e].rk[i];
			struct sweep_cell *x;

			r = row_of(c, &k->params);
			x = &c->cells[r * n + e];
			x->have_read = k->have_read;
			x->have_write = k->have_write;
			x->read_gbs = k->read_gbs;
			x->write_gbs = k->write_gbs;
			x->complete = k->complete;
		}
	}
	c->ref = index_of(c, SWEEP_COMPARE_REFERENCE);
	if (c->ref == n)
		c->ref = 0;
	for (r = 0; r < c->n_rows; r++) {
		const struct sweep_cell *ref = &c->cells[r * n + c->ref];

		for (e = 0; e < n; e++) {
			struct sweep_cell *x = &c->cells[r * n + e];

			/* Only whole points compare: a missing op would
			 * count as 0 and make any ratio meaningless. */
			if (e == c->ref || !x->complete || !ref->complete ||
			    !(sum_of(ref) > 0))
				continue;
			x->have_ratio = true;
			x->ratio = sum_of(x) / sum_of(ref);
		}
	}
	pick(c);
	agree(c);
	return 0;
nomem:
	sweep_compare_free(c);
	return -ENOMEM;
}

void sweep_compare_free(struct sweep_compare *c)
{
	free(c->engines);
	free(c->best);
	free(c->rows);
	free(c->cells);
	memset(c, 0, sizeof(*c));
}

/* Written before read: the order of a sweep's passes. */
static size_t n_op_cols(const struct sweep_compare *c)
{
	return !!(c->ops & DSAIO_OP_BIT(OP_WRITE)) +
	       !!(c->ops & DSAIO_OP_BIT(OP_READ));
}

/* An engine's columns: its ops' speeds, and a ratio but for the reference. */
static size_t n_cols(const struct sweep_compare *c, size_t e)
{
	return n_op_cols(c) + (e != c->ref);
}

/* Its group, " |" left out: the columns, or its name if that is wider. */
static size_t group_width(const struct sweep_compare *c, size_t e)
{
	size_t w = n_cols(c, e) * (1 + CELL_W);
	size_t name = strlen(c->engines[e]) + 1;

	return w > name ? w : name;
}

/* Its first column takes what a long name adds to the group. */
static size_t first_width(const struct sweep_compare *c, size_t e)
{
	return group_width(c, e) - n_cols(c, e) * (1 + CELL_W) + CELL_W;
}

static void cell(FILE *f, size_t w, bool have, double v)
{
	if (have)
		fprintf(f, " %*.3f", (int)w, v);
	else
		fprintf(f, " %*s", (int)w, "-");
}

void sweep_compare_print_table(FILE *f, const struct sweep_compare *c)
{
	bool wr = c->ops & DSAIO_OP_BIT(OP_WRITE);
	bool rd = c->ops & DSAIO_OP_BIT(OP_READ);
	bool wide = dsaio_report_params_wide(c->rows, c->n_rows);
	char over[64];
	size_t e, r;

	fprintf(f, "Side by side: E2E GB/s (GB = 2^30); ratio: %s E2E over %s's\n",
		wr && rd ? "read + write" : wr ? "write" : "read",
		c->engines[c->ref]);
	/* The engines' names over their columns, centred. */
	fprintf(f, "%*s", (int)dsaio_report_params_width(wide), "");
	for (e = 0; e < c->n_engines; e++) {
		size_t w = group_width(c, e), len = strlen(c->engines[e]);
		size_t left = (w - len) / 2;

		fprintf(f, " |%*s%s%*s", (int)left, "", c->engines[e],
			(int)(w - len - left), "");
	}
	fprintf(f, "\n");
	/* "/kernel" over a ratio says what it is over, when that fits */
	if ((size_t)snprintf(over, sizeof(over), "/%s", c->engines[c->ref]) > CELL_W)
		snprintf(over, sizeof(over), "ratio");
	dsaio_report_params_ext(f, NULL, true, wide);
	for (e = 0; e < c->n_engines; e++) {
		size_t w = first_width(c, e);

		fprintf(f, " |");
		if (wr) {
			fprintf(f, " %*s", (int)w, "write");
			w = CELL_W;
		}
		if (rd) {
			fprintf(f, " %*s", (int)w, "read");
			w = CELL_W;
		}
		if (e != c->ref)
			fprintf(f, " %*s", (int)w, over);
	}
	fprintf(f, "\n");
	for (r = 0; r < c->n_rows; r++) {
		dsaio_report_params_ext(f, &c->rows[r], true, wide);
		for (e = 0; e < c->n_engines; e++) {
			const struct sweep_cell *x = sweep_compare_cell(c, r, e);
			size_t w = first_width(c, e);

			fprintf(f, " |");
			if (wr) {
				cell(f, w, x->have_write, x->write_gbs);
				w = CELL_W;
			}
			if (rd) {
				cell(f, w, x->have_read, x->read_gbs);
				w = CELL_W;
			}
			if (e != c->ref)
				cell(f, w, x->have_ratio, x->ratio);
		}
		fprintf(f, "\n");
	}
}

int sweep_compare_print_pick(FILE *f, const struct sweep_compare *c,
			     bool legacy_keys)
{
	const char *ds = SWEEP_COMPARE_DEEPSPEED;
	bool have_ds = index_of(c, ds) < c->n_engines;
	json_object *aio;
	size_t e, w = 0, n_best = 0;

	for (e = 0; e < c->n_engines; e++) {
		if (strlen(c->engines[e]) > w)
			w = strlen(c->engines[e]);
		n_best += c->best[e] != NULL;
	}
	fprintf(f, "Recommended per engine (of its points tied with its best, the one needing the least pinned host memory):\n");
	for (e = 0; e < c->n_engines; e++) {
		const struct dsaio_ranked *b = c->best[e];

		fprintf(f, "  %-*s  ", (int)w, c->engines[e]);
		if (!b) {
			fprintf(f, "none: no complete point\n");
			continue;
		}
		dsaio_report_params(f, &b->params, false);
		fprintf(f, ": %.3f GB/s\n", b->read_gbs + b->write_gbs);
	}
	if (c->why == PICK_NONE) {
		fprintf(f, "No engine has a complete point, so there is no \"aio\" block to recommend.\n");
		return 0;
	}
	if (c->agree)
		fprintf(f, "%s agree on the recommended point.\n",
			n_best == c->n_engines ? "All engines" :
			"The engines with a complete point");
	else if (n_best > 1)
		fprintf(f, "The engines differ on the recommended point.\n");
	switch (c->why) {
	case PICK_DEEPSPEED:
		if (!c->agree && n_best > 1)
			fprintf(f, "DeepSpeed's runtime does its I/O through %s, so the recommendation is %s's.\n",
				ds, ds);
		break;
	case PICK_REFERENCE:
		fprintf(f, "%s (DeepSpeed's runtime path) was not measured: the recommendation is %s's, the reference.\n",
			ds, c->engines[c->pick]);
		break;
	case PICK_FALLBACK:
		fprintf(f, "%s has no complete point: the recommendation is %s's, the first engine with one.\n",
			have_ds ? ds : c->engines[c->ref], c->engines[c->pick]);
		break;
	case PICK_NONE:
		break;
	}
	aio = dsaio_aio_config(&c->best[c->pick]->params, legacy_keys);
	if (!aio)
		return -1;
	fprintf(f, "\nBest configuration for DeepSpeed (%s's recommended point: of those tied with its best, the least pinned host memory):\n%s\n",
		c->engines[c->pick],
		json_object_to_json_string_ext(aio, DSAIO_JSON_PRETTY));
	json_object_put(aio);
	return 0;
}


/* A speed or ratio, or null. */
static int add_num(json_object *o, const char *k, bool have, double v)
{
	if (!have)
		return json_object_object_add(o, k, NULL) ? -1 : 0;
	return dsaio_json_add(o, k, json_object_new_double(v));
}

static json_object *row_json(const struct sweep_compare *c, size_t r)
{
	json_object *o = dsaio_params_json(&c->rows[r]);
	json_object *engs = json_object_new_object();
	json_object *ratio = json_object_new_object();
	int err = !o || !engs || !ratio;
	size_t e;

	for (e = 0; !err && e < c->n_engines; e++) {
		const struct sweep_cell *x = sweep_compare_cell(c, r, e);
		json_object *v = json_object_new_object();

		err |= !v;
		if (v && (c->ops & DSAIO_OP_BIT(OP_WRITE)))
			err |= add_num(v, "write_gbs", x->have_write, x->write_gbs);
		if (v && (c->ops & DSAIO_OP_BIT(OP_READ)))
			err |= add_num(v, "read_gbs", x->have_read, x->read_gbs);
		if (v)
			err |= dsaio_json_add(v, "complete",
					      json_object_new_boolean(x->complete));
		err |= dsaio_json_add(engs, c->engines[e], v);
		if (e != c->ref)
			err |= add_num(ratio, c->engines[e], x->have_ratio, x->ratio);
	}
	if (!err) {
		err |= dsaio_json_add(o, "engines", engs);
		engs = NULL;
		err |= dsaio_json_add(o, "ratio", ratio);
		ratio = NULL;
	}
	json_object_put(engs);
	json_object_put(ratio);
	if (err) {
		json_object_put(o);
		return NULL;
	}
	return o;
}

int sweep_compare_json_add(json_object *o, const struct sweep_compare *c,
			   bool legacy_keys)
{
	json_object *rows = json_object_new_array(), *rec;
	size_t r, e;
	int err = 0;

	for (r = 0; rows && r < c->n_rows; r++) {
		json_object *row = row_json(c, r);

		if (!row || json_object_array_add(rows, row)) {
			json_object_put(row);
			json_object_put(rows);
			return -1;
		}
	}
	err |= dsaio_json_add(o, "reference", json_object_new_string(c->engines[c->ref]));
	err |= dsaio_json_add(o, "comparison", rows);
	rec = json_object_new_object();
	for (e = 0; rec && e < c->n_engines; e++) {
		if (c->best[e])
			err |= dsaio_json_add(rec, c->engines[e],
					      dsaio_aio_config(&c->best[e]->params, legacy_keys));
		else
			err |= json_object_object_add(rec, c->engines[e], NULL) ? -1 : 0;
	}
	err |= dsaio_json_add(o, "recommended", rec);
	err |= dsaio_json_add(o, "agree", json_object_new_boolean(c->agree));
	if (c->why == PICK_NONE) {
		err |= json_object_object_add(o, "optimal_engine", NULL) ? -1 : 0;
		return err ? -1 : 0;
	}
	err |= dsaio_json_add(o, "optimal_engine",
			      json_object_new_string(c->engines[c->pick]));
	err |= dsaio_json_add(o, "optimal", dsaio_aio_config(&c->best[c->pick]->params,
			      legacy_keys));
	return err ? -1 : 0;
}
