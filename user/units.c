// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Sizes and speeds as DeepSpeed writes them. DeepSpeed's
 * refine_integer_value() reads K/M/G as powers of 1024, so dsaio does too;
 * "KB" and "KiB" are accepted because people type them, and they mean the
 * same binary unit here.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ctype.h>

#include "units.h"

static int unit_shift(const char *s, unsigned int *shift)
{
	static const struct { char c; unsigned int shift; } units[] = {
		{ 'K', 10 }, { 'M', 20 }, { 'G', 30 }, { 'T', 40 },
	};
	size_t i;

	if (*s == '\0') {
		*shift = 0;
		return 0;
	}
	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (toupper((unsigned char)*s) != units[i].c)
			continue;
		s++;
		/* Only the exact spellings X, XB and XiB; nothing may follow. */
		if (*s == '\0' || strcmp(s, "B") == 0 || strcmp(s, "b") == 0 ||
		    strcmp(s, "iB") == 0 || strcmp(s, "ib") == 0) {
			*shift = units[i].shift;
			return 0;
		}
		return -EINVAL;
	}
	return -EINVAL;
}

int dsaio_parse_size(const char *s, uint64_t *out)
{
	uint64_t v = 0;
	unsigned int shift;
	const char *p = s;

	if (!s || !isdigit((unsigned char)*p))
		return -EINVAL;	/* no sign, no blanks, no empty string */
	for (; isdigit((unsigned char)*p); p++) {
		unsigned int d = (unsigned int)(*p - '0');

		if (v > (UINT64_MAX - d) / 10)
			return -ERANGE;
		v = v * 10 + d;
	}
	if (unit_shift(p, &shift))
		return -EINVAL;
	if (shift && v > (UINT64_MAX >> shift))
		return -ERANGE;
	*out = v << shift;
	return 0;
}

void dsaio_format_size(uint64_t bytes, char *buf, size_t len)
{
	static const char suffix[] = "TGMK";
	unsigned int shift = 40;
	size_t i;

	for (i = 0; bytes && i < sizeof(suffix) - 1; i++, shift -= 10) {
		uint64_t unit = 1ULL << shift;

		if (bytes % unit == 0) {
			snprintf(buf, len, "%llu%c",
				 (unsigned long long)(bytes / unit), suffix[i]);
			return;
		}
	}
	snprintf(buf, len, "%llu", (unsigned long long)bytes);
}

void dsaio_format_size_km(uint64_t bytes, char *buf, size_t len)
{
	/* DeepSpeed's log-name parser understands K, M and plain bytes only. */
	if (bytes && bytes % (1ULL << 20) == 0)
		snprintf(buf, len, "%lluM", (unsigned long long)(bytes >> 20));
	else if (bytes && bytes % 1024 == 0)
		snprintf(buf, len, "%lluK", (unsigned long long)(bytes >> 10));
	else
		snprintf(buf, len, "%llu", (unsigned long long)bytes);
}

double dsaio_gb_per_sec(uint64_t bytes, uint64_t ns)
{
	if (ns == 0)
		return 0.0;
	return ((double)bytes / (double)(1ULL << 30)) / ((double)ns / 1e9);
}

/*
 * Python's repr(float): the shortest digits that read back to the same
 * double, positional for exponents -4..15, with ".0" on whole numbers.
 * DeepSpeed prints its speeds and latencies that way, and dsaio's logs and
 * parse output look the same.
 */
void dsaio_format_double(double v, char *buf, size_t len)
{
	char tmp[64];
	int prec, exp10;

	if (!isfinite(v)) {
		snprintf(buf, len, "%s", isnan(v) ? "nan" :
			 (v > 0 ? "inf" : "-inf"));
		return;
	}
	if (v == 0.0) {
		snprintf(buf, len, "%s", signbit(v) ? "-0.0" : "0.0");
		return;
	}
	for (prec = 1; prec <= 17; prec++) {
		snprintf(tmp, sizeof(tmp), "%.*e", prec - 1, v);
		if (strtod(tmp, NULL) == v)
			break;
	}
	if (prec > 17)
		prec = 17;
	exp10 = atoi(strchr(tmp, 'e') + 1);
	if (exp10 < -4 || exp10 >= 16) {
		/* tmp is d.ddde+XX; Python writes at least two exponent digits
		 * too, and drops a lone ".": 1e-05, 1.5e+16. */
		snprintf(buf, len, "%s", tmp);
		return;
	}
	if (prec - 1 - exp10 > 0)
		snprintf(buf, len, "%.*f", prec - 1 - exp10, v);
	else
		snprintf(buf, len, "%.0f.0", v);
}
