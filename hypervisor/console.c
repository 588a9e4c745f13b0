/* SPDX-License-Identifier: MIT */
/*
 * The console: COM1 and a log ring of the last CONSOLE_LOG_SIZE bytes, which
 * is also the UART's transmit queue.  Three kinds of writer share them: the
 * hypervisor (printk, lines start "(xeno) "), Domain0 (trusted: its bytes go
 * out as they are, a shell prompt without a newline included) and every
 * other domain (its lines start "(dN) ").
 *
 * Invariants:
 *  - Every byte an unprivileged domain writes reaches the ring only inside a
 *    whole line "(dN) text\n" that starts at column 0: the domain's bytes
 *    are buffered per domain (console_line.c, which also drops or replaces
 *    every control byte) and a line is printed when it ends, fills, or has
 *    waited CONSOLE_PARTIAL_NS; if the ring was mid-line (the hypervisor's
 *    or Domain0's), a newline comes first.  Hypervisor lines likewise start
 *    at column 0 with "(xeno) ".  So no domain can print a line that looks
 *    like the hypervisor's or Domain0's.
 *  - An unprivileged domain never makes the hypervisor wait for the UART:
 *    its lines (and gprintk messages about it) are printed only while the
 *    bytes not yet sent stay within CONSOLE_DOMU_BACKLOG and its credit
 *    (console_credit_take; one bucket for its lines, one for messages about
 *    it) lasts; otherwise they are dropped and counted (struct
 *    console_line), and the next line it gets out is preceded by a note of
 *    how much was lost.
 *  - The UART is fed without waiting: whenever its FIFO is empty, from every
 *    write and from its transmit interrupt (enabled while bytes are queued).
 *    Only trusted output that finds the ring full of unsent bytes waits, and
 *    so does everything before interrupts are set up (boot) and
 *    console_flush() (machine exit, panic), so crash reports come out.
 */
#include <console.h>
#include <domain.h>
#include <event.h>
#include <irq.h>
#include <lib.h>
#include <time.h>
#include <x86.h>

#define COM1		0x3f8
#define UART_THR	0	/* transmit holding register */
#define UART_RBR	0	/* receive buffer */
#define UART_IER	1
#define UART_DLL	0	/* divisor latch, with LCR.DLAB */
#define UART_DLM	1
#define UART_IIR	2	/* interrupt identification (read) */
#define UART_FCR	2	/* FIFO control (write) */
#define UART_LCR	3
#define UART_MCR	4
#define UART_LSR	5
#define LSR_DATA_READY	0x01
#define LSR_THR_EMPTY	0x20	/* with FIFOs: the transmit FIFO is empty */
#define LSR_TX_IDLE	0x40	/* shift register empty too */
#define IIR_NONE	0x01	/* no interrupt pending */
#define LCR_8N1		0x03
#define LCR_DLAB	0x80
#define MCR_DTR_RTS	0x03
#define FCR_ENABLE	0x07	/* enable and clear both FIFOs */
#define BAUD_DIVISOR	1	/* 115200 baud */
#define UART_FIFO_SIZE	16	/* 16550A transmit FIFO */
#define UART_SPINS	100000	/* bounded wait: a missing UART must not hang us */
#define IRQ_ROUNDS	4	/* FIFO loads per interrupt, at most */

#define IER_RX_DATA	0x01
#define IER_TX_EMPTY	0x02
#define MCR_OUT2	0x08	/* gates the UART's interrupt line */
#define CTRL_A		0x01
#define SWITCH_PRESSES	3	/* Ctrl-A three times: input to the hypervisor */

#define CONSOLE_LOG_SIZE	16384	/* power of two */
#define INPUT_RING_SIZE		256	/* power of two */
#define CONSOLE_DOMU_BACKLOG	4096	/* unsent bytes beyond which a domU's lines drop */
#define CONSOLE_PARTIAL_NS	100000000ull	/* a partial domU line waits 100 ms */
#define PRINTK_MAX		512
#define PREFIX_MAX		16	/* "(d65535) " */
#define XENO_PREFIX		"(xeno) "

enum writer { W_XENO, W_DOM0 };	/* who may leave a line open */

static char log_ring[CONSOLE_LOG_SIZE];
static size_t log_head;		/* total bytes ever written; free-running */
static size_t tx_tail;		/* bytes handed to the UART; <= log_head */
static bool tx_cr_sent;		/* the '\r' before log_ring[tx_tail] ('\n') went */
static bool tx_async;		/* the transmit interrupt is set up */
static uint8_t uart_ier;
static bool at_line_start = true;
static enum writer line_owner;	/* whose line is open when !at_line_start */

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

