// SPDX-License-Identifier: GPL-2.0
/*
 * Jobs: validation and set-up at JOB_START, the registry, the controller
 * that runs each job's workers, cancellation, ownership by the starting
 * netlink socket and retention of ended jobs.
 */
#include <linux/blkdev.h>
#include <linux/kthread.h>
#include <linux/netlink.h>
#include <linux/notifier.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/timekeeping.h>
#include <net/genetlink.h>
#include <net/net_namespace.h>

#include "job.h"
#include "netlink.h"
#include "params.h"

/* Registry lock: see job.h for what it protects. */
DEFINE_MUTEX(dsaio_jobs_lock);
LIST_HEAD(dsaio_jobs);
unsigned int dsaio_jobs_gen = 1;

/* All under dsaio_jobs_lock, as dsaio_jobs. */
static LIST_HEAD(dsaio_ended);		/* ended jobs, oldest end first */
static u32 dsaio_nr_ended;
static u32 dsaio_nr_running;
static u64 dsaio_mem_used;		/* bytes reserved by running jobs */
static u32 dsaio_next_id = 1;
static bool dsaio_shutting_down;	/* module unload: no new jobs */

static struct workqueue_struct *dsaio_wq;

void dsaio_job_stop(struct dsaio_job *job, u8 state, int error)
{
	unsigned long flags;

	spin_lock_irqsave(&job->stop_lock, flags);
	if (!job->stopping) {
		job->stop_state = state;
		job->stop_error = error;
		WRITE_ONCE(job->stopping, true);
	}
	spin_unlock_irqrestore(&job->stop_lock, flags);
}

void dsaio_job_progress(struct dsaio_job *job, u64 *done, u32 *loop,
			u64 *elapsed)
{
	u64 sum = 0;
	u32 i;

	for (i = 0; i < job->cfg.threads; i++)
		sum += READ_ONCE(job->workers[i].bytes_done);
	*done = sum;
	*loop = READ_ONCE(job->loops_done);
	*elapsed = (READ_ONCE(job->end_ns) ?: ktime_get_ns()) - job->start_ns;
}

static void dsaio_job_free(struct dsaio_job *job)
{
	kvfree(job->res.hist);
	kvfree(job->loops);
	kvfree(job->workers);
	kfree(job);
}

/*
 * A worker's thread: wait at the barrier for the next loop, run it, count
 * it done; until the controller stops the thread with kthread_stop(). The
 * wait is TASK_IDLE: a long loop of the other workers is not a hung task.
 */
static int dsaio_worker_thread(void *data)
{
	struct dsaio_worker *w = data;
	struct dsaio_job *job = w->job;
	u32 seen = 0;

	for (;;) {
		wait_event_idle(job->loop_wait,
				READ_ONCE(job->loop_gen) != seen ||
				kthread_should_stop());
		if (kthread_should_stop())
			return 0;
		seen = READ_ONCE(job->loop_gen);
		dsaio_worker_run_loop(w);
		if (atomic_dec_and_test(&job->loop_pending))
			complete(&job->loop_done);
	}
}

/*
 * Controller, between two loops (every worker is at the barrier): fold
 * each worker's loop into its totals and the loop's entry, and time the
 * loop as DeepSpeed does: its wall time goes into E2E, each worker's own
 * busy time into that worker's Task.
 */
static void dsaio_job_end_loop(struct dsaio_job *job, u32 loop)
{
	struct dsaio_stats *l = &job->loops[loop];
	u32 i;

	for (i = 0; i < job->cfg.threads; i++) {
		struct dsaio_worker *w = &job->workers[i];

		dsaio_stats_merge(l, &w->loop);
		dsaio_stats_merge(&w->stats, &w->loop);
		if (w->loop.first_ns)
			w->busy_ns += w->loop.last_ns - w->loop.first_ns;
	}
	if (l->first_ns)
		job->res.e2e_ns += l->last_ns - l->first_ns;
	if (!dsaio_job_stopping(job))
		WRITE_ONCE(job->loops_done, loop + 1);
}

/*
 * Controller: wait for the loop under way, sending a PROGRESS event every
 * progress_ms (@next is the time of the next one, across loops, so short
 * loops do not starve the events).
 */
static void dsaio_job_wait_loop(struct dsaio_job *job, unsigned long *next)
{
	long left;

	for (;;) {
		left = (long)(*next - jiffies);
		if (left <= 0) {
			dsaio_nl_event_progress(job);
			*next = jiffies + msecs_to_jiffies(dsaio_progress_ms);
			continue;
		}
		if (wait_for_completion_timeout(&job->loop_done, left))
			return;
	}
}

