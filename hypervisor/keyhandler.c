/* SPDX-License-Identifier: MIT */
/*
 * Debug keys: typed on the serial console after Ctrl-A three times, or sent
 * by Domain0 with dom0_op DEBUGKEY.  Each dumps one kind of state.
 */
#include <console.h>
#include <domain.h>
#include <event.h>
#include <hypercall.h>
#include <lib.h>
#include <mm.h>
#include <mm_types.h>
#include <time.h>
#include <traps.h>
#include <vif.h>

static void dump_page_types(void)
{
	static const char *const names[] = { "none", "L1", "L2", "seg_desc", "writable" };
	unsigned long counts[5] = { 0 }, free = 0, xen = 0, io = 0, pinned = 0;

	for (mfn_t m = 0; m < max_mfn; m++) {
		const struct page_info *pg = mfn_to_page(m);

		if (pg->owner == DOMID_FREE)
			free++;
		else if (pg->owner == DOMID_XEN)
			xen++;
		else if (pg->owner == DOMID_IO)
			io++;
		else if ((pg->type_info & PGT_count_mask) || pg->count)
			counts[(pg->type_info & PGT_type_mask) >> 29]++;
		else
			counts[0]++;
		pinned += !!(pg->type_info & PGT_pinned);
	}
	printk("frames: %lu free, %lu hypervisor, %lu not RAM, %lu pinned\n", free, xen, io,
	       pinned);
	for (unsigned int i = 0; i < 5; i++)
		printk("  domain frames typed %-8s %lu\n", names[i], counts[i]);
}

static void dump_events(void)
{
	for (struct domain *d = domain_list; d; d = d->next) {
		printk("d%u: upcall pending %u mask %u sel %08x\n", d->id,
		       d->vcpu.info->evtchn_upcall_pending, d->vcpu.info->evtchn_upcall_mask,
		       d->vcpu.info->evtchn_pending_sel);
		evtchn_dump(d);
	}
}

#define HC_NAME(name, n) [__HYPERVISOR_##name] = #name,
static const char *const hypercall_names[XENO_NR_HYPERCALLS] = { HYPERCALL_TABLE(HC_NAME) };
#undef HC_NAME

/* Each domain's hypercalls, traps and upcalls since the last 'c'; then zero them. */
static void dump_counts(void)
{
	for (struct domain *d = domain_list; d; d = d->next) {
		struct domain_stats *s = &d->stats;

		printk("d%u: %u upcalls\n", d->id, s->upcalls);
		for (unsigned int i = 0; i < XENO_NR_HYPERCALLS; i++)
			if (s->hypercalls[i])
				printk("  hypercall %-18s %10u\n",
				       hypercall_names[i] ? hypercall_names[i] : "(unknown)",
				       s->hypercalls[i]);
		for (unsigned int i = 0; i < 32; i++)
			if (s->traps[i])
				printk("  trap %2u %-25s %10u, %u to the guest\n", i, trap_name(i),
				       s->traps[i], s->bounced[i]);
		memset(s, 0, sizeof(*s));
	}
}

bool debug_key(unsigned int key)
{
	send_guest_virq(domain_find(0), XENO_VIRQ_DEBUG);
	switch (key) {
	case 'c':
		dump_counts();
		return true;
	case 'd':
		domain_dump_all();
		return true;
	case 'e':
		dump_events();
		return true;
	case 'm':
		dump_page_types();
		return true;
	case 'n':
		netsw_dump();
		return true;
	case 't':
		printk("system time %llu ns, TSC %u kHz\n", time_now(), tsc_khz());
		return true;
	case 'h':
		printk("debug keys: c hypercall and trap counts (then zeroed), d domains, "
		       "e event channels, m memory and page types, n network, t time, h help\n");
		return true;
	}
	return false;
}
