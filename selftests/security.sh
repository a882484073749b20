#!/bin/sh
# SPDX-License-Identifier: GPL-2.0 OR MIT
# Security: who may do what (<linux/dsaio.h>, "Who may do what"). As uid
# 1000 with only CAP_NET_ADMIN (as_user), jobs on a root 0600 device are
# refused with their sentence and leave its data as it was; read
# permission lets a read job run but not a write; a device write takes
# CAP_SYS_RAWIO or CAP_SYS_ADMIN on top of read and write permission;
# root may do both. File jobs need the right to create a file in the
# directory, as the caller.
. "$(dirname "$0")/lib.sh"
group_begin

U=1000
group_cleanup() { nullb_remove dsaio_sec; nullb_remove dsaio_sec2; }

group_load
# memory-backed, so a write shows in the checksum; 64 MiB each
DEV=$(nullb_create dsaio_sec size=64 memory_backed=1) || {
	tap_fail "null_blk for the security group"; tap_end; }
DEV2=$(nullb_create dsaio_sec2 size=64 memory_backed=1) || {
	tap_fail "second null_blk"; tap_end; }
chown 0:0 "$DEV" "$DEV2"
chmod 0600 "$DEV" "$DEV2"

out=$TMPD/out
sum() { dsaio_ctl cksum "$DEV" 0 4M; }

# job WHO... -- ARGS: dsaio_ctl run ARGS as WHO (as_user arguments, or
# "root"); its output in $out, its exit status returned
job() {
	if [ "$1" = root ]; then
		shift 2
		dsaio_ctl run "$@" > "$out" 2>&1
	else
		./as_user "$@" > "$out" 2>&1
	fi
}

# refused NAME ERRNO SENTENCE: the last job was refused with -ERRNO and
# an extack holding SENTENCE
refused() {
	if [ "$(kv "$out" start_error)" = "-$2" ] &&
	   kv "$out" extack | grep -qF "$3"; then
		tap_ok "$1"
	else
		tap_fail "$1"
		diag "$(cat "$out")"
	fi
}

# ran NAME: the last job ran to done
ran() {
	if [ "$(kv "$out" state)" = done ]; then
		tap_ok "$1"
	else
		tap_fail "$1"
		diag "$(cat "$out")"
	fi
}

# the helper gives exactly what it is asked for
caps=$(./as_user $U net_admin -- sh -c 'id -u; grep CapEff /proc/self/status')
case "$caps" in
"$U"*0000000000001000) tap_ok "as_user: uid $U with CAP_NET_ADMIN only" ;;
*) tap_fail "as_user: uid $U with CAP_NET_ADMIN only"; diag "$caps" ;;
esac

NA="$U net_admin -- ./dsaio_ctl run"
W="write 4M 64K allow=1"
R="read 4M 64K"
before=$(sum)

# no right to the node at all
job $NA "$DEV" $W
refused "CAP_NET_ADMIN, 0600 root device: write refused" 13 \
	"DSAIO_CFG_DEV_PATH: the caller has no read and write permission to the device node"
job $NA "$DEV" $R validate=1
refused "CAP_NET_ADMIN, 0600 root device: read refused" 13 \
	"DSAIO_CFG_DEV_PATH: the caller has no read permission to the device node"
job $NA "targets:$DEV2,$DEV" $R
refused "CAP_NET_ADMIN, 0600 root device in DSAIO_CFG_TARGETS: refused" 13 \
	"no read permission to the device node"
[ "$(sum)" = "$before" ] && tap_ok "refused jobs leave the device as it was" ||
	tap_fail "refused jobs leave the device as it was"

# read permission only (others may read)
chmod 0604 "$DEV"
job $NA "$DEV" $R
ran "CAP_NET_ADMIN, read permission: read runs"
job $NA "$DEV" $W
refused "CAP_NET_ADMIN, read permission: write refused" 13 \
	"no read and write permission"

# read and write permission (owner), still no raw-disk capability
chown $U "$DEV"
chmod 0600 "$DEV"
job $NA "$DEV" $R
ran "CAP_NET_ADMIN, owner: read runs"
job $NA "$DEV" $W
refused "CAP_NET_ADMIN, owner: write refused without CAP_SYS_RAWIO/CAP_SYS_ADMIN" 1 \
	"DSAIO_CFG_DEV_PATH: writing a device needs CAP_SYS_RAWIO or CAP_SYS_ADMIN"
[ "$(sum)" = "$before" ] && tap_ok "the device is still as it was" ||
	tap_fail "the device is still as it was"

# the capability alone is not the right to the node
chown 0 "$DEV"
job $U net_admin sys_rawio -- ./dsaio_ctl run "$DEV" $W
refused "CAP_SYS_RAWIO without permission to the node: write refused" 13 \
	"no read and write permission"
chown $U "$DEV"
job $U net_admin sys_rawio -- ./dsaio_ctl run "$DEV" $W
ran "CAP_SYS_RAWIO, owner: write runs"
after=$(sum)
[ "$after" != "$before" ] && tap_ok "the allowed write changed the device" ||
	tap_fail "the allowed write changed the device"
job $U net_admin sys_admin -- ./dsaio_ctl run "$DEV" $W seed=7
ran "CAP_SYS_ADMIN, owner: write runs"

# root: both
chown 0 "$DEV"
job root -- "$DEV" $R
ran "root: read runs"
job root -- "$DEV" $W seed=9
ran "root: write runs"

# files: created with the caller's credentials, in a directory it may write
if [ -n "$DSAIO_FS_EXT4" ]; then
	d=$DSAIO_FS_EXT4/dsaio-sec
	rm -rf "$d"; mkdir -p "$d/mine"
	chmod 0755 "$d"; chown $U "$d/mine"
	job $NA "dir:$d" write 4M 64K
	refused "CAP_NET_ADMIN, a directory it cannot write: file job refused" 13 \
		"DSAIO_CFG_DIR: no permission to create a file there"
	[ -z "$(ls "$d" | grep dsaio-)" ] && tap_ok "nothing created there" ||
		tap_fail "nothing created there"
	job $NA "dir:$d/mine" write 4M 64K
	ran "CAP_NET_ADMIN, its own directory: file write runs"
	rm -rf "$d"
else
	tap_skip "file jobs as uid $U" "no ext4 mounted (vm/run --fs-disk ext4:1G)"
fi

tap_check "module unloads after the group" unload_module
tap_end
