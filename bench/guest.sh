#!/bin/sh
# SPDX-License-Identifier: GPL-2.0 OR MIT
#
# Guest side of `make bench` (busybox ash, inside the test VM).
# Runs the matched workloads with dsaio (the module, and dsaio-user's own
# user-space libaio and io_uring engines) and with fio's io_uring and
# libaio engines, interleaved (A B C A B C ...), and leaves every raw output in
# $OUT (default /results), which the VM runner brings back to the host:
#   workloads.tsv  one line per workload: its parameters (the only place
#                  they are defined; bench/report.py reads them from here)
#   runs.tsv       one line per run: round, workload, engine, file, exit
#                  status, wall seconds, device requests, merged bios,
#                  the guest's busy and total CPU seconds (all CPUs)
#   raw/           fio --output-format=json and dsaio-user --json output,
#                  plus each run's stderr
#   env.txt        kernel, CPU, versions, device parameters; dmesg.txt
set -eu

usage() {
	cat <<'EOF'
Usage: guest.sh [--rounds N] [--scale PCT] [--workloads LIST] [--engines LIST]
                [--out DIR] [--no-prefill] [--dry-run]

  --rounds N        rounds of the interleaved engines (default 5, at least 1)
  --scale PCT       amount of data per run, percent of the default (100)
  --workloads LIST  comma-separated workload ids, e.g. w1,w3 (default: all)
  --engines LIST    comma-separated subset of dsaio,io_uring,libaio,
                    dsaio-libaio,dsaio-uring,io_uring-reg,io_uring-sqpoll,
                    io_uring-sqpin,io_uring-hipri (default: all; w6 and w7,
                    and dsaio-poll, the module with --poll on w8, w9
                    and w14, run only when dsaio is included). dsaio is the module's engine;
                    dsaio-libaio and dsaio-uring are dsaio-user run
                    --engine libaio / io_uring (no module), each run next
                    to its fio twin, the pair's order swapped every other
                    round
  --budget SEC      after round 3, start another round only if it should
                    end within SEC seconds of the first (default 1200)
  --out DIR         results directory (default /results)
  --fio-batch N|qd  fio's iodepth_batch_submit: qd (default; the queue
                    depth, as dsaio's single_submit=0) or a number (1: fio's
                    own default, one request per system call)
  --warmup N|default  --warmup-loops N for every dsaio-user run (default:
                    not given, dsaio-user's own: 1 untimed loop first, as
                    ds_io); fio has none, 0 moves exactly fio's data
  --no-prefill      do not write the NVMe read region before round 1
  --dry-run         print the commands, run nothing
EOF
}

ROUNDS=5
SCALE=100
ONLY=""
ENGINES="dsaio,io_uring,libaio,dsaio-libaio,dsaio-uring,io_uring-reg,io_uring-sqpoll,io_uring-sqpin,io_uring-hipri"
OUT=/results
PREFILL=1
BUDGET=1200
FIO_BATCH_OPT=qd
WARMUP=default
DRY=0
BENCH_DIR=$(dirname "$0")
FIO=${FIO:-/opt/fio/fio}
DSAIO=${DSAIO:-dsaio-user}
# w7's dsaio-untraced: the module built with DSAIO_TRACE=0 (scripts/bench
# adds it), loaded in place of the normal one for its runs
UNTRACED_KO=${UNTRACED_KO:-/bench-ko/dsaio-untraced.ko}

while [ $# -gt 0 ]; do
	case "$1" in
	-h|--help) usage; exit 0 ;;
	--rounds) ROUNDS=$2; shift 2 ;;
	--scale) SCALE=$2; shift 2 ;;
	--workloads) ONLY=$2; shift 2 ;;
	--engines) ENGINES=$2; shift 2 ;;
	--out) OUT=$2; shift 2 ;;
	--budget) BUDGET=$2; shift 2 ;;
	--no-prefill) PREFILL=0; shift ;;
	--fio-batch) FIO_BATCH_OPT=$2; shift 2 ;;
	--warmup) WARMUP=$2; shift 2 ;;
	--dry-run) DRY=1; shift ;;
	*) echo "guest.sh: unknown argument: $1" >&2; usage >&2; exit 2 ;;
	esac
