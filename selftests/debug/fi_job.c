// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * fi_job: a tiny raw generic-netlink client for the dsaio fault-injection
 * group (selftests/debug). Self-contained so it links statically.
 *
 *   fi_job run     JOBOPTS [--timeout S]
 *       Start one job, wait for it to end (cancel it after S seconds), print
 *       "state=... error=... requests=N errors=N eio=N bytes=N" and exit
 *       0 when the job ended, 1 when JOB_START was refused, 2 on a timeout,
 *       3 on a protocol or usage error.
 *
 *   fi_job failnth JOBOPTS [--max N] [--timeout S]
 *       For n = 1, 2, ...: arm /proc/thread-self/fail-nth with n (the n-th
 *       fault-injection point this thread passes fails: slab or page
 *       allocation, as failslab / fail_page_alloc let through), send
 *       JOB_START, disarm. A refusal must be a clean negative errno; a
 *       started job must end within the timeout. Stops at the first n the
 *       request never reached (every allocation of JOB_START has then been
 *       failed once) and prints "failnth: points=K refused=R started=S".
 *       Exit 0 when clean, 1 otherwise.
 *
 *   JOBOPTS: --dev PATH --op read|write [--io-size B] [--bs B] [--qd N]
 *            [--threads N] [--loops N]
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/dsaio.h>

#define BUFSZ 65536

static int sock = -1;
static uint16_t family;
static uint32_t seq = 1;
static char rbuf[BUFSZ] __attribute__((aligned(8)));

struct msg {
	char buf[4096] __attribute__((aligned(8)));
	int len;
	int nest[4];
	int depth;
};

struct job {
	uint8_t state;
	int32_t error;
	uint64_t requests, errors, bytes, eio;
	int have_result;
};

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void put(struct msg *m, uint16_t type, const void *d, int len)
{
	struct nlattr *a = (struct nlattr *)(m->buf + m->len);

	a->nla_type = type;
	a->nla_len = NLA_HDRLEN + len;
	memcpy((char *)a + NLA_HDRLEN, d, len);
	m->len += NLA_ALIGN(a->nla_len);
}

static void put_u8(struct msg *m, uint16_t t, uint8_t v) { put(m, t, &v, 1); }
static void put_u32(struct msg *m, uint16_t t, uint32_t v) { put(m, t, &v, 4); }
static void put_u64(struct msg *m, uint16_t t, uint64_t v) { put(m, t, &v, 8); }

static void nest_start(struct msg *m, uint16_t type)
{
	m->nest[m->depth++] = m->len;
	put(m, type | NLA_F_NESTED, NULL, 0);
}

static void nest_end(struct msg *m)
{
	int off = m->nest[--m->depth];

	((struct nlattr *)(m->buf + off))->nla_len = m->len - off;
}

static void msg_init(struct msg *m, uint16_t type, uint8_t cmd)
{
	struct nlmsghdr *n = (struct nlmsghdr *)m->buf;
	struct genlmsghdr *g = (struct genlmsghdr *)NLMSG_DATA(n);

	memset(m, 0, sizeof(*m));
	n->nlmsg_type = type;
	n->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	n->nlmsg_seq = ++seq;
	g->cmd = cmd;
	g->version = type == GENL_ID_CTRL ? 1 : DSAIO_GENL_VERSION;
	m->len = NLMSG_HDRLEN + GENL_HDRLEN;
}

