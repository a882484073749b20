// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * sim: the search benchmark on the host. For each response surface (a
 * file of true write and read speeds per grid point, recorded from real
 * sweeps or shaped after DeepSpeed's published figures) and each noise
 * model, it runs TRIALS trials of three procedures on simulated
 * measurements and prints, for each, how often the recommended point is in
 * the true tie set, its cost as a share of the grid's bytes and its regret.
 *
 *   grid r1   every point once at the full io_size, the tool's tie rule
 *             and memory tie-break (stats.h) on the result
 *   grid r3   every point three times (three passes over the grid)
 *   adaptive  dsaio_search_run (search.h) with its defaults: a quarter of
 *             the grid's bytes
 *
 * A measurement of true speed v at io_size s takes s / v + c seconds (c:
 * the fixed cost of a run, opening and closing the target inside the timed
 * loop, as the user-space engines and DeepSpeed's handle time it), so
 * small runs read slower, and its noise grows as small runs are noisier:
 * the Gaussian part's sd is sigma x (io_size / s)^0.25.
 *
 * The true tie set is what a repeat-3 grid sweep would report were its
 * estimates exact: the points whose true read + write speed is within
 * max(margin, z x sd x sqrt(2 x (pi / 2) / 3)) of the best in ln terms
 * (the tool's test on medians of three, stats.h), sd the model's
 * per-run spread of ln(read + write) at the full io_size (1.4826 x its
 * median absolute deviation, drawn from the model) and z the normal quantile of the confidence (the
 * grid's pooled test has hundreds of degrees of freedom). "Within 5 %" is
 * the stricter, fixed yardstick.
 */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "search.h"
#include "stats.h"
#include "sweepcfg.h"
#include "sweepparam.h"
#include "units.h"

/* The grid sweep's io_size (--io-size; DeepSpeed's 2021 sweep: 400M). */
static uint64_t IO_SIZE = 400ULL << 20;
/* --queue-limit: a worker never has more requests in flight than its
 * share of the run has blocks (on by default; see queue_limited()). */
static bool queue_limit = true;
#define LOOPS		2		/* one loop after one warm-up loop */
#define RUN_OVERHEAD_S	0.003		/* c: open + close in the timed loop */
/* The Gaussian noise's sd grows as (io_size / s)^this (--size-noise). */
static double size_noise_exp = 0.25;

struct surface {
	char name[128], grid_name[64];
	struct dsaio_grid g;
	double *read, *write, *truth;	/* per grid point, GiB/s */
	bool *tie;			/* the true tie set (per model) */
	bool *within5;
	/* [n]: the point's sibling (same block size, workers and submit
	 * modes) with the next smaller queue depth, or -1. */
	long *lower_qd;
	size_t best;
	/* Recorded surfaces: the per-run sd of ln(speed) their rounds
	 * showed (0: none recorded), for the "recorded" noise model. */
	double rec_sd;
	/* The io_size its figures were recorded at (0: shaped, the grid's):
	 * they carry that size's queue limits already. */
	uint64_t rec_io;
};

/* The generator: xorshift64*, seeded per trial. */
struct rng {
	uint64_t s;
};

static double uniform(struct rng *r)
{
	r->s ^= r->s >> 12;
	r->s ^= r->s << 25;
	r->s ^= r->s >> 27;
	return (double)((r->s * 2685821657736338717ULL) >> 11) *
	       (1.0 / 9007199254740992.0);
}

static double normal(struct rng *r)
{
	double u = uniform(r), v = uniform(r);

	return sqrt(-2 * log(u > 0 ? u : 1e-300)) * cos(2 * M_PI * v);
}

/*
 * A noise model: ln of the factor a run's speed is multiplied by, given
 * the run's io_size share f (s / io_size) and the time t, in grid-sweep
 * units (bytes moved so far over the repeat-1 grid's bytes).
 */
struct noise {
	const char *name, *what;
	double (*ln_factor)(struct rng *r, double f, double t, double rec_sd);
	bool needs_record;
};

static double size_sd(double sd, double f)
{
	return sd * pow(1 / f, size_noise_exp);
}

static double n_multiplicative(struct rng *r, double f, double t, double rs)
{
	(void)t;
	(void)rs;
	return size_sd(0.10, f) * normal(r);
}

static double n_heavy(struct rng *r, double f, double t, double rs)
{
	(void)t;
	(void)rs;
	/* One run in ten slowed 1.5-2.5x by a neighbour's burst. */
	if (uniform(r) < 0.10)
		return -log(1.5 + uniform(r));
	return size_sd(0.05, f) * normal(r);
}

static double n_drift(struct rng *r, double f, double t, double rs)
{
	(void)rs;
	/* The drive slows as it heats or its SLC cache fills: 26 % slower
	 * by the end of a grid sweep, 30 % at the end of a repeat-3 one. */
	return -0.35 * (1 - exp(-t / 0.5)) + size_sd(0.05, f) * normal(r);
}

/* The recorded machine's own noise: log-normal with its measured sd. */
static double n_recorded(struct rng *r, double f, double t, double rs)
{
	(void)t;
	return size_sd(rs, f) * normal(r);
}

static const struct noise noises[] = {
	{ "multiplicative", "log-normal, sd 10 %",
	  n_multiplicative, false },
	{ "heavy-tailed", "sd 5 %, 1 run in 10 slowed 1.5-2.5x",
	  n_heavy, false },
	{ "drifting", "sd 5 %, slowing to -30 % over a grid r3",
	  n_drift, false },
	{ "recorded", "log-normal, the sd the recording's rounds showed",
	  n_recorded, true },
};

#define N_NOISES (sizeof(noises) / sizeof(noises[0]))

/* One trial's measuring machine. */
struct machine {
	const struct surface *sf;
	const struct noise *nz;
	struct rng r;
	uint64_t bytes, grid_bytes;
	bool trace;	/* print every run (--trace) */
};

/*
 * A small run's clean speed: each worker moves io / (block x workers)
 * blocks, so it never has more than that many in flight, and a queue
 * depth above it cannot show. The run goes as fast as the point's
 * sibling at that queue depth (the surface's own figure); below the
 * grid's smallest depth, in proportion (Little's law). This is what
 * makes the test VM's 8M runs rank 1M x qd 32 x 8 workers like qd 1.
 */
static double queue_limited(const struct surface *sf, const double *v,
			    size_t pt, uint64_t io)
{
	const struct dsaio_params *p = &sf->g.points[pt];
	double per = (double)p->block_size * (p->io_parallel ? p->io_parallel : 1);
	double nb = (double)io / per;
	double nb_grid = (double)(sf->rec_io && sf->rec_io < IO_SIZE ?
				  sf->rec_io : IO_SIZE) / per;
	size_t i = pt;

	/* The surface's figures are at the grid's io_size, queue limits
	 * and all: a smaller run only loses what it has fewer blocks for. */
	if (!queue_limit || nb >= nb_grid || nb >= p->queue_depth)
		return v[pt];
	while (sf->g.points[i].queue_depth > nb && sf->lower_qd[i] >= 0)
		i = (size_t)sf->lower_qd[i];
	if (sf->g.points[i].queue_depth > nb)
		return v[i] * fmax(nb, 1) / sf->g.points[i].queue_depth;
	return v[i];
}

static double measured(struct machine *m, double v, uint64_t io)
{
	double f = (double)io / (double)IO_SIZE;
	double t = (double)m->bytes / (double)m->grid_bytes;
	double gib = (double)io / (1 << 30);
	double clean = gib / (gib / v + RUN_OVERHEAD_S);

	return clean * exp(m->nz->ln_factor(&m->r, f, t, m->sf->rec_sd));
}

static int sim_measure(void *ctx, const struct dsaio_search_request *rq,
		       struct dsaio_search_sample *out)
{
	struct machine *m = ctx;
	const struct surface *sf = m->sf;

	double vw = queue_limited(sf, sf->write, rq->point, rq->io_size);
	double vr = queue_limited(sf, sf->read, rq->point, rq->io_size);

	out->write_gbs = measured(m, vw, rq->io_size);
	m->bytes += rq->io_size * LOOPS;
	out->read_gbs = measured(m, vr, rq->io_size);
	m->bytes += rq->io_size * LOOPS;
	if (m->trace) {
		const struct dsaio_params *p = rq->params;

		printf("#   round %u pass %u: %zu (%lluK, qd %u, p %u, %s, %s) at %lluM: "
		       "%.3f GB/s (true %.3f)%s\n", rq->round, rq->pass, rq->point,
		       (unsigned long long)(p->block_size >> 10), p->queue_depth,
		       p->io_parallel, p->single_submit ? "single" : "block",
		       p->overlap_events ? "overlap" : "sequential",
		       (unsigned long long)(rq->io_size >> 20),
		       out->write_gbs + out->read_gbs, sf->truth[rq->point],
		       sf->tie[rq->point] ? ", in the true tie set" : "");
	}
	out->seconds = (double)rq->io_size * LOOPS / (1 << 30) *
		       (1 / sf->write[rq->point] + 1 / sf->read[rq->point]);
	return 0;
}

static int load_surface(const char *path, const char *grids,
			struct surface *sf)
{
	char line[1024], gpath[1024], err[512];
	FILE *f = fopen(path, "r");
	size_t i, n_set = 0;
	const char *base = strrchr(path, '/');

	memset(sf, 0, sizeof(*sf));
	if (!f) {
		fprintf(stderr, "sim: cannot open %s: %s\n", path, strerror(errno));
		return -1;
	}
	snprintf(sf->name, sizeof(sf->name), "%s", base ? base + 1 : path);
	if (strrchr(sf->name, '.'))
		*strrchr(sf->name, '.') = '\0';
	/* d2(n): the expected range of n standard normal draws. */
	static const double d2[] = { 0, 0, 1.128, 1.693, 2.059, 2.326, 2.534,
				     2.704, 2.847, 2.970, 3.078 };
	double *ranges = NULL;
	size_t n_ranges = 0;
	unsigned int rounds = 0;
	uint64_t rec_io = 0;

	while (fgets(line, sizeof(line), f)) {
		unsigned long long bs;
		unsigned int qd, p;
		char ss[8], ov[8];
		double w, r, wmin, wmax, rmin, rmax;
		int got;

		if (sscanf(line, "# grid: %63s", sf->grid_name) == 1) {
			snprintf(gpath, sizeof(gpath), "%s/%s.json", grids,
				 sf->grid_name);
			if (dsaio_grid_load(gpath, &sf->g, err, sizeof(err))) {
				fprintf(stderr, "sim: %s: %s\n", path, err);
				fclose(f);
				return -1;
			}
			sf->read = calloc(sf->g.n, sizeof(double));
			sf->write = calloc(sf->g.n, sizeof(double));
			sf->truth = calloc(sf->g.n, sizeof(double));
			sf->tie = calloc(sf->g.n, sizeof(bool));
			sf->within5 = calloc(sf->g.n, sizeof(bool));
			ranges = calloc(2 * sf->g.n, sizeof(double));
			continue;
		}
		if (sscanf(line, "# %u rounds", &rounds) == 1)
			continue;
		if (strstr(line, "io_size ") && line[0] == '#') {
			char sz[32];

			if (sscanf(strstr(line, "io_size ") + 8, "%31[0-9KMG]", sz) == 1)
				dsaio_parse_size(sz, &rec_io);
		}
		if (line[0] == '#' || line[0] == '\n')
			continue;
		if (!sf->g.n) {
			fprintf(stderr, "sim: %s: a point before the "
				"\"# grid: NAME\" line\n", path);
			fclose(f);
			return -1;
		}
		got = sscanf(line, "%llu %u %u %7s %7s %lf %lf %lf %lf %lf %lf",
			     &bs, &qd, &p, ss, ov, &w, &r, &wmin, &wmax, &rmin,
			     &rmax);
		if ((got != 7 && got != 11) || w <= 0 || r <= 0) {
			fprintf(stderr, "sim: %s: cannot read the line: %s", path,
				line);
			fclose(f);
			return -1;
		}
		for (i = 0; i < sf->g.n; i++) {
			const struct dsaio_params *gp = &sf->g.points[i];

			if (gp->block_size == bs && gp->queue_depth == qd &&
			    gp->io_parallel == p &&
			    gp->single_submit == !strcmp(ss, "true") &&
			    gp->overlap_events == !strcmp(ov, "true"))
				break;
		}
		if (i == sf->g.n) {
			fprintf(stderr, "sim: %s: the point %s is not in the "
				"grid %s\n", path, line, sf->grid_name);
			fclose(f);
			return -1;
		}
		n_set += sf->write[i] == 0;
		sf->write[i] = w;
		sf->read[i] = r;
		if (got == 11 && wmin > 0 && rmin > 0 && n_ranges + 2 <= 2 * sf->g.n) {
			ranges[n_ranges++] = log(wmax / wmin);
			ranges[n_ranges++] = log(rmax / rmin);
		}
	}
	fclose(f);
	/* The median range over points and ops, over d2(rounds), at the
	 * recorded io_size; scaled to the full one as the models scale. */
	if (n_ranges && rounds >= 2 && rounds < sizeof(d2) / sizeof(d2[0]) &&
	    rec_io)
		sf->rec_sd = dsaio_median(ranges, n_ranges) / d2[rounds] *
			     pow((double)rec_io / (double)IO_SIZE, size_noise_exp);
	free(ranges);
	sf->rec_io = rec_io;
	if (!sf->g.n || n_set != sf->g.n) {
		fprintf(stderr, "sim: %s: %zu of the grid's %zu points have "
			"speeds; every point needs one\n", path, n_set, sf->g.n);
		return -1;
	}
	sf->lower_qd = calloc(sf->g.n, sizeof(long));
	for (i = 0; i < sf->g.n; i++) {
		const struct dsaio_params *a = &sf->g.points[i];
		size_t j;

		sf->lower_qd[i] = -1;
		for (j = 0; j < sf->g.n; j++) {
			const struct dsaio_params *b = &sf->g.points[j];

			if (b->block_size != a->block_size ||
			    b->io_parallel != a->io_parallel ||
			    b->single_submit != a->single_submit ||
			    b->overlap_events != a->overlap_events ||
			    b->queue_depth >= a->queue_depth)
				continue;
			if (sf->lower_qd[i] < 0 || b->queue_depth >
			    sf->g.points[sf->lower_qd[i]].queue_depth)
				sf->lower_qd[i] = (long)j;
		}
	}
	for (i = 0; i < sf->g.n; i++) {
		sf->truth[i] = sf->read[i] + sf->write[i];
		if (sf->truth[i] > sf->truth[sf->best])
			sf->best = i;
	}
	return 0;
}

/*
 * The model's per-run spread of ln(read + write) at full io_size, as a
 * standard deviation: 1.4826 x the median absolute deviation, which is
 * the sd for Gaussian noise and ignores a heavy tail's outliers (they
 * would otherwise make the true tie set wide and the target easy).
 */
static double model_sd(const struct surface *sf, const struct noise *nz)
{
	struct machine m = { .sf = sf, .nz = nz, .r = { 12345 } };
	enum { N = 20001 };
	static double x[N];
	double med;
	int i;

	for (i = 0; i < N; i++) {
		/* Times spread over a repeat-3 grid sweep. */
		m.grid_bytes = 1000000;
		m.bytes = (uint64_t)(3 * uniform(&m.r) * 1e6);
		x[i] = log(measured(&m, sf->read[sf->best], IO_SIZE) +
			   measured(&m, sf->write[sf->best], IO_SIZE));
	}
	med = dsaio_median(x, N);
	for (i = 0; i < N; i++)
		x[i] = fabs(x[i] - med);
	return 1.4826 * dsaio_median(x, N);
}

static size_t true_ties(struct surface *sf, double sd, double z)
{
	/* The tool's test (stats.h) on medians of three: variance pi / 2
	 * of one run's over three, for the best and for the point. */
	double bound = fmax(log1p(DSAIO_TIE_MARGIN),
			    z * sd * sqrt(2 * (M_PI / 2) / 3));
	size_t i, n = 0;

	for (i = 0; i < sf->g.n; i++) {
		double gap = log(sf->truth[sf->best] / sf->truth[i]);

		sf->tie[i] = gap <= bound;
		sf->within5[i] = sf->truth[i] >= sf->truth[sf->best] / 1.05;
		n += sf->tie[i];
	}
	return n;
}

/* Every point `repeats` times; the tool's tie rule and pick. */
static size_t grid_trial(struct machine *m, unsigned int repeats)
{
	const struct dsaio_grid *g = &m->sf->g;
	struct dsaio_tie_point *tp = calloc(g->n, sizeof(*tp));
	double *rd = calloc(g->n * repeats, sizeof(double));
	double *wr = calloc(g->n * repeats, sizeof(double));
	double *score = calloc(g->n, sizeof(double));
	bool *tied = calloc(g->n, sizeof(bool));
	size_t i, best, pick = 0;
	unsigned int k;

	if (!tp || !rd || !wr || !score || !tied) {
		fprintf(stderr, "sim: out of memory\n");
		exit(1);
	}
	/* Passes over the grid, alternating in direction as the search's
	 * rounds do, so a drift weighs on every point alike. */
	for (k = 0; k < repeats; k++)
		for (size_t j = 0; j < g->n; j++) {
			struct dsaio_search_request rq = {
				.point = k % 2 ? g->n - 1 - j : j,
				.io_size = IO_SIZE,
			};
			struct dsaio_search_sample s;

			rq.params = &g->points[rq.point];
			sim_measure(m, &rq, &s);
			rd[rq.point * repeats + k] = s.read_gbs;
			wr[rq.point * repeats + k] = s.write_gbs;
		}
	for (i = 0; i < g->n; i++)
		tp[i] = (struct dsaio_tie_point){
			&rd[i * repeats], &wr[i * repeats], repeats, repeats,
		};
	if (dsaio_ties(tp, g->n, DSAIO_CONFIDENCE, DSAIO_TIE_MARGIN, &best,
		       tied, score) > 0)
		pick = dsaio_tie_pick(g->points, score, tied, g->n);
	free(tp);
	free(rd);
	free(wr);
	free(score);
	free(tied);
	return pick;
}

struct tally {
	size_t in_tie, within5, n;
	double cost, *regret;
};

static void record(struct tally *t, const struct surface *sf, size_t pick,
		   double cost)
{
	t->in_tie += sf->tie[pick];
	t->within5 += sf->within5[pick];
	t->cost += cost;
	t->regret[t->n++] = 1 - sf->truth[pick] / sf->truth[sf->best];
}

static int cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* --tap: one TAP line per surface and noise model, the rest as comments. */
static bool tap;
static int tap_n;
/* --known-miss FILE: "SURFACE NOISE reason" lines, misses reported as SKIP. */
static char known[32][256];
static size_t n_known, n_known_missed;

static const char *known_miss(const char *surface, const char *noise)
{
	size_t i, ls = strlen(surface), ln = strlen(noise);

	for (i = 0; i < n_known; i++)
		if (!strncmp(known[i], surface, ls) && known[i][ls] == ' ' &&
		    !strncmp(known[i] + ls + 1, noise, ln) &&
		    known[i][ls + 1 + ln] == ' ')
			return known[i] + ls + ln + 2;
	return NULL;
}

static int load_known(const char *path)
{
	FILE *f = fopen(path, "r");
	char line[256];

	if (!f) {
		fprintf(stderr, "sim: cannot open %s: %s\n", path, strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof(line), f) && n_known < 32) {
		if (line[0] == '#' || line[0] == '\n')
			continue;
		line[strcspn(line, "\n")] = '\0';
		snprintf(known[n_known++], sizeof(known[0]), "%s", line);
	}
	fclose(f);
	return 0;
}

static bool report(const char *surface, const char *noise, const char *method,
		   struct tally *t, bool adaptive)
{
	double success = (double)t->in_tie / (double)t->n, mean = 0;
	double cost = t->cost / (double)t->n;
	size_t i;
	bool met = success >= 0.95 && cost <= 0.25;
	const char *why;

	for (i = 0; i < t->n; i++)
		mean += t->regret[i];
	qsort(t->regret, t->n, sizeof(double), cmp_d);
	why = adaptive && !met ? known_miss(surface, noise) : NULL;
	n_known_missed += why != NULL;
	if (tap && adaptive)
		printf("%sok %d - adaptive on %s, %s noise: %.1f %% in the true tie "
		       "set (>= 95 %%) at %.1f %% of the grid's bytes (<= 25 %%)%s%s\n",
		       met ? "" : "not ", ++tap_n, surface, noise, 100 * success,
		       100 * cost, why ? " # SKIP known miss: " : "", why ? why : "");
	printf("%s%-26s %-15s %-9s %7.1f %% %7.1f %% %6.1f %% %7.2f %% %7.2f %%%s\n",
	       tap ? "# " : "", surface, noise, method, 100 * success,
	       100.0 * (double)t->within5 / (double)t->n, 100 * cost,
	       100 * mean / (double)t->n,
	       100 * t->regret[(size_t)(0.95 * (double)(t->n - 1))],
	       adaptive ? (met ? "  met" : why ? "  NOT MET (known)" :
			   "  NOT MET") : "");
	return !adaptive || met || why;
}

static void usage(FILE *f)
{
	fprintf(f,
"Usage: sim [--trials N] [--seed S] [--grids DIR] [--eta N] [--final-keep N]\n"
"           [--final-repeats N] [--repeats N] [--size-noise X]\n"
"           [--io-size SIZE] [--no-queue-limit] [--tap]\n"
"           [--known-miss FILE] [--trace N] SURFACE.tsv...\n"
"\n"
"Runs the grid sweep (repeat 1 and 3) and the adaptive search on each\n"
"response surface under each noise model, N trials each (default 1000),\n"
"and prints per procedure: the share of trials whose recommended point is\n"
"in the true tie set, the share within 5 %% of the best, the mean cost as\n"
"a share of the repeat-1 grid's bytes, and the mean and 95th percentile\n"
"regret (how far the chosen point's true read + write speed is below the\n"
"best's). A surface names its grid (\"# grid: NAME\": DIR/NAME.json,\n"
"default bench/search/grids). Exit status 1 when the adaptive search\n"
"misses its target (>= 95 %% in the tie set, <= 25 %% of the bytes)\n"
"anywhere. --eta, --final-keep, --final-repeats and --repeats set the\n"
"search's knobs (struct dsaio_search_config). --size-noise X: a run of\n"
"io_size s has the Gaussian noise's sd times (io_size / s)^X (default 0.25;\n"
"0.5 is white noise averaged over the run, 0 noise that does not average).\n"
"--io-size SIZE: the grid sweep's io_size (default 400M, DeepSpeed's 2021 one).\n"
"--no-queue-limit: small runs are not limited to the blocks they have (by\n"
"default a worker of a run of s bytes has at most s / (block x workers)\n"
"requests in flight, so a higher queue depth cannot show).\n"
"--tap: one TAP line per surface and noise model (the adaptive search's\n"
"target), the table as comments. --known-miss FILE: lines \"SURFACE NOISE\n"
"why\"; a miss of one of them is \"NOT MET (known)\" (with --tap a SKIP with\n"
"that reason) and leaves the exit status alone. --trace N: every run of the\n"
"adaptive search's first N trials per surface and noise model, and its pick\n"
"(comment lines).\n");
}

/* FNV-1a of a surface's name: its trials' seeds whatever the order. */
static uint64_t name_hash(const char *s)
{
	uint64_t h = 14695981039346656037ULL;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

/* The search's knobs; 0: its defaults. */
static unsigned int knob_eta, knob_keep, knob_frep, knob_rep;
/* --trace N: the adaptive search's first N trials, run by run. */
static unsigned long trace_n;

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "trials", required_argument, NULL, 't' },
		{ "seed", required_argument, NULL, 's' },
		{ "grids", required_argument, NULL, 'g' },
		{ "eta", required_argument, NULL, 'e' },
		{ "final-keep", required_argument, NULL, 'k' },
		{ "final-repeats", required_argument, NULL, 'f' },
		{ "repeats", required_argument, NULL, 'r' },
		{ "size-noise", required_argument, NULL, 'n' },
		{ "io-size", required_argument, NULL, 'i' },
		{ "no-queue-limit", no_argument, NULL, 'Q' },
		{ "tap", no_argument, NULL, 'T' },
		{ "known-miss", required_argument, NULL, 'K' },
		{ "trace", required_argument, NULL, 'x' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *grids = "bench/search/grids";
	unsigned long trials = 1000, seed = 1;
	double z = dsaio_t_quantile((1 + DSAIO_CONFIDENCE) / 2, 1e6);
	bool all_met = true;
	int c, a;

	while ((c = getopt_long(argc, argv, "t:s:g:e:k:f:r:n:i:K:x:QTh", opts, NULL)) != -1) {
		char *end;

		switch (c) {
		case 'T':
			tap = true;
			break;
		case 'Q':
			queue_limit = false;
			break;
		case 'i':
			if (dsaio_parse_size(optarg, &IO_SIZE) || IO_SIZE < (1 << 20)) {
				fprintf(stderr, "sim: --io-size takes a size of 1M or "
					"more (400M, 256M), not '%s'\n", optarg);
				return 2;
			}
			break;
		case 'K':
			if (load_known(optarg))
				return 2;
			break;
		case 'n':
			size_noise_exp = strtod(optarg, &end);
			if (*end || size_noise_exp < 0 || size_noise_exp > 1) {
				fprintf(stderr, "sim: --size-noise takes 0 to 1, not "
					"'%s'\n", optarg);
				return 2;
			}
			break;
		case 'e':
		case 'k':
		case 'f':
		case 'r': {
			unsigned long v = strtoul(optarg, &end, 10);

			if (*end || !v || v > 16) {
				fprintf(stderr, "sim: --%s takes 1 to 16, not '%s'\n",
					c == 'e' ? "eta" : c == 'k' ? "final-keep" :
					c == 'f' ? "final-repeats" : "repeats", optarg);
				return 2;
			}
			*(c == 'e' ? &knob_eta : c == 'k' ? &knob_keep :
			  c == 'f' ? &knob_frep : &knob_rep) = (unsigned int)v;
			break;
		}
		case 'x':
			trace_n = strtoul(optarg, &end, 10);
			if (*end) {
				fprintf(stderr, "sim: --trace takes a number of trials, "
					"not '%s'\n", optarg);
				return 2;
			}
			break;
		case 't':
			trials = strtoul(optarg, &end, 10);
			if (*end || !trials || trials > 1000000) {
				fprintf(stderr, "sim: --trials takes 1 to 1000000, "
					"not '%s'\n", optarg);
				return 2;
			}
			break;
		case 's':
			seed = strtoul(optarg, &end, 10);
			if (*end) {
				fprintf(stderr, "sim: --seed takes a number, not "
					"'%s'\n", optarg);
				return 2;
			}
			break;
		case 'g':
			grids = optarg;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind == argc) {
		usage(stderr);
		return 2;
	}
	printf("%s%-26s %-15s %-9s %9s %9s %8s %9s %9s\n", tap ? "# " : "",
	       "surface", "noise",
	       "method", "in ties", "in 5 %", "cost", "regret", "p95");
	for (a = optind; a < argc; a++) {
		struct surface sf;
		size_t nz;

		if (load_surface(argv[a], grids, &sf))
			return 2;
		for (nz = 0; nz < N_NOISES; nz++) {
			struct tally t[3];

			if (noises[nz].needs_record && !sf.rec_sd)
				continue;
			{
			double sd = model_sd(&sf, &noises[nz]);
			size_t n_tie = true_ties(&sf, sd, z), k;
			unsigned long tr;

			for (k = 0; k < 3; k++) {
				memset(&t[k], 0, sizeof(t[k]));
				t[k].regret = calloc(trials, sizeof(double));
			}
			for (tr = 0; tr < trials; tr++) {
				struct machine m = { .sf = &sf, .nz = &noises[nz] };
				struct dsaio_search_config cfg = {
					.points = sf.g.points, .n = sf.g.n,
					.io_size = IO_SIZE, .n_ops = 2,
					.loops = LOOPS, .margin = -1,
					.eta = knob_eta, .final_keep = knob_keep,
					.final_repeats = knob_frep,
					.repeats = knob_rep,
				};
				struct dsaio_search_result res;

				m.grid_bytes = dsaio_search_grid_bytes(&cfg);
				for (k = 0; k < 3; k++) {
					m.r.s = (seed * 1000003 + name_hash(sf.name) * 7919 +
						 nz * 104729 + k) * 2654435761ULL +
						tr * 0x9E3779B97F4A7C15ULL + 1;
					m.bytes = 0;
					if (k < 2) {
						size_t pick = grid_trial(&m, k ? 3 : 1);

						record(&t[k], &sf, pick,
						       (double)m.bytes / (double)m.grid_bytes);
						continue;
					}
					m.trace = tr < trace_n;
					if (m.trace)
						printf("# trace: %s, %s noise, trial %lu\n", sf.name,
						       noises[nz].name, tr);
					int src = dsaio_search_run(&cfg, sim_measure, &m, &res);

					if (src) {
						fprintf(stderr, "sim: the search failed: %s\n",
							strerror(-src));
						return 1;
					}
					if (m.trace)
						printf("#   chosen %zu, %s the true tie set, %.1f %% below "
						       "the best; %zu tied in the last round at %lluM, "
						       "%zu run(s) of it there; %u rounds, %.1f %% of "
						       "the grid's bytes\n", res.chosen,
						       sf.tie[res.chosen] ? "in" : "NOT in",
						       100 * (1 - sf.truth[res.chosen] / sf.truth[sf.best]),
						       res.n_tied,
						       (unsigned long long)(res.final_io_size >> 20),
						       res.repeats[res.chosen], res.rounds,
						       100.0 * (double)res.bytes / (double)m.grid_bytes);
					m.trace = false;
					record(&t[k], &sf, res.chosen,
					       (double)res.bytes / (double)m.grid_bytes);
					dsaio_search_result_free(&res);
				}
			}
			char rec[64] = "";

			if (noises[nz].needs_record)
				snprintf(rec, sizeof(rec), " (%.3f per op at %lluM)",
					 sf.rec_sd,
					 (unsigned long long)(IO_SIZE >> 20));
			printf("# %s: grid %s, %zu points; %s%s: per-run sd of "
			       "ln(read + write) %.3f (MAD), true tie set %zu points\n",
			       sf.name, sf.grid_name, sf.g.n, noises[nz].what, rec,
			       sd, n_tie);
			report(sf.name, noises[nz].name, "grid r1", &t[0], false);
			report(sf.name, noises[nz].name, "grid r3", &t[1], false);
			all_met &= report(sf.name, noises[nz].name, "adaptive",
					  &t[2], true);
			for (k = 0; k < 3; k++)
				free(t[k].regret);
			}
		}
		dsaio_grid_free(&sf.g);
		free(sf.read);
		free(sf.write);
		free(sf.truth);
		free(sf.tie);
		free(sf.within5);
		free(sf.lower_qd);
	}
	if (all_met && n_known_missed)
		printf("%sadaptive: target met on every surface and noise model "
		       "but %zu known miss%s (--known-miss)\n", tap ? "# " : "",
		       n_known_missed, n_known_missed > 1 ? "es" : "");
	else
		printf("%s%s\n", tap ? "# " : "", all_met ? "adaptive: target met "
		       "on every surface and noise model" :
		       "adaptive: target NOT met everywhere");
	if (tap)
		printf("1..%d\n", tap_n);
	return all_met ? 0 : 1;
}
