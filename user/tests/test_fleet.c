// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * dsaio-user merge's logic on generated per-node summaries, shaped as
 * `sweep --json` writes them: node names from file names, the format
 * checks, common points and what is left out, missing, partial and
 * failed nodes, each node's best, the fleet's point and its tie-breaks,
 * outliers against the noise, the JSON report and the chart's script.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <json-c/json.h>

#include "tap.h"
#include "fleet.h"
#include "fleet_chart.h"
#include "fleet_report.h"
#include "optimum.h"

/* One grid point of a generated node: parameters and E2E speeds. */
struct gen_pt {
	unsigned int bs_mib, qd, par;
	double read, write;		/* < 0: that op failed (excluded) */
};

static json_object *params_obj(const struct gen_pt *g)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "block_size", json_object_new_int64((int64_t)g->bs_mib << 20));
	json_object_object_add(o, "queue_depth", json_object_new_int64(g->qd));
	json_object_object_add(o, "io_parallel", json_object_new_int64(g->par));
	json_object_object_add(o, "threads", json_object_new_int64(1));
	json_object_object_add(o, "single_submit", json_object_new_boolean(0));
	json_object_object_add(o, "overlap_events", json_object_new_boolean(1));
	return o;
}

/* A one-engine summary with the keys sweep writes today. */
static json_object *gen(const char *engine, const char *device, bool complete,
			const struct gen_pt *g, size_t n)
{
	json_object *o = json_object_new_object(), *t = json_object_new_object();
	json_object *pts = json_object_new_array(), *ex = json_object_new_array();
	size_t i;
	int k;

	json_object_object_add(o, "engine", json_object_new_string(engine));
	json_object_object_add(o, "dir", json_object_new_string("/mnt/nvme"));
	json_object_object_add(t, "kind", json_object_new_string("file"));
	json_object_object_add(t, "path", json_object_new_string("/mnt/nvme"));
	json_object_object_add(t, "device", json_object_new_string(device));
	json_object_object_add(t, "fstype", json_object_new_string("ext4"));
	json_object_object_add(t, "align", json_object_new_int64(512));
	json_object_object_add(o, "target", t);
	json_object_object_add(o, "io_size", json_object_new_int64(8 << 20));
	json_object_object_add(o, "offset", json_object_new_int64(0));
	json_object_object_add(o, "loops", json_object_new_int64(1));
	json_object_object_add(o, "warmup_loops", json_object_new_int64(1));
	json_object_object_add(o, "log_dir", json_object_new_string("logs"));
	json_object_object_add(o, "complete", json_object_new_boolean(complete));
	json_object_object_add(o, "failures", json_object_new_int64(0));
	for (k = 0; k < 2; k++) {	/* writes, then reads, as sweep runs */
		for (i = 0; i < n; i++) {
			double v = k ? g[i].read : g[i].write;
			json_object *p;

			if (v < 0)
				continue;
			p = params_obj(&g[i]);
			json_object_object_add(p, "op", json_object_new_string(k ? "read" : "write"));
			json_object_object_add(p, "e2e_speed_gbs", json_object_new_double(v));
			json_object_object_add(p, "log", json_object_new_string("x.txt"));
			json_object_array_add(pts, p);
		}
	}
	for (i = 0; i < n; i++) {
		json_object *p;
		char why[128] = "";

		if (g[i].write < 0)
			snprintf(why, sizeof(why), "write: refused by the libaio engine: EINVAL");
		if (g[i].read < 0)
			snprintf(why + strlen(why), sizeof(why) - strlen(why), "%sread: job FAILED",
				 why[0] ? "; " : "");
		if (!why[0])
			continue;
		p = params_obj(&g[i]);
		json_object_object_add(p, "reason", json_object_new_string(why));
		json_object_array_add(ex, p);
	}
	json_object_object_add(o, "points", pts);
	json_object_object_add(o, "excluded", ex);
	json_object_object_add(o, "validate", json_object_new_boolean(0));
	json_object_object_add(o, "fixed_buffers", json_object_new_boolean(0));
	json_object_object_add(o, "fixed_files", json_object_new_boolean(0));
	return o;
}

