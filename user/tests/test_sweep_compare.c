// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * sweep --engines side by side: rows per grid point, the reference and
 * its ratios, each engine's best, whose best is recommended and why, the
 * table's alignment and the JSON.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <json-c/json.h>

#include "tap.h"
#include "sweep_compare.h"
#include "tieset.h"

/* Grid points A, B, C: queue depth and parallelism. */
static const unsigned int QD[3] = { 32, 128, 32 }, PAR[3] = { 1, 1, 8 };

static struct dsaio_params point(int i)
{
	struct dsaio_params p;

	memset(&p, 0, sizeof(p));
	p.block_size = 1 << 20;
	snprintf(p.block_size_str, sizeof(p.block_size_str), "1M");
	p.queue_depth = QD[i];
	p.io_parallel = PAR[i];
	p.processes = 1;
	p.overlap_events = true;
	return p;
}

/* One engine's pass: speeds per point, write then read; < 0 failed. */
struct pass {
	const char *name;
	double w[3], r[3];
	int n;			/* points run: 0..3 */
	struct dsaio_ranked *rk;
	size_t nrk, nc;
};

static void rank(struct pass *ps, unsigned int ops)
{
	struct dsaio_log_entry e[6];
	size_t n = 0;
	int i, m;

	memset(e, 0, sizeof(e));
	for (i = 0; i < ps->n; i++) {
		int k;

		for (k = 0; k < 2; k++) {
			enum dsaio_user_op op = k ? OP_READ : OP_WRITE;
			double v = k ? ps->r[i] : ps->w[i];

			if (!(ops & DSAIO_OP_BIT(op)))
				continue;
			e[n].op = op;
			e[n].params = point(i);
			if (v < 0) {
				e[n].failed = true;
				snprintf(e[n].failure, sizeof(e[n].failure), "job 1 FAILED");
			} else {
				e[n].e2e_speed_gbs = v;
			}
			n++;
		}
	}
	m = dsaio_rank(e, n, ops, &ps->rk, &ps->nc);
	ps->nrk = m > 0 ? (size_t)m : 0;
}

static int build(struct sweep_compare *c, struct pass *ps, size_t n,
		 unsigned int ops)
{
	struct sweep_compare_in in[4];
	struct dsaio_params grid[4];
	size_t i;

	for (i = 0; i < n; i++) {
		rank(&ps[i], ops);
		in[i].engine = ps[i].name;
		in[i].rk = ps[i].rk;
		in[i].n = ps[i].nrk;
		in[i].n_complete = ps[i].nc;
		/* The one-engine sweep's pick: ties, then least memory. */
		in[i].pick = 0;
		if (ps[i].nc) {
			struct dsaio_tieset t;

			if (!dsaio_tieset_build(ps[i].rk, ps[i].nc, NULL, 0, -1, &t)) {
				in[i].pick = t.pick;
				dsaio_tieset_free(&t);
			}
		}
	}
	for (i = 0; i < 3; i++)
		grid[i] = point((int)i);
	grid[3] = point(0);	/* a duplicate: one row */
	return sweep_compare_build(c, in, n, grid, 4, ops);
}

static void unrank(struct pass *ps, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(ps[i].rk);
		ps[i].rk = NULL;
	}
}

/* What a print function wrote, in buf. */
#define CAPTURE(buf, call) do {						\
	FILE *f_ = fmemopen(buf, sizeof(buf) - 1, "w");			\
	memset(buf, 0, sizeof(buf));					\
	if (f_) {							\
		call;							\
		fclose(f_);						\
	}								\
} while (0)

/* Every line but the first (a caption) as long as the second. */
static int aligned(const char *text, int *lines)
{
	const char *l = strchr(text, '\n'), *nl;
	size_t w = 0;

	*lines = 0;
	for (l = l ? l + 1 : NULL; l && *l; l = nl + 1) {
		nl = strchr(l, '\n');
		if (!nl)
			return 0;
		if (!w)
			w = (size_t)(nl - l);
		else if ((size_t)(nl - l) != w)
			return 0;
		++*lines;
	}
	return 1;
}

static json_object *path(json_object *o, const char *a, const char *b,
			 const char *c)
{
	const char *k[3] = { a, b, c };
	int i;

	for (i = 0; i < 3 && k[i] && o; i++)
		if (!json_object_object_get_ex(o, k[i], &o))
			return NULL;
	return o;
}

