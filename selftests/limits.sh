#!/bin/sh
# SPDX-License-Identifier: GPL-2.0 OR MIT
# Limits: with max_threads and max_loops at the top of their ranges, jobs
# of that many workers or loops return whole, parseable results (JOB_GET
# and the JOB_STATS dump). Runs limits_test. LIMITS_TOP_LOOPS (default the
# top of the range, 100000) loads a lower max_loops for slow kernels.
. "$(dirname "$0")/lib.sh"
LIMITS_TOP_LOOPS=${LIMITS_TOP_LOOPS:-100000}
export LIMITS_TOP_LOOPS
c_group limits_test max_threads=1024 max_loops="$LIMITS_TOP_LOOPS"
