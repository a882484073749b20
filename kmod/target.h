/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Targets: what a job's I/O goes to. A target type knows how to open a
 * path, describe what it opened (size, logical block size, limits) and
 * release it, and names the engine that submits to it. Types are a table
 * (target.c) indexed by enum dsaio_target_kind; a new kind of target is
 * one file with its struct dsaio_target_type and one row there.
 */
#ifndef _DSAIO_TARGET_H
#define _DSAIO_TARGET_H

#include <linux/types.h>

struct block_device;
struct dsaio_engine_ops;

enum dsaio_target_kind {
	DSAIO_TARGET_BDEV,		/* a block device node */

	DSAIO_TARGET_KINDS
};

/*
 * An open target. The type's open() fills in everything but @engine_priv,
 * which the engine's init() owns; nothing changes until release().
 */
struct dsaio_target {
	const struct dsaio_target_type *type;
	const struct dsaio_engine_ops *engine;
	u64 size;			/* bytes */
	u32 lbs;			/* logical block size: I/O alignment */
	u32 max_io_bytes;		/* per submission unit, lbs-aligned */
	u32 max_segments;		/* pages per submission unit */
	struct block_device *bdev;	/* the device the I/O reaches */
	void *priv;			/* the type's */
	void *engine_priv;		/* the engine's */
};

struct dsaio_target_type {
	const char *name;
	/*
	 * Open @path for reading, or for writing with an exclusive claim by
	 * @holder. Errors: -ENOENT, -ENOTBLK (not of this kind), -EBUSY
	 * (claimed), -EINVAL (unusable limits), others from the kernel.
	 */
	int (*open)(struct dsaio_target *t, const char *path, bool write,
		    void *holder);
	void (*release)(struct dsaio_target *t);
};

extern const struct dsaio_target_type dsaio_target_bdev;

/* Opens @path as a target of @kind; on error @t holds nothing. */
int dsaio_target_open(struct dsaio_target *t, enum dsaio_target_kind kind,
		      const char *path, bool write, void *holder);
/* Releases an opened target (a NULL type, never opened, is a no-op). */
void dsaio_target_release(struct dsaio_target *t);

#endif /* _DSAIO_TARGET_H */
