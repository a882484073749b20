// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * One node's sweep summary (doc/schema/sweep.schema.json) as a struct
 * fleet_node: its points combined per grid point, its target, and the
 * keys its format has. The format is told by the summary's "format" (since
 * dsaio-sweep-1) and by its keys: a dsaio that adds or drops one writes a
 * different set, and fleet_check() refuses to compare across either. Only
 * what the merge uses must be there and of its type; the rest is known
 * by name only.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fleet.h"
#include "optimum.h"
#include "sweepparam.h"

/* Keys a summary may or may not have in one format: never told by. */
static const char *const optional_keys[] = {
	"optimal",		/* absent when no point is complete */
	"dir", "device",	/* one or the other */
	"file",			/* a point's file, when the engine said */
	"first_mismatch",	/* only with mismatches */
};

static bool is_optional(const char *k)
{
	size_t i;

	for (i = 0; i < sizeof(optional_keys) / sizeof(optional_keys[0]); i++)
		if (!strcmp(k, optional_keys[i]))
			return true;
	return false;
}

static int cmp_key(const void *a, const void *b)
{
	return strcmp(a, b);
}

/* Adds o's keys (with prefix) to the format, each once. */
static void format_add(struct fleet_format *fmt, json_object *o,
		       const char *prefix)
{
	json_object_object_foreach(o, k, v) {
		char key[FLEET_KEY_MAX];
		size_t i;

		(void)v;
		if (is_optional(k))
			continue;
		snprintf(key, sizeof(key), "%s%s", prefix, k);
		for (i = 0; i < fmt->n_keys; i++)
			if (!strcmp(fmt->keys[i], key))
				break;
		if (i == fmt->n_keys && fmt->n_keys < FLEET_MAX_KEYS)
			memcpy(fmt->keys[fmt->n_keys++], key, sizeof(key));
	}
}

static json_object *get(json_object *o, const char *k, json_type t)
{
	json_object *v;

	if (!json_object_object_get_ex(o, k, &v) || !json_object_is_type(v, t))
		return NULL;
	return v;
}

static int missing(char *err, size_t len, const char *where, const char *k,
		   const char *type)
{
	snprintf(err, len, "not a dsaio sweep summary: %s%s has no %s \"%s\"",
		 where, *where ? "" : "it", type, k);
	return -EINVAL;
}

/* A point's parameters, by the table of sweep dimensions. */
static int params_of(json_object *o, struct dsaio_params *p, const char *where,
		     char *err, size_t len)
{
	size_t i;

	memset(p, 0, sizeof(*p));
	for (i = 0; i < dsaio_n_sweep_params; i++) {
		const struct sweep_param *sp = &dsaio_sweep_params[i];
		json_object *v;

		if (sp->kind == SP_BOOL) {
			v = get(o, sp->key, json_type_boolean);
			if (!v)
				return missing(err, len, where, sp->key, "boolean");
			sweep_param_set(sp, p, json_object_get_boolean(v), NULL);
			continue;
		}
		v = get(o, sp->key, json_type_int);
		if (!v || json_object_get_int64(v) < 1)
			return missing(err, len, where, sp->key, "positive integer");
		sweep_param_set(sp, p, (uint64_t)json_object_get_int64(v), NULL);
	}
	return 0;
}

/* The node's entry for p, added when new; NULL when out of memory. */
static struct fleet_point *point_of(struct fleet_node *n,
				    const struct dsaio_params *p, size_t cap)
{
	size_t i;

	for (i = 0; i < n->n_pts; i++)
		if (dsaio_params_same(&n->pts[i].params, p))
			return &n->pts[i];
	if (n->n_pts == cap)
		return NULL;
	memset(&n->pts[n->n_pts], 0, sizeof(n->pts[0]));
	n->pts[n->n_pts].params = *p;
	return &n->pts[n->n_pts++];
}

/* The ops an excluded point's reason names ("write: ...; read: ..."). */
static unsigned int reason_ops(const char *r)
{
	unsigned int ops = 0;
	const char *s = r;

	while (s) {
		while (*s == ' ')
			s++;
		if (!strncmp(s, "read:", 5))
			ops |= DSAIO_OP_BIT(OP_READ);
		else if (!strncmp(s, "write:", 6))
			ops |= DSAIO_OP_BIT(OP_WRITE);
		s = strstr(s, "; ");
		if (s)
			s += 2;
	}
	return ops;
}

