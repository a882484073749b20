#!/bin/sh
# SPDX-License-Identifier: GPL-2.0 OR MIT
# Engines: dsaio-user's user-space engines (libaio, as DeepSpeed's handle
# drives it, and io_uring) on the emulated NVMe and on ext4: every
# submission mode with exact byte and request counts, data written by one
# engine checked by another (the module too), an I/O error reported and
# never counted as done, io_uring switched off, no module needed at all,
# `sweep --engines kernel,libaio,io_uring` with its side-by-side table, and
# two directories measured together with DeepSpeed's threads.
. "$(dirname "$0")/lib.sh"
group_begin

TOOL=${DSAIO_USER:-$(command -v dsaio-user)}
[ -n "$TOOL" ] && [ -x "$TOOL" ] || skip_all "dsaio-user not found (set DSAIO_USER)"
NVME=$(scratch_nvme) || skip_all "no scratch NVMe"

group_cleanup() {
	dm_helper remove dsaio_uerr >/dev/null 2>&1
	[ -n "$uring_was" ] && echo "$uring_was" > /proc/sys/kernel/io_uring_disabled
}

out=$TMPD/out
err=$TMPD/err
# jnum KEY FILE: the first number under "KEY" in the tool's pretty JSON
jnum() { sed -n "s/.*\"$1\": *\([-+0-9.eE]*\).*/\1/p" "$2" | head -n 1; }
# tool EXPECTED_RC ARGS...: runs the tool into $out/$err; true when rc matches
tool() {
	_want=$1; shift
	"$TOOL" "$@" > "$out" 2> "$err"
	_rc=$?
	diag "dsaio-user $* -> $_rc"
	[ -s "$err" ] && diag "stderr: $(head -c 400 "$err")"
	[ "$_rc" -eq "$_want" ]
}
dsaio_files() { ls -a "$1" | grep -c '^dsaio-'; }

# 1. No module: the user-space engines neither need nor mention it.
unload_module >/dev/null 2>&1
dir=${DSAIO_FS_EXT4:+$DSAIO_FS_EXT4/dsaio-engines}
for e in libaio io_uring; do
	if tool 0 run --engine $e --dev "$NVME" --op read --io-size 8M \
		--block-size 1M --queue-depth 4 --threads 2 --json; then
		tap_ok "$e: run without the module"
	else
		tap_fail "$e: run without the module"
	fi
	tap_check "$e: says nothing of the module" sh -c "! grep -qi module '$err' '$out'"
	tap_check "$e: --json names the engine" grep -q "\"engine\": *\"$e\"" "$out"
done
if [ -n "$dir" ] && mkdir -p "$dir"; then
	if tool 0 sweep --engine libaio --dir "$dir" --io-size 8M \
		--log-dir "$TMPD/nomod"; then
		tap_ok "sweep --engine libaio --dir without the module"
	else
		tap_fail "sweep --engine libaio --dir without the module"
	fi
	tap_check "the sweep says nothing of the module" \
		sh -c "! grep -qi module '$err' '$out'"
	tap_check "the sweep recommends an \"aio\" block" grep -q '"aio"' "$out"
	tap_check "nothing left in $dir" [ "$(dsaio_files "$dir")" = 0 ]
else
	tap_skip "sweep --engine libaio --dir" "no ext4 mount (vm/run --fs-disk ext4:SIZE)"
fi
# (the kernel engine's netlink request would have the kernel autoload it)
tap_check "the user-space engines did not load the module" sh -c '! grep -q "^dsaio " /proc/modules'
group_load

# 2. Every mode, on the device and on ext4: exact bytes and requests.
# 12M over 2 threads of 6M, blocks of 1M (6 a thread) and of 640K (the
# tenth request of a thread is 384K); 2 loops after 1 warm-up.
check_mode() { # NAME ENGINE TARGET-ARGS BS REQS MODE... (validated write then read)
	_n=$1 _e=$2 _t=$3 _bs=$4 _rq=$5; shift 5
	for op in write read; do
		_a=
		[ $op = write ] && case "$_t" in --dev*) _a=--allow-write ;; esac
		if tool 0 run --engine "$_e" $_t --op $op $_a --io-size 12M \
			--block-size "$_bs" --queue-depth 3 --threads 2 --loops 2 \
			--validate --seed 5 --json "$@"; then
			tap_ok "$_n $op $*: validated"
			tap_check "$_n $op $*: exact bytes" [ "$(jnum bytes "$out")" = 25165824 ]
			tap_check "$_n $op $*: exact requests" [ "$(jnum requests "$out")" = "$_rq" ]
			tap_check "$_n $op $*: no errors" [ "$(jnum errors "$out")" = 0 ]
		else
			tap_fail "$_n $op $*: validated"
		fi
	done
}
for e in libaio io_uring; do
	for m in "" "--single-submit" "--sequential" "--single-submit --sequential"; do
		check_mode "$e dev" $e "--dev $NVME" 1M 24 $m
	done
	check_mode "$e dev" $e "--dev $NVME" 640K 40
	if [ -n "$dir" ]; then
		check_mode "$e ext4" $e "--dir $dir" 1M 24
		check_mode "$e ext4" $e "--dir $dir" 1M 24 --sequential --single-submit
		tap_check "$e ext4: nothing left" [ "$(dsaio_files "$dir")" = 0 ]
	fi
