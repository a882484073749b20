/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Targets: what a job's I/O goes to. A target type knows how to open a
 * path, describe what it opened (size, alignment, limits, the device
 * underneath), get it ready before the first loop and between loops, and
 * release it, and names the engine that submits to it. Types are a table
 * (target.c) indexed by enum dsaio_target_kind (<linux/dsaio.h>); a new
 * kind of target is one file with its struct dsaio_target_type and one
 * row there.
 */
#ifndef _DSAIO_TARGET_H
#define _DSAIO_TARGET_H

#include <linux/dsaio.h>
#include <linux/types.h>

struct block_device;
struct dsaio_engine_ops;
struct dsaio_io;
struct file;

/* What a job asks of a target type's open(). */
struct dsaio_target_args {
	const char *path;		/* the device node, or the directory */
	bool write;			/* the job writes */
	bool raw_write;			/* the caller may write devices */
	void *holder;			/* the exclusive claim's owner */
	u32 id;				/* the job's, for the names it makes */
	bool indexed;			/* one of several: names carry @index */
	u32 index;			/* its entry in DSAIO_CFG_TARGETS */
	u64 size;			/* bytes the region needs: offset + io_size */
	bool overwrite;			/* files: overwrite one written file */
	bool keep;			/* files: leave them at the end */
	const char *why;		/* out: a refusal's extack sentence */
	int why_attr;			/* out: the DSAIO_CFG_* it is about */
};

/* What was measured, for DSAIO_A_JOB_TARGET; set by open(). */
struct dsaio_target_info {
	u8 kind;			/* enum dsaio_target_kind */
	u32 align;
	char bdev[DSAIO_TGT_NAME_MAX];
	char fstype[DSAIO_TGT_NAME_MAX];	/* files only */
	char file[DSAIO_TGT_NAME_MAX];		/* files only */
};

/*
 * An open target. The type's open() fills in everything but @engine_priv,
 * which the engine's init() owns; only @file changes before release(),
 * and only between loops (next_loop()), while no I/O is in flight.
 */
struct dsaio_target {
	const struct dsaio_target_type *type;
	const struct dsaio_engine_ops *engine;
	u64 size;			/* bytes */
	u32 lbs;			/* I/O alignment (logical block size) */
	u32 max_io_bytes;		/* per submission unit, lbs-aligned */
	u32 max_segments;		/* pages per submission unit */
	struct block_device *bdev;	/* the device the I/O reaches */
	struct file *file;		/* files: the one the loop measures */
	const struct cred *cred;	/* files: whom the workers act as */
	struct dsaio_target_info info;
	void *priv;			/* the type's */
	void *engine_priv;		/* the engine's */
};

struct dsaio_target_type {
	const char *name;
	/*
	 * Open @a->path. Runs in the requester's context (its credentials
	 * and namespaces). On error, a->why (and a->why_attr) say why.
	 */
	int (*open)(struct dsaio_target *t, struct dsaio_target_args *a);
	/*
	 * Optional, from the job's controller. prepare(): once, at set-up,
	 * before the first loop (not timed); it stops early, returning 0,
	 * when @io is stopping. next_loop(): before every loop but the first.
	 */
	int (*prepare)(struct dsaio_target *t, const struct dsaio_io *io);
	int (*next_loop)(struct dsaio_target *t);
	void (*release)(struct dsaio_target *t);
};

extern const struct dsaio_target_type dsaio_target_bdev;
extern const struct dsaio_target_type dsaio_target_file;

/* Opens @a->path as a target of @kind; on error @t holds nothing. */
int dsaio_target_open(struct dsaio_target *t, enum dsaio_target_kind kind,
		      struct dsaio_target_args *a);
int dsaio_target_prepare(struct dsaio_target *t, const struct dsaio_io *io);
int dsaio_target_next_loop(struct dsaio_target *t);
/* Releases an opened target (a NULL type, never opened, is a no-op). */
void dsaio_target_release(struct dsaio_target *t);

#endif /* _DSAIO_TARGET_H */
