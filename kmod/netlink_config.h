/* SPDX-License-Identifier: GPL-2.0 */
/* DSAIO_A_JOB_CONFIG: reading it from JOB_START, echoing it in replies. */
#ifndef _DSAIO_NETLINK_CONFIG_H
#define _DSAIO_NETLINK_CONFIG_H

#include <linux/dsaio.h>
#include <linux/types.h>

struct dsaio_job_config;
struct netlink_ext_ack;
struct nlattr;
struct sk_buff;

/* Ranges from the module parameters and a check of the table; at load. */
int dsaio_nl_config_init(void);

/*
 * Parses the config nest into @cfg (defaults filled in) and @tb (what was
 * given, for pointing a later refusal at it). 0, or -EINVAL with extack.
 */
int dsaio_nl_config_parse(struct nlattr *nest, struct nlattr **tb,
			  struct dsaio_job_config *cfg,
			  struct netlink_ext_ack *extack);

/* Puts the DSAIO_A_JOB_CONFIG nest; -EMSGSIZE when it does not fit. */
int dsaio_nl_config_put(struct sk_buff *skb,
			const struct dsaio_job_config *cfg);
/* An upper bound of what dsaio_nl_config_put() writes. */
size_t dsaio_nl_config_size(const struct dsaio_job_config *cfg);

#endif /* _DSAIO_NETLINK_CONFIG_H */
