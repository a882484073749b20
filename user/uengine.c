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
#include "interrupt.h"
#include "percentile.h"
#include "progress.h"
#include "uengine.h"
#include "upattern.h"

struct engine_ctx {
	const struct uio_backend *be;
	char err[512];
};

/* One measurement's shared state. */
struct ujob {
	const struct measure_request *rq;
	struct utarget tgt;
	char *buf;
	bool locked;
	struct uio_worker *w;
	unsigned int n_workers;
	pthread_mutex_t lock;
	pthread_cond_t go, finished;
	unsigned int gen;		/* loops released so far */
	unsigned int n_done;		/* workers done with the current one */
	bool quit, measured;
	uint64_t release_ns;
	int stop;			/* atomic: submit no more */
	int abandon;			/* atomic: wait no more */
	int first_error;		/* atomic: the first request's errno */
};

bool ujob_stopping(const struct ujob *j)
{
	return __atomic_load_n(&j->stop, __ATOMIC_RELAXED);
}

bool ujob_abandoned(const struct ujob *j)
{
	return __atomic_load_n(&j->abandon, __ATOMIC_RELAXED);
}

void ujob_failed(struct ujob *j, int e)
{
	int zero = 0;

	__atomic_compare_exchange_n(&j->first_error, &zero, e, false,
				    __ATOMIC_RELAXED, __ATOMIC_RELAXED);
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
	l->max_targets = 1;
	l->max_processes = 1;
	if (geteuid() && !getrlimit(RLIMIT_MEMLOCK, &rl) &&
	    rl.rlim_cur != RLIM_INFINITY)
		l->max_mem_mb = rl.rlim_cur >> 20 ? (uint32_t)(rl.rlim_cur >> 20) : 1;
	return 0;
}

static int check_request(const struct engine_ctx *ctx,
			 const struct measure_request *rq, char *err,
			 size_t errlen)
{
	const struct dsaio_params *p = &rq->params;

	if (!p->block_size || p->block_size > UINT32_MAX || !p->queue_depth ||
	    !p->io_parallel || !rq->loops || !rq->io_size) {
		snprintf(err, errlen, "block size, queue depth, threads, loops and io_size must be positive (block size below 4G)");
		return -EINVAL;
	}
	if (measure_request_n_targets(rq) > 1 || p->processes > 1) {
		snprintf(err, errlen, "this engine measures one target with one handle (threads 1) for now");
		return -EINVAL;
	}
	if ((rq->fixed_buffers || rq->fixed_files) && !ctx->be->fixed) {
		snprintf(err, errlen, "fixed buffers and files are io_uring's; this engine has none");
		return -EINVAL;
	}
	if (rq->io_size > SIZE_MAX / 2) {
		snprintf(err, errlen, "io_size %" PRIu64 " is more memory than this machine can address", rq->io_size);
		return -E2BIG;
	}
	return 0;
}

/* The buffer: allocated, filled and locked before any clock runs. */
static int make_buffer(struct ujob *j, char *err, size_t errlen)
{
	const struct measure_request *rq = j->rq;
	size_t align = j->tgt.info.align > 4096 ? j->tgt.info.align : 4096;
	void *buf;

	if (posix_memalign(&buf, align, rq->io_size)) {
		snprintf(err, errlen, "cannot allocate a buffer of %" PRIu64 " bytes", rq->io_size);
		return -ENOMEM;
	}
	j->buf = buf;
	/* writes carry the pattern (what a validating read checks); reads
	 * touch every page now, so no fault is timed */
	if (rq->op == OP_WRITE && rq->validate)
		upattern_fill(buf, rq->offset, rq->io_size, rq->seed);
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
	j->locked = true;
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
	uint64_t slice = rq->io_size / rq->params.io_parallel;
	int ret;

	w->job = j;
	w->be = be;
	w->index = i;
	w->rq = rq;
	w->fd = -1;
	w->slice = j->buf + (size_t)slice * i;
	w->slice_off = rq->offset + slice * i;
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

	j->n_workers = j->rq->params.io_parallel;
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

/* After a loop: its figures into the workers' totals and out's loops. */
static void end_loop(struct ujob *j, struct measurement *out, uint64_t start_ns,
		     uint64_t wall)
{
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
		add_stats(&w->total, &w->loop);
		ls->bytes += w->loop.bytes;
		ls->requests += w->loop.requests;
		ls->errors += w->loop.errors;
	}
}

