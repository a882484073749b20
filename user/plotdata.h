/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * A sweep summary (dsaio_sweep.json, doc/schema/sweep.schema.json) read
 * back for `dsaio-user plot`: its grid points with each op's E2E speed and
 * latency percentiles, the grid's axes and the recommended point, and the
 * heatmap cells drawn from them. Pure logic (json-c only): the command
 * (cmd_plot.c) reads the file and runs gnuplot; plotscript.h writes the
 * script.
 */
#ifndef DSAIO_USER_PLOTDATA_H
#define DSAIO_USER_PLOTDATA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <json-c/json.h>
#include "model.h"

/* The most distinct values one axis of a chart takes (a grid is small). */
#define PLOT_AXIS_MAX 32
/* single_submit x overlap_events. */
#define PLOT_COMBO_MAX 4

/* The heatmaps' columns: each op the sweep measured, and their sum. */
enum plot_metric { PLOT_WRITE, PLOT_READ, PLOT_RW, PLOT_N_METRICS };

/* One grid point: both ops, as far as the sweep measured them. */
struct plot_point {
	struct dsaio_params params;
	bool have[2];			/* [OP_READ], [OP_WRITE]: in "points" */
	double gbs[2];			/* E2E GB/s (GB = 2^30) */
	struct dsaio_percentiles lat[2];/* ns */
	bool excluded;			/* in "excluded": never recommended */
};

struct plot_sweep {
	char engine[32];
	char target[512];		/* "dir /mnt/nvme" or "device /dev/nvme0n1" */
	uint64_t io_size;
	struct plot_point *pt;
	size_t n_pt;
	/* The axes, ascending; combos in the order block/overlap first. */
	uint64_t bs[PLOT_AXIS_MAX], qd[PLOT_AXIS_MAX], par[PLOT_AXIS_MAX];
	size_t n_bs, n_qd, n_par;
	unsigned int combo[PLOT_COMBO_MAX];	/* plot_combo_bits() */
	size_t n_combo;
	bool have_op[2];		/* [op]: some point measured it */
	bool have_best;			/* "optimal" is there */
	struct dsaio_params best;
};

/*
 * Reads a summary, one engine's or the combined one of --engines (then
 * ENGINE's, or with ENGINE NULL the engine whose block was recommended,
 * "optimal_engine"). 0, or -1 with a sentence in err: not a sweep
 * summary, no such engine, a grid too large to draw, out of memory.
 * A summary with no complete point (no "optimal") or no point at all is
 * read without error: the caller decides (plot_sweep_check()).
 */
int plot_sweep_read(json_object *root, const char *engine, struct plot_sweep *s,
		    char *err, size_t errlen);

/* Why this summary cannot be drawn, in a sentence; 0 when it can. */
int plot_sweep_check(const struct plot_sweep *s, char *err, size_t errlen);

void plot_sweep_free(struct plot_sweep *s);

/* single_submit and overlap_events as one small number (0..3). */
static inline unsigned int plot_combo_bits(const struct dsaio_params *p)
{
	return (p->single_submit ? 2u : 0u) | (p->overlap_events ? 0u : 1u);
}

/* "block, overlap" / "single, sequential": DeepSpeed's log-name words. */
const char *plot_combo_name(unsigned int combo);
/* "blk+ovl": a cell's second line in the best-of-combinations mode. */
const char *plot_combo_short(unsigned int combo);

/* "write", "read", "read + write". */
const char *plot_metric_name(enum plot_metric m);

/* The metric's value at a point, when it has one (read + write: only at
 * a complete point, every op the sweep measured). */
bool plot_point_value(const struct plot_sweep *s, const struct plot_point *p,
		      enum plot_metric m, double *v);

/*
 * One heatmap cell: block size bs[ibs], queue depth qd[iqd], io_parallel
 * par[ipar], and either one combination (combo >= 0, a plot_combo_bits()
 * value) or the best of them for this metric (combo < 0). Sets *v and
 * *which (the point drawn) and returns true, or false for an empty cell.
 */
bool plot_cell(const struct plot_sweep *s, enum plot_metric m, size_t ibs,
	       size_t iqd, size_t ipar, int combo, double *v,
	       const struct plot_point **which);

/* Is P the recommended point? */
bool plot_is_best(const struct plot_sweep *s, const struct dsaio_params *p);
#endif
