/* SPDX-License-Identifier: MIT */
/*
 * Host unit tests of the IRQ table (irq.c): which lines may be shared and
 * level-triggered, how ISA and PCI registrations exclude each other, every
 * shared handler running in order, and the ELCR value written.  The file is
 * included whole so that its static table functions can be called; nothing
 * here touches an I/O port.
 */
#include "harness.h"

#include "../irq.c"

#define RECORD_MAX	16

static unsigned int calls[RECORD_MAX], nr_calls;

static void record(unsigned int irq, void *data)
{
	if (nr_calls < RECORD_MAX)
		calls[nr_calls++] = irq * 100 + (unsigned int)(uintptr_t)data;
}

static void other(unsigned int irq, void *data)
{
	(void)irq, (void)data;
}

static void reset(void)
{
	memset(lines, 0, sizeof(lines));
	nr_calls = 0;
}

/* Lines that can never be level, and nonsense arguments. */
static void test_refused(void)
{
	static const unsigned int edge_only[] = { 0, 1, 2, 8, 13 };

	reset();
	for (unsigned int i = 0; i < ARRAY_SIZE(edge_only); i++)
		CHECK_EQ(irq_table_add(edge_only[i], IRQ_PCI, record, NULL), -EINVAL,
			 "PCI handler on an edge-only line");
	CHECK_EQ(irq_table_add(NR_IRQS, IRQ_PCI, record, NULL), -EINVAL, "line 16");
	CHECK_EQ(irq_table_add(NR_IRQS, IRQ_ISA, record, NULL), -EINVAL, "ISA line 16");
	CHECK_EQ(irq_table_add(11, IRQ_PCI, NULL, NULL), -EINVAL, "no handler");
	for (unsigned int i = 0; i < NR_IRQS; i++)
		CHECK_EQ(lines[i].nr, 0, "nothing entered by a refused call");
}

/* ISA lines are exclusive; a line never changes its kind. */
static void test_kinds(void)
{
	reset();
	CHECK_EQ(irq_table_add(IRQ_TIMER, IRQ_ISA, record, NULL), 0, "timer");
	CHECK_EQ(irq_table_add(IRQ_TIMER, IRQ_ISA, other, NULL), -EBUSY, "second ISA handler");
	CHECK_EQ(irq_table_add(IRQ_COM1, IRQ_ISA, record, NULL), 0, "COM1");
	CHECK_EQ(irq_table_add(IRQ_COM1, IRQ_PCI, record, NULL), -EBUSY, "PCI on COM1's line");
	CHECK_EQ(irq_table_add(10, IRQ_PCI, record, NULL), 0, "PCI on 10");
	CHECK_EQ(irq_table_add(10, IRQ_ISA, record, NULL), -EBUSY, "ISA on a PCI line");
	CHECK(irq_is_level(10), "PCI line 10 is level");
	CHECK(!irq_is_level(IRQ_TIMER) && !irq_is_level(IRQ_COM1), "ISA lines are edge");
	CHECK(!irq_is_level(11) && !irq_is_level(NR_IRQS), "free and absent lines are edge");
	CHECK_EQ(lines_of_kind(IRQ_PCI), 1u << 10, "PCI mask");
	CHECK_EQ(lines_of_kind(IRQ_ISA), 1u << IRQ_TIMER | 1u << IRQ_COM1, "ISA mask");
}

/* Up to IRQ_MAX_SHARED handlers on one line, all run, in order. */
static void test_shared(void)
{
	reset();
	for (unsigned int i = 0; i < IRQ_MAX_SHARED; i++)
		CHECK_EQ(irq_table_add(11, IRQ_PCI, record, (void *)(uintptr_t)(i + 1)), 0,
			 "shared handler");
	CHECK_EQ(irq_table_add(11, IRQ_PCI, record, NULL), -ENOSPC, "one too many");
	CHECK_EQ(irq_table_add(10, IRQ_PCI, record, (void *)(uintptr_t)9), 0, "line 10");
	irq_run_handlers(11);
	CHECK_EQ(nr_calls, IRQ_MAX_SHARED, "every handler of line 11, and only those");
	for (unsigned int i = 0; i < nr_calls; i++)
		CHECK_EQ(calls[i], 1100 + i + 1, "handler order and data");
	nr_calls = 0;
	irq_run_handlers(5);
	CHECK_EQ(nr_calls, 0, "a free line runs nothing");
}

/* ELCR: our PCI lines level, our ISA lines edge, reserved bits zero. */
static void test_elcr(void)
{
	static const struct {
		uint16_t now, level, edge, want;
		const char *what;
	} t[] = {
		{ 0x0c00, 0x0800, 0x0011, 0x0c00, "SeaBIOS set 10 and 11 already" },
		{ 0x0000, 0x0c00, 0x0011, 0x0c00, "nothing set yet" },
		{ 0x0010, 0x0800, 0x0011, 0x0800, "a level COM1 line goes back to edge" },
		{ 0x0220, 0x0800, 0x0011, 0x0a20, "the firmware's other lines stay" },
		{ 0xffff, 0x0800, 0x0011, 0xdee8, "all ones read: reserved bits cleared" },
		{ 0x0000, 0x2107, 0x0000, 0x0000, "edge-only lines are never level" },
	};

	for (unsigned int i = 0; i < ARRAY_SIZE(t); i++)
		CHECK_EQ(irq_elcr_value(t[i].now, t[i].level, t[i].edge), t[i].want, t[i].what);
}

int main(void)
{
	test_refused();
	test_kinds();
	test_shared();
	test_elcr();
	return test_report("irq");
}
