// SPDX-License-Identifier: GPL-2.0 OR MIT
/* Raw generic-netlink client for the dsaio selftests. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <linux/fs.h>
#include "dsaio_client.h"

#ifndef NETLINK_EXT_ACK
#define NETLINK_EXT_ACK 11
#endif

uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static uint64_t get_uint(const struct nlattr *a)
{
	uint64_t v = 0;

	switch (NLA_LEN(a)) {
	case 1: v = *(uint8_t *)NLA_DATA(a); break;
	case 2: v = *(uint16_t *)NLA_DATA(a); break;
	case 4: v = *(uint32_t *)NLA_DATA(a); break;
	case 8: memcpy(&v, NLA_DATA(a), 8); break;
	default: break;
	}
	return v;
}

void msg_init(struct dsmsg *m, const struct dsc *c, uint8_t cmd, uint16_t flags)
{
	struct genlmsghdr *g;

	memset(m, 0, sizeof(*m));
	m->nlh.nlmsg_len = NLMSG_LENGTH(GENL_HDRLEN);
	m->nlh.nlmsg_type = c ? c->family : 0;
	m->nlh.nlmsg_flags = NLM_F_REQUEST | flags;
	g = NLMSG_DATA(&m->nlh);
	g->cmd = cmd;
	g->version = DSAIO_GENL_VERSION;
}

void msg_put(struct dsmsg *m, uint16_t type, const void *data, size_t len)
{
	struct nlattr *a;
	size_t need = NLA_ALIGN(NLA_HDRLEN + len);

	if (m->nlh.nlmsg_len + need > sizeof(m->buf) || len > 0xffff - NLA_HDRLEN) {
		m->overflow = 1;
		return;
	}
	a = (struct nlattr *)(m->buf + m->nlh.nlmsg_len);
	a->nla_type = type;
	a->nla_len = NLA_HDRLEN + len;
	if (len)
		memcpy(NLA_DATA(a), data, len);
	memset((char *)a + NLA_HDRLEN + len, 0, need - NLA_HDRLEN - len);
	m->nlh.nlmsg_len += need;
}

void msg_put_u8(struct dsmsg *m, uint16_t type, uint8_t v) { msg_put(m, type, &v, 1); }
void msg_put_u32(struct dsmsg *m, uint16_t type, uint32_t v) { msg_put(m, type, &v, 4); }
void msg_put_u64(struct dsmsg *m, uint16_t type, uint64_t v) { msg_put(m, type, &v, 8); }
void msg_put_str(struct dsmsg *m, uint16_t type, const char *s)
{
	msg_put(m, type, s, strlen(s) + 1);
}

void msg_nest_start(struct dsmsg *m, uint16_t type)
{
	if (m->depth >= 8) {
		m->overflow = 1;
		return;
	}
	m->nest[m->depth++] = m->nlh.nlmsg_len;
	msg_put(m, type | NLA_F_NESTED, NULL, 0);
}

void msg_nest_end(struct dsmsg *m)
{
	struct nlattr *a;

	if (m->depth <= 0 || m->overflow)
		return;
	a = (struct nlattr *)(m->buf + m->nest[--m->depth]);
	a->nla_len = m->nlh.nlmsg_len - m->nest[m->depth];
}

void msg_put_cfg(struct dsmsg *m, const struct dsc_cfg *cfg)
{
	uint32_t s = cfg->set;

	msg_nest_start(m, DSAIO_A_JOB_CONFIG);
	if ((s & CFG_BIT(DSAIO_CFG_DEV_PATH)) && cfg->dev)
		msg_put_str(m, DSAIO_CFG_DEV_PATH, cfg->dev);
	if ((s & CFG_BIT(DSAIO_CFG_DIR)) && cfg->dir)
		msg_put_str(m, DSAIO_CFG_DIR, cfg->dir);
	if (s & CFG_BIT(DSAIO_CFG_OVERWRITE))
		msg_put_u8(m, DSAIO_CFG_OVERWRITE, cfg->overwrite);
	if (s & CFG_BIT(DSAIO_CFG_KEEP_FILES))
		msg_put_u8(m, DSAIO_CFG_KEEP_FILES, cfg->keep_files);
	if (s & CFG_BIT(DSAIO_CFG_OP))
		msg_put_u8(m, DSAIO_CFG_OP, cfg->op);
	if (s & CFG_BIT(DSAIO_CFG_OFFSET))
		msg_put_u64(m, DSAIO_CFG_OFFSET, cfg->offset);
	if (s & CFG_BIT(DSAIO_CFG_IO_SIZE))
		msg_put_u64(m, DSAIO_CFG_IO_SIZE, cfg->io_size);
	if (s & CFG_BIT(DSAIO_CFG_BLOCK_SIZE))
		msg_put_u32(m, DSAIO_CFG_BLOCK_SIZE, cfg->block_size);
	if (s & CFG_BIT(DSAIO_CFG_QUEUE_DEPTH))
		msg_put_u32(m, DSAIO_CFG_QUEUE_DEPTH, cfg->queue_depth);
	if (s & CFG_BIT(DSAIO_CFG_THREADS))
		msg_put_u32(m, DSAIO_CFG_THREADS, cfg->threads);
	if (s & CFG_BIT(DSAIO_CFG_SINGLE_SUBMIT))
		msg_put_u8(m, DSAIO_CFG_SINGLE_SUBMIT, cfg->single_submit);
	if (s & CFG_BIT(DSAIO_CFG_OVERLAP_EVENTS))
		msg_put_u8(m, DSAIO_CFG_OVERLAP_EVENTS, cfg->overlap);
	if (s & CFG_BIT(DSAIO_CFG_LOOPS))
		msg_put_u32(m, DSAIO_CFG_LOOPS, cfg->loops);
	if (s & CFG_BIT(DSAIO_CFG_WARMUP_LOOPS))
		msg_put_u32(m, DSAIO_CFG_WARMUP_LOOPS, cfg->warmup_loops);
	if (s & CFG_BIT(DSAIO_CFG_VALIDATE))
		msg_put_u8(m, DSAIO_CFG_VALIDATE, cfg->validate);
	if (s & CFG_BIT(DSAIO_CFG_SEED))
		msg_put_u64(m, DSAIO_CFG_SEED, cfg->seed);
	if (s & CFG_BIT(DSAIO_CFG_ALLOW_WRITE))
		msg_put_u8(m, DSAIO_CFG_ALLOW_WRITE, cfg->allow_write);
	if (s & CFG_BIT(DSAIO_CFG_HISTOGRAM))
		msg_put_u8(m, DSAIO_CFG_HISTOGRAM, cfg->histogram);
	if (s & CFG_BIT(DSAIO_CFG_POLL))
		msg_put_u8(m, DSAIO_CFG_POLL, cfg->poll);
	if (s & CFG_BIT(DSAIO_CFG_RANDOM))
		msg_put_u8(m, DSAIO_CFG_RANDOM, cfg->random);
	if (cfg->ntargets) {
		int i;

		/* ntargets < 0: an empty DSAIO_CFG_TARGETS. */
		msg_nest_start(m, DSAIO_CFG_TARGETS);
		for (i = 0; i < cfg->ntargets; i++) {
			msg_nest_start(m, DSAIO_TCFG_ENTRY);
			if (cfg->tdev[i])
				msg_put_str(m, DSAIO_TCFG_DEV_PATH, cfg->tdev[i]);
			if (cfg->tdir[i])
				msg_put_str(m, DSAIO_TCFG_DIR, cfg->tdir[i]);
			if (cfg->toffset_set & (1U << i))
				msg_put_u64(m, DSAIO_TCFG_OFFSET, cfg->toffset[i]);
			msg_nest_end(m);
		}
		msg_nest_end(m);
	}
	msg_nest_end(m);
}

