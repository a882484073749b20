/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* DeepSpeed's log file names, both schemes (see deepspeed-compat.md). */
#ifndef DSAIO_USER_LOGNAME_H
#define DSAIO_USER_LOGNAME_H

#include <stddef.h>
#include "model.h"

enum dsaio_logname_scheme {
	LOGNAME_2021,	 /* read_block_overlap_t1_p2_d16_bs128K.txt */
	LOGNAME_CURRENT, /* read_block_overlap_ftd1_d16_bs128K_p2.txt */
};

/* Formats the name (with .txt) into buf; -ENAMETOOLONG if it does not fit. */
int dsaio_logname_format(enum dsaio_logname_scheme scheme,
			 enum dsaio_user_op op, const struct dsaio_params *p,
			 char *buf, size_t len);

/* Parses a name of either scheme; -EINVAL when it is neither. */
int dsaio_logname_parse(const char *name, enum dsaio_user_op *op,
			struct dsaio_params *p,
			enum dsaio_logname_scheme *scheme);
#endif
