#!/bin/sh
# SPDX-License-Identifier: GPL-2.0 OR MIT
# Poll: DSAIO_CFG_POLL on a null_blk with a poll queue. A polled write and
# its validating read move every byte, and every bio of the one worker is
# completed by its own bio_poll() (DSAIO_RES_POLLED = DSAIO_RES_BIOS: a bio
# without REQ_POLLED ends in the block softirq and counts 0); the same job
# unpolled counts none; four polled workers sharing the one poll queue
# move every byte; a polled job cancels; JOB_START refuses a device
# without poll queues, a file target, and more bios in flight than the
# device's nr_requests, each with its sentence. With dsaio-user: --poll in
# the JSON echo and its own refusals.
. "$(dirname "$0")/lib.sh"
group_begin
GROUP_NULLBS="dsaio_poll dsaio_nopoll"
TOOL=${DSAIO_USER:-$(command -v dsaio-user)}
out=$TMPD/out
group_load

# memory-backed so the validating read sees what the write left; 64 tags
PB=$(nullb_create dsaio_poll poll_queues=1 memory_backed=1 hw_queue_depth=64) ||
	skip_all "null_blk without poll_queues"
NB=$(nullb_create dsaio_nopoll poll_queues=0) || skip_all "null_blk unavailable"
diag "polled $PB (nr_requests $(cat /sys/block/${PB#/dev/}/queue/nr_requests)," \
	"io_poll $(cat /sys/block/${PB#/dev/}/queue/io_poll)), unpolled $NB"

# run_ok NAME BYTES ARGS...: a dsaio_ctl run that is done, error 0, with
# BYTES bytes and no mismatch
run_ok() {
	_name=$1 _bytes=$2; shift 2
	dsaio_ctl run "$@" timeout=60000 > "$out" 2>&1
	if [ "$(kv "$out" state)" = done ] && [ "$(kv "$out" error)" = 0 ] &&
	   [ "$(kv "$out" bytes)" = "$_bytes" ] &&
	   [ "$(kv "$out" mismatches)" = 0 ]; then
		tap_ok "$_name"
	else
		diag "$(tr '\n' ' ' < "$out")"
		tap_fail "$_name"
	fi
}

# every bio of the one worker polled, and there were bios
all_polled() {
	_b=$(kv "$out" bios) _p=$(kv "$out" polled)
	diag "bios=$_b polled=$_p"
	[ -n "$_b" ] && [ "$_b" -gt 0 ] && [ "$_p" = "$_b" ]
}

run_ok "polled validating write, 16M in 4K, qd 32" 16777216 \
	"$PB" write 16M 4K qd=32 validate=1 seed=7 allow=1 poll=1
tap_check "every bio of the write reaped by the worker's own poll" all_polled
run_ok "polled validating read of it, 1M requests (bios of the queue's size), a warm-up loop" \
	16777216 "$PB" read 16M 1M qd=4 validate=1 seed=7 warmup=1 poll=1
tap_check "every bio of the read reaped by the worker's own poll (warm-up left out of both)" all_polled
run_ok "the same read unpolled" 16777216 "$PB" read 16M 1M qd=4 validate=1 seed=7
tap_check "unpolled: no completion counted as polled" \
	test "$(kv "$out" polled)" = 0
run_ok "4 polled workers on the one poll queue, qd 8, 3 loops" 50331648 \
	"$PB" read 16M 4K qd=8 threads=4 loops=3 poll=1
tap_check "4 workers: polls reaped completions" \
	test "$(kv "$out" polled)" -gt 0

# refused NAME SENTENCE-PART ARGS...: JOB_START refuses, its extack says so
refused() {
	_name=$1 _why=$2; shift 2
	dsaio_ctl run "$@" > "$out" 2>&1
	if [ -n "$(kv "$out" start_error)" ] && grep -q "^extack=.*$_why" "$out"; then
		tap_ok "$_name"
	else
		diag "$(tr '\n' ' ' < "$out")"
		tap_fail "$_name"
	fi
}
refused "refused: a device without poll queues" "has no poll queues" \
	"$NB" read 1M 4K poll=1
refused "refused: a file target" "needs block device targets" \
	"dir:$TMPD" read 1M 4K poll=1
refused "refused: qd 128 on 64 requests" "over the device's nr_requests" \
	"$PB" read 16M 4K qd=128 poll=1

# A polled job cancels within its stop grace like any other.
if hold_running "$PB" read 1G 4K qd=32 loops=1000 poll=1; then
	tap_check "a polled job cancels" cancel_ended "$id"
	kill "$holder" 2>/dev/null; wait "$holder" 2>/dev/null
else
	tap_fail "a polled job runs"
fi

if [ -n "$TOOL" ] && [ -x "$TOOL" ]; then
	"$TOOL" run --dev "$PB" --op read --block-size 4K --queue-depth 16 \
		--io-size 8M --loops 1 --warmup-loops 0 --poll --json > "$out" 2>&1
	tap_check "dsaio-user run --poll: JSON echoes poll and counts polled bios" \
		sh -c "grep -q '\"poll\": *true' '$out' &&
		       grep -q '\"polled_bios\": *[1-9]' '$out'"
	"$TOOL" run --engine libaio --dev "$PB" --op read --io-size 8M --poll > "$out" 2>&1
	tap_check "dsaio-user: --poll with --engine libaio is a usage error" \
		sh -c "[ $? = 2 ] && grep -q 'poll' '$out'"
else
	tap_skip "dsaio-user run --poll" "dsaio-user not found (set DSAIO_USER)"
fi

tap_check "module unloads after the group" unload_module
tap_end