static void three_engines(void)
{
	struct pass ps[3] = {
		{ .name = "kernel", .w = { 1.0, 2.5, 1.0 }, .r = { 3.0, 2.0, 4.0 }, .n = 3 },
		{ .name = "libaio", .w = { 1.0, 2.0, 1.0 }, .r = { 2.0, 2.0, -1 }, .n = 3 },
		{ .name = "io_uring", .w = { 1.5, 2.2, 1.1 }, .r = { 3.0, 2.0, 4.4 }, .n = 3 },
	};
	struct sweep_compare c;
	const struct sweep_cell *x;
	char buf[8192];
	json_object *o, *rows, *v;
	int lines;

	ok(build(&c, ps, 3, DSAIO_OPS_BOTH) == 0, "three engines compared");
	is_int(c.n_rows, 3, "one row per grid point, the duplicate once");
	ok(c.rows[0].queue_depth == 32 && c.rows[1].queue_depth == 128 &&
	   c.rows[2].io_parallel == 8, "rows in grid order");
	is_int(c.ref, 0, "kernel is the reference");
	x = sweep_compare_cell(&c, 0, 1);
	ok(x->complete && x->have_ratio, "libaio at A: complete, with a ratio");
	is_dbl(x->ratio, 3.0 / 4.0, "ratio: read + write over kernel's");
	ok(!sweep_compare_cell(&c, 0, 0)->have_ratio, "the reference has no ratio");
	x = sweep_compare_cell(&c, 2, 1);
	ok(!x->complete && x->have_write && !x->have_read && !x->have_ratio,
	   "libaio at C: read failed, write kept, no ratio");
	is_dbl(sweep_compare_cell(&c, 2, 2)->ratio, 5.5 / 5.0,
	       "io_uring at C over kernel");
	ok(c.best[0] && c.best[0]->params.io_parallel == 8 &&
	   c.best[1] && c.best[1]->params.queue_depth == 128 &&
	   c.best[2] && c.best[2]->params.io_parallel == 8,
	   "each engine's own best: C, B, C");
	ok(!c.agree, "they differ");
	ok(c.why == PICK_DEEPSPEED && c.pick == 1, "libaio's best is recommended");

	CAPTURE(buf, sweep_compare_print_table(f_, &c));
	printf("%s", buf);
	ok(strstr(buf, "ratio: read + write E2E over kernel's") != NULL,
	   "the caption names the reference");
	ok(aligned(buf, &lines) && lines == 5,
	   "two header lines and three rows, all as wide");
	ok(strstr(buf, "| kernel ") || strstr(buf, " kernel "), "kernel heads its columns");
	{
		const char *rowc = strstr(buf, "\n"), *l;
		int n = 0;

		/* The last row, C: libaio's read and ratio are "-". */
		for (l = buf; (l = strchr(l, '\n')) && l[1]; l++)
			rowc = l + 1;
		for (l = rowc; *l && *l != '\n'; l++)
			n += *l == '-';
		is_int(n, 2, "C: libaio's read and ratio are '-'");
		ok(strstr(rowc, "1.100") != NULL, "C: io_uring's ratio 1.100");
	}

	CAPTURE(buf, sweep_compare_print_pick(f_, &c, false));
	printf("%s", buf);
	ok(strstr(buf, "Recommended per engine") &&
	   strstr(buf, "  libaio    block_size 1M, queue_depth 128"),
	   "each engine's best, by name");
	ok(strstr(buf, "The engines differ on the recommended point.") &&
	   strstr(buf, "through libaio, so the recommendation is libaio's."),
	   "the difference said, libaio recommended for DeepSpeed");
	ok(strstr(buf, "Best configuration for DeepSpeed (libaio's recommended point") &&
	   strstr(buf, "\"queue_depth\": 128"), "then libaio's \"aio\" block");

	o = json_object_new_object();
	ok(o && sweep_compare_json_add(o, &c, false) == 0, "JSON built");
	is_str(json_object_get_string(path(o, "reference", NULL, NULL)), "kernel",
	       "JSON reference");
	rows = path(o, "comparison", NULL, NULL);
	is_int(rows ? (long long)json_object_array_length(rows) : -1, 3,
	       "JSON: three comparison rows");
	v = rows ? json_object_array_get_idx(rows, 2) : NULL;
	ok(v && path(v, "engines", "libaio", "write_gbs") &&
	   json_object_object_get_ex(path(v, "engines", "libaio", NULL), "read_gbs", NULL) &&
	   !path(v, "engines", "libaio", "read_gbs") &&
	   json_object_object_get_ex(path(v, "ratio", NULL, NULL), "libaio", NULL) &&
	   !path(v, "ratio", "libaio", NULL),
	   "JSON: a failed figure and its ratio are null");
	is_dbl(json_object_get_double(path(v, "ratio", "io_uring", NULL)), 1.1,
	       "JSON: io_uring's ratio at C");
	ok(!json_object_object_get_ex(path(v, "ratio", NULL, NULL), "kernel", NULL),
	   "JSON: no ratio for the reference");
	ok(!json_object_get_boolean(path(o, "agree", NULL, NULL)) &&
	   !strcmp(json_object_get_string(path(o, "optimal_engine", NULL, NULL)), "libaio"),
	   "JSON: they differ, libaio is the optimal engine");
	is_int(json_object_get_int(path(o, "optimal", "aio", "queue_depth")), 128,
	       "JSON: the optimal block is libaio's");
	is_int(json_object_get_int(path(o, "recommended", "kernel", "aio") ?
				   json_object_object_get(path(o, "recommended", "kernel", "aio"),
							  "intra_op_parallelism") : NULL), 8,
	       "JSON: kernel's own best is kept");
	json_object_put(o);
	sweep_compare_free(&c);
	unrank(ps, 3);
}

