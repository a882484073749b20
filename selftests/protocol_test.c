// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Protocol: every command, every refusal with an extack message, privilege,
 * dumps and events. Needs the module loaded and DSAIO_NULLB / DSAIO_SLOW.
 */
#include <fcntl.h>
#include <grp.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include "test_common.h"
#include "kselftest_harness.h"

FIXTURE(proto) {
	struct dsc c;
	struct dsc_info info;
	const char *dev;	/* fast null_blk */
	uint64_t dev_size;
	uint32_t lbs;
};

FIXTURE_SETUP(proto)
{
	OPEN_OR_SKIP(&self->c);
	ASSERT_EQ(0, dsc_info(&self->c, &self->info));
	self->dev = env_dev("DSAIO_NULLB");
	if (self->dev) {
		self->dev_size = dsc_dev_size(self->dev);
		self->lbs = dsc_dev_lbs(self->dev);
		ASSERT_NE(0, self->dev_size);
		ASSERT_NE(0, self->lbs);
	}
}

FIXTURE_TEARDOWN(proto)
{
	if (self->c.fd >= 0)
		dsc_close(&self->c);
}

#define NEED_DEV() do { if (!self->dev) SKIP(return, "DSAIO_NULLB not set"); } while (0)
#define LIMIT(x) (self->info.limit[DSAIO_LIMIT_##x])

TEST_F(proto, get_info)
{
	int i;

	EXPECT_NE(0, strlen(self->info.version));
	EXPECT_TRUE(self->info.have_features);
	EXPECT_EQ(0, self->info.features & ~DSAIO_F_ALL);
	for (i = 1; i <= DSAIO_LIMIT_MAX; i++) {
		EXPECT_TRUE(self->info.have_limit[i]) TH_LOG("limit %d missing", i);
		EXPECT_NE(0, self->info.limit[i]) TH_LOG("limit %d is 0", i);
	}
}

/* JOB_START, JOB_GET (doit), JOB_CANCEL, defaults echoed. */
TEST_F_TIMEOUT(proto, start_get_cancel, 60)
{
	const char *slow = env_dev("DSAIO_SLOW");
	struct dsc_cfg cfg;
	struct dsc_job j;
	uint32_t id;

	if (!slow)
		SKIP(return, "DSAIO_SLOW not set");
	dsc_cfg_init(&cfg, slow, DSAIO_OP_READ, 64 * MiB, 4096);
	ASSERT_EQ(0, dsc_start(&self->c, &cfg, &id));
	ASSERT_LE(1, id);
	ASSERT_EQ(0, dsc_get(&self->c, id, &j));
	EXPECT_EQ(id, j.id);
	EXPECT_TRUE(j.state == DSAIO_JOB_SETUP || j.state == DSAIO_JOB_RUNNING);
	EXPECT_EQ(0, j.error);
	EXPECT_STREQ(slow, j.dev);
	EXPECT_EQ(DSAIO_OP_READ, j.cfg.op);
	EXPECT_EQ(64 * MiB, j.cfg.io_size);
	EXPECT_EQ(4096, j.cfg.block_size);
	/* defaults filled in */
	EXPECT_EQ(0, j.cfg.offset);
	EXPECT_EQ(1, j.cfg.queue_depth);
	EXPECT_EQ(1, j.cfg.threads);
	EXPECT_EQ(0, j.cfg.single_submit);
	EXPECT_EQ(1, j.cfg.overlap);
	EXPECT_EQ(1, j.cfg.loops);
	EXPECT_EQ(0, j.cfg.validate);
	EXPECT_EQ(0, j.cfg.seed);
	EXPECT_EQ(0, j.cfg.allow_write);
	EXPECT_EQ(1, j.cfg.histogram);
	EXPECT_TRUE(j.present & (1U << DSAIO_A_JOB_PROGRESS));
	EXPECT_EQ(64 * MiB, j.bytes_total);
	EXPECT_FALSE(j.present & (1U << DSAIO_A_JOB_RESULT));

	usleep(300 * 1000);
	ASSERT_EQ(0, dsc_cancel(&self->c, id));
	ASSERT_EQ(0, dsc_wait(&self->c, id, 20000, &j));
	EXPECT_EQ(DSAIO_JOB_CANCELLED, j.state);
	EXPECT_TRUE(j.present & (1U << DSAIO_A_JOB_RESULT));
	EXPECT_GT(64 * MiB, j.bytes);
	EXPECT_EQ(j.bytes, j.requests * 4096);
	/* cancelling an ended job is a no-op */
	EXPECT_EQ(0, dsc_cancel(&self->c, id));
	ASSERT_EQ(0, dsc_get(&self->c, id, &j));
	EXPECT_EQ(DSAIO_JOB_CANCELLED, j.state);
	/* unknown ids */
	EXPECT_EQ(-ENOENT, dsc_get(&self->c, 0x7ffffff0, &j));
	EXPECT_EQ(-ENOENT, dsc_cancel(&self->c, 0x7ffffff0));
}

/*
 * Every config attribute given with a value other than its default (and
 * wider than its low byte where it can be) comes back as given: the
 * module reads and echoes each through one table row (netlink_config.c).
 */