void dsc_cfg_init(struct dsc_cfg *cfg, const char *dev, uint8_t op,
		  uint64_t io_size, uint32_t block_size)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->dev = dev;
	cfg->op = op;
	cfg->io_size = io_size;
	cfg->block_size = block_size;
	cfg->queue_depth = 1;
	cfg->threads = 1;
	cfg->loops = 1;
	cfg->overlap = 1;
	cfg->histogram = 1;
	cfg->set = CFG_REQUIRED;
	if (op == DSAIO_OP_WRITE) {
		cfg->allow_write = 1;
		cfg->set |= CFG_BIT(DSAIO_CFG_ALLOW_WRITE);
	}
}

void dsc_cfg_init_dir(struct dsc_cfg *cfg, const char *dir, uint8_t op,
		      uint64_t io_size, uint32_t block_size)
{
	dsc_cfg_init(cfg, NULL, op, io_size, block_size);
	cfg->dir = dir;
	cfg->allow_write = 0;
	cfg->set &= ~(CFG_BIT(DSAIO_CFG_DEV_PATH) |
		      CFG_BIT(DSAIO_CFG_ALLOW_WRITE));
	cfg->set |= CFG_BIT(DSAIO_CFG_DIR);
}

static int do_send(struct dsc *c, struct dsmsg *m)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	ssize_t n;

	if (m->overflow)
		return -EMSGSIZE;
	m->nlh.nlmsg_seq = ++c->seq;
	n = sendto(c->fd, m->buf, m->nlh.nlmsg_len, 0,
		   (struct sockaddr *)&sa, sizeof(sa));
	if (n < 0)
		return -errno;
	if ((size_t)n != m->nlh.nlmsg_len)
		return -EIO;
	return 0;
}

/*
 * The extack TLVs of an NLMSG_ERROR (after the nlmsgerr and, unless capped,
 * the echoed request) or of a dump's NLMSG_DONE (after its errno).
 */
