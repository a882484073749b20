#!/bin/sh
# SPDX-License-Identifier: GPL-2.0 OR MIT
# Limits: with max_threads and max_loops at the top of their ranges, jobs
# of that many workers or loops return whole, parseable results (JOB_GET
# and the JOB_STATS dump). Runs limits_test. LIMITS_TOP_LOOPS (default the
# top of the range, 100000) loads a lower max_loops for slow kernels.
# Then the size products of JOB_START on a 32 PiB null_blk (not memory
# backed): a total that would wrap 2^64 is refused with its sentence.
. "$(dirname "$0")/lib.sh"
LIMITS_TOP_LOOPS=${LIMITS_TOP_LOOPS:-100000}
export LIMITS_TOP_LOOPS
group_begin
group_cleanup() {
	[ -n "$holder" ] && kill -9 "$holder" 2>/dev/null
	nullb_remove dsaio_huge
}
load_module max_threads=1024 max_loops="$LIMITS_TOP_LOOPS" ||
	{ tap_fail "load dsaio.ko max_threads=1024 max_loops=$LIMITS_TOP_LOOPS"; tap_end; }
setup_nullbs || diag "null_blk unavailable: its cases skip"
DSAIO_NVME=$(scratch_nvme) && export DSAIO_NVME || diag "no scratch NVMe: its cases skip"
run_prog limits_test ./limits_test

out=$TMPD/out
P55=36028797018963968		# 2^55 bytes: the whole device
P51=2251799813685248		# 2^51
# refused NAME SENTENCE ARGS...: dsaio_ctl run ARGS is refused with
# -EINVAL and SENTENCE
refused() {
	_n=$1 _s=$2; shift 2
	# a job accepted by mistake is given up (and so cancelled) soon
	dsaio_ctl run "$@" timeout=3000 > "$out" 2>&1
	if [ "$(kv "$out" start_error)" = -22 ] && kv "$out" extack | grep -qF "$_s"; then
		tap_ok "$_n"
	else
		tap_fail "$_n"
		diag "$(cat "$out")"
	fi
}
WRAP="DSAIO_CFG_IO_SIZE x targets x (DSAIO_CFG_LOOPS + DSAIO_CFG_WARMUP_LOOPS): more than 2^64 - 1 bytes"
# 32 PiB = 2^35 MiB
if HUGE=$(nullb_create dsaio_huge size=34359738368 memory_backed=0); then
	refused "2^55 bytes x 1000 loops: refused" "$WRAP" \
		"$HUGE" read $P55 1M loops=1000
	refused "2^55 bytes x (1 loop + 600 warm-up loops): refused" "$WRAP" \
		"$HUGE" read $P55 1M warmup=600
	t=$HUGE
	for k in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15; do t="$t,$HUGE@$((k * P51))"; done
	refused "2^51 bytes x 16 targets x 1000 loops: refused" "$WRAP" \
		"targets:$t" read $P51 1M loops=1000
	refused "offset + io_size past 2^64: refused" \
		"DSAIO_CFG_IO_SIZE: region goes past the end of the device" \
		"$HUGE" read $P55 1M offset=18446744073709547520
	# just below: 2^55 x 511 < 2^64, accepted and running
	if hold_running "$HUGE" read $P55 1M loops=511; then
		dsaio_ctl get "$id" > "$out"
		[ "$(kv "$out" bytes_total)" = 18410715276690587648 ] &&
			tap_ok "2^55 bytes x 511 loops: runs, bytes_total exact" ||
			{ tap_fail "2^55 bytes x 511 loops: runs, bytes_total exact"; diag "$(cat "$out")"; }
	else
		tap_fail "2^55 bytes x 511 loops: runs, bytes_total exact"
		diag "$(cat "$TMPD/holder")"
	fi
	# the socket's close cancels it; the device goes once it has ended
	kill "$holder" 2>/dev/null; wait "$holder" 2>/dev/null; holder=
	[ -n "$id" ] && wait_ended "$id" 30
	nullb_remove dsaio_huge
else
	tap_skip "size products at JOB_START" "no 32 PiB null_blk"
fi
tap_check "module unloads after the group" unload_module
tap_end
