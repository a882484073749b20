// SPDX-License-Identifier: GPL-2.0
/*
 * The validation pattern of <linux/dsaio.h>: every 8-byte little-endian
 * word holds dsaio_pattern_word(seed, its absolute device offset), so any
 * logical block can be checked on its own.
 */
#include <linux/dsaio.h>
#include <linux/kernel.h>
#include <asm/byteorder.h>

#include "pattern.h"

/* Fill @len bytes at @addr, which belong at device offset @dev_off. */
void dsaio_pattern_fill(void *addr, u64 dev_off, u32 len, u64 seed)
{
	__le64 *p = addr;
	u32 i;

	for (i = 0; i < len / 8; i++)
		p[i] = cpu_to_le64(dsaio_pattern_word(seed, dev_off + 8ULL * i));
}

/*
 * Check @len bytes (whole logical blocks of @lbs bytes) read from device
 * offset @dev_off. Returns the number of mismatching blocks; when there
 * are any, *@first is lowered to the offset of the first of them if that
 * is below its current value.
 */
u64 dsaio_pattern_check(const void *addr, u64 dev_off, u32 len, u32 lbs,
			u64 seed, u64 *first)
{
	const __le64 *p = addr;
	u32 words = lbs / 8;
	u64 bad = 0;
	u32 blk, i;

	for (blk = 0; blk < len / lbs; blk++, p += words) {
		u64 off = dev_off + (u64)blk * lbs;

		for (i = 0; i < words; i++) {
			if (le64_to_cpu(p[i]) !=
			    dsaio_pattern_word(seed, off + 8ULL * i))
				break;
		}
		if (i == words)
			continue;
		if (!bad && off < *first)
			*first = off;
		bad++;
	}
	return bad;
}
