// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * --dev or --dir, checked on the tool's side (target.h). Only
 * target_resolve_dir() and target_dir_free() touch the filesystem; the
 * rest is pure, for the host unit tests.
 */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include "target.h"
#include "progress.h"

bool target_args_option(struct target_args *a, int c, const char *arg)
{
	switch (c) {
	case TARGET_OPT_DEV:
		if (a->n_dev < DSAIO_MAX_TARGETS)
			a->dev[a->n_dev] = arg;
		a->n_dev++;
		return true;
	case TARGET_OPT_DIR:
		if (a->n_dir < DSAIO_MAX_TARGETS)
			a->dir[a->n_dir] = arg;
		a->n_dir++;
		return true;
	case TARGET_OPT_OVERWRITE:
		a->overwrite = true;
		return true;
	case TARGET_OPT_KEEP:
		a->keep_files = true;
		return true;
	}
	return false;
}

int target_args_apply(const struct target_args *a, struct measure_request *rq,
		      char *err, size_t errlen)
{
	bool dir = a->n_dir > 0;
	const char *opt = dir ? "--dir" : "--dev";
	const char *const *paths = dir ? a->dir : a->dev;
	unsigned int n = dir ? a->n_dir : a->n_dev, i, k;

	if (a->n_dev && a->n_dir) {
		snprintf(err, errlen, "--dev and --dir name two kinds of target; give one kind: --dev for raw devices, --dir for files in directories on them");
		return -EINVAL;
	}
	if (!n) {
		snprintf(err, errlen, "a target is required: --dev DEV (a block device, e.g. /dev/nvme0n1) or --dir DIR (a directory on the drive, e.g. /mnt/nvme); repeat it to measure several together");
		return -EINVAL;
	}
	if (n > DSAIO_MAX_TARGETS) {
		snprintf(err, errlen, "%u %s given: at most %u targets are measured together",
			 n, opt, DSAIO_MAX_TARGETS);
		return -EINVAL;
	}
	if (!dir && (a->overwrite || a->keep_files)) {
		snprintf(err, errlen, "%s is for files: it needs --dir DIR, not --dev",
			 a->overwrite ? "--overwrite" : "--keep-files");
		return -EINVAL;
	}
	for (i = 0; i < n; i++) {
		if (!*paths[i] || strlen(paths[i]) >= sizeof(rq->targets[i])) {
			snprintf(err, errlen, "%s path %s: '%s'", dir ? "directory" : "device",
				 *paths[i] ? "too long" : "empty", paths[i]);
			return -EINVAL;
		}
		for (k = 0; k < i; k++)
			if (!strcmp(paths[k], paths[i])) {
				snprintf(err, errlen, "%s %s is given twice; give each target once",
					 opt, paths[i]);
				return -EINVAL;
			}
	}
	rq->kind = dir ? TARGET_FILE : TARGET_BDEV;
	for (i = 0; i < n; i++)
		strcpy(rq->targets[i], paths[i]);
	rq->n_targets = n;
	rq->overwrite = a->overwrite;
	rq->keep_files = a->keep_files;
	return 0;
}

int target_resolve_dir(const char *dir, char *abs, size_t abslen,
		       char *err, size_t errlen)
{
	char *real = realpath(dir, NULL);
	struct stat st;
	int ret = 0;

	if (!real) {
		ret = -errno;
		snprintf(err, errlen, "--dir %s: %s", dir, strerror(-ret));
		return ret;
	}
	if (stat(real, &st)) {
		ret = -errno;
		snprintf(err, errlen, "--dir %s: %s", dir, strerror(-ret));
	} else if (!S_ISDIR(st.st_mode)) {
		ret = -ENOTDIR;
		snprintf(err, errlen, "--dir %s is not a directory (give the directory to measure a file in, e.g. DeepSpeed's nvme_path)",
			 dir);
	} else if (strlen(real) >= abslen) {
		ret = -ENAMETOOLONG;
		snprintf(err, errlen, "--dir %s: its absolute path %s is longer than the module takes (%zu bytes)",
			 dir, real, abslen - 1);
	} else {
		strcpy(abs, real);
	}
	free(real);
	return ret;
}

