/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The libnl-genl client of the "dsaio" generic netlink family: one command
 * socket (which owns the jobs it starts) and, once subscribed, one event
 * socket joined to the "events" multicast group.
 *
 * Every function returns 0 (or a count) on success and a negative errno on
 * failure; dsaio_nl_errmsg() then holds a sentence for the user: the
 * kernel's extack message verbatim when it sent one, otherwise what the
 * errno means for this tool (module not loaded, not root, ...).
 */
#ifndef DSAIO_USER_NL_CLIENT_H
#define DSAIO_USER_NL_CLIENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/dsaio.h>
#include "model.h"

struct dsaio_nl;

/* GET_INFO */
struct nl_info {
	char version[64];
	uint64_t features;
	uint32_t max_jobs, max_threads, max_queue_depth, max_block_size;
	uint32_t max_mem_mb, max_results, max_loops;
	uint32_t max_targets;	/* DSAIO_CFG_TARGETS entries; 0: none */
};

/* One entry of DSAIO_CFG_TARGETS. */
struct nl_target_cfg {
	char path[DSAIO_DEV_PATH_MAX];
	bool dir;			/* DSAIO_TCFG_DIR, else DEV_PATH */
	uint64_t offset;
};

/* DSAIO_A_JOB_CONFIG, both directions. */
struct nl_job_config {
	char dev_path[DSAIO_DEV_PATH_MAX];	/* this or dir; "" when not */
	char dir[DSAIO_DEV_PATH_MAX];
	enum dsaio_op op;
	uint64_t offset, io_size, seed;
	uint32_t block_size, queue_depth, threads, loops, warmup_loops;
	bool single_submit, overlap_events, validate, allow_write, histogram;
	bool overwrite, keep_files;		/* dir only */
	bool poll;				/* DSAIO_CFG_POLL, devices only */
	bool random;				/* DSAIO_CFG_RANDOM */
	/* DSAIO_CFG_TARGETS; 0: none (dev_path or dir is the target) */
	uint32_t n_targets;
	struct nl_target_cfg targets[DSAIO_TARGETS_MAX];
};

/* DSAIO_A_JOB_TARGET: what the module opened. */
struct nl_job_target {
	enum dsaio_target_kind kind;
	char bdev[DSAIO_TGT_NAME_MAX];
	uint32_t align;
	char fstype[DSAIO_TGT_NAME_MAX];	/* files only */
	char file[DSAIO_TGT_NAME_MAX];		/* files only */
};

/* Defaults of the protocol (see dsaio.h); dev, op, sizes still to set. */
void nl_job_config_init(struct nl_job_config *c);

struct nl_job_progress {
	uint64_t bytes_done, bytes_total, elapsed_ns;
	uint32_t loop;
};

/* One worker or loop entry (DSAIO_STAT_*). */
struct nl_stat {
	uint32_t index;
	uint64_t offset, length, time_ns, bytes, requests, errors;
	uint64_t lat_min_ns, lat_max_ns, lat_sum_ns;
	uint64_t start_ns;		/* loop only: its release */
};

struct nl_errno_count {
	uint32_t code;
	uint64_t count;
};

struct nl_job_result {
	uint64_t task_ns, e2e_ns, setup_ns, bytes, requests, bios, errors;
	uint64_t polled;		/* bios reaped by the workers' own polls */
	uint64_t lat_min_ns, lat_max_ns, lat_sum_ns;
	uint64_t mismatches, first_mismatch;
	uint64_t buf_bytes;		/* DSAIO_RES_BUF_BYTES; 0: absent */
	/* malloc'd arrays; NULL/0 when absent (dumps, histogram off). */
	struct nl_errno_count *errnos;
	size_t n_errnos;
	struct dsaio_hist_bucket *hist;
	size_t n_hist;
	struct nl_stat *workers;
	size_t n_workers;
	struct nl_stat *loops;
	size_t n_loops;
};

