// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The user-space engines (libaio, io_uring) against real files on the
 * host's filesystem (TMPDIR, else /tmp; skipped where it refuses
 * O_DIRECT) and, as root with losetup, a loop device: every submission
 * mode with exact byte and request counts, the file's life (created,
 * renewed, removed, kept), validation across engines, and refusals.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include "tap.h"
#include "engines.h"
#include "upattern.h"

static const struct dsaio_engine *const engines[] = {
	&dsaio_libaio_engine, &dsaio_uring_engine,
};
#define N_ENGINES (sizeof(engines) / sizeof(engines[0]))

static char dir[256];

static void skip(const char *why)
{
	ok(1, "# SKIP %s", why);
}

/* dsaio-u*.dat files in dir; the last one's name in name. */
static int count_files(char *name, size_t len)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	if (!d)
		return -1;
	while ((e = readdir(d)))
		if (!strncmp(e->d_name, "dsaio-u", 7)) {
			n++;
			if (name)
				snprintf(name, len, "%s", e->d_name);
		}
	closedir(d);
	return n;
}

static void base_request(struct measure_request *rq, enum dsaio_user_target kind,
			 const char *target, enum dsaio_user_op op)
{
	measure_request_init(rq);
	rq->kind = kind;
	snprintf(rq->target, sizeof(rq->target), "%s", target);
	rq->op = op;
	rq->params.block_size = 128 << 10;
	rq->params.queue_depth = 4;
	rq->params.io_parallel = 2;
	rq->io_size = 1536 << 10;	/* 768K per worker: 6 requests */
	rq->loops = 2;
	rq->warmup_loops = 1;
}

static int measure(const struct dsaio_engine *eng, const struct measure_request *rq,
		   struct measurement *m)
{
	struct engine_ctx *ctx;
	char err[512];
	int ret;

	ret = eng->open(&ctx, err, sizeof(err));
	if (ret) {
		printf("# %s: %s\n", eng->name, err);
		return ret;
	}
	ret = eng->measure(ctx, rq, m, NULL, NULL);
	if (ret)
		printf("# %s: %s\n", eng->name, eng->errmsg(ctx));
	eng->close(ctx);
	return ret;
}

/* The counts a complete measurement of rq must have. */
static void check_counts(const char *what, const struct measure_request *rq,
			 const struct measurement *m)
{
	uint64_t slice = rq->io_size / rq->params.io_parallel;
	uint64_t per_worker = (slice + rq->params.block_size - 1) / rq->params.block_size;
	uint64_t sum = 0;
	size_t i;

	is_int(m->state, MEAS_DONE, "%s: done", what);
	is_int(m->error, 0, "%s: no error", what);
	ok(m->have_figures, "%s: has figures", what);
	is_int(m->bytes, rq->io_size * rq->loops, "%s: exact bytes (measured loops only)", what);
	is_int(m->requests, per_worker * rq->params.io_parallel * rq->loops,
	       "%s: exact requests", what);
	is_int(m->errors, 0, "%s: no I/O errors", what);
	/* DeepSpeed's handle pins io_size, whatever the queue depth */
	is_int(m->buf_bytes, rq->io_size * (rq->params.processes ? rq->params.processes : 1),
	       "%s: buffer memory io_size per handle", what);
	ok(m->task_ns > 0 && m->task_ns <= m->e2e_ns, "%s: 0 < Task <= E2E", what);
	is_int(m->n_loop_stats, rq->loops, "%s: one entry per measured loop", what);
	is_int(m->n_worker_stats, rq->params.io_parallel, "%s: one entry per worker", what);
	for (i = 0; i < m->n_worker_stats; i++) {
		sum += m->worker_stats[i].bytes;
		if (m->worker_stats[i].offset != rq->offset + i * slice)
			break;
	}
	is_int(i, m->n_worker_stats, "%s: contiguous slices from the offset", what);
	is_int(sum, m->bytes, "%s: workers' bytes add up", what);
	ok(m->have_pct && m->pct.p50 > 0 && m->pct.p50 <= m->pct.max,
	   "%s: latency percentiles", what);
	ok(m->lat_min_ns <= m->lat_mean_ns && m->lat_mean_ns <= m->lat_max_ns,
	   "%s: min <= mean <= max latency", what);
}

