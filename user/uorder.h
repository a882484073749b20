/* SPDX-License-Identifier: GPL-2.0 OR MIT */
#ifndef DSAIO_UORDER_H
#define DSAIO_UORDER_H

#include <stdbool.h>
#include <stdint.h>

/*
 * The order a worker visits the n blocks of its slice in one loop, as the
 * module's (kmod/order.c): the identity (sequential, DeepSpeed's), or with
 * random a bijection of [0, n) keyed by the seed, the worker and the loop,
 * so every block is visited once per loop and a run repeats exactly.
 */
struct uorder {
	uint64_t n;
	uint64_t key;
	unsigned int half_bits;
	bool random;
};

void uorder_init(struct uorder *o, uint64_t n, bool random, uint64_t seed,
		 uint32_t worker, uint32_t loop);
/* The block visited i-th, i < o->n. Pure. */
uint64_t uorder_block(const struct uorder *o, uint64_t i);

#endif
