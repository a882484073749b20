# SPDX-License-Identifier: GPL-2.0 OR MIT
# Chart of `make bench`: throughput and p99 latency per workload and engine,
# median bars with min-max error bars. Called by scripts/bench as
#   gnuplot -e "datafile='DIR/chart.dat'; outfile='DIR/chart.png'; subtitle='...'" bench/chart.gp
# chart.dat (from bench/report.py): column 1 the workload label, then for
# each engine (dsaio, dsaio-nohist, io_uring, libaio, dsaio-uring,
# dsaio-libaio, the best fio setting) median/min/max MB/s (columns 2-22),
# then the same for p99 latency in microseconds (23-43).
if (!exists("datafile")) datafile = 'chart.dat'
if (!exists("outfile")) outfile = 'chart.png'
if (!exists("subtitle")) subtitle = ''

set terminal pngcairo size 1400,1000 font "sans,10" noenhanced
set output outfile
set datafile missing "?"
set style data histogram
set style histogram errorbars gap 1.5 lw 1
set style fill solid 0.85 border -1
set boxwidth 0.9
set key outside right top vertical
set grid ytics mytics
set logscale y
set format y "%g"
set xtics rotate by 12 right scale 0 font ",9"
set bmargin 5

array eng[7] = ["dsaio", "dsaio (histogram off)", "fio io_uring", "fio libaio", "dsaio-uring (user space)", "dsaio-libaio (user space)", "best fio setting"]
array col[7] = ["#1b9e77", "#66c2a5", "#d95f02", "#7570b3", "#e6ab02", "#e7298a", "#666666"]

set multiplot layout 2,1 title "dsaio vs fio (same VM, same device, same parameters)\n".subtitle
set title "Throughput (MB/s, log scale; bar = median, whisker = min-max over rounds)"
set ylabel "MB/s"
plot for [i=1:7] datafile using 3*i-1:3*i:3*i+1:xtic(1) title eng[i] lc rgb col[i]
set title "p99 latency, submission to completion (us, log scale)"
set ylabel "us"
plot for [i=1:7] datafile using 3*i+20:3*i+21:3*i+22:xtic(1) title eng[i] lc rgb col[i]
unset multiplot
