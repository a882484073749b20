#!/bin/sh
# SPDX-License-Identifier: GPL-2.0 OR MIT
# Faults: jobs on failing devices (dm-error, dm-flakey) report their errors
# and end; a device that goes away under a job (null_blk powered off, dm
# table swapped to error and removed) ends the job with an error; a device
# that stops answering (dm suspended) lets a cancel or the owner's death end
# the job at once with the requests it holds, and rmmod fail at once until
# it resumes; nothing hangs and the module unloads.
. "$(dirname "$0")/lib.sh"
group_begin

# the holding client and the dm devices, if the group ends while they
# exist; dsaio_gone (section 3) once the module has let go of it
group_cleanup() {
	[ -n "$holder" ] && kill -9 "$holder" 2>/dev/null
	dm_helper resume dsaio_hung >/dev/null 2>&1
	[ -n "$rmmod_pid" ] && wait "$rmmod_pid" 2>/dev/null
	for d in dsaio_err dsaio_flakey dsaio_lin dsaio_hung; do
		dm_helper remove $d >/dev/null 2>&1
	done
}
GROUP_NULLBS=dsaio_gone

modprobe dm-mod 2>/dev/null
modprobe dm-flakey 2>/dev/null
[ -c /dev/mapper/control ] || skip_all "device-mapper not available"
group_load
setup_nullbs || skip_all "null_blk not available"
sectors() { cat "/sys/block/$(basename "$1")/size"; }
SLOW_SECT=$(sectors "$DSAIO_SLOW")
out=$TMPD/out

