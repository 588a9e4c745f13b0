// SPDX-License-Identifier: GPL-2.0
/*
 * Descriptor tables on Xeno.  The GDT page is made read-only and handed to
 * the hypervisor (set_gdt), which validates every descriptor; later changes
 * (TLS on context switch) go through update_descriptor.  TSS and LDT
 * descriptors belong to the hypervisor and are never written.  The IDT stays
 * an ordinary table in memory that is translated into a trap table.
 */
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/string.h>
#include <asm/desc.h>
#include <asm/pgtable.h>
#include <asm/processor.h>
#include <asm/xeno/hypercall.h>
#include <asm/xeno/xeno.h>

#define MAX_TRAPS	34	/* exceptions, int $0x80, terminator */

static bool gdt_loaded;
static const struct desc_ptr *loaded_idt;

/* The machine frame behind any mapped kernel address (direct map or fixmap). */
static unsigned long kernel_va_to_mfn(unsigned long va)
{
	pte_t *pte = xeno_lookup_pte(va);

	BUG_ON(!pte || !(pte->pte & _PAGE_PRESENT));
	return pte->pte >> PAGE_SHIFT;	/* machine frame, untranslated */
}

void xeno_load_gdt(const struct desc_ptr *dtr)
{
	unsigned long frames[XENO_GDT_GUEST_FRAMES], va = dtr->address;
	unsigned int entries = (dtr->size + 1) / sizeof(struct desc_struct);
	unsigned int n = DIV_ROUND_UP(dtr->size + 1, PAGE_SIZE);

	BUG_ON(n > XENO_GDT_GUEST_FRAMES);
	for (unsigned int i = 0; i < n; i++, va += PAGE_SIZE) {
		frames[i] = kernel_va_to_mfn(va);
		/* Every mapping of a descriptor page must be read-only. */
		xeno_make_page_readonly(__va(PFN_PHYS(mfn_to_pfn(frames[i]))));
	}
	if (HYPERVISOR_set_gdt(frames, entries))
		BUG();
	gdt_loaded = true;
}

void xeno_write_gdt_entry(struct desc_struct *dt, int entry, const void *desc, int type)
{
	const u32 *d = desc;

	if (type == DESC_TSS || type == DESC_LDT)
		return;		/* the hypervisor's TSS and LDT are not ours to set */
	if (!gdt_loaded) {
		memcpy(&dt[entry], desc, sizeof(struct desc_struct));
		return;
	}
	if (HYPERVISOR_update_descriptor(virt_to_machine(&dt[entry]), d[0], d[1]))
		pr_warn_ratelimited("Xeno: GDT entry %d (%08x:%08x) refused\n", entry, d[1], d[0]);
}

/* Called on every context switch: rewrite only the TLS slots that differ. */
void xeno_load_tls(struct thread_struct *t, unsigned int cpu)
{
	struct desc_struct *gdt = get_cpu_gdt_rw(cpu);

	for (unsigned int i = 0; i < GDT_ENTRY_TLS_ENTRIES; i++) {
		struct desc_struct *slot = &gdt[GDT_ENTRY_TLS_MIN + i];

		if (memcmp(slot, &t->tls_array[i], sizeof(*slot)))
			xeno_write_gdt_entry(gdt, GDT_ENTRY_TLS_MIN + i, &t->tls_array[i],
					     DESCTYPE_S);
	}
}

void xeno_write_ldt_entry(struct desc_struct *ldt, int entry, const void *desc)
{
	const u32 *d = desc;

	if (HYPERVISOR_update_descriptor(virt_to_machine(&ldt[entry]), d[0], d[1]))
		memcpy(&ldt[entry], desc, sizeof(struct desc_struct));	/* not live yet */
}

void xeno_set_ldt(const void *addr, unsigned int entries)
{
	struct xeno_mmuext_op op = {
		.cmd = XENO_MMUEXT_SET_LDT,
		.arg1 = entries ? (u32)(unsigned long)addr : 0,
		.arg2 = entries,
	};

	if (HYPERVISOR_mmuext_op(&op, 1, NULL, XENO_DOMID_SELF))
		BUG();
}

/*
 * One IDT gate as a trap-table entry.  Interrupt gates mask events on entry
 * (Linux's handlers expect interrupts off); int $0x80 is registered as a
 * DPL-3 trap so the hypervisor can install it as a direct gate (the entry
 * code masks events itself).  Task gates (#DF) cannot be virtualised and
 * vectors from 32 on are hardware interrupts, which never reach us.
 */
static bool gate_to_trap(unsigned int vector, const gate_desc *g, struct xeno_trap_info *t)
{
	if (!g->bits.p || (vector >= FIRST_EXTERNAL_VECTOR && vector != IA32_SYSCALL_VECTOR))
		return false;
	if (g->bits.type != GATE_INTERRUPT && g->bits.type != GATE_TRAP)
		return false;
	t->vector = vector;
	t->cs = gate_segment(g);
	t->address = gate_offset(g);
	t->flags = g->bits.dpl;
	if (vector != IA32_SYSCALL_VECTOR && g->bits.type == GATE_INTERRUPT)
		t->flags |= XENO_TI_MASK_EVENTS;
	return true;
}

void xeno_load_idt(const struct desc_ptr *dtr)
{
	const gate_desc *idt = (const gate_desc *)dtr->address;
	unsigned int nr = (dtr->size + 1) / sizeof(gate_desc), n = 0;
	struct xeno_trap_info traps[MAX_TRAPS];

	memset(traps, 0, sizeof(traps));
	for (unsigned int v = 0; v < nr && n < MAX_TRAPS - 1; v++)
		n += gate_to_trap(v, &idt[v], &traps[n]);
	if (HYPERVISOR_set_trap_table(traps))
		BUG();
	loaded_idt = dtr;
}

void xeno_write_idt_entry(gate_desc *idt, int entry, const gate_desc *gate)
{
	struct xeno_trap_info t[2];

	memcpy(&idt[entry], gate, sizeof(*gate));
	if (!loaded_idt || (gate_desc *)loaded_idt->address != idt)
		return;
	memset(t, 0, sizeof(t));
	if (gate_to_trap(entry, gate, &t[0]))
		HYPERVISOR_set_trap_table(t);
}
