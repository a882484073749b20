/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * `sweep --engines`: the same grid measured by several engines, side by
 * side. Each engine's points are ranked on their own (dsaio_rank(), the
 * rule of a one-engine sweep); this puts the rankings next to each other
 * per grid point, relates each engine to a reference, and picks whose
 * best point becomes the "aio" block. Pure, but for the printing.
 */
#ifndef DSAIO_USER_SWEEP_COMPARE_H
#define DSAIO_USER_SWEEP_COMPARE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <json-c/json.h>
#include "model.h"
#include "optimum.h"

/*
 * The reference of the ratios when it is in the list: the module's
 * path, with no system call per request, is the drive's ceiling here.
 */
#define SWEEP_COMPARE_REFERENCE	"kernel"
/* DeepSpeed's runtime submits its I/O through libaio: its best is the
 * "aio" block for DeepSpeed, whatever another engine gets out of the
 * drive. */
#define SWEEP_COMPARE_DEEPSPEED	"libaio"

/* One engine's ranking, as dsaio_rank() gave it (NULL/0: nothing ran). */
struct sweep_compare_in {
	const char *engine;
	const struct dsaio_ranked *rk;
	size_t n, n_complete;
	/* Its recommendation's index in rk, the rule of a one-engine
	 * sweep (tieset.h: of the points tied with its best, the least
	 * pinned memory); 0 is its best. */
	size_t pick;
};

/* One engine's figures at one grid point. */
struct sweep_cell {
	bool have_read, have_write;	/* a usable E2E figure of the op */
	double read_gbs, write_gbs;	/* E2E, GB = 2^30 */
	bool complete;			/* every op asked for measured */
	/* Both this engine's and the reference's point complete. */
	bool have_ratio;
	double ratio;			/* read + write E2E over the reference's */
};

/* Why the recommended engine is the one it is. */
enum sweep_pick {
	PICK_NONE,		/* no engine has a complete point */
	PICK_DEEPSPEED,		/* libaio's best, DeepSpeed's own path */
	PICK_REFERENCE,		/* libaio not in the list: the reference's */
	/* libaio (or the reference) has no complete point: the first
	 * engine in the list that has one */
	PICK_FALLBACK,
};

struct sweep_compare {
	unsigned int ops;		/* DSAIO_OP_BIT mask the sweep measured */
	size_t n_engines;
	const char **engines;		/* names, in --engines order */
	size_t ref;			/* index of the reference engine */
	size_t n_rows;
	struct dsaio_params *rows;	/* grid points, in grid order */
	struct sweep_cell *cells;	/* row r, engine e: [r * n_engines + e] */
	/* Each engine's recommended complete point (its rk[pick]);
	 * NULL: none. */
	const struct dsaio_ranked **best;
	size_t pick;			/* whose best is recommended; valid unless PICK_NONE */
	enum sweep_pick why;
	/* Every engine with a complete point recommends the same one. */
	bool agree;
};

/*
 * Builds the comparison of n engines (n >= 1) over the grid's points
 * (duplicates once; a ranked point outside the grid is added after it).
 * Returns 0 or -ENOMEM; free with sweep_compare_free().
 */
int sweep_compare_build(struct sweep_compare *c,
			const struct sweep_compare_in *in, size_t n,
			const struct dsaio_params *grid, size_t n_grid,
			unsigned int ops);
void sweep_compare_free(struct sweep_compare *c);

/* The cell of row r and engine e. */
const struct sweep_cell *sweep_compare_cell(const struct sweep_compare *c,
					    size_t r, size_t e);

/*
 * The side-by-side table: one row per grid point, per engine its E2E
 * speed of each op measured (write, read) and, but for the reference,
 * the ratio of read + write to the reference's; "-" for a figure that
 * is missing or failed.
 */
void sweep_compare_print_table(FILE *f, const struct sweep_compare *c);

/*
 * "Recommended per engine:" each engine's best point, whether they
 * agree, and whose best is recommended and why, in sentences; then that
 * "aio" block. 0, or -1 when out of memory.
 */
int sweep_compare_print_pick(FILE *f, const struct sweep_compare *c,
			     bool legacy_keys);

/*
 * {"reference": NAME, "comparison": [{params..., "engines": {NAME:
 * {"write_gbs", "read_gbs", "complete"}}, "ratio": {NAME: r}}],
 * "recommended": {NAME: {"aio": ...} or null}, "agree": bool,
 * "optimal_engine": NAME, "optimal": {"aio": ...}} added to o; a figure
 * that is missing is null, and without a complete point anywhere
 * "optimal_engine" is null and "optimal" absent. 0, or -1 when out of
 * memory.
 */
int sweep_compare_json_add(json_object *o, const struct sweep_compare *c,
			   bool legacy_keys);
#endif
