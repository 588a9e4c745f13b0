// SPDX-License-Identifier: GPL-2.0
/*
 * The boot console: kernel messages through the console_io hypercall from
 * the first line of C until hvc0 (drivers/tty/hvc/hvc_xeno.c) takes over.
 */
#include <linux/console.h>
#include <linux/init.h>
#include <linux/kernel.h>
#include <asm/xeno/hypercall.h>
#include <asm/xeno/xeno.h>

int xeno_console_early_write(const char *s, unsigned int len)
{
	return HYPERVISOR_console_io(XENO_CONSOLEIO_WRITE, len, s);
}

static void xeno_boot_console_write(struct console *con, const char *s, unsigned int len)
{
	xeno_console_early_write(s, len);
}

static struct console xeno_boot_console = {
	.name	= "xenoboot",
	.write	= xeno_boot_console_write,
	.flags	= CON_PRINTBUFFER | CON_BOOT | CON_ANYTIME,
	.index	= -1,
};

void __init xeno_early_console_init(void)
{
	register_console(&xeno_boot_console);
}
