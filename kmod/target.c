// SPDX-License-Identifier: GPL-2.0
/* The table of target types and opening and releasing through it. */
#include <linux/errno.h>
#include <linux/string.h>

#include "target.h"

static const struct dsaio_target_type *const dsaio_target_types[] = {
	[DSAIO_TARGET_BDEV] = &dsaio_target_bdev,
};

int dsaio_target_open(struct dsaio_target *t, enum dsaio_target_kind kind,
		      const char *path, bool write, void *holder)
{
	const struct dsaio_target_type *type;
	int ret;

	if (kind >= ARRAY_SIZE(dsaio_target_types) || !dsaio_target_types[kind])
		return -EOPNOTSUPP;
	type = dsaio_target_types[kind];
	memset(t, 0, sizeof(*t));
	ret = type->open(t, path, write, holder);
	if (ret) {
		memset(t, 0, sizeof(*t));
		return ret;
	}
	t->type = type;
	return 0;
}

void dsaio_target_release(struct dsaio_target *t)
{
	if (!t->type)
		return;
	t->type->release(t);
	t->type = NULL;
}
