/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Minimal raw generic-netlink client for the dsaio selftests: no library,
 * so the tests link statically and see exactly what the kernel sends.
 */
#ifndef DSAIO_CLIENT_H
#define DSAIO_CLIENT_H

#include <stddef.h>
#include <stdint.h>
#include <linux/netlink.h>
#include <linux/genetlink.h>
#include <linux/dsaio.h>

/* An attribute's payload, payload length and type (flags masked off). */
#define NLA_DATA(a)	((void *)((char *)(a) + NLA_HDRLEN))
#define NLA_LEN(a)	((int)(a)->nla_len - NLA_HDRLEN)
#define NLA_TYPE(a)	((a)->nla_type & NLA_TYPE_MASK)
/* Every well-formed attribute in [data, data + len), in order. */
#define for_each_attr(a, data, len, rem)				\
	for ((a) = (struct nlattr *)(data), (rem) = (int)(len);		\
	     (rem) >= (int)NLA_HDRLEN && (a)->nla_len >= NLA_HDRLEN &&	\
	     (int)(a)->nla_len <= (rem);					\
	     (rem) -= NLA_ALIGN((a)->nla_len),				\
	     (a) = (struct nlattr *)((char *)(a) + NLA_ALIGN((a)->nla_len)))

/* a buffer that holds the largest message the module sends */
#define DSC_BUF_SIZE	DSAIO_MSG_MAX
#define DSC_MAX_ERRNOS	16
#define DSC_MAX_STATS	DSAIO_STATS_INLINE_MAX

struct dsc {
	int fd;
	uint16_t family;
	uint32_t mcgrp;		/* "events" group id, 0 if none */
	uint32_t seq;
	uint32_t portid;
	char extack[256];	/* last error message from the kernel */
	int extack_off;		/* last error's attribute offset, -1 if none */
	int miss_type;		/* NLMSGERR_ATTR_MISS_TYPE, -1 if none */
};

/* A message under construction. */
struct dsmsg {
	union {
		struct nlmsghdr nlh;
		char buf[16384];
	};
	int nest[8];
	int depth;
	int overflow;
};

struct dsc_info {
	char version[64];
	uint64_t features;
	int have_features;
	uint32_t limit[DSAIO_LIMIT_MAX + 1];
	int have_limit[DSAIO_LIMIT_MAX + 1];
};

/*
 * A job configuration. Every field is sent only when its "set" bit is on,
 * so tests can leave attributes out.
 */
struct dsc_cfg {
	const char *dev;
	const char *dir;	/* DSAIO_CFG_DIR: a file target */
	uint8_t overwrite, keep_files;
	uint8_t op;
	uint64_t offset, io_size, seed;
	uint32_t block_size, queue_depth, threads, loops, warmup_loops;
	uint8_t single_submit, overlap, validate, allow_write, histogram;
	uint8_t poll;		/* DSAIO_CFG_POLL */
	uint8_t random;		/* DSAIO_CFG_RANDOM */
	uint32_t set;		/* bit (1 << DSAIO_CFG_*) per attribute to send */
	/*
	 * DSAIO_CFG_TARGETS, sent when ntargets > 0 (empty when < 0): entry i is a device
	 * (tdev[i]) or a directory (tdir[i]), with DSAIO_TCFG_OFFSET when bit
	 * i of toffset_set is on. Raw: no check that the entries make sense.
	 */
	int ntargets;
	const char *tdev[DSAIO_TARGETS_MAX + 2], *tdir[DSAIO_TARGETS_MAX + 2];
	uint64_t toffset[DSAIO_TARGETS_MAX + 2];
	uint32_t toffset_set;
};

#define CFG_BIT(a)	(1U << (a))
#define CFG_REQUIRED	(CFG_BIT(DSAIO_CFG_DEV_PATH) | CFG_BIT(DSAIO_CFG_OP) | \
			 CFG_BIT(DSAIO_CFG_IO_SIZE) | CFG_BIT(DSAIO_CFG_BLOCK_SIZE))

