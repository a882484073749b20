// SPDX-License-Identifier: GPL-2.0
/*
 * The I/O engine: one kernel thread per slice submits requests as bios
 * with DeepSpeed's semantics and accounts for their completions.
 *
 * Hot path: bi_end_io only drops the request's bio count; the last bio
 * stamps the completion time and pushes the slot on the worker's lock-free
 * list (llist). Everything else (latency histogram, statistics, pattern
 * check) is done by the worker thread itself in process context, so the
 * histogram and the counters are plain per-worker memory with a single
 * writer: no locks and no atomics on them.
 */
#include <linux/bio.h>
#include <linux/blkdev.h>
#include <linux/dsaio.h>
#include <linux/gfp.h>
#include <linux/kthread.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/timekeeping.h>

#include "engine.h"
#include "job.h"
#include "pattern.h"

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

static void dsaio_buf_free(struct dsaio_worker *w)
{
	u32 i;

	if (!w->chunks)
		return;
	for (i = 0; i < w->nr_chunks; i++) {
		if (w->chunks[i])
			__free_pages(w->chunks[i], dsaio_chunk_order_of(w, i));
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
		if (dsaio_job_stopping(w->job))
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
	unsigned int min_order = get_order(w->job->lbs);
	unsigned int order = min_t(unsigned int, get_order(w->buf_len),
				   DSAIO_CHUNK_ORDER_MAX);

	for (;;) {
		if (!dsaio_buf_try(w, order))
			return 0;
		if (dsaio_job_stopping(w->job) || order <= min_order)
			return -ENOMEM;
		order--;
	}
}

static void *dsaio_buf_addr(const struct dsaio_worker *w, u64 off,
			    u32 *contig)
{
	unsigned int shift = PAGE_SHIFT + w->chunk_order;
	u64 in = off & ((1ULL << shift) - 1);

	*contig = (u32)min_t(u64, (1ULL << shift) - in, w->buf_len - off);
	return page_address(w->chunks[off >> shift]) + in;
}

/* Fill a slot's data with the pattern, piece by contiguous piece. */
static void dsaio_slot_fill(struct dsaio_worker *w, struct dsaio_slot *slot)
{
	u64 seed = w->job->cfg.seed;
	u32 done = 0, n;
	void *p;

	while (done < slot->len) {
		p = dsaio_buf_addr(w, slot->buf_off + done, &n);
		n = min(n, slot->len - done);
		dsaio_pattern_fill(p, slot->dev_off + done, n, seed);
		done += n;
	}
}

static void dsaio_slot_check(struct dsaio_worker *w, struct dsaio_slot *slot)
{
	struct dsaio_job *job = w->job;
	u32 done = 0, n;
	void *p;

	while (done < slot->len) {
		p = dsaio_buf_addr(w, slot->buf_off + done, &n);
		n = min(n, slot->len - done);
		w->mismatches += dsaio_pattern_check(p, slot->dev_off + done, n,
						     job->lbs, job->cfg.seed,
						     &w->first_mismatch);
		done += n;
	}
}

int dsaio_worker_setup(struct dsaio_worker *w)
{
	struct dsaio_job *job = w->job;
	u64 nr_req = DIV_ROUND_UP_ULL(w->length, job->cfg.block_size);
	u32 i;
	int ret;

	w->buf_len = min_t(u64, (u64)job->cfg.queue_depth * job->cfg.block_size,
			   w->length);
	w->nr_slots = min_t(u64, job->cfg.queue_depth, nr_req);
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
	if (job->cfg.histogram) {
		/* A failure ends the job with -ENOMEM: no splat needed. */
		w->hist = kvcalloc(DSAIO_HIST_BUCKETS, sizeof(*w->hist),
				   GFP_KERNEL | __GFP_NOWARN);
		if (!w->hist)
			goto err_free_free_slots;
	}
	for (i = 0; i < w->nr_slots; i++) {
		w->slots[i].worker = w;
		w->slots[i].buf_off = (u64)i * job->cfg.block_size;
	}
	/* Data for plain writes is made once, here, never per request. */
	if (job->cfg.op == DSAIO_OP_WRITE && !job->cfg.validate) {
		u64 off = 0;
		u32 n;
		void *p;

		while (off < w->buf_len) {
			p = dsaio_buf_addr(w, off, &n);
			dsaio_pattern_fill(p, off, n, job->cfg.seed);
			off += n;
		}
	}
	return 0;

err_free_free_slots:
	kvfree(w->free_slots);
	w->free_slots = NULL;
err_free_slots:
	kvfree(w->slots);
	w->slots = NULL;
err_free_buf:
	dsaio_buf_free(w);
	return -ENOMEM;
}

/* Frees what dsaio_worker_setup() allocated; the statistics stay. */
void dsaio_worker_release(struct dsaio_worker *w)
{
	kvfree(w->hist);
	w->hist = NULL;
	kvfree(w->free_slots);
	w->free_slots = NULL;
	kvfree(w->slots);
	w->slots = NULL;
	dsaio_buf_free(w);
}

/*
 * Interrupt context. The RCU read section covers the last touch of the
 * worker (its wait queue): once the slot is on the list the worker may
 * finish, and the controller waits for a grace period before it frees
 * workers or lets the module go.
 */
static void dsaio_slot_complete(struct dsaio_slot *slot)
{
	struct dsaio_worker *w = slot->worker;

	slot->done_ns = ktime_get_ns();
	rcu_read_lock();
	llist_add(&slot->node, &w->done);
	if (wq_has_sleeper(&w->wait))
		wake_up(&w->wait);
	rcu_read_unlock();
}

static void dsaio_end_io(struct bio *bio)
{
	struct dsaio_slot *slot = bio->bi_private;

	if (unlikely(bio->bi_status))
		cmpxchg(&slot->error, 0, blk_status_to_errno(bio->bi_status));
	bio_put(bio);
	if (atomic_dec_and_test(&slot->remaining))
		dsaio_slot_complete(slot);
}

/*
 * Submit one request as one or more bios, each within the device's limits
 * (bytes per bio, segments, BIO_MAX_VECS). The request completes when the
 * last of its bios does; the +1 held while submitting keeps an early
 * completion of the first bios from finishing it too soon.
 */
static void dsaio_submit(struct dsaio_worker *w, struct dsaio_slot *slot)
{
	struct dsaio_job *job = w->job;
	blk_opf_t opf = job->cfg.op == DSAIO_OP_WRITE ?
			REQ_OP_WRITE | REQ_SYNC : REQ_OP_READ;
	u64 chunk = PAGE_SIZE << w->chunk_order;
	sector_t sector = slot->dev_off >> SECTOR_SHIFT;
	u64 buf = slot->buf_off;
	u32 left = slot->len;

	if (job->cfg.op == DSAIO_OP_WRITE && job->cfg.validate)
		dsaio_slot_fill(w, slot);
	slot->error = 0;
	atomic_set(&slot->remaining, 1);
	slot->submit_ns = ktime_get_ns();
	if (!w->loop.first_ns)
		w->loop.first_ns = slot->submit_ns;

	while (left) {
		u32 bytes = 0, want = min(left, job->max_bio_bytes);
		unsigned short vecs;
		struct bio *bio;

		vecs = min_t(u64, job->max_bio_vecs,
			     DIV_ROUND_UP_ULL(want, chunk) + 1);
		bio = bio_alloc_bioset(job->bdev.bdev, vecs, opf, GFP_NOIO,
				       &job->bioset);
		if (unlikely(!bio)) {
			cmpxchg(&slot->error, 0, -ENOMEM);
			break;
		}
		bio->bi_iter.bi_sector = sector;
		bio->bi_end_io = dsaio_end_io;
		bio->bi_private = slot;
		while (bytes < want) {
			u32 in = buf & (chunk - 1);
			u32 n = min_t(u64, chunk - in, want - bytes);
			struct page *page = w->chunks[buf >> (PAGE_SHIFT +
							      w->chunk_order)];

			if (bio_add_page(bio, page, n, in) != n)
				break;
			buf += n;
			bytes += n;
		}
		if (unlikely(!bytes || bytes % job->lbs)) {
			/* Cannot happen: pieces are chunk- and lbs-aligned. */
			bio_put(bio);
			cmpxchg(&slot->error, 0, -EIO);
			break;
		}
		left -= bytes;
		sector += bytes >> SECTOR_SHIFT;
		w->bios++;
		atomic_inc(&slot->remaining);
		submit_bio(bio);
	}
	if (atomic_dec_and_test(&slot->remaining))
		dsaio_slot_complete(slot);
}

/* Worker context: everything a completion needs beyond its timestamp. */
static void dsaio_account(struct dsaio_worker *w, struct dsaio_slot *slot)
{
	struct dsaio_job *job = w->job;
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
		dsaio_job_stop(job, DSAIO_JOB_FAILED, slot->error);
	} else {
		s->bytes += slot->len;
		if (job->cfg.op == DSAIO_OP_READ && job->cfg.validate)
			dsaio_slot_check(w, slot);
	}
	WRITE_ONCE(w->bytes_done, w->bytes_done + slot->len);
}

