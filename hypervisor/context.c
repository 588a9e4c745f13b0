/* SPDX-License-Identifier: MIT */
/*
 * A vCPU's CPU state: switching between vCPUs, the FPU (switched lazily:
 * CR0.TS is set at every switch and the first FPU instruction traps), the
 * debug registers, the ring-1 stack, and the callbacks.
 */
#include <desc.h>
#include <domain.h>
#include <errno.h>
#include <hypercall.h>
#include <lib.h>
#include <mm.h>
#include <sched.h>
#include <time.h>
#include <traps.h>
#include <x86.h>

#define DR7_GD		(1u << 13)	/* general detect: traps DR access */
#define DR7_RW_IO	2u		/* RW field value for I/O breakpoints */
#define DR7_RESERVED_1	(1u << 10)

extern char boot_stack_top[];
#define FXSAVE_FCW		0	/* offsets in the fxsave area */
#define FXSAVE_MXCSR		24
#define FCW_DEFAULT		0x037f	/* fninit's control word */
#define MXCSR_DEFAULT		0x1f80	/* all SIMD exceptions masked */

static struct vcpu *fpu_owner;		/* whose state is in the FPU now */
/* The FPU as fninit leaves it, with every data register zero. */
static uint8_t fpu_initial_state[512] __aligned(16) = {
	[FXSAVE_FCW] = FCW_DEFAULT & 0xff, [FXSAVE_FCW + 1] = FCW_DEFAULT >> 8,
	[FXSAVE_MXCSR] = MXCSR_DEFAULT & 0xff, [FXSAVE_MXCSR + 1] = MXCSR_DEFAULT >> 8,
};

struct cpu_regs *guest_frame(void)
{
	return (struct cpu_regs *)((uintptr_t)boot_stack_top - sizeof(struct cpu_regs));
}

/* A selector a guest may name for its ring-1 code: never the hypervisor's. */
bool is_guest_kernel_cs(uint32_t sel)
{
	if ((sel & 3) != 1 || sel > 0xffff || (sel >> 2) == 0)	/* null selector */
		return false;
	if (sel & 4)		/* LDT: every descriptor there passed check_descriptor */
		return true;
	return (sel >> 3) < XENO_FIRST_RESERVED_GDT_ENTRY || sel == XENO_FLAT_RING1_CS;
}

static bool is_guest_kernel_ss(uint32_t sel)
{
	if ((sel & 3) != 1 || sel > 0xffff || (sel >> 2) == 0)
		return false;
	return (sel & 4) || (sel >> 3) < XENO_FIRST_RESERVED_GDT_ENTRY ||
	       sel == XENO_FLAT_RING1_DS;
}

/*
 * A stack_switch SS must be flat (bounce frames are written at the linear
 * address ESP) and what the CPU takes as a ring-1 stack: a present,
 * writable data segment of DPL 1.  Anything else could never be used.
 */
static bool is_kernel_stack_segment(const struct vcpu *v, uint32_t sel)
{
	struct seg_desc *d;
	bool ok;

	if (!is_flat_stack_segment(v, sel))
		return false;
	if ((sel & 0xfffc) == (XENO_FLAT_RING1_DS & 0xfffc))
		return true;
	d = map_guest_descriptor(v, sel);
	ok = d && (d->hi & (SEG_DATA_WRITABLE << DESC_TYPE_SHIFT)) &&
	     ((d->hi & DESC_DPL_MASK) >> DESC_DPL_SHIFT) == 1;
	if (d)
		unmap_domain_page(d);
	return ok;
}

static void load_debug_registers(const struct vcpu *v)
{
	write_dr(7, 0);
	if (!v || !(v->debugreg[7] & 0xff))
		return;
	for (unsigned int i = 0; i < 4; i++)
		write_dr(i, v->debugreg[i]);
	write_dr(7, v->debugreg[7]);
}

/* Install the vCPU's direct int $0x80 gate, or the default one (#GP). */
void install_int80(const struct vcpu *v)
{
	extern char vector_stubs[];

	if (v && v->int80_direct)
		idt[0x80] = v->int80_gate;
	else
		idt[0x80] = make_gate(HYP_CS, (uint32_t)vector_stubs + 0x80 * 16, SYS_INTR_GATE, 0);
}

