/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The target of a user-space engine: a block device, claimed exclusively
 * (O_EXCL, as a mount would) for the whole measurement, or a file the
 * engine creates in a directory. The file is handled as DeepSpeed's
 * ds_io handles its own: reads find it written in full, writes find it
 * gone before each loop and create it in the timed open, --overwrite
 * writes over one file written at set-up. Only files this engine created
 * are ever written or removed, and a name is removed only while it still
 * is the inode created.
 */
#ifndef DSAIO_USER_UTARGET_H
#define DSAIO_USER_UTARGET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include "engine.h"

struct utarget {
	enum dsaio_user_target kind;
	bool write, overwrite, keep;
	int claim_fd;		/* a device: the O_EXCL claim; -1 */
	int dir_fd;		/* a file: its directory; -1 */
	bool exists;		/* a file: our name is in the directory */
	dev_t dev;		/* ... for this inode */
	ino_t ino;
	uint64_t size;		/* a device: its bytes */
	struct measurement_target info;	/* info.path: the device or directory */
};

/*
 * Opens rq's target and checks the region against it (size, alignment,
 * permission to write): no I/O is done. On failure returns a negative
 * errno with a sentence in err and holds nothing.
 */
int utarget_open(struct utarget *t, const struct measure_request *rq,
		 char *err, size_t errlen);

/*
 * Set-up, not timed: a file that reads or overwrites find is created
 * and written in full (bytes [0, offset + io_size)) with the pattern of
 * seed, and synced.
 */
int utarget_prepare(struct utarget *t, const struct measure_request *rq,
		    char *err, size_t errlen);

/* Between loops, not timed: a new file for writes removes the old one. */
int utarget_next_loop(struct utarget *t, char *err, size_t errlen);

/*
 * The open of a loop, timed as DeepSpeed's handle opens its file inside
 * pread/pwrite: O_DIRECT, read-only or write-only; a new write file is
 * created here (O_EXCL). Returns the descriptor or a negative errno.
 */
int utarget_open_io(struct utarget *t, char *err, size_t errlen);

/* Removes the file (unless keep) and drops the claim. NULL-safe. */
void utarget_close(struct utarget *t);
#endif