/*
 * Wait for at least one completion, account for all that are there and
 * return their slots to the free stack. The wait wakes up every second so
 * a slow or failing device never looks like a hung task; bios always end
 * (the block layer times them out), so the wait is bounded.
 */
static u32 dsaio_reap(struct dsaio_worker *w)
{
	struct dsaio_slot *slot, *tmp;
	struct llist_node *list;
	u32 n = 0;

	while (!(list = llist_del_all(&w->done)))
		wait_event_timeout(w->wait, !llist_empty(&w->done), HZ);
	llist_for_each_entry_safe(slot, tmp, list, node) {
		dsaio_account(w, slot);
		w->free_slots[w->nr_free++] = slot - w->slots;
		n++;
	}
	return n;
}

void dsaio_worker_run_loop(struct dsaio_worker *w)
{
	struct dsaio_job *job = w->job;
	const struct dsaio_job_config *cfg = &job->cfg;
	u64 next = 0;
	u32 inflight = 0, i;
	struct blk_plug plug;

	dsaio_stats_init(&w->loop);
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
		if (next < w->length && (cfg->overlap_events || !inflight) &&
		    w->nr_free && !dsaio_job_stopping(job)) {
			if (!cfg->single_submit)
				blk_start_plug(&plug);
			while (w->nr_free && next < w->length &&
			       !dsaio_job_stopping(job)) {
				struct dsaio_slot *slot;

				slot = &w->slots[w->free_slots[--w->nr_free]];
				slot->dev_off = w->offset + next;
				slot->len = min_t(u64, cfg->block_size,
						  w->length - next);
				next += slot->len;
				inflight++;
				dsaio_submit(w, slot);
			}
			if (!cfg->single_submit)
				blk_finish_plug(&plug);
		}
		if (!inflight)
			break;
		inflight -= dsaio_reap(w);
	}
}
