// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * `dsaio-user sweep` before its first run (cmd_sweep.h): the engines
 * named, opened and asked their limits, the fixed buffers and files
 * given to those that take them, the region sized to the device or
 * directory and to every engine, and where each engine's logs go. All
 * of it before anything is measured, so that a mistake costs no time.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include "blkdev.h"
#include "cli.h"
#include "cmd_sweep.h"
#include "target.h"

/*
 * The pass whose engine allows the least buffer memory, or NULL: with
 * --engines every engine measures the same io_size, or the side by side
 * would compare different work.
 */
static const struct sweep_pass *tightest(const struct sweep *s)
{
	const struct sweep_pass *t = NULL;
	size_t k;

	for (k = 0; k < s->n_pass; k++) {
		const struct sweep_pass *p = &s->pass[k];

		if (p->lim.max_mem_mb &&
		    (!t || p->lim.max_mem_mb < t->lim.max_mem_mb))
			t = p;
	}
	return t;
}

/* The most handles per target any point of the grid has (threads). */
static unsigned int grid_processes(const struct sweep *s)
{
	unsigned int most = 1;
	size_t i;

	for (i = 0; i < s->grid.n; i++)
		if (s->grid.points[i].processes > most)
			most = s->grid.points[i].processes;
	return most;
}

/*
 * A default io_size no larger than the buffers the engines allow: every
 * handle of every target has a buffer of io_size.
 */
static void lower_to_mem(struct sweep *s)
{
	const struct sweep_pass *t = tightest(s);
	uint32_t mb = t ? t->lim.max_mem_mb : 0;
	uint64_t handles = (uint64_t)measure_request_n_targets(&s->base) * grid_processes(s);
	uint64_t most = ((uint64_t)mb << 20) / handles & ~4095ULL;

	if (mb && s->io_size > most && most) {
		s->io_size = most;
		fprintf(stderr, "dsaio-user sweep: %s allows %u MiB of buffers: %"
			PRIu64 " bytes per run and handle\n", t->eng->who, mb, s->io_size);
	}
}

/*
 * Picks the region size and checks it fits one device and the engines:
 * each of the grid's most threads has its own io_size after the offset.
 */
static int check_device(struct sweep *s, const char *dev, bool io_size_given)
{
	unsigned int procs = grid_processes(s);
	uint64_t size, room;
	char err[512];

	if (dsaio_blkdev_size(dev, &size, err, sizeof(err))) {
		fprintf(stderr, "dsaio-user sweep: %s\n", err);
		return -1;
	}
	if (s->offset >= size) {
		fprintf(stderr, "dsaio-user sweep: --offset %" PRIu64 " is beyond the end of %s (%"
			PRIu64 " bytes)\n", s->offset, dev, size);
		return -1;
	}
	room = (size - s->offset) / procs;
	if (io_size_given) {
		if (s->io_size > room && procs > 1) {
			fprintf(stderr, "dsaio-user sweep: --io-size %" PRIu64 " does not fit %s %u times (threads %u): only %"
				PRIu64 " bytes from offset %" PRIu64 "\n",
				s->io_size, dev, procs, procs, size - s->offset, s->offset);
			return -1;
		}
		if (s->io_size > room) {
			fprintf(stderr, "dsaio-user sweep: --io-size %" PRIu64 " does not fit %s: only %"
				PRIu64 " bytes from offset %" PRIu64 "\n",
				s->io_size, dev, room, s->offset);
			return -1;
		}
		return 0;
	}
	lower_to_mem(s);
	if (s->io_size > room) {
		/* Whole 4 KiB blocks: a multiple of any logical block size. */
		s->io_size = room & ~4095ULL;
		if (!s->io_size) {
			fprintf(stderr, "dsaio-user sweep: %s has less than 4 KiB after offset %" PRIu64 "\n",
				dev, s->offset);
			return -1;
		}
		fprintf(stderr, "dsaio-user sweep: %s is small: %" PRIu64 " bytes per run\n",
			dev, s->io_size);
	}
	return 0;
}

/*
 * The same for a directory: every engine measures files, and each run's
 * file (every one of them, with --keep-files) fits the free space. An
 * engine refuses a file that does not fit, but only run by run.
 */
static int check_dir(struct sweep *s, const char *dir, bool io_size_given)
{
	uint64_t free;
	char err[512];
	size_t k;

	for (k = 0; k < s->n_pass; k++) {
		const struct sweep_pass *p = &s->pass[k];

		if (p->lim.no_files) {
			fprintf(stderr, "dsaio-user sweep: --dir: %s%s%s\n",
				s->per_engine ? p->eng->name : "",
				s->per_engine ? ": " : "", p->lim.no_files);
			return -1;
		}
	}
	if (!io_size_given)
		lower_to_mem(s);
	/* a file per handle, each run's with --keep-files */
	if (target_dir_free(dir, &free, err, sizeof(err)) ||
	    target_check_room(dir, s->offset, s->io_size,
			      (s->base.keep_files ? s->runs : 1) * grid_processes(s),
			      free, err, sizeof(err))) {
		fprintf(stderr, "dsaio-user sweep: %s\n", err);
		return -1;
	}
	return 0;
}

/*
 * Every engine takes as many targets as the sweep has (else every point
 * would be refused). A point with more threads than an engine takes is
 * refused by it, point by point, and excluded with the reason.
 */
static int check_counts(const struct sweep *s)
{
	unsigned int n = measure_request_n_targets(&s->base);
	size_t k;

	for (k = 0; k < s->n_pass; k++) {
		const struct engine_limits *l = &s->pass[k].lim;
		const char *who = s->pass[k].eng->who;

		if (n > (l->max_targets ? l->max_targets : DSAIO_MAX_TARGETS)) {
			fprintf(stderr, "dsaio-user sweep: %u targets: %s measures at most %u together (--engine libaio or io_uring take %u)\n",
				n, who, l->max_targets, DSAIO_MAX_TARGETS);
			return -1;
		}
	}
	return 0;
}

