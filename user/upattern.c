// SPDX-License-Identifier: GPL-2.0 OR MIT
/* The validation pattern of <linux/dsaio.h>, filled and checked. */
#include <endian.h>
#include <linux/dsaio.h>
#include "upattern.h"

void upattern_fill(void *buf, uint64_t off, size_t len, uint64_t seed)
{
	uint64_t *p = buf;
	size_t i;

	for (i = 0; i < len / 8; i++)
		p[i] = htole64(dsaio_pattern_word(seed, off + 8 * i));
}

uint64_t upattern_check(const void *buf, uint64_t off, size_t len,
			uint32_t lbs, uint64_t seed, uint64_t *first)
{
	const uint64_t *p = buf;
	uint64_t bad = 0;
	size_t blk, i, words = lbs / 8;

	for (blk = 0; blk < len / lbs; blk++, p += words) {
		uint64_t at = off + (uint64_t)blk * lbs;

		for (i = 0; i < words; i++)
			if (le64toh(p[i]) != dsaio_pattern_word(seed, at + 8 * i))
				break;
		if (i == words)
			continue;
		if (at < *first)
			*first = at;
		bad++;
	}
	return bad;
}
