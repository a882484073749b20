#!/bin/sh
# SPDX-License-Identifier: GPL-2.0 OR MIT
# Limits: with max_threads and max_loops at the top of their ranges, jobs
# of that many workers or loops return whole, parseable results (JOB_GET
# and the JOB_STATS dump). Runs limits_test.
. "$(dirname "$0")/lib.sh"
c_group limits_test max_threads=1024 max_loops=100000
