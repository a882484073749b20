#!/bin/sh
# SPDX-License-Identifier: GPL-2.0 OR MIT
# Protocol: commands, refusals with extack, privilege, dumps, events.
# Runs protocol_test with the module loaded and the devices set up.
. "$(dirname "$0")/lib.sh"
c_group protocol_test
