// SPDX-License-Identifier: GPL-2.0 OR MIT
/* DeepSpeed's two log-name schemes: exact text, round trip, junk refused. */
#include <errno.h>
#include <string.h>

#include "tap.h"
#include "logname.h"

static struct dsaio_params mk(uint64_t bs, unsigned int qd, unsigned int par,
			      bool single, bool overlap)
{
	struct dsaio_params p;

	memset(&p, 0, sizeof(p));
	p.block_size = bs;
	p.queue_depth = qd;
	p.io_parallel = par;
	p.processes = 1;
	p.single_submit = single;
	p.overlap_events = overlap;
	return p;
}

static void roundtrip(enum dsaio_logname_scheme s, enum dsaio_user_op op,
		      struct dsaio_params p)
{
	char name[256];
	struct dsaio_params q;
	enum dsaio_user_op qop;
	enum dsaio_logname_scheme qs;
	int rc;

	rc = dsaio_logname_format(s, op, &p, name, sizeof(name));
	rc = rc ? rc : dsaio_logname_parse(name, &qop, &q, &qs);
	ok(rc == 0 && qop == op && qs == s && q.block_size == p.block_size &&
	   q.queue_depth == p.queue_depth && q.io_parallel == p.io_parallel &&
	   q.processes == p.processes && q.single_submit == p.single_submit &&
	   q.overlap_events == p.overlap_events,
	   "round trip of %s", name);
}

static void junk(const char *name)
{
	struct dsaio_params q;
	enum dsaio_user_op op;

	is_int(dsaio_logname_parse(name, &op, &q, NULL), -EINVAL,
	       "junk name '%s' refused", name);
}

int main(void)
{
	struct dsaio_params p = mk(131072, 16, 2, false, true), q;
	enum dsaio_logname_scheme s;
	enum dsaio_user_op op;
	char name[256];
	int rc;

	rc = dsaio_logname_format(LOGNAME_2021, OP_READ, &p, name, sizeof(name));
	is_str(rc ? "" : name, "read_block_overlap_t1_p2_d16_bs128K.txt",
	       "2021 name as aio_bench_perf_sweep.py writes it");
	rc = dsaio_logname_format(LOGNAME_CURRENT, OP_READ, &p, name,
				  sizeof(name));
	is_str(rc ? "" : name, "read_block_overlap_ftd1_d16_bs128K_p2.txt",
	       "current name as perf_run_sweep.py writes it");
	p = mk(8 << 20, 128, 8, true, false);
	rc = dsaio_logname_format(LOGNAME_CURRENT, OP_WRITE, &p, name,
				  sizeof(name));
	is_str(rc ? "" : name, "write_single_sequential_ftd1_d128_bs8M_p8.txt",
	       "current name, single submit, sequential, 8M");
	p = mk(1ULL << 30, 1, 1, false, true);
	rc = dsaio_logname_format(LOGNAME_2021, OP_WRITE, &p, name,
				  sizeof(name));
	is_str(rc ? "" : name, "write_block_overlap_t1_p1_d1_bs1024M.txt",
	       "1G block size written as 1024M (DeepSpeed cannot read G)");
	is_int(dsaio_logname_format(LOGNAME_2021, OP_WRITE, &p, name, 10),
	       -ENAMETOOLONG, "small buffer gives -ENAMETOOLONG");

	roundtrip(LOGNAME_2021, OP_READ, mk(131072, 4, 2, false, true));
	roundtrip(LOGNAME_2021, OP_WRITE, mk(262144, 32, 8, true, false));
	roundtrip(LOGNAME_CURRENT, OP_READ, mk(1 << 20, 32, 1, false, true));
	roundtrip(LOGNAME_CURRENT, OP_WRITE, mk(8 << 20, 128, 8, true, false));
	roundtrip(LOGNAME_CURRENT, OP_READ, mk(4096, 1, 3, true, true));
	roundtrip(LOGNAME_2021, OP_READ, mk(1000, 7, 5, false, false));

	rc = dsaio_logname_parse("read_block_overlap_t1_p2_d16_bs128K.txt",
				 &op, &q, &s);
	ok(rc == 0 && s == LOGNAME_2021 && op == OP_READ &&
	   q.block_size == 131072 && !strcmp(q.block_size_str, "128K") &&
	   q.io_parallel == 2 && q.queue_depth == 16 && q.processes == 1 &&
	   !q.single_submit && q.overlap_events,
	   "DeepSpeed 2021 name parsed field by field");
	rc = dsaio_logname_parse("write_single_sequential_ftd2_d32_bs1M_p8.txt",
				 &op, &q, &s);
	ok(rc == 0 && s == LOGNAME_CURRENT && op == OP_WRITE &&
	   q.block_size == 1048576 && q.io_parallel == 8 &&
	   q.queue_depth == 32 && q.processes == 2 && q.single_submit &&
	   !q.overlap_events, "DeepSpeed current name parsed field by field");
	rc = dsaio_logname_parse("read_block_overlap_ftd1_d32_bs4096_p1.txt",
				 &op, &q, &s);
	ok(rc == 0 && q.block_size == 4096, "bs without suffix is bytes");

	junk("");
	junk(".txt");
	junk("summary.json");
	junk("read_block_overlap_t1_p2_d16_bs128K");
	junk("read_block_overlap_t1_p2_d16_bs128K.log");
	junk("copy_block_overlap_t1_p2_d16_bs128K.txt");
	junk("read_blocks_overlap_t1_p2_d16_bs128K.txt");
	junk("read_block_overlapped_t1_p2_d16_bs128K.txt");
	junk("read_block_overlap_t1_p2_d16.txt");
	junk("read_block_overlap_t1_p2_d16_bs128K_x.txt");
	junk("read_block_overlap_t0_p2_d16_bs128K.txt");
	junk("read_block_overlap_t1_p-2_d16_bs128K.txt");
	junk("read_block_overlap_t1_p2_d16_bs128X.txt");
	junk("read_block_overlap_t1_p2_d16_bs.txt");
	junk("read_block_overlap_t1_d16_p2_bs128K.txt");
	junk("read_block_overlap_ftd1_d16_p2_bs128K.txt");
	junk("read_block_overlap_ftd1_d16_bs128K_p99999999999.txt");
	junk("read__block_overlap_t1_p2_d16_bs128K.txt");
	junk("read_block_overlap_t1_p2_d16_bs8G.txt");
	return done();
}
