// SPDX-License-Identifier: GPL-2.0
/*
 * File targets: one regular file that the job creates in a directory of a
 * filesystem on a block device, measured with O_DIRECT by the file engine,
 * as DeepSpeed swaps to files in its nvme_path.
 *
 * Safety: the directory is looked up, and the file created, in JOB_START
 * with the caller's credentials and mount namespace. The name is the
 * job's own ("dsaio-<id>.dat"), created exclusively, so an existing name
 * (a planted symlink included) is refused and never followed. Later
 * creates and removes (between loops, at the end) run in the controller,
 * a kernel thread: they are made relative to the directory held since
 * JOB_START, with the caller's saved credentials, and a remove only
 * unlinks the name while it still is the inode this job created.
 */
#include <linux/cred.h>
#include <linux/dcache.h>
#include <linux/delay.h>
#include <linux/dsaio.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/mount.h>
#include <linux/namei.h>
#include <linux/slab.h>
#include <linux/stat.h>
#include <linux/statfs.h>
#include <linux/uio.h>

#include "engine.h"
#include "pattern.h"
#include "target.h"

/* Set-up writes the file in pieces of this many pages (1 MiB). */
#define DSAIO_FILL_PAGES	256

struct dsaio_file_target {
	struct path dir;		/* DIR, held from open to release */
	const struct cred *cred;	/* the caller's, for later creates */
	char name[DSAIO_TGT_NAME_MAX];
	u64 size;			/* bytes the file holds */
	/*
	 * Writes without overwrite: a new, empty file each loop. Otherwise
	 * (reads, overwrites) one file written in full at set-up.
	 */
	bool renew;
	bool keep;			/* left in DIR at release */
};

static int dsaio_file_unlink(struct dsaio_file_target *f,
			     const struct inode *ours);

/*
 * Create the job's file, exclusively and without following a symlink,
 * relative to the held directory, with the current credentials.
 */
static struct file *dsaio_file_create(struct dsaio_file_target *f)
{
	/* DeepSpeed's write open is O_WRONLY|O_CREAT|O_DIRECT; fill needs RW. */
	int flags = O_CREAT | O_EXCL | O_NOFOLLOW | O_DIRECT | O_LARGEFILE |
		    (f->renew ? O_WRONLY : O_RDWR);

	struct file *file = file_open_root(&f->dir, f->name, flags, 0600);

	/*
	 * The open after the create can fail (an allocation in the
	 * filesystem's open) and leave the name made. It did not exist
	 * before (else -EEXIST): the empty file of ours there now is this
	 * call's, and goes.
	 */
	if (IS_ERR(file) && PTR_ERR(file) != -EEXIST)
		dsaio_file_unlink(f, NULL);
	return file;
}

/*
 * The last reference of a file opened here. From a kernel thread fput()
 * defers the release to a work item, which would keep the filesystem busy
 * (umount: EBUSY) after the job said it ended: run the deferred releases
 * now. In the requester's context it is done on return to user space.
 */
static void dsaio_file_put(struct file *file)
{
	fput(file);
	if (current->flags & PF_KTHREAD)
		flush_delayed_fput();
}

/*
 * Whether @inode under the job's name is the job's: @ours, or with no
 * @ours (a create that failed after making the name) an empty regular
 * file of the current fsuid.
 */
static bool dsaio_file_is_ours(const struct inode *inode,
			       const struct inode *ours)
{
	if (!inode)
		return false;
	if (ours)
		return inode == ours;
	return S_ISREG(inode->i_mode) && !i_size_read(inode) &&
	       uid_eq(inode->i_uid, current_fsuid());
}

/*
 * Unlink the job's file, but only while its name still is the job's
 * (dsaio_file_is_ours()): a name someone else replaced stays as it is.
 */
static int dsaio_file_unlink(struct dsaio_file_target *f,
			     const struct inode *ours)
{
	struct inode *dir = d_inode(f->dir.dentry);
	struct dentry *victim;
	int ret;

	ret = mnt_want_write(f->dir.mnt);
	if (ret)
		return ret;
	inode_lock_nested(dir, I_MUTEX_PARENT);
	victim = lookup_one_len(f->name, f->dir.dentry, strlen(f->name));
	if (IS_ERR(victim)) {
		ret = PTR_ERR(victim);
		goto out_unlock;
	}
	if (dsaio_file_is_ours(d_inode(victim), ours))
		ret = dsaio_vfs_unlink(f->dir.mnt, dir, victim);
	else
		ret = -ESTALE;
	dput(victim);
out_unlock:
	inode_unlock(dir);
	mnt_drop_write(f->dir.mnt);
	return ret;
}

