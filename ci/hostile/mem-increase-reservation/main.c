/* SPDX-License-Identifier: MIT */
/*
 * mem-increase-reservation: grow past max_pages (one request, many extents,
 * again and again); write the new frames' numbers into the hypervisor, past 4
 * GiB, into a read-only page, across the end of a mapping; ask for more than
 * 2^20 extents; and grow, shrink or query the bystander and Domain0.
 *
 * Rule (abi.md 5.7, 6.10): increase_reservation stops at max_pages (returns
 * how many it gave, 0 at the limit); an unwritable first slot is -EFAULT and
 * a later one ends the call with the count so far, the frame that could not
 * be reported freed again; nr_extents > 2^20 is -E2BIG; another domain is
 * -ESRCH for an unprivileged caller.  New frames are ours, zeroed, with M2P
 * entries XENO_INVALID_PFN.
 * Why it matters: a domain that can grow past its limit starves the others; a
 * frame allocated but never reported is lost to everyone; frames of another
 * domain or with old contents leak data.
 */
#include <pt.h>

const char test_title[] = "mem-increase-reservation: past max_pages, bad extent lists";

#define INC	XENO_MEMOP_increase_reservation
#define DEC	XENO_MEMOP_decrease_reservation
#define SELF	XENO_DOMID_SELF
#define SPARE	8

static uint32_t got[64];

/* n pages of ours, unmapped and handed back: room below max_pages. */
static void give_back(unsigned int n)
{
	for (unsigned int i = 0; i < n; i++) {
		void *p = alloc_page();
		uint32_t m = virt_to_mfn(p);

		EXPECT_EQ(update_va(p, 0, XENO_UVMF_INVLPG), 0);
		EXPECT_EQ(decrease1(m), 1);
	}
}

/* A new frame must be ours, zeroed, M2P invalid; mapped at va to look. */
static void check_new(uint32_t m, uint32_t va)
{
	uint32_t sum = 0;

	EXPECT_EQ(m2p[m], XENO_INVALID_PFN);
	EXPECT_EQ(update_va((void *)va, mkpte(m, PTE_RW_FLAGS), XENO_UVMF_INVLPG), 0);
	for (unsigned int i = 0; i < PAGE_SIZE / 4; i++)
		sum |= ((volatile uint32_t *)va)[i];
	EXPECT_EQ(sum, 0);
	EXPECT_EQ(update_va((void *)va, 0, XENO_UVMF_INVLPG), 0);
}

static void attack(void)
{
	uint32_t nr = start_info->nr_pages, va = spare_va(), by = hostile_arg("bystander", 0);
	uint32_t *ro = alloc_table(), *edge = alloc_page(), next, next_pte;
	uint32_t max = (uint32_t)HYPERCALL2(memory_op, XENO_MEMOP_maximum_reservation,
					    &(uint32_t){ SELF });

	EXPECT_EQ(max, nr);
	EXPECT_EQ(cur_reservation(), nr);
	EXPECT_EQ(reservation_op(INC, got, 1, SELF), 0);		/* at the limit */
	EXPECT_EQ(reservation_op(INC, got, 64, SELF), 0);

	/* Room for SPARE: asking for 64 gives SPARE, then nothing. */
	give_back(SPARE);
	EXPECT_EQ(cur_reservation(), nr - SPARE);
	EXPECT_EQ(reservation_op(INC, got, 64, SELF), SPARE);
	EXPECT_EQ(cur_reservation(), nr);
	EXPECT_EQ(reservation_op(INC, got + SPARE, 64 - SPARE, SELF), 0);
	for (unsigned int i = 0; i < SPARE; i++)
		check_new(got[i], va);

	/* Unwritable extent lists: nothing allocated, nothing lost. */
	EXPECT_EQ(reservation_op(DEC, got, SPARE, SELF), SPARE);
	EXPECT_EQ(reservation_op(INC, (uint32_t *)XENO_HYPERVISOR_VIRT_START, 4, SELF),
		  -XENO_EFAULT);
	EXPECT_EQ(reservation_op(INC, (uint32_t *)0xfffffffcu, 4, SELF), -XENO_EFAULT);
	EXPECT_EQ(reservation_op(INC, ro, 4, SELF), -XENO_EFAULT);
	EXPECT_EQ(ro[0], 0);
	EXPECT_EQ(cur_reservation(), nr - SPARE);
	/* The second slot unmapped: one given, the second frame freed again. */
	next = (uint32_t)edge + PAGE_SIZE;
	next_pte = *pte_of(next);
	EXPECT_EQ(update_va((void *)next, 0, XENO_UVMF_INVLPG), 0);
	EXPECT_EQ(reservation_op(INC, (uint32_t *)(next - 4), 4, SELF), 1);
	EXPECT_EQ(cur_reservation(), nr - SPARE + 1);
	check_new(*(uint32_t *)(next - 4), va);
	EXPECT_EQ(update_va((void *)next, next_pte, XENO_UVMF_INVLPG), 0);
	/* Too many extents. */
	EXPECT_EQ(reservation_op(INC, got, (1u << 20) + 1, SELF), -XENO_E2BIG);
	EXPECT_EQ(reservation_op(INC, got, 0xffffffffu, SELF), -XENO_E2BIG);
	EXPECT_EQ(reservation_op(DEC, got, 0xffffffffu, SELF), -XENO_E2BIG);
	EXPECT_EQ(cur_reservation(), nr - SPARE + 1);

	/* Other domains: not ours to grow, shrink or ask about. */
	CHECK(by, "no bystander id");
	EXPECT_EQ(reservation_op(INC, got, 1, by), -XENO_ESRCH);
	EXPECT_EQ(reservation_op(INC, got, 1, 0), -XENO_ESRCH);
	EXPECT_EQ(reservation_op(INC, got, 1, XENO_DOMID_SELF + 1), -XENO_ESRCH);
	got[0] = hostile_arg("victim", 0);
	EXPECT_EQ(reservation_op(DEC, got, 1, by), -XENO_ESRCH);
	EXPECT_EQ(HYPERCALL2(memory_op, XENO_MEMOP_current_reservation, &by), -XENO_ESRCH);
	EXPECT_EQ(HYPERCALL2(memory_op, XENO_MEMOP_maximum_reservation, &(uint32_t){ 0 }),
		  -XENO_ESRCH);

	/* Back to the limit, and no further. */
	EXPECT_EQ(reservation_op(INC, got, 64, SELF), SPARE - 1);
	EXPECT_EQ(reservation_op(INC, got, 64, SELF), 0);
	EXPECT_EQ(cur_reservation(), nr);
}

const struct hostile hostile = { .where = IN_DOMU, .attack = attack };
