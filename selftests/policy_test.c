// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * policy_test TABLE: the live family against its YAML spec.
 *
 * TABLE is what scripts/spec-policy made from
 * Documentation/netlink/specs/dsaio.yaml (policy.expected, built with the
 * selftests). This program asks the controller what the kernel has
 * registered (CTRL_CMD_GETFAMILY: version, maxattr, commands and their
 * flags, multicast groups; CTRL_CMD_GETPOLICY: each command's policy, every
 * attribute's type, range and lengths, nested policies) and prints one TAP
 * line per thing it compares, with a "#" line naming each disagreement.
 * A nest whose content the handler parses (handler records) cannot be seen
 * through the controller: its attributes are probed through that command
 * instead, alone in the nest, at and beyond each end of their range and
 * with a wrong length, and a refusal counts when the kernel's extack points
 * at the attribute.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dsaio_client.h"


#define MAX_OPS		64
#define MAX_POLICIES	32
#define MAX_ATTRS	128
#define MAX_ROWS	512
#define MAX_GROUPS	8

/* The controller's names of enum netlink_attribute_type, as the table's. */
static const char *const ktype_name[] = {
	[NL_ATTR_TYPE_INVALID] = "invalid",
	[NL_ATTR_TYPE_FLAG] = "flag",
	[NL_ATTR_TYPE_U8] = "u8",
	[NL_ATTR_TYPE_U16] = "u16",
	[NL_ATTR_TYPE_U32] = "u32",
	[NL_ATTR_TYPE_U64] = "u64",
	[NL_ATTR_TYPE_S8] = "s8",
	[NL_ATTR_TYPE_S16] = "s16",
	[NL_ATTR_TYPE_S32] = "s32",
	[NL_ATTR_TYPE_S64] = "s64",
	[NL_ATTR_TYPE_BINARY] = "binary",
	[NL_ATTR_TYPE_STRING] = "string",
	[NL_ATTR_TYPE_NUL_STRING] = "nul-string",
	[NL_ATTR_TYPE_NESTED] = "nested",
	[NL_ATTR_TYPE_NESTED_ARRAY] = "nested-array",
	[NL_ATTR_TYPE_BITFIELD32] = "bitfield32",
	/* 6.8 and later; numbered after BITFIELD32 */
	[NL_ATTR_TYPE_BITFIELD32 + 1] = "sint",
	[NL_ATTR_TYPE_BITFIELD32 + 2] = "uint",
};

/* One attribute of one policy, as the kernel reports it. */
struct kattr {
	int present;
	unsigned int type;
	int has_u, has_s, has_minlen, has_maxlen;
	uint64_t umin, umax;
	int64_t smin, smax;
	uint32_t minlen, maxlen;
	int pidx;		/* nested policy, -1 when none */
};

struct kpolicy {
	int present;
	struct kattr a[MAX_ATTRS];
};

struct kfamily {
	uint32_t version, maxattr;
	struct { int present; uint32_t flags; int pdo, pdump; } op[MAX_OPS];
	char group[MAX_GROUPS][GENL_NAMSIZ];
	int ngroups;
	struct kpolicy pol[MAX_POLICIES];
};

/* One record of the table, split into its fields. */
struct row {
	int n;
	char f[12][64];
};

static struct row rows[MAX_ROWS];
static int nrows;
static struct kfamily kf;
static struct dsc_info info;
static int tap_n, tap_failed, diffs;

static void tap(int ok, const char *fmt, ...)
{
	va_list ap;

	printf("%s %d - ", ok ? "ok" : "not ok", ++tap_n);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
	if (!ok)
		tap_failed++;
}

/* A disagreement, said before the TAP line it belongs to. */
static void differ(const char *fmt, ...)
{
	va_list ap;

	printf("# ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	diffs++;
}

static int load_table(const char *path)
{
	char line[512];
	FILE *f = fopen(path, "r");

	if (!f) {
		printf("# cannot open %s: %s\n", path, strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof(line), f) && nrows < MAX_ROWS) {
		struct row *r = &rows[nrows];
		char *save, *t;

		if (line[0] == '#')
			continue;
		r->n = 0;
		for (t = strtok_r(line, " \t\n", &save); t && r->n < 12;
		     t = strtok_r(NULL, " \t\n", &save))
			snprintf(r->f[r->n++], sizeof(r->f[0]), "%s", t);
		if (r->n)
			nrows++;
	}
	fclose(f);
	return 0;
}

static int is(const struct row *r, const char *kind, int n)
{
	return r->n == n && !strcmp(r->f[0], kind);
}

/* ---- what the kernel reports -------------------------------------------- */

static int family_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct nlattr *a, *o, *oa;
	int rem, rem2, rem3;

	(void)arg;
	for_each_attr(a, (char *)NLMSG_DATA(nlh) + GENL_HDRLEN,
		      nlh->nlmsg_len - NLMSG_LENGTH(GENL_HDRLEN), rem) {
		switch (NLA_TYPE(a)) {
		case CTRL_ATTR_VERSION:
			kf.version = *(uint32_t *)NLA_DATA(a);
			break;
		case CTRL_ATTR_MAXATTR:
			kf.maxattr = *(uint32_t *)NLA_DATA(a);
			break;
		case CTRL_ATTR_OPS:
			for_each_attr(o, NLA_DATA(a), NLA_LEN(a), rem2) {
				uint32_t id = 0, flags = 0;

				for_each_attr(oa, NLA_DATA(o), NLA_LEN(o), rem3) {
					if (NLA_TYPE(oa) == CTRL_ATTR_OP_ID)
						id = *(uint32_t *)NLA_DATA(oa);
					if (NLA_TYPE(oa) == CTRL_ATTR_OP_FLAGS)
						flags = *(uint32_t *)NLA_DATA(oa);
				}
				if (id < MAX_OPS) {
					kf.op[id].present = 1;
					kf.op[id].flags = flags;
				}
			}
			break;
		case CTRL_ATTR_MCAST_GROUPS:
			for_each_attr(o, NLA_DATA(a), NLA_LEN(a), rem2)
				for_each_attr(oa, NLA_DATA(o), NLA_LEN(o), rem3)
					if (NLA_TYPE(oa) == CTRL_ATTR_MCAST_GRP_NAME &&
					    kf.ngroups < MAX_GROUPS)
						snprintf(kf.group[kf.ngroups++],
							 GENL_NAMSIZ, "%s",
							 (char *)NLA_DATA(oa));
			break;
		}
	}
	return 0;
}

static void policy_attr(struct kattr *k, const struct nlattr *nest)
{
	const struct nlattr *p;
	int rem;

	memset(k, 0, sizeof(*k));
	k->present = 1;
	k->pidx = -1;
	for_each_attr(p, NLA_DATA(nest), NLA_LEN(nest), rem) {
		uint64_t u = 0;

		if (NLA_LEN(p) == 8)
			memcpy(&u, NLA_DATA(p), 8);
		else if (NLA_LEN(p) == 4)
			u = *(uint32_t *)NLA_DATA(p);
		switch (NLA_TYPE(p)) {
		case NL_POLICY_TYPE_ATTR_TYPE:
			k->type = (unsigned int)u;
			break;
		case NL_POLICY_TYPE_ATTR_MIN_VALUE_U:
			k->has_u = 1;
			k->umin = u;
			break;
		case NL_POLICY_TYPE_ATTR_MAX_VALUE_U:
			k->has_u = 1;
			k->umax = u;
			break;
		case NL_POLICY_TYPE_ATTR_MIN_VALUE_S:
			k->has_s = 1;
			k->smin = (int64_t)u;
			break;
		case NL_POLICY_TYPE_ATTR_MAX_VALUE_S:
			k->has_s = 1;
			k->smax = (int64_t)u;
			break;
		case NL_POLICY_TYPE_ATTR_MIN_LENGTH:
			k->has_minlen = 1;
			k->minlen = (uint32_t)u;
			break;
		case NL_POLICY_TYPE_ATTR_MAX_LENGTH:
			k->has_maxlen = 1;
			k->maxlen = (uint32_t)u;
			break;
		case NL_POLICY_TYPE_ATTR_POLICY_IDX:
			k->pidx = (int)u;
			break;
		}
	}
}

static int policy_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct nlattr *a, *x, *y;
	int rem, rem2, rem3;

	(void)arg;
	for_each_attr(a, (char *)NLMSG_DATA(nlh) + GENL_HDRLEN,
		      nlh->nlmsg_len - NLMSG_LENGTH(GENL_HDRLEN), rem) {
		if (NLA_TYPE(a) == CTRL_ATTR_OP_POLICY) {
			for_each_attr(x, NLA_DATA(a), NLA_LEN(a), rem2) {
				unsigned int id = NLA_TYPE(x);

				if (id >= MAX_OPS)
					continue;
				for_each_attr(y, NLA_DATA(x), NLA_LEN(x), rem3) {
					int v = (int)*(uint32_t *)NLA_DATA(y);

					if (NLA_TYPE(y) == CTRL_ATTR_POLICY_DO)
						kf.op[id].pdo = v;
					if (NLA_TYPE(y) == CTRL_ATTR_POLICY_DUMP)
						kf.op[id].pdump = v;
				}
			}
		}
		if (NLA_TYPE(a) != CTRL_ATTR_POLICY)
			continue;
		for_each_attr(x, NLA_DATA(a), NLA_LEN(a), rem2) {
			unsigned int idx = NLA_TYPE(x);

			if (idx >= MAX_POLICIES)
				continue;
			kf.pol[idx].present = 1;
			for_each_attr(y, NLA_DATA(x), NLA_LEN(x), rem3)
				if (NLA_TYPE(y) < MAX_ATTRS)
					policy_attr(&kf.pol[idx].a[NLA_TYPE(y)], y);
		}
	}
	return 0;
}

