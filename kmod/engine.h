/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _DSAIO_ENGINE_H
#define _DSAIO_ENGINE_H

#include <linux/atomic.h>
#include <linux/llist.h>
#include <linux/types.h>
#include <linux/wait.h>

struct bio;
struct dsaio_slot;
struct dsaio_target;
struct dsaio_worker;
struct page;
struct task_struct;

/*
 * What the engine needs of whoever runs it (a job): the parameters of the
 * I/O, a stop flag and whom to tell of an I/O error. Set before any
 * worker starts; only @stopping and the buffer counts change afterwards.
 */
struct dsaio_io {
	u32 id;				/* the owner's, for the tracepoints */
	u8 op;				/* enum dsaio_op */
	bool single_submit;
	bool overlap_events;
	bool validate;
	bool histogram;
	bool poll;			/* engine->poll() reaps, nothing sleeps */
	bool random;			/* random block order (order.h) */
	u32 block_size;
	u32 queue_depth;
	u64 seed;
	bool stopping;			/* read locklessly before each submit */
	/*
	 * I/O buffer bytes the workers hold now and the most they held at
	 * once, counted where the pages are allocated and freed.
	 */
	atomic64_t buf_held;
	atomic64_t buf_peak;
	/*
	 * The first and every later I/O error, and the target it came
	 * from; may sleep, not in irq.
	 */
	void (*failed)(struct dsaio_io *io, struct dsaio_target *t, int error);
};

static inline bool dsaio_io_stopping(const struct dsaio_io *io)
{
	return READ_ONCE(io->stopping);
}

/*
 * How long a worker of a stopping job still waits for its requests in
 * flight, from when it sees the stop, before it leaves them to the
 * device: a healthy device ends them in milliseconds, a suspended dm
 * device (or a multipath queueing without a path) may hold them for ever.
 */
#define DSAIO_STOP_GRACE	HZ

/*
 * An engine: how requests reach a kind of target. The optional init()
 * and exit() run once per target around the workers (init knows how many
 * workers share it); the optional worker_init() and worker_exit() once
 * per worker, at
 * the end of its set-up (slots and buffer made) and before its release.
 * submit() sends one slot's request, whose completion, in any context,
 * ends with dsaio_slot_complete(). The optional poll(), for io->poll,
 * completes what it can of the worker's requests in flight in the
 * worker's own context, without sleeping; it returns how many bios it
 * completed. Engine state goes in target->engine_priv and
 * worker->engine_priv.
 */
struct dsaio_engine_ops {
	const char *name;
	int (*init)(struct dsaio_target *t, u32 nr_workers);
	void (*exit)(struct dsaio_target *t);
	int (*worker_init)(struct dsaio_worker *w);
	void (*worker_exit)(struct dsaio_worker *w);
	void (*submit)(struct dsaio_worker *w, struct dsaio_slot *slot);
	int (*poll)(struct dsaio_worker *w);
};

extern const struct dsaio_engine_ops dsaio_engine_bio;
extern const struct dsaio_engine_ops dsaio_engine_file;

/* Totals of a worker (all its loops) or of a loop (all workers). */
struct dsaio_stats {
	u64 first_ns;		/* first submit; 0 while there was none */
	u64 last_ns;		/* latest completion */
	u64 bytes;		/* transferred without error */
	u64 requests;		/* completed, with or without error */
	u64 errors;
	u64 lat_min;		/* U64_MAX until the first completion */
	u64 lat_max;
	u64 lat_sum;
};

/* blk_status_t has about 20 values, so 32 distinct errnos is plenty. */
#define DSAIO_ERRNO_SLOTS	32

struct dsaio_errno_count {
	u32 code;		/* positive errno */
	u64 count;
};

/*
 * One request in flight. The worker fills in everything before submitting
 * and reads it back only after the slot came back on worker->done, so no
 * field needs a lock; only @remaining and @error are shared with the
 * completions of the request's bios.
 */
struct dsaio_slot {
	struct llist_node node;		/* on worker->done once complete */
	struct dsaio_worker *worker;
	atomic_t remaining;		/* bios in flight, +1 while submitting */
	int error;			/* first -errno of its bios (cmpxchg) */
	u32 len;			/* bytes */
	u64 buf_off;			/* this slot's segment of the buffer */
	u64 dev_off;			/* absolute device offset */
	u64 submit_ns;
	u64 done_ns;			/* set by the last completion */
	/*
	 * Polled mode: the slot's last bio, with a reference of the
	 * worker's so it can be polled while it completes; dropped when
	 * the slot is reused or released.
	 */
	struct bio *poll_bio;
};

