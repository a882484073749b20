/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* Human and JSON renderings of results: run output, ranked table, summary. */
#ifndef DSAIO_USER_REPORT_H
#define DSAIO_USER_REPORT_H

#include <stdio.h>
#include <json-c/json.h>
#include "model.h"
#include "optimum.h"

/* How every pretty-printed JSON document of the tool looks. */
#define DSAIO_JSON_PRETTY (JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED | \
			   JSON_C_TO_STRING_NOSLASHESCAPE)

/* DeepSpeed's four Task/E2E lines, then IOPS, percentiles, errors. */
void dsaio_report_run(FILE *f, const struct measurement *r);

/* "job 7" for the module's jobs; "the measurement" where there is no id
 * (the user-space engines). Returns buf. */
const char *dsaio_job_label(const struct measurement *r, char *buf, size_t len);

/*
 * What was measured, in words: "/dev/nvme0n1 (nvme0n1, 512-byte blocks)"
 * or "file dsaio-7.dat in /mnt/nvme (xfs on nvme1n1, 4096-byte
 * alignment)"; without the engine's details the path alone.
 */
void dsaio_target_describe(const struct measurement_target *t, char *buf,
			   size_t len);

/* "Target: <dsaio_target_describe()>" on one line. */
void dsaio_report_target(FILE *f, const struct measurement_target *t);

/*
 * {"kind": "file"|"bdev", "path", "device", "fstype", "file", "align"}:
 * device and align when the engine said, fstype and file for files only.
 * with_file false leaves "file" out (each run of a sweep has its own).
 * NULL when out of memory.
 */
json_object *dsaio_target_json(const struct measurement_target *t,
			       bool with_file);

/*
 * The targets of a measurement of several (r->parts), one row each: E2E
 * and Task speed, alone_gbs[i] when given (each measured alone; < 0 not
 * measured), E2E seconds, errors, p99, state, path. Nothing for one
 * target. Rows start with their number, so no DeepSpeed parser takes
 * one for its aggregate lines.
 */
void dsaio_report_parts(FILE *f, const struct measurement *r,
			const double *alone_gbs);

/*
 * [{"index" (from 1), "target", "state", "error", the speeds and
 * latencies as dsaio_result_json() names them, "alone_e2e_speed_gbs"
 * when alone_gbs[i] >= 0}] of r->parts; NULL when out of memory.
 */
json_object *dsaio_parts_json(const struct measurement *r, const double *alone_gbs);

/* One measurement as a JSON object (parameters, speeds, percentiles). */
json_object *dsaio_result_json(const struct measurement *r);

/*
 * A point's parameters as the ranked table shows them (p NULL: the
 * header), each column as wide as its name, or in a sentence
 * ("block_size 1M, queue_depth 32, ...") when !table, as the excluded
 * points are listed.
 */
void dsaio_report_params(FILE *f, const struct dsaio_params *p, bool table);
/*
 * The same, with the columns shown only where set (threads) when wide:
 * a table whose points have any (dsaio_report_params_wide()). A sentence
 * names such a parameter when p's is not its default.
 */
void dsaio_report_params_ext(FILE *f, const struct dsaio_params *p, bool table,
			     bool wide);
/* Whether any of the n points has a parameter shown only where set. */
bool dsaio_report_params_wide(const struct dsaio_params *p, size_t n);
/* How wide dsaio_report_params_ext() prints the table's columns. */
size_t dsaio_report_params_width(bool wide);

/*
 * The ranked table of the complete points (those dsaio_rank() put first),
 * best first, at most max_rows rows (0: all), then every excluded point
 * with its reason.
 */
void dsaio_report_ranked(FILE *f, const struct dsaio_ranked *r, size_t n,
			 size_t max_rows);

/*
 * The same with a "tie" column: '*' on the rows of the complete points
 * tied[i] marks as tied with the best (tieset.h); tied NULL: no column.
 */
void dsaio_report_ranked_ties(FILE *f, const struct dsaio_ranked *r, size_t n,
			      size_t max_rows, const bool *tied);

/*
 * Adds a point's parameters to o, in the order of dsaio's JSON; 0, or -1
 * when out of memory.
 */
/*
 * json_object_object_add(o, k, v) that takes v NULL (an allocation that
 * failed) and frees v when it cannot be added; 0 or -1.
 */
int dsaio_json_add(json_object *o, const char *k, json_object *v);
int dsaio_params_json_add(json_object *o, const struct dsaio_params *p);

/* A point's parameters as a JSON object (the keys of a summary point). */
json_object *dsaio_params_json(const struct dsaio_params *p);

/* [{params..., "reason": "..."}] of the points that are not complete. */
json_object *dsaio_excluded_json(const struct dsaio_ranked *r, size_t n);
#endif
