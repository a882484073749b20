// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Files: jobs on a file the module creates in a directory of a mounted
 * filesystem (DSAIO_FILE_DIR, on an emulated NVMe; DSAIO_FILE_FSTYPE is
 * what is mounted there). Every mode with exact counts, the data on the
 * file checked by an independent reader, cancel and socket close, a full
 * filesystem, and every refusal; after each test nothing dsaio created
 * remains in the directory.
 */
#include <dirent.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <stdbool.h>

#include "test_common.h"
#include "kselftest_harness.h"

/* Names the module gives its files ("dsaio-<id>.dat"). */
static int count_dsaio_files(const char *dir)
{
	struct dirent *e;
	int n = 0;
	DIR *d;

	d = opendir(dir);
	if (!d)
		return -1;
	while ((e = readdir(d)))
		n += !strncmp(e->d_name, "dsaio-", 6);
	closedir(d);
	return n;
}

static void file_path(char *buf, size_t len, const char *dir, uint32_t id)
{
	snprintf(buf, len, "%s/dsaio-%u.dat", dir, id);
}

/*
 * An independent read of a kept file: its size, and 8-byte words of the
 * pattern at every offset (O_DIRECT, so the drive's data, not a cache).
 * Returns the number of mismatching words, or -1.
 */
static long check_file_pattern(const char *path, uint64_t size, uint64_t seed)
{
	const size_t chunk = 1 << 20;
	uint64_t off = 0;
	long bad = 0;
	struct stat st;
	void *buf;
	int fd;

	fd = open(path, O_RDONLY | O_DIRECT | O_NOFOLLOW);
	if (fd < 0)
		return -1;
	if (fstat(fd, &st) || (uint64_t)st.st_size != size ||
	    posix_memalign(&buf, 4096, chunk)) {
		close(fd);
		return -1;
	}
	while (off < size) {
		size_t n = size - off < chunk ? size - off : chunk;
		const uint64_t *w = buf;
		size_t i;

		if (pread(fd, buf, n, off) != (ssize_t)n) {
			bad = -1;
			break;
		}
		for (i = 0; i < n / 8; i++)
			bad += w[i] != dsaio_pattern_word(seed, off + 8 * i);
		off += n;
	}
	free(buf);
	close(fd);
	return bad;
}

/* Requests of a job: each slice in block_size pieces, as the module cuts. */
static uint64_t expect_requests(uint64_t io, uint32_t threads, uint32_t bs,
				uint32_t align)
{
	uint64_t slice = io / threads / align * align, n = 0, len;
	uint32_t i;

	for (i = 0; i < threads; i++) {
		len = i + 1 < threads ? slice : io - (uint64_t)i * slice;
		n += (len + bs - 1) / bs;
	}
	return n;
}

FIXTURE(file) {
	struct dsc c;
	const char *dir;
	const char *fstype;
};

FIXTURE_SETUP(file)
{
	struct stat st;

	self->c.fd = -1;
	self->dir = getenv("DSAIO_FILE_DIR");
	self->fstype = getenv("DSAIO_FILE_FSTYPE");
	if (!self->dir || stat(self->dir, &st) || !S_ISDIR(st.st_mode))
		SKIP(return, "DSAIO_FILE_DIR not set or not a directory");
	OPEN_OR_SKIP(&self->c);
	ASSERT_EQ(0, count_dsaio_files(self->dir));
}

/* The point of the suite: nothing of dsaio's is left, whatever happened. */
FIXTURE_TEARDOWN(file)
{
	if (self->c.fd >= 0)
		dsc_close(&self->c);
	if (self->dir)
		EXPECT_EQ(0, count_dsaio_files(self->dir));
}