/* Controller: start the workers and run the loops in lock-step. */
static void dsaio_job_run_workers(struct dsaio_job *job)
{
	unsigned long next;
	struct task_struct *task;
	u32 i, n, loop;

	for (n = 0; n < job->cfg.threads; n++) {
		struct dsaio_worker *w = &job->workers[n];

		task = kthread_create(dsaio_worker_thread, w, "dsaio/%u:%u",
				      job->id, n);
		if (IS_ERR(task)) {
			dsaio_job_stop(job, DSAIO_JOB_FAILED, PTR_ERR(task));
			goto err_stop_threads;
		}
		get_task_struct(task);
		w->task = task;
	}
	/* Each thread goes straight to the barrier. */
	for (i = 0; i < n; i++)
		wake_up_process(job->workers[i].task);

	job->res.setup_ns = ktime_get_ns() - job->start_ns;
	WRITE_ONCE(job->state, DSAIO_JOB_RUNNING);
	next = jiffies + msecs_to_jiffies(dsaio_progress_ms);
	for (loop = 0; loop < job->cfg.loops; loop++) {
		if (dsaio_job_stopping(job))
			break;
		atomic_set(&job->loop_pending, n);
		reinit_completion(&job->loop_done);
		WRITE_ONCE(job->loop_gen, loop + 1);
		wake_up_all(&job->loop_wait);
		dsaio_job_wait_loop(job, &next);
		dsaio_job_end_loop(job, loop);
	}

err_stop_threads:
	/* Threads never woken exit without running dsaio_worker_thread(). */
	for (i = 0; i < n; i++) {
		kthread_stop(job->workers[i].task);
		put_task_struct(job->workers[i].task);
		job->workers[i].task = NULL;
	}
}

/* Controller: the results, from the workers' own statistics. */
static void dsaio_job_collect(struct dsaio_job *job)
{
	struct dsaio_result *res = &job->res;
	u64 now = ktime_get_ns();
	u32 i, k;

	dsaio_stats_init(&res->total);
	res->first_mismatch = U64_MAX;
	for (i = 0; i < job->cfg.threads; i++) {
		struct dsaio_worker *w = &job->workers[i];

		dsaio_stats_merge(&res->total, &w->stats);
		res->task_ns = max(res->task_ns, w->busy_ns);
		res->bios += w->bios;
		res->mismatches += w->mismatches;
		res->first_mismatch = min(res->first_mismatch,
					  w->first_mismatch);
		for (k = 0; k < w->nr_errnos; k++)
			dsaio_errno_add(res->errnos, &res->nr_errnos,
					w->errnos[k].code, w->errnos[k].count);
		if (res->hist && w->hist) {
			for (k = 0; k < DSAIO_HIST_BUCKETS; k++)
				res->hist[k] += w->hist[k];
		}
	}
	/* A job that ended before its first loop spent it all on set-up. */
	if (!res->setup_ns)
		res->setup_ns = now - job->start_ns;
	WRITE_ONCE(job->end_ns, now);
}

