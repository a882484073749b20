// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The target of run and sweep: --dev/--dir exclusivity and the file
 * options, the directory made absolute, the free-space check, the help
 * lines; the human Target line, the JSON target object and the log
 * header that name what was measured.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>
#include <json-c/json.h>

#include "tap.h"
#include "logfile.h"
#include "report.h"
#include "target.h"

static int apply(const char *dev, const char *dir, bool ow, bool keep,
		 struct measure_request *rq, char *err, size_t errlen)
{
	struct target_args a = { .dev = { dev }, .dir = { dir }, .n_dev = !!dev,
				 .n_dir = !!dir, .overwrite = ow, .keep_files = keep };

	measure_request_init(rq);
	err[0] = '\0';
	return target_args_apply(&a, rq, err, errlen);
}

static void test_args(void)
{
	struct measure_request rq;
	char err[512], longp[DSAIO_TARGET_PATH_MAX + 8];
	int rc;

	rc = apply("/dev/nvme0n1", NULL, false, false, &rq, err, sizeof(err));
	ok(rc == 0 && rq.kind == TARGET_BDEV && !strcmp(rq.target, "/dev/nvme0n1") &&
	   !rq.overwrite && !rq.keep_files, "--dev alone: a device target, as given");
	rc = apply(NULL, "mnt/nvme", true, true, &rq, err, sizeof(err));
	ok(rc == 0 && rq.kind == TARGET_FILE && !strcmp(rq.target, "mnt/nvme") &&
	   rq.overwrite && rq.keep_files, "--dir with --overwrite --keep-files: a file target");
	rc = apply("/dev/nvme0n1", "/mnt/nvme", false, false, &rq, err, sizeof(err));
	is_int(rc, -EINVAL, "--dev and --dir together refused");
	ok(strstr(err, "--dev and --dir name two kinds of target; give one kind") != NULL &&
	   rq.target[0] == '\0', "the sentence says give one, nothing set: %s", err);
	rc = apply(NULL, NULL, false, false, &rq, err, sizeof(err));
	is_int(rc, -EINVAL, "neither --dev nor --dir refused");
	ok(strstr(err, "--dev DEV") && strstr(err, "--dir DIR"),
	   "the sentence names both options: %s", err);
	rc = apply("/dev/nvme0n1", NULL, true, false, &rq, err, sizeof(err));
	ok(rc == -EINVAL && !strcmp(err, "--overwrite is for files: it needs --dir DIR, not --dev"),
	   "--overwrite with --dev refused: %s", err);
	rc = apply("/dev/nvme0n1", NULL, false, true, &rq, err, sizeof(err));
	ok(rc == -EINVAL && !strcmp(err, "--keep-files is for files: it needs --dir DIR, not --dev"),
	   "--keep-files with --dev refused: %s", err);
	memset(longp, 'a', sizeof(longp) - 1);
	longp[0] = '/';
	longp[sizeof(longp) - 1] = '\0';
	rc = apply(NULL, longp, false, false, &rq, err, sizeof(err));
	ok(rc == -EINVAL && !strncmp(err, "directory path too long", 23),
	   "a directory longer than the module takes refused");
	rc = apply("", NULL, false, false, &rq, err, sizeof(err));
	ok(rc == -EINVAL && !strcmp(err, "device path empty: ''"), "an empty --dev refused");
}

