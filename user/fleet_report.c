// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The fleet report (fleet_report.h): what fleet_merge() found, as a table
 * and sentences, or as JSON (doc/schema/merge.schema.json). Prints only;
 * every figure comes from struct fleet.
 */
#include <stdio.h>
#include <string.h>

#include "dsconfig.h"
#include "fleet_report.h"
#include "optimum.h"
#include "report.h"

static const char *ops_words(unsigned int ops)
{
	if (ops == DSAIO_OPS_BOTH)
		return "read + write";
	return ops == DSAIO_OP_BIT(OP_READ) ? "read" : "write";
}

/* "/tmp/x (ext4 on vda)", "/dev/nvme0n1 (nvme0n1)". */
static void target_words(const struct fleet_node *n, char *buf, size_t len)
{
	const struct measurement_target *t = &n->target;

	if (t->fstype[0] && t->device[0])
		snprintf(buf, len, "%s (%s on %s)", t->path, t->fstype, t->device);
	else if (t->device[0])
		snprintf(buf, len, "%s (%s)", t->path, t->device);
	else
		snprintf(buf, len, "%s", t->path);
}

static void node_row(FILE *out, const struct fleet *f, const struct fleet_node *n,
		     size_t name_w)
{
	char tgt[512];

	fprintf(out, "%-*s %-8s", (int)name_w, n->name,
		n->outlier ? "OUTLIER" : fleet_state_name(n->state));
	if (n->best < 0) {
		fprintf(out, " %*s %8s |", (int)dsaio_report_params_width(false), "-", "-");
	} else {
		dsaio_report_params(out, &f->common[n->best].params, true);
		fprintf(out, " %8.3f |", n->best_gbs);
	}
	if (n->have_pick)
		fprintf(out, " %8.3f %6.0f %%", n->pick_gbs,
			n->best_gbs > 0 ? 100 * n->pick_gbs / n->best_gbs : 0);
	else
		fprintf(out, " %8s %8s", "-", "-");
	if (n->state == FLEET_NODE_OK && f->best.median > 0)
		/* + 0.0: the median node is not "-0.0 %" */
		fprintf(out, " %+9.1f %%", -100 * n->below_median + 0.0);
	else
		fprintf(out, " %11s", "-");
	if (n->state == FLEET_NODE_MISSING) {
		fprintf(out, "  %s\n", n->why);
		return;
	}
	target_words(n, tgt, sizeof(tgt));
	fprintf(out, "  %s\n", tgt);
}

static void spread_line(FILE *out, const char *what, const struct fleet_spread *s)
{
	fprintf(out, "  %-19s min %.3f  median %.3f  max %.3f  (max - min) / median %.0f %%\n",
		what, s->min, s->median, s->max, 100 * s->range);
}

static void outlier_lines(FILE *out, const struct fleet *f)
{
	size_t i;

	fprintf(out, "\nOutliers (own best below the median of the bests, %.3f GB/s, by more than the noise, %.0f %%):\n",
		f->best.median, 100 * f->noise);
	if (!f->n_outliers)
		fprintf(out, "  none\n");
	for (i = 0; i < f->n_nodes; i++) {
		const struct fleet_node *n = &f->nodes[i];
		char tgt[512];

		if (!n->outlier)
			continue;
		target_words(n, tgt, sizeof(tgt));
		fprintf(out, "  %s: %.3f GB/s, %.0f %% below; drive %s, target %s",
			n->name, n->best_gbs, 100 * n->below_median,
			n->target.device[0] ? n->target.device : "unknown", tgt);
		if (n->have_pick) {
			fprintf(out, "; at the fleet's point");
			if (f->ops & DSAIO_OP_BIT(OP_READ))
				fprintf(out, " read %.3f (median %.3f)", n->pick_read,
					f->at_pick_read.median);
			if (f->ops & DSAIO_OP_BIT(OP_WRITE))
				fprintf(out, " write %.3f (median %.3f)", n->pick_write,
					f->at_pick_write.median);
		}
		fprintf(out, "\n");
	}
}

