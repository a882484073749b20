// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Ranking by DeepSpeed's rule (read + write of the same key, best first)
 * over complete points only: a failed or missing op excludes a point,
 * with its reason, and it is never recommended.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "optimum.h"

static struct dsaio_log_entry ent(enum dsaio_user_op op, unsigned int qd,
				  unsigned int par, double gbs)
{
	struct dsaio_log_entry e;

	memset(&e, 0, sizeof(e));
	e.op = op;
	e.params.block_size = 1 << 20;
	e.params.queue_depth = qd;
	e.params.io_parallel = par;
	e.params.processes = 1;
	e.params.overlap_events = true;
	e.e2e_speed_gbs = gbs;
	return e;
}

static struct dsaio_log_entry failed(enum dsaio_user_op op, unsigned int qd,
				     unsigned int par, const char *why)
{
	struct dsaio_log_entry e = ent(op, qd, par, 0);

	e.failed = true;
	snprintf(e.failure, sizeof(e.failure), "%s", why);
	return e;
}

int main(void)
{
	struct dsaio_log_entry e[8] = { 0 };
	struct dsaio_ranked *r = NULL;
	size_t nc;
	int n;

	is_int(dsaio_rank(e, 0, DSAIO_OPS_BOTH, &r, &nc), 0,
	       "no entries rank to 0 points");

	/* qd32/p1: 3+1 = 4; qd128/p1: 2+2.5 = 4.5; qd32/p8: reads only 4.2 */
	e[0] = ent(OP_READ, 32, 1, 3.0);
	e[1] = ent(OP_WRITE, 32, 1, 1.0);
	e[2] = ent(OP_WRITE, 128, 1, 2.5);
	e[3] = ent(OP_READ, 128, 1, 2.0);
	e[4] = ent(OP_READ, 32, 8, 4.2);
	n = dsaio_rank(e, 5, DSAIO_OPS_BOTH, &r, &nc);
	is_int(n, 3, "five logs are three points");
	is_int(nc, 2, "two of them complete");
	ok(n == 3 && r[0].complete && r[0].params.queue_depth == 128 &&
	   r[0].read_gbs == 2.0 && r[0].write_gbs == 2.5 && r[0].have_read &&
	   r[0].have_write, "best is the highest read + write sum");
	ok(n == 3 && r[1].complete && r[1].params.queue_depth == 32 &&
	   r[1].params.io_parallel == 1, "second best next");
	ok(n == 3 && !r[2].complete && r[2].params.io_parallel == 8 &&
	   !strcmp(r[2].reason, "write: no log"),
	   "a point with reads but no writes is excluded: %s",
	   n == 3 ? r[2].reason : "");
	free(r);

	/* A write-only point with a failed read never wins (the old bug). */
	e[0] = ent(OP_WRITE, 16, 2, 5.0);
	e[1] = failed(OP_READ, 16, 2, "job 12 FAILED: Input/output error");
	e[2] = ent(OP_READ, 32, 1, 1.0);
	e[3] = ent(OP_WRITE, 32, 1, 1.0);
	n = dsaio_rank(e, 4, DSAIO_OPS_BOTH, &r, &nc);
	ok(n == 2 && nc == 1 && r[0].params.queue_depth == 32 && r[0].complete,
	   "a point whose read failed is never recommended, however fast its writes");
	ok(n == 2 && !r[1].complete && r[1].params.queue_depth == 16 &&
	   !strcmp(r[1].reason, "read: job 12 FAILED: Input/output error"),
	   "its reason names the op and the failure: %s", n == 2 ? r[1].reason : "");
	free(r);

	/* A failure is not undone by a later good log of the same op. */
	e[0] = failed(OP_READ, 32, 1, "log has no E2E line");
	e[1] = ent(OP_READ, 32, 1, 3.0);
	e[2] = ent(OP_WRITE, 32, 1, 3.0);
	n = dsaio_rank(e, 3, DSAIO_OPS_BOTH, &r, &nc);
	ok(n == 1 && nc == 0 && !r[0].complete &&
	   strstr(r[0].reason, "read: log has no E2E line"),
	   "a failed log keeps its point excluded");
	free(r);

	/* Both ops failed or missing: both reasons. */
	e[0] = failed(OP_WRITE, 64, 1, "refused by the module: block size");
	n = dsaio_rank(e, 1, DSAIO_OPS_BOTH, &r, &nc);
	ok(n == 1 && nc == 0 &&
	   !strcmp(r[0].reason, "write: refused by the module: block size; read: no log"),
	   "every reason listed: %s", n == 1 ? r[0].reason : "");
	free(r);

	/* Single-op rule: with reads only asked for, reads decide. */
	e[0] = ent(OP_READ, 32, 1, 1.0);
	e[1] = ent(OP_READ, 32, 8, 2.0);
	e[2] = failed(OP_READ, 128, 8, "job 3 FAILED: Input/output error");
	n = dsaio_rank(e, 3, DSAIO_OP_BIT(OP_READ), &r, &nc);
	ok(n == 3 && nc == 2 && r[0].params.io_parallel == 8 && r[0].complete &&
	   r[1].complete && !r[2].complete,
	   "reads only: complete without writes, failed read excluded");
	free(r);
	e[0] = ent(OP_WRITE, 32, 1, 1.0);
	e[1] = ent(OP_READ, 32, 8, 9.0);
	n = dsaio_rank(e, 2, DSAIO_OP_BIT(OP_WRITE), &r, &nc);
	ok(n == 2 && nc == 1 && r[0].params.io_parallel == 1 &&
	   !strcmp(r[1].reason, "write: no log"),
	   "writes only: a read-only point is not complete");
	free(r);
	is_int(dsaio_ops_present(e, 2), DSAIO_OPS_BOTH, "ops present: both");
	e[0] = failed(OP_WRITE, 32, 1, "x");
	is_int(dsaio_ops_present(e, 1), DSAIO_OP_BIT(OP_WRITE),
	       "a failed log counts as asked for");

	/* A zero speed is not a measurement. */
	e[0] = ent(OP_READ, 32, 1, 0.0);
	n = dsaio_rank(e, 1, DSAIO_OP_BIT(OP_READ), &r, &nc);
	ok(n == 1 && nc == 0 && !strcmp(r[0].reason, "read: E2E speed is 0"),
	   "zero E2E speed excluded");
	free(r);

	/* Ties: the same order whatever the input order. */
	e[0] = ent(OP_READ, 128, 8, 2.0);
	e[1] = ent(OP_READ, 32, 8, 2.0);
	e[2] = ent(OP_READ, 32, 1, 2.0);
	n = dsaio_rank(e, 3, DSAIO_OP_BIT(OP_READ), &r, &nc);
	ok(n == 3 && r[0].params.io_parallel == 1 &&
	   r[1].params.queue_depth == 32 && r[2].params.queue_depth == 128,
	   "ties broken by parameter order (p, then d)");
	free(r);
	e[0] = ent(OP_READ, 32, 1, 2.0);
	e[2] = ent(OP_READ, 128, 8, 2.0);
	n = dsaio_rank(e, 3, DSAIO_OP_BIT(OP_READ), &r, &nc);
	ok(n == 3 && r[0].params.io_parallel == 1 &&
	   r[2].params.queue_depth == 128, "tie order independent of input");
	free(r);

	/* Different single_submit / overlap are different points. */
	e[0] = ent(OP_READ, 32, 1, 1.0);
	e[1] = ent(OP_READ, 32, 1, 1.5);
	e[1].params.single_submit = true;
	e[2] = ent(OP_READ, 32, 1, 1.0);
	e[2].params.overlap_events = false;
	n = dsaio_rank(e, 3, DSAIO_OP_BIT(OP_READ), &r, &nc);
	is_int(n, 3, "single_submit and overlap_events are part of the key");
	ok(n == 3 && r[0].params.single_submit, "single-submit point best");
	free(r);

	/* A repeated log replaces the earlier one. */
	e[0] = ent(OP_READ, 32, 1, 1.0);
	e[1] = ent(OP_READ, 32, 1, 3.0);
	n = dsaio_rank(e, 2, DSAIO_OP_BIT(OP_READ), &r, &nc);
	ok(n == 1 && r[0].read_gbs == 3.0, "repeated log: the later counts");
	free(r);
	return done();
}
