// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Requests to the "dsaio" generic netlink family over libnl-genl-3, and
 * the event subscription. One request at a time on the command socket:
 * send, then read until the ACK (doit) or NLMSG_DONE (dump), so a reply is
 * never confused with the next request's.
 *
 * libnl 3.7 has no extended-ACK helper, so NETLINK_EXT_ACK is set on the
 * socket directly and NLMSGERR_ATTR_MSG is read from the error message in
 * our nl_cb_err callback: the module's extack text names the attribute and
 * the reason, which is far better than a bare errno.
 */
#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/netlink.h>
#include <netlink/netlink.h>
#include <netlink/attr.h>
#include <netlink/msg.h>
#include <netlink/genl/genl.h>
#include <netlink/genl/ctrl.h>
#include "modsig.h"
#include "nl_client.h"
#include "nl_config.h"
#include "nl_decode.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

struct dsaio_nl {
	struct nl_sock *sk;	/* commands; owns the jobs it starts */
	struct nl_sock *ev;	/* events; NULL until subscribed */
	int family;
	int mcgrp;
	char errmsg[512];
};

/* State of one request while its replies are read. */
struct req {
	struct dsaio_nl *nl;
	bool done;
	int error;		/* negative errno from the kernel, or decode */
	char extack[256];
	/* Called for each reply message; returns 0 or a negative errno. */
	int (*parse)(struct nlmsghdr *nlh, struct req *rq);
	void *out;
	int dump_intr;
	uint32_t bad_offset;	/* NLMSGERR_ATTR_OFFS; 0 when not sent */
};

