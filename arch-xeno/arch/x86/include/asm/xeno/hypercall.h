/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Hypercalls into Xeno: a call to the hypervisor-filled stub for the call's
 * number in hypercall_page (32 bytes each: mov $nr,%eax; int $0x82; ret).
 * Arguments go in EBX, ECX, EDX, ESI, EDI; the result comes back in EAX.
 */
#ifndef _ASM_X86_XENO_HYPERCALL_H
#define _ASM_X86_XENO_HYPERCALL_H

#include <linux/types.h>
#include <xeno/public/xeno.h>
#include <xeno/public/sched.h>

struct xeno_hypercall_entry {
	char code[XENO_HYPERCALL_STUB_SIZE];
};
extern struct xeno_hypercall_entry hypercall_page[];

#define __XENO_HC_CALL	"call hypercall_page+%c[offset]"
#define __XENO_HC_ENTRY(x) \
	[offset] "i" (__HYPERVISOR_##x * sizeof(hypercall_page[0]))

/*
 * The hypervisor preserves every register but EAX; the outputs below still
 * mark the argument registers clobbered so no caller relies on them.  The
 * "memory" clobber: the hypervisor reads and writes guest memory.
 */
#define _xeno_hypercall1(type, name, a1)				\
({									\
	long __res, __ign1;						\
	asm volatile(__XENO_HC_CALL					\
		     : "=a" (__res), "=b" (__ign1)			\
		     : "1" ((long)(a1)), __XENO_HC_ENTRY(name)		\
		     : "memory");					\
	(type)__res;							\
})

#define _xeno_hypercall2(type, name, a1, a2)				\
({									\
	long __res, __ign1, __ign2;					\
	asm volatile(__XENO_HC_CALL					\
		     : "=a" (__res), "=b" (__ign1), "=c" (__ign2)	\
		     : "1" ((long)(a1)), "2" ((long)(a2)),		\
		       __XENO_HC_ENTRY(name)				\
		     : "memory");					\
	(type)__res;							\
})

#define _xeno_hypercall3(type, name, a1, a2, a3)			\
({									\
	long __res, __ign1, __ign2, __ign3;				\
	asm volatile(__XENO_HC_CALL					\
		     : "=a" (__res), "=b" (__ign1), "=c" (__ign2),	\
		       "=d" (__ign3)					\
		     : "1" ((long)(a1)), "2" ((long)(a2)),		\
		       "3" ((long)(a3)), __XENO_HC_ENTRY(name)		\
		     : "memory");					\
	(type)__res;							\
})

#define _xeno_hypercall4(type, name, a1, a2, a3, a4)			\
({									\
	long __res, __ign1, __ign2, __ign3, __ign4;			\
	asm volatile(__XENO_HC_CALL					\
		     : "=a" (__res), "=b" (__ign1), "=c" (__ign2),	\
		       "=d" (__ign3), "=S" (__ign4)			\
		     : "1" ((long)(a1)), "2" ((long)(a2)),		\
		       "3" ((long)(a3)), "4" ((long)(a4)),		\
		       __XENO_HC_ENTRY(name)				\
		     : "memory");					\
	(type)__res;							\
})

static inline int HYPERVISOR_console_io(int cmd, int count, const char *buf)
{
	return _xeno_hypercall3(int, console_io, cmd, count, buf);
}

static inline int HYPERVISOR_sched_op(int cmd, unsigned long arg)
{
	return _xeno_hypercall2(int, sched_op, cmd, arg);
}

static inline int HYPERVISOR_xeno_version(int cmd, void *arg)
{
	return _xeno_hypercall2(int, xeno_version, cmd, arg);
}

static inline int HYPERVISOR_set_trap_table(const struct xeno_trap_info *table)
{
	return _xeno_hypercall1(int, set_trap_table, table);
}

static inline int HYPERVISOR_set_callbacks(unsigned long event_cs, unsigned long event_eip,
					   unsigned long failsafe_cs,
					   unsigned long failsafe_eip)
{
	return _xeno_hypercall4(int, set_callbacks, event_cs, event_eip, failsafe_cs,
				failsafe_eip);
}

static inline int HYPERVISOR_stack_switch(unsigned long ss, unsigned long esp)
{
	return _xeno_hypercall2(int, stack_switch, ss, esp);
}

static inline int HYPERVISOR_update_va_mapping(unsigned long va, unsigned long pte,
					       unsigned long flags)
{
	return _xeno_hypercall3(int, update_va_mapping, va, pte, flags);
}

static inline int HYPERVISOR_mmu_update(const struct xeno_mmu_update *req, int count,
					int *done, unsigned int domid)
{
	return _xeno_hypercall4(int, mmu_update, req, count, done, domid);
}

static inline int HYPERVISOR_mmuext_op(const struct xeno_mmuext_op *op, int count,
				       int *done, unsigned int domid)
{
	return _xeno_hypercall4(int, mmuext_op, op, count, done, domid);
}

static inline int HYPERVISOR_set_gdt(const unsigned long *frames, int entries)
{
	return _xeno_hypercall2(int, set_gdt, frames, entries);
}

static inline int HYPERVISOR_update_descriptor(unsigned long maddr, u32 lo, u32 hi)
{
	return _xeno_hypercall3(int, update_descriptor, maddr, lo, hi);
}

static inline int HYPERVISOR_fpu_taskswitch(int set)
{
	return _xeno_hypercall1(int, fpu_taskswitch, set);
}

static inline int HYPERVISOR_set_debugreg(int reg, unsigned long value)
{
	return _xeno_hypercall2(int, set_debugreg, reg, value);
}

static inline unsigned long HYPERVISOR_get_debugreg(int reg)
{
	return _xeno_hypercall1(unsigned long, get_debugreg, reg);
}

static inline int HYPERVISOR_set_timer_op(u64 deadline)
{
	return _xeno_hypercall2(int, set_timer_op, (u32)deadline, (u32)(deadline >> 32));
}

static inline int HYPERVISOR_event_channel_op(int cmd, void *arg)
{
	return _xeno_hypercall2(int, event_channel_op, cmd, arg);
}

static inline int HYPERVISOR_vm_assist(unsigned int cmd, unsigned int type)
{
	return _xeno_hypercall2(int, vm_assist, cmd, type);
}

static inline int HYPERVISOR_memory_op(unsigned int cmd, void *arg)
{
	return _xeno_hypercall2(int, memory_op, cmd, arg);
}

static inline int HYPERVISOR_multicall(void *calls, int count)
{
	return _xeno_hypercall2(int, multicall, calls, count);
}

static inline int HYPERVISOR_dom0_op(void *op)
{
	return _xeno_hypercall1(int, dom0_op, op);
}

static inline int HYPERVISOR_vdev_op(int cmd, void *arg)
{
	return _xeno_hypercall2(int, vdev_op, cmd, arg);
}

#endif /* _ASM_X86_XENO_HYPERCALL_H */
