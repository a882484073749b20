// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The table of sweep dimensions: every order is complete, and every row
 * round-trips through a sweep JSON, a log name of each scheme (and back)
 * and the "aio" block. A new row is covered here without a new test.
 */
#include <stdio.h>
#include <string.h>
#include <json-c/json.h>

#include "tap.h"
#include "dsconfig.h"
#include "logname.h"
#include "sweepcfg.h"
#include "sweepparam.h"

static void check_orders(void)
{
	size_t i, j;
	int o;

	ok(dsaio_n_sweep_params > 0 && dsaio_n_sweep_params <= 64,
	   "%zu dimensions (the sweep parser holds 64)", dsaio_n_sweep_params);
	for (o = 0; o < SPO_COUNT; o++) {
		bool all = true;

		for (i = 0; i < dsaio_n_sweep_params; i++) {
			const struct sweep_param *sp = sweep_param_nth(o, i);

			all &= sp != NULL;
			for (j = 0; sp && j < i; j++)
				all &= sweep_param_nth(o, j) != sp;
		}
		ok(all, "order %d places every row once", o);
	}
	for (i = 0; i < dsaio_n_sweep_params; i++) {
		const struct sweep_param *sp = &dsaio_sweep_params[i];
		bool named = sp->kind == SP_BOOL ?
			sp->word[0] && sp->word[1] && strcmp(sp->word[0], sp->word[1]) :
			sp->token[0] && sp->token[1];

		ok(sp->key && named && (!sp->aio_legacy_key || sp->aio_key) &&
		   (!sp->max || sp->over_max),
		   "row %s: key, name words or tokens, aio keys, limit reason",
		   sp->key);
	}
}

/* {"key": [value]} as JSON text; the size as a string when str. */
static void sweep_json(const struct sweep_param *sp, const char *key,
		       uint64_t v, const char *str, char *buf, size_t len)
{
	if (sp->kind == SP_BOOL)
		snprintf(buf, len, "{\"%s\": [%s]}", key, v ? "true" : "false");
	else if (str)
		snprintf(buf, len, "{\"%s\": [\"%s\"]}", key, str);
	else
		snprintf(buf, len, "{\"%s\": [%llu]}", key, (unsigned long long)v);
}

static void check_aio(const struct sweep_param *sp, const struct dsaio_params *p,
		      uint64_t v, bool legacy)
{
	json_object *root = dsaio_aio_config(p, legacy), *aio = NULL, *val = NULL;
	const char *k = legacy && sp->aio_legacy_key ? sp->aio_legacy_key :
						       sp->aio_key;
	bool has;

	if (root)
		json_object_object_get_ex(root, "aio", &aio);
	has = k && aio && json_object_object_get_ex(aio, k, &val);
	if (!sp->aio_key)
		ok(aio && !json_object_object_get_ex(aio, sp->key, NULL),
		   "%s: not in the aio block", sp->key);
	else
		ok(has && (sp->kind == SP_BOOL ?
			   json_object_is_type(val, json_type_boolean) &&
			   (uint64_t)json_object_get_boolean(val) == v :
			   json_object_is_type(val, json_type_int) &&
			   (uint64_t)json_object_get_int64(val) == v),
		   "%s = %llu: aio block \"%s\"%s", sp->key,
		   (unsigned long long)v, k ? k : "?", legacy ? " (legacy keys)" : "");
	json_object_put(root);
}

/* sweep JSON -> point -> log name of each scheme -> parsed back -> aio. */
static void roundtrip(const struct sweep_param *sp, const char *key,
		      bool invert, uint64_t v, const char *str)
{
	struct dsaio_grid g;
	char json[256], err[512], name[256];
	int s, rc;

	sweep_json(sp, key, invert ? !v : v, str, json, sizeof(json));
	rc = dsaio_grid_parse(json, &g, err, sizeof(err));
	if (!ok(rc == 0 && g.n == 1 && sweep_param_get(sp, &g.points[0]) == v,
		"%s: one point with %s = %llu", json, sp->key,
		(unsigned long long)v)) {
		printf("#   %s\n", rc ? err : "wrong value");
		dsaio_grid_free(&g);
		return;
	}
	for (s = LOGNAME_2021; s <= LOGNAME_CURRENT; s++) {
		struct dsaio_params q;
		enum dsaio_logname_scheme qs;
		enum dsaio_user_op op;

		rc = dsaio_logname_format(s, OP_WRITE, &g.points[0], name,
					  sizeof(name));
		rc = rc ? rc : dsaio_logname_parse(name, &op, &q, &qs);
		ok(rc == 0 && op == OP_WRITE && (int)qs == s &&
		   dsaio_params_same(&q, &g.points[0]) &&
		   (sp->kind != SP_SIZE ||
		    !strcmp(q.block_size_str, g.points[0].block_size_str)),
		   "%s = %llu: %s parses back", sp->key, (unsigned long long)v,
		   name);
	}
	check_aio(sp, &g.points[0], v, false);
	check_aio(sp, &g.points[0], v, true);
	dsaio_grid_free(&g);
}

int main(void)
{
	size_t i;

	check_orders();
	for (i = 0; i < dsaio_n_sweep_params; i++) {
		const struct sweep_param *sp = &dsaio_sweep_params[i];
		uint64_t big = sp->max ? sp->max : 16;

		switch (sp->kind) {
		case SP_SIZE:
			roundtrip(sp, sp->key, false, 128 << 10, "128K");
			roundtrip(sp, sp->key, false, 8 << 20, NULL);
			break;
		case SP_COUNT:
			roundtrip(sp, sp->key, false, big, NULL);
			roundtrip(sp, sp->key, false, 1, NULL);
			break;
		case SP_BOOL:
			roundtrip(sp, sp->key, false, 1, NULL);
			roundtrip(sp, sp->key, false, 0, NULL);
			if (sp->inverse_key) {
				roundtrip(sp, sp->inverse_key, true, 1, NULL);
				roundtrip(sp, sp->inverse_key, true, 0, NULL);
			}
			break;
		}
	}
	return done();
}
