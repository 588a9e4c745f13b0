/* SPDX-License-Identifier: MIT */
/*
 * fuzz: a seeded fuzzer: "iter" random hypercalls and multicall batches,
 * numbers 0-40, arguments from interesting classes (0, small, -1, random, our
 * buffers filled likewise, the hypervisor's area, unmapped, straddling,
 * read-only, our page-table frames, the bystander's frames, selectors, domain
 * ids, boundaries), with descriptor-heavy calls (maximal GDTs and LDTs over
 * 16 pages of descriptors that need fixing, which it maps writable and back
 * now and then) and console floods (up to 4 KiB of random bytes a write).
 *
 * Rule (abi.md 2.1, 2.4, 7.3, 8): every call returns 0, a value or -errno;
 * the hypervisor neither panics nor hangs, nor holds the CPU much longer than
 * a control domain does (H_STRETCH); every console line of ours carries our
 * prefix (H_CONSOLE); the bystander's memory and every frame stay intact
 * (checked by the harness).
 * Why it matters: hand-written tests cover the cases someone thought of; this
 * covers the combinations nobody did.
 */
#include <con.h>
#include <seg.h>

const char test_title[] = "fuzz: random hypercalls with hostile arguments";

/*
 * The fuzzer must not destroy itself: it never calls shutdown (only with a
 * bad reason), blocks only with a timer armed, never jumps to the iret stub
 * (iret appears only inside multicalls, where it is refused), and keeps
 * page-table updates, base pointers, M2P updates and every buffer the
 * hypervisor writes away from its own code, data and stack: those go to a
 * sacrificial set of pages and frames.  The trap table, callbacks, kernel
 * stack, FPU switch and debug registers are put back after each call that
 * may change them.  It prints the number of calls and of each result (ok,
 * each -errno).  Seed and length: "seed=" and "iter=" on Domain0's command
 * line (test.conf: a short run; make fuzz SEED=n ITER=n: a long one).
 */

#define NSAC		16		/* sacrificial pages */
#define SCRATCH_PAGES	4
#define MAX_NR		40
#define MAX_ERRNO	64
#define MC_MAX		8
#define NDESC		16		/* pages of descriptors: a maximal LDT */
#define CON_FLOOD	XENO_CONSOLEIO_MAX

extern char event_entry[], failsafe_entry[], hypercall_page[];

/* ---- the PRNG: xorshift64* ---- */

static uint64_t rng_state;

static uint32_t rnd(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return (uint32_t)((rng_state * 0x2545F4914F6CDD1Dull) >> 32);
}

static uint32_t below(uint32_t n)
{
	return n ? rnd() % n : 0;
}

static bool chance(uint32_t percent)
{
	return below(100) < percent;
}

/* ---- what we own and must keep ---- */

static uint8_t *scratch;		/* buffers the hypervisor may read and write */
static uint8_t *cur_buf;		/* the current call's slice of it */
static uint32_t sac_va[NSAC], sac_mfn[NSAC];
static struct desc *desc_pages;		/* NDESC read-only pages of descriptors */
static uint32_t desc_mfn[NDESC];
static char con_text[CON_FLOOD];	/* random bytes for console floods */
static uint32_t own_l2, own_l1;		/* our page directory and the L1 of our memory */
static uint32_t mem_lo, mem_hi;		/* our memory's virtual range */
static uint32_t foreign[6];
static uint32_t timer_port;
static uint8_t kstack[PAGE_SIZE] __attribute__((aligned(16)));
static uint32_t l1_copy[1024], l2_slot;
static volatile unsigned int db_traps;

static bool is_sac_mfn(uint32_t mfn)
{
	for (unsigned int i = 0; i < NSAC; i++)
		if (sac_mfn[i] == mfn)
			return true;
	return false;
}

/*
 * A frame of ours that we use (mapped in our memory, or shared_info, which
 * a second writable mapping would let hypercall outputs scribble on),
 * other than the sacrificial ones.
 */
static bool in_use(uint32_t mfn)
{
	uint32_t pfn;

	if (mfn == start_info->shared_info_mfn)
		return true;
	if (mfn >= XENO_MACH2PHYS_NR_ENTRIES || is_sac_mfn(mfn))
		return false;
	pfn = m2p[mfn];
	return pfn < start_info->nr_pages && p2m[pfn] == mfn;
}

