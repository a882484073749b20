// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * `dsaio-user monitor`: the module's events as they happen, for every job
 * of every user, until Ctrl-C. Jobs already running when it starts are
 * listed first from a JOB_GET dump (subscribed before the dump, so nothing
 * between the two is missed).
 */
#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <json-c/json.h>
#include "cli.h"
#include "interrupt.h"
#include "nl_cli.h"
#include "progress.h"
#include "units.h"

static void help(FILE *f)
{
	fprintf(f, "Usage: dsaio-user monitor [--json]\n\n"
		"Prints the progress and the completion of every dsaio job (any user's)\n"
		"as the module reports them, until Ctrl-C. Needs root (CAP_NET_ADMIN).\n\n"
		"  --json   one JSON object per line (JSON Lines) for each event\n\n"
		"Example, in a second terminal while a sweep runs:\n"
		"  sudo dsaio-user monitor\n");
}

static const char *op_name(enum dsaio_op op)
{
	return op == DSAIO_OP_WRITE ? "write" : "read";
}

static void print_json(const char *event, const struct nl_job *j)
{
	json_object *o = json_object_new_object();

	if (!o) {
		fprintf(stderr, "dsaio-user monitor: out of memory\n");
		return;
	}
	json_object_object_add(o, "event", json_object_new_string(event));
	json_object_object_add(o, "job_id", json_object_new_int64(j->id));
	if (j->have_state)
		json_object_object_add(o, "state",
				       json_object_new_string(nl_job_state_name(j->state)));
	if (j->error)
		json_object_object_add(o, "error", json_object_new_int(j->error));
	if (j->have_config) {
		/* a file job (--dir) has a directory, not a device node */
		if (j->config.dir[0])
			json_object_object_add(o, "dir", json_object_new_string(j->config.dir));
		else
			json_object_object_add(o, "device", json_object_new_string(j->config.dev_path));
		json_object_object_add(o, "op", json_object_new_string(op_name(j->config.op)));
		json_object_object_add(o, "block_size", json_object_new_int64(j->config.block_size));
		json_object_object_add(o, "queue_depth", json_object_new_int64(j->config.queue_depth));
		json_object_object_add(o, "io_parallel", json_object_new_int64(j->config.threads));
	}
	if (j->have_progress) {
		json_object_object_add(o, "bytes_done", json_object_new_uint64(j->progress.bytes_done));
		json_object_object_add(o, "bytes_total", json_object_new_uint64(j->progress.bytes_total));
		json_object_object_add(o, "elapsed_ns", json_object_new_uint64(j->progress.elapsed_ns));
	}
	if (j->have_result) {
		json_object_object_add(o, "bytes", json_object_new_uint64(j->result.bytes));
		json_object_object_add(o, "errors", json_object_new_uint64(j->result.errors));
		json_object_object_add(o, "task_ns", json_object_new_uint64(j->result.task_ns));
		json_object_object_add(o, "e2e_ns", json_object_new_uint64(j->result.e2e_ns));
		json_object_object_add(o, "e2e_speed_gbs",
				       json_object_new_double(dsaio_gb_per_sec(j->result.bytes,
									       j->result.e2e_ns)));
		/* ended: what the device still holds (a suspended dm device) */
		json_object_object_add(o, "held", json_object_new_int64(j->held));
	}
	printf("%s\n", json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN |
						       JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(o);
}

static void print_text(const char *event, const struct nl_job *j)
{
	char done[24], total[24], el[16], bs[DSAIO_SIZE_STR_MAX];

	printf("job %u %-9s", j->id, j->have_state ? nl_job_state_name(j->state) : event);
	if (j->have_config) {
		dsaio_format_size(j->config.block_size, bs, sizeof(bs));
		printf(" %s %s bs=%s qd=%u p=%u", op_name(j->config.op),
		       j->config.dir[0] ? j->config.dir : j->config.dev_path,
		       bs, j->config.queue_depth, j->config.threads);
	}
	if (j->have_result) {
		printf(": %" PRIu64 " bytes, E2E %.3f GB/s, task %.3f GB/s, %" PRIu64 " errors",
		       j->result.bytes, dsaio_gb_per_sec(j->result.bytes, j->result.e2e_ns),
		       dsaio_gb_per_sec(j->result.bytes, j->result.task_ns), j->result.errors);
		if (j->error)
			printf(" (%s)", strerror(-j->error));
		if (j->held)
			printf(", %u requests still held by the device", j->held);
	} else if (j->have_progress) {
		double frac = j->progress.bytes_total ?
			(double)j->progress.bytes_done / j->progress.bytes_total : 0;

		dsaio_format_bytes(j->progress.bytes_done, done, sizeof(done));
		dsaio_format_bytes(j->progress.bytes_total, total, sizeof(total));
		dsaio_format_duration(j->progress.elapsed_ns / 1e9, el, sizeof(el));
		printf(" %3.0f%% %s / %s after %s", frac * 100, done, total, el);
	}
	printf("\n");
}

struct mon {
	bool json;
};

static void show(struct mon *m, const char *event, const struct nl_job *j)
{
	if (m->json)
		print_json(event, j);
	else
		print_text(event, j);
	fflush(stdout);	/* piped into a log or `grep`: line by line */
}

static void on_event(int cmd, const struct nl_job *j, void *arg)
{
	show(arg, cmd == DSAIO_CMD_EVENT_DONE ? "done" : "progress", j);
}

static void on_listed(const struct nl_job *j, void *arg)
{
	if (j->have_state && !nl_job_state_ended(j->state))
		show(arg, "running", j);
}

int cmd_monitor(int argc, char **argv)
{
	struct mon m = { 0 };
	struct dsaio_nl *nl;
	int ret, status = EXIT_OK;

	ret = cli_json_only("monitor", argc, argv, help, &m.json);
	if (ret >= 0)
		return ret;
	if (cli_catch_ctrl_c("monitor"))
		return EXIT_FAIL;
	nl = cli_nl_open("monitor");
	if (!nl)
		return EXIT_FAIL;
	if (dsaio_nl_subscribe(nl) || dsaio_nl_job_dump(nl, on_listed, &m)) {
		fprintf(stderr, "dsaio-user monitor: %s\n", dsaio_nl_errmsg(nl));
		dsaio_nl_close(nl);
		return EXIT_FAIL;
	}
	if (!m.json)
		fprintf(stderr, "watching dsaio jobs; Ctrl-C to stop\n");
	while (!dsaio_interrupted) {
		struct pollfd pfd = { .fd = dsaio_nl_event_fd(nl), .events = POLLIN };

		ret = poll(&pfd, 1, -1);
		if (ret < 0) {
			if (errno == EINTR)
				continue;
			fprintf(stderr, "dsaio-user monitor: poll: %m\n");
			status = EXIT_FAIL;
			break;
		}
		ret = dsaio_nl_events_read(nl, on_event, &m);
		if (ret == -ENOBUFS) {
			/* Progress of busy jobs is not worth dying for. */
			fprintf(stderr, "dsaio-user monitor: some events were lost (too many at once)\n");
		} else if (ret < 0) {
			fprintf(stderr, "dsaio-user monitor: %s\n", dsaio_nl_errmsg(nl));
			status = EXIT_FAIL;
			break;
		}
	}
	dsaio_nl_close(nl);
	return status;
}
