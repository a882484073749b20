// SPDX-License-Identifier: GPL-2.0 OR MIT
/* A user-space engine's device or file: claim, create, fill, remove. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/fs.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include "upattern.h"
#include "utarget.h"

/* The file's fill is written in chunks of this many bytes (O_DIRECT). */
#define FILL_CHUNK	(1U << 20)

/* The kernel name of the block device dev ("nvme0n1"); "" when none. */
static void dev_name(dev_t dev, char *name, size_t len)
{
	char link[64], target[PATH_MAX];
	const char *base;
	ssize_t n;

	name[0] = '\0';
	snprintf(link, sizeof(link), "/sys/dev/block/%u:%u", major(dev), minor(dev));
	n = readlink(link, target, sizeof(target) - 1);
	if (n <= 0)
		return;
	target[n] = '\0';
	base = strrchr(target, '/');
	base = base ? base + 1 : target;
	if (strlen(base) < len)		/* a longer name is no kernel name */
		memcpy(name, base, strlen(base) + 1);
}

/* The filesystem type of the mount of dev, from mountinfo; "" unknown. */
static void fs_type(dev_t dev, char *type, size_t len)
{
	FILE *f = fopen("/proc/self/mountinfo", "r");
	char line[4096], want[32], name[32];

	type[0] = '\0';
	if (!f)
		return;
	snprintf(want, sizeof(want), "%u:%u", major(dev), minor(dev));
	while (fgets(line, sizeof(line), f)) {
		char majmin[32], *sep;

		/* id parent MAJ:MIN root mountpoint opts [tags] - TYPE SRC ... */
		if (sscanf(line, "%*s %*s %31s", majmin) != 1 || strcmp(majmin, want))
			continue;
		sep = strstr(line, " - ");
		if (sep && sscanf(sep + 3, "%31s", name) == 1)
			snprintf(type, len, "%s", name);
		break;
	}
	fclose(f);
}

/* Direct-I/O alignment of a file: statx's, else its device's 512. */
static uint32_t dio_align(int fd)
{
#ifdef STATX_DIOALIGN
	struct statx stx;

	if (!statx(fd, "", AT_EMPTY_PATH, STATX_DIOALIGN, &stx) &&
	    (stx.stx_mask & STATX_DIOALIGN) && stx.stx_dio_offset_align)
		return stx.stx_dio_offset_align;
#else
	(void)fd;
#endif
	return 512;
}

static int check_region(struct utarget *t, const struct measure_request *rq,
			char *err, size_t errlen)
{
	uint32_t a = t->info.align;
	uint64_t slice = rq->io_size / rq->params.io_parallel;
	uint64_t off = t->offset;

	if (rq->io_size % rq->params.io_parallel) {
		snprintf(err, errlen, "io_size %" PRIu64 " does not divide evenly among %u threads (DeepSpeed's handle refuses it too)",
			 rq->io_size, rq->params.io_parallel);
		return -EINVAL;
	}
	if (off % a || slice % a || rq->params.block_size % a) {
		snprintf(err, errlen, "offset %" PRIu64 ", block size %" PRIu64 " and each thread's %" PRIu64
			 " bytes must be multiples of %u, the direct-I/O alignment of %s",
			 off, rq->params.block_size, slice, a, t->info.path);
		return -EINVAL;
	}
	if (t->kind == TARGET_BDEV && (off > t->size || rq->io_size > t->size - off)) {
		/* with several handles, each has its own io_size after offset */
		snprintf(err, errlen, "the region [%" PRIu64 ", +%" PRIu64 ") is beyond the end of %s (%"
			 PRIu64 " bytes)%s", off, rq->io_size, t->info.path, t->size,
			 rq->params.processes > 1 ? "; each of the threads has its own io_size of the device" : "");
		return -ERANGE;
	}
	return 0;
}

