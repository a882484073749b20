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

/* One measurement as a JSON object (parameters, speeds, percentiles). */
json_object *dsaio_result_json(const struct measurement *r);

/*
 * A point's parameters as the ranked table shows them (p NULL: the
 * header), each column as wide as its name, or in a sentence
 * ("block_size 1M, queue_depth 32, ...") when !table, as the excluded
 * points are listed.
 */
void dsaio_report_params(FILE *f, const struct dsaio_params *p, bool table);
/* How wide dsaio_report_params() prints the table's columns. */
size_t dsaio_report_params_width(void);

/*
 * The ranked table of the complete points (those dsaio_rank() put first),
 * best first, at most max_rows rows (0: all), then every excluded point
 * with its reason.
 */
void dsaio_report_ranked(FILE *f, const struct dsaio_ranked *r, size_t n,
			 size_t max_rows);

/*
 * Adds a point's parameters to o, in the order of dsaio's JSON; 0, or -1
 * when out of memory.
 */
int dsaio_params_json_add(json_object *o, const struct dsaio_params *p);

/* A point's parameters as a JSON object (the keys of a summary point). */
json_object *dsaio_params_json(const struct dsaio_params *p);

/* [{params..., "reason": "..."}] of the points that are not complete. */
json_object *dsaio_excluded_json(const struct dsaio_ranked *r, size_t n);
#endif
