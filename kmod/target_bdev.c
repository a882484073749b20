// SPDX-License-Identifier: GPL-2.0
/*
 * Block device targets: opened by path (compat.h hides how each kernel
 * spells it), described by the device's own queue limits, written only
 * under an exclusive claim, submitted to by the bio engine.
 */
#include <linux/blkdev.h>
#include <linux/bio.h>
#include <linux/dsaio.h>
#include <linux/slab.h>
#include <linux/sizes.h>

#include "engine.h"
#include "target.h"

/* Why opening the device failed, as a sentence for the user. */
static const char *dsaio_bdev_why(int error)
{
	switch (error) {
	case -ENOTBLK:
		return "DSAIO_CFG_DEV_PATH: not a block device";
	case -ENOENT:
		return "DSAIO_CFG_DEV_PATH: no such device";
	case -EBUSY:
		return "DSAIO_CFG_DEV_PATH: busy (mounted, held by dm/md/swap or another writer)";
	case -EINVAL:
		return "DSAIO_CFG_DEV_PATH: device reports unusable I/O limits";
	default:
		return "DSAIO_CFG_DEV_PATH: cannot open the device";
	}
}

static int dsaio_bdev_target_open(struct dsaio_target *t,
				  struct dsaio_target_args *a)
{
	struct dsaio_bdev *b;
	struct request_queue *q;
	int ret;

	a->why_attr = DSAIO_CFG_DEV_PATH;
	b = kzalloc(sizeof(*b), GFP_KERNEL);
	if (!b)
		return -ENOMEM;
	ret = dsaio_bdev_open(b, a->path, a->write, a->holder);
	if (ret) {
		a->why = dsaio_bdev_why(ret);
		goto err_free;
	}
	q = bdev_get_queue(b->bdev);
	t->priv = b;
	t->bdev = b->bdev;
	t->engine = &dsaio_engine_bio;
	t->size = bdev_nr_bytes(b->bdev);
	t->lbs = bdev_logical_block_size(b->bdev);
	/* One bio at most 1 GiB, whole logical blocks, within the queue. */
	t->max_io_bytes = rounddown(min_t(u64, (u64)queue_max_sectors(q) <<
					  SECTOR_SHIFT, SZ_1G), t->lbs);
	t->max_segments = min_t(u32, BIO_MAX_VECS, queue_max_segments(q));
	if (!t->max_io_bytes || !t->max_segments) {
		ret = -EINVAL;
		a->why = dsaio_bdev_why(ret);
		goto err_close;
	}
	t->info.align = t->lbs;
	snprintf(t->info.bdev, sizeof(t->info.bdev), "%pg", t->bdev);
	return 0;

err_close:
	dsaio_bdev_close(b);
err_free:
	kfree(b);
	return ret;
}

static void dsaio_bdev_target_release(struct dsaio_target *t)
{
	struct dsaio_bdev *b = t->priv;

	dsaio_bdev_close(b);
	kfree(b);
	t->priv = NULL;
	t->bdev = NULL;
}

const struct dsaio_target_type dsaio_target_bdev = {
	.name = "bdev",
	.open = dsaio_bdev_target_open,
	.release = dsaio_bdev_target_release,
};