/* Grid points A, B, C. */
#define PA 1, 32, 1
#define PB 8, 32, 1
#define PC 8, 128, 8

struct fx {
	struct fleet f;
	struct fleet_node nodes[8];
	char err[1024];
};

static void fx_init(struct fx *x, double noise)
{
	memset(x, 0, sizeof(*x));
	x->f.nodes = x->nodes;
	x->f.noise = noise;
}

/* Adds a node from doc (consumed); returns fleet_node_from_json(). */
static int add_node(struct fx *x, const char *file, json_object *doc,
		    const char *engine)
{
	struct fleet_node *n = &x->nodes[x->f.n_nodes++];
	int r;

	snprintf(n->source, sizeof(n->source), "%s", file);
	fleet_node_name(file, n->name, sizeof(n->name));
	r = fleet_node_from_json(n, doc, engine, x->err, sizeof(x->err));
	json_object_put(doc);
	return r;
}

static void fx_free(struct fx *x)
{
	size_t i;

	for (i = 0; i < x->f.n_nodes; i++)
		fleet_node_free(&x->nodes[i]);
	fleet_free(&x->f);
}

static const struct fleet_node *node(const struct fx *x, const char *name)
{
	size_t i;

	for (i = 0; i < x->f.n_nodes; i++)
		if (!strcmp(x->nodes[i].name, name))
			return &x->nodes[i];
	return NULL;
}

static const struct dsaio_params *picked(const struct fx *x)
{
	return x->f.pick >= 0 ? &x->f.common[x->f.pick].params : NULL;
}

static void test_names(void)
{
	char b[FLEET_NAME_MAX];

	fleet_node_name("results/n1.json", b, sizeof(b));
	is_str(b, "n1", "a node is its file's name without .json");
	fleet_node_name("results/gpu-07/dsaio_sweep.json", b, sizeof(b));
	is_str(b, "gpu-07", "NODE/dsaio_sweep.json is node NODE");
	fleet_node_name("gpu-07//dsaio_sweep.json", b, sizeof(b));
	is_str(b, "gpu-07", "... also with a doubled slash");
	fleet_node_name("n2.sweep", b, sizeof(b));
	is_str(b, "n2.sweep", "a name without .json stays whole");
}