/* A file job ended as it should: DONE, exact bytes and requests. */
static void expect_done(struct __test_metadata *_metadata,
			const struct dsc_cfg *cfg, const struct dsc_job *j)
{
	uint32_t loops = cfg->loops;

	ASSERT_EQ(DSAIO_JOB_DONE, j->state)
		TH_LOG("state %s error %d", dsc_state_name(j->state), j->error);
	EXPECT_EQ(0, j->error);
	EXPECT_EQ(cfg->io_size * loops, j->bytes);
	EXPECT_EQ(loops * expect_requests(cfg->io_size, cfg->threads,
					  cfg->block_size, j->tgt_align),
		  j->requests);
	EXPECT_EQ(j->requests, j->bios);
	EXPECT_EQ(0, j->errors);
	EXPECT_EQ(0, j->mismatches);
	EXPECT_GE(j->e2e_ns, j->task_ns);
	EXPECT_LT(0, j->task_ns);
}

/* What the reply says was measured. */
TEST_F_TIMEOUT(file, target_info, 60)
{
	struct dsc_cfg cfg;
	struct dsc_job j;
	char name[64];

	dsc_cfg_init_dir(&cfg, self->dir, DSAIO_OP_READ, 1 * MiB, 64 * KiB);
	cfg.queue_depth = 4;
	cfg.set |= CFG_BIT(DSAIO_CFG_QUEUE_DEPTH);
	ASSERT_EQ(0, dsc_run(&self->c, &cfg, 60000, &j))
		TH_LOG("%s", self->c.extack);
	expect_done(_metadata, &cfg, &j);
	/* a file job's buffer: queue_depth x block_size, not io_size */
	EXPECT_EQ(4 * 64 * KiB, j.buf_bytes);
	EXPECT_EQ(DSAIO_TARGET_FILE, j.tgt_kind);
	EXPECT_EQ(0, strncmp(j.tgt_bdev, "nvme", 4)) TH_LOG("%s", j.tgt_bdev);
	if (self->fstype)
		EXPECT_STREQ(self->fstype, j.tgt_fstype);
	snprintf(name, sizeof(name), "dsaio-%u.dat", j.id);
	EXPECT_STREQ(name, j.tgt_file);
	EXPECT_LE(512, j.tgt_align);
	EXPECT_EQ(0, j.tgt_align & (j.tgt_align - 1));
	EXPECT_STREQ(self->dir, j.dir);
	EXPECT_EQ(0, j.cfg.set & CFG_BIT(DSAIO_CFG_DEV_PATH));
	EXPECT_EQ(0, j.cfg.overwrite);
	EXPECT_EQ(0, j.cfg.keep_files);
	EXPECT_LT(0, j.setup_ns);
}

FIXTURE(grid) {
	struct dsc c;
	const char *dir;
};

FIXTURE_VARIANT(grid) {
	uint8_t op, ss, ov, overwrite;
	uint32_t qd, threads, bs, loops;
	uint64_t io_size;
};

#define V(name, op_, ss_, ov_, qd_, th_, bs_, io_, loops_, ow_)		\
	FIXTURE_VARIANT_ADD(grid, name) {				\
		.op = op_, .ss = ss_, .ov = ov_, .qd = qd_,		\
		.threads = th_, .bs = bs_, .io_size = io_,		\
		.loops = loops_, .overwrite = ow_,			\
	}
#define R DSAIO_OP_READ
#define W DSAIO_OP_WRITE

