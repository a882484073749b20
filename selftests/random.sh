#!/bin/sh
# SPDX-License-Identifier: GPL-2.0 OR MIT
# Random order (DSAIO_CFG_RANDOM): on a memory-backed null_blk, a random
# validated write covers every block once (a sequential validated read of
# the fresh device finds no block left zero) and vice versa; a random read
# of another seed's data mismatches everywhere; exact bytes and requests;
# the order really is not sequential (per worker, submitted requests that
# start where the last ended, from the dsaio_request_submit tracepoint), the
# same seed the same order; the file engine on each
# mounted filesystem; dsaio-user --random with the kernel and libaio
# engines; bad values refused with the attribute named.
. "$(dirname "$0")/lib.sh"
group_begin
group_load
DEV=$(nullb_create dsaio_rnd memory_backed=1 size=64) || skip_all "null_blk unavailable"
GROUP_NULLBS=dsaio_rnd
out=$TMPD/out
IO=8M BS=4K NREQ=2048	# 8M in 4K requests
NLB=$(( (8 << 20) / $(cat "/sys/block/$(basename "$DEV")/queue/logical_block_size") ))

# job NAME DEV OP key=val...: a run of one loop (loops=N: N) that must end
# done with exact counts.
job() {
	_n=$1 _d=$2 _op=$3 _l=1; shift 3
	case " $* " in *" loops="*) _l=$(echo " $* " | sed 's/.* loops=\([0-9]*\) .*/\1/') ;; esac
	dsaio_ctl run "$_d" "$_op" $IO $BS qd=16 threads=2 "$@" > "$out" 2>&1
	tap_check "$_n: done, every byte and request once a loop" \
		[ "$(kv "$out" state)" = done -a "$(kv "$out" bytes)" = $((_l * 8 << 20)) \
		  -a "$(kv "$out" requests)" = $((_l * NREQ)) -a "$(kv "$out" errors)" = 0 ]
	[ "$(kv "$out" state)" = done ] || diag "$_n: $(tr '\n' ' ' < "$out")"
}
mism() { kv "$out" mismatches; }

# 1. Random write on the fresh (all-zero) device, checked sequentially.
job "random write" "$DEV" write random=1 validate=1 seed=11 allow=1
tap_check "random write: the config echoes random=1" [ "$(kv "$out" random)" = 1 ]
job "sequential read of it" "$DEV" read validate=1 seed=11
tap_check "no block missed or written twice (0 mismatches, got $(mism))" [ "$(mism)" = 0 ]
# 2. Vice versa: a sequential write read back in random order.
job "sequential write" "$DEV" write validate=1 seed=12 allow=1
tap_check "sequential write: random=0 by default" [ "$(kv "$out" random)" = 0 ]
job "random read of it" "$DEV" read random=1 validate=1 seed=12 loops=2
tap_check "random read finds every block (0 mismatches, got $(mism))" [ "$(mism)" = 0 ]
job "random read, another seed" "$DEV" read random=1 validate=1 seed=13
tap_check "another seed's pattern mismatches every logical block ($(mism) of $NLB)" \
	[ "$(mism)" = $NLB ]

