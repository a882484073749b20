/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The adaptive search (--search adaptive): finds a point of the grid's tie
 * set for a fraction of the grid's bytes. Pure logic: it never does I/O,
 * it asks a callback for one measurement at a time (point, io_size) and
 * gets the figures back, so any engine, or the simulator, drives it.
 *
 * Method: successive halving with growing io_size, every point at least
 * at its full queue. A run smaller than block_size x queue_depth x
 * io_parallel (the point's pinned memory) gives a worker fewer blocks
 * than its queue depth, so the depth cannot show and the point reads too
 * slow (the first version ran every point at the 8M floor and missed in
 * the VM at 256M). So a round has a base io_size and each point runs at
 * the larger of it and its full queue (the grid's io_size at most, and
 * when the budget cannot afford every full queue once, a half, a
 * quarter... of each, never below one block per worker). Runs of
 * different sizes do not compare (the open and close in the timed loop
 * weigh more in a small one), so the cut after a round ranks each group
 * of candidates that ran at one io_size on its own, by the median read
 * plus the median write speed of its runs (of two runs the faster: a
 * burst only slows a run), and keeps its best 1 / eta (rounded up) by
 * standing, the median over its last 3 rounds of its score over its
 * group's median (of two rounds the better), so one slowed run does not
 * cut a top point; as the base grows the groups merge. A point whose runs
 * were below its full queue is unmeasured, not slow: those points form
 * one group across sizes, ranked on their score scaled by full queue /
 * run size (Little's law: what the queue may reach). The last round, at
 * final_keep (2) candidates, runs them all at one io_size, the largest
 * that affords one pass (as many passes as fit, up to final_repeats),
 * with fresh runs, so they compare on as many runs each, taken in the
 * same passes. Each round before the last takes 1 / (rounds left + 4)
 * of what is left of the budget, at most `repeats` passes; a round
 * whose share affords not one pass (the first: every full queue once)
 * takes exactly one pass, not more, from what the last round's reserve
 * leaves. Within a round every candidate is measured once per pass,
 * passes alternating in direction, so a drift falls on all alike; runs
 * of a point at an unchanged io_size add up across rounds before the
 * last. The recommendation is the last round's tie set's point needing
 * the least pinned host memory (stats.h). README, "The adaptive search".
 */
#ifndef DSAIO_USER_SEARCH_H
#define DSAIO_USER_SEARCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "model.h"

struct dsaio_search_config {
	const struct dsaio_params *points;	/* the grid (sweepcfg.h) */
	size_t n;
	uint64_t io_size;	/* the grid sweep's bytes per run */
	/* Smallest base io_size; 0: io_size / 64. A point's runs are never
	 * below its full queue, block_size x queue_depth x io_parallel (or a
	 * power-of-two fraction of it when the budget is short), nor below
	 * block_size x io_parallel (one block per worker). */
	uint64_t min_io_size;
	/* Every io_size asked for is a multiple of this (a target's logical
	 * block or direct-I/O alignment); 0: 4096. */
	uint32_t align;
	unsigned int n_ops;	/* ops per measurement: 1 or 2 (read, write) */
	/* Loops a run does, warm-up loops included: the bytes one
	 * measurement moves are io_size x n_ops x loops. 0: 2. */
	unsigned int loops;
	uint64_t budget_bytes;	/* 0: a quarter of the grid's bytes */
	double budget_seconds;	/* 0: none; else measurements stop before it */
	double confidence;	/* of the tie test; 0: DSAIO_CONFIDENCE */
	double margin;		/* tie margin; < 0: DSAIO_TIE_MARGIN */
	unsigned int eta;	/* 1 / share kept per round; 0: 2 */
	unsigned int final_keep;	/* points in the last round; 0: 2 */
	/* Their passes at most (as many as fit); 0: 16. */
	unsigned int final_repeats;
	/* at most, in the other rounds, when their share affords; 0: 7 */
	unsigned int repeats;
};

/* What the search asks for: one run of one point. */
struct dsaio_search_request {
	size_t point;			/* index in the grid */
	const struct dsaio_params *params;
	uint64_t io_size;
	unsigned int round, pass;	/* for progress lines */
};

/* What the engine gives back. */
struct dsaio_search_sample {
	double read_gbs, write_gbs;	/* E2E speeds; 0 for an op not asked */
	double seconds;			/* wall time the run took */
};

/*
 * One measurement. Returns 0, or a negative errno: the point failed (it
 * is dropped from the search, as a sweep excludes it) and the search goes
 * on; -ECANCELED stops the search (Ctrl-C) with what it has.
 */
typedef int (*dsaio_search_measure_fn)(void *ctx,
				       const struct dsaio_search_request *rq,
				       struct dsaio_search_sample *out);

struct dsaio_search_result {
	size_t chosen;		/* recommended: least memory of the ties */
	size_t best;		/* highest median score of the last round */
	size_t n_tied;
	bool *tied;		/* [n]: the last round's tie set */
	double *median;		/* [n]: last round's median read + median write, or 0 */
	size_t *repeats;	/* [n]: runs of it in the last round */
	uint64_t final_io_size;	/* io_size of the last round */
	unsigned int rounds;	/* rounds run (a cut one counts) */
	size_t measurements, failed;
	uint64_t bytes;		/* moved by the measurements asked for */
	uint64_t budget_bytes, grid_bytes;
	double seconds;		/* sum of the samples' seconds */
	bool cut;		/* the budget or a cancel ended it early */
	bool cancelled;
};

/* Bytes of the whole grid measured once: n x io_size x n_ops x loops. */
uint64_t dsaio_search_grid_bytes(const struct dsaio_search_config *cfg);

/*
 * Runs the search. Returns 0 with *res filled (free it with
 * dsaio_search_result_free), -EINVAL for a bad config (no points,
 * n_ops not 1 or 2, a budget too small for one run of every point at the
 * smallest io_size), -ENOMEM, or -ENODATA when every point failed.
 */
int dsaio_search_run(const struct dsaio_search_config *cfg,
		     dsaio_search_measure_fn measure, void *ctx,
		     struct dsaio_search_result *res);
void dsaio_search_result_free(struct dsaio_search_result *res);
#endif
