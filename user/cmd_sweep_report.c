// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The end of `dsaio-user sweep` (cmd_sweep.h): each engine's pass ranked
 * as DeepSpeed's parser would rank its logs, its JSON summary, and what
 * is printed. One engine: its ranked table and best "aio" block, and the
 * summary in LOG_DIR. --engines: each engine's summary in its folder,
 * each ranked table, the side by side (sweep_compare.h) and a combined
 * summary in LOG_DIR.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cmd_sweep.h"
#include "dsconfig.h"
#include "report.h"
#include "sweep_compare.h"
#include "units.h"

/*
 * The target every run measured, from the first run an engine described
 * (all share the device, filesystem and alignment; each run of a file
 * sweep has its own file, named in its point), else as given.
 */
static struct measurement_target sweep_target(const struct sweep *s,
					      const struct sweep_pass *only)
{
	struct measurement_target t = { .kind = s->base.kind };
	size_t i, k;

	for (k = 0; k < s->n_pass; k++) {
		const struct sweep_pass *p = &s->pass[k];

		if (only && p != only)
			continue;
		for (i = 0; i < p->n_res; i++)
			if (p->res[i].target.have_details)
				return p->res[i].target;
	}
	snprintf(t.path, sizeof(t.path), "%s", s->base.target);
	return t;
}

/* The keys every summary starts with: what was measured, and how. */
static void add_common(json_object *o, const struct sweep *s,
		       const struct sweep_pass *only, const char *log_dir,
		       bool complete, unsigned int failures)
{
	struct measurement_target tgt = sweep_target(s, only);

	json_object_object_add(o, "format", json_object_new_string(SWEEP_SUMMARY_FORMAT));
	/* "device" as before files; a directory is not a device */
	json_object_object_add(o, s->base.kind == TARGET_FILE ? "dir" : "device",
			       json_object_new_string(s->base.target));
	json_object_object_add(o, "target", dsaio_target_json(&tgt, false));
	if (measure_request_n_targets(&s->base) > 1) {
		json_object *list = json_object_new_array();
		unsigned int i;

		for (i = 0; list && i < s->base.n_targets; i++)
			json_object_array_add(list, json_object_new_string(s->base.targets[i]));
		json_object_object_add(o, "targets", list);
	}
	json_object_object_add(o, "io_size", json_object_new_uint64(s->io_size));
	json_object_object_add(o, "offset", json_object_new_uint64(s->offset));
	json_object_object_add(o, "loops", json_object_new_int64(s->loops));
	json_object_object_add(o, "warmup_loops", json_object_new_int64(s->warmup_loops));
	json_object_object_add(o, "log_dir", json_object_new_string(log_dir));
	json_object_object_add(o, "complete", json_object_new_boolean(complete));
	json_object_object_add(o, "failures", json_object_new_int64(failures));
}

/*
 * {"point": its parameters, "ops": [the rule's report, with "targets":
 * each target together and alone]} of a pass over several targets; JSON
 * null when it has none.
 */
static json_object *scaling_summary(const struct sweep_pass *p)
{
	json_object *o, *ops;
	int op;

	if (!p->have_scaling)
		return NULL;
	o = json_object_new_object();
	ops = json_object_new_array();
	if (!o || !ops) {
		json_object_put(o);
		json_object_put(ops);
		return NULL;
	}
	json_object_object_add(o, "point", dsaio_params_json(&p->scaling_point));
	for (op = OP_WRITE; op >= OP_READ; op--) {
		json_object *r;

		if (!p->scaling[op].have)
			continue;
		r = scaling_json(&p->scaling[op].rep);
		if (r)
			json_object_object_add(r, "targets",
					       dsaio_parts_json(&p->res[p->scaling[op].together],
								p->scaling[op].alone_gbs));
		json_object_array_add(ops, r);
	}
	json_object_object_add(o, "ops", ops);
	return o;
}

/*
 * Several targets: the best point's, each op's row per target (with its
 * alone speed and the rule's lines when measured alone).
 */
static void print_targets(const struct sweep *s, const struct sweep_pass *p)
{
	int op;

	if (measure_request_n_targets(&s->base) < 2 || !p->n_complete)
		return;
	printf("\n%s at the best point (", p->have_scaling ? "Scaling" : "Targets");
	dsaio_report_params(stdout, &p->rk[0].params, false);
	printf("):\n");
	for (op = OP_WRITE; op >= OP_READ; op--) {
		size_t t = sweep_pass_find(p, &p->rk[0].params, (enum dsaio_user_op)op);
		bool sc = p->have_scaling && p->scaling[op].have;

		if (t == SIZE_MAX)
			continue;
		printf("%s:\n", op == OP_WRITE ? "Writes" : "Reads");
		dsaio_report_parts(stdout, &p->res[t], sc ? p->scaling[op].alone_gbs : NULL);
		if (sc)
			scaling_print(stdout, &p->scaling[op].rep, "");
	}
}