done
case "$ROUNDS" in ''|*[!0-9]*|0) echo "guest.sh: --rounds needs a number >= 1" >&2; exit 2 ;; esac
case "$SCALE" in ''|*[!0-9]*|0) echo "guest.sh: --scale needs a number >= 1" >&2; exit 2 ;; esac
case "$BUDGET" in ''|*[!0-9]*) echo "guest.sh: --budget needs seconds" >&2; exit 2 ;; esac
case "$WARMUP" in default) ;; ''|*[!0-9]*) echo "guest.sh: --warmup needs a number or default" >&2; exit 2 ;; esac

log() { echo "bench: $*"; }
now() { awk '{ print $1 }' /proc/uptime; }
has() { case ",$1," in *",$2,"*) return 0 ;; esac; return 1; }

MiB=1048576
NULLB=/dev/nullb0
NVME=/dev/nvme0n1
# w16, w17: a file on the VM's --fs-disk file systems (mounted by the
# runner before this script). The dev column of a file workload is the
# directory: dsaio-user run --dir measures a file it creates there.
FS_EXT4=${DSAIO_FS_EXT4:-/mnt/ext4}
FS_XFS=${DSAIO_FS_XFS:-/mnt/xfs}
# w18: the runner's two --raw-nvme drives together, comma-separated: one
# dsaio job over both (--dev A --dev B), fio one job per drive
NVME2=$(echo "${DSAIO_RAW_NVMES:-/dev/nvme3n1 /dev/nvme4n1}" | awk '{ print $1 "," $2 }')

# Workload table: id dev op bs qd threads io_size(MiB, before --scale) loops
# engines title nomerges (the queue's nomerges for the run: 2 = none, so
# every 4K request is a device request, as random I/O would be). Sizes
# are chosen so that one run lasts 2-5 s under TCG with the figures of
# vm-facts.md; --scale trades time for noise.
# The engines' order is the order of a round; dsaio-uring and dsaio-libaio
# come right after their fio twins (see the swap in the rounds' loop).
# The user-space engines hold one buffer of io_size bytes, as DeepSpeed
# does: scripts/bench gives the VM the memory for the largest (2048 MiB).
# fio's io_uring at its best comes after them: registered buffers and
# file, + SQ polling thread, + polled completions (null_blk only: its poll
# queues; QEMU's NVMe has none). With 4 workers, fio's SQ threads (one a
# job) spin against each other on the guest's 2 CPUs: 30-600x slower than
# without (w11-w13, 2026-12-02), so there fio's best is io_uring-reg.
# randread/randwrite (w19-w21): every block of each slice once per loop in
# a seeded random order (dsaio-user --random; fio rw=randread/randwrite,
# whose random map visits each block once too), merges left on: random
# requests do not merge, so each is a device request.
# w1 and w2 (merges on) keep to that too: w8-w10 are where the best peer
# counts, and fio's SQ thread on w1 alone took 40 s a round.
# w16, w17 read a file on ext4 / xfs: the round's dsaio run keeps the file
# it created and filled (untimed, at set-up) and every fio setting reads
# that very file; dsaio-uring and dsaio-libaio read files of their own, as
# dsaio-user's --dir does. w18 reads two drives together: one dsaio job
# (--dev A --dev B, each its own worker), fio one job a drive; with two
# jobs fio's SQ threads would share the 2 CPUs, so no SQ polling there.
# w16w, w17w (run with w16, w17) write there: every dsaio engine a new
# file each loop, as DeepSpeed swaps (dsaio writes only files it made), and
# fio likewise a file of its own, created each loop and unlinked after it
# (FIO_FILE_WRITE), its blocks allocated as it writes (fallocate=none).
E="dsaio,io_uring,dsaio-uring,libaio,dsaio-libaio"
E4="$E,io_uring-reg"
EB="$E4,io_uring-sqpoll,io_uring-sqpin"
EN="$EB,io_uring-hipri"
# and the module polled too (dsaio-user run --poll, the same poll queue),
# so polled is compared with polled; not at QD128: 128 polled bios do not
# fit the 64 requests of null_blk's queue, which the module refuses (fio
# gets EAGAIN from io_uring and retries)
ENP="$EN,dsaio-poll"
WORKLOADS="\
w1 $NULLB read 4096 32 1 1024 1 $E4 null_blk_4K_read_QD32 0
w2 $NULLB read 4096 1 1 256 1 $E4 null_blk_4K_read_QD1 0
w3 $NVME read 1048576 8 1 2048 2 $EB nvme_1M_seq_read_QD8 0
w4 $NVME write 1048576 8 1 2048 2 $EB nvme_1M_seq_write_QD8 0
w5 $NVME read 131072 32 4 2048 1 $E4 nvme_128K_read_QD32_4w 0
w6 $NULLB read 4096 32 1 1024 3 dsaio,dsaio-nohist null_blk_4K_QD32_histogram_on_off 0
w7 $NULLB read 4096 32 1 1024 3 dsaio,dsaio-untraced,dsaio-traced null_blk_4K_QD32_tracepoints_off_out_on 0
w8 $NULLB read 4096 1 1 64 1 $ENP null_blk_4K_QD1_no_merges 2
w9 $NULLB read 4096 32 1 256 1 $ENP null_blk_4K_QD32_no_merges 2
w10 $NULLB read 4096 128 1 256 1 $EN null_blk_4K_QD128_no_merges 2
w11 $NULLB read 4096 1 4 128 1 $E4 null_blk_4K_QD1_4w_no_merges 2
w12 $NULLB read 4096 32 4 256 1 $E4 null_blk_4K_QD32_4w_no_merges 2
w13 $NULLB read 4096 128 4 256 1 $E4 null_blk_4K_QD128_4w_no_merges 2
w14 $NULLB write 4096 32 1 256 1 $ENP null_blk_4K_write_QD32_no_merges 2
w15 $NVME read 1048576 32 2 128 1 dsaio-sweep nvme_sweep_8_points_wall_vs_E2E 0
w16 $FS_EXT4 read 1048576 8 1 512 2 $EB ext4_file_1M_seq_read_QD8 0
w17 $FS_XFS read 1048576 8 1 512 2 $EB xfs_file_1M_seq_read_QD8 0
w16w $FS_EXT4 write 1048576 8 1 512 2 $EB ext4_file_1M_seq_write_QD8 0
w17w $FS_XFS write 1048576 8 1 512 2 $EB xfs_file_1M_seq_write_QD8 0
w18 $NVME2 read 1048576 8 1 512 2 $E4 two_nvme_1M_seq_read_QD8_each 0
w19 $NULLB randread 4096 32 1 128 1 $EN null_blk_4K_randread_QD32 0
w20 $NULLB randread 4096 32 4 128 1 $E4 null_blk_4K_randread_QD32_4w 0
w21 $NULLB randwrite 4096 32 1 128 1 $EN null_blk_4K_randwrite_QD32 0"

