// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * `dsaio-user cancel`: the command line, and the sentence and JSON object
 * of each job's outcome. Pure (libc and json-c): the netlink calls are in
 * cmd_cancel.c, so this is unit-tested on the host (tests/test_cancel.c).
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include "cancel.h"
#include "cli.h"
#include "numarg.h"

void cancel_help(FILE *f)
{
	fprintf(f, "Usage: dsaio-user cancel [--wait[=SECONDS]] [--json] ID [ID...]\n"
		"       dsaio-user cancel --all [--wait[=SECONDS]] [--json]\n\n"
		"Stops running dsaio jobs, whoever started them: the module submits no new\n"
		"request, waits for those in flight and ends each job \"cancelled\" with its\n"
		"results so far. A running job keeps the module in use, so `rmmod dsaio`\n"
		"fails until every job has ended; `dsaio-user monitor` lists the jobs and\n"
		"their ids. A job that has already ended is left as it is (not an error).\n"
		"Needs root (CAP_NET_ADMIN).\n\n"
		"  --all              every job the module is running\n"
		"  --wait[=SECONDS]   wait until each job has ended (at most SECONDS, default\n"
		"                     %d, 1 to %d) and say how many requests the device still\n"
		"                     holds: a device that stops answering (a suspended dm\n"
		"                     device) keeps them, and the module in use, until it\n"
		"                     answers again. Without it the command returns once the\n"
		"                     module has the cancel; the job ends within about 2 s.\n"
		"  --json             one JSON object per job and line: id, state_before,\n"
		"                     state_after, held, result\n\n"
		"Exit status: 0 when every job named was cancelled or had already ended,\n"
		"1 when a job is unknown, the module refused, or --wait ran out of time,\n"
		"2 for a usage error.\n\n"
		"Examples:\n"
		"  sudo dsaio-user cancel 7\n"
		"  sudo dsaio-user cancel --all --wait && sudo rmmod dsaio\n",
		CANCEL_WAIT_DEFAULT_S, CANCEL_WAIT_MAX_S);
}

void cancel_opts_free(struct cancel_opts *o)
{
	free(o->ids);
	o->ids = NULL;
	o->n_ids = 0;
}

/* Adds ID once: naming a job twice cancels it once. */
static void add_id(struct cancel_opts *o, uint32_t id)
{
	size_t i;

	for (i = 0; i < o->n_ids; i++)
		if (o->ids[i] == id)
			return;
	o->ids[o->n_ids++] = id;
}

int cancel_parse(int argc, char **argv, struct cancel_opts *o)
{
	static const struct option opts[] = {
		{ "all", no_argument, NULL, 'a' },
		{ "wait", optional_argument, NULL, 'w' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	uint32_t id;
	int c, ret;

	memset(o, 0, sizeof(*o));
	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'a':
			o->all = true;
			break;
		case 'w':
			o->wait = true;
			o->wait_s = CANCEL_WAIT_DEFAULT_S;
			if (optarg && dsaio_parse_u32(optarg, 1, CANCEL_WAIT_MAX_S, &o->wait_s))
				return cli_usage_error("cancel", "--wait=%s: give whole seconds from 1 to %d",
						       optarg, CANCEL_WAIT_MAX_S);
			break;
		case 'j':
			o->json = true;
			break;
		case 'h':
			return cli_help(cancel_help, true);
		default:
			return cli_help(cancel_help, false);
		}
	}
	if (o->all && optind < argc)
		return cli_usage_error("cancel", "give job ids or --all, not both");
	if (!o->all && optind >= argc)
		return cli_usage_error("cancel", "which job? give its id (see `dsaio-user monitor`) or --all");
	o->ids = calloc(argc - optind + 1, sizeof(*o->ids));
	if (!o->ids) {
		fprintf(stderr, "dsaio-user cancel: out of memory\n");
		return EXIT_FAIL;
	}
	for (; optind < argc; optind++) {
		/* ids start at 1; the module's policy refuses 0 */
		ret = dsaio_parse_u32(argv[optind], 1, UINT32_MAX, &id);
		if (ret) {
			cancel_opts_free(o);
			return cli_usage_error("cancel", "'%s' is not a job id: ids are whole numbers from 1",
					       argv[optind]);
		}
		add_id(o, id);
	}
	return -1;
}