static int open_device(struct utarget *t, const struct measure_request *rq,
		       bool claim, char *err, size_t errlen)
{
	struct stat st;
	int lbs;

	if (rq->op == OP_WRITE && !rq->allow_write) {
		snprintf(err, errlen, "a write destroys the data on %s in the region; it needs allow_write", t->info.path);
		return -EPERM;
	}
	/*
	 * O_EXCL: refused while mounted or claimed, as the module's claim;
	 * the first handle's claim holds the device for the others.
	 */
	t->claim_fd = open(t->info.path, O_RDONLY | (claim ? O_EXCL : 0) | O_CLOEXEC);
	if (t->claim_fd < 0) {
		int e = errno;

		snprintf(err, errlen, "cannot open %s: %s%s", t->info.path, strerror(e),
			 e == EBUSY ? " (mounted, or in use by another program)" : "");
		return -e;
	}
	if (fstat(t->claim_fd, &st) || !S_ISBLK(st.st_mode)) {
		snprintf(err, errlen, "%s is not a block device", t->info.path);
		return -ENOTBLK;
	}
	if (ioctl(t->claim_fd, BLKGETSIZE64, &t->size) ||
	    ioctl(t->claim_fd, BLKSSZGET, &lbs)) {
		int e = errno;

		snprintf(err, errlen, "cannot read the size of %s: %s", t->info.path, strerror(e));
		return -e;
	}
	t->info.align = (uint32_t)lbs;
	dev_name(st.st_rdev, t->info.device, sizeof(t->info.device));
	return 0;
}

