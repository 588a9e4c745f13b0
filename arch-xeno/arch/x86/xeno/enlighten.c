// SPDX-License-Identifier: GPL-2.0
/*
 * Start of day for Linux on Xeno: from startup_xeno (ring 1, the builder's
 * page tables, events masked) to i386_start_kernel(), plus the platform
 * hooks that replace what a PC would do with port I/O: memory map, CPU
 * features, power, the TLB.
 */
#include <linux/console.h>
#include <linux/export.h>
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/memblock.h>
#include <linux/panic_notifier.h>
#include <linux/pm.h>
#include <linux/reboot.h>
#include <linux/start_kernel.h>
#include <linux/string.h>
#include <asm/bootparam.h>
#include <asm/cpufeature.h>
#include <asm/desc.h>
#include <asm/e820/api.h>
#include <asm/i8259.h>
#include <asm/paravirt.h>
#include <asm/pgtable.h>
#include <asm/processor.h>
#include <asm/reboot.h>
#include <asm/sections.h>
#include <asm/setup.h>
#include <asm/tlbflush.h>
#include <asm/x86_init.h>
#include <asm/xeno/hypercall.h>
#include <asm/xeno/xeno.h>
#include <xeno/public/memory.h>

struct xeno_start_info *xeno_start_info;
EXPORT_SYMBOL_GPL(xeno_start_info);
unsigned long *xeno_p2m;
EXPORT_SYMBOL_GPL(xeno_p2m);		/* pfn_to_mfn() in modules */
unsigned long xeno_nr_pages;
EXPORT_SYMBOL_GPL(xeno_nr_pages);
/* The vCPU's shared info is mapped here (see xeno_map_shared_info()). */
struct xeno_shared_info __page_aligned_bss xeno_shared_info;
EXPORT_SYMBOL(xeno_shared_info);	/* the virtual IF of every module's irqflags */
unsigned long xeno_cr0_shadow = X86_CR0_PE | X86_CR0_MP | X86_CR0_ET | X86_CR0_NE |
				X86_CR0_WP | X86_CR0_AM | X86_CR0_PG;
unsigned long xeno_cr4_shadow;
unsigned long xeno_debugreg[8];


/* The ring-1 stack for entries from user mode: Linux's entry stack. */
void xeno_load_sp0(unsigned long sp0)
{
	if (HYPERVISOR_stack_switch(__KERNEL_DS, sp0))
		BUG();
}

void xeno_write_debugreg(int reg, unsigned long value)
{
	if (!HYPERVISOR_set_debugreg(reg, value))
		xeno_debugreg[reg & 7] = value;
}

/* ---- CPU features ---------------------------------------------------- */

/*
 * Features a ring-1 kernel must not see: they need ring 0 (SEP's sysexit,
 * MSRs, XSETBV, CR4 bits) or would break isolation (PGE: global pages; PSE:
 * superpages, which page-table validation refuses).
 */
#define LEAF1_EDX_HIDDEN (BIT(X86_FEATURE_VME) | BIT(X86_FEATURE_DE) | BIT(X86_FEATURE_PSE) | \
			  BIT(X86_FEATURE_MCE) | BIT(X86_FEATURE_APIC) | BIT(X86_FEATURE_SEP) | \
			  BIT(X86_FEATURE_MTRR) | BIT(X86_FEATURE_PGE) | BIT(X86_FEATURE_MCA) | \
			  BIT(X86_FEATURE_PAT) | BIT(X86_FEATURE_PSE36) | BIT(X86_FEATURE_DS) | \
			  BIT(X86_FEATURE_ACPI) | BIT(X86_FEATURE_ACC) | BIT(X86_FEATURE_PBE))
#define LEAF1_ECX_HIDDEN (BIT(X86_FEATURE_DTES64 & 31) | BIT(X86_FEATURE_MWAIT & 31) | \
			  BIT(X86_FEATURE_DSCPL & 31) | BIT(X86_FEATURE_VMX & 31) | \
			  BIT(X86_FEATURE_SMX & 31) | BIT(X86_FEATURE_EST & 31) | \
			  BIT(X86_FEATURE_TM2 & 31) | BIT(X86_FEATURE_PDCM & 31) | \
			  BIT(X86_FEATURE_PCID & 31) | BIT(X86_FEATURE_DCA & 31) | \
			  BIT(X86_FEATURE_X2APIC & 31) | BIT(X86_FEATURE_TSC_DEADLINE_TIMER & 31) | \
			  BIT(X86_FEATURE_XSAVE & 31) | BIT(X86_FEATURE_OSXSAVE & 31) | \
			  BIT(X86_FEATURE_AVX & 31) | BIT(X86_FEATURE_F16C & 31) | \
			  BIT(X86_FEATURE_FMA & 31))
