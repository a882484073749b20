// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Limits: a job at the largest sizes the module accepts comes back whole.
 * A netlink nest has a 16-bit length, so per-worker and per-loop entries
 * past DSAIO_STATS_INLINE_MAX are not inline in JOB_GET but come from the
 * JOB_STATS dump. limits.sh loads dsaio.ko with max_threads and max_loops
 * at the top of their module-parameter ranges; every job here must give a
 * JOB_GET reply that parses and a dump with every entry once, in order,
 * whose figures add up to the job's (DeepSpeed's timing, dsaio.h).
 * Needs DSAIO_NULLB (fast) and DSAIO_SLOW (1 ms per request).
 */
#include "test_common.h"
#include "kselftest_harness.h"

/*
 * The top of the module-parameter ranges (params.c) limits.sh loads; a
 * slow kernel (the debug run) may load a lower max_loops, said in
 * LIMITS_TOP_LOOPS.
 */
#define TOP_THREADS	1024
#define TOP_LOOPS	100000

static uint32_t top_loops(void)
{
	const char *s = getenv("LIMITS_TOP_LOOPS");

	return s && *s ? (uint32_t)strtoul(s, NULL, 10) : TOP_LOOPS;
}

FIXTURE(lim) {
	struct dsc c;
	struct dsc_info info;
	const char *dev;
	uint32_t lbs;
};

FIXTURE_SETUP(lim)
{
	self->c.fd = -1;
	self->dev = env_dev("DSAIO_NULLB");
	if (!self->dev)
		SKIP(return, "DSAIO_NULLB not set");
	OPEN_OR_SKIP(&self->c);
	ASSERT_EQ(0, dsc_info(&self->c, &self->info));
	self->lbs = dsc_dev_lbs(self->dev);
	ASSERT_NE(0, self->lbs);
}

FIXTURE_TEARDOWN(lim)
{
	if (self->c.fd >= 0)
		dsc_close(&self->c);
}

#define LIMIT(x) (self->info.limit[DSAIO_LIMIT_##x])

/*
 * Runs @cfg (a read of whole blocks, io_size a multiple of threads * bs)
 * and checks the reply and the dump against each other and the config.
 */
static void check_whole(struct __test_metadata *_metadata, struct dsc *c,
			const struct dsc_cfg *cfg, int timeout_ms)
{
	uint64_t per_worker = cfg->io_size / cfg->threads, sum = 0, busy = 0;
	uint64_t per_loop_req = cfg->io_size / cfg->block_size;
	struct dsc_stats st;
	struct dsc_job j;
	uint32_t i;
	int r;

	r = dsc_run(c, cfg, timeout_ms, &j);
	ASSERT_EQ(0, r) TH_LOG("start/wait: %d %s", r, c->extack);
	ASSERT_EQ(DSAIO_JOB_DONE, j.state) TH_LOG("%s error %d",
						   dsc_state_name(j.state), j.error);
	EXPECT_EQ(cfg->io_size * cfg->loops, j.bytes);
	EXPECT_EQ(per_loop_req * cfg->loops, j.requests);
	EXPECT_EQ(j.requests, j.hist_total);
	EXPECT_FALSE(j.hist_bad);
	EXPECT_TRUE(j.res_present & (1U << DSAIO_RES_SETUP_NS));
	EXPECT_LT(0, j.setup_ns);
	EXPECT_LE(j.task_ns, j.e2e_ns);

	/* inline: all entries up to the cap, none above it */
	if (cfg->threads <= DSAIO_STATS_INLINE_MAX) {
		EXPECT_EQ((int)cfg->threads, j.nworkers);
	} else {
		EXPECT_FALSE(j.res_present & (1U << DSAIO_RES_WORKERS));
	}
	if (cfg->loops <= DSAIO_STATS_INLINE_MAX) {
		EXPECT_EQ((int)cfg->loops, j.nloops);
	} else {
		EXPECT_FALSE(j.res_present & (1U << DSAIO_RES_LOOPS));
	}

	/* the dump: every entry once, in order */
	r = dsc_stats_dump(c, j.id, &st);
	ASSERT_EQ(0, r) TH_LOG("JOB_STATS: %d %s", r, c->extack);
	EXPECT_EQ(0, st.bad);
	EXPECT_EQ(cfg->threads, st.nworkers);
	EXPECT_EQ(cfg->loops, st.nloops);
	if (st.nworkers == cfg->threads && st.nloops == cfg->loops) {
		for (i = 0; i < st.nworkers; i++) {
			const struct dsc_stat *w = &st.worker[i];

			EXPECT_EQ(cfg->offset + i * per_worker, w->offset);
			EXPECT_EQ(per_worker, w->length);
			EXPECT_EQ(per_worker * cfg->loops, w->bytes);
			if (w->time_ns > busy)
				busy = w->time_ns;
			/* inline entries are the same entries */
			if ((int)i < j.nworkers)
				EXPECT_EQ(j.worker[i].time_ns, w->time_ns);
		}
		EXPECT_EQ(busy, j.task_ns);
		for (i = 0; i < st.nloops; i++) {
			const struct dsc_stat *l = &st.loop[i];

			EXPECT_EQ(cfg->io_size, l->bytes);
			EXPECT_EQ(per_loop_req, l->requests);
			/* lock-step: loop i began after loop i-1 ended */
			if (i) {
				EXPECT_LE(st.loop[i - 1].start_ns +
					  st.loop[i - 1].time_ns, l->start_ns);
			} else {
				EXPECT_LE(j.setup_ns, l->start_ns);
			}
			sum += l->time_ns;
		}
		EXPECT_EQ(sum, j.e2e_ns);
	}
	TH_LOG("%u workers x %u loops: setup %llu us, task %llu us, e2e %llu us, %d dump messages",
	       cfg->threads, cfg->loops, (unsigned long long)j.setup_ns / 1000,
	       (unsigned long long)j.task_ns / 1000,
	       (unsigned long long)j.e2e_ns / 1000, st.nmsgs);
	dsc_stats_free(&st);
}

