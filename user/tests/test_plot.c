// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * dsaio-user plot's data preparation: a sweep summary read back (axes,
 * points, excluded, the recommended one, --engines summaries), what is
 * refused and in which words, the heatmap cells (best of the
 * combinations, read + write only at complete points), the layout and
 * the gnuplot script with its inline data.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <json-c/json.h>

#include "tap.h"
#include "plotdata.h"
#include "plotscript.h"

static json_object *point(const char *op, long long bs, int qd, int par, bool ss,
			  bool oe, double gbs, long long p50)
{
	json_object *o = json_object_new_object(), *l = json_object_new_object();

	json_object_object_add(o, "op", json_object_new_string(op));
	json_object_object_add(o, "block_size", json_object_new_int64(bs));
	json_object_object_add(o, "queue_depth", json_object_new_int(qd));
	json_object_object_add(o, "io_parallel", json_object_new_int(par));
	json_object_object_add(o, "single_submit", json_object_new_boolean(ss));
	json_object_object_add(o, "overlap_events", json_object_new_boolean(oe));
	json_object_object_add(o, "e2e_speed_gbs", json_object_new_double(gbs));
	json_object_object_add(l, "p50", json_object_new_int64(p50));
	json_object_object_add(l, "p90", json_object_new_int64(p50 * 2));
	json_object_object_add(l, "p99", json_object_new_int64(p50 * 3));
	json_object_object_add(l, "p99.9", json_object_new_int64(p50 * 4));
	json_object_object_add(l, "max", json_object_new_int64(p50 * 5));
	json_object_object_add(o, "latency_ns", l);
	return o;
}

static json_object *aio(long long bs, int qd, const char *par_key, int par, bool ss, bool oe)
{
	json_object *o = json_object_new_object(), *a = json_object_new_object();

	json_object_object_add(a, "block_size", json_object_new_int64(bs));
	json_object_object_add(a, "queue_depth", json_object_new_int(qd));
	json_object_object_add(a, par_key, json_object_new_int(par));
	json_object_object_add(a, "single_submit", json_object_new_boolean(ss));
	json_object_object_add(a, "overlap_events", json_object_new_boolean(oe));
	json_object_object_add(o, "aio", a);
	return o;
}

#define K128 131072LL
#define M1 1048576LL

/*
 * The grid: block_size 1M, 128K (in that order, to be sorted) x
 * queue_depth 32, 4 x io_parallel 1 x block/overlap and single/overlap;
 * the (128K, 4, single) point's read failed, so it is excluded. Best:
 * 1M, 32, 1, block, overlap.
 */
static json_object *summary(void)
{
	json_object *o = json_object_new_object(), *pts = json_object_new_array();
	json_object *ex = json_object_new_array(), *e;
	static const long long bs[2] = { M1, K128 };
	static const int qd[2] = { 32, 4 };
	int i, j, k, op;

	json_object_object_add(o, "engine", json_object_new_string("libaio"));
	json_object_object_add(o, "dir", json_object_new_string("/mnt/it's"));
	json_object_object_add(o, "io_size", json_object_new_int64(16 * M1));
	for (op = 0; op < 2; op++)
		for (i = 0; i < 2; i++)
			for (j = 0; j < 2; j++)
				for (k = 0; k < 2; k++) {
					/* write 1.x, read 2.x; single submit +0.5 on
					 * writes, -0.5 on reads */
					double v = (op ? 2.0 : 1.0) + (i ? 0 : 0.25) + (j ? 0 : 0.125) +
						   (k ? (op ? -0.5 : 0.5) : 0);

					if (op && i == 1 && j == 1 && k == 1)
						continue;	/* the failed read */
					json_object_array_add(pts, point(op ? "read" : "write", bs[i],
									 qd[j], 1, k, true, v,
									 1000 * (i + 1)));
				}
	e = json_object_new_object();
	json_object_object_add(e, "block_size", json_object_new_int64(K128));
	json_object_object_add(e, "queue_depth", json_object_new_int(4));
	json_object_object_add(e, "io_parallel", json_object_new_int(1));
	json_object_object_add(e, "single_submit", json_object_new_boolean(true));
	json_object_object_add(e, "overlap_events", json_object_new_boolean(true));
	json_object_object_add(e, "reason", json_object_new_string("read: failed"));
	json_object_array_add(ex, e);
	json_object_object_add(o, "points", pts);
	json_object_object_add(o, "excluded", ex);
	json_object_object_add(o, "optimal", aio(M1, 32, "intra_op_parallelism", 1, false, true));
	return o;
}

