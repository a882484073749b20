// SPDX-License-Identifier: GPL-2.0 OR MIT
#include <errno.h>
#include <string.h>
#include "interrupt.h"

volatile sig_atomic_t dsaio_interrupted;

static void on_signal(int sig)
{
	(void)sig;
	if (dsaio_interrupted < 100)
		dsaio_interrupted++;
}

int dsaio_interrupt_install(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = 0;	/* no SA_RESTART: poll() must return EINTR */
	if (sigaction(SIGINT, &sa, NULL) || sigaction(SIGTERM, &sa, NULL))
		return -errno;
	return 0;
}
