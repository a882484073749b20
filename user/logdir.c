// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Reading a directory of run logs, as DeepSpeed's parsers and generators
 * do: LOG_DIR/_aio_bench_read_logs, LOG_DIR/_aio_bench_write_logs, and
 * logs directly in LOG_DIR (parse_aio_stats.py is pointed at one of the
 * sub-directories itself). DeepSpeed turns a name it does not understand
 * into a tuple of strings and a None value, which later breaks its sort;
 * dsaio reports such a file by name and skips it instead. A log with a
 * good name whose metrics do not parse (a failed run) is kept as a failed
 * entry: its point is then known to be incomplete, not silently missing.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "logfile.h"
#include "logname.h"

struct vec {
	struct dsaio_log_entry *v;
	size_t n, cap;
};

static int vec_push(struct vec *v, const struct dsaio_log_entry *e)
{
	if (v->n == v->cap) {
		size_t cap = v->cap ? v->cap * 2 : 32;
		struct dsaio_log_entry *nv = realloc(v->v, cap * sizeof(*nv));

		if (!nv)
			return -ENOMEM;
		v->v = nv;
		v->cap = cap;
	}
	v->v[v->n++] = *e;
	return 0;
}

static void skip(const char *path, const char *why)
{
	fprintf(stderr, "dsaio-user: skipping %s: %s\n", path, why);
}

static int read_one(const char *path, const char *name, struct vec *v)
{
	struct dsaio_log_entry e;
	enum dsaio_logname_scheme scheme;
	char err[256];
	FILE *f;
	int rc;

	memset(&e, 0, sizeof(e));
	if (strlen(name) >= sizeof(e.name) ||
	    dsaio_logname_parse(name, &e.op, &e.params, &scheme)) {
		skip(path, "not a log name of DeepSpeed's sweeps (e.g. "
		     "read_block_overlap_ftd1_d32_bs1M_p8.txt)");
		return 0;
	}
	snprintf(e.name, sizeof(e.name), "%s", name);
	f = fopen(path, "r");
	if (!f) {
		snprintf(err, sizeof(err), "%s", strerror(errno));
		rc = -EIO;
	} else {
		rc = dsaio_log_parse(f, e.op, &e, err, sizeof(err));
		fclose(f);
	}
	if (rc) {
		/* Its point's op did not measure: kept, so no ranking
		 * takes the point for complete. */
		fprintf(stderr, "dsaio-user: %s: %s\n", path, err);
		e.failed = true;
		snprintf(e.failure, sizeof(e.failure), "log %s: %s", name, err);
	}
	return vec_push(v, &e);
}

/*
 * top: dir itself, where other files (configs, summaries) may live beside
 * the logs, so only *.txt files there are taken for logs; in the log
 * sub-directories every file is meant to be a log and is reported if not.
 */
static int read_dir(const char *dir, struct vec *v, bool top)
{
	struct dirent *d;
	DIR *dp = opendir(dir);
	int rc = 0;

	if (!dp) {
		if (errno == ENOENT && !top)
			return 0;
		rc = -errno;
		fprintf(stderr, "dsaio-user: cannot open directory %s: %s\n",
			dir, strerror(errno));
		return rc;
	}
	while ((d = readdir(dp))) {
		char path[4096];
		struct stat st;

		size_t len = strlen(d->d_name);

		if (d->d_name[0] == '.')
			continue;	/* ., .., and hidden/temporary files */
		if (top && (len < 4 || strcmp(d->d_name + len - 4, ".txt")))
			continue;
		if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir,
				     d->d_name) >= sizeof(path)) {
			skip(d->d_name, "path too long");
			continue;
		}
		if (stat(path, &st)) {
			skip(path, strerror(errno));
			continue;
		}
		if (S_ISDIR(st.st_mode))
			continue;	/* the log sub-directories, read apart */
		if (!S_ISREG(st.st_mode)) {
			skip(path, "not a regular file");
			continue;
		}
		rc = read_one(path, d->d_name, v);
		if (rc)
			break;
	}
	closedir(dp);
	return rc;
}

static int cmp_uint(uint64_t a, uint64_t b)
{
	return a < b ? -1 : a > b;
}

int dsaio_log_entry_cmp(const struct dsaio_log_entry *a,
			const struct dsaio_log_entry *b)
{
	const struct dsaio_params *p = &a->params, *q = &b->params;
	enum dsaio_logname_scheme sa = LOGNAME_CURRENT, sb = LOGNAME_CURRENT;
	enum dsaio_user_op op;
	struct dsaio_params tmp;
	char fa[16], fb[16];
	int c;

	/* Python compares the name's strings: "read" < "write",
	 * "block" < "single", "overlap" < "sequential". */
	if ((c = cmp_uint(a->op, b->op)))
		return c;
	if ((c = cmp_uint(p->single_submit, q->single_submit)))
		return c;
	if ((c = cmp_uint(!p->overlap_events, !q->overlap_events)))
		return c;
	if (dsaio_logname_parse(a->name, &op, &tmp, &sa) ||
	    dsaio_logname_parse(b->name, &op, &tmp, &sb))
		sa = sb = LOGNAME_CURRENT;
	if (sa != sb)
		return sa == LOGNAME_2021 ? -1 : 1;
	if (sa == LOGNAME_2021) {
		if ((c = cmp_uint(p->processes, q->processes)) ||
		    (c = cmp_uint(p->io_parallel, q->io_parallel)) ||
		    (c = cmp_uint(p->queue_depth, q->queue_depth)) ||
		    (c = cmp_uint(p->block_size, q->block_size)))
			return c;
	} else {
		/* "ftd1" stays a string in DeepSpeed's key: "ftd10" < "ftd2". */
		snprintf(fa, sizeof(fa), "ftd%u", p->processes);
		snprintf(fb, sizeof(fb), "ftd%u", q->processes);
		if ((c = strcmp(fa, fb)) ||
		    (c = cmp_uint(p->queue_depth, q->queue_depth)) ||
		    (c = cmp_uint(p->block_size, q->block_size)) ||
		    (c = cmp_uint(p->io_parallel, q->io_parallel)))
			return c;
	}
	return strcmp(a->name, b->name);
}

static int qcmp(const void *a, const void *b)
{
	return dsaio_log_entry_cmp(a, b);
}

int dsaio_logdir_read(const char *dir, struct dsaio_log_entry **out)
{
	static const char *const subs[] = { "_aio_bench_read_logs",
					    "_aio_bench_write_logs" };
	struct vec v = { NULL, 0, 0 };
	struct stat st;
	size_t i;
	int rc;

	if (stat(dir, &st))
		return -errno;
	if (!S_ISDIR(st.st_mode))
		return -ENOTDIR;
	rc = read_dir(dir, &v, true);
	for (i = 0; !rc && i < 2; i++) {
		char path[4096];

		if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir,
				     subs[i]) >= sizeof(path)) {
			rc = -ENAMETOOLONG;
			break;
		}
		rc = read_dir(path, &v, false);
	}
	if (rc) {
		free(v.v);
		return rc;
	}
	if (v.n)
		qsort(v.v, v.n, sizeof(*v.v), qcmp);
	*out = v.v;
	return (int)v.n;
}
