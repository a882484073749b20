// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The sweep grid. DeepSpeed's sweep JSON maps each parameter to a list of
 * values and runs their cross product (itertools.product in key order, the
 * last key varying fastest); dsaio does the same. The 2021 scripts name
 * the overlap switch "overlap_events", the current ones
 * "sequential_requests" (its inverse); both are read. DeepSpeed passes
 * any key on as a command-line option and fails later; dsaio refuses an
 * unknown key, a wrong type or an empty list up front, with a sentence.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <json-c/json.h>

#include "sweepcfg.h"
#include "units.h"

/* Refuse grids nobody means to run (and products that would overflow). */
#define GRID_MAX_POINTS 100000

enum key { K_BS, K_QD, K_PAR, K_SINGLE, K_OVERLAP, K_THREADS, K_COUNT };

struct axis {
	size_t n;
	uint64_t v[64];			/* sizes, counts or 0/1 */
	char s[64][DSAIO_SIZE_STR_MAX];	/* block sizes as written */
};

static const char *const KNOWN =
	"block_size, queue_depth, io_parallel, single_submit, "
	"overlap_events, sequential_requests, threads";

static int parse_axis(const char *key, enum key k, bool invert,
		      json_object *list, struct axis *a, char *err,
		      size_t errlen)
{
	size_t i, n;

	if (!json_object_is_type(list, json_type_array)) {
		snprintf(err, errlen, "sweep config: \"%s\" must be a list, "
			 "e.g. \"%s\": [%s]", key, key,
			 k == K_BS ? "\"128K\", \"1M\"" :
			 (k == K_SINGLE || k == K_OVERLAP) ? "true, false" :
			 "1, 8");
		return -EINVAL;
	}
	n = json_object_array_length(list);
	if (n == 0) {
		snprintf(err, errlen, "sweep config: \"%s\" is an empty list; "
			 "give at least one value or leave the key out", key);
		return -EINVAL;
	}
	if (n > sizeof(a->v) / sizeof(a->v[0])) {
		snprintf(err, errlen, "sweep config: \"%s\" has %zu values; "
			 "at most %zu are supported", key, n,
			 sizeof(a->v) / sizeof(a->v[0]));
		return -EINVAL;
	}
	for (i = 0; i < n; i++) {
		json_object *v = json_object_array_get_idx(list, i);
		enum json_type t = json_object_get_type(v);

		if (k == K_SINGLE || k == K_OVERLAP) {
			if (t != json_type_boolean) {
				snprintf(err, errlen, "sweep config: \"%s\" "
					 "value %zu must be true or false "
					 "(JSON booleans, not strings)",
					 key, i + 1);
				return -EINVAL;
			}
			a->v[i] = json_object_get_boolean(v) != invert;
		} else if (k == K_BS && t == json_type_string) {
			const char *s = json_object_get_string(v);
			int rc = dsaio_parse_size(s, &a->v[i]);

			if (rc || a->v[i] == 0 || a->v[i] > UINT32_MAX) {
				snprintf(err, errlen, "sweep config: "
					 "\"block_size\" value \"%s\" is not a "
					 "size from 1 byte to 4G-1 (use e.g. "
					 "\"128K\", \"1M\" or 4096)", s);
				return -EINVAL;
			}
			if (strlen(s) >= DSAIO_SIZE_STR_MAX) {
				snprintf(err, errlen, "sweep config: "
					 "\"block_size\" value \"%s\" is too "
					 "long", s);
				return -EINVAL;
			}
			snprintf(a->s[i], sizeof(a->s[i]), "%s", s);
		} else if (t == json_type_int) {
			int64_t x = json_object_get_int64(v);
			uint64_t lim = k == K_BS ? UINT32_MAX : UINT_MAX;

			if (x <= 0 || (uint64_t)x > lim) {
				snprintf(err, errlen, "sweep config: \"%s\" "
					 "value %lld is out of range (1..%llu)",
					 key, (long long)x,
					 (unsigned long long)lim);
				return -EINVAL;
			}
			a->v[i] = (uint64_t)x;
			if (k == K_BS)
				dsaio_format_size(a->v[i], a->s[i],
						  sizeof(a->s[i]));
		} else {
			snprintf(err, errlen, "sweep config: \"%s\" value %zu "
				 "must be %s", key, i + 1,
				 k == K_BS ? "a size string like \"128K\" or "
				 "an integer" : "a positive integer");
			return -EINVAL;
		}
		if (k == K_THREADS && a->v[i] != 1) {
			snprintf(err, errlen, "sweep config: \"threads\" value "
				 "%llu: dsaio runs one job per point; only 1 "
				 "is supported (use \"io_parallel\" for "
				 "parallel workers)",
				 (unsigned long long)a->v[i]);
			return -EINVAL;
		}
	}
	a->n = n;
	return 0;
}