#define LEAF1_ECX_HYPERVISOR BIT(X86_FEATURE_HYPERVISOR & 31)

void xeno_cpuid(unsigned int *eax, unsigned int *ebx, unsigned int *ecx, unsigned int *edx)
{
	unsigned int leaf = *eax;

	native_cpuid(eax, ebx, ecx, edx);
	switch (leaf) {
	case 1:
		*edx &= ~LEAF1_EDX_HIDDEN;
		*ecx = (*ecx & ~LEAF1_ECX_HIDDEN) | LEAF1_ECX_HYPERVISOR;
		break;
	case 5:		/* MONITOR/MWAIT */
	case 6:		/* thermal and power */
	case 0xa:	/* performance monitoring */
	case 0xd:	/* XSAVE state */
		*eax = *ebx = *ecx = *edx = 0;
		break;
	case 7:		/* structured extended features: none of them */
		if (*ecx == 0)
			*ebx = *ecx = *edx = 0;
		break;
	}
}

/* ---- memory map -------------------------------------------------------- */

static char * __init xeno_memory_setup(void)
{
	struct xeno_start_info *si = xeno_start_info;
	unsigned long first = PFN_DOWN(__pa_symbol(_end) + PAGE_SIZE - 1);

	e820__range_add(0, PFN_PHYS(xeno_nr_pages), E820_TYPE_RAM);
	e820__update_table(e820_table);
	/*
	 * What the builder put after the image (initrd, P2M, start_info, the
	 * bootstrap page tables, some of which stay in use, and its stack)
	 * must not be handed out.
	 */
	memblock_reserve(PFN_PHYS(first), PFN_PHYS(si->first_free_pfn - first));
	return "Xeno";
}

static void __init xeno_set_legacy_features(void)
{
	x86_platform.legacy.i8042 = X86_LEGACY_I8042_PLATFORM_ABSENT;
	x86_platform.legacy.rtc = 0;
	x86_platform.legacy.warm_reset = 0;
	x86_platform.legacy.reserve_bios_regions = 0;
	x86_platform.legacy.devices.pnpbios = 0;
}

/* ---- power --------------------------------------------------------------- */

static void __noreturn xeno_shutdown(unsigned int reason)
{
	for (;;)
		HYPERVISOR_sched_op(XENO_SCHEDOP_shutdown, reason);
}

static void xeno_restart(char *cmd)
{
	xeno_shutdown(XENO_SHUTDOWN_reboot);
}

static void xeno_machine_halt(void)
{
	xeno_shutdown(XENO_SHUTDOWN_poweroff);
}

static void xeno_emergency_restart(void)
{
	xeno_shutdown(XENO_SHUTDOWN_reboot);
}

static void xeno_crash_shutdown(struct pt_regs *regs)
{
	xeno_shutdown(XENO_SHUTDOWN_crash);
}

static const struct machine_ops xeno_machine_ops __initconst = {
	.restart		= xeno_restart,
	.halt			= xeno_machine_halt,
	.power_off		= xeno_machine_halt,
	.shutdown		= xeno_machine_halt,
	.crash_shutdown		= xeno_crash_shutdown,
	.emergency_restart	= xeno_emergency_restart,
};

static int xeno_panic_event(struct notifier_block *nb, unsigned long e, void *p)
{
	xeno_shutdown(XENO_SHUTDOWN_crash);
}

static struct notifier_block xeno_panic_block = {
	.notifier_call = xeno_panic_event,
	.priority = INT_MIN,	/* after everyone else has had their say */
};

/* ---- boot ------------------------------------------------------------------ */

/*
 * Put the hypervisor's shared_info frame where xeno_shared_info is, and
 * make that pseudo-physical frame mean it from now on (P2M and M2P), so the
 * direct map Linux builds later maps it there too.  The frame that was
 * there goes back to the hypervisor.
 */
static void __init xeno_map_shared_info(void)
{
	unsigned long va = (unsigned long)&xeno_shared_info;
	unsigned long pfn = __pa_symbol(&xeno_shared_info) >> PAGE_SHIFT;
	unsigned long mfn = xeno_start_info->shared_info_mfn, old = xeno_p2m[pfn];
	struct xeno_mmu_update m2p = { (mfn << PAGE_SHIFT) | XENO_MMU_MACHPHYS_UPDATE, pfn };
	struct xeno_memory_reservation give = { (u32)(unsigned long)&old, 1, XENO_DOMID_SELF };

	if (HYPERVISOR_update_va_mapping(va, (mfn << PAGE_SHIFT) | _PAGE_PRESENT | _PAGE_RW |
					 _PAGE_ACCESSED | _PAGE_DIRTY, XENO_UVMF_INVLPG))
		BUG();
	xeno_p2m[pfn] = mfn;
	if (HYPERVISOR_mmu_update(&m2p, 1, NULL, XENO_DOMID_SELF))
		BUG();
	HYPERVISOR_memory_op(XENO_MEMOP_decrease_reservation, &give);
}

