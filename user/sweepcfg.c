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
#include "sweepparam.h"
#include "units.h"

/* Refuse grids nobody means to run (and products that would overflow). */
#define GRID_MAX_POINTS 100000

struct axis {
	size_t n;
	uint64_t v[64];			/* sizes, counts or 0/1 */
	char s[64][DSAIO_SIZE_STR_MAX];	/* sizes as written */
};

/* "block_size, queue_depth, ..., sequential_requests, threads". */
static void known_keys(char *buf, size_t len)
{
	size_t i, at = 0;

	buf[0] = '\0';
	for (i = 0; i < dsaio_n_sweep_params && at < len; i++) {
		const struct sweep_param *sp = sweep_param_nth(SPO_TABLE, i);

		at += (size_t)snprintf(buf + at, len - at, "%s%s", i ? ", " : "",
				       sp->key);
		if (sp->inverse_key && at < len)
			at += (size_t)snprintf(buf + at, len - at, ", %s",
					       sp->inverse_key);
	}
}

static int parse_axis(const char *key, const struct sweep_param *sp,
		      bool invert, json_object *list, struct axis *a,
		      char *err, size_t errlen)
{
	size_t i, n;

	if (!json_object_is_type(list, json_type_array)) {
		snprintf(err, errlen, "sweep config: \"%s\" must be a list, "
			 "e.g. \"%s\": [%s]", key, key,
			 sp->kind == SP_SIZE ? "\"128K\", \"1M\"" :
			 sp->kind == SP_BOOL ? "true, false" : "1, 8");
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

		if (sp->kind == SP_BOOL) {
			if (t != json_type_boolean) {
				snprintf(err, errlen, "sweep config: \"%s\" "
					 "value %zu must be true or false "
					 "(JSON booleans, not strings)",
					 key, i + 1);
				return -EINVAL;
			}
			a->v[i] = json_object_get_boolean(v) != invert;
		} else if (sp->kind == SP_SIZE && t == json_type_string) {
			const char *s = json_object_get_string(v);
			int rc = dsaio_parse_size(s, &a->v[i]);

			if (rc || a->v[i] == 0 || a->v[i] > UINT32_MAX) {
				snprintf(err, errlen, "sweep config: "
					 "\"%s\" value \"%s\" is not a "
					 "size from 1 byte to 4G-1 (use e.g. "
					 "\"128K\", \"1M\" or 4096)", key, s);
				return -EINVAL;
			}
			if (strlen(s) >= DSAIO_SIZE_STR_MAX) {
				snprintf(err, errlen, "sweep config: "
					 "\"%s\" value \"%s\" is too "
					 "long", key, s);
				return -EINVAL;
			}
			snprintf(a->s[i], sizeof(a->s[i]), "%s", s);
		} else if (t == json_type_int) {
			int64_t x = json_object_get_int64(v);
			uint64_t lim = sp->kind == SP_SIZE ? UINT32_MAX : UINT_MAX;

			if (x <= 0 || (uint64_t)x > lim) {
				snprintf(err, errlen, "sweep config: \"%s\" "
					 "value %lld is out of range (1..%llu)",
					 key, (long long)x,
					 (unsigned long long)lim);
				return -EINVAL;
			}
			a->v[i] = (uint64_t)x;
			if (sp->kind == SP_SIZE)
				dsaio_format_size(a->v[i], a->s[i],
						  sizeof(a->s[i]));
		} else {
			snprintf(err, errlen, "sweep config: \"%s\" value %zu "
				 "must be %s", key, i + 1,
				 sp->kind == SP_SIZE ? "a size string like "
				 "\"128K\" or an integer" : "a positive integer");
			return -EINVAL;
		}
		if (sp->max && a->v[i] > sp->max) {
			snprintf(err, errlen, "sweep config: \"%s\" value "
				 "%llu: %s", key, (unsigned long long)a->v[i],
				 sp->over_max);
			return -EINVAL;
		}
	}
	a->n = n;
	return 0;
}

/* A key left out takes the default of DeepSpeed's ds_io. */
static void default_axis(const struct sweep_param *sp, struct axis *a)
{
	a->n = 1;
	a->v[0] = sp->dflt;
	if (sp->kind == SP_SIZE)
		dsaio_format_size(a->v[0], a->s[0], sizeof(a->s[0]));
}

/* order holds row indexes, in the order the keys came. */
static int build(struct axis *ax, const size_t *order, size_t norder,
		 struct dsaio_grid *g, char *err, size_t errlen)
{
	size_t total = 1, i, j;

	for (i = 0; i < dsaio_n_sweep_params; i++) {
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
		size_t rest = i;

		/* Mixed-radix digits, the last key in order varying fastest. */
		for (j = norder; j-- > 0;) {
			struct axis *a = &ax[order[j]];
			size_t d = rest % a->n;

			rest /= a->n;
			sweep_param_set(&dsaio_sweep_params[order[j]],
					&g->points[i], a->v[d], a->s[d]);
		}
	}
	return 0;
}

/* The row of a sweep key, and whether it is the inverse spelling. */
static const struct sweep_param *find_key(const char *key, bool *invert)
{
	size_t i;

	for (i = 0; i < dsaio_n_sweep_params; i++) {
		const struct sweep_param *sp = &dsaio_sweep_params[i];

		*invert = sp->inverse_key && !strcmp(key, sp->inverse_key);
		if (*invert || !strcmp(key, sp->key))
			return sp;
	}
	return NULL;
}

static int grid_from_object(json_object *o, struct dsaio_grid *g, char *err,
			    size_t errlen)
{
	struct axis *ax;
	size_t order[64];
	bool seen[64] = { false };
	size_t norder = 0, i;
	int rc = 0;

	if (!json_object_is_type(o, json_type_object)) {
		snprintf(err, errlen, "sweep config: the top level must be a "
			 "JSON object of lists, e.g. {\"block_size\": "
			 "[\"1M\", \"8M\"], \"queue_depth\": [32, 128]}");
		return -EINVAL;
	}
	ax = calloc(dsaio_n_sweep_params, sizeof(*ax));
	if (!ax) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	json_object_object_foreach(o, key, val) {
		bool invert;
		const struct sweep_param *sp = find_key(key, &invert);
		size_t k;

		if (!sp) {
			char known[512];

			known_keys(known, sizeof(known));
			snprintf(err, errlen, "sweep config: unknown key \"%s\" "
				 "(known: %s)", key, known);
			rc = -EINVAL;
			goto out;
		}
		k = (size_t)(sp - dsaio_sweep_params);
		if (seen[k]) {
			/* JSON keys are unique: only a key under its two
			 * spellings can repeat. */
			snprintf(err, errlen, "sweep config: give either "
				 "\"%s\" or \"%s\", not both (one is the "
				 "inverse of the other)", sp->key,
				 sp->inverse_key);
			rc = -EINVAL;
			goto out;
		}
		rc = parse_axis(key, sp, invert, val, &ax[k], err, errlen);
		if (rc)
			goto out;
		seen[k] = true;
		order[norder++] = k;
	}
	for (i = 0; i < dsaio_n_sweep_params; i++)
		if (!seen[i]) {
			default_axis(&dsaio_sweep_params[i], &ax[i]);
			order[norder++] = i;
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