static void agreeing(void)
{
	struct pass ps[2] = {
		{ .name = "libaio", .w = { 1.0, 2.0, 1.0 }, .r = { 2.0, 2.0, 1.0 }, .n = 3 },
		{ .name = "io_uring", .w = { 1.1, 2.4, 1.0 }, .r = { 2.0, 2.2, 1.0 }, .n = 3 },
	};
	struct sweep_compare c;
	char buf[8192];

	ok(build(&c, ps, 2, DSAIO_OPS_BOTH) == 0 && c.ref == 0,
	   "without kernel the first engine is the reference");
	is_dbl(sweep_compare_cell(&c, 1, 1)->ratio, 4.6 / 4.0, "io_uring over libaio");
	ok(c.agree && c.why == PICK_DEEPSPEED && c.pick == 0, "they agree; libaio's");
	CAPTURE(buf, sweep_compare_print_pick(f_, &c, false));
	ok(strstr(buf, "All engines agree on the recommended point.") &&
	   !strstr(buf, "differ"), "the agreement is said");
	CAPTURE(buf, sweep_compare_print_table(f_, &c));
	ok(strstr(buf, "over libaio's") != NULL, "the caption names libaio");
	sweep_compare_free(&c);
	unrank(ps, 2);
}

static void without_libaio(void)
{
	struct pass ps[2] = {
		{ .name = "io_uring", .w = { 1.0, 2.0, 1.0 }, .r = { 2.0, 2.0, 9.0 }, .n = 3 },
		{ .name = "kernel", .w = { 1.0, 2.0, 1.0 }, .r = { 2.0, 3.0, 1.0 }, .n = 3 },
	};
	struct sweep_compare c;
	char buf[8192];

	ok(build(&c, ps, 2, DSAIO_OPS_BOTH) == 0 && c.ref == 1,
	   "kernel is the reference wherever it is in the list");
	ok(!c.agree && c.why == PICK_REFERENCE && c.pick == 1,
	   "without libaio the reference's best is recommended");
	CAPTURE(buf, sweep_compare_print_pick(f_, &c, false));
	ok(strstr(buf, "differ") && strstr(buf, "libaio (DeepSpeed's runtime path) was not measured") &&
	   strstr(buf, "(kernel's recommended point"), "said so: %s", "");
	sweep_compare_free(&c);
	unrank(ps, 2);
}

static void libaio_failed(void)
{
	struct pass ps[2] = {
		{ .name = "kernel", .w = { 1.0, 2.0, 1.0 }, .r = { 2.0, 3.0, 1.0 }, .n = 3 },
		{ .name = "libaio", .w = { -1, -1, -1 }, .r = { 2.0, 2.0, 2.0 }, .n = 3 },
	};
	struct sweep_compare c;
	char buf[8192];

	ok(build(&c, ps, 2, DSAIO_OPS_BOTH) == 0 && !c.best[1],
	   "libaio's writes all failed: no best");
	ok(c.why == PICK_FALLBACK && c.pick == 0 && !c.agree,
	   "then the first engine with a complete point");
	CAPTURE(buf, sweep_compare_print_pick(f_, &c, false));
	ok(strstr(buf, "  libaio  none: no complete point") &&
	   strstr(buf, "libaio has no complete point: the recommendation is kernel's"),
	   "said so");
	CAPTURE(buf, sweep_compare_print_table(f_, &c));
	ok(strstr(buf, "|        -    2.000        -\n") != NULL,
	   "libaio's failed writes and their ratio are '-', its reads shown");
	sweep_compare_free(&c);
	unrank(ps, 2);
}

