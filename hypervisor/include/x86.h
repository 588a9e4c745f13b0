/* SPDX-License-Identifier: MIT */
/*
 * Every privileged or special x86 instruction the hypervisor's C code uses,
 * one static inline each.  No asm() anywhere else in C.
 */
#ifndef XENO_X86_H
#define XENO_X86_H

#include <types.h>

/* Control registers.  "memory" clobbers keep the compiler from moving
 * memory accesses across a change of translation or protection. */
static inline unsigned long read_cr0(void)
{
	unsigned long v;

	asm volatile("mov %%cr0, %0" : "=r"(v));
	return v;
}

static inline void write_cr0(unsigned long v)
{
	asm volatile("mov %0, %%cr0" : : "r"(v) : "memory");
}

static inline unsigned long read_cr2(void)
{
	unsigned long v;

	asm volatile("mov %%cr2, %0" : "=r"(v));
	return v;
}

static inline unsigned long read_cr3(void)
{
	unsigned long v;

	asm volatile("mov %%cr3, %0" : "=r"(v));
	return v;
}

static inline void write_cr3(unsigned long v)
{
	asm volatile("mov %0, %%cr3" : : "r"(v) : "memory");
}

static inline unsigned long read_cr4(void)
{
	unsigned long v;

	asm volatile("mov %%cr4, %0" : "=r"(v));
	return v;
}

static inline void write_cr4(unsigned long v)
{
	asm volatile("mov %0, %%cr4" : : "r"(v) : "memory");
}

static inline void clts(void)
{
	asm volatile("clts");
}

static inline void stts(void)
{
	write_cr0(read_cr0() | 8);	/* CR0.TS */
}

static inline void invlpg(unsigned long va)
{
	asm volatile("invlpg (%0)" : : "r"(va) : "memory");
}

/* Descriptor tables. */
struct desc_ptr {
	uint16_t limit;
	uint32_t base;
} __attribute__((packed));

static inline void lgdt(const struct desc_ptr *p)
{
	asm volatile("lgdt %0" : : "m"(*p));
}

static inline void lidt(const struct desc_ptr *p)
{
	asm volatile("lidt %0" : : "m"(*p));
}

static inline void ltr(uint16_t sel)
{
	asm volatile("ltr %0" : : "rm"(sel));
}

/* The access rights of sel as lar sees them, or false if lar refuses it. */
static inline bool lar(uint32_t sel, uint32_t *rights)
{
	bool ok;

	asm volatile("lar %2, %0; setz %1" : "=r"(*rights), "=q"(ok) : "r"(sel) : "cc");
	return ok;
}

static inline void lldt(uint16_t sel)
{
	asm volatile("lldt %0" : : "rm"(sel));
}

/* Load all data segment registers; used once at boot and on the way out. */
static inline void load_data_segments(uint16_t sel)
{
	asm volatile("mov %0, %%ds; mov %0, %%es; mov %0, %%ss; mov %0, %%fs; mov %0, %%gs"
		     : : "r"(sel) : "memory");
}

/* Reload CS with a far return (there is no "mov to CS"). */
static inline void load_cs(uint16_t sel)
{
	asm volatile("pushl %0; pushl $1f; lret; 1:" : : "r"((uint32_t)sel) : "memory");
}