# fio's io_uring variants: engine name, the options added to job.fio's
# [bench] section (each builds on the one before). sqpin pins fio to CPU 0
# and its SQ thread to CPU 1, so that the two do not share one: on the
# 2-CPU host, 37K IOPS against 6K unpinned (4K QD32 on a file, 2026-12-02).
FIO_FILE_WRITE="fallocate=none unlink_each_loop=1 unlink=1"
FIO_VARIANTS="\
io_uring-reg fixedbufs=1 registerfiles=1
io_uring-sqpoll fixedbufs=1 registerfiles=1 sqthread_poll=1
io_uring-sqpin fixedbufs=1 registerfiles=1 sqthread_poll=1 sqthread_poll_cpu=1 cpus_allowed=0
io_uring-hipri fixedbufs=1 registerfiles=1 sqthread_poll=1 sqthread_poll_cpu=1 cpus_allowed=0 hipri=1"

mkdir -p "$OUT/raw"
: >"$OUT/runs.tsv"
: >"$OUT/workloads.tsv"

# ---- set-up -----------------------------------------------------------
run_setup() {
	if [ "$DRY" = 1 ]; then log "(dry run) $*"; return 0; fi
	"$@"
}

have_dsaio=0
if has "$ENGINES" dsaio; then
	ko=/lib/modules/$(uname -r)/extra/dsaio.ko
	if [ -d /sys/module/dsaio ] || run_setup insmod "$ko"; then
		have_dsaio=1
	else
		log "cannot load $ko: dsaio runs are skipped" >&2
	fi
