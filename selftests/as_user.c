// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * as_user: run a command as another user with exactly the capabilities
 * named, as the security group's unprivileged caller (the guest is a
 * busybox initramfs: no setpriv, no capsh).
 *
 *   as_user UID[:GID] [CAP...] -- COMMAND [ARG...]
 *
 * CAP is a name without CAP_ (net_admin, sys_rawio, sys_admin, ...). Run
 * as root: the capabilities are kept across setresuid() (PR_SET_KEEPCAPS),
 * set as permitted, effective and inheritable, and raised as ambient so
 * they survive the exec of a program without file capabilities; every
 * other capability is gone. Exit 125 when it cannot set that up.
 */
#include <errno.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/capability.h>

/* The capabilities the tests name; the kernel's numbers. */
static const struct {
	const char *name;
	int cap;
} caps[] = {
	{ "net_admin", CAP_NET_ADMIN },
	{ "sys_rawio", CAP_SYS_RAWIO },
	{ "sys_admin", CAP_SYS_ADMIN },
	{ "dac_override", CAP_DAC_OVERRIDE },
	{ "dac_read_search", CAP_DAC_READ_SEARCH },
	{ "fowner", CAP_FOWNER },
};

static int cap_by_name(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(caps) / sizeof(caps[0]); i++)
		if (!strcmp(caps[i].name, name))
			return caps[i].cap;
	return -1;
}

static int fail(const char *what)
{
	fprintf(stderr, "as_user: %s: %s\n", what, strerror(errno));
	return 125;
}

int main(int argc, char **argv)
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct data[2] = { { 0 } };
	int want[64], n = 0, i, cap;
	unsigned long uid, gid;
	char *end;

	if (argc < 4) {
		fprintf(stderr,
			"usage: as_user UID[:GID] [CAP...] -- COMMAND [ARG...]\n");
		return 125;
	}
	uid = strtoul(argv[1], &end, 10);
	gid = *end == ':' ? strtoul(end + 1, &end, 10) : uid;
	if (*end) {
		fprintf(stderr, "as_user: %s: not UID or UID:GID\n", argv[1]);
		return 125;
	}
	for (i = 2; i < argc && strcmp(argv[i], "--"); i++) {
		cap = cap_by_name(argv[i]);
		if (cap < 0 || n == 64) {
			fprintf(stderr, "as_user: %s: not a capability this helper knows\n",
				argv[i]);
			return 125;
		}
		want[n++] = cap;
	}
	if (i + 1 >= argc) {
		fprintf(stderr, "as_user: no command after --\n");
		return 125;
	}
	if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0))
		return fail("PR_SET_KEEPCAPS");
	if (setgroups(0, NULL))
		return fail("setgroups");
	if (setresgid(gid, gid, gid))
		return fail("setresgid");
	if (setresuid(uid, uid, uid))
		return fail("setresuid");
	/* After the uid change: the kept permitted set, cut to @want. */
	for (cap = 0; cap < n; cap++) {
		data[want[cap] / 32].permitted |= 1U << (want[cap] % 32);
		data[want[cap] / 32].effective |= 1U << (want[cap] % 32);
		data[want[cap] / 32].inheritable |= 1U << (want[cap] % 32);
	}
	if (syscall(SYS_capset, &hdr, data))
		return fail("capset");
	for (cap = 0; cap < n; cap++)
		if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, want[cap], 0, 0))
			return fail("PR_CAP_AMBIENT_RAISE");
	execvp(argv[i + 1], argv + i + 1);
	return fail(argv[i + 1]);
}
