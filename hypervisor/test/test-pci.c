/* SPDX-License-Identifier: MIT */
/*
 * Host unit tests of PCI's pure decoding (pci.c): BAR base, size and kind
 * from the value and the all-ones read-back (the values are QEMU pc's), and
 * the class names of the boot lines.
 */
#include <pci.h>
#include <string.h>

#include "harness.h"

/* pci.c's driver table names the drivers' probes; none runs here. */
int virtio_blk_probe(struct pci_dev *pdev)
{
	(void)pdev;
	return 0;
}

int virtio_net_probe(struct pci_dev *pdev)
{
	(void)pdev;
	return 0;
}

static void test_bars(void)
{
	static const struct {
		uint32_t value, probe, base, size;
		bool io;
		const char *what;
	} t[] = {
		{ 0xc001, 0xffffff81, 0xc000, 0x80, true, "virtio-blk BAR0: 128 ports" },
		{ 0xc0c1, 0x0000ffe1, 0xc0c0, 0x20, true, "I/O BAR with hardwired high bits" },
		{ 0xfebf1000, 0xfffff000, 0xfebf1000, 0x1000, false, "MSI-X BAR: 4 KiB" },
		{ 0xfd000008, 0xff000008, 0xfd000000, 0x1000000, false, "VGA: 16 MiB prefetch" },
		{ 0xfebc0004, 0xfffe0004, 0xfebc0000, 0x20000, false, "64-bit BAR, low half" },
		{ 0, 0, 0, 0, false, "absent BAR" },
		{ 0x1, 0x1, 0, 0, false, "I/O bit alone: absent" },
	};

	for (unsigned int i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct pci_bar b;

		memset(&b, 0xa5, sizeof(b));
		pci_decode_bar(t[i].value, t[i].probe, &b);
		CHECK_EQ(b.base, t[i].base, t[i].what);
		CHECK_EQ(b.size, t[i].size, t[i].what);
		CHECK_EQ(b.io, t[i].io, t[i].what);
		CHECK_EQ(b.above_4g, false, t[i].what);
	}
}

static void test_class_names(void)
{
	CHECK(!strcmp(pci_class_name(0x06, 0x00), "host bridge"), "0600");
	CHECK(!strcmp(pci_class_name(0x06, 0x80), "bridge"), "0680: any subclass");
	CHECK(!strcmp(pci_class_name(0x01, 0x00), "storage"), "0100: virtio-blk");
	CHECK(!strcmp(pci_class_name(0x02, 0x00), "ethernet"), "0200");
	CHECK(!strcmp(pci_class_name(0xff, 0x00), "device"), "unknown class");
}

int main(void)
{
	test_bars();
	test_class_names();
	return test_report("pci");
}
