/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* Ranking grid points by DeepSpeed's rule: highest read + write E2E speed. */
#ifndef DSAIO_USER_OPTIMUM_H
#define DSAIO_USER_OPTIMUM_H

#include <stdbool.h>
#include <stddef.h>
#include "logfile.h"

struct dsaio_ranked {
	struct dsaio_params params;
	bool have_read, have_write;
	double read_gbs, write_gbs;	/* E2E speeds; 0 when absent */
};

/*
 * Combines read and write entries with the same parameters, sorted best
 * first (read + write, a missing op counting 0; ties in a stable order).
 * *out is malloc'd; returns the count (0 when n is 0) or -ENOMEM.
 */
int dsaio_rank(const struct dsaio_log_entry *e, size_t n,
	       struct dsaio_ranked **out);
#endif
