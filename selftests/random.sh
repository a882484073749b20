#!/bin/sh
# SPDX-License-Identifier: GPL-2.0 OR MIT
# Random order (DSAIO_CFG_RANDOM): on a memory-backed null_blk, a random
# validated write covers every block once (a sequential validated read of
# the fresh device finds no block left zero) and vice versa; a random read
# of another seed's data mismatches everywhere; exact bytes and requests;
# the order really is not sequential (the device's merged share: ~0 random,
# most of the requests sequential, merges on); the file engine on each
# mounted filesystem; dsaio-user --random with the kernel and libaio
# engines; bad values refused with the attribute named.
. "$(dirname "$0")/lib.sh"
group_begin
group_load
DEV=$(nullb_create dsaio_rnd memory_backed=1 size=64) || skip_all "null_blk unavailable"
GROUP_NULLBS=dsaio_rnd
out=$TMPD/out
IO=8M BS=4K NREQ=2048	# 8M in 4K requests

# job NAME DEV OP key=val...: a run that must end done with exact counts.
job() {
	_n=$1 _d=$2 _op=$3; shift 3
	dsaio_ctl run "$_d" "$_op" $IO $BS qd=16 threads=2 "$@" > "$out" 2>&1
	tap_check "$_n: done, every byte and request once" \
		[ "$(kv "$out" state)" = done -a "$(kv "$out" bytes)" = $((8 << 20)) \
		  -a "$(kv "$out" requests)" = $NREQ -a "$(kv "$out" errors)" = 0 ]
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
tap_check "another seed's pattern mismatches every block ($(mism) of $NREQ)" \
	[ "$(mism)" = $NREQ ]

# 3. Not sequential: the block layer merges a sequential batch, not this.
# reads completed and reads merged: fields 1 and 2 of the disk's stat.
stat_of() { awk '{ print $1, $2 }' "/sys/block/$(basename "$DEV")/stat"; }
share() { # OUTVAR key=val...: per mille of this run's reads merged
	set -- "$1" "$(stat_of)" "$@"
	_v=$1 _s0=$2; shift 2
	dsaio_ctl run "$DEV" read $IO $BS qd=32 "$@" > "$out" 2>&1
	set -- $_s0 $(stat_of)
	eval "$_v=$(( ($4 - $2) * 1000 / ($3 - $1 + $4 - $2 + 1) ))"
}
share seq
share rnd random=1
diag "merged share: sequential $seq, random $rnd per mille"
tap_check "sequential 4K reads merge (share $seq per mille >= 500)" [ "$seq" -ge 500 ]
tap_check "random 4K reads do not (share $rnd per mille <= 20)" [ "$rnd" -le 20 ]

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
