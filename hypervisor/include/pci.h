/* SPDX-License-Identifier: MIT */
/*
 * PCI (pci.c): configuration mechanism #1, the functions found at boot and
 * the drivers that claim them.  Devices stay where the firmware put them:
 * Xeno assigns no BARs and no IRQ lines, it reads them.
 */
#ifndef XENO_PCI_H
#define XENO_PCI_H

#include <types.h>

#define PCI_MAX_DEVICES		32
#define PCI_NR_BARS		6
#define PCI_IRQ_NONE		0xff	/* interrupt line: not connected */

/* Configuration space registers (type 0 and 1 headers). */
#define PCI_VENDOR_ID		0x00	/* 16 bits; 0xffff = no function */
#define PCI_DEVICE_ID		0x02
#define PCI_COMMAND		0x04	/* 16 bits */
#define PCI_CLASS_REVISION	0x08	/* class << 24 | subclass << 16 | prog-if << 8 | rev */
#define PCI_HEADER_TYPE		0x0e	/* 8 bits */
#define PCI_BAR0		0x10
#define PCI_SECONDARY_BUS	0x19	/* type 1 (bridges) */
#define PCI_SUBSYSTEM_VENDOR_ID	0x2c	/* type 0 */
#define PCI_SUBSYSTEM_ID	0x2e
#define PCI_INTERRUPT_LINE	0x3c	/* 8 bits, as the firmware routed it */
#define PCI_INTERRUPT_PIN	0x3d	/* 0 none, 1-4 INTA-INTD */

#define PCI_COMMAND_IO		0x0001
#define PCI_COMMAND_MEMORY	0x0002
#define PCI_COMMAND_MASTER	0x0004	/* may DMA */
#define PCI_HEADER_TYPE_MASK	0x7f
#define PCI_HEADER_MULTI_FN	0x80
#define PCI_HEADER_NORMAL	0
#define PCI_HEADER_BRIDGE	1
#define PCI_BAR_IO		0x1	/* bit 0: I/O space */
#define PCI_BAR_IO_MASK		0xfffffffcu
#define PCI_BAR_MEM_MASK	0xfffffff0u
#define PCI_BAR_MEM_TYPE_MASK	0x6
#define PCI_BAR_MEM_TYPE_64	0x4	/* the next BAR holds the high half */
#define PCI_BAR_MEM_PREFETCH	0x8

struct pci_bar {
	uint32_t base;		/* port or machine address; 0 = unused BAR */
	uint32_t size;		/* bytes */
	bool io;		/* I/O ports (else memory) */
	bool above_4g;		/* a 64-bit BAR placed where we cannot reach it */
};

/* One function, filled in by pci_init(); fields are read-only after. */
struct pci_dev {
	uint8_t bus, dev, fn;
	uint16_t vendor, device;
	uint16_t subsys_vendor, subsys_id;
	uint8_t class, subclass, prog_if, revision;
	uint8_t header_type;		/* PCI_HEADER_NORMAL or _BRIDGE */
	uint8_t irq_line;		/* ISA IRQ, or PCI_IRQ_NONE */
	uint8_t irq_pin;		/* 0 when the function has no INTx */
	struct pci_bar bar[PCI_NR_BARS];
	const struct pci_driver *driver;	/* the one that claimed it, or NULL */
	void *drvdata;				/* the driver's */
};

/*
 * A driver: pci_init() enables I/O, memory and bus mastering on each
 * function matching vendor:device, then calls probe(), which returns 0 or
 * -errno (the function is then left disabled again).
 */
struct pci_driver {
	const char *name;		/* "virtio-blk": the boot line shows it */
	uint16_t vendor, device;
	int (*probe)(struct pci_dev *pdev);
};

void pci_init(void);
/* The drivers in pci.c's table (each in its own file). */
int virtio_blk_probe(struct pci_dev *pdev);
int virtio_net_probe(struct pci_dev *pdev);

unsigned int pci_count(void);
struct pci_dev *pci_get(unsigned int i);

uint8_t pci_read8(const struct pci_dev *p, unsigned int reg);
uint16_t pci_read16(const struct pci_dev *p, unsigned int reg);
uint32_t pci_read32(const struct pci_dev *p, unsigned int reg);
void pci_write16(const struct pci_dev *p, unsigned int reg, uint16_t v);
void pci_write32(const struct pci_dev *p, unsigned int reg, uint32_t v);

/* The first I/O BAR's port base, or 0 if it has none. */
uint16_t pci_io_base(const struct pci_dev *p);
/* Does the function have a usable legacy interrupt line? */
bool pci_has_irq(const struct pci_dev *p);

/* Pure decoding (host-tested): a BAR's value and its sizing read-back. */
void pci_decode_bar(uint32_t value, uint32_t probe, struct pci_bar *bar);
const char *pci_class_name(uint8_t class, uint8_t subclass);

#endif
