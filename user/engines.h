/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* Every engine's descriptor, for the table in engines.c only. */
#ifndef DSAIO_USER_ENGINES_H
#define DSAIO_USER_ENGINES_H

#include "engine.h"

/* The module, over generic netlink (nl_engine.c). */
extern const struct dsaio_engine dsaio_nl_engine;
/* User space, no module: DeepSpeed's libaio handle (uengine.c). */
extern const struct dsaio_engine dsaio_libaio_engine;
/* User space, no module: io_uring with liburing (uengine.c). */
extern const struct dsaio_engine dsaio_uring_engine;
#endif