/* Every mode of every engine on a file: writes, then validated reads. */
static void test_modes(void)
{
	const int modes[4][2] = { { 0, 1 }, { 1, 1 }, { 0, 0 }, { 1, 0 } };
	size_t e, k;

	for (e = 0; e < N_ENGINES; e++)
		for (k = 0; k < 4; k++) {
			struct measure_request rq;
			struct measurement m;
			char what[128];
			int op;

			for (op = 0; op < 2; op++) {
				base_request(&rq, TARGET_FILE, dir, op ? OP_READ : OP_WRITE);
				rq.params.single_submit = modes[k][0];
				rq.params.overlap_events = modes[k][1];
				rq.validate = true;
				rq.seed = 7;
				if (k == 3)	/* a last request shorter than a block */
					rq.params.block_size = 320 << 10;
				snprintf(what, sizeof(what), "%s %s %s %s bs=%" PRIu64 "K",
					 engines[e]->name, op ? "read" : "write",
					 rq.params.single_submit ? "single" : "block",
					 rq.params.overlap_events ? "overlap" : "sequential",
					 rq.params.block_size >> 10);
				if (measure(engines[e], &rq, &m)) {
					ok(0, "%s: measured", what);
					continue;
				}
				check_counts(what, &rq, &m);
				is_int(m.mismatches, 0, "%s: no mismatch", what);
				is_str(m.target.fstype[0] ? "known" : "", "known",
				       "%s: the filesystem is named", what);
				ok(!strncmp(m.target.file, "dsaio-u", 7), "%s: file %s", what,
				   m.target.file);
				is_int(count_files(NULL, 0), 0, "%s: the file is removed", what);
				measurement_free_details(&m);
			}
		}
}

/* What one engine wrote (kept), the pattern checks at every offset. */
static void test_kept_file(void)
{
	size_t e;

	for (e = 0; e < N_ENGINES; e++) {
		struct measure_request rq;
		struct measurement m;
		char name[256], path[512];
		uint64_t first = UINT64_MAX, bad;
		struct stat st;
		char *buf;
		int fd;

		base_request(&rq, TARGET_FILE, dir, OP_WRITE);
		rq.offset = 64 << 10;
		rq.validate = true;
		rq.seed = 42;
		rq.keep_files = true;
		if (measure(engines[e], &rq, &m)) {
			ok(0, "%s: kept write measured", engines[e]->name);
			continue;
		}
		measurement_free_details(&m);
		is_int(count_files(name, sizeof(name)), 1, "%s: --keep-files keeps one file",
		       engines[e]->name);
		snprintf(path, sizeof(path), "%.200s/%.255s", dir, name);
		ok(!stat(path, &st) && (uint64_t)st.st_size == rq.offset + rq.io_size,
		   "%s: it holds offset + io_size bytes", engines[e]->name);
		buf = malloc(rq.io_size);
		fd = open(path, O_RDONLY);
		ok(buf && fd >= 0 && pread(fd, buf, rq.io_size, (off_t)rq.offset) ==
		   (ssize_t)rq.io_size, "%s: read back", engines[e]->name);
		bad = buf ? upattern_check(buf, rq.offset, rq.io_size, 512, 42, &first) : 1;
		is_int(bad, 0, "%s: every block holds the pattern of its offset", engines[e]->name);
		bad = buf ? upattern_check(buf, rq.offset, rq.io_size, 512, 43, &first) : 0;
		is_int(bad, rq.io_size / 512, "%s: another seed's pattern differs everywhere",
		       engines[e]->name);
		is_int(first, rq.offset, "%s: the first mismatch is at the offset", engines[e]->name);
		free(buf);
		if (fd >= 0)
			close(fd);
		unlink(path);
	}
}

/*
 * --random: each engine writes a kept, new file in a random order with the
 * pattern; a block written twice or never would leave a hole of zeros, so
 * a sequential check of the whole file shows every block written once. A
 * random validated read of it then finds every block, with exact counts.
 */
