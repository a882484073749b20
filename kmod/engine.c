// SPDX-License-Identifier: GPL-2.0
/*
 * The engine core: one kernel thread per slice keeps DeepSpeed's
 * submission semantics (queue depth, single or batched submit, overlapped
 * or sequential refill) over an engine's submit() (engine_bio.c: bios;
 * engine_file.c: kiocbs on a file) and accounts for the completions.
 *
 * Hot path: a completion only stamps its time and pushes the slot on the
 * worker's lock-free list (llist). Everything else (latency histogram,
 * statistics, pattern check) is done by the worker thread itself in
 * process context, so the histogram and the counters are plain per-worker
 * memory with a single writer: no locks and no atomics on them.
 *
 * The engine knows its io context and its target, never the job that
 * owns them.
 */
#include <linux/blkdev.h>
#include <linux/dsaio.h>
#include <linux/gfp.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/timekeeping.h>

#include "engine.h"
#include "order.h"
#include "pattern.h"
#include "target.h"
#include "trace.h"

/* 1 MiB chunks: an 8 MiB request needs only 8 bio_vecs. */
#define DSAIO_CHUNK_ORDER_MAX	8

void dsaio_stats_init(struct dsaio_stats *s)
{
	memset(s, 0, sizeof(*s));
	s->lat_min = U64_MAX;
}

void dsaio_stats_merge(struct dsaio_stats *to, const struct dsaio_stats *from)
{
	if (!from->first_ns)
		return;
	if (!to->first_ns || from->first_ns < to->first_ns)
		to->first_ns = from->first_ns;
	to->last_ns = max(to->last_ns, from->last_ns);
	to->bytes += from->bytes;
	to->requests += from->requests;
	to->errors += from->errors;
	to->lat_min = min(to->lat_min, from->lat_min);
	to->lat_max = max(to->lat_max, from->lat_max);
	to->lat_sum += from->lat_sum;
}

void dsaio_errno_add(struct dsaio_errno_count *tab, u32 *nr, u32 code,
		     u64 count)
{
	u32 i;

	for (i = 0; i < *nr; i++) {
		if (tab[i].code == code) {
			tab[i].count += count;
			return;
		}
	}
	/* Out of slots (cannot happen with blk_status_t): fold into EIO. */
	if (*nr == DSAIO_ERRNO_SLOTS) {
		tab[DSAIO_ERRNO_SLOTS - 1].count += count;
		return;
	}
	tab[*nr].code = code;
	tab[*nr].count = count;
	(*nr)++;
}

static unsigned int dsaio_chunk_order_of(const struct dsaio_worker *w, u32 i)
{
	u64 chunk = PAGE_SIZE << w->chunk_order;
	u64 left = w->buf_len - (u64)i * chunk;

	return left >= chunk ? w->chunk_order : get_order(left);
}

/*
 * The job's buffer accounting (DSAIO_RES_BUF_BYTES): what the pages
 * allocated really are, rounding included, not what was asked for.
 */
static void dsaio_buf_count(struct dsaio_worker *w, unsigned int order,
			    bool alloc)
{
	s64 bytes = PAGE_SIZE << order;
	s64 held, peak;

	if (!alloc) {
		atomic64_sub(bytes, &w->io->buf_held);
		return;
	}
	held = atomic64_add_return(bytes, &w->io->buf_held);
	peak = atomic64_read(&w->io->buf_peak);
	while (held > peak &&
	       !atomic64_try_cmpxchg(&w->io->buf_peak, &peak, held))
		;
}

static void dsaio_buf_free(struct dsaio_worker *w)
{
	unsigned int order;
	u32 i;

	if (!w->chunks)
		return;
	for (i = 0; i < w->nr_chunks; i++) {
		if (!w->chunks[i])
			continue;
		order = dsaio_chunk_order_of(w, i);
		__free_pages(w->chunks[i], order);
		dsaio_buf_count(w, order, false);
	}
	kvfree(w->chunks);
	w->chunks = NULL;
	w->nr_chunks = 0;
}

