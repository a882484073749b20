/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _DSAIO_ORDER_H
#define _DSAIO_ORDER_H

#include <linux/types.h>

/*
 * The order in which a worker visits the blocks of its slice in one loop:
 * block i of the walk is dsaio_order_block(o, i), for i in 0..n-1.
 * Sequential (DeepSpeed's) is the identity; random is a seeded bijection
 * of [0, n), so every block is visited exactly once per loop, without a
 * per-block array.
 */
struct dsaio_order {
	u64 n;			/* blocks */
	u64 key;		/* 0 with random off */
	u32 half_bits;		/* Feistel half width */
	bool random;
};

void dsaio_order_init(struct dsaio_order *o, u64 n, bool random, u64 seed,
		      u32 worker, u32 loop);
u64 dsaio_order_block(const struct dsaio_order *o, u64 i);

#endif /* _DSAIO_ORDER_H */
