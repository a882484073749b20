// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * What the user-space engines share: set-up (target, buffer, workers),
 * the lock-step loops and their clocks, and the figures, in the model of
 * the module's results (dsaio.h, "Timing") so that every engine's figure
 * means the same. The backend (libaio, io_uring) only submits and reaps.
 */
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include "interrupt.h"
#include "percentile.h"
#include "progress.h"
#include "uengine.h"
#include "upattern.h"

struct engine_ctx {
	const struct uio_backend *be;
	char err[512];
};

/*
 * A handle, as DeepSpeed's aio_handle: one of params.processes of one
 * target, with its own buffer and file (or slice of the device).
 */
struct uhandle {
	struct utarget tgt;
	unsigned int target;		/* index in rq->targets */
	char *buf;			/* io_size bytes */
	bool locked;
	int fd;				/* this loop's; -1 */
};

/* One measurement's shared state. */
struct ujob {
	const struct measure_request *rq;
	struct uhandle *h;		/* target-major: target t, thread k */
	unsigned int n_handles, n_targets;
	struct uio_worker *w;		/* handle-major: io_parallel each */
	unsigned int n_workers;
	int target_error[DSAIO_MAX_TARGETS];	/* atomic: each one's first */
	uint64_t target_e2e[DSAIO_MAX_TARGETS];	/* measured loops, summed */
	pthread_mutex_t lock;
	pthread_cond_t go, finished;
	unsigned int gen;		/* loops released so far */
	unsigned int n_done;		/* workers done with the current one */
	bool quit, measured;
	uint64_t release_ns;
	int stop;			/* atomic: submit no more */
	int abandon;			/* atomic: wait no more */
	int first_error;		/* atomic: the first request's errno */
	/*
	 * Buffer bytes allocated, as DeepSpeed's handles pin io_size each;
	 * all are held from set-up to the end, so the sum is the peak.
	 */
	uint64_t buf_bytes;
};

bool ujob_stopping(const struct ujob *j)
{
	return __atomic_load_n(&j->stop, __ATOMIC_RELAXED);
}

bool ujob_abandoned(const struct ujob *j)
{
	return __atomic_load_n(&j->abandon, __ATOMIC_RELAXED);
}

void ujob_failed(struct uio_worker *w, int e)
{
	struct ujob *j = w->job;
	int zero = 0;

	__atomic_compare_exchange_n(&j->first_error, &zero, e, false,
				    __ATOMIC_RELAXED, __ATOMIC_RELAXED);
	zero = 0;
	__atomic_compare_exchange_n(&j->target_error[w->target], &zero, e, false,
				    __ATOMIC_RELAXED, __ATOMIC_RELAXED);
	/* one target's error ends them all, as the module ends the job */
	__atomic_store_n(&j->stop, 1, __ATOMIC_RELAXED);
}

int uengine_open(const struct uio_backend *be, struct engine_ctx **out,
		 char *err, size_t errlen)
{
	struct engine_ctx *ctx;
	int ret;

	*out = NULL;
	ret = be->probe(err, errlen);
	if (ret)
		return ret;
	ctx = calloc(1, sizeof(*ctx));
	if (!ctx) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	ctx->be = be;
	*out = ctx;
	return 0;
}

void uengine_close(struct engine_ctx *ctx)
{
	free(ctx);
}

const char *uengine_errmsg(const struct engine_ctx *ctx)
{
	return ctx->err;
}

/*
 * The buffers are locked, as DeepSpeed pins them; without CAP_IPC_LOCK
 * (approximated by root) RLIMIT_MEMLOCK bounds them, so a sweep lowers
 * its io_size to it instead of failing every point.
 */
