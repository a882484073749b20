// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The text of one DeepSpeed-format run log.
 *
 * DeepSpeed's parsers (parse_aio_stats.py, deepspeed/nvme/
 * parse_nvme_stats.py) read a log line by line, take the FIRST line that
 * starts with "E2E Read Speed" (or "E2E Write Speed") and use its
 * second-to-last whitespace field as a float; every other line is ignored.
 * dsaio writes DeepSpeed's four Task/E2E lines with the same words and
 * Python-style numbers, and puts its own information on lines that start
 * with other words: "Setup Read Latency = ... sec" (set-up, which is in
 * neither Task nor E2E) starts with neither "Task" nor "E2E", so DeepSpeed
 * ignores it; dsaio reads it back when present. The header names what
 * was measured: "device = /dev/nvme0n1", or for a file (--dir) "target =
 * file dsaio-7.dat in /mnt/nvme (xfs on nvme1n1, 4096-byte alignment)",
 * and then what measured it, "engine = libaio"; no header line starts
 * with "Task", "E2E" or "Setup", so the parsers skip them all.
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "logfile.h"
#include "report.h"
#include "sweepparam.h"
#include "units.h"

int dsaio_log_write(FILE *f, const char *dev, const char *engine,
		    const struct measurement *r)
{
	const struct dsaio_params *p = &r->params;
	size_t i;

	/* Neutral: the engine line says in-kernel or user space. */
	fprintf(f, "dsaio-user: block I/O measurement "
		"(DeepSpeed aio semantics)\n");
	if (r->target.kind == TARGET_FILE && r->n_parts > 1) {
		char d[2 * DSAIO_TARGET_PATH_MAX];

		for (i = 0; i < r->n_parts; i++) {
			dsaio_target_describe(&r->parts[i].target, d, sizeof(d));
			fprintf(f, "target %zu = %s\n", i + 1, d);
		}
	} else if (r->target.kind == TARGET_FILE) {
		char d[2 * DSAIO_TARGET_PATH_MAX];

		/* A file has no device node to name; the sentence of `run`. */
		dsaio_target_describe(&r->target, d, sizeof(d));
		fprintf(f, "target = %s\n", d);
	} else {
		fprintf(f, "device = %s\n", dev ? dev : "(unknown)");
	}
	if (engine)
		fprintf(f, "engine = %s\n", engine);
	fprintf(f, "op = %s", r->op == OP_READ ? "read" : "write");
	for (i = 0; i < dsaio_n_sweep_params; i++) {
		const struct sweep_param *sp = sweep_param_nth(SPO_TABLE, i);
		char v[DSAIO_SIZE_STR_MAX];

		sweep_param_cell(sp, p, v, sizeof(v));
		if (sp->kind == SP_SIZE)	/* bytes, and as a size */
			fprintf(f, ", %s = %" PRIu64 " (%s)", sp->key,
				sweep_param_get(sp, p), v);
		else
			fprintf(f, ", %s = %s", sp->key, v);
	}
	fprintf(f, "\n");
	fprintf(f, "io_size = %" PRIu64 " bytes, loops = %u, warmup_loops = %u (not timed)\n",
		r->io_size, r->loops, r->warmup_loops);
	/* DeepSpeed's lines are the aggregate, as ds_io prints them for
	 * several folders; each target's figures follow on their own rows. */
	dsaio_report_run(f, r);
	dsaio_report_parts(f, r, NULL);
	if (fflush(f) == EOF || ferror(f))
		return errno ? -errno : -EIO;
	return 0;
}