TEST_F_TIMEOUT(proto, config_echo, 60)
{
	struct dsc_cfg cfg;
	struct dsc_job j;

	NEED_DEV();
	dsc_cfg_init(&cfg, self->dev, DSAIO_OP_WRITE, 3 * 64 * KiB, 8 * KiB);
	cfg.offset = 257 * 4096ULL;
	cfg.queue_depth = 258;
	cfg.threads = 3;
	cfg.loops = 259;
	cfg.warmup_loops = 260;
	cfg.seed = 0x0123456789abcdefULL;
	cfg.single_submit = 1;
	cfg.overlap = 0;
	cfg.validate = 1;
	cfg.allow_write = 1;
	cfg.histogram = 0;
	cfg.random = 1;
	/* Every attribute of a device job (the file ones need a DIR). */
	cfg.set = ~0U & ~(CFG_BIT(DSAIO_CFG_DIR) | CFG_BIT(DSAIO_CFG_OVERWRITE) |
			  CFG_BIT(DSAIO_CFG_KEEP_FILES));
	ASSERT_EQ(0, dsc_run(&self->c, &cfg, 50000, &j))
		TH_LOG("%s", self->c.extack);
	EXPECT_EQ(DSAIO_JOB_DONE, j.state);
	EXPECT_STREQ(self->dev, j.dev);
	EXPECT_EQ(DSAIO_OP_WRITE, j.cfg.op);
	EXPECT_EQ(257 * 4096ULL, j.cfg.offset);
	EXPECT_EQ(3 * 64 * KiB, j.cfg.io_size);
	EXPECT_EQ(8 * KiB, j.cfg.block_size);
	EXPECT_EQ(258, j.cfg.queue_depth);
	EXPECT_EQ(3, j.cfg.threads);
	EXPECT_EQ(259, j.cfg.loops);
	EXPECT_EQ(260, j.cfg.warmup_loops);
	EXPECT_EQ(0x0123456789abcdefULL, j.cfg.seed);
	EXPECT_EQ(1, j.cfg.single_submit);
	EXPECT_EQ(0, j.cfg.overlap);
	EXPECT_EQ(1, j.cfg.validate);
	EXPECT_EQ(1, j.cfg.allow_write);
	EXPECT_EQ(0, j.cfg.histogram);
	EXPECT_EQ(1, j.cfg.random);
	EXPECT_EQ(259 * 3 * 64 * KiB, j.bytes);
}

/*
 * Warm-up loops run first, in lock-step, and are in no figure of the
 * result, as DeepSpeed's ds_io --warmup_loops; progress counts them.
 */
TEST_F_TIMEOUT(proto, warmup_loops, 60)
{
	const uint64_t io = 2 * MiB, bs = 64 * KiB;
	struct dsc_cfg cfg;
	struct dsc_job j;
	uint64_t wall = 0;
	uint32_t id;
	int i;

	NEED_DEV();
	dsc_cfg_init(&cfg, self->dev, DSAIO_OP_READ, io, bs);
	cfg.threads = 2;
	cfg.loops = 3;
	cfg.warmup_loops = 2;
	cfg.set |= CFG_BIT(DSAIO_CFG_THREADS) | CFG_BIT(DSAIO_CFG_LOOPS) |
		   CFG_BIT(DSAIO_CFG_WARMUP_LOOPS);
	ASSERT_EQ(0, dsc_run(&self->c, &cfg, 30000, &j));
	ASSERT_EQ(DSAIO_JOB_DONE, j.state);
	EXPECT_EQ(3 * io, j.bytes);
	EXPECT_EQ(3 * io / bs, j.requests);
	EXPECT_EQ(j.requests, j.hist_total);
	EXPECT_LE(j.requests, j.bios);
	EXPECT_GE(2 * j.requests, j.bios);	/* not the warm-up's too */
	EXPECT_EQ(5 * io, j.bytes_total);
	EXPECT_EQ(5 * io, j.bytes_done);
	EXPECT_EQ(5, j.loop);
	ASSERT_EQ(3, j.nloops);
	for (i = 0; i < j.nloops; i++) {
		EXPECT_EQ(io, j.loops[i].bytes);
		wall += j.loops[i].time_ns;
	}
	EXPECT_EQ(wall, j.e2e_ns);
	/* two loops ran between the end of set-up and the first counted */
	EXPECT_LT(j.setup_ns, j.loops[0].start_ns);
	ASSERT_EQ(2, j.nworkers);
	EXPECT_EQ(3 * io / 2, j.worker[0].bytes);
	EXPECT_EQ(3 * io / 2, j.worker[1].bytes);

	/* out of range: above max_loops, with a sentence */
	cfg.warmup_loops = LIMIT(MAX_LOOPS) + 1;
	EXPECT_EQ(-EINVAL, dsc_start(&self->c, &cfg, &id));
	EXPECT_NE(NULL, strstr(self->c.extack, "DSAIO_CFG_WARMUP_LOOPS"));
}

/* A finished job's doit reply carries histogram, workers and loops. */
TEST_F_TIMEOUT(proto, result_detail, 60)
{
	struct dsc_cfg cfg;
	struct dsc_job j;

	NEED_DEV();
	dsc_cfg_init(&cfg, self->dev, DSAIO_OP_READ, 4 * MiB, 64 * KiB);
	cfg.threads = 2;
	cfg.loops = 2;
	cfg.set |= CFG_BIT(DSAIO_CFG_THREADS) | CFG_BIT(DSAIO_CFG_LOOPS);
	ASSERT_EQ(0, dsc_run(&self->c, &cfg, 30000, &j));
	ASSERT_EQ(DSAIO_JOB_DONE, j.state);
	EXPECT_EQ(8 * MiB, j.bytes);
	EXPECT_EQ(128, j.requests);
	EXPECT_LT(0, j.hist_buckets);
	EXPECT_EQ(j.requests, j.hist_total);
	EXPECT_FALSE(j.hist_bad);
	EXPECT_EQ(2, j.nworkers);
	EXPECT_EQ(2, j.nloops);
	EXPECT_EQ(0, j.res_present & (1U << DSAIO_RES_FIRST_MISMATCH));

	cfg.histogram = 0;
	cfg.set |= CFG_BIT(DSAIO_CFG_HISTOGRAM);
	ASSERT_EQ(0, dsc_run(&self->c, &cfg, 30000, &j));
	ASSERT_EQ(DSAIO_JOB_DONE, j.state);
	EXPECT_EQ(-1, j.hist_buckets);
	EXPECT_FALSE(j.res_present & (1U << DSAIO_RES_HIST));
	EXPECT_EQ(8 * MiB, j.bytes);
}