int uengine_limits(struct engine_ctx *ctx, struct engine_limits *l)
{
	struct rlimit rl;

	memset(l, 0, sizeof(*l));
	l->fixed = ctx->be->fixed;
	l->max_targets = DSAIO_MAX_TARGETS;
	l->max_processes = UIO_MAX_PROCESSES;
	if (geteuid() && !getrlimit(RLIMIT_MEMLOCK, &rl) &&
	    rl.rlim_cur != RLIM_INFINITY)
		l->max_mem_mb = rl.rlim_cur >> 20 ? (uint32_t)(rl.rlim_cur >> 20) : 1;
	return 0;
}

/*
 * A target given twice would claim a device against itself or put two
 * handles' files in one directory: the same device node or directory
 * (by its inode, however it is spelled) is refused, naming both.
 */
static int check_distinct(const struct measure_request *rq, unsigned int n,
			  char *err, size_t errlen)
{
	struct stat st[DSAIO_MAX_TARGETS];
	bool known[DSAIO_MAX_TARGETS];
	unsigned int a, b;

	for (a = 0; a < n; a++)
		known[a] = !stat(rq->targets[a], &st[a]);	/* else open says */
	for (a = 0; a < n; a++)
		for (b = a + 1; b < n; b++) {
			bool same = !strcmp(rq->targets[a], rq->targets[b]) ||
				    (known[a] && known[b] &&
				     (S_ISBLK(st[a].st_mode) && S_ISBLK(st[b].st_mode) ?
				      st[a].st_rdev == st[b].st_rdev :
				      st[a].st_dev == st[b].st_dev && st[a].st_ino == st[b].st_ino));

			if (same) {
				snprintf(err, errlen, "targets %u (%s) and %u (%s) are the same %s; give each once (threads runs several handles on one)",
					 a + 1, rq->targets[a], b + 1, rq->targets[b],
					 rq->kind == TARGET_FILE ? "directory" : "device");
				return -EINVAL;
			}
		}
	return 0;
}

static int check_request(const struct engine_ctx *ctx,
			 const struct measure_request *rq, char *err,
			 size_t errlen)
{
	const struct dsaio_params *p = &rq->params;
	unsigned int n = measure_request_n_targets(rq);

	if (!p->block_size || p->block_size > UINT32_MAX || !p->queue_depth ||
	    !p->io_parallel || !rq->loops || !rq->io_size) {
		snprintf(err, errlen, "block size, queue depth, threads, loops and io_size must be positive (block size below 4G)");
		return -EINVAL;
	}
	if (n > DSAIO_MAX_TARGETS) {
		snprintf(err, errlen, "%u targets: at most %u are measured together", n, DSAIO_MAX_TARGETS);
		return -E2BIG;
	}
	if (p->processes > UIO_MAX_PROCESSES) {
		snprintf(err, errlen, "threads %u: at most %u handles per target", p->processes,
			 UIO_MAX_PROCESSES);
		return -E2BIG;
	}
	if (check_distinct(rq, n, err, errlen))
		return -EINVAL;
	if ((rq->fixed_buffers || rq->fixed_files) && !ctx->be->fixed) {
		snprintf(err, errlen, "fixed buffers and files are io_uring's; this engine has none");
		return -EINVAL;
	}
	if (rq->io_size > SIZE_MAX / 2 / DSAIO_MAX_TARGETS / UIO_MAX_PROCESSES) {
		snprintf(err, errlen, "io_size %" PRIu64 " is more memory than this machine can address", rq->io_size);
		return -E2BIG;
	}
	return 0;
}

