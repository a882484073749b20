// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * One worker's loop, as DeepSpeed's deepspeed_aio_common.cpp drives its
 * io_context: overlap refills up to queue_depth and reaps at least one;
 * sequential submits up to queue_depth and reaps all of them; single
 * submit hands the kernel one request per call, block submit the batch.
 * Unlike DeepSpeed, every completion's result is checked (a short or
 * failed request is an error, not a success) and a partial submit goes
 * on with the rest.
 */
#include <errno.h>
#include "progress.h"
#include "uengine.h"

static void count_errno(struct uio_worker *w, int e)
{
	unsigned int i;

	for (i = 0; i < w->n_errnos; i++)
		if (w->errnos[i].code == (uint32_t)e)
			break;
	if (i == w->n_errnos) {
		if (w->n_errnos == UIO_ERRNO_SLOTS)
			return;		/* still counted in errors */
		w->errnos[w->n_errnos++].code = (uint32_t)e;
	}
	w->errnos[i].count++;
}

/* A request has ended with res at now: its figures, its slot freed. */
static void complete(struct uio_worker *w, struct uio_slot *s, long res,
		     uint64_t now, uint64_t release_ns, bool measured)
{
	struct uio_stats *st = &w->loop;
	uint64_t lat = now - s->submit_ns;

	w->free[w->n_free++] = s;
	w->loop_busy_ns = now - release_ns;
	st->requests++;
	if (res == (long)s->len) {
		st->bytes += s->len;
		__atomic_add_fetch(&w->bytes_done, s->len, __ATOMIC_RELAXED);
	} else {
		/* a short transfer is as much a failure as an error */
		int e = res < 0 ? (int)-res : EIO;

		st->errors++;
		count_errno(w, e);
		ujob_failed(w, e);
	}
	if (lat < st->lat_min || st->requests == 1)
		st->lat_min = lat;
	if (lat > st->lat_max)
		st->lat_max = lat;
	st->lat_sum += lat;
	if (measured && w->hist)
		w->hist[dsaio_hist_index(lat)]++;
}

/* Takes up to n free slots for the next requests (blocks) of the slice. */
static unsigned int prep(struct uio_worker *w, unsigned int n, uint64_t *next)
{
	uint64_t bs = w->rq->params.block_size;
	unsigned int i;

	for (i = 0; i < n && *next < w->order.n; i++) {
		struct uio_slot *s = w->free[--w->n_free];
		uint64_t pos = uorder_block(&w->order, (*next)++) * bs;
		uint64_t left = w->slice_len - pos;

		s->off = w->slice_off + pos;
		s->buf = w->slice + pos;
		s->len = (uint32_t)(left < bs ? left : bs);
		w->batch[i] = s;
	}
	return i;
}

/*
 * Submits batch[0..n): one call per request (single submit) or one for
 * all. A failed submit fails the requests not taken. Adds what was taken
 * to *pending.
 */
static void submit(struct uio_worker *w, unsigned int n, unsigned int *pending,
		   uint64_t release_ns, bool measured)
{
	bool single = w->rq->params.single_submit;
	unsigned int done = 0, i;

	while (done < n) {
		unsigned int k = single ? 1 : n - done;
		uint64_t now = dsaio_now_ns();
		int ret;

		for (i = 0; i < k; i++)
			w->batch[done + i]->submit_ns = now;
		ret = w->be->submit(w, w->batch + done, k);
		if (ret < 0) {
			now = dsaio_now_ns();
			for (i = done; i < n; i++)
				complete(w, w->batch[i], ret, now, release_ns, measured);
			return;
		}
		done += (unsigned int)ret;
		*pending += (unsigned int)ret;
	}
}

/* Reaps between min and *pending completions; false when it cannot. */
static bool reap(struct uio_worker *w, unsigned int min, unsigned int *pending,
		 uint64_t release_ns, bool measured)
{
	const struct uio_backend *be = w->be;
	uint64_t now;
	int ret, i;

	if (ujob_abandoned(w->job))
		return false;	/* the second Ctrl-C: nothing more is awaited */
	ret = be->reap(w, min, *pending, w->done);
	if (ret == -EINTR || ret == 0)
		return true;
	if (ret < 0) {
		/* the kernel still holds the requests; io_destroy waits */
		ujob_failed(w, -ret);
		return false;
	}
	now = dsaio_now_ns();
	for (i = 0; i < ret; i++)
		complete(w, w->done[i].slot, w->done[i].res, now, release_ns,
			 measured);
	*pending -= (unsigned int)ret;
	return true;
}

void uworker_run_loop(struct uio_worker *w, uint64_t release_ns, bool measured)
{
	const struct uio_backend *be = w->be;
	unsigned int qd = w->rq->params.queue_depth, pending = 0, n;
	uint64_t next = 0, bs = w->rq->params.block_size;
	int ret;

	w->loop = (struct uio_stats){ 0 };
	w->loop_busy_ns = 0;
	uorder_init(&w->order, (w->slice_len + bs - 1) / bs, w->rq->random,
		    w->rq->seed, w->index, w->loops_run++);
	if (be->loop_begin) {
		ret = be->loop_begin(w);
		if (ret) {
			ujob_failed(w, -ret);
			return;
		}
	}
	if (w->rq->params.overlap_events) {
		for (;;) {
			n = ujob_stopping(w->job) ? 0 : prep(w, qd - pending, &next);
			if (n)
				submit(w, n, &pending, release_ns, measured);
			if (!pending)
				break;
			if (!reap(w, 1, &pending, release_ns, measured))
				break;
		}
		return;
	}
	while (next < w->order.n && !ujob_stopping(w->job)) {
		n = prep(w, qd, &next);
		submit(w, n, &pending, release_ns, measured);
		while (pending)
			if (!reap(w, pending, &pending, release_ns, measured))
				return;
	}
}
