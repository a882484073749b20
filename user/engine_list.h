/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * --engine NAME and --engines LIST on the command line, checked against
 * the names of the engine table. Pure: the table is passed in as names
 * (engine_list_known() takes them from dsaio_engine_at()), so the host
 * unit tests check the words of every usage error without linking the
 * engines.
 */
#ifndef DSAIO_USER_ENGINE_LIST_H
#define DSAIO_USER_ENGINE_LIST_H

#include <stddef.h>
#include <stdio.h>
#include "engine.h"

/* Most engines one command line names: the table has fewer. */
#define DSAIO_MAX_ENGINES 8

/*
 * The names of the table's engines, in its order (the default first),
 * from at() (dsaio_engine_at); returns the count, at most max.
 */
size_t engine_list_known(const struct dsaio_engine *(*at)(size_t),
			 const char **names, size_t max);

/* "kernel, libaio, io_uring": the names of a list, for a sentence. */
void engine_list_join(const char *const *names, size_t n, char *buf,
		      size_t len);

/*
 * Checks --engine NAME: one of known. Returns 0, or -EINVAL with the
 * usage error's sentence (which lists the valid names) in err.
 */
int engine_name_check(const char *name, const char *const *known,
		      size_t n_known, char *err, size_t errlen);

/*
 * After the default engine (the module) failed to open for a command
 * line that named no engine: "dsaio-user CMD: or measure from user
 * space, without the module: --engine libaio, --engine io_uring", the
 * names of the others from known (known[0] is the default).
 */
void engine_default_hint(FILE *f, const char *cmd, const char *const *known,
			 size_t n_known);

/*
 * Splits --engines LIST ("kernel,libaio") into out[] (pointers into
 * known, in the list's order): every name one of known, none empty,
 * none twice. Returns the count (>= 1), or -EINVAL with the usage
 * error's sentence in err.
 */
int engine_list_parse(const char *list, const char *const *known,
		      size_t n_known, const char **out, size_t max,
		      char *err, size_t errlen);
#endif
