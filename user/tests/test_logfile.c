// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Log text: metrics from DeepSpeed's real output format (fixtures in
 * data/), dsaio's own logs written and read back, malformed logs, and a
 * log directory with good, malformed and unreadable files.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tap.h"
#include "logfile.h"
#include "logname.h"
#include "optimum.h"

static int parse_file(const char *path, enum dsaio_user_op op,
		      struct dsaio_log_entry *e, char *err, size_t errlen)
{
	FILE *f = fopen(path, "r");
	int rc;

	if (!f) {
		snprintf(err, errlen, "cannot open %s", path);
		return -errno;
	}
	rc = dsaio_log_parse(f, op, e, err, errlen);
	fclose(f);
	return rc;
}

static int parse_text(const char *text, enum dsaio_user_op op,
		      struct dsaio_log_entry *e, char *err, size_t errlen)
{
	FILE *f = fmemopen((void *)text, strlen(text), "r");
	int rc;

	if (!f)
		return -errno;
	rc = dsaio_log_parse(f, op, e, err, errlen);
	fclose(f);
	return rc;
}

static void copy(const char *from, const char *dir, const char *name)
{
	char path[512], cmd[1200];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	snprintf(cmd, sizeof(cmd), "cp '%s' '%s'", from, path);
	if (system(cmd) != 0)
		printf("# copy %s failed\n", from);
}

static void write_result(const char *dir, enum dsaio_user_op op,
			 uint64_t bs, unsigned int qd, unsigned int par,
			 uint64_t e2e_ns)
{
	struct measurement r;
	char name[256], path[512];
	FILE *f;

	memset(&r, 0, sizeof(r));
	r.op = op;
	r.params.block_size = bs;
	r.params.queue_depth = qd;
	r.params.io_parallel = par;
	r.params.processes = 1;
	r.params.overlap_events = true;
	r.io_size = r.bytes = 1ULL << 30;
	r.loops = 1;
	r.task_ns = e2e_ns - 1000;
	r.e2e_ns = e2e_ns;
	r.requests = (1ULL << 30) / bs;
	if (dsaio_logname_format(LOGNAME_CURRENT, op, &r.params, name,
				 sizeof(name)))
		return;
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	if (!f || dsaio_log_write(f, "/dev/nvme0n1", "kernel", &r))
		printf("# writing %s failed\n", path);
	if (f)
		fclose(f);
}

