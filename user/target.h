/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The target of `run` and `sweep` on the command line: --dev DEV (a block
 * device) or --dir DIR (a file the engine creates there), with the file
 * options, checked before anything is sent. The module checks again; the
 * tool checks first so that a mistake gets a sentence at once and an
 * absolute path goes on the wire (the module resolves it in the caller's
 * mount namespace, but not from the caller's working directory).
 */
#ifndef DSAIO_USER_TARGET_H
#define DSAIO_USER_TARGET_H

#include <getopt.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "engine.h"

/*
 * What the command line said: each --dev and --dir in order (several
 * measure their targets together); 0/false when not given. n_dev and
 * n_dir count every one given, also past DSAIO_MAX_TARGETS (refused).
 */
struct target_args {
	const char *dev[DSAIO_MAX_TARGETS], *dir[DSAIO_MAX_TARGETS];
	unsigned int n_dev, n_dir;
	bool overwrite, keep_files;
};

/* getopt_long() codes of the target options, above any command's own. */
enum {
	TARGET_OPT_DEV = 0x1000,
	TARGET_OPT_DIR,
	TARGET_OPT_OVERWRITE,
	TARGET_OPT_KEEP,
};

/* Their rows in a command's struct option table. */
#define TARGET_LONG_OPTIONS						\
	{ "dev", required_argument, NULL, TARGET_OPT_DEV },		\
	{ "dir", required_argument, NULL, TARGET_OPT_DIR },		\
	{ "overwrite", no_argument, NULL, TARGET_OPT_OVERWRITE },	\
	{ "keep-files", no_argument, NULL, TARGET_OPT_KEEP }

/* Takes getopt_long()'s @c into @a if it is a target option. */
bool target_args_option(struct target_args *a, int c, const char *arg);

/*
 * Checks a: --dev or --dir (one or several, up to DSAIO_MAX_TARGETS, not
 * both kinds, none given twice as written), and --overwrite/--keep-files
 * only with --dir. Sets rq->kind, rq->targets and n_targets (as given; a
 * directory is made absolute by target_resolve_dirs()), rq->overwrite and
 * rq->keep_files. Pure. Returns 0, or -EINVAL with the usage error's
 * sentence in err.
 */
int target_args_apply(const struct target_args *a, struct measure_request *rq,
		      char *err, size_t errlen);

/*
 * DIR with realpath(): it must exist and be a directory. Writes the
 * absolute path to abs. Returns 0, or a negative errno (-ENOENT,
 * -ENOTDIR, -ENAMETOOLONG, ...) with a sentence in err.
 */
int target_resolve_dir(const char *dir, char *abs, size_t abslen,
		       char *err, size_t errlen);

/*
 * Every directory target of rq made absolute in place (a device target
 * is left as given); two --dir that resolve to one directory are refused
 * (-EINVAL), naming both. 0 or a negative errno with a sentence in err.
 */
int target_resolve_dirs(struct measure_request *rq, char *err, size_t errlen);

/*
 * "/dev/nvme0n1" or "/dev/nvme0n1, /dev/nvme1n1": rq's targets, for a
 * sentence or a log header. Returns buf.
 */
const char *target_list(const struct measure_request *rq, char *buf, size_t len);

/*
 * Bytes an ordinary write can take in dir (statvfs: f_bavail blocks of
 * f_frsize, the reserve of root left out, so the tool never promises
 * more than the filesystem gives). Returns 0 or a negative errno with err.
 */
int target_dir_free(const char *dir, uint64_t *bytes, char *err, size_t errlen);

/*
 * Whether `files` files of offset + io_size bytes each (the file a job
 * creates holds its whole region from 0) fit in free bytes of dir.
 * Pure. Returns 0, or -ENOSPC with a sentence naming --io-size in err.
 */
int target_check_room(const char *dir, uint64_t offset, uint64_t io_size,
		      uint64_t files, uint64_t free, char *err, size_t errlen);

/*
 * The --help lines of --dev, --dir, --overwrite and --keep-files, the
 * text at column width + 2 (each command aligns its own options).
 */
void target_help(FILE *f, int width);

/* The --help paragraph on which target a DeepSpeed user measures. */
void target_help_which(FILE *f);
#endif
