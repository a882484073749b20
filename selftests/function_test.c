// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Function: reads and writes on the emulated NVMe (DSAIO_NVME) and on
 * null_blk (DSAIO_NULLB) over the parameter grid; counts must be exact.
 */
#include "test_common.h"
#include "kselftest_harness.h"

/* Region used for writes on the scratch NVMe: [1 GiB, 1 GiB + 256 MiB). */
#define NVME_OFFSET	(1024 * MiB)

FIXTURE(func) {
	struct dsc c;
	const char *dev;
	uint32_t lbs;
};

FIXTURE_VARIANT(func) {
	const char *env;
	uint8_t op, ss, ov;
	uint32_t qd, threads, bs, loops;
	uint64_t io_size;
};

#define V(name, env_, op_, ss_, ov_, qd_, th_, bs_, io_, loops_)	\
	FIXTURE_VARIANT_ADD(func, name) {				\
		.env = env_, .op = op_, .ss = ss_, .ov = ov_, .qd = qd_, \
		.threads = th_, .bs = bs_, .io_size = io_, .loops = loops_, \
	}

#define R DSAIO_OP_READ
#define W DSAIO_OP_WRITE

/* every single_submit x overlap, both ops, qd 32, 4 threads, 128K */
#define GRID(dev, env)							\
V(dev##_read_ss0_ov0, env, R, 0, 0, 32, 4, 128 * KiB, 16 * MiB, 1);	\
V(dev##_read_ss0_ov1, env, R, 0, 1, 32, 4, 128 * KiB, 16 * MiB, 1);	\
V(dev##_read_ss1_ov0, env, R, 1, 0, 32, 4, 128 * KiB, 16 * MiB, 1);	\
V(dev##_read_ss1_ov1, env, R, 1, 1, 32, 4, 128 * KiB, 16 * MiB, 1);	\
V(dev##_write_ss0_ov0, env, W, 0, 0, 32, 4, 128 * KiB, 16 * MiB, 1);	\
V(dev##_write_ss0_ov1, env, W, 0, 1, 32, 4, 128 * KiB, 16 * MiB, 1);	\
V(dev##_write_ss1_ov0, env, W, 1, 0, 32, 4, 128 * KiB, 16 * MiB, 1);	\
V(dev##_write_ss1_ov1, env, W, 1, 1, 32, 4, 128 * KiB, 16 * MiB, 1);	\
V(dev##_read_qd1_t1, env, R, 0, 1, 1, 1, 128 * KiB, 8 * MiB, 1);	\
V(dev##_write_qd1_t1, env, W, 1, 0, 1, 1, 128 * KiB, 8 * MiB, 1);	\
V(dev##_read_4k_qd32, env, R, 0, 1, 32, 1, 4 * KiB, 8 * MiB, 1);	\
V(dev##_write_4k_qd32_t4, env, W, 0, 1, 32, 4, 4 * KiB, 8 * MiB, 1);	\
V(dev##_read_1m_t4, env, R, 0, 1, 8, 4, 1 * MiB, 32 * MiB, 1);	\
V(dev##_write_1m_t4, env, W, 1, 1, 8, 4, 1 * MiB, 32 * MiB, 1);	\
V(dev##_read_8m, env, R, 0, 1, 4, 2, 8 * MiB, 64 * MiB, 1);		\
V(dev##_write_8m, env, W, 0, 0, 4, 2, 8 * MiB, 64 * MiB, 1);		\
V(dev##_read_loops3_uneven, env, R, 0, 1, 4, 3, 1 * MiB, 24 * MiB + 12 * KiB, 3); \
V(dev##_write_loops2_uneven, env, W, 1, 0, 2, 3, 1 * MiB, 8 * MiB + 4 * KiB, 2)

GRID(nvme, "DSAIO_NVME");
GRID(nullb, "DSAIO_NULLB");

FIXTURE_SETUP(func)
{
	self->c.fd = -1;
	self->dev = env_dev(variant->env);
	if (!self->dev)
		SKIP(return, "%s not set", variant->env);
	OPEN_OR_SKIP(&self->c);
	self->lbs = dsc_dev_lbs(self->dev);
	ASSERT_NE(0, self->lbs);
}

FIXTURE_TEARDOWN(func)
{
	if (self->c.fd >= 0)
		dsc_close(&self->c);
}

TEST_F_TIMEOUT(func, run, 240)
{
	uint64_t offset = 0, total, per_loop, slice, left, sum_bytes = 0, sum_req = 0;
	uint64_t max_busy = 0, sum_wall = 0, buf = 0;
	struct dsc_cfg cfg;
	struct dsc_job j;
	uint32_t i;
	int r;

	if (!self->dev)
		return;
	if (!strcmp(variant->env, "DSAIO_NVME"))
		offset = NVME_OFFSET;
	dsc_cfg_init(&cfg, self->dev, variant->op, variant->io_size, variant->bs);
	cfg.offset = offset;
	cfg.queue_depth = variant->qd;
	cfg.threads = variant->threads;
	cfg.single_submit = variant->ss;
	cfg.overlap = variant->ov;
	cfg.loops = variant->loops;
	cfg.set |= CFG_BIT(DSAIO_CFG_OFFSET) | CFG_BIT(DSAIO_CFG_QUEUE_DEPTH) |
		   CFG_BIT(DSAIO_CFG_THREADS) | CFG_BIT(DSAIO_CFG_SINGLE_SUBMIT) |
		   CFG_BIT(DSAIO_CFG_OVERLAP_EVENTS) | CFG_BIT(DSAIO_CFG_LOOPS);
	r = dsc_run(&self->c, &cfg, 200000, &j);
	ASSERT_EQ(0, r) TH_LOG("start: %d %s", r, self->c.extack);
	ASSERT_EQ(DSAIO_JOB_DONE, j.state) TH_LOG("state %s error %d",
						  dsc_state_name(j.state), j.error);
	EXPECT_EQ(0, j.error);

	/* configuration echoed */
	EXPECT_EQ(variant->io_size, j.cfg.io_size);
	EXPECT_EQ(variant->bs, j.cfg.block_size);
	EXPECT_EQ(offset, j.cfg.offset);
	EXPECT_EQ(variant->qd, j.cfg.queue_depth);
	EXPECT_EQ(variant->threads, j.cfg.threads);
	EXPECT_EQ(variant->ss, j.cfg.single_submit);
	EXPECT_EQ(variant->ov, j.cfg.overlap);
	EXPECT_EQ(variant->loops, j.cfg.loops);
	EXPECT_EQ(variant->op, j.cfg.op);

	/* exact counts */
	total = variant->io_size * variant->loops;
	per_loop = expected_requests(variant->io_size, variant->threads,
				     variant->bs, self->lbs);
	EXPECT_EQ(total, j.bytes);
	EXPECT_EQ(per_loop * variant->loops, j.requests);
	EXPECT_EQ(0, j.errors);
	EXPECT_EQ(0, j.nerrnos);
	EXPECT_LE(j.requests, j.bios);
	EXPECT_EQ(0, j.mismatches);
	EXPECT_EQ(total, j.bytes_done);
	EXPECT_EQ(total, j.bytes_total);
	EXPECT_EQ(variant->loops, j.loop);

	/* times, as DeepSpeed's (dsaio.h): set-up apart, Task <= E2E */
	EXPECT_LT(0, j.task_ns);
	EXPECT_LE(j.task_ns, j.e2e_ns);
	EXPECT_LT(0, j.setup_ns);
	EXPECT_TRUE(j.res_present & (1U << DSAIO_RES_SETUP_NS));
	EXPECT_LT(0, j.lat_min);
	EXPECT_LE(j.lat_min, j.lat_max);
	EXPECT_LE(j.lat_min * j.requests, j.lat_sum);
	EXPECT_GE(j.lat_max * j.requests, j.lat_sum);
	EXPECT_LE(j.lat_max, j.e2e_ns);
	EXPECT_EQ(j.requests, j.hist_total);
	EXPECT_FALSE(j.hist_bad);
	/* the histogram's ends are the min and max latencies' buckets */
	EXPECT_EQ(dsaio_hist_index(j.lat_min), j.hist_first);
	EXPECT_EQ(dsaio_hist_index(j.lat_max), j.hist_last);

	/* workers: the spec's slices; Task is the busiest one's time */
	ASSERT_EQ(variant->threads, j.nworkers);
	slice = variant->io_size / variant->threads / self->lbs * self->lbs;
	left = variant->io_size;
	for (i = 0; i < j.nworkers; i++) {
		struct dsc_stat *w = &j.worker[i];
		uint64_t len = i == variant->threads - 1 ? left : slice;

		EXPECT_EQ(i, w->index);
		EXPECT_EQ(offset + i * slice, w->offset);
		EXPECT_EQ(len, w->length);
		EXPECT_EQ(len * variant->loops, w->bytes);
		EXPECT_EQ((len + variant->bs - 1) / variant->bs * variant->loops,
			  w->requests);
		EXPECT_EQ(0, w->errors);
		EXPECT_LE(w->time_ns, j.task_ns);
		EXPECT_LE(w->lat_min, w->lat_max);
		max_busy = w->time_ns > max_busy ? w->time_ns : max_busy;
		buf += worker_buf_bytes(variant->qd, variant->bs, len);
		left -= len;
		sum_bytes += w->bytes;
		sum_req += w->requests;
	}
	EXPECT_EQ(j.bytes, sum_bytes);
	EXPECT_EQ(j.requests, sum_req);
	EXPECT_EQ(max_busy, j.task_ns);
	/* the buffers the module allocated, as its own count says */
	EXPECT_TRUE(j.res_present & (1U << DSAIO_RES_BUF_BYTES));
	EXPECT_EQ(buf, j.buf_bytes);

	/*
	 * loops: E2E is the sum of their wall times, and they ran in
	 * lock-step: each began after the one before had ended, and the
	 * first after set-up.
	 */
	ASSERT_EQ(variant->loops, j.nloops);
	for (i = 0; i < j.nloops; i++) {
		EXPECT_EQ(i, j.loops[i].index);
		EXPECT_EQ(variant->io_size, j.loops[i].bytes);
		EXPECT_EQ(per_loop, j.loops[i].requests);
		EXPECT_LE(j.loops[i].time_ns, j.e2e_ns);
		if (i) {
			EXPECT_LE(j.loops[i - 1].start_ns + j.loops[i - 1].time_ns,
				  j.loops[i].start_ns);
		} else {
			EXPECT_LE(j.setup_ns, j.loops[i].start_ns);
		}
		sum_wall += j.loops[i].time_ns;
	}
	EXPECT_EQ(sum_wall, j.e2e_ns);
	/* both clocks start at the release: one loop's wall is its busiest */
	if (variant->loops == 1)
		EXPECT_EQ(j.task_ns, j.e2e_ns);
	TH_LOG("%s: %llu bytes, %llu requests, %llu bios, task %llu us, e2e %llu us",
	       self->dev, (unsigned long long)j.bytes,
	       (unsigned long long)j.requests, (unsigned long long)j.bios,
	       (unsigned long long)j.task_ns / 1000,
	       (unsigned long long)j.e2e_ns / 1000);
}

/*
 * DSAIO_RES_BUF_BYTES on null_blk: the buffer memory the job held at once
 * is what its workers allocated, queue_depth x block_size each (at most
 * the slice), over all workers and targets; DeepSpeed's handle would
 * hold io_size.
 */
FIXTURE(mem) {
	struct dsc c;
	const char *dev;
};

FIXTURE_SETUP(mem)
{
	self->c.fd = -1;
	self->dev = env_dev("DSAIO_NULLB");
	if (!self->dev)
		SKIP(return, "DSAIO_NULLB not set");
	OPEN_OR_SKIP(&self->c);
}

FIXTURE_TEARDOWN(mem)
{
	if (self->c.fd >= 0)
		dsc_close(&self->c);
}

struct mem_shape {
	uint32_t qd, threads, bs;
	uint64_t io_size;
	uint64_t held;		/* what the module must say it held */
};

/* One job of @s on @cfg's targets (one device unless set), its buffer peak. */
static uint64_t mem_run(struct __test_metadata *_metadata, struct dsc *c,
			struct dsc_cfg *cfg, const struct mem_shape *s)
{
	struct dsc_job j;

	cfg->queue_depth = s->qd;
	cfg->threads = s->threads;
	cfg->histogram = 0;
	cfg->set |= CFG_BIT(DSAIO_CFG_QUEUE_DEPTH) | CFG_BIT(DSAIO_CFG_THREADS) |
		    CFG_BIT(DSAIO_CFG_HISTOGRAM);
	EXPECT_EQ(0, dsc_run(c, cfg, 60000, &j)) TH_LOG("%s", c->extack);
	EXPECT_EQ(DSAIO_JOB_DONE, j.state);
	EXPECT_TRUE(j.res_present & (1U << DSAIO_RES_BUF_BYTES));
	return j.buf_bytes;
}

TEST_F_TIMEOUT(mem, shapes, 120)
{
	/* each holds a different amount; the last two are capped by the slice
	 * and rounded up to the power of two pages the module allocates */
	static const struct mem_shape shapes[] = {
		{ 32, 4, 128 * KiB, 32 * MiB, 32 * 128 * KiB * 4 },
		{ 8, 1, 1 * MiB, 16 * MiB, 8 * MiB },
		{ 1, 1, 4 * KiB, 1 * MiB, 4 * KiB },
		{ 64, 2, 64 * KiB, 2 * MiB, 2 * MiB },
		{ 3, 2, 128 * KiB, 8 * MiB, 2 * 512 * KiB },
	};
	uint64_t got[sizeof(shapes) / sizeof(shapes[0])];
	struct dsc_cfg cfg;
	size_t i, k;

	if (!self->dev)
		return;
	for (i = 0; i < sizeof(shapes) / sizeof(shapes[0]); i++) {
		const struct mem_shape *s = &shapes[i];

		dsc_cfg_init(&cfg, self->dev, DSAIO_OP_READ, s->io_size, s->bs);
		got[i] = mem_run(_metadata, &self->c, &cfg, s);
		EXPECT_EQ(s->held, got[i])
			TH_LOG("qd %u x bs %u x threads %u", s->qd, s->bs, s->threads);
		EXPECT_EQ(s->threads * worker_buf_bytes(s->qd, s->bs, s->io_size / s->threads),
			  got[i]);
		for (k = 0; k < i; k++)
			EXPECT_NE(got[k], got[i]) TH_LOG("shapes %zu and %zu", k, i);
	}
}

/* Validation fills and checks the same buffer: no more memory. */
TEST_F_TIMEOUT(mem, validate_same, 60)
{
	static const struct mem_shape s = { 16, 2, 256 * KiB, 16 * MiB, 8 * MiB };
	struct dsc_cfg cfg;
	int v;

	if (!self->dev)
		return;
	for (v = 0; v < 2; v++) {
		dsc_cfg_init(&cfg, self->dev, DSAIO_OP_WRITE, s.io_size, s.bs);
		cfg.validate = v;
		cfg.set |= CFG_BIT(DSAIO_CFG_VALIDATE);
		EXPECT_EQ(s.held, mem_run(_metadata, &self->c, &cfg, &s))
			TH_LOG("validate %d", v);
	}
}

/* Two entries on regions apart: every worker of every target counts. */
TEST_F_TIMEOUT(mem, several_targets, 60)
{
	static const struct mem_shape s = { 4, 2, 256 * KiB, 8 * MiB, 2 * 2 * MiB };
	struct dsc_cfg cfg;

	if (!self->dev)
		return;
	dsc_cfg_init(&cfg, NULL, DSAIO_OP_READ, s.io_size, s.bs);
	cfg.set &= ~CFG_BIT(DSAIO_CFG_DEV_PATH);
	cfg.ntargets = 2;
	cfg.tdev[0] = cfg.tdev[1] = self->dev;
	cfg.toffset[1] = 64 * MiB;
	cfg.toffset_set = 3;
	EXPECT_EQ(s.held, mem_run(_metadata, &self->c, &cfg, &s));
}

/* One exact 1 GiB read of the NVMe. */
FIXTURE(big) {
	struct dsc c;
	const char *dev;
};

FIXTURE_SETUP(big)
{
	self->c.fd = -1;
	self->dev = env_dev("DSAIO_NVME");
	if (!self->dev)
		SKIP(return, "DSAIO_NVME not set");
	OPEN_OR_SKIP(&self->c);
}

FIXTURE_TEARDOWN(big)
{
	if (self->c.fd >= 0)
		dsc_close(&self->c);
}

TEST_F_TIMEOUT(big, nvme_read_1g, 300)
{
	struct dsc_cfg cfg;
	struct dsc_job j;
	int r;

	if (!self->dev)
		return;
	dsc_cfg_init(&cfg, self->dev, DSAIO_OP_READ, 1024 * MiB, 1 * MiB);
	cfg.queue_depth = 8;
	cfg.threads = 2;
	cfg.set |= CFG_BIT(DSAIO_CFG_QUEUE_DEPTH) | CFG_BIT(DSAIO_CFG_THREADS);
	r = dsc_run(&self->c, &cfg, 280000, &j);
	ASSERT_EQ(0, r) TH_LOG("%d %s", r, self->c.extack);
	ASSERT_EQ(DSAIO_JOB_DONE, j.state);
	EXPECT_EQ(1024 * MiB, j.bytes);
	EXPECT_EQ(1024, j.requests);
	EXPECT_EQ(0, j.errors);
	EXPECT_LE(j.task_ns, j.e2e_ns);
	TH_LOG("1 GiB in %llu ms", (unsigned long long)j.task_ns / 1000000);
}

TEST_HARNESS_MAIN
