/* SPDX-License-Identifier: MIT */
/*
 * The test-guest library: a tiny ring-1 kernel runtime (XTF-style).  A test
 * defines test_title and test_main(); the library sets up traps, events and
 * the shared_info mapping, runs the test, prints the verdict line
 * "Test result: SUCCESS|SKIP|ERROR|FAILURE" and powers the domain off.
 *   FAILURE: the hypervisor misbehaved.  ERROR: the test itself is broken.
 * The functional guests (ci/guests) and the hostile ones (ci/hostile) both
 * link it; segment descriptors and selector probes are in descriptor.h.
 */
#ifndef GUEST_GUEST_H
#define GUEST_GUEST_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <public/dom0_ops.h>
#include <public/errno.h>
#include <public/event_channel.h>
#include <public/memory.h>
#include <public/sched.h>
#include <public/xeno.h>

#include "hypercall.h"

#define PAGE_SIZE	4096u
#define PAGE_SHIFT	12
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define barrier()	asm volatile("" : : : "memory")

/* PTE bits (the guest's own copy; the hypervisor's are internal). */
#define PTE_P		0x001u
#define PTE_RW		0x002u
#define PTE_US		0x004u
#define PTE_PWT		0x008u
#define PTE_PCD		0x010u
#define PTE_A		0x020u
#define PTE_D		0x040u
#define PTE_PSE		0x080u		/* in L2 entries */
#define PTE_PAT		0x080u		/* in L1 entries */
#define PTE_G		0x100u
#define PTE_AVAIL	0xe00u
#define PTE_RO_FLAGS	(PTE_P | PTE_A)
#define PTE_RW_FLAGS	(PTE_P | PTE_RW | PTE_A | PTE_D)
#define L2E_FLAGS	(PTE_P | PTE_RW | PTE_US | PTE_A)	/* what the builder uses */
#define FREE_SLOT	100u			/* an L2 slot no test guest uses */
#define FREE_VA		(FREE_SLOT << 22)	/* 0x19000000 */

static inline uint32_t mkpte(uint32_t mfn, uint32_t flags)
{
	return mfn << PAGE_SHIFT | flags;
}

/* ---- provided by each test ---- */
extern const char test_title[];
void test_main(void);

/* ---- verdicts ---- */
void xtf_success(const char *fmt, ...);		/* fmt may be NULL */
void xtf_skip(const char *fmt, ...);
void xtf_error(const char *fmt, ...);
void xtf_failure(const char *fmt, ...);
void __attribute__((noreturn)) xtf_exit(void);	/* verdict now, power off */

