# SPDX-License-Identifier: GPL-2.0 OR MIT
#
# dsaio top-level build. `make` builds dsaio.ko against KDIR and
# user/dsaio-user; `make check` runs every test; `make demo` shows it work.
# The kernel side itself is described by ./Kbuild.

# The running kernel's build tree when it has one; otherwise (a container,
# a CI machine) the newest Debian cloud headers installed.
KDIR ?= $(firstword $(wildcard /lib/modules/$(shell uname -r)/build) \
	  $(lastword $(shell ls -d /usr/src/linux-headers-*-cloud-amd64 2>/dev/null | sort -V)))
KREL = $(shell cat $(KDIR)/include/config/kernel.release 2>/dev/null || basename $(KDIR))

# Selftest groups for `make check GROUPS=protocol` (empty: all groups),
# the kernels `make check` runs them on, and the one `make demo` boots.
GROUPS ?=
KERNELS ?= 6.1 6.12
KERNEL ?= 6.1

# Knobs passed through to the kernel build when given.
KBUILD_ARGS := $(if $(W),W=$(W)) $(if $(C),C=$(C)) $(if $(V),V=$(V))

all: module user

module:
	@test -n "$(KDIR)" || { echo "No kernel build tree found: install linux-headers (make deps) or pass KDIR=..." >&2; exit 1; }
	scripts/build-kmod $(KDIR) build/$(KREL) $(KBUILD_ARGS)
	cp build/$(KREL)/dsaio.ko dsaio.ko
	@echo "dsaio.ko built for $(KREL): ./dsaio.ko"

user:
	$(MAKE) -C user

deps:
	scripts/deps

check:
	KERNELS="$(KERNELS)" scripts/check $(GROUPS)

demo:
	scripts/demo $(KERNEL)

bench:
	scripts/bench --kernel $(KERNEL)

# The suite again under a kernel with KASAN, lockdep, kmemleak and fault
# injection, built from linux-source (KERNEL=6.12 for the 6.12 one).
check-debug:
	scripts/check-debug --kernel $(KERNEL) $(CHECK_DEBUG_ARGS)

# What CI runs: make check, then check-debug on 6.1, then one count of all.
ci:
	scripts/ci

# Build outputs and logs only: the module build folders (the ones holding
# a Kbuild copy), build/check and build/demo. The kernel cache in build/vm/
# and other people's trees (a debug kernel) stay; distclean removes all.
clean:
	$(MAKE) -C user clean
	@if [ -f selftests/Makefile ]; then $(MAKE) -C selftests OUTPUT=$(CURDIR)/selftests clean; fi
	rm -f dsaio.ko
	for d in build/*/; do if [ -f "$$d/Kbuild" ]; then rm -rf "$$d"; fi; done
	rm -rf build/check build/demo

distclean: clean
	rm -rf build dsaio-demo-results

.PHONY: all module user deps check demo bench check-debug ci clean distclean
