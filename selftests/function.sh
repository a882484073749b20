#!/bin/sh
# SPDX-License-Identifier: GPL-2.0 OR MIT
# Function: the parameter grid on the emulated NVMe and null_blk, exact counts.
# Runs function_test with the module loaded and the devices set up.
. "$(dirname "$0")/lib.sh"
c_group function_test