static int dsaio_buf_try(struct dsaio_worker *w, unsigned int order)
{
	u64 chunk = PAGE_SIZE << order;
	gfp_t gfp = GFP_KERNEL | __GFP_COMP;
	u32 i;

	/* High orders are an optimisation: fail fast, fall back below. */
	if (order)
		gfp |= __GFP_NOWARN | __GFP_NORETRY;
	w->chunk_order = order;
	w->nr_chunks = DIV_ROUND_UP_ULL(w->buf_len, chunk);
	w->chunks = kvcalloc(w->nr_chunks, sizeof(*w->chunks), GFP_KERNEL);
	if (!w->chunks)
		return -ENOMEM;
	for (i = 0; i < w->nr_chunks; i++) {
		w->chunks[i] = alloc_pages(gfp, dsaio_chunk_order_of(w, i));
		if (!w->chunks[i])
			goto err_free_chunks;
		dsaio_buf_count(w, dsaio_chunk_order_of(w, i), true);
		if (dsaio_io_stopping(w->io))
			goto err_free_chunks;
	}
	return 0;

err_free_chunks:
	dsaio_buf_free(w);
	return -ENOMEM;
}

/*
 * The buffer is made of equal chunks of the highest order that can be
 * had, so a big request needs few bio_vecs; chunks are never smaller than
 * a logical block so every bio boundary stays block-aligned.
 */
static int dsaio_buf_alloc(struct dsaio_worker *w)
{
	unsigned int min_order = get_order(w->target->lbs);
	unsigned int order = min_t(unsigned int, get_order(w->buf_len),
				   DSAIO_CHUNK_ORDER_MAX);

	for (;;) {
		if (!dsaio_buf_try(w, order))
			return 0;
		if (dsaio_io_stopping(w->io) || order <= min_order)
			return -ENOMEM;
		order--;
	}
}

/*
 * Where byte @off of the buffer is: its chunk's page, the offset in that
 * chunk (*in) and how many bytes from there are contiguous, at most @len.
 */
static struct page *dsaio_buf_pos(const struct dsaio_worker *w, u64 off,
				  u64 len, u32 *in, u32 *contig)
{
	unsigned int shift = PAGE_SHIFT + w->chunk_order;

	*in = off & ((1ULL << shift) - 1);
	*contig = (u32)min_t(u64, (1ULL << shift) - *in, len);
	return w->chunks[off >> shift];
}

static void *dsaio_buf_addr(const struct dsaio_worker *w, u64 off, u64 len,
			    u32 *contig)
{
	u32 in;

	return page_address(dsaio_buf_pos(w, off, len, &in, contig)) + in;
}

struct page *dsaio_slot_page(const struct dsaio_worker *w,
			     const struct dsaio_slot *slot, u32 done,
			     u32 *in, u32 *contig)
{
	return dsaio_buf_pos(w, slot->buf_off + done, slot->len - done, in,
			     contig);
}

/* Fill a slot's data with the pattern, piece by contiguous piece. */
static void dsaio_slot_fill(struct dsaio_worker *w, struct dsaio_slot *slot)
{
	u32 done = 0, n;
	void *p;

	while (done < slot->len) {
		p = dsaio_buf_addr(w, slot->buf_off + done, slot->len - done,
				   &n);
		dsaio_pattern_fill(p, slot->dev_off + done, n, w->io->seed);
		done += n;
	}
}

static void dsaio_slot_check(struct dsaio_worker *w, struct dsaio_slot *slot)
{
	u32 done = 0, n;
	void *p;

	while (done < slot->len) {
		p = dsaio_buf_addr(w, slot->buf_off + done, slot->len - done,
				   &n);
		w->mismatches += dsaio_pattern_check(p, slot->dev_off + done, n,
						     w->target->lbs,
						     w->io->seed,
						     &w->first_mismatch);
		done += n;
	}
}

