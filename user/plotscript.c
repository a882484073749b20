// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The gnuplot script of `dsaio-user plot` (plotscript.h). The data goes
 * inline as datablocks ($name << EOD), so one pipe carries everything and
 * no data file is left behind. Cells are boxes (boxxyerror), not an image
 * plot, so a grid point that failed or was never in the grid is a grey or
 * empty cell rather than an interpolated colour.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include "plotscript.h"
#include "units.h"

/* Pixels: a heatmap panel's frame, per cell, and the image's title. */
enum {
	PANEL_W0 = 210, CELL_W = 90, PANEL_H0 = 125, CELL_H = 48, TITLE_H = 70,
	LAT_W0 = 220, LAT_POINT_W = 56, LAT_MIN_W = 900, LAT_PANEL_H = 430,
};

/* Light to mid colours, so black values stay readable in every cell. */
static const char palette[] = "(0 '#fff5eb', 1 '#fdae6b', 2 '#e6550d')";

/* The latency chart's series: key and colour. */
static const struct {
	const char *name;
	const char *colour;
} pcts[] = {
	{ "p50", "#c6dbef" }, { "p90", "#6baed6" }, { "p99", "#2171b5" },
	{ "p99.9", "#08306b" }, { "max", "#e6550d" },
};

void plot_quote(FILE *f, const char *s)
{
	fputc('\'', f);
	for (; *s; s++) {
		if (*s == '\'')
			fputc('\'', f);
		/* a newline would end the command: the path's byte as '?' */
		fputc(*s == '\n' || *s == '\r' ? '?' : *s, f);
	}
	fputc('\'', f);
}

void plot_layout(const struct plot_sweep *s, bool each_combo, struct plot_layout *l)
{
	size_t i, c, r, ibs, iqd;
	unsigned int lat_n = 0;

	memset(l, 0, sizeof(*l));
	if (s->have_op[OP_WRITE])
		l->cols[l->n_cols++] = PLOT_WRITE;
	if (s->have_op[OP_READ])
		l->cols[l->n_cols++] = PLOT_READ;
	if (s->have_op[OP_WRITE] && s->have_op[OP_READ])
		l->cols[l->n_cols++] = PLOT_RW;
	for (i = 0; i < s->n_par; i++) {
		if (!each_combo || s->n_combo == 1) {
			l->rows[l->n_rows++] = (struct plot_row){ i, s->n_combo == 1 ?
								  (int)s->combo[0] : -1 };
			continue;
		}
		for (c = 0; c < s->n_combo; c++)
			l->rows[l->n_rows++] = (struct plot_row){ i, (int)s->combo[c] };
	}
	/* one colour scale per metric over all rows: rows compare */
	for (c = 0; c < l->n_cols; c++)
		for (r = 0; r < l->n_rows; r++)
			for (ibs = 0; ibs < s->n_bs; ibs++)
				for (iqd = 0; iqd < s->n_qd; iqd++) {
					const struct plot_point *p;
					double v;

					if (plot_cell(s, l->cols[c], ibs, iqd, l->rows[r].ipar,
						      l->rows[r].combo, &v, &p) &&
					    v > l->cbmax[l->cols[c]])
						l->cbmax[l->cols[c]] = v;
				}
	l->width = (unsigned int)(l->n_cols * (PANEL_W0 + CELL_W * s->n_bs));
	l->height = (unsigned int)(TITLE_H + l->n_rows * (PANEL_H0 + CELL_H * s->n_qd));
	if (s->have_op[OP_WRITE])
		l->lat_ops[l->n_lat_ops++] = OP_WRITE;
	if (s->have_op[OP_READ])
		l->lat_ops[l->n_lat_ops++] = OP_READ;
	for (i = 0; i < l->n_lat_ops; i++) {
		unsigned int n = 0;

		for (r = 0; r < s->n_pt; r++)
			n += s->pt[r].have[l->lat_ops[i]];
		if (n > lat_n)
			lat_n = n;
	}
	l->lat_width = LAT_W0 + LAT_POINT_W * lat_n;
	if (l->lat_width < LAT_MIN_W)
		l->lat_width = LAT_MIN_W;
	l->lat_height = (unsigned int)(TITLE_H + LAT_PANEL_H * l->n_lat_ops);
}