static void valid_cfg(struct dsc_cfg *cfg, const char *dev)
{
	dsc_cfg_init(cfg, dev, DSAIO_OP_READ, 1 * MiB, 4096);
}

/*
 * Expect @m to fail with exactly @err and an extack message. JOB_START
 * promises -EINVAL for every bad value (dsaio.h), so the kernel core's
 * -ERANGE for a policy range must not leak through.
 */
#define EXPECT_REFUSED(m, err, what) do {				\
	int __r = dsc_transact(&self->c, (m), NULL, NULL);		\
	EXPECT_EQ((err), __r) TH_LOG("%s: got %d (%s)", (what), __r,	\
				    self->c.extack);			\
	EXPECT_NE(0, strlen(self->c.extack))				\
		TH_LOG("%s: no extack message (missing-attribute type %d)", \
		       (what), self->c.miss_type);			\
	if (__r == (err))						\
		TH_LOG("%s -> %d \"%s\"", (what), __r, self->c.extack);	\
} while (0)

TEST_F(proto, missing_attributes)
{
	static const int req[] = { DSAIO_CFG_DEV_PATH, DSAIO_CFG_OP,
				   DSAIO_CFG_IO_SIZE, DSAIO_CFG_BLOCK_SIZE };
	struct dsc_cfg cfg;
	struct dsmsg m;
	unsigned int i;
	char what[64];

	NEED_DEV();
	for (i = 0; i < sizeof(req) / sizeof(req[0]); i++) {
		valid_cfg(&cfg, self->dev);
		cfg.set &= ~CFG_BIT(req[i]);
		msg_init(&m, &self->c, DSAIO_CMD_JOB_START, 0);
		msg_put_cfg(&m, &cfg);
		snprintf(what, sizeof(what), "cfg attr %d missing", req[i]);
		EXPECT_REFUSED(&m, -EINVAL, what);
	}
	msg_init(&m, &self->c, DSAIO_CMD_JOB_START, 0);
	EXPECT_REFUSED(&m, -EINVAL, "JOB_CONFIG missing");
	msg_init(&m, &self->c, DSAIO_CMD_JOB_GET, 0);
	EXPECT_REFUSED(&m, -EINVAL, "JOB_GET without id");
	msg_init(&m, &self->c, DSAIO_CMD_JOB_CANCEL, 0);
	EXPECT_REFUSED(&m, -EINVAL, "JOB_CANCEL without id");
}

