// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * dsaio_ctl: the shell tests' direct line to the module (no dsaio-user).
 *
 *   dsaio_ctl info
 *   dsaio_ctl run   DEV read|write IO_SIZE BS [key=val...]   start, wait, print
 *   dsaio_ctl start DEV read|write IO_SIZE BS [key=val...]   start, print id=N,
 *                   then hold the socket open until killed
 *   dsaio_ctl get ID | wait ID [TIMEOUT_MS] | cancel ID | dump
 *   dsaio_ctl cycles DEV N          N start/cancel cycles of a read job
 *   dsaio_ctl cksum DEV OFFSET LEN  O_DIRECT checksum of a byte range
 * DEV is a device node, dir:PATH (a file in PATH), or targets:T,T,...
 * (DSAIO_CFG_TARGETS, each T a device node or dir:PATH, @OFFSET after it
 * for its DSAIO_TCFG_OFFSET).
 * keys: qd threads offset loops validate seed allow (0: leave the attribute
 * out, 1: allow_write=1, off: allow_write=0) ss overlap hist poll random
 * timeout (ms)
 * Sizes take K, M, G suffixes. Job output: key=value lines.
 * Exit: 0 ok; 1 error; 3 the module refused the start (start_error= line).
 */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "dsaio_client.h"

static uint64_t parse_size(const char *s)
{
	char *end;
	unsigned long long v = strtoull(s, &end, 0);

	switch (*end) {
	case 'k': case 'K': v <<= 10; break;
	case 'm': case 'M': v <<= 20; break;
	case 'g': case 'G': v <<= 30; break;
	default: break;
	}
	return v;
}

static void print_job(const struct dsc_job *j)
{
	int i;

	printf("id=%u\nstate=%s\nerror=%d\n", j->id, dsc_state_name(j->state),
	       j->error);
	if (j->present & (1U << DSAIO_A_JOB_HELD))
		printf("held=%u\n", j->held);
	if (j->tgt_present & (1U << DSAIO_TGT_FILE))
		printf("file=%s\nfstype=%s\n", j->tgt_file, j->tgt_fstype);
	printf("random=%u\n", j->cfg.random);
	printf("bytes_done=%llu\nbytes_total=%llu\n",
	       (unsigned long long)j->bytes_done,
	       (unsigned long long)j->bytes_total);
	if (!(j->present & (1U << DSAIO_A_JOB_RESULT)))
		return;
	printf("bytes=%llu\nrequests=%llu\nbios=%llu\nerrors=%llu\n",
	       (unsigned long long)j->bytes, (unsigned long long)j->requests,
	       (unsigned long long)j->bios, (unsigned long long)j->errors);
	printf("polled=%llu\n", (unsigned long long)j->polled);
	printf("task_ns=%llu\ne2e_ns=%llu\nmismatches=%llu\n",
	       (unsigned long long)j->task_ns, (unsigned long long)j->e2e_ns,
	       (unsigned long long)j->mismatches);
	if (j->res_present & (1U << DSAIO_RES_FIRST_MISMATCH))
		printf("first_mismatch=%llu\n",
		       (unsigned long long)j->first_mismatch);
	printf("errnos=");
	for (i = 0; i < j->nerrnos; i++)
		printf("%s%u:%llu", i ? "," : "", j->errno_code[i],
		       (unsigned long long)j->errno_count[i]);
	printf("\n");
	/* targetN=STATE ERROR BYTES BDEV TASK_NS, one line per entry */
	for (i = 0; i < j->ntargets; i++)
		printf("target%d=%s %d %llu %s %llu\n", i,
		       dsc_state_name(j->tgt[i].state), j->tgt[i].error,
		       (unsigned long long)j->tgt[i].bytes, j->tgt[i].bdev,
		       (unsigned long long)j->tgt[i].task_ns);
}

