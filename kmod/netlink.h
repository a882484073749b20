/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _DSAIO_NETLINK_H
#define _DSAIO_NETLINK_H

#include "job.h"

int dsaio_genl_init(void);
void dsaio_genl_exit(void);

/* The job layer's events as "events" group messages (dsaio.h). */
extern const struct dsaio_job_events dsaio_nl_job_events;

#endif /* _DSAIO_NETLINK_H */