int main(void)
{
	struct dsaio_log_entry e, *es = NULL;
	struct measurement r;
	char err[256], buf[4096], tmpl[] = "/tmp/dsaio-logtest-XXXXXX";
	char sub[600], path[700], errpath[700];
	FILE *f;
	size_t len;
	int rc, n, saved;

	/* DeepSpeed's own output, current ds_io and 2021 test_ds_aio.py. */
	memset(&e, 0, sizeof(e));
	rc = parse_file("data/ds_current_read.txt", OP_READ, &e, err,
			sizeof(err));
	ok(rc == 0, "DeepSpeed current read log parses");
	is_dbl(e.e2e_speed_gbs, 2.716567385618488, "E2E Read Speed value");
	is_dbl(e.e2e_latency_s, 0.14378905296325684, "E2E Read Latency value");
	ok(e.have_task && e.task_speed_gbs == 2.724069878920419 &&
	   e.task_latency_s == 0.14339303970336914, "Task lines read");
	ok(!e.have_setup && e.setup_latency_s == 0,
	   "DeepSpeed's log has no Setup line: tolerated, absent");
	rc = parse_file("data/ds_2021_write.txt", OP_WRITE, &e, err,
			sizeof(err));
	ok(rc == 0 && e.e2e_speed_gbs == 2.1432554027587297,
	   "DeepSpeed 2021 write log parses");
	rc = parse_file("data/ds_2021_write.txt", OP_READ, &e, err,
			sizeof(err));
	ok(rc == -EINVAL && strstr(err, "E2E Read Speed"),
	   "a write log has no read metric: %s", err);

	/* Malformed logs. */
	rc = parse_file("data/ds_failed.txt", OP_READ, &e, err, sizeof(err));
	ok(rc == -EINVAL && strstr(err, "no 'E2E Read Speed' line"),
	   "failed DeepSpeed run (no E2E line) refused: %s", err);
	rc = parse_file("data/garbage_number.txt", OP_READ, &e, err,
			sizeof(err));
	ok(rc == -EINVAL && strstr(err, "'fast' is not a number"),
	   "garbage number refused: %s", err);
	rc = parse_file("data/empty.txt", OP_READ, &e, err, sizeof(err));
	ok(rc == -EINVAL, "empty log refused: %s", err);
	rc = parse_text("E2E Read Speed\n", OP_READ, &e, err, sizeof(err));
	ok(rc == -EINVAL && strstr(err, "'Read' is not a number"),
	   "line without value (DeepSpeed would take 'Read'): %s", err);
	rc = parse_text("E2E Read Speed = 1e999 GB/sec\n", OP_READ, &e, err,
			sizeof(err));
	ok(rc == -EINVAL, "overflowing number refused");
	rc = parse_text("E2E Read Speed = -1 GB/sec\n", OP_READ, &e, err,
			sizeof(err));
	ok(rc == -EINVAL, "negative speed refused");
	rc = parse_text("x\nE2E Read Speed = 4.5 GB/sec\r\n"
			"E2E Read Speed = 9.0 GB/sec\n", OP_READ, &e, err,
			sizeof(err));
	ok(rc == 0 && e.e2e_speed_gbs == 4.5 && !e.have_task,
	   "first E2E line wins, CRLF accepted, Task lines optional");

	/* dsaio's log: DeepSpeed's lines, read back exactly. */
	memset(&r, 0, sizeof(r));
	r.op = OP_READ;
	r.params.block_size = 1 << 20;
	r.params.queue_depth = 32;
	r.params.io_parallel = 8;
	r.params.processes = 1;
	r.params.overlap_events = true;
	r.io_size = r.bytes = 400ULL << 20;
	r.loops = 1;
	r.warmup_loops = 1;
	r.task_ns = 143393039;
	r.e2e_ns = 143789052;
	r.setup_ns = 12300000;
	r.requests = 400;
	r.lat_min_ns = 1000;
	r.lat_max_ns = 9000000;
	r.lat_mean_ns = 5000;
	r.have_pct = true;
	r.pct.p50 = 4000;
	r.pct.p90 = 6000;
	r.pct.p99 = 8000;
	r.pct.p999 = 8900;
	r.pct.max = 9000000;
	f = fmemopen(buf, sizeof(buf), "w");
	rc = f ? dsaio_log_write(f, "/dev/nvme0n1", "libaio", &r) : -errno;
	if (f)
		fclose(f);
	ok(rc == 0, "dsaio log written");
	ok(strstr(buf, "\nTask Read Latency = 0.143393039 sec\n") &&
	   strstr(buf, "\nE2E Read Latency = 0.143789052 sec\n") &&
	   strstr(buf, "\nE2E Read Speed = 2.716") &&
	   strstr(buf, " GB/sec\n") && strstr(buf, "device = /dev/nvme0n1") &&
	   strstr(buf, "loops = 1, warmup_loops = 1 (not timed)\n"),
	   "dsaio log has DeepSpeed's lines and the device");
	ok(strstr(buf, "p99.9 = 8.9") && strstr(buf, "IOPS = "),
	   "dsaio log has its extra lines");
	rc = parse_text(buf, OP_READ, &e, err, sizeof(err));
	ok(rc == 0 && e.e2e_speed_gbs > 2.7165 && e.e2e_speed_gbs < 2.7167 &&
	   e.e2e_latency_s == 0.143789052 && e.have_task,
	   "dsaio log reads back");
	ok(rc == 0 && e.have_setup && e.setup_latency_s == 0.0123,
	   "Setup line reads back");
	{
		const char *four = strstr(buf, "Task Read Latency = ");
		const char *setup = strstr(buf, "\nSetup Read Latency = 0.0123 sec\n");
		const char *e2e = strstr(buf, "\nE2E Read Speed = ");
		const char *l;
		int matches = 0;

		ok(four && setup && e2e && strchr(e2e + 1, '\n') == setup,
		   "Setup line right after DeepSpeed's four lines");
		/* parse_aio_stats.py / parse_nvme_stats.py: line.startswith(
		 * "E2E Read Speed"); the Setup line must never match. */
		for (l = buf; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL)
			matches += !strncmp(l, "E2E Read Speed", 14) ||
				   !strncmp(l, "E2E Write Speed", 15);
		is_int(matches, 1, "only one line DeepSpeed's parsers match");
		ok(strstr(buf, "\ndevice = /dev/nvme0n1\nengine = libaio\nop = read,") != NULL,
		   "the engine line follows the device line");
		ok(!strstr(buf, "in-kernel"),
		   "the first line does not say in-kernel for a user-space engine");
		/* The header is skipped by every parser: no line before
		 * DeepSpeed's four starts like a metric. */
		matches = 0;
		for (l = buf; l && l < four; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL)
			matches += !strncmp(l, "Task", 4) || !strncmp(l, "E2E", 3) ||
				   !strncmp(l, "Setup", 5);
		is_int(matches, 0, "no header line starts with Task, E2E or Setup");
	}
	r.setup_ns = 0;

	/* A directory with good, malformed, unreadable and junk files. */
	if (!mkdtemp(tmpl)) {
		ok(0, "mkdtemp");
		return done();
	}
	snprintf(sub, sizeof(sub), "%s/_aio_bench_read_logs", tmpl);
	mkdir(sub, 0755);
	copy("data/ds_current_read.txt", sub,
	     "read_block_overlap_ftd1_d32_bs1M_p8.txt");
	copy("data/ds_failed.txt", sub, "read_block_overlap_ftd1_d32_bs1M_p1.txt");
	copy("data/garbage_number.txt", sub,
	     "read_block_overlap_ftd1_d128_bs1M_p1.txt");
	copy("data/empty.txt", sub, "read_block_overlap_ftd1_d128_bs8M_p1.txt");
	copy("data/ds_current_read.txt", sub, "notes.txt");
	snprintf(path, sizeof(path), "%s/read_block_overlap_ftd1_d32_bs8M_p8.txt",
		 sub);
	if (symlink("/nonexistent/dsaio", path))
		printf("# symlink failed\n");
	write_result(sub, OP_READ, 128 << 10, 4, 2, 500000000);
	snprintf(sub, sizeof(sub), "%s/_aio_bench_write_logs", tmpl);
	mkdir(sub, 0755);
	copy("data/ds_2021_write.txt", sub,
	     "write_block_overlap_t1_p2_d16_bs128K.txt");
	write_result(sub, OP_WRITE, 1 << 20, 32, 8, 250000000);
	/* Not in a log directory: ignored without a message. */
	copy("data/ds_current_read.txt", tmpl, "sweep_summary.json");

	snprintf(errpath, sizeof(errpath), "%s/stderr", tmpl);
	fflush(stderr);
	saved = dup(2);
	rc = open(errpath, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (saved < 0 || rc < 0 || dup2(rc, 2) < 0) {
		ok(0, "redirect stderr");
		return done();
	}
	close(rc);
	n = dsaio_logdir_read(tmpl, &es);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	f = fopen(errpath, "r");
	len = f ? fread(buf, 1, sizeof(buf) - 1, f) : 0;
	buf[len] = '\0';
	if (f)
		fclose(f);

	is_int(n, 7, "four usable logs and three failed ones in the directory");
	ok(strstr(buf, "read_block_overlap_ftd1_d32_bs1M_p1.txt: no 'E2E Read "
		   "Speed' line") != NULL, "failed run named and skipped");
	ok(strstr(buf, "read_block_overlap_ftd1_d128_bs1M_p1.txt: the 'E2E "
		   "Read Speed' value 'fast'") != NULL,
	   "garbage number named and skipped");
	ok(strstr(buf, "read_block_overlap_ftd1_d128_bs8M_p1.txt: no") != NULL,
	   "empty log named and skipped");
	ok(strstr(buf, "read_block_overlap_ftd1_d32_bs8M_p8.txt: No such file")
	   != NULL, "unreadable log named and skipped");
	ok(strstr(buf, "notes.txt: not a log name") != NULL,
	   "foreign file in a log directory named and skipped");
	ok(strstr(buf, "sweep_summary.json") == NULL,
	   "non-.txt file beside the log directories ignored");
	{
		struct dsaio_log_entry good[8];
		int ng = 0, nf = 0;

		for (rc = 0; rc < n; rc++) {
			printf("# %s%s%s\n", es[rc].name,
			       es[rc].failed ? ": " : "", es[rc].failure);
			if (es[rc].failed)
				nf++;
			else if (ng < 8)
				good[ng++] = es[rc];
		}
		is_int(nf, 3, "failed, garbage and empty logs kept as failed entries");
		if (ng == 4) {
			ok(!strcmp(good[0].name, "read_block_overlap_ftd1_d4_bs128K_p2.txt") &&
			   !strcmp(good[1].name, "read_block_overlap_ftd1_d32_bs1M_p8.txt") &&
			   !strcmp(good[2].name, "write_block_overlap_t1_p2_d16_bs128K.txt") &&
			   !strcmp(good[3].name, "write_block_overlap_ftd1_d32_bs1M_p8.txt"),
			   "sorted like parse_aio_stats.py (reads first, 2021 before "
			   "current, then numbers)");
			ok(good[0].op == OP_READ && good[0].e2e_speed_gbs == 2.0 &&
			   good[3].op == OP_WRITE && good[3].e2e_speed_gbs == 4.0,
			   "dsaio logs in the directory read with their speeds");
		} else {
			ok(0, "sorted like parse_aio_stats.py");
			ok(0, "dsaio logs read with their speeds");
		}
	}
	/* generate-param's view: both ops asked for (both have logs). */
	if (n > 0) {
		struct dsaio_ranked *rk = NULL;
		size_t nc = 0, i;
		int m = dsaio_rank(es, (size_t)n, dsaio_ops_present(es, (size_t)n),
				   &rk, &nc);
		bool failed_listed = false, failed_recommended = false;

		for (i = 0; m > 0 && i < (size_t)m; i++) {
			bool is_failed_point = rk[i].params.queue_depth == 32 &&
				rk[i].params.io_parallel == 1 &&
				rk[i].params.block_size == 1 << 20;

			if (is_failed_point && rk[i].complete)
				failed_recommended = true;
			if (is_failed_point && !rk[i].complete &&
			    strstr(rk[i].reason, "read: log read_block_overlap_ftd1_d32_bs1M_p1.txt: no 'E2E Read Speed' line"))
				failed_listed = true;
			printf("# point %zu %s: %s\n", i, rk[i].complete ? "complete" : "excluded",
			       rk[i].reason);
		}
		is_int(dsaio_ops_present(es, (size_t)n), DSAIO_OPS_BOTH,
		       "the directory asks for reads and writes");
		ok(failed_listed && !failed_recommended,
		   "the point of the failed read log is excluded with its reason");
		/* p8/qd32/1M has both a good read and a good write log. */
		ok(m > 0 && nc == 1 && rk[0].complete &&
		   rk[0].params.io_parallel == 8 && rk[0].params.queue_depth == 32,
		   "the one complete point is the recommendation");
		free(rk);
	}
	free(es);
	is_int(dsaio_logdir_read("/nonexistent/dsaio", &es), -ENOENT,
	       "missing directory is -ENOENT");
	is_int(dsaio_logdir_read("data/empty.txt", &es), -ENOTDIR,
	       "a file is -ENOTDIR");

	snprintf(buf, sizeof(buf), "rm -rf '%s'", tmpl);
	if (system(buf) != 0)
		printf("# cleanup of %s failed\n", tmpl);
	return done();
}
