/* SPDX-License-Identifier: MIT */
/*
 * trap-emul-fetch: faults the hypervisor emulates, taken in code segments
 * whose base is not 0: a soft "int $0x41" in ring 3, port input and a
 * page-table store (writable-page-table assist) in ring 1; and a port
 * input just past the code segment's limit.  At linear address EIP (the
 * offset, not base + offset) lies a supervisor-only page of zeros.
 *
 * Rule (abi.md 5.8, 4.4): the instruction the hypervisor emulates is the
 * one the CPU ran: fetched at CS.base + EIP, within CS's limit, and with
 * the faulting ring's rights (ring 3: user pages only); what cannot be
 * fetched that way is not emulated, the fault goes to the guest.
 * Why it matters: fetching at linear EIP with ring-0 rights emulates an
 * instruction the CPU did not run (here: none of the three is emulated,
 * and the guest gets faults it should not), and lets ring 3 test bytes of
 * supervisor-only pages: whether the emulator takes them for "int $0x41"
 * is an oracle.  Past the limit the CPU refuses to fetch (Bochs, real
 * CPUs); the emulator must refuse too.
 */
#include <pt.h>
#include <seg.h>

const char test_title[] = "trap-emul-fetch: emulated instructions in based code segments";

#define SOFT_VEC	0x41
#define OUT_OF_LIMIT	0x1000		/* the first offset past a 4 KiB limit */

/* X: supervisor-only zeros; code: two pages of code, 4 KiB above X. */
static struct {
	uint8_t x[PAGE_SIZE];
	uint8_t code[2 * PAGE_SIZE];
} pages __attribute__((aligned(PAGE_SIZE)));

extern char based_back[], ring3_exit[], trap_stubs[];
uint32_t go_ptr[2], back_ptr[2];

/*
 * uint32_t run_based(sel, off, eax, ebx): far jump to sel:off with EAX and
 * EBX set, EDX = port 0x70 and ECX = &back_ptr (the code there ends with
 * "ljmp *(%ecx)"); returns EAX as it comes back to based_back.
 */
asm(".text\n.globl run_based, based_back\nrun_based:\n"
    " push %ebx\n push %esi\n push %edi\n push %ebp\n"
    " mov 20(%esp), %ecx\n mov 24(%esp), %edx\n mov %edx, go_ptr\n mov %ecx, go_ptr+4\n"
    " mov 28(%esp), %eax\n mov 32(%esp), %ebx\n mov $0x70, %edx\n mov $back_ptr, %ecx\n"
    " ljmp *go_ptr\n"
    "based_back:\n pop %ebp\n pop %edi\n pop %esi\n pop %ebx\n ret\n");
uint32_t run_based(uint32_t sel, uint32_t off, uint32_t eax, uint32_t ebx);

static volatile uint32_t gp_eip, gp_seen, soft_seen;

/* A #GP or #PF in a based ring-1 segment: note it and go back to based_back. */
static bool on_gp(struct gregs *r)
{
	if ((r->cs & 0xffff) == XENO_FLAT_RING1_CS || (r->cs & 3) == 3)
		return false;
	gp_seen++, gp_eip = r->eip;
	r->eip = (uint32_t)based_back;
	r->cs = XENO_FLAT_RING1_CS | (r->cs & 0xffff0000);
	r->eax = 0xdead;
	return true;
}

static bool on_ring3(struct gregs *r)
{
	if ((r->cs & 3) != 3)
		return false;
	if (r->vector == SOFT_VEC)
		soft_seen++;
	else
		gp_seen++;
	r->eip = (uint32_t)ring3_exit;
	r->cs = XENO_FLAT_RING1_CS | (r->cs & 0xffff0000);
	return true;
}

static void put(uint8_t *at, const char *bytes, unsigned int n)
{
	memcpy(at, bytes, n);
}

/* Ring 3 jumps to the based segment at offset X: "int $0x41" runs at code. */
static uint32_t ring3_soft(uint32_t sel, uint32_t off)
{
	return far_jmp(sel, off);
}

