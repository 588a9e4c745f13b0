/* SPDX-License-Identifier: MIT */
/*
 * Hypercall dispatch (from "int $0x82" and from multicall), and the small
 * calls that belong to no subsystem: console_io, xeno_version, vm_assist,
 * multicall.  Every call's result goes to the guest's EAX; pending events are
 * delivered on the way out (sched.c: exit_to_guest).
 */
#include <console.h>
#include <domain.h>
#include <errno.h>
#include <guest_access.h>
#include <hypercall.h>
#include <lib.h>
#include <public/xeno.h>
#include <regs.h>

#define CONSOLE_CHUNK		128
#define CONSOLE_BYTE_WORK	1	/* per byte written (hypercall.h units) */

#define HC_CALL0(name) do_##name()
#define HC_CALL1(name) do_##name(a[0])
#define HC_CALL2(name) do_##name(a[0], a[1])
#define HC_CALL3(name) do_##name(a[0], a[1], a[2])
#define HC_CALL4(name) do_##name(a[0], a[1], a[2], a[3])
#define HC_CASE(name, n) case __HYPERVISOR_##name: return HC_CALL##n(name);

long hypercall_dispatch(uint32_t nr, const uint32_t *a)
{
	if (nr < XENO_NR_HYPERCALLS)
		current->domain->stats.hypercalls[nr]++;
	switch (nr) {
	HYPERCALL_TABLE(HC_CASE)
	}
	return -ENOSYS;
}

uint32_t hypercall_work;

/* A continuation asked for by the call running now (hypercall.h). */
static struct {
	bool pending;
	uint32_t nr, args[5];
} cont;

void hypercall_continue(uint32_t nr, const uint32_t args[5])
{
	cont.pending = true;
	cont.nr = nr;
	memcpy(cont.args, args, sizeof(cont.args));
}

/* From "int $0x82": arguments in EBX ECX EDX ESI EDI, result in EAX. */
void do_hypercall(struct cpu_regs *regs)
{
	uint32_t args[5] = { regs->ebx, regs->ecx, regs->edx, regs->esi, regs->edi };
	uint32_t nr = regs->eax;
	long rc;

	if (regs_ring(regs) != 1) {
		/* The gate is DPL 1; only a forged entry could get here. */
		domain_crash(current->domain, "hypercall from ring %u", regs_ring(regs));
		return;
	}
	hypercall_work = 0;
	rc = hypercall_dispatch(nr, args);
	if (cont.pending) {
		/* Re-execute "int $0x82" (CD 82) with the rest of the work. */
		cont.pending = false;
		regs->eip -= 2;
		regs->eax = cont.nr;
		regs->ebx = cont.args[0], regs->ecx = cont.args[1], regs->edx = cont.args[2];
		regs->esi = cont.args[3], regs->edi = cont.args[4];
	} else if (nr != __HYPERVISOR_iret) {	/* iret restored the guest's EAX */
		regs->eax = (uint32_t)rc;
	}
}

/*
 * console_io WRITE: the bytes are copied in chunks and handed to the
 * console layer, which owns every line (console.c).  Counted work: the call
 * itself and one unit per byte.
 */
static long console_write_guest(uint32_t buf, uint32_t count)
{
	char chunk[CONSOLE_CHUNK];

	if (count > XENO_CONSOLEIO_MAX)
		return -E2BIG;
	hypercall_count_work(HYPERCALL_ELEMENT_WORK);
	for (uint32_t done = 0; done < count;) {
		uint32_t n = MIN(count - done, (uint32_t)sizeof(chunk));

		if (copy_from_guest(chunk, buf + done, n))
			return -EFAULT;
		hypercall_count_work(n * CONSOLE_BYTE_WORK);
		console_guest_write(current->domain, chunk, n);
		done += n;
	}
	return count;
}

