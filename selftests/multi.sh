#!/bin/sh
# SPDX-License-Identifier: GPL-2.0 OR MIT
# Multi: jobs over several drives at once (DSAIO_CFG_TARGETS) on the VM's
# blank drives ($DSAIO_RAW_NVMES, vm/run --raw-nvme): multi_test (figures
# per target and in total with two and four drives, validation per
# target, slices of one drive, every refusal with its entry, cancel and
# socket close, files), then a target that fails (dm-error from the
# start, and a dm table swapped to error mid-job) ends the job with that
# target named FAILED and the others CANCELLED, a drive slowed down by
# dm-delay is the slowest target and sets the job's Task; dsaio-user's
# sweep on two drives and its scaling report naming the slowed one; rmmod
# refused mid-job.
. "$(dirname "$0")/lib.sh"
group_begin

group_cleanup() {
	[ -n "$holder" ] && kill -9 "$holder" 2>/dev/null
	for d in dsaio_merr dsaio_mlin dsaio_mdelay; do
		dm_helper remove $d >/dev/null 2>&1
	done
}

# shellcheck disable=SC2086 # a list of device nodes
set -- $DSAIO_RAW_NVMES
[ $# -ge 2 ] || skip_all "fewer than two blank NVMe drives (vm/run --raw-nvme 2)"
D0=$1
D1=$2
modprobe dm-mod 2>/dev/null
group_load
export DSAIO_MULTI="$DSAIO_RAW_NVMES"
run_prog multi_test ./multi_test
out=$TMPD/out
sectors() { cat "/sys/block/$(basename "$1")/size"; }

# target_is FILE N STATE ERROR: entry N of the job in FILE ended so.
target_is() {
	_t=$(kv "$1" "target$2")
	diag "target$2: $_t"
	case "$_t" in "$3 $4 "*) return 0 ;; esac
	return 1
}

# hold TARGETS OP: a long job held by a background dsaio_ctl; sets
# $holder and $id once it runs with bytes done.
hold() { hold_running "targets:$1" "$2" 16M 4K loops=100 allow=1; }

# 1. The second drive fails every request from the start.
if dev=$(dm_helper create dsaio_merr "0 $(sectors "$D1") error"); then
	if timeout 90 dsaio_ctl run "targets:$D0,$dev" read 8M 128K qd=4 \
		threads=2 loops=3 timeout=60000 > "$out" 2>&1; then
		diag "state=$(kv "$out" state) error=$(kv "$out" error)"
		tap_check "dm-error entry: the job fails with EIO" \
			[ "$(kv "$out" state)" = failed -a "$(kv "$out" error)" = -5 ]
		tap_check "dm-error entry: that target is named FAILED, EIO" \
			target_is "$out" 1 failed -5
		tap_check "dm-error entry: the other one CANCELLED" \
			target_is "$out" 0 cancelled 0
	else
		diag "$(cat "$out")"
		tap_fail "dm-error entry: job did not end in 60 s"
	fi
	tap_check "dm-error device removed" dm_helper remove dsaio_merr
else
	tap_skip "dm-error entry" "cannot create the dm device"
fi

# 2. The second drive goes bad in the middle of a job (its table swapped).
if lin=$(dm_helper create dsaio_mlin "0 $(sectors "$D1") linear $D1 0"); then
	if hold "$D0,$lin" read; then
		dm_helper reload dsaio_mlin "0 $(sectors "$D1") error"
		if wait_ended "$id" 60; then
			tap_check "drive gone bad mid-job: the job fails" \
				[ "$(kv "$out" state)" = failed ]
			tap_check "drive gone bad mid-job: that target FAILED, EIO" \
				target_is "$out" 1 failed -5
			tap_check "drive gone bad mid-job: the other one CANCELLED" \
				target_is "$out" 0 cancelled 0
		else
			tap_fail "drive gone bad mid-job: the job did not end in 60 s"
		fi
	else
		tap_fail "drive gone bad mid-job: the job did not start"
	fi
	kill -9 "$holder" 2>/dev/null
	wait "$holder" 2>/dev/null
	holder=
	tap_check "dm device removed after the job" dm_helper remove dsaio_mlin
else
	tap_skip "drive gone bad mid-job" "cannot create the dm device"
fi