static void target_of(struct fleet_node *n, json_object *t)
{
	static const struct {
		const char *key;
		size_t off, len;
	} fields[] = {
		{ "path", offsetof(struct measurement_target, path), DSAIO_TARGET_PATH_MAX },
		{ "device", offsetof(struct measurement_target, device), DSAIO_TARGET_NAME_MAX },
		{ "fstype", offsetof(struct measurement_target, fstype), DSAIO_TARGET_NAME_MAX },
	};
	json_object *v = get(t, "kind", json_type_string);
	size_t i;

	n->target.kind = v && !strcmp(json_object_get_string(v), "file") ?
		TARGET_FILE : TARGET_BDEV;
	for (i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		v = get(t, fields[i].key, json_type_string);
		if (v)
			snprintf((char *)&n->target + fields[i].off, fields[i].len,
				 "%s", json_object_get_string(v));
	}
	v = get(t, "align", json_type_int);
	if (v)
		n->target.align = (uint32_t)json_object_get_int64(v);
	n->target.have_details = n->target.device[0] != '\0';
}

/* A --engines summary: the summary of the engine asked for. */
static json_object *pick_engine(json_object *doc, const char *engine,
				char *err, size_t len)
{
	json_object *per = get(doc, "per_engine", json_type_object), *v;
	char have[256] = "";
	size_t h = 0;

	if (!engine) {
		v = get(doc, "optimal_engine", json_type_string);
		engine = v ? json_object_get_string(v) : NULL;
	}
	json_object_object_foreach(per, k, s) {
		(void)s;
		if (!engine)
			engine = k;	/* the first one listed */
		h += snprintf(have + h, h < sizeof(have) ? sizeof(have) - h : 0,
			      "%s%s", h ? ", " : "", k);
	}
	if (engine && json_object_object_get_ex(per, engine, &v) &&
	    json_object_is_type(v, json_type_object))
		return v;
	snprintf(err, len, "a sweep --engines summary without the engine %s (it has %s); give --engine",
		 engine ? engine : "(none)", h ? have : "none");
	return NULL;
}

