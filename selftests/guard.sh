#!/bin/sh
# SPDX-License-Identifier: GPL-2.0 OR MIT
# Destructive-write guard: a write to a device held by an open dm target or
# a mounted filesystem fails with EBUSY and writes nothing; a write without
# allow-write is refused before any I/O; reads of a held device still work.
. "$(dirname "$0")/lib.sh"
group_begin

MNT=$TMPD/mnt

# the mount and the dm device, if the group ends while they exist;
# dsaio_mem (section 2) once the module has let go of it
group_cleanup() {
	umount "$MNT" 2>/dev/null
	dm_helper remove dsaio_hold >/dev/null 2>&1
}
GROUP_NULLBS=dsaio_mem

modprobe dm-mod 2>/dev/null
group_load
setup_nullbs || skip_all "null_blk not available"
out=$TMPD/out
njobs() { dsaio_ctl dump | wc -l; }

# refused_busy DEV OFFSET: a write job is refused with EBUSY, nothing
# written to [OFFSET, OFFSET + 4 MiB), no job created.
refused_busy() {
	before=$(dsaio_ctl cksum "$1" "$2" 4M) || return 1
	jobs0=$(njobs)
	dsaio_ctl run "$1" write 4M 128K offset="$2" allow=1 > "$out" 2>&1
	rc=$?
	diag "$(tr '\n' ' ' < "$out")"
	after=$(dsaio_ctl cksum "$1" "$2" 4M) || return 1
	[ $rc -eq 3 ] && [ "$(kv "$out" start_error)" = -16 ] &&
		[ -n "$(kv "$out" extack)" ] &&
		[ "$before" = "$after" ] && [ "$jobs0" -eq "$(njobs)" ]
}

# 1. held by an open dm target
if NVME=$(scratch_nvme); then
	held=$NVME; off=3584M; sect_off=7340032
else
	held=$DSAIO_NULLB; off=0; sect_off=0
fi
if [ -c /dev/mapper/control ] &&
   dm=$(dm_helper create dsaio_hold "0 131072 linear $held $sect_off"); then
	tap_check "write to a device held by dm: EBUSY, nothing written" \
		refused_busy "$held" "$off"
	dsaio_ctl run "$held" read 4M 128K offset="$off" > "$out" 2>&1
	tap_check "read of a device held by dm: allowed" \
		[ $? -eq 0 -a "$(kv "$out" state)" = "done" ]
	dm_helper remove dsaio_hold
	dsaio_ctl run "$held" write 4M 128K offset="$off" allow=1 > "$out" 2>&1
	tap_check "write once dm let go: allowed" \
		[ $? -eq 0 -a "$(kv "$out" state)" = "done" ]
else
	tap_skip "write to a device held by dm" "device-mapper not available"
fi

# 2. a mounted filesystem on a memory-backed null_blk
if ! command -v mke2fs >/dev/null 2>&1; then
	tap_skip "write to a mounted device" "no mke2fs in this system"
elif mem=$(nullb_create dsaio_mem size=64 memory_backed=1) &&
     mke2fs -q "$mem" >/dev/null 2>&1 && mkdir -p "$MNT" && mount -t ext2 "$mem" "$MNT"; then
	echo data > "$MNT/file" && sync
	tap_check "write to a mounted device: EBUSY, nothing written" \
		refused_busy "$mem" 0
	dsaio_ctl run "$mem" read 4M 128K > "$out" 2>&1
	tap_check "read of a mounted device: allowed" \
		[ $? -eq 0 -a "$(kv "$out" state)" = "done" ]
	umount "$MNT"
	tap_check "filesystem intact after the refused write" \
		sh -c "mount -t ext2 '$mem' '$MNT' && grep -q data '$MNT/file' && umount '$MNT'"
else
	tap_skip "write to a mounted device" "could not make or mount ext2"
fi

# 3. no allow-write: refused (EPERM) before any I/O
dev=$DSAIO_NULLB
[ -n "$mem" ] && [ -b "$mem" ] && dev=$mem
for how in missing off; do
	before=$(dsaio_ctl cksum "$dev" 0 4M)
	jobs0=$(njobs)
	if [ $how = missing ]; then
		dsaio_ctl run "$dev" write 4M 128K > "$out" 2>&1
	else
		dsaio_ctl run "$dev" write 4M 128K allow=off > "$out" 2>&1
	fi
	rc=$?
	diag "allow-write $how: $(tr '\n' ' ' < "$out")"
	tap_check "write with allow-write $how: EPERM with a message" \
		[ $rc -eq 3 -a "$(kv "$out" start_error)" = -1 -a -n "$(kv "$out" extack)" ]
	tap_check "write with allow-write $how: nothing written, no job" \
		[ "$before" = "$(dsaio_ctl cksum "$dev" 0 4M)" -a "$jobs0" -eq "$(njobs)" ]
done

tap_check "module unloads" unload_module 60
tap_end
