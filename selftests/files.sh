#!/bin/sh
# SPDX-License-Identifier: GPL-2.0 OR MIT
# Files: the file engine on each filesystem the VM mounted on an emulated
# NVMe ($DSAIO_FS_MOUNTS: ext4 and xfs, see vm/run --fs-disk), through
# file_test (every mode, exact counts, data read back, cancel, socket
# close, a full filesystem, every refusal), SIGKILL of a client and rmmod
# refused in the middle of a file job, then dsaio-user run and sweep --dir.
# After each, nothing named dsaio-* may remain in the directory.
. "$(dirname "$0")/lib.sh"
group_begin

[ -n "$DSAIO_FS_MOUNTS" ] || skip_all "no filesystem mounted (vm/run --fs-disk)"

group_cleanup() {
	[ -n "$holder" ] && kill -9 "$holder" 2>/dev/null
}

group_load

# dsaio_files DIR: how many files of dsaio's are in DIR
dsaio_files() { ls -a "$1" | grep -c '^dsaio-'; }

# hold_file_job DIR: a long file write held by a background dsaio_ctl;
# sets $holder and $id once it is running with bytes done.
hold_file_job() { hold_running "dir:$1" write 64M 4K loops=50; }

TOOL=${DSAIO_USER:-$(command -v dsaio-user)}

# tool_on_dir NAME DIR FSTYPE: dsaio-user run and sweep with --dir; the
# JSON names the file target, the sweep's logs parse and give an "aio"
# block, and nothing is left in DIR.
tool_on_dir() {
	if [ -z "$TOOL" ]; then
		tap_skip "$1: dsaio-user --dir" "dsaio-user not found"
		return
	fi
	_o=$TMPD/tool.out
	"$TOOL" run --dir "$2" --op write --io-size 8M --block-size 256K \
		--threads 2 --loops 2 --validate --json > "$_o" 2> "$TMPD/tool.err"
	_rc=$?
	diag "run --dir $2 -> $_rc: $(head -c 300 "$TMPD/tool.err")"
	tap_check "$1: dsaio-user run --dir --op write, validated" [ $_rc = 0 ]
	tap_check "$1: run --json names the file target" \
		grep -q '"kind": *"file"' "$_o"
	tap_check "$1: run --json names the filesystem ($3)" \
		grep -q "\"fstype\": *\"$3\"" "$_o"
	cat > "$TMPD/fsweep.json" <<'EOF'
{ "block_size": ["128K", "1M"], "queue_depth": [4, 16], "io_parallel": [1, 2],
  "single_submit": [false], "overlap_events": [true], "threads": [1] }
EOF
	rm -rf "$TMPD/flogs"
	"$TOOL" sweep --dir "$2" --config "$TMPD/fsweep.json" --io-size 16M \
		--log-dir "$TMPD/flogs" > "$_o" 2> "$TMPD/tool.err"
	_rc=$?
	diag "sweep --dir $2 -> $_rc: $(head -c 300 "$TMPD/tool.err")"
	tap_check "$1: dsaio-user sweep --dir (read + write, 8 points)" [ $_rc = 0 ]
	tap_check "$1: sweep --dir prints the \"aio\" block" grep -q '"aio"' "$_o"
	tap_check "$1: parse reads the sweep's write logs" sh -c \
		"'$TOOL' parse --log-dir '$TMPD/flogs' --metric write_speed | grep -q ' = '"
	tap_check "$1: nothing left after the tool" [ "$(dsaio_files "$2")" = 0 ]
}

for mnt in $DSAIO_FS_MOUNTS; do
	fstype=$(awk -v m="$mnt" '$2 == m { print $3 }' /proc/mounts)
	name=${mnt##*/}
	dir=$mnt/dsaio-test
	mkdir -p "$dir" || { tap_fail "$name: mkdir $dir"; continue; }
	diag "$name: $fstype on $(awk -v m="$mnt" '$2 == m { print $1 }' /proc/mounts)"

	RUN_PREFIX="$name: " DSAIO_FILE_DIR=$dir DSAIO_FILE_FSTYPE=$fstype \
		DSAIO_FILE_MNT=$mnt run_prog "$name: file_test" ./file_test

	# SIGKILL of the client: its socket closes, the job is cancelled
	if hold_file_job "$dir"; then
		f=$dir/dsaio-$id.dat
		tap_check "$name: the held job's file exists" test -f "$f"
		kill -9 "$holder"; wait "$holder" 2>/dev/null; holder=
		dsaio_ctl wait "$id" 60000 > "$TMPD/get" 2>&1
		tap_check "$name: SIGKILL of the client cancels the file job" \
			[ "$(kv "$TMPD/get" state)" = cancelled ]
		tap_check "$name: nothing left after SIGKILL" \
			[ "$(dsaio_files "$dir")" = 0 ]
	else
		tap_fail "$name: SIGKILL of the client: could not start the job"
	fi

	# rmmod in the middle of a file job: refused, the job and its file
	# stay; cancelled, its file is removed and the module unloads.
	if hold_file_job "$dir"; then
		tap_check "$name: rmmod during a file job fails at once" \
			rmmod_refused 1
		tap_check "$name: the file job's file stays" \
			test -f "$dir/dsaio-$id.dat"
		tap_check "$name: the file job cancelled" cancel_ended "$id"
		tap_check "$name: nothing left after the cancel" \
			[ "$(dsaio_files "$dir")" = 0 ]
		tap_check "$name: rmmod after the file job" unload_module
		kill -9 "$holder" 2>/dev/null; wait "$holder" 2>/dev/null
		holder=
		tap_check "$name: umount and mount after the jobs" \
			sh -c "umount '$mnt' && mount -t '$fstype' \
				'$(awk -v m="$mnt" '$2 == m { print $1 }' /proc/mounts)' '$mnt'"
		load_module || { tap_fail "$name: reload dsaio.ko"; break; }
	else
		tap_fail "$name: rmmod during a file job: could not start the job"
	fi
	tool_on_dir "$name" "$dir" "$fstype"
	rmdir "$dir" 2>/dev/null
done

tap_check "module unloads after the group" unload_module
tap_end
