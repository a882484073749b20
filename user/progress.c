// SPDX-License-Identifier: GPL-2.0 OR MIT
#include <math.h>
#include <stdio.h>
#include <time.h>
#include "progress.h"

double dsaio_eta(uint64_t done, uint64_t total, double elapsed_s)
{
	if (!done || !total || elapsed_s < 0)
		return -1;
	if (done >= total)
		return 0;
	return elapsed_s * (double)(total - done) / (double)done;
}

void dsaio_format_duration(double s, char *buf, size_t len)
{
	unsigned long long t;

	if (s < 0 || isnan(s)) {
		snprintf(buf, len, "--");
		return;
	}
	t = (unsigned long long)(s + 0.5);	/* whole seconds, rounded */
	if (t < 60)
		snprintf(buf, len, "%llus", t);
	else if (t < 3600)
		snprintf(buf, len, "%llum%02llus", t / 60, t % 60);
	else
		snprintf(buf, len, "%lluh%02llum", t / 3600, t / 60 % 60);
}

void dsaio_format_bytes(uint64_t bytes, char *buf, size_t len)
{
	static const char *const unit[] = { "KiB", "MiB", "GiB", "TiB", "PiB", "EiB" };
	double v = (double)bytes;
	int i = -1;

	if (bytes < 1024) {
		snprintf(buf, len, "%llu B", (unsigned long long)bytes);
		return;
	}
	while (v >= 1024 && i < 5) {
		v /= 1024;
		i++;
	}
	snprintf(buf, len, "%.1f %s", v, unit[i]);
}

void dsaio_format_bar(double fraction, unsigned int width, char *buf, size_t len)
{
	unsigned int fill, i;
	size_t pos = 0;

	if (!len)
		return;
	if (!(fraction > 0))	/* also NaN */
		fraction = 0;
	if (fraction > 1)
		fraction = 1;
	if (len < 3) {		/* no room for the brackets */
		buf[0] = '\0';
		return;
	}
	/* Shrink the bar to the buffer: brackets take 2 bytes, the NUL 1. */
	if ((size_t)width + 3 > len)
		width = (unsigned int)(len - 3);
	fill = (unsigned int)(fraction * width + 1e-9);
	buf[pos++] = '[';
	for (i = 0; i < width; i++)
		buf[pos++] = i < fill ? '#' : '.';
	buf[pos++] = ']';
	buf[pos] = '\0';
}

uint64_t dsaio_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}