static int set_err(struct dsaio_nl *nl, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int set_err(struct dsaio_nl *nl, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(nl->errmsg, sizeof(nl->errmsg), fmt, ap);
	va_end(ap);
	return err;
}

const char *dsaio_nl_errmsg(const struct dsaio_nl *nl)
{
	return nl->errmsg;
}

/* The sentence for a kernel errno that came without an extack message. */
static const char *errno_sentence(int err)
{
	switch (-err) {
	case EPERM:
	case EACCES:
		return "needs CAP_NET_ADMIN: run as root";
	case ENOENT:
		return "no such job, device or directory";
	case EBUSY:
		return "the device is busy (mounted, used by dm/md or swap, or opened by another writer)";
	case EAGAIN:
		return "the module runs as many jobs as it allows (max_jobs); wait for one to end";
	case ENOMEM:
		return "not enough memory: the job's buffers exceed max_mem_mb or the kernel is short of memory";
	case ENOTBLK:
		return "not a block device";
	/* Refusals of a file job (--dir), for a module without extack text. */
	case ENOTDIR:
		return "not a directory";
	case EEXIST:
		return "the job's file already exists in the directory (left by --keep-files?)";
	case ENOSPC:
		return "not enough free space in the directory for offset + io size";
	case EOPNOTSUPP:
		return "the directory is not on a filesystem on a block device (tmpfs, overlay and NFS are not)";
	case EROFS:
		return "the filesystem is read-only";
	default:
		return strerror(-err);
	}
}

/* libnl error codes of the socket layer, as errno values. */
static int nlerr_to_errno(int nlerr)
{
	switch (-nlerr) {
	case NLE_PERM:		return -EPERM;
	case NLE_NOMEM:		return -ENOBUFS;	/* recvmsg ENOBUFS maps here */
	case NLE_AGAIN:		return -EAGAIN;
	case NLE_OBJ_NOTFOUND:	return -ENOENT;
	case NLE_INTR:		return -EINTR;
	case NLE_DUMP_INTR:	return -EINTR;
	case NLE_MSG_TRUNC:	return -EMSGSIZE;
	default:		return -EIO;
	}
}

static int cb_valid(struct nl_msg *msg, void *arg)
{
	struct req *rq = arg;
	int ret;

	if (!rq->parse || rq->error)
		return NL_SKIP;
	ret = rq->parse(nlmsg_hdr(msg), rq);
	if (ret)
		rq->error = ret;
	return NL_SKIP;
}

static int cb_ack(struct nl_msg *msg, void *arg)
{
	struct req *rq = arg;

	(void)msg;
	rq->done = true;
	return NL_STOP;
}

/*
 * NLMSG_DONE carries the dump's final status: a dumpit that fails (e.g.
 * JOB_STATS of an unknown job) ends the dump with a negative errno there,
 * which libnl does not report.
 */
static int cb_finish(struct nl_msg *msg, void *arg)
{
	struct req *rq = arg;
	struct nlmsghdr *h = nlmsg_hdr(msg);

	if (h->nlmsg_len >= NLMSG_HDRLEN + sizeof(int) && !rq->error) {
		int e;

		memcpy(&e, nlmsg_data(h), sizeof(e));
		if (e < 0)
			rq->error = e;
	}
	rq->done = true;
	return NL_STOP;
}

static int cb_dump_intr(struct nl_msg *msg, void *arg)
{
	struct req *rq = arg;

	(void)msg;
	rq->dump_intr = 1;
	return NL_OK;
}

/*
 * The kernel's error: errno and, with NETLINK_EXT_ACK, TLVs after the
 * nlmsgerr (and after the echoed request unless NLM_F_CAPPED).
 */
static int cb_error(struct sockaddr_nl *nla, struct nlmsgerr *e, void *arg)
{
	struct req *rq = arg;
	struct nlmsghdr *h = (struct nlmsghdr *)((char *)e - NLMSG_HDRLEN);
	struct nlattr *tb[NLMSGERR_ATTR_MAX + 1];
	size_t off = sizeof(*e), total;

	(void)nla;
	rq->error = e->error ? e->error : -EIO;
	rq->done = true;
	if (!(h->nlmsg_flags & NLM_F_ACK_TLVS))
		return NL_STOP;
	if (!(h->nlmsg_flags & NLM_F_CAPPED))
		off += e->msg.nlmsg_len - sizeof(e->msg);
	off = NLMSG_ALIGN(off);
	total = h->nlmsg_len - NLMSG_HDRLEN;
	if (h->nlmsg_len < NLMSG_HDRLEN || off >= total)
		return NL_STOP;
	if (nla_parse(tb, NLMSGERR_ATTR_MAX, (struct nlattr *)((char *)e + off),
		      (int)(total - off), NULL) < 0)
		return NL_STOP;
	if (tb[NLMSGERR_ATTR_OFFS])
		rq->bad_offset = nla_get_u32(tb[NLMSGERR_ATTR_OFFS]);
	if (tb[NLMSGERR_ATTR_MSG] && nla_len(tb[NLMSGERR_ATTR_MSG]) > 0) {
		int len = nla_len(tb[NLMSGERR_ATTR_MSG]);

		/* The string is NUL-terminated by the kernel; bound it anyway. */
		snprintf(rq->extack, sizeof(rq->extack), "%.*s", len,
			 (const char *)nla_data(tb[NLMSGERR_ATTR_MSG]));
	}
	return NL_STOP;
}

/*
 * The attribute of our request at byte offset off (NLMSGERR_ATTR_OFFS),
 * so that a generic policy message ("integer out of range") can say which
 * value was refused. NULL when it is not a configuration attribute.
 */
static const char *attr_at(struct nl_msg *msg, uint32_t off)
{
	struct nlmsghdr *h = nlmsg_hdr(msg);
	struct nlattr *a, *c;
	int rem, crem;

	if (!off || off >= h->nlmsg_len)
		return NULL;
	nlmsg_for_each_attr(a, h, GENL_HDRLEN, rem) {
		if (nla_type(a) != DSAIO_A_JOB_CONFIG)
			continue;
		nla_for_each_nested(c, a, crem) {
			uint32_t at = (uint32_t)((char *)c - (char *)h);
			int t = nla_type(c);

			if (at == off)
				return nl_config_attr_name(t);
		}
	}
	return NULL;
}

/* Sends msg (freed here) and reads replies until the request is complete. */
static int transact(struct dsaio_nl *nl, struct nl_msg *msg, struct req *rq,
		    const char *what)
{
	struct nl_cb *cb;
	int ret;

	rq->nl = nl;
	cb = nl_cb_alloc(NL_CB_DEFAULT);
	if (!cb) {
		nlmsg_free(msg);
		return set_err(nl, -ENOMEM, "%s: out of memory", what);
	}
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, cb_valid, rq);
	nl_cb_set(cb, NL_CB_ACK, NL_CB_CUSTOM, cb_ack, rq);
	nl_cb_set(cb, NL_CB_FINISH, NL_CB_CUSTOM, cb_finish, rq);
	nl_cb_set(cb, NL_CB_DUMP_INTR, NL_CB_CUSTOM, cb_dump_intr, rq);
	nl_cb_err(cb, NL_CB_CUSTOM, cb_error, rq);

	ret = nl_send_auto(nl->sk, msg);
	if (ret < 0) {
		nlmsg_free(msg);
		nl_cb_put(cb);
		return set_err(nl, nlerr_to_errno(ret), "%s: cannot send to the module: %s",
			       what, nl_geterror(ret));
	}
	/*
	 * Read to the ACK or NLMSG_DONE even after a reply failed to decode,
	 * so that nothing of this request is left for the next one. An error
	 * reply ends the loop through cb_error (done is set).
	 */
	while (!rq->done) {
		ret = nl_recvmsgs(nl->sk, cb);
		if (ret < 0 && !rq->done) {
			if (ret == -NLE_INTR)
				continue;	/* a signal; the reply still comes */
			nlmsg_free(msg);
			nl_cb_put(cb);
			return set_err(nl, nlerr_to_errno(ret), "%s: %s", what,
				       nl_geterror(ret));
		}
	}
	nl_cb_put(cb);
	if (rq->error) {
		const char *attr = attr_at(msg, rq->bad_offset);

		nlmsg_free(msg);
		/* The module's own messages already name the attribute. */
		if (rq->extack[0] && attr && !strstr(rq->extack, "DSAIO_"))
			return set_err(nl, rq->error, "%s: %s", attr, rq->extack);
		if (rq->extack[0])
			return set_err(nl, rq->error, "%s", rq->extack);
		if (attr)
			return set_err(nl, rq->error, "%s: %s", attr,
				       errno_sentence(rq->error));
		if (nl->errmsg[0] && rq->error == -EPROTO)
			return rq->error;	/* the decoder's sentence */
		return set_err(nl, rq->error, "%s: %s", what,
			       errno_sentence(rq->error));
	}
	nlmsg_free(msg);
	return 0;
}