static void dsaio_job_run(struct work_struct *work)
{
	struct dsaio_job *job = container_of(work, struct dsaio_job, work);
	struct dsaio_job *old, *tmp;
	struct sk_buff *done_skb;
	LIST_HEAD(evicted);
	bool setup_ok = true;
	u32 i;
	int ret;

	if (job->cfg.histogram) {
		/* A failure ends the job with -ENOMEM: no splat needed. */
		job->res.hist = kvcalloc(DSAIO_HIST_BUCKETS,
					 sizeof(*job->res.hist),
					 GFP_KERNEL | __GFP_NOWARN);
		if (!job->res.hist) {
			dsaio_job_stop(job, DSAIO_JOB_FAILED, -ENOMEM);
			setup_ok = false;
		}
	}
	for (i = 0; setup_ok && i < job->cfg.threads; i++) {
		ret = dsaio_worker_setup(&job->workers[i]);
		if (ret) {
			dsaio_job_stop(job, DSAIO_JOB_FAILED, ret);
			setup_ok = false;
		}
	}
	if (setup_ok && !dsaio_job_stopping(job))
		dsaio_job_run_workers(job);

	/*
	 * Every bio has completed (the workers reaped all their slots), but
	 * a completion may still be inside its RCU section touching a
	 * worker's wait queue: wait for it before freeing anything.
	 */
	synchronize_rcu();
	dsaio_job_collect(job);
	for (i = 0; i < job->cfg.threads; i++)
		dsaio_worker_release(&job->workers[i]);
	bioset_exit(&job->bioset);
	dsaio_bdev_close(&job->bdev);

	mutex_lock(&dsaio_jobs_lock);
	spin_lock_irq(&job->stop_lock);
	job->state = job->stopping ? job->stop_state : DSAIO_JOB_DONE;
	job->error = job->stopping ? job->stop_error : 0;
	spin_unlock_irq(&job->stop_lock);
	job->ended = true;
	list_add_tail(&job->ended_node, &dsaio_ended);
	dsaio_nr_ended++;
	dsaio_nr_running--;
	dsaio_mem_used -= job->mem_bytes;
	dsaio_jobs_gen++;
	/* Keep at most max_results ended jobs; the oldest go first. */
	list_for_each_entry_safe(old, tmp, &dsaio_ended, ended_node) {
		if (dsaio_nr_ended <= dsaio_max_results)
			break;
		list_del(&old->node);
		list_move_tail(&old->ended_node, &evicted);
		dsaio_nr_ended--;
	}
	done_skb = dsaio_nl_event_done_build(job);
	mutex_unlock(&dsaio_jobs_lock);

	/* The job may be evicted from here on: do not touch it. */
	dsaio_nl_event_send(done_skb);
	list_for_each_entry_safe(old, tmp, &evicted, ended_node)
		dsaio_job_free(old);
}

struct dsaio_job *dsaio_job_find_locked(u32 id)
{
	struct dsaio_job *job;

	lockdep_assert_held(&dsaio_jobs_lock);
	list_for_each_entry(job, &dsaio_jobs, node) {
		if (job->id == id)
			return job;
	}
	return NULL;
}

int dsaio_job_cancel(u32 id)
{
	struct dsaio_job *job;
	int ret = 0;

	mutex_lock(&dsaio_jobs_lock);
	job = dsaio_job_find_locked(id);
	if (!job)
		ret = -ENOENT;
	else if (!job->ended)
		dsaio_job_stop(job, DSAIO_JOB_CANCELLED, 0);
	mutex_unlock(&dsaio_jobs_lock);
	return ret;
}

static int dsaio_job_open(struct dsaio_job *job, struct nlattr **tb,
			  struct netlink_ext_ack *extack)
{
	struct nlattr *path = tb[DSAIO_CFG_DEV_PATH];
	int ret;

	ret = dsaio_bdev_open(&job->bdev, job->cfg.dev_path,
			      job->cfg.op == DSAIO_OP_WRITE, job);
	switch (ret) {
	case 0:
		break;
	case -ENOTBLK:
		NL_SET_ERR_MSG_ATTR(extack, path,
				    "DSAIO_CFG_DEV_PATH: not a block device");
		break;
	case -ENOENT:
		NL_SET_ERR_MSG_ATTR(extack, path,
				    "DSAIO_CFG_DEV_PATH: no such device");
		break;
	case -EBUSY:
		NL_SET_ERR_MSG_ATTR(extack, path,
				    "DSAIO_CFG_DEV_PATH: device busy (mounted, held by dm/md/swap or another writer)");
		break;
	default:
		NL_SET_ERR_MSG_ATTR(extack, path,
				    "DSAIO_CFG_DEV_PATH: cannot open the device");
		break;
	}
	return ret;
}

/* Geometry checks that need the open device; fills in the derived values. */
static int dsaio_job_check(struct dsaio_job *job, struct nlattr **tb,
			   struct nlattr *cfg_attr,
			   struct netlink_ext_ack *extack)
{
	const struct dsaio_job_config *cfg = &job->cfg;
	struct block_device *bdev = job->bdev.bdev;
	struct request_queue *q = bdev_get_queue(bdev);
	u64 size = bdev_nr_bytes(bdev);
	u64 slice, mem = 0;
	u32 i;

