// SPDX-License-Identifier: GPL-2.0
/*
 * The generic netlink family "dsaio": policies, commands and events, as
 * documented in <linux/dsaio.h>.
 */
#include <linux/capability.h>
#include <linux/dsaio.h>
#include <linux/skbuff.h>
#include <linux/string.h>
#include <net/genetlink.h>
#include <net/netlink.h>

#include "job.h"
#include "netlink.h"
#include "netlink_config.h"
#include "params.h"

enum dsaio_mcgrp {
	DSAIO_MCGRP_EVENTS_ID,
};

/*
 * Only what requests carry; reply-only attributes are refused. The config
 * nest is checked here for NLA_F_NESTED only and parsed in JOB_START
 * (netlink_config.c), so range refusals can be reworded.
 */
static const struct nla_policy dsaio_policy[DSAIO_A_MAX + 1] = {
	[DSAIO_A_JOB_ID] = NLA_POLICY_MIN(NLA_U32, 1),
	[DSAIO_A_JOB_CONFIG] = { .type = NLA_NESTED },
};

static struct genl_family dsaio_family;

/* Size of a u64 attribute with its possible alignment pad. */
#define DSAIO_U64_SIZE	nla_total_size_64bit(sizeof(u64))
/*
 * One DSAIO_STAT_* entry: index and target, then at most nine u64 (worker
 * or loop).
 */
#define DSAIO_STAT_SIZE	(nla_total_size(0) + 2 * nla_total_size(sizeof(u32)) + \
			 9 * DSAIO_U64_SIZE)
/* A DSAIO_A_JOB_TARGET nest: kind, align, three names. */
#define DSAIO_TGT_SIZE	(nla_total_size(0) + nla_total_size(sizeof(u8)) + \
			 nla_total_size(sizeof(u32)) + \
			 3 * nla_total_size(DSAIO_TGT_NAME_MAX))
/* A DSAIO_RES_* nest without the histogram and entries: 14 u64, errnos. */
#define DSAIO_RES_SIZE(nr_errnos)					\
	(nla_total_size(0) + 14 * DSAIO_U64_SIZE + nla_total_size(0) +	\
	 (nr_errnos) * (nla_total_size(0) + nla_total_size(sizeof(u32)) + \
			DSAIO_U64_SIZE))

/*
 * What sizes a JOB_GET reply or DONE event: a job's, or the most a
 * configuration's job could report (dsaio_reply_fits()). One function,
 * dsaio_msg_size(), sizes both, so the size allocated and the size
 * promised at JOB_START cannot disagree.
 */
struct dsaio_msg_shape {
	const struct dsaio_job_config *cfg;
	u32 nr_targets;
	u32 nr_workers;
	bool ended;
	bool hist;			/* the result carries the histogram */
	u32 nr_errnos;			/* the job's DSAIO_RES_ERRNOS entries */
	const u32 *tgt_errnos;		/* each target's, or NULL: nr_errnos */
};

/* Entries a doit reply or DONE event carries inline (see dsaio.h). */
static u32 dsaio_inline_count(u32 n)
{
	return n <= DSAIO_STATS_INLINE_MAX ? n : 0;
}

static u32 dsaio_inline_workers(const struct dsaio_job *job)
{
	return dsaio_inline_count(job->nr_workers);
}

static u32 dsaio_inline_loops(const struct dsaio_job *job)
{
	return dsaio_inline_count(job->cfg.loops);
}

/* The DSAIO_A_JOB_RESULT nest of a full message (its length is 16 bits). */
static size_t dsaio_result_size(const struct dsaio_msg_shape *m)
{
	size_t size = DSAIO_RES_SIZE(m->nr_errnos);

	if (m->hist)
		size += nla_total_size(DSAIO_HIST_BUCKETS *
				       sizeof(struct dsaio_hist_bucket));
	return size + 2 * nla_total_size(0) + DSAIO_STAT_SIZE *
	       (dsaio_inline_count(m->nr_workers) +
		dsaio_inline_count(m->cfg->loops));
}

/*
 * An upper bound of what dsaio_put_job() writes, counted per attribute
 * as the put functions below write them.
 */
static size_t dsaio_msg_size(const struct dsaio_msg_shape *m, bool full)
{
	size_t size;
	u32 i;

	size = 2 * nla_total_size(sizeof(u32)) +	/* JOB_ID, JOB_ERROR */
	       nla_total_size(sizeof(u8)) +		/* JOB_STATE */
	       dsaio_nl_config_size(m->cfg) +		/* JOB_CONFIG */
	       DSAIO_TGT_SIZE +				/* JOB_TARGET */
	       nla_total_size(0) + 3 * DSAIO_U64_SIZE + /* JOB_PROGRESS */
	       nla_total_size(sizeof(u32)) +
	       nla_total_size(sizeof(u32));		/* JOB_HELD */
	if (!full)
		return size + (m->ended ? DSAIO_RES_SIZE(m->nr_errnos) : 0);
	if (m->cfg->nr_targets) {			/* JOB_TARGETS */
		size += nla_total_size(0);
		for (i = 0; i < m->nr_targets; i++)
			size += DSAIO_TGT_SIZE + nla_total_size(sizeof(u32)) +
				nla_total_size(sizeof(u8)) +
				nla_total_size(sizeof(s32)) +
				2 * DSAIO_U64_SIZE +
				(m->ended ?
				 DSAIO_RES_SIZE(m->tgt_errnos ?
						m->tgt_errnos[i] :
						m->nr_errnos) : 0);
	}
	return size + (m->ended ? dsaio_result_size(m) : 0);
}

