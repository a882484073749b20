// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Several targets in one job (DSAIO_CFG_TARGETS): exact bytes and requests
 * per target and in total, DeepSpeed's timing across targets (Task and E2E
 * of the job are the slowest target's), validation per target, slices of
 * one device as DeepSpeed's `threads`, every refusal with the entry it is
 * about, cancel and socket close mid-job, and files in directories.
 * Devices: DSAIO_MULTI, the blank drives that may be overwritten
 * (multi.sh: vm/run --raw-nvme), space-separated; DSAIO_FS_MOUNTS and
 * DSAIO_FS_EXT4_DEV as vm/run --fs-disk sets them.
 */
#include <fcntl.h>
#include <sys/utsname.h>
#include "test_common.h"
#include "kselftest_harness.h"

#define NDEV_MAX	8

/* What every test needs: the blank drives of $DSAIO_MULTI and a client. */
struct multi_env {
	struct dsc c;
	char list[1024];
	const char *dev[NDEV_MAX];
	int ndev;
	uint32_t lbs;
};

static void multi_env_setup(struct __test_metadata *_metadata,
			    struct multi_env *e)
{
	const char *env = getenv("DSAIO_MULTI");
	char *t, *save = NULL;

	e->c.fd = -1;
	if (!env || !*env)
		SKIP(return, "DSAIO_MULTI not set (vm/run --raw-nvme)");
	snprintf(e->list, sizeof(e->list), "%s", env);
	for (t = strtok_r(e->list, " ", &save); t && e->ndev < NDEV_MAX;
	     t = strtok_r(NULL, " ", &save))
		if (!access(t, W_OK))
			e->dev[e->ndev++] = t;
	if (e->ndev < 2)
		SKIP(return, "fewer than two drives in DSAIO_MULTI");
	OPEN_OR_SKIP(&e->c);
	e->lbs = dsc_dev_lbs(e->dev[0]);
	ASSERT_NE(0, e->lbs);
}

static void multi_env_teardown(struct multi_env *e)
{
	if (e->c.fd >= 0)
		dsc_close(&e->c);
}

/* The per-target tests, on two drives and again on four. */
FIXTURE(multi) {
	struct multi_env e;
};

FIXTURE_VARIANT(multi) {
	int n;
};

FIXTURE_VARIANT_ADD(multi, two) { .n = 2 };
FIXTURE_VARIANT_ADD(multi, four) { .n = 4 };

FIXTURE_SETUP(multi)
{
	multi_env_setup(_metadata, &self->e);
}

FIXTURE_TEARDOWN(multi)
{
	multi_env_teardown(&self->e);
}

/* The tests whose drive count is their own: run once. */
FIXTURE(multi_once) {
	struct multi_env e;
};

FIXTURE_SETUP(multi_once)
{
	multi_env_setup(_metadata, &self->e);
}

FIXTURE_TEARDOWN(multi_once)
{
	multi_env_teardown(&self->e);
}

/* A configuration of @n device entries, entry i at @offs[i] (or none). */
static void multi_cfg(struct dsc_cfg *cfg, const char *const *dev, int n,
		      const uint64_t *offs, uint8_t op, uint64_t io,
		      uint32_t bs)
{
	int i;

	dsc_cfg_init(cfg, NULL, op, io, bs);
	cfg->set &= ~CFG_BIT(DSAIO_CFG_DEV_PATH);
	cfg->ntargets = n;
	for (i = 0; i < n; i++) {
		cfg->tdev[i] = dev[i];
		if (offs) {
			cfg->toffset[i] = offs[i];
			cfg->toffset_set |= 1U << i;
		}
	}
}

static void set_u32(struct dsc_cfg *cfg, uint32_t *field, uint32_t v, int attr)
{
	*field = v;
	cfg->set |= CFG_BIT(attr);
}

/* Kernels from 6.2 format extack messages, naming the entry in them. */
static int kernel_names_entries(void)
{
	struct utsname u;
	int major = 0, minor = 0;

	if (uname(&u) || sscanf(u.release, "%d.%d", &major, &minor) != 2)
		return 0;
	return major > 6 || (major == 6 && minor >= 2);
}

