/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _DSAIO_JOB_H
#define _DSAIO_JOB_H

#include <linux/bio.h>
#include <linux/completion.h>
#include <linux/dsaio.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/workqueue.h>

#include "engine.h"

struct genl_info;
struct net;
struct nlattr;

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
};

/*
 * Whole-job results, written by the controller before the job ends; the
 * timing is DeepSpeed's, as <linux/dsaio.h> defines it.
 */
struct dsaio_result {
	u64 task_ns;		/* max over workers of their busy_ns */
	u64 e2e_ns;		/* sum of the loops' wall times */
	u64 setup_ns;		/* JOB_START to the release of loop 0 */
	struct dsaio_stats total;
	u64 bios;
	u64 mismatches;
	u64 first_mismatch;
	struct dsaio_errno_count errnos[DSAIO_ERRNO_SLOTS];
	u32 nr_errnos;
	u64 *hist;		/* merged histogram, NULL when it was off */
};

struct dsaio_job {
	/* Protected by dsaio_jobs_lock. */
	struct list_head node;		/* on dsaio_jobs, ascending id */
	struct list_head ended_node;	/* on dsaio_ended once ended */
	bool ended;			/* results final, controller gone */

	/* Set before the job is published; immutable afterwards. */
	u32 id;
	u32 portid;			/* owning socket */
	struct net *net;		/* its netns; compared, never followed */
	struct dsaio_job_config cfg;
	u64 start_ns;			/* JOB_START */
	struct dsaio_bdev bdev;
	u32 lbs;			/* logical block size */
	u32 max_bio_bytes;		/* per bio: queue limit, lbs-aligned */
	u32 max_bio_vecs;		/* per bio: BIO_MAX_VECS, segments */
	u64 mem_bytes;			/* buffer memory reserved */
	struct bio_set bioset;
	struct dsaio_worker *workers;	/* cfg.threads entries */

	/*
	 * enum dsaio_job_state: SETUP -> RUNNING by the controller
	 * (WRITE_ONCE), the final state under dsaio_jobs_lock with @ended.
	 */
	u8 state;
	int error;			/* final; under dsaio_jobs_lock */
	u64 end_ns;

	/*
	 * Stop request: the first one wins. @stop_state and @stop_error are
	 * under @stop_lock; @stopping is set under it and read locklessly by
	 * the workers before every submission.
	 */
	spinlock_t stop_lock;
	bool stopping;
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
	atomic_t loop_pending;
	struct completion loop_done;
	u32 loops_done;			/* loops every worker finished */

	/* Per-loop totals over all workers, filled in by the controller. */
	struct dsaio_stats *loops;	/* cfg.loops entries */

	struct dsaio_result res;
};

/*
 * The registry. dsaio_jobs_lock protects both lists, the ended state of
 * every job, the counters below and dsaio_jobs_gen, which changes whenever
 * a job is added, ends or is dropped (dump consistency).
 */
extern struct mutex dsaio_jobs_lock;
extern struct list_head dsaio_jobs;
extern unsigned int dsaio_jobs_gen;

static inline bool dsaio_job_stopping(const struct dsaio_job *job)
{
	return READ_ONCE(job->stopping);
}

void dsaio_job_stop(struct dsaio_job *job, u8 state, int error);

int dsaio_job_start(const struct dsaio_job_config *cfg, struct nlattr **tb,
		    struct nlattr *cfg_attr, struct genl_info *info, u32 *id);
struct dsaio_job *dsaio_job_find_locked(u32 id);
int dsaio_job_cancel(u32 id);
void dsaio_job_progress(struct dsaio_job *job, u64 *done, u32 *loop,
			u64 *elapsed);

int dsaio_jobs_init(void);
void dsaio_jobs_shutdown(void);
void dsaio_jobs_exit(void);

#endif /* _DSAIO_JOB_H */