static int msg_send(struct msg *m)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };

	((struct nlmsghdr *)m->buf)->nlmsg_len = m->len;
	if (sendto(sock, m->buf, m->len, 0, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		return -errno;
	return 0;
}

typedef void (*attr_cb)(struct nlattr *a, void *arg);

static void walk(void *data, int len, attr_cb cb, void *arg)
{
	struct nlattr *a = data;

	while (len >= NLA_HDRLEN && a->nla_len >= NLA_HDRLEN && a->nla_len <= len) {
		cb(a, arg);
		len -= NLA_ALIGN(a->nla_len);
		a = (struct nlattr *)((char *)a + NLA_ALIGN(a->nla_len));
	}
}

#define ATYPE(a)	((a)->nla_type & NLA_TYPE_MASK)
#define ADATA(a)	((void *)((char *)(a) + NLA_HDRLEN))
#define ALEN(a)		((a)->nla_len - NLA_HDRLEN)

static uint64_t a_u64(struct nlattr *a)
{
	uint64_t v = 0;

	memcpy(&v, ADATA(a), ALEN(a) < 8 ? ALEN(a) : 8);
	return v;
}

/*
 * Receive until the ack of the last request. @cb sees each reply's
 * attributes. Returns 0 or the negative errno of the ack; -ETIMEDOUT when
 * nothing came.
 */
static int recv_reply(attr_cb cb, void *arg)
{
	for (;;) {
		int n = recv(sock, rbuf, sizeof(rbuf), 0);
		struct nlmsghdr *h;

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return errno == EAGAIN ? -ETIMEDOUT : -errno;
		}
		for (h = (struct nlmsghdr *)rbuf; NLMSG_OK(h, n); h = NLMSG_NEXT(h, n)) {
			if (h->nlmsg_seq != seq)
				continue;
			if (h->nlmsg_type == NLMSG_ERROR) {
				struct nlmsgerr *e = NLMSG_DATA(h);

				return e->error;
			}
			if (h->nlmsg_type == NLMSG_DONE)
				return 0;
			if (cb)
				walk((char *)NLMSG_DATA(h) + GENL_HDRLEN,
				     h->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN, cb, arg);
		}
	}
}

static void family_cb(struct nlattr *a, void *arg)
{
	if (ATYPE(a) == CTRL_ATTR_FAMILY_ID)
		*(uint16_t *)arg = *(uint16_t *)ADATA(a);
}

