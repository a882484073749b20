// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The user-space engines with several targets and DeepSpeed's threads:
 * directories under TMPDIR (else /tmp; skipped where O_DIRECT is
 * refused) and, as root with losetup, two loop devices. Exact bytes and
 * requests per target and in total, each handle's own file or slice,
 * validation per target, and one target's refusal refusing them all
 * with that target named and nothing left behind.
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

static const struct dsaio_engine *const engines[] = {
	&dsaio_libaio_engine, &dsaio_uring_engine,
};
#define N_ENGINES (sizeof(engines) / sizeof(engines[0]))

static char base[256], dirs[3][300];

static void skip(const char *why)
{
	ok(1, "# SKIP %s", why);
}

/* dsaio-u* files in d; with suffix, only names ending in it. */
static int count_files(const char *d, const char *suffix)
{
	DIR *dp = opendir(d);
	struct dirent *e;
	int n = 0;

	if (!dp)
		return -1;
	while ((e = readdir(dp))) {
		size_t l = strlen(e->d_name), s = suffix ? strlen(suffix) : 0;

		if (!strncmp(e->d_name, "dsaio-u", 7) &&
		    (!suffix || (l > s && !strcmp(e->d_name + l - s, suffix))))
			n++;
	}
	closedir(dp);
	return n;
}

static void request(struct measure_request *rq, enum dsaio_user_target kind,
		    enum dsaio_user_op op, const char *const *targets, unsigned int n)
{
	unsigned int i;

	measure_request_init(rq);
	rq->kind = kind;
	for (i = 0; i < n; i++)
		if (measure_request_add_target(rq, targets[i]))
			printf("# cannot add target %s\n", targets[i]);
	rq->op = op;
	rq->params.block_size = 128 << 10;
	rq->params.queue_depth = 4;
	rq->params.io_parallel = 2;
	rq->io_size = 1 << 20;		/* 512K per worker: 4 requests */
	rq->loops = 2;
	rq->warmup_loops = 1;
}

/* Measures; the engine's sentence in err (when given) on a refusal. */
static int measure(const struct dsaio_engine *eng, const struct measure_request *rq,
		   struct measurement *m, char *err, size_t errlen)
{
	struct engine_ctx *ctx;
	char e[512];
	int ret;

	ret = eng->open(&ctx, e, sizeof(e));
	if (ret) {
		printf("# %s: %s\n", eng->name, e);
		return ret;
	}
	ret = eng->measure(ctx, rq, m, NULL, NULL);
	if (ret) {
		printf("# %s: %s\n", eng->name, eng->errmsg(ctx));
		if (err)
			snprintf(err, errlen, "%s", eng->errmsg(ctx));
	}
	eng->close(ctx);
	return ret;
}

/* What a complete measurement of rq must count, per target and in all. */
static void check_counts(const char *what, const struct measure_request *rq,
			 const struct measurement *m)
{
	unsigned int n = measure_request_n_targets(rq), procs = rq->params.processes;
	uint64_t per_target = rq->io_size * rq->loops * procs;
	uint64_t reqs = rq->io_size / rq->params.block_size * rq->loops * procs;
	uint64_t task = 0, bytes = 0;
	size_t i;

	is_int(m->state, MEAS_DONE, "%s: done", what);
	is_int(m->bytes, per_target * n, "%s: exact total bytes", what);
	is_int(m->requests, reqs * n, "%s: exact total requests", what);
	is_int(m->buf_bytes, rq->io_size * procs * n,
	       "%s: buffer memory io_size per handle and target", what);
	is_int(m->n_worker_stats, n * procs * rq->params.io_parallel,
	       "%s: io_parallel workers per handle, a handle per thread and target", what);
	is_int(m->n_parts, n > 1 ? n : 0, "%s: one part per target", what);
	for (i = 0; i < m->n_parts; i++) {
		const struct measurement_part *p = &m->parts[i];

		is_int(p->bytes, per_target, "%s: target %zu exact bytes", what, i + 1);
		is_int(p->requests, reqs, "%s: target %zu exact requests", what, i + 1);
		is_str(p->target.path, rq->targets[i], "%s: target %zu named", what, i + 1);
		ok(p->state == MEAS_DONE && p->have_figures && p->task_ns > 0 &&
		   p->task_ns <= m->task_ns && p->e2e_ns <= m->e2e_ns &&
		   p->lat_min_ns <= p->lat_mean_ns && p->lat_mean_ns <= p->lat_max_ns,
		   "%s: target %zu figures within the total's", what, i + 1);
		if (p->task_ns > task)
			task = p->task_ns;
		bytes += p->bytes;
	}
	if (m->n_parts) {
		is_int(bytes, m->bytes, "%s: the parts' bytes add up to the total", what);
		is_int(task, m->task_ns, "%s: Task is the slowest target's", what);
	}
}

