// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * dsaio-user load: loads dsaio.ko as insmod does (finit_module(2)), and
 * when the kernel refuses it says why in a sentence: above all an
 * unsigned module on a kernel that enforces signatures or is locked down
 * (Secure Boot), which insmod reports only as "Key was rejected by
 * service" or "Operation not permitted". `make load` runs it. The
 * sentences and the policy are modsig.c's (pure, unit-tested).
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "cli.h"
#include "modsig.h"

static void usage(FILE *f)
{
	fprintf(f,
"usage: dsaio-user load [--check] [FILE] [PARAM=VALUE...]\n"
"\n"
"Loads the module FILE (default ./dsaio.ko) with its parameters, as\n"
"`insmod FILE PARAM=VALUE...` does; needs root (CAP_SYS_MODULE). When the\n"
"kernel refuses it, says why: a kernel that enforces module signatures\n"
"(/sys/module/module/parameters/sig_enforce is Y) or is locked down\n"
"(/sys/kernel/security/lockdown: integrity or confidentiality, as Secure\n"
"Boot sets it) loads only a signed module, so an unsigned dsaio.ko is\n"
"refused (\"Key was rejected by service\", EKEYREJECTED, or EPERM): sign it\n"
"with `make sign KEY=... CERT=...` and enroll the certificate with\n"
"`mokutil --import`, or install it with DKMS (README, \"Secure Boot\"). Also:\n"
"a module already loaded, one built for another kernel.\n"
"\n"
"  --check          load nothing: say whether FILE is signed and whether this\n"
"                   kernel would refuse it unsigned (no root needed)\n"
"  -h, --help       this help\n"
"\n"
"Parameters (man 4 dsaio): max_jobs, max_threads, max_loops, ...\n"
"\n"
"Examples:\n"
"  sudo dsaio-user load\n"
"  sudo dsaio-user load build/6.1.0-57-cloud-amd64/dsaio.ko max_jobs=16\n"
"\n"
"Exit status: 0 loaded (--check: it would load), 1 refused (said why),\n"
"2 usage error.\n");
}

/* 1 when the module carries a signature (its last bytes say so), 0 when
 * not, -errno when it cannot be read. */
static int is_signed(int fd)
{
	char tail[MODSIG_MARKER_LEN];
	off_t end = lseek(fd, 0, SEEK_END);

	if (end < 0)
		return -errno;
	if (end < (off_t)sizeof(tail))
		return 0;
	if (pread(fd, tail, sizeof(tail), end - (off_t)sizeof(tail)) != (ssize_t)sizeof(tail))
		return -EIO;
	return dsaio_modsig_marked(tail, sizeof(tail));
}

int cmd_load(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "check", no_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *path = "dsaio.ko";
	char params[4096] = "", lockdown[128], msg[1024];
	size_t len = 0;
	enum dsaio_modsig p;
	bool check = false;
	int c, fd, i;

	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'c': check = true; break;
		case 'h': return cli_help(usage, true);
		default: return cli_help(usage, false);
		}
	}
	if (optind < argc && !strchr(argv[optind], '='))
		path = argv[optind++];
	/* insmod's form: the parameters joined by spaces */
	for (i = optind; i < argc; i++) {
		if (!strchr(argv[i], '='))
			return cli_usage_error("load", "'%s' is not a PARAM=VALUE parameter", argv[i]);
		len += (size_t)snprintf(params + len, len < sizeof(params) ? sizeof(params) - len : 0,
					"%s%s", i > optind ? " " : "", argv[i]);
		if (len >= sizeof(params))
			return cli_usage_error("load", "the parameters are too long");
	}
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "dsaio-user load: cannot open %s: %m%s\n", path,
			errno == ENOENT ? " (build it with `make`)" : "");
		return EXIT_FAIL;
	}
	if (check) {
		int signed_ = is_signed(fd);

		close(fd);
		if (signed_ < 0) {
			fprintf(stderr, "dsaio-user load: cannot read %s: %s\n", path, strerror(-signed_));
			return EXIT_FAIL;
		}
		p = dsaio_modsig_read("", lockdown, sizeof(lockdown));
		dsaio_modsig_check(p, lockdown, path, signed_, msg, sizeof(msg));
		printf("%s\n", msg);
		return p != MODSIG_OFF && !signed_ ? EXIT_FAIL : EXIT_OK;
	}
	if (syscall(SYS_finit_module, fd, params, 0)) {
		int err = errno;

		close(fd);
		p = dsaio_modsig_read("", lockdown, sizeof(lockdown));
		dsaio_modsig_load_error(err, p, lockdown, path, msg, sizeof(msg));
		fprintf(stderr, "dsaio-user load: %s\n", msg);
		return EXIT_FAIL;
	}
	close(fd);
	printf("loaded %s%s%s\n", path, params[0] ? " with " : "", params);
	return EXIT_OK;
}