done
check_mode "io_uring dev fixed" io_uring "--dev $NVME" 1M 24 --fixed-buffers --fixed-files
[ -n "$dir" ] && check_mode "io_uring ext4 fixed" io_uring "--dir $dir" 1M 24 --fixed-buffers --fixed-files
tool 2 run --engine libaio --dev "$NVME" --op read --io-size 8M --fixed-buffers
tap_check "libaio refuses --fixed-buffers (usage error)" [ "$_rc" = 2 ]

# 3. One engine writes, another checks: the pattern is the module's.
rw() { # WRITER READER SEED-READ
	tool 0 run --engine "$1" --dev "$NVME" --op write --allow-write --offset 16M \
		--io-size 8M --block-size 256K --queue-depth 4 --threads 2 --loops 1 \
		--validate --seed 77 || return 1
	"$TOOL" run --engine "$2" --dev "$NVME" --op read --offset 16M --io-size 8M \
		--block-size 512K --queue-depth 2 --threads 4 --loops 1 --validate \
		--seed "$3" --json > "$out" 2> "$err"
}
for pair in "kernel libaio" "libaio kernel" "io_uring libaio" "libaio io_uring" "kernel io_uring"; do
	set -- $pair
	if rw "$1" "$2" 77; then
		tap_check "$1 writes, $2 reads it back valid" [ "$(jnum mismatches "$out")" = 0 ]
	else
		diag "$(head -c 400 "$err")"
		tap_fail "$1 writes, $2 reads it back valid"
	fi
