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
	uint64_t offset;	/* this handle's region: [offset, +io_size) */
	int claim_fd;		/* a device: the O_EXCL claim; -1 */
	int dir_fd;		/* a file: its directory; -1 */
	bool exists;		/* a file: our name is in the directory */
	dev_t dev;		/* ... for this inode */
	ino_t ino;
	uint64_t size;		/* a device: its bytes */
	struct measurement_target info;	/* info.path: the device or directory */
};

/*
 * Opens handle tid (DeepSpeed's thread id, 0..params.processes-1) of
 * rq's target number index and checks its region against it (size,
 * alignment, permission to write): no I/O is done. Handle 0 of a device
 * holds the exclusive claim for all of them, each handle has its own
 * io_size slice of the device after offset (tid * io_size further), and
 * each handle of a directory its own file, named with seq (one per
 * measurement) and, with several, ".tid" as DeepSpeed names its files.
 * On failure returns a negative errno with a sentence in err that names
 * the target, and holds nothing.
 */
int utarget_open(struct utarget *t, const struct measure_request *rq,
		 unsigned int index, unsigned int tid, unsigned int seq,
		 char *err, size_t errlen);

/*
 * Set-up, not timed: a file that reads or overwrites find is created
 * and written in full (bytes [0, t->offset + io_size)) with the pattern
 * of seed, and synced.
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
