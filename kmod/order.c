// SPDX-License-Identifier: GPL-2.0
/*
 * Random access order: a 4-round Feistel network on the smallest domain
 * of 2^(2h) values that holds the n blocks, with cycle walking (apply it
 * again while the value is >= n). A Feistel network is a bijection for any
 * round function, and cycle walking restricts a bijection of the domain to
 * one of [0, n); the domain is less than 4n, so a block costs a few
 * rounds on average. The round function is the pattern's splitmix64
 * (dsaio_pattern_word()), keyed by the seed, the worker and the loop, so
 * a run is reproducible and every loop and worker has its own order.
 * user/uorder.c computes the same order for the user-space engines.
 */
#include <linux/dsaio.h>
#include <linux/kernel.h>
#include <linux/log2.h>

#include "order.h"

#define DSAIO_ORDER_ROUNDS	4

void dsaio_order_init(struct dsaio_order *o, u64 n, bool random, u64 seed,
		      u32 worker, u32 loop)
{
	u32 bits = n > 1 ? ilog2(n - 1) + 1 : 0;

	o->n = n;
	o->random = random && n > 1;
	o->half_bits = (bits + 1) / 2;
	o->key = o->random ?
		dsaio_pattern_word(seed, ((u64)worker << 32) | loop) : 0;
}

static u64 dsaio_order_feistel(const struct dsaio_order *o, u64 x)
{
	u32 h = o->half_bits;
	u64 mask = (1ULL << h) - 1;
	u64 l = x >> h, r = x & mask, t;
	u32 round;

	for (round = 0; round < DSAIO_ORDER_ROUNDS; round++) {
		t = r;
		r = l ^ (dsaio_pattern_word(o->key + round, r) & mask);
		l = t;
	}
	return (l << h) | r;
}

/* The block visited @i-th, @i < o->n. */
u64 dsaio_order_block(const struct dsaio_order *o, u64 i)
{
	u64 x = i;

	if (!o->random)
		return i;
	do
		x = dsaio_order_feistel(o, x);
	while (x >= o->n);
	return x;
}