int dsaio_worker_setup(struct dsaio_worker *w)
{
	const struct dsaio_io *io = w->io;
	u64 nr_req = DIV_ROUND_UP_ULL(w->length, io->block_size);
	u32 i;
	int ret;

	w->buf_len = min_t(u64, (u64)io->queue_depth * io->block_size,
			   w->length);
	w->nr_slots = min_t(u64, io->queue_depth, nr_req);
	init_llist_head(&w->done);
	init_waitqueue_head(&w->wait);
	dsaio_stats_init(&w->stats);
	w->first_mismatch = U64_MAX;

	ret = dsaio_buf_alloc(w);
	if (ret)
		return ret;
	w->slots = kvcalloc(w->nr_slots, sizeof(*w->slots), GFP_KERNEL);
	if (!w->slots)
		goto err_free_buf;
	w->free_slots = kvcalloc(w->nr_slots, sizeof(*w->free_slots),
				 GFP_KERNEL);
	if (!w->free_slots)
		goto err_free_slots;
	if (io->histogram) {
		/* A failure ends the job with -ENOMEM: no splat needed. */
		w->hist = kvcalloc(DSAIO_HIST_BUCKETS, sizeof(*w->hist),
				   GFP_KERNEL | __GFP_NOWARN);
		if (!w->hist)
			goto err_free_free_slots;
	}
	for (i = 0; i < w->nr_slots; i++) {
		w->slots[i].worker = w;
		w->slots[i].buf_off = (u64)i * io->block_size;
	}
	/* Data for plain writes is made once, here, never per request. */
	if (io->op == DSAIO_OP_WRITE && !io->validate) {
		u64 off = 0;
		u32 n;
		void *p;

		while (off < w->buf_len) {
			p = dsaio_buf_addr(w, off, w->buf_len - off, &n);
			dsaio_pattern_fill(p, off, n, io->seed);
			off += n;
		}
	}
	if (w->target->engine->worker_init) {
		ret = w->target->engine->worker_init(w);
		if (ret)
			goto err_free_hist;
	}
	return 0;

err_free_hist:
	kvfree(w->hist);
	w->hist = NULL;
err_free_free_slots:
	kvfree(w->free_slots);
	w->free_slots = NULL;
err_free_slots:
	kvfree(w->slots);
	w->slots = NULL;
err_free_buf:
	dsaio_buf_free(w);
	return ret ?: -ENOMEM;
}

/* Frees what dsaio_worker_setup() allocated; the statistics stay. */
void dsaio_worker_release(struct dsaio_worker *w)
{
	if (w->engine_priv && w->target->engine->worker_exit)
		w->target->engine->worker_exit(w);
	kvfree(w->hist);
	w->hist = NULL;
	kvfree(w->free_slots);
	w->free_slots = NULL;
	kvfree(w->slots);
	w->slots = NULL;
	dsaio_buf_free(w);
}

/*
 * Any context (bi_end_io runs in interrupt context). The RCU read section
 * covers the last touch of the worker (its wait queue): once the slot is
 * on the list the worker (or, for a slot it left to the device when the
 * job stopped, dsaio_worker_drain_left()) may take it and finish, and the
 * job waits for a grace period before it frees workers or lets the
 * module go.
 */
void dsaio_slot_complete(struct dsaio_slot *slot)
{
	struct dsaio_worker *w = slot->worker;

	/*
	 * Polled mode: a completion the worker's own poll ran is stamped
	 * (and traced) when the worker reaps it, once per poll pass (see
	 * dsaio_reap()), not one clock read per request: where the clock
	 * is slow (HPET under TCG) reading it was most of a polled
	 * worker's time. Only the worker takes the list then.
	 */
	if (!in_interrupt() && current == w->task && w->polling) {
		slot->done_ns = 0;
		llist_add(&slot->node, &w->done);
		return;
	}
	slot->done_ns = ktime_get_ns();
	/* Before the list: from there on the worker may reuse the slot. */
	trace_dsaio_request_complete(slot);
	rcu_read_lock();
	llist_add(&slot->node, &w->done);
	if (wq_has_sleeper(&w->wait))
		wake_up(&w->wait);
	rcu_read_unlock();
}