/*
 * A removal must not be lost to a passing allocation failure (a dentry
 * for the lookup, a journal handle): those are retried, with a growing
 * pause, for about a quarter of a second in all.
 */
#define DSAIO_REMOVE_TRIES	8

static int dsaio_file_remove(struct dsaio_file_target *f, struct file *file)
{
	const struct cred *old = override_creds(f->cred);
	int i, ret;

	for (i = 0; i < DSAIO_REMOVE_TRIES; i++) {
		ret = dsaio_file_unlink(f, file_inode(file));
		if (ret != -ENOMEM)
			break;
		msleep(1 << i);
	}
	revert_creds(old);
	return ret;
}

/* Removes (unless kept) and closes the current file, as the caller. */
static void dsaio_file_drop(struct dsaio_target *t)
{
	struct dsaio_file_target *f = t->priv;
	int ret = 0;

	if (!t->file)
		return;
	if (!f->keep)
		ret = dsaio_file_remove(f, t->file);
	if (ret)
		pr_warn("dsaio: could not remove %s (%pd2): %d\n", f->name,
			f->dir.dentry, ret);
	dsaio_file_put(t->file);
	t->file = NULL;
}

/* The refusals of a file target, each a sentence for the user. */
enum dsaio_file_refusal {
	DSAIO_FILE_NO_DIR,
	DSAIO_FILE_NOT_DIR,
	DSAIO_FILE_NO_SEARCH,
	DSAIO_FILE_LOOKUP,
	DSAIO_FILE_NOT_ON_BDEV,
	DSAIO_FILE_READ_ONLY,
	DSAIO_FILE_STATFS,
	DSAIO_FILE_TOO_BIG,
	DSAIO_FILE_EXISTS,
	DSAIO_FILE_NO_PERM,
	DSAIO_FILE_NO_DIRECT_IO,
	DSAIO_FILE_NO_ROOM,
	DSAIO_FILE_CREATE,
};

static const char *const dsaio_file_why[] = {
	[DSAIO_FILE_NO_DIR] = "DSAIO_CFG_DIR: no such directory",
	[DSAIO_FILE_NOT_DIR] = "DSAIO_CFG_DIR: not a directory",
	[DSAIO_FILE_NO_SEARCH] = "DSAIO_CFG_DIR: no permission to look it up",
	[DSAIO_FILE_LOOKUP] = "DSAIO_CFG_DIR: cannot look up the directory",
	[DSAIO_FILE_NOT_ON_BDEV] =
		"DSAIO_CFG_DIR: the filesystem is not on a block device (tmpfs, overlay and network filesystems are refused: their I/O does not reach a drive)",
	[DSAIO_FILE_READ_ONLY] = "DSAIO_CFG_DIR: the filesystem is read-only",
	[DSAIO_FILE_STATFS] =
		"DSAIO_CFG_DIR: cannot read the filesystem's free space",
	[DSAIO_FILE_TOO_BIG] =
		"DSAIO_CFG_IO_SIZE: not enough free space in DSAIO_CFG_DIR for offset + io_size",
	[DSAIO_FILE_EXISTS] =
		"DSAIO_CFG_DIR: the job's file name already exists there (dsaio creates its own files and never opens an existing name)",
	[DSAIO_FILE_NO_PERM] =
		"DSAIO_CFG_DIR: no permission to create a file there",
	[DSAIO_FILE_NO_DIRECT_IO] =
		"DSAIO_CFG_DIR: the filesystem does not take direct I/O",
	[DSAIO_FILE_NO_ROOM] =
		"DSAIO_CFG_DIR: no space (or quota) for a new file",
	[DSAIO_FILE_CREATE] = "DSAIO_CFG_DIR: cannot create a file there",
};

/* Why creating the file failed. */
static enum dsaio_file_refusal dsaio_file_create_why(int error)
{
	switch (error) {
	case -EEXIST:
		return DSAIO_FILE_EXISTS;
	case -EACCES:
	case -EPERM:
		return DSAIO_FILE_NO_PERM;
	case -EROFS:
		return DSAIO_FILE_READ_ONLY;
	case -EINVAL:
		return DSAIO_FILE_NO_DIRECT_IO;
	case -ENOSPC:
	case -EDQUOT:
		return DSAIO_FILE_NO_ROOM;
	default:
		return DSAIO_FILE_CREATE;
	}
}

/* Why looking the directory up failed. */
static enum dsaio_file_refusal dsaio_file_lookup_why(int error)
{
	switch (error) {
	case -ENOENT:
		return DSAIO_FILE_NO_DIR;
	case -ENOTDIR:
		return DSAIO_FILE_NOT_DIR;
	case -EACCES:
		return DSAIO_FILE_NO_SEARCH;
	default:
		return DSAIO_FILE_LOOKUP;
	}
}

