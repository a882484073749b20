// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * --repeat (repeats.h): the runs of a point gathered from a sweep's runs,
 * the median run its log carries, the extra lines DeepSpeed's parsers
 * skip and dsaio's parser reads back (logfile.h), the JSON.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "logfile.h"
#include "repeats.h"
#include "units.h"

#define GIB (1ULL << 30)

/* A run moving 1 GiB at gbs GB/s (GB = 2^30 bytes). */
static struct measurement run(enum dsaio_user_op op, unsigned int qd, double gbs)
{
	struct measurement m;

	memset(&m, 0, sizeof(m));
	m.op = op;
	m.params.block_size = 1 << 20;
	m.params.queue_depth = qd;
	m.params.io_parallel = 1;
	m.params.processes = 1;
	m.bytes = GIB;
	m.e2e_ns = (uint64_t)(1e9 / gbs);
	m.task_ns = (uint64_t)(0.99e9 / gbs);	/* Task a little faster */
	m.have_figures = true;
	return m;
}

int main(void)
{
	/* three passes over two points, writes then reads, as a sweep runs */
	struct measurement res[] = {
		run(OP_WRITE, 8, 1.0), run(OP_WRITE, 32, 2.0), run(OP_READ, 8, 3.0),
		run(OP_WRITE, 32, 2.2), run(OP_WRITE, 8, 0.5), run(OP_READ, 8, 3.3),
		run(OP_WRITE, 8, 1.1), run(OP_WRITE, 32, 1.8), run(OP_READ, 8, 2.7),
	};
	size_t n = sizeof(res) / sizeof(res[0]);
	struct dsaio_runs r, none;
	struct measurement med;
	struct dsaio_log_entry e;
	char *text = NULL, err[256];
	size_t len = 0;
	json_object *j, *v;
	FILE *f;

	ok(dsaio_runs_gather(res, n, &res[0].params, OP_WRITE, 0.95, &r) == 3,
	   "gather: the three writes of the point, not the other point's or the reads");
	ok(r.idx[0] == 0 && r.idx[1] == 4 && r.idx[2] == 6, "gather: in run order");
	ok(fabs((r.e2e_sp.median) - (1.0)) < 1e-6, "gather: the median");
	ok(r.e2e_sp.min < 0.5001 && r.e2e_sp.max > 1.0999 && r.e2e_sp.have_interval &&
	   r.e2e_sp.lo < 1.0 && r.e2e_sp.hi > 1.0, "gather: min-max and an interval about the median");
	ok(dsaio_runs_gather(res, n, &res[1].params, OP_READ, 0.95, &none) == 0,
	   "gather: an op not measured at the point has no run");

	med = dsaio_runs_median(res, &r);
	ok(fabs(dsaio_gb_per_sec(med.bytes, med.e2e_ns) - r.e2e_sp.median) < 1e-6,
	   "median run: its E2E speed is the median");
	ok(fabs(dsaio_gb_per_sec(med.bytes, med.task_ns) - r.task_sp.median) < 1e-6,
	   "median run: its Task speed is the Task median");

	/* the point's log: DeepSpeed's line, then ours */
	f = open_memstream(&text, &len);
	fprintf(f, "E2E Write Speed = %.9f GB/sec\n", r.e2e_sp.median);
	ok(dsaio_runs_log_lines(f, OP_WRITE, &r) >= 0, "log lines written");
	fclose(f);
	ok(strstr(text, "\nSpread E2E Write Speed = 0.500000 .. 1.100000 GB/sec, 95 % interval ") &&
	   strstr(text, ", 3 repeats\n") && strstr(text, "\nSpread Task Write Speed = ") &&
	   strstr(text, "\nRepeats E2E Write Speed = 1 0.5 1.1 GB/sec\n"),
	   "log lines: spread of E2E and Task, every run's speed");
	ok(!strstr(strchr(text, '\n') + 1, "\nE2E") && !strstr(text, "\nTask"),
	   "log lines: none starts with E2E or Task (DeepSpeed's parsers skip them)");
	f = fmemopen(text, strlen(text), "r");
	memset(&e, 0, sizeof(e));
	ok(dsaio_log_parse(f, OP_WRITE, &e, err, sizeof(err)) == 0 &&
	   e.n_samples == 3 && e.samples[1] == 0.5 && e.samples[2] == 1.1,
	   "parse: the repeats read back");
	ok(fabs((e.e2e_speed_gbs) - (1.0)) < 1e-6, "parse: the E2E line is the median, not a Spread line");
	fclose(f);
	free(text);

	{
		static char bad[] = "E2E Write Speed = 1 GB/sec\nRepeats E2E Write Speed = 1 x GB/sec\n";

		f = fmemopen(bad, strlen(bad), "r");
	}
	ok(dsaio_log_parse(f, OP_WRITE, &e, err, sizeof(err)) != 0 && strstr(err, "Repeats"),
	   "parse: a bad Repeats line is an error that says which line (%s)", err);
	fclose(f);

	j = json_object_new_object();
	ok(dsaio_runs_json_add(j, &r) == 0 && json_object_object_get_ex(j, "repeats", &v) &&
	   json_object_get_int(v) == 3, "json: repeats");
	ok(json_object_object_get_ex(j, "e2e_speed_ci95_gbs", &v) &&
	   json_object_array_length(v) == 2, "json: the interval");
	ok(json_object_object_get_ex(j, "e2e_speed_samples_gbs", &v) &&
	   json_object_array_length(v) == 3, "json: every run");
	json_object_put(j);

	dsaio_runs_gather(res, 1, &res[0].params, OP_WRITE, 0.95, &r);
	j = json_object_new_object();
	ok(r.n == 1 && dsaio_runs_json_add(j, &r) == 0 &&
	   json_object_object_get_ex(j, "e2e_speed_ci95_gbs", &v) && !v,
	   "one run: no interval, null");
	json_object_put(j);
	return done();
}
