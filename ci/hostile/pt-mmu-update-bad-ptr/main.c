/* SPDX-License-Identifier: MIT */
/*
 * pt-mmu-update-bad-ptr: mmu_update requests whose ptr names the wrong place:
 * an entry of the bystander's L1, a hypervisor frame (its image, the M2P's
 * L1), our own frames that are no table in use (data, read-only data, a GDT
 * frame, shared_info, an L1 out of use); commands 2 and 3; and bad batches:
 * count > 4096, reqs or done in the hypervisor or unwritable (also done on a
 * page-table page with the assist on), a foreign domid; the same batch rules
 * for mmuext_op.
 *
 * Rule (abi.md 6.1, 6.18): ptr in a frame not ours: -EPERM; ours but not an
 * L1/L2 in use, or command 2/3: -EINVAL; count > 4096: -E2BIG and foreign
 * domid: -EPERM, both with nothing done; unreadable reqs: -EFAULT, the ones
 * before applied, done says how many; unwritable done: -EFAULT (the requests
 * stand), and the hypervisor's fault on it is never "emulated" into a
 * page-table write.
 * Why it matters: ptr is a machine address: if the owner and type checks
 * failed, a guest would write any word of memory.
 */
#include <pt.h>

const char test_title[] = "pt-mmu-update-bad-ptr: mmu_update at the wrong machine address";

#define SELF	XENO_DOMID_SELF

static struct xeno_mmu_update big[XENO_MMU_MAX_BATCH + 1];

static long batch(const void *reqs, uint32_t count, uint32_t done, uint32_t dom)
{
	return HYPERCALL4(mmu_update, reqs, count, done, dom);
}

