#!/bin/sh
# SPDX-License-Identifier: GPL-2.0 OR MIT
# Tool: dsaio-user end to end (info, run, sweep, parse, generate-param),
# SIGKILL of a running dsaio-user, and its error messages for a missing
# module, a missing device and refused writes.
. "$(dirname "$0")/lib.sh"
group_begin

TOOL=${DSAIO_USER:-$(command -v dsaio-user)}
[ -n "$TOOL" ] && [ -x "$TOOL" ] || skip_all "dsaio-user not found (set DSAIO_USER)"

# a killed tool's client, the modprobe path and the dm device, if the
# group ends before it restores them
group_cleanup() {
	[ -n "$tpid" ] && kill -9 "$tpid" 2>/dev/null
	[ -n "$modprobe_path" ] && echo "$modprobe_path" > /proc/sys/kernel/modprobe
	dm_helper remove dsaio_toolhold >/dev/null 2>&1
}

group_load
setup_nullbs || skip_all "null_blk not available"
NVME=$(scratch_nvme) || NVME=
out=$TMPD/out
err=$TMPD/err
LOGS=$TMPD/logs

# t NAME EXPECTED_RC CMD...: run the tool, keep stdout/stderr, check rc
t() {
	_n=$1; _want=$2; shift 2
	"$TOOL" "$@" > "$out" 2> "$err"
	_rc=$?
	diag "dsaio-user $* -> $_rc"
	[ -s "$err" ] && diag "stderr: $(head -c 600 "$err")"
	if [ "$_rc" -eq "$_want" ]; then
		tap_ok "$_n"
		return 0
	fi
	diag "stdout: $(head -c 600 "$out")"
	tap_fail "$_n (exit $_rc, expected $_want)"
	return 1
}

version=$(dsaio_ctl info | sed -n 's/^version=//p')
t "info" 0 info && tap_check "info shows the module version $version" grep -qF "$version" "$out"
t "info --json" 0 info --json &&
	tap_check "info --json has the version" grep -q "\"[a-z_]*version\"[^,]*\"$version\"" "$out"

t "run read (null_blk)" 0 run --dev "$DSAIO_NULLB" --op read --block-size 128K \
	--queue-depth 8 --threads 2 --io-size 16M
t "run read --json" 0 run --dev "$DSAIO_NULLB" --op read --block-size 1M \
	--queue-depth 4 --io-size 16M --loops 2 --json &&
	tap_check "run --json reports the exact byte count" grep -q '33554432' "$out"

if [ -n "$NVME" ]; then
	t "run write --validate (NVMe)" 0 run --dev "$NVME" --op write --block-size 1M \
		--queue-depth 8 --io-size 16M --offset 3G --validate --seed 7 --allow-write
	t "run read --validate, same seed" 0 run --dev "$NVME" --op read --block-size 1M \
		--queue-depth 8 --io-size 16M --offset 3G --validate --seed 7
	t "run read --validate, other seed: validation failure" 1 run --dev "$NVME" \
		--op read --block-size 1M --io-size 16M --offset 3G --validate --seed 8 &&
		tap_check "validation failure message" grep -qi 'mismatch\|validat' "$err"
else
	tap_skip "run --validate" "no scratch NVMe"
fi

# sweep, parse, generate-param on a small grid
cat > "$TMPD/sweep.json" <<'EOF'
{
  "block_size": ["128K", "1M"],
  "queue_depth": [4, 8],
  "io_parallel": [1],
  "single_submit": [false],
  "overlap_events": [true],
  "threads": [1]
}
EOF
if t "sweep (reads, 4 points)" 0 sweep --dev "$DSAIO_NULLB" --config "$TMPD/sweep.json" \
	--log-dir "$LOGS" --io-size 8M --no-write; then
	tap_check "sweep wrote logs" sh -c "[ -n \"\$(find '$LOGS' -type f | head -n 1)\" ]"
	t "parse --metric read_speed" 0 parse --log-dir "$LOGS" --metric read_speed &&
		tap_check "parse output is not empty" [ -s "$out" ]
	t "parse --json" 0 parse --log-dir "$LOGS" --metric read_speed --json
	t "generate-param" 0 generate-param --log-dir "$LOGS" &&
		tap_check "generate-param gives an aio block" grep -q 'block_size' "$out"
	t "generate-param --json" 0 generate-param --log-dir "$LOGS" --json
else
	tap_fail "sweep failed: parse and generate-param not run"
fi

# error messages
t "usage error: unknown option" 2 run --no-such-option
t "refused write: no --allow-write" 2 run --dev "$DSAIO_NULLB" --op write --io-size 1M &&
	tap_check "message names --allow-write" grep -q 'allow-write' "$err"
t "missing device" 1 run --dev /dev/dsaio-no-such-dev --op read --io-size 1M &&
	tap_check "message names the device or says it does not exist" \
		grep -qi '/dev/dsaio-no-such-dev\|no such' "$err"
modprobe dm-mod 2>/dev/null
sect=$(cat "/sys/block/$(basename "$DSAIO_NULLB")/size")
if [ -c /dev/mapper/control ] &&
   dm_helper create dsaio_toolhold "0 $sect linear $DSAIO_NULLB 0" > /dev/null; then
	t "refused write: device held" 1 run --dev "$DSAIO_NULLB" --op write \
		--io-size 1M --allow-write &&
		tap_check "message says the device is busy" grep -qi 'busy\|in use' "$err"
	dm_helper remove dsaio_toolhold
else
	tap_skip "refused write: device held" "device-mapper not available"
fi

# SIGKILL of dsaio-user during a job: the job is cancelled
"$TOOL" run --dev "$DSAIO_SLOW" --op read --block-size 4K --io-size 256M > /dev/null 2>&1 &
tpid=$!
sleep 2
last=$(dsaio_ctl dump | tail -n 1)
id=${last%% *}
kill -9 "$tpid"; wait "$tpid" 2>/dev/null; tpid=
diag "job of the killed tool: $last"
state=
i=0
while [ -n "$id" ] && [ $i -lt 100 ]; do
	state=$(dsaio_ctl get "$id" | sed -n 's/^state=//p')
	[ "$state" = cancelled ] && break
	sleep 0.1; i=$((i + 1))
done
tap_check "SIGKILL of dsaio-user: its job is cancelled" [ "$state" = cancelled ]

# missing module: unloaded, and the kernel's autoload (genl family alias)
# pointed at nothing, as on a machine where dsaio.ko is not installed
unload_module 60
modprobe_path=$(cat /proc/sys/kernel/modprobe)
echo /nonexistent/modprobe > /proc/sys/kernel/modprobe
t "info without the module" 1 info &&
	tap_check "message says the module is not loaded" grep -qi 'module\|modprobe\|not loaded' "$err"
t "run without the module" 1 run --dev "$DSAIO_NULLB" --op read --io-size 1M &&
	tap_check "run: message says the module is not loaded" grep -qi 'module\|modprobe\|not loaded' "$err"
echo "$modprobe_path" > /proc/sys/kernel/modprobe
modprobe_path=
tap_end
