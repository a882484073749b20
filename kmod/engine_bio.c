// SPDX-License-Identifier: GPL-2.0
/*
 * The bio engine: a request goes to a block device target as one or more
 * bios, each within the device's limits (bytes per bio, segments,
 * BIO_MAX_VECS), from a private bio_set. bi_end_io only drops the
 * request's bio count; the last one completes the slot.
 */
#include <linux/bio.h>
#include <linux/blkdev.h>
#include <linux/dsaio.h>
#include <linux/slab.h>

#include "engine.h"
#include "target.h"

struct dsaio_bio_engine {
	struct bio_set bioset;
};

/* Each worker holds at most one unsubmitted bio at a time. */
static int dsaio_bio_init(struct dsaio_target *t, u32 nr_workers)
{
	struct dsaio_bio_engine *e;
	int ret;

	e = kzalloc(sizeof(*e), GFP_KERNEL);
	if (!e)
		return -ENOMEM;
	ret = bioset_init(&e->bioset, max_t(u32, 2 * nr_workers, 4), 0,
			  BIOSET_NEED_BVECS);
	if (ret) {
		kfree(e);
		return ret;
	}
	t->engine_priv = e;
	return 0;
}

static void dsaio_bio_exit(struct dsaio_target *t)
{
	struct dsaio_bio_engine *e = t->engine_priv;

	if (!e)
		return;
	bioset_exit(&e->bioset);
	kfree(e);
	t->engine_priv = NULL;
}

static void dsaio_bio_end_io(struct bio *bio)
{
	struct dsaio_slot *slot = bio->bi_private;
	struct dsaio_worker *w = slot->worker;

	/* Only the worker's own poll writes this, from its own context. */
	if (!in_interrupt() && current == w->task && w->polling)
		w->polled++;
	if (unlikely(bio->bi_status))
		cmpxchg(&slot->error, 0, blk_status_to_errno(bio->bi_status));
	bio_put(bio);
	if (atomic_dec_and_test(&slot->remaining))
		dsaio_slot_complete(slot);
}

/*
 * The request completes when the last of its bios does; the +1 held
 * while submitting keeps an early completion of the first bios from
 * finishing it too soon. A polled bio is not merged: a bio merged into
 * another's request gets no cookie, and a worker polling it would poll
 * nothing (and each bio stays one device request, as fio's hipri
 * workloads count them with merges off).
 */
static void dsaio_bio_submit(struct dsaio_worker *w, struct dsaio_slot *slot)
{
	const struct dsaio_target *t = w->target;
	struct dsaio_bio_engine *e = t->engine_priv;
	blk_opf_t opf = (w->io->op == DSAIO_OP_WRITE ?
			 REQ_OP_WRITE | REQ_SYNC : REQ_OP_READ) |
			(w->io->poll ? REQ_POLLED | REQ_NOMERGE : 0);
	u64 chunk = PAGE_SIZE << w->chunk_order;
	sector_t sector = slot->dev_off >> SECTOR_SHIFT;
	u32 done = 0;

	/* The slot is free: its last request's bios all ended. */
	if (slot->poll_bio) {
		bio_put(slot->poll_bio);
		slot->poll_bio = NULL;
	}
	atomic_set(&slot->remaining, 1);
	while (done < slot->len) {
		u32 bytes = 0, want = min(slot->len - done, t->max_io_bytes);
		unsigned short vecs;
		struct bio *bio;

		vecs = min_t(u64, t->max_segments,
			     DIV_ROUND_UP_ULL(want, chunk) + 1);
		bio = bio_alloc_bioset(t->bdev, vecs, opf, GFP_NOIO,
				       &e->bioset);
		if (unlikely(!bio)) {
			cmpxchg(&slot->error, 0, -ENOMEM);
			break;
		}
		bio->bi_iter.bi_sector = sector;
		bio->bi_end_io = dsaio_bio_end_io;
		bio->bi_private = slot;
		while (bytes < want) {
			u32 in, n;
			struct page *page = dsaio_slot_page(w, slot, done + bytes,
							    &in, &n);

			n = min(n, want - bytes);
			if (bio_add_page(bio, page, n, in) != n)
				break;
			bytes += n;
		}
		if (unlikely(!bytes || bytes % t->lbs)) {
			/* Cannot happen: pieces are chunk- and lbs-aligned. */
			bio_put(bio);
			cmpxchg(&slot->error, 0, -EIO);
			break;
		}
		done += bytes;
		sector += bytes >> SECTOR_SHIFT;
		w->bios++;
		atomic_inc(&slot->remaining);
		/* Its end_io puts the bio's own reference, maybe before this. */
		if (w->io->poll) {
			if (slot->poll_bio)
				bio_put(slot->poll_bio);
			bio_get(bio);
			slot->poll_bio = bio;
		}
		submit_bio(bio);
	}
	if (atomic_dec_and_test(&slot->remaining))
		dsaio_slot_complete(slot);
}

/* Distinct hardware queues one pass polls at most (one per poll queue). */
#define DSAIO_POLL_QUEUES	4

/*
 * One pass of polled reaping, as io_uring's iopoll does: each hardware
 * queue the worker's slots in flight are on is polled once (any of its
 * requests the device finished end, whoever's they are), the requests the
 * driver batched ended together. A bio's cookie (its queue) is set when
 * the driver starts its request; polled bios are never merged (see
 * dsaio_bio_submit()), so each has its own. Only a slot's last bio is
 * held: a request whose bios went to several queues (its worker moved
 * CPU while submitting it, on a device with several poll queues) has its
 * other pieces reaped only when a poll reaches their queue, through
 * another slot, or else by the block layer's timeout.
 */
static int dsaio_bio_poll(struct dsaio_worker *w)
{
	blk_qc_t done[DSAIO_POLL_QUEUES];
	u32 i, k, nr_done = 0;
	int n = 0;

	for (i = 0; i < w->nr_slots && nr_done < DSAIO_POLL_QUEUES; i++) {
		struct dsaio_slot *slot = &w->slots[i];
		DEFINE_IO_COMP_BATCH(iob);
		blk_qc_t cookie;

		if (!slot->poll_bio || !atomic_read(&slot->remaining))
			continue;
		cookie = READ_ONCE(slot->poll_bio->bi_cookie);
		if (cookie == BLK_QC_T_NONE)
			continue;	/* not started yet */
		for (k = 0; k < nr_done && done[k] != cookie; k++)
			;
		if (k < nr_done)
			continue;
		done[nr_done++] = cookie;
		n += bio_poll(slot->poll_bio, &iob, BLK_POLL_ONESHOT);
		/* Set by the driver's first batched request (6.1 and 6.12). */
		if (iob.complete)
			iob.complete(&iob);
	}
	return n;
}

/* Polled mode's per-worker state is in its slots: the bios held. */
static int dsaio_bio_worker_init(struct dsaio_worker *w)
{
	w->engine_priv = w->target->engine_priv;
	return 0;
}

static void dsaio_bio_worker_exit(struct dsaio_worker *w)
{
	u32 i;

	for (i = 0; i < w->nr_slots; i++) {
		if (w->slots[i].poll_bio)
			bio_put(w->slots[i].poll_bio);
		w->slots[i].poll_bio = NULL;
	}
	w->engine_priv = NULL;
}

const struct dsaio_engine_ops dsaio_engine_bio = {
	.name = "bio",
	.init = dsaio_bio_init,
	.exit = dsaio_bio_exit,
	.worker_init = dsaio_bio_worker_init,
	.worker_exit = dsaio_bio_worker_exit,
	.submit = dsaio_bio_submit,
	.poll = dsaio_bio_poll,
};
