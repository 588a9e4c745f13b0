/* SPDX-License-Identifier: MIT */
/*
 * multicall: a batch of hypercalls in one trap, each entry's result written
 * back, with the ABI's stopping rules.
 *
 * Batching is how a paravirtualized kernel amortizes the cost of entering
 * the hypervisor (a context switch batches a stack switch, a page-table
 * switch, an LDT load and a TLB flush), so each call in a batch must have
 * exactly the effect it would have alone, and its result must land in its
 * own entry.  A failing call does not stop the batch; a nested multicall or
 * an iret gets -EINVAL and ends it, and so does a sched_op: later entries
 * stay untouched and the return value counts the entries run.  Calls that
 * switch the kernel stack or the address space do not end it (docs/abi.md
 * 6.11): the entries after NEW_BASEPTR run in the new address space.  More
 * than 256 entries is -E2BIG; a bad array -EFAULT.
 */
#include <guest.h>

const char test_title[] = "multicall: batches, results, stopping rules";

#define UNTOUCHED	0x5a5a5a5a
#define KSTACK_SIZE	8192

static struct xeno_multicall_entry calls[XENO_MULTICALL_MAX + 1];
static volatile unsigned int upcalls;

static void on_event(unsigned int port)
{
	(void)port;
	upcalls++;
}

static void set(unsigned int i, uint32_t op, uint32_t a0, uint32_t a1, uint32_t a2, uint32_t a3)
{
	calls[i] = (struct xeno_multicall_entry){ op, UNTOUCHED, { a0, a1, a2, a3, 0, 0 } };
}

static long multicall(unsigned int n)
{
	return HYPERCALL2(multicall, calls, n);
}

static void test_batch(void)
{
	static const char msg[] = "multicall says hi\n";
	uint32_t *page_a = alloc_page(), *page_b = alloc_page(), *window = alloc_page();
	long port = evtchn_loopback(on_event);
	struct xeno_evtchn_port send = { (uint32_t)port };
	uint32_t domid = XENO_DOMID_SELF, b_pte = (virt_to_mfn(page_b) << PAGE_SHIFT) | PTE_P |
		PTE_RW | PTE_A | PTE_D;

	if (port < 0)
		xtf_error("loopback channel: %ld", port);
	page_a[0] = 0xA, page_b[0] = 0xB;
	window[0] = 0xC;
	set(0, __HYPERVISOR_xeno_version, XENO_VERSION_VERSION, 0, 0, 0);
	set(1, __HYPERVISOR_update_va_mapping, (uint32_t)window, b_pte, XENO_UVMF_INVLPG, 0);
	set(2, __HYPERVISOR_event_channel_op, XENO_EVTCHNOP_send, (uint32_t)&send, 0, 0);
	set(3, __HYPERVISOR_console_io, XENO_CONSOLEIO_WRITE, sizeof(msg) - 1, (uint32_t)msg, 0);
	set(4, __HYPERVISOR_xeno_version, 77, 0, 0, 0);			/* -ENOSYS */
	set(5, 31, 0, 0, 0, 0);						/* no such call */
	set(6, __HYPERVISOR_memory_op, XENO_MEMOP_current_reservation, (uint32_t)&domid, 0, 0);
	local_irq_enable();
	EXPECT_EQ(multicall(7), 7);
	EXPECT_EQ(calls[0].result, XENO_INTERFACE_VERSION);
	EXPECT_EQ(calls[1].result, 0);
	EXPECT_EQ(calls[2].result, 0);
	EXPECT_EQ(calls[3].result, sizeof(msg) - 1);
	EXPECT_EQ(calls[4].result, -XENO_ENOSYS);
	EXPECT_EQ(calls[5].result, -XENO_ENOSYS);
	EXPECT_EQ(calls[6].result, start_info->nr_pages);
	/* The effects are real: the mapping moved, the event arrived once. */
	EXPECT_EQ(window[0], 0xB);
	EXPECT_EQ(upcalls, 1);
	local_irq_disable();
}

/* Entry 1 must end the batch: 2 run, entry 2 untouched. */
static void stops_after(const char *what, uint32_t op, uint32_t a0, uint32_t a1, uint32_t a2,
			uint32_t a3, long result)
{
	long n;

	set(0, __HYPERVISOR_xeno_version, XENO_VERSION_VERSION, 0, 0, 0);
	set(1, op, a0, a1, a2, a3);
	set(2, __HYPERVISOR_xeno_version, XENO_VERSION_VERSION, 0, 0, 0);
	n = multicall(3);
	CHECK(n == 2 && (uint32_t)calls[2].result == UNTOUCHED,
	      "%s: the batch went on (returned %ld, entry 2 result %#x)", what, n,
	      (uint32_t)calls[2].result);
	CHECK(calls[1].result == result, "%s: result %d, expected %ld", what, calls[1].result,
	      result);
}

