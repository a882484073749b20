/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * DSAIO_A_JOB_CONFIG, both directions, from one table (nl_config.c): the
 * only place that knows the DSAIO_CFG_* attributes. A new one is a field
 * in struct nl_job_config and a row there.
 */
#ifndef DSAIO_USER_NL_CONFIG_H
#define DSAIO_USER_NL_CONFIG_H

#include <stddef.h>
#include <netlink/attr.h>
#include <netlink/msg.h>
#include "nl_client.h"

/* Puts every attribute of c into msg (inside the caller's nest). */
int nl_config_put(struct nl_msg *msg, const struct nl_job_config *c);

/*
 * Decodes a DSAIO_A_JOB_CONFIG nest into *c (defaults first). Returns 0,
 * or -EPROTO with a sentence in err.
 */
int nl_config_decode(struct nlattr *nest, struct nl_job_config *c,
		     char *err, size_t errlen);

/* What the user calls attribute type ("block size (--block-size)"), or NULL. */
const char *nl_config_attr_name(int type);
#endif