static struct nl_msg *new_request(struct dsaio_nl *nl, uint8_t cmd, int flags)
{
	struct nl_msg *msg = nlmsg_alloc();

	if (!msg)
		return NULL;
	if (!genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, nl->family, 0, flags,
			 cmd, DSAIO_GENL_VERSION)) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

/* Extended ACKs: error text from the kernel, and no echo of the request. */
static void enable_ext_ack(struct nl_sock *sk)
{
	int one = 1, fd = nl_socket_get_fd(sk);

	/* Both options only improve messages; old kernels lack them. */
	(void)setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	(void)setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
}

/* "not loaded", and why an unsigned dsaio.ko would be refused (modsig.h) */
static void not_loaded(char *err, size_t errlen)
{
	char lockdown[128];
	enum dsaio_modsig p = dsaio_modsig_read("", lockdown, sizeof(lockdown));

	dsaio_modsig_not_loaded(p, lockdown, err, errlen);
}

int dsaio_nl_open(struct dsaio_nl **out, char *err, size_t errlen)
{
	struct dsaio_nl *nl;
	int ret;

	*out = NULL;
	nl = calloc(1, sizeof(*nl));
	if (!nl) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	nl->mcgrp = -1;
	nl->sk = nl_socket_alloc();
	if (!nl->sk) {
		snprintf(err, errlen, "cannot allocate a netlink socket: out of memory");
		free(nl);
		return -ENOMEM;
	}
	ret = genl_connect(nl->sk);
	if (ret < 0) {
		snprintf(err, errlen, "cannot open a generic netlink socket: %s",
			 nl_geterror(ret));
		ret = nlerr_to_errno(ret);
		goto fail;
	}
	enable_ext_ack(nl->sk);
	/*
	 * A JOB_GET reply is up to DSAIO_MSG_MAX (the module refuses a job
	 * whose reply could be larger), far over libnl's default one-page
	 * read: with peeking, nl_recv() asks the size of each datagram first
	 * (MSG_PEEK | MSG_TRUNC) and sizes its buffer to it, so no reply is
	 * truncated. The receive buffer must hold that reply and the ACK
	 * after it, or the kernel drops the ACK (ENOBUFS): libnl's 32 KiB
	 * default does not, so it is set to twice the largest reply.
	 */
	nl_socket_enable_msg_peek(nl->sk);
	ret = nl_socket_set_buffer_size(nl->sk, 2 * DSAIO_MSG_MAX, 0);
	if (ret < 0) {
		snprintf(err, errlen, "cannot size the netlink socket's buffer: %s",
			 nl_geterror(ret));
		ret = nlerr_to_errno(ret);
		goto fail;
	}
	nl->family = genl_ctrl_resolve(nl->sk, DSAIO_GENL_NAME);
	if (nl->family < 0) {
		ret = nl->family;
		if (ret == -NLE_OBJ_NOTFOUND) {
			not_loaded(err, errlen);
			ret = -ENOENT;
		} else {
			snprintf(err, errlen, "cannot look up the dsaio netlink family: %s",
				 nl_geterror(ret));
			ret = nlerr_to_errno(ret);
		}
		goto fail;
	}
	*out = nl;
	return 0;
fail:
	nl_socket_free(nl->sk);
	free(nl);
	return ret;
}

