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
int dsaio_decode_info(struct nlmsghdr *nlh, struct nl_info *info,
		      char *err, size_t errlen);

/*
 * Decodes a JOB_GET reply or an event into *j (zeroed first). On error
 * nothing stays allocated. Returns 0, -ENOMEM or -EPROTO (with err).
 */
int dsaio_decode_job(struct nlmsghdr *nlh, struct nl_job *j,
		     char *err, size_t errlen);

/*
 * The entries of a JOB_STATS dump, collected message by message. The
 * caller sets id, want_* (the arrays it lacks) and max_* (the job's
 * threads and loops); the rest starts zeroed. Entries must come as the
 * protocol says: workers in index order, then loops in index order, each
 * once, none past max_*. The arrays grow as entries arrive.
 */
struct dsaio_stats_acc {
	uint32_t id;
	bool want_workers, want_loops;
	size_t max_workers, max_loops;
	size_t seen_workers, seen_loops;	/* entries of the dump so far */
	struct nl_stat *workers, *loops;	/* malloc'd; wanted kinds only */
	size_t n_workers, n_loops, cap_workers, cap_loops;
};

/*
 * Decodes one JOB_STATS reply message into acc. Returns 0, -ENOMEM or
 * -EPROTO (with err): wrong job, malformed entry, index out of order,
 * duplicated or past the job's size.
 */
int dsaio_decode_stats_msg(struct nlmsghdr *nlh, struct dsaio_stats_acc *acc,
			   char *err, size_t errlen);

/*
 * After the dump's NLMSG_DONE: checks that nothing is missing (a job that
 * ran every loop, done, must have max_workers and max_loops entries) and
 * moves the wanted arrays into r. Returns 0 or -EPROTO (with err).
 */
int dsaio_stats_acc_finish(struct dsaio_stats_acc *acc, bool job_done,
			   struct nl_job_result *r, char *err, size_t errlen);
void dsaio_stats_acc_free(struct dsaio_stats_acc *acc);
#endif