static void test_random(void)
{
	size_t e;

	for (e = 0; e < N_ENGINES; e++) {
		struct measure_request rq;
		struct measurement m;
		char name[256], path[512], what[64];
		uint64_t first = UINT64_MAX, bad = 1;
		char *buf;
		int fd;

		base_request(&rq, TARGET_FILE, dir, OP_WRITE);
		rq.params.block_size = 4096;
		rq.io_size = 1 << 20;	/* 128 blocks per worker */
		rq.loops = 1;
		rq.warmup_loops = 0;
		rq.validate = rq.random = rq.keep_files = true;
		rq.seed = 77;
		snprintf(what, sizeof(what), "%s random write", engines[e]->name);
		if (measure(engines[e], &rq, &m)) {
			ok(0, "%s measured", what);
			continue;
		}
		check_counts(what, &rq, &m);
		ok(m.random, "%s: the result says random", what);
		measurement_free_details(&m);
		if (count_files(name, sizeof(name)) != 1) {
			ok(0, "%s: one file kept", what);
			continue;
		}
		snprintf(path, sizeof(path), "%.200s/%.255s", dir, name);
		buf = malloc(rq.io_size);
		fd = open(path, O_RDONLY);
		if (buf && fd >= 0 && pread(fd, buf, rq.io_size, 0) == (ssize_t)rq.io_size)
			bad = upattern_check(buf, 0, rq.io_size, 512, 77, &first);
		is_int(bad, 0, "%s: every block of the file holds its pattern", what);
		free(buf);
		if (fd >= 0)
			close(fd);
		unlink(path);

		/* A read job writes its own file sequentially, then reads it so. */
		base_request(&rq, TARGET_FILE, dir, OP_READ);
		rq.params.block_size = 4096;
		rq.io_size = 1 << 20;
		rq.validate = rq.random = true;
		rq.seed = 78;
		snprintf(what, sizeof(what), "%s random validated read", engines[e]->name);
		if (measure(engines[e], &rq, &m)) {
			ok(0, "%s measured", what);
			continue;
		}
		check_counts(what, &rq, &m);
		is_int(m.mismatches, 0, "%s: no mismatch", what);
		measurement_free_details(&m);
		is_int(count_files(NULL, 0), 0, "%s: its file removed", what);
	}
}

/* Requests an engine refuses before any I/O, with nothing left behind. */
static void test_refusals(void)
{
	struct measure_request rq;
	struct measurement m;
	char file[512];
	int fd;

	base_request(&rq, TARGET_FILE, dir, OP_WRITE);
	rq.io_size = (1536 << 10) + 512;	/* not divisible by 2 threads... */
	rq.params.io_parallel = 3;		/* ...nor 3 */
	is_int(measure(&dsaio_libaio_engine, &rq, &m), -EINVAL,
	       "io_size not divisible among the threads is refused");
	base_request(&rq, TARGET_FILE, dir, OP_WRITE);
	rq.fixed_buffers = true;
	is_int(measure(&dsaio_libaio_engine, &rq, &m), -EINVAL,
	       "libaio refuses fixed buffers");
	base_request(&rq, TARGET_FILE, dir, OP_WRITE);
	rq.params.block_size = 1000;
	is_int(measure(&dsaio_uring_engine, &rq, &m), -EINVAL,
	       "a block size off the direct-I/O alignment is refused");
	snprintf(file, sizeof(file), "%s/not-a-device", dir);
	fd = open(file, O_CREAT | O_WRONLY, 0600);
	if (fd >= 0)
		close(fd);
	base_request(&rq, TARGET_BDEV, file, OP_READ);
	is_int(measure(&dsaio_libaio_engine, &rq, &m), -ENOTBLK,
	       "a regular file is not a device");
	base_request(&rq, TARGET_BDEV, file, OP_WRITE);
	is_int(measure(&dsaio_libaio_engine, &rq, &m), -EPERM,
	       "a device write needs allow_write");
	unlink(file);
	is_int(count_files(NULL, 0), 0, "refusals leave no file");
}

/* The fixed buffers and files of io_uring. */
static void test_fixed(void)
{
	struct measure_request rq;
	struct measurement m;
	int op;

	for (op = 0; op < 2; op++) {
		base_request(&rq, TARGET_FILE, dir, op ? OP_READ : OP_WRITE);
		rq.fixed_buffers = rq.fixed_files = true;
		rq.validate = true;
		if (measure(&dsaio_uring_engine, &rq, &m)) {
			ok(0, "io_uring fixed %s measured", op ? "read" : "write");
			continue;
		}
		check_counts(op ? "io_uring fixed read" : "io_uring fixed write", &rq, &m);
		is_int(m.mismatches, 0, "io_uring fixed: no mismatch");
		measurement_free_details(&m);
	}
}

/*
 * The request as user nobody, in a child: the errno the engine refused it
 * with (positive), after checking that its sentence names the cause.
 */
