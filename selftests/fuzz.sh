#!/bin/sh
# SPDX-License-Identifier: GPL-2.0 OR MIT
# Fuzz: >= 10,000 random and mutated messages to the dsaio family (fuzz_nl),
# then the module must still work and unload. Seed: $FUZZ_SEED (default:
# from the clock; printed so a failure can be replayed).
. "$(dirname "$0")/lib.sh"
group_begin
group_load
setup_nullbs || skip_all "null_blk not available"
seed=${FUZZ_SEED:-$(date +%s)}
count=${FUZZ_COUNT:-12000}
out=$TMPD/out

t0=$(date +%s)
timeout "${FUZZ_TIMEOUT:-300}" fuzz_nl -n "$count" -s "$seed" -d "$DSAIO_NULLB" > "$out" 2>&1
rc=$?
diag "$(cat "$out")"
diag "fuzz_nl: $(( $(date +%s) - t0 )) s, exit $rc"
tap_check "$count messages (seed $seed), family healthy, nothing left running" [ $rc -eq 0 ]

dsaio_ctl run "$DSAIO_NULLB" read 8M 128K qd=8 threads=2 > "$out" 2>&1
tap_check "a normal job still runs exactly" \
	[ $? -eq 0 -a "$(kv "$out" state)" = "done" -a "$(kv "$out" bytes)" = 8388608 ]
tap_check "module unloads" unload_module 60
tap_end
