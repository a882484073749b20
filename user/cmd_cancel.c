// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * `dsaio-user cancel`: JOB_CANCEL for the jobs named (or, with --all,
 * every running one a JOB_GET dump lists), then, with --wait, JOB_GET
 * polls until each has ended. The command line and what is said about
 * each job are in cancel.c.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "cancel.h"
#include "cli.h"
#include "nl_cli.h"
#include "progress.h"

/* How often --wait asks; the module ends a job within about 2 s. */
#define POLL_NS		100000000L

struct running {
	uint32_t *ids;
	size_t n, cap;
	int error;		/* -ENOMEM while collecting */
};

static void on_listed(const struct nl_job *j, void *arg)
{
	struct running *r = arg;
	uint32_t *grown;

	if (!j->have_state || nl_job_state_ended(j->state) || r->error)
		return;
	if (r->n == r->cap) {
		grown = realloc(r->ids, (r->cap ? r->cap * 2 : 8) * sizeof(*grown));
		if (!grown) {
			r->error = -ENOMEM;
			return;
		}
		r->ids = grown;
		r->cap = r->cap ? r->cap * 2 : 8;
	}
	/* a dump retried after a change may list a job twice */
	for (size_t i = 0; i < r->n; i++)
		if (r->ids[i] == j->id)
			return;
	r->ids[r->n++] = j->id;
}

/* What a JOB_GET says of r's job now: its state, and held once ended. */
static int look(struct dsaio_nl *nl, struct cancel_result *r, const char **state,
		bool *ended)
{
	struct nl_job j;
	int ret = dsaio_nl_job_peek(nl, r->id, &j);

	if (ret)
		return ret;
	*state = j.have_state ? nl_job_state_name(j.state) : NULL;
	*ended = j.have_state && nl_job_state_ended(j.state);
	if (*ended) {
		r->have_held = true;
		r->held = j.held;
	}
	nl_job_free(&j);
	return 0;
}

/*
 * Cancels r's job unless it has ended. Returns 0 with r's outcome set, or
 * a negative errno that no other job would escape (no permission): then
 * the module's sentence is in dsaio_nl_errmsg().
 */
static int cancel_one(struct dsaio_nl *nl, struct cancel_result *r)
{
	const char *state;
	bool ended;
	int ret = look(nl, r, &r->before, &ended);

	if (ret == -ENOENT) {
		r->outcome = CANCEL_NO_JOB;
		return 0;
	}
	if (ret == -EPERM || ret == -EACCES)
		return ret;
	if (!ret && ended) {
		r->outcome = CANCEL_WAS_ENDED;
		r->after = r->before;
		return 0;
	}
	if (!ret)
		ret = dsaio_nl_job_cancel(nl, r->id);
	if (ret == -ENOENT) {
		/* ended and dropped from the kept results since the look */
		r->outcome = CANCEL_NO_JOB;
		return 0;
	}
	if (ret == -EPERM || ret == -EACCES)
		return ret;
	if (ret) {
		r->outcome = CANCEL_FAILED;
		snprintf(r->error, sizeof(r->error), "%s", dsaio_nl_errmsg(nl));
		return 0;
	}
	r->outcome = CANCEL_SENT;
	r->after = r->before;
	/* a job between its last loop and its end may be over already */
	if (!look(nl, r, &state, &ended)) {
		r->after = state;
		if (ended)
			r->outcome = CANCEL_ENDED;
	}
	return 0;
}

/* --wait: polls every job cancelled until it has ended or time is up. */
static int wait_ended(struct dsaio_nl *nl, struct cancel_result *r, size_t n,
		      uint32_t limit_s)
{
	const struct timespec pause = { .tv_nsec = POLL_NS };
	uint64_t start = dsaio_now_ns();
	bool pending = true;
	size_t i;

	while (pending) {
		bool late = dsaio_now_ns() - start >= (uint64_t)limit_s * 1000000000ULL;

		pending = false;
		for (i = 0; i < n; i++) {
			const char *state;
			bool ended;
			int ret;

			if (r[i].outcome != CANCEL_SENT)
				continue;
			ret = look(nl, &r[i], &state, &ended);
			if (ret == -EPERM || ret == -EACCES)
				return ret;
			if (ret == -ENOENT) {
				/* ended and dropped already: nothing holds it */
				r[i].outcome = CANCEL_ENDED;
				r[i].after = NULL;
				continue;
			}
			if (ret) {
				r[i].outcome = CANCEL_FAILED;
				snprintf(r[i].error, sizeof(r[i].error), "%s", dsaio_nl_errmsg(nl));
				continue;
			}
			r[i].after = state;
			if (ended) {
				r[i].outcome = CANCEL_ENDED;
			} else if (late) {
				r[i].outcome = CANCEL_TIMEOUT;
				r[i].waited_s = limit_s;
			} else {
				pending = true;
			}
		}
		if (pending)
			nanosleep(&pause, NULL);
	}
	return 0;
}

static int report(const struct cancel_opts *o, const struct cancel_result *r, size_t n)
{
	char line[512];
	size_t i;

	if (!n && !o->json)
		printf("no job is running\n");
	for (i = 0; i < n; i++) {
		if (o->json) {
			json_object *j = cancel_result_json(&r[i]);

			if (!j) {
				fprintf(stderr, "dsaio-user cancel: out of memory\n");
				return EXIT_FAIL;
			}
			printf("%s\n", json_object_to_json_string_ext(j, JSON_C_TO_STRING_PLAIN |
								       JSON_C_TO_STRING_NOSLASHESCAPE));
			json_object_put(j);
			continue;
		}
		cancel_sentence(&r[i], line, sizeof(line));
		if (cancel_outcome_ok(r[i].outcome))
			printf("%s\n", line);
		else
			fprintf(stderr, "dsaio-user cancel: %s\n", line);
	}
	return cancel_exit_status(r, n);
}

int cmd_cancel(int argc, char **argv)
{
	struct running run = { 0 };
	struct cancel_result *res = NULL;
	struct cancel_opts o;
	struct dsaio_nl *nl;
	const uint32_t *ids;
	size_t i, n;
	int ret, status = EXIT_FAIL;

	ret = cancel_parse(argc, argv, &o);
	if (ret >= 0)
		return ret;
	nl = cli_nl_open("cancel");
	if (!nl)
		goto out;
	ids = o.ids;
	n = o.n_ids;
	if (o.all) {
		ret = dsaio_nl_job_dump(nl, on_listed, &run);
		if (!ret && run.error) {
			fprintf(stderr, "dsaio-user cancel: out of memory\n");
			goto out;
		}
		if (ret)
			goto nl_failed;
		ids = run.ids;
		n = run.n;
	}
	res = calloc(n + 1, sizeof(*res));
	if (!res) {
		fprintf(stderr, "dsaio-user cancel: out of memory\n");
		goto out;
	}
	for (i = 0; i < n; i++) {
		res[i].id = ids[i];
		if (cancel_one(nl, &res[i]))
			goto nl_failed;
	}
	if (o.wait && wait_ended(nl, res, n, o.wait_s))
		goto nl_failed;
	status = report(&o, res, n);
	goto out;
nl_failed:
	fprintf(stderr, "dsaio-user cancel: %s\n", dsaio_nl_errmsg(nl));
out:
	if (nl)
		dsaio_nl_close(nl);
	free(res);
	free(run.ids);
	cancel_opts_free(&o);
	return status;
}