static void parse_extack(struct dsc *c, const struct nlmsghdr *nlh)
{
	const struct nlmsgerr *e = NLMSG_DATA(nlh);
	size_t off = sizeof(*e);
	struct nlattr *a;
	int rem;

	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return;
	if (nlh->nlmsg_type == NLMSG_DONE)
		off = NLMSG_ALIGN(sizeof(int));
	else if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		off += e->msg.nlmsg_len - sizeof(struct nlmsghdr);
	if (NLMSG_LENGTH(off) > nlh->nlmsg_len)
		return;
	for_each_attr(a, (char *)NLMSG_DATA(nlh) + off,
		      nlh->nlmsg_len - NLMSG_LENGTH(off), rem) {
		if (NLA_TYPE(a) == NLMSGERR_ATTR_MSG && NLA_LEN(a) > 0) {
			snprintf(c->extack, sizeof(c->extack), "%.*s",
				 NLA_LEN(a), (char *)NLA_DATA(a));
#ifdef NLMSGERR_ATTR_MISS_TYPE
		} else if (NLA_TYPE(a) == NLMSGERR_ATTR_MISS_TYPE && NLA_LEN(a) == 4) {
			c->miss_type = *(uint32_t *)NLA_DATA(a);
#endif
		} else if (NLA_TYPE(a) == NLMSGERR_ATTR_OFFS && NLA_LEN(a) == 4) {
			c->extack_off = *(uint32_t *)NLA_DATA(a);
		}
	}
}

int dsc_send(struct dsc *c, struct dsmsg *m)
{
	c->extack[0] = 0;
	c->extack_off = -1;
	c->miss_type = -1;
	m->nlh.nlmsg_flags |= NLM_F_ACK;
	return do_send(c, m);
}

int dsc_recv_ack(struct dsc *c, dsc_cb cb, void *arg)
{
	static char buf[DSC_BUF_SIZE];
	uint32_t seq = c->seq;
	int ret, cbret = 0;

	for (;;) {
		struct pollfd p = { .fd = c->fd, .events = POLLIN };
		struct nlmsghdr *nlh;
		ssize_t n;
		int len;

		ret = poll(&p, 1, 30000);
		if (ret < 0)
			return -errno;
		if (ret == 0)
			return -ETIMEDOUT;
		n = recv(c->fd, buf, sizeof(buf), 0);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		len = (int)n;
		for (nlh = (struct nlmsghdr *)buf; NLMSG_OK(nlh, len);
		     nlh = NLMSG_NEXT(nlh, len)) {
			if (nlh->nlmsg_seq != seq)
				continue;
			if (nlh->nlmsg_type == NLMSG_ERROR) {
				const struct nlmsgerr *e = NLMSG_DATA(nlh);

				parse_extack(c, nlh);
				if (e->error)
					return e->error;
				return cbret;
			}
			if (nlh->nlmsg_type == NLMSG_DONE) {
				/* a dump ends with DONE (no ACK follows) */
				int *err = NLMSG_DATA(nlh);

				if (nlh->nlmsg_len >= NLMSG_LENGTH(sizeof(int)) && *err) {
					parse_extack(c, nlh);
					return *err;
				}
				return cbret;
			}
			if (cb && !cbret)
				cbret = cb(nlh, arg);
		}
	}
}

int dsc_transact(struct dsc *c, struct dsmsg *m, dsc_cb cb, void *arg)
{
	int ret = dsc_send(c, m);

	return ret ? ret : dsc_recv_ack(c, cb, arg);
}

/* Resolve the family and its "events" group. */
static int ctrl_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct dsc *c = arg;
	struct nlattr *a, *g, *ga;
	int rem, rem2, rem3;

	for_each_attr(a, (char *)NLMSG_DATA(nlh) + GENL_HDRLEN,
		      nlh->nlmsg_len - NLMSG_LENGTH(GENL_HDRLEN), rem) {
		if (NLA_TYPE(a) == CTRL_ATTR_FAMILY_ID)
			c->family = *(uint16_t *)NLA_DATA(a);
		if (NLA_TYPE(a) != CTRL_ATTR_MCAST_GROUPS)
			continue;
		for_each_attr(g, NLA_DATA(a), NLA_LEN(a), rem2) {
			uint32_t id = 0;
			int match = 0;

			for_each_attr(ga, NLA_DATA(g), NLA_LEN(g), rem3) {
				if (NLA_TYPE(ga) == CTRL_ATTR_MCAST_GRP_ID)
					id = *(uint32_t *)NLA_DATA(ga);
				if (NLA_TYPE(ga) == CTRL_ATTR_MCAST_GRP_NAME &&
				    !strcmp(NLA_DATA(ga), DSAIO_MCGRP_EVENTS))
					match = 1;
			}
			if (match)
				c->mcgrp = id;
		}
	}
	return 0;
}