/* A validating read: each worker's slice, where its loop had no error. */
static void check_loop(struct ujob *j, struct measurement *out)
{
	unsigned int i;

	for (i = 0; i < j->n_workers; i++) {
		struct uio_worker *w = &j->w[i];

		if (!w->loop.errors)
			out->mismatches += upattern_check(w->slice, w->slice_off,
							  w->slice_len,
							  j->tgt.info.align,
							  j->rq->seed,
							  &out->first_mismatch);
	}
}

/*
 * The measured loops, as the module reports them: a warm-up loop is in no
 * figure, though its errnos are counted and its error fails the job.
 */
static int results(struct ujob *j, struct measurement *out)
{
	struct dsaio_hist_bucket *b = NULL;
	struct uio_stats all = { 0 };
	size_t n_b = 0, k;
	unsigned int i, e;
	uint64_t *hist = NULL;

	out->worker_stats = calloc(j->n_workers, sizeof(*out->worker_stats));
	out->errnos = calloc(UIO_ERRNO_SLOTS, sizeof(*out->errnos));
	if (j->rq->histogram) {
		hist = calloc(DSAIO_HIST_BUCKETS, sizeof(*hist));
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

		ws->index = i;
		ws->offset = w->slice_off;
		ws->length = w->slice_len;
		ws->time_ns = w->busy_ns;
		ws->bytes = w->total.bytes;
		ws->requests = w->total.requests;
		ws->errors = w->total.errors;
		if (w->busy_ns > out->task_ns)
			out->task_ns = w->busy_ns;
		add_stats(&all, &w->total);
		for (k = 0; hist && k < DSAIO_HIST_BUCKETS; k++)
			hist[k] += w->hist[k];
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
	out->n_worker_stats = j->n_workers;
	out->bytes = all.bytes;
	out->requests = all.requests;
	out->errors = all.errors;
	out->lat_min_ns = all.lat_min;
	out->lat_max_ns = all.lat_max;
	out->lat_mean_ns = all.requests ? all.lat_sum / all.requests : 0;
	for (k = 0; hist && k < DSAIO_HIST_BUCKETS; k++)
		if (hist[k]) {
			b[n_b].index = (uint32_t)k;
			b[n_b++].count = hist[k];
		}
	if (n_b && !dsaio_percentiles_from_hist(b, n_b, all.lat_max, &out->pct))
		out->have_pct = true;
	free(hist);
	free(b);
	return 0;
}

/* The loops: warm-up first, then the measured ones, in lock-step. */
static int run_loops(struct ujob *j, struct measurement *out,
		     struct uprogress *p, char *err, size_t errlen)
{
	const struct measure_request *rq = j->rq;
	unsigned int total = rq->warmup_loops + rq->loops, l, i;
	bool cancelled = false;
	int ret = 0, fd;

	for (l = 0; l < total && !ujob_stopping(j); l++) {
		uint64_t wall;

		p->loop = l;
		if (l) {
			ret = utarget_next_loop(&j->tgt, err, errlen);
			if (ret)
				return ret;
		}
		if (rq->op == OP_READ && rq->validate)
			memset(j->buf, 0xff, rq->io_size);	/* no stale match */
		pthread_mutex_lock(&j->lock);
		j->release_ns = dsaio_now_ns();
		pthread_mutex_unlock(&j->lock);
		fd = utarget_open_io(&j->tgt, err, errlen);
		if (fd < 0)
			return fd;
		pthread_mutex_lock(&j->lock);
		for (i = 0; i < j->n_workers; i++)
			j->w[i].fd = fd;
		j->measured = l >= rq->warmup_loops;
		j->n_done = 0;
		j->gen++;
		pthread_cond_broadcast(&j->go);
		pthread_mutex_unlock(&j->lock);
		ret = wait_loop(j, p, &cancelled);
		if (ret)
			return ret;	/* fd stays: the kernel may still use it */
		close(fd);
		wall = dsaio_now_ns() - j->release_ns;
		end_loop(j, out, p->start_ns, wall);
		if (rq->op == OP_READ && rq->validate)
			check_loop(j, out);
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
	utarget_close(&j->tgt);
	if (j->locked)
		munlock(j->buf, j->rq->io_size);
	free(j->buf);
	pthread_mutex_destroy(&j->lock);
	pthread_cond_destroy(&j->go);
	pthread_cond_destroy(&j->finished);
}

int uengine_measure(struct engine_ctx *ctx, const struct measure_request *rq,
		    struct measurement *out, measure_progress_fn fn, void *arg)
{
	struct uprogress p = { .fn = fn, .arg = arg, .start_ns = dsaio_now_ns() };
	struct ujob j = { .rq = rq };
	char *err = ctx->err;
	size_t errlen = sizeof(ctx->err);
	int ret, e;

	memset(out, 0, sizeof(*out));
	err[0] = '\0';
	p.total = rq->io_size * (rq->warmup_loops + rq->loops);
	ret = check_request(ctx, rq, err, errlen);
	if (ret)
		return ret;
	pthread_mutex_init(&j.lock, NULL);
	pthread_cond_init(&j.go, NULL);
	pthread_cond_init(&j.finished, NULL);
	ret = utarget_open(&j.tgt, rq, err, errlen);
	if (!ret)
		ret = make_buffer(&j, err, errlen);
	if (!ret)
		ret = utarget_prepare(&j.tgt, rq, err, errlen);
	if (!ret)
		ret = start_workers(&j, ctx->be, err, errlen);
	if (!ret) {
		out->loop_stats = calloc(rq->loops, sizeof(*out->loop_stats));
		if (!out->loop_stats) {
			snprintf(err, errlen, "out of memory");
			ret = -ENOMEM;
		}
	}
	out->target = j.tgt.info;
	if (ret) {
		measurement_free_details(out);
		ujob_free(&j);
		return ret;
	}
	out->first_mismatch = UINT64_MAX;
	out->setup_ns = dsaio_now_ns() - p.start_ns;
	ret = run_loops(&j, out, &p, err, errlen);
	if (ret == -EINTR) {
		/*
		 * A second Ctrl-C: the workers may be stuck on a device that
		 * does not answer, and the kernel may still write into the
		 * buffer; the process is about to exit, so all is left to it.
		 */
		snprintf(err, errlen, "interrupted");
		return ret;
	}
	stop_workers(&j);
	if (!ret && results(&j, out)) {
		snprintf(err, errlen, "out of memory for the results");
		ret = -ENOMEM;
	}
	if (ret) {
		/* a loop could not start (its open, the next file): err says */
		measurement_free_details(out);
		ujob_free(&j);
		return ret;
	}
	e = __atomic_load_n(&j.first_error, __ATOMIC_RELAXED);
	if (e) {
		out->state = MEAS_FAILED;
		out->error = -e;
	}
	out->op = rq->op;
	out->params = rq->params;
	out->io_size = rq->io_size;
	out->loops = rq->loops;
	out->warmup_loops = rq->warmup_loops;
	out->have_figures = out->n_loop_stats > 0;
	if (!out->mismatches)
		out->first_mismatch = 0;
	ujob_free(&j);
	return 0;
}
