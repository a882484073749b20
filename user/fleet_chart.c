// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The gnuplot script of the fleet chart (fleet_chart.h). The data go in
 * a here-document data block ($fleet), so one script on gnuplot's stdin
 * is all it takes: no temporary data file to clean up.
 */
#include <stdio.h>
#include <string.h>

#include "fleet_chart.h"
#include "optimum.h"

bool fleet_chart_path_ok(const char *path)
{
	/* quotes of gnuplot's string and of the shell's log name */
	return path[0] && !strpbrk(path, "\"'\\\n`");
}

/* A node name as a gnuplot string: quotes, backslashes, newlines and
 * backquotes (gnuplot's command substitution) left out. */
static void quoted(FILE *out, const char *s)
{
	fputc('"', out);
	for (; *s; s++)
		if (!strchr("\"\\\n`", *s))
			fputc(*s, out);
	fputc('"', out);
}

/* What is written over a node's bars: "" for a node in line. */
static const char *tag(const struct fleet_node *n)
{
	if (n->outlier)
		return "outlier";
	return n->state == FLEET_NODE_OK ? "" : fleet_state_name(n->state);
}

int fleet_chart_script(FILE *out, const struct fleet *f, const char *png,
		       unsigned int width, unsigned int height)
{
	const char *ops = f->ops == DSAIO_OPS_BOTH ? "read + write" :
		f->ops == DSAIO_OP_BIT(OP_READ) ? "read" : "write";
	double threshold = f->best.median * (1 - f->noise);
	size_t i;

	fprintf(out, "set terminal pngcairo size %u,%u noenhanced font \"sans,10\"\n",
		width, height);
	fprintf(out, "set output \"%s\"\n", png);
	fprintf(out, "set title \"dsaio fleet: %zu node(s), %zu compared on %zu grid point(s); %s E2E, noise %.0f %%\"\n",
		f->n_nodes, f->n_compared, f->n_common, ops, 100 * f->noise);
	fprintf(out, "set ylabel \"%s E2E GB/s (GB = 2^30)\"\n", ops);
	fprintf(out, "set style data histograms\n"
		"set style histogram clustered gap 1\n"
		"set style fill solid 0.8 border -1\n"
		"set boxwidth 0.9\n"
		"set yrange [0:*]\n"
		"set xrange [-0.6:%zu.6]\n"
		"set grid ytics\n"
		"set key outside bottom center horizontal\n",
		f->n_nodes ? f->n_nodes - 1 : 0);
	if (f->n_nodes > 8)
		fprintf(out, "set xtics rotate by -45\n");
	fprintf(out, "$fleet << EOD\n");
	for (i = 0; i < f->n_nodes; i++) {
		const struct fleet_node *n = &f->nodes[i];

		quoted(out, n->name);
		fprintf(out, " %.6f %.6f ", n->best >= 0 ? n->best_gbs : 0,
			n->have_pick ? n->pick_gbs : 0);
		quoted(out, tag(n));
		fputc('\n', out);
	}
	fprintf(out, "EOD\n");
	fprintf(out, "median = %.6f\nthreshold = %.6f\n", f->best.median, threshold);
	fprintf(out, "plot $fleet using 2:xtic(1) title \"own best\" lc rgb \"#4477aa\", \\\n"
		"     '' using 3 title \"at the fleet's point\" lc rgb \"#66ccee\", \\\n"
		"     median with lines dt 2 lw 2 lc rgb \"#228833\" title \"median of the bests\", \\\n"
		"     threshold with lines dt 3 lw 2 lc rgb \"#ee6677\" title \"median - noise: outlier below\", \\\n"
		"     '' using 0:($2 > $3 ? $2 : $3):4 with labels offset 0,1 tc rgb \"#ee6677\" notitle\n");
	return ferror(out) ? -1 : 0;
}