/* A handle's buffer: allocated, filled and locked before any clock runs. */
static int make_buffer(struct ujob *j, struct uhandle *h, char *err, size_t errlen)
{
	const struct measure_request *rq = j->rq;
	size_t align = h->tgt.info.align > 4096 ? h->tgt.info.align : 4096;
	void *buf;

	if (posix_memalign(&buf, align, rq->io_size)) {
		snprintf(err, errlen, "cannot allocate a buffer of %" PRIu64 " bytes", rq->io_size);
		return -ENOMEM;
	}
	h->buf = buf;
	j->buf_bytes += rq->io_size;
	/* writes carry the pattern (what a validating read checks); reads
	 * touch every page now, so no fault is timed */
	if (rq->op == OP_WRITE && rq->validate)
		upattern_fill(buf, h->tgt.offset, rq->io_size, rq->seed);
	else
		memset(buf, rq->op == OP_WRITE ? 0xa5 : 0, rq->io_size);
	if (mlock(buf, rq->io_size)) {
		int e = errno;
		struct rlimit rl = { 0 };

		getrlimit(RLIMIT_MEMLOCK, &rl);
		if (rl.rlim_cur == RLIM_INFINITY)
			snprintf(err, errlen, "cannot lock the %" PRIu64 " byte buffer in memory: %s",
				 rq->io_size, strerror(e));
		else
			snprintf(err, errlen, "cannot lock the %" PRIu64 " byte buffer in memory (%s; ulimit -l is %llu KiB): raise the limit or lower --io-size; DeepSpeed pins its buffers too",
				 rq->io_size, strerror(e), (unsigned long long)rl.rlim_cur >> 10);
		return -ENOMEM;
	}
	h->locked = true;
	return 0;
}

static void *worker_main(void *arg)
{
	struct uio_worker *w = arg;
	struct ujob *j = w->job;
	unsigned int seen = 0;

	pthread_mutex_lock(&j->lock);
	for (;;) {
		uint64_t release;
		bool measured;

		while (j->gen == seen && !j->quit)
			pthread_cond_wait(&j->go, &j->lock);
		if (j->quit)
			break;
		seen = j->gen;
		release = j->release_ns;
		measured = j->measured;
		pthread_mutex_unlock(&j->lock);
		uworker_run_loop(w, release, measured);
		pthread_mutex_lock(&j->lock);
		j->n_done++;
		pthread_cond_signal(&j->finished);
	}
	pthread_mutex_unlock(&j->lock);
	return NULL;
}

static int worker_init(struct ujob *j, struct uio_worker *w, unsigned int i,
		       const struct uio_backend *be, char *err, size_t errlen)
{
	const struct measure_request *rq = j->rq;
	unsigned int qd = rq->params.queue_depth, k;
	unsigned int in_handle = i % rq->params.io_parallel;
	const struct uhandle *h = &j->h[i / rq->params.io_parallel];
	uint64_t slice = rq->io_size / rq->params.io_parallel;
	int ret;

	w->job = j;
	w->be = be;
	w->index = i;
	w->target = h->target;
	w->rq = rq;
	w->fd = -1;
	w->slice = h->buf + (size_t)slice * in_handle;
	w->slice_off = h->tgt.offset + slice * in_handle;
	w->slice_len = slice;
	w->slots = calloc(qd, sizeof(*w->slots));
	w->free = calloc(qd, sizeof(*w->free));
	w->batch = calloc(qd, sizeof(*w->batch));
	w->done = calloc(qd, sizeof(*w->done));
	if (rq->histogram)
		w->hist = calloc(DSAIO_HIST_BUCKETS, sizeof(*w->hist));
	if (!w->slots || !w->free || !w->batch || !w->done ||
	    (rq->histogram && !w->hist)) {
		snprintf(err, errlen, "out of memory for %u requests per thread", qd);
		return -ENOMEM;
	}
	for (k = 0; k < qd; k++) {
		w->slots[k].index = k;
		w->free[k] = &w->slots[qd - 1 - k];
	}
	w->n_free = qd;
	ret = be->init(w);
	if (ret) {
		snprintf(err, errlen, "thread %u cannot make its context of %u entries: %s%s",
			 i, qd, strerror(-ret),
			 ret == -EAGAIN ? " (libaio: fs.aio-max-nr is too low for threads x queue depth)" : "");
		w->be = NULL;	/* nothing to exit */
		return ret;
	}
	return 0;
}

