// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Human and JSON renderings of results. The first four lines of a run are
 * exactly DeepSpeed's (report_results() in test_ds_aio_utils.py), so the
 * same text serves the terminal and the DeepSpeed-format log; the lines
 * after them are dsaio's own, and none starts like a line DeepSpeed's
 * parser looks for.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "report.h"
#include "sweepparam.h"
#include "units.h"

static const char *op_word(enum dsaio_user_op op)
{
	return op == OP_READ ? "Read" : "Write";
}

static void speed_cell(char *buf, size_t len, bool have, double v);

static double iops_of(const struct measurement *r)
{
	return r->task_ns ? (double)r->requests / ((double)r->task_ns / 1e9)
			  : 0.0;
}

void dsaio_report_run(FILE *f, const struct measurement *r)
{
	char v[64];
	const char *w = op_word(r->op);

	dsaio_format_double((double)r->task_ns / 1e9, v, sizeof(v));
	fprintf(f, "Task %s Latency = %s sec\n", w, v);
	dsaio_format_double(dsaio_gb_per_sec(r->bytes, r->task_ns), v,
			    sizeof(v));
	fprintf(f, "Task %s Speed = %s GB/sec\n", w, v);
	dsaio_format_double((double)r->e2e_ns / 1e9, v, sizeof(v));
	fprintf(f, "E2E %s Latency = %s sec\n", w, v);
	dsaio_format_double(dsaio_gb_per_sec(r->bytes, r->e2e_ns), v,
			    sizeof(v));
	fprintf(f, "E2E %s Speed = %s GB/sec\n", w, v);
	/* After DeepSpeed's four, on a line its parsers do not match. */
	dsaio_format_double((double)r->setup_ns / 1e9, v, sizeof(v));
	fprintf(f, "Setup %s Latency = %s sec\n", w, v);

	fprintf(f, "IOPS = %.0f\n", iops_of(r));
	fprintf(f, "Latency (usec): min = %.1f, mean = %.1f",
		r->lat_min_ns / 1e3, r->lat_mean_ns / 1e3);
	if (r->have_pct)
		fprintf(f, ", p50 = %.1f, p90 = %.1f, p99 = %.1f, p99.9 = %.1f",
			r->pct.p50 / 1e3, r->pct.p90 / 1e3, r->pct.p99 / 1e3,
			r->pct.p999 / 1e3);
	fprintf(f, ", max = %.1f\n", r->lat_max_ns / 1e3);
	fprintf(f, "Requests = %" PRIu64 ", errors = %" PRIu64 "\n",
		r->requests, r->errors);
	/* What the engine held against what DeepSpeed's handle pins: io_size. */
	if (r->buf_bytes)
		fprintf(f, "Buffer memory = %" PRIu64 " bytes (%.4g x io_size)\n",
			r->buf_bytes, r->io_size ?
			(double)r->buf_bytes / (double)r->io_size : 0.0);
	if (r->mismatches)
		fprintf(f, "Mismatches = %" PRIu64 " (first at byte %" PRIu64
			")\n", r->mismatches, r->first_mismatch);
	else
		fprintf(f, "Mismatches = 0\n");
}

/* json-c's add functions only fail on allocation; callers check the
 * final object, and a partial object is freed by its owner. */
int dsaio_json_add(json_object *o, const char *k, json_object *v)
{
	if (!v)
		return -1;
	if (json_object_object_add(o, k, v)) {
		json_object_put(v);
		return -1;
	}
	return 0;
}

/* {"min", "mean", "p50", ..., "max"} in ns; percentiles when known. */
static json_object *latency_json(uint64_t min, uint64_t mean, uint64_t max,
				 const struct dsaio_percentiles *pct)
{
	json_object *lat = json_object_new_object();
	int e = 0;

	if (!lat)
		return NULL;
	e |= dsaio_json_add(lat, "min", json_object_new_int64((int64_t)min));
	e |= dsaio_json_add(lat, "mean", json_object_new_int64((int64_t)mean));
	if (pct) {
		e |= dsaio_json_add(lat, "p50", json_object_new_int64((int64_t)pct->p50));
		e |= dsaio_json_add(lat, "p90", json_object_new_int64((int64_t)pct->p90));
		e |= dsaio_json_add(lat, "p99", json_object_new_int64((int64_t)pct->p99));
		e |= dsaio_json_add(lat, "p99.9",
				    json_object_new_int64((int64_t)pct->p999));
	}
	e |= dsaio_json_add(lat, "max", json_object_new_int64((int64_t)max));
	if (e) {
		json_object_put(lat);
		return NULL;
	}
	return lat;
}

