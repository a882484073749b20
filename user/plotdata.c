// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * dsaio_sweep.json read back for the charts (plotdata.h). The summary is
 * the tool's own output, described by doc/schema/sweep.schema.json; what
 * is not there, or has the wrong type, makes the file "not a sweep
 * summary" with the key named, never a chart of zeros.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "plotdata.h"

static int fail(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -1;
}

static json_object *get(json_object *o, const char *key, json_type t)
{
	json_object *v;

	if (!json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, t))
		return NULL;
	return v;
}

/* An integer key: json-c reads 1048576 as int, never as double. */
static bool get_u64(json_object *o, const char *key, uint64_t *out)
{
	json_object *v = get(o, key, json_type_int);

	if (!v || json_object_get_int64(v) < 0)
		return false;
	*out = json_object_get_uint64(v);
	return true;
}

static bool get_uint(json_object *o, const char *key, unsigned int *out)
{
	uint64_t v;

	if (!get_u64(o, key, &v) || v > UINT32_MAX)
		return false;
	*out = (unsigned int)v;
	return true;
}

static bool get_bool(json_object *o, const char *key, bool *out)
{
	json_object *v = get(o, key, json_type_boolean);

	if (!v)
		return false;
	*out = json_object_get_boolean(v);
	return true;
}

/* A speed: json-c keeps 1.0 as a double, 1 (never written) as an int. */
static bool get_num(json_object *o, const char *key, double *out)
{
	json_object *v;

	if (!json_object_object_get_ex(o, key, &v) ||
	    !(json_object_is_type(v, json_type_double) ||
	      json_object_is_type(v, json_type_int)))
		return false;
	*out = json_object_get_double(v);
	return *out >= 0;
}

/*
 * A point's parameters, with the io_parallel key given (a point's
 * "io_parallel", an "aio" block's "intra_op_parallelism" or, with
 * --legacy-keys, "thread_count"). NULL, or the first key missing.
 */
static const char *read_params(json_object *o, const char *par_key,
			       struct dsaio_params *p)
{
	memset(p, 0, sizeof(*p));
	p->processes = 1;
	if (!get_u64(o, "block_size", &p->block_size) || !p->block_size)
		return "block_size";
	if (!get_uint(o, "queue_depth", &p->queue_depth))
		return "queue_depth";
	if (!get_uint(o, par_key, &p->io_parallel))
		return par_key;
	if (!get_bool(o, "single_submit", &p->single_submit))
		return "single_submit";
	if (!get_bool(o, "overlap_events", &p->overlap_events))
		return "overlap_events";
	return NULL;
}

static bool same_point(const struct dsaio_params *a, const struct dsaio_params *b)
{
	return a->block_size == b->block_size && a->queue_depth == b->queue_depth &&
	       a->io_parallel == b->io_parallel &&
	       a->single_submit == b->single_submit &&
	       a->overlap_events == b->overlap_events;
}

/* The index of the point with P's parameters, or n_pt when there is none. */
static size_t find(const struct plot_sweep *s, const struct dsaio_params *p)
{
	size_t i;

	for (i = 0; i < s->n_pt; i++)
		if (same_point(&s->pt[i].params, p))
			break;
	return i;
}

/* The point with P's parameters, added when new (the caller sized pt[]
 * for every point and excluded entry). */
static struct plot_point *point_of(struct plot_sweep *s, const struct dsaio_params *p)
{
	size_t i = find(s, p);
	struct plot_point *pt = &s->pt[i];

	if (i < s->n_pt)
		return pt;
	s->n_pt++;
	memset(pt, 0, sizeof(*pt));
	pt->params = *p;
	return pt;
}

/* Adds V to a sorted axis of distinct values; false when it is full. */
static bool axis_add(uint64_t *arr, size_t *n, uint64_t v)
{
	size_t i = 0, j;

	while (i < *n && arr[i] < v)
		i++;
	if (i < *n && arr[i] == v)
		return true;
	if (*n == PLOT_AXIS_MAX)
		return false;
	for (j = *n; j > i; j--)
		arr[j] = arr[j - 1];
	arr[i] = v;
	(*n)++;
	return true;
}