/* Worker context: the data and clock of a request, then the engine's. */
static void dsaio_submit(struct dsaio_worker *w, struct dsaio_slot *slot)
{
	if (w->io->op == DSAIO_OP_WRITE && w->io->validate)
		dsaio_slot_fill(w, slot);
	slot->error = 0;
	slot->submit_ns = ktime_get_ns();
	if (!w->loop.first_ns)
		w->loop.first_ns = slot->submit_ns;
	trace_dsaio_request_submit(w, slot);
	w->target->engine->submit(w, slot);
}

/* Worker context: everything a completion needs beyond its timestamp. */
static void dsaio_account(struct dsaio_worker *w, struct dsaio_slot *slot)
{
	struct dsaio_io *io = w->io;
	struct dsaio_stats *s = &w->loop;
	u64 lat = slot->done_ns - slot->submit_ns;

	if (w->hist)
		w->hist[dsaio_hist_index(lat)]++;
	s->requests++;
	s->lat_sum += lat;
	s->lat_min = min(s->lat_min, lat);
	s->lat_max = max(s->lat_max, lat);
	s->last_ns = max(s->last_ns, slot->done_ns);
	if (unlikely(slot->error)) {
		s->errors++;
		dsaio_errno_add(w->errnos, &w->nr_errnos, -slot->error, 1);
		/* A failing device ends the job: no more requests for it. */
		io->failed(io, w->target, slot->error);
	} else {
		s->bytes += slot->len;
		if (io->op == DSAIO_OP_READ && io->validate)
			dsaio_slot_check(w, slot);
	}
	WRITE_ONCE(w->bytes_done, w->bytes_done + slot->len);
}

/*
 * How long a worker still waits for a completion: a second at a time
 * while the job runs (a slow or failing device never looks like a hung
 * task), what is left of DSAIO_STOP_GRACE once it has seen the job stop
 * (counted from then, so a thread that got a CPU late still waits it
 * all); 0 when that is over. Bios do not always end: a suspended dm
 * device holds them until it resumes, so a stopping job waits only that
 * long.
 */
static long dsaio_reap_timeout(struct dsaio_worker *w)
{
	long left;

	if (!dsaio_io_stopping(w->io))
		return HZ;
	if (!w->stop_seen) {
		w->stop_seen = true;
		w->stop_deadline = jiffies + DSAIO_STOP_GRACE;
	}
	left = (long)(w->stop_deadline - jiffies);
	return max(left, 0L);
}

/*
 * Polled mode: no interrupt ends a polled bio, so the worker reaps its
 * own, spinning rather than sleeping while it has bios in flight; it
 * yields the CPU between polls so a device that stops answering costs a
 * busy CPU but no lockup, and dsaio_reap() still sees the job stop.
 */
static void dsaio_poll(struct dsaio_worker *w)
{
	w->polling = true;
	w->target->engine->poll(w);
	w->polling = false;
	cond_resched();
}

/*
 * Wait for at least one completion, account for all that are there and
 * return their slots to the free stack. 0 when the job stopped and none
 * came within DSAIO_STOP_GRACE: the rest is left to the device.
 */