/* every single_submit x overlap for both ops, then sizes and shapes */
V(read_ss0_ov0, R, 0, 0, 8, 2, 64 * KiB, 4 * MiB, 2, 0);
V(read_ss0_ov1, R, 0, 1, 8, 2, 64 * KiB, 4 * MiB, 2, 0);
V(read_ss1_ov0, R, 1, 0, 8, 2, 64 * KiB, 4 * MiB, 2, 0);
V(read_ss1_ov1, R, 1, 1, 8, 2, 64 * KiB, 4 * MiB, 2, 0);
V(write_ss0_ov0, W, 0, 0, 8, 2, 64 * KiB, 4 * MiB, 2, 0);
V(write_ss0_ov1, W, 0, 1, 8, 2, 64 * KiB, 4 * MiB, 2, 0);
V(write_ss1_ov0, W, 1, 0, 8, 2, 64 * KiB, 4 * MiB, 2, 0);
V(write_ss1_ov1, W, 1, 1, 8, 2, 64 * KiB, 4 * MiB, 2, 0);
V(read_4k_qd1_t1, R, 0, 1, 1, 1, 4 * KiB, 1 * MiB, 1, 0);
V(write_4k_qd32_t4, W, 0, 1, 32, 4, 4 * KiB, 4 * MiB, 1, 0);
V(read_1m_t4, R, 0, 1, 4, 4, 1 * MiB, 16 * MiB, 1, 0);
V(write_1m_t4, W, 1, 1, 4, 4, 1 * MiB, 16 * MiB, 1, 0);
V(read_8m, R, 0, 1, 2, 2, 8 * MiB, 32 * MiB, 1, 0);
V(write_8m, W, 0, 0, 2, 2, 8 * MiB, 32 * MiB, 1, 0);
V(read_uneven_loops3, R, 0, 1, 4, 3, 1 * MiB, 8 * MiB + 12 * KiB, 3, 0);
V(write_uneven_loops3, W, 1, 0, 2, 3, 1 * MiB, 8 * MiB + 12 * KiB, 3, 0);
V(overwrite_loops3, W, 0, 1, 8, 2, 256 * KiB, 8 * MiB, 3, 1);
V(overwrite_uneven, W, 1, 0, 4, 3, 1 * MiB, 4 * MiB + 4 * KiB, 2, 1);

FIXTURE_SETUP(grid)
{
	self->c.fd = -1;
	self->dir = getenv("DSAIO_FILE_DIR");
	if (!self->dir)
		SKIP(return, "DSAIO_FILE_DIR not set");
	OPEN_OR_SKIP(&self->c);
}

FIXTURE_TEARDOWN(grid)
{
	if (self->c.fd >= 0)
		dsc_close(&self->c);
	if (self->dir)
		EXPECT_EQ(0, count_dsaio_files(self->dir));
}

/* Validated (writes fill each request, reads check every block), counted. */
TEST_F_TIMEOUT(grid, run, 300)
{
	struct dsc_cfg cfg;
	struct dsc_job j;

	dsc_cfg_init_dir(&cfg, self->dir, variant->op, variant->io_size,
			 variant->bs);
	cfg.single_submit = variant->ss;
	cfg.overlap = variant->ov;
	cfg.queue_depth = variant->qd;
	cfg.threads = variant->threads;
	cfg.loops = variant->loops;
	cfg.warmup_loops = 1;
	cfg.validate = 1;
	cfg.seed = 0x5eed0000 + variant->bs;
	cfg.overwrite = variant->overwrite;
	cfg.set |= CFG_BIT(DSAIO_CFG_SINGLE_SUBMIT) |
		   CFG_BIT(DSAIO_CFG_OVERLAP_EVENTS) |
		   CFG_BIT(DSAIO_CFG_QUEUE_DEPTH) | CFG_BIT(DSAIO_CFG_THREADS) |
		   CFG_BIT(DSAIO_CFG_LOOPS) | CFG_BIT(DSAIO_CFG_WARMUP_LOOPS) |
		   CFG_BIT(DSAIO_CFG_VALIDATE) | CFG_BIT(DSAIO_CFG_SEED) |
		   CFG_BIT(DSAIO_CFG_OVERWRITE);
	ASSERT_EQ(0, dsc_run(&self->c, &cfg, 280000, &j))
		TH_LOG("%s", self->c.extack);
	expect_done(_metadata, &cfg, &j);
	EXPECT_EQ(variant->overwrite, j.cfg.overwrite);
	EXPECT_EQ(cfg.io_size * (cfg.loops + 1), j.bytes_done);
}

/*
 * What a validated write leaves on the file, read back by this process,
 * not by the module: the pattern, over exactly io_size bytes. The same
 * for the file a read job writes at set-up. Both kept, then removed here.
 */
