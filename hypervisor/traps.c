/* SPDX-License-Identifier: MIT */
/*
 * Descriptor tables and trap handling.  The hypervisor owns the IDT.  Its GDT
 * lives at GDT_VIRT_START in the per-domain slot: frames 0-13 belong to the
 * current guest (read-only), frame 14 is the hypervisor's (hyp_gdt_page), so
 * one GDTR serves every address space.  Every IDT gate is DPL 0 (a software
 * interrupt from ring 1 or 3 takes a #GP) except int3/into (DPL 3), the
 * hypercall gate (DPL 1) and, while a guest that asked for it runs, its
 * direct int $0x80 trap gate (DPL 3).  A trap taken in the hypervisor itself
 * is fatal unless it has an exception-table fix-up or is a debug trap that
 * belongs to the guest.
 */
#include <console.h>
#include <desc.h>
#include <domain.h>
#include <errno.h>
#include <guest_access.h>
#include <hypercall.h>
#include <irq.h>
#include <lib.h>
#include <mm.h>
#include <panic.h>
#include <sched.h>
#include <traps.h>
#include <x86.h>

#define GATE_STUB_SIZE	16
#define OPCODE_INT	0xcd
#define DF_STACK_SIZE	4096
#define HYP_ENTRY(sel)	(((sel) >> 3) - XENO_FIRST_RESERVED_GDT_ENTRY)
#define TRAP_ENTRY_WORK	4	/* a trap-table entry read and checked (hypercall.h) */

struct seg_desc hyp_gdt_page[512] __aligned(PAGE_SIZE);
struct seg_desc idt[256] __aligned(PAGE_SIZE);
struct tss tss __aligned(128);
static struct tss df_tss __aligned(128);
static uint8_t df_stack[DF_STACK_SIZE] __aligned(16);
/* Stands in for guest GDT frames a domain has not supplied. */
uint8_t zero_page[PAGE_SIZE] __aligned(PAGE_SIZE);

extern char vector_stubs[];
extern char ret_from_trap_iret[], ret_from_trap_espfix_iret[];

/* The guest's live registers when the final iret faulted (see hypervisor_trap). */
static struct cpu_regs iret_fault_regs;
static bool iret_faulted;
extern char boot_stack_top[];
void double_fault_task(void);
void do_double_fault(void);

/*
 * espfix.  An iret to a 16-bit stack segment loads only SP: ESP's upper half
 * keeps the hypervisor's, which would tell the guest where our stack is.
 * So, for such a return, x86/entry.S irets from a copy of the stack segment
 * based so that the same linear frame sits at an offset whose upper half is
 * the guest's own ESP's: then that is what stays behind.  espfix_ptr is the
 * SS:ESP entry.S loads (SS 0: not needed); a fault of that iret comes back
 * on the based stack, and common_entry adds espfix_base to get off it.
 */
#define ESPFIX_LOW	0x1000u		/* below 0xffff - the frame: no carry */
struct espfix_ptr espfix_ptr;
uint32_t espfix_base;

/*
 * Is sel a present 16-bit data segment, as lar sees it?  Asked on every
 * return to a guest whose stack is not a flat selector (XenoLinux's are its
 * own), so the answer is kept per vCPU until a descriptor changes.
 */
static bool is_16bit_stack(struct vcpu *v, uint32_t sel)
{
	uint32_t ar;

	if (v->stack16.sel != sel || v->stack16.generation != desc_generation) {
		v->stack16.sel = sel;
		v->stack16.generation = desc_generation;
		v->stack16.is_16bit = lar(sel, &ar) && (ar & DESC_P) && (ar & DESC_S) &&
				      !((ar >> DESC_TYPE_SHIFT) & SEG_CODE) && !(ar & DESC_DB);
	}
	return v->stack16.is_16bit;
}

