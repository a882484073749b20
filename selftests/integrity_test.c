// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Data integrity on the scratch NVMe (DSAIO_NVME): pattern writes, validating
 * reads, exact mismatch counts and offsets, and guard zones around the region
 * that no write job may touch. User space checks with O_DIRECT.
 */
#include <fcntl.h>
#include <sys/stat.h>
#include "test_common.h"
#include "kselftest_harness.h"

#define REGION	(2048 * MiB)	/* [2 GiB, ...) on the scratch disk */
#define GUARD	(1 * MiB)
#define SEED	0x5eed0001ULL

FIXTURE(integ) {
	struct dsc c;
	const char *dev;
	int fd;
	uint32_t lbs;
	uint64_t io_size;
	uint64_t guard_sum[2];
	char *buf;
};

FIXTURE_VARIANT(integ) {
	uint32_t threads, qd, bs;
	uint8_t ss, ov;
	uint64_t io_size;
};

FIXTURE_VARIANT_ADD(integ, t1_1m) {
	.threads = 1, .qd = 4, .bs = 1 * MiB, .ss = 0, .ov = 1,
	.io_size = 16 * MiB,
};
FIXTURE_VARIANT_ADD(integ, t4_128k_ss) {
	.threads = 4, .qd = 32, .bs = 128 * KiB, .ss = 1, .ov = 1,
	.io_size = 16 * MiB,
};
FIXTURE_VARIANT_ADD(integ, t3_uneven_seq) {
	.threads = 3, .qd = 2, .bs = 1 * MiB, .ss = 0, .ov = 0,
	.io_size = 16 * MiB + 12 * KiB,
};

static uint64_t fnv(const char *p, size_t n, uint64_t h)
{
	size_t i;

	for (i = 0; i < n; i++)
		h = (h ^ (unsigned char)p[i]) * 0x100000001b3ULL;
	return h;
}

static int pread_all(int fd, char *buf, size_t len, uint64_t off)
{
	while (len) {
		ssize_t n = pread(fd, buf, len, off);

		if (n <= 0)
			return -1;
		buf += n;
		len -= n;
		off += n;
	}
	return 0;
}

static int pwrite_all(int fd, const char *buf, size_t len, uint64_t off)
{
	while (len) {
		ssize_t n = pwrite(fd, buf, len, off);

		if (n <= 0)
			return -1;
		buf += n;
		len -= n;
		off += n;
	}
	return 0;
}

static int guard_sums(FIXTURE_DATA(integ) *self, uint64_t sum[2])
{
	uint64_t off[2] = { REGION - GUARD, REGION + self->io_size };
	int i;

	for (i = 0; i < 2; i++) {
		if (pread_all(self->fd, self->buf, GUARD, off[i]))
			return -1;
		sum[i] = fnv(self->buf, GUARD, 0xcbf29ce484222325ULL);
	}
	return 0;
}

FIXTURE_SETUP(integ)
{
	uint64_t off[2];
	int i;

	self->c.fd = -1;
	self->fd = -1;
	self->buf = NULL;
	self->dev = env_dev("DSAIO_NVME");
	if (!self->dev)
		SKIP(return, "DSAIO_NVME not set");
	OPEN_OR_SKIP(&self->c);
	self->lbs = dsc_dev_lbs(self->dev);
	ASSERT_NE(0, self->lbs);
	self->io_size = variant->io_size;
	self->fd = open(self->dev, O_RDWR | O_DIRECT | O_CLOEXEC);
	ASSERT_LE(0, self->fd);
	ASSERT_EQ(0, posix_memalign((void **)&self->buf, 4096, 32 * MiB));
	/* guards get a recognisable non-zero fill */
	memset(self->buf, 0xa5, GUARD);
	off[0] = REGION - GUARD;
	off[1] = REGION + self->io_size;
	for (i = 0; i < 2; i++)
		ASSERT_EQ(0, pwrite_all(self->fd, self->buf, GUARD, off[i]));
	ASSERT_EQ(0, guard_sums(self, self->guard_sum));
}

FIXTURE_TEARDOWN(integ)
{
	if (self->c.fd >= 0)
		dsc_close(&self->c);
	if (self->fd >= 0)
		close(self->fd);
	free(self->buf);
}

static void cfg_for(FIXTURE_DATA(integ) *self,
		    const FIXTURE_VARIANT(integ) *variant, struct dsc_cfg *cfg,
		    uint8_t op, uint64_t seed)
{
	dsc_cfg_init(cfg, self->dev, op, self->io_size, variant->bs);
	cfg->offset = REGION;
	cfg->threads = variant->threads;
	cfg->queue_depth = variant->qd;
	cfg->single_submit = variant->ss;
	cfg->overlap = variant->ov;
	cfg->validate = 1;
	cfg->seed = seed;
	cfg->set |= CFG_BIT(DSAIO_CFG_OFFSET) | CFG_BIT(DSAIO_CFG_THREADS) |
		    CFG_BIT(DSAIO_CFG_QUEUE_DEPTH) | CFG_BIT(DSAIO_CFG_SINGLE_SUBMIT) |
		    CFG_BIT(DSAIO_CFG_OVERLAP_EVENTS) | CFG_BIT(DSAIO_CFG_VALIDATE) |
		    CFG_BIT(DSAIO_CFG_SEED);
}

