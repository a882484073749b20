/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _DSAIO_NETLINK_H
#define _DSAIO_NETLINK_H

struct dsaio_job;
struct sk_buff;

int dsaio_genl_init(void);
void dsaio_genl_exit(void);

void dsaio_nl_event_progress(struct dsaio_job *job);
struct sk_buff *dsaio_nl_event_done_build(struct dsaio_job *job);
void dsaio_nl_event_send(struct sk_buff *skb);

#endif /* _DSAIO_NETLINK_H */
