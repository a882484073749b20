/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The plain data model of dsaio-user: one grid point's parameters and one
 * measurement's results. Everything that is not netlink (log names, log
 * text, parsing, ranking, config output) works on these structs only, so it
 * can be unit-tested on the host without the module. The netlink mirror of
 * the module's objects (struct nl_job and friends, nl_client.h) is another
 * thing: only the netlink engine turns one into the other.
 */
#ifndef DSAIO_USER_MODEL_H
#define DSAIO_USER_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Longest size string kept as written in a sweep config ("128K", "8M"). */
#define DSAIO_SIZE_STR_MAX 24

enum dsaio_user_op { OP_READ, OP_WRITE };

/*
 * What a measurement reads and writes: a block device (--dev), or a file
 * the engine creates in a directory (--dir), as DeepSpeed swaps to files
 * in its nvme_path. TARGET_BDEV is 0, so a zeroed struct is a device, as
 * every measurement was before files.
 */
enum dsaio_user_target { TARGET_BDEV, TARGET_FILE };

/* Longest target path (device node or directory): the module's limit. */
#define DSAIO_TARGET_PATH_MAX 256
/* Longest kernel name of a target ("nvme0n1", "xfs", "dsaio-7.dat"). */
#define DSAIO_TARGET_NAME_MAX 32
/*
 * Most targets of one measurement: the drives of a large training node
 * (DGX-class nodes carry 8 NVMe drives), each with its own workers.
 */
#define DSAIO_MAX_TARGETS 8
/* Most of DeepSpeed's threads (params.processes) the tool takes. */
#define DSAIO_MAX_PROCESSES 32

/* One point of a DeepSpeed sweep grid. */
struct dsaio_params {
	uint64_t block_size;			/* bytes */
	char block_size_str[DSAIO_SIZE_STR_MAX];/* as given: "1M"; for log names */
	unsigned int queue_depth;
	unsigned int io_parallel;		/* workers = intra_op_parallelism */
	/* DeepSpeed's process count: "threads" in its sweep JSON and 2021
	 * test_ds_aio.py, "t"/"ftd" in log names: independent handles per
	 * target, each with its own file or slice and io_parallel workers. */
	unsigned int processes;
	bool single_submit;
	bool overlap_events;			/* !sequential_requests */
};

/* Latency percentiles reported for every measurement, in nanoseconds. */
struct dsaio_percentiles {
	uint64_t p50, p90, p99, p999, max;
};

/* How a measurement ended. */
enum measurement_state { MEAS_DONE, MEAS_FAILED, MEAS_CANCELLED };

/* One worker's (its slice of the region) or one loop's figures. */
struct measurement_stat {
	uint32_t index;
	uint64_t offset, length;	/* worker only: its slice */
	uint64_t start_ns;		/* loop only: its release */
	uint64_t time_ns, bytes, requests, errors;
};

/* How many requests failed with one errno. */
struct measurement_errno {
	uint32_t code;
	uint64_t count;
};

/* What a measurement measured, as the engine opened it. */
struct measurement_target {
	enum dsaio_user_target kind;
	char path[DSAIO_TARGET_PATH_MAX];	/* device node or directory; "" unknown */
	/* false: the engine did not say (a module older than files) */
	bool have_details;
	char device[DSAIO_TARGET_NAME_MAX];	/* the block device the I/O reaches */
	uint32_t align;				/* bytes: logical block or direct-I/O alignment */
	char fstype[DSAIO_TARGET_NAME_MAX];	/* files: "xfs" */
	char file[DSAIO_TARGET_NAME_MAX];	/* files: its name in path */
};

/*
 * One target's share of a measurement of several: its full figure set,
 * as struct measurement has them for all (same meaning, same units).
 * task_ns and e2e_ns are this target's alone: the longest of its workers
 * (of all its handles) and, per loop, the release to its last completion.
 */
struct measurement_part {
	struct measurement_target target;
	enum measurement_state state;
	int error;				/* 0 or the negative errno that ended it */
	bool have_figures;
	uint64_t task_ns, e2e_ns;
	uint64_t bytes, requests, errors;
	uint64_t lat_min_ns, lat_max_ns, lat_mean_ns;
	struct dsaio_percentiles pct;
	bool have_pct;
	uint64_t mismatches, first_mismatch;
};

/*
 * One measurement (a run, or one op of a sweep point), as an engine
 * returns it. The arrays are malloc'd (measurement_free_details()); a
 * copy kept after that has the figures only.
 *
 * With several targets the figures are the aggregate: bytes, requests,
 * errors and mismatches summed, task_ns and e2e_ns the slowest target's
 * (Task: the longest worker of all; E2E: per loop, the release to the
 * last completion of all targets), latencies over every request; target
 * is the first target's; parts has one entry per target, in request
 * order. parts is NULL/0 for a measurement of one target (an engine may
 * also fill one part then), whose figures are then its only part's.
 */
struct measurement {
	uint32_t job_id;			/* the engine's id; 0: none */
	enum measurement_state state;
	int error;				/* 0 or the negative errno that ended it */
	/* Requests the device still held when the job ended (DSAIO_A_JOB_HELD) */
	uint32_t held;
	struct measurement_target target;	/* also without figures, when known */
	bool have_figures;			/* false: ended before any result */
	enum dsaio_user_op op;
	struct dsaio_params params;
	uint64_t io_size;			/* bytes per loop */
	unsigned int loops;
	unsigned int warmup_loops;		/* ran first, in no figure */
	bool random;				/* blocks in a random order */
	/*
	 * DeepSpeed's figures (see dsaio.h, "Timing"): task_ns is the longest
	 * worker's own I/O time summed over loops; e2e_ns the sum over loops
	 * of each loop's wall time, its release to the last completion of
	 * all workers. setup_ns (device open, buffers, worker threads)
	 * is in neither; 0 from a module without DSAIO_F_LOCKSTEP.
	 */
	uint64_t task_ns;
	uint64_t e2e_ns;
	uint64_t setup_ns;
	uint64_t bytes;				/* transferred without error */
	uint64_t requests;
	/* kernel engine: bios sent, and of them reaped by its polls (poll) */
	uint64_t bios, polled_bios;
	uint64_t errors;
	uint64_t lat_min_ns, lat_max_ns, lat_mean_ns;
	struct dsaio_percentiles pct;		/* zero when no histogram */
	bool have_pct;
	uint64_t mismatches;			/* validation, reads */
	uint64_t first_mismatch;		/* byte offset; valid if mismatches */
	/*
	 * The most I/O buffer memory the engine held at once, all workers and
	 * targets, from its own allocation (the module's DSAIO_RES_BUF_BYTES,
	 * the user engines' io_size per handle); 0 when unknown.
	 */
	uint64_t buf_bytes;
	struct measurement_errno *errnos;	/* NULL/0 when none */
	size_t n_errnos;
	struct measurement_stat *worker_stats, *loop_stats; /* NULL/0: absent */
	size_t n_worker_stats, n_loop_stats;
	struct measurement_part *parts;		/* per target; NULL/0: one target */
	size_t n_parts;
};

/* Frees the arrays of m (not m itself) and clears them. */
void measurement_free_details(struct measurement *m);
/* "done", "failed", "cancelled". */
const char *measurement_state_name(enum measurement_state s);
/*
 * When the device still held requests as the job ended (a suspended dm
 * device, a multipath without a path): a sentence saying so and what it
 * keeps, in buf, and true; false (buf empty) when it held none.
 */
bool measurement_held_note(const struct measurement *m, char *buf, size_t len);

#endif /* DSAIO_USER_MODEL_H */
