/* SPDX-License-Identifier: MIT */
/*
 * memory: memory_op reservations (the balloon): giving frames back and
 * getting new ones, with the P2M/M2P fix-ups a guest does, plus the
 * Domain0 controls over a domain's target and ceiling.
 *
 * A frame given back must leave the guest completely: only a frame with no
 * mapping, no page-table or descriptor type and no pin may go (-EBUSY
 * otherwise, or the guest could keep a window on memory that now belongs to
 * someone else), the M2P forgets it, a stale TLB entry for it is flushed,
 * and the guest can no longer map it (-EPERM).  A new frame must come
 * zeroed (no other domain's data), be the guest's to map, and respect the
 * ceiling; the reservation counters must follow every step.
 */
#include <guest.h>

const char test_title[] = "memory: increase/decrease_reservation, targets, ceilings";

#define HYP_MFN		0x100u

static uint32_t domid_self = XENO_DOMID_SELF;
static volatile unsigned int balloon_upcalls;

static long memop(uint32_t cmd, void *arg)
{
	return HYPERCALL2(memory_op, cmd, arg);
}

static long reservation(uint32_t cmd, uint32_t *mfns, uint32_t n)
{
	struct xeno_memory_reservation r = { (uint32_t)mfns, n, XENO_DOMID_SELF, 0 };

	return memop(cmd, &r);
}

static long current_pages(void)
{
	return memop(XENO_MEMOP_current_reservation, &domid_self);
}

static long set_mem(uint32_t cmd, uint32_t kb)
{
	struct xeno_dom0_op op = { .cmd = cmd };

	op.u.setmem.domid = start_info->domid;
	op.u.setmem.kb = kb;
	return dom0_op(&op);
}

static void on_balloon(unsigned int port)
{
	(void)port;
	balloon_upcalls++;
}

static void test_queries(void)
{
	struct xeno_e820_entry e[2];
	struct xeno_memory_map map = { 2, (uint32_t)e };
	uint32_t other = 5;

	EXPECT_EQ(current_pages(), start_info->nr_pages);
	EXPECT_EQ(memop(XENO_MEMOP_maximum_reservation, &domid_self), start_info->nr_pages);
	EXPECT_EQ(memop(XENO_MEMOP_current_reservation, &other), -XENO_ESRCH);
	EXPECT_EQ(memop(XENO_MEMOP_current_reservation, (void *)0xFC000000), -XENO_EFAULT);
	EXPECT_EQ(memop(XENO_MEMOP_memory_map, &map), 0);
	CHECK(map.nr_entries == 1 && e[0].addr == 0 && e[0].type == 1 &&
	      e[0].size == (uint64_t)start_info->nr_pages * PAGE_SIZE,
	      "memory map: %u entries, %llx+%llx type %u", map.nr_entries, e[0].addr, e[0].size,
	      e[0].type);
	map.nr_entries = 0;
	EXPECT_EQ(memop(XENO_MEMOP_memory_map, &map), -XENO_EINVAL);
	EXPECT_EQ(memop(99, &map), -XENO_ENOSYS);
}

/* Give back the frame behind 'page' (left in the TLB: the hypervisor must flush). */
static uint32_t give_back(uint32_t *page)
{
	uint32_t mfn = virt_to_mfn(page), pfn = virt_to_pfn(page), tmp = mfn;
	long before = current_pages();

	for (unsigned int i = 0; i < PAGE_SIZE / 4; i++)
		page[i] = 0x5ec7e7 + i;
	EXPECT_EQ(reservation(XENO_MEMOP_decrease_reservation, &tmp, 1), -XENO_EBUSY);	/* mapped */
	EXPECT_EQ(page[1], 0x5ec7e7 + 1);
	EXPECT_EQ(update_va(page, 0, XENO_UVMF_NONE), 0);		/* no flush on purpose */
	EXPECT_EQ(reservation(XENO_MEMOP_decrease_reservation, &tmp, 1), 1);
	EXPECT_EQ(current_pages(), before - 1);
	EXPECT_EQ(m2p[mfn], XENO_INVALID_PFN);
	/* No way back to it: not through the old TLB entry, not by mapping it. */
	EXPECT_EQ(probe_read((uint32_t)page), EXINFO(14, 0));
	EXPECT_EQ(update_va(page, mkpte(mfn, PTE_RW_FLAGS), XENO_UVMF_INVLPG), -XENO_EPERM);
	EXPECT_EQ(mmu_update1((mfn << PAGE_SHIFT) | XENO_MMU_MACHPHYS_UPDATE, pfn), -XENO_EPERM);
	EXPECT_EQ(reservation(XENO_MEMOP_decrease_reservation, &tmp, 1), -XENO_EPERM);
	p2m[pfn] = XENO_INVALID_PFN;
	return mfn;
}

