// SPDX-License-Identifier: GPL-2.0
/*
 * The Xeno console as a tty (hvc0).  Output goes through the console_io
 * hypercall; Domain0 reads input with console_io too, woken by the
 * VIRQ_CONSOLE event whenever a key arrives on the hypervisor's serial port.
 */
#include <linux/console.h>
#include <linux/init.h>
#include <linux/interrupt.h>
#include <linux/kernel.h>
#include <asm/xeno/hypercall.h>
#include <asm/xeno/xeno.h>
#include <xeno/public/event_channel.h>

#include "hvc_console.h"

#define XENO_HVC_COOKIE	0x78656e6f	/* "xeno" */
#define XENO_OUTBUF	256

static int xeno_hvc_put_chars(u32 vtermno, const char *buf, int count)
{
	int rc = HYPERVISOR_console_io(XENO_CONSOLEIO_WRITE, count, buf);

	return rc < 0 ? 0 : rc;
}

static int xeno_hvc_get_chars(u32 vtermno, char *buf, int count)
{
	int rc;

	if (!xeno_is_initial_domain())
		return 0;	/* only Domain0 owns the keyboard */
	rc = HYPERVISOR_console_io(XENO_CONSOLEIO_READ, count, buf);
	return rc < 0 ? 0 : rc;
}

static const struct hv_ops xeno_hvc_ops = {
	.get_chars	= xeno_hvc_get_chars,
	.put_chars	= xeno_hvc_put_chars,
	.notifier_add	= notifier_add_irq,
	.notifier_del	= notifier_del_irq,
	.notifier_hangup = notifier_hangup_irq,
};

static int __init xeno_hvc_init(void)
{
	struct hvc_struct *hp;
	int irq = 0;

	if (!cpu_feature_enabled(X86_FEATURE_XENO))
		return -ENODEV;
	if (xeno_is_initial_domain()) {
		irq = xeno_bind_virq_to_irq(XENO_VIRQ_CONSOLE);
		if (irq < 0)
			return irq;
	}
	hp = hvc_alloc(XENO_HVC_COOKIE, irq, &xeno_hvc_ops, XENO_OUTBUF);
	return PTR_ERR_OR_ZERO(hp);
}
device_initcall(xeno_hvc_init);

/* The console from console_init() on, before the tty layer is up. */
static int __init xeno_hvc_console_init(void)
{
	if (!cpu_feature_enabled(X86_FEATURE_XENO))
		return -ENODEV;
	hvc_instantiate(XENO_HVC_COOKIE, 0, &xeno_hvc_ops);
	return 0;
}
console_initcall(xeno_hvc_console_init);
