// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * fuzz_nl: sends random and mutated messages to the dsaio family.
 *
 *   fuzz_nl [-m random|state] [-n COUNT] [-s SEED] [-d DEV] [-S SLOWDEV] [-b BYTES]
 *           [-T SEC]
 *
 * random (default): valid netlink and genl headers; random commands, flags,
 * attribute types, lengths and nesting; mutations of valid requests; sent
 * without waiting for replies, so mostly the parser and the checks of
 * JOB_START are reached. Prints the time spent per message kind.
 *
 * state: valid sequences (start, get, dump, cancel, stats, socket close and
 * reopen, event subscription) on several sockets, each reply awaited and
 * the job states it shows remembered, mixed with mutated requests for the
 * jobs it knows and random messages. It must reach the job states (running,
 * done, cancelled) and the situations that need them (cancel of running and
 * of ended jobs, get of cancelled ones, a start refused at max_jobs, a
 * socket closed with jobs running and those jobs then cancelled, a DONE
 * event), else it fails: it cannot quietly become a parser fuzzer.
 *
 * DEV (a scratch null_blk) and SLOWDEV are the only device paths a
 * generated request names, so a mutated job can only ever touch them. The
 * same SEED replays the same messages (the kernel's replies, and so the
 * state mode's path, depend on timing too). Afterwards every running job is
 * cancelled and the family must still answer GET_INFO. Exit 0 when healthy.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <time.h>
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

/*
 * Most bytes one generated start may make a job read or write (io_size x
 * loops, -b; 0: no bound). A start over it is sent all the same, with its
 * values, but either with its io_size scaled down (accepted: a short job)
 * or with its region moved past the device's end (refused by the range
 * check), so every value still reaches the parser and the checks while no
 * accepted job runs for long: jobs that read gigabytes hundreds of times
 * would hold max_jobs for the rest of the run and the CPU with them.
 */
static uint64_t start_budget;
static uint64_t dev_size;

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
	if (start_budget && cfg.loops && cfg.io_size > start_budget / cfg.loops) {
		if (rn(2) && dev_size) {
			cfg.offset = dev_size + interesting() % dev_size;
			cfg.set |= CFG_BIT(DSAIO_CFG_OFFSET);
		} else {
			cfg.io_size = (start_budget / cfg.loops) & ~4095ULL;
		}
	}
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


static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/* -T: stop sending when this CLOCK_MONOTONIC instant passes (0: never). */
static uint64_t stop_at_ns;
static int stopped_by_time;

static int time_up(void)
{
	if (!stop_at_ns || now_ns() < stop_at_ns)
		return 0;
	stopped_by_time = 1;
	return 1;
}

/*
 * The guest's CPU time split (/proc/stat's first line), so a slow run shows
 * whether the time went to the messages (system) or elsewhere (idle: the
 * fuzzer waited; a busy system with few messages: jobs ran meanwhile).
 */
struct cpu_times {
	unsigned long long v[8];	/* user nice system idle iowait irq softirq steal */
};

static void cpu_read(struct cpu_times *t)
{
	FILE *f = fopen("/proc/stat", "r");

	memset(t, 0, sizeof(*t));
	if (!f)
		return;
	if (fscanf(f, "cpu %llu %llu %llu %llu %llu %llu %llu %llu", &t->v[0],
		   &t->v[1], &t->v[2], &t->v[3], &t->v[4], &t->v[5], &t->v[6],
		   &t->v[7]) != 8)
		memset(t, 0, sizeof(*t));
	fclose(f);
}

static void cpu_print(const struct cpu_times *a, const struct cpu_times *b)
{
	unsigned long long d[8], all = 0;
	int i;

	for (i = 0; i < 8; i++)
		all += d[i] = b->v[i] - a->v[i];
	if (!all)
		return;
	printf("# cpu: user %llu%% system %llu%% softirq %llu%% idle %llu%% iowait %llu%%\n",
	       100 * (d[0] + d[1]) / all, 100 * d[2] / all, 100 * d[6] / all,
	       100 * d[3] / all, 100 * d[4] / all);
}

/* Replies by errno (0: ok, 255: data) and per message kind. */
static long counts[256];

/* The random mode's message kinds: time spent sending, replies "ok". */
enum { K_RANDOM_CMD, K_START, K_START_MUTATED, K_OTHER, K_RANDOM_ATTRS, K_MAX };
static const char *const kind_name[K_MAX] = {
	"random-command", "start", "start-mutated", "get/dump/cancel",
	"random-attrs",
};

static struct {
	long sent, data;	/* data: replies with a payload (a start's: accepted) */
	uint64_t ns;
} kinds[K_MAX];

/* The kind of the message with sequence number s, for its reply. */
static unsigned char seq_kind[65536];

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
				if (nlh->nlmsg_type != NLMSG_DONE)
					kinds[seq_kind[nlh->nlmsg_seq & 0xffff]].data++;
			}
		}
	}
}