static int query(struct dsc *c)
{
	struct dsmsg *m = calloc(1, sizeof(*m));
	int i, ret;

	if (!m)
		return -ENOMEM;
	for (i = 0; i < MAX_OPS; i++)
		kf.op[i].pdo = kf.op[i].pdump = -1;
	msg_init(m, NULL, CTRL_CMD_GETFAMILY, 0);
	m->nlh.nlmsg_type = GENL_ID_CTRL;
	((struct genlmsghdr *)NLMSG_DATA(&m->nlh))->version = 1;
	msg_put_str(m, CTRL_ATTR_FAMILY_NAME, DSAIO_GENL_NAME);
	ret = dsc_transact(c, m, family_cb, NULL);
	if (!ret) {
		msg_init(m, NULL, CTRL_CMD_GETPOLICY, NLM_F_DUMP);
		m->nlh.nlmsg_type = GENL_ID_CTRL;
		((struct genlmsghdr *)NLMSG_DATA(&m->nlh))->version = 1;
		msg_put(m, CTRL_ATTR_FAMILY_ID, &c->family, sizeof(c->family));
		ret = dsc_transact(c, m, policy_cb, NULL);
	}
	free(m);
	return ret;
}

/* ---- comparing -------------------------------------------------------- */

/* A table number, or "limit:NAME" resolved through GET_INFO. */
static int table_value(const char *s, uint64_t *v)
{
	int i;

	if (strncmp(s, "limit:", 6)) {
		*v = strtoull(s, NULL, 0);
		return 0;
	}
	for (i = 0; i < nrows; i++)
		if (is(&rows[i], "limit", 3) && !strcmp(rows[i].f[2], s + 6)) {
			int idx = atoi(rows[i].f[1]);

			if (idx > DSAIO_LIMIT_MAX || !info.have_limit[idx])
				break;
			*v = info.limit[idx];
			return 0;
		}
	differ("%s: GET_INFO reports no such limit", s);
	return -1;
}