static bool is_sac_va(uint32_t va)
{
	return va >= sac_va[0] && va < sac_va[NSAC - 1] + PAGE_SIZE;
}

/*
 * Is VIRQ_TIMER bound (to any port)?  The fuzzer may have closed it (a
 * close whose argument came from one of its lists): then bind it again.
 */
static bool timer_bound(void)
{
	struct xeno_evtchn_bind_virq b = { XENO_VIRQ_TIMER, 0 };
	long rc = evtchn_op(XENO_EVTCHNOP_bind_virq, &b);

	return rc == 0 || rc == -XENO_EEXIST;
}

/* ---- argument classes ---- */

static uint32_t any_frame(void)
{
	switch (below(8)) {
	case 0: return sac_mfn[below(NSAC)];
	case 1: return own_l2;
	case 2: return own_l1;
	case 3: return p2m[below(start_info->nr_pages)];	/* in use: refused as a table */
	case 4: return foreign[below(ARRAY_SIZE(foreign))];
	case 5: return start_info->shared_info_mfn;
	case 6: return below(max_machine_frame() + 64);
	default: return rnd() >> below(20);
	}
}

static const uint32_t boundaries[] = {
	0x7fffffff, 0x80000000, 0xfc000000, 0xfbfffffc, 0xfc3ffffc, 0xfc400000, 4095, 4096,
	4097, 256, 257, 1023, 1024, 7168, 7169, 8192, 8193, 0xffff, 0x10000, 0x100000, 0x100001 };
static const uint32_t selectors[] = {
	0, 1, 3, 0xe008, 0xe009, 0xe010, 0xe011, 0xe019, 0xe01b, 0xe021, 0xe023, 0xe02b, 0xe033,
	0xe039, 0xe041, 0xe049, 0x09, 0x0b, 0x11, 0x0d, 0x0f, 0x10019, 0xffff };
static const uint32_t domids[] = { 0, 1, 2, 3, 63, 64, XENO_DOMID_SELF, 0xffff, 0x10001 };

/* A value of any class (not a buffer of ours: see ptr()). */
static uint32_t val(void)
{
	switch (below(14)) {
	case 0: return 0;
	case 1: return 1 + below(16);
	case 2: return 0xffffffff;
	case 3: return rnd();
	case 4: return XENO_HYPERVISOR_VIRT_START + (rnd() & 0x03fffffc);
	case 5: return rnd() & 0x003ff000;			/* below our memory: unmapped */
	case 6: return XENO_HYPERVISOR_VIRT_START - 1 - below(16);
	case 7: return any_frame();
	case 8: return any_frame() << PAGE_SHIFT | (rnd() & 0xffc);
	case 9: return selectors[below(ARRAY_SIZE(selectors))];
	case 10: return boundaries[below(ARRAY_SIZE(boundaries))];
	case 11: return domids[below(ARRAY_SIZE(domids))];
	case 12: return (uint32_t)zoo.ro + (rnd() & 0xffc);
	default: return rnd() & 0xffff;
	}
}

static uint32_t small(void)
{
	return chance(80) ? below(6) : val();
}

/*
 * A buffer argument of 'len' bytes: usually ours (cur_buf, filled by the
 * call's generator), otherwise one of the bad kinds.  A value that would land
 * in our own memory (outside scratch and the zoo) is sent to scratch.
 */
static uint32_t ptr(uint32_t len)
{
	uint32_t p;

	switch (below(10)) {
	case 0: case 1: case 2: case 3: case 4:
		return (uint32_t)cur_buf;
	case 5: p = (uint32_t)zoo.hole + PAGE_SIZE - 1 - below(len ? len : 1); break;
	case 6: p = (uint32_t)zoo.ro - below(len ? len : 1); break;
	case 7: p = val(); break;
	case 8: p = XENO_HYPERVISOR_VIRT_START - 1 - below(len ? len : 1); break;
	default: p = 0; break;
	}
	if (p + len >= mem_lo && p < mem_hi &&
	    !(p >= (uint32_t)zoo.rw && p + len <= (uint32_t)zoo.hole + PAGE_SIZE))
		p = (uint32_t)cur_buf;	/* never into our own code, data or stack */
	return p;
}

