// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * `dsaio-user cancel` without the module: its command line (ids, --all,
 * --wait[=SECONDS], --json, and the refusals in their words), the sentence
 * and the JSON object of every outcome, and the exit status of a set.
 */
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>
#include "tap.h"
#include "cancel.h"
#include "cli.h"

#define MAX_ARGS 8

/* cancel_parse on a command line of words; stderr's text kept in err. */
static int parse(struct cancel_opts *o, char *err, size_t errlen, const char *const *words)
{
	char *argv[MAX_ARGS + 2] = { (char *)"cancel" };
	int argc = 1, saved, ret;
	FILE *cap = tmpfile();
	size_t n = 0;

	while (words[argc - 1] && argc <= MAX_ARGS) {
		argv[argc] = (char *)words[argc - 1];
		argc++;
	}
	fflush(stderr);
	saved = dup(2);
	if (cap)
		dup2(fileno(cap), 2);
	ret = cancel_parse(argc, argv, o);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	if (cap) {
		rewind(cap);
		n = fread(err, 1, errlen - 1, cap);
		fclose(cap);
	}
	err[n] = '\0';
	return ret;
}

/* Command lines refused (exit 2), with a word the sentence must hold. */
static const struct {
	const char *words[MAX_ARGS];
	const char *says;
} refused[] = {
	{ { NULL }, "give its id" },
	{ { "0", NULL }, "'0' is not a job id" },
	{ { "7x", NULL }, "'7x' is not a job id" },
	{ { "-3", NULL }, "" },			/* getopt: an unknown option */
	{ { "4294967296", NULL }, "not a job id" },
	{ { "--all", "7", NULL }, "not both" },
	{ { "--wait=0", "7", NULL }, "--wait=0: give whole seconds from 1 to 3600" },
	{ { "--wait=3601", "7", NULL }, "from 1 to 3600" },
	{ { "--wait=2s", "7", NULL }, "whole seconds" },
	{ { "--json", NULL }, "give its id" },
	{ { "--bogus", "7", NULL }, "" },
};

static void test_parse(void)
{
	struct cancel_opts o;
	char err[2048];
	size_t i;

	for (i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		char line[128] = "";

		for (const char *const *w = refused[i].words; *w; w++)
			snprintf(line + strlen(line), sizeof(line) - strlen(line), " %s", *w);
		is_int(parse(&o, err, sizeof(err), refused[i].words), EXIT_USAGE,
		       "cancel%s: a usage error", line);
		if (!ok(strstr(err, refused[i].says) && strstr(err, "dsaio-user cancel"),
			"cancel%s says '%s'", line, refused[i].says))
			printf("# it said: %s", err);
	}

	{
		const char *w[] = { "7", "3", "7", "12", NULL };

		is_int(parse(&o, err, sizeof(err), w), -1, "cancel 7 3 7 12: accepted");
		is_int(o.n_ids, 3, "a job named twice is cancelled once");
		ok(o.n_ids == 3 && o.ids[0] == 7 && o.ids[1] == 3 && o.ids[2] == 12,
		   "ids in the order given");
		ok(!o.all && !o.wait && !o.json, "no option set");
		cancel_opts_free(&o);
	}
	{
		const char *w[] = { "--all", "--wait", "--json", NULL };

		is_int(parse(&o, err, sizeof(err), w), -1, "cancel --all --wait --json");
		ok(o.all && o.wait && o.json && o.n_ids == 0, "--all, --wait, --json set");
		is_int(o.wait_s, CANCEL_WAIT_DEFAULT_S, "--wait alone waits %d s", CANCEL_WAIT_DEFAULT_S);
		cancel_opts_free(&o);
	}
	{
		const char *w[] = { "--wait=30", "5", NULL };

		is_int(parse(&o, err, sizeof(err), w), -1, "cancel --wait=30 5");
		is_int(o.wait_s, 30, "--wait=30 waits 30 s");
		ok(o.n_ids == 1 && o.ids[0] == 5, "5 stays an id");
		cancel_opts_free(&o);
	}
	{
		/* an optional value is only ever --wait=N: here 5 is a job */
		const char *w[] = { "--wait", "5", NULL };

		is_int(parse(&o, err, sizeof(err), w), -1, "cancel --wait 5");
		ok(o.wait && o.wait_s == CANCEL_WAIT_DEFAULT_S && o.n_ids == 1 && o.ids[0] == 5,
		   "--wait 5: the default wait, job 5");
		cancel_opts_free(&o);
	}
	{
		const char *w[] = { "--help", NULL };
		int saved = dup(1), devnull = open("/dev/null", O_WRONLY);

		fflush(stdout);
		dup2(devnull, 1);
		close(devnull);
		is_int(parse(&o, err, sizeof(err), w), EXIT_OK, "--help: exit 0");
		fflush(stdout);
		dup2(saved, 1);
		close(saved);
	}
}

