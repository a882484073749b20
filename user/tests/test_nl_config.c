// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The netlink codec without a socket: a request to the JOB_START config
 * (DSAIO_CFG_DIR for a file, DSAIO_CFG_DEV_PATH for a device, the file
 * attributes only when set), the config back, and DSAIO_A_JOB_TARGET of
 * a JOB_GET reply decoded into a measurement.
 */
#include <errno.h>
#include <string.h>
#include <netlink/attr.h>
#include <netlink/msg.h>
#include <netlink/genl/genl.h>

#include "tap.h"
#include "nl_config.h"
#include "nl_decode.h"
#include "nl_model.h"
#include "report.h"

#define FAMILY 0x20	/* any id: nothing is sent */

static struct nl_msg *new_msg(uint8_t cmd)
{
	struct nl_msg *msg = nlmsg_alloc();

	if (msg && !genlmsg_put(msg, 0, 0, FAMILY, 0, 0, cmd, DSAIO_GENL_VERSION)) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

static int put_config(struct nl_msg *msg, const struct nl_job_config *c)
{
	struct nlattr *nest = nla_nest_start(msg, DSAIO_A_JOB_CONFIG | NLA_F_NESTED);

	if (!nest || nl_config_put(msg, c))
		return -1;
	nla_nest_end(msg, nest);
	return 0;
}

/* The JOB_START config of rq, as the module would parse it. */
static struct nl_msg *encode(const struct measure_request *rq,
			     struct nlattr *cfg[DSAIO_CFG_MAX + 1])
{
	struct nlattr *tb[DSAIO_A_MAX + 1];
	struct nl_job_config c;
	struct nl_msg *msg = new_msg(DSAIO_CMD_JOB_START);