json_object *dsaio_result_json(const struct measurement *r)
{
	json_object *o = json_object_new_object();
	const struct dsaio_params *p = &r->params;
	int e = 0;

	if (!o)
		return NULL;
	e |= dsaio_json_add(o, "op", json_object_new_string(r->op == OP_READ ? "read" :
						  "write"));
	e |= dsaio_params_json_add(o, p);
	e |= dsaio_json_add(o, "io_size", json_object_new_int64((int64_t)r->io_size));
	e |= dsaio_json_add(o, "loops", json_object_new_int64(r->loops));
	e |= dsaio_json_add(o, "warmup_loops", json_object_new_int64(r->warmup_loops));
	e |= dsaio_json_add(o, "order", json_object_new_string(r->random ? "random" : "sequential"));
	e |= dsaio_json_add(o, "task_latency_sec",
			    json_object_new_double(r->task_ns / 1e9));
	e |= dsaio_json_add(o, "task_speed_gbs",
			    json_object_new_double(dsaio_gb_per_sec(r->bytes, r->task_ns)));
	e |= dsaio_json_add(o, "e2e_latency_sec",
			    json_object_new_double(r->e2e_ns / 1e9));
	e |= dsaio_json_add(o, "e2e_speed_gbs",
			    json_object_new_double(dsaio_gb_per_sec(r->bytes, r->e2e_ns)));
	e |= dsaio_json_add(o, "setup_latency_sec",
			    json_object_new_double(r->setup_ns / 1e9));
	e |= dsaio_json_add(o, "bytes", json_object_new_int64((int64_t)r->bytes));
	e |= dsaio_json_add(o, "requests", json_object_new_int64((int64_t)r->requests));
	e |= dsaio_json_add(o, "errors", json_object_new_int64((int64_t)r->errors));
	e |= dsaio_json_add(o, "iops", json_object_new_double(iops_of(r)));
	/* 0: the engine did not say (a module without DSAIO_RES_BUF_BYTES) */
	e |= dsaio_json_add(o, "buffer_bytes",
			    json_object_new_int64((int64_t)r->buf_bytes));
	e |= dsaio_json_add(o, "latency_ns", latency_json(r->lat_min_ns, r->lat_mean_ns,
			    r->lat_max_ns, r->have_pct ? &r->pct : NULL));
	e |= dsaio_json_add(o, "mismatches",
			    json_object_new_int64((int64_t)r->mismatches));
	if (r->mismatches)
		e |= dsaio_json_add(o, "first_mismatch",
				    json_object_new_int64((int64_t)r->first_mismatch));
	if (e) {
		json_object_put(o);
		return NULL;
	}
	return o;
}

void dsaio_report_parts(FILE *f, const struct measurement *r,
			const double *alone_gbs)
{
	size_t i;

	if (r->n_parts < 2)
		return;	/* one target: the figures above are its own */
	fprintf(f, "Targets together: %zu (each E2E: the release to its own last completion)\n",
		r->n_parts);
	fprintf(f, "  %-3s %10s %10s%s %10s %8s %10s %-9s %s\n", "#", "E2E GB/s",
		"Task GB/s", alone_gbs ? " alone GB/s" : "", "E2E s", "errors",
		"p99 us", "state", "target");
	for (i = 0; i < r->n_parts; i++) {
		const struct measurement_part *p = &r->parts[i];
		char alone[24] = "", p99[16] = "-";

		if (alone_gbs) {
			alone[0] = ' ';
			speed_cell(alone + 1, sizeof(alone) - 1, alone_gbs[i] >= 0, alone_gbs[i]);
		}
		if (p->have_pct)
			snprintf(p99, sizeof(p99), "%.1f", p->pct.p99 / 1e3);
		fprintf(f, "  %-3zu %10.3f %10.3f%*s %10.6f %8" PRIu64 " %10s %-9s %s\n",
			i + 1, dsaio_gb_per_sec(p->bytes, p->e2e_ns),
			dsaio_gb_per_sec(p->bytes, p->task_ns), alone_gbs ? 11 : 0, alone,
			p->e2e_ns / 1e9, p->errors, p99,
			p->error ? "failed" : measurement_state_name(p->state), p->target.path);
	}
}

