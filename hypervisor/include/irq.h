/* SPDX-License-Identifier: MIT */
/* Hardware interrupts: the legacy PIC pair and their dispatch (irq.c). */
#ifndef XENO_IRQ_H
#define XENO_IRQ_H

#include <types.h>

#define IRQ_TIMER	0
#define IRQ_COM1	4
#define NR_IRQS		16
#define IRQ_MAX_SHARED	4	/* handlers on one PCI line */
/* Lines the ELCR can make level-triggered: all but IRQ 0, 1, 2, 8 and 13. */
#define IRQ_LEVEL_CAPABLE	0xdef8u

typedef void (*irq_handler_t)(unsigned int irq, void *data);

void irq_init(void);
/* An ISA device's edge-triggered line, its only handler (panics if taken). */
void irq_register(unsigned int irq, irq_handler_t fn, void *data);
/*
 * One more handler on a PCI device's shared, level-triggered line: 0,
 * -EINVAL (no such line, or one that cannot be level), -EBUSY (an ISA
 * device's) or -ENOSPC (IRQ_MAX_SHARED handlers already).  The handler
 * must make its device drop the line if it raised it.
 */
int irq_register_pci(unsigned int irq, irq_handler_t fn, void *data);
bool irq_is_level(unsigned int irq);
void do_irq(unsigned int irq);

#endif
