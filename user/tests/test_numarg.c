// SPDX-License-Identifier: GPL-2.0 OR MIT
/* Whole-number options: the forms strtoull would wrongly accept are refused. */
#include <errno.h>
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
	return done();
}