/* Every config attribute with a payload of the wrong size. */
TEST_F(proto, wrong_types)
{
	/* the sentence names the attribute and its width (finding 6) */
#define BAD(a, l, w)	{ DSAIO_CFG_##a, l, "DSAIO_CFG_" #a ": " w }
	struct {
		int attr;
		int len;
		const char *says;
	} bad[] = {
		BAD(OP, 4, "a u8"), BAD(OFFSET, 4, "a u64"),
		BAD(IO_SIZE, 4, "a u64"), BAD(BLOCK_SIZE, 8, "a u32"),
		BAD(BLOCK_SIZE, 2, "a u32"),
		BAD(QUEUE_DEPTH, 8, "a u32"), BAD(THREADS, 1, "a u32"),
		BAD(SINGLE_SUBMIT, 4, "not 0 or 1"),
		BAD(OVERLAP_EVENTS, 4, "not 0 or 1"),
		BAD(LOOPS, 8, "a u32"), BAD(VALIDATE, 4, "not 0 or 1"),
		BAD(SEED, 4, "a u64"), BAD(ALLOW_WRITE, 8, "not 0 or 1"),
		BAD(HISTOGRAM, 4, "not 0 or 1"), BAD(WARMUP_LOOPS, 8, "a u32"),
		BAD(OVERWRITE, 4, "not 0 or 1"), BAD(KEEP_FILES, 4, "not 0 or 1"),
		BAD(RANDOM, 4, "not 0 or 1"),
	};
#undef BAD
	static const char path_says[] =
		": a NUL-terminated path of at most 255 bytes";
	char want[96];
	uint64_t zero = 0;
	struct dsc_cfg cfg;
	struct dsmsg m;
	unsigned int i;
	char what[64], longpath[DSAIO_DEV_PATH_MAX + 40];

	NEED_DEV();
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		valid_cfg(&cfg, self->dev);
		cfg.set &= ~CFG_BIT(bad[i].attr);
		msg_init(&m, &self->c, DSAIO_CMD_JOB_START, 0);
		msg_put_cfg(&m, &cfg);
		/* re-open the nest: append the bad attribute inside it */
		m.nest[0] = NLMSG_LENGTH(GENL_HDRLEN);
		m.depth = 1;
		msg_put(&m, bad[i].attr, &zero, bad[i].len);
		msg_nest_end(&m);
		snprintf(what, sizeof(what), "cfg attr %d with %d bytes",
			 bad[i].attr, bad[i].len);
		EXPECT_REFUSED(&m, -EINVAL, what);
		EXPECT_NE(NULL, strstr(self->c.extack, bad[i].says))
			TH_LOG("%s: \"%s\", not \"%s\"", what,
			       self->c.extack, bad[i].says);
	}
	/* device path longer than DSAIO_DEV_PATH_MAX */
	memset(longpath, 'a', sizeof(longpath) - 1);
	memcpy(longpath, "/dev/", 5);
	longpath[sizeof(longpath) - 1] = 0;
	valid_cfg(&cfg, longpath);
	msg_init(&m, &self->c, DSAIO_CMD_JOB_START, 0);
	msg_put_cfg(&m, &cfg);
	EXPECT_REFUSED(&m, -EINVAL, "dev path too long");
	snprintf(want, sizeof(want), "DSAIO_CFG_DEV_PATH%s", path_says);
	EXPECT_NE(NULL, strstr(self->c.extack, want))
		TH_LOG("dev path too long: \"%s\"", self->c.extack);
	/* the same in a DSAIO_CFG_TARGETS entry */
	dsc_cfg_init(&cfg, NULL, DSAIO_OP_READ, 1 * MiB, 4096);
	cfg.set &= ~CFG_BIT(DSAIO_CFG_DEV_PATH);
	cfg.tdev[cfg.ntargets++] = self->dev;
	cfg.tdev[cfg.ntargets++] = longpath;
	msg_init(&m, &self->c, DSAIO_CMD_JOB_START, 0);
	msg_put_cfg(&m, &cfg);
	EXPECT_REFUSED(&m, -EINVAL, "target path too long");
	snprintf(want, sizeof(want), "DSAIO_TCFG_DEV_PATH%s", path_says);
	EXPECT_NE(NULL, strstr(self->c.extack, want))
		TH_LOG("target path too long: \"%s\"", self->c.extack);
	memcpy(longpath, "/mnt/", 5);
	dsc_cfg_init_dir(&cfg, longpath, DSAIO_OP_READ, 1 << 20, 65536);
	msg_init(&m, &self->c, DSAIO_CMD_JOB_START, 0);
	msg_put_cfg(&m, &cfg);
	EXPECT_REFUSED(&m, -EINVAL, "dir path too long");
	snprintf(want, sizeof(want), "DSAIO_CFG_DIR%s", path_says);
	EXPECT_NE(NULL, strstr(self->c.extack, want))
		TH_LOG("dir path too long: \"%s\"", self->c.extack);
	/* the config nest without NLA_F_NESTED */
	valid_cfg(&cfg, self->dev);
	msg_init(&m, &self->c, DSAIO_CMD_JOB_START, 0);
	msg_put_cfg(&m, &cfg);
	((struct nlattr *)(m.buf + NLMSG_LENGTH(GENL_HDRLEN)))->nla_type &= ~NLA_F_NESTED;
	EXPECT_REFUSED(&m, -EINVAL, "config nest without NLA_F_NESTED");
	/* job id of the wrong width */
	msg_init(&m, &self->c, DSAIO_CMD_JOB_GET, 0);
	msg_put_u64(&m, DSAIO_A_JOB_ID, 1);
	EXPECT_REFUSED(&m, -EINVAL, "JOB_GET id as u64");
	msg_init(&m, &self->c, DSAIO_CMD_JOB_CANCEL, 0);
	msg_put_u8(&m, DSAIO_A_JOB_ID, 1);
	EXPECT_REFUSED(&m, -EINVAL, "JOB_CANCEL id as u8");
}

struct range_case {
	const char *what;
	int attr;
	uint64_t val;
	uint64_t io_size;	/* 0: the default 1 MiB */
	int err;
};

static void run_range_cases(struct __test_metadata *_metadata,
			    FIXTURE_DATA(proto) *self,
			    const struct range_case *rc, int n)
{
	struct dsc_cfg cfg;
	struct dsmsg m;
	int i;

	for (i = 0; i < n; i++) {
		valid_cfg(&cfg, self->dev);
		if (rc[i].io_size)
			cfg.io_size = rc[i].io_size;
		cfg.set |= CFG_BIT(rc[i].attr);
		switch (rc[i].attr) {
		case DSAIO_CFG_OP: cfg.op = rc[i].val; break;
		case DSAIO_CFG_OFFSET: cfg.offset = rc[i].val; break;
		case DSAIO_CFG_IO_SIZE: cfg.io_size = rc[i].val; break;
		case DSAIO_CFG_BLOCK_SIZE: cfg.block_size = rc[i].val; break;
		case DSAIO_CFG_QUEUE_DEPTH: cfg.queue_depth = rc[i].val; break;
		case DSAIO_CFG_THREADS: cfg.threads = rc[i].val; break;
		case DSAIO_CFG_LOOPS: cfg.loops = rc[i].val; break;
		case DSAIO_CFG_SINGLE_SUBMIT: cfg.single_submit = rc[i].val; break;
		case DSAIO_CFG_OVERLAP_EVENTS: cfg.overlap = rc[i].val; break;
		case DSAIO_CFG_VALIDATE: cfg.validate = rc[i].val; break;
		case DSAIO_CFG_ALLOW_WRITE: cfg.allow_write = rc[i].val; break;
		case DSAIO_CFG_HISTOGRAM: cfg.histogram = rc[i].val; break;
		case DSAIO_CFG_WARMUP_LOOPS: cfg.warmup_loops = rc[i].val; break;
		}
		msg_init(&m, &self->c, DSAIO_CMD_JOB_START, 0);
		msg_put_cfg(&m, &cfg);
		EXPECT_REFUSED(&m, rc[i].err, rc[i].what);
	}
}