/* Three nodes, one at half speed: it is the outlier, and named with its drive. */
static void test_outlier(void)
{
	const struct gen_pt fast[] = { { PA, 1.0, 1.0 }, { PB, 1.5, 1.4 }, { PC, 1.2, 1.2 } };
	const struct gen_pt fast2[] = { { PA, 1.0, 1.1 }, { PB, 1.45, 1.5 }, { PC, 1.2, 1.3 } };
	const struct gen_pt slow[] = { { PA, 0.5, 0.5 }, { PB, 0.6, 0.7 }, { PC, 0.7, 0.7 } };
	const struct fleet_node *n3;
	json_object *j, *v;
	struct fx x;

	fx_init(&x, 0.10);
	is_int(add_node(&x, "r/n1.json", gen("libaio", "nvme0n1", true, fast, 3), NULL), 0, "n1 reads");
	is_int(add_node(&x, "r/n2.json", gen("libaio", "nvme0n1", true, fast2, 3), NULL), 0, "n2 reads");
	is_int(add_node(&x, "r/n3.json", gen("libaio", "nvme1n1", true, slow, 3), NULL), 0, "n3 reads");
	is_int(fleet_check(&x.f, x.err, sizeof(x.err)), 0, "same format, engine and kind: accepted");
	is_int(fleet_merge(&x.f), 0, "merged");
	is_int(x.f.n_compared, 3, "three nodes compared");
	is_int(x.f.n_common, 3, "on three common points");
	is_int(x.f.n_left, 0, "none left out");
	is_int(x.f.ops, DSAIO_OPS_BOTH, "reads and writes");
	n3 = node(&x, "n3");
	ok(n3 && n3->outlier, "the node at half speed is an outlier");
	ok(!node(&x, "n1")->outlier && !node(&x, "n2")->outlier, "the others are not");
	is_int(x.f.n_outliers, 1, "one outlier");
	is_dbl(n3->best_gbs, 1.4, "n3's best is its own best point (C: 0.7 + 0.7)");
	is_int(n3->best, 2, "... at C");
	is_int(node(&x, "n1")->best, 1, "n1's best is B");
	is_dbl(x.f.best.median, 2.9, "median of the bests (2.9, 2.95, 1.4)");
	ok(n3->below_median > 0.5 && n3->below_median < 0.52, "n3 is 52 %% below the median");
	/* B is in every tie set (n3's: B 1.3 and C 1.4); C only in n3's */
	ok(picked(&x) && picked(&x)->block_size == 8 << 20 && picked(&x)->queue_depth == 32,
	   "the fleet's point is B, in the tie sets of the most nodes");
	is_int(x.f.common[x.f.pick].n_tied, 3, "... all three");
	is_dbl(x.f.common[x.f.pick].min_gbs, 1.3, "its slowest node: n3 at 1.3");
	ok(n3->have_pick, "n3 measured the fleet's point");
	is_dbl(n3->pick_gbs, 1.3, "n3's speed there");
	is_dbl(x.f.at_pick_read.median, 1.45, "median read at the fleet's point");

	j = fleet_report_json(&x.f, false);
	ok(j && json_object_object_get_ex(j, "outliers", &v) &&
	   json_object_array_length(v) == 1 &&
	   !strcmp(json_object_get_string(json_object_array_get_idx(v, 0)), "n3"),
	   "JSON: outliers [\"n3\"]");
	ok(j && json_object_object_get_ex(j, "optimal", &v) &&
	   json_object_object_get_ex(v, "aio", &v) &&
	   json_object_object_get_ex(v, "block_size", &v) &&
	   json_object_get_int64(v) == 8 << 20, "JSON: the fleet's aio block is B's");
	json_object_put(j);

	{
		char *buf = NULL;
		size_t len = 0;
		FILE *m = open_memstream(&buf, &len);

		is_int(fleet_chart_script(m, &x.f, "out.png", 800, 400), 0, "chart script written");
		fclose(m);
		ok(buf && strstr(buf, "set output \"out.png\""), "chart: to the file asked");
		ok(buf && strstr(buf, "\"n3\" 1.400000 1.300000 \"outlier\""),
		   "chart: n3's best, its speed at the fleet point, tagged outlier");
		ok(buf && strstr(buf, "\"n1\" 2.900000 2.900000 \"\""), "chart: n1 untagged");
		ok(buf && strstr(buf, "threshold = 2.610000"), "chart: the threshold is median x (1 - noise)");
		free(buf);
	}
	fx_free(&x);

	/* With 60 % of noise nobody is an outlier. */
	fx_init(&x, 0.60);
	add_node(&x, "n1.json", gen("libaio", "nvme0n1", true, fast, 3), NULL);
	add_node(&x, "n2.json", gen("libaio", "nvme0n1", true, fast2, 3), NULL);
	add_node(&x, "n3.json", gen("libaio", "nvme1n1", true, slow, 3), NULL);
	fleet_merge(&x.f);
	is_int(x.f.n_outliers, 0, "noise 60 %%: 52 %% below is no outlier");
	/* every point in every tie set: the slowest node decides (n3: C 1.4) */
	ok(picked(&x) && picked(&x)->queue_depth == 128,
	   "noise 60 %%: all tied, the point whose slowest node is fastest (C)");
	fx_free(&x);
}