static size_t dsaio_job_msg_size(const struct dsaio_job *job, bool full)
{
	u32 tgt_errnos[DSAIO_TARGETS_MAX], i;
	struct dsaio_msg_shape m = {
		.cfg = &job->cfg,
		.nr_targets = job->nr_targets,
		.nr_workers = job->nr_workers,
		.ended = job->ended,
		.hist = job->res.hist,
		.nr_errnos = job->res.nr_errnos,
		.tgt_errnos = tgt_errnos,
	};

	for (i = 0; i < job->nr_targets && i < DSAIO_TARGETS_MAX; i++)
		tgt_errnos[i] = job->tgt[i].res.nr_errnos;
	return dsaio_msg_size(&m, full);
}

/*
 * JOB_START: could this configuration's results always be reported? Its
 * largest JOB_GET reply and DONE event (ended, every errno slot used,
 * the histogram if asked) must fit DSAIO_MSG_MAX, which readers size
 * their buffers for, and the result nest its 16-bit length.
 */
static int dsaio_reply_fits(const struct dsaio_job_config *cfg,
			    struct netlink_ext_ack *extack)
{
	u32 nr_targets = cfg->nr_targets ?: 1;
	struct dsaio_msg_shape m = {
		.cfg = cfg,
		.nr_targets = nr_targets,
		.nr_workers = nr_targets * cfg->threads,
		.ended = true,
		.hist = cfg->histogram,
		.nr_errnos = DSAIO_ERRNO_SLOTS,
	};

	if (dsaio_result_size(&m) > U16_MAX) {
		NL_SET_ERR_MSG(extack,
			       "the job's result would not fit a netlink attribute (64 KiB): fewer threads, targets or loops, or DSAIO_CFG_HISTOGRAM=0");
		return -EMSGSIZE;
	}
	if (nlmsg_total_size(GENL_HDRLEN + dsaio_msg_size(&m, true)) >
	    DSAIO_MSG_MAX) {
		NL_SET_ERR_MSG(extack,
			       "the job's JOB_GET reply would exceed DSAIO_MSG_MAX (128 KiB): fewer threads, targets or loops");
		return -EMSGSIZE;
	}
	return 0;
}

static int dsaio_put_progress(struct sk_buff *skb, struct dsaio_job *job)
{
	struct dsaio_job_progress p;
	struct nlattr *nest;

	dsaio_job_progress(job, &p);
	nest = nla_nest_start(skb, DSAIO_A_JOB_PROGRESS);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u64_64bit(skb, DSAIO_PROG_BYTES_DONE, p.bytes_done,
			      DSAIO_PROG_PAD) ||
	    nla_put_u64_64bit(skb, DSAIO_PROG_BYTES_TOTAL, p.bytes_total,
			      DSAIO_PROG_PAD) ||
	    nla_put_u32(skb, DSAIO_PROG_LOOP, p.loops_done) ||
	    nla_put_u64_64bit(skb, DSAIO_PROG_ELAPSED_NS, p.elapsed_ns,
			      DSAIO_PROG_PAD))
		goto err_cancel_nest;
	nla_nest_end(skb, nest);
	return 0;

err_cancel_nest:
	nla_nest_cancel(skb, nest);
	return -EMSGSIZE;
}

/* The DSAIO_STAT_* attributes a worker and a loop entry share. */
static int dsaio_put_stat(struct sk_buff *skb, u32 index, u64 time_ns,
			  const struct dsaio_stats *s)
{
	if (nla_put_u32(skb, DSAIO_STAT_INDEX, index) ||
	    nla_put_u64_64bit(skb, DSAIO_STAT_TIME_NS, time_ns,
			      DSAIO_STAT_PAD) ||
	    nla_put_u64_64bit(skb, DSAIO_STAT_BYTES, s->bytes,
			      DSAIO_STAT_PAD) ||
	    nla_put_u64_64bit(skb, DSAIO_STAT_REQUESTS, s->requests,
			      DSAIO_STAT_PAD) ||
	    nla_put_u64_64bit(skb, DSAIO_STAT_ERRORS, s->errors,
			      DSAIO_STAT_PAD) ||
	    nla_put_u64_64bit(skb, DSAIO_STAT_LAT_MIN_NS,
			      s->requests ? s->lat_min : 0, DSAIO_STAT_PAD) ||
	    nla_put_u64_64bit(skb, DSAIO_STAT_LAT_MAX_NS, s->lat_max,
			      DSAIO_STAT_PAD) ||
	    nla_put_u64_64bit(skb, DSAIO_STAT_LAT_SUM_NS, s->lat_sum,
			      DSAIO_STAT_PAD))
		return -EMSGSIZE;
	return 0;
}