static void worker_free(struct uio_worker *w)
{
	if (w->be)
		w->be->exit(w);
	free(w->slots);
	free(w->free);
	free(w->batch);
	free(w->done);
	free(w->hist);
}

/* Workers, with every signal left to the main thread (Ctrl-C). */
static int start_workers(struct ujob *j, const struct uio_backend *be,
			 char *err, size_t errlen)
{
	sigset_t all, old;
	unsigned int i;
	int ret = 0;

	j->n_workers = j->n_handles * j->rq->params.io_parallel;
	j->w = calloc(j->n_workers, sizeof(*j->w));
	if (!j->w) {
		snprintf(err, errlen, "out of memory for %u threads", j->n_workers);
		return -ENOMEM;
	}
	for (i = 0; i < j->n_workers && !ret; i++)
		ret = worker_init(j, &j->w[i], i, be, err, errlen);
	if (ret)
		return ret;
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	for (i = 0; i < j->n_workers; i++) {
		ret = -pthread_create(&j->w[i].thread, NULL, worker_main, &j->w[i]);
		if (ret) {
			snprintf(err, errlen, "cannot start thread %u: %s", i, strerror(-ret));
			break;
		}
		j->w[i].started = true;
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return ret;
}

static void stop_workers(struct ujob *j)
{
	unsigned int i;

	pthread_mutex_lock(&j->lock);
	j->quit = true;
	pthread_cond_broadcast(&j->go);
	pthread_mutex_unlock(&j->lock);
	for (i = 0; i < j->n_workers; i++)
		if (j->w[i].started) {
			pthread_join(j->w[i].thread, NULL);
			j->w[i].started = false;
		}
}

static uint64_t bytes_done(const struct ujob *j)
{
	uint64_t sum = 0;
	unsigned int i;

	for (i = 0; i < j->n_workers; i++)
		sum += __atomic_load_n(&j->w[i].bytes_done, __ATOMIC_RELAXED);
	return sum;
}

struct uprogress {
	measure_progress_fn fn;
	void *arg;
	uint64_t start_ns, total;
	unsigned int loop;
};

static void tell(const struct ujob *j, const struct uprogress *p)
{
	struct measure_progress mp = {
		.bytes_done = bytes_done(j), .bytes_total = p->total,
		.elapsed_ns = dsaio_now_ns() - p->start_ns, .loop = p->loop,
	};

	if (p->fn)
		p->fn(&mp, p->arg);
}

/*
 * Waits for every worker to finish the loop, telling progress and
 * watching Ctrl-C: the first cancels (the workers submit no more and
 * drain), the second gives up waiting. Returns -EINTR then, else 0.
 */
static int wait_loop(struct ujob *j, const struct uprogress *p, bool *cancelled)
{
	int ret = 0;

	pthread_mutex_lock(&j->lock);
	while (j->n_done < j->n_workers) {
		struct timespec ts;

		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_nsec += 250000000L;
		if (ts.tv_nsec >= 1000000000L) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000L;
		}
		pthread_cond_timedwait(&j->finished, &j->lock, &ts);
		if (dsaio_interrupted >= 2) {
			__atomic_store_n(&j->abandon, 1, __ATOMIC_RELAXED);
			ret = -EINTR;
			break;
		}
		if (dsaio_interrupted && !*cancelled) {
			*cancelled = true;
			__atomic_store_n(&j->stop, 1, __ATOMIC_RELAXED);
		}
		pthread_mutex_unlock(&j->lock);
		tell(j, p);
		pthread_mutex_lock(&j->lock);
	}
	pthread_mutex_unlock(&j->lock);
	return ret;
}

static void add_stats(struct uio_stats *to, const struct uio_stats *s)
{
	if (!s->requests)
		return;
	if (!to->requests || s->lat_min < to->lat_min)
		to->lat_min = s->lat_min;
	if (s->lat_max > to->lat_max)
		to->lat_max = s->lat_max;
	to->lat_sum += s->lat_sum;
	to->bytes += s->bytes;
	to->requests += s->requests;
	to->errors += s->errors;
}

