# SPDX-License-Identifier: GPL-2.0 OR MIT
# Shared by the dsaio selftest scripts (POSIX sh, busybox ash). Source it:
#   . "$(dirname "$0")/lib.sh"
# It gives: TAP helpers, the start of a group script, module load/unload,
# null_blk via configfs, the scratch disk, slab figures, job polling, and a
# runner for C kselftest programs.

KSFT_PASS=0
KSFT_FAIL=1
KSFT_SKIP=4

DIR=$(cd "$(dirname "$0")" && pwd)
PATH="$DIR:$PATH"
KO=${DSAIO_KO:-/lib/modules/$(uname -r)/extra/dsaio.ko}
CONFIGFS=/sys/kernel/config
TMPD=${TMPDIR:-/tmp}/dsaio-selftest.$$
mkdir -p "$TMPD"

tap_n=0
tap_failed=0
tap_passed=0
tap_skipped=0

tap_ok()   { tap_n=$((tap_n + 1)); tap_passed=$((tap_passed + 1)); echo "ok $tap_n - $1"; }
tap_fail() { tap_n=$((tap_n + 1)); tap_failed=$((tap_failed + 1)); echo "not ok $tap_n - $1"; }
tap_skip() { tap_n=$((tap_n + 1)); tap_skipped=$((tap_skipped + 1)); echo "ok $tap_n - $1 # SKIP $2"; }
diag()     { echo "$*" | sed 's/^/# /'; }

# tap_check NAME CONDITION-COMMAND...: ok when the command succeeds.
tap_check() {
	_name=$1; shift
	if "$@"; then tap_ok "$_name"; else tap_fail "$_name"; fi
}

# End a group script: plan, summary, exit code (skip when nothing ran).
tap_end() {
	echo "1..$tap_n"
	diag "pass:$tap_passed fail:$tap_failed skip:$tap_skipped"
	rm -rf "$TMPD"
	[ "$tap_failed" -gt 0 ] && exit $KSFT_FAIL
	[ "$tap_passed" -eq 0 ] && exit $KSFT_SKIP
	exit $KSFT_PASS
}

skip_all() {
	echo "1..0 # SKIP $1"
	rm -rf "$TMPD"
	exit $KSFT_SKIP
}

require_root() {
	[ "$(id -u)" -eq 0 ] || skip_all "must be root"
}

require_ko() {
	[ -f "$KO" ] || skip_all "no module at $KO (set DSAIO_KO)"
}

