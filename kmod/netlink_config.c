// SPDX-License-Identifier: GPL-2.0
/*
 * The configuration attributes of JOB_START, one table row each: its
 * policy, its member of struct dsaio_job_config, its default, and the
 * sentences for a missing or out-of-range value. Parsing, the echo in
 * replies and its size are loops over the table, so a new DSAIO_CFG_* is
 * one row here (and its use in the job).
 */
#include <linux/kernel.h>
#include <linux/netlink.h>
#include <linux/stddef.h>
#include <linux/string.h>
#include <net/netlink.h>

#include "job.h"
#include "netlink_config.h"
#include "params.h"

/* Upper bounds come from the module parameters, set at load. */
static struct netlink_range_validation dsaio_range_block_size = { .min = 1 };
static struct netlink_range_validation dsaio_range_queue_depth = { .min = 1 };
static struct netlink_range_validation dsaio_range_threads = { .min = 1 };
static struct netlink_range_validation dsaio_range_loops = { .min = 1 };
static struct netlink_range_validation dsaio_range_warmup_loops;

/*
 * A row reads and writes its member with the width of its policy's type
 * (u8, u32, u64; a string is an array of policy.len + 1 bytes): the
 * protocol tests echo every attribute, so a member of another width
 * shows there.
 */
struct dsaio_cfg_field {
	struct nla_policy policy;
	u16 offset;			/* in struct dsaio_job_config */
	u64 def;			/* when the attribute is absent */
	const char *missing;		/* set: required, and this says so */
	/*
	 * A policy range's refusal: the core says only "integer out of
	 * range" and -ERANGE; JOB_START answers -EINVAL with this instead.
	 */
	const char *range;
	/*
	 * Any other policy refusal (a wrong length, a string too long or
	 * without its NUL): the core's sentences name neither the
	 * attribute nor the limit, so this replaces them. It says what the
	 * policy, as GETPOLICY shows it, takes.
	 */
	const char *invalid;
};

#define DSAIO_CFG_MEMBER(m)	.offset = offsetof(struct dsaio_job_config, m)

/* One DSAIO_TCFG_ENTRY of DSAIO_CFG_TARGETS, and its refusals. */
static const struct nla_policy dsaio_tcfg_policy[DSAIO_TCFG_MAX + 1] = {
	[DSAIO_TCFG_DEV_PATH] = { .type = NLA_NUL_STRING,
				  .len = DSAIO_DEV_PATH_MAX - 1 },
	[DSAIO_TCFG_DIR] = { .type = NLA_NUL_STRING,
			     .len = DSAIO_DEV_PATH_MAX - 1 },
	[DSAIO_TCFG_OFFSET] = { .type = NLA_U64 },
};

static const char *const dsaio_tcfg_invalid[DSAIO_TCFG_MAX + 1] = {
	[DSAIO_TCFG_DEV_PATH] =
		"DSAIO_TCFG_DEV_PATH: a NUL-terminated path of at most 255 bytes (DSAIO_DEV_PATH_MAX - 1)",
	[DSAIO_TCFG_DIR] =
		"DSAIO_TCFG_DIR: a NUL-terminated path of at most 255 bytes (DSAIO_DEV_PATH_MAX - 1)",
	[DSAIO_TCFG_OFFSET] = "DSAIO_TCFG_OFFSET: a u64 (8 bytes)",
};

/* A boolean: u8 0 or 1. */
#define DSAIO_CFG_FLAG(m, dflt, msg) {					\
	.policy = NLA_POLICY_MAX(NLA_U8, 1), DSAIO_CFG_MEMBER(m),	\
	.def = (dflt), .range = (msg) }

