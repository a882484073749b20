/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* The size of a block device, before any job is sent to the module. */
#ifndef DSAIO_USER_BLKDEV_H
#define DSAIO_USER_BLKDEV_H

#include <stddef.h>
#include <stdint.h>

/*
 * Bytes of the block device at path: from /sys/dev/block/MAJ:MIN/size,
 * or BLKGETSIZE64 when sysfs is not mounted. Returns 0, or a negative
 * errno with a sentence in err (missing, not a block device, ...).
 */
int dsaio_blkdev_size(const char *path, uint64_t *bytes, char *err, size_t errlen);
#endif
