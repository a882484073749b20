/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * dsaio: in-kernel asynchronous block I/O benchmark with DeepSpeed's
 * submission semantics, controlled over generic netlink.
 *
 * This header is the only definition of the protocol; the module (kmod/)
 * and the tool (user/) both include it.
 *
 * Family "dsaio" (DSAIO_GENL_NAME), version 1 (DSAIO_GENL_VERSION).
 * Every command needs CAP_NET_ADMIN (GENL_ADMIN_PERM). Policies are strict:
 * unknown attributes, wrong lengths, strings too long and out-of-range
 * values are refused with an extack message that names the attribute and
 * what it takes. The family grows only by appending attributes and
 * commands; numbers never change.
 *
 * Who may do what. CAP_NET_ADMIN (in the initial user namespace) lets a
 * caller talk to the family; it gives no right to any disk. On top of it,
 * JOB_START checks the caller's own rights to every target, with the
 * credentials of the process that sends it:
 *   - a device (DSAIO_CFG_DEV_PATH, DSAIO_TCFG_DEV_PATH): the permission an
 *     open() of the node would need, read for a read job (validating or
 *     not), read and write for a write job, on a mount that allows device
 *     nodes (not nodev); refused with -EACCES otherwise. The device opened
 *     is the one the checked node names.
 *   - a device write also needs CAP_SYS_RAWIO or CAP_SYS_ADMIN, held by
 *     both the sender and the socket's opener: capabilities that already
 *     mean raw disk access (refused with -EPERM), and DSAIO_CFG_ALLOW_WRITE.
 *   - a file in a directory (DSAIO_CFG_DIR, DSAIO_TCFG_DIR): the module
 *     creates, writes, reads and removes it as the caller (its credentials
 *     are kept for the whole job), so it needs what the caller would:
 *     search permission to the directory and write permission in it
 *     (-EACCES). No capability beyond CAP_NET_ADMIN: the job touches only
 *     a file of its own.
 * Every refusal has an extack sentence naming the attribute and what was
 * missing (with DSAIO_CFG_TARGETS, the entry).
 *
 * Units: sizes and offsets in bytes, times in nanoseconds, unless a name
 * says otherwise. All integers are host-endian. Booleans are u8 0 or 1.
 *
 * DSAIO_CMD_GET_INFO (doit)
 *   request:  (empty)
 *   reply:    DSAIO_A_VERSION     string   module version, e.g. "0.1.0"
 *             DSAIO_A_FEATURES    u64      DSAIO_F_* bits this module has
 *             DSAIO_A_LIMITS      nest     load-time limits:
 *               DSAIO_LIMIT_MAX_JOBS        u32  concurrent jobs (running)
 *               DSAIO_LIMIT_MAX_THREADS     u32  workers per job
 *               DSAIO_LIMIT_MAX_QUEUE_DEPTH u32  requests in flight per worker
 *               DSAIO_LIMIT_MAX_BLOCK_SIZE  u32  bytes per request
 *               DSAIO_LIMIT_MAX_MEM_MB      u32  buffer memory of all jobs, MiB
 *               DSAIO_LIMIT_MAX_RESULTS     u32  finished jobs kept for JOB_GET
 *               DSAIO_LIMIT_MAX_LOOPS       u32  loops per job
 *               DSAIO_LIMIT_MAX_TARGETS     u32  targets per job
 *                                                (DSAIO_TARGETS_MAX)
 *
 * DSAIO_CMD_JOB_START (doit)
 *   request:  DSAIO_A_JOB_CONFIG  nest (NLA_F_NESTED), DSAIO_CFG_*:
 *               DSAIO_CFG_DEV_PATH      string  a block device node; this,
 *                                               DSAIO_CFG_DIR or
 *                                               DSAIO_CFG_TARGETS, one only
 *               DSAIO_CFG_OP            u8      required; enum dsaio_op
 *               DSAIO_CFG_IO_SIZE       u64     required; bytes per loop, > 0,
 *                                               multiple of the logical
 *                                               block size
 *               DSAIO_CFG_BLOCK_SIZE    u32     required; bytes per request,
 *                                               multiple of the device's
 *                                               logical block size,
 *                                               <= max_block_size
 *               DSAIO_CFG_OFFSET        u64     default 0; region start,
 *                                               logical-block aligned
 *               DSAIO_CFG_QUEUE_DEPTH   u32     default 1; 1..max_queue_depth
 *               DSAIO_CFG_THREADS       u32     default 1; 1..max_threads
 *               DSAIO_CFG_SINGLE_SUBMIT u8      default 0
 *               DSAIO_CFG_OVERLAP_EVENTS u8     default 1
 *               DSAIO_CFG_LOOPS         u32     default 1; 1..max_loops
 *               DSAIO_CFG_VALIDATE      u8      default 0
 *               DSAIO_CFG_SEED          u64     default 0; pattern seed
 *               DSAIO_CFG_ALLOW_WRITE   u8      default 0; must be 1 for
 *                                               DSAIO_OP_WRITE
 *               DSAIO_CFG_HISTOGRAM     u8      default 1; 0 skips the
 *                                               per-request latency histogram
 *                                               (to measure its cost)
 *               DSAIO_CFG_WARMUP_LOOPS  u32     default 0; 0..max_loops loops
 *                                               run first, in lock-step, and
 *                                               left out of the result (as
 *                                               DeepSpeed's ds_io
 *                                               --warmup_loops, whose default
 *                                               is 1); see below
 *               DSAIO_CFG_DIR           string  a directory on a filesystem on a
 *                                               block device: measure a file
 *                                               in it (see Files, below)
 *               DSAIO_CFG_OVERWRITE     u8      default 0; DIR writes: 1
 *                                               overwrites one file written
 *                                               in full at set-up, instead of
 *                                               a new file each loop
 *               DSAIO_CFG_KEEP_FILES    u8      default 0; 1 leaves the
 *                                               job's file in DIR at the end
 *               DSAIO_CFG_TARGETS       nest    several targets at once
 *                                               (see Targets, below)
 *               DSAIO_CFG_POLL          u8      default 0; 1 submits bios
 *                                               with REQ_POLLED and reaps
 *                                               them with bio_poll() in
 *                                               the worker, which spins
 *                                               instead of sleeping: block
 *                                               devices with poll queues
 *                                               only (null_blk or nvme
 *                                               poll_queues=), at most
 *                                               the device's nr_requests
 *                                               bios in flight
 *               DSAIO_CFG_RANDOM        u8      default 0: each worker walks
 *                                               its slice in order (as
 *                                               DeepSpeed); 1: in a random
 *                                               order (see Order, below)
 *   reply:    DSAIO_A_JOB_ID      u32      at once; the I/O runs in kernel
 *                                          workers after the reply.
 *   The region [offset, offset + io_size) must lie inside the device. It is
 *   split into `threads` contiguous slices of io_size / threads bytes,
 *   rounded down to the logical block size; the last slice takes the
 *   remainder. Each worker walks its slice in requests of block_size bytes;
 *   a slice's last request may be shorter (still whole logical blocks).
 *   No I/O ever leaves the region. Order (DSAIO_CFG_RANDOM=1,
 *   DSAIO_F_RANDOM): each loop, each worker still requests every block
 *   (block_size bytes) of its slice exactly once, but in a pseudo-random
 *   order, a bijection of the slice's blocks keyed by DSAIO_CFG_SEED, the
 *   worker's number and the loop's (warm-up loops counted), so a job
 *   repeats exactly and loops and workers differ; bytes, requests and
 *   validation are as in order.
 *   No I/O ever leaves the region. A worker's buffer is
 *   min(queue_depth * block_size, slice length) bytes, allocated once.
 *   A write job opens the device exclusively: -EBUSY while a filesystem,
 *   dm/md, swap or another writer holds it. A read job opens it shared.
 *   Data: a write job with validate=1 fills every request with the pattern
 *   (dsaio_pattern_word() for each 8-byte word at its absolute device
 *   offset); without validate it writes a buffer filled once at set-up. A
 *   read job with validate=1 checks every logical block it reads.
 *   Warm-up: the job first runs warmup_loops loops, then the `loops` it
 *   measures. The result (Task, E2E, bytes, requests, bios, latencies,
 *   histogram, worker and loop entries) covers those; an I/O error or a
 *   validation mismatch in a warm-up loop still counts, and ends or fails
 *   the job as in any loop. Progress counts every loop, warm-up included.
 *   Errors: -EINVAL (bad value, with extack), -ENOTBLK (not a block
 *   device), -ENOENT, -EPERM (write without allow-write), -EBUSY, -ENOMEM
 *   (buffer memory over max_mem_mb), -EAGAIN (max_jobs running).
 *   Files (DSAIO_CFG_DIR): the job measures one regular file that it
 *   creates in DIR, named "dsaio-<job id>.dat" (DSAIO_TGT_FILE), with the
 *   caller's credentials and mount namespace, exclusively (O_EXCL, so an
 *   existing name, a planted symlink included, is refused with -EEXIST),
 *   opened O_DIRECT. The region is [offset, offset + io_size) of that file
 *   and the file holds offset + io_size bytes. A read job (and an
 *   overwrite job) writes the whole file with the pattern at set-up, not
 *   timed, so validated reads check it. A write job without overwrite
 *   measures a new, empty file each loop, as DeepSpeed removes its file
 *   before each write loop: between loops (untimed) the file is removed
 *   and created again. ALLOW_WRITE is not needed: only the job's own file
 *   is written. The file is removed when the job ends for any reason
 *   (done, failed, cancelled, socket closed, module unload) unless
 *   KEEP_FILES is 1. Job ids increase but need not be consecutive. The
 *   alignment is the filesystem's direct-I/O offset alignment
 *   (DSAIO_TGT_ALIGN). Refused: DIR not a directory (-ENOTDIR), no
 *   permission (-EACCES), a filesystem not on a block device such as
 *   tmpfs, overlay or NFS (-EOPNOTSUPP), read-only (-EROFS), less free
 *   space than offset + io_size (-ENOSPC), no direct I/O (-EINVAL).
 *   ENOSPC or an I/O error while the job runs fails it with that error.
 *   Targets (DSAIO_CFG_TARGETS, DSAIO_F_TARGETS): one job measures several
 *   targets together, as DeepSpeed gives each folder (or each of its
 *   `threads` handles) its own handle. The nest holds 1..DSAIO_TARGETS_MAX
 *   DSAIO_TCFG_ENTRY nests, in order, each:
 *     DSAIO_TCFG_DEV_PATH  string  a block device node, or
 *     DSAIO_TCFG_DIR       string  a directory (a file in it, as DIR);
 *                                  exactly one of the two, and the same
 *                                  kind in every entry
 *     DSAIO_TCFG_OFFSET    u64     default DSAIO_CFG_OFFSET; the target's
 *                                  region start
 *   DSAIO_CFG_DEV_PATH and DSAIO_CFG_DIR must then be absent. Every other
 *   attribute applies to each target: each has its own region
 *   [offset, offset + io_size) and its own `threads` workers (io_parallel
 *   per target), sliced as above; workers are numbered target by target
 *   (target i has workers i * threads ..). All workers of all targets
 *   start each loop together and meet at one barrier, so the job's Task is
 *   its slowest target's, each loop's wall time (E2E) ends with the last
 *   completion of any target, and bytes, requests, errors and mismatches
 *   are summed over the targets, latencies taken over all requests.
 *   Two entries may name the same device only when their regions do not
 *   overlap (several handles on slices of one device, DeepSpeed's
 *   `threads`); two entries may name one directory, and each has its
 *   own file, "dsaio-<job id>.<entry index>.dat". Every
 *   target is opened and checked as a single one is (a write target
 *   exclusively); the first refusal refuses the job, with an extack that
 *   points at that DSAIO_TCFG_ENTRY and, on kernels that format extack
 *   messages (6.2 and later), names it: "target <entry index>: ...", the
 *   sentence cut to their 80 bytes.
 *   Limits: threads x targets workers at most max_threads, and the
 *   buffers of all of them within max_mem_mb. A job with DSAIO_CFG_TARGETS
 *   ends as a whole: the first I/O error on any target fails the job
 *   (that target's DSAIO_TGT_STATE says FAILED with its DSAIO_TGT_ERROR,
 *   the others' CANCELLED); a cancel, socket close or module unload
 *   cancels every target. Without DSAIO_CFG_TARGETS nothing changes: one
 *   target, and no DSAIO_A_JOB_TARGETS in replies.
 *
 * DSAIO_CMD_JOB_GET (doit and dumpit)
 *   request:  DSAIO_A_JOB_ID (doit only; ids start at 1, and 0 is refused
 *             by the attribute policy with -ERANGE)
 *   reply:    DSAIO_A_JOB_ID, DSAIO_A_JOB_STATE, DSAIO_A_JOB_ERROR,
 *             DSAIO_A_JOB_CONFIG (as given, with defaults filled in; an
 *             empty string is left out), DSAIO_A_JOB_TARGET,
 *             DSAIO_A_JOB_PROGRESS, DSAIO_A_JOB_HELD, and, once the job
 *             has ended, DSAIO_A_JOB_RESULT. A job started with
 *             DSAIO_CFG_TARGETS also has DSAIO_A_JOB_TARGETS (not in a
 *             dump); its DSAIO_A_JOB_TARGET is its first target's.
 *   DSAIO_A_JOB_HELD (u32) counts the job's requests submitted and not
 *             yet completed: while it runs, those in flight; once it has
 *             ended, those the device still holds (see JOB_CANCEL).
 *   The dump walks all jobs (running and kept results) in id order; it is
 *   resumable and flags NLM_F_DUMP_INTR when the job list changed under it.
 *   In a dump DSAIO_A_JOB_RESULT leaves out DSAIO_RES_HIST,
 *   DSAIO_RES_WORKERS and DSAIO_RES_LOOPS so that every message fits a
 *   dump buffer; ask JOB_GET by id for those.
 *   A nest's length is 16 bits, so a doit reply (and a DONE event) carries
 *   DSAIO_RES_WORKERS only when the job had at most DSAIO_STATS_INLINE_MAX
 *   workers, and DSAIO_RES_LOOPS only when it had at most that many loops;
 *   DSAIO_CMD_JOB_STATS gives every entry at any size.
 *
 * DSAIO_CMD_JOB_CANCEL (doit)
 *   request:  DSAIO_A_JOB_ID
 *   Stops a running job: no new requests are submitted, in-flight ones are
 *   waited for, the job ends in DSAIO_JOB_CANCELLED with the results so far.
 *   Cancelling an ended job is not an error (no-op). Unknown id: -ENOENT.
 *   A device may not answer (a suspended dm device, a multipath queueing
 *   without a path): in-flight requests are waited for one second at most
 *   (DSAIO_STOP_GRACE), so a cancel, a socket close or a failure ends the
 *   job within about two seconds, with DSAIO_A_JOB_HELD the requests the
 *   device still holds (not in the result). Their buffers and the device
 *   stay held until the last one ends, and so does the module: rmmod
 *   fails at once with EBUSY ("in use") meanwhile. Only an unload begun
 *   while such a job still ran waits for the device.
 *
 * DSAIO_CMD_JOB_STATS (dumpit only)
 *   request:  DSAIO_A_JOB_ID, required; the job must have ended
 *             (-EBUSY while it runs, -ENOENT when unknown, with extack).
 *   reply:    messages of DSAIO_A_JOB_ID and DSAIO_A_JOB_RESULT holding
 *             DSAIO_RES_WORKERS and/or DSAIO_RES_LOOPS with as many
 *             entries as fit: every worker entry in index order, then every
 *             loop entry in index order, each exactly once. Resumable.
 *
 * DSAIO_CMD_EVENT_PROGRESS, DSAIO_CMD_EVENT_DONE (multicast only)
 *   Sent to group DSAIO_MCGRP_EVENTS ("events", CAP_NET_ADMIN to join).
 *   PROGRESS: DSAIO_A_JOB_ID, DSAIO_A_JOB_STATE, DSAIO_A_JOB_PROGRESS, about
 *   every progress_ms (module parameter) while a job runs.
 *   DONE: the same attributes as a JOB_GET doit reply, once, when a job ends.
 *
 * Ownership: a job belongs to the netlink socket that started it. When that
 * socket closes, its running jobs are cancelled; their results are kept.
 * At most max_results ended jobs are kept; the oldest are dropped first.
 *
 * DSAIO_A_JOB_TARGET nest, DSAIO_TGT_*: what was measured, as opened
 *   DSAIO_TGT_KIND         u8      enum dsaio_target_kind
 *   DSAIO_TGT_BDEV         string  the block device the I/O reaches (the
 *                                  one under the filesystem for a file),
 *                                  kernel name such as "nvme0n1"
 *   DSAIO_TGT_ALIGN        u32     I/O alignment in bytes (logical block
 *                                  size, or the direct-I/O alignment)
 *   DSAIO_TGT_FSTYPE       string  file only: the filesystem, e.g. "xfs"
 *   DSAIO_TGT_FILE         string  file only: the file's name in DIR
 *
 * DSAIO_A_JOB_TARGETS nest of DSAIO_A_JOB_TARGET (nest), one per entry
 *   of DSAIO_CFG_TARGETS in its order, each the DSAIO_TGT_* above and:
 *   DSAIO_TGT_INDEX        u32     the entry's index, from 0
 *   DSAIO_TGT_OFFSET       u64     its region's start
 *   DSAIO_TGT_STATE        u8      enum dsaio_job_state: SETUP or RUNNING
 *                                  with the job; at the end DONE, FAILED
 *                                  (this target's error ended it) or
 *                                  CANCELLED (stopped: a cancel, socket
 *                                  close, unload, or another target failed)
 *   DSAIO_TGT_ERROR        s32     0, or the negative errno of its failure
 *   DSAIO_TGT_BYTES_DONE   u64     progress: bytes its workers completed
 *   DSAIO_TGT_RESULT       nest    once the job has ended: DSAIO_RES_* of
 *                                  its workers alone (TASK_NS: its longest
 *                                  worker; E2E_NS: per loop its own last
 *                                  completion - the release, summed; BYTES,
 *                                  REQUESTS, BIOS, ERRORS, LAT_*,
 *                                  MISMATCHES, FIRST_MISMATCH, ERRNOS);
 *                                  no SETUP_NS, HIST, WORKERS or LOOPS
 *
 * DSAIO_A_JOB_PROGRESS nest, DSAIO_PROG_*:
 *   DSAIO_PROG_BYTES_DONE  u64  bytes completed, all loops and workers
 *   DSAIO_PROG_BYTES_TOTAL u64  io_size * targets * (warmup_loops + loops)
 *   DSAIO_PROG_LOOP        u32  loops (warm-up included) every worker
 *                               completed
 *   DSAIO_PROG_ELAPSED_NS  u64  since JOB_START
 *
 * Timing, as DeepSpeed's ds_aio_handle.py times one process's handle:
 * loops run in lock-step. Every worker waits at a barrier until all
 * workers have finished the loop (every request completed) before any
 * starts the next one, as DeepSpeed's handle wait()s for all its intra-op
 * threads and then meets the other processes at a barrier. Loop l starts
 * at its release, rel(l): the instant the barrier opens for it, as
 * DeepSpeed's clock starts before its handle hands the work to its
 * threads. For worker w, busy(w, l) = w's last completion in l - rel(l);
 * wall(l) = the last completion of any worker in l - rel(l), so wall(l)
 * is the largest busy(w, l). Set-up (device open, buffer allocation and
 * fill, worker thread creation) happens before the first loop and is in
 * neither Task nor E2E; nor is the time workers wait at the barrier.
 *
 * DSAIO_A_JOB_RESULT nest, DSAIO_RES_*:
 *   DSAIO_RES_TASK_NS      u64  max over workers w of sum over loops of
 *                               busy(w, l): the longest worker's own I/O
 *                               time (DeepSpeed's "Task")
 *   DSAIO_RES_E2E_NS       u64  sum over loops of wall(l) (DeepSpeed's
 *                               "E2E"); TASK_NS <= E2E_NS, equal with
 *                               one loop
 *   DSAIO_RES_SETUP_NS     u64  from JOB_START to the release of the first
 *                               loop: device open, buffers, workers
 *   DSAIO_RES_BUF_BYTES    u64  job result only: the most I/O buffer
 *                               memory the job held at once, all workers
 *                               and targets, in the pages the module
 *                               allocated (a buffer is queue_depth x
 *                               block_size per worker, at most its slice,
 *                               in power-of-two chunks)
 *   DSAIO_RES_BYTES        u64  bytes transferred without error
 *   DSAIO_RES_REQUESTS     u64  requests completed (with or without error)
 *   DSAIO_RES_BIOS         u64  submission units: bios to a device (a
 *                               request may need several), kiocbs to a file
 *   DSAIO_RES_ERRORS       u64  requests that completed with an error
 *   DSAIO_RES_POLLED       u64  bios completed by their own worker's
 *                               bio_poll() calls (DSAIO_CFG_POLL; 0
 *                               without); workers sharing a poll queue
 *                               also reap each other's, not counted
 *   DSAIO_RES_LAT_MIN_NS   u64  per-request submit-to-completion latency
 *   DSAIO_RES_LAT_MAX_NS   u64
 *   DSAIO_RES_LAT_SUM_NS   u64  mean = LAT_SUM_NS / REQUESTS
 *   DSAIO_RES_MISMATCHES   u64  validating reads: logical blocks (of the
 *                               device's logical block size) whose content
 *                               differs from the pattern, all loops counted
 *   DSAIO_RES_FIRST_MISMATCH u64 absolute byte offset of the lowest
 *                               mismatching logical block; only when
 *                               MISMATCHES > 0
 *   DSAIO_RES_ERRNOS       nest of DSAIO_ERRNO_ENTRY (nest), each:
 *     DSAIO_ERRNO_CODE     u32  positive errno
 *     DSAIO_ERRNO_COUNT    u64  requests that failed with it
 *   DSAIO_RES_HIST         binary: array of struct dsaio_hist_bucket, only
 *                               the non-empty buckets, ascending index
 *                               (absent when the histogram was off)
 *   DSAIO_RES_WORKERS      nest of DSAIO_RES_WORKER (nest), DSAIO_STAT_*,
 *                               one per worker, totals over all loops
 *   DSAIO_RES_LOOPS        nest of DSAIO_RES_LOOP (nest), DSAIO_STAT_*,
 *                               one per loop, totals over all workers
 *
 * DSAIO_STAT_* (in a worker or loop entry):
 *   DSAIO_STAT_INDEX       u32  worker or loop number, from 0
 *   DSAIO_STAT_OFFSET      u64  worker only: its slice's absolute start
 *   DSAIO_STAT_LENGTH      u64  worker only: its slice's length
 *   DSAIO_STAT_TIME_NS     u64  worker: sum over loops of busy(w, l);
 *                               loop: wall(l)
 *   DSAIO_STAT_BYTES, DSAIO_STAT_REQUESTS, DSAIO_STAT_ERRORS u64
 *   DSAIO_STAT_LAT_MIN_NS, DSAIO_STAT_LAT_MAX_NS, DSAIO_STAT_LAT_SUM_NS u64
 *   DSAIO_STAT_START_NS    u64  loop only: rel(l), in ns after JOB_START
 *                               (0 when it submitted nothing)
 *   DSAIO_STAT_TARGET      u32  worker only, and only in a job with
 *                               DSAIO_CFG_TARGETS: its target's index
 */
#ifndef _UAPI_LINUX_DSAIO_H
#define _UAPI_LINUX_DSAIO_H

#include <linux/types.h>

#define DSAIO_GENL_NAME		"dsaio"
#define DSAIO_GENL_VERSION	1
#define DSAIO_MCGRP_EVENTS	"events"

/* Longest device path accepted, including the terminating NUL. */
#define DSAIO_DEV_PATH_MAX	256

enum dsaio_cmd {
	DSAIO_CMD_UNSPEC,
	DSAIO_CMD_GET_INFO,
	DSAIO_CMD_JOB_START,
	DSAIO_CMD_JOB_GET,
	DSAIO_CMD_JOB_CANCEL,
	DSAIO_CMD_EVENT_PROGRESS,
	DSAIO_CMD_EVENT_DONE,
	DSAIO_CMD_JOB_STATS,

	__DSAIO_CMD_MAX,
	DSAIO_CMD_MAX = __DSAIO_CMD_MAX - 1
};

enum dsaio_op {
	DSAIO_OP_READ,
	DSAIO_OP_WRITE,

	__DSAIO_OP_MAX,
	DSAIO_OP_MAX = __DSAIO_OP_MAX - 1
};

/* What a job measures (DSAIO_TGT_KIND). */
enum dsaio_target_kind {
	DSAIO_TARGET_BDEV,	/* a block device (DSAIO_CFG_DEV_PATH) */
	DSAIO_TARGET_FILE,	/* a file in a directory (DSAIO_CFG_DIR) */

	__DSAIO_TARGET_MAX,
	DSAIO_TARGET_MAX = __DSAIO_TARGET_MAX - 1
};

enum dsaio_job_state {
	DSAIO_JOB_SETUP,	/* opening the device, allocating buffers */
	DSAIO_JOB_RUNNING,	/* workers are submitting I/O */
	DSAIO_JOB_DONE,		/* every loop completed (errors may be counted) */
	DSAIO_JOB_FAILED,	/* ended early by an error: DSAIO_A_JOB_ERROR */
	DSAIO_JOB_CANCELLED,	/* JOB_CANCEL, socket closed, or module unload */

	__DSAIO_JOB_STATE_MAX,
	DSAIO_JOB_STATE_MAX = __DSAIO_JOB_STATE_MAX - 1
};

/* Feature bits reported by GET_INFO in DSAIO_A_FEATURES. */
#define DSAIO_F_VALIDATE	(1ULL << 0) /* pattern write and read check */
#define DSAIO_F_HISTOGRAM	(1ULL << 1) /* DSAIO_RES_HIST, can be turned off */
#define DSAIO_F_SPLIT_BIOS	(1ULL << 2) /* requests larger than one bio */
#define DSAIO_F_EVENTS		(1ULL << 3) /* "events" multicast group */
#define DSAIO_F_WORKER_STATS	(1ULL << 4) /* DSAIO_RES_WORKERS and _LOOPS */
#define DSAIO_F_STATS_DUMP	(1ULL << 5) /* DSAIO_CMD_JOB_STATS */
#define DSAIO_F_LOCKSTEP	(1ULL << 6) /* lock-step loops, DeepSpeed's
					     * Task/E2E, DSAIO_RES_SETUP_NS
					     */
#define DSAIO_F_FILES		(1ULL << 7) /* DSAIO_CFG_DIR, DSAIO_A_JOB_TARGET */
#define DSAIO_F_TARGETS		(1ULL << 8) /* DSAIO_CFG_TARGETS,
					     * DSAIO_A_JOB_TARGETS
					     */
#define DSAIO_F_POLL		(1ULL << 9) /* DSAIO_CFG_POLL, DSAIO_RES_POLLED */
#define DSAIO_F_RANDOM		(1ULL << 10) /* DSAIO_CFG_RANDOM */
#define DSAIO_F_ALL		(DSAIO_F_VALIDATE | DSAIO_F_HISTOGRAM | \
				 DSAIO_F_SPLIT_BIOS | DSAIO_F_EVENTS | \
				 DSAIO_F_WORKER_STATS | DSAIO_F_STATS_DUMP | \
				 DSAIO_F_LOCKSTEP | DSAIO_F_FILES | \
				 DSAIO_F_TARGETS | DSAIO_F_POLL | \
				 DSAIO_F_RANDOM)

/* Most entries in DSAIO_CFG_TARGETS. */
#define DSAIO_TARGETS_MAX	16

/*
 * Most worker (and, separately, loop) entries a JOB_GET doit reply or a
 * DONE event carries inline; DSAIO_CMD_JOB_STATS has them all.
 */
#define DSAIO_STATS_INLINE_MAX	128

/*
 * The largest message the family sends (a JOB_GET reply or a DONE event
 * with everything inline), netlink header included: JOB_START refuses a
 * job whose results could be larger, so a reader whose buffer holds this
 * many bytes reads every message whole.
 */
#define DSAIO_MSG_MAX		(128 * 1024)

enum dsaio_attr {
	DSAIO_A_UNSPEC,
	DSAIO_A_PAD,
	DSAIO_A_VERSION,	/* string */
	DSAIO_A_FEATURES,	/* u64, DSAIO_F_* */
	DSAIO_A_LIMITS,		/* nest, DSAIO_LIMIT_* */
	DSAIO_A_JOB_ID,		/* u32, >= 1 */
	DSAIO_A_JOB_STATE,	/* u8, enum dsaio_job_state */
	DSAIO_A_JOB_ERROR,	/* s32, 0 or the negative errno that ended it */
	DSAIO_A_JOB_CONFIG,	/* nest, DSAIO_CFG_* */
	DSAIO_A_JOB_PROGRESS,	/* nest, DSAIO_PROG_* */
	DSAIO_A_JOB_RESULT,	/* nest, DSAIO_RES_* */
	DSAIO_A_JOB_TARGET,	/* nest, DSAIO_TGT_* */
	DSAIO_A_JOB_TARGETS,	/* nest of DSAIO_A_JOB_TARGET */
	DSAIO_A_JOB_HELD,	/* u32, requests the device still holds */

	__DSAIO_A_MAX,
	DSAIO_A_MAX = __DSAIO_A_MAX - 1
};

enum dsaio_limit_attr {
	DSAIO_LIMIT_UNSPEC,
	DSAIO_LIMIT_MAX_JOBS,
	DSAIO_LIMIT_MAX_THREADS,
	DSAIO_LIMIT_MAX_QUEUE_DEPTH,
	DSAIO_LIMIT_MAX_BLOCK_SIZE,
	DSAIO_LIMIT_MAX_MEM_MB,
	DSAIO_LIMIT_MAX_RESULTS,
	DSAIO_LIMIT_MAX_LOOPS,
	DSAIO_LIMIT_MAX_TARGETS,

	__DSAIO_LIMIT_MAX,
	DSAIO_LIMIT_MAX = __DSAIO_LIMIT_MAX - 1
};

enum dsaio_cfg_attr {
	DSAIO_CFG_UNSPEC,
	DSAIO_CFG_PAD,
	DSAIO_CFG_DEV_PATH,
	DSAIO_CFG_OP,
	DSAIO_CFG_OFFSET,
	DSAIO_CFG_IO_SIZE,
	DSAIO_CFG_BLOCK_SIZE,
	DSAIO_CFG_QUEUE_DEPTH,
	DSAIO_CFG_THREADS,
	DSAIO_CFG_SINGLE_SUBMIT,
	DSAIO_CFG_OVERLAP_EVENTS,
	DSAIO_CFG_LOOPS,
	DSAIO_CFG_VALIDATE,
	DSAIO_CFG_SEED,
	DSAIO_CFG_ALLOW_WRITE,
	DSAIO_CFG_HISTOGRAM,
	DSAIO_CFG_WARMUP_LOOPS,
	DSAIO_CFG_DIR,
	DSAIO_CFG_OVERWRITE,
	DSAIO_CFG_KEEP_FILES,
	DSAIO_CFG_TARGETS,	/* nest of DSAIO_TCFG_ENTRY */
	DSAIO_CFG_POLL,		/* u8 */
	DSAIO_CFG_RANDOM,	/* u8 */

	__DSAIO_CFG_MAX,
	DSAIO_CFG_MAX = __DSAIO_CFG_MAX - 1
};

/* One target of DSAIO_CFG_TARGETS. */
enum dsaio_tcfg_attr {
	DSAIO_TCFG_UNSPEC,
	DSAIO_TCFG_PAD,
	DSAIO_TCFG_ENTRY,	/* nest (inside DSAIO_CFG_TARGETS) */
	DSAIO_TCFG_DEV_PATH,	/* string */
	DSAIO_TCFG_DIR,		/* string */
	DSAIO_TCFG_OFFSET,	/* u64 */

	__DSAIO_TCFG_MAX,
	DSAIO_TCFG_MAX = __DSAIO_TCFG_MAX - 1
};

enum dsaio_tgt_attr {
	DSAIO_TGT_UNSPEC,
	DSAIO_TGT_PAD,
	DSAIO_TGT_KIND,
	DSAIO_TGT_BDEV,
	DSAIO_TGT_ALIGN,
	DSAIO_TGT_FSTYPE,
	DSAIO_TGT_FILE,
	DSAIO_TGT_INDEX,	/* u32; DSAIO_A_JOB_TARGETS only, as below */
	DSAIO_TGT_OFFSET,	/* u64 */
	DSAIO_TGT_STATE,	/* u8, enum dsaio_job_state */
	DSAIO_TGT_ERROR,	/* s32 */
	DSAIO_TGT_BYTES_DONE,	/* u64 */
	DSAIO_TGT_RESULT,	/* nest, DSAIO_RES_* */

	__DSAIO_TGT_MAX,
	DSAIO_TGT_MAX = __DSAIO_TGT_MAX - 1
};

/* Longest DSAIO_TGT_* string, including the terminating NUL. */
#define DSAIO_TGT_NAME_MAX	32

enum dsaio_prog_attr {
	DSAIO_PROG_UNSPEC,
	DSAIO_PROG_PAD,
	DSAIO_PROG_BYTES_DONE,
	DSAIO_PROG_BYTES_TOTAL,
	DSAIO_PROG_LOOP,
	DSAIO_PROG_ELAPSED_NS,

	__DSAIO_PROG_MAX,
	DSAIO_PROG_MAX = __DSAIO_PROG_MAX - 1
};

enum dsaio_res_attr {
	DSAIO_RES_UNSPEC,
	DSAIO_RES_PAD,
	DSAIO_RES_TASK_NS,
	DSAIO_RES_E2E_NS,
	DSAIO_RES_BYTES,
	DSAIO_RES_REQUESTS,
	DSAIO_RES_BIOS,
	DSAIO_RES_ERRORS,
	DSAIO_RES_LAT_MIN_NS,
	DSAIO_RES_LAT_MAX_NS,
	DSAIO_RES_LAT_SUM_NS,
	DSAIO_RES_MISMATCHES,
	DSAIO_RES_FIRST_MISMATCH,
	DSAIO_RES_ERRNOS,	/* nest of DSAIO_ERRNO_ENTRY */
	DSAIO_RES_HIST,		/* binary, struct dsaio_hist_bucket[] */
	DSAIO_RES_WORKERS,	/* nest of DSAIO_RES_WORKER */
	DSAIO_RES_LOOPS,	/* nest of DSAIO_RES_LOOP */
	DSAIO_RES_WORKER,	/* nest, DSAIO_STAT_* (inside DSAIO_RES_WORKERS) */
	DSAIO_RES_LOOP,		/* nest, DSAIO_STAT_* (inside DSAIO_RES_LOOPS) */
	DSAIO_RES_SETUP_NS,
	DSAIO_RES_BUF_BYTES,
	DSAIO_RES_POLLED,

	__DSAIO_RES_MAX,
	DSAIO_RES_MAX = __DSAIO_RES_MAX - 1
};

enum dsaio_errno_attr {
	DSAIO_ERRNO_UNSPEC,
	DSAIO_ERRNO_PAD,
	DSAIO_ERRNO_ENTRY,	/* nest (inside DSAIO_RES_ERRNOS) */
	DSAIO_ERRNO_CODE,	/* u32 */
	DSAIO_ERRNO_COUNT,	/* u64 */

	__DSAIO_ERRNO_MAX,
	DSAIO_ERRNO_MAX = __DSAIO_ERRNO_MAX - 1
};

enum dsaio_stat_attr {
	DSAIO_STAT_UNSPEC,
	DSAIO_STAT_PAD,
	DSAIO_STAT_INDEX,
	DSAIO_STAT_OFFSET,
	DSAIO_STAT_LENGTH,
	DSAIO_STAT_TIME_NS,
	DSAIO_STAT_BYTES,
	DSAIO_STAT_REQUESTS,
	DSAIO_STAT_ERRORS,
	DSAIO_STAT_LAT_MIN_NS,
	DSAIO_STAT_LAT_MAX_NS,
	DSAIO_STAT_LAT_SUM_NS,
	DSAIO_STAT_START_NS,
	DSAIO_STAT_TARGET,

	__DSAIO_STAT_MAX,
	DSAIO_STAT_MAX = __DSAIO_STAT_MAX - 1
};

/*
 * Latency histogram: log-linear, as fio's. Values are nanoseconds.
 * Values below 2^DSAIO_HIST_SUB_BITS have one bucket each; above that every
 * power of two is cut into 2^DSAIO_HIST_SUB_BITS equal buckets, so a bucket
 * is at most 1/32 (about 3 %) of its value wide. Values at or above
 * 2^DSAIO_HIST_MAX_LOG2 ns (about 18 minutes) go into the last bucket.
 */
#define DSAIO_HIST_SUB_BITS	5
#define DSAIO_HIST_SUB_COUNT	(1U << DSAIO_HIST_SUB_BITS)
#define DSAIO_HIST_MAX_LOG2	40
#define DSAIO_HIST_BUCKETS	\
	((DSAIO_HIST_MAX_LOG2 - DSAIO_HIST_SUB_BITS + 1) * DSAIO_HIST_SUB_COUNT)

struct dsaio_hist_bucket {
	__u32 index;		/* 0 .. DSAIO_HIST_BUCKETS - 1 */
	__u32 reserved;		/* 0 */
	__u64 count;
};

/* Bucket index of a latency of @ns nanoseconds. */
static inline __u32 dsaio_hist_index(__u64 ns)
{
	__u32 msb, shift;

	if (ns < DSAIO_HIST_SUB_COUNT)
		return (__u32)ns;
	msb = 63 - (__u32)__builtin_clzll(ns);
	if (msb >= DSAIO_HIST_MAX_LOG2)
		return DSAIO_HIST_BUCKETS - 1;
	shift = msb - DSAIO_HIST_SUB_BITS;
	return ((shift + 1) << DSAIO_HIST_SUB_BITS) |
	       (__u32)((ns >> shift) & (DSAIO_HIST_SUB_COUNT - 1));
}

/* Smallest latency, in nanoseconds, that falls into bucket @index. */
static inline __u64 dsaio_hist_lower(__u32 index)
{
	__u32 group = index >> DSAIO_HIST_SUB_BITS;
	__u64 sub = index & (DSAIO_HIST_SUB_COUNT - 1);

	if (group == 0)
		return sub;
	return (DSAIO_HIST_SUB_COUNT + sub) << (group - 1);
}

/*
 * Validation pattern: the 8-byte little-endian word at absolute device byte
 * offset @off (a multiple of 8) holds dsaio_pattern_word(seed, off), the
 * splitmix64 mix of seed + off. Any block can be checked on its own.
 */
static inline __u64 dsaio_pattern_word(__u64 seed, __u64 off)
{
	__u64 z = seed + off + 0x9e3779b97f4a7c15ULL;

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

#endif /* _UAPI_LINUX_DSAIO_H */