/* Where entry @i of DSAIO_CFG_TARGETS is in @m, from the message's start. */
static int entry_offset(const struct dsmsg *m, int i)
{
	const char *base = m->buf;
	int off = NLMSG_HDRLEN + GENL_HDRLEN, end = m->nlh.nlmsg_len;
	int want[2] = { DSAIO_A_JOB_CONFIG, DSAIO_CFG_TARGETS }, depth = 0;

	while (off + (int)NLA_HDRLEN <= end) {
		const struct nlattr *a = (const struct nlattr *)(base + off);
		int type = a->nla_type & NLA_TYPE_MASK;

		if (depth == 2) {
			if (!i--)
				return off;
			off += NLA_ALIGN(a->nla_len);
		} else if (type == want[depth]) {
			end = off + a->nla_len;
			off += NLA_HDRLEN;
			depth++;
		} else {
			off += NLA_ALIGN(a->nla_len);
		}
	}
	return -1;
}

/*
 * Start @cfg, which the module must refuse with @err because of entry
 * @entry (-1: of no entry): a sentence holding @words, the bad attribute
 * at that entry and, where the kernel formats messages, its index named.
 */
static void refused(struct __test_metadata *_metadata, struct dsc *c,
		    const struct dsc_cfg *cfg, int err, int entry,
		    const char *words)
{
	struct dsmsg m;
	char name[32];
	uint32_t id;
	int r;

	dsc_start_msg(&m, c, cfg);
	ASSERT_EQ(0, dsc_send(c, &m));
	r = dsc_start_ack(c, &id);
	EXPECT_EQ(err, r) TH_LOG("got %d (%s)", r, c->extack);
	EXPECT_NE(NULL, strstr(c->extack, words))
		TH_LOG("extack \"%s\" lacks \"%s\"", c->extack, words);
	if (entry < 0)
		return;
	EXPECT_EQ(entry_offset(&m, entry), c->extack_off)
		TH_LOG("bad attribute at %d, entry %d is at %d", c->extack_off,
		       entry, entry_offset(&m, entry));
	if (kernel_names_entries()) {
		snprintf(name, sizeof(name), "target %d: ", entry);
		EXPECT_NE(NULL, strstr(c->extack, name))
			TH_LOG("extack \"%s\" does not name entry %d",
			       c->extack, entry);
	}
}

static const char *base(const char *path)
{
	const char *s = strrchr(path, '/');

	return s ? s + 1 : path;
}

/*
 * Runs @cfg to the end and checks what every target did: all DONE, each
 * its own io_size x loops bytes and requests, its offset, its workers;
 * the job's figures the sum (bytes, requests) or the slowest (Task).
 */