TEST_F_TIMEOUT(file, kept_files_hold_the_pattern, 120)
{
	static const uint8_t ops[] = { DSAIO_OP_WRITE, DSAIO_OP_READ };
	const uint64_t io = 6 * MiB + 8 * KiB;
	struct dsc_cfg cfg;
	struct dsc_job j;
	char path[512];
	unsigned int i;

	for (i = 0; i < 2; i++) {
		dsc_cfg_init_dir(&cfg, self->dir, ops[i], io, 128 * KiB);
		cfg.threads = 3;
		cfg.queue_depth = 4;
		cfg.loops = 2;
		cfg.validate = 1;
		cfg.seed = 0xfeed + i;
		cfg.keep_files = 1;
		cfg.set |= CFG_BIT(DSAIO_CFG_THREADS) |
			   CFG_BIT(DSAIO_CFG_QUEUE_DEPTH) |
			   CFG_BIT(DSAIO_CFG_LOOPS) | CFG_BIT(DSAIO_CFG_VALIDATE) |
			   CFG_BIT(DSAIO_CFG_SEED) |
			   CFG_BIT(DSAIO_CFG_KEEP_FILES);
		ASSERT_EQ(0, dsc_run(&self->c, &cfg, 100000, &j))
			TH_LOG("%s", self->c.extack);
		expect_done(_metadata, &cfg, &j);
		EXPECT_EQ(1, j.cfg.keep_files);
		file_path(path, sizeof(path), self->dir, j.id);
		EXPECT_EQ(0, check_file_pattern(path, io, cfg.seed))
			TH_LOG("%s: op %u", path, ops[i]);
		EXPECT_EQ(0, unlink(path));
	}
}

/* Cancel, and a closed socket, mid-job: the file goes with the job. */
TEST_F_TIMEOUT(file, cancel_and_close_mid_job, 120)
{
	struct dsc other;
	struct dsc_cfg cfg;
	struct dsc_job j;
	char path[512];
	uint32_t id;
	int round;

	for (round = 0; round < 2; round++) {
		struct dsc *starter = round ? &other : &self->c;
		uint64_t end = now_ms() + 30000;

		ASSERT_EQ(0, dsc_open(&other));
		dsc_cfg_init_dir(&cfg, self->dir, DSAIO_OP_WRITE, 64 * MiB,
				 4 * KiB);
		cfg.loops = 50;
		cfg.set |= CFG_BIT(DSAIO_CFG_LOOPS);
		ASSERT_EQ(0, dsc_start(starter, &cfg, &id))
			TH_LOG("%s", starter->extack);
		do {
			ASSERT_EQ(0, dsc_get(&self->c, id, &j));
			usleep(20000);
		} while (!j.bytes_done && now_ms() < end);
		ASSERT_LT(0, j.bytes_done);
		file_path(path, sizeof(path), self->dir, id);
		EXPECT_EQ(0, access(path, F_OK));
		if (round)
			dsc_close(&other);
		else
			ASSERT_EQ(0, dsc_cancel(&self->c, id));
		ASSERT_EQ(0, dsc_wait(&self->c, id, 60000, &j));
		EXPECT_EQ(DSAIO_JOB_CANCELLED, j.state);
		EXPECT_NE(0, access(path, F_OK));
		if (!round)
			dsc_close(&other);
	}
}

/* A refusal: the errno, a sentence, and no file left behind. */
#define EXPECT_REFUSED(cfgp, err, words) do {				\
	uint32_t __id = 0;						\
	int __r = dsc_start(&self->c, (cfgp), &__id);			\
	EXPECT_EQ((err), __r) TH_LOG("got %d: %s", __r, self->c.extack);\
	EXPECT_NE(NULL, strstr(self->c.extack, (words)))		\
		TH_LOG("extack \"%s\" lacks \"%s\"", self->c.extack, (words)); \
	EXPECT_EQ(0, count_dsaio_files(self->dir));			\
} while (0)

