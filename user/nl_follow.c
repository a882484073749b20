// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Following a job: events give prompt progress and the end; a JOB_GET every
 * second covers dropped events (ENOBUFS) and a module whose events are
 * late. Every wait is a poll() of at most 200 ms, so Ctrl-C is noticed at
 * once (the handler has no SA_RESTART).
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include "interrupt.h"
#include "nl_follow.h"
#include "progress.h"

#define POLL_MS		200
#define FALLBACK_NS	1000000000ULL

struct follow {
	uint32_t id;
	bool ended;
	dsaio_progress_fn fn;
	void *arg;
};

static void on_event(int cmd, const struct nl_job *j, void *arg)
{
	struct follow *f = arg;

	if (j->id != f->id)
		return;		/* another job (another tool or user) */
	if (j->have_progress && f->fn)
		f->fn(&j->progress, f->arg);
	if (cmd == DSAIO_CMD_EVENT_DONE ||
	    (j->have_state && nl_job_state_ended(j->state)))
		f->ended = true;
}

/* One JOB_GET; sets f->ended when the job has ended. */
static int poll_job(struct dsaio_nl *nl, struct follow *f)
{
	struct nl_job j;
	int ret = dsaio_nl_job_peek(nl, f->id, &j);

	if (ret)
		return ret;
	if (j.have_progress && f->fn)
		f->fn(&j.progress, f->arg);
	if (j.have_state && nl_job_state_ended(j.state))
		f->ended = true;
	nl_job_free(&j);
	return 0;
}

int dsaio_follow_job(struct dsaio_nl *nl, const struct nl_job_config *c,
		     uint32_t *id, struct nl_job *job,
		     dsaio_progress_fn fn, void *arg)
{
	struct follow f = { .fn = fn, .arg = arg };
	bool have_events, cancelled = false;
	uint64_t last_poll;
	int ret;

	*id = 0;
	/* Without events (not offered) the poll fallback alone follows it. */
	have_events = dsaio_nl_subscribe(nl) == 0;
	if (dsaio_interrupted)
		return -EINTR;
	ret = dsaio_nl_job_start(nl, c, &f.id);
	if (ret)
		return ret;
	*id = f.id;
	last_poll = dsaio_now_ns();
	while (!f.ended) {
		struct pollfd pfd = { .fd = dsaio_nl_event_fd(nl), .events = POLLIN };
		bool force = false;

		if (dsaio_interrupted >= 2)
			return -EINTR;
		if (dsaio_interrupted && !cancelled) {
			fprintf(stderr, "\ninterrupted: cancelling job %u (Ctrl-C again to quit without waiting)\n",
				f.id);
			ret = dsaio_nl_job_cancel(nl, f.id);
			if (ret)
				return ret;
			cancelled = true;
			force = true;
		}
		ret = poll(&pfd, have_events ? 1 : 0, POLL_MS);
		if (ret < 0 && errno != EINTR) {
			ret = -errno;
			fprintf(stderr, "poll: %m\n");
			return ret;
		}
		if (ret > 0) {
			ret = dsaio_nl_events_read(nl, on_event, &f);
			if (ret == -ENOBUFS)
				force = true;	/* lost events: ask directly */
			else if (ret < 0)
				return ret;
		}
		if (!f.ended && (force || dsaio_now_ns() - last_poll >= FALLBACK_NS)) {
			ret = poll_job(nl, &f);
			if (ret)
				return ret;
			last_poll = dsaio_now_ns();
		}
	}
	return dsaio_nl_job_get(nl, f.id, job);
}
