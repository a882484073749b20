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
void dsaio_report_run(FILE *f, const struct dsaio_result *r);

/* One measurement as a JSON object (parameters, speeds, percentiles). */
json_object *dsaio_result_json(const struct dsaio_result *r);

/* The ranked table, best first, at most max_rows rows (0: all). */
void dsaio_report_ranked(FILE *f, const struct dsaio_ranked *r, size_t n,
			 size_t max_rows);
#endif