static const char *kname(unsigned int t)
{
	if (t < sizeof(ktype_name) / sizeof(ktype_name[0]) && ktype_name[t])
		return ktype_name[t];
	return "unknown";
}

static int compare_policy(const char *where, const char *set, int idx, int depth);

/* One expected attribute (policy record @r) against the kernel's @k. */
static void compare_attr(const char *where, const struct row *r,
			 const struct kattr *k, int depth)
{
	const char *name = r->f[3], *type = r->f[4];
	uint64_t lo, hi, len;
	char w[160];

	snprintf(w, sizeof(w), "%s: attribute %s (%s)", where, r->f[2], name);
	if (!k->present) {
		differ("%s: in the spec, not in the kernel's policy", w);
		return;
	}
	if (strcmp(kname(k->type), type)) {
		differ("%s: type %s in the kernel, %s in the spec", w,
		       kname(k->type), type);
		return;
	}
	if (strcmp(r->f[5], "-") && !table_value(r->f[5], &lo) &&
	    !table_value(r->f[6], &hi)) {
		if (type[0] == 's' && type[1] != 't') {
			if (!k->has_s || k->smin != (int64_t)lo ||
			    k->smax != (int64_t)hi)
				differ("%s: range %lld..%lld in the kernel, %lld..%lld in the spec",
				       w, (long long)k->smin, (long long)k->smax,
				       (long long)lo, (long long)hi);
		} else if (!k->has_u || k->umin != lo || k->umax != hi) {
			differ("%s: range %llu..%llu in the kernel, %llu..%llu in the spec",
			       w, (unsigned long long)k->umin,
			       (unsigned long long)k->umax,
			       (unsigned long long)lo, (unsigned long long)hi);
		}
	}
	if (strcmp(r->f[7], "-") ? table_value(r->f[7], &len) ||
	    !k->has_minlen || k->minlen != len : k->has_minlen)
		differ("%s: min length %s in the kernel, %s in the spec", w,
		       k->has_minlen ? "set" : "none", r->f[7]);
	if (strcmp(r->f[8], "-") ? table_value(r->f[8], &len) ||
	    !k->has_maxlen || k->maxlen != len : k->has_maxlen) {
		if (k->has_maxlen)
			differ("%s: max length %u in the kernel, %s in the spec",
			       w, k->maxlen, r->f[8]);
		else
			differ("%s: no max length in the kernel, %s in the spec",
			       w, r->f[8]);
	}
	if (!strncmp(r->f[9], "handler:", 8) || !strcmp(r->f[9], "-")) {
		if (k->pidx >= 0)
			differ("%s: the kernel has a nested policy (%d), the spec %s",
			       w, k->pidx, !strcmp(r->f[9], "-") ? "none" :
			       "says the handler parses the nest");
	} else if (k->pidx < 0) {
		differ("%s: no nested policy in the kernel, %s in the spec",
		       w, r->f[9]);
	} else if (depth < 8) {
		snprintf(w, sizeof(w), "%s > %s", where, name);
		compare_policy(w, r->f[9], k->pidx, depth + 1);
	}
}