/* Several --dev or --dir: in order, one kind, each once, at most 8. */
static void test_several(void)
{
	struct target_args a = { 0 };
	struct measure_request rq;
	char err[512] = "", list[64];
	unsigned int i;
	int rc;

	target_args_option(&a, TARGET_OPT_DEV, "/dev/nvme0n1");
	target_args_option(&a, TARGET_OPT_DEV, "/dev/nvme1n1");
	measure_request_init(&rq);
	rc = target_args_apply(&a, &rq, err, sizeof(err));
	ok(rc == 0 && rq.n_targets == 2 && measure_request_n_targets(&rq) == 2 &&
	   !strcmp(rq.targets[0], "/dev/nvme0n1") && !strcmp(rq.targets[1], "/dev/nvme1n1") &&
	   !strcmp(rq.target, "/dev/nvme0n1"), "two --dev: two targets in order, target the first");
	is_str(target_list(&rq, list, sizeof(list)), "/dev/nvme0n1, /dev/nvme1n1",
	       "listed for a sentence");
	target_args_option(&a, TARGET_OPT_DIR, "/mnt/a");
	rc = target_args_apply(&a, &rq, err, sizeof(err));
	ok(rc == -EINVAL && strstr(err, "two kinds of target"), "--dev with --dir refused: %s", err);
	memset(&a, 0, sizeof(a));
	target_args_option(&a, TARGET_OPT_DIR, "/mnt/a");
	target_args_option(&a, TARGET_OPT_DIR, "/mnt/a");
	rc = target_args_apply(&a, &rq, err, sizeof(err));
	ok(rc == -EINVAL && !strcmp(err, "--dir /mnt/a is given twice; give each target once"),
	   "the same --dir twice refused: %s", err);
	memset(&a, 0, sizeof(a));
	for (i = 0; i < DSAIO_MAX_TARGETS + 1; i++)
		target_args_option(&a, TARGET_OPT_DEV, i % 2 ? "/dev/a" : "/dev/b");
	rc = target_args_apply(&a, &rq, err, sizeof(err));
	ok(rc == -EINVAL && !strcmp(err, "9 --dev given: at most 8 targets are measured together"),
	   "nine --dev refused: %s", err);
	measure_request_init(&rq);
	for (i = 0, rc = 0; i < DSAIO_MAX_TARGETS && !rc; i++)
		rc = measure_request_add_target(&rq, "/dev/x");
	is_int(rq.n_targets, DSAIO_MAX_TARGETS, "measure_request_add_target fills all 8");
	is_int(measure_request_add_target(&rq, "/dev/y"), -E2BIG, "and refuses a ninth");

	/* a directory and a symlink to it are one target */
	{
		char d[] = "/tmp/dsaio-several-XXXXXX", l[64];

		if (!mkdtemp(d)) {
			ok(0, "temporary directory");
			return;
		}
		snprintf(l, sizeof(l), "%s.link", d);
		measure_request_init(&rq);
		rq.kind = TARGET_FILE;
		measure_request_add_target(&rq, d);
		measure_request_add_target(&rq, l);
		rc = symlink(d, l) ? -errno : target_resolve_dirs(&rq, err, sizeof(err));
		ok(rc == -EINVAL && strstr(err, "is the directory") && strstr(err, "again"),
		   "--dir and a symlink to it refused: %s", err);
		unlink(l);
		rmdir(d);
	}
}

static void test_resolve(void)
{
	char tmpl[] = "/tmp/dsaio-target-XXXXXX", cwd[PATH_MAX], real[PATH_MAX];
	char want[PATH_MAX + 8], abs[DSAIO_TARGET_PATH_MAX], err[512], path[PATH_MAX + 16];
	struct statvfs sv;
	uint64_t free = 0;
	FILE *f;
	int rc;

	if (!mkdtemp(tmpl) || !getcwd(cwd, sizeof(cwd)) || !realpath(tmpl, real)) {
		ok(0, "temporary directory");
		return;
	}
	snprintf(path, sizeof(path), "%s/sub", tmpl);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/plain", tmpl);
	f = fopen(path, "w");
	if (f)
		fclose(f);
	snprintf(want, sizeof(want), "%s/sub", real);
	if (chdir(tmpl) == 0) {
		rc = target_resolve_dir("sub/../sub/", abs, sizeof(abs), err, sizeof(err));
		ok(rc == 0, "a relative directory resolves");
		is_str(abs, want, "to its absolute path");
		rc = target_resolve_dir("missing", abs, sizeof(abs), err, sizeof(err));
		ok(rc == -ENOENT && !strcmp(err, "--dir missing: No such file or directory"),
		   "a missing directory: %s", err);
		rc = target_resolve_dir("plain", abs, sizeof(abs), err, sizeof(err));
		ok(rc == -ENOTDIR && !strncmp(err, "--dir plain is not a directory", 30),
		   "a regular file is not a directory: %s", err);
		rc = target_resolve_dir("sub", abs, 4, err, sizeof(err));
		ok(rc == -ENAMETOOLONG && strstr(err, "longer than the module takes (3 bytes)"),
		   "an absolute path over the limit: %s", err);
		if (chdir(cwd))
			printf("# cannot go back to %s\n", cwd);
	} else {
		ok(0, "chdir to the temporary directory");
	}
	rc = target_dir_free(tmpl, &free, err, sizeof(err));
	ok(rc == 0 && statvfs(tmpl, &sv) == 0 &&
	   free == (uint64_t)sv.f_bavail * sv.f_frsize,
	   "free space is statvfs's f_bavail * f_frsize (%llu)", (unsigned long long)free);
	rc = target_dir_free("/nonexistent/dsaio", &free, err, sizeof(err));
	ok(rc == -ENOENT && strstr(err, "cannot read the free space of /nonexistent/dsaio"),
	   "free space of a missing directory: %s", err);
	snprintf(path, sizeof(path), "rm -rf '%s'", tmpl);
	if (system(path) != 0)
		printf("# cleanup of %s failed\n", tmpl);
}

