// SPDX-License-Identifier: GPL-2.0 OR MIT
/* Run output (DeepSpeed's four lines first), JSON result, ranked table. */
#include <stdio.h>
#include <string.h>
#include <json-c/json.h>

#include "tap.h"
#include "report.h"

int main(void)
{
	struct measurement r;
	struct dsaio_ranked rk[2];
	char buf[4096];
	json_object *o, *v;
	FILE *f;

	memset(&r, 0, sizeof(r));
	r.op = OP_WRITE;
	r.params.block_size = 1 << 20;
	r.params.queue_depth = 32;
	r.params.io_parallel = 8;
	r.params.processes = 1;
	r.params.overlap_events = true;
	r.io_size = r.bytes = 1ULL << 30;
	r.loops = 1;
	r.task_ns = 500000000;
	r.e2e_ns = 1000000000;
	r.setup_ns = 250000000;
	r.requests = 1024;
	r.lat_min_ns = 1500;
	r.lat_mean_ns = 2500;
	r.lat_max_ns = 9000;
	r.have_pct = true;
	r.pct.p50 = 2000;
	r.pct.p90 = 3000;
	r.pct.p99 = 4000;
	r.pct.p999 = 5000;
	r.pct.max = 9000;
	memset(buf, 0, sizeof(buf));
	f = fmemopen(buf, sizeof(buf) - 1, "w");
	if (f) {
		dsaio_report_run(f, &r);
		fclose(f);
	}
	ok(!strncmp(buf, "Task Write Latency = 0.5 sec\n"
		    "Task Write Speed = 2.0 GB/sec\n"
		    "E2E Write Latency = 1.0 sec\n"
		    "E2E Write Speed = 1.0 GB/sec\n", 112),
	   "DeepSpeed's four lines, exactly");
	ok(!strncmp(buf + 116, "Setup Write Latency = 0.25 sec\n", 31),
	   "then the Setup line");
	ok(strstr(buf, "IOPS = 2048\n") != NULL, "IOPS from task time");
	ok(strstr(buf, "p50 = 2.0, p90 = 3.0, p99 = 4.0, p99.9 = 5.0, "
		  "max = 9.0") != NULL, "percentiles in usec");
	ok(strstr(buf, "errors = 0") && strstr(buf, "Mismatches = 0"),
	   "errors and mismatches");
	ok(!strstr(buf, "Buffer memory"), "no buffer line when the engine did not say");
	r.buf_bytes = 256ULL << 20;
	memset(buf, 0, sizeof(buf));
	f = fmemopen(buf, sizeof(buf) - 1, "w");
	if (f) {
		dsaio_report_run(f, &r);
		fclose(f);
	}
	ok(strstr(buf, "\nBuffer memory = 268435456 bytes (0.25 x io_size)\nMismatches") != NULL,
	   "the buffer line, its ratio to io_size, before the mismatches");

	o = dsaio_result_json(&r);
	ok(o && json_object_object_get_ex(o, "e2e_speed_gbs", &v) &&
	   json_object_get_double(v) == 1.0 &&
	   json_object_object_get_ex(o, "overlap_events", &v) &&
	   json_object_is_type(v, json_type_boolean) &&
	   json_object_object_get_ex(o, "latency_ns", &v) &&
	   json_object_object_get_ex(v, "p99.9", &v) &&
	   json_object_get_int64(v) == 5000, "result JSON fields");
	ok(o && json_object_object_get_ex(o, "setup_latency_sec", &v) &&
	   json_object_get_double(v) == 0.25, "setup in the result JSON");
	ok(o && json_object_object_get_ex(o, "buffer_bytes", &v) &&
	   json_object_get_int64(v) == 256LL << 20, "buffer bytes in the result JSON");
	json_object_put(o);

	memset(rk, 0, sizeof(rk));
	rk[0].params = r.params;
	rk[0].have_read = rk[0].have_write = true;
	rk[0].read_gbs = 3.5;
	rk[0].write_gbs = 1.25;
	rk[0].complete = true;
	rk[1].params = r.params;
	rk[1].params.queue_depth = 128;
	rk[1].have_read = true;
	rk[1].read_gbs = 2.0;
	rk[1].complete = true;
	memset(buf, 0, sizeof(buf));
	f = fmemopen(buf, sizeof(buf) - 1, "w");
	if (f) {
		dsaio_report_ranked(f, rk, 2, 1);
		fclose(f);
	}
	ok(strstr(buf, "rank block_size queue_depth") &&
	   strstr(buf, "   1         1M          32           8         false"
		  "           true      3.500      1.250      4.750\n") &&
	   strstr(buf, "(1 more not shown)"), "ranked table row and limit");
	memset(buf, 0, sizeof(buf));
	f = fmemopen(buf, sizeof(buf) - 1, "w");
	if (f) {
		dsaio_report_ranked(f, rk + 1, 1, 0);
		fclose(f);
	}
	ok(strstr(buf, "2.000          -      2.000\n") != NULL,
	   "a write not asked for shown as -");

	/* An excluded point: after the table, with its reason, not ranked. */
	rk[1].complete = false;
	snprintf(rk[1].reason, sizeof(rk[1].reason), "write: job 12 FAILED: Input/output error");
	memset(buf, 0, sizeof(buf));
	f = fmemopen(buf, sizeof(buf) - 1, "w");
	if (f) {
		dsaio_report_ranked(f, rk, 2, 0);
		fclose(f);
	}
	ok(strstr(buf, "   1         1M ") && !strstr(buf, "   2         1M ") &&
	   strstr(buf, "Excluded, never recommended (1):\n") &&
	   strstr(buf, "queue_depth 128, io_parallel 8, single_submit false, "
		  "overlap_events true: write: job 12 FAILED: Input/output error\n"),
	   "excluded point listed with its reason, not ranked");
	o = dsaio_excluded_json(rk, 2);
	ok(o && json_object_array_length(o) == 1 &&
	   json_object_object_get_ex(json_object_array_get_idx(o, 0), "reason", &v) &&
	   !strcmp(json_object_get_string(v), "write: job 12 FAILED: Input/output error") &&
	   json_object_object_get_ex(json_object_array_get_idx(o, 0), "queue_depth", &v) &&
	   json_object_get_int(v) == 128, "excluded JSON: parameters and reason");
	json_object_put(o);
	return done();
}
