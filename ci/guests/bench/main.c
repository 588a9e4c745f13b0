/* SPDX-License-Identifier: MIT */
/*
 * bench: cycle costs of the hypervisor's basic mechanisms (make
 * bench-hypervisor).  Not a test: it prints "bench: <name> <cycles>" lines,
 * the median of several runs of each loop.  With the command line "yielder"
 * it is the partner domain for the domain-switch measurement.
 */
#include <guest.h>

const char test_title[] = "bench: hypervisor mechanism costs";

#define RUNS	7
#define ITERS	2000

static uint64_t median(uint64_t *v, unsigned int n)
{
	for (unsigned int i = 1; i < n; i++)
		for (unsigned int j = i; j > 0 && v[j] < v[j - 1]; j--) {
			uint64_t t = v[j];

			v[j] = v[j - 1];
			v[j - 1] = t;
		}
	return v[n / 2];
}

/* Run body(iters) RUNS times; report the median cycles per iteration. */
static void measure(const char *name, void (*body)(unsigned int), unsigned int iters,
		    unsigned int per)
{
	uint64_t runs[RUNS];

	body(iters / 10 + 1);		/* warm up */
	for (unsigned int r = 0; r < RUNS; r++) {
		uint64_t t0 = rdtsc();

		body(iters);
		runs[r] = (rdtsc() - t0) / (iters * (uint64_t)per);
	}
	printf("bench: %s %llu\n", name, median(runs, RUNS));
}

static void null_hypercall(unsigned int n)
{
	while (n--)
		HYPERCALL2(xeno_version, XENO_VERSION_VERSION, 0);
}

static void raw_null_hypercall(unsigned int n)
{
	while (n--)
		raw_hypercall(__HYPERVISOR_xeno_version, 0, 0, 0, 0, 0);
}

/* ---- int $0x80 from ring 3 ---- */
extern char int80_return[];
asm(".text\n.globl int80_return\nint80_return: iret\n");

static uint32_t user_int80_loop(uint32_t n)
{
	uint64_t t0 = rdtsc();

	for (uint32_t i = 0; i < n; i++)
		asm volatile("int $0x80" : : : "memory");
	return (uint32_t)(rdtsc() - t0);
}

static void set_int80(bool direct)
{
	struct xeno_trap_info t[2] = {
		{ 0x80, (uint8_t)(3 | (direct ? 0 : XENO_TI_MASK_EVENTS)), XENO_FLAT_RING1_CS,
		  (uint32_t)int80_return },
		{ 0, 0, 0, 0 },
	};

	if (HYPERCALL1(set_trap_table, t))
		xtf_error("set_trap_table for int 0x80");
}

static void int80_bench(const char *name, bool direct)
{
	uint64_t runs[RUNS];

	set_int80(direct);
	run_in_ring3(user_int80_loop, 100);
	for (unsigned int r = 0; r < RUNS; r++)
		runs[r] = run_in_ring3(user_int80_loop, ITERS) / ITERS;
	printf("bench: %s %llu\n", name, median(runs, RUNS));
}

/* ---- page tables ---- */
static uint32_t *page;
static uint32_t page_pte_ma, page_pte;
static struct xeno_mmu_update batch[64];

static void one_mmu_update(unsigned int n)
{
	while (n--)
		mmu_update1(page_pte_ma, page_pte);
}

static void batch_mmu_update(unsigned int n)
{
	while (n--)
		HYPERCALL4(mmu_update, batch, 64, NULL, XENO_DOMID_SELF);
}

static void one_update_va(unsigned int n)
{
	while (n--)
		update_va(page, page_pte, XENO_UVMF_INVLPG);
}

static void setup_pages(void)
{
	uint32_t *pte;

	page = alloc_page();
	pte = pte_of((uint32_t)page);
	page_pte = *pte;
	page_pte_ma = virt_to_maddr(pte);
	for (unsigned int i = 0; i < 64; i++)	/* the same entry, 64 times */
		batch[i] = (struct xeno_mmu_update){ page_pte_ma, page_pte };
}

/* ---- events ---- */
static unsigned int port_a;
static volatile unsigned int upcalls;

static void on_event(unsigned int port)
{
	(void)port;
	upcalls++;
}

static void event_roundtrip(unsigned int n)
{
	struct xeno_evtchn_port send = { port_a };

	while (n--)
		evtchn_op(XENO_EVTCHNOP_send, &send);
}

static void setup_events(void)
{
	long port = evtchn_loopback(on_event);

	if (port < 0)
		xtf_error("loopback channel: %ld", port);
	port_a = (unsigned int)port;
	local_irq_enable();
}

/* ---- domain switch ---- */
static void yield_loop(unsigned int n)
{
	while (n--)
		HYPERCALL2(sched_op, XENO_SCHEDOP_yield, 0);
}

static int start_yielder(void)
{
	static const char cmdline[] = "yielder";
	struct xeno_dom0_op op = { .cmd = XENO_DOM0_CREATEDOMAIN,
				   .interface_version = XENO_INTERFACE_VERSION };

	if (!start_info->mod_len)
		return -1;
	op.u.createdomain = (struct xeno_dom0_createdomain){
		start_info->mod_start, start_info->mod_len, 0, 0, (uint32_t)cmdline, 2048, 0, 0 };
	if (HYPERCALL1(dom0_op, &op))
		return -1;
	op.cmd = XENO_DOM0_UNPAUSEDOMAIN;
	op.u.domain.domid = op.u.createdomain.domid;
	return (int)HYPERCALL1(dom0_op, &op);
}

void test_main(void)
{
	if (!strcmp(start_info->cmd_line, "yielder")) {
		for (;;)
			HYPERCALL2(sched_op, XENO_SCHEDOP_yield, 0);
	}
	measure("null_hypercall", null_hypercall, ITERS, 1);
	measure("null_hypercall_int82", raw_null_hypercall, ITERS, 1);
	int80_bench("int80_direct_ring3", true);
	int80_bench("int80_via_gp_ring3", false);
	setup_pages();
	measure("mmu_update_1", one_mmu_update, ITERS, 1);
	measure("mmu_update_64_batch", batch_mmu_update, ITERS / 16, 1);
	measure("mmu_update_64_per_entry", batch_mmu_update, ITERS / 16, 64);
	measure("update_va_mapping", one_update_va, ITERS, 1);
	setup_events();
	upcalls = 0;
	measure("event_send_upcall", event_roundtrip, ITERS, 1);
	CHECK(upcalls >= ITERS, "every send gave an upcall (%u)", upcalls);
	measure("yield_alone", yield_loop, ITERS, 1);
	if (start_yielder() == 0)
		measure("domain_switch", yield_loop, ITERS, 2);
	else
		printf("bench: domain_switch skipped (no yielder module)\n");
	xtf_success(NULL);
}