static void read_cfg(struct dsc_cfg *cfg, const char *dev, uint32_t threads,
		     uint32_t loops, uint32_t bs)
{
	dsc_cfg_init(cfg, dev, DSAIO_OP_READ, (uint64_t)threads * bs, bs);
	cfg->threads = threads;
	cfg->loops = loops;
	cfg->set |= CFG_BIT(DSAIO_CFG_THREADS) | CFG_BIT(DSAIO_CFG_LOOPS);
}

TEST_F_TIMEOUT(lim, most_workers, 300)
{
	struct dsc_cfg cfg;

	ASSERT_EQ(TOP_THREADS, LIMIT(MAX_THREADS));
	read_cfg(&cfg, self->dev, TOP_THREADS, 2, 4096);
	check_whole(_metadata, &self->c, &cfg, 280000);
}

TEST_F_TIMEOUT(lim, most_loops, 600)
{
	struct dsc_cfg cfg;

	ASSERT_EQ(top_loops(), LIMIT(MAX_LOOPS));
	ASSERT_LT(DSAIO_STATS_INLINE_MAX * 8, LIMIT(MAX_LOOPS));
	read_cfg(&cfg, self->dev, 2, LIMIT(MAX_LOOPS), 4096);
	check_whole(_metadata, &self->c, &cfg, 580000);
}

/* The default max_loops (1000) at its own limit, with workers. */
TEST_F_TIMEOUT(lim, default_max_loops, 300)
{
	struct dsc_cfg cfg;

	read_cfg(&cfg, self->dev, 8, 1000, 4096);
	check_whole(_metadata, &self->c, &cfg, 280000);
}

/* Both sides of the inline cap, for workers and for loops. */
TEST_F_TIMEOUT(lim, inline_boundary, 300)
{
	static const uint32_t n[] = { DSAIO_STATS_INLINE_MAX,
				      DSAIO_STATS_INLINE_MAX + 1 };
	struct dsc_cfg cfg;
	size_t a, b;

	for (a = 0; a < 2; a++) {
		for (b = 0; b < 2; b++) {
			read_cfg(&cfg, self->dev, n[a], n[b], self->lbs);
			check_whole(_metadata, &self->c, &cfg, 280000);
		}
	}
}

static int stats_raw(struct dsc *c, int with_id, uint32_t id)
{
	struct dsmsg m;

	msg_init(&m, c, DSAIO_CMD_JOB_STATS, NLM_F_DUMP);
	if (with_id)
		msg_put_u32(&m, DSAIO_A_JOB_ID, id);
	return dsc_transact(c, &m, NULL, NULL);
}

/* JOB_STATS refusals, each with a sentence. */
TEST_F_TIMEOUT(lim, stats_refusals, 120)
{
	const char *slow = env_dev("DSAIO_SLOW");
	struct dsc_cfg cfg;
	struct dsmsg m;
	uint32_t id;

	EXPECT_EQ(-EINVAL, stats_raw(&self->c, 0, 0));
	EXPECT_NE(0, strlen(self->c.extack));
	EXPECT_EQ(-ENOENT, stats_raw(&self->c, 1, 0x7ffffff0));
	EXPECT_NE(0, strlen(self->c.extack));
	/* a doit request of a dump-only command */
	msg_init(&m, &self->c, DSAIO_CMD_JOB_STATS, 0);
	msg_put_u32(&m, DSAIO_A_JOB_ID, 1);
	EXPECT_NE(0, dsc_transact(&self->c, &m, NULL, NULL));

	if (!slow)
		SKIP(return, "DSAIO_SLOW not set");
	/* 1 ms per request: 1000 requests run for a second at least */
	dsc_cfg_init(&cfg, slow, DSAIO_OP_READ, 1000 * 4096ULL, 4096);
	ASSERT_EQ(0, dsc_start(&self->c, &cfg, &id));
	EXPECT_EQ(-EBUSY, stats_raw(&self->c, 1, id));
	EXPECT_NE(NULL, strstr(self->c.extack, "running"));
	EXPECT_EQ(0, dsc_cancel(&self->c, id));
}

TEST_HARNESS_MAIN
