/* SPDX-License-Identifier: MIT */
/*
 * PCI: configuration mechanism #1 (ports 0xcf8/0xcfc), the functions on
 * bus 0 and behind any PCI-PCI bridges, and the drivers that claim them.
 *
 * pci_init() runs once at boot, with the heap and the PICs ready.  It reads
 * what the firmware set up (BARs, the interrupt line in register 0x3c) and
 * changes nothing but the command register of the functions a driver
 * claims: I/O, memory and bus mastering are on for exactly those.  The table
 * is fixed after pci_init(); a function belongs to at most one driver.
 */
#include <console.h>
#include <errno.h>
#include <irq.h>
#include <lib.h>
#include <pci.h>
#include <virtio.h>
#include <x86.h>

#define PCI_CONFIG_ADDRESS	0xcf8
#define PCI_CONFIG_DATA		0xcfc
#define PCI_CONFIG_ENABLE	0x80000000u
#define PCI_REG_MASK		0xfc		/* dword-aligned register */
#define PCI_MAX_BUSES		256
#define PCI_MAX_SLOTS		32
#define PCI_MAX_FUNCTIONS	8
#define PCI_VENDOR_NONE		0xffff
#define PCI_BRIDGE_BARS		2		/* a type 1 header has two */
#define PCI_IO_SIZE_BITS	0xffff0000u	/* I/O BARs may hardwire these to 0 */
#define PCI_SIZE_PROBE		0xffffffffu
#define PCI_CLASS_ANY_SUB	0xff

static const struct pci_driver pci_drivers[] = {
	{ "virtio-blk", VIRTIO_PCI_VENDOR, VIRTIO_PCI_DEVICE_BLK, virtio_blk_probe },
	{ "virtio-net", VIRTIO_PCI_VENDOR, VIRTIO_PCI_DEVICE_NET, virtio_net_probe },
	{ .name = NULL }		/* end */
};

static struct pci_dev devices[PCI_MAX_DEVICES];
static unsigned int nr_devices;
static uint32_t buses_seen[PCI_MAX_BUSES / 32];

static uint32_t config_address(const struct pci_dev *p, unsigned int reg)
{
	return PCI_CONFIG_ENABLE | (uint32_t)p->bus << 16 | (uint32_t)p->dev << 11 |
	       (uint32_t)p->fn << 8 | (reg & PCI_REG_MASK);
}

uint32_t pci_read32(const struct pci_dev *p, unsigned int reg)
{
	outl(PCI_CONFIG_ADDRESS, config_address(p, reg));
	return inl(PCI_CONFIG_DATA);
}

uint16_t pci_read16(const struct pci_dev *p, unsigned int reg)
{
	outl(PCI_CONFIG_ADDRESS, config_address(p, reg));
	return inw(PCI_CONFIG_DATA + (reg & 2));
}

uint8_t pci_read8(const struct pci_dev *p, unsigned int reg)
{
	outl(PCI_CONFIG_ADDRESS, config_address(p, reg));
	return inb(PCI_CONFIG_DATA + (reg & 3));
}

void pci_write32(const struct pci_dev *p, unsigned int reg, uint32_t v)
{
	outl(PCI_CONFIG_ADDRESS, config_address(p, reg));
	outl(PCI_CONFIG_DATA, v);
}

void pci_write16(const struct pci_dev *p, unsigned int reg, uint16_t v)
{
	outl(PCI_CONFIG_ADDRESS, config_address(p, reg));
	outw(PCI_CONFIG_DATA + (reg & 2), v);
}

/*
 * A BAR from its value and what it read back after all ones were written:
 * the writable bits give the size.  A BAR that reads back 0 does not exist.
 */
void pci_decode_bar(uint32_t value, uint32_t probe, struct pci_bar *bar)
{
	uint32_t mask = value & PCI_BAR_IO ? PCI_BAR_IO_MASK : PCI_BAR_MEM_MASK;

	memset(bar, 0, sizeof(*bar));
	if (!(probe & mask))
		return;
	bar->io = value & PCI_BAR_IO;
	if (bar->io && !(probe & PCI_IO_SIZE_BITS))
		probe |= PCI_IO_SIZE_BITS;
	bar->base = value & mask;
	bar->size = ~(probe & mask) + 1;
}

