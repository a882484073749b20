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
 * The prefixes and positions are in the table of sweep dimensions
 * (sweepparam.c); this file only formats and splits.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ctype.h>
#include <limits.h>

#include "logname.h"
#include "sweepparam.h"
#include "units.h"

/* One field of a name after the op: a word, or a prefix and a number. */
static int format_field(const struct sweep_param *sp,
			enum dsaio_logname_scheme scheme,
			const struct dsaio_params *p, char *buf, size_t len)
{
	uint64_t v = sweep_param_shown(sp, p);
	char bs[DSAIO_SIZE_STR_MAX];

	if (sp->kind == SP_BOOL)
		return snprintf(buf, len, "_%s", sp->word[v != 0]);
	if (sp->kind == SP_COUNT)
		return snprintf(buf, len, "_%s%llu", sp->token[scheme],
				(unsigned long long)v);
	/*
	 * A size is written from its byte value with K or M, never G or
	 * lower case: "1G" or "128k" would make DeepSpeed's extract_value()
	 * fail. For the sizes sweeps use ("128K", "1M") this is exactly the
	 * string the user gave.
	 */
	dsaio_format_size_km(v, bs, sizeof(bs));
	return snprintf(buf, len, "_%s%s", sp->token[scheme], bs);
}

int dsaio_logname_format(enum dsaio_logname_scheme scheme,
			 enum dsaio_user_op op, const struct dsaio_params *p,
			 char *buf, size_t len)
{
	enum sweep_param_order o = scheme == LOGNAME_2021 ? SPO_NAME_2021 :
				   SPO_NAME_CURRENT;
	size_t i, at;
	int n;

	n = snprintf(buf, len, "%s", op == OP_READ ? "read" : "write");
	for (i = 0; n >= 0 && (size_t)n < len && i < dsaio_n_sweep_params; i++) {
		at = (size_t)n;
		n = format_field(sweep_param_nth(o, i), scheme, p, buf + at,
				 len - at);
		n = n < 0 ? n : n + (int)at;
	}
	if (n >= 0 && (size_t)n < len)
		n += snprintf(buf + n, len - (size_t)n, ".txt");
	if (n < 0 || (size_t)n >= len)
		return -ENAMETOOLONG;
	return 0;
}

/* "<prefix><decimal>" with a value 1..UINT_MAX, nothing else. */
static int field_uint(const char *f, const char *prefix, uint64_t *out)
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
	*out = v;
	return 0;
}

/* "<prefix><size>", the size as written kept for the model. */
static int field_size(const char *f, const char *prefix, uint64_t *out)
{
	size_t pl = strlen(prefix);

	if (strncmp(f, prefix, pl) != 0 || strlen(f + pl) >= DSAIO_SIZE_STR_MAX)
		return -EINVAL;
	if (dsaio_parse_size(f + pl, out) || *out == 0 || *out > UINT32_MAX)
		return -EINVAL;
	return 0;
}

static int parse_field(const struct sweep_param *sp,
		       enum dsaio_logname_scheme scheme, const char *f,
		       struct dsaio_params *p)
{
	const char *tok = sp->token[scheme];
	uint64_t v;

	switch (sp->kind) {
	case SP_BOOL:
		if (strcmp(f, sp->word[0]) && strcmp(f, sp->word[1]))
			return -EINVAL;
		v = strcmp(f, sp->word[1]) == 0;
		break;
	case SP_COUNT:
		if (field_uint(f, tok, &v))
			return -EINVAL;
		break;
	case SP_SIZE:
		if (field_size(f, tok, &v))
			return -EINVAL;
		sweep_param_set(sp, p, v, f + strlen(tok));
		return 0;
	}
	sweep_param_set(sp, p, v, NULL);
	return 0;
}

/* The fields after the op in the order of scheme; -EINVAL if they are not. */
static int parse_fields(enum dsaio_logname_scheme scheme, char **f,
			struct dsaio_params *p)
{
	enum sweep_param_order o = scheme == LOGNAME_2021 ? SPO_NAME_2021 :
				   SPO_NAME_CURRENT;
	size_t i;

	memset(p, 0, sizeof(*p));
	for (i = 0; i < dsaio_n_sweep_params; i++)
		if (parse_field(sweep_param_nth(o, i), scheme, f[i], p))
			return -EINVAL;
	return 0;
}

int dsaio_logname_parse(const char *name, enum dsaio_user_op *op,
			struct dsaio_params *p,
			enum dsaio_logname_scheme *scheme)
{
	static const enum dsaio_logname_scheme schemes[] = {
		LOGNAME_2021, LOGNAME_CURRENT,
	};
	char buf[256], *f[32], *save = NULL, *tok;
	struct dsaio_params q;
	size_t n = 0, len = strlen(name), i;
	enum dsaio_user_op o;

	if (len <= 4 || len >= sizeof(buf) || strcmp(name + len - 4, ".txt"))
		return -EINVAL;
	memcpy(buf, name, len - 4);
	buf[len - 4] = '\0';
	/* strtok_r would merge "__"; an empty field is not a valid name. */
	if (strstr(buf, "__") || buf[0] == '_' || buf[len - 5] == '_')
		return -EINVAL;
	for (tok = strtok_r(buf, "_", &save); tok;
	     tok = strtok_r(NULL, "_", &save)) {
		if (n == 1 + dsaio_n_sweep_params || n == sizeof(f) / sizeof(f[0]))
			return -EINVAL;
		f[n++] = tok;
	}
	if (n != 1 + dsaio_n_sweep_params)
		return -EINVAL;

	if (strcmp(f[0], "read") == 0)
		o = OP_READ;
	else if (strcmp(f[0], "write") == 0)
		o = OP_WRITE;
	else
		return -EINVAL;
	/* The schemes' prefixes differ ("t" and "ftd"): one at most fits. */
	for (i = 0; i < sizeof(schemes) / sizeof(schemes[0]); i++) {
		if (parse_fields(schemes[i], f + 1, &q))
			continue;
		*op = o;
		*p = q;
		if (scheme)
			*scheme = schemes[i];
		return 0;
	}
	return -EINVAL;
}