static void describe_point(FILE *f, const struct dsaio_params *p)
{
	char bs[32];

	dsaio_format_size(p->block_size, bs, sizeof(bs));
	fprintf(f, "block_size %s, queue_depth %u, io_parallel %u", bs, p->queue_depth,
		p->io_parallel);
	fprintf(f, ", %s", plot_combo_name(plot_combo_bits(p)));
}

/* The title both images share, as one gnuplot string expression. */
static void title(FILE *f, const struct plot_sweep *s, const char *what)
{
	char io[32];

	dsaio_format_size(s->io_size, io, sizeof(io));
	fputs("'dsaio sweep of '.", f);
	plot_quote(f, s->target);
	fprintf(f, ".' (%s engine, %s per run): %s'.\"\\n\".'recommended (highest read + write E2E): ",
		s->engine, io, what);
	describe_point(f, &s->best);
	fputs("'", f);
}

static void axes(FILE *f, const struct plot_sweep *s)
{
	char bs[32];
	size_t i;

	fprintf(f, "set xrange [-0.5:%zu.5]\nset yrange [-0.5:%zu.5]\nset xtics (", s->n_bs - 1,
		s->n_qd - 1);
	for (i = 0; i < s->n_bs; i++) {
		dsaio_format_size(s->bs[i], bs, sizeof(bs));
		fprintf(f, "%s'%s' %zu", i ? ", " : "", bs, i);
	}
	fputs(")\nset ytics (", f);
	for (i = 0; i < s->n_qd; i++)
		fprintf(f, "%s'%" PRIu64 "' %zu", i ? ", " : "", s->qd[i], i);
	fputs(")\nset xlabel 'block_size'\nset ylabel 'queue_depth'\n", f);
}

/* What one panel holds: its cells, the grey ones, the recommended one. */
struct panel_rows {
	size_t n_cells, n_failed;
	bool best;
	size_t bx, by;
};

/* Is there a point of the grid at this cell of ROW (any figure or none)? */
static bool in_grid(const struct plot_sweep *s, const struct plot_row *row, size_t ibs,
		    size_t iqd)
{
	size_t i;

	for (i = 0; i < s->n_pt; i++) {
		const struct dsaio_params *q = &s->pt[i].params;

		if (q->block_size == s->bs[ibs] && q->queue_depth == s->qd[iqd] &&
		    q->io_parallel == s->par[row->ipar] &&
		    (row->combo < 0 || plot_combo_bits(q) == (unsigned int)row->combo))
			return true;
	}
	return false;
}

/*
 * One panel's cells as $hR_C: x and y index, GB/s, the combination drawn
 * (blank unless the row is the best of several), and the point's
 * parameters for the table. The grid's points with no figure here (a run
 * failed, or the other op did, for read + write) go to $eR_C.
 */
static struct panel_rows panel_data(FILE *f, const struct plot_sweep *s,
				    const struct plot_layout *l, size_t r, size_t c)
{
	const struct plot_row *row = &l->rows[r];
	struct panel_rows pr = { 0 };
	size_t ibs, iqd;

	fprintf(f, "$h%zu_%zu << EOD\n", r, c);
	for (iqd = 0; iqd < s->n_qd; iqd++)
		for (ibs = 0; ibs < s->n_bs; ibs++) {
			const struct plot_point *p;
			double v;

			if (!plot_cell(s, l->cols[c], ibs, iqd, row->ipar, row->combo, &v, &p))
				continue;
			pr.n_cells++;
			fprintf(f, "%zu %zu %.9g \"%s\" %" PRIu64 " %u %u %d %d\n", ibs, iqd, v,
				row->combo < 0 ? plot_combo_short(plot_combo_bits(&p->params)) : "",
				p->params.block_size, p->params.queue_depth, p->params.io_parallel,
				p->params.single_submit, p->params.overlap_events);
			/* best of the combinations: the cell of the recommended
			 * point is marked even where another combination won */
			if (plot_is_best(s, &p->params) ||
			    (row->combo < 0 && s->best.block_size == s->bs[ibs] &&
			     s->best.queue_depth == s->qd[iqd] &&
			     s->best.io_parallel == s->par[row->ipar])) {
				pr.best = true;
				pr.bx = ibs;
				pr.by = iqd;
			}
		}
	fputs("EOD\n", f);
	fprintf(f, "$e%zu_%zu << EOD\n", r, c);
	for (iqd = 0; iqd < s->n_qd; iqd++)
		for (ibs = 0; ibs < s->n_bs; ibs++) {
			const struct plot_point *p;
			double v;

			if (plot_cell(s, l->cols[c], ibs, iqd, row->ipar, row->combo, &v, &p) ||
			    !in_grid(s, row, ibs, iqd))
				continue;
			pr.n_failed++;
			fprintf(f, "%zu %zu\n", ibs, iqd);
		}
	fputs("EOD\n", f);
	return pr;
}

