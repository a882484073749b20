// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The job configuration on the wire: one row per DSAIO_CFG_* attribute
 * gives its type, its field in struct nl_job_config and the words for it
 * in an error, and the encoder, the decoder (with its policy) and the
 * extack naming all loop over the rows.
 *
 * Rows marked IF_SET are sent only when set (a non-empty string, true):
 * the module's policy is strict, so a module older than an attribute
 * refuses it even at its default, and leaving it out keeps a device job
 * working there. DEV_PATH and DIR are one or the other, never both.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include "nl_config.h"

#define FIELD(f)	offsetof(struct nl_job_config, f), \
			sizeof(((struct nl_job_config *)0)->f)

/* C_TARGETS: DSAIO_CFG_TARGETS, a nest of entries (IF_SET: any). */
enum cfg_kind { C_STRING, C_OP, C_U32, C_U64, C_BOOL, C_TARGETS };
/* When a row is sent; IF_SET is for C_STRING and C_BOOL rows only. */
enum cfg_send { ALWAYS, IF_SET };

static const struct cfg_attr {
	int type;		/* DSAIO_CFG_* */
	enum cfg_kind kind;	/* C_OP, C_BOOL: NLA_U8 on the wire */
	size_t offset, size;
	const char *name;
	enum cfg_send send;
} attrs[] = {
	{ DSAIO_CFG_DEV_PATH,	   C_STRING, FIELD(dev_path),	    "device path (--dev)", IF_SET },
	{ DSAIO_CFG_OP,		   C_OP,     FIELD(op),		    "operation (--op)", ALWAYS },
	{ DSAIO_CFG_OFFSET,	   C_U64,    FIELD(offset),	    "offset (--offset)", ALWAYS },
	{ DSAIO_CFG_IO_SIZE,	   C_U64,    FIELD(io_size),	    "io size (--io-size)", ALWAYS },
	{ DSAIO_CFG_BLOCK_SIZE,	   C_U32,    FIELD(block_size),	    "block size (--block-size)", ALWAYS },
	{ DSAIO_CFG_QUEUE_DEPTH,   C_U32,    FIELD(queue_depth),    "queue depth (--queue-depth)", ALWAYS },
	{ DSAIO_CFG_THREADS,	   C_U32,    FIELD(threads),	    "threads (--threads/--io-parallel)", ALWAYS },
	{ DSAIO_CFG_SINGLE_SUBMIT, C_BOOL,   FIELD(single_submit),  "single submit", ALWAYS },
	{ DSAIO_CFG_OVERLAP_EVENTS, C_BOOL,  FIELD(overlap_events), "overlap events", ALWAYS },
	{ DSAIO_CFG_LOOPS,	   C_U32,    FIELD(loops),	    "loops (--loops)", ALWAYS },
	{ DSAIO_CFG_VALIDATE,	   C_BOOL,   FIELD(validate),	    "validate", ALWAYS },
	{ DSAIO_CFG_SEED,	   C_U64,    FIELD(seed),	    "seed (--seed)", ALWAYS },
	{ DSAIO_CFG_ALLOW_WRITE,   C_BOOL,   FIELD(allow_write),    "allow write", ALWAYS },
	{ DSAIO_CFG_HISTOGRAM,	   C_BOOL,   FIELD(histogram),	    "histogram", ALWAYS },
	{ DSAIO_CFG_WARMUP_LOOPS,  C_U32,    FIELD(warmup_loops),   "warm-up loops (--warmup-loops)", ALWAYS },
	{ DSAIO_CFG_DIR,	   C_STRING, FIELD(dir),	    "directory (--dir)", IF_SET },
	{ DSAIO_CFG_OVERWRITE,	   C_BOOL,   FIELD(overwrite),	    "overwrite (--overwrite)", IF_SET },
	{ DSAIO_CFG_KEEP_FILES,	   C_BOOL,   FIELD(keep_files),	    "keep files (--keep-files)", IF_SET },
	{ DSAIO_CFG_TARGETS,	   C_TARGETS, FIELD(targets),	    "targets (--dev/--dir, threads)", IF_SET },
	{ DSAIO_CFG_POLL,	   C_BOOL,   FIELD(poll),	    "polled mode (--poll)", IF_SET },
	{ DSAIO_CFG_RANDOM,	   C_BOOL,   FIELD(random),	    "random order (--random)", IF_SET },
};

/* DSAIO_CFG_TARGETS: one DSAIO_TCFG_ENTRY per target, in order. */
static int put_targets(struct nl_msg *msg, const struct nl_job_config *c)
{
	struct nlattr *list, *e;
	uint32_t i;

	list = nla_nest_start(msg, DSAIO_CFG_TARGETS | NLA_F_NESTED);
	if (!list)
		return -EMSGSIZE;
	for (i = 0; i < c->n_targets; i++) {
		const struct nl_target_cfg *t = &c->targets[i];

		e = nla_nest_start(msg, DSAIO_TCFG_ENTRY | NLA_F_NESTED);
		if (!e ||
		    nla_put_string(msg, t->dir ? DSAIO_TCFG_DIR : DSAIO_TCFG_DEV_PATH,
				   t->path) < 0 ||
		    nla_put_u64(msg, DSAIO_TCFG_OFFSET, t->offset) < 0)
			return -EMSGSIZE;
		nla_nest_end(msg, e);
	}
	nla_nest_end(msg, list);
	return 0;
}

