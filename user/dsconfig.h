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
 * Updates the "aio" section of the DeepSpeed config at path: only the
 * measured keys (block_size, queue_depth, intra_op_parallelism or, with
 * legacy_keys, thread_count, single_submit, overlap_events) change; every
 * other key of the file and of its aio block stays (use_gds, unknown
 * keys). The parallelism key's other spelling is renamed to the one
 * written, so the block has one. Without an aio object the whole block is
 * written (with use_gds false). The file is written to a temporary file
 * beside it and renamed over.
 * On any error (unreadable, not a JSON object) nothing is changed and err
 * holds a sentence. Returns 0 or a negative errno.
 */
int dsaio_merge_into(const char *path, const struct dsaio_params *p,
		     bool legacy_keys, char *err, size_t errlen);
#endif
