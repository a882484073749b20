// SPDX-License-Identifier: GPL-2.0 OR MIT
/* --engine NAME and --engines LIST: valid lists, and every usage error. */
#include <errno.h>
#include <string.h>

#include "tap.h"
#include "engine_list.h"

static const struct dsaio_engine fake[] = {
	{ .name = "kernel" }, { .name = "libaio" }, { .name = "io_uring" },
};

static const struct dsaio_engine *fake_at(size_t i)
{
	return i < sizeof(fake) / sizeof(fake[0]) ? &fake[i] : NULL;
}

int main(void)
{
	const char *known[DSAIO_MAX_ENGINES], *out[DSAIO_MAX_ENGINES];
	char err[512], buf[64];
	size_t n_known;
	int n;

	n_known = engine_list_known(fake_at, known, DSAIO_MAX_ENGINES);
	is_int(n_known, 3, "three engines in the table");
	ok(n_known == 3 && !strcmp(known[0], "kernel") &&
	   !strcmp(known[2], "io_uring"), "in the table's order");
	is_int(engine_list_known(fake_at, known, 2), 2, "at most max names");
	n_known = engine_list_known(fake_at, known, DSAIO_MAX_ENGINES);

	engine_list_join(known, n_known, buf, sizeof(buf));
	is_str(buf, "kernel, libaio, io_uring", "names joined for a sentence");
	engine_list_join(known, n_known, buf, 10);
	is_str(buf, "kernel, l", "a short buffer is cut, terminated");

	is_int(engine_name_check("libaio", known, n_known, err, sizeof(err)), 0,
	       "--engine libaio is known");
	is_int(engine_name_check("uring", known, n_known, err, sizeof(err)),
	       -EINVAL, "--engine uring is refused");
	ok(strstr(err, "'uring'") && strstr(err, "kernel, libaio, io_uring"),
	   "the error names it and lists the engines: %s", err);
	is_int(engine_name_check("", known, n_known, err, sizeof(err)), -EINVAL,
	       "--engine '' is refused");

	n = engine_list_parse("libaio,io_uring", known, n_known, out,
			      DSAIO_MAX_ENGINES, err, sizeof(err));
	ok(n == 2 && out[0] == known[1] && out[1] == known[2],
	   "libaio,io_uring: two, in the list's order");
	n = engine_list_parse("io_uring,kernel,libaio", known, n_known, out,
			      DSAIO_MAX_ENGINES, err, sizeof(err));
	ok(n == 3 && out[0] == known[2] && out[1] == known[0],
	   "all three in any order");
	n = engine_list_parse("kernel", known, n_known, out, DSAIO_MAX_ENGINES,
			      err, sizeof(err));
	ok(n == 1 && out[0] == known[0], "a list of one");
	n = engine_list_parse("kernel,libaio,kernel", known, n_known, out,
			      DSAIO_MAX_ENGINES, err, sizeof(err));
	ok(n == -EINVAL && strstr(err, "kernel is named twice"),
	   "a duplicate is refused: %s", err);
	n = engine_list_parse("kernel,fio", known, n_known, out,
			      DSAIO_MAX_ENGINES, err, sizeof(err));
	ok(n == -EINVAL && strstr(err, "no engine called 'fio'") &&
	   strstr(err, "kernel, libaio, io_uring"),
	   "an unknown name is refused with the list: %s", err);
	n = engine_list_parse("kernel,,libaio", known, n_known, out,
			      DSAIO_MAX_ENGINES, err, sizeof(err));
	ok(n == -EINVAL && strstr(err, "empty name"), "an empty name: %s", err);
	n = engine_list_parse("kernel,", known, n_known, out,
			      DSAIO_MAX_ENGINES, err, sizeof(err));
	ok(n == -EINVAL && strstr(err, "empty name"), "a trailing comma: %s", err);
	n = engine_list_parse("", known, n_known, out, DSAIO_MAX_ENGINES, err,
			      sizeof(err));
	ok(n == -EINVAL && strstr(err, "empty name"), "an empty list: %s", err);
	n = engine_list_parse("libaio,kern", known, n_known, out,
			      DSAIO_MAX_ENGINES, err, sizeof(err));
	ok(n == -EINVAL && strstr(err, "'kern'"), "a prefix is not a name: %s", err);
	n = engine_list_parse("kernel,libaio", known, n_known, out, 1, err,
			      sizeof(err));
	ok(n == -EINVAL && strstr(err, "more than 1"), "more than max: %s", err);
	{
		char big[256] = "";
		FILE *f = fmemopen(big, sizeof(big) - 1, "w");
		if (f) {
			engine_default_hint(f, "sweep", known, n_known);
			fclose(f);
		}
		is_str(big, "dsaio-user sweep: or measure from user space, without the module: --engine libaio, --engine io_uring\n",
		       "the hint names the other engines");
		memset(big, 0, sizeof(big));
		f = fmemopen(big, sizeof(big) - 1, "w");
		if (f) {
			engine_default_hint(f, "run", known, 1);
			fclose(f);
		}
		is_str(big, "", "no hint when there is no other engine");
	}
	return done();
}