void dsaio_nl_close(struct dsaio_nl *nl)
{
	if (!nl)
		return;
	if (nl->ev)
		nl_socket_free(nl->ev);
	/* Closing the command socket cancels jobs still running (ownership). */
	nl_socket_free(nl->sk);
	free(nl);
}

static int parse_info(struct nlmsghdr *nlh, struct req *rq)
{
	return dsaio_decode_info(nlh, rq->out, rq->nl->errmsg,
				 sizeof(rq->nl->errmsg));
}

int dsaio_nl_get_info(struct dsaio_nl *nl, struct nl_info *info)
{
	struct req rq = { .parse = parse_info, .out = info };
	struct nl_msg *msg = new_request(nl, DSAIO_CMD_GET_INFO, 0);
	bool got;
	int ret;

	if (!msg)
		return set_err(nl, -ENOMEM, "GET_INFO: out of memory");
	nl->errmsg[0] = '\0';
	info->version[0] = '\0';
	ret = transact(nl, msg, &rq, "module info");
	if (ret)
		return ret;
	got = info->version[0] != '\0';
	if (!got)
		return set_err(nl, -EPROTO, "the module sent no GET_INFO reply");
	return 0;
}

static int put_config(struct nl_msg *msg, const struct nl_job_config *c)
{
	struct nlattr *nest = nla_nest_start(msg, DSAIO_A_JOB_CONFIG | NLA_F_NESTED);

	if (!nest || nl_config_put(msg, c))
		return -EMSGSIZE;
	nla_nest_end(msg, nest);
	return 0;
}

static int parse_job_id(struct nlmsghdr *nlh, struct req *rq)
{
	struct nlattr *tb[DSAIO_A_MAX + 1];
	static struct nla_policy pol[DSAIO_A_MAX + 1] = {
		[DSAIO_A_JOB_ID] = { .type = NLA_U32 },
	};

	if (genlmsg_parse(nlh, 0, tb, DSAIO_A_MAX, pol) < 0 || !tb[DSAIO_A_JOB_ID])
		return set_err(rq->nl, -EPROTO, "JOB_START reply without a job id");
	*(uint32_t *)rq->out = nla_get_u32(tb[DSAIO_A_JOB_ID]);
	return 0;
}

int dsaio_nl_job_start(struct dsaio_nl *nl, const struct nl_job_config *c,
		       uint32_t *id)
{
	struct req rq = { .parse = parse_job_id, .out = id };
	struct nl_msg *msg = new_request(nl, DSAIO_CMD_JOB_START, 0);
	int ret;

	if (!msg)
		return set_err(nl, -ENOMEM, "JOB_START: out of memory");
	if (put_config(msg, c)) {
		nlmsg_free(msg);
		return set_err(nl, -EMSGSIZE, "JOB_START: the configuration does not fit a message");
	}
	nl->errmsg[0] = '\0';
	*id = 0;
	ret = transact(nl, msg, &rq, "starting the job");
	if (ret)
		return ret;
	if (!*id)
		return set_err(nl, -EPROTO, "the module did not return a job id");
	return 0;
}

