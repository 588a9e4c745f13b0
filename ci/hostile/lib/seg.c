/* SPDX-License-Identifier: MIT */
/*
 * Helpers for the hostile segment, trap and hypercall-argument tests (see
 * seg.h).  The probes run in ring 1 or in ring 3: ring3_call2() makes the
 * whole image user-accessible, so ring-3 code may call them and use globals.
 */
#include "seg.h"

/* ---- descriptor tables ---- */

struct desc *dtab_page(void)
{
	return alloc_page();
}

struct desc *dtab_fill(unsigned int n, struct desc d)
{
	struct desc *first = NULL;

	for (unsigned int i = 0; i < n; i++) {
		struct desc *page = alloc_page();

		if (!first)
			first = page;
		if (page != first + i * (PAGE_SIZE / sizeof(d)))
			xtf_error("descriptor pages are not consecutive");
		for (unsigned int j = 0; j < PAGE_SIZE / sizeof(d); j++)
			page[j] = d;
		if (page_set_ro(page, true))
			xtf_error("cannot map a descriptor page read-only");
	}
	return first;
}

long page_set_ro(const void *p, bool ro)
{
	uint32_t *pte = pte_of((uint32_t)p);

	if (!pte)
		return -XENO_EINVAL;
	return update_va(p, ro ? *pte & ~PTE_RW : *pte | PTE_RW, XENO_UVMF_INVLPG);
}

long gdt_load(struct desc *page, uint32_t ents)
{
	uint32_t mfn = virt_to_mfn(page);
	long rc = page_set_ro(page, true);

	return rc ? rc : HYPERCALL2(set_gdt, &mfn, ents);
}

long ldt_load(struct desc *page, uint32_t ents)
{
	long rc = page_set_ro(page, true);

	return rc ? rc : mmuext1(XENO_MMUEXT_SET_LDT, (uint32_t)page, ents);
}

long gdt_unload(struct desc *page)
{
	uint32_t mfn = 0;
	long rc = HYPERCALL2(set_gdt, &mfn, 0);

	return rc ? rc : page_set_ro(page, false);
}

long ldt_unload(struct desc *page)
{
	long rc = mmuext1(XENO_MMUEXT_SET_LDT, 0, 0);

	return rc ? rc : page_set_ro(page, false);
}

long desc_set(struct desc *page, unsigned int idx, struct desc d)
{
	return HYPERCALL3(update_descriptor, virt_to_maddr(&page[idx]), d.lo, d.hi);
}

uint32_t lsl(uint32_t sel)
{
	uint32_t limit = ~0u;

	asm volatile("lsl %1, %0" : "+r"(limit) : "r"(sel) : "cc");
	return limit;
}

uint32_t lar(uint32_t sel)
{
	uint32_t ar = ~0u;

	asm volatile("lar %1, %0" : "+r"(ar) : "r"(sel) : "cc");
	return ar;
}

/* ---- probes ---- */

uint32_t fs_read_value;

static uint32_t flat_ds(void)
{
	return cur_ring() == 3 ? XENO_FLAT_RING3_DS : XENO_FLAT_RING1_DS;
}

uint32_t sreg_load(uint32_t which, uint32_t sel)
{
	uint32_t ex = 0, flat = flat_ds();

	/* Fixed registers: the fix-up writes EAX, the restore must not use it. */
	if (which == SR_DS)
		asm volatile("1: mov %%ecx, %%ds\n2: mov %%edx, %%ds\n" ASM_EXTABLE(1b, 2b)
			     : "+a"(ex) : "c"(sel), "d"(flat) : "memory");
	else if (which == SR_ES)
		asm volatile("1: mov %%ecx, %%es\n2: mov %%edx, %%es\n" ASM_EXTABLE(1b, 2b)
			     : "+a"(ex) : "c"(sel), "d"(flat) : "memory");
	else if (which == SR_FS)
		asm volatile("1: mov %%ecx, %%fs\n2: mov %%edx, %%fs\n" ASM_EXTABLE(1b, 2b)
			     : "+a"(ex) : "c"(sel), "d"(0) : "memory");
	else if (which == SR_GS)
		asm volatile("1: mov %%ecx, %%gs\n2: mov %%edx, %%gs\n" ASM_EXTABLE(1b, 2b)
			     : "+a"(ex) : "c"(sel), "d"(0) : "memory");
	else
		asm volatile("1: mov %%ecx, %%ss\n2: mov %%edx, %%ss\n" ASM_EXTABLE(1b, 2b)
			     : "+a"(ex) : "c"(sel), "d"(flat) : "memory");
	return ex;
}