TEST_F(proto, out_of_range)
{
	uint64_t big = 0;
	uint32_t lbs;

	NEED_DEV();
	lbs = self->lbs;
	{
		const struct range_case rc[] = {
			{ "op 2", DSAIO_CFG_OP, DSAIO_OP_MAX + 1, 0, -EINVAL },
			{ "op 255", DSAIO_CFG_OP, 255, 0, -EINVAL },
			{ "queue_depth 0", DSAIO_CFG_QUEUE_DEPTH, 0, 0, -EINVAL },
			{ "queue_depth max+1", DSAIO_CFG_QUEUE_DEPTH,
			  LIMIT(MAX_QUEUE_DEPTH) + 1ULL, 0, -EINVAL },
			{ "threads 0", DSAIO_CFG_THREADS, 0, 0, -EINVAL },
			{ "threads max+1", DSAIO_CFG_THREADS,
			  LIMIT(MAX_THREADS) + 1ULL, 0, -EINVAL },
			{ "loops 0", DSAIO_CFG_LOOPS, 0, 0, -EINVAL },
			{ "loops max+1", DSAIO_CFG_LOOPS,
			  LIMIT(MAX_LOOPS) + 1ULL, 0, -EINVAL },
			{ "block_size 0", DSAIO_CFG_BLOCK_SIZE, 0, 0, -EINVAL },
			{ "block_size lbs-1", DSAIO_CFG_BLOCK_SIZE, lbs - 1, 0, -EINVAL },
			{ "block_size lbs+1", DSAIO_CFG_BLOCK_SIZE, lbs + 1, 0, -EINVAL },
			{ "block_size max+lbs", DSAIO_CFG_BLOCK_SIZE,
			  LIMIT(MAX_BLOCK_SIZE) + (uint64_t)lbs, 64 * MiB, -EINVAL },
			{ "io_size 0", DSAIO_CFG_IO_SIZE, 0, 0, -EINVAL },
			{ "io_size lbs+1", DSAIO_CFG_IO_SIZE, lbs + 1, 0, -EINVAL },
			{ "io_size device+lbs", DSAIO_CFG_IO_SIZE,
			  self->dev_size + lbs, 0, -EINVAL },
			{ "io_size 2^64-lbs", DSAIO_CFG_IO_SIZE,
			  0ULL - lbs, 0, -EINVAL },
			{ "offset 1", DSAIO_CFG_OFFSET, 1, 0, -EINVAL },
			{ "offset device end", DSAIO_CFG_OFFSET,
			  self->dev_size, 0, -EINVAL },
			{ "offset device end-lbs (region past end)",
			  DSAIO_CFG_OFFSET, self->dev_size - lbs, 0, -EINVAL },
			{ "offset 2^64-lbs (wraps)", DSAIO_CFG_OFFSET,
			  0ULL - lbs, 0, -EINVAL },
			{ "single_submit 2", DSAIO_CFG_SINGLE_SUBMIT, 2, 0, -EINVAL },
			{ "overlap_events 2", DSAIO_CFG_OVERLAP_EVENTS, 2, 0, -EINVAL },
			{ "validate 2", DSAIO_CFG_VALIDATE, 2, 0, -EINVAL },
			{ "allow_write 2", DSAIO_CFG_ALLOW_WRITE, 2, 0, -EINVAL },
			{ "histogram 2", DSAIO_CFG_HISTOGRAM, 2, 0, -EINVAL },
			{ "warmup_loops max+1", DSAIO_CFG_WARMUP_LOOPS,
			  LIMIT(MAX_LOOPS) + 1ULL, 0, -EINVAL },
		};
		run_range_cases(_metadata, self, rc, sizeof(rc) / sizeof(rc[0]));
	}

	/* Buffer memory over max_mem_mb: -ENOMEM, when the device allows it. */
	big = (LIMIT(MAX_MEM_MB) + 64ULL) * MiB;
	if (big < self->dev_size && LIMIT(MAX_THREADS) && LIMIT(MAX_QUEUE_DEPTH)) {
		struct dsc_cfg cfg;
		struct dsmsg m;

		dsc_cfg_init(&cfg, self->dev, DSAIO_OP_READ, big,
			     LIMIT(MAX_BLOCK_SIZE) / lbs * lbs);
		cfg.queue_depth = LIMIT(MAX_QUEUE_DEPTH);
		cfg.threads = LIMIT(MAX_THREADS);
		cfg.set |= CFG_BIT(DSAIO_CFG_QUEUE_DEPTH) | CFG_BIT(DSAIO_CFG_THREADS);
		msg_init(&m, &self->c, DSAIO_CMD_JOB_START, 0);
		msg_put_cfg(&m, &cfg);
		EXPECT_REFUSED(&m, -ENOMEM, "buffer memory over max_mem_mb");
	} else {
		TH_LOG("device too small to exceed max_mem_mb; not tested");
	}
}

TEST_F(proto, unknown_attributes_and_commands)
{
	struct dsc_cfg cfg;
	struct dsmsg m;
	int r;

	NEED_DEV();
	valid_cfg(&cfg, self->dev);
	msg_init(&m, &self->c, DSAIO_CMD_JOB_START, 0);
	msg_put_cfg(&m, &cfg);
	msg_put_u32(&m, DSAIO_A_MAX + 1, 1);
	EXPECT_REFUSED(&m, -EINVAL, "unknown top-level attribute");

	valid_cfg(&cfg, self->dev);
	msg_init(&m, &self->c, DSAIO_CMD_JOB_START, 0);
	msg_put_cfg(&m, &cfg);
	m.nest[0] = NLMSG_LENGTH(GENL_HDRLEN);
	m.depth = 1;
	msg_put_u32(&m, DSAIO_CFG_MAX + 1, 1);
	msg_nest_end(&m);
	EXPECT_REFUSED(&m, -EINVAL, "unknown config attribute");

	msg_init(&m, &self->c, DSAIO_CMD_GET_INFO, 0);
	msg_put_u32(&m, DSAIO_A_MAX + 5, 1);
	EXPECT_REFUSED(&m, -EINVAL, "GET_INFO with unknown attribute");

	/* commands that are not requests */
	msg_init(&m, &self->c, DSAIO_CMD_MAX + 1, 0);
	r = dsc_transact(&self->c, &m, NULL, NULL);
	EXPECT_EQ(-EOPNOTSUPP, r);
	msg_init(&m, &self->c, DSAIO_CMD_UNSPEC, 0);
	r = dsc_transact(&self->c, &m, NULL, NULL);
	EXPECT_EQ(-EOPNOTSUPP, r);
	msg_init(&m, &self->c, DSAIO_CMD_EVENT_DONE, 0);
	r = dsc_transact(&self->c, &m, NULL, NULL);
	EXPECT_EQ(-EOPNOTSUPP, r);
	msg_init(&m, &self->c, DSAIO_CMD_EVENT_PROGRESS, 0);
	r = dsc_transact(&self->c, &m, NULL, NULL);
	EXPECT_EQ(-EOPNOTSUPP, r);
}