/*
 * After a loop: its figures into the workers' totals and out's loops,
 * and each target's E2E: the release to its own last completion.
 */
static void end_loop(struct ujob *j, struct measurement *out, uint64_t start_ns,
		     uint64_t wall)
{
	uint64_t last[DSAIO_MAX_TARGETS] = { 0 };
	struct measurement_stat *ls = NULL;
	unsigned int i;

	if (j->measured) {
		ls = &out->loop_stats[out->n_loop_stats];
		ls->index = (uint32_t)out->n_loop_stats++;
		ls->start_ns = j->release_ns - start_ns;
		ls->time_ns = wall;
		out->e2e_ns += wall;
	}
	for (i = 0; i < j->n_workers; i++) {
		struct uio_worker *w = &j->w[i];

		if (!j->measured)
			continue;	/* forgotten, as the module forgets it */
		w->busy_ns += w->loop_busy_ns;
		if (w->loop_busy_ns > last[w->target])
			last[w->target] = w->loop_busy_ns;
		add_stats(&w->total, &w->loop);
		ls->bytes += w->loop.bytes;
		ls->requests += w->loop.requests;
		ls->errors += w->loop.errors;
	}
	for (i = 0; j->measured && i < j->n_targets; i++)
		j->target_e2e[i] += last[i];
}

/*
 * A validating read: each worker's slice, where its loop had no error,
 * into its target's part (parts: one per target, or out itself).
 */
static void check_loop(struct ujob *j, struct measurement_part *parts)
{
	unsigned int i;

	for (i = 0; i < j->n_workers; i++) {
		struct uio_worker *w = &j->w[i];
		struct measurement_part *p = &parts[w->target];

		if (!w->loop.errors)
			p->mismatches += upattern_check(w->slice, w->slice_off,
							w->slice_len,
							j->h[i / j->rq->params.io_parallel].tgt.info.align,
							j->rq->seed, &p->first_mismatch);
	}
}

/* A part's latencies from its stats and histogram (NULL: none). */
static void part_figures(struct measurement_part *p, const struct uio_stats *st,
			 const uint64_t *hist, struct dsaio_hist_bucket *b)
{
	size_t n_b = 0, k;

	p->bytes = st->bytes;
	p->requests = st->requests;
	p->errors = st->errors;
	p->lat_min_ns = st->lat_min;
	p->lat_max_ns = st->lat_max;
	p->lat_mean_ns = st->requests ? st->lat_sum / st->requests : 0;
	for (k = 0; hist && k < DSAIO_HIST_BUCKETS; k++)
		if (hist[k]) {
			b[n_b].index = (uint32_t)k;
			b[n_b++].count = hist[k];
		}
	p->have_pct = n_b && !dsaio_percentiles_from_hist(b, n_b, st->lat_max, &p->pct);
}

/* The errnos of every worker, merged: out->errnos has room for them. */
static void merge_errnos(const struct ujob *j, struct measurement *out)
{
	unsigned int i, e;
	size_t k;

	for (i = 0; i < j->n_workers; i++) {
		const struct uio_worker *w = &j->w[i];

		for (e = 0; e < w->n_errnos; e++) {
			for (k = 0; k < out->n_errnos; k++)
				if (out->errnos[k].code == w->errnos[e].code)
					break;
			if (k == out->n_errnos) {
				if (k == UIO_ERRNO_SLOTS)
					continue;
				out->errnos[out->n_errnos++].code = w->errnos[e].code;
			}
			out->errnos[k].count += w->errnos[e].count;
		}
	}
}

/*
 * The measured loops, as the module reports them: a warm-up loop is in no
 * figure, though its errnos are counted and its error fails the job. Each
 * target's figures go to parts[t] (its target info and mismatches already
 * there), all of them to out: Task the longest worker of all, the rest
 * summed or over every request.
 */