/* A PTE or PDE value that maps nothing of ours writable except sacrificial frames. */
static uint32_t safe_entry(void)
{
	uint32_t v = chance(70) ? any_frame() << PAGE_SHIFT | (rnd() & 0xfff) : val();

	if ((v & PTE_P) && (in_use(v >> PAGE_SHIFT) || (v >> PAGE_SHIFT) == own_l1))
		v = sac_mfn[below(NSAC)] << PAGE_SHIFT | (v & 0xfff);
	return v;
}

/* A machine address for mmu_update that cannot change what we run on. */
static uint32_t safe_mmu_ptr(void)
{
	uint32_t p = chance(60) ? any_frame() << PAGE_SHIFT | (rnd() & 0xffc) : val();
	uint32_t mfn = p >> PAGE_SHIFT, cmd = chance(90) ? rnd() & 1 : rnd() & 3;

	p &= ~3u;
	if (mfn == own_l1 && !is_sac_va(mem_lo + (p & 0xffc) * 1024))
		p = pte_maddr(sac_va[below(NSAC)]);		/* only sacrificial entries */
	else if (mfn == own_l2 && (p & 0xffc) / 4 == mem_lo >> 22)
		p = own_l2 << PAGE_SHIFT | (2 + below(1000)) * 4;	/* not our slot */
	if (cmd == XENO_MMU_MACHPHYS_UPDATE && in_use(p >> PAGE_SHIFT))
		p = sac_mfn[below(NSAC)] << PAGE_SHIFT;		/* M2P of ours: sacrificial */
	return p | cmd;
}

/* ---- one call ---- */

struct call {
	uint32_t nr, a[5];
};

static void gen_call(struct call *c, uint8_t *buf, bool nested);

/* Fill buf with n words of fields drawn from the classes. */
static void fill(uint8_t *buf, uint32_t bytes)
{
	uint32_t *w = (uint32_t *)buf;

	for (uint32_t i = 0; i < bytes / 4; i++)
		w[i] = chance(30) ? small() : val();
}

/* The list of the last multicall built, for its results. */
static uint32_t *mc_list, mc_built;

/*
 * A call with arguments from the classes; structures it points to go into
 * buf (512 bytes).  'nested': an entry of a multicall (which may not block,
 * and whose lists never run into the hole: that is shared).
 */