int dsc_open(struct dsc *c)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	socklen_t sl = sizeof(sa);
	struct dsmsg *m;
	int one = 1, ret, rcv = 1 << 20;

	memset(c, 0, sizeof(*c));
	c->fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	if (c->fd < 0)
		return -errno;
	setsockopt(c->fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	setsockopt(c->fd, SOL_SOCKET, SO_RCVBUF, &rcv, sizeof(rcv));
	if (bind(c->fd, (struct sockaddr *)&sa, sizeof(sa)) ||
	    getsockname(c->fd, (struct sockaddr *)&sa, &sl)) {
		ret = -errno;
		goto err;
	}
	c->portid = sa.nl_pid;
	m = calloc(1, sizeof(*m));
	if (!m) {
		ret = -ENOMEM;
		goto err;
	}
	msg_init(m, NULL, CTRL_CMD_GETFAMILY, 0);
	m->nlh.nlmsg_type = GENL_ID_CTRL;
	((struct genlmsghdr *)NLMSG_DATA(&m->nlh))->version = 1;
	msg_put_str(m, CTRL_ATTR_FAMILY_NAME, DSAIO_GENL_NAME);
	ret = dsc_transact(c, m, ctrl_cb, c);
	free(m);
	if (ret)
		goto err;
	if (!c->family) {
		ret = -ENOENT;
		goto err;
	}
	return 0;
err:
	close(c->fd);
	c->fd = -1;
	return ret;
}

void dsc_close(struct dsc *c)
{
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
}

int dsc_subscribe(struct dsc *c)
{
	if (!c->mcgrp)
		return -ENOENT;
	if (setsockopt(c->fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP,
		       &c->mcgrp, sizeof(c->mcgrp)))
		return -errno;
	return 0;
}

static int info_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct dsc_info *info = arg;
	struct nlattr *a, *l;
	int rem, rem2;

	for_each_attr(a, (char *)NLMSG_DATA(nlh) + GENL_HDRLEN,
		      nlh->nlmsg_len - NLMSG_LENGTH(GENL_HDRLEN), rem) {
		switch (NLA_TYPE(a)) {
		case DSAIO_A_VERSION:
			snprintf(info->version, sizeof(info->version), "%.*s",
				 NLA_LEN(a), (char *)NLA_DATA(a));
			break;
		case DSAIO_A_FEATURES:
			info->features = get_uint(a);
			info->have_features = NLA_LEN(a) == 8;
			break;
		case DSAIO_A_LIMITS:
			for_each_attr(l, NLA_DATA(a), NLA_LEN(a), rem2) {
				if (NLA_TYPE(l) <= DSAIO_LIMIT_MAX && NLA_LEN(l) == 4) {
					info->limit[NLA_TYPE(l)] = get_uint(l);
					info->have_limit[NLA_TYPE(l)] = 1;
				}
			}
			break;
		}
	}
	return 0;
}

int dsc_info(struct dsc *c, struct dsc_info *info)
{
	struct dsmsg m;

	memset(info, 0, sizeof(*info));
	msg_init(&m, c, DSAIO_CMD_GET_INFO, 0);
	return dsc_transact(c, &m, info_cb, info);
}

static int start_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct nlattr *a;
	int rem;

	for_each_attr(a, (char *)NLMSG_DATA(nlh) + GENL_HDRLEN,
		      nlh->nlmsg_len - NLMSG_LENGTH(GENL_HDRLEN), rem)
		if (NLA_TYPE(a) == DSAIO_A_JOB_ID && NLA_LEN(a) == 4)
			*(uint32_t *)arg = *(uint32_t *)NLA_DATA(a);
	return 0;
}

void dsc_start_msg(struct dsmsg *m, const struct dsc *c, const struct dsc_cfg *cfg)
{
	msg_init(m, c, DSAIO_CMD_JOB_START, 0);
	msg_put_cfg(m, cfg);
}

int dsc_start_ack(struct dsc *c, uint32_t *id)
{
	int ret;

	*id = 0;
	ret = dsc_recv_ack(c, start_cb, id);
	if (!ret && !*id)
		return -EPROTO;
	return ret;
}

int dsc_start(struct dsc *c, const struct dsc_cfg *cfg, uint32_t *id)
{
	struct dsmsg m;
	int ret;

	*id = 0;
	dsc_start_msg(&m, c, cfg);
	ret = dsc_send(c, &m);
	return ret ? ret : dsc_start_ack(c, id);
}

static void parse_stat(struct dsc_stat *s, const struct nlattr *nest)
{
	struct nlattr *a;
	int rem;

	memset(s, 0, sizeof(*s));
	for_each_attr(a, NLA_DATA(nest), NLA_LEN(nest), rem) {
		uint64_t v = get_uint(a);

		if (NLA_TYPE(a) < 32)
			s->present |= 1U << NLA_TYPE(a);
		switch (NLA_TYPE(a)) {
		case DSAIO_STAT_INDEX: s->index = v; break;
		case DSAIO_STAT_OFFSET: s->offset = v; break;
		case DSAIO_STAT_LENGTH: s->length = v; break;
		case DSAIO_STAT_TIME_NS: s->time_ns = v; break;
		case DSAIO_STAT_BYTES: s->bytes = v; break;
		case DSAIO_STAT_REQUESTS: s->requests = v; break;
		case DSAIO_STAT_ERRORS: s->errors = v; break;
		case DSAIO_STAT_LAT_MIN_NS: s->lat_min = v; break;
		case DSAIO_STAT_LAT_MAX_NS: s->lat_max = v; break;
		case DSAIO_STAT_LAT_SUM_NS: s->lat_sum = v; break;
		case DSAIO_STAT_START_NS: s->start_ns = v; break;
		case DSAIO_STAT_TARGET: s->target = v; break;
		}
	}
}