/* Worker @i's DSAIO_RES_WORKER entry. */
static int dsaio_put_worker(struct sk_buff *skb, const struct dsaio_job *job,
			    u32 i)
{
	const struct dsaio_worker *w = &job->workers[i];
	struct nlattr *nest;

	nest = nla_nest_start(skb, DSAIO_RES_WORKER);
	if (!nest)
		return -EMSGSIZE;
	if (dsaio_put_stat(skb, i, w->busy_ns, &w->stats) ||
	    nla_put_u64_64bit(skb, DSAIO_STAT_OFFSET, w->offset,
			      DSAIO_STAT_PAD) ||
	    nla_put_u64_64bit(skb, DSAIO_STAT_LENGTH, w->length,
			      DSAIO_STAT_PAD) ||
	    (job->cfg.nr_targets &&
	     nla_put_u32(skb, DSAIO_STAT_TARGET, i / job->cfg.threads))) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

/* Loop @i's DSAIO_RES_LOOP entry. */
static int dsaio_put_loop(struct sk_buff *skb, const struct dsaio_job *job,
			  u32 i)
{
	const struct dsaio_stats *s = &job->loops[i];
	struct nlattr *nest;

	nest = nla_nest_start(skb, DSAIO_RES_LOOP);
	if (!nest)
		return -EMSGSIZE;
	if (dsaio_put_stat(skb, i, s->first_ns ? s->last_ns - s->first_ns : 0,
			   s) ||
	    nla_put_u64_64bit(skb, DSAIO_STAT_START_NS, s->first_ns ?
			      s->first_ns - job->start_ns : 0,
			      DSAIO_STAT_PAD)) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

/*
 * Entries [*pos, @end) of one kind (dsaio_put_worker or dsaio_put_loop)
 * in a DSAIO_RES_WORKERS or DSAIO_RES_LOOPS nest of type @type, as many
 * as fit: in the skb, and in the nest's 16-bit length. *pos advances past
 * those written. Returns -EMSGSIZE, with nothing written, when not even
 * one entry fits.
 */
static int dsaio_put_entries(struct sk_buff *skb, const struct dsaio_job *job,
			     int type, u32 *pos, u32 end,
			     int (*put)(struct sk_buff *skb,
					const struct dsaio_job *job, u32 i))
{
	struct nlattr *nest;

	u32 first = *pos;

	nest = nla_nest_start(skb, type);
	if (!nest)
		return -EMSGSIZE;
	while (*pos < end) {
		if (skb_tail_pointer(skb) - (unsigned char *)nest >
		    U16_MAX - DSAIO_STAT_SIZE)
			break;
		if (put(skb, job, *pos))
			break;
		(*pos)++;
	}
	if (*pos == first) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

static int dsaio_put_errnos(struct sk_buff *skb, const struct dsaio_result *res)
{
	struct nlattr *nest, *entry;
	u32 i;

	nest = nla_nest_start(skb, DSAIO_RES_ERRNOS);
	if (!nest)
		return -EMSGSIZE;
	for (i = 0; i < res->nr_errnos; i++) {
		entry = nla_nest_start(skb, DSAIO_ERRNO_ENTRY);
		if (!entry ||
		    nla_put_u32(skb, DSAIO_ERRNO_CODE, res->errnos[i].code) ||
		    nla_put_u64_64bit(skb, DSAIO_ERRNO_COUNT,
				      res->errnos[i].count, DSAIO_ERRNO_PAD))
			goto err_cancel_nest;
		nla_nest_end(skb, entry);
	}
	nla_nest_end(skb, nest);
	return 0;

err_cancel_nest:
	nla_nest_cancel(skb, nest);
	return -EMSGSIZE;
}

static int dsaio_put_hist(struct sk_buff *skb, const u64 *hist)
{
	struct dsaio_hist_bucket *b;
	struct nlattr *attr;
	u32 i, n = 0;

	for (i = 0; i < DSAIO_HIST_BUCKETS; i++)
		n += !!hist[i];
	attr = nla_reserve(skb, DSAIO_RES_HIST, n * sizeof(*b));
	if (!attr)
		return -EMSGSIZE;
	b = nla_data(attr);
	for (i = 0; i < DSAIO_HIST_BUCKETS; i++) {
		if (!hist[i])
			continue;
		b->index = i;
		b->reserved = 0;
		b->count = hist[i];
		b++;
	}
	return 0;
}

/* The worker and loop entries a doit reply carries inline: all or none. */
static int dsaio_put_inline(struct sk_buff *skb, const struct dsaio_job *job)
{
	u32 pos = 0, n = dsaio_inline_workers(job);

	if (n && (dsaio_put_entries(skb, job, DSAIO_RES_WORKERS, &pos, n,
				    dsaio_put_worker) || pos < n))
		return -EMSGSIZE;
	pos = 0;
	n = dsaio_inline_loops(job);
	if (n && (dsaio_put_entries(skb, job, DSAIO_RES_LOOPS, &pos, n,
				    dsaio_put_loop) || pos < n))
		return -EMSGSIZE;
	return 0;
}

/*
 * The DSAIO_RES_* figures of @res, a job's or one target's (which has no
 * set-up time or buffer peak of its own).
 */
static int dsaio_put_figures(struct sk_buff *skb,
			     const struct dsaio_result *res, bool setup)
{
	const struct dsaio_stats *t = &res->total;

	if (nla_put_u64_64bit(skb, DSAIO_RES_TASK_NS, res->task_ns,
			      DSAIO_RES_PAD) ||
	    nla_put_u64_64bit(skb, DSAIO_RES_E2E_NS, res->e2e_ns,
			      DSAIO_RES_PAD) ||
	    (setup &&
	     (nla_put_u64_64bit(skb, DSAIO_RES_SETUP_NS, res->setup_ns,
				DSAIO_RES_PAD) ||
	      nla_put_u64_64bit(skb, DSAIO_RES_BUF_BYTES, res->buf_bytes,
				DSAIO_RES_PAD))) ||
	    nla_put_u64_64bit(skb, DSAIO_RES_BYTES, t->bytes, DSAIO_RES_PAD) ||
	    nla_put_u64_64bit(skb, DSAIO_RES_REQUESTS, t->requests,
			      DSAIO_RES_PAD) ||
	    nla_put_u64_64bit(skb, DSAIO_RES_BIOS, res->bios, DSAIO_RES_PAD) ||
	    nla_put_u64_64bit(skb, DSAIO_RES_POLLED, res->polled,
			      DSAIO_RES_PAD) ||
	    nla_put_u64_64bit(skb, DSAIO_RES_ERRORS, t->errors,
			      DSAIO_RES_PAD) ||
	    nla_put_u64_64bit(skb, DSAIO_RES_LAT_MIN_NS,
			      t->requests ? t->lat_min : 0, DSAIO_RES_PAD) ||
	    nla_put_u64_64bit(skb, DSAIO_RES_LAT_MAX_NS, t->lat_max,
			      DSAIO_RES_PAD) ||
	    nla_put_u64_64bit(skb, DSAIO_RES_LAT_SUM_NS, t->lat_sum,
			      DSAIO_RES_PAD) ||
	    nla_put_u64_64bit(skb, DSAIO_RES_MISMATCHES, res->mismatches,
			      DSAIO_RES_PAD))
		return -EMSGSIZE;
	if (res->mismatches &&
	    nla_put_u64_64bit(skb, DSAIO_RES_FIRST_MISMATCH,
			      res->first_mismatch, DSAIO_RES_PAD))
		return -EMSGSIZE;
	return dsaio_put_errnos(skb, res);
}

static int dsaio_put_result(struct sk_buff *skb, const struct dsaio_job *job,
			    bool full)
{
	const struct dsaio_result *res = &job->res;
	struct nlattr *nest;

	nest = nla_nest_start(skb, DSAIO_A_JOB_RESULT);
	if (!nest)
		return -EMSGSIZE;
	if (dsaio_put_figures(skb, res, true))
		goto err_cancel_nest;
	if (full && res->hist && dsaio_put_hist(skb, res->hist))
		goto err_cancel_nest;
	if (full && dsaio_put_inline(skb, job))
		goto err_cancel_nest;
	nla_nest_end(skb, nest);
	return 0;

err_cancel_nest:
	nla_nest_cancel(skb, nest);
	return -EMSGSIZE;
}

/* What a target is (DSAIO_TGT_*); file names only for files. */
static int dsaio_put_target_info(struct sk_buff *skb,
				 const struct dsaio_target_info *ti)
{
	if (nla_put_u8(skb, DSAIO_TGT_KIND, ti->kind) ||
	    nla_put_string(skb, DSAIO_TGT_BDEV, ti->bdev) ||
	    nla_put_u32(skb, DSAIO_TGT_ALIGN, ti->align))
		return -EMSGSIZE;
	if (ti->kind == DSAIO_TARGET_FILE &&
	    (nla_put_string(skb, DSAIO_TGT_FSTYPE, ti->fstype) ||
	     nla_put_string(skb, DSAIO_TGT_FILE, ti->file)))
		return -EMSGSIZE;
	return 0;
}

/* What the job measures (DSAIO_A_JOB_TARGET): its first target. */
static int dsaio_put_target(struct sk_buff *skb,
			    const struct dsaio_target_info *ti)
{
	struct nlattr *nest;

	nest = nla_nest_start(skb, DSAIO_A_JOB_TARGET);
	if (!nest)
		return -EMSGSIZE;
	if (dsaio_put_target_info(skb, ti)) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

/* Entry @i of DSAIO_A_JOB_TARGETS: what it is, where it is, its result. */
static int dsaio_put_job_target(struct sk_buff *skb, struct dsaio_job *job,
				u32 i)
{
	const struct dsaio_job_target *jt = &job->tgt[i];
	struct nlattr *nest, *res;

	nest = nla_nest_start(skb, DSAIO_A_JOB_TARGET);
	if (!nest)
		return -EMSGSIZE;
	if (dsaio_put_target_info(skb, &jt->info) ||
	    nla_put_u32(skb, DSAIO_TGT_INDEX, i) ||
	    nla_put_u64_64bit(skb, DSAIO_TGT_OFFSET, jt->cfg.offset,
			      DSAIO_TGT_PAD) ||
	    nla_put_u8(skb, DSAIO_TGT_STATE,
		       job->ended ? jt->state : READ_ONCE(job->state)) ||
	    nla_put_s32(skb, DSAIO_TGT_ERROR, job->ended ? jt->error : 0) ||
	    nla_put_u64_64bit(skb, DSAIO_TGT_BYTES_DONE,
			      dsaio_job_target_bytes_done(job, i),
			      DSAIO_TGT_PAD))
		goto err_cancel_nest;
	if (job->ended) {
		res = nla_nest_start(skb, DSAIO_TGT_RESULT);
		if (!res || dsaio_put_figures(skb, &jt->res, false))
			goto err_cancel_nest;
		nla_nest_end(skb, res);
	}
	nla_nest_end(skb, nest);
	return 0;

err_cancel_nest:
	nla_nest_cancel(skb, nest);
	return -EMSGSIZE;
}

/* DSAIO_A_JOB_TARGETS, for a job given DSAIO_CFG_TARGETS only. */
static int dsaio_put_job_targets(struct sk_buff *skb, struct dsaio_job *job)
{
	struct nlattr *nest;
	u32 i;

	if (!job->cfg.nr_targets)
		return 0;
	nest = nla_nest_start(skb, DSAIO_A_JOB_TARGETS);
	if (!nest)
		return -EMSGSIZE;
	for (i = 0; i < job->nr_targets; i++) {
		if (dsaio_put_job_target(skb, job, i)) {
			nla_nest_cancel(skb, nest);
			return -EMSGSIZE;
		}
	}
	nla_nest_end(skb, nest);
	return 0;
}

/*
 * The attributes of a JOB_GET reply or DONE event. Called under the
 * registry lock, which keeps the job and its ended state stable.
 */
static int dsaio_put_job(struct sk_buff *skb, struct dsaio_job *job, bool full)
{
	if (nla_put_u32(skb, DSAIO_A_JOB_ID, job->id) ||
	    nla_put_u8(skb, DSAIO_A_JOB_STATE, READ_ONCE(job->state)) ||
	    nla_put_s32(skb, DSAIO_A_JOB_ERROR, job->ended ? job->error : 0) ||
	    dsaio_nl_config_put(skb, &job->cfg) ||
	    dsaio_put_target(skb, &job->tgt[0].info) ||
	    dsaio_put_progress(skb, job) ||
	    nla_put_u32(skb, DSAIO_A_JOB_HELD, dsaio_job_inflight(job)))
		return -EMSGSIZE;
	if (full && dsaio_put_job_targets(skb, job))
		return -EMSGSIZE;
	if (job->ended && dsaio_put_result(skb, job, full))
		return -EMSGSIZE;
	return 0;
}

static int dsaio_nl_get_info(struct sk_buff *skb, struct genl_info *info)
{
	struct sk_buff *msg;
	struct nlattr *nest;
	void *hdr;

	msg = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &dsaio_family, 0,
				DSAIO_CMD_GET_INFO);
	if (!hdr)
		goto err_free_msg;
	if (nla_put_string(msg, DSAIO_A_VERSION, DSAIO_VERSION) ||
	    nla_put_u64_64bit(msg, DSAIO_A_FEATURES, DSAIO_F_ALL, DSAIO_A_PAD))
		goto err_free_msg;
	nest = nla_nest_start(msg, DSAIO_A_LIMITS);
	if (!nest ||
	    nla_put_u32(msg, DSAIO_LIMIT_MAX_JOBS, dsaio_max_jobs) ||
	    nla_put_u32(msg, DSAIO_LIMIT_MAX_THREADS, dsaio_max_threads) ||
	    nla_put_u32(msg, DSAIO_LIMIT_MAX_QUEUE_DEPTH,
			dsaio_max_queue_depth) ||
	    nla_put_u32(msg, DSAIO_LIMIT_MAX_BLOCK_SIZE,
			dsaio_max_block_size) ||
	    nla_put_u32(msg, DSAIO_LIMIT_MAX_MEM_MB, dsaio_max_mem_mb) ||
	    nla_put_u32(msg, DSAIO_LIMIT_MAX_RESULTS, dsaio_max_results) ||
	    nla_put_u32(msg, DSAIO_LIMIT_MAX_LOOPS, dsaio_max_loops) ||
	    nla_put_u32(msg, DSAIO_LIMIT_MAX_TARGETS, DSAIO_TARGETS_MAX))
		goto err_free_msg;
	nla_nest_end(msg, nest);
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);

err_free_msg:
	nlmsg_free(msg);
	return -EMSGSIZE;
}

/* The @n-th attribute inside @list, or NULL. */
static struct nlattr *dsaio_nth_entry(struct nlattr *list, int n)
{
	struct nlattr *e;
	int rem;

	if (!list)
		return NULL;
	nla_for_each_nested(e, list, rem) {
		if (!n--)
			return e;
	}
	return NULL;
}

static int dsaio_nl_job_start(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *tb[DSAIO_CFG_MAX + 1];
	struct nlattr *nest = info->attrs[DSAIO_A_JOB_CONFIG];
	struct dsaio_job_request req = {};
	struct dsaio_job_config *cfg;
	struct sk_buff *msg;
	void *hdr;
	u32 id;
	int ret;

	if (GENL_REQ_ATTR_CHECK(info, DSAIO_A_JOB_CONFIG)) {
		NL_SET_ERR_MSG(info->extack, "DSAIO_A_JOB_CONFIG is required");
		return -EINVAL;
	}
	cfg = kzalloc(sizeof(*cfg), GFP_KERNEL);
	if (!cfg)
		return -ENOMEM;
	ret = dsaio_nl_config_parse(nest, tb, cfg, info->extack);
	if (ret)
		goto err_free_cfg;
	ret = dsaio_reply_fits(cfg, info->extack);
	if (ret) {
		NL_SET_BAD_ATTR(info->extack, nest);
		goto err_free_cfg;
	}

	/* The reply is made first so that a started job is never lost. */
	msg = genlmsg_new(nla_total_size(sizeof(u32)), GFP_KERNEL);
	if (!msg) {
		ret = -ENOMEM;
		goto err_free_cfg;
	}
	hdr = genlmsg_put_reply(msg, info, &dsaio_family, 0,
				DSAIO_CMD_JOB_START);
	if (!hdr) {
		ret = -EMSGSIZE;
		goto err_free_msg;
	}
	req.cfg = cfg;
	req.portid = info->snd_portid;
	req.net = genl_info_net(info);
	req.extack = info->extack;
	/*
	 * netlink_capable(), as GENL_ADMIN_PERM for CAP_NET_ADMIN: both the
	 * socket's opener and the sender must hold it, so a socket passed
	 * to a privileged process lends it no privilege. Asked for writes
	 * only, so reads leave no capability denials in the audit log.
	 */
	req.raw_write = cfg->op == DSAIO_OP_WRITE &&
			(netlink_capable(skb, CAP_SYS_RAWIO) ||
			 netlink_capable(skb, CAP_SYS_ADMIN));
	ret = dsaio_job_start(&req, &id);
	if (ret) {
		/*
		 * Point at the attribute, at the nest when it was defaulted,
		 * or at the DSAIO_CFG_TARGETS entry the refusal is about.
		 */
		if (req.bad_target >= 0)
			NL_SET_BAD_ATTR(info->extack,
					dsaio_nth_entry(tb[DSAIO_CFG_TARGETS],
							req.bad_target) ?: nest);
		else if (req.bad_attr)
			NL_SET_BAD_ATTR(info->extack, tb[req.bad_attr] ?: nest);
		goto err_free_msg;
	}
	kfree(cfg);
	/* Cannot fail: the message was sized for it. */
	if (nla_put_u32(msg, DSAIO_A_JOB_ID, id)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);

err_free_msg:
	nlmsg_free(msg);
err_free_cfg:
	kfree(cfg);
	return ret;
}

/* JOB_GET doit, under the registry lock: the reply, built and sent. */
static int dsaio_nl_job_reply(struct dsaio_job *job, void *arg)
{
	struct genl_info *info = arg;
	struct sk_buff *msg;
	void *hdr;

	msg = genlmsg_new(dsaio_job_msg_size(job, true), GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &dsaio_family, 0,
				DSAIO_CMD_JOB_GET);
	if (!hdr || dsaio_put_job(msg, job, true)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

static int dsaio_nl_job_get(struct sk_buff *skb, struct genl_info *info)
{
	int ret;

	if (GENL_REQ_ATTR_CHECK(info, DSAIO_A_JOB_ID)) {
		NL_SET_ERR_MSG(info->extack, "DSAIO_A_JOB_ID is required");
		return -EINVAL;
	}
	ret = dsaio_job_with(nla_get_u32(info->attrs[DSAIO_A_JOB_ID]),
			     dsaio_nl_job_reply, info);
	if (ret == -ENOENT)
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[DSAIO_A_JOB_ID],
				    "DSAIO_A_JOB_ID: no such job");
	return ret;
}

/*
 * Dump: one message per job in id order, without the histogram and the
 * per-worker and per-loop entries. cb->args[0] is the last id sent, so a
 * dump resumes after it even if jobs came and went; cb->seq carries the
 * registry generation so such changes are flagged NLM_F_DUMP_INTR.
 */
struct dsaio_dump_ctx {
	struct sk_buff *skb;
	struct netlink_callback *cb;
};

/* One job's dump message; non-zero (stop) when the skb is full. */
static int dsaio_nl_job_dump_one(struct dsaio_job *job, void *arg)
{
	struct dsaio_dump_ctx *d = arg;
	void *hdr;

	hdr = genlmsg_put(d->skb, NETLINK_CB(d->cb->skb).portid,
			  d->cb->nlh->nlmsg_seq, &dsaio_family, NLM_F_MULTI,
			  DSAIO_CMD_JOB_GET);
	if (!hdr)
		return 1;
	genl_dump_check_consistent(d->cb, hdr);
	if (dsaio_put_job(d->skb, job, false)) {
		genlmsg_cancel(d->skb, hdr);
		return 1;
	}
	genlmsg_end(d->skb, hdr);
	d->cb->args[0] = job->id;
	return 0;
}

static int dsaio_nl_job_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct dsaio_dump_ctx d = { .skb = skb, .cb = cb };

	dsaio_jobs_walk(cb->args[0], &cb->seq, dsaio_nl_job_dump_one, &d);
	return skb->len;
}

static int dsaio_nl_job_cancel(struct sk_buff *skb, struct genl_info *info)
{
	int ret;

	if (GENL_REQ_ATTR_CHECK(info, DSAIO_A_JOB_ID)) {
		NL_SET_ERR_MSG(info->extack, "DSAIO_A_JOB_ID is required");
		return -EINVAL;
	}
	ret = dsaio_job_cancel(nla_get_u32(info->attrs[DSAIO_A_JOB_ID]));
	if (ret == -ENOENT)
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[DSAIO_A_JOB_ID],
				    "DSAIO_A_JOB_ID: no such job");
	return ret;
}

/*
 * JOB_STATS dump: every worker entry, then every loop entry of one ended
 * job, one message per call with as many entries as fit. cb->args[0] is
 * the next entry: workers 0..threads-1, then loops. An ended job's
 * statistics never change, so resuming needs nothing else.
 */
static int dsaio_nl_job_stats_one(struct dsaio_job *job, void *arg)
{
	struct dsaio_dump_ctx *d = arg;
	struct netlink_callback *cb = d->cb;
	struct sk_buff *skb = d->skb;
	u32 pos = cb->args[0], start = pos, nw = job->nr_workers, loop;
	struct nlattr *nest;
	void *hdr;

	if (!job->ended) {
		NL_SET_ERR_MSG(cb->extack,
			       "DSAIO_A_JOB_ID: the job is still running; its statistics come when it ends");
		return -EBUSY;
	}
	if (pos >= nw + job->cfg.loops)
		return 0;			/* all sent: the dump ends */
	hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
			  &dsaio_family, NLM_F_MULTI, DSAIO_CMD_JOB_STATS);
	if (!hdr)
		return -EMSGSIZE;
	if (nla_put_u32(skb, DSAIO_A_JOB_ID, job->id))
		goto err_cancel_msg;
	nest = nla_nest_start(skb, DSAIO_A_JOB_RESULT);
	if (!nest)
		goto err_cancel_msg;
	if (pos < nw)
		dsaio_put_entries(skb, job, DSAIO_RES_WORKERS, &pos, nw,
				  dsaio_put_worker);
	if (pos >= nw) {
		loop = pos - nw;
		dsaio_put_entries(skb, job, DSAIO_RES_LOOPS, &loop,
				  job->cfg.loops, dsaio_put_loop);
		pos = nw + loop;
	}
	if (pos == start)
		goto err_cancel_msg;		/* not one entry fits */
	nla_nest_end(skb, nest);
	genlmsg_end(skb, hdr);
	cb->args[0] = pos;
	return skb->len;

err_cancel_msg:
	genlmsg_cancel(skb, hdr);
	return -EMSGSIZE;
}