/*
 * One entry of DSAIO_A_JOB_TARGETS: what it is, how it ended, and its
 * own figures (of the arrays only errnos) once the job has ended.
 */
struct nl_job_part {
	struct nl_job_target target;
	uint32_t index;
	uint64_t offset, bytes_done;
	enum dsaio_job_state state;
	int32_t error;
	bool have_result;
	struct nl_job_result result;
};

/* A JOB_GET reply or an event. */
struct nl_job {
	uint32_t id;
	enum dsaio_job_state state;
	int32_t error;			/* 0 or the negative errno that ended it */
	/* Requests not completed: in flight, or held by the device once ended */
	uint32_t held;
	bool have_state, have_config, have_progress, have_result, have_target;
	struct nl_job_config config;
	struct nl_job_target target;
	struct nl_job_progress progress;
	struct nl_job_result result;
	/* DSAIO_A_JOB_TARGETS, in entry order; 0 for a job of one target */
	size_t n_parts;
	struct nl_job_part parts[DSAIO_TARGETS_MAX];
};

/* Frees the arrays of a decoded job (the struct itself is the caller's). */
void nl_job_free(struct nl_job *j);

/* True when the job will not change any more. */
bool nl_job_state_ended(enum dsaio_job_state s);
const char *nl_job_state_name(enum dsaio_job_state s);

/*
 * Connects and resolves the family. On failure *out is NULL and err holds
 * the sentence (e.g. the module is not loaded).
 */
int dsaio_nl_open(struct dsaio_nl **out, char *err, size_t errlen);
void dsaio_nl_close(struct dsaio_nl *nl);
const char *dsaio_nl_errmsg(const struct dsaio_nl *nl);

int dsaio_nl_get_info(struct dsaio_nl *nl, struct nl_info *info);
int dsaio_nl_job_start(struct dsaio_nl *nl, const struct nl_job_config *c,
		       uint32_t *id);
/*
 * JOB_GET by id, with histogram, workers and loops. A doit reply carries
 * at most DSAIO_STATS_INLINE_MAX worker (and loop) entries; when an ended
 * job's array is missing although it has workers/loops, every entry is
 * fetched with the JOB_STATS dump, so workers and loops are complete for
 * any job size (a module without JOB_STATS leaves them absent). Free with
 * nl_job_free.
 */
int dsaio_nl_job_get(struct dsaio_nl *nl, uint32_t id, struct nl_job *j);
/* JOB_GET by id without the JOB_STATS dump: for polling a job's state. */
int dsaio_nl_job_peek(struct dsaio_nl *nl, uint32_t id, struct nl_job *j);
/*
 * JOB_GET dump: calls fn for every job (without histogram, workers and
 * loops); retried from the start when the list changed under the dump.
 * fn must not keep pointers into the job after it returns.
 */
typedef void (*nl_job_fn)(const struct nl_job *j, void *arg);
int dsaio_nl_job_dump(struct dsaio_nl *nl, nl_job_fn fn, void *arg);
int dsaio_nl_job_cancel(struct dsaio_nl *nl, uint32_t id);

/* Joins the "events" group on a second socket; events queue from now on. */
int dsaio_nl_subscribe(struct dsaio_nl *nl);
/* The event socket's fd, for poll(); -1 when not subscribed. */
int dsaio_nl_event_fd(const struct dsaio_nl *nl);
/*
 * Reads every queued event without blocking; cmd is DSAIO_CMD_EVENT_*.
 * Returns the number of events handled, -ENOBUFS when the kernel dropped
 * events because the socket buffer was full (the caller must re-read the
 * state with JOB_GET), or another negative errno.
 */
typedef void (*dsaio_event_fn)(int cmd, const struct nl_job *j, void *arg);
int dsaio_nl_events_read(struct dsaio_nl *nl, dsaio_event_fn fn, void *arg);

#endif
