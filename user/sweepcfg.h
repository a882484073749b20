/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* The sweep grid: DeepSpeed's sweep JSON, or dsaio's default grid. */
#ifndef DSAIO_USER_SWEEPCFG_H
#define DSAIO_USER_SWEEPCFG_H

#include <stddef.h>
#include "model.h"

struct dsaio_grid {
	struct dsaio_params *points;
	size_t n;
};

/* DeepSpeed's current default grid, scaled for a small device. */
int dsaio_grid_default(struct dsaio_grid *g);

/*
 * Loads a sweep JSON file (keys block_size, queue_depth, io_parallel,
 * single_submit, overlap_events or sequential_requests, threads), taking
 * the cross product. Returns 0, or a negative errno with a sentence in err
 * (unreadable, malformed JSON, unknown key, wrong type, bad size).
 */
int dsaio_grid_load(const char *path, struct dsaio_grid *g,
		    char *err, size_t errlen);
/* Same, from a JSON string (for tests and --config -). */
int dsaio_grid_parse(const char *json, struct dsaio_grid *g,
		     char *err, size_t errlen);
void dsaio_grid_free(struct dsaio_grid *g);
#endif
