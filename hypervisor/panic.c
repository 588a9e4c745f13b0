/* SPDX-License-Identifier: MIT */
/*
 * The machine's end: machine_exit() (QEMU's isa-debug-exit, Bochs's
 * shutdown port), machine_reboot() and panic(), which is only for the
 * hypervisor's own broken invariants.
 */
#include <console.h>
#include <desc.h>
#include <panic.h>
#include <x86.h>

#define QEMU_DEBUG_EXIT_PORT	0xf4	/* -device isa-debug-exit,iobase=0xf4 */
#define BOCHS_SHUTDOWN_PORT	0x8900
#define KBD_CMD_PORT		0x64
#define KBD_CMD_RESET		0xfe

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
	console_flush();
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