long do_console_io(uint32_t cmd, uint32_t count, uint32_t buf)
{
	char tmp[CONSOLE_CHUNK];
	size_t n;

	switch (cmd) {
	case XENO_CONSOLEIO_WRITE:
		return console_write_guest(buf, count);
	case XENO_CONSOLEIO_READ:
		if (current->domain->id != 0)
			return -EPERM;
		n = console_input_read(tmp, MIN(count, (uint32_t)sizeof(tmp)));
		if (copy_to_guest(buf, tmp, n))
			return -EFAULT;
		return (long)n;
	}
	return -ENOSYS;
}

long do_xeno_version(uint32_t cmd, uint32_t arg)
{
	static const char extra[16] = XENO_VERSION_STRING;
	static const char caps[64] = "xeno-0.1-x86_32 int80-direct 4gb-segments writable-pt";

	switch (cmd) {
	case XENO_VERSION_VERSION:
		return XENO_INTERFACE_VERSION;
	case XENO_VERSION_EXTRAVERSION:
		return copy_to_guest(arg, extra, sizeof(extra));
	case XENO_VERSION_CAPABILITIES:
		return copy_to_guest(arg, caps, sizeof(caps));
	}
	return -ENOSYS;
}

long do_vm_assist(uint32_t cmd, uint32_t type)
{
	struct domain *d = current->domain;

	if (type >= XENO_VMASST_NR_TYPES)
		return -EINVAL;
	switch (cmd) {
	case XENO_VMASST_CMD_ENABLE:
		d->vm_assist |= 1u << type;
		return 0;
	case XENO_VMASST_CMD_DISABLE:
		d->vm_assist &= ~(1u << type);
		return 0;
	}
	return -ENOSYS;
}

/*
 * Run a batch.  Each entry's result is written back.  A nested multicall
 * or an iret gets -EINVAL and ends the batch; so does any call after which the
 * vCPU should not keep running kernel code here (it blocked, yielded, shut
 * down, or its privilege changed).  Returns the number of entries run.  A
 * long batch is preempted between entries, or inside an entry that is a
 * batch itself (its arguments in the list are rewritten to finish it).
 */
long do_multicall(uint32_t calls, uint32_t count)
{
	struct cpu_regs *regs = guest_frame();
	uint32_t cs = regs->cs, i, done;

	if (!batch_count_split(count, XENO_MULTICALL_MAX, &done, &count))
		return -E2BIG;
	for (i = 0; i < count; i++) {
		struct xeno_multicall_entry e;
		uint32_t va = calls + i * sizeof(e);
		bool stop = false;

		hypercall_count_work(HYPERCALL_ELEMENT_WORK);
		if (copy_from_guest(&e, va, sizeof(e)))
			return -EFAULT;
		if (e.op == __HYPERVISOR_multicall || e.op == __HYPERVISOR_iret) {
			e.result = -EINVAL;
			stop = true;
		} else {
			e.result = (int32_t)hypercall_dispatch(e.op, e.args);
			stop = e.op == __HYPERVISOR_sched_op || regs->cs != cs ||
			       current->state != VCPU_RUNNABLE ||
			       current->domain->shutdown != SHUTDOWN_NONE;
		}
		if (cont.pending) {
			/* The entry continues itself: the rest of it runs next. */
			cont.pending = false;
			if (copy_to_guest(va + offsetof(struct xeno_multicall_entry, args),
					  cont.args, sizeof(cont.args)))
				return -EFAULT;
			break;
		}
		if (copy_to_guest(va + offsetof(struct xeno_multicall_entry, result), &e.result,
				  sizeof(e.result)))
			return -EFAULT;
		if (stop)
			return done + i + 1;
		if (i + 1 < count && hypercall_preempt_check()) {
			i++;
			break;
		}
	}
	if (i < count) {
		uint32_t args[5] = { calls + i * sizeof(struct xeno_multicall_entry),
				     batch_count_continued(done + i, count - i), 0, 0, 0 };

		hypercall_continue(__HYPERVISOR_multicall, args);
		return 0;
	}
	return done + i;
}
