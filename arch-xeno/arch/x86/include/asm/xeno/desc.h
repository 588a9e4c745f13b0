/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Descriptor tables of a Xeno guest.  The hypervisor owns the real IDT, the
 * TSS and the LDT/TSS descriptors; the guest's GDT frames become read-only
 * descriptor pages (set_gdt) changed only by update_descriptor; its IDT is
 * turned into a trap table (set_trap_table).
 */
#ifndef _ASM_X86_XENO_DESC_H
#define _ASM_X86_XENO_DESC_H

struct desc_ptr;
struct desc_struct;
struct thread_struct;
struct gate_struct;

void xeno_load_gdt(const struct desc_ptr *dtr);
void xeno_load_idt(const struct desc_ptr *dtr);
void xeno_load_tls(struct thread_struct *t, unsigned int cpu);
void xeno_set_ldt(const void *addr, unsigned int entries);
void xeno_write_ldt_entry(struct desc_struct *ldt, int entry, const void *desc);
void xeno_write_gdt_entry(struct desc_struct *dt, int entry, const void *desc, int type);
void xeno_write_idt_entry(struct gate_struct *idt, int entry, const struct gate_struct *gate);

#define load_TR_desc()				do { } while (0)
#define load_gdt(dtr)				xeno_load_gdt(dtr)
#define load_idt(dtr)				xeno_load_idt(dtr)
#define load_tr(tr)				do { } while (0)
#define load_ldt(ldt)				xeno_set_ldt(NULL, 0)

#define store_gdt(dtr)				native_store_gdt(dtr)
#define store_tr(tr)				(tr = native_store_tr())

#define load_TLS(t, cpu)			xeno_load_tls(t, cpu)
#define set_ldt					xeno_set_ldt

#define write_ldt_entry(dt, entry, desc)	xeno_write_ldt_entry(dt, entry, desc)
#define write_gdt_entry(dt, entry, desc, type)	xeno_write_gdt_entry(dt, entry, desc, type)
#define write_idt_entry(dt, entry, g)		xeno_write_idt_entry(dt, entry, g)

static inline void paravirt_alloc_ldt(struct desc_struct *ldt, unsigned int entries)
{
}

static inline void paravirt_free_ldt(struct desc_struct *ldt, unsigned int entries)
{
}

#endif /* _ASM_X86_XENO_DESC_H */