/* Port I/O. */
static inline void outb(uint16_t port, uint8_t v)
{
	asm volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint8_t inb(uint16_t port)
{
	uint8_t v;

	asm volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline void outw(uint16_t port, uint16_t v)
{
	asm volatile("outw %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint16_t inw(uint16_t port)
{
	uint16_t v;

	asm volatile("inw %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline void outl(uint16_t port, uint32_t v)
{
	asm volatile("outl %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint32_t inl(uint16_t port)
{
	uint32_t v;

	asm volatile("inl %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

/* Interrupts and halting.  "memory": no access may move across these. */
static inline void cli(void)
{
	asm volatile("cli" : : : "memory");
}

/* sti;hlt: the one-instruction shadow of sti means no interrupt can slip in
 * between the two, so a wake-up is never lost. */
static inline void safe_halt(void)
{
	asm volatile("sti; hlt" : : : "memory");
}

/* Let pending interrupts in for one instruction: sti holds them off until
 * after the next instruction, so they are taken between the nop and the
 * cli.  For polling loops that wait on an interrupt handler's work; "memory":
 * the handlers change memory the loop reads. */
static inline void irq_window(void)
{
	asm volatile("sti; nop; cli" : : : "memory");
}

static inline void halt(void)
{
	asm volatile("hlt" : : : "memory");
}

static inline unsigned long read_eflags(void)
{
	unsigned long f;

	asm volatile("pushf; pop %0" : "=r"(f));
	return f;
}

static inline void cpu_relax(void)
{
	asm volatile("pause" : : : "memory");
}

static inline uint64_t rdtsc(void)
{
	uint64_t t;

	asm volatile("rdtsc" : "=A"(t));
	return t;
}

static inline void cpuid(uint32_t leaf, uint32_t *a, uint32_t *b, uint32_t *c, uint32_t *d)
{
	asm volatile("cpuid" : "=a"(*a), "=b"(*b), "=c"(*c), "=d"(*d) : "a"(leaf), "c"(0));
}

static inline uint64_t rdmsr(uint32_t msr)
{
	uint64_t v;

	asm volatile("rdmsr" : "=A"(v) : "c"(msr));
	return v;
}

static inline void wrmsr(uint32_t msr, uint64_t v)
{
	asm volatile("wrmsr" : : "c"(msr), "A"(v));
}

static inline void load_fs_gs(uint16_t sel)
{
	asm volatile("mov %0, %%fs; mov %0, %%gs" : : "r"((uint32_t)sel));
}

/* FPU state.  "memory": the save area is written/read behind C's back. */
static inline void fxsave(void *area)
{
	asm volatile("fxsave (%0)" : : "r"(area) : "memory");
}

static inline void fxrstor(const void *area)
{
	asm volatile("fxrstor (%0)" : : "r"(area) : "memory");
}

/*
 * Set the x87 last-instruction and operand pointers (FIP, FDP, FOP) to
 * constants: a fildl of a word we own sets them, fninit clears FIP and FDP
 * again.  fxrstor leaves them alone on AMD CPUs (unless an exception is
 * pending: CVE-2006-1056) and on QEMU, so without this they would survive a
 * switch to another domain.  "memory": it reads *word.
 */
static inline void x87_scrub_pointers(const uint32_t *word)
{
	asm volatile("fnclex; fninit; fildl %0; fninit" : : "m"(*word) : "memory");
}

static inline void write_dr(unsigned int n, uint32_t v)
{
	switch (n) {
	case 0: asm volatile("mov %0, %%db0" : : "r"(v)); break;
	case 1: asm volatile("mov %0, %%db1" : : "r"(v)); break;
	case 2: asm volatile("mov %0, %%db2" : : "r"(v)); break;
	case 3: asm volatile("mov %0, %%db3" : : "r"(v)); break;
	case 6: asm volatile("mov %0, %%db6" : : "r"(v)); break;
	case 7: asm volatile("mov %0, %%db7" : : "r"(v)); break;
	}
}

static inline uint32_t read_dr6(void)
{
	uint32_t v;

	asm volatile("mov %%db6, %0" : "=r"(v));
	return v;
}

/* Deliberate faults for the crash= boot option. */
static inline void int3_on_stack(unsigned long esp)
{
	asm volatile("mov %0, %%esp; int3" : : "r"(esp) : "memory");
}

static inline void int3(void)
{
	asm volatile("int3");
}

static inline void ud2(void)
{
	asm volatile("ud2");
}

/* Compiler barrier: orders the compiler only; x86 stores are not reordered
 * with other stores, which is all the shared-memory protocols here need. */
#define barrier()	asm volatile("" : : : "memory")
/* Full barrier, for store-then-load ordering. */
#define mb()		asm volatile("lock; addl $0,0(%%esp)" : : : "memory")

#endif
