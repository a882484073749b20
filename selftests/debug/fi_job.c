// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * fi_job: a tiny generic-netlink client for the dsaio fault-injection group
 * (selftests/debug), on the suite's raw client (selftests/dsaio_client.c);
 * linked statically.
 *
 *   fi_job run     JOBOPTS [--timeout S]
 *       Start one job, wait for it to end (cancel it after S seconds), print
 *       "state=... error=... requests=N errors=N eio=N bytes=N" and exit
 *       0 when the job ended, 1 when JOB_START was refused, 2 on a timeout,
 *       3 on a protocol or usage error.
 *
 *   fi_job failnth JOBOPTS [--max N] [--timeout S]
 *       For n = 1, 2, ...: arm /proc/thread-self/fail-nth with n (the n-th
 *       fault-injection point this thread passes fails: slab or page
 *       allocation, as failslab / fail_page_alloc let through), send
 *       JOB_START, disarm. A refusal must be a clean negative errno; a
 *       started job must end within the timeout. Stops at the first n the
 *       request never reached (every allocation of JOB_START has then been
 *       failed once) and prints "failnth: points=K refused=R started=S".
 *       Exit 0 when clean, 1 otherwise.
 *
 *   JOBOPTS: --dev PATH --op read|write [--io-size B] [--bs B] [--qd N]
 *            [--threads N] [--loops N]
 *   PATH is a device, dir:DIR (a file in DIR) or targets:DEV,DEV (one job
 *   on both, DSAIO_CFG_TARGETS: a fault between opening the first and
 *   the second must leave neither open).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "../dsaio_client.h"

static struct dsc nl;

struct opts {
	const char *dev;
	int op;
	uint64_t io_size;
	uint32_t bs, qd, threads, loops;
	int timeout, max;
};

/* The fields fi_job reports, from a JOB_GET reply. */
struct job {
	uint8_t state;
	int32_t error;
	uint64_t requests, errors, bytes, eio;
};

static int job_start(const struct opts *o, uint32_t *id, int failnth_fd, int nth,
		     int *reached)
{
	struct dsc_cfg cfg;
	struct dsmsg m;
	char b[32];
	int err;

	/* Built in full before fail-nth is armed: only the send runs armed. */
	/* --dev dir:PATH measures a file in PATH (as dsaio_ctl takes it). */
	if (!strncmp(o->dev, "dir:", 4)) {
		dsc_cfg_init_dir(&cfg, o->dev + 4, o->op, o->io_size, o->bs);
	} else if (!strncmp(o->dev, "targets:", 8)) {
		static char list[512];
		char *comma;

		snprintf(list, sizeof(list), "%s", o->dev + 8);
		comma = strchr(list, ',');
		if (!comma)
			return -EINVAL;
		*comma = 0;
		dsc_cfg_init(&cfg, NULL, o->op, o->io_size, o->bs);
		cfg.set &= ~CFG_BIT(DSAIO_CFG_DEV_PATH);
		cfg.ntargets = 2;
		cfg.tdev[0] = list;
		cfg.tdev[1] = comma + 1;
	} else {
		dsc_cfg_init(&cfg, o->dev, o->op, o->io_size, o->bs);
	}
	cfg.queue_depth = o->qd;
	cfg.threads = o->threads;
	cfg.loops = o->loops;
	cfg.set |= CFG_BIT(DSAIO_CFG_QUEUE_DEPTH) | CFG_BIT(DSAIO_CFG_THREADS) |
		   CFG_BIT(DSAIO_CFG_LOOPS);
	dsc_start_msg(&m, &nl, &cfg);

	if (failnth_fd >= 0) {
		int len = snprintf(b, sizeof(b), "%d", nth);

		if (pwrite(failnth_fd, b, len, 0) != len) {
			fprintf(stderr, "fi_job: cannot arm fail-nth: %s\n", strerror(errno));
			return -EPROTO;
		}
	}
	/* The doit runs inside this sendto(): all of JOB_START is counted. */
	err = dsc_send(&nl, &m);
	if (failnth_fd >= 0) {
		int r = pread(failnth_fd, b, sizeof(b) - 1, 0);

		b[r > 0 ? r : 0] = 0;
		*reached = atoi(b) == 0;
		if (pwrite(failnth_fd, "0", 1, 0) != 1)
			return -EPROTO;
	}
	if (err)
		return err;
	return dsc_start_ack(&nl, id);
}

static int job_get(uint32_t id, struct job *j)
{
	static struct dsc_job dj;
	int err, i;

	memset(j, 0, sizeof(*j));
	err = dsc_get(&nl, id, &dj);
	if (err)
		return err;
	j->state = dj.state;
	j->error = dj.error;
	j->requests = dj.requests;
	j->errors = dj.errors;
	j->bytes = dj.bytes;
	for (i = 0; i < dj.nerrnos; i++)
		if (dj.errno_code[i] == EIO)
			j->eio += dj.errno_count[i];
	return 0;
}

static const char *state_name(int s)
{
	static const char *n[] = { "SETUP", "RUNNING", "DONE", "FAILED", "CANCELLED" };

	return s >= 0 && s <= DSAIO_JOB_STATE_MAX ? n[s] : "?";
}