struct get_ctx {
	struct nl_job *job;
	bool got;
};

static int parse_job(struct nlmsghdr *nlh, struct req *rq)
{
	struct get_ctx *g = rq->out;
	int ret;

	if (g->got)
		return set_err(rq->nl, -EPROTO, "two replies to one JOB_GET");
	ret = dsaio_decode_job(nlh, g->job, rq->nl->errmsg, sizeof(rq->nl->errmsg));
	if (ret)
		return ret == -ENOMEM ? ret : -EPROTO;
	g->got = true;
	return 0;
}

int dsaio_nl_job_peek(struct dsaio_nl *nl, uint32_t id, struct nl_job *j)
{
	struct get_ctx g = { .job = j };
	struct req rq = { .parse = parse_job, .out = &g };
	struct nl_msg *msg = new_request(nl, DSAIO_CMD_JOB_GET, 0);
	int ret;

	memset(j, 0, sizeof(*j));
	if (!msg)
		return set_err(nl, -ENOMEM, "JOB_GET: out of memory");
	if (nla_put_u32(msg, DSAIO_A_JOB_ID, id) < 0) {
		nlmsg_free(msg);
		return set_err(nl, -EMSGSIZE, "JOB_GET: message too small");
	}
	nl->errmsg[0] = '\0';
	ret = transact(nl, msg, &rq, "reading the job");
	if (ret) {
		nl_job_free(j);
		if (ret == -ENOENT && !rq.extack[0])
			return set_err(nl, ret, "job %u is gone: the module keeps only the last max_results jobs", id);
		return ret;
	}
	if (!g.got)
		return set_err(nl, -EPROTO, "the module sent no JOB_GET reply");
	return 0;
}

static int parse_stats(struct nlmsghdr *nlh, struct req *rq)
{
	int ret = dsaio_decode_stats_msg(nlh, rq->out, rq->nl->errmsg,
					 sizeof(rq->nl->errmsg));

	return ret == -ENOMEM ? ret : ret ? -EPROTO : 0;
}

/*
 * The worker/loop arrays a doit reply left out (over
 * DSAIO_STATS_INLINE_MAX entries): one JOB_STATS dump, which the kernel
 * resumes over as many messages as it needs; transact() reads them all
 * to NLMSG_DONE. A dump interrupted (NLM_F_DUMP_INTR) is read again: the
 * job has ended, so its statistics cannot change, but be safe.
 */
static int fetch_stats(struct dsaio_nl *nl, struct nl_job *j)
{
	bool want_w = !j->result.n_workers && j->config.threads > 0;
	bool want_l = !j->result.n_loops && j->config.loops > 0;
	int attempt, ret = 0;

	for (attempt = 0; attempt < 3; attempt++) {
		struct dsaio_stats_acc acc = {
			.id = j->id, .want_workers = want_w, .want_loops = want_l,
			/* threads workers for each of its targets */
			.max_workers = (size_t)j->config.threads *
				       (j->config.n_targets ? j->config.n_targets : 1),
			.max_loops = j->config.loops,
		};
		struct req rq = { .parse = parse_stats, .out = &acc };
		struct nl_msg *msg = new_request(nl, DSAIO_CMD_JOB_STATS, NLM_F_DUMP);

		if (!msg)
			return set_err(nl, -ENOMEM, "JOB_STATS: out of memory");
		if (nla_put_u32(msg, DSAIO_A_JOB_ID, j->id) < 0) {
			nlmsg_free(msg);
			return set_err(nl, -EMSGSIZE, "JOB_STATS: message too small");
		}
		nl->errmsg[0] = '\0';
		ret = transact(nl, msg, &rq, "reading the job's worker and loop statistics");
		if (!ret && rq.dump_intr) {
			dsaio_stats_acc_free(&acc);
			continue;
		}
		if (!ret)
			ret = dsaio_stats_acc_finish(&acc, j->state == DSAIO_JOB_DONE,
						     &j->result, nl->errmsg,
						     sizeof(nl->errmsg));
		dsaio_stats_acc_free(&acc);
		return ret;
	}
	return set_err(nl, -EAGAIN, "job %u: the statistics dump was interrupted three times", j->id);
}

