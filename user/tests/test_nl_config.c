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

int main(void)
{
	test_encode();
	test_decode();
	return done();
}