/* The kernel's policy @idx against the table's records of @set. */
static int compare_policy(const char *where, const char *set, int idx, int depth)
{
	int want[MAX_ATTRS] = { 0 };
	int i, before = diffs;

	if (idx < 0 || idx >= MAX_POLICIES || !kf.pol[idx].present) {
		differ("%s: the kernel reported no policy %d", where, idx);
		return -1;
	}
	for (i = 0; i < nrows; i++) {
		const struct row *r = &rows[i];
		int a;

		if (!is(r, "policy", 10) || strcmp(r->f[1], set))
			continue;
		a = atoi(r->f[2]);
		if (a <= 0 || a >= MAX_ATTRS)
			continue;
		want[a] = 1;
		compare_attr(where, r, &kf.pol[idx].a[a], depth);
	}
	for (i = 0; i < MAX_ATTRS; i++)
		if (kf.pol[idx].a[i].present && !want[i])
			differ("%s: attribute %d (%s) in the kernel's policy, not in the spec",
			       where, i, kname(kf.pol[idx].a[i].type));
	return diffs == before ? 0 : -1;
}

static void check_family(void)
{
	int i, j, before = diffs;

	for (i = 0; i < nrows; i++) {
		const struct row *r = &rows[i];

		if (is(r, "family", 4)) {
			if (kf.version != strtoul(r->f[2], NULL, 0))
				differ("version %u in the kernel, %s in the spec",
				       kf.version, r->f[2]);
			if (kf.maxattr != strtoul(r->f[3], NULL, 0))
				differ("maxattr %u in the kernel, %s in the spec (the last attribute of the top set)",
				       kf.maxattr, r->f[3]);
		}
	}
	tap(diffs == before, "family %s: version and maxattr as the spec", DSAIO_GENL_NAME);

	before = diffs;
	for (i = 0; i < nrows; i++) {
		int found = 0;

		if (!is(&rows[i], "mcgrp", 2))
			continue;
		for (j = 0; j < kf.ngroups; j++)
			found |= !strcmp(kf.group[j], rows[i].f[1]);
		if (!found)
			differ("multicast group %s: in the spec, not in the kernel", rows[i].f[1]);
	}
	for (j = 0; j < kf.ngroups; j++) {
		int found = 0;

		for (i = 0; i < nrows; i++)
			found |= is(&rows[i], "mcgrp", 2) && !strcmp(kf.group[j], rows[i].f[1]);
		if (!found)
			differ("multicast group %s: in the kernel, not in the spec", kf.group[j]);
	}
	tap(diffs == before, "multicast groups as the spec");
}

