/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* Decoding the dsaio family's replies and events (internal to nl_*.c). */
#ifndef DSAIO_USER_NL_DECODE_H
#define DSAIO_USER_NL_DECODE_H

#include <stddef.h>
#include <netlink/msg.h>
#include "nl_client.h"

/*
 * Decodes a GET_INFO reply. Returns 0, or -EPROTO with a sentence in err
 * when a required attribute is missing or malformed.
 */
int dsaio_decode_info(struct nlmsghdr *nlh, struct dsaio_info *info,
		      char *err, size_t errlen);

/*
 * Decodes a JOB_GET reply or an event into *j (zeroed first). On error
 * nothing stays allocated. Returns 0, -ENOMEM or -EPROTO (with err).
 */
int dsaio_decode_job(struct nlmsghdr *nlh, struct dsaio_job *j,
		     char *err, size_t errlen);
#endif
