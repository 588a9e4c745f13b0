// SPDX-License-Identifier: GPL-2.0
/*
 * Event channels as Linux interrupts.  Each bound port gets an IRQ with
 * an edge-type chip: ack clears the port's pending bit, mask/unmask use the
 * shared mask bitmap (unmask goes through the hypervisor, which re-raises an
 * event that arrived while masked).  The hypervisor enters
 * asm_sysvec_xeno_callback with events masked whenever an unmasked port is
 * pending; it scans the selector word, then the pending words.
 */
#include <linux/init.h>
#include <linux/interrupt.h>
#include <linux/irq.h>
#include <linux/kernel.h>
#include <linux/export.h>
#include <asm/desc.h>
#include <asm/sync_bitops.h>
#include <asm/idtentry.h>
#include <asm/irq_regs.h>
#include <asm/xeno/hypercall.h>
#include <asm/xeno/xeno.h>
#include <xeno/public/event_channel.h>

static int port_to_irq[XENO_NR_EVENT_CHANNELS];

/* Any hypercall delivers pending events on its way back (unmask-then-check). */
noinstr void xeno_force_event_delivery(void)
{
	_xeno_hypercall2(int, xeno_version, XENO_VERSION_VERSION, NULL);
}
EXPORT_SYMBOL(xeno_force_event_delivery);	/* every module's irqflags */

/* Idle: unmask events and sleep until one is pending, atomically. */
void xeno_safe_halt(void)
{
	HYPERVISOR_sched_op(XENO_SCHEDOP_block, 0);
}

void xeno_halt(void)
{
	HYPERVISOR_sched_op(XENO_SCHEDOP_yield, 0);
}

static unsigned int irq_port(struct irq_data *d)
{
	return (unsigned int)(unsigned long)irq_data_get_irq_chip_data(d);
}

static void evtchn_ack(struct irq_data *d)
{
	sync_clear_bit(irq_port(d), (unsigned long *)xeno_shared_info.evtchn_pending);
}

static void evtchn_mask(struct irq_data *d)
{
	sync_set_bit(irq_port(d), (unsigned long *)xeno_shared_info.evtchn_mask);
}

static void evtchn_unmask(struct irq_data *d)
{
	struct xeno_evtchn_port op = { irq_port(d) };

	HYPERVISOR_event_channel_op(XENO_EVTCHNOP_unmask, &op);
}

static struct irq_chip xeno_evtchn_chip = {
	.name		= "xeno-evtchn",
	.irq_ack	= evtchn_ack,
	.irq_mask	= evtchn_mask,
	.irq_unmask	= evtchn_unmask,
};

/* Give a bound port a Linux IRQ (masked until a handler is requested). */
static int port_to_new_irq(unsigned int port)
{
	int irq = irq_alloc_desc(0);

	if (irq < 0)
		return irq;
	sync_set_bit(port, (unsigned long *)xeno_shared_info.evtchn_mask);
	irq_set_chip_and_handler_name(irq, &xeno_evtchn_chip, handle_edge_irq, "event");
	irq_set_chip_data(irq, (void *)(unsigned long)port);
	port_to_irq[port] = irq;
	return irq;
}

int xeno_bind_virq_to_irq(unsigned int virq)
{
	struct xeno_evtchn_bind_virq op = { .virq = virq };
	int rc = HYPERVISOR_event_channel_op(XENO_EVTCHNOP_bind_virq, &op);

	if (rc)
		return rc;
	return port_to_new_irq(op.port);
}

int xeno_bind_virq_to_irqhandler(unsigned int virq, irq_handler_t handler,
				 unsigned long flags, const char *name, void *dev)
{
	int irq = xeno_bind_virq_to_irq(virq);
	int rc;

	if (irq < 0)
		return irq;
	rc = request_irq(irq, handler, flags, name, dev);
	return rc ? rc : irq;
}

int xeno_bind_port_to_irqhandler(unsigned int port, irq_handler_t handler,
				 unsigned long flags, const char *name, void *dev)
{
	int irq = port_to_new_irq(port);
	int rc;

	if (irq < 0)
		return irq;
	rc = request_irq(irq, handler, flags, name, dev);
	return rc ? rc : irq;
}
EXPORT_SYMBOL_GPL(xeno_bind_port_to_irqhandler);

/*
 * Undo xeno_bind_port_to_irqhandler(): the handler goes, the port stays
 * bound in the hypervisor (a device's port belongs to the device) but
 * masked and unrouted, its IRQ free.
 */
void xeno_unbind_irqhandler(int irq, void *dev)
{
	unsigned int port = (unsigned int)(unsigned long)irq_get_chip_data(irq);

	free_irq(irq, dev);
	sync_set_bit(port, (unsigned long *)xeno_shared_info.evtchn_mask);
	port_to_irq[port] = 0;
	irq_free_desc(irq);
}
EXPORT_SYMBOL_GPL(xeno_unbind_irqhandler);

/*
 * The upcall.  Clear upcall_pending before scanning (an event that arrives
 * during the scan sets it again and we go round); the selector word is taken
 * atomically because the hypervisor sets bits in it.
 */
void xeno_evtchn_do_upcall(void)
{
	struct xeno_vcpu_info *v = xeno_vcpu;

	do {
		unsigned long sel;

		WRITE_ONCE(v->evtchn_upcall_pending, 0);
		sel = xchg((unsigned long *)&v->evtchn_pending_sel, 0);
		while (sel) {
			unsigned int w = __ffs(sel);
			unsigned long bits;

			sel &= sel - 1;
			bits = READ_ONCE(xeno_shared_info.evtchn_pending[w]) &
			       ~READ_ONCE(xeno_shared_info.evtchn_mask[w]);
			while (bits) {
				unsigned int port = w * BITS_PER_LONG + __ffs(bits);
				int irq = port_to_irq[port];

				bits &= bits - 1;
				if (irq > 0)
					generic_handle_irq(irq);
				else
					sync_clear_bit(port, (unsigned long *)
						       xeno_shared_info.evtchn_pending);
			}
		}
	} while (READ_ONCE(v->evtchn_upcall_pending));
}

DEFINE_IDTENTRY_SYSVEC(sysvec_xeno_callback)
{
	struct pt_regs *old_regs = set_irq_regs(regs);

	xeno_evtchn_do_upcall();
	set_irq_regs(old_regs);
}

void __init xeno_init_irq(void)
{
	if (HYPERVISOR_set_callbacks(__KERNEL_CS, (unsigned long)xeno_upcall_entry,
				     __KERNEL_CS, (unsigned long)xeno_failsafe_callback))
		panic("Xeno: cannot register the event and failsafe callbacks");
	pr_info("Xeno: event channels as interrupts, %u ports\n", XENO_NR_EVENT_CHANNELS);
}