/* Writes and validated reads over two and three directories, 1-4 threads. */
static void test_dirs(void)
{
	static const unsigned int threads[] = { 1, 2, 4 };
	const char *const t[] = { dirs[0], dirs[1], dirs[2] };
	struct measure_request rq;
	struct measurement m;
	char what[128];
	size_t e, k;

	for (e = 0; e < N_ENGINES; e++)
		for (k = 0; k < sizeof(threads) / sizeof(threads[0]); k++) {
			unsigned int n = 2 + (unsigned int)(k == 2);
			int op;

			for (op = 0; op < 2; op++) {
				request(&rq, TARGET_FILE, op ? OP_READ : OP_WRITE, t, n);
				rq.params.processes = threads[k];
				rq.validate = true;
				rq.seed = 5;
				snprintf(what, sizeof(what), "%s %s, %u directories, threads %u",
					 engines[e]->name, op ? "validated read" : "write", n,
					 threads[k]);
				if (measure(engines[e], &rq, &m, NULL, 0)) {
					ok(0, "%s measured", what);
					continue;
				}
				check_counts(what, &rq, &m);
				is_int(m.mismatches, 0, "%s: no mismatch", what);
				measurement_free_details(&m);
			}
		}
	ok(count_files(dirs[0], NULL) == 0 && count_files(dirs[1], NULL) == 0 &&
	   count_files(dirs[2], NULL) == 0, "every handle's file removed");

	/* Kept files show DeepSpeed's naming: one .<tid> per thread. */
	request(&rq, TARGET_FILE, OP_WRITE, t, 2);
	rq.params.processes = 4;
	rq.keep_files = true;
	if (!measure(&dsaio_libaio_engine, &rq, &m, NULL, 0)) {
		ok(count_files(dirs[0], NULL) == 4 && count_files(dirs[1], NULL) == 4 &&
		   count_files(dirs[0], ".dat.0") == 1 && count_files(dirs[1], ".dat.3") == 1,
		   "threads 4: four files .dat.0 to .dat.3 in each directory");
		measurement_free_details(&m);
	} else {
		ok(0, "kept files measured");
	}
	for (k = 0; k < 2; k++) {
		DIR *dp = opendir(dirs[k]);
		struct dirent *de;

		while (dp && (de = readdir(dp)))
			if (!strncmp(de->d_name, "dsaio-u", 7))
				unlinkat(dirfd(dp), de->d_name, 0);
		if (dp)
			closedir(dp);
	}
}

