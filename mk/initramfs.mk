# SPDX-License-Identifier: MIT
# The busybox initramfs, build/initramfs.cpio.gz: busybox-static:i386, the
# initramfs/rootfs/ overlay (/init, /etc, /tests) and our own C programs.

INITRAMFS     := $(BUILD)/initramfs.cpio.gz
BUSYBOX       := $(BUILD)/deps/busybox/bin/busybox
INITRAMFS_BIN := $(BUILD)/initramfs-bin

# Every initramfs/<dir>/NAME.c of these directories is one program, built
# -m32 -static and installed as /usr/bin/NAME (names must be unique).
INITRAMFS_PROG_DIRS := tools bench
USER_CFLAGS := -m32 -static -O2 -Wall -Wextra -Werror -MMD -MP -Iinitramfs/include
INITRAMFS_PROG_SRCS := $(foreach d,$(INITRAMFS_PROG_DIRS),$(wildcard initramfs/$(d)/*.c))
INITRAMFS_PROGS := $(addprefix $(INITRAMFS_BIN)/,$(basename $(notdir $(INITRAMFS_PROG_SRCS))))
ifneq ($(words $(INITRAMFS_PROGS)),$(words $(sort $(INITRAMFS_PROGS))))
$(error initramfs: two programs share a name in $(INITRAMFS_PROG_SRCS))
endif

# Everything that goes into the image.  Directories are listed too, so that
# adding or removing a file (which changes its directory's mtime) rebuilds it.
INITRAMFS_INPUTS := $(shell find initramfs/rootfs $(addprefix initramfs/,$(INITRAMFS_PROG_DIRS)) \
	! -name '*~' ! -name '.*.sw?' 2>/dev/null)

.PHONY: initramfs
## Initramfs:
##   initramfs     build build/initramfs.cpio.gz (busybox, /init, /tests, initramfs/tools)
##                 kernel parameter xeno.test=NAME runs /tests/NAME and stops the VM
all: initramfs
initramfs: $(INITRAMFS)

$(INITRAMFS): initramfs/mkinitramfs.sh $(BUSYBOX) $(INITRAMFS_INPUTS) $(INITRAMFS_PROGS) \
		$(LINUX_XENO_MODS).stamp | $(DEPS)
	$(if $(filter 0,$(V)),@printf '  %-7s %s\n' GEN $@)
	$(Q)MODULES_ROOT=$(LINUX_XENO_MODS) initramfs/mkinitramfs.sh $@ $(BUSYBOX) initramfs/rootfs \
		$(INITRAMFS_PROGS)

$(BUSYBOX): | $(DEPS)
	$(Q)test -x $@ || scripts/deps.sh

define initramfs_prog_rule
$(INITRAMFS_BIN)/%: initramfs/$(1)/%.c | $(DEPS)
	$$(if $$(filter 0,$$(V)),@printf '  %-7s %s\n' CC $$<)
	$$(Q)mkdir -p $$(dir $$@)
	$$(Q)$$(CC) $$(USER_CFLAGS) -o $$@ $$<
endef
$(foreach d,$(INITRAMFS_PROG_DIRS),$(eval $(call initramfs_prog_rule,$(d))))

-include $(INITRAMFS_PROGS:=.d)
