// SPDX-License-Identifier: GPL-2.0
/*
 * Jobs: validation and set-up at JOB_START, the registry, the controller
 * that runs each job's workers in lock-step loops, cancellation, ownership
 * by the starting netlink socket and retention of ended jobs.
 */
#include <linux/cred.h>
#include <linux/fs.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/netlink.h>
#include <linux/notifier.h>
#include <linux/overflow.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/timekeeping.h>
#include <net/net_namespace.h>

#include "job.h"
#include "params.h"

/* The tracepoints are defined here: this file knows the job's layout. */
#define CREATE_TRACE_POINTS
#include "trace.h"

/*
 * The registry. dsaio_jobs_lock protects both lists, the ended state of
 * every job, the counters below and dsaio_jobs_gen, which changes whenever
 * a job is added, ends or is dropped.
 */
static DEFINE_MUTEX(dsaio_jobs_lock);
static LIST_HEAD(dsaio_jobs);		/* every job, ascending id */
static LIST_HEAD(dsaio_ended);		/* ended jobs, oldest end first */
static unsigned int dsaio_jobs_gen = 1;
static u32 dsaio_nr_ended;
static u32 dsaio_nr_running;
static u64 dsaio_mem_used;		/* bytes reserved by running jobs */
static u32 dsaio_next_id = 1;

static struct workqueue_struct *dsaio_wq;
static const struct dsaio_job_events *dsaio_events;

void dsaio_job_stop(struct dsaio_job *job, u8 state, int error)
{
	unsigned long flags;

	spin_lock_irqsave(&job->stop_lock, flags);
	if (!job->io.stopping) {
		job->stop_state = state;
		job->stop_error = error;
		WRITE_ONCE(job->io.stopping, true);
	}
	spin_unlock_irqrestore(&job->stop_lock, flags);
}

/* Target @i failed: it keeps its first error, the job fails. */
static void dsaio_job_target_failed(struct dsaio_job *job, u32 i, int error)
{
	cmpxchg(&job->tgt[i].error, 0, error);
	dsaio_job_stop(job, DSAIO_JOB_FAILED, error);
}

/* The engine's I/O error: the job fails with the first one. */
static void dsaio_job_io_failed(struct dsaio_io *io, struct dsaio_target *t,
				int error)
{
	struct dsaio_job *job = container_of(io, struct dsaio_job, io);

	dsaio_job_target_failed(job, t - job->targets, error);
}

u64 dsaio_job_target_bytes_done(struct dsaio_job *job, u32 i)
{
	/* Target i's workers are i * threads up to the next target's. */
	u32 w, end = (i + 1) * job->cfg.threads;
	u64 bytes = 0;

	for (w = i * job->cfg.threads; w < end; w++)
		bytes += READ_ONCE(job->workers[w].bytes_done);
	return bytes;
}

void dsaio_job_progress(struct dsaio_job *job, struct dsaio_job_progress *p)
{
	u32 i;

	p->bytes_done = 0;
	for (i = 0; i < job->nr_workers; i++)
		p->bytes_done += READ_ONCE(job->workers[i].bytes_done);
	p->bytes_total = job->cfg.io_size * job->nr_targets *
			 (job->cfg.warmup_loops + job->cfg.loops);
	p->loops_done = READ_ONCE(job->loops_done);
	p->elapsed_ns = (READ_ONCE(job->end_ns) ?: ktime_get_ns()) -
			job->start_ns;
}

static void dsaio_job_free(struct dsaio_job *job)
{
	kfree(job->targets);
	kvfree(job->tgt);
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
	struct dsaio_job *job = container_of(w->io, struct dsaio_job, io);
	const struct cred *old = NULL;
	u32 seen = 0;

	/*
	 * A file's blocks are allocated as the requester's: its quota, and
	 * no dip into the blocks a filesystem keeps for root.
	 */
	if (w->target->cred)
		old = override_creds(w->target->cred);
	for (;;) {
		wait_event_idle(job->loop_wait,
				READ_ONCE(job->loop_gen) != seen ||
				kthread_should_stop());
		if (kthread_should_stop())
			break;
		seen = READ_ONCE(job->loop_gen);
		dsaio_worker_run_loop(w);
		if (atomic_dec_and_test(&job->loop_pending))
			complete(&job->loop_done);
	}
	if (old)
		revert_creds(old);
	return 0;
}

