/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The plain data model of dsaio-user: one grid point's parameters and one
 * measurement's results. Everything that is not netlink (log names, log
 * text, parsing, ranking, config output) works on these structs only, so it
 * can be unit-tested on the host without the module.
 */
#ifndef DSAIO_USER_MODEL_H
#define DSAIO_USER_MODEL_H

#include <stdbool.h>
#include <stdint.h>

/* Longest size string kept as written in a sweep config ("128K", "8M"). */
#define DSAIO_SIZE_STR_MAX 24

enum dsaio_user_op { OP_READ, OP_WRITE };

/* One point of a DeepSpeed sweep grid. */
struct dsaio_params {
	uint64_t block_size;			/* bytes */
	char block_size_str[DSAIO_SIZE_STR_MAX];/* as given: "1M"; for log names */
	unsigned int queue_depth;
	unsigned int io_parallel;		/* workers = intra_op_parallelism */
	unsigned int threads;			/* DeepSpeed's process count ("t"); 1 */
	bool single_submit;
	bool overlap_events;			/* !sequential_requests */
};

/* Latency percentiles reported for every measurement, in nanoseconds. */
struct dsaio_percentiles {
	uint64_t p50, p90, p99, p999, max;
};

/* One measurement (a run, or one op of a sweep point). */
struct dsaio_result {
	enum dsaio_user_op op;
	struct dsaio_params params;
	uint64_t io_size;			/* bytes per loop */
	unsigned int loops;
	/*
	 * DeepSpeed's figures (see dsaio.h, "Timing"): task_ns is the longest
	 * worker's own I/O time summed over loops; e2e_ns the sum over loops
	 * of each loop's wall time, first submission of any worker to last
	 * completion of all. setup_ns (device open, buffers, worker threads)
	 * is in neither; 0 from a module without DSAIO_F_LOCKSTEP.
	 */
	uint64_t task_ns;
	uint64_t e2e_ns;
	uint64_t setup_ns;
	uint64_t bytes;				/* transferred without error */
	uint64_t requests;
	uint64_t errors;
	uint64_t lat_min_ns, lat_max_ns, lat_mean_ns;
	struct dsaio_percentiles pct;		/* zero when no histogram */
	bool have_pct;
	uint64_t mismatches;			/* validation, reads */
	uint64_t first_mismatch;		/* byte offset; valid if mismatches */
};

#endif /* DSAIO_USER_MODEL_H */
