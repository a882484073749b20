#!/bin/sh
# SPDX-License-Identifier: GPL-2.0 OR MIT
# Lifecycle: rmmod refused while jobs run; SIGKILL of the client cancels its
# job; concurrent jobs on two devices; a second writer gets EBUSY and the
# claim is released when the job ends; 1000 start/cancel cycles and 50
# load/unload cycles without unreclaimable slab growth ($LIFECYCLE_CYCLES
# and $LIFECYCLE_LOADS: fewer under the debug kernel, where kmemleak, not
# the slab figure, judges leaks and each cycle costs ten times as much).
. "$(dirname "$0")/lib.sh"
group_begin

SLAB_TOLERANCE_KB=${SLAB_TOLERANCE_KB:-1024}

# the clients holding jobs, if the group ends while they run
group_cleanup() {
	[ -n "$holder" ] && kill -9 "$holder" 2>/dev/null
	[ -n "$holder2" ] && kill -9 "$holder2" 2>/dev/null
}

group_load
setup_nullbs || skip_all "null_blk not available"
NVME=$(scratch_nvme) || NVME=
out=$TMPD/out

# start_holder VAR ARGS...: a job held by a background dsaio_ctl. Sets the
# pid in $VAR and the job id in $id.
start_holder() {
	_var=$1; shift
	# Empty the file first, here: the background child truncates it only
	# once it runs, and until then grep would see an earlier holder's id.
	: > "$TMPD/holder.$_var"
	dsaio_ctl start "$@" > "$TMPD/holder.$_var" 2>&1 &
	eval "$_var=$!"
	i=0
	while [ $i -lt 50 ] && ! grep -q '^id=\|^start_error' "$TMPD/holder.$_var"; do
		sleep 0.1; i=$((i + 1))
	done
	id=$(kv "$TMPD/holder.$_var" id)
	[ -n "$id" ] || { diag "$(cat "$TMPD/holder.$_var")"; return 1; }
}

stop() { [ -n "$1" ] && kill -9 "$1" 2>/dev/null; wait "$1" 2>/dev/null; }

# 1. rmmod while two jobs run (a slow read and a long write): refused at
#    once, the jobs go on; once they are cancelled, the module unloads.
if start_holder holder "$DSAIO_SLOW" read 256M 4K qd=4 && id1=$id &&
   start_holder holder2 "$DSAIO_NULLB" write 4G 4K qd=32 threads=4 allow=1 \
	loops=50; then
	sleep 1
	s1=$(dsaio_ctl get "$id1" | sed -n 's/^state=//p')
	s2=$(dsaio_ctl get "$id" | sed -n 's/^state=//p')
	diag "before rmmod: job $id1 $s1, job $id $s2"
	tap_check "both jobs running when rmmod starts" [ "$s1" = running -a "$s2" = running ]
	tap_check "rmmod while two jobs run fails at once, refcount 2" rmmod_refused 2
	s1=$(dsaio_ctl get "$id1" | sed -n 's/^state=//p')
	s2=$(dsaio_ctl get "$id" | sed -n 's/^state=//p')
	tap_check "both jobs still running after the refused rmmod" \
		[ "$s1" = running -a "$s2" = running ]
	tap_check "the slow read cancelled" cancel_ended "$id1"
	tap_check "the long write cancelled" cancel_ended "$id"
	t0=$(date +%s)
	if unload_module 60; then
		tap_ok "rmmod once the jobs ended ($(( $(date +%s) - t0 )) s)"
	else
		tap_fail "rmmod once the jobs ended"
	fi
	tap_check "module gone after rmmod" sh -c "! grep -q '^dsaio ' /proc/modules"
else
	tap_fail "rmmod while jobs run: could not start the jobs"
fi
stop "$holder"; holder=
stop "$holder2"; holder2=
group_load "reload dsaio.ko"

# 2. SIGKILL of the client cancels its job
if start_holder holder "$DSAIO_SLOW" read 256M 4K; then
	sleep 1
	kill -9 "$holder"; wait "$holder" 2>/dev/null; holder=
	if wait_ended "$id" 20; then
		diag "$(tr '\n' ' ' < "$out")"
		tap_check "SIGKILL of the client: job cancelled" [ "$(kv "$out" state)" = cancelled ]
		tap_check "SIGKILL of the client: partial bytes kept" \
			[ "$(kv "$out" bytes)" -lt $((256 * 1024 * 1024)) ]
	else
		tap_fail "SIGKILL of the client: job ended"
	fi
else
	tap_fail "SIGKILL of the client: could not start the job"
fi

# 3. concurrent jobs on two devices
if [ -n "$NVME" ]; then
	dev_a=$NVME; args_a="write 32M 1M qd=8 offset=3G allow=1"; bytes_a=33554432
