#!/bin/sh
# SPDX-License-Identifier: GPL-2.0 OR MIT
# Trace: the dsaio tracepoints, read through a tracefs instance, prove the
# engine's submission semantics request by request, not only its totals:
# with overlap_events a refill goes down before the batch has drained and
# in-flight never exceeds queue_depth; sequential, no request of batch k+1
# goes down before every request of batch k completed; block submission is
# one block plug per batch (block:block_plug), single submission never
# gathers two requests in a plug; job_start/job_end carry the job's id,
# configuration and bytes, and there is one complete event per request.
# The trace is ordered by tracefs's global clock, so events of different
# CPUs (a completion's interrupt, the worker) compare. Skips when the
# kernel has no tracing.
. "$(dirname "$0")/lib.sh"
group_begin

TRACEFS=/sys/kernel/tracing
INST=$TRACEFS/instances/dsaio_selftest
grep -qw tracefs /proc/filesystems || skip_all "kernel without tracefs (CONFIG_TRACING off)"
[ -d "$TRACEFS/instances" ] || mount -t tracefs nodev "$TRACEFS" 2>/dev/null
[ -d "$TRACEFS/instances" ] || skip_all "tracefs does not mount at $TRACEFS"

group_cleanup() {
	[ -d "$INST" ] && rmdir "$INST" 2>/dev/null
}

group_load
[ -d "$TRACEFS/events/dsaio" ] || { diag "no events/dsaio: the module was built without tracepoints"; tap_fail "dsaio events in tracefs"; tap_end; }
tap_ok "dsaio events in tracefs"
rmdir "$INST" 2>/dev/null
mkdir "$INST" || { tap_fail "a tracefs instance"; tap_end; }
echo global > "$INST/trace_clock"
echo 1024 > "$INST/buffer_size_kb"
echo 1 > "$INST/events/dsaio/enable"
for e in block_plug block_unplug; do
	[ -d "$INST/events/block/$e" ] && echo 1 > "$INST/events/block/$e/enable"
done

# A slow device (1 ms a request) that takes only 3 requests at a time
# (hw_queue_depth): of a batch of 4, 3 complete and one is still in flight,
# so a worker's refill meets its batch part drained. (A fixed delay alone
# completes a whole batch at once; null_blk's mbps limit warns in 6.1.)
SLOW=$(nullb_create dsaio_tr_slow irqmode=2 completion_nsec=1000000 hw_queue_depth=3) || skip_all "null_blk unavailable"
FAST=$(nullb_create dsaio_tr_fast) || skip_all "null_blk unavailable"
GROUP_NULLBS="dsaio_tr_slow dsaio_tr_fast"
out=$TMPD/out
tr=$TMPD/trace
facts=$TMPD/facts