static const struct dsaio_cfg_field dsaio_cfg_fields[DSAIO_CFG_MAX + 1] = {
	[DSAIO_CFG_DEV_PATH] = {
		.policy = { .type = NLA_NUL_STRING,
			    .len = DSAIO_DEV_PATH_MAX - 1 },
		DSAIO_CFG_MEMBER(dev_path),
		.invalid =
			"DSAIO_CFG_DEV_PATH: a NUL-terminated path of at most 255 bytes (DSAIO_DEV_PATH_MAX - 1)",
	},
	[DSAIO_CFG_OP] = {
		.policy = NLA_POLICY_MAX(NLA_U8, DSAIO_OP_MAX),
		DSAIO_CFG_MEMBER(op),
		.missing = "DSAIO_CFG_OP is required",
		.range = "DSAIO_CFG_OP: not 0 (read) or 1 (write)",
		.invalid = "DSAIO_CFG_OP: a u8 (1 byte), 0 (read) or 1 (write)",
	},
	[DSAIO_CFG_OFFSET] = {
		.policy = { .type = NLA_U64 },
		DSAIO_CFG_MEMBER(offset),
		.invalid = "DSAIO_CFG_OFFSET: a u64 (8 bytes)",
	},
	[DSAIO_CFG_IO_SIZE] = {
		.policy = NLA_POLICY_MIN(NLA_U64, 1),
		DSAIO_CFG_MEMBER(io_size),
		.missing = "DSAIO_CFG_IO_SIZE is required",
		.range = "DSAIO_CFG_IO_SIZE: must be > 0",
		.invalid = "DSAIO_CFG_IO_SIZE: a u64 (8 bytes), > 0",
	},
	[DSAIO_CFG_BLOCK_SIZE] = {
		.policy = NLA_POLICY_FULL_RANGE(NLA_U32,
						&dsaio_range_block_size),
		DSAIO_CFG_MEMBER(block_size),
		.missing = "DSAIO_CFG_BLOCK_SIZE is required",
		.range = "DSAIO_CFG_BLOCK_SIZE: out of range 1..max_block_size",
		.invalid = "DSAIO_CFG_BLOCK_SIZE: a u32 (4 bytes), 1..max_block_size",
	},
	[DSAIO_CFG_QUEUE_DEPTH] = {
		.policy = NLA_POLICY_FULL_RANGE(NLA_U32,
						&dsaio_range_queue_depth),
		DSAIO_CFG_MEMBER(queue_depth), .def = 1,
		.range = "DSAIO_CFG_QUEUE_DEPTH: out of range 1..max_queue_depth",
		.invalid = "DSAIO_CFG_QUEUE_DEPTH: a u32 (4 bytes), 1..max_queue_depth",
	},
	[DSAIO_CFG_THREADS] = {
		.policy = NLA_POLICY_FULL_RANGE(NLA_U32, &dsaio_range_threads),
		DSAIO_CFG_MEMBER(threads), .def = 1,
		.range = "DSAIO_CFG_THREADS: out of range 1..max_threads",
		.invalid = "DSAIO_CFG_THREADS: a u32 (4 bytes), 1..max_threads",
	},
	[DSAIO_CFG_SINGLE_SUBMIT] = DSAIO_CFG_FLAG(single_submit, 0,
		"DSAIO_CFG_SINGLE_SUBMIT: not 0 or 1"),
	[DSAIO_CFG_OVERLAP_EVENTS] = DSAIO_CFG_FLAG(overlap_events, 1,
		"DSAIO_CFG_OVERLAP_EVENTS: not 0 or 1"),
	[DSAIO_CFG_LOOPS] = {
		.policy = NLA_POLICY_FULL_RANGE(NLA_U32, &dsaio_range_loops),
		DSAIO_CFG_MEMBER(loops), .def = 1,
		.range = "DSAIO_CFG_LOOPS: out of range 1..max_loops",
		.invalid = "DSAIO_CFG_LOOPS: a u32 (4 bytes), 1..max_loops",
	},
	[DSAIO_CFG_VALIDATE] = DSAIO_CFG_FLAG(validate, 0,
		"DSAIO_CFG_VALIDATE: not 0 or 1"),
	[DSAIO_CFG_SEED] = {
		.policy = { .type = NLA_U64 },
		DSAIO_CFG_MEMBER(seed),
		.invalid = "DSAIO_CFG_SEED: a u64 (8 bytes)",
	},
	[DSAIO_CFG_ALLOW_WRITE] = DSAIO_CFG_FLAG(allow_write, 0,
		"DSAIO_CFG_ALLOW_WRITE: not 0 or 1"),
	[DSAIO_CFG_HISTOGRAM] = DSAIO_CFG_FLAG(histogram, 1,
		"DSAIO_CFG_HISTOGRAM: not 0 or 1"),
	[DSAIO_CFG_WARMUP_LOOPS] = {
		.policy = NLA_POLICY_FULL_RANGE(NLA_U32,
						&dsaio_range_warmup_loops),
		DSAIO_CFG_MEMBER(warmup_loops),
		.range = "DSAIO_CFG_WARMUP_LOOPS: out of range 0..max_loops",
		.invalid = "DSAIO_CFG_WARMUP_LOOPS: a u32 (4 bytes), 0..max_loops",
	},
	[DSAIO_CFG_DIR] = {
		.policy = { .type = NLA_NUL_STRING,
			    .len = DSAIO_DEV_PATH_MAX - 1 },
		DSAIO_CFG_MEMBER(dir),
		.invalid =
			"DSAIO_CFG_DIR: a NUL-terminated path of at most 255 bytes (DSAIO_DEV_PATH_MAX - 1)",
	},
	[DSAIO_CFG_OVERWRITE] = DSAIO_CFG_FLAG(overwrite, 0,
		"DSAIO_CFG_OVERWRITE: not 0 or 1"),
	[DSAIO_CFG_KEEP_FILES] = DSAIO_CFG_FLAG(keep_files, 0,
		"DSAIO_CFG_KEEP_FILES: not 0 or 1"),
	/* Its entries are validated with the rest, read by dsaio_tcfg_parse. */
	[DSAIO_CFG_TARGETS] = {
		.policy = NLA_POLICY_NESTED_ARRAY(dsaio_tcfg_policy),
		DSAIO_CFG_MEMBER(targets),
		.invalid = "DSAIO_CFG_TARGETS: a nest (NLA_F_NESTED) of DSAIO_TCFG_ENTRY nests",
	},
	[DSAIO_CFG_POLL] = DSAIO_CFG_FLAG(poll, 0,
		"DSAIO_CFG_POLL: not 0 or 1"),
	[DSAIO_CFG_RANDOM] = DSAIO_CFG_FLAG(random, 0,
		"DSAIO_CFG_RANDOM: not 0 or 1 (0 sequential, 1 random order)"),
};

