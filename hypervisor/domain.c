/* SPDX-License-Identifier: MIT */
/*
 * Domain life cycle: create, crash, shut down, pause, destroy.
 *
 * A domain's vCPU runs only while it is VCPU_RUNNABLE and not paused.  A
 * crashed or shut-down domain keeps its memory (so Domain0 can inspect it)
 * until Domain0 destroys it; when Domain0 itself ends, so does the machine.
 */
#include <console.h>
#include <domain.h>
#include <event.h>
#include <lib.h>
#include <mm.h>
#include <mm_types.h>
#include <panic.h>
#include <sched.h>
#include <traps.h>

_Static_assert(sizeof(struct domain) <= PAGE_SIZE, "struct domain fits a page");
#define EVTCHN_PAGES	((NR_EVTCHN * sizeof(struct evtchn) + PAGE_SIZE - 1) / PAGE_SIZE)

struct domain *domain_list;
struct vcpu *current;

/* A domain id is 16 bits; larger numbers name no domain (never truncated). */
struct domain *domain_find(uint32_t id)
{
	if (id >= MAX_DOMAINS)
		return NULL;
	for (struct domain *d = domain_list; d; d = d->next)
		if (d->id == id)
			return d;
	return NULL;
}

static void domain_link(struct domain *d)
{
	struct domain **p = &domain_list;

	while (*p && (*p)->id < d->id)
		p = &(*p)->next;
	d->next = *p;
	*p = d;
}

static void vcpu_init(struct vcpu *v, struct domain *d)
{
	v->domain = d;
	v->info = &d->shared_info->vcpu_info[0];
	v->info->evtchn_upcall_mask = 1;
	v->state = VCPU_DOWN;
	v->cr3_mfn = INVALID_MFN;
	sched_init_vcpu(v);
}

/* A new, empty domain (no memory, not runnable).  NULL if out of memory. */
struct domain *domain_create(domid_t id, bool privileged)
{
	struct domain *d = alloc_xenheap_page();

	if (!d)
		return NULL;
	d->id = id;
	d->privileged = privileged;
	d->shutdown = SHUTDOWN_NONE;
	d->shared_info = alloc_xenheap_page();
	d->perdomain_l1 = alloc_xenheap_page();
	d->evtchn = alloc_xenheap_pages(EVTCHN_PAGES);
	if (!d->shared_info || !d->perdomain_l1 || !d->evtchn)
		goto err;
	/*
	 * The guest maps shared_info itself, so the domain owns that frame.
	 * The hypervisor writes it directly, so it holds a general and a
	 * writable type reference for the domain's whole life: the frame can
	 * never become a page table or descriptor page, nor be given away.
	 */
	mfn_to_page(virt_to_mfn(d->shared_info))->owner = id;
	mfn_to_page(virt_to_mfn(d->shared_info))->count = 1;
	mfn_to_page(virt_to_mfn(d->shared_info))->type_info = PGT_writable | 1;
	for (unsigned int i = 0; i < L1_ENTRIES; i++)
		d->perdomain_l1[i] = perdomain_l1_idle[i];
	vcpu_init(&d->vcpu, d);
	domain_link(d);
	return d;
err:
	if (d->evtchn)
		free_xenheap_pages(d->evtchn, EVTCHN_PAGES);
	if (d->perdomain_l1)
		free_xenheap_page(d->perdomain_l1);
	if (d->shared_info)
		free_xenheap_page(d->shared_info);
	free_xenheap_page(d);
	return NULL;
}

/*
 * Free everything; d must not be running.  Reports leaked references.  A
 * domain whose devices still have I/O in flight (frames held for a disk's
 * DMA) only stops here: it is torn down when the last request completes
 * (domain_io_drained(), then the exit path's domain_reap()).
 */
void domain_destroy(struct domain *d)
{
	struct page_info *si = mfn_to_page(virt_to_mfn(d->shared_info));
	unsigned int leaks = 0;

	BUG_ON(current == &d->vcpu);
	console_domain_flush(d);	/* its last words, if it left a line open */
	d->dying = true;
	sched_remove(&d->vcpu);
	if (vdev_domain_busy(d)) {
		if (!d->destroy_deferred)
			printk("domain %u: I/O in flight; destroyed when it completes\n", d->id);
		d->destroy_deferred = true;
		return;
	}
	evtchn_destroy(d);
	mm_teardown(d);
	vdev_domain_destroy(d);		/* the guest maps nothing any more */
	si->count--;			/* the hypervisor's own references */
	si->type_info--;
	fpu_release(&d->vcpu);
	for (mfn_t m = 0; m < max_mfn; m++) {
		struct page_info *pg = mfn_to_page(m);

		if (pg->owner != d->id || pg == si)
			continue;
		if (pg->count || (pg->type_info & PGT_count_mask))
			leaks++;
		pg->count = 0;
		pg->type_info = 0;
		free_domheap_page(m);
	}
	if (leaks || si->count || (si->type_info & PGT_count_mask))
		panic("domain_destroy: d%u: %u frames still referenced", d->id, leaks);
	si->owner = DOMID_XEN;
	si->type_info = 0;
	m2p_set(virt_to_mfn(d->shared_info), XENO_INVALID_PFN);	/* the guest may have set it */
	flush_tlb_local();		/* no stale mapping of a freed frame survives */
	free_xenheap_page(d->shared_info);
	free_xenheap_page(d->perdomain_l1);
	free_xenheap_pages(d->evtchn, EVTCHN_PAGES);
	for (struct domain **p = &domain_list; *p; p = &(*p)->next) {
		if (*p == d) {
			*p = d->next;
			break;
		}
	}
	printk("domain %u destroyed\n", d->id);
	free_xenheap_page(d);
}