static void check_targets(struct __test_metadata *_metadata, struct dsc *c,
			  const struct dsc_cfg *cfg, struct dsc_job *j,
			  uint32_t lbs)
{
	uint64_t req = expected_requests(cfg->io_size, cfg->threads,
					 cfg->block_size, lbs) * cfg->loops;
	uint64_t task = 0, bytes = 0, requests = 0, mism = 0;
	int i, r, w;

	r = dsc_run(c, cfg, 120000, j);
	ASSERT_EQ(0, r) TH_LOG("start/wait: %d %s", r, c->extack);
	ASSERT_EQ(DSAIO_JOB_DONE, j->state)
		TH_LOG("%s error %d", dsc_state_name(j->state), j->error);
	ASSERT_EQ(cfg->ntargets, j->ntargets);
	for (i = 0; i < j->ntargets; i++) {
		const struct dsc_target *t = &j->tgt[i];

		EXPECT_EQ(i, t->index);
		EXPECT_EQ(DSAIO_JOB_DONE, t->state) TH_LOG("target %d", i);
		EXPECT_EQ(0, t->error);
		EXPECT_EQ(cfg->toffset_set & (1U << i) ? cfg->toffset[i] :
			  cfg->offset, t->offset);
		EXPECT_EQ(cfg->io_size * cfg->loops, t->bytes) TH_LOG("target %d", i);
		EXPECT_EQ(req, t->requests) TH_LOG("target %d", i);
		EXPECT_EQ(0, t->errors);
		EXPECT_EQ(cfg->io_size * (cfg->loops + cfg->warmup_loops),
			  t->bytes_done);
		EXPECT_LT(0, t->task_ns);
		EXPECT_LE(t->task_ns, t->e2e_ns);
		EXPECT_LE(t->e2e_ns, j->e2e_ns);
		if (cfg->tdev[i])
			EXPECT_STREQ(base(cfg->tdev[i]), t->bdev);
		task = t->task_ns > task ? t->task_ns : task;
		bytes += t->bytes;
		requests += t->requests;
		mism += t->mismatches;
	}
	EXPECT_EQ(task, j->task_ns);
	EXPECT_EQ(bytes, j->bytes);
	EXPECT_EQ(cfg->io_size * cfg->loops * cfg->ntargets, j->bytes);
	EXPECT_EQ(requests, j->requests);
	EXPECT_EQ(mism, j->mismatches);
	EXPECT_EQ(cfg->io_size * cfg->ntargets *
		  (cfg->loops + cfg->warmup_loops), j->bytes_total);
	/* Workers target by target, each on a slice of its target's region. */
	ASSERT_EQ(cfg->ntargets * (int)cfg->threads, j->nworkers);
	for (w = 0; w < j->nworkers; w++) {
		const struct dsc_stat *s = &j->worker[w];
		uint32_t t = w / cfg->threads;

		EXPECT_TRUE(s->present & (1U << DSAIO_STAT_TARGET));
		EXPECT_EQ(t, s->target);
		EXPECT_LE(j->tgt[t].offset, s->offset);
		EXPECT_GE(j->tgt[t].offset + cfg->io_size, s->offset + s->length);
	}
}

/*
 * Every drive written with the pattern and read back validated, each at
 * its own offset; then one drive's region is spoilt behind the module's
 * back and only that target counts mismatches, where they are.
 */
TEST_F_TIMEOUT(multi, exact_per_target, 240)
{
	uint64_t io = 4 * MiB, offs[NDEV_MAX];
	int n = variant->n, i, fd;
	struct dsc_cfg cfg;
	struct dsc_job j;
	void *zero;

	if (self->e.ndev < n)
		SKIP(return, "%d drives in DSAIO_MULTI, not %d", self->e.ndev, n);
	for (i = 0; i < n; i++)
		offs[i] = (uint64_t)i * MiB;
	multi_cfg(&cfg, self->e.dev, n, offs, DSAIO_OP_WRITE, io, 256 * KiB);
	set_u32(&cfg, &cfg.threads, 2, DSAIO_CFG_THREADS);
	set_u32(&cfg, &cfg.queue_depth, 4, DSAIO_CFG_QUEUE_DEPTH);
	set_u32(&cfg, &cfg.loops, 2, DSAIO_CFG_LOOPS);
	set_u32(&cfg, &cfg.warmup_loops, 1, DSAIO_CFG_WARMUP_LOOPS);
	cfg.validate = 1;
	cfg.seed = 77;
	cfg.set |= CFG_BIT(DSAIO_CFG_VALIDATE) | CFG_BIT(DSAIO_CFG_SEED);
	check_targets(_metadata, &self->e.c, &cfg, &j, self->e.lbs);

	cfg.op = DSAIO_OP_READ;
	check_targets(_metadata, &self->e.c, &cfg, &j, self->e.lbs);
	for (i = 0; i < n; i++)
		EXPECT_EQ(0, j.tgt[i].mismatches) TH_LOG("target %d", i);

	/* 8 KiB of zeros into the last drive's region, 64 KiB in. */
	ASSERT_EQ(0, posix_memalign(&zero, 4096, 8 * KiB));
	memset(zero, 0, 8 * KiB);
	fd = open(self->e.dev[n - 1], O_WRONLY | O_DIRECT);
	ASSERT_LE(0, fd);
	ASSERT_EQ(8 * KiB, pwrite(fd, zero, 8 * KiB, offs[n - 1] + 64 * KiB));
	close(fd);
	free(zero);
	check_targets(_metadata, &self->e.c, &cfg, &j, self->e.lbs);
	for (i = 0; i < n - 1; i++)
		EXPECT_EQ(0, j.tgt[i].mismatches) TH_LOG("target %d", i);
	/* Every loop, the warm-up too (dsaio.h), counts each block once. */
	EXPECT_EQ(8 * KiB / self->e.lbs * (cfg.loops + cfg.warmup_loops),
		  j.tgt[n - 1].mismatches);
	EXPECT_EQ(offs[n - 1] + 64 * KiB, j.tgt[n - 1].first_mismatch);
	EXPECT_EQ(j.tgt[n - 1].mismatches, j.mismatches);
}

