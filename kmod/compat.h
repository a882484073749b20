/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Differences between the kernels dsaio supports (6.1 and 6.12), kept in
 * this one force-included header so the other sources carry no version
 * checks.
 */
#ifndef _DSAIO_COMPAT_H
#define _DSAIO_COMPAT_H

#include <linux/version.h>
#include <linux/blkdev.h>
#include <linux/err.h>
#include <linux/fs.h>
#include <linux/mount.h>
#include <net/genetlink.h>

/* An opened block device and whatever closing it needs. */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 9, 0)
struct dsaio_bdev {
	struct block_device *bdev;
	struct file *file;
};

/*
 * Open device @dev (looked up and permission-checked by the caller, so
 * the node checked is the device opened) for reading, or for reading and
 * writing with an exclusive claim owned by @holder (so a mounted
 * filesystem, dm/md, swap or another claim makes it fail with -EBUSY). A
 * read-only open is shared. A read-only device refuses a write with
 * -EROFS, as the by-path open does with -EACCES.
 */
static inline int dsaio_bdev_open(struct dsaio_bdev *b, dev_t dev,
				  bool write, void *holder)
{
	blk_mode_t mode = BLK_OPEN_READ;
	struct file *file;

	if (write)
		mode |= BLK_OPEN_WRITE;
	/* A non-NULL holder is what makes the open exclusive here. */
	file = bdev_file_open_by_dev(dev, mode, write ? holder : NULL, NULL);
	if (IS_ERR(file))
		return PTR_ERR(file);
	if (write && bdev_read_only(file_bdev(file))) {
		bdev_fput(file);
		return -EROFS;
	}
	b->file = file;
	b->bdev = file_bdev(file);
	return 0;
}

static inline void dsaio_bdev_close(struct dsaio_bdev *b)
{
	/* bdev_fput() drops the claim now; fput() would defer it. */
	bdev_fput(b->file);
	b->file = NULL;
	b->bdev = NULL;
}
#else
struct dsaio_bdev {
	struct block_device *bdev;
	fmode_t mode;
};

/* As above: exclusive (FMODE_EXCL with a holder) only for writing. */
static inline int dsaio_bdev_open(struct dsaio_bdev *b, dev_t dev,
				  bool write, void *holder)
{
	fmode_t mode = FMODE_READ;
	struct block_device *bdev;

	if (write)
		mode |= FMODE_WRITE | FMODE_EXCL;
	bdev = blkdev_get_by_dev(dev, mode, write ? holder : NULL);
	if (IS_ERR(bdev))
		return PTR_ERR(bdev);
	if (write && bdev_read_only(bdev)) {
		blkdev_put(bdev, mode);
		return -EROFS;
	}
	b->bdev = bdev;
	b->mode = mode;
	return 0;
}

static inline void dsaio_bdev_close(struct dsaio_bdev *b)
{
	blkdev_put(b->bdev, b->mode);
	b->bdev = NULL;
}
#endif

/*
 * Unlink @victim from @dir on @mnt, as the current credentials may. The
 * mount's idmapping is a struct mnt_idmap from 6.3, a user namespace
 * before.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 3, 0)
static inline int dsaio_vfs_unlink(struct vfsmount *mnt, struct inode *dir,
				   struct dentry *victim)
{
	return vfs_unlink(mnt_idmap(mnt), dir, victim, NULL);
}
#else
static inline int dsaio_vfs_unlink(struct vfsmount *mnt, struct inode *dir,
				   struct dentry *victim)
{
	return vfs_unlink(mnt_user_ns(mnt), dir, victim, NULL);
}
#endif

/*
 * A refusal about entry @i of DSAIO_CFG_TARGETS. Kernels that format
 * extack messages (6.2 and later: NL_SET_ERR_MSG_FMT) name the entry in
 * the sentence, which is cut to their 80-byte buffer rather than
 * warned about; 6.1 keeps @why as it is, and the bad attribute, set by
 * the caller, points at the entry there as everywhere.
 */
#ifdef NL_SET_ERR_MSG_FMT
#define DSAIO_TARGET_MSG_PREFIX	"target %u: "
static inline void dsaio_extack_target(struct netlink_ext_ack *extack, u32 i,
				       const char *why)
{
	/* The prefix with a two-digit index, and the NUL. */
	int room = NETLINK_MAX_FMTMSG_LEN - 1 -
		   (int)(sizeof(DSAIO_TARGET_MSG_PREFIX) - 1);

	NL_SET_ERR_MSG_FMT(extack, DSAIO_TARGET_MSG_PREFIX "%.*s", i, room,
			   why);
}
#else
static inline void dsaio_extack_target(struct netlink_ext_ack *extack, u32 i,
				       const char *why)
{
	if (extack)
		extack->_msg = why;
}
#endif

/*
 * Whether @bdev's queue takes polled bios (REQ_POLLED, bio_poll()): a
 * queue limit feature from 6.11 (BLK_FEAT_POLL), a queue flag before.
 * bio_poll() itself has the same signature on both.
 */
#ifdef BLK_FEAT_POLL
static inline bool dsaio_bdev_can_poll(struct block_device *bdev)
{
	return bdev_get_queue(bdev)->limits.features & BLK_FEAT_POLL;
}
#else
static inline bool dsaio_bdev_can_poll(struct block_device *bdev)
{
	return test_bit(QUEUE_FLAG_POLL, &bdev_get_queue(bdev)->queue_flags);
}
#endif

/* Requests the device's queue allocates, the bound on polled bios. */
static inline unsigned long dsaio_bdev_nr_requests(struct block_device *bdev)
{
	return bdev_get_queue(bdev)->nr_requests;
}

#endif /* _DSAIO_COMPAT_H */