/*
 * JOB_STATS dump: every worker entry, then every loop entry of one ended
 * job, one message per call with as many entries as fit. cb->args[0] is
 * the next entry: workers 0..threads-1, then loops. An ended job's
 * statistics never change, so resuming needs nothing else.
 */
static int dsaio_nl_job_stats(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct dsaio_dump_ctx d = { .skb = skb, .cb = cb };
	struct nlattr *tb[DSAIO_A_MAX + 1];
	int ret;

	ret = nlmsg_parse(cb->nlh, GENL_HDRLEN, tb, DSAIO_A_MAX, dsaio_policy,
			  cb->extack);
	if (ret)
		return ret;
	if (!tb[DSAIO_A_JOB_ID]) {
		NL_SET_ERR_MSG(cb->extack, "DSAIO_A_JOB_ID is required");
		return -EINVAL;
	}
	ret = dsaio_job_with(nla_get_u32(tb[DSAIO_A_JOB_ID]),
			     dsaio_nl_job_stats_one, &d);
	if (ret == -ENOENT)
		NL_SET_ERR_MSG_ATTR(cb->extack, tb[DSAIO_A_JOB_ID],
				    "DSAIO_A_JOB_ID: no such job");
	else if (ret == -EBUSY)
		NL_SET_BAD_ATTR(cb->extack, tb[DSAIO_A_JOB_ID]);
	return ret;
}