struct dsc_stat {
	uint32_t index;
	uint64_t offset, length, time_ns, bytes, requests, errors;
	uint64_t lat_min, lat_max, lat_sum;
	uint64_t start_ns;	/* loops only */
	uint32_t target;	/* workers of a job with DSAIO_CFG_TARGETS */
	uint32_t present;	/* bit per DSAIO_STAT_* seen */
};

/* One entry of DSAIO_A_JOB_TARGETS, with its DSAIO_TGT_RESULT. */
struct dsc_target {
	uint32_t present;	/* bit per DSAIO_TGT_* seen */
	uint32_t index;
	uint8_t kind, state;
	int32_t error;
	uint32_t align;
	uint64_t offset, bytes_done;
	char bdev[DSAIO_TGT_NAME_MAX], fstype[DSAIO_TGT_NAME_MAX];
	char file[DSAIO_TGT_NAME_MAX];
	uint32_t res_present;	/* bit per DSAIO_RES_* seen in its result */
	uint64_t task_ns, e2e_ns, bytes, requests, bios, errors;
	uint64_t lat_min, lat_max, lat_sum, mismatches, first_mismatch;
	uint32_t eio;		/* requests failed with EIO (from ERRNOS) */
};

struct dsc_job {
	uint32_t id;
	uint8_t state;
	int32_t error;
	uint32_t held;		/* DSAIO_A_JOB_HELD */
	uint32_t present;	/* bit per DSAIO_A_* seen */
	/* DSAIO_A_JOB_CONFIG as echoed */
	struct dsc_cfg cfg;
	char dev[DSAIO_DEV_PATH_MAX];
	char dir[DSAIO_DEV_PATH_MAX];
	/* DSAIO_A_JOB_TARGET */
	uint32_t tgt_present;	/* bit per DSAIO_TGT_* seen */
	uint8_t tgt_kind;
	uint32_t tgt_align;
	char tgt_bdev[DSAIO_TGT_NAME_MAX], tgt_fstype[DSAIO_TGT_NAME_MAX];
	char tgt_file[DSAIO_TGT_NAME_MAX];
	/* progress */
	uint64_t bytes_done, bytes_total, elapsed_ns;
	uint32_t loop;
	uint32_t prog_present;
	/* result */
	uint32_t res_present;	/* bit per DSAIO_RES_* seen */
	uint64_t task_ns, e2e_ns, setup_ns, bytes, requests, bios, errors;
	uint64_t polled;	/* DSAIO_RES_POLLED */
	uint64_t lat_min, lat_max, lat_sum, mismatches, first_mismatch;
	uint64_t buf_bytes;	/* DSAIO_RES_BUF_BYTES */
	int nerrnos;
	uint32_t errno_code[DSC_MAX_ERRNOS];
	uint64_t errno_count[DSC_MAX_ERRNOS];
	int hist_buckets;	/* -1 when absent */
	uint64_t hist_total;	/* sum of bucket counts */
	int hist_bad;		/* malformed: index order, reserved, range */
	uint32_t hist_first, hist_last;	/* lowest and highest bucket index */
	int ntargets;		/* DSAIO_A_JOB_TARGETS entries */
	struct dsc_target tgt[DSAIO_TARGETS_MAX];
	int nworkers, nloops;
	struct dsc_stat worker[DSC_MAX_STATS];
	struct dsc_stat loops[DSC_MAX_STATS];
};

#define JOB_ENDED(s)	((s) == DSAIO_JOB_DONE || (s) == DSAIO_JOB_FAILED || \
			 (s) == DSAIO_JOB_CANCELLED)

/* Socket. Returns 0 or -errno (-ENOENT: family not registered). */
int dsc_open(struct dsc *c);
void dsc_close(struct dsc *c);
int dsc_subscribe(struct dsc *c);

/* Message building. */
void msg_init(struct dsmsg *m, const struct dsc *c, uint8_t cmd, uint16_t flags);
void msg_put(struct dsmsg *m, uint16_t type, const void *data, size_t len);
void msg_put_u8(struct dsmsg *m, uint16_t type, uint8_t v);
void msg_put_u32(struct dsmsg *m, uint16_t type, uint32_t v);
void msg_put_u64(struct dsmsg *m, uint16_t type, uint64_t v);
void msg_put_str(struct dsmsg *m, uint16_t type, const char *s);
void msg_nest_start(struct dsmsg *m, uint16_t type);
void msg_nest_end(struct dsmsg *m);
void msg_put_cfg(struct dsmsg *m, const struct dsc_cfg *cfg);

