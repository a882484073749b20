#!/bin/sh
# SPDX-License-Identifier: GPL-2.0 OR MIT
# Function: the parameter grid on the emulated NVMe and null_blk, exact counts.
# Runs function_test with the module loaded and the devices set up.
. "$(dirname "$0")/lib.sh"
require_root
require_ko

cleanup() {
	unload_module
	cleanup_nullbs
	rm -rf "$TMPD"
}
trap cleanup EXIT

load_module || { tap_fail "load dsaio.ko"; tap_end; }
setup_nullbs || diag "null_blk unavailable: its cases skip"
DSAIO_NVME=$(scratch_nvme) && export DSAIO_NVME || diag "no scratch NVMe: its cases skip"
run_prog function_test ./function_test
tap_check "module unloads after the group" unload_module
tap_end