static void gen_call(struct call *c, uint8_t *buf, bool nested)
{
	uint32_t *w = (uint32_t *)buf, n;
	uint8_t *saved = cur_buf;

	cur_buf = buf;
	fill(buf, 512);		/* whatever a call reads past what we build: more classes */
	c->nr = chance(92) ? below(21) : below(MAX_NR + 1);
	for (unsigned int i = 0; i < 5; i++)
		c->a[i] = val();
	switch (c->nr) {
	case __HYPERVISOR_set_trap_table:
		n = below(6);
		for (uint32_t i = 0; i < 2 * n; i += 2) {
			w[i] = (rnd() & 0xff) | (below(8) << 8) | (val() << 16);
			w[i + 1] = chance(80) ? (val() | 1) : val();
		}
		w[2 * n] = w[2 * n + 1] = chance(90) ? 0 : val();
		c->a[0] = chance(5) ? 0 : ptr(8 * (n + 1));
		break;
	case __HYPERVISOR_mmu_update:
	case __HYPERVISOR_mmuext_op:
		n = below(5);
		for (uint32_t i = 0; i < 3 * n; i += 3) {
			if (c->nr == __HYPERVISOR_mmu_update) {
				w[i] = safe_mmu_ptr();
				w[i + 1] = safe_entry();
			} else {
				uint32_t cmd = chance(90) ? below(7) : val();

				w[i] = cmd;
				w[i + 1] = chance(50) ? any_frame() : val();
				if (cmd == XENO_MMUEXT_NEW_BASEPTR &&
				    (in_use(w[i + 1]) || is_sac_mfn(w[i + 1])) && w[i + 1] != own_l2)
					w[i + 1] = own_l2;	/* never a new address space */
				if (cmd == XENO_MMUEXT_SET_LDT && chance(50))
					w[i + 1] = sac_va[below(NSAC)];
				if (cmd == XENO_MMUEXT_SET_LDT && chance(30))
					w[i + 1] = (uint32_t)desc_pages;	/* heavy */
				w[i + 2] = small();
			}
		}
		if (c->nr == __HYPERVISOR_mmu_update)	/* 8-byte requests: repack */
			for (uint32_t i = 0; i < n; i++)
				w[2 * i] = w[3 * i], w[2 * i + 1] = w[3 * i + 1];
		/* More requests than we built run into the hole, never into junk. */
		c->a[1] = chance(85) || nested ? n : (chance(50) ? val() : n + 1 + below(300));
		c->a[0] = ptr(0);
		if (c->a[0] == (uint32_t)buf && c->a[1] > n) {
			uint32_t sz = (c->nr == __HYPERVISOR_mmu_update ? 8 : 12) * n;

			memcpy(zoo.hole + PAGE_SIZE - sz, buf, sz);
			c->a[0] = (uint32_t)zoo.hole + PAGE_SIZE - sz;
		}
		c->a[2] = chance(40) ? 0 : ptr(4);
		c->a[3] = chance(80) ? XENO_DOMID_SELF : val();
		break;
	case __HYPERVISOR_set_gdt:
		for (uint32_t i = 0; i < 16; i++)
			w[i] = chance(40) ? sac_mfn[below(NSAC)] : any_frame();
		c->a[0] = ptr(56);
		c->a[1] = chance(70) ? below(1024) : val();
		if (chance(30)) {	/* heavy: up to 14 frames of descriptors to check */
			n = 1 + below(XENO_GDT_GUEST_FRAMES);
			for (uint32_t i = 0; i < n; i++)
				w[i] = desc_mfn[(i + n) % NDESC];
			c->a[0] = (uint32_t)buf;
			c->a[1] = chance(50) ? n * 512 : 1 + below(n * 512);
		}
		break;
	case __HYPERVISOR_sched_op:
		c->a[0] = chance(90) ? below(3) : val();
		if (c->a[0] == XENO_SCHEDOP_shutdown && c->a[1] <= XENO_SHUTDOWN_crash)
			c->a[1] = 3 + below(1000);		/* only refused shutdowns */
		if (c->a[0] == XENO_SCHEDOP_block && (nested || !timer_bound()))
			c->a[0] = XENO_SCHEDOP_yield;	/* block only when the timer wakes us */
		break;
	case __HYPERVISOR_update_descriptor:
		if (chance(40))
			c->a[0] = sac_mfn[below(NSAC)] << PAGE_SHIFT | (rnd() & 0xff8);
		break;
	case __HYPERVISOR_memory_op:
		c->a[0] = chance(90) ? below(6) : val();
		for (uint32_t i = 0; i < 8; i++)
			w[16 + i] = chance(50) ? sac_mfn[below(NSAC)] : any_frame();
		w[0] = ptr(32);		/* extent list (or memory map buffer) */
		if (w[0] == (uint32_t)buf)
			w[0] += 64;
		w[1] = chance(80) ? below(8) : val();
		w[2] = chance(70) ? XENO_DOMID_SELF : val();
		if (c->a[0] >= 2 && c->a[0] <= 3)
			w[0] = chance(70) ? XENO_DOMID_SELF : val();
		if (c->a[0] == XENO_MEMOP_memory_map)
			w[1] = w[0], w[0] = small();
		c->a[1] = ptr(16);
		break;
	case __HYPERVISOR_multicall:
		n = nested ? below(3) : 1 + below(MC_MAX);
		for (uint32_t i = 0; i < n; i++) {
			struct call e;
			uint32_t *ent = &w[64 + 8 * i];

			if (nested) {	/* refused unread: a nested list or an iret */
				ent[0] = chance(50) ? __HYPERVISOR_multicall : __HYPERVISOR_iret;
				memset(&ent[1], 0, 28);
				continue;
			}
			/* Each entry's structures: its own 512-byte slice of scratch. */
			gen_call(&e, scratch + PAGE_SIZE + 512 * i, true);
			if (chance(5))
				e.nr = chance(50) ? __HYPERVISOR_iret : __HYPERVISOR_multicall;
			ent[0] = e.nr;
			ent[1] = 0x7eadbeef;
			memcpy(&ent[2], e.a, sizeof(e.a));
			ent[7] = val();
		}
		c->a[0] = (uint32_t)&w[64];
		c->a[1] = chance(90) || nested ? n : val();
		if (c->a[1] > n && c->a[1] <= XENO_MULTICALL_MAX) {	/* run into the hole */
			memcpy(zoo.hole + PAGE_SIZE - 32 * n, &w[64], 32 * n);
			c->a[0] = (uint32_t)zoo.hole + PAGE_SIZE - 32 * n;
		}
		if (!nested) {
			mc_list = (uint32_t *)c->a[0];
			mc_built = n;
		}
		if (chance(10)) {	/* a bad list: never the unbuilt start of buf */
			uint32_t p = ptr(32);

			if (p != (uint32_t)buf)
				c->a[0] = p;
		}
		break;
	case __HYPERVISOR_update_va_mapping:
		c->a[0] = chance(80) ? sac_va[below(NSAC)] : val();
		if (c->a[0] >= mem_lo && c->a[0] < mem_hi && !is_sac_va(c->a[0]))
			c->a[0] = sac_va[below(NSAC)];
		c->a[1] = safe_entry();
		c->a[2] = chance(80) ? below(3) : val();
		if (chance(10)) {	/* a descriptor page writable (or back): checked again */
			uint32_t k = below(NDESC), va = (uint32_t)(desc_pages + k * 512);

			c->a[0] = va;
			c->a[1] = *pte_of(va) ^ PTE_RW;
		}
		break;
	case __HYPERVISOR_event_channel_op:
		c->a[0] = chance(90) ? below(7) : val();
		for (uint32_t i = 0; i < 6; i++)
			w[i] = chance(60) ? below(40) : val();
		if (c->a[0] == XENO_EVTCHNOP_close && w[0] == timer_port)
			w[0] = 0;			/* the timer's port stays */
		c->a[1] = ptr(24);
		break;
	case __HYPERVISOR_xeno_version:
		c->a[0] = chance(90) ? below(4) : val();
		c->a[1] = ptr(64);
		break;
	case __HYPERVISOR_console_io:
		c->a[0] = chance(90) ? below(3) : val();
		c->a[2] = ptr(16);
		if (c->a[2] >= mem_lo && c->a[2] < mem_hi) {	/* readable: print little */
			c->a[2] = (uint32_t)buf;
			memset(buf, '.', 16);
			c->a[1] = below(8);		/* a few dots at most */
		}
		if (chance(30)) {	/* a flood of random bytes, rate-limited */
			c->a[0] = XENO_CONSOLEIO_WRITE;
			c->a[1] = below(CON_FLOOD + 1);
			c->a[2] = (uint32_t)con_text;
		}
		break;
	case __HYPERVISOR_iret:
		if (!nested)
			c->nr = __HYPERVISOR_xeno_version;	/* never jump to the stub */
		break;
	case __HYPERVISOR_dom0_op:
		c->a[0] = ptr(128);
		break;
	}
	/*
	 * In a batch nothing is put back between entries: one entry's trap
	 * table, callbacks or breakpoints must not meet another's effects (a
	 * breakpoint whose #DB goes to a junk handler would loop).  There they
	 * are only ever refused.
	 */
	if (nested && c->nr == __HYPERVISOR_set_trap_table)
		c->a[0] = XENO_HYPERVISOR_VIRT_START + (rnd() & 0xfff);
	if (nested && c->nr == __HYPERVISOR_set_callbacks)
		c->a[0] = c->a[2] = selectors[below(6)];	/* none a ring-1 code selector */
	if (nested && c->nr == __HYPERVISOR_set_debugreg && c->a[0] == 7)
		c->a[1] &= ~0xffu;				/* no breakpoint enabled */
	cur_buf = saved;
}

