// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The io_uring engine, with liburing and DeepSpeed's knobs: each thread
 * has a ring of queue_depth entries; single submit is one io_uring_submit
 * per SQE, block submit one per batch. Fixed buffers register each
 * thread's slice of the buffer; fixed files register the loop's
 * descriptor in a one-entry table (in the timed loop, as the open is).
 */
#include <errno.h>
#include <liburing.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include "engines.h"
#include "uengine.h"

/* The largest buffer io_uring registers at once. */
#define URING_BUF_MAX	(1ULL << 30)

struct uring {
	struct io_uring ring;
	uint64_t chunk;		/* fixed buffers: bytes per registered iovec */
	bool fixed_files;
	struct io_uring_cqe **cqes;
};

/* The sysctl that turns io_uring off (6.6 and later); -1 when absent. */
static int uring_disabled(void)
{
	FILE *f = fopen("/proc/sys/kernel/io_uring_disabled", "r");
	int v = -1;

	if (f) {
		if (fscanf(f, "%d", &v) != 1)
			v = -1;
		fclose(f);
	}
	return v;
}

static int uring_probe(char *err, size_t errlen)
{
	struct io_uring r;
	int ret = io_uring_queue_init(1, &r, 0);

	if (!ret) {
		io_uring_queue_exit(&r);
		return 0;
	}
	if (ret == -ENOSYS)
		snprintf(err, errlen, "io_uring: this kernel has none (CONFIG_IO_URING is off)");
	else if (ret == -EPERM && uring_disabled() > 0)
		snprintf(err, errlen, "io_uring is disabled here: kernel.io_uring_disabled = %d%s",
			 uring_disabled(), uring_disabled() == 1 ?
			 " (only members of kernel.io_uring_group may use it)" : "");
	else
		snprintf(err, errlen, "io_uring: cannot set up a ring: %s", strerror(-ret));
	return ret;
}

/* Each thread's slice, in iovecs of at most URING_BUF_MAX (whole blocks). */
static int register_buffers(struct uio_worker *w, struct uring *u)
{
	uint64_t bs = w->rq->params.block_size;
	unsigned int n, i;
	struct iovec *iov;
	int ret;

	u->chunk = URING_BUF_MAX / bs * bs;
	if (!u->chunk)
		return -EINVAL;		/* one block above 1 GiB */
	n = (unsigned int)((w->slice_len + u->chunk - 1) / u->chunk);
	iov = calloc(n, sizeof(*iov));
	if (!iov)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		uint64_t at = (uint64_t)i * u->chunk, left = w->slice_len - at;

		iov[i].iov_base = w->slice + at;
		iov[i].iov_len = left < u->chunk ? left : u->chunk;
	}
	ret = io_uring_register_buffers(&u->ring, iov, n);
	free(iov);
	return ret;
}

static int uring_init(struct uio_worker *w)
{
	struct uring *u = calloc(1, sizeof(*u));
	int ret;

	if (!u)
		return -ENOMEM;
	u->cqes = calloc(w->rq->params.queue_depth, sizeof(*u->cqes));
	ret = u->cqes ? io_uring_queue_init(w->rq->params.queue_depth, &u->ring, 0) : -ENOMEM;
	if (ret) {
		free(u->cqes);
		free(u);
		return ret;
	}
	if (w->rq->fixed_buffers)
		ret = register_buffers(w, u);
	if (!ret && w->rq->fixed_files) {
		ret = io_uring_register_files_sparse(&u->ring, 1);
		u->fixed_files = true;
	}
	if (ret) {
		io_uring_queue_exit(&u->ring);
		free(u->cqes);
		free(u);
		return ret;
	}
	w->priv = u;
	return 0;
}

static void uring_exit(struct uio_worker *w)
{
	struct uring *u = w->priv;

	if (!u)
		return;
	io_uring_queue_exit(&u->ring);
	free(u->cqes);
	free(u);
	w->priv = NULL;
}

static int uring_loop_begin(struct uio_worker *w)
{
	struct uring *u = w->priv;
	int ret;

	if (!u->fixed_files)
		return 0;
	ret = io_uring_register_files_update(&u->ring, 0, &w->fd, 1);
	return ret < 0 ? ret : 0;
}

static void prep(struct uio_worker *w, struct uring *u, struct io_uring_sqe *sqe,
		 struct uio_slot *s)
{
	bool rd = w->rq->op == OP_READ;
	int fd = u->fixed_files ? 0 : w->fd;

	if (u->chunk) {
		int idx = (int)((uint64_t)(s->buf - w->slice) / u->chunk);

		if (rd)
			io_uring_prep_read_fixed(sqe, fd, s->buf, s->len, s->off, idx);
		else
			io_uring_prep_write_fixed(sqe, fd, s->buf, s->len, s->off, idx);
	} else if (rd) {
		io_uring_prep_read(sqe, fd, s->buf, s->len, s->off);
	} else {
		io_uring_prep_write(sqe, fd, s->buf, s->len, s->off);
	}
	if (u->fixed_files)
		sqe->flags |= IOSQE_FIXED_FILE;
	io_uring_sqe_set_data(sqe, s);
}

/*
 * The SQ has queue_depth entries and never more requests in flight, so
 * there is always an SQE. The kernel consumes an SQE even when its
 * request fails (that ends in a CQE), so submitting until all n are
 * consumed is what "taken" means here.
 */
static int uring_submit(struct uio_worker *w, struct uio_slot *const *slots,
			unsigned int n)
{
	struct uring *u = w->priv;
	unsigned int i, done = 0;
	int ret;

	for (i = 0; i < n; i++) {
		struct io_uring_sqe *sqe = io_uring_get_sqe(&u->ring);

		if (!sqe)
			return -EBUSY;
		prep(w, u, sqe, slots[i]);
	}
	while (done < n) {
		ret = io_uring_submit(&u->ring);
		if (ret < 0)
			return done ? (int)done : ret;
		if (!ret)
			return done ? (int)done : -EAGAIN;
		done += (unsigned int)ret;
	}
	return (int)n;
}

static int uring_reap(struct uio_worker *w, unsigned int min, unsigned int max,
		      struct uio_done *out)
{
	struct __kernel_timespec ts = { 0, UIO_REAP_TIMEOUT_MS * 1000000LL };
	struct uring *u = w->priv;
	struct io_uring_cqe *cqe;
	unsigned int n, i;
	int ret;

	ret = io_uring_wait_cqes(&u->ring, &cqe, min, &ts, NULL);
	if (ret && ret != -ETIME)
		return ret;
	n = io_uring_peek_batch_cqe(&u->ring, u->cqes, max);
	for (i = 0; i < n; i++) {
		out[i].slot = io_uring_cqe_get_data(u->cqes[i]);
		out[i].res = u->cqes[i]->res;
	}
	io_uring_cq_advance(&u->ring, n);
	return (int)n;
}

static const struct uio_backend uring_backend = {
	.probe = uring_probe,
	.init = uring_init,
	.exit = uring_exit,
	.loop_begin = uring_loop_begin,
	.submit = uring_submit,
	.reap = uring_reap,
	.fixed = true,
};

static int uring_open(struct engine_ctx **out, char *err, size_t errlen)
{
	return uengine_open(&uring_backend, out, err, errlen);
}

const struct dsaio_engine dsaio_uring_engine = {
	.name = "io_uring",
	.who = "the io_uring engine",
	.summary = "the same knobs with liburing; no module",
	.open = uring_open,
	.limits = uengine_limits,
	.measure = uengine_measure,
	.errmsg = uengine_errmsg,
	.close = uengine_close,
};