/* Size BAR i with decoding off (the all-ones probe must not alias). */
static uint32_t bar_probe(const struct pci_dev *p, unsigned int i, uint32_t value)
{
	unsigned int reg = PCI_BAR0 + 4 * i;
	uint32_t probe;

	pci_write32(p, reg, PCI_SIZE_PROBE);
	probe = pci_read32(p, reg);
	pci_write32(p, reg, value);
	return probe;
}

static void read_bars(struct pci_dev *p)
{
	unsigned int n = p->header_type == PCI_HEADER_BRIDGE ? PCI_BRIDGE_BARS : PCI_NR_BARS;
	uint16_t cmd = pci_read16(p, PCI_COMMAND);

	if (p->header_type > PCI_HEADER_BRIDGE)
		return;			/* CardBus: nothing for us */
	pci_write16(p, PCI_COMMAND, cmd & ~(PCI_COMMAND_IO | PCI_COMMAND_MEMORY));
	for (unsigned int i = 0; i < n; i++) {
		uint32_t value = pci_read32(p, PCI_BAR0 + 4 * i);

		pci_decode_bar(value, bar_probe(p, i, value), &p->bar[i]);
		if (!p->bar[i].io && p->bar[i].size &&
		    (value & PCI_BAR_MEM_TYPE_MASK) == PCI_BAR_MEM_TYPE_64 && i + 1 < n) {
			i++;		/* the high half */
			p->bar[i - 1].above_4g = pci_read32(p, PCI_BAR0 + 4 * i) != 0;
		}
	}
	pci_write16(p, PCI_COMMAND, cmd);
}

static void read_function(struct pci_dev *p)
{
	uint32_t class = pci_read32(p, PCI_CLASS_REVISION);

	p->vendor = pci_read16(p, PCI_VENDOR_ID);
	p->device = pci_read16(p, PCI_DEVICE_ID);
	p->class = class >> 24;
	p->subclass = class >> 16;
	p->prog_if = class >> 8;
	p->revision = class;
	p->header_type = pci_read8(p, PCI_HEADER_TYPE) & PCI_HEADER_TYPE_MASK;
	p->irq_pin = pci_read8(p, PCI_INTERRUPT_PIN);
	p->irq_line = p->irq_pin ? pci_read8(p, PCI_INTERRUPT_LINE) : PCI_IRQ_NONE;
	if (p->header_type == PCI_HEADER_NORMAL) {
		p->subsys_vendor = pci_read16(p, PCI_SUBSYSTEM_VENDOR_ID);
		p->subsys_id = pci_read16(p, PCI_SUBSYSTEM_ID);
	}
	read_bars(p);
}

static void scan_bus(unsigned int bus);

/* Record one function (if there is room); follow it if it is a bridge. */
static void add_function(unsigned int bus, unsigned int dev, unsigned int fn)
{
	struct pci_dev probe = { .bus = bus, .dev = dev, .fn = fn }, *p;

	if (nr_devices == PCI_MAX_DEVICES) {
		printk("pci %02x:%02x.%x: table full (%u functions); ignored\n", bus, dev, fn,
		       PCI_MAX_DEVICES);
		return;
	}
	p = &devices[nr_devices++];
	*p = probe;
	read_function(p);
	if (p->header_type == PCI_HEADER_BRIDGE)
		scan_bus(pci_read8(p, PCI_SECONDARY_BUS));
}

static void scan_slot(unsigned int bus, unsigned int dev)
{
	struct pci_dev f0 = { .bus = bus, .dev = dev, .fn = 0 };
	unsigned int nfn;

	if (pci_read16(&f0, PCI_VENDOR_ID) == PCI_VENDOR_NONE)
		return;
	nfn = pci_read8(&f0, PCI_HEADER_TYPE) & PCI_HEADER_MULTI_FN ? PCI_MAX_FUNCTIONS : 1;
	for (unsigned int fn = 0; fn < nfn; fn++) {
		struct pci_dev f = { .bus = bus, .dev = dev, .fn = fn };

		if (pci_read16(&f, PCI_VENDOR_ID) != PCI_VENDOR_NONE)
			add_function(bus, dev, fn);
	}
}

/* Each bus once, whatever a (mis)configured bridge says. */
static void scan_bus(unsigned int bus)
{
	uint32_t bit = 1u << (bus % 32);

	if (bus >= PCI_MAX_BUSES || (buses_seen[bus / 32] & bit))
		return;
	buses_seen[bus / 32] |= bit;
	for (unsigned int dev = 0; dev < PCI_MAX_SLOTS; dev++)
		scan_slot(bus, dev);
}