/*
 * A worker: one kernel thread walking one contiguous slice, once per loop.
 * Everything but @done, @wait and the progress counters is owned by the
 * thread while a loop runs and by the controller between loops (the
 * workers then wait at the job's barrier), and read by the job's readers
 * only after the job ended.
 */
struct dsaio_worker {
	struct dsaio_io *io;
	struct dsaio_target *target;
	struct task_struct *task;	/* holds a reference while set */
	u32 index;
	u64 offset;			/* slice start, absolute */
	u64 length;			/* slice length */

	/* Buffer: chunks of 2^chunk_order pages, the last one may be less. */
	struct page **chunks;
	u32 nr_chunks;
	unsigned int chunk_order;
	u64 buf_len;

	struct dsaio_slot *slots;
	u32 nr_slots;
	void *engine_priv;		/* the engine's, per worker */
	u32 *free_slots;		/* stack of free slot indexes */
	u32 nr_free;
	/*
	 * Requests submitted and not yet reaped, as of the last refill or
	 * reap (the worker's own count, read locklessly for JOB_GET). Once
	 * the worker left a stopped job, what it counts is held by the
	 * device; dsaio_worker_left() and dsaio_worker_drain_left() count
	 * those down.
	 */
	u32 inflight;
	/* Set when the thread first sees the job stopping: its last wait. */
	bool stop_seen;
	unsigned long stop_deadline;
	u32 loops_run;			/* keys the random order of the next */

	/* Completed slots, pushed by completions, taken by the worker. */
	struct llist_head done;
	wait_queue_head_t wait;

	u64 bios;			/* submission units (bios, kiocbs) */
	u64 polled;			/* of them, completed by its own poll */
	bool polling;			/* inside engine->poll() */
	u64 *hist;			/* DSAIO_HIST_BUCKETS counts, or NULL */
	struct dsaio_stats stats;	/* totals over all loops */
	struct dsaio_stats loop;	/* the loop under way */
	u64 busy_ns;			/* sum over loops of its own I/O time */
	u64 mismatches;
	u64 first_mismatch;		/* U64_MAX while there was none */
	struct dsaio_errno_count errnos[DSAIO_ERRNO_SLOTS];
	u32 nr_errnos;

	/* Progress, written by the thread, read locklessly by anyone. */
	u64 bytes_done;
};

void dsaio_stats_init(struct dsaio_stats *s);
void dsaio_stats_merge(struct dsaio_stats *to, const struct dsaio_stats *from);
void dsaio_errno_add(struct dsaio_errno_count *tab, u32 *nr, u32 code,
		     u64 count);

/*
 * Byte @done of a slot's data, as for a bio_vec: its page, the offset in
 * it (*in) and the bytes contiguous from there within the slot (*contig).
 */
struct page *dsaio_slot_page(const struct dsaio_worker *w,
			     const struct dsaio_slot *slot, u32 done,
			     u32 *in, u32 *contig);
/* The end of a request, from the engine's completion (any context). */
void dsaio_slot_complete(struct dsaio_slot *slot);

int dsaio_worker_setup(struct dsaio_worker *w);
void dsaio_worker_release(struct dsaio_worker *w);
/*
 * One loop: the worker's whole slice, every request completed (or the job
 * stopping and what was in flight drained, or after DSAIO_STOP_GRACE left
 * to the device: @w->inflight then says how many). Statistics in @w->loop.
 */
void dsaio_worker_run_loop(struct dsaio_worker *w);
/*
 * After the worker's thread has exited: how many of the requests it left
 * the device still holds (those completed since are taken off), and,
 * sleeping as long as the device takes (TASK_IDLE), until it holds none.
 */
u32 dsaio_worker_left(struct dsaio_worker *w);
void dsaio_worker_drain_left(struct dsaio_worker *w);
/* Takes the loop just run out of the totals it added to (a warm-up). */
void dsaio_worker_forget_loop(struct dsaio_worker *w);

#endif /* _DSAIO_ENGINE_H */
