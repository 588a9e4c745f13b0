/* SPDX-License-Identifier: MIT */
/*
 * The hypervisor console: COM1 driven by polling (no interrupts needed, works
 * in QEMU and in Bochs, which wants the line status polled before every byte)
 * and a log ring that keeps the last CONSOLE_LOG_SIZE bytes for Domain0.
 */
#include <console.h>
#include <domain.h>
#include <event.h>
#include <irq.h>
#include <lib.h>
#include <x86.h>

#define COM1		0x3f8
#define UART_THR	0	/* transmit holding register */
#define UART_RBR	0	/* receive buffer */
#define UART_IER	1
#define UART_DLL	0	/* divisor latch, with LCR.DLAB */
#define UART_DLM	1
#define UART_FCR	2
#define UART_LCR	3
#define UART_MCR	4
#define UART_LSR	5
#define LSR_DATA_READY	0x01
#define LSR_THR_EMPTY	0x20
#define LSR_TX_IDLE	0x40	/* shift register empty too */
#define LCR_8N1		0x03
#define LCR_DLAB	0x80
#define MCR_DTR_RTS	0x03
#define FCR_ENABLE	0x07	/* enable and clear both FIFOs */
#define BAUD_DIVISOR	1	/* 115200 baud */

#define IER_RX_DATA	0x01
#define MCR_OUT2	0x08	/* gates the UART's interrupt line */
#define CTRL_A		0x01
#define SWITCH_PRESSES	3	/* Ctrl-A three times: input to the hypervisor */

#define CONSOLE_LOG_SIZE 16384	/* power of two */
#define INPUT_RING_SIZE	256	/* power of two */

static char log_ring[CONSOLE_LOG_SIZE];
static size_t log_head;		/* total bytes ever written; free-running */
static char input_ring[INPUT_RING_SIZE];
static uint32_t input_prod, input_cons;	/* free-running */
static bool input_to_hypervisor;
static unsigned int ctrl_a_run;

void console_init(void)
{
	outb(COM1 + UART_IER, 0);
	outb(COM1 + UART_LCR, LCR_DLAB);
	outb(COM1 + UART_DLL, BAUD_DIVISOR & 0xff);
	outb(COM1 + UART_DLM, BAUD_DIVISOR >> 8);
	outb(COM1 + UART_LCR, LCR_8N1);
	outb(COM1 + UART_FCR, FCR_ENABLE);
	outb(COM1 + UART_MCR, MCR_DTR_RTS);
}

static void serial_putc(char c)
{
	/* Bounded wait: a missing UART must not hang the hypervisor. */
	for (int i = 0; i < 100000 && !(inb(COM1 + UART_LSR) & LSR_THR_EMPTY); i++)
		cpu_relax();
	outb(COM1 + UART_THR, (uint8_t)c);
}

/* Wait (bounded) until the UART has sent every byte, e.g. before power-off. */
void console_flush(void)
{
	for (int i = 0; i < 100000 && !(inb(COM1 + UART_LSR) & LSR_TX_IDLE); i++)
		cpu_relax();
}

/* Returns the next byte typed on COM1, or -1 if none is waiting. */
static int console_getc(void)
{
	if (!(inb(COM1 + UART_LSR) & LSR_DATA_READY))
		return -1;
	return inb(COM1 + UART_RBR);
}

/*
 * COM1 input: for Domain0 (VIRQ_CONSOLE), or, after Ctrl-A three times,
 * for the hypervisor's debug keys (Ctrl-A three times again to go back).
 */
static void console_rx_interrupt(unsigned int irq, void *data)
{
	int c;

	(void)irq, (void)data;
	while ((c = console_getc()) >= 0) {
		ctrl_a_run = c == CTRL_A ? ctrl_a_run + 1 : 0;
		if (ctrl_a_run == SWITCH_PRESSES) {
			ctrl_a_run = 0;
			input_to_hypervisor = !input_to_hypervisor;
			printk("console input now goes to %s\n",
			       input_to_hypervisor ? "the hypervisor (h for help)" : "Domain0");
			continue;
		}
		if (input_to_hypervisor) {
			debug_key((unsigned int)c);
		} else if (input_prod - input_cons < INPUT_RING_SIZE) {
			input_ring[input_prod++ & (INPUT_RING_SIZE - 1)] = (char)c;
			send_guest_virq(domain_find(0), XENO_VIRQ_CONSOLE);
		}
	}
}

void console_init_input(void)
{
	irq_register(IRQ_COM1, console_rx_interrupt, NULL);
	outb(COM1 + UART_MCR, MCR_DTR_RTS | MCR_OUT2);
	outb(COM1 + UART_IER, IER_RX_DATA);
}

size_t console_input_read(char *buf, size_t size)
{
	size_t n = 0;

	while (n < size && input_cons != input_prod)
		buf[n++] = input_ring[input_cons++ & (INPUT_RING_SIZE - 1)];
	return n;
}

void console_write(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '\n')
			serial_putc('\r');
		serial_putc(s[i]);
		log_ring[log_head++ & (CONSOLE_LOG_SIZE - 1)] = s[i];
	}
}

/*
 * Copy log bytes from *pos on (a free-running offset the caller keeps) into
 * buf.  If the reader fell more than a ring behind, it skips to the oldest
 * byte still held.  Returns the number of bytes copied.
 */
size_t console_read_log(char *buf, size_t size, size_t *pos)
{
	size_t n = 0;

	if (log_head - *pos > CONSOLE_LOG_SIZE)
		*pos = log_head - CONSOLE_LOG_SIZE;
	while (n < size && *pos != log_head)
		buf[n++] = log_ring[(*pos)++ & (CONSOLE_LOG_SIZE - 1)];
	return n;
}

/* Hypervisor messages start every line with "(xeno) "; guests' do not. */
void vprintk(const char *fmt, va_list ap)
{
	static bool mid_line;
	char buf[512];
	size_t n = MIN((size_t)vsnprintf(buf, sizeof(buf), fmt, ap), sizeof(buf) - 1);

	for (size_t i = 0, start = 0; i < n; i++) {
		if (!mid_line)
			console_write("(xeno) ", 7);
		mid_line = buf[i] != '\n';
		if (!mid_line || i + 1 == n) {
			console_write(buf + start, i + 1 - start);
			start = i + 1;
		}
	}
}

void printk(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintk(fmt, ap);
	va_end(ap);
}
