/* SPDX-License-Identifier: MIT */
/* Hardware interrupts: the legacy PIC pair and their dispatch. */
#ifndef XENO_IRQ_H
#define XENO_IRQ_H

#include <types.h>

#define IRQ_TIMER	0
#define IRQ_COM1	4
#define NR_IRQS		16

typedef void (*irq_handler_t)(unsigned int irq, void *data);

void irq_init(void);
void irq_register(unsigned int irq, irq_handler_t fn, void *data);
void do_irq(unsigned int irq);

#endif
