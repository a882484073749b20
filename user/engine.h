/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The engine seam: what `run` and `sweep` see of whatever does the I/O.
 * A command fills a measure_request (the tool's model: op, a grid point,
 * region, loops) and gets a struct measurement back (model.h); how the
 * I/O is done is the engine's business. The module over generic netlink
 * (nl_engine.c) is the first engine; a user-space one (libaio with
 * DeepSpeed's semantics, io_uring) is one more file with one more
 * struct dsaio_engine and a row in engines.c, and no command changes.
 */
#ifndef DSAIO_USER_ENGINE_H
#define DSAIO_USER_ENGINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "model.h"

/*
 * One measurement to make. It has 1 to DSAIO_MAX_TARGETS targets, all of
 * one kind (devices or directories), measured together: each target has
 * params.processes independent handles (DeepSpeed's "threads": its own
 * file, or its own slice of the device region), each with io_parallel
 * workers, and every worker of every target starts loop k together.
 */
struct measure_request {
	enum dsaio_user_target kind;	/* what the targets name */
	/*
	 * Each a block device as given, e.g. /dev/nvme0n1, or an absolute
	 * directory. target is targets[0], so code that knows one target
	 * reads it where it always did.
	 */
	union {
		char target[DSAIO_TARGET_PATH_MAX];
		char targets[DSAIO_MAX_TARGETS][DSAIO_TARGET_PATH_MAX];
	};
	unsigned int n_targets;		/* 1..DSAIO_MAX_TARGETS; 0 reads as 1 */
	enum dsaio_user_op op;
	/* The grid point; params.processes is DeepSpeed's "threads" (>= 1). */
	struct dsaio_params params;
	uint64_t offset;		/* start of the region on every device, bytes */
	uint64_t io_size;		/* bytes per loop */
	uint64_t seed;			/* pattern seed, with validate */
	unsigned int loops;
	unsigned int warmup_loops;	/* run first, left out of every figure */
	bool validate;			/* write a pattern / check it on reads */
	bool allow_write;		/* the user confirmed a destructive write */
	bool histogram;			/* per-request latency percentiles */
	bool random;			/* each slice's blocks in a seeded random order */
	/* Files only. DeepSpeed writes a new file each loop; overwrite
	 * writes one file in full at set-up and then overwrites it. */
	bool overwrite;
	bool keep_files;		/* leave the file in the directory */
	/* io_uring only (engine_limits.fixed): register the buffers, the file */
	bool fixed_buffers;
	bool fixed_files;
	/* kernel only (engine_limits.poll): REQ_POLLED bios, bio_poll() reaps */
	bool poll;
};

/* The protocol's defaults: 1 of everything, overlap, histogram on. */
void measure_request_init(struct measure_request *r);
/* How many targets r has: n_targets, a 0 (a request of one) read as 1. */
unsigned int measure_request_n_targets(const struct measure_request *r);
/*
 * Appends path as r's next target (the first replaces target when
 * n_targets is 0). -E2BIG past DSAIO_MAX_TARGETS, -ENAMETOOLONG when it
 * does not fit; r unchanged then.
 */
int measure_request_add_target(struct measure_request *r, const char *path);
/* Narrows r to its i-th target alone (i < measure_request_n_targets(r)). */
void measure_request_keep_target(struct measure_request *r, unsigned int i);

/* Where a measurement is, while it runs. */
struct measure_progress {
	uint64_t bytes_done, bytes_total, elapsed_ns;
	uint32_t loop;
};
typedef void (*measure_progress_fn)(const struct measure_progress *p,
				    void *arg);

/* What an engine can take; 0 (NULL) means no limit of its own. */
struct engine_limits {
	uint32_t max_mem_mb;		/* buffers of one measurement */
	/* Why it cannot measure a file (TARGET_FILE), as a sentence. */
	const char *no_files;
	/* It takes fixed_buffers and fixed_files (io_uring's registration). */
	bool fixed;
	/* Most targets of one measurement (n_targets); 0: DSAIO_MAX_TARGETS. */
	unsigned int max_targets;
	/* Most params.processes (DeepSpeed's threads); 0: no limit of its own. */
	unsigned int max_processes;
	/* It takes poll: completions polled on the device's poll queues. */
	bool poll;
};

/* Each engine's own state; only its file knows what is in it. */
struct engine_ctx;

/*
 * Every function returns 0 on success or a negative errno; errmsg() then
 * holds the sentence for the user.
 *
 * measure() makes one measurement and returns 0 once it has ended, with
 * *out filled whatever the outcome (out->state, out->error; without
 * figures when it ended before any). *out is zeroed first and
 * out->job_id is set as soon as there is one, also on an error. Free
 * with measurement_free_details(). Cancelling is Ctrl-C's: measure()
 * watches dsaio_interrupted (interrupt.h), cancels at the first signal and
 * still waits, so what was done is reported; at the second it returns
 * -EINTR at once. A refused request (a value the engine cannot do, too
 * little memory) is -EINVAL, -ENOMEM, -ERANGE or -E2BIG.
 */
struct dsaio_engine {
	const char *name;	/* --engine NAME: "kernel", "libaio", "io_uring" */
	const char *who;	/* in sentences: "refused by the module" */
	const char *summary;	/* one line for --help */
	int (*open)(struct engine_ctx **out, char *err, size_t errlen);
	int (*limits)(struct engine_ctx *ctx, struct engine_limits *l);
	int (*measure)(struct engine_ctx *ctx, const struct measure_request *rq,
		       struct measurement *out, measure_progress_fn fn,
		       void *arg);
	const char *(*errmsg)(const struct engine_ctx *ctx);
	void (*close)(struct engine_ctx *ctx);	/* NULL-safe */
};

/* The engine called name; NULL picks the default. NULL when unknown. */
const struct dsaio_engine *dsaio_engine_find(const char *name);
/* The i-th engine of the table (0 is the default); NULL past the end. */
const struct dsaio_engine *dsaio_engine_at(size_t i);
/* Prints "  NAME  summary" for every engine, indented by indent. */
void dsaio_engines_help(FILE *f, int indent);

/*
 * Opens engine name (NULL: the default) for the subcommand cmd. On failure
 * says why on stderr as "dsaio-user CMD: <why>" and returns NULL.
 */
const struct dsaio_engine *cli_engine_open(const char *cmd, const char *name,
					   struct engine_ctx **ctx);
#endif