/* Each target in turn: a default io_size is lowered to fit them all. */
int sweep_check_region(struct sweep *s, bool io_size_given)
{
	unsigned int i;
	int ret = check_counts(s);

	for (i = 0; !ret && i < measure_request_n_targets(&s->base); i++)
		ret = s->base.kind == TARGET_FILE ?
		      check_dir(s, s->base.targets[i], io_size_given) :
		      check_device(s, s->base.targets[i], io_size_given);
	return ret;
}

int sweep_engine_names(const char *engine, const char *engines,
		       const char **names, int *status)
{
	const char *known[DSAIO_MAX_ENGINES];
	size_t n_known = engine_list_known(dsaio_engine_at, known, DSAIO_MAX_ENGINES);
	char err[512];
	int n;

	if (engine && engines) {
		*status = cli_usage_error("sweep", "--engine and --engines both name the engines; give --engine NAME for one, --engines A,B for several");
		return -1;
	}
	if (engines) {
		n = engine_list_parse(engines, known, n_known, names, DSAIO_MAX_ENGINES,
				      err, sizeof(err));
		if (n < 0)
			*status = cli_usage_error("sweep", "%s", err);
		return n < 0 ? -1 : n;
	}
	if (engine && engine_name_check(engine, known, n_known, err, sizeof(err))) {
		*status = cli_usage_error("sweep", "%s", err);
		return -1;
	}
	names[0] = engine ? engine : dsaio_engine_find(NULL)->name;
	return 1;
}

int sweep_open_engines(struct sweep *s, const char **names, size_t n,
		       bool named)
{
	size_t k;

	for (k = 0; k < n; k++) {
		struct sweep_pass *p = &s->pass[k];

		p->eng = cli_engine_open("sweep", names[k], &p->ctx);
		if (!p->eng) {
			if (!named) {
				const char *known[DSAIO_MAX_ENGINES];

				engine_default_hint(stderr, "sweep", known,
						    engine_list_known(dsaio_engine_at, known,
								      DSAIO_MAX_ENGINES));
			}
			return EXIT_FAIL;
		}
		s->n_pass++;
		if (p->eng->limits(p->ctx, &p->lim)) {
			fprintf(stderr, "dsaio-user sweep: %s%s%s\n",
				s->per_engine ? p->eng->name : "",
				s->per_engine ? ": " : "", p->eng->errmsg(p->ctx));
			return EXIT_FAIL;
		}
	}
	return 0;
}

int sweep_apply_fixed(struct sweep *s)
{
	const char *opt = s->fixed_buffers ? "--fixed-buffers" : "--fixed-files";
	size_t k, n_fixed = 0;

	if (!s->fixed_buffers && !s->fixed_files)
		return 0;
	/* With --engines a comparison of libaio against io_uring with
	 * registration is the point of the option, so the others run as
	 * they are rather than refuse it. */
	for (k = 0; k < s->n_pass; k++) {
		struct sweep_pass *p = &s->pass[k];

		if (!p->lim.fixed)
			continue;
		n_fixed++;
		p->fixed_buffers = s->fixed_buffers;
		p->fixed_files = s->fixed_files;
	}
	if (!n_fixed) {
		if (s->n_pass == 1)
			return cli_usage_error("sweep", "%s registers with io_uring; %s does not take it (--engine io_uring does)",
					       opt, s->pass[0].eng->who);
		return cli_usage_error("sweep", "%s registers with io_uring; none of the engines given takes it (io_uring does)",
				       opt);
	}
	for (k = 0; k < s->n_pass; k++)
		if (!s->pass[k].lim.fixed)
			fprintf(stderr, "dsaio-user sweep: %s: %s runs without it (only io_uring registers)\n",
				opt, s->pass[k].eng->name);
	return 0;
}

int sweep_apply_poll(struct sweep *s)
{
	size_t k, n_poll = 0;

	if (!s->poll)
		return 0;
	for (k = 0; k < s->n_pass; k++) {
		struct sweep_pass *p = &s->pass[k];

		p->poll = p->lim.poll;
		n_poll += p->poll;
	}
	if (!n_poll)
		return cli_usage_error("sweep", "--poll polls the module's bios; %s (the kernel engine of a dsaio.ko with polled mode does)",
				       s->n_pass == 1 ? "this engine does not take it" :
				       "none of the engines given takes it");
	for (k = 0; k < s->n_pass; k++)
		if (!s->pass[k].poll)
			fprintf(stderr, "dsaio-user sweep: --poll: %s runs without it (only the kernel engine polls)\n",
				s->pass[k].eng->name);
	return 0;
}

int sweep_pass_dirs(struct sweep *s)
{
	size_t k;

	for (k = 0; k < s->n_pass; k++) {
		struct sweep_pass *p = &s->pass[k];
		int n;

		/* One engine: LOG_DIR itself, as before there were engines. */
		if (s->per_engine)
			n = snprintf(p->log_dir, sizeof(p->log_dir), "%s/%s",
				     s->log_dir, p->eng->name);
		else
			n = snprintf(p->log_dir, sizeof(p->log_dir), "%s", s->log_dir);
		if (n < 0 || (size_t)n >= sizeof(p->log_dir) ||
		    (size_t)snprintf(p->summary_path, sizeof(p->summary_path), "%s/%s",
				     p->log_dir, SWEEP_SUMMARY_NAME) >= sizeof(p->summary_path)) {
			fprintf(stderr, "dsaio-user sweep: --log-dir too long: %s\n", s->log_dir);
			return -1;
		}
	}
	return 0;
}