/* Each outcome: the words of its sentence, JSON result, ok or not. */
static const struct {
	struct cancel_result r;
	const char *says, *not_says, *result;
	bool ok;
} cases[] = {
	{ { .id = 4, .outcome = CANCEL_SENT, .before = "running", .after = "running" },
	  "job 4: cancel sent (it was running)", "still holds", "sent", true },
	{ { .id = 4, .outcome = CANCEL_ENDED, .before = "running", .after = "cancelled",
	    .have_held = true },
	  "job 4: cancelled (it was running)", "still holds", "ended", true },
	{ { .id = 5, .outcome = CANCEL_ENDED, .before = "running", .after = "cancelled",
	    .have_held = true, .held = 3 },
	  "job 5: cancelled (it was running); the device still holds 3 requests", NULL, "ended", true },
	{ { .id = 5, .outcome = CANCEL_ENDED, .before = "setup", .after = "cancelled",
	    .have_held = true, .held = 1 },
	  "still holds 1 request: the module stays in use (rmmod fails)", NULL, "ended", true },
	{ { .id = 6, .outcome = CANCEL_WAS_ENDED, .before = "done", .after = "done",
	    .have_held = true },
	  "job 6 had already ended (done): nothing to cancel", "still holds", "already_ended", true },
	{ { .id = 7, .outcome = CANCEL_NO_JOB },
	  "no job 7 ", "job 7:", "no_job", false },
	{ { .id = 8, .outcome = CANCEL_TIMEOUT, .before = "running", .after = "running",
	    .waited_s = 10 },
	  "job 8 is still running after 10 s", "still holds", "timeout", false },
	{ { .id = 9, .outcome = CANCEL_FAILED, .before = "running",
	    .error = "cancelling the job: needs CAP_NET_ADMIN: run as root" },
	  "job 9: cancelling the job: needs CAP_NET_ADMIN", NULL, "failed", false },
};

static void test_outcomes(void)
{
	char s[512];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct cancel_result *r = &cases[i].r;
		json_object *j = cancel_result_json(r), *v;
		const char *name = cancel_outcome_name(r->outcome);

		cancel_sentence(r, s, sizeof(s));
		ok(strstr(s, cases[i].says), "%s: says '%s' (%s)", name, cases[i].says, s);
		if (cases[i].not_says)
			ok(!strstr(s, cases[i].not_says), "%s: does not say '%s'", name,
			   cases[i].not_says);
		is_int(cancel_outcome_ok(r->outcome), cases[i].ok, "%s: %s", name,
		       cases[i].ok ? "not an error" : "an error");
		is_str(name, cases[i].result, "%s: its JSON result", name);
		ok(j, "%s: a JSON object", name);
		if (!j)
			continue;
		ok(json_object_object_get_ex(j, "id", &v) && json_object_get_int64(v) == r->id,
		   "%s: id %u", name, r->id);
		ok(json_object_object_get_ex(j, "state_before", &v) &&
		   (r->before ? !strcmp(json_object_get_string(v), r->before) : v == NULL),
		   "%s: state_before %s", name, r->before ? r->before : "null");
		ok(json_object_object_get_ex(j, "state_after", &v) &&
		   (r->after ? !strcmp(json_object_get_string(v), r->after) : v == NULL),
		   "%s: state_after %s", name, r->after ? r->after : "null");
		ok(json_object_object_get_ex(j, "held", &v) &&
		   (r->have_held ? json_object_get_int64(v) == r->held : v == NULL),
		   "%s: held", name);
		ok(json_object_object_get_ex(j, "error", &v) == !cases[i].ok &&
		   (cases[i].ok || strstr(json_object_get_string(v), cases[i].says)),
		   "%s: an error sentence only for an error", name);
		json_object_put(j);
	}
}

static void test_exit_status(void)
{
	struct cancel_result r[3] = {
		{ .id = 1, .outcome = CANCEL_ENDED },
		{ .id = 2, .outcome = CANCEL_WAS_ENDED },
		{ .id = 3, .outcome = CANCEL_SENT },
	};

	is_int(cancel_exit_status(r, 0), EXIT_OK, "no job running: success");
	is_int(cancel_exit_status(r, 3), EXIT_OK, "cancelled, already ended, sent: success");
	r[1].outcome = CANCEL_NO_JOB;
	is_int(cancel_exit_status(r, 3), EXIT_FAIL, "one unknown id fails the command");
	r[1].outcome = CANCEL_TIMEOUT;
	is_int(cancel_exit_status(r, 3), EXIT_FAIL, "one job still running after --wait fails it");
	is_str(cancel_outcome_name((enum cancel_outcome)99), "unknown", "an out-of-table outcome");
	ok(!cancel_outcome_ok((enum cancel_outcome)99), "an out-of-table outcome is not ok");
}

int main(void)
{
	test_parse();
	test_outcomes();
	test_exit_status();
	return done();
}