static void test_room(void)
{
	char err[512];
	int rc;

	is_int(target_check_room("/mnt/nvme", 1 << 20, 400 << 20, 1, 401 << 20, err, sizeof(err)),
	       0, "offset + io size exactly the free space fits");
	rc = target_check_room("/mnt/nvme", 1 << 20, 400 << 20, 1, (401 << 20) - 1, err, sizeof(err));
	is_int(rc, -ENOSPC, "one byte short does not");
	is_str(err, "/mnt/nvme has 401.0 MiB free, but the file needs --offset + --io-size = 401.0 MiB: give a smaller --io-size or free some space",
	       "the sentence gives both sizes");
	is_int(target_check_room("/mnt/nvme", 0, 1ULL << 30, 16, 16ULL << 30, err, sizeof(err)),
	       0, "16 kept files of 1 GiB fit 16 GiB");
	rc = target_check_room("/mnt/nvme", 0, 1ULL << 30, 16, 10ULL << 30, err, sizeof(err));
	ok(rc == -ENOSPC && !strcmp(err, "/mnt/nvme has 10.0 GiB free, but 16 files of --offset + --io-size = 1.0 GiB each are needed (16.0 GiB in all: one per handle of --processes, and --keep-files keeps every run's): give a smaller --io-size, fewer --processes or leave out --keep-files"),
	   "--keep-files counts every run's file: %s", err);
	is_int(target_check_room("/d", UINT64_MAX, 4096, 1, UINT64_MAX - 1, err, sizeof(err)),
	       -ENOSPC, "an offset that wraps does not fit");
	is_int(target_check_room("/d", 0, 1ULL << 62, 8, UINT64_MAX - 1, err, sizeof(err)),
	       -ENOSPC, "a file count that wraps does not fit");
}

static void test_help(void)
{
	char buf[4096];
	FILE *f;

	memset(buf, 0, sizeof(buf));
	f = fmemopen(buf, sizeof(buf) - 1, "w");
	if (f) {
		target_help(f, 19);
		target_help_which(f);
		fclose(f);
	}
	ok(!strncmp(buf, "  --dev DEV          block device, e.g. /dev/nvme0n1", 52),
	   "--dev first, text at column 21");
	ok(strstr(buf, "\n  --dir DIR          directory on the drive, e.g. /mnt/nvme") &&
	   strstr(buf, "\n  --overwrite        --dir writes: one file written in full") &&
	   strstr(buf, "\n  --keep-files       --dir: leave the file in DIR"),
	   "--dir, --overwrite, --keep-files at the same column");
	ok(strstr(buf, "nvme_path") && strstr(buf, "measure --dir on that directory") &&
	   strstr(buf, "--dev measures the raw\ndevice"),
	   "which target a DeepSpeed user measures");
}