static int results(struct ujob *j, struct measurement *out,
		   struct measurement_part *parts)
{
	struct uio_stats all = { 0 }, per[DSAIO_MAX_TARGETS] = { { 0 } };
	struct dsaio_hist_bucket *b = NULL;
	uint64_t *hist = NULL;	/* per target, then all: n_targets + 1 rows */
	struct measurement_part total = { 0 };
	unsigned int i, t;
	size_t k, rows = j->n_targets + 1;

	out->worker_stats = calloc(j->n_workers, sizeof(*out->worker_stats));
	out->errnos = calloc(UIO_ERRNO_SLOTS, sizeof(*out->errnos));
	if (j->rq->histogram) {
		hist = calloc(rows * DSAIO_HIST_BUCKETS, sizeof(*hist));
		b = calloc(DSAIO_HIST_BUCKETS, sizeof(*b));
	}
	if (!out->worker_stats || !out->errnos || (j->rq->histogram && (!hist || !b))) {
		free(hist);
		free(b);
		return -ENOMEM;
	}
	for (i = 0; i < j->n_workers; i++) {
		struct uio_worker *w = &j->w[i];
		struct measurement_stat *ws = &out->worker_stats[i];
		struct measurement_part *p = &parts[w->target];

		ws->index = i;
		ws->offset = w->slice_off;
		ws->length = w->slice_len;
		ws->time_ns = w->busy_ns;
		ws->bytes = w->total.bytes;
		ws->requests = w->total.requests;
		ws->errors = w->total.errors;
		if (w->busy_ns > out->task_ns)
			out->task_ns = w->busy_ns;
		if (w->busy_ns > p->task_ns)
			p->task_ns = w->busy_ns;
		add_stats(&all, &w->total);
		add_stats(&per[w->target], &w->total);
		for (k = 0; hist && k < DSAIO_HIST_BUCKETS; k++) {
			hist[w->target * DSAIO_HIST_BUCKETS + k] += w->hist[k];
			hist[j->n_targets * DSAIO_HIST_BUCKETS + k] += w->hist[k];
		}
	}
	out->n_worker_stats = j->n_workers;
	merge_errnos(j, out);
	for (t = 0; t < j->n_targets; t++) {
		parts[t].e2e_ns = j->target_e2e[t];
		part_figures(&parts[t], &per[t], hist ? hist + t * DSAIO_HIST_BUCKETS : NULL, b);
	}
	part_figures(&total, &all, hist ? hist + j->n_targets * DSAIO_HIST_BUCKETS : NULL, b);
	out->bytes = total.bytes;
	out->requests = total.requests;
	out->errors = total.errors;
	out->lat_min_ns = total.lat_min_ns;
	out->lat_max_ns = total.lat_max_ns;
	out->lat_mean_ns = total.lat_mean_ns;
	out->pct = total.pct;
	out->have_pct = total.have_pct;
	free(hist);
	free(b);
	return 0;
}

/* Closes every handle's descriptor of the loop. */
static void close_loop(struct ujob *j)
{
	unsigned int i;

	for (i = 0; i < j->n_handles; i++)
		if (j->h[i].fd >= 0) {
			close(j->h[i].fd);
			j->h[i].fd = -1;
		}
}