static void default_axis(enum key k, struct axis *a)
{
	/* A key left out takes the default of DeepSpeed's ds_io. */
	static const uint64_t dflt[K_COUNT] = {
		[K_BS] = 1 << 20, [K_QD] = 32, [K_PAR] = 1,
		[K_SINGLE] = 0, [K_OVERLAP] = 1, [K_THREADS] = 1,
	};

	a->n = 1;
	a->v[0] = dflt[k];
	if (k == K_BS)
		snprintf(a->s[0], sizeof(a->s[0]), "1M");
}

static int build(struct axis *ax, const enum key *order, size_t norder,
		 struct dsaio_grid *g, char *err, size_t errlen)
{
	size_t total = 1, i, j;

	for (i = 0; i < K_COUNT; i++) {
		total *= ax[i].n;
		if (total > GRID_MAX_POINTS) {
			snprintf(err, errlen, "sweep config: the grid has more "
				 "than %d points", GRID_MAX_POINTS);
			return -E2BIG;
		}
	}
	g->points = calloc(total, sizeof(*g->points));
	if (!g->points) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	g->n = total;
	for (i = 0; i < total; i++) {
		struct dsaio_params *p = &g->points[i];
		size_t rest = i;

		/* Mixed-radix digits, the last key in order varying fastest. */
		for (j = norder; j-- > 0;) {
			struct axis *a = &ax[order[j]];
			size_t d = rest % a->n;

			rest /= a->n;
			switch (order[j]) {
			case K_BS:
				p->block_size = a->v[d];
				snprintf(p->block_size_str,
					 sizeof(p->block_size_str), "%s",
					 a->s[d]);
				break;
			case K_QD: p->queue_depth = (unsigned int)a->v[d]; break;
			case K_PAR: p->io_parallel = (unsigned int)a->v[d]; break;
			case K_THREADS: p->threads = (unsigned int)a->v[d]; break;
			case K_SINGLE: p->single_submit = a->v[d]; break;
			case K_OVERLAP: p->overlap_events = a->v[d]; break;
			case K_COUNT: break;
			}
		}
	}
	return 0;
}

static int grid_from_object(json_object *o, struct dsaio_grid *g, char *err,
			    size_t errlen)
{
	struct axis *ax;
	enum key order[K_COUNT];
	bool seen[K_COUNT] = { false };
	size_t norder = 0, i;
	int rc = 0;

	if (!json_object_is_type(o, json_type_object)) {
		snprintf(err, errlen, "sweep config: the top level must be a "
			 "JSON object of lists, e.g. {\"block_size\": "
			 "[\"1M\", \"8M\"], \"queue_depth\": [32, 128]}");
		return -EINVAL;
	}
	ax = calloc(K_COUNT, sizeof(*ax));
	if (!ax) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	json_object_object_foreach(o, key, val) {
		enum key k;
		bool invert = false;

		if (!strcmp(key, "block_size"))
			k = K_BS;
		else if (!strcmp(key, "queue_depth"))
			k = K_QD;
		else if (!strcmp(key, "io_parallel"))
			k = K_PAR;
		else if (!strcmp(key, "single_submit"))
			k = K_SINGLE;
		else if (!strcmp(key, "overlap_events"))
			k = K_OVERLAP;
		else if (!strcmp(key, "sequential_requests"))
			k = K_OVERLAP, invert = true;
		else if (!strcmp(key, "threads"))
			k = K_THREADS;
		else {
			snprintf(err, errlen, "sweep config: unknown key \"%s\" "
				 "(known: %s)", key, KNOWN);
			rc = -EINVAL;
			goto out;
		}
		if (seen[k]) {
			/* Only overlap can repeat: under its two names. */
			snprintf(err, errlen, "sweep config: give either "
				 "\"overlap_events\" or \"sequential_requests\", "
				 "not both (one is the inverse of the other)");
			rc = -EINVAL;
			goto out;
		}
		rc = parse_axis(key, k, invert, val, &ax[k], err, errlen);
		if (rc)
			goto out;
		seen[k] = true;
		order[norder++] = k;
	}
	for (i = 0; i < K_COUNT; i++)
		if (!seen[i]) {
			default_axis((enum key)i, &ax[i]);
			order[norder++] = (enum key)i;
		}
	rc = build(ax, order, norder, g, err, errlen);
out:
	free(ax);
	return rc;
}

