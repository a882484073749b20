#!/bin/sh
# SPDX-License-Identifier: GPL-2.0 OR MIT
# Protocol: commands, refusals with extack, privilege, dumps, events.
# Runs protocol_test with the module loaded and the devices set up, then
# policy_test: the live family's policy against the YAML spec
# (Documentation/netlink/specs/dsaio.yaml, as policy.expected).
. "$(dirname "$0")/lib.sh"
group_begin
load_module || { tap_fail "load dsaio.ko"; tap_end; }
setup_nullbs || diag "null_blk unavailable: its cases skip"
DSAIO_NVME=$(scratch_nvme) && export DSAIO_NVME || diag "no scratch NVMe: its cases skip"
run_prog protocol_test ./protocol_test
run_prog policy_test ./policy_test ./policy.expected
tap_check "module unloads after the group" unload_module
tap_end
