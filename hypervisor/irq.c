/* SPDX-License-Identifier: MIT */
/*
 * The two 8259 PICs, remapped to vectors 0x20-0x2f.  Every IRQ is masked
 * until a driver registers a handler.  Interrupts are taken in guest context
 * or while the hypervisor idles; the hypervisor itself runs with them off.
 *
 * A line is free, ISA or PCI, and keeps its kind once it has a handler:
 *  - ISA (irq_register(): the timer, COM1): edge-triggered, one handler.
 *    The EOI goes first, because the handler may re-arm its device (the
 *    PIT one-shot) and the next edge must not be lost.
 *  - PCI (irq_register_pci(): INTx lines, which several devices share):
 *    level-triggered (its ELCR bit set), up to IRQ_MAX_SHARED handlers.
 *    Every handler runs on every interrupt and silences its own device if
 *    it was the one asking; the EOI comes after all of them, since a line
 *    still held high would otherwise interrupt again at once.
 * The edge/level choice lives in the ELCR (ports 0x4d0/0x4d1), written only
 * when a PCI line is registered: a machine without PCI devices for us (Bochs
 * here) never has it touched, and the firmware's settings for other lines
 * are kept.  The table functions are pure; test/test-irq.c includes this
 * file to reach them.
 */
#include <errno.h>
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
#define ELCR_MASTER	0x4d0		/* IRQ 0-7: bit set = level-triggered */
#define ELCR_SLAVE	0x4d1		/* IRQ 8-15 */

enum irq_kind { IRQ_FREE, IRQ_ISA, IRQ_PCI };

static struct irq_line {
	enum irq_kind kind;
	unsigned int nr;		/* handlers in action[] */
	struct {
		irq_handler_t fn;
		void *data;
	} action[IRQ_MAX_SHARED];
} lines[NR_IRQS];
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

/*
 * Enter a handler in the table (pure: no hardware; host-tested).  0, or
 * -EINVAL for a line that does not exist or cannot be level-triggered,
 * -EBUSY if the line already has the other kind (or is ISA: not shared),
 * -ENOSPC if all IRQ_MAX_SHARED slots are taken.
 */
static int irq_table_add(unsigned int irq, enum irq_kind kind, irq_handler_t fn, void *data)
{
	struct irq_line *l;

	if (irq >= NR_IRQS || !fn || (kind == IRQ_PCI && !(IRQ_LEVEL_CAPABLE & (1u << irq))))
		return -EINVAL;
	l = &lines[irq];
	if (l->kind != IRQ_FREE && (l->kind != kind || kind == IRQ_ISA))
		return -EBUSY;
	if (l->nr == IRQ_MAX_SHARED)
		return -ENOSPC;
	l->kind = kind;
	l->action[l->nr].fn = fn;
	l->action[l->nr].data = data;
	l->nr++;
	return 0;
}

/* The lines of one kind, as a mask (bit n = IRQ n). */
static uint16_t lines_of_kind(enum irq_kind kind)
{
	uint16_t m = 0;

	for (unsigned int i = 0; i < NR_IRQS; i++)
		if (lines[i].kind == kind)
			m |= 1u << i;
	return m;
}

/*
 * The ELCR value to write, from what it reads now: our PCI lines level, our
 * ISA lines edge, the firmware's choice for the rest; the bits of the
 * edge-only lines are reserved and must be written as 0 (pure; host-tested).
 */
static uint16_t irq_elcr_value(uint16_t now, uint16_t level, uint16_t edge)
{
	return ((now & ~edge) | level) & IRQ_LEVEL_CAPABLE;
}

static void elcr_update(void)
{
	uint16_t now = inb(ELCR_MASTER) | inb(ELCR_SLAVE) << 8;
	uint16_t v = irq_elcr_value(now, lines_of_kind(IRQ_PCI), lines_of_kind(IRQ_ISA));

	outb(ELCR_MASTER, v & 0xff);
	outb(ELCR_SLAVE, v >> 8);
}

static void irq_unmask(unsigned int irq)
{
	irq_mask &= ~(1u << irq);
	pic_write_mask();
}

void irq_register(unsigned int irq, irq_handler_t fn, void *data)
{
	int rc = irq_table_add(irq, IRQ_ISA, fn, data);

	if (rc)
		panic("%s: IRQ %u: error %d", __func__, irq, rc);
	irq_unmask(irq);
}

int irq_register_pci(unsigned int irq, irq_handler_t fn, void *data)
{
	int rc = irq_table_add(irq, IRQ_PCI, fn, data);

	if (rc)
		return trace_error(rc);
	if (lines[irq].nr == 1) {
		elcr_update();		/* level before unmasking */
		irq_unmask(irq);
	}
	return 0;
}

bool irq_is_level(unsigned int irq)
{
	return irq < NR_IRQS && lines[irq].kind == IRQ_PCI;
}

/* Every handler of the line, in the order they registered. */
static void irq_run_handlers(unsigned int irq)
{
	struct irq_line *l = &lines[irq];

	for (unsigned int i = 0; i < l->nr; i++)
		l->action[i].fn(irq, l->action[i].data);
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

static void pic_eoi(unsigned int irq)
{
	if (irq >= 8)
		outb(PIC2_CMD, PIC_EOI);
	outb(PIC1_CMD, PIC_EOI);
}

void do_irq(unsigned int irq)
{
	if (is_spurious(irq)) {
		if (irq >= 8)
			outb(PIC1_CMD, PIC_EOI);	/* the master did see IRQ 2 */
		spurious++;
		return;
	}
	if (irq_is_level(irq)) {
		irq_run_handlers(irq);		/* each silences its device ... */
		pic_eoi(irq);			/* ... before the line is re-armed */
	} else {
		pic_eoi(irq);		/* the handler may re-arm the device (PIT) */
		irq_run_handlers(irq);
	}
}