/* Mixed grids and failed points: only the common points compete. */
static void test_mixed_grid(void)
{
	const struct gen_pt full[] = { { PA, 1.0, 1.0 }, { PB, 2.0, 2.0 }, { PC, 1.5, 1.5 } };
	const struct gen_pt no_b[] = { { PA, 1.0, 1.0 }, { PC, 1.4, 1.4 } };
	const struct gen_pt c_fails[] = { { PA, 1.0, 1.0 }, { PB, 2.0, 2.0 }, { PC, -1, 1.5 } };
	struct fx x;

	fx_init(&x, 0.10);
	add_node(&x, "n1.json", gen("libaio", "nvme0n1", true, full, 3), NULL);
	add_node(&x, "n2.json", gen("libaio", "nvme0n1", true, no_b, 2), NULL);
	add_node(&x, "n3.json", gen("libaio", "nvme0n1", true, c_fails, 3), NULL);
	is_int(fleet_check(&x.f, x.err, sizeof(x.err)), 0, "mixed grids: accepted");
	is_int(fleet_merge(&x.f), 0, "merged");
	is_int(x.f.n_common, 1, "one point (A) is complete on every node");
	is_int(x.f.n_left, 2, "B and C are left out");
	ok(x.f.n_left == 2 && strstr(x.f.left[0].why, "not measured on n2") &&
	   x.f.left[0].params.block_size == 8 << 20 && x.f.left[0].params.queue_depth == 32,
	   "B: not measured on n2 (%s)", x.f.n_left ? x.f.left[0].why : "");
	ok(x.f.n_left == 2 && strstr(x.f.left[1].why, "failed on n3 (read: job FAILED)"),
	   "C: failed on n3, with its reason (%s)", x.f.n_left > 1 ? x.f.left[1].why : "");
	is_dbl(node(&x, "n1")->best_gbs, 2.0, "n1's best among common points is A, not B");
	ok(strstr(x.f.notes, "Only the 1 point(s)"), "a note says only common points are compared");
	ok(picked(&x) && picked(&x)->block_size == 1 << 20, "the fleet's point is A");
	fx_free(&x);

	/* Many nodes lack a point: the first few named, the rest counted. */
	fx_init(&x, 0.10);
	add_node(&x, "n1.json", gen("libaio", "nvme0n1", true, full, 3), NULL);
	{
		int k;

		for (k = 2; k <= 7; k++) {
			char name[16];

			snprintf(name, sizeof(name), "n%d.json", k);
			add_node(&x, name, gen("libaio", "nvme0n1", true, no_b, 2), NULL);
		}
	}
	{
		json_object *d = gen("libaio", "nvme0n1", true, full, 3);

		json_object_object_add(d, "io_size", json_object_new_int64(16 << 20));
		add_node(&x, "n8.json", d, NULL);
	}
	fleet_merge(&x.f);
	ok(x.f.n_left == 1 && strstr(x.f.left[0].why, "not measured on n5; and 2 more node(s)"),
	   "six nodes lack B: four named, two counted (%s)", x.f.n_left ? x.f.left[0].why : "");
	if (!ok(strstr(x.f.notes, "n1 8M x 1 on ext4, but n8 16M x 1 on ext4."),
		"a node that measured another io_size is noted"))
		printf("#   notes: %.*s\n", (int)strcspn(x.f.notes, "\n"), x.f.notes);
	fx_free(&x);

	/* Disjoint grids: nothing to compare, no block. */
	fx_init(&x, 0.10);
	add_node(&x, "n1.json", gen("libaio", "nvme0n1", true, full, 1), NULL);
	add_node(&x, "n2.json", gen("libaio", "nvme0n1", true, full + 1, 1), NULL);
	fleet_merge(&x.f);
	is_int(x.f.n_common, 0, "disjoint grids: no common point");
	is_int(x.f.pick, -1, "... and no fleet point");
	ok(!node(&x, "n1")->outlier, "... and no outlier");
	fx_free(&x);
}