/* Called last on the way out (sched.c: exit_to_guest). */
void espfix_prepare(const struct cpu_regs *r)
{
	uint32_t frame = (uint32_t)&r->eip, ss = r->ss & 0xffff;

	espfix_ptr.ss = 0;
	if (!regs_ring(r) || ss == XENO_FLAT_RING1_DS || ss == XENO_FLAT_RING3_DS ||
	    !is_16bit_stack(current, ss))
		return;
	espfix_ptr.esp = (r->esp & 0xffff0000) | ESPFIX_LOW;
	espfix_base = frame - espfix_ptr.esp;
	hyp_gdt_page[HYP_ENTRY(HYP_ESPFIX_SS)] =
		make_seg_desc(espfix_base, 0xfffff, SEG_DATA_WRITABLE | SEG_ACCESSED, 0,
			      DESC_S | DESC_DB | DESC_G);
	espfix_ptr.ss = HYP_ESPFIX_SS;
}

static const char *const exception_names[NR_EXCEPTIONS] = {
	"divide error", "debug", "NMI", "int3", "overflow", "bounds",
	"invalid opcode", "device not available", "double fault",
	"coprocessor segment overrun", "invalid TSS", "segment not present",
	"stack fault", "general protection fault", "page fault", "spurious",
	"x87 FPU error", "alignment check", "machine check", "SIMD error",
};

const char *trap_name(unsigned int vector)
{
	if (vector < NR_EXCEPTIONS && exception_names[vector])
		return exception_names[vector];
	if (vector == HYPERCALL_VECTOR)
		return "hypercall";
	return vector < NR_EXCEPTIONS ? "reserved exception" : "interrupt";
}

static void gdt_init(void)
{
	const uint32_t flat = 0xfffff, guest = XENO_GUEST_SEGMENT_LIMIT >> PAGE_SHIFT;
	const uint32_t code = SEG_CODE | SEG_CODE_READABLE | SEG_ACCESSED;
	const uint32_t data = SEG_DATA_WRITABLE | SEG_ACCESSED;
	const uint32_t big = DESC_S | DESC_DB | DESC_G;
	struct seg_desc *g = hyp_gdt_page;
	struct desc_ptr gdtr = { GDT_LIMIT, GDT_VIRT_START };

	g[HYP_ENTRY(HYP_CS)] = make_seg_desc(0, flat, code, 0, big);
	g[HYP_ENTRY(HYP_DS)] = make_seg_desc(0, flat, data, 0, big);
	g[HYP_ENTRY(XENO_FLAT_RING1_CS)] = make_seg_desc(0, guest, code, 1, big);
	g[HYP_ENTRY(XENO_FLAT_RING1_DS)] = make_seg_desc(0, guest, data, 1, big);
	g[HYP_ENTRY(XENO_FLAT_RING3_CS)] = make_seg_desc(0, guest, code, 3, big);
	g[HYP_ENTRY(XENO_FLAT_RING3_DS)] = make_seg_desc(0, guest, data, 3, big);
	g[HYP_ENTRY(HYP_TSS)] = make_seg_desc((uint32_t)&tss, sizeof(tss) - 1, SYS_TSS_AVAIL, 0, 0);
	g[HYP_ENTRY(HYP_DF_TSS)] = make_seg_desc((uint32_t)&df_tss, sizeof(df_tss) - 1,
						 SYS_TSS_AVAIL, 0, 0);
	g[HYP_ENTRY(HYP_ESPFIX_SS)] = make_seg_desc(0, flat, data, 0, big);

	for (unsigned int i = 0; i < GDT_GUEST_FRAMES; i++)
		perdomain_l1_idle[i] = mk_pte(__pa(zero_page) >> PAGE_SHIFT,
					      _PAGE_PRESENT | _PAGE_ACCESSED);
	perdomain_l1_idle[GDT_HYP_FRAME] = mk_pte(__pa(hyp_gdt_page) >> PAGE_SHIFT,
						  _PAGE_PRESENT | _PAGE_RW | _PAGE_ACCESSED |
						  _PAGE_DIRTY);
	lgdt(&gdtr);
	load_cs(HYP_CS);
	load_data_segments(HYP_DS);
	load_fs_gs(0);
}

