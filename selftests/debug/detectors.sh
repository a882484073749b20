#!/bin/sh
# SPDX-License-Identifier: GPL-2.0 OR MIT
#
# detectors.sh start|end: the debug kernel's bug detectors, in the test VM.
#
#   start  checks that KASAN, lockdep, kmemleak and fault injection are
#          active, then scans for and clears the kmemleak suspects left by
#          boot, so only what the tests leak is reported at the end.
#   end    scans twice (kmemleak reports an object only when two scans
#          agree and it is older than 5 s), prints every suspect as a TAP
#          comment and fails when one involves dsaio: a backtrace frame in
#          [dsaio], an unresolved module address (an unloaded module: the
#          suite loads and unloads dsaio), or "dsaio" anywhere in the report.
#          Also fails when lockdep has turned itself off (debug_locks 0: it
#          reported something, or ran out of table space).
# Prints TAP lines; the full report goes to $DSAIO_RESULTS/kmemleak.txt.
set -u

KL=/sys/kernel/debug/kmemleak
res=${DSAIO_RESULTS:-/tmp}
# TAP numbers continue from DEBUG_TAP_BASE (the runner counts lines, not
# numbers; distinct numbers keep the log readable).
n=${DEBUG_TAP_BASE:-0}

ok() { n=$((n + 1)); echo "ok $n - detectors: $*"; }
nok() { n=$((n + 1)); echo "not ok $n - detectors: $*"; rc=1; }
rc=0

debug_locks() {
	sed -n 's/^ *debug_locks: *//p' /proc/lockdep_stats 2>/dev/null
}

case "${1:-}" in
start)
	if dmesg | grep -q 'KernelAddressSanitizer initialized'; then
		ok "KASAN active"
	else
		nok "KASAN active (no 'KernelAddressSanitizer initialized' in dmesg)"
	fi
	if [ "$(debug_locks)" = 1 ]; then
		ok "lockdep active (debug_locks 1)"
	else
		nok "lockdep active (/proc/lockdep_stats debug_locks: '$(debug_locks)')"
	fi
	if [ -d /sys/kernel/debug/fail_make_request ] &&
	   [ -d /sys/kernel/debug/failslab ] &&
	   [ -d /sys/kernel/debug/fail_page_alloc ]; then
		ok "fault injection available"
	else
		nok "fault injection available (debugfs fail_* missing)"
	fi
	if echo scan >$KL 2>/dev/null; then
		echo clear >$KL
		ok "kmemleak active; boot-time suspects cleared"
	else
		nok "kmemleak active ($KL not writable: disabled?)"
	fi
	;;
end)
	if [ "$(debug_locks)" = 1 ]; then
		ok "lockdep still on at the end (debug_locks 1)"
	else
		nok "lockdep still on at the end (debug_locks '$(debug_locks)': it reported or gave up)"
	fi
	if ! echo scan >$KL 2>/dev/null; then
		nok "kmemleak scan (kmemleak disabled during the run? see dmesg)"
		dmesg | grep -i kmemleak | tail -n 5 | sed 's/^/# /'
		exit 1
	fi
	sleep 6
	echo scan >$KL
	cat $KL >/tmp/kmemleak.txt
	mkdir -p "$res" && cp /tmp/kmemleak.txt "$res/kmemleak.txt"
	total=$(grep -c '^unreferenced object' /tmp/kmemleak.txt)
	# One report per block; a block is "dsaio" when it names the module
	# or has a frame no symbol resolves (a module since unloaded).
	dsaio=$(awk '
		/^unreferenced object/ { if (blk != "" && hit) c++; blk = $0; hit = 0; next }
		{ blk = blk "\n" $0 }
		/dsaio/ { hit = 1 }
		/\[<[0-9a-f]+>\] 0x[0-9a-f]+/ { hit = 1 }
		END { if (blk != "" && hit) c++; print c + 0 }' /tmp/kmemleak.txt)
	sed 's/^/# kmemleak: /' /tmp/kmemleak.txt
	if [ "$dsaio" = 0 ]; then
		ok "kmemleak: no leak involving dsaio ($total unrelated suspects)"
	else
		nok "kmemleak: $dsaio of $total suspected leaks involve dsaio"
	fi
	;;
*)
	echo "usage: detectors.sh start|end" >&2
	exit 2
	;;
esac
exit $rc
