# SPDX-License-Identifier: MIT
# The hostile-guest suite: ci/hostile/<name>/main.c + ci/hostile/lib + the
# test-guest library -> build/hostile/<name>.elf.  Each image is Domain0 (the
# supervisor), the bystander and the attacker, by its command line.

HOSTILE_SRC   := ci/hostile
HOSTILE_OUT   := $(BUILD)/hostile
HOSTILE_NAMES := $(filter-out lib,$(notdir $(patsubst %/,%,$(dir $(wildcard $(HOSTILE_SRC)/*/main.c)))))
HOSTILE_ELFS  := $(HOSTILE_NAMES:%=$(HOSTILE_OUT)/%.elf)
HOSTILE_LIB_O := $(patsubst $(HOSTILE_SRC)/lib/%.c,$(HOSTILE_OUT)/lib/%.o,$(wildcard $(HOSTILE_SRC)/lib/*.c))
HOSTILE_CFLAGS := $(GUEST_CFLAGS) -I$(HOSTILE_SRC)/lib

.PHONY: hostile fuzz
## Hostile guests:
##   hostile       build the hostile-guest suite (build/hostile/*.elf)
##   fuzz          run the hypercall fuzzer long: make fuzz SEED=n ITER=n [PLATFORM=bochs]
all: hostile
hostile: $(HOSTILE_ELFS)

$(HOSTILE_OUT)/lib/%.o: $(HOSTILE_SRC)/lib/%.c | $(DEPS)
	$(call quiet_cmd,CC,$<)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CC) $(HOSTILE_CFLAGS) -c -o $@ $<

$(HOSTILE_OUT)/%/main.o: $(HOSTILE_SRC)/%/main.c | $(DEPS)
	$(call quiet_cmd,CC,$<)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CC) $(HOSTILE_CFLAGS) -c -o $@ $<

$(HOSTILE_OUT)/%.elf: $(HOSTILE_OUT)/%/main.o $(HOSTILE_LIB_O) $(GUEST_LIB_O) $(GUEST_LDS)
	$(call quiet_cmd,LD,$@)
	$(Q)$(LD) -m elf_i386 -nostdlib -z noexecstack -T $(GUEST_LDS) -o $@ $< $(HOSTILE_LIB_O) \
		$(GUEST_LIB_O) $(HV_LIBGCC)

-include $(wildcard $(HOSTILE_OUT)/lib/*.d $(HOSTILE_OUT)/*/*.d)

CHECK_TESTS += ci/t-hostile.sh

SEED ?= 1
ITER ?= 100000
PLATFORM ?= qemu
fuzz: $(HV_ELF) $(HOSTILE_OUT)/fuzz.elf
	ci/t-hostile.sh -p $(PLATFORM) -c "seed=$(SEED) iter=$(ITER) timeout=3000" -t 3600 fuzz

.SECONDARY: $(HOSTILE_LIB_O) $(HOSTILE_NAMES:%=$(HOSTILE_OUT)/%/main.o)

# docs/security.md's table of attacks must match the suite's last run.
.PHONY: security-doc
##   security-doc  rewrite docs/security.md's table from the hostile suite's last run
security-doc:
	ci/security-table.sh --update
CHECK_TESTS += ci/t-security-doc.sh
