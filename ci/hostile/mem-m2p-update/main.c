/* SPDX-License-Identifier: MIT */
/*
 * mem-m2p-update: rewrite M2P entries with MMU_MACHPHYS_UPDATE: of the
 * bystander's frames (canary, L1), of hypervisor frames (its image, the M2P's
 * own L1), of frames past RAM; with pfns at and above max_pages; of our own
 * frames with legal values; of our shared_info frame, which the supervisor
 * checks again once we are gone.
 *
 * Rule (abi.md 1.2, 5.5, 6.1): a domain sets the M2P entries of its own
 * frames only (-EPERM, entry unchanged), to a pfn below its max_pages or
 * XENO_INVALID_PFN (-EINVAL); frames that are free or the hypervisor's read
 * XENO_INVALID_PFN, also after the domain that set them is destroyed.
 * Why it matters: other kernels translate machine to pseudo-physical through
 * the M2P; a forged or stale entry makes them treat a frame as their own.
 */
#include <pt.h>

const char test_title[] = "mem-m2p-update: MMU_MACHPHYS_UPDATE of frames not ours, bad pfns";

static void attack(void)
{
	uint32_t max = (uint32_t)HYPERCALL2(memory_op, XENO_MEMOP_maximum_reservation,
					    &(uint32_t){ XENO_DOMID_SELF });
	uint32_t victim = hostile_arg("victim", 0), vl1 = hostile_arg("victim_l1", 0);
	uint32_t *page = alloc_page(), own = virt_to_mfn(page), pfn = virt_to_pfn(page);
	uint32_t si = start_info->shared_info_mfn, done = 9;
	const uint32_t foreign[] = { victim, vl1, hypervisor_mfn(), l2_table()[HV_SLOT] >> 12,
				     max_machine_frame(), 0xfffff, 0 };
	struct xeno_mmu_update two[2] = {
		{ mmu_ptr(own << PAGE_SHIFT, XENO_MMU_MACHPHYS_UPDATE), 3 },
		{ mmu_ptr(victim << PAGE_SHIFT, XENO_MMU_MACHPHYS_UPDATE), 3 },
	};

	CHECK(victim && vl1, "no bystander frames");
	for (unsigned int i = 0; i < ARRAY_SIZE(foreign); i++) {
		uint32_t before = m2p[foreign[i]];

		EXPECT_EQ(machphys(foreign[i], 1), -XENO_EPERM);
		EXPECT_EQ(machphys(foreign[i], XENO_INVALID_PFN), -XENO_EPERM);
		EXPECT_EQ(m2p[foreign[i]], before);
	}
	/* A batch stops at the foreign frame; the one before stands. */
	EXPECT_EQ(HYPERCALL4(mmu_update, two, 2, &done, XENO_DOMID_SELF), -XENO_EPERM);
	EXPECT_EQ(done, 1);
	EXPECT_EQ(m2p[own], 3);

	/* Our own frames: only pfns below max_pages, or invalid. */
	EXPECT_EQ(max, start_info->nr_pages);
	EXPECT_EQ(machphys(own, max), -XENO_EINVAL);
	EXPECT_EQ(machphys(own, max + 1), -XENO_EINVAL);
	EXPECT_EQ(machphys(own, 0xfffffffe), -XENO_EINVAL);
	EXPECT_EQ(machphys(own, 0x80000000), -XENO_EINVAL);
	EXPECT_EQ(m2p[own], 3);
	EXPECT_EQ(machphys(own, max - 1), 0);
	EXPECT_EQ(m2p[own], max - 1);
	EXPECT_EQ(machphys(own, XENO_INVALID_PFN), 0);
	EXPECT_EQ(m2p[own], XENO_INVALID_PFN);
	/* ptr's offset bits are ignored: the entry of the frame. */
	EXPECT_EQ(mmu_update1(mmu_ptr((own << PAGE_SHIFT) | 0xabc, XENO_MMU_MACHPHYS_UPDATE), pfn),
		  0);
	EXPECT_EQ(m2p[own], pfn);
	/* A page table is ours too. */
	EXPECT_EQ(machphys(cur_l2_mfn(), 5), 0);
	EXPECT_EQ(machphys(cur_l2_mfn(), virt_to_pfn(l2_table())), 0);
	EXPECT_EQ(m2p[cur_l2_mfn()], virt_to_pfn(l2_table()));

	/* shared_info is ours while we live: leave a mark for after our death. */
	EXPECT_EQ(m2p[si], XENO_INVALID_PFN);
	EXPECT_EQ(machphys(si, 5), 0);
	EXPECT_EQ(m2p[si], 5);
	attacker_report("shared_info_mfn", si);
	attacker_report("own_mfn", own);
	EXPECT_EQ(machphys(own, 6), 0);		/* a stale entry the destroy must clear */
}

/* Supervisor: the attacker's frames are free now, shared_info included. */
static void after(void)
{
	uint32_t si = attacker_reported("shared_info_mfn", 0);
	uint32_t own = attacker_reported("own_mfn", 0);

	CHECK(si && own, "the attacker did not report its frames");
	if (si && m2p[si] != XENO_INVALID_PFN)
		xtf_failure("the destroyed attacker's shared_info frame %#x: M2P still %#x", si,
			    m2p[si]);
	if (own && m2p[own] != XENO_INVALID_PFN)
		xtf_failure("the destroyed attacker's frame %#x: M2P still %#x", own, m2p[own]);
}

const struct hostile hostile = { .where = IN_DOMU, .attack = attack, .after = after };