/* CHECK(cond, "format", args...): the line number goes first. */
#define CHECK(cond, fmt, ...)						\
	do {								\
		if (!(cond))						\
			xtf_failure("line %d: " fmt, __LINE__, ##__VA_ARGS__); \
	} while (0)
#define EXPECT_EQ(a, b)							\
	do {								\
		long _a = (long)(a), _b = (long)(b);			\
		if (_a != _b)						\
			xtf_failure("line %d: %s = %ld (%#lx), expected %s = %ld (%#lx)", \
				    __LINE__, #a, _a, (unsigned long)_a, #b, _b, (unsigned long)_b); \
	} while (0)

/* ---- console and strings ---- */
int printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int snprintf(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void *memset(void *d, int c, size_t n);
void *memcpy(void *d, const void *s, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strstr(const char *hay, const char *needle);

/* ---- start of day ---- */
extern struct xeno_start_info *start_info;
extern struct xeno_shared_info *shared_info;
extern struct xeno_vcpu_info *vcpu;
extern uint32_t *p2m;				/* start_info->mfn_list */
extern char __image_end[];

/* ---- traps ---- */
/* Register frame built by the library's trap entry (lib/entry.S). */
struct gregs {
	uint32_t edi, esi, ebp, _esp, ebx, edx, ecx, eax;
	uint32_t vector, error_code;
	uint32_t eip, cs, eflags;
	uint32_t esp, ss;		/* only from ring 3 */
};
#define VEC_EVENT	0x100		/* the event upcall */
#define VEC_FAILSAFE	0x101		/* the failsafe callback */

/*
 * Expected faults: exinfo = 0 if the code ran cleanly, else
 * EXINFO(vector, error_code) from the fault it took.
 */
#define EXINFO_VALID	0x80000000u
#define EXINFO(v, ec)	(EXINFO_VALID | ((v) << 16) | ((ec) & 0xffff))
#define EXINFO_VEC(x)	(((x) >> 16) & 0xff)
#define EXINFO_EC(x)	((x) & 0xffff)
/* Put after an instruction that may fault: resume at 'fixup' with EAX = exinfo. */
#define ASM_EXTABLE(fault, fixup)	\
	".pushsection .ex_table, \"a\"\n .long " #fault ", " #fixup "\n.popsection\n"

uint32_t probe_read(uint32_t va);		/* exinfo of "mov (va), %eax" */
uint32_t probe_write(uint32_t va, uint32_t val);
uint32_t probe_exec(uint32_t va);		/* call va (a ret is expected there) */

/* A test may take over a vector; return true if it handled the trap. */
typedef bool (*trap_hook_t)(struct gregs *r);
void set_trap_hook(unsigned int vector, trap_hook_t hook);
extern volatile unsigned int trap_counts[0x102];
extern struct xeno_trap_info default_traps[];	/* what the library registered */
/* DS, ES, FS, GS from the last failsafe callback frame (lib/entry.S). */
extern volatile uint32_t failsafe_segs[4];

/* Run fn(arg) in ring 3 on a user stack; returns its result.  The code
 * and stack pages must be user-accessible (see make_user()). */
uint32_t run_in_ring3(uint32_t (*fn)(uint32_t), uint32_t arg);
int make_user(void *start, size_t len);		/* set PTE_US on a range */
/* For run_in_ring3(): an int3 in ring 3 (a trap with a ring-3 frame); 0. */
uint32_t ring3_int3(uint32_t unused);
/* Make the whole image (text, data, bss) user-accessible, once. */
void user_image(void);
/* fn(a, b) in ring 3 (the image made user-accessible first). */
uint32_t ring3_call2(uint32_t (*fn)(uint32_t, uint32_t), uint32_t a, uint32_t b);

/* ---- events ---- */
typedef void (*evtchn_handler_t)(unsigned int port);
int bind_virq(unsigned int virq, evtchn_handler_t h);	/* port or -errno */
void bind_port(unsigned int port, evtchn_handler_t h);
void events_unmask_all(void);
static inline void local_irq_disable(void) { vcpu->evtchn_upcall_mask = 1; barrier(); }
void local_irq_enable(void);			/* unmask, then check pending */
long evtchn_op(uint32_t cmd, void *arg);
/* Ports of ours that are not closed (by EVTCHNOP_status). */
unsigned int ports_in_use(void);
/* EVTCHNOP_status of port in dom: its status, or -errno. */
long port_status(uint32_t dom, uint32_t port);
long port_op(uint32_t cmd, uint32_t port);	/* send, close, unmask */
/* A new unbound port of ours offered to remote: port or -errno. */
long port_alloc(uint32_t remote);
/*
 * A loopback channel in this domain: a port offered to ourselves, and a
 * second one bound to it with handler h.  Returns the offered port (a send
 * on it raises the bound one), or -errno.
 */
long evtchn_loopback(evtchn_handler_t h);

/* ---- memory ---- */
static inline uint32_t pfn_to_mfn(uint32_t pfn) { return p2m[pfn]; }
static inline uint32_t virt_to_pfn(const void *va)
{
	return ((uint32_t)va - start_info->virt_base) >> PAGE_SHIFT;
}
static inline uint32_t virt_to_mfn(const void *va) { return pfn_to_mfn(virt_to_pfn(va)); }
static inline uint32_t virt_to_maddr(const void *va)
{
	return (virt_to_mfn(va) << PAGE_SHIFT) | ((uint32_t)va & (PAGE_SIZE - 1));
}
static inline void *pfn_to_virt(uint32_t pfn)
{
	return (void *)(start_info->virt_base + (pfn << PAGE_SHIFT));
}
extern const uint32_t *m2p;			/* the read-only M2P */
uint32_t *l2_table(void);			/* VA of the current L2 (read-only) */
uint32_t *pte_of(uint32_t va);			/* VA of va's L1 entry, or NULL */
void *alloc_page(void);				/* a zeroed free page, mapped RW */
long update_va(const void *va, uint32_t pte, uint32_t flags);
/* Map a page of ours read-only or read-write again: 0 or -errno. */
long page_set_ro(const void *p, bool ro);
long mmu_update1(uint32_t ptr, uint32_t val);
long mmuext1(uint32_t cmd, uint32_t arg1, uint32_t arg2);

/* ---- time ---- */
uint64_t now_ns(void);				/* pvclock system time */
uint64_t rdtsc(void);
void sleep_ns(uint64_t ns);			/* set_timer_op + block */
/* Sleep until *events != seen (an event handler counts) or the deadline
 * (system time) passes; true if the count moved. */
bool wait_for_event(const volatile unsigned int *events, unsigned int seen, uint64_t deadline);

/* ---- FPU and SSE state (lib/fpu.c), through fxsave images ---- */
#define FPU_AREA_SIZE	512			/* 16-byte aligned */
void fpu_save(uint8_t *area);
void fpu_load(const uint8_t *area);
void fpu_fill(uint32_t seed, uint8_t *area);	/* load every register; area = the image */
const char *fpu_compare(const uint8_t *area);	/* NULL if the registers match area */
const char *fpu_check_clean(void);		/* NULL if in the clean initial state */

/* ---- Domain0: other domains (lib/dom0.c) ---- */
long dom0_op(struct xeno_dom0_op *op);		/* fills in interface_version */
long domain_ctl(uint32_t cmd, uint32_t domid);	/* pause, unpause, destroy */
/* A test that builds partners needs our initrd (module 1): true if it is
 * there, else an ERROR ("no partner image") and false. */
bool need_partner_image(void);
/* Build a paused domain from our initrd (start_info->mod_*): domid or -errno. */
long domain_create_initrd(const char *cmdline, uint32_t mem_kb);
/* Info on exactly 'domid' (not the next one up): 0 or -errno. */
long domain_info(uint32_t domid, struct xeno_dom0_getdomaininfo *info);
long domain_set_weight(uint32_t domid, uint32_t mcu_advance);
/* The most memory (in step_kb steps) a new domain can get now: built and
 * destroyed again, never run.  Equal before and after = no frames leaked. */
uint32_t domain_largest_kb(uint32_t step_kb);
/* Poll (sleeping 1 ms at a time) until the domain is shut down; false on timeout. */
bool domain_wait_shutdown(uint32_t domid, uint64_t timeout_ns);
/* The hypervisor console log: its current end, and a search from an offset
 * that copies the rest of the matching line (NUL-terminated) into rest.
 * console_log_find() finds the needle anywhere, so only in a line whose
 * writer is known from the needle itself; console_log_line() only at the
 * start of a line, where a domain's lines carry its "(dN) " and the
 * hypervisor's "(xeno) ": use it for anything a verdict rests on. */
uint32_t console_log_end(void);
bool console_log_find(uint32_t from, const char *needle, char *rest, size_t size);
bool console_log_line(uint32_t from, const char *start, char *rest, size_t size);
/* Up to size (<= 256) log bytes from *pos on, advancing *pos: the bytes
 * copied, or -1 if some at *pos were already overwritten (or on error). */
long console_log_read(uint32_t *pos, char *buf, size_t size);
/* The verdict line "(dN) Test result: X" printed after offset 'from':
 * 0 SUCCESS, 1 SKIP, 2 ERROR, 3 FAILURE, -1 none yet. */
int domain_verdict(uint32_t domid, uint32_t from);
/*
 * A partner's run from our initrd, start to end.  domain_start_initrd():
 * build it (as domain_create_initrd) and unpause it; domid or -errno, and
 * *log = the console offset from before it ran.  domain_finish(): wait up
 * to timeout_ns for its shutdown, destroy it, and return its verdict (as
 * domain_verdict from log).  Here a failed unpause, a domain that does not
 * shut down in time and a failed destroy are each a FAILURE naming it.
 */
long domain_start_initrd(const char *cmdline, uint32_t mem_kb, uint32_t *log);
int domain_finish(uint32_t domid, uint32_t log, uint64_t timeout_ns, const char *what);

#endif
