/* SPDX-License-Identifier: MIT */
/* The IDT, GDT and TSS, and what happens on each trap vector. */
#ifndef XENO_TRAPS_H
#define XENO_TRAPS_H

#include <regs.h>

#define TRAP_divide_error	0
#define TRAP_debug		1
#define TRAP_nmi		2
#define TRAP_int3		3
#define TRAP_overflow		4
#define TRAP_bounds		5
#define TRAP_invalid_op		6
#define TRAP_no_device		7
#define TRAP_double_fault	8
#define TRAP_copro_seg		9
#define TRAP_invalid_tss	10
#define TRAP_no_segment		11
#define TRAP_stack_error	12
#define TRAP_gp_fault		13
#define TRAP_page_fault		14
#define TRAP_spurious		15
#define TRAP_copro_error	16
#define TRAP_alignment_check	17
#define TRAP_machine_check	18
#define TRAP_simd_error		19
#define TRAP_control_protection	21
#define NR_EXCEPTIONS		32

#define IRQ_BASE_VECTOR		0x20	/* legacy PIC IRQs 0-15 */
#define HYPERCALL_VECTOR	0x82

struct vcpu;

/* One delivery into a guest handler (see bounce_to_guest()). */
struct guest_bounce {
	unsigned int vector;
	bool has_error_code;
	uint32_t error_code;
	uint32_t cs, eip;
	bool mask_events;
	bool failsafe;		/* also push DS, ES, FS, GS */
};

void traps_init(void);
bool bounce_to_guest(struct vcpu *v, struct cpu_regs *r, const struct guest_bounce *b);
/* Bounce the vCPU to its event callback if an unmasked event is pending.
 * False if that failed and the domain crashed. */
bool deliver_events(struct vcpu *v, struct cpu_regs *regs);
void failsafe_bounce(struct cpu_regs *r);
bool is_guest_kernel_cs(uint32_t sel);
void install_int80(const struct vcpu *v);
void context_switch(struct vcpu *prev, struct vcpu *next);
bool fpu_trap(struct vcpu *v);
void fpu_release(struct vcpu *v);
unsigned int fetch_insn(const struct vcpu *v, const struct cpu_regs *r, uint8_t *buf,
			unsigned int max);
bool emulate_4gb_segment(struct vcpu *v, struct cpu_regs *r);
bool emulate_privileged_op(struct vcpu *v, struct cpu_regs *r);
bool ptwr_emulate(struct vcpu *v, struct cpu_regs *r, uint32_t cr2);
void trap_dispatch(struct cpu_regs *regs);
struct cpu_regs *vm86_frame_fixup(struct cpu_regs *r);

/* x86/entry.S's lss operand for a return to a 16-bit stack (traps.c). */
struct espfix_ptr {
	uint32_t esp;
	uint16_t ss;		/* 0: an ordinary return */
} __packed;
void espfix_prepare(const struct cpu_regs *r);
void __noreturn fatal_trap(const struct cpu_regs *regs, const char *why);
void show_registers(const struct cpu_regs *regs);
const char *trap_name(unsigned int vector);

#endif