static void check_ops(void)
{
	int want[MAX_OPS] = { 0 };
	int i, before;

	for (i = 0; i < nrows; i++) {
		const struct row *r = &rows[i];
		uint32_t want_flags, got_flags;
		int id;

		if (!is(r, "op", 6))
			continue;
		id = atoi(r->f[1]);
		before = diffs;
		if (id <= 0 || id >= MAX_OPS || !kf.op[id].present) {
			differ("command %s (%s): in the spec, not in the kernel", r->f[1], r->f[2]);
			tap(0, "command %s: registered with the spec's flags and policies", r->f[2]);
			continue;
		}
		want[id] = 1;
		want_flags = (!strcmp(r->f[3], "admin") ? GENL_ADMIN_PERM : 0) |
			     (strcmp(r->f[4], "-") ? GENL_CMD_CAP_DO : 0) |
			     (strcmp(r->f[5], "-") ? GENL_CMD_CAP_DUMP : 0);
		got_flags = kf.op[id].flags & (GENL_ADMIN_PERM | GENL_CMD_CAP_DO |
					       GENL_CMD_CAP_DUMP);
		if (got_flags != want_flags)
			differ("command %s: flags 0x%x in the kernel, 0x%x in the spec (admin-perm 0x%x, do 0x%x, dump 0x%x)",
			       r->f[2], got_flags, want_flags, GENL_ADMIN_PERM,
			       GENL_CMD_CAP_DO, GENL_CMD_CAP_DUMP);
		if (!!strcmp(r->f[4], "-") != (kf.op[id].pdo >= 0))
			differ("command %s: %s do policy in the kernel, %s in the spec",
			       r->f[2], kf.op[id].pdo >= 0 ? "a" : "no", r->f[4]);
		if (!!strcmp(r->f[5], "-") != (kf.op[id].pdump >= 0))
			differ("command %s: %s dump policy in the kernel, %s in the spec",
			       r->f[2], kf.op[id].pdump >= 0 ? "a" : "no", r->f[5]);
		tap(diffs == before, "command %s: registered with the spec's flags and policies", r->f[2]);
		if (strcmp(r->f[4], "-") && kf.op[id].pdo >= 0) {
			char w[96];

			snprintf(w, sizeof(w), "%s do", r->f[2]);
			tap(!compare_policy(w, r->f[4], kf.op[id].pdo, 0),
			    "command %s do: every attribute's type and range as the spec", r->f[2]);
		}
		if (strcmp(r->f[5], "-") && kf.op[id].pdump >= 0) {
			char w[96];

			snprintf(w, sizeof(w), "%s dump", r->f[2]);
			tap(!compare_policy(w, r->f[5], kf.op[id].pdump, 0),
			    "command %s dump: every attribute's type and range as the spec", r->f[2]);
		}
	}
	before = diffs;
	for (i = 0; i < MAX_OPS; i++)
		if (kf.op[i].present && !want[i])
			differ("command %d: in the kernel, not in the spec", i);
	tap(diffs == before, "the kernel has no command the spec lacks");
}

