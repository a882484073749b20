/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * `dsaio-user cancel`: its command line and what it says about each job
 * (cancel.c), apart from the netlink calls (cmd_cancel.c), so that both
 * are unit-tested on the host.
 */
#ifndef DSAIO_USER_CANCEL_H
#define DSAIO_USER_CANCEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <json-c/json.h>

/* --wait without a value: the module ends a job within about two seconds. */
#define CANCEL_WAIT_DEFAULT_S	10
/* Longest --wait accepted, seconds. */
#define CANCEL_WAIT_MAX_S	3600

struct cancel_opts {
	bool all, json, wait;
	uint32_t wait_s;	/* --wait's limit, seconds */
	uint32_t *ids;		/* the ID operands, duplicates left out; malloc'd */
	size_t n_ids;
};

void cancel_help(FILE *f);

/*
 * The whole command line (argv[0] is "cancel"). Returns -1 to go on with
 * *o filled (free with cancel_opts_free), or the exit status to return at
 * once: EXIT_OK after --help, EXIT_USAGE (it has said why on stderr).
 */
int cancel_parse(int argc, char **argv, struct cancel_opts *o);
void cancel_opts_free(struct cancel_opts *o);

/* What became of one job; the order is the table's in cancel.c. */
enum cancel_outcome {
	CANCEL_SENT,		/* cancel sent, its end not waited for */
	CANCEL_ENDED,		/* cancel sent and the job has ended */
	CANCEL_WAS_ENDED,	/* it had already ended: nothing to do */
	CANCEL_NO_JOB,		/* the module has no such job */
	CANCEL_TIMEOUT,		/* --wait: still not ended at the limit */
	CANCEL_FAILED,		/* the module refused, with error */
};

struct cancel_result {
	uint32_t id;
	enum cancel_outcome outcome;
	/* state names (nl_job_state_name()); NULL when not known */
	const char *before, *after;
	bool have_held;
	uint32_t held;		/* requests the device still holds */
	uint32_t waited_s;	/* CANCEL_TIMEOUT: how long */
	char error[256];	/* CANCEL_FAILED: the module's sentence */
};

/* True when the outcome is not an error (exit status 0). */
bool cancel_outcome_ok(enum cancel_outcome o);
const char *cancel_outcome_name(enum cancel_outcome o);

/*
 * The sentence for one job, without the "dsaio-user cancel: " prefix
 * an error gets (cancel_outcome_ok() says which it is).
 */
void cancel_sentence(const struct cancel_result *r, char *buf, size_t len);

/*
 * The --json object of one job: id, state_before, state_after (null
 * when not known), held (null when not known), result and, for an
 * error, its sentence. NULL when out of memory.
 */
json_object *cancel_result_json(const struct cancel_result *r);

/* EXIT_OK when every job's outcome is ok, else EXIT_FAIL. */
int cancel_exit_status(const struct cancel_result *r, size_t n);
#endif