json_object *dsaio_parts_json(const struct measurement *r, const double *alone_gbs)
{
	json_object *arr = json_object_new_array();
	size_t i;

	for (i = 0; arr && i < r->n_parts; i++) {
		const struct measurement_part *p = &r->parts[i];
		json_object *o = json_object_new_object();
		int e = 0;

		if (!o || json_object_array_add(arr, o)) {
			json_object_put(o);
			json_object_put(arr);
			return NULL;
		}
		e |= dsaio_json_add(o, "index", json_object_new_int64((int64_t)i + 1));
		e |= dsaio_json_add(o, "target", dsaio_target_json(&p->target, true));
		e |= dsaio_json_add(o, "state",
				    json_object_new_string(p->error ? "failed" :
							    measurement_state_name(p->state)));
		e |= dsaio_json_add(o, "error", json_object_new_int(p->error));
		e |= dsaio_json_add(o, "task_latency_sec",
				    json_object_new_double(p->task_ns / 1e9));
		e |= dsaio_json_add(o, "task_speed_gbs",
				    json_object_new_double(dsaio_gb_per_sec(p->bytes, p->task_ns)));
		e |= dsaio_json_add(o, "e2e_latency_sec",
				    json_object_new_double(p->e2e_ns / 1e9));
		e |= dsaio_json_add(o, "e2e_speed_gbs",
				    json_object_new_double(dsaio_gb_per_sec(p->bytes, p->e2e_ns)));
		e |= dsaio_json_add(o, "bytes", json_object_new_int64((int64_t)p->bytes));
		e |= dsaio_json_add(o, "requests",
				    json_object_new_int64((int64_t)p->requests));
		e |= dsaio_json_add(o, "errors",
				    json_object_new_int64((int64_t)p->errors));
		e |= dsaio_json_add(o, "latency_ns",
				    latency_json(p->lat_min_ns, p->lat_mean_ns,
						       p->lat_max_ns, p->have_pct ? &p->pct : NULL));
		e |= dsaio_json_add(o, "mismatches",
				    json_object_new_int64((int64_t)p->mismatches));
		if (p->mismatches)
			e |= dsaio_json_add(o, "first_mismatch",
					    json_object_new_int64((int64_t)p->first_mismatch));
		if (alone_gbs && alone_gbs[i] >= 0)
			e |= dsaio_json_add(o, "alone_e2e_speed_gbs",
					    json_object_new_double(alone_gbs[i]));
		if (e) {
			json_object_put(arr);
			return NULL;
		}
	}
	return arr;
}

void dsaio_target_describe(const struct measurement_target *t, char *buf,
			   size_t len)
{
	const char *path = t->path[0] ? t->path : "(unknown)";

	if (t->kind == TARGET_BDEV && t->have_details)
		snprintf(buf, len, "%s (%s, %u-byte blocks)", path, t->device,
			 t->align);
	else if (t->kind == TARGET_BDEV)
		snprintf(buf, len, "%s", path);
	else if (t->have_details)
		snprintf(buf, len, "file %s in %s (%s on %s, %u-byte alignment)",
			 t->file, path, t->fstype[0] ? t->fstype : "a filesystem",
			 t->device, t->align);
	else
		snprintf(buf, len, "a file in %s", path);
}

void dsaio_report_target(FILE *f, const struct measurement_target *t)
{
	char d[2 * DSAIO_TARGET_PATH_MAX];

	dsaio_target_describe(t, d, sizeof(d));
	fprintf(f, "Target: %s\n", d);
}

json_object *dsaio_target_json(const struct measurement_target *t,
			       bool with_file)
{
	json_object *o = json_object_new_object();
	bool file = t->kind == TARGET_FILE;
	int e = 0;

	if (!o)
		return NULL;
	e |= dsaio_json_add(o, "kind", json_object_new_string(file ? "file" : "bdev"));
	e |= dsaio_json_add(o, "path", json_object_new_string(t->path));
	if (t->have_details) {
		e |= dsaio_json_add(o, "device", json_object_new_string(t->device));
		if (file)
			e |= dsaio_json_add(o, "fstype",
					    json_object_new_string(t->fstype));
		if (file && with_file)
			e |= dsaio_json_add(o, "file", json_object_new_string(t->file));
		e |= dsaio_json_add(o, "align", json_object_new_int64(t->align));
	}
	if (e) {
		json_object_put(o);
		return NULL;
	}
	return o;
}

static void speed_cell(char *buf, size_t len, bool have, double v)
{
	if (have)
		snprintf(buf, len, "%.3f", v);
	else
		snprintf(buf, len, "-");	/* not measured, counts 0 */
}

/* Whether sp is shown: a column, or set where only then it is one. */
static bool shown(const struct sweep_param *sp, const struct dsaio_params *p,
		  bool table, bool wide)
{
	if (sp->column)
		return true;
	if (!sp->column_if_set)
		return false;
	return table ? wide : p && sweep_param_shown(sp, p) != sp->dflt;
}

bool dsaio_report_params_wide(const struct dsaio_params *p, size_t n)
{
	size_t i, k;

	for (k = 0; k < dsaio_n_sweep_params; k++) {
		const struct sweep_param *sp = &dsaio_sweep_params[k];

		for (i = 0; sp->column_if_set && i < n; i++)
			if (sweep_param_shown(sp, &p[i]) != sp->dflt)
				return true;
	}
	return false;
}

void dsaio_report_params(FILE *f, const struct dsaio_params *p, bool table)
{
	dsaio_report_params_ext(f, p, table, false);
}

