/* SPDX-License-Identifier: MIT */
/*
 * The two 8259 PICs, remapped to vectors 0x20-0x2f.  Every IRQ is masked
 * until a driver registers a handler.  Interrupts are taken in guest context
 * or while the hypervisor idles; the hypervisor itself runs with them off.
 */
#include <irq.h>
#include <lib.h>
#include <panic.h>
#include <traps.h>
#include <x86.h>

#define PIC1_CMD	0x20
#define PIC1_DATA	0x21
#define PIC2_CMD	0xa0
#define PIC2_DATA	0xa1
#define ICW1_INIT_ICW4	0x11
#define ICW4_8086	0x01
#define PIC_EOI		0x20
#define PIC_CASCADE_IRQ	2
#define OCW3_READ_ISR	0x0b

static struct {
	irq_handler_t fn;
	void *data;
} handlers[NR_IRQS];
static uint16_t irq_mask = 0xffff & ~(1u << PIC_CASCADE_IRQ);
static unsigned long spurious;

static void pic_write_mask(void)
{
	outb(PIC1_DATA, irq_mask & 0xff);
	outb(PIC2_DATA, irq_mask >> 8);
}

void irq_init(void)
{
	outb(PIC1_CMD, ICW1_INIT_ICW4);
	outb(PIC2_CMD, ICW1_INIT_ICW4);
	outb(PIC1_DATA, IRQ_BASE_VECTOR);
	outb(PIC2_DATA, IRQ_BASE_VECTOR + 8);
	outb(PIC1_DATA, 1u << PIC_CASCADE_IRQ);	/* slave on IRQ 2 */
	outb(PIC2_DATA, PIC_CASCADE_IRQ);
	outb(PIC1_DATA, ICW4_8086);
	outb(PIC2_DATA, ICW4_8086);
	pic_write_mask();
}

void irq_register(unsigned int irq, irq_handler_t fn, void *data)
{
	BUG_ON(irq >= NR_IRQS || handlers[irq].fn);
	handlers[irq].fn = fn;
	handlers[irq].data = data;
	irq_mask &= ~(1u << irq);
	pic_write_mask();
}

/* IRQ 7 and 15 can be spurious: the in-service bit tells. */
static bool is_spurious(unsigned int irq)
{
	uint16_t cmd = irq < 8 ? PIC1_CMD : PIC2_CMD;

	if ((irq & 7) != 7)
		return false;
	outb(cmd, OCW3_READ_ISR);
	return !(inb(cmd) & 0x80);
}

void do_irq(unsigned int irq)
{
	if (is_spurious(irq)) {
		if (irq >= 8)
			outb(PIC1_CMD, PIC_EOI);	/* the master did see IRQ 2 */
		spurious++;
		return;
	}
	/* EOI first: the handler may re-arm the device (the PIT one-shot). */
	if (irq >= 8)
		outb(PIC2_CMD, PIC_EOI);
	outb(PIC1_CMD, PIC_EOI);
	if (handlers[irq].fn)
		handlers[irq].fn(irq, handlers[irq].data);
}