static const struct genl_small_ops dsaio_ops[] = {
	{
		.cmd = DSAIO_CMD_GET_INFO,
		.flags = GENL_ADMIN_PERM,
		.doit = dsaio_nl_get_info,
	},
	{
		.cmd = DSAIO_CMD_JOB_START,
		.flags = GENL_ADMIN_PERM,
		.doit = dsaio_nl_job_start,
	},
	{
		.cmd = DSAIO_CMD_JOB_GET,
		.flags = GENL_ADMIN_PERM,
		.doit = dsaio_nl_job_get,
		.dumpit = dsaio_nl_job_dump,
	},
	{
		.cmd = DSAIO_CMD_JOB_CANCEL,
		.flags = GENL_ADMIN_PERM,
		.doit = dsaio_nl_job_cancel,
	},
	{
		.cmd = DSAIO_CMD_JOB_STATS,
		.flags = GENL_ADMIN_PERM,
		.dumpit = dsaio_nl_job_stats,
	},
};

static const struct genl_multicast_group dsaio_mcgrps[] = {
	[DSAIO_MCGRP_EVENTS_ID] = {
		.name = DSAIO_MCGRP_EVENTS,
		.flags = GENL_MCAST_CAP_NET_ADMIN,
	},
};

/*
 * Not netns-aware on purpose: block devices are global, so only the
 * initial namespace's CAP_NET_ADMIN may drive them.
 */