/*
 * DeepSpeed's `threads`: handles on slices of one device. Entries on one
 * device are accepted apart and refused when they share a byte.
 */
TEST_F_TIMEOUT(multi_once, slices_of_one_device, 120)
{
	const char *same[3] = { self->e.dev[0], self->e.dev[0], self->e.dev[0] };
	uint64_t io = 2 * MiB, offs[3] = { 0, 2 * MiB, 4 * MiB };
	struct dsc_cfg cfg;
	struct dsc_job j;

	multi_cfg(&cfg, same, 3, offs, DSAIO_OP_WRITE, io, 128 * KiB);
	set_u32(&cfg, &cfg.threads, 2, DSAIO_CFG_THREADS);
	cfg.validate = 1;
	cfg.seed = 5;
	cfg.set |= CFG_BIT(DSAIO_CFG_VALIDATE) | CFG_BIT(DSAIO_CFG_SEED);
	check_targets(_metadata, &self->e.c, &cfg, &j, self->e.lbs);
	cfg.op = DSAIO_OP_READ;
	check_targets(_metadata, &self->e.c, &cfg, &j, self->e.lbs);
	EXPECT_EQ(0, j.mismatches);

	/* Entry 2 starts inside entry 0's region. */
	cfg.toffset[2] = io - self->e.lbs;
	refused(_metadata, &self->e.c, &cfg, -EINVAL, 2, "overlaps");
	cfg.op = DSAIO_OP_WRITE;
	refused(_metadata, &self->e.c, &cfg, -EINVAL, 2, "overlaps");
}