fi
# use_module normal|untraced: that build of dsaio.ko loaded (the other
# unloaded first); false, with the normal one back, when it cannot be.
cur_module=normal
use_module() {
	[ "$1" != "$cur_module" ] || return 0
	if [ "$DRY" = 1 ]; then cur_module=$1; return 0; fi
	mf=$ko
	[ "$1" = normal ] || mf=$UNTRACED_KO
	if rmmod dsaio && insmod "$mf"; then
		cur_module=$1
		return 0
	fi
	log "cannot load $mf: the normal module again" >&2
	[ -d /sys/module/dsaio ] || insmod "$ko" || have_dsaio=0
	cur_module=normal
	return 1
}
have_untraced=0
if [ "$have_dsaio" = 1 ] && { [ -f "$UNTRACED_KO" ] || [ "$DRY" = 1 ]; }; then
	have_untraced=1
fi
# The user-space engines need dsaio-user with --engine, and no module.
have_uengine=0
if has "$ENGINES" dsaio-libaio || has "$ENGINES" dsaio-uring; then
	if [ "$DRY" = 1 ] || "$DSAIO" run --help 2>&1 | grep -q -e '--engine'; then
		have_uengine=1
	else
		log "$DSAIO has no run --engine: dsaio-libaio and dsaio-uring runs are skipped" >&2
	fi
fi
has_fio=0
if has "$ENGINES" io_uring || has "$ENGINES" libaio; then
	if [ "$DRY" = 1 ] || "$FIO" --version >/dev/null 2>&1; then
		has_fio=1
	else
		log "$FIO does not run: fio runs are skipped" >&2
	fi
fi

# null_blk without memory backing, completions inline (irqmode=0): the
# device costs next to nothing, what is left is the submission path.
if [ ! -b $NULLB ]; then
	run_setup modprobe configfs || true
	run_setup modprobe null_blk nr_devices=1 queue_mode=2 irqmode=0 \
		memory_backed=0 gb=64 bs=512 hw_queue_depth=64 poll_queues=1 ||
		log "modprobe null_blk failed" >&2
fi
[ "$DRY" = 1 ] || mdev -s 2>/dev/null || true

{
	echo "kernel: $(uname -r)"
	echo "cmdline: $(cat /proc/cmdline)"
	echo "cpus: $(nproc)"
	echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //')"
	echo "mem_kb: $(awk '/MemTotal/ { print $2 }' /proc/meminfo)"
	echo "fio: $("$FIO" --version 2>/dev/null || echo none)"
	echo "dsaio_module: $(cat /sys/module/dsaio/version 2>/dev/null || echo unknown)"
	echo "dsaio_untraced_module: $([ "$have_untraced" = 1 ] && echo "$UNTRACED_KO" || echo none)"
	echo "dsaio_user: $("$DSAIO" --version 2>/dev/null | head -1 || echo unknown)"
	echo "engines: $ENGINES"
	for p in irqmode queue_mode memory_backed gb bs hw_queue_depth submit_queues poll_queues; do
		echo "null_blk.$p: $(cat /sys/module/null_blk/parameters/$p 2>/dev/null || echo -)"
	done
	for d in nullb0 nvme0n1; do
		q=/sys/block/$d/queue
		[ -d $q ] || continue
		echo "$d: size_sectors=$(cat /sys/block/$d/size) lbs=$(cat $q/logical_block_size)" \
		     "max_sectors_kb=$(cat $q/max_sectors_kb) nr_requests=$(cat $q/nr_requests)" \
		     "scheduler=$(cat $q/scheduler) io_poll=$(cat $q/io_poll 2>/dev/null || echo -)"
	done
	echo "rounds: $ROUNDS"
	echo "scale_pct: $SCALE"
	echo "fio_batch: $FIO_BATCH_OPT"
	echo "dsaio_warmup_loops: $WARMUP"
} >"$OUT/env.txt" 2>&1