static void test_read(void)
{
	json_object *o = summary();
	struct plot_sweep s;
	char err[256] = "";
	size_t i, n_ex = 0;

	is_int(plot_sweep_read(o, NULL, &s, err, sizeof(err)), 0, "a one-engine summary reads");
	is_str(s.engine, "libaio", "its engine");
	is_str(s.target, "a file in /mnt/it's", "its target, in words");
	is_int(s.n_pt, 8, "8 grid points (2 bs x 2 qd x 2 combinations)");
	is_int(s.n_bs, 2, "two block sizes");
	ok(s.bs[0] == K128 && s.bs[1] == M1, "block sizes ascending");
	ok(s.n_qd == 2 && s.qd[0] == 4 && s.qd[1] == 32, "queue depths ascending");
	ok(s.n_par == 1 && s.par[0] == 1, "one io_parallel");
	ok(s.n_combo == 2 && s.combo[0] == 0 && s.combo[1] == 2,
	   "combinations: block/overlap, then single/overlap");
	ok(s.have_op[OP_READ] && s.have_op[OP_WRITE], "both ops measured");
	ok(s.have_best && s.best.block_size == M1 && s.best.queue_depth == 32 &&
	   s.best.io_parallel == 1 && !s.best.single_submit && s.best.overlap_events,
	   "the recommended point from \"optimal\"");
	for (i = 0; i < s.n_pt; i++)
		n_ex += s.pt[i].excluded;
	is_int(n_ex, 1, "one point excluded");
	is_int(plot_sweep_check(&s, err, sizeof(err)), 0, "it can be drawn");
	plot_sweep_free(&s);
	json_object_put(o);
}

static void test_cells(void)
{
	json_object *o = summary();
	const struct plot_point *p = NULL;
	struct plot_sweep s;
	char err[256];
	double v = -1;

	plot_sweep_read(o, NULL, &s, err, sizeof(err));
	/* 1M (ibs 1), qd 32 (iqd 1): write 1.375 block, 1.875 single */
	ok(plot_cell(&s, PLOT_WRITE, 1, 1, 0, -1, &v, &p) && v == 1.875 && p->params.single_submit,
	   "best write of the combinations: single submit, 1.875");
	ok(plot_cell(&s, PLOT_WRITE, 1, 1, 0, 0, &v, &p) && v == 1.375 && !p->params.single_submit,
	   "one combination: block submit's write, 1.375");
	ok(plot_cell(&s, PLOT_READ, 1, 1, 0, -1, &v, &p) && v == 2.375 && !p->params.single_submit,
	   "best read of the combinations: block submit, 2.375");
	ok(plot_cell(&s, PLOT_RW, 1, 1, 0, -1, &v, &p) && v == 3.75 && !p->params.single_submit,
	   "best read + write: block and single tie at 3.75, block submit (first) wins");
	/* 128K (0), qd 4 (0): single's read failed */
	ok(plot_cell(&s, PLOT_WRITE, 0, 0, 0, 2, &v, &p) && v == 1.5,
	   "the excluded point's write is still drawn");
	ok(!plot_cell(&s, PLOT_READ, 0, 0, 0, 2, &v, &p), "its failed read is an empty cell");
	ok(!plot_cell(&s, PLOT_RW, 0, 0, 0, 2, &v, &p), "and so is its read + write");
	ok(plot_cell(&s, PLOT_RW, 0, 0, 0, -1, &v, &p) && v == 3.0 && !p->params.single_submit,
	   "best read + write there: the complete block-submit point");
	plot_sweep_free(&s);
	json_object_put(o);
}

/* Reads O and expects the refusal WANT (a substring of the sentence). */
static void refused(json_object *o, const char *engine, const char *want, const char *what)
{
	struct plot_sweep s;
	char err[256] = "";
	int r = plot_sweep_read(o, engine, &s, err, sizeof(err));

	if (!r) {
		r = plot_sweep_check(&s, err, sizeof(err));
		plot_sweep_free(&s);
	}
	if (!ok(r == -1 && strstr(err, want), "refused: %s", what))
		printf("#   got '%s', want '%s'\n", err, want);
	json_object_put(o);
}

