// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The recommendation `sweep` and `generate-param` share (tieset.h): the
 * tie set of ranked points, the least pinned memory among it, the
 * sentence, with one measurement a point and with repeats.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "tap.h"
#include "tieset.h"

static struct dsaio_ranked pt(unsigned int bs_m, unsigned int qd, unsigned int par,
			      double rd, double wr)
{
	struct dsaio_ranked r;

	memset(&r, 0, sizeof(r));
	r.params.block_size = (uint64_t)bs_m << 20;
	snprintf(r.params.block_size_str, sizeof(r.params.block_size_str), "%uM", bs_m);
	r.params.queue_depth = qd;
	r.params.io_parallel = par;
	r.params.processes = 1;
	r.params.overlap_events = true;
	r.have_read = rd > 0;
	r.have_write = wr > 0;
	r.read_gbs = rd;
	r.write_gbs = wr;
	r.complete = true;
	return r;
}

int main(void)
{
	/* ranked best first, as dsaio_rank leaves them */
	struct dsaio_ranked rk[4] = {
		pt(8, 128, 8, 2.00, 1.00),	/* 8G pinned, the best: 3.00 */
		pt(1, 32, 8, 1.99, 0.99),	/* 256M, 0.7 % below: tied */
		pt(1, 32, 1, 1.98, 0.985),	/* 32M, 1.2 % below: tied */
		pt(1, 8, 1, 1.50, 0.80),	/* 8M, far below */
	};
	struct dsaio_tieset t;
	json_object *j, *v;

	ok(dsaio_tieset_build(rk, 0, NULL, 0, -1, &t) == -EINVAL,
	   "no complete point: -EINVAL");

	ok(dsaio_tieset_build(rk, 4, NULL, 0, -1, &t) == 0, "repeat 1: built");
	ok(t.n_tied == 3 && t.tied[0] && t.tied[1] && t.tied[2] && !t.tied[3],
	   "repeat 1: the points within the 2 %% margin tie, not the slow one");
	ok(t.best == 0 && t.pick == 2, "repeat 1: recommended the least pinned memory of the ties (32M)");
	ok(t.repeats == 1 && strstr(t.sentence, "3 points are within 2 % of the best") &&
	   strstr(t.sentence, "= 32M") && strstr(t.sentence, "1.2 % below"),
	   "repeat 1: the sentence speaks of the margin, the memory and the gap");
	ok(!strstr(t.sentence, "confidence;"), "repeat 1: no confidence is claimed");
	j = dsaio_tieset_json(&t, rk);
	ok(j && json_object_object_get_ex(j, "count", &v) && json_object_get_int(v) == 3,
	   "json: count");
	ok(json_object_object_get_ex(j, "recommended", &v) &&
	   json_object_object_get_ex(v, "queue_depth", &v) && json_object_get_int(v) == 32,
	   "json: the recommended point");
	ok(json_object_object_get_ex(j, "points", &v) && json_object_array_length(v) == 3,
	   "json: the tied points listed");
	json_object_put(j);
	dsaio_tieset_free(&t);

	/* a tight margin: only the best */
	ok(dsaio_tieset_build(rk, 4, NULL, 0, 0.001, &t) == 0 && t.n_tied == 1 &&
	   t.pick == 0 && strstr(t.sentence, "No other point"),
	   "margin 0.1 %%: the best alone, said so");
	dsaio_tieset_free(&t);

	{
		/* repeats: point 1 noisy and near, point 2 tight and 8 % below */
		static const double r0[] = { 2.0, 2.02, 1.98 }, w0[] = { 1.0, 1.01, 0.99 };
		static const double r1[] = { 1.7, 2.3, 1.9 }, w1[] = { 0.8, 1.2, 0.95 };
		static const double r2[] = { 1.84, 1.85, 1.86 }, w2[] = { 0.92, 0.925, 0.93 };
		static const double r3[] = { 1.5, 1.51, 1.49 }, w3[] = { 0.8, 0.81, 0.79 };
		struct dsaio_tie_point s[4] = {
			{ r0, w0, 3, 3 }, { r1, w1, 3, 3 }, { r2, w2, 3, 3 }, { r3, w3, 3, 3 },
		};
		bool far;

		ok(dsaio_tieset_build(rk, 4, s, 0, -1, &t) == 0 && t.repeats == 3,
		   "repeat 3: built, 3 repeats");
		ok(t.best == 0 && !t.tied[3], "repeat 3: the best, the far point not tied");
		ok(t.tied[t.pick], "repeat 3: the pick is in the tie set");
		ok(strstr(t.sentence, "95 % confidence") != NULL,
		   "repeat 3: the sentence gives the confidence");
		far = !t.tied[3];
		dsaio_tieset_free(&t);
		ok(dsaio_tieset_build(rk, 4, s, 0.5, 0, &t) == 0 && far &&
		   t.n_tied >= 1 && t.tied[0], "confidence 0.5: still the best tied");
		dsaio_tieset_free(&t);
		{
			/* the same repeats read back from logs: the same ties */
			struct dsaio_log_entry e[8];
			struct dsaio_tieset t2;
			size_t i, k;

			memset(e, 0, sizeof(e));
			for (i = 0; i < 4; i++) {
				for (k = 0; k < 2; k++) {
					struct dsaio_log_entry *x = &e[2 * i + k];
					const double *v = k ? s[i].write : s[i].read;

					x->op = k ? OP_WRITE : OP_READ;
					x->params = rk[i].params;
					x->n_samples = 3;
					memcpy(x->samples, v, 3 * sizeof(*v));
				}
			}
			ok(dsaio_tieset_build(rk, 4, s, 0, -1, &t) == 0 &&
			   dsaio_tieset_from_logs(rk, 4, e, 8, 0, -1, &t2) == 0 &&
			   t.n_tied == t2.n_tied && t.pick == t2.pick &&
			   !memcmp(t.tied, t2.tied, 4 * sizeof(bool)) && t2.repeats == 3,
			   "from logs: the same tie set and pick as from the runs");
			dsaio_tieset_free(&t2);
			dsaio_tieset_free(&t);
			ok(dsaio_tieset_from_logs(rk, 4, e, 0, 0, -1, &t2) == 0 &&
			   t2.repeats == 1, "from logs without Repeats lines: one run a point");
			dsaio_tieset_free(&t2);
		}
		s[2].n_read = 1;
		ok(dsaio_tieset_build(rk, 4, s, 0, -1, &t) == 0 && t.repeats == 1,
		   "repeats: the fewest of any point");
		dsaio_tieset_free(&t);
	}
	return done();
}