static struct genl_family dsaio_family __ro_after_init = {
	.name = DSAIO_GENL_NAME,
	.version = DSAIO_GENL_VERSION,
	.maxattr = DSAIO_A_MAX,
	.policy = dsaio_policy,
	.module = THIS_MODULE,
	.small_ops = dsaio_ops,
	.n_small_ops = ARRAY_SIZE(dsaio_ops),
	.resv_start_op = DSAIO_CMD_JOB_CANCEL + 1,
	.mcgrps = dsaio_mcgrps,
	.n_mcgrps = ARRAY_SIZE(dsaio_mcgrps),
};

static bool dsaio_has_listeners(void)
{
	return genl_has_listeners(&dsaio_family, &init_net,
				  DSAIO_MCGRP_EVENTS_ID);
}

static void dsaio_nl_event_progress(struct dsaio_job *job)
{
	struct sk_buff *msg;
	void *hdr;

	if (!dsaio_has_listeners())
		return;
	msg = genlmsg_new(3 * nla_total_size(sizeof(u32)) +
			  nla_total_size(0) + 3 * DSAIO_U64_SIZE, GFP_KERNEL);
	if (!msg)
		return;
	hdr = genlmsg_put(msg, 0, 0, &dsaio_family, 0,
			  DSAIO_CMD_EVENT_PROGRESS);
	if (!hdr ||
	    nla_put_u32(msg, DSAIO_A_JOB_ID, job->id) ||
	    nla_put_u8(msg, DSAIO_A_JOB_STATE, READ_ONCE(job->state)) ||
	    dsaio_put_progress(msg, job)) {
		nlmsg_free(msg);
		return;
	}
	genlmsg_end(msg, hdr);
	genlmsg_multicast(&dsaio_family, msg, 0, DSAIO_MCGRP_EVENTS_ID,
			  GFP_KERNEL);
}

