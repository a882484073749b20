/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _DSAIO_PARAMS_H
#define _DSAIO_PARAMS_H

#include <linux/types.h>

#define DSAIO_VERSION	"0.1.0"

/* Load-time limits; read-only (0444) after dsaio_params_check(). */
extern unsigned int dsaio_max_jobs;
extern unsigned int dsaio_max_threads;
extern unsigned int dsaio_max_queue_depth;
extern unsigned int dsaio_max_block_size;
extern unsigned int dsaio_max_mem_mb;
extern unsigned int dsaio_max_results;
extern unsigned int dsaio_max_loops;
extern unsigned int dsaio_progress_ms;

int dsaio_params_check(void);

#endif /* _DSAIO_PARAMS_H */