static void soft_int_case(void)
{
	struct xeno_trap_info t[2] = {
		{ SOFT_VEC, XENO_TI_MASK_EVENTS | 3, XENO_FLAT_RING1_CS,
		  (uint32_t)trap_stubs + SOFT_VEC * 16 }, { 0, 0, 0, 0 } };

	put(pages.code, "\xcd\x41", 2);
	CHECK(HYPERCALL1(set_trap_table, t) == 0, "cannot register vector %#x", SOFT_VEC);
	set_trap_hook(SOFT_VEC, on_ring3);
	set_trap_hook(13, on_ring3);
	soft_seen = gp_seen = 0;
	ring3_call2(ring3_soft, LDT_SEL(0, 3), (uint32_t)pages.x);
	printf("ring 3, based CS, int $%#x: handler ran %u times, #GP %u times\n", SOFT_VEC,
	       soft_seen, gp_seen);
	CHECK(soft_seen == 1 && gp_seen == 0, "ring 3 int $%#x in a based segment: handler %u, "
	      "#GP %u; expected the handler once", SOFT_VEC, soft_seen, gp_seen);
	set_trap_hook(13, on_gp);
}

static void port_case(void)
{
	uint32_t eax;

	put(pages.code, "\xec\xff\x29", 3);		/* in (%dx), %al; ljmp *(%ecx) */
	gp_seen = 0;
	eax = run_based(LDT_SEL(1, 1), (uint32_t)pages.x, 0x12345600, 0);
	CHECK(gp_seen == 0 && eax == 0x123456ff, "ring 1 in dx in a based segment: #GP %u, "
	      "EAX %08x; expected it emulated (EAX 123456ff)", gp_seen, eax);
}

static void ptwr_case(void)
{
	uint32_t va = spare_va(), *entry = pte_of(va), old = *entry;
	uint32_t want = (old & ~(PTE_RW | PTE_A | PTE_D)) | PTE_P;

	put(pages.code, "\x89\x03\xff\x29", 4);		/* mov %eax, (%ebx); ljmp *(%ecx) */
	gp_seen = 0;
	wpt_assist(true);
	run_based(LDT_SEL(1, 1), (uint32_t)pages.x, want, (uint32_t)entry);
	wpt_assist(false);
	CHECK(gp_seen == 0 && *entry == want, "page-table store in a based segment: entry %08x, "
	      "expected %08x (#GP %u)", *entry, want, gp_seen);
	CHECK(update_va((void *)va, old, XENO_UVMF_INVLPG) == 0, "cannot put the entry back");
}

static void limit_case(void)
{
	uint8_t *end = pages.code + PAGE_SIZE;	/* offset OUT_OF_LIMIT in segment 2 */
	uint32_t eax;

	put(end - 1, "\x90\xec\xff\x29", 4);	/* nop | in (%dx), %al; ljmp *(%ecx) */
	gp_seen = 0;
	eax = run_based(LDT_SEL(2, 1), OUT_OF_LIMIT - 1, 0x12345600, 0);
	printf("ring 1, in dx past the code segment's limit: #GP %u at %08x, EAX %08x\n",
	       gp_seen, gp_eip, eax);
	CHECK(gp_seen == 1 && gp_eip == OUT_OF_LIMIT, "in dx past the limit: #GP %u at %08x; "
	      "expected one at %08x, nothing emulated", gp_seen, gp_eip, OUT_OF_LIMIT);
}

static void attack(void)
{
	struct desc *ldt = dtab_page();
	uint32_t base = (uint32_t)pages.code - (uint32_t)pages.x;
	uint32_t lim_base = (uint32_t)pages.code + PAGE_SIZE - OUT_OF_LIMIT;

	user_image();
	/* X is supervisor-only again: ring 3 may not read it, nor make us read it. */
	CHECK(update_va(pages.x, *pte_of((uint32_t)pages.x) & ~PTE_US, XENO_UVMF_INVLPG) == 0,
	      "cannot make X supervisor-only");
	ldt[0] = mkdesc(base, 0xfffff, T_CODE_RX | T_ACCESSED, 3, SEG32);
	ldt[1] = mkdesc(base, 0xfffff, T_CODE_RX | T_ACCESSED, 1, SEG32);
	ldt[2] = mkdesc(lim_base, OUT_OF_LIMIT - 1, T_CODE_RX | T_ACCESSED, 1, BYTES32);
	back_ptr[0] = (uint32_t)based_back, back_ptr[1] = XENO_FLAT_RING1_CS;
	if (ldt_load(ldt, 3)) {
		xtf_error("cannot load the LDT of based code segments");
		return;
	}
	set_trap_hook(13, on_gp);
	set_trap_hook(14, on_gp);
	port_case();
	ptwr_case();
	limit_case();
	soft_int_case();
	CHECK(ldt_unload(ldt) == 0, "cannot drop the LDT");
}

const struct hostile hostile = { .where = IN_DOMU, .attack = attack };
