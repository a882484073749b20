/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The dimensions of a sweep, one table row each: how DeepSpeed spells it
 * in a sweep JSON, a log name of each scheme, the "aio" config block and
 * dsaio's own outputs, and where it sits in each of them. The sweep config
 * parser, log names, log text, ranking, reports and the config block loop
 * over this table, so a new dimension is a field in struct dsaio_params
 * and a row here (and, for an engine to do it, that engine's mapping).
 */
#ifndef DSAIO_USER_SWEEPPARAM_H
#define DSAIO_USER_SWEEPPARAM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "model.h"

enum sweep_param_kind {
	SP_SIZE,	/* uint64_t bytes, K/M/G suffixes; 1..4G-1; kept as written */
	SP_COUNT,	/* unsigned int, 1..UINT_MAX; 0 in a struct means unset */
	SP_BOOL,	/* bool */
};

/*
 * The orders the outputs list the dimensions in. Each is DeepSpeed's (or
 * dsaio's own, already released), so they differ and are kept per row.
 */
enum sweep_param_order {
	SPO_TABLE,		/* sweep keys, log text, table, "aio" block */
	SPO_JSON,		/* dsaio's JSON: summary points, parse --json */
	SPO_NAME_2021,		/* log-name fields after the op; also ranking */
	SPO_NAME_CURRENT,
	SPO_COUNT
};

struct sweep_param {
	const char *key;	 /* sweep JSON, dsaio's JSON, log text, table */
	const char *inverse_key; /* the same switch inverted, or NULL */
	enum sweep_param_kind kind;
	size_t offset;		 /* of the field in struct dsaio_params */
	size_t str_offset;	 /* SP_SIZE: of the size as written */
	uint64_t dflt;		 /* ds_io's, when a sweep leaves the key out */
	uint64_t max;		 /* 0: the kind's limit */
	const char *over_max;	 /* why a value above max is refused */
	/* Log names: the field's prefix per scheme; SP_BOOL: its words. */
	const char *token[2];	 /* [LOGNAME_2021], [LOGNAME_CURRENT] */
	const char *word[2];	 /* [false], [true] */
	/* DeepSpeed's "aio" block: the key, and the one releases up to
	 * 0.16.3 read (--legacy-keys); NULL: not in the block. */
	const char *aio_key, *aio_legacy_key;
	bool column;		 /* in the ranked table and excluded lines */
	/* a column only where a point has other than dflt (threads) */
	bool column_if_set;
	unsigned char pos[SPO_COUNT];	/* place in each order, from 0 */
};

extern const struct sweep_param dsaio_sweep_params[];
extern const size_t dsaio_n_sweep_params;

/* The row at place i of order o (i < dsaio_n_sweep_params). */
const struct sweep_param *sweep_param_nth(enum sweep_param_order o, size_t i);

/* A dimension's value in p: bytes, count or 0/1. */
uint64_t sweep_param_get(const struct sweep_param *sp,
			 const struct dsaio_params *p);
/* The value as names and log text show it: an unset count is dflt. */
uint64_t sweep_param_shown(const struct sweep_param *sp,
			   const struct dsaio_params *p);
/* Sets it; for SP_SIZE str is the size as written (NULL: formatted). */
void sweep_param_set(const struct sweep_param *sp, struct dsaio_params *p,
		     uint64_t v, const char *str);

/*
 * The value as the table and log text show it: "1M", "16", "true" (SP_SIZE
 * formatted from bytes).
 */
void sweep_param_cell(const struct sweep_param *sp,
		      const struct dsaio_params *p, char *buf, size_t len);

/*
 * DeepSpeed's order of sorted log-name keys: booleans by their words
 * ("block" < "single", "overlap" < "sequential"), then the numbers, in
 * the 2021 name's field order. <0, 0, >0.
 */
int dsaio_params_cmp(const struct dsaio_params *a,
		     const struct dsaio_params *b);
/* True when every dimension is the same. */
bool dsaio_params_same(const struct dsaio_params *a,
		       const struct dsaio_params *b);
#endif
