/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _DSAIO_PATTERN_H
#define _DSAIO_PATTERN_H

#include <linux/types.h>

void dsaio_pattern_fill(void *addr, u64 dev_off, u32 len, u64 seed);
u64 dsaio_pattern_check(const void *addr, u64 dev_off, u32 len, u32 lbs,
			u64 seed, u64 *first);

#endif /* _DSAIO_PATTERN_H */