static const struct measurement_target file_tgt = {
	.kind = TARGET_FILE, .path = "/mnt/nvme", .have_details = true,
	.device = "nvme1n1", .align = 4096, .fstype = "xfs", .file = "dsaio-7.dat",
};
static const struct measurement_target bdev_tgt = {
	.kind = TARGET_BDEV, .path = "/dev/nvme0n1", .have_details = true,
	.device = "nvme0n1", .align = 512,
};

static const char *jstr(json_object *o, const char *k)
{
	json_object *v;

	return json_object_object_get_ex(o, k, &v) ? json_object_get_string(v) : NULL;
}

static void test_report(void)
{
	struct measurement_target t;
	json_object *o, *v;
	char buf[1024];
	FILE *f;

	memset(buf, 0, sizeof(buf));
	f = fmemopen(buf, sizeof(buf) - 1, "w");
	if (f) {
		dsaio_report_target(f, &file_tgt);
		dsaio_report_target(f, &bdev_tgt);
		fclose(f);
	}
	is_str(buf, "Target: file dsaio-7.dat in /mnt/nvme (xfs on nvme1n1, 4096-byte alignment)\n"
	       "Target: /dev/nvme0n1 (nvme0n1, 512-byte blocks)\n",
	       "the human Target lines, file and device");
	t = bdev_tgt;
	t.have_details = false;
	dsaio_target_describe(&t, buf, sizeof(buf));
	is_str(buf, "/dev/nvme0n1", "a device without the engine's details: its path");
	t = file_tgt;
	t.have_details = false;
	dsaio_target_describe(&t, buf, sizeof(buf));
	is_str(buf, "a file in /mnt/nvme", "a file without details: its directory");

	o = dsaio_target_json(&file_tgt, true);
	ok(o && json_object_object_length(o) == 6, "file target JSON has 6 keys");
	is_str(jstr(o, "kind"), "file", "kind file");
	is_str(jstr(o, "path"), "/mnt/nvme", "path is the directory");
	is_str(jstr(o, "device"), "nvme1n1", "device under the filesystem");
	is_str(jstr(o, "fstype"), "xfs", "fstype");
	is_str(jstr(o, "file"), "dsaio-7.dat", "file");
	ok(o && json_object_object_get_ex(o, "align", &v) &&
	   json_object_is_type(v, json_type_int) && json_object_get_int64(v) == 4096,
	   "align a number, 4096");
	json_object_put(o);
	o = dsaio_target_json(&file_tgt, false);
	ok(o && !json_object_object_get_ex(o, "file", NULL) &&
	   json_object_object_get_ex(o, "fstype", NULL),
	   "a sweep's target leaves the per-run file out");
	json_object_put(o);
	o = dsaio_target_json(&bdev_tgt, true);
	ok(o && json_object_object_length(o) == 4 && !strcmp(jstr(o, "kind"), "bdev") &&
	   !strcmp(jstr(o, "path"), "/dev/nvme0n1") && !strcmp(jstr(o, "device"), "nvme0n1") &&
	   !json_object_object_get_ex(o, "fstype", NULL) &&
	   !json_object_object_get_ex(o, "file", NULL) &&
	   json_object_object_get_ex(o, "align", &v) && json_object_get_int64(v) == 512,
	   "device target JSON: kind, path, device, align only");
	json_object_put(o);
	t = file_tgt;
	t.have_details = false;
	o = dsaio_target_json(&t, true);
	ok(o && json_object_object_length(o) == 2 && !strcmp(jstr(o, "kind"), "file"),
	   "without details: kind and path only");
	json_object_put(o);
}

static bool starts_with(const char *s, const char *prefix)
{
	return s && !strncmp(s, prefix, strlen(prefix));
}

