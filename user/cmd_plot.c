// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * dsaio-user plot: a sweep's JSON summary drawn as two PNG images by
 * gnuplot (also sweep --plot's, through plot_draw). The data and the script come from plotdata.c and plotscript.c
 * (pure, unit-tested); this file only reads the summary, runs gnuplot
 * with the script on a pipe and puts its images in place. gnuplot writes
 * into temporary files beside the outputs, which are renamed over them
 * only once every image is a PNG, so a failure leaves nothing half
 * written and the previous images, if any, as they were.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <libgen.h>
#include <limits.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <json-c/json.h>

#include "cli.h"
#include "cmd_plot.h"
#include "plotdata.h"
#include "plotscript.h"
#include "report.h"

extern char **environ;

static void usage(FILE *f)
{
	fprintf(f,
"usage: dsaio-user plot SWEEP.json [--output FILE.png] [--latency-output FILE.png]\n"
"                       [--engine NAME] [--each-combination] [--table FILE] [--json]\n"
"\n"
"Draws a sweep's JSON summary (LOG_DIR/dsaio_sweep.json of `dsaio-user sweep`)\n"
"as two PNG images, with gnuplot (Debian: gnuplot-nox):\n"
"\n"
"  heatmaps    E2E GB/s (GB = 2^30) over block_size x queue_depth: one column\n"
"              per op measured (write, read) and one for read + write, the\n"
"              figure the recommended point maximises; one row per io_parallel.\n"
"              Each cell prints its value; a black frame marks the recommended\n"
"              point (the sweep's \"aio\" block); grey cells failed. When the\n"
"              grid has several single_submit/overlap_events combinations each\n"
"              cell shows the best of them for its column and names it under\n"
"              the value (blk/sgl: block or single submit, ovl/seq: overlap or\n"
"              sequential); --each-combination gives each its own row instead.\n"
"  latency     p50, p90, p99, p99.9 and max of every request, submit to\n"
"              completion, per point and op (log scale; * the recommended).\n"
"\n"
"A summary of `sweep --engines` holds one sweep per engine: the one whose\n"
"block was recommended is drawn (libaio's when it ran), or --engine NAME's.\n"
"The images are written to temporary files beside them and renamed into\n"
"place only when gnuplot has made both, so nothing is left half written.\n"
"A sweep draws the same charts itself when it is done, given its plot\n"
"option (`dsaio-user sweep --help`).\n"
"\n"
"  --output FILE.png          the heatmaps (default: sweep.png beside SWEEP.json)\n"
"  --latency-output FILE.png  the latency chart (default: the --output name\n"
"                             with -latency before .png: sweep-latency.png)\n"
"  --engine NAME              of a sweep --engines summary, draw NAME's sweep\n"
"  --each-combination         one row of heatmaps per io_parallel and\n"
"                             single_submit/overlap_events combination\n"
"  --table FILE               also write, as text, every value gnuplot plotted\n"
"                             (gnuplot's `set table`): to check a chart by\n"
"  --json                     print what was written as JSON (files, sizes)\n"
"  -h, --help                 this help\n"
"\n"
"Examples:\n"
"  dsaio-user plot nvme/dsaio_sweep.json       # nvme/sweep.png, nvme/sweep-latency.png\n"
"  dsaio-user plot cmp/dsaio_sweep.json --engine io_uring --output io_uring.png\n"
"\n"
"Exit status: 0 both images written; 1 the summary cannot be read or drawn\n"
"(not a sweep summary, no complete point), an output cannot be written, or\n"
"gnuplot is missing or failed; 2 usage error.\n");
}

#define ERR(...) fprintf(stderr, "dsaio-user plot: " __VA_ARGS__)

/* The whole file as JSON; NULL with the reason said. */
static json_object *read_json(const char *path)
{
	json_tokener *tok = json_tokener_new();
	json_object *o = NULL;
	enum json_tokener_error e = json_tokener_continue;
	char buf[65536];
	size_t n, total = 0;
	FILE *f = fopen(path, "r");

	if (!f || !tok) {
		if (!f)
			ERR("cannot read %s: %m\n", path);
		else
			ERR("out of memory\n");
		if (f)
			fclose(f);
		json_tokener_free(tok);
		return NULL;
	}
	while (!o && (n = fread(buf, 1, sizeof(buf), f)) > 0) {
		o = json_tokener_parse_ex(tok, buf, (int)n);
		e = json_tokener_get_error(tok);
		total += n;
		if (e != json_tokener_continue && e != json_tokener_success)
			break;
	}
	if (ferror(f)) {
		ERR("cannot read %s: %m\n", path);
		json_object_put(o);
		o = NULL;
	} else if (!o) {
		if (e == json_tokener_continue)
			ERR("%s is not a dsaio sweep summary: %s\n", path,
			    total ? "its JSON ends early" : "it is empty");
		else
			ERR("%s is not a dsaio sweep summary: not JSON (%s, near byte %zu)\n", path,
			    json_tokener_error_desc(e),
			    total - n + (size_t)json_tokener_get_parse_end(tok));
	}
	fclose(f);
	json_tokener_free(tok);
	return o;
}

/* A final path and the temporary file gnuplot writes in its place. */
struct out_file {
	const char *what;
	char path[PATH_MAX];
	char tmp[PATH_MAX];
	bool made;
};

/* The temporary file beside OUT's path: .NAME.XXXXXX in its directory. */
static int make_tmp(struct out_file *out)
{
	char d[PATH_MAX], b[PATH_MAX];
	const char *dir;
	int fd;

	snprintf(d, sizeof(d), "%s", out->path);
	snprintf(b, sizeof(b), "%s", out->path);
	dir = dirname(d);
	if ((size_t)snprintf(out->tmp, sizeof(out->tmp), "%s/.%s.XXXXXX", dir,
			     basename(b)) >= sizeof(out->tmp)) {
		ERR("cannot write the %s to %s: the path is too long\n", out->what, out->path);
		return -1;
	}
	fd = mkstemp(out->tmp);
	if (fd < 0) {
		ERR("cannot write the %s to %s: %m (making a file in %s)\n", out->what, out->path,
		    dir);
		return -1;
	}
	close(fd);
	/* mkstemp's 0600; the image is for anyone, as a file fopen makes */
	{
		mode_t um = umask(0);

		umask(um);
		(void)chmod(out->tmp, 0666 & ~um);
	}
	out->made = true;
	return 0;
}

/* gnuplot has written a PNG there: the signature is its first 8 bytes. */
static bool is_png(const char *path)
{
	static const unsigned char sig[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
	unsigned char got[8];
	FILE *f = fopen(path, "rb");
	bool ok = f && fread(got, 1, sizeof(got), f) == sizeof(got) &&
		  !memcmp(got, sig, sizeof(sig));

	if (f)
		fclose(f);
	return ok;
}

/* What gnuplot said on stderr, indented, at most 20 lines. */
static void show_log(FILE *log)
{
	char line[1024];
	int n = 0;

	rewind(log);
	while (fgets(line, sizeof(line), log)) {
		if (n++ == 20) {
			fprintf(stderr, "    ...\n");
			break;
		}
		if (line[0] != '\n')
			fprintf(stderr, "    %s%s", line, strchr(line, '\n') ? "" : "\n");
	}
}

/*
 * gnuplot with the script on its stdin, its stderr kept in LOG. 0 when it
 * exited 0; -1 when it could not run or failed, said.
 */
static int run_gnuplot(const struct plot_sweep *s, const struct plot_layout *l,
		       const struct plot_files *files, FILE *log)
{
	char *argv[] = { "gnuplot", NULL };
	posix_spawn_file_actions_t fa;
	struct sigaction ign = { .sa_handler = SIG_IGN }, old;
	int pfd[2], ret, st, wrote;
	pid_t pid;
	FILE *f;

	if (pipe2(pfd, O_CLOEXEC)) {
		ERR("cannot make a pipe to gnuplot: %m\n");
		return -1;
	}
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, pfd[0], STDIN_FILENO);
	posix_spawn_file_actions_addopen(&fa, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_adddup2(&fa, fileno(log), STDERR_FILENO);
	ret = posix_spawnp(&pid, "gnuplot", &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(pfd[0]);
	if (ret) {
		close(pfd[1]);
		if (ret == ENOENT)
			ERR("gnuplot is not installed (or not in PATH): install it (Debian: sudo apt-get install gnuplot-nox) and run plot again\n");
		else
			ERR("cannot run gnuplot: %s\n", strerror(ret));
		return -1;
	}
	/* gnuplot dying mid-script must be an error here, not our SIGPIPE */
	sigaction(SIGPIPE, &ign, &old);
	f = fdopen(pfd[1], "w");
	if (!f) {
		close(pfd[1]);
		wrote = -1;
	} else {
		wrote = plot_script(f, s, l, files);
		if (fclose(f))
			wrote = -1;
	}
	sigaction(SIGPIPE, &old, NULL);
	while (waitpid(pid, &st, 0) < 0) {
		if (errno != EINTR) {
			ERR("cannot wait for gnuplot: %m\n");
			return -1;
		}
	}
	if (WIFEXITED(st) && WEXITSTATUS(st) == 0 && !wrote)
		return 0;
	if (WIFSIGNALED(st))
		ERR("gnuplot was killed by signal %d (%s); it said:\n", WTERMSIG(st),
		    strsignal(WTERMSIG(st)));
	else if (WEXITSTATUS(st))
		ERR("gnuplot failed (exit status %d); it said:\n", WEXITSTATUS(st));
	else
		ERR("gnuplot stopped reading the script early; it said:\n");
	show_log(log);
	return -1;
}

static void default_paths(const char *json, const char *output, const char *lat,
			  struct out_file *o)
{
	char d[PATH_MAX];
	size_t n;

	snprintf(d, sizeof(d), "%s", json);
	if (output)
		snprintf(o[0].path, sizeof(o[0].path), "%s", output);
	else
		snprintf(o[0].path, sizeof(o[0].path), "%s/sweep.png", dirname(d));
	if (lat) {
		snprintf(o[1].path, sizeof(o[1].path), "%s", lat);
		return;
	}
	/* sweep.png -> sweep-latency.png; chart -> chart-latency.png */
	n = strlen(o[0].path);
	if (n > 4 && !strcmp(o[0].path + n - 4, ".png"))
		n -= 4;
	snprintf(o[1].path, sizeof(o[1].path), "%.*s-latency.png", (int)n, o[0].path);
}

static int print_json(const struct out_file *o, size_t n, const struct plot_sweep *s,
		      const struct plot_layout *l, bool each)
{
	json_object *j = json_object_new_object(), *f;
	const unsigned int w[3] = { l->width, l->lat_width, 0 };
	const unsigned int h[3] = { l->height, l->lat_height, 0 };
	static const char *const keys[3] = { "heatmaps", "latency", "table" };
	size_t i;

	if (!j)
		return -1;
	json_object_object_add(j, "engine", json_object_new_string(s->engine));
	json_object_object_add(j, "combinations", json_object_new_string(
				       each && s->n_combo > 1 ? "each" : "best"));
	json_object_object_add(j, "recommended", dsaio_params_json(&s->best));
	for (i = 0; i < n; i++) {
		f = json_object_new_object();
		json_object_object_add(f, "file", json_object_new_string(o[i].path));
		if (w[i]) {
			json_object_object_add(f, "width", json_object_new_int64(w[i]));
			json_object_object_add(f, "height", json_object_new_int64(h[i]));
		}
		json_object_object_add(j, keys[i], f);
	}
	printf("%s\n", json_object_to_json_string_ext(j, DSAIO_JSON_PRETTY));
	json_object_put(j);
	return 0;
}

/* The three outputs' paths from RQ: the defaults where it names none. */
static size_t out_paths(const struct plot_request *rq, struct out_file *o)
{
	size_t n = 2;

	default_paths(rq->in, rq->output, rq->latency_output, o);
	if (rq->table)
		snprintf(o[n++].path, sizeof(o[0].path), "%s", rq->table);
	return n;
}

#define OUT_FILES_INIT { { .what = "heatmaps" }, { .what = "latency chart" }, \
			 { .what = "table" } }

int plot_check_names(const struct plot_request *rq, const char *cmd)
{
	struct out_file o[3] = OUT_FILES_INIT;
	size_t n_out = out_paths(rq, o), i, k;

	for (i = 0; i < n_out; i++) {
		if (!o[i].path[0])
			return cli_usage_error(cmd, "the %s file name is empty", o[i].what);
		for (k = 0; k < i; k++)
			if (!strcmp(o[i].path, o[k].path))
				return cli_usage_error(cmd, "the %s and the %s would both be %s: give them different names",
						       o[k].what, o[i].what, o[i].path);
		if (!strcmp(o[i].path, rq->in))
			return cli_usage_error(cmd, "the %s would overwrite the summary %s",
					       o[i].what, rq->in);
	}
	return 0;
}

int plot_gnuplot_found(const char *cmd)
{
	const char *path = getenv("PATH");
	char dir[PATH_MAX];
	size_t n;

	/* as posix_spawnp looks: each PATH entry, an empty one is "." */
	while (path) {
		const char *end = strchr(path, ':');

		n = end ? (size_t)(end - path) : strlen(path);
		if ((size_t)snprintf(dir, sizeof(dir), "%.*s/gnuplot", (int)n,
				     n ? path : ".") < sizeof(dir) && !access(dir, X_OK))
			return 0;
		path = end ? end + 1 : NULL;
	}
	fprintf(stderr, "dsaio-user %s: gnuplot is not installed (or not in PATH), and the charts need it: install it (Debian: sudo apt-get install gnuplot-nox), or leave out --plot\n",
		cmd);
	return -1;
}

int plot_draw(const struct plot_request *rq)
{
	struct out_file o[3] = OUT_FILES_INIT;
	struct plot_files files;
	struct plot_layout l;
	struct plot_sweep s;
	json_object *root;
	char err[512];
	size_t n_out, i;
	FILE *log = NULL;
	int rc = EXIT_FAIL;

	rc = plot_check_names(rq, "plot");
	if (rc)
		return rc;
	rc = EXIT_FAIL;
	n_out = out_paths(rq, o);
	root = read_json(rq->in);
	if (!root)
		return EXIT_FAIL;
	if (plot_sweep_read(root, rq->engine, &s, err, sizeof(err))) {
		json_object_put(root);
		ERR("%s: %s\n", rq->in, err);
		return EXIT_FAIL;
	}
	json_object_put(root);
	if (plot_sweep_check(&s, err, sizeof(err))) {
		ERR("%s: %s\n", rq->in, err);
		goto out;
	}
	plot_layout(&s, rq->each_combination, &l);

	for (i = 0; i < n_out; i++)
		if (make_tmp(&o[i]))
			goto out;
	log = tmpfile();
	if (!log) {
		ERR("cannot make a temporary file for gnuplot's messages: %m\n");
		goto out;
	}
	files = (struct plot_files){ o[0].tmp, o[1].tmp, rq->table ? o[2].tmp : NULL };
	if (run_gnuplot(&s, &l, &files, log))
		goto out;
	for (i = 0; i < 2; i++) {
		if (!is_png(o[i].tmp)) {
			ERR("gnuplot wrote no PNG image for the %s (is its pngcairo terminal there? `gnuplot -e 'set terminal'` lists them); it said:\n",
			    o[i].what);
			show_log(log);
			goto out;
		}
	}
	for (i = 0; i < n_out; i++) {
		if (rename(o[i].tmp, o[i].path)) {
			ERR("cannot put the %s in place as %s: %m\n", o[i].what, o[i].path);
			goto out;
		}
		o[i].made = false;
	}
	rc = EXIT_OK;
	if (rq->json) {
		if (print_json(o, n_out, &s, &l, rq->each_combination)) {
			ERR("out of memory\n");
			rc = EXIT_FAIL;
		}
	} else {
		fprintf(rq->report, "heatmaps: %s (%ux%u)\nlatency: %s (%ux%u)\n", o[0].path,
			l.width, l.height, o[1].path, l.lat_width, l.lat_height);
		if (rq->table)
			fprintf(rq->report, "table: %s\n", o[2].path);
	}
out:
	for (i = 0; i < n_out; i++)
		if (o[i].made)
			unlink(o[i].tmp);
	if (log)
		fclose(log);
	plot_sweep_free(&s);
	return rc;
}

int cmd_plot(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "latency-output", required_argument, NULL, 'L' },
		{ "engine", required_argument, NULL, 'e' },
		{ "each-combination", no_argument, NULL, 'E' },
		{ "table", required_argument, NULL, 't' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct plot_request rq = { .report = stdout };
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "o:h", opts, NULL)) != -1) {
		switch (c) {
		case 'o': rq.output = optarg; break;
		case 'L': rq.latency_output = optarg; break;
		case 'e': rq.engine = optarg; break;
		case 'E': rq.each_combination = true; break;
		case 't': rq.table = optarg; break;
		case 'j': rq.json = true; break;
		case 'h': return cli_help(usage, true);
		default: return cli_help(usage, false);
		}
	}
	if (optind >= argc)
		return cli_usage_error("plot", "give the sweep's JSON summary, e.g. _aio_bench_logs/dsaio_sweep.json");
	rq.in = argv[optind++];
	if (optind < argc)
		return cli_usage_error("plot", "unexpected argument '%s'", argv[optind]);
	return plot_draw(&rq);
}
