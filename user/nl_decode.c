// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Decoding of the dsaio family's messages into plain structs. libnl's
 * policies check every attribute's minimum length, so the getters below
 * never read past an attribute. Attributes newer than this header (a newer
 * module appends them) are ignored by nla_parse, which keeps old tools
 * working with new modules.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <netlink/attr.h>
#include <netlink/genl/genl.h>
#include "nl_config.h"
#include "nl_decode.h"

static int proto_err(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int proto_err(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -EPROTO;
}

static struct nla_policy top_policy[DSAIO_A_MAX + 1] = {
	[DSAIO_A_VERSION]	= { .type = NLA_STRING },
	[DSAIO_A_FEATURES]	= { .type = NLA_U64 },
	[DSAIO_A_LIMITS]	= { .type = NLA_NESTED },
	[DSAIO_A_JOB_ID]	= { .type = NLA_U32 },
	[DSAIO_A_JOB_STATE]	= { .type = NLA_U8 },
	[DSAIO_A_JOB_ERROR]	= { .type = NLA_U32 },	/* s32: same size */
	[DSAIO_A_JOB_CONFIG]	= { .type = NLA_NESTED },
	[DSAIO_A_JOB_PROGRESS]	= { .type = NLA_NESTED },
	[DSAIO_A_JOB_RESULT]	= { .type = NLA_NESTED },
	[DSAIO_A_JOB_TARGET]	= { .type = NLA_NESTED },
	[DSAIO_A_JOB_TARGETS]	= { .type = NLA_NESTED },
	[DSAIO_A_JOB_HELD]	= { .type = NLA_U32 },
};

static struct nla_policy tgt_policy[DSAIO_TGT_MAX + 1] = {
	[DSAIO_TGT_KIND]	= { .type = NLA_U8 },
	[DSAIO_TGT_BDEV]	= { .type = NLA_STRING },
	[DSAIO_TGT_ALIGN]	= { .type = NLA_U32 },
	[DSAIO_TGT_FSTYPE]	= { .type = NLA_STRING },
	[DSAIO_TGT_FILE]	= { .type = NLA_STRING },
	[DSAIO_TGT_INDEX]	= { .type = NLA_U32 },
	[DSAIO_TGT_OFFSET]	= { .type = NLA_U64 },
	[DSAIO_TGT_STATE]	= { .type = NLA_U8 },
	[DSAIO_TGT_ERROR]	= { .type = NLA_U32 },	/* s32: same size */
	[DSAIO_TGT_BYTES_DONE]	= { .type = NLA_U64 },
	[DSAIO_TGT_RESULT]	= { .type = NLA_NESTED },
};

static struct nla_policy limit_policy[DSAIO_LIMIT_MAX + 1] = {
	[DSAIO_LIMIT_MAX_JOBS]		= { .type = NLA_U32 },
	[DSAIO_LIMIT_MAX_THREADS]	= { .type = NLA_U32 },
	[DSAIO_LIMIT_MAX_QUEUE_DEPTH]	= { .type = NLA_U32 },
	[DSAIO_LIMIT_MAX_BLOCK_SIZE]	= { .type = NLA_U32 },
	[DSAIO_LIMIT_MAX_MEM_MB]	= { .type = NLA_U32 },
	[DSAIO_LIMIT_MAX_RESULTS]	= { .type = NLA_U32 },
	[DSAIO_LIMIT_MAX_LOOPS]		= { .type = NLA_U32 },
	[DSAIO_LIMIT_MAX_TARGETS]	= { .type = NLA_U32 },
};

static struct nla_policy prog_policy[DSAIO_PROG_MAX + 1] = {
	[DSAIO_PROG_BYTES_DONE]		= { .type = NLA_U64 },
	[DSAIO_PROG_BYTES_TOTAL]	= { .type = NLA_U64 },
	[DSAIO_PROG_LOOP]		= { .type = NLA_U32 },
	[DSAIO_PROG_ELAPSED_NS]		= { .type = NLA_U64 },
};

static struct nla_policy res_policy[DSAIO_RES_MAX + 1] = {
	[DSAIO_RES_TASK_NS]		= { .type = NLA_U64 },
	[DSAIO_RES_E2E_NS]		= { .type = NLA_U64 },
	[DSAIO_RES_BYTES]		= { .type = NLA_U64 },
	[DSAIO_RES_REQUESTS]		= { .type = NLA_U64 },
	[DSAIO_RES_BIOS]		= { .type = NLA_U64 },
	[DSAIO_RES_POLLED]		= { .type = NLA_U64 },
	[DSAIO_RES_ERRORS]		= { .type = NLA_U64 },
	[DSAIO_RES_LAT_MIN_NS]		= { .type = NLA_U64 },
	[DSAIO_RES_LAT_MAX_NS]		= { .type = NLA_U64 },
	[DSAIO_RES_LAT_SUM_NS]		= { .type = NLA_U64 },
	[DSAIO_RES_MISMATCHES]		= { .type = NLA_U64 },
	[DSAIO_RES_FIRST_MISMATCH]	= { .type = NLA_U64 },
	[DSAIO_RES_ERRNOS]		= { .type = NLA_NESTED },
	[DSAIO_RES_HIST]		= { .type = NLA_UNSPEC },
	[DSAIO_RES_WORKERS]		= { .type = NLA_NESTED },
	[DSAIO_RES_LOOPS]		= { .type = NLA_NESTED },
	[DSAIO_RES_SETUP_NS]		= { .type = NLA_U64 },
	[DSAIO_RES_BUF_BYTES]		= { .type = NLA_U64 },
};

static struct nla_policy errno_policy[DSAIO_ERRNO_MAX + 1] = {
	[DSAIO_ERRNO_CODE]	= { .type = NLA_U32 },
	[DSAIO_ERRNO_COUNT]	= { .type = NLA_U64 },
};

static struct nla_policy stat_policy[DSAIO_STAT_MAX + 1] = {
	[DSAIO_STAT_INDEX]	= { .type = NLA_U32 },
	[DSAIO_STAT_OFFSET]	= { .type = NLA_U64 },
	[DSAIO_STAT_LENGTH]	= { .type = NLA_U64 },
	[DSAIO_STAT_TIME_NS]	= { .type = NLA_U64 },
	[DSAIO_STAT_BYTES]	= { .type = NLA_U64 },
	[DSAIO_STAT_REQUESTS]	= { .type = NLA_U64 },
	[DSAIO_STAT_ERRORS]	= { .type = NLA_U64 },
	[DSAIO_STAT_LAT_MIN_NS]	= { .type = NLA_U64 },
	[DSAIO_STAT_LAT_MAX_NS]	= { .type = NLA_U64 },
	[DSAIO_STAT_LAT_SUM_NS]	= { .type = NLA_U64 },
	[DSAIO_STAT_START_NS]	= { .type = NLA_U64 },
};

/* Optional attributes keep the default already in *out when absent. */
static void get_u64(struct nlattr *a, uint64_t *out)
{
	if (a)
		*out = nla_get_u64(a);
}

static void get_u32(struct nlattr *a, uint32_t *out)
{
	if (a)
		*out = nla_get_u32(a);
}

int dsaio_decode_info(struct nlmsghdr *nlh, struct nl_info *info,
		      char *err, size_t errlen)
{
	struct nlattr *tb[DSAIO_A_MAX + 1];
	struct nlattr *lim[DSAIO_LIMIT_MAX + 1];

	memset(info, 0, sizeof(*info));
	if (genlmsg_parse(nlh, 0, tb, DSAIO_A_MAX, top_policy) < 0)
		return proto_err(err, errlen, "malformed GET_INFO reply from the module");
	if (!tb[DSAIO_A_VERSION] || !tb[DSAIO_A_LIMITS])
		return proto_err(err, errlen, "GET_INFO reply without version or limits: module and tool do not match");
	snprintf(info->version, sizeof(info->version), "%s",
		 nla_get_string(tb[DSAIO_A_VERSION]));
	get_u64(tb[DSAIO_A_FEATURES], &info->features);
	if (nla_parse_nested(lim, DSAIO_LIMIT_MAX, tb[DSAIO_A_LIMITS],
			     limit_policy) < 0)
		return proto_err(err, errlen, "malformed limits in the GET_INFO reply");
	get_u32(lim[DSAIO_LIMIT_MAX_JOBS], &info->max_jobs);
	get_u32(lim[DSAIO_LIMIT_MAX_THREADS], &info->max_threads);
	get_u32(lim[DSAIO_LIMIT_MAX_QUEUE_DEPTH], &info->max_queue_depth);
	get_u32(lim[DSAIO_LIMIT_MAX_BLOCK_SIZE], &info->max_block_size);
	get_u32(lim[DSAIO_LIMIT_MAX_MEM_MB], &info->max_mem_mb);
	get_u32(lim[DSAIO_LIMIT_MAX_RESULTS], &info->max_results);
	get_u32(lim[DSAIO_LIMIT_MAX_LOOPS], &info->max_loops);
	get_u32(lim[DSAIO_LIMIT_MAX_TARGETS], &info->max_targets);
	return 0;
}

static int decode_progress(struct nlattr *nest, struct nl_job_progress *p,
			   char *err, size_t errlen)
{
	struct nlattr *tb[DSAIO_PROG_MAX + 1];

	if (nla_parse_nested(tb, DSAIO_PROG_MAX, nest, prog_policy) < 0)
		return proto_err(err, errlen, "malformed job progress from the module");
	get_u64(tb[DSAIO_PROG_BYTES_DONE], &p->bytes_done);
	get_u64(tb[DSAIO_PROG_BYTES_TOTAL], &p->bytes_total);
	get_u64(tb[DSAIO_PROG_ELAPSED_NS], &p->elapsed_ns);
	get_u32(tb[DSAIO_PROG_LOOP], &p->loop);
	return 0;
}

static void get_string(struct nlattr *a, char *out, size_t len)
{
	if (a)
		snprintf(out, len, "%s", nla_get_string(a));
}

/* DSAIO_A_JOB_TARGET; a kind this tool does not know is the module's error. */
static int decode_target(struct nlattr *nest, struct nl_job_target *t,
			 char *err, size_t errlen)
{
	struct nlattr *tb[DSAIO_TGT_MAX + 1];
	uint8_t kind;

	if (nla_parse_nested(tb, DSAIO_TGT_MAX, nest, tgt_policy) < 0)
		return proto_err(err, errlen, "malformed job target from the module");
	if (!tb[DSAIO_TGT_KIND])
		return proto_err(err, errlen, "job target without a kind");
	kind = nla_get_u8(tb[DSAIO_TGT_KIND]);
	if (kind > DSAIO_TARGET_MAX)
		return proto_err(err, errlen, "job target of unknown kind %u", kind);
	t->kind = (enum dsaio_target_kind)kind;
	get_string(tb[DSAIO_TGT_BDEV], t->bdev, sizeof(t->bdev));
	get_u32(tb[DSAIO_TGT_ALIGN], &t->align);
	get_string(tb[DSAIO_TGT_FSTYPE], t->fstype, sizeof(t->fstype));
	get_string(tb[DSAIO_TGT_FILE], t->file, sizeof(t->file));
	return 0;
}

/* Number of attributes of type `type` directly inside nest. */
static size_t count_nested(struct nlattr *nest, int type)
{
	struct nlattr *a;
	size_t n = 0;
	int rem;

	nla_for_each_nested(a, nest, rem)
		if (nla_type(a) == type)
			n++;
	return n;
}

static int decode_errnos(struct nlattr *nest, struct nl_job_result *r,
			 char *err, size_t errlen)
{
	size_t n = count_nested(nest, DSAIO_ERRNO_ENTRY);
	struct nlattr *a;
	int rem;

	if (!n)
		return 0;
	r->errnos = calloc(n, sizeof(*r->errnos));
	if (!r->errnos)
		return -ENOMEM;
	nla_for_each_nested(a, nest, rem) {
		struct nlattr *tb[DSAIO_ERRNO_MAX + 1];
		struct nl_errno_count *e;

		if (nla_type(a) != DSAIO_ERRNO_ENTRY)
			continue;
		if (nla_parse_nested(tb, DSAIO_ERRNO_MAX, a, errno_policy) < 0 ||
		    !tb[DSAIO_ERRNO_CODE])
			return proto_err(err, errlen, "malformed errno entry in a job result");
		e = &r->errnos[r->n_errnos++];
		e->code = nla_get_u32(tb[DSAIO_ERRNO_CODE]);
		get_u64(tb[DSAIO_ERRNO_COUNT], &e->count);
	}
	return 0;
}

static const char *stat_kind(int type)
{
	return type == DSAIO_RES_WORKER ? "worker" : "loop";
}

/* One DSAIO_RES_WORKER or DSAIO_RES_LOOP nest. */
static int decode_stat_entry(struct nlattr *a, int type, struct nl_stat *s,
			     char *err, size_t errlen)
{
	struct nlattr *tb[DSAIO_STAT_MAX + 1];

	memset(s, 0, sizeof(*s));
	if (nla_parse_nested(tb, DSAIO_STAT_MAX, a, stat_policy) < 0)
		return proto_err(err, errlen, "malformed %s entry in a job result",
				 stat_kind(type));
	get_u32(tb[DSAIO_STAT_INDEX], &s->index);
	get_u64(tb[DSAIO_STAT_OFFSET], &s->offset);
	get_u64(tb[DSAIO_STAT_LENGTH], &s->length);
	get_u64(tb[DSAIO_STAT_TIME_NS], &s->time_ns);
	get_u64(tb[DSAIO_STAT_BYTES], &s->bytes);
	get_u64(tb[DSAIO_STAT_REQUESTS], &s->requests);
	get_u64(tb[DSAIO_STAT_ERRORS], &s->errors);
	get_u64(tb[DSAIO_STAT_LAT_MIN_NS], &s->lat_min_ns);
	get_u64(tb[DSAIO_STAT_LAT_MAX_NS], &s->lat_max_ns);
	get_u64(tb[DSAIO_STAT_LAT_SUM_NS], &s->lat_sum_ns);
	get_u64(tb[DSAIO_STAT_START_NS], &s->start_ns);
	return 0;
}

static int decode_stats(struct nlattr *nest, int type,
			struct nl_stat **out, size_t *count,
			char *err, size_t errlen)
{
	size_t n = count_nested(nest, type);
	struct nlattr *a;
	int rem, ret;

	if (!n)
		return 0;
	*out = calloc(n, sizeof(**out));
	if (!*out)
		return -ENOMEM;
	nla_for_each_nested(a, nest, rem) {
		if (nla_type(a) != type)
			continue;
		ret = decode_stat_entry(a, type, &(*out)[*count], err, errlen);
		if (ret)
			return ret;
		(*count)++;
	}
	return 0;
}

/* The histogram is an array of buckets; the percentile code needs them valid. */
static int decode_hist(struct nlattr *a, struct nl_job_result *r,
		       char *err, size_t errlen)
{
	size_t len = (size_t)nla_len(a), n, i;
	const struct dsaio_hist_bucket *b = nla_data(a);

	if (len % sizeof(*b))
		return proto_err(err, errlen, "histogram of %zu bytes is not whole buckets", len);
	n = len / sizeof(*b);
	if (!n)
		return 0;
	r->hist = malloc(len);
	if (!r->hist)
		return -ENOMEM;
	memcpy(r->hist, b, len);	/* the attribute may be unaligned */
	for (i = 0; i < n; i++) {
		if (r->hist[i].index >= DSAIO_HIST_BUCKETS ||
		    (i && r->hist[i].index <= r->hist[i - 1].index))
			return proto_err(err, errlen, "histogram bucket %u out of order or range",
					 r->hist[i].index);
	}
	r->n_hist = n;
	return 0;
}

static int decode_result(struct nlattr *nest, struct nl_job_result *r,
			 char *err, size_t errlen)
{
	struct nlattr *tb[DSAIO_RES_MAX + 1];
	int ret;

	if (nla_parse_nested(tb, DSAIO_RES_MAX, nest, res_policy) < 0)
		return proto_err(err, errlen, "malformed job result from the module");
	get_u64(tb[DSAIO_RES_TASK_NS], &r->task_ns);
	get_u64(tb[DSAIO_RES_E2E_NS], &r->e2e_ns);
	get_u64(tb[DSAIO_RES_SETUP_NS], &r->setup_ns);
	get_u64(tb[DSAIO_RES_BYTES], &r->bytes);
	get_u64(tb[DSAIO_RES_REQUESTS], &r->requests);
	get_u64(tb[DSAIO_RES_BIOS], &r->bios);
	get_u64(tb[DSAIO_RES_POLLED], &r->polled);
	get_u64(tb[DSAIO_RES_ERRORS], &r->errors);
	get_u64(tb[DSAIO_RES_LAT_MIN_NS], &r->lat_min_ns);
	get_u64(tb[DSAIO_RES_LAT_MAX_NS], &r->lat_max_ns);
	get_u64(tb[DSAIO_RES_LAT_SUM_NS], &r->lat_sum_ns);
	get_u64(tb[DSAIO_RES_MISMATCHES], &r->mismatches);
	get_u64(tb[DSAIO_RES_FIRST_MISMATCH], &r->first_mismatch);
	get_u64(tb[DSAIO_RES_BUF_BYTES], &r->buf_bytes);
	if (tb[DSAIO_RES_ERRNOS]) {
		ret = decode_errnos(tb[DSAIO_RES_ERRNOS], r, err, errlen);
		if (ret)
			return ret;
	}
	if (tb[DSAIO_RES_HIST]) {
		ret = decode_hist(tb[DSAIO_RES_HIST], r, err, errlen);
		if (ret)
			return ret;
	}
	if (tb[DSAIO_RES_WORKERS]) {
		ret = decode_stats(tb[DSAIO_RES_WORKERS], DSAIO_RES_WORKER,
				   &r->workers, &r->n_workers, err, errlen);
		if (ret)
			return ret;
	}
	if (tb[DSAIO_RES_LOOPS]) {
		ret = decode_stats(tb[DSAIO_RES_LOOPS], DSAIO_RES_LOOP,
				   &r->loops, &r->n_loops, err, errlen);
		if (ret)
			return ret;
	}
	return 0;
}

/* One DSAIO_A_JOB_TARGETS entry: the target, how it ended, its result. */
static int decode_part(struct nlattr *nest, struct nl_job_part *p,
		       char *err, size_t errlen)
{
	struct nlattr *tb[DSAIO_TGT_MAX + 1];
	uint8_t s;
	int ret;

	ret = decode_target(nest, &p->target, err, errlen);
	if (ret)
		return ret;
	/* decode_target() parsed it with this policy already. */
	nla_parse_nested(tb, DSAIO_TGT_MAX, nest, tgt_policy);
	if (!tb[DSAIO_TGT_INDEX] || !tb[DSAIO_TGT_STATE])
		return proto_err(err, errlen, "job target entry without index or state");
	p->index = nla_get_u32(tb[DSAIO_TGT_INDEX]);
	s = nla_get_u8(tb[DSAIO_TGT_STATE]);
	if (s > DSAIO_JOB_STATE_MAX)
		return proto_err(err, errlen, "job target %u in unknown state %u",
				 p->index, s);
	p->state = (enum dsaio_job_state)s;
	if (tb[DSAIO_TGT_ERROR])
		p->error = (int32_t)nla_get_u32(tb[DSAIO_TGT_ERROR]);
	get_u64(tb[DSAIO_TGT_OFFSET], &p->offset);
	get_u64(tb[DSAIO_TGT_BYTES_DONE], &p->bytes_done);
	if (!tb[DSAIO_TGT_RESULT])
		return 0;
	p->have_result = true;
	return decode_result(tb[DSAIO_TGT_RESULT], &p->result, err, errlen);
}

/* DSAIO_A_JOB_TARGETS: every entry, in index order. */
static int decode_parts(struct nlattr *nest, struct nl_job *j,
			char *err, size_t errlen)
{
	struct nlattr *a;
	int rem, ret;

	nla_for_each_nested(a, nest, rem) {
		struct nl_job_part *p;

		if (nla_type(a) != DSAIO_A_JOB_TARGET)
			continue;
		if (j->n_parts == DSAIO_TARGETS_MAX)
			return proto_err(err, errlen, "job %u has more than %d targets",
					 j->id, DSAIO_TARGETS_MAX);
		p = &j->parts[j->n_parts++];
		ret = decode_part(a, p, err, errlen);
		if (ret)
			return ret;
		if (p->index != j->n_parts - 1)
			return proto_err(err, errlen, "job %u: target entry %u out of order",
					 j->id, p->index);
	}
	return 0;
}

int dsaio_decode_job(struct nlmsghdr *nlh, struct nl_job *j,
		     char *err, size_t errlen)
{
	struct nlattr *tb[DSAIO_A_MAX + 1];
	int ret;

	memset(j, 0, sizeof(*j));
	if (genlmsg_parse(nlh, 0, tb, DSAIO_A_MAX, top_policy) < 0)
		return proto_err(err, errlen, "malformed job message from the module");
	if (!tb[DSAIO_A_JOB_ID])
		return proto_err(err, errlen, "job message without a job id");
	j->id = nla_get_u32(tb[DSAIO_A_JOB_ID]);
	if (tb[DSAIO_A_JOB_STATE]) {
		uint8_t s = nla_get_u8(tb[DSAIO_A_JOB_STATE]);

		if (s > DSAIO_JOB_STATE_MAX)
			return proto_err(err, errlen, "job %u in unknown state %u", j->id, s);
		j->state = (enum dsaio_job_state)s;
		j->have_state = true;
	}
	if (tb[DSAIO_A_JOB_ERROR])
		j->error = (int32_t)nla_get_u32(tb[DSAIO_A_JOB_ERROR]);
	/* A module without it holds nothing past a job's end. */
	if (tb[DSAIO_A_JOB_HELD])
		j->held = nla_get_u32(tb[DSAIO_A_JOB_HELD]);
	if (tb[DSAIO_A_JOB_CONFIG]) {
		ret = nl_config_decode(tb[DSAIO_A_JOB_CONFIG], &j->config, err, errlen);
		if (ret)
			goto fail;
		j->have_config = true;
	}
	if (tb[DSAIO_A_JOB_TARGET]) {
		ret = decode_target(tb[DSAIO_A_JOB_TARGET], &j->target, err, errlen);
		if (ret)
			goto fail;
		j->have_target = true;
	}
	if (tb[DSAIO_A_JOB_PROGRESS]) {
		ret = decode_progress(tb[DSAIO_A_JOB_PROGRESS], &j->progress, err, errlen);
		if (ret)
			goto fail;
		j->have_progress = true;
	}
	if (tb[DSAIO_A_JOB_RESULT]) {
		ret = decode_result(tb[DSAIO_A_JOB_RESULT], &j->result, err, errlen);
		if (ret)
			goto fail;
		j->have_result = true;
	}
	if (tb[DSAIO_A_JOB_TARGETS]) {
		ret = decode_parts(tb[DSAIO_A_JOB_TARGETS], j, err, errlen);
		if (ret)
			goto fail;
	}
	return 0;
fail:
	if (ret == -ENOMEM)
		snprintf(err, errlen, "out of memory decoding job %u", j->id);
	nl_job_free(j);
	return ret;
}

void nl_job_free(struct nl_job *j)
{
	size_t i;

	for (i = 0; i < j->n_parts; i++) {
		free(j->parts[i].result.errnos);
		j->parts[i].result.errnos = NULL;
		j->parts[i].result.n_errnos = 0;
	}
	j->n_parts = 0;
	free(j->result.errnos);
	free(j->result.hist);
	free(j->result.workers);
	free(j->result.loops);
	j->result.errnos = NULL;
	j->result.hist = NULL;
	j->result.workers = NULL;
	j->result.loops = NULL;
	j->result.n_errnos = j->result.n_hist = 0;
	j->result.n_workers = j->result.n_loops = 0;
}

void nl_job_config_init(struct nl_job_config *c)
{
	memset(c, 0, sizeof(*c));
	c->op = DSAIO_OP_READ;
	c->queue_depth = 1;
	c->threads = 1;
	c->loops = 1;
	c->overlap_events = true;
	c->histogram = true;
}

bool nl_job_state_ended(enum dsaio_job_state s)
{
	return s == DSAIO_JOB_DONE || s == DSAIO_JOB_FAILED ||
	       s == DSAIO_JOB_CANCELLED;
}

const char *nl_job_state_name(enum dsaio_job_state s)
{
	switch (s) {
	case DSAIO_JOB_SETUP:		return "setup";
	case DSAIO_JOB_RUNNING:		return "running";
	case DSAIO_JOB_DONE:		return "done";
	case DSAIO_JOB_FAILED:		return "failed";
	case DSAIO_JOB_CANCELLED:	return "cancelled";
	default:			return "unknown";
	}
}

/*
 * JOB_STATS dump. Index order is checked rather than trusted, because a
 * resumed dump that repeated or skipped an entry would otherwise give a
 * plausible but wrong per-loop table.
 */
static int stats_push(struct nl_stat **v, size_t *n, size_t *cap,
		      const struct nl_stat *s)
{
	if (*n == *cap) {
		size_t c = *cap ? *cap * 2 : 256;
		struct nl_stat *nv = realloc(*v, c * sizeof(*nv));

		if (!nv)
			return -ENOMEM;
		*v = nv;
		*cap = c;
	}
	(*v)[(*n)++] = *s;
	return 0;
}

static int stats_entry(struct nlattr *a, int type, struct dsaio_stats_acc *acc,
		       char *err, size_t errlen)
{
	bool w = type == DSAIO_RES_WORKER;
	size_t *seen = w ? &acc->seen_workers : &acc->seen_loops;
	size_t max = w ? acc->max_workers : acc->max_loops;
	struct nl_stat s;
	int ret;

	ret = decode_stat_entry(a, type, &s, err, errlen);
	if (ret)
		return ret;
	if (w && acc->seen_loops)
		return proto_err(err, errlen, "job %u statistics: worker %u after the loop entries",
				 acc->id, s.index);
	if (s.index != *seen)
		return proto_err(err, errlen, "job %u statistics: %s %u where %s %zu was due (repeated or missing entry)",
				 acc->id, stat_kind(type), s.index, stat_kind(type), *seen);
	if (*seen >= max)
		return proto_err(err, errlen, "job %u statistics: %s %u, but the job has only %zu",
				 acc->id, stat_kind(type), s.index, max);
	(*seen)++;
	if (w && acc->want_workers)
		return stats_push(&acc->workers, &acc->n_workers, &acc->cap_workers, &s);
	if (!w && acc->want_loops)
		return stats_push(&acc->loops, &acc->n_loops, &acc->cap_loops, &s);
	return 0;
}

static int stats_list(struct nlattr *nest, int type, struct dsaio_stats_acc *acc,
		      char *err, size_t errlen)
{
	struct nlattr *a;
	int rem, ret;

	nla_for_each_nested(a, nest, rem) {
		if (nla_type(a) != type)
			continue;
		ret = stats_entry(a, type, acc, err, errlen);
		if (ret)
			return ret;
	}
	return 0;
}

int dsaio_decode_stats_msg(struct nlmsghdr *nlh, struct dsaio_stats_acc *acc,
			   char *err, size_t errlen)
{
	struct nlattr *tb[DSAIO_A_MAX + 1], *res[DSAIO_RES_MAX + 1];
	int ret;

	if (genlmsg_parse(nlh, 0, tb, DSAIO_A_MAX, top_policy) < 0)
		return proto_err(err, errlen, "malformed JOB_STATS message from the module");
	if (!tb[DSAIO_A_JOB_ID] || nla_get_u32(tb[DSAIO_A_JOB_ID]) != acc->id)
		return proto_err(err, errlen, "JOB_STATS message not of job %u", acc->id);
	if (!tb[DSAIO_A_JOB_RESULT])
		return 0;
	if (nla_parse_nested(res, DSAIO_RES_MAX, tb[DSAIO_A_JOB_RESULT],
			     res_policy) < 0)
		return proto_err(err, errlen, "malformed job %u statistics", acc->id);
	/* Workers before loops also inside one message. */
	if (res[DSAIO_RES_WORKERS]) {
		ret = stats_list(res[DSAIO_RES_WORKERS], DSAIO_RES_WORKER, acc, err, errlen);
		if (ret)
			return ret;
	}
	if (res[DSAIO_RES_LOOPS]) {
		ret = stats_list(res[DSAIO_RES_LOOPS], DSAIO_RES_LOOP, acc, err, errlen);
		if (ret)
			return ret;
	}
	return 0;
}

int dsaio_stats_acc_finish(struct dsaio_stats_acc *acc, bool job_done,
			   struct nl_job_result *r, char *err, size_t errlen)
{
	if (job_done && (acc->seen_workers != acc->max_workers ||
			 acc->seen_loops != acc->max_loops))
		return proto_err(err, errlen, "job %u statistics incomplete: %zu of %zu workers, %zu of %zu loops",
				 acc->id, acc->seen_workers, acc->max_workers,
				 acc->seen_loops, acc->max_loops);
	if (acc->want_workers) {
		free(r->workers);
		r->workers = acc->workers;
		r->n_workers = acc->n_workers;
		acc->workers = NULL;
		acc->n_workers = acc->cap_workers = 0;
	}
	if (acc->want_loops) {
		free(r->loops);
		r->loops = acc->loops;
		r->n_loops = acc->n_loops;
		acc->loops = NULL;
		acc->n_loops = acc->cap_loops = 0;
	}
	return 0;
}

void dsaio_stats_acc_free(struct dsaio_stats_acc *acc)
{
	free(acc->workers);
	free(acc->loops);
	acc->workers = acc->loops = NULL;
	acc->n_workers = acc->n_loops = acc->cap_workers = acc->cap_loops = 0;
}