TEST_F(file, refusals)
{
	struct dsc_cfg cfg;
	struct statvfs sv;
	char path[512];
	int fd;

	dsc_cfg_init_dir(&cfg, "/nonexistent-dsaio-dir", DSAIO_OP_READ,
			 1 * MiB, 64 * KiB);
	EXPECT_REFUSED(&cfg, -ENOENT, "no such directory");

	snprintf(path, sizeof(path), "%s/not-a-dir", self->dir);
	fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0644);
	ASSERT_LE(0, fd);
	close(fd);
	dsc_cfg_init_dir(&cfg, path, DSAIO_OP_WRITE, 1 * MiB, 64 * KiB);
	EXPECT_REFUSED(&cfg, -ENOTDIR, "not a directory");
	EXPECT_EQ(0, unlink(path));

	/* DEV_PATH and DIR together; file options on a device */
	dsc_cfg_init_dir(&cfg, self->dir, DSAIO_OP_READ, 1 * MiB, 64 * KiB);
	cfg.dev = "/dev/nvme0n1";
	cfg.set |= CFG_BIT(DSAIO_CFG_DEV_PATH);
	EXPECT_REFUSED(&cfg, -EINVAL, "exclude each other");
	dsc_cfg_init(&cfg, "/dev/nvme0n1", DSAIO_OP_READ, 1 * MiB, 64 * KiB);
	cfg.keep_files = 1;
	cfg.set |= CFG_BIT(DSAIO_CFG_KEEP_FILES);
	EXPECT_REFUSED(&cfg, -EINVAL, "need DSAIO_CFG_DIR");
	dsc_cfg_init(&cfg, NULL, DSAIO_OP_READ, 1 * MiB, 64 * KiB);
	EXPECT_REFUSED(&cfg, -EINVAL, "is required");

	/* direct-I/O alignment: block size, offset, io_size */
	dsc_cfg_init_dir(&cfg, self->dir, DSAIO_OP_WRITE, 1 * MiB, 256);
	EXPECT_REFUSED(&cfg, -EINVAL, "DSAIO_CFG_BLOCK_SIZE");
	dsc_cfg_init_dir(&cfg, self->dir, DSAIO_OP_READ, 1 * MiB, 64 * KiB);
	cfg.offset = 100;
	cfg.set |= CFG_BIT(DSAIO_CFG_OFFSET);
	EXPECT_REFUSED(&cfg, -EINVAL, "DSAIO_CFG_OFFSET");
	dsc_cfg_init_dir(&cfg, self->dir, DSAIO_OP_READ, 1 * MiB + 100,
			 64 * KiB);
	EXPECT_REFUSED(&cfg, -EINVAL, "DSAIO_CFG_IO_SIZE");

	/* more than the free space */
	ASSERT_EQ(0, statvfs(self->dir, &sv));
	dsc_cfg_init_dir(&cfg, self->dir, DSAIO_OP_WRITE,
			 ((uint64_t)sv.f_bavail + 1024) * sv.f_frsize, 1 * MiB);
	EXPECT_REFUSED(&cfg, -ENOSPC, "free space");
	dsc_cfg_init_dir(&cfg, self->dir, DSAIO_OP_READ, 1 * MiB, 64 * KiB);
	cfg.offset = 1ULL << 62;
	cfg.io_size = 1ULL << 62;
	cfg.set |= CFG_BIT(DSAIO_CFG_OFFSET);
	EXPECT_REFUSED(&cfg, -EFBIG, "more than a file can hold");
}

/* tmpfs takes O_DIRECT on 6.12, from memory: not a drive, refused. */
TEST_F(file, tmpfs_refused)
{
	const char *tmpfs = getenv("DSAIO_TMPFS");
	struct dsc_cfg cfg;

	if (!tmpfs)
		SKIP(return, "DSAIO_TMPFS not set");
	dsc_cfg_init_dir(&cfg, tmpfs, DSAIO_OP_WRITE, 1 * MiB, 64 * KiB);
	EXPECT_REFUSED(&cfg, -EOPNOTSUPP, "not on a block device");
	EXPECT_EQ(0, count_dsaio_files(tmpfs));
}

/*
 * A symlink planted under the next job's name, pointing at a file of
 * someone else's: refused, the link and its target as they were.
 */