int dsaio_nl_job_get(struct dsaio_nl *nl, uint32_t id, struct nl_job *j)
{
	int ret = dsaio_nl_job_peek(nl, id, j);

	if (ret)
		return ret;
	if (!j->have_result || !j->have_config || !j->have_state ||
	    !nl_job_state_ended(j->state) ||
	    ((j->result.n_workers || !j->config.threads) &&
	     (j->result.n_loops || !j->config.loops)))
		return 0;
	ret = fetch_stats(nl, j);
	/* A module older than JOB_STATS (unknown command) sends what it has. */
	if (ret == -EOPNOTSUPP)
		return 0;
	if (ret)
		nl_job_free(j);
	return ret;
}

struct dump_ctx {
	nl_job_fn fn;
	void *arg;
};

static int parse_dump(struct nlmsghdr *nlh, struct req *rq)
{
	struct dump_ctx *d = rq->out;
	struct nl_job j;
	int ret;

	ret = dsaio_decode_job(nlh, &j, rq->nl->errmsg, sizeof(rq->nl->errmsg));
	if (ret)
		return ret == -ENOMEM ? ret : -EPROTO;
	d->fn(&j, d->arg);
	nl_job_free(&j);
	return 0;
}

int dsaio_nl_job_dump(struct dsaio_nl *nl, nl_job_fn fn, void *arg)
{
	struct dump_ctx d = { .fn = fn, .arg = arg };
	int attempt, ret;

	/*
	 * A dump that raced with a job list change is flagged DUMP_INTR; the
	 * callback may have seen a job twice or missed one. Callers use the
	 * dump for a listing, so a few retries are enough.
	 */
	for (attempt = 0; attempt < 3; attempt++) {
		struct req rq = { .parse = parse_dump, .out = &d };
		struct nl_msg *msg = new_request(nl, DSAIO_CMD_JOB_GET, NLM_F_DUMP);

		if (!msg)
			return set_err(nl, -ENOMEM, "JOB_GET dump: out of memory");
		nl->errmsg[0] = '\0';
		ret = transact(nl, msg, &rq, "listing jobs");
		if (ret)
			return ret;
		if (!rq.dump_intr)
			return 0;
	}
	return set_err(nl, -EAGAIN, "the job list kept changing while it was read; try again");
}

int dsaio_nl_job_cancel(struct dsaio_nl *nl, uint32_t id)
{
	struct req rq = { 0 };
	struct nl_msg *msg = new_request(nl, DSAIO_CMD_JOB_CANCEL, 0);

	if (!msg)
		return set_err(nl, -ENOMEM, "JOB_CANCEL: out of memory");
	if (nla_put_u32(msg, DSAIO_A_JOB_ID, id) < 0) {
		nlmsg_free(msg);
		return set_err(nl, -EMSGSIZE, "JOB_CANCEL: message too small");
	}
	nl->errmsg[0] = '\0';
	return transact(nl, msg, &rq, "cancelling the job");
}