/*
 * The tie set of the complete points over every repeat of each (one
 * run a point: its speeds). 0 or a negative errno.
 */
static int build_ties(const struct sweep *s, struct sweep_pass *p)
{
	struct dsaio_tie_point *tp = calloc(p->n_complete, sizeof(*tp));
	struct dsaio_runs (*reps)[2] = calloc(p->n_complete, sizeof(*reps));
	size_t i;
	int ret;

	if (!tp || !reps) {
		free(tp);
		free(reps);
		return -ENOMEM;
	}
	for (i = 0; i < p->n_complete; i++) {
		const struct dsaio_params *pt = &p->rk[i].params;

		if (p->rk[i].have_read)
			tp[i].n_read = dsaio_runs_gather(p->res, p->n_res, pt, OP_READ,
							 s->confidence, &reps[i][OP_READ]);
		if (p->rk[i].have_write)
			tp[i].n_write = dsaio_runs_gather(p->res, p->n_res, pt, OP_WRITE,
							  s->confidence, &reps[i][OP_WRITE]);
		tp[i].read = reps[i][OP_READ].e2e;
		tp[i].write = reps[i][OP_WRITE].e2e;
	}
	ret = dsaio_tieset_build(p->rk, p->n_complete, tp, s->confidence, -1, &p->ties);
	free(tp);
	free(reps);
	return ret;
}

/*
 * --repeat: under the table, each ranked point's spread per op:
 * min-max and the interval of its median.
 */
static void print_spread(const struct sweep *s, const struct sweep_pass *p)
{
	size_t i;
	int op;

	if (s->repeat < 2)
		return;
	printf("\nSpread of the E2E speeds (--repeat %u; GB/s: min-max, [%g %% interval of the median], (runs)):\n",
	       s->repeat, s->confidence * 100);
	for (i = 0; i < p->n_complete; i++) {
		printf("%4zu", i + 1);
		for (op = OP_WRITE; op >= OP_READ; op--) {
			struct dsaio_runs reps;
			const struct dsaio_spread *sp = &reps.e2e_sp;

			if (!dsaio_runs_gather(p->res, p->n_res, &p->rk[i].params,
					       (enum dsaio_user_op)op, s->confidence, &reps))
				continue;
			printf("  %s %.3f-%.3f", op == OP_WRITE ? "write" : "read",
			       sp->min, sp->max);
			if (sp->have_interval)
				printf(" [%.3f-%.3f]", sp->lo, sp->hi);
			printf(" (%zu)", reps.n);
		}
		printf("\n");
	}
}