	job->lbs = bdev_logical_block_size(bdev);
	if (cfg->block_size % job->lbs) {
		NL_SET_ERR_MSG_ATTR(extack, tb[DSAIO_CFG_BLOCK_SIZE],
				    "DSAIO_CFG_BLOCK_SIZE: not a multiple of the logical block size");
		return -EINVAL;
	}
	if (cfg->io_size % job->lbs) {
		NL_SET_ERR_MSG_ATTR(extack, tb[DSAIO_CFG_IO_SIZE],
				    "DSAIO_CFG_IO_SIZE: not a multiple of the logical block size");
		return -EINVAL;
	}
	if (cfg->offset % job->lbs) {
		NL_SET_ERR_MSG_ATTR(extack, tb[DSAIO_CFG_OFFSET],
				    "DSAIO_CFG_OFFSET: not aligned to the logical block size");
		return -EINVAL;
	}
	if (cfg->offset > size || cfg->io_size > size - cfg->offset) {
		NL_SET_ERR_MSG_ATTR(extack, tb[DSAIO_CFG_IO_SIZE],
				    "DSAIO_CFG_IO_SIZE: region goes past the end of the device");
		return -EINVAL;
	}
	slice = rounddown(div_u64(cfg->io_size, cfg->threads), job->lbs);
	if (!slice) {
		NL_SET_ERR_MSG_ATTR(extack, tb[DSAIO_CFG_THREADS] ?: cfg_attr,
				    "DSAIO_CFG_THREADS: more threads than logical blocks in io_size");
		return -EINVAL;
	}
	for (i = 0; i < cfg->threads; i++) {
		struct dsaio_worker *w = &job->workers[i];

		w->job = job;
		w->index = i;
		w->offset = cfg->offset + i * slice;
		w->length = i + 1 < cfg->threads ? slice :
			    cfg->io_size - i * slice;
		mem += min_t(u64, (u64)cfg->queue_depth * cfg->block_size,
			     w->length);
	}
	if (mem > (u64)dsaio_max_mem_mb << 20) {
		NL_SET_ERR_MSG_ATTR(extack, tb[DSAIO_CFG_QUEUE_DEPTH] ?:
				    tb[DSAIO_CFG_BLOCK_SIZE],
				    "DSAIO_CFG_QUEUE_DEPTH x DSAIO_CFG_BLOCK_SIZE: buffer memory over max_mem_mb");
		return -ENOMEM;
	}
	job->mem_bytes = mem;
	job->max_bio_bytes = rounddown(min_t(u64, (u64)queue_max_sectors(q) <<
					     SECTOR_SHIFT, SZ_1G), job->lbs);
	job->max_bio_vecs = min_t(u32, BIO_MAX_VECS, queue_max_segments(q));
	if (!job->max_bio_bytes || !job->max_bio_vecs) {
		NL_SET_ERR_MSG_ATTR(extack, tb[DSAIO_CFG_DEV_PATH],
				    "DSAIO_CFG_DEV_PATH: device reports unusable I/O limits");
		return -EINVAL;
	}
	return 0;
}

/*
 * JOB_START: every check before any I/O; the device is opened here so a
 * refusal (-ENOTBLK, -EBUSY, geometry) comes back with the request. The
 * buffers are allocated and the I/O run by the controller afterwards.
 */
int dsaio_job_start(const struct dsaio_job_config *cfg, struct nlattr **tb,
		    struct nlattr *cfg_attr, struct genl_info *info, u32 *id)
{
	struct netlink_ext_ack *extack = info->extack;
	struct dsaio_job *job;
	u32 i;
	int ret;

	if (cfg->op == DSAIO_OP_WRITE && !cfg->allow_write) {
		NL_SET_ERR_MSG_ATTR(extack, tb[DSAIO_CFG_OP],
				    "DSAIO_CFG_OP: write needs DSAIO_CFG_ALLOW_WRITE=1");
		return -EPERM;
	}

	job = kzalloc(sizeof(*job), GFP_KERNEL);
	if (!job)
		return -ENOMEM;
	job->start_ns = ktime_get_ns();
	job->cfg = *cfg;
	job->portid = info->snd_portid;
	job->net = genl_info_net(info);
	job->state = DSAIO_JOB_SETUP;
	INIT_LIST_HEAD(&job->ended_node);
	spin_lock_init(&job->stop_lock);
	INIT_WORK(&job->work, dsaio_job_run);
	init_waitqueue_head(&job->loop_wait);
	init_completion(&job->loop_done);

	job->workers = kvcalloc(cfg->threads, sizeof(*job->workers),
				GFP_KERNEL);
	if (!job->workers) {
		ret = -ENOMEM;
		goto err_free_job;
	}
	job->loops = kvcalloc(cfg->loops, sizeof(*job->loops), GFP_KERNEL);
	if (!job->loops) {
		ret = -ENOMEM;
		goto err_free_job;
	}
	for (i = 0; i < cfg->loops; i++)
		dsaio_stats_init(&job->loops[i]);