/* Each refusal comes with its sentence and, when an entry's, the entry. */
TEST_F(multi_once, refusals)
{
	const char *many[DSAIO_TARGETS_MAX + 1];
	const char *two[2] = { self->e.dev[0], self->e.dev[1] };
	const char *missing[2] = { self->e.dev[0], "/dev/dsaio-no-such-disk" };
	const char *mounted = getenv("DSAIO_FS_EXT4_DEV");
	struct dsc_info info;
	struct dsc_cfg cfg;
	struct dsc_job j;
	int i;

	ASSERT_EQ(0, dsc_info(&self->e.c, &info));
	EXPECT_TRUE(info.features & DSAIO_F_TARGETS);
	EXPECT_EQ(DSAIO_TARGETS_MAX, info.limit[DSAIO_LIMIT_MAX_TARGETS]);

	for (i = 0; i <= DSAIO_TARGETS_MAX; i++)
		many[i] = self->e.dev[i % 2];
	multi_cfg(&cfg, many, DSAIO_TARGETS_MAX + 1, NULL, DSAIO_OP_READ,
		  MiB, 64 * KiB);
	refused(_metadata, &self->e.c, &cfg, -EINVAL, -1, "DSAIO_TARGETS_MAX");

	multi_cfg(&cfg, two, 2, NULL, DSAIO_OP_READ, MiB, 64 * KiB);
	cfg.ntargets = 0;
	refused(_metadata, &self->e.c, &cfg, -EINVAL, -1,
		"DSAIO_CFG_DEV_PATH (a device), DSAIO_CFG_DIR (a directory) or DSAIO_CFG_TARGETS");
	cfg.ntargets = -1;
	refused(_metadata, &self->e.c, &cfg, -EINVAL, -1, "no entry");

	multi_cfg(&cfg, two, 2, NULL, DSAIO_OP_READ, MiB, 64 * KiB);
	cfg.dev = self->e.dev[0];
	cfg.set |= CFG_BIT(DSAIO_CFG_DEV_PATH);
	refused(_metadata, &self->e.c, &cfg, -EINVAL, -1, "excludes");

	multi_cfg(&cfg, two, 2, NULL, DSAIO_OP_READ, MiB, 64 * KiB);
	cfg.tdir[1] = "/tmp";
	refused(_metadata, &self->e.c, &cfg, -EINVAL, -1, "not both");
	cfg.tdev[1] = NULL;
	refused(_metadata, &self->e.c, &cfg, -EINVAL, -1, "all entries");

	multi_cfg(&cfg, two, 2, NULL, DSAIO_OP_READ, MiB, 4 * KiB);
	set_u32(&cfg, &cfg.threads, info.limit[DSAIO_LIMIT_MAX_THREADS] / 2 + 1,
		DSAIO_CFG_THREADS);
	refused(_metadata, &self->e.c, &cfg, -EINVAL, -1, "max_threads");

	/* Each drive's buffers fit in max_mem_mb, both together do not. */
	multi_cfg(&cfg, two, 2, NULL, DSAIO_OP_READ,
		  (uint64_t)info.limit[DSAIO_LIMIT_MAX_MEM_MB] * MiB * 3 / 4,
		  info.limit[DSAIO_LIMIT_MAX_BLOCK_SIZE]);
	set_u32(&cfg, &cfg.queue_depth, 64, DSAIO_CFG_QUEUE_DEPTH);
	if (cfg.io_size <= dsc_dev_size(self->e.dev[0]) &&
	    cfg.io_size <= dsc_dev_size(self->e.dev[1]))
		refused(_metadata, &self->e.c, &cfg, -ENOMEM, -1, "max_mem_mb");

	multi_cfg(&cfg, two, 2, NULL, DSAIO_OP_WRITE, MiB, 64 * KiB);
	cfg.allow_write = 0;
	refused(_metadata, &self->e.c, &cfg, -EPERM, -1, "DSAIO_CFG_ALLOW_WRITE");

	/* Entry 1 beyond its device's end; entry 1 missing. */
	multi_cfg(&cfg, two, 2, NULL, DSAIO_OP_READ, MiB, 64 * KiB);
	cfg.toffset[1] = dsc_dev_size(self->e.dev[1]);
	cfg.toffset_set = 2;
	refused(_metadata, &self->e.c, &cfg, -EINVAL, 1, "past the end");
	multi_cfg(&cfg, missing, 2, NULL, DSAIO_OP_WRITE, MiB, 64 * KiB);
	refused(_metadata, &self->e.c, &cfg, -ENOENT, 1, "no such device");

	/* A mounted drive refuses the write; the others were let go. */
	if (mounted && *mounted) {
		const char *m2[2] = { self->e.dev[0], mounted };

		multi_cfg(&cfg, m2, 2, NULL, DSAIO_OP_WRITE, MiB, 64 * KiB);
		refused(_metadata, &self->e.c, &cfg, -EBUSY, 1, "busy");
		multi_cfg(&cfg, m2, 2, NULL, DSAIO_OP_READ, MiB, 64 * KiB);
		EXPECT_EQ(0, dsc_run(&self->e.c, &cfg, 60000, &j));
		EXPECT_EQ(DSAIO_JOB_DONE, j.state) TH_LOG("a read may share it");
	}
	multi_cfg(&cfg, two, 1, NULL, DSAIO_OP_WRITE, MiB, 64 * KiB);
	ASSERT_EQ(0, dsc_run(&self->e.c, &cfg, 60000, &j)) TH_LOG("%s", self->e.c.extack);
	EXPECT_EQ(DSAIO_JOB_DONE, j.state) TH_LOG("drive 0 still claimed");
}

