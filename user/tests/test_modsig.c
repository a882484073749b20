// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Module signatures: the policy chosen from given contents of
 * sig_enforce and lockdown, the sentences for each load failure and for
 * the tool's "not loaded", and the files read from a tree made here.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tap.h"
#include "modsig.h"

static const struct {
	const char *enforce, *lockdown;
	enum dsaio_modsig want;
	const char *says;	/* in the advice; NULL: no advice */
	const char *desc;
} cases[] = {
	{ "Y\n", NULL, MODSIG_ENFORCED, "enforces module signatures (/sys/module/module/parameters/sig_enforce is Y)",
	  "sig_enforce Y, no lockdown file" },
	{ "N\n", "[none] integrity confidentiality\n", MODSIG_OFF, NULL, "sig_enforce N, lockdown none" },
	{ "N\n", "none [integrity] confidentiality\n", MODSIG_LOCKDOWN,
	  "locked down (/sys/kernel/security/lockdown: integrity, as Secure Boot sets it)",
	  "lockdown integrity" },
	{ NULL, "none integrity [confidentiality]\n", MODSIG_LOCKDOWN,
	  "locked down (/sys/kernel/security/lockdown: confidentiality,",
	  "lockdown confidentiality, no sig_enforce (no CONFIG_MODULE_SIG)" },
	{ "Y\n", "none [integrity] confidentiality\n", MODSIG_ENFORCED, "sig_enforce is Y",
	  "both: sig_enforce, the one that says EKEYREJECTED" },
	{ NULL, NULL, MODSIG_OFF, NULL, "neither file" },
	{ "N\n", "integrity\n", MODSIG_OFF, NULL, "a lockdown line without a bracketed mode" },
	{ "", "", MODSIG_OFF, NULL, "empty files" },
};

static void test_policy(void)
{
	char buf[1024];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		enum dsaio_modsig p = dsaio_modsig_policy(cases[i].enforce, cases[i].lockdown);

		is_int(p, cases[i].want, "policy: %s", cases[i].desc);
		dsaio_modsig_advice(p, cases[i].lockdown, buf, sizeof(buf));
		if (!cases[i].says) {
			is_str(buf, "", "no advice: %s", cases[i].desc);
			continue;
		}
		ok(strstr(buf, cases[i].says) && strstr(buf, "make sign KEY=") &&
		   strstr(buf, "mokutil --import") && strstr(buf, "DKMS"),
		   "advice names the file and make sign, mokutil, DKMS: %s", cases[i].desc);
	}
}

static void test_load_errors(void)
{
	static const struct {
		int err;
		enum dsaio_modsig p;
		const char *lockdown, *says[3], *desc;
	} c[] = {
		{ EKEYREJECTED, MODSIG_ENFORCED, NULL,
		  { "Key was rejected by service", "sig_enforce is Y", "make sign" },
		  "EKEYREJECTED under sig_enforce: unsigned" },
		{ EKEYREJECTED, MODSIG_OFF, NULL,
		  { "Key was rejected by service", "not from a key the kernel trusts", "mokutil" },
		  "EKEYREJECTED without enforcement: a key not enrolled" },
		{ EPERM, MODSIG_LOCKDOWN, "none [integrity] confidentiality",
		  { "Operation not permitted", "locked down", "make sign" },
		  "EPERM under lockdown" },
		{ EPERM, MODSIG_OFF, NULL, { "CAP_SYS_MODULE", "modules_disabled", NULL },
		  "EPERM otherwise: root, or module loading off" },
		{ EEXIST, MODSIG_OFF, NULL, { "already loaded", "rmmod dsaio", NULL }, "EEXIST" },
		{ ENOEXEC, MODSIG_OFF, NULL, { "not a module for this kernel", "vermagic", "uname -r" },
		  "ENOEXEC: another kernel's" },
		{ ENOENT, MODSIG_OFF, NULL, { "symbol", "dmesg", NULL }, "ENOENT: an unknown symbol" },
		{ ENOSYS, MODSIG_OFF, NULL, { "cannot load modules", NULL, NULL }, "ENOSYS" },
		{ EINVAL, MODSIG_OFF, NULL, { "parameter", "man 4 dsaio", NULL },
		  "EINVAL: a parameter out of its range" },
		{ ENOMEM, MODSIG_ENFORCED, NULL, { "Cannot allocate memory", "dmesg", "sig_enforce" },
		  "another errno: said, with the policy" },
	};
	char buf[1024];
	size_t i, k;

	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		bool all = true;

		dsaio_modsig_load_error(c[i].err, c[i].p, c[i].lockdown, "./dsaio.ko", buf, sizeof(buf));
		for (k = 0; k < 3; k++)
			all &= !c[i].says[k] || strstr(buf, c[i].says[k]) != NULL;
		if (!ok(all, "load error: %s", c[i].desc))
			printf("#   got '%s'\n", buf);
	}
	dsaio_modsig_load_error(EPERM, MODSIG_OFF, NULL, "./dsaio.ko", buf, sizeof(buf));
	ok(!strstr(buf, "make sign"), "EPERM with no policy does not send one to make sign");
}

