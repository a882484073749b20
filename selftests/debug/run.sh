#!/bin/sh
# SPDX-License-Identifier: GPL-2.0 OR MIT
#
# dsaio fault-injection group: runs only on the debug kernel
# (scripts/check-debug), in the test VM, as root. Prints TAP lines.
#
#   fail_make_request  every bio to the target device fails with a set
#                      probability during a read and a write job: the job
#                      must end (no hang) and report the errors (EIO).
#   fail-nth           failslab + fail_page_alloc, restricted to the task
#                      that sends JOB_START (/proc/thread-self/fail-nth):
#                      the 1st, 2nd, ... allocation of the request fails in
#                      turn; each must give a clean refusal or a job that
#                      ends, and the module must unload afterwards.
#   kthread faults     failslab + fail_page_alloc with task-filter on
#                      kthreadd (so on the job's worker threads it forks)
#                      and the unbound kworkers (the job's controller, which
#                      allocates the buffers): set-up failures there must
#                      end the job cleanly.
#
# Leaks are judged afterwards by kmemleak (selftests/debug/kmemleak.sh).
#
# Environment: DSAIO_DEV (default /dev/nvme0n1), FI_JOB (the fi_job
# binary, default next to this script), DSAIO_KO (module to load when
# "modprobe dsaio" does not work).
set -u

here=$(cd "$(dirname "$0")" && pwd)
FI_JOB=${FI_JOB:-$here/fi_job}
DEV=${DSAIO_DEV:-/dev/nvme0n1}
# A file target too, on the VM's ext4 (vm/run --fs-disk), when mounted.
FDIR=${DSAIO_FS_EXT4:+$DSAIO_FS_EXT4/dsaio-fi}
TARGETS=$DEV
[ -n "$FDIR" ] && mkdir -p "$FDIR" && TARGETS="$DEV dir:$FDIR"
# A job on two drives (vm/run --raw-nvme): the test drive and a blank one.
RAW1=${DSAIO_RAW_NVMES%% *}
[ -n "$RAW1" ] && TARGETS="$TARGETS targets:$DEV,$RAW1"
DBG=/sys/kernel/debug
n=${DEBUG_TAP_BASE:-0}
base=$n
failed=0

ok() { n=$((n + 1)); echo "ok $n - debug: $*"; }
nok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - debug: $*"; }
skip() { n=$((n + 1)); echo "ok $n - debug: $1 # SKIP $2"; }
note() { echo "# $*"; }
# Kernel log markers: scripts/debug-kernel/judge-log excuses the kernel's
# allocation-failure reports (with their Call Trace) only between them.
inj() { echo "dsaio-debug: injection $1${2:+ ($2)}" >/dev/kmsg 2>/dev/null; return 0; }

# fattr DIR: quiet, deterministic defaults for one fault attribute.
fattr_reset() {
	d=$DBG/$1
	echo 0 >"$d/probability"
	echo 1 >"$d/interval"
	echo -1 >"$d/times"
	echo 0 >"$d/space"
	echo 0 >"$d/verbose"
	echo N >"$d/task-filter"
}

alloc_faults_setup() {
	# Let fail-nth / task-filter reach GFP_KERNEL and order-0 allocations.
	for a in failslab fail_page_alloc; do
		fattr_reset $a
		echo N >"$DBG/$a/ignore-gfp-wait"
	done
	echo 0 >"$DBG/fail_page_alloc/min-order"
	echo N >"$DBG/fail_page_alloc/ignore-gfp-highmem"
}

alloc_faults_off() {
	for a in failslab fail_page_alloc; do
		echo 0 >"$DBG/$a/probability"
		echo N >"$DBG/$a/task-filter"
	done
}

load_module() {
	[ -d /sys/module/dsaio ] && return 0
	modprobe dsaio 2>/dev/null || insmod "${DSAIO_KO:-/nonexistent}" 2>/dev/null
}