uint32_t fs_read(uint32_t sel, uint32_t off)
{
	uint32_t ex = 0, v = 0;

	asm volatile("1: mov %%ecx, %%fs\n"
		     "2: mov %%fs:(%%edx), %%esi\n"
		     "3: push $0\n pop %%fs\n"
		     ASM_EXTABLE(1b, 3b) ASM_EXTABLE(2b, 3b)
		     : "+a"(ex), "+S"(v) : "c"(sel), "d"(off) : "memory");
	fs_read_value = v;
	return ex;
}

uint32_t fs_write(uint32_t sel, uint32_t off)
{
	uint32_t ex = 0;

	asm volatile("1: mov %%ecx, %%fs\n"
		     "2: movl $0x5eed0bad, %%fs:(%%edx)\n"
		     "3: push $0\n pop %%fs\n"
		     ASM_EXTABLE(1b, 3b) ASM_EXTABLE(2b, 3b)
		     : "+a"(ex) : "c"(sel), "d"(off) : "memory");
	return ex;
}

/*
 * far_call(sel, off): lcall through a far pointer on the stack; a fault of
 * the lcall itself comes back as exinfo.  far_jmp(sel, off): ljmp; the
 * target far_jmp_back jumps back to the caller's CS.
 */
uint32_t far_jmp_cs;
asm(".text\n"
    ".globl far_call, far_ret_here, far_jmp, far_jmp_back\n"
    "far_call:\n"
    "	mov 4(%esp), %ecx\n	mov 8(%esp), %edx\n"
    "	push %ecx\n	push %edx\n"
    "	xor %eax, %eax\n"
    "1:	lcall *(%esp)\n"
    "2:	add $8, %esp\n"
    "	ret\n"
    "far_ret_here:\n"
    "	lret\n"
    "far_jmp:\n"
    "	mov 4(%esp), %ecx\n	mov 8(%esp), %edx\n"
    "	push %ecx\n	push %edx\n"
    "	mov %cs, %ecx\n	mov %ecx, far_jmp_cs\n"
    "	xor %eax, %eax\n"
    "3:	ljmp *(%esp)\n"
    "4:	add $8, %esp\n"
    "	ret\n"
    "far_jmp_back:\n"
    "	pushl far_jmp_cs\n	push $4b\n	lret\n"
    ASM_EXTABLE(1b, 2b) ASM_EXTABLE(3b, 4b));

/* ---- ring 3 ---- */

static struct {
	uint32_t (*fn)(uint32_t, uint32_t);
	uint32_t a, b;
} r3box;

static uint32_t r3_thunk(uint32_t unused)
{
	(void)unused;
	return r3box.fn(r3box.a, r3box.b);
}

void user_image(void)
{
	static bool ready;
	extern char __text_start[];

	if (ready)
		return;
	if (make_user(__text_start, (size_t)(__image_end - __text_start)))
		xtf_error("cannot make the image user-accessible");
	ready = true;
}

uint32_t ring3_call2(uint32_t (*fn)(uint32_t, uint32_t), uint32_t a, uint32_t b)
{
	user_image();
	r3box.fn = fn, r3box.a = a, r3box.b = b;
	return run_in_ring3(r3_thunk, 0);
}