static void tss_init(void)
{
	tss.ss0 = HYP_DS;
	tss.esp0 = (uint32_t)boot_stack_top;
	tss.iomap_base = sizeof(tss);	/* no I/O bitmap: ports need IOPL */
	ltr(HYP_TSS);

	df_tss.esp = df_tss.esp0 = (uint32_t)df_stack + sizeof(df_stack);
	df_tss.ss = df_tss.ss0 = HYP_DS;
	df_tss.ds = df_tss.es = HYP_DS;
	df_tss.cs = HYP_CS;
	df_tss.eip = (uint32_t)double_fault_task;
	df_tss.eflags = EFLAGS_FIXED;
	df_tss.cr3 = __pa(idle_pg_table);
	df_tss.iomap_base = sizeof(df_tss);
}

static void idt_init(void)
{
	struct desc_ptr idtr = { sizeof(idt) - 1, (uint32_t)idt };

	for (unsigned int v = 0; v < 256; v++)
		idt[v] = make_gate(HYP_CS, (uint32_t)vector_stubs + v * GATE_STUB_SIZE,
				   SYS_INTR_GATE, 0);
	idt[TRAP_int3].hi |= 3u << DESC_DPL_SHIFT;
	idt[TRAP_overflow].hi |= 3u << DESC_DPL_SHIFT;
	idt[HYPERCALL_VECTOR].hi |= 1u << DESC_DPL_SHIFT;
	idt[TRAP_double_fault] = make_gate(HYP_DF_TSS, 0, SYS_TASK_GATE, 0);
	lidt(&idtr);
}

void traps_init(void)
{
	gdt_init();
	tss_init();
	idt_init();
}

static void show_page_fault(uint32_t ec)
{
	printk("page fault: %s access, %s, %s mode%s\n",
	       ec & 2 ? "write" : "read", ec & 1 ? "protection violation" : "page not present",
	       ec & 4 ? "user" : "supervisor", ec & 16 ? ", instruction fetch" : "");
}

void show_registers(const struct cpu_regs *r)
{
	printk("EIP: %04x:%08x  EFLAGS: %08x  CR2: %08lx\n",
	       r->cs & 0xffff, r->eip, r->eflags, read_cr2());
	printk("EAX: %08x  EBX: %08x  ECX: %08x  EDX: %08x\n", r->eax, r->ebx, r->ecx, r->edx);
	printk("ESI: %08x  EDI: %08x  EBP: %08x  ESP: %08x\n", r->esi, r->edi, r->ebp,
	       regs_sp(r));
	printk("DS: %04x  ES: %04x  FS: %04x  GS: %04x  SS: %04x\n", r->ds & 0xffff,
	       r->es & 0xffff, r->fs & 0xffff, r->gs & 0xffff,
	       regs_ring(r) ? r->ss & 0xffff : HYP_DS);
	printk("CR0: %08lx  CR3: %08lx  CR4: %08lx\n", read_cr0(), read_cr3(), read_cr4());
}

/* Walk the hypervisor's frame-pointer chain while it stays on a sane stack. */
static void show_call_trace(uint32_t ebp)
{
	printk("Call trace:");
	for (int depth = 0; depth < 16 && ebp >= DIRECTMAP_VIRT_START &&
	     ebp < DIRECTMAP_VIRT_START + DIRECTMAP_SIZE - 8 && !(ebp & 3); depth++) {
		const uint32_t *frame = (const uint32_t *)ebp;

		printk(" %08x", frame[1]);
		ebp = frame[0];
	}
	printk("\n");
}

void __noreturn fatal_trap(const struct cpu_regs *r, const char *why)
{
	printk("*** FATAL TRAP %u (%s), error code %04x, %s\n", r->vector, trap_name(r->vector),
	       r->error_code, why);
	if (r->vector == TRAP_page_fault)
		show_page_fault(r->error_code);
	show_registers(r);
	if (!regs_ring(r))
		show_call_trace(r->ebp);
	panic("fatal trap %u (%s) at %08x", r->vector, trap_name(r->vector), r->eip);
}