/* ---- putting back what a call may have changed ---- */

static void restore(uint32_t nr)
{
	bool all = nr == __HYPERVISOR_multicall;
	extern struct xeno_trap_info default_traps[];

	if (all || nr == __HYPERVISOR_set_trap_table)
		HYPERCALL1(set_trap_table, default_traps);
	if (all || nr == __HYPERVISOR_set_callbacks)
		HYPERCALL4(set_callbacks, XENO_FLAT_RING1_CS, event_entry, XENO_FLAT_RING1_CS,
			   failsafe_entry);
	if (all || nr == __HYPERVISOR_stack_switch)
		HYPERCALL2(stack_switch, XENO_FLAT_RING1_DS, kstack + sizeof(kstack));
	if (all || nr == __HYPERVISOR_fpu_taskswitch)
		HYPERCALL1(fpu_taskswitch, 0);
	if (all || nr == __HYPERVISOR_set_debugreg)
		HYPERCALL2(set_debugreg, 7, 0);
	if (all || nr == __HYPERVISOR_sched_op)
		local_irq_disable();
}

/* A breakpoint the fuzzer set on itself fires until DR7 is cleared again. */
static bool on_debug(struct gregs *r)
{
	db_traps++;
	r->eflags = (r->eflags & ~0x100u) | 0x10000u;	/* no TF; RF past an insn breakpoint */
	return true;
}

