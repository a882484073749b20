// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The libaio engine: DeepSpeed's own path to the drive. Each thread has
 * an io_context of queue_depth entries (io_setup), prepares iocbs with
 * io_prep_pread/io_prep_pwrite and hands them over with io_submit, one
 * per call (single submit) or the batch; io_getevents reaps them.
 */
#include <errno.h>
#include <libaio.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "engines.h"
#include "uengine.h"

struct laio {
	io_context_t ctx;
	struct iocb *iocbs;	/* one per slot */
	struct iocb **ptrs;	/* one submit's */
	struct io_event *events;
};

static int laio_probe(char *err, size_t errlen)
{
	io_context_t ctx = 0;
	int ret = io_setup(1, &ctx);	/* libaio returns -errno */

	if (!ret) {
		io_destroy(ctx);
		return 0;
	}
	if (ret == -ENOSYS)
		snprintf(err, errlen, "libaio: this kernel has no asynchronous I/O (CONFIG_AIO is off)");
	else if (ret == -EAGAIN)
		snprintf(err, errlen, "libaio: no io_context left: fs.aio-max-nr is reached");
	else
		snprintf(err, errlen, "libaio: io_setup failed: %s", strerror(-ret));
	return ret;
}

static int laio_init(struct uio_worker *w)
{
	unsigned int qd = w->rq->params.queue_depth;
	struct laio *a = calloc(1, sizeof(*a));
	int ret;

	if (!a)
		return -ENOMEM;
	a->iocbs = calloc(qd, sizeof(*a->iocbs));
	a->ptrs = calloc(qd, sizeof(*a->ptrs));
	a->events = calloc(qd, sizeof(*a->events));
	ret = a->iocbs && a->ptrs && a->events ? io_setup((int)qd, &a->ctx) : -ENOMEM;
	if (ret) {
		free(a->iocbs);
		free(a->ptrs);
		free(a->events);
		free(a);
		return ret;
	}
	w->priv = a;
	return 0;
}

static void laio_exit(struct uio_worker *w)
{
	struct laio *a = w->priv;

	if (!a)
		return;
	io_destroy(a->ctx);	/* waits for what is still in flight */
	free(a->iocbs);
	free(a->ptrs);
	free(a->events);
	free(a);
	w->priv = NULL;
}

static int laio_submit(struct uio_worker *w, struct uio_slot *const *slots,
		       unsigned int n)
{
	struct laio *a = w->priv;
	bool rd = w->rq->op == OP_READ;
	unsigned int i;
	int ret;

	for (i = 0; i < n; i++) {
		struct uio_slot *s = slots[i];
		struct iocb *cb = &a->iocbs[s->index];

		if (rd)
			io_prep_pread(cb, w->fd, s->buf, s->len, (long long)s->off);
		else
			io_prep_pwrite(cb, w->fd, s->buf, s->len, (long long)s->off);
		cb->data = s;
		a->ptrs[i] = cb;
	}
	ret = io_submit(a->ctx, (long)n, a->ptrs);
	return ret == 0 ? -EAGAIN : ret;
}

static int laio_reap(struct uio_worker *w, unsigned int min, unsigned int max,
		     struct uio_done *out)
{
	struct timespec ts = { 0, UIO_REAP_TIMEOUT_MS * 1000000L };
	struct laio *a = w->priv;
	int ret, i;

	ret = io_getevents(a->ctx, (long)min, (long)max, a->events, &ts);
	for (i = 0; i < ret; i++) {
		out[i].slot = a->events[i].data;
		/* res is unsigned long: a negative errno as a huge value */
		out[i].res = (long)a->events[i].res;
	}
	return ret;
}

static const struct uio_backend laio_backend = {
	.probe = laio_probe,
	.init = laio_init,
	.exit = laio_exit,
	.submit = laio_submit,
	.reap = laio_reap,
};

static int laio_open(struct engine_ctx **out, char *err, size_t errlen)
{
	return uengine_open(&laio_backend, out, err, errlen);
}

const struct dsaio_engine dsaio_libaio_engine = {
	.name = "libaio",
	.who = "the libaio engine",
	.summary = "DeepSpeed's path, io_submit from threads; no module",
	.open = laio_open,
	.limits = uengine_limits,
	.measure = uengine_measure,
	.errmsg = uengine_errmsg,
	.close = uengine_close,
};