static void panel(FILE *f, const struct plot_sweep *s, const struct plot_layout *l,
		  size_t r, size_t c)
{
	const struct plot_row *row = &l->rows[r];
	enum plot_metric m = l->cols[c];
	struct panel_rows pr = panel_data(f, s, l, r, c);

	fprintf(f, "set title \"%s E2E GB/s, io_parallel %" PRIu64 "\\n%s\"\n", plot_metric_name(m),
		s->par[row->ipar], row->combo < 0 ? "the best single_submit/overlap_events per cell" :
		plot_combo_name((unsigned int)row->combo));
	fprintf(f, "set cbrange [0:%.9g]\n", l->cbmax[m] > 0 ? l->cbmax[m] : 1);
	if (pr.best)
		fprintf(f, "set object 1 rectangle from %zu-0.47,%zu-0.47 to %zu+0.47,%zu+0.47 front fs empty border lc rgb 'black' lw 4\n",
			pr.bx, pr.by, pr.bx, pr.by);
	/* gnuplot refuses a plot whose every datablock is empty */
	fputs("plot ", f);
	if (pr.n_cells)
		fprintf(f, "$h%zu_%zu using 1:2:(0.5):(0.5):3 with boxxyerror fs solid 1.0 noborder fc palette notitle, \\\n"
			"     $h%zu_%zu using 1:2:(sprintf('%%.2f', $3).(strcol(4) eq '' ? '' : \"\\n\".strcol(4))) with labels notitle",
			r, c, r, c);
	if (pr.n_failed)
		fprintf(f, "%s$e%zu_%zu using 1:2:(0.5):(0.5) with boxxyerror fs solid 1.0 noborder fc rgb '#d9d9d9' notitle, \\\n"
			"     $e%zu_%zu using 1:2:('failed') with labels tc rgb '#636363' notitle",
			pr.n_cells ? ", \\\n     " : "", r, c, r, c);
	if (!pr.n_cells && !pr.n_failed)
		fputs("NaN notitle", f);
	fputs("\nunset object 1\n", f);
}

static void terminal(FILE *f, unsigned int w, unsigned int h, const char *path)
{
	fprintf(f, "set terminal pngcairo size %u,%u font 'sans,9' noenhanced\nset output ",
		w, h);
	plot_quote(f, path);
	fputs("\n", f);
}

static void heatmaps(FILE *f, const struct plot_sweep *s, const struct plot_layout *l,
		     const char *path)
{
	size_t r, c;

	terminal(f, l->width, l->height, path);
	fprintf(f, "set palette defined %s\nset style fill solid 1.0 noborder\n", palette);
	axes(f, s);
	fprintf(f, "set multiplot layout %zu,%zu title ", l->n_rows, l->n_cols);
	title(f, s, "E2E GB/s (GB = 2^30) per block_size x queue_depth; black frame: recommended");
	fputs(" font 'sans,11'\n", f);
	for (r = 0; r < l->n_rows; r++)
		for (c = 0; c < l->n_cols; c++)
			panel(f, s, l, r, c);
	fputs("unset multiplot\n", f);
}

/* The points of OP in the heatmaps' order: io_parallel, combination,
 * block size, queue depth. */