/* ---- the transmit side ---- */

static size_t tx_backlog(void)
{
	return log_head - tx_tail;
}

/* The next byte for the wire: a '\n' goes out as "\r\n". */
static char tx_next(void)
{
	char c = log_ring[tx_tail & (CONSOLE_LOG_SIZE - 1)];

	if (c == '\n' && !tx_cr_sent) {
		tx_cr_sent = true;
		return '\r';
	}
	tx_cr_sent = false;
	tx_tail++;
	return c;
}

/* One FIFO load, if the UART can take it now.  Never waits. */
static void tx_fill_fifo(void)
{
	if (!tx_backlog() || !(inb(COM1 + UART_LSR) & LSR_THR_EMPTY))
		return;
	for (unsigned int i = 0; i < UART_FIFO_SIZE && tx_backlog(); i++)
		outb(COM1 + UART_THR, (uint8_t)tx_next());
}

/* Transmit interrupt on while bytes wait (once interrupts are set up). */
static void tx_irq_update(void)
{
	uint8_t ier = tx_backlog() ? uart_ier | IER_TX_EMPTY : uart_ier & ~IER_TX_EMPTY;

	if (tx_async && ier != uart_ier)
		outb(COM1 + UART_IER, uart_ier = ier);
}

/* Send until at most 'left' bytes wait, waiting for the UART (bounded). */
static void tx_drain_to(size_t left)
{
	while (tx_backlog() > left) {
		for (int i = 0; i < UART_SPINS && !(inb(COM1 + UART_LSR) & LSR_THR_EMPTY); i++)
			cpu_relax();
		for (unsigned int i = 0; i < UART_FIFO_SIZE && tx_backlog() > left; i++)
			outb(COM1 + UART_THR, (uint8_t)tx_next());
	}
}

/* After a write: start the UART on it (or, at boot, send it all now). */
static void tx_start(void)
{
	if (!tx_async) {
		tx_drain_to(0);
		return;
	}
	tx_fill_fifo();
	tx_irq_update();
}

/* Send everything and wait until the UART is idle, e.g. before power-off. */
void console_flush(void)
{
	tx_drain_to(0);
	for (int i = 0; i < UART_SPINS && !(inb(COM1 + UART_LSR) & LSR_TX_IDLE); i++)
		cpu_relax();
}

/* ---- the ring and its lines ---- */

/* Append one byte; only a full ring of unsent bytes makes us wait. */
static void ring_put(char c)
{
	if (tx_backlog() == CONSOLE_LOG_SIZE)
		tx_drain_to(CONSOLE_LOG_SIZE - UART_FIFO_SIZE);
	log_ring[log_head++ & (CONSOLE_LOG_SIZE - 1)] = c;
	at_line_start = c == '\n';
}

static void ring_write(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		ring_put(s[i]);
}

/* End another writer's open line before w writes. */
static void line_take(enum writer w)
{
	if (!at_line_start && line_owner != w)
		ring_put('\n');
	line_owner = w;
}

/* Hypervisor text: every line it starts gets "(xeno) ". */
static void xeno_write(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		line_take(W_XENO);
		if (at_line_start)
			ring_write(XENO_PREFIX, sizeof(XENO_PREFIX) - 1);
		ring_put(s[i]);
	}
}

/* The bytes a hypervisor message takes in the ring, prefixes included. */
static size_t xeno_size(const char *s, size_t n)
{
	size_t lines = 0;

	for (size_t i = 0; i < n; i++)
		lines += s[i] == '\n';
	return n + (lines + 1) * (sizeof(XENO_PREFIX) - 1) + 1;
}

void vprintk(const char *fmt, va_list ap)
{
	char buf[PRINTK_MAX];
	size_t n = MIN((size_t)vsnprintf(buf, sizeof(buf), fmt, ap), sizeof(buf) - 1);

	xeno_write(buf, n);
	tx_start();
}

void printk(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintk(fmt, ap);
	va_end(ap);
}

/* ---- unprivileged domains ---- */

/*
 * May 'need' more bytes (prefixes included) on a domU's account be printed
 * now?  Only within the credit c and while the unsent backlog stays small.
 */
static bool domu_may_print(struct console_credit *c, size_t need, uint64_t now)
{
	return tx_backlog() + need <= CONSOLE_DOMU_BACKLOG &&
	       console_credit_take(c, (uint32_t)need, now);
}