/* The request as user nobody, in a child: its errno, 200 when misnamed. */
static int as_nobody(const struct measure_request *rq, const char *named)
{
	struct measurement m;
	int status, ret;
	pid_t pid = fork();

	if (pid < 0)
		return -1;
	if (!pid) {
		char err[512] = "";

		if (setgid(65534) || setuid(65534))
			_exit(100);
		ret = measure(&dsaio_libaio_engine, rq, &m, err, sizeof(err));
		fflush(stdout);
		if (ret && !strstr(err, named))
			_exit(200);
		_exit(!ret ? 0 : ret < 0 && ret > -100 ? -ret : 101);
	}
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

/* One target refused refuses all, naming it, leaving nothing behind. */
static void test_refusals(void)
{
	char missing[320], err[512] = "";
	const char *t[3] = { dirs[0], dirs[1], missing };
	struct measure_request rq;
	struct measurement m;
	size_t e;

	snprintf(missing, sizeof(missing), "%s/missing", base);
	for (e = 0; e < N_ENGINES; e++) {
		request(&rq, TARGET_FILE, OP_WRITE, t, 3);
		rq.params.processes = 2;
		is_int(measure(engines[e], &rq, &m, err, sizeof(err)), -ENOENT,
		       "%s: a missing third directory refuses the measurement", engines[e]->name);
		ok(strstr(err, missing) != NULL, "%s: the sentence names it", engines[e]->name);
		request(&rq, TARGET_FILE, OP_READ, t, 3);
		is_int(measure(engines[e], &rq, &m, err, sizeof(err)), -ENOENT,
		       "%s: also for reads", engines[e]->name);
	}
	ok(count_files(dirs[0], NULL) == 0 && count_files(dirs[1], NULL) == 0,
	   "the refusal left no file in the other directories");

	t[2] = dirs[0];
	request(&rq, TARGET_FILE, OP_WRITE, t, 3);
	is_int(measure(&dsaio_libaio_engine, &rq, &m, err, sizeof(err)), -EINVAL,
	       "the same directory given twice is refused");
	ok(strstr(err, "targets 1") && strstr(err, "and 3"), "naming both: %s", err);

	/* dirs[1] writable by nobody, dirs[2] not: the write names dirs[2] */
	if (geteuid()) {
		skip("not root: no other user to refuse");
		return;
	}
	t[2] = dirs[2];
	chmod(base, 0755);
	chmod(dirs[0], 0777);
	chmod(dirs[1], 0777);
	chmod(dirs[2], 0755);
	request(&rq, TARGET_FILE, OP_WRITE, t, 3);
	is_int(as_nobody(&rq, dirs[2]), EACCES,
	       "a directory the user cannot write in refuses all, named");
	request(&rq, TARGET_FILE, OP_WRITE, t, 2);
	rq.loops = 1;
	is_int(as_nobody(&rq, ""), 0, "the two writable ones alone are measured");
	ok(count_files(dirs[0], NULL) == 0 && count_files(dirs[1], NULL) == 0,
	   "and nothing is left in them");
	chmod(base, 0700);
}

/*
 * In a child: waits for the engine's file in d to reach size bytes (its
 * set-up written), then truncates it, so that the reads of that target
 * come back short, an I/O error of that target alone.
 */
static pid_t truncate_when_written(const char *d, off_t size)
{
	pid_t pid = fork();
	int i;

	if (pid)
		return pid;
	for (i = 0; i < 20000; i++) {
		DIR *dp = opendir(d);
		struct dirent *e;
		struct stat st;

		while (dp && (e = readdir(dp)))
			if (!strncmp(e->d_name, "dsaio-u", 7) &&
			    !fstatat(dirfd(dp), e->d_name, &st, 0) && st.st_size == size) {
				int fd = openat(dirfd(dp), e->d_name, O_WRONLY);

				usleep(20000);	/* past its fsync, into the loops */
				_exit(fd >= 0 && !ftruncate(fd, 0) ? 0 : 1);
			}
		if (dp)
			closedir(dp);
		usleep(500);
	}
	_exit(2);
}

/* One target failing mid-measurement ends it, that target named. */
static void test_one_fails(void)
{
	const char *t[2] = { dirs[0], dirs[1] };
	struct measure_request rq;
	struct measurement m;
	int status = -1;
	pid_t pid;

	request(&rq, TARGET_FILE, OP_READ, t, 2);
	rq.io_size = 8 << 20;
	rq.loops = 40;
	pid = truncate_when_written(dirs[1], rq.io_size);
	if (pid < 0) {
		ok(0, "fork");
		return;
	}
	if (measure(&dsaio_libaio_engine, &rq, &m, NULL, 0)) {
		ok(0, "a read of two directories measured");
		waitpid(pid, &status, 0);
		return;
	}
	waitpid(pid, &status, 0);
	if (!WIFEXITED(status) || WEXITSTATUS(status)) {
		skip("the file was not truncated in time");
		measurement_free_details(&m);
		return;
	}
	is_int(m.state, MEAS_FAILED, "the second target's short reads fail the measurement");
	is_int(m.error, -EIO, "with EIO, a short transfer");
	/* (its failed requests may be a warm-up loop's: in errnos only) */
	ok(m.n_parts == 2 && m.parts[1].state == MEAS_FAILED && m.parts[1].error == -EIO &&
	   m.n_errnos == 1 && m.errnos[0].code == EIO,
	   "the part of the second target says it failed, EIO counted");
	ok(m.n_parts == 2 && m.parts[0].error == 0 && m.parts[0].errors == 0 &&
	   m.parts[0].state == MEAS_CANCELLED, "the first target has no error: it was stopped");
	ok(m.n_loop_stats < rq.loops, "it ended before its %u loops (%zu)", rq.loops, m.n_loop_stats);
	measurement_free_details(&m);
	ok(count_files(dirs[0], NULL) == 0 && count_files(dirs[1], NULL) == 0,
	   "both files removed");
}

/* A loop device of 8M on an image in base: its node in dev, or "". */
static void make_loop(const char *name, char *dev, size_t len)
{
	char img[400], cmd[700];
	FILE *p;
	int fd;

	dev[0] = '\0';
	snprintf(img, sizeof(img), "%s/%s.img", base, name);
	fd = open(img, O_CREAT | O_WRONLY, 0600);
	if (fd < 0 || ftruncate(fd, 8 << 20)) {
		if (fd >= 0)
			close(fd);
		return;
	}
	close(fd);
	snprintf(cmd, sizeof(cmd), "losetup --find --show --direct-io=on %s 2>/dev/null", img);
	p = geteuid() ? NULL : popen(cmd, "r");
	if (!p || !fgets(dev, (int)len, p) || strncmp(dev, "/dev/loop", 9))
		dev[0] = '\0';
	if (p)
		pclose(p);
	dev[strcspn(dev, "\n")] = '\0';
	unlink(img);		/* the loop device holds it */
}

static void drop_loop(const char *dev)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "losetup -d %s", dev);
	if (*dev && system(cmd))
		printf("# losetup -d %s failed\n", dev);
}