static void test_log(void)
{
	struct measurement r;
	struct dsaio_log_entry e;
	char buf[4096], err[256];
	FILE *f;

	memset(&r, 0, sizeof(r));
	r.op = OP_WRITE;
	r.params.block_size = 1 << 20;
	snprintf(r.params.block_size_str, sizeof(r.params.block_size_str), "1M");
	r.params.queue_depth = 32;
	r.params.io_parallel = 1;
	r.params.processes = 1;
	r.params.overlap_events = true;
	r.io_size = r.bytes = 1ULL << 30;
	r.loops = 1;
	r.task_ns = r.e2e_ns = 500000000;
	memset(buf, 0, sizeof(buf));
	f = fmemopen(buf, sizeof(buf) - 1, "w");
	if (f) {
		dsaio_log_write(f, "/dev/nvme0n1", NULL, &r);
		fclose(f);
	}
	ok(starts_with(strchr(buf, '\n') + 1, "device = /dev/nvme0n1\nop = write"),
	   "a device log's header as before files");
	r.target = file_tgt;
	memset(buf, 0, sizeof(buf));
	f = fmemopen(buf, sizeof(buf) - 1, "w");
	if (f) {
		dsaio_log_write(f, "/mnt/nvme", NULL, &r);
		fclose(f);
	}
	ok(starts_with(strchr(buf, '\n') + 1, "target = file dsaio-7.dat in /mnt/nvme (xfs on nvme1n1, 4096-byte alignment)\nop = write") &&
	   !strstr(buf, "device = "), "a file log names its target, not a device");
	memset(buf, 0, sizeof(buf));
	f = fmemopen(buf, sizeof(buf) - 1, "w");
	if (f) {
		dsaio_log_write(f, "/mnt/nvme", "io_uring", &r);
		fclose(f);
	}
	ok(starts_with(strchr(buf, '\n') + 1, "target = file dsaio-7.dat in /mnt/nvme (xfs on nvme1n1, 4096-byte alignment)\nengine = io_uring\nop = write"),
	   "the engine line follows the target line");
	f = fmemopen(buf, strlen(buf), "r");
	ok(f && dsaio_log_parse(f, OP_WRITE, &e, err, sizeof(err)) == 0 &&
	   e.e2e_speed_gbs == 2.0, "the file log still parses, E2E 2.0 GB/s");
	if (f)
		fclose(f);

	/* Two targets: DeepSpeed's lines are the aggregate, a row each after. */
	{
		struct measurement_part parts[2] = {
			{ .target = file_tgt, .bytes = 1ULL << 29, .task_ns = 250000000,
			  .e2e_ns = 250000000, .have_figures = true },
			{ .target = file_tgt, .bytes = 1ULL << 29, .task_ns = 500000000,
			  .e2e_ns = 500000000, .have_figures = true, .error = -EIO },
		};

		snprintf(parts[1].target.path, sizeof(parts[1].target.path), "/mnt/b");
		r.parts = parts;
		r.n_parts = 2;
		memset(buf, 0, sizeof(buf));
		f = fmemopen(buf, sizeof(buf) - 1, "w");
		if (f) {
			dsaio_log_write(f, NULL, "libaio", &r);
			fclose(f);
		}
		ok(starts_with(strchr(buf, '\n') + 1, "target 1 = file dsaio-7.dat in /mnt/nvme (xfs on nvme1n1, 4096-byte alignment)\ntarget 2 = file dsaio-7.dat in /mnt/b"),
		   "a log of two directories names each");
		ok(strstr(buf, "Targets together: 2") &&
		   strstr(buf, "  1        2.000      2.000   0.250000        0          - done      /mnt/nvme\n") &&
		   strstr(buf, "failed    /mnt/b\n"), "a row per target: its own speed, the failed one said");
		f = fmemopen(buf, strlen(buf), "r");
		ok(f && dsaio_log_parse(f, OP_WRITE, &e, err, sizeof(err)) == 0 &&
		   e.e2e_speed_gbs == 2.0 && e.have_task,
		   "parse reads the aggregate, not a target's row: E2E 2.0 GB/s");
		if (f)
			fclose(f);
		r.parts = NULL;
		r.n_parts = 0;
	}
}

int main(void)
{
	test_args();
	test_several();
	test_resolve();
	test_room();
	test_help();
	test_report();
	test_log();
	return done();
}