TEST_F(proto, bad_devices)
{
	struct dsc_cfg cfg;
	struct dsmsg m;
	uint32_t id;
	int r;

	valid_cfg(&cfg, "/dev/dsaio-no-such-device");
	r = dsc_start(&self->c, &cfg, &id);
	EXPECT_EQ(-ENOENT, r) TH_LOG("missing path: %d %s", r, self->c.extack);
	valid_cfg(&cfg, "/dev/null");
	r = dsc_start(&self->c, &cfg, &id);
	EXPECT_EQ(-ENOTBLK, r) TH_LOG("/dev/null: %d %s", r, self->c.extack);
	valid_cfg(&cfg, "/proc/version");
	r = dsc_start(&self->c, &cfg, &id);
	EXPECT_EQ(-ENOTBLK, r) TH_LOG("regular file: %d %s", r, self->c.extack);
	valid_cfg(&cfg, "");
	msg_init(&m, &self->c, DSAIO_CMD_JOB_START, 0);
	msg_put_cfg(&m, &cfg);
	r = dsc_transact(&self->c, &m, NULL, NULL);
	EXPECT_TRUE(r == -EINVAL || r == -ENOENT) TH_LOG("empty path: %d", r);
}

TEST_F(proto, write_needs_allow_write)
{
	struct dsc_cfg cfg;
	struct dsmsg m;

	NEED_DEV();
	dsc_cfg_init(&cfg, self->dev, DSAIO_OP_WRITE, 1 * MiB, 4096);
	cfg.set &= ~CFG_BIT(DSAIO_CFG_ALLOW_WRITE);
	msg_init(&m, &self->c, DSAIO_CMD_JOB_START, 0);
	msg_put_cfg(&m, &cfg);
	EXPECT_REFUSED(&m, -EPERM, "write without allow_write");
	cfg.allow_write = 0;
	cfg.set |= CFG_BIT(DSAIO_CFG_ALLOW_WRITE);
	msg_init(&m, &self->c, DSAIO_CMD_JOB_START, 0);
	msg_put_cfg(&m, &cfg);
	EXPECT_REFUSED(&m, -EPERM, "write with allow_write=0");
}

/* The test body runs in a forked child: drop to nobody there. */
TEST_F(proto, unprivileged)
{
	struct dsc_cfg cfg;
	struct dsc_job j;
	struct dsc u;
	uint32_t id;
	int r;

	NEED_DEV();
	ASSERT_EQ(0, setgroups(0, NULL));
	ASSERT_EQ(0, setgid(65534));
	ASSERT_EQ(0, setuid(65534));
	ASSERT_NE(0, geteuid());
	ASSERT_EQ(0, dsc_open(&u));	/* resolving a family is allowed */
	EXPECT_EQ(-EPERM, dsc_info(&u, &(struct dsc_info){}));
	valid_cfg(&cfg, self->dev);
	EXPECT_EQ(-EPERM, dsc_start(&u, &cfg, &id));
	EXPECT_EQ(-EPERM, dsc_get(&u, 1, &j));
	EXPECT_EQ(-EPERM, dsc_cancel(&u, 1));
	r = dsc_dump(&u, NULL, NULL, NULL, NULL);
	EXPECT_EQ(-EPERM, r);
	r = dsc_subscribe(&u);
	EXPECT_EQ(-EPERM, r) TH_LOG("joining \"events\" unprivileged: %d", r);
	dsc_close(&u);
}

struct dump_state {
	uint32_t first, last;
	int n, dup_or_order, bad, detail;
	uint32_t prev;
	unsigned char *seen;
};

static void dump_collect(const struct dsc_job *j, void *arg)
{
	struct dump_state *d = arg;

	if (j->id <= d->prev)
		d->dup_or_order++;
	d->prev = j->id;
	if (j->id < d->first || j->id > d->last)
		return;
	d->seen[j->id - d->first]++;
	d->n++;
	if (j->state != DSAIO_JOB_DONE || j->bytes != 4096 || j->requests != 1)
		d->bad++;
	if (j->res_present & ((1U << DSAIO_RES_HIST) | (1U << DSAIO_RES_WORKERS) |
			      (1U << DSAIO_RES_LOOPS)))
		d->detail++;
}

