// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The random block order (uorder.c): every block exactly once for sizes
 * around the powers of two the Feistel domain is cut at, the same order
 * for the same seed, worker and loop, another for any of them changed,
 * and far from sequential; sequential stays the identity.
 */
#include <stdlib.h>
#include <string.h>
#include "tap.h"
#include "uorder.h"

/* Whether o visits each of its n blocks exactly once. */
static int is_permutation(const struct uorder *o)
{
	unsigned char *seen = calloc(o->n ? o->n : 1, 1);
	uint64_t i, b;
	int good = seen != NULL;

	for (i = 0; good && i < o->n; i++) {
		b = uorder_block(o, i);
		if (b >= o->n || seen[b])
			good = 0;
		else
			seen[b] = 1;
	}
	free(seen);
	return good;
}

/* Requests whose block follows the previous one's: what could merge. */
static uint64_t successors(const struct uorder *o)
{
	uint64_t i, n = 0;

	for (i = 1; i < o->n; i++)
		n += uorder_block(o, i) == uorder_block(o, i - 1) + 1;
	return n;
}

static uint64_t same_places(const struct uorder *a, const struct uorder *b)
{
	uint64_t i, n = 0;

	for (i = 0; i < a->n; i++)
		n += uorder_block(a, i) == uorder_block(b, i);
	return n;
}

int main(void)
{
	static const uint64_t sizes[] = { 1, 2, 3, 4, 5, 7, 8, 9, 63, 64, 65, 100,
					  255, 256, 257, 1000, 4095, 4096, 4097,
					  65535, 65536, 65537, 262144 };
	struct uorder o, p;
	uint64_t i, bad = 0, far;
	size_t k;

	for (k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
		uorder_init(&o, sizes[k], true, 7, 1, 2);
		ok(is_permutation(&o), "random, %llu blocks: every block exactly once",
		   (unsigned long long)sizes[k]);
	}
	uorder_init(&o, 1000, false, 7, 1, 2);
	for (i = 0; i < o.n; i++)
		bad += uorder_block(&o, i) != i;
	is_int(bad, 0, "sequential is the identity");

	uorder_init(&o, 65536, true, 7, 1, 2);
	uorder_init(&p, 65536, true, 7, 1, 2);
	is_int(same_places(&o, &p), 65536, "same seed, worker and loop: the same order");
	ok(successors(&o) < 65536 / 100,
	   "random: under 1%% of requests follow their predecessor (%llu)",
	   (unsigned long long)successors(&o));
	uorder_init(&p, 65536, false, 7, 1, 2);
	is_int(successors(&p), 65535, "sequential: every request follows the last");
	ok(same_places(&o, &p) < 65536 / 100, "random differs from sequential almost everywhere");
	uorder_init(&p, 65536, true, 8, 1, 2);
	ok(same_places(&o, &p) < 65536 / 100, "another seed: another order");
	uorder_init(&p, 65536, true, 7, 2, 2);
	ok(same_places(&o, &p) < 65536 / 100, "another worker: another order");
	uorder_init(&p, 65536, true, 7, 1, 3);
	ok(same_places(&o, &p) < 65536 / 100, "another loop: another order");

	/* A slice of 2^40 blocks (4 PiB of 4K): no array, blocks in range. */
	uorder_init(&o, (1ULL << 40) + 3, true, 1, 0, 0);
	for (i = 0, bad = 0, far = 0; i < 1000; i++) {
		uint64_t b = uorder_block(&o, i);

		bad += b >= o.n;
		far += b > (1ULL << 30);
	}
	is_int(bad, 0, "2^40 + 3 blocks: every block visited is in the slice");
	ok(far > 900, "and spread over all of it (%llu of 1000 past 2^30)",
	   (unsigned long long)far);
	uorder_init(&o, 1, true, 1, 0, 0);
	is_int(uorder_block(&o, 0), 0, "one block: block 0");
	return done();
}