static int add_axes(struct plot_sweep *s, const struct dsaio_params *p,
		    char *err, size_t errlen)
{
	unsigned int c = plot_combo_bits(p);
	size_t i;

	if (!axis_add(s->bs, &s->n_bs, p->block_size) ||
	    !axis_add(s->qd, &s->n_qd, p->queue_depth) ||
	    !axis_add(s->par, &s->n_par, p->io_parallel))
		return fail(err, errlen, "the grid has more than %d distinct block sizes, queue depths or io_parallel values: too many to draw",
			    PLOT_AXIS_MAX);
	for (i = 0; i < s->n_combo; i++)
		if (s->combo[i] == c)
			return 0;
	s->combo[s->n_combo++] = c;
	/* block/overlap (0), block/sequential (1), single/... : ascending */
	for (i = s->n_combo - 1; i > 0 && s->combo[i - 1] > s->combo[i]; i--) {
		s->combo[i] = s->combo[i - 1];
		s->combo[i - 1] = c;
	}
	return 0;
}

static int read_latency(json_object *pt, struct dsaio_percentiles *l)
{
	static const struct {
		const char *key;
		size_t off;
	} keys[] = {
		{ "p50", offsetof(struct dsaio_percentiles, p50) },
		{ "p90", offsetof(struct dsaio_percentiles, p90) },
		{ "p99", offsetof(struct dsaio_percentiles, p99) },
		{ "p99.9", offsetof(struct dsaio_percentiles, p999) },
		{ "max", offsetof(struct dsaio_percentiles, max) },
	};
	json_object *o = get(pt, "latency_ns", json_type_object);
	size_t i;

	if (!o)
		return -1;
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (!get_u64(o, keys[i].key, (uint64_t *)((char *)l + keys[i].off)))
			return -1;
	return 0;
}

/* One engine's summary: "points", "excluded", "optimal". */
static int read_summary(json_object *sum, struct plot_sweep *s, char *err, size_t errlen)
{
	json_object *pts = get(sum, "points", json_type_array);
	json_object *excl = get(sum, "excluded", json_type_array);
	json_object *eng = get(sum, "engine", json_type_string);
	json_object *opt, *aio;
	size_t n, n_ex, cap, i;

	if (!pts || !excl || !eng)
		return fail(err, errlen, "it is not a dsaio sweep summary: no \"%s\" %s",
			    !eng ? "engine" : !pts ? "points" : "excluded",
			    !eng ? "string" : "array");
	snprintf(s->engine, sizeof(s->engine), "%s", json_object_get_string(eng));
	n = json_object_array_length(pts);
	n_ex = json_object_array_length(excl);
	cap = n + n_ex;
	s->pt = calloc(cap ? cap : 1, sizeof(*s->pt));
	if (!s->pt)
		return fail(err, errlen, "out of memory");
	for (i = 0; i < n; i++) {
		json_object *o = json_object_array_get_idx(pts, i);
		json_object *opv = get(o, "op", json_type_string);
		struct dsaio_params p;
		struct plot_point *pt;
		const char *bad = read_params(o, "io_parallel", &p);
		enum dsaio_user_op op;

		if (!opv || (strcmp(json_object_get_string(opv), "read") &&
			     strcmp(json_object_get_string(opv), "write")))
			bad = "op";
		if (bad)
			return fail(err, errlen, "it is not a dsaio sweep summary: point %zu has no valid \"%s\"",
				    i + 1, bad);
		op = strcmp(json_object_get_string(opv), "read") ? OP_WRITE : OP_READ;
		pt = point_of(s, &p);
		if (pt->have[op])
			return fail(err, errlen, "it is not a dsaio sweep summary: point %zu measures the same %s as an earlier one",
				    i + 1, json_object_get_string(opv));
		if (!get_num(o, "e2e_speed_gbs", &pt->gbs[op]))
			return fail(err, errlen, "it is not a dsaio sweep summary: point %zu has no valid \"e2e_speed_gbs\"",
				    i + 1);
		if (read_latency(o, &pt->lat[op]))
			return fail(err, errlen, "it is not a dsaio sweep summary: point %zu has no valid \"latency_ns\" (p50, p90, p99, p99.9, max)",
				    i + 1);
		pt->have[op] = true;
		s->have_op[op] = true;
		if (add_axes(s, &p, err, errlen))
			return -1;
	}
	for (i = 0; i < n_ex; i++) {
		struct dsaio_params p;
		const char *bad = read_params(json_object_array_get_idx(excl, i),
					      "io_parallel", &p);

		if (bad)
			return fail(err, errlen, "it is not a dsaio sweep summary: excluded point %zu has no valid \"%s\"",
				    i + 1, bad);
		point_of(s, &p)->excluded = true;
		if (add_axes(s, &p, err, errlen))
			return -1;
	}
	opt = get(sum, "optimal", json_type_object);
	if (opt) {
		const char *bad;

		aio = get(opt, "aio", json_type_object);
		if (!aio)
			return fail(err, errlen, "it is not a dsaio sweep summary: \"optimal\" has no \"aio\" block");
		bad = read_params(aio, json_object_object_get_ex(aio, "thread_count", NULL) ?
				  "thread_count" : "intra_op_parallelism", &s->best);
		if (bad)
			return fail(err, errlen, "it is not a dsaio sweep summary: \"optimal\" has no valid \"%s\"",
				    bad);
		s->have_best = true;
	}
	return 0;
}

