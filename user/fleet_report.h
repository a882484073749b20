/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The fleet report of `dsaio-user merge` (fleet.h): per node its best point
 * and its speed at the fleet's point, the spread, the outliers, what was
 * left out, and the fleet's "aio" block; as text or as JSON
 * (doc/schema/merge.schema.json).
 */
#ifndef DSAIO_USER_FLEET_REPORT_H
#define DSAIO_USER_FLEET_REPORT_H

#include <stdbool.h>
#include <stdio.h>
#include <json-c/json.h>
#include "fleet.h"

/* The table and sentences. 0, or -1 when out of memory. */
int fleet_report_text(FILE *out, const struct fleet *f, bool legacy_keys);

/* The report as one JSON object; NULL when out of memory. */
json_object *fleet_report_json(const struct fleet *f, bool legacy_keys);
#endif
