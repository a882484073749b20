/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Ranking grid points by DeepSpeed's rule (highest read + write E2E
 * speed), over complete points only: a point whose asked-for ops did not
 * all measure is listed with the reason and never recommended.
 */
#ifndef DSAIO_USER_OPTIMUM_H
#define DSAIO_USER_OPTIMUM_H

#include <stdbool.h>
#include <stddef.h>
#include "logfile.h"

/* Bit of an op in an ops mask. */
#define DSAIO_OP_BIT(op)	(1u << (op))
#define DSAIO_OPS_BOTH		(DSAIO_OP_BIT(OP_READ) | DSAIO_OP_BIT(OP_WRITE))

struct dsaio_ranked {
	struct dsaio_params params;
	bool have_read, have_write;	/* a usable measurement of the op */
	double read_gbs, write_gbs;	/* E2E speeds; 0 when absent */
	bool complete;			/* every op asked for measured */
	char reason[1024];		/* why not, when !complete */
};

/*
 * Combines the entries of the same parameters into points. ops is the
 * mask of the ops the sweep asked for; a point is complete when each of
 * them has a usable entry (not failed, E2E speed > 0) and none failed.
 * Complete points come first, best first (sum of the asked ops' speeds,
 * ties by parameter order), then the excluded ones in parameter order.
 * *out is malloc'd; returns the count of all points (0 when n is 0) or
 * -ENOMEM; *n_complete gets the count of complete ones.
 */
int dsaio_rank(const struct dsaio_log_entry *e, size_t n, unsigned int ops,
	       struct dsaio_ranked **out, size_t *n_complete);

/*
 * The ops for which the entries hold anything at all (measured or
 * failed): what a log directory's sweep asked for.
 */
unsigned int dsaio_ops_present(const struct dsaio_log_entry *e, size_t n);
#endif
