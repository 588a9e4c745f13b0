# SPDX-License-Identifier: MIT
# The hypervisor: hypervisor/*.c and hypervisor/x86/*.S -> build/xeno.elf.

HV_SRC      := hypervisor
HV_OUT      := $(BUILD)/hypervisor
HV_ELF      := $(BUILD)/xeno.elf

HV_C        := $(wildcard $(HV_SRC)/*.c)
HV_S        := $(wildcard $(HV_SRC)/x86/*.S)
HV_OBJS     := $(patsubst $(HV_SRC)/%.c,$(HV_OUT)/%.o,$(HV_C)) \
               $(patsubst $(HV_SRC)/%.S,$(HV_OUT)/%.o,$(filter-out %.lds.S,$(HV_S)))

HV_CFLAGS   := -m32 -std=gnu11 -O2 -g -ffreestanding -fno-builtin -fno-pic -fno-pie \
               -fno-stack-protector -fno-omit-frame-pointer -fno-asynchronous-unwind-tables \
               -mgeneral-regs-only -mno-red-zone -Wall -Wextra -Werror -MMD -MP \
               -Wmissing-prototypes -Wstrict-prototypes -Wframe-larger-than=1024 \
               -I$(HV_SRC)/include -I$(HV_OUT)/include
# libgcc for -m32 (64-bit division, popcount): asked in the link recipe, never
# while make reads the makefiles, because gcc-multilib may not be installed yet.
HV_LIBGCC    = $$($(CC) -m32 -print-libgcc-file-name)

quiet_cmd = $(if $(filter 0,$(V)),@printf '  %-7s %s\n' $(1) $(2);)

.PHONY: hypervisor
## Hypervisor:
##   hypervisor    build build/xeno.elf
all: hypervisor
hypervisor: $(HV_ELF)

$(HV_OUT)/include/asm-offsets.h: $(HV_SRC)/x86/asm-offsets.c $(HV_SRC)/include/regs.h | $(DEPS)
	$(call quiet_cmd,GEN,$@)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CC) $(filter-out -MMD -MP -g,$(HV_CFLAGS)) -S -o $@.s $<
	$(Q){ echo '/* Generated from x86/asm-offsets.c: do not edit. */'; \
	     sed -n 's/^[[:space:]]*->\([A-Za-z_0-9]*\) [$$]\{0,1\}\([0-9-]*\).*/#define \1 \2/p' $@.s; } > $@
	$(Q)rm -f $@.s

$(HV_OUT)/%.o: $(HV_SRC)/%.c | $(HV_OUT)/include/asm-offsets.h $(DEPS)
	$(call quiet_cmd,CC,$<)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CC) $(HV_CFLAGS) -c -o $@ $<

$(HV_OUT)/%.o: $(HV_SRC)/%.S $(HV_OUT)/include/asm-offsets.h | $(DEPS)
	$(call quiet_cmd,AS,$<)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CC) $(HV_CFLAGS) -D__ASSEMBLY__ -c -o $@ $<

$(HV_OUT)/xeno.lds: $(HV_SRC)/x86/xeno.lds.S $(HV_SRC)/include/memlayout.h | $(DEPS)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CC) -E -P -undef -I$(HV_SRC)/include -D__ASSEMBLY__ -x c -o $@ $<

$(HV_ELF): $(HV_OBJS) $(HV_OUT)/xeno.lds
	$(call quiet_cmd,LD,$@)
	$(Q)$(LD) -m elf_i386 -nostdlib -z noexecstack -T $(HV_OUT)/xeno.lds -o $@ $(HV_OBJS) $(HV_LIBGCC)

-include $(HV_OBJS:.o=.d)

# Host unit tests: the real hypervisor sources, compiled for the host (32-bit,
# so sizes match) against hypervisor/test/harness.c.
HV_TEST_OUT    := $(BUILD)/hypervisor-test
HV_TEST_CFLAGS := -m32 -std=gnu11 -O1 -g -fno-builtin -fno-strict-aliasing -Wall -Wextra \
                  -Werror -MMD -MP -I$(HV_SRC)/test -I$(HV_SRC)/include
# test name -> hypervisor sources it exercises (lib.c is always linked)
HV_TEST_SRCS_elf  := elf.c
HV_TEST_SRCS_boot := boot.c
HV_TEST_SRCS_lib  :=
HV_TEST_SRCS_mm   := mm.c desc.c
HV_TEST_SRCS_insn := insn.c
HV_TEST_SRCS_sched := sched.c time.c
HV_TEST_SRCS_ring :=
HV_TEST_SRCS_vbd  := vbd.c pdisk.c
HV_TEST_SRCS_irq  :=		# includes ../irq.c itself
HV_TEST_SRCS_pci  := pci.c
HV_TEST_SRCS_virtq := virtio_ring.c
HV_TEST_SRCS_console := console_line.c
HV_TEST_SRCS_vfr  := vfr.c
HV_TEST_SRCS_vif  := vif.c netsw.c vfr.c pnic.c
HV_TESTS       := $(patsubst $(HV_SRC)/test/test-%.c,%,$(wildcard $(HV_SRC)/test/test-*.c))
HV_TEST_BINS   := $(HV_TESTS:%=$(HV_TEST_OUT)/test-%)

.PHONY: unit-tests
##   unit-tests    build the hypervisor's host unit tests (run by make check)
all: unit-tests
unit-tests: $(HV_TEST_BINS)

$(HV_TEST_OUT)/%.o: $(HV_SRC)/%.c | $(DEPS)
	$(call quiet_cmd,HOSTCC,$<)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CC) $(HV_TEST_CFLAGS) -c -o $@ $<

define hv_test_rule
$(HV_TEST_OUT)/test-$(1): $(HV_TEST_OUT)/test/test-$(1).o $(HV_TEST_OUT)/test/harness.o \
		$(HV_TEST_OUT)/lib.o $(patsubst %.c,$(HV_TEST_OUT)/%.o,$(HV_TEST_SRCS_$(1)))
	$$(call quiet_cmd,HOSTLD,$$@)
	$$(Q)$$(CC) -m32 -o $$@ $$^
endef
$(foreach t,$(HV_TESTS),$(eval $(call hv_test_rule,$(t))))

-include $(wildcard $(HV_TEST_OUT)/*.d $(HV_TEST_OUT)/test/*.d)

CHECK_TESTS += ci/t-unit.sh ci/t-judge.sh ci/t-hypervisor-boot.sh ci/t-bochs-boot.sh
# The virtio-blk driver moves data to and from real image files.
CHECK_TESTS += ci/t-virtio-blk.sh