static void parse_result(struct dsc_job *j, const struct nlattr *nest)
{
	struct nlattr *a, *e, *f;
	int rem, rem2, rem3;

	for_each_attr(a, NLA_DATA(nest), NLA_LEN(nest), rem) {
		uint64_t v = get_uint(a);

		if (NLA_TYPE(a) < 32)
			j->res_present |= 1U << NLA_TYPE(a);
		switch (NLA_TYPE(a)) {
		case DSAIO_RES_TASK_NS: j->task_ns = v; break;
		case DSAIO_RES_E2E_NS: j->e2e_ns = v; break;
		case DSAIO_RES_SETUP_NS: j->setup_ns = v; break;
		case DSAIO_RES_BUF_BYTES: j->buf_bytes = v; break;
		case DSAIO_RES_BYTES: j->bytes = v; break;
		case DSAIO_RES_REQUESTS: j->requests = v; break;
		case DSAIO_RES_BIOS: j->bios = v; break;
		case DSAIO_RES_POLLED: j->polled = v; break;
		case DSAIO_RES_ERRORS: j->errors = v; break;
		case DSAIO_RES_LAT_MIN_NS: j->lat_min = v; break;
		case DSAIO_RES_LAT_MAX_NS: j->lat_max = v; break;
		case DSAIO_RES_LAT_SUM_NS: j->lat_sum = v; break;
		case DSAIO_RES_MISMATCHES: j->mismatches = v; break;
		case DSAIO_RES_FIRST_MISMATCH: j->first_mismatch = v; break;
		case DSAIO_RES_ERRNOS:
			for_each_attr(e, NLA_DATA(a), NLA_LEN(a), rem2) {
				if (j->nerrnos >= DSC_MAX_ERRNOS)
					break;
				for_each_attr(f, NLA_DATA(e), NLA_LEN(e), rem3) {
					if (NLA_TYPE(f) == DSAIO_ERRNO_CODE)
						j->errno_code[j->nerrnos] = get_uint(f);
					if (NLA_TYPE(f) == DSAIO_ERRNO_COUNT)
						j->errno_count[j->nerrnos] = get_uint(f);
				}
				j->nerrnos++;
			}
			break;
		case DSAIO_RES_HIST: {
			const struct dsaio_hist_bucket *b = NLA_DATA(a);
			int i, n = NLA_LEN(a) / (int)sizeof(*b);

			if (NLA_LEN(a) % sizeof(*b))
				j->hist_bad = 1;
			j->hist_buckets = n;
			for (i = 0; i < n; i++) {
				struct dsaio_hist_bucket bk;

				memcpy(&bk, &b[i], sizeof(bk));
				j->hist_total += bk.count;
				if (!i)
					j->hist_first = bk.index;
				j->hist_last = bk.index;
				if (bk.reserved || bk.index >= DSAIO_HIST_BUCKETS ||
				    !bk.count)
					j->hist_bad = 1;
				if (i && bk.index <= b[i - 1].index)
					j->hist_bad = 1;
			}
			break;
		}
		case DSAIO_RES_WORKERS:
			for_each_attr(e, NLA_DATA(a), NLA_LEN(a), rem2)
				if (j->nworkers < DSC_MAX_STATS)
					parse_stat(&j->worker[j->nworkers++], e);
			break;
		case DSAIO_RES_LOOPS:
			for_each_attr(e, NLA_DATA(a), NLA_LEN(a), rem2)
				if (j->nloops < DSC_MAX_STATS)
					parse_stat(&j->loops[j->nloops++], e);
			break;
		}
	}
}

static void parse_cfg(struct dsc_job *j, const struct nlattr *nest)
{
	struct dsc_cfg *c = &j->cfg;
	struct nlattr *a;
	int rem;

	for_each_attr(a, NLA_DATA(nest), NLA_LEN(nest), rem) {
		uint64_t v = get_uint(a);

		if (NLA_TYPE(a) < 32)
			c->set |= 1U << NLA_TYPE(a);
		switch (NLA_TYPE(a)) {
		case DSAIO_CFG_DEV_PATH:
			snprintf(j->dev, sizeof(j->dev), "%.*s", NLA_LEN(a),
				 (char *)NLA_DATA(a));
			c->dev = j->dev;
			break;
		case DSAIO_CFG_DIR:
			snprintf(j->dir, sizeof(j->dir), "%.*s", NLA_LEN(a),
				 (char *)NLA_DATA(a));
			c->dir = j->dir;
			break;
		case DSAIO_CFG_OVERWRITE: c->overwrite = v; break;
		case DSAIO_CFG_KEEP_FILES: c->keep_files = v; break;
		case DSAIO_CFG_OP: c->op = v; break;
		case DSAIO_CFG_OFFSET: c->offset = v; break;
		case DSAIO_CFG_IO_SIZE: c->io_size = v; break;
		case DSAIO_CFG_BLOCK_SIZE: c->block_size = v; break;
		case DSAIO_CFG_QUEUE_DEPTH: c->queue_depth = v; break;
		case DSAIO_CFG_THREADS: c->threads = v; break;
		case DSAIO_CFG_SINGLE_SUBMIT: c->single_submit = v; break;
		case DSAIO_CFG_OVERLAP_EVENTS: c->overlap = v; break;
		case DSAIO_CFG_LOOPS: c->loops = v; break;
		case DSAIO_CFG_VALIDATE: c->validate = v; break;
		case DSAIO_CFG_SEED: c->seed = v; break;
		case DSAIO_CFG_ALLOW_WRITE: c->allow_write = v; break;
		case DSAIO_CFG_HISTOGRAM: c->histogram = v; break;
		case DSAIO_CFG_POLL: c->poll = v; break;
		case DSAIO_CFG_RANDOM: c->random = v; break;
		case DSAIO_CFG_WARMUP_LOOPS: c->warmup_loops = v; break;
		}
	}
}

