/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Jobs: a measurement from start to kept result. The job layer takes a
 * plain configuration, owns the registry, the controller, the loop
 * barrier and the results, and drives the engine through its io context
 * and targets. It knows nothing of netlink messages: refusals are extack
 * sentences, and events go out through the struct dsaio_job_events the
 * netlink layer hands in.
 */
#ifndef _DSAIO_JOB_H
#define _DSAIO_JOB_H

#include <linux/completion.h>
#include <linux/dsaio.h>
#include <linux/list.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/wait.h>
#include <linux/workqueue.h>

#include "engine.h"
#include "target.h"

struct net;
struct netlink_ext_ack;

/* One entry of DSAIO_CFG_TARGETS. */
struct dsaio_job_target_cfg {
	u8 kind;			/* enum dsaio_target_kind */
	char path[DSAIO_DEV_PATH_MAX];	/* the device node or directory */
	u64 offset;			/* region start */
};

/* A job's configuration, as given with defaults filled in; immutable. */
struct dsaio_job_config {
	char dev_path[DSAIO_DEV_PATH_MAX];
	u8 op;
	u64 offset;
	u64 io_size;
	u32 block_size;
	u32 queue_depth;
	u32 threads;
	u8 single_submit;
	u8 overlap_events;
	u32 loops;
	u8 validate;
	u64 seed;
	u8 allow_write;
	u8 histogram;
	u32 warmup_loops;	/* run first, left out of the result */
	char dir[DSAIO_DEV_PATH_MAX];	/* a file target's directory */
	u8 overwrite;		/* files: overwrite one written file */
	u8 keep_files;		/* files: leave the file at the end */
	u8 random;		/* random block order in each slice */
	/* DSAIO_CFG_TARGETS; 0 when not given (DEV_PATH or DIR is) */
	u32 nr_targets;
	struct dsaio_job_target_cfg targets[DSAIO_TARGETS_MAX];
	u8 poll;		/* REQ_POLLED bios reaped by bio_poll() */
};

/*
 * Whole-job results, written by the controller before the job ends; the
 * timing is DeepSpeed's, as <linux/dsaio.h> defines it.
 */
struct dsaio_result {
	u64 task_ns;		/* max over workers of their busy_ns */
	u64 e2e_ns;		/* sum of the loops' wall times */
	u64 setup_ns;		/* JOB_START to the release of loop 0 */
	u64 buf_bytes;		/* the most buffer memory held at once */
	struct dsaio_stats total;
	u64 bios;
	u64 polled;		/* bios completed by the workers' polls */
	u64 mismatches;
	u64 first_mismatch;
	struct dsaio_errno_count errnos[DSAIO_ERRNO_SLOTS];
	u32 nr_errnos;
	u64 *hist;		/* merged histogram, NULL when it was off */
};

/*
 * What the job keeps of each target: what it asked for, what was opened,
 * and its own share of the result. @error is set by the first failure of
 * the target (cmpxchg, any worker); the rest by the controller.
 */
struct dsaio_job_target {
	struct dsaio_job_target_cfg cfg;	/* as asked, defaults filled */
	struct dsaio_target_info info;		/* kept after release */
	int error;
	u8 state;			/* enum dsaio_job_state, final at the end */
	struct dsaio_result res;	/* its workers only; no setup, hist */
};

struct dsaio_job {
	/* Protected by the registry lock. */
	struct list_head node;		/* on dsaio_jobs, ascending id */
	struct list_head ended_node;	/* on dsaio_ended once ended */
	bool ended;			/* results final, controller gone */

	/* Set before the job is published; immutable afterwards. */
	u32 id;
	u32 portid;			/* owning socket */
	struct net *net;		/* its netns; compared, never followed */
	struct dsaio_job_config cfg;
	u64 start_ns;			/* JOB_START */
	struct dsaio_io io;		/* what the engine sees of the job */
	struct dsaio_target *targets;	/* @nr_targets, opened at JOB_START */
	struct dsaio_job_target *tgt;	/* @nr_targets, kept to the end */
	u32 nr_targets;
	u64 mem_bytes;			/* buffer memory reserved */
	/* @nr_workers entries, target i's from i * cfg.threads on */
	struct dsaio_worker *workers;
	u32 nr_workers;			/* cfg.threads per target */

	/*
	 * enum dsaio_job_state: SETUP -> RUNNING by the controller
	 * (WRITE_ONCE), the final state under the registry lock with @ended.
	 */
	u8 state;
	int error;			/* final; under the registry lock */
	u64 end_ns;

