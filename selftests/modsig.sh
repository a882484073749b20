#!/bin/sh
# SPDX-License-Identifier: GPL-2.0 OR MIT
# Module signatures: `dsaio-user load` of the unsigned dsaio.ko on a kernel
# that refuses it says why and points to `make sign`, exits 1, and leaves
# the module unloaded; so does the "not loaded" message of a command that
# needs the module.
#
# Not a group of run_tests.sh: what it switches on cannot be switched off
# within a boot. scripts/modsig-check boots a VM of its own with
# lockdown=integrity on the kernel command line (as Secure Boot locks
# Debian's kernels down) and runs this: first the lockdown case (EPERM),
# then it turns sig_enforce on (a bool_enable_only parameter: it can be
# set at run time, never cleared) for the enforced case (EKEYREJECTED),
# which wins over lockdown.
. "$(dirname "$0")/lib.sh"
group_begin

TOOL=${DSAIO_USER:-$(command -v dsaio-user)}
[ -n "$TOOL" ] && [ -x "$TOOL" ] || skip_all "dsaio-user not found (set DSAIO_USER)"
ENFORCE=/sys/module/module/parameters/sig_enforce
LOCKDOWN=/sys/kernel/security/lockdown
err=$TMPD/err

# refused NAME WANT...: dsaio-user load $KO exits 1, its message has every
# WANT, and the module is not loaded.
refused() {
	_case=$1; shift
	"$TOOL" load "$KO" >/dev/null 2>"$err"
	_rc=$?
	tap_check "$_case: load exits 1" [ "$_rc" -eq 1 ]
	for _w in "$@"; do
		tap_check "$_case: the message says '$_w'" grep -qF -- "$_w" "$err"
	done
	tap_check "$_case: the module is not loaded" sh -c '! grep -q "^dsaio " /proc/modules'
	diag "$(cat "$err")"
}

# Every command's "not loaded" sentence; info asks the family, which the
# kernel's autoload (modprobe dsaio) cannot load either.
not_loaded() {
	_case=$1; shift
	"$TOOL" info >/dev/null 2>"$err"
	tap_check "$_case: info fails" [ $? -ne 0 ]
	for _w in "$@"; do
		tap_check "$_case: info's message says '$_w'" grep -qF -- "$_w" "$err"
	done
	diag "$(cat "$err")"
}

# where the tool reads the lockdown mode, as a distribution mounts it
grep -q ' /sys/kernel/security ' /proc/mounts ||
	mount -t securityfs securityfs /sys/kernel/security ||
	{ tap_fail "mount securityfs at /sys/kernel/security"; tap_end; }
module_loaded && { tap_fail "dsaio is not loaded before the test"; tap_end; }
if grep -q '\[integrity\]' "$LOCKDOWN" 2>/dev/null && grep -q N "$ENFORCE"; then
	refused "lockdown=integrity" "the kernel refused $KO (Operation not permitted)" \
		"this kernel is locked down ($LOCKDOWN: integrity" "make sign"
	not_loaded "lockdown=integrity" "this kernel is locked down" "make sign"
else
	tap_fail "booted with lockdown=integrity and sig_enforce N (lockdown: $(cat $LOCKDOWN 2>&1), sig_enforce: $(cat $ENFORCE 2>&1))"
fi

if echo 1 >"$ENFORCE" 2>/dev/null && grep -q Y "$ENFORCE"; then
	refused "sig_enforce" "the kernel refused $KO (Key was rejected by service)" \
		"this kernel enforces module signatures ($ENFORCE is Y)" "make sign"
	not_loaded "sig_enforce" "this kernel enforces module signatures" "make sign"
else
	tap_fail "sig_enforce can be switched on ($(cat $ENFORCE 2>&1))"
fi
tap_end