TEST_F(file, planted_symlink_refused)
{
	const char victim_data[] = "not dsaio's";
	char link[512], victim[512], buf[64] = "";
	struct dsc_cfg cfg;
	struct dsc_job j;
	struct stat st;
	int fd;

	/* Ids only grow, and nothing else starts jobs: the next is id + 1. */
	dsc_cfg_init_dir(&cfg, self->dir, DSAIO_OP_READ, 64 * KiB, 64 * KiB);
	ASSERT_EQ(0, dsc_run(&self->c, &cfg, 30000, &j));
	snprintf(victim, sizeof(victim), "%s/victim", self->dir);
	fd = open(victim, O_CREAT | O_WRONLY | O_TRUNC, 0644);
	ASSERT_LE(0, fd);
	ASSERT_EQ(sizeof(victim_data), write(fd, victim_data,
					     sizeof(victim_data)));
	close(fd);
	file_path(link, sizeof(link), self->dir, j.id + 1);
	ASSERT_EQ(0, symlink(victim, link));

	dsc_cfg_init_dir(&cfg, self->dir, DSAIO_OP_WRITE, 1 * MiB, 64 * KiB);
	{
		uint32_t id = 0;
		int r = dsc_start(&self->c, &cfg, &id);

		EXPECT_EQ(-EEXIST, r) TH_LOG("got %d: %s", r, self->c.extack);
		EXPECT_NE(NULL, strstr(self->c.extack, "already exists"));
	}
	EXPECT_EQ(0, lstat(link, &st));
	EXPECT_TRUE(S_ISLNK(st.st_mode));
	fd = open(victim, O_RDONLY);
	ASSERT_LE(0, fd);
	EXPECT_EQ(sizeof(victim_data), read(fd, buf, sizeof(buf)));
	close(fd);
	EXPECT_STREQ(victim_data, buf);
	EXPECT_EQ(0, unlink(link));
	EXPECT_EQ(0, unlink(victim));
}

static int drop_caps(uint64_t drop)
{
	struct __user_cap_header_struct h = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct d[2];
	int i;

	if (syscall(SYS_capget, &h, d))
		return -1;
	for (i = 0; i < 2; i++) {
		d[i].effective &= ~(uint32_t)(drop >> (32 * i));
		d[i].permitted &= ~(uint32_t)(drop >> (32 * i));
	}
	return syscall(SYS_capset, &h, d) ? -1 : 0;
}

#define CAP(n)	(1ULL << (n))

/*
 * In a child: a caller with CAP_NET_ADMIN but without the right to write
 * into a directory of another user is refused (-EACCES) and creates
 * nothing; one without CAP_NET_ADMIN does not get to ask (-EPERM).
 */
TEST_F(file, unprivileged_refused)
{
	char dir[512];
	int status;
	pid_t pid;

	snprintf(dir, sizeof(dir), "%s/not-mine", self->dir);
	ASSERT_EQ(0, mkdir(dir, 0755));
	ASSERT_EQ(0, chown(dir, 4321, 4321));
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		struct dsc_cfg cfg;
		struct dsc c;
		uint32_t id;
		int r;

		if (drop_caps(CAP(CAP_DAC_OVERRIDE) |
			      CAP(CAP_DAC_READ_SEARCH) | CAP(CAP_FOWNER)))
			_exit(10);
		if (dsc_open(&c))
			_exit(11);
		dsc_cfg_init_dir(&cfg, dir, DSAIO_OP_WRITE, 1 * MiB, 64 * KiB);
		r = dsc_start(&c, &cfg, &id);
		if (r != -EACCES || !strstr(c.extack, "no permission"))
			_exit(12);
		dsc_close(&c);
		if (drop_caps(CAP(CAP_NET_ADMIN)))
			_exit(13);
		if (dsc_open(&c))
			_exit(14);
		dsc_cfg_init_dir(&cfg, self->dir, DSAIO_OP_READ, 1 * MiB,
				 64 * KiB);
		r = dsc_start(&c, &cfg, &id);
		_exit(r == -EPERM ? 0 : 15);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
	EXPECT_EQ(0, count_dsaio_files(dir));
	EXPECT_EQ(0, rmdir(dir));
}