/* Two loop devices: slices per thread, validation per target. */
static void test_devices(void)
{
	char a[64], b[64], err[512] = "";
	const char *t[2] = { a, b };
	struct measure_request rq;
	struct measurement m;
	size_t i;

	make_loop("a", a, sizeof(a));
	make_loop("b", b, sizeof(b));
	if (!*a || !*b) {
		skip("no two loop devices (needs root and losetup)");
		drop_loop(a);
		drop_loop(b);
		return;
	}
	request(&rq, TARGET_BDEV, OP_WRITE, t, 2);
	rq.params.processes = 2;
	rq.allow_write = rq.validate = true;
	rq.seed = 9;
	rq.offset = 1 << 20;
	if (!measure(&dsaio_libaio_engine, &rq, &m, NULL, 0)) {
		check_counts("libaio write on two loop devices, threads 2", &rq, &m);
		for (i = 0; i < m.n_worker_stats; i++)
			if (m.worker_stats[i].offset != rq.offset +
			    (i / 2 % 2) * rq.io_size + (i % 2) * (rq.io_size / 2))
				break;
		is_int(i, m.n_worker_stats, "each thread its own io_size slice after the offset");
		measurement_free_details(&m);
	} else {
		ok(0, "libaio write on %s and %s", a, b);
	}
	request(&rq, TARGET_BDEV, OP_READ, t, 2);
	rq.params.processes = 2;
	rq.validate = true;
	rq.seed = 9;
	rq.offset = 1 << 20;
	if (!measure(&dsaio_uring_engine, &rq, &m, NULL, 0)) {
		check_counts("io_uring validated read of both, threads 2", &rq, &m);
		is_int(m.mismatches, 0, "io_uring finds libaio's pattern on both");
		measurement_free_details(&m);
	} else {
		ok(0, "io_uring read of %s and %s", a, b);
	}
	/* b's first slice rewritten with another seed: only b mismatches */
	request(&rq, TARGET_BDEV, OP_WRITE, t + 1, 1);
	rq.allow_write = rq.validate = true;
	rq.seed = 10;
	rq.offset = 1 << 20;
	rq.loops = 1;
	is_int(measure(&dsaio_libaio_engine, &rq, &m, NULL, 0), 0, "b rewritten with another seed");
	measurement_free_details(&m);
	request(&rq, TARGET_BDEV, OP_READ, t, 2);
	rq.params.processes = 2;
	rq.validate = true;
	rq.seed = 9;
	rq.offset = 1 << 20;
	if (!measure(&dsaio_libaio_engine, &rq, &m, NULL, 0) && m.n_parts == 2) {
		uint32_t lbs = m.parts[1].target.align;

		is_int(m.parts[0].mismatches, 0, "validation per target: a has none");
		is_int(m.parts[1].mismatches, rq.io_size / lbs * (rq.loops + rq.warmup_loops),
		       "b: every block of its first thread's slice, every loop");
		is_int(m.parts[1].first_mismatch, rq.offset, "b's first at its region's start");
		is_int(m.mismatches, m.parts[1].mismatches, "the total is the sum");
		measurement_free_details(&m);
	} else {
		ok(0, "libaio read of %s and %s", a, b);
	}
	request(&rq, TARGET_BDEV, OP_READ, t, 2);
	rq.params.processes = 8;	/* 8 x 1M after 1M: past the end of 8M */
	rq.offset = 1 << 20;
	is_int(measure(&dsaio_libaio_engine, &rq, &m, err, sizeof(err)), -ERANGE,
	       "threads whose slices pass the end are refused");
	ok(strstr(err, a) != NULL, "naming the device: %s", err);
	t[1] = a;
	request(&rq, TARGET_BDEV, OP_READ, t, 2);
	is_int(measure(&dsaio_libaio_engine, &rq, &m, err, sizeof(err)), -EINVAL,
	       "the same device twice is refused");
	drop_loop(a);
	drop_loop(b);
}

int main(void)
{
	const char *tmp = getenv("TMPDIR");
	char probe[400];
	int fd, i;

	snprintf(base, sizeof(base), "%s/dsaio-umulti-XXXXXX", tmp ? tmp : "/tmp");
	if (!mkdtemp(base)) {
		perror("mkdtemp");
		return 1;
	}
	for (i = 0; i < 3; i++) {
		snprintf(dirs[i], sizeof(dirs[i]), "%s/d%d", base, i);
		if (mkdir(dirs[i], 0700)) {
			perror("mkdir");
			return 1;
		}
	}
	snprintf(probe, sizeof(probe), "%s/probe", dirs[0]);
	fd = open(probe, O_CREAT | O_RDWR | O_DIRECT, 0600);
	if (fd < 0) {
		skip("the filesystem of TMPDIR does not take O_DIRECT");
	} else {
		close(fd);
		unlink(probe);
		test_dirs();
		test_refusals();
		test_one_fails();
		test_devices();
	}
	for (i = 0; i < 3; i++)
		rmdir(dirs[i]);
	rmdir(base);
	return done();
}