# errors_ok FILE: the job ended, every error counted, EIO among the errnos.
job_errors_ok() {
	st=$(kv "$1" state); errs=$(kv "$1" errors); en=$(kv "$1" errnos)
	diag "state=$st error=$(kv "$1" error) errors=$errs bytes=$(kv "$1" bytes) requests=$(kv "$1" requests) errnos=$en"
	case "$st" in done|failed) ;; *) return 1 ;; esac
	[ "${errs:-0}" -gt 0 ] || return 1
	case ",$en" in *",5:"*) ;; *) return 1 ;; esac
	sum=0
	for e in $(echo "$en" | tr ',' ' '); do sum=$((sum + ${e#*:})); done
	[ "$sum" -eq "$errs" ]
}

# 1. dm-error under a read and a write job
if dev=$(dm_helper create dsaio_err "0 $SLOW_SECT error"); then
	for op in read write; do
		allow=0; [ $op = write ] && allow=1
		if timeout 90 dsaio_ctl run "$dev" $op 4M 128K qd=4 threads=2 \
			allow=$allow timeout=60000 > "$out"; then
			tap_check "dm-error $op: no bytes transferred" \
				[ "$(kv "$out" bytes)" = 0 ]
			tap_check "dm-error $op: error accounting" job_errors_ok "$out"
		else
			diag "$(cat "$out")"
			tap_fail "dm-error $op: job did not end in 60 s"
		fi
	done
	tap_check "dm-error device removed" dm_helper remove dsaio_err
else
	tap_skip "dm-error" "cannot create the dm device"
fi

# 2. dm-flakey over the slow null_blk: 1 s up, 1 s down; ~3.2 s of I/O
if dev=$(dm_helper create dsaio_flakey "0 $SLOW_SECT flakey $DSAIO_SLOW 0 1 1"); then
	for op in read write; do
		allow=0; [ $op = write ] && allow=1
		if timeout 90 dsaio_ctl run "$dev" $op 12800K 4K allow=$allow \
			timeout=60000 > "$out" 2>&1; then
			tap_check "dm-flakey $op: errors reported" job_errors_ok "$out"
			b=$(kv "$out" bytes); e=$(kv "$out" errors); r=$(kv "$out" requests)
			diag "flakey $op: bytes=$b errors=$e requests=$r"
			if [ "$(kv "$out" state)" = "done" ]; then
				tap_check "dm-flakey $op: good + failed requests = all" \
					[ $((b / 4096 + e)) -eq 3200 -a "$r" -eq 3200 ]
			else
				tap_check "dm-flakey $op: job ended early with an error" \
					[ "$(kv "$out" error)" -lt 0 ]
			fi
		else
			diag "$(cat "$out")"
			tap_fail "dm-flakey $op: job did not end in 60 s"
		fi
	done
	tap_check "dm-flakey device removed" dm_helper remove dsaio_flakey
else
	tap_skip "dm-flakey" "cannot create the dm device"
fi

stop_holder() { kill -9 "$holder" 2>/dev/null; wait "$holder" 2>/dev/null; holder=; }

# 3. the device disappears under the job (null_blk powered off)
if gone=$(nullb_create dsaio_gone irqmode=2 completion_nsec=1000000) &&
   start_holder "$gone" read 64M 4K qd=4; then
	sleep 1
	t0=$(date +%s)
	echo 0 > "$CONFIGFS/nullb/dsaio_gone/power"
	if wait_ended "$id" 30; then
		diag "$(tr '\n' ' ' < "$out")"
		tap_ok "device removed: job ended ($(( $(date +%s) - t0 )) s)"
		tap_check "device removed: job reports the error" sh -c \
			"[ '$(kv "$out" state)' = failed ] || [ '$(kv "$out" errors)' -gt 0 ]"
		tap_check "device removed: fewer bytes than asked" \
			[ "$(kv "$out" bytes)" -lt $((64 * 1024 * 1024)) ]
	else
		diag "$(cat "$out")"
		tap_fail "device removed: job ended"
	fi
	stop_holder
	nullb_remove dsaio_gone
else
	tap_fail "device removed: could not start the job"
	stop_holder
fi

# 4. dm device removed during a job: table swapped to error (as
#    dmsetup remove --force does), then a deferred remove
if dev=$(dm_helper create dsaio_lin "0 $SLOW_SECT linear $DSAIO_SLOW 0") &&
   start_holder "$dev" read 64M 4K qd=4; then
	sleep 1
	dm_helper reload dsaio_lin "0 $SLOW_SECT error" &&
		dm_helper remove dsaio_lin deferred
	if wait_ended "$id" 30; then
		diag "$(tr '\n' ' ' < "$out")"
		tap_ok "dm removed: job ended"
		tap_check "dm removed: job reports the error" sh -c \
			"[ '$(kv "$out" state)' = failed ] || [ '$(kv "$out" errors)' -gt 0 ]"
	else
		diag "$(cat "$out")"
		tap_fail "dm removed: job ended"
	fi
	stop_holder
	# the module released the device, so the deferred removal completes
	i=0
	while [ -b "$dev" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
	tap_check "dm removed: device released after the job" [ ! -b "$dev" ]
else
	tap_fail "dm removed: could not start the job"
	stop_holder
fi

# 5. a device that stops answering: dm-linear over the slow null_blk,
#    suspended under a read job (its bios queue in dm until the resume).
#    The stop (a cancel, then the owner's SIGKILL) ends the job within
#    seconds, cancelled, with the requests the device holds; rmmod fails
#    at once while they are held; on resume they end, the count drops to 0
#    and the device is let go (so it can be removed).
# held_ended ID WHAT: the job ended cancelled within 4 s, holding requests.
held_ended() {
	t0=$(date +%s)
	if wait_ended "$1" 4; then
		diag "$2: $(tr '\n' ' ' < "$out")"
		tap_ok "suspended dm, $2: the job ended ($(( $(date +%s) - t0 )) s)"
		tap_check "suspended dm, $2: cancelled" [ "$(kv "$out" state)" = cancelled ]
		tap_check "suspended dm, $2: requests held by the device" \
			[ "$(kv "$out" held)" -gt 0 ]
	else
		diag "$2: $(tr '\n' ' ' < "$out")"
		tap_fail "suspended dm, $2: the job ended"
		return 1
	fi
}
# resumed ID WHAT: resume the device; the job's held count drops to 0.
resumed() {
	dm_helper resume dsaio_hung
	i=0
	while [ $i -lt 100 ]; do
		dsaio_ctl get "$1" > "$out" 2>&1
		[ "$(kv "$out" held)" = 0 ] && break
		sleep 0.1; i=$((i + 1))
	done
	tap_check "suspended dm, $2: resumed, nothing held" [ "$(kv "$out" held)" = 0 ]
}
rmmod_pid=
if dev=$(dm_helper create dsaio_hung "0 $SLOW_SECT linear $DSAIO_SLOW 0"); then
	if hold_running "$dev" read 64M 4K qd=4 threads=2 &&
	   timeout 20 dm_helper suspend dsaio_hung; then
		dsaio_ctl cancel "$id" > /dev/null
		held_ended "$id" cancel
		# busybox rmmod: EAGAIN, "Resource temporarily unavailable".
		# In the background: a module that waits for the device would
		# hang it, uninterruptibly, until the resume below.
		rmmod dsaio > "$TMPD/rmmod" 2>&1 &
		rmmod_pid=$!
		i=0
		while kill -0 $rmmod_pid 2>/dev/null && [ $i -lt 30 ]; do
			sleep 0.1; i=$((i + 1))
		done
		if kill -0 $rmmod_pid 2>/dev/null; then
			tap_fail "suspended dm: rmmod fails at once (it waits)"
		else
			wait $rmmod_pid; rc=$?
			rmmod_pid=
			diag "rmmod: rc=$rc $(cat "$TMPD/rmmod"), refcnt $(cat /sys/module/dsaio/refcnt 2>/dev/null)"
			tap_check "suspended dm: rmmod fails at once, the module in use" \
				[ $rc -ne 0 -a "$(cat /sys/module/dsaio/refcnt 2>/dev/null)" -gt 0 ]
			tap_check "suspended dm: module still loaded" module_loaded
		fi
		resumed "$id" cancel
		[ -n "$rmmod_pid" ] && wait "$rmmod_pid" 2>/dev/null
		rmmod_pid=
	else
		tap_fail "suspended dm: could not start the job and suspend"
	fi
	stop_holder
	dm_helper resume dsaio_hung >/dev/null 2>&1
	module_loaded || load_module
	if hold_running "$dev" read 64M 4K qd=4 &&
	   timeout 20 dm_helper suspend dsaio_hung; then
		stop_holder
		held_ended "$id" "owner killed"
		resumed "$id" "owner killed"
	else
		tap_fail "suspended dm, owner killed: could not start the job and suspend"
		stop_holder
	fi
	dm_helper resume dsaio_hung >/dev/null 2>&1
	# the job let the device go once its last bio ended: it can be removed
	i=0
	while ! dm_helper remove dsaio_hung 2>/dev/null && [ $i -lt 50 ]; do
		sleep 0.1; i=$((i + 1))
	done
	tap_check "suspended dm: device released after the resume" [ ! -b "$dev" ]
else
	tap_skip "suspended dm" "cannot create the dm device"
fi

tap_check "module unloads after fault jobs" unload_module 60
tap_end
