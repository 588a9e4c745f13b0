# SPDX-License-Identifier: MIT
# The one Linux source tree (Debian linux-source-6.1 + linux-patches/series +
# the arch-xeno/ overlay) and the native baseline kernel built from it.

LINUX_TARBALL    := /usr/src/linux-source-6.1.tar.xz
LINUX_SRC        := $(BUILD)/linux-src
LINUX_NATIVE     := $(BUILD)/linux-native
LINUX_SERIES     := linux-patches/series
NATIVE_DEFCONFIG := arch-xeno/arch/x86/configs/native_defconfig

# Patches named by the series (first word of each line, '#' comments dropped),
# and the overlay (see mk/linux-tree.sh) as tree paths.
LINUX_PATCHES := $(addprefix linux-patches/,$(shell sed -e 's/\#.*//' $(LINUX_SERIES) | awk 'NF { print $$1 }'))
overlay_list = $(shell [ -d $(1) ] && cd $(1) && \
	find . -type f ! -name '*~' ! -name '.*' | sed 's|^\./||')
# Overlay: tree path -> source (arch-xeno/ and drivers-front/ mirror tree paths;
# the public ABI headers become include/xeno/public/).
OVERLAY_ARCH    := $(call overlay_list,arch-xeno)
OVERLAY_DRIVERS := $(call overlay_list,drivers-front)
OVERLAY_PUBLIC  := $(patsubst hypervisor/include/public/%,%,$(wildcard hypervisor/include/public/*.h \
	hypervisor/include/public/io/*.h))
ARCH_XENO_FILES := $(shell printf '%s\n' $(OVERLAY_ARCH) $(OVERLAY_DRIVERS) \
	$(addprefix include/xeno/public/,$(OVERLAY_PUBLIC)) | LC_ALL=C sort)
OVERLAY_SRCS    := $(addprefix arch-xeno/,$(OVERLAY_ARCH)) \
	$(addprefix drivers-front/,$(OVERLAY_DRIVERS)) \
	$(addprefix hypervisor/include/public/,$(OVERLAY_PUBLIC))

# kbuild for the native kernel.  The fixed user/host keep `uname -v` stable.
KMAKE_NATIVE = $(MAKE) -C $(LINUX_SRC) O=$(abspath $(LINUX_NATIVE)) ARCH=i386 \
	KBUILD_BUILD_USER=xeno KBUILD_BUILD_HOST=xeno

.PHONY: linux-src linux-native linux-native-savedefconfig run-native FORCE
FORCE:
all: linux-native

## Linux:
##   linux-src     extract linux-source-6.1, apply linux-patches/series, copy arch-xeno/
##   linux-native  build the native baseline kernel -> build/linux-native/bzImage
##   linux-native-savedefconfig  write build/linux-native/.config back to native_defconfig
##   run-native    boot the native kernel + initramfs in QEMU, shell on the serial console
##                 (INITRD=file: boot your own initramfs; MEM=MiB, default 256;
##                 eth0 is virtio-net on QEMU user networking: udhcpc -i eth0;
##                 quit with Ctrl-A x, or 'poweroff' or 'reboot' in the guest)
linux-src: $(LINUX_SRC)/.xeno-synced

# Stamp TREE/.xeno-patched holds the key "version patch...": a different key
# (patch added, removed, reordered, other Debian version) or a newer tarball,
# series or patch re-extracts the tree.  mk/linux-tree.sh keeps the mtime of
# every unchanged file, so existing O= builds only recompile what changed.
linux_src_key := $(LINUX_VERSION) $(notdir $(LINUX_PATCHES))
ifneq ($(strip $(linux_src_key)),$(strip $(shell cat $(LINUX_SRC)/.xeno-patched 2>/dev/null)))
$(LINUX_SRC)/.xeno-patched: FORCE
endif
$(LINUX_SRC)/.xeno-patched: $(LINUX_TARBALL) $(LINUX_SERIES) $(LINUX_PATCHES) mk/linux-tree.sh
	$(Q)mk/linux-tree.sh prepare $(LINUX_TARBALL) $(LINUX_SERIES) $(LINUX_SRC)
	$(Q)echo '$(linux_src_key)' >$@

$(LINUX_TARBALL): | $(DEPS)
	$(Q)test -r $@ || { echo "error: $@ is missing; run 'make deps' as root" >&2; exit 1; }

ifneq ($(LINUX_PATCHES),)
$(LINUX_PATCHES):
	@echo "error: $(LINUX_SERIES) lists $(notdir $@), but $@ does not exist" >&2; exit 1
endif

# Stamp TREE/.xeno-synced is the list of overlaid files; adding or removing a
# file in arch-xeno/ changes the list and resyncs (rsync -c: cheap, and only
# changed files get a new mtime).
ifneq ($(strip $(ARCH_XENO_FILES)),$(strip $(shell cat $(LINUX_SRC)/.xeno-synced 2>/dev/null)))
$(LINUX_SRC)/.xeno-synced: FORCE
endif
$(LINUX_SRC)/.xeno-synced: $(LINUX_SRC)/.xeno-patched $(OVERLAY_SRCS)
	$(Q)mk/linux-tree.sh sync $(LINUX_SRC)

# .config from native_defconfig.  Rerun only when the defconfig or the patches
# change; an identical result keeps the old .config mtime (no kbuild resync).
# Options that Kconfig dropped are an error: fix native_defconfig.
$(LINUX_NATIVE)/.xeno-config: $(NATIVE_DEFCONFIG) $(LINUX_SRC)/.xeno-patched | $(LINUX_SRC)/.xeno-synced
	$(Q)mkdir -p $(LINUX_NATIVE)
	$(Q)if [ -f $(LINUX_NATIVE)/.config ]; then cp -p $(LINUX_NATIVE)/.config $(LINUX_NATIVE)/.config.prev; fi
	+$(Q)$(KMAKE_NATIVE) -s native_defconfig >/dev/null
	$(Q)cd $(LINUX_NATIVE) && if cmp -s .config .config.prev; then touch -r .config.prev .config; fi; \
		rm -f .config.prev
	$(Q)mk/linux-tree.sh checkconfig $(NATIVE_DEFCONFIG) $(LINUX_NATIVE)/.config || \
		{ echo "error: $(NATIVE_DEFCONFIG) asks for options Kconfig cannot set (see above)" >&2; exit 1; }
	$(Q)touch $@

# kbuild decides what to rebuild, so it always runs (a no-op takes a few
# seconds and prints nothing); the artifact is replaced only when it changed.
linux-native: $(LINUX_NATIVE)/bzImage
$(LINUX_NATIVE)/bzImage: $(LINUX_NATIVE)/.xeno-config $(LINUX_SRC)/.xeno-synced FORCE | $(DEPS)
	+$(Q)mk/kbuild.sh $(V) linux-native $(BUILD)/logs/linux-native.log $(KMAKE_NATIVE) bzImage
	$(Q)cmp -s $(LINUX_NATIVE)/arch/x86/boot/bzImage $@ || cp $(LINUX_NATIVE)/arch/x86/boot/bzImage $@

# XenoLinux: the same tree, native_defconfig plus the xeno.config fragment.
LINUX_XENO       := $(BUILD)/linux-xeno
LINUX_XENO_MODS  := $(BUILD)/linux-xeno-modules
XENO_FRAGMENT    := arch-xeno/arch/x86/configs/xeno.config
KMAKE_XENO = $(MAKE) -C $(LINUX_SRC) O=$(abspath $(LINUX_XENO)) ARCH=i386 \
	KBUILD_BUILD_USER=xeno KBUILD_BUILD_HOST=xeno

$(LINUX_XENO)/.xeno-config: $(NATIVE_DEFCONFIG) $(XENO_FRAGMENT) $(LINUX_SRC)/.xeno-patched | $(LINUX_SRC)/.xeno-synced
	$(Q)mkdir -p $(LINUX_XENO)
	$(Q)if [ -f $(LINUX_XENO)/.config ]; then cp -p $(LINUX_XENO)/.config $(LINUX_XENO)/.config.prev; fi
	+$(Q)$(KMAKE_XENO) -s native_defconfig >/dev/null
	$(Q)$(LINUX_SRC)/scripts/kconfig/merge_config.sh -m -O $(LINUX_XENO) $(LINUX_XENO)/.config \
		$(XENO_FRAGMENT) >/dev/null
	+$(Q)$(KMAKE_XENO) -s olddefconfig >/dev/null
	$(Q)cd $(LINUX_XENO) && if cmp -s .config .config.prev; then touch -r .config.prev .config; fi; \
		rm -f .config.prev
	$(Q)mk/linux-tree.sh checkconfig $(XENO_FRAGMENT) $(LINUX_XENO)/.config || \
		{ echo "error: $(XENO_FRAGMENT) asks for options Kconfig cannot set (see above)" >&2; exit 1; }
	$(Q)touch $@

.PHONY: linux-xeno
all: linux-xeno
##   linux-xeno    build XenoLinux (the same tree with CONFIG_XENO) -> build/linux-xeno/vmlinux
linux-xeno: $(LINUX_XENO)/vmlinux $(LINUX_XENO_MODS).stamp
$(LINUX_XENO)/vmlinux: $(LINUX_XENO)/.xeno-config $(LINUX_SRC)/.xeno-synced FORCE | $(DEPS)
	+$(Q)mk/kbuild.sh $(V) linux-xeno $(BUILD)/logs/linux-xeno.log $(KMAKE_XENO) vmlinux modules

# XenoLinux's modules (the front ends, drivers-front/) as the initramfs gets
# them: /lib/modules/RELEASE with modules.dep (depmod).  Installed afresh
# each time, but the stamp (the initramfs's dependency) moves only when the
# installed tree changed.
$(LINUX_XENO_MODS).stamp: $(LINUX_XENO)/vmlinux FORCE
	$(Q)rm -rf $(LINUX_XENO_MODS).new
	+$(Q)$(KMAKE_XENO) -s INSTALL_MOD_PATH=$(abspath $(LINUX_XENO_MODS)).new \
		INSTALL_MOD_STRIP=1 modules_install >/dev/null
	$(Q)rm -f $(LINUX_XENO_MODS).new/lib/modules/*/build $(LINUX_XENO_MODS).new/lib/modules/*/source
	$(Q)if diff -r $(LINUX_XENO_MODS).new $(LINUX_XENO_MODS) >/dev/null 2>&1 && [ -f $@ ]; then \
		rm -rf $(LINUX_XENO_MODS).new; \
	else rm -rf $(LINUX_XENO_MODS) && mv $(LINUX_XENO_MODS).new $(LINUX_XENO_MODS) && touch $@; fi

# After editing build/linux-native/.config (scripts/config, or menuconfig if
# ncurses is installed): keep the header comment of native_defconfig.
linux-native-savedefconfig: $(LINUX_NATIVE)/.xeno-config
	+$(Q)$(KMAKE_NATIVE) -s savedefconfig
	$(Q){ awk '/^(# )?CONFIG_/ { exit } { print }' $(NATIVE_DEFCONFIG); \
	      cat $(LINUX_NATIVE)/defconfig; } >$(NATIVE_DEFCONFIG).new
	$(Q)if cmp -s $(NATIVE_DEFCONFIG).new $(NATIVE_DEFCONFIG); then \
		rm $(NATIVE_DEFCONFIG).new; echo "$(NATIVE_DEFCONFIG) is unchanged"; \
	else mv $(NATIVE_DEFCONFIG).new $(NATIVE_DEFCONFIG); echo "wrote $(NATIVE_DEFCONFIG)"; fi

# run-native: check INITRD and MEM before anything is built.
MEM ?= 256
ifneq ($(filter run-native,$(MAKECMDGOALS)),)
ifeq ($(shell echo '$(MEM)' | grep -xE '[0-9]+'),)
$(error MEM=$(MEM): give the guest memory as a number of MiB, e.g. MEM=256)
endif
ifneq ($(shell [ $(MEM) -ge 32 ] && [ $(MEM) -le 2048 ] && echo ok),ok)
$(error MEM=$(MEM): use 32 to 2048 MiB (the kernel is NOHIGHMEM: it uses at most ~890 MiB))
endif
ifneq ($(INITRD),)
ifeq ($(wildcard $(INITRD)),)
$(error INITRD=$(INITRD): no such file (give a gzip'ed or plain newc cpio archive))
endif
endif
endif
RUN_NATIVE_INITRD = $(or $(INITRD),$(INITRAMFS))

run-native: linux-native $(if $(INITRD),,initramfs)
	$(Q)ci/qemu-linux.sh -k $(LINUX_NATIVE)/bzImage -i $(RUN_NATIVE_INITRD) -m $(MEM) -n; \
	  rc=$$?; case $$rc in 0) ;; 33) echo "(machine powered off)" ;; *) exit $$rc ;; esac

CHECK_TESTS += ci/t-native-boot.sh
CHECK_TESTS += ci/t-xenolinux.sh ci/t-xenolinux-bochs.sh ci/t-blk.sh
# The same broad user-space workload in native Linux and XenoLinux (issue 15).
CHECK_TESTS += ci/t-stress.sh

.PHONY: checkpatch
##   checkpatch    Linux's checkpatch.pl over linux-patches/ and the new Linux files
checkpatch: $(LINUX_SRC)/.xeno-synced
	$(Q)ci/t-checkpatch.sh
CHECK_TESTS += ci/t-checkpatch.sh

.PHONY: check-series
##   check-series  build every prefix of linux-patches/series, native and XenoLinux
##                 (STYLE.md H3), incrementally in build/series/; slow (most patches
##                 touch widely included headers), so not part of 'make check';
##                 FROM=n starts at prefix n
check-series: $(LINUX_TARBALL) | $(DEPS)
	+$(Q)ci/check-series.sh $(FROM)
