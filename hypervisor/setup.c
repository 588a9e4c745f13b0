/* SPDX-License-Identifier: MIT */
/*
 * start_xeno(): the boot sequence, from boot.S's jump to the first domain.
 * Also the machine's end: panic() and machine_exit().
 */
#include <boot.h>
#include <desc.h>
#include <domain_build.h>
#include <elf.h>
#include <errno.h>
#include <irq.h>
#include <lib.h>
#include <mm.h>
#include <sched.h>
#include <time.h>
#include <traps.h>
#include <x86.h>

#define QEMU_DEBUG_EXIT_PORT	0xf4	/* -device isa-debug-exit,iobase=0xf4 */
#define BOCHS_SHUTDOWN_PORT	0x8900
#define KBD_CMD_PORT		0x64
#define KBD_CMD_RESET		0xfe
#define CPUID_FXSR		(1u << 24)
#define DOM0_DEFAULT_MAX	(512u << 20)
#define HEAP_RESERVE		(16u << 20)	/* left free when Domain0 takes "all" */

extern char __image_start[], __image_end[];
void start_xeno(uint32_t magic, uint32_t mbi_maddr);

void __noreturn machine_exit(enum machine_exit_code code)
{
	static const char bochs_off[] = "Shutdown";
	static const char *const names[] = { "pass", "fail", "error", "skip" };

	cli();
	/* The last line: runners without an exit device (Bochs) look for it. */
	printk("machine exit: %s\n", names[code - EXIT_PASS]);
	console_flush();
	outb(QEMU_DEBUG_EXIT_PORT, (uint8_t)code);
	for (const char *p = bochs_off; *p; p++)
		outb(BOCHS_SHUTDOWN_PORT, (uint8_t)*p);
	for (;;)
		halt();
}

void __noreturn machine_reboot(void)
{
	struct desc_ptr none = { 0, 0 };

	printk("rebooting\n");
	cli();
	outb(KBD_CMD_PORT, KBD_CMD_RESET);
	lidt(&none);	/* if the keyboard controller did not: triple fault */
	int3();
	for (;;)
		halt();
}

void __noreturn panic(const char *fmt, ...)
{
	static bool panicking;
	va_list ap;

	cli();
	if (panicking)
		machine_exit(EXIT_FAIL);	/* a panic while panicking: just stop */
	panicking = true;
	printk("*** PANIC: ");
	va_start(ap, fmt);
	vprintk(fmt, ap);
	va_end(ap);
	printk("\n*** the hypervisor has stopped\n");
	machine_exit(EXIT_FAIL);
}

/* Multiboot structures are read through the direct map, or not at all. */
static const void *boot_map(uint32_t maddr, uint32_t len)
{
	if (maddr >= DIRECTMAP_SIZE || len > DIRECTMAP_SIZE - maddr)
		return NULL;
	return __va(maddr);
}

static int read_machine(const struct elf_source *src, uint32_t off, void *buf, uint32_t len)
{
	if (off > src->size || len > src->size - off)
		return -EFAULT;
	return copy_from_machine(buf, src->base + off, len);
}

/* Deliberate faults, to prove the exception reports work (crash=...). */
static void crash_on_request(void)
{
	const char *what = boot_option(&boot_info, "crash");

	if (!what)
		return;
	printk("crash=%s requested: faulting on purpose\n", what);
	if (boot_value_is(what, "pf"))
		*(volatile uint32_t *)(LINEAR_PT_VIRT_START + 2 * SLOT_SIZE) = 0xdead;
	else if (boot_value_is(what, "int3"))
		int3();
	else if (boot_value_is(what, "ud"))
		ud2();
	else if (boot_value_is(what, "df"))	/* an exception with no usable stack */
		int3_on_stack(LINEAR_PT_VIRT_START + 2 * SLOT_SIZE);
	else if (boot_value_is(what, "panic"))
		panic("crash=panic requested on the command line");
	printk("crash=%s: unknown value (use pf, int3, ud, df or panic); ignored\n", what);
}