/* ---- event channels ---- */

long port_status(uint32_t dom, uint32_t port)
{
	struct xeno_evtchn_status s = { .dom = (uint16_t)dom, .port = port };
	long rc = evtchn_op(XENO_EVTCHNOP_status, &s);

	return rc ? rc : (long)s.status;
}

unsigned int ports_in_use(void)
{
	unsigned int n = 0;

	for (uint32_t p = 1; p < XENO_NR_EVENT_CHANNELS; p++)
		n += port_status(XENO_DOMID_SELF, p) > XENO_EVTCHNSTAT_closed;
	return n;
}

long port_op(uint32_t cmd, uint32_t port)
{
	struct xeno_evtchn_port p = { port };

	return evtchn_op(cmd, &p);
}

long port_alloc(uint32_t remote)
{
	struct xeno_evtchn_alloc_unbound u = { XENO_DOMID_SELF, (uint16_t)remote, 0 };
	long rc = evtchn_op(XENO_EVTCHNOP_alloc_unbound, &u);

	return rc ? rc : (long)u.port;
}

/* ---- bad pointers ---- */

struct ptr_zoo zoo;

static void fill(uint8_t *p)
{
	memset(p, ZOO_PATTERN, PAGE_SIZE);
}

void zoo_init(void)
{
	uint8_t *rw = alloc_page(), *ro = alloc_page(), *hole = alloc_page(), *gap = alloc_page();

	if (ro != rw + PAGE_SIZE || gap != hole + PAGE_SIZE) {
		xtf_error("zoo pages are not consecutive");
		return;
	}
	fill(rw), fill(ro), fill(hole);
	if (page_set_ro(ro, true) || update_va(gap, 0, XENO_UVMF_INVLPG)) {
		xtf_error("cannot set up the zoo pages");
		return;
	}
	zoo = (struct ptr_zoo){ ro, hole, rw };
}

const char *zoo_changed(void)
{
	static char why[64];
	const uint8_t *pages[3] = { zoo.rw, zoo.ro, zoo.hole };
	static const char *const names[3] = { "writable", "read-only", "before-the-hole" };

	for (unsigned int p = 0; p < 3; p++)
		for (unsigned int i = 0; i < PAGE_SIZE; i++)
			if (pages[p][i] != ZOO_PATTERN) {
				snprintf(why, sizeof(why), "%s page byte %u is %#x", names[p], i,
					 pages[p][i]);
				return why;
			}
	return NULL;
}

void zoo_refill(void)
{
	fill(zoo.rw), fill(zoo.hole);
}

unsigned int bad_inputs(uint32_t len, struct badptr *out)
{
	unsigned int n = 0;
	uint32_t half = len / 2;

	out[n++] = (struct badptr){ "the hypervisor's first byte", XENO_HYPERVISOR_VIRT_START };
	out[n++] = (struct badptr){ "the hypervisor image", 0xFC500000 };
	out[n++] = (struct badptr){ "the top page", 0xFFFFF000 };
	out[n++] = (struct badptr){ "the last byte (wraps)", 0xFFFFFFFF };
	out[n++] = (struct badptr){ "an unmapped page", 0x00001000 };
	if (half) {
		out[n++] = (struct badptr){ "straddling 0xFC000000",
					    XENO_HYPERVISOR_VIRT_START - half };
		out[n++] = (struct badptr){ "straddling an unmapped page",
					    (uint32_t)zoo.hole + PAGE_SIZE - half };
	}
	return n;
}

unsigned int bad_outputs(uint32_t len, struct badptr *out)
{
	unsigned int n = bad_inputs(len, out);

	out[n++] = (struct badptr){ "a read-only page", (uint32_t)zoo.ro };
	if (len / 2)
		out[n++] = (struct badptr){ "straddling into a read-only page",
					    (uint32_t)zoo.ro - len / 2 };
	return n;
}
