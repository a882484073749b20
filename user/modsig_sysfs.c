// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The running kernel's module-signature policy (modsig.h): reads the two
 * files and hands their contents to dsaio_modsig_policy(). A file that is
 * absent (no CONFIG_MODULE_SIG, no lockdown LSM) counts as "does not
 * refuse".
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include "modsig.h"

/* The first line of ROOT/PATH into buf; NULL when it cannot be read. */
static const char *slurp(const char *root, const char *path, char *buf, size_t len)
{
	char full[512];
	FILE *f;
	bool ok;

	snprintf(full, sizeof(full), "%s%s", root, path);
	f = fopen(full, "r");
	if (!f)
		return NULL;
	ok = fgets(buf, (int)len, f) != NULL;
	fclose(f);
	return ok ? buf : NULL;
}

enum dsaio_modsig dsaio_modsig_read(const char *root, char *lockdown, size_t len)
{
	char enforce[16], lock[128];
	const char *e = slurp(root, MODSIG_ENFORCE_FILE, enforce, sizeof(enforce));
	const char *l = slurp(root, MODSIG_LOCKDOWN_FILE, lock, sizeof(lock));

	if (lockdown && len)
		snprintf(lockdown, len, "%s", l ? l : "");
	return dsaio_modsig_policy(e, l);
}
