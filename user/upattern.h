/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The module's validation pattern (<linux/dsaio.h>) in user space, so that
 * any engine checks what another wrote: every 8-byte little-endian word
 * holds dsaio_pattern_word(seed, its absolute offset on the target).
 */
#ifndef DSAIO_USER_UPATTERN_H
#define DSAIO_USER_UPATTERN_H

#include <stddef.h>
#include <stdint.h>

/* Fills len bytes (a multiple of 8) at buf, which belong at offset off. */
void upattern_fill(void *buf, uint64_t off, size_t len, uint64_t seed);

/*
 * Checks len bytes read from offset off in whole blocks of lbs bytes (a
 * multiple of 8). Returns how many blocks differ; *first is lowered to the
 * offset of the first of them when that is below it.
 */
uint64_t upattern_check(const void *buf, uint64_t off, size_t len,
			uint32_t lbs, uint64_t seed, uint64_t *first);
#endif
