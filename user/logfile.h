/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* The text of one DeepSpeed-format run log: writing and reading it back. */
#ifndef DSAIO_USER_LOGFILE_H
#define DSAIO_USER_LOGFILE_H

#include <stdbool.h>
#include <stdio.h>
#include "model.h"

/* What a log says, whoever wrote it (DeepSpeed or dsaio). */
/* The most repeats a log lists (as --repeat allows). */
#define DSAIO_LOG_SAMPLES_MAX	16

struct dsaio_log_entry {
	char name[256];			/* file name, no directory */
	enum dsaio_user_op op;
	struct dsaio_params params;	/* from the file name */
	bool have_task;
	double task_latency_s, task_speed_gbs;
	double e2e_latency_s, e2e_speed_gbs;	/* present unless failed */
	/* dsaio's "Setup ... Latency" line; DeepSpeed's logs have none. */
	bool have_setup;
	double setup_latency_s;
	/*
	 * --repeat: every run's E2E speed, from dsaio's "Repeats E2E ...
	 * Speed = a b c GB/sec" line (the E2E line is their median); n 0
	 * in a log of one run and in DeepSpeed's.
	 */
	size_t n_samples;
	double samples[DSAIO_LOG_SAMPLES_MAX];
	/*
	 * A point's op that was asked for but has no usable figure: a log
	 * that does not parse, or a sweep run that failed. Such an entry is
	 * never ranked; failure says why, without the op ("job 12 failed:
	 * Input/output error").
	 */
	bool failed;
	char failure[600];
};

/*
 * Writes the log of one measurement in DeepSpeed's format (the lines its
 * parse_aio_stats.py reads, plus dsaio's extra lines it ignores). dev
 * names the device targets ("A, B" for several); a file target
 * (r->target, or each of r->parts) is named by its own header line. With
 * several targets DeepSpeed's four lines are the aggregate and a table
 * of each target's figures follows. engine, the name of the engine that measured ("kernel",
 * "libaio"), is the header line after that; NULL leaves it out, as in
 * the logs of a dsaio-user before engines. Returns 0 or a negative errno.
 */
int dsaio_log_write(FILE *f, const char *dev, const char *engine,
		    const struct measurement *r);

/*
 * Reads the metric lines of a log already opened; op picks Read or Write.
 * Returns 0, or -EINVAL with a sentence in err when no E2E speed line is
 * found or a value does not parse.
 */
int dsaio_log_parse(FILE *f, enum dsaio_user_op op,
		    struct dsaio_log_entry *e, char *err, size_t errlen);

/*
 * Reads every log under dir/_aio_bench_read_logs and
 * dir/_aio_bench_write_logs (and logs directly in dir, as DeepSpeed's
 * parser accepts). A file whose name is not a log name is reported on
 * stderr and skipped; a log that cannot be read or parsed is reported on
 * stderr by name and returned as a failed entry (failed, failure), so a
 * ranking sees that its point's op did not measure. *out is malloc'd;
 * returns count or -errno.
 */
int dsaio_logdir_read(const char *dir, struct dsaio_log_entry **out);

/*
 * DeepSpeed's order: parse_aio_stats.py sorts the tuples of a name's '_'
 * fields (strings as strings, t/d/p/bs as integers). Names of the 2021
 * scheme sort before current ones (Python cannot compare those at all).
 */
int dsaio_log_entry_cmp(const struct dsaio_log_entry *a,
			const struct dsaio_log_entry *b);
#endif