# The TAP filter: renumbers result lines from START, adds PREFIX to names,
# names harness SKIP lines after their "RUN" line, turns everything else
# into "# " comments. Writes "COUNT FAILS RC SKIPS" to COUNTFILE at the end; a
# last input line "__RC__ N" carries the producer's exit status.
TAP_AWK='
function emit(st, rest,   name, dir, i) {
	sub(/^ +/, "", rest)
	sub(/^- +/, "", rest)
	if (rest ~ /^# /) {
		name = lastrun; dir = rest
	} else {
		i = index(rest, " # ")
		if (i > 0) { name = substr(rest, 1, i - 1); dir = substr(rest, i + 1) }
		else { name = rest; dir = "" }
	}
	if (name == "") name = "unnamed"
	n++
	if (st == "not ok") fails++
	else if (dir ~ /^# *SKIP/) skips++
	printf "%s %d - %s%s%s\n", st, n, prefix, name, (dir != "" ? " " dir : "")
	fflush()
}
BEGIN { n = start + 0; fails = 0; skips = 0; rc = 0; lastrun = "" }
/^__RC__ / { rc = $2; next }
/^TAP version/ { next }
/^1\.\.[0-9]/ { print "# " $0; next }
/^#  *RUN  / { lastrun = $3 }
/^not ok [0-9]/ { r = $0; sub(/^not ok [0-9]+/, "", r); emit("not ok", r); next }
/^ok [0-9]/ { r = $0; sub(/^ok [0-9]+/, "", r); emit("ok", r); next }
/^#/ { print; fflush(); next }
{ print "# " $0; fflush() }
END { print n " " fails " " rc " " skips > countfile }
'

# run_prog NAME PROG [ARGS...]: run a kselftest-harness C program, fold its
# results into this script's TAP stream, each name after $RUN_PREFIX. A program that ends in a way the
# harness does not report (crash, exit without results) fails as NAME.
run_prog() {
	_rp_name=$1; shift
	_cf=$TMPD/count.$$
	{ "$@" 2>&1; echo "__RC__ $?"; } | awk -v start="$tap_n" -v prefix="${RUN_PREFIX:-}" \
		-v countfile="$_cf" "$TAP_AWK"
	read -r _n _f _rc _s < "$_cf"
	_ran=$((_n - tap_n))
	tap_failed=$((tap_failed + _f))
	tap_skipped=$((tap_skipped + _s))
	tap_passed=$((tap_passed + _ran - _f - _s))
	tap_n=$_n
	if [ "$_rc" = "$KSFT_SKIP" ] && [ "$_ran" -eq 0 ]; then
		tap_skip "$_rp_name" "program skipped"
	elif [ "$_rc" != 0 ] && [ "$_f" -eq 0 ]; then
		tap_fail "$_rp_name: exit status $_rc"
	fi
}

# The start every group script makes, so that each one cleans up the same
# way however it ends:
#   group_begin        root and the module file (else the group skips), and
#                      a cleanup at exit: group_cleanup, the module unloaded,
#                      the null_blk devices of $GROUP_NULLBS and of
#                      setup_nullbs removed, $TMPD removed
#   group_load [NAME]  the module loaded, else test NAME (default "load
#                      dsaio.ko") fails and the group ends there
# A group that starts more (background clients, dm devices, mounts)
# redefines group_cleanup to stop them; it runs first, while the module is
# still loaded. Checks that may skip the group go between the two calls.
group_cleanup() { :; }

group_exit() {
	group_cleanup
	unload_module
	for _nb in $GROUP_NULLBS; do nullb_remove "$_nb"; done
	cleanup_nullbs
	rm -rf "$TMPD"
}

group_begin() {
	require_root
	require_ko
	trap group_exit EXIT
}

group_load() {
	load_module || { tap_fail "${1:-load dsaio.ko}"; tap_end; }
}

# c_group PROG [PARAM=VALUE...]: a group that is one kselftest C program,
# run with the module loaded (with those module parameters) and the devices
# it may use exported (cases of a missing device skip), then the module
# must unload.
c_group() {
	_cg_prog=$1; shift
	group_begin
	load_module "$@" || { tap_fail "load dsaio.ko${1:+ $*}"; tap_end; }
	setup_nullbs || diag "null_blk unavailable: its cases skip"
	DSAIO_NVME=$(scratch_nvme) && export DSAIO_NVME || diag "no scratch NVMe: its cases skip"
	run_prog "$_cg_prog" "./$_cg_prog"
	tap_check "module unloads after the group" unload_module
	tap_end
}

module_loaded() { grep -q '^dsaio ' /proc/modules; }

load_module() {
	module_loaded && return 0
	insmod "$KO" "$@" || return 1
	# the family appears at once; give devtmpfs/netlink a moment anyway
	i=0
	while [ $i -lt 50 ]; do
		dsaio_ctl info >/dev/null 2>&1 && return 0
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}

# unload_module [TIMEOUT_S]: rmmod under a time limit.
unload_module() {
	module_loaded || return 0
	timeout "${1:-60}" rmmod dsaio
}

# rmmod_refused N: while N jobs run, rmmod fails at once (within 3 s) and
# the module stays loaded, its reference count N (one per running job).
rmmod_refused() {
	_rc=0
	timeout 3 rmmod dsaio > "$TMPD/rmmod" 2>&1 || _rc=$?
	_ref=$(cat /sys/module/dsaio/refcnt 2>/dev/null)
	diag "rmmod: rc=$_rc $(cat "$TMPD/rmmod"), refcnt $_ref"
	[ $_rc -ne 0 ] && [ $_rc -ne 124 ] && module_loaded && [ "$_ref" = "$1" ]
}

# cancel_ended ID: cancel the job and wait (10 s) until it ended cancelled.
cancel_ended() {
	: "${out:=$TMPD/out}"
	dsaio_ctl cancel "$1" > /dev/null 2>&1 || return 1
	wait_ended "$1" 10 && [ "$(kv "$out" state)" = cancelled ]
}

# nullb_create NAME [attr=value...]: a null_blk through configfs; prints
# its device node. Defaults: 1 GiB, 512-byte blocks, not memory-backed.
nullb_create() {
	_nb=$1; shift
	[ -d $CONFIGFS/nullb ] || { modprobe configfs 2>/dev/null; \
		modprobe null_blk nr_devices=0 2>/dev/null; }
	[ -d $CONFIGFS ] && ! grep -q " $CONFIGFS " /proc/mounts && \
		mount -t configfs none $CONFIGFS 2>/dev/null
	[ -d $CONFIGFS/nullb ] || return 1
	mkdir "$CONFIGFS/nullb/$_nb" || return 1
	echo 1024 > "$CONFIGFS/nullb/$_nb/size"
	for _kv in "$@"; do
		echo "${_kv#*=}" > "$CONFIGFS/nullb/$_nb/${_kv%%=*}" || return 1
	done
	echo 1 > "$CONFIGFS/nullb/$_nb/power" || return 1
	# 6.1+ names the disk after the configfs item; older kernels nullbN
	_idx=$(cat "$CONFIGFS/nullb/$_nb/index")
	_i=0
	while [ $_i -lt 50 ]; do
		for _d in "/dev/$_nb" "/dev/nullb$_idx"; do
			[ -b "$_d" ] && { echo "$_d"; return 0; }
		done
		sleep 0.1; _i=$((_i + 1))
	done
	return 1
}

nullb_remove() {
	[ -d "$CONFIGFS/nullb/$1" ] || return 0
	echo 0 > "$CONFIGFS/nullb/$1/power" 2>/dev/null
	rmdir "$CONFIGFS/nullb/$1"
}

# A fast and a slow (1 ms per request) null_blk, exported for the C tests.
setup_nullbs() {
	cleanup_nullbs 2>/dev/null	# leftovers of a killed group
	DSAIO_NULLB=$(nullb_create dsaio_fast size=8192) || return 1
	DSAIO_SLOW=$(nullb_create dsaio_slow irqmode=2 completion_nsec=1000000) || return 1
	export DSAIO_NULLB DSAIO_SLOW
}

cleanup_nullbs() {
	nullb_remove dsaio_fast
	nullb_remove dsaio_slow
}

# The disk tests may overwrite: $DSAIO_SCRATCH_DEV, or the VM's emulated
# NVMe (model "QEMU NVMe Ctrl"). Never a real disk by accident.
scratch_nvme() {
	if [ -n "$DSAIO_SCRATCH_DEV" ]; then
		echo "$DSAIO_SCRATCH_DEV"
		return 0
	fi
	if [ -b /dev/nvme0n1 ] && grep -qi qemu /sys/block/nvme0n1/device/model 2>/dev/null; then
		echo /dev/nvme0n1
		return 0
	fi
	return 1
}

# Unreclaimable slab in KiB, after dropping what can be dropped.
slab_kb() {
	sync
	echo 3 > /proc/sys/vm/drop_caches 2>/dev/null
	# Give back what the allocator holds in its per-cache queues (and,
	# on a KASAN kernel, its quarantine) so the figure means leaks.
	for f in /sys/kernel/slab/*/shrink; do echo 1 > "$f"; done 2>/dev/null
	awk '/^SUnreclaim:/ { print $2 }' /proc/meminfo
}

# kv FILE KEY: value of KEY=value from dsaio_ctl output.
kv() { sed -n "s/^$2=//p" "$1" | head -n 1; }

# start_holder ARGS...: a job started by a background `dsaio_ctl start
# ARGS...`, held open by it; sets $holder (its pid) and $id
start_holder() {
	# Empty the file first, here: the background child truncates it only
	# once it runs, and until then grep would see the previous holder's id.
	: > "$TMPD/holder"
	dsaio_ctl start "$@" > "$TMPD/holder" 2>&1 &
	holder=$!
	i=0
	while [ $i -lt 300 ] && ! grep -q '^id=\|^start_error' "$TMPD/holder"; do
		sleep 0.1; i=$((i + 1))
	done
	id=$(kv "$TMPD/holder" id)
	[ $i -gt 20 ] && diag "JOB_START answered after $((i / 10)) s"
	[ -n "$id" ] && return 0
	diag "dsaio_ctl start $*: $(cat "$TMPD/holder")"
	diag "jobs: $(dsaio_ctl dump | tr '\n' ';')"
	dmesg | tail -n 15 | sed 's/^/# dmesg: /'
	return 1
}

# hold_running ARGS...: start_holder ARGS..., then wait until the job
# has bytes done (10 s at most), so what follows meets it mid-I/O.
hold_running() {
	start_holder "$@" || return 1
	i=0
	while [ $i -lt 100 ]; do
		dsaio_ctl get "$id" > "$TMPD/get" 2>&1
		[ "$(kv "$TMPD/get" bytes_done)" != 0 ] && return 0
		sleep 0.1; i=$((i + 1))
	done
	return 1
}

# wait_ended ID SECONDS: poll until the job has ended; its last
# `dsaio_ctl get` output is in $out (set by the group).
wait_ended() {
	i=0
	while [ $i -lt $(($2 * 10)) ]; do
		dsaio_ctl get "$1" > "$out" 2>&1 || return 1
		case "$(kv "$out" state)" in done|failed|cancelled) return 0 ;; esac
		sleep 0.1; i=$((i + 1))
	done
	return 1
}
