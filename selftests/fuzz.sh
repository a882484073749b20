#!/bin/sh
# SPDX-License-Identifier: GPL-2.0 OR MIT
# Fuzz (fuzz_nl): $FUZZ_COUNT random and mutated messages (default 12,000),
# then $FUZZ_STATE_COUNT messages of the stateful mode (default 3,000:
# valid sequences on several sockets mixed with mutations; it fails unless
# jobs were seen running, done and cancelled, cancelled while running and
# after their end, refused at the job limit, left running by a closed
# socket). The module must still work and unload. Seed: $FUZZ_SEED
# (default: from the clock; printed so a failure can be replayed with
# FUZZ_SEED=N). Generated random-mode starts ask for at most $FUZZ_BUDGET
# bytes (io_size x loops, default 4 MiB): see the README's "Fuzzing".
# $FUZZ_TIME_BOX (seconds, optional) time-boxes a long run: the random mode
# may use 4/5 of it, the stateful mode what is left; each says how many
# messages it sent.
. "$(dirname "$0")/lib.sh"
group_begin
group_load
setup_nullbs || skip_all "null_blk not available"
# The stateful mode's slow jobs: 20 ms a request, so that jobs stay running
# for a second while costing the CPU little (DSAIO_SLOW's 1 ms requests kept
# both CPUs of the debug kernel busy completing them: 180 ms a message).
GROUP_NULLBS=dsaio_fuzz_slow
fuzz_slow=$(nullb_create dsaio_fuzz_slow irqmode=2 completion_nsec=20000000) ||
	fuzz_slow=$DSAIO_SLOW
seed=${FUZZ_SEED:-$(date +%s)}
count=${FUZZ_COUNT:-12000}
state_count=${FUZZ_STATE_COUNT:-3000}
budget=${FUZZ_BUDGET:-$((4 << 20))}
out=$TMPD/out
box_start=$(date +%s)
# -T for a mode that may use FIFTHS/5 of FUZZ_TIME_BOX, less what is spent
time_box() {
	[ -n "${FUZZ_TIME_BOX:-}" ] || return 0
	_left=$(( FUZZ_TIME_BOX * $1 / 5 - ($(date +%s) - box_start) ))
	[ $_left -gt 10 ] || _left=10
	echo "-T $_left"
}
sent() { sed -n 's/^# \([0-9]*\) messages in .*/\1/p' "$out"; }

t0=$(date +%s)
# shellcheck disable=SC2046 # time_box prints the option and its value
timeout "${FUZZ_TIMEOUT:-300}" fuzz_nl -m random -n "$count" -s "$seed" -b "$budget" \
	$(time_box 4) -d "$DSAIO_NULLB" > "$out" 2>&1
rc=$?
diag "$(cat "$out")"
diag "fuzz_nl random: $(( $(date +%s) - t0 )) s, exit $rc"
tap_check "random mode: $(sent) of $count messages (seed $seed), family healthy, nothing left running" \
	[ $rc -eq 0 ]

t0=$(date +%s)
# shellcheck disable=SC2046
timeout "${FUZZ_TIMEOUT:-300}" fuzz_nl -m state -n "$state_count" -s "$seed" \
	$(time_box 5) -d "$DSAIO_NULLB" -S "$fuzz_slow" > "$out" 2>&1
rc=$?
diag "$(cat "$out")"
diag "fuzz_nl state: $(( $(date +%s) - t0 )) s, exit $rc"
tap_check "state mode: $(sent) of $state_count messages (seed $seed), job states reached, family healthy" \
	[ $rc -eq 0 ]

dsaio_ctl run "$DSAIO_NULLB" read 8M 128K qd=8 threads=2 > "$out" 2>&1
tap_check "a normal job still runs exactly" \
	[ $? -eq 0 -a "$(kv "$out" state)" = "done" -a "$(kv "$out" bytes)" = 8388608 ]
tap_check "module unloads" unload_module 60
tap_end
