/* SPDX-License-Identifier: MIT */
/*
 * hc-multicall: multicall batches that nest a multicall (also one naming its
 * own list), contain iret, yield in the middle, carry bad pointers and unknown
 * numbers, and unmap the page holding their own next entries.
 *
 * Rule (abi.md 6.11): a nested multicall or an iret gets -EINVAL and ends the
 * batch, sched_op ends it after running, other failures fail only their entry;
 * an unreadable entry ends it with -EFAULT.
 * Why it matters: a nested batch is unbounded recursion on the hypervisor
 * stack; an iret inside a batch would rewrite the frame the batch runs on.
 */
#include <seg.h>

const char test_title[] = "hc-multicall: nested, forbidden and self-modifying batches";

#define UNSET	0x7eadbeef

static struct xeno_multicall_entry mc(uint32_t op, uint32_t a0, uint32_t a1, uint32_t a2,
				      uint32_t a3)
{
	return (struct xeno_multicall_entry){ op, (int32_t)UNSET, { a0, a1, a2, a3, 0, 0 } };
}

static void forbidden(void)
{
	static struct xeno_multicall_entry list[8];
	struct xeno_multicall_entry inner[2];
	uint32_t vers = __HYPERVISOR_xeno_version;

	inner[0] = mc(vers, XENO_VERSION_VERSION, 0, 0, 0);
	inner[1] = mc(vers, XENO_VERSION_VERSION, 0, 0, 0);
	/* A nested batch, pointing at a good list and at our own. */
	list[0] = mc(vers, XENO_VERSION_VERSION, 0, 0, 0);
	list[1] = mc(__HYPERVISOR_multicall, (uint32_t)inner, 2, 0, 0);
	list[2] = mc(vers, XENO_VERSION_VERSION, 0, 0, 0);
	EXPECT_EQ(HYPERCALL2(multicall, list, 3), 2);
	EXPECT_EQ(list[0].result, XENO_INTERFACE_VERSION);
	EXPECT_EQ(list[1].result, -XENO_EINVAL);
	EXPECT_EQ(list[2].result, UNSET);
	EXPECT_EQ(inner[0].result, UNSET);
	list[0] = mc(__HYPERVISOR_multicall, (uint32_t)list, 1, 0, 0);
	EXPECT_EQ(HYPERCALL2(multicall, list, 1), 1);
	EXPECT_EQ(list[0].result, -XENO_EINVAL);

	/* iret in a batch: refused, so the bad frame below is never read. */
	list[0] = mc(vers, XENO_VERSION_VERSION, 0, 0, 0);
	list[1] = mc(__HYPERVISOR_iret, 0, 0, 0, 0);
	list[2] = mc(vers, XENO_VERSION_VERSION, 0, 0, 0);
	EXPECT_EQ(HYPERCALL2(multicall, list, 3), 2);
	EXPECT_EQ(list[1].result, -XENO_EINVAL);
	EXPECT_EQ(list[2].result, UNSET);
	{
		/* The same with a ring-0 iret frame on the stack, through int $0x82. */
		long rc;

		list[1].result = (int32_t)UNSET;
		asm volatile("push %%ebp\n mov %%esp, %%ebp\n"
			     "push $0x202\n push $0xE008\n push $0\n push $0\n"
			     "int $0x82\n mov %%ebp, %%esp\n pop %%ebp\n"
			     : "=a"(rc) : "a"(__HYPERVISOR_multicall), "b"(&list[1]), "c"(1)
			     : "memory");
		EXPECT_EQ(rc, 1);
		EXPECT_EQ(list[1].result, -XENO_EINVAL);
	}

	/* sched_op ends the batch after running. */
	list[0] = mc(__HYPERVISOR_sched_op, XENO_SCHEDOP_yield, 0, 0, 0);
	list[1] = mc(vers, XENO_VERSION_VERSION, 0, 0, 0);
	EXPECT_EQ(HYPERCALL2(multicall, list, 2), 1);
	EXPECT_EQ(list[0].result, 0);
	EXPECT_EQ(list[1].result, UNSET);
	EXPECT_EQ(HYPERCALL2(multicall, list, 0), 0);
}

/* Failing entries fail alone. */
static void failing_entries(void)
{
	static struct xeno_multicall_entry list[8];

	list[0] = mc(__HYPERVISOR_xeno_version, XENO_VERSION_EXTRAVERSION, 0xFC000000, 0, 0);
	list[1] = mc(__HYPERVISOR_set_trap_table, 0xFFFFF000, 0, 0, 0);
	list[2] = mc(__HYPERVISOR_dom0_op, 0, 0, 0, 0);
	list[3] = mc(99, 0, 0, 0, 0);
	list[4] = mc(__HYPERVISOR_event_channel_op, XENO_EVTCHNOP_send, 0x1000, 0, 0);
	list[5] = mc(__HYPERVISOR_stack_switch, 0xE010, 0x1000, 0, 0);
	list[6] = mc(__HYPERVISOR_set_callbacks, 0xE008, 0x1000, 0xE008, 0x1000);
	list[7] = mc(__HYPERVISOR_xeno_version, XENO_VERSION_VERSION, 0, 0, 0);
	EXPECT_EQ(HYPERCALL2(multicall, list, 8), 8);
	EXPECT_EQ(list[0].result, -XENO_EFAULT);
	EXPECT_EQ(list[1].result, -XENO_EFAULT);
	EXPECT_EQ(list[2].result, -XENO_EPERM);
	EXPECT_EQ(list[3].result, -XENO_ENOSYS);
	EXPECT_EQ(list[4].result, -XENO_EFAULT);
	EXPECT_EQ(list[5].result, -XENO_EINVAL);
	EXPECT_EQ(list[6].result, -XENO_EINVAL);
	EXPECT_EQ(list[7].result, XENO_INTERFACE_VERSION);
}

/* Entry 1 unmaps the page that holds entry 2. */
static void self_unmapping(void)
{
	uint8_t *a = alloc_page(), *b = alloc_page();
	struct xeno_multicall_entry *list = (void *)(b - 2 * sizeof(*list));
	uint32_t pte_b = *pte_of((uint32_t)b);

	CHECK(b == a + PAGE_SIZE, "pages not consecutive");
	list[0] = mc(__HYPERVISOR_xeno_version, XENO_VERSION_VERSION, 0, 0, 0);
	list[1] = mc(__HYPERVISOR_update_va_mapping, (uint32_t)b, 0, XENO_UVMF_INVLPG, 0);
	list[2] = mc(__HYPERVISOR_xeno_version, XENO_VERSION_VERSION, 0, 0, 0);
	EXPECT_EQ(HYPERCALL2(multicall, list, 3), -XENO_EFAULT);
	EXPECT_EQ(list[0].result, XENO_INTERFACE_VERSION);
	EXPECT_EQ(list[1].result, 0);
	EXPECT_EQ(probe_read((uint32_t)b), EXINFO(14, 0));
	EXPECT_EQ(update_va(b, pte_b, XENO_UVMF_INVLPG), 0);
	EXPECT_EQ(list[2].result, UNSET);
}

static void attack(void)
{
	forbidden();
	failing_entries();
	self_unmapping();
}

const struct hostile hostile = { .where = IN_DOMU, .attack = attack };
