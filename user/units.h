/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* Sizes and speeds as DeepSpeed writes them: K/M/G are powers of 1024. */
#ifndef DSAIO_USER_UNITS_H
#define DSAIO_USER_UNITS_H

#include <stddef.h>
#include <stdint.h>

/*
 * Parse "4096", "128K", "1M", "8m", "1G" (also "128KB", "128KiB").
 * Returns 0, or -EINVAL (not a size) / -ERANGE (does not fit 64 bits).
 */
int dsaio_parse_size(const char *s, uint64_t *out);

/* Largest exact unit: 131072 -> "128K", 1048576 -> "1M", 1000 -> "1000". */
void dsaio_format_size(uint64_t bytes, char *buf, size_t len);

/* DeepSpeed's GB/sec: bytes / 2^30 / seconds. 0 when ns is 0. */
double dsaio_gb_per_sec(uint64_t bytes, uint64_t ns);

/*
 * Like dsaio_format_size but with K and M only (never G): DeepSpeed's
 * log-name parser reads "bs" values with K, M or no suffix, nothing else.
 */
void dsaio_format_size_km(uint64_t bytes, char *buf, size_t len);

/* A double as Python's repr() writes it: "12.5", "3.0", "1e-05". */
void dsaio_format_double(double v, char *buf, size_t len);
#endif
