// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * fuzz_nl: sends random and mutated messages to the dsaio family.
 *
 *   fuzz_nl [-n COUNT] [-s SEED] [-d DEV]
 *
 * Valid netlink and genl headers; random commands, flags, attribute types,
 * lengths and nesting; mutations of valid requests. DEV (a scratch null_blk)
 * is the only device path a generated request names, so a mutated job can
 * only ever touch it. Afterwards every running job is cancelled and the
 * family must still answer GET_INFO. Exit 0 when healthy.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include "dsaio_client.h"

static uint64_t rng_state;

static uint64_t rnd(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static uint32_t rn(uint32_t n) { return n ? rnd() % n : 0; }

static const char *dev = "/dev/nullb0";

static uint64_t interesting(void)
{
	static const uint64_t v[] = {
		0, 1, 2, 3, 7, 8, 255, 256, 511, 512, 513, 4095, 4096, 4097,
		65536, 131072, 1 << 20, 8 << 20, 0x7fffffff, 0x80000000,
		0xffffffff, 0x100000000ULL, 0x7fffffffffffffffULL,
		0xffffffffffffffffULL, 1ULL << 30, (1ULL << 30) - 512,
	};

	if (rn(4) == 0)
		return rnd();
	return v[rn(sizeof(v) / sizeof(v[0]))];
}

static void put_random_value(struct dsmsg *m, uint16_t type)
{
	static const int widths[] = { 0, 1, 2, 3, 4, 8, 8, 12, 16 };
	unsigned char data[300];
	uint64_t v = interesting();
	int len, i;

	if (rn(6) == 0) {
		len = rn(sizeof(data));
		for (i = 0; i < len; i++)
			data[i] = rnd();
	} else {
		len = widths[rn(sizeof(widths) / sizeof(widths[0]))];
		memset(data, 0, sizeof(data));
		memcpy(data, &v, len < 8 ? len : 8);
	}
	msg_put(m, type, data, len);
}

static void put_random_attrs(struct dsmsg *m, int depth)
{
	int n = rn(8), i;

	for (i = 0; i < n; i++) {
		uint16_t type = rn(24);

		if (rn(8) == 0)
			type |= NLA_F_NET_BYTEORDER;
		if (depth < 3 && rn(4) == 0) {
			msg_nest_start(m, type);
			if (rn(3) == 0) /* drop the NESTED flag now and then */
				((struct nlattr *)(m->buf + m->nest[m->depth - 1]))->nla_type &= ~NLA_F_NESTED;
			put_random_attrs(m, depth + 1);
			msg_nest_end(m);
		} else {
			put_random_value(m, type);
		}
	}
}

static void valid_start(struct dsmsg *m, const struct dsc *c)
{
	struct dsc_cfg cfg;

	dsc_cfg_init(&cfg, dev, rn(3) ? DSAIO_OP_READ : DSAIO_OP_WRITE,
		     (1 + rn(64)) * 4096ULL, 4096U << rn(6));
	cfg.set = rnd() | CFG_REQUIRED;
	if (rn(4) == 0)
		cfg.set &= ~CFG_BIT(rn(DSAIO_CFG_MAX + 1));
	cfg.offset = rn(2) ? 0 : interesting();
	if (rn(3) == 0)
		cfg.io_size = interesting();
	if (rn(4) == 0)
		cfg.block_size = interesting();
	cfg.queue_depth = rn(3) ? 1 + rn(64) : interesting();
	cfg.threads = rn(3) ? 1 + rn(8) : interesting();
	cfg.loops = rn(3) ? 1 + rn(3) : interesting();
	cfg.single_submit = rn(3);
	cfg.overlap = rn(3);
	cfg.validate = rn(3);
	cfg.allow_write = rn(3);
	cfg.histogram = rn(3);
	cfg.seed = rnd();
	msg_init(m, c, DSAIO_CMD_JOB_START, 0);
	msg_put_cfg(m, &cfg);
	if (rn(5) == 0)
		put_random_attrs(m, 1);
}

static void valid_other(struct dsmsg *m, const struct dsc *c)
{
	switch (rn(4)) {
	case 0:
		msg_init(m, c, DSAIO_CMD_GET_INFO, 0);
		break;
	case 1:
		msg_init(m, c, DSAIO_CMD_JOB_GET, 0);
		msg_put_u32(m, DSAIO_A_JOB_ID, rn(2) ? rn(64) : interesting());
		break;
	case 2:
		msg_init(m, c, DSAIO_CMD_JOB_GET, NLM_F_DUMP);
		break;
	default:
		msg_init(m, c, DSAIO_CMD_JOB_CANCEL, 0);
		msg_put_u32(m, DSAIO_A_JOB_ID, rn(64));
		break;
	}
}

/* Flip bytes, shrink or grow attribute lengths: headers stay sane. */
static void mutate(struct dsmsg *m)
{
	uint32_t base = NLMSG_LENGTH(GENL_HDRLEN), len = m->nlh.nlmsg_len;
	int n = 1 + rn(4), i;

	if (len <= base)
		return;
	for (i = 0; i < n; i++) {
		uint32_t pos = base + rn(len - base);

		switch (rn(4)) {
		case 0:
			m->buf[pos] ^= 1 << rn(8);
			break;
		case 1:
			m->buf[pos] = rnd();
			break;
		case 2:	/* truncate the message */
			m->nlh.nlmsg_len = pos & ~3U;
			if (m->nlh.nlmsg_len < base)
				m->nlh.nlmsg_len = base;
			break;
		default: /* corrupt an nla_len at an aligned spot */
			pos &= ~3U;
			if (pos + 2 <= len) {
				uint16_t v = rn(2) ? rn(64) : rnd();

				memcpy(m->buf + pos, &v, 2);
			}
			break;
		}
	}
}

static long counts[256];

static void drain(struct dsc *c)
{
	static char buf[DSC_BUF_SIZE];
	ssize_t n;

	while ((n = recv(c->fd, buf, sizeof(buf), MSG_DONTWAIT)) > 0) {
		struct nlmsghdr *nlh;
		int len = (int)n;

		for (nlh = (struct nlmsghdr *)buf; NLMSG_OK(nlh, len);
		     nlh = NLMSG_NEXT(nlh, len)) {
			if (nlh->nlmsg_type == NLMSG_ERROR) {
				int e = -((struct nlmsgerr *)NLMSG_DATA(nlh))->error;

				counts[e > 0 && e < 255 ? e : 0]++;
			} else {
				counts[255]++;
			}
		}
	}
}

struct running {
	uint32_t ids[4096];
	int n;
};

static void collect_running(const struct dsc_job *j, void *arg)
{
	struct running *r = arg;

	if (!JOB_ENDED(j->state) && r->n < 4096)
		r->ids[r->n++] = j->id;
}

int main(int argc, char **argv)
{
	static struct dsmsg m;
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	struct running run;
	struct dsc_info info;
	struct dsc c, ctl;
	long count = 10000, i, sent = 0;
	int opt, r, k;

	rng_state = (uint64_t)getpid() * 2654435761ULL;
	while ((opt = getopt(argc, argv, "n:s:d:")) != -1) {
		switch (opt) {
		case 'n': count = atol(optarg); break;
		case 's': rng_state = strtoull(optarg, NULL, 0); break;
		case 'd': dev = optarg; break;
		default:
			fprintf(stderr, "usage: fuzz_nl [-n COUNT] [-s SEED] [-d DEV]\n");
			return 2;
		}
	}
	printf("# fuzz_nl: seed %llu, %ld messages, device %s\n",
	       (unsigned long long)rng_state, count, dev);
	r = dsc_open(&c);
	if (r) {
		fprintf(stderr, "fuzz_nl: dsaio family: %s\n", strerror(-r));
		return r == -ENOENT ? 4 : 1;
	}
	for (i = 0; i < count; i++) {
		switch (rn(5)) {
		case 0: /* random command and attributes */
			msg_init(&m, &c, rn(DSAIO_CMD_MAX + 3), 0);
			put_random_attrs(&m, 0);
			break;
		case 1:
			valid_start(&m, &c);
			break;
		case 2:
			valid_start(&m, &c);
			mutate(&m);
			break;
		case 3:
			valid_other(&m, &c);
			if (rn(2))
				mutate(&m);
			break;
		default: /* random attributes on a real command */
			msg_init(&m, &c, 1 + rn(DSAIO_CMD_MAX), 0);
			put_random_attrs(&m, 0);
			break;
		}
		if (rn(10) == 0)
			m.nlh.nlmsg_flags |= NLM_F_DUMP;
		if (rn(20) == 0)
			((struct genlmsghdr *)NLMSG_DATA(&m.nlh))->version = rn(256);
		if (rn(2))
			m.nlh.nlmsg_flags |= NLM_F_ACK;
		if (m.overflow)
			continue;
		m.nlh.nlmsg_seq = i + 1;
		if (sendto(c.fd, m.buf, m.nlh.nlmsg_len, 0,
			   (struct sockaddr *)&sa, sizeof(sa)) < 0 &&
		    errno != ENOBUFS && errno != EAGAIN) {
			/* netlink refuses a send only for local reasons */
			counts[errno < 255 ? errno : 0]++;
		}
		sent++;
		drain(&c);
	}
	drain(&c);
	printf("# sent %ld messages; replies:", sent);
	for (k = 0; k < 256; k++)
		if (counts[k])
			printf(" %s=%ld", k == 255 ? "data" : k ? strerror(k) : "ok",
			       counts[k]);
	printf("\n");
	dsc_close(&c);	/* cancels this socket's jobs */

	/* Health: the family answers, nothing is left running. */
	r = dsc_open(&ctl);
	if (r) {
		fprintf(stderr, "fuzz_nl: family gone after fuzzing: %s\n", strerror(-r));
		return 1;
	}
	r = dsc_info(&ctl, &info);
	if (r) {
		fprintf(stderr, "fuzz_nl: GET_INFO after fuzzing: %s\n", strerror(-r));
		return 1;
	}
	for (k = 0; k < 600; k++) {
		run.n = 0;
		r = dsc_dump(&ctl, collect_running, &run, NULL, NULL);
		if (r) {
			fprintf(stderr, "fuzz_nl: dump: %s\n", strerror(-r));
			return 1;
		}
		if (!run.n)
			break;
		for (i = 0; i < run.n; i++)
			dsc_cancel(&ctl, run.ids[i]);
		usleep(100000);
	}
	if (run.n) {
		fprintf(stderr, "fuzz_nl: %d jobs still running after 60 s\n", run.n);
		return 1;
	}
	printf("# healthy: module %s answers, no job running\n", info.version);
	return sent >= count ? 0 : 1;
}
