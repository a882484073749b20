/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The drawing behind `dsaio-user plot`, for the command and for `sweep
 * --plot`, which draws its summary when the sweep is done: one code path,
 * so the charts of both are the same.
 */
#ifndef DSAIO_USER_CMD_PLOT_H
#define DSAIO_USER_CMD_PLOT_H

#include <stdbool.h>
#include <stdio.h>

struct plot_request {
	const char *in;			/* the sweep's JSON summary */
	const char *output, *latency_output, *table;	/* NULL: the defaults */
	const char *engine;		/* of a sweep --engines summary; NULL: recommended */
	bool each_combination, json;
	FILE *report;			/* where "heatmaps: FILE (WxH)" goes */
};

/*
 * The outputs of RQ are usable names (not empty, not each other, not the
 * summary): 0, or EXIT_USAGE after saying why as CMD's usage error. A
 * sweep asks before it measures, so that no name refuses its charts late.
 */
int plot_check_names(const struct plot_request *rq, const char *cmd);

/* gnuplot is in PATH: 0, or -1 after saying how to install it. */
int plot_gnuplot_found(const char *cmd);

/*
 * Reads RQ->in and draws it: both images (and the table) in place, or
 * nothing changed. The exit status: EXIT_OK, EXIT_FAIL (said on stderr),
 * EXIT_USAGE (plot_check_names).
 */
int plot_draw(const struct plot_request *rq);
#endif