static void parse_str(char *to, size_t len, const struct nlattr *a)
{
	snprintf(to, len, "%.*s", NLA_LEN(a), (char *)NLA_DATA(a));
}

/* A target's DSAIO_TGT_RESULT: the DSAIO_RES_* figures of its workers. */
static void parse_target_result(struct dsc_target *t, const struct nlattr *nest)
{
	struct nlattr *a, *e, *f;
	int rem, rem2, rem3;

	for_each_attr(a, NLA_DATA(nest), NLA_LEN(nest), rem) {
		uint64_t v = get_uint(a);

		if (NLA_TYPE(a) < 32)
			t->res_present |= 1U << NLA_TYPE(a);
		switch (NLA_TYPE(a)) {
		case DSAIO_RES_TASK_NS: t->task_ns = v; break;
		case DSAIO_RES_E2E_NS: t->e2e_ns = v; break;
		case DSAIO_RES_BYTES: t->bytes = v; break;
		case DSAIO_RES_REQUESTS: t->requests = v; break;
		case DSAIO_RES_BIOS: t->bios = v; break;
		case DSAIO_RES_ERRORS: t->errors = v; break;
		case DSAIO_RES_LAT_MIN_NS: t->lat_min = v; break;
		case DSAIO_RES_LAT_MAX_NS: t->lat_max = v; break;
		case DSAIO_RES_LAT_SUM_NS: t->lat_sum = v; break;
		case DSAIO_RES_MISMATCHES: t->mismatches = v; break;
		case DSAIO_RES_FIRST_MISMATCH: t->first_mismatch = v; break;
		case DSAIO_RES_ERRNOS:
			for_each_attr(e, NLA_DATA(a), NLA_LEN(a), rem2) {
				uint32_t code = 0;
				uint64_t count = 0;

				for_each_attr(f, NLA_DATA(e), NLA_LEN(e), rem3) {
					if (NLA_TYPE(f) == DSAIO_ERRNO_CODE)
						code = get_uint(f);
					if (NLA_TYPE(f) == DSAIO_ERRNO_COUNT)
						count = get_uint(f);
				}
				if (code == EIO)
					t->eio += count;
			}
			break;
		}
	}
}

/* DSAIO_A_JOB_TARGETS: one entry per target. */
static void parse_targets(struct dsc_job *j, const struct nlattr *nest)
{
	struct nlattr *e, *a;
	int rem, rem2;

	for_each_attr(e, NLA_DATA(nest), NLA_LEN(nest), rem) {
		struct dsc_target *t;

		if (j->ntargets >= DSAIO_TARGETS_MAX)
			break;
		t = &j->tgt[j->ntargets++];
		for_each_attr(a, NLA_DATA(e), NLA_LEN(e), rem2) {
			uint64_t v = get_uint(a);

			if (NLA_TYPE(a) < 32)
				t->present |= 1U << NLA_TYPE(a);
			switch (NLA_TYPE(a)) {
			case DSAIO_TGT_KIND: t->kind = v; break;
			case DSAIO_TGT_ALIGN: t->align = v; break;
			case DSAIO_TGT_INDEX: t->index = v; break;
			case DSAIO_TGT_OFFSET: t->offset = v; break;
			case DSAIO_TGT_STATE: t->state = v; break;
			case DSAIO_TGT_ERROR: t->error = (int32_t)v; break;
			case DSAIO_TGT_BYTES_DONE: t->bytes_done = v; break;
			case DSAIO_TGT_BDEV:
				parse_str(t->bdev, sizeof(t->bdev), a);
				break;
			case DSAIO_TGT_FSTYPE:
				parse_str(t->fstype, sizeof(t->fstype), a);
				break;
			case DSAIO_TGT_FILE:
				parse_str(t->file, sizeof(t->file), a);
				break;
			case DSAIO_TGT_RESULT:
				parse_target_result(t, a);
				break;
			}
		}
	}
}

