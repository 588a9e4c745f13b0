# SPDX-License-Identifier: MIT
# Interactive runs of the hypervisor (make run, make debug) and the ABI
# header check.

# Domain0's kernel: XenoLinux (any Xeno ELF kernel with DOM0_KERNEL=).
XENOLINUX     := $(BUILD)/linux-xeno/vmlinux
DOM0_KERNEL   ?= $(XENOLINUX)
DOM0_ARGS     ?= $(if $(filter $(XENOLINUX),$(DOM0_KERNEL)),console=hvc0)
XENO_ARGS     ?=
MEM       ?= 256
GDB_PORT      ?= 1234
# Domain0's disk: QEMU's virtio-blk, Domain0's VBD 0, /dev/xvda in XenoLinux.
# The default image is made (sparse, zero) on first use; DISK=FILE gives yours.
DEFAULT_DISK  := $(BUILD)/disk.img
DISK          ?= $(DEFAULT_DISK)
DISK_MB       ?= 256

ifneq ($(filter run debug,$(MAKECMDGOALS)),)
ifeq ($(shell echo '$(MEM)' | grep -xE '[0-9]+'),)
$(error MEM=$(MEM): give the machine's memory as a number of MiB, e.g. MEM=256)
endif
ifneq ($(INITRD),)
ifeq ($(wildcard $(INITRD)),)
$(error INITRD=$(INITRD): no such file)
endif
endif
ifneq ($(DISK),$(DEFAULT_DISK))
ifeq ($(wildcard $(DISK)),)
$(error DISK=$(DISK): no such file (give a raw disk image, or leave DISK out for $(DEFAULT_DISK)))
endif
endif
ifeq ($(shell echo '$(DISK_MB)' | grep -xE '[1-9][0-9]*'),)
$(error DISK_MB=$(DISK_MB): give the new disk's size as a number of MiB)
endif
endif
RUN_INITRD = $(if $(INITRD),$(INITRD),$(if $(filter $(XENOLINUX),$(DOM0_KERNEL)),$(INITRAMFS)))
QEMU_XENO = qemu-system-i386 -M pc -cpu qemu32 -m $(MEM) -display none -no-reboot \
	-device isa-debug-exit,iobase=0xf4,iosize=4 -kernel $(HV_ELF) -nic none \
	-drive file=$(DISK),format=raw,if=none,id=disk0 \
	-device virtio-blk-pci,drive=disk0,disable-modern=on \
	$(if $(XENO_ARGS),-append "$(XENO_ARGS)") \
	-initrd "$(DOM0_KERNEL)$(if $(DOM0_ARGS), $(DOM0_ARGS))$(if $(RUN_INITRD),$(comma)$(RUN_INITRD))"
comma := ,

.PHONY: run debug headers-check
## Running:
##   run           boot the hypervisor with Domain0 in QEMU, console on this terminal
##                 (DOM0_KERNEL=, DOM0_ARGS=, XENO_ARGS=, INITRD=, MEM=MiB;
##                 DISK=FILE: Domain0's disk, /dev/xvda (default build/disk.img,
##                 made on first use with DISK_MB=256 MiB);
##                 Ctrl-A x quits QEMU; Ctrl-A three times: hypervisor debug keys)
##   debug         the same, stopped at the first instruction with a gdb stub
$(DEFAULT_DISK): | $(DEPS)
	$(Q)truncate -s $(DISK_MB)M $@
	@echo "made $@ ($(DISK_MB) MiB, empty): mke2fs /dev/xvda in Domain0 to use it"

run: all $(DISK)
	@echo "Booting $(HV_ELF) with Domain0 $(DOM0_KERNEL) $(RUN_INITRD)"
	$(Q)$(QEMU_XENO) -serial mon:stdio; rc=$$?; \
	  case $$rc in 33) echo "(machine powered off)";; 35) echo "(hypervisor stopped: failure)";; esac

debug: all $(DISK)
	@echo "QEMU waits for gdb on port $(GDB_PORT). In another terminal:"
	@echo "  gdb -q $(HV_ELF) -ex 'target remote :$(GDB_PORT)' \\"
	@echo "      -ex 'add-symbol-file $(DOM0_KERNEL)' -ex 'break start_xeno' -ex continue"
	$(Q)$(QEMU_XENO) -serial mon:stdio -gdb tcp::$(GDB_PORT) -S

##   headers-check compile each public ABI header on its own (-m32 -Werror)
headers-check: | $(DEPS)
	$(Q)for h in $(HV_SRC)/include/public/*.h $(HV_SRC)/include/public/io/*.h; do \
	  for std in gnu11 c11; do \
	    printf "#include <%s>\ntypedef int headers_check_t;\n" $${h#$(HV_SRC)/include/} | $(CC) -m32 -std=$$std -Wall -Wextra -Werror \
	      -pedantic -fsyntax-only -I$(HV_SRC)/include -x c - || { echo "FAIL: $$h ($$std)"; exit 1; }; \
	  done; \
	done; echo "public headers: each compiles on its own"

.PHONY: bench-hypervisor
##   bench-hypervisor  cycle costs of hypercalls, int $$0x80, mmu_update, events and
##                 domain switches -> docs/bench/hypervisor.md
bench-hypervisor: hypervisor guests
	$(Q)ci/bench-hypervisor.sh

.PHONY: bench-boot
##   bench-boot    boot time to user space, native vs XenoLinux -> docs/bench/boot.md
bench-boot: all
	$(Q)ci/bench-boot.sh
