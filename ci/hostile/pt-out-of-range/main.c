/* SPDX-License-Identifier: MIT */
/*
 * pt-out-of-range: name frames that are not RAM or not anybody's: past the
 * end of RAM (just past it, 2 GiB, the last frame of 4 GiB), the local and
 * I/O APIC, the VGA hole and the BIOS area below 1 MiB; in L1 and L2 entries,
 * pins, unpins, CR3, GDT frames, update_descriptor, the ptr of mmu_update
 * (both commands) and decrease_reservation.
 *
 * Rule (abi.md 5.1, 6.1, 6.2, 6.9, 6.10, 6.18): a frame outside the caller's
 * RAM cannot be referenced: -EPERM everywhere, nothing changes, and the
 * hypervisor never indexes its frame table with the number.
 * Why it matters: device memory (the APICs) or BIOS data in a guest's page
 * tables controls the machine; a frame number past the frame table would make
 * the hypervisor read or write its own memory at a guest-chosen offset.
 */
#include <pt.h>

const char test_title[] = "pt-out-of-range: frames that are not RAM";

static void attack(void)
{
	uint32_t end = max_machine_frame();
	const uint32_t frames[] = { end, end + 1, 0x7ffff, 0xfffff, 0xfee00, 0xfec00, 0xa0, 0xb8,
				    0x9f, 0 };
	char what[64];

	CHECK(end > 256 && end < 0x100000, "no end of RAM found (%#x)", end);
	printf("RAM ends at frame %#x (M2P granularity)\n", end);
	for (unsigned int i = 0; i < ARRAY_SIZE(frames); i++) {
		uint32_t f = frames[i], ma = f << PAGE_SHIFT;

		snprintf(what, sizeof(what), "frame %#x read-only", f);
		expect_pte_refused(what, mkpte(f, PTE_RO_FLAGS), -XENO_EPERM);
		snprintf(what, sizeof(what), "frame %#x writable", f);
		expect_pte_refused(what, mkpte(f, PTE_RW_FLAGS | PTE_PCD | PTE_PWT), -XENO_EPERM);
		snprintf(what, sizeof(what), "frame %#x as an L1", f);
		expect_l2e_refused(what, mkpte(f, L2E_FLAGS), -XENO_EPERM);
		EXPECT_EQ(pin(XENO_MMUEXT_PIN_L1_TABLE, f), -XENO_EPERM);
		EXPECT_EQ(pin(XENO_MMUEXT_PIN_L2_TABLE, f), -XENO_EPERM);
		EXPECT_EQ(unpin(f), -XENO_EPERM);
		EXPECT_EQ(new_baseptr(f), -XENO_EPERM);
		EXPECT_EQ(set_gdt1(f, 16), -XENO_EPERM);
		EXPECT_EQ(HYPERCALL3(update_descriptor, ma + 8, 0, 0), -XENO_EPERM);
		EXPECT_EQ(mmu_update1(mmu_ptr(ma + 4, XENO_MMU_NORMAL_PT_UPDATE), 0), -XENO_EPERM);
		EXPECT_EQ(mmu_update1(mmu_ptr(ma, XENO_MMU_MACHPHYS_UPDATE), 0), -XENO_EPERM);
		EXPECT_EQ(decrease1(f), -XENO_EPERM);
	}
	EXPECT_EQ(cur_reservation(), start_info->nr_pages);
	EXPECT_EQ(m2p[0xa0], XENO_INVALID_PFN);
	EXPECT_EQ(m2p[end], XENO_INVALID_PFN);
}

const struct hostile hostile = { .where = IN_DOMU, .attack = attack };