static void parse_target(struct dsc_job *j, const struct nlattr *nest)
{
	struct nlattr *a;
	int rem;

	for_each_attr(a, NLA_DATA(nest), NLA_LEN(nest), rem) {
		if (NLA_TYPE(a) < 32)
			j->tgt_present |= 1U << NLA_TYPE(a);
		switch (NLA_TYPE(a)) {
		case DSAIO_TGT_KIND: j->tgt_kind = get_uint(a); break;
		case DSAIO_TGT_ALIGN: j->tgt_align = get_uint(a); break;
		case DSAIO_TGT_BDEV:
			parse_str(j->tgt_bdev, sizeof(j->tgt_bdev), a);
			break;
		case DSAIO_TGT_FSTYPE:
			parse_str(j->tgt_fstype, sizeof(j->tgt_fstype), a);
			break;
		case DSAIO_TGT_FILE:
			parse_str(j->tgt_file, sizeof(j->tgt_file), a);
			break;
		}
	}
}

int dsc_parse_job(const struct nlmsghdr *nlh, struct dsc_job *j)
{
	struct nlattr *a, *p;
	int rem, rem2;

	memset(j, 0, sizeof(*j));
	j->hist_buckets = -1;
	if (nlh->nlmsg_len < NLMSG_LENGTH(GENL_HDRLEN))
		return -EPROTO;
	for_each_attr(a, (char *)NLMSG_DATA(nlh) + GENL_HDRLEN,
		      nlh->nlmsg_len - NLMSG_LENGTH(GENL_HDRLEN), rem) {
		if (NLA_TYPE(a) < 32)
			j->present |= 1U << NLA_TYPE(a);
		switch (NLA_TYPE(a)) {
		case DSAIO_A_JOB_ID: j->id = get_uint(a); break;
		case DSAIO_A_JOB_STATE: j->state = get_uint(a); break;
		case DSAIO_A_JOB_ERROR: j->error = (int32_t)get_uint(a); break;
		case DSAIO_A_JOB_HELD: j->held = get_uint(a); break;
		case DSAIO_A_JOB_CONFIG: parse_cfg(j, a); break;
		case DSAIO_A_JOB_TARGET: parse_target(j, a); break;
		case DSAIO_A_JOB_TARGETS: parse_targets(j, a); break;
		case DSAIO_A_JOB_RESULT: parse_result(j, a); break;
		case DSAIO_A_JOB_PROGRESS:
			for_each_attr(p, NLA_DATA(a), NLA_LEN(a), rem2) {
				uint64_t v = get_uint(p);

				if (NLA_TYPE(p) < 32)
					j->prog_present |= 1U << NLA_TYPE(p);
				switch (NLA_TYPE(p)) {
				case DSAIO_PROG_BYTES_DONE: j->bytes_done = v; break;
				case DSAIO_PROG_BYTES_TOTAL: j->bytes_total = v; break;
				case DSAIO_PROG_LOOP: j->loop = v; break;
				case DSAIO_PROG_ELAPSED_NS: j->elapsed_ns = v; break;
				}
			}
			break;
		}
	}
	return 0;
}

static int get_cb(const struct nlmsghdr *nlh, void *arg)
{
	return dsc_parse_job(nlh, arg);
}

int dsc_get(struct dsc *c, uint32_t id, struct dsc_job *job)
{
	struct dsmsg m;

	memset(job, 0, sizeof(*job));
	msg_init(&m, c, DSAIO_CMD_JOB_GET, 0);
	msg_put_u32(&m, DSAIO_A_JOB_ID, id);
	return dsc_transact(c, &m, get_cb, job);
}

int dsc_cancel(struct dsc *c, uint32_t id)
{
	struct dsmsg m;

	msg_init(&m, c, DSAIO_CMD_JOB_CANCEL, 0);
	msg_put_u32(&m, DSAIO_A_JOB_ID, id);
	return dsc_transact(c, &m, NULL, NULL);
}

int dsc_wait(struct dsc *c, uint32_t id, int timeout_ms, struct dsc_job *job)
{
	uint64_t end = now_ms() + timeout_ms;
	int ret, delay = 1000;

	for (;;) {
		ret = dsc_get(c, id, job);
		if (ret)
			return ret;
		if (JOB_ENDED(job->state))
			return 0;
		if (now_ms() > end)
			return -ETIMEDOUT;
		usleep(delay);
		if (delay < 50000)
			delay *= 2;
	}
}

int dsc_run(struct dsc *c, const struct dsc_cfg *cfg, int timeout_ms,
	    struct dsc_job *job)
{
	uint32_t id;
	int ret;

	memset(job, 0, sizeof(*job));
	ret = dsc_start(c, cfg, &id);
	if (ret)
		return ret;
	ret = dsc_wait(c, id, timeout_ms, job);
	if (ret == -ETIMEDOUT)
		dsc_cancel(c, id);
	return ret;
}

struct dump_ctx {
	void (*cb)(const struct dsc_job *, void *);
	void *arg;
	int intr, n;
	struct dsc_job job;
};

static int dump_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct dump_ctx *d = arg;

	if (nlh->nlmsg_flags & NLM_F_DUMP_INTR)
		d->intr = 1;
	d->n++;
	dsc_parse_job(nlh, &d->job);
	if (d->cb)
		d->cb(&d->job, d->arg);
	return 0;
}