int target_resolve_dirs(struct measure_request *rq, char *err, size_t errlen)
{
	unsigned int n = measure_request_n_targets(rq), i, k;
	char abs[DSAIO_TARGET_PATH_MAX];
	int ret;

	if (rq->kind != TARGET_FILE)
		return 0;
	for (i = 0; i < n; i++) {
		ret = target_resolve_dir(rq->targets[i], abs, sizeof(abs), err, errlen);
		if (ret)
			return ret;
		for (k = 0; k < i; k++)
			if (!strcmp(rq->targets[k], abs)) {
				snprintf(err, errlen, "--dir %s is the directory %s again; give each target once",
					 rq->targets[i], abs);
				return -EINVAL;
			}
		strcpy(rq->targets[i], abs);
	}
	return 0;
}

const char *target_list(const struct measure_request *rq, char *buf, size_t len)
{
	unsigned int i;
	size_t at = 0;

	buf[0] = '\0';
	for (i = 0; i < measure_request_n_targets(rq) && at < len; i++) {
		int w = snprintf(buf + at, len - at, "%s%s", i ? ", " : "", rq->targets[i]);

		if (w < 0)
			break;
		at += (size_t)w;
	}
	return buf;
}

int target_dir_free(const char *dir, uint64_t *bytes, char *err, size_t errlen)
{
	struct statvfs sv;

	if (statvfs(dir, &sv)) {
		int ret = -errno;

		snprintf(err, errlen, "cannot read the free space of %s: %s", dir,
			 strerror(-ret));
		return ret;
	}
	*bytes = (uint64_t)sv.f_bavail * sv.f_frsize;
	return 0;
}

int target_check_room(const char *dir, uint64_t offset, uint64_t io_size,
		      uint64_t files, uint64_t free, char *err, size_t errlen)
{
	char per_s[24], need_s[24], free_s[24];
	uint64_t per_file, need;

	/* Every sum checked: a huge --offset must not wrap into "fits". */
	if (__builtin_add_overflow(offset, io_size, &per_file))
		per_file = UINT64_MAX;
	if (__builtin_mul_overflow(per_file, files, &need))
		need = UINT64_MAX;
	if (need <= free)
		return 0;
	dsaio_format_bytes(per_file, per_s, sizeof(per_s));
	dsaio_format_bytes(need, need_s, sizeof(need_s));
	dsaio_format_bytes(free, free_s, sizeof(free_s));
	if (files > 1)
		snprintf(err, errlen, "%s has %s free, but %" PRIu64
			 " files of --offset + --io-size = %s each are needed (%s in all: one per handle of --processes, and --keep-files keeps every run's): give a smaller --io-size, fewer --processes or leave out --keep-files",
			 dir, free_s, files, per_s, need_s);
	else
		snprintf(err, errlen, "%s has %s free, but the file needs --offset + --io-size = %s: give a smaller --io-size or free some space",
			 dir, free_s, per_s);
	return -ENOSPC;
}

/* One option's help, line by line; NULL ends it. */
static const struct {
	const char *opt;
	const char *lines[4];
} rows[] = {
	{ "--dev DEV", { "block device, e.g. /dev/nvme0n1: the raw device,",
			 "the ceiling any filesystem on it can reach", NULL } },
	{ "--dir DIR", { "directory on the drive, e.g. /mnt/nvme: measures a",
			 "file dsaio creates there (dsaio-<job id>.dat), as",
			 "DeepSpeed swaps to files; give --dev or --dir", NULL } },
	{ "", { "repeat --dev or --dir (up to 8) to measure the targets",
		"together, each with its own workers, as DeepSpeed gives",
		"each folder its own handle; see Several targets", NULL } },
	{ "--overwrite", { "--dir writes: one file written in full at set-up and",
			   "overwritten each loop, not a new file each loop as",
			   "DeepSpeed writes: leaves out allocating the blocks", NULL } },
	{ "--keep-files", { "--dir: leave the file in DIR at the end, to see how",
			    "the filesystem laid it out (filefrag -v)", NULL } },
};

void target_help(FILE *f, int width)
{
	size_t i, l;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		for (l = 0; rows[i].lines[l]; l++)
			fprintf(f, "  %-*s%s\n", width, l ? "" : rows[i].opt,
				rows[i].lines[l]);
}

void target_help_which(FILE *f)
{
	fprintf(f, "Which target: for DeepSpeed's nvme_path (ZeRO-Infinity offload, ds_nvme_tune\n"
		"--nvme_dir), measure --dir on that directory: DeepSpeed swaps to files there,\n"
		"through the filesystem, and --dir measures just that. --dev measures the raw\n"
		"device: the ceiling, which a filesystem can only approach.\n");
}