static bool reap_pending;

/* The last request of a dying domain completed (vdev back ends). */
void domain_io_drained(struct domain *d)
{
	if (d->destroy_deferred)
		reap_pending = true;
}

/* The exit path: finish the destruction of drained domains. */
void domain_reap(void)
{
	struct domain *d;

	if (!reap_pending)
		return;
	reap_pending = false;
	do {
		for (d = domain_list; d; d = d->next)
			if (d->destroy_deferred && !vdev_domain_busy(d))
				break;
		if (d)
			domain_destroy(d);
	} while (d);
}

/* Take a domain off the CPU for good (it keeps its memory). */
static void domain_stop(struct domain *d, enum shutdown_reason why)
{
	d->shutdown = why;
	d->vcpu.state = VCPU_DOWN;
	sched_remove(&d->vcpu);
	if (d->id != 0)
		send_guest_virq(domain_find(0), XENO_VIRQ_DOM_EXC);
}

/*
 * A guest did something only a broken or malicious kernel does.  Say why,
 * with its registers, and stop it.  Returns: the caller finishes its work and
 * the exit path schedules someone else.  Domain0's death ends the machine.
 */
void domain_crash(struct domain *d, const char *fmt, ...)
{
	const struct cpu_regs *r = vcpu_regs(&d->vcpu);
	va_list ap;

	if (d->shutdown != SHUTDOWN_NONE)
		return;
	console_domain_flush(d);
	printk("*** domain %u crashed: ", d->id);
	va_start(ap, fmt);
	vprintk(fmt, ap);
	va_end(ap);
	printk("\n");
	printk("d%u EIP %04x:%08x ESP %04x:%08x EFLAGS %08x CR2 %08x\n", d->id, r->cs & 0xffff,
	       r->eip, r->ss & 0xffff, r->esp, r->eflags, d->vcpu.info->cr2);
	printk("d%u EAX %08x EBX %08x ECX %08x EDX %08x ESI %08x EDI %08x EBP %08x\n", d->id,
	       r->eax, r->ebx, r->ecx, r->edx, r->esi, r->edi, r->ebp);
	domain_stop(d, SHUTDOWN_CRASH);
	if (d->id == 0) {
		printk("Domain0 crashed: stopping the machine\n");
		machine_exit(EXIT_FAIL);
	}
}

void domain_shutdown(struct domain *d, enum shutdown_reason why)
{
	static const char *const names[] = { "poweroff", "reboot", "crash" };

	console_domain_flush(d);
	printk("domain %u shut down: %s\n", d->id, names[why]);
	domain_stop(d, why);
	if (d->id != 0)
		return;
	if (why == SHUTDOWN_REBOOT)
		machine_reboot();
	machine_exit(why == SHUTDOWN_POWEROFF ? EXIT_PASS : EXIT_FAIL);
}

void domain_pause(struct domain *d)
{
	d->vcpu.paused = true;
	sched_remove(&d->vcpu);
}

void domain_unpause(struct domain *d)
{
	d->vcpu.paused = false;
	if (d->vcpu.state == VCPU_RUNNABLE)
		sched_add(&d->vcpu);
}

void domain_dump_all(void)
{
	static const char *const states[] = { "runnable", "blocked", "down" };

	for (struct domain *d = domain_list; d; d = d->next) {
		const struct vcpu *v = &d->vcpu;

		printk("d%u '%s': %s%s%s, %u/%u pages, cr3 %05x, cpu %llu ms, upcall %u/%u, "
		       "eip %08x\n", d->id, d->name, states[v->state], v->paused ? " paused" : "",
		       d->shutdown == SHUTDOWN_NONE ? "" : " (shut down)", d->tot_pages,
		       d->max_pages, v->cr3_mfn, v->cpu_time / 1000000,
		       v->info->evtchn_upcall_pending, v->info->evtchn_upcall_mask,
		       vcpu_regs((struct vcpu *)v)->eip);
		if (d->id != 0)
			printk("d%u console: %u bytes dropped, %u messages about it suppressed\n",
			       d->id, d->console.dropped, d->console.suppressed);
	}
}