/* One engine's summary, as a one-engine sweep has always written it. */
static json_object *pass_json(const struct sweep *s, const struct sweep_pass *p)
{
	bool file = s->base.kind == TARGET_FILE;
	json_object *o = json_object_new_object(), *pts = json_object_new_array();
	json_object *excl;
	size_t i;

	if (!o || !pts) {
		json_object_put(o);
		json_object_put(pts);
		return NULL;
	}
	json_object_object_add(o, "engine", json_object_new_string(p->eng->name));
	add_common(o, s, p, p->log_dir, p->complete, p->failures);
	/* one entry per point and op: with repeats its median run, and all */
	for (i = 0; i < p->n_res; i++) {
		struct dsaio_runs reps;
		struct measurement m = p->res[i];
		json_object *pt;

		if (sweep_pass_find(p, &m.params, m.op) != i)
			continue;	/* a later repeat of a point */
		if (dsaio_runs_gather(p->res, p->n_res, &m.params, m.op,
				      s->confidence, &reps) > 1)
			m = dsaio_runs_median(p->res, &reps);
		pt = dsaio_result_json(&m);
		if (pt && reps.n && dsaio_runs_json_add(pt, &reps)) {
			json_object_put(pt);
			pt = NULL;
		}
		if (!pt) {
			json_object_put(pts);
			json_object_put(o);
			return NULL;
		}
		json_object_object_add(pt, "log", json_object_new_string(p->log_names[i]));
		if (p->res[i].n_parts > 1)
			json_object_object_add(pt, "targets", dsaio_parts_json(&p->res[i], NULL));
		if (file && p->res[i].target.have_details)
			json_object_object_add(pt, "file",
					       json_object_new_string(p->res[i].target.file));
		json_object_array_add(pts, pt);
	}
	json_object_object_add(o, "points", pts);
	json_object_object_add(o, "repeat", json_object_new_int64(s->repeat));
	if (p->have_search) {
		const struct dsaio_search_result *r = &p->search;
		json_object *q = json_object_new_object();

		if (!q) {
			json_object_put(o);
			return NULL;
		}
		json_object_object_add(q, "method", json_object_new_string("adaptive"));
		json_object_object_add(q, "rounds", json_object_new_int64(r->rounds));
		json_object_object_add(q, "measurements", json_object_new_int64((int64_t)r->measurements));
		json_object_object_add(q, "failed", json_object_new_int64((int64_t)r->failed));
		json_object_object_add(q, "bytes", json_object_new_uint64(r->bytes));
		json_object_object_add(q, "grid_bytes", json_object_new_uint64(r->grid_bytes));
		json_object_object_add(q, "budget_bytes", json_object_new_uint64(r->budget_bytes));
		json_object_object_add(q, "grid_share", json_object_new_double(
			r->grid_bytes ? (double)r->bytes / r->grid_bytes : 0));
		json_object_object_add(q, "final_io_size", json_object_new_uint64(r->final_io_size));
		json_object_object_add(q, "seconds", json_object_new_double(r->seconds));
		json_object_object_add(q, "cut", json_object_new_boolean(r->cut));
		json_object_object_add(q, "cancelled", json_object_new_boolean(r->cancelled));
		json_object_object_add(o, "search", q);
	}
	json_object_object_add(o, "budget_seconds",
			       s->budget > 0 ? json_object_new_double(s->budget) : NULL);
	json_object_object_add(o, "budget_cut", json_object_new_boolean(s->budget_cut));
	excl = dsaio_excluded_json(p->rk, p->n_rk > 0 ? (size_t)p->n_rk : 0);
	if (!excl) {
		json_object_put(o);
		return NULL;
	}
	json_object_object_add(o, "excluded", excl);
	json_object_object_add(o, "validate", json_object_new_boolean(s->validate));
	json_object_object_add(o, "order", json_object_new_string(s->random ? "random" : "sequential"));
	json_object_object_add(o, "fixed_buffers", json_object_new_boolean(p->fixed_buffers));
	json_object_object_add(o, "fixed_files", json_object_new_boolean(p->fixed_files));
	json_object_object_add(o, "poll", json_object_new_boolean(p->poll));
	if (measure_request_n_targets(&s->base) > 1)
		json_object_object_add(o, "scaling", scaling_summary(p));
	/*
	 * Only a complete point is ever recommended: of those tied with the
	 * best, the one needing the least pinned memory.
	 */
	if (p->have_ties) {
		json_object_object_add(o, "ties", dsaio_tieset_json(&p->ties, p->rk));
		json_object_object_add(o, "optimal",
				       dsaio_aio_config(&p->rk[p->ties.pick].params,
							s->legacy_keys));
	}
	return o;
}

/* Writes the summary beside its final name, then renames it over. */
static int write_summary(const char *path, json_object *o)
{
	char tmp[8192];
	const char *text = json_object_to_json_string_ext(o, DSAIO_JSON_PRETTY);
	FILE *f;
	int ret = 0;

	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= sizeof(tmp)) {
		fprintf(stderr, "dsaio-user sweep: output path too long: %s\n", path);
		return -ENAMETOOLONG;
	}
	f = fopen(tmp, "w");
	if (!f) {
		ret = -errno;
		fprintf(stderr, "dsaio-user sweep: cannot write %s: %m\n", tmp);
		return ret;
	}
	if (fprintf(f, "%s\n", text) < 0)
		ret = -EIO;
	if (fclose(f) && !ret)
		ret = -errno;
	if (!ret && rename(tmp, path))
		ret = -errno;
	if (ret) {
		fprintf(stderr, "dsaio-user sweep: cannot write %s: %s\n", path, strerror(-ret));
		unlink(tmp);
	}
	return ret;
}