/*
 * The direct-I/O alignment of the file, as statx(STATX_DIOALIGN) reports
 * it (the larger of offset and memory alignment), or the device's logical
 * block size where the filesystem does not say. 0: no direct I/O.
 */
static u32 dsaio_file_align(struct file *file, struct block_device *bdev)
{
	struct kstat st = {};

	if (vfs_getattr(&file->f_path, &st, STATX_DIOALIGN,
			AT_STATX_SYNC_AS_STAT))
		return 0;
	if (!(st.result_mask & STATX_DIOALIGN))
		return bdev_logical_block_size(bdev);
	if (!st.dio_offset_align)
		return 0;
	return max(st.dio_offset_align, st.dio_mem_align);
}

/* Checks of DIR before anything is created in it. */
static int dsaio_file_check_dir(struct dsaio_file_target *f,
				struct dsaio_target_args *a)
{
	struct super_block *sb = f->dir.mnt->mnt_sb;
	struct kstatfs st;
	int ret;

	/* tmpfs takes O_DIRECT on 6.12 but serves it from memory. */
	if (!(sb->s_type->fs_flags & FS_REQUIRES_DEV) || !sb->s_bdev) {
		a->why = dsaio_file_why[DSAIO_FILE_NOT_ON_BDEV];
		return -EOPNOTSUPP;
	}
	if (sb_rdonly(sb) || (f->dir.mnt->mnt_flags & MNT_READONLY)) {
		a->why = dsaio_file_why[DSAIO_FILE_READ_ONLY];
		return -EROFS;
	}
	ret = vfs_statfs(&f->dir, &st);
	if (ret) {
		a->why = dsaio_file_why[DSAIO_FILE_STATFS];
		return ret;
	}
	if (div64_u64(a->size + st.f_bsize - 1, st.f_bsize) > st.f_bavail) {
		a->why = dsaio_file_why[DSAIO_FILE_TOO_BIG];
		a->why_attr = DSAIO_CFG_IO_SIZE;
		return -ENOSPC;
	}
	return 0;
}

static int dsaio_file_target_open(struct dsaio_target *t,
				  struct dsaio_target_args *a)
{
	struct dsaio_file_target *f;
	struct file *file;
	int ret;

	a->why_attr = DSAIO_CFG_DIR;
	f = kzalloc(sizeof(*f), GFP_KERNEL);
	if (!f)
		return -ENOMEM;
	f->size = a->size;
	f->renew = a->write && !a->overwrite;
	f->keep = a->keep;
	/* Entries of one job may share a directory: one file each. */
	if (a->indexed)
		snprintf(f->name, sizeof(f->name), "dsaio-%u.%u.dat", a->id,
			 a->index);
	else
		snprintf(f->name, sizeof(f->name), "dsaio-%u.dat", a->id);

	ret = kern_path(a->path, LOOKUP_FOLLOW | LOOKUP_DIRECTORY, &f->dir);
	if (ret) {
		a->why = dsaio_file_why[dsaio_file_lookup_why(ret)];
		goto err_free;
	}
	ret = dsaio_file_check_dir(f, a);
	if (ret)
		goto err_put_dir;
	f->cred = get_current_cred();
	file = dsaio_file_create(f);
	if (IS_ERR(file)) {
		ret = PTR_ERR(file);
		a->why = dsaio_file_why[dsaio_file_create_why(ret)];
		goto err_put_cred;
	}
	t->priv = f;
	t->file = file;
	t->cred = f->cred;
	t->bdev = f->dir.mnt->mnt_sb->s_bdev;
	t->lbs = dsaio_file_align(file, t->bdev);
	if (!t->lbs) {
		ret = -EINVAL;
		a->why = dsaio_file_why[DSAIO_FILE_NO_DIRECT_IO];
		goto err_drop;
	}
	t->engine = &dsaio_engine_file;
	t->size = a->size;
	t->max_io_bytes = rounddown(U32_MAX, t->lbs);
	t->max_segments = U32_MAX;
	t->info.align = t->lbs;
	snprintf(t->info.bdev, sizeof(t->info.bdev), "%pg", t->bdev);
	strscpy(t->info.fstype, f->dir.mnt->mnt_sb->s_type->name,
		sizeof(t->info.fstype));
	strscpy(t->info.file, f->name, sizeof(t->info.file));
	return 0;

err_drop:
	f->keep = false;
	dsaio_file_drop(t);
err_put_cred:
	put_cred(f->cred);
err_put_dir:
	path_put(&f->dir);
err_free:
	kfree(f);
	return ret;
}