/* Under the registry lock, like a JOB_GET reply; NULL when nobody listens. */
static void *dsaio_nl_event_done_build(struct dsaio_job *job)
{
	struct sk_buff *msg;
	void *hdr;

	if (!dsaio_has_listeners())
		return NULL;
	msg = genlmsg_new(dsaio_job_msg_size(job, true), GFP_KERNEL);
	if (!msg)
		return NULL;
	hdr = genlmsg_put(msg, 0, 0, &dsaio_family, 0, DSAIO_CMD_EVENT_DONE);
	if (!hdr || dsaio_put_job(msg, job, true)) {
		nlmsg_free(msg);
		return NULL;
	}
	genlmsg_end(msg, hdr);
	return msg;
}

static void dsaio_nl_event_send(void *skb)
{
	if (skb)
		genlmsg_multicast(&dsaio_family, skb, 0, DSAIO_MCGRP_EVENTS_ID,
				  GFP_KERNEL);
}

const struct dsaio_job_events dsaio_nl_job_events = {
	.progress = dsaio_nl_event_progress,
	.ended = dsaio_nl_event_done_build,
	.deliver = dsaio_nl_event_send,
};

int dsaio_genl_init(void)
{
	int ret;

	ret = dsaio_nl_config_init();
	if (ret)
		return ret;
	return genl_register_family(&dsaio_family);
}

void dsaio_genl_exit(void)
{
	genl_unregister_family(&dsaio_family);
}