static void nothing(void)
{
	struct pass ps[2] = {
		{ .name = "libaio", .w = { -1, -1, -1 }, .r = { 1, 1, 1 }, .n = 3 },
		{ .name = "io_uring", .w = { 0 }, .r = { 0 }, .n = 0 },	/* interrupted before it ran */
	};
	struct sweep_compare c;
	char buf[8192];
	json_object *o;
	int lines;

	ok(build(&c, ps, 2, DSAIO_OPS_BOTH) == 0 && c.why == PICK_NONE &&
	   c.n_rows == 3, "no complete point anywhere; the grid's rows still");
	CAPTURE(buf, sweep_compare_print_pick(f_, &c, false));
	ok(strstr(buf, "No engine has a complete point") && !strstr(buf, "\"aio\": {"),
	   "no block");
	CAPTURE(buf, sweep_compare_print_table(f_, &c));
	ok(aligned(buf, &lines) && lines == 5, "the table still aligned");
	ok(strstr(buf, "|        -        -        -\n") != NULL,
	   "io_uring, which never ran: three '-'");
	o = json_object_new_object();
	ok(o && sweep_compare_json_add(o, &c, false) == 0 &&
	   json_object_object_get_ex(o, "optimal_engine", NULL) &&
	   !path(o, "optimal_engine", NULL, NULL) && !path(o, "optimal", NULL, NULL),
	   "JSON: optimal_engine null, no optimal");
	json_object_put(o);
	sweep_compare_free(&c);
	unrank(ps, 2);
}

static void reads_only(void)
{
	struct pass ps[2] = {
		{ .name = "kernel", .w = { 0 }, .r = { 2.0, 3.0, 1.0 }, .n = 3 },
		{ .name = "io_uring", .w = { 0 }, .r = { 1.0, 1.5, 2.0 }, .n = 3 },
	};
	struct sweep_compare c;
	char buf[8192];
	json_object *o, *row;
	int lines;

	ok(build(&c, ps, 2, DSAIO_OP_BIT(OP_READ)) == 0, "a read-only sweep");
	is_dbl(sweep_compare_cell(&c, 1, 1)->ratio, 0.5, "ratio of reads alone");
	CAPTURE(buf, sweep_compare_print_table(f_, &c));
	printf("%s", buf);
	ok(strstr(buf, "ratio: read E2E over kernel's") &&
	   !strstr(strchr(buf, '\n'), "write") && aligned(buf, &lines) &&
	   lines == 5, "no write columns, aligned");
	o = json_object_new_object();
	ok(o && sweep_compare_json_add(o, &c, false) == 0, "JSON built");
	row = json_object_array_get_idx(path(o, "comparison", NULL, NULL), 0);
	ok(row && path(row, "engines", "kernel", "read_gbs") &&
	   !json_object_object_get_ex(path(row, "engines", "kernel", NULL), "write_gbs", NULL),
	   "JSON: no write figure in a read-only sweep");
	json_object_put(o);
	sweep_compare_free(&c);
	unrank(ps, 2);
}

/*
 * An engine whose best is tied (within the 2 % margin) with a point
 * needing less pinned memory: the comparison takes that one, as its own
 * sweep does, not its best.
 */
static void tie_pick(void)
{
	struct pass ps[2] = {
		/* A: 32M pinned, 4.00; C: 256M pinned, 4.05: tied */
		{ .name = "kernel", .w = { 1.0, 1.0, 2.0 }, .r = { 1.0, 1.0, 3.0 }, .n = 3 },
		{ .name = "libaio", .w = { 2.0, 1.0, 2.05 }, .r = { 2.0, 1.0, 2.0 }, .n = 3 },
	};
	struct sweep_compare c;
	char buf[8192];

	ok(build(&c, ps, 2, DSAIO_OPS_BOTH) == 0 && ps[1].rk[0].params.io_parallel == 8,
	   "tie pick: libaio's best is C (p 8)");
	ok(c.best[1] && c.best[1]->params.io_parallel == 1 &&
	   c.best[1]->params.queue_depth == 32,
	   "but its recommendation is A, tied and needing an eighth of the memory");
	ok(c.best[0] && c.best[0]->params.io_parallel == 8,
	   "kernel's C stands alone: its best");
	ok(c.why == PICK_DEEPSPEED && c.pick == 1 && !c.agree,
	   "libaio's recommendation is the block");
	CAPTURE(buf, sweep_compare_print_pick(f_, &c, false));
	ok(strstr(buf, "\"io_parallel\": 1") || strstr(buf, "\"intra_op_parallelism\": 1"),
	   "the printed block is A's: %s", strstr(buf, "Best configuration") ?
	   strstr(buf, "Best configuration") : buf);
	sweep_compare_free(&c);
	unrank(ps, 2);
}

int main(void)
{
	tie_pick();
	three_engines();
	agreeing();
	without_libaio();
	libaio_failed();
	nothing();
	reads_only();
	return done();
}
