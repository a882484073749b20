/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * `dsaio-user merge`: the sweeps of the nodes of a fleet (one
 * dsaio_sweep.json per node, as a Slurm job writes them) merged into one
 * report. fleet_input.c turns a node's summary into a struct fleet_node
 * and says when the formats differ; fleet.c compares the nodes on the
 * grid points every node measured and picks the fleet's point; the
 * report (fleet_report.c) and the chart (fleet_chart.c) only print what
 * is here. Nothing here opens a file: the command does.
 */
#ifndef DSAIO_USER_FLEET_H
#define DSAIO_USER_FLEET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <json-c/json.h>
#include "model.h"

#define FLEET_NAME_MAX		64
#define FLEET_WHY_MAX		512
/* Top-level and point keys a summary's format is told by. */
#define FLEET_MAX_KEYS		96
#define FLEET_KEY_MAX		32

/* The noise when --noise is not given: 10 %. */
#define FLEET_DEFAULT_NOISE	0.10

enum fleet_node_state {
	FLEET_NODE_OK,		/* its sweep ran to the end: compared */
	FLEET_NODE_PARTIAL,	/* interrupted midway: shown, not compared */
	FLEET_NODE_FAILED,	/* no point usable for the fleet: not compared */
	FLEET_NODE_MISSING,	/* no summary (absent, unreadable, not JSON) */
};

/* One grid point as a node measured it. */
struct fleet_point {
	struct dsaio_params params;
	bool have_read, have_write;
	double read_gbs, write_gbs;	/* E2E, GB/s (GB = 2^30) */
	bool excluded;			/* in the summary's "excluded" */
	char reason[256];		/* why, when excluded */
};

/*
 * What a summary's format is: its keys (sorted; a point's prefixed "p.")
 * and version, if any. A summary without points says nothing of a
 * point's keys.
 */
struct fleet_format {
	char keys[FLEET_MAX_KEYS][FLEET_KEY_MAX];
	size_t n_keys;
	bool has_points;
	char version[FLEET_NAME_MAX];	/* "dsaio_version" or "format"; "" */
};

struct fleet_node {
	char name[FLEET_NAME_MAX];
	char source[1024];		/* the file it came from */
	enum fleet_node_state state;
	char why[FLEET_WHY_MAX];	/* what happened, when not OK */

	/* from the summary */
	char engine[FLEET_NAME_MAX];
	struct measurement_target target;	/* kind, path, device, fstype */
	uint64_t io_size;
	unsigned int loops;
	bool sweep_complete;		/* the sweep's own "complete" */
	unsigned int ops;		/* DSAIO_OP_BIT of each op it measured */
	struct fleet_point *pts;	/* malloc'd */
	size_t n_pts;
	struct fleet_format format;

	/* from fleet_merge() */
	long best;			/* index in fleet.common; -1 none */
	double best_gbs;		/* read + write E2E at best */
	bool have_pick;			/* measured the recommended point */
	double pick_read, pick_write, pick_gbs;
	double below_median;		/* 1 - best / median of the bests */
	bool outlier;
};

/* A point every compared node measured completely. */
struct fleet_common {
	struct dsaio_params params;
	double min_gbs, median_gbs, max_gbs;	/* over the compared nodes */
	size_t n_tied;			/* nodes whose tie set holds it */
};

/* A point some compared node has and another lacks, and why. */
struct fleet_left {
	struct dsaio_params params;
	char why[FLEET_WHY_MAX];	/* "not measured on n3; failed on n2: ..." */
};

/* The spread of one figure over the compared nodes. */
struct fleet_spread {
	double min, median, max;
	double range;			/* (max - min) / median */
};

struct fleet {
	struct fleet_node *nodes;	/* the caller's array */
	size_t n_nodes;
	double noise;			/* fraction: 0.10 is 10 % */

	/* from fleet_merge() */
	unsigned int ops;		/* the ops the compared nodes measured */
	size_t n_compared, n_partial, n_failed, n_missing;
	struct fleet_common *common;	/* malloc'd, parameter order */
	size_t n_common;
	struct fleet_left *left;	/* malloc'd */
	size_t n_left;
	long pick;			/* index in common; -1: none */
	struct fleet_spread best, at_pick;
	struct fleet_spread at_pick_read, at_pick_write;	/* per op */
	size_t n_outliers;
	/* Fleet-wide remarks ("io_size differs: ..."), one per line. */
	char notes[1024];
};

/*
 * The node a file is: its name without ".json" ("n1.json", "n1"), or,
 * for ".../NODE/dsaio_sweep.json", the folder's name.
 */
void fleet_node_name(const char *path, char *out, size_t len);

/*
 * Reads one node's summary: a one-engine sweep summary, or a combined
 * (--engines) one, of which engine's (NULL: its "optimal_engine", else
 * its first engine's) is taken. Fills n (its name and source set by the
 * caller). Returns 0; or -EINVAL with a sentence in err when doc is not a
 * dsaio sweep summary (a key missing or of the wrong type, the engine
 * not in it): nothing compares then. n->pts is malloc'd (fleet_node_free).
 */
int fleet_node_from_json(struct fleet_node *n, json_object *doc,
			 const char *engine, char *err, size_t len);

/* A node without a summary, and why ("no such file", "not JSON: ..."). */
void fleet_node_missing(struct fleet_node *n, const char *why);

void fleet_node_free(struct fleet_node *n);

/*
 * Refuses what cannot be compared: summaries of different formats
 * (different dsaio versions: a key one has and another lacks, or another
 * "dsaio_version"), of different engines or of devices against files,
 * and two files of one node. 0, or -EINVAL with a sentence in err.
 */
int fleet_check(const struct fleet *f, char *err, size_t len);

/*
 * Compares the nodes (fleet_check() passed): the points complete on every
 * compared node, each node's best among them, the spread, the outliers
 * and the fleet's point (the rule: fleet_rule()). 0 or -ENOMEM.
 */
int fleet_merge(struct fleet *f);

/* The rule the fleet's point is chosen by, in sentences, for --help. */
const char *fleet_rule(void);

/* Frees what fleet_merge() allocated (not the nodes). */
void fleet_free(struct fleet *f);

/* "ok", "partial", "failed", "missing". */
const char *fleet_state_name(enum fleet_node_state s);

/* A node's read + write E2E GB/s at a point, over the fleet's ops; false
 * when it did not measure the point completely. */
bool fleet_node_score(const struct fleet *f, const struct fleet_node *n,
		      const struct dsaio_params *p, double *gbs,
		      double *read, double *write);
#endif