/* targets:T,T,... into cfg's DSAIO_CFG_TARGETS (@list is modified). */
static int parse_targets(struct dsc_cfg *cfg, char *list)
{
	char *t, *save = NULL;

	for (t = strtok_r(list, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
		char *at = strchr(t, '@');

		if (cfg->ntargets == DSAIO_TARGETS_MAX + 2)
			return -1;
		if (at) {		/* T@OFFSET: its DSAIO_TCFG_OFFSET */
			*at = 0;
			cfg->toffset[cfg->ntargets] = parse_size(at + 1);
			cfg->toffset_set |= 1U << cfg->ntargets;
		}
		if (!strncmp(t, "dir:", 4))
			cfg->tdir[cfg->ntargets++] = t + 4;
		else
			cfg->tdev[cfg->ntargets++] = t;
	}
	return cfg->ntargets ? 0 : -1;
}

static int build_cfg(struct dsc_cfg *cfg, int argc, char **argv, int *timeout)
{
	uint8_t op;
	int i;

	if (argc < 4)
		return -1;
	if (!strcmp(argv[1], "read"))
		op = DSAIO_OP_READ;
	else if (!strcmp(argv[1], "write"))
		op = DSAIO_OP_WRITE;
	else
		return -1;
	/* TARGET is a device node, or dir:PATH for a file in PATH. */
	if (!strncmp(argv[0], "dir:", 4))
		dsc_cfg_init_dir(cfg, argv[0] + 4, op, parse_size(argv[2]),
				 parse_size(argv[3]));
	else if (!strncmp(argv[0], "targets:", 8)) {
		dsc_cfg_init(cfg, NULL, op, parse_size(argv[2]),
			     parse_size(argv[3]));
		cfg->set &= ~CFG_BIT(DSAIO_CFG_DEV_PATH);
		if (parse_targets(cfg, argv[0] + 8))
			return -1;
	} else
		dsc_cfg_init(cfg, argv[0], op, parse_size(argv[2]),
			     parse_size(argv[3]));
	cfg->allow_write = 0;
	cfg->set &= ~CFG_BIT(DSAIO_CFG_ALLOW_WRITE);
	for (i = 4; i < argc; i++) {
		char *k = argv[i], *v = strchr(k, '=');

		if (!v)
			return -1;
		*v++ = 0;
#define KEY(name, field, attr)						\
		if (!strcmp(k, name)) {					\
			cfg->field = parse_size(v);			\
			cfg->set |= CFG_BIT(attr);			\
			continue;					\
		}
		KEY("qd", queue_depth, DSAIO_CFG_QUEUE_DEPTH)
		KEY("threads", threads, DSAIO_CFG_THREADS)
		KEY("offset", offset, DSAIO_CFG_OFFSET)
		KEY("loops", loops, DSAIO_CFG_LOOPS)
		KEY("warmup", warmup_loops, DSAIO_CFG_WARMUP_LOOPS)
		KEY("validate", validate, DSAIO_CFG_VALIDATE)
		KEY("seed", seed, DSAIO_CFG_SEED)
		KEY("ss", single_submit, DSAIO_CFG_SINGLE_SUBMIT)
		KEY("overlap", overlap, DSAIO_CFG_OVERLAP_EVENTS)
		KEY("hist", histogram, DSAIO_CFG_HISTOGRAM)
		KEY("poll", poll, DSAIO_CFG_POLL)
		KEY("overwrite", overwrite, DSAIO_CFG_OVERWRITE)
		KEY("keep", keep_files, DSAIO_CFG_KEEP_FILES)
		KEY("random", random, DSAIO_CFG_RANDOM)
#undef KEY
		if (!strcmp(k, "allow")) {
			if (!strcmp(v, "off")) {
				cfg->allow_write = 0;
				cfg->set |= CFG_BIT(DSAIO_CFG_ALLOW_WRITE);
			} else if (strcmp(v, "0")) {
				cfg->allow_write = 1;
				cfg->set |= CFG_BIT(DSAIO_CFG_ALLOW_WRITE);
			}
			continue;
		}
		if (!strcmp(k, "timeout")) {
			*timeout = atoi(v);
			continue;
		}
		return -1;
	}
	return 0;
}

static uint64_t fnv(const unsigned char *p, size_t n, uint64_t h)
{
	size_t i;

	for (i = 0; i < n; i++)
		h = (h ^ p[i]) * 0x100000001b3ULL;
	return h;
}

static int cksum(const char *dev, uint64_t off, uint64_t len)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	void *buf;
	int fd;

	fd = open(dev, O_RDONLY | O_DIRECT | O_CLOEXEC);
	if (fd < 0) {
		perror(dev);
		return 1;
	}
	if (posix_memalign(&buf, 4096, 1 << 20)) {
		close(fd);
		return 1;
	}
	while (len) {
		size_t n = len < (1 << 20) ? len : (1 << 20);
		ssize_t r = pread(fd, buf, n, off);

		if (r <= 0) {
			perror("pread");
			free(buf);
			close(fd);
			return 1;
		}
		h = fnv(buf, r, h);
		off += r;
		len -= r;
	}
	printf("%016llx\n", (unsigned long long)h);
	free(buf);
	close(fd);
	return 0;
}

static void dump_line(const struct dsc_job *j, void *arg)
{
	(void)arg;
	printf("%u %s %llu\n", j->id, dsc_state_name(j->state),
	       (unsigned long long)j->bytes);
}