static int nl_open(void)
{
	struct timeval tv = { .tv_sec = 10 };
	struct msg m;
	int err;

	sock = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	if (sock < 0)
		return -errno;
	setsockopt(sock, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	msg_init(&m, GENL_ID_CTRL, CTRL_CMD_GETFAMILY);
	put(&m, CTRL_ATTR_FAMILY_NAME, DSAIO_GENL_NAME, sizeof(DSAIO_GENL_NAME));
	err = msg_send(&m);
	if (!err)
		err = recv_reply(family_cb, &family);
	if (!err && !family)
		err = -ENOENT;
	return err;
}

struct opts {
	const char *dev;
	int op;
	uint64_t io_size;
	uint32_t bs, qd, threads, loops;
	int timeout, max;
};

static void id_cb(struct nlattr *a, void *arg)
{
	if (ATYPE(a) == DSAIO_A_JOB_ID)
		*(uint32_t *)arg = *(uint32_t *)ADATA(a);
}

static void errno_entry_cb(struct nlattr *a, void *arg)
{
	uint32_t *code = arg;

	if (ATYPE(a) == DSAIO_ERRNO_CODE)
		code[0] = *(uint32_t *)ADATA(a);
	else if (ATYPE(a) == DSAIO_ERRNO_COUNT)
		code[1] = (uint32_t)a_u64(a);
}

static void errnos_cb(struct nlattr *a, void *arg)
{
	struct job *j = arg;
	uint32_t ent[2] = { 0, 0 };

	if (ATYPE(a) != DSAIO_ERRNO_ENTRY)
		return;
	walk(ADATA(a), ALEN(a), errno_entry_cb, ent);
	if (ent[0] == EIO)
		j->eio += ent[1];
}

static void res_cb(struct nlattr *a, void *arg)
{
	struct job *j = arg;

	switch (ATYPE(a)) {
	case DSAIO_RES_REQUESTS: j->requests = a_u64(a); break;
	case DSAIO_RES_ERRORS: j->errors = a_u64(a); break;
	case DSAIO_RES_BYTES: j->bytes = a_u64(a); break;
	case DSAIO_RES_ERRNOS: walk(ADATA(a), ALEN(a), errnos_cb, j); break;
	}
}

static void job_cb(struct nlattr *a, void *arg)
{
	struct job *j = arg;

	switch (ATYPE(a)) {
	case DSAIO_A_JOB_STATE: j->state = *(uint8_t *)ADATA(a); break;
	case DSAIO_A_JOB_ERROR: j->error = *(int32_t *)ADATA(a); break;
	case DSAIO_A_JOB_RESULT:
		j->have_result = 1;
		walk(ADATA(a), ALEN(a), res_cb, j);
		break;
	}
}

static int job_start(const struct opts *o, uint32_t *id, int failnth_fd, int nth,
		     int *reached)
{
	struct msg m;
	char b[32];
	int err;

	msg_init(&m, family, DSAIO_CMD_JOB_START);
	nest_start(&m, DSAIO_A_JOB_CONFIG);
	put(&m, DSAIO_CFG_DEV_PATH, o->dev, strlen(o->dev) + 1);
	put_u8(&m, DSAIO_CFG_OP, o->op);
	put_u64(&m, DSAIO_CFG_IO_SIZE, o->io_size);
	put_u32(&m, DSAIO_CFG_BLOCK_SIZE, o->bs);
	put_u32(&m, DSAIO_CFG_QUEUE_DEPTH, o->qd);
	put_u32(&m, DSAIO_CFG_THREADS, o->threads);
	put_u32(&m, DSAIO_CFG_LOOPS, o->loops);
	if (o->op == DSAIO_OP_WRITE)
		put_u8(&m, DSAIO_CFG_ALLOW_WRITE, 1);
	nest_end(&m);
	((struct nlmsghdr *)m.buf)->nlmsg_len = m.len;

	if (failnth_fd >= 0) {
		int len = snprintf(b, sizeof(b), "%d", nth);

		if (pwrite(failnth_fd, b, len, 0) != len) {
			fprintf(stderr, "fi_job: cannot arm fail-nth: %s\n", strerror(errno));
			return -EPROTO;
		}
	}
	/* The doit runs inside this sendto(): all of JOB_START is counted. */
	err = msg_send(&m);
	if (failnth_fd >= 0) {
		int r = pread(failnth_fd, b, sizeof(b) - 1, 0);

		b[r > 0 ? r : 0] = 0;
		*reached = atoi(b) == 0;
		if (pwrite(failnth_fd, "0", 1, 0) != 1)
			return -EPROTO;
	}
	if (err)
		return err;
	*id = 0;
	err = recv_reply(id_cb, id);
	if (!err && !*id)
		err = -EPROTO;
	return err;
}

static int job_get(uint32_t id, struct job *j)
{
	struct msg m;
	int err;

	msg_init(&m, family, DSAIO_CMD_JOB_GET);
	put_u32(&m, DSAIO_A_JOB_ID, id);
	memset(j, 0, sizeof(*j));
	err = msg_send(&m);
	return err ? err : recv_reply(job_cb, j);
}

static int job_cancel(uint32_t id)
{
	struct msg m;
	int err;

	msg_init(&m, family, DSAIO_CMD_JOB_CANCEL);
	put_u32(&m, DSAIO_A_JOB_ID, id);
	err = msg_send(&m);
	return err ? err : recv_reply(NULL, NULL);
}

static const char *state_name(int s)
{
	static const char *n[] = { "SETUP", "RUNNING", "DONE", "FAILED", "CANCELLED" };

	return s >= 0 && s <= DSAIO_JOB_STATE_MAX ? n[s] : "?";
}

#define ENDED(s) ((s) == DSAIO_JOB_DONE || (s) == DSAIO_JOB_FAILED || \
		  (s) == DSAIO_JOB_CANCELLED)

/* 0 ended, -ETIMEDOUT (cancelled after the timeout), other -errno. */
static int job_wait(uint32_t id, int timeout_s, struct job *j)
{
	uint64_t end = now_ms() + (uint64_t)timeout_s * 1000;
	int err;

	for (;;) {
		err = job_get(id, j);
		if (err)
			return err;
		if (ENDED(j->state))
			return 0;
		if (now_ms() > end)
			break;
		usleep(20000);
	}
	fprintf(stderr, "fi_job: job %u still %s after %ds: cancelling\n",
		id, state_name(j->state), timeout_s);
	job_cancel(id);
	return -ETIMEDOUT;
}

static void print_job(const char *pfx, uint32_t id, const struct job *j)
{
	printf("%sjob=%u state=%s error=%d requests=%llu errors=%llu eio=%llu bytes=%llu\n",
	       pfx, id, state_name(j->state), j->error,
	       (unsigned long long)j->requests, (unsigned long long)j->errors,
	       (unsigned long long)j->eio, (unsigned long long)j->bytes);
}

static int cmd_run(const struct opts *o)
{
	struct job j;
	uint32_t id;
	int err;

	err = job_start(o, &id, -1, 0, NULL);
	if (err) {
		printf("start refused: %d (%s)\n", err, strerror(-err));
		return 1;
	}
	err = job_wait(id, o->timeout, &j);
	print_job("", id, &j);
	if (err == -ETIMEDOUT)
		return 2;
	return err ? 3 : 0;
}