/* Missing, partial and failed nodes are shown, never compared. */
static void test_robust(void)
{
	const struct gen_pt full[] = { { PA, 1.0, 1.0 }, { PB, 2.0, 2.0 } };
	const struct gen_pt all_fail[] = { { PA, -1, -1 }, { PB, -1, 2.0 } };
	const struct gen_pt reads_only[] = { { PA, 1.0, -2 }, { PB, 2.0, -2 } };
	struct fleet_node *nr;
	json_object *doc;
	struct fx x;
	size_t i;

	fx_init(&x, 0.10);
	add_node(&x, "n1.json", gen("libaio", "nvme0n1", true, full, 2), NULL);
	add_node(&x, "n2.json", gen("libaio", "nvme0n1", true, full, 2), NULL);
	add_node(&x, "n3.json", gen("libaio", "nvme0n1", false, full, 2), NULL);
	add_node(&x, "n4.json", gen("libaio", "nvme0n1", true, all_fail, 2), NULL);
	/* reads only: -2 is "not measured", not a failure */
	doc = gen("libaio", "nvme0n1", true, reads_only, 2);
	{
		json_object *pts, *ex;

		json_object_object_get_ex(doc, "points", &pts);
		json_object_object_get_ex(doc, "excluded", &ex);
		json_object_array_del_idx(ex, 0, json_object_array_length(ex));
		for (i = json_object_array_length(pts); i-- > 0;) {
			json_object *op;

			json_object_object_get_ex(json_object_array_get_idx(pts, i), "op", &op);
			if (strcmp(json_object_get_string(op), "read"))
				json_object_array_del_idx(pts, i, 1);
		}
	}
	add_node(&x, "n5.json", doc, NULL);
	nr = &x.nodes[x.f.n_nodes++];
	snprintf(nr->name, sizeof(nr->name), "n6");
	fleet_node_missing(nr, "no summary: No such file or directory");
	is_int(fleet_check(&x.f, x.err, sizeof(x.err)), 0, "missing, partial, failed: accepted (%s)", x.err);
	is_int(fleet_merge(&x.f), 0, "merged");
	is_int(x.f.n_compared, 2, "two nodes compared");
	is_int(node(&x, "n3")->state, FLEET_NODE_PARTIAL, "a sweep stopped midway is partial");
	ok(strstr(node(&x, "n3")->why, "stopped midway"), "... and says so");
	ok(node(&x, "n3")->have_pick && node(&x, "n3")->pick_gbs == 4.0,
	   "... its speed at the fleet's point is shown, it measured it");
	is_int(node(&x, "n4")->state, FLEET_NODE_FAILED, "a node with no complete point failed");
	ok(strstr(node(&x, "n4")->why, "no point measured completely"), "... and says so (%s)",
	   node(&x, "n4")->why);
	is_int(node(&x, "n5")->state, FLEET_NODE_FAILED, "a node that measured reads only is not compared");
	ok(strstr(node(&x, "n5")->why, "reads only"), "... and says so (%s)", node(&x, "n5")->why);
	is_int(node(&x, "n6")->state, FLEET_NODE_MISSING, "a node without a file is missing");
	is_int(x.f.n_missing, 1, "one missing");
	is_int(x.f.n_common, 2, "the compared nodes' points are all common");
	ok(picked(&x) && picked(&x)->block_size == 8 << 20, "the fleet's point is B");
	is_int(x.f.n_outliers, 0, "no outlier among two equal nodes");
	fx_free(&x);
}