/* The loops: warm-up first, then the measured ones, in lock-step. */
static int run_loops(struct ujob *j, struct measurement *out,
		     struct measurement_part *parts, struct uprogress *p,
		     char *err, size_t errlen)
{
	const struct measure_request *rq = j->rq;
	unsigned int total = rq->warmup_loops + rq->loops, l, i;
	bool cancelled = false;
	int ret = 0, fd;

	for (l = 0; l < total && !ujob_stopping(j); l++) {
		uint64_t wall;

		p->loop = l;
		for (i = 0; l && i < j->n_handles; i++) {
			ret = utarget_next_loop(&j->h[i].tgt, err, errlen);
			if (ret)
				return ret;
		}
		for (i = 0; rq->op == OP_READ && rq->validate && i < j->n_handles; i++)
			memset(j->h[i].buf, 0xff, rq->io_size);	/* no stale match */
		pthread_mutex_lock(&j->lock);
		j->release_ns = dsaio_now_ns();
		pthread_mutex_unlock(&j->lock);
		/* every handle opens its own, as each DeepSpeed handle does */
		for (i = 0; i < j->n_handles; i++) {
			fd = utarget_open_io(&j->h[i].tgt, err, errlen);
			if (fd < 0) {
				close_loop(j);
				return fd;
			}
			j->h[i].fd = fd;
		}
		pthread_mutex_lock(&j->lock);
		for (i = 0; i < j->n_workers; i++)
			j->w[i].fd = j->h[i / rq->params.io_parallel].fd;
		j->measured = l >= rq->warmup_loops;
		j->n_done = 0;
		j->gen++;
		pthread_cond_broadcast(&j->go);
		pthread_mutex_unlock(&j->lock);
		ret = wait_loop(j, p, &cancelled);
		if (ret)
			return ret;	/* fds stay: the kernel may still use them */
		close_loop(j);
		wall = dsaio_now_ns() - j->release_ns;
		end_loop(j, out, p->start_ns, wall);
		if (rq->op == OP_READ && rq->validate)
			check_loop(j, parts);
		tell(j, p);
	}
	if (cancelled)
		out->state = MEAS_CANCELLED;
	return 0;
}

static void ujob_free(struct ujob *j)
{
	unsigned int i;

	if (j->w) {
		stop_workers(j);
		for (i = 0; i < j->n_workers; i++)
			worker_free(&j->w[i]);
		free(j->w);
	}
	for (i = 0; j->h && i < j->n_handles; i++) {
		struct uhandle *h = &j->h[i];

		utarget_close(&h->tgt);
		if (h->locked)
			munlock(h->buf, j->rq->io_size);
		free(h->buf);
	}
	free(j->h);
	pthread_mutex_destroy(&j->lock);
	pthread_cond_destroy(&j->go);
	pthread_cond_destroy(&j->finished);
}

/*
 * Set-up, not timed: every handle of every target opened (a refusal of
 * one refuses the measurement, err naming it), its buffer made, its file
 * written; then the workers. out->target is the first target's.
 */
static int set_up(struct ujob *j, const struct uio_backend *be,
		  struct measurement_part *parts, char *err, size_t errlen)
{
	static unsigned int seq;	/* the files of one measurement */
	const struct measure_request *rq = j->rq;
	unsigned int procs = rq->params.processes, i;
	int ret = 0;

	j->n_targets = measure_request_n_targets(rq);
	j->h = calloc((size_t)j->n_targets * procs, sizeof(*j->h));
	if (!j->h) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	seq++;
	for (i = 0; i < j->n_targets * procs && !ret; i++) {
		struct uhandle *h = &j->h[i];

		h->target = i / procs;
		h->fd = -1;
		ret = utarget_open(&h->tgt, rq, h->target, i % procs, seq, err, errlen);
		if (!ret)
			j->n_handles++;
		if (!ret && i % procs == 0)
			parts[h->target].target = h->tgt.info;
	}
	for (i = 0; i < j->n_handles && !ret; i++)
		ret = make_buffer(j, &j->h[i], err, errlen);
	for (i = 0; i < j->n_handles && !ret; i++)
		ret = utarget_prepare(&j->h[i].tgt, rq, err, errlen);
	if (!ret)
		ret = start_workers(j, be, err, errlen);
	return ret;
}

/* Each target's state, and the measurement's from the first error. */
static void set_states(struct ujob *j, struct measurement *out,
		       struct measurement_part *parts)
{
	int first = __atomic_load_n(&j->first_error, __ATOMIC_RELAXED);
	unsigned int t;
	int e;