	ret = dsaio_job_open(job, tb, extack);
	if (ret)
		goto err_free_job;
	ret = dsaio_job_check(job, tb, cfg_attr, extack);
	if (ret)
		goto err_close_bdev;
	/* Each worker holds at most one unsubmitted bio at a time. */
	ret = bioset_init(&job->bioset, max_t(u32, 2 * cfg->threads, 4), 0,
			  BIOSET_NEED_BVECS);
	if (ret)
		goto err_close_bdev;

	mutex_lock(&dsaio_jobs_lock);
	if (dsaio_shutting_down) {
		ret = -ESHUTDOWN;
		NL_SET_ERR_MSG(extack, "dsaio is being unloaded");
		goto err_unlock;
	}
	if (dsaio_nr_running >= dsaio_max_jobs) {
		ret = -EAGAIN;
		NL_SET_ERR_MSG(extack, "max_jobs jobs are already running");
		goto err_unlock;
	}
	if (job->mem_bytes > ((u64)dsaio_max_mem_mb << 20) - dsaio_mem_used) {
		ret = -ENOMEM;
		NL_SET_ERR_MSG_ATTR(extack, tb[DSAIO_CFG_QUEUE_DEPTH] ?:
				    tb[DSAIO_CFG_BLOCK_SIZE],
				    "DSAIO_CFG_QUEUE_DEPTH x DSAIO_CFG_BLOCK_SIZE: buffer memory of running jobs would exceed max_mem_mb");
		goto err_unlock;
	}
	job->id = dsaio_next_id++;
	if (!dsaio_next_id)
		dsaio_next_id = 1;
	dsaio_nr_running++;
	dsaio_mem_used += job->mem_bytes;
	list_add_tail(&job->node, &dsaio_jobs);
	dsaio_jobs_gen++;
	*id = job->id;
	queue_work(dsaio_wq, &job->work);
	mutex_unlock(&dsaio_jobs_lock);
	return 0;

err_unlock:
	mutex_unlock(&dsaio_jobs_lock);
	bioset_exit(&job->bioset);
err_close_bdev:
	dsaio_bdev_close(&job->bdev);
err_free_job:
	dsaio_job_free(job);
	return ret;
}

/* A closed netlink socket cancels the running jobs it started. */
static int dsaio_netlink_event(struct notifier_block *nb, unsigned long event,
			       void *ptr)
{
	struct netlink_notify *n = ptr;
	struct dsaio_job *job;

	if (event != NETLINK_URELEASE || n->protocol != NETLINK_GENERIC ||
	    !n->portid)
		return NOTIFY_DONE;
	mutex_lock(&dsaio_jobs_lock);
	list_for_each_entry(job, &dsaio_jobs, node) {
		if (!job->ended && job->portid == n->portid &&
		    net_eq(job->net, n->net))
			dsaio_job_stop(job, DSAIO_JOB_CANCELLED, 0);
	}
	mutex_unlock(&dsaio_jobs_lock);
	return NOTIFY_DONE;
}

static struct notifier_block dsaio_netlink_notifier = {
	.notifier_call = dsaio_netlink_event,
};

int dsaio_jobs_init(void)
{
	int ret;

	/* Controllers are long-running: an unbound queue, one per job. */
	dsaio_wq = alloc_workqueue("dsaio", WQ_UNBOUND, dsaio_max_jobs);
	if (!dsaio_wq)
		return -ENOMEM;
	ret = netlink_register_notifier(&dsaio_netlink_notifier);
	if (ret)
		goto err_destroy_wq;
	return 0;

err_destroy_wq:
	destroy_workqueue(dsaio_wq);
	return ret;
}

/*
 * Module unload, first step (the netlink family is still registered so
 * DONE events can go out): refuse new jobs, cancel the running ones and
 * wait for their controllers, which wait for every worker and bio.
 */
void dsaio_jobs_shutdown(void)
{
	struct dsaio_job *job;

	mutex_lock(&dsaio_jobs_lock);
	dsaio_shutting_down = true;
	list_for_each_entry(job, &dsaio_jobs, node) {
		if (!job->ended)
			dsaio_job_stop(job, DSAIO_JOB_CANCELLED, 0);
	}
	mutex_unlock(&dsaio_jobs_lock);
	flush_workqueue(dsaio_wq);
}

void dsaio_jobs_exit(void)
{
	struct dsaio_job *job, *tmp;

	netlink_unregister_notifier(&dsaio_netlink_notifier);
	destroy_workqueue(dsaio_wq);
	list_for_each_entry_safe(job, tmp, &dsaio_jobs, node) {
		list_del(&job->node);
		dsaio_job_free(job);
	}
}
