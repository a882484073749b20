/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* The DeepSpeed "aio" config block: building it and merging it into a file. */
#ifndef DSAIO_USER_DSCONFIG_H
#define DSAIO_USER_DSCONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <json-c/json.h>
#include "model.h"

/*
 * {"aio": {"block_size": N, "queue_depth": N, "intra_op_parallelism": N,
 * "single_submit": bool, "overlap_events": bool, "use_gds": false}};
 * legacy_keys writes "thread_count" for "intra_op_parallelism".
 */
json_object *dsaio_aio_config(const struct dsaio_params *p, bool legacy_keys);

/*
 * Replaces the "aio" section of the DeepSpeed config at path, keeping every
 * other key, by writing a temporary file beside it and renaming it over.
 * On any error (unreadable, not a JSON object) nothing is changed and err
 * holds a sentence. Returns 0 or a negative errno.
 */
int dsaio_merge_into(const char *path, const struct dsaio_params *p,
		     bool legacy_keys, char *err, size_t errlen);
#endif