static void test_refusals(void)
{
	json_object *o, *p;

	refused(json_object_new_array(), NULL, "not a JSON object", "an array");
	o = summary();
	json_object_object_del(o, "points");
	refused(o, NULL, "no \"points\" array", "no points");
	o = summary();
	json_object_object_del(o, "dir");
	refused(o, NULL, "no \"dir\" or \"device\"", "no target");
	o = summary();
	p = json_object_array_get_idx(json_object_object_get(o, "points"), 2);
	json_object_object_add(p, "op", json_object_new_string("trim"));
	refused(o, NULL, "point 3 has no valid \"op\"", "an unknown op");
	o = summary();
	p = json_object_array_get_idx(json_object_object_get(o, "points"), 0);
	json_object_object_del(json_object_object_get(p, "latency_ns"), "p99.9");
	refused(o, NULL, "point 1 has no valid \"latency_ns\"", "a percentile missing");
	o = summary();
	p = json_object_array_get_idx(json_object_object_get(o, "points"), 0);
	json_object_object_add(p, "queue_depth", json_object_new_string("32"));
	refused(o, NULL, "point 1 has no valid \"queue_depth\"", "a string for a number");
	o = summary();
	json_object_array_add(json_object_object_get(o, "points"),
			      point("write", M1, 32, 1, false, true, 1, 1));
	refused(o, NULL, "measures the same write as an earlier one", "a point twice");
	o = summary();
	json_object_object_del(o, "optimal");
	refused(o, NULL, "no complete point", "no recommended point");
	o = summary();
	json_object_object_add(o, "optimal", aio(4096, 32, "intra_op_parallelism", 1, false, true));
	refused(o, NULL, "not one of its points", "a recommended point outside the grid");
	o = summary();
	json_object_object_add(o, "points", json_object_new_array());
	json_object_object_add(o, "excluded", json_object_new_array());
	refused(o, NULL, "no point to draw", "no points at all");
	refused(summary(), "io_uring", "of the libaio engine, not io_uring",
		"--engine naming another engine");
}

static void test_legacy_keys(void)
{
	json_object *o = summary();
	struct plot_sweep s;
	char err[256];

	json_object_object_add(o, "optimal", aio(M1, 32, "thread_count", 1, false, true));
	ok(!plot_sweep_read(o, NULL, &s, err, sizeof(err)) && s.have_best &&
	   s.best.io_parallel == 1, "--legacy-keys: \"thread_count\" read as io_parallel");
	plot_sweep_free(&s);
	json_object_put(o);
}

static json_object *combined(const char *optimal_engine)
{
	json_object *o = json_object_new_object(), *per = json_object_new_object();
	json_object *u = summary();

	json_object_object_add(u, "engine", json_object_new_string("io_uring"));
	json_object_object_add(per, "libaio", summary());
	json_object_object_add(per, "io_uring", u);
	json_object_object_add(o, "device", json_object_new_string("/dev/nvme0n1"));
	json_object_object_add(o, "io_size", json_object_new_int64(M1));
	json_object_object_add(o, "per_engine", per);
	json_object_object_add(o, "optimal_engine", optimal_engine ?
			       json_object_new_string(optimal_engine) : NULL);
	return o;
}

static void test_combined(void)
{
	json_object *o = combined("io_uring");
	struct plot_sweep s;
	char err[256];

	ok(!plot_sweep_read(o, NULL, &s, err, sizeof(err)) && !strcmp(s.engine, "io_uring"),
	   "--engines: the recommended engine's sweep by default");
	is_str(s.target, "/dev/nvme0n1", "the combined summary's device");
	plot_sweep_free(&s);
	ok(!plot_sweep_read(o, "libaio", &s, err, sizeof(err)) && !strcmp(s.engine, "libaio"),
	   "--engines: --engine libaio picks libaio's");
	plot_sweep_free(&s);
	json_object_put(o);
	o = combined(NULL);
	ok(!plot_sweep_read(o, NULL, &s, err, sizeof(err)) && !strcmp(s.engine, "libaio"),
	   "--engines with no recommended engine: the first");
	plot_sweep_free(&s);
	json_object_put(o);
	refused(combined("libaio"), "kernel", "no engine 'kernel' (it has: libaio, io_uring)",
		"--engine not in the summary, the engines named");
}

