#!/bin/sh
# SPDX-License-Identifier: GPL-2.0 OR MIT
# Run the dsaio selftest groups (all, or those named) as one TAP stream:
#   ./run_tests.sh [protocol function files integrity limits faults lifecycle guard fuzz tool engines multi security trace poll random]
# Each test case is one "ok N - group: name" line. After each group the
# kernel log since the group began is checked for WARNING, BUG, Oops, hung
# tasks, lockdep and KASAN reports. Exit 0 only if nothing failed.
# Results (per-group logs, kernel log) go to $RESULTS_DIR (default /results
# when it exists).
cd "$(dirname "$0")" || exit 1
. ./lib.sh

ALL_GROUPS="protocol function files integrity limits faults lifecycle guard fuzz tool engines multi security trace poll random"
SEL_GROUPS=${*:-$ALL_GROUPS}
RESULTS_DIR=${RESULTS_DIR:-/results/selftests}
[ -d "$(dirname "$RESULTS_DIR")" ] && mkdir -p "$RESULTS_DIR" 2>/dev/null || RESULTS_DIR=

BAD_KMSG='WARNING:|BUG:|kernel BUG|Oops|general protection fault|hung task|blocked for more than|INFO: task .* blocked|possible circular locking|possible recursive locking|inconsistent lock state|lockdep|KASAN|UBSAN|Unable to handle kernel|stack-protector|list_add corruption|list_del corruption|refcount_t:|kmemleak'

echo "TAP version 13"
total=0
failed=0
for g in $SEL_GROUPS; do
	case " $ALL_GROUPS " in
	*" $g "*) ;;
	*) total=$((total + 1)); failed=$((failed + 1))
	   echo "not ok $total - $g: no such group"; continue ;;
	esac
	marker="dsaio-selftest: group $g begins $$.$(date +%s)"
	echo "<6>$marker" > /dev/kmsg 2>/dev/null
	t0=$(date +%s)
	echo "# group $g"
	cf=$TMPD/count.$g
	log=${RESULTS_DIR:+$RESULTS_DIR/$g.log}
	# a hung group is killed and fails (GROUP_TIMEOUT seconds)
	{ timeout "${GROUP_TIMEOUT:-600}" sh "./$g.sh" 2>&1; echo "__RC__ $?"; } | \
		awk -v start="$total" -v prefix="$g: " -v countfile="$cf" "$TAP_AWK" | \
		{ if [ -n "$log" ]; then tee "$log"; else cat; fi; }
	read -r n f rc _skips < "$cf"
	ran=$((n - total))
	total=$n
	failed=$((failed + f))
	if [ "$rc" = "$KSFT_SKIP" ] && [ "$ran" -eq 0 ]; then
		total=$((total + 1))
		echo "ok $total - $g: group # SKIP skipped (see comments above)"
	elif [ "$rc" != 0 ] && [ "$rc" != "$KSFT_SKIP" ] && [ "$f" -eq 0 ]; then
		total=$((total + 1)); failed=$((failed + 1))
		echo "not ok $total - $g: group script exit status $rc"
	fi

	# the kernel log since the marker
	klog=$TMPD/kmsg.$g
	dmesg | awk -v m="$marker" 'index($0, m) { on = 1; next } on' > "$klog"
	[ -n "$RESULTS_DIR" ] && cp "$klog" "$RESULTS_DIR/$g.dmesg"
	total=$((total + 1))
	if grep -Eq "$BAD_KMSG" "$klog"; then
		failed=$((failed + 1))
		echo "not ok $total - $g: kernel log clean"
		grep -E -B2 -A20 "$BAD_KMSG" "$klog" | head -n 60 | sed 's/^/# /'
	else
		echo "ok $total - $g: kernel log clean"
	fi
	echo "# group $g: $ran tests, $(( $(date +%s) - t0 )) s"
done
echo "1..$total"
echo "# $total tests, $failed failed"
rm -rf "$TMPD"
[ "$failed" -eq 0 ]
