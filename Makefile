# SPDX-License-Identifier: GPL-2.0 OR MIT
#
# dsaio top-level build. `make` builds dsaio.ko against KDIR and
# user/dsaio-user; `make check` runs every test; `make demo` shows it work;
# `make install`, `make sign`, `make dkms-source` put it on a machine.
# The kernel side itself is described by ./Kbuild.

# The running kernel's build tree when it has one; otherwise (a container,
# a CI machine) the newest Debian cloud headers installed.
KDIR ?= $(firstword $(wildcard /lib/modules/$(shell uname -r)/build) \
	  $(lastword $(shell ls -d /usr/src/linux-headers-*-cloud-amd64 2>/dev/null | sort -V)))
# The release modules built against KDIR carry (their vermagic) and live
# under (/lib/modules/KREL): UTS_RELEASE. Debian's 6.1 headers have
# "6.1.192" in include/config/kernel.release, not "6.1.0-57-cloud-amd64".
KREL = $(shell sed -n 's/^.define UTS_RELEASE "\(.*\)"/\1/p' $(KDIR)/include/generated/utsrelease.h 2>/dev/null | grep . || \
	cat $(KDIR)/include/config/kernel.release 2>/dev/null || basename $(KDIR))

# The version is written once, DSAIO_VERSION in kmod/params.h (it is the
# module's MODULE_VERSION); dkms.conf reads it from there and this reads
# dkms.conf, as DKMS does.
VERSION := $(shell bash -c '. "$(CURDIR)/dkms.conf" && echo "$$PACKAGE_VERSION"' 2>/dev/null)

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

# The adaptive search's benchmark on the host (bench/search/): every kept
# response surface under every noise model, TRIALS trials each (1000).
sim-bench:
	$(MAKE) -C bench/search run TRIALS=$(or $(TRIALS),1000)

# The suite again under a kernel with KASAN, lockdep, kmemleak and fault
# injection, built from linux-source (KERNEL=6.12 for the 6.12 one).
check-debug:
	scripts/check-debug --kernel $(KERNEL) $(CHECK_DEBUG_ARGS)

# The fuzzer at scale (>= 100,000 messages) under the debug kernel, then
# its detectors; not in CI (27 to 40 minutes of the VM).
fuzz-long:
	scripts/fuzz-long --kernel $(KERNEL) $(FUZZ_LONG_ARGS)

# What CI runs: make check, then check-debug on 6.1, then one count of all.
ci:
	scripts/ci

# make install: ./dsaio.ko (as `make` left it, or as `make sign` signed it)
# into /lib/modules/KREL/updates/, then depmod; dsaio-user, its man pages
# and (when user/completion/dsaio-user exists) its bash completion under
# PREFIX. DESTDIR stages it all elsewhere; depmod -b DESTDIR runs only when
# DESTDIR holds that kernel's module tree (modules.order), not in a bare
# staging directory, whose package runs depmod when it is installed.
# make uninstall removes exactly those files and runs depmod again.
PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
MANDIR ?= $(PREFIX)/share/man
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
MODDIR = /lib/modules/$(KREL)/updates
DEPMOD ?= $(firstword $(wildcard /sbin/depmod /usr/sbin/depmod) depmod)
MODINFO ?= $(firstword $(wildcard /sbin/modinfo /usr/sbin/modinfo) modinfo)
COMPLETION = $(wildcard user/completion/dsaio-user)
INSTALLED = $(DESTDIR)$(MODDIR)/dsaio.ko $(DESTDIR)$(BINDIR)/dsaio-user \
	    $(DESTDIR)$(MANDIR)/man8/dsaio-user.8 $(DESTDIR)$(MANDIR)/man4/dsaio.4 \
	    $(DESTDIR)$(BASHCOMPDIR)/dsaio-user

# ./dsaio.ko must exist and be built for KREL (its vermagic), or say so.
define check_ko
	@test -f dsaio.ko || { echo "$@: no ./dsaio.ko: run make (KDIR=...) first" >&2; exit 1; }
	@v=$$($(MODINFO) -F vermagic dsaio.ko | cut -d' ' -f1); [ "$$v" = "$(KREL)" ] || \
		{ echo "$@: ./dsaio.ko is built for $$v, not $(KREL): run make KDIR=$(KDIR) first, or pass the KDIR it was built for" >&2; exit 1; }
endef
define depmod
	@if [ -z "$(DESTDIR)" ] || [ -f "$(DESTDIR)/lib/modules/$(KREL)/modules.order" ]; then \
		echo "$(DEPMOD) $(if $(DESTDIR),-b $(DESTDIR) )$(KREL)"; \
		$(DEPMOD) $(if $(DESTDIR),-b "$(DESTDIR)") "$(KREL)"; \
	else \
		echo "depmod: skipped, $(DESTDIR)/lib/modules/$(KREL) is not a kernel's module tree (no modules.order)"; \
	fi
