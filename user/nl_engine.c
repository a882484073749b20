// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The kernel engine: the module, over generic netlink. The one place that
 * turns the tool's model into the wire's (a measure_request into a
 * JOB_START config) and back (an ended job into a struct measurement);
 * the commands above see only engine.h.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "engines.h"
#include "nl_follow.h"
#include "nl_model.h"

struct engine_ctx {
	struct dsaio_nl *nl;
	char err[256];		/* a refusal of the engine's own; "" none */
};

static int nl_engine_open(struct engine_ctx **out, char *err, size_t errlen)
{
	struct engine_ctx *ctx = calloc(1, sizeof(*ctx));
	int ret;

	*out = NULL;
	if (!ctx) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	ret = dsaio_nl_open(&ctx->nl, err, errlen);
	if (ret) {
		free(ctx);
		return ret;
	}
	*out = ctx;
	return 0;
}

static void nl_engine_close(struct engine_ctx *ctx)
{
	if (!ctx)
		return;
	dsaio_nl_close(ctx->nl);
	free(ctx);
}

static const char *nl_engine_errmsg(const struct engine_ctx *ctx)
{
	return ctx->err[0] ? ctx->err : dsaio_nl_errmsg(ctx->nl);
}

static int nl_engine_limits(struct engine_ctx *ctx, struct engine_limits *l)
{
	struct nl_info info;
	int ret = dsaio_nl_get_info(ctx->nl, &info);

	if (ret)
		return ret;
	memset(l, 0, sizeof(*l));
	l->max_mem_mb = info.max_mem_mb;
	/*
	 * Each handle of each target is one DSAIO_CFG_TARGETS entry of the
	 * job (nl_model.c); a module without them measures one of one.
	 */
	if (info.features & DSAIO_F_TARGETS) {
		l->max_targets = info.max_targets < DSAIO_MAX_TARGETS ?
				 info.max_targets : DSAIO_MAX_TARGETS;
		l->max_processes = info.max_targets;
	} else {
		l->max_targets = 1;
		l->max_processes = 1;
	}
	l->poll = info.features & DSAIO_F_POLL;
	if (!(info.features & DSAIO_F_FILES))
		l->no_files = "this dsaio.ko does not measure files; load a newer one";
	return 0;
}

struct progress_fwd {
	measure_progress_fn fn;
	void *arg;
};

static void forward_progress(const struct nl_job_progress *p, void *arg)
{
	const struct progress_fwd *f = arg;
	struct measure_progress mp = {
		.bytes_done = p->bytes_done, .bytes_total = p->bytes_total,
		.elapsed_ns = p->elapsed_ns, .loop = p->loop,
	};

	f->fn(&mp, f->arg);
}

static int nl_engine_measure(struct engine_ctx *ctx,
			     const struct measure_request *rq,
			     struct measurement *out, measure_progress_fn fn,
			     void *arg)
{
	struct progress_fwd fwd = { .fn = fn, .arg = arg };
	struct nl_job_config cfg;
	struct nl_job job;
	uint32_t id;
	int ret;

	memset(out, 0, sizeof(*out));
	ctx->err[0] = '\0';
	ret = nl_request_to_config(rq, &cfg);
	if (ret == -E2BIG) {
		/* Each handle of each target is one entry of the job. */
		snprintf(ctx->err, sizeof(ctx->err),
			 "the kernel engine runs at most %d handles in one measurement, not %u targets x %u threads; give fewer --dev/--dir or a lower threads",
			 DSAIO_TARGETS_MAX, measure_request_n_targets(rq),
			 rq->params.processes);
		return -EINVAL;
	}
	if (ret)
		return ret;
	ret = dsaio_follow_job(ctx->nl, &cfg, &id, &job,
			       fn ? forward_progress : NULL, &fwd);
	out->job_id = id;
	if (ret)
		return ret;
	ret = nl_job_to_measurement(&job, out);
	nl_job_free(&job);
	out->job_id = id;
	return ret;
}

const struct dsaio_engine dsaio_nl_engine = {
	.name = "kernel",
	.who = "the module",
	.summary = "dsaio.ko: kernel threads, no system call a request",
	.open = nl_engine_open,
	.limits = nl_engine_limits,
	.measure = nl_engine_measure,
	.errmsg = nl_engine_errmsg,
	.close = nl_engine_close,
};
