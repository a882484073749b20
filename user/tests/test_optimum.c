// SPDX-License-Identifier: GPL-2.0 OR MIT
/* Ranking by DeepSpeed's rule: read + write of the same key, best first. */
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
	e.params.threads = 1;
	e.params.overlap_events = true;
	e.e2e_speed_gbs = gbs;
	return e;
}

int main(void)
{
	struct dsaio_log_entry e[8] = { 0 };
	struct dsaio_ranked *r = NULL;
	int n;

	is_int(dsaio_rank(e, 0, &r), 0, "no entries rank to 0 points");

	/* qd32/p1: 3+1 = 4; qd128/p1: 2+2.5 = 4.5; qd32/p8: reads only 4.2 */
	e[0] = ent(OP_READ, 32, 1, 3.0);
	e[1] = ent(OP_WRITE, 32, 1, 1.0);
	e[2] = ent(OP_WRITE, 128, 1, 2.5);
	e[3] = ent(OP_READ, 128, 1, 2.0);
	e[4] = ent(OP_READ, 32, 8, 4.2);
	n = dsaio_rank(e, 5, &r);
	is_int(n, 3, "five logs are three points");
	ok(n == 3 && r[0].params.queue_depth == 128 && r[0].read_gbs == 2.0 &&
	   r[0].write_gbs == 2.5 && r[0].have_read && r[0].have_write,
	   "best is the highest read + write sum");
	ok(n == 3 && r[1].params.io_parallel == 8 && r[1].have_read &&
	   !r[1].have_write && r[1].write_gbs == 0.0,
	   "a point with reads but no writes is ranked, write counting 0");
	ok(n == 3 && r[2].params.queue_depth == 32 && r[2].params.io_parallel == 1,
	   "lowest sum last");
	free(r);

	/* Write-only point beats: DeepSpeed would have scored it 0. */
	e[0] = ent(OP_WRITE, 16, 2, 5.0);
	e[1] = ent(OP_READ, 32, 1, 1.0);
	n = dsaio_rank(e, 2, &r);
	ok(n == 2 && r[0].params.queue_depth == 16 && !r[0].have_read &&
	   r[0].have_write, "a write-only point is ranked by its write speed");
	free(r);

	/* Ties: the same order whatever the input order. */
	e[0] = ent(OP_READ, 128, 8, 2.0);
	e[1] = ent(OP_READ, 32, 8, 2.0);
	e[2] = ent(OP_READ, 32, 1, 2.0);
	n = dsaio_rank(e, 3, &r);
	ok(n == 3 && r[0].params.io_parallel == 1 &&
	   r[1].params.queue_depth == 32 && r[2].params.queue_depth == 128,
	   "ties broken by parameter order (p, then d)");
	free(r);
	e[0] = ent(OP_READ, 32, 1, 2.0);
	e[2] = ent(OP_READ, 128, 8, 2.0);
	n = dsaio_rank(e, 3, &r);
	ok(n == 3 && r[0].params.io_parallel == 1 &&
	   r[2].params.queue_depth == 128, "tie order independent of input");
	free(r);

	/* Different single_submit / overlap are different points. */
	e[0] = ent(OP_READ, 32, 1, 1.0);
	e[1] = ent(OP_READ, 32, 1, 1.5);
	e[1].params.single_submit = true;
	e[2] = ent(OP_WRITE, 32, 1, 1.0);
	e[2].params.overlap_events = false;
	n = dsaio_rank(e, 3, &r);
	is_int(n, 3, "single_submit and overlap_events are part of the key");
	ok(n == 3 && r[0].params.single_submit, "single-submit point best");
	free(r);

	/* A repeated log replaces the earlier one. */
	e[0] = ent(OP_READ, 32, 1, 1.0);
	e[1] = ent(OP_READ, 32, 1, 3.0);
	n = dsaio_rank(e, 2, &r);
	ok(n == 1 && r[0].read_gbs == 3.0, "repeated log: the later counts");
	free(r);
	return done();
}
