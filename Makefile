# SPDX-License-Identifier: MIT
# Xeno: one target per job.  Outputs go to build/ only.  V=1 shows commands.
#
#   make run        build everything, boot Xeno with XenoLinux (Domain0) in QEMU
#   make check      build everything and run every test
#   make help       list all targets

LINUX_VERSION := 6.1.176-1
BUILD         := build
V             ?= 0

ifeq ($(filter $(V),0 1),)
$(error V=$(V): unknown value; use V=0 (quiet) or V=1 (show commands))
endif
ifeq ($(V),1)
Q :=
else
Q := @
endif

export BUILD LINUX_VERSION

# Every rule that runs a host tool waits for this stamp (order-only), and no
# toolchain is asked anything while make reads the makefiles: on a fresh
# machine gcc-multilib, qemu and the rest arrive only when deps has run.
DEPS := $(BUILD)/.deps-ok

.PHONY: all help deps clean distclean
all:

help:
	@sed -n 's/^## \{0,1\}//p' $(MAKEFILE_LIST)

## Targets:
##   deps          install host packages and busybox-static:i386 (as root)
##   all           build the hypervisor, kernels, initramfs and test guests
##   clean         remove build outputs except the cached Linux trees and builds
##   distclean     remove build/ entirely
deps: $(BUILD)/.deps-ok

# The deps script is cheap when everything is present, but we only rerun it
# when it changes or a proof file vanishes.
$(BUILD)/.deps-ok: scripts/deps.sh Makefile
	$(Q)mkdir -p $(BUILD)
	$(Q)scripts/deps.sh
	$(Q)touch $@

clean:
	rm -rf $(filter-out $(BUILD)/linux-src $(BUILD)/linux-native $(BUILD)/linux-xeno \
		$(BUILD)/series $(BUILD)/deps,$(wildcard $(BUILD)/*)) $(BUILD)/.deps-ok

distclean:
	rm -rf $(BUILD)

include mk/hypervisor.mk
include mk/linux.mk
include mk/initramfs.mk
include mk/guests.mk
include mk/hostile.mk
include mk/run.mk
include mk/bench.mk
include mk/check.mk
