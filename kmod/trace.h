/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dsaio's tracepoints (trace system "dsaio"): a job's start and end, and
 * every request and refill batch of its workers, for trace-cmd, perf and
 * bpftrace, and for the selftests that check the submission semantics.
 *
 * The job events are emitted by job.c (which defines them all, with
 * CREATE_TRACE_POINTS); the engine emits the request and batch events
 * with what it has anyway: its worker, the slot and io->id, the owner's
 * id. Off, each call site is a static branch and nothing is computed.
 */
#ifdef DSAIO_NO_TRACE
/*
 * Built with DSAIO_TRACE=0 (the benchmark's "compiled out" module, which
 * measures what the tracepoints cost when off): no events, no
 * tracepoint symbols, so job.c's CREATE_TRACE_POINTS has nothing to
 * define, and every call site compiles to nothing.
 */
#ifndef _DSAIO_TRACE_H
#define _DSAIO_TRACE_H

#include <linux/types.h>

struct dsaio_job;
struct dsaio_slot;
struct dsaio_worker;

static inline void trace_dsaio_job_start(const struct dsaio_job *job) { }
static inline void trace_dsaio_job_end(const struct dsaio_job *job) { }
static inline void trace_dsaio_batch_begin(const struct dsaio_worker *w,
					   u32 inflight, bool plugged) { }
static inline void trace_dsaio_batch_end(const struct dsaio_worker *w,
					 u32 inflight, bool plugged) { }
static inline void trace_dsaio_request_submit(const struct dsaio_worker *w,
					      const struct dsaio_slot *slot) { }
static inline void trace_dsaio_request_complete(const struct dsaio_slot *slot) { }
#endif /* _DSAIO_TRACE_H */
#undef CREATE_TRACE_POINTS

#else /* !DSAIO_NO_TRACE */

#undef TRACE_SYSTEM
#define TRACE_SYSTEM dsaio

#if !defined(_DSAIO_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _DSAIO_TRACE_H

#include <linux/blkdev.h>
#include <linux/dsaio.h>
#include <linux/tracepoint.h>

#include "engine.h"
#include "target.h"

struct dsaio_job;

#define dsaio_show_op(op)						\
	__print_symbolic(op,						\
			 { DSAIO_OP_READ,	"read" },		\
			 { DSAIO_OP_WRITE,	"write" })

#define dsaio_show_state(state)						\
	__print_symbolic(state,						\
			 { DSAIO_JOB_SETUP,	"setup" },		\
			 { DSAIO_JOB_RUNNING,	"running" },		\
			 { DSAIO_JOB_DONE,	"done" },		\
			 { DSAIO_JOB_FAILED,	"failed" },		\
			 { DSAIO_JOB_CANCELLED,	"cancelled" })

/* Once, though define_trace.h reads this file several times. */
#ifndef _DSAIO_TRACE_HELPERS
#define _DSAIO_TRACE_HELPERS
/* The device a worker's I/O reaches (0,0 for a target without one). */
static inline dev_t dsaio_worker_dev(const struct dsaio_worker *w)
{
	return w->target->bdev ? w->target->bdev->bd_dev : 0;
}
#endif

/**
 * dsaio_job_start - a job's controller begins its set-up
 * @job: the job, configuration final
 */
TRACE_EVENT(dsaio_job_start,
	    TP_PROTO(const struct dsaio_job *job),
	    TP_ARGS(job),
	    TP_STRUCT__entry(__field(u32,	job)
			     __field(u8,	op)
			     __field(u32,	targets)
			     __field(u32,	threads)
			     __field(u32,	block_size)
			     __field(u32,	queue_depth)
			     __field(bool,	single_submit)
			     __field(bool,	overlap_events)
			     __field(u64,	io_size)
			     __field(u32,	loops)
			     __field(u32,	warmup_loops)),
	    TP_fast_assign(__entry->job = job->id;
			   __entry->op = job->cfg.op;
			   __entry->targets = job->nr_targets;
			   __entry->threads = job->cfg.threads;
			   __entry->block_size = job->cfg.block_size;
			   __entry->queue_depth = job->cfg.queue_depth;
			   __entry->single_submit = job->cfg.single_submit;
			   __entry->overlap_events = job->cfg.overlap_events;
			   __entry->io_size = job->cfg.io_size;
			   __entry->loops = job->cfg.loops;
			   __entry->warmup_loops = job->cfg.warmup_loops;
	    ),
	    TP_printk("job=%u op=%s targets=%u threads=%u block_size=%u queue_depth=%u single_submit=%d overlap_events=%d io_size=%llu loops=%u warmup_loops=%u",
		      __entry->job, dsaio_show_op(__entry->op), __entry->targets,
		      __entry->threads, __entry->block_size, __entry->queue_depth,
		      __entry->single_submit, __entry->overlap_events,
		      __entry->io_size, __entry->loops, __entry->warmup_loops)
);

/**
 * dsaio_job_end - a job has ended, its result final
 * @job: the job; its result counts the measured loops (no warm-up)
 */