/* The policies of the rows, for nla_parse_nested(); made at load. */
static struct nla_policy dsaio_cfg_policy[DSAIO_CFG_MAX + 1] __ro_after_init;

/* A row of the table, or NULL for UNSPEC and PAD. */
static const struct dsaio_cfg_field *dsaio_cfg_field(int attr)
{
	const struct dsaio_cfg_field *f = &dsaio_cfg_fields[attr];

	return f->policy.type ? f : NULL;
}

int dsaio_nl_config_init(void)
{
	int i;

	dsaio_range_block_size.max = dsaio_max_block_size;
	dsaio_range_queue_depth.max = dsaio_max_queue_depth;
	dsaio_range_threads.max = dsaio_max_threads;
	dsaio_range_loops.max = dsaio_max_loops;
	dsaio_range_warmup_loops.max = dsaio_max_loops;
	/* struct nla_policy has const members: copied, not assigned. */
	for (i = 0; i <= DSAIO_CFG_MAX; i++)
		memcpy(&dsaio_cfg_policy[i], &dsaio_cfg_fields[i].policy,
		       sizeof(dsaio_cfg_policy[i]));
	return 0;
}

/* A sentence from the table (NL_SET_ERR_MSG() takes literals only). */
static void dsaio_cfg_refuse(struct netlink_ext_ack *extack, const char *msg,
			     const struct nlattr *attr)
{
	if (!extack)
		return;
	extack->_msg = msg;
	extack->bad_attr = attr;
}

/*
 * DSAIO_CFG_TARGETS into cfg->targets: 1..DSAIO_TARGETS_MAX entries, each
 * a device or a directory, all of one kind. The entries' attributes were
 * validated with the config nest; their offset defaults to cfg->offset,
 * which is read before this row.
 */
static int dsaio_tcfg_parse(const struct nlattr *list,
			    struct dsaio_job_config *cfg,
			    struct netlink_ext_ack *extack)
{
	struct nlattr *tb[DSAIO_TCFG_MAX + 1];
	struct dsaio_job_target_cfg *tc;
	const struct nlattr *e;
	int rem, ret;

