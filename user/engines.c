// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The table of engines. It names every backend, the netlink one too, so
 * the host unit tests do not link it (see the Makefile); each engine's
 * file exports its struct dsaio_engine only.
 */
#include <stdio.h>
#include <string.h>
#include "engines.h"

static const struct dsaio_engine *const engines[] = {
	&dsaio_nl_engine,	/* the first is the default */
	&dsaio_libaio_engine,
	&dsaio_uring_engine,
};

#define N_ENGINES (sizeof(engines) / sizeof(engines[0]))

const struct dsaio_engine *dsaio_engine_at(size_t i)
{
	return i < N_ENGINES ? engines[i] : NULL;
}

const struct dsaio_engine *dsaio_engine_find(const char *name)
{
	size_t i;

	if (!name)
		return engines[0];
	for (i = 0; i < N_ENGINES; i++)
		if (!strcmp(engines[i]->name, name))
			return engines[i];
	return NULL;
}

void dsaio_engines_help(FILE *f, int indent)
{
	size_t i;

	for (i = 0; i < N_ENGINES; i++)
		fprintf(f, "%*s%-9s %s%s\n", indent, "", engines[i]->name,
			engines[i]->summary, i ? "" : " (default)");
}

const struct dsaio_engine *cli_engine_open(const char *cmd, const char *name,
					   struct engine_ctx **ctx)
{
	const struct dsaio_engine *eng = dsaio_engine_find(name);
	char err[512];
	size_t i;

	*ctx = NULL;
	if (!eng) {
		fprintf(stderr, "dsaio-user %s: no engine called '%s'; there are:", cmd, name);
		for (i = 0; i < N_ENGINES; i++)
			fprintf(stderr, " %s", engines[i]->name);
		fprintf(stderr, "\n");
		return NULL;
	}
	if (eng->open(ctx, err, sizeof(err))) {
		fprintf(stderr, "dsaio-user %s: %s\n", cmd, err);
		return NULL;
	}
	return eng;
}
