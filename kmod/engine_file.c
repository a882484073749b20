// SPDX-License-Identifier: GPL-2.0
/*
 * The file engine: a request goes to a file target as one asynchronous
 * O_DIRECT kiocb over a bvec iov_iter of the slot's buffer pages, through
 * the filesystem's ->read_iter/->write_iter, as the loop driver drives
 * its backing file (lo_rw_aio()). Its ki_complete completes the slot.
 * A filesystem may also finish a request before returning (ext4 waits
 * for a direct write that extends the file): then the submitter
 * completes it, as the loop driver does.
 */
#include <linux/dsaio.h>
#include <linux/fs.h>
#include <linux/slab.h>
#include <linux/uio.h>

#include "engine.h"
#include "target.h"

/* A slot's kiocb and the bio_vecs of its pages. */
struct dsaio_file_req {
	struct kiocb iocb;
	struct dsaio_slot *slot;
	struct bio_vec *vecs;
};

/* Per worker: one request per slot, its vecs in one array. */
struct dsaio_file_worker {
	struct bio_vec *vecs;
	u32 max_vecs;			/* per request */
	struct dsaio_file_req reqs[];	/* worker->nr_slots */
};

static int dsaio_file_worker_init(struct dsaio_worker *w)
{
	u64 chunk = PAGE_SIZE << w->chunk_order;
	struct dsaio_file_worker *fw;
	u32 i;

	fw = kvzalloc(struct_size(fw, reqs, w->nr_slots), GFP_KERNEL);
	if (!fw)
		return -ENOMEM;
	/* A request's segment may start inside a chunk: one piece more. */
	fw->max_vecs = DIV_ROUND_UP_ULL(w->io->block_size, chunk) + 1;
	fw->vecs = kvcalloc((size_t)w->nr_slots * fw->max_vecs,
			    sizeof(*fw->vecs), GFP_KERNEL);
	if (!fw->vecs) {
		kvfree(fw);
		return -ENOMEM;
	}
	for (i = 0; i < w->nr_slots; i++) {
		fw->reqs[i].slot = &w->slots[i];
		fw->reqs[i].vecs = &fw->vecs[(size_t)i * fw->max_vecs];
	}
	w->engine_priv = fw;
	return 0;
}

static void dsaio_file_worker_exit(struct dsaio_worker *w)
{
	struct dsaio_file_worker *fw = w->engine_priv;

	kvfree(fw->vecs);
	kvfree(fw);
	w->engine_priv = NULL;
}

/*
 * Any context. A direct I/O comes back short, not failed, only when the
 * filesystem stopped mapping the range part-way: for a write that is a
 * failed allocation, in practice a full filesystem (or quota). A device
 * error fails the whole kiocb with its own errno.
 */
static void dsaio_file_complete(struct kiocb *iocb, long ret)
{
	struct dsaio_file_req *r = container_of(iocb, struct dsaio_file_req,
						iocb);
	struct dsaio_slot *slot = r->slot;
	bool write = iocb->ki_flags & IOCB_WRITE;

	if (write)
		kiocb_end_write(iocb);
	if (unlikely(ret < 0))
		slot->error = ret;
	else if (unlikely(ret != slot->len))
		slot->error = write ? -ENOSPC : -EIO;
	dsaio_slot_complete(slot);
}

static void dsaio_file_submit(struct dsaio_worker *w, struct dsaio_slot *slot)
{
	struct dsaio_file_worker *fw = w->engine_priv;
	struct dsaio_file_req *r = &fw->reqs[slot - w->slots];
	struct file *file = w->target->file;
	bool write = w->io->op == DSAIO_OP_WRITE;
	struct iov_iter iter;
	u32 done = 0, n = 0;
	ssize_t ret;

	while (done < slot->len && n < fw->max_vecs) {
		u32 in, contig;
		struct page *page = dsaio_slot_page(w, slot, done, &in,
						    &contig);

		r->vecs[n].bv_page = page;
		r->vecs[n].bv_offset = in;
		r->vecs[n].bv_len = contig;
		done += contig;
		n++;
	}
	if (unlikely(done != slot->len)) {
		/* Cannot happen: max_vecs covers any segment of block_size. */
		slot->error = -EIO;
		dsaio_slot_complete(slot);
		return;
	}
	iov_iter_bvec(&iter, write ? ITER_SOURCE : ITER_DEST, r->vecs, n,
		      slot->len);
	init_sync_kiocb(&r->iocb, file);
	r->iocb.ki_pos = slot->dev_off;
	r->iocb.ki_flags |= IOCB_DIRECT;
	r->iocb.ki_complete = dsaio_file_complete;
	w->bios++;
	if (write) {
		r->iocb.ki_flags |= IOCB_WRITE;
		kiocb_start_write(&r->iocb);
		ret = file->f_op->write_iter(&r->iocb, &iter);
	} else {
		ret = file->f_op->read_iter(&r->iocb, &iter);
	}
	if (ret != -EIOCBQUEUED)
		dsaio_file_complete(&r->iocb, ret);
}

const struct dsaio_engine_ops dsaio_engine_file = {
	.name = "file",
	/* No per-target state: that is the file itself (target->file). */
	.worker_init = dsaio_file_worker_init,
	.worker_exit = dsaio_file_worker_exit,
	.submit = dsaio_file_submit,
};