/* Each outcome: its --json name and whether the command still succeeds. */
static const struct {
	const char *name;
	bool ok;
} outcomes[] = {
	[CANCEL_SENT] = { "sent", true },
	[CANCEL_ENDED] = { "ended", true },
	[CANCEL_WAS_ENDED] = { "already_ended", true },
	[CANCEL_NO_JOB] = { "no_job", false },
	[CANCEL_TIMEOUT] = { "timeout", false },
	[CANCEL_FAILED] = { "failed", false },
};

bool cancel_outcome_ok(enum cancel_outcome o)
{
	return (size_t)o < sizeof(outcomes) / sizeof(outcomes[0]) && outcomes[o].ok;
}

const char *cancel_outcome_name(enum cancel_outcome o)
{
	if ((size_t)o >= sizeof(outcomes) / sizeof(outcomes[0]))
		return "unknown";
	return outcomes[o].name;
}

static const char *or_unknown(const char *state)
{
	return state ? state : "in an unknown state";
}

void cancel_sentence(const struct cancel_result *r, char *buf, size_t len)
{
	size_t n = 0;

	switch (r->outcome) {
	case CANCEL_SENT:
		n = snprintf(buf, len, "job %u: cancel sent (it was %s); it ends within about 2 s (--wait waits for it)",
			     r->id, or_unknown(r->before));
		break;
	case CANCEL_ENDED:
		n = snprintf(buf, len, "job %u: %s (it was %s)", r->id,
			     or_unknown(r->after), or_unknown(r->before));
		break;
	case CANCEL_WAS_ENDED:
		n = snprintf(buf, len, "job %u had already ended (%s): nothing to cancel",
			     r->id, or_unknown(r->before));
		break;
	case CANCEL_NO_JOB:
		n = snprintf(buf, len, "no job %u (the module keeps only running jobs and the last max_results ended ones)",
			     r->id);
		break;
	case CANCEL_TIMEOUT:
		n = snprintf(buf, len, "job %u is still %s after %u s: the device is not answering? (try a longer --wait)",
			     r->id, or_unknown(r->after), r->waited_s);
		break;
	case CANCEL_FAILED:
	default:
		n = snprintf(buf, len, "job %u: %s", r->id, r->error[0] ? r->error : "the module refused");
		break;
	}
	/* An ended job's requests still held: the hung-device case. */
	if (r->have_held && r->held && n < len &&
	    (r->outcome == CANCEL_ENDED || r->outcome == CANCEL_WAS_ENDED))
		snprintf(buf + n, len - n, "; the device still holds %u request%s: the module stays in use (rmmod fails) until it answers",
			 r->held, r->held == 1 ? "" : "s");
}

static json_object *string_or_null(const char *s)
{
	return s ? json_object_new_string(s) : NULL;
}

json_object *cancel_result_json(const struct cancel_result *r)
{
	json_object *o = json_object_new_object();
	char sentence[512];

	if (!o)
		return NULL;
	json_object_object_add(o, "id", json_object_new_int64(r->id));
	json_object_object_add(o, "state_before", string_or_null(r->before));
	json_object_object_add(o, "state_after", string_or_null(r->after));
	json_object_object_add(o, "held", r->have_held ? json_object_new_int64(r->held) : NULL);
	json_object_object_add(o, "result",
			       json_object_new_string(cancel_outcome_name(r->outcome)));
	if (!cancel_outcome_ok(r->outcome)) {
		cancel_sentence(r, sentence, sizeof(sentence));
		json_object_object_add(o, "error", json_object_new_string(sentence));
	}
	return o;
}

int cancel_exit_status(const struct cancel_result *r, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!cancel_outcome_ok(r[i].outcome))
			return EXIT_FAIL;
	return EXIT_OK;
}