/* One synchronous direct write of @len bytes of @pages at *pos. */
static int dsaio_file_write_pages(struct file *file, struct bio_vec *bv,
				  struct page **pages, u32 len, u64 seed,
				  loff_t *pos)
{
	struct iov_iter iter;
	struct kiocb kiocb;
	u32 i, n = DIV_ROUND_UP(len, PAGE_SIZE);
	ssize_t ret;

	for (i = 0; i < n; i++) {
		u32 bytes = min_t(u32, PAGE_SIZE, len - i * PAGE_SIZE);

		dsaio_pattern_fill(page_address(pages[i]),
				   *pos + (u64)i * PAGE_SIZE, bytes, seed);
		bv[i].bv_page = pages[i];
		bv[i].bv_len = bytes;
		bv[i].bv_offset = 0;
	}
	iov_iter_bvec(&iter, ITER_SOURCE, bv, n, len);
	init_sync_kiocb(&kiocb, file);
	kiocb.ki_pos = *pos;
	kiocb.ki_flags |= IOCB_WRITE;
	file_start_write(file);
	ret = file->f_op->write_iter(&kiocb, &iter);
	file_end_write(file);
	if (ret < 0)
		return ret;
	if (ret != len)
		return -ENOSPC;	/* see dsaio_file_complete() */
	*pos += len;
	return 0;
}

/*
 * Set-up, not timed: a file to be read, or overwritten, holds data, the
 * pattern of io->seed, over all of its bytes, on the device.
 */
static int dsaio_file_fill(struct dsaio_target *t, const struct dsaio_io *io)
{
	struct dsaio_file_target *f = t->priv;
	u32 nr = min_t(u64, DSAIO_FILL_PAGES, DIV_ROUND_UP_ULL(f->size,
							       PAGE_SIZE));
	struct page **pages;
	struct bio_vec *bv;
	loff_t pos = 0;
	u32 i;
	int ret = -ENOMEM;

	pages = kcalloc(nr, sizeof(*pages), GFP_KERNEL);
	bv = kcalloc(nr, sizeof(*bv), GFP_KERNEL);
	if (!pages || !bv)
		goto out_free;
	for (i = 0; i < nr; i++) {
		pages[i] = alloc_page(GFP_KERNEL);
		if (!pages[i])
			goto out_free;
	}
	ret = 0;
	while (pos < f->size && !ret && !dsaio_io_stopping(io))
		ret = dsaio_file_write_pages(t->file, bv, pages,
					     min_t(u64, f->size - pos,
						   (u64)nr * PAGE_SIZE),
					     io->seed, &pos);
	/* What is read must be on the drive, not in a journal to commit. */
	if (!ret)
		ret = vfs_fsync(t->file, 0);
out_free:
	for (i = 0; pages && i < nr; i++) {
		if (pages[i])
			__free_page(pages[i]);
	}
	kfree(bv);
	kfree(pages);
	return ret;
}

/* The fill's blocks, too, are allocated as the requester's. */
static int dsaio_file_prepare(struct dsaio_target *t,
			      const struct dsaio_io *io)
{
	struct dsaio_file_target *f = t->priv;
	const struct cred *old;
	int ret;

	if (f->renew)
		return 0;
	old = override_creds(f->cred);
	ret = dsaio_file_fill(t, io);
	revert_creds(old);
	return ret;
}

/*
 * Writes measure a new, empty file each loop, as DeepSpeed's ds_io with
 * --different_file_each_iteration does (and its earlier sweep, which
 * removed the file before each loop): an overwrite of allocated blocks
 * would flatter the figure. Between loops, not timed.
 */
static int dsaio_file_next_loop(struct dsaio_target *t)
{
	struct dsaio_file_target *f = t->priv;
	const struct cred *old;
	struct file *file;
	int ret;

	if (!f->renew)
		return 0;
	ret = dsaio_file_remove(f, t->file);
	if (ret)
		return ret;
	dsaio_file_put(t->file);
	t->file = NULL;
	old = override_creds(f->cred);
	file = dsaio_file_create(f);
	revert_creds(old);
	if (IS_ERR(file))
		return PTR_ERR(file);
	t->file = file;
	return 0;
}

static void dsaio_file_target_release(struct dsaio_target *t)
{
	struct dsaio_file_target *f = t->priv;

	dsaio_file_drop(t);
	put_cred(f->cred);
	path_put(&f->dir);
	kfree(f);
	t->priv = NULL;
	t->bdev = NULL;
}

const struct dsaio_target_type dsaio_target_file = {
	.name = "file",
	.open = dsaio_file_target_open,
	.prepare = dsaio_file_prepare,
	.next_loop = dsaio_file_next_loop,
	.release = dsaio_file_target_release,
};