# Reads a trace for job $1 and prints key=value facts about it. Per worker:
# in flight = its submits - its completes so far; a submit is "early" when a
# request of an earlier batch (a batch begins at dsaio_batch_begin) is still
# in flight; plugs and unplugs are the block layer's events in that
# worker's thread (comm dsaio/JOB:WORKER).
TRACE_AWK='
function kv(key,   i, n, a, p) {
	n = split($0, a, " ")
	for (i = 1; i <= n; i++) {
		p = index(a[i], "=")
		if (p && substr(a[i], 1, p - 1) == key) return substr(a[i], p + 1)
	}
	return ""
}
{
	if (!match($0, / [a-z_]+: /)) next
	ev = substr($0, RSTART + 1, RLENGTH - 3)
}
ev == "block_plug" || ev == "block_unplug" {
	if (index($0, "[dsaio/" job ":")) { if (ev == "block_plug") plugs++; else unplugs++ }
	next
}
kv("job") != job { next }
ev == "dsaio_job_start" { starts++; start_qd = kv("queue_depth"); start_bs = kv("block_size"); start_ss = kv("single_submit"); start_ov = kv("overlap_events"); start_io = kv("io_size") }
ev == "dsaio_job_end" { ends++; end_bytes = kv("bytes"); end_requests = kv("requests"); end_state = kv("state") }
ev == "dsaio_batch_begin" { w = kv("worker"); batch[w]++; older[w] = inflight[w]; batches++; if (kv("plugged") == 1) plugged++ }
ev == "dsaio_request_submit" {
	w = kv("worker"); off = kv("offset")
	submits++
	if (older[w] > 0) early++
	of[w, off] = batch[w]
	if (++inflight[w] > maxinfl) maxinfl = inflight[w]
	if (!seen[w]++) workers++
}
ev == "dsaio_request_complete" {
	w = kv("worker"); off = kv("offset")
	completes++
	if (kv("error") == 0) cbytes += kv("len")
	if (of[w, off] < batch[w]) older[w]--
	if (--inflight[w] < 0) negative++
}
END {
	printf "starts=%d\nends=%d\nstart_qd=%s\nstart_bs=%s\nstart_ss=%s\nstart_ov=%s\nstart_io=%s\n", starts, ends, start_qd, start_bs, start_ss, start_ov, start_io
	printf "end_bytes=%s\nend_requests=%s\nend_state=%s\n", end_bytes, end_requests, end_state
	printf "submits=%d\ncompletes=%d\ncbytes=%d\nmaxinfl=%d\nearly=%d\nnegative=%d\n", submits, completes, cbytes, maxinfl, early, negative
	printf "batches=%d\nplugged=%d\nplugs=%d\nunplugs=%d\nworkers=%d\n", batches, plugged, plugs, unplugs, workers
}'

# traced NAME DEV IO_SIZE BS key=val...: a read job run with the instance
# tracing, its trace in $tr, its facts in $facts; false when it failed.
traced() {
	_n=$1 _d=$2 _io=$3 _bs=$4; shift 4
	echo > "$INST/trace"
	echo 1 > "$INST/tracing_on"
	dsaio_ctl run "$_d" read "$_io" "$_bs" "$@" > "$out" 2>&1
	_rc=$?
	echo 0 > "$INST/tracing_on"
	cat "$INST/trace" > "$tr"
	id=$(kv "$out" id)
	awk -v job="$id" "$TRACE_AWK" "$tr" > "$facts"
	diag "$_n: job $id: $(tr '\n' ' ' < "$facts")"
	if [ "$_rc" -ne 0 ] || [ "$(kv "$out" state)" != done ]; then
		diag "dsaio_ctl run $_d read $_io $_bs $*: $(tr '\n' ' ' < "$out")"
		return 1
	fi
	grep -q 'LOST EVENTS' "$tr" && diag "$_n: the trace lost events"
	return 0
}
f() { kv "$facts" "$1"; }

# What every traced job must show: its start and end events with its id,
# configuration and bytes, one submit and one complete per request, never
# more in flight than queue_depth (nor a complete before its submit).
check_job() { # NAME QD BS IO
	tap_check "$1: one job_start and one job_end with the job's id" \
		[ "$(f starts)" = 1 -a "$(f ends)" = 1 ]
	tap_check "$1: job_start carries queue_depth, block_size, io_size" \
		[ "$(f start_qd)" = "$2" -a "$(f start_bs)" = "$3" -a "$(f start_io)" = "$4" ]
	tap_check "$1: job_end carries the job's bytes and requests" \
		[ "$(f end_bytes)" = "$(kv "$out" bytes)" -a "$(f end_requests)" = "$(kv "$out" requests)" -a "$(f end_state)" = done ]
	tap_check "$1: one complete event per request" \
		[ "$(f completes)" = "$(kv "$out" requests)" -a "$(f submits)" = "$(f completes)" ]
	tap_check "$1: the complete events' bytes are the job's" \
		[ "$(f cbytes)" = "$(kv "$out" bytes)" ]
	tap_check "$1: in flight never above queue_depth $2 (max $(f maxinfl))" \
		[ "$(f maxinfl)" -le "$2" -a "$(f maxinfl)" -gt 0 -a "$(f negative)" = 0 ]
}