/*
 * Send @m and wait for its acknowledgement. Each reply message's payload is
 * handed to @cb (may be NULL). Returns 0 or the negative errno from the
 * kernel; c->extack holds the kernel's message ("" if none).
 */
typedef int (*dsc_cb)(const struct nlmsghdr *nlh, void *arg);
int dsc_transact(struct dsc *c, struct dsmsg *m, dsc_cb cb, void *arg);
/*
 * dsc_transact() in two steps, for callers that must do nothing else around
 * the send (fault injection armed for the sending thread only): dsc_send()
 * sends @m (adds NLM_F_ACK, clears c->extack) and returns 0 or -errno;
 * dsc_recv_ack() then waits for the acknowledgement of the last message
 * sent, as dsc_transact() does.
 */
int dsc_send(struct dsc *c, struct dsmsg *m);
int dsc_recv_ack(struct dsc *c, dsc_cb cb, void *arg);

/* Commands. */
int dsc_info(struct dsc *c, struct dsc_info *info);
int dsc_start(struct dsc *c, const struct dsc_cfg *cfg, uint32_t *id);
/*
 * dsc_start() in steps: build the JOB_START message, dsc_send() it, then
 * dsc_start_ack() reads the job id (-EPROTO when the reply has none).
 */
void dsc_start_msg(struct dsmsg *m, const struct dsc *c, const struct dsc_cfg *cfg);
int dsc_start_ack(struct dsc *c, uint32_t *id);
int dsc_get(struct dsc *c, uint32_t id, struct dsc_job *job);
int dsc_cancel(struct dsc *c, uint32_t id);
/* Poll JOB_GET until the job ends or @timeout_ms passes (-ETIMEDOUT). */
int dsc_wait(struct dsc *c, uint32_t id, int timeout_ms, struct dsc_job *job);
/* Start and wait. */
int dsc_run(struct dsc *c, const struct dsc_cfg *cfg, int timeout_ms,
	    struct dsc_job *job);
/* Dump every job; @cb is called per job. *intr set if NLM_F_DUMP_INTR seen. */
int dsc_dump(struct dsc *c, void (*cb)(const struct dsc_job *, void *),
	     void *arg, int *intr, int *nmsgs);

/*
 * Every worker and loop entry of an ended job, from the JOB_STATS dump,
 * in malloc'd arrays. @bad counts protocol faults: an entry out of index
 * order or twice, a worker after a loop, an entry outside its nest, a
 * message of another job.
 */
struct dsc_stats {
	struct dsc_stat *worker, *loop;
	uint32_t nworkers, nloops;
	uint32_t cap_workers, cap_loops;
	uint32_t job_id;
	int nmsgs, bad;
};
int dsc_stats_dump(struct dsc *c, uint32_t id, struct dsc_stats *st);
void dsc_stats_free(struct dsc_stats *st);

/* Parse a JOB_GET / EVENT message (genl header included in @nlh). */
int dsc_parse_job(const struct nlmsghdr *nlh, struct dsc_job *job);

/* Receive one multicast message within @timeout_ms into @buf; 0 = timeout. */
int dsc_recv_event(struct dsc *c, void *buf, size_t len, int timeout_ms);

/* A default read configuration. */
void dsc_cfg_init(struct dsc_cfg *cfg, const char *dev, uint8_t op,
		  uint64_t io_size, uint32_t block_size);
/* The same for a file in directory @dir (no DEV_PATH, no ALLOW_WRITE). */
void dsc_cfg_init_dir(struct dsc_cfg *cfg, const char *dir, uint8_t op,
		      uint64_t io_size, uint32_t block_size);

/* Helpers for tests. */
uint64_t dsc_dev_size(const char *dev);		/* 0 on error */
uint32_t dsc_dev_lbs(const char *dev);		/* 0 on error */
const char *dsc_state_name(uint8_t s);
uint64_t now_ms(void);

#endif