/* ---- results ---- */

static uint32_t calls, ok, other, errs[MAX_ERRNO], per_nr[MAX_NR + 1];

static void account(uint32_t nr, long rc)
{
	calls++;
	per_nr[nr]++;
	if (rc >= 0)
		ok++;
	else if (-rc < MAX_ERRNO)
		errs[-rc]++;
	else
		other++;		/* e.g. get_debugreg of a value with bit 31 set */
}

static void report(uint32_t seed)
{
	static const char *const names[MAX_ERRNO] = {
		[XENO_EPERM] = "EPERM", [XENO_ENOENT] = "ENOENT", [XENO_ESRCH] = "ESRCH",
		[XENO_E2BIG] = "E2BIG", [XENO_ENOEXEC] = "ENOEXEC", [XENO_ENOMEM] = "ENOMEM",
		[XENO_EACCES] = "EACCES", [XENO_EFAULT] = "EFAULT", [XENO_EBUSY] = "EBUSY",
		[XENO_EEXIST] = "EEXIST", [XENO_EINVAL] = "EINVAL", [XENO_ENOSPC] = "ENOSPC",
		[XENO_ENOSYS] = "ENOSYS" };
	char line[128];
	int n;

	printf("fuzz: seed %u: %u calls: ok %u", seed, calls, ok);
	for (unsigned int e = 1; e < MAX_ERRNO; e++)
		if (errs[e])
			printf(", -%s %u", names[e] ? names[e] : "E?", errs[e]);
	printf(", other %u; #DB from its own breakpoints %u\n", other, db_traps);
	n = snprintf(line, sizeof(line), "fuzz: calls by number:");
	for (unsigned int i = 0; i <= MAX_NR; i++) {
		if (!per_nr[i])
			continue;
		if (n > (int)sizeof(line) - 16) {
			printf("%s\n", line);
			n = snprintf(line, sizeof(line), "fuzz: ...");
		}
		n += snprintf(line + n, sizeof(line) - n, " %u:%u", i, per_nr[i]);
	}
	printf("%s\n", line);
}

/* ---- setup and the loop ---- */

static void setup(void)
{
	uint32_t *l2 = l2_table();

	zoo_init();
	scratch = alloc_page();
	for (unsigned int i = 1; i < SCRATCH_PAGES; i++)
		if (alloc_page() != scratch + i * PAGE_SIZE)
			xtf_error("scratch pages are not consecutive");
	for (unsigned int i = 0; i < NSAC; i++) {
		sac_va[i] = (uint32_t)alloc_page();
		sac_mfn[i] = virt_to_mfn((void *)sac_va[i]);
		if (i & 1)	/* half of them free to become tables and descriptors */
			update_va((void *)sac_va[i], 0, XENO_UVMF_INVLPG);
	}
	if (sac_va[NSAC - 1] != sac_va[0] + (NSAC - 1) * PAGE_SIZE)
		xtf_error("sacrificial pages are not consecutive");
	desc_pages = dtab_fill(NDESC, mkdesc(0, 0xfffff, T_DATA_RW, 3, SEG32));
	for (unsigned int i = 0; i < NDESC; i++)
		desc_mfn[i] = virt_to_mfn(desc_pages + i * 512);
	for (unsigned int i = 0; i < CON_FLOOD; i++)
		con_text[i] = chance(3) ? '\n' : (char)rnd();
	mem_lo = start_info->virt_base;
	mem_hi = mem_lo + start_info->nr_pages * PAGE_SIZE;
	own_l2 = virt_to_mfn(l2);
	own_l1 = l2[mem_lo >> 22] >> PAGE_SHIFT;
	if ((mem_hi - 1) >> 22 != mem_lo >> 22)
		xtf_error("our memory spans more than one L1");
	foreign[0] = hostile_arg("victim", foreign_mfn());
	foreign[1] = hostile_arg("victim_l1", 0);
	foreign[2] = hostile_arg("victim_l2", 0);
	foreign[3] = hypervisor_mfn();
	foreign[4] = max_machine_frame() + 1;
	foreign[5] = 0xfffff;
	sleep_ns(1000000);	/* binds the timer VIRQ */
	for (uint32_t p = 1; p < XENO_NR_EVENT_CHANNELS && !timer_port; p++)
		if (port_status(XENO_DOMID_SELF, p) == XENO_EVTCHNSTAT_virq)
			timer_port = p;
	HYPERCALL2(stack_switch, XENO_FLAT_RING1_DS, kstack + sizeof(kstack));
	set_trap_hook(1, on_debug);
	memcpy(l1_copy, pte_of(mem_lo), sizeof(l1_copy));
	l2_slot = l2[mem_lo >> 22];
	local_irq_disable();
}