/* ---- a nest the handler parses: probes -------------------------------- */

/*
 * Sends command @cmd with nest @outer holding only attribute @type of
 * @len bytes. 1 when the kernel refused it pointing at that attribute,
 * 0 when it refused it for something else (it passed the policy: another
 * attribute is required), -1 when nothing was refused (a job started).
 */
static int probe(struct dsc *c, int cmd, int outer, int type, const void *data,
		 size_t len)
{
	/* nlmsghdr, genlmsghdr, the nest's header: where the attribute is */
	const int off = NLMSG_HDRLEN + GENL_HDRLEN + NLA_HDRLEN;
	struct dsmsg *m = calloc(1, sizeof(*m));
	int ret;

	if (!m)
		return -1;
	msg_init(m, c, (uint8_t)cmd, 0);
	msg_nest_start(m, (uint16_t)outer);
	msg_put(m, (uint16_t)type, data, len);
	msg_nest_end(m);
	ret = dsc_transact(c, m, NULL, NULL);
	free(m);
	if (!ret)
		return -1;	/* it ran: the socket's close cancels a job */
	return c->extack_off == off ? 1 : 0;
}

/* As expect(), the attribute's type with @flags (NLA_F_NESTED) too. */
static void expect_flags(struct dsc *c, const struct row *r, int cmd, int outer,
			 int flags, const void *data, size_t len, int refused,
			 const char *what)
{
	int got = probe(c, cmd, outer, atoi(r->f[2]) | flags, data, len);

	if (got == refused)
		return;
	if (got < 0)
		differ("%s (%s): %s was accepted and the command ran", r->f[3],
		       r->f[4], what);
	else
		differ("%s (%s): %s was %s by the kernel, the spec %s it (extack: %s)",
		       r->f[3], r->f[4], what, got ? "refused" : "accepted",
		       refused ? "refuses" : "accepts", c->extack);
}

static void expect(struct dsc *c, const struct row *r, int cmd, int outer,
		   const void *data, size_t len, int refused, const char *what)
{
	expect_flags(c, r, cmd, outer, 0, data, len, refused, what);
}