/* Many finished jobs: the dump returns every kept one, in order. */
TEST_F_TIMEOUT(proto, dump_many_jobs, 300)
{
	uint32_t kept = LIMIT(MAX_RESULTS), n, i, id, ids[2048];
	struct dump_state d = { 0 };
	struct dsc_cfg cfg;
	struct dsc_job j;
	int intr = 1, nmsgs = 0, tries;

	NEED_DEV();
	n = kept < 300 ? kept + 5 : 300;
	if (n > 2048)
		n = 2048;
	valid_cfg(&cfg, self->dev);
	cfg.io_size = 4096;
	for (i = 0; i < n; i++) {
		ASSERT_EQ(0, dsc_start(&self->c, &cfg, &ids[i]))
			TH_LOG("start %u: %s", i, self->c.extack);
		ASSERT_EQ(0, dsc_wait(&self->c, ids[i], 20000, &j));
		if (i)
			ASSERT_LT(ids[i - 1], ids[i]);
	}
	d.first = ids[0];
	d.last = ids[n - 1];
	d.seen = calloc(d.last - d.first + 1, 1);
	ASSERT_NE(NULL, d.seen);
	for (tries = 0; tries < 3 && intr; tries++) {
		memset(d.seen, 0, d.last - d.first + 1);
		d.n = d.bad = d.dup_or_order = d.detail = 0;
		d.prev = 0;
		ASSERT_EQ(0, dsc_dump(&self->c, dump_collect, &d, &intr, &nmsgs));
	}
	EXPECT_EQ(0, intr);
	EXPECT_EQ(0, d.dup_or_order);
	EXPECT_EQ(0, d.bad);
	EXPECT_EQ(0, d.detail);
	/* the newest min(n, kept) jobs are all there */
	for (i = 0; i < n; i++) {
		int expect = i >= n - (n < kept ? n : kept);

		if (d.seen[ids[i] - d.first] != expect) {
			EXPECT_EQ(expect, d.seen[ids[i] - d.first])
				TH_LOG("job %u (#%u of %u, %u kept)", ids[i], i, n, kept);
			break;
		}
	}
	if (n > kept) {
		/* the oldest were dropped */
		EXPECT_EQ(-ENOENT, dsc_get(&self->c, ids[0], &j));
		ASSERT_EQ(0, dsc_get(&self->c, ids[n - 1], &j));
	}
	TH_LOG("%u jobs started, %d in the dump (%d messages), %u kept", n, d.n,
	       nmsgs, kept);
	free(d.seen);
	id = 0;
	(void)id;
}

static int slow_cfg_ok(const struct dsc_job *j, const struct dsc_cfg *cfg)
{
	return j->cfg.io_size == cfg->io_size &&
	       j->cfg.block_size == cfg->block_size &&
	       !strcmp(j->dev, cfg->dev);
}

/*
 * A worker's buffer is min(queue_depth * block_size, slice): the largest
 * depth and block on a small region needs only the region's bytes.
 */
TEST_F_TIMEOUT(proto, buffer_capped_by_slice, 60)
{
	struct dsc_cfg cfg;
	struct dsc_job j;
	uint32_t bs;
	int r;

	NEED_DEV();
	bs = LIMIT(MAX_BLOCK_SIZE) / self->lbs * self->lbs;
	dsc_cfg_init(&cfg, self->dev, DSAIO_OP_READ, 1 * MiB, bs);
	cfg.queue_depth = LIMIT(MAX_QUEUE_DEPTH);
	cfg.set |= CFG_BIT(DSAIO_CFG_QUEUE_DEPTH);
	r = dsc_run(&self->c, &cfg, 30000, &j);
	ASSERT_EQ(0, r) TH_LOG("qd %u x bs %u on 1 MiB: %d %s", cfg.queue_depth,
			       bs, r, self->c.extack);
	ASSERT_EQ(DSAIO_JOB_DONE, j.state);
	EXPECT_EQ(1 * MiB, j.bytes);
	EXPECT_EQ((1 * MiB + bs - 1) / bs, j.requests);
}

static void dump_order(const struct dsc_job *j, void *arg)
{
	struct dump_state *d = arg;

	if (j->id <= d->prev || j->state > DSAIO_JOB_STATE_MAX || !j->id)
		d->dup_or_order++;
	d->prev = j->id;
	d->n++;
}

/* Dumps while another socket keeps adding jobs: ordered, no duplicates. */
TEST_F_TIMEOUT(proto, dump_while_jobs_change, 120)
{
	struct dump_state d;
	int i, intr, nintr = 0, status;
	pid_t pid;

	NEED_DEV();
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		struct dsc w;
		struct dsc_cfg cfg;
		struct dsc_job j;
		uint64_t end = now_ms() + 3000;

		if (dsc_open(&w))
			_exit(1);
		valid_cfg(&cfg, self->dev);
		cfg.io_size = 4096;
		while (now_ms() < end)
			if (dsc_run(&w, &cfg, 10000, &j))
				_exit(2);
		_exit(0);
	}
	for (i = 0; i < 60; i++) {
		memset(&d, 0, sizeof(d));
		ASSERT_EQ(0, dsc_dump(&self->c, dump_order, &d, &intr, NULL));
		EXPECT_EQ(0, d.dup_or_order) TH_LOG("dump %d out of order", i);
		EXPECT_LT(0, d.n);
		nintr += intr;
		usleep(20000);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	TH_LOG("60 dumps, %d flagged NLM_F_DUMP_INTR", nintr);
}

