// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The table of sweep dimensions (see sweepparam.h). The positions are
 * what DeepSpeed's formats fix: the 2021 log name is
 * {op}_{single|block}_{overlap|sequential}_t{threads}_p{io_parallel}_d{queue_depth}_bs{block_size},
 * the current one ..._ftd{N}_d{queue_depth}_bs{block_size}_p{io_parallel};
 * "threads" (DeepSpeed's process count, "t"/"ftd") is in no "aio" block.
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include "logname.h"
#include "sweepparam.h"
#include "units.h"

#define FIELD(f)	offsetof(struct dsaio_params, f)

const struct sweep_param dsaio_sweep_params[] = {
	{
		.key = "block_size", .kind = SP_SIZE, .offset = FIELD(block_size),
		.str_offset = FIELD(block_size_str), .dflt = 1 << 20,
		.token = { "bs", "bs" },
		.aio_key = "block_size", .column = true,
		.pos = { [SPO_TABLE] = 0, [SPO_JSON] = 0,
			 [SPO_NAME_2021] = 5, [SPO_NAME_CURRENT] = 4 },
	}, {
		.key = "queue_depth", .kind = SP_COUNT, .offset = FIELD(queue_depth),
		.dflt = 32, .token = { "d", "d" },
		.aio_key = "queue_depth", .column = true,
		.pos = { [SPO_TABLE] = 1, [SPO_JSON] = 1,
			 [SPO_NAME_2021] = 4, [SPO_NAME_CURRENT] = 3 },
	}, {
		.key = "io_parallel", .kind = SP_COUNT, .offset = FIELD(io_parallel),
		.dflt = 1, .token = { "p", "p" },
		.aio_key = "intra_op_parallelism", .aio_legacy_key = "thread_count",
		.column = true,
		.pos = { [SPO_TABLE] = 2, [SPO_JSON] = 2,
			 [SPO_NAME_2021] = 3, [SPO_NAME_CURRENT] = 5 },
	}, {
		.key = "single_submit", .kind = SP_BOOL, .offset = FIELD(single_submit),
		.dflt = 0, .word = { "block", "single" },
		.aio_key = "single_submit", .column = true,
		.pos = { [SPO_TABLE] = 3, [SPO_JSON] = 4,
			 [SPO_NAME_2021] = 0, [SPO_NAME_CURRENT] = 0 },
	}, {
		.key = "overlap_events", .inverse_key = "sequential_requests",
		.kind = SP_BOOL, .offset = FIELD(overlap_events), .dflt = 1,
		.word = { "sequential", "overlap" },
		.aio_key = "overlap_events", .column = true,
		.pos = { [SPO_TABLE] = 4, [SPO_JSON] = 5,
			 [SPO_NAME_2021] = 1, [SPO_NAME_CURRENT] = 1 },
	}, {
		.key = "threads", .kind = SP_COUNT, .offset = FIELD(processes),
		.dflt = 1, .max = DSAIO_MAX_PROCESSES,
		.over_max = "at most 32 handles per target are measured together "
			    "(\"io_parallel\" sets each handle's workers)",
		.token = { "t", "ftd" }, .column_if_set = true,
		.pos = { [SPO_TABLE] = 5, [SPO_JSON] = 3,
			 [SPO_NAME_2021] = 2, [SPO_NAME_CURRENT] = 2 },
	},
};

const size_t dsaio_n_sweep_params =
	sizeof(dsaio_sweep_params) / sizeof(dsaio_sweep_params[0]);

const struct sweep_param *sweep_param_nth(enum sweep_param_order o, size_t i)
{
	size_t k;

	for (k = 0; k < dsaio_n_sweep_params; k++)
		if (dsaio_sweep_params[k].pos[o] == i)
			return &dsaio_sweep_params[k];
	return NULL;	/* a hole in the table: test_sweepparam catches it */
}

uint64_t sweep_param_get(const struct sweep_param *sp,
			 const struct dsaio_params *p)
{
	const char *f = (const char *)p + sp->offset;

	switch (sp->kind) {
	case SP_SIZE:	return *(const uint64_t *)(const void *)f;
	case SP_COUNT:	return *(const unsigned int *)(const void *)f;
	case SP_BOOL:	return *(const bool *)(const void *)f;
	}
	return 0;
}

uint64_t sweep_param_shown(const struct sweep_param *sp,
			   const struct dsaio_params *p)
{
	uint64_t v = sweep_param_get(sp, p);

	return sp->kind == SP_COUNT && !v ? sp->dflt : v;
}

void sweep_param_set(const struct sweep_param *sp, struct dsaio_params *p,
		     uint64_t v, const char *str)
{
	char *f = (char *)p + sp->offset;

	switch (sp->kind) {
	case SP_SIZE: {
		char *s = (char *)p + sp->str_offset;

		*(uint64_t *)(void *)f = v;
		if (str)
			snprintf(s, DSAIO_SIZE_STR_MAX, "%s", str);
		else
			dsaio_format_size(v, s, DSAIO_SIZE_STR_MAX);
		break;
	}
	case SP_COUNT:
		*(unsigned int *)(void *)f = (unsigned int)v;
		break;
	case SP_BOOL:
		*(bool *)(void *)f = v != 0;
		break;
	}
}

void sweep_param_cell(const struct sweep_param *sp,
		      const struct dsaio_params *p, char *buf, size_t len)
{
	uint64_t v = sweep_param_shown(sp, p);

	if (sp->kind == SP_SIZE)
		dsaio_format_size(v, buf, len);
	else if (sp->kind == SP_BOOL)
		snprintf(buf, len, "%s", v ? "true" : "false");
	else
		snprintf(buf, len, "%llu", (unsigned long long)v);
}

static int cmp_uint(uint64_t a, uint64_t b)
{
	return a < b ? -1 : a > b;
}

int dsaio_params_cmp(const struct dsaio_params *a,
		     const struct dsaio_params *b)
{
	size_t i;
	int c;

	for (i = 0; i < dsaio_n_sweep_params; i++) {
		const struct sweep_param *sp = sweep_param_nth(SPO_NAME_2021, i);
		uint64_t x = sweep_param_get(sp, a), y = sweep_param_get(sp, b);

		/* A boolean sorts as its word in the name. */
		if (sp->kind == SP_BOOL && strcmp(sp->word[0], sp->word[1]) > 0)
			x = !x, y = !y;
		c = cmp_uint(x, y);
		if (c)
			return c;
	}
	return 0;
}

bool dsaio_params_same(const struct dsaio_params *a,
		       const struct dsaio_params *b)
{
	size_t i;

	for (i = 0; i < dsaio_n_sweep_params; i++)
		if (sweep_param_get(&dsaio_sweep_params[i], a) !=
		    sweep_param_get(&dsaio_sweep_params[i], b))
			return false;
	return true;
}