/* Vectors for which the CPU pushes an error code. */
static bool has_error_code(unsigned int vector)
{
	return vector == TRAP_double_fault || (vector >= TRAP_invalid_tss &&
	       vector <= TRAP_page_fault) || vector == TRAP_alignment_check ||
	       vector == TRAP_control_protection;
}

/*
 * Build a hardware-format frame on the guest kernel stack and point the
 * vCPU at a handler (see public/xeno.h for the frame).  The frame shows the
 * virtual interrupt flag (events unmasked) in EFLAGS.IF and the saved
 * upcall mask in bits 16-23 of the CS slot.  False if the frame could not be
 * written: the domain has crashed.
 */
bool bounce_to_guest(struct vcpu *v, struct cpu_regs *r, const struct guest_bounce *b)
{
	uint32_t frame[10], n = 0, ss, esp;
	uint8_t mask = v->info->evtchn_upcall_mask;
	bool from_user = regs_ring(r) == 3;

	if (from_user) {
		ss = v->kernel_ss, esp = v->kernel_sp;
	} else {
		ss = r->ss, esp = r->esp;
	}
	if (b->failsafe) {
		frame[n++] = r->ds, frame[n++] = r->es, frame[n++] = r->fs, frame[n++] = r->gs;
	}
	if (b->has_error_code)
		frame[n++] = b->error_code;
	frame[n++] = r->eip;
	frame[n++] = (r->cs & 0xffff) | ((uint32_t)mask << 16);
	frame[n++] = (r->eflags & ~EFLAGS_IF) | (mask ? 0 : EFLAGS_IF);
	if (from_user) {
		frame[n++] = r->esp;
		frame[n++] = r->ss;
	}
	if (!is_flat_stack_segment(v, ss)) {
		domain_crash(v->domain, "kernel stack segment %04x is not flat (base 0)", ss);
		return false;
	}
	if (!ss || esp < n * 4 || copy_to_guest(esp - n * 4, frame, n * 4)) {
		domain_crash(v->domain, "cannot write a frame for vector %u on the kernel stack "
			     "%04x:%08x", b->vector, ss, esp);
		return false;
	}
	r->esp = esp - n * 4;
	r->ss = ss;
	r->cs = b->cs;
	r->eip = b->eip;
	r->eflags = (r->eflags & ~(EFLAGS_TF | EFLAGS_NT | EFLAGS_VM | EFLAGS_RF)) | EFLAGS_IF;
	if (b->failsafe)
		r->ds = r->es = r->fs = r->gs = 0;
	if (b->mask_events)
		v->info->evtchn_upcall_mask = 1;
	return true;
}

/* Bounce 'vector' to the guest's registered handler, or crash the guest. */
static void bounce_trap(struct vcpu *v, struct cpu_regs *r, unsigned int vector,
			bool has_ec, uint32_t ec)
{
	const struct guest_trap *t = &v->traps[vector];
	struct guest_bounce b = { vector, has_ec, ec, t->cs, t->eip,
				  (t->flags & XENO_TI_MASK_EVENTS) != 0, false };

	if (!t->cs) {
		domain_crash(v->domain, "unhandled %s (vector %u, error %04x) at %04x:%08x",
			     trap_name(vector), vector, ec, r->cs & 0xffff, r->eip);
		return;
	}
	bounce_to_guest(v, r, &b);
}

/*
 * A software "int n" from the guest hit a DPL-0 gate and became #GP with
 * error code (n << 3) | 2.  If the guest registered n for this ring, deliver
 * it as the int would have been.
 */
static bool emulate_soft_int(struct vcpu *v, struct cpu_regs *r)
{
	unsigned int n = r->error_code >> 3;
	const struct guest_trap *t;
	uint8_t insn[2];

	if ((r->error_code & 7) != 2 || n >= 256)
		return false;
	/* Only a plain two-byte "int n" (no prefixes) is emulated. */
	if (fetch_insn(v, r, insn, sizeof(insn)) != sizeof(insn) || insn[0] != OPCODE_INT ||
	    insn[1] != n)
		return false;
	t = &v->traps[n];
	if (!t->cs || (t->flags & XENO_TI_DPL_MASK) < regs_ring(r))
		return false;
	r->eip += 2;		/* past "int n", as the CPU would have */
	bounce_trap(v, r, n, false, 0);
	return true;
}