/* A subscriber sees progress events and one completion event. */
TEST_F_TIMEOUT(proto, events, 120)
{
	const char *slow = env_dev("DSAIO_SLOW");
	static char buf[DSC_BUF_SIZE];
	struct dsc ev;
	struct dsc_cfg cfg;
	struct dsc_job j;
	uint64_t last_done = 0, deadline;
	long progress_ms = 1000;
	int nprog = 0, ndone = 0, bad = 0, n;
	uint32_t id, reqs;

	if (!slow)
		SKIP(return, "DSAIO_SLOW not set");
	if (!(self->info.features & DSAIO_F_EVENTS))
		SKIP(return, "module has no events feature");
	read_param("progress_ms", &progress_ms);
	ASSERT_EQ(0, dsc_open(&ev));
	ASSERT_EQ(0, dsc_subscribe(&ev));
	/* about 1 ms per request on the slow device: 3 progress periods */
	reqs = (3 * progress_ms + 500);
	dsc_cfg_init(&cfg, slow, DSAIO_OP_READ, (uint64_t)reqs * 4096, 4096);
	ASSERT_EQ(0, dsc_start(&self->c, &cfg, &id));
	deadline = now_ms() + 90000;
	while (!ndone && now_ms() < deadline) {
		struct nlmsghdr *nlh;
		struct genlmsghdr *g;

		n = dsc_recv_event(&ev, buf, sizeof(buf), 1000);
		ASSERT_LE(0, n);
		if (!n)
			continue;
		for (nlh = (struct nlmsghdr *)buf; NLMSG_OK(nlh, n);
		     nlh = NLMSG_NEXT(nlh, n)) {
			if (nlh->nlmsg_type != self->c.family)
				continue;
			g = NLMSG_DATA(nlh);
			dsc_parse_job(nlh, &j);
			if (j.id != id)
				continue;
			if (g->cmd == DSAIO_CMD_EVENT_PROGRESS) {
				nprog++;
				if (j.bytes_done < last_done ||
				    j.bytes_done > j.bytes_total ||
				    j.bytes_total != cfg.io_size)
					bad++;
				last_done = j.bytes_done;
			} else if (g->cmd == DSAIO_CMD_EVENT_DONE) {
				ndone++;
				EXPECT_EQ(DSAIO_JOB_DONE, j.state);
				EXPECT_TRUE(j.present & (1U << DSAIO_A_JOB_RESULT));
				EXPECT_EQ(cfg.io_size, j.bytes);
				EXPECT_EQ(reqs, j.requests);
				/* the same attributes as a JOB_GET doit */
				EXPECT_LT(0, j.hist_buckets);
				EXPECT_EQ(1, j.nworkers);
				EXPECT_EQ(1, j.nloops);
				EXPECT_EQ(slow_cfg_ok(&j, &cfg), 1);
			} else {
				bad++;
			}
		}
	}
	EXPECT_EQ(1, ndone);
	EXPECT_EQ(0, bad);
	ASSERT_EQ(0, dsc_get(&self->c, id, &j));
	TH_LOG("%d progress events over %llu ms (progress_ms %ld)", nprog,
	       (unsigned long long)(j.e2e_ns / 1000000), progress_ms);
	if (j.e2e_ns / 1000000 > (uint64_t)(2 * progress_ms))
		EXPECT_LE(1, nprog);
	/* exactly one DONE: nothing more for this job */
	n = dsc_recv_event(&ev, buf, sizeof(buf), 2 * progress_ms);
	if (n > 0) {
		struct nlmsghdr *nlh = (struct nlmsghdr *)buf;

		dsc_parse_job(nlh, &j);
		EXPECT_NE(id, j.id) TH_LOG("event after DONE");
	}
	dsc_close(&ev);
}

/* Closing the socket that started a job cancels it. */
TEST_F_TIMEOUT(proto, socket_close_cancels, 60)
{
	const char *slow = env_dev("DSAIO_SLOW");
	struct dsc other;
	struct dsc_cfg cfg;
	struct dsc_job j;
	uint32_t id;

	if (!slow)
		SKIP(return, "DSAIO_SLOW not set");
	ASSERT_EQ(0, dsc_open(&other));
	dsc_cfg_init(&cfg, slow, DSAIO_OP_READ, 256 * MiB, 4096);
	ASSERT_EQ(0, dsc_start(&other, &cfg, &id));
	usleep(200 * 1000);
	dsc_close(&other);
	ASSERT_EQ(0, dsc_wait(&self->c, id, 20000, &j));
	EXPECT_EQ(DSAIO_JOB_CANCELLED, j.state);
	EXPECT_GT(256 * MiB, j.bytes);
	/* a socket cannot cancel its own closed jobs twice; others may */
	EXPECT_EQ(0, dsc_cancel(&self->c, id));
}

/* max_jobs running at once, then -EAGAIN. */
TEST_F_TIMEOUT(proto, max_jobs, 120)
{
	const char *slow = env_dev("DSAIO_SLOW");
	uint32_t max = LIMIT(MAX_JOBS), i, ids[64], id;
	struct dsc_cfg cfg;
	struct dsc_job j;
	int r;

	if (!slow)
		SKIP(return, "DSAIO_SLOW not set");
	if (max > 64)
		SKIP(return, "max_jobs %u too large to fill", max);
	dsc_cfg_init(&cfg, slow, DSAIO_OP_READ, 256 * MiB, 4096);
	for (i = 0; i < max; i++)
		ASSERT_EQ(0, dsc_start(&self->c, &cfg, &ids[i]))
			TH_LOG("job %u of %u: %s", i, max, self->c.extack);
	r = dsc_start(&self->c, &cfg, &id);
	EXPECT_EQ(-EAGAIN, r) TH_LOG("job %u over max_jobs: %d", max + 1, r);
	if (!r)
		dsc_cancel(&self->c, id);
	for (i = 0; i < max; i++)
		EXPECT_EQ(0, dsc_cancel(&self->c, ids[i]));
	for (i = 0; i < max; i++) {
		ASSERT_EQ(0, dsc_wait(&self->c, ids[i], 20000, &j));
		EXPECT_EQ(DSAIO_JOB_CANCELLED, j.state);
	}
}

TEST_HARNESS_MAIN