const char *pci_class_name(uint8_t class, uint8_t subclass)
{
	static const struct {
		uint8_t class, subclass;
		const char *name;
	} names[] = {
		{ 0x01, 0x01, "ide" },
		{ 0x01, 0x06, "sata" },
		{ 0x01, PCI_CLASS_ANY_SUB, "storage" },
		{ 0x02, 0x00, "ethernet" },
		{ 0x02, PCI_CLASS_ANY_SUB, "network" },
		{ 0x03, 0x00, "vga" },
		{ 0x03, PCI_CLASS_ANY_SUB, "display" },
		{ 0x04, PCI_CLASS_ANY_SUB, "multimedia" },
		{ 0x06, 0x00, "host bridge" },
		{ 0x06, 0x01, "isa bridge" },
		{ 0x06, 0x04, "pci bridge" },
		{ 0x06, PCI_CLASS_ANY_SUB, "bridge" },
		{ 0x0c, 0x03, "usb" },
		{ 0x0c, PCI_CLASS_ANY_SUB, "serial bus" },
	};

	for (unsigned int i = 0; i < ARRAY_SIZE(names); i++)
		if (names[i].class == class &&
		    (names[i].subclass == subclass || names[i].subclass == PCI_CLASS_ANY_SUB))
			return names[i].name;
	return "device";
}

uint16_t pci_io_base(const struct pci_dev *p)
{
	for (unsigned int i = 0; i < PCI_NR_BARS; i++)
		if (p->bar[i].io && p->bar[i].base)
			return (uint16_t)p->bar[i].base;
	return 0;
}

bool pci_has_irq(const struct pci_dev *p)
{
	return p->irq_pin && p->irq_line < NR_IRQS;
}

/* "pci 00:04.0 1af4:1001 virtio-blk irq 10 io c040" */
static void show(const struct pci_dev *p, const char *name)
{
	char line[160];
	int n = snprintf(line, sizeof(line), "pci %02x:%02x.%x %04x:%04x %s", p->bus, p->dev,
			 p->fn, p->vendor, p->device, name);

	if (pci_has_irq(p))
		n += snprintf(line + n, sizeof(line) - n, " irq %u", p->irq_line);
	for (unsigned int i = 0; i < PCI_NR_BARS; i++) {
		const struct pci_bar *b = &p->bar[i];

		if (b->size && (size_t)n < sizeof(line))
			n += snprintf(line + n, sizeof(line) - n, " %s %x%s", b->io ? "io" : "mem",
				      b->base, b->above_4g ? "(>4G)" : "");
	}
	printk("%s\n", line);
}

static const struct pci_driver *find_driver(const struct pci_dev *p)
{
	for (const struct pci_driver *d = pci_drivers; d->name; d++)
		if (d->vendor == p->vendor && d->device == p->device)
			return d;
	return NULL;
}

/* Give the function to its driver with decoding and DMA on, or leave it. */
static void claim(struct pci_dev *p, const struct pci_driver *drv)
{
	uint16_t cmd = pci_read16(p, PCI_COMMAND);
	int rc;

	pci_write16(p, PCI_COMMAND, cmd | PCI_COMMAND_IO | PCI_COMMAND_MEMORY |
		    PCI_COMMAND_MASTER);
	p->driver = drv;
	rc = drv->probe(p);
	if (rc) {
		printk("pci %02x:%02x.%x: %s: probe failed (error %d); left alone\n", p->bus,
		       p->dev, p->fn, drv->name, rc);
		p->driver = NULL;
		p->drvdata = NULL;
		pci_write16(p, PCI_COMMAND, cmd);
	}
}

void pci_init(void)
{
	scan_bus(0);
	for (unsigned int i = 0; i < nr_devices; i++) {
		const struct pci_driver *drv = find_driver(&devices[i]);

		show(&devices[i], drv ? drv->name : pci_class_name(devices[i].class,
								    devices[i].subclass));
	}
	for (unsigned int i = 0; i < nr_devices; i++) {
		const struct pci_driver *drv = find_driver(&devices[i]);

		if (drv)
			claim(&devices[i], drv);
	}
}

unsigned int pci_count(void)
{
	return nr_devices;
}

struct pci_dev *pci_get(unsigned int i)
{
	return i < nr_devices ? &devices[i] : NULL;
}
