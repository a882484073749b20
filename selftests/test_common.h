/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Shared by the C tests. Devices come from the environment, set by the
 * group scripts (lib.sh), so a test never writes to a disk it was not given:
 *   DSAIO_NULLB  fast null_blk (not memory-backed)
 *   DSAIO_SLOW   null_blk completing each request after 1 ms
 *   DSAIO_NVME   scratch disk that may be overwritten (the VM's NVMe)
 */
#ifndef DSAIO_TEST_COMMON_H
#define DSAIO_TEST_COMMON_H

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "dsaio_client.h"

#define KiB (1024ULL)
#define MiB (1024ULL * 1024)

static inline const char *env_dev(const char *name)
{
	const char *d = getenv(name);

	if (!d || !*d || access(d, R_OK))
		return NULL;
	return d;
}

/*
 * Open a client or skip the test when the family is not registered. On
 * failure (c)->fd is -1, so a teardown that closes it when >= 0 is safe.
 */
#define OPEN_OR_SKIP(c) do {						\
	int __r = dsc_open(c);						\
	if (__r)							\
		(c)->fd = -1;						\
	if (__r == -ENOENT)						\
		SKIP(return, "dsaio family not registered (module not loaded)"); \
	ASSERT_EQ(0, __r);						\
} while (0)

#define DEV_OR_SKIP(var, envname) do {					\
	(var) = env_dev(envname);					\
	if (!(var))							\
		SKIP(return, "%s not set or missing", envname);		\
} while (0)

static inline int read_param(const char *name, long *val)
{
	char path[128];
	FILE *f;
	int ok;

	snprintf(path, sizeof(path), "/sys/module/dsaio/parameters/%s", name);
	f = fopen(path, "r");
	if (!f)
		return -1;
	ok = fscanf(f, "%ld", val) == 1;
	fclose(f);
	return ok ? 0 : -1;
}

/*
 * The I/O buffer the module allocates for one worker of a slice of @len
 * bytes, which DSAIO_RES_BUF_BYTES adds up: queue_depth x block_size, at
 * most the slice, in chunks of 2^order pages for the lowest order that
 * holds it all (at most 2^8 pages, 1 MiB), the last chunk the lowest
 * power of two pages that holds what is left. Under memory pressure the
 * module falls back to smaller chunks; a test VM has none at these sizes.
 */
static inline uint64_t worker_buf_bytes(uint32_t qd, uint32_t bs, uint64_t len)
{
	const uint64_t page = 4096, max_chunk = 256 * page;
	uint64_t want = (uint64_t)qd * bs < len ? (uint64_t)qd * bs : len;
	uint64_t chunk = page, last = page, sum = 0;

	while (chunk < want && chunk < max_chunk)
		chunk <<= 1;
	for (; want >= chunk; want -= chunk)
		sum += chunk;
	if (!want)
		return sum;
	while (last < want)
		last <<= 1;
	return sum + last;
}

/* Requests the spec's slicing produces for one loop. */
static inline uint64_t expected_requests(uint64_t io_size, uint32_t threads,
					 uint32_t bs, uint32_t lbs)
{
	uint64_t slice = io_size / threads / lbs * lbs, left = io_size, n = 0;
	uint32_t t;

	for (t = 0; t < threads; t++) {
		uint64_t len = t == threads - 1 ? left : slice;

		n += (len + bs - 1) / bs;
		left -= len;
	}
	return n;
}

#endif
