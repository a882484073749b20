// SPDX-License-Identifier: GPL-2.0 OR MIT
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <linux/fs.h>
#include "blkdev.h"

/* sysfs gives the size in 512-byte sectors whatever the logical block size. */
static int size_from_sysfs(dev_t rdev, uint64_t *bytes)
{
	char path[64];
	unsigned long long sectors;
	FILE *f;
	int n;

	snprintf(path, sizeof(path), "/sys/dev/block/%u:%u/size",
		 major(rdev), minor(rdev));
	f = fopen(path, "r");
	if (!f)
		return -errno;
	n = fscanf(f, "%llu", &sectors);
	fclose(f);
	if (n != 1)
		return -EINVAL;
	*bytes = (uint64_t)sectors * 512;
	return 0;
}

int dsaio_blkdev_size(const char *path, uint64_t *bytes, char *err, size_t errlen)
{
	struct stat st;
	int fd, ret;

	if (stat(path, &st)) {
		ret = -errno;
		snprintf(err, errlen, "cannot access %s: %s", path, strerror(-ret));
		return ret;
	}
	if (!S_ISBLK(st.st_mode)) {
		snprintf(err, errlen, "%s is not a block device (give a device node such as /dev/nvme0n1)",
			 path);
		return -ENOTBLK;
	}
	if (!size_from_sysfs(st.st_rdev, bytes))
		return 0;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		ret = -errno;
		snprintf(err, errlen, "cannot open %s to read its size: %s", path, strerror(-ret));
		return ret;
	}
	if (ioctl(fd, BLKGETSIZE64, bytes)) {
		ret = -errno;
		close(fd);
		snprintf(err, errlen, "cannot read the size of %s: %s", path, strerror(-ret));
		return ret;
	}
	close(fd);
	return 0;
}