int fleet_report_text(FILE *out, const struct fleet *f, bool legacy_keys)
{
	size_t i, name_w = 4;
	json_object *aio;

	for (i = 0; i < f->n_nodes; i++)
		if (strlen(f->nodes[i].name) > name_w)
			name_w = strlen(f->nodes[i].name);
	fprintf(out, "Fleet of %zu node(s): %zu compared, %zu partial, %zu failed, %zu missing",
		f->n_nodes, f->n_compared, f->n_partial, f->n_failed, f->n_missing);
	for (i = 0; i < f->n_nodes; i++)
		if (f->nodes[i].state != FLEET_NODE_MISSING) {
			fprintf(out, "; engine %s, %s, %s E2E GB/s (GB = 2^30), noise %.0f %%",
				f->nodes[i].engine,
				f->nodes[i].target.kind == TARGET_FILE ? "files" : "devices",
				ops_words(f->ops), 100 * f->noise);
			break;
		}
	fprintf(out, "\nCompared on %zu grid point(s), each measured completely on every compared node%s\n\n",
		f->n_common, f->n_left ? " (others left out, below)" : "");

	fprintf(out, "%-*s %-8s", (int)name_w, "node", "state");
	dsaio_report_params(out, NULL, true);
	fprintf(out, " %8s | %8s %8s %11s  %s\n", "best", "at fleet", "of best",
		"vs median", "target");
	for (i = 0; i < f->n_nodes; i++)
		node_row(out, f, &f->nodes[i], name_w);
	for (i = 0; i < f->n_nodes; i++) {
		const struct fleet_node *n = &f->nodes[i];

		if (n->state == FLEET_NODE_PARTIAL || n->state == FLEET_NODE_FAILED)
			fprintf(out, "  %s, %s: %s; not compared\n", n->name,
				fleet_state_name(n->state), n->why);
	}

	if (f->n_compared && f->n_common) {
		fprintf(out, "\nSpread across the %zu compared node(s), %s E2E GB/s:\n",
			f->n_compared, ops_words(f->ops));
		spread_line(out, "own best:", &f->best);
		if (f->pick >= 0)
			spread_line(out, "at the fleet point:", &f->at_pick);
		outlier_lines(out, f);
	}
	if (f->n_left) {
		fprintf(out, "\nLeft out (not complete on every compared node):\n");
		for (i = 0; i < f->n_left; i++) {
			fprintf(out, "  ");
			dsaio_report_params(out, &f->left[i].params, false);
			fprintf(out, ": %s\n", f->left[i].why);
		}
	}
	if (f->notes[0])
		fprintf(out, "\n%s", f->notes);
	if (f->pick < 0) {
		fprintf(out, "\nNo grid point was measured completely on every compared node: no \"aio\" block for the fleet.\n");
		return 0;
	}
	fprintf(out, "\nFleet's point: ");
	dsaio_report_params(out, &f->common[f->pick].params, false);
	fprintf(out, "\n  within the noise of their own best on %zu of %zu node(s); slowest node %.3f GB/s, median %.3f\n",
		f->common[f->pick].n_tied, f->n_compared, f->common[f->pick].min_gbs,
		f->common[f->pick].median_gbs);
	aio = dsaio_aio_config(&f->common[f->pick].params, legacy_keys);
	if (!aio)
		return -1;
	fprintf(out, "\nBest configuration for the fleet (merge --help says the rule):\n%s\n",
		json_object_to_json_string_ext(aio, DSAIO_JSON_PRETTY));
	json_object_put(aio);
	return 0;
}

/* ---- JSON ---------------------------------------------------------------- */

static int add(json_object *o, const char *k, json_object *v)
{
	if (!v)
		return -1;
	if (json_object_object_add(o, k, v)) {
		json_object_put(v);
		return -1;
	}
	return 0;
}

static json_object *spread_json(const struct fleet_spread *s)
{
	json_object *o = json_object_new_object();
	int e = 0;

	if (!o)
		return NULL;
	e |= add(o, "min_gbs", json_object_new_double(s->min));
	e |= add(o, "median_gbs", json_object_new_double(s->median));
	e |= add(o, "max_gbs", json_object_new_double(s->max));
	e |= add(o, "range", json_object_new_double(s->range));
	if (e) {
		json_object_put(o);
		return NULL;
	}
	return o;
}

static json_object *target_json(const struct fleet_node *n)
{
	json_object *o = json_object_new_object();
	int e = 0;

	if (!o)
		return NULL;
	e |= add(o, "kind", json_object_new_string(n->target.kind == TARGET_FILE ?
						   "file" : "bdev"));
	e |= add(o, "path", json_object_new_string(n->target.path));
	if (n->target.device[0]) {
		e |= add(o, "device", json_object_new_string(n->target.device));
		e |= add(o, "align", json_object_new_int64(n->target.align));
	}
	if (n->target.fstype[0])
		e |= add(o, "fstype", json_object_new_string(n->target.fstype));
	if (e) {
		json_object_put(o);
		return NULL;
	}
	return o;
}

/* {[params...,] "read_gbs", "write_gbs", "gbs"} of n at p (measured). */
static json_object *at_json(const struct fleet *f, const struct fleet_node *n,
			    const struct dsaio_params *p, bool with_params)
{
	json_object *o = with_params ? dsaio_params_json(p) : json_object_new_object();
	double g, r, w;
	int e = 0;

	if (!o || !fleet_node_score(f, n, p, &g, &r, &w)) {
		json_object_put(o);
		return NULL;
	}
	if (f->ops & DSAIO_OP_BIT(OP_READ))
		e |= add(o, "read_gbs", json_object_new_double(r));
	if (f->ops & DSAIO_OP_BIT(OP_WRITE))
		e |= add(o, "write_gbs", json_object_new_double(w));
	e |= add(o, "gbs", json_object_new_double(g));
	if (e) {
		json_object_put(o);
		return NULL;
	}
	return o;
}