/* Ties: the worst node, then the median, then the least pinned memory. */
static void test_ties(void)
{
	const struct gen_pt n1[] = { { PA, 1.0, 1.0 }, { PB, 0.99, 1.0 }, { PC, 0.98, 1.0 } };
	const struct gen_pt n2[] = { { PA, 0.9, 1.0 }, { PB, 1.0, 1.0 }, { PC, 1.0, 0.97 } };
	const struct gen_pt eq[] = { { PA, 1.0, 1.0 }, { PB, 1.0, 1.0 }, { PC, 1.0, 1.0 } };
	struct fx x;

	fx_init(&x, 0.10);
	add_node(&x, "n1.json", gen("libaio", "d", true, n1, 3), NULL);
	add_node(&x, "n2.json", gen("libaio", "d", true, n2, 3), NULL);
	fleet_merge(&x.f);
	is_int(x.f.common[0].n_tied + x.f.common[1].n_tied + x.f.common[2].n_tied, 6,
	       "every point is in both tie sets");
	/* slowest node: A 1.9, B 1.99, C 1.97 */
	ok(picked(&x) && picked(&x)->block_size == 8 << 20 && picked(&x)->queue_depth == 32,
	   "tied everywhere: the point whose slowest node is fastest (B)");
	fx_free(&x);

	fx_init(&x, 0.10);
	add_node(&x, "n1.json", gen("libaio", "d", true, eq, 3), NULL);
	add_node(&x, "n2.json", gen("libaio", "d", true, eq, 3), NULL);
	fleet_merge(&x.f);
	ok(picked(&x) && picked(&x)->block_size == 1 << 20,
	   "equal everywhere: the least pinned memory (A: 1M x 32 x 1)");
	fx_free(&x);

	/* A sharp node: only its best is in its tie set. */
	fx_init(&x, 0.0);
	add_node(&x, "n1.json", gen("libaio", "d", true, n1, 3), NULL);
	add_node(&x, "n2.json", gen("libaio", "d", true, n2, 3), NULL);
	fleet_merge(&x.f);
	is_int(x.f.common[x.f.pick].n_tied, 1, "noise 0: each node ties with its best only");
	/* A (n1's best) has slowest 1.9; B (n2's best) 1.99 */
	ok(picked(&x) && picked(&x)->block_size == 8 << 20 && picked(&x)->queue_depth == 32,
	   "noise 0: between the two nodes' bests, the faster slowest node (B)");
	fx_free(&x);
}

