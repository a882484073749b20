// SPDX-License-Identifier: GPL-2.0 OR MIT
/* Sweep JSON: both overlap key names, cross product order, bad input. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "tap.h"
#include "sweepcfg.h"

static void refused(const char *json, const char *needle, const char *what)
{
	struct dsaio_grid g;
	char err[512] = "";
	int rc = dsaio_grid_parse(json, &g, err, sizeof(err));

	ok(rc < 0 && strstr(err, needle) && g.points == NULL,
	   "%s refused: %s", what, err);
	dsaio_grid_free(&g);
}

int main(void)
{
	struct dsaio_grid g;
	char err[512];
	int rc;
	size_t i;

	rc = dsaio_grid_default(&g);
	is_int(rc, 0, "default grid builds");
	is_int(g.n, 8, "DeepSpeed's default grid has 2*2*1*1*2 points");
	ok(g.n == 8 && g.points[0].block_size == 1 << 20 &&
	   !strcmp(g.points[0].block_size_str, "1M") &&
	   g.points[0].queue_depth == 32 && g.points[0].io_parallel == 1 &&
	   g.points[1].io_parallel == 8 && g.points[2].queue_depth == 128 &&
	   g.points[4].block_size == 8 << 20 &&
	   !strcmp(g.points[7].block_size_str, "8M"),
	   "default grid in itertools.product order (last key fastest)");
	for (i = 0, rc = 1; i < g.n; i++)
		rc &= g.points[i].overlap_events && !g.points[i].single_submit &&
		      g.points[i].processes == 1;
	ok(rc, "default grid: sequential_requests false = overlap, block submit");
	dsaio_grid_free(&g);

	rc = dsaio_grid_parse("{\"block_size\": [\"128K\", \"256K\", \"1M\"], "
			      "\"queue_depth\": [4, 16, 32], \"io_parallel\": "
			      "[1, 2, 4, 8], \"single_submit\": [true, false], "
			      "\"overlap_events\": [true, false], \"threads\": "
			      "[1]}", &g, err, sizeof(err));
	ok(rc == 0 && g.n == 3 * 3 * 4 * 2 * 2,
	   "2021 sweep config with overlap_events: 144 points");
	ok(rc == 0 && g.points[0].block_size == 131072 &&
	   !strcmp(g.points[0].block_size_str, "128K") &&
	   g.points[0].single_submit && g.points[0].overlap_events &&
	   !g.points[1].overlap_events && !g.points[2].single_submit,
	   "overlap_events taken as is");
	dsaio_grid_free(&g);

	rc = dsaio_grid_parse("{\"sequential_requests\": [true, false], "
			      "\"block_size\": [4096, 8388608]}", &g, err,
			      sizeof(err));
	ok(rc == 0 && g.n == 4 && !g.points[0].overlap_events &&
	   g.points[2].overlap_events,
	   "sequential_requests inverted into overlap_events");
	ok(rc == 0 && g.points[0].block_size == 4096 &&
	   !strcmp(g.points[0].block_size_str, "4K") &&
	   !strcmp(g.points[1].block_size_str, "8M"),
	   "integer block sizes accepted and named");
	ok(rc == 0 && g.points[0].queue_depth == 32 &&
	   g.points[0].io_parallel == 1 && g.points[0].processes == 1,
	   "missing keys take ds_io's defaults (qd 32, p 1)");
	dsaio_grid_free(&g);

	rc = dsaio_grid_parse("{}", &g, err, sizeof(err));
	ok(rc == 0 && g.n == 1 && g.points[0].block_size == 1 << 20,
	   "empty object is one default point");
	dsaio_grid_free(&g);

	refused("{\"block_size\": [\"1M\"", "not valid JSON", "truncated JSON");
	refused("{\"block_size\": [\"1M\"]} x", "not valid JSON",
		"trailing garbage");
	refused("", "not valid JSON", "empty text");
	refused("[1, 2]", "top level must be a JSON object", "a list");
	refused("{\"blocksize\": [\"1M\"]}", "unknown key \"blocksize\"",
		"unknown key");
	refused("{\"queue_depth\": 32}", "\"queue_depth\" must be a list",
		"scalar instead of list");
	refused("{\"queue_depth\": []}", "empty list", "empty list");
	refused("{\"queue_depth\": [\"32\"]}", "must be a positive integer",
		"string queue depth");
	refused("{\"queue_depth\": [0]}", "out of range", "zero queue depth");
	refused("{\"io_parallel\": [-1]}", "out of range", "negative parallel");
	refused("{\"single_submit\": [\"false\"]}", "JSON booleans",
		"string boolean");
	refused("{\"overlap_events\": [1]}", "true or false", "int boolean");
	refused("{\"block_size\": [\"1Q\"]}", "\"1Q\" is not a size",
		"bad size string");
	refused("{\"block_size\": [\"8G\"]}", "is not a size", "block over 4G");
	refused("{\"block_size\": [1.5]}", "size string", "float block size");
	refused("{\"overlap_events\": [true], \"sequential_requests\": [true]}",
		"not both", "both overlap keys");
	refused("{\"threads\": [33]}", "at most 32", "threads over 32");
	rc = dsaio_grid_parse("{\"threads\": [1, 2, 4], \"io_parallel\": [2]}",
			      &g, err, sizeof(err));
	ok(rc == 0 && g.n == 3 && g.points[0].processes == 1 &&
	   g.points[1].processes == 2 && g.points[2].processes == 4 &&
	   g.points[2].io_parallel == 2,
	   "\"threads\": [1, 2, 4] runs: three points of 1, 2 and 4 handles");
	dsaio_grid_free(&g);

	{
		const char *path = "/tmp/dsaio-sweepcfg-test.json";
		FILE *f = fopen(path, "w");

		if (f) {
			fputs("{\"block_size\": [\"128K\"], \"queue_depth\": "
			      "[4, 8]}\n", f);
			fclose(f);
		}
		rc = dsaio_grid_load(path, &g, err, sizeof(err));
		ok(rc == 0 && g.n == 2 && g.points[1].queue_depth == 8,
		   "grid loaded from a file");
		dsaio_grid_free(&g);
		remove(path);
		rc = dsaio_grid_load("/nonexistent/sweep.json", &g, err,
				     sizeof(err));
		ok(rc == -ENOENT && strstr(err, "/nonexistent/sweep.json"),
		   "missing file named: %s", err);
	}
	return done();
}
