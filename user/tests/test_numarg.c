// SPDX-License-Identifier: GPL-2.0 OR MIT
/* Whole-number options: the forms strtoull would wrongly accept are refused. */
#include <errno.h>
#include <math.h>
#include "tap.h"
#include "numarg.h"

int main(void)
{
	uint32_t v = 7;
	uint64_t w = 7;

	is_int(dsaio_parse_u32("32", 1, 128, &v), 0, "32 accepted");
	is_int(v, 32, "32 parsed");
	v = 7;
	is_int(dsaio_parse_u32("0", 1, 128, &v), -ERANGE, "below min refused");
	is_int(dsaio_parse_u32("129", 1, 128, &v), -ERANGE, "above max refused");
	is_int(dsaio_parse_u32("4294967296", 0, UINT32_MAX, &v), -ERANGE,
	       "2^32 does not fit u32");
	is_int(dsaio_parse_u32("-1", 0, UINT32_MAX, &v), -EINVAL, "negative refused");
	is_int(dsaio_parse_u32(" 5", 0, UINT32_MAX, &v), -EINVAL, "leading space refused");
	is_int(dsaio_parse_u32("5x", 0, UINT32_MAX, &v), -EINVAL, "trailing text refused");
	is_int(dsaio_parse_u32("", 0, UINT32_MAX, &v), -EINVAL, "empty refused");
	is_int(v, 7, "value untouched by refusals");

	is_int(dsaio_parse_u64("0x10", &w), 0, "hex seed accepted");
	is_int(w, 16, "0x10 = 16");
	is_int(dsaio_parse_u64("18446744073709551615", &w), 0, "u64 max accepted");
	ok(w == UINT64_MAX, "u64 max parsed");
	is_int(dsaio_parse_u64("18446744073709551616", &w), -ERANGE, "2^64 refused");
	is_int(dsaio_parse_u64("-2", &w), -EINVAL, "negative u64 refused");

	{
		/* The table: text, result, value when accepted. */
		static const struct {
			const char *s;
			int rc;
			double v;
		} conf[] = {
			{ "0.95", 0, 0.95 }, { "95%", 0, 0.95 }, { "0.99", 0, 0.99 },
			{ "99.9%", 0, 0.999 }, { "0.5", 0, 0.5 }, { ".9", 0, 0.9 },
			{ "1", -ERANGE, 0 }, { "100%", -ERANGE, 0 }, { "0.4", -ERANGE, 0 },
			{ "95", -ERANGE, 0 }, { "-0.9", -EINVAL, 0 }, { "0.9x", -EINVAL, 0 },
			{ "", -EINVAL, 0 }, { "%", -EINVAL, 0 }, { "nan", -EINVAL, 0 },
		};
		size_t i;

		for (i = 0; i < sizeof(conf) / sizeof(conf[0]); i++) {
			double c = -1;
			int rc = dsaio_parse_confidence(conf[i].s, &c);

			ok(rc == conf[i].rc && (rc || fabs(c - conf[i].v) < 1e-12),
			   "--confidence '%s': %s", conf[i].s,
			   conf[i].rc ? "refused" : "accepted");
		}
	}
	return done();
}