static int usage(void)
{
	fprintf(stderr, "usage: dsaio_ctl info|run|start|get|wait|cancel|dump|cycles|cksum ...\n");
	return 2;
}

int main(int argc, char **argv)
{
	struct dsc c;
	struct dsc_job j;
	struct dsc_cfg cfg;
	int r, timeout = 120000;
	uint32_t id;

	if (argc < 2)
		return usage();
	if (!strcmp(argv[1], "cksum")) {
		if (argc != 5)
			return usage();
		return cksum(argv[2], parse_size(argv[3]), parse_size(argv[4]));
	}
	r = dsc_open(&c);
	if (r) {
		fprintf(stderr, "dsaio_ctl: cannot open the dsaio family: %s\n",
			strerror(-r));
		return 1;
	}
	if (!strcmp(argv[1], "info")) {
		struct dsc_info info;

		r = dsc_info(&c, &info);
		if (r)
			goto fail;
		printf("version=%s\nfeatures=0x%llx\n", info.version,
		       (unsigned long long)info.features);
		printf("max_jobs=%u\nmax_threads=%u\nmax_queue_depth=%u\n"
		       "max_block_size=%u\nmax_mem_mb=%u\nmax_results=%u\n"
		       "max_loops=%u\n", info.limit[DSAIO_LIMIT_MAX_JOBS],
		       info.limit[DSAIO_LIMIT_MAX_THREADS],
		       info.limit[DSAIO_LIMIT_MAX_QUEUE_DEPTH],
		       info.limit[DSAIO_LIMIT_MAX_BLOCK_SIZE],
		       info.limit[DSAIO_LIMIT_MAX_MEM_MB],
		       info.limit[DSAIO_LIMIT_MAX_RESULTS],
		       info.limit[DSAIO_LIMIT_MAX_LOOPS]);
		return 0;
	}
	if (!strcmp(argv[1], "run") || !strcmp(argv[1], "start")) {
		int hold = !strcmp(argv[1], "start");

		if (build_cfg(&cfg, argc - 2, argv + 2, &timeout))
			return usage();
		r = dsc_start(&c, &cfg, &id);
		if (r) {
			printf("start_error=%d\nextack=%s\n", r, c.extack);
			return 3;
		}
		if (hold) {
			printf("id=%u\n", id);
			fflush(stdout);
			for (;;)
				pause();
		}
		r = dsc_wait(&c, id, timeout, &j);
		if (r)
			goto fail;
		print_job(&j);
		return 0;
	}
	if (!strcmp(argv[1], "dump")) {
		int intr;

		r = dsc_dump(&c, dump_line, NULL, &intr, NULL);
		if (r)
			goto fail;
		return 0;
	}
	if (!strcmp(argv[1], "cycles")) {
		long i, n;

		if (argc != 4)
			return usage();
		n = atol(argv[3]);
		dsc_cfg_init(&cfg, argv[2], DSAIO_OP_READ, 64 << 20, 4096);
		for (i = 0; i < n; i++) {
			r = dsc_start(&c, &cfg, &id);
			if (r) {
				fprintf(stderr, "cycle %ld: start %s (%s)\n", i,
					strerror(-r), c.extack);
				return 1;
			}
			r = dsc_cancel(&c, id);
			if (!r)
				r = dsc_wait(&c, id, 20000, &j);
			if (r) {
				fprintf(stderr, "cycle %ld: %s\n", i, strerror(-r));
				return 1;
			}
			if (j.state != DSAIO_JOB_CANCELLED && j.state != DSAIO_JOB_DONE) {
				fprintf(stderr, "cycle %ld: state %s\n", i,
					dsc_state_name(j.state));
				return 1;
			}
		}
		printf("cycles=%ld\n", n);
		return 0;
	}
	if (argc < 3)
		return usage();
	id = strtoul(argv[2], NULL, 0);
	if (!strcmp(argv[1], "get")) {
		r = dsc_get(&c, id, &j);
		if (r)
			goto fail;
		print_job(&j);
		return 0;
	}
	if (!strcmp(argv[1], "wait")) {
		if (argc > 3)
			timeout = atoi(argv[3]);
		r = dsc_wait(&c, id, timeout, &j);
		if (r)
			goto fail;
		print_job(&j);
		return 0;
	}
	if (!strcmp(argv[1], "cancel")) {
		r = dsc_cancel(&c, id);
		if (r)
			goto fail;
		return 0;
	}
	return usage();
fail:
	fprintf(stderr, "dsaio_ctl %s: %s%s%s\n", argv[1], strerror(-r),
		c.extack[0] ? ": " : "", c.extack);
	return 1;
}
