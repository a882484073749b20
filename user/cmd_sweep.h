/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * `dsaio-user sweep`, between its files: cmd_sweep.c reads the command
 * line; cmd_sweep_setup.c opens the engines and checks the region;
 * cmd_sweep_pass.c runs one engine's pass over the grid (runs, logs,
 * progress);
 * cmd_sweep_report.c ranks each pass, writes the summaries and prints the
 * tables, one engine's or, with --engines, the side by side.
 */
#ifndef DSAIO_USER_CMD_SWEEP_H
#define DSAIO_USER_CMD_SWEEP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <json-c/json.h>
#include "engine.h"
#include "engine_list.h"
#include "logfile.h"
#include "logname.h"
#include "optimum.h"
#include "repeats.h"
#include "scaling.h"
#include "search.h"
#include "sweepcfg.h"
#include "tieset.h"

#define SWEEP_SUMMARY_NAME	"dsaio_sweep.json"
/*
 * The summary's "format": a new one whenever a key changes meaning or goes,
 * so that `merge` refuses to compare summaries of different shapes.
 */
#define SWEEP_SUMMARY_FORMAT	"dsaio-sweep-1"

/* One engine's pass over the grid, and what it gave. */
struct sweep_pass {
	const struct dsaio_engine *eng;
	struct engine_ctx *ctx;		/* NULL once closed */
	struct engine_limits lim;
	/* LOG_DIR, or LOG_DIR/<engine> with --engines */
	char log_dir[4096];
	char summary_path[4096];	/* its dsaio_sweep.json */
	bool fixed_buffers, fixed_files;	/* what its requests ask */
	bool poll;			/* its requests poll (kernel engine) */
	bool complete;			/* every run of its grid was made */

	/*
	 * the runs that measured: figures and log names; with several
	 * targets res[i].parts points into parts[i] (owned here)
	 */
	struct measurement *res;
	struct measurement_part (*parts)[DSAIO_MAX_TARGETS];
	char (*log_names)[256];
	size_t n_res;
	unsigned int failures;
	/* runs that gave no figure: op, parameters and why (never ranked) */
	struct dsaio_log_entry *fails;
	size_t n_fails;

	/*
	 * several targets: at the pass's best point, each target alone for
	 * each op (alone_gbs, -1 unmeasured), the together run it is set
	 * against (res index), and the rule's report
	 */
	bool have_scaling;
	struct dsaio_params scaling_point;
	struct {
		bool have;
		size_t together;
		double alone_gbs[DSAIO_MAX_TARGETS];
		struct scaling_report rep;
	} scaling[2];			/* by op */

	/* after the sweep: the ranking and the summary */
	struct dsaio_ranked *rk;
	int n_rk;
	size_t n_complete;
	/* the tie set of the complete points; have_ties when built */
	bool have_ties;
	struct dsaio_tieset ties;
	json_object *sum;

	/* --search adaptive: what it spent (its arrays freed) */
	bool have_search;
	struct dsaio_search_result search;
	int search_status;		/* 0, or the engine's errno that ended it */
};

struct sweep {
	/* the target (kind, path, file options) every run measures */
	struct measure_request base;
	const char *log_dir, *output;
	uint64_t io_size, offset;
	uint32_t loops, warmup_loops;
	/* --repeat: passes over the grid, alternating direction */
	uint32_t repeat, pass_no;
	double confidence;	/* --confidence: of intervals and the tie test */
	/* --budget SECONDS (0: none), and whether it stopped the sweep */
	double budget;
	bool budget_cut;
	/*
	 * --search adaptive: logs wait for the end (only the last round's
	 * runs are written), round and pass for the progress lines
	 */
	bool search, defer_logs;
	unsigned int search_round, search_pass;
	bool do_read, do_write, allow_write, json, legacy_keys, validate;
	bool random;		/* --random: every point in a random block order */
	bool scaling;			/* several targets: each alone at the best point */
	bool fixed_buffers, fixed_files;	/* as given */
	bool poll;				/* --poll */
	enum dsaio_user_op ops_order[2];	/* writes first */
	size_t n_ops;
	unsigned int ops;		/* DSAIO_OP_BIT mask of the ops measured */
	enum dsaio_logname_scheme scheme;
	struct dsaio_grid grid;

	/* --engines: each engine's logs and summary in a folder of its own */
	bool per_engine;
	struct sweep_pass pass[DSAIO_MAX_ENGINES];
	size_t n_pass;

	/* progress, over every engine's runs */
	bool tty;
	size_t run_no, runs;		/* the run under way (from 1), all */
	size_t runs_done;		/* ended, whatever the outcome */
	uint64_t bytes_before, bytes_total;	/* all runs planned */
	uint64_t start_ns;
	const char *cur_desc;
};

/*
 * The engines of --engine NAME or --engines LIST (NULL when not given),
 * or the default, into names[]. Returns the count, or -1 with the exit
 * status of the usage error (said) in *status.
 */
int sweep_engine_names(const char *engine, const char *engines,
		       const char **names, int *status);

