/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* Progress display arithmetic: bar, human sizes, durations, ETA. */
#ifndef DSAIO_USER_PROGRESS_H
#define DSAIO_USER_PROGRESS_H

#include <stddef.h>
#include <stdint.h>

/*
 * Seconds left when done of total units took elapsed_s, assuming the rate
 * so far holds; -1 when unknown (nothing done yet, or no total).
 */
double dsaio_eta(uint64_t done, uint64_t total, double elapsed_s);

/* "7s", "3m05s", "2h04m"; "--" for a negative (unknown) duration. */
void dsaio_format_duration(double s, char *buf, size_t len);

/* Binary units with one decimal: "512 B", "1.5 KiB", "64.0 MiB". */
void dsaio_format_bytes(uint64_t bytes, char *buf, size_t len);

/* CLOCK_MONOTONIC in nanoseconds: every elapsed time of the tool. */
uint64_t dsaio_now_ns(void);

/* "[####......]" with width cells; fraction clamped to 0..1. */
void dsaio_format_bar(double fraction, unsigned int width, char *buf, size_t len);
#endif