# ---- workloads --------------------------------------------------------
prefill_mib=0
echo "$WORKLOADS" | while read -r id dev op bs qd thr mib loops engs title nm; do
	# w16w and w17w come with w16 and w17
	[ -z "$ONLY" ] || has "$ONLY" "$id" || has "$ONLY" "${id%w}" || continue
	size=$((mib * MiB * SCALE / 100))
	# whole requests in every slice, so that dsaio and fio cut alike
	unit=$((bs * thr))
	size=$((size / unit * unit))
	[ "$size" -gt 0 ] || size=$unit
	printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' \
		"$id" "$dev" "$op" "$bs" "$qd" "$thr" "$size" "$loops" "$engs" "$title" "$nm" \
		>>"$OUT/workloads.tsv"
done

# The NVMe image starts sparse: write the read region once, untimed, so
# that reads hit allocated blocks rather than holes.
prefill_mib=$(awk -F'\t' -v d=$NVME '$2 == d && $3 == "read" && $7 > m { m = $7 }
	END { printf "%d", m / 1048576 }' "$OUT/workloads.tsv")
if [ "$PREFILL" = 1 ] && [ "$prefill_mib" -gt 0 ] && { [ -b $NVME ] || [ "$DRY" = 1 ]; }; then
	log "prefill: writing ${prefill_mib} MiB of $NVME"
	t0=$(now)
	run_setup dd if=/dev/zero of=$NVME bs=1M count="$prefill_mib" oflag=direct 2>/dev/null ||
		run_setup dd if=/dev/zero of=$NVME bs=1M count="$prefill_mib" 2>/dev/null ||
		log "prefill failed" >&2
	log "prefill: $(awk -v a="$t0" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }') s"
fi
# w18's drives (--raw-nvme) start blank as well: each one's region once
if [ "$PREFILL" = 1 ]; then
	for d in $(awk -F'\t' '$2 ~ /,/ && $3 == "read" { gsub(",", " ", $2); print $2 }' \
			"$OUT/workloads.tsv" | tr ' ' '\n' | sort -u); do
		n=$(awk -F'\t' -v d="$d" '$3 == "read" && index("," $2 ",", "," d ",") && $7 > m { m = $7 }
			END { printf "%d", m / 1048576 }' "$OUT/workloads.tsv")
		{ [ -b "$d" ] || [ "$DRY" = 1 ]; } || { log "no $d: its runs will fail" >&2; continue; }
		log "prefill: writing $n MiB of $d"
		run_setup dd if=/dev/zero of="$d" bs=1M count="$n" oflag=direct 2>/dev/null ||
			log "prefill of $d failed" >&2
	done
fi

# trace_dsaio 1|0: the dsaio tracepoints on (recording into tracefs's
# main buffer) or off again, its buffer emptied; false without tracefs.
TRACEFS=/sys/kernel/tracing
trace_dsaio() {
	if [ ! -d $TRACEFS/events ]; then
		mount -t tracefs nodev $TRACEFS 2>/dev/null || true
	fi
	if [ ! -d $TRACEFS/events/dsaio ]; then
		log "no $TRACEFS/events/dsaio: dsaio-traced runs are skipped" >&2
		return 1
	fi
	echo "$1" >$TRACEFS/events/dsaio/enable
	echo 1 >$TRACEFS/tracing_on
	[ "$1" = 1 ] || : >$TRACEFS/trace
}

# cpu_busy: the guest's busy and total CPU time so far, in USER_HZ ticks
# (/proc/stat's cpu line: all but idle and iowait is busy)
cpu_busy() {
	awk '$1 == "cpu" { t = 0; for (i = 2; i <= 9; i++) t += $i
		printf "%d %d", t - $5 - $6, t; exit }' /proc/stat
}

# A workload's target: a block device, several (comma-separated: w18), or
# a directory on a mounted file system (w16, w17).
# target_args DEV: dsaio-user's options for it
target_args() {
	case "$1" in
	# together only, not each alone first (--no-scaling)
	*,*) echo "$1" | tr , '\n' | sed 's/^/--dev /'; echo --no-scaling ;;
	/dev/*) echo "--dev $1" ;;
	*) echo "--dir $1" ;;
	esac
}
# target_bdevs DEV: the block devices under it (sysfs names), one a line
target_bdevs() {
	case "$1" in
	/dev/*) echo "$1" | tr , '\n' | sed 's,^/dev/,,' ;;
	*) awk -v m="$1" '$2 == m { sub("^/dev/", "", $1); print $1; exit }' /proc/mounts ;;
	esac
}
# dev_stat BDEVS: /sys/block/X/stat summed field by field over them
dev_stat() {
	for b in $1; do cat "/sys/block/$b/stat" 2>/dev/null || return 0; done |
		awk '{ for (i = 1; i <= NF; i++) s[i] += $i; n = NF }
			END { for (i = 1; i <= n; i++) printf "%d ", s[i] }'
}
# fs_read_file DIR SIZE: the file fio reads in DIR. The dsaio run of the
# round kept its own (--keep-files: dsaio-<job id>.dat, written in full at
# its set-up), so fio reads the very file dsaio read; without one (dsaio
# not run, or failed) a file is written here first, untimed.
fs_read_file() {
	ff=$(ls -t "$1"/dsaio-[0-9]*.dat 2>/dev/null | head -n 1)
	if [ -n "$ff" ] && [ "$(stat -c %s "$ff")" -ge "$2" ]; then
		echo "$ff"
		return 0
	fi
	ff=$1/bench-fio.dat
	if [ ! -f "$ff" ] || [ "$(stat -c %s "$ff")" -lt "$2" ]; then
		log "prefill: writing $(($2 / MiB)) MiB of $ff" >&2
		dd if=/dev/zero of="$ff" bs=1M count=$(($2 / MiB)) oflag=direct 2>/dev/null ||
			dd if=/dev/zero of="$ff" bs=1M count=$(($2 / MiB)) conv=fsync 2>/dev/null ||
			{ log "prefill of $ff failed" >&2; return 1; }
	fi
	echo "$ff"
}

run_one() { # round id dev op bs qd thr size loops engine nomerges
	r=$1 id=$2 dev=$3 op=$4 bs=$5 qd=$6 thr=$7 size=$8 loops=$9 eng=${10} nm=${11}
	# dop: dsaio's --op; rnd: --random for fio's randread/randwrite
	dop=${op#rand} rnd=
	[ "$dop" = "$op" ] || rnd=--random
	f="$id-r$r-$eng"
	out="$OUT/raw/$f.json"
	err="$OUT/raw/$f.err"
	case "$dev" in
	/dev/*) ;;
	*)	if [ "$DRY" = 0 ] && ! grep -q " $dev " /proc/mounts; then
			log "$dev is not a mounted file system: $f skipped" >&2
			return 0
		fi ;;
	esac
	tgt=$(target_args "$dev")
	case "$eng" in
	dsaio|dsaio-nohist|dsaio-traced|dsaio-untraced|dsaio-poll)
		if [ "$have_dsaio" != 1 ]; then return 0; fi
		if [ "$eng" = dsaio-untraced ]; then
			[ "$have_untraced" = 1 ] && use_module untraced || return 0
		else
			use_module normal || return 0
		fi
		# shellcheck disable=SC2086
		set -- "$DSAIO" run $tgt --op "$dop" --block-size "$bs" \
			--queue-depth "$qd" --threads "$thr" --io-size "$size" \
			--loops "$loops" --json $rnd
		case "$dev" in
		/dev/*) [ "$dop" = write ] && set -- "$@" --allow-write ;;
		*)	# its file stays for fio to read (fs_read_file); the
			# last round's goes first, so two never fill the disk
			if [ "$dop" = read ] && [ "$eng" = dsaio ]; then
				[ "$DRY" = 1 ] || rm -f "$dev"/dsaio-[0-9]*.dat
				set -- "$@" --keep-files
			fi ;;
		esac
		[ "$eng" = dsaio-nohist ] && set -- "$@" --no-histogram
		[ "$eng" = dsaio-poll ] && set -- "$@" --poll
		# every dsaio event recorded (the ring buffer overwrites)
		[ "$eng" = dsaio-traced ] && [ "$DRY" = 0 ] && { trace_dsaio 1 || return 0; }
		;;
	dsaio-sweep)
		# a whole sweep of bench/sweep-grid.json (8 points, read): its
		# wall time against its points' E2E and set-up (report.py)
		if [ "$have_dsaio" != 1 ]; then return 0; fi
		use_module normal || return 0
		set -- "$DSAIO" sweep --dev "$dev" --config "$BENCH_DIR/sweep-grid.json" \
			--io-size "$size" --loops "$loops" --no-write \
			--log-dir /tmp/bench-sweep-logs --json
		;;
	dsaio-libaio|dsaio-uring)
		# exactly the dsaio run above, from user space: dsaio-user's
		# defaults are fio's settings here (block submit = fio's
		# iodepth_batch_submit=qd, overlap = iodepth_batch_complete_min=1)
		if [ "$have_uengine" != 1 ]; then return 0; fi
		ue=libaio
		[ "$eng" = dsaio-uring ] && ue=io_uring
		# shellcheck disable=SC2086
		set -- "$DSAIO" run --engine "$ue" $tgt --op "$dop" \
			--block-size "$bs" --queue-depth "$qd" --threads "$thr" \
			--io-size "$size" --loops "$loops" --json $rnd
		case "$dev" in /dev/*) [ "$dop" = write ] && set -- "$@" --allow-write ;; esac
		;;
	io_uring|libaio|io_uring-*)
		if [ "$has_fio" != 1 ]; then return 0; fi
		job="$BENCH_DIR/fio/job.fio"
		opts=$(echo "$FIO_VARIANTS" | awk -v e="$eng" '$1 == e { $1 = ""; print }')
		if [ -n "$opts" ]; then
			case "$opts" in *sqthread_poll_cpu*)
				[ "$(nproc)" -ge 2 ] || {
					log "one CPU: $f skipped (its SQ thread is pinned to CPU 1)" >&2; return 0; }
			esac
			case "$opts" in *hipri*)
				# polled completions need a queue with poll queues
				[ "$(cat "/sys/block/${dev#/dev/}/queue/io_poll" 2>/dev/null)" = 1 ] || {
					log "$dev has no poll queues: $f skipped" >&2; return 0; }
			esac
			# kept with the results: the exact job that ran
			job="$OUT/raw/$f.fio"
			{ cat "$BENCH_DIR/fio/job.fio"; printf '%s\n' $opts; } >"$job"
		fi
		fdev=$dev
		case "$dev" in
		*,*)	fdev=${dev%%,*}
			# one job a drive (group_reporting sums them), each with
			# the setting's options: [bench] the first, then the rest
			job="$OUT/raw/$f.fio"
			{
				cat "$BENCH_DIR/fio/job.fio"
				printf '%s\n' $opts "filename=${dev%%,*}"
				k=1
				for d in $(echo "${dev#*,}" | tr , ' '); do
					k=$((k + 1))
					printf '[bench-%s]\n' "$k"
					printf '%s\n' $opts "filename=$d"
				done
			} >"$job" ;;
		/dev/*) ;;
		*)	if [ "$op" = write ]; then
				fdev=$dev/fio-write.dat
				[ "$DRY" = 1 ] || rm -f "$fdev"
				job="$OUT/raw/$f.fio"
				{ cat "$BENCH_DIR/fio/job.fio"; printf '%s\n' $opts $FIO_FILE_WRITE; } >"$job"
			elif [ "$DRY" = 1 ]; then
				fdev="$dev/dsaio-N.dat"
			else
				fdev=$(fs_read_file "$dev" "$size") || return 0
			fi ;;
		esac
		export FIO_DEV="$fdev" FIO_ENGINE="${eng%%-*}" FIO_BS="$bs" FIO_QD="$qd" \
			FIO_JOBS="$thr" FIO_SLICE=$((size / thr)) FIO_LOOPS="$loops"
		export FIO_RW="$op" FIO_BATCH="$qd"
		[ "$FIO_BATCH_OPT" = qd ] || FIO_BATCH=$FIO_BATCH_OPT
		set -- "$FIO" --output-format=json --output="$out" "$job"
		;;
	*) echo "guest.sh: unknown engine $eng" >&2; return 1 ;;
	esac
	case "$eng" in
	dsaio*) [ "$WARMUP" = default ] || set -- "$@" --warmup-loops "$WARMUP" ;;
	esac
	if [ "$DRY" = 1 ]; then
		echo "$f: $*"
		return 0
	fi
	bdevs=$(target_bdevs "$dev")
	for b in $bdevs; do
		echo "${nm:-0}" 2>/dev/null >"/sys/block/$b/queue/nomerges" || true
	done
	s0=$(dev_stat "$bdevs")
	c0=$(cpu_busy)
	t0=$(now)
	rc=0
	case "$eng" in
	dsaio*) "$@" >"$out" 2>"$err" || rc=$? ;;
	*) "$@" >"$err" 2>&1 || rc=$? ;;
	esac
	t1=$(now)
	c1=$(cpu_busy)
	[ "$eng" = dsaio-traced ] && trace_dsaio 0
	s1=$(dev_stat "$bdevs")
	secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')
	# requests the device completed and bios merged into them, from
	# /sys/block/DEV/stat (fields 1-2 reads, 5-6 writes)
	devio=$(echo "$s0 $s1" | awk -v op="$dop" '{ o = (op == "read") ? 0 : 4; n = NF / 2
		if (NF < 8 || NF % 2) { printf "-\t-"; exit }
		printf "%d\t%d", $(o + n + 1) - $(o + 1), $(o + n + 2) - $(o + 2) }')
	# the guest's CPU time in the run, busy and all (seconds, all CPUs)
	cpu=$(echo "$c0 $c1" | awk '{ printf "%.2f\t%.2f", ($3 - $1) / 100, ($4 - $2) / 100 }')
	printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$r" "$id" "$eng" "raw/$f.json" "$rc" "$secs" \
		"$devio" "$cpu" >>"$OUT/runs.tsv"
	[ -s "$err" ] || rm -f "$err"
	log "round $r $id $eng: rc=$rc ${secs}s"
}

t_start=$(now)
r=1
while [ "$r" -le "$ROUNDS" ]; do
	while IFS='	' read -r id dev op bs qd thr size loops engs title nm; do
		list=$(echo "$engs" | tr , ' ')
		# w6 and w7 compare two settings of one engine: swap their order
		# every other round (A B, B A, ...) so that a drift in the host's
		# load does not always favour the same one.
		if { [ "$id" = w6 ] || [ "$id" = w7 ]; } && [ $((r % 2)) = 0 ]; then
			list=$(echo "$list" | awk '{ for (i = NF; i > 0; i--) printf "%s ", $i }')
		fi
		# Each user-space engine runs right after its fio twin in odd
		# rounds and right before it in even ones, so that neither of a
		# compared pair always runs second.
		if [ $((r % 2)) = 0 ]; then
			list=$(echo "$list" | awk '{ for (i = 1; i <= NF; i++)
				if (i < NF && (($i "," $(i + 1)) == "io_uring,dsaio-uring" ||
				    ($i "," $(i + 1)) == "libaio,dsaio-libaio")) {
					printf "%s %s ", $(i + 1), $i; i++
				} else printf "%s ", $i }')
		fi
		for eng in $list; do
			case "$eng" in
			dsaio|dsaio-nohist|dsaio-traced|dsaio-untraced|dsaio-sweep|dsaio-poll)
				has "$ENGINES" dsaio || continue ;;
			*) has "$ENGINES" "$eng" || continue ;;
			esac
			run_one "$r" "$id" "$dev" "$op" "$bs" "$qd" "$thr" "$size" "$loops" "$eng" "$nm"
		done
	done <"$OUT/workloads.tsv"
	# keep the whole run bounded: a loaded host can make rounds slow
	if [ "$r" -ge 3 ] && [ "$r" -lt "$ROUNDS" ] && [ "$DRY" = 0 ] &&
	   awk -v a="$t_start" -v b="$(now)" -v r="$r" -v B="$BUDGET" \
		'BEGIN { exit !((b - a) * (r + 1) / r > B) }'; then
		log "stopping after round $r of $ROUNDS: another would pass the ${BUDGET} s budget" >&2
		echo "rounds_done: $r (budget)" >>"$OUT/env.txt"
		break
	fi
	r=$((r + 1))
done
use_module normal || true
log "all rounds: $(awk -v a="$t_start" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }') s"
dmesg >"$OUT/dmesg.txt" 2>/dev/null || true
pat='timeout\|resetting\|BUG:\|WARNING:\|Call Trace'
if grep -q "$pat" "$OUT/dmesg.txt" 2>/dev/null; then
	log "kernel log has warnings (see dmesg.txt):" >&2
	grep "$pat" "$OUT/dmesg.txt" | tail -5 >&2
fi
exit 0