static void probe_attr(struct dsc *c, const struct row *r, int cmd, int outer)
{
	const char *type = r->f[4];
	char buf[4096], what[160];
	int before = diffs;

	if (!strcmp(type, "u8") || !strcmp(type, "u16") ||
	    !strcmp(type, "u32") || !strcmp(type, "u64")) {
		size_t w = strtoul(type + 1, NULL, 10) / 8;
		uint64_t lo, hi, top = w == 8 ? UINT64_MAX : (1ULL << (8 * w)) - 1;

		if (table_value(r->f[5], &lo) || table_value(r->f[6], &hi))
			goto out;
		/* little-endian host: the low bytes of a u64 are the value */
		snprintf(what, sizeof(what), "%llu (its minimum)", (unsigned long long)lo);
		expect(c, r, cmd, outer, &lo, w, 0, what);
		snprintf(what, sizeof(what), "%llu (its maximum)", (unsigned long long)hi);
		expect(c, r, cmd, outer, &hi, w, 0, what);
		if (lo > 0) {
			uint64_t v = lo - 1;

			snprintf(what, sizeof(what), "%llu (below its minimum)", (unsigned long long)v);
			expect(c, r, cmd, outer, &v, w, 1, what);
		}
		if (hi < top) {
			uint64_t v = hi + 1;

			snprintf(what, sizeof(what), "%llu (above its maximum)", (unsigned long long)v);
			expect(c, r, cmd, outer, &v, w, 1, what);
		}
		memset(buf, 0, 8);
		snprintf(what, sizeof(what), "%zu bytes (not a %s)", w == 8 ? 4 : w * 2, type);
		expect(c, r, cmd, outer, buf, w == 8 ? 4 : w * 2, 1, what);
	} else if (!strcmp(type, "nul-string") && strcmp(r->f[8], "-")) {
		uint64_t max;

		if (table_value(r->f[8], &max) || max + 2 > sizeof(buf))
			goto out;
		memset(buf, 'a', sizeof(buf));
		buf[max] = 0;
		snprintf(what, sizeof(what), "a string of %llu bytes (its maximum)",
			 (unsigned long long)max);
		expect(c, r, cmd, outer, buf, max + 1, 0, what);
		buf[max] = 'a';
		buf[max + 1] = 0;
		snprintf(what, sizeof(what), "a string of %llu bytes (over its maximum)",
			 (unsigned long long)max + 1);
		expect(c, r, cmd, outer, buf, max + 2, 1, what);
		expect(c, r, cmd, outer, "abc", 3, 1, "a string without its NUL");
	} else if (!strcmp(type, "nested-array")) {
		/*
		 * The policy takes an empty array flagged as a nest (the
		 * handler refuses it later), and no unflagged one or one too
		 * short to hold an entry.
		 */
		expect_flags(c, r, cmd, outer, NLA_F_NESTED, "", 0, 0,
			     "an empty nest");
		expect(c, r, cmd, outer, "", 0, 1, "a nest without NLA_F_NESTED");
		memset(buf, 0, 4);
		expect_flags(c, r, cmd, outer, NLA_F_NESTED, buf, 3, 1,
			     "3 bytes (shorter than an entry's header)");
	} else {
		differ("%s (%s): no probe for this type", r->f[3], type);
	}
out:
	tap(diffs == before, "%s (parsed by its handler): %s %s, range %s..%s%s%s, as the spec",
	    r->f[1], r->f[3], type, r->f[5], r->f[6],
	    strcmp(r->f[8], "-") ? ", max length " : "",
	    strcmp(r->f[8], "-") ? r->f[8] : "");
}

static void check_handlers(struct dsc *c)
{
	int i, j;

	for (i = 0; i < nrows; i++) {
		const struct row *h = &rows[i];

		if (!is(h, "handler", 4))
			continue;
		for (j = 0; j < nrows; j++)
			if (is(&rows[j], "policy", 10) && !strcmp(rows[j].f[1], h->f[1]))
				probe_attr(c, &rows[j], atoi(h->f[2]), atoi(h->f[3]));
	}
}

int main(int argc, char **argv)
{
	struct dsc c;
	int ret;

	if (argc != 2) {
		fprintf(stderr, "usage: %s TABLE (made by scripts/spec-policy)\n", argv[0]);
		return 2;
	}
	printf("TAP version 13\n");
	if (load_table(argv[1]) || !nrows) {
		tap(0, "the expected table %s is readable", argv[1]);
		goto end;
	}
	ret = dsc_open(&c);
	if (ret) {
		tap(0, "family %s is registered (%s)", DSAIO_GENL_NAME, strerror(-ret));
		goto end;
	}
	ret = dsc_info(&c, &info);
	if (!ret)
		ret = query(&c);
	if (ret) {
		tap(0, "GET_INFO, CTRL_CMD_GETFAMILY and CTRL_CMD_GETPOLICY answer (%s)",
		    strerror(-ret));
		dsc_close(&c);
		goto end;
	}
	check_family();
	check_ops();
	check_handlers(&c);
	dsc_close(&c);
end:
	printf("1..%d\n", tap_n);
	return tap_failed ? 1 : 0;
}