else
	dev_a=$DSAIO_SLOW; args_a="read 4M 4K"; bytes_a=4194304
fi
# shellcheck disable=SC2086
dsaio_ctl run "$dev_a" $args_a > "$TMPD/a" 2>&1 &
pa=$!
dsaio_ctl run "$DSAIO_NULLB" write 64M 128K qd=16 threads=2 allow=1 > "$TMPD/b" 2>&1
rb=$?
wait $pa
ra=$?
diag "A: $(tr '\n' ' ' < "$TMPD/a")"
diag "B: $(tr '\n' ' ' < "$TMPD/b")"
tap_check "concurrent jobs: $dev_a done with exact bytes" \
	[ $ra -eq 0 -a "$(kv "$TMPD/a" state)" = "done" -a "$(kv "$TMPD/a" bytes)" = $bytes_a ]
tap_check "concurrent jobs: $DSAIO_NULLB done with exact bytes" \
	[ $rb -eq 0 -a "$(kv "$TMPD/b" state)" = "done" -a "$(kv "$TMPD/b" bytes)" = 67108864 ]

# 4. a second writer on the same device: EBUSY; readers still welcome;
#    the claim is released as soon as the first job ends
if start_holder holder "$DSAIO_SLOW" write 256M 4K allow=1; then
	dsaio_ctl run "$DSAIO_SLOW" write 1M 4K allow=1 > "$out" 2>&1
	rc=$?
	diag "$(tr '\n' ' ' < "$out")"
	tap_check "second write job on the same device: EBUSY" \
		[ $rc -eq 3 -a "$(kv "$out" start_error)" = -16 ]
	tap_check "second write job: refusal has a message" [ -n "$(kv "$out" extack)" ]
	dsaio_ctl run "$DSAIO_SLOW" read 256K 4K > "$out" 2>&1
	tap_check "read job beside a writer (shared open)" \
		[ $? -eq 0 -a "$(kv "$out" state)" = "done" ]
	first=$id
	dsaio_ctl cancel "$first"
	wait_ended "$first" 20
	dsaio_ctl run "$DSAIO_SLOW" write 256K 4K allow=1 > "$out" 2>&1
	rc=$?
	diag "$(tr '\n' ' ' < "$out")"
	tap_check "write right after the first writer ended: claim released" \
		[ $rc -eq 0 -a "$(kv "$out" state)" = "done" ]
	stop "$holder"; holder=
else
	tap_fail "second writer: could not start the first job"
fi

# 5. start/cancel cycles: no slab growth
cycles=${LIFECYCLE_CYCLES:-1000}
max_results=$(dsaio_ctl info | sed -n 's/^max_results=//p')
warm=$(( ${max_results:-100} + 20 ))
[ $warm -gt 1100 ] && warm=1100
if dsaio_ctl cycles "$DSAIO_SLOW" $warm > /dev/null; then
	s0=$(slab_kb)
	t0=$(date +%s)
	dsaio_ctl cycles "$DSAIO_SLOW" "$cycles" > "$out" 2>&1
	rc=$?
	s1=$(slab_kb)
	diag "start/cancel: SUnreclaim $s0 -> $s1 KiB over $cycles cycles ($(( $(date +%s) - t0 )) s)"
	tap_check "$cycles start/cancel cycles" [ $rc -eq 0 ]
	tap_check "$cycles start/cancel cycles: slab growth < $SLAB_TOLERANCE_KB KiB" \
		[ $((s1 - s0)) -lt "$SLAB_TOLERANCE_KB" ]
else
	tap_fail "start/cancel warm-up cycles"
fi

# 6. load/unload cycles: no slab growth
loads=${LIFECYCLE_LOADS:-50}
unload_module 60
cyc() {
	n=0
	while [ $n -lt "$1" ]; do
		load_module || return 1
		dsaio_ctl info > /dev/null || return 1
		unload_module 60 || return 1
		n=$((n + 1))
	done
}
if cyc 5; then
	s0=$(slab_kb)
	t0=$(date +%s)
	cyc "$loads"
	rc=$?
	s1=$(slab_kb)
	diag "load/unload: SUnreclaim $s0 -> $s1 KiB over $loads cycles ($(( $(date +%s) - t0 )) s)"
	tap_check "$loads load/unload cycles" [ $rc -eq 0 ]
	tap_check "$loads load/unload cycles: slab growth < $SLAB_TOLERANCE_KB KiB" \
		[ $((s1 - s0)) -lt "$SLAB_TOLERANCE_KB" ]
else
	tap_fail "load/unload warm-up cycles"
fi
tap_end