/* Print d's line (complete, full or timed out) as "(dN) text\n". */
static void domu_line_out(struct domain *d, uint64_t now)
{
	struct console_line *l = &d->console;
	char prefix[PREFIX_MAX], note[2 * PREFIX_MAX + 48];
	size_t p = (size_t)snprintf(prefix, sizeof(prefix), "(d%u) ", d->id), nn = 0;

	if (l->unreported)
		nn = (size_t)snprintf(note, sizeof(note), XENO_PREFIX "d%u: %u bytes of console "
				      "output dropped\n", d->id, l->unreported);
	if (domu_may_print(&l->own, !at_line_start + nn + p + l->len + 1, now)) {
		if (!at_line_start)
			ring_put('\n');
		l->unreported = 0;
		ring_write(note, nn);
		ring_write(prefix, p);
		ring_write(l->buf, l->len);
		ring_put('\n');
		tx_start();
	} else {
		l->dropped += l->len + 1;
		l->unreported += l->len + 1;
	}
	l->len = 0;
}

static void partial_timeout(struct timer *t);
static struct timer partial_timer = { .fn = partial_timeout };

/* Arm the timer for the earliest partial-line timeout, if it moved earlier. */
static void partial_arm(uint64_t deadline)
{
	if (!partial_timer.deadline || deadline < partial_timer.deadline)
		timer_arm(&partial_timer, deadline);
}

static void domu_write(struct domain *d, const char *s, size_t n)
{
	struct console_line *l = &d->console;
	uint64_t now = time_now();

	for (size_t i = 0; i < n; i++)
		if (console_line_add(l, s[i], now))
			domu_line_out(d, now);
	if (l->len)
		partial_arm(l->since + CONSOLE_PARTIAL_NS);
}

void console_guest_write(struct domain *d, const char *s, size_t n)
{
	if (d->id != 0) {
		domu_write(d, s, n);
		return;
	}
	line_take(W_DOM0);
	ring_write(s, n);
	tx_start();
}

void console_domain_flush(struct domain *d)
{
	struct console_line *l = &d->console;

	if (d->id == 0)
		return;
	if (l->len)
		domu_line_out(d, time_now());
	if (l->unreported)
		printk("d%u: %u bytes of console output dropped\n", d->id, l->unreported);
	l->unreported = 0;
}

/* The timer: partial lines that waited long enough are printed. */
static void partial_timeout(struct timer *t)
{
	uint64_t next = 0, now = time_now();

	(void)t;
	for (struct domain *d = domain_list; d; d = d->next) {
		struct console_line *l = &d->console;

		if (d->id == 0 || !l->len)
			continue;
		if (now - l->since >= CONSOLE_PARTIAL_NS)
			domu_line_out(d, now);
		else if (!next || l->since + CONSOLE_PARTIAL_NS < next)
			next = l->since + CONSOLE_PARTIAL_NS;
	}
	if (next)
		partial_arm(next);
}

void gprintk(const char *fmt, ...)
{
	struct domain *d = current ? current->domain : NULL;
	char buf[PRINTK_MAX];
	va_list ap;
	size_t n;

	va_start(ap, fmt);
	n = MIN((size_t)vsnprintf(buf, sizeof(buf), fmt, ap), sizeof(buf) - 1);
	va_end(ap);
	if (d && d->id != 0 && !domu_may_print(&d->console.msgs, xeno_size(buf, n), time_now())) {
		d->console.suppressed++;
		return;
	}
	xeno_write(buf, n);
	tx_start();
}

/* ---- input, and the log for Domain0 ---- */

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
static void console_rx(void)
{
	int c;

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

/*
 * IRQ 4: input arrived, or the transmit FIFO ran empty.  A few FIFO loads at
 * most: under QEMU the UART sends at once and would keep us here.  The PIC
 * got its EOI before we run (irq.c), so a new edge raised meanwhile is taken
 * again once we return.
 */
static void console_interrupt(unsigned int irq, void *data)
{
	(void)irq, (void)data;
	for (unsigned int i = 0; i < IRQ_ROUNDS && !(inb(COM1 + UART_IIR) & IIR_NONE); i++) {
		console_rx();
		tx_fill_fifo();
		tx_irq_update();
	}
}

void console_init_input(void)
{
	irq_register(IRQ_COM1, console_interrupt, NULL);
	outb(COM1 + UART_MCR, MCR_DTR_RTS | MCR_OUT2);
	uart_ier = IER_RX_DATA;
	outb(COM1 + UART_IER, uart_ier);
	tx_async = true;
	tx_irq_update();
}

size_t console_input_read(char *buf, size_t size)
{
	size_t n = 0;

	while (n < size && input_cons != input_prod)
		buf[n++] = input_ring[input_cons++ & (INPUT_RING_SIZE - 1)];
	return n;
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