void dsaio_report_params_ext(FILE *f, const struct dsaio_params *p, bool table,
			     bool wide)
{
	const char *sep = "";
	size_t i;

	for (i = 0; i < dsaio_n_sweep_params; i++) {
		const struct sweep_param *sp = sweep_param_nth(SPO_TABLE, i);
		char v[DSAIO_SIZE_STR_MAX];

		if (!shown(sp, p, table, wide))
			continue;
		if (p)
			sweep_param_cell(sp, p, v, sizeof(v));
		if (table)
			fprintf(f, " %*s", (int)strlen(sp->key), p ? v : sp->key);
		else
			fprintf(f, "%s%s %s", sep, sp->key, v);
		sep = ", ";
	}
}

size_t dsaio_report_params_width(bool wide)
{
	size_t i, w = 0;

	for (i = 0; i < dsaio_n_sweep_params; i++) {
		const struct sweep_param *sp = sweep_param_nth(SPO_TABLE, i);

		if (shown(sp, NULL, true, wide))
			w += 1 + strlen(sp->key);
	}
	return w;
}

void dsaio_report_ranked(FILE *f, const struct dsaio_ranked *r, size_t n,
			 size_t max_rows)
{
	dsaio_report_ranked_ties(f, r, n, max_rows, NULL);
}

void dsaio_report_ranked_ties(FILE *f, const struct dsaio_ranked *r, size_t n,
			      size_t max_rows, const bool *tied)
{
	size_t i, nc = 0;
	bool wide = false;

	while (nc < n && r[nc].complete)
		nc++;		/* complete points come first */
	if (max_rows == 0 || max_rows > nc)
		max_rows = nc;
	for (i = 0; i < n && !wide; i++)
		wide = dsaio_report_params_wide(&r[i].params, 1);
	fprintf(f, "%4s", "rank");
	dsaio_report_params_ext(f, NULL, true, wide);
	fprintf(f, " %10s %10s %10s%s\n", "read GB/s", "write GB/s", "sum",
		tied ? " tie" : "");
	for (i = 0; i < max_rows; i++) {
		char rd[32], wr[32];

		speed_cell(rd, sizeof(rd), r[i].have_read, r[i].read_gbs);
		speed_cell(wr, sizeof(wr), r[i].have_write, r[i].write_gbs);
		fprintf(f, "%4zu", i + 1);
		dsaio_report_params_ext(f, &r[i].params, true, wide);
		fprintf(f, " %10s %10s %10.3f%s\n", rd, wr,
			r[i].read_gbs + r[i].write_gbs,
			!tied ? "" : tied[i] ? "   *" : "    ");
	}
	if (max_rows < nc)
		fprintf(f, "(%zu more not shown)\n", nc - max_rows);
	if (nc == n)
		return;
	/* Every excluded point, however many: each is a failed measurement
	 * the user has to know about. */
	fprintf(f, "\nExcluded, never recommended (%zu):\n", n - nc);
	for (i = nc; i < n; i++) {
		fprintf(f, "  ");
		dsaio_report_params(f, &r[i].params, false);
		fprintf(f, ": %s\n", r[i].reason);
	}
}

int dsaio_params_json_add(json_object *o, const struct dsaio_params *p)
{
	size_t i;
	int e = 0;

	for (i = 0; i < dsaio_n_sweep_params; i++) {
		const struct sweep_param *sp = sweep_param_nth(SPO_JSON, i);
		uint64_t v = sweep_param_get(sp, p);

		e |= dsaio_json_add(o, sp->key, sp->kind == SP_BOOL ?
			 json_object_new_boolean(v != 0) :
			 json_object_new_int64((int64_t)v));
	}
	return e ? -1 : 0;
}

json_object *dsaio_params_json(const struct dsaio_params *p)
{
	json_object *o = json_object_new_object();
	int e = 0;

	if (!o)
		return NULL;
	e |= dsaio_params_json_add(o, p);
	if (e) {
		json_object_put(o);
		return NULL;
	}
	return o;
}

json_object *dsaio_excluded_json(const struct dsaio_ranked *r, size_t n)
{
	json_object *arr = json_object_new_array();
	size_t i;

	for (i = 0; arr && i < n; i++) {
		json_object *o;

		if (r[i].complete)
			continue;
		o = dsaio_params_json(&r[i].params);
		if (!o || dsaio_json_add(o, "reason",
					 json_object_new_string(r[i].reason)) ||
		    json_object_array_add(arr, o)) {
			json_object_put(o);
			json_object_put(arr);
			return NULL;
		}
	}
	return arr;
}

const char *dsaio_job_label(const struct measurement *r, char *buf, size_t len)
{
	if (r->job_id)
		snprintf(buf, len, "job %u", r->job_id);
	else
		snprintf(buf, len, "the measurement");
	return buf;
}