	if (!msg || nl_request_to_config(rq, &c) || put_config(msg, &c) ||
	    genlmsg_parse(nlmsg_hdr(msg), 0, tb, DSAIO_A_MAX, NULL) < 0 ||
	    !tb[DSAIO_A_JOB_CONFIG] ||
	    nla_parse_nested(cfg, DSAIO_CFG_MAX, tb[DSAIO_A_JOB_CONFIG], NULL) < 0) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

static void request(struct measure_request *rq, enum dsaio_user_target kind,
		    const char *path)
{
	measure_request_init(rq);
	rq->kind = kind;
	snprintf(rq->target, sizeof(rq->target), "%s", path);
	rq->op = OP_WRITE;
	rq->params.block_size = 1 << 20;
	rq->io_size = 64 << 20;
	rq->allow_write = true;
}

/* rq of kind at path, polled as asked: true when its config has no POLL. */
static bool cfg_no_poll(enum dsaio_user_target kind, const char *path, bool poll)
{
	struct nlattr *cfg[DSAIO_CFG_MAX + 1];
	struct measure_request rq;
	struct nl_msg *msg;
	bool none;

	request(&rq, kind, path);
	rq.poll = poll;
	msg = encode(&rq, cfg);
	none = msg && !cfg[DSAIO_CFG_POLL];
	nlmsg_free(msg);
	return none;
}

static void test_encode(void)
{
	struct nlattr *cfg[DSAIO_CFG_MAX + 1];
	struct measure_request rq;
	struct nl_job_config c, back;
	struct nl_msg *msg;
	char err[256];

	/* A file: DIR, no DEV_PATH, ALLOW_WRITE 0 whatever the request said. */
	request(&rq, TARGET_FILE, "/mnt/nvme");
	rq.overwrite = true;
	ok(nl_request_to_config(&rq, &c) == 0 && !strcmp(c.dir, "/mnt/nvme") &&
	   c.dev_path[0] == '\0' && !c.allow_write && c.overwrite && !c.keep_files,
	   "file request: dir set, no device, no allow-write, overwrite");
	msg = encode(&rq, cfg);
	ok(msg != NULL, "file config encodes and parses");
	if (msg) {
		ok(cfg[DSAIO_CFG_DIR] && !strcmp(nla_get_string(cfg[DSAIO_CFG_DIR]), "/mnt/nvme"),
		   "DSAIO_CFG_DIR carries the directory");
		ok(!cfg[DSAIO_CFG_DEV_PATH], "no DSAIO_CFG_DEV_PATH beside it");
		ok(cfg[DSAIO_CFG_OVERWRITE] && nla_get_u8(cfg[DSAIO_CFG_OVERWRITE]) == 1,
		   "DSAIO_CFG_OVERWRITE 1 when set");
		ok(!cfg[DSAIO_CFG_KEEP_FILES], "DSAIO_CFG_KEEP_FILES left out when not set");
		ok(cfg[DSAIO_CFG_ALLOW_WRITE] && nla_get_u8(cfg[DSAIO_CFG_ALLOW_WRITE]) == 0,
		   "DSAIO_CFG_ALLOW_WRITE 0 for a file");
		ok(cfg[DSAIO_CFG_OP] && nla_get_u8(cfg[DSAIO_CFG_OP]) == DSAIO_OP_WRITE &&
		   cfg[DSAIO_CFG_IO_SIZE] && nla_get_u64(cfg[DSAIO_CFG_IO_SIZE]) == 64 << 20,
		   "op and io size as for a device");
		ok(nl_config_decode(nlmsg_find_attr(nlmsg_hdr(msg), GENL_HDRLEN,
						    DSAIO_A_JOB_CONFIG), &back, err,
				    sizeof(err)) == 0 &&
		   !strcmp(back.dir, "/mnt/nvme") && back.dev_path[0] == '\0' &&
		   back.overwrite && !back.keep_files && back.io_size == 64 << 20,
		   "and decodes back the same");
		nlmsg_free(msg);
	}

	/* random: sent only when set, as older modules refuse it */
	request(&rq, TARGET_BDEV, "/dev/nvme0n1");
	msg = encode(&rq, cfg);
	ok(msg && !cfg[DSAIO_CFG_RANDOM], "DSAIO_CFG_RANDOM left out when sequential");
	nlmsg_free(msg);
	rq.random = true;
	msg = encode(&rq, cfg);
	ok(msg && cfg[DSAIO_CFG_RANDOM] && nla_get_u8(cfg[DSAIO_CFG_RANDOM]) == 1,
	   "DSAIO_CFG_RANDOM 1 with --random");
	ok(msg && nl_config_decode(nlmsg_find_attr(nlmsg_hdr(msg), GENL_HDRLEN,
						   DSAIO_A_JOB_CONFIG), &back, err,
				   sizeof(err)) == 0 && back.random,
	   "and decodes back");
	nlmsg_free(msg);
	is_str(nl_config_attr_name(DSAIO_CFG_RANDOM), "random order (--random)",
	       "an extack offset at RANDOM names --random");

	/* keep_files alone */
	request(&rq, TARGET_FILE, "/mnt/nvme");
	rq.keep_files = true;
	msg = encode(&rq, cfg);
	ok(msg && cfg[DSAIO_CFG_KEEP_FILES] && nla_get_u8(cfg[DSAIO_CFG_KEEP_FILES]) == 1 &&
	   !cfg[DSAIO_CFG_OVERWRITE], "DSAIO_CFG_KEEP_FILES 1 alone");
	nlmsg_free(msg);

	/* A device: exactly the attributes an older module knows. */
	request(&rq, TARGET_BDEV, "/dev/nvme0n1");
	rq.overwrite = rq.keep_files = true;	/* the CLI refuses these; the engine too */
	msg = encode(&rq, cfg);
	ok(msg != NULL, "device config encodes and parses");
	if (msg) {
		ok(cfg[DSAIO_CFG_DEV_PATH] &&
		   !strcmp(nla_get_string(cfg[DSAIO_CFG_DEV_PATH]), "/dev/nvme0n1"),
		   "DSAIO_CFG_DEV_PATH carries the device");
		ok(!cfg[DSAIO_CFG_DIR] && !cfg[DSAIO_CFG_OVERWRITE] && !cfg[DSAIO_CFG_KEEP_FILES],
		   "no DIR, OVERWRITE or KEEP_FILES for a device");
		ok(cfg[DSAIO_CFG_ALLOW_WRITE] && nla_get_u8(cfg[DSAIO_CFG_ALLOW_WRITE]) == 1,
		   "DSAIO_CFG_ALLOW_WRITE as confirmed");
		nlmsg_free(msg);
	}
	/* Polled mode: sent only when asked (an older module refuses it), never for a file. */
	ok(cfg_no_poll(TARGET_BDEV, "/dev/nvme0n1", false), "no DSAIO_CFG_POLL unless --poll");
	ok(cfg_no_poll(TARGET_FILE, "/mnt/nvme", true), "no DSAIO_CFG_POLL for a file, even asked");
	request(&rq, TARGET_BDEV, "/dev/nullb0");
	rq.poll = true;
	msg = encode(&rq, cfg);
	ok(msg && cfg[DSAIO_CFG_POLL] && nla_get_u8(cfg[DSAIO_CFG_POLL]) == 1,
	   "--poll on a device: DSAIO_CFG_POLL 1");
	ok(msg && nl_config_decode(nlmsg_find_attr(nlmsg_hdr(msg), GENL_HDRLEN,
						   DSAIO_A_JOB_CONFIG), &back, err,
				   sizeof(err)) == 0 && back.poll,
	   "and decodes back polled");
	nlmsg_free(msg);
	is_str(nl_config_attr_name(DSAIO_CFG_POLL), "polled mode (--poll)",
	       "an extack offset at POLL names --poll");
	is_str(nl_config_attr_name(DSAIO_CFG_DIR), "directory (--dir)",
	       "an extack offset at DIR names --dir");
	is_str(nl_config_attr_name(DSAIO_CFG_KEEP_FILES), "keep files (--keep-files)",
	       "and at KEEP_FILES --keep-files");
}

/* A JOB_GET reply of an ended file job; kind < 0 leaves the target out. */
static struct nl_msg *reply(int kind, bool with_kind)
{
	struct nl_msg *msg = new_msg(DSAIO_CMD_JOB_GET);
	struct nl_job_config c;
	struct nlattr *n;