TRACE_EVENT(dsaio_job_end,
	    TP_PROTO(const struct dsaio_job *job),
	    TP_ARGS(job),
	    TP_STRUCT__entry(__field(u32,	job)
			     __field(u8,	state)
			     __field(int,	error)
			     __field(u64,	bytes)
			     __field(u64,	requests)
			     __field(u64,	errors)
			     __field(u64,	e2e_ns)),
	    TP_fast_assign(__entry->job = job->id;
			   __entry->state = job->state;
			   __entry->error = job->error;
			   __entry->bytes = job->res.total.bytes;
			   __entry->requests = job->res.total.requests;
			   __entry->errors = job->res.total.errors;
			   __entry->e2e_ns = job->res.e2e_ns;
	    ),
	    TP_printk("job=%u state=%s error=%d bytes=%llu requests=%llu errors=%llu e2e_ns=%llu",
		      __entry->job, dsaio_show_state(__entry->state),
		      __entry->error, __entry->bytes, __entry->requests,
		      __entry->errors, __entry->e2e_ns)
);

DECLARE_EVENT_CLASS(dsaio_batch,
		    TP_PROTO(const struct dsaio_worker *w, u32 inflight, bool plugged),
		    TP_ARGS(w, inflight, plugged),
		    TP_STRUCT__entry(__field(u32,	job)
				     __field(u32,	worker)
				     __field(u32,	inflight)
				     __field(bool,	plugged)),
		    TP_fast_assign(__entry->job = w->io->id;
				   __entry->worker = w->index;
				   __entry->inflight = inflight;
				   __entry->plugged = plugged;
	    ),
		    TP_printk("job=%u worker=%u inflight=%u plugged=%d",
			      __entry->job, __entry->worker, __entry->inflight,
			      __entry->plugged)
);

/**
 * dsaio_batch_begin - a worker starts a refill of its free slots
 * @w: the worker
 * @inflight: its requests in flight before the refill
 * @plugged: the refill goes down under one block plug (single_submit off)
 */
DEFINE_EVENT(dsaio_batch, dsaio_batch_begin,
	     TP_PROTO(const struct dsaio_worker *w, u32 inflight, bool plugged),
	     TP_ARGS(w, inflight, plugged)
);

/**
 * dsaio_batch_end - a worker's refill went down (its plug finished)
 * @w: the worker
 * @inflight: its requests in flight after the refill
 * @plugged: as for dsaio_batch_begin
 */
DEFINE_EVENT(dsaio_batch, dsaio_batch_end,
	     TP_PROTO(const struct dsaio_worker *w, u32 inflight, bool plugged),
	     TP_ARGS(w, inflight, plugged)
);

/**
 * dsaio_request_submit - a worker hands one request to its engine
 * @w: the worker
 * @slot: the request: device offset and length set
 */
TRACE_EVENT(dsaio_request_submit,
	    TP_PROTO(const struct dsaio_worker *w, const struct dsaio_slot *slot),
	    TP_ARGS(w, slot),
	    TP_STRUCT__entry(__field(u32,	job)
			     __field(u32,	worker)
			     __field(dev_t,	dev)
			     __field(u64,	offset)
			     __field(u32,	len)),
	    TP_fast_assign(__entry->job = w->io->id;
			   __entry->worker = w->index;
			   __entry->dev = dsaio_worker_dev(w);
			   __entry->offset = slot->dev_off;
			   __entry->len = slot->len;
	    ),
	    TP_printk("job=%u worker=%u dev=%d,%d offset=%llu len=%u",
		      __entry->job, __entry->worker, MAJOR(__entry->dev),
		      MINOR(__entry->dev), __entry->offset, __entry->len)
);

/**
 * dsaio_request_complete - the last piece of a request completed
 * @slot: the request, its completion time and error set; any context
 */
TRACE_EVENT(dsaio_request_complete,
	    TP_PROTO(const struct dsaio_slot *slot),
	    TP_ARGS(slot),
	    TP_STRUCT__entry(__field(u32,	job)
			     __field(u32,	worker)
			     __field(dev_t,	dev)
			     __field(u64,	offset)
			     __field(u32,	len)
			     __field(u64,	latency_ns)
			     __field(int,	error)),
	    TP_fast_assign(__entry->job = slot->worker->io->id;
			   __entry->worker = slot->worker->index;
			   __entry->dev = dsaio_worker_dev(slot->worker);
			   __entry->offset = slot->dev_off;
			   __entry->len = slot->len;
			   __entry->latency_ns = slot->done_ns - slot->submit_ns;
			   __entry->error = slot->error;
	    ),
	    TP_printk("job=%u worker=%u dev=%d,%d offset=%llu len=%u latency_ns=%llu error=%d",
		      __entry->job, __entry->worker, MAJOR(__entry->dev),
		      MINOR(__entry->dev), __entry->offset, __entry->len,
		      __entry->latency_ns, __entry->error)
);

#endif /* _DSAIO_TRACE_H */

/* Out of tree: define_trace.h finds this file through -I$(src)/kmod. */
#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE trace

#include <trace/define_trace.h>

#endif /* DSAIO_NO_TRACE */
