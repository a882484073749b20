// SPDX-License-Identifier: GPL-2.0 OR MIT
/* --engine NAME and --engines LIST, checked against the engines' names. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "engine_list.h"

size_t engine_list_known(const struct dsaio_engine *(*at)(size_t),
			 const char **names, size_t max)
{
	const struct dsaio_engine *e;
	size_t n = 0;

	while (n < max && (e = at(n)))
		names[n++] = e->name;
	return n;
}

void engine_list_join(const char *const *names, size_t n, char *buf,
		      size_t len)
{
	size_t i, used = 0;

	if (!len)
		return;
	buf[0] = '\0';
	for (i = 0; i < n && used < len; i++) {
		int w = snprintf(buf + used, len - used, "%s%s", i ? ", " : "",
				 names[i]);

		if (w < 0)
			break;
		used += (size_t)w;
	}
}

void engine_default_hint(FILE *f, const char *cmd, const char *const *known,
			 size_t n_known)
{
	size_t i;

	if (n_known < 2)
		return;
	fprintf(f, "dsaio-user %s: or measure from user space, without the module:", cmd);
	for (i = 1; i < n_known; i++)
		fprintf(f, "%s --engine %s", i > 1 ? "," : "", known[i]);
	fprintf(f, "\n");
}

/* The index of name (len bytes, not terminated) in known, or -1. */
static int find(const char *name, size_t len, const char *const *known,
		size_t n_known)
{
	size_t i;

	for (i = 0; i < n_known; i++)
		if (strlen(known[i]) == len && !strncmp(known[i], name, len))
			return (int)i;
	return -1;
}

int engine_name_check(const char *name, const char *const *known,
		      size_t n_known, char *err, size_t errlen)
{
	char all[256];

	if (find(name, strlen(name), known, n_known) >= 0)
		return 0;
	engine_list_join(known, n_known, all, sizeof(all));
	snprintf(err, errlen, "--engine: no engine called '%s'; the engines are %s",
		 name, all);
	return -EINVAL;
}

int engine_list_parse(const char *list, const char *const *known,
		      size_t n_known, const char **out, size_t max,
		      char *err, size_t errlen)
{
	const char *p = list, *comma;
	char all[256];
	size_t n = 0, i, len;
	int k;

	engine_list_join(known, n_known, all, sizeof(all));
	for (;;) {
		comma = strchr(p, ',');
		len = comma ? (size_t)(comma - p) : strlen(p);
		if (!len) {
			snprintf(err, errlen, "--engines '%s': an empty name; give a comma-separated list of %s",
				 list, all);
			return -EINVAL;
		}
		k = find(p, len, known, n_known);
		if (k < 0) {
			snprintf(err, errlen, "--engines: no engine called '%.*s'; the engines are %s",
				 (int)len, p, all);
			return -EINVAL;
		}
		for (i = 0; i < n; i++)
			if (out[i] == known[k])
				break;
		if (i < n) {
			/* Twice would measure it twice and mix its logs. */
			snprintf(err, errlen, "--engines '%s': %s is named twice",
				 list, known[k]);
			return -EINVAL;
		}
		if (n == max) {
			snprintf(err, errlen, "--engines '%s': more than %zu engines",
				 list, max);
			return -EINVAL;
		}
		out[n++] = known[k];
		if (!comma)
			return (int)n;
		p = comma + 1;
	}
}