/* The batch goes on after these, in the new context. */
static void test_context_switches(void)
{
	static uint8_t kstack[KSTACK_SIZE] __attribute__((aligned(16)));
	uint32_t *l2 = l2_table(), *copy = alloc_page(), *l1 = alloc_page(), *data = alloc_page();
	uint32_t copy_mfn = virt_to_mfn(copy), free_va = FREE_VA, pte;
	struct xeno_mmuext_op to_copy = { XENO_MMUEXT_NEW_BASEPTR, copy_mfn, 0 };
	struct xeno_mmuext_op back = { XENO_MMUEXT_NEW_BASEPTR, virt_to_mfn(l2), 0 };

	set(0, __HYPERVISOR_stack_switch, XENO_FLAT_RING1_DS, (uint32_t)kstack + KSTACK_SIZE, 0, 0);
	set(1, __HYPERVISOR_xeno_version, XENO_VERSION_VERSION, 0, 0, 0);
	EXPECT_EQ(multicall(2), 2);
	EXPECT_EQ(calls[1].result, XENO_INTERFACE_VERSION);

	/* A copy of our L2 with one more 4 MiB region, FREE_SLOT, mapped. */
	for (unsigned int i = 0; i < XENO_FIRST_HYPERVISOR_L2_SLOT; i++)
		copy[i] = l2[i];
	copy[FREE_SLOT] = (virt_to_mfn(l1) << PAGE_SHIFT) | PTE_P | PTE_RW | PTE_US | PTE_A;
	page_set_ro(l1, true);
	page_set_ro(copy, true);
	CHECK(mmuext1(XENO_MMUEXT_PIN_L2_TABLE, copy_mfn, 0) == 0, "pinning the copied L2");
	/* Mapping a page at free_va works only once the copy is in use. */
	pte = (virt_to_mfn(data) << PAGE_SHIFT) | PTE_P | PTE_RW | PTE_A | PTE_D;
	data[0] = 0xda7a;
	set(0, __HYPERVISOR_mmuext_op, (uint32_t)&to_copy, 1, 0, XENO_DOMID_SELF);
	set(1, __HYPERVISOR_update_va_mapping, free_va, pte, XENO_UVMF_INVLPG, 0);
	set(2, __HYPERVISOR_mmuext_op, (uint32_t)&back, 1, 0, XENO_DOMID_SELF);
	EXPECT_EQ(multicall(3), 3);
	EXPECT_EQ(calls[0].result, 0);
	EXPECT_EQ(calls[1].result, 0);		/* it ran in the copy */
	EXPECT_EQ(calls[2].result, 0);
	EXPECT_EQ(update_va((void *)free_va, pte, XENO_UVMF_INVLPG), -XENO_EINVAL);	/* not here */
	EXPECT_EQ(mmuext1(XENO_MMUEXT_NEW_BASEPTR, copy_mfn, 0), 0);
	EXPECT_EQ(*(volatile uint32_t *)free_va, 0xda7a);
	EXPECT_EQ(mmuext1(XENO_MMUEXT_NEW_BASEPTR, virt_to_mfn(l2), 0), 0);
}

static void test_stops(void)
{
	struct xeno_multicall_entry inner = { __HYPERVISOR_xeno_version, UNTOUCHED, { 0 } };

	stops_after("a nested multicall", __HYPERVISOR_multicall, (uint32_t)&inner, 1, 0, 0,
		    -XENO_EINVAL);
	EXPECT_EQ((uint32_t)inner.result, UNTOUCHED);
	stops_after("iret", __HYPERVISOR_iret, 0, 0, 0, 0, -XENO_EINVAL);
	stops_after("sched_op yield", __HYPERVISOR_sched_op, XENO_SCHEDOP_yield, 0, 0, 0, 0);
}

static void test_limits(void)
{
	uint32_t *ro = alloc_page();
	struct xeno_multicall_entry *ro_calls = (void *)ro;

	for (unsigned int i = 0; i <= XENO_MULTICALL_MAX; i++)
		set(i, __HYPERVISOR_xeno_version, XENO_VERSION_VERSION, 0, 0, 0);
	EXPECT_EQ(multicall(XENO_MULTICALL_MAX + 1), -XENO_E2BIG);
	EXPECT_EQ((uint32_t)calls[0].result, UNTOUCHED);
	EXPECT_EQ(multicall(XENO_MULTICALL_MAX), XENO_MULTICALL_MAX);
	for (unsigned int i = 0; i < XENO_MULTICALL_MAX; i++)
		if (calls[i].result != XENO_INTERFACE_VERSION) {
			xtf_failure("entry %u of a full batch: result %d", i, calls[i].result);
			break;
		}
	EXPECT_EQ((uint32_t)calls[XENO_MULTICALL_MAX].result, UNTOUCHED);
	EXPECT_EQ(multicall(0), 0);
	EXPECT_EQ(HYPERCALL2(multicall, XENO_HYPERVISOR_VIRT_START, 1), -XENO_EFAULT);
	/* Results that cannot be written back. */
	ro_calls[0] = (struct xeno_multicall_entry){ __HYPERVISOR_xeno_version, 0, { 0 } };
	page_set_ro(ro, true);
	EXPECT_EQ(HYPERCALL2(multicall, ro_calls, 1), -XENO_EFAULT);
}

void test_main(void)
{
	test_batch();
	test_stops();
	test_context_switches();
	test_limits();
	xtf_success(NULL);
}
