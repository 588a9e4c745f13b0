/* SPDX-License-Identifier: MIT */
/*
 * Start of day for a test guest, trap dispatch, expected-fault probes,
 * ring-3 excursions, and the verdict.
 */
#include "guest.h"

struct xeno_start_info *start_info;
struct xeno_shared_info *shared_info;
struct xeno_vcpu_info *vcpu;
uint32_t *p2m;
const uint32_t *m2p = (const uint32_t *)XENO_MACH2PHYS_VIRT_START;
volatile unsigned int trap_counts[0x102];

extern struct xeno_start_info *start_info_ptr;
extern char trap_stubs[], event_entry[], failsafe_entry[];
extern char probe_exec_fixup[], ring3_exit[];
extern const uint32_t __ex_table_start[], __ex_table_end[];
uint32_t probe_exec_target;
void events_dispatch(void);
void guest_start(void);
void guest_trap(struct gregs *r);

#define TRAP_RETURN_VECTOR	0x81	/* "int $0x81" from ring 3 returns to ring 1 */
#define RING3_STACK_SIZE	16384
#define ENTRY_STACK_SIZE	16384

static uint8_t ring3_stack[RING3_STACK_SIZE] __attribute__((aligned(PAGE_SIZE)));
static uint8_t entry_stack[ENTRY_STACK_SIZE] __attribute__((aligned(16)));
static trap_hook_t hooks[0x102];
struct xeno_trap_info default_traps[34];

/* ---- verdicts ---- */

enum verdict { V_SUCCESS, V_SKIP, V_ERROR, V_FAILURE };
static enum verdict verdict;
static const char *const verdict_names[] = { "SUCCESS", "SKIP", "ERROR", "FAILURE" };

static void report(enum verdict v, const char *fmt, va_list ap)
{
	char buf[256];

	if (v > verdict)
		verdict = v;
	if (!fmt)
		return;
	vsnprintf(buf, sizeof(buf), fmt, ap);
	printf("%s: %s\n", verdict_names[v], buf);
}

#define VERDICT_FN(name, v)				\
	void name(const char *fmt, ...)			\
	{						\
		va_list ap;				\
		va_start(ap, fmt);			\
		report(v, fmt, ap);			\
		va_end(ap);				\
	}
VERDICT_FN(xtf_success, V_SUCCESS)
VERDICT_FN(xtf_skip, V_SKIP)
VERDICT_FN(xtf_error, V_ERROR)
VERDICT_FN(xtf_failure, V_FAILURE)

void xtf_exit(void)
{
	printf("Test result: %s\n", verdict_names[verdict]);
	for (;;)
		HYPERCALL2(sched_op, XENO_SCHEDOP_shutdown, XENO_SHUTDOWN_poweroff);
}

/* ---- traps ---- */

void set_trap_hook(unsigned int vector, trap_hook_t hook)
{
	hooks[vector] = hook;
}

/* Restore the event mask saved in the frame; unmask-then-check. */
static void restore_mask(const struct gregs *r)
{
	vcpu->evtchn_upcall_mask = (uint8_t)(r->cs >> 16);
	barrier();
	if (!vcpu->evtchn_upcall_mask && vcpu->evtchn_upcall_pending)
		HYPERCALL2(xeno_version, XENO_VERSION_VERSION, 0);	/* delivers */
}

static uint32_t extable_fixup(uint32_t eip)
{
	for (const uint32_t *e = __ex_table_start; e < __ex_table_end; e += 2)
		if (e[0] == eip)
			return e[1];
	return 0;
}

static void unexpected(const struct gregs *r)
{
	xtf_error("unexpected trap %u, error %#x, at %04x:%08x, cr2 %08x", r->vector,
		  r->error_code, r->cs & 0xffff, r->eip, vcpu ? vcpu->cr2 : 0);
	xtf_exit();
}

void guest_trap(struct gregs *r)
{
	uint32_t fixup;

	trap_counts[r->vector]++;
	if (r->vector == VEC_EVENT) {
		events_dispatch();
	} else if (hooks[r->vector] && hooks[r->vector](r)) {
		/* handled by the test */
	} else if (r->vector == TRAP_RETURN_VECTOR && (r->cs & 3) == 3) {
		r->eip = (uint32_t)ring3_exit;	/* back to run_in_ring3() */
		r->cs = XENO_FLAT_RING1_CS | (r->cs & 0xffff0000);
	} else if (r->vector < 32 && probe_exec_target && r->eip == probe_exec_target) {
		r->eip = (uint32_t)probe_exec_fixup;
		r->eax = EXINFO(r->vector, r->error_code);
	} else if (r->vector < 32 && (fixup = extable_fixup(r->eip))) {
		r->eip = fixup;
		r->eax = EXINFO(r->vector, r->error_code);
	} else if (r->vector != VEC_FAILSAFE) {
		unexpected(r);
	}
	restore_mask(r);
}

