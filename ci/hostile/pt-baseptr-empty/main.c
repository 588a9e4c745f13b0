/* SPDX-License-Identifier: MIT */
/*
 * pt-baseptr-empty: load an L2 that maps nothing of ours as CR3
 * (MMUEXT_NEW_BASEPTR to a zeroed page): the hypercall returns into an
 * address space without the guest's code, stack or trap handlers.
 *
 * Rule (abi.md 5.4, 4.2, 8): NEW_BASEPTR accepts any valid L2 of the caller;
 * what follows is the guest's problem: the #PF on its next instruction cannot
 * be bounced (no stack), so the domain is killed with "cannot write a frame
 * for vector 14", once, and its memory, including the L2 still in CR3, all
 * comes back when it is destroyed.
 * Why it matters: the hypervisor must neither fault on the missing guest
 * stack, nor loop on the guest's #PF, nor leak or panic over a table held
 * only by a dead vCPU's CR3.
 */
#include <pt.h>

const char test_title[] = "pt-baseptr-empty: CR3 switched to an empty address space";

static void attack(void)
{
	uint32_t *empty = alloc_table();

	new_baseptr(virt_to_mfn(empty));
}

const struct hostile hostile = {
	.where = IN_DOMU,
	.crash = "cannot write a frame for vector 14",
	.attack = attack,
};