/* --engines: which engine's summary; NULL with err set. */
static json_object *pick_engine(json_object *root, json_object *per, const char *engine,
				char *err, size_t errlen)
{
	json_object *sum, *oe;
	char names[256] = "";
	size_t len = 0;

	if (!engine) {
		oe = get(root, "optimal_engine", json_type_string);
		if (oe) {
			engine = json_object_get_string(oe);
		} else {
			/* no engine has a complete point: the first listed */
			json_object_object_foreach(per, k, v) {
				(void)v;
				engine = k;
				break;
			}
		}
	}
	if (engine && (sum = get(per, engine, json_type_object)))
		return sum;
	json_object_object_foreach(per, k, v) {
		(void)v;
		len += (size_t)snprintf(names + len, len < sizeof(names) ? sizeof(names) - len : 0,
					"%s%s", len ? ", " : "", k);
		if (len >= sizeof(names))
			break;
	}
	if (engine)
		fail(err, errlen, "the summary has no engine '%s' (it has: %s)", engine, names);
	else
		fail(err, errlen, "it is not a dsaio sweep summary: \"per_engine\" is empty");
	return NULL;
}

int plot_sweep_read(json_object *root, const char *engine, struct plot_sweep *s,
		    char *err, size_t errlen)
{
	json_object *per, *sum = root, *t;
	uint64_t io;

	memset(s, 0, sizeof(*s));
	if (!json_object_is_type(root, json_type_object))
		return fail(err, errlen, "it is not a dsaio sweep summary: not a JSON object");
	per = get(root, "per_engine", json_type_object);
	if (per) {
		sum = pick_engine(root, per, engine, err, errlen);
		if (!sum)
			return -1;
	} else if (engine) {
		t = get(root, "engine", json_type_string);
		if (t && strcmp(json_object_get_string(t), engine))
			return fail(err, errlen, "the summary is of the %s engine, not %s (--engine picks one of a sweep --engines summary)",
				    json_object_get_string(t), engine);
	}
	if ((t = get(root, "dir", json_type_string)))
		snprintf(s->target, sizeof(s->target), "a file in %s", json_object_get_string(t));
	else if ((t = get(root, "device", json_type_string)))
		snprintf(s->target, sizeof(s->target), "%s", json_object_get_string(t));
	else
		return fail(err, errlen, "it is not a dsaio sweep summary: no \"dir\" or \"device\"");
	if (!get_u64(root, "io_size", &io))
		return fail(err, errlen, "it is not a dsaio sweep summary: no \"io_size\"");
	s->io_size = io;
	if (read_summary(sum, s, err, errlen)) {
		plot_sweep_free(s);
		return -1;
	}
	return 0;
}