static void show_banner(void)
{
	uint64_t ram = 0;

	for (unsigned int i = 0; i < boot_info.nr_ranges; i++)
		ram += boot_info.ram[i].end - boot_info.ram[i].start;
	printk("Xeno %s (interface %u.%u): a paravirtualizing hypervisor\n",
	       XENO_VERSION_STRING, XENO_INTERFACE_VERSION >> 16,
	       XENO_INTERFACE_VERSION & 0xffff);
	printk("Loader: %s; command line: '%s'\n",
	       boot_info.loader[0] ? boot_info.loader : "(unnamed)", boot_info.cmdline);
	printk("RAM: %llu MiB usable in %u ranges; tracking %u frames\n", ram >> 20,
	       boot_info.nr_ranges, max_mfn);
	for (unsigned int i = 0; i < boot_info.nr_ranges; i++)
		printk("  %08llx-%08llx\n", boot_info.ram[i].start, boot_info.ram[i].end);
	printk("Hypervisor: image %08lx-%08lx, heap in the first %u MiB, %lu frames free\n",
	       (unsigned long)__pa(__image_start), (unsigned long)__pa(__image_end),
	       DIRECTMAP_SIZE >> 20, free_frames());
	printk("Modules: %u\n", boot_info.nr_modules);
	for (unsigned int i = 0; i < boot_info.nr_modules; i++)
		printk("  %u: %08x-%08x %6u KiB '%s'\n", i, boot_info.module[i].start,
		       boot_info.module[i].end,
		       (boot_info.module[i].end - boot_info.module[i].start) >> 10,
		       boot_info.module[i].cmdline);
}

/* dom0_mem=, or everything but a reserve for the heap and other domains. */
static uint32_t dom0_pages(void)
{
	uint64_t bytes, avail = (uint64_t)free_frames() << PAGE_SHIFT;
	const char *why;

	if (!boot_option_size(&boot_info, "dom0_mem", &bytes, &why)) {
		if (why)
			printk("dom0_mem: %s; using the default\n", why);
		bytes = avail > 2 * HEAP_RESERVE ? avail - HEAP_RESERVE : avail / 2;
		bytes = MIN(bytes, DOM0_DEFAULT_MAX);
	}
	if (bytes > avail) {
		printk("dom0_mem: only %llu MiB free; using that\n", avail >> 20);
		bytes = avail;
	}
	return (uint32_t)(bytes >> PAGE_SHIFT);
}

/* Build Domain0 from module 0 (kernel, its command line) and module 1 (initrd). */
static void build_dom0(void)
{
	const struct boot_module *k = &boot_info.module[0], *i = &boot_info.module[1];
	struct elf_source kernel = { k->end - k->start, read_machine, NULL, k->start };
	struct elf_source initrd = { i->end - i->start, read_machine, NULL, i->start };
	struct build_args a = { &kernel, boot_info.nr_modules > 1 ? &initrd : NULL, NULL, 0, 0 };
	const char *why = "", *args = strchr(k->cmdline, ' ');
	struct domain *d;
	int rc;

	if (boot_info.nr_modules == 0)
		panic("no Domain0 kernel: give it as the first multiboot module "
		      "(QEMU: -initrd \"vmlinux args,initrd\")");
	a.cmdline = args ? args + 1 : "";
	a.nr_pages = a.max_pages = dom0_pages();
	d = domain_create(0, true);
	if (!d)
		panic("out of memory creating Domain0");
	rc = domain_build(d, &a, &why);
	if (rc)
		panic("cannot build Domain0 from module 0 ('%s'): %s", k->cmdline, why);
	for (unsigned int m = 0; m < boot_info.nr_modules; m++)
		release_module_frames(boot_info.module[m].start, boot_info.module[m].end);
	time_init_domain_wallclock(&d->vcpu);
	d->vcpu.state = VCPU_RUNNABLE;
	sched_add(&d->vcpu);
}

static void cpu_init(void)
{
	uint32_t a, b, c, dx;

	cpuid(1, &a, &b, &c, &dx);
	/* Caches on (some BIOSes leave CD/NW set), FPU native, WP for ring 1. */
	write_cr0((read_cr0() & ~(CR0_EM | CR0_CD | CR0_NW)) | CR0_MP | CR0_NE | CR0_WP);
	if (dx & CPUID_FXSR)
		write_cr4(read_cr4() | CR4_OSFXSR | CR4_OSXMMEXCPT);
	else
		panic("this CPU lacks FXSAVE/FXRSTOR, needed for guest FPU state");
}

static void timer_irq(unsigned int irq, void *data)
{
	(void)irq, (void)data;
	time_interrupt();
}

void start_xeno(uint32_t magic, uint32_t mbi_maddr)
{
	const char *why = NULL;

	console_init();
	if (boot_parse_multiboot(magic, boot_map(mbi_maddr, sizeof(struct mb_info)), boot_map,
				 &boot_info, &why))
		panic("boot: %s", why);
	mm_init(&boot_info, __pa(__image_start), __pa(__image_end));
	traps_init();
	mm_drop_boot_mappings();
	cpu_init();
	show_banner();
	crash_on_request();
	irq_init();
	time_init();
	irq_register(IRQ_TIMER, timer_irq, NULL);
	console_init_input();
	build_dom0();
	start_scheduling();
}
