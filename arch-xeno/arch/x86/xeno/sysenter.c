// SPDX-License-Identifier: GPL-2.0
/*
 * A raw sysenter from user space.  Native i386 Linux runs it as the vDSO's
 * fast system call (entry_SYSENTER_32): ESP comes from EBP, the sixth
 * argument from [EBP], and the return goes to the vDSO's int80_landing_pad,
 * which pops EBP, EDX and ECX and returns.  Under Xeno the hypervisor owns
 * the SYSENTER MSRs and hides SEP from us (so our vDSO uses int $0x80), and
 * a sysenter faults with #GP(0).  Programs that sysenter by hand still
 * work natively; make them work here too.  The #GP handler sends the task
 * to the vDSO's int $0x80, which sits just before the landing pad, with the
 * registers sysenter's entry would have set: the system call then goes
 * through the direct int $0x80 gate and returns to the landing pad, as
 * native's does.
 */
#include <linux/errno.h>
#include <linux/sched.h>
#include <linux/uaccess.h>
#include <asm/ptrace.h>
#include <asm/segment.h>
#include <asm/traps.h>
#include <asm/vdso.h>

#define INSN_SYSENTER	0x340f	/* 0f 34, read as a little-endian u16 */
#define INSN_INT80	0x80cd	/* cd 80 */
#define INT80_LEN	2

/*
 * A user-mode #GP: if it is a sysenter, redirect the task as described
 * above and return true; false leaves the fault to the caller (SIGSEGV).
 */
bool xeno_fixup_sysenter(struct pt_regs *regs)
{
	void __user *vdso = current->mm->context.vdso;
	unsigned long pad, int80;
	u16 insn;
	u32 arg6;

	if (regs->cs != __USER_CS || !vdso)
		return false;
	if (get_user(insn, (u16 __user *)regs->ip) || insn != INSN_SYSENTER)
		return false;
	pad = (unsigned long)vdso + vdso_image_32.sym_int80_landing_pad;
	int80 = pad - INT80_LEN;
	if (get_user(insn, (u16 __user *)int80) || insn != INSN_INT80)
		return false;
	regs->sp = regs->bp;	/* the vDSO's convention: ESP in EBP */
	if (get_user(arg6, (u32 __user *)regs->sp)) {
		/* As native: -EFAULT, and the landing pad's pops fault. */
		regs->ax = -EFAULT;
		regs->ip = pad;
		return true;
	}
	regs->bp = arg6;
	regs->ip = int80;
	return true;
}