/* Fill the hole at 'page' with a new frame, fixing up P2M and M2P. */
static void take_new(uint32_t *page)
{
	uint32_t pfn = virt_to_pfn(page), mfns[2] = { 0, 0 };
	long before = current_pages();

	EXPECT_EQ(reservation(XENO_MEMOP_increase_reservation, mfns, 2), 1);	/* at the ceiling */
	EXPECT_EQ(current_pages(), before + 1);
	EXPECT_EQ(mfns[1], 0);
	EXPECT_EQ(update_va(page, mkpte(mfns[0], PTE_RW_FLAGS), XENO_UVMF_INVLPG), 0);
	for (unsigned int i = 0; i < PAGE_SIZE / 4; i++)
		if (page[i]) {
			xtf_failure("new frame %05x is not zeroed: word %u = %08x", mfns[0], i,
				    page[i]);
			break;
		}
	EXPECT_EQ(mmu_update1((mfns[0] << PAGE_SHIFT) | XENO_MMU_MACHPHYS_UPDATE, pfn), 0);
	p2m[pfn] = mfns[0];
	EXPECT_EQ(m2p[mfns[0]], pfn);
	EXPECT_EQ(virt_to_mfn(page), mfns[0]);
	page[3] = 0x1234;
	EXPECT_EQ(page[3], 0x1234);
}

static void test_refusals(void)
{
	uint32_t *table = alloc_page(), *mapped = alloc_page(), *spare = alloc_page();
	uint32_t mfns[2], t_mfn = virt_to_mfn(table), bad = HYP_MFN;
	struct xeno_memory_reservation r = { 0xFC000000, 1, XENO_DOMID_SELF, 0 };

	/* A pinned table (not mapped anywhere) may not go. */
	EXPECT_EQ(update_va(table, 0, XENO_UVMF_INVLPG), 0);
	EXPECT_EQ(mmuext1(XENO_MMUEXT_PIN_L1_TABLE, t_mfn, 0), 0);
	EXPECT_EQ(reservation(XENO_MEMOP_decrease_reservation, &t_mfn, 1), -XENO_EBUSY);
	EXPECT_EQ(mmuext1(XENO_MMUEXT_UNPIN_TABLE, t_mfn, 0), 0);
	/* Nor a page-table frame in use, nor shared_info, nor foreign frames. */
	mfns[0] = virt_to_mfn(l2_table());
	EXPECT_EQ(reservation(XENO_MEMOP_decrease_reservation, mfns, 1), -XENO_EBUSY);
	mfns[0] = start_info->shared_info_mfn;
	EXPECT_EQ(reservation(XENO_MEMOP_decrease_reservation, mfns, 1), -XENO_EBUSY);
	EXPECT_EQ(reservation(XENO_MEMOP_decrease_reservation, &bad, 1), -XENO_EPERM);
	bad = 0xFFFFF;
	EXPECT_EQ(reservation(XENO_MEMOP_decrease_reservation, &bad, 1), -XENO_EPERM);
	EXPECT_EQ(memop(XENO_MEMOP_decrease_reservation, &r), -XENO_EFAULT);
	r.nr_extents = (1u << 20) + 1;
	EXPECT_EQ(memop(XENO_MEMOP_decrease_reservation, &r), -XENO_E2BIG);
	/* A batch stops at the first busy frame and says how far it got. */
	EXPECT_EQ(update_va(spare, 0, XENO_UVMF_INVLPG), 0);
	mfns[0] = t_mfn;			/* unmapped, unpinned: fine */
	mfns[1] = virt_to_mfn(mapped);		/* still mapped */
	EXPECT_EQ(reservation(XENO_MEMOP_decrease_reservation, mfns, 2), 1);
	EXPECT_EQ(mapped[0], 0);
	mapped[0] = 7;
	/* Get the table's frame back into the spare hole; the table's VA stays empty. */
	take_new(spare);
}

static void test_dom0_controls(void)
{
	int port = bind_virq(XENO_VIRQ_BALLOON, on_balloon);
	uint32_t n = start_info->nr_pages, mfns[16];

	CHECK(port > 0, "bind VIRQ_BALLOON: %d", port);
	local_irq_enable();
	EXPECT_EQ(set_mem(XENO_DOM0_SETMEMTARGET, (n - 10) * 4), 0);
	EXPECT_EQ(shared_info->balloon_target_pages, n - 10);
	EXPECT_EQ(balloon_upcalls, 1);
	EXPECT_EQ(set_mem(XENO_DOM0_SETMEMTARGET, (n + 1) * 4), -XENO_EINVAL);
	EXPECT_EQ(shared_info->balloon_target_pages, n - 10);

	/* The ceiling: not below what we hold; above it, room to grow. */
	EXPECT_EQ(set_mem(XENO_DOM0_SETMAXMEM, (n - 1) * 4), -XENO_EINVAL);
	EXPECT_EQ(set_mem(XENO_DOM0_SETMAXMEM, (n + 16) * 4), 0);
	EXPECT_EQ(memop(XENO_MEMOP_maximum_reservation, &domid_self), n + 16);
	EXPECT_EQ(reservation(XENO_MEMOP_increase_reservation, mfns, 16), 16);
	EXPECT_EQ(current_pages(), n + 16);
	EXPECT_EQ(reservation(XENO_MEMOP_increase_reservation, mfns, 1), 0);
	EXPECT_EQ(reservation(XENO_MEMOP_decrease_reservation, mfns, 16), 16);
	EXPECT_EQ(current_pages(), n);
	EXPECT_EQ(set_mem(XENO_DOM0_SETMAXMEM, n * 4), 0);
	local_irq_disable();
}

void test_main(void)
{
	uint32_t *page = alloc_page();

	test_queries();
	give_back(page);
	take_new(page);
	test_refusals();
	test_dom0_controls();
	xtf_success(NULL);
}