void context_switch(struct vcpu *prev, struct vcpu *next)
{
	struct cpu_regs *frame = guest_frame();

	if (prev)
		prev->regs = *frame;
	current = next;
	if (!next) {
		install_int80(NULL);
		load_ldt(NULL);
		return;		/* idle_wait() loads the idle page table */
	}
	*frame = next->regs;
	write_cr3_mfn(next->cr3_mfn);
	tss.ss1 = (uint16_t)next->kernel_ss;
	tss.esp1 = next->kernel_sp;
	install_int80(next);
	load_ldt(next);
	if (prev && (prev->debugreg[7] & 0xff))
		load_debug_registers(NULL);
	load_debug_registers(next);
	stts();			/* first FPU use by next traps (#NM) */
	time_update_vcpu(next);
}

/*
 * #NM from a guest.  If the guest itself set TS (fpu_taskswitch), it gets
 * the trap.  Otherwise this is our lazy switch: load its FPU state.
 * Returns true if the trap was handled here.
 */
bool fpu_trap(struct vcpu *v)
{
	if (v->fpu_ts)
		return false;
	clts();
	if (fpu_owner == v)
		return true;
	if (fpu_owner)
		fxsave(fpu_owner->fpu_state);
	if (!v->fpu_initialised) {
		/* Nothing of the previous owner's registers may show through. */
		memcpy(v->fpu_state, fpu_initial_state, sizeof(v->fpu_state));
		v->fpu_initialised = true;
	}
	/* Nor its last x87 pointers, which fxrstor may not replace. */
	x87_scrub_pointers((const uint32_t *)fpu_initial_state);
	fxrstor(v->fpu_state);
	fpu_owner = v;
	return true;
}

void fpu_release(struct vcpu *v)
{
	if (fpu_owner == v)
		fpu_owner = NULL;
}

long do_fpu_taskswitch(uint32_t set)
{
	struct vcpu *v = current;

	v->fpu_ts = set != 0;
	if (v->fpu_ts || fpu_owner != v)
		stts();
	else
		clts();
	return 0;
}

long do_stack_switch(uint32_t ss, uint32_t esp)
{
	if (!is_guest_kernel_ss(ss) || !is_kernel_stack_segment(current, ss) ||
	    esp > XENO_HYPERVISOR_VIRT_START)
		return trace_error(-EINVAL);
	current->kernel_ss = ss;
	current->kernel_sp = esp;
	tss.ss1 = (uint16_t)ss;
	tss.esp1 = esp;
	return 0;
}

long do_set_callbacks(uint32_t event_cs, uint32_t event_eip, uint32_t fs_cs, uint32_t fs_eip)
{
	if (!is_guest_kernel_cs(event_cs) || !is_guest_kernel_cs(fs_cs) ||
	    event_eip >= XENO_HYPERVISOR_VIRT_START || fs_eip >= XENO_HYPERVISOR_VIRT_START)
		return trace_error(-EINVAL);
	current->event_cs = event_cs;
	current->event_eip = event_eip;
	current->failsafe_cs = fs_cs;
	current->failsafe_eip = fs_eip;
	return 0;
}

/*
 * Debug registers: breakpoint addresses must be guest addresses; DR7 may not
 * set general detect or I/O breakpoints.  DR6 is the guest's to read.
 */
long do_set_debugreg(uint32_t reg, uint32_t value)
{
	struct vcpu *v = current;

	switch (reg) {
	case 0: case 1: case 2: case 3:
		if (value >= XENO_HYPERVISOR_VIRT_START - 4)
			return -EPERM;
		break;
	case 6:
		break;
	case 7:
		if (value & DR7_GD)
			return -EPERM;
		for (unsigned int i = 0; i < 4; i++)
			if (((value >> (16 + 4 * i)) & 3) == DR7_RW_IO)
				return -EPERM;
		value |= DR7_RESERVED_1;
		break;
	default:
		return -EINVAL;
	}
	v->debugreg[reg] = value;
	if (reg != 6)
		load_debug_registers(v);
	return 0;
}

long do_get_debugreg(uint32_t reg)
{
	if (reg > 7 || reg == 4 || reg == 5)
		return -EINVAL;
	return (long)current->debugreg[reg];
}
