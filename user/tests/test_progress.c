// SPDX-License-Identifier: GPL-2.0 OR MIT
/* Progress display arithmetic: ETA, durations, human sizes, the bar. */
#include "tap.h"
#include "progress.h"

int main(void)
{
	char b[64];

	is_dbl(dsaio_eta(0, 100, 5.0), -1, "eta unknown before anything is done");
	is_dbl(dsaio_eta(10, 0, 5.0), -1, "eta unknown without a total");
	is_dbl(dsaio_eta(25, 100, 10.0), 30.0, "quarter done in 10 s: 30 s left");
	is_dbl(dsaio_eta(100, 100, 10.0), 0, "all done: 0 s left");
	is_dbl(dsaio_eta(150, 100, 10.0), 0, "overshoot: 0 s left, never negative");

	dsaio_format_duration(-1, b, sizeof(b));
	is_str(b, "--", "unknown duration");
	dsaio_format_duration(0.4, b, sizeof(b));
	is_str(b, "0s", "under half a second rounds to 0s");
	dsaio_format_duration(59.6, b, sizeof(b));
	is_str(b, "1m00s", "59.6 s rounds up to a minute");
	dsaio_format_duration(185, b, sizeof(b));
	is_str(b, "3m05s", "minutes with padded seconds");
	dsaio_format_duration(7440, b, sizeof(b));
	is_str(b, "2h04m", "hours with padded minutes");

	dsaio_format_bytes(0, b, sizeof(b));
	is_str(b, "0 B", "zero bytes");
	dsaio_format_bytes(1023, b, sizeof(b));
	is_str(b, "1023 B", "below 1 KiB stays in bytes");
	dsaio_format_bytes(1536, b, sizeof(b));
	is_str(b, "1.5 KiB", "1.5 KiB");
	dsaio_format_bytes(64ULL << 20, b, sizeof(b));
	is_str(b, "64.0 MiB", "64 MiB");
	dsaio_format_bytes(3ULL << 40, b, sizeof(b));
	is_str(b, "3.0 TiB", "3 TiB");

	dsaio_format_bar(0.5, 10, b, sizeof(b));
	is_str(b, "[#####.....]", "half bar");
	dsaio_format_bar(-3, 4, b, sizeof(b));
	is_str(b, "[....]", "negative fraction clamps to empty");
	dsaio_format_bar(7, 4, b, sizeof(b));
	is_str(b, "[####]", "fraction above 1 clamps to full");
	dsaio_format_bar(1.0, 20, b, 8);
	is_str(b, "[#####]", "bar shrinks to a short buffer");
	dsaio_format_bar(1.0, 20, b, 2);
	is_str(b, "", "no room for brackets: empty string");
	return done();
}