int plot_sweep_check(const struct plot_sweep *s, char *err, size_t errlen)
{
	if (!s->n_pt)
		return fail(err, errlen, "the sweep has no point to draw: it measured nothing");
	if (!s->have_best)
		return fail(err, errlen, "the sweep has no complete point (every grid point has a failed or missing run; see its \"excluded\"): nothing to recommend or draw");
	if (find(s, &s->best) == s->n_pt)
		return fail(err, errlen, "it is not a dsaio sweep summary: the recommended point is not one of its points");
	return 0;
}

void plot_sweep_free(struct plot_sweep *s)
{
	free(s->pt);
	s->pt = NULL;
	s->n_pt = 0;
}

const char *plot_combo_name(unsigned int combo)
{
	static const char *const names[PLOT_COMBO_MAX] = {
		"block, overlap", "block, sequential",
		"single, overlap", "single, sequential",
	};

	return names[combo % PLOT_COMBO_MAX];
}

const char *plot_combo_short(unsigned int combo)
{
	static const char *const names[PLOT_COMBO_MAX] = {
		"blk+ovl", "blk+seq", "sgl+ovl", "sgl+seq",
	};

	return names[combo % PLOT_COMBO_MAX];
}

const char *plot_metric_name(enum plot_metric m)
{
	static const char *const names[PLOT_N_METRICS] = {
		[PLOT_WRITE] = "write", [PLOT_READ] = "read", [PLOT_RW] = "read + write",
	};

	return names[m];
}

bool plot_point_value(const struct plot_sweep *s, const struct plot_point *p,
		      enum plot_metric m, double *v)
{
	int op;

	switch (m) {
	case PLOT_WRITE:
	case PLOT_READ:
		op = m == PLOT_WRITE ? OP_WRITE : OP_READ;
		if (!p->have[op])
			return false;
		*v = p->gbs[op];
		return true;
	default:
		/* as the ranking adds them: every op measured, at a complete point */
		if (p->excluded || (s->have_op[OP_READ] && !p->have[OP_READ]) ||
		    (s->have_op[OP_WRITE] && !p->have[OP_WRITE]))
			return false;
		*v = (p->have[OP_READ] ? p->gbs[OP_READ] : 0) +
		     (p->have[OP_WRITE] ? p->gbs[OP_WRITE] : 0);
		return true;
	}
}

bool plot_cell(const struct plot_sweep *s, enum plot_metric m, size_t ibs,
	       size_t iqd, size_t ipar, int combo, double *v,
	       const struct plot_point **which)
{
	bool found = false;
	size_t i;

	for (i = 0; i < s->n_pt; i++) {
		const struct plot_point *p = &s->pt[i];
		double x;

		if (p->params.block_size != s->bs[ibs] || p->params.queue_depth != s->qd[iqd] ||
		    p->params.io_parallel != s->par[ipar] ||
		    (combo >= 0 && plot_combo_bits(&p->params) != (unsigned int)combo) ||
		    !plot_point_value(s, p, m, &x))
			continue;
		/* the first of equals: the combinations' order decides a tie */
		if (!found || x > *v ||
		    (x == *v && plot_combo_bits(&p->params) < plot_combo_bits(&(*which)->params))) {
			*v = x;
			*which = p;
			found = true;
		}
	}
	return found;
}

bool plot_is_best(const struct plot_sweep *s, const struct dsaio_params *p)
{
	return s->have_best && same_point(&s->best, p);
}
