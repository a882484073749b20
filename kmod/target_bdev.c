// SPDX-License-Identifier: GPL-2.0
/*
 * Block device targets: opened by path (compat.h hides how each kernel
 * spells it), described by the device's own queue limits, written only
 * under an exclusive claim, submitted to by the bio engine.
 */
#include <linux/blkdev.h>
#include <linux/bio.h>
#include <linux/dsaio.h>
#include <linux/fs.h>
#include <linux/mount.h>
#include <linux/namei.h>
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
	case -ENXIO:
	case -ENODEV:
		return "DSAIO_CFG_DEV_PATH: the device node has no device behind it";
	case -EROFS:
		return "DSAIO_CFG_DEV_PATH: the device is read-only";
	case -EBUSY:
		return "DSAIO_CFG_DEV_PATH: busy (mounted, held by dm/md/swap or another writer)";
	case -EINVAL:
		return "DSAIO_CFG_DEV_PATH: device reports unusable I/O limits";
	default:
		return "DSAIO_CFG_DEV_PATH: cannot open the device";
	}
}

/* The refusals of the caller's rights (see "Who may do what", dsaio.h). */
static const char dsaio_bdev_no_search[] =
	"DSAIO_CFG_DEV_PATH: the caller may not look the path up (search permission)";
static const char dsaio_bdev_no_r[] =
	"DSAIO_CFG_DEV_PATH: the caller has no read permission to the device node";
static const char dsaio_bdev_no_rw[] =
	"DSAIO_CFG_DEV_PATH: the caller has no read and write permission to the device node";
static const char dsaio_bdev_no_cap[] =
	"DSAIO_CFG_DEV_PATH: writing a device needs CAP_SYS_RAWIO or CAP_SYS_ADMIN";

/*
 * The caller's right to the device node (see "Who may do what" in
 * <linux/dsaio.h>): the node is looked up and checked with the caller's
 * credentials (JOB_START runs in its context) for what an open() with
 * the job's mode would need, MAY_READ and for a write MAY_WRITE, and on
 * a mount that allows device nodes. The device number found is what is
 * opened, so the node checked cannot be swapped for another afterwards.
 */
static int dsaio_bdev_lookup(struct dsaio_target_args *a, dev_t *dev)
{
	struct inode *inode;
	struct path path;
	int ret;

	ret = kern_path(a->path, LOOKUP_FOLLOW, &path);
	if (ret) {
		a->why = ret == -EACCES ? dsaio_bdev_no_search :
					  dsaio_bdev_why(ret);
		return ret;
	}
	inode = d_backing_inode(path.dentry);
	if (!S_ISBLK(inode->i_mode)) {
		ret = -ENOTBLK;
		a->why = dsaio_bdev_why(ret);
	} else if ((path.mnt->mnt_flags & MNT_NODEV) ||
		   (path.mnt->mnt_sb->s_iflags & SB_I_NODEV)) {
		/* may_open_dev(), which is not exported */
		ret = -EACCES;
		a->why = "DSAIO_CFG_DEV_PATH: the node is on a nodev mount";
	} else {
		ret = path_permission(&path, a->write ? MAY_READ | MAY_WRITE :
						       MAY_READ);
		if (ret)
			a->why = a->write ? dsaio_bdev_no_rw : dsaio_bdev_no_r;
		*dev = inode->i_rdev;
	}
	path_put(&path);
	return ret;
}

static int dsaio_bdev_target_open(struct dsaio_target *t,
				  struct dsaio_target_args *a)
{
	struct dsaio_bdev *b;
	struct request_queue *q;
	dev_t dev = 0;
	int ret;

	a->why_attr = DSAIO_CFG_DEV_PATH;
	ret = dsaio_bdev_lookup(a, &dev);
	if (ret)
		return ret;
	/*
	 * Writing a device bypasses every file's permissions on it: it
	 * takes what already means raw disk access, on top of the right
	 * to the node.
	 */
	if (a->write && !a->raw_write) {
		a->why = dsaio_bdev_no_cap;
		return -EPERM;
	}
	b = kzalloc(sizeof(*b), GFP_KERNEL);
	if (!b)
		return -ENOMEM;
	ret = dsaio_bdev_open(b, dev, a->write, a->holder);
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