static json_object *node_json(const struct fleet *f, const struct fleet_node *n)
{
	json_object *o = json_object_new_object();
	int e = 0;

	if (!o)
		return NULL;
	e |= add(o, "name", json_object_new_string(n->name));
	e |= add(o, "file", json_object_new_string(n->source));
	e |= add(o, "state", json_object_new_string(fleet_state_name(n->state)));
	if (n->why[0])
		e |= add(o, "why", json_object_new_string(n->why));
	if (n->state != FLEET_NODE_MISSING) {
		e |= add(o, "engine", json_object_new_string(n->engine));
		e |= add(o, "target", target_json(n));
		e |= add(o, "io_size", json_object_new_uint64(n->io_size));
		e |= add(o, "loops", json_object_new_int64(n->loops));
	}
	if (n->best >= 0)
		e |= add(o, "best", at_json(f, n, &f->common[n->best].params, true));
	else
		e |= json_object_object_add(o, "best", NULL);
	if (n->have_pick) {
		json_object *a = at_json(f, n, &f->common[f->pick].params, false);

		e |= add(o, "at_recommended", a);
		if (a)
			e |= add(a, "of_best", json_object_new_double(
					 n->best_gbs > 0 ? n->pick_gbs / n->best_gbs : 0));
	} else {
		e |= json_object_object_add(o, "at_recommended", NULL);
	}
	if (n->state == FLEET_NODE_OK && f->best.median > 0)
		e |= add(o, "below_median", json_object_new_double(n->below_median));
	else
		e |= json_object_object_add(o, "below_median", NULL);
	e |= add(o, "outlier", json_object_new_boolean(n->outlier));
	if (e) {
		json_object_put(o);
		return NULL;
	}
	return o;
}

static json_object *ops_json(unsigned int ops)
{
	json_object *a = json_object_new_array();

	if (a && (ops & DSAIO_OP_BIT(OP_READ)))
		json_object_array_add(a, json_object_new_string("read"));
	if (a && (ops & DSAIO_OP_BIT(OP_WRITE)))
		json_object_array_add(a, json_object_new_string("write"));
	return a;
}

static json_object *notes_json(const char *notes)
{
	json_object *a = json_object_new_array();
	const char *s = notes, *nl;

	while (a && *s && (nl = strchr(s, '\n'))) {
		json_object_array_add(a, json_object_new_string_len(s, (int)(nl - s)));
		s = nl + 1;
	}
	return a;
}

json_object *fleet_report_json(const struct fleet *f, bool legacy_keys)
{
	json_object *o = json_object_new_object(), *a;
	size_t i;
	int e = 0;

	if (!o)
		return NULL;
	e |= add(o, "noise", json_object_new_double(f->noise));
	e |= add(o, "rule", json_object_new_string(fleet_rule()));
	e |= add(o, "ops", ops_json(f->ops));
	e |= add(o, "compared", json_object_new_int64((int64_t)f->n_compared));
	e |= add(o, "partial", json_object_new_int64((int64_t)f->n_partial));
	e |= add(o, "failed", json_object_new_int64((int64_t)f->n_failed));
	e |= add(o, "missing", json_object_new_int64((int64_t)f->n_missing));
	e |= add(o, "nodes", a = json_object_new_array());
	for (i = 0; a && i < f->n_nodes; i++) {
		json_object *n = node_json(f, &f->nodes[i]);

		if (!n || json_object_array_add(a, n)) {
			json_object_put(n);
			e = -1;
		}
	}
	e |= add(o, "common_points", json_object_new_int64((int64_t)f->n_common));
	e |= add(o, "left_out", a = json_object_new_array());
	for (i = 0; a && i < f->n_left; i++) {
		json_object *p = dsaio_params_json(&f->left[i].params);

		if (!p || add(p, "why", json_object_new_string(f->left[i].why)) ||
		    json_object_array_add(a, p)) {
			json_object_put(p);
			e = -1;
		}
	}
	if (f->n_compared && f->n_common) {
		json_object *s = json_object_new_object();

		e |= add(o, "spread", s);
		if (s) {
			e |= add(s, "best", spread_json(&f->best));
			if (f->pick >= 0)
				e |= add(s, "at_recommended", spread_json(&f->at_pick));
		}
	} else {
		e |= json_object_object_add(o, "spread", NULL);
	}
	e |= add(o, "outliers", a = json_object_new_array());
	for (i = 0; a && i < f->n_nodes; i++)
		if (f->nodes[i].outlier)
			e |= json_object_array_add(a, json_object_new_string(f->nodes[i].name));
	e |= add(o, "notes", notes_json(f->notes));
	if (f->pick >= 0) {
		const struct fleet_common *c = &f->common[f->pick];
		json_object *r = dsaio_params_json(&c->params);

		e |= add(o, "recommended", r);
		if (r) {
			e |= add(r, "nodes_tied", json_object_new_int64((int64_t)c->n_tied));
			e |= add(r, "min_gbs", json_object_new_double(c->min_gbs));
			e |= add(r, "median_gbs", json_object_new_double(c->median_gbs));
		}
		e |= add(o, "optimal", dsaio_aio_config(&c->params, legacy_keys));
	} else {
		e |= json_object_object_add(o, "recommended", NULL);
	}
	if (e) {
		json_object_put(o);
		return NULL;
	}
	return o;
}
