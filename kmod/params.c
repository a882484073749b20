// SPDX-License-Identifier: GPL-2.0
/*
 * Module parameters: load-time limits only. Run-time configuration is done
 * per job over netlink.
 */
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/printk.h>
#include <linux/sizes.h>

#include "params.h"

unsigned int dsaio_max_jobs = 8;
module_param_named(max_jobs, dsaio_max_jobs, uint, 0444);
MODULE_PARM_DESC(max_jobs, "Jobs running at the same time, 1..256 (default 8)");

unsigned int dsaio_max_threads = 64;
module_param_named(max_threads, dsaio_max_threads, uint, 0444);
MODULE_PARM_DESC(max_threads, "Worker threads per job, 1..1024 (default 64)");

unsigned int dsaio_max_queue_depth = 1024;
module_param_named(max_queue_depth, dsaio_max_queue_depth, uint, 0444);
MODULE_PARM_DESC(max_queue_depth,
		 "Requests in flight per worker, 1..65536 (default 1024)");

unsigned int dsaio_max_block_size = SZ_64M;
module_param_named(max_block_size, dsaio_max_block_size, uint, 0444);
MODULE_PARM_DESC(max_block_size,
		 "Bytes per request, 4096..1073741824 (default 67108864 = 64 MiB)");

unsigned int dsaio_max_mem_mb = 1024;
module_param_named(max_mem_mb, dsaio_max_mem_mb, uint, 0444);
MODULE_PARM_DESC(max_mem_mb,
		 "Buffer memory of all running jobs, MiB, 1..1048576 (default 1024)");

unsigned int dsaio_max_results = 64;
module_param_named(max_results, dsaio_max_results, uint, 0444);
MODULE_PARM_DESC(max_results,
		 "Ended jobs kept for JOB_GET, 1..4096 (default 64)");

unsigned int dsaio_max_loops = 1000;
module_param_named(max_loops, dsaio_max_loops, uint, 0444);
MODULE_PARM_DESC(max_loops, "Loops per job, 1..100000 (default 1000)");

unsigned int dsaio_progress_ms = 250;
module_param_named(progress_ms, dsaio_progress_ms, uint, 0444);
MODULE_PARM_DESC(progress_ms,
		 "Interval of PROGRESS events, milliseconds, 10..60000 (default 250)");

static int dsaio_param_range(const char *name, unsigned int val,
			     unsigned int min, unsigned int max)
{
	if (val >= min && val <= max)
		return 0;
	pr_err("dsaio: %s=%u out of range %u..%u\n", name, val, min, max);
	return -EINVAL;
}

/*
 * The upper bounds keep per-job arrays (workers, slots, loop statistics)
 * and the running-job workqueue within sane sizes; max_block_size must be a
 * multiple of 4096 so any logical block size up to a page divides it.
 */
int dsaio_params_check(void)
{
	int ret = 0;

	ret |= dsaio_param_range("max_jobs", dsaio_max_jobs, 1, 256);
	ret |= dsaio_param_range("max_threads", dsaio_max_threads, 1, 1024);
	ret |= dsaio_param_range("max_queue_depth", dsaio_max_queue_depth,
				 1, 65536);
	ret |= dsaio_param_range("max_block_size", dsaio_max_block_size,
				 SZ_4K, SZ_1G);
	ret |= dsaio_param_range("max_mem_mb", dsaio_max_mem_mb, 1, 1048576);
	ret |= dsaio_param_range("max_results", dsaio_max_results, 1, 4096);
	ret |= dsaio_param_range("max_loops", dsaio_max_loops, 1, 100000);
	ret |= dsaio_param_range("progress_ms", dsaio_progress_ms, 10, 60000);
	if (dsaio_max_block_size % SZ_4K) {
		pr_err("dsaio: max_block_size=%u is not a multiple of 4096\n",
		       dsaio_max_block_size);
		ret = -EINVAL;
	}
	return ret ? -EINVAL : 0;
}