	/*
	 * Under the registry lock. @draining: the job ended while the device
	 * still held some of its requests (its workers' inflight); its workers, buffers
	 * and targets stay until the last one ends, then its reaper releases
	 * them. @evicted: dropped from the registry meanwhile (max_results),
	 * so the reaper frees it.
	 */
	bool draining;
	bool evicted;

	/*
	 * Stop request: the first one wins. @stop_state and @stop_error are
	 * under @stop_lock; io.stopping is set under it and read locklessly
	 * by the workers before every submission.
	 */
	spinlock_t stop_lock;
	u8 stop_state;
	int stop_error;

	struct work_struct work;	/* the controller */

	/*
	 * The loop barrier. The controller releases loop l by setting
	 * @loop_gen to l + 1 and waking @loop_wait; each worker runs it once
	 * and counts @loop_pending down; the last one completes @loop_done.
	 * Only then does the controller read the workers' loop statistics
	 * and release the next loop, so every loop starts with all workers.
	 */
	wait_queue_head_t loop_wait;
	u32 loop_gen;
	u64 loop_release_ns;		/* when the loop under way was released */
	atomic_t loop_pending;
	struct completion loop_done;
	u32 loops_done;			/* loops every worker finished */

	/* Per-loop totals over all workers, filled in by the controller. */
	struct dsaio_stats *loops;	/* cfg.loops entries */

	struct dsaio_result res;
};

static inline bool dsaio_job_stopping(const struct dsaio_job *job)
{
	return dsaio_io_stopping(&job->io);
}

/* Who asks for a job, and where a refusal points. */
struct dsaio_job_request {
	const struct dsaio_job_config *cfg;
	u32 portid;			/* the owning socket */
	struct net *net;		/* its netns; compared, never followed */
	struct netlink_ext_ack *extack;	/* a refusal's sentence */
	/* CAP_SYS_RAWIO or CAP_SYS_ADMIN, which a device write needs */
	bool raw_write;
	int bad_attr;			/* out: the DSAIO_CFG_* it is about */
	int bad_target;			/* out: its DSAIO_CFG_TARGETS entry, or -1 */
};

/*
 * What the job layer tells the outside (the netlink layer's events).
 * progress(): from the controller, about every progress_ms. ended(): as
 * the job ends, under the registry lock, so the job is stable; it returns
 * what deliver() then sends with the lock dropped (the job may be gone).
 */
struct dsaio_job_events {
	void (*progress)(struct dsaio_job *job);
	void *(*ended)(struct dsaio_job *job);
	void (*deliver)(void *msg);
};

void dsaio_job_stop(struct dsaio_job *job, u8 state, int error);

/*
 * JOB_START: every check before any I/O; the job runs after the return.
 * 0 with *id, or a negative errno with req->extack (and req->bad_attr).
 */
int dsaio_job_start(struct dsaio_job_request *req, u32 *id);
int dsaio_job_cancel(u32 id);
/* Bytes target @i's workers completed; read locklessly while it runs. */
u64 dsaio_job_target_bytes_done(struct dsaio_job *job, u32 i);
/* Where a job is (DSAIO_A_JOB_PROGRESS); read locklessly while it runs. */
struct dsaio_job_progress {
	u64 bytes_done;			/* all loops and workers */
	u64 bytes_total;		/* every loop planned */
	u64 elapsed_ns;			/* since JOB_START, frozen at the end */
	u32 loops_done;			/* loops every worker finished */
};

void dsaio_job_progress(struct dsaio_job *job, struct dsaio_job_progress *p);
/*
 * Requests submitted and not yet reaped, over the job's workers: in
 * flight while it runs, held by the device once it ended (DSAIO_A_JOB_HELD).
 */
u32 dsaio_job_inflight(const struct dsaio_job *job);

/*
 * The registry. Both call @fn under the registry lock, which keeps every
 * job and its ended state stable while @fn looks at it. dsaio_job_with()
 * returns -ENOENT for an unknown id, else what @fn returns.
 * dsaio_jobs_walk() calls @fn for each job with an id above @after, in
 * id order, until @fn returns non-zero; *gen is set first to the
 * registry's generation, which changes whenever a job is added, ends or
 * is dropped (dump consistency).
 */
int dsaio_job_with(u32 id, int (*fn)(struct dsaio_job *job, void *arg),
		   void *arg);
void dsaio_jobs_walk(u32 after, unsigned int *gen,
		     int (*fn)(struct dsaio_job *job, void *arg), void *arg);

int dsaio_jobs_init(const struct dsaio_job_events *events);
void dsaio_jobs_shutdown(void);
void dsaio_jobs_exit(void);

#endif /* _DSAIO_JOB_H */