static void attack(void)
{
	uint32_t va = spare_va(), *e = pte_of(va), ma = pte_maddr(va), old = *e;
	uint32_t *d = alloc_page(), dm = virt_to_mfn(d), *ro = alloc_table();
	uint32_t *g = alloc_table(), *t = alloc_table(), tm = virt_to_mfn(t);
	uint32_t *edge = alloc_page(), done, other = mkpte(dm, PTE_RO_FLAGS);
	const struct { const char *what; uint32_t ptr; long rc; } bad[] = {
		{ "the bystander's L1", hostile_arg("victim_l1", 0) << PAGE_SHIFT, -XENO_EPERM },
		{ "the bystander's canary", hostile_arg("victim", 0) << PAGE_SHIFT, -XENO_EPERM },
		{ "the hypervisor image", hypervisor_mfn() << PAGE_SHIFT, -XENO_EPERM },
		{ "the M2P's L1", l2_table()[HV_SLOT] & ~0xfffu, -XENO_EPERM },
		{ "our data page", dm << PAGE_SHIFT, -XENO_EINVAL },
		{ "our read-only page", virt_to_maddr(ro), -XENO_EINVAL },
		{ "our GDT frame", virt_to_maddr(g), -XENO_EINVAL },
		{ "our shared_info", start_info->shared_info_mfn << PAGE_SHIFT, -XENO_EINVAL },
		{ "our L1 out of use", tm << PAGE_SHIFT, -XENO_EINVAL },
		{ "command 2", ma | 2, -XENO_EINVAL },
		{ "command 3", ma | 3, -XENO_EINVAL },
	};

	CHECK(bad[0].ptr && bad[1].ptr, "no bystander frames");
	EXPECT_EQ(set_gdt1(virt_to_mfn(g), 512), 0);
	EXPECT_EQ(pin(XENO_MMUEXT_PIN_L1_TABLE, tm), 0);
	EXPECT_EQ(unpin(tm), 0);
	for (unsigned int i = 0; i < ARRAY_SIZE(bad); i++) {
		long rc = mmu_update1(bad[i].ptr + 8, other);

		if (rc != bad[i].rc)
			xtf_failure("ptr in %s: %ld, expected %ld", bad[i].what, rc, bad[i].rc);
	}
	CHECK(ro[2] == 0 && t[2] == 0 && g[2] == 0 && d[2] == 0, "a refused update was written");
	EXPECT_EQ(*e, old);
	EXPECT_EQ(set_gdt1(0, 0), 0);

	/* Batches refused whole. */
	for (unsigned int i = 0; i <= XENO_MMU_MAX_BATCH; i++)
		big[i] = (struct xeno_mmu_update){ ma, other };
	done = 77;
	EXPECT_EQ(batch(big, XENO_MMU_MAX_BATCH + 1, (uint32_t)&done, XENO_DOMID_SELF),
		  -XENO_E2BIG);
	EXPECT_EQ(batch(big, 0xffffffffu, (uint32_t)&done, XENO_DOMID_SELF), -XENO_E2BIG);
	EXPECT_EQ(batch(big, 1, (uint32_t)&done, hostile_arg("bystander", 1)), -XENO_EPERM);
	EXPECT_EQ(batch(big, 1, (uint32_t)&done, 0), -XENO_EPERM);
	EXPECT_EQ(batch(big, 1, (uint32_t)&done, XENO_DOMID_SELF + 1), -XENO_EPERM);
	EXPECT_EQ(done, 77);
	EXPECT_EQ(*e, old);
	/* Unreadable requests. */
	EXPECT_EQ(batch((void *)XENO_HYPERVISOR_VIRT_START, 1, (uint32_t)&done, XENO_DOMID_SELF),
		  -XENO_EFAULT);
	EXPECT_EQ(done, 0);
	EXPECT_EQ(batch((void *)0xfffffff8u, 2, (uint32_t)&done, XENO_DOMID_SELF), -XENO_EFAULT);
	EXPECT_EQ(done, 0);
	{	/* the second request on an unmapped page: the first stands */
		struct xeno_mmu_update *r = (void *)((uint32_t)edge + PAGE_SIZE - sizeof(*r));
		uint32_t next = (uint32_t)edge + PAGE_SIZE, next_pte = *pte_of(next);

		*r = (struct xeno_mmu_update){ ma, other };
		EXPECT_EQ(update_va((void *)next, 0, XENO_UVMF_INVLPG), 0);
		EXPECT_EQ(batch(r, 2, (uint32_t)&done, XENO_DOMID_SELF), -XENO_EFAULT);
		EXPECT_EQ(done, 1);
		EXPECT_EQ(*e, other);
		EXPECT_EQ(mmu_update1(ma, old), 0);
		EXPECT_EQ(update_va((void *)next, next_pte, XENO_UVMF_INVLPG), 0);
	}
	/* Unwritable done: the requests stand, the result is -EFAULT. */
	EXPECT_EQ(batch(big, 1, XENO_HYPERVISOR_VIRT_START, XENO_DOMID_SELF), -XENO_EFAULT);
	EXPECT_EQ(*e, other);
	EXPECT_EQ(mmu_update1(ma, old), 0);
	EXPECT_EQ(batch(big, 1, 0xfffffffeu, XENO_DOMID_SELF), -XENO_EFAULT);
	EXPECT_EQ(mmu_update1(ma, old), 0);
	EXPECT_EQ(batch(big, 1, (uint32_t)ro, XENO_DOMID_SELF), -XENO_EFAULT);
	EXPECT_EQ(ro[0], 0);
	EXPECT_EQ(mmu_update1(ma, old), 0);
	/* done on our L2 with the assist on: -EFAULT, the L2 untouched. */
	wpt_assist(true);
	EXPECT_EQ(batch(big, 1, (uint32_t)&l2_table()[FREE_SLOT], XENO_DOMID_SELF), -XENO_EFAULT);
	EXPECT_EQ(batch(big, 1, (uint32_t)pte_of(va), XENO_DOMID_SELF), -XENO_EFAULT);
	wpt_assist(false);
	EXPECT_EQ(l2_table()[FREE_SLOT], 0);
	EXPECT_EQ(*e, other);
	EXPECT_EQ(mmu_update1(ma, old), 0);

	/* mmuext_op: the same batch rules. */
	{
		struct xeno_mmuext_op ops[2] = { { XENO_MMUEXT_TLB_FLUSH_LOCAL, 0, 0 },
						 { 99, 0, 0 } };

		done = 77;
		EXPECT_EQ(HYPERCALL4(mmuext_op, ops, XENO_MMU_MAX_BATCH + 1, &done, SELF),
			  -XENO_E2BIG);
		EXPECT_EQ(HYPERCALL4(mmuext_op, ops, 1, &done, 0), -XENO_EPERM);
		EXPECT_EQ(done, 77);
		EXPECT_EQ(HYPERCALL4(mmuext_op, ops, 2, &done, XENO_DOMID_SELF), -XENO_ENOSYS);
		EXPECT_EQ(done, 1);
		EXPECT_EQ(HYPERCALL4(mmuext_op, XENO_HYPERVISOR_VIRT_START, 1, &done, SELF),
			  -XENO_EFAULT);
		EXPECT_EQ(done, 0);
		EXPECT_EQ(HYPERCALL4(mmuext_op, ops, 1, XENO_HYPERVISOR_VIRT_START, SELF),
			  -XENO_EFAULT);
	}
	EXPECT_EQ(*e, old);
	*(volatile uint32_t *)va = 3;
	EXPECT_EQ(*(volatile uint32_t *)va, 3);
}

const struct hostile hostile = { .where = IN_DOMU, .attack = attack };