/*
 * Controller, between two loops (every worker is at the barrier): fold
 * each worker's loop into its totals and the loop's entry, and time the
 * loop as DeepSpeed does: its wall time goes into E2E, each worker's own
 * time into that worker's Task. Both clocks start at the loop's release,
 * as DeepSpeed's start before its handle hands the work to its threads:
 * a worker that gets a CPU late is late in its own time too, not only in
 * the wall time. Each target's own wall time goes into its E2E. A warm-up
 * loop is forgotten instead.
 */
static void dsaio_job_end_loop(struct dsaio_job *job, u32 loop)
{
	u32 warmup = job->cfg.warmup_loops, i;
	struct dsaio_stats *l;
	u64 last[DSAIO_TARGETS_MAX] = {};

	if (!dsaio_job_stopping(job))
		WRITE_ONCE(job->loops_done, loop + 1);
	if (loop < warmup) {
		for (i = 0; i < job->nr_workers; i++)
			dsaio_worker_forget_loop(&job->workers[i]);
		return;
	}
	l = &job->loops[loop - warmup];
	for (i = 0; i < job->nr_workers; i++) {
		struct dsaio_worker *w = &job->workers[i];
		u32 t = i / job->cfg.threads;

		dsaio_stats_merge(l, &w->loop);
		dsaio_stats_merge(&w->stats, &w->loop);
		if (w->loop.first_ns) {
			w->busy_ns += w->loop.last_ns - job->loop_release_ns;
			last[t] = max(last[t], w->loop.last_ns);
		}
	}
	for (i = 0; i < job->nr_targets; i++) {
		if (last[i])
			job->tgt[i].res.e2e_ns += last[i] - job->loop_release_ns;
	}
	if (l->first_ns) {
		l->first_ns = job->loop_release_ns;	/* the loop's start */
		job->res.e2e_ns += l->last_ns - l->first_ns;
	}
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
			dsaio_events->progress(job);
			*next = jiffies + msecs_to_jiffies(dsaio_progress_ms);
			continue;
		}
		if (wait_for_completion_timeout(&job->loop_done, left))
			return;
	}
}

/* Controller, between loops (not timed): each target's next loop. */
static int dsaio_job_next_loop(struct dsaio_job *job)
{
	u32 i;
	int ret;

	for (i = 0; i < job->nr_targets; i++) {
		ret = dsaio_target_next_loop(&job->targets[i]);
		if (ret) {
			dsaio_job_target_failed(job, i, ret);
			return ret;
		}
	}
	return 0;
}

/* Controller, at set-up (not timed): get each target ready. */
static int dsaio_job_prepare(struct dsaio_job *job)
{
	u32 i;
	int ret;

	for (i = 0; i < job->nr_targets; i++) {
		ret = dsaio_target_prepare(&job->targets[i], &job->io);
		if (ret) {
			dsaio_job_target_failed(job, i, ret);
			return ret;
		}
	}
	return 0;
}