int dsc_dump(struct dsc *c, void (*cb)(const struct dsc_job *, void *),
	     void *arg, int *intr, int *nmsgs)
{
	struct dump_ctx *d = calloc(1, sizeof(*d));
	struct dsmsg m;
	int ret;

	if (!d)
		return -ENOMEM;
	d->cb = cb;
	d->arg = arg;
	msg_init(&m, c, DSAIO_CMD_JOB_GET, NLM_F_DUMP);
	ret = dsc_transact(c, &m, dump_cb, d);
	if (intr)
		*intr = d->intr;
	if (nmsgs)
		*nmsgs = d->n;
	free(d);
	return ret;
}

int dsc_recv_event(struct dsc *c, void *buf, size_t len, int timeout_ms)
{
	struct pollfd p = { .fd = c->fd, .events = POLLIN };
	ssize_t n;
	int ret;

	ret = poll(&p, 1, timeout_ms);
	if (ret <= 0)
		return ret < 0 ? -errno : 0;
	n = recv(c->fd, buf, len, 0);
	if (n < 0)
		return -errno;
	return (int)n;
}

uint64_t dsc_dev_size(const char *dev)
{
	uint64_t sz = 0;
	int fd = open(dev, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return 0;
	if (ioctl(fd, BLKGETSIZE64, &sz))
		sz = 0;
	close(fd);
	return sz;
}

uint32_t dsc_dev_lbs(const char *dev)
{
	int lbs = 0;
	int fd = open(dev, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return 0;
	if (ioctl(fd, BLKSSZGET, &lbs))
		lbs = 0;
	close(fd);
	return (uint32_t)lbs;
}

const char *dsc_state_name(uint8_t s)
{
	static const char *const names[] = {
		"setup", "running", "done", "failed", "cancelled",
	};

	return s < 5 ? names[s] : "?";
}

/* Appends one entry to a growable array; 0 or -ENOMEM. */
static int stats_push(struct dsc_stat **arr, uint32_t *n, uint32_t *cap,
		      const struct nlattr *e)
{
	if (*n == *cap) {
		uint32_t ncap = *cap ? *cap * 2 : 256;
		struct dsc_stat *na = realloc(*arr, ncap * sizeof(**arr));

		if (!na)
			return -ENOMEM;
		*arr = na;
		*cap = ncap;
	}
	parse_stat(&(*arr)[*n], e);
	(*n)++;
	return 0;
}

/* One DSAIO_RES_WORKERS or DSAIO_RES_LOOPS nest of a JOB_STATS message. */
static int stats_nest(struct dsc_stats *st, const struct nlattr *r)
{
	int workers = NLA_TYPE(r) == DSAIO_RES_WORKERS;
	struct dsc_stat **arr = workers ? &st->worker : &st->loop;
	uint32_t *n = workers ? &st->nworkers : &st->nloops;
	uint32_t *cap = workers ? &st->cap_workers : &st->cap_loops;
	int entry = workers ? DSAIO_RES_WORKER : DSAIO_RES_LOOP;
	struct nlattr *e;
	int rem, ret;

	for_each_attr(e, NLA_DATA(r), NLA_LEN(r), rem) {
		/* workers first, then loops; each in index order */
		if (NLA_TYPE(e) != entry || (workers && st->nloops))
			st->bad++;
		ret = stats_push(arr, n, cap, e);
		if (ret)
			return ret;
		if ((*arr)[*n - 1].index != *n - 1)
			st->bad++;
	}
	return 0;
}

static int stats_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct dsc_stats *st = arg;
	struct nlattr *a, *r;
	int rem, rem2, ret;

	st->nmsgs++;
	for_each_attr(a, (char *)NLMSG_DATA(nlh) + GENL_HDRLEN,
		      nlh->nlmsg_len - NLMSG_LENGTH(GENL_HDRLEN), rem) {
		if (NLA_TYPE(a) == DSAIO_A_JOB_ID) {
			if (get_uint(a) != st->job_id)
				st->bad++;
			continue;
		}
		if (NLA_TYPE(a) != DSAIO_A_JOB_RESULT) {
			st->bad++;
			continue;
		}
		for_each_attr(r, NLA_DATA(a), NLA_LEN(a), rem2) {
			if (NLA_TYPE(r) != DSAIO_RES_WORKERS &&
			    NLA_TYPE(r) != DSAIO_RES_LOOPS) {
				st->bad++;
				continue;
			}
			ret = stats_nest(st, r);
			if (ret)
				return ret;
		}
	}
	return 0;
}

int dsc_stats_dump(struct dsc *c, uint32_t id, struct dsc_stats *st)
{
	struct dsmsg m;
	int ret;

	memset(st, 0, sizeof(*st));
	st->job_id = id;
	msg_init(&m, c, DSAIO_CMD_JOB_STATS, NLM_F_DUMP);
	msg_put_u32(&m, DSAIO_A_JOB_ID, id);
	ret = dsc_transact(c, &m, stats_cb, st);
	if (ret)
		dsc_stats_free(st);
	return ret;
}

void dsc_stats_free(struct dsc_stats *st)
{
	free(st->worker);
	free(st->loop);
	st->worker = st->loop = NULL;
	st->nworkers = st->nloops = st->cap_workers = st->cap_loops = 0;
}