/* Cancel, then a closed socket, in the middle: every target ends so. */
TEST_F_TIMEOUT(multi, cancel_and_close_mid_job, 120)
{
	struct dsc other;
	struct dsc_cfg cfg;
	struct dsc_job j;
	uint32_t id;
	int round, i, n = self->e.ndev < variant->n ? self->e.ndev : variant->n;

	for (round = 0; round < 2; round++) {
		struct dsc *starter = round ? &other : &self->e.c;
		uint64_t end = now_ms() + 30000;

		ASSERT_EQ(0, dsc_open(&other));
		multi_cfg(&cfg, self->e.dev, n, NULL, DSAIO_OP_READ, 16 * MiB,
			  4 * KiB);
		set_u32(&cfg, &cfg.loops, 100, DSAIO_CFG_LOOPS);
		ASSERT_EQ(0, dsc_start(starter, &cfg, &id))
			TH_LOG("%s", starter->extack);
		do {
			ASSERT_EQ(0, dsc_get(&self->e.c, id, &j));
			usleep(20000);
		} while (j.bytes_done < 2 * MiB && now_ms() < end);
		ASSERT_EQ(n, j.ntargets);
		for (i = 0; i < n; i++)
			EXPECT_EQ(DSAIO_JOB_RUNNING, j.tgt[i].state);
		if (round)
			dsc_close(&other);
		else
			ASSERT_EQ(0, dsc_cancel(&self->e.c, id));
		ASSERT_EQ(0, dsc_wait(&self->e.c, id, 60000, &j));
		EXPECT_EQ(DSAIO_JOB_CANCELLED, j.state);
		for (i = 0; i < n; i++) {
			EXPECT_EQ(DSAIO_JOB_CANCELLED, j.tgt[i].state);
			EXPECT_EQ(0, j.tgt[i].error);
			EXPECT_GT(16 * MiB * 100, j.tgt[i].bytes);
		}
		if (!round)
			dsc_close(&other);
	}
}

/*
 * Files: entries on each mounted filesystem and two on the first (one
 * directory, a file each); written and read validated, the files named
 * after their entries and gone at the end.
 */
TEST_F_TIMEOUT(multi_once, files_in_directories, 180)
{
	const char *env = getenv("DSAIO_FS_MOUNTS");
	char list[512], name[64], *t, *save = NULL;
	const char *dirs[NDEV_MAX];
	struct dsc_cfg cfg;
	struct dsc_job j;
	int n = 0, i;

	if (!env || !*env)
		SKIP(return, "no filesystem mounted (vm/run --fs-disk)");
	snprintf(list, sizeof(list), "%s", env);
	for (t = strtok_r(list, " ", &save); t && n < NDEV_MAX - 1;
	     t = strtok_r(NULL, " ", &save))
		dirs[n++] = t;
	dirs[n] = dirs[0];
	n++;
	dsc_cfg_init(&cfg, NULL, DSAIO_OP_WRITE, 4 * MiB, 256 * KiB);
	cfg.set &= ~(CFG_BIT(DSAIO_CFG_DEV_PATH) | CFG_BIT(DSAIO_CFG_ALLOW_WRITE));
	cfg.ntargets = n;
	for (i = 0; i < n; i++)
		cfg.tdir[i] = dirs[i];
	set_u32(&cfg, &cfg.threads, 2, DSAIO_CFG_THREADS);
	cfg.validate = 1;
	cfg.overwrite = 1;
	cfg.set |= CFG_BIT(DSAIO_CFG_VALIDATE) | CFG_BIT(DSAIO_CFG_OVERWRITE);
	for (i = 0; i < 2; i++) {
		int k;

		cfg.op = i ? DSAIO_OP_READ : DSAIO_OP_WRITE;
		check_targets(_metadata, &self->e.c, &cfg, &j, 4096);
		EXPECT_EQ(0, j.mismatches);
		for (k = 0; k < n; k++) {
			char path[600];

			snprintf(name, sizeof(name), "dsaio-%u.%d.dat", j.id, k);
			EXPECT_STREQ(name, j.tgt[k].file);
			EXPECT_EQ(DSAIO_TARGET_FILE, j.tgt[k].kind);
			snprintf(path, sizeof(path), "%s/%s", dirs[k], name);
			EXPECT_NE(0, access(path, F_OK)) TH_LOG("%s left", path);
		}
	}
}

TEST_HARNESS_MAIN