	nl_job_config_init(&c);
	if (kind == DSAIO_TARGET_FILE)
		snprintf(c.dir, sizeof(c.dir), "/mnt/nvme");
	else
		snprintf(c.dev_path, sizeof(c.dev_path), "/dev/nvme0n1");
	c.io_size = 1 << 20;
	c.block_size = 1 << 20;
	if (!msg || nla_put_u32(msg, DSAIO_A_JOB_ID, 7) ||
	    nla_put_u8(msg, DSAIO_A_JOB_STATE, DSAIO_JOB_DONE) || put_config(msg, &c))
		goto fail;
	if (kind >= 0) {
		n = nla_nest_start(msg, DSAIO_A_JOB_TARGET | NLA_F_NESTED);
		if (!n || (with_kind && nla_put_u8(msg, DSAIO_TGT_KIND, (uint8_t)kind)) ||
		    nla_put_string(msg, DSAIO_TGT_BDEV, "nvme1n1") ||
		    nla_put_u32(msg, DSAIO_TGT_ALIGN, 4096) ||
		    nla_put_string(msg, DSAIO_TGT_FSTYPE, "xfs") ||
		    nla_put_string(msg, DSAIO_TGT_FILE, "dsaio-7.dat"))
			goto fail;
		nla_nest_end(msg, n);
	}
	return msg;
fail:
	nlmsg_free(msg);
	return NULL;
}

static void test_decode(void)
{
	struct nl_msg *msg = reply(DSAIO_TARGET_FILE, true);
	struct measurement m;
	struct nl_job j;
	char err[256] = "", line[512];
	int rc;

	rc = msg ? dsaio_decode_job(nlmsg_hdr(msg), &j, err, sizeof(err)) : -1;
	ok(rc == 0 && j.have_target, "a reply with DSAIO_A_JOB_TARGET decodes: %s", err);
	ok(rc == 0 && j.target.kind == DSAIO_TARGET_FILE &&
	   !strcmp(j.target.bdev, "nvme1n1") && j.target.align == 4096 &&
	   !strcmp(j.target.fstype, "xfs") && !strcmp(j.target.file, "dsaio-7.dat"),
	   "kind, bdev, align, fstype, file");
	memset(&m, 0, sizeof(m));
	ok(rc == 0 && nl_job_to_measurement(&j, &m) == 0 &&
	   m.target.kind == TARGET_FILE && m.target.have_details &&
	   !strcmp(m.target.path, "/mnt/nvme") && !strcmp(m.target.device, "nvme1n1") &&
	   m.target.align == 4096 && !strcmp(m.target.fstype, "xfs") &&
	   !strcmp(m.target.file, "dsaio-7.dat"),
	   "into the measurement's target, the directory from the config");
	dsaio_target_describe(&m.target, line, sizeof(line));
	is_str(line, "file dsaio-7.dat in /mnt/nvme (xfs on nvme1n1, 4096-byte alignment)",
	       "as the run's Target line says it");
	if (rc == 0)
		nl_job_free(&j);
	nlmsg_free(msg);

	/* A module older than files: no target nest, a device job. */
	msg = reply(-1, true);
	rc = msg ? dsaio_decode_job(nlmsg_hdr(msg), &j, err, sizeof(err)) : -1;
	memset(&m, 0, sizeof(m));
	ok(rc == 0 && !j.have_target && nl_job_to_measurement(&j, &m) == 0 &&
	   m.target.kind == TARGET_BDEV && !m.target.have_details &&
	   !strcmp(m.target.path, "/dev/nvme0n1"),
	   "without DSAIO_A_JOB_TARGET: the device path, no details");
	nlmsg_free(msg);

	msg = reply(DSAIO_TARGET_MAX + 1, true);
	rc = msg ? dsaio_decode_job(nlmsg_hdr(msg), &j, err, sizeof(err)) : -1;
	ok(rc == -EPROTO && strstr(err, "job target of unknown kind 2"),
	   "an unknown kind is the module's error: %s", err);
	nlmsg_free(msg);
	msg = reply(DSAIO_TARGET_FILE, false);
	rc = msg ? dsaio_decode_job(nlmsg_hdr(msg), &j, err, sizeof(err)) : -1;
	ok(rc == -EPROTO && !strcmp(err, "job target without a kind"),
	   "a target without a kind refused: %s", err);
	nlmsg_free(msg);
}

/*
 * Several targets and DeepSpeed's threads: one DSAIO_CFG_TARGETS entry per
 * handle, a device's handles on consecutive slices; one of one is sent as
 * before (DEV_PATH), so an older module takes it.
 */
static void test_encode_targets(void)
{
	struct nlattr *cfg[DSAIO_CFG_MAX + 1], *e;
	struct measure_request rq;
	struct nl_job_config c, back;
	struct nl_msg *msg;
	char err[256];
	int rem, n = 0;

	request(&rq, TARGET_BDEV, "/dev/nvme0n1");
	ok(measure_request_add_target(&rq, "/dev/nvme1n1") == 0, "a second device");
	rq.params.processes = 2;
	rq.offset = 1 << 20;
	ok(nl_request_to_config(&rq, &c) == 0 && c.n_targets == 4 &&
	   c.dev_path[0] == '\0' && c.dir[0] == '\0', "2 devices x 2 threads: 4 entries");
	ok(!strcmp(c.targets[0].path, "/dev/nvme0n1") && !strcmp(c.targets[1].path, "/dev/nvme0n1") &&
	   !strcmp(c.targets[2].path, "/dev/nvme1n1") && !strcmp(c.targets[3].path, "/dev/nvme1n1"),
	   "a device's handles next to each other");
	ok(c.targets[0].offset == 1 << 20 && c.targets[1].offset == (1 << 20) + rq.io_size &&
	   c.targets[2].offset == 1 << 20 && c.targets[3].offset == (1 << 20) + rq.io_size &&
	   !c.targets[0].dir, "handle h on the h-th slice of io_size from the offset");
	msg = encode(&rq, cfg);
	ok(msg && cfg[DSAIO_CFG_TARGETS] && !cfg[DSAIO_CFG_DEV_PATH] && !cfg[DSAIO_CFG_DIR],
	   "DSAIO_CFG_TARGETS and neither DEV_PATH nor DIR");
	if (msg && cfg[DSAIO_CFG_TARGETS]) {
		nla_for_each_nested(e, cfg[DSAIO_CFG_TARGETS], rem)
			n += nla_type(e) == DSAIO_TCFG_ENTRY;
		is_int(n, 4, "four DSAIO_TCFG_ENTRY nests");
		ok(nl_config_decode(nlmsg_find_attr(nlmsg_hdr(msg), GENL_HDRLEN,
						    DSAIO_A_JOB_CONFIG), &back, err,
				    sizeof(err)) == 0 && back.n_targets == 4 &&
		   !strcmp(back.targets[3].path, "/dev/nvme1n1") &&
		   back.targets[3].offset == (1 << 20) + rq.io_size,
		   "and decode back the same: %s", err);
	}
	nlmsg_free(msg);

	/* Directories: each handle a file of its own, at the offset. */
	request(&rq, TARGET_FILE, "/mnt/a");
	rq.params.processes = 3;
	ok(nl_request_to_config(&rq, &c) == 0 && c.n_targets == 3 && c.targets[2].dir &&
	   c.targets[2].offset == 0 && !c.allow_write, "a directory x 3 threads: 3 file entries");

	/* Past what one job takes. */
	request(&rq, TARGET_BDEV, "/dev/nvme0n1");
	rq.params.processes = DSAIO_TARGETS_MAX + 1;
	ok(nl_request_to_config(&rq, &c) == -E2BIG, "more handles than DSAIO_TARGETS_MAX: -E2BIG");

	/* One of one: as ever. */
	request(&rq, TARGET_BDEV, "/dev/nvme0n1");
	msg = encode(&rq, cfg);
	ok(msg && !cfg[DSAIO_CFG_TARGETS] && cfg[DSAIO_CFG_DEV_PATH], "one target: no DSAIO_CFG_TARGETS");
	nlmsg_free(msg);
}

/* An entry of DSAIO_A_JOB_TARGETS with a result of @bytes and @task_ns. */
static int put_part(struct nl_msg *msg, uint32_t i, const char *bdev, uint8_t state,
		    int32_t error, uint64_t bytes, uint64_t task_ns)
{
	struct nlattr *t = nla_nest_start(msg, DSAIO_A_JOB_TARGET | NLA_F_NESTED), *r;

	if (!t || nla_put_u8(msg, DSAIO_TGT_KIND, DSAIO_TARGET_BDEV) ||
	    nla_put_string(msg, DSAIO_TGT_BDEV, bdev) || nla_put_u32(msg, DSAIO_TGT_ALIGN, 512) ||
	    nla_put_u32(msg, DSAIO_TGT_INDEX, i) || nla_put_u8(msg, DSAIO_TGT_STATE, state) ||
	    nla_put_u32(msg, DSAIO_TGT_ERROR, (uint32_t)error))
		return -1;
	r = nla_nest_start(msg, DSAIO_TGT_RESULT | NLA_F_NESTED);
	if (!r || nla_put_u64(msg, DSAIO_RES_TASK_NS, task_ns) ||
	    nla_put_u64(msg, DSAIO_RES_E2E_NS, task_ns + 10) ||
	    nla_put_u64(msg, DSAIO_RES_BYTES, bytes) ||
	    nla_put_u64(msg, DSAIO_RES_REQUESTS, bytes >> 20) ||
	    nla_put_u64(msg, DSAIO_RES_LAT_SUM_NS, (bytes >> 20) * 1000))
		return -1;
	nla_nest_end(msg, r);
	nla_nest_end(msg, t);
	return 0;
}

/*
 * A job of 2 devices x 2 handles whose second device failed: the parts
 * are the devices, each its handles' sum (bytes) and longest (Task, E2E),
 * the failed one named, the other cancelled.
 */
static void test_decode_targets(void)
{
	struct nl_msg *msg = new_msg(DSAIO_CMD_JOB_GET);
	struct measure_request rq;
	struct measurement m;
	struct nl_job_config c;
	struct nl_job j;
	struct nlattr *n, *res;
	char err[256] = "";
	int rc = -1;

	request(&rq, TARGET_BDEV, "/dev/nvme0n1");
	measure_request_add_target(&rq, "/dev/nvme1n1");
	rq.params.processes = 2;
	nl_request_to_config(&rq, &c);
	if (msg && !nla_put_u32(msg, DSAIO_A_JOB_ID, 9) &&
	    !nla_put_u8(msg, DSAIO_A_JOB_STATE, DSAIO_JOB_FAILED) &&
	    !nla_put_u32(msg, DSAIO_A_JOB_ERROR, (uint32_t)-EIO) && !put_config(msg, &c) &&
	    (n = nla_nest_start(msg, DSAIO_A_JOB_TARGETS | NLA_F_NESTED)) &&
	    !put_part(msg, 0, "nvme0n1", DSAIO_JOB_CANCELLED, 0, 4 << 20, 100) &&
	    !put_part(msg, 1, "nvme0n1", DSAIO_JOB_CANCELLED, 0, 2 << 20, 300) &&
	    !put_part(msg, 2, "nvme1n1", DSAIO_JOB_CANCELLED, 0, 1 << 20, 50) &&
	    !put_part(msg, 3, "nvme1n1", DSAIO_JOB_FAILED, -EIO, 0, 70)) {
		nla_nest_end(msg, n);
		res = nla_nest_start(msg, DSAIO_A_JOB_RESULT | NLA_F_NESTED);
		if (res && !nla_put_u64(msg, DSAIO_RES_BYTES, 7 << 20)) {
			nla_nest_end(msg, res);
			rc = dsaio_decode_job(nlmsg_hdr(msg), &j, err, sizeof(err));
		}
	}
	ok(rc == 0 && j.n_parts == 4 && j.parts[3].state == DSAIO_JOB_FAILED &&
	   j.parts[3].error == -EIO && j.parts[1].result.bytes == 2 << 20 &&
	   j.config.n_targets == 4, "DSAIO_A_JOB_TARGETS decodes: %s", err);
	memset(&m, 0, sizeof(m));
	if (rc == 0 && nl_job_to_measurement(&j, &m) == 0) {
		is_int(m.n_parts, 2, "two parts: the devices, not the handles");
		is_int(m.params.processes, 2, "two handles each (threads)");
		ok(m.n_parts == 2 && m.parts[0].bytes == 6 << 20 && m.parts[0].task_ns == 300 &&
		   m.parts[0].e2e_ns == 310 && m.parts[0].requests == 6 &&
		   m.parts[0].lat_mean_ns == 1000, "a device's bytes summed, Task and E2E its longest handle's");
		ok(m.n_parts == 2 && m.parts[0].state == MEAS_CANCELLED && m.parts[1].state == MEAS_FAILED &&
		   m.parts[1].error == -EIO && !strcmp(m.parts[1].target.device, "nvme1n1") &&
		   !strcmp(m.parts[1].target.path, "/dev/nvme1n1"),
		   "the failed device named with its error, the other cancelled");
		ok(!strcmp(m.target.path, "/dev/nvme0n1") && m.state == MEAS_FAILED,
		   "the measurement's target is the first, its state the job's");
		measurement_free_details(&m);
	} else {
		ok(0, "into a measurement");
	}
	if (rc == 0)
		nl_job_free(&j);
	nlmsg_free(msg);
}

/*
 * A job that ended while its device (a suspended dm device) still held
 * requests: DSAIO_A_JOB_HELD into the measurement and the run's note; a
 * reply without it (an older module, or nothing held) says nothing.
 */
static void test_decode_held(void)
{
	struct nl_msg *msg = reply(DSAIO_TARGET_BDEV, true);
	struct measurement m;
	struct nl_job j;
	char err[256] = "", note[256];
	int rc;

	rc = msg ? dsaio_decode_job(nlmsg_hdr(msg), &j, err, sizeof(err)) : -1;
	memset(&m, 0, sizeof(m));
	ok(rc == 0 && j.held == 0 && nl_job_to_measurement(&j, &m) == 0 &&
	   m.held == 0 && !measurement_held_note(&m, note, sizeof(note)) && !note[0],
	   "without DSAIO_A_JOB_HELD: nothing held, no note");
	if (rc == 0)
		nl_job_free(&j);
	nlmsg_free(msg);

	msg = reply(DSAIO_TARGET_BDEV, true);
	if (msg && nla_put_u32(msg, DSAIO_A_JOB_HELD, 4)) {
		nlmsg_free(msg);
		msg = NULL;
	}
	rc = msg ? dsaio_decode_job(nlmsg_hdr(msg), &j, err, sizeof(err)) : -1;
	memset(&m, 0, sizeof(m));
	m.job_id = 7;
	ok(rc == 0 && j.held == 4 && nl_job_to_measurement(&j, &m) == 0 && m.held == 4,
	   "DSAIO_A_JOB_HELD 4 decodes into the measurement: %s", err);
	ok(measurement_held_note(&m, note, sizeof(note)), "held requests give a note");
	is_str(note, "the device still holds 4 requests of job 7 (suspended or not answering): "
	       "its buffers, the device and dsaio.ko stay in use until it answers, "
	       "so rmmod fails until then", "the note names the count, the job and rmmod");
	m.held = 1;
	measurement_held_note(&m, note, sizeof(note));
	ok(strstr(note, "holds 1 request of job 7") != NULL, "one request, singular: %s", note);
	if (rc == 0)
		nl_job_free(&j);
	nlmsg_free(msg);
}

/*
 * DSAIO_RES_BUF_BYTES, the module's own count of the buffer memory the job
 * held, into the measurement; absent (an older module) it stays 0.
 */
static void test_decode_buf_bytes(void)
{
	static const uint64_t held[] = { 0, 4096, 3ULL << 30 };
	struct measurement m;
	struct nlattr *r;
	struct nl_job j;
	char err[256] = "";
	size_t i;
	int rc;

	for (i = 0; i < sizeof(held) / sizeof(held[0]); i++) {
		struct nl_msg *msg = reply(DSAIO_TARGET_BDEV, true);

		r = msg ? nla_nest_start(msg, DSAIO_A_JOB_RESULT | NLA_F_NESTED) : NULL;
		if (!r || nla_put_u64(msg, DSAIO_RES_TASK_NS, 1000) ||
		    nla_put_u64(msg, DSAIO_RES_E2E_NS, 1000) ||
		    nla_put_u64(msg, DSAIO_RES_BYTES, 1 << 20) ||
		    (held[i] && nla_put_u64(msg, DSAIO_RES_BUF_BYTES, held[i]))) {
			nlmsg_free(msg);
			msg = NULL;
		} else {
			nla_nest_end(msg, r);
		}
		rc = msg ? dsaio_decode_job(nlmsg_hdr(msg), &j, err, sizeof(err)) : -1;
		memset(&m, 0, sizeof(m));
		ok(rc == 0 && j.have_result && j.result.buf_bytes == held[i] &&
		   nl_job_to_measurement(&j, &m) == 0 && m.buf_bytes == held[i] &&
		   m.io_size == 1 << 20,
		   "DSAIO_RES_BUF_BYTES %llu into the measurement: %s",
		   (unsigned long long)held[i], err);
		if (rc == 0)
			nl_job_free(&j);
		nlmsg_free(msg);
	}
}

int main(void)
{
	test_encode();
	test_decode();
	test_decode_held();
	test_decode_buf_bytes();
	test_encode_targets();
	test_decode_targets();
	return done();
}