# 1. Overlap on the slow device: refills go down while the batch drains,
# and the queue fills to queue_depth.
# 8M in 64K requests: 128, 64 per worker.
if traced overlap "$SLOW" 8M 64K qd=4 threads=2 overlap=1 ss=0; then
	tap_ok "overlap: job ran"
	check_job overlap 4 65536 8388608
	tap_check "overlap: requests go down before their batch drained ($(f early) of $(f submits))" \
		[ "$(f early)" -gt 0 ]
	tap_check "overlap: in flight reaches queue_depth" [ "$(f maxinfl)" = 4 ]
	tap_check "overlap: two workers traced" [ "$(f workers)" = 2 ]
else
	tap_fail "overlap: job ran"
fi

# 2. Sequential: every batch drains before the next goes down, and there
# are exactly ceil(64 / 4) = 16 batches a worker.
if traced sequential "$SLOW" 8M 64K qd=4 threads=2 overlap=0 ss=0; then
	tap_ok "sequential: job ran"
	check_job sequential 4 65536 8388608
	tap_check "sequential: no request before the previous batch completed ($(f early) early)" \
		[ "$(f early)" = 0 ]
	tap_check "sequential: 16 batches a worker ($(f batches) for 2)" [ "$(f batches)" = 32 ]
else
	tap_fail "sequential: job ran"
fi

# 3. Block submission: one block plug per batch, in the worker's thread;
# 2M in 64K requests, queue_depth 8: 4 batches. Single submission: no plug
# gathers requests (none at all on 6.1, one per request on 6.12).
if [ ! -d "$INST/events/block/block_plug" ]; then
	tap_skip "plugs" "no block:block_plug event"
else
	for dev in "$FAST" $(scratch_nvme); do
		if traced "block $dev" "$dev" 2M 64K qd=8 threads=1 overlap=0 ss=0; then
			tap_check "block $dev: 4 batches, each plugged" \
				[ "$(f batches)" = 4 -a "$(f plugged)" = 4 ]
			tap_check "block $dev: one block_plug per batch ($(f plugs))" \
				[ "$(f plugs)" = "$(f batches)" ]
			# 6.1 traces no unplug when the driver takes the whole
			# plug list at once (queue_rqs): none, or one per plug
			tap_check "block $dev: block_unplug none or one per plug ($(f unplugs))" \
				[ "$(f unplugs)" = 0 -o "$(f unplugs)" = "$(f plugs)" ]
		else
			tap_fail "block $dev: job ran"
		fi
		if traced "single $dev" "$dev" 2M 64K qd=8 threads=1 overlap=0 ss=1; then
			tap_check "single $dev: 4 batches, none plugged" \
				[ "$(f batches)" = 4 -a "$(f plugged)" = 0 ]
			# 6.1 plugs nothing; later kernels' __submit_bio plugs
			# each bio alone when its caller has no plug: either
			# way no plug gathers two requests
			tap_check "single $dev: no plug of several requests ($(f plugs) plugs, $(f submits) requests)" \
				[ "$(f plugs)" = 0 -o "$(f plugs)" = "$(f submits)" ]
			check_job "single $dev" 8 65536 2097152
		else
			tap_fail "single $dev: job ran"
		fi
	done
fi

# 4. Off again: a job with the instance's events disabled leaves nothing.
echo 0 > "$INST/events/dsaio/enable"
if traced off "$FAST" 1M 64K qd=4; then
	tap_check "disabled: no dsaio event recorded" sh -c "! grep -q ' dsaio_' '$tr'"
else
	tap_fail "disabled: job ran"
fi

rmdir "$INST" || tap_fail "the tracefs instance goes away"
tap_check "module unloads after the group" unload_module
tap_end