	nla_for_each_nested(e, list, rem) {
		if (nla_type(e) != DSAIO_TCFG_ENTRY) {
			dsaio_cfg_refuse(extack,
					 "DSAIO_CFG_TARGETS: holds DSAIO_TCFG_ENTRY nests only",
					 e);
			return -EINVAL;
		}
		if (cfg->nr_targets == DSAIO_TARGETS_MAX) {
			dsaio_cfg_refuse(extack,
					 "DSAIO_CFG_TARGETS: more than DSAIO_TARGETS_MAX (16) entries",
					 e);
			return -EINVAL;
		}
		ret = nla_parse_nested(tb, DSAIO_TCFG_MAX, e, dsaio_tcfg_policy,
				       extack);
		if (ret)
			return ret;
		if (!tb[DSAIO_TCFG_DEV_PATH] == !tb[DSAIO_TCFG_DIR]) {
			dsaio_cfg_refuse(extack,
					 "DSAIO_TCFG_ENTRY: needs DSAIO_TCFG_DEV_PATH or DSAIO_TCFG_DIR, not both",
					 e);
			return -EINVAL;
		}
		tc = &cfg->targets[cfg->nr_targets];
		tc->kind = tb[DSAIO_TCFG_DIR] ? DSAIO_TARGET_FILE :
						DSAIO_TARGET_BDEV;
		if (cfg->nr_targets && tc->kind != cfg->targets[0].kind) {
			dsaio_cfg_refuse(extack,
					 "DSAIO_TCFG_ENTRY: all entries must be devices, or all directories",
					 e);
			return -EINVAL;
		}
		nla_strscpy(tc->path, tb[DSAIO_TCFG_DIR] ?: tb[DSAIO_TCFG_DEV_PATH],
			    sizeof(tc->path));
		if (!tc->path[0]) {
			dsaio_cfg_refuse(extack,
					 "DSAIO_TCFG_ENTRY: an empty path",
					 e);
			return -EINVAL;
		}
		tc->offset = tb[DSAIO_TCFG_OFFSET] ?
			     nla_get_u64(tb[DSAIO_TCFG_OFFSET]) : cfg->offset;
		cfg->nr_targets++;
	}
	if (!cfg->nr_targets) {
		dsaio_cfg_refuse(extack, "DSAIO_CFG_TARGETS: no entry", list);
		return -EINVAL;
	}
	return 0;
}

/* The sentence for a policy refusal of @bad, an attribute of entry @e. */
static const char *dsaio_tcfg_policy_why(const struct nlattr *e,
					 const struct nlattr *bad)
{
	const struct nlattr *a;
	int rem;

	if (bad == e)
		return "DSAIO_CFG_TARGETS: holds DSAIO_TCFG_ENTRY nests (NLA_F_NESTED) only";
	nla_for_each_nested(a, e, rem) {
		if (a == bad)
			return nla_type(a) <= DSAIO_TCFG_MAX ?
			       dsaio_tcfg_invalid[nla_type(a)] : NULL;
	}
	return NULL;
}

/*
 * The sentence for the core's refusal (@err) of @bad: found by where it
 * is, an attribute of the nest or of one of the DSAIO_CFG_TARGETS
 * entries, since the two levels' types overlap. NULL when it is neither.
 */
static const char *dsaio_cfg_policy_why(const struct nlattr *nest,
					const struct nlattr *bad, int err)
{
	const struct dsaio_cfg_field *f;
	const struct nlattr *a, *e;
	const char *why;
	int rem, rem2;

	nla_for_each_nested(a, nest, rem) {
		if (a == bad) {
			f = nla_type(a) <= DSAIO_CFG_MAX ?
			    dsaio_cfg_field(nla_type(a)) : NULL;
			if (!f)
				return NULL;
			/* A flag's one sentence says both. */
			return err == -ERANGE || !f->invalid ? f->range :
							       f->invalid;
		}
		if (nla_type(a) != DSAIO_CFG_TARGETS)
			continue;
		nla_for_each_nested(e, a, rem2) {
			why = dsaio_tcfg_policy_why(e, bad);
			if (why)
				return why;
		}
	}
	return NULL;
}

int dsaio_nl_config_parse(struct nlattr *nest, struct nlattr **tb,
			  struct dsaio_job_config *cfg,
			  struct netlink_ext_ack *extack)
{
	int i, ret;

	ret = nla_parse_nested(tb, DSAIO_CFG_MAX, nest, dsaio_cfg_policy,
			       extack);
	if (ret) {
		const struct nlattr *bad = extack ? extack->bad_attr : NULL;
		const char *why = bad ? dsaio_cfg_policy_why(nest, bad, ret) :
				  NULL;

		/* The core's pointer at the policy stays, for the limits. */
		if (why)
			extack->_msg = why;
		/* Every bad value is -EINVAL (dsaio.h), ranges included. */
		return ret == -ERANGE ? -EINVAL : ret;
	}
	memset(cfg, 0, sizeof(*cfg));
	for (i = 0; i <= DSAIO_CFG_MAX; i++) {
		const struct dsaio_cfg_field *f = dsaio_cfg_field(i);
		void *p;

		if (!f)
			continue;
		p = (u8 *)cfg + f->offset;
		if (!tb[i] && f->missing) {
			dsaio_cfg_refuse(extack, f->missing, nest);
			return -EINVAL;
		}
		switch (f->policy.type) {
		case NLA_U8:
			*(u8 *)p = tb[i] ? nla_get_u8(tb[i]) : f->def;
			break;
		case NLA_U32:
			*(u32 *)p = tb[i] ? nla_get_u32(tb[i]) : f->def;
			break;
		case NLA_U64:
			*(u64 *)p = tb[i] ? nla_get_u64(tb[i]) : f->def;
			break;
		case NLA_NUL_STRING:
			if (tb[i])
				nla_strscpy(p, tb[i], f->policy.len + 1);
			break;
		case NLA_NESTED_ARRAY:
			if (tb[i]) {
				ret = dsaio_tcfg_parse(tb[i], cfg, extack);
				if (ret)
					return ret;
			}
			break;
		}
	}
	return 0;
}