/*
 * Take all but @leave bytes of what is free in @dir with file @path: of
 * what anyone may use (f_bavail), or with @all also of the blocks kept
 * for root (f_bfree; this test and so its jobs run as root).
 */
static int fill_up(const char *dir, const char *path, uint64_t leave,
		   bool all)
{
	struct statvfs sv;
	uint64_t avail;
	int fd, r;

	if (statvfs(dir, &sv))
		return -1;
	avail = (uint64_t)(all ? sv.f_bfree : sv.f_bavail) * sv.f_frsize;
	if (avail <= leave)
		return 0;
	fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0644);
	if (fd < 0)
		return -1;
	/* Its own metadata needs room too: step down until it fits. */
	for (r = -1; avail > leave;) {
		r = fallocate(fd, 0, 0, avail - leave);
		if (!r || errno != ENOSPC)
			break;
		avail = avail > leave + 4 * MiB ? avail - 4 * MiB : leave;
	}
	close(fd);
	return r;
}

/*
 * The filesystem fills up under a running write (this process takes the
 * space the start-time check saw): the job fails with ENOSPC, counted,
 * and its file is removed.
 */
TEST_F_TIMEOUT(file, enospc_mid_job, 180)
{
	char filler[512], filler2[512], path[512];
	struct dsc_cfg cfg;
	struct dsc_job j;
	int attempt, seen = 0;
	uint32_t id;

	snprintf(filler, sizeof(filler), "%s/filler", self->dir);
	snprintf(filler2, sizeof(filler2), "%s/filler2", self->dir);
	ASSERT_EQ(0, fill_up(self->dir, filler, 64 * MiB, false));
	/* 4 KiB at a time into a new file: slow enough to be overtaken. */
	dsc_cfg_init_dir(&cfg, self->dir, DSAIO_OP_WRITE, 48 * MiB, 4 * KiB);
	for (attempt = 0; attempt < 3 && !seen; attempt++) {
		uint64_t end = now_ms() + 30000;

		/* No ASSERT until the fillers are gone. */
		if (dsc_start(&self->c, &cfg, &id)) {
			TH_LOG("start refused: %s", self->c.extack);
			break;
		}
		do {
			if (dsc_get(&self->c, id, &j))
				break;
		} while (!j.bytes_done && !JOB_ENDED(j.state) &&
			 now_ms() < end);
		EXPECT_EQ(0, fill_up(self->dir, filler2, 1 * MiB, true));
		EXPECT_EQ(0, dsc_wait(&self->c, id, 120000, &j));
		TH_LOG("job %u: %s error %d, %llu of %llu bytes", id,
		       dsc_state_name(j.state), j.error,
		       (unsigned long long)j.bytes,
		       (unsigned long long)cfg.io_size);
		seen = j.state == DSAIO_JOB_FAILED && j.error == -ENOSPC;
		unlink(filler2);
	}
	EXPECT_TRUE(seen);
	if (seen) {
		EXPECT_LE(1, j.errors);
		EXPECT_GT(cfg.io_size, j.bytes);
		ASSERT_LE(1, j.nerrnos);
		EXPECT_EQ(ENOSPC, j.errno_code[0]);
	}
	file_path(path, sizeof(path), self->dir, id);
	EXPECT_NE(0, access(path, F_OK));
	EXPECT_EQ(0, unlink(filler));
}

/* A read-only filesystem: refused before anything is created. */
TEST_F(file, read_only_refused)
{
	struct dsc_cfg cfg;
	const char *mnt = getenv("DSAIO_FILE_MNT");

	if (!mnt)
		SKIP(return, "DSAIO_FILE_MNT not set");
	ASSERT_EQ(0, mount(NULL, mnt, NULL, MS_REMOUNT | MS_RDONLY, NULL));
	dsc_cfg_init_dir(&cfg, self->dir, DSAIO_OP_READ, 1 * MiB, 64 * KiB);
	EXPECT_REFUSED(&cfg, -EROFS, "read-only");
	ASSERT_EQ(0, mount(NULL, mnt, NULL, MS_REMOUNT, NULL));
}

TEST_HARNESS_MAIN