static int as_nobody(const struct measure_request *rq)
{
	struct measurement m;
	int status, ret;
	pid_t pid = fork();

	if (pid < 0)
		return -1;
	if (!pid) {
		const struct dsaio_engine *eng = &dsaio_libaio_engine;
		struct engine_ctx *ctx;
		char err[512];

		if (setgid(65534) || setuid(65534) || eng->open(&ctx, err, sizeof(err)))
			_exit(100);
		ret = eng->measure(ctx, rq, &m, NULL, NULL);
		printf("# as nobody: %s\n", eng->errmsg(ctx));
		fflush(stdout);
		if (!strstr(eng->errmsg(ctx), strerror(EACCES)) ||
		    !strstr(eng->errmsg(ctx), rq->target))
			_exit(102);	/* the sentence must name cause and device */
		_exit(ret < 0 && ret > -100 ? -ret : 101);
	}
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

/* A loop device: written by one engine, checked by the other. */
static void test_device(void)
{
	char img[300], cmd[700], dev[64] = "";
	struct measure_request rq;
	struct measurement m;
	FILE *p;
	int fd;

	snprintf(img, sizeof(img), "%s/loop.img", dir);
	fd = open(img, O_CREAT | O_WRONLY, 0600);
	if (fd < 0 || ftruncate(fd, 8 << 20)) {
		skip("no image for a loop device");
		if (fd >= 0)
			close(fd);
		return;
	}
	close(fd);
	snprintf(cmd, sizeof(cmd), "losetup --find --show --direct-io=on %s 2>/dev/null", img);
	p = geteuid() ? NULL : popen(cmd, "r");
	if (!p || !fgets(dev, sizeof(dev), p) || strncmp(dev, "/dev/loop", 9)) {
		if (p)
			pclose(p);
		skip("no loop device (needs root and losetup)");
		unlink(img);
		return;
	}
	pclose(p);
	dev[strcspn(dev, "\n")] = '\0';

	base_request(&rq, TARGET_BDEV, dev, OP_WRITE);
	rq.allow_write = rq.validate = true;
	rq.seed = 9;
	rq.offset = 1 << 20;
	if (!measure(&dsaio_libaio_engine, &rq, &m)) {
		check_counts("libaio write on a loop device", &rq, &m);
		measurement_free_details(&m);
	} else {
		ok(0, "libaio write on %s", dev);
	}
	base_request(&rq, TARGET_BDEV, dev, OP_READ);
	rq.validate = true;
	rq.seed = 9;
	rq.offset = 1 << 20;
	if (!measure(&dsaio_uring_engine, &rq, &m)) {
		check_counts("io_uring read of it", &rq, &m);
		is_int(m.mismatches, 0, "io_uring finds libaio's pattern");
		measurement_free_details(&m);
	} else {
		ok(0, "io_uring read of %s", dev);
	}
	rq.seed = 10;
	if (!measure(&dsaio_libaio_engine, &rq, &m)) {
		/* every loop is checked, the warm-up one too, as the module does */
		is_int(m.mismatches, rq.io_size / m.target.align *
		       (rq.loops + rq.warmup_loops),
		       "another seed: every logical block of every loop mismatches");
		is_int(m.first_mismatch, rq.offset, "the first at the region's start");
		measurement_free_details(&m);
	} else {
		ok(0, "libaio read of %s", dev);
	}
	rq.offset = 8 << 20;
	is_int(measure(&dsaio_libaio_engine, &rq, &m), -ERANGE,
	       "a region beyond the end is refused");
	rq.offset = 0;
	is_int(as_nobody(&rq), EACCES, "without permission on the device: EACCES, said");
	snprintf(cmd, sizeof(cmd), "losetup -d %s", dev);
	if (system(cmd))
		printf("# losetup -d %s failed\n", dev);
	unlink(img);
}

int main(void)
{
	const char *tmp = getenv("TMPDIR");
	char probe[300];
	int fd;

	snprintf(dir, sizeof(dir), "%s/dsaio-uengine-XXXXXX", tmp ? tmp : "/tmp");
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 1;
	}
	snprintf(probe, sizeof(probe), "%s/probe", dir);
	fd = open(probe, O_CREAT | O_RDWR | O_DIRECT, 0600);
	if (fd < 0) {
		skip("the filesystem of TMPDIR does not take O_DIRECT");
		rmdir(dir);
		return done();
	}
	close(fd);
	unlink(probe);
	test_modes();
	test_kept_file();
	test_random();
	test_refusals();
	test_fixed();
	test_device();
	rmdir(dir);
	return done();
}