int sweep_pass_entries(const struct sweep_pass *p, struct dsaio_log_entry **out)
{
	size_t n_e = p->n_res + p->n_fails, i, k;
	struct dsaio_log_entry *e = calloc(n_e ? n_e : 1, sizeof(*e));

	*out = e;
	if (!e) {
		fprintf(stderr, "dsaio-user sweep: out of memory\n");
		return -1;
	}
	/*
	 * The same entries DeepSpeed's parser would read back from the logs:
	 * one per point and op, with repeats its median run (repeats.h).
	 */
	for (i = 0, k = 0; i < p->n_res; i++) {
		struct measurement r = p->res[i];
		struct dsaio_runs reps;

		if (sweep_pass_find(p, &r.params, r.op) != i)
			continue;	/* a later repeat of a point */
		if (dsaio_runs_gather(p->res, p->n_res, &r.params, r.op,
				      DSAIO_CONFIDENCE, &reps) > 1)
			r = dsaio_runs_median(p->res, &reps);
		snprintf(e[k].name, sizeof(e[k].name), "%s", p->log_names[i]);
		e[k].op = r.op;
		e[k].params = r.params;
		e[k].have_task = true;
		e[k].task_latency_s = r.task_ns / 1e9;
		e[k].task_speed_gbs = dsaio_gb_per_sec(r.bytes, r.task_ns);
		e[k].e2e_latency_s = r.e2e_ns / 1e9;
		e[k].e2e_speed_gbs = dsaio_gb_per_sec(r.bytes, r.e2e_ns);
		k++;
	}
	/* The failed runs: their points are excluded, with the reason. */
	memcpy(e + k, p->fails, p->n_fails * sizeof(*e));
	return (int)(k + p->n_fails);
}

/* The pass's points ranked, from the entries its logs hold. 0 or -1. */
static int rank_pass(const struct sweep *s, struct sweep_pass *p)
{
	struct dsaio_log_entry *e;
	int n_e = sweep_pass_entries(p, &e);

	if (n_e < 0)
		return -1;
	p->n_rk = 0;
	p->n_complete = 0;
	if (n_e) {
		p->n_rk = dsaio_rank(e, (size_t)n_e, s->ops, &p->rk, &p->n_complete);
		if (p->n_rk < 0) {
			fprintf(stderr, "dsaio-user sweep: ranking failed: %s\n",
				strerror(-p->n_rk));
			free(e);
			return -1;
		}
	}
	free(e);
	if (p->n_complete) {
		int ret = build_ties(s, p);

		if (ret) {
			fprintf(stderr, "dsaio-user sweep: the tie set: %s\n", strerror(-ret));
			return -1;
		}
		p->have_ties = true;
	}
	p->sum = pass_json(s, p);
	if (!p->sum) {
		fprintf(stderr, "dsaio-user sweep: out of memory building the summary\n");
		return -1;
	}
	return 0;
}

static void no_complete_point(const char *who, int n_rk)
{
	fprintf(stderr, "dsaio-user sweep: %sno complete point: every point has a failed or missing run (%d excluded, see above), so there is no \"aio\" block to recommend\n",
		who, n_rk);
}

/* One engine: the table and block on stdout as always. */
static int report_one(struct sweep *s, bool complete)
{
	struct sweep_pass *p = &s->pass[0];
	char outpath[8192];
	int ret = 0;

	sweep_summary_file(s, outpath, sizeof(outpath));
	if (write_summary(outpath, p->sum))
		ret = -1;
	if (s->json) {
		printf("%s\n", json_object_to_json_string_ext(p->sum, DSAIO_JSON_PRETTY));
	} else if (complete && p->n_rk > 0) {
		json_object *aio = p->have_ties ?
			dsaio_aio_config(&p->rk[p->ties.pick].params, s->legacy_keys) : NULL;

		printf("\n");
		dsaio_report_ranked_ties(stdout, p->rk, (size_t)p->n_rk, 0,
					 p->have_ties ? p->ties.tied : NULL);
		print_spread(s, p);
		if (!p->n_complete) {
			/* reported below */
		} else if (!aio) {
			fprintf(stderr, "dsaio-user sweep: out of memory\n");
			ret = -1;
		} else {
			printf("\n%s.\nRecommended configuration:\n%s\n", p->ties.sentence,
			       json_object_to_json_string_ext(aio, DSAIO_JSON_PRETTY));
			json_object_put(aio);
		}
		print_targets(s, p);
	}
	if (complete && !p->n_complete) {
		no_complete_point("", p->n_rk);
		ret = -1;
	}
	if (!ret || (complete && !p->n_complete))
		fprintf(stderr, "logs in %s/, summary in %s\n", p->log_dir, outpath);
	return ret;
}

