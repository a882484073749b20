// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Module signatures (modsig.h): the policy from the sysfs files' contents
 * and the sentences, pure. The kernel's module_sig_check() (kernel/module/
 * signing.c) decides: a module without a valid signature from a trusted
 * key is refused with EKEYREJECTED when signatures are enforced, else with
 * EPERM when lockdown forbids unsigned modules, else it loads and taints.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "modsig.h"

/* How to get a signed module loaded: the same words wherever it is said. */
#define HOW_TO_SIGN \
	"sign it with `make sign KEY=key.pem CERT=cert.der` and enroll the certificate once " \
	"(`sudo mokutil --import cert.der`, then reboot and confirm in MokManager), or " \
	"install it with DKMS, which signs it with its own MOK key (README, \"Secure Boot\")"

#define NOT_LOADED \
	"the dsaio kernel module is not loaded: load it with `sudo insmod dsaio.ko` " \
	"(or `sudo modprobe dsaio`, or `make load` in the source tree)"

/* The mode in brackets: "none [integrity] confidentiality" -> integrity. */
static size_t lockdown_mode(const char *c, const char **mode)
{
	const char *open = c ? strchr(c, '[') : NULL, *close;

	if (!open || !(close = strchr(open, ']')))
		return 0;
	*mode = open + 1;
	return (size_t)(close - open - 1);
}

enum dsaio_modsig dsaio_modsig_policy(const char *sig_enforce, const char *lockdown)
{
	const char *mode;
	size_t n;

	/* a bool module parameter reads "Y" or "N" */
	if (sig_enforce && sig_enforce[0] == 'Y')
		return MODSIG_ENFORCED;
	n = lockdown_mode(lockdown, &mode);
	if (n && !(n == 4 && !strncmp(mode, "none", 4)))
		return MODSIG_LOCKDOWN;
	return MODSIG_OFF;
}

/* What refuses: "this kernel enforces module signatures (... is Y)". */
static void refuser(enum dsaio_modsig p, const char *lockdown, char *buf, size_t len)
{
	const char *mode = "";
	size_t n = lockdown_mode(lockdown, &mode);

	if (p == MODSIG_ENFORCED)
		snprintf(buf, len, "this kernel enforces module signatures (%s is Y)",
			 MODSIG_ENFORCE_FILE);
	else
		snprintf(buf, len, "this kernel is locked down (%s: %.*s, as Secure Boot sets it)",
			 MODSIG_LOCKDOWN_FILE, (int)n, mode);
}

void dsaio_modsig_advice(enum dsaio_modsig p, const char *lockdown, char *buf, size_t len)
{
	char who[256];

	if (p == MODSIG_OFF) {
		if (len)
			buf[0] = '\0';
		return;
	}
	refuser(p, lockdown, who, sizeof(who));
	snprintf(buf, len, "%s, so it loads only a dsaio.ko signed by a key it trusts: " HOW_TO_SIGN,
		 who);
}

void dsaio_modsig_not_loaded(enum dsaio_modsig p, const char *lockdown, char *buf, size_t len)
{
	char who[256];

	if (p == MODSIG_OFF) {
		snprintf(buf, len, "%s", NOT_LOADED);
		return;
	}
	/* short: it goes through the tool's 512-byte error buffers */
	refuser(p, lockdown, who, sizeof(who));
	snprintf(buf, len, "%s; %s and refuses an unsigned dsaio.ko: sign it first "
		 "(`make sign`, README \"Secure Boot\")", NOT_LOADED, who);
}

void dsaio_modsig_load_error(int err, enum dsaio_modsig p, const char *lockdown,
			     const char *path, char *buf, size_t len)
{
	char advice[768];

	dsaio_modsig_advice(p, lockdown, advice, sizeof(advice));
	switch (err) {
	case EKEYREJECTED:
	case ENOKEY:
		/* unsigned under sig_enforce, or signed by a key not enrolled */
		if (p != MODSIG_OFF)
			snprintf(buf, len, "the kernel refused %s (%s): %s", path, strerror(err),
				 advice);
		else
			snprintf(buf, len, "the kernel refused %s (%s): its signature is not from a "
				 "key the kernel trusts: " HOW_TO_SIGN, path, strerror(err));
		break;
	case EPERM:
		if (p == MODSIG_LOCKDOWN)
			snprintf(buf, len, "the kernel refused %s (%s): %s", path, strerror(err),
				 advice);
		else
			snprintf(buf, len, "the kernel refused %s (%s): loading a module needs root "
				 "(CAP_SYS_MODULE), and as root this means module loading is switched "
				 "off (kernel.modules_disabled = 1)", path, strerror(err));
		break;
	case EEXIST:
		snprintf(buf, len, "dsaio is already loaded: `sudo rmmod dsaio` first to load %s",
			 path);
		break;
	case ENOEXEC:
		snprintf(buf, len, "%s is not a module for this kernel (%s): build it for the "
			 "running kernel with `make` (compare `modinfo -F vermagic %s` with "
			 "`uname -r`)", path, strerror(err), path);
		break;
	case ENOENT:
		/* the file was opened: finit_module's ENOENT is an unknown symbol */
		snprintf(buf, len, "the kernel refused %s: it needs a symbol this kernel lacks "
			 "(see dmesg): build it for the running kernel with `make`", path);
		break;
	case EINVAL:
		snprintf(buf, len, "the kernel refused %s (%s): a parameter is unknown or out of "
			 "its range (the kernel log names it; man 4 dsaio lists them)", path,
			 strerror(err));
		break;
	case ENOSYS:
		snprintf(buf, len, "this system cannot load modules (%s): a kernel without "
			 "CONFIG_MODULES, or a container that forbids finit_module", strerror(err));
		break;
	default:
		snprintf(buf, len, "the kernel refused %s: %s (see dmesg)%s%s", path, strerror(err),
			 p != MODSIG_OFF ? "; " : "", p != MODSIG_OFF ? advice : "");
		break;
	}
}

bool dsaio_modsig_marked(const char *tail, size_t len)
{
	return len >= MODSIG_MARKER_LEN &&
	       !memcmp(tail + len - MODSIG_MARKER_LEN, MODSIG_MARKER, MODSIG_MARKER_LEN);
}

void dsaio_modsig_check(enum dsaio_modsig p, const char *lockdown, const char *path,
			bool is_signed, char *buf, size_t len)
{
	char advice[768];

	if (p == MODSIG_OFF) {
		snprintf(buf, len, "%s is %s; this kernel loads unsigned modules too (an unsigned "
			 "one taints it), so it would load", path, is_signed ? "signed" : "unsigned");
		return;
	}
	if (is_signed) {
		refuser(p, lockdown, advice, sizeof(advice));
		snprintf(buf, len, "%s is signed; %s, so it loads if the key that signed it is "
			 "trusted (`modinfo -F signer %s` names it, `mokutil --list-enrolled` lists "
			 "the enrolled ones)", path, advice, path);
		return;
	}
	dsaio_modsig_advice(p, lockdown, advice, sizeof(advice));
	snprintf(buf, len, "%s is unsigned and would be refused: %s", path, advice);
}
