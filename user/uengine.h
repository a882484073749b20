/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The user-space engines: what libaio and io_uring share (uengine.c: the
 * target, the buffer, the worker threads, the lock-step loops, the
 * figures; uworker.c: DeepSpeed's submission loop) and the backend each
 * supplies (uio_libaio.c, uio_uring.c): how a batch is prepared and
 * submitted and how completions are reaped. They need no module.
 *
 * As DeepSpeed's handle (csrc/aio/py_lib/deepspeed_py_io_handle.cpp):
 * one buffer of io_size bytes, allocated, filled and locked at set-up;
 * io_parallel threads made at set-up, each with its own context of
 * queue_depth entries and its contiguous slice of the buffer and of the
 * region. A loop is timed from before the target is opened (as pread()
 * opens its file) to after it is closed once every thread has finished.
 *
 * Several targets, and DeepSpeed's threads (params.processes), are more
 * such handles, as ds_io runs one process with its own handle per folder
 * and test_ds_aio.py --threads one per thread: each handle its own
 * buffer, file (or slice of the device) and io_parallel workers, every
 * worker of every handle released together for each loop.
 */
#ifndef DSAIO_USER_UENGINE_H
#define DSAIO_USER_UENGINE_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <linux/dsaio.h>
#include "engine.h"
#include "uorder.h"
#include "utarget.h"

struct uio_worker;

/* One request in flight, or free. */
struct uio_slot {
	unsigned int index;	/* in its worker's slots[] */
	uint64_t off;		/* on the target */
	char *buf;
	uint32_t len;
	uint64_t submit_ns;
};

/* A completion, as a backend reaps it. */
struct uio_done {
	struct uio_slot *slot;
	long res;		/* bytes, or a negative errno */
};

/*
 * A backend. Every function returns a negative errno on failure;
 * submit() returns how many of the n slots (in order) the kernel took,
 * at least 1, and reap() how many completions it put in out[] (at most
 * max), 0 when its wait of UIO_REAP_TIMEOUT_MS ended with none.
 */
struct uio_backend {
	/* Can it run here at all? A sentence in err when not. */
	int (*probe)(char *err, size_t errlen);
	int (*init)(struct uio_worker *w);	/* its context, at set-up */
	void (*exit)(struct uio_worker *w);
	/* Optional, in the timed loop: the worker is about to use w->fd. */
	int (*loop_begin)(struct uio_worker *w);
	int (*submit)(struct uio_worker *w, struct uio_slot *const *slots,
		      unsigned int n);
	int (*reap)(struct uio_worker *w, unsigned int min, unsigned int max,
		    struct uio_done *out);
	bool fixed;		/* takes fixed_buffers and fixed_files */
};

/* Most handles per target (params.processes): the tool's most. */
#define UIO_MAX_PROCESSES	DSAIO_MAX_PROCESSES

/* How long a reap waits before the worker looks at the stop flag. */
#define UIO_REAP_TIMEOUT_MS	200

/* Totals of a worker or a loop, as struct dsaio_stats in the module. */
struct uio_stats {
	uint64_t bytes, requests, errors;
	uint64_t lat_min, lat_max, lat_sum;
};

struct ujob;

/* Distinct errnos one worker counts, as DSAIO_ERRNO_SLOTS in the module. */
#define UIO_ERRNO_SLOTS		32

struct uio_worker {
	struct ujob *job;
	const struct uio_backend *be;
	unsigned int index;		/* among all workers of the job */
	unsigned int target;		/* its target's index in the request */
	pthread_t thread;
	bool started;
	const struct measure_request *rq;
	void *priv;			/* the backend's */
	char *slice;			/* its part of the buffer */
	uint64_t slice_off, slice_len;	/* its part of the region */
	struct uorder order;		/* this loop's order of its blocks */
	uint32_t loops_run;		/* keys the next loop's order */
	int fd;				/* this loop's target */
	struct uio_slot *slots;		/* queue_depth of them */
	struct uio_slot **free;		/* a stack of the free ones */
	unsigned int n_free;
	struct uio_slot **batch;	/* the slots of one submit */
	struct uio_done *done;		/* one reap's */
	uint64_t loop_busy_ns;		/* release to its last completion */
	struct uio_stats loop, total;	/* this loop's; the measured loops' */
	uint64_t busy_ns;		/* summed over the measured loops */
	uint64_t *hist;			/* DSAIO_HIST_BUCKETS counts */
	uint64_t bytes_done;		/* every loop, for progress (atomic) */
	/* How many requests failed with each errno; the rest go to EIO's. */
	struct measurement_errno errnos[UIO_ERRNO_SLOTS];
	unsigned int n_errnos;
};

/*
 * One worker's part of one loop, DeepSpeed's do_aio_operation_overlap()
 * or _sequential() with every completion checked (uworker.c).
 */
void uworker_run_loop(struct uio_worker *w, uint64_t release_ns,
		      bool measured);

/* Whether the workers are to stop submitting (an error, Ctrl-C). */
bool ujob_stopping(const struct ujob *j);
/* Whether they are to give up waiting as well (a second Ctrl-C). */
bool ujob_abandoned(const struct ujob *j);
/*
 * A request of w failed with errno e: the measurement fails with the
 * first, and w's target with its own first.
 */
void ujob_failed(struct uio_worker *w, int e);

/* The engine functions of engine.h, for a backend's descriptor. */
int uengine_open(const struct uio_backend *be, struct engine_ctx **out,
		 char *err, size_t errlen);
int uengine_limits(struct engine_ctx *ctx, struct engine_limits *l);
int uengine_measure(struct engine_ctx *ctx, const struct measure_request *rq,
		    struct measurement *out, measure_progress_fn fn, void *arg);
const char *uengine_errmsg(const struct engine_ctx *ctx);
void uengine_close(struct engine_ctx *ctx);
#endif