# field NAME LINE: value of NAME=... in an fi_job result line.
field() { echo "$2" | tr ' ' '\n' | sed -n "s/^$1=//p"; }

# fmr_job OP: a job under fail_make_request; must end and report errors.
fmr_job() {
	op=$1
	out=$("$FI_JOB" run --dev "$DEV" --op "$op" --io-size $((16 << 20)) \
		--bs 65536 --qd 8 --threads 2 --timeout 180 2>&1)
	rc=$?
	note "$out"
	line=$(echo "$out" | grep '^job=' | tail -n 1)
	errors=$(field errors "$line")
	eio=$(field eio "$line")
	requests=$(field requests "$line")
	state=$(field state "$line")
	if [ $rc = 2 ]; then
		nok "fail_make_request $op: job did not end within 180s"
	elif [ $rc != 0 ]; then
		nok "fail_make_request $op: fi_job failed (rc=$rc)"
	elif [ "$state" != DONE ] && [ "$state" != FAILED ]; then
		nok "fail_make_request $op: job ended in state $state"
	elif [ "${errors:-0}" -gt 0 ] && [ "${eio:-0}" -gt 0 ] &&
	     [ "$errors" -le "${requests:-0}" ]; then
		ok "fail_make_request $op: $errors of $requests requests failed, EIO reported, job $state"
	elif [ "$state" = FAILED ] && [ "$(field error "$line")" != 0 ]; then
		ok "fail_make_request $op: job FAILED with error $(field error "$line")"
	else
		nok "fail_make_request $op: errors not reported (errors=$errors eio=$eio requests=$requests)"
	fi
}

# files_left PHASE: nothing of dsaio's is left in the file target's
# directory after PHASE (each leftover is named, then removed).
files_left() {
	left=$(ls -a "$FDIR" | grep '^dsaio-' | tr '\n' ' ')
	if [ -z "$left" ]; then
		ok "no file left in $FDIR after $1"
	else
		nok "files left in $FDIR after $1: $left"
		(cd "$FDIR" && rm -f $left)
	fi
}

clean_job() {
	out=$("$FI_JOB" run --dev "$DEV" --op "$1" --io-size $((4 << 20)) \
		--bs 65536 --qd 4 --threads 2 --timeout 120 2>&1)
	rc=$?
	line=$(echo "$out" | grep '^job=' | tail -n 1)
	if [ $rc = 0 ] && [ "$(field state "$line")" = DONE ] &&
	   [ "$(field errors "$line")" = 0 ]; then
		ok "$2"
	else
		note "$out"
		nok "$2 (rc=$rc)"
	fi
}

echo "# dsaio debug group: fault injection on $(uname -r), device $DEV"

if [ "$(id -u)" != 0 ]; then
	skip "fault injection" "not root"; exit 0
fi
if [ ! -d $DBG/fail_make_request ] || [ ! -d $DBG/failslab ] ||
   [ ! -d $DBG/fail_page_alloc ] || [ ! -e /proc/thread-self/fail-nth ]; then
	skip "fault injection" "kernel without FAULT_INJECTION_DEBUG_FS (use scripts/check-debug)"
	exit 0
fi
if [ ! -x "$FI_JOB" ]; then
	nok "fi_job helper present ($FI_JOB)"; exit 1
fi
if [ ! -b "$DEV" ]; then
	nok "target device $DEV present"; exit 1
fi
if ! load_module; then
	nok "dsaio module loads"; exit 1
fi
disk=$(basename "$DEV")
mif=/sys/block/$disk/make-it-fail
[ -e "$mif" ] || mif=/sys/class/block/$disk/make-it-fail

# --- fail_make_request -------------------------------------------------------
clean_job read "baseline read job on $DEV: no errors"
inj on fail_make_request
fattr_reset fail_make_request
echo 10 >$DBG/fail_make_request/probability
echo 1 >"$mif"
fmr_job read
fmr_job write
echo 0 >"$mif"
echo 0 >$DBG/fail_make_request/probability
inj off
clean_job read "read job after fail_make_request is off: no errors"