static u32 dsaio_reap(struct dsaio_worker *w)
{
	struct dsaio_slot *slot, *tmp;
	struct llist_node *list;
	long timeout;
	u64 now = 0;
	u32 n = 0;

	while (!(list = llist_del_all(&w->done))) {
		timeout = dsaio_reap_timeout(w);
		if (!timeout)
			return 0;
		if (w->io->poll)
			dsaio_poll(w);
		else
			wait_event_timeout(w->wait, !llist_empty(&w->done),
					   timeout);
	}
	llist_for_each_entry_safe(slot, tmp, list, node) {
		/* Reaped by the worker's own poll: one clock read for all. */
		if (!slot->done_ns) {
			if (!now)
				now = ktime_get_ns();
			slot->done_ns = now;
			trace_dsaio_request_complete(slot);
		}
		dsaio_account(w, slot);
		w->free_slots[w->nr_free++] = slot - w->slots;
		n++;
	}
	return n;
}

void dsaio_worker_run_loop(struct dsaio_worker *w)
{
	const struct dsaio_io *io = w->io;
	u64 nr_req = DIV_ROUND_UP_ULL(w->length, io->block_size);
	struct dsaio_order order;
	u64 next = 0, pos;
	u32 inflight = 0, i, n;
	struct blk_plug plug;

	dsaio_stats_init(&w->loop);
	dsaio_order_init(&order, nr_req, io->random, io->seed, w->index,
			 w->loops_run++);
	/*
	 * Pop order 0, 1, 2...: when the buffer is the whole slice (fewer
	 * requests than queue_depth) request i always lands in slot i, whose
	 * segment is exactly its part of the slice.
	 */
	w->nr_free = w->nr_slots;
	for (i = 0; i < w->nr_slots; i++)
		w->free_slots[i] = w->nr_slots - 1 - i;

	for (;;) {
		/* Overlap refills at once; sequential after the batch. */
		if (next < nr_req && (io->overlap_events || !inflight) &&
		    w->nr_free && !dsaio_io_stopping(io)) {
			trace_dsaio_batch_begin(w, inflight, !io->single_submit);
			if (!io->single_submit)
				blk_start_plug(&plug);
			while (w->nr_free && next < nr_req &&
			       !dsaio_io_stopping(io)) {
				struct dsaio_slot *slot;

				slot = &w->slots[w->free_slots[--w->nr_free]];
				pos = dsaio_order_block(&order, next++) *
				      io->block_size;
				slot->dev_off = w->offset + pos;
				/* A whole-slice buffer keeps each block's part. */
				if (order.random && w->buf_len == w->length)
					slot->buf_off = pos;
				slot->len = min_t(u64, io->block_size,
						  w->length - pos);
				inflight++;
				dsaio_submit(w, slot);
			}
			if (!io->single_submit)
				blk_finish_plug(&plug);
			WRITE_ONCE(w->inflight, inflight);
			trace_dsaio_batch_end(w, inflight, !io->single_submit);
		}
		if (!inflight)
			break;
		n = dsaio_reap(w);
		/* Stopped, and the device holds the rest: leave it to it. */
		if (!n)
			break;
		inflight -= n;
		WRITE_ONCE(w->inflight, inflight);
	}
}

/* Takes the completions on @w->done off the requests it left. */
static void dsaio_worker_take_left(struct dsaio_worker *w)
{
	struct llist_node *node = llist_del_all(&w->done);
	u32 n = 0;

	for (; node; node = node->next)
		n++;
	WRITE_ONCE(w->inflight, w->inflight - n);
}

u32 dsaio_worker_left(struct dsaio_worker *w)
{
	dsaio_worker_take_left(w);
	return w->inflight;
}

void dsaio_worker_drain_left(struct dsaio_worker *w)
{
	while (w->inflight) {
		wait_event_idle(w->wait, !llist_empty(&w->done));
		dsaio_worker_take_left(w);
	}
}

void dsaio_worker_forget_loop(struct dsaio_worker *w)
{
	/* Only the histogram and the bio counts go past w->loop. */
	if (w->hist)
		memset(w->hist, 0, DSAIO_HIST_BUCKETS * sizeof(*w->hist));
	w->bios = 0;
	w->polled = 0;
}
