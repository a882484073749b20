// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * DeepSpeed's log file names. Both schemes start with
 * {read|write}_{single|block}_{overlap|sequential}_ and differ after that:
 *
 *   2021 (csrc/aio/py_test/aio_bench_perf_sweep.py):
 *     ..._t{threads}_p{io_parallel}_d{queue_depth}_bs{block_size}.txt
 *     t = --threads, the number of processes doing I/O.
 *   current (deepspeed/nvme/perf_run_sweep.py, ds_nvme_tune):
 *     ..._ftd{N}_d{queue_depth}_bs{block_size}_p{io_parallel}.txt
 *     ftd = "folder to device mapping": N is the number of NVMe folders
 *     given with --nvme_dir, i.e. the number of processes doing I/O.
 *
 * DeepSpeed's parsers split the name at '_' and read t/d/p fields as
 * integers and bs with K, M or no suffix (powers of 1024); the generator
 * then indexes the key by position, so the field order is what matters.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ctype.h>
#include <limits.h>

#include "logname.h"
#include "units.h"

int dsaio_logname_format(enum dsaio_logname_scheme scheme,
			 enum dsaio_user_op op, const struct dsaio_params *p,
			 char *buf, size_t len)
{
	char bs[DSAIO_SIZE_STR_MAX];
	const char *ops = op == OP_READ ? "read" : "write";
	const char *sub = p->single_submit ? "single" : "block";
	const char *ovl = p->overlap_events ? "overlap" : "sequential";
	unsigned int threads = p->threads ? p->threads : 1;
	int n;

	/*
	 * The block size is written from its byte value with K or M, never
	 * G or lower case: "1G" or "128k" would make DeepSpeed's
	 * extract_value() fail. For the sizes sweeps use ("128K", "1M") this
	 * is exactly the string the user gave.
	 */
	dsaio_format_size_km(p->block_size, bs, sizeof(bs));
	if (scheme == LOGNAME_2021)
		n = snprintf(buf, len, "%s_%s_%s_t%u_p%u_d%u_bs%s.txt", ops,
			     sub, ovl, threads, p->io_parallel, p->queue_depth,
			     bs);
	else
		n = snprintf(buf, len, "%s_%s_%s_ftd%u_d%u_bs%s_p%u.txt", ops,
			     sub, ovl, threads, p->queue_depth, bs,
			     p->io_parallel);
	if (n < 0 || (size_t)n >= len)
		return -ENAMETOOLONG;
	return 0;
}

/* "<prefix><decimal>" with a value 1..UINT_MAX, nothing else. */
static int field_uint(const char *f, const char *prefix, unsigned int *out)
{
	size_t pl = strlen(prefix);
	unsigned long v;
	char *end;

	if (strncmp(f, prefix, pl) != 0 || !isdigit((unsigned char)f[pl]))
		return -EINVAL;
	errno = 0;
	v = strtoul(f + pl, &end, 10);
	if (errno || *end != '\0' || v == 0 || v > UINT_MAX)
		return -EINVAL;
	*out = (unsigned int)v;
	return 0;
}

static int field_bs(const char *f, struct dsaio_params *p)
{
	uint64_t v;

	if (strncmp(f, "bs", 2) != 0 || strlen(f + 2) >= DSAIO_SIZE_STR_MAX)
		return -EINVAL;
	if (dsaio_parse_size(f + 2, &v) || v == 0 || v > UINT32_MAX)
		return -EINVAL;
	p->block_size = v;
	snprintf(p->block_size_str, sizeof(p->block_size_str), "%s", f + 2);
	return 0;
}

int dsaio_logname_parse(const char *name, enum dsaio_user_op *op,
			struct dsaio_params *p,
			enum dsaio_logname_scheme *scheme)
{
	char buf[256], *f[8], *save = NULL, *tok;
	struct dsaio_params q;
	size_t n = 0, len = strlen(name);
	enum dsaio_user_op o;
	enum dsaio_logname_scheme s;

	if (len <= 4 || len >= sizeof(buf) || strcmp(name + len - 4, ".txt"))
		return -EINVAL;
	memcpy(buf, name, len - 4);
	buf[len - 4] = '\0';
	/* strtok_r would merge "__"; an empty field is not a valid name. */
	if (strstr(buf, "__") || buf[0] == '_' || buf[len - 5] == '_')
		return -EINVAL;
	for (tok = strtok_r(buf, "_", &save); tok;
	     tok = strtok_r(NULL, "_", &save)) {
		if (n == 8)
			return -EINVAL;
		f[n++] = tok;
	}
	if (n != 7)
		return -EINVAL;

	memset(&q, 0, sizeof(q));
	if (strcmp(f[0], "read") == 0)
		o = OP_READ;
	else if (strcmp(f[0], "write") == 0)
		o = OP_WRITE;
	else
		return -EINVAL;
	if (strcmp(f[1], "single") == 0)
		q.single_submit = true;
	else if (strcmp(f[1], "block") != 0)
		return -EINVAL;
	if (strcmp(f[2], "overlap") == 0)
		q.overlap_events = true;
	else if (strcmp(f[2], "sequential") != 0)
		return -EINVAL;

	if (field_uint(f[3], "ftd", &q.threads) == 0) {
		s = LOGNAME_CURRENT;
		if (field_uint(f[4], "d", &q.queue_depth) ||
		    field_bs(f[5], &q) || field_uint(f[6], "p", &q.io_parallel))
			return -EINVAL;
	} else if (field_uint(f[3], "t", &q.threads) == 0) {
		s = LOGNAME_2021;
		if (field_uint(f[4], "p", &q.io_parallel) ||
		    field_uint(f[5], "d", &q.queue_depth) ||
		    field_bs(f[6], &q))
			return -EINVAL;
	} else {
		return -EINVAL;
	}
	*op = o;
	*p = q;
	if (scheme)
		*scheme = s;
	return 0;
}