static int open_dir(struct utarget *t, unsigned int seq, unsigned int tid,
		    bool several, char *err, size_t errlen)
{
	struct stat st;
	int n;

	t->dir_fd = open(t->info.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (t->dir_fd < 0) {
		int e = errno;

		snprintf(err, errlen, "cannot open the directory %s: %s", t->info.path, strerror(e));
		return -e;
	}
	if (fstat(t->dir_fd, &st)) {
		int e = errno;

		snprintf(err, errlen, "cannot stat %s: %s", t->info.path, strerror(e));
		return -e;
	}
	/* A write needs the directory writable: say so before any loop. */
	if (t->write && faccessat(t->dir_fd, ".", W_OK, AT_EACCESS)) {
		int e = errno;

		snprintf(err, errlen, "cannot write in the directory %s: %s", t->info.path, strerror(e));
		return -e;
	}
	/*
	 * dsaio-u<pid>-<n>.dat: a user-space engine's, apart from the
	 * module's; with several handles .<tid> after it, as DeepSpeed's
	 * _aio_<op>_<size>.pt.<tid>.
	 */
	if (several)
		n = snprintf(t->info.file, sizeof(t->info.file), "dsaio-u%ld-%u.dat.%u",
			     (long)getpid(), seq, tid);
	else
		n = snprintf(t->info.file, sizeof(t->info.file), "dsaio-u%ld-%u.dat",
			     (long)getpid(), seq);
	if (n < 0 || (size_t)n >= sizeof(t->info.file)) {
		snprintf(err, errlen, "no file name in %s fits %zu characters", t->info.path,
			 sizeof(t->info.file) - 1);
		return -ENAMETOOLONG;
	}
	t->info.align = dio_align(t->dir_fd);
	dev_name(st.st_dev, t->info.device, sizeof(t->info.device));
	fs_type(st.st_dev, t->info.fstype, sizeof(t->info.fstype));
	return 0;
}

int utarget_open(struct utarget *t, const struct measure_request *rq,
		 unsigned int index, unsigned int tid, unsigned int seq,
		 char *err, size_t errlen)
{
	int ret;

	memset(t, 0, sizeof(*t));
	t->claim_fd = t->dir_fd = -1;
	t->kind = rq->kind;
	t->write = rq->op == OP_WRITE;
	t->overwrite = rq->overwrite && t->write;
	t->keep = rq->keep_files;
	t->offset = rq->offset + (rq->kind == TARGET_BDEV ? tid * rq->io_size : 0);
	t->info.kind = rq->kind;
	snprintf(t->info.path, sizeof(t->info.path), "%s", rq->targets[index]);
	t->info.have_details = true;
	ret = t->kind == TARGET_FILE ?
	      open_dir(t, seq, tid, rq->params.processes > 1, err, errlen) :
	      open_device(t, rq, tid == 0, err, errlen);
	if (!ret)
		ret = check_region(t, rq, err, errlen);
	if (ret)
		utarget_close(t);
	return ret;
}

/* Creates our file, exclusively; remembers its inode for the remove. */
static int create_file(struct utarget *t, int flags, char *err, size_t errlen)
{
	struct stat st;
	int fd, e;

	fd = openat(t->dir_fd, t->info.file, flags | O_CREAT | O_EXCL |
		    O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0) {
		e = errno;
		snprintf(err, errlen, "cannot create %s/%s: %s", t->info.path,
			 t->info.file, strerror(e));
		return -e;
	}
	if (fstat(fd, &st)) {
		e = errno;
		close(fd);
		/* made by us, though: O_EXCL said so */
		unlinkat(t->dir_fd, t->info.file, 0);
		snprintf(err, errlen, "cannot stat %s/%s: %s", t->info.path, t->info.file, strerror(e));
		return -e;
	}
	t->exists = true;
	t->dev = st.st_dev;
	t->ino = st.st_ino;
	return fd;
}

/* Unlinks our name, only while it still is the inode we created. */
static int remove_file(struct utarget *t)
{
	struct stat st;

	if (!t->exists)
		return 0;
	t->exists = false;
	if (fstatat(t->dir_fd, t->info.file, &st, AT_SYMLINK_NOFOLLOW))
		return errno == ENOENT ? 0 : -errno;
	if (st.st_dev != t->dev || st.st_ino != t->ino)
		return 0;	/* not ours any more: leave it */
	return unlinkat(t->dir_fd, t->info.file, 0) ? -errno : 0;
}

int utarget_prepare(struct utarget *t, const struct measure_request *rq,
		    char *err, size_t errlen)
{
	uint64_t end = t->offset + rq->io_size, off;
	void *chunk;
	int fd, ret = 0;

	if (t->kind != TARGET_FILE || (t->write && !t->overwrite))
		return 0;
	fd = create_file(t, O_WRONLY | O_DIRECT, err, errlen);
	if (fd < 0)
		return fd;
	if (posix_memalign(&chunk, 4096, FILL_CHUNK)) {
		close(fd);
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	for (off = 0; off < end && !ret; off += FILL_CHUNK) {
		size_t n = end - off < FILL_CHUNK ? end - off : FILL_CHUNK;
		ssize_t w;

		upattern_fill(chunk, off, n, rq->seed);
		w = pwrite(fd, chunk, n, (off_t)off);
		if (w != (ssize_t)n)
			ret = w < 0 ? -errno : -ENOSPC;
	}
	if (!ret && fsync(fd))
		ret = -errno;
	free(chunk);
	close(fd);
	if (ret)
		snprintf(err, errlen, "cannot write the %" PRIu64 " bytes of %s/%s at set-up: %s",
			 end, t->info.path, t->info.file, strerror(-ret));
	return ret;
}

int utarget_next_loop(struct utarget *t, char *err, size_t errlen)
{
	int ret;

	if (t->kind != TARGET_FILE || !t->write || t->overwrite)
		return 0;
	ret = remove_file(t);
	if (ret)
		snprintf(err, errlen, "cannot remove %s/%s between loops: %s",
			 t->info.path, t->info.file, strerror(-ret));
	return ret;
}

int utarget_open_io(struct utarget *t, char *err, size_t errlen)
{
	int mode = t->write ? O_WRONLY : O_RDONLY, fd, e;

	if (t->kind == TARGET_FILE && t->write && !t->overwrite)
		return create_file(t, mode | O_DIRECT, err, errlen);
	if (t->kind == TARGET_FILE)
		fd = openat(t->dir_fd, t->info.file, mode | O_DIRECT | O_NOFOLLOW | O_CLOEXEC);
	else
		fd = open(t->info.path, mode | O_DIRECT | O_CLOEXEC);
	if (fd >= 0)
		return fd;
	e = errno;
	snprintf(err, errlen, "cannot open %s%s%s: %s", t->info.path,
		 t->kind == TARGET_FILE ? "/" : "",
		 t->kind == TARGET_FILE ? t->info.file : "", strerror(e));
	return -e;
}

void utarget_close(struct utarget *t)
{
	if (!t)
		return;
	if (t->dir_fd >= 0) {
		int ret = t->keep ? 0 : remove_file(t);

		if (ret)
			fprintf(stderr, "dsaio-user: cannot remove %s/%s: %s\n",
				t->info.path, t->info.file, strerror(-ret));
		close(t->dir_fd);
	}
	if (t->claim_fd >= 0)
		close(t->claim_fd);
	t->dir_fd = t->claim_fd = -1;
}
