/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Module signatures: whether this kernel refuses an unsigned dsaio.ko,
 * and the sentences that say so. A kernel built with CONFIG_MODULE_SIG
 * refuses a module without a trusted signature when it enforces them
 * (module.sig_enforce, /sys/module/module/parameters/sig_enforce "Y":
 * finit_module fails with EKEYREJECTED, "Key was rejected by service")
 * or when it is locked down (/sys/kernel/security/lockdown "integrity" or
 * "confidentiality", which Secure Boot turns on in Debian's kernels:
 * EPERM). The decision is a pure function of those files' contents
 * (dsaio_modsig_policy), so it is tested on the host; modsig_sysfs.c
 * reads them.
 */
#ifndef DSAIO_USER_MODSIG_H
#define DSAIO_USER_MODSIG_H

#include <stdbool.h>
#include <stddef.h>

#define MODSIG_ENFORCE_FILE "/sys/module/module/parameters/sig_enforce"
#define MODSIG_LOCKDOWN_FILE "/sys/kernel/security/lockdown"

enum dsaio_modsig {
	MODSIG_OFF,		/* an unsigned module loads (it taints) */
	MODSIG_ENFORCED,	/* sig_enforce is Y */
	MODSIG_LOCKDOWN,	/* lockdown integrity or confidentiality */
};

/*
 * The policy from the contents of MODSIG_ENFORCE_FILE and
 * MODSIG_LOCKDOWN_FILE, NULL where a file is absent or unreadable (a
 * kernel without CONFIG_MODULE_SIG or without the lockdown LSM).
 * sig_enforce wins when both refuse: it is the one that says EKEYREJECTED.
 */
enum dsaio_modsig dsaio_modsig_policy(const char *sig_enforce, const char *lockdown);

/*
 * What refuses an unsigned module and how to get one loaded, in a sentence
 * ("this kernel enforces module signatures (...): sign dsaio.ko with make
 * sign ..."); LOCKDOWN is the mode read ("integrity"), for the sentence.
 * "" for MODSIG_OFF.
 */
void dsaio_modsig_advice(enum dsaio_modsig p, const char *lockdown, char *buf, size_t len);

/*
 * The tool's "the dsaio kernel module is not loaded: load it with ..."
 * sentence, with what refuses an unsigned module under P, briefly (it must
 * fit the 512 bytes of an error message).
 */
void dsaio_modsig_not_loaded(enum dsaio_modsig p, const char *lockdown, char *buf, size_t len);

/*
 * Why loading PATH failed with ERR (a positive errno of finit_module or
 * insmod), in a sentence for the user, under policy P (LOCKDOWN as above).
 */
void dsaio_modsig_load_error(int err, enum dsaio_modsig p, const char *lockdown,
			     const char *path, char *buf, size_t len);

/* A signed module ends with this marker (the kernel's MODULE_SIG_STRING). */
#define MODSIG_MARKER "~Module signature appended~\n"
#define MODSIG_MARKER_LEN (sizeof(MODSIG_MARKER) - 1)

/* Do the last LEN bytes of a module file, TAIL, carry the marker? */
bool dsaio_modsig_marked(const char *tail, size_t len);

/*
 * load --check: whether PATH (signed or not) loads under P, in a sentence.
 */
void dsaio_modsig_check(enum dsaio_modsig p, const char *lockdown, const char *path,
			bool is_signed, char *buf, size_t len);

/*
 * The policy of the running kernel: reads both files under ROOT ("" for
 * /; a test tree otherwise). Fills lockdown (the mode, "integrity") when
 * given.
 */
enum dsaio_modsig dsaio_modsig_read(const char *root, char *lockdown, size_t len);
#endif