/* The DSAIO_CFG_TARGETS echo: each entry as given, defaults filled in. */
static int dsaio_tcfg_put(struct sk_buff *skb,
			  const struct dsaio_job_config *cfg)
{
	struct nlattr *list, *e;
	u32 i;

	list = nla_nest_start(skb, DSAIO_CFG_TARGETS);
	if (!list)
		return -EMSGSIZE;
	for (i = 0; i < cfg->nr_targets; i++) {
		const struct dsaio_job_target_cfg *tc = &cfg->targets[i];

		e = nla_nest_start(skb, DSAIO_TCFG_ENTRY);
		if (!e ||
		    nla_put_string(skb, tc->kind == DSAIO_TARGET_FILE ?
				   DSAIO_TCFG_DIR : DSAIO_TCFG_DEV_PATH,
				   tc->path) ||
		    nla_put_u64_64bit(skb, DSAIO_TCFG_OFFSET, tc->offset,
				      DSAIO_TCFG_PAD))
			return -EMSGSIZE;
		nla_nest_end(skb, e);
	}
	nla_nest_end(skb, list);
	return 0;
}

int dsaio_nl_config_put(struct sk_buff *skb,
			const struct dsaio_job_config *cfg)
{
	struct nlattr *nest;
	int i, ret = 0;

	nest = nla_nest_start(skb, DSAIO_A_JOB_CONFIG);
	if (!nest)
		return -EMSGSIZE;
	for (i = 0; i <= DSAIO_CFG_MAX && !ret; i++) {
		const struct dsaio_cfg_field *f = dsaio_cfg_field(i);
		const void *p;

		if (!f)
			continue;
		p = (const u8 *)cfg + f->offset;
		switch (f->policy.type) {
		case NLA_U8:
			ret = nla_put_u8(skb, i, *(const u8 *)p);
			break;
		case NLA_U32:
			ret = nla_put_u32(skb, i, *(const u32 *)p);
			break;
		case NLA_U64:
			ret = nla_put_u64_64bit(skb, i, *(const u64 *)p,
						DSAIO_CFG_PAD);
			break;
		case NLA_NUL_STRING:
			/* Of DEV_PATH and DIR only the one given. */
			if (*(const char *)p)
				ret = nla_put_string(skb, i, p);
			break;
		case NLA_NESTED_ARRAY:
			/* Only when given: a single target's echo is as ever. */
			if (cfg->nr_targets)
				ret = dsaio_tcfg_put(skb, cfg);
			break;
		}
	}
	if (ret) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

static size_t dsaio_tcfg_size(const struct dsaio_job_config *cfg)
{
	size_t size = nla_total_size(0);
	u32 i;

	for (i = 0; i < cfg->nr_targets; i++)
		size += nla_total_size(0) +
			nla_total_size(strlen(cfg->targets[i].path) + 1) +
			nla_total_size_64bit(sizeof(u64));
	return size;
}

size_t dsaio_nl_config_size(const struct dsaio_job_config *cfg)
{
	size_t size = nla_total_size(0);
	int i;

	for (i = 0; i <= DSAIO_CFG_MAX; i++) {
		const struct dsaio_cfg_field *f = dsaio_cfg_field(i);

		if (!f)
			continue;
		if (f->policy.type == NLA_NUL_STRING)
			size += nla_total_size(strlen((const char *)cfg +
						      f->offset) + 1);
		else if (f->policy.type == NLA_NESTED_ARRAY)
			size += dsaio_tcfg_size(cfg);
		else if (f->policy.type == NLA_U64)
			size += nla_total_size_64bit(sizeof(u64));
		else
			size += nla_total_size(sizeof(u32));
	}
	return size;
}