/* 0 ended, -ETIMEDOUT (cancelled after the timeout), other -errno. */
static int job_wait(uint32_t id, int timeout_s, struct job *j)
{
	uint64_t end = now_ms() + (uint64_t)timeout_s * 1000;
	int err;

	for (;;) {
		err = job_get(id, j);
		if (err)
			return err;
		if (JOB_ENDED(j->state))
			return 0;
		if (now_ms() > end)
			break;
		usleep(20000);
	}
	fprintf(stderr, "fi_job: job %u still %s after %ds: cancelling\n",
		id, state_name(j->state), timeout_s);
	dsc_cancel(&nl, id);
	return -ETIMEDOUT;
}

static void print_job(const char *pfx, uint32_t id, const struct job *j)
{
	printf("%sjob=%u state=%s error=%d requests=%llu errors=%llu eio=%llu bytes=%llu\n",
	       pfx, id, state_name(j->state), j->error,
	       (unsigned long long)j->requests, (unsigned long long)j->errors,
	       (unsigned long long)j->eio, (unsigned long long)j->bytes);
}

static int cmd_run(const struct opts *o)
{
	struct job j;
	uint32_t id;
	int err;

	err = job_start(o, &id, -1, 0, NULL);
	if (err) {
		printf("start refused: %d (%s)\n", err, strerror(-err));
		return 1;
	}
	err = job_wait(id, o->timeout, &j);
	print_job("", id, &j);
	if (err == -ETIMEDOUT)
		return 2;
	return err ? 3 : 0;
}

static int cmd_failnth(const struct opts *o)
{
	int fd = open("/proc/thread-self/fail-nth", O_RDWR);
	int n, refused = 0, started = 0, bad = 0;
	struct job j;
	uint32_t id;

	if (fd < 0) {
		fprintf(stderr, "fi_job: /proc/thread-self/fail-nth: %s (CONFIG_FAULT_INJECTION?)\n",
			strerror(errno));
		return 3;
	}
	for (n = 1; n <= o->max; n++) {
		int reached = 0, err, tries = 0;

		/*
		 * A device is released a moment after its job ended: a write
		 * job's exclusive open may find it still held (EBUSY) without
		 * any fault; try that n again.
		 */
		do {
			if (tries)
				usleep(100000);
			err = job_start(o, &id, fd, n, &reached);
		} while (err == -EBUSY && !reached && ++tries < 50);
		if (err == -ETIMEDOUT || err == -EPROTO) {
			printf("failnth: n=%d: no usable reply (%d)\n", n, err);
			bad++;
			break;
		}
		if (err) {
			refused++;
			printf("failnth: n=%d refused %d (%s)\n", n, err, strerror(-err));
			if (!reached) {
				printf("failnth: n=%d: refused without an injected fault\n", n);
				bad++;
			}
			continue;
		}
		started++;
		err = job_wait(id, o->timeout, &j);
		if (err) {
			printf("failnth: n=%d job %u did not end cleanly (%d)\n", n, id, err);
			bad++;
			break;
		}
		if (reached)
			print_job("failnth: started despite fault: ", id, &j);
		else
			break;	/* JOB_START made fewer than n calls: all covered */
	}
	if (n > o->max) {
		printf("failnth: still reaching injection points after %d; raise --max\n", o->max);
		bad++;
	}
	printf("failnth: points=%d refused=%d started=%d bad=%d\n", n - 1, refused, started, bad);
	close(fd);
	return bad ? 1 : 0;
}

static void usage(void)
{
	fprintf(stderr,
		"usage: fi_job run|failnth --dev PATH|dir:DIR --op read|write [--io-size B] [--bs B]\n"
		"              [--qd N] [--threads N] [--loops N] [--timeout S] [--max N]\n");
}

int main(int argc, char **argv)
{
	struct opts o = { .op = -1, .io_size = 1 << 20, .bs = 65536, .qd = 4,
			  .threads = 2, .loops = 1, .timeout = 120, .max = 5000 };
	const char *cmd;
	int i, err;

	if (argc < 2 || !strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
		usage();
		return argc < 2 ? 3 : 0;
	}
	cmd = argv[1];
	for (i = 2; i < argc; i++) {
		const char *k = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (!v) {
			usage();
			return 3;
		}
		i++;
		if (!strcmp(k, "--dev"))
			o.dev = v;
		else if (!strcmp(k, "--op"))
			o.op = !strcmp(v, "write") ? DSAIO_OP_WRITE :
			       !strcmp(v, "read") ? DSAIO_OP_READ : -2;
		else if (!strcmp(k, "--io-size"))
			o.io_size = strtoull(v, NULL, 0);
		else if (!strcmp(k, "--bs"))
			o.bs = strtoul(v, NULL, 0);
		else if (!strcmp(k, "--qd"))
			o.qd = strtoul(v, NULL, 0);
		else if (!strcmp(k, "--threads"))
			o.threads = strtoul(v, NULL, 0);
		else if (!strcmp(k, "--loops"))
			o.loops = strtoul(v, NULL, 0);
		else if (!strcmp(k, "--timeout"))
			o.timeout = atoi(v);
		else if (!strcmp(k, "--max"))
			o.max = atoi(v);
		else {
			usage();
			return 3;
		}
	}
	if (!o.dev || o.op < 0) {
		usage();
		return 3;
	}
	err = dsc_open(&nl);
	if (err) {
		fprintf(stderr, "fi_job: cannot reach the dsaio family: %s\n", strerror(-err));
		return 3;
	}
	if (!strcmp(cmd, "run"))
		return cmd_run(&o);
	if (!strcmp(cmd, "failnth"))
		return cmd_failnth(&o);
	usage();
	return 3;
}