endef

install:
	$(check_ko)
	@test -x user/dsaio-user || { echo "install: no user/dsaio-user: run make first" >&2; exit 1; }
	install -D -m 0644 dsaio.ko "$(DESTDIR)$(MODDIR)/dsaio.ko"
	install -D -m 0755 user/dsaio-user "$(DESTDIR)$(BINDIR)/dsaio-user"
	install -D -m 0644 man/dsaio-user.8 "$(DESTDIR)$(MANDIR)/man8/dsaio-user.8"
	install -D -m 0644 man/dsaio.4 "$(DESTDIR)$(MANDIR)/man4/dsaio.4"
	$(if $(COMPLETION),install -D -m 0644 $(COMPLETION) "$(DESTDIR)$(BASHCOMPDIR)/dsaio-user")
	$(depmod)

uninstall:
	rm -f $(foreach f,$(INSTALLED),"$(f)")
	$(depmod)

# make sign KEY=key.pem CERT=cert.der: signs ./dsaio.ko in place for Secure
# Boot with the kernel's sign-file (Debian's headers ship it, from
# linux-kbuild). CERT (DER or PEM) must be enrolled (mokutil --import) for
# the kernel to trust it. A signed ./dsaio.ko is refused: `make module`
# copies a fresh unsigned one from build/KREL/.
SIGN_FILE ?= $(KDIR)/scripts/sign-file
SIG_HASH ?= sha256

sign:
	@test -n "$(KEY)" && test -n "$(CERT)" || \
		{ echo "usage: make sign KEY=private-key.pem CERT=certificate.der [KDIR=...]" >&2; exit 2; }
	@test -x "$(SIGN_FILE)" || { echo "sign: $(SIGN_FILE) not found: install the kernel's headers" \
		"(Debian: linux-kbuild-*), build scripts/sign-file.c from its source, or pass SIGN_FILE=" >&2; exit 1; }
	$(check_ko)
	@if tail -c 28 dsaio.ko | grep -q '~Module signature appended~'; then \
		echo "sign: ./dsaio.ko is already signed; make module gives a fresh unsigned copy" >&2; exit 1; fi
	"$(SIGN_FILE)" $(SIG_HASH) "$(KEY)" "$(CERT)" dsaio.ko
	@echo "dsaio.ko signed: signer '$$($(MODINFO) -F signer dsaio.ko)', key $$($(MODINFO) -F sig_key dsaio.ko)"

# make load [PARAMS="max_jobs=16"]: loads ./dsaio.ko (as root) through
# `dsaio-user load`, which says why the kernel refuses it: above all an
# unsigned module where signatures are enforced or the kernel is locked
# down (Secure Boot), which `make sign` answers.
load: user
	@test -f dsaio.ko || { echo "load: no ./dsaio.ko: run make first" >&2; exit 1; }
	user/dsaio-user load dsaio.ko $(PARAMS)

# make dkms-source: the files the module build needs, and dkms.conf, in
# /usr/src/dsaio-VERSION (DKMS_SRCDIR= elsewhere), as DKMS takes them.
DKMS_FILES = dkms.conf Kbuild $(sort $(wildcard kmod/*.c kmod/*.h include/uapi/linux/*.h))
DKMS_SRCDIR ?= $(DESTDIR)/usr/src/dsaio-$(VERSION)

dkms-source:
	@test -n "$(VERSION)" || { echo "dkms-source: no version: DSAIO_VERSION not found in kmod/params.h" >&2; exit 1; }
	@for f in $(DKMS_FILES); do install -D -m 0644 "$$f" "$(DKMS_SRCDIR)/$$f" || exit 1; done
	@echo "dsaio $(VERSION) source for DKMS: $(DKMS_SRCDIR)"

version:
	@echo $(VERSION)

# Build outputs and logs only: the module build folders (the ones holding
# a Kbuild copy), build/check and build/demo. The kernel cache in build/vm/
# and other people's trees (a debug kernel) stay; distclean removes all.
clean:
	$(MAKE) -C user clean
	@if [ -f selftests/Makefile ]; then $(MAKE) -C selftests OUTPUT=$(CURDIR)/selftests clean; fi
	rm -f dsaio.ko
	for d in build/*/; do if [ -f "$$d/Kbuild" ]; then rm -rf "$$d"; fi; done
	rm -rf build/check build/demo
	$(MAKE) -C bench/search clean

distclean: clean
	rm -rf build dsaio-demo-results

.PHONY: all module user deps check demo bench sim-bench check-debug fuzz-long ci clean distclean \
	install uninstall sign load dkms-source version