/*
 * Opens the n engines into s->pass[] (s->n_pass counts the open ones)
 * and asks each its limits, before any run: a module that is not loaded
 * stops the sweep before the other engines spent their time. named: the
 * command line named them (else the default failing points to the
 * others). Returns 0, or the exit status after saying why.
 */
int sweep_open_engines(struct sweep *s, const char **names, size_t n,
		       bool named);

/*
 * --fixed-buffers and --fixed-files go to the engines that take them
 * (limits.fixed); a usage error when none does. 0 or the exit status.
 */
int sweep_apply_fixed(struct sweep *s);
/* --poll, alike: to the engines that take it (limits.poll). */
int sweep_apply_poll(struct sweep *s);

/*
 * Sizes s->io_size (unless given) to the device and to the tightest
 * engine's buffer limit, and checks the region fits the device, or the
 * files the free space of the directory. Says why on stderr; 0 or -1.
 */
int sweep_check_region(struct sweep *s, bool io_size_given);

/* Each pass's log folder and summary path. 0 or -1. */
int sweep_pass_dirs(struct sweep *s);

/* The log sub-directory of an op, DeepSpeed's name. */
const char *sweep_op_dir(enum dsaio_user_op op);

/*
 * Creates p's log directories and the arrays of its results; says why
 * on stderr. 0 or -1.
 */
int sweep_pass_prepare(struct sweep *s, struct sweep_pass *p);

/*
 * Runs every point of the grid for every op through p's engine.
 * Returns 0 when all ran (measured, or failed and counted), 1 when
 * interrupted, 2 when --budget stopped it before a run (s->budget_cut;
 * no run is cut in the middle), or a negative errno when the engine
 * cannot go on.
 */
int sweep_pass_run(struct sweep *s, struct sweep_pass *p);

/*
 * The pass's results and failures as the log entries DeepSpeed's parser
 * would read back, for dsaio_rank(). *out is malloc'd; the count, or -1
 * when out of memory (said).
 */
int sweep_pass_entries(const struct sweep_pass *p, struct dsaio_log_entry **out);

/* The pass's result of op at point p; SIZE_MAX when it has none. */
size_t sweep_pass_find(const struct sweep_pass *ps, const struct dsaio_params *p,
		       enum dsaio_user_op op);

/*
 * Several targets, after p's pass and before its engine closes: at the
 * best complete point, each target alone for each op, and the scaling
 * rule over them and the point's together runs (p->scaling). A failed
 * alone run leaves that op without a report, said on stderr. Returns 0,
 * 1 when interrupted, or a negative errno when the engine cannot go on.
 */
int sweep_pass_scaling(struct sweep *s, struct sweep_pass *p);

/* The request of one run of p at point p for op: s->base and the sweep's. */
void sweep_request(const struct sweep *s, const struct sweep_pass *ps,
		   const struct dsaio_params *p, enum dsaio_user_op op,
		   struct measure_request *rq);

/*
 * One run of p at point pt for op at s->io_size, kept in p->res (or, when
 * it gave no figure, in p->fails with the reason). 0, 1 when
 * interrupted, or a negative errno when the engine cannot go on.
 */
int sweep_run_point(struct sweep *s, struct sweep_pass *p,
		    const struct dsaio_params *pt, enum dsaio_user_op op);

/*
 * --search adaptive (search.h) through p's engine: only the last round's
 * runs stay in p->res (their logs are written by sweep_pass_median_logs),
 * what it spent in p->search. Returns 0, 1 when cut (budget or Ctrl-C),
 * or a negative errno when the engine cannot go on or the search refused
 * the grid (said).
 */
int sweep_pass_search(struct sweep *s, struct sweep_pass *p);

/* Runs p's arrays can hold: the grid x ops x --repeat, or the search's most. */
size_t sweep_pass_capacity(const struct sweep *s);

/*
 * --repeat N > 1, after p's passes (whole or cut): one DeepSpeed log per
 * point and op measured, its median run (repeats.h) and the spread lines;
 * every run of it gets the log's name. 0, or the count of logs that
 * could not be written (said).
 */
unsigned int sweep_pass_median_logs(struct sweep *s, struct sweep_pass *p);

/*
 * After a --budget cut: each point and op of the grid with no run at all
 * is listed as excluded, "not measured: the --budget of N s ran out".
 */
void sweep_pass_unmeasured(struct sweep *s, struct sweep_pass *p);

/* Frees what the pass holds (the engine is closed apart). */
void sweep_pass_free(struct sweep_pass *p);

/*
 * Ranks every pass, writes each summary (and with --engines the
 * combined one), prints the tables and the "aio" block, or the JSON.
 * complete: the sweep ran to its end. Returns 0 or -1.
 */
int sweep_report(struct sweep *s, bool complete);

/*
 * Where the summary sweep_report writes goes (--output, else
 * LOG_DIR/dsaio_sweep.json, with --engines the combined one): the file
 * --plot draws.
 */
void sweep_summary_file(const struct sweep *s, char *buf, size_t len);
#endif
