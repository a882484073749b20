/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The gnuplot script of `dsaio-user plot` (plotdata.h's sweep in, a
 * script with its data inline out): the heatmaps of E2E GB/s over
 * block_size x queue_depth, one row of panels per io_parallel (and per
 * single_submit/overlap_events combination, or the best of them in each
 * cell), one column per metric; and the latency percentiles of every
 * point. Pure logic: it writes to a FILE (a pipe to gnuplot, a memory
 * stream in the unit tests) and runs nothing.
 */
#ifndef DSAIO_USER_PLOTSCRIPT_H
#define DSAIO_USER_PLOTSCRIPT_H

#include <stdbool.h>
#include <stdio.h>
#include "plotdata.h"

/* One row of heatmap panels: an io_parallel and a combination (or -1:
 * each cell the best of the combinations for its metric). */
struct plot_row {
	size_t ipar;
	int combo;
};

#define PLOT_ROWS_MAX (PLOT_AXIS_MAX * PLOT_COMBO_MAX)

struct plot_layout {
	struct plot_row rows[PLOT_ROWS_MAX];
	size_t n_rows;
	enum plot_metric cols[PLOT_N_METRICS];	/* write, read, read + write */
	size_t n_cols;
	double cbmax[PLOT_N_METRICS];	/* one colour scale per metric */
	unsigned int width, height;	/* the heatmap image, pixels */
	unsigned int lat_width, lat_height;	/* the latency image */
	int lat_ops[2];			/* OP_WRITE, OP_READ as measured */
	size_t n_lat_ops;
};

/*
 * The panels for S: each_combo gives each combination of the grid its own
 * row (one row per io_parallel when there is only one); otherwise every
 * cell shows the best combination for its metric, named under the value.
 */
void plot_layout(const struct plot_sweep *s, bool each_combo, struct plot_layout *l);

/* Where the script makes gnuplot write: both images, and (when not NULL)
 * the values it plotted as text (`set table`), to check a chart by. */
struct plot_files {
	const char *heatmap, *latency, *table;
};

/* Writes the whole script to F. 0, or -1 when F failed. */
int plot_script(FILE *f, const struct plot_sweep *s, const struct plot_layout *l,
		const struct plot_files *out);

/* S as a gnuplot single-quoted string: 'it''s'. */
void plot_quote(FILE *f, const char *s);
#endif