/* What cannot be compared is refused, with the files named. */
static void test_refused(void)
{
	const struct gen_pt g[] = { { PA, 1.0, 1.0 } };
	json_object *doc, *pt;
	struct fx x;

	fx_init(&x, 0.10);
	add_node(&x, "n1.json", gen("libaio", "d", true, g, 1), NULL);
	doc = gen("libaio", "d", true, g, 1);
	json_object_object_add(doc, "targets", json_object_new_array());
	add_node(&x, "n2.json", doc, NULL);
	ok(fleet_check(&x.f, x.err, sizeof(x.err)) &&
	   strstr(x.err, "different dsaio versions") && strstr(x.err, "\"targets\""),
	   "a new top-level key: another dsaio version, refused (%s)", x.err);
	fx_free(&x);

	fx_init(&x, 0.10);
	add_node(&x, "n1.json", gen("libaio", "d", true, g, 1), NULL);
	doc = gen("libaio", "d", true, g, 1);
	json_object_object_get_ex(doc, "points", &pt);
	json_object_object_del(json_object_array_get_idx(pt, 0), "log");
	json_object_object_del(json_object_array_get_idx(pt, 1), "log");
	add_node(&x, "n2.json", doc, NULL);
	ok(fleet_check(&x.f, x.err, sizeof(x.err)) && strstr(x.err, "n1.json has the key \"log\""),
	   "a point key gone: refused (%s)", x.err);
	fx_free(&x);

	/* A node whose every run failed has no point keys: same format. */
	fx_init(&x, 0.10);
	add_node(&x, "n1.json", gen("libaio", "d", true, g, 1), NULL);
	{
		const struct gen_pt bad[] = { { PA, -1, -1 } };

		add_node(&x, "n2.json", gen("libaio", "d", true, bad, 1), NULL);
	}
	is_int(fleet_check(&x.f, x.err, sizeof(x.err)), 0,
	       "a node without points is no other format (%s)", x.err);
	fx_free(&x);

	fx_init(&x, 0.10);
	add_node(&x, "n1.json", gen("libaio", "d", true, g, 1), NULL);
	doc = gen("libaio", "d", true, g, 1);
	json_object_object_add(doc, "dsaio_version", json_object_new_string("0.2.0"));
	add_node(&x, "n2.json", doc, NULL);
	ok(fleet_check(&x.f, x.err, sizeof(x.err)) && strstr(x.err, "different dsaio versions"),
	   "a version key on one only: refused (%s)", x.err);
	fx_free(&x);

	/* Same keys, another "format" (sweep's SWEEP_SUMMARY_FORMAT). */
	fx_init(&x, 0.10);
	doc = gen("libaio", "d", true, g, 1);
	json_object_object_add(doc, "format", json_object_new_string("dsaio-sweep-1"));
	add_node(&x, "n1.json", doc, NULL);
	doc = gen("libaio", "d", true, g, 1);
	json_object_object_add(doc, "format", json_object_new_string("dsaio-sweep-2"));
	add_node(&x, "n2.json", doc, NULL);
	ok(fleet_check(&x.f, x.err, sizeof(x.err)) &&
	   strstr(x.err, "different dsaio versions (dsaio-sweep-1, dsaio-sweep-2)"),
	   "another format, same keys: refused (%s)", x.err);
	fx_free(&x);

	fx_init(&x, 0.10);
	add_node(&x, "n1.json", gen("libaio", "d", true, g, 1), NULL);
	add_node(&x, "n2.json", gen("io_uring", "d", true, g, 1), NULL);
	ok(fleet_check(&x.f, x.err, sizeof(x.err)) && strstr(x.err, "libaio engine and n2.json with io_uring"),
	   "two engines: refused (%s)", x.err);
	fx_free(&x);

	fx_init(&x, 0.10);
	add_node(&x, "a/n1.json", gen("libaio", "d", true, g, 1), NULL);
	add_node(&x, "b/n1.json", gen("libaio", "d", true, g, 1), NULL);
	ok(fleet_check(&x.f, x.err, sizeof(x.err)) && strstr(x.err, "both node n1"),
	   "two files of one node: refused (%s)", x.err);
	fx_free(&x);

	fx_init(&x, 0.10);
	doc = gen("libaio", "d", true, g, 1);
	json_object_object_del(doc, "complete");
	ok(add_node(&x, "n1.json", doc, NULL) && strstr(x.err, "no boolean \"complete\""),
	   "not a sweep summary: said which key (%s)", x.err);
	doc = json_object_new_array();
	ok(add_node(&x, "n2.json", doc, NULL) && strstr(x.err, "not a JSON object"),
	   "an array: not a summary (%s)", x.err);
	doc = gen("libaio", "d", true, g, 1);
	ok(add_node(&x, "n3.json", doc, "io_uring") && strstr(x.err, "not io_uring"),
	   "--engine io_uring on a libaio summary: refused (%s)", x.err);
	fx_free(&x);
}

/* sweep --engines summaries: one engine's summary is taken. */
static void test_combined(void)
{
	const struct gen_pt g[] = { { PA, 1.0, 1.0 } };
	json_object *comb, *per;
	struct fx x;

	comb = json_object_new_object();
	per = json_object_new_object();
	json_object_object_add(per, "libaio", gen("libaio", "d", true, g, 1));
	json_object_object_add(per, "io_uring", gen("io_uring", "d", true, g, 1));
	json_object_object_add(comb, "per_engine", per);
	json_object_object_add(comb, "optimal_engine", json_object_new_string("libaio"));
	fx_init(&x, 0.10);
	is_int(add_node(&x, "n1.json", json_object_get(comb), NULL), 0, "an --engines summary reads");
	is_str(x.nodes[0].engine, "libaio", "... its optimal_engine's by default");
	is_int(add_node(&x, "n2.json", json_object_get(comb), "io_uring"), 0, "--engine io_uring");
	is_str(x.nodes[1].engine, "io_uring", "... that one's");
	ok(add_node(&x, "n3.json", json_object_get(comb), "kernel") && strstr(x.err, "without the engine kernel"),
	   "an engine it lacks: said (%s)", x.err);
	fx_free(&x);
	json_object_put(comb);
}

int main(void)
{
	test_names();
	test_outlier();
	test_mixed_grid();
	test_robust();
	test_ties();
	test_refused();
	test_combined();
	return done();
}