# 3. One drive slowed down (dm-delay, 50 ms a request): its target is
# the slow one, and the job's Task is its Task (the slowest target's).
# field N LINE: the N-th word of LINE
field() { echo "$2" | cut -d' ' -f"$1"; }
modprobe dm-delay 2>/dev/null
if slow=$(dm_helper create dsaio_mdelay "0 $(sectors "$D1") delay $D1 0 50"); then
	if timeout 90 dsaio_ctl run "targets:$D0,$slow" read 4M 128K qd=4 \
		loops=2 timeout=60000 > "$out" 2>&1 &&
	   [ "$(kv "$out" state)" = done ]; then
		t0=$(field 5 "$(kv "$out" target0)")
		t1=$(field 5 "$(kv "$out" target1)")
		diag "task: fast $t0 ns, delayed $t1 ns, job $(kv "$out" task_ns) ns"
		# 16 rounds of 4 requests, 50 ms each at least: 800 ms.
		tap_check "dm-delay drive: its target the slowest by far" \
			[ "$t1" -ge 800000000 -a "$t1" -gt $((2 * t0)) ]
		tap_check "dm-delay drive: the job's Task is its Task" \
			[ "$(kv "$out" task_ns)" = "$t1" ]
	else
		diag "$(cat "$out")"
		tap_fail "dm-delay drive: the job did not end done in 60 s"
	fi
	tap_check "dm-delay device removed" dm_helper remove dsaio_mdelay
else
	tap_skip "dm-delay drive" "no dm-delay in this kernel"
fi

# 5. The tool over the module (issue #14's acceptance): a sweep on two
# drives prints each drive's row beside the total, the scaling lines and
# the "aio" block; a run with the dm-delay drive names it the slow target.
TOOL=${DSAIO_USER:-$(command -v dsaio-user)}
if [ -n "$TOOL" ] && [ -x "$TOOL" ]; then
	printf '{"block_size": ["128K", "1M"], "queue_depth": [4], "io_parallel": [1], "single_submit": [false], "overlap_events": [true]}\n' \
		> "$TMPD/grid.json"
	if "$TOOL" sweep --dev "$D0" --dev "$D1" --allow-write --config "$TMPD/grid.json" \
		--io-size 4M --log-dir "$TMPD/logs" > "$out" 2> "$TMPD/err"; then
		tap_ok "tool: sweep --dev $D0 --dev $D1 --allow-write"
		tap_check "tool sweep: a row for each drive, twice (writes, reads)" \
			[ "$(grep -c "done *$D0\$" "$out") $(grep -c "done *$D1\$" "$out")" = "2 2" ]
		tap_check "tool sweep: the scaling lines, reads and writes" \
			sh -c "grep -q '^scaling write: 2 targets together' '$out' &&
			       grep -q '^scaling read: 2 targets together' '$out'"
		tap_check "tool sweep: the \"aio\" block" grep -q '"aio": {' "$out"
		tap_check "tool sweep: DeepSpeed's logs, t2 for two drives" \
			sh -c "ls '$TMPD/logs/_aio_bench_write_logs' | grep -q '_t2_p1_'"
	else
		diag "$(cat "$TMPD/err")"
		tap_fail "tool: sweep --dev $D0 --dev $D1 --allow-write"
	fi
	if slow=$(dm_helper create dsaio_mdelay "0 $(sectors "$D1") delay $D1 0 20"); then
		"$TOOL" run --dev "$D0" --dev "$slow" --op read --io-size 4M \
			--block-size 128K --queue-depth 4 --loops 1 --warmup-loops 0 \
			> "$out" 2> "$TMPD/err"
		_rc=$?
		diag "$(grep -i 'scaling\|slow target\|bottleneck' "$out")"
		tap_check "tool run with a dm-delay drive: ends 0" [ "$_rc" -eq 0 ]
		tap_check "tool run with a dm-delay drive: the scaling report names it" \
			grep -q "^slow target (read): $slow gave" "$out"
		tap_check "tool run with a dm-delay drive: and not the fast one" \
			sh -c "! grep -q '^slow target (read): $D0 ' '$out'"
		dm_helper remove dsaio_mdelay || tap_fail "dm-delay device removed after the tool's run"
	else
		tap_skip "tool run with a dm-delay drive" "no dm-delay in this kernel"
	fi
else
	tap_skip "tool over the module on two drives" "dsaio-user not found (set DSAIO_USER)"
fi

# 4. rmmod while a write job runs on two drives: refused; after the
#    cancel, the module unloads.
if hold "$D0,$D1" write; then
	tap_check "rmmod in the middle of a two-drive write job fails at once" \
		rmmod_refused 1
	tap_check "the two-drive write job cancelled" cancel_ended "$id"
	tap_check "rmmod after the two-drive job" unload_module 60
else
	tap_fail "rmmod mid-job: the job did not start"
fi
kill -9 "$holder" 2>/dev/null
wait "$holder" 2>/dev/null
holder=

tap_check "module unloads after the group" unload_module
tap_end
