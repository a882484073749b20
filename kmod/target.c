// SPDX-License-Identifier: GPL-2.0
/* The table of target types and the calls through it. */
#include <linux/errno.h>
#include <linux/string.h>

#include "target.h"

static const struct dsaio_target_type *const dsaio_target_types[] = {
	[DSAIO_TARGET_BDEV] = &dsaio_target_bdev,
	[DSAIO_TARGET_FILE] = &dsaio_target_file,
};

int dsaio_target_open(struct dsaio_target *t, enum dsaio_target_kind kind,
		      struct dsaio_target_args *a)
{
	const struct dsaio_target_type *type;
	int ret;

	if (kind >= ARRAY_SIZE(dsaio_target_types) || !dsaio_target_types[kind])
		return -EOPNOTSUPP;
	type = dsaio_target_types[kind];
	memset(t, 0, sizeof(*t));
	ret = type->open(t, a);
	if (ret) {
		memset(t, 0, sizeof(*t));
		return ret;
	}
	t->type = type;
	t->info.kind = kind;
	return 0;
}

int dsaio_target_prepare(struct dsaio_target *t, const struct dsaio_io *io)
{
	return t->type->prepare ? t->type->prepare(t, io) : 0;
}

int dsaio_target_next_loop(struct dsaio_target *t)
{
	return t->type->next_loop ? t->type->next_loop(t) : 0;
}

void dsaio_target_release(struct dsaio_target *t)
{
	if (!t->type)
		return;
	t->type->release(t);
	t->type = NULL;
}