/* Our own mappings (but the sacrificial ones) are as they were. */
static void check_self(void)
{
	const uint32_t *l1 = pte_of(mem_lo);
	uint32_t first = (sac_va[0] - mem_lo) / PAGE_SIZE;
	uint32_t desc = ((uint32_t)desc_pages - mem_lo) / PAGE_SIZE;

	CHECK((l2_table()[mem_lo >> 22] | PTE_A) == (l2_slot | PTE_A), "our L2 slot changed");
	for (uint32_t i = 0; i < 1024; i++) {
		if ((i >= first && i < first + NSAC) || (i >= desc && i < desc + NDESC))
			continue;
		CHECK((l1[i] | PTE_A | PTE_D) == (l1_copy[i] | PTE_A | PTE_D),
		      "our PTE %u changed: %08x -> %08x", i, l1_copy[i], l1[i]);
	}
}

static void attack(void)
{
	uint32_t seed = hostile_arg("seed", 1), iter = hostile_arg("iter", 2000);
	uint32_t trace = hostile_arg("trace", 0xffffffff);	/* print calls from here on */
	uint32_t step = iter / 10 ? iter / 10 : 1;

	rng_state = 0x9E3779B97F4A7C15ull * (seed + 1);
	for (unsigned int i = 0; i < 8; i++)
		rnd();
	setup();
	printf("fuzz: seed %u, %u iterations\n", seed, iter);
	for (uint32_t i = 0; i < iter; i++) {
		struct call c;
		long rc;

		gen_call(&c, scratch, false);
		if (c.nr == __HYPERVISOR_sched_op || c.nr == __HYPERVISOR_multicall) {
			uint64_t t = now_ns() + 200000;		/* a block always wakes up */

			HYPERCALL2(set_timer_op, (uint32_t)t, (uint32_t)(t >> 32));
		}
		if (i >= trace)
			printf("fuzz: #%u: %u(%#x, %#x, %#x, %#x, %#x)\n", i, c.nr, c.a[0], c.a[1],
			       c.a[2], c.a[3], c.a[4]);
		/* The page has stubs 0-31 only; the gate itself takes any number. */
		if (c.nr >= XENO_NR_HYPERCALLS || chance(20))
			rc = raw_hypercall(c.nr, c.a[0], c.a[1], c.a[2], c.a[3], c.a[4]);
		else
			rc = hypercall(c.nr, c.a[0], c.a[1], c.a[2], c.a[3], c.a[4]);
		restore(c.nr);
		account(c.nr, rc);
		if (c.nr == __HYPERVISOR_multicall && rc > 0 && c.a[0] == (uint32_t)mc_list)
			for (long e = 0; e < rc && e < (long)mc_built; e++)
				account(mc_list[8 * e] <= MAX_NR ? mc_list[8 * e] : MAX_NR,
					(int32_t)mc_list[8 * e + 1]);
		if ((i + 1) % step == 0) {
			check_self();
			printf("fuzz: %u/%u\n", i + 1, iter);
		}
	}
	check_self();
	console_recover();	/* after floods: our report must get out */
	report(seed);
}

const struct hostile hostile = {
	.where = IN_DOMU,
	.flags = H_STRETCH | H_CONSOLE,
	.attack = attack,
};