static void latency_data(FILE *f, const struct plot_sweep *s, int op, size_t k)
{
	size_t ip, c, ib, iq, i;

	fprintf(f, "$lat%zu << EOD\n", k);
	for (ip = 0; ip < s->n_par; ip++)
		for (c = 0; c < s->n_combo; c++)
			for (ib = 0; ib < s->n_bs; ib++)
				for (iq = 0; iq < s->n_qd; iq++)
					for (i = 0; i < s->n_pt; i++) {
						const struct plot_point *p = &s->pt[i];
						const struct dsaio_percentiles *q = &p->lat[op];
						char bs[32];

						if (!p->have[op] || p->params.block_size != s->bs[ib] ||
						    p->params.queue_depth != s->qd[iq] ||
						    p->params.io_parallel != s->par[ip] ||
						    plot_combo_bits(&p->params) != s->combo[c])
							continue;
						dsaio_format_size(p->params.block_size, bs, sizeof(bs));
						fprintf(f, "\"%s%s qd%u p%u%s%s\" %.3f %.3f %.3f %.3f %.3f\n",
							plot_is_best(s, &p->params) ? "* " : "", bs,
							p->params.queue_depth, p->params.io_parallel,
							s->n_combo > 1 ? " " : "",
							s->n_combo > 1 ? plot_combo_short(s->combo[c]) : "",
							q->p50 / 1e3, q->p90 / 1e3, q->p99 / 1e3,
							q->p999 / 1e3, q->max / 1e3);
					}
	fputs("EOD\n", f);
}

static void latency(FILE *f, const struct plot_sweep *s, const struct plot_layout *l,
		    const char *path)
{
	size_t k, i;

	fputs("reset\n", f);
	terminal(f, l->lat_width, l->lat_height, path);
	for (k = 0; k < l->n_lat_ops; k++)
		latency_data(f, s, l->lat_ops[k], k);
	fputs("set style data histogram\nset style histogram clustered gap 1\n"
	      "set style fill solid 1.0 border -1\nset boxwidth 0.9\n"
	      "set logscale y\nset format y '%g'\nset grid ytics\n"
	      "set ylabel 'latency, submit to completion (us, log scale)'\n"
	      "set xtics rotate by 40 right scale 0\nset key outside right top\n", f);
	fprintf(f, "set multiplot layout %zu,1 title ", l->n_lat_ops);
	title(f, s, "latency percentiles per point (* recommended)");
	fputs(" font 'sans,11'\n", f);
	for (k = 0; k < l->n_lat_ops; k++) {
		fprintf(f, "set title '%s: p50, p90, p99, p99.9 and max of every request'\nplot ",
			l->lat_ops[k] == OP_WRITE ? "write" : "read");
		for (i = 0; i < sizeof(pcts) / sizeof(pcts[0]); i++)
			fprintf(f, "%s$lat%zu using %zu%s title '%s' lc rgb '%s'", i ? ", " : "", k,
				i + 2, i ? "" : ":xtic(1)", pcts[i].name, pcts[i].colour);
		fputs("\n", f);
	}
	fputs("unset multiplot\n", f);
}

/* The values gnuplot read, as it read them: what the images show. */
static void table(FILE *f, const struct plot_layout *l, const char *path)
{
	size_t r, c, k;

	fputs("set table ", f);
	plot_quote(f, path);
	fputs("\n", f);
	for (r = 0; r < l->n_rows; r++)
		for (c = 0; c < l->n_cols; c++)
			fprintf(f, "plot $h%zu_%zu using ('heatmap'):('%s'):(strcol(5)):(strcol(6)):(strcol(7)):(strcol(8)):(strcol(9)):(sprintf('%%.9g', $3)):(strcol(4)) with table\n",
				r, c, l->cols[c] == PLOT_RW ? "rw" : plot_metric_name(l->cols[c]));
	for (k = 0; k < l->n_lat_ops; k++)
		fprintf(f, "plot $lat%zu using ('latency'):('%s'):(strcol(1)):(strcol(2)):(strcol(3)):(strcol(4)):(strcol(5)):(strcol(6)) with table\n",
			k, l->lat_ops[k] == OP_WRITE ? "write" : "read");
	fputs("unset table\n", f);
}

int plot_script(FILE *f, const struct plot_sweep *s, const struct plot_layout *l,
		const struct plot_files *out)
{
	fputs("# dsaio-user plot: E2E GB/s heatmaps, then latency percentiles\n", f);
	heatmaps(f, s, l, out->heatmap);
	latency(f, s, l, out->latency);
	fputs("set output\n", f);
	if (out->table)
		table(f, l, out->table);
	return fflush(f) || ferror(f) ? -1 : 0;
}