static void do_guest_exception(struct vcpu *v, struct cpu_regs *r)
{
	unsigned int vec = r->vector;

	v->domain->stats.traps[vec]++;
	switch (vec) {
	case TRAP_gp_fault:
		if (emulate_soft_int(v, r))
			return;
		if (emulate_4gb_segment(v, r))
			return;
		if (emulate_privileged_op(v, r))
			return;
		break;
	case TRAP_page_fault: {
		/* Read CR2 once: emulation may itself fault and change it. */
		uint32_t cr2 = read_cr2();

		if (ptwr_emulate(v, r, cr2))
			return;
		v->info->cr2 = cr2;
		break;
	}
	case TRAP_no_device:
		if (fpu_trap(v))
			return;
		break;
	case TRAP_debug:
		v->info->dr6 = read_dr6();
		write_dr(6, 0);
		break;
	case TRAP_nmi:
		printk("NMI while d%u ran, ignored\n", v->domain->id);
		return;
	}
	v->domain->stats.bounced[vec]++;
	bounce_trap(v, r, vec, has_error_code(vec), r->error_code);
}

/* An upcall, if an unmasked event waits and a callback is registered. */
bool deliver_events(struct vcpu *v, struct cpu_regs *r)
{
	struct guest_bounce b = { 0, false, 0, v->event_cs, v->event_eip, true, false };

	if (v->pending_debug) {
		v->pending_debug = false;
		bounce_trap(v, r, TRAP_debug, false, 0);
		if (v->domain->shutdown != SHUTDOWN_NONE)
			return false;
	}
	if (!v->info->evtchn_upcall_pending || v->info->evtchn_upcall_mask || !v->event_cs)
		return true;
	v->domain->stats.upcalls++;
	return bounce_to_guest(v, r, &b);
}

/*
 * The way out faulted while loading the guest's segment registers or in
 * iret (x86/entry.S routes that here, with the guest frame intact): enter
 * the guest's failsafe callback with its four data selectors on the stack.
 */
void failsafe_bounce(struct cpu_regs *r)
{
	struct vcpu *v = current;
	struct guest_bounce b = { 0, false, 0, v->failsafe_cs, v->failsafe_eip, true, true };
	static struct vcpu *last;
	static uint32_t last_eip;

	if (iret_faulted) {
		memcpy(r, &iret_fault_regs, offsetof(struct cpu_regs, vector));
		iret_faulted = false;
	}
	/* A failsafe handler whose own return faults the same way: give up. */
	if (!v->failsafe_cs || (last == v && last_eip == r->eip && r->cs == v->failsafe_cs)) {
		domain_crash(v->domain, "bad segment or return frame on the way out "
			     "(CS %04x EIP %08x SS %04x DS %04x)", r->cs & 0xffff, r->eip,
			     r->ss & 0xffff, r->ds & 0xffff);
	} else if (bounce_to_guest(v, r, &b)) {
		last = v, last_eip = r->eip;
	}
	exit_to_guest(r);
}

long do_set_trap_table(uint32_t table_va)
{
	/* Staged whole before any is installed; static: one CPU, no nesting. */
	static struct xeno_trap_info t[257];
	struct vcpu *v = current;
	unsigned int n;

	if (!table_va) {
		memset(v->traps, 0, sizeof(v->traps));
		v->int80_direct = false;
		install_int80(v);
		return 0;
	}
	for (n = 0;; n++) {
		if (n == ARRAY_SIZE(t))
			return trace_error(-E2BIG);
		hypercall_count_work(TRAP_ENTRY_WORK);
		if (copy_from_guest(&t[n], table_va + n * sizeof(t[0]), sizeof(t[0])))
			return -EFAULT;
		if (!t[n].address)
			break;
		if (!is_guest_kernel_cs(t[n].cs) || t[n].address >= XENO_HYPERVISOR_VIRT_START ||
		    (t[n].flags & ~(XENO_TI_DPL_MASK | XENO_TI_MASK_EVENTS)))
			return trace_error(-EINVAL);
	}
	for (unsigned int i = 0; i < n; i++) {
		v->traps[t[i].vector] = (struct guest_trap){ t[i].cs, t[i].flags, 0, t[i].address };
		if (t[i].vector != 0x80)
			continue;
		/* The fast path: a real DPL-3 trap gate into the guest kernel. */
		v->int80_direct = !(t[i].flags & XENO_TI_MASK_EVENTS) &&
				  (t[i].flags & XENO_TI_DPL_MASK) == 3;
		v->int80_gate = make_gate((uint16_t)t[i].cs, t[i].address, SYS_TRAP_GATE, 3);
	}
	install_int80(v);
	return 0;
}