int dsaio_nl_subscribe(struct dsaio_nl *nl)
{
	int ret;

	if (nl->ev)
		return 0;
	nl->mcgrp = genl_ctrl_resolve_grp(nl->sk, DSAIO_GENL_NAME, DSAIO_MCGRP_EVENTS);
	if (nl->mcgrp < 0)
		return set_err(nl, nlerr_to_errno(nl->mcgrp),
			       "the module has no \"%s\" multicast group: %s",
			       DSAIO_MCGRP_EVENTS, nl_geterror(nl->mcgrp));
	nl->ev = nl_socket_alloc();
	if (!nl->ev)
		return set_err(nl, -ENOMEM, "cannot allocate the event socket");
	/* Events are not replies: they carry no sequence numbers of ours. */
	nl_socket_disable_seq_check(nl->ev);
	nl_socket_enable_msg_peek(nl->ev);	/* DONE carries the histogram */
	ret = genl_connect(nl->ev);
	if (ret >= 0)
		ret = nl_socket_set_nonblocking(nl->ev);
	if (ret >= 0)
		/* Progress events of many jobs must not overflow during a
		 * long JOB_GET on the other socket; DONE events are up to
		 * DSAIO_MSG_MAX each. */
		ret = nl_socket_set_buffer_size(nl->ev, 8 * DSAIO_MSG_MAX, 0);
	if (ret >= 0)
		ret = nl_socket_add_membership(nl->ev, nl->mcgrp);
	if (ret < 0) {
		int e = nlerr_to_errno(ret);

		nl_socket_free(nl->ev);
		nl->ev = NULL;
		if (e == -EPERM)
			return set_err(nl, e, "joining the events group %s",
				       errno_sentence(e));
		return set_err(nl, e, "cannot subscribe to the module's events: %s",
			       nl_geterror(ret));
	}
	return 0;
}

int dsaio_nl_event_fd(const struct dsaio_nl *nl)
{
	return nl->ev ? nl_socket_get_fd(nl->ev) : -1;
}

struct ev_ctx {
	struct dsaio_nl *nl;
	dsaio_event_fn fn;
	void *arg;
	int count;
	int error;
};

static int cb_event(struct nl_msg *msg, void *arg)
{
	struct ev_ctx *e = arg;
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct genlmsghdr *gh;
	struct nl_job j;
	int ret;

	if (!genlmsg_valid_hdr(nlh, 0))
		return NL_SKIP;
	gh = genlmsg_hdr(nlh);
	if (gh->cmd != DSAIO_CMD_EVENT_PROGRESS && gh->cmd != DSAIO_CMD_EVENT_DONE)
		return NL_SKIP;	/* a newer module's event: not ours to show */
	ret = dsaio_decode_job(nlh, &j, e->nl->errmsg, sizeof(e->nl->errmsg));
	if (ret) {
		e->error = ret;
		return NL_SKIP;
	}
	e->fn(gh->cmd, &j, e->arg);
	nl_job_free(&j);
	e->count++;
	return NL_OK;
}

static int cb_no_seq_check(struct nl_msg *msg, void *arg)
{
	(void)msg;
	(void)arg;
	return NL_OK;
}

int dsaio_nl_events_read(struct dsaio_nl *nl, dsaio_event_fn fn, void *arg)
{
	struct ev_ctx e = { .nl = nl, .fn = fn, .arg = arg };
	struct nl_cb *cb;
	int ret;

	if (!nl->ev)
		return set_err(nl, -EINVAL, "not subscribed to events");
	cb = nl_cb_alloc(NL_CB_DEFAULT);
	if (!cb)
		return set_err(nl, -ENOMEM, "out of memory reading events");
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, cb_event, &e);
	/* A fresh cb checks sequence numbers again; events have none of ours. */
	nl_cb_set(cb, NL_CB_SEQ_CHECK, NL_CB_CUSTOM, cb_no_seq_check, NULL);
	/*
	 * Read while poll() says a datagram is queued: that does not depend
	 * on how libnl reports EAGAIN on a non-blocking socket.
	 */
	for (;;) {
		struct pollfd pfd = { .fd = nl_socket_get_fd(nl->ev), .events = POLLIN };

		ret = poll(&pfd, 1, 0);
		if (ret < 0 && errno == EINTR)
			continue;
		if (ret < 0) {
			ret = -errno;
			nl_cb_put(cb);
			return set_err(nl, ret, "waiting for events: %s", strerror(-ret));
		}
		if (ret == 0)
			break;
		ret = nl_recvmsgs_report(nl->ev, cb);
		if (ret == -NLE_INTR)
			continue;
		if (ret <= 0)
			break;
	}
	nl_cb_put(cb);
	if (ret < 0) {
		int err = nlerr_to_errno(ret);

		if (err == -ENOBUFS)
			return set_err(nl, err, "events were lost (socket buffer full)");
		if (err != -EAGAIN)
			return set_err(nl, err, "reading events: %s", nl_geterror(ret));
	}
	if (e.error)
		return e.error;
	return e.count;
}
