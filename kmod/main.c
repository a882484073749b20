// SPDX-License-Identifier: GPL-2.0
/*
 * dsaio: in-kernel asynchronous block I/O benchmark with DeepSpeed's
 * submission semantics, controlled over generic netlink.
 */
#include <linux/module.h>
#include <net/genetlink.h>

#include "job.h"
#include "netlink.h"
#include "params.h"

static int __init dsaio_init(void)
{
	int ret;

	ret = dsaio_params_check();
	if (ret)
		return ret;
	ret = dsaio_jobs_init(&dsaio_nl_job_events);
	if (ret)
		return ret;
	ret = dsaio_genl_init();
	if (ret)
		goto err_jobs_exit;
	pr_info("dsaio: version %s loaded\n", DSAIO_VERSION);
	return 0;

err_jobs_exit:
	dsaio_jobs_exit();
	return ret;
}

static void __exit dsaio_exit(void)
{
	/* Controllers of jobs just ended finish their DONE events first. */
	dsaio_jobs_shutdown();
	dsaio_genl_exit();
	dsaio_jobs_exit();
}

module_init(dsaio_init);
module_exit(dsaio_exit);

MODULE_DESCRIPTION("In-kernel async block I/O benchmark with DeepSpeed's submission semantics");
MODULE_LICENSE("GPL");
MODULE_VERSION(DSAIO_VERSION);
MODULE_AUTHOR("dsaio authors");
MODULE_ALIAS_GENL_FAMILY(DSAIO_GENL_NAME);
