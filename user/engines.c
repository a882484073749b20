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
};

const struct dsaio_engine *dsaio_engine_find(const char *name)
{
	size_t i;

	if (!name)
		return engines[0];
	for (i = 0; i < sizeof(engines) / sizeof(engines[0]); i++)
		if (!strcmp(engines[i]->name, name))
			return engines[i];
	return NULL;
}

const struct dsaio_engine *cli_engine_open(const char *cmd, const char *name,
					   struct engine_ctx **ctx)
{
	const struct dsaio_engine *eng = dsaio_engine_find(name);
	char err[512];

	*ctx = NULL;
	if (!eng) {
		fprintf(stderr, "dsaio-user %s: no engine called '%s'\n", cmd, name);
		return NULL;
	}
	if (eng->open(ctx, err, sizeof(err))) {
		fprintf(stderr, "dsaio-user %s: %s\n", cmd, err);
		return NULL;
	}
	return eng;
}