int dsaio_grid_parse(const char *json, struct dsaio_grid *g, char *err,
		     size_t errlen)
{
	struct json_tokener *tok;
	enum json_tokener_error jerr;
	json_object *o;
	int rc;

	g->points = NULL;
	g->n = 0;
	tok = json_tokener_new();
	if (!tok) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	o = json_tokener_parse_ex(tok, json, (int)strlen(json));
	jerr = json_tokener_get_error(tok);
	if (o && jerr == json_tokener_success &&
	    json[json_tokener_get_parse_end(tok) +
		 strspn(json + json_tokener_get_parse_end(tok), " \t\r\n")]) {
		/* One JSON document, nothing after it. */
		json_object_put(o);
		o = NULL;
	}
	if (!o || jerr != json_tokener_success) {
		snprintf(err, errlen, "sweep config is not valid JSON: %s "
			 "(near byte %zu)", o || jerr == json_tokener_success ?
			 "unexpected text after the JSON object" :
			 jerr == json_tokener_continue ? "unexpected end" :
			 json_tokener_error_desc(jerr),
			 json_tokener_get_parse_end(tok));
		json_object_put(o);
		json_tokener_free(tok);
		return -EINVAL;
	}
	json_tokener_free(tok);
	rc = grid_from_object(o, g, err, errlen);
	json_object_put(o);
	return rc;
}

int dsaio_grid_load(const char *path, struct dsaio_grid *g, char *err,
		    size_t errlen)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "r") : stdin;
	char *buf = NULL, e2[512];
	size_t cap = 0;
	ssize_t len;
	int rc;

	g->points = NULL;
	g->n = 0;
	if (!f) {
		rc = -errno;
		snprintf(err, errlen, "cannot open sweep config %s: %s", path,
			 strerror(errno));
		return rc;
	}
	/* getdelim with NUL reads the whole text file at once. */
	errno = 0;
	len = getdelim(&buf, &cap, '\0', f);
	if (len < 0 && (ferror(f) || errno)) {
		rc = errno ? -errno : -EIO;
		snprintf(err, errlen, "cannot read sweep config %s: %s", path,
			 strerror(-rc));
		goto out;
	}
	if (len < 0 || (size_t)len != strlen(buf)) {
		rc = -EINVAL;
		snprintf(err, errlen, "sweep config %s is empty or not text",
			 path);
		goto out;
	}
	rc = dsaio_grid_parse(buf, g, e2, sizeof(e2));
	if (rc)
		snprintf(err, errlen, "%s: %s", path, e2);
out:
	free(buf);
	if (f != stdin)
		fclose(f);
	return rc;
}

int dsaio_grid_default(struct dsaio_grid *g)
{
	/* deepspeed/nvme/perf_run_sweep.py DEFAULT_SWEEP_CONFIG. The
	 * sweep command shrinks io_size for a small device; the grid stays
	 * DeepSpeed's so results compare with theirs. */
	static const char dflt[] =
		"{\"block_size\": [\"1M\", \"8M\"], \"queue_depth\": [32, 128],"
		" \"sequential_requests\": [false], \"single_submit\": [false],"
		" \"io_parallel\": [1, 8]}";
	char err[256];

	return dsaio_grid_parse(dflt, g, err, sizeof(err));
}

void dsaio_grid_free(struct dsaio_grid *g)
{
	free(g->points);
	g->points = NULL;
	g->n = 0;
}
