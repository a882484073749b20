// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Random access order, the module's (kmod/order.c) for the user-space
 * engines: a 4-round Feistel network on the smallest domain of 2^(2h)
 * values that holds the n blocks, walked again while the value is >= n
 * (cycle walking). A Feistel network is a bijection whatever its round
 * function, cycle walking keeps one of [0, n), and the domain is under 4n,
 * so a block costs a few rounds; no per-block array for huge slices. The
 * round function is the pattern's splitmix64 (dsaio_pattern_word()).
 */
#include <linux/dsaio.h>
#include "uorder.h"

#define UORDER_ROUNDS	4

void uorder_init(struct uorder *o, uint64_t n, bool random, uint64_t seed,
		 uint32_t worker, uint32_t loop)
{
	unsigned int bits = n > 1 ? 64 - (unsigned int)__builtin_clzll(n - 1) : 0;

	o->n = n;
	o->random = random && n > 1;
	o->half_bits = (bits + 1) / 2;
	o->key = o->random ? dsaio_pattern_word(seed, ((uint64_t)worker << 32) | loop) : 0;
}

static uint64_t feistel(const struct uorder *o, uint64_t x)
{
	unsigned int h = o->half_bits, round;
	uint64_t mask = (1ULL << h) - 1, l = x >> h, r = x & mask, t;

	for (round = 0; round < UORDER_ROUNDS; round++) {
		t = r;
		r = l ^ (dsaio_pattern_word(o->key + round, r) & mask);
		l = t;
	}
	return (l << h) | r;
}

uint64_t uorder_block(const struct uorder *o, uint64_t i)
{
	uint64_t x = i;

	if (!o->random)
		return i;
	do
		x = feistel(o, x);
	while (x >= o->n);
	return x;
}