/*
 * iret: the guest jumped to the iret stub with EAX, EIP, CS, EFLAGS (and
 * ESP, SS for ring 3) on its stack.  EFLAGS.IF restores the event mask;
 * IOPL, VM and NT are never taken from the guest.  Never inside a
 * multicall: do_multicall() refuses it.
 */
long do_iret(void)
{
	struct cpu_regs *r = guest_frame();
	struct vcpu *v = current;
	uint32_t f[6];
	unsigned int ring;

	if (!is_flat_stack_segment(v, r->ss) || copy_from_guest(f, r->esp, 4 * sizeof(uint32_t)))
		goto bad;
	ring = f[2] & 3;
	if (ring != 1 && ring != 3)
		goto bad;
	if (ring == 3 && copy_from_guest(f, r->esp, sizeof(f)))
		goto bad;
	v->info->evtchn_upcall_mask = !(f[3] & EFLAGS_IF);
	r->eax = f[0];
	r->eip = f[1];
	r->cs = f[2];
	r->eflags = (f[3] & ~(EFLAGS_IOPL | EFLAGS_VM | EFLAGS_NT)) | EFLAGS_IF | EFLAGS_FIXED;
	if (ring == 3) {
		r->esp = f[4];
		r->ss = f[5];
	} else {
		r->esp += 4 * sizeof(uint32_t);
	}
	return 0;
bad:
	domain_crash(v->domain, "bad iret frame at %08x", r->esp);
	return 0;
}

/*
 * A debug trap taken in ring 0 belongs to the guest: its data breakpoint
 * hit a buffer we copied for it, or it single-stepped into a hypercall.
 * Stop stepping the hypervisor, and deliver the trap to the guest on the
 * way out.
 */
static void hypervisor_debug_trap(struct cpu_regs *regs)
{
	uint32_t dr6 = read_dr6();

	write_dr(6, 0);
	regs->eflags &= ~EFLAGS_TF;
	if (current) {
		current->info->dr6 = dr6;
		current->pending_debug = true;
	}
}

/* Everything that traps while the hypervisor itself runs. */
static void hypervisor_trap(struct cpu_regs *regs)
{
	unsigned int vec = regs->vector;
	uint32_t fixup;

	if (vec >= IRQ_BASE_VECTOR && vec < IRQ_BASE_VECTOR + NR_IRQS) {
		do_irq(vec - IRQ_BASE_VECTOR);	/* while idling */
		return;
	}
	if (vec == TRAP_debug) {
		hypervisor_debug_trap(regs);
		return;
	}
	/* The way out in progress, if any, starts over: no espfix for it. */
	espfix_ptr.ss = 0;
	fixup = vec < NR_EXCEPTIONS ? search_extable(regs->eip) : 0;
	if (!fixup)
		fatal_trap(regs, "in the hypervisor");
	if (regs->eip == (uint32_t)ret_from_trap_iret ||
	    regs->eip == (uint32_t)ret_from_trap_espfix_iret) {
		/*
		 * The final iret faulted: the guest's registers and segments are
		 * live (just popped), so they are in this nested frame, which
		 * overlaps the guest frame's lower half.  Keep them aside;
		 * failsafe_bounce() puts them back.
		 */
		memcpy(&iret_fault_regs, regs, offsetof(struct cpu_regs, vector));
		iret_faulted = true;
	}
	regs->eip = fixup;
}