/* DeepSpeed's fields[-2] of line.split(), as a finite number >= 0. */
static int metric_value(const char *line, double *out, char *err,
			size_t errlen, const char *what)
{
	char buf[512], *tok, *save = NULL, *prev = NULL, *last = NULL, *end;
	double v;

	snprintf(buf, sizeof(buf), "%s", line);
	for (tok = strtok_r(buf, " \t\r\n\v\f", &save); tok;
	     tok = strtok_r(NULL, " \t\r\n\v\f", &save)) {
		prev = last;
		last = tok;
	}
	if (!prev) {
		snprintf(err, errlen, "the '%s' line has no value", what);
		return -EINVAL;
	}
	errno = 0;
	v = strtod(prev, &end);
	if (errno || *end != '\0' || end == prev || !isfinite(v) || v < 0) {
		snprintf(err, errlen, "the '%s' value '%s' is not a number",
			 what, prev);
		return -EINVAL;
	}
	*out = v;
	return 0;
}

/* "a b c GB/sec": the repeats' speeds, each > 0. */
static int samples_value(const char *s, struct dsaio_log_entry *e,
			 char *err, size_t errlen)
{
	while (*s == ' ')
		s++;
	while (*s && strncmp(s, "GB/sec", 6)) {
		char *end;
		double v;

		errno = 0;
		v = strtod(s, &end);
		if (errno || end == s || !isfinite(v) || v <= 0 ||
		    e->n_samples == DSAIO_LOG_SAMPLES_MAX) {
			snprintf(err, errlen, "the Repeats line's speeds are not up to %d numbers > 0",
				 DSAIO_LOG_SAMPLES_MAX);
			e->n_samples = 0;
			return -EINVAL;
		}
		e->samples[e->n_samples++] = v;
		for (s = end; *s == ' '; s++)
			;
	}
	return 0;
}

int dsaio_log_parse(FILE *f, enum dsaio_user_op op,
		    struct dsaio_log_entry *e, char *err, size_t errlen)
{
	const char *w = op == OP_READ ? "Read" : "Write";
	enum { NKEYS = 5 };
	char keys[NKEYS][32], rkey[40];
	double *vals[NKEYS] = { &e->task_latency_s, &e->task_speed_gbs,
				&e->e2e_latency_s, &e->e2e_speed_gbs,
				&e->setup_latency_s };
	bool found[NKEYS] = { false, false, false, false, false };
	char *line = NULL;
	size_t cap = 0;
	int k, rc = 0;

	snprintf(keys[0], sizeof(keys[0]), "Task %s Latency", w);
	snprintf(keys[1], sizeof(keys[1]), "Task %s Speed", w);
	snprintf(keys[2], sizeof(keys[2]), "E2E %s Latency", w);
	snprintf(keys[3], sizeof(keys[3]), "E2E %s Speed", w);
	snprintf(keys[4], sizeof(keys[4]), "Setup %s Latency", w);
	e->op = op;
	e->have_task = e->have_setup = false;
	e->task_latency_s = e->task_speed_gbs = 0;
	e->e2e_latency_s = e->e2e_speed_gbs = 0;
	e->setup_latency_s = 0;

	snprintf(rkey, sizeof(rkey), "Repeats E2E %s Speed = ", w);
	e->n_samples = 0;
	errno = 0;
	while (getline(&line, &cap, f) != -1) {
		if (!e->n_samples && !strncmp(line, rkey, strlen(rkey))) {
			rc = samples_value(line + strlen(rkey), e, err, errlen);
			if (rc)
				goto out;
		}
		for (k = 0; k < NKEYS; k++) {
			/* Like DeepSpeed: the first matching line wins. */
			if (found[k] || strncmp(line, keys[k], strlen(keys[k])))
				continue;
			rc = metric_value(line, vals[k], err, errlen, keys[k]);
			if (rc)
				goto out;
			found[k] = true;
		}
	}
	if (ferror(f)) {
		rc = errno ? -errno : -EIO;
		snprintf(err, errlen, "read error: %s", strerror(-rc));
		goto out;
	}
	if (!found[3]) {
		snprintf(err, errlen, "no '%s' line (the run failed or the "
			 "log is not a DeepSpeed/dsaio log)", keys[3]);
		rc = -EINVAL;
		goto out;
	}
	e->have_task = found[0] && found[1];
	e->have_setup = found[4];	/* optional: old and DeepSpeed's logs */
out:
	free(line);
	return rc;
}