uint32_t probe_read(uint32_t va)
{
	uint32_t ex = 0, tmp;

	asm volatile("1: mov (%[va]), %[tmp]\n2:\n" ASM_EXTABLE(1b, 2b)
		     : "+a"(ex), [tmp] "=&r"(tmp) : [va] "r"(va) : "memory");
	return ex;
}

uint32_t probe_write(uint32_t va, uint32_t val)
{
	uint32_t ex = 0;

	asm volatile("1: mov %[val], (%[va])\n2:\n" ASM_EXTABLE(1b, 2b)
		     : "+a"(ex) : [va] "r"(va), [val] "r"(val) : "memory");
	return ex;
}

static void register_traps(void)
{
	unsigned int n = 0;

	for (unsigned int v = 0; v < 32; v++) {
		uint8_t dpl = (v == 3 || v == 4) ? 3 : 0;

		default_traps[n++] = (struct xeno_trap_info){ v, XENO_TI_MASK_EVENTS | dpl,
			XENO_FLAT_RING1_CS, (uint32_t)trap_stubs + v * 16 };
	}
	default_traps[n++] = (struct xeno_trap_info){ TRAP_RETURN_VECTOR, XENO_TI_MASK_EVENTS | 3,
		XENO_FLAT_RING1_CS, (uint32_t)trap_stubs + TRAP_RETURN_VECTOR * 16 };
	default_traps[n] = (struct xeno_trap_info){ 0, 0, 0, 0 };
	if (HYPERCALL1(set_trap_table, default_traps))
		xtf_error("set_trap_table failed");
	if (HYPERCALL4(set_callbacks, XENO_FLAT_RING1_CS, event_entry, XENO_FLAT_RING1_CS,
		       failsafe_entry))
		xtf_error("set_callbacks failed");
	if (HYPERCALL2(stack_switch, XENO_FLAT_RING1_DS, entry_stack + ENTRY_STACK_SIZE))
		xtf_error("stack_switch failed");
}

/* shared_info goes at the last page of our memory, which we never use. */
static void map_shared_info(void)
{
	uint32_t va = start_info->virt_base + (start_info->nr_pages - 1) * PAGE_SIZE;

	if (update_va((void *)va, (start_info->shared_info_mfn << PAGE_SHIFT) | PTE_P | PTE_RW |
		      PTE_A | PTE_D, XENO_UVMF_INVLPG))
		xtf_error("cannot map shared_info");
	shared_info = (struct xeno_shared_info *)va;
	vcpu = &shared_info->vcpu_info[0];
}

void guest_start(void)
{
	start_info = start_info_ptr;
	if (memcmp(start_info->magic, XENO_START_INFO_MAGIC, sizeof(XENO_START_INFO_MAGIC))) {
		printf("bad start_info magic\n");
		xtf_error("bad start_info");
		xtf_exit();
	}
	p2m = (uint32_t *)start_info->mfn_list;
	map_shared_info();
	register_traps();
	printf("--- Xeno test guest: %s (domain %u, %u pages) ---\n", test_title,
	       start_info->domid, start_info->nr_pages);
	test_main();
	xtf_exit();
}

/* ---- ring 3 ---- */

int make_user(void *start, size_t len)
{
	for (uint32_t va = (uint32_t)start & ~(PAGE_SIZE - 1); va < (uint32_t)start + len;
	     va += PAGE_SIZE) {
		uint32_t *pte = pte_of(va);

		if (!pte || update_va((void *)va, *pte | PTE_US, XENO_UVMF_INVLPG))
			return -1;
	}
	return 0;
}

uint32_t ring3_call(uint32_t (*fn)(uint32_t), uint32_t arg, uint32_t user_esp);

uint32_t run_in_ring3(uint32_t (*fn)(uint32_t), uint32_t arg)
{
	static bool ready;

	if (!ready) {
		extern char __text_start[], __text_end[];

		if (make_user(ring3_stack, sizeof(ring3_stack)) ||
		    make_user(__text_start, __text_end - __text_start))
			xtf_error("cannot make ring-3 pages");
		ready = true;
	}
	return ring3_call(fn, arg, (uint32_t)ring3_stack + sizeof(ring3_stack));
}

uint32_t ring3_int3(uint32_t unused)
{
	(void)unused;
	asm volatile("int3" : : : "memory");	/* the trap hook may write memory */
	return 0;
}

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