done
rw libaio kernel 78
tap_check "another seed: the module finds every block of libaio's region wrong" \
	[ "$(jnum mismatches "$out")" = $((8 * 1024 * 1024 / $(cat /sys/block/${NVME#/dev/}/queue/logical_block_size) * 2)) ]

# 4. An I/O error is reported, never counted as done.
modprobe dm-mod 2>/dev/null
if [ -c /dev/mapper/control ] && edev=$(dm_helper create dsaio_uerr "0 65536 error"); then
	for e in libaio io_uring; do
		for op in read write; do
			_a=; [ $op = write ] && _a=--allow-write
			tool 1 run --engine $e --dev "$edev" --op $op $_a --io-size 4M \
				--block-size 128K --queue-depth 4 --threads 2 --warmup-loops 0 --json
			tap_check "$e dm-error $op: fails (exit 1)" [ "$_rc" = 1 ]
			tap_check "$e dm-error $op: no bytes counted" [ "$(jnum bytes "$out")" = 0 ]
			tap_check "$e dm-error $op: errors counted" [ "$(jnum errors "$out")" -gt 0 ]
			tap_check "$e dm-error $op: EIO among the errnos" grep -q '"5": *[1-9]' "$out"
			tap_check "$e dm-error $op: state failed" grep -q '"state": *"failed"' "$out"
		done
	done
	tap_check "dm-error device removed" dm_helper remove dsaio_uerr
else
	tap_skip "dm-error under the user-space engines" "no device-mapper"
fi

# 5. io_uring switched off (kernel.io_uring_disabled, 6.6 and later).
if [ -w /proc/sys/kernel/io_uring_disabled ]; then
	uring_was=$(cat /proc/sys/kernel/io_uring_disabled)
	echo 2 > /proc/sys/kernel/io_uring_disabled
	tool 1 run --engine io_uring --dev "$NVME" --op read --io-size 1M
	tap_check "io_uring disabled: refused (exit 1)" [ "$_rc" = 1 ]
	tap_check "io_uring disabled: the error names the sysctl" \
		grep -q 'io_uring_disabled' "$err"
	echo "$uring_was" > /proc/sys/kernel/io_uring_disabled
	uring_was=
else
	tap_skip "io_uring disabled by sysctl" "no kernel.io_uring_disabled before 6.6"
fi

# 6. The side-by-side sweep: each engine's logs apart, the table, the advice.
cat > "$TMPD/grid.json" <<'EOF'
{ "block_size": ["256K", "1M"], "queue_depth": [4], "io_parallel": [1, 2],
  "single_submit": [false, true], "overlap_events": [true], "threads": [1] }
EOF
L=$TMPD/side
if tool 0 sweep --engines kernel,libaio,io_uring --dev "$NVME" --allow-write \
	--config "$TMPD/grid.json" --io-size 8M --log-dir "$L"; then
	tap_ok "sweep --engines kernel,libaio,io_uring"
else
	tap_fail "sweep --engines kernel,libaio,io_uring"
fi
diag "$(head -c 2500 "$out")"
for e in kernel libaio io_uring; do
	tap_check "$e: 8 read logs in its own folder" \
		[ "$(ls "$L/$e/_aio_bench_read_logs" 2>/dev/null | wc -l)" = 8 ]
	tap_check "$e: its logs parse" sh -c \
		"'$TOOL' parse --log-dir '$L/$e' --metric read_speed | grep -q ' = '"
	tap_check "$e: its summary names it" grep -q "\"engine\": *\"$e\"" "$L/$e/dsaio_sweep.json"
done
tap_check "the table has a column per engine" sh -c \
	"grep -i kernel '$out' | grep -i libaio | grep -qi io_uring"
tap_check "the ratios are over the kernel's E2E" \
	grep -q "ratio: read + write E2E over kernel's" "$out"
tap_check "a /kernel ratio column for libaio and io_uring" \
	grep -Eq ' read +/kernel +\| +write +read +/kernel' "$out"
tap_check "a recommendation per engine" [ "$(sed -n '/^Recommended per engine/,/^$/p' "$out" |
	grep -Ec '^  (kernel|libaio|io_uring) ')" = 3 ]
tap_check "it says whether the engines agree" grep -Eq 'engines (differ|agree)|agree on' "$out"
tap_check "the overall \"aio\" block" grep -q '"aio"' "$out"

# 7. Several targets (issue 14, user-space side): ext4 and xfs together,
# DeepSpeed's threads, the per-target table and the scaling report; a
# write over a mounted device among its targets refused, that one named.
if [ -n "$DSAIO_FS_EXT4" ] && [ -n "$DSAIO_FS_XFS" ]; then
	A=$DSAIO_FS_EXT4/dsaio-multi B=$DSAIO_FS_XFS/dsaio-multi
	mkdir -p "$A" "$B"
	if tool 0 run --engine libaio --dir "$A" --dir "$B" --op write --processes 2 \
		--io-size 8M --block-size 1M --queue-depth 4 --threads 2 --loops 1 \
		--warmup-loops 0 --validate --json; then
		tap_ok "libaio write to ext4 and xfs together, threads 2"
	else
		tap_fail "libaio write to ext4 and xfs together, threads 2"
	fi
	tap_check "the total is every handle's bytes (2 targets x 2 threads x 8M)" \
		[ "$(jnum bytes "$out")" = 33554432 ]
	tap_check "each target measured alone and together" \
		[ "$(grep -c '"alone_e2e_speed_gbs"' "$out")" = 2 ]
	tap_check "the scaling report in the JSON" grep -q '"summary": "scaling write: 2 targets' "$out"
	if tool 0 run --engine io_uring --dir "$A" --dir "$B" --op read --processes 2 \
		--io-size 8M --block-size 1M --queue-depth 4 --threads 2 --loops 1 \
		--warmup-loops 0 --validate; then
		tap_ok "io_uring validated read of both"
	else
		tap_fail "io_uring validated read of both"
	fi
	diag "$(tail -n 6 "$out")"
	tap_check "a row per target" [ "$(grep -Ec "^  [12] .* done +($A|$B)\$" "$out")" = 2 ]
	tap_check "the scaling line" grep -q '^scaling read: 2 targets together' "$out"
	tap_check "nothing left in either directory" \
		[ "$(dsaio_files "$A")$(dsaio_files "$B")" = 00 ]
	rmdir "$A" "$B"
else
	tap_skip "two directories together" "no ext4 and xfs mounts (vm/run --fs-disk)"
fi
if [ -n "$DSAIO_FS_EXT4_DEV" ]; then
	if tool 1 run --engine libaio --dev "$NVME" --dev "$DSAIO_FS_EXT4_DEV" --op write \
		--allow-write --io-size 8M --no-scaling; then
		tap_ok "a write with a mounted device among its targets refused"
	else
		tap_fail "a write with a mounted device among its targets refused"
	fi
	tap_check "the mounted one named" grep -q "$DSAIO_FS_EXT4_DEV.*mounted" "$err"
else
	tap_skip "a write with a mounted target refused" "no ext4 disk (vm/run --fs-disk)"
fi

rmdir "$dir" 2>/dev/null
tap_check "module unloads after the group" unload_module
tap_end