/* --engines: the combined summary; NULL when out of memory. */
static json_object *combined_json(const struct sweep *s,
				  const struct sweep_compare *c, bool complete)
{
	json_object *o = json_object_new_object(), *names = json_object_new_array();
	json_object *per = json_object_new_object();
	unsigned int failures = 0;
	size_t k;

	if (!o || !names || !per)
		goto nomem;
	for (k = 0; k < s->n_pass; k++) {
		const struct sweep_pass *p = &s->pass[k];

		failures += p->failures;
		if (json_object_array_add(names, json_object_new_string(p->eng->name)) ||
		    json_object_object_add(per, p->eng->name, json_object_get(p->sum)))
			goto nomem;
	}
	json_object_object_add(o, "engines", names);
	names = NULL;
	add_common(o, s, NULL, s->log_dir, complete, failures);
	json_object_object_add(o, "validate", json_object_new_boolean(s->validate));
	json_object_object_add(o, "per_engine", per);
	per = NULL;
	if (sweep_compare_json_add(o, c, s->legacy_keys))
		goto nomem;
	return o;
nomem:
	json_object_put(names);
	json_object_put(per);
	json_object_put(o);
	return NULL;
}

/* --engines: every engine's table, then the side by side. */
static int report_many(struct sweep *s, bool complete)
{
	struct sweep_compare_in in[DSAIO_MAX_ENGINES];
	struct sweep_compare c;
	char outpath[8192];
	json_object *sum;
	size_t k, n_with = 0;
	int ret = 0;

	for (k = 0; k < s->n_pass; k++) {
		struct sweep_pass *p = &s->pass[k];

		if (write_summary(p->summary_path, p->sum))
			ret = -1;
		in[k].engine = p->eng->name;
		in[k].rk = p->rk;
		in[k].n = p->n_rk > 0 ? (size_t)p->n_rk : 0;
		in[k].n_complete = p->n_complete;
		in[k].pick = p->have_ties ? p->ties.pick : 0;
		n_with += p->n_complete > 0;
	}
	if (sweep_compare_build(&c, in, s->n_pass, s->grid.points, s->grid.n, s->ops)) {
		fprintf(stderr, "dsaio-user sweep: out of memory\n");
		return -1;
	}
	sum = combined_json(s, &c, complete);
	if (!sum) {
		fprintf(stderr, "dsaio-user sweep: out of memory building the summary\n");
		sweep_compare_free(&c);
		return -1;
	}
	sweep_summary_file(s, outpath, sizeof(outpath));
	if (write_summary(outpath, sum))
		ret = -1;
	if (s->json) {
		printf("%s\n", json_object_to_json_string_ext(sum, DSAIO_JSON_PRETTY));
	} else if (complete) {
		for (k = 0; k < s->n_pass; k++) {
			const struct sweep_pass *p = &s->pass[k];

			printf("\n%s (logs in %s/):\n", p->eng->name, p->log_dir);
			if (p->n_rk > 0)
				dsaio_report_ranked(stdout, p->rk, (size_t)p->n_rk, 0);
			print_targets(s, p);
		}
		printf("\n");
		sweep_compare_print_table(stdout, &c);
		printf("\n");
		if (sweep_compare_print_pick(stdout, &c, s->legacy_keys)) {
			fprintf(stderr, "dsaio-user sweep: out of memory\n");
			ret = -1;
		}
	}
	for (k = 0; complete && k < s->n_pass; k++) {
		const struct sweep_pass *p = &s->pass[k];
		char who[64];

		if (p->n_complete)
			continue;
		snprintf(who, sizeof(who), "%s: ", p->eng->name);
		no_complete_point(who, p->n_rk);
	}
	if (complete && !n_with)
		ret = -1;
	if (!ret || (complete && !n_with)) {
		fprintf(stderr, "logs in %s/<engine>/ for", s->log_dir);
		for (k = 0; k < s->n_pass; k++)
			fprintf(stderr, "%s %s", k ? "," : "", s->pass[k].eng->name);
		fprintf(stderr, ", each with its %s; combined summary in %s\n",
			SWEEP_SUMMARY_NAME, outpath);
	}
	json_object_put(sum);
	sweep_compare_free(&c);
	return ret;
}

void sweep_summary_file(const struct sweep *s, char *buf, size_t len)
{
	/* one engine's LOG_DIR/dsaio_sweep.json is its pass's summary_path */
	if (s->output)
		snprintf(buf, len, "%s", s->output);
	else
		snprintf(buf, len, "%s/%s", s->log_dir, SWEEP_SUMMARY_NAME);
}

int sweep_report(struct sweep *s, bool complete)
{
	size_t k;

	for (k = 0; k < s->n_pass; k++)
		if (rank_pass(s, &s->pass[k]))
			return -1;
	return s->per_engine ? report_many(s, complete) : report_one(s, complete);
}