/* Write the pattern with @seed; checks counts and the guard zones. */
static void write_pattern(struct __test_metadata *_metadata,
			  FIXTURE_DATA(integ) *self,
			  const FIXTURE_VARIANT(integ) *variant, uint64_t seed)
{
	struct dsc_cfg cfg;
	struct dsc_job j;
	uint64_t sum[2];
	int r;

	cfg_for(self, variant, &cfg, DSAIO_OP_WRITE, seed);
	r = dsc_run(&self->c, &cfg, 120000, &j);
	ASSERT_EQ(0, r) TH_LOG("write: %d %s", r, self->c.extack);
	ASSERT_EQ(DSAIO_JOB_DONE, j.state);
	ASSERT_EQ(self->io_size, j.bytes);
	ASSERT_EQ(0, j.errors);
	ASSERT_EQ(0, guard_sums(self, sum));
	EXPECT_EQ(self->guard_sum[0], sum[0]) TH_LOG("guard before the region changed");
	EXPECT_EQ(self->guard_sum[1], sum[1]) TH_LOG("guard after the region changed");
}

static void read_check(struct __test_metadata *_metadata,
		       FIXTURE_DATA(integ) *self,
		       const FIXTURE_VARIANT(integ) *variant, uint64_t seed,
		       uint32_t loops, struct dsc_job *j)
{
	struct dsc_cfg cfg;
	int r;

	cfg_for(self, variant, &cfg, DSAIO_OP_READ, seed);
	cfg.loops = loops;
	cfg.set |= CFG_BIT(DSAIO_CFG_LOOPS);
	r = dsc_run(&self->c, &cfg, 120000, j);
	ASSERT_EQ(0, r) TH_LOG("read: %d %s", r, self->c.extack);
	ASSERT_EQ(DSAIO_JOB_DONE, j->state);
	ASSERT_EQ(self->io_size * loops, j->bytes);
	ASSERT_EQ(0, j->errors);
	ASSERT_TRUE(j->res_present & (1U << DSAIO_RES_MISMATCHES));
}

TEST_F_TIMEOUT(integ, write_read_validate, 240)
{
	uint64_t off, bad = 0, first = 0;
	struct dsc_job j;
	size_t chunk, i;

	if (!self->dev)
		return;
	write_pattern(_metadata, self, variant, SEED);
	read_check(_metadata, self, variant, SEED, 1, &j);
	EXPECT_EQ(0, j.mismatches);
	EXPECT_FALSE(j.res_present & (1U << DSAIO_RES_FIRST_MISMATCH));
	/* user space agrees that every word is dsaio_pattern_word() */
	for (off = 0; off < self->io_size; off += chunk) {
		chunk = self->io_size - off < 32 * MiB ? self->io_size - off : 32 * MiB;
		ASSERT_EQ(0, pread_all(self->fd, self->buf, chunk, REGION + off));
		for (i = 0; i < chunk; i += 8) {
			uint64_t w, want = dsaio_pattern_word(SEED, REGION + off + i);

			memcpy(&w, self->buf + i, 8);
			if (w != want && !bad++)
				first = REGION + off + i;
		}
	}
	EXPECT_EQ(0, bad) TH_LOG("%llu words differ from the pattern, first at %llu",
				 (unsigned long long)bad, (unsigned long long)first);
}

TEST_F_TIMEOUT(integ, other_seed_all_mismatch, 240)
{
	struct dsc_job j;

	if (!self->dev)
		return;
	write_pattern(_metadata, self, variant, SEED);
	read_check(_metadata, self, variant, SEED + 1, 1, &j);
	EXPECT_EQ(self->io_size / self->lbs, j.mismatches);
	ASSERT_TRUE(j.res_present & (1U << DSAIO_RES_FIRST_MISMATCH));
	EXPECT_EQ(REGION, j.first_mismatch);
}

TEST_F_TIMEOUT(integ, corrupt_one_block, 240)
{
	uint64_t bad_off;
	struct dsc_job j;
	uint32_t i;

	if (!self->dev)
		return;
	write_pattern(_metadata, self, variant, SEED);
	/* one logical block in the middle, not on a request boundary */
	bad_off = REGION + 5 * MiB + 3 * self->lbs;
	for (i = 0; i < self->lbs; i += 8) {
		uint64_t w = dsaio_pattern_word(SEED + 7, bad_off + i);

		memcpy(self->buf + i, &w, 8);
	}
	ASSERT_EQ(0, pwrite_all(self->fd, self->buf, self->lbs, bad_off));
	ASSERT_EQ(0, fdatasync(self->fd));
	read_check(_metadata, self, variant, SEED, 1, &j);
	EXPECT_EQ(1, j.mismatches);
	ASSERT_TRUE(j.res_present & (1U << DSAIO_RES_FIRST_MISMATCH));
	EXPECT_EQ(bad_off, j.first_mismatch);
	/* every loop counts it */
	read_check(_metadata, self, variant, SEED, 2, &j);
	EXPECT_EQ(2, j.mismatches);
	EXPECT_EQ(bad_off, j.first_mismatch);
}

/* A write without validate stays inside the region too. */
TEST_F_TIMEOUT(integ, plain_write_guards, 240)
{
	struct dsc_cfg cfg;
	struct dsc_job j;
	uint64_t sum[2];

	if (!self->dev)
		return;
	cfg_for(self, variant, &cfg, DSAIO_OP_WRITE, 0);
	cfg.validate = 0;
	cfg.loops = 2;
	cfg.set |= CFG_BIT(DSAIO_CFG_LOOPS);
	ASSERT_EQ(0, dsc_run(&self->c, &cfg, 120000, &j));
	ASSERT_EQ(DSAIO_JOB_DONE, j.state);
	EXPECT_EQ(2 * self->io_size, j.bytes);
	ASSERT_EQ(0, guard_sums(self, sum));
	EXPECT_EQ(self->guard_sum[0], sum[0]);
	EXPECT_EQ(self->guard_sum[1], sum[1]);
}

TEST_HARNESS_MAIN