/* Controller: start the workers and run the loops in lock-step. */
static void dsaio_job_run_workers(struct dsaio_job *job)
{
	unsigned long next;
	struct task_struct *task;
	u32 i, n, loop;

	for (n = 0; n < job->nr_workers; n++) {
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
	for (loop = 0; loop < job->cfg.warmup_loops + job->cfg.loops; loop++) {
		if (dsaio_job_stopping(job))
			break;
		/* Every worker is at the barrier: the target may change. */
		if (loop) {
			/* It fails the job, naming the target. */
			if (dsaio_job_next_loop(job))
				break;
		}
		atomic_set(&job->loop_pending, n);
		reinit_completion(&job->loop_done);
		job->loop_release_ns = ktime_get_ns();
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

/* Adds worker @w's statistics to @res (Task: the longest worker). */
static void dsaio_result_add(struct dsaio_result *res,
			     const struct dsaio_worker *w)
{
	u32 k;

	dsaio_stats_merge(&res->total, &w->stats);
	res->task_ns = max(res->task_ns, w->busy_ns);
	res->bios += w->bios;
	res->polled += w->polled;
	res->mismatches += w->mismatches;
	res->first_mismatch = min(res->first_mismatch, w->first_mismatch);
	for (k = 0; k < w->nr_errnos; k++)
		dsaio_errno_add(res->errnos, &res->nr_errnos,
				w->errnos[k].code, w->errnos[k].count);
	if (res->hist && w->hist) {
		for (k = 0; k < DSAIO_HIST_BUCKETS; k++)
			res->hist[k] += w->hist[k];
	}
}

/* Controller: the results, from the workers' own statistics. */
static void dsaio_job_collect(struct dsaio_job *job)
{
	struct dsaio_result *res = &job->res;
	u64 now = ktime_get_ns();
	u32 i;

	dsaio_stats_init(&res->total);
	res->first_mismatch = U64_MAX;
	for (i = 0; i < job->nr_targets; i++) {
		dsaio_stats_init(&job->tgt[i].res.total);
		job->tgt[i].res.first_mismatch = U64_MAX;
	}
	for (i = 0; i < job->nr_workers; i++) {
		struct dsaio_worker *w = &job->workers[i];

		dsaio_result_add(res, w);
		dsaio_result_add(&job->tgt[i / job->cfg.threads].res, w);
	}
	/* A job that ended before its first loop spent it all on set-up. */
	if (!res->setup_ns)
		res->setup_ns = now - job->start_ns;
	/* Every buffer is made at set-up: its peak is final by now. */
	res->buf_bytes = atomic64_read(&job->io.buf_peak);
	WRITE_ONCE(job->end_ns, now);
}

/* Releases the first @n targets (engine state, then the target). */
static void dsaio_job_close_targets(struct dsaio_job *job, u32 n)
{
	while (n--) {
		struct dsaio_target *t = &job->targets[n];

		if (t->engine->exit)
			t->engine->exit(t);
		dsaio_target_release(t);
	}
}

/*
 * The job's I/O resources: buffers, slots, engine state, the targets;
 * only once no request is in flight (no worker's inflight). A completion may
 * still be inside its RCU section touching a worker or the io context:
 * wait for it first.
 */
static void dsaio_job_release_io(struct dsaio_job *job)
{
	u32 i;

	synchronize_rcu();
	for (i = 0; i < job->nr_workers; i++)
		dsaio_worker_release(&job->workers[i]);
	dsaio_job_close_targets(job, job->nr_targets);
}

/*
 * Controller, once the workers have left: how many requests the device
 * still holds, those the workers left at the end of DSAIO_STOP_GRACE
 * and that have not completed since.
 */
static u32 dsaio_job_held(struct dsaio_job *job)
{
	u32 i, held = 0;

	for (i = 0; i < job->nr_workers; i++)
		held += dsaio_worker_left(&job->workers[i]);
	return held;
}

u32 dsaio_job_inflight(const struct dsaio_job *job)
{
	u32 i, n = 0;

	for (i = 0; i < job->nr_workers; i++)
		n += READ_ONCE(job->workers[i].inflight);
	return n;
}

/*
 * The rest of a job that ended while the device held some of its
 * requests: wait as long as it takes for the last one (TASK_IDLE: a
 * suspended device is not a hung task), then release what they used.
 * The job's cancel, its socket's close and its controller are over by
 * then; only this waits.
 */
static void dsaio_job_drain(struct dsaio_job *job)
{
	bool evicted;
	u32 i;

	for (i = 0; i < job->nr_workers; i++)
		dsaio_worker_drain_left(&job->workers[i]);
	dsaio_job_release_io(job);
	mutex_lock(&dsaio_jobs_lock);
	job->draining = false;
	dsaio_mem_used -= job->mem_bytes;
	dsaio_jobs_gen++;
	evicted = job->evicted;
	mutex_unlock(&dsaio_jobs_lock);
	pr_info("dsaio: job %u: the device ended its last request\n", job->id);
	if (evicted)
		dsaio_job_free(job);
}

static int dsaio_job_reaper(void *data)
{
	dsaio_job_drain(data);
	/*
	 * The job's module reference, taken over from its controller, is
	 * dropped by the kernel's code, which never returns here: after a
	 * module_put() of our own, rmmod could free this code while the
	 * thread still runs it.
	 */
	module_put_and_kthread_exit(0);
}

/*
 * The job ended with @held requests still in the device. A thread of its
 * own (the reaper) waits for them with the job's module reference, so
 * rmmod fails at once ("in use") rather than wait for a device that may
 * never answer, and no other thread waits. Without memory for a thread,
 * the controller waits itself; its module_put() is safe then, as the
 * unload waits for this work to return (dsaio_jobs_shutdown()).
 */
static void dsaio_job_hand_off(struct dsaio_job *job, u32 held)
{
	struct task_struct *task;

	pr_info("dsaio: job %u ended with %u requests held by the device; its buffers stay until they end\n",
		job->id, held);
	task = kthread_run(dsaio_job_reaper, job, "dsaio/%u:held", job->id);
	if (!IS_ERR(task))
		return;
	dsaio_job_drain(job);
	module_put(THIS_MODULE);
}

static void dsaio_job_run(struct work_struct *work)
{
	struct dsaio_job *job = container_of(work, struct dsaio_job, work);
	struct dsaio_job *old, *tmp;
	LIST_HEAD(evicted);
	void *done_msg;
	bool setup_ok = true;
	u32 i, held;
	int ret;

	trace_dsaio_job_start(job);
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
	for (i = 0; setup_ok && i < job->nr_workers; i++) {
		ret = dsaio_worker_setup(&job->workers[i]);
		if (ret) {
			dsaio_job_target_failed(job, i / job->cfg.threads, ret);
			setup_ok = false;
		}
	}
	/* A failure there fails the job, naming the target. */
	if (setup_ok && !dsaio_job_prepare(job) && !dsaio_job_stopping(job))
		dsaio_job_run_workers(job);

	/*
	 * The workers have left. Requests the device still holds keep their
	 * buffers and targets, released by dsaio_job_hand_off() afterwards;
	 * the job ends now all the same.
	 */
	held = dsaio_job_held(job);
	dsaio_job_collect(job);
	if (!held)
		dsaio_job_release_io(job);

	mutex_lock(&dsaio_jobs_lock);
	spin_lock_irq(&job->stop_lock);
	job->state = job->io.stopping ? job->stop_state : DSAIO_JOB_DONE;
	job->error = job->io.stopping ? job->stop_error : 0;
	spin_unlock_irq(&job->stop_lock);
	/* A target ends as the job, unless its own error ended it. */
	for (i = 0; i < job->nr_targets; i++) {
		struct dsaio_job_target *jt = &job->tgt[i];

		if (jt->error)
			jt->state = DSAIO_JOB_FAILED;
		else if (job->state == DSAIO_JOB_DONE)
			jt->state = DSAIO_JOB_DONE;
		else
			jt->state = DSAIO_JOB_CANCELLED;
	}
	job->ended = true;
	job->draining = held;
	/*
	 * The reference dsaio_job_start() took ends with the job, in the
	 * section that makes the end visible: whoever sees it ended may
	 * unload the module at once (the unload waits for the rest of this
	 * function). A draining job's reaper takes the reference over.
	 */
	if (!held)
		module_put(THIS_MODULE);
	trace_dsaio_job_end(job);
	list_add_tail(&job->ended_node, &dsaio_ended);
	dsaio_nr_ended++;
	dsaio_nr_running--;
	/* A draining job's buffers count until they are freed. */
	if (!held)
		dsaio_mem_used -= job->mem_bytes;
	dsaio_jobs_gen++;
	/*
	 * Keep at most max_results ended jobs; the oldest go first. A
	 * draining one leaves the registry, and its reaper frees it.
	 */
	list_for_each_entry_safe(old, tmp, &dsaio_ended, ended_node) {
		if (dsaio_nr_ended <= dsaio_max_results)
			break;
		list_del(&old->node);
		dsaio_nr_ended--;
		if (old->draining) {
			list_del_init(&old->ended_node);
			old->evicted = true;
			continue;
		}
		list_move_tail(&old->ended_node, &evicted);
	}
	done_msg = dsaio_events->ended(job);
	mutex_unlock(&dsaio_jobs_lock);

	/*
	 * The job may be evicted from here on: do not touch it, unless it
	 * drains (then only its reaper frees it).
	 */
	dsaio_events->deliver(done_msg);
	list_for_each_entry_safe(old, tmp, &evicted, ended_node)
		dsaio_job_free(old);
	if (held)
		dsaio_job_hand_off(job, held);
}

static struct dsaio_job *dsaio_job_find_locked(u32 id)
{
	struct dsaio_job *job;

	lockdep_assert_held(&dsaio_jobs_lock);
	list_for_each_entry(job, &dsaio_jobs, node) {
		if (job->id == id)
			return job;
	}
	return NULL;
}

int dsaio_job_with(u32 id, int (*fn)(struct dsaio_job *job, void *arg),
		   void *arg)
{
	struct dsaio_job *job;
	int ret = -ENOENT;

	mutex_lock(&dsaio_jobs_lock);
	job = dsaio_job_find_locked(id);
	if (job)
		ret = fn(job, arg);
	mutex_unlock(&dsaio_jobs_lock);
	return ret;
}

void dsaio_jobs_walk(u32 after, unsigned int *gen,
		     int (*fn)(struct dsaio_job *job, void *arg), void *arg)
{
	struct dsaio_job *job;

	mutex_lock(&dsaio_jobs_lock);
	*gen = dsaio_jobs_gen;
	list_for_each_entry(job, &dsaio_jobs, node) {
		if (job->id > after && fn(job, arg))
			break;
	}
	mutex_unlock(&dsaio_jobs_lock);
}

static int dsaio_job_cancel_locked(struct dsaio_job *job, void *arg)
{
	if (!job->ended)
		dsaio_job_stop(job, DSAIO_JOB_CANCELLED, 0);
	return 0;
}

int dsaio_job_cancel(u32 id)
{
	return dsaio_job_with(id, dsaio_job_cancel_locked, NULL);
}

/* Refuse @req: a sentence for the user and the attribute it is about. */
#define dsaio_refuse(req, attr, msg) do {				\
	struct dsaio_job_request *__req = (req);			\
									\
	NL_SET_ERR_MSG(__req->extack, msg);				\
	__req->bad_attr = (attr);					\
} while (0)

/*
 * Refuse @req because of target @i. In a job given DSAIO_CFG_TARGETS the
 * refusal is about that entry: the sentence names it (compat.h) and the
 * netlink layer points at it. A single target's refusal is as it always
 * was. @why lives as long as the module (a literal or a type's table).
 */
static void dsaio_refuse_target(struct dsaio_job *job,
				struct dsaio_job_request *req, u32 i, int attr,
				const char *why)
{
	/* The entry names the device or directory: no need to say so. */
	static const char *const named[] = {
		"DSAIO_CFG_DEV_PATH: ", "DSAIO_CFG_DIR: ",
	};
	size_t n;
	u32 k;

	req->bad_attr = attr;
	if (!job->cfg.nr_targets) {
		/* Not a literal, so set as netlink_config.c does. */
		if (why && req->extack)
			req->extack->_msg = why;
		return;
	}
	req->bad_target = i;
	if (!why)
		return;
	for (k = 0; k < ARRAY_SIZE(named); k++) {
		n = str_has_prefix(why, named[k]);
		if (n) {
			why += n;
			break;
		}
	}
	dsaio_extack_target(req->extack, i, why);
}

/*
 * Opens target @i, a device or a file in a directory, in the requester's
 * context, with the engine's per-target state.
 */
static int dsaio_job_open_one(struct dsaio_job *job,
			      struct dsaio_job_request *req, u32 i)
{
	const struct dsaio_job_config *cfg = &job->cfg;
	struct dsaio_job_target *jt = &job->tgt[i];
	struct dsaio_target *t = &job->targets[i];
	struct dsaio_target_args a = {
		.path = jt->cfg.path,
		.write = cfg->op == DSAIO_OP_WRITE,
		.raw_write = req->raw_write,
		.holder = job,
		.id = job->id,
		.indexed = cfg->nr_targets,
		.index = i,
		.size = jt->cfg.offset + cfg->io_size,
		.overwrite = cfg->overwrite,
		.keep = cfg->keep_files,
	};
	int ret;

	ret = dsaio_target_open(t, jt->cfg.kind, &a);
	if (ret) {
		dsaio_refuse_target(job, req, i, a.why_attr, a.why);
		return ret;
	}
	jt->info = t->info;
	/* Each worker holds at most one unsubmitted request at a time. */
	ret = t->engine->init ? t->engine->init(t, cfg->threads) : 0;
	if (ret)
		dsaio_target_release(t);
	return ret;
}

/* Opens every target in order; on a refusal, none stays open. */
static int dsaio_job_open(struct dsaio_job *job, struct dsaio_job_request *req)
{
	u32 i;
	int ret;

	for (i = 0; i < job->nr_targets; i++) {
		ret = dsaio_job_open_one(job, req, i);
		if (ret) {
			dsaio_job_close_targets(job, i);
			return ret;
		}
	}
	return 0;
}

/*
 * Geometry checks of target @i against what was opened; slices its
 * region for its workers and adds their buffers to *mem.
 */
static int dsaio_job_check_one(struct dsaio_job *job,
			       struct dsaio_job_request *req, u32 i, u64 *mem)
{
	const struct dsaio_job_config *cfg = &job->cfg;
	struct dsaio_target *t = &job->targets[i];
	u64 offset = job->tgt[i].cfg.offset, slice;
	u32 k, first = i * cfg->threads;

	if (cfg->block_size % t->lbs) {
		dsaio_refuse_target(job, req, i, DSAIO_CFG_BLOCK_SIZE,
				    "DSAIO_CFG_BLOCK_SIZE: not a multiple of the logical block size");
		return -EINVAL;
	}
	if (cfg->io_size % t->lbs) {
		dsaio_refuse_target(job, req, i, DSAIO_CFG_IO_SIZE,
				    "DSAIO_CFG_IO_SIZE: not a multiple of the logical block size");
		return -EINVAL;
	}
	if (offset % t->lbs) {
		dsaio_refuse_target(job, req, i, DSAIO_CFG_OFFSET,
				    "DSAIO_CFG_OFFSET: not aligned to the logical block size");
		return -EINVAL;
	}
	if (offset > t->size || cfg->io_size > t->size - offset) {
		dsaio_refuse_target(job, req, i, DSAIO_CFG_IO_SIZE,
				    "DSAIO_CFG_IO_SIZE: region goes past the end of the device");
		return -EINVAL;
	}
	slice = rounddown(div_u64(cfg->io_size, cfg->threads), t->lbs);
	if (!slice) {
		dsaio_refuse_target(job, req, i, DSAIO_CFG_THREADS,
				    "DSAIO_CFG_THREADS: more threads than logical blocks in io_size");
		return -EINVAL;
	}
	if (cfg->poll && !dsaio_bdev_can_poll(t->bdev)) {
		dsaio_refuse_target(job, req, i, DSAIO_CFG_POLL,
				    "DSAIO_CFG_POLL: the device has no poll queues (null_blk poll_queues=, nvme.poll_queues=)");
		return -EOPNOTSUPP;
	}
	/*
	 * A polled bio is only ever reaped by a poll: a worker asleep in
	 * submit_bio() waiting for a tag would wait for the block layer's
	 * timeout. So every bio in flight must fit the device's requests.
	 */
	if (cfg->poll &&
	    (u64)cfg->threads * cfg->queue_depth *
	    DIV_ROUND_UP(cfg->block_size, t->max_io_bytes) >
	    dsaio_bdev_nr_requests(t->bdev)) {
		dsaio_refuse_target(job, req, i, DSAIO_CFG_QUEUE_DEPTH,
				    "DSAIO_CFG_POLL: threads x queue_depth x bios per request over the device's nr_requests");
		return -EINVAL;
	}
	for (k = 0; k < cfg->threads; k++) {
		struct dsaio_worker *w = &job->workers[first + k];

		w->io = &job->io;
		w->target = t;
		w->index = first + k;
		w->offset = offset + k * slice;
		w->length = k + 1 < cfg->threads ? slice :
			    cfg->io_size - k * slice;
		*mem += min_t(u64, (u64)cfg->queue_depth * cfg->block_size,
			      w->length);
	}
	return 0;
}

/*
 * Two entries may share a device only on regions apart, as DeepSpeed's
 * `threads` handles each take a slice of it. A file target's regions are
 * in files of their own.
 */
static int dsaio_job_check_overlap(struct dsaio_job *job,
				   struct dsaio_job_request *req)
{
	u64 size = job->cfg.io_size, a, b;
	u32 i, k;

	for (i = 1; i < job->nr_targets; i++) {
		if (job->tgt[i].cfg.kind != DSAIO_TARGET_BDEV)
			continue;
		for (k = 0; k < i; k++) {
			if (job->targets[i].bdev != job->targets[k].bdev)
				continue;
			a = job->tgt[i].cfg.offset;
			b = job->tgt[k].cfg.offset;
			if (a < b + size && b < a + size) {
				dsaio_refuse_target(job, req, i, DSAIO_CFG_TARGETS,
						    "DSAIO_TCFG_OFFSET: overlaps an entry on the same device");
				return -EINVAL;
			}
		}
	}
	return 0;
}

/* Geometry checks against the open targets; slices the regions. */
static int dsaio_job_check(struct dsaio_job *job, struct dsaio_job_request *req)
{
	u64 mem = 0;
	u32 i;
	int ret;

	for (i = 0; i < job->nr_targets; i++) {
		ret = dsaio_job_check_one(job, req, i, &mem);
		if (ret)
			return ret;
	}
	ret = dsaio_job_check_overlap(job, req);
	if (ret)
		return ret;
	if (mem > (u64)dsaio_max_mem_mb << 20) {
		dsaio_refuse(req, DSAIO_CFG_QUEUE_DEPTH,
			     "DSAIO_CFG_QUEUE_DEPTH x DSAIO_CFG_BLOCK_SIZE: buffer memory over max_mem_mb");
		return -ENOMEM;
	}
	job->mem_bytes = mem;
	return 0;
}

/* The engine's view of the configuration. */
static void dsaio_job_io_init(struct dsaio_io *io,
			      const struct dsaio_job_config *cfg)
{
	io->op = cfg->op;
	io->single_submit = cfg->single_submit;
	io->overlap_events = cfg->overlap_events;
	io->validate = cfg->validate;
	io->histogram = cfg->histogram;
	io->poll = cfg->poll;
	io->random = cfg->random;
	io->block_size = cfg->block_size;
	io->queue_depth = cfg->queue_depth;
	io->seed = cfg->seed;
	io->failed = dsaio_job_io_failed;
	atomic64_set(&io->buf_held, 0);
	atomic64_set(&io->buf_peak, 0);
}

/*
 * Which targets, and what they allow: a device (DEV_PATH), a file in a
 * directory (DIR) or a list of either kind (TARGETS, whose entries
 * netlink_config.c checked), exactly one of the three. Only a device
 * write is destructive, so only it needs ALLOW_WRITE; the file options
 * need files.
 */
static int dsaio_job_check_target(struct dsaio_job_request *req)
{
	const struct dsaio_job_config *cfg = req->cfg;
	bool file = cfg->nr_targets ?
		    cfg->targets[0].kind == DSAIO_TARGET_FILE : cfg->dir[0];
	u64 offset = cfg->offset, bytes;
	u32 i, n = cfg->nr_targets ?: 1;

	if (cfg->nr_targets && (cfg->dev_path[0] || cfg->dir[0])) {
		dsaio_refuse(req, DSAIO_CFG_TARGETS,
			     "DSAIO_CFG_TARGETS excludes DSAIO_CFG_DEV_PATH and DSAIO_CFG_DIR");
		return -EINVAL;
	}
	if (cfg->dev_path[0] && cfg->dir[0]) {
		dsaio_refuse(req, DSAIO_CFG_DIR,
			     "DSAIO_CFG_DEV_PATH and DSAIO_CFG_DIR exclude each other");
		return -EINVAL;
	}
	if (!cfg->nr_targets && !cfg->dev_path[0] && !cfg->dir[0]) {
		dsaio_refuse(req, DSAIO_CFG_DEV_PATH,
			     "DSAIO_CFG_DEV_PATH (a device), DSAIO_CFG_DIR (a directory) or DSAIO_CFG_TARGETS is required");
		return -EINVAL;
	}
	/*
	 * DSAIO_PROG_BYTES_TOTAL and the result's byte counts are this
	 * product: it must not wrap. (Each factor is checked: a u64 io_size
	 * is the caller's.)
	 */
	if (check_mul_overflow(cfg->io_size, (u64)n, &bytes) ||
	    check_mul_overflow(bytes, (u64)cfg->warmup_loops + cfg->loops,
			       &bytes)) {
		dsaio_refuse(req, DSAIO_CFG_IO_SIZE,
			     "DSAIO_CFG_IO_SIZE x targets x (DSAIO_CFG_LOOPS + DSAIO_CFG_WARMUP_LOOPS): more than 2^64 - 1 bytes in all");
		return -EINVAL;
	}
	if ((u64)cfg->threads * n > dsaio_max_threads) {
		dsaio_refuse(req, DSAIO_CFG_THREADS,
			     "DSAIO_CFG_THREADS x targets: more workers than max_threads");
		return -EINVAL;
	}
	if (!file && cfg->op == DSAIO_OP_WRITE && !cfg->allow_write) {
		dsaio_refuse(req, DSAIO_CFG_OP,
			     "DSAIO_CFG_OP: write needs DSAIO_CFG_ALLOW_WRITE=1");
		return -EPERM;
	}
	for (i = 0; i < cfg->nr_targets; i++)
		offset = max(offset, cfg->targets[i].offset);
	if (file && (offset > MAX_LFS_FILESIZE ||
		     cfg->io_size > MAX_LFS_FILESIZE - offset)) {
		dsaio_refuse(req, DSAIO_CFG_IO_SIZE,
			     "DSAIO_CFG_IO_SIZE: offset + io_size is more than a file can hold");
		return -EFBIG;
	}
	if (!file && (cfg->overwrite || cfg->keep_files)) {
		dsaio_refuse(req, cfg->overwrite ? DSAIO_CFG_OVERWRITE :
				  DSAIO_CFG_KEEP_FILES,
			     "DSAIO_CFG_OVERWRITE and DSAIO_CFG_KEEP_FILES need DSAIO_CFG_DIR");
		return -EINVAL;
	}
	/* A file's bios are the filesystem's: nothing for the worker to poll. */
	if (file && cfg->poll) {
		dsaio_refuse(req, DSAIO_CFG_POLL,
			     "DSAIO_CFG_POLL: polled mode needs block device targets, not DSAIO_CFG_DIR");
		return -EINVAL;
	}
	return 0;
}

/* What each target asks for: the entries, or the one DEV_PATH or DIR. */
static void dsaio_job_target_cfgs(struct dsaio_job *job)
{
	const struct dsaio_job_config *cfg = &job->cfg;
	struct dsaio_job_target_cfg *tc = &job->tgt[0].cfg;
	u32 i;

	if (cfg->nr_targets) {
		for (i = 0; i < cfg->nr_targets; i++)
			job->tgt[i].cfg = cfg->targets[i];
		return;
	}
	tc->kind = cfg->dir[0] ? DSAIO_TARGET_FILE : DSAIO_TARGET_BDEV;
	strscpy(tc->path, cfg->dir[0] ? cfg->dir : cfg->dev_path,
		sizeof(tc->path));
	tc->offset = cfg->offset;
}

/*
 * JOB_START: every check before any I/O; the targets are opened here so
 * a refusal (-ENOTBLK, -EBUSY, geometry) comes back with the request. The
 * buffers are allocated and the I/O run by the controller afterwards.
 */
int dsaio_job_start(struct dsaio_job_request *req, u32 *id)
{
	const struct dsaio_job_config *cfg = req->cfg;
	struct dsaio_job *job;
	u32 i;
	int ret;

	req->bad_target = -1;
	ret = dsaio_job_check_target(req);
	if (ret)
		return ret;

	job = kzalloc(sizeof(*job), GFP_KERNEL);
	if (!job)
		return -ENOMEM;
	job->start_ns = ktime_get_ns();
	/* Now, not at the end: a file target's names carry the id. */
	mutex_lock(&dsaio_jobs_lock);
	job->id = dsaio_next_id++;
	if (!dsaio_next_id)
		dsaio_next_id = 1;
	mutex_unlock(&dsaio_jobs_lock);
	job->cfg = *cfg;
	job->portid = req->portid;
	job->net = req->net;
	job->state = DSAIO_JOB_SETUP;
	dsaio_job_io_init(&job->io, cfg);
	job->io.id = job->id;
	INIT_LIST_HEAD(&job->ended_node);
	spin_lock_init(&job->stop_lock);
	INIT_WORK(&job->work, dsaio_job_run);
	init_waitqueue_head(&job->loop_wait);
	init_completion(&job->loop_done);

	job->nr_targets = cfg->nr_targets ?: 1;
	job->nr_workers = job->nr_targets * cfg->threads;
	job->targets = kcalloc(job->nr_targets, sizeof(*job->targets),
			       GFP_KERNEL);
	if (!job->targets) {
		ret = -ENOMEM;
		goto err_free_job;
	}
	job->tgt = kvcalloc(job->nr_targets, sizeof(*job->tgt), GFP_KERNEL);
	if (!job->tgt) {
		ret = -ENOMEM;
		goto err_free_job;
	}
	dsaio_job_target_cfgs(job);
	job->workers = kvcalloc(job->nr_workers, sizeof(*job->workers),
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

	ret = dsaio_job_open(job, req);
	if (ret)
		goto err_free_job;
	ret = dsaio_job_check(job, req);
	if (ret)
		goto err_close_targets;

	mutex_lock(&dsaio_jobs_lock);
	if (dsaio_nr_running >= dsaio_max_jobs) {
		ret = -EAGAIN;
		NL_SET_ERR_MSG(req->extack, "max_jobs jobs are already running");
		goto err_unlock;
	}
	if (job->mem_bytes > ((u64)dsaio_max_mem_mb << 20) - dsaio_mem_used) {
		ret = -ENOMEM;
		dsaio_refuse(req, DSAIO_CFG_QUEUE_DEPTH,
			     "DSAIO_CFG_QUEUE_DEPTH x DSAIO_CFG_BLOCK_SIZE: buffer memory of running jobs would exceed max_mem_mb");
		goto err_unlock;
	}
	/*
	 * A running job keeps the module: rmmod fails at once ("in use")
	 * instead of cancelling it and waiting for a device that may not
	 * answer. No reference while the module is being unloaded.
	 */
	if (!try_module_get(THIS_MODULE)) {
		ret = -ESHUTDOWN;
		NL_SET_ERR_MSG(req->extack, "dsaio is being unloaded");
		goto err_unlock;
	}
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
err_close_targets:
	dsaio_job_close_targets(job, job->nr_targets);
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

int dsaio_jobs_init(const struct dsaio_job_events *events)
{
	int ret;

	dsaio_events = events;
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
 * Module unload, first step (the netlink family is still registered): no
 * job runs or drains then, as each holds a module reference until it has
 * ended (or its reaper is done), but a controller may still be sending
 * the DONE event of a job that has just ended; wait for it.
 */
void dsaio_jobs_shutdown(void)
{
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