static void print_replies(void)
{
	int k;

	printf("# replies:");
	for (k = 0; k < 256; k++)
		if (counts[k])
			printf(" %s=%ld", k == 255 ? "data" : k ? strerror(k) : "ok",
			       counts[k]);
	printf("\n");
}

/* Random and mutated messages on one socket, without waiting for replies. */
static long random_mode(struct dsc *c, long count)
{
	static struct dsmsg m;
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	long i, sent = 0;
	int k;

	for (i = 0; i < count && !(i % 64 == 0 && time_up()); i++) {
		uint64_t t0;

		switch (k = rn(5)) {
		case K_RANDOM_CMD:
			msg_init(&m, c, rn(DSAIO_CMD_MAX + 3), 0);
			put_random_attrs(&m, 0);
			break;
		case K_START:
			valid_start(&m, c);
			break;
		case K_START_MUTATED:
			valid_start(&m, c);
			mutate(&m);
			break;
		case K_OTHER:
			valid_other(&m, c);
			if (rn(2))
				mutate(&m);
			break;
		default:
			msg_init(&m, c, 1 + rn(DSAIO_CMD_MAX), 0);
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
		seq_kind[m.nlh.nlmsg_seq & 0xffff] = k;
		t0 = now_ns();
		if (sendto(c->fd, m.buf, m.nlh.nlmsg_len, 0,
			   (struct sockaddr *)&sa, sizeof(sa)) < 0 &&
		    errno != ENOBUFS && errno != EAGAIN) {
			/* netlink refuses a send only for local reasons */
			counts[errno < 255 ? errno : 0]++;
		}
		kinds[k].ns += now_ns() - t0;
		kinds[k].sent++;
		sent++;
		drain(c);
	}
	drain(c);
	printf("# random: sent %ld messages\n", sent);
	print_replies();
	printf("# random: per kind: sent, data replies (a start's: accepted), mean time in sendto\n");
	for (k = 0; k < K_MAX; k++)
		printf("#   %-16s %7ld %7ld %9.3f ms\n", kind_name[k], kinds[k].sent,
		       kinds[k].data, kinds[k].sent ? kinds[k].ns / 1e6 / kinds[k].sent : 0);
	return sent;
}

/*
 * The stateful mode: valid sequences on several sockets, mixed with
 * mutated and random messages, so that requests meet jobs in every state:
 * starts up to the job limit, gets and cancels of running, ended, cancelled
 * and dropped jobs, sockets closed while their jobs run, event listeners.
 */
#define NSOCK		4
#define MAX_KNOWN	512

static const char *slow_dev;	/* -S: 1 ms per request, jobs stay running */
static uint32_t max_jobs = 8;

struct sock {
	struct dsc c;
	int subscribed;
};

/* A job seen: its last observed state, and whether its socket closed. */
struct kjob {
	uint32_t id;
	uint8_t state;
	int owner;		/* index in socks[], -1 when unknown */
	int orphan;		/* its socket closed while it had not ended */
};

static struct sock socks[NSOCK];
static struct dsc listener;	/* subscribed to "events", never sends */
static struct kjob known[MAX_KNOWN];
static int nknown;
static long sent_state;

enum {
	A_START, A_START_SLOW, A_BURST, A_GET, A_DUMP, A_CANCEL, A_STATS,
	A_CLOSE, A_SUBSCRIBE, A_MUTATED, A_RANDOM, A_MAX
};

static const struct {
	const char *name;
	int weight;
} actions[A_MAX] = {
	[A_START]	= { "start",		4 },
	[A_START_SLOW]	= { "start-slow",	3 },
	[A_BURST]	= { "burst-to-limit",	1 },
	[A_GET]		= { "get",		5 },
	[A_DUMP]	= { "dump",		2 },
	[A_CANCEL]	= { "cancel",		3 },
	[A_STATS]	= { "stats",		1 },
	[A_CLOSE]	= { "close-socket",	1 },
	[A_SUBSCRIBE]	= { "subscribe",	1 },
	[A_MUTATED]	= { "mutated",		5 },
	[A_RANDOM]	= { "random",		1 },
};

static struct {
	long n;
	uint64_t ns;
} action_stat[A_MAX];

/*
 * What the mode must reach (required) and what it reports only: a run
 * that reaches none of the job states is a parser fuzzer, and fails.
 */
enum {
	S_CANCEL_RUNNING, S_CANCEL_ENDED, S_GET_RUNNING, S_GET_CANCELLED,
	S_START_AT_LIMIT, S_CLOSE_RUNNING, S_CLOSED_JOB_CANCELLED, S_EVENT_DONE,
	S_EVENT_PROGRESS, S_STATS_RUNNING, S_STATS_ENDED, S_GET_DROPPED,
	S_START_REFUSED, S_MAX
};

static const struct {
	const char *name;
	int required;
} scenarios[S_MAX] = {
	[S_CANCEL_RUNNING]	= { "cancel-running", 1 },
	[S_CANCEL_ENDED]	= { "cancel-ended", 1 },
	[S_GET_RUNNING]		= { "get-running", 1 },
	[S_GET_CANCELLED]	= { "get-cancelled", 1 },
	[S_START_AT_LIMIT]	= { "start-at-job-limit", 1 },
	[S_CLOSE_RUNNING]	= { "close-with-running-jobs", 1 },
	[S_CLOSED_JOB_CANCELLED] = { "closed-socket-job-cancelled", 1 },
	[S_EVENT_DONE]		= { "event-done", 1 },
	[S_EVENT_PROGRESS]	= { "event-progress", 0 },
	[S_STATS_RUNNING]	= { "stats-while-running", 0 },
	[S_STATS_ENDED]		= { "stats-ended", 0 },
	[S_GET_DROPPED]		= { "get-dropped-result", 0 },
	[S_START_REFUSED]	= { "start-refused-other", 0 },
};

static long scenario[S_MAX];
/* Job states observed (gets, dumps, events); RUNNING, DONE, CANCELLED required. */
static long state_seen[DSAIO_JOB_STATE_MAX + 1];

static struct kjob *find_known(uint32_t id)
{
	int i;

	for (i = 0; i < nknown; i++)
		if (known[i].id == id)
			return &known[i];
	return NULL;
}

/* Remember a job; when full, the oldest entry (lowest index) goes. */
static struct kjob *add_known(uint32_t id, int owner)
{
	struct kjob *k = find_known(id);

	if (k)
		return k;
	if (nknown == MAX_KNOWN) {
		memmove(known, known + 1, sizeof(known[0]) * (MAX_KNOWN - 1));
		nknown--;
	}
	k = &known[nknown++];
	memset(k, 0, sizeof(*k));
	k->id = id;
	k->owner = owner;
	k->state = DSAIO_JOB_SETUP;
	return k;
}

static void observe(uint32_t id, uint8_t state)
{
	struct kjob *k = add_known(id, -1);

	if (state <= DSAIO_JOB_STATE_MAX)
		state_seen[state]++;
	if (k->orphan && state == DSAIO_JOB_CANCELLED)
		scenario[S_CLOSED_JOB_CANCELLED]++;
	if (JOB_ENDED(state))
		k->orphan = 0;
	k->state = state;
}

static void observe_cb(const struct dsc_job *j, void *arg)
{
	(void)arg;
	observe(j->id, j->state);
}

/* Every event the listener holds: DONE and PROGRESS carry a state. */
static void drain_events(void)
{
	static char buf[DSC_BUF_SIZE];
	static struct dsc_job j;
	ssize_t n;

	while ((n = recv(listener.fd, buf, sizeof(buf), MSG_DONTWAIT)) > 0 ||
	       (n < 0 && errno == ENOBUFS)) {
		struct nlmsghdr *nlh;
		int len = (int)n;

		if (n < 0)
			continue;	/* overrun: events were lost, go on */
		for (nlh = (struct nlmsghdr *)buf; NLMSG_OK(nlh, len);
		     nlh = NLMSG_NEXT(nlh, len)) {
			const struct genlmsghdr *g = NLMSG_DATA(nlh);

			if (nlh->nlmsg_type != listener.family ||
			    dsc_parse_job(nlh, &j) || !j.id)
				continue;
			if (g->cmd == DSAIO_CMD_EVENT_DONE)
				scenario[S_EVENT_DONE]++;
			else if (g->cmd == DSAIO_CMD_EVENT_PROGRESS)
				scenario[S_EVENT_PROGRESS]++;
			observe(j.id, j.state);
		}
	}
}

static struct sock *any_sock(void)
{
	return &socks[rn(NSOCK)];
}

/* A job id to act on: mostly one seen, sometimes any number. */
static uint32_t pick_id(void)
{
	if (nknown && rn(8))
		return known[rn(nknown)].id;
	return rn(2) ? rn(64) + 1 : interesting();
}

/* A small valid start on the fast device, or a slow one that keeps running. */
static void state_cfg(struct dsc_cfg *cfg, int slow)
{
	int write = rn(6) == 0;

	if (slow) {
		/* 16..64 requests a worker: about a second on 20 ms ones */
		dsc_cfg_init(cfg, slow_dev, write ? DSAIO_OP_WRITE : DSAIO_OP_READ,
			     4096ULL * (16 + rn(49)), 4096);
		cfg->queue_depth = 1;
		cfg->threads = 1 + rn(2);
		cfg->loops = 1 + rn(2);
	} else {
		dsc_cfg_init(cfg, dev, write ? DSAIO_OP_WRITE : DSAIO_OP_READ,
			     4096ULL * (1 + rn(64)), 4096U << rn(4));
		cfg->queue_depth = 1 + rn(16);
		cfg->threads = 1 + rn(4);
		cfg->loops = 1 + rn(3);
		cfg->validate = rn(4) == 0;
	}
	cfg->set |= CFG_BIT(DSAIO_CFG_QUEUE_DEPTH) | CFG_BIT(DSAIO_CFG_THREADS) |
		    CFG_BIT(DSAIO_CFG_LOOPS) | CFG_BIT(DSAIO_CFG_VALIDATE) |
		    CFG_BIT(DSAIO_CFG_ALLOW_WRITE);
	cfg->allow_write = write;
	cfg->seed = rnd();
}

/* Returns the start's errno (0: started). */
static int state_start(struct sock *s, int slow)
{
	struct dsc_cfg cfg;
	uint32_t id = 0;
	int r, i = (int)(s - socks);

	state_cfg(&cfg, slow);
	r = dsc_start(&s->c, &cfg, &id);
	sent_state++;
	if (!r && id)
		add_known(id, i)->state = DSAIO_JOB_SETUP;
	else if (r == -EAGAIN)
		scenario[S_START_AT_LIMIT]++;
	else if (r)
		scenario[S_START_REFUSED]++;
	return r;
}

static void state_get(struct dsc *c, uint32_t id)
{
	static struct dsc_job j;
	int r = dsc_get(c, id, &j);

	sent_state++;
	if (r) {
		struct kjob *k = find_known(id);

		if (r == -ENOENT && k && JOB_ENDED(k->state))
			scenario[S_GET_DROPPED]++;
		return;
	}
	if (j.state == DSAIO_JOB_RUNNING || j.state == DSAIO_JOB_SETUP)
		scenario[S_GET_RUNNING]++;
	else if (j.state == DSAIO_JOB_CANCELLED)
		scenario[S_GET_CANCELLED]++;
	observe(j.id, j.state);
}

static void state_cancel(struct dsc *c, uint32_t id)
{
	struct kjob *k = find_known(id);
	int ended = k && JOB_ENDED(k->state);

	if (dsc_cancel(c, id) == 0)
		scenario[ended ? S_CANCEL_ENDED : S_CANCEL_RUNNING] += k != NULL;
	sent_state++;
	if (rn(2))
		state_get(c, id);
}

static int running_of(int sock)
{
	int j, n = 0;

	for (j = 0; j < nknown; j++)
		n += known[j].owner == sock && !JOB_ENDED(known[j].state);
	return n;
}

/* Close a socket (usually the one with most jobs running) and open it again. */
static void state_close(void)
{
	int i, best = rn(NSOCK), running = 0;
	struct sock *s;

	if (rn(4))
		for (i = 0; i < NSOCK; i++)
			if (running_of(i) > running_of(best))
				best = i;
	s = &socks[best];
	for (i = 0; i < nknown; i++) {
		if (known[i].owner != best)
			continue;
		if (!JOB_ENDED(known[i].state)) {
			known[i].orphan = 1;
			running++;
		}
		known[i].owner = -1;
	}
	dsc_close(&s->c);
	if (running)
		scenario[S_CLOSE_RUNNING]++;
	if (dsc_open(&s->c)) {
		fprintf(stderr, "fuzz_nl: reopening a socket failed\n");
		exit(1);
	}
	s->subscribed = 0;
}

/* A valid request for a known job, mutated, sent without waiting. */
static void state_mutated(struct sock *s)
{
	static struct dsmsg m;
	struct dsc_cfg cfg;

	switch (rn(4)) {
	case 0:
		state_cfg(&cfg, rn(4) == 0);
		dsc_start_msg(&m, &s->c, &cfg);
		break;
	case 1:
		msg_init(&m, &s->c, DSAIO_CMD_JOB_GET, 0);
		msg_put_u32(&m, DSAIO_A_JOB_ID, pick_id());
		break;
	case 2:
		msg_init(&m, &s->c, DSAIO_CMD_JOB_CANCEL, 0);
		msg_put_u32(&m, DSAIO_A_JOB_ID, pick_id());
		break;
	default:
		msg_init(&m, &s->c, DSAIO_CMD_JOB_STATS, NLM_F_DUMP);
		msg_put_u32(&m, DSAIO_A_JOB_ID, pick_id());
		break;
	}
	mutate(&m);
	if (rn(10) == 0)
		m.nlh.nlmsg_flags ^= NLM_F_DUMP;
	if (!m.overflow)
		dsc_send(&s->c, &m);	/* its reply is skipped by the next wait */
	sent_state++;
}

static void state_action(int a)
{
	struct sock *s = any_sock();
	static struct dsmsg m;
	struct dsc_stats st;
	uint32_t i;
	int r;

	switch (a) {
	case A_START:
	case A_START_SLOW:
		state_start(s, a == A_START_SLOW);
		break;
	case A_BURST:	/* one socket starts slow jobs until refused */
		for (i = 0; i <= max_jobs; i++)
			if (state_start(s, 1) == -EAGAIN)
				break;
		break;
	case A_GET:
		state_get(&s->c, pick_id());
		break;
	case A_DUMP:
		dsc_dump(&s->c, observe_cb, NULL, NULL, NULL);
		sent_state++;
		break;
	case A_CANCEL:
		state_cancel(&s->c, pick_id());
		break;
	case A_STATS:
		r = dsc_stats_dump(&s->c, pick_id(), &st);
		if (r == -EBUSY)
			scenario[S_STATS_RUNNING]++;
		else if (!r)
			scenario[S_STATS_ENDED]++;
		dsc_stats_free(&st);
		sent_state++;
		break;
	case A_CLOSE:
		state_close();
		break;
	case A_SUBSCRIBE:
		if (!s->subscribed && !dsc_subscribe(&s->c))
			s->subscribed = 1;
		else if (s->subscribed &&
			 !setsockopt(s->c.fd, SOL_NETLINK, NETLINK_DROP_MEMBERSHIP,
				     &s->c.mcgrp, sizeof(s->c.mcgrp)))
			s->subscribed = 0;
		break;
	case A_MUTATED:
		state_mutated(s);
		break;
	default:
		msg_init(&m, &s->c, 1 + rn(DSAIO_CMD_MAX), 0);
		put_random_attrs(&m, 0);
		if (!m.overflow)
			dsc_send(&s->c, &m);
		sent_state++;
		break;
	}
}

/* Returns 0 when every required state and scenario was reached. */
static int state_mode(long count)
{
	static const uint8_t need_state[] = {
		DSAIO_JOB_RUNNING, DSAIO_JOB_DONE, DSAIO_JOB_CANCELLED,
	};
	struct dsc_info info;
	int total = 0, a, k, bad = 0;
	long n = 0;

	if (!slow_dev)
		slow_dev = dev;
	for (a = 0; a < A_MAX; a++)
		total += actions[a].weight;
	for (k = 0; k < NSOCK; k++)
		if (dsc_open(&socks[k].c)) {
			fprintf(stderr, "fuzz_nl: opening socket %d failed\n", k);
			return 1;
		}
	if (dsc_open(&listener) || dsc_subscribe(&listener)) {
		fprintf(stderr, "fuzz_nl: the events listener failed\n");
		return 1;
	}
	if (!dsc_info(&socks[0].c, &info) && info.have_limit[DSAIO_LIMIT_MAX_JOBS])
		max_jobs = info.limit[DSAIO_LIMIT_MAX_JOBS];
	while (sent_state < count && !time_up()) {
		int w = rn(total);
		uint64_t t0;

		for (a = 0; w >= actions[a].weight; a++)
			w -= actions[a].weight;
		t0 = now_ns();
		state_action(a);
		action_stat[a].ns += now_ns() - t0;
		action_stat[a].n++;
		drain_events();
		n++;
	}
	/* the jobs of closed sockets: one last look at each */
	for (k = 0; k < nknown; k++)
		if (known[k].orphan)
			state_get(&socks[0].c, known[k].id);
	drain_events();
	for (k = 0; k < NSOCK; k++)
		dsc_close(&socks[k].c);

	printf("# state: %ld messages in %ld actions, max_jobs %u\n", sent_state, n, max_jobs);
	printf("# state: per action: count, mean time\n");
	for (a = 0; a < A_MAX; a++)
		printf("#   %-16s %7ld %9.3f ms\n", actions[a].name, action_stat[a].n,
		       action_stat[a].n ? action_stat[a].ns / 1e6 / action_stat[a].n : 0);
	printf("# state: job states reached:");
	for (k = 0; k <= DSAIO_JOB_STATE_MAX; k++)
		printf(" %s=%ld", dsc_state_name(k), state_seen[k]);
	printf("\n# state: scenarios:");
	for (k = 0; k < S_MAX; k++)
		printf(" %s=%ld", scenarios[k].name, scenario[k]);
	printf("\n");
	for (k = 0; k < (int)sizeof(need_state); k++)
		if (!state_seen[need_state[k]]) {
			fprintf(stderr, "fuzz_nl: state mode never saw a job %s\n",
				dsc_state_name(need_state[k]));
			bad = 1;
		}
	for (k = 0; k < S_MAX; k++)
		if (scenarios[k].required && !scenario[k]) {
			fprintf(stderr, "fuzz_nl: state mode never reached %s\n",
				scenarios[k].name);
			bad = 1;
		}
	dsc_close(&listener);
	return bad;
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

/* The family answers and, after cancels, no job is left running. */
static int healthy(void)
{
	static struct running run;
	struct dsc_info info;
	struct dsc ctl;
	int r, k, i;

	r = dsc_open(&ctl);
	if (r) {
		fprintf(stderr, "fuzz_nl: family gone after fuzzing: %s\n", strerror(-r));
		return 0;
	}
	r = dsc_info(&ctl, &info);
	if (r) {
		fprintf(stderr, "fuzz_nl: GET_INFO after fuzzing: %s\n", strerror(-r));
		return 0;
	}
	for (k = 0; k < 600; k++) {
		run.n = 0;
		r = dsc_dump(&ctl, collect_running, &run, NULL, NULL);
		if (r) {
			fprintf(stderr, "fuzz_nl: dump: %s\n", strerror(-r));
			return 0;
		}
		if (k == 0)
			printf("# %d jobs running at the end (cancelled now)\n", run.n);
		if (!run.n)
			break;
		for (i = 0; i < run.n; i++)
			dsc_cancel(&ctl, run.ids[i]);
		usleep(100000);
	}
	if (run.n) {
		fprintf(stderr, "fuzz_nl: %d jobs still running after 60 s\n", run.n);
		return 0;
	}
	printf("# healthy: module %s answers, no job running\n", info.version);
	dsc_close(&ctl);
	return 1;
}

static void usage(void)
{
	fprintf(stderr,
		"usage: fuzz_nl [-m random|state] [-n COUNT] [-s SEED] [-d DEV] [-S SLOWDEV] [-b BYTES]\n"
		"               [-T SEC]\n"
		"  -m MODE   random: random and mutated messages, replies not awaited (default);\n"
		"            state: valid sequences on %d sockets mixed with mutations\n"
		"  -n COUNT  messages to send (default 10000)\n"
		"  -s SEED   replay a run (its seed is printed first)\n"
		"  -d DEV    the only device a generated start names (default /dev/nullb0)\n"
		"  -S DEV    state mode: a slow device, so that jobs stay running (default DEV)\n"
		"  -b BYTES  most io_size x loops of a generated random-mode start (default\n"
		"            0: unbounded)\n"
		"  -T SEC    stop sending after SEC seconds, fewer than COUNT (a long run's\n"
		"            time box; the figure is printed)\n", NSOCK);
}

int main(int argc, char **argv)
{
	struct cpu_times cpu0, cpu1;
	long count = 10000, sent = 0;
	int opt, r, state = 0, bad = 0;
	uint64_t t0, limit_s = 0;
	struct dsc c;

	rng_state = (uint64_t)getpid() * 2654435761ULL;
	while ((opt = getopt(argc, argv, "m:n:s:d:S:b:T:")) != -1) {
		switch (opt) {
		case 'm':
			if (strcmp(optarg, "random") && strcmp(optarg, "state")) {
				fprintf(stderr, "fuzz_nl: -m takes random or state, not \"%s\"\n",
					optarg);
				return 2;
			}
			state = !strcmp(optarg, "state");
			break;
		case 'n': count = atol(optarg); break;
		case 's': rng_state = strtoull(optarg, NULL, 0); break;
		case 'd': dev = optarg; break;
		case 'S': slow_dev = optarg; break;
		case 'b': start_budget = strtoull(optarg, NULL, 0); break;
		case 'T': limit_s = strtoull(optarg, NULL, 0); break;
		default:
			usage();
			return 2;
		}
	}
	printf("# fuzz_nl: %s mode, seed %llu, %ld messages, device %s\n",
	       state ? "state" : "random", (unsigned long long)rng_state, count, dev);
	r = dsc_open(&c);
	if (r) {
		fprintf(stderr, "fuzz_nl: dsaio family: %s\n", strerror(-r));
		return r == -ENOENT ? 4 : 1;
	}
	dev_size = dsc_dev_size(dev);
	cpu_read(&cpu0);
	t0 = now_ns();
	if (limit_s)
		stop_at_ns = t0 + limit_s * 1000000000ULL;
	if (state) {
		bad = state_mode(count);
		sent = sent_state;
	} else {
		sent = random_mode(&c, count);
	}
	dsc_close(&c);	/* cancels this socket's jobs */
	cpu_read(&cpu1);
	printf("# %ld messages in %.1f s (%.3f ms each)\n", sent, (now_ns() - t0) / 1e9,
	       sent ? (now_ns() - t0) / 1e6 / sent : 0);
	cpu_print(&cpu0, &cpu1);
	if (stopped_by_time)
		printf("# stopped by the time limit (-T %llu) after %ld of %ld messages\n",
		       (unsigned long long)limit_s, sent, count);
	if (!healthy())
		return 1;
	return bad || (sent < count && !stopped_by_time) ? 1 : 0;
}