static int decode_targets(struct nlattr *list, struct nl_job_config *c,
			  char *err, size_t errlen)
{
	static struct nla_policy policy[DSAIO_TCFG_MAX + 1] = {
		[DSAIO_TCFG_DEV_PATH]	= { .type = NLA_STRING },
		[DSAIO_TCFG_DIR]	= { .type = NLA_STRING },
		[DSAIO_TCFG_OFFSET]	= { .type = NLA_U64 },
	};
	struct nlattr *tb[DSAIO_TCFG_MAX + 1], *e;
	int rem;

	nla_for_each_nested(e, list, rem) {
		struct nl_target_cfg *t;

		if (nla_type(e) != DSAIO_TCFG_ENTRY)
			continue;
		if (c->n_targets == DSAIO_TARGETS_MAX ||
		    nla_parse_nested(tb, DSAIO_TCFG_MAX, e, policy) < 0 ||
		    !tb[DSAIO_TCFG_DEV_PATH] == !tb[DSAIO_TCFG_DIR]) {
			snprintf(err, errlen, "malformed target list in a job configuration");
			return -EPROTO;
		}
		t = &c->targets[c->n_targets++];
		t->dir = tb[DSAIO_TCFG_DIR] != NULL;
		snprintf(t->path, sizeof(t->path), "%s",
			 nla_get_string(t->dir ? tb[DSAIO_TCFG_DIR] :
					tb[DSAIO_TCFG_DEV_PATH]));
		if (tb[DSAIO_TCFG_OFFSET])
			t->offset = nla_get_u64(tb[DSAIO_TCFG_OFFSET]);
	}
	return 0;
}

#define N_ATTRS (sizeof(attrs) / sizeof(attrs[0]))

int nl_config_put(struct nl_msg *msg, const struct nl_job_config *c)
{
	size_t i;

	for (i = 0; i < N_ATTRS; i++) {
		const struct cfg_attr *a = &attrs[i];
		const void *f = (const char *)c + a->offset;
		int ret = 0;

		if (a->kind == C_TARGETS) {
			if (c->n_targets && put_targets(msg, c))
				return -EMSGSIZE;
			continue;
		}
		if (a->send == IF_SET && !(a->kind == C_STRING ? *(const char *)f != '\0'
						       : *(const bool *)f))
			continue;
		switch (a->kind) {
		case C_STRING:
			ret = nla_put_string(msg, a->type, f);
			break;
		case C_OP:
			ret = nla_put_u8(msg, a->type,
					 (uint8_t)*(const enum dsaio_op *)f);
			break;
		case C_U32:
			ret = nla_put_u32(msg, a->type, *(const uint32_t *)f);
			break;
		case C_U64:
			ret = nla_put_u64(msg, a->type, *(const uint64_t *)f);
			break;
		case C_BOOL:
			ret = nla_put_u8(msg, a->type, *(const bool *)f);
			break;
		case C_TARGETS:		/* put above */
			break;
		}
		if (ret < 0)
			return -EMSGSIZE;
	}
	return 0;
}

int nl_config_decode(struct nlattr *nest, struct nl_job_config *c,
		     char *err, size_t errlen)
{
	static struct nla_policy policy[DSAIO_CFG_MAX + 1];
	static const uint16_t nla_of[] = {
		[C_STRING] = NLA_STRING, [C_OP] = NLA_U8, [C_U32] = NLA_U32,
		[C_U64] = NLA_U64, [C_BOOL] = NLA_U8, [C_TARGETS] = NLA_NESTED,
	};
	struct nlattr *tb[DSAIO_CFG_MAX + 1];
	size_t i;

	/* The policy from the rows: libnl then checks every length. */
	for (i = 0; i < N_ATTRS; i++)
		policy[attrs[i].type].type = nla_of[attrs[i].kind];
	nl_job_config_init(c);
	if (nla_parse_nested(tb, DSAIO_CFG_MAX, nest, policy) < 0) {
		snprintf(err, errlen, "malformed job configuration from the module");
		return -EPROTO;
	}
	for (i = 0; i < N_ATTRS; i++) {
		const struct cfg_attr *a = &attrs[i];
		struct nlattr *v = tb[a->type];
		void *f = (char *)c + a->offset;

		if (!v)
			continue;
		switch (a->kind) {
		case C_STRING:
			snprintf(f, a->size, "%s", nla_get_string(v));
			break;
		case C_OP:
			if (nla_get_u8(v) > DSAIO_OP_MAX) {
				snprintf(err, errlen, "unknown operation %u in a job configuration",
					 nla_get_u8(v));
				return -EPROTO;
			}
			*(enum dsaio_op *)f = (enum dsaio_op)nla_get_u8(v);
			break;
		case C_U32:
			*(uint32_t *)f = nla_get_u32(v);
			break;
		case C_U64:
			*(uint64_t *)f = nla_get_u64(v);
			break;
		case C_BOOL:
			*(bool *)f = nla_get_u8(v) != 0;
			break;
		case C_TARGETS:
			if (decode_targets(v, c, err, errlen))
				return -EPROTO;
			break;
		}
	}
	return 0;
}

const char *nl_config_attr_name(int type)
{
	size_t i;

	for (i = 0; i < N_ATTRS; i++)
		if (attrs[i].type == type)
			return attrs[i].name;
	return NULL;
}