static void test_not_loaded(void)
{
	char buf[512];

	dsaio_modsig_not_loaded(MODSIG_OFF, NULL, buf, sizeof(buf));
	ok(strstr(buf, "is not loaded") && strstr(buf, "insmod dsaio.ko") && !strstr(buf, "sign"),
	   "not loaded, no policy: how to load it, nothing about signing");
	dsaio_modsig_not_loaded(MODSIG_ENFORCED, NULL, buf, sizeof(buf));
	ok(strstr(buf, "is not loaded") && strstr(buf, "sig_enforce is Y") &&
	   strstr(buf, "make sign") && strlen(buf) < sizeof(buf) - 1,
	   "not loaded under sig_enforce: says so and names make sign, whole in 512 bytes");
	dsaio_modsig_not_loaded(MODSIG_LOCKDOWN, "none integrity [confidentiality]\n", buf, sizeof(buf));
	ok(strstr(buf, "locked down") && strstr(buf, "confidentiality") && strstr(buf, "make sign") &&
	   strlen(buf) < sizeof(buf) - 1, "not loaded under lockdown: says so, whole in 512 bytes");
}

static void test_check(void)
{
	static const char signed_tail[] = "\x01\x02~Module signature appended~\n";
	static const char plain_tail[] = "\x7f" "ELF\x00\x00~Module signature appended~";
	char buf[1024];

	ok(dsaio_modsig_marked(signed_tail, sizeof(signed_tail) - 1), "the signature marker at the end");
	ok(!dsaio_modsig_marked(plain_tail, sizeof(plain_tail) - 1), "no marker: unsigned");
	ok(!dsaio_modsig_marked("~Module", 7), "too short to be marked");
	dsaio_modsig_check(MODSIG_ENFORCED, NULL, "dsaio.ko", false, buf, sizeof(buf));
	ok(strstr(buf, "unsigned and would be refused") && strstr(buf, "make sign"),
	   "check: unsigned under sig_enforce would be refused, make sign named");
	dsaio_modsig_check(MODSIG_LOCKDOWN, "none [integrity] confidentiality", "dsaio.ko", true,
			   buf, sizeof(buf));
	ok(strstr(buf, "is signed") && strstr(buf, "locked down") && strstr(buf, "modinfo -F signer") &&
	   !strstr(buf, "make sign"), "check: signed under lockdown loads if its key is trusted");
	dsaio_modsig_check(MODSIG_OFF, NULL, "dsaio.ko", false, buf, sizeof(buf));
	ok(strstr(buf, "would load") && strstr(buf, "taints"), "check: no policy, it would load");
}

/* ROOT/PATH with TEXT, directories made. */
static void put(const char *root, const char *path, const char *text)
{
	char full[512], *s;
	FILE *f;

	snprintf(full, sizeof(full), "%s%s", root, path);
	for (s = full + strlen(root) + 1; (s = strchr(s, '/')); s++) {
		*s = '\0';
		mkdir(full, 0700);
		*s = '/';
	}
	f = fopen(full, "w");
	if (f) {
		fputs(text, f);
		fclose(f);
	}
}

static void test_read(void)
{
	char root[] = "/tmp/dsaio-modsig.XXXXXX", lock[128], cmd[600];

	if (!ok(mkdtemp(root) != NULL, "a sysfs tree of our own"))
		return;
	is_int(dsaio_modsig_read(root, lock, sizeof(lock)), MODSIG_OFF,
	       "read: no files, nothing refuses");
	put(root, MODSIG_LOCKDOWN_FILE, "none [integrity] confidentiality\n");
	is_int(dsaio_modsig_read(root, lock, sizeof(lock)), MODSIG_LOCKDOWN, "read: lockdown integrity");
	is_str(lock, "none [integrity] confidentiality\n", "read: the lockdown line kept");
	put(root, MODSIG_ENFORCE_FILE, "Y\n");
	is_int(dsaio_modsig_read(root, NULL, 0), MODSIG_ENFORCED, "read: sig_enforce Y");
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	if (system(cmd))
		printf("# could not remove %s\n", root);
}

int main(void)
{
	test_policy();
	test_load_errors();
	test_not_loaded();
	test_check();
	test_read();
	return done();
}