	for (t = 0; t < j->n_targets; t++) {
		struct measurement_part *p = &parts[t];

		/* the target that failed fails; the others were stopped by it */
		e = __atomic_load_n(&j->target_error[t], __ATOMIC_RELAXED);
		p->state = e ? MEAS_FAILED : first ? MEAS_CANCELLED : out->state;
		p->error = -e;
		p->have_figures = out->n_loop_stats > 0;
		if (p->mismatches && !out->mismatches)
			out->first_mismatch = p->first_mismatch; /* the first target's */
		out->mismatches += p->mismatches;
		if (!p->mismatches)
			p->first_mismatch = 0;
	}
	if (first) {
		out->state = MEAS_FAILED;
		out->error = -first;
	}
}

int uengine_measure(struct engine_ctx *ctx, const struct measure_request *rq,
		    struct measurement *out, measure_progress_fn fn, void *arg)
{
	struct uprogress p = { .fn = fn, .arg = arg, .start_ns = dsaio_now_ns() };
	struct measurement_part *parts = NULL;
	struct measure_request one_handle;
	struct ujob j;
	char *err = ctx->err;
	size_t errlen = sizeof(ctx->err);
	unsigned int t;
	int ret;

	memset(out, 0, sizeof(*out));
	err[0] = '\0';
	/* threads unset (0) is DeepSpeed's default, one handle */
	if (!rq->params.processes) {
		one_handle = *rq;
		one_handle.params.processes = 1;
		rq = &one_handle;
	}
	j = (struct ujob){ .rq = rq };
	ret = check_request(ctx, rq, err, errlen);
	if (ret)
		return ret;
	p.total = rq->io_size * (rq->warmup_loops + rq->loops) *
		  measure_request_n_targets(rq) * rq->params.processes;
	parts = calloc(measure_request_n_targets(rq), sizeof(*parts));
	if (!parts) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	for (t = 0; t < measure_request_n_targets(rq); t++)
		parts[t].first_mismatch = UINT64_MAX;
	pthread_mutex_init(&j.lock, NULL);
	pthread_cond_init(&j.go, NULL);
	pthread_cond_init(&j.finished, NULL);
	ret = set_up(&j, ctx->be, parts, err, errlen);
	if (!ret) {
		out->loop_stats = calloc(rq->loops, sizeof(*out->loop_stats));
		if (!out->loop_stats) {
			snprintf(err, errlen, "out of memory");
			ret = -ENOMEM;
		}
	}
	out->target = parts[0].target;
	if (ret) {
		free(parts);
		measurement_free_details(out);
		ujob_free(&j);
		return ret;
	}
	out->setup_ns = dsaio_now_ns() - p.start_ns;
	ret = run_loops(&j, out, parts, &p, err, errlen);
	if (ret == -EINTR) {
		/*
		 * A second Ctrl-C: the workers may be stuck on a device that
		 * does not answer, and the kernel may still write into the
		 * buffers; the process is about to exit, so all is left to it.
		 */
		snprintf(err, errlen, "interrupted");
		free(parts);
		return ret;
	}
	stop_workers(&j);
	if (!ret && results(&j, out, parts)) {
		snprintf(err, errlen, "out of memory for the results");
		ret = -ENOMEM;
	}
	if (ret) {
		/* a loop could not start (its open, the next file): err says */
		free(parts);
		measurement_free_details(out);
		ujob_free(&j);
		return ret;
	}
	set_states(&j, out, parts);
	out->op = rq->op;
	out->params = rq->params;
	out->io_size = rq->io_size;
	out->buf_bytes = j.buf_bytes;
	out->loops = rq->loops;
	out->warmup_loops = rq->warmup_loops;
	out->random = rq->random;
	out->have_figures = out->n_loop_stats > 0;
	if (j.n_targets > 1) {
		out->parts = parts;
		out->n_parts = j.n_targets;
	} else {
		free(parts);
	}
	ujob_free(&j);
	return 0;
}