int fleet_node_from_json(struct fleet_node *n, json_object *doc,
			 const char *engine, char *err, size_t len)
{
	json_object *pts, *excl, *t, *v;
	size_t i, cap;

	n->state = FLEET_NODE_OK;
	n->best = -1;
	if (!json_object_is_type(doc, json_type_object)) {
		snprintf(err, len, "not a dsaio sweep summary: not a JSON object");
		return -EINVAL;
	}
	if (get(doc, "per_engine", json_type_object)) {
		doc = pick_engine(doc, engine, err, len);
		if (!doc)
			return -EINVAL;
	}
	memset(&n->format, 0, sizeof(n->format));
	format_add(&n->format, doc, "");
	/* "format" since dsaio-sweep-1; older summaries are told by keys only */
	if (!json_object_object_get_ex(doc, "dsaio_version", &v) &&
	    !json_object_object_get_ex(doc, "format", &v))
		v = NULL;
	if (v)
		snprintf(n->format.version, sizeof(n->format.version), "%s",
			 json_object_get_string(v));

	if (!(v = get(doc, "engine", json_type_string)))
		return missing(err, len, "", "engine", "string");
	snprintf(n->engine, sizeof(n->engine), "%s", json_object_get_string(v));
	if (engine && strcmp(engine, n->engine)) {
		snprintf(err, len, "measured with the %s engine, not %s", n->engine, engine);
		return -EINVAL;
	}
	if (!(t = get(doc, "target", json_type_object)))
		return missing(err, len, "", "target", "object");
	if (!get(t, "kind", json_type_string))
		return missing(err, len, "its target ", "kind", "string");
	target_of(n, t);
	if (!(v = get(doc, "io_size", json_type_int)))
		return missing(err, len, "", "io_size", "integer");
	n->io_size = (uint64_t)json_object_get_int64(v);
	if (!(v = get(doc, "loops", json_type_int)))
		return missing(err, len, "", "loops", "integer");
	n->loops = (unsigned int)json_object_get_int64(v);
	if (!(v = get(doc, "complete", json_type_boolean)))
		return missing(err, len, "", "complete", "boolean");
	n->sweep_complete = json_object_get_boolean(v);
	if (!(pts = get(doc, "points", json_type_array)))
		return missing(err, len, "", "points", "array");
	if (!(excl = get(doc, "excluded", json_type_array)))
		return missing(err, len, "", "excluded", "array");

	cap = json_object_array_length(pts) + json_object_array_length(excl);
	n->pts = calloc(cap ? cap : 1, sizeof(*n->pts));
	if (!n->pts) {
		snprintf(err, len, "out of memory");
		return -ENOMEM;
	}
	n->n_pts = 0;
	n->ops = 0;
	for (i = 0; i < json_object_array_length(pts); i++) {
		json_object *o = json_object_array_get_idx(pts, i), *op, *sp;
		struct dsaio_params p;
		struct fleet_point *fp;
		char where[64];
		bool rd;

		snprintf(where, sizeof(where), "its point %zu ", i + 1);
		if (!json_object_is_type(o, json_type_object))
			return missing(err, len, "", "points", "array of objects");
		format_add(&n->format, o, "p.");
		n->format.has_points = true;
		if (!(op = get(o, "op", json_type_string)) ||
		    (strcmp(json_object_get_string(op), "read") &&
		     strcmp(json_object_get_string(op), "write")))
			return missing(err, len, where, "op", "\"read\" or \"write\"");
		if (!(sp = get(o, "e2e_speed_gbs", json_type_double)) &&
		    !(sp = get(o, "e2e_speed_gbs", json_type_int)))
			return missing(err, len, where, "e2e_speed_gbs", "number");
		if (params_of(o, &p, where, err, len))
			return -EINVAL;
		fp = point_of(n, &p, cap);
		rd = !strcmp(json_object_get_string(op), "read");
		n->ops |= DSAIO_OP_BIT(rd ? OP_READ : OP_WRITE);
		if (rd) {
			fp->have_read = true;
			fp->read_gbs = json_object_get_double(sp);
		} else {
			fp->have_write = true;
			fp->write_gbs = json_object_get_double(sp);
		}
	}
	for (i = 0; i < json_object_array_length(excl); i++) {
		json_object *o = json_object_array_get_idx(excl, i), *r;
		struct dsaio_params p;
		struct fleet_point *fp;
		char where[64];

		snprintf(where, sizeof(where), "its excluded point %zu ", i + 1);
		if (!json_object_is_type(o, json_type_object))
			return missing(err, len, "", "excluded", "array of objects");
		if (!(r = get(o, "reason", json_type_string)))
			return missing(err, len, where, "reason", "string");
		if (params_of(o, &p, where, err, len))
			return -EINVAL;
		fp = point_of(n, &p, cap);
		fp->excluded = true;
		snprintf(fp->reason, sizeof(fp->reason), "%s", json_object_get_string(r));
		n->ops |= reason_ops(fp->reason);
	}
	qsort(n->format.keys, n->format.n_keys, sizeof(n->format.keys[0]), cmp_key);
	if (!n->sweep_complete) {
		n->state = FLEET_NODE_PARTIAL;
		snprintf(n->why, sizeof(n->why),
			 "its sweep stopped midway (\"complete\": false), after %zu point(s)",
			 n->n_pts);
	}
	return 0;
}

void fleet_node_missing(struct fleet_node *n, const char *why)
{
	n->state = FLEET_NODE_MISSING;
	n->best = -1;
	snprintf(n->why, sizeof(n->why), "%s", why);
}

void fleet_node_free(struct fleet_node *n)
{
	free(n->pts);
	n->pts = NULL;
	n->n_pts = 0;
}

void fleet_node_name(const char *path, char *out, size_t len)
{
	const char *base = strrchr(path, '/'), *dot;
	char dir[FLEET_NAME_MAX * 4];
	size_t n;

	base = base ? base + 1 : path;
	if (!strcmp(base, "dsaio_sweep.json") && base > path) {
		/* NODE/dsaio_sweep.json: the folder names the node */
		n = (size_t)(base - 1 - path);
		if (n >= sizeof(dir))
			n = sizeof(dir) - 1;
		memcpy(dir, path, n);
		dir[n] = '\0';
		while (n > 1 && dir[n - 1] == '/')
			dir[--n] = '\0';
		base = strrchr(dir, '/');
		snprintf(out, len, "%s", base ? base + 1 : dir);
		return;
	}
	dot = strrchr(base, '.');
	n = dot && !strcmp(dot, ".json") && dot > base ? (size_t)(dot - base) :
		strlen(base);
	snprintf(out, len, "%.*s", (int)n, base);
}
