/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* Numeric command-line arguments, strictly checked. */
#ifndef DSAIO_USER_NUMARG_H
#define DSAIO_USER_NUMARG_H

#include <stdint.h>

/*
 * Decimal u32 in [min, max]: no sign, no spaces, no trailing text.
 * Returns 0, or -EINVAL (not a number) / -ERANGE (outside [min, max]).
 */
int dsaio_parse_u32(const char *s, uint32_t min, uint32_t max, uint32_t *out);

/* Decimal or 0x-hex u64, same rules. */
int dsaio_parse_u64(const char *s, uint64_t *out);

/*
 * A confidence (--confidence P): a decimal fraction from 0.5 to 0.999
 * ("0.95") or a percentage from 50 to 99.9 ("95%"); below one half an
 * interval would be narrower than the spread it summarises, at 1 it is
 * infinite. Same strictness. Returns 0, -EINVAL or -ERANGE.
 */
int dsaio_parse_confidence(const char *s, double *out);
#endif