# --- fail-nth on the JOB_START sender -----------------------------------------
inj on fail-nth
alloc_faults_setup
for tgt in $TARGETS; do
for op in read write; do
	out=$("$FI_JOB" failnth --dev "$tgt" --op $op --io-size $((1 << 20)) \
		--bs 65536 --qd 4 --threads 2 --timeout 120 --max 3000 2>&1)
	rc=$?
	echo "$out" | grep -v -e 'refused -12 ' -e 'despite fault: .* state=DONE error=0 ' | sed 's/^/# /'
	summary=$(echo "$out" | grep '^failnth: points=' | tail -n 1)
	if [ $rc = 0 ]; then
		ok "fail-nth $op JOB_START on $tgt: every allocation failed once, clean (${summary#failnth: })"
	else
		nok "fail-nth $op JOB_START on $tgt (rc=$rc; ${summary#failnth: })"
	fi
done
done
alloc_faults_off
inj off
clean_job read "read job after the allocation faults: no errors"
[ -n "$FDIR" ] && files_left "fail-nth"

# --- faults in the kernel threads that set up a job ---------------------------
# make-it-fail on kthreadd is inherited by every kthread it forks (the job's
# workers among them), and on the unbound kworkers that run the job's
# controller; each allocation of those fails with 10 % probability. Either
# JOB_START is refused or the job ends: never a hang.
# set_mif 0|1: make-it-fail of kthreadd and the unbound kworkers; 0 also
# clears every thread that inherited it.
set_mif() {
	for f in /proc/[0-9]*/task/[0-9]*/make-it-fail; do
		t=${f%make-it-fail}
		c=$(cat "${t}comm" 2>/dev/null) || continue
		if [ "$1" = 0 ]; then
			[ "$(cat "$f" 2>/dev/null)" = 1 ] && echo 0 >"$f" 2>/dev/null
		else
			case $c in
			kthreadd|kworker/u*) echo 1 >"$f" 2>/dev/null ;;
			esac
		fi
	done
	return 0
}
inj on "kthread faults"
alloc_faults_setup
for a in failslab fail_page_alloc; do
	echo Y >"$DBG/$a/task-filter"
	echo 10 >"$DBG/$a/probability"
done
kt_bad=0
kt_refused=0
kt_failed=0
i=0
set_mif 1
while [ $i -lt 12 ]; do
	op=read
	[ $((i % 2)) = 1 ] && op=write
	tgt=$DEV
	[ -n "$FDIR" ] && [ $((i % 4)) -ge 2 ] && tgt=dir:$FDIR
	out=$("$FI_JOB" run --dev "$tgt" --op $op --io-size $((1 << 20)) \
		--bs 65536 --qd 4 --threads 4 --timeout 120 2>&1)
	rc=$?
	case $rc in
	0) echo "$out" | grep -q 'state=FAILED' && kt_failed=$((kt_failed + 1)) ;;
	1) kt_refused=$((kt_refused + 1)) ;;
	*) note "$out"; kt_bad=$((kt_bad + 1)) ;;
	esac
	i=$((i + 1))
done
set_mif 0
alloc_faults_off
inj off
if [ $kt_bad = 0 ]; then
	ok "kthread allocation faults: 12 jobs ended or were refused ($kt_refused refused, $kt_failed failed)"
else
	nok "kthread allocation faults: $kt_bad of 12 jobs hung or broke the protocol"
fi

[ -n "$FDIR" ] && files_left "the kthread allocation faults"
[ -n "$FDIR" ] && rm -rf "$FDIR"

# --- the module still unloads --------------------------------------------------
if rmmod dsaio; then
	ok "dsaio unloads after the fault-injection runs"
else
	nok "dsaio unloads after the fault-injection runs"
fi
echo "# debug group: $((n - base)) tests, $failed failed"
[ $failed = 0 ]
