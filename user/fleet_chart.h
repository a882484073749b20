/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The fleet chart of `dsaio-user merge --chart` (fleet.h): the gnuplot
 * script, data inline, that draws per node its own best and its speed at
 * the fleet's point as bars, the median of the bests and the outlier
 * threshold as lines, and each outlier, partial, failed or missing node
 * named over its bars. The command pipes it into gnuplot.
 */
#ifndef DSAIO_USER_FLEET_CHART_H
#define DSAIO_USER_FLEET_CHART_H

#include <stdio.h>
#include "fleet.h"

/*
 * Writes the script that makes the PNG png (pngcairo, width x height
 * pixels). png must not hold a quote, a backslash, a backquote or a
 * newline (fleet_chart_path_ok(); the command refuses such a name). Returns 0, or -1 when out fails.
 */
int fleet_chart_script(FILE *out, const struct fleet *f, const char *png,
		       unsigned int width, unsigned int height);

/* True when path can be written into the script as it is. */
bool fleet_chart_path_ok(const char *path);
#endif
