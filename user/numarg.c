// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * strtoull alone accepts "-1" (as a huge value), leading spaces and an
 * empty string; a benchmark must refuse those rather than run a 2^64 loop.
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include "numarg.h"

static int parse(const char *s, int base, unsigned long long *v)
{
	char *end;

	if (!s || !isdigit((unsigned char)s[0]))
		return -EINVAL;
	errno = 0;
	*v = strtoull(s, &end, base);
	if (*end)
		return -EINVAL;
	if (errno == ERANGE)
		return -ERANGE;
	return errno ? -EINVAL : 0;
}

int dsaio_parse_u32(const char *s, uint32_t min, uint32_t max, uint32_t *out)
{
	unsigned long long v;
	int ret = parse(s, 10, &v);

	if (ret)
		return ret;
	if (v < min || v > max)
		return -ERANGE;
	*out = (uint32_t)v;
	return 0;
}

int dsaio_parse_u64(const char *s, uint64_t *out)
{
	unsigned long long v;
	int ret = parse(s, 0, &v);

	if (ret)
		return ret;
	*out = v;
	return 0;
}

int dsaio_parse_confidence(const char *s, double *out)
{
	char *end;
	double v;

	if (!s || !*s || !(isdigit((unsigned char)*s) || *s == '.'))
		return -EINVAL;
	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s)
		return -EINVAL;
	if (*end == '%') {
		end++;
		v /= 100;
	}
	if (*end)
		return -EINVAL;
	/* 99.9 / 100 is a hair above 0.999 in binary */
	if (!(v >= 0.5 && v <= 0.999 + 1e-12))
		return -ERANGE;
	*out = v;
	return 0;
}
