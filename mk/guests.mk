# SPDX-License-Identifier: MIT
# Test guests: ci/guests/<name>/main.c + the library in ci/guests/lib
# -> build/guests/<name>.elf, tiny ring-1 kernels booted as domains.

GUEST_SRC    := ci/guests
GUEST_OUT    := $(BUILD)/guests
GUEST_NAMES  := $(filter-out lib,$(notdir $(patsubst %/,%,$(dir $(wildcard $(GUEST_SRC)/*/main.c)))))
GUEST_ELFS   := $(GUEST_NAMES:%=$(GUEST_OUT)/%.elf)
GUEST_LIB_C  := $(wildcard $(GUEST_SRC)/lib/*.c)
GUEST_LIB_S  := $(wildcard $(GUEST_SRC)/lib/*.S)
GUEST_LIB_O  := $(patsubst $(GUEST_SRC)/lib/%,$(GUEST_OUT)/lib/%.o,$(GUEST_LIB_C) $(GUEST_LIB_S))
GUEST_CFLAGS := -m32 -std=gnu11 -O2 -g -ffreestanding -fno-builtin -fno-pic -fno-pie \
                -fno-stack-protector -fno-asynchronous-unwind-tables -Wall -Wextra -Werror \
                -MMD -MP -I$(HV_SRC)/include -I$(GUEST_SRC)/lib
GUEST_LDS    := $(GUEST_SRC)/lib/guest.lds

.PHONY: guests
## Test guests:
##   guests        build the test guests (build/guests/*.elf)
all: guests
guests: $(GUEST_ELFS)

$(GUEST_OUT)/lib/%.c.o: $(GUEST_SRC)/lib/%.c | $(DEPS)
	$(call quiet_cmd,CC,$<)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CC) $(GUEST_CFLAGS) -c -o $@ $<

$(GUEST_OUT)/lib/%.S.o: $(GUEST_SRC)/lib/%.S | $(DEPS)
	$(call quiet_cmd,AS,$<)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CC) $(GUEST_CFLAGS) -D__ASSEMBLY__ -c -o $@ $<

$(GUEST_OUT)/%/main.o: $(GUEST_SRC)/%/main.c | $(DEPS)
	$(call quiet_cmd,CC,$<)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CC) $(GUEST_CFLAGS) -c -o $@ $<

$(GUEST_OUT)/%.elf: $(GUEST_OUT)/%/main.o $(GUEST_LIB_O) $(GUEST_LDS)
	$(call quiet_cmd,LD,$@)
	$(Q)$(LD) -m elf_i386 -nostdlib -z noexecstack -T $(GUEST_LDS) -o $@ $< $(GUEST_LIB_O) \
		$(HV_LIBGCC)

-include $(wildcard $(GUEST_OUT)/lib/*.d $(GUEST_OUT)/*/*.d)

# The functional test guests, each booted as Domain0 (ci/t-guests.sh).
CHECK_TESTS += ci/t-guests.sh

# Objects are intermediates of pattern rules; keep them so that a second
# make rebuilds nothing.
.SECONDARY: $(GUEST_LIB_O) $(GUEST_NAMES:%=$(GUEST_OUT)/%/main.o)