# 3. Not sequential: per worker, how many submitted requests start where
# the worker's previous one ended (dsaio_request_submit's offset and len,
# through a tracefs instance); the merged share of the disk's stat beside.
TRACEFS=/sys/kernel/tracing
INST=$TRACEFS/instances/dsaio_random
group_cleanup() { [ -d "$INST" ] && rmdir "$INST" 2>/dev/null; }
[ -d "$TRACEFS/instances" ] || mount -t tracefs nodev "$TRACEFS" 2>/dev/null
FOLLOW_AWK='
function kv(key,   i, n, a, p) {
	n = split($0, a, " ")
	for (i = 1; i <= n; i++) {
		p = index(a[i], "=")
		if (p && substr(a[i], 1, p - 1) == key) return substr(a[i], p + 1)
	}
	return ""
}
/ dsaio_request_submit: / && kv("job") == job {
	w = kv("worker"); off = kv("offset") + 0
	n++
	if ((w in end) && end[w] == off) follows++
	end[w] = off + kv("len")
}
END { printf "%d %d\n", n, follows }'
# follows KEY=VAL...: "requests follows" of a traced 1M read (256 requests)
follows() {
	echo > "$INST/trace"
	echo 1 > "$INST/tracing_on"
	dsaio_ctl run "$DEV" read 1M 4K qd=32 threads=2 "$@" > "$out" 2>&1
	echo 0 > "$INST/tracing_on"
	awk -v job="$(kv "$out" id)" "$FOLLOW_AWK" "$INST/trace"
}
if [ -d "$TRACEFS/events/dsaio" ] && mkdir "$INST" 2>/dev/null; then
	echo 1024 > "$INST/buffer_size_kb"
	echo 1 > "$INST/events/dsaio/dsaio_request_submit/enable"
	set -- $(follows)
	tap_check "sequential: $2 of $1 requests start where the last ended" \
		[ "$1" = 256 -a "$2" = 254 ]
	set -- $(follows random=1)
	tap_check "random: $2 of $1 requests start where the last ended (<= 12)" \
		[ "$1" = 256 -a "$2" -le 12 ]
	a=$(follows random=1 seed=4) b=$(follows random=1 seed=4)
	tap_check "random: the same seed, the same count of followers ($a, $b)" [ "$a" = "$b" ]
else
	tap_skip "the order in the trace" "no tracefs or no dsaio events"
fi
stat_of() { awk '{ print $1, $2 }' "/sys/block/$(basename "$DEV")/stat"; }
for o in 0 1; do
	set -- $(stat_of)
	dsaio_ctl run "$DEV" read $IO $BS qd=32 random=$o > "$out" 2>&1
	set -- "$@" $(stat_of)
	diag "random=$o: $(($3 - $1)) reads completed, $(($4 - $2)) merged (/sys/block/$(basename "$DEV")/stat)"
	eval "merged_$o=$(( ($4 - $2) * 1000 / ($3 - $1 + $4 - $2 + 1) ))"
done
tap_check "merges on: sequential 4K reads merge (${merged_0} per mille >= 500)" \
	[ "$merged_0" -ge 500 ]
tap_check "random 4K reads do not (${merged_1} per mille <= 20)" \
	[ "$merged_1" -le 20 ]

# 4. The file engine: its set-up writes the pattern, random reads check it.
for mnt in $DSAIO_FS_MOUNTS; do
	job "file on $mnt, random validated read" "dir:$mnt" read random=1 validate=1 seed=5
	tap_check "file on $mnt: 0 mismatches (got $(mism))" [ "$(mism)" = 0 ]
	job "file on $mnt, random write" "dir:$mnt" write random=1 validate=1
done

# 5. Refusals: the attribute named, nothing started.
dsaio_ctl run "$DEV" read $IO $BS random=2 > "$out" 2>&1
tap_check "random=2 refused: $(kv "$out" extack)" \
	sh -c "grep -q '^start_error=-22' '$out' && grep -q 'DSAIO_CFG_RANDOM: not 0 or 1' '$out'"

# 6. dsaio-user --random, the kernel's and libaio's engines.
TOOL=${DSAIO_USER:-$(command -v dsaio-user)}
for eng in kernel libaio; do
	if [ -z "$TOOL" ]; then
		tap_skip "dsaio-user --random --engine $eng" "dsaio-user not found"
		continue
	fi
	"$TOOL" run --engine $eng --dev "$DEV" --op read --random --validate \
		--seed 12 --io-size 8M --block-size 4K --loops 1 --json > "$out" 2>&1
	tap_check "dsaio-user --engine $eng --random: order random, $NREQ requests, 0 mismatches" \
		sh -c "grep -q '\"order\": *\"random\"' '$out' && grep -q '\"requests\": *$NREQ,' '$out' && grep -q '\"mismatches\": *0' '$out'"
done
[ -n "$TOOL" ] && { "$TOOL" run --dev "$DEV" --op read --seed 3 > "$out" 2>&1; echo "rc=$?" >> "$out"; }
tap_check "dsaio-user: --seed without --validate or --random is a usage error" \
	sh -c "[ -z '$TOOL' ] || { grep -q 'rc=2' '$out' && grep -q -- '--validate or --random' '$out'; }"
tap_check "module unloads after the group" unload_module
tap_end
