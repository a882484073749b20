// SPDX-License-Identifier: GPL-2.0 OR MIT
/* Size parsing and formatting, speeds, Python-style numbers. */
#include <errno.h>
#include <stdint.h>

#include "tap.h"
#include "units.h"

static void good(const char *s, uint64_t want)
{
	uint64_t v = 0;
	int rc = dsaio_parse_size(s, &v);

	ok(rc == 0 && v == want, "parse '%s' = %llu", s,
	   (unsigned long long)want);
}

static void bad(const char *s, int want)
{
	uint64_t v = 12345;
	int rc = dsaio_parse_size(s, &v);

	ok(rc == want && v == 12345, "parse '%s' refused with %d", s, want);
}

static void fmt(uint64_t b, const char *want)
{
	char buf[32];

	dsaio_format_size(b, buf, sizeof(buf));
	is_str(buf, want, "format %llu", (unsigned long long)b);
}

static void pyfmt(double v, const char *want)
{
	char buf[64];

	dsaio_format_double(v, buf, sizeof(buf));
	is_str(buf, want, "python repr of %s", want);
}

int main(void)
{
	char buf[32];

	good("4096", 4096);
	good("0", 0);
	good("128K", 131072);
	good("128k", 131072);
	good("128KB", 131072);
	good("128KiB", 131072);
	good("1M", 1048576);
	good("8m", 8388608);
	good("1G", 1073741824);
	good("2T", 2ULL << 40);
	good("18446744073709551615", UINT64_MAX);
	good("16777215T", 16777215ULL << 40);

	bad("", -EINVAL);
	bad("K", -EINVAL);
	bad("-1", -EINVAL);
	bad("+1", -EINVAL);
	bad(" 1", -EINVAL);
	bad("1 ", -EINVAL);
	bad("1X", -EINVAL);
	bad("1KK", -EINVAL);
	bad("1Mi", -EINVAL);
	bad("1.5M", -EINVAL);
	bad("0x10", -EINVAL);
	bad("18446744073709551616", -ERANGE);
	bad("16777216T", -ERANGE);
	bad("17179869184G", -ERANGE);

	fmt(131072, "128K");
	fmt(1048576, "1M");
	fmt(8388608, "8M");
	fmt(1073741824, "1G");
	fmt(1000, "1000");
	fmt(1536, "1536");	/* 1.5K is not a whole number of K */
	fmt(0, "0");

	dsaio_format_size_km(1073741824, buf, sizeof(buf));
	is_str(buf, "1024M", "log-name size never uses G");
	dsaio_format_size_km(131072, buf, sizeof(buf));
	is_str(buf, "128K", "log-name size 128K");
	dsaio_format_size_km(1000, buf, sizeof(buf));
	is_str(buf, "1000", "log-name size in bytes");

	is_dbl(dsaio_gb_per_sec(1ULL << 30, 1000000000), 1.0,
	       "1 GiB in 1 s is 1 GB/sec");
	is_dbl(dsaio_gb_per_sec(1ULL << 30, 500000000), 2.0,
	       "1 GiB in 0.5 s is 2 GB/sec");
	is_dbl(dsaio_gb_per_sec(4096, 0), 0.0, "zero time gives 0");

	pyfmt(12.342926020792527, "12.342926020792527");
	pyfmt(3.0, "3.0");
	pyfmt(0.5, "0.5");
	pyfmt(0.0001, "0.0001");
	pyfmt(0.00001, "1e-05");
	pyfmt(123456789.0, "123456789.0");
	pyfmt(1e16, "1e+16");
	pyfmt(0.031647682189941406, "0.031647682189941406");
	return done();
}
