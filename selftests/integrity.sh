#!/bin/sh
# SPDX-License-Identifier: GPL-2.0 OR MIT
# Data integrity: pattern, mismatch counts and offsets, guard zones (scratch NVMe).
# Runs integrity_test with the module loaded and the devices set up.
. "$(dirname "$0")/lib.sh"
c_group integrity_test
