/* SPDX-License-Identifier: MIT */
/*
 * mem-decrease-special: give back, with decrease_reservation, frames the
 * hypervisor or the CPU still use: a GDT frame and an LDT frame whose virtual
 * addresses we unmapped, our shared_info frame (mapped and not), pages mapped
 * read-only or writable; frames that are not ours (the bystander's canary, L1
 * and L2, the hypervisor's, past RAM); the same frame twice in one list; for
 * the bystander's domain id; with extent lists in the hypervisor.
 *
 * Rule (abi.md 5.7, 6.10): a frame still referenced (mapped, GDT/LDT,
 * shared_info) is -EBUSY, a frame not the target's (or not RAM) -EPERM, a
 * domain id not ours -ESRCH, an unreadable list -EFAULT; a list stops at the
 * first that cannot go; nothing else changes.
 * Why it matters: a freed descriptor page or shared_info page is still
 * written by the CPU or the hypervisor after it went to someone else; freeing
 * another domain's frame takes its memory away.
 */
#include <pt.h>

const char test_title[] = "mem-decrease-special: giving back GDT, LDT, shared_info, foreign frames";

#define DEC	XENO_MEMOP_decrease_reservation

static void attack(void)
{
	uint32_t *g = alloc_table(), gm = virt_to_mfn(g), *l = alloc_table(), lm = virt_to_mfn(l);
	uint32_t *ro = alloc_table(), *rw = alloc_page(), *x = alloc_page(), xm = virt_to_mfn(x);
	uint32_t si = start_info->shared_info_mfn, si_va = (uint32_t)shared_info;
	uint32_t si_pte = *pte_of(si_va), nr = cur_reservation(), list[2];
	uint32_t by = hostile_arg("bystander", 0);
	const uint32_t foreign[] = { hostile_arg("victim", 0), hostile_arg("victim_l1", 0),
				     hostile_arg("victim_l2", 0), hypervisor_mfn(),
				     l2_table()[HV_SLOT] >> PAGE_SHIFT, max_machine_frame(), 0 };

	CHECK(by && foreign[0], "no bystander");
	/* Descriptor pages, held by the GDT/LDT alone. */
	EXPECT_EQ(set_gdt1(gm, 512), 0);
	EXPECT_EQ(set_ldt((uint32_t)l, 512), 0);
	EXPECT_EQ(update_va(g, 0, XENO_UVMF_INVLPG), 0);
	EXPECT_EQ(update_va(l, 0, XENO_UVMF_INVLPG), 0);
	EXPECT_EQ(decrease1(gm), -XENO_EBUSY);
	EXPECT_EQ(decrease1(lm), -XENO_EBUSY);
	/* shared_info, mapped by us, then held by the hypervisor alone. */
	EXPECT_EQ(decrease1(si), -XENO_EBUSY);
	EXPECT_EQ(update_va((void *)si_va, 0, XENO_UVMF_INVLPG), 0);
	EXPECT_EQ(decrease1(si), -XENO_EBUSY);
	EXPECT_EQ(update_va((void *)si_va, si_pte, XENO_UVMF_INVLPG), 0);
	EXPECT_EQ(*pte_of(si_va), si_pte);
	EXPECT_EQ(HYPERCALL2(xeno_version, XENO_VERSION_VERSION, 0), XENO_INTERFACE_VERSION);
	/* Plain mappings. */
	EXPECT_EQ(decrease1(virt_to_mfn(ro)), -XENO_EBUSY);
	EXPECT_EQ(decrease1(virt_to_mfn(rw)), -XENO_EBUSY);
	/* Not ours. */
	for (unsigned int i = 0; i < ARRAY_SIZE(foreign); i++)
		if (decrease1(foreign[i]) != -XENO_EPERM)
			xtf_failure("decrease of frame %#x: not -EPERM", foreign[i]);
	EXPECT_EQ(reservation_op(DEC, list, 1, by), -XENO_ESRCH);
	EXPECT_EQ(reservation_op(DEC, (uint32_t *)XENO_HYPERVISOR_VIRT_START, 1, XENO_DOMID_SELF),
		  -XENO_EFAULT);
	EXPECT_EQ(reservation_op(DEC, (uint32_t *)0xfffffffeu, 1, XENO_DOMID_SELF), -XENO_EFAULT);
	EXPECT_EQ(cur_reservation(), nr);
	/* The same frame twice: freed once, then it is not ours. */
	EXPECT_EQ(update_va(x, 0, XENO_UVMF_INVLPG), 0);
	list[0] = list[1] = xm;
	EXPECT_EQ(reservation_op(DEC, list, 2, XENO_DOMID_SELF), 1);
	EXPECT_EQ(cur_reservation(), nr - 1);
	EXPECT_EQ(decrease1(xm), -XENO_EPERM);
	/* A free frame behind a busy one stays. */
	list[0] = gm, list[1] = virt_to_mfn(alloc_page());
	EXPECT_EQ(update_va(pfn_to_virt(m2p[list[1]]), 0, XENO_UVMF_INVLPG), 0);
	EXPECT_EQ(reservation_op(DEC, list, 2, XENO_DOMID_SELF), -XENO_EBUSY);
	EXPECT_EQ(cur_reservation(), nr - 1);

	/* Given up, the descriptor pages may go. */
	EXPECT_EQ(set_gdt1(0, 0), 0);
	EXPECT_EQ(set_ldt(0, 0), 0);
	list[0] = gm, list[1] = lm;
	EXPECT_EQ(reservation_op(DEC, list, 2, XENO_DOMID_SELF), 2);
	EXPECT_EQ(cur_reservation(), nr - 3);
	rw[0] = 1;
	EXPECT_EQ(rw[0], 1);
}

const struct hostile hostile = { .where = IN_DOMU, .attack = attack };