/* Set by vm86_frame_fixup() for the trap_dispatch() that follows it. */
static bool vm86_trapped;

/*
 * A trap or interrupt in virtual-8086 mode, before trap_dispatch().  No
 * guest can enter that mode on a real CPU (iret ignores EFLAGS.VM outside
 * ring 0), but QEMU's software CPU lets an iret from ring 1 or 3 in.  The
 * CPU pushed the vm86 ES, DS, FS and GS above SS, so the frame starts 16
 * bytes below guest_frame(): move it up over them and make it a ring-3
 * frame with the flat selectors.  The vm86 state is not kept (nothing may
 * return to that mode); trap_dispatch() gives the guest kernel a #GP from
 * user mode instead, as the iret would have on a real CPU.  Returns the
 * frame's new place, which x86/entry.S makes the stack.
 */
struct cpu_regs *vm86_frame_fixup(struct cpu_regs *r)
{
	struct cpu_regs *g = guest_frame();

	BUG_ON((uintptr_t)r + 4 * sizeof(uint32_t) != (uintptr_t)g);
	memmove(g, r, sizeof(*g));
	g->eflags &= ~EFLAGS_VM;
	g->cs = XENO_FLAT_RING3_CS;
	g->ss = XENO_FLAT_RING3_DS;
	g->ds = g->es = g->fs = g->gs = 0;
	vm86_trapped = true;
	return g;
}

/* The trap_dispatch() of a frame from virtual-8086 mode (see above). */
static void vm86_trap(struct vcpu *v, struct cpu_regs *r)
{
	unsigned int vec = r->vector;

	vm86_trapped = false;
	if (vec >= IRQ_BASE_VECTOR && vec < IRQ_BASE_VECTOR + NR_IRQS)
		do_irq(vec - IRQ_BASE_VECTOR);
	if (!v->domain->warned_vm86) {
		v->domain->warned_vm86 = true;
		printk("d%u: %s in virtual-8086 mode at %04x; delivered as a #GP from ring 3\n",
		       v->domain->id, trap_name(vec), r->eip & 0xffff);
	}
	v->domain->stats.bounced[TRAP_gp_fault]++;
	bounce_trap(v, r, TRAP_gp_fault, true, 0);
}

void trap_dispatch(struct cpu_regs *regs)
{
	unsigned int vec = regs->vector;

	if (vm86_trapped) {
		vm86_trap(current, regs);
		exit_to_guest(regs);
		return;
	}
	if (!regs_ring(regs)) {
		hypervisor_trap(regs);
		return;
	}
	if (vec == HYPERCALL_VECTOR)
		do_hypercall(regs);
	else if (vec >= IRQ_BASE_VECTOR && vec < IRQ_BASE_VECTOR + NR_IRQS)
		do_irq(vec - IRQ_BASE_VECTOR);
	else if (vec < NR_EXCEPTIONS)
		do_guest_exception(current, regs);
	else
		domain_crash(current->domain, "unexpected vector %u", vec);
	exit_to_guest(regs);
}

/* The double-fault task: report the state saved in the main TSS. */
void do_double_fault(void)
{
	load_data_segments(HYP_DS);
	printk("*** DOUBLE FAULT (the hypervisor's stack or IDT is broken)\n");
	printk("EIP: %04x:%08x  EFLAGS: %08x\n", tss.cs, tss.eip, tss.eflags);
	printk("EAX: %08x  EBX: %08x  ECX: %08x  EDX: %08x\n", tss.eax, tss.ebx, tss.ecx,
	       tss.edx);
	printk("ESI: %08x  EDI: %08x  EBP: %08x  ESP: %08x\n", tss.esi, tss.edi, tss.ebp,
	       tss.esp);
	printk("DS: %04x  ES: %04x  SS: %04x  CR2: %08lx\n", tss.ds, tss.es, tss.ss,
	       read_cr2());
	panic("double fault at %08x", tss.eip);
}