/*
 * Load our GDT and move to our own selectors: the builder started us on
 * the hypervisor's flat ones.
 */
static void __init xeno_load_boot_gdt(void)
{
	struct desc_ptr gdt = {
		.address = (unsigned long)get_cpu_gdt_rw(0),
		.size = GDT_SIZE - 1,
	};

	xeno_load_gdt(&gdt);
	asm volatile("ljmp %[cs], $1f\n"
		     "1:\n"
		     "movl %[ds], %%ss\n"
		     "movl %[uds], %%ds\n"
		     "movl %[uds], %%es\n"
		     : : [cs] "i"(__KERNEL_CS), [ds] "r"(__KERNEL_DS), [uds] "r"(__USER_DS)
		     : "memory");
	loadsegment(fs, __KERNEL_PERCPU);
	loadsegment(gs, 0);
}

static void __init xeno_init_boot_params(void)
{
	struct xeno_start_info *si = xeno_start_info;

	strscpy(boot_command_line, si->cmd_line, COMMAND_LINE_SIZE);
	boot_params.hdr.type_of_loader = 0xff;	/* "undefined" loader */
	if (si->mod_start) {
		boot_params.hdr.ramdisk_image = __pa(si->mod_start);
		boot_params.hdr.ramdisk_size = si->mod_len;
	}
	boot_params.hdr.hardware_subarch = X86_SUBARCH_PC;
}

static void __init xeno_init_platform(void)
{
	x86_init.resources.memory_setup = xeno_memory_setup;
	x86_init.resources.probe_roms = x86_init_noop;
	x86_init.irqs.pre_vector_init = x86_init_noop;
	x86_init.irqs.intr_init = xeno_init_irq;
	x86_init.timers.timer_init = xeno_time_init;
	x86_init.timers.setup_percpu_clockev = x86_init_noop;
	x86_platform.set_legacy_features = xeno_set_legacy_features;
	x86_platform.realmode_reserve = x86_init_noop;
	x86_platform.realmode_init = x86_init_noop;
	legacy_pic = &null_legacy_pic;
	machine_ops = xeno_machine_ops;
	pm_power_off = xeno_machine_halt;
	atomic_notifier_chain_register(&panic_notifier_list, &xeno_panic_block);
	pv_info.name = "Xeno";
	pv_ops.cpu.io_delay = paravirt_nop;
	xeno_time_early_init();
}

static void __init xeno_init_cpu(void)
{
	/* What head_32.S would have found out, through the masked CPUID. */
	cpu_detect(&new_cpu_data);
	set_cpu_cap(&new_cpu_data, X86_FEATURE_FPU);
	new_cpu_data.x86_capability[CPUID_1_EDX] = cpuid_edx(1);
	setup_force_cpu_cap(X86_FEATURE_XENO);
	setup_force_cpu_cap(X86_FEATURE_HYPERVISOR);
	xeno_cr4_shadow = X86_CR4_OSFXSR | X86_CR4_OSXMMEXCPT;
}

asmlinkage __visible void __init xeno_start_kernel(void)
{
	struct xeno_start_info *si = xeno_start_info;

	if (memcmp(si->magic, XENO_START_INFO_MAGIC, sizeof(XENO_START_INFO_MAGIC))) {
		xeno_console_early_write("XenoLinux: bad start_info magic\n", 32);
		xeno_shutdown(XENO_SHUTDOWN_crash);
	}
	xeno_p2m = (unsigned long *)si->mfn_list;
	xeno_nr_pages = si->nr_pages;
	xeno_map_shared_info();
	xeno_early_console_init();
	HYPERVISOR_vm_assist(XENO_VMASST_CMD_ENABLE, XENO_VMASST_TYPE_WRITABLE_PAGETABLES);
	HYPERVISOR_vm_assist(XENO_VMASST_CMD_ENABLE, XENO_VMASST_TYPE_4GB_SEGMENTS);
	xeno_init_cpu();
	xeno_adopt_boot_page_tables();
	xeno_load_boot_gdt();
	reserve_top_address(-XENO_HYPERVISOR_VIRT_START);
	xeno_init_boot_params();
	xeno_init_platform();
	xeno_mm_init();
	pr_info("Xeno: Linux in ring %u, %lu pages, Domain %u%s\n", __KERNEL_CS & 3,
		xeno_nr_pages, si->domid, xeno_is_initial_domain() ? " (Domain0)" : "");
	i386_start_kernel();
}
