// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * dm_helper: the little of dmsetup the tests need, over the DM ioctls.
 *
 *   dm_helper create NAME "START LEN TARGET ARGS"   prints /dev/dm-N
 *   dm_helper reload NAME "START LEN TARGET ARGS"   load, suspend, resume
 *   dm_helper suspend NAME | resume NAME
 *   dm_helper remove NAME [deferred]
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <linux/dm-ioctl.h>

#define BUF_SIZE 16384

static int dm_fd = -1;

static struct dm_ioctl *dm_init(char *buf, const char *name)
{
	struct dm_ioctl *io = (struct dm_ioctl *)buf;

	memset(buf, 0, BUF_SIZE);
	io->version[0] = DM_VERSION_MAJOR;
	io->version[1] = 0;
	io->version[2] = 0;
	io->data_size = BUF_SIZE;
	io->data_start = sizeof(*io);
	snprintf(io->name, sizeof(io->name), "%s", name);
	return io;
}

static int dm_call(unsigned long cmd, struct dm_ioctl *io, const char *what)
{
	if (ioctl(dm_fd, cmd, io)) {
		fprintf(stderr, "dm_helper: %s %s: %s\n", what, io->name,
			strerror(errno));
		return -1;
	}
	return 0;
}

static int load_table(const char *name, const char *table)
{
	static char buf[BUF_SIZE];
	struct dm_ioctl *io = dm_init(buf, name);
	struct dm_target_spec *t = (struct dm_target_spec *)(buf + sizeof(*io));
	unsigned long long start, len;
	char type[DM_MAX_TYPE_NAME];
	int n = 0;

	if (sscanf(table, "%llu %llu %15s %n", &start, &len, type, &n) < 3) {
		fprintf(stderr, "dm_helper: bad table \"%s\"\n", table);
		return -1;
	}
	t->sector_start = start;
	t->length = len;
	snprintf(t->target_type, sizeof(t->target_type), "%s", type);
	snprintf((char *)(t + 1), BUF_SIZE - sizeof(*io) - sizeof(*t), "%s",
		 table + n);
	io->target_count = 1;
	io->data_size = sizeof(*io) + sizeof(*t) + strlen(table + n) + 1;
	io->data_size = (io->data_size + 7) & ~7U;
	return dm_call(DM_TABLE_LOAD, io, "table load");
}

static int suspend(const char *name, int on)
{
	static char buf[BUF_SIZE];
	struct dm_ioctl *io = dm_init(buf, name);

	if (on)
		io->flags |= DM_SUSPEND_FLAG;
	io->data_size = sizeof(*io);
	return dm_call(DM_DEV_SUSPEND, io, on ? "suspend" : "resume");
}

int main(int argc, char **argv)
{
	static char buf[BUF_SIZE];
	struct dm_ioctl *io;

	if (argc < 3) {
		fprintf(stderr, "usage: dm_helper create|reload|suspend|resume|remove NAME [TABLE]\n");
		return 2;
	}
	dm_fd = open("/dev/mapper/control", O_RDWR | O_CLOEXEC);
	if (dm_fd < 0) {
		perror("/dev/mapper/control");
		return 1;
	}
	if (!strcmp(argv[1], "create") && argc == 4) {
		unsigned int minor;
		char path[64];
		int i;

		io = dm_init(buf, argv[2]);
		io->data_size = sizeof(*io);
		if (dm_call(DM_DEV_CREATE, io, "create"))
			return 1;
		minor = (io->dev & 0xff) | ((io->dev >> 12) & 0xfff00);
		if (load_table(argv[2], argv[3]) || suspend(argv[2], 0)) {
			io = dm_init(buf, argv[2]);
			io->data_size = sizeof(*io);
			dm_call(DM_DEV_REMOVE, io, "remove");
			return 1;
		}
		snprintf(path, sizeof(path), "/dev/dm-%u", minor);
		for (i = 0; i < 100 && access(path, F_OK); i++)
			usleep(50000);
		if (access(path, F_OK)) {
			fprintf(stderr, "dm_helper: %s did not appear\n", path);
			return 1;
		}
		printf("%s\n", path);
		return 0;
	}
	if (!strcmp(argv[1], "reload") && argc == 4) {
		if (load_table(argv[2], argv[3]) || suspend(argv[2], 1) ||
		    suspend(argv[2], 0))
			return 1;
		return 0;
	}
	if (!strcmp(argv[1], "suspend"))
		return suspend(argv[2], 1) ? 1 : 0;
	if (!strcmp(argv[1], "resume"))
		return suspend(argv[2], 0) ? 1 : 0;
	if (!strcmp(argv[1], "remove")) {
		io = dm_init(buf, argv[2]);
		io->data_size = sizeof(*io);
		if (argc > 3 && !strcmp(argv[3], "deferred"))
			io->flags |= DM_DEFERRED_REMOVE;
		return dm_call(DM_DEV_REMOVE, io, "remove") ? 1 : 0;
	}
	fprintf(stderr, "dm_helper: unknown command %s\n", argv[1]);
	return 2;
}