static int cmd_failnth(const struct opts *o)
{
	int fd = open("/proc/thread-self/fail-nth", O_RDWR);
	int n, refused = 0, started = 0, bad = 0;
	struct job j;
	uint32_t id;

	if (fd < 0) {
		fprintf(stderr, "fi_job: /proc/thread-self/fail-nth: %s (CONFIG_FAULT_INJECTION?)\n",
			strerror(errno));
		return 3;
	}
	for (n = 1; n <= o->max; n++) {
		int reached = 0, err, tries = 0;

		/*
		 * A device is released a moment after its job ended: a write
		 * job's exclusive open may find it still held (EBUSY) without
		 * any fault; try that n again.
		 */
		do {
			if (tries)
				usleep(100000);
			err = job_start(o, &id, fd, n, &reached);
		} while (err == -EBUSY && !reached && ++tries < 50);
		if (err == -ETIMEDOUT || err == -EPROTO) {
			printf("failnth: n=%d: no usable reply (%d)\n", n, err);
			bad++;
			break;
		}
		if (err) {
			refused++;
			printf("failnth: n=%d refused %d (%s)\n", n, err, strerror(-err));
			if (!reached) {
				printf("failnth: n=%d: refused without an injected fault\n", n);
				bad++;
			}
			continue;
		}
		started++;
		err = job_wait(id, o->timeout, &j);
		if (err) {
			printf("failnth: n=%d job %u did not end cleanly (%d)\n", n, id, err);
			bad++;
			break;
		}
		if (reached)
			print_job("failnth: started despite fault: ", id, &j);
		else
			break;	/* JOB_START made fewer than n calls: all covered */
	}
	if (n > o->max) {
		printf("failnth: still reaching injection points after %d; raise --max\n", o->max);
		bad++;
	}
	printf("failnth: points=%d refused=%d started=%d bad=%d\n", n - 1, refused, started, bad);
	close(fd);
	return bad ? 1 : 0;
}

static void usage(void)
{
	fprintf(stderr,
		"usage: fi_job run|failnth --dev PATH --op read|write [--io-size B] [--bs B]\n"
		"              [--qd N] [--threads N] [--loops N] [--timeout S] [--max N]\n");
}

int main(int argc, char **argv)
{
	struct opts o = { .op = -1, .io_size = 1 << 20, .bs = 65536, .qd = 4,
			  .threads = 2, .loops = 1, .timeout = 120, .max = 5000 };
	const char *cmd;
	int i, err;

	if (argc < 2 || !strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
		usage();
		return argc < 2 ? 3 : 0;
	}
	cmd = argv[1];
	for (i = 2; i < argc; i++) {
		const char *k = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (!v) {
			usage();
			return 3;
		}
		i++;
		if (!strcmp(k, "--dev"))
			o.dev = v;
		else if (!strcmp(k, "--op"))
			o.op = !strcmp(v, "write") ? DSAIO_OP_WRITE :
			       !strcmp(v, "read") ? DSAIO_OP_READ : -2;
		else if (!strcmp(k, "--io-size"))
			o.io_size = strtoull(v, NULL, 0);
		else if (!strcmp(k, "--bs"))
			o.bs = strtoul(v, NULL, 0);
		else if (!strcmp(k, "--qd"))
			o.qd = strtoul(v, NULL, 0);
		else if (!strcmp(k, "--threads"))
			o.threads = strtoul(v, NULL, 0);
		else if (!strcmp(k, "--loops"))
			o.loops = strtoul(v, NULL, 0);
		else if (!strcmp(k, "--timeout"))
			o.timeout = atoi(v);
		else if (!strcmp(k, "--max"))
			o.max = atoi(v);
		else {
			usage();
			return 3;
		}
	}
	if (!o.dev || o.op < 0) {
		usage();
		return 3;
	}
	err = nl_open();
	if (err) {
		fprintf(stderr, "fi_job: cannot reach the dsaio family: %s\n", strerror(-err));
		return 3;
	}
	if (!strcmp(cmd, "run"))
		return cmd_run(&o);
	if (!strcmp(cmd, "failnth"))
		return cmd_failnth(&o);
	usage();
	return 3;
}