static void test_layout(void)
{
	json_object *o = summary();
	struct plot_layout l;
	struct plot_sweep s;
	char err[256];

	plot_sweep_read(o, NULL, &s, err, sizeof(err));
	plot_layout(&s, false, &l);
	ok(l.n_cols == 3 && l.cols[0] == PLOT_WRITE && l.cols[1] == PLOT_READ &&
	   l.cols[2] == PLOT_RW, "columns: write, read, read + write");
	ok(l.n_rows == 1 && l.rows[0].combo == -1, "one row: the best of the combinations");
	is_dbl(l.cbmax[PLOT_WRITE], 1.875, "the write colour scale tops at the best write");
	is_dbl(l.cbmax[PLOT_RW], 3.75, "the read + write scale at the best sum");
	ok(l.width > 0 && l.height > 0 && l.n_lat_ops == 2, "sizes and two latency panels");
	plot_layout(&s, true, &l);
	ok(l.n_rows == 2 && l.rows[0].combo == 0 && l.rows[1].combo == 2,
	   "--each-combination: a row per combination");
	/* only writes: no read column, no sum */
	s.have_op[OP_READ] = false;
	plot_layout(&s, false, &l);
	ok(l.n_cols == 1 && l.cols[0] == PLOT_WRITE && l.n_lat_ops == 1,
	   "a sweep of writes only: one column, one latency panel");
	plot_sweep_free(&s);
	json_object_put(o);
}

static void test_script(void)
{
	json_object *o = summary();
	struct plot_files files = { "/o/it's.png", "/o/lat.png", "/o/t.txt" };
	struct plot_layout l;
	struct plot_sweep s;
	char err[256], *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	plot_sweep_read(o, NULL, &s, err, sizeof(err));
	plot_layout(&s, false, &l);
	is_int(plot_script(f, &s, &l, &files), 0, "the script is written");
	fclose(f);
	ok(strstr(buf, "set output '/o/it''s.png'\n") != NULL, "a quote in a path doubled");
	ok(strstr(buf, "set terminal pngcairo size ") != NULL, "pngcairo");
	ok(strstr(buf, "set multiplot layout 1,3 ") != NULL, "one row of three panels");
	ok(strstr(buf, "$h0_0 << EOD\n") && strstr(buf, "$h0_2 << EOD\n"), "a datablock per panel");
	ok(strstr(buf, "1 1 1.875 \"sgl+ovl\" 1048576 32 1 1 1\n") != NULL,
	   "write cell 1M qd32: the best value and its combination named");
	ok(strstr(buf, "1 1 3.75 \"blk+ovl\" 1048576 32 1 0 1\n") != NULL,
	   "read + write cell 1M qd32");
	ok(strstr(buf, "$e0_1 << EOD\n0 0\nEOD\n") == NULL,
	   "the read cell 128K qd4 is not grey: the block-submit read is there");
	ok(strstr(buf, "set object 1 rectangle from 1-0.47,1-0.47 to 1+0.47,1+0.47") != NULL,
	   "the recommended cell framed");
	ok(strstr(buf, "set xtics ('128K' 0, '1M' 1)") && strstr(buf, "set ytics ('4' 0, '32' 1)"),
	   "axes labelled with the grid's values");
	ok(strstr(buf, "\"* 1M qd32 p1 blk+ovl\" 1.000 2.000 3.000 4.000 5.000\n") &&
	   strstr(buf, "\"128K qd4 p1 blk+ovl\" 2.000 4.000 6.000 8.000 10.000\n"),
	   "the recommended point's percentiles in us, starred");
	ok(strstr(buf, "set output '/o/lat.png'") && strstr(buf, "set table '/o/t.txt'"),
	   "the latency image and the table");
	ok(strstr(buf, "with table") != NULL, "the values plotted, as a table");
	free(buf);

	/* --each-combination: the excluded point's read is a grey cell */
	buf = NULL;
	f = open_memstream(&buf, &len);
	plot_layout(&s, true, &l);
	plot_script(f, &s, &l, &files);
	fclose(f);
	ok(strstr(buf, "$e1_1 << EOD\n0 0\nEOD\n") != NULL,
	   "each combination: the failed read of 128K qd4 single is a grey cell");
	ok(strstr(buf, "set multiplot layout 2,3 ") != NULL, "two rows of three panels");
	free(buf);
	plot_sweep_free(&s);
	json_object_put(o);
}

int main(void)
{
	test_read();
	test_cells();
	test_refusals();
	test_legacy_keys();
	test_combined();
	test_layout();
	test_script();
	return done();
}
